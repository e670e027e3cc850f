package incident

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/kubernetes"
)

// Default endpoints of the hosted services.
const (
	DefaultSlackAPIURL        = "https://slack.com/api"
	DefaultPagerDutyEventsURL = "https://events.pagerduty.com/v2/enqueue"
	// EUPagerDutyEventsURL is the Events API of accounts in PagerDuty's EU
	// service region.
	EUPagerDutyEventsURL = "https://events.eu.pagerduty.com/v2/enqueue"
	// DefaultLogWindow is the playbook's "recent logs" (kubectl logs --since=30m).
	DefaultLogWindow = 30 * time.Minute
	// DefaultLogLimitBytes caps each container's log file, so one chatty pod
	// cannot fill the disk of the laptop the incident is opened from.
	DefaultLogLimitBytes = 5 << 20
)

// Config is everything Open needs, as plain values. The command fills it
// from the stack's configuration and outputs; tests point it at fakes.
type Config struct {
	Slack     SlackConfig
	PagerDuty PagerDutyConfig

	// Teams, when set, are the only team names a Request may carry.
	Teams []string

	// Kube reads pods, events and logs. Nil skips those steps (the incident
	// is still opened and paged).
	Kube kubernetes.Interface
	// Namespaces are the application namespaces: their pods, warning events
	// and recent logs are gathered.
	Namespaces []string
	// PlatformNamespaces (monitoring, logging, tracing) get pods and events
	// only: they tell whether the observability platform itself is healthy.
	PlatformNamespaces []string
	// LabelSelector narrows the pods whose logs are gathered (the script
	// used app=api); empty gathers every pod's logs.
	LabelSelector string
	// LogWindow is how far back logs, events and links reach; 0 means
	// DefaultLogWindow.
	LogWindow time.Duration
	// LogLimitBytes caps each container's log; 0 means DefaultLogLimitBytes.
	LogLimitBytes int64

	// PrometheusURL is a Prometheus or Thanos Query base URL reachable from
	// here; empty skips the metrics snapshot.
	PrometheusURL string
	// KibanaURL, ElasticsearchURL (with LogIndexPattern), JaegerURLs and
	// GrafanaURL become links for the incident's time window when set.
	KibanaURL        string
	ElasticsearchURL string
	LogIndexPattern  string
	JaegerURLs       []string
	GrafanaURL       string

	// OutputDir is where the incident's folder (OutputDir/<id>) is created.
	OutputDir string
	// Source is the PagerDuty payload source (e.g. the cluster name).
	Source string

	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// HTTPClient sends the Slack, PagerDuty and Prometheus requests; nil
	// means a client with a 20 s timeout.
	HTTPClient *http.Client
}

// SlackConfig is the Slack Web API side.
type SlackConfig struct {
	// APIURL is the Web API base; empty means DefaultSlackAPIURL.
	APIURL string
	// BotToken (xoxb-...) needs the channels:manage and chat:write scopes.
	BotToken string
	// AnnounceChannel gets the SEV-1/SEV-2 announcement (the stack's
	// critical channel). The bot must be a member, or have chat:write.public.
	AnnounceChannel string
	// TeamChannels are the teams' alert channels; the requesting team's
	// channel also gets the announcement.
	TeamChannels map[string]string
	// Private creates the incident channel private (needs groups:write).
	Private bool
}

// PagerDutyConfig is the Events API v2 side.
type PagerDutyConfig struct {
	// EventsURL is the enqueue endpoint; empty means DefaultPagerDutyEventsURL.
	EventsURL string
	// RoutingKeys are the Events API v2 integration keys by team.
	RoutingKeys map[string]string
}

// Request is one incident to open.
type Request struct {
	Severity    Severity
	Description string
	// Team owns the incident: its routing key is paged (SEV-1) and its
	// Slack channel announced to. Required for SEV-1.
	Team string
}

// Problem is one thing wrong with a Config or Request, with its fix.
type Problem struct {
	Field   string
	Problem string
	Fix     string
}

func (p Problem) Error() string { return fmt.Sprintf("%s: %s. Fix: %s", p.Field, p.Problem, p.Fix) }

