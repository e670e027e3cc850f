// Package alertmanager owns the Alertmanager cluster: its configuration
// (built with Alertmanager's own types from a plain Routing description),
// the Secret that holds its credentials as files, the gossip and client
// Services, the StatefulSet and its disruption budget. It does not own the
// alert rules (rules/), the PagerDuty services that issue routing keys, or
// the namespace it runs in, and it never reads stack config.
package alertmanager

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Alertmanager"

// DefaultImage is the Alertmanager release whose configuration loader
// (github.com/prometheus/alertmanager v0.35.0 in go.mod) validates the
// generated configuration in tests; keep the two in step.
const DefaultImage = "quay.io/prometheus/alertmanager:v0.35.0"

// Ports and paths inside the pod.
const (
	WebPort          = 9093
	ClusterPort      = 9094
	WebPortName      = "web"
	SecretsMountPath = "/etc/alertmanager/secrets"
	configMountPath  = "/etc/alertmanager/config"
	configFileName   = "alertmanager.yml"
	storagePath      = "/alertmanager"
	dataVolumeName   = "data"
	// The image runs as nobody; fsGroup lets it write the volume.
	nonRootID = 65534
)

// Resources are the container's requests and limits (Kubernetes quantities).
type Resources = workload.Resources

// Args configure the Alertmanager cluster.
type Args struct {
	// Namespace the cluster runs in (required).
	Namespace pulumi.StringInput
	// Replicas of the gossip cluster; at least 1, 3 for HA.
	Replicas int
	// StorageSize of each replica's volume (silences, notification log), e.g. "2Gi".
	StorageSize string
	// StorageClassName of the volumes; empty uses the cluster default.
	StorageClassName string
	// Image defaults to DefaultImage.
	Image string
	// Resources default to a small footprint; see withDefaults.
	Resources Resources
	// ExternalURL is where people reach the UI (--web.external-url); it
	// makes the links in notifications work. Its path becomes the route prefix.
	ExternalURL string
	// ClusterDomain is the cluster's DNS domain; defaults to cluster.local.
	ClusterDomain string

	// Routing decides the route tree and receivers.
	Routing Routing

	// Credentials, as secret Outputs. Each is required when its integration
	// is enabled and left out of the Secret when it is not.
	SlackWebhookURL pulumi.StringInput
	SMTPPassword    pulumi.StringInput
	// DefaultRoutingKey pages critical alerts of teams without their own key.
	DefaultRoutingKey pulumi.StringInput
	// RoutingKeys are PagerDuty Events v2 routing keys by team. When
	// Routing.PagerDuty.Teams is empty it is filled from these keys.
	RoutingKeys map[string]pulumi.StringInput
}

// Alertmanager is the component.
type Alertmanager struct {
	pulumi.ResourceState

	// URL is the in-cluster HTTP URL of the client Service, route prefix included.
	URL pulumi.StringOutput `pulumi:"url"`
	// ServiceName and Namespace name the client Service.
	ServiceName pulumi.StringOutput `pulumi:"serviceName"`
	Namespace   pulumi.StringOutput `pulumi:"namespace"`
	// Port is the client Service's port, named WebPortName.
	Port pulumi.IntOutput `pulumi:"port"`
	// PathPrefix is the HTTP route prefix ("" or "/alertmanager"), for
	// Prometheus's alertmanagers.path_prefix.
	PathPrefix pulumi.StringOutput `pulumi:"pathPrefix"`
	// Targets are the replicas' host:port addresses through the headless
	// Service. Prometheus must send every alert to every replica rather than
	// through the load-balanced Service, so it should use these.
	Targets pulumi.StringArrayOutput `pulumi:"targets"`
}

var (
	dnsLabel    = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
	maxNameSize = 52 // a StatefulSet's pods get a controller-revision-hash label of name + 11 characters
)

