package alertmanager

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

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

// The seed's grouping and timing. Critical alerts skip the group wait and
// repeat often because PagerDuty de-duplicates by group key anyway.
var (
	groupBy                = []string{"alertname", "cluster", "service"}
	groupWait              = model.Duration(10 * time.Second)
	groupInterval          = model.Duration(10 * time.Second)
	repeatInterval         = model.Duration(time.Hour)
	criticalGroupWait      = model.Duration(0)
	criticalRepeatInterval = model.Duration(5 * time.Minute)
)

// Routing is what the route tree depends on: which integrations a stack
// enables and where they deliver. It holds no secret; credentials are files
// under the secrets directory handed to BuildConfig.
type Routing struct {
	PagerDuty PagerDutyRouting
	Slack     SlackRouting
	Email     EmailRouting
	// GrafanaURL is the base URL of Grafana (https://grafana.example.com),
	// used for links in notifications; empty leaves the links out.
	GrafanaURL string
	// ProductDashboardUID is the Grafana dashboard linked from product
	// emails; defaults to conventions.DashboardBusinessMetrics.
	ProductDashboardUID string
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
// and inhibit rule, with every credential referenced as a file under
// secretsDir (an absolute path), so the configuration itself holds no secret.
// A Routing with no integration enabled still yields a valid configuration
// whose receivers deliver nowhere.
func BuildConfig(r Routing, secretsDir string) (*config.Config, error) {
	if err := r.withDefaults(); err != nil {
		return nil, err
	}
	if !path.IsAbs(secretsDir) {
		return nil, fmt.Errorf("secrets directory %q must be an absolute path", secretsDir)
	}
	secretFile := func(key string) string { return path.Join(secretsDir, key) }

	critical := &config.Route{
		Receiver:       ReceiverCritical,
		Matchers:       matchers("severity", "critical"),
		GroupWait:      ptr(criticalGroupWait),
		RepeatInterval: ptr(criticalRepeatInterval),
	}
	receivers := []config.Receiver{
		{Name: ReceiverDefault, EmailConfigs: r.emails(r.Email.DefaultTo, defaultSubject, defaultBody, secretFile)},
		{
			Name:             ReceiverCritical,
			PagerdutyConfigs: r.pagers(secretFile(SecretKeyDefaultRoutingKey)),
			SlackConfigs:     r.slacks(r.Slack.Channels.Critical, criticalTitle, "danger", secretFile),
		},
	}
	teams := slices.Clone(r.PagerDuty.Teams)
	slices.Sort(teams)
	for _, team := range teams {
		critical.Routes = append(critical.Routes, &config.Route{Receiver: CriticalReceiver(team), Matchers: teamMatchers(conventions.Team(team))})
		receivers = append(receivers, config.Receiver{
			Name:             CriticalReceiver(team),
			PagerdutyConfigs: r.pagers(secretFile(SecretKeyRoutingKey(team))),
			SlackConfigs:     r.slacks(r.Slack.Channels.Critical, criticalTitle, "danger", secretFile),
		})
	}
	receivers = append(receivers,
		config.Receiver{Name: ReceiverBackend, SlackConfigs: r.slacks(r.Slack.Channels.Backend, teamTitle(conventions.TeamBackend), "warning", secretFile)},
		config.Receiver{Name: ReceiverInfrastructure, SlackConfigs: r.slacks(r.Slack.Channels.Infrastructure, teamTitle(conventions.TeamInfrastructure), "warning", secretFile)},
		config.Receiver{Name: ReceiverProduct, EmailConfigs: r.emails(r.Email.ProductTo, productSubject, r.productBody(), secretFile)},
	)

	return &config.Config{
		Route: &config.Route{
			Receiver:       ReceiverDefault,
			GroupByStr:     slices.Clone(groupBy),
			GroupWait:      ptr(groupWait),
			GroupInterval:  ptr(groupInterval),
			RepeatInterval: ptr(repeatInterval),
			Routes: []*config.Route{
				critical,
				{Receiver: ReceiverBackend, Matchers: teamMatchers(conventions.TeamBackend)},
				{Receiver: ReceiverInfrastructure, Matchers: teamMatchers(conventions.TeamInfrastructure)},
				{Receiver: ReceiverProduct, Matchers: teamMatchers(conventions.TeamProduct)},
			},
		},
		// A critical alert silences the warning of the same problem.
		InhibitRules: []amcommoncfg.InhibitRule{{
			SourceMatchers: matchers("severity", "critical"),
			TargetMatchers: matchers("severity", "warning"),
			Equal:          slices.Clone(groupBy),
		}},
		Receivers: receivers,
		Templates: []string{},
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

const (
	defaultSubject = "[Klear Karma] {{ .GroupLabels.alertname }}"
	defaultBody    = `{{ range .Alerts }}
Alert: {{ .Annotations.summary }}
Description: {{ .Annotations.description }}
Labels: {{ range .Labels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}
{{ end }}`
	productSubject = "[Product Alert] {{ .GroupLabels.alertname }}"
	criticalTitle  = "Critical Alert: {{ .GroupLabels.alertname }}"
	slackText      = `{{ .CommonAnnotations.description }}{{ if .CommonAnnotations.runbook_url }}
Runbook: {{ .CommonAnnotations.runbook_url }}{{ end }}`
	// PagerDuty Events v2 accepts critical, error, warning and info; the
	// alert's own severity label says which.
	pagerDutySeverity = `{{ if .CommonLabels.severity }}{{ .CommonLabels.severity | toLower }}{{ else }}critical{{ end }}`
)

func (r Routing) productBody() string {
	body := "{{ .CommonAnnotations.description }}\n"
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
		Description:    "{{ .GroupLabels.alertname }}: {{ .CommonAnnotations.summary }}",
		Severity:       pagerDutySeverity,
		Client:         "Klear Karma Alertmanager",
		Details:        map[string]any{"runbook_url": "{{ .CommonAnnotations.runbook_url }}"},
	}
	if r.GrafanaURL != "" {
		pd.ClientURL = r.GrafanaURL + "/alerting/list"
	}
	return []*pagerduty.PagerdutyConfig{pd}
}

// teamMatchers select a team's alerts by their team label.
func teamMatchers(t conventions.Team) amcommoncfg.Matchers { return matchers("team", string(t)) }

// teamTitle is the Slack title of a team's alerts.
func teamTitle(t conventions.Team) string { return t.Title() + " Alert: {{ .GroupLabels.alertname }}" }

// matchers is one equality matcher. Only regular-expression matchers need
// labels.NewMatcher (to compile); an equality matcher is plain data.
func matchers(name, value string) amcommoncfg.Matchers {
	return amcommoncfg.Matchers{&labels.Matcher{Type: labels.MatchEqual, Name: name, Value: value}}
}

func ptr[T any](v T) *T { return &v }