// ValidationError lists every problem found before anything was done.
type ValidationError struct{ Problems []Problem }

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "incident not opened, %d problem(s); nothing was sent or written:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap exposes each problem to errors.As.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

type problems []Problem

func (ps *problems) add(field, problem, fix string) {
	*ps = append(*ps, Problem{Field: field, Problem: problem, Fix: fix})
}

// plan is a validated Config and Request with defaults filled.
type plan struct {
	cfg      Config
	req      Request
	level    Level
	now      time.Time
	id       string
	folder   string
	selector labels.Selector
}

// validate checks everything Open will rely on, without side effects.
func validate(cfg Config, req Request) (*plan, error) {
	var ps problems
	p := &plan{cfg: cfg, req: req}
	p.validateRequest(&ps)
	p.validateSlack(&ps)
	p.validatePagerDuty(&ps)
	p.validateData(&ps)
	p.validateOutput(&ps)
	if len(ps) > 0 {
		return nil, &ValidationError{Problems: ps}
	}
	return p, nil
}

// validateRequest checks the severity, description and team.
func (p *plan) validateRequest(ps *problems) {
	cfg, req := p.cfg, p.req
	level, ok := LevelOf(req.Severity)
	if !ok {
		ps.add("severity", fmt.Sprintf("%q is not a severity", req.Severity), "use one of "+severityNames()+" (see the severity table in the help)")
	}
	p.level = level
	p.req.Description = strings.TrimSpace(req.Description)
	if p.req.Description == "" {
		ps.add("description", "is empty", "say what is broken and for whom: it becomes the page summary and the channel's first message")
	}
	if len(cfg.Teams) > 0 && req.Team != "" && !contains(cfg.Teams, req.Team) {
		ps.add("team", fmt.Sprintf("%q is not a known team", req.Team), "use one of "+strings.Join(sorted(cfg.Teams), ", "))
	}

}

// validateSlack: every severity creates a channel.
func (p *plan) validateSlack(ps *problems) {
	cfg, req, level := p.cfg, p.req, p.level
	if cfg.Slack.APIURL == "" {
		p.cfg.Slack.APIURL = DefaultSlackAPIURL
	}
	checkURL(ps, "slack API URL", p.cfg.Slack.APIURL)
	checkSecret(ps, "Slack bot token", cfg.Slack.BotToken,
		"give a Slack bot token (xoxb-...) of an app with the channels:manage and chat:write scopes")
	// A SEV-2's announcement is its notification, so it must have somewhere
	// to go; a SEV-1 is announced where configured, but its page must not
	// wait for a Slack channel setting.
	if level.Announce && !level.Page {
		if cfg.Slack.AnnounceChannel == "" && cfg.Slack.TeamChannels[req.Team] == "" {
			ps.add("slack channels", fmt.Sprintf("%s is announced in Slack but no channel is configured", req.Severity),
				"configure the critical channel (slack.channels.critical) or the team's channel")
		}
	}

}

// validatePagerDuty: only SEV-1 pages, and then the key must be there.
func (p *plan) validatePagerDuty(ps *problems) {
	cfg, req, level := p.cfg, p.req, p.level
	if cfg.PagerDuty.EventsURL == "" {
		p.cfg.PagerDuty.EventsURL = DefaultPagerDutyEventsURL
	}
	if level.Page {
		checkURL(ps, "PagerDuty events URL", p.cfg.PagerDuty.EventsURL)
		switch {
		case req.Team == "":
			ps.add("team", fmt.Sprintf("%s pages a team's on-call engineer but no team was given", req.Severity),
				"name the team that owns the failing service"+teamsHint(cfg.PagerDuty.RoutingKeys))
		case cfg.PagerDuty.RoutingKeys[req.Team] == "":
			ps.add("PagerDuty routing key", fmt.Sprintf("team %q has no Events API v2 routing key", req.Team),
				"give the team's integration key (the stack output pagerdutyRoutingKeys holds them)"+teamsHint(cfg.PagerDuty.RoutingKeys))
		default:
			checkSecret(ps, "PagerDuty routing key", cfg.PagerDuty.RoutingKeys[req.Team], "give the team's Events API v2 integration key")
		}
	}

}

