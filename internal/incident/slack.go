package incident

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// slackClient calls the Slack Web API with a bot token.
type slackClient struct {
	base, token string
	http        *http.Client
}

// SlackError is an ok:false answer of the Web API, with Slack's error code.
type SlackError struct {
	Method string
	Code   string
	// Needed is the missing scope of a missing_scope error.
	Needed  string
	Channel string
}

func (e *SlackError) Error() string {
	return fmt.Sprintf("slack %s: %s. Fix: %s", e.Method, e.Code, e.fix())
}

func (e *SlackError) fix() string {
	switch e.Code {
	case "name_taken":
		return "a channel with this name exists: an incident was opened in the same minute; join #" + e.Channel + " (or archive it and run again)"
	case "missing_scope":
		return fmt.Sprintf("add the %s scope to the Slack app (OAuth & Permissions) and reinstall it to the workspace", e.Needed)
	case "not_authed", "invalid_auth", "token_revoked", "token_expired", "account_inactive":
		return "the bot token is not valid: copy the app's current Bot User OAuth Token (xoxb-...)"
	case "not_in_channel":
		return "invite the bot to " + e.Channel + " (/invite @<bot>) or add the chat:write.public scope"
	case "channel_not_found":
		return e.Channel + " does not exist or the bot cannot see it: check the channel name in the stack's slack.channels, and invite the bot"
	case "restricted_action":
		return "the workspace does not let this app create channels: ask a Slack admin to allow it, or create #" + e.Channel + " by hand"
	case "ratelimited":
		return "Slack is rate limiting the app: wait a minute and retry"
	default:
		return "see https://api.slack.com/methods/" + e.Method + "#errors"
	}
}

// call POSTs body as JSON to a Web API method and decodes the answer into
// out, which must embed slackResponse.
func (c slackClient) call(ctx context.Context, method, channel string, body any, out interface{ response() slackResponse }) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("slack %s: %w", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/"+method, bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("slack %s: %w", method, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("slack %s: %w. Fix: check that %s is reachable from here", method, err, c.base)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("slack %s: read the answer: %w", method, err)
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		return &SlackError{Method: method, Code: "ratelimited", Channel: channel}
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("slack %s: HTTP %s: %s", method, resp.Status, snippet(data))
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("slack %s: the answer is not JSON (%v): %s", method, err, snippet(data))
	}
	if r := out.response(); !r.OK {
		if r.Error == "" {
			return fmt.Errorf("slack %s: ok is false without an error code: %s", method, snippet(data))
		}
		return &SlackError{Method: method, Code: r.Error, Needed: r.Needed, Channel: channel}
	}
	return nil
}

type slackResponse struct {
	OK     bool   `json:"ok"`
	Error  string `json:"error"`
	Needed string `json:"needed"`
}

func (r slackResponse) response() slackResponse { return r }

