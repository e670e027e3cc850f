// Package exporter owns the cost exporter's behaviour: it reads one UTC
// day's cost per AWS service from Cost Explorer, publishes it to CloudWatch
// (namespace KlearKarma/Costs) and, when the day went over budget, posts the
// seed's Slack message and, far over budget, pages PagerDuty. It owns no
// infrastructure (the component in components/costexporter does) and reads
// its settings only from the Config it is given.
//
// Which day: the last complete UTC day (yesterday). Cost Explorer's figure
// for today is partial and grows during the day, so the seed's "today"
// under-reported every morning. One GetCostAndUsage query covers exactly
// that day (Start = the day, End = the next day, End being exclusive): no
// other day is used, so the seed's 30-day window only cost pages.
//
// Timestamps: every data point of a day is stamped at 23:59:00 UTC of that
// day, the same instant on every run. CloudWatch has no overwrite; data
// points with the same timestamp are aggregated, so a re-run for the same
// day leaves the Maximum (which the alarms and the dashboard use) unchanged,
// and a revised, higher figure raises it. The stamp is the day's last minute
// rather than its midnight because PutMetricData warns that data points 24
// hours old or more can take 48 hours to become visible to GetMetricData and
// alarms; published around 10:00 UTC the next day, 23:59 is about ten hours
// old (visible within two hours) and still falls in the day's own 1-day
// bucket on a midnight-aligned graph.
//
// Zero and negative costs are published as they are: a credit or refund is
// a real negative cost for that service and day, leaving it out would make
// the services disagree with the total, and a zero says "ran, no spend"
// where a gap says "did not run".
//
// Nothing partial: everything is computed and the alert secret is read
// before the first PutMetricData call; any error fails the run (a non-nil
// error fails the Lambda invocation). CloudWatch has no transaction across
// calls, so the total rides in the last call: a day whose total is present
// has all its services.
package exporter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/costexplorer"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/klearkarma/observability/functions/costexporter/contract"
)

// DateLayout is how days are written (Cost Explorer's and the CLI's).
const DateLayout = "2006-01-02"

// cloudWatchMaxAge is how old a data point PutMetricData accepts.
const cloudWatchMaxAge = 14 * 24 * time.Hour

// Config is everything the exporter needs that is not a client.
type Config struct {
	// DailyBudgetUSD is the most the account may spend in a UTC day.
	DailyBudgetUSD float64
	// PageFactor pages PagerDuty when the total exceeds PageFactor times the
	// budget; 0 turns paging off.
	PageFactor float64
	// AlertSecretARN is the secret holding contract.AlertSecret; needed only
	// on a day that notifies.
	AlertSecretARN string
	// PagerDutyEventsURL is the Events API v2 enqueue endpoint.
	PagerDutyEventsURL string
	// CostExplorerRegion is where Cost Explorer is called (us-east-1 for the
	// aws partition; its endpoint is global).
	CostExplorerRegion string
	// Region is CloudWatch's and Secrets Manager's; "" takes the SDK's
	// default chain (AWS_REGION, the profile).
	Region string
	// MaxAttempts caps each AWS call's attempts in the standard retryer.
	MaxAttempts int
	// DisableNotifications publishes metrics only (the CLI's --no-notify).
	DisableNotifications bool
}

// ConfigFromEnv reads the variables the component sets (contract.Env*).
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	var errs []error
	num := func(key string, def float64) float64 {
		v := strings.TrimSpace(getenv(key))
		if v == "" {
			return def
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q is not a number: set it to a plain decimal such as 500", key, v))
			return def
		}
		return f
	}
	c := Config{
		DailyBudgetUSD:     num(contract.EnvDailyBudgetUSD, 0),
		PageFactor:         num(contract.EnvPageFactor, contract.DefaultPageFactor),
		AlertSecretARN:     strings.TrimSpace(getenv(contract.EnvAlertSecretARN)),
		PagerDutyEventsURL: strings.TrimSpace(getenv(contract.EnvPagerDutyEventsURL)),
		CostExplorerRegion: strings.TrimSpace(getenv(contract.EnvCostExplorerRegion)),
		MaxAttempts:        int(num(contract.EnvMaxAttempts, contract.DefaultMaxAttempts)),
	}
	if err := c.withDefaults(); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

