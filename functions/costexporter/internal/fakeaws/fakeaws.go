// Package fakeaws owns the local stand-ins the cost exporter's tests talk
// to: Cost Explorer (AWS JSON 1.1), CloudWatch (Smithy RPCv2 CBOR, which
// cloudwatch v1.76 speaks), Secrets Manager (AWS JSON 1.1), a Slack
// webhook and PagerDuty's Events API v2, each an httptest server on
// 127.0.0.1. Env points the SDK's per-service endpoint variables at them,
// so the tests exercise the real SDK clients, serialisers and retryer. It
// is imported by tests only.
package fakeaws

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// Request is one request a fake received (body already un-gzipped).
type Request struct {
	Path   string
	Header http.Header
	Body   []byte
}

// Server is one fake endpoint.
type Server struct {
	mu      sync.Mutex
	reqs    []Request
	respond func(n int, r Request) (status int, header http.Header, body []byte)
	srv     *httptest.Server
}

func newServer(t testing.TB, respond func(int, Request) (int, http.Header, []byte)) *Server {
	s := &Server{respond: respond}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			body = zr
		}
		b, err := io.ReadAll(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req := Request{Path: r.URL.Path, Header: r.Header.Clone(), Body: b}
		s.mu.Lock()
		s.reqs = append(s.reqs, req)
		n := len(s.reqs)
		s.mu.Unlock()
		status, h, out := s.respond(n, req)
		for k, v := range h {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write(out)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the server's base URL.
func (s *Server) URL() string { return s.srv.URL }

// Requests returns what the server received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Cost is one Cost Explorer group: a service and its amount as CE writes it.
type Cost struct {
	Service string
	Amount  string
	Unit    string // "" means USD
}

// Fakes is the whole set, with the knobs the tests turn. Set the knobs
// before the first request.
type Fakes struct {
	CostExplorer, CloudWatch, SecretsManager, Slack, PagerDuty *Server

	// Day is the UTC day Cost Explorer answers for (YYYY-MM-DD).
	Day string
	// Pages are Cost Explorer's answer, one slice of groups per page.
	Pages [][]Cost
	// Throttles answers the first this many Cost Explorer requests with
	// ThrottlingException.
	Throttles int
	// CostExplorerError answers every Cost Explorer request with this code.
	CostExplorerError string
	// FailPutCall answers the n-th PutMetricData (1-based) with a 400.
	FailPutCall int
	// Secret is the SecretString; SecretError answers with this code.
	Secret, SecretError string
	// SlackStatus replaces Slack's 200.
	SlackStatus int
}

// New starts every fake.
func New(t testing.TB) *Fakes {
	f := &Fakes{}
	f.CostExplorer = newServer(t, f.costExplorer)
	f.CloudWatch = newServer(t, f.cloudWatch)
	f.SecretsManager = newServer(t, f.secretsManager)
	f.Slack = newServer(t, func(int, Request) (int, http.Header, []byte) {
		if f.SlackStatus != 0 {
			return f.SlackStatus, nil, []byte("no_service")
		}
		return http.StatusOK, nil, []byte("ok")
	})
	f.PagerDuty = newServer(t, func(_ int, r Request) (int, http.Header, []byte) {
		var ev struct {
			DedupKey string `json:"dedup_key"`
		}
		_ = json.Unmarshal(r.Body, &ev)
		b, _ := json.Marshal(map[string]string{"status": "success", "message": "Event processed", "dedup_key": ev.DedupKey})
		return http.StatusAccepted, http.Header{"Content-Type": {"application/json"}}, b
	})
	return f
}

// Env points the SDK at the fakes with static credentials and no shared
// configuration, for the rest of the test.
func (f *Fakes) Env(t testing.TB, region string) {
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL_COST_EXPLORER":      f.CostExplorer.URL(),
		"AWS_ENDPOINT_URL_CLOUDWATCH":         f.CloudWatch.URL(),
		"AWS_ENDPOINT_URL_SECRETS_MANAGER":    f.SecretsManager.URL(),
		"AWS_ENDPOINT_URL":                    "",
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "",
		"AWS_ACCESS_KEY_ID":                   "AKIDFAKEFAKEFAKEFAKE",
		"AWS_SECRET_ACCESS_KEY":               "fake-secret-key",
		"AWS_SESSION_TOKEN":                   "",
		"AWS_PROFILE":                         "",
		"AWS_REGION":                          region,
		"AWS_DEFAULT_REGION":                  "",
		"AWS_CONFIG_FILE":                     "/nonexistent/aws-config",
		"AWS_SHARED_CREDENTIALS_FILE":         "/nonexistent/aws-credentials",
		"AWS_EC2_METADATA_DISABLED":           "true",
	} {
		t.Setenv(k, v)
	}
}

func jsonAnswer(status int, v any) (int, http.Header, []byte) {
	b, err := json.Marshal(v)
	if err != nil {
		return http.StatusInternalServerError, http.Header{}, []byte(err.Error())
	}
	return status, http.Header{"Content-Type": {"application/x-amz-json-1.1"}}, b
}

func awsJSONError(status int, code, msg string) (int, http.Header, []byte) {
	st, h, b := jsonAnswer(status, map[string]string{"__type": code, "message": msg})
	h.Set("X-Amzn-ErrorType", code)
	return st, h, b
}

// CostQuery is the part of a GetCostAndUsage request the tests check.
type CostQuery struct {
	TimePeriod    struct{ Start, End string }
	Granularity   string
	Metrics       []string
	GroupBy       []struct{ Type, Key string }
	NextPageToken string
}

// CostQueries decodes the Cost Explorer requests received.
func (f *Fakes) CostQueries(t testing.TB) []CostQuery {
	t.Helper()
	var out []CostQuery
	for _, r := range f.CostExplorer.Requests() {
		var q CostQuery
		if err := json.Unmarshal(r.Body, &q); err != nil {
			t.Fatalf("cost explorer request %s: %v", r.Body, err)
		}
		out = append(out, q)
	}
	return out
}

func (f *Fakes) costExplorer(n int, r Request) (int, http.Header, []byte) {
	if got := r.Header.Get("X-Amz-Target"); got != "AWSInsightsIndexService.GetCostAndUsage" {
		return awsJSONError(400, "UnknownOperationException", "unexpected target "+got)
	}
	if f.CostExplorerError != "" {
		return awsJSONError(400, f.CostExplorerError, "refused by the fake")
	}
	if n <= f.Throttles {
		return awsJSONError(400, "ThrottlingException", "Rate exceeded")
	}
	var q CostQuery
	if err := json.Unmarshal(r.Body, &q); err != nil {
		return awsJSONError(400, "SerializationException", err.Error())
	}
	page := 0
	if q.NextPageToken != "" {
		if _, err := fmt.Sscanf(q.NextPageToken, "page-%d", &page); err != nil || page < 1 || page >= len(f.Pages) {
			return awsJSONError(400, "InvalidNextTokenException", "bad token")
		}
	}
	var groups []any
	if page < len(f.Pages) {
		for _, c := range f.Pages[page] {
			unit := c.Unit
			if unit == "" {
				unit = "USD"
			}
			groups = append(groups, map[string]any{
				"Keys":    []string{c.Service},
				"Metrics": map[string]any{"BlendedCost": map[string]string{"Amount": c.Amount, "Unit": unit}},
			})
		}
	}
	if groups == nil {
		groups = []any{}
	}
	resp := map[string]any{
		"GroupDefinitions":         []any{map[string]string{"Type": "DIMENSION", "Key": "SERVICE"}},
		"DimensionValueAttributes": []any{},
		"ResultsByTime": []any{map[string]any{
			"TimePeriod": map[string]string{"Start": q.TimePeriod.Start, "End": q.TimePeriod.End},
			"Total":      map[string]any{},
			"Groups":     groups,
			"Estimated":  true,
		}},
	}
	if page+1 < len(f.Pages) {
		resp["NextPageToken"] = fmt.Sprintf("page-%d", page+1)
	}
	return jsonAnswer(200, resp)
}

// Point is one data point CloudWatch received.
type Point struct {
	Metric    string
	Service   string
	Value     float64
	Timestamp time.Time
	Unit      string
}

// PutCall is one PutMetricData request CloudWatch received.
type PutCall struct {
	Namespace string
	Data      []Point
}

// PutCalls decodes the PutMetricData requests received, failed ones too.
func (f *Fakes) PutCalls(t testing.TB) []PutCall {
	t.Helper()
	var out []PutCall
	for _, r := range f.CloudWatch.Requests() {
		c, err := decodePut(r)
		if err != nil {
			t.Fatalf("cloudwatch request: %v", err)
		}
		out = append(out, c)
	}
	return out
}

// Published are the data points of the PutMetricData calls that succeeded.
func (f *Fakes) Published(t testing.TB) []Point {
	t.Helper()
	var out []Point
	for i, c := range f.PutCalls(t) {
		if i+1 == f.FailPutCall {
			continue
		}
		out = append(out, c.Data...)
	}
	return out
}

const putPath = "/service/GraniteServiceVersion20100801/operation/PutMetricData"

func decodePut(r Request) (PutCall, error) {
	if r.Path != putPath {
		return PutCall{}, fmt.Errorf("path %s, want %s", r.Path, putPath)
	}
	if r.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" {
		return PutCall{}, fmt.Errorf("Smithy-Protocol %q", r.Header.Get("Smithy-Protocol"))
	}
	v, err := cbor.Decode(r.Body)
	if err != nil {
		return PutCall{}, fmt.Errorf("cbor: %w", err)
	}
	m, ok := v.(cbor.Map)
	if !ok {
		return PutCall{}, fmt.Errorf("body is %T, not a map", v)
	}
	c := PutCall{Namespace: str(m["Namespace"])}
	list, _ := m["MetricData"].(cbor.List)
	for _, item := range list {
		d, _ := item.(cbor.Map)
		p := Point{Metric: str(d["MetricName"]), Unit: str(d["Unit"])}
		if p.Value, err = cbor.AsFloat64(d["Value"]); err != nil {
			return PutCall{}, fmt.Errorf("value of %s: %w", p.Metric, err)
		}
		ts, err := cbor.AsTime(d["Timestamp"])
		if err != nil {
			return PutCall{}, fmt.Errorf("timestamp of %s: %w", p.Metric, err)
		}
		p.Timestamp = ts.UTC()
		dims, _ := d["Dimensions"].(cbor.List)
		for _, dv := range dims {
			dm, _ := dv.(cbor.Map)
			if str(dm["Name"]) == "Service" {
				p.Service = str(dm["Value"])
			} else {
				return PutCall{}, fmt.Errorf("unexpected dimension %q on %s", str(dm["Name"]), p.Metric)
			}
		}
		c.Data = append(c.Data, p)
	}
	return c, nil
}

