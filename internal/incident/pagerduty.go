package incident

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// pdEvent is an Events API v2 trigger
// (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/).
type pdEvent struct {
	RoutingKey  string    `json:"routing_key"`
	EventAction string    `json:"event_action"`
	DedupKey    string    `json:"dedup_key"`
	Payload     pdPayload `json:"payload"`
	Client      string    `json:"client,omitempty"`
	Links       []pdLink  `json:"links,omitempty"`
}

type pdPayload struct {
	Summary       string            `json:"summary"`
	Severity      string            `json:"severity"`
	Source        string            `json:"source"`
	Timestamp     string            `json:"timestamp,omitempty"`
	Component     string            `json:"component,omitempty"`
	Class         string            `json:"class,omitempty"`
	CustomDetails map[string]string `json:"custom_details,omitempty"`
}

type pdLink struct {
	Href string `json:"href"`
	Text string `json:"text"`
}

type pdResponse struct {
	Status   string   `json:"status"`
	Message  string   `json:"message"`
	DedupKey string   `json:"dedup_key"`
	Errors   []string `json:"errors"`
}

// pdMaxSummary is the Events API's limit on payload.summary.
const pdMaxSummary = 1024

// pageRetries are the waits before the page is sent again after a 429, a
// 5xx or a network error. The dedup_key makes a repeated trigger
// harmless, and the page is the one step worth waiting for.
var pageRetries = []time.Duration{time.Second, 3 * time.Second}

// page is the page step: trigger the team's PagerDuty service.
func (r *run) page(ctx context.Context) outcome {
	p := r.plan
	source := p.cfg.Source
	if source == "" {
		source = "klearkarma-observability"
	}
	summary := fmt.Sprintf("%s %s: %s", p.level.Severity, p.id, p.req.Description)
	if len(summary) > pdMaxSummary {
		summary = summary[:pdMaxSummary-3] + "..."
	}
	ev := pdEvent{
		RoutingKey: p.cfg.PagerDuty.RoutingKeys[p.req.Team], EventAction: "trigger", DedupKey: p.id,
		Payload: pdPayload{
			Summary: summary, Severity: p.level.PagerDutySeverity, Source: source,
			Timestamp: p.now.Format(time.RFC3339), Class: "incident", Component: p.req.Team,
			CustomDetails: map[string]string{
				"incident": p.id, "severity": string(p.level.Severity), "team": p.req.Team,
				"description": p.req.Description, "slack_channel": "#" + p.id,
				"response_time": p.level.ResponseTime, "escalation": p.level.Escalation,
			},
		},
		Client: "klearkarma incident tool",
	}
	for _, l := range r.res.Links {
		ev.Links = append(ev.Links, pdLink{Href: l.URL, Text: l.Name})
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return failed(fmt.Errorf("pagerduty: %w", err))
	}
	var last error
	for attempt := 0; ; attempt++ {
		retry, err := r.sendPage(ctx, body)
		if err == nil {
			return ok("triggered PagerDuty for team %s (dedup key %s, severity %s)", p.req.Team, p.id, p.level.PagerDutySeverity)
		}
		last = err
		if !retry || attempt >= len(pageRetries) {
			break
		}
		select {
		case <-ctx.Done():
			return failed(errors.Join(last, ctx.Err()))
		case <-time.After(pageRetries[attempt]):
		}
	}
	return failed(fmt.Errorf("%w. Fix: page the %s on-call engineer by hand (PagerDuty UI or phone) now", last, p.req.Team))
}

// sendPage POSTs one event; retry says whether sending again may help.
func (r *run) sendPage(ctx context.Context, body []byte) (retry bool, err error) {
	url := r.plan.cfg.PagerDuty.EventsURL
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return false, fmt.Errorf("pagerduty: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.plan.cfg.HTTPClient.Do(req)
	if err != nil {
		return ctx.Err() == nil, fmt.Errorf("pagerduty %s: %w", url, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var out pdResponse
	_ = json.Unmarshal(data, &out) // the status code decides; the body only explains
	switch {
	case resp.StatusCode == http.StatusAccepted || resp.StatusCode/100 == 2:
		return false, nil
	case resp.StatusCode == http.StatusTooManyRequests:
		return true, fmt.Errorf("pagerduty: rate limited (HTTP 429)")
	case resp.StatusCode >= 500:
		return true, fmt.Errorf("pagerduty: HTTP %s: %s", resp.Status, snippet(data))
	case resp.StatusCode == http.StatusBadRequest:
		return false, fmt.Errorf("pagerduty rejected the event (%s: %s %v); check the team's routing key", out.Status, out.Message, out.Errors)
	default:
		return false, fmt.Errorf("pagerduty: HTTP %s: %s", resp.Status, snippet(data))
	}
}
