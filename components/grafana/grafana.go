// Package grafana owns the in-cluster Grafana: its service account, the
// Secret with the admin credentials, grafana.ini, the Deployment, Service
// and optional Ingress, and the Grafana objects the platform ships (team
// folders, datasources, dashboards).
//
// Those objects have one description, Args, and two ways into Grafana:
//
//   - API set (dev, prod): an explicit grafana provider built from API.URL
//     and API.Auth manages every folder, datasource and dashboard through
//     Grafana's HTTP API. Nothing is file-provisioned, and Grafana's data
//     directory is a volume claim, because those objects live in Grafana's
//     database.
//   - API nil (the offline local stack): the same datasources and
//     dashboards are rendered into ConfigMaps and file-provisioned at
//     startup, one dashboard provider per folder (with the folder's uid), and
//     no grafana:* resource is registered.
//
// It is one or the other, never both: Grafana refuses API writes to
// file-provisioned datasources and dashboards ("cannot save provisioned
// dashboard"), so running both paths on the same uids would fail on the first
// update.
//
// One exception, by uid: a datasource with credentials or a CA certificate
// from Kubernetes Secrets (BasicAuthPassword, CACert) is always
// file-provisioned, in both modes. The Pulumi program never knows those
// in-cluster values; the pod mounts the Secrets read-only and the
// provisioning file names the mounted files with Grafana's $__file{...}
// expansion, so neither the ConfigMap nor Pulumi state holds a secret. The
// API path leaves such uids alone.
//
// The package does not build dashboards (dashboards/ does), does not own the
// datasources' backends (Thanos, Elasticsearch, Jaeger), the namespace, or
// its network policies, and it never reads stack config.
package grafana

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/labels"
	"github.com/klearkarma/observability/internal/workload"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "klearkarma:observability:Grafana"

// DefaultImage is the pinned Grafana release: the last 12.x minor, whose
// file provisioning and API take the classic (v1) dashboard JSON that
// dashboards/ builds with grafana-foundation-sdk. Moving to 13.x (v2
// dashboard schema) is a separate, deliberate change.
const DefaultImage = "docker.io/grafana/grafana:12.4.3"

// Ports, paths and keys inside the pod.
const (
	HTTPPort    = 3000
	ServicePort = 80
	// The image's grafana user; fsGroup makes mounted volumes writable by it.
	nonRootID = 472

	configDir          = "/etc/grafana/config"
	configFile         = "grafana.ini"
	dataDir            = "/var/lib/grafana"
	provisioningDir    = "/etc/grafana/provisioning"
	dashboardsDir      = "/etc/grafana/dashboards"
	generalFolderMount = "general"

	// SecretKeyAdminUser and SecretKeyAdminPassword are the keys of the admin Secret.
	SecretKeyAdminUser     = "admin-user"
	SecretKeyAdminPassword = "admin-password"

	defaultAPIStorageSize = "2Gi"
)

// Datasource types the component knows how to provision.
const (
	TypePrometheus    = "prometheus"
	TypeElasticsearch = "elasticsearch"
	TypeJaeger        = "jaeger"
)

var knownTypes = []string{TypeElasticsearch, TypeJaeger, TypePrometheus}

// Ingress exposes Grafana outside the cluster.
type Ingress struct {
	// Host is the external host name, e.g. grafana.klearkarma.com (required).
	Host string
	// ClassName selects the ingress controller; empty uses the cluster default.
	ClassName string
	// TLSSecretName names an existing TLS Secret for Host; empty serves plain HTTP.
	TLSSecretName string
}

// Datasource is one Grafana datasource.
type Datasource struct {
	// UID is stable across environments so dashboards can refer to it, e.g. "thanos".
	UID string
	// Name is what people see in Grafana.
	Name string
	// Type is the plugin id: TypePrometheus, TypeElasticsearch or TypeJaeger.
	Type string
	// URL is where Grafana's backend reaches the datasource (proxy access).
	URL pulumi.StringInput
	// IsDefault makes it the organisation's default; at most one may be.
	IsDefault bool
	// JSONData is Grafana's jsonData object (keys as Grafana names them,
	// e.g. {"httpMethod": "POST"} or {"index": "logs-*", "timeField": "@timestamp"}).
	JSONData map[string]any
	// BasicAuthUser and BasicAuthPassword, set together, make Grafana send
	// HTTP basic auth; the password is read from the Secret in Grafana's
	// namespace at startup.
	BasicAuthUser     string
	BasicAuthPassword *SecretKey
	// CACert is a PEM CA certificate in a Secret in Grafana's namespace;
	// Grafana verifies the datasource's TLS certificate with it
	// (tlsAuthWithCACert).
	CACert *SecretKey
}

