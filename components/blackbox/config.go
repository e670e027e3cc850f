package blackbox

import (
	"bytes"
	"fmt"
	"time"

	bbconfig "github.com/prometheus/blackbox_exporter/config"
	"gopkg.in/yaml.v3"
)

// The modules the generated blackbox.yml defines; the Prometheus probe jobs
// name them in their `module` parameter.
const (
	// ModuleHTTP2xx passes on any 2xx: /live, /ready and /health.
	ModuleHTTP2xx = "http_2xx"
	// ModuleHealthAvailable probes /health/detailed and fails when the
	// application reports itself unavailable: a 503 (the strategy's status
	// code for "unhealthy") or a body whose status is "unhealthy". A
	// degraded application answers 200 and passes.
	ModuleHealthAvailable = "http_health_available"
	// ModuleHealthHealthy probes the same URL and passes only on a body
	// whose status is "healthy", so it fails on "degraded" too. Degraded is
	// ModuleHealthAvailable passing while ModuleHealthHealthy fails: the
	// exporter has only success and failure, so the third state takes a
	// second probe of the same URL.
	ModuleHealthHealthy = "http_health_healthy"
)

// ProbeTimeout bounds each probe; it stays below Prometheus's scrape timeout
// (10s by default) so a hanging endpoint reads as a failed probe, not a
// failed scrape of the exporter.
const ProbeTimeout = 5 * time.Second

// The body patterns of /health/detailed (the strategy's JSON: `status` is
// healthy, degraded or unhealthy; the nested checks are booleans, so only the
// top-level status matches).
var (
	unhealthyBody = `"status"\s*:\s*"unhealthy"`
	healthyBody   = `"status"\s*:\s*"healthy"`
)

// BuildConfig returns blackbox.yml built with the exporter's own types.
func BuildConfig() (*bbconfig.Config, error) {
	unhealthy, err := bbconfig.NewRegexp(unhealthyBody)
	if err != nil {
		return nil, fmt.Errorf("blackbox config: unhealthy body pattern: %w", err)
	}
	healthy, err := bbconfig.NewRegexp(healthyBody)
	if err != nil {
		return nil, fmt.Errorf("blackbox config: healthy body pattern: %w", err)
	}
	http := func(p bbconfig.HTTPProbe) bbconfig.Module {
		// Cluster Services are IPv4; the default ip6-then-fallback spends
		// part of the timeout on a lookup that cannot succeed.
		p.IPProtocol = "ip4"
		// Only the prober's own section: the loader fills the others with
		// their defaults, and a written DNS default would be refused for
		// its missing query name.
		return bbconfig.Module{Prober: "http", Timeout: ProbeTimeout, HTTP: p}
	}
	get := bbconfig.DefaultHTTPProbe
	get.Method = "GET"

	twoxx := get
	available := get
	// 503 is refused by the default 2xx check already; saying it keeps the
	// strategy's contract visible in the configuration.
	available.ValidStatusCodes = []int{200}
	available.FailIfBodyMatchesRegexp = []bbconfig.Regexp{unhealthy}
	strict := get
	strict.ValidStatusCodes = []int{200}
	strict.FailIfBodyNotMatchesRegexp = []bbconfig.Regexp{healthy}

	return &bbconfig.Config{Modules: map[string]bbconfig.Module{
		ModuleHTTP2xx:         http(twoxx),
		ModuleHealthAvailable: http(available),
		ModuleHealthHealthy:   http(strict),
	}}, nil
}

// RenderConfig is BuildConfig serialised as blackbox.yml (map keys sorted:
// the same modules always give the same bytes). The text is decoded back the
// way the exporter's loader decodes it (unknown keys refused), so a file the
// exporter would refuse never leaves this function.
func RenderConfig() (string, error) {
	cfg, err := BuildConfig()
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(cfg); err != nil {
		return "", fmt.Errorf("blackbox config: encode: %w", err)
	}
	if err := enc.Close(); err != nil {
		return "", fmt.Errorf("blackbox config: encode: %w", err)
	}
	if _, err := ParseConfig(buf.Bytes()); err != nil {
		return "", fmt.Errorf("blackbox config: the generated file does not load: %w", err)
	}
	return buf.String(), nil
}

// ParseConfig decodes blackbox.yml as the exporter's loader
// (config.SafeConfig.ReloadConfig) does: yaml.v3 with unknown fields refused.
func ParseConfig(text []byte) (*bbconfig.Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	dec.KnownFields(true)
	var c bbconfig.Config
	if err := dec.Decode(&c); err != nil {
		return nil, err
	}
	return &c, nil
}
