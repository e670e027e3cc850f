// Package elasticsearch owns the log store: the Elasticsearch StatefulSet
// with security on, its Services and disruption budget, its TLS material,
// the credentials Secret of the built-in users, its metrics exporter
// (elasticsearch_exporter, scraped by Prometheus), and the in-cluster Job that
// applies the log retention (ILM policies, data stream templates, the
// snapshot repository and the nightly snapshot of audit logs). It does not
// own Kibana (components/kibana), the shippers that write logs
// (Fluentd, Logstash), the snapshot bucket (components/bucket) or the
// namespace it runs in, and it never reads stack config.
//
// # TLS
//
// TLS is on for transport and HTTP. Private keys are made and kept inside
// the cluster only; none is in this repository, in Pulumi state or in a
// rendered manifest:
//
//   - The CA Job (<name>-ca-<hash>) runs elasticsearch-certutil once to
//     create a CA (10 years) and stores it in the Secret <name>-ca-keypair
//     through the Kubernetes API. An existing Secret is kept, so the CA
//     survives re-runs; to bring your own CA, create that Secret (keys
//     ca.crt and ca.key) before the first deployment. The Secret is not a
//     Pulumi resource and outlives `pulumi destroy` until its namespace goes.
//   - The Job publishes the CA certificate alone (no key) as the Secret
//     <name>-ca (key ca.crt) in the Elasticsearch namespace and in every
//     Args.TrustNamespaces entry; clients (Kibana, Fluentd, Logstash,
//     Grafana, the setup Job) mount it and verify the server. It is a
//     Secret, not a ConfigMap, because that is what the shippers take.
//   - Every node's init container issues its own certificate (2 years) from
//     the CA at each start, for its pod IP, its stable name behind the
//     headless Service and the client Service's names, into a
//     memory-backed volume. Only that init container mounts the CA key.
//
// Transport verifies the certificate chain only (nodes dial pod IPs); HTTP
// clients verify the chain and the host name.
//
// # Passwords
//
// The elastic password reaches the nodes as ELASTIC_PASSWORD (the image's
// bootstrap password, used only until the security index exists); the setup
// Job sets kibana_system's password and, when given, creates the log
// writer user and Grafana's read-only user. Rotating a password later is done in Elasticsearch first,
// then in the stack's secret; the Job does not change the elastic password.
//
// # Cluster formation
//
// One replica runs single-node discovery. Three or more find each other
// through the headless Service (discovery.seed_hosts) and bootstrap the
// first time with cluster.initial_master_nodes = the pod names. That setting
// only matters to a cluster that has never formed: once it has, set
// Args.ClusterBootstrapped so it is dropped, as Elasticsearch recommends
// (a node that lost its data could otherwise bootstrap a second cluster).
// Two replicas are refused: losing either one stops the cluster.
//
// # vm.max_map_count
//
// Elasticsearch needs vm.max_map_count >= 262144 on the node. MaxMapCount
// chooses how: a privileged init container runs sysctl (the namespace must
// allow privileged pods), or the nodes are already configured ("node": for
// example a sysctl in the node image or a DaemonSet the cluster team runs),
// or mmap is switched off (node.store.allow_mmap: false, for local
// clusters where neither is possible; slower).
package elasticsearch

