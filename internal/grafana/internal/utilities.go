// Package internal holds what every grafana binding applies by default, as
// the internal package of the generated pulumiverse SDK does: the pinned
// plugin version and the pulumiverse plugin download URL on every resource
// and invoke, and the env-var defaults of the explicit provider.
package internal

import (
	"os"
	"strconv"

	"github.com/klearkarma/observability/internal/pins"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// PkgResourceDefaultOpts puts the pinned version and download URL before the
// caller's options, so a caller's own pulumi.Version still wins (as in the SDK).
func PkgResourceDefaultOpts(opts []pulumi.ResourceOption) []pulumi.ResourceOption {
	defaults := []pulumi.ResourceOption{
		pulumi.PluginDownloadURL(pins.GrafanaPluginDownloadURL),
		pulumi.Version(pins.Grafana),
	}
	return append(defaults, opts...)
}

// PkgInvokeDefaultOpts is PkgResourceDefaultOpts for invokes.
func PkgInvokeDefaultOpts(opts []pulumi.InvokeOption) []pulumi.InvokeOption {
	defaults := []pulumi.InvokeOption{
		pulumi.PluginDownloadURL(pins.GrafanaPluginDownloadURL),
		pulumi.Version(pins.Grafana),
	}
	return append(defaults, opts...)
}

type envParser func(v string) any

// ParseEnvBool parses a boolean env value, or returns nil.
func ParseEnvBool(v string) any {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil
	}
	return b
}

// ParseEnvInt parses an integer env value, or returns nil.
func ParseEnvInt(v string) any {
	i, err := strconv.ParseInt(v, 0, 0)
	if err != nil {
		return nil
	}
	return int(i)
}

// GetEnvOrDefault returns the first set env var (parsed when a parser is
// given), or def.
func GetEnvOrDefault(def any, parser envParser, vars ...string) any {
	for _, v := range vars {
		if value, ok := os.LookupEnv(v); ok {
			if parser != nil {
				return parser(value)
			}
			return value
		}
	}
	return def
}