type createChannelResponse struct {
	slackResponse
	Channel struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"channel"`
}

func (r createChannelResponse) response() slackResponse { return r.slackResponse }

type postMessageResponse struct {
	slackResponse
	Channel string `json:"channel"`
	TS      string `json:"ts"`
}

func (r postMessageResponse) response() slackResponse { return r.slackResponse }

func (c slackClient) createChannel(ctx context.Context, name string, private bool) (Channel, error) {
	var out createChannelResponse
	body := map[string]any{"name": name, "is_private": private}
	if err := c.call(ctx, "conversations.create", name, body, &out); err != nil {
		return Channel{}, err
	}
	return Channel{ID: out.Channel.ID, Name: out.Channel.Name}, nil
}

func (c slackClient) postMessage(ctx context.Context, channel, text string) error {
	var out postMessageResponse
	body := map[string]any{"channel": channel, "text": text, "unfurl_links": false}
	return c.call(ctx, "chat.postMessage", channel, body, &out)
}

// slackEscape escapes what Slack reads as markup in message text, so a
// description such as "p99 > 2s" arrives as written.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

// createChannel is the channel step.
func (r *run) createChannel(ctx context.Context) outcome {
	ch, err := r.slack.createChannel(ctx, r.plan.id, r.plan.cfg.Slack.Private)
	if err != nil {
		return failed(err)
	}
	r.res.Channel = ch
	return ok("created #%s (%s)", ch.Name, ch.ID)
}

// channelRef is how messages point at the incident channel: a link when it
// was created, its name otherwise.
func (r *run) channelRef() string {
	if r.res.Channel.ID != "" {
		return fmt.Sprintf("<#%s|%s>", r.res.Channel.ID, r.res.Channel.Name)
	}
	return "#" + r.res.Channel.Name
}

// announceChannels are the critical channel and the team's, without
// duplicates.
func (r *run) announceChannels() []string {
	var out []string
	for _, c := range []string{r.plan.cfg.Slack.AnnounceChannel, r.plan.cfg.Slack.TeamChannels[r.plan.req.Team]} {
		if c != "" && !contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// announce is the announce step: the SEV-1/SEV-2 message to the critical
// channel and the team's.
func (r *run) announce(ctx context.Context) outcome {
	channels := r.announceChannels()
	if len(channels) == 0 {
		return skipped("no critical or team channel is configured")
	}
	l := r.plan.level
	join := "Join " + r.channelRef() + "."
	if r.res.Channel.ID == "" {
		join = "The incident channel #" + r.res.Channel.Name + " could not be created: reply in this thread until it exists."
	}
	text := fmt.Sprintf(":rotating_light: *%s incident* (%s): %s\n%s Respond within %s; escalation %s.",
		l.Severity, l.Name, slackEscape(r.plan.req.Description), join, l.ResponseTime, l.Escalation)
	if r.plan.req.Team != "" {
		text += " Team: " + r.plan.req.Team + "."
	}
	if l.Page {
		text += " The on-call engineer is being paged."
	}
	var done, errs []string
	for _, c := range channels {
		if err := r.slack.postMessage(ctx, c, text); err != nil {
			errs = append(errs, c+": "+err.Error())
			continue
		}
		done = append(done, c)
	}
	if len(errs) > 0 {
		o := failed(errors.New(strings.Join(errs, "; ")))
		if len(done) > 0 {
			o.detail = "posted to " + strings.Join(done, ", ")
		}
		return o
	}
	return ok("posted to %s", strings.Join(done, ", "))
}

// channelMessage opens the incident channel with what is known.
func (r *run) channelMessage(ctx context.Context) outcome {
	if r.res.Channel.ID == "" {
		return skipped("the channel was not created")
	}
	l := r.plan.level
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* %s (%s) opened %s\n*What:* %s\n", r.plan.id, l.Severity, l.Name, r.plan.now.Format(time.RFC3339), slackEscape(r.plan.req.Description))
	if r.plan.req.Team != "" {
		fmt.Fprintf(&b, "*Team:* %s\n", r.plan.req.Team)
	}
	fmt.Fprintf(&b, "*Respond within:* %s. *Escalation:* %s.\n", l.ResponseTime, l.Escalation)
	if s, found := r.res.Step(StepPage); found {
		fmt.Fprintf(&b, "*Page:* %s\n", stepWords(s))
	}
	for _, lk := range r.res.Links {
		fmt.Fprintf(&b, "<%s|%s>\n", lk.URL, lk.Name)
	}
	b.WriteString("First data is being gathered by the incident tool; next: check dashboards, review recent deployments, analyze logs and traces.")
	if err := r.slack.postMessage(ctx, r.res.Channel.ID, b.String()); err != nil {
		return failed(err)
	}
	return ok("posted the opening message to #%s", r.res.Channel.Name)
}

func stepWords(s Step) string {
	if s.Status == StatusFailed {
		return "FAILED: " + s.Error
	}
	if s.Detail != "" {
		return s.Detail
	}
	return string(s.Status)
}
