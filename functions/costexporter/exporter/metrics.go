package exporter

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/klearkarma/observability/functions/costexporter/contract"
)

// PutMetricData's limits (SDK docs of cloudwatch v1.76 PutMetricData): at
// most 1000 metrics per request and 1 MB per HTTP POST. MaxRequestBytes
// stays under 1 MB (10^6, below 2^20) and is checked against a deliberately
// generous estimate of each datum, so a call never reaches the real limit.
const (
	MaxDatumsPerCall = 1000
	MaxRequestBytes  = 1_000_000
	// requestOverhead covers the namespace and the envelope of a request.
	requestOverhead = 256
	// datumOverhead covers a datum's keys, timestamp, value, unit and the
	// encoding's framing, rounded well up.
	datumOverhead = 128
)

// datums turns a day into data points: one per service (sorted by name),
// then the total, last, so it lands in the last call.
func datums(c DayCosts) []types.MetricDatum {
	ts := MetricTimestamp(c.Day)
	out := make([]types.MetricDatum, 0, len(c.Services)+1)
	for _, s := range c.Services {
		out = append(out, datum(contract.ServiceMetric, s.USD, ts, types.Dimension{
			Name: aws.String(contract.ServiceDimension), Value: aws.String(s.Service),
		}))
	}
	return append(out, datum(contract.TotalMetric, c.Total, ts))
}

func datum(metric string, usd float64, ts time.Time, dims ...types.Dimension) types.MetricDatum {
	return types.MetricDatum{
		MetricName: aws.String(metric),
		Dimensions: dims,
		Value:      aws.Float64(usd),
		Timestamp:  aws.Time(ts),
		// CloudWatch has no currency unit; the metric names say USD.
		Unit: types.StandardUnitNone,
	}
}

// datumBytes over-estimates a datum's share of a request.
func datumBytes(d types.MetricDatum) int {
	n := datumOverhead + len(aws.ToString(d.MetricName))
	for _, dim := range d.Dimensions {
		n += 16 + len(aws.ToString(dim.Name)) + len(aws.ToString(dim.Value))
	}
	return n
}

// batch splits data points into calls within both limits, keeping order.
func batch(ds []types.MetricDatum, maxItems, maxBytes int) [][]types.MetricDatum {
	var out [][]types.MetricDatum
	var cur []types.MetricDatum
	size := requestOverhead
	for _, d := range ds {
		b := datumBytes(d)
		if len(cur) > 0 && (len(cur) == maxItems || size+b > maxBytes) {
			out = append(out, cur)
			cur, size = nil, requestOverhead
		}
		cur = append(cur, d)
		size += b
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// publish sends the plan's calls in order and stops at the first error.
func (e *Exporter) publish(ctx context.Context, p *Plan) error {
	for i, b := range p.batches {
		if _, err := e.c.CloudWatch.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{
			Namespace:  aws.String(contract.Namespace),
			MetricData: b,
		}); err != nil {
			return fmt.Errorf("cloudwatch PutMetricData %s call %d of %d for %s: %w (the total is in the last call, so the day stays missing until a re-run succeeds; re-running is safe)",
				contract.Namespace, i+1, len(p.batches), p.Day, err)
		}
	}
	return nil
}