import (
	"errors"
	"fmt"

	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/labels"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Elasticsearch"

// DefaultImage is the Elasticsearch release; the go-elasticsearch typed
// API (v8.19.7 in go.mod) that builds and checks the request bodies is of
// the same release, so keep the two in step. Kibana pins the same version.
const DefaultImage = "docker.elastic.co/elasticsearch/elasticsearch:8.19.7"

// Ports.
const (
	HTTPPort      = 9200
	TransportPort = 9300
)

// Keys of the credentials Secret, the log writer Secret and the CA Secret.
const (
	SecretKeyElastic      = "elastic"
	SecretKeyKibanaSystem = "kibana_system"
	// SecretKeyGrafanaReader is in the credentials Secret only when
	// Args.GrafanaReaderPassword is set: the setup Job reads it there.
	SecretKeyGrafanaReader = "grafana_reader"
	// The log writer Secret uses the keys Fluentd and Logstash read by default.
	LogWriterUsernameKey = "username"
	LogWriterPasswordKey = "password"
	CASecretKey          = "ca.crt"
)

// uid is the image's elasticsearch user.
const uid = 1000

// Elasticsearch is the component.
type Elasticsearch struct {
	pulumi.ResourceState

	// URL is the HTTPS endpoint of the client Service. It resolves once the
	// setup Job has applied the templates, so writers never create a data
	// stream before its template exists.
	URL pulumi.StringOutput `pulumi:"url"`
	// ServiceName and Namespace name the client Service (port HTTPPort).
	ServiceName pulumi.StringOutput `pulumi:"serviceName"`
	Namespace   pulumi.StringOutput `pulumi:"namespace"`
	// Host is the client Service's DNS name, which every node certificate
	// carries; it resolves with URL.
	Host pulumi.StringOutput `pulumi:"host"`
	// CredentialsSecret holds SecretKeyElastic and SecretKeyKibanaSystem.
	CredentialsSecret pulumi.StringOutput `pulumi:"credentialsSecret"`
	// CASecret holds the CA certificate alone (CASecretKey) in the namespace
	// and every trust namespace; it resolves once the CA Job has run.
	CASecret pulumi.StringOutput `pulumi:"caSecret"`
	// ApplicationDataStream and AuditDataStream are where writers send
	// application logs and audit events.
	ApplicationDataStream pulumi.StringOutput `pulumi:"applicationDataStream"`
	AuditDataStream       pulumi.StringOutput `pulumi:"auditDataStream"`
	// LogWriterUser is the writers' user name, and LogWriterSecret holds it
	// and its password (LogWriterUsernameKey, LogWriterPasswordKey); both
	// are "" without LogWriterPassword.
	LogWriterUser   pulumi.StringOutput `pulumi:"logWriterUser"`
	LogWriterSecret pulumi.StringOutput `pulumi:"logWriterSecret"`
	// GrafanaReaderUser is Grafana's read-only user name, and
	// GrafanaReaderSecret, in GrafanaReaderNamespace, holds it and its
	// password (LogWriterUsernameKey, LogWriterPasswordKey); both resolve
	// once the setup Job has created the user, and are "" without
	// GrafanaReaderPassword.
	GrafanaReaderUser   pulumi.StringOutput `pulumi:"grafanaReaderUser"`
	GrafanaReaderSecret pulumi.StringOutput `pulumi:"grafanaReaderSecret"`
	// SetupJob is the name of the Job that applied the current bodies.
	SetupJob pulumi.StringOutput `pulumi:"setupJob"`
}

// New creates the Elasticsearch cluster, its TLS material and its setup Job.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Elasticsearch, error) {
	fail := func(err error) (*Elasticsearch, error) { return nil, fmt.Errorf("elasticsearch %q: %w", name, err) }
	if err := errors.Join(checkName(name), args.withDefaults()); err != nil {
		return fail(err)
	}
	configFiles, err := renderNodeFiles(args.nodeSettings(name))
	if err != nil {
		return fail(err)
	}
	bodies := args.bodySettings()
	// Render once now, so a body that cannot be encoded fails before
	// anything is registered; the bucket name is known only later.
	if _, err := renderRequests(withBucket(bodies, "bucket")); err != nil {
		return fail(err)
	}

	c := &Elasticsearch{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	o := objects{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c), version: conventions.VersionFromImage(args.Image)}
	secrets, err := o.secrets()
	if err != nil {
		return fail(err)
	}
	sa, err := o.serviceAccount()
	if err != nil {
		return fail(err)
	}
	caJob, err := o.caJob()
	if err != nil {
		return fail(err)
	}
	sts, client, err := o.nodes(configFiles, sa, secrets.credentials, caJob)
	if err != nil {
		return fail(err)
	}
	setupJob, err := o.setupJob(bodies, sa, secrets, caJob, sts)
	if err != nil {
		return fail(err)
	}
	if err := o.exporter(secrets.credentials, setupJob); err != nil {
		return fail(err)
	}
	c.setOutputs(name, args, client, secrets, caJob.Metadata.Name().Elem(), setupJob.Metadata.Name().Elem())
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"url":                   c.URL,
		"serviceName":           c.ServiceName,
		"namespace":             c.Namespace,
		"credentialsSecret":     c.CredentialsSecret,
		"host":                  c.Host,
		"caSecret":              c.CASecret,
		"logWriterSecret":       c.LogWriterSecret,
		"applicationDataStream": c.ApplicationDataStream,
		"auditDataStream":       c.AuditDataStream,
		"logWriterUser":         c.LogWriterUser,
		"grafanaReaderUser":     c.GrafanaReaderUser,
		"grafanaReaderSecret":   c.GrafanaReaderSecret,
		"setupJob":              c.SetupJob,
	})
}

