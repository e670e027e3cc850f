package program

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	grafanaapi "github.com/klearkarma/observability/internal/grafana"
	"github.com/klearkarma/observability/internal/k8sprovider"
	pd "github.com/klearkarma/observability/internal/pagerduty"
	"github.com/klearkarma/observability/stacks"
)

// providers are the explicit providers every resource goes through, each
// handed to components the same way: as a pulumi.Provider option. A nil
// option means the stack does not use that side (AWS off, PagerDuty off).
// None is the default provider, which would read credentials from whoever
// runs pulumi.
type providers struct {
	kubernetes pulumi.ResourceOption
	aws        pulumi.ResourceOption
	// awsBilling is in us-east-1, the only region with billing metrics.
	awsBilling pulumi.ResourceOption
	pagerduty  pulumi.ResourceOption
}

// billingRegion is where AWS publishes billing metrics.
const billingRegion = "us-east-1"

func newProviders(ctx *pulumi.Context, cfg *stacks.Config) (*providers, error) {
	p := &providers{}
	k := cfg.Kubernetes
	k8s, err := k8sprovider.New(ctx, "kubernetes", k8sprovider.Settings{RenderDir: k.RenderDir, Kubeconfig: k.Kubeconfig, Context: k.Context})
	if err != nil {
		return nil, err
	}
	p.kubernetes = pulumi.Provider(k8s)

	if cfg.AWS.Enabled {
		a, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{
			Region: pulumi.String(cfg.AWS.Region),
			DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.StringMap{
				"Project":     pulumi.String(conventions.PartOf),
				"Environment": pulumi.String(cfg.Environment),
				"ManagedBy":   pulumi.String(conventions.ManagedBy),
			}},
		})
		if err != nil {
			return nil, fmt.Errorf("aws provider: %w", err)
		}
		p.aws, p.awsBilling = pulumi.Provider(a), pulumi.Provider(a)
		if cfg.AWS.Region != billingRegion {
			b, err := aws.NewProvider(ctx, "aws-billing", &aws.ProviderArgs{Region: pulumi.String(billingRegion)})
			if err != nil {
				return nil, fmt.Errorf("aws billing provider: %w", err)
			}
			p.awsBilling = pulumi.Provider(b)
		}
	}

	if cfg.PagerDuty.Enabled {
		region := cfg.PagerDuty.ServiceRegion
		pdp, err := pd.NewProvider(ctx, "pagerduty", &pd.ProviderArgs{
			Token:         cfg.Secrets.PagerDutyToken,
			ServiceRegion: pulumi.StringPtr(region),
		})
		if err != nil {
			return nil, fmt.Errorf("pagerduty provider: %w", err)
		}
		p.pagerduty = pulumi.Provider(pdp)
	}
	return p, nil
}

// newGrafanaProvider is the provider of Grafana's HTTP API. It waits for
// the in-cluster Grafana (dependsOn), so nothing calls the API before
// Grafana serves it.
func newGrafanaProvider(ctx *pulumi.Context, cfg *stacks.Config, dependsOn []pulumi.Resource) (pulumi.ResourceOption, error) {
	g, err := grafanaapi.NewProvider(ctx, "grafana", &grafanaapi.ProviderArgs{
		Url:  pulumi.String(cfg.Grafana.URL),
		Auth: pulumi.ToSecret(cfg.Secrets.GrafanaAuth).(pulumi.StringOutput),
	}, pulumi.DependsOn(dependsOn))
	if err != nil {
		return nil, fmt.Errorf("grafana provider: %w", err)
	}
	return pulumi.Provider(g), nil
}
