package exporter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/klearkarma/observability/functions/costexporter/contract"
)

// breakdownLines caps the Slack breakdown: the seed listed every service,
// which for a large account is a wall of near-zero lines; the rest are
// summed into one line so the figures still add up to the total.
const breakdownLines = 25

// SlackMessage is the seed's message (legacy attachments), field for field.
type SlackMessage struct {
	Text        string            `json:"text"`
	Attachments []SlackAttachment `json:"attachments"`
}

// SlackAttachment is one attachment block.
type SlackAttachment struct {
	Color  string       `json:"color,omitempty"`
	Title  string       `json:"title,omitempty"`
	Text   string       `json:"text,omitempty"`
	Fields []SlackField `json:"fields,omitempty"`
}

// SlackField is one title/value pair.
type SlackField struct {
	Title string `json:"title"`
	Value string `json:"value"`
	Short bool   `json:"short"`
}

// usd formats like the seed's `$${x.toFixed(2)}`, with the sign in front
// of the dollar sign and no negative zero.
func usd(x float64) string {
	cents := math.Round(x * 100)
	if cents == 0 {
		return "$0.00"
	}
	if cents < 0 {
		return fmt.Sprintf("-$%.2f", -cents/100)
	}
	return fmt.Sprintf("$%.2f", cents/100)
}

func slackMessage(c DayCosts, budget float64) SlackMessage {
	sorted := byCost(c.Services)
	lines := make([]string, 0, breakdownLines+1)
	for i, s := range sorted {
		if i == breakdownLines {
			var rest float64
			for _, r := range sorted[i:] {
				rest += r.USD
			}
			lines = append(lines, fmt.Sprintf("%d more services: %s", len(sorted)-i, usd(rest)))
			break
		}
		lines = append(lines, s.Service+": "+usd(s.USD))
	}
	return SlackMessage{
		Text: fmt.Sprintf("🚨 Daily cost budget exceeded! (%s, UTC)", c.Day.Format(DateLayout)),
		Attachments: []SlackAttachment{
			{Color: "danger", Fields: []SlackField{
				{Title: "Actual Cost", Value: usd(c.Total), Short: true},
				{Title: "Budget", Value: usd(budget), Short: true},
				{Title: "Overage", Value: usd(c.Total - budget), Short: true},
			}},
			{Title: "Cost Breakdown", Text: strings.Join(lines, "\n")},
		},
	}
}

// PagerDutyEvent is an Events API v2 trigger.
type PagerDutyEvent struct {
	RoutingKey  string           `json:"routing_key"`
	EventAction string           `json:"event_action"`
	DedupKey    string           `json:"dedup_key"`
	Payload     PagerDutyPayload `json:"payload"`
}

// PagerDutyPayload is the event's payload (Events API v2 field names).
type PagerDutyPayload struct {
	Summary       string           `json:"summary"`
	Source        string           `json:"source"`
	Severity      string           `json:"severity"`
	Timestamp     string           `json:"timestamp"`
	Component     string           `json:"component"`
	Group         string           `json:"group"`
	Class         string           `json:"class"`
	CustomDetails PagerDutyDetails `json:"custom_details"`
}

// PagerDutyDetails are the figures behind the page.
type PagerDutyDetails struct {
	Day         string   `json:"day"`
	Total       string   `json:"total"`
	Budget      string   `json:"budget"`
	Overage     string   `json:"overage"`
	TimesBudget string   `json:"times_budget"`
	TopServices []string `json:"top_services"`
}

// DedupKey is one per day: every run and retry for a day updates the same
// PagerDuty alert instead of opening another incident.
func DedupKey(day time.Time) string { return "klearkarma-daily-cost-" + day.Format(DateLayout) }

