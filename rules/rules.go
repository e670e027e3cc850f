package rules

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	"go.yaml.in/yaml/v3"

	"github.com/klearkarma/observability/components/blackbox"
	"github.com/klearkarma/observability/internal/check"
)

// probeJob is the Prometheus probe job's name (components/prometheus
// ProbeJob; that package imports this one in its tests, so the name is
// repeated here and a test holds the two together).
const probeJob = "blackbox"

// Severities and teams the alerts carry. Alertmanager routes on them, so they
// are exported for the Alertmanager configuration and its route tests.
const (
	SeverityCritical = "critical"
	SeverityWarning  = "warning"

	TeamBackend        = "backend"
	TeamInfrastructure = "infrastructure"
	TeamProduct        = "product"
	TeamPayments       = "payments"
)

// Options are what differs between deployments of the same rules. Thresholds
// and `for` durations are not options: they are the monitoring strategy's
// decisions and live with the rules below.
type Options struct {
	// RunbookBaseURL is the absolute http(s) URL the runbooks live under. An
	// alert's runbook_url is RunbookBaseURL/<alert name in lower case>.
	RunbookBaseURL string
	// LocalRetention is how long the Prometheus that evaluates the rules
	// keeps its data. It must cover LongestWindow(): the rules run in
	// Prometheus and read only what it holds (SLO.md, "Where the rules run").
	LocalRetention time.Duration
}

// Check states the options' rules; the fields are named runbookBaseURL and
// localRetention.
func (o Options) Check() check.Problems {
	ps := o.CheckRunbook()
	return append(ps, CheckLocalRetention(o.LocalRetention)...)
}

// CheckLocalRetention requires the evaluating Prometheus to keep at least
// the longest window any rule reads; the field is named localRetention. A
// shorter retention does not fail an evaluation: a 30-day average over 15
// days of data quietly becomes a 15-day average, and the error budget it
// reports is wrong.
func CheckLocalRetention(d time.Duration) check.Problems {
	var ps check.Problems
	longest, rule := longestWindow()
	switch {
	case d <= 0:
		ps.Add("localRetention", "is not set", fmt.Sprintf("set it to at least %s, the longest window the rules read", promDuration(longest)))
	case d < longest:
		ps.Add("localRetention", fmt.Sprintf("%s is shorter than the %s window %s reads", promDuration(d), promDuration(longest), rule),
			fmt.Sprintf("keep at least %s locally: the rules run in Prometheus and read only its local data", promDuration(longest)))
	}
	return ps
}

// CheckRunbook states the runbook URL's rule; the field is named runbookBaseURL.
func (o Options) CheckRunbook() check.Problems {
	var ps check.Problems
	if o.RunbookBaseURL == "" {
		ps.Add("runbookBaseURL", "is empty", "set it to the absolute URL the runbooks live under, e.g. https://runbooks.klearkarma.com/alerts")
		return ps
	}
	u, err := url.Parse(o.RunbookBaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		ps.Add("runbookBaseURL", fmt.Sprintf("%q is not an absolute http(s) URL without query or fragment", o.RunbookBaseURL),
			"use a URL such as https://runbooks.klearkarma.com/alerts")
	}
	return ps
}

func (o Options) validate() error {
	if err := o.Check().Err(); err != nil {
		return fmt.Errorf("options: %w", err)
	}
	return nil
}

func (o Options) runbookURL(alert string) string {
	return strings.TrimRight(o.RunbookBaseURL, "/") + "/" + strings.ToLower(alert)
}

type recordingRule struct {
	record string
	expr   string
	// labels are static labels the rule adds to what it records.
	labels map[string]string
	// by are the labels the recorded series keep from the expression. With
	// labels they form the catalog entry other queries are checked against.
	by   []string
	help string
}

func (r recordingRule) metric() Metric {
	ls := append(slices.Clone(r.by), slices.Collect(maps.Keys(r.labels))...)
	slices.Sort(ls)
	return Metric{Name: r.record, Type: Gauge, Help: r.help, Labels: ls, Source: SourceRecordingRule}
}

type alertingRule struct {
	alert       string
	expr        string
	forDuration time.Duration
	severity    string
	team        string
	// teamFromSeries leaves team off the rule's labels: the alert keeps the
	// team label of the series it fires on (the probe alerts, whose series
	// carry the probed application's team from the stack's probes list).
	teamFromSeries bool
	summary        string
	description    string
}

type ruleGroup struct {
	name    string
	records []recordingRule
	alerts  []alertingRule
}

// lines joins an expression's lines, so that long PromQL stays readable in
// the source and in the generated YAML alike.
func lines(l ...string) string { return strings.Join(l, "\n") }

