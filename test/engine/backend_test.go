package engine_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/engine"
	"github.com/klearkarma/observability/program"
)

func TestAnUnreachableBackendNamesTheBackendAndTheFix(t *testing.T) {
	root, _ := tools(t)
	tmp := t.TempDir()
	_, err := engine.Open(context.Background(), engine.Options{
		Program: program.Definition, ProjectDir: projectDir, Stack: "local", ToolsRoot: root,
		// A file backend below /proc cannot be created: it stands for any
		// backend the engine cannot reach.
		BackendURL: "file:///proc/observability-state", PulumiHome: filepath.Join(tmp, "home"),
		Isolated: true, WorkDir: filepath.Join(tmp, "work"),
	})
	require.ErrorContains(t, err, `open stack "local" on backend file:///proc/observability-state`)
	require.ErrorContains(t, err, "Fix: check the backend URL")
}
