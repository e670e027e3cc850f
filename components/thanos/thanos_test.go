package thanos_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/thanos"
	"github.com/klearkarma/observability/internal/pulumitest"
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
	spec := rec.Get(t, key).Mappable()["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
	for _, c := range spec["containers"].([]any) {
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

func TestThanos(t *testing.T) {
	cases := map[string]struct {
		args    thanos.Args
		wantErr string
		check   func(t *testing.T, rec *pulumitest.Recorder)
	}{
		"the compactor keeps raw and 5m blocks 15 months and 1h blocks 5 years": {
			args: s3Args(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				flags := args(t, rec, "kubernetes:apps/v1:StatefulSet::thanos-compactor-statefulset", "compactor")
				assert.Contains(t, flags, "--retention.resolution-raw=456d")
				assert.Contains(t, flags, "--retention.resolution-5m=456d")
				assert.Contains(t, flags, "--retention.resolution-1h=1825d")
				sts := rec.Get(t, "kubernetes:apps/v1:StatefulSet::thanos-compactor-statefulset").Mappable()
				assert.Equal(t, 1.0, sts["spec"].(map[string]any)["replicas"], "exactly one compactor")
			},
		},
		"query reads the sidecars and the store gateway and deduplicates replicas": {
			args: s3Args(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				flags := args(t, rec, "kubernetes:apps/v1:Deployment::thanos-query-deployment", "query")
				assert.Contains(t, flags, "dnssrv+_grpc._tcp.prometheus-headless.monitoring.svc.cluster.local")
				assert.Contains(t, flags, "dnssrv+_grpc._tcp.thanos-store.monitoring.svc.cluster.local")
				assert.Contains(t, flags, "--query.replica-label=replica")
			},
		},
		"S3 storage writes a bucket config without credentials and no shared volume": {
			args: s3Args(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				secret := pulumitest.Plain(rec.Get(t, "kubernetes:core/v1:Secret::thanos-objstore"))
				cfg := secret["stringData"].(map[string]any)["objstore.yml"].(string)
				assert.Contains(t, cfg, "type: S3")
				assert.Contains(t, cfg, "bucket: klearkarma-prod-metrics-abc")
				assert.NotContains(t, cfg, "secret_key")
				assert.False(t, rec.Has("kubernetes:core/v1:PersistentVolumeClaim::thanos-bucket"))
			},
		},
		"the offline filesystem bucket is a shared volume": {
			args: fsArgs(),
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				pvc := rec.Get(t, "kubernetes:core/v1:PersistentVolumeClaim::thanos-bucket").Mappable()
				assert.Equal(t, []any{"ReadWriteMany"}, pvc["spec"].(map[string]any)["accessModes"])
				secret := pulumitest.Plain(rec.Get(t, "kubernetes:core/v1:Secret::thanos-objstore"))
				assert.Contains(t, secret["stringData"].(map[string]any)["objstore.yml"], "type: FILESYSTEM")
			},
		},
		"raw retention under 40h is refused because the compactor would refuse it": {
			args:    func() thanos.Args { a := s3Args(); a.Retention.Raw = "1d"; return a }(),
			wantErr: "under 40h",
		},
		"a retention that does not parse is refused": {
			args:    func() thanos.Args { a := s3Args(); a.Retention.OneHour = "five years"; return a }(),
			wantErr: "1h retention",
		},
		"storage with neither S3 nor a filesystem size is refused": {
			args:    func() thanos.Args { a := s3Args(); a.Storage = thanos.Storage{}; return a }(),
			wantErr: "storage needs",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec, err := pulumitest.Run(func(ctx *pulumi.Context) error {
				_, err := thanos.New(ctx, "thanos", tc.args)
				return err
			})
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				assert.Empty(t, rec.Keys())
				return
			}
			require.NoError(t, err)
			tc.check(t, rec)
		})
	}
}
