package prometheus

import (
	"fmt"
	"sort"
	"time"

	commoncfg "github.com/prometheus/common/config"
	"github.com/prometheus/common/model"
	promcfg "github.com/prometheus/prometheus/config"
	"github.com/prometheus/prometheus/discovery"
	"github.com/prometheus/prometheus/discovery/kubernetes"
	"github.com/prometheus/prometheus/discovery/targetgroup"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/relabel"

	"github.com/klearkarma/observability/components/blackbox"
)

// RulesDir is where the rule files are mounted.
const RulesDir = "/etc/prometheus/rules"

const (
	saToken = "/var/run/secrets/kubernetes.io/serviceaccount/token"
	saCA    = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
)

// ScrapeSettings is what the generated prometheus.yml depends on.
type ScrapeSettings struct {
	Cluster        string
	ScrapeInterval time.Duration
	// Namespaces whose annotated pods and services are scraped.
	Namespaces []string
	// ExporterNamespace runs node-exporter and kube-state-metrics.
	ExporterNamespace string
	// Alertmanagers are host:port of every Alertmanager replica: alerts go to
	// each one, and their gossip deduplicates notifications.
	Alertmanagers []string
	// Probes are the health endpoints the blackbox exporter at
	// ProbeExporter (host:port) probes; none leaves the probe job out.
	Probes        []blackbox.Probe
	ProbeExporter string
}

// ProbeJob is the scrape job of the blackbox probes.
const ProbeJob = "blackbox"

// ReplicaLabel tells the HA pair apart; Thanos Query deduplicates on it.
const ReplicaLabel = "replica"

