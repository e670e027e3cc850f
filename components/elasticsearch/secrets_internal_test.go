package elasticsearch

import (
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pulumitest"
)

// The Kubernetes SDK marks a Secret's stringData secret by itself; this
// proves the component does not rely on that: each password it hands over
// is already a secret, even one that arrived as a plain string. (The log
// writer's password goes into a Secret of its own, wrapped the same way.)
func TestEveryPasswordIsASecretOutput(t *testing.T) {
	var mu sync.Mutex
	secret := map[string]bool{}
	_, err := pulumitest.Run(func(ctx *pulumi.Context) error {
		a := Args{
			ElasticPassword:      pulumi.String("plain-on-purpose"),
			KibanaSystemPassword: pulumi.String("plain-on-purpose"),
			LogWriterPassword:    pulumi.String("plain-on-purpose"),
		}
		for key, v := range a.secrets() {
			mu.Lock()
			secret[key] = pulumi.IsSecret(v.ToStringOutput())
			mu.Unlock()
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{SecretKeyElastic: true, SecretKeyKibanaSystem: true}, secret)
}

func TestDurationsAreWrittenInTheLargestWholeUnit(t *testing.T) {
	for want, d := range map[string]int64{"90d": 90 * 86400, "2557d": 2557 * 86400, "36h": 36 * 3600, "90m": 90 * 60, "45s": 45} {
		assert.Equal(t, want, esDuration(secondsDuration(d)))
	}
}

func TestByteSizes(t *testing.T) {
	for s, ok := range map[string]bool{"50gb": true, "512mb": true, "1tb": true, "50GB": false, "50Gi": false, "gb": false, "-1gb": false, "1.5gb": false} {
		assert.Equal(t, ok, byteSize(s), s)
	}
}

func secondsDuration(s int64) time.Duration { return time.Duration(s) * time.Second }
