package alertmanager

import (
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
)

// objects are the names of what the StatefulSet refers to.
type objects struct {
	serviceAccount, headless, client pulumi.StringOutput
	configMap, secret                pulumi.StringPtrOutput
}

// objects creates the service account, the credentials Secret, the
// configuration ConfigMap and the two Services.
func (b *build) objects(files map[string]string) (objects, error) {
	var o objects
	sa, err := corev1.NewServiceAccount(b.ctx, conventions.Child(b.name, "serviceaccount"), &corev1.ServiceAccountArgs{
		Metadata: b.meta(b.name),
		// Alertmanager never calls the Kubernetes API.
		AutomountServiceAccountToken: pulumi.Bool(false),
	}, b.parent)
	if err != nil {
		return o, err
	}
	o.serviceAccount = sa.Metadata.Name().Elem()
	// Without integrations, no stringData at all: an empty one is dropped by
	// the API server, so every later preview would see a change and replace
	// the Secret (and the StatefulSet that mounts it). A nil interface, not
	// an empty map, which would still be sent as {}.
	var stringData pulumi.StringMapInput
	if sd := b.args.secrets(); len(sd) > 0 {
		stringData = sd
	}
	secret, err := corev1.NewSecret(b.ctx, conventions.Child(b.name, "secret"), &corev1.SecretArgs{
		Metadata:   b.meta(conventions.Child(b.name, "secrets")),
		Type:       pulumi.String("Opaque"),
		StringData: stringData,
	}, b.parent)
	if err != nil {
		return o, err
	}
	o.secret = secret.Metadata.Name()
	cm, err := corev1.NewConfigMap(b.ctx, conventions.Child(b.name, "config"), &corev1.ConfigMapArgs{
		Metadata: b.meta(conventions.Child(b.name, "config")),
		Data:     pulumi.ToStringMap(files),
	}, b.parent)
	if err != nil {
		return o, err
	}
	o.configMap = cm.Metadata.Name()
	o.headless, o.client, err = b.services()
	return o, err
}

// services creates the headless Service the replicas gossip through (the
// StatefulSet's governing Service) and the client Service.
func (b *build) services() (headless, client pulumi.StringOutput, err error) {
	port := func(name string, port int, protocol string) *corev1.ServicePortArgs {
		return &corev1.ServicePortArgs{Name: pulumi.String(name), Port: pulumi.Int(port), TargetPort: pulumi.String(name), Protocol: pulumi.String(protocol)}
	}
	h, err := corev1.NewService(b.ctx, conventions.Child(b.name, "cluster-service"), &corev1.ServiceArgs{
		Metadata: b.meta(clusterServiceName(b.name)),
		Spec: &corev1.ServiceSpecArgs{
			ClusterIP: pulumi.String("None"),
			// Peers must find each other before they are ready: readiness
			// waits for the gossip cluster to settle.
			PublishNotReadyAddresses: pulumi.Bool(true),
			Selector:                 b.lbl.Selector(),
			Ports: corev1.ServicePortArray{
				port(WebPortName, WebPort, "TCP"), port("mesh-tcp", ClusterPort, "TCP"), port("mesh-udp", ClusterPort, "UDP"),
			},
		},
	}, b.parent)
	if err != nil {
		return headless, client, err
	}
	c, err := corev1.NewService(b.ctx, conventions.Child(b.name, "service"), &corev1.ServiceArgs{
		Metadata: b.meta(b.name),
		Spec: &corev1.ServiceSpecArgs{
			Type:     pulumi.String("ClusterIP"),
			Selector: b.lbl.Selector(),
			Ports:    corev1.ServicePortArray{port(WebPortName, WebPort, "TCP")},
		},
	}, b.parent)
	if err != nil {
		return headless, client, err
	}
	return h.Metadata.Name().Elem(), c.Metadata.Name().Elem(), nil
}
