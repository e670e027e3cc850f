// Package internal holds what every pagerduty binding applies by default, as
// the internal package of the generated SDK does: the pinned plugin version on
// every resource and invoke. PagerDuty has no plugin download URL; the plugin
// comes from the default Pulumi plugin server.
package internal

import (
	"github.com/klearkarma/observability/internal/pins"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// PkgResourceDefaultOpts puts the pinned version before the caller's options,
// so a caller's own pulumi.Version still wins (as in the SDK).
func PkgResourceDefaultOpts(opts []pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{pulumi.Version(pins.PagerDuty)}, opts...)
}

// PkgInvokeDefaultOpts is PkgResourceDefaultOpts for invokes.
func PkgInvokeDefaultOpts(opts []pulumi.InvokeOption) []pulumi.InvokeOption {
	return append([]pulumi.InvokeOption{pulumi.Version(pins.PagerDuty)}, opts...)
}
