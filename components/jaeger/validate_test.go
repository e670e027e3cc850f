package jaeger

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/internal/livetest"
	"github.com/klearkarma/observability/internal/pins"
)

// Every configuration New renders passes the validation of the component
// that reads it, at the pinned release: `jaeger validate` (Jaeger 2.13.0)
// for the tiers, `otelcol-kk validate` (tools/otelcol: the contrib image's
// components at its release) for the collector. A broken copy of each
// fails, so the validator does read what it is given.
func TestLiveGeneratedConfigsPassUpstreamValidation(t *testing.T) {
	livetest.SkipShort(t, "validates the generated configurations with jaeger and otelcol-kk")
	jaegerBin := livetest.Built(t, pins.Jaeger, "jaeger")
	collectorBin := livetest.Built(t, pins.OTelCollector, "otelcol-kk")
	ha := seedArgs(t)
	ha.CassandraReplicas, ha.CollectorReplicas, ha.SampledRatio = 3, 2, 0.25
	for stack, args := range map[string]Args{"seed sizing": seedArgs(t), "three nodes, a quarter sampled": ha} {
		for name, content := range renderedConfigs(t, args) {
			bin := jaegerBin
			switch {
			case name == "collector.yaml":
				bin = collectorBin
			case strings.HasSuffix(name, ".cql"):
				continue
			}
			t.Run(stack+"/"+name, func(t *testing.T) {
				code, out := livetest.Run(t, time.Minute, bin, "validate", "--config=file:"+livetest.WriteFile(t, name, content))
				require.Zero(t, code, "%s rejects the generated %s:\n%s\n%s", bin, name, out, content)
				broken := strings.Replace(content, "check_interval: 1s", "check_interval: 1s\n    check_intervall: 1s", 1)
				require.NotEqual(t, content, broken)
				code, out = livetest.Run(t, time.Minute, bin, "validate", "--config=file:"+livetest.WriteFile(t, name, broken))
				require.NotZero(t, code, "%s accepts an unknown key", bin)
				require.Contains(t, out, "check_intervall")
			})
		}
	}
}
