package pins

// A Server is one upstream program the platform deploys as an image and the
// tests build from the Go module proxy and run (or use to validate its
// configuration). Image tag and module version come from this one value, so
// what is tested is what is deployed.
type Server struct {
	// Name is the binary's name.
	Name string
	// Module is the Go module the binary is built from.
	Module string
	// ModuleVersion is the module's version on the proxy.
	ModuleVersion string
	// Package is the main package inside the module.
	Package string
	// Version is the release the binary reports and the image is tagged with.
	Version string
	// ImageRepository is where the release's image is published.
	ImageRepository string
	// ImageTagPrefix precedes Version in the image tag ("v" or "").
	ImageTagPrefix string
}

// Image is the pinned image reference.
func (s Server) Image() string { return s.ImageRepository + ":" + s.ImageTagPrefix + s.Version }

// ModulePath is Module@ModuleVersion.
func (s Server) ModulePath() string { return s.Module + "@" + s.ModuleVersion }

// The servers the platform runs that the tests also run for real.
var (
	// Prometheus 3.16 is published as module v0.316.0.
	Prometheus = Server{
		Name: "prometheus", Module: "github.com/prometheus/prometheus", ModuleVersion: "v0.316.0",
		Package: "./cmd/prometheus", Version: "3.16.0",
		ImageRepository: "quay.io/prometheus/prometheus", ImageTagPrefix: "v",
	}
	Alertmanager = Server{
		Name: "alertmanager", Module: "github.com/prometheus/alertmanager", ModuleVersion: "v0.35.0",
		Package: "./cmd/alertmanager", Version: "0.35.0",
		ImageRepository: "quay.io/prometheus/alertmanager", ImageTagPrefix: "v",
	}
	Thanos = Server{
		Name: "thanos", Module: "github.com/thanos-io/thanos", ModuleVersion: "v0.42.5",
		Package: "./cmd/thanos", Version: "0.42.5",
		ImageRepository: "quay.io/thanos/thanos", ImageTagPrefix: "v",
	}
	// Jaeger v2 (the OpenTelemetry-Collector-based binary) 2.13.0 is
	// released from module v1.76.0 (CHANGELOG: "v1.76.0 / v2.13.0").
	Jaeger = Server{
		Name: "jaeger", Module: "github.com/jaegertracing/jaeger", ModuleVersion: "v1.76.0",
		Package: "./cmd/jaeger", Version: "2.13.0",
		ImageRepository: "jaegertracing/jaeger", ImageTagPrefix: "",
	}
	BlackboxExporter = Server{
		Name: "blackbox_exporter", Module: "github.com/prometheus/blackbox_exporter", ModuleVersion: "v0.27.0",
		Package: ".", Version: "0.27.0",
		ImageRepository: "quay.io/prometheus/blackbox-exporter", ImageTagPrefix: "v",
	}
)

// OpenTelemetry Collector: the core modules' release and the contrib
// modules' release that go with it. The deployed image is the contrib
// distribution at the contrib release; the tests build a collector with
// exactly the components the generated configuration uses at these versions.
const (
	OTelCollectorCore    = "v0.165.0"
	OTelCollectorContrib = "v0.165.1"
	OTelCollectorImage   = "otel/opentelemetry-collector-contrib:0.165.1"
)

// The embedded Kubernetes control plane the live tests deploy to.
const (
	// KubernetesControlPlane is k8s.io/kubernetes v1.37.2 with its staging
	// modules at v0.37.2.
	KubernetesControlPlane = "1.37.2"
	Etcd                   = "3.7.3"
	Kwok                   = "0.8.0"
)
