package prometheus

import (
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
)

// services creates the headless Service (the StatefulSet's, whose grpc port
// Thanos Query discovers) and the client Service; it returns their names.
func (b *build) services() (headless, client pulumi.StringOutput, err error) {
	port := func(name string, port int) *corev1.ServicePortArgs {
		return &corev1.ServicePortArgs{Name: pulumi.String(name), Port: pulumi.Int(port), TargetPort: pulumi.String(name)}
	}
	h, err := corev1.NewService(b.ctx, conventions.Child(b.name, "headless-service"), &corev1.ServiceArgs{
		Metadata: b.meta(HeadlessServiceName(b.name)),
		Spec: &corev1.ServiceSpecArgs{ClusterIP: pulumi.String("None"), Selector: b.set.Selector(),
			Ports: corev1.ServicePortArray{port("web", WebPort), port("grpc", SidecarGRPCPort)}},
	}, b.parent)
	if err != nil {
		return headless, client, err
	}
	c, err := corev1.NewService(b.ctx, conventions.Child(b.name, "service"), &corev1.ServiceArgs{
		Metadata: b.meta(b.name),
		Spec:     &corev1.ServiceSpecArgs{Selector: b.set.Selector(), Ports: corev1.ServicePortArray{port("web", WebPort)}},
	}, b.parent)
	if err != nil {
		return headless, client, err
	}
	return h.Metadata.Name().Elem(), c.Metadata.Name().Elem(), nil
}
