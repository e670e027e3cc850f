package recovery_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/program"
	"github.com/klearkarma/observability/stacks"
)

// render evaluates the program for a shipped stack under the recording
// mock, with test values for its secrets.
func render(t *testing.T, stack string) *pulumitest.Recorder {
	t.Helper()
	f, err := stacks.ReadStackFile("../..", stack)
	require.NoError(t, err)
	values := f.Source.Values
	var secretKeys []string
	for _, s := range stacks.SecretKeys {
		key := stacks.Namespace + ":" + s.Key
		values[key] = s.ValidValue("test-secret-value-for-" + s.Key)
		secretKeys = append(secretKeys, key)
	}
	pulumitest.WithConfig(t, values, secretKeys)
	rec := pulumitest.New()
	require.NoError(t, pulumi.RunErr(program.Run, pulumi.WithMocks(stacks.Namespace, stack, rec)))
	return rec
}