// SecretKey is one key of a Kubernetes Secret in Grafana's namespace.
type SecretKey struct {
	// Name of the Secret; an Output of whatever creates it makes Grafana
	// wait for it.
	Name pulumi.StringInput
	Key  string
}

// fromSecrets says the datasource reads Secrets, so it is file-provisioned
// in both modes.
func (d Datasource) fromSecrets() bool { return d.BasicAuthPassword != nil || d.CACert != nil }

// Folder is a dashboard folder, one per team.
type Folder struct {
	// UID is a lower-case DNS label of at most 40 characters (it also names
	// a ConfigMap in offline mode), e.g. "backend".
	UID   string
	Title string
}

// Dashboard is one dashboard model.
type Dashboard struct {
	UID   string
	Title string
	// FolderUID is one of Args.Folders' UIDs; empty means Grafana's General folder.
	FolderUID string
	// JSON is the classic (v1) dashboard model. Its uid and title, when
	// present, must equal UID and Title; they are filled in when absent.
	JSON string
}

// Content is what Grafana shows: datasources, folders and dashboards. The
// server provisions it from files (offline), or NewContent manages it
// through Grafana's HTTP API; datasources that read Secrets are always
// file-provisioned by the server.
type Content struct {
	Datasources []Datasource
	Folders     []Folder
	Dashboards  []Dashboard
}

// Args configure Grafana.
type Args struct {
	// Namespace Grafana runs in (required).
	Namespace string
	// Replicas defaults to 1, which is also the only supported value: Grafana
	// keeps logins and API-managed objects in a SQLite database per pod.
	Replicas int
	// Image defaults to DefaultImage.
	Image string
	// Resources default to a small footprint; see withDefaults.
	Resources workload.Resources
	// StorageSize of Grafana's data volume. Empty means an emptyDir, which is
	// only allowed offline (everything there is re-provisioned from files);
	// with API set it defaults to 2Gi.
	StorageSize string
	// StorageClassName of the data volume; empty uses the cluster default.
	StorageClassName string

	// AdminUser defaults to "admin".
	AdminUser string
	// AdminPassword is the admin password (secret, required). Grafana applies
	// it only when it creates its database: with a data volume (API mode) a
	// later change needs `grafana cli admin reset-admin-password`; with an
	// emptyDir it applies on the next pod restart.
	AdminPassword pulumi.StringInput

	// Ingress, when set, exposes Grafana at Ingress.Host.
	Ingress *Ingress

	// Content is provisioned from files, except what ManagedByAPI leaves to
	// NewContent.
	Content Content

	// ManagedByAPI leaves folders, dashboards and the datasources that read
	// no Secret to NewContent (Grafana's API); it gives Grafana a data
	// volume, where the API-managed objects live.
	ManagedByAPI bool
}

// Grafana is the component.
type Grafana struct {
	pulumi.ResourceState

	// URL is the in-cluster URL of the Service.
	URL pulumi.StringOutput `pulumi:"url"`
	// ExternalURL is the Ingress URL ("" without an Ingress).
	ExternalURL pulumi.StringOutput `pulumi:"externalUrl"`
	// Serving are the resources that make Grafana answer (Deployment,
	// Service, Ingress): the grafana provider of NewContent waits for them.
	// (Depending on the component itself is not enough: the SDK expands a
	// component into the children registered so far.)
	Serving []pulumi.Resource
}

