package logstash_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/logstash"
	"github.com/klearkarma/observability/internal/jsonprobe"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const (
	statefulSet  = "kubernetes:apps/v1:StatefulSet::logstash-statefulset"
	settingsCM   = "kubernetes:core/v1:ConfigMap::logstash-settings"
	pipelineCM   = "kubernetes:core/v1:ConfigMap::logstash-pipeline"
	credentials  = "kubernetes:core/v1:Secret::logstash-elasticsearch-credentials"
	service      = "kubernetes:core/v1:Service::logstash-service"
	headless     = "kubernetes:core/v1:Service::logstash-headless-service"
	budget       = "kubernetes:policy/v1:PodDisruptionBudget::logstash-pdb"
	component    = "klearkarma:observability:Logstash::logstash"
	existingCred = "elasticsearch-logstash-user"
)

// run creates one instance named logstash and captures its outputs.
func run(t *testing.T, args logstash.Args) (*pulumitest.Recorder, error) {
	t.Helper()
	rec := pulumitest.New()
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		l, err := logstash.New(ctx, "logstash", args)
		if err != nil {
			return err
		}
		rec.Capture("serviceName", l.ServiceName)
		// Namespace is a constant, which RunErr does not wait for: capture
		// it with an output it does wait for.
		rec.Capture("namespace", pulumi.All(l.ServiceName, l.Namespace).Index(pulumi.Int(1)))
		rec.Capture("beatsEndpoint", l.BeatsEndpoint)
		rec.Capture("httpUrl", l.HTTPURL)
		return nil
	}, pulumi.WithMocks("observability", "test", rec))
	return rec, err
}

func container(t *testing.T, rec *pulumitest.Recorder) map[string]any {
	t.Helper()
	cs := pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "template", "spec", "containers").([]any)
	// The workload and its json_exporter sidecar (internal/jsonprobe).
	require.Len(t, cs, 2)
	names := []any{cs[0].(map[string]any)["name"], cs[1].(map[string]any)["name"]}
	require.Equal(t, []any{"logstash", jsonprobe.ContainerName}, names)
	return cs[0].(map[string]any)
}

func byName(list any) map[string]map[string]any {
	out := map[string]map[string]any{}
	items, _ := list.([]any)
	for _, it := range items {
		m := it.(map[string]any)
		out[m["name"].(string)] = m
	}
	return out
}

func annotations(t *testing.T, args logstash.Args) map[string]any {
	t.Helper()
	rec, err := run(t, args)
	require.NoError(t, err)
	return pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "template", "metadata", "annotations").(map[string]any)
}

type logstashCase struct {
	args    func() logstash.Args
	wantErr string
	check   func(t *testing.T, rec *pulumitest.Recorder)
}

