// Package logstash owns the Logstash that takes logs from sources outside
// the cluster (Beats on 5044, JSON over HTTP on 8080) and writes them to
// the same Elasticsearch data streams as Fluentd: a StatefulSet whose
// persistent queue lives on a volume per replica, its pipeline (a typed
// model in this package, rendered and parsed back by the same code) and
// logstash.yml (both checksummed onto the pod template), the Services, and
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
	"math"
	"regexp"
	"strings"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/esclient"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
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

// Args configure Logstash.
type Args struct {
	// Namespace it runs in (required); it must hold the Secrets named in
	// Elasticsearch.
	Namespace string
	// Replicas defaults to 1; each has its own queue volume.
	Replicas int
	// Elasticsearch is where both data streams live.
	Elasticsearch Elasticsearch
	// AppDataStream and AuditDataStream are the data streams (required), in
	// the logs-<dataset>-<namespace> form Logstash's data stream settings
	// are built from; use the same names as Fluentd.
	AppDataStream   string
	AuditDataStream string
	// QueueMaxBytes caps the persistent queue (default 1Gi); StorageSize is
	// each replica's volume (default 2Gi) and must be larger.
	QueueMaxBytes    string
	StorageSize      string
	StorageClassName string
	// HeapSize is the JVM heap (default 512Mi), below the memory limit.
	HeapSize string
	// Image defaults to DefaultImage.
	Image string
	// Resources default to 250m/1Gi requested, 2 CPUs/1Gi limit.
	Resources workload.Resources
}

// Elasticsearch is the cluster Logstash writes to.
type Elasticsearch struct {
	// Host is the HTTP Service's DNS name (required); it must be in the
	// certificate. Port defaults to 9200.
	Host string
	Port int
	// CASecretName names the Secret with the CA certificate that signed
	// the HTTP certificate (required); CASecretKey defaults to "ca.crt".
	CASecretName pulumi.StringInput
	CASecretKey  string
	// Credentials come from an existing Secret (CredentialsSecretName with
	// UsernameKey and PasswordKey, default "username" and "password") or
	// from Username and a secret Password, stored in a Secret of the
	// component's own. Exactly one of the two is required.
	CredentialsSecretName    pulumi.StringInput
	UsernameKey, PasswordKey string
	Username                 string
	Password                 pulumi.StringInput
}

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

var (
	dnsLabel   = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
	dnsName    = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	dataStream = regexp.MustCompile(`^(logs)-([a-z0-9_.]+)-([a-z0-9_.]+)$`)
	// A StatefulSet's pods get a controller-revision-hash label of name + 11 characters.
	maxNameSize = 52
)

