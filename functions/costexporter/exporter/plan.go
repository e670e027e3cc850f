package exporter

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/klearkarma/observability/functions/costexporter/contract"
)

// Plan is what a run for one day publishes and sends.
type Plan struct {
	Day       string        `json:"day"`
	TotalUSD  float64       `json:"totalUsd"`
	BudgetUSD float64       `json:"budgetUsd"`
	Estimated bool          `json:"estimated"`
	Services  []ServiceCost `json:"services"`
	// Slack is set when the day is over budget.
	Slack *SlackMessage `json:"slack,omitempty"`
	// PagerDuty is set when the day is over PageFactor times the budget; its
	// routing key is filled in from the secret only when sending.
	PagerDuty *PagerDutyEvent `json:"pagerDuty,omitempty"`

	batches [][]types.MetricDatum
}

// Call is one PutMetricData request, for printing.
type Call struct {
	Namespace string  `json:"namespace"`
	Data      []Point `json:"data"`
}

// Point is one data point, for printing.
type Point struct {
	Metric    string    `json:"metric"`
	Service   string    `json:"service,omitempty"`
	Value     float64   `json:"value"`
	Timestamp time.Time `json:"timestamp"`
}

// Calls are the PutMetricData requests the plan makes, in order.
func (p *Plan) Calls() []Call {
	out := make([]Call, 0, len(p.batches))
	for _, b := range p.batches {
		c := Call{Namespace: contract.Namespace}
		for _, d := range b {
			pt := Point{Metric: aws.ToString(d.MetricName), Value: aws.ToFloat64(d.Value), Timestamp: aws.ToTime(d.Timestamp)}
			for _, dim := range d.Dimensions {
				if aws.ToString(dim.Name) == contract.ServiceDimension {
					pt.Service = aws.ToString(dim.Value)
				}
			}
			c.Data = append(c.Data, pt)
		}
		out = append(out, c)
	}
	return out
}
