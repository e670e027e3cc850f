// Package fluentd owns the node-level log collector: a Fluentd DaemonSet
// that tails every container's log, adds Kubernetes metadata, parses JSON
// application logs and ships them to two Elasticsearch data streams, one
// for audit events and one for everything else; its least-privilege RBAC;
// the generated fluent.conf (a typed model in this package, rendered and
// parsed back by the same code, checksummed onto the pod template); and the
// Secret holding the Elasticsearch credentials when the caller passes a
// password rather than a Secret. It does not own Elasticsearch, its CA or
// users, the index templates and lifecycle policies of the data streams,
// or the namespace it runs in, and it never reads stack config.
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
	"regexp"
	"slices"
	"strings"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	rbacv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/rbac/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/esclient"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Fluentd"

// DefaultImage pins Fluentd 1.19 with the Elasticsearch 8 plugin set.
const DefaultImage = "fluent/fluentd-kubernetes-daemonset:v1.19.3-debian-elasticsearch8-1.1"

// ConfigFile is the file the image's entrypoint starts Fluentd with.
const ConfigFile = "fluent.conf"

// Args configure the collector.
type Args struct {
	// Namespace the DaemonSet runs in (required). It must admit privileged
	// pods and hold the Secrets named in Elasticsearch.
	Namespace string
	// Elasticsearch is where both data streams live.
	Elasticsearch Elasticsearch
	// AppDataStream and AuditDataStream name the data streams (required),
	// in Elasticsearch's logs-<dataset>-<namespace> scheme, so Logstash
	// can write the same streams, e.g. "logs-klearkarma.app-default".
	AppDataStream   string
	AuditDataStream string
	// AppRetention and AuditRetention name the index template and
	// lifecycle policy the retention job creates for each stream. The
	// plugin creates its own (a priority-0 template and a policy without a
	// delete phase) only when neither the stream nor a template of that
	// name exists; naming the job's objects here keeps it from doing so.
	// Empty fields keep the plugin's defaults, "<stream>_template" and
	// "<stream>_policy".
	AppRetention, AuditRetention Retention
	// Buffer tunes both outputs' file buffers; zero fields take the seed's
	// values (see DefaultBuffer).
	Buffer BufferSettings
	// Image defaults to DefaultImage.
	Image string
	// Resources default to 100m/256Mi requested, 1 CPU/512Mi limit.
	Resources workload.Resources
	// PriorityClassName, if set, keeps the collector scheduled on full nodes
	// (e.g. "system-node-critical").
	PriorityClassName string
}

// Elasticsearch is the cluster the collector writes to.
type Elasticsearch struct {
	// Host is the HTTP Service's DNS name (required), e.g.
	// "elasticsearch-http.logging.svc"; it must be in the certificate.
	Host string
	// Port defaults to 9200; Scheme to "https".
	Port   int
	Scheme string
	// CASecretName names the Secret with the CA certificate that signed
	// the HTTP certificate (required with https); CASecretKey is its key,
	// "ca.crt" by default.
	CASecretName pulumi.StringInput
	CASecretKey  string
	// Credentials come from an existing Secret (CredentialsSecretName with
	// UsernameKey and PasswordKey, default "username" and "password") or
	// from Username and a secret Password, which the component stores in
	// a Secret of its own. Exactly one of the two is required.
	CredentialsSecretName    pulumi.StringInput
	UsernameKey, PasswordKey string
	Username                 string
	Password                 pulumi.StringInput
}

// Retention names a data stream's index template and lifecycle policy.
type Retention struct {
	IndexTemplate string
	ILMPolicy     string
}

// BufferSettings are the file buffer settings shared by both outputs.
type BufferSettings struct {
	FlushMode        string
	FlushInterval    string
	FlushThreadCount int
	RetryType        string
	RetryMaxInterval string
	// RetryMaxTimes > 0 drops a chunk after that many retries; zero retries
	// forever, as the seed does.
	RetryMaxTimes    int
	ChunkLimitSize   string
	QueueLimitLength int
	OverflowAction   string
}