func TestLogstash(t *testing.T) {
	cases := map[string]logstashCase{
		"a missing Elasticsearch host fails before anything is registered": {
			args:    func() logstash.Args { a := validArgs(); a.Elasticsearch.Host = ""; return a },
			wantErr: "elasticsearch.host is required",
		},
		"a missing audit data stream fails before anything is registered": {
			args:    func() logstash.Args { a := validArgs(); a.AuditDataStream = ""; return a },
			wantErr: `auditDataStream "" is not a data stream name`,
		},
		"a missing application data stream fails before anything is registered": {
			args:    func() logstash.Args { a := validArgs(); a.AppDataStream = ""; return a },
			wantErr: `appDataStream "" is not a data stream name`,
		},
		"a data stream Logstash cannot split into type, dataset and namespace fails before anything is registered": {
			args:    func() logstash.Args { a := validArgs(); a.AppDataStream = "logs-klear-karma-app"; return a },
			wantErr: "use logs-<dataset>-<namespace>",
		},
		"a missing CA Secret fails before anything is registered": {
			args:    func() logstash.Args { a := validArgs(); a.Elasticsearch.CASecretName = nil; return a },
			wantErr: "elasticsearch.caSecretName is required",
		},
		"no credentials fail before anything is registered": {
			args:    func() logstash.Args { a := validArgs(); a.Elasticsearch.Password = nil; return a },
			wantErr: "elasticsearch credentials are missing",
		},
		"a heap as large as the memory limit fails before anything is registered": {
			args:    func() logstash.Args { a := validArgs(); a.HeapSize = "1Gi"; return a },
			wantErr: "heapSize 1Gi is not below the memory limit 1Gi",
		},
		"a volume no larger than the queue fails before anything is registered": {
			args:    func() logstash.Args { a := validArgs(); a.StorageSize = "1Gi"; return a },
			wantErr: "storageSize 1Gi is not larger than queueMaxBytes 1Gi",
		},
		"negative replicas fail before anything is registered": {
			args:    func() logstash.Args { a := validArgs(); a.Replicas = -1; return a },
			wantErr: "replicas: -1 is below 1",
		},
		"one replica is a StatefulSet with a queue volume, non-root as uid 1000, and no disruption budget": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				sts := rec.Object(t, statefulSet)
				assert.EqualValues(t, 1, pulumitest.Dig(t, sts, "spec", "replicas"))
				assert.Equal(t, "logstash-headless", pulumitest.Dig(t, sts, "spec", "serviceName"))
				claims := pulumitest.Dig(t, sts, "spec", "volumeClaimTemplates").([]any)
				require.Len(t, claims, 1)
				assert.Equal(t, "2Gi", pulumitest.Dig(t, claims[0].(map[string]any), "spec", "resources", "requests", "storage"))
				pod := pulumitest.Dig(t, sts, "spec", "template", "spec").(map[string]any)
				assert.EqualValues(t, 1000, pulumitest.Dig(t, pod, "securityContext", "runAsUser"))
				assert.EqualValues(t, 1000, pulumitest.Dig(t, pod, "securityContext", "fsGroup"))
				assert.Equal(t, true, pulumitest.Dig(t, pod, "securityContext", "runAsNonRoot"))
				assert.Equal(t, false, pod["automountServiceAccountToken"])
				assert.Equal(t, false, pod["enableServiceLinks"], "no injected variable can be taken for a setting")
				assert.Zero(t, rec.CountType("kubernetes:policy/v1:PodDisruptionBudget"))
				c := container(t, rec)
				assert.Equal(t, logstash.DefaultImage, c["image"])
				assert.Equal(t, true, pulumitest.Dig(t, c, "securityContext", "readOnlyRootFilesystem"))
				mounts := byName(c["volumeMounts"])
				assert.Equal(t, "/usr/share/logstash/data", mounts["data"]["mountPath"])
				assert.Equal(t, map[string]any{"name": "settings", "mountPath": "/usr/share/logstash/config/logstash.yml", "subPath": "logstash.yml", "readOnly": true}, mounts["settings"])
				assert.Equal(t, "/usr/share/logstash/pipeline", mounts["pipeline"]["mountPath"])
				assert.Equal(t, "/usr/share/logstash/config/elasticsearch-ca", mounts["elasticsearch-ca"]["mountPath"])
				env := byName(c["env"])
				assert.Equal(t, "-Xms512m -Xmx512m", env["LS_JAVA_OPTS"]["value"])
			},
		},
		"three replicas spread over nodes behind a disruption budget": {
			args: func() logstash.Args { a := validArgs(); a.Replicas = 3; return a },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				sts := rec.Object(t, statefulSet)
				assert.EqualValues(t, 3, pulumitest.Dig(t, sts, "spec", "replicas"))
				assert.NotNil(t, pulumitest.Dig(t, sts, "spec", "template", "spec", "affinity", "podAntiAffinity"))
				assert.EqualValues(t, 1, pulumitest.Dig(t, rec.Object(t, budget), "spec", "maxUnavailable"))
			},
		},
		"probes use the API port and requests and limits are set": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				c := container(t, rec)
				assert.EqualValues(t, 9600, pulumitest.Dig(t, c, "livenessProbe", "tcpSocket", "port"))
				assert.EqualValues(t, 9600, pulumitest.Dig(t, c, "readinessProbe", "httpGet", "port"))
				assert.Equal(t, "250m", pulumitest.Dig(t, c, "resources", "requests", "cpu"))
				assert.Equal(t, "1Gi", pulumitest.Dig(t, c, "resources", "limits", "memory"))
				ports := byName(c["ports"])
				assert.EqualValues(t, 5044, ports["beats"]["containerPort"])
				assert.EqualValues(t, 8080, ports["http"]["containerPort"])
				assert.EqualValues(t, 9600, ports["api"]["containerPort"])
			},
		},
		"the Service exposes Beats on 5044 and HTTP on 8080, and not the API": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				svc := rec.Object(t, service)
				assert.Equal(t, "ClusterIP", pulumitest.Dig(t, svc, "spec", "type"))
				ports := byName(pulumitest.Dig(t, svc, "spec", "ports"))
				require.Len(t, ports, 2)
				assert.EqualValues(t, 5044, ports["beats"]["port"])
				assert.EqualValues(t, 8080, ports["http"]["port"])
				assert.Equal(t, "None", pulumitest.Dig(t, rec.Object(t, headless), "spec", "clusterIP"))
			},
		},
		"a password becomes a secret in the component's Secret and reaches the pod only as an env reference": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				data := rec.Get(t, credentials)["stringData"]
				require.True(t, data.IsSecret())
				assert.Equal(t, map[string]any{"username": "logstash_writer", "password": password}, data.SecretValue().Element.Mappable())
				env := byName(container(t, rec)["env"])
				for v, key := range map[string]string{logstash.EnvUser: "username", logstash.EnvPassword: "password"} {
					assert.Equal(t, map[string]any{"name": "logstash-elasticsearch-credentials", "key": key}, pulumitest.Dig(t, env[v], "valueFrom", "secretKeyRef"), v)
				}
				for _, key := range []string{settingsCM, pipelineCM, statefulSet, service, headless} {
					assert.False(t, resource.NewObjectProperty(rec.Get(t, key)).ContainsSecrets(), key)
					dump, err := json.Marshal(rec.Get(t, key).Mappable())
					require.NoError(t, err)
					assert.NotContains(t, string(dump), password, key)
				}
			},
		},
		"an existing credentials Secret is referenced and no Secret is created": {
			args: func() logstash.Args {
				a := validArgs()
				a.Elasticsearch.Username, a.Elasticsearch.Password = "", nil
				a.Elasticsearch.CredentialsSecretName = pulumi.String(existingCred)
				return a
			},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Zero(t, rec.CountType("kubernetes:core/v1:Secret"))
				env := byName(container(t, rec)["env"])
				assert.Equal(t, existingCred, pulumitest.Dig(t, env[logstash.EnvPassword], "valueFrom", "secretKeyRef", "name"))
			},
		},
		"the ConfigMaps hold exactly the rendered files": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				settings, pipeline, err := logstash.RenderFiles(validArgs())
				require.NoError(t, err)
				probe, err := logstash.StatsProbe().Render()
				require.NoError(t, err)
				assert.Equal(t, map[string]any{"logstash.yml": settings, jsonprobe.ConfigFile: probe}, rec.Object(t, settingsCM)["data"])
				assert.Equal(t, map[string]any{"klearkarma.conf": pipeline}, rec.Object(t, pipelineCM)["data"])
			},
		},
		"objects have explicit names and labels, and selectors omit the version": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				for key, want := range map[string]string{statefulSet: "logstash", service: "logstash", headless: "logstash-headless", settingsCM: "logstash-settings", pipelineCM: "logstash-pipeline"} {
					m := rec.Object(t, key)
					assert.Equal(t, want, pulumitest.Dig(t, m, "metadata", "name"), key)
					assert.Equal(t, "logging", pulumitest.Dig(t, m, "metadata", "namespace"), key)
					assert.Equal(t, "logstash", pulumitest.Dig(t, m, "metadata", "labels", "app.kubernetes.io/name"), key)
					assert.Equal(t, "8.19.18", pulumitest.Dig(t, m, "metadata", "labels", "app.kubernetes.io/version"), key)
				}
				assert.NotContains(t, pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "selector", "matchLabels"), "app.kubernetes.io/version")
			},
		},
		"the outputs tell senders where to connect": {
			args: validArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, 1, rec.CountType(logstash.TypeToken))
				assert.True(t, rec.Has(component))
				assert.Equal(t, "logstash", rec.Output(t, "serviceName"))
				assert.Equal(t, "logging", rec.Output(t, "namespace"))
				assert.Equal(t, "logstash.logging.svc.cluster.local:5044", rec.Output(t, "beatsEndpoint"))
				assert.Equal(t, "http://logstash.logging.svc.cluster.local:8080", rec.Output(t, "httpUrl"))
			},
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc logstashCase) {
		rec, err := run(t, tc.args())
		if tc.wantErr != "" {
			require.ErrorContains(t, err, tc.wantErr)
			assert.Contains(t, err.Error(), `logstash "logstash"`)
			assert.Empty(t, rec.Keys(), "nothing is registered")
			return
		}
		require.NoError(t, err)
		tc.check(t, rec)
	})
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	_, err := run(t, logstash.Args{HeapSize: "lots"})
	require.Error(t, err)
	for _, want := range []string{"namespace", "elasticsearch.host", "caSecretName", "credentials are missing", "appDataStream", "auditDataStream", `heapSize "lots"`} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestConfigChecksums(t *testing.T) {
	const settingsKey = "checksum.observability.klearkarma.com/settings"
	const pipelineKey = "checksum.observability.klearkarma.com/pipeline"
	base := annotations(t, validArgs())
	require.Len(t, base[settingsKey], 64)
	require.Len(t, base[pipelineKey], 64)
	type testCase struct {
		change                   func(a *logstash.Args)
		settingsMoves, pipeMoves bool
	}
	cases := map[string]testCase{
		"a renamed data stream changes the pipeline checksum only": {func(a *logstash.Args) { a.AuditDataStream = "logs-klearkarma.audit-prod" }, false, true},
		"a bigger queue changes the settings checksum only":        {func(a *logstash.Args) { a.QueueMaxBytes = "1500Mi"; a.StorageSize = "4Gi" }, true, false},
		"a new memory limit changes neither":                       {func(a *logstash.Args) { a.Resources.LimitsMemory = "2Gi" }, false, false},
		"the same arguments give the same checksums":               {func(a *logstash.Args) {}, false, false},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc testCase) {
		a := validArgs()
		tc.change(&a)
		got := annotations(t, a)
		assert.Equal(t, tc.settingsMoves, got[settingsKey] != base[settingsKey], "settings checksum")
		assert.Equal(t, tc.pipeMoves, got[pipelineKey] != base[pipelineKey], "pipeline checksum")
	})
}

// The stack's `logstash` key is Sizing: the rule it checks is the one New
// applies to Args.Replicas (after 0 becomes 1).
func TestSizing(t *testing.T) {
	assert.Empty(t, logstash.Sizing{Replicas: 2}.Check())
	ps := logstash.Sizing{Replicas: 0}.Check()
	require.Len(t, ps, 1)
	assert.Equal(t, "replicas", ps[0].Field)
	assert.Contains(t, ps[0].Fix, "set 1 or more")
}