func (c *Config) withDefaults() error {
	var errs []error
	if c.DailyBudgetUSD <= 0 || math.IsInf(c.DailyBudgetUSD, 0) || math.IsNaN(c.DailyBudgetUSD) {
		errs = append(errs, fmt.Errorf("daily budget %v is not a budget: set %s (or --budget) to a positive number of US dollars, such as 500", c.DailyBudgetUSD, contract.EnvDailyBudgetUSD))
	}
	if c.PageFactor < 0 || (c.PageFactor > 0 && c.PageFactor < 1) || math.IsNaN(c.PageFactor) {
		errs = append(errs, fmt.Errorf("page factor %v must be 0 (no paging) or at least 1: set %s", c.PageFactor, contract.EnvPageFactor))
	}
	if c.PagerDutyEventsURL == "" {
		c.PagerDutyEventsURL = contract.DefaultPagerDutyEventsURL
	}
	if c.CostExplorerRegion == "" {
		c.CostExplorerRegion = contract.DefaultCostExplorerRegion
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = contract.DefaultMaxAttempts
	}
	if c.MaxAttempts < 1 {
		errs = append(errs, fmt.Errorf("max attempts %d must be at least 1: set %s", c.MaxAttempts, contract.EnvMaxAttempts))
	}
	return errors.Join(errs...)
}

// The clients the exporter calls; the SDK clients satisfy them.
type (
	CostExplorerAPI interface {
		GetCostAndUsage(context.Context, *costexplorer.GetCostAndUsageInput, ...func(*costexplorer.Options)) (*costexplorer.GetCostAndUsageOutput, error)
	}
	CloudWatchAPI interface {
		PutMetricData(context.Context, *cloudwatch.PutMetricDataInput, ...func(*cloudwatch.Options)) (*cloudwatch.PutMetricDataOutput, error)
	}
	SecretsAPI interface {
		GetSecretValue(context.Context, *secretsmanager.GetSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
	}
)

// Clients are the exporter's connections to the outside.
type Clients struct {
	CostExplorer CostExplorerAPI
	CloudWatch   CloudWatchAPI
	Secrets      SecretsAPI
	// HTTP posts to Slack and PagerDuty.
	HTTP *http.Client
}

// Exporter runs one day at a time. It is safe for sequential reuse across
// warm Lambda invocations (the alert secret is cached between them).
type Exporter struct {
	cfg Config
	c   Clients
	now func() time.Time
	log *slog.Logger

	mu     sync.Mutex
	secret *contract.AlertSecret
}

// Option adjusts an Exporter.
type Option func(*options)

type options struct {
	now     func() time.Time
	log     *slog.Logger
	http    *http.Client
	backoff func(attempt int, err error) (time.Duration, error)
}

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithLogger sets the logger (default: slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithHTTPClient sets the client for Slack and PagerDuty.
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.http = c } }

// WithRetryBackoff replaces the standard retryer's backoff delay (tests use
// zero so retried calls do not sleep); the retry decisions stay the SDK's.
func WithRetryBackoff(fn func(attempt int, err error) (time.Duration, error)) Option {
	return func(o *options) { o.backoff = fn }
}

func collect(opts []Option) options {
	o := options{now: time.Now, log: slog.Default()}
	for _, fn := range opts {
		fn(&o)
	}
	if o.http == nil {
		o.http = &http.Client{Timeout: 15 * time.Second}
	}
	return o
}

// New builds an exporter from clients (NewFromAWS builds the SDK ones).
func New(cfg Config, c Clients, opts ...Option) (*Exporter, error) {
	if err := cfg.withDefaults(); err != nil {
		return nil, fmt.Errorf("cost exporter config: %w", err)
	}
	if c.CostExplorer == nil || c.CloudWatch == nil || c.Secrets == nil {
		return nil, errors.New("cost exporter: Cost Explorer, CloudWatch and Secrets Manager clients are all required")
	}
	o := collect(opts)
	if c.HTTP == nil {
		c.HTTP = o.http
	}
	return &Exporter{cfg: cfg, c: c, now: o.now, log: o.log}, nil
}

// LastCompleteDay is the UTC day before the one now falls in.
func LastCompleteDay(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d-1, 0, 0, 0, 0, time.UTC)
}

// ParseDay reads a YYYY-MM-DD day as UTC midnight.
func ParseDay(s string) (time.Time, error) {
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("day %q: write it as YYYY-MM-DD, such as 2026-11-30", s)
	}
	return d, nil
}

// MetricTimestamp is the instant every data point of day is stamped with:
// the day's last minute, the same on every run (see the package doc).
func MetricTimestamp(day time.Time) time.Time { return day.Add(24*time.Hour - time.Minute) }

// checkDay refuses a day that has not ended: its costs are still partial.
func (e *Exporter) checkDay(day time.Time) error {
	if !day.Equal(day.UTC().Truncate(24 * time.Hour)) {
		return fmt.Errorf("day %s is not a UTC midnight: pass a day as YYYY-MM-DD", day.Format(time.RFC3339))
	}
	if last := LastCompleteDay(e.now()); day.After(last) {
		return fmt.Errorf("day %s has not ended yet (UTC): its Cost Explorer figures are partial; the last complete day is %s",
			day.Format(DateLayout), last.Format(DateLayout))
	}
	return nil
}

