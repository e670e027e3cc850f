package alertmanager

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/prometheus/alertmanager/config"
	amcommoncfg "github.com/prometheus/alertmanager/config/common"
	"github.com/prometheus/alertmanager/notify/email"
	"github.com/prometheus/alertmanager/notify/pagerduty"
	"github.com/prometheus/alertmanager/notify/slack"
	"github.com/prometheus/alertmanager/pkg/labels"
	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v2"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/conventions"
)

// Receiver names. Alert rules and amtool tests route by these, so they are
// part of the package's contract.
const (
	ReceiverDefault        = "default"
	ReceiverCritical       = "critical-alerts"
	ReceiverBackend        = string(conventions.TeamBackend) + "-team"
	ReceiverInfrastructure = string(conventions.TeamInfrastructure) + "-team"
	ReceiverProduct        = string(conventions.TeamProduct) + "-team"
	ReceiverPayments       = string(conventions.TeamPayments) + "-team"
)

// CriticalReceiver is the receiver that pages a team with its own PagerDuty
// routing key.
func CriticalReceiver(team string) string { return "critical-" + team }

// Secret keys: the file names under the secrets mount that the *_file
// fields point at. Each is present only when its integration is enabled.
const (
	SecretKeySlackWebhookURL     = "slack-webhook-url"
	SecretKeySMTPPassword        = "smtp-password"
	SecretKeyDefaultRoutingKey   = "pagerduty-routing-key-default"
	secretKeyRoutingKeyPrefix    = "pagerduty-routing-key-"
	reservedDefaultRoutingKeyFor = "default"
)

// SecretKeyRoutingKey is the secret key of a team's PagerDuty routing key.
func SecretKeyRoutingKey(team string) string { return secretKeyRoutingKeyPrefix + team }

// Grouping. A warning groups per alert and service, as the seed did, with
// the namespace so one environment's alerts never share a notification (and
// so a group's annotations are common). A page groups per service alone:
// the alerts one incident raises (the 5xx symptom, the availability burn
// rate) join one group, which is one PagerDuty incident (its dedup key),
// however far apart they start. inhibitEqual is what "the same service"
// means to the inhibit rules.
var (
	groupBy         = []string{"alertname", "cluster", "namespace", "service"}
	criticalGroupBy = []string{"cluster", "namespace", "service"}
	inhibitEqual    = []string{"cluster", "namespace", "service", "instance", "team"}
)

// Routing is what the route tree depends on: which integrations a stack
// enables and where they deliver. It holds no secret; credentials are files
// under the secrets directory handed to BuildConfig.
type Routing struct {
	PagerDuty PagerDutyRouting
	Slack     SlackRouting
	Email     EmailRouting
	// DeadMansSwitch sends the Watchdog to a heartbeat URL (deadmansswitch.go).
	DeadMansSwitch DeadMansSwitchRouting
	// GrafanaURL is the base URL of Grafana (https://grafana.example.com),
	// used for links in notifications; empty leaves the links out.
	GrafanaURL string
	// ProductDashboardUID is the Grafana dashboard linked from product
	// emails; defaults to conventions.DashboardBusinessMetrics.
	ProductDashboardUID string
	// Timings default to DefaultTimings(); New checks them against the
	// cluster's size (Timings.Check).
	Timings Timings
}

// PagerDutyRouting pages critical alerts through the Events API v2.
type PagerDutyRouting struct {
	Enabled bool
	// Teams have their own routing key; their critical alerts page them, and
	// every other critical alert pages the default routing key.
	Teams []string
}

// SlackRouting sends critical and team alerts to Slack.
type SlackRouting struct {
	Enabled  bool
	Channels SlackChannels
}

// SlackChannels are the channels of the routes that post to Slack.
type SlackChannels struct {
	Critical       string // e.g. "#alerts-critical"
	Backend        string // e.g. "#backend-alerts"
	Infrastructure string // e.g. "#infrastructure-alerts"
	Payments       string // e.g. "#payments-alerts"
}

// EmailRouting mails the default and the product routes.
type EmailRouting struct {
	Enabled   bool
	Smarthost string // host:port, e.g. "smtp.gmail.com:587"
	From      string
	Username  string
	DefaultTo string // receives every alert no team route takes
	ProductTo string // receives the product team's alerts
}

