package kibana

import (
	"fmt"
	"maps"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/components/elasticsearch"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/jsonprobe"
	"github.com/klearkarma/observability/internal/workload"
)

// httpPort names the container and Service port.
const httpPort = "http"

// deployment creates kibana.yml's ConfigMap, the encryption key's Secret
// when there is a key, and the Deployment, rolled when kibana.yml changes.
func (o objects) deployment(files map[string]string) error {
	args := o.args
	cm, err := corev1.NewConfigMap(o.ctx, o.role("config"), &corev1.ConfigMapArgs{
		Metadata: o.meta(o.role("config")), Data: pulumi.ToStringMap(files),
	}, o.parent)
	if err != nil {
		return err
	}
	env, err := o.env()
	if err != nil {
		return err
	}
	_, err = appsv1.NewDeployment(o.ctx, o.role("deployment"), &appsv1.DeploymentArgs{
		Metadata: o.meta(o.name),
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(args.Replicas),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: o.labels.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: o.labels.Labels(), Annotations: pulumi.ToStringMap(annotations(files))},
				Spec: &corev1.PodSpecArgs{
					AutomountServiceAccountToken: pulumi.Bool(false),
					SecurityContext:              workload.PodSecurity(uid),
					Containers:                   corev1.ContainerArray{container(args, env), jsonprobe.Container("config")},
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
	}, o.parent)
	if err != nil || args.Replicas <= 1 {
		return err
	}
	// With more than one replica a node drain takes one at a time, so
	// Kibana keeps answering.
	_, err = policyv1.NewPodDisruptionBudget(o.ctx, o.role("pdb"), &policyv1.PodDisruptionBudgetArgs{
		Metadata: o.meta(o.name),
		Spec: &policyv1.PodDisruptionBudgetSpecArgs{
			MaxUnavailable: pulumi.Int(1),
			Selector:       &metav1.LabelSelectorArgs{MatchLabels: o.labels.Selector()},
		},
	}, o.parent)
	return err
}

// annotations roll the pods when a file changes and have Prometheus
// scrape the status sidecar (StatusProbe).
func annotations(files map[string]string) map[string]string {
	a := encoding.ChecksumAnnotation("config", files)
	maps.Copy(a, StatusProbe().Annotations())
	return a
}

// env is what kibana.yml reads from the environment: the Elasticsearch URL,
// the kibana_system password and, when set, the encryption key, which gets
// a Secret of its own (checked for Kibana's minimum length).
func (o objects) env() (corev1.EnvVarArray, error) {
	args := o.args
	env := corev1.EnvVarArray{
		&corev1.EnvVarArgs{Name: pulumi.String(environmentURL), Value: args.ElasticsearchURL},
		workload.SecretEnv(environmentPwd, args.CredentialsSecret, args.PasswordKey),
		workload.Env("NODE_OPTIONS", nodeOptions(args.Resources.LimitsMemory)),
	}
	if args.EncryptionKey == nil {
		return env, nil
	}
	key := pulumi.ToSecret(args.EncryptionKey.ToStringOutput().ApplyT(func(k string) (string, error) {
		if len(k) < minKeyLength {
			return "", fmt.Errorf("kibana %q: EncryptionKey has %d characters; Kibana needs at least %d", o.name, len(k), minKeyLength)
		}
		return k, nil
	})).(pulumi.StringOutput)
	s, err := corev1.NewSecret(o.ctx, o.role("encryption-key"), &corev1.SecretArgs{
		Metadata: o.meta(o.role("encryption-key")), Type: pulumi.String("Opaque"),
		StringData: pulumi.StringMap{encryptionKey: key},
	}, o.parent)
	if err != nil {
		return nil, err
	}
	return append(env, workload.SecretEnv(environmentKey, s.Metadata.Name().Elem(), encryptionKey)), nil
}

// container is Kibana on a read-only root with its config file, the CA and
// scratch volumes.
func container(args Args, env corev1.EnvVarArray) *corev1.ContainerArgs {
	probe := func(h *corev1.HTTPGetActionArgs, t *corev1.TCPSocketActionArgs, period, failures int) *corev1.ProbeArgs {
		return &corev1.ProbeArgs{HttpGet: h, TcpSocket: t, PeriodSeconds: pulumi.Int(period), TimeoutSeconds: pulumi.Int(5), FailureThreshold: pulumi.Int(failures)}
	}
	port := pulumi.String(httpPort)
	return &corev1.ContainerArgs{
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
		// Kibana answers 503 "not ready" on every route until it has
		// reached Elasticsearch; the login page needs no user.
		ReadinessProbe: probe(&corev1.HTTPGetActionArgs{Path: pulumi.String("/login"), Port: port}, nil, 10, 3),
	}
}
