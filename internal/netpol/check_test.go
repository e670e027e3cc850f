package netpol_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	networkingv1 "k8s.io/api/networking/v1"

	"github.com/klearkarma/observability/internal/netpol"
)

func TestCheck(t *testing.T) {
	fence := []networkingv1.NetworkPolicy{
		policy("logging", "default-deny-all", all, both...),
		withIngress(policy("logging", "allow-platform", all), from(nil, namespaces("platform", "true"))),
	}
	cases := map[string]struct {
		policies []networkingv1.NetworkPolicy
		flows    []netpol.Flow
		want     []string // failure messages, in order
	}{
		"a table the policies honour has no failures": {
			policies: fence,
			flows: []netpol.Flow{
				{Name: "Prometheus queries Elasticsearch", From: prometheus, To: elasticsearch, Port: 9200, Want: true},
				{Name: "the shop cannot reach Elasticsearch", From: shop, To: elasticsearch, Port: 9200, Want: false},
			},
		},
		"a flow that should be allowed but is denied names the flow and says why": {
			policies: fence,
			flows:    []netpol.Flow{{Name: "the shop ships logs to Elasticsearch", From: shop, To: elasticsearch, Port: 9200, Want: true}},
			want: []string{`flow "the shop ships logs to Elasticsearch": want allowed, got denied: egress from shop: no policy selects it: default allow; ` +
				`ingress to elasticsearch: selected by [logging/allow-platform, logging/default-deny-all]; no rule allows TCP/9200 from shop`},
		},
		"a flow that should stay denied but is allowed names the rule that lets it through": {
			policies: fence,
			flows:    []netpol.Flow{{Name: "Grafana cannot reach Elasticsearch", From: grafana, To: elasticsearch, Port: 9200, Want: false}},
			want: []string{`flow "Grafana cannot reach Elasticsearch": want denied, got allowed: egress from grafana: no policy selects it: default allow; ` +
				`ingress to elasticsearch: selected by [logging/allow-platform, logging/default-deny-all]; TCP/9200 from grafana allowed by logging/allow-platform spec.ingress[0].from[0]`},
		},
		"invalid policies fail the whole table once": {
			policies: []networkingv1.NetworkPolicy{policy("", "lost", all)},
			flows:    []netpol.Flow{{Name: "a", From: prometheus, To: grafana, Port: 1, Want: true}, {Name: "b", From: prometheus, To: grafana, Port: 1, Want: true}},
			want:     []string{"the policies are invalid: networkpolicy /lost: metadata.namespace is empty: a policy selects pods of its own namespace, so the render must set it"},
		},
		"a flow without a name, a duplicate name and a broken endpoint are failures": {
			flows: []netpol.Flow{
				{Name: "same", From: prometheus, To: grafana, Port: 3000, Want: true},
				{Name: "same", From: prometheus, To: grafana, Port: 3000, Want: true},
				{From: prometheus, To: grafana, Port: 3000, Want: true},
				{Name: "to nowhere", From: prometheus, To: netpol.Endpoint{Name: "nowhere"}, Port: 80, Want: true},
			},
			want: []string{
				`flow "same" is both #0 and #1: rename one`,
				`flow #2 (prometheus -> grafana) has no name: name it with a sentence`,
				`flow "to nowhere": destination: endpoint "nowhere" is neither a pod nor an address: set Namespace for a pod or IP for an external endpoint`,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got []string
			for _, f := range netpol.Check(tc.policies, tc.flows) {
				got = append(got, f.String())
			}
			require.Equal(t, tc.want, got)
		})
	}
}

func TestFailureCarriesTheVerdict(t *testing.T) {
	failures := netpol.Check(nil, []netpol.Flow{{Name: "x", From: prometheus, To: grafana, Port: 3000, Want: false}})
	require.Len(t, failures, 1)
	assert.Equal(t, "x", failures[0].Flow)
	assert.True(t, failures[0].Verdict.Allowed)
	assert.False(t, failures[0].Verdict.Ingress.Isolated)
}
