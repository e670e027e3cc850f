package program

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/pagerduty"
	"github.com/klearkarma/observability/stacks"
)

// buildIncidentResponse creates the PagerDuty teams, escalation policies,
// services and integrations; nil when PagerDuty is off.
func buildIncidentResponse(ctx *pulumi.Context, cfg *stacks.Config, p *providers) (*pagerduty.PagerDuty, error) {
	if !cfg.PagerDuty.Enabled {
		return nil, nil
	}
	pd, err := pagerduty.New(ctx, "pagerduty", cfg.PagerDuty.ComponentArgs(), p.pagerduty)
	if err != nil {
		return nil, err
	}
	urls := pulumi.StringMap{}
	for team, u := range pd.ServiceURLs {
		urls[team] = u
	}
	ctx.Export("pagerdutyServiceUrls", urls)
	// The incident tool (cmd/incident) pages with these; secret.
	keys := pulumi.StringMap{}
	for team, k := range pd.RoutingKeys {
		keys[team] = k
	}
	ctx.Export("pagerdutyRoutingKeys", pulumi.ToSecret(keys))
	// Secret: the URL embeds the integration key.
	ctx.Export("pagerdutyCloudWatchEndpoint", pd.CloudWatchEndpoint)
	return pd, nil
}
