package rules_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/rules"
)

func TestCheckQuery(t *testing.T) {
	cases := map[string]struct {
		expr    string
		wantErr []string // substrings; empty means the query passes
	}{
		"a declared counter with its declared labels passes": {
			expr: `sum by (endpoint) (rate(http_requests_total{status_code=~"5..", method="GET"}[5m]))`,
		},
		"the target labels every scrape adds may be used on any scraped metric": {
			expr: `sum by (job, instance, namespace, pod, container, service) (rate(http_requests_total[5m]))`,
		},
		"le may be used on a histogram's _bucket series": {
			expr: `histogram_quantile(0.95, sum by (le, query_type) (rate(database_query_duration_seconds_bucket{le!="+Inf"}[5m])))`,
		},
		"a histogram's _sum and _count series come with the histogram": {
			expr: `sum(rate(http_request_duration_seconds_sum[5m])) / sum(rate(http_request_duration_seconds_count[5m]))`,
		},
		"a recording rule may be used with its own labels": {
			expr: `sum by (service) (namespace_service:http_requests:rate5m{namespace="klear-karma"})`,
		},
		"a dashboard may use the cluster label that Thanos Query adds": {
			expr: `sum by (cluster) (namespace_service:http_requests:rate5m{cluster="prod"})`,
		},
		"a label created by label_replace may be grouped by": {
			expr: `sum by (route) (label_replace(rate(http_requests_total[5m]), "route", "$1", "endpoint", "(.*)"))`,
		},
		"on() and group_left() with labels their sides carry pass": {
			expr: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total[5m])) * on (namespace, pod) group_left (node) max by (namespace, pod, node) (kube_pod_container_resource_limits)`,
		},
		"an undeclared metric is rejected, and the error says where to declare it": {
			expr:    `sum(increase(payments_completed_total[24h]))`,
			wantErr: []string{`metric "payments_completed_total" is not declared in the catalog (rules/catalog.go)`},
		},
		"an undeclared label in a matcher is rejected": {
			expr:    `sum(rate(http_requests_total{status="500"}[5m]))`,
			wantErr: []string{`label "status" is not declared on http_requests_total`},
		},
		"an undeclared label in by() is rejected": {
			expr:    `count(count by (user_id) (rate(http_requests_total[5m])))`,
			wantErr: []string{`by (user_id): label "user_id" is not carried by the aggregated expression`},
		},
		"an undeclared label in without() is rejected": {
			expr:    `sum without (user_id) (rate(http_requests_total[5m]))`,
			wantErr: []string{`without (user_id): label "user_id" is not carried`},
		},
		"practitioner_id is not a label of bookings_created_total any more": {
			expr:    `sum by (practitioner_id) (increase(bookings_created_total[1h]))`,
			wantErr: []string{`label "practitioner_id" is not carried`},
		},
		"the label name cAdvisor removed is rejected": {
			expr:    `container_memory_working_set_bytes{container_name!="POD"}`,
			wantErr: []string{`label "container_name" is not declared on container_memory_working_set_bytes`},
		},
		"le is rejected outside a _bucket series": {
			expr:    `http_request_duration_seconds_count{le="1"}`,
			wantErr: []string{`label "le" is not declared`},
		},
		"a histogram selected by its bare name is rejected with the series to use instead": {
			expr:    `http_request_duration_seconds > 1`,
			wantErr: []string{`select http_request_duration_seconds_bucket, http_request_duration_seconds_sum or http_request_duration_seconds_count`},
		},
		"a target label on a recording rule is rejected: the aggregation removed it": {
			expr:    `namespace_service:http_requests:rate5m{pod="api-0"}`,
			wantErr: []string{`label "pod" is not declared on namespace_service:http_requests:rate5m`},
		},
		"the replica label is rejected: Thanos Query deduplicates on it and drops it": {
			expr:    `sum by (replica) (up)`,
			wantErr: []string{`label "replica" is not carried`},
		},
		"a metric selected by a regular expression on its name is rejected": {
			expr:    `{__name__=~"http_.*"}`,
			wantErr: []string{`selects metric names by =~`},
		},
		"histogram_quantile over an expression without le is rejected": {
			expr:    `histogram_quantile(0.95, sum by (service) (rate(http_request_duration_seconds_bucket[5m])))`,
			wantErr: []string{`has no le label`},
		},
		"on() with a label one side does not carry is rejected": {
			expr:    `namespace:payment_attempts:rate5m / on (service) namespace_service:http_requests:rate5m`,
			wantErr: []string{`on (service): label "service" is not carried by both sides`},
		},
		"label_replace from a label the input does not carry is rejected": {
			expr:    `label_replace(up, "x", "$1", "endpoint", "(.*)")`,
			wantErr: []string{`source label "endpoint" is not carried by up`},
		},
		"every problem is reported, not only the first": {
			expr:    `sum(rate(foo_total[5m])) + sum by (user_id) (rate(http_requests_total[5m]))`,
			wantErr: []string{`"foo_total" is not declared`, `label "user_id" is not carried`},
		},
		"invalid PromQL is rejected with the parser's error": {
			expr:    `sum(rate(http_requests_total[5m])`,
			wantErr: []string{`parse PromQL`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := rules.CheckQuery(tc.expr)
			if len(tc.wantErr) == 0 {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, want := range tc.wantErr {
				require.ErrorContains(t, err, want)
			}
		})
	}
}

// TestSeedQueries runs the seed's queries through CheckQuery. The ones the
// catalog rejects are listed with the replacement CATALOG.md gives, which
// must pass.
func TestSeedQueries(t *testing.T) {
	cases := map[string]struct {
		seed  string
		fixed string // empty when the seed's query passes as it is
	}{
		"the overview's request rate passes": {
			seed: `sum(rate(http_requests_total[5m]))`,
		},
		"the overview's error rate passes": {
			seed: `sum(rate(http_requests_total{status_code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))`,
		},
		"the overview's p95 response time passes": {
			seed: `histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (le))`,
		},
		"the overview's request rate by endpoint passes": {
			seed: `sum(rate(http_requests_total[5m])) by (endpoint)`,
		},
		"the overview's database quantiles pass": {
			seed: `histogram_quantile(0.50, sum(rate(database_query_duration_seconds_bucket[5m])) by (le, query_type))`,
		},
		"bookings by service type pass": {
			seed: `sum(increase(bookings_created_total[1h])) by (service_type)`,
		},
		"the funnel's registrations, practitioner views and bookings pass": {
			seed: `sum(increase(user_registrations_total[24h])) + sum(increase(practitioner_views_total[24h])) + sum(increase(bookings_created_total[24h]))`,
		},
		"the availability SLI passes": {
			seed: `(sum(rate(http_requests_total{status_code!~"5.."}[30d])) / sum(rate(http_requests_total[30d]))) * 100`,
		},
		"the booking success SLI passes now that booking_attempts_total is declared": {
			seed: `(sum(increase(bookings_created_total[24h])) / sum(increase(booking_attempts_total[24h]))) * 100`,
		},
		"the seed's payment failure alert passes now that payment_attempts_total is declared": {
			seed: `(sum(increase(payment_attempts_total{status="failed"}[5m])) / sum(increase(payment_attempts_total[5m]))) > 0.1`,
		},
		"daily active users by user_id is rejected; the application's gauge replaces it": {
			seed:  `count(count by (user_id) (increase(user_sessions_total[24h])))`,
			fixed: `max by (namespace) (daily_active_users)`,
		},
		"payments_completed_total is rejected in the funnel; succeeded attempts replace it": {
			seed:  `sum(increase(payments_completed_total[24h]))`,
			fixed: `sum(increase(payment_attempts_total{status="succeeded"}[24h]))`,
		},
		"payments_completed_total is rejected in the payment SLI; the same counter's outcomes replace it": {
			seed:  `(sum(increase(payments_completed_total[24h])) / sum(increase(payment_attempts_total[24h]))) * 100`,
			fixed: `(sum(increase(payment_attempts_total{status="succeeded"}[24h])) / sum(increase(payment_attempts_total[24h]))) * 100`,
		},
		"the seed's memory alert is rejected; the working set against a set limit replaces it": {
			seed:  `(container_memory_usage_bytes{container_name!="POD"} / container_spec_memory_limit_bytes) > 0.9`,
			fixed: `max by (namespace, pod, container) (container_memory_working_set_bytes{container!="", container!="POD"}) / max by (namespace, pod, container) (container_spec_memory_limit_bytes{container!="", container!="POD"} > 0) > 0.9`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.fixed == "" {
				require.NoError(t, rules.CheckQuery(tc.seed))
				return
			}
			require.Error(t, rules.CheckQuery(tc.seed))
			require.NoError(t, rules.CheckQuery(tc.fixed))
		})
	}
}