func (a *Args) withDefaults() error {
	var errs []error
	if !dnsLabel.MatchString(a.Namespace) {
		errs = append(errs, fmt.Errorf("namespace %q is not a DNS label: pass the logs namespace the platform created", a.Namespace))
	}
	if a.Replicas == 0 {
		a.Replicas = 1
	}
	if a.Replicas < 1 {
		errs = append(errs, fmt.Errorf("replicas is %d: run at least 1", a.Replicas))
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
	def := func(v *string, dv string) {
		if *v == "" {
			*v = dv
		}
	}
	def(&a.QueueMaxBytes, "1Gi")
	def(&a.StorageSize, "2Gi")
	def(&a.HeapSize, "512Mi")
	def(&a.Image, DefaultImage)
	r := &a.Resources
	def(&r.RequestsCPU, "250m")
	def(&r.RequestsMemory, "1Gi")
	def(&r.LimitsCPU, "2")
	def(&r.LimitsMemory, "1Gi")
	q := map[string]resource.Quantity{}
	for _, f := range []struct{ key, v string }{
		{"queueMaxBytes", a.QueueMaxBytes}, {"storageSize", a.StorageSize}, {"heapSize", a.HeapSize},
		{"resources.requestsCpu", r.RequestsCPU}, {"resources.requestsMemory", r.RequestsMemory},
		{"resources.limitsCpu", r.LimitsCPU}, {"resources.limitsMemory", r.LimitsMemory},
	} {
		v, err := resource.ParseQuantity(f.v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %q is not a Kubernetes quantity: use a value such as 1Gi", f.key, f.v))
			continue
		}
		q[f.key] = v
	}
	if qb, ok := q["queueMaxBytes"]; ok && qb.Value() < 1<<20 {
		errs = append(errs, fmt.Errorf("queueMaxBytes %q is below 1Mi: the persistent queue needs at least one page", a.QueueMaxBytes))
	}
	if qb, ok := q["queueMaxBytes"]; ok {
		if st, ok := q["storageSize"]; ok && st.Cmp(qb) <= 0 {
			errs = append(errs, fmt.Errorf("storageSize %s is not larger than queueMaxBytes %s: the volume also holds Logstash's other data; make it larger", a.StorageSize, a.QueueMaxBytes))
		}
	}
	if h, ok := q["heapSize"]; ok {
		if h.Value() < 256<<20 {
			errs = append(errs, fmt.Errorf("heapSize %s is below 256Mi, too small for Logstash to start", a.HeapSize))
		}
		if lim, ok := q["resources.limitsMemory"]; ok && h.Cmp(lim) >= 0 {
			errs = append(errs, fmt.Errorf("heapSize %s is not below the memory limit %s: the JVM needs memory besides its heap; raise the limit or lower the heap", a.HeapSize, r.LimitsMemory))
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
	if e.CASecretName == nil {
		errs = append(errs, errors.New("elasticsearch.caSecretName is required: pass the Secret holding the CA that signed Elasticsearch's HTTP certificate"))
	}
	errs = append(errs, esclient.CheckCredentials(e.CredentialsSecretName != nil, e.Password != nil, e.Username)...)
	esclient.DefaultKeys(&e.CASecretKey, &e.UsernameKey, &e.PasswordKey)
	return errs
}

// buildPipeline is the pipeline for args (after defaults): Beats and HTTP
// in, JSON messages exploded, audit events tagged, two data stream outputs.
func buildPipeline(a Args) Pipeline {
	es := a.Elasticsearch
	output := func(id, stream string) Stage {
		parts := dataStream.FindStringSubmatch(stream)
		return Stage{Plugin: &Plugin{Name: "elasticsearch", Settings: []Setting{
			{"id", String(id)},
			{"hosts", Array{String(fmt.Sprintf("https://%s:%d", es.Host, es.Port))}},
			{"ssl_enabled", Bool(true)},
			{"ssl_certificate_authorities", Array{String(CADir + "/" + es.CASecretKey)}},
			{"ssl_verification_mode", String("full")},
			{"user", String("${" + EnvUser + "}")},
			{"password", String("${" + EnvPassword + "}")},
			{"data_stream", String("true")},
			{"data_stream_type", String(parts[1])},
			{"data_stream_dataset", String(parts[2])},
			{"data_stream_namespace", String(parts[3])},
			// The route decides the stream, not the event's own fields.
			{"data_stream_auto_routing", Bool(false)},
		}}}
	}
	route := Field("@metadata", "route")
	return Pipeline{
		Inputs: []Stage{
			{Plugin: &Plugin{Name: "beats", Settings: []Setting{{"id", String("in_beats")}, {"port", Number(fmt.Sprint(BeatsPort))}}}},
			// A JSON body (Content-Type: application/json) becomes the event's fields.
			{Plugin: &Plugin{Name: "http", Settings: []Setting{{"id", String("in_http")}, {"port", Number(fmt.Sprint(HTTPPort))}}}},
		},
		Filters: []Stage{
			{If: &If{Branches: []Branch{{
				When: Condition{Left: Field("message"), Op: "=~", Right: Regexp(`^\s*\{`)},
				Then: []Stage{{Plugin: &Plugin{Name: "json", Settings: []Setting{
					{"id", String("parse_json_message")},
					{"source", String("message")},
					{"skip_on_invalid_json", Bool(true)},
				}}}},
			}}}},
			{If: &If{
				Branches: []Branch{{
					When: Condition{Left: Field(conventions.AuditField), Op: "==", Right: Str(conventions.AuditValue)},
					Then: []Stage{{Plugin: &Plugin{Name: "mutate", Settings: []Setting{
						{"id", String("mark_audit")},
						{"replace", Hash{{Key: route.Value, Value: String("audit")}}},
						{"add_tag", Array{String(AuditTag)}},
						{"remove_field", Array{String("[data_stream]")}},
					}}}},
				}},
				Else: []Stage{{Plugin: &Plugin{Name: "mutate", Settings: []Setting{
					{"id", String("mark_app")},
					{"replace", Hash{{Key: route.Value, Value: String("app")}}},
					{"remove_field", Array{String("[data_stream]")}},
				}}}},
			}},
		},
		Outputs: []Stage{{If: &If{
			Branches: []Branch{{
				When: Condition{Left: route, Op: "==", Right: Str("audit")},
				Then: []Stage{output("out_es_audit", a.AuditDataStream)},
			}},
			Else: []Stage{output("out_es_app", a.AppDataStream)},
		}}},
	}
}

// settings is logstash.yml for args (after defaults).
func settings(a Args) map[string]any {
	qb := resource.MustParse(a.QueueMaxBytes)
	return map[string]any{
		// 8.x's name for http.host; the API serves the probes.
		"api.http.host": "0.0.0.0",
		"api.http.port": APIPort,
		"path.data":     DataDir,
		// Events are acknowledged once on disk, and outlive the pod.
		"queue.type":      "persisted",
		"queue.max_bytes": fmt.Sprintf("%dmb", qb.Value()>>20),
		// Legacy internal collection; Prometheus and Kibana's stack
		// monitoring are separate concerns.
		"xpack.monitoring.enabled": false,
		"config.reload.automatic":  false,
	}
}

// RenderFiles returns logstash.yml and the pipeline for an instance's args.
func RenderFiles(args Args) (settings, pipeline string, err error) {
	if err := args.withDefaults(); err != nil {
		return "", "", err
	}
	return renderFiles(args)
}

func renderFiles(a Args) (string, string, error) {
	yml, err := encoding.YAML(settings(a))
	if err != nil {
		return "", "", err
	}
	pipeline, err := Render(buildPipeline(a))
	if err != nil {
		return "", "", err
	}
	return yml, pipeline, nil
}

// New creates Logstash.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Logstash, error) {
	fail := func(err error) (*Logstash, error) { return nil, fmt.Errorf("logstash %q: %w", name, err) }
	var nameErr error
	if !dnsLabel.MatchString(name) || len(name) > maxNameSize {
		nameErr = fmt.Errorf("the name must be a DNS label of at most %d characters: it names the Kubernetes objects", maxNameSize)
	}
	if err := errors.Join(nameErr, args.withDefaults()); err != nil {
		return fail(err)
	}
	settingsYAML, pipelineConf, err := renderFiles(args)
	if err != nil {
		return fail(err)
	}

	c := &Logstash{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	role := func(r string) string { return conventions.Child(name, r) }
	lbl := labels.Set{Name: "logstash", Instance: name, Component: "log-ingest", Version: imageTag(args.Image)}
	ns := pulumi.String(args.Namespace)
	meta := func(objName string) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: ns, Labels: lbl.Labels()}
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

	settingsFiles := map[string]string{"logstash.yml": settingsYAML}
	pipelineFiles := map[string]string{PipelineFile: pipelineConf}
	settingsCM, err := corev1.NewConfigMap(ctx, role("settings"), &corev1.ConfigMapArgs{
		Metadata: meta(name + "-settings"), Data: pulumi.ToStringMap(settingsFiles),
	}, parent)
	if err != nil {
		return fail(err)
	}
	pipelineCM, err := corev1.NewConfigMap(ctx, role("pipeline"), &corev1.ConfigMapArgs{
		Metadata: meta(name + "-pipeline"), Data: pulumi.ToStringMap(pipelineFiles),
	}, parent)
	if err != nil {
		return fail(err)
	}

	ports := func() corev1.ServicePortArray {
		out := corev1.ServicePortArray{}
		for _, p := range []struct {
			name string
			port int
		}{{"beats", BeatsPort}, {"http", HTTPPort}} {
			out = append(out, &corev1.ServicePortArgs{Name: pulumi.String(p.name), Port: pulumi.Int(p.port), TargetPort: pulumi.String(p.name), Protocol: pulumi.String("TCP")})
		}
		return out
	}
	headless, err := corev1.NewService(ctx, role("headless-service"), &corev1.ServiceArgs{
		Metadata: meta(name + "-headless"),
		Spec:     &corev1.ServiceSpecArgs{ClusterIP: pulumi.String("None"), Selector: lbl.Selector(), Ports: ports()},
	}, parent)
	if err != nil {
		return fail(err)
	}
	svc, err := corev1.NewService(ctx, role("service"), &corev1.ServiceArgs{
		Metadata: meta(name),
		Spec:     &corev1.ServiceSpecArgs{Type: pulumi.String("ClusterIP"), Selector: lbl.Selector(), Ports: ports()},
	}, parent)
	if err != nil {
		return fail(err)
	}

	annotations := encoding.ChecksumAnnotation("settings", settingsFiles)
	for k, v := range encoding.ChecksumAnnotation("pipeline", pipelineFiles) {
		annotations[k] = v
	}
	claim := workload.VolumeClaim("data", args.StorageSize, lbl.Labels())
	if args.StorageClassName != "" {
		claim.Spec.(*corev1.PersistentVolumeClaimSpecArgs).StorageClassName = pulumi.String(args.StorageClassName)
	}
	if _, err := appsv1.NewStatefulSet(ctx, role("statefulset"), &appsv1.StatefulSetArgs{
		Metadata: meta(name),
		Spec: &appsv1.StatefulSetSpecArgs{
			Replicas:    pulumi.Int(args.Replicas),
			ServiceName: headless.Metadata.Name().Elem(),
			// Replicas are independent; none waits for another.
			PodManagementPolicy: pulumi.String("Parallel"),
			Selector:            &metav1.LabelSelectorArgs{MatchLabels: lbl.Selector()},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: lbl.Labels(), Annotations: pulumi.ToStringMap(annotations)},
				Spec:     podSpec(args, lbl, settingsCM.Metadata.Name().Elem(), pipelineCM.Metadata.Name().Elem(), credSecret),
			},
			VolumeClaimTemplates: corev1.PersistentVolumeClaimTypeArray{claim},
		},
	}, parent); err != nil {
		return fail(err)
	}
	if args.Replicas > 1 {
		if _, err := policyv1.NewPodDisruptionBudget(ctx, role("pdb"), &policyv1.PodDisruptionBudgetArgs{
			Metadata: meta(name),
			Spec: &policyv1.PodDisruptionBudgetSpecArgs{
				MaxUnavailable: pulumi.Int(1),
				Selector:       &metav1.LabelSelectorArgs{MatchLabels: lbl.Selector()},
			},
		}, parent); err != nil {
			return fail(err)
		}
	}

	host := pulumi.Sprintf("%s.%s.svc", svc.Metadata.Name().Elem(), args.Namespace)
	c.ServiceName = svc.Metadata.Name().Elem()
	c.Namespace = pulumi.String(args.Namespace).ToStringOutput()
	c.BeatsEndpoint = pulumi.Sprintf("%s:%d", host, BeatsPort)
	c.HTTPURL = pulumi.Sprintf("http://%s:%d", host, HTTPPort)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"serviceName":   c.ServiceName,
		"namespace":     c.Namespace,
		"beatsEndpoint": c.BeatsEndpoint,
		"httpUrl":       c.HTTPURL,
	})
}

