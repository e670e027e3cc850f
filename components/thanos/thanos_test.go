package thanos_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/thanos"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const (
	compactorKey = "kubernetes:apps/v1:StatefulSet::thanos-compactor-statefulset"
	queryKey     = "kubernetes:apps/v1:Deployment::thanos-query-deployment"
	storeKey     = "kubernetes:apps/v1:StatefulSet::thanos-store-statefulset"
	secretKey    = "kubernetes:core/v1:Secret::thanos-objstore"
	pvcType      = "kubernetes:core/v1:PersistentVolumeClaim"
)

func s3Args() thanos.Args {
	return thanos.Args{
		Namespace: "monitoring", SidecarService: "prometheus-headless",
		Storage:       thanos.Storage{S3Bucket: pulumi.String("klearkarma-prod-metrics-abc"), S3Region: "us-east-1"},
		Retention:     thanos.Retention{Raw: "456d", FiveMinutes: "456d", OneHour: "1825d"},
		StoreReplicas: 2, QueryReplicas: 2,
	}
}

func fsArgs() thanos.Args {
	a := s3Args()
	a.Storage = thanos.Storage{FilesystemSize: "20Gi"}
	return a
}

func args(t *testing.T, rec *pulumitest.Recorder, key, container string) string {
	t.Helper()
	for _, c := range pulumitest.Dig(t, rec.Object(t, key), "spec", "template", "spec", "containers").([]any) {
		if c.(map[string]any)["name"] == container {
			var out []string
			for _, a := range c.(map[string]any)["args"].([]any) {
				out = append(out, a.(string))
			}
			return strings.Join(out, " ")
		}
	}
	t.Fatalf("no container %s in %s", container, key)
	return ""
}

type thanosCase struct {
	args    thanos.Args
	wantErr string
	check   func(t *testing.T, rec *pulumitest.Recorder)
}

