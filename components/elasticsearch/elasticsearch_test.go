package elasticsearch_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/elastic/go-elasticsearch/v8/typedapi/types"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/clusterprivilege"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/indexprivilege"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/components/elasticsearch"
	"github.com/klearkarma/observability/internal/pulumitest"
	"github.com/klearkarma/observability/internal/workload"
)

const (
	statefulSet = "kubernetes:apps/v1:StatefulSet::es-statefulset"
	credentials = "kubernetes:core/v1:Secret::es-credentials"
	writer      = "kubernetes:core/v1:Secret::es-log-writer"
	reader      = "kubernetes:core/v1:Secret::es-grafana-reader"
	configMap   = "kubernetes:core/v1:ConfigMap::es-config"
	setupConfig = "kubernetes:core/v1:ConfigMap::es-setup"
	caScript    = "kubernetes:core/v1:ConfigMap::es-ca-bootstrap"
	setupJob    = "kubernetes:batch/v1:Job::es-setup"
	caJob       = "kubernetes:batch/v1:Job::es-ca-bootstrap"
	budget      = "kubernetes:policy/v1:PodDisruptionBudget::es-pdb"
	service     = "kubernetes:core/v1:Service::es-service"
	headless    = "kubernetes:core/v1:Service::es-headless-service"
	snapshotPVC = "kubernetes:core/v1:PersistentVolumeClaim::es-snapshots"
	component   = "klearkarma:observability:Elasticsearch::es"
	checksumKey = "checksum.observability.klearkarma.com/config"
	day         = 24 * time.Hour
)

// Passwords distinctive enough to search the rendered objects for.
const (
	elasticPassword = "elastic-password-do-not-leak"
	kibanaPassword  = "kibana-password-do-not-leak"
	writerPassword  = "writer-password-do-not-leak"
	readerPassword  = "reader-password-do-not-leak"
	snapshotBucket  = "klearkarma-prod-log-snapshots"
)

func workloadResources(memory string) workload.Resources {
	return workload.Resources{RequestsCPU: "1", LimitsCPU: "2", LimitsMemory: memory}
}

func secret(s string) pulumi.StringOutput {
	return pulumi.ToSecret(pulumi.String(s)).(pulumi.StringOutput)
}

// prodArgs is the prod stack's shape: three nodes, S3 snapshots with an
// IAM role, a log writer, and Grafana's namespace trusting the CA with a
// read-only user of its own.
func prodArgs() elasticsearch.Args {
	return elasticsearch.Args{
		Namespace:              "logging",
		Replicas:               3,
		StorageSize:            "200Gi",
		Heap:                   "4Gi",
		Resources:              workloadResources("8Gi"),
		TrustNamespaces:        []string{"monitoring"},
		ElasticPassword:        secret(elasticPassword),
		KibanaSystemPassword:   secret(kibanaPassword),
		LogWriterPassword:      secret(writerPassword),
		GrafanaReaderPassword:  secret(readerPassword),
		GrafanaReaderNamespace: "monitoring",
		Retention:              elasticsearch.Retention{Application: 90 * day, Audit: 2557 * day},
		Snapshots: elasticsearch.Snapshots{
			Type: elasticsearch.SnapshotsS3,
			S3: elasticsearch.S3Snapshots{
				Bucket: pulumi.String(snapshotBucket), Region: "us-east-1", BasePath: "elasticsearch",
				RoleArn: "arn:aws:iam::123456789012:role/klearkarma-prod-object-storage",
			},
		},
	}
}

// localArgs is the offline stack: one node, mmap off, snapshots on a volume.
func localArgs() elasticsearch.Args {
	return elasticsearch.Args{
		Namespace:            "logging",
		Replicas:             1,
		StorageSize:          "5Gi",
		Heap:                 "512Mi",
		Resources:            workloadResources("1Gi"),
		MaxMapCount:          elasticsearch.MaxMapCountNoMmap,
		ElasticPassword:      secret(elasticPassword),
		KibanaSystemPassword: secret(kibanaPassword),
		Retention:            elasticsearch.Retention{Application: 90 * day, Audit: 2557 * day},
		Snapshots:            elasticsearch.Snapshots{Type: elasticsearch.SnapshotsFilesystem, Filesystem: elasticsearch.FilesystemSnapshots{Size: "5Gi"}},
	}
}