// setOutputs fills the outputs. The URL, the host and the users resolve
// once the setup Job exists (so writers never create a data stream before
// its template), the CA Secret once the CA Job does.
func (c *Elasticsearch) setOutputs(name string, args Args, client pulumi.StringOutput, s secretNames, caJob, setupJob pulumi.StringOutput) {
	ns := args.Namespace
	c.ServiceName = client
	c.Namespace = pulumi.String(ns).ToStringOutput()
	c.URL = pulumi.All(client, setupJob).ApplyT(func(v []any) string {
		return conventions.ServiceURL("https", v[0].(string), ns, HTTPPort)
	}).(pulumi.StringOutput)
	c.Host = c.URL.ApplyT(func(string) string { return Host(name, ns) }).(pulumi.StringOutput)
	c.CredentialsSecret = s.credentials
	c.CASecret = caJob.ApplyT(func(string) string { return CASecretName(name) }).(pulumi.StringOutput)
	c.ApplicationDataStream = pulumi.String(conventions.ApplicationDataStream).ToStringOutput()
	c.AuditDataStream = pulumi.String(conventions.AuditDataStream).ToStringOutput()
	writer, reader := "", ""
	if args.LogWriterPassword != nil {
		writer = LogWriterUser
	}
	if args.GrafanaReaderPassword != nil {
		reader = GrafanaReaderUser
	}
	after := func(v string) pulumi.StringOutput {
		return setupJob.ApplyT(func(string) string { return v }).(pulumi.StringOutput)
	}
	afterOutput := func(v pulumi.StringOutput) pulumi.StringOutput {
		return pulumi.All(setupJob, v).ApplyT(func(v []any) string { return v[1].(string) }).(pulumi.StringOutput)
	}
	c.LogWriterUser = after(writer)
	c.LogWriterSecret = afterOutput(s.writer)
	c.GrafanaReaderUser = after(reader)
	c.GrafanaReaderSecret = afterOutput(s.reader)
	c.SetupJob = setupJob
}

// objects creates one instance's children: each named after the instance
// and its role, in Args.Namespace unless said otherwise.
type objects struct {
	ctx     *pulumi.Context
	name    string
	args    Args
	parent  pulumi.ResourceOption
	version string
}

func (o objects) role(roles ...string) string { return conventions.Child(o.name, roles...) }

// labels are the labels of one part of the instance: "storage" (the nodes
// and what they use), "ca-bootstrap" or "setup".
func (o objects) labels(component string) labels.Set {
	return labels.Set{Name: "elasticsearch", Instance: o.name, Component: component, Version: o.version}
}

func (o objects) meta(objName string, set labels.Set) *metav1.ObjectMetaArgs {
	return o.metaIn(objName, o.args.Namespace, set)
}

func (o objects) metaIn(objName, namespace string, set labels.Set) *metav1.ObjectMetaArgs {
	return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: pulumi.String(namespace), Labels: set.Labels()}
}
