package costexporter

import (
	"encoding/hex"
	"fmt"
	"os"
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/costalarm"
	"github.com/klearkarma/observability/components/loggroups"
	"github.com/klearkarma/observability/functions/costexporter/contract"
	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
)

// Args configure the exporter.
type Args struct {
	// Name prefixes every AWS name, e.g. "klearkarma-prod"; the function is
	// Name+"-cost-exporter".
	Name string
	// Region is where the provider deploys (the dashboard's widgets need
	// it); metrics, alarms and dashboard all live there.
	Region string
	// ZipPath and ZipSHA256 come from build.BuildZip. The hash is the
	// function's source code hash, so an identical rebuild shows no diff.
	ZipPath   string
	ZipSHA256 string
	// DailyBudgetUSD is the most the account may spend in a UTC day.
	DailyBudgetUSD float64
	// PageFactor pages PagerDuty above this many times the budget (default
	// 2; at least 1). No PagerDutyRoutingKey: no paging.
	PageFactor float64
	// SlackWebhookURL receives the over-budget message (secret, required).
	SlackWebhookURL pulumi.StringInput
	// PagerDutyRoutingKey is an Events API v2 integration key (secret).
	PagerDutyRoutingKey pulumi.StringInput
	// PagerDutyEventsURL defaults to the US service region's endpoint; the
	// EU region uses https://events.eu.pagerduty.com/v2/enqueue.
	PagerDutyEventsURL string
	// Schedule is the EventBridge schedule expression (default
	// DefaultSchedule).
	Schedule string
	// LogRetentionDays keeps the function's logs (default 30).
	LogRetentionDays int
	// AlarmActions are SNS topic ARNs in Region the three alarms notify
	// (ALARM and OK); none: the alarms only change state.
	AlarmActions []pulumi.StringInput
	// MemoryMB (default 128) and TimeoutSeconds (default 120).
	MemoryMB       int
	TimeoutSeconds int
}

var (
	awsName  = regexp.MustCompile(`^[A-Za-z0-9-]+$`)
	schedule = regexp.MustCompile(`^(cron|rate)\(.+\)$`)
)

// AWS names, each after Args.Name.
func (a *Args) functionName() string  { return conventions.Child(a.Name, "cost-exporter") }
func (a *Args) dashboardName() string { return conventions.Child(a.Name, "costs") }
func (a *Args) alarmName(what string) string {
	return conventions.Child(a.functionName(), what)
}

// withDefaults fills the defaults and checks every argument at once; the
// budget and log retention rules are the cost alarm's and the log groups'.
func (a *Args) withDefaults() error {
	a.fillDefaults()
	var ps check.Problems
	switch {
	case a.Name == "":
		ps.Add("name", "is required", "pass the prefix of every AWS name, such as klearkarma-prod")
	case !awsName.MatchString(a.Name) || len(a.functionName()) > 64:
		ps.Add("name", fmt.Sprintf("%q is not letters, digits and dashes of at most %d characters", a.Name, 64-len("-cost-exporter")),
			"shorten it: the function name adds -cost-exporter and Lambda allows 64")
	}
	if a.Region == "" {
		ps.Add("region", "is required", "pass the AWS provider's region")
	}
	if a.ZipPath == "" {
		ps.Add("zipPath", "is required", "build it with functions/costexporter/build.BuildZip")
	} else if _, err := os.Stat(a.ZipPath); err != nil {
		ps.Add("zipPath", err.Error(), "build it with functions/costexporter/build.BuildZip before New")
	}
	if b, err := hex.DecodeString(a.ZipSHA256); err != nil || len(b) != 32 {
		ps.Add("zipSha256", fmt.Sprintf("%q is not 64 hex digits", a.ZipSHA256), "pass the hash BuildZip returns")
	}
	costalarm.CheckBudget(&ps, "dailyBudgetUsd", a.DailyBudgetUSD)
	if a.PageFactor < 1 {
		ps.Add("pageFactor", fmt.Sprintf("%v would page on a day under budget", a.PageFactor), "set at least 1")
	}
	if a.SlackWebhookURL == nil {
		ps.Add("slackWebhookUrl", "is required", "pass it as a secret, e.g. config.RequireSecret")
	}
	if !schedule.MatchString(a.Schedule) {
		ps.Add("schedule", fmt.Sprintf("%q is not an EventBridge expression", a.Schedule), "use one such as "+DefaultSchedule)
	}
	loggroups.CheckRetention(&ps, "logRetentionDays", a.LogRetentionDays)
	if a.MemoryMB < 128 || a.MemoryMB > 10240 {
		ps.Add("memoryMb", fmt.Sprintf("%d MB is outside Lambda's 128-10240", a.MemoryMB), "use 128 to 10240")
	}
	if a.TimeoutSeconds < 1 || a.TimeoutSeconds > 900 {
		ps.Add("timeoutSeconds", fmt.Sprintf("%d s is outside Lambda's 1-900", a.TimeoutSeconds), "use 1 to 900")
	}
	return ps.Err()
}

func (a *Args) fillDefaults() {
	if a.PageFactor == 0 {
		a.PageFactor = contract.DefaultPageFactor
	}
	if a.PagerDutyEventsURL == "" {
		a.PagerDutyEventsURL = contract.DefaultPagerDutyEventsURL
	}
	if a.Schedule == "" {
		a.Schedule = DefaultSchedule
	}
	if a.LogRetentionDays == 0 {
		a.LogRetentionDays = 30
	}
	if a.MemoryMB == 0 {
		a.MemoryMB = 128
	}
	if a.TimeoutSeconds == 0 {
		a.TimeoutSeconds = 120
	}
}

// alertSecretJSON is contract.AlertSecret as a secret Output: the values
// never appear unmarked in state.
func alertSecretJSON(slack, pagerDuty pulumi.StringInput) pulumi.StringOutput {
	if pagerDuty == nil {
		pagerDuty = pulumi.String("")
	}
	doc := pulumi.All(slack, pagerDuty).ApplyT(func(v []any) (string, error) {
		return encoding.JSON(contract.AlertSecret{SlackWebhookURL: v[0].(string), PagerDutyRoutingKey: v[1].(string)})
	}).(pulumi.StringOutput)
	return pulumi.ToSecret(doc).(pulumi.StringOutput)
}
