package stacks

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/platform"
	"github.com/klearkarma/observability/internal/k8sprovider"
	"github.com/klearkarma/observability/internal/naming"
)

// Options tune one run without touching the stack's configuration.
type Options struct {
	// ConfigKeys are every config key the stack sets, for the unknown-key
	// check. Nil reads them from the environment the language host sets.
	ConfigKeys []string
	// RenderDir, when set, renders the Kubernetes side to this directory
	// instead of the target the stack names.
	RenderDir string
}

// Run is the program `pulumi up` runs (see main.go).
func Run(ctx *pulumi.Context) error { return Program(Options{})(ctx) }

// Program returns the program for the given options; the Automation API
// driver and the engine tests run exactly this.
func Program(opts Options) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		keys := opts.ConfigKeys
		if keys == nil {
			keys = KeysFromEnv()
		}
		cfg, err := Load(ctx, keys)
		if err != nil {
			return err
		}
		if opts.RenderDir != "" {
			cfg.Kubernetes = KubernetesConfig{RenderDir: opts.RenderDir}
		}
		return Build(ctx, cfg)
	}
}

// Build creates the platform from a validated Config, components in
// dependency order, and exports the stack outputs.
func Build(ctx *pulumi.Context, cfg *Config) error {
	target := k8sprovider.Settings(cfg.Kubernetes)
	k8s, err := k8sprovider.New(ctx, "kubernetes", target)
	if err != nil {
		return err
	}
	k8sOpt := pulumi.Provider(k8s)

	plat, err := platform.New(ctx, "platform", platform.Args{
		Environment: cfg.Environment,
		Namespaces: []platform.Namespace{
			// node-exporter needs the host's network, PID namespace and /proc.
			{Name: cfg.Namespaces.Monitoring, Purpose: "metrics", PodSecurity: "privileged"},
			// Fluentd reads /var/log from the host.
			{Name: cfg.Namespaces.Logging, Purpose: "logs", PodSecurity: "privileged"},
			{Name: cfg.Namespaces.Tracing, Purpose: "traces", PodSecurity: "restricted"},
		},
		ApplicationNamespaces: cfg.Network.ApplicationNamespaces,
		IngressNamespaces:     cfg.Network.IngressNamespaces,
		ExternalEgressPorts:   cfg.Network.ExternalEgressPorts,
		Quota:                 cfg.Quota,
		LimitRange:            cfg.LimitRange,
	}, k8sOpt)
	if err != nil {
		return err
	}

	if cfg.AWS.Enabled {
		if _, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{
			Region: pulumi.String(cfg.AWS.Region),
			DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.StringMap{
				"Project":     pulumi.String(naming.PartOf),
				"Environment": pulumi.String(cfg.Environment),
				"ManagedBy":   pulumi.String(naming.ManagedBy),
			}},
		}); err != nil {
			return fmt.Errorf("aws provider: %w", err)
		}
	}

	ctx.Export("environment", pulumi.String(cfg.Environment))
	ctx.Export("namespaces", plat.Namespaces)
	if target.Offline() {
		ctx.Export("renderDir", pulumi.String(target.RenderDir))
	}
	return nil
}
