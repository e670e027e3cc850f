// Package workload holds the pod-level building blocks every component
// shares: the restricted security context, probes, resources (with the
// ephemeral-storage defaults), volume claim templates and config-file
// volumes. It creates no resources.
package workload

import (
	"strconv"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Resources are a container's requests and limits. Ephemeral storage
// (emptyDir volumes, logs and the writable layer) defaults to
// DefaultEphemeralRequest and DefaultEphemeralLimit when empty.
type Resources struct {
	RequestsCPU, RequestsMemory, LimitsCPU, LimitsMemory string
	RequestsEphemeralStorage, LimitsEphemeralStorage     string
}

// The ephemeral storage of a container that sets none. Every container here
// runs on a read-only root and keeps its data on volume claims: what is left
// is its log (the kubelet rotates it at 10Mi, five files by default) and its
// small scratch emptyDirs (/tmp). The request is what the scheduler reserves
// on the node; the limit evicts a pod whose scratch space runs away before
// it fills the node's disk. A container that writes more (Elasticsearch's
// GC logs, Cassandra's) sets its own.
const (
	DefaultEphemeralRequest = "64Mi"
	DefaultEphemeralLimit   = "1Gi"
)

// Args returns the Kubernetes form, leaving out empty CPU and memory values
// and defaulting ephemeral storage.
func (r Resources) Args() *corev1.ResourceRequirementsArgs {
	if r.RequestsEphemeralStorage == "" {
		r.RequestsEphemeralStorage = DefaultEphemeralRequest
	}
	if r.LimitsEphemeralStorage == "" {
		r.LimitsEphemeralStorage = DefaultEphemeralLimit
		// A request above the default limit would be refused by the API
		// server: the limit is then the request.
		req, errReq := resource.ParseQuantity(r.RequestsEphemeralStorage)
		lim, errLim := resource.ParseQuantity(DefaultEphemeralLimit)
		if errReq == nil && errLim == nil && req.Cmp(lim) > 0 {
			r.LimitsEphemeralStorage = r.RequestsEphemeralStorage
		}
	}
	req, lim := pulumi.StringMap{}, pulumi.StringMap{}
	put := func(m pulumi.StringMap, k, v string) {
		if v != "" {
			m[k] = pulumi.String(v)
		}
	}
	put(req, "cpu", r.RequestsCPU)
	put(req, "memory", r.RequestsMemory)
	put(lim, "cpu", r.LimitsCPU)
	put(lim, "memory", r.LimitsMemory)
	put(req, "ephemeral-storage", r.RequestsEphemeralStorage)
	put(lim, "ephemeral-storage", r.LimitsEphemeralStorage)
	return &corev1.ResourceRequirementsArgs{Requests: req, Limits: lim}
}

// PodSecurity runs every container as the given non-root user and group,
// with the volume group set so mounted volumes are writable.
func PodSecurity(uid int) *corev1.PodSecurityContextArgs {
	return &corev1.PodSecurityContextArgs{
		RunAsNonRoot:   pulumi.Bool(true),
		RunAsUser:      pulumi.Int(uid),
		RunAsGroup:     pulumi.Int(uid),
		FsGroup:        pulumi.Int(uid),
		SeccompProfile: &corev1.SeccompProfileArgs{Type: pulumi.String("RuntimeDefault")},
	}
}

// RestrictedContainer is the Pod Security "restricted" container context
// with a read-only root filesystem.
func RestrictedContainer() *corev1.SecurityContextArgs {
	return &corev1.SecurityContextArgs{
		AllowPrivilegeEscalation: pulumi.Bool(false),
		ReadOnlyRootFilesystem:   pulumi.Bool(true),
		RunAsNonRoot:             pulumi.Bool(true),
		Capabilities:             &corev1.CapabilitiesArgs{Drop: pulumi.ToStringArray([]string{"ALL"})},
	}
}

// HTTPProbe probes a path on a named or numbered port.
func HTTPProbe(path string, port int, initialDelay, period int) *corev1.ProbeArgs {
	return &corev1.ProbeArgs{
		HttpGet:             &corev1.HTTPGetActionArgs{Path: pulumi.String(path), Port: pulumi.Int(port)},
		InitialDelaySeconds: pulumi.Int(initialDelay),
		PeriodSeconds:       pulumi.Int(period),
		TimeoutSeconds:      pulumi.Int(5),
		FailureThreshold:    pulumi.Int(6),
	}
}

// TCPProbe checks that a port accepts connections: a lenient liveness
// probe for a server whose only HTTP health endpoint is its readiness
// (alive while it listens; ready when it answers).
func TCPProbe(port int, initialDelay, period int) *corev1.ProbeArgs {
	return &corev1.ProbeArgs{
		TcpSocket:           &corev1.TCPSocketActionArgs{Port: pulumi.Int(port)},
		InitialDelaySeconds: pulumi.Int(initialDelay),
		PeriodSeconds:       pulumi.Int(period),
		TimeoutSeconds:      pulumi.Int(5),
		FailureThreshold:    pulumi.Int(6),
	}
}

// VolumeClaim is a ReadWriteOnce volume claim template of the given size.
func VolumeClaim(name, size string, labels pulumi.StringMap) *corev1.PersistentVolumeClaimTypeArgs {
	return &corev1.PersistentVolumeClaimTypeArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(name), Labels: labels},
		Spec: &corev1.PersistentVolumeClaimSpecArgs{
			AccessModes: pulumi.ToStringArray([]string{"ReadWriteOnce"}),
			Resources:   &corev1.VolumeResourceRequirementsArgs{Requests: pulumi.StringMap{"storage": pulumi.String(size)}},
		},
	}
}

