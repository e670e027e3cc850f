package kibana_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/klearkarma/observability/components/kibana"
	"github.com/klearkarma/observability/internal/jsonprobe"
	"github.com/klearkarma/observability/internal/pulumitest"
)

const (
	deployment  = "kubernetes:apps/v1:Deployment::kb-deployment"
	configMap   = "kubernetes:core/v1:ConfigMap::kb-config"
	service     = "kubernetes:core/v1:Service::kb-service"
	ingress     = "kubernetes:networking.k8s.io/v1:Ingress::kb-ingress"
	keySecret   = "kubernetes:core/v1:Secret::kb-encryption-key"
	component   = "klearkarma:observability:Kibana::kb"
	checksumKey = "checksum.observability.klearkarma.com/config"
	esURL       = "https://es.logging.svc.cluster.local:9200"
	key         = "kibana-encryption-key-do-not-leak-0123456789"
)

func secret(s string) pulumi.StringOutput {
	return pulumi.ToSecret(pulumi.String(s)).(pulumi.StringOutput)
}

func prodArgs() kibana.Args {
	return kibana.Args{
		Namespace:         "logging",
		Replicas:          2,
		ElasticsearchURL:  pulumi.String(esURL),
		CASecret:          pulumi.String("es-ca"),
		CredentialsSecret: pulumi.String("es-credentials"),
		EncryptionKey:     secret(key),
		Ingress:           &kibana.Ingress{Host: "kibana.klearkarma.com", ClassName: "nginx", TLSSecretName: "kibana-tls"},
	}
}

func localArgs() kibana.Args {
	return kibana.Args{
		Namespace:         "logging",
		ElasticsearchURL:  pulumi.String(esURL),
		CASecret:          pulumi.String("es-ca"),
		CredentialsSecret: pulumi.String("es-credentials"),
	}
}

// run creates one instance named kb and captures its outputs.
func run(t *testing.T, args kibana.Args) (*pulumitest.Recorder, error) {
	t.Helper()
	rec := pulumitest.New()
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		kb, err := kibana.New(ctx, "kb", args)
		if err != nil {
			return err
		}
		rec.Capture("url", kb.URL)
		rec.Capture("internalUrl", kb.InternalURL)
		rec.Capture("serviceName", kb.ServiceName)
		return nil
	}, pulumi.WithMocks("observability", "test", rec))
	return rec, err
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

func container(t *testing.T, rec *pulumitest.Recorder) map[string]any {
	t.Helper()
	cs := pulumitest.Dig(t, rec.Get(t, deployment).Mappable(), "spec", "template", "spec", "containers").([]any)
	// The workload and its json_exporter sidecar (internal/jsonprobe).
	require.Len(t, cs, 2)
	names := []any{cs[0].(map[string]any)["name"], cs[1].(map[string]any)["name"]}
	require.Equal(t, []any{"kibana", jsonprobe.ContainerName}, names)
	return cs[0].(map[string]any)
}

func config(t *testing.T, rec *pulumitest.Recorder) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(pulumitest.Dig(t, rec.Get(t, configMap).Mappable(), "data", "kibana.yml").(string)), &m))
	return m
}

type kibanaCase struct {
	args    func() kibana.Args
	wantErr string
	check   func(t *testing.T, rec *pulumitest.Recorder)
}