func podSpec(args Args, lbl labels.Set, settings, pipeline, credentials pulumi.StringInput) *corev1.PodSpecArgs {
	es := args.Elasticsearch
	secretEnv := func(env, key string) *corev1.EnvVarArgs {
		return &corev1.EnvVarArgs{Name: pulumi.String(env), ValueFrom: &corev1.EnvVarSourceArgs{
			SecretKeyRef: &corev1.SecretKeySelectorArgs{Name: credentials, Key: pulumi.String(key)},
		}}
	}
	heap := jvmSize(resource.MustParse(args.HeapSize))
	spec := &corev1.PodSpecArgs{
		NodeSelector: pulumi.StringMap{"kubernetes.io/os": pulumi.String("linux")},
		// The entrypoint copies any environment variable named like a
		// setting into logstash.yml, which is read-only here; Service links
		// (a Service "api-http" gives API_HTTP_PORT) could name one.
		EnableServiceLinks: pulumi.Bool(false),
		// Logstash never calls the Kubernetes API.
		AutomountServiceAccountToken: pulumi.Bool(false),
		SecurityContext:              workload.PodSecurity(uid),
		Containers: corev1.ContainerArray{&corev1.ContainerArgs{
			Name:  pulumi.String("logstash"),
			Image: pulumi.String(args.Image),
			// None of these is named like a setting (see EnableServiceLinks).
			Env: corev1.EnvVarArray{
				&corev1.EnvVarArgs{Name: pulumi.String("LS_JAVA_OPTS"), Value: pulumi.String("-Xms" + heap + " -Xmx" + heap)},
				secretEnv(EnvUser, es.UsernameKey),
				secretEnv(EnvPassword, es.PasswordKey),
			},
			Ports: corev1.ContainerPortArray{
				&corev1.ContainerPortArgs{Name: pulumi.String("beats"), ContainerPort: pulumi.Int(BeatsPort), Protocol: pulumi.String("TCP")},
				&corev1.ContainerPortArgs{Name: pulumi.String("http"), ContainerPort: pulumi.Int(HTTPPort), Protocol: pulumi.String("TCP")},
				&corev1.ContainerPortArgs{Name: pulumi.String("api"), ContainerPort: pulumi.Int(APIPort), Protocol: pulumi.String("TCP")},
			},
			Resources: args.Resources.Args(),
			// The JVM and the pipeline take a while to start.
			LivenessProbe:   workload.HTTPProbe("/", APIPort, 120, 30),
			ReadinessProbe:  workload.HTTPProbe("/", APIPort, 30, 10),
			SecurityContext: workload.RestrictedContainer(),
			VolumeMounts: corev1.VolumeMountArray{
				&corev1.VolumeMountArgs{Name: pulumi.String("settings"), MountPath: pulumi.String(SettingsFile), SubPath: pulumi.String("logstash.yml"), ReadOnly: pulumi.Bool(true)},
				workload.Mount("pipeline", PipelineDir, true),
				workload.Mount("elasticsearch-ca", CADir, true),
				workload.Mount("data", DataDir, false),
				workload.Mount("tmp", "/tmp", false),
			},
		}},
		Volumes: corev1.VolumeArray{
			workload.ConfigMapVolume("settings", settings),
			workload.ConfigMapVolume("pipeline", pipeline),
			workload.SecretVolume("elasticsearch-ca", es.CASecretName),
			workload.EmptyDir("tmp"),
		},
		// Time to write in-flight batches to the queue on the way out.
		TerminationGracePeriodSeconds: pulumi.Int(60),
	}
	if args.Replicas > 1 {
		spec.Affinity = workload.SpreadAcrossNodes(lbl.Selector())
	}
	return spec
}

// jvmSize spells a quantity for -Xms/-Xmx in whole mebibytes.
func jvmSize(q resource.Quantity) string {
	return fmt.Sprintf("%dm", int64(math.Floor(float64(q.Value())/(1<<20))))
}

// imageTag is the tag of an image reference, for the version label.
func imageTag(image string) string {
	ref := image
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref[i+1:]
	}
	return ""
}