func (a *Args) withDefaults() error {
	var errs []error
	if a.Namespace == nil {
		errs = append(errs, errors.New("namespace is required: pass the namespace the platform created"))
	}
	if a.Replicas < 1 {
		errs = append(errs, fmt.Errorf("replicas is %d: run at least 1 (3 for a highly available cluster)", a.Replicas))
	}
	quantity := func(key, value string) {
		if _, err := resource.ParseQuantity(value); err != nil {
			errs = append(errs, fmt.Errorf("%s %q is not a Kubernetes quantity: use a value such as 2Gi", key, value))
		}
	}
	quantity("storageSize", a.StorageSize)
	if a.Image == "" {
		a.Image = DefaultImage
	}
	if a.ClusterDomain == "" {
		a.ClusterDomain = "cluster.local"
	}
	r := &a.Resources
	for _, f := range []struct {
		key string
		v   *string
		def string
	}{
		{"resources.requestsCpu", &r.RequestsCPU, "50m"},
		{"resources.requestsMemory", &r.RequestsMemory, "64Mi"},
		{"resources.limitsCpu", &r.LimitsCPU, "200m"},
		{"resources.limitsMemory", &r.LimitsMemory, "256Mi"},
	} {
		if *f.v == "" {
			*f.v = f.def
		}
		quantity(f.key, *f.v)
	}
	if a.ExternalURL != "" {
		if u, err := url.Parse(a.ExternalURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("externalURL %q is not an http(s) URL: use a value such as https://alertmanager.example.com", a.ExternalURL))
		}
	}

	errs = append(errs, a.checkCredentials()...)
	if err := a.Routing.withDefaults(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// checkCredentials refuses a route to an integration whose credential is
// missing, and fills the PagerDuty teams from the routing keys.
func (a *Args) checkCredentials() []error {
	var errs []error
	if a.Routing.Slack.Enabled && a.SlackWebhookURL == nil {
		errs = append(errs, errors.New("Slack is enabled but SlackWebhookURL is not set: pass the slackWebhookUrl secret, or disable Slack"))
	}
	if a.Routing.Email.Enabled && a.SMTPPassword == nil {
		errs = append(errs, errors.New("email is enabled but SMTPPassword is not set: pass the smtpPassword secret, or disable email"))
	}
	pd := &a.Routing.PagerDuty
	if !pd.Enabled {
		if a.DefaultRoutingKey != nil || len(a.RoutingKeys) > 0 {
			errs = append(errs, errors.New("PagerDuty routing keys are set but PagerDuty is disabled: enable PagerDuty, or pass no keys"))
		}
		return errs
	}
	if a.DefaultRoutingKey == nil {
		errs = append(errs, errors.New("PagerDuty is enabled but DefaultRoutingKey is not set: pass the routing key that pages critical alerts of teams without their own"))
	}
	if pd.Teams == nil {
		pd.Teams = slices.Sorted(maps.Keys(a.RoutingKeys))
	}
	for _, team := range pd.Teams {
		if a.RoutingKeys[team] == nil {
			errs = append(errs, fmt.Errorf("team %q is in routing.pagerDuty.teams but has no entry in RoutingKeys: pass its routing key, or remove the team", team))
		}
	}
	for _, team := range slices.Sorted(maps.Keys(a.RoutingKeys)) {
		if !slices.Contains(pd.Teams, team) {
			errs = append(errs, fmt.Errorf("RoutingKeys has a key for team %q that no route uses: add the team to routing.pagerDuty.teams, or drop the key", team))
		}
	}
	return errs
}

// secrets are the credentials the configuration references, by secret key.
func (a *Args) secrets() pulumi.StringMap {
	m := pulumi.StringMap{}
	put := func(key string, v pulumi.StringInput) {
		m[key] = pulumi.ToSecret(v.ToStringOutput()).(pulumi.StringOutput)
	}
	if a.Routing.Slack.Enabled {
		put(SecretKeySlackWebhookURL, a.SlackWebhookURL)
	}
	if a.Routing.Email.Enabled {
		put(SecretKeySMTPPassword, a.SMTPPassword)
	}
	if a.Routing.PagerDuty.Enabled {
		put(SecretKeyDefaultRoutingKey, a.DefaultRoutingKey)
		for _, team := range a.Routing.PagerDuty.Teams {
			put(SecretKeyRoutingKey(team), a.RoutingKeys[team])
		}
	}
	return m
}

// New creates the Alertmanager cluster.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Alertmanager, error) {
	fail := func(err error) (*Alertmanager, error) { return nil, fmt.Errorf("alertmanager %q: %w", name, err) }
	var nameErr error
	if !dnsLabel.MatchString(name) || len(name) > maxNameSize {
		nameErr = fmt.Errorf("the name must be a DNS label of at most %d characters (lower-case letters, digits, '-'): it names the Kubernetes objects", maxNameSize)
	}
	if err := errors.Join(nameErr, args.withDefaults()); err != nil {
		return fail(err)
	}
	rendered, err := RenderConfig(args.Routing, SecretsMountPath)
	if err != nil {
		return fail(err)
	}
	routePrefix := ""
	if args.ExternalURL != "" {
		u, _ := url.Parse(args.ExternalURL) // validated in withDefaults
		routePrefix = strings.TrimRight(u.Path, "/")
	}

	c := &Alertmanager{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	role := func(r string) string { return conventions.Child(name, r) }
	lbl := labels.Set{Name: "alertmanager", Instance: name, Component: "alerting", Version: imageTag(args.Image)}
	ns := args.Namespace.ToStringOutput()
	meta := func(objName string) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: ns, Labels: lbl.Labels()}
	}

	sa, err := corev1.NewServiceAccount(ctx, role("serviceaccount"), &corev1.ServiceAccountArgs{
		Metadata: meta(name),
		// Alertmanager never calls the Kubernetes API.
		AutomountServiceAccountToken: pulumi.Bool(false),
	}, parent)
	if err != nil {
		return fail(err)
	}

	// Without integrations, no stringData at all: an empty one is dropped by
	// the API server, so every later preview would see a change and replace
	// the Secret (and the StatefulSet that mounts it). A nil interface, not
	// an empty map, which would still be sent as {}.
	var stringData pulumi.StringMapInput
	if sd := args.secrets(); len(sd) > 0 {
		stringData = sd
	}
	secret, err := corev1.NewSecret(ctx, role("secret"), &corev1.SecretArgs{
		Metadata:   meta(name + "-secrets"),
		Type:       pulumi.String("Opaque"),
		StringData: stringData,
	}, parent)
	if err != nil {
		return fail(err)
	}

	files := map[string]string{configFileName: rendered}
	cm, err := corev1.NewConfigMap(ctx, role("config"), &corev1.ConfigMapArgs{
		Metadata: meta(name + "-config"),
		Data:     pulumi.ToStringMap(files),
	}, parent)
	if err != nil {
		return fail(err)
	}

	headless, err := corev1.NewService(ctx, role("cluster-service"), &corev1.ServiceArgs{
		Metadata: meta(name + "-cluster"),
		Spec: &corev1.ServiceSpecArgs{
			ClusterIP: pulumi.String("None"),
			// Peers must find each other before they are ready: readiness
			// waits for the gossip cluster to settle.
			PublishNotReadyAddresses: pulumi.Bool(true),
			Selector:                 lbl.Selector(),
			Ports: corev1.ServicePortArray{
				&corev1.ServicePortArgs{Name: pulumi.String(WebPortName), Port: pulumi.Int(WebPort), TargetPort: pulumi.String(WebPortName), Protocol: pulumi.String("TCP")},
				&corev1.ServicePortArgs{Name: pulumi.String("mesh-tcp"), Port: pulumi.Int(ClusterPort), TargetPort: pulumi.String("mesh-tcp"), Protocol: pulumi.String("TCP")},
				&corev1.ServicePortArgs{Name: pulumi.String("mesh-udp"), Port: pulumi.Int(ClusterPort), TargetPort: pulumi.String("mesh-udp"), Protocol: pulumi.String("UDP")},
			},
		},
	}, parent)
	if err != nil {
		return fail(err)
	}

	client, err := corev1.NewService(ctx, role("service"), &corev1.ServiceArgs{
		Metadata: meta(name),
		Spec: &corev1.ServiceSpecArgs{
			Type:     pulumi.String("ClusterIP"),
			Selector: lbl.Selector(),
			Ports: corev1.ServicePortArray{
				&corev1.ServicePortArgs{Name: pulumi.String(WebPortName), Port: pulumi.Int(WebPort), TargetPort: pulumi.String(WebPortName), Protocol: pulumi.String("TCP")},
			},
		},
	}, parent)
	if err != nil {
		return fail(err)
	}

	headlessName := headless.Metadata.Name().Elem()
	addresses := func(port int) pulumi.StringArrayOutput {
		return pulumi.All(ns, headlessName).ApplyT(func(v []any) []string {
			return replicaAddresses(name, v[1].(string), v[0].(string), args.ClusterDomain, args.Replicas, port)
		}).(pulumi.StringArrayOutput)
	}
	peers := pulumi.ToStringArray([]string{}).ToStringArrayOutput()
	if args.Replicas > 1 {
		peers = addresses(ClusterPort)
	}
	sts, err := appsv1.NewStatefulSet(ctx, role("statefulset"), &appsv1.StatefulSetArgs{
		Metadata: meta(name),
		Spec: &appsv1.StatefulSetSpecArgs{
			Replicas:    pulumi.Int(args.Replicas),
			ServiceName: headlessName,
			// Replicas gossip with each other, so they start together.
			PodManagementPolicy: pulumi.String("Parallel"),
			Selector:            &metav1.LabelSelectorArgs{MatchLabels: lbl.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{
					Labels:      lbl.Labels(),
					Annotations: pulumi.ToStringMap(podAnnotations(files, routePrefix)),
				},
				Spec: podSpec(args, lbl, peers, routePrefix, sa.Metadata.Name().Elem(), cm.Metadata.Name(), secret.Metadata.Name()),
			},
			VolumeClaimTemplates: corev1.PersistentVolumeClaimTypeArray{&corev1.PersistentVolumeClaimTypeArgs{
				Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(dataVolumeName), Labels: lbl.Labels()},
				Spec: &corev1.PersistentVolumeClaimSpecArgs{
					AccessModes:      pulumi.ToStringArray([]string{"ReadWriteOnce"}),
					StorageClassName: optionalString(args.StorageClassName),
					Resources: &corev1.VolumeResourceRequirementsArgs{
						Requests: pulumi.StringMap{"storage": pulumi.String(args.StorageSize)},
					},
				},
			}},
		},
	}, parent)
	if err != nil {
		return fail(err)
	}

	// One replica has nothing to keep available; a budget of one
	// unavailable pod would then block node drains forever.
	if args.Replicas > 1 {
		if _, err := policyv1.NewPodDisruptionBudget(ctx, role("pdb"), &policyv1.PodDisruptionBudgetArgs{
			Metadata: meta(name),
			Spec: &policyv1.PodDisruptionBudgetSpecArgs{
				MaxUnavailable: pulumi.Int(1),
				Selector:       &metav1.LabelSelectorArgs{MatchLabels: lbl.Selector()},
			},
		}, parent, pulumi.DependsOn([]pulumi.Resource{sts})); err != nil {
			return fail(err)
		}
	}

	c.ServiceName = client.Metadata.Name().Elem()
	c.Namespace = ns
	c.Port = pulumi.Int(WebPort).ToIntOutput()
	c.PathPrefix = pulumi.String(routePrefix).ToStringOutput()
	c.URL = pulumi.Sprintf("http://%s.%s.svc.%s:%d%s", c.ServiceName, ns, args.ClusterDomain, WebPort, routePrefix)
	c.Targets = addresses(WebPort)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"url":         c.URL,
		"serviceName": c.ServiceName,
		"namespace":   c.Namespace,
		"port":        c.Port,
		"pathPrefix":  c.PathPrefix,
		"targets":     c.Targets,
	})
}

