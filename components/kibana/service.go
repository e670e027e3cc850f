package kibana

import (
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// service is the ClusterIP Service in front of the pods; it returns its name.
func (o objects) service() (pulumi.StringOutput, error) {
	port := pulumi.String(httpPort)
	svc, err := corev1.NewService(o.ctx, o.role("service"), &corev1.ServiceArgs{
		Metadata: o.meta(o.name),
		Spec: &corev1.ServiceSpecArgs{
			Type:     pulumi.String("ClusterIP"),
			Selector: o.labels.Selector(),
			Ports:    corev1.ServicePortArray{&corev1.ServicePortArgs{Name: port, Port: pulumi.Int(Port), TargetPort: port, Protocol: pulumi.String("TCP")}},
		},
	}, o.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return svc.Metadata.Name().Elem(), nil
}

// ingress exposes the Service on Args.Ingress.Host; it returns the public
// URL, which resolves once the Ingress exists.
func (o objects) ingress(service pulumi.StringOutput) (pulumi.StringOutput, error) {
	in := o.args.Ingress
	meta := o.meta(o.name)
	meta.Annotations = pulumi.ToStringMap(in.Annotations)
	spec := &networkingv1.IngressSpecArgs{
		Rules: networkingv1.IngressRuleArray{&networkingv1.IngressRuleArgs{
			Host: pulumi.String(in.Host),
			Http: &networkingv1.HTTPIngressRuleValueArgs{Paths: networkingv1.HTTPIngressPathArray{&networkingv1.HTTPIngressPathArgs{
				Path: pulumi.String("/"), PathType: pulumi.String("Prefix"),
				Backend: &networkingv1.IngressBackendArgs{Service: &networkingv1.IngressServiceBackendArgs{
					Name: service, Port: &networkingv1.ServiceBackendPortArgs{Name: pulumi.String(httpPort)},
				}},
			}}},
		}},
	}
	// Without a class the cluster's default one serves it.
	if in.ClassName != "" {
		spec.IngressClassName = pulumi.String(in.ClassName)
	}
	if in.TLSSecretName != "" {
		spec.Tls = networkingv1.IngressTLSArray{&networkingv1.IngressTLSArgs{
			Hosts: pulumi.ToStringArray([]string{in.Host}), SecretName: pulumi.String(in.TLSSecretName),
		}}
	}
	created, err := networkingv1.NewIngress(o.ctx, o.role("ingress"), &networkingv1.IngressArgs{Metadata: meta, Spec: spec}, o.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	public := o.args.publicURL()
	return created.Metadata.Name().Elem().ApplyT(func(string) string { return public }).(pulumi.StringOutput), nil
}