func TestKibana(t *testing.T) {
	cases := map[string]kibanaCase{
		"a missing Elasticsearch URL fails before anything is registered": {
			args:    func() kibana.Args { a := localArgs(); a.ElasticsearchURL = nil; return a },
			wantErr: "ElasticsearchURL is required",
		},
		"a missing CA fails before anything is registered": {
			args:    func() kibana.Args { a := localArgs(); a.CASecret = nil; return a },
			wantErr: "CASecret is required",
		},
		"missing credentials fail before anything is registered": {
			args:    func() kibana.Args { a := localArgs(); a.CredentialsSecret = nil; return a },
			wantErr: "CredentialsSecret is required",
		},
		"two replicas without a shared encryption key are refused": {
			args:    func() kibana.Args { a := prodArgs(); a.EncryptionKey = nil; return a },
			wantErr: "replicas is 2 but EncryptionKey is not set",
		},
		"an ingress host that is not a host name is refused": {
			args:    func() kibana.Args { a := prodArgs(); a.Ingress.Host = "https://kibana"; return a },
			wantErr: `ingress.host: "https://kibana" is not a host name`,
		},
		"Kibana reaches Elasticsearch over verified HTTPS as kibana_system from the Secret": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				cfg := config(t, rec)
				assert.Equal(t, "${KB_ELASTICSEARCH_URL}", cfg["elasticsearch.hosts"])
				assert.Equal(t, "kibana_system", cfg["elasticsearch.username"])
				assert.Equal(t, "${KB_KIBANA_SYSTEM_PASSWORD}", cfg["elasticsearch.password"])
				assert.Equal(t, "full", cfg["elasticsearch.ssl.verificationMode"])
				assert.Equal(t, []any{"/usr/share/kibana/config/certs/ca.crt"}, cfg["elasticsearch.ssl.certificateAuthorities"])
				c := container(t, rec)
				assert.Equal(t, esURL, named(t, c["env"], "KB_ELASTICSEARCH_URL")["value"])
				assert.Equal(t, map[string]any{"secretKeyRef": map[string]any{"name": "es-credentials", "key": "kibana_system"}},
					named(t, c["env"], "KB_KIBANA_SYSTEM_PASSWORD")["valueFrom"])
				vols := pulumitest.Dig(t, rec.Get(t, deployment).Mappable(), "spec", "template", "spec", "volumes")
				ca := named(t, vols, "ca")
				assert.Equal(t, "es-ca", pulumitest.Dig(t, ca, "secret", "secretName"))
				assert.Equal(t, []any{map[string]any{"key": "ca.crt", "path": "ca.crt"}}, pulumitest.Dig(t, ca, "secret", "items"))
			},
		},
		"the pod is non-root on a read-only root filesystem with probes and limits": {
			args: localArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				pod := pulumitest.Dig(t, rec.Get(t, deployment).Mappable(), "spec", "template", "spec").(map[string]any)
				assert.EqualValues(t, 1000, pulumitest.Dig(t, pod, "securityContext", "runAsUser"))
				assert.Equal(t, true, pulumitest.Dig(t, pod, "securityContext", "runAsNonRoot"))
				assert.Equal(t, false, pod["automountServiceAccountToken"])
				c := container(t, rec)
				assert.Equal(t, "docker.elastic.co/kibana/kibana:8.19.7", c["image"])
				assert.Equal(t, true, pulumitest.Dig(t, c, "securityContext", "readOnlyRootFilesystem"))
				assert.Equal(t, "/login", pulumitest.Dig(t, c, "readinessProbe", "httpGet", "path"))
				assert.Equal(t, "http", pulumitest.Dig(t, c, "livenessProbe", "tcpSocket", "port"))
				assert.Equal(t, "1Gi", pulumitest.Dig(t, c, "resources", "limits", "memory"))
				assert.Equal(t, "--max-old-space-size=768", named(t, c["env"], "NODE_OPTIONS")["value"])
				assert.EqualValues(t, 1, pulumitest.Dig(t, rec.Get(t, deployment).Mappable(), "spec", "replicas"))
				assert.EqualValues(t, 5601, pulumitest.Dig(t, rec.Get(t, service).Mappable(), "spec", "ports").([]any)[0].(map[string]any)["port"])
			},
		},
		"two replicas get a PodDisruptionBudget that lets one go at a time": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				pdb := rec.Object(t, "kubernetes:policy/v1:PodDisruptionBudget::kb-pdb")
				assert.Equal(t, 1.0, pulumitest.Dig(t, pdb, "spec", "maxUnavailable"))
				assert.Equal(t, pulumitest.Dig(t, rec.Object(t, "kubernetes:apps/v1:Deployment::kb-deployment"), "spec", "selector"),
					pulumitest.Dig(t, pdb, "spec", "selector"), "it selects the Deployment's pods")
			},
		},
		"one replica gets no PodDisruptionBudget: there is no other pod to keep answering": {
			args: localArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Zero(t, rec.CountType("kubernetes:policy/v1:PodDisruptionBudget"))
			},
		},
		"without an Ingress the URL is the Service's": {
			args: localArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Zero(t, rec.CountType("kubernetes:networking.k8s.io/v1:Ingress"))
				assert.NotContains(t, config(t, rec), "server.publicBaseUrl")
				assert.Equal(t, "http://kb.logging.svc.cluster.local:5601", rec.Output(t, "url"))
				assert.Equal(t, rec.Output(t, "internalUrl"), rec.Output(t, "url"))
				assert.Equal(t, "kb", rec.Output(t, "serviceName"))
				assert.Zero(t, rec.CountType("kubernetes:core/v1:Secret"), "no key, no Secret")
				assert.NotContains(t, config(t, rec), "xpack.security.encryptionKey")
			},
		},
		"an Ingress with a class and TLS serves https on the host": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				ing := rec.Get(t, ingress).Mappable()
				assert.Equal(t, "nginx", pulumitest.Dig(t, ing, "spec", "ingressClassName"))
				rule := pulumitest.Dig(t, ing, "spec", "rules").([]any)[0]
				assert.Equal(t, "kibana.klearkarma.com", pulumitest.Dig(t, rule, "host"))
				path := pulumitest.Dig(t, rule, "http", "paths").([]any)[0]
				assert.Equal(t, "kb", pulumitest.Dig(t, path, "backend", "service", "name"))
				assert.Equal(t, "kibana-tls", pulumitest.Dig(t, ing, "spec", "tls").([]any)[0].(map[string]any)["secretName"])
				assert.Equal(t, "https://kibana.klearkarma.com", rec.Output(t, "url"))
				assert.Equal(t, "http://kb.logging.svc.cluster.local:5601", rec.Output(t, "internalUrl"))
				assert.Equal(t, "https://kibana.klearkarma.com", config(t, rec)["server.publicBaseUrl"])
			},
		},
		"an Ingress without TLS serves http": {
			args: func() kibana.Args {
				a := localArgs()
				a.Ingress = &kibana.Ingress{Host: "kibana.local.klearkarma.com"}
				return a
			},
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				assert.Nil(t, pulumitest.Dig(t, rec.Get(t, ingress).Mappable(), "spec", "tls"))
				assert.Nil(t, pulumitest.Dig(t, rec.Get(t, ingress).Mappable(), "spec", "ingressClassName"))
				assert.Equal(t, "http://kibana.local.klearkarma.com", rec.Output(t, "url"))
			},
		},
		"the encryption key is a secret in its own Secret and nowhere else": {
			args: prodArgs,
			check: func(t *testing.T, rec *pulumitest.Recorder) {
				data := rec.Get(t, keySecret)["stringData"]
				require.True(t, data.IsSecret())
				assert.Equal(t, map[string]any{"encryption-key": key}, data.SecretValue().Element.Mappable())
				assert.Equal(t, "${KB_ENCRYPTION_KEY}", config(t, rec)["xpack.encryptedSavedObjects.encryptionKey"])
				for _, k := range rec.Keys() {
					if k == keySecret {
						continue
					}
					props := resource.NewObjectProperty(rec.Get(t, k))
					assert.False(t, props.ContainsSecrets(), k)
					b, err := json.Marshal(props.Mappable())
					require.NoError(t, err)
					assert.NotContains(t, string(b), key, k)
				}
				assert.Equal(t, 1, rec.CountType(kibana.TypeToken))
				assert.True(t, rec.Has(component))
			},
		},
	}
	pulumitest.Cases(t, cases, func(t *testing.T, tc kibanaCase) {
		rec, err := run(t, tc.args())
		if tc.wantErr != "" {
			require.ErrorContains(t, err, tc.wantErr)
			assert.Contains(t, err.Error(), `kibana "kb"`)
			assert.Empty(t, rec.Keys(), "nothing is registered")
			return
		}
		require.NoError(t, err)
		tc.check(t, rec)
	})
}

