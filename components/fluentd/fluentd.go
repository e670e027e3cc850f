// Package fluentd owns the node-level log collector: a Fluentd DaemonSet
// that tails every container's log, adds Kubernetes metadata, parses JSON
// application logs and ships them to two Elasticsearch data streams, one
// for audit events and one for everything else; its least-privilege RBAC;
// the generated fluent.conf (built on the typed model of
// internal/fluentconf, which renders it and parses it back; checksummed
// onto the pod template); and the Secret holding the Elasticsearch
// credentials when the caller passes a password rather than a Secret. It
// does not own Elasticsearch, its CA or users, the index templates and
// lifecycle policies of the data streams, or the namespace it runs in, and
// it never reads stack config.
//
// # The audit marker
//
// A log line is an audit event when it is JSON whose top-level field
// "log_type" is exactly "audit". With winston (the seed's logger) that is
//
//	logger.info('Booking cancelled', { log_type: 'audit', userId, bookingId })
//
// Such records go to Args.AuditDataStream; every other record, JSON or not,
// goes to Args.AppDataStream. The marker is per event rather than a pod
// label because one API pod writes both kinds. Fluentd routes with
// rewrite_tag_filter (tags "audit.*" and "app.*"); Logstash uses the same
// field. A line that is not valid JSON, or whose "timestamp" is not an
// ISO 8601 time, is not parsed and so is never an audit event.
//
// # What changed from the seed's fluent.conf
//
//   - Container logs on containerd and CRI-O are CRI lines
//     ("<time> <stream> <F|P> <log>"), not Docker JSON: the tail source
//     parses with multi_format, Docker JSON first, then a CRI regexp that
//     names the message "log" so one JSON parser serves both. Lines the
//     runtime split at 16 KiB (tag "P") are not joined again.
//   - The tail source's time is the runtime's "time"; the seed's
//     time_key timestamp looked for winston's field in the runtime's
//     wrapper, where it never is. winston's "timestamp" becomes the event
//     time in the JSON parser filter instead, and stays a field.
//   - The JSON parser keeps non-JSON lines unchanged and quietly
//     (emit_invalid_record_to_error false) and drops the raw "log" field
//     when it did parse.
//   - index_name and type_name _doc are gone: mapping types do not exist
//     in Elasticsearch 8, and logs go to data streams
//     (elasticsearch_data_stream with data_stream_name).
//   - TLS: https with ssl_verify and the cluster's CA as ca_file; user and
//     password come from environment variables fed by a Secret, never
//     from the ConfigMap. Connection reloading (sniffing) is off, since
//     node addresses are not in the certificate.
//   - The pos_file moves off the read-only /var/log to a hostPath state
//     directory that also holds the buffers, one buffer path per output.
//   - The buffer settings are the seed's; retry_forever is written as
//     "retry_forever true", which Fluentd reads the same as the bare key.
//   - Fluentd's own log file is excluded from the tail, so its warnings do
//     not loop; records a plugin gives up on print to its stdout (@ERROR).
//   - Prometheus metrics on port 24231, including buffer queue length and
//     retry counts per output; the probes use the same endpoint.
//
// # Image
//
// DefaultImage is the fluentd-kubernetes-daemonset "debian-elasticsearch8"
// build, whose Gemfile bundles every plugin fluent.conf names:
// fluent-plugin-kubernetes_metadata_filter (kubernetes_metadata),
// fluent-plugin-rewrite-tag-filter (rewrite_tag_filter),
// fluent-plugin-elasticsearch with the Elasticsearch 8 client
// (elasticsearch_data_stream), fluent-plugin-multi-format-parser
// (multi_format) and fluent-plugin-prometheus (prometheus,
// prometheus_output_monitor); tail, parser and stdout are Fluentd's own.
//
// The container runs as root because the kubelet writes container logs
// readable by root only; it keeps no capabilities and cannot escalate. Its
// namespace must therefore admit privileged pods (hostPath volumes), and
// must hold the Elasticsearch CA and credentials Secrets. Credentials are
// read at start: after rotating the password, restart the DaemonSet.
package fluentd

