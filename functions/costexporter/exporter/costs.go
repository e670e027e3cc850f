package exporter

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/costexplorer"
	"github.com/aws/aws-sdk-go-v2/service/costexplorer/types"
	"github.com/aws/smithy-go"
)

const (
	// costMetric is the seed's: BlendedCost spreads reserved-instance and
	// volume discounts across the organisation's accounts.
	costMetric = "BlendedCost"
	currency   = "USD"
	// maxPages stops a Cost Explorer that keeps returning a page token; a
	// day grouped by service fits in a handful of pages.
	maxPages = 50
	// noService names a group whose key is empty: CloudWatch dimension
	// values cannot be empty.
	noService = "(no service)"
)

// ServiceCost is one service's cost for the day.
type ServiceCost struct {
	Service string  `json:"service"`
	USD     float64 `json:"usd"`
}

// DayCosts is one UTC day from Cost Explorer.
type DayCosts struct {
	Day time.Time
	// Services are sorted by name, so the total sums in a fixed order and
	// comes out bit-for-bit the same on every run.
	Services  []ServiceCost
	Total     float64
	Estimated bool
	Pages     int
}

// fetch reads day's BlendedCost per SERVICE, every page of it.
func (e *Exporter) fetch(ctx context.Context, day time.Time) (DayCosts, error) {
	start, end := day.Format(DateLayout), day.AddDate(0, 0, 1).Format(DateLayout)
	fail := func(page int, err error) (DayCosts, error) {
		return DayCosts{}, fmt.Errorf("cost explorer GetCostAndUsage %s..%s (page %d): %w", start, end, page, err)
	}
	seen := map[string]float64{}
	out := DayCosts{Day: day}
	var token *string
	for page := 1; ; page++ {
		if page > maxPages {
			return fail(page, fmt.Errorf("still paging after %d pages: Cost Explorer keeps returning NextPageToken", maxPages))
		}
		resp, err := e.c.CostExplorer.GetCostAndUsage(ctx, &costexplorer.GetCostAndUsageInput{
			TimePeriod:    &types.DateInterval{Start: aws.String(start), End: aws.String(end)},
			Granularity:   types.GranularityDaily,
			Metrics:       []string{costMetric},
			GroupBy:       []types.GroupDefinition{{Type: types.GroupDefinitionTypeDimension, Key: aws.String(string(types.DimensionService))}},
			NextPageToken: token,
		})
		if err != nil {
			return fail(page, explainCostExplorer(err))
		}
		out.Pages = page
		for _, r := range resp.ResultsByTime {
			if r.TimePeriod == nil || aws.ToString(r.TimePeriod.Start) != start {
				return fail(page, fmt.Errorf("a result for %v came back for a query of %s only", r.TimePeriod, start))
			}
			out.Estimated = out.Estimated || r.Estimated
			for _, g := range r.Groups {
				name, usd, err := groupCost(g)
				if err != nil {
					return fail(page, err)
				}
				if _, dup := seen[name]; dup {
					return fail(page, fmt.Errorf("service %q appears twice: the pages disagree, run again", name))
				}
				seen[name] = usd
			}
		}
		if aws.ToString(resp.NextPageToken) == "" {
			break
		}
		token = resp.NextPageToken
	}
	for name, usd := range seen {
		out.Services = append(out.Services, ServiceCost{Service: name, USD: usd})
	}
	sort.Slice(out.Services, func(i, j int) bool { return out.Services[i].Service < out.Services[j].Service })
	for _, s := range out.Services {
		out.Total += s.USD
	}
	return out, nil
}

func groupCost(g types.Group) (string, float64, error) {
	if len(g.Keys) != 1 {
		return "", 0, fmt.Errorf("a group has keys %q where one SERVICE key was asked for", g.Keys)
	}
	name := g.Keys[0]
	if name == "" {
		name = noService
	}
	mv, ok := g.Metrics[costMetric]
	if !ok {
		return "", 0, fmt.Errorf("service %q has no %s", name, costMetric)
	}
	if unit := aws.ToString(mv.Unit); unit != currency {
		return "", 0, fmt.Errorf("service %q is in %q, not %s: the budget is in US dollars", name, unit, currency)
	}
	usd, err := strconv.ParseFloat(aws.ToString(mv.Amount), 64)
	if err != nil || math.IsNaN(usd) || math.IsInf(usd, 0) {
		return "", 0, fmt.Errorf("service %q has amount %q, not a finite number", name, aws.ToString(mv.Amount))
	}
	return name, usd, nil
}

// explainCostExplorer adds the fix to the errors an operator can act on.
func explainCostExplorer(err error) error {
	var unavailable *types.DataUnavailableException
	if errors.As(err, &unavailable) {
		return fmt.Errorf("%w (Cost Explorer has no data for the day: enable Cost Explorer in the Billing console; data appears about 24 hours after enabling)", err)
	}
	var api smithy.APIError
	if errors.As(err, &api) && (api.ErrorCode() == "AccessDeniedException" || api.ErrorCode() == "AccessDenied") {
		return fmt.Errorf("%w (the caller needs ce:GetCostAndUsage on \"*\"; in an organization's member account the management account must also allow member access to Cost Explorer)", err)
	}
	return err
}

// byCost returns a copy sorted by cost, highest first, ties by name.
func byCost(s []ServiceCost) []ServiceCost {
	out := append([]ServiceCost(nil), s...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].USD != out[j].USD {
			return out[i].USD > out[j].USD
		}
		return out[i].Service < out[j].Service
	})
	return out
}
