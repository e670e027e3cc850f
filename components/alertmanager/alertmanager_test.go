package alertmanager_test

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/common/model"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/alertmanager"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const (
	statefulSet = "kubernetes:apps/v1:StatefulSet::am-statefulset"
	configMap   = "kubernetes:core/v1:ConfigMap::am-config"
	secret      = "kubernetes:core/v1:Secret::am-secret"
	service     = "kubernetes:core/v1:Service::am-service"
	headless    = "kubernetes:core/v1:Service::am-cluster-service"
	account     = "kubernetes:core/v1:ServiceAccount::am-serviceaccount"
	budget      = budgetType + "::am-pdb"
	budgetType  = "kubernetes:policy/v1:PodDisruptionBudget"
	serviceType = "kubernetes:core/v1:Service"
	checksumKey = "checksum.observability.klearkarma.com/config"
)

// Credentials distinctive enough to search the rendered objects for.
const (
	slackURL       = "https://hooks.slack.com/services/T000/B000/do-not-leak"
	smtpPassword   = "smtp-password-do-not-leak"
	defaultKey     = "pd-default-key-do-not-leak"
	paymentsKey    = "pd-payments-key-do-not-leak"
	heartbeatURL   = "https://hc-ping.com/heartbeat-token-do-not-leak"
	monitoringName = "monitoring"
)

// prodArgs is the prod stack's shape: three replicas and every integration.
func prodArgs() alertmanager.Args {
	return alertmanager.Args{
		Namespace:         pulumi.String(monitoringName),
		Replicas:          3,
		StorageSize:       "10Gi",
		ExternalURL:       "https://alertmanager.klearkarma.com",
		Routing:           prodRouting(),
		SlackWebhookURL:   pulumi.ToSecret(pulumi.String(slackURL)).(pulumi.StringOutput),
		SMTPPassword:      pulumi.ToSecret(pulumi.String(smtpPassword)).(pulumi.StringOutput),
		DefaultRoutingKey: pulumi.ToSecret(pulumi.String(defaultKey)).(pulumi.StringOutput),
		RoutingKeys:       map[string]pulumi.StringInput{"payments": pulumi.ToSecret(pulumi.String(paymentsKey)).(pulumi.StringOutput)},
		HeartbeatURL:      pulumi.ToSecret(pulumi.String(heartbeatURL)).(pulumi.StringOutput),
	}
}

// localArgs is the offline stack: one replica, no credentials.
func localArgs() alertmanager.Args {
	return alertmanager.Args{Namespace: pulumi.String(monitoringName), Replicas: 1, StorageSize: "1Gi", Routing: localRouting()}
}

// run creates the component "am", capturing its outputs by their names.
func run(args alertmanager.Args) (*pulumitest.Recorder, error) {
	rec := pulumitest.New()
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		am, err := alertmanager.New(ctx, "am", args)
		if err != nil {
			return err
		}
		for name, o := range map[string]pulumi.Output{
			"url": am.URL, "serviceName": am.ServiceName, "namespace": am.Namespace,
			"pathPrefix": am.PathPrefix, "port": am.Port, "targets": am.Targets,
		} {
			rec.Capture(name, o)
		}
		return nil
	}, pulumi.WithMocks("observability", "test", rec))
	return rec, err
}

func container(t *testing.T, rec *pulumitest.Recorder) map[string]any {
	t.Helper()
	cs := pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "template", "spec", "containers").([]any)
	require.Len(t, cs, 1)
	return cs[0].(map[string]any)
}

func flags(t *testing.T, rec *pulumitest.Recorder, prefix string) []string {
	t.Helper()
	var out []string
	for _, a := range container(t, rec)["args"].([]any) {
		if strings.HasPrefix(a.(string), prefix) {
			out = append(out, a.(string))
		}
	}
	return out
}

func checksum(t *testing.T, args alertmanager.Args) string {
	t.Helper()
	rec, err := run(args)
	require.NoError(t, err)
	v, _ := pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "template", "metadata", "annotations", checksumKey).(string)
	require.NotEmpty(t, v)
	return v
}