func podSpec(args Args, lbl labels.Set, peers pulumi.StringArrayOutput, routePrefix string,
	serviceAccount pulumi.StringOutput, configMap, secret pulumi.StringPtrOutput) *corev1.PodSpecArgs {
	flags := []string{
		"--config.file=" + configMountPath + "/" + configFileName,
		"--storage.path=" + storagePath,
		fmt.Sprintf("--web.listen-address=:%d", WebPort),
		"--web.route-prefix=" + routePrefix + "/",
	}
	if args.ExternalURL != "" {
		flags = append(flags, "--web.external-url="+args.ExternalURL)
	}
	env := corev1.EnvVarArray{}
	if args.Replicas > 1 {
		flags = append(flags,
			fmt.Sprintf("--cluster.listen-address=0.0.0.0:%d", ClusterPort),
			// Brackets keep an IPv6 pod address parseable; Go strips them from IPv4.
			fmt.Sprintf("--cluster.advertise-address=[$(POD_IP)]:%d", ClusterPort),
		)
		env = append(env, &corev1.EnvVarArgs{
			Name:      pulumi.String("POD_IP"),
			ValueFrom: &corev1.EnvVarSourceArgs{FieldRef: &corev1.ObjectFieldSelectorArgs{FieldPath: pulumi.String("status.podIP")}},
		})
	} else {
		// An empty listen address turns gossip off: a lone replica has no
		// peers and would only log that it cannot find any.
		flags = append(flags, "--cluster.listen-address=")
	}
	containerArgs := peers.ApplyT(func(ps []string) []string {
		out := slices.Clone(flags)
		for _, p := range ps {
			out = append(out, "--cluster.peer="+p)
		}
		return out
	}).(pulumi.StringArrayOutput)

	probe := func(p string, initialDelay int) *corev1.ProbeArgs {
		return &corev1.ProbeArgs{
			HttpGet:             &corev1.HTTPGetActionArgs{Path: pulumi.String(routePrefix + p), Port: pulumi.String(WebPortName)},
			InitialDelaySeconds: pulumi.Int(initialDelay),
			PeriodSeconds:       pulumi.Int(10),
			TimeoutSeconds:      pulumi.Int(3),
			FailureThreshold:    pulumi.Int(10),
		}
	}
	r := args.Resources
	spec := &corev1.PodSpecArgs{
		ServiceAccountName:           serviceAccount,
		AutomountServiceAccountToken: pulumi.Bool(false),
		SecurityContext:              workload.PodSecurity(nonRootID),
		Containers: corev1.ContainerArray{&corev1.ContainerArgs{
			Name:  pulumi.String("alertmanager"),
			Image: pulumi.String(args.Image),
			Args:  containerArgs,
			Env:   env,
			Ports: corev1.ContainerPortArray{
				&corev1.ContainerPortArgs{Name: pulumi.String(WebPortName), ContainerPort: pulumi.Int(WebPort), Protocol: pulumi.String("TCP")},
				&corev1.ContainerPortArgs{Name: pulumi.String("mesh-tcp"), ContainerPort: pulumi.Int(ClusterPort), Protocol: pulumi.String("TCP")},
				&corev1.ContainerPortArgs{Name: pulumi.String("mesh-udp"), ContainerPort: pulumi.Int(ClusterPort), Protocol: pulumi.String("UDP")},
			},
			LivenessProbe:   probe("/-/healthy", 10),
			ReadinessProbe:  probe("/-/ready", 3),
			Resources:       r.Args(),
			SecurityContext: workload.RestrictedContainer(),
			VolumeMounts: corev1.VolumeMountArray{
				&corev1.VolumeMountArgs{Name: pulumi.String("config"), MountPath: pulumi.String(configMountPath), ReadOnly: pulumi.Bool(true)},
				&corev1.VolumeMountArgs{Name: pulumi.String("secrets"), MountPath: pulumi.String(SecretsMountPath), ReadOnly: pulumi.Bool(true)},
				&corev1.VolumeMountArgs{Name: pulumi.String(dataVolumeName), MountPath: pulumi.String(storagePath)},
			},
		}},
		Volumes: corev1.VolumeArray{
			&corev1.VolumeArgs{Name: pulumi.String("config"), ConfigMap: &corev1.ConfigMapVolumeSourceArgs{Name: configMap}},
			&corev1.VolumeArgs{Name: pulumi.String("secrets"), Secret: &corev1.SecretVolumeSourceArgs{
				SecretName:  secret,
				DefaultMode: pulumi.Int(0o440),
			}},
		},
	}
	if args.Replicas > 1 {
		// Spread replicas over nodes so one node failure keeps a quorum of notifiers.
		spec.Affinity = &corev1.AffinityArgs{PodAntiAffinity: &corev1.PodAntiAffinityArgs{
			PreferredDuringSchedulingIgnoredDuringExecution: corev1.WeightedPodAffinityTermArray{&corev1.WeightedPodAffinityTermArgs{
				Weight: pulumi.Int(100),
				PodAffinityTerm: &corev1.PodAffinityTermArgs{
					TopologyKey:   pulumi.String("kubernetes.io/hostname"),
					LabelSelector: &metav1.LabelSelectorArgs{MatchLabels: lbl.Selector()},
				},
			}},
		}}
	}
	return spec
}

