package blackbox_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/blackbox"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const (
	deploymentKey = "kubernetes:apps/v1:Deployment::probes-deployment"
	configMapKey  = "kubernetes:core/v1:ConfigMap::probes-config"
	serviceKey    = "kubernetes:core/v1:Service::probes-service"
)

type blackboxCase struct {
	args    blackbox.Args
	wantErr string
	check   func(t *testing.T, rec *pulumitest.Recorder)
}

func TestBlackboxExporter(t *testing.T) {
	cases := map[string]blackboxCase{
		"the image is the pinned release the tests validate the configuration with": {
			args: blackbox.Args{Namespace: "monitoring"},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				d := rec.Object(t, deploymentKey)
				c := pulumitest.Dig(t, d, "spec", "template", "spec", "containers").([]any)[0].(map[string]any)
				assert.Equal(t, "quay.io/prometheus/blackbox-exporter:v0.27.0", c["image"])
				assert.Equal(t, pins.BlackboxExporter.Image(), c["image"])
				assert.Equal(t, "0.27.0", pulumitest.Dig(t, d, "metadata", "labels", "app.kubernetes.io/version"))
				assert.NotContains(t, pulumitest.Dig(t, d, "spec", "selector", "matchLabels"), "app.kubernetes.io/version")
			},
		},
		"the ConfigMap holds the rendered blackbox.yml and the pod rolls when it changes": {
			args: blackbox.Args{Namespace: "monitoring"},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				text, err := blackbox.RenderConfig()
				require.NoError(t, err)
				assert.Equal(t, text, pulumitest.Dig(t, rec.Object(t, configMapKey), "data", blackbox.ConfigFile))
				ann := pulumitest.Dig(t, rec.Object(t, deploymentKey), "spec", "template", "metadata", "annotations").(map[string]any)
				assert.Len(t, ann, 1, "one checksum annotation")
			},
		},
		"the container is restricted, limited and mounts its configuration read-only": {
			args: blackbox.Args{Namespace: "monitoring"},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				c := pulumitest.Dig(t, rec.Object(t, deploymentKey), "spec", "template", "spec", "containers").([]any)[0].(map[string]any)
				assert.Equal(t, true, pulumitest.Dig(t, c, "securityContext", "readOnlyRootFilesystem"))
				assert.Equal(t, "128Mi", pulumitest.Dig(t, c, "resources", "limits", "memory"))
				assert.Equal(t, "50m", pulumitest.Dig(t, c, "resources", "requests", "cpu"))
				assert.Equal(t, true, c["volumeMounts"].([]any)[0].(map[string]any)["readOnly"])
				assert.Contains(t, c["args"], "--config.file=/etc/blackbox_exporter/blackbox.yml")
			},
		},
		"the Service has the name Address gives Prometheus": {
			args: blackbox.Args{Namespace: "monitoring"},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Equal(t, blackbox.Name, pulumitest.Dig(t, rec.Object(t, serviceKey), "metadata", "name"))
				assert.Equal(t, "blackbox-exporter.monitoring.svc.cluster.local:9115", blackbox.Address("monitoring"))
				assert.Equal(t, "http://blackbox-exporter.monitoring.svc.cluster.local:9115", rec.Output(t, "url"))
			},
		},
		"replicas default to one and can be raised": {
			args: blackbox.Args{Namespace: "monitoring", Replicas: 2},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.EqualValues(t, 2, pulumitest.Dig(t, rec.Object(t, deploymentKey), "spec", "replicas"))
			},
		},
		"a missing namespace fails before anything is registered": {args: blackbox.Args{}, wantErr: "namespace: is not set"},
		"negative replicas fail before anything is registered":    {args: blackbox.Args{Namespace: "monitoring", Replicas: -1}, wantErr: "replicas"},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc blackboxCase) {
		rec := pulumitest.New()
		err := pulumi.RunErr(func(ctx *pulumi.Context) error {
			b, err := blackbox.New(ctx, "probes", tc.args)
			if err != nil {
				return err
			}
			rec.Capture("url", b.URL)
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