// DefaultBuffer is the seed's buffer: interval flushes every 5s on two
// threads, exponential backoff capped at 30s and retried forever, 2M
// chunks, at most 8 queued, and back-pressure (block) when full.
var DefaultBuffer = BufferSettings{
	FlushMode:        "interval",
	FlushInterval:    "5s",
	FlushThreadCount: 2,
	RetryType:        "exponential_backoff",
	RetryMaxInterval: "30",
	ChunkLimitSize:   "2M",
	QueueLimitLength: 8,
	OverflowAction:   "block",
}

// Buffer is the <buffer> section of one output writing chunks under path.
func (s BufferSettings) Buffer(path string) Buffer {
	b := Buffer{
		Type: "file", Path: path,
		FlushMode: s.FlushMode, RetryType: s.RetryType, FlushThreadCount: s.FlushThreadCount,
		FlushInterval: s.FlushInterval, RetryForever: s.RetryMaxTimes == 0, RetryMaxInterval: s.RetryMaxInterval,
		ChunkLimitSize: s.ChunkLimitSize, QueueLimitLength: s.QueueLimitLength, OverflowAction: s.OverflowAction,
	}
	if s.RetryMaxTimes > 0 {
		b.Extra = Params{P("retry_max_times", fmt.Sprint(s.RetryMaxTimes))}
	}
	return b
}

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

var (
	dnsLabel   = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
	dnsName    = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	fluentTime = regexp.MustCompile(`^\d+(\.\d+)?[smhd]?$`)
	fluentSize = regexp.MustCompile(`^\d+(\.\d+)?[kKmMgGtT]?$`)
	// dataStream is Elasticsearch's logs-<dataset>-<namespace>: lower case,
	// no '-' inside dataset or namespace.
	dataStream  = regexp.MustCompile(`^logs-[a-z0-9_.]+-[a-z0-9_.]+$`)
	objectName  = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)
	oneOf       = func(v string, allowed ...string) bool { return v == "" || slices.Contains(allowed, v) }
	maxNameSize = 50 // DaemonSet pods get "-xxxxx"; the hostPath adds the namespace
)

func (a *Args) withDefaults() error {
	var errs []error
	if !dnsLabel.MatchString(a.Namespace) {
		errs = append(errs, fmt.Errorf("namespace %q is not a DNS label: pass the logs namespace the platform created", a.Namespace))
	}
	errs = append(errs, a.Elasticsearch.withDefaults()...)
	for _, s := range []struct{ key, v string }{{"appDataStream", a.AppDataStream}, {"auditDataStream", a.AuditDataStream}} {
		if !dataStream.MatchString(s.v) {
			errs = append(errs, fmt.Errorf("%s %q is not a data stream name: use logs-<dataset>-<namespace> in lower case, e.g. logs-klearkarma.app-default", s.key, s.v))
		}
	}
	if a.AppDataStream != "" && a.AppDataStream == a.AuditDataStream {
		errs = append(errs, fmt.Errorf("appDataStream and auditDataStream are both %q: audit events need their own stream for their own retention", a.AppDataStream))
	}
	for _, r := range []struct {
		key string
		v   string
	}{
		{"appRetention.indexTemplate", a.AppRetention.IndexTemplate}, {"appRetention.ilmPolicy", a.AppRetention.ILMPolicy},
		{"auditRetention.indexTemplate", a.AuditRetention.IndexTemplate}, {"auditRetention.ilmPolicy", a.AuditRetention.ILMPolicy},
	} {
		if r.v != "" && !objectName.MatchString(r.v) {
			errs = append(errs, fmt.Errorf("%s %q is not an Elasticsearch object name: use lower case letters, digits, '-', '_' or '.'", r.key, r.v))
		}
	}
	errs = append(errs, a.Buffer.withDefaults()...)
	if a.Image == "" {
		a.Image = DefaultImage
	}
	r := &a.Resources
	for _, f := range []struct {
		key string
		v   *string
		def string
	}{
		{"resources.requestsCpu", &r.RequestsCPU, "100m"},
		{"resources.requestsMemory", &r.RequestsMemory, "256Mi"},
		{"resources.limitsCpu", &r.LimitsCPU, "1"},
		{"resources.limitsMemory", &r.LimitsMemory, "512Mi"},
	} {
		if *f.v == "" {
			*f.v = f.def
		}
		if _, err := resource.ParseQuantity(*f.v); err != nil {
			errs = append(errs, fmt.Errorf("%s %q is not a Kubernetes quantity: use a value such as 512Mi", f.key, *f.v))
		}
	}
	return errors.Join(errs...)
}