var (
	dnsLabel   = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	grafanaUID = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,40}$`)
	// secretKeyName is a valid key of a Secret's data.
	secretKeyName = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)
	hostName      = regexp.MustCompile(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
)

const (
	// maxFolderUID is Grafana's uid limit; "dashboards-" plus it still fits
	// a volume name (a 63-character DNS label).
	maxFolderUID = 40
	// maxNameLength keeps name plus the longest suffix ("-dashboard-providers",
	// "-dashboards-<folder uid>") a valid object name.
	maxNameLength = 40
)

func (a *Args) withDefaults() error {
	var errs []error
	add := func(format string, v ...any) { errs = append(errs, fmt.Errorf(format, v...)) }

	if a.Namespace == "" {
		add("namespace is required: pass the namespace the platform created")
	}
	if a.Replicas == 0 {
		a.Replicas = 1
	}
	if a.Replicas != 1 {
		add("replicas is %d: run 1, because each Grafana pod keeps its own SQLite database (logins and API-managed objects would differ per replica)", a.Replicas)
	}
	if a.Image == "" {
		a.Image = DefaultImage
	}
	if a.AdminUser == "" {
		a.AdminUser = "admin"
	}
	if a.AdminPassword == nil {
		add("AdminPassword is required: pass the Grafana admin password as a secret Output")
	}
	if a.Resources == (workload.Resources{}) {
		a.Resources = workload.Resources{RequestsCPU: "100m", RequestsMemory: "256Mi", LimitsCPU: "1", LimitsMemory: "1Gi"}
	}
	for key, v := range map[string]string{
		"resources.requestsCpu": a.Resources.RequestsCPU, "resources.requestsMemory": a.Resources.RequestsMemory,
		"resources.limitsCpu": a.Resources.LimitsCPU, "resources.limitsMemory": a.Resources.LimitsMemory,
	} {
		if v == "" {
			continue
		}
		if _, err := resource.ParseQuantity(v); err != nil {
			add("%s %q is not a Kubernetes quantity: use a value such as 512Mi or 500m", key, v)
		}
	}

	if a.ManagedByAPI && a.StorageSize == "" {
		a.StorageSize = defaultAPIStorageSize
	}
	if a.StorageSize != "" {
		if _, err := resource.ParseQuantity(a.StorageSize); err != nil {
			add("storageSize %q is not a Kubernetes quantity: use a value such as 2Gi", a.StorageSize)
		}
	}

	if in := a.Ingress; in != nil {
		if !hostName.MatchString(in.Host) {
			add("ingress host %q is not a DNS name: use a host such as grafana.klearkarma.com, or leave Ingress unset", in.Host)
		}
		if in.TLSSecretName != "" && !hostName.MatchString(in.TLSSecretName) {
			add("ingress TLS secret name %q is not a Kubernetes object name: name an existing TLS Secret, or leave it empty for plain HTTP", in.TLSSecretName)
		}
	}

	errs = append(errs, a.Content.check()...)
	return errors.Join(errs...)
}

// check validates folders, datasources and dashboards, which both
// provisioning paths take as they are.
func (a *Content) check() []error {
	var errs []error
	add := func(format string, v ...any) { errs = append(errs, fmt.Errorf(format, v...)) }

	folderUIDs := map[string]bool{}
	folderTitles := map[string]bool{}
	for i, f := range a.Folders {
		switch {
		case f.UID == generalFolderMount:
			add("folder %d: uid %q is reserved by Grafana for its root folder: pick another uid", i, f.UID)
		case len(f.UID) > maxFolderUID || !dnsLabel.MatchString(f.UID):
			add("folder %d: uid %q must be a lower-case DNS label of at most %d characters, such as \"backend\"", i, f.UID, maxFolderUID)
		case folderUIDs[f.UID]:
			add("folder uid %q is used twice: give each folder its own uid", f.UID)
		}
		folderUIDs[f.UID] = true
		if f.Title == "" {
			add("folder %q: a title is required", f.UID)
		} else if folderTitles[f.Title] {
			add("folder title %q is used twice: Grafana requires unique folder titles", f.Title)
		}
		folderTitles[f.Title] = true
	}

	dsUIDs, dsNames, defaults := map[string]bool{}, map[string]bool{}, 0
	for i, d := range a.Datasources {
		id := d.UID
		if id == "" {
			id = fmt.Sprint(i)
		}
		if !grafanaUID.MatchString(d.UID) {
			add("datasource %s: uid %q must be 1-40 letters, digits, '-' or '_', such as \"thanos\"", id, d.UID)
		} else if dsUIDs[d.UID] {
			add("datasource uid %q is used twice: give each datasource its own uid", d.UID)
		}
		dsUIDs[d.UID] = true
		if d.Name == "" {
			add("datasource %s: a name is required", id)
		} else if dsNames[d.Name] {
			add("datasource name %q is used twice: Grafana requires unique datasource names", d.Name)
		}
		dsNames[d.Name] = true
		if !slices.Contains(knownTypes, d.Type) {
			add("datasource %s: type %q is not one of %s", id, d.Type, strings.Join(knownTypes, ", "))
		}
		if d.URL == nil {
			add("datasource %s: a URL is required (the in-cluster URL Grafana's backend queries)", id)
		}
		if d.IsDefault {
			defaults++
		}
		if _, err := genericJSON(d.JSONData); err != nil {
			add("datasource %s: %w", id, err)
		}
		if (d.BasicAuthUser == "") != (d.BasicAuthPassword == nil) {
			add("datasource %s: BasicAuthUser and BasicAuthPassword go together: set both for basic auth, or neither", id)
		}
		for what, ref := range map[string]*SecretKey{"BasicAuthPassword": d.BasicAuthPassword, "CACert": d.CACert} {
			if ref != nil && (ref.Name == nil || !secretKeyName.MatchString(ref.Key)) {
				add("datasource %s: %s needs the Secret's Name and a Key (letters, digits, '-', '_', '.') in Grafana's namespace", id, what)
			}
		}
		for _, k := range []string{"tlsAuthWithCACert", "tlsSkipVerify", "basicAuth", "basicAuthUser"} {
			if _, ok := d.JSONData[k]; ok && d.fromSecrets() {
				add("datasource %s: jsonData key %q is set from BasicAuthUser and CACert: leave it out", id, k)
			}
		}
		for k := range d.JSONData {
			// The provider rejects these; Grafana derives them from httpHeaders.
			if strings.HasPrefix(k, "httpHeaderName") || k == "teamHttpHeaders" {
				add("datasource %s: jsonData key %q is reserved by Grafana for HTTP headers: leave it out", id, k)
			}
		}
	}
	if defaults > 1 {
		add("%d datasources are marked IsDefault: Grafana allows one default per organisation", defaults)
	}

	dashUIDs := map[string]bool{}
	titlesByFolder := map[string]bool{}
	for i, d := range a.Dashboards {
		id := d.UID
		if id == "" {
			id = fmt.Sprint(i)
		}
		if !grafanaUID.MatchString(d.UID) {
			add("dashboard %s: uid %q must be 1-40 letters, digits, '-' or '_'", id, d.UID)
		} else if dashUIDs[d.UID] {
			add("dashboard uid %q is used twice: give each dashboard its own uid", d.UID)
		}
		dashUIDs[d.UID] = true
		if d.Title == "" {
			add("dashboard %s: a title is required", id)
		}
		if d.FolderUID != "" && !folderUIDs[d.FolderUID] {
			add("dashboard %s: folder uid %q is not one of Folders: add the folder, or leave FolderUID empty for the General folder", id, d.FolderUID)
		}
		key := d.FolderUID + "\x00" + d.Title
		if d.Title != "" && titlesByFolder[key] {
			add("dashboard title %q is used twice in folder %q: Grafana requires unique titles per folder", d.Title, d.FolderUID)
		}
		titlesByFolder[key] = true
		if _, err := renderDashboard(d); err != nil {
			add("dashboard %s: %w", id, err)
		}
	}
	return errs
}

// New creates Grafana.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Grafana, error) {
	fail := func(err error) (*Grafana, error) { return nil, fmt.Errorf("grafana %q: %w", name, err) }
	var nameErr error
	if len(name) > maxNameLength || !dnsLabel.MatchString(name) {
		nameErr = fmt.Errorf("the name must be a lower-case DNS label of at most %d characters: it names the Kubernetes objects", maxNameLength)
	}
	if err := errors.Join(nameErr, args.withDefaults()); err != nil {
		return fail(err)
	}
	// Everything that can fail on content is rendered before the component
	// registers, so bad input leaves nothing behind.
	ini := renderINI(args.Ingress)
	dashboards, err := renderDashboards(args.Content.Dashboards)
	if err != nil {
		return fail(err)
	}
	var files *offlineFiles
	if !args.ManagedByAPI {
		if files, err = renderOffline(args.Content.Folders, dashboards); err != nil {
			return fail(err)
		}
	}

	c := &Grafana{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	ns := pulumi.String(args.Namespace)
	set := labels.Set{Name: "grafana", Instance: name, Component: "dashboards", Version: imageVersion(args.Image)}
	meta := func(objName string) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Name: pulumi.String(objName), Namespace: ns, Labels: set.Labels()}
	}

	sa, err := corev1.NewServiceAccount(ctx, conventions.Child(name, "serviceaccount"), &corev1.ServiceAccountArgs{
		Metadata: meta(name),
		// Grafana never calls the Kubernetes API.
		AutomountServiceAccountToken: pulumi.Bool(false),
	}, parent)
	if err != nil {
		return nil, err
	}

	secret, err := corev1.NewSecret(ctx, conventions.Child(name, "admin"), &corev1.SecretArgs{
		Metadata: meta(name + "-admin"),
		Type:     pulumi.String("Opaque"),
		StringData: pulumi.StringMap{
			SecretKeyAdminUser:     pulumi.ToSecret(pulumi.String(args.AdminUser)).(pulumi.StringOutput),
			SecretKeyAdminPassword: pulumi.ToSecret(args.AdminPassword.ToStringOutput()).(pulumi.StringOutput),
		},
	}, parent)
	if err != nil {
		return nil, err
	}

	configFiles := map[string]string{configFile: ini}
	config, err := corev1.NewConfigMap(ctx, conventions.Child(name, "config"), &corev1.ConfigMapArgs{
		Metadata: meta(name + "-config"), Data: pulumi.ToStringMap(configFiles),
	}, parent)
	if err != nil {
		return nil, err
	}

	annotations := pulumi.StringMap{}
	for k, v := range encoding.ChecksumAnnotation("config", configFiles) {
		annotations[k] = pulumi.String(v)
	}
	for k, v := range workload.ScrapeAnnotations(HTTPPort, "/metrics") {
		annotations[k] = pulumi.String(v)
	}
	volumes := corev1.VolumeArray{
		workload.ConfigMapVolume("config", config.Metadata.Name().Elem()),
		workload.EmptyDir("tmp"),
	}
	mounts := corev1.VolumeMountArray{
		workload.Mount("config", configDir, true),
		workload.Mount("data", dataDir, false),
		workload.Mount("tmp", "/tmp", false),
	}

	if args.StorageSize == "" {
		volumes = append(volumes, workload.EmptyDir("data"))
	} else {
		claim := &corev1.PersistentVolumeClaimSpecArgs{
			AccessModes: pulumi.ToStringArray([]string{"ReadWriteOnce"}),
			Resources:   &corev1.VolumeResourceRequirementsArgs{Requests: pulumi.StringMap{"storage": pulumi.String(args.StorageSize)}},
		}
		if args.StorageClassName != "" {
			claim.StorageClassName = pulumi.String(args.StorageClassName)
		}
		pvc, err := corev1.NewPersistentVolumeClaim(ctx, conventions.Child(name, "data"), &corev1.PersistentVolumeClaimArgs{
			Metadata: meta(name + "-data"), Spec: claim,
		}, parent)
		if err != nil {
			return nil, err
		}
		volumes = append(volumes, &corev1.VolumeArgs{Name: pulumi.String("data"),
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSourceArgs{ClaimName: pvc.Metadata.Name().Elem()}})
	}

	// Offline, every datasource comes from the file; through the API, only
	// those that read Secrets (see the package documentation).
	fileDatasources := args.Content.Datasources
	if args.ManagedByAPI {
		fileDatasources = nil
		for _, d := range args.Content.Datasources {
			if d.fromSecrets() {
				fileDatasources = append(fileDatasources, d)
			}
		}
	}
	if files != nil || len(fileDatasources) > 0 {
		v, m, ann, err := provisionDatasources(ctx, name, fileDatasources, meta, parent)
		if err != nil {
			return nil, err
		}
		volumes, mounts = append(volumes, v...), append(mounts, m...)
		for k, v := range ann {
			annotations[k] = v
		}
	}
	if files != nil {
		v, m, ann, err := provisionDashboards(ctx, name, files, meta, parent)
		if err != nil {
			return nil, err
		}
		volumes, mounts = append(volumes, v...), append(mounts, m...)
		for k, v := range ann {
			annotations[k] = v
		}
	}

	secretEnv := func(env, key string) *corev1.EnvVarArgs {
		return &corev1.EnvVarArgs{Name: pulumi.String(env), ValueFrom: &corev1.EnvVarSourceArgs{
			SecretKeyRef: &corev1.SecretKeySelectorArgs{Name: secret.Metadata.Name().Elem(), Key: pulumi.String(key)},
		}}
	}
	plainEnv := func(env, value string) *corev1.EnvVarArgs {
		return &corev1.EnvVarArgs{Name: pulumi.String(env), Value: pulumi.String(value)}
	}
	container := &corev1.ContainerArgs{
		Name:  pulumi.String("grafana"),
		Image: pulumi.String(args.Image),
		Env: corev1.EnvVarArray{
			secretEnv("GF_SECURITY_ADMIN_USER", SecretKeyAdminUser),
			secretEnv("GF_SECURITY_ADMIN_PASSWORD", SecretKeyAdminPassword),
			// The image's entrypoint reads these, and they win over grafana.ini.
			plainEnv("GF_PATHS_CONFIG", configDir+"/"+configFile),
			plainEnv("GF_PATHS_DATA", dataDir),
			plainEnv("GF_PATHS_PLUGINS", dataDir+"/plugins"),
			plainEnv("GF_PATHS_LOGS", dataDir+"/log"),
			plainEnv("GF_PATHS_PROVISIONING", provisioningDir),
		},
		Ports:           corev1.ContainerPortArray{&corev1.ContainerPortArgs{Name: pulumi.String("http"), ContainerPort: pulumi.Int(HTTPPort)}},
		VolumeMounts:    mounts,
		Resources:       args.Resources.Args(),
		SecurityContext: workload.RestrictedContainer(),
		// First start runs database migrations, which can take a minute.
		LivenessProbe:  workload.HTTPProbe("/api/health", HTTPPort, 60, 10),
		ReadinessProbe: workload.HTTPProbe("/api/health", HTTPPort, 10, 10),
	}
	spec := &appsv1.DeploymentSpecArgs{
		Replicas: pulumi.Int(args.Replicas),
		Selector: &metav1.LabelSelectorArgs{MatchLabels: set.Selector()},
		Template: &corev1.PodTemplateSpecArgs{
			Metadata: &metav1.ObjectMetaArgs{Labels: set.Labels(), Annotations: annotations},
			Spec: &corev1.PodSpecArgs{
				ServiceAccountName:           sa.Metadata.Name().Elem(),
				AutomountServiceAccountToken: pulumi.Bool(false),
				SecurityContext:              workload.PodSecurity(nonRootID),
				Containers:                   corev1.ContainerArray{container},
				Volumes:                      volumes,
			},
		},
	}
	if args.StorageSize != "" {
		// A ReadWriteOnce claim cannot be attached to the old and the new pod at once.
		spec.Strategy = &appsv1.DeploymentStrategyArgs{Type: pulumi.String("Recreate")}
	}
	deployment, err := appsv1.NewDeployment(ctx, conventions.Child(name, "deployment"), &appsv1.DeploymentArgs{
		Metadata: meta(name), Spec: spec,
	}, parent)
	if err != nil {
		return nil, err
	}

	svc, err := corev1.NewService(ctx, conventions.Child(name, "service"), &corev1.ServiceArgs{
		Metadata: meta(name),
		Spec: &corev1.ServiceSpecArgs{Selector: set.Selector(), Ports: corev1.ServicePortArray{
			&corev1.ServicePortArgs{Name: pulumi.String("http"), Port: pulumi.Int(ServicePort), TargetPort: pulumi.String("http")},
		}},
	}, parent)
	if err != nil {
		return nil, err
	}
	c.Serving = []pulumi.Resource{deployment, svc}
	c.ExternalURL = pulumi.String("").ToStringOutput()
	if in := args.Ingress; in != nil {
		ing, err := newIngress(ctx, name, in, meta(name), svc, parent)
		if err != nil {
			return nil, err
		}
		c.Serving = append(c.Serving, ing)
		c.ExternalURL = pulumi.String(externalURL(in)).ToStringOutput()
	}

	c.URL = conventions.ServiceURLOutput("http", svc.Metadata.Name().Elem(), args.Namespace, 0)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"url": c.URL, "externalUrl": c.ExternalURL,
	})
}

func newIngress(ctx *pulumi.Context, name string, in *Ingress, meta *metav1.ObjectMetaArgs, svc *corev1.Service, parent pulumi.ResourceOption) (*networkingv1.Ingress, error) {
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
	return networkingv1.NewIngress(ctx, conventions.Child(name, "ingress"), &networkingv1.IngressArgs{Metadata: meta, Spec: spec}, parent)
}

func externalURL(in *Ingress) string {
	if in == nil {
		return ""
	}
	scheme := "http"
	if in.TLSSecretName != "" {
		scheme = "https"
	}
	return scheme + "://" + in.Host + "/"
}

// imageVersion is the tag of an image reference, for the version label.
func imageVersion(image string) string {
	ref, _, _ := strings.Cut(image, "@")
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref[i+1:]
	}
	return ""
}