func (r *Routing) withDefaults() error {
	if r.ProductDashboardUID == "" {
		r.ProductDashboardUID = conventions.DashboardBusinessMetrics
	}
	r.Timings = r.Timings.orDefault()
	var errs []error
	if r.PagerDuty.Enabled || len(r.PagerDuty.Teams) > 0 {
		if !r.PagerDuty.Enabled {
			errs = append(errs, errors.New("routing.pagerDuty.teams is set but PagerDuty is disabled: enable PagerDuty or remove the teams"))
		}
		seen := map[string]bool{}
		for _, t := range r.PagerDuty.Teams {
			switch {
			case !check.IsDNSLabel(t): // a label value and a file name
				errs = append(errs, fmt.Errorf("routing.pagerDuty.teams: %q is not a team name: use lower-case letters, digits and '-'", t))
			case t == reservedDefaultRoutingKeyFor:
				errs = append(errs, fmt.Errorf("routing.pagerDuty.teams: %q is reserved for the default routing key: pass that key as DefaultRoutingKey", t))
			case seen[t]:
				errs = append(errs, fmt.Errorf("routing.pagerDuty.teams: %q is listed twice", t))
			}
			seen[t] = true
		}
	}
	if r.Slack.Enabled {
		ch := r.Slack.Channels
		for _, c := range []struct{ key, value string }{
			{"critical", ch.Critical}, {string(conventions.TeamBackend), ch.Backend}, {string(conventions.TeamInfrastructure), ch.Infrastructure},
			{string(conventions.TeamPayments), ch.Payments},
		} {
			if c.value == "" {
				errs = append(errs, fmt.Errorf("routing.slack.channels.%s is empty: set a channel such as #%s-alerts, or disable Slack", c.key, c.key))
			}
		}
	}
	if e := r.Email; e.Enabled {
		if host, port, err := net.SplitHostPort(e.Smarthost); err != nil || host == "" || port == "" {
			errs = append(errs, fmt.Errorf("routing.email.smarthost %q is not host:port: use a value such as smtp.gmail.com:587", e.Smarthost))
		}
		for _, f := range []struct{ key, value string }{
			{"from", e.From}, {"username", e.Username}, {"defaultTo", e.DefaultTo}, {"productTo", e.ProductTo},
		} {
			if f.value == "" {
				errs = append(errs, fmt.Errorf("routing.email.%s is empty: set it, or disable email", f.key))
			}
		}
	}
	if r.GrafanaURL != "" {
		u, err := url.Parse(r.GrafanaURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("routing.grafanaURL %q is not an http(s) URL: use a value such as https://grafana.example.com", r.GrafanaURL))
		}
		r.GrafanaURL = strings.TrimRight(r.GrafanaURL, "/")
	}
	return errors.Join(errs...)
}

// BuildConfig builds the Alertmanager configuration: the seed's route tree
// (with a route for payments) and inhibit rules, with every credential
// referenced as a file under secretsDir (an absolute path), so the
// configuration itself holds no secret. A Routing with no integration
// enabled still yields a valid configuration whose receivers deliver nowhere.
func BuildConfig(r Routing, secretsDir string) (*config.Config, error) {
	if err := r.withDefaults(); err != nil {
		return nil, err
	}
	if !path.IsAbs(secretsDir) {
		return nil, fmt.Errorf("secrets directory %q must be an absolute path", secretsDir)
	}
	secretFile := func(key string) string { return path.Join(secretsDir, key) }
	t := r.Timings
	inhibit, err := inhibitRules()
	if err != nil {
		return nil, fmt.Errorf("inhibit rules: %w", err)
	}
	critical, criticalReceivers := r.criticalRoute(secretFile)
	watchdog, heartbeat := r.deadMansSwitch(secretFile)
	receivers := append([]config.Receiver{
		{Name: ReceiverDefault, EmailConfigs: r.emails(r.Email.DefaultTo, defaultSubject, defaultBody, secretFile)},
	}, criticalReceivers...)
	receivers = append(receivers,
		heartbeat,
		config.Receiver{Name: ReceiverBackend, SlackConfigs: r.slacks(r.Slack.Channels.Backend, teamTitle(conventions.TeamBackend), "warning", secretFile)},
		config.Receiver{Name: ReceiverInfrastructure, SlackConfigs: r.slacks(r.Slack.Channels.Infrastructure, teamTitle(conventions.TeamInfrastructure), "warning", secretFile)},
		config.Receiver{Name: ReceiverProduct, EmailConfigs: r.emails(r.Email.ProductTo, productSubject, r.productBody(), secretFile)},
		config.Receiver{Name: ReceiverPayments, SlackConfigs: r.slacks(r.Slack.Channels.Payments, teamTitle(conventions.TeamPayments), "warning", secretFile)},
	)
	return &config.Config{
		Route: &config.Route{
			Receiver:       ReceiverDefault,
			GroupByStr:     slices.Clone(groupBy),
			GroupWait:      ptr(model.Duration(t.GroupWait)),
			GroupInterval:  ptr(model.Duration(t.GroupInterval)),
			RepeatInterval: ptr(model.Duration(t.RepeatInterval)),
			Routes: []*config.Route{
				watchdog,
				critical,
				{Receiver: ReceiverBackend, Matchers: teamMatchers(conventions.TeamBackend)},
				{Receiver: ReceiverInfrastructure, Matchers: teamMatchers(conventions.TeamInfrastructure)},
				{Receiver: ReceiverProduct, Matchers: teamMatchers(conventions.TeamProduct)},
				{Receiver: ReceiverPayments, Matchers: teamMatchers(conventions.TeamPayments)},
			},
		},
		InhibitRules: inhibit,
		Receivers:    receivers,
		Templates:    []string{},
	}, nil
}

