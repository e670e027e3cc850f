// Package contract owns the names the cost exporter function and the
// Pulumi component that deploys it must agree on: the CloudWatch namespace,
// metric and dimension names, the environment variables provisioning sets,
// and the JSON document in the alert secret. It imports nothing, so the
// Pulumi program can use it without linking the AWS SDK.
package contract

// CloudWatch names. The IAM policy's cloudwatch:namespace condition, the
// alarms and the dashboard all use these, so a rename happens here only.
const (
	// Namespace holds every metric the exporter publishes.
	Namespace = "KlearKarma/Costs"
	// ServiceMetric is one AWS service's cost for one UTC day, in USD.
	ServiceMetric = "DailyCost"
	// ServiceDimension names the AWS service (Cost Explorer's SERVICE key).
	ServiceDimension = "Service"
	// TotalMetric is the day's total across all services, in USD. It is a
	// metric of its own, with no dimensions, rather than Service=Total, so
	// a SEARCH over the Service dimension never counts the total twice and a
	// service whose name happens to be "Total" cannot collide with it.
	TotalMetric = "TotalDailyCost"
)

// Environment variables the component sets on the function (the CLI reads
// the same ones as defaults for its flags).
const (
	// EnvDailyBudgetUSD is the daily budget in US dollars (required, > 0).
	EnvDailyBudgetUSD = "KK_DAILY_BUDGET_USD"
	// EnvPageFactor pages PagerDuty when the day's total exceeds this many
	// times the budget; 0 turns paging off. Defaults to DefaultPageFactor.
	EnvPageFactor = "KK_PAGE_OVER_BUDGET_FACTOR"
	// EnvAlertSecretARN is the Secrets Manager secret holding AlertSecret.
	EnvAlertSecretARN = "KK_ALERT_SECRET_ARN"
	// EnvPagerDutyEventsURL overrides the Events API v2 endpoint (the EU
	// service region uses https://events.eu.pagerduty.com/v2/enqueue).
	EnvPagerDutyEventsURL = "KK_PAGERDUTY_EVENTS_URL"
	// EnvCostExplorerRegion is the region whose Cost Explorer endpoint is
	// called: us-east-1 serves the whole aws partition.
	EnvCostExplorerRegion = "KK_COST_EXPLORER_REGION"
	// EnvMaxAttempts caps the SDK's standard retryer (attempts per call).
	EnvMaxAttempts = "KK_AWS_MAX_ATTEMPTS"
)

// Defaults shared by the function and the component.
const (
	DefaultPageFactor         = 2.0
	DefaultPagerDutyEventsURL = "https://events.pagerduty.com/v2/enqueue"
	DefaultCostExplorerRegion = "us-east-1"
	DefaultMaxAttempts        = 6
)

// AlertSecret is the JSON document stored in the alert secret.
type AlertSecret struct {
	// SlackWebhookURL is the incoming-webhook URL over-budget days post to.
	SlackWebhookURL string `json:"slackWebhookUrl"`
	// PagerDutyRoutingKey is an Events API v2 integration key; empty when
	// paging is off.
	PagerDutyRoutingKey string `json:"pagerDutyRoutingKey,omitempty"`
}