// run creates one instance named es and captures its outputs under their
// output names.
func run(t *testing.T, args elasticsearch.Args) (*pulumitest.Recorder, error) {
	t.Helper()
	rec := pulumitest.New()
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		es, err := elasticsearch.New(ctx, "es", args)
		if err != nil {
			return err
		}
		for name, o := range map[string]pulumi.StringOutput{
			"url": es.URL, "host": es.Host, "serviceName": es.ServiceName, "credentialsSecret": es.CredentialsSecret,
			"caSecret": es.CASecret, "logWriterUser": es.LogWriterUser, "logWriterSecret": es.LogWriterSecret, "setupJob": es.SetupJob,
			"grafanaReaderUser": es.GrafanaReaderUser, "grafanaReaderSecret": es.GrafanaReaderSecret,
		} {
			rec.Capture(name, o)
		}
		// Constants, which RunErr does not wait for: captured with an
		// output it does wait for.
		for name, o := range map[string]pulumi.StringOutput{
			"namespace": es.Namespace, "applicationDataStream": es.ApplicationDataStream, "auditDataStream": es.AuditDataStream,
		} {
			rec.Capture(name, pulumi.All(es.URL, o).Index(pulumi.Int(1)))
		}
		return nil
	}, pulumi.WithMocks("observability", "test", rec))
	return rec, err
}

func podSpec(t *testing.T, rec *pulumitest.Recorder) map[string]any {
	t.Helper()
	return pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "template", "spec").(map[string]any)
}

func named(t *testing.T, list any, name string) map[string]any {
	t.Helper()
	for _, item := range list.([]any) {
		if m := item.(map[string]any); m["name"] == name {
			return m
		}
	}
	t.Fatalf("nothing named %q in %v", name, list)
	return nil
}

func names(list any) []string {
	var out []string
	if list == nil {
		return out
	}
	for _, item := range list.([]any) {
		out = append(out, item.(map[string]any)["name"].(string))
	}
	return out
}

func nodeConfig(t *testing.T, rec *pulumitest.Recorder) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(pulumitest.Dig(t, rec.Object(t, configMap), "data", "elasticsearch.yml").(string)), &m))
	return m
}

func setupFiles(t *testing.T, rec *pulumitest.Recorder) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range pulumitest.Dig(t, rec.Object(t, setupConfig), "data").(map[string]any) {
		out[k] = v.(string)
	}
	return out
}

func envValue(t *testing.T, container map[string]any, name string) any {
	t.Helper()
	e := named(t, container["env"], name)
	if v, ok := e["value"]; ok {
		return v
	}
	return e["valueFrom"]
}

type elasticsearchCase struct {
	args    func() elasticsearch.Args
	wantErr string
	check   func(t *testing.T, rec *pulumitest.Recorder)
}

