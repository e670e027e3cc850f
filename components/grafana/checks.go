package grafana

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/workload"
)

// grafanaUID is what Grafana accepts as a datasource or dashboard uid.
var grafanaUID = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,40}$`)

const (
	// maxFolderUID is Grafana's uid limit; "dashboards-" plus it still fits
	// a volume name (a 63-character DNS label).
	maxFolderUID = 40
	// maxNameLength keeps name plus the longest suffix ("-dashboard-providers",
	// "-dashboards-<folder uid>") a valid object name.
	maxNameLength = 40
)

// checkName refuses a component name that cannot prefix every object name.
func checkName(name string) error {
	if len(name) > maxNameLength || !check.IsDNSLabel(name) {
		return fmt.Errorf("the name must be a lower-case DNS label of at most %d characters: it names the Kubernetes objects", maxNameLength)
	}
	return nil
}

// Check states the Ingress rules; fields are named as Ingress' fields in
// lower camel case (host, className, tlsSecretName). The stack
// configuration maps them to its grafana.ingressHost and ingressClass.
func (in Ingress) Check() check.Problems {
	var ps check.Problems
	if in.Host == "" {
		ps.Add("host", "is required", "set the external host name, such as grafana.klearkarma.com, or leave the Ingress out")
	}
	check.HostName(&ps, "host", in.Host, "grafana.klearkarma.com")
	if in.ClassName != "" && len(validation.IsDNS1123Subdomain(in.ClassName)) > 0 {
		ps.Add("className", fmt.Sprintf("%q is not an IngressClass name", in.ClassName), "name an IngressClass of the cluster, such as nginx, or leave it empty for the cluster default")
	}
	if in.TLSSecretName != "" && len(validation.IsDNS1123Subdomain(in.TLSSecretName)) > 0 {
		ps.Add("tlsSecretName", fmt.Sprintf("%q is not a Kubernetes object name", in.TLSSecretName), "name an existing TLS Secret, or leave it empty for plain HTTP")
	}
	return ps
}

// withDefaults fills the defaults and checks everything before a resource
// is registered, reporting every problem at once.
func (a *Args) withDefaults() error {
	a.fillDefaults()
	var ps check.Problems
	if a.Namespace == "" {
		ps.Add("namespace", "is required", "pass the namespace the platform created")
	}
	if a.Replicas != 1 {
		ps.Add("replicas", fmt.Sprintf("%d replicas cannot share state: each Grafana pod keeps its own SQLite database (logins and API-managed objects would differ per replica)", a.Replicas), "run 1")
	}
	if a.AdminPassword == nil {
		ps.Add("adminPassword", "is required", "pass the Grafana admin password as a secret Output")
	}
	for field, v := range map[string]string{
		"resources.requestsCpu": a.Resources.RequestsCPU, "resources.requestsMemory": a.Resources.RequestsMemory,
		"resources.limitsCpu": a.Resources.LimitsCPU, "resources.limitsMemory": a.Resources.LimitsMemory,
	} {
		if v != "" {
			check.Quantity(&ps, field, v)
		}
	}
	if a.StorageSize != "" {
		check.Quantity(&ps, "storageSize", a.StorageSize)
	}
	if a.Ingress != nil {
		ps.Merge("ingress", a.Ingress.Check(), nil)
	}
	return errors.Join(append([]error{ps.Err()}, a.Content.check()...)...)
}

func (a *Args) fillDefaults() {
	if a.Replicas == 0 {
		a.Replicas = 1
	}
	if a.Image == "" {
		a.Image = DefaultImage
	}
	if a.AdminUser == "" {
		a.AdminUser = "admin"
	}
	if a.Resources == (workload.Resources{}) {
		a.Resources = workload.Resources{RequestsCPU: "100m", RequestsMemory: "256Mi", LimitsCPU: "1", LimitsMemory: "1Gi"}
	}
	if a.ManagedByAPI && a.StorageSize == "" {
		a.StorageSize = defaultAPIStorageSize
	}
}

// check validates folders, datasources and dashboards, which both
// provisioning paths take as they are.
func (c *Content) check() []error {
	folderUIDs, errs := checkFolders(c.Folders)
	errs = append(errs, checkDatasources(c.Datasources)...)
	return append(errs, checkDashboards(c.Dashboards, folderUIDs)...)
}

// errorList collects formatted errors.
type errorList []error

func (l *errorList) add(format string, v ...any) { *l = append(*l, fmt.Errorf(format, v...)) }

// checkFolders returns the folder uids and what is wrong with the folders.
func checkFolders(folders []Folder) (map[string]bool, []error) {
	var errs errorList
	uids, titles := map[string]bool{}, map[string]bool{}
	for i, f := range folders {
		switch {
		case f.UID == generalFolderMount:
			errs.add("folder %d: uid %q is reserved by Grafana for its root folder: pick another uid", i, f.UID)
		case len(f.UID) > maxFolderUID || !check.IsDNSLabel(f.UID):
			errs.add("folder %d: uid %q must be a lower-case DNS label of at most %d characters, such as \"backend\"", i, f.UID, maxFolderUID)
		case uids[f.UID]:
			errs.add("folder uid %q is used twice: give each folder its own uid", f.UID)
		}
		uids[f.UID] = true
		if f.Title == "" {
			errs.add("folder %q: a title is required", f.UID)
		} else if titles[f.Title] {
			errs.add("folder title %q is used twice: Grafana requires unique folder titles", f.Title)
		}
		titles[f.Title] = true
	}
	return uids, errs
}

// checkDatasources refuses repeated uids and names, more than one default,
// and what a single datasource gets wrong.
func checkDatasources(datasources []Datasource) []error {
	var errs errorList
	uids, names, defaults := map[string]bool{}, map[string]bool{}, 0
	for i, d := range datasources {
		id := d.UID
		if id == "" {
			id = fmt.Sprint(i)
		}
		if !grafanaUID.MatchString(d.UID) {
			errs.add("datasource %s: uid %q must be 1-40 letters, digits, '-' or '_', such as \"thanos\"", id, d.UID)
		} else if uids[d.UID] {
			errs.add("datasource uid %q is used twice: give each datasource its own uid", d.UID)
		}
		uids[d.UID] = true
		if d.Name == "" {
			errs.add("datasource %s: a name is required", id)
		} else if names[d.Name] {
			errs.add("datasource name %q is used twice: Grafana requires unique datasource names", d.Name)
		}
		names[d.Name] = true
		if d.IsDefault {
			defaults++
		}
		errs = append(errs, d.check(id)...)
	}
	if defaults > 1 {
		errs.add("%d datasources are marked IsDefault: Grafana allows one default per organisation", defaults)
	}
	return errs
}

// check is what one datasource can get wrong on its own; id names it.
func (d Datasource) check(id string) []error {
	var errs errorList
	if !slices.Contains(knownTypes, d.Type) {
		errs.add("datasource %s: type %q is not one of %s", id, d.Type, strings.Join(knownTypes, ", "))
	}
	if d.URL == nil {
		errs.add("datasource %s: a URL is required (the in-cluster URL Grafana's backend queries)", id)
	}
	if _, err := genericJSON(d.JSONData); err != nil {
		errs.add("datasource %s: %w", id, err)
	}
	if (d.BasicAuthUser == "") != (d.BasicAuthPassword == nil) {
		errs.add("datasource %s: BasicAuthUser and BasicAuthPassword go together: set both for basic auth, or neither", id)
	}
	for _, ref := range []struct {
		what string
		key  *SecretKey
	}{{"BasicAuthPassword", d.BasicAuthPassword}, {"CACert", d.CACert}} {
		if ref.key != nil && (ref.key.Name == nil || len(validation.IsConfigMapKey(ref.key.Key)) > 0) {
			errs.add("datasource %s: %s needs the Secret's Name and a Key (letters, digits, '-', '_', '.') in Grafana's namespace", id, ref.what)
		}
	}
	for _, k := range []string{"tlsAuthWithCACert", "tlsSkipVerify", "basicAuth", "basicAuthUser"} {
		if _, ok := d.JSONData[k]; ok && d.fromSecrets() {
			errs.add("datasource %s: jsonData key %q is set from BasicAuthUser and CACert: leave it out", id, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(d.JSONData)) {
		// The provider rejects these; Grafana derives them from httpHeaders.
		if strings.HasPrefix(k, "httpHeaderName") || k == "teamHttpHeaders" {
			errs.add("datasource %s: jsonData key %q is reserved by Grafana for HTTP headers: leave it out", id, k)
		}
	}
	return errs
}

// checkDashboards refuses repeated uids, titles repeated in a folder,
// unknown folders and models that do not render.
func checkDashboards(dashboards []Dashboard, folderUIDs map[string]bool) []error {
	var errs errorList
	uids, titlesByFolder := map[string]bool{}, map[string]bool{}
	for i, d := range dashboards {
		id := d.UID
		if id == "" {
			id = fmt.Sprint(i)
		}
		if !grafanaUID.MatchString(d.UID) {
			errs.add("dashboard %s: uid %q must be 1-40 letters, digits, '-' or '_'", id, d.UID)
		} else if uids[d.UID] {
			errs.add("dashboard uid %q is used twice: give each dashboard its own uid", d.UID)
		}
		uids[d.UID] = true
		if d.Title == "" {
			errs.add("dashboard %s: a title is required", id)
		}
		if d.FolderUID != "" && !folderUIDs[d.FolderUID] {
			errs.add("dashboard %s: folder uid %q is not one of Folders: add the folder, or leave FolderUID empty for the General folder", id, d.FolderUID)
		}
		key := d.FolderUID + "\x00" + d.Title
		if d.Title != "" && titlesByFolder[key] {
			errs.add("dashboard title %q is used twice in folder %q: Grafana requires unique titles per folder", d.Title, d.FolderUID)
		}
		titlesByFolder[key] = true
		if _, err := renderDashboard(d); err != nil {
			errs.add("dashboard %s: %w", id, err)
		}
	}
	return errs
}
