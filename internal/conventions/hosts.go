package conventions

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ClusterDomain is the DNS domain of the clusters the platform runs in.
const ClusterDomain = "cluster.local"

// ServiceHost is the in-cluster DNS name of a Service.
func ServiceHost(service, namespace string) string {
	return fmt.Sprintf("%s.%s.svc.%s", service, namespace, ClusterDomain)
}

// ServiceURL is scheme://host:port of a Service; port 0 leaves the port out.
func ServiceURL(scheme, service, namespace string, port int) string {
	u := scheme + "://" + ServiceHost(service, namespace)
	if port != 0 {
		u += fmt.Sprintf(":%d", port)
	}
	return u
}

// ServiceURLOutput is ServiceURL for a Service whose name is an output, so
// dependents wait for the Service to exist.
func ServiceURLOutput(scheme string, service pulumi.StringOutput, namespace string, port int) pulumi.StringOutput {
	return service.ApplyT(func(s string) string { return ServiceURL(scheme, s, namespace, port) }).(pulumi.StringOutput)
}

// SRVName is the DNS SRV record of a named port of a headless Service
// (_port._tcp.service.namespace.svc.domain), as Thanos' dnssrv+ discovery reads it.
func SRVName(port, service, namespace string) string {
	return fmt.Sprintf("_%s._tcp.%s", port, ServiceHost(service, namespace))
}

// PodHost is the DNS name of one pod of a StatefulSet behind its headless
// Service.
func PodHost(pod, headlessService, namespace string) string {
	return pod + "." + ServiceHost(headlessService, namespace)
}
