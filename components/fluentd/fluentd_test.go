package fluentd_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/fluentd"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const (
	password     = "es-password-do-not-leak"
	daemonSet    = "kubernetes:apps/v1:DaemonSet::fluentd-daemonset"
	configMap    = "kubernetes:core/v1:ConfigMap::fluentd-config"
	credentials  = "kubernetes:core/v1:Secret::fluentd-elasticsearch-credentials"
	account      = "kubernetes:core/v1:ServiceAccount::fluentd-serviceaccount"
	clusterRole  = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole::fluentd-clusterrole"
	roleBinding  = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding::fluentd-clusterrolebinding"
	component    = "klearkarma:observability:Fluentd::fluentd"
	checksumKey  = "checksum.observability.klearkarma.com/config"
	existingCred = "elasticsearch-fluentd-user"
)

// run creates one instance named fluentd and captures its outputs.
func run(t *testing.T, args fluentd.Args) (*pulumitest.Recorder, error) {
	t.Helper()
	rec := pulumitest.New()
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		f, err := fluentd.New(ctx, "fluentd", args)
		if err != nil {
			return err
		}
		rec.Capture("daemonSetName", f.DaemonSetName)
		rec.Capture("serviceAccountName", f.ServiceAccountName)
		rec.Capture("configMapName", f.ConfigMapName)
		// Namespace and MetricsPort are constants, which RunErr does not
		// wait for: capture them with an output it does wait for.
		rec.Capture("namespace", pulumi.All(f.DaemonSetName, f.Namespace).Index(pulumi.Int(1)))
		rec.Capture("metricsPort", pulumi.All(f.DaemonSetName, f.MetricsPort).Index(pulumi.Int(1)))
		return nil
	}, pulumi.WithMocks("observability", "test", rec))
	return rec, err
}

func pod(t *testing.T, rec *pulumitest.Recorder) map[string]any {
	t.Helper()
	return pulumitest.Dig(t, rec.Object(t, daemonSet), "spec", "template", "spec").(map[string]any)
}

func container(t *testing.T, rec *pulumitest.Recorder) map[string]any {
	t.Helper()
	cs := pod(t, rec)["containers"].([]any)
	require.Len(t, cs, 1)
	return cs[0].(map[string]any)
}

// byName indexes a list of named objects (volumes, mounts, env vars).
func byName(list any) map[string]map[string]any {
	out := map[string]map[string]any{}
	items, _ := list.([]any)
	for _, it := range items {
		m := it.(map[string]any)
		out[m["name"].(string)] = m
	}
	return out
}

func withExistingSecret() fluentd.Args {
	a := validArgs()
	a.Elasticsearch.Username, a.Elasticsearch.Password = "", nil
	a.Elasticsearch.CredentialsSecretName = pulumi.String(existingCred)
	return a
}

func checksum(t *testing.T, args fluentd.Args) string {
	t.Helper()
	rec, err := run(t, args)
	require.NoError(t, err)
	v, _ := pulumitest.Dig(t, rec.Object(t, daemonSet), "spec", "template", "metadata", "annotations", checksumKey).(string)
	require.NotEmpty(t, v)
	return v
}

type fluentdCase struct {
	args    func() fluentd.Args
	wantErr string
	check   func(t *testing.T, rec *pulumitest.Recorder)
}

