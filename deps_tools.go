//go:build deps

// Keeps upstream packages that work in progress imports in go.mod and
// go.sum while it lands; removed once real code imports them.
package main

import (
	_ "github.com/prometheus/alertmanager/config"
	_ "github.com/prometheus/alertmanager/dispatch"
	_ "github.com/prometheus/prometheus/config"
	_ "github.com/prometheus/prometheus/discovery/kubernetes"
	_ "github.com/prometheus/prometheus/model/rulefmt"
	_ "github.com/prometheus/prometheus/promql/parser"
	_ "github.com/prometheus/prometheus/promql/promqltest"
)