// checkPublishable refuses a day CloudWatch would reject as too old.
func (e *Exporter) checkPublishable(day time.Time) error {
	if age := e.now().Sub(MetricTimestamp(day)); age >= cloudWatchMaxAge {
		return fmt.Errorf("day %s is %d days old and CloudWatch accepts data points at most 14 days old: use --dry-run to see its costs",
			day.Format(DateLayout), int(age.Hours()/24))
	}
	return nil
}

// Report is what one run did; the Lambda handler returns it.
type Report struct {
	Day                string  `json:"day"`
	TotalUSD           float64 `json:"totalUsd"`
	BudgetUSD          float64 `json:"budgetUsd"`
	Services           int     `json:"services"`
	Estimated          bool    `json:"estimated"`
	PutMetricDataCalls int     `json:"putMetricDataCalls"`
	OverBudget         bool    `json:"overBudget"`
	SlackPosted        bool    `json:"slackPosted"`
	Paged              bool    `json:"paged"`
}

// Plan computes what a run for day would publish and send, calling only
// Cost Explorer. Run executes it; the CLI's --dry-run prints it.
func (e *Exporter) Plan(ctx context.Context, day time.Time) (*Plan, error) {
	if err := e.checkDay(day); err != nil {
		return nil, err
	}
	costs, err := e.fetch(ctx, day)
	if err != nil {
		return nil, err
	}
	p := &Plan{
		Day:       day.Format(DateLayout),
		TotalUSD:  costs.Total,
		BudgetUSD: e.cfg.DailyBudgetUSD,
		Estimated: costs.Estimated,
		Services:  byCost(costs.Services),
		batches:   batch(datums(costs), MaxDatumsPerCall, MaxRequestBytes),
	}
	if costs.Total > e.cfg.DailyBudgetUSD {
		msg := slackMessage(costs, e.cfg.DailyBudgetUSD)
		p.Slack = &msg
		if e.cfg.PageFactor > 0 && costs.Total > e.cfg.PageFactor*e.cfg.DailyBudgetUSD {
			ev := pagerDutyEvent(costs, e.cfg.DailyBudgetUSD, e.now())
			p.PagerDuty = &ev
		}
	}
	return p, nil
}

// Run publishes day's costs and sends the alerts it calls for.
func (e *Exporter) Run(ctx context.Context, day time.Time) (*Report, error) {
	if err := e.checkDay(day); err != nil {
		return nil, err
	}
	if err := e.checkPublishable(day); err != nil {
		return nil, err
	}
	p, err := e.Plan(ctx, day)
	if err != nil {
		return nil, err
	}
	rep := &Report{Day: p.Day, TotalUSD: p.TotalUSD, BudgetUSD: p.BudgetUSD, Services: len(p.Services),
		Estimated: p.Estimated, OverBudget: p.Slack != nil}
	notify := p.Slack != nil && !e.cfg.DisableNotifications
	var secret contract.AlertSecret
	if notify {
		// Read before publishing: a missing or malformed secret must fail
		// the run with nothing of the day published.
		if secret, err = e.alertSecret(ctx, p.PagerDuty != nil); err != nil {
			return nil, err
		}
	}
	if err := e.publish(ctx, p); err != nil {
		return nil, err
	}
	rep.PutMetricDataCalls = len(p.batches)
	e.log.Info("published daily costs", "day", p.Day, "totalUsd", p.TotalUSD, "services", len(p.Services),
		"calls", len(p.batches), "estimated", p.Estimated)
	if !notify {
		if p.Slack != nil {
			e.log.Warn("over budget, notifications disabled", "day", p.Day, "totalUsd", p.TotalUSD)
		}
		return rep, nil
	}
	// PagerDuty first: its dedup key makes a retried run harmless there, and
	// Slack, which has no dedup, is the last step, so a retry after any
	// failure never posts a second message for a first that went through.
	if p.PagerDuty != nil {
		ev := *p.PagerDuty
		ev.RoutingKey = secret.PagerDutyRoutingKey
		if err := e.postJSON(ctx, e.cfg.PagerDutyEventsURL, ev, http.StatusAccepted, "PagerDuty Events API"); err != nil {
			return rep, err
		}
		rep.Paged = true
	}
	if err := e.postJSON(ctx, secret.SlackWebhookURL, *p.Slack, http.StatusOK, "Slack webhook"); err != nil {
		return rep, err
	}
	rep.SlackPosted = true
	return rep, nil
}