func str(v cbor.Value) string {
	s, _ := v.(cbor.String)
	return string(s)
}

func (f *Fakes) cloudWatch(n int, r Request) (int, http.Header, []byte) {
	h := http.Header{"Smithy-Protocol": {"rpc-v2-cbor"}, "Content-Type": {"application/cbor"}}
	if _, err := decodePut(r); err != nil {
		return 400, h, cbor.Encode(cbor.Map{"__type": cbor.String("SerializationException"), "message": cbor.String(err.Error())})
	}
	if n == f.FailPutCall {
		return 400, h, cbor.Encode(cbor.Map{
			"__type":  cbor.String("com.amazonaws.cloudwatch#InvalidParameterValueException"),
			"message": cbor.String("refused by the fake"),
		})
	}
	return 200, h, cbor.Encode(cbor.Map{})
}

func (f *Fakes) secretsManager(_ int, r Request) (int, http.Header, []byte) {
	if got := r.Header.Get("X-Amz-Target"); got != "secretsmanager.GetSecretValue" {
		return awsJSONError(400, "UnknownOperationException", "unexpected target "+got)
	}
	if f.SecretError != "" {
		return awsJSONError(400, f.SecretError, "refused by the fake")
	}
	var in struct{ SecretId string }
	_ = json.Unmarshal(r.Body, &in)
	return jsonAnswer(200, map[string]any{
		"ARN": in.SecretId, "Name": "klearkarma-cost-alerts", "SecretString": f.Secret,
		"VersionId": "00000000-0000-0000-0000-000000000001", "VersionStages": []string{"AWSCURRENT"},
		"CreatedDate": 1.7e9,
	})
}

// Services makes n services named "Service 0001".. with the given amount.
func Services(n int, amount string) []Cost {
	out := make([]Cost, n)
	for i := range out {
		out[i] = Cost{Service: fmt.Sprintf("Service %04d", i+1), Amount: amount}
	}
	return out
}

// SigningScope is the credential scope of a request's SigV4 signature
// (date/region/service/aws4_request), which shows the region a client used.
func SigningScope(r Request) string {
	auth := r.Header.Get("Authorization")
	i := strings.Index(auth, "Credential=")
	if i < 0 {
		return ""
	}
	cred := strings.SplitN(auth[i+len("Credential="):], ",", 2)[0]
	parts := strings.SplitN(cred, "/", 2)
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}

// SortedServices lists the services of points, sorted (for assertions).
func SortedServices(ps []Point) []string {
	var out []string
	for _, p := range ps {
		if p.Service != "" {
			out = append(out, p.Service)
		}
	}
	sort.Strings(out)
	return out
}

// Body is a request body as indented JSON, for golden files.
func Body(t testing.TB, r Request) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, r.Body, "", "  "); err != nil {
		t.Fatalf("body %s: %v", r.Body, err)
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}
