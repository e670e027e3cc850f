// Package prometheus owns the Prometheus servers: their StatefulSet with the
// Thanos sidecar that uploads blocks, least-privilege RBAC for Kubernetes
// service discovery, the generated prometheus.yml and the rule files (each
// checksummed onto the pod template), and their Services. Exporters, Thanos'
// other parts and Alertmanager are separate components.
package prometheus

import (
	"errors"
	"fmt"
	"sort"

	"github.com/prometheus/common/model"
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	rbacv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/rbac/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Prometheus"

// Pinned images.
const (
	DefaultImage        = "quay.io/prometheus/prometheus:v3.7.3"
	DefaultSidecarImage = "quay.io/thanos/thanos:v0.39.2"
)

// Objstore is where the sidecar uploads blocks; a nil SecretName turns
// uploading off.
type Objstore struct {
	SecretName pulumi.StringInput
	SecretKey  string
	// BucketClaim and BucketPath mount a filesystem bucket (offline stacks).
	BucketClaim pulumi.StringInput
	BucketPath  string
}

// Args configure Prometheus.
type Args struct {
	Namespace      string
	Replicas       int
	StorageSize    string
	LocalRetention string
	Scrape         ScrapeSettings
	// RuleFiles maps file name (*.yaml) to rule-file content.
	RuleFiles                 map[string]string
	Objstore                  Objstore
	ServiceAccountAnnotations map[string]string
	Image, SidecarImage       string
	Resources                 workload.Resources
}

// Prometheus is the component.
type Prometheus struct {
	pulumi.ResourceState

	URL pulumi.StringOutput `pulumi:"url"`
	// SidecarService is the headless Service whose grpc port Thanos Query finds.
	SidecarService pulumi.StringOutput `pulumi:"sidecarService"`
}

// HeadlessServiceName is the name of the headless Service of a component
// instance, known before it exists so Thanos can be wired first.
func HeadlessServiceName(name string) string { return name + "-headless" }

func (a *Args) withDefaults() error {
	var errs []error
	if a.Namespace == "" {
		errs = append(errs, errors.New("a namespace is required"))
	}
	if a.Replicas < 1 {
		errs = append(errs, fmt.Errorf("replicas must be at least 1, got %d", a.Replicas))
	}
	if _, err := resource.ParseQuantity(a.StorageSize); err != nil {
		errs = append(errs, fmt.Errorf("storage size %q: %w", a.StorageSize, err))
	}
	if _, err := model.ParseDuration(a.LocalRetention); err != nil {
		errs = append(errs, fmt.Errorf("local retention %q: %w", a.LocalRetention, err))
	}
	for file := range a.RuleFiles {
		if len(file) < 6 || file[len(file)-5:] != ".yaml" {
			errs = append(errs, fmt.Errorf("rule file %q must end in .yaml", file))
		}
	}
	if a.Objstore.SecretName != nil && a.Objstore.SecretKey == "" {
		errs = append(errs, errors.New("objstore secret key is required with a secret"))
	}
	if a.Image == "" {
		a.Image = DefaultImage
	}
	if a.SidecarImage == "" {
		a.SidecarImage = DefaultSidecarImage
	}
	if a.Resources == (workload.Resources{}) {
		a.Resources = workload.Resources{RequestsCPU: "500m", RequestsMemory: "2Gi", LimitsCPU: "2", LimitsMemory: "8Gi"}
	}
	return errors.Join(errs...)
}

// New creates the Prometheus servers.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Prometheus, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("prometheus %q: %w", name, err)
	}
	promYAML, err := RenderConfig(args.Scrape)
	if err != nil {
		return nil, fmt.Errorf("prometheus %q: %w", name, err)
	}
	c := &Prometheus{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	ns := pulumi.String(args.Namespace)
	set := labels.Set{Name: "prometheus", Instance: name, Component: "server"}
	meta := func(objName string) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: ns, Labels: set.Labels()}
	}

	sa, err := corev1.NewServiceAccount(ctx, conventions.Child(name, "serviceaccount"), &corev1.ServiceAccountArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(name), Namespace: ns, Labels: set.Labels(),
			Annotations: pulumi.ToStringMap(args.ServiceAccountAnnotations)},
	}, parent)
	if err != nil {
		return nil, err
	}
	// Cluster-scoped names carry the namespace: two installs must not collide.
	clusterName := args.Namespace + "-" + name
	role, err := rbacv1.NewClusterRole(ctx, conventions.Child(name, "clusterrole"), &rbacv1.ClusterRoleArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(clusterName), Labels: set.Labels()},
		Rules: rbacv1.PolicyRuleArray{
			&rbacv1.PolicyRuleArgs{ApiGroups: pulumi.ToStringArray([]string{""}),
				Resources: pulumi.ToStringArray([]string{"nodes", "nodes/metrics", "services", "endpoints", "pods"}),
				Verbs:     pulumi.ToStringArray([]string{"get", "list", "watch"})},
			&rbacv1.PolicyRuleArgs{ApiGroups: pulumi.ToStringArray([]string{"discovery.k8s.io"}),
				Resources: pulumi.ToStringArray([]string{"endpointslices"}),
				Verbs:     pulumi.ToStringArray([]string{"get", "list", "watch"})},
			&rbacv1.PolicyRuleArgs{NonResourceURLs: pulumi.ToStringArray([]string{"/metrics"}),
				Verbs: pulumi.ToStringArray([]string{"get"})},
		},
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := rbacv1.NewClusterRoleBinding(ctx, conventions.Child(name, "clusterrolebinding"), &rbacv1.ClusterRoleBindingArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(clusterName), Labels: set.Labels()},
		RoleRef:  &rbacv1.RoleRefArgs{ApiGroup: pulumi.String("rbac.authorization.k8s.io"), Kind: pulumi.String("ClusterRole"), Name: role.Metadata.Name().Elem()},
		Subjects: rbacv1.SubjectArray{&rbacv1.SubjectArgs{Kind: pulumi.String("ServiceAccount"), Name: sa.Metadata.Name().Elem(), Namespace: ns}},
	}, parent); err != nil {
		return nil, err
	}

	configFiles := map[string]string{"prometheus.yml": promYAML}
	cm, err := corev1.NewConfigMap(ctx, conventions.Child(name, "config"), &corev1.ConfigMapArgs{
		Metadata: meta(name + "-config"), Data: pulumi.ToStringMap(configFiles),
	}, parent)
	if err != nil {
		return nil, err
	}
	rules, err := corev1.NewConfigMap(ctx, conventions.Child(name, "rules"), &corev1.ConfigMapArgs{
		Metadata: meta(name + "-rules"), Data: pulumi.ToStringMap(args.RuleFiles),
	}, parent)
	if err != nil {
		return nil, err
	}
	annotations := map[string]string{}
	for k, v := range encoding.ChecksumAnnotation("config", configFiles) {
		annotations[k] = v
	}
	for k, v := range encoding.ChecksumAnnotation("rules", args.RuleFiles) {
		annotations[k] = v
	}
	for k, v := range workload.ScrapeAnnotations(9090, "/metrics") {
		annotations[k] = v
	}

	headless, err := corev1.NewService(ctx, conventions.Child(name, "headless-service"), &corev1.ServiceArgs{
		Metadata: meta(HeadlessServiceName(name)),
		Spec: &corev1.ServiceSpecArgs{ClusterIP: pulumi.String("None"), Selector: set.Selector(), Ports: corev1.ServicePortArray{
			&corev1.ServicePortArgs{Name: pulumi.String("web"), Port: pulumi.Int(9090), TargetPort: pulumi.String("web")},
			&corev1.ServicePortArgs{Name: pulumi.String("grpc"), Port: pulumi.Int(10901), TargetPort: pulumi.String("grpc")},
		}},
	}, parent)
	if err != nil {
		return nil, err
	}
	svc, err := corev1.NewService(ctx, conventions.Child(name, "service"), &corev1.ServiceArgs{
		Metadata: meta(name),
		Spec: &corev1.ServiceSpecArgs{Selector: set.Selector(), Ports: corev1.ServicePortArray{
			&corev1.ServicePortArgs{Name: pulumi.String("web"), Port: pulumi.Int(9090), TargetPort: pulumi.String("web")},
		}},
	}, parent)
	if err != nil {
		return nil, err
	}

	mounts := corev1.VolumeMountArray{
		workload.Mount("config", "/etc/prometheus/config", true),
		workload.Mount("rules", RulesDir, true),
		workload.Mount("data", "/prometheus", false),
	}
	volumes := corev1.VolumeArray{
		workload.ConfigMapVolume("config", cm.Metadata.Name().Elem()),
		workload.ConfigMapVolume("rules", rules.Metadata.Name().Elem()),
		workload.EmptyDir("tmp"),
	}
	prom := &corev1.ContainerArgs{
		Name:  pulumi.String("prometheus"),
		Image: pulumi.String(args.Image),
		Args: pulumi.ToStringArray([]string{
			"--config.file=/etc/prometheus/config/prometheus.yml",
			"--storage.tsdb.path=/prometheus",
			"--storage.tsdb.retention.time=" + args.LocalRetention,
			// The sidecar uploads 2h blocks; local compaction would race it.
			"--storage.tsdb.min-block-duration=2h",
			"--storage.tsdb.max-block-duration=2h",
			"--web.enable-lifecycle",
			"--web.listen-address=0.0.0.0:9090",
		}),
		Env:             corev1.EnvVarArray{workload.PodNameEnv()},
		Ports:           corev1.ContainerPortArray{&corev1.ContainerPortArgs{Name: pulumi.String("web"), ContainerPort: pulumi.Int(9090)}},
		VolumeMounts:    mounts,
		Resources:       args.Resources.Args(),
		SecurityContext: workload.RestrictedContainer(),
		LivenessProbe:   workload.HTTPProbe("/-/healthy", 9090, 30, 30),
		ReadinessProbe:  workload.HTTPProbe("/-/ready", 9090, 10, 10),
	}
	sidecarArgs := []string{"sidecar", "--tsdb.path=/prometheus", "--prometheus.url=http://localhost:9090",
		"--grpc-address=0.0.0.0:10901", "--http-address=0.0.0.0:10902", "--log.format=logfmt"}
	sidecarMounts := corev1.VolumeMountArray{workload.Mount("data", "/prometheus", false), workload.Mount("tmp", "/tmp", false)}
	if args.Objstore.SecretName != nil {
		sidecarArgs = append(sidecarArgs, "--objstore.config-file=/etc/thanos/"+args.Objstore.SecretKey)
		volumes = append(volumes, workload.SecretVolume("objstore", args.Objstore.SecretName))
		sidecarMounts = append(sidecarMounts, workload.Mount("objstore", "/etc/thanos", true))
		if args.Objstore.BucketClaim != nil {
			volumes = append(volumes, &corev1.VolumeArgs{Name: pulumi.String("bucket"),
				PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSourceArgs{ClaimName: args.Objstore.BucketClaim}})
			sidecarMounts = append(sidecarMounts, workload.Mount("bucket", args.Objstore.BucketPath, false))
		}
	}
	sidecar := &corev1.ContainerArgs{
		Name:  pulumi.String("thanos-sidecar"),
		Image: pulumi.String(args.SidecarImage),
		Args:  pulumi.ToStringArray(sidecarArgs),
		Ports: corev1.ContainerPortArray{
			&corev1.ContainerPortArgs{Name: pulumi.String("grpc"), ContainerPort: pulumi.Int(10901)},
			&corev1.ContainerPortArgs{Name: pulumi.String("sidecar-http"), ContainerPort: pulumi.Int(10902)},
		},
		VolumeMounts:    sidecarMounts,
		Resources:       workload.Resources{RequestsCPU: "50m", RequestsMemory: "128Mi", LimitsCPU: "500m", LimitsMemory: "512Mi"}.Args(),
		SecurityContext: workload.RestrictedContainer(),
		ReadinessProbe:  workload.HTTPProbe("/-/ready", 10902, 10, 10),
	}

	keys := make([]string, 0, len(annotations))
	for k := range annotations {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ann := pulumi.StringMap{}
	for _, k := range keys {
		ann[k] = pulumi.String(annotations[k])
	}
	if _, err := appsv1.NewStatefulSet(ctx, conventions.Child(name, "statefulset"), &appsv1.StatefulSetArgs{
		Metadata: meta(name),
		Spec: &appsv1.StatefulSetSpecArgs{
			Replicas:            pulumi.Int(args.Replicas),
			ServiceName:         headless.Metadata.Name().Elem(),
			PodManagementPolicy: pulumi.String("Parallel"),
			Selector:            &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels(), Annotations: ann},
				Spec: &corev1.PodSpecArgs{
					ServiceAccountName:            sa.Metadata.Name().Elem(),
					SecurityContext:               workload.PodSecurity(65534),
					Containers:                    corev1.ContainerArray{prom, sidecar},
					Volumes:                       volumes,
					Affinity:                      workload.SpreadAcrossNodes(set.Selector()),
					TerminationGracePeriodSeconds: pulumi.Int(600),
				},
			},
			VolumeClaimTemplates: corev1.PersistentVolumeClaimTypeArray{workload.VolumeClaim("data", args.StorageSize, set.Labels())},
		},
	}, parent); err != nil {
		return nil, err
	}
	if args.Replicas > 1 {
		if _, err := policyv1.NewPodDisruptionBudget(ctx, conventions.Child(name, "pdb"), &policyv1.PodDisruptionBudgetArgs{
			Metadata: meta(name),
			Spec: &policyv1.PodDisruptionBudgetSpecArgs{
				MaxUnavailable: pulumi.Int(1),
				Selector:       &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
			},
		}, parent); err != nil {
			return nil, err
		}
	}

	c.URL = pulumi.Sprintf("http://%s.%s.svc.cluster.local:9090", svc.Metadata.Name().Elem(), args.Namespace)
	c.SidecarService = headless.Metadata.Name().Elem()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"url": c.URL, "sidecarService": c.SidecarService})
}