func TestFluentd(t *testing.T) {
	cases := map[string]fluentdCase{
		"a missing Elasticsearch host fails before anything is registered": {
			args:    func() fluentd.Args { a := validArgs(); a.Elasticsearch.Host = ""; return a },
			wantErr: "elasticsearch.host is required",
		},
		"a host given as a URL fails before anything is registered": {
			args:    func() fluentd.Args { a := validArgs(); a.Elasticsearch.Host = "https://es:9200"; return a },
			wantErr: "is not a DNS name",
		},
		"a missing application data stream fails before anything is registered": {
			args:    func() fluentd.Args { a := validArgs(); a.AppDataStream = ""; return a },
			wantErr: `appDataStream "" is not a data stream name`,
		},
		"a missing audit data stream fails before anything is registered": {
			args:    func() fluentd.Args { a := validArgs(); a.AuditDataStream = ""; return a },
			wantErr: `auditDataStream "" is not a data stream name`,
		},
		"a data stream outside the logs-<dataset>-<namespace> scheme fails before anything is registered": {
			args:    func() fluentd.Args { a := validArgs(); a.AuditDataStream = "klear-karma-audit"; return a },
			wantErr: "use logs-<dataset>-<namespace>",
		},
		"one data stream for both kinds of log fails before anything is registered": {
			args:    func() fluentd.Args { a := validArgs(); a.AuditDataStream = appStream; return a },
			wantErr: "audit events need their own stream",
		},
		"https without the CA Secret fails before anything is registered": {
			args:    func() fluentd.Args { a := validArgs(); a.Elasticsearch.CASecretName = nil; return a },
			wantErr: "elasticsearch.caSecretName is required with https",
		},
		"no credentials fail before anything is registered": {
			args:    func() fluentd.Args { a := validArgs(); a.Elasticsearch.Password = nil; return a },
			wantErr: "elasticsearch credentials are missing",
		},
		"credentials given twice fail before anything is registered": {
			args: func() fluentd.Args {
				a := validArgs()
				a.Elasticsearch.CredentialsSecretName = pulumi.String(existingCred)
				return a
			},
			wantErr: "elasticsearch credentials are given twice",
		},
		"a buffer setting Fluentd would reject fails before anything is registered": {
			args:    func() fluentd.Args { a := validArgs(); a.Buffer.FlushInterval = "five seconds"; return a },
			wantErr: `buffer.flushInterval "five seconds" is not a Fluentd duration`,
		},
		"a missing namespace fails before anything is registered": {
			args:    func() fluentd.Args { a := validArgs(); a.Namespace = ""; return a },
			wantErr: `namespace "" is not a DNS label`,
		},
		"the DaemonSet runs on every node, reads /var/log read-only and keeps its state on the node": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				ds := rec.Object(t, daemonSet)
				assert.Equal(t, "fluentd", pulumitest.Dig(t, ds, "metadata", "name"))
				assert.Equal(t, "logging", pulumitest.Dig(t, ds, "metadata", "namespace"))
				assert.Equal(t, "RollingUpdate", pulumitest.Dig(t, ds, "spec", "updateStrategy", "type"))
				p := pod(t, rec)
				assert.Equal(t, []any{map[string]any{"operator": "Exists"}}, p["tolerations"], "tolerates every taint")
				assert.Equal(t, map[string]any{"kubernetes.io/os": "linux"}, p["nodeSelector"])
				assert.Equal(t, "fluentd", p["serviceAccountName"])

				vols := byName(p["volumes"])
				assert.Equal(t, map[string]any{"path": "/var/log", "type": "Directory"}, vols["varlog"]["hostPath"])
				assert.Equal(t, map[string]any{"path": "/var/lib/fluentd/logging-fluentd", "type": "DirectoryOrCreate"}, vols["state"]["hostPath"],
					"positions and buffers outlive the pod, one directory per instance")
				assert.Equal(t, "elasticsearch-ca", pulumitest.Dig(t, vols["elasticsearch-ca"], "secret", "secretName"))
				assert.Equal(t, "fluentd-config", pulumitest.Dig(t, vols["config"], "configMap", "name"))

				c := container(t, rec)
				mounts := byName(c["volumeMounts"])
				assert.Equal(t, map[string]any{"name": "varlog", "mountPath": "/var/log", "readOnly": true}, mounts["varlog"])
				assert.Equal(t, map[string]any{"name": "state", "mountPath": "/var/lib/fluentd", "readOnly": false}, mounts["state"])
				assert.Equal(t, true, mounts["config"]["readOnly"])
				assert.Equal(t, true, mounts["elasticsearch-ca"]["readOnly"])
				assert.Equal(t, fluentd.DefaultImage, c["image"])
			},
		},
		"the container has requests, limits, probes on the metrics port and no capabilities": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				c := container(t, rec)
				assert.Equal(t, "100m", pulumitest.Dig(t, c, "resources", "requests", "cpu"))
				assert.Equal(t, "256Mi", pulumitest.Dig(t, c, "resources", "requests", "memory"))
				assert.Equal(t, "1", pulumitest.Dig(t, c, "resources", "limits", "cpu"))
				assert.Equal(t, "512Mi", pulumitest.Dig(t, c, "resources", "limits", "memory"))
				assert.EqualValues(t, 24231, pulumitest.Dig(t, c, "livenessProbe", "tcpSocket", "port"))
				assert.Equal(t, "/metrics", pulumitest.Dig(t, c, "readinessProbe", "httpGet", "path"))
				assert.Equal(t, []any{"ALL"}, pulumitest.Dig(t, c, "securityContext", "capabilities", "drop"))
				assert.Equal(t, false, pulumitest.Dig(t, c, "securityContext", "allowPrivilegeEscalation"))
				assert.Equal(t, "RuntimeDefault", pulumitest.Dig(t, pod(t, rec), "securityContext", "seccompProfile", "type"))
				env := byName(c["env"])
				assert.Equal(t, "spec.nodeName", pulumitest.Dig(t, env["K8S_NODE_NAME"], "valueFrom", "fieldRef", "fieldPath"))
				ann := pulumitest.Dig(t, rec.Object(t, daemonSet), "spec", "template", "metadata", "annotations").(map[string]any)
				assert.Equal(t, "24231", ann["prometheus.io/port"])
			},
		},
		"RBAC grants read access to pods and namespaces and nothing else": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				role := rec.Object(t, clusterRole)
				assert.Equal(t, "logging-fluentd", pulumitest.Dig(t, role, "metadata", "name"), "cluster-scoped names carry the namespace")
				assert.Equal(t, []any{map[string]any{
					"apiGroups": []any{""},
					"resources": []any{"pods", "namespaces"},
					"verbs":     []any{"get", "list", "watch"},
				}}, role["rules"])
				binding := rec.Object(t, roleBinding)
				assert.Equal(t, map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "logging-fluentd"}, binding["roleRef"])
				assert.Equal(t, []any{map[string]any{"kind": "ServiceAccount", "name": "fluentd", "namespace": "logging"}}, binding["subjects"])
				assert.Equal(t, 1, rec.CountType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole"))
				assert.Zero(t, rec.CountType("kubernetes:rbac.authorization.k8s.io/v1:Role"))
			},
		},
		"a password becomes a secret in the component's Secret and reaches the pod only as an env reference": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				data := rec.Get(t, credentials)["stringData"]
				require.True(t, data.IsSecret(), "the Secret's stringData is a Pulumi secret")
				assert.Equal(t, map[string]any{"username": "fluentd_writer", "password": password}, data.SecretValue().Element.Mappable())

				env := byName(container(t, rec)["env"])
				for v, key := range map[string]string{fluentd.EnvUser: "username", fluentd.EnvPassword: "password"} {
					assert.Equal(t, map[string]any{"name": "fluentd-elasticsearch-credentials", "key": key}, pulumitest.Dig(t, env[v], "valueFrom", "secretKeyRef"), v)
					assert.Nil(t, env[v]["value"], v)
				}
				for _, key := range []string{configMap, daemonSet, account, clusterRole, roleBinding} {
					props := resource.NewObjectProperty(rec.Get(t, key))
					assert.False(t, props.ContainsSecrets(), "%s holds no secret", key)
					dump, err := json.Marshal(rec.Get(t, key).Mappable())
					require.NoError(t, err)
					assert.NotContains(t, string(dump), password, key)
				}
				conf := pulumitest.Dig(t, rec.Object(t, configMap), "data", "fluent.conf").(string)
				assert.NotContains(t, conf, password)
				assert.Contains(t, conf, `password "#{ENV['FLUENT_ELASTICSEARCH_PASSWORD']}"`)
			},
		},
		"an existing credentials Secret is referenced and no Secret is created": {
			args: withExistingSecret,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Zero(t, rec.CountType("kubernetes:core/v1:Secret"))
				env := byName(container(t, rec)["env"])
				assert.Equal(t, existingCred, pulumitest.Dig(t, env[fluentd.EnvPassword], "valueFrom", "secretKeyRef", "name"))
			},
		},
		"the ConfigMap holds exactly the rendered configuration": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				want, err := fluentd.RenderConfig("fluentd", validArgs())
				require.NoError(t, err)
				assert.Equal(t, map[string]any{"fluent.conf": want}, rec.Object(t, configMap)["data"])
			},
		},
		"objects have explicit names and the app.kubernetes.io labels, and selectors omit the version": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				for key, want := range map[string]string{daemonSet: "fluentd", configMap: "fluentd-config", account: "fluentd", credentials: "fluentd-elasticsearch-credentials"} {
					m := rec.Object(t, key)
					assert.Equal(t, want, pulumitest.Dig(t, m, "metadata", "name"), key)
					assert.Equal(t, "logging", pulumitest.Dig(t, m, "metadata", "namespace"), key)
					assert.Equal(t, "fluentd", pulumitest.Dig(t, m, "metadata", "labels", "app.kubernetes.io/name"), key)
					assert.Equal(t, "v1.19.3-debian-elasticsearch8-1.1", pulumitest.Dig(t, m, "metadata", "labels", "app.kubernetes.io/version"), key)
				}
				selector := pulumitest.Dig(t, rec.Object(t, daemonSet), "spec", "selector", "matchLabels").(map[string]any)
				assert.NotContains(t, selector, "app.kubernetes.io/version")
			},
		},
		"the outputs name the objects": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, 1, rec.CountType(fluentd.TypeToken))
				assert.True(t, rec.Has(component))
				assert.Equal(t, "fluentd", rec.Output(t, "daemonSetName"))
				assert.Equal(t, "fluentd", rec.Output(t, "serviceAccountName"))
				assert.Equal(t, "fluentd-config", rec.Output(t, "configMapName"))
				assert.Equal(t, "logging", rec.Output(t, "namespace"))
				assert.Equal(t, 24231, rec.Output(t, "metricsPort"))
			},
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc fluentdCase) {
		rec, err := run(t, tc.args())
		if tc.wantErr != "" {
			require.ErrorContains(t, err, tc.wantErr)
			assert.Contains(t, err.Error(), `fluentd "fluentd"`)
			assert.Empty(t, rec.Keys(), "nothing is registered")
			return
		}
		require.NoError(t, err)
		tc.check(t, rec)
	})
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	_, err := run(t, fluentd.Args{Buffer: fluentd.BufferSettings{OverflowAction: "explode"}})
	require.Error(t, err)
	for _, want := range []string{"namespace", "elasticsearch.host", "credentials are missing", "appDataStream", "auditDataStream", "buffer.overflowAction"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestANameThatCannotNameKubernetesObjectsFails(t *testing.T) {
	rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
		_, err := fluentd.New(ctx, "Fluent_D", validArgs())
		return err
	})
	require.ErrorContains(t, err, "must be a DNS label")
	assert.Empty(t, rec.Keys())
}

