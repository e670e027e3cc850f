// Package kibana owns Kibana: its Deployment, Service, optional Ingress,
// its kibana.yml and the Secret of its encryption key. Kibana connects to
// Elasticsearch over HTTPS as the kibana_system user, verifying the server
// and its host name against the CA certificate the elasticsearch component
// publishes. It does not own Elasticsearch, the kibana_system password (the
// elasticsearch component's credentials Secret holds it and its setup Job
// sets it), the CA certificate Secret or the ingress controller, and it
// never reads stack config.
package kibana

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/klearkarma/observability/components/elasticsearch"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Kibana"

// DefaultImage is the Kibana release matching elasticsearch.DefaultImage;
// Kibana refuses an Elasticsearch of another minor version.
const DefaultImage = "docker.elastic.co/kibana/kibana:8.19.7"

// Port is Kibana's HTTP port.
const Port = 5601

const (
	kibanaHome     = "/usr/share/kibana"
	configFile     = "kibana.yml"
	caMountPath    = kibanaHome + "/config/certs"
	encryptionKey  = "encryption-key"
	uid            = 1000 // the image's kibana user
	minKeyLength   = 32   // Kibana refuses shorter encryption keys
	maxNameSize    = 52
	environmentURL = "KB_ELASTICSEARCH_URL"
	environmentPwd = "KB_KIBANA_SYSTEM_PASSWORD"
	environmentKey = "KB_ENCRYPTION_KEY"
)

// Ingress exposes Kibana through the cluster's ingress controller.
type Ingress struct {
	// Host is the public host name, e.g. kibana.klearkarma.com (required).
	Host string
	// ClassName selects the ingress controller; empty uses the default class.
	ClassName string
	// TLSSecretName, when set, terminates TLS with that certificate Secret
	// and makes the public URL https; without it the URL is http.
	TLSSecretName string
	// Annotations for the ingress controller.
	Annotations map[string]string
}

// Args configure Kibana.
type Args struct {
	// Namespace Kibana runs in (required); the Elasticsearch credentials
	// Secret and CA certificate Secret must be in it.
	Namespace string
	// Replicas default to 1; more need EncryptionKey, so that every
	// instance reads the others' sessions and saved objects.
	Replicas int
	// Image defaults to DefaultImage.
	Image string
	// ClusterDomain defaults to cluster.local.
	ClusterDomain string
	// Resources default to 1Gi of memory.
	Resources workload.Resources

	// ElasticsearchURL is the HTTPS URL of Elasticsearch (required).
	ElasticsearchURL pulumi.StringInput
	// CASecret holds the Elasticsearch CA certificate under
	// elasticsearch.CASecretKey (required).
	CASecret pulumi.StringInput
	// CredentialsSecret holds the kibana_system password under PasswordKey
	// (required).
	CredentialsSecret pulumi.StringInput
	// PasswordKey defaults to elasticsearch.SecretKeyKibanaSystem.
	PasswordKey string
	// EncryptionKey (secret, at least 32 characters) encrypts sessions,
	// saved-object secrets and reports; without it each start makes a new
	// one and logs out every user.
	EncryptionKey pulumi.StringInput

	// Ingress, when set, exposes Kibana.
	Ingress *Ingress
}

// Kibana is the component.
type Kibana struct {
	pulumi.ResourceState

	// URL is where people open Kibana: the Ingress host, or the in-cluster
	// URL without an Ingress.
	URL pulumi.StringOutput `pulumi:"url"`
	// InternalURL is the Service's in-cluster URL.
	InternalURL pulumi.StringOutput `pulumi:"internalUrl"`
	ServiceName pulumi.StringOutput `pulumi:"serviceName"`
}

