package costexporter

import (
	"fmt"

	"github.com/klearkarma/observability/functions/costexporter/contract"
	"github.com/klearkarma/observability/internal/encoding"
)

// The CloudWatch dashboard body, as structs so it serialises the same way
// every time (field order fixed, maps sorted by encoding.JSON).
type (
	dashboard struct {
		Start          string   `json:"start"`
		PeriodOverride string   `json:"periodOverride"`
		Widgets        []widget `json:"widgets"`
	}
	widget struct {
		Type       string `json:"type"`
		X          int    `json:"x"`
		Y          int    `json:"y"`
		Width      int    `json:"width"`
		Height     int    `json:"height"`
		Properties any    `json:"properties"`
	}
	metricWidget struct {
		Title       string       `json:"title"`
		View        string       `json:"view"`
		Stacked     bool         `json:"stacked"`
		Region      string       `json:"region"`
		Period      int          `json:"period"`
		Stat        string       `json:"stat"`
		Metrics     [][]any      `json:"metrics"`
		Annotations *annotations `json:"annotations,omitempty"`
		YAxis       *yAxis       `json:"yAxis,omitempty"`
	}
	expression struct {
		Expression string `json:"expression"`
		ID         string `json:"id"`
		Label      string `json:"label"`
		Period     int    `json:"period"`
	}
	metricOptions struct {
		Stat   string `json:"stat"`
		Period int    `json:"period"`
		Label  string `json:"label"`
	}
	annotations struct {
		Horizontal []horizontal `json:"horizontal"`
	}
	horizontal struct {
		Label string  `json:"label"`
		Value float64 `json:"value"`
		Color string  `json:"color"`
	}
	yAxis struct {
		Left axis `json:"left"`
	}
	axis struct {
		Label     string `json:"label"`
		ShowUnits bool   `json:"showUnits"`
	}
	textWidget struct {
		Markdown string `json:"markdown"`
	}
)

// ServiceSearch is the expression behind the by-service graph: every
// DailyCost series with exactly the Service dimension, one per service,
// whatever services appear later.
var ServiceSearch = fmt.Sprintf(`SEARCH('{%s,%s} MetricName="%s"', 'Maximum', %d)`,
	contract.Namespace, contract.ServiceDimension, contract.ServiceMetric, day)

func dashboardBody(region, fnName, schedule string, budgetUSD float64) (string, error) {
	usd := &yAxis{Left: axis{Label: "USD", ShowUnits: false}}
	d := dashboard{
		Start:          "-P30D",
		PeriodOverride: "inherit",
		Widgets: []widget{
			{Type: "text", X: 0, Y: 0, Width: 24, Height: 2, Properties: textWidget{Markdown: fmt.Sprintf(
				"## AWS cost by service\nCost Explorer BlendedCost per UTC day, published by `%s` the next day on `%s` (UTC). "+
					"Each day's points are stamped 23:59 UTC of that day; a re-run adds nothing to the daily Maximum shown here.", fnName, schedule)}},
			{Type: "metric", X: 0, Y: 2, Width: 16, Height: 9, Properties: metricWidget{
				Title: "Daily cost by service", View: "timeSeries", Stacked: true, Region: region, Period: day, Stat: "Maximum",
				Metrics: [][]any{{expression{Expression: ServiceSearch, ID: "services", Label: "", Period: day}}},
				YAxis:   usd,
			}},
			{Type: "metric", X: 16, Y: 2, Width: 8, Height: 9, Properties: metricWidget{
				Title: "Daily total against the budget", View: "timeSeries", Region: region, Period: day, Stat: "Maximum",
				Metrics:     [][]any{{contract.Namespace, contract.TotalMetric, metricOptions{Stat: "Maximum", Period: day, Label: "Total"}}},
				Annotations: &annotations{Horizontal: []horizontal{{Label: "Daily budget", Value: budgetUSD, Color: "#d62728"}}},
				YAxis:       usd,
			}},
			{Type: "metric", X: 0, Y: 11, Width: 24, Height: 4, Properties: metricWidget{
				Title: "Exporter runs", View: "timeSeries", Region: region, Period: day, Stat: "Sum",
				Metrics: [][]any{
					{"AWS/Lambda", "Invocations", "FunctionName", fnName, metricOptions{Stat: "Sum", Period: day, Label: "Invocations"}},
					{"AWS/Lambda", "Errors", "FunctionName", fnName, metricOptions{Stat: "Sum", Period: day, Label: "Errors"}},
				},
			}},
		},
	}
	return encoding.JSON(d)
}
