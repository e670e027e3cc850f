package prometheus_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/klearkarma/observability/components/prometheus"
	"github.com/klearkarma/observability/internal/pins"
)

// The image the platform deploys is the release whose module the tests
// validate its configuration with and build the live binaries from
// (internal/pins; internal/livebin checks go.mod against the same pins).
func TestTheDeployedImageIsThePinnedReleaseTheConfigurationIsValidatedWith(t *testing.T) {
	assert.Equal(t, pins.Prometheus.Image(), prometheus.DefaultImage, "Prometheus %s validates the configuration", pins.Prometheus.Version)
	assert.Equal(t, pins.Thanos.Image(), prometheus.DefaultSidecarImage, "the sidecar is the Thanos release the live tier runs")
}