var (
	dnsLabel = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
	hostName = regexp.MustCompile(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$`)
)

func (a *Args) withDefaults() error {
	var errs []error
	if a.Namespace == "" {
		errs = append(errs, errors.New("namespace is required: pass the namespace Elasticsearch runs in"))
	}
	if a.Replicas == 0 {
		a.Replicas = 1
	}
	if a.Replicas < 0 {
		errs = append(errs, fmt.Errorf("replicas is %d: run at least 1", a.Replicas))
	}
	if a.Replicas > 1 && a.EncryptionKey == nil {
		errs = append(errs, fmt.Errorf("replicas is %d but EncryptionKey is not set: instances must share one key; pass the kibanaEncryptionKey secret or run 1 replica", a.Replicas))
	}
	if a.Image == "" {
		a.Image = DefaultImage
	}
	if a.ClusterDomain == "" {
		a.ClusterDomain = "cluster.local"
	}
	if a.PasswordKey == "" {
		a.PasswordKey = elasticsearch.SecretKeyKibanaSystem
	}
	r := &a.Resources
	for _, f := range []struct {
		key string
		v   *string
		def string
	}{
		{"resources.requestsCpu", &r.RequestsCPU, "100m"},
		{"resources.requestsMemory", &r.RequestsMemory, "1Gi"},
		{"resources.limitsCpu", &r.LimitsCPU, "1"},
		{"resources.limitsMemory", &r.LimitsMemory, "1Gi"},
	} {
		if *f.v == "" {
			*f.v = f.def
		}
		if _, err := resource.ParseQuantity(*f.v); err != nil {
			errs = append(errs, fmt.Errorf("%s %q is not a Kubernetes quantity: use a value such as 1Gi", f.key, *f.v))
		}
	}
	if a.ElasticsearchURL == nil {
		errs = append(errs, errors.New("ElasticsearchURL is required: pass the elasticsearch component's URL output"))
	}
	if a.CASecret == nil {
		errs = append(errs, errors.New("CASecret is required: pass the elasticsearch component's CASecret output"))
	}
	if a.CredentialsSecret == nil {
		errs = append(errs, errors.New("CredentialsSecret is required: pass the elasticsearch component's CredentialsSecret output"))
	}
	if in := a.Ingress; in != nil {
		if !hostName.MatchString(in.Host) {
			errs = append(errs, fmt.Errorf("ingress.host %q is not a host name: use a value such as kibana.klearkarma.com", in.Host))
		}
		if in.ClassName != "" && !dnsLabel.MatchString(in.ClassName) {
			errs = append(errs, fmt.Errorf("ingress.className %q is not an IngressClass name", in.ClassName))
		}
	}
	return errors.Join(errs...)
}

func (a *Args) publicURL() string {
	if a.Ingress == nil {
		return ""
	}
	scheme := "http"
	if a.Ingress.TLSSecretName != "" {
		scheme = "https"
	}
	return scheme + "://" + a.Ingress.Host
}

// renderConfig is kibana.yml. Values from Secrets and Outputs come from
// environment variables, which Kibana substitutes, so the file holds no
// secret and changes only with what it decides.
func renderConfig(name string, a Args) (string, error) {
	m := map[string]any{
		"server.name":            name,
		"server.host":            "0.0.0.0",
		"server.port":            Port,
		"path.data":              kibanaHome + "/data",
		"elasticsearch.hosts":    "${" + environmentURL + "}",
		"elasticsearch.username": "kibana_system",
		"elasticsearch.password": "${" + environmentPwd + "}",
		"elasticsearch.ssl.certificateAuthorities": []string{caMountPath + "/" + elasticsearch.CASecretKey},
		"elasticsearch.ssl.verificationMode":       "full",
		// The offline stack has no way out, and the others need none.
		"telemetry.optIn":                    false,
		"telemetry.allowChangingOptInStatus": false,
		"newsfeed.enabled":                   false,
	}
	if u := a.publicURL(); u != "" {
		m["server.publicBaseUrl"] = u
	}
	if a.EncryptionKey != nil {
		for _, k := range []string{"xpack.security.encryptionKey", "xpack.encryptedSavedObjects.encryptionKey", "xpack.reporting.encryptionKey"} {
			m[k] = "${" + environmentKey + "}"
		}
	}
	return encoding.YAML(m)
}

// New creates Kibana.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Kibana, error) {
	fail := func(err error) (*Kibana, error) { return nil, fmt.Errorf("kibana %q: %w", name, err) }
	var nameErr error
	if !dnsLabel.MatchString(name) || len(name) > maxNameSize {
		nameErr = fmt.Errorf("the name must be a DNS label of at most %d characters (lower-case letters, digits, '-'): it names the Kubernetes objects", maxNameSize)
	}
	if err := errors.Join(nameErr, args.withDefaults()); err != nil {
		return fail(err)
	}
	kibanaYAML, err := renderConfig(name, args)
	if err != nil {
		return fail(err)
	}
	files := map[string]string{configFile: kibanaYAML}

	c := &Kibana{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	role := func(r string) string { return conventions.Child(name, r) }
	lbl := labels.Set{Name: "kibana", Instance: name, Component: "ui", Version: imageTag(args.Image)}
	ns := pulumi.String(args.Namespace)
	meta := func(objName string) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: ns, Labels: lbl.Labels()}
	}

	cm, err := corev1.NewConfigMap(ctx, role("config"), &corev1.ConfigMapArgs{
		Metadata: meta(name + "-config"), Data: pulumi.ToStringMap(files),
	}, parent)
	if err != nil {
		return fail(err)
	}
	env := corev1.EnvVarArray{
		&corev1.EnvVarArgs{Name: pulumi.String(environmentURL), Value: args.ElasticsearchURL},
		secretEnv(environmentPwd, args.CredentialsSecret, args.PasswordKey),
		&corev1.EnvVarArgs{Name: pulumi.String("NODE_OPTIONS"), Value: pulumi.String(nodeOptions(args.Resources.LimitsMemory))},
	}
	if args.EncryptionKey != nil {
		key := pulumi.ToSecret(args.EncryptionKey.ToStringOutput().ApplyT(func(k string) (string, error) {
			if len(k) < minKeyLength {
				return "", fmt.Errorf("kibana %q: EncryptionKey has %d characters; Kibana needs at least %d", name, len(k), minKeyLength)
			}
			return k, nil
		})).(pulumi.StringOutput)
		s, err := corev1.NewSecret(ctx, role("encryption-key"), &corev1.SecretArgs{
			Metadata: meta(name + "-encryption-key"), Type: pulumi.String("Opaque"),
			StringData: pulumi.StringMap{encryptionKey: key},
		}, parent)
		if err != nil {
			return fail(err)
		}
		env = append(env, secretEnv(environmentKey, s.Metadata.Name().Elem(), encryptionKey))
	}

	probe := func(h *corev1.HTTPGetActionArgs, t *corev1.TCPSocketActionArgs, period, failures int) *corev1.ProbeArgs {
		return &corev1.ProbeArgs{HttpGet: h, TcpSocket: t, PeriodSeconds: pulumi.Int(period), TimeoutSeconds: pulumi.Int(5), FailureThreshold: pulumi.Int(failures)}
	}
	port := pulumi.String("http")
	if _, err := appsv1.NewDeployment(ctx, role("deployment"), &appsv1.DeploymentArgs{
		Metadata: meta(name),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(args.Replicas),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: lbl.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: lbl.Labels(), Annotations: pulumi.ToStringMap(encoding.ChecksumAnnotation("config", files))},
				Spec: &corev1.PodSpecArgs{
					AutomountServiceAccountToken: pulumi.Bool(false),
					SecurityContext:              workload.PodSecurity(uid),
					Containers: corev1.ContainerArray{&corev1.ContainerArgs{
						Name:  pulumi.String("kibana"),
						Image: pulumi.String(args.Image),
						Env:   env,
						Ports: corev1.ContainerPortArray{&corev1.ContainerPortArgs{Name: port, ContainerPort: pulumi.Int(Port), Protocol: pulumi.String("TCP")}},
						VolumeMounts: corev1.VolumeMountArray{
							&corev1.VolumeMountArgs{Name: pulumi.String("config"), MountPath: pulumi.String(kibanaHome + "/config/" + configFile), SubPath: pulumi.String(configFile), ReadOnly: pulumi.Bool(true)},
							workload.Mount("ca", caMountPath, true),
							workload.Mount("data", kibanaHome+"/data", false),
							workload.Mount("tmp", "/tmp", false),
						},
						Resources:       args.Resources.Args(),
						SecurityContext: workload.RestrictedContainer(),
						// The optimizer-free start still takes a minute or two.
						StartupProbe:  probe(nil, &corev1.TCPSocketActionArgs{Port: port}, 10, 30),
						LivenessProbe: probe(nil, &corev1.TCPSocketActionArgs{Port: port}, 20, 6),
						// Kibana answers 503 "not ready" on every route until it
						// has reached Elasticsearch; the login page needs no user.
						ReadinessProbe: probe(&corev1.HTTPGetActionArgs{Path: pulumi.String("/login"), Port: port}, nil, 10, 3),
					}},
					Volumes: corev1.VolumeArray{
						workload.ConfigMapVolume("config", cm.Metadata.Name().Elem()),
						&corev1.VolumeArgs{Name: pulumi.String("ca"), Secret: &corev1.SecretVolumeSourceArgs{
							SecretName: args.CASecret, DefaultMode: pulumi.Int(0o444),
							Items: corev1.KeyToPathArray{&corev1.KeyToPathArgs{Key: pulumi.String(elasticsearch.CASecretKey), Path: pulumi.String(elasticsearch.CASecretKey)}},
						}},
						workload.EmptyDir("data"),
						workload.EmptyDir("tmp"),
					},
				},
			},
		},
	}, parent); err != nil {
		return fail(err)
	}
	svc, err := corev1.NewService(ctx, role("service"), &corev1.ServiceArgs{
		Metadata: meta(name),
		Spec: &corev1.ServiceSpecArgs{
			Type:     pulumi.String("ClusterIP"),
			Selector: lbl.Selector(),
			Ports:    corev1.ServicePortArray{&corev1.ServicePortArgs{Name: port, Port: pulumi.Int(Port), TargetPort: port, Protocol: pulumi.String("TCP")}},
		},
	}, parent)
	if err != nil {
		return fail(err)
	}
	svcName := svc.Metadata.Name().Elem()
	c.ServiceName = svcName
	c.InternalURL = pulumi.Sprintf("http://%s.%s.svc.%s:%d", svcName, args.Namespace, args.ClusterDomain, Port)
	c.URL = c.InternalURL

	if in := args.Ingress; in != nil {
		ing := &networkingv1.IngressArgs{
			Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(name), Namespace: ns, Labels: lbl.Labels(), Annotations: pulumi.ToStringMap(in.Annotations)},
			Spec: &networkingv1.IngressSpecArgs{
				IngressClassName: optionalString(in.ClassName),
				Rules: networkingv1.IngressRuleArray{&networkingv1.IngressRuleArgs{
					Host: pulumi.String(in.Host),
					Http: &networkingv1.HTTPIngressRuleValueArgs{Paths: networkingv1.HTTPIngressPathArray{&networkingv1.HTTPIngressPathArgs{
						Path: pulumi.String("/"), PathType: pulumi.String("Prefix"),
						Backend: &networkingv1.IngressBackendArgs{Service: &networkingv1.IngressServiceBackendArgs{
							Name: svcName, Port: &networkingv1.ServiceBackendPortArgs{Name: port},
						}},
					}}},
				}},
			},
		}
		if in.TLSSecretName != "" {
			ing.Spec.(*networkingv1.IngressSpecArgs).Tls = networkingv1.IngressTLSArray{&networkingv1.IngressTLSArgs{
				Hosts: pulumi.ToStringArray([]string{in.Host}), SecretName: pulumi.String(in.TLSSecretName),
			}}
		}
		created, err := networkingv1.NewIngress(ctx, role("ingress"), ing, parent)
		if err != nil {
			return fail(err)
		}
		public := args.publicURL()
		c.URL = created.Metadata.Name().Elem().ApplyT(func(string) string { return public }).(pulumi.StringOutput)
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"url":         c.URL,
		"internalUrl": c.InternalURL,
		"serviceName": c.ServiceName,
	})
}

// nodeOptions caps Node's heap under the memory limit, leaving room for
// the rest of the process; Node does not size its heap from the cgroup.
func nodeOptions(limit string) string {
	q, _ := resource.ParseQuantity(limit) // validated in withDefaults
	return fmt.Sprintf("--max-old-space-size=%d", max(256, q.Value()*3/4>>20))
}

func secretEnv(env string, secret pulumi.StringInput, key string) *corev1.EnvVarArgs {
	return &corev1.EnvVarArgs{Name: pulumi.String(env), ValueFrom: &corev1.EnvVarSourceArgs{
		SecretKeyRef: &corev1.SecretKeySelectorArgs{Name: secret, Key: pulumi.String(key)},
	}}
}

func imageTag(image string) string {
	ref := image
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref[i+1:]
	}
	return ""
}

func optionalString(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}