type alertmanagerCase struct {
	args    func() alertmanager.Args
	wantErr string
	check   func(t *testing.T, rec *pulumitest.Recorder)
}

func TestAlertmanager(t *testing.T) {
	cases := map[string]alertmanagerCase{
		"zero replicas fail before anything is registered": {
			args:    func() alertmanager.Args { a := localArgs(); a.Replicas = 0; return a },
			wantErr: "replicas: 0 is below 1. Fix: set 1 or more",
		},
		"a missing namespace fails before anything is registered": {
			args:    func() alertmanager.Args { a := localArgs(); a.Namespace = nil; return a },
			wantErr: "namespace: is required",
		},
		"a storage size that does not parse fails before anything is registered": {
			args:    func() alertmanager.Args { a := localArgs(); a.StorageSize = "ten gigs"; return a },
			wantErr: `storageSize: "ten gigs" is not a Kubernetes quantity`,
		},
		"a resource limit that does not parse fails before anything is registered": {
			args:    func() alertmanager.Args { a := localArgs(); a.Resources.LimitsMemory = "lots"; return a },
			wantErr: `resources.limitsMemory: "lots" is not a Kubernetes quantity`,
		},
		"Slack enabled without its webhook URL fails before anything is registered": {
			args:    func() alertmanager.Args { a := prodArgs(); a.SlackWebhookURL = nil; return a },
			wantErr: "SlackWebhookURL is not set but Slack is enabled",
		},
		"email enabled without the SMTP password fails before anything is registered": {
			args:    func() alertmanager.Args { a := prodArgs(); a.SMTPPassword = nil; return a },
			wantErr: "email is enabled but SMTPPassword is not set",
		},
		"PagerDuty enabled without a default routing key fails before anything is registered": {
			args:    func() alertmanager.Args { a := prodArgs(); a.DefaultRoutingKey = nil; return a },
			wantErr: "DefaultRoutingKey is not set",
		},
		"a team routed to PagerDuty without its routing key fails before anything is registered": {
			args: func() alertmanager.Args {
				a := prodArgs()
				a.Routing.PagerDuty.Teams = []string{"payments", "backend"}
				return a
			},
			wantErr: `team "backend" is in routing.pagerDuty.teams but has no entry in RoutingKeys`,
		},
		"a routing key no route uses fails before anything is registered": {
			args: func() alertmanager.Args {
				a := prodArgs()
				a.RoutingKeys["backend"] = pulumi.ToSecret(pulumi.String("k")).(pulumi.StringOutput)
				return a
			},
			wantErr: `RoutingKeys has a key for team "backend" that no route uses`,
		},
		"one replica runs without gossip peers and without a disruption budget": {
			args: localArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.EqualValues(t, 1, pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "replicas"))
				assert.Empty(t, flags(t, rec, "--cluster.peer="))
				assert.Equal(t, []string{"--cluster.listen-address="}, flags(t, rec, "--cluster.listen-address="), "gossip is off")
				assert.Zero(t, rec.CountType(budgetType))
				assert.Equal(t, 2, rec.CountType(serviceType), "the StatefulSet's governing Service exists with one replica too")
				assert.Equal(t, "am-cluster", pulumitest.Dig(t, rec.Object(t, headless), "metadata", "name"))
				assert.Equal(t, []string{"am-0.am-cluster.monitoring.svc.cluster.local:9093"}, rec.Output(t, "targets"))
			},
		},
		"three replicas get three peer flags, spread over nodes, and a disruption budget": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				sts := rec.Object(t, statefulSet)
				assert.EqualValues(t, 3, pulumitest.Dig(t, sts, "spec", "replicas"))
				assert.Equal(t, "am-cluster", pulumitest.Dig(t, sts, "spec", "serviceName"))
				assert.Equal(t, "Parallel", pulumitest.Dig(t, sts, "spec", "podManagementPolicy"))
				assert.Equal(t, []string{
					"--cluster.peer=am-0.am-cluster.monitoring.svc.cluster.local:9094",
					"--cluster.peer=am-1.am-cluster.monitoring.svc.cluster.local:9094",
					"--cluster.peer=am-2.am-cluster.monitoring.svc.cluster.local:9094",
				}, flags(t, rec, "--cluster.peer="))
				assert.Equal(t, []string{"--cluster.listen-address=0.0.0.0:9094"}, flags(t, rec, "--cluster.listen-address="))
				assert.Equal(t, []string{"--cluster.advertise-address=[$(POD_IP)]:9094"}, flags(t, rec, "--cluster.advertise-address="))
				assert.Equal(t, []string{"--cluster.peer-timeout=15s"}, flags(t, rec, "--cluster.peer-timeout="), "stated, as the timings check assumes")
				assert.NotNil(t, pulumitest.Dig(t, sts, "spec", "template", "spec", "affinity", "podAntiAffinity"))

				pdb := rec.Object(t, budget)
				assert.EqualValues(t, 1, pulumitest.Dig(t, pdb, "spec", "maxUnavailable"))
				assert.Equal(t, pulumitest.Dig(t, sts, "spec", "selector", "matchLabels"), pulumitest.Dig(t, pdb, "spec", "selector", "matchLabels"))
				assert.Len(t, rec.Output(t, "targets"), 3)
			},
		},
		"the three nodes cannot re-open a resolved incident: every route's group interval covers the nodes' waits for each other, as rendered": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				pt := 15 * time.Second // Alertmanager's default when the flag is absent
				if f := flags(t, rec, "--cluster.peer-timeout="); len(f) == 1 {
					d, err := model.ParseDuration(strings.TrimPrefix(f[0], "--cluster.peer-timeout="))
					require.NoError(t, err)
					pt = time.Duration(d)
				}
				data := pulumitest.Plain(rec.Get(t, configMap))["data"].(map[string]any)
				cfg, err := config.Load(data["alertmanager.yml"].(string))
				require.NoError(t, err)
				var walk func(r *config.Route, gi model.Duration)
				walk = func(r *config.Route, gi model.Duration) {
					if r.GroupInterval != nil {
						gi = *r.GroupInterval
					}
					assert.GreaterOrEqual(t, time.Duration(gi), 3*pt, "route %s: the third node checks %s after a flush", r.Receiver, 2*pt)
					for _, c := range r.Routes {
						walk(c, gi)
					}
				}
				walk(cfg.Route, 0)
			},
		},
		"the headless Service carries gossip on 9094 over TCP and UDP and publishes unready peers": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				svc := rec.Object(t, headless)
				assert.Equal(t, "am-cluster", pulumitest.Dig(t, svc, "metadata", "name"))
				assert.Equal(t, "None", pulumitest.Dig(t, svc, "spec", "clusterIP"))
				assert.Equal(t, true, pulumitest.Dig(t, svc, "spec", "publishNotReadyAddresses"))
				var ports []string
				for _, p := range pulumitest.Dig(t, svc, "spec", "ports").([]any) {
					pm := p.(map[string]any)
					ports = append(ports, pm["protocol"].(string)+"/"+strings.TrimSuffix(strings.TrimSuffix(pm["name"].(string), "-tcp"), "-udp"))
					if pm["name"] != "web" {
						assert.EqualValues(t, 9094, pm["port"])
					}
				}
				assert.Equal(t, []string{"TCP/web", "TCP/mesh", "UDP/mesh"}, ports)
				client := rec.Object(t, service)
				assert.Equal(t, "am", pulumitest.Dig(t, client, "metadata", "name"))
				assert.EqualValues(t, 9093, pulumitest.Dig(t, client, "spec", "ports").([]any)[0].(map[string]any)["port"])
			},
		},
		"the pod reads its config and storage from the flags, and keeps data on a claim of the requested size": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, []string{"--config.file=/etc/alertmanager/config/alertmanager.yml"}, flags(t, rec, "--config.file="))
				assert.Equal(t, []string{"--storage.path=/alertmanager"}, flags(t, rec, "--storage.path="))
				assert.Equal(t, []string{"--web.external-url=https://alertmanager.klearkarma.com"}, flags(t, rec, "--web.external-url="))
				claims := pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "volumeClaimTemplates").([]any)
				require.Len(t, claims, 1)
				assert.Equal(t, "10Gi", pulumitest.Dig(t, claims[0].(map[string]any), "spec", "resources", "requests", "storage"))
				assert.Equal(t, "data", pulumitest.Dig(t, claims[0].(map[string]any), "metadata", "name"))
				assert.Equal(t, "quay.io/prometheus/alertmanager:v0.35.0", container(t, rec)["image"])
			},
		},
		"without an external URL the flag is left out": {
			args: localArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Empty(t, flags(t, rec, "--web.external-url="))
			},
		},
		"an external URL with a path moves the probes, metrics and URL under it": {
			args: func() alertmanager.Args {
				a := localArgs()
				a.ExternalURL = "https://ops.klearkarma.com/alertmanager/"
				return a
			},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				c := container(t, rec)
				assert.Equal(t, "/alertmanager/-/healthy", pulumitest.Dig(t, c, "livenessProbe", "httpGet", "path"))
				assert.Equal(t, []string{"--web.route-prefix=/alertmanager/"}, flags(t, rec, "--web.route-prefix="))
				assert.Equal(t, "http://am.monitoring.svc.cluster.local:9093/alertmanager", rec.Output(t, "url"))
				assert.Equal(t, "/alertmanager", rec.Output(t, "pathPrefix"))
				assert.Equal(t, "/alertmanager/metrics", pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "template", "metadata", "annotations", "prometheus.io/path"))
			},
		},
		"the pod is non-root with a read-only root filesystem, no capabilities and health probes": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				pod := pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "template", "spec").(map[string]any)
				assert.Equal(t, true, pulumitest.Dig(t, pod, "securityContext", "runAsNonRoot"))
				assert.Equal(t, "RuntimeDefault", pulumitest.Dig(t, pod, "securityContext", "seccompProfile", "type"))
				assert.Equal(t, false, pod["automountServiceAccountToken"])
				assert.Equal(t, "am", pod["serviceAccountName"])
				c := container(t, rec)
				assert.Equal(t, true, pulumitest.Dig(t, c, "securityContext", "readOnlyRootFilesystem"))
				assert.Equal(t, false, pulumitest.Dig(t, c, "securityContext", "allowPrivilegeEscalation"))
				assert.Equal(t, []any{"ALL"}, pulumitest.Dig(t, c, "securityContext", "capabilities", "drop"))
				assert.Equal(t, "/-/healthy", pulumitest.Dig(t, c, "livenessProbe", "httpGet", "path"))
				assert.Equal(t, "/-/ready", pulumitest.Dig(t, c, "readinessProbe", "httpGet", "path"))
				assert.Equal(t, "50m", pulumitest.Dig(t, c, "resources", "requests", "cpu"))
				assert.Equal(t, "256Mi", pulumitest.Dig(t, c, "resources", "limits", "memory"))
				assert.Equal(t, false, pulumitest.Dig(t, rec.Object(t, account), "automountServiceAccountToken"))
			},
		},
		"credentials are secret in the Secret, mounted as files, and absent from the ConfigMap": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				data := rec.Get(t, secret)["stringData"]
				assert.True(t, data.IsSecret(), "the Secret's stringData is a Pulumi secret")
				assert.Equal(t, map[string]any{
					"slack-webhook-url":              slackURL,
					"smtp-password":                  smtpPassword,
					"pagerduty-routing-key-default":  defaultKey,
					"pagerduty-routing-key-payments": paymentsKey,
					"heartbeat-url":                  heartbeatURL,
				}, data.SecretValue().Element.Mappable())

				cmProps := rec.Get(t, configMap)
				assert.False(t, resource.NewObjectProperty(cmProps).ContainsSecrets(), "nothing in the ConfigMap is secret")
				rendered := pulumitest.Dig(t, cmProps.Mappable(), "data", "alertmanager.yml").(string)
				for _, s := range []string{slackURL, smtpPassword, defaultKey, paymentsKey, heartbeatURL} {
					assert.NotContains(t, rendered, s)
				}
				_, err := config.Load(rendered)
				require.NoError(t, err)
				assert.Contains(t, rendered, "routing_key_file: /etc/alertmanager/secrets/pagerduty-routing-key-payments")

				mounts := container(t, rec)["volumeMounts"].([]any)
				assert.Contains(t, mounts, map[string]any{"name": "secrets", "mountPath": "/etc/alertmanager/secrets", "readOnly": true})
				for _, key := range []string{statefulSet, service, headless, account} {
					props := resource.NewObjectProperty(rec.Get(t, key))
					assert.False(t, props.ContainsSecrets(), key)
				}
			},
		},
		"the local stack without credentials gets a Secret without data and a configuration that loads": {
			args: localArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				// Not even an empty stringData: the API server drops it, and the
				// next preview against a cluster would replace the Secret.
				_, has := rec.Get(t, secret)["stringData"]
				assert.False(t, has, "no credential, no stringData")
				rendered := pulumitest.Dig(t, rec.Object(t, configMap), "data", "alertmanager.yml").(string)
				_, err := config.Load(rendered)
				require.NoError(t, err)
			},
		},
		"objects have explicit names and the app.kubernetes.io labels": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				for key, want := range map[string]string{
					statefulSet: "am", service: "am", headless: "am-cluster", account: "am",
					configMap: "am-config", secret: "am-secrets", budget: "am",
				} {
					m := rec.Object(t, key)
					assert.Equal(t, want, pulumitest.Dig(t, m, "metadata", "name"), key)
					assert.Equal(t, monitoringName, pulumitest.Dig(t, m, "metadata", "namespace"), key)
					assert.Equal(t, "alertmanager", pulumitest.Dig(t, m, "metadata", "labels", "app.kubernetes.io/name"), key)
					assert.Equal(t, "v0.35.0", pulumitest.Dig(t, m, "metadata", "labels", "app.kubernetes.io/version"), key)
				}
				selector := pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "selector", "matchLabels").(map[string]any)
				assert.NotContains(t, selector, "app.kubernetes.io/version", "an upgrade never orphans pods")
				assert.Equal(t, "am", selector["app.kubernetes.io/instance"])
			},
		},
		"the outputs tell Prometheus where to send alerts": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, 1, rec.CountType(alertmanager.TypeToken))
				assert.Equal(t, "http://am.monitoring.svc.cluster.local:9093", rec.Output(t, "url"))
				assert.Equal(t, "am", rec.Output(t, "serviceName"))
				assert.Equal(t, monitoringName, rec.Output(t, "namespace"))
				assert.Equal(t, 9093, rec.Output(t, "port"))
				assert.Equal(t, "", rec.Output(t, "pathPrefix"))
				assert.Equal(t, []string{
					"am-0.am-cluster.monitoring.svc.cluster.local:9093",
					"am-1.am-cluster.monitoring.svc.cluster.local:9093",
					"am-2.am-cluster.monitoring.svc.cluster.local:9093",
				}, rec.Output(t, "targets"))
				assert.Equal(t, rec.Output(t, "targets"), alertmanager.Targets("am", monitoringName, 3), "known before the component exists")
			},
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc alertmanagerCase) {
		rec, err := run(tc.args())
		if tc.wantErr != "" {
			require.ErrorContains(t, err, tc.wantErr)
			assert.Contains(t, err.Error(), `alertmanager "am"`)
			assert.Empty(t, rec.Keys(), "nothing is registered")
			return
		}
		require.NoError(t, err)
		tc.check(t, rec)
	})
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	_, err := run(alertmanager.Args{StorageSize: "x", Routing: prodRouting()})
	require.Error(t, err)
	for _, want := range []string{"namespace: is required", "replicas: 0 is below 1", `storageSize: "x"`, "SlackWebhookURL", "SMTPPassword", "DefaultRoutingKey", "HeartbeatURL is not set"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestANameThatCannotNameKubernetesObjectsFails(t *testing.T) {
	cases := map[string]string{
		"upper case and an underscore are refused":           "Alert_Manager",
		"a leading digit is refused: Service names need one": "1am",
		"a name whose pods' labels would be too long":        strings.Repeat("a", 53),
	}
	pulumitest.Cases(t, cases, func(t *testing.T, name string) {
		rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
			_, err := alertmanager.New(ctx, name, localArgs())
			return err
		})
		require.ErrorContains(t, err, "must be a DNS label")
		assert.Empty(t, rec.Keys())
	})
}

