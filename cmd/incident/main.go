// Command incident opens an incident the way the monitoring strategy's
// Incident Response Playbook says (package internal/incident does the
// work): it pages, creates the incident's Slack channel, announces it and
// gathers the first data into one folder, from the same stack
// configuration the platform is deployed from.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/klearkarma/observability/internal/incident"
	"github.com/klearkarma/observability/stacks"
)

// Environment variables: secrets never come from flags, which end up in
// shell history and ps.
const (
	envSlackToken = "SLACK_BOT_TOKEN"
	envRoutingKey = "PAGERDUTY_ROUTING_KEY"
	envKubeconfig = "KUBECONFIG"
)

// routingKeysOutput is the stack output with the Events API v2 keys by team.
const routingKeysOutput = "pagerdutyRoutingKeys"

const usageHead = `usage: incident --stack STACK --severity SEV-N --description "..." [--team TEAM] [flags]

Opens an incident per the Incident Response Playbook: names it
incident-YYYYMMDD-HHMM (UTC; also the Slack channel, the PagerDuty dedup key
and the folder), pages PagerDuty (SEV-1), creates the Slack channel,
announces it in the stack's critical channel and the team's (SEV-1, SEV-2),
and gathers pods, events and the last 30 minutes of logs of the stack's
application namespaces, a Prometheus snapshot (up, firing ALERTS) and links
to Grafana, Kibana and Jaeger into --out/<incident>/, with summary.md.

Severities (the playbook's response times and escalation):
%s
Order: page first, then channel, announcement, data. A failed step does not
stop the rest and nothing is undone; the exit status is 1 and the summary
says what failed. Bad input (exit 2) sends and writes nothing.

Needs:
  SLACK_BOT_TOKEN        bot token (xoxb-...) with channels:manage and chat:write
                         (chat:write.public, or invite the bot to the critical channel)
  PagerDuty routing key  SEV-1 only: --outputs FILE from
                           pulumi stack output --json --show-secrets -s STACK > FILE
                         (output pagerdutyRoutingKeys, team -> key), or
                         PAGERDUTY_ROUTING_KEY for the --team (wins over the file)
  Kubernetes access      --kubeconfig, KUBECONFIG, the stack's kubernetes.kubeconfig
                         or ~/.kube/config; the context defaults to the stack's
                         kubernetes.context. Read access to pods, pods/log, events.
  Prometheus             the stack's Prometheus and Thanos URLs are in-cluster and
                         not reachable from a laptop; port-forward Thanos Query:
                           kubectl port-forward -n monitoring svc/thanos-query 9090:9090
                         (-n is the stack's namespaces.monitoring) and pass
                         --prometheus-url http://127.0.0.1:9090; without it the
                         metric snapshots are skipped.

Flags:
`

// deps are what tests replace.
type deps struct {
	getenv  func(string) string
	newKube func(kubeconfig, kubeContext string, inline bool) (kubernetes.Interface, error)
	now     func() time.Time
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, deps{getenv: os.Getenv, newKube: newKube, now: time.Now}))
}

type options struct {
	projectDir, stack                    string
	severity, team, description, out     string
	outputsFile                          string
	kubeconfig, kubeContext              string
	noKube                               bool
	selector                             string
	prometheusURL, kibanaURL, grafanaURL string
	elasticsearchURL                     string
	jaegerURLs                           listFlag
	slackAPIURL, pagerDutyEventsURL      string
	logWindow                            time.Duration
	private, asJSON                      bool
}

