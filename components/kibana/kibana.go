// Package kibana owns Kibana: its Deployment, Service, optional Ingress,
// its kibana.yml and the Secret of its encryption key. Kibana connects to
// Elasticsearch over HTTPS as the kibana_system user, verifying the server
// and its host name against the CA certificate the elasticsearch component
// publishes. It does not own Elasticsearch, the kibana_system password (the
// elasticsearch component's credentials Secret holds it and its setup Job
// sets it), the CA certificate Secret or the ingress controller, and it
// never reads stack config.
package kibana

import (
	"errors"
	"fmt"

	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/jsonprobe"
	"github.com/klearkarma/observability/internal/labels"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Kibana"

// DefaultImage is the Kibana release matching elasticsearch.DefaultImage;
// Kibana refuses an Elasticsearch of another minor version.
const DefaultImage = "docker.elastic.co/kibana/kibana:8.19.7"

// Port is Kibana's HTTP port.
const Port = 5601

const (
	kibanaHome     = "/usr/share/kibana"
	configFile     = "kibana.yml"
	caMountPath    = kibanaHome + "/config/certs"
	encryptionKey  = "encryption-key"
	uid            = 1000 // the image's kibana user
	minKeyLength   = 32   // Kibana refuses shorter encryption keys
	environmentURL = "KB_ELASTICSEARCH_URL"
	environmentPwd = "KB_KIBANA_SYSTEM_PASSWORD"
	environmentKey = "KB_ENCRYPTION_KEY"
)

// Kibana is the component.
type Kibana struct {
	pulumi.ResourceState

	// URL is where people open Kibana: the Ingress host, or the in-cluster
	// URL without an Ingress.
	URL pulumi.StringOutput `pulumi:"url"`
	// InternalURL is the Service's in-cluster URL.
	InternalURL pulumi.StringOutput `pulumi:"internalUrl"`
	ServiceName pulumi.StringOutput `pulumi:"serviceName"`
}

// New creates Kibana.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Kibana, error) {
	fail := func(err error) (*Kibana, error) { return nil, fmt.Errorf("kibana %q: %w", name, err) }
	if err := errors.Join(checkName(name), args.withDefaults()); err != nil {
		return fail(err)
	}
	kibanaYAML, err := renderConfig(name, args)
	if err != nil {
		return fail(err)
	}
	probeYAML, err := StatusProbe().Render()
	if err != nil {
		return fail(err)
	}
	files := map[string]string{configFile: kibanaYAML, jsonprobe.ConfigFile: probeYAML}

	c := &Kibana{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	o := objects{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c), labels: labels.Set{
		Name: "kibana", Instance: name, Component: "ui", Version: conventions.VersionFromImage(args.Image),
	}}
	if err := o.deployment(files); err != nil {
		return fail(err)
	}
	svcName, err := o.service()
	if err != nil {
		return fail(err)
	}
	c.ServiceName = svcName
	c.InternalURL = conventions.ServiceURLOutput("http", svcName, args.Namespace, Port)
	c.URL = c.InternalURL
	if args.Ingress != nil {
		if c.URL, err = o.ingress(svcName); err != nil {
			return fail(err)
		}
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"url":         c.URL,
		"internalUrl": c.InternalURL,
		"serviceName": c.ServiceName,
	})
}

// objects creates one instance's children: each named after the instance
// and its role, in the instance's namespace, with its labels.
type objects struct {
	ctx    *pulumi.Context
	name   string
	args   Args
	parent pulumi.ResourceOption
	labels labels.Set
}

func (o objects) role(r string) string { return conventions.Child(o.name, r) }

func (o objects) meta(objName string) *metav1.ObjectMetaArgs {
	return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: pulumi.String(o.args.Namespace), Labels: o.labels.Labels()}
}
