package thanos

import (
	"fmt"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// objstoreFlag points a Thanos command at the mounted objstore Secret.
const objstoreFlag = "--objstore.config-file=/etc/thanos/" + ObjstoreKey

// nonRootID runs every Thanos pod as nobody: the image's binary is world
// readable and executable and Thanos writes only to its volumes, which
// fsGroup makes writable, so the image's own user (1001) is not needed and
// a user id above 10000 keeps clear of the node's users.
const nonRootID = 65534

// pods builds the three workloads, which share the service account, the
// bucket and one pod shape.
type pods struct {
	*build
	serviceAccount pulumi.StringOutput
	bucket         bucket
}

// template is the pod of one workload around its one container: the
// shared image, security, resources, probes and volumes, and the objstore
// checksum that rolls the pods when the bucket configuration changes.
func (p *pods) template(set labels.Set, container *corev1.ContainerArgs) *corev1.PodTemplateSpecArgs {
	container.Image = pulumi.String(p.args.Image)
	container.SecurityContext = workload.RestrictedContainer()
	container.Resources = p.args.Resources.Args()
	container.LivenessProbe = workload.HTTPProbe("/-/healthy", HTTPPort, 10, 30)
	container.ReadinessProbe = workload.HTTPProbe("/-/ready", HTTPPort, 5, 10)
	ann := pulumi.StringMap{conventions.ChecksumAnnotationPrefix + "objstore": p.bucket.checksum}
	for k, v := range workload.ScrapeAnnotations(HTTPPort, "/metrics") {
		ann[k] = pulumi.String(v)
	}
	volumes := corev1.VolumeArray{workload.SecretVolume("objstore", p.bucket.secret), workload.EmptyDir("tmp")}
	return &corev1.PodTemplateSpecArgs{
		Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels(), Annotations: ann},
		Spec: &corev1.PodSpecArgs{
			ServiceAccountName: p.serviceAccount,
			SecurityContext:    workload.PodSecurity(nonRootID),
			Containers:         corev1.ContainerArray{container},
			Volumes:            append(volumes, p.bucket.volumes...),
			Affinity:           workload.SpreadAcrossNodes(set.Selector()),
		},
	}
}

// mounts are the objstore, /tmp and the bucket, plus the data volume for
// the workloads that have one.
func (p *pods) mounts(withData bool) corev1.VolumeMountArray {
	m := corev1.VolumeMountArray{workload.Mount("objstore", "/etc/thanos", true), workload.Mount("tmp", "/tmp", false)}
	if withData {
		m = append(m, workload.Mount("data", "/var/thanos/data", false))
	}
	return append(m, p.bucket.mounts...)
}

// pdb lets one pod of a workload with more than one replica go at a time
// during a node drain, so Query and the Store Gateway keep answering.
func (p *pods) pdb(child, objName string, set labels.Set, replicas int) error {
	if replicas <= 1 {
		return nil
	}
	_, err := policyv1.NewPodDisruptionBudget(p.ctx, conventions.Child(p.name, child), &policyv1.PodDisruptionBudgetArgs{
		Metadata: p.meta(objName, set),
		Spec: &policyv1.PodDisruptionBudgetSpecArgs{
			MaxUnavailable: pulumi.Int(1),
			Selector:       &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
		},
	}, p.parent)
	return err
}

// claim is the data volume claim template of a StatefulSet. It leaves the
// version label out: the kubernetes provider replaces a StatefulSet whose
// claim templates change, so a version there would recreate it at every
// upgrade.
func claim(size string, set labels.Set) corev1.PersistentVolumeClaimTypeArray {
	set.Version = ""
	return corev1.PersistentVolumeClaimTypeArray{workload.VolumeClaim("data", size, set.Labels())}
}

// ports are the named container ports.
func ports(names ...string) corev1.ContainerPortArray {
	all := map[string]int{"http": HTTPPort, "grpc": GRPCPort}
	out := corev1.ContainerPortArray{}
	for _, n := range names {
		out = append(out, &corev1.ContainerPortArgs{Name: pulumi.String(n), ContainerPort: pulumi.Int(all[n])})
	}
	return out
}

// listen are the flags of the ports a command serves.
func listen(grpc bool) []string {
	if grpc {
		return []string{fmt.Sprintf("--grpc-address=0.0.0.0:%d", GRPCPort), fmt.Sprintf("--http-address=0.0.0.0:%d", HTTPPort)}
	}
	return []string{fmt.Sprintf("--http-address=0.0.0.0:%d", HTTPPort)}
}