func TestAShortEncryptionKeyFailsTheDeploymentWithoutShowingIt(t *testing.T) {
	a := prodArgs()
	a.EncryptionKey = secret("too-short")
	_, err := run(t, a)
	require.ErrorContains(t, err, "EncryptionKey has 9 characters; Kibana needs at least 32")
	assert.NotContains(t, err.Error(), "too-short")
}

func TestTheConfigChecksumFollowsTheConfigOnly(t *testing.T) {
	sum := func(a kibana.Args) string {
		rec, err := run(t, a)
		require.NoError(t, err)
		return pulumitest.Dig(t, rec.Get(t, deployment).Mappable(), "spec", "template", "metadata", "annotations", checksumKey).(string)
	}
	base := sum(prodArgs())
	assert.Equal(t, base, sum(prodArgs()), "the same args, the same checksum")
	moved := prodArgs()
	moved.Ingress.Host = "logs.klearkarma.com"
	assert.NotEqual(t, base, sum(moved), "a new public URL restarts Kibana")
	rotated := prodArgs()
	rotated.EncryptionKey = secret(key + "-rotated")
	assert.Equal(t, base, sum(rotated), "the key is not in the file")
}

// The stack's `kibana` key is Settings: the rules it checks are the ones
// New applies to Args (replicas after 0 becomes 1, the Ingress's host and
// class).
func TestSettings(t *testing.T) {
	type settingsCase struct {
		settings   kibana.Settings
		wantFields []string
	}
	pulumitest.Cases(t, map[string]settingsCase{
		"the prod stack's settings pass":                        {settings: kibana.Settings{Replicas: 2, IngressHost: "kibana.klearkarma.com", IngressClass: "nginx"}},
		"no Ingress and the default class pass":                 {settings: kibana.Settings{Replicas: 1}},
		"zero replicas are refused":                             {settings: kibana.Settings{}, wantFields: []string{"replicas"}},
		"a URL is not an Ingress host":                          {settings: kibana.Settings{Replicas: 1, IngressHost: "https://kibana"}, wantFields: []string{"ingressHost"}},
		"an IngressClass that cannot name an object is refused": {settings: kibana.Settings{Replicas: 1, IngressClass: "Nginx Public"}, wantFields: []string{"ingressClass"}},
	}, func(t *testing.T, tc settingsCase) {
		var fields []string
		for _, p := range tc.settings.Check() {
			fields = append(fields, p.Field)
		}
		assert.Equal(t, tc.wantFields, fields)
	})
}