func TestThanos(t *testing.T) {
	cases := map[string]thanosCase{
		"the compactor keeps raw and 5m blocks 15 months and 1h blocks 5 years": {
			args: s3Args(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				flags := args(t, rec, compactorKey, "compactor")
				assert.Contains(t, flags, "--retention.resolution-raw=456d")
				assert.Contains(t, flags, "--retention.resolution-5m=456d")
				assert.Contains(t, flags, "--retention.resolution-1h=1825d")
				assert.Equal(t, 1.0, pulumitest.Dig(t, rec.Object(t, compactorKey), "spec", "replicas"), "exactly one compactor")
			},
		},
		"query reads the sidecars and the store gateway and deduplicates replicas": {
			args: s3Args(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				flags := args(t, rec, queryKey, "query")
				assert.Contains(t, flags, "--endpoint=dnssrv+_grpc._tcp.prometheus-headless.monitoring.svc.cluster.local")
				assert.Contains(t, flags, "--endpoint=dnssrv+_grpc._tcp.thanos-store.monitoring.svc.cluster.local")
				assert.Contains(t, flags, "--query.replica-label=replica")
				assert.Equal(t, "http://thanos-query.monitoring.svc.cluster.local:9090", rec.Output(t, "queryUrl"))
			},
		},
		"S3 storage writes a bucket config without credentials and no shared volume": {
			args: s3Args(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				secret := pulumitest.Plain(rec.Get(t, secretKey))
				cfg := secret["stringData"].(map[string]any)["objstore.yml"].(string)
				assert.Contains(t, cfg, "type: S3")
				assert.Contains(t, cfg, "bucket: klearkarma-prod-metrics-abc")
				assert.NotContains(t, cfg, "secret_key")
				assert.Zero(t, rec.CountType(pvcType))
				assert.Equal(t, "", rec.Output(t, "bucketClaim"))
			},
		},
		"the offline filesystem bucket is a shared volume": {
			args: fsArgs(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, 1, rec.CountType(pvcType))
				pvc := rec.Object(t, pvcType+"::thanos-bucket")
				assert.Equal(t, []any{"ReadWriteMany"}, pulumitest.Dig(t, pvc, "spec", "accessModes"))
				assert.Equal(t, "thanos-bucket", rec.Output(t, "bucketClaim"))
				secret := pulumitest.Plain(rec.Get(t, secretKey))
				assert.Contains(t, secret["stringData"].(map[string]any)["objstore.yml"], "type: FILESYSTEM")
				for _, key := range []string{storeKey, queryKey, compactorKey} {
					vols := pulumitest.Dig(t, rec.Object(t, key), "spec", "template", "spec", "volumes").([]any)
					assert.Contains(t, vols, map[string]any{"name": "bucket", "persistentVolumeClaim": map[string]any{"claimName": "thanos-bucket"}}, key)
				}
			},
		},
		"query picks the resolution from the step when a query names none, so the 1h tier is read after raw data is deleted": {
			args: s3Args(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Contains(t, strings.Fields(args(t, rec, queryKey, "query")), "--query.auto-downsampling")
			},
		},
		"the compactor merges the HA pair's blocks with the penalty algorithm meant for Prometheus replicas": {
			args: s3Args(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				flags := strings.Fields(args(t, rec, compactorKey, "compactor"))
				assert.Contains(t, flags, "--deduplication.replica-label=replica")
				assert.Contains(t, flags, "--deduplication.func=penalty", "the default merge keeps both replicas' samples interleaved, irreversibly")
			},
		},
		"every workload carries the image's version, its selector and claim templates do not": {
			args: s3Args(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				for _, key := range []string{storeKey, queryKey, compactorKey} {
					w := rec.Object(t, key)
					assert.Equal(t, "v"+pins.Thanos.Version, pulumitest.Dig(t, w, "metadata", "labels", "app.kubernetes.io/version"), key)
					assert.Equal(t, "v"+pins.Thanos.Version, pulumitest.Dig(t, w, "spec", "template", "metadata", "labels", "app.kubernetes.io/version"), key)
					assert.NotContains(t, pulumitest.Dig(t, w, "spec", "selector", "matchLabels"), "app.kubernetes.io/version", key)
				}
				for _, key := range []string{storeKey, compactorKey} {
					claim := pulumitest.Dig(t, rec.Object(t, key), "spec", "volumeClaimTemplates").([]any)[0]
					assert.NotContains(t, pulumitest.Dig(t, claim, "metadata", "labels"), "app.kubernetes.io/version",
						"%s: a changed claim template replaces the StatefulSet", key)
				}
			},
		},
		"the compactor's StatefulSet names a headless Service that exists, and every pod runs above uid 10000": {
			args: s3Args(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				svc := rec.Object(t, "kubernetes:core/v1:Service::thanos-compactor-service")
				assert.Equal(t, "None", pulumitest.Dig(t, svc, "spec", "clusterIP"))
				assert.Equal(t, pulumitest.Dig(t, svc, "metadata", "name"), pulumitest.Dig(t, rec.Object(t, compactorKey), "spec", "serviceName"))
				for _, key := range []string{storeKey, queryKey, compactorKey} {
					assert.Equal(t, 65534.0, pulumitest.Dig(t, rec.Object(t, key), "spec", "template", "spec", "securityContext", "runAsUser"), key)
				}
			},
		},
		"with two Query and two Store replicas each gets a PodDisruptionBudget of one; with one, none": {
			args: s3Args(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				for _, key := range []string{"thanos-query-pdb", "thanos-store-pdb"} {
					pdb := rec.Object(t, "kubernetes:policy/v1:PodDisruptionBudget::"+key)
					assert.Equal(t, 1.0, pulumitest.Dig(t, pdb, "spec", "maxUnavailable"), key)
				}
				single, err := pulumitest.Run(func(ctx *pulumi.Context) error {
					a := s3Args()
					a.StoreReplicas, a.QueryReplicas = 1, 1
					_, err := thanos.New(ctx, "thanos", a)
					return err
				})
				require.NoError(t, err)
				assert.Zero(t, single.CountType("kubernetes:policy/v1:PodDisruptionBudget"))
			},
		},
		"raw retention under 40h is refused because the compactor would refuse it": {
			args:    func() thanos.Args { a := s3Args(); a.Retention.Raw = "1d"; return a }(),
			wantErr: "retention.raw: 1d is under 40h",
		},
		"a retention that does not parse is refused": {
			args:    func() thanos.Args { a := s3Args(); a.Retention.OneHour = "five years"; return a }(),
			wantErr: `retention.oneHour: "five years" is not a duration`,
		},
		"storage with neither S3 nor a filesystem size is refused": {
			args:    func() thanos.Args { a := s3Args(); a.Storage = thanos.Storage{}; return a }(),
			wantErr: "storage.filesystemSize: is empty and there is no S3 bucket",
		},
		"a missing sidecar service is refused": {
			args:    func() thanos.Args { a := s3Args(); a.SidecarService = ""; return a }(),
			wantErr: "sidecarService: is empty",
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc thanosCase) {
		rec := pulumitest.New()
		err := pulumi.RunErr(func(ctx *pulumi.Context) error {
			th, err := thanos.New(ctx, "thanos", tc.args)
			if err != nil {
				return err
			}
			rec.Capture("queryUrl", th.QueryURL)
			rec.Capture("bucketClaim", th.BucketClaim)
			return nil
		}, pulumi.WithMocks("observability", "test", rec))
		if tc.wantErr != "" {
			require.ErrorContains(t, err, tc.wantErr)
			assert.Empty(t, rec.Keys())
			return
		}
		require.NoError(t, err)
		tc.check(t, rec)
	})
}

type sizingCase struct {
	sizing           thanos.Sizing
	filesystemBucket bool
	wantFields       []string
}

func TestSizingStatesTheStackRulesOnce(t *testing.T) {
	good := thanos.Sizing{StoreReplicas: 1, QueryReplicas: 1, StoreStorageSize: "10Gi", CompactorStorageSize: "50Gi"}
	cases := map[string]sizingCase{
		"S3 needs no filesystem bucket size": {sizing: good},
		"without S3 the filesystem bucket needs a size": {
			sizing: good, filesystemBucket: true, wantFields: []string{"filesystemBucketSize"},
		},
		"every bad field is named by its config field": {
			sizing:           thanos.Sizing{StoreStorageSize: "big", CompactorStorageSize: "huge", FilesystemBucketSize: "vast"},
			filesystemBucket: true,
			wantFields:       []string{"storeReplicas", "queryReplicas", "storeStorageSize", "compactorStorageSize", "filesystemBucketSize"},
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc sizingCase) {
		var fields []string
		for _, p := range tc.sizing.Check(tc.filesystemBucket) {
			fields = append(fields, p.Field)
			assert.NotEmpty(t, p.Fix, p.Field)
		}
		assert.Equal(t, tc.wantFields, fields)
	})
}

func TestRetentionKeepsForeverButNotUnder40hOfRawData(t *testing.T) {
	assert.Empty(t, thanos.Retention{Raw: "40h", FiveMinutes: "0s", OneHour: "0s"}.Check(), "0 is the compactor's keep-forever")
	ps := thanos.Retention{Raw: "39h", FiveMinutes: "456d", OneHour: "1825d"}.Check()
	require.Len(t, ps, 1)
	assert.Equal(t, "raw", ps[0].Field)
	assert.Contains(t, ps[0].Fix, "at least 40h")
}
