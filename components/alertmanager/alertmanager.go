// Package alertmanager owns the Alertmanager cluster: its configuration
// (built with Alertmanager's own types from a plain Routing description),
// the Secret that holds its credentials as files, the gossip and client
// Services, the StatefulSet and its disruption budget. It does not own the
// alert rules (rules/), the PagerDuty services that issue routing keys, or
// the namespace it runs in, and it never reads stack config.
package alertmanager

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/pins"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Alertmanager"

// DefaultImage is the pinned Alertmanager release (internal/pins), whose
// module (go.mod, checked by internal/livebin) loads the generated
// configuration in the tests and whose binaries the live tier runs.
var DefaultImage = pins.Alertmanager.Image()

// Ports and paths inside the pod.
const (
	WebPort          = 9093
	ClusterPort      = 9094
	WebPortName      = "web"
	SecretsMountPath = "/etc/alertmanager/secrets"
	configMountPath  = "/etc/alertmanager/config"
	configFileName   = "alertmanager.yml"
	storagePath      = "/alertmanager"
	dataVolumeName   = "data"
	// The image runs as nobody; fsGroup lets it write the volume.
	nonRootID = 65534
)

// maxNameSize keeps the name usable: a StatefulSet's pods get a
// controller-revision-hash label of name + 11 characters.
const maxNameSize = 52

// Alertmanager is the component.
type Alertmanager struct {
	pulumi.ResourceState

	// URL is the in-cluster HTTP URL of the client Service, route prefix included.
	URL pulumi.StringOutput `pulumi:"url"`
	// ServiceName and Namespace name the client Service.
	ServiceName pulumi.StringOutput `pulumi:"serviceName"`
	Namespace   pulumi.StringOutput `pulumi:"namespace"`
	// Port is the client Service's port, named WebPortName.
	Port pulumi.IntOutput `pulumi:"port"`
	// PathPrefix is the HTTP route prefix ("" or "/alertmanager"), for
	// Prometheus's alertmanagers.path_prefix.
	PathPrefix pulumi.StringOutput `pulumi:"pathPrefix"`
	// Targets are the replicas' host:port addresses through the headless
	// Service. Prometheus must send every alert to every replica rather than
	// through the load-balanced Service, so it should use these.
	Targets pulumi.StringArrayOutput `pulumi:"targets"`
}

// build is one New call: what every child needs.
type build struct {
	ctx         *pulumi.Context
	name        string
	args        Args
	parent      pulumi.ResourceOption
	lbl         labels.Set
	ns          pulumi.StringOutput
	routePrefix string
}

func (b *build) meta(objName string) *metav1.ObjectMetaArgs {
	return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: b.ns, Labels: b.lbl.Labels()}
}

// checkName refuses a name that cannot name the Services (DNS-1035
// labels) and the StatefulSet's pods.
func checkName(name string) error {
	if errs := validation.IsDNS1035Label(name); len(errs) > 0 || len(name) > maxNameSize {
		return fmt.Errorf("the name must be a DNS label of at most %d characters (lower-case letters, digits, '-', starting with a letter): it names the Kubernetes objects", maxNameSize)
	}
	return nil
}

// New creates the Alertmanager cluster.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Alertmanager, error) {
	fail := func(err error) (*Alertmanager, error) { return nil, fmt.Errorf("alertmanager %q: %w", name, err) }
	if err := errors.Join(checkName(name), args.withDefaults()); err != nil {
		return fail(err)
	}
	rendered, err := RenderConfig(args.Routing, SecretsMountPath)
	if err != nil {
		return fail(err)
	}
	routePrefix := ""
	if args.ExternalURL != "" {
		u, _ := url.Parse(args.ExternalURL) // validated in withDefaults
		routePrefix = strings.TrimRight(u.Path, "/")
	}
	c := &Alertmanager{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := &build{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c), ns: args.Namespace.ToStringOutput(), routePrefix: routePrefix,
		lbl: labels.Set{Name: "alertmanager", Instance: name, Component: "alerting", Version: conventions.VersionFromImage(args.Image)}}
	files := map[string]string{configFileName: rendered}
	obj, err := b.objects(files)
	if err != nil {
		return fail(err)
	}
	if err := b.statefulSet(obj, files); err != nil {
		return fail(err)
	}
	c.ServiceName = obj.client
	c.Namespace = b.ns
	c.Port = pulumi.Int(WebPort).ToIntOutput()
	c.PathPrefix = pulumi.String(routePrefix).ToStringOutput()
	c.URL = pulumi.All(c.ServiceName, b.ns).ApplyT(func(v []any) string {
		return conventions.ServiceURL("http", v[0].(string), v[1].(string), WebPort) + routePrefix
	}).(pulumi.StringOutput)
	c.Targets = b.addresses(obj.headless, WebPort)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"url":         c.URL,
		"serviceName": c.ServiceName,
		"namespace":   c.Namespace,
		"port":        c.Port,
		"pathPrefix":  c.PathPrefix,
		"targets":     c.Targets,
	})
}

// clusterServiceName is the headless Service the replicas gossip through.
func clusterServiceName(name string) string { return conventions.Child(name, "cluster") }

// Targets are the addresses Prometheus sends alerts to (every replica), known
// before the component exists so Prometheus can be configured in the same
// run. They match the component's Targets output.
func Targets(name, namespace string, replicas int) []string {
	return replicaAddresses(name, clusterServiceName(name), namespace, replicas, WebPort)
}

// addresses are replicaAddresses once the headless Service exists.
func (b *build) addresses(headless pulumi.StringOutput, port int) pulumi.StringArrayOutput {
	return pulumi.All(b.ns, headless).ApplyT(func(v []any) []string {
		return replicaAddresses(b.name, v[1].(string), v[0].(string), b.args.Replicas, port)
	}).(pulumi.StringArrayOutput)
}

// replicaAddresses are the stable DNS names of every replica of a
// StatefulSet behind its headless Service, with a port.
func replicaAddresses(sts, headless, namespace string, replicas, port int) []string {
	out := make([]string, 0, replicas)
	for i := range replicas {
		out = append(out, fmt.Sprintf("%s:%d", conventions.PodHost(fmt.Sprintf("%s-%d", sts, i), headless, namespace), port))
	}
	return out
}
