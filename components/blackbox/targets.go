package blackbox

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/conventions"
)

// The strategy's health endpoints (routes/health.js).
const (
	EndpointLive           = "/live"
	EndpointReady          = "/ready"
	EndpointHealth         = "/health"
	EndpointHealthDetailed = "/health/detailed"
)

// Endpoints are the endpoints a target probes when it names none, in the
// order the probes are listed.
func Endpoints() []string {
	return []string{EndpointLive, EndpointReady, EndpointHealth, EndpointHealthDetailed}
}

// endpointModules says which modules probe each endpoint: /health/detailed
// takes two, whose disagreement is "degraded".
var endpointModules = map[string][]string{
	EndpointLive:           {ModuleHTTP2xx},
	EndpointReady:          {ModuleHTTP2xx},
	EndpointHealth:         {ModuleHTTP2xx},
	EndpointHealthDetailed: {ModuleHealthAvailable, ModuleHealthHealthy},
}

// A Target is one application whose health endpoints are probed.
type Target struct {
	// Service names the application: the `service` label of its probes and
	// alerts, as on its scraped metrics.
	Service string `json:"service" doc:"The application's name, the service label of its probes and alerts (DNS-1123 label, unique)."`
	// Team receives the application's probe alerts (the `team` label).
	Team string `json:"team" doc:"The team its EndpointDown and EndpointDegraded alerts route to: backend, infrastructure, payments or product."`
	// URL is the base URL the endpoints are under.
	URL string `json:"url" doc:"Base URL the endpoints are under, as the exporter reaches it: http(s)://host[:port][/prefix], e.g. http://klear-karma-api.klear-karma.svc.cluster.local:3000."`
	// Endpoints to probe; empty probes all four.
	Endpoints []string `json:"endpoints,omitempty" doc:"Endpoints to probe, any of /live, /ready, /health, /health/detailed; empty probes all four."`
}

// A Probe is one scrape target of the probe job: one endpoint of one
// application, probed with one module.
type Probe struct {
	Service, Team string
	// Endpoint is the path probed ("/health/detailed"), a label of the series.
	Endpoint string
	Module   string
	// URL is the full URL probed: the exporter's `target` parameter.
	URL string
}

// CheckTargets states the rules of a list of targets; fields are named as
// the stack configuration's json fields under "[i]".
func CheckTargets(targets []Target) check.Problems {
	var ps check.Problems
	seen := map[string]int{}
	teams := conventions.TeamNames()
	for i, t := range targets {
		at := func(field string) string { return fmt.Sprintf("[%d].%s", i, field) }
		check.DNSLabel(&ps, at("service"), t.Service, true)
		if j, dup := seen[t.Service]; dup && t.Service != "" {
			ps.Add(at("service"), fmt.Sprintf("%q is also entry %d", t.Service, j), "list each service once, with all its endpoints")
		}
		seen[t.Service] = i
		if !slices.Contains(teams, t.Team) {
			ps.Add(at("team"), fmt.Sprintf("%q is not a team alerts route to", t.Team), "use one of "+strings.Join(teams, ", "))
		}
		checkBaseURL(&ps, at("url"), t.URL)
		for k, e := range t.Endpoints {
			if _, ok := endpointModules[e]; !ok {
				ps.Add(fmt.Sprintf("[%d].endpoints[%d]", i, k), fmt.Sprintf("%q is not a health endpoint of the strategy", e),
					"use "+strings.Join(Endpoints(), ", ")+", or leave endpoints empty to probe all four")
			}
			if slices.Index(t.Endpoints, e) < k {
				ps.Add(fmt.Sprintf("[%d].endpoints[%d]", i, k), fmt.Sprintf("%q is listed twice", e), "list each endpoint once")
			}
		}
	}
	return ps
}

func checkBaseURL(ps *check.Problems, field, raw string) {
	const example = "http://klear-karma-api.klear-karma.svc.cluster.local:3000"
	if raw == "" {
		ps.Add(field, "is not set", "set the base URL the endpoints are under, e.g. "+example)
		return
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		ps.Add(field, fmt.Sprintf("%q is not an absolute http(s) URL without credentials, query or fragment", raw), "use a URL such as "+example)
		return
	}
	for _, e := range Endpoints() {
		if strings.HasSuffix(strings.TrimRight(u.Path, "/"), e) {
			ps.Add(field, fmt.Sprintf("%q already ends in the endpoint %s", raw, e), "give the base URL only; endpoints lists the paths")
			return
		}
	}
}

// Probes lists the scrape targets of targets (which CheckTargets accepts),
// in the order of targets, their endpoints and the endpoints' modules.
func Probes(targets []Target) []Probe {
	var out []Probe
	for _, t := range targets {
		endpoints := t.Endpoints
		if len(endpoints) == 0 {
			endpoints = Endpoints()
		}
		for _, e := range endpoints {
			for _, m := range endpointModules[e] {
				out = append(out, Probe{Service: t.Service, Team: t.Team, Endpoint: e, Module: m, URL: strings.TrimRight(t.URL, "/") + e})
			}
		}
	}
	return out
}

// Reach is where the exporter connects to probe a target: a Service in a
// namespace of the cluster, or a host outside it on a TCP port.
type Reach struct {
	// Namespace is the namespace of the Service the URL names
	// (<service>.<namespace>.svc[.cluster.local]); empty for a host outside.
	Namespace string
	// Bare is set for a single-label host, which resolves only in the
	// exporter's own namespace.
	Bare bool
	// Host and Port are the URL's host and its TCP port (80 or 443 when the
	// URL gives none).
	Host string
	Port int
}

// Reach says where the exporter connects for t; ok is false when the URL
// has no host or port that parses (CheckTargets reports those).
func (t Target) Reach() (r Reach, ok bool) {
	u, err := url.Parse(t.URL)
	if err != nil || u.Hostname() == "" {
		return Reach{}, false
	}
	r.Host = u.Hostname()
	host := strings.TrimSuffix(r.Host, "."+conventions.ClusterDomain)
	if parts := strings.Split(host, "."); len(parts) == 3 && parts[2] == "svc" {
		r.Namespace = parts[1]
	} else if net.ParseIP(host) == nil && !strings.Contains(host, ".") {
		r.Bare = true
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if r.Port, err = strconv.Atoi(port); err != nil {
		return Reach{}, false
	}
	return r, true
}

// ExternalPorts are the TCP ports the exporter opens to hosts outside the
// cluster to probe targets, sorted, each once.
func ExternalPorts(targets []Target) []int {
	var out []int
	for _, t := range targets {
		if r, ok := t.Reach(); ok && r.Namespace == "" && !r.Bare && !slices.Contains(out, r.Port) {
			out = append(out, r.Port)
		}
	}
	slices.Sort(out)
	return out
}
