package thanos

import (
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/workload"
)

// storeName is the Store Gateway's StatefulSet and headless Service, which
// Query discovers.
func storeName(name string) string { return conventions.Child(name, "store") }

// storeGateway serves the bucket's blocks to Query.
func (p *pods) storeGateway() error {
	set := p.set("store-gateway")
	svc, err := corev1.NewService(p.ctx, conventions.Child(p.name, "store-service"), &corev1.ServiceArgs{
		Metadata: p.meta(storeName(p.name), set),
		Spec: &corev1.ServiceSpecArgs{ClusterIP: pulumi.String("None"), Selector: set.Selector(), Ports: corev1.ServicePortArray{
			&corev1.ServicePortArgs{Name: pulumi.String("grpc"), Port: pulumi.Int(GRPCPort), TargetPort: pulumi.String("grpc")},
			&corev1.ServicePortArgs{Name: pulumi.String("http"), Port: pulumi.Int(HTTPPort), TargetPort: pulumi.String("http")},
		}},
	}, p.parent)
	if err != nil {
		return err
	}
	args := append([]string{"store", "--data-dir=/var/thanos/data", objstoreFlag}, listen(true)...)
	_, err = appsv1.NewStatefulSet(p.ctx, conventions.Child(p.name, "store-statefulset"), &appsv1.StatefulSetArgs{
		Metadata: p.meta(storeName(p.name), set),
		Spec: &appsv1.StatefulSetSpecArgs{
			Replicas: pulumi.Int(p.args.StoreReplicas), ServiceName: svc.Metadata.Name().Elem(),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
			Template: p.template(set, &corev1.ContainerArgs{
				Name:  pulumi.String("store"),
				Args:  pulumi.ToStringArray(append(args, "--log.format=logfmt")),
				Ports: ports("grpc", "http"), VolumeMounts: p.mounts(true),
			}),
			VolumeClaimTemplates: claim(p.args.StoreStorageSize, set),
		},
	}, p.parent)
	if err != nil {
		return err
	}
	return p.pdb("store-pdb", storeName(p.name), set, p.args.StoreReplicas)
}

// query fans out to the sidecars (recent data) and the Store Gateway
// (history), deduplicating the HA pair by their replica label; it returns
// its Service's name.
func (p *pods) query() (pulumi.StringOutput, error) {
	set := p.set("query")
	endpoint := func(svc string) string {
		return "--endpoint=dnssrv+" + conventions.SRVName("grpc", svc, p.args.Namespace)
	}
	args := append([]string{"query"}, listen(true)...)
	args = append(args, "--query.replica-label=replica",
		// A query that names no max_source_resolution reads blocks up to
		// step/5 coarse. Without it every query reads raw blocks only, and
		// once the compactor deletes raw data (retention.metrics.detailed)
		// the 1h blocks kept for the aggregated period are never returned.
		"--query.auto-downsampling",
		endpoint(p.args.SidecarService), endpoint(storeName(p.name)), "--log.format=logfmt")
	if _, err := appsv1.NewDeployment(p.ctx, conventions.Child(p.name, "query-deployment"), &appsv1.DeploymentArgs{
		Metadata: p.meta(conventions.Child(p.name, "query"), set),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(p.args.QueryReplicas),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
			Template: p.template(set, &corev1.ContainerArgs{
				Name:  pulumi.String("query"),
				Args:  pulumi.ToStringArray(args),
				Ports: ports("grpc", "http"), VolumeMounts: corev1.VolumeMountArray{workload.Mount("tmp", "/tmp", false)},
			}),
		},
	}, p.parent); err != nil {
		return pulumi.StringOutput{}, err
	}
	if err := p.pdb("query-pdb", conventions.Child(p.name, "query"), set, p.args.QueryReplicas); err != nil {
		return pulumi.StringOutput{}, err
	}
	svc, err := corev1.NewService(p.ctx, conventions.Child(p.name, "query-service"), &corev1.ServiceArgs{
		Metadata: p.meta(conventions.Child(p.name, "query"), set),
		Spec: &corev1.ServiceSpecArgs{Selector: set.Selector(), Ports: corev1.ServicePortArray{
			&corev1.ServicePortArgs{Name: pulumi.String("http"), Port: pulumi.Int(QueryPort), TargetPort: pulumi.String("http")},
		}},
	}, p.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return svc.Metadata.Name().Elem(), nil
}

// compactor downsamples and applies the per-resolution retention: exactly
// one, or blocks get compacted twice.
func (p *pods) compactor() error {
	set := p.set("compactor")
	r := p.args.Retention
	args := append([]string{"compact", "--wait", "--data-dir=/var/thanos/data", objstoreFlag}, listen(false)...)
	args = append(args,
		"--retention.resolution-raw="+r.Raw,
		"--retention.resolution-5m="+r.FiveMinutes,
		"--retention.resolution-1h="+r.OneHour,
		// The HA pair scrapes the same targets at different moments: the
		// penalty algorithm (Thanos Query's own) keeps one replica's samples
		// and switches only across gaps. The default merge, meant for
		// identical copies (Receive replication), keeps both interleaved,
		// and the merged block replaces the originals for good.
		"--deduplication.replica-label=replica", "--deduplication.func=penalty", "--log.format=logfmt")
	// The governing Service a StatefulSet names must exist: it gives the
	// pod its stable DNS name.
	svc, err := corev1.NewService(p.ctx, conventions.Child(p.name, "compactor-service"), &corev1.ServiceArgs{
		Metadata: p.meta(conventions.Child(p.name, "compactor"), set),
		Spec: &corev1.ServiceSpecArgs{ClusterIP: pulumi.String("None"), Selector: set.Selector(), Ports: corev1.ServicePortArray{
			&corev1.ServicePortArgs{Name: pulumi.String("http"), Port: pulumi.Int(HTTPPort), TargetPort: pulumi.String("http")},
		}},
	}, p.parent)
	if err != nil {
		return err
	}
	_, err = appsv1.NewStatefulSet(p.ctx, conventions.Child(p.name, "compactor-statefulset"), &appsv1.StatefulSetArgs{
		Metadata: p.meta(conventions.Child(p.name, "compactor"), set),
		Spec: &appsv1.StatefulSetSpecArgs{
			Replicas: pulumi.Int(1), ServiceName: svc.Metadata.Name().Elem(),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
			Template: p.template(set, &corev1.ContainerArgs{
				Name:  pulumi.String("compactor"),
				Args:  pulumi.ToStringArray(args),
				Ports: ports("http"), VolumeMounts: p.mounts(true),
			}),
			VolumeClaimTemplates: claim(p.args.CompactorStorageSize, set),
		},
	}, p.parent)
	return err
}
