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

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
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
	// The image's grafana user is 472, but the image makes every path Grafana
	// writes group- and world-writable so that it runs as any user; its data
	// are on volumes fsGroup makes writable. A user id above 10000 keeps
	// clear of the node's users.
	nonRootID = 10472

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
	// Data says how the data-holding children survive a delete (protect,
	// retain on delete); the stack decides.
	Data workload.DataPolicy
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

// rendered is what New renders before it registers anything, so bad
// content leaves nothing behind.
type rendered struct {
	ini string
	// files are the offline provisioning files; nil through the API.
	files *offlineFiles
}

func render(a Args) (rendered, error) {
	r := rendered{ini: renderINI(a.Ingress)}
	dashboards, err := renderDashboards(a.Content.Dashboards)
	if err != nil || a.ManagedByAPI {
		return r, err
	}
	r.files, err = renderOffline(a.Content.Folders, dashboards)
	return r, err
}

// New creates Grafana: its account, admin Secret, grafana.ini, data volume
// and provisioning files, the Deployment, the Service and the optional
// Ingress.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Grafana, error) {
	fail := func(err error) (*Grafana, error) { return nil, fmt.Errorf("grafana %q: %w", name, err) }
	if err := errors.Join(checkName(name), args.withDefaults()); err != nil {
		return fail(err)
	}
	r, err := render(args)
	if err != nil {
		return fail(err)
	}

	c := &Grafana{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := newBuilder(ctx, name, args, c)
	deployment, err := b.server(r)
	if err != nil {
		return nil, err
	}
	svc, err := b.service()
	if err != nil {
		return nil, err
	}
	c.Serving = []pulumi.Resource{deployment, svc}
	if args.Ingress != nil {
		ing, err := b.ingress(args.Ingress, svc)
		if err != nil {
			return nil, err
		}
		c.Serving = append(c.Serving, ing)
	}
	c.ExternalURL = pulumi.String(externalURL(args.Ingress)).ToStringOutput()
	c.URL = conventions.ServiceURLOutput("http", svc.Metadata.Name().Elem(), args.Namespace, 0)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"url": c.URL, "externalUrl": c.ExternalURL,
	})
}