func TestElasticsearch(t *testing.T) {
	cases := map[string]elasticsearchCase{
		"two nodes are refused: losing either stops the cluster": {
			args:    func() elasticsearch.Args { a := prodArgs(); a.Replicas = 2; return a },
			wantErr: "replicas: 2 master-eligible Elasticsearch nodes cannot form a quorum",
		},
		"zero nodes are refused": {
			args:    func() elasticsearch.Args { a := localArgs(); a.Replicas = 0; return a },
			wantErr: "replicas: 0 is below 1",
		},
		"a heap over half the memory limit is refused": {
			args:    func() elasticsearch.Args { a := prodArgs(); a.Heap = "5Gi"; return a },
			wantErr: "heap: 5Gi is more than half of the memory limit 8Gi: Elasticsearch needs the other half for the filesystem cache and off-heap memory. Fix: keep the heap at most 50% of the memory limit: lower heap to at most 4096Mi or raise memoryLimit to at least 10240Mi",
		},
		"a missing heap is refused": {
			args:    func() elasticsearch.Args { a := prodArgs(); a.Heap = ""; return a },
			wantErr: "heap: is required",
		},
		"a missing elastic password is refused": {
			args:    func() elasticsearch.Args { a := prodArgs(); a.ElasticPassword = nil; return a },
			wantErr: "ElasticPassword is required with security on",
		},
		"a missing kibana_system password is refused": {
			args:    func() elasticsearch.Args { a := localArgs(); a.KibanaSystemPassword = nil; return a },
			wantErr: "KibanaSystemPassword is required with security on",
		},
		"application retention under the rollover period is refused": {
			args:    func() elasticsearch.Args { a := localArgs(); a.Retention.Application = 12 * time.Hour; return a },
			wantErr: "retention.application 12h is under the rollover period 1d",
		},
		"audit retention under a longer rollover period is refused": {
			args: func() elasticsearch.Args {
				a := localArgs()
				a.Retention.RolloverMaxAge, a.Retention.Audit, a.Retention.AuditWarmAfter = 7*day, 3*day, day
				return a
			},
			wantErr: "retention.audit 3d is under the rollover period 7d",
		},
		"a missing retention is refused": {
			args:    func() elasticsearch.Args { a := localArgs(); a.Retention.Audit = 0; return a },
			wantErr: "retention.audit is required",
		},
		"an audit warm phase that does not come before deletion is refused": {
			args:    func() elasticsearch.Args { a := localArgs(); a.Retention.Audit = 14 * day; return a },
			wantErr: "retention.auditWarmAfter 30d is not under retention.audit 14d",
		},
		"S3 snapshots without a bucket are refused": {
			args:    func() elasticsearch.Args { a := prodArgs(); a.Snapshots.S3.Bucket = nil; return a },
			wantErr: "snapshots.s3.bucket is required",
		},
		"an unknown vm.max_map_count mode is refused": {
			args:    func() elasticsearch.Args { a := prodArgs(); a.MaxMapCount = "sysctl"; return a },
			wantErr: `maxMapCount: "sysctl" is not a known way to meet vm.max_map_count`,
		},
		"one node runs single-node discovery without a disruption budget": {
			args: localArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.EqualValues(t, 1, pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "replicas"))
				cfg := nodeConfig(t, rec)
				assert.Equal(t, "single-node", cfg["discovery.type"])
				assert.NotContains(t, cfg, "discovery.seed_hosts")
				assert.NotContains(t, cfg, "cluster.initial_master_nodes")
				assert.Zero(t, rec.CountType("kubernetes:policy/v1:PodDisruptionBudget"))
				assert.Nil(t, podSpec(t, rec)["affinity"])
				assert.Contains(t, setupFiles(t, rec)["40-template-app.json"], `"number_of_replicas": "0"`, "a single node cannot hold replicas")
			},
		},
		"three nodes seed from the headless Service, bootstrap with their pod names and get a disruption budget": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				sts := rec.Object(t, statefulSet)
				assert.EqualValues(t, 3, pulumitest.Dig(t, sts, "spec", "replicas"))
				assert.Equal(t, "Parallel", pulumitest.Dig(t, sts, "spec", "podManagementPolicy"))
				assert.Equal(t, "es-headless", pulumitest.Dig(t, sts, "spec", "serviceName"))
				cfg := nodeConfig(t, rec)
				assert.NotContains(t, cfg, "discovery.type")
				assert.Equal(t, []any{"es-headless"}, cfg["discovery.seed_hosts"])
				assert.Equal(t, []any{"es-0", "es-1", "es-2"}, cfg["cluster.initial_master_nodes"])
				assert.Equal(t, "${POD_NAME}", cfg["node.name"], "node names are the pod names the bootstrap lists")
				assert.NotNil(t, podSpec(t, rec)["affinity"])

				pdb := rec.Object(t, budget)
				assert.EqualValues(t, 1, pulumitest.Dig(t, pdb, "spec", "maxUnavailable"))
				assert.Equal(t, pulumitest.Dig(t, sts, "spec", "selector", "matchLabels"), pulumitest.Dig(t, pdb, "spec", "selector", "matchLabels"))

				h := rec.Object(t, headless)
				assert.Equal(t, "None", pulumitest.Dig(t, h, "spec", "clusterIP"))
				assert.Equal(t, true, pulumitest.Dig(t, h, "spec", "publishNotReadyAddresses"))
				assert.EqualValues(t, 9300, named(t, pulumitest.Dig(t, h, "spec", "ports"), "transport")["port"])
				clientPorts := pulumitest.Dig(t, rec.Object(t, service), "spec", "ports").([]any)
				require.Len(t, clientPorts, 1)
				assert.EqualValues(t, 9200, clientPorts[0].(map[string]any)["port"])
				assert.Contains(t, setupFiles(t, rec)["40-template-app.json"], `"number_of_replicas": "1"`)
			},
		},
		"a bootstrapped cluster no longer names initial master nodes": {
			args: func() elasticsearch.Args { a := prodArgs(); a.ClusterBootstrapped = true; return a },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				cfg := nodeConfig(t, rec)
				assert.NotContains(t, cfg, "cluster.initial_master_nodes")
				assert.Equal(t, []any{"es-headless"}, cfg["discovery.seed_hosts"])
			},
		},
		"TLS is on for transport and HTTP with a certificate each node issues from the CA Secret": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				cfg := nodeConfig(t, rec)
				assert.Equal(t, true, cfg["xpack.security.enabled"])
				for _, layer := range []string{"transport", "http"} {
					p := "xpack.security." + layer + ".ssl."
					assert.Equal(t, true, cfg[p+"enabled"], layer)
					assert.Equal(t, "certs/tls.key", cfg[p+"key"], layer)
					assert.Equal(t, []any{"certs/ca.crt"}, cfg[p+"certificate_authorities"], layer)
				}
				assert.Equal(t, "full", cfg["xpack.security.http.ssl.verification_mode"])
				pod := podSpec(t, rec)
				prepare := named(t, pod["initContainers"], "prepare")
				assert.Contains(t, prepare["volumeMounts"], map[string]any{"name": "ca", "mountPath": "/mnt/elasticsearch/ca", "readOnly": true})
				main := named(t, pod["containers"], "elasticsearch")
				assert.NotContains(t, names(main["volumeMounts"]), "ca", "the node never mounts the CA key")
				ca := named(t, pod["volumes"], "ca")
				assert.Equal(t, "es-ca-keypair", pulumitest.Dig(t, ca, "secret", "secretName"))
				assert.Equal(t, "Memory", pulumitest.Dig(t, named(t, pod["volumes"], "config"), "emptyDir", "medium"), "the node key lives in memory")
				script := pulumitest.Dig(t, rec.Object(t, configMap), "data", "prepare-node.sh").(string)
				assert.Contains(t, script, "elasticsearch-certutil cert --silent --pem")
				for _, san := range []string{"${POD_NAME}.es-headless.logging.svc.cluster.local", "es.logging.svc.cluster.local", "localhost"} {
					assert.Contains(t, script, san)
				}
			},
		},
		"the CA Job creates the CA once and publishes its certificate with least privilege": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				script := pulumitest.Dig(t, rec.Object(t, caScript), "data", "bootstrap-ca.sh").(string)
				assert.Contains(t, script, "elasticsearch-certutil ca --silent --pem")
				assert.Contains(t, script, "for ns in logging monitoring; do")
				assert.Contains(t, script, `"kind":"Secret","metadata":{"name":"es-ca"`, "the certificate alone, as a Secret")
				job := rec.Object(t, caJob)
				assert.Regexp(t, `^es-ca-[0-9a-f]{10}$`, pulumitest.Dig(t, job, "metadata", "name"))
				vol := named(t, pulumitest.Dig(t, job, "spec", "template", "spec", "volumes"), "ca")
				assert.Equal(t, true, pulumitest.Dig(t, vol, "secret", "optional"), "the first run finds no CA")
				own := rec.Object(t, "kubernetes:rbac.authorization.k8s.io/v1:Role::es-ca-bootstrap-role")
				assert.Equal(t, []any{
					map[string]any{"apiGroups": []any{""}, "resources": []any{"secrets"}, "verbs": []any{"create"}},
					map[string]any{"apiGroups": []any{""}, "resources": []any{"secrets"}, "verbs": []any{"get", "update"}, "resourceNames": []any{"es-ca"}},
					map[string]any{"apiGroups": []any{""}, "resources": []any{"secrets"}, "verbs": []any{"get"}, "resourceNames": []any{"es-ca-keypair"}},
				}, own["rules"])
				other := rec.Object(t, "kubernetes:rbac.authorization.k8s.io/v1:Role::es-ca-bootstrap-role-monitoring")
				assert.Equal(t, "monitoring", pulumitest.Dig(t, other, "metadata", "namespace"))
				assert.Len(t, other["rules"], 2, "no access to the CA key outside its namespace")
				binding := rec.Object(t, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::es-ca-bootstrap-rolebinding-monitoring")
				assert.Equal(t, "logging", pulumitest.Dig(t, binding, "subjects").([]any)[0].(map[string]any)["namespace"])
			},
		},
		"the init-container mode raises vm.max_map_count in a privileged init container": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				pod := podSpec(t, rec)
				assert.Equal(t, []string{"max-map-count", "prepare"}, names(pod["initContainers"]))
				sysctl := named(t, pod["initContainers"], "max-map-count")
				assert.Equal(t, []any{"sysctl", "-w", "vm.max_map_count=262144"}, sysctl["command"])
				assert.Equal(t, true, pulumitest.Dig(t, sysctl, "securityContext", "privileged"))
				assert.NotContains(t, nodeConfig(t, rec), "node.store.allow_mmap")
			},
		},
		"the node mode trusts the nodes' setting: no privileged container, mmap on": {
			args: func() elasticsearch.Args { a := prodArgs(); a.MaxMapCount = elasticsearch.MaxMapCountNode; return a },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, []string{"prepare"}, names(podSpec(t, rec)["initContainers"]))
				assert.NotContains(t, nodeConfig(t, rec), "node.store.allow_mmap")
			},
		},
		"the no-mmap mode turns mmap off instead": {
			args: localArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, []string{"prepare"}, names(podSpec(t, rec)["initContainers"]))
				assert.Equal(t, false, nodeConfig(t, rec)["node.store.allow_mmap"])
			},
		},
		"nodes run as uid 1000 on read-only root filesystems with probes, limits, the heap and their volumes": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				pod := podSpec(t, rec)
				assert.EqualValues(t, 1000, pulumitest.Dig(t, pod, "securityContext", "runAsUser"))
				assert.Equal(t, true, pulumitest.Dig(t, pod, "securityContext", "runAsNonRoot"))
				assert.Equal(t, false, pod["automountServiceAccountToken"])
				c := named(t, pod["containers"], "elasticsearch")
				assert.Equal(t, "docker.elastic.co/elasticsearch/elasticsearch:8.19.7", c["image"])
				assert.Equal(t, true, pulumitest.Dig(t, c, "securityContext", "readOnlyRootFilesystem"))
				assert.Equal(t, "-Xms4096m -Xmx4096m", envValue(t, c, "ES_JAVA_OPTS"))
				assert.Equal(t, "8Gi", pulumitest.Dig(t, c, "resources", "limits", "memory"))
				assert.Equal(t, "8Gi", pulumitest.Dig(t, c, "resources", "requests", "memory"))
				assert.Equal(t, []any{"bash", "/mnt/elasticsearch/settings/readiness.sh"}, pulumitest.Dig(t, c, "readinessProbe", "exec", "command"))
				assert.Equal(t, "transport", pulumitest.Dig(t, c, "livenessProbe", "tcpSocket", "port"))
				assert.NotNil(t, pulumitest.Dig(t, c, "startupProbe", "tcpSocket"))
				assert.Subset(t, names(c["volumeMounts"]), []string{"config", "data", "logs", "tmp"})
				claims := pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "volumeClaimTemplates").([]any)
				require.Len(t, claims, 1)
				assert.Equal(t, "200Gi", pulumitest.Dig(t, claims[0], "spec", "resources", "requests", "storage"))
				readiness := pulumitest.Dig(t, rec.Object(t, configMap), "data", "readiness.sh").(string)
				assert.Contains(t, readiness, "_cluster/health?local=true")
				assert.Contains(t, readiness, "-K -", "the password reaches curl on stdin, not in its arguments")
				ann := pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "template", "metadata", "annotations").(map[string]any)
				assert.Len(t, ann[checksumKey], 64)
			},
		},
		"passwords are secret in the credentials Secret, read from it, and nowhere else": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				data := rec.Get(t, credentials)["stringData"]
				require.True(t, data.IsSecret(), "the Secret's stringData is a Pulumi secret")
				assert.Equal(t, map[string]any{"elastic": elasticPassword, "kibana_system": kibanaPassword, "grafana_reader": readerPassword},
					data.SecretValue().Element.Mappable())
				w := rec.Get(t, writer)["stringData"]
				require.True(t, w.IsSecret())
				assert.Equal(t, map[string]any{"username": "klearkarma-log-writer", "password": writerPassword}, w.SecretValue().Element.Mappable(),
					"the keys Fluentd and Logstash read by default")
				c := named(t, podSpec(t, rec)["containers"], "elasticsearch")
				assert.Equal(t, map[string]any{"secretKeyRef": map[string]any{"name": "es-credentials", "key": "elastic"}}, envValue(t, c, "ELASTIC_PASSWORD"))
				job := named(t, pulumitest.Dig(t, rec.Object(t, setupJob), "spec", "template", "spec", "containers"), "setup")
				assert.Equal(t, map[string]any{"secretKeyRef": map[string]any{"name": "es-credentials", "key": "kibana_system"}}, envValue(t, job, "KIBANA_SYSTEM_PASSWORD"))
				assert.Equal(t, map[string]any{"secretKeyRef": map[string]any{"name": "es-log-writer", "key": "password"}}, envValue(t, job, "LOG_WRITER_PASSWORD"))

				for _, key := range rec.Keys() {
					if key == credentials || key == writer || key == reader {
						continue
					}
					props := resource.NewObjectProperty(rec.Get(t, key))
					assert.False(t, props.ContainsSecrets(), "%s holds a secret", key)
					b, err := json.Marshal(props.Mappable())
					require.NoError(t, err)
					for _, p := range []string{elasticPassword, kibanaPassword, writerPassword, readerPassword} {
						assert.NotContains(t, string(b), p, key)
					}
				}
			},
		},
		"no private key is rendered anywhere": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				for _, key := range rec.Keys() {
					b, err := json.Marshal(rec.Get(t, key).Mappable())
					require.NoError(t, err)
					assert.NotContains(t, string(b), "PRIVATE KEY", key)
					assert.NotContains(t, string(b), "BEGIN CERTIFICATE", key)
				}
			},
		},
		"S3 snapshots use the bucket and assume the IAM role with a projected token": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, "s3.us-east-1.amazonaws.com", nodeConfig(t, rec)["s3.client.default.endpoint"])
				assert.NotContains(t, nodeConfig(t, rec), "path.repo")
				pod := podSpec(t, rec)
				c := named(t, pod["containers"], "elasticsearch")
				assert.Equal(t, "arn:aws:iam::123456789012:role/klearkarma-prod-object-storage", envValue(t, c, "AWS_ROLE_ARN"))
				assert.Equal(t, "/usr/share/elasticsearch/config/repository-s3/aws-web-identity-token-file", envValue(t, c, "AWS_WEB_IDENTITY_TOKEN_FILE"))
				token := named(t, pod["volumes"], "aws-token")
				assert.Equal(t, "sts.amazonaws.com", pulumitest.Dig(t, token, "projected", "sources").([]any)[0].(map[string]any)["serviceAccountToken"].(map[string]any)["audience"])
				assert.Zero(t, rec.CountType("kubernetes:core/v1:PersistentVolumeClaim"), "S3 needs no snapshot volume")
				assert.Contains(t, setupFiles(t, rec)["20-snapshot-repository.json"], `"bucket": "`+snapshotBucket+`"`)
			},
		},
		"filesystem snapshots set path.repo on a volume every node mounts": {
			args: localArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, []any{"/usr/share/elasticsearch/snapshots"}, nodeConfig(t, rec)["path.repo"])
				pvc := rec.Object(t, snapshotPVC)
				assert.Equal(t, []any{"ReadWriteOnce"}, pulumitest.Dig(t, pvc, "spec", "accessModes"), "one node: its own volume")
				c := named(t, podSpec(t, rec)["containers"], "elasticsearch")
				assert.Contains(t, c["volumeMounts"], map[string]any{"name": "snapshots", "mountPath": "/usr/share/elasticsearch/snapshots", "readOnly": false})
				assert.Contains(t, setupFiles(t, rec)["20-snapshot-repository.json"], `"location": "/usr/share/elasticsearch/snapshots"`)
			},
		},
		"filesystem snapshots of three nodes share a ReadWriteMany volume": {
			args: func() elasticsearch.Args {
				a := prodArgs()
				a.Snapshots = elasticsearch.Snapshots{Type: elasticsearch.SnapshotsFilesystem, Filesystem: elasticsearch.FilesystemSnapshots{Size: "100Gi", StorageClassName: "efs"}}
				return a
			},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				pvc := rec.Object(t, snapshotPVC)
				assert.Equal(t, []any{"ReadWriteMany"}, pulumitest.Dig(t, pvc, "spec", "accessModes"))
				assert.Equal(t, "efs", pulumitest.Dig(t, pvc, "spec", "storageClassName"))
			},
		},
		"no snapshots: no repository, no SLM policy, and audit deletion waits for nothing": {
			args: func() elasticsearch.Args { a := localArgs(); a.Snapshots = elasticsearch.Snapshots{}; return a },
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				files := setupFiles(t, rec)
				assert.NotContains(t, files, "20-snapshot-repository.json")
				assert.NotContains(t, files, "21-slm-audit.json")
				assert.NotContains(t, files["31-ilm-audit.json"], "wait_for_snapshot")
				assert.NotContains(t, nodeConfig(t, rec), "path.repo")
			},
		},
		"the setup Job runs the bodies from the ConfigMap with the CA, after the nodes": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				job := rec.Object(t, setupJob)
				assert.Regexp(t, `^es-setup-[0-9a-f]{10}$`, pulumitest.Dig(t, job, "metadata", "name"))
				assert.Equal(t, rec.Output(t, "setupJob"), pulumitest.Dig(t, job, "metadata", "name"))
				spec := pulumitest.Dig(t, job, "spec", "template", "spec").(map[string]any)
				assert.Equal(t, "Never", spec["restartPolicy"])
				c := named(t, spec["containers"], "setup")
				assert.Equal(t, []any{"bash", "/mnt/setup/setup.sh"}, c["command"])
				assert.Equal(t, "https://es.logging.svc.cluster.local:9200", envValue(t, c, "ES_URL"))
				assert.Equal(t, "es-ca", pulumitest.Dig(t, named(t, spec["volumes"], "ca"), "secret", "secretName"))
				assert.Equal(t, true, pulumitest.Dig(t, c, "securityContext", "readOnlyRootFilesystem"))
				script := setupFiles(t, rec)["setup.sh"]
				assert.Contains(t, script, "wait_for_status=yellow")
				assert.Contains(t, script, "password_request POST /_security/user/kibana_system/_password")
				order := []string{"/_ingest/pipeline/", "/_snapshot/", "/_slm/policy/", "/_ilm/policy/klearkarma-logs-app", "/_ilm/policy/klearkarma-logs-audit", "/_index_template/", "/_security/role/", "/_security/user/klearkarma-log-writer"}
				last := -1
				for _, step := range order {
					i := strings.Index(script, step)
					require.GreaterOrEqual(t, i, 0, step)
					assert.Greater(t, i, last, "%s comes after the step before it", step)
					last = i
				}
			},
		},
		"the outputs tell writers and Kibana where to go": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, 1, rec.CountType(elasticsearch.TypeToken))
				assert.True(t, rec.Has(component))
				assert.Equal(t, "https://es.logging.svc.cluster.local:9200", rec.Output(t, "url"))
				assert.Equal(t, "es.logging.svc.cluster.local", rec.Output(t, "host"))
				assert.Equal(t, "es-log-writer", rec.Output(t, "logWriterSecret"))
				assert.Equal(t, "es", rec.Output(t, "serviceName"))
				assert.Equal(t, "logging", rec.Output(t, "namespace"))
				assert.Equal(t, "es-credentials", rec.Output(t, "credentialsSecret"))
				assert.Equal(t, "es-ca", rec.Output(t, "caSecret"))
				assert.Equal(t, "logs-klearkarma.app-default", rec.Output(t, "applicationDataStream"))
				assert.Equal(t, "logs-klearkarma.audit-default", rec.Output(t, "auditDataStream"))
				assert.Equal(t, "klearkarma-log-writer", rec.Output(t, "logWriterUser"))
			},
		},
		"Grafana's reader may only read the log data streams, and its Secret is in Grafana's namespace": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				files := setupFiles(t, rec)
				var role types.RoleDescriptor
				require.NoError(t, json.Unmarshal([]byte(files["51-role-grafana-reader.json"]), &role), "the body decodes into the typed role")
				require.Len(t, role.Indices, 1)
				assert.Equal(t, []string{"logs-klearkarma.*"}, role.Indices[0].Names)
				assert.ElementsMatch(t, []indexprivilege.IndexPrivilege{indexprivilege.Read, indexprivilege.Viewindexmetadata}, role.Indices[0].Privileges)
				assert.Equal(t, []clusterprivilege.ClusterPrivilege{clusterprivilege.Monitor}, role.Cluster)
				assert.Empty(t, role.Applications)
				assert.Empty(t, role.RunAs)
				script := files["setup.sh"]
				user := `password_request PUT /_security/user/klearkarma-grafana-reader "$GRAFANA_READER_PASSWORD" '["klearkarma-grafana-reader"]'`
				assert.Contains(t, script, user)
				assert.Greater(t, strings.Index(script, user), strings.Index(script, "/_security/role/klearkarma-grafana-reader"), "the role exists before its user")

				job := named(t, pulumitest.Dig(t, rec.Object(t, setupJob), "spec", "template", "spec", "containers"), "setup")
				assert.Equal(t, map[string]any{"secretKeyRef": map[string]any{"name": "es-credentials", "key": "grafana_reader"}}, envValue(t, job, "GRAFANA_READER_PASSWORD"))
				r := rec.Get(t, reader)
				assert.Equal(t, "monitoring", r["metadata"].Mappable().(map[string]any)["namespace"], "a pod reads Secrets of its own namespace only")
				require.True(t, r["stringData"].IsSecret())
				assert.Equal(t, map[string]any{"username": "klearkarma-grafana-reader", "password": readerPassword}, r["stringData"].SecretValue().Element.Mappable())
				for _, key := range []string{setupConfig, configMap, caScript} {
					b, err := json.Marshal(rec.Object(t, key))
					require.NoError(t, err)
					assert.NotContains(t, string(b), readerPassword, key)
				}
				assert.Equal(t, "klearkarma-grafana-reader", rec.Output(t, "grafanaReaderUser"))
				assert.Equal(t, "es-grafana-reader", rec.Output(t, "grafanaReaderSecret"))
			},
		},
		"without a log writer or Grafana reader password there is neither user": {
			args: localArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, "", rec.Output(t, "grafanaReaderUser"))
				assert.Equal(t, "", rec.Output(t, "grafanaReaderSecret"))
				assert.NotContains(t, setupFiles(t, rec), "51-role-grafana-reader.json")
				assert.NotContains(t, setupFiles(t, rec)["setup.sh"], "GRAFANA_READER_PASSWORD")
				assert.Equal(t, "", rec.Output(t, "logWriterUser"))
				assert.Equal(t, "", rec.Output(t, "logWriterSecret"))
				assert.Equal(t, 1, rec.CountType("kubernetes:core/v1:Secret"), "the credentials Secret alone: no writer or reader Secret")
				assert.NotContains(t, setupFiles(t, rec), "50-role-log-writer.json")
				assert.NotContains(t, setupFiles(t, rec)["setup.sh"], "LOG_WRITER_PASSWORD")
			},
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc elasticsearchCase) {
		rec, err := run(t, tc.args())
		if tc.wantErr != "" {
			require.ErrorContains(t, err, tc.wantErr)
			assert.Contains(t, err.Error(), `elasticsearch "es"`)
			assert.Empty(t, rec.Keys(), "nothing is registered")
			return
		}
		require.NoError(t, err)
		tc.check(t, rec)
	})
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	_, err := run(t, elasticsearch.Args{Replicas: 2, StorageSize: "lots", Snapshots: elasticsearch.Snapshots{Type: "tape"}})
	require.Error(t, err)
	for _, want := range []string{"namespace is required", "replicas: 2 master-eligible", `storageSize: "lots"`, "heap: is required",
		"ElasticPassword", "KibanaSystemPassword", "retention.application is required", "retention.audit is required", `snapshots.type "tape"`} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestANameThatCannotNameKubernetesObjectsFails(t *testing.T) {
	rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
		_, err := elasticsearch.New(ctx, "Elastic_Search", localArgs())
		return err
	})
	require.ErrorContains(t, err, "must be a DNS label")
	assert.Empty(t, rec.Keys())
}

