package program

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/alertmanager"
	"github.com/klearkarma/observability/components/pagerduty"
	"github.com/klearkarma/observability/components/platform"
	"github.com/klearkarma/observability/stacks"
)

// buildAlerting creates the Alertmanager cluster that Prometheus sends
// alerts to, routing them to PagerDuty (with the keys the incident-response
// path created), Slack and email.
func buildAlerting(ctx *pulumi.Context, cfg *stacks.Config, p *providers, plat *platform.Platform, paging *pagerduty.PagerDuty) error {
	var routingKeys map[string]pulumi.StringInput
	var defaultRoutingKey pulumi.StringInput
	if paging != nil {
		routingKeys, defaultRoutingKey = paging.RoutingKeyInputs(), paging.DefaultRoutingKey
		if cfg.Kubernetes.RenderDir != "" {
			// Rendered manifests never carry a credential (see Secrets.Redacted).
			for team := range routingKeys {
				routingKeys[team] = renderedPlaceholder()
			}
			defaultRoutingKey = renderedPlaceholder()
		}
	}
	am, err := alertmanager.New(ctx, alertmanagerName, alertmanager.Args{
		Namespace:   pulumi.String(cfg.Namespaces.Monitoring),
		Replicas:    cfg.Alertmanager.Replicas,
		StorageSize: cfg.Alertmanager.StorageSize,
		Routing: alertmanager.Routing{
			PagerDuty: alertmanager.PagerDutyRouting{Enabled: cfg.PagerDuty.Enabled},
			Slack: alertmanager.SlackRouting{Enabled: cfg.Slack.Enabled, Channels: alertmanager.SlackChannels{
				Critical: cfg.Slack.Channels["critical"], Backend: cfg.Slack.Channels["backend"], Infrastructure: cfg.Slack.Channels["infrastructure"],
				Payments: cfg.Slack.Channels["payments"],
			}},
			Email: alertmanager.EmailRouting{
				Enabled: cfg.Email.Enabled, Smarthost: cfg.Email.Smarthost, From: cfg.Email.From,
				Username: cfg.Email.Username, DefaultTo: cfg.Email.DefaultTo, ProductTo: cfg.Email.ProductTo,
			},
			DeadMansSwitch: alertmanager.DeadMansSwitchRouting{Enabled: cfg.Secrets.Has(stacks.HeartbeatURLKey)},
			GrafanaURL:     cfg.Grafana.URL,
		},
		SlackWebhookURL:   optionalSecret(cfg.Slack.Enabled, cfg.Secrets.SlackWebhookURL),
		SMTPPassword:      optionalSecret(cfg.Email.Enabled, cfg.Secrets.SMTPPassword),
		DefaultRoutingKey: defaultRoutingKey,
		RoutingKeys:       routingKeys,
		HeartbeatURL:      optionalSecret(cfg.Secrets.Has(stacks.HeartbeatURLKey), cfg.Secrets.AlertmanagerHeartbeatURL),
	}, in(p, plat, purposeMetrics)...)
	if err != nil {
		return err
	}
	ctx.Export("alertmanagerUrl", am.URL)
	return nil
}
