package thanos_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/klearkarma/observability/components/thanos"
	"github.com/klearkarma/observability/internal/pins"
)

// The image the platform deploys is the release whose module the tests
// validate its configuration with and build the live binaries from
// (internal/pins; internal/livebin checks go.mod against the same pins).
func TestTheDeployedImageIsThePinnedReleaseTheConfigurationIsValidatedWith(t *testing.T) {
	assert.Equal(t, pins.Thanos.Image(), thanos.DefaultImage, "Thanos %s is the release the live tier runs and whose flags it checks", pins.Thanos.Version)
}
