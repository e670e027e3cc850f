package stacks_test

import (
	"errors"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/stacks"
)

const heartbeatKey = stacks.Namespace + ":" + stacks.HeartbeatURLKey

func TestTheHeartbeatURLMustBeAnHTTPSURLWithAHost(t *testing.T) {
	// Every refused value carries this token: the error must never show it.
	const token = "s3cr3t-t0ken-7f3a"
	cases := map[string]struct {
		value       string
		wantProblem string // "" when the value is accepted
	}{
		"a healthchecks-style https URL with its token in the path is accepted": {value: "https://hc-ping.com/" + token},
		"an https URL with a port and a query is accepted":                      {value: "https://heartbeat.example.com:8443/ping?token=" + token},
		"an http URL is refused, since its token would cross the network in clear": {
			value: "http://hc-ping.com/" + token, wantProblem: "unencrypted",
		},
		"a URL without a scheme is refused":                   {value: "hc-ping.com/" + token, wantProblem: "not an absolute URL"},
		"a URL of another scheme is refused":                  {value: "ftp://hc-ping.com/" + token, wantProblem: "not an https URL"},
		"an https URL without a host is refused":              {value: "https:///" + token, wantProblem: "without a host"},
		"an https URL with only a port for a host is refused": {value: "https://:443/" + token, wantProblem: "without a host"},
		"a URL pasted with its trailing newline is refused": {
			value: "https://hc-ping.com/" + token + "\n", wantProblem: "whitespace or a control character",
		},
		"a URL that does not parse is refused without quoting it": {value: "https://hc-ping.com/%zz" + token, wantProblem: "not an absolute URL"},
		"an empty value is refused, and the fix says how to turn the switch off instead": {
			value: "", wantProblem: "is empty",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			src := stacks.MapSource{Values: map[string]string{heartbeatKey: tc.value}, Secrets: map[string]bool{heartbeatKey: true}}
			err := stacks.CheckSecretValues("prod", src)
			if tc.wantProblem == "" {
				require.NoError(t, err)
				return
			}
			var ce *stacks.ConfigError
			require.True(t, errors.As(err, &ce), "%v", err)
			require.Len(t, ce.Problems, 1)
			p := ce.Problems[0]
			assert.Equal(t, heartbeatKey, p.Key)
			assert.Contains(t, p.Problem, tc.wantProblem)
			assert.Contains(t, p.Fix, "pulumi config set --secret "+heartbeatKey)
			assert.Contains(t, p.Fix, "-s prod")
			assert.NotContains(t, err.Error(), token, "the error must not print the secret")
			if tc.value == "" {
				assert.Contains(t, p.Fix, "pulumi config rm "+heartbeatKey)
			}
		})
	}
}

func TestAStackWithoutAHeartbeatURLNeedsNone(t *testing.T) {
	require.NoError(t, stacks.CheckSecretValues("prod", stacks.MapSource{}))
}

func TestEverySecretsValidValuePassesItsCheck(t *testing.T) {
	values := map[string]string{}
	for _, s := range stacks.SecretKeys {
		values[stacks.Namespace+":"+s.Key] = s.ValidValue("test-secret-value-for-" + s.Key)
	}
	require.NoError(t, stacks.CheckSecretValues("prod", stacks.MapSource{Values: values}))
}

// The running program is where the values are decrypted: Load refuses a
// malformed heartbeat URL before any resource exists.
func TestLoadRefusesAMalformedHeartbeatURL(t *testing.T) {
	f, err := stacks.ReadStackFile("..", "prod")
	require.NoError(t, err)
	values := f.Source.Values
	var secretKeys []string
	for _, s := range stacks.SecretKeys {
		key := stacks.Namespace + ":" + s.Key
		values[key] = s.ValidValue("test-secret-value-for-" + s.Key)
		secretKeys = append(secretKeys, key)
	}
	values[heartbeatKey] = "http://hc-ping.com/s3cr3t-t0ken-7f3a"
	pulumitest.WithConfig(t, values, secretKeys)
	err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := stacks.Load(ctx, nil)
		return err
	}, pulumi.WithMocks(stacks.Namespace, "prod", pulumitest.New()))
	require.ErrorContains(t, err, heartbeatKey+": is an http URL")
	assert.NotContains(t, err.Error(), "s3cr3t-t0ken-7f3a")
}
