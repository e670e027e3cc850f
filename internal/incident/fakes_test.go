package incident_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// call is one request a fake received.
type call struct {
	Path          string
	Authorization string
	ContentType   string
	Body          map[string]any
	Query         map[string][]string
}

// recorder stores the calls of one fake.
type recorder struct {
	mu    sync.Mutex
	calls []call
}

func (r *recorder) record(t *testing.T, req *http.Request) call {
	t.Helper()
	raw, _ := io.ReadAll(req.Body)
	c := call{Path: req.URL.Path, Authorization: req.Header.Get("Authorization"), ContentType: req.Header.Get("Content-Type"), Query: req.URL.Query()}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &c.Body); err != nil {
			t.Errorf("%s: body is not JSON: %v: %s", req.URL.Path, err, raw)
		}
	}
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
	return c
}

func (r *recorder) all() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call{}, r.calls...)
}

func (r *recorder) to(path string) []call {
	var out []call
	for _, c := range r.all() {
		if c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// fakeSlack answers conversations.create and chat.postMessage like the Web
// API: HTTP 200 and ok true, or ok false with the error code in errors.
type fakeSlack struct {
	recorder
	srv    *httptest.Server
	errors map[string]map[string]any // method -> answer overriding success
}

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{errors: map[string]map[string]any{}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		c := f.record(t, req)
		w.Header().Set("Content-Type", "application/json")
		method := c.Path[len("/api/"):]
		if ans, ok := f.errors[method]; ok {
			_ = json.NewEncoder(w).Encode(ans)
			return
		}
		switch method {
		case "conversations.create":
			_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "channel": map[string]any{"id": "C0INCIDENT", "name": c.Body["name"]}})
		case "chat.postMessage":
			_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "channel": c.Body["channel"], "ts": "1700000000.000100"})
		default:
			_ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "unknown_method"})
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlack) url() string { return f.srv.URL + "/api" }

// fakePagerDuty answers the Events API v2 enqueue endpoint; statuses are
// answered in turn (the last repeats), 202 when empty.
type fakePagerDuty struct {
	recorder
	srv      *httptest.Server
	mu       sync.Mutex
	statuses []int
}

func newFakePagerDuty(t *testing.T) *fakePagerDuty {
	f := &fakePagerDuty{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		c := f.record(t, req)
		f.mu.Lock()
		status := http.StatusAccepted
		if len(f.statuses) > 0 {
			status = f.statuses[0]
			if len(f.statuses) > 1 {
				f.statuses = f.statuses[1:]
			}
		}
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if status == http.StatusAccepted {
			_ = json.NewEncoder(w).Encode(map[string]any{"status": "success", "message": "Event processed", "dedup_key": c.Body["dedup_key"]})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"status": "invalid event", "message": "Event object is invalid", "errors": []string{"Length of 'routing_key' is incorrect (should be 32 characters)"}})
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakePagerDuty) url() string { return f.srv.URL + "/v2/enqueue" }

// fakePrometheus answers instant queries for up and ALERTS.
type fakePrometheus struct {
	recorder
	srv *httptest.Server
}

const (
	upAnswer = `{"status":"success","data":{"resultType":"vector","result":[` +
		`{"metric":{"__name__":"up","job":"api","instance":"10.0.0.1:8080"},"value":[1700000000,"1"]},` +
		`{"metric":{"__name__":"up","job":"api","instance":"10.0.0.2:8080"},"value":[1700000000,"0"]}]}}`
	alertsAnswer = `{"status":"success","data":{"resultType":"vector","result":[` +
		`{"metric":{"__name__":"ALERTS","alertname":"HighErrorRate","alertstate":"firing","severity":"critical"},"value":[1700000000,"1"]}]}}`
)

func newFakePrometheus(t *testing.T) *fakePrometheus {
	f := &fakePrometheus{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		c := f.record(t, req)
		w.Header().Set("Content-Type", "application/json")
		if c.Path != "/api/v1/query" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		switch req.URL.Query().Get("query") {
		case "up":
			_, _ = io.WriteString(w, upAnswer)
		case `ALERTS{alertstate="firing"}`:
			_, _ = io.WriteString(w, alertsAnswer)
		default:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"status":"error","errorType":"bad_data","error":"unexpected query"}`)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}