func (e *Elasticsearch) withDefaults() []error {
	var errs []error
	if e.Host == "" {
		errs = append(errs, errors.New("elasticsearch.host is required: pass the Elasticsearch HTTP Service's DNS name"))
	} else if !dnsName.MatchString(e.Host) {
		errs = append(errs, fmt.Errorf("elasticsearch.host %q is not a DNS name: pass a host name without scheme or port", e.Host))
	}
	if e.Port == 0 {
		e.Port = 9200
	}
	if e.Port < 1 || e.Port > 65535 {
		errs = append(errs, fmt.Errorf("elasticsearch.port %d is not a TCP port", e.Port))
	}
	if e.Scheme == "" {
		e.Scheme = "https"
	}
	switch e.Scheme {
	case "https":
		if e.CASecretName == nil {
			errs = append(errs, errors.New("elasticsearch.caSecretName is required with https: pass the Secret holding the CA that signed Elasticsearch's HTTP certificate"))
		}
	case "http":
		if e.CASecretName != nil {
			errs = append(errs, errors.New("elasticsearch.caSecretName is set but the scheme is http: use https, or drop the CA"))
		}
	default:
		errs = append(errs, fmt.Errorf("elasticsearch.scheme %q must be https or http", e.Scheme))
	}
	errs = append(errs, esclient.CheckCredentials(e.CredentialsSecretName != nil, e.Password != nil, e.Username)...)
	esclient.DefaultKeys(&e.CASecretKey, &e.UsernameKey, &e.PasswordKey)
	return errs
}

func (b *BufferSettings) withDefaults() []error {
	d := DefaultBuffer
	def := func(v *string, dv string) {
		if *v == "" {
			*v = dv
		}
	}
	def(&b.FlushMode, d.FlushMode)
	def(&b.FlushInterval, d.FlushInterval)
	def(&b.RetryType, d.RetryType)
	def(&b.RetryMaxInterval, d.RetryMaxInterval)
	def(&b.ChunkLimitSize, d.ChunkLimitSize)
	def(&b.OverflowAction, d.OverflowAction)
	if b.FlushThreadCount == 0 {
		b.FlushThreadCount = d.FlushThreadCount
	}
	if b.QueueLimitLength == 0 {
		b.QueueLimitLength = d.QueueLimitLength
	}
	var errs []error
	if !oneOf(b.FlushMode, "default", "lazy", "interval", "immediate") {
		errs = append(errs, fmt.Errorf("buffer.flushMode %q must be default, lazy, interval or immediate", b.FlushMode))
	}
	if !oneOf(b.RetryType, "exponential_backoff", "periodic") {
		errs = append(errs, fmt.Errorf("buffer.retryType %q must be exponential_backoff or periodic", b.RetryType))
	}
	if !oneOf(b.OverflowAction, "throw_exception", "block", "drop_oldest_chunk") {
		errs = append(errs, fmt.Errorf("buffer.overflowAction %q must be throw_exception, block or drop_oldest_chunk", b.OverflowAction))
	}
	for _, t := range []struct{ key, v string }{{"buffer.flushInterval", b.FlushInterval}, {"buffer.retryMaxInterval", b.RetryMaxInterval}} {
		if !fluentTime.MatchString(t.v) {
			errs = append(errs, fmt.Errorf("%s %q is not a Fluentd duration: use a value such as 5s or 30", t.key, t.v))
		}
	}
	if !fluentSize.MatchString(b.ChunkLimitSize) {
		errs = append(errs, fmt.Errorf("buffer.chunkLimitSize %q is not a Fluentd size: use a value such as 2M", b.ChunkLimitSize))
	}
	for _, n := range []struct {
		key string
		v   int
	}{{"buffer.flushThreadCount", b.FlushThreadCount}, {"buffer.queueLimitLength", b.QueueLimitLength}, {"buffer.retryMaxTimes", b.RetryMaxTimes + 1}} {
		if n.v < 1 {
			errs = append(errs, fmt.Errorf("%s must be positive", n.key))
		}
	}
	return errs
}

