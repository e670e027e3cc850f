package pins

import (
	"path"
	"strings"
)

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
	// Build is how the tests build the release's binaries from source.
	Build Build
}

// Build says how to build a Server the way its upstream release is built
// (the release's .promu.yml or Makefile), so the binary the tests run and
// the image the platform deploys behave alike.
type Build struct {
	// Tags are the release build's tags.
	Tags []string
	// Toolchain is the GOTOOLCHAIN to build with when the module's go.mod
	// asks for a newer Go than the machine's ("go1.27.3", served by the Go
	// module proxy); empty builds with the go command's own setting.
	Toolchain string
	// VersionVar is the string variable (import path "." name) the release
	// stamps with -ldflags -X; the binary reports it as its version.
	VersionVar string
	// VersionVarPrefix precedes Version in that variable ("v" where the
	// upstream stamps its git tag).
	VersionVarPrefix string
	// VersionFile is a module file holding the release version; the build
	// refuses a module whose file disagrees with Version.
	VersionFile string
	// Companions are further main packages built from the same source copy
	// into the same bin directory (promtool beside prometheus), each named
	// after its package's last path element.
	Companions []string
	// EmbedPlaceholders are module-relative files created before the build
	// because a go:embed pattern names assets that the release builds with
	// npm and the module zip lacks; the web UI they stand for is then absent.
	EmbedPlaceholders []string
	// RepoDir is set for a module kept in this repository: its directory
	// relative to the repository root, built there instead of fetched.
	RepoDir string
}

// Binaries are the names of every binary the build makes, Name first.
func (s Server) Binaries() []string {
	names := []string{s.Name}
	for _, p := range s.Build.Companions {
		names = append(names, path.Base(p))
	}
	return names
}

// Image is the pinned image reference.
func (s Server) Image() string { return s.ImageRepository + ":" + s.ImageTagPrefix + s.Version }

// ModulePath is Module@ModuleVersion.
func (s Server) ModulePath() string { return s.Module + "@" + s.ModuleVersion }

// promVersionVar is where every Prometheus-project binary keeps its version.
const promVersionVar = "github.com/prometheus/common/version.Version"

// The servers the platform runs that the tests also run for real.
var (
	// Prometheus 3.16 is published as module v0.316.0.
	Prometheus = Server{
		Name: "prometheus", Module: "github.com/prometheus/prometheus", ModuleVersion: "v0.316.0",
		Package: "./cmd/prometheus", Version: "3.16.0",
		ImageRepository: "quay.io/prometheus/prometheus", ImageTagPrefix: "v",
		// The release also has the tag builtinassets, which embeds the
		// npm-built React UI; without it the UI pages answer 500 and the
		// API is unaffected. The module zip's go.work names directories
		// the zip lacks, so the build runs with GOWORK=off (every build does).
		// remove_all_sd,enable_kubernetes_sd keeps the service discoveries
		// the generated configuration uses (kubernetes; file and http are
		// always in) and leaves out the cloud ones (AWS, Azure, GCE, ...),
		// which are most of the build: a configuration that used one would
		// fail validation here (safe side), not pass untested.
		Build: Build{
			Tags: []string{"netgo", "remove_all_sd", "enable_kubernetes_sd"}, VersionVar: promVersionVar, VersionFile: "VERSION",
			Companions: []string{"./cmd/promtool"},
		},
	}
	Alertmanager = Server{
		Name: "alertmanager", Module: "github.com/prometheus/alertmanager", ModuleVersion: "v0.35.0",
		Package: "./cmd/alertmanager", Version: "0.35.0",
		ImageRepository: "quay.io/prometheus/alertmanager", ImageTagPrefix: "v",
		Build: Build{
			Tags: []string{"netgo"}, VersionVar: promVersionVar, VersionFile: "VERSION",
			Companions: []string{"./cmd/amtool"},
			// ui/web.go embeds app/dist, which npm builds.
			EmbedPlaceholders: []string{"ui/app/dist/elm/index.html", "ui/app/dist/mantine/index.html"},
		},
	}
	Thanos = Server{
		Name: "thanos", Module: "github.com/thanos-io/thanos", ModuleVersion: "v0.42.5",
		Package: "./cmd/thanos", Version: "0.42.5",
		ImageRepository: "quay.io/thanos/thanos", ImageTagPrefix: "v",
		Build: Build{
			// slicelabels is not optional: without it sidecar and store
			// panic on the querier's first Info call (index out of range
			// in gRPC's buffer pool, from a wrong Size()).
			Tags: []string{"netgo", "slicelabels"}, VersionVar: promVersionVar, VersionFile: "VERSION",
			// go.mod says go 1.26.10.
			Toolchain: "go1.27.3",
		},
	}
	// Jaeger v2 (the OpenTelemetry-Collector-based binary) 2.13.0 is
	// released from module v1.76.0 (CHANGELOG: "v1.76.0 / v2.13.0").
	Jaeger = Server{
		Name: "jaeger", Module: "github.com/jaegertracing/jaeger", ModuleVersion: "v1.76.0",
		Package: "./cmd/jaeger", Version: "2.13.0",
		ImageRepository: "jaegertracing/jaeger", ImageTagPrefix: "",
		// The UI is not embedded (cmd/query/app/ui falls back to a
		// placeholder page); the APIs are unaffected.
		Build: Build{
			VersionVar: "github.com/jaegertracing/jaeger/internal/version.latestVersion", VersionVarPrefix: "v",
		},
	}
	BlackboxExporter = Server{
		Name: "blackbox_exporter", Module: "github.com/prometheus/blackbox_exporter", ModuleVersion: "v0.27.0",
		Package: ".", Version: "0.27.0",
		ImageRepository: "quay.io/prometheus/blackbox-exporter", ImageTagPrefix: "v",
		Build: Build{Tags: []string{"netgo"}, VersionVar: promVersionVar, VersionFile: "VERSION"},
	}
	// OTelCollector is this repository's own collector distribution
	// (tools/otelcol), built with the components the generated collector
	// configuration uses at OTelCollectorCore/OTelCollectorContrib, to
	// validate and run that configuration. It is no image: the platform
	// deploys OTelCollectorImage.
	OTelCollector = Server{
		Name: "otelcol-kk", Module: "github.com/klearkarma/observability/tools/otelcol",
		Package: ".", Version: strings.TrimPrefix(OTelCollectorCore, "v"),
		Build: Build{VersionVar: "main.version", RepoDir: "tools/otelcol"},
	}
)

