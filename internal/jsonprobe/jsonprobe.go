// Package jsonprobe is a prometheus-community json_exporter sidecar: it
// turns a JSON status API of the pod it runs in (Logstash's node stats,
// Kibana's status) into Prometheus metrics, for software that serves no
// Prometheus endpoint of its own. The configuration is the exporter's own
// type (github.com/prometheus-community/json_exporter/config), at the
// release the image is (pins.JSONExporter), and the tests run the
// exporter's own collector on it.
//
// Prometheus' annotation job scrapes the sidecar: its /probe endpoint, with
// the module and the target URL as parameters (prometheus.io/param_*
// annotations). The sidecar fetches the target when Prometheus scrapes; an
// API that does not answer, or answers a status outside ValidStatusCodes,
// makes the exporter answer 503, which fails the scrape: `up` is 0 while
// the software is down, and the component's "down" alert needs no other
// series. A path that matches nothing drops its series only (the exporter
// logs it); the rest of the scrape goes on.
package jsonprobe

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/prometheus-community/json_exporter/config"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"gopkg.in/yaml.v2"

	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/workload"
)

const (
	// Port is the exporter's registered default port.
	Port = 7979
	// ContainerName is the sidecar container's name.
	ContainerName = "json-exporter"
	// ProbePath is the endpoint Prometheus scrapes.
	ProbePath = "/probe"
	// ConfigFile is the configuration's file name, the key in the
	// workload's ConfigMap that Files returns.
	ConfigFile = "json-exporter.yml"
	mountPath  = "/etc/json-exporter"
)

// Probe is one JSON API read by the sidecar.
type Probe struct {
	// Module names the configuration's module; Prometheus asks for it.
	Module string
	// Target is the URL the exporter reads, inside the pod (localhost).
	Target string
	// Metrics are what the exporter makes of the response.
	Metrics []config.Metric
	// ValidStatusCodes are the answers whose body the exporter reads; any
	// other fails the scrape. Empty means 2xx.
	ValidStatusCodes []int
}

// Config is the exporter's configuration: the one module.
func (p Probe) Config() config.Config {
	return config.Config{Modules: map[string]config.Module{p.Module: {Metrics: p.Metrics, ValidStatusCodes: p.ValidStatusCodes}}}
}

// Render is the configuration file, as the exporter reads it (gopkg.in/yaml.v2,
// its decoder; map keys sorted, so the output is deterministic).
func (p Probe) Render() (string, error) {
	if err := p.check(); err != nil {
		return "", err
	}
	b, err := yaml.Marshal(p.Config())
	if err != nil {
		return "", fmt.Errorf("json_exporter module %s: %w", p.Module, err)
	}
	return string(b), nil
}

func (p Probe) check() error {
	if p.Module == "" {
		return fmt.Errorf("json_exporter probe: Module is empty")
	}
	u, err := url.Parse(p.Target)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("json_exporter module %s: Target %q is not an absolute URL", p.Module, p.Target)
	}
	if len(p.Metrics) == 0 {
		return fmt.Errorf("json_exporter module %s: no metrics", p.Module)
	}
	return nil
}

// Annotations are the pod annotations that make the annotation job
// scrape the sidecar's /probe with the module and target.
func (p Probe) Annotations() map[string]string {
	a := workload.ScrapeAnnotations(Port, ProbePath)
	a["prometheus.io/param_module"] = p.Module
	a["prometheus.io/param_target"] = p.Target
	return a
}

// Container is the sidecar, reading its configuration from the ConfigMap
// volume named volume (which holds ConfigFile). It runs as the pod's user
// on a read-only root; it is alive while it listens and ready while its
// own /metrics answers, whatever the API it reads does (that is for the
// alerts to say, never a reason to restart the workload's pod).
func Container(volume string) *corev1.ContainerArgs {
	return &corev1.ContainerArgs{
		Name:  pulumi.String(ContainerName),
		Image: pulumi.String(pins.JSONExporterImage),
		Args: pulumi.ToStringArray([]string{
			"--config.file=" + mountPath + "/" + ConfigFile,
			"--web.listen-address=:" + strconv.Itoa(Port),
		}),
		Ports: corev1.ContainerPortArray{&corev1.ContainerPortArgs{
			Name: pulumi.String("json-metrics"), ContainerPort: pulumi.Int(Port), Protocol: pulumi.String("TCP"),
		}},
		VolumeMounts: corev1.VolumeMountArray{&corev1.VolumeMountArgs{
			Name: pulumi.String(volume), MountPath: pulumi.String(mountPath + "/" + ConfigFile),
			SubPath: pulumi.String(ConfigFile), ReadOnly: pulumi.Bool(true),
		}},
		Resources:       workload.Resources{RequestsCPU: "20m", RequestsMemory: "32Mi", LimitsCPU: "100m", LimitsMemory: "64Mi"}.Args(),
		SecurityContext: workload.RestrictedContainer(),
		LivenessProbe:   workload.TCPProbe(Port, 5, 30),
		ReadinessProbe:  workload.HTTPProbe("/metrics", Port, 5, 10),
	}
}
