package incident

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// links are the configured UIs opened on the incident's window: the
// LogWindow before it was opened.
func links(p *plan) []Link {
	start, end := p.now.Add(-p.cfg.LogWindow), p.now
	var out []Link
	if p.cfg.GrafanaURL != "" {
		out = append(out, Link{Name: "Grafana dashboards", URL: strings.TrimRight(p.cfg.GrafanaURL, "/") + "/dashboards"})
	}
	if p.cfg.KibanaURL != "" {
		out = append(out, Link{Name: "Kibana: application logs", URL: kibanaDiscover(p.cfg.KibanaURL, p.cfg.Namespaces, start, end)})
	}
	if p.cfg.ElasticsearchURL != "" {
		out = append(out, Link{
			Name: "Elasticsearch search (POST " + esQueryFile + " as the body)",
			URL:  strings.TrimRight(p.cfg.ElasticsearchURL, "/") + "/" + url.PathEscape(p.cfg.LogIndexPattern) + "/_search",
		})
	}
	for i, j := range p.cfg.JaegerURLs {
		name := "Jaeger: traces"
		if len(p.cfg.JaegerURLs) > 1 {
			name = fmt.Sprintf("Jaeger %d: traces", i+1)
		}
		out = append(out, Link{Name: name, URL: jaegerSearch(j, start, end)})
	}
	return out
}

// kibanaDiscover opens Discover on the window with a KQL filter on the
// namespaces (Fluentd's kubernetes_metadata field). Kibana reads its state
// from rison in the URL fragment.
func kibanaDiscover(base string, namespaces []string, start, end time.Time) string {
	g := fmt.Sprintf("(time:(from:%s,to:%s))", rison(start.UTC().Format("2006-01-02T15:04:05.000Z")), rison(end.UTC().Format("2006-01-02T15:04:05.000Z")))
	u := strings.TrimRight(base, "/") + "/app/discover#/?_g=" + url.PathEscape(g)
	if len(namespaces) > 0 {
		quoted := make([]string, len(namespaces))
		for i, ns := range namespaces {
			quoted[i] = strconv.Quote(ns)
		}
		kql := "kubernetes.namespace_name : (" + strings.Join(quoted, " or ") + ")"
		u += "&_a=" + url.PathEscape("(query:(language:kuery,query:"+rison(kql)+"))")
	}
	return u
}

// rison quotes a string for rison ('...' with ! escaping ! and ').
func rison(s string) string {
	return "'" + strings.NewReplacer("!", "!!", "'", "!'").Replace(s) + "'"
}

// jaegerSearch opens Jaeger's search page on the window (microseconds).
func jaegerSearch(base string, start, end time.Time) string {
	return strings.TrimRight(base, "/") + "/search?" + url.Values{
		"start": {strconv.FormatInt(start.UnixMicro(), 10)}, "end": {strconv.FormatInt(end.UnixMicro(), 10)},
		"lookback": {"custom"}, "limit": {"100"},
	}.Encode()
}

// esQueryFile is the search body for the Elasticsearch link.
const esQueryFile = "elasticsearch-query.json"

// esQuery selects the namespaces' log lines in the window, newest first.
// match_phrase works whether the dynamically mapped field is text or
// keyword.
func esQuery(namespaces []string, start, end time.Time) ([]byte, error) {
	var should []any
	for _, ns := range namespaces {
		should = append(should, map[string]any{"match_phrase": map[string]any{"kubernetes.namespace_name": ns}})
	}
	q := map[string]any{
		"size": 500,
		"sort": []any{map[string]any{"@timestamp": "desc"}},
		"query": map[string]any{"bool": map[string]any{
			"filter": []any{map[string]any{"range": map[string]any{"@timestamp": map[string]any{
				"gte": start.UTC().Format(time.RFC3339), "lte": end.UTC().Format(time.RFC3339),
			}}}},
			"should":               should,
			"minimum_should_match": min(1, len(should)),
		}},
	}
	b, err := json.MarshalIndent(q, "", "  ")
	return append(b, '\n'), err
}
