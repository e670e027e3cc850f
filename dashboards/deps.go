// Package dashboards owns the Grafana dashboards as code.
package dashboards

import (
	_ "github.com/grafana/grafana-foundation-sdk/go/dashboard"
	_ "github.com/grafana/grafana-foundation-sdk/go/prometheus"
	_ "github.com/grafana/grafana-foundation-sdk/go/stat"
	_ "github.com/grafana/grafana-foundation-sdk/go/timeseries"
	_ "github.com/grafana/grafana-foundation-sdk/go/bargauge"
	_ "github.com/grafana/grafana-foundation-sdk/go/common"
)