// ruleGroups are the seed's application.rules and business.rules, corrected
// (CATALOG.md says what changed and why), preceded by the recording rules
// they read. Recording rules sit in groups of their own so that dashboards
// can rely on them whether or not any alert does; within a group they are
// ordered so that a rule only reads rules evaluated before it.
var ruleGroups = []ruleGroup{
	{
		name: "application.recording",
		// Technical rules aggregate per (namespace, service): a failing
		// service must not hide behind a busy healthy one, and Alertmanager
		// groups by service.
		records: []recordingRule{
			{
				record: "namespace_service:http_requests:rate5m",
				expr:   `sum by (namespace, service) (rate(http_requests_total[5m]))`,
				by:     []string{"namespace", "service"},
				help:   "HTTP requests per second, over 5 minutes.",
			},
			{
				// The `or ... * 0` gives 0 rather than no data for a service
				// that serves traffic but has never returned a 5xx (the
				// client only creates a labelled series on first use).
				record: "namespace_service:http_requests_5xx:rate5m",
				expr: lines(
					`sum by (namespace, service) (rate(http_requests_total{status_code=~"5.."}[5m]))`,
					`  or`,
					`namespace_service:http_requests:rate5m * 0`,
				),
				by:   []string{"namespace", "service"},
				help: "HTTP requests per second that returned a 5xx status, over 5 minutes; 0 when there were requests but no 5xx.",
			},
			{
				// Without traffic the seed's ratio was 0/0 = NaN; `> 0` on the
				// denominator yields no sample instead.
				record: "namespace_service:http_requests_5xx:ratio_rate5m",
				expr: lines(
					`namespace_service:http_requests_5xx:rate5m`,
					`  /`,
					`(namespace_service:http_requests:rate5m > 0)`,
				),
				by:   []string{"namespace", "service"},
				help: "Share of HTTP requests that returned a 5xx status, over 5 minutes; absent without traffic.",
			},
			{
				record: "namespace_service_le:http_request_duration_seconds_bucket:rate5m",
				expr:   `sum by (namespace, service, le) (rate(http_request_duration_seconds_bucket[5m]))`,
				by:     []string{"le", "namespace", "service"},
				help:   "HTTP request duration histogram buckets per second, over 5 minutes; any quantile can be computed from it.",
			},
			{
				// Without traffic every bucket rate is 0 and
				// histogram_quantile returns NaN; the `and` keeps only
				// services that served requests.
				record: "namespace_service_quantile:http_request_duration_seconds:histogram_quantile",
				expr: lines(
					`histogram_quantile(0.95, namespace_service_le:http_request_duration_seconds_bucket:rate5m)`,
					`  and on (namespace, service)`,
					`(namespace_service_le:http_request_duration_seconds_bucket:rate5m{le="+Inf"} > 0)`,
				),
				labels: map[string]string{"quantile": "0.95"},
				by:     []string{"namespace", "service"},
				help:   "95th percentile HTTP request duration over 5 minutes (quantile=\"0.95\"); absent without traffic.",
			},
		},
	},
	{
		name: "business.recording",
		// Business rules aggregate per namespace: the outcome matters, not
		// which service produced it, and namespaces keep environments that
		// share a cluster apart.
		records: []recordingRule{
			{
				record: "namespace:payment_attempts:rate5m",
				expr:   `sum by (namespace) (rate(payment_attempts_total[5m]))`,
				by:     []string{"namespace"},
				help:   "Payment attempts per second, over 5 minutes.",
			},
			{
				record: "namespace:payment_attempts_failed:rate5m",
				expr: lines(
					`sum by (namespace) (rate(payment_attempts_total{status="failed"}[5m]))`,
					`  or`,
					`namespace:payment_attempts:rate5m * 0`,
				),
				by:   []string{"namespace"},
				help: "Failed payment attempts per second, over 5 minutes; 0 when there were attempts but no failure.",
			},
			{
				record: "namespace:payment_attempts_failed:ratio_rate5m",
				expr: lines(
					`namespace:payment_attempts_failed:rate5m`,
					`  /`,
					`(namespace:payment_attempts:rate5m > 0)`,
				),
				by:   []string{"namespace"},
				help: "Share of payment attempts that failed, over 5 minutes; absent without attempts.",
			},
			{
				record: "namespace_service_type:bookings_created:increase1h",
				expr:   `sum by (namespace, service_type) (increase(bookings_created_total[1h]))`,
				by:     []string{"namespace", "service_type"},
				help:   "Bookings created in the last hour, per service type.",
			},
			{
				record: "namespace_currency:revenue:increase1h",
				expr:   `sum by (namespace, currency) (increase(revenue_total[1h]))`,
				by:     []string{"currency", "namespace"},
				help:   "Revenue in the last hour, per currency (amounts in different currencies never add up).",
			},
		},
	},
	{
		name: "application.rules",
		alerts: []alertingRule{
			{
				alert:       "HighErrorRate",
				expr:        `namespace_service:http_requests_5xx:ratio_rate5m > 0.05`,
				forDuration: 2 * time.Minute,
				severity:    SeverityCritical,
				team:        TeamBackend,
				summary:     "High HTTP error rate",
				description: "{{ $value | humanizePercentage }} of HTTP requests to {{ $labels.service }} in {{ $labels.namespace }} failed with a 5xx status over the last 5 minutes (threshold 5%).",
			},
			{
				// The warning tier of the same alert: the error_rate SLO's
				// "< 1%", held for 5 minutes, goes to the team's channel.
				// Under one name with the page, Alertmanager's inhibit rule
				// (critical silences warning of the same alert and service)
				// keeps a >5% incident to the page alone.
				alert:       "HighErrorRate",
				expr:        `namespace_service:http_requests_5xx:ratio_rate5m > 0.01`,
				forDuration: 5 * time.Minute,
				severity:    SeverityWarning,
				team:        TeamBackend,
				summary:     "Elevated HTTP error rate",
				description: "{{ $value | humanizePercentage }} of HTTP requests to {{ $labels.service }} in {{ $labels.namespace }} failed with a 5xx status over the last 5 minutes (warning at 1%, page at 5%).",
			},
			{
				alert:       "HighResponseTime",
				expr:        `namespace_service_quantile:http_request_duration_seconds:histogram_quantile{quantile="0.95"} > 2`,
				forDuration: 5 * time.Minute,
				severity:    SeverityWarning,
				team:        TeamBackend,
				summary:     "High HTTP response time",
				description: "The 95th percentile HTTP response time of {{ $labels.service }} in {{ $labels.namespace }} is {{ $value | humanizeDuration }} over the last 5 minutes (threshold 2s).",
			},
			{
				// Summed over the service's pods: the database's connection
				// limit is shared by all of them.
				alert:       "DatabaseConnectionHigh",
				expr:        `sum by (namespace, service) (active_connections) > 80`,
				forDuration: 3 * time.Minute,
				severity:    SeverityWarning,
				team:        TeamBackend,
				summary:     "High database connection count",
				description: "{{ $labels.service }} in {{ $labels.namespace }} holds {{ $value | humanize }} database connections across its pods (threshold 80).",
			},
			{
				// container!="" drops the pod-level cgroup, container!="POD"
				// the pause container; `> 0` on the limit drops containers
				// without a limit, whose ratio would be +Inf and always fire.
				// max by () keeps one series per container across restarts.
				alert: "HighMemoryUsage",
				expr: lines(
					`max by (namespace, pod, container) (container_memory_working_set_bytes{container!="", container!="POD"})`,
					`  /`,
					`max by (namespace, pod, container) (container_spec_memory_limit_bytes{container!="", container!="POD"} > 0)`,
					`> 0.9`,
				),
				forDuration: 5 * time.Minute,
				severity:    SeverityWarning,
				team:        TeamInfrastructure,
				summary:     "Container close to its memory limit",
				description: "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit (threshold 90%); it is OOM-killed at 100%.",
			},
			{
				// The value is the share that is free; the seed's text called
				// it "full".
				alert: "DiskSpaceLow",
				expr: lines(
					`node_filesystem_avail_bytes{mountpoint="/"}`,
					`  /`,
					`node_filesystem_size_bytes{mountpoint="/"}`,
					`< 0.1`,
				),
				forDuration: 5 * time.Minute,
				severity:    SeverityCritical,
				team:        TeamInfrastructure,
				summary:     "Low disk space",
				description: "Only {{ $value | humanizePercentage }} of the root filesystem ({{ $labels.device }}) on {{ $labels.instance }} is free (threshold 10%).",
			},
			{
				// The strategy's health endpoints, probed by the blackbox
				// exporter. /health/detailed counts through its
				// availability module only: its strict module fails on
				// "degraded" too, which is EndpointDegraded's business.
				alert: "EndpointDown",
				expr: lines(
					`probe_success{job="` + probeJob + `", module=~"` + blackbox.ModuleHTTP2xx + `|` + blackbox.ModuleHealthAvailable + `"} == 0`,
				),
				forDuration:    2 * time.Minute,
				severity:       SeverityCritical,
				teamFromSeries: true,
				summary:        "Health endpoint failing",
				description:    "{{ $labels.endpoint }} of {{ $labels.service }} ({{ $labels.instance }}) has failed every probe for 2 minutes (module {{ $labels.module }}): it answers with an error status, says unhealthy, or does not answer within the probe's timeout.",
			},
			{
				// Degraded is the one state in which /health/detailed's two
				// modules disagree: available (200, not unhealthy) but not
				// healthy.
				alert: "EndpointDegraded",
				expr: lines(
					`probe_success{job="`+probeJob+`", module="`+blackbox.ModuleHealthAvailable+`"} == 1`,
					`  and on (instance)`,
					`probe_success{job="`+probeJob+`", module="`+blackbox.ModuleHealthHealthy+`"} == 0`,
				),
				forDuration:    10 * time.Minute,
				severity:       SeverityWarning,
				teamFromSeries: true,
				summary:        "Application reports itself degraded",
				description:    "{{ $labels.service }} has reported status degraded at {{ $labels.instance }} for 10 minutes: it still serves, but a dependency it can do without (the strategy's example: Redis) or its memory check is failing.",
			},
		},
	},
	{
		name: "business.rules",
		alerts: []alertingRule{
			{
				// Relies on the application initialising
				// bookings_created_total at 0 per service_type: an absent
				// counter would make sum() empty and the alert silent in
				// exactly the hour with no bookings at all.
				alert:       "LowBookingRate",
				expr:        `sum by (namespace) (namespace_service_type:bookings_created:increase1h) < 10`,
				forDuration: 30 * time.Minute,
				severity:    SeverityWarning,
				team:        TeamProduct,
				summary:     "Low booking rate",
				description: "Only {{ $value | humanize }} bookings were created in {{ $labels.namespace }} in the last hour (threshold 10).",
			},
			{
				alert:       "HighPaymentFailureRate",
				expr:        `namespace:payment_attempts_failed:ratio_rate5m > 0.1`,
				forDuration: 5 * time.Minute,
				severity:    SeverityCritical,
				team:        TeamPayments,
				summary:     "High payment failure rate",
				description: "{{ $value | humanizePercentage }} of payment attempts in {{ $labels.namespace }} failed over the last 5 minutes (threshold 10%).",
			},
		},
	},
}