// criticalRoute pages: the default routing key, or a team's own. It keeps
// the root's group interval (see Timings) and groups per service.
func (r Routing) criticalRoute(secretFile func(string) string) (*config.Route, []config.Receiver) {
	route := &config.Route{
		Receiver:       ReceiverCritical,
		Matchers:       matchers("severity", "critical"),
		GroupByStr:     slices.Clone(criticalGroupBy),
		GroupWait:      ptr(model.Duration(r.Timings.CriticalGroupWait)),
		RepeatInterval: ptr(model.Duration(r.Timings.CriticalRepeatInterval)),
	}
	receivers := []config.Receiver{{
		Name:             ReceiverCritical,
		PagerdutyConfigs: r.pagers(secretFile(SecretKeyDefaultRoutingKey)),
		SlackConfigs:     r.slacks(r.Slack.Channels.Critical, criticalTitle, "danger", secretFile),
	}}
	teams := slices.Clone(r.PagerDuty.Teams)
	slices.Sort(teams)
	for _, team := range teams {
		route.Routes = append(route.Routes, &config.Route{Receiver: CriticalReceiver(team), Matchers: teamMatchers(conventions.Team(team))})
		receivers = append(receivers, config.Receiver{
			Name:             CriticalReceiver(team),
			PagerdutyConfigs: r.pagers(secretFile(SecretKeyRoutingKey(team))),
			SlackConfigs:     r.slacks(r.Slack.Channels.Critical, criticalTitle, "danger", secretFile),
		})
	}
	return route, receivers
}

// inhibitRules keep one incident to its page. A page silences its team's
// warnings about the same thing (cluster, namespace, service, instance):
// the warning tier of the same alert (HighErrorRate at 1% under its 5%
// page), and between symptom and burn-rate alerts (an availability page
// silences the HighErrorRate warning, a HighErrorRate page the SLO
// tickets). The availability SLO silences the error_rate SLO's alerts: both
// measure 5xx over all requests, and availability's objective is ten times
// stricter, so error_rate burns only while availability does.
func inhibitRules() ([]amcommoncfg.InhibitRule, error) {
	availability, err := labels.NewMatcher(labels.MatchRegexp, "alertname", "AvailabilitySLO(Fast|Slow)Burn")
	if err != nil {
		return nil, err
	}
	errorRate, err := labels.NewMatcher(labels.MatchRegexp, "alertname", "ErrorRateSLO(Fast|Slow)Burn")
	if err != nil {
		return nil, err
	}
	return []amcommoncfg.InhibitRule{
		{
			SourceMatchers: matchers("severity", "critical"),
			TargetMatchers: matchers("severity", "warning"),
			Equal:          slices.Clone(inhibitEqual),
		},
		{
			SourceMatchers: amcommoncfg.Matchers{availability},
			TargetMatchers: amcommoncfg.Matchers{errorRate},
			Equal:          slices.Clone(inhibitEqual),
		},
	}, nil
}

// RenderConfig returns BuildConfig's configuration as deterministic YAML,
// checked by Alertmanager's own loader so an invalid configuration fails
// here rather than in a crash-looping pod.
func RenderConfig(r Routing, secretsDir string) (string, error) {
	cfg, err := BuildConfig(r, secretsDir)
	if err != nil {
		return "", err
	}
	// Alertmanager's own YAML marshaller, not encoding.YAML: its types'
	// json tags are incomplete (the tracing block has none), so only the
	// yaml tags round-trip. yaml.v2 sorts map keys and keeps struct order,
	// so the bytes are deterministic.
	b, err := yaml.Marshal(cfg)
	if err != nil {
		return "", fmt.Errorf("encode alertmanager configuration: %w", err)
	}
	out := string(b)
	if _, err := config.Load(out); err != nil {
		return "", fmt.Errorf("alertmanager rejects the generated configuration: %w", err)
	}
	return out, nil
}