type checksumCase struct {
	change      func(a *alertmanager.Args)
	wantChanged bool
}

func TestConfigChecksum(t *testing.T) {
	base := checksum(t, prodArgs())
	cases := map[string]checksumCase{
		"the same args give the same checksum": {change: func(*alertmanager.Args) {}},
		"a Slack channel change rolls the pods": {
			change:      func(a *alertmanager.Args) { a.Routing.Slack.Channels.Backend = "#backend-oncall" },
			wantChanged: true,
		},
		"a new team with its own routing key rolls the pods": {
			change: func(a *alertmanager.Args) {
				a.Routing.PagerDuty.Teams = []string{"backend", "payments"}
				a.RoutingKeys["backend"] = pulumi.ToSecret(pulumi.String("k")).(pulumi.StringOutput)
			},
			wantChanged: true,
		},
		"scaling and resizing do not touch the configuration": {
			change: func(a *alertmanager.Args) {
				a.Replicas, a.StorageSize, a.Resources.LimitsMemory = 4, "20Gi", "1Gi"
			},
		},
		"a rotated credential does not restart the pods: files are read at every notification": {
			change: func(a *alertmanager.Args) {
				a.SlackWebhookURL = pulumi.ToSecret(pulumi.String("https://hooks.slack.com/services/rotated")).(pulumi.StringOutput)
				a.DefaultRoutingKey = pulumi.ToSecret(pulumi.String("rotated")).(pulumi.StringOutput)
			},
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc checksumCase) {
		a := prodArgs()
		tc.change(&a)
		got := checksum(t, a)
		if tc.wantChanged {
			assert.NotEqual(t, base, got)
		} else {
			assert.Equal(t, base, got)
		}
	})
}

func TestTwoAlertmanagersInOneProgramDoNotCollide(t *testing.T) {
	rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
		if _, err := alertmanager.New(ctx, "blue", localArgs()); err != nil {
			return err
		}
		_, err := alertmanager.New(ctx, "green", localArgs())
		return err
	})
	require.NoError(t, err)
	assert.Equal(t, 2, rec.CountType("kubernetes:apps/v1:StatefulSet"))
	assert.True(t, rec.Has("kubernetes:apps/v1:StatefulSet::blue-statefulset"))
	assert.True(t, rec.Has("kubernetes:apps/v1:StatefulSet::green-statefulset"))
}

func TestSizingStatesTheStackRulesOnce(t *testing.T) {
	assert.Empty(t, alertmanager.Sizing{Replicas: 3, StorageSize: "10Gi"}.Check(), "the prod sizing has no problem")
	var fields []string
	for _, p := range (alertmanager.Sizing{StorageSize: "ten gigs"}).Check() {
		fields = append(fields, p.Field)
		assert.NotEmpty(t, p.Fix, p.Field)
	}
	assert.Equal(t, []string{"replicas", "storageSize"}, fields, "named as the stack config's fields")
}