// BuildConfig returns prometheus.yml built with Prometheus's own types.
func BuildConfig(s ScrapeSettings) (*promcfg.Config, error) {
	if s.Cluster == "" {
		return nil, fmt.Errorf("cluster label is required")
	}
	if s.ScrapeInterval <= 0 {
		return nil, fmt.Errorf("scrape interval must be positive")
	}
	namespaces := append([]string(nil), s.Namespaces...)
	sort.Strings(namespaces)

	cfg := promcfg.DefaultConfig
	cfg.GlobalConfig = promcfg.DefaultGlobalConfig
	cfg.GlobalConfig.ScrapeInterval = model.Duration(s.ScrapeInterval)
	cfg.GlobalConfig.EvaluationInterval = model.Duration(s.ScrapeInterval)
	// ${POD_NAME} is expanded by Prometheus at start-up: each replica of the
	// StatefulSet gets its own value.
	cfg.GlobalConfig.ExternalLabels = labels.FromStrings("cluster", s.Cluster, ReplicaLabel, "${POD_NAME}")
	cfg.RuleFiles = []string{RulesDir + "/*.yaml"}

	cfg.AlertingConfig = alerting(s.Alertmanagers)

	inNamespaces := func(role kubernetes.Role, names []string) discovery.Configs {
		return discovery.Configs{&kubernetes.SDConfig{
			Role: role, HTTPClientConfig: commoncfg.DefaultHTTPClientConfig,
			NamespaceDiscovery: kubernetes.NamespaceDiscovery{Names: names},
		}}
	}
	kubelet := commoncfg.HTTPClientConfig{
		Authorization:   &commoncfg.Authorization{Type: "Bearer", CredentialsFile: saToken},
		TLSConfig:       commoncfg.TLSConfig{CAFile: saCA},
		FollowRedirects: true, EnableHTTP2: true,
	}
	common := []*relabel.Config{
		replace("__meta_kubernetes_namespace", "namespace"),
		replace("__meta_kubernetes_pod_name", "pod"),
	}

	cfg.ScrapeConfigs = []*promcfg.ScrapeConfig{
		withMetricRelabels(scrape("kubernetes-pods", inNamespaces(kubernetes.RolePod, namespaces), append([]*relabel.Config{
			keep("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true"),
			drop("__meta_kubernetes_pod_phase", "Succeeded|Failed"),
			// The pod role makes a target of every declared container
			// port; only the one the port annotation names stays, so a
			// pod whose containers declare several ports is scraped once,
			// labelled with the container that serves the metrics (without
			// this, the container label made a copy of every series per
			// container with ports: Prometheus and its Thanos sidecar, a
			// workload and its exporter sidecar).
			replace("__meta_kubernetes_pod_annotation_prometheus_io_port", scrapePortLabel),
			keepEqual("__meta_kubernetes_pod_container_port_number", scrapePortLabel),
			replaceRegex([]string{"__meta_kubernetes_pod_annotation_prometheus_io_path"}, "(.+)", "$1", "__metrics_path__"),
			replaceRegex([]string{"__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"}, `([^:]+)(?::\d+)?;(\d+)`, "$1:$2", "__address__"),
			// prometheus.io/param_<name> annotations become URL parameters
			// of the scrape (a json_exporter sidecar's module and target).
			paramsFromAnnotations("__meta_kubernetes_pod_annotation_prometheus_io_param_(.+)"),
			replace("__meta_kubernetes_pod_label_app_kubernetes_io_name", "service"),
			replace("__meta_kubernetes_pod_container_name", "container"),
		}, common...)), cassandraStatsCluster()...),
		scrape("kubernetes-service-endpoints", inNamespaces(kubernetes.RoleEndpoint, namespaces), append([]*relabel.Config{
			keep("__meta_kubernetes_service_annotation_prometheus_io_scrape", "true"),
			replaceRegex([]string{"__meta_kubernetes_service_annotation_prometheus_io_path"}, "(.+)", "$1", "__metrics_path__"),
			replaceRegex([]string{"__address__", "__meta_kubernetes_service_annotation_prometheus_io_port"}, `([^:]+)(?::\d+)?;(\d+)`, "$1:$2", "__address__"),
			replace("__meta_kubernetes_service_name", "service"),
		}, common...)),
		withClient(scrape("kubernetes-cadvisor", discovery.Configs{&kubernetes.SDConfig{Role: kubernetes.RoleNode, HTTPClientConfig: commoncfg.DefaultHTTPClientConfig}},
			[]*relabel.Config{replace("__meta_kubernetes_node_name", "node")}), kubelet, "https", "/metrics/cadvisor"),
		scrape("node-exporter", inNamespaces(kubernetes.RolePod, []string{s.ExporterNamespace}), append([]*relabel.Config{
			keep("__meta_kubernetes_pod_label_app_kubernetes_io_name", "node-exporter"),
			replace("__meta_kubernetes_pod_node_name", "node"),
			replace("__meta_kubernetes_pod_node_name", "instance"),
		}, common...)),
		honor(scrape("kube-state-metrics", inNamespaces(kubernetes.RolePod, []string{s.ExporterNamespace}), []*relabel.Config{
			keep("__meta_kubernetes_pod_label_app_kubernetes_io_name", "kube-state-metrics"),
			keep("__meta_kubernetes_pod_container_port_name", "http-metrics"),
		})),
	}
	cfg.ScrapeConfigs = append(cfg.ScrapeConfigs, watcherJobs(namespaces, kubelet, common)...)
	if len(s.Probes) > 0 {
		if s.ProbeExporter == "" {
			return nil, fmt.Errorf("probes are set but the probe exporter's address is empty: pass blackbox.Address(namespace) as ProbeExporter")
		}
		cfg.ScrapeConfigs = append(cfg.ScrapeConfigs, probeJob(s.Probes, s.ProbeExporter))
	}
	return &cfg, nil
}

// The jobs that watch the platform's own parts beyond the annotation job.
const (
	// SidecarJob scrapes the Thanos sidecar in each Prometheus pod: the
	// annotation job scrapes one port per pod, Prometheus' own.
	SidecarJob = "thanos-sidecar"
	// KubeletJob scrapes the kubelet's own /metrics (volume stats), beside
	// kubernetes-cadvisor's /metrics/cadvisor on the same port.
	KubeletJob = "kubelet"
)

// The Thanos sidecar container and its HTTP port's name (statefulset.go).
const (
	sidecarContainer    = "thanos-sidecar"
	sidecarHTTPPortName = "sidecar-http"
)