// ConfigMapVolume mounts a ConfigMap.
func ConfigMapVolume(volume string, configMap pulumi.StringInput) *corev1.VolumeArgs {
	return &corev1.VolumeArgs{Name: pulumi.String(volume), ConfigMap: &corev1.ConfigMapVolumeSourceArgs{Name: configMap}}
}

// SecretVolume mounts a Secret read-only for the owner only.
func SecretVolume(volume string, secret pulumi.StringInput) *corev1.VolumeArgs {
	return &corev1.VolumeArgs{Name: pulumi.String(volume), Secret: &corev1.SecretVolumeSourceArgs{SecretName: secret, DefaultMode: pulumi.Int(0o440)}}
}

// EmptyDir is a scratch volume (for /tmp under a read-only root).
func EmptyDir(volume string) *corev1.VolumeArgs {
	return &corev1.VolumeArgs{Name: pulumi.String(volume), EmptyDir: &corev1.EmptyDirVolumeSourceArgs{}}
}

// Mount mounts a volume at a path.
func Mount(volume, path string, readOnly bool) *corev1.VolumeMountArgs {
	return &corev1.VolumeMountArgs{Name: pulumi.String(volume), MountPath: pulumi.String(path), ReadOnly: pulumi.Bool(readOnly)}
}

// PodNameEnv exposes the pod's name as $POD_NAME.
func PodNameEnv() *corev1.EnvVarArgs {
	return &corev1.EnvVarArgs{Name: pulumi.String("POD_NAME"), ValueFrom: &corev1.EnvVarSourceArgs{
		FieldRef: &corev1.ObjectFieldSelectorArgs{FieldPath: pulumi.String("metadata.name")},
	}}
}

// FieldEnv exposes one field of the pod (status.podIP, spec.nodeName...)
// as an environment variable.
func FieldEnv(env, path string) *corev1.EnvVarArgs {
	return &corev1.EnvVarArgs{Name: pulumi.String(env), ValueFrom: &corev1.EnvVarSourceArgs{
		FieldRef: &corev1.ObjectFieldSelectorArgs{FieldPath: pulumi.String(path)},
	}}
}

// SpreadAcrossNodes prefers one replica per node.
func SpreadAcrossNodes(selector pulumi.StringMap) *corev1.AffinityArgs {
	return &corev1.AffinityArgs{PodAntiAffinity: &corev1.PodAntiAffinityArgs{
		PreferredDuringSchedulingIgnoredDuringExecution: corev1.WeightedPodAffinityTermArray{&corev1.WeightedPodAffinityTermArgs{
			Weight: pulumi.Int(100),
			PodAffinityTerm: &corev1.PodAffinityTermArgs{
				TopologyKey:   pulumi.String("kubernetes.io/hostname"),
				LabelSelector: &metav1.LabelSelectorArgs{MatchLabels: selector},
			},
		}},
	}}
}

// ScrapeAnnotations mark a pod for the annotation-based Prometheus job.
func ScrapeAnnotations(port int, path string) map[string]string {
	return map[string]string{
		"prometheus.io/scrape": "true",
		"prometheus.io/port":   strconv.Itoa(port),
		"prometheus.io/path":   path,
	}
}

// SecretEnv sets an environment variable from one key of a Secret.
func SecretEnv(env string, secret pulumi.StringInput, key string) *corev1.EnvVarArgs {
	return &corev1.EnvVarArgs{Name: pulumi.String(env), ValueFrom: &corev1.EnvVarSourceArgs{
		SecretKeyRef: &corev1.SecretKeySelectorArgs{Name: secret, Key: pulumi.String(key)},
	}}
}

// Env sets an environment variable to a plain value.
func Env(env, value string) *corev1.EnvVarArgs {
	return &corev1.EnvVarArgs{Name: pulumi.String(env), Value: pulumi.String(value)}
}

// DataPolicy says how the resources that hold data survive a delete: the
// stack decides (config dataProtection), each component applies it to
// exactly its data-holding children (buckets, namespaces holding volumes,
// PersistentVolumeClaims), never to the workloads around them.
type DataPolicy struct {
	// Protect refuses to delete them (pulumi protect): a destroy, or a
	// change that would replace one, fails while they are protected.
	Protect bool
	// Retain leaves them in place when the stack deletes them (pulumi
	// retainOnDelete): a destroy removes the workloads and keeps the data.
	Retain bool
}

// Options are the resource options of a data-holding child.
func (p DataPolicy) Options() []pulumi.ResourceOption {
	var opts []pulumi.ResourceOption
	if p.Protect {
		opts = append(opts, pulumi.Protect(true))
	}
	if p.Retain {
		opts = append(opts, pulumi.RetainOnDelete(true))
	}
	return opts
}
