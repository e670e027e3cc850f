package alerting

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Kinds of notification the fake receivers record.
const (
	KindPagerDuty = "pagerduty"
	KindSlack     = "slack"
	KindEmail     = "email"
)

// Notification is one delivery a fake receiver accepted.
type Notification struct {
	At   time.Time
	Kind string
	// To is where it went: the PagerDuty routing key, the Slack channel or
	// the email recipients (comma-separated).
	To string
	// Action is PagerDuty's event_action (trigger or resolve); "post" for
	// Slack and "mail" for email.
	Action string
	// Key identifies the alert group: PagerDuty's dedup_key, and for Slack
	// and email the title or subject.
	Key string
	// Severity is PagerDuty's payload.severity.
	Severity string
	// Summary is PagerDuty's payload.summary, Slack's attachment title or
	// the email subject; Text is the Slack attachment text or email body.
	Summary, Text string
	// Details is PagerDuty's payload.custom_details.
	Details map[string]any
	// Opened is set on a PagerDuty trigger that opened an incident (no
	// incident with its dedup key was open), which is what pages someone.
	Opened bool
}

// FiringLabels are the label sets of the alerts a PagerDuty trigger lists
// as firing (Alertmanager's default custom_details.firing: the firing
// alerts as JSON, sent as a JSON string or a structured value).
func (n Notification) FiringLabels() []map[string]string {
	v := n.Details["firing"]
	if s, ok := v.(string); ok {
		var decoded any
		if json.Unmarshal([]byte(s), &decoded) != nil {
			return nil
		}
		v = decoded
	}
	var out []map[string]string
	list, _ := v.([]any)
	for _, a := range list {
		am, _ := a.(map[string]any)
		ls, _ := am["labels"].(map[string]any)
		m := map[string]string{}
		for k, x := range ls {
			m[k], _ = x.(string)
		}
		out = append(out, m)
	}
	return out
}

// Inbox records what the fake receivers accept, in arrival order.
type Inbox struct {
	mu   sync.Mutex
	all  []Notification
	open map[string]bool // PagerDuty incidents by routing key + dedup key
	wake chan struct{}
}

// NewInbox returns an empty inbox.
func NewInbox() *Inbox { return &Inbox{open: map[string]bool{}, wake: make(chan struct{})} }

func (in *Inbox) add(n Notification) {
	in.mu.Lock()
	defer in.mu.Unlock()
	n.At = time.Now()
	if n.Kind == KindPagerDuty {
		id := n.To + "/" + n.Key
		switch n.Action {
		case "trigger":
			n.Opened = !in.open[id]
			in.open[id] = true
		case "resolve":
			delete(in.open, id)
		}
	}
	in.all = append(in.all, n)
	close(in.wake)
	in.wake = make(chan struct{})
}

// All returns every notification so far.
func (in *Inbox) All() []Notification {
	in.mu.Lock()
	defer in.mu.Unlock()
	return slices.Clone(in.all)
}

// Select returns the notifications that match.
func (in *Inbox) Select(match func(Notification) bool) []Notification {
	var out []Notification
	for _, n := range in.All() {
		if match(n) {
			out = append(out, n)
		}
	}
	return out
}

// WaitFor blocks until at least n notifications match, or the deadline;
// it returns the matches either way.
func (in *Inbox) WaitFor(deadline time.Time, n int, match func(Notification) bool) []Notification {
	for {
		in.mu.Lock()
		wake := in.wake
		in.mu.Unlock()
		got := in.Select(match)
		if len(got) >= n {
			return got
		}
		wait := time.Until(deadline)
		if wait <= 0 {
			return got
		}
		select {
		case <-wake:
		case <-time.After(wait):
		}
	}
}

// String lists the notifications for a failure message.
func (in *Inbox) String() string {
	var b strings.Builder
	for _, n := range in.All() {
		fmt.Fprintf(&b, "%s %s to=%s %s key=%q sev=%s opened=%v summary=%q text=%q\n",
			n.At.Format("15:04:05.000"), n.Kind, n.To, n.Action, n.Key, n.Severity, n.Opened, n.Summary, n.Text)
	}
	return b.String()
}

// serveHTTP starts an HTTP server on a free loopback port.
func serveHTTP(h http.Handler) (addr string, stop func(), err error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	return l.Addr().String(), func() { _ = srv.Close() }, nil
}

// PagerDutyHandler is the Events API v2 (POST /v2/enqueue) as PagerDuty
// answers it: 202 with the dedup key.
func (in *Inbox) PagerDutyHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/enqueue", func(w http.ResponseWriter, r *http.Request) {
		var ev struct {
			RoutingKey  string `json:"routing_key"`
			EventAction string `json:"event_action"`
			DedupKey    string `json:"dedup_key"`
			Payload     struct {
				Summary       string         `json:"summary"`
				Severity      string         `json:"severity"`
				CustomDetails map[string]any `json:"custom_details"`
			} `json:"payload"`
		}
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &ev); err != nil || ev.RoutingKey == "" {
			http.Error(w, `{"status":"invalid event","message":"Event object is invalid"}`, http.StatusBadRequest)
			return
		}
		in.add(Notification{Kind: KindPagerDuty, To: ev.RoutingKey, Action: ev.EventAction, Key: ev.DedupKey,
			Severity: ev.Payload.Severity, Summary: ev.Payload.Summary, Details: ev.Payload.CustomDetails})
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, `{"status":"success","message":"Event processed","dedup_key":%q}`, ev.DedupKey)
	})
	return mux
}

// SlackHandler is an incoming webhook: it records the channel, and each
// attachment's title and text, and answers "ok".
func (in *Inbox) SlackHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var msg struct {
			Channel     string `json:"channel"`
			Attachments []struct {
				Title string `json:"title"`
				Text  string `json:"text"`
				Color string `json:"color"`
			} `json:"attachments"`
		}
		if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&msg) != nil {
			http.Error(w, "invalid_payload", http.StatusBadRequest)
			return
		}
		for _, a := range msg.Attachments {
			in.add(Notification{Kind: KindSlack, To: msg.Channel, Action: "post", Key: a.Title, Summary: a.Title, Text: a.Text})
		}
		_, _ = io.WriteString(w, "ok")
	})
}