// watcherJobs are SidecarJob and KubeletJob. The sidecar's targets are the
// pods' container ports (role pod yields one per port), kept by container
// and port name, with the annotation job's labels: service is the pod's
// app.kubernetes.io/name (prometheus), container tells it apart. The
// kubelet is reached like cAdvisor, on each node's kubelet port with the
// service account's token; only kubelet_* series are kept (the rest of its
// /metrics is client-go and apiserver-library internals, thousands of
// series per node that nothing reads).
func watcherJobs(namespaces []string, kubelet commoncfg.HTTPClientConfig, common []*relabel.Config) []*promcfg.ScrapeConfig {
	pods := discovery.Configs{&kubernetes.SDConfig{
		Role: kubernetes.RolePod, HTTPClientConfig: commoncfg.DefaultHTTPClientConfig,
		NamespaceDiscovery: kubernetes.NamespaceDiscovery{Names: namespaces},
	}}
	sidecar := scrape(SidecarJob, pods, append([]*relabel.Config{
		keep("__meta_kubernetes_pod_container_name", sidecarContainer),
		keep("__meta_kubernetes_pod_container_port_name", sidecarHTTPPortName),
		drop("__meta_kubernetes_pod_phase", "Succeeded|Failed"),
		replace("__meta_kubernetes_pod_label_app_kubernetes_io_name", "service"),
		replace("__meta_kubernetes_pod_container_name", "container"),
	}, common...))
	kubeletJob := withClient(scrape(KubeletJob, discovery.Configs{&kubernetes.SDConfig{Role: kubernetes.RoleNode, HTTPClientConfig: commoncfg.DefaultHTTPClientConfig}},
		[]*relabel.Config{replace("__meta_kubernetes_node_name", "node")}), kubelet, "https", "/metrics")
	kubeletJob.MetricRelabelConfigs = []*relabel.Config{keep(model.MetricNameLabel, "kubelet_.+")}
	return []*promcfg.ScrapeConfig{sidecar, kubeletJob}
}

// cassandraStatsCluster renames the `cluster` label of the Cassandra
// exporter's cassandra_stats series (the Cassandra cluster's name) to
// cassandra_cluster. `cluster` is this Prometheus' external label: a
// series that carried its own would keep it on alerts (Prometheus adds an
// external label only where it is absent) and route as another cluster.
// The second rule sets cluster to the empty string, which deletes it.
func cassandraStatsCluster() []*relabel.Config {
	return []*relabel.Config{
		replaceRegex([]string{model.MetricNameLabel, "cluster"}, "cassandra_stats;(.+)", "$1", "cassandra_cluster"),
		replaceRegex([]string{model.MetricNameLabel}, "cassandra_stats", "", "cluster"),
	}
}

func withMetricRelabels(sc *promcfg.ScrapeConfig, relabels ...*relabel.Config) *promcfg.ScrapeConfig {
	sc.MetricRelabelConfigs = relabels
	return sc
}

// alerting sends every alert to every Alertmanager replica, without the
// replica label.
func alerting(alertmanagers []string) promcfg.AlertingConfig {
	var out promcfg.AlertingConfig
	if len(alertmanagers) == 0 {
		return out
	}
	am := promcfg.DefaultAlertmanagerConfig
	am.APIVersion = promcfg.AlertmanagerAPIVersionV2
	targets := make([]model.LabelSet, 0, len(alertmanagers))
	for _, a := range alertmanagers {
		targets = append(targets, model.LabelSet{model.AddressLabel: model.LabelValue(a)})
	}
	am.ServiceDiscoveryConfigs = discovery.Configs{discovery.StaticConfig{{Targets: targets, Source: "0"}}}
	out.AlertmanagerConfigs = promcfg.AlertmanagerConfigs{&am}
	// Both replicas send every alert. Without their replica label the two
	// copies are one alert to Alertmanager (one notification, and
	// annotations that are common to the group); with it they are two
	// alerts, two pages, and a description that differs by $value.
	drop := relabel.DefaultRelabelConfig
	drop.Regex, drop.Action = relabel.MustNewRegexp(ReplicaLabel), relabel.LabelDrop
	out.AlertRelabelConfigs = []*relabel.Config{&drop}
	return out
}