func jobNames(t *testing.T, args elasticsearch.Args) (setup, ca string, files map[string]string, podChecksum string) {
	t.Helper()
	rec, err := run(t, args)
	require.NoError(t, err)
	ann := pulumitest.Dig(t, rec.Object(t, statefulSet), "spec", "template", "metadata", "annotations").(map[string]any)
	return pulumitest.Dig(t, rec.Object(t, setupJob), "metadata", "name").(string), pulumitest.Dig(t, rec.Object(t, caJob), "metadata", "name").(string),
		setupFiles(t, rec), ann[checksumKey].(string)
}

// A Job's pod template is immutable, so the setup Job is renamed (and so
// replaced and re-run) exactly when what it sends changes; the same bodies
// keep the same name and a second preview shows no change.
func TestTheSetupJobReRunsExactlyWhenABodyChanges(t *testing.T) {
	baseJob, baseCA, baseFiles, basePod := jobNames(t, prodArgs())
	type testCase struct {
		change      func(a *elasticsearch.Args)
		wantChanged bool
	}
	cases := map[string]testCase{
		"the same args render the same bodies and the same Job": {change: func(*elasticsearch.Args) {}},
		"a longer application retention re-runs the Job": {
			change: func(a *elasticsearch.Args) { a.Retention.Application = 120 * day }, wantChanged: true,
		},
		"a shorter audit retention re-runs the Job": {
			change: func(a *elasticsearch.Args) { a.Retention.Audit = 2000 * day }, wantChanged: true,
		},
		"another snapshot bucket re-runs the Job": {
			change: func(a *elasticsearch.Args) { a.Snapshots.S3.Bucket = pulumi.String("another-bucket") }, wantChanged: true,
		},
		"a new snapshot schedule re-runs the Job": {
			change: func(a *elasticsearch.Args) { a.Snapshots.Schedule = "0 0 3 * * ?" }, wantChanged: true,
		},
		"rotated passwords change no body: they are read from the Secret": {
			change: func(a *elasticsearch.Args) {
				a.ElasticPassword, a.KibanaSystemPassword, a.LogWriterPassword = secret("new-1"), secret("new-2"), secret("new-3")
				a.GrafanaReaderPassword = secret("new-4")
			},
		},
		"adding or removing Grafana's reader re-runs the Job": {
			change: func(a *elasticsearch.Args) { a.GrafanaReaderPassword = nil }, wantChanged: true,
		},
		"a bigger heap and volume change no body": {
			change: func(a *elasticsearch.Args) {
				a.Heap, a.Resources, a.StorageSize = "8Gi", workloadResources("16Gi"), "500Gi"
			},
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc testCase) {
		a := prodArgs()
		tc.change(&a)
		job, ca, files, _ := jobNames(t, a)
		bodiesChanged := false
		for k, v := range files {
			if baseFiles[k] != v {
				bodiesChanged = true
			}
		}
		assert.Equal(t, tc.wantChanged, bodiesChanged, "bodies changed")
		assert.Equal(t, tc.wantChanged, job != baseJob, "job name changed")
		assert.Equal(t, baseCA, ca, "the CA Job does not depend on the bodies")
	})
	t.Run("a retention change does not restart the nodes", func(t *testing.T) {
		a := prodArgs()
		a.Retention.Application = 30 * day
		_, _, _, pod := jobNames(t, a)
		assert.Equal(t, basePod, pod)
	})
	t.Run("a new trust namespace re-runs only the CA Job", func(t *testing.T) {
		a := prodArgs()
		a.TrustNamespaces = append(a.TrustNamespaces, "tracing")
		job, ca, _, _ := jobNames(t, a)
		assert.Equal(t, baseJob, job)
		assert.NotEqual(t, baseCA, ca)
	})
}

// The same args register the same objects byte for byte, so a second
// preview shows no change.
func TestTheSameArgsRenderTheSameObjects(t *testing.T) {
	render := func() map[string]string {
		rec, err := run(t, prodArgs())
		require.NoError(t, err)
		out := map[string]string{}
		for _, key := range rec.Keys() {
			b, err := json.Marshal(rec.Get(t, key).Mappable())
			require.NoError(t, err)
			out[key] = string(b)
		}
		return out
	}
	first := render()
	for range 3 {
		assert.Equal(t, first, render())
	}
}
