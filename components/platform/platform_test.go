package platform_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/platform"
	"github.com/klearkarma/observability/internal/pulumitest"
)

func validArgs() platform.Args {
	return platform.Args{
		Environment: "test",
		Namespaces: []platform.Namespace{
			{Name: "monitoring", Purpose: "metrics", PodSecurity: "privileged"},
			{Name: "tracing", Purpose: "traces"},
		},
		Network: platform.Network{
			ApplicationNamespaces: []string{"klear-karma"},
			IngressNamespaces:     []string{"ingress-nginx"},
			ExternalEgressPorts:   []int{587, 443},
			NodeCIDRs:             []string{"10.0.0.0/16"},
			APIServerCIDRs:        []string{"10.1.0.0/24"},
		},
		Quota:      platform.Quota{RequestsCPU: "1", RequestsMemory: "1Gi", LimitsCPU: "2", LimitsMemory: "2Gi", RequestsStorage: "10Gi", Pods: 10, PersistentVolumeClaims: 2},
		LimitRange: platform.LimitRange{DefaultRequestCPU: "100m", DefaultRequestMemory: "128Mi", DefaultCPU: "500m", DefaultMemory: "512Mi", MaxCPU: "2", MaxMemory: "2Gi"},
	}
}

func TestPlatform(t *testing.T) {
	cases := map[string]struct {
		args    func() platform.Args
		wantErr string
		check   func(t *testing.T, rec *pulumitest.Recorder)
	}{
		"no namespace at all fails before anything is registered": {
			args:    func() platform.Args { a := validArgs(); a.Namespaces = nil; return a },
			wantErr: "at least one namespace",
		},
		"two namespaces with one purpose collide and fail": {
			args: func() platform.Args {
				a := validArgs()
				a.Namespaces[1].Purpose = "metrics"
				return a
			},
			wantErr: `namespaces[1].purpose: "metrics" is used twice`,
		},
		"an unknown pod security level fails": {
			args:    func() platform.Args { a := validArgs(); a.Namespaces[0].PodSecurity = "lenient"; return a },
			wantErr: `namespaces[0].podSecurity: "lenient" is not a Pod Security Standard`,
		},
		"a namespace name that is not a DNS label, and one used twice, fail": {
			args: func() platform.Args {
				a := validArgs()
				a.Namespaces = append(a.Namespaces, platform.Namespace{Name: "Logging_NS", Purpose: "logs"}, platform.Namespace{Name: "tracing", Purpose: "more"})
				return a
			},
			wantErr: `namespaces[2].name: "Logging_NS" is not a DNS-1123 label`,
		},
		"a namespace used twice names the other": {
			args: func() platform.Args {
				a := validArgs()
				a.Namespaces[1].Name = "monitoring"
				return a
			},
			wantErr: `namespaces[1].name: "monitoring" is also the name of namespaces[0].name`,
		},
		"an egress port outside TCP's range fails": {
			args:    func() platform.Args { a := validArgs(); a.Network.ExternalEgressPorts = []int{443, 70000}; return a },
			wantErr: "network.externalEgressPorts[1]: 70000 is not a TCP port",
		},
		"a node range with host bits, and no API server range, fail with the fix": {
			args: func() platform.Args {
				a := validArgs()
				a.Network.NodeCIDRs, a.Network.APIServerCIDRs = []string{"10.0.0.1/16"}, nil
				return a
			},
			wantErr: `network.nodeCidrs[0]: "10.0.0.1/16" has host bits set`,
		},
		"each namespace gets its labels, pod security, quota and limits": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				ns := rec.Get(t, "kubernetes:core/v1:Namespace::platform-metrics-namespace").Mappable()
				meta := ns["metadata"].(map[string]any)
				assert.Equal(t, "monitoring", meta["name"])
				lbl := meta["labels"].(map[string]any)
				assert.Equal(t, "privileged", lbl["pod-security.kubernetes.io/enforce"])
				assert.Equal(t, "true", lbl["observability.klearkarma.com/platform"])
				assert.Equal(t, "klearkarma-observability", lbl["app.kubernetes.io/part-of"])
				assert.Equal(t, "pulumi", lbl["app.kubernetes.io/managed-by"])
				traces := rec.Get(t, "kubernetes:core/v1:Namespace::platform-traces-namespace").Mappable()
				assert.Equal(t, "restricted", traces["metadata"].(map[string]any)["labels"].(map[string]any)["pod-security.kubernetes.io/enforce"], "restricted is the default")

				quota := rec.Get(t, "kubernetes:core/v1:ResourceQuota::platform-metrics-quota").Mappable()
				hard := quota["spec"].(map[string]any)["hard"].(map[string]any)
				assert.Equal(t, "10", hard["pods"])
				assert.Equal(t, "2Gi", hard["limits.memory"])
				limits := rec.Get(t, "kubernetes:core/v1:LimitRange::platform-traces-limits").Mappable()
				item := limits["spec"].(map[string]any)["limits"].([]any)[0].(map[string]any)
				assert.Equal(t, "512Mi", item["default"].(map[string]any)["memory"])
			},
		},
		"every namespace denies all traffic by default, allows DNS, and one policy per workload allows its connections": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				for _, purpose := range []string{"metrics", "traces"} {
					deny := rec.Get(t, "kubernetes:networking.k8s.io/v1:NetworkPolicy::platform-"+purpose+"-default-deny").Mappable()
					spec := deny["spec"].(map[string]any)
					assert.Equal(t, []any{"Ingress", "Egress"}, spec["policyTypes"])
					assert.Empty(t, spec["ingress"])
					assert.Empty(t, spec["egress"])
					assert.True(t, rec.Has("kubernetes:networking.k8s.io/v1:NetworkPolicy::platform-"+purpose+"-allow-dns"))
				}
				for _, allow := range []string{"metrics-allow-prometheus", "metrics-allow-grafana", "metrics-allow-alertmanager", "traces-allow-otel-collector", "traces-allow-cassandra"} {
					assert.True(t, rec.Has("kubernetes:networking.k8s.io/v1:NetworkPolicy::platform-"+allow), allow)
				}
				am := rec.Get(t, "kubernetes:networking.k8s.io/v1:NetworkPolicy::platform-metrics-allow-alertmanager").Mappable()
				var notify []any
				for _, r := range am["spec"].(map[string]any)["egress"].([]any) {
					for _, to := range r.(map[string]any)["to"].([]any) {
						if ip, ok := to.(map[string]any)["ipBlock"]; ok && ip.(map[string]any)["cidr"] == "0.0.0.0/0" {
							notify = r.(map[string]any)["ports"].([]any)
						}
					}
				}
				require.Len(t, notify, 2, "Alertmanager reaches the internet on the external egress ports only")
				assert.Equal(t, 443.0, notify[0].(map[string]any)["port"], "ports are sorted so the output is deterministic")
				assert.Equal(t, 587.0, notify[1].(map[string]any)["port"])
			},
		},
		"a workload whose peers are all in namespaces the platform does not create gets no rule to them": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				// Without a logs namespace, Grafana's edge to Elasticsearch has
				// no other side: it must be left out, not opened to every pod.
				g := rec.Get(t, "kubernetes:networking.k8s.io/v1:NetworkPolicy::platform-metrics-allow-grafana").Mappable()
				for _, r := range g["spec"].(map[string]any)["egress"].([]any) {
					for _, to := range r.(map[string]any)["to"].([]any) {
						sel, _ := to.(map[string]any)["podSelector"].(map[string]any)
						lbl, _ := sel["matchLabels"].(map[string]any)
						assert.NotEqual(t, "elasticsearch", lbl["app.kubernetes.io/name"])
					}
					assert.NotEmpty(t, r.(map[string]any)["to"], "no egress rule of Grafana is open to every peer")
				}
			},
		},
		"without application or ingress namespaces no rule names them": {
			args: func() platform.Args {
				a := validArgs()
				a.Network.ApplicationNamespaces, a.Network.IngressNamespaces, a.Network.ExternalEgressPorts = nil, nil, nil
				return a
			},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				for _, key := range rec.Keys() {
					if !strings.HasPrefix(key, "kubernetes:networking.k8s.io/v1:NetworkPolicy::") {
						continue
					}
					spec := rec.Get(t, key).Mappable()["spec"].(map[string]any)
					for _, dir := range []string{"ingress", "egress"} {
						rules, _ := spec[dir].([]any)
						peers := map[string]string{"ingress": "from", "egress": "to"}[dir]
						for _, r := range rules {
							assert.NotEmpty(t, r.(map[string]any)[peers], "%s: an %s rule open to every peer", key, dir)
						}
					}
				}
			},
		},
		"the component is registered under its type token": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.True(t, rec.Has("klearkarma:observability:Platform::platform"))
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
				_, err := platform.New(ctx, "platform", tc.args())
				return err
			})
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				assert.Empty(t, rec.Keys(), "nothing is registered")
				return
			}
			require.NoError(t, err)
			tc.check(t, rec)
		})
	}
}

func TestTwoPlatformsInOneProgramDoNotCollide(t *testing.T) {
	rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
		if _, err := platform.New(ctx, "blue", validArgs()); err != nil {
			return err
		}
		_, err := platform.New(ctx, "green", validArgs())
		return err
	})
	require.NoError(t, err)
	assert.True(t, rec.Has("kubernetes:core/v1:Namespace::blue-metrics-namespace"))
	assert.True(t, rec.Has("kubernetes:core/v1:Namespace::green-metrics-namespace"))
}
