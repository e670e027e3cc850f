// Package pins holds the versions of the Pulumi CLI and of every provider
// plugin the program uses, so a real `pulumi up` fetches exactly these and
// the tools script, the stand-in plugins and the bindings agree.
package pins

const (
	// PulumiCLI is the engine version (scripts/tools.sh builds it offline).
	PulumiCLI = "v3.274.1"
	// Kubernetes is the pulumi-kubernetes provider (SDK and plugin).
	Kubernetes = "4.32.0"
	// AWS is the pulumi-aws provider (SDK and plugin).
	AWS = "6.83.4"
	// Grafana is the pulumiverse Grafana provider plugin.
	Grafana = "2.38.0"
	// GrafanaPluginDownloadURL is where the pulumiverse plugin is published.
	GrafanaPluginDownloadURL = "github://api.github.com/pulumiverse"
	// PagerDuty is the PagerDuty provider plugin (from the default plugin server).
	PagerDuty = "4.34.0"
)

// StandInPackages are the provider packages whose plugins cannot be
// installed offline; the engine tests and offline renders replace them with
// the stand-in plugin, at these versions.
var StandInPackages = map[string]string{
	"aws":       AWS,
	"grafana":   Grafana,
	"pagerduty": PagerDuty,
}

// ElasticsearchExporterImage is the prometheus-community
// elasticsearch_exporter release the elasticsearch component runs beside
// the cluster; the metric names the platform alerts read were checked in
// its Go module (github.com/prometheus-community/elasticsearch_exporter)
// at the same tag (rules/platform_logging.go).
const ElasticsearchExporterImage = "quay.io/prometheuscommunity/elasticsearch-exporter:v1.11.0"

// JSONExporter is the prometheus-community json_exporter release that
// reads Logstash's and Kibana's JSON status APIs (internal/jsonprobe): the
// image the platform runs and the module (go.mod) whose config types and
// collector the tests check the configuration with.
const JSONExporter = "v0.7.0"

// JSONExporterModule is json_exporter's Go module.
const JSONExporterModule = "github.com/prometheus-community/json_exporter"

// JSONExporterImage is the image of JSONExporter.
const JSONExporterImage = "quay.io/prometheuscommunity/json-exporter:" + JSONExporter
