package blackbox_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/modfile"

	"github.com/klearkarma/observability/internal/pins"
)

// The config types that build and validate blackbox.yml come from the
// module the deployed image is built from: go.mod and the pin agree.
func TestTheConfigTypesAreThePinnedRelease(t *testing.T) {
	file := filepath.Join("..", "..", "go.mod")
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	mf, err := modfile.Parse(file, raw, nil)
	require.NoError(t, err)
	got := ""
	for _, r := range mf.Require {
		if r.Mod.Path == pins.BlackboxExporter.Module {
			got = r.Mod.Version
		}
	}
	require.Equal(t, pins.BlackboxExporter.ModuleVersion, got,
		"go.mod and internal/pins disagree on %s: change one so both name the deployed release", pins.BlackboxExporter.Module)
}
