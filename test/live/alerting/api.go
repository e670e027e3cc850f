package alerting

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

var client = &http.Client{Timeout: 10 * time.Second}

// Series is one result series of a Prometheus (or Thanos Query) query.
type Series struct {
	Metric map[string]string `json:"metric"`
	Value  []any             `json:"value"`
	Values [][]any           `json:"values"`
}

// Query runs an instant query (params may add time, dedup, ...).
func Query(base, expr string, params url.Values) ([]Series, error) {
	if params == nil {
		params = url.Values{}
	}
	params.Set("query", expr)
	return apiSeries(base + "/api/v1/query?" + params.Encode())
}

// QueryRange runs a range query.
func QueryRange(base, expr string, start, end time.Time, step time.Duration, params url.Values) ([]Series, error) {
	if params == nil {
		params = url.Values{}
	}
	params.Set("query", expr)
	params.Set("start", fmt.Sprint(start.Unix()))
	params.Set("end", fmt.Sprint(end.Unix()))
	params.Set("step", fmt.Sprint(int(step.Seconds())))
	return apiSeries(base + "/api/v1/query_range?" + params.Encode())
}

func apiSeries(u string) ([]Series, error) {
	var resp struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []Series `json:"result"`
		} `json:"data"`
	}
	if err := getJSON(u, &resp); err != nil {
		return nil, err
	}
	if resp.Status != "success" {
		return nil, fmt.Errorf("%s: %s", u, resp.Error)
	}
	return resp.Data.Result, nil
}

func getJSON(u string, v any) error {
	resp, err := client.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %s: %w", u, bytes.TrimSpace(b), err)
	}
	return nil
}

// AMAlert is an alert as Alertmanager's API v2 lists it.
type AMAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	StartsAt    time.Time         `json:"startsAt"`
	EndsAt      time.Time         `json:"endsAt"`
	Status      struct {
		State       string   `json:"state"`
		InhibitedBy []string `json:"inhibitedBy"`
		SilencedBy  []string `json:"silencedBy"`
	} `json:"status"`
	Fingerprint string `json:"fingerprint"`
}

// Alerts lists a node's alerts (active, inhibited and silenced).
func Alerts(base string) ([]AMAlert, error) {
	var out []AMAlert
	err := getJSON(base+"/api/v2/alerts?active=true&inhibited=true&silenced=true&unprocessed=true", &out)
	return out, err
}

// PostAlerts sends alerts to a node as Prometheus does (API v2).
func PostAlerts(base string, alerts []PostableAlert) error {
	b, err := json.Marshal(alerts)
	if err != nil {
		return err
	}
	resp, err := client.Post(base+"/api/v2/alerts", "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("post alerts to %s: %s %s", base, resp.Status, body)
	}
	return nil
}

// PostableAlert is Alertmanager's API v2 alert as Prometheus posts it.
type PostableAlert struct {
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL,omitempty"`
}

// PromAlert is an alert as Prometheus's /api/v1/alerts lists it.
type PromAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	State       string            `json:"state"`
	ActiveAt    time.Time         `json:"activeAt"`
}

// PromAlerts lists a Prometheus's pending and firing alerts.
func PromAlerts(base string) ([]PromAlert, error) {
	var resp struct {
		Data struct {
			Alerts []PromAlert `json:"alerts"`
		} `json:"data"`
	}
	err := getJSON(base+"/api/v1/alerts", &resp)
	return resp.Data.Alerts, err
}