// probeJob is the multi-target pattern: each target is a URL to probe with
// a module; relabelling hands both to the exporter as the `target` and
// `module` parameters of /probe, keeps the URL as `instance`, and scrapes
// the exporter instead. service, team, endpoint and module are static
// labels of each target, so every probe series carries them and the
// alerts route on team like the others.
func probeJob(probes []blackbox.Probe, exporter string) *promcfg.ScrapeConfig {
	groups := make([]*targetgroup.Group, 0, len(probes))
	for i, p := range probes {
		groups = append(groups, &targetgroup.Group{
			Targets: []model.LabelSet{{model.AddressLabel: model.LabelValue(p.URL)}},
			Labels: model.LabelSet{
				"service": model.LabelValue(p.Service), "team": model.LabelValue(p.Team),
				"endpoint": model.LabelValue(p.Endpoint), "module": model.LabelValue(p.Module),
				model.ParamLabelPrefix + "module": model.LabelValue(p.Module),
			},
			Source: fmt.Sprint(i),
		})
	}
	exporterAddress := relabel.DefaultRelabelConfig
	exporterAddress.Regex, exporterAddress.Replacement, exporterAddress.TargetLabel = relabel.MustNewRegexp(".*"), exporter, model.AddressLabel
	sc := scrape(ProbeJob, discovery.Configs{discovery.StaticConfig(groups)}, []*relabel.Config{
		replace(model.AddressLabel, model.ParamLabelPrefix+"target"),
		replace(model.ParamLabelPrefix+"target", model.InstanceLabel),
		&exporterAddress,
	})
	sc.MetricsPath = "/probe"
	return sc
}

// RenderConfig is BuildConfig serialised as Prometheus writes it.
func RenderConfig(s ScrapeSettings) (string, error) {
	cfg, err := BuildConfig(s)
	if err != nil {
		return "", err
	}
	return cfg.String(), nil
}

func scrape(job string, sd discovery.Configs, relabels []*relabel.Config) *promcfg.ScrapeConfig {
	sc := promcfg.DefaultScrapeConfig
	sc.JobName = job
	sc.ServiceDiscoveryConfigs = sd
	sc.RelabelConfigs = relabels
	sc.HTTPClientConfig = commoncfg.DefaultHTTPClientConfig
	sc.MetricsPath = "/metrics"
	sc.Scheme = "http"
	return &sc
}

func withClient(sc *promcfg.ScrapeConfig, c commoncfg.HTTPClientConfig, scheme, path string) *promcfg.ScrapeConfig {
	sc.HTTPClientConfig, sc.Scheme, sc.MetricsPath = c, scheme, path
	return sc
}

func honor(sc *promcfg.ScrapeConfig) *promcfg.ScrapeConfig {
	sc.HonorLabels = true
	return sc
}

func keep(source, regex string) *relabel.Config {
	c := relabel.DefaultRelabelConfig
	c.SourceLabels, c.Regex, c.Action = model.LabelNames{model.LabelName(source)}, relabel.MustNewRegexp(regex), relabel.Keep
	return &c
}

func drop(source, regex string) *relabel.Config {
	c := keep(source, regex)
	c.Action = relabel.Drop
	return c
}

// scrapePortLabel holds the port annotation's value for keepEqual: labels
// starting with __tmp are for relabelling's own use.
const scrapePortLabel = "__tmp_scrape_port"

// keepEqual keeps the targets whose source label equals the target label.
func keepEqual(source, target string) *relabel.Config {
	c := relabel.DefaultRelabelConfig
	c.SourceLabels, c.TargetLabel, c.Action = model.LabelNames{model.LabelName(source)}, target, relabel.KeepEqual
	return &c
}

// paramsFromAnnotations maps the annotations regex matches to URL
// parameters: __param_<name> is the scrape's ?<name>= parameter.
func paramsFromAnnotations(regex string) *relabel.Config {
	c := relabel.DefaultRelabelConfig
	c.Regex, c.Replacement, c.Action = relabel.MustNewRegexp(regex), model.ParamLabelPrefix+"$1", relabel.LabelMap
	return &c
}

func replace(source, target string) *relabel.Config {
	return replaceRegex([]string{source}, "(.+)", "$1", target)
}

func replaceRegex(sources []string, regex, replacement, target string) *relabel.Config {
	c := relabel.DefaultRelabelConfig
	names := make(model.LabelNames, len(sources))
	for i, s := range sources {
		names[i] = model.LabelName(s)
	}
	c.SourceLabels, c.Regex, c.Replacement, c.TargetLabel, c.Action = names, relabel.MustNewRegexp(regex), replacement, target, relabel.Replace
	return &c
}