// Targets are the addresses Prometheus sends alerts to (every replica), known
// before the component exists so Prometheus can be configured in the same
// run. They match the component's Targets output.
func Targets(name, namespace, clusterDomain string, replicas int) []string {
	if clusterDomain == "" {
		clusterDomain = "cluster.local"
	}
	return replicaAddresses(name, name+"-cluster", namespace, clusterDomain, replicas, WebPort)
}

// replicaAddresses are the stable DNS names of every replica of a
// StatefulSet behind its headless Service, with a port.
func replicaAddresses(sts, headless, namespace, clusterDomain string, replicas, port int) []string {
	out := make([]string, 0, replicas)
	for i := range replicas {
		out = append(out, fmt.Sprintf("%s-%d.%s.%s.svc.%s:%d", sts, i, headless, namespace, clusterDomain, port))
	}
	return out
}

// podAnnotations carry the configuration checksum, so a configuration
// change rolls the pods (Alertmanager does not watch its file; credentials
// are read at every notification, so a rotated secret needs no restart),
// and ask Prometheus to scrape Alertmanager's own metrics.
func podAnnotations(files map[string]string, routePrefix string) map[string]string {
	a := encoding.ChecksumAnnotation("config", files)
	a["prometheus.io/scrape"] = "true"
	a["prometheus.io/port"] = fmt.Sprint(WebPort)
	a["prometheus.io/path"] = routePrefix + "/metrics"
	return a
}

// imageTag is the tag of an image reference, for the version label.
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