func pagerDutyEvent(c DayCosts, budget float64, now time.Time) PagerDutyEvent {
	top := []string{}
	for i, s := range byCost(c.Services) {
		if i == 5 {
			break
		}
		top = append(top, s.Service+": "+usd(s.USD))
	}
	times := fmt.Sprintf("%.2f", c.Total/budget)
	return PagerDutyEvent{
		EventAction: "trigger",
		DedupKey:    DedupKey(c.Day),
		Payload: PagerDutyPayload{
			Summary: fmt.Sprintf("AWS spend on %s (UTC) was %s, %sx the daily budget of %s",
				c.Day.Format(DateLayout), usd(c.Total), times, usd(budget)),
			Source:    "aws-cost-explorer",
			Severity:  "critical",
			Timestamp: now.UTC().Format(time.RFC3339),
			Component: "costexporter",
			Group:     "aws-costs",
			Class:     "daily-cost-over-budget",
			CustomDetails: PagerDutyDetails{
				Day: c.Day.Format(DateLayout), Total: usd(c.Total), Budget: usd(budget),
				Overage: usd(c.Total - budget), TimesBudget: times, TopServices: top,
			},
		},
	}
}

// alertSecret reads the secret once per warm container; a failed post
// drops it (forget) so a rotated webhook is picked up by the retry.
func (e *Exporter) alertSecret(ctx context.Context, needPagerDuty bool) (contract.AlertSecret, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.secret == nil {
		if e.cfg.AlertSecretARN == "" {
			return contract.AlertSecret{}, fmt.Errorf("the day is over budget but no alert secret is configured: set %s (the CLI's --secret-arn), or --no-notify to publish metrics only", contract.EnvAlertSecretARN)
		}
		out, err := e.c.Secrets.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(e.cfg.AlertSecretARN)})
		if err != nil {
			return contract.AlertSecret{}, fmt.Errorf("secrets manager GetSecretValue %s: %w (the role needs secretsmanager:GetSecretValue on it)", e.cfg.AlertSecretARN, err)
		}
		var s contract.AlertSecret
		dec := json.NewDecoder(strings.NewReader(aws.ToString(out.SecretString)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			// The message names the field, never the value.
			return contract.AlertSecret{}, fmt.Errorf("secret %s is not the JSON object {\"slackWebhookUrl\": ..., \"pagerDutyRoutingKey\": ...}: %v", e.cfg.AlertSecretARN, jsonProblem(err))
		}
		if err := checkWebhook(s.SlackWebhookURL); err != nil {
			return contract.AlertSecret{}, fmt.Errorf("secret %s: slackWebhookUrl %w", e.cfg.AlertSecretARN, err)
		}
		e.secret = &s
	}
	if needPagerDuty && e.secret.PagerDutyRoutingKey == "" {
		return contract.AlertSecret{}, fmt.Errorf("the day calls for a page but secret %s has no pagerDutyRoutingKey: add one, or set %s=0 to turn paging off", e.cfg.AlertSecretARN, contract.EnvPageFactor)
	}
	return *e.secret, nil
}

func (e *Exporter) forgetSecret() {
	e.mu.Lock()
	e.secret = nil
	e.mu.Unlock()
}

func jsonProblem(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("invalid JSON at byte %d", syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Sprintf("field %q has the wrong type", typ.Field)
	}
	return err.Error() // unknown field: names the field only
}

// checkWebhook accepts https, and http only to loopback (local fakes).
func checkWebhook(raw string) error {
	if raw == "" {
		return errors.New("is missing")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errors.New("is not a URL")
	}
	if u.Scheme == "https" {
		return nil
	}
	if ip := net.ParseIP(u.Hostname()); u.Scheme == "http" && (u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())) {
		return nil
	}
	return fmt.Errorf("must be https, not %s", u.Scheme)
}

// postJSON posts body and expects want. Errors never carry the URL: a
// Slack webhook URL is itself the credential.
func (e *Exporter) postJSON(ctx context.Context, target string, body any, want int, what string) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("%s: encode: %w", what, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("%s: the URL does not parse", what)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.c.HTTP.Do(req)
	if err != nil {
		e.forgetSecret()
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%s: post: %w", what, err)
	}
	defer resp.Body.Close()
	excerpt, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != want {
		e.forgetSecret()
		return fmt.Errorf("%s answered %s, want %d: %s", what, resp.Status, want, strings.TrimSpace(string(excerpt)))
	}
	return nil
}