// Servers are the servers the tests build, in build order: the ones most
// tests wait on first (promtool and amtool check every rule and route),
// the smaller ones next, Jaeger (the largest build) last.
func Servers() []Server {
	return []Server{Prometheus, Alertmanager, BlackboxExporter, OTelCollector, Thanos, Jaeger}
}

// OpenTelemetry Collector: the core modules' release and the contrib
// modules' release that go with it. The deployed image is the contrib
// distribution at the contrib release; the tests build a collector with
// exactly the components the generated configuration uses at these versions.
//
// The contrib distribution's image tag is its release, and the release
// takes the contrib modules' version: opentelemetry-collector-releases
// tags a patch release x.y.1 when contrib publishes x.y.1 (0.140.1 links
// contrib v0.140.1 with core v0.140.0), so image 0.165.1 is contrib v0.165.1
// on core v0.165.0. Both constants below derive from the one release.
const (
	OTelCollectorCore = "v0.165.0"
	// OTelCollectorContribRelease is the contrib distribution's release:
	// the image tag, and (with a "v") the contrib modules' version.
	OTelCollectorContribRelease = "0.165.1"
	OTelCollectorContrib        = "v" + OTelCollectorContribRelease
	// OTelCollectorCoreStable is the release of the core's stable (v1)
	// modules (component, confmap, pdata, ...) that goes with OTelCollectorCore.
	OTelCollectorCoreStable = "v1.71.0"
	OTelCollectorImage      = "otel/opentelemetry-collector-contrib:" + OTelCollectorContribRelease
)

// CassandraImage is the trace store (components/jaeger): the official image,
// whose cqlsh the schema Job also runs. 4.1 is the line the Jaeger v1
// deployment ran (4.1.7), so a patch update keeps the data files as they
// are; Jaeger's schema v004 is the one for Cassandra 4 and 5. The tests
// cannot run it (no container runtime here).
const CassandraImage = "cassandra:4.1.11"

// CassandraExporterImage is the metrics sidecar of each Cassandra node
// (components/jaeger cassandraexporter.go): Criteo's cassandra_exporter,
// the image its release workflow publishes for tag 2.3.8 (its last release,
// March 2022), which reads JMX on localhost:7199 and names every value
// cassandra_stats{name="<mbean path>:<attribute>"} (JmxScraper.java). The
// tests cannot run it either.
const CassandraExporterImage = "criteord/cassandra_exporter:2.3.8"

// The embedded Kubernetes control plane the live tests deploy to.
const (
	// KubernetesControlPlane is k8s.io/kubernetes v1.37.2 with its staging
	// modules at v0.37.2.
	KubernetesControlPlane = "1.37.2"
	Etcd                   = "3.7.3"
	Kwok                   = "0.8.0"
)