// Templates. A group can hold several alerts (a page groups per service,
// and two alerts of one rule differ in their description's value), so the
// texts list every firing alert's description instead of the annotations
// common to all, which are empty as soon as two differ.
const (
	defaultSubject = "[Klear Karma] {{ .GroupLabels.alertname }}"
	defaultBody    = `{{ range .Alerts }}
Alert: {{ .Annotations.summary }}
Description: {{ .Annotations.description }}
Labels: {{ range .Labels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}
{{ end }}`
	productSubject = "[Product Alert] {{ .GroupLabels.alertname }}"
	// alertNames is the group's alert name, or each firing alert's when they
	// differ; a resolve has no firing alert left, so it names the resolved
	// ones (seen live: "checkout in klear-karma: " resolved the incident).
	alertNames    = `{{ if .CommonLabels.alertname }}{{ .CommonLabels.alertname }}{{ else if .Alerts.Firing }}{{ range $i, $a := .Alerts.Firing }}{{ if $i }}, {{ end }}{{ $a.Labels.alertname }}{{ end }}{{ else }}{{ range $i, $a := .Alerts.Resolved }}{{ if $i }}, {{ end }}{{ $a.Labels.alertname }}{{ end }}{{ end }}`
	criticalTitle = "Critical Alert: " + alertNames
	descriptions  = `{{ range .Alerts.Firing }}{{ .Annotations.description }}
{{ end }}`
	slackText = `{{ range .Alerts.Firing }}{{ .Annotations.description }}{{ if .Annotations.runbook_url }}
Runbook: {{ .Annotations.runbook_url }}{{ end }}
{{ end }}`
	// pagerDutySummary says where and what: "checkout in klear-karma:
	// AvailabilitySLOFastBurn, HighErrorRate".
	pagerDutySummary = `{{ with .GroupLabels.service }}{{ . }} in {{ end }}{{ .GroupLabels.namespace }}{{ with .CommonLabels.instance }} on {{ . }}{{ end }}: ` + alertNames
	// PagerDuty Events v2 accepts critical, error, warning and info; the
	// alert's own severity label says which.
	pagerDutySeverity = `{{ if .CommonLabels.severity }}{{ .CommonLabels.severity | toLower }}{{ else }}critical{{ end }}`
	runbooks          = `{{ range .Alerts.Firing }}{{ .Annotations.runbook_url }} {{ end }}`
)

func (r Routing) productBody() string {
	body := descriptions
	if r.GrafanaURL != "" {
		body += "Dashboard: " + r.GrafanaURL + "/d/" + r.ProductDashboardUID + "\n"
	}
	return body
}

func (r Routing) emails(to, subject, text string, secretFile func(string) string) []*email.EmailConfig {
	if !r.Email.Enabled {
		return nil
	}
	host, port, _ := net.SplitHostPort(r.Email.Smarthost) // validated in withDefaults
	return []*email.EmailConfig{{
		To:               to,
		From:             r.Email.From,
		Smarthost:        amcommoncfg.HostPort{Host: host, Port: port},
		AuthUsername:     r.Email.Username,
		AuthPasswordFile: secretFile(SecretKeySMTPPassword),
		Headers:          map[string]string{"Subject": subject},
		Text:             text,
	}}
}

func (r Routing) slacks(channel, title, color string, secretFile func(string) string) []*slack.SlackConfig {
	if !r.Slack.Enabled {
		return nil
	}
	sc := &slack.SlackConfig{
		APIURLFile: secretFile(SecretKeySlackWebhookURL),
		Channel:    channel,
		Title:      title,
		Text:       slackText,
		Color:      color,
	}
	if r.GrafanaURL != "" {
		sc.TitleLink = r.GrafanaURL + "/alerting/list"
	}
	return []*slack.SlackConfig{sc}
}

func (r Routing) pagers(routingKeyFile string) []*pagerduty.PagerdutyConfig {
	if !r.PagerDuty.Enabled {
		return nil
	}
	pd := &pagerduty.PagerdutyConfig{
		NotifierConfig: amcommoncfg.NotifierConfig{VSendResolved: true}, // resolves the incident
		RoutingKeyFile: routingKeyFile,
		Description:    pagerDutySummary,
		Severity:       pagerDutySeverity,
		Client:         "Klear Karma Alertmanager",
		// Alertmanager adds the firing and resolved alerts as JSON.
		Details: map[string]any{"description": descriptions, "runbook_url": runbooks},
	}
	if r.GrafanaURL != "" {
		pd.ClientURL = r.GrafanaURL + "/alerting/list"
	}
	return []*pagerduty.PagerdutyConfig{pd}
}

// teamMatchers select a team's alerts by their team label.
func teamMatchers(t conventions.Team) amcommoncfg.Matchers { return matchers("team", string(t)) }

// teamTitle is the Slack title of a team's alerts.
func teamTitle(t conventions.Team) string { return t.Title() + " Alert: " + alertNames }

// matchers is one equality matcher. Only regular-expression matchers need
// labels.NewMatcher (to compile); an equality matcher is plain data.
func matchers(name, value string) amcommoncfg.Matchers {
	return amcommoncfg.Matchers{&labels.Matcher{Type: labels.MatchEqual, Name: name, Value: value}}
}

func ptr[T any](v T) *T { return &v }
