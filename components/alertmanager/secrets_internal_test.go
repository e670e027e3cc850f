package alertmanager

import (
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pulumitest"
)

// The Kubernetes SDK marks a Secret's stringData secret by itself; this
// proves the component does not rely on that: each value it hands over is
// already a secret, even one that arrived as a plain string.
func TestEveryCredentialIsASecretOutput(t *testing.T) {
	var mu sync.Mutex
	secret := map[string]bool{}
	_, err := pulumitest.Run(func(ctx *pulumi.Context) error {
		a := Args{
			Routing: Routing{
				PagerDuty: PagerDutyRouting{Enabled: true, Teams: []string{"payments"}},
				Slack:     SlackRouting{Enabled: true},
				Email:     EmailRouting{Enabled: true},
			},
			SlackWebhookURL:   pulumi.String("plain-on-purpose"),
			SMTPPassword:      pulumi.String("plain-on-purpose"),
			DefaultRoutingKey: pulumi.String("plain-on-purpose"),
			RoutingKeys:       map[string]pulumi.StringInput{"payments": pulumi.String("plain-on-purpose")},
		}
		for key, v := range a.secrets() {
			mu.Lock()
			secret[key] = pulumi.IsSecret(v.ToStringOutput())
			mu.Unlock()
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{
		SecretKeySlackWebhookURL: true, SecretKeySMTPPassword: true,
		SecretKeyDefaultRoutingKey: true, SecretKeyRoutingKey("payments"): true,
	}, secret)
}
