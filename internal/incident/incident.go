package incident

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"
)

// ID names an incident opened at t: incident-YYYYMMDD-HHMM in UTC. It is a
// valid Slack channel name, PagerDuty dedup key and folder name.
func ID(t time.Time) string { return "incident-" + t.UTC().Format("20060102-1504") }

// Status is a step's outcome.
type Status string

// Step outcomes.
const (
	StatusOK      Status = "ok"
	StatusFailed  Status = "failed"
	StatusSkipped Status = "skipped"
)

// Step names, in the order Open runs them.
const (
	StepPage           = "page"
	StepChannel        = "channel"
	StepAnnounce       = "announce"
	StepChannelMessage = "channel-message"
	StepPods           = "pods"
	StepLogs           = "logs"
	StepMetrics        = "metrics-up"
	StepAlerts         = "alerts-firing"
	StepSummary        = "summary"
)

// Step is one thing Open did, or tried to.
type Step struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Channel is the incident's Slack channel.
type Channel struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
}

// Link is a URL for the incident's time window.
type Link struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// Result is what Open did. It is filled even when Open returns a
// *PartialError.
type Result struct {
	ID           string    `json:"id"`
	Severity     Severity  `json:"severity"`
	Team         string    `json:"team,omitempty"`
	Description  string    `json:"description"`
	ResponseTime string    `json:"responseTime"`
	Escalation   string    `json:"escalation"`
	Opened       time.Time `json:"opened"`
	// WindowStart is where logs, events and links begin (Opened - LogWindow).
	WindowStart time.Time `json:"windowStart"`
	Folder      string    `json:"folder"`
	// Channel.ID is empty when the channel was not created.
	Channel Channel  `json:"channel"`
	Steps   []Step   `json:"steps"`
	Links   []Link   `json:"links,omitempty"`
	Files   []string `json:"files,omitempty"` // relative to Folder
	// NextSteps are the playbook's next actions for this incident.
	NextSteps []string `json:"nextSteps"`
}

// Step returns the named step's outcome.
func (r Result) Step(name string) (Step, bool) {
	for _, s := range r.Steps {
		if s.Name == name {
			return s, true
		}
	}
	return Step{}, false
}

// Failed lists the steps that failed.
func (r Result) Failed() []Step {
	var out []Step
	for _, s := range r.Steps {
		if s.Status == StatusFailed {
			out = append(out, s)
		}
	}
	return out
}

// PartialError says the incident is open but some steps failed; the
// Result says which, and nothing done was undone.
type PartialError struct {
	ID     string
	Failed []Step
}

func (e *PartialError) Error() string {
	parts := make([]string, len(e.Failed))
	for i, s := range e.Failed {
		parts[i] = s.Name + ": " + s.Error
	}
	return fmt.Sprintf("incident %s is open but %d step(s) failed (nothing was undone): %s", e.ID, len(e.Failed), strings.Join(parts, "; "))
}

// Open opens the incident described by req; see the package doc for the
// order of the steps and what happens when one fails. A *ValidationError
// means nothing was done; a *PartialError comes with a Result saying what
// was.
func Open(ctx context.Context, cfg Config, req Request) (Result, error) {
	p, err := validate(cfg, req)
	if err != nil {
		return Result{}, err
	}
	if err := os.MkdirAll(p.cfg.OutputDir, 0o755); err != nil {
		return Result{}, fmt.Errorf("incident not opened, nothing was sent: create %s: %w; give another output directory", p.cfg.OutputDir, err)
	}
	// 0700: the folder holds application logs, which may hold personal data.
	if err := os.Mkdir(p.folder, 0o700); err != nil {
		return Result{}, fmt.Errorf("incident not opened, nothing was sent: create %s: %w; give another output directory", p.folder, err)
	}

	r := &run{plan: p, res: Result{
		ID: p.id, Severity: p.req.Severity, Team: p.req.Team, Description: p.req.Description,
		ResponseTime: p.level.ResponseTime, Escalation: p.level.Escalation,
		Opened: p.now, WindowStart: p.now.Add(-p.cfg.LogWindow), Folder: p.folder,
		Channel: Channel{Name: p.id},
	}}
	r.slack = slackClient{base: strings.TrimRight(p.cfg.Slack.APIURL, "/"), token: p.cfg.Slack.BotToken, http: p.cfg.HTTPClient}
	r.res.Links = links(p)

	if p.level.Page {
		r.record(StepPage, r.page(ctx))
	}
	r.record(StepChannel, r.createChannel(ctx))
	if p.level.Announce {
		r.record(StepAnnounce, r.announce(ctx))
	}
	r.record(StepChannelMessage, r.channelMessage(ctx))
	r.record(StepPods, r.pods(ctx))
	r.record(StepLogs, r.logs(ctx))
	r.record(StepMetrics, r.promSnapshot(ctx, "up", "metrics-up.json", summarizeUp))
	r.record(StepAlerts, r.promSnapshot(ctx, `ALERTS{alertstate="firing"}`, "alerts-firing.json", summarizeAlerts))
	r.res.NextSteps = nextSteps(p, r.res)
	r.record(StepSummary, r.writeSummary())

	if failed := r.res.Failed(); len(failed) > 0 {
		return r.res, &PartialError{ID: p.id, Failed: failed}
	}
	return r.res, nil
}

// run is one Open call's state.
type run struct {
	plan  *plan
	res   Result
	slack slackClient
	// pods are the application pods listed by the pods step, for logs.
	appPods []podRef
	// podsListed is false when listing failed or was skipped.
	podsListed bool
}

type outcome struct {
	status Status
	detail string
	err    error
}

func ok(format string, a ...any) outcome {
	return outcome{status: StatusOK, detail: fmt.Sprintf(format, a...)}
}
func skipped(format string, a ...any) outcome {
	return outcome{status: StatusSkipped, detail: fmt.Sprintf(format, a...)}
}
func failed(err error) outcome { return outcome{status: StatusFailed, err: err} }

func (r *run) record(name string, o outcome) {
	s := Step{Name: name, Status: o.status, Detail: o.detail}
	if o.err != nil {
		s.Error = o.err.Error()
	}
	r.res.Steps = append(r.res.Steps, s)
}

// addFile notes a file written into the folder.
func (r *run) addFile(rel string) { r.res.Files = append(r.res.Files, rel) }
