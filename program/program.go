// Package program is the Pulumi program: it loads the stack's validated
// Config (package stacks), creates every provider, and wires the
// components in dependency order, one file per path: metrics, alerting,
// logging, tracing, incident response, Grafana and AWS. It holds no
// configuration rule (stacks does) and no resource shape (components do).
package program

import (
	"context"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/blackbox"
	"github.com/klearkarma/observability/components/platform"
	"github.com/klearkarma/observability/stacks"
)

// Options tune one run without touching the stack's configuration.
type Options struct {
	// ConfigKeys are every config key the stack sets, for the unknown-key
	// check. Nil reads them from the environment the language host sets.
	ConfigKeys []string
	// RenderDir, when set, renders the Kubernetes side to this directory
	// instead of the target the stack names.
	RenderDir string
	// Kubeconfig, when set, sends the Kubernetes side to the cluster this
	// kubeconfig file names instead (the embedded test cluster).
	Kubeconfig string
}

// Run is the program `pulumi up` runs (see main.go).
func Run(ctx *pulumi.Context) error { return New(Options{})(ctx) }

// New returns the program for the given options; the Automation API
// driver and the engine tests run exactly this.
func New(opts Options) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		keys := opts.ConfigKeys
		if keys == nil {
			keys = stacks.KeysFromEnv()
		}
		cfg, err := stacks.Load(ctx, keys)
		if err != nil {
			return err
		}
		switch {
		case opts.RenderDir != "":
			cfg.Kubernetes = stacks.KubernetesConfig{RenderDir: opts.RenderDir, Nodes: cfg.Kubernetes.Nodes}
		case opts.Kubeconfig != "":
			cfg.Kubernetes = stacks.KubernetesConfig{Kubeconfig: opts.Kubeconfig, Nodes: cfg.Kubernetes.Nodes}
		}
		if err := Preflight(ctx.Stack(), cfg); err != nil {
			return err
		}
		return Build(ctx, cfg)
	}
}

// Build creates the platform from a validated Config, components in
// dependency order, and exports the stack outputs.
func Build(ctx *pulumi.Context, cfg *stacks.Config) error { return build(ctx, cfg, lambdaZip) }

// zipBuilder builds the cost exporter's Lambda archive: path and sha256.
type zipBuilder func(ctx context.Context) (string, string, error)

func build(ctx *pulumi.Context, cfg *stacks.Config, zip zipBuilder) error {
	if cfg.Kubernetes.RenderDir != "" {
		// Rendered manifests never carry a credential.
		cfg.Secrets = cfg.Secrets.Redacted()
	}
	p, err := newProviders(ctx, cfg)
	if err != nil {
		return err
	}
	plat, err := buildPlatform(ctx, cfg, p)
	if err != nil {
		return err
	}
	paging, err := buildIncidentResponse(ctx, cfg, p)
	if err != nil {
		return err
	}
	if err := buildAWS(ctx, cfg, p, paging, zip); err != nil {
		return err
	}
	metrics, err := buildMetrics(ctx, cfg, p, plat)
	if err != nil {
		return err
	}
	if err := buildAlerting(ctx, cfg, p, plat, paging); err != nil {
		return err
	}
	logs, err := buildLogging(ctx, cfg, p, plat)
	if err != nil {
		return err
	}
	traces, err := buildTracing(ctx, cfg, p, plat)
	if err != nil {
		return err
	}
	// Grafana comes last: it reads Thanos, Elasticsearch and Jaeger.
	if err := buildGrafana(ctx, cfg, p, plat, metrics, logs, traces); err != nil {
		return err
	}

	ctx.Export("environment", pulumi.String(cfg.Environment))
	ctx.Export("namespaces", plat.Namespaces)
	if cfg.Kubernetes.RenderDir != "" {
		ctx.Export("renderDir", pulumi.String(cfg.Kubernetes.RenderDir))
	}
	return nil
}

// buildPlatform creates the fenced namespaces the other paths run in.
func buildPlatform(ctx *pulumi.Context, cfg *stacks.Config, p *providers) (*platform.Platform, error) {
	return platform.New(ctx, "platform", platform.Args{
		Data:        cfg.DataProtection.Policy(),
		Environment: cfg.Environment,
		Namespaces: []platform.Namespace{
			// node-exporter needs the host's network, PID namespace and /proc.
			{Name: cfg.Namespaces.Monitoring, Purpose: purposeMetrics, PodSecurity: "privileged"},
			// Fluentd reads /var/log from the host.
			{Name: cfg.Namespaces.Logging, Purpose: purposeLogs, PodSecurity: "privileged"},
			{Name: cfg.Namespaces.Tracing, Purpose: purposeTraces, PodSecurity: "restricted"},
		},
		Network: cfg.Network,
		// With AWS, Thanos's blocks and the audit snapshots are in S3.
		ObjectStorageOverHTTPS: cfg.AWS.Enabled,
		Quota:                  cfg.Quota,
		LimitRange:             cfg.LimitRange,
		Probes: platform.Probes{
			Enabled:       len(cfg.Probes.Targets) > 0,
			ExternalPorts: blackbox.ExternalPorts(cfg.Probes.Targets),
		},
	}, p.kubernetes)
}

// The platform's namespace purposes; each path runs in one.
const (
	purposeMetrics = "metrics"
	purposeLogs    = "logs"
	purposeTraces  = "traces"
)

// in returns the options of a component that runs in one of the
// platform's namespaces: the kubernetes provider and the namespace first.
func in(p *providers, plat *platform.Platform, purpose string, extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{p.kubernetes, pulumi.DependsOn([]pulumi.Resource{plat.NamespaceResources[purpose]})}, extra...)
}

// Definition is the program as the Automation API driver (internal/engine)
// runs it: its project, its config check and the program itself.
var Definition definition

type definition struct{}

func (definition) Project() string { return stacks.Namespace }

func (definition) Check(stack string, values map[string]string, secrets map[string]bool, keys []string) error {
	cfg, err := stacks.Parse(stack, stacks.MapSource{Values: values, Secrets: secrets}, keys)
	if err != nil {
		return err
	}
	return Preflight(stack, cfg)
}

func (definition) Run(keys []string, renderDir, kubeconfig string) pulumi.RunFunc {
	return New(Options{ConfigKeys: keys, RenderDir: renderDir, Kubeconfig: kubeconfig})
}
