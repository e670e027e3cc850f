package program

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/stacks"
)

// renderedPlaceholder stands in for a credential in rendered manifests.
func renderedPlaceholder() pulumi.StringOutput {
	return pulumi.ToSecret(pulumi.String(stacks.RenderedSecretPlaceholder)).(pulumi.StringOutput)
}

// optionalSecret passes a secret only to an enabled integration (a disabled
// one has no secret set, and a nil input means "none").
func optionalSecret(enabled bool, v pulumi.StringOutput) pulumi.StringInput {
	if !enabled {
		return nil
	}
	return v
}

// secretOrPlaceholder is the stack's secret, or the placeholder where only a
// render lacks it (validation requires it otherwise).
func secretOrPlaceholder(s stacks.Secrets, key string, v pulumi.StringOutput) pulumi.StringInput {
	if !s.Has(key) {
		return renderedPlaceholder()
	}
	return v
}
