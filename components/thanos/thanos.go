// Package thanos owns long-term metrics: the object-storage configuration
// the Prometheus sidecars upload with, the Store Gateway that serves old
// blocks, the Query layer Grafana reads from, and the single Compactor that
// downsamples and enforces per-resolution retention. It does not own
// Prometheus (whose pods carry the sidecar) nor the bucket itself.
package thanos

import (
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/common/model"
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Thanos"

// DefaultImage is the pinned Thanos image.
const DefaultImage = "quay.io/thanos/thanos:v0.39.2"

// ObjstoreKey is the key of the objstore configuration in its Secret, and
// FilesystemBucketPath where a filesystem bucket is mounted in every pod.
const (
	ObjstoreKey          = "objstore.yml"
	FilesystemBucketPath = "/var/thanos/bucket"
)

// minRawRetention is what the compactor needs to build 5m blocks.
const minRawRetention = 40 * time.Hour

// Storage says where blocks live: an S3 bucket, or (offline stacks) a
// filesystem on a shared volume.
type Storage struct {
	// S3Bucket and S3Region select S3; credentials come from the pods'
	// environment (an IAM role for the service account), never from here.
	S3Bucket pulumi.StringInput
	S3Region string
	// FilesystemSize, when S3Bucket is nil, creates a ReadWriteMany volume
	// holding the bucket.
	FilesystemSize string
}

// Retention is kept per resolution by the compactor.
type Retention struct {
	Raw, FiveMinutes, OneHour string
}

// Args configure Thanos.
type Args struct {
	Namespace string
	Storage   Storage
	Retention Retention
	// SidecarService is the headless Service of the Prometheus pods' gRPC
	// sidecar port, which Query discovers through DNS SRV records.
	SidecarService string
	// ServiceAccountAnnotations (e.g. an IAM role) go on the service account.
	ServiceAccountAnnotations map[string]string
	StoreReplicas             int
	QueryReplicas             int
	StoreStorageSize          string
	CompactorStorageSize      string
	Image                     string
	Resources                 workload.Resources
}

// Thanos is the component.
type Thanos struct {
	pulumi.ResourceState

	// QueryURL is the Prometheus-compatible endpoint Grafana queries.
	QueryURL pulumi.StringOutput `pulumi:"queryUrl"`
	// ObjstoreSecret holds ObjstoreKey for the sidecars.
	ObjstoreSecret pulumi.StringOutput `pulumi:"objstoreSecret"`
	// BucketClaim is the filesystem bucket's claim ("" with S3).
	BucketClaim pulumi.StringOutput `pulumi:"bucketClaim"`
	// ServiceAccount is shared with the Prometheus pods (same bucket access).
	ServiceAccount pulumi.StringOutput `pulumi:"serviceAccount"`
}

func (a *Args) withDefaults() error {
	var errs []error
	if a.Namespace == "" {
		errs = append(errs, errors.New("a namespace is required"))
	}
	if a.SidecarService == "" {
		errs = append(errs, errors.New("the Prometheus sidecar service is required"))
	}
	if a.Storage.S3Bucket == nil && a.Storage.FilesystemSize == "" {
		errs = append(errs, errors.New("storage needs an S3 bucket or a filesystem size"))
	}
	raw, err := model.ParseDuration(a.Retention.Raw)
	if err != nil {
		errs = append(errs, fmt.Errorf("raw retention: %w", err))
	} else if time.Duration(raw) < minRawRetention {
		errs = append(errs, fmt.Errorf("raw retention %s is under 40h, which the compactor refuses with downsampling on", a.Retention.Raw))
	}
	for _, r := range []struct{ name, v string }{{"5m", a.Retention.FiveMinutes}, {"1h", a.Retention.OneHour}} {
		if _, err := model.ParseDuration(r.v); err != nil {
			errs = append(errs, fmt.Errorf("%s retention: %w", r.name, err))
		}
	}
	if a.StoreReplicas == 0 {
		a.StoreReplicas = 1
	}
	if a.QueryReplicas == 0 {
		a.QueryReplicas = 1
	}
	if a.StoreStorageSize == "" {
		a.StoreStorageSize = "10Gi"
	}
	if a.CompactorStorageSize == "" {
		a.CompactorStorageSize = "50Gi"
	}
	if a.Image == "" {
		a.Image = DefaultImage
	}
	if a.Resources == (workload.Resources{}) {
		a.Resources = workload.Resources{RequestsCPU: "100m", RequestsMemory: "256Mi", LimitsCPU: "1", LimitsMemory: "2Gi"}
	}
	return errors.Join(errs...)
}

// objstoreConfig is Thanos's bucket configuration (thanos-io/objstore
// client.BucketConfig), written deterministically.
type objstoreConfig struct {
	Type   string         `json:"type"`
	Config map[string]any `json:"config"`
}

// New creates the Thanos components.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Thanos, error) {
	if err := args.withDefaults(); err != nil {
		return nil, fmt.Errorf("thanos %q: %w", name, err)
	}
	c := &Thanos{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	ns := pulumi.String(args.Namespace)
	meta := func(objName string, set labels.Set) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: ns, Labels: set.Labels()}
	}
	base := labels.Set{Name: "thanos", Instance: name}

	sa, err := corev1.NewServiceAccount(ctx, conventions.Child(name, "serviceaccount"), &corev1.ServiceAccountArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(name), Namespace: ns, Labels: base.Labels(),
			Annotations: pulumi.ToStringMap(args.ServiceAccountAnnotations)},
		AutomountServiceAccountToken: pulumi.Bool(false),
	}, parent)
	if err != nil {
		return nil, err
	}

	var objstore pulumi.StringOutput
	bucketClaim := pulumi.String("").ToStringOutput()
	var bucketVolume []corev1.VolumeInput
	var bucketMount []corev1.VolumeMountInput
	if args.Storage.S3Bucket != nil {
		region := args.Storage.S3Region
		objstore = args.Storage.S3Bucket.ToStringOutput().ApplyT(func(bucket string) (string, error) {
			return encoding.YAML(objstoreConfig{Type: "S3", Config: map[string]any{
				"bucket": bucket, "endpoint": "s3." + region + ".amazonaws.com", "region": region,
				"sse_config": map[string]any{"type": "SSE-S3"},
			}})
		}).(pulumi.StringOutput)
	} else {
		y, err := encoding.YAML(objstoreConfig{Type: "FILESYSTEM", Config: map[string]any{"directory": FilesystemBucketPath}})
		if err != nil {
			return nil, err
		}
		objstore = pulumi.String(y).ToStringOutput()
		pvc, err := corev1.NewPersistentVolumeClaim(ctx, conventions.Child(name, "bucket"), &corev1.PersistentVolumeClaimArgs{
			Metadata: meta(name+"-bucket", base),
			Spec: &corev1.PersistentVolumeClaimSpecArgs{
				AccessModes: pulumi.ToStringArray([]string{"ReadWriteMany"}),
				Resources:   &corev1.VolumeResourceRequirementsArgs{Requests: pulumi.StringMap{"storage": pulumi.String(args.Storage.FilesystemSize)}},
			},
		}, parent)
		if err != nil {
			return nil, err
		}
		bucketClaim = pvc.Metadata.Name().Elem()
		bucketVolume = []corev1.VolumeInput{&corev1.VolumeArgs{Name: pulumi.String("bucket"),
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSourceArgs{ClaimName: bucketClaim}}}
		bucketMount = []corev1.VolumeMountInput{workload.Mount("bucket", FilesystemBucketPath, false)}
	}
	// The objstore file may carry credentials in other setups, so it is a Secret.
	secret, err := corev1.NewSecret(ctx, conventions.Child(name, "objstore"), &corev1.SecretArgs{
		Metadata:   meta(name+"-objstore", base),
		StringData: pulumi.StringMap{ObjstoreKey: objstore},
	}, parent)
	if err != nil {
		return nil, err
	}
	objstoreChecksum := objstore.ApplyT(func(s string) string { return encoding.Checksum(s) }).(pulumi.StringOutput)

	volumes := append([]corev1.VolumeInput{workload.SecretVolume("objstore", secret.Metadata.Name().Elem()), workload.EmptyDir("tmp")}, bucketVolume...)
	mounts := func(data string) corev1.VolumeMountArray {
		m := corev1.VolumeMountArray{workload.Mount("objstore", "/etc/thanos", true), workload.Mount("tmp", "/tmp", false)}
		if data != "" {
			m = append(m, workload.Mount("data", "/var/thanos/data", false))
		}
		return append(m, bucketMount...)
	}
	objstoreFlag := "--objstore.config-file=/etc/thanos/" + ObjstoreKey
	podSpec := func(set labels.Set, container *corev1.ContainerArgs, extraVolumes ...corev1.VolumeInput) *corev1.PodTemplateSpecArgs {
		container.Image = pulumi.String(args.Image)
		container.SecurityContext = workload.RestrictedContainer()
		container.Resources = args.Resources.Args()
		container.LivenessProbe = workload.HTTPProbe("/-/healthy", 10902, 10, 30)
		container.ReadinessProbe = workload.HTTPProbe("/-/ready", 10902, 5, 10)
		ann := pulumi.StringMap{conventions.ChecksumAnnotationPrefix + "objstore": objstoreChecksum}
		for k, v := range workload.ScrapeAnnotations(10902, "/metrics") {
			ann[k] = pulumi.String(v)
		}
		return &corev1.PodTemplateSpecArgs{
			Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels(), Annotations: ann},
			Spec: &corev1.PodSpecArgs{
				ServiceAccountName: sa.Metadata.Name().Elem(),
				SecurityContext:    workload.PodSecurity(1001),
				Containers:         corev1.ContainerArray{container},
				Volumes:            append(append(corev1.VolumeArray{}, volumes...), extraVolumes...),
				Affinity:           workload.SpreadAcrossNodes(set.Selector()),
			},
		}
	}
	ports := func(names ...string) corev1.ContainerPortArray {
		all := map[string]int{"http": 10902, "grpc": 10901}
		out := corev1.ContainerPortArray{}
		for _, n := range names {
			out = append(out, &corev1.ContainerPortArgs{Name: pulumi.String(n), ContainerPort: pulumi.Int(all[n])})
		}
		return out
	}

	// Store Gateway: serves blocks from the bucket to Query.
	store := labels.Set{Name: "thanos", Instance: name, Component: "store-gateway"}
	storeSvc, err := corev1.NewService(ctx, conventions.Child(name, "store-service"), &corev1.ServiceArgs{
		Metadata: meta(name+"-store", store),
		Spec: &corev1.ServiceSpecArgs{ClusterIP: pulumi.String("None"), Selector: store.Selector(), Ports: corev1.ServicePortArray{
			&corev1.ServicePortArgs{Name: pulumi.String("grpc"), Port: pulumi.Int(10901), TargetPort: pulumi.String("grpc")},
			&corev1.ServicePortArgs{Name: pulumi.String("http"), Port: pulumi.Int(10902), TargetPort: pulumi.String("http")},
		}},
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := appsv1.NewStatefulSet(ctx, conventions.Child(name, "store-statefulset"), &appsv1.StatefulSetArgs{
		Metadata: meta(name+"-store", store),
		Spec: &appsv1.StatefulSetSpecArgs{
			Replicas: pulumi.Int(args.StoreReplicas), ServiceName: storeSvc.Metadata.Name().Elem(),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: store.Selector()},
			Template: podSpec(store, &corev1.ContainerArgs{
				Name: pulumi.String("store"),
				Args: pulumi.ToStringArray([]string{"store", "--data-dir=/var/thanos/data", objstoreFlag,
					"--grpc-address=0.0.0.0:10901", "--http-address=0.0.0.0:10902", "--log.format=logfmt"}),
				Ports: ports("grpc", "http"), VolumeMounts: mounts("data"),
			}),
			VolumeClaimTemplates: corev1.PersistentVolumeClaimTypeArray{workload.VolumeClaim("data", args.StoreStorageSize, store.Labels())},
		},
	}, parent); err != nil {
		return nil, err
	}

	// Query: fans out to the sidecars (recent data) and the store (history),
	// deduplicating the HA pair by their replica label.
	query := labels.Set{Name: "thanos", Instance: name, Component: "query"}
	srv := func(svc string) string {
		return fmt.Sprintf("--endpoint=dnssrv+_grpc._tcp.%s.%s.svc.cluster.local", svc, args.Namespace)
	}
	if _, err := appsv1.NewDeployment(ctx, conventions.Child(name, "query-deployment"), &appsv1.DeploymentArgs{
		Metadata: meta(name+"-query", query),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(args.QueryReplicas),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: query.Selector()},
			Template: podSpec(query, &corev1.ContainerArgs{
				Name: pulumi.String("query"),
				Args: pulumi.ToStringArray([]string{"query", "--grpc-address=0.0.0.0:10901", "--http-address=0.0.0.0:10902",
					"--query.replica-label=replica", srv(args.SidecarService), srv(name + "-store"), "--log.format=logfmt"}),
				Ports: ports("grpc", "http"), VolumeMounts: corev1.VolumeMountArray{workload.Mount("tmp", "/tmp", false)},
			}),
		},
	}, parent); err != nil {
		return nil, err
	}
	querySvc, err := corev1.NewService(ctx, conventions.Child(name, "query-service"), &corev1.ServiceArgs{
		Metadata: meta(name+"-query", query),
		Spec: &corev1.ServiceSpecArgs{Selector: query.Selector(), Ports: corev1.ServicePortArray{
			&corev1.ServicePortArgs{Name: pulumi.String("http"), Port: pulumi.Int(9090), TargetPort: pulumi.String("http")},
		}},
	}, parent)
	if err != nil {
		return nil, err
	}

	// Compactor: exactly one, or blocks get compacted twice.
	compactor := labels.Set{Name: "thanos", Instance: name, Component: "compactor"}
	if _, err := appsv1.NewStatefulSet(ctx, conventions.Child(name, "compactor-statefulset"), &appsv1.StatefulSetArgs{
		Metadata: meta(name+"-compactor", compactor),
		Spec: &appsv1.StatefulSetSpecArgs{
			Replicas: pulumi.Int(1), ServiceName: pulumi.String(name + "-compactor"),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: compactor.Selector()},
			Template: podSpec(compactor, &corev1.ContainerArgs{
				Name: pulumi.String("compactor"),
				Args: pulumi.ToStringArray([]string{"compact", "--wait", "--data-dir=/var/thanos/data", objstoreFlag,
					"--http-address=0.0.0.0:10902",
					"--retention.resolution-raw=" + args.Retention.Raw,
					"--retention.resolution-5m=" + args.Retention.FiveMinutes,
					"--retention.resolution-1h=" + args.Retention.OneHour,
					"--deduplication.replica-label=replica", "--log.format=logfmt"}),
				Ports: ports("http"), VolumeMounts: mounts("data"),
			}),
			VolumeClaimTemplates: corev1.PersistentVolumeClaimTypeArray{workload.VolumeClaim("data", args.CompactorStorageSize, compactor.Labels())},
		},
	}, parent); err != nil {
		return nil, err
	}

	c.QueryURL = pulumi.Sprintf("http://%s.%s.svc.cluster.local:9090", querySvc.Metadata.Name().Elem(), args.Namespace)
	c.ObjstoreSecret = secret.Metadata.Name().Elem()
	c.BucketClaim = bucketClaim
	c.ServiceAccount = sa.Metadata.Name().Elem()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"queryUrl": c.QueryURL, "objstoreSecret": c.ObjstoreSecret, "bucketClaim": c.BucketClaim, "serviceAccount": c.ServiceAccount,
	})
}
