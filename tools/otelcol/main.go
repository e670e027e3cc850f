// Command otelcol-kk is an OpenTelemetry Collector distribution with exactly
// the components the platform's generated collector configuration may use,
// at the pinned core and contrib releases (internal/pins). The tests build it
// (internal/livebin) to validate that configuration with the collector's own
// parser and to run it as a real process.
//
// It is a module of its own so the collector's dependency tree stays out of
// the program's go.mod. The deployed image is the upstream contrib
// distribution at pins.OTelCollectorContrib; every component here but one is
// also in that image, so a configuration of those that this binary accepts,
// the image accepts too. The exception is healthcheckv2, which the contrib
// distribution does not include (its manifest lists healthcheckextension
// only); Jaeger v2 bundles it, and the generated collector configuration
// uses health_check (components/jaeger tests that).
//
// Not included: the awsxray exporter. The Go module proxy refuses
// github.com/open-telemetry/opentelemetry-collector-contrib/exporter/awsxrayexporter
// at v0.165.0 and v0.165.1 ("This module version is not available").
package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/healthcheckextension"
	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/healthcheckv2extension"
	"github.com/open-telemetry/opentelemetry-collector-contrib/processor/probabilisticsamplerprocessor"
	"github.com/open-telemetry/opentelemetry-collector-contrib/receiver/jaegerreceiver"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/fileprovider"
	"go.opentelemetry.io/collector/confmap/provider/yamlprovider"
	"go.opentelemetry.io/collector/exporter/debugexporter"
	"go.opentelemetry.io/collector/exporter/otlpexporter"
	"go.opentelemetry.io/collector/exporter/otlphttpexporter"
	"go.opentelemetry.io/collector/otelcol"
	"go.opentelemetry.io/collector/processor/batchprocessor"
	"go.opentelemetry.io/collector/processor/memorylimiterprocessor"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"
	"go.opentelemetry.io/collector/service/telemetry/otelconftelemetry"
)

// version is stamped by the build (-ldflags -X main.version=...; see
// pins.OTelCollector). Unstamped builds (go run) report the collector core
// version compiled in.
var version = ""

func components() (otelcol.Factories, error) {
	f := otelcol.Factories{Telemetry: otelconftelemetry.NewFactory()}
	var err error
	if f.Extensions, err = otelcol.MakeFactoryMap(
		healthcheckextension.NewFactory(),
		healthcheckv2extension.NewFactory(),
	); err != nil {
		return f, fmt.Errorf("extensions: %w", err)
	}
	if f.Receivers, err = otelcol.MakeFactoryMap(
		otlpreceiver.NewFactory(),
		jaegerreceiver.NewFactory(),
	); err != nil {
		return f, fmt.Errorf("receivers: %w", err)
	}
	if f.Processors, err = otelcol.MakeFactoryMap(
		batchprocessor.NewFactory(),
		memorylimiterprocessor.NewFactory(),
		probabilisticsamplerprocessor.NewFactory(),
	); err != nil {
		return f, fmt.Errorf("processors: %w", err)
	}
	// In v0.165 the gRPC and HTTP OTLP exporters are the types otlp_grpc and
	// otlp_http; otlp and otlphttp are deprecated aliases that still load.
	if f.Exporters, err = otelcol.MakeFactoryMap(
		otlpexporter.NewFactory(),
		otlphttpexporter.NewFactory(),
		debugexporter.NewFactory(),
	); err != nil {
		return f, fmt.Errorf("exporters: %w", err)
	}
	return f, nil
}

// coreVersion is the version of the collector core module linked in.
func coreVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "go.opentelemetry.io/collector/otelcol" {
				return d.Version[1:]
			}
		}
	}
	return "unknown"
}

func main() {
	v := version
	if v == "" {
		v = coreVersion()
	}
	set := otelcol.CollectorSettings{
		BuildInfo: component.BuildInfo{
			Command:     "otelcol-kk",
			Description: "Klear Karma observability test collector",
			Version:     v,
		},
		Factories: components,
		ConfigProviderSettings: otelcol.ConfigProviderSettings{
			ResolverSettings: confmap.ResolverSettings{
				ProviderFactories: []confmap.ProviderFactory{
					fileprovider.NewFactory(),
					envprovider.NewFactory(),
					yamlprovider.NewFactory(),
				},
			},
		},
	}
	if err := otelcol.NewCommand(set).Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "otelcol-kk:", err)
		os.Exit(1)
	}
}