// validateData checks where the data is gathered from.
func (p *plan) validateData(ps *problems) {
	cfg := p.cfg
	if cfg.Kube != nil {
		if len(cfg.Namespaces) == 0 {
			ps.add("namespaces", "no application namespace is configured", "list the application namespaces (network.applicationNamespaces)")
		}
		for _, ns := range append(append([]string{}, cfg.Namespaces...), cfg.PlatformNamespaces...) {
			if errs := validation.IsDNS1123Label(ns); len(errs) > 0 {
				ps.add("namespaces", fmt.Sprintf("%q is not a namespace name: %s", ns, strings.Join(errs, "; ")), "correct the namespace name")
			}
		}
	}
	sel, err := labels.Parse(cfg.LabelSelector)
	if err != nil {
		ps.add("label selector", err.Error(), "write it as kubectl -l takes it, e.g. app=api or app in (api,web)")
	}
	p.selector = sel
	if p.cfg.LogWindow == 0 {
		p.cfg.LogWindow = DefaultLogWindow
	} else if p.cfg.LogWindow < 0 {
		ps.add("log window", fmt.Sprintf("%s is negative", cfg.LogWindow), "give a positive duration such as 30m")
	}
	if p.cfg.LogLimitBytes == 0 {
		p.cfg.LogLimitBytes = DefaultLogLimitBytes
	}
	for _, u := range []struct{ name, v string }{
		{"Prometheus URL", cfg.PrometheusURL}, {"Kibana URL", cfg.KibanaURL},
		{"Elasticsearch URL", cfg.ElasticsearchURL}, {"Grafana URL", cfg.GrafanaURL},
	} {
		if u.v != "" {
			checkURL(ps, u.name, u.v)
		}
	}
	for _, u := range cfg.JaegerURLs {
		checkURL(ps, "Jaeger URL", u)
	}
	if cfg.ElasticsearchURL != "" && cfg.LogIndexPattern == "" {
		ps.add("log index pattern", "is empty while an Elasticsearch URL is set", "give the application logs' index pattern, e.g. logs-klearkarma.app-*")
	}

}

// validateOutput names the incident and checks its folder.
func (p *plan) validateOutput(ps *problems) {
	cfg := p.cfg
	if p.cfg.Now == nil {
		p.cfg.Now = time.Now
	}
	p.now = p.cfg.Now().UTC()
	p.id = ID(p.now)
	if cfg.OutputDir == "" {
		ps.add("output directory", "is empty", "give the directory the incident's folder is created in")
	} else {
		p.folder = filepath.Join(cfg.OutputDir, p.id)
		if _, err := os.Lstat(p.folder); err == nil {
			ps.add("output directory", fmt.Sprintf("%s already exists (an incident was opened in this minute)", p.folder),
				"join that incident's channel, or move the folder away and run again")
		} else if !errors.Is(err, os.ErrNotExist) {
			ps.add("output directory", err.Error(), "give a directory you can write to")
		}
	}
	if p.cfg.HTTPClient == nil {
		p.cfg.HTTPClient = &http.Client{Timeout: 20 * time.Second}
	}

}

func checkURL(ps *problems, name, raw string) {
	u, err := url.Parse(raw)
	if err != nil {
		ps.add(name, fmt.Sprintf("%q is not a URL: %v", raw, err), "give an absolute http(s) URL")
		return
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		ps.add(name, fmt.Sprintf("%q is not an absolute http(s) URL", raw), "give it with scheme and host, e.g. https://host:port")
	}
}

// checkSecret catches the usual copy-paste damage; the value is never
// printed.
func checkSecret(ps *problems, name, v, fix string) {
	switch {
	case v == "":
		ps.add(name, "is empty", fix)
	case strings.ContainsAny(v, " \t\r\n"):
		ps.add(name, "contains whitespace", "copy it again without spaces or a trailing newline")
	}
}

func teamsHint(keys map[string]string) string {
	if len(keys) == 0 {
		return ""
	}
	teams := make([]string, 0, len(keys))
	for t := range keys {
		teams = append(teams, t)
	}
	return "; teams with a key: " + strings.Join(sorted(teams), ", ")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}