func TestTwoInstancesDoNotCollide(t *testing.T) {
	rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
		if _, err := fluentd.New(ctx, "fluentd", validArgs()); err != nil {
			return err
		}
		other := validArgs()
		other.Namespace = "logging-canary"
		_, err := fluentd.New(ctx, "fluentd-canary", other)
		return err
	})
	require.NoError(t, err)
	assert.Equal(t, 2, rec.CountType("kubernetes:apps/v1:DaemonSet"))
	conf := rec.Object(t, "kubernetes:core/v1:ConfigMap::fluentd-canary-config")["data"].(map[string]any)["fluent.conf"].(string)
	assert.Contains(t, conf, "/var/log/containers/fluentd-canary-*_logging-canary_fluentd-*.log", "each instance skips its own log")
}

func TestConfigChecksum(t *testing.T) {
	base := checksum(t, validArgs())
	type testCase struct {
		change      func(a *fluentd.Args)
		wantChanged bool
	}
	cases := map[string]testCase{
		"a new flush interval rolls the pods":          {func(a *fluentd.Args) { a.Buffer.FlushInterval = "10s" }, true},
		"a renamed audit data stream rolls the pods":   {func(a *fluentd.Args) { a.AuditDataStream = "logs-klearkarma.audit-prod" }, true},
		"another Elasticsearch host rolls the pods":    {func(a *fluentd.Args) { a.Elasticsearch.Host = "es.other.svc" }, true},
		"a new memory limit leaves the checksum alone": {func(a *fluentd.Args) { a.Resources.LimitsMemory = "1Gi" }, false},
		"a rotated password leaves the checksum alone": {func(a *fluentd.Args) {
			a.Elasticsearch.Password = pulumi.ToSecret(pulumi.String("new")).(pulumi.StringOutput)
		}, false},
		"the same arguments give the same checksum": {func(a *fluentd.Args) {}, false},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc testCase) {
		a := validArgs()
		tc.change(&a)
		got := checksum(t, a)
		if tc.wantChanged {
			assert.NotEqual(t, base, got)
		} else {
			assert.Equal(t, base, got)
		}
		assert.Len(t, got, 64)
		assert.False(t, strings.ContainsAny(got, "G-Z"), "hex")
	})
}
