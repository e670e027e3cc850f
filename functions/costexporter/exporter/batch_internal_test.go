package exporter

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/functions/costexporter/contract"
)

func TestBatch(t *testing.T) {
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	services := func(n, nameLen int) DayCosts {
		c := DayCosts{Day: day}
		for i := range n {
			c.Services = append(c.Services, ServiceCost{Service: fmt.Sprintf("%s%04d", strings.Repeat("x", nameLen-4), i), USD: 1})
			c.Total++
		}
		return c
	}
	cases := map[string]struct {
		costs     DayCosts
		wantSizes []int
	}{
		"an empty day is one call holding the total":       {costs: DayCosts{Day: day}, wantSizes: []int{1}},
		"999 services and the total fill exactly one call": {costs: services(999, 40), wantSizes: []int{1000}},
		"1000 services push the total into a second call":  {costs: services(1000, 40), wantSizes: []int{1000, 1}},
		// 1024 characters is CloudWatch's longest dimension value; such a
		// datum is estimated at 128+9+16+7+1024 = 1184 bytes, so 844 fit
		// under 10^6 bytes with the request's 256, well before 1000.
		"a thousand services with 1024-character names split by payload size": {costs: services(1000, 1024), wantSizes: []int{844, 157}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := batch(datums(tc.costs), MaxDatumsPerCall, MaxRequestBytes)
			var sizes []int
			for _, b := range got {
				sizes = append(sizes, len(b))
				bytes := requestOverhead
				for _, d := range b {
					bytes += datumBytes(d)
				}
				assert.LessOrEqual(t, bytes, MaxRequestBytes)
				assert.LessOrEqual(t, len(b), MaxDatumsPerCall)
			}
			assert.Equal(t, tc.wantSizes, sizes)
			last := got[len(got)-1]
			require.NotEmpty(t, last)
			assert.Equal(t, contract.TotalMetric, *last[len(last)-1].MetricName, "the total is the last point of the last call")
		})
	}
}

func TestUSDFormatsLikeTheSeed(t *testing.T) {
	for in, want := range map[float64]string{
		620.6600123456: "$620.66", 0: "$0.00", -0.001: "$0.00", -8.05: "-$8.05", 1e6: "$1000000.00", 0.005: "$0.01",
	} {
		assert.Equal(t, want, usd(in), "%v", in)
	}
}