import (
	"errors"
	"fmt"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	fc "github.com/klearkarma/observability/components/fluentd/internal/fluentconf"
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/esclient"
	"github.com/klearkarma/observability/internal/labels"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Fluentd"

// DefaultImage pins Fluentd 1.19 with the Elasticsearch 8 plugin set.
const DefaultImage = "fluent/fluentd-kubernetes-daemonset:v1.19.3-debian-elasticsearch8-1.1"

// ConfigFile is the file the image's entrypoint starts Fluentd with.
const ConfigFile = "fluent.conf"

// Fluentd is the component.
type Fluentd struct {
	pulumi.ResourceState

	// DaemonSetName, ServiceAccountName and ConfigMapName name the objects
	// in Namespace.
	DaemonSetName      pulumi.StringOutput `pulumi:"daemonSetName"`
	ServiceAccountName pulumi.StringOutput `pulumi:"serviceAccountName"`
	ConfigMapName      pulumi.StringOutput `pulumi:"configMapName"`
	// Namespace is Args.Namespace.
	Namespace pulumi.StringOutput `pulumi:"namespace"`
	// MetricsPort serves Prometheus metrics on every pod.
	MetricsPort pulumi.IntOutput `pulumi:"metricsPort"`
}

// New creates the collector.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Fluentd, error) {
	fail := func(err error) (*Fluentd, error) { return nil, fmt.Errorf("fluentd %q: %w", name, err) }
	if err := errors.Join(checkName(name), args.withDefaults()); err != nil {
		return fail(err)
	}
	conf, err := fc.Render(buildConfig(args.pipeline(name)))
	if err != nil {
		return fail(err)
	}

	c := &Fluentd{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	o := objects{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c), labels: labels.Set{
		Name: "fluentd", Instance: name, Component: "log-collector", Version: conventions.VersionFromImage(args.Image),
	}}
	sa, err := o.access()
	if err != nil {
		return fail(err)
	}
	credentials, err := o.credentials()
	if err != nil {
		return fail(err)
	}
	files := map[string]string{ConfigFile: conf}
	cm, err := corev1.NewConfigMap(ctx, o.role("config"), &corev1.ConfigMapArgs{
		Metadata: o.meta(o.role("config")),
		Data:     pulumi.ToStringMap(files),
	}, o.parent)
	if err != nil {
		return fail(err)
	}
	ds, err := o.daemonSet(files, sa, cm.Metadata.Name().Elem(), credentials)
	if err != nil {
		return fail(err)
	}

	c.DaemonSetName = ds.Metadata.Name().Elem()
	c.ServiceAccountName = sa
	c.ConfigMapName = cm.Metadata.Name().Elem()
	c.Namespace = pulumi.String(args.Namespace).ToStringOutput()
	c.MetricsPort = pulumi.Int(MetricsPort).ToIntOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"daemonSetName":      c.DaemonSetName,
		"serviceAccountName": c.ServiceAccountName,
		"configMapName":      c.ConfigMapName,
		"namespace":          c.Namespace,
		"metricsPort":        c.MetricsPort,
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

// credentials is the Secret the Elasticsearch outputs' user and password
// come from: the caller's, or one of the component's own holding the given
// password.
func (o objects) credentials() (pulumi.StringInput, error) {
	es := o.args.Elasticsearch
	return esclient.CredentialsSecret(o.ctx, o.role("elasticsearch-credentials"), o.meta(o.role("elasticsearch-credentials")), esclient.Credentials{
		ExistingSecret: es.CredentialsSecretName, UsernameKey: es.UsernameKey, PasswordKey: es.PasswordKey,
		Username: es.Username, Password: es.Password,
	}, o.parent)
}
