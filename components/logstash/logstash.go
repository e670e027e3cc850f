// Package logstash owns the Logstash that takes logs from sources outside
// the cluster (Beats on 5044, JSON over HTTP on 8080) and writes them to
// the same Elasticsearch data streams as Fluentd: a StatefulSet whose
// persistent queue lives on a volume per replica, its pipeline (built on
// the typed model of internal/pipeline, which renders it and parses it
// back) and logstash.yml (both checksummed onto the pod template), the
// Services, and
// the Secret holding the Elasticsearch credentials when the caller passes
// a password rather than a Secret. It does not own Elasticsearch, its CA or
// users, the data streams' templates and policies, the namespace, or any
// way in from outside the cluster (the Service is ClusterIP; its inputs
// have no TLS or authentication of their own), and it never reads stack
// config.
//
// Routing uses the log schema's audit marker (conventions.AuditField equal
// to conventions.AuditValue, i.e. "log_type": "audit"), as Fluentd does: a
// Beats event whose message is JSON is exploded first, an HTTP event
// arrives as fields already. Audit events get the tag "audit" and go to AuditDataStream,
// everything else to AppDataStream. The route lives in
// [@metadata][route], which is never indexed, and data_stream_auto_routing
// is off, so a sender cannot pick another data stream through its own
// data_stream fields.
//
// Credentials are read at start: after rotating the password, restart the
// StatefulSet.
//
// A StatefulSet rather than a Deployment: with the persistent queue, an
// event is acknowledged to its sender once it is on disk, and survives a
// restart (every configuration change rolls the pods) or an Elasticsearch
// outage up to QueueMaxBytes. Scaling down leaves the removed replicas'
// claims, and any events still queued on them, behind.
package logstash

import (
	"errors"
	"fmt"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/esclient"
	"github.com/klearkarma/observability/internal/jsonprobe"
	"github.com/klearkarma/observability/internal/labels"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Logstash"

// DefaultImage pins Logstash 8.19, the Elasticsearch 8 line.
const DefaultImage = "docker.elastic.co/logstash/logstash:8.19.18"

// Ports.
const (
	BeatsPort = 5044
	HTTPPort  = 8080
	APIPort   = 9600
)

// Paths inside the pod and file names.
const (
	home         = "/usr/share/logstash"
	PipelineDir  = home + "/pipeline"
	SettingsFile = home + "/config/logstash.yml"
	CADir        = home + "/config/elasticsearch-ca"
	DataDir      = home + "/data"
	PipelineFile = "klearkarma.conf"
	// The image runs Logstash as uid 1000.
	uid = 1000
)

// Environment variables the pipeline reads credentials from.
const (
	EnvUser     = "ELASTICSEARCH_USER"
	EnvPassword = "ELASTICSEARCH_PASSWORD"
)

// AuditTag marks audit events.
const AuditTag = "audit"

// Logstash is the component.
type Logstash struct {
	pulumi.ResourceState

	// ServiceName is the ClusterIP Service with the beats and http ports.
	ServiceName pulumi.StringOutput `pulumi:"serviceName"`
	Namespace   pulumi.StringOutput `pulumi:"namespace"`
	// BeatsEndpoint is host:port for Beats' output.logstash.hosts.
	BeatsEndpoint pulumi.StringOutput `pulumi:"beatsEndpoint"`
	// HTTPURL takes JSON events by POST.
	HTTPURL pulumi.StringOutput `pulumi:"httpUrl"`
}

// New creates Logstash.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Logstash, error) {
	fail := func(err error) (*Logstash, error) { return nil, fmt.Errorf("logstash %q: %w", name, err) }
	if err := errors.Join(checkName(name), args.withDefaults()); err != nil {
		return fail(err)
	}
	settingsYAML, pipelineConf, err := renderFiles(args)
	if err != nil {
		return fail(err)
	}
	probeYAML, err := StatsProbe().Render()
	if err != nil {
		return fail(err)
	}

	c := &Logstash{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	o := objects{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c), labels: labels.Set{
		Name: "logstash", Instance: name, Component: "log-ingest", Version: conventions.VersionFromImage(args.Image),
	}}
	credentials, err := o.credentials()
	if err != nil {
		return fail(err)
	}
	files := configFiles{
		settings: map[string]string{"logstash.yml": settingsYAML, jsonprobe.ConfigFile: probeYAML},
		pipeline: map[string]string{PipelineFile: pipelineConf},
	}
	settingsCM, err := o.configMap("settings", files.settings)
	if err != nil {
		return fail(err)
	}
	pipelineCM, err := o.configMap("pipeline", files.pipeline)
	if err != nil {
		return fail(err)
	}
	headless, svc, err := o.services()
	if err != nil {
		return fail(err)
	}
	if err := o.statefulSet(files, headless, settingsCM, pipelineCM, credentials); err != nil {
		return fail(err)
	}

	svcName := svc.Metadata.Name().Elem()
	c.ServiceName = svcName
	c.Namespace = pulumi.String(args.Namespace).ToStringOutput()
	c.BeatsEndpoint = svcName.ApplyT(func(s string) string {
		return fmt.Sprintf("%s:%d", conventions.ServiceHost(s, args.Namespace), BeatsPort)
	}).(pulumi.StringOutput)
	c.HTTPURL = conventions.ServiceURLOutput("http", svcName, args.Namespace, HTTPPort)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"serviceName":   c.ServiceName,
		"namespace":     c.Namespace,
		"beatsEndpoint": c.BeatsEndpoint,
		"httpUrl":       c.HTTPURL,
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

// configMap holds one set of rendered files, named after its role.
func (o objects) configMap(role string, files map[string]string) (*corev1.ConfigMap, error) {
	return corev1.NewConfigMap(o.ctx, o.role(role), &corev1.ConfigMapArgs{
		Metadata: o.meta(o.role(role)), Data: pulumi.ToStringMap(files),
	}, o.parent)
}
