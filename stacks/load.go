package stacks

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// ctxSource reads config from a running program.
type ctxSource struct{ ctx *pulumi.Context }

func (s ctxSource) Get(key string) (string, bool) { return s.ctx.GetConfig(key) }
func (s ctxSource) IsSecret(key string) bool      { return s.ctx.IsConfigSecret(key) }

// Load parses and validates the running stack's config, checks the shape of
// the secrets' values (which only the running program sees decrypted), then
// reads its secrets as secret outputs. keys lists the stack's config keys for the
// unknown-key check (nil: none known).
func Load(ctx *pulumi.Context, keys []string) (*Config, error) {
	cfg, err := Parse(ctx.Stack(), ctxSource{ctx}, keys)
	if err != nil {
		return nil, err
	}
	if err := CheckSecretValues(ctx.Stack(), ctxSource{ctx}); err != nil {
		return nil, err
	}
	cfg.Secrets.present = map[string]bool{}
	for _, s := range SecretKeys {
		full := Namespace + ":" + s.Key
		if _, ok := ctx.GetConfig(full); !ok {
			continue
		}
		v, err := config.TrySecret(ctx, full)
		if err != nil {
			return nil, fmt.Errorf("read secret %s: %w", full, err)
		}
		s.set(&cfg.Secrets, v)
		cfg.Secrets.present[s.Key] = true
	}
	return cfg, nil
}

// Check validates a stack's config given as full keys and values, secrets
// marked (their values are not read), without running the program: every
// problem at once, or nil. The engine driver calls it before it touches
// any state.
func Check(stack string, values map[string]string, secrets map[string]bool, keys []string) error {
	_, err := Parse(stack, MapSource{Values: values, Secrets: secrets}, keys)
	return err
}

// KeysFromEnv returns the config keys the Pulumi language host passed to
// this process (PULUMI_CONFIG), or nil when it passed none.
func KeysFromEnv() []string {
	raw := os.Getenv("PULUMI_CONFIG")
	if raw == "" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