type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, d deps) int {
	var o options
	fl := flag.NewFlagSet("incident", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprintf(stderr, usageHead, incident.SeverityHelp())
		fl.PrintDefaults()
	}
	fl.StringVar(&o.projectDir, "project-dir", ".", "directory holding Pulumi.yaml and Pulumi.<stack>.yaml")
	fl.StringVar(&o.stack, "stack", "", "stack whose configuration names the channels, namespaces and teams (required)")
	fl.StringVar(&o.severity, "severity", "", "SEV-1, SEV-2, SEV-3 or SEV-4 (required; see above)")
	fl.StringVar(&o.team, "team", "", "team that owns the incident (required for SEV-1: its on-call is paged)")
	fl.StringVar(&o.description, "description", "", "what is broken and for whom (required; the page summary)")
	fl.StringVar(&o.out, "out", defaultOut(), "directory the incident's folder is created in (kept outside the repository: the folder holds application logs)")
	fl.StringVar(&o.outputsFile, "outputs", "", "JSON `file` printed by pulumi stack output --json --show-secrets (for the PagerDuty routing keys)")
	fl.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig file (default: $KUBECONFIG, the stack's kubernetes.kubeconfig, ~/.kube/config)")
	fl.StringVar(&o.kubeContext, "context", "", "kubeconfig context (default: the stack's kubernetes.context, else the current one)")
	fl.BoolVar(&o.noKube, "no-kube", false, "open the incident without Kubernetes access (no pods, events or logs)")
	fl.StringVar(&o.selector, "selector", "", "label selector of the pods whose logs are gathered, e.g. app=api (default: all pods)")
	fl.StringVar(&o.prometheusURL, "prometheus-url", "", "Prometheus or Thanos Query URL reachable from here (see Prometheus above)")
	fl.StringVar(&o.kibanaURL, "kibana-url", "", "Kibana URL for the logs link (default: https://<kibana.ingressHost> when the stack sets it)")
	fl.StringVar(&o.grafanaURL, "grafana-url", "", "Grafana URL for the dashboards link (default: the stack's grafana.url or https://<grafana.ingressHost>)")
	fl.StringVar(&o.elasticsearchURL, "elasticsearch-url", "", "Elasticsearch URL for a ready search of the window's application logs")
	fl.Var(&o.jaegerURLs, "jaeger-url", "Jaeger UI URL for the traces link; repeat or comma-separate for the detailed and sampled tiers")
	fl.StringVar(&o.slackAPIURL, "slack-api-url", incident.DefaultSlackAPIURL, "Slack Web API base URL")
	fl.StringVar(&o.pagerDutyEventsURL, "pagerduty-events-url", "", "PagerDuty Events API v2 enqueue URL (default: by the stack's pagerduty.serviceRegion)")
	fl.DurationVar(&o.logWindow, "log-window", incident.DefaultLogWindow, "how far back logs, events and links reach")
	fl.BoolVar(&o.private, "private", false, "create the incident channel private (the bot needs groups:write)")
	fl.BoolVar(&o.asJSON, "json", false, "print the result as JSON on stdout; progress goes to stderr")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "incident: unexpected arguments %q: quote the description\n", fl.Args())
		return 2
	}

	cfg, req, hints, err := configure(o, d)
	if err != nil {
		fmt.Fprintf(stderr, "incident: %v\n", err)
		return 2
	}
	progress := stdout
	if o.asJSON {
		progress = stderr
	}
	for _, h := range hints {
		fmt.Fprintf(stderr, "incident: note: %s\n", h)
	}
	fmt.Fprintf(progress, "Opening %s %s (%s)...\n", req.Severity, incident.ID(cfg.Now()), req.Description)

	res, err := incident.Open(ctx, cfg, req)
	var ve *incident.ValidationError
	if errors.As(err, &ve) {
		fmt.Fprintf(stderr, "incident: %v\n", err)
		return 2
	}
	if res.ID == "" && err != nil {
		fmt.Fprintf(stderr, "incident: %v\n", err)
		return 1
	}
	printResult(progress, res)
	if o.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(res)
	}
	if err != nil {
		fmt.Fprintf(stderr, "\nincident: %v\n", err)
		return 1
	}
	return 0
}