// RenderConfig is the fluent.conf an instance named name renders for args;
// the component puts exactly this in its ConfigMap.
func RenderConfig(name string, args Args) (string, error) {
	if err := args.withDefaults(); err != nil {
		return "", err
	}
	return Render(buildConfig(args.pipeline(name)))
}

func (a Args) pipeline(name string) pipeline {
	es := a.Elasticsearch
	return pipeline{
		// The kubelet names the file <pod>_<namespace>_<container>-<id>.log,
		// and DaemonSet pods are named <daemonset>-<suffix>.
		selfLogs: fmt.Sprintf("/var/log/containers/%s-*_%s_%s-*.log", name, a.Namespace, ContainerName),
		host:     es.Host, port: es.Port, scheme: es.Scheme,
		caFile: CADir + "/" + es.CASecretKey,
		app:    stream{name: a.AppDataStream, template: a.AppRetention.IndexTemplate, ilmPolicy: a.AppRetention.ILMPolicy, bufferPath: StateDir + "/buffers/app"},
		audit:  stream{name: a.AuditDataStream, template: a.AuditRetention.IndexTemplate, ilmPolicy: a.AuditRetention.ILMPolicy, bufferPath: StateDir + "/buffers/audit"},
		buffer: a.Buffer,
	}
}

// New creates the collector.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Fluentd, error) {
	fail := func(err error) (*Fluentd, error) { return nil, fmt.Errorf("fluentd %q: %w", name, err) }
	var nameErr error
	if !dnsLabel.MatchString(name) || len(name) > maxNameSize {
		nameErr = fmt.Errorf("the name must be a DNS label of at most %d characters: it names the Kubernetes objects and the node's state directory", maxNameSize)
	}
	if err := errors.Join(nameErr, args.withDefaults()); err != nil {
		return fail(err)
	}
	conf, err := Render(buildConfig(args.pipeline(name)))
	if err != nil {
		return fail(err)
	}

	c := &Fluentd{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	role := func(r string) string { return conventions.Child(name, r) }
	lbl := labels.Set{Name: "fluentd", Instance: name, Component: "log-collector", Version: imageTag(args.Image)}
	ns := pulumi.String(args.Namespace)
	meta := func(objName string) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: ns, Labels: lbl.Labels()}
	}

	sa, err := corev1.NewServiceAccount(ctx, role("serviceaccount"), &corev1.ServiceAccountArgs{Metadata: meta(name)}, parent)
	if err != nil {
		return fail(err)
	}
	// kubernetes_metadata reads pods and their namespaces, nothing else.
	clusterName := args.Namespace + "-" + name
	clusterRole, err := rbacv1.NewClusterRole(ctx, role("clusterrole"), &rbacv1.ClusterRoleArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(clusterName), Labels: lbl.Labels()},
		Rules: rbacv1.PolicyRuleArray{&rbacv1.PolicyRuleArgs{
			ApiGroups: pulumi.ToStringArray([]string{""}),
			Resources: pulumi.ToStringArray([]string{"pods", "namespaces"}),
			Verbs:     pulumi.ToStringArray([]string{"get", "list", "watch"}),
		}},
	}, parent)
	if err != nil {
		return fail(err)
	}
	if _, err := rbacv1.NewClusterRoleBinding(ctx, role("clusterrolebinding"), &rbacv1.ClusterRoleBindingArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(clusterName), Labels: lbl.Labels()},
		RoleRef:  &rbacv1.RoleRefArgs{ApiGroup: pulumi.String("rbac.authorization.k8s.io"), Kind: pulumi.String("ClusterRole"), Name: clusterRole.Metadata.Name().Elem()},
		Subjects: rbacv1.SubjectArray{&rbacv1.SubjectArgs{Kind: pulumi.String("ServiceAccount"), Name: sa.Metadata.Name().Elem(), Namespace: ns}},
	}, parent); err != nil {
		return fail(err)
	}

	es := args.Elasticsearch
	credSecret := es.CredentialsSecretName
	if es.Password != nil {
		s, err := corev1.NewSecret(ctx, role("elasticsearch-credentials"), &corev1.SecretArgs{
			Metadata: meta(name + "-elasticsearch-credentials"),
			Type:     pulumi.String("Opaque"),
			StringData: pulumi.StringMap{
				es.UsernameKey: pulumi.String(es.Username),
				es.PasswordKey: pulumi.ToSecret(es.Password.ToStringOutput()).(pulumi.StringOutput),
			},
		}, parent)
		if err != nil {
			return fail(err)
		}
		credSecret = s.Metadata.Name().Elem()
	}

	files := map[string]string{ConfigFile: conf}
	cm, err := corev1.NewConfigMap(ctx, role("config"), &corev1.ConfigMapArgs{
		Metadata: meta(name + "-config"),
		Data:     pulumi.ToStringMap(files),
	}, parent)
	if err != nil {
		return fail(err)
	}

	annotations := encoding.ChecksumAnnotation("config", files)
	for k, v := range workload.ScrapeAnnotations(MetricsPort, "/metrics") {
		annotations[k] = v
	}
	ds, err := appsv1.NewDaemonSet(ctx, role("daemonset"), &appsv1.DaemonSetArgs{
		Metadata: meta(name),
		Spec: &appsv1.DaemonSetSpecArgs{
			Selector:       &metav1.LabelSelectorArgs{MatchLabels: lbl.Selector()},
			UpdateStrategy: &appsv1.DaemonSetUpdateStrategyArgs{Type: pulumi.String("RollingUpdate")},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: lbl.Labels(), Annotations: pulumi.ToStringMap(annotations)},
				Spec:     podSpec(name, args, sa.Metadata.Name().Elem(), cm.Metadata.Name().Elem(), credSecret),
			},
		},
	}, parent)
	if err != nil {
		return fail(err)
	}

	c.DaemonSetName = ds.Metadata.Name().Elem()
	c.ServiceAccountName = sa.Metadata.Name().Elem()
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

