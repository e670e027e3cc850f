package incident

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// nextSteps are the playbook's next actions, made concrete for this
// incident; a failed step comes first with what to do by hand.
func nextSteps(p *plan, res Result) []string {
	var out []string
	if s, found := res.Step(StepPage); found && s.Status == StatusFailed {
		out = append(out, fmt.Sprintf("THE PAGE FAILED: call the %s on-call engineer now (PagerDuty UI or phone).", p.req.Team))
	}
	if res.Channel.ID != "" {
		out = append(out, fmt.Sprintf("Join #%s and invite the responders.", res.Channel.Name))
	} else {
		out = append(out, fmt.Sprintf("The channel was not created: create #%s by hand (or join it if it exists) and invite the responders.", res.Channel.Name))
	}
	if s, found := res.Step(StepAnnounce); found && s.Status == StatusFailed {
		out = append(out, "The announcement did not reach every channel ("+s.Error+"): tell the stakeholders by hand.")
	}
	if p.level.Page {
		out = append(out, "Acknowledge the page in PagerDuty.")
	}
	out = append(out,
		fmt.Sprintf("Respond within %s; escalation %s if it is not resolved.", p.level.ResponseTime, p.level.Escalation),
		"Review the gathered data in "+res.Folder+" (summary.md lists the files).",
		"Check the monitoring dashboards and the firing alerts (alerts-firing.json).",
		"Review recent deployments: kubectl rollout history deployment -n "+strings.Join(orDefault(p.cfg.Namespaces, "<namespace>"), ", -n ")+".",
		"Analyze logs and traces (links in summary.md); implement a temporary fix if possible.",
		"After resolution: verify, watch for regression, update stakeholders, and hold the post-mortem within 24-48 hours.",
	)
	return out
}

func orDefault(s []string, d string) []string {
	if len(s) == 0 {
		return []string{d}
	}
	return s
}

// writeSummary is the summary step: summary.md for people, result.json for
// tools, and the Elasticsearch search body when Elasticsearch is linked.
const summaryDetail = "wrote summary.md and result.json"

func (r *run) writeSummary() outcome {
	var errs []error
	if r.plan.cfg.ElasticsearchURL != "" {
		if q, err := esQuery(r.plan.cfg.Namespaces, r.res.WindowStart, r.res.Opened); err != nil {
			errs = append(errs, err)
		} else if err := r.writeFile(esQueryFile, q); err != nil {
			errs = append(errs, err)
		}
	}
	res := r.res
	res.Files = append(append([]string{}, r.res.Files...), "summary.md", "result.json")
	// The summary step's outcome is known only once it is written; the
	// files say so rather than leave it out.
	res.Steps = append(append([]Step{}, r.res.Steps...), Step{Name: StepSummary, Status: StatusOK, Detail: summaryDetail})
	if err := r.writeFile("summary.md", []byte(summaryMarkdown(res))); err != nil {
		errs = append(errs, err)
	}
	raw, err := json.MarshalIndent(res, "", "  ")
	if err == nil {
		err = r.writeFile("result.json", append(raw, '\n'))
	}
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return failed(errors.Join(errs...))
	}
	return ok(summaryDetail)
}

func summaryMarkdown(res Result) string {
	l, _ := LevelOf(res.Severity)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s (%s)\n\n", res.ID, res.Severity, l.Name)
	fmt.Fprintf(&b, "- Opened: %s\n", res.Opened.Format(time.RFC3339))
	fmt.Fprintf(&b, "- Description: %s\n", res.Description)
	if res.Team != "" {
		fmt.Fprintf(&b, "- Team: %s\n", res.Team)
	}
	fmt.Fprintf(&b, "- Respond within: %s; escalation: %s\n", res.ResponseTime, res.Escalation)
	fmt.Fprintf(&b, "- Slack channel: #%s", res.Channel.Name)
	if res.Channel.ID == "" {
		b.WriteString(" (not created)")
	}
	fmt.Fprintf(&b, "\n- Data window: %s to %s\n", res.WindowStart.Format(time.RFC3339), res.Opened.Format(time.RFC3339))

	b.WriteString("\n## Steps\n\n| step | status | detail |\n|---|---|---|\n")
	for _, s := range res.Steps {
		d := s.Detail
		if s.Error != "" {
			d = strings.TrimSpace(d + " " + s.Error)
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", s.Name, s.Status, strings.ReplaceAll(strings.ReplaceAll(d, "\n", " "), "|", "\\|"))
	}
	if len(res.Links) > 0 {
		b.WriteString("\n## Links\n\n")
		for _, lk := range res.Links {
			fmt.Fprintf(&b, "- [%s](%s)\n", lk.Name, lk.URL)
		}
	}
	b.WriteString("\n## Files\n\n")
	for _, f := range res.Files {
		fmt.Fprintf(&b, "- %s\n", f)
	}
	b.WriteString("\n## Next steps\n\n")
	for i, s := range res.NextSteps {
		fmt.Fprintf(&b, "%d. %s\n", i+1, s)
	}
	return b.String()
}