func printResult(w io.Writer, res incident.Result) {
	for _, s := range res.Steps {
		line := fmt.Sprintf("  %-8s %-16s %s", "["+string(s.Status)+"]", s.Name, s.Detail)
		if s.Error != "" {
			line += " " + s.Error
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	fmt.Fprintf(w, "\nIncident %s opened; data in %s\n\nNext steps:\n", res.ID, res.Folder)
	for i, s := range res.NextSteps {
		fmt.Fprintf(w, "%d. %s\n", i+1, s)
	}
}

// configure reads the stack the platform deploys from, the outputs and
// the environment into the incident's Config. Every problem is reported
// at once.
func configure(o options, d deps) (cfg incident.Config, req incident.Request, hints []string, err error) {
	var errs []error
	sev, err := incident.ParseSeverity(o.severity)
	if err != nil {
		errs = append(errs, fmt.Errorf("--severity: %w", err))
	}
	req = incident.Request{Severity: sev, Team: o.team, Description: o.description}
	if o.stack == "" {
		errs = append(errs, errors.New("--stack is required: name the stack whose platform is affected (one of the Pulumi.<stack>.yaml files)"))
		return incident.Config{}, req, nil, fmt.Errorf("nothing was sent or written:\n  - %w", joinLines(errs))
	}
	stack, err := readStack(o.projectDir, o.stack)
	if err != nil {
		return incident.Config{}, req, nil, fmt.Errorf("nothing was sent or written:\n  - %w", joinLines(append(errs, err)))
	}
	cfg = stackConfig(o, d, stack)
	errs = append(errs, secrets(o, d, sev, stack, &cfg)...)
	errs = append(errs, kubeAccess(o, d, stack, &cfg)...)
	if len(errs) > 0 {
		return incident.Config{}, req, nil, fmt.Errorf("nothing was sent or written:\n  - %w", joinLines(errs))
	}
	if cfg.PrometheusURL == "" {
		hints = append(hints, fmt.Sprintf("no --prometheus-url: the metric snapshots are skipped; the stack's Thanos Query is in-cluster only: "+
			"run `kubectl port-forward -n %s svc/thanos-query 9090:9090` and pass --prometheus-url http://127.0.0.1:9090", firstNonEmpty(stack.Namespaces.Monitoring, "monitoring")))
	}
	return cfg, req, hints, nil
}

// stackConfig is the tool's configuration from the flags and the stack's
// config: channels, namespaces, URLs.
func stackConfig(o options, d deps, stack *stacks.Config) incident.Config {
	cfg := incident.Config{
		Slack: incident.SlackConfig{
			APIURL: o.slackAPIURL, BotToken: d.getenv(envSlackToken),
			AnnounceChannel: stack.Slack.Channels["critical"], TeamChannels: map[string]string{}, Private: o.private,
		},
		PagerDuty:          incident.PagerDutyConfig{EventsURL: o.pagerDutyEventsURL, RoutingKeys: map[string]string{}},
		Namespaces:         stack.Network.ApplicationNamespaces,
		PlatformNamespaces: platformNamespaces(stack.Namespaces),
		LabelSelector:      o.selector,
		LogWindow:          o.logWindow,
		PrometheusURL:      o.prometheusURL,
		KibanaURL:          o.kibanaURL,
		ElasticsearchURL:   o.elasticsearchURL,
		JaegerURLs:         o.jaegerURLs,
		GrafanaURL:         o.grafanaURL,
		OutputDir:          o.out,
		Source:             firstNonEmpty(stack.Cluster, stack.Environment, o.stack),
		Now:                d.now,
	}
	if cfg.ElasticsearchURL != "" {
		cfg.LogIndexPattern = applicationLogIndexPattern
	}
	for name, ch := range stack.Slack.Channels {
		if name != "critical" {
			cfg.Slack.TeamChannels[name] = ch
		}
	}
	cfg.Teams = teams(stack)
	if cfg.PagerDuty.EventsURL == "" {
		cfg.PagerDuty.EventsURL = incident.DefaultPagerDutyEventsURL
		if strings.EqualFold(stack.PagerDuty.ServiceRegion, "eu") {
			cfg.PagerDuty.EventsURL = incident.EUPagerDutyEventsURL
		}
	}
	if cfg.KibanaURL == "" && stack.Kibana.IngressHost != "" {
		cfg.KibanaURL = "https://" + stack.Kibana.IngressHost
	}
	if cfg.GrafanaURL == "" {
		cfg.GrafanaURL = stack.Grafana.URL
		if cfg.GrafanaURL == "" && stack.Grafana.IngressHost != "" {
			cfg.GrafanaURL = "https://" + stack.Grafana.IngressHost
		}
	}

	return cfg
}

// secrets fills the Slack token and the PagerDuty routing keys, from the
// environment and the stack's outputs only (never flags).
func secrets(o options, d deps, sev incident.Severity, stack *stacks.Config, cfg *incident.Config) []error {
	var errs []error
	if cfg.Slack.BotToken == "" {
		errs = append(errs, fmt.Errorf("%s is not set: export the Slack app's Bot User OAuth Token (xoxb-..., scopes channels:manage and chat:write); it is read from the environment only, never a flag", envSlackToken))
	}
	if o.outputsFile != "" {
		keys, err := readRoutingKeys(o.outputsFile, o.stack)
		if err != nil {
			errs = append(errs, err)
		}
		for team, key := range keys {
			cfg.PagerDuty.RoutingKeys[team] = key
		}
	}
	if key := d.getenv(envRoutingKey); key != "" {
		if o.team == "" {
			errs = append(errs, fmt.Errorf("%s is set but --team is not: name the team the key pages", envRoutingKey))
		} else {
			cfg.PagerDuty.RoutingKeys[o.team] = key
		}
	}
	if sev == incident.SEV1 && o.team != "" && cfg.PagerDuty.RoutingKeys[o.team] == "" {
		hint := fmt.Sprintf("a SEV-1 pages team %q: pass --outputs FILE from `pulumi stack output --json --show-secrets -s %s` (output %s), or set %s", o.team, o.stack, routingKeysOutput, envRoutingKey)
		if !stack.PagerDuty.Enabled {
			hint += fmt.Sprintf("; note pagerduty.enabled is false in Pulumi.%s.yaml, so the stack exports no keys", o.stack)
		}
		errs = append(errs, errors.New(hint))
	}

	return errs
}

// kubeAccess opens the client the data is gathered with.
func kubeAccess(o options, d deps, stack *stacks.Config, cfg *incident.Config) []error {
	var errs []error
	if !o.noKube {
		kubeconfig, inline := o.kubeconfig, false
		if kubeconfig == "" && d.getenv(envKubeconfig) == "" && stack.Kubernetes.Kubeconfig != "" {
			kubeconfig, inline = stackKubeconfig(o.projectDir, stack.Kubernetes.Kubeconfig)
		}
		kubeContext := firstNonEmpty(o.kubeContext, stack.Kubernetes.Context)
		kube, err := d.newKube(kubeconfig, kubeContext, inline)
		if err != nil {
			errs = append(errs, fmt.Errorf("kubernetes: %w. Fix: point --kubeconfig or %s at the cluster (context %q), or pass --no-kube to open the incident without pods and logs", err, envKubeconfig, kubeContext))
		} else {
			cfg.Kube = kube
		}
	}
	return errs
}

// applicationLogIndexPattern is where Fluentd writes application logs
// (components/elasticsearch ApplicationIndexPattern; not imported, so the
// command does not link the components).
const applicationLogIndexPattern = "logs-klearkarma.app-*"

func joinLines(errs []error) error {
	parts := make([]string, len(errs))
	for i, e := range errs {
		parts[i] = e.Error()
	}
	return errors.New(strings.Join(parts, "\n  - "))
}

// readStack parses Pulumi.<stack>.yaml exactly as the program does. The
// incident needs no secret of the stack, so absent ones are stood in for:
// Parse checks that secrets are present, not what they are.
func readStack(projectDir, stack string) (*stacks.Config, error) {
	file, err := stacks.ReadStackFile(projectDir, stack)
	if err != nil {
		return nil, err
	}
	src := stacks.MapSource{Values: map[string]string{}, Secrets: map[string]bool{}}
	for k, v := range file.Source.Values {
		src.Values[k] = v
	}
	for k, v := range file.Source.Secrets {
		src.Secrets[k] = v
	}
	for _, s := range stacks.SecretKeys {
		full := stacks.Namespace + ":" + s.Key
		if _, ok := src.Values[full]; !ok {
			src.Values[full], src.Secrets[full] = "unused-by-the-incident-tool", true
		}
	}
	cfg, err := stacks.Parse(stack, src, nil)
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

func platformNamespaces(n stacks.NamespacesConfig) []string {
	var out []string
	for _, ns := range []string{n.Monitoring, n.Logging, n.Tracing} {
		if ns != "" {
			out = append(out, ns)
		}
	}
	return out
}

// teams are the names a --team may take: the teams the alert rules route
// to, the stack's PagerDuty teams and its team Slack channels.
func teams(cfg *stacks.Config) []string {
	set := map[string]bool{}
	for _, t := range stacks.PagerDutyTeams {
		set[t] = true
	}
	for t := range cfg.PagerDuty.Teams {
		set[t] = true
	}
	for t := range cfg.Slack.Channels {
		if t != "critical" {
			set[t] = true
		}
	}
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// readRoutingKeys reads the routing keys from `pulumi stack output --json
// --show-secrets`.
func readRoutingKeys(path, stack string) (map[string]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--outputs: %w", err)
	}
	var outputs map[string]json.RawMessage
	if err := json.Unmarshal(raw, &outputs); err != nil {
		return nil, fmt.Errorf("--outputs %s is not the JSON of `pulumi stack output --json`: %w", path, err)
	}
	v, ok := outputs[routingKeysOutput]
	if !ok {
		return nil, nil
	}
	var masked string
	if json.Unmarshal(v, &masked) == nil {
		return nil, fmt.Errorf("--outputs %s: %s is %q: the outputs were printed without --show-secrets; run `pulumi stack output --json --show-secrets -s %s > %s`", path, routingKeysOutput, masked, stack, path)
	}
	var keys map[string]string
	if err := json.Unmarshal(v, &keys); err != nil {
		return nil, fmt.Errorf("--outputs %s: %s must map team to routing key: %w", path, routingKeysOutput, err)
	}
	for team, key := range keys {
		if key == "[secret]" {
			return nil, fmt.Errorf("--outputs %s: the key of team %s is masked: print the outputs with --show-secrets", path, team)
		}
	}
	return keys, nil
}

// stackKubeconfig interprets kubernetes.kubeconfig as the provider does: a
// kubeconfig's contents, or a path relative to the project.
func stackKubeconfig(projectDir, v string) (string, bool) {
	if strings.Contains(v, "\n") || strings.Contains(v, "apiVersion") {
		return v, true
	}
	if !filepath.IsAbs(v) && !strings.HasPrefix(v, "~") {
		v = filepath.Join(projectDir, v)
	}
	return v, false
}

// newKube builds a client from a kubeconfig path (empty: the default
// loading rules, $KUBECONFIG then ~/.kube/config) or contents.
func newKube(kubeconfig, kubeContext string, inline bool) (kubernetes.Interface, error) {
	var cc clientcmd.ClientConfig
	overrides := &clientcmd.ConfigOverrides{CurrentContext: kubeContext}
	if inline {
		raw, err := clientcmd.Load([]byte(kubeconfig))
		if err != nil {
			return nil, fmt.Errorf("the stack's kubernetes.kubeconfig: %w", err)
		}
		cc = clientcmd.NewDefaultClientConfig(*raw, overrides)
	} else {
		rules := clientcmd.NewDefaultClientConfigLoadingRules()
		if kubeconfig != "" {
			rules.ExplicitPath = kubeconfig
		}
		cc = clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides)
	}
	rc, err := cc.ClientConfig()
	if err != nil {
		return nil, err
	}
	rc.Timeout = 30 * time.Second
	rc.UserAgent = "klearkarma-incident"
	return kubernetes.NewForConfig(rc)
}

// defaultOut keeps incident folders out of the checkout (logs may hold
// personal data and must not be committed) and out of /tmp (the
// post-mortem needs them after a reboot).
func defaultOut() string {
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "klearkarma-incidents")
	}
	return "klearkarma-incidents"
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