// allRuleGroups are the seed's groups, one group per SLO, then the
// platform's own (platform.go).
func allRuleGroups() []ruleGroup {
	return slices.Concat(ruleGroups, sloGroups(), platformGroups())
}

// Groups returns the recording and alerting rule groups, then the SLO
// groups (`slo:<name>`, see SLO.md), then the platform's own
// (`platform.*`, platform.go). Every expression is
// checked against the catalog; an undeclared metric or label is an error
// naming the group and the rule.
func Groups(opts Options) (rulefmt.RuleGroups, error) {
	if err := opts.validate(); err != nil {
		return rulefmt.RuleGroups{}, fmt.Errorf("rules: %w", err)
	}
	var (
		out  rulefmt.RuleGroups
		errs []error
	)
	for _, g := range allRuleGroups() {
		rg := rulefmt.RuleGroup{Name: g.name}
		for _, r := range g.records {
			if err := checkRuleExpr(r.expr); err != nil {
				errs = append(errs, fmt.Errorf("rules: group %q, recording rule %q: %w", g.name, r.record, err))
			}
			rg.Rules = append(rg.Rules, rulefmt.Rule{
				Record: r.record,
				Expr:   r.expr,
				Labels: maps.Clone(r.labels),
			})
		}
		for _, a := range g.alerts {
			if err := checkRuleExpr(a.expr); err != nil {
				errs = append(errs, fmt.Errorf("rules: group %q, alert %q: %w", g.name, a.alert, err))
			}
			labels := map[string]string{"severity": a.severity, "team": a.team}
			if a.teamFromSeries {
				delete(labels, "team")
			}
			rg.Rules = append(rg.Rules, rulefmt.Rule{
				Alert:  a.alert,
				Expr:   a.expr,
				For:    model.Duration(a.forDuration),
				Labels: labels,
				Annotations: map[string]string{
					"summary":     a.summary,
					"description": a.description,
					"runbook_url": opts.runbookURL(a.alert),
				},
			})
		}
		out.Groups = append(out.Groups, rg)
	}
	if len(errs) > 0 {
		return rulefmt.RuleGroups{}, errors.Join(errs...)
	}
	return out, nil
}

// YAML serialises groups as a Prometheus rule file: the same groups always
// give the same bytes (struct fields in declaration order, map keys sorted,
// no timestamps). The result is checked with rulefmt.Parse, the loader
// Prometheus itself uses, so a file that Prometheus would refuse never leaves
// this function.
func YAML(groups rulefmt.RuleGroups) (string, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(groups); err != nil {
		return "", fmt.Errorf("rules: encode yaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return "", fmt.Errorf("rules: encode yaml: %w", err)
	}
	logger := slog.New(slog.DiscardHandler)
	if _, errs := rulefmt.Parse(buf.Bytes(), false, model.LegacyValidation, newParser(), logger); len(errs) > 0 {
		return "", fmt.Errorf("rules: the generated rule file does not load: %w", errors.Join(errs...))
	}
	return buf.String(), nil
}

// newParser is the PromQL parser with Prometheus's default features, as a
// server without feature flags runs it.
func newParser() parser.Parser { return parser.NewParser(parser.Options{}) }