func podSpec(name string, args Args, serviceAccount, configMap, credentials pulumi.StringInput) *corev1.PodSpecArgs {
	es := args.Elasticsearch
	secretEnv := func(env, key string) *corev1.EnvVarArgs {
		return &corev1.EnvVarArgs{Name: pulumi.String(env), ValueFrom: &corev1.EnvVarSourceArgs{
			SecretKeyRef: &corev1.SecretKeySelectorArgs{Name: credentials, Key: pulumi.String(key)},
		}}
	}
	hostPath := func(vol, path, typ string) *corev1.VolumeArgs {
		return &corev1.VolumeArgs{Name: pulumi.String(vol), HostPath: &corev1.HostPathVolumeSourceArgs{Path: pulumi.String(path), Type: pulumi.String(typ)}}
	}
	mounts := corev1.VolumeMountArray{
		workload.Mount("config", ConfigDir, true),
		workload.Mount("varlog", "/var/log", true),
		workload.Mount("state", StateDir, false),
	}
	volumes := corev1.VolumeArray{
		workload.ConfigMapVolume("config", configMap),
		hostPath("varlog", "/var/log", "Directory"),
		// One directory per instance: two collectors must not share
		// positions or buffers.
		hostPath("state", StateDir+"/"+args.Namespace+"-"+name, "DirectoryOrCreate"),
	}
	if es.Scheme == "https" {
		mounts = append(mounts, workload.Mount("elasticsearch-ca", CADir, true))
		volumes = append(volumes, workload.SecretVolume("elasticsearch-ca", es.CASecretName))
	}
	spec := &corev1.PodSpecArgs{
		ServiceAccountName: serviceAccount,
		SecurityContext: &corev1.PodSecurityContextArgs{
			// Container logs are readable by root only.
			RunAsUser:      pulumi.Int(0),
			RunAsGroup:     pulumi.Int(0),
			RunAsNonRoot:   pulumi.Bool(false),
			SeccompProfile: &corev1.SeccompProfileArgs{Type: pulumi.String("RuntimeDefault")},
		},
		// Every Linux node's logs, whatever its taints.
		NodeSelector: pulumi.StringMap{"kubernetes.io/os": pulumi.String("linux")},
		Tolerations:  corev1.TolerationArray{&corev1.TolerationArgs{Operator: pulumi.String("Exists")}},
		Containers: corev1.ContainerArray{&corev1.ContainerArgs{
			Name:  pulumi.String(ContainerName),
			Image: pulumi.String(args.Image),
			Env: corev1.EnvVarArray{
				// kubernetes_metadata watches only this node's pods.
				&corev1.EnvVarArgs{Name: pulumi.String("K8S_NODE_NAME"), ValueFrom: &corev1.EnvVarSourceArgs{
					FieldRef: &corev1.ObjectFieldSelectorArgs{FieldPath: pulumi.String("spec.nodeName")},
				}},
				&corev1.EnvVarArgs{Name: pulumi.String("FLUENTD_CONF"), Value: pulumi.String(ConfigFile)},
				secretEnv(EnvUser, es.UsernameKey),
				secretEnv(EnvPassword, es.PasswordKey),
			},
			Ports: corev1.ContainerPortArray{&corev1.ContainerPortArgs{
				Name: pulumi.String("metrics"), ContainerPort: pulumi.Int(MetricsPort), Protocol: pulumi.String("TCP"),
			}},
			Resources:      args.Resources.Args(),
			LivenessProbe:  workload.HTTPProbe("/metrics", MetricsPort, 30, 30),
			ReadinessProbe: workload.HTTPProbe("/metrics", MetricsPort, 10, 10),
			SecurityContext: &corev1.SecurityContextArgs{
				AllowPrivilegeEscalation: pulumi.Bool(false),
				// The image's entrypoint starts Fluentd with --gemfile, and
				// Bundler may write under /fluentd; a read-only root is left
				// for when that is proven not to happen.
				ReadOnlyRootFilesystem: pulumi.Bool(false),
				RunAsNonRoot:           pulumi.Bool(false),
				// Root reads and writes root-owned files as their owner; it
				// needs no capability for that.
				Capabilities: &corev1.CapabilitiesArgs{Drop: pulumi.ToStringArray([]string{"ALL"})},
			},
			VolumeMounts: mounts,
		}},
		Volumes: volumes,
		// Buffers are on disk; there is nothing to flush on the way out.
		TerminationGracePeriodSeconds: pulumi.Int(30),
	}
	if args.PriorityClassName != "" {
		spec.PriorityClassName = pulumi.String(args.PriorityClassName)
	}
	return spec
}

// imageTag is the tag of an image reference, for the version label.
func imageTag(image string) string {
	ref := image
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		tag := ref[i+1:]
		if len(tag) > 63 {
			tag = tag[:63]
		}
		return tag
	}
	return ""
}
