package grafana

import (
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
)

// service maps ServicePort to the pod's http port.
func (b *builder) service() (*corev1.Service, error) {
	return corev1.NewService(b.ctx, conventions.Child(b.name, "service"), &corev1.ServiceArgs{
		Metadata: b.meta(),
		Spec: &corev1.ServiceSpecArgs{Selector: b.set.Selector(), Ports: corev1.ServicePortArray{
			&corev1.ServicePortArgs{Name: pulumi.String("http"), Port: pulumi.Int(ServicePort), TargetPort: pulumi.String("http")},
		}},
	}, b.parent)
}

// ingress routes every path of the Ingress host to the Service, over TLS
// when a TLS Secret is named.
func (b *builder) ingress(in *Ingress, svc *corev1.Service) (*networkingv1.Ingress, error) {
	spec := &networkingv1.IngressSpecArgs{
		Rules: networkingv1.IngressRuleArray{&networkingv1.IngressRuleArgs{
			Host: pulumi.String(in.Host),
			Http: &networkingv1.HTTPIngressRuleValueArgs{Paths: networkingv1.HTTPIngressPathArray{&networkingv1.HTTPIngressPathArgs{
				Path: pulumi.String("/"), PathType: pulumi.String("Prefix"),
				Backend: &networkingv1.IngressBackendArgs{Service: &networkingv1.IngressServiceBackendArgs{
					Name: svc.Metadata.Name().Elem(),
					Port: &networkingv1.ServiceBackendPortArgs{Name: pulumi.String("http")},
				}},
			}}},
		}},
	}
	if in.ClassName != "" {
		spec.IngressClassName = pulumi.String(in.ClassName)
	}
	if in.TLSSecretName != "" {
		spec.Tls = networkingv1.IngressTLSArray{&networkingv1.IngressTLSArgs{
			Hosts: pulumi.ToStringArray([]string{in.Host}), SecretName: pulumi.String(in.TLSSecretName),
		}}
	}
	return networkingv1.NewIngress(b.ctx, conventions.Child(b.name, "ingress"), &networkingv1.IngressArgs{Metadata: b.meta(), Spec: spec}, b.parent)
}
