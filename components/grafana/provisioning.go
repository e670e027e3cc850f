package grafana

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
	"github.com/klearkarma/observability/internal/workload"
)

// File names inside the provisioning ConfigMaps.
const (
	DatasourcesFile = "datasources.yaml"
	ProvidersFile   = "dashboards.yaml"
	// maxConfigMapBytes stays under the API server's 1MiB object limit with
	// room for metadata.
	maxConfigMapBytes = 1000 * 1000
)

// renderedDashboard is a dashboard with its model in the exact text both
// paths send: the ConfigMap file and the provider's configJson.
type renderedDashboard struct {
	Dashboard
	Model string
}

// renderDashboard parses the model, makes its uid and title those of the
// Dashboard, and drops id and version, which are Grafana's database row and
// revision (file provisioning and the provider both ignore them, and a stale
// id makes the API refuse the save).
func renderDashboard(d Dashboard) (string, error) {
	dec := json.NewDecoder(strings.NewReader(d.JSON))
	dec.UseNumber() // keep numbers exactly as written
	var model map[string]any
	if err := dec.Decode(&model); err != nil {
		return "", fmt.Errorf("JSON is not a dashboard object: %w", err)
	}
	if model == nil {
		return "", errors.New("JSON is empty: pass the dashboard model built by dashboards/")
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", errors.New("JSON has content after the dashboard object: pass exactly one dashboard model")
	}
	for key, want := range map[string]string{"uid": d.UID, "title": d.Title} {
		if v, ok := model[key]; ok && v != nil {
			if got, _ := v.(string); got != want {
				return "", fmt.Errorf("the model's %s %v differs from Dashboard's %q: make them equal", key, v, want)
			}
		}
		model[key] = want
	}
	delete(model, "id")
	delete(model, "version")
	return encoding.JSON(model)
}

func renderDashboards(ds []Dashboard) ([]renderedDashboard, error) {
	out := make([]renderedDashboard, 0, len(ds))
	for _, d := range ds {
		m, err := renderDashboard(d)
		if err != nil {
			return nil, fmt.Errorf("dashboard %q: %w", d.UID, err)
		}
		out = append(out, renderedDashboard{Dashboard: d, Model: m})
	}
	return out, nil
}

// Grafana's file-provisioning formats (pkg/services/provisioning in
// grafana/grafana, apiVersion 1), with its json/yaml field names.
type datasourcesFile struct {
	APIVersion  int                     `json:"apiVersion"`
	Datasources []provisionedDatasource `json:"datasources"`
}

type provisionedDatasource struct {
	OrgID     int            `json:"orgId"`
	UID       string         `json:"uid"`
	Name      string         `json:"name"`
	Type      string         `json:"type"`
	Access    string         `json:"access"`
	URL       string         `json:"url"`
	IsDefault bool           `json:"isDefault"`
	Editable  bool           `json:"editable"`
	JSONData  map[string]any `json:"jsonData,omitempty"`
	// BasicAuth and BasicAuthUser are top-level fields of the file format.
	BasicAuth     bool   `json:"basicAuth,omitempty"`
	BasicAuthUser string `json:"basicAuthUser,omitempty"`
	// SecureJSONData holds only $__file{...} references to mounted Secrets.
	SecureJSONData map[string]string `json:"secureJsonData,omitempty"`
}

// datasourceSecretsDir is where the Secrets datasources read are mounted,
// one directory per datasource uid.
const datasourceSecretsDir = "/etc/grafana/datasource-secrets"

// Files inside a datasource's directory under datasourceSecretsDir.
const (
	basicAuthPasswordFile = "basic-auth-password"
	caCertFile            = "ca.crt"
)

func datasourceSecretPath(uid, file string) string {
	return datasourceSecretsDir + "/" + uid + "/" + file
}

// fileRef is Grafana's provisioning expansion of a file's content; it is
// the only place a "$" is left unescaped.
func fileRef(path string) string { return "$__file{" + path + "}" }

type providersFile struct {
	APIVersion int                 `json:"apiVersion"`
	Providers  []dashboardProvider `json:"providers"`
}

type dashboardProvider struct {
	Name      string `json:"name"`
	OrgID     int    `json:"orgId"`
	Type      string `json:"type"`
	Folder    string `json:"folder"`
	FolderUID string `json:"folderUid,omitempty"`
	// Deleting a dashboard from Args removes it from Grafana.
	DisableDeletion bool `json:"disableDeletion"`
	// UI edits would be lost on the next restart; say so by refusing them.
	AllowUIUpdates bool            `json:"allowUiUpdates"`
	Options        providerOptions `json:"options"`
}

type providerOptions struct {
	Path                      string `json:"path"`
	FoldersFromFilesStructure bool   `json:"foldersFromFilesStructure"`
}

// escape protects a value from Grafana's provisioning interpolation, which
// expands $VAR, ${VAR} and $__file{...} in every string of the provisioning
// YAML ("$$" is a literal "$"). Dashboard JSON files are not interpolated.
func escape(s string) string { return strings.ReplaceAll(s, "$", "$$") }

func escapeAll(v any) any {
	switch t := v.(type) {
	case string:
		return escape(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = escapeAll(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = escapeAll(e)
		}
		return out
	default:
		return v
	}
}

// genericJSON turns JSONData into plain JSON values (maps, slices, strings,
// json.Number), so escaping reaches every string however the caller typed it.
func genericJSON(m map[string]any) (map[string]any, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("jsonData is not JSON: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("jsonData is not JSON: %w", err)
	}
	return out, nil
}

// renderDatasources writes the datasources file; urls[i] is ds[i]'s URL.
func renderDatasources(ds []Datasource, urls []string) (string, error) {
	f := datasourcesFile{APIVersion: 1, Datasources: []provisionedDatasource{}}
	for i, d := range ds {
		var jsonData map[string]any
		if len(d.JSONData) > 0 {
			generic, err := genericJSON(d.JSONData)
			if err != nil {
				return "", fmt.Errorf("datasource %q: %w", d.UID, err)
			}
			jsonData = escapeAll(generic).(map[string]any)
		}
		p := provisionedDatasource{
			OrgID: 1, UID: d.UID, Name: escape(d.Name), Type: d.Type, Access: "proxy",
			URL: escape(urls[i]), IsDefault: d.IsDefault, JSONData: jsonData,
		}
		if d.fromSecrets() {
			p.SecureJSONData = map[string]string{}
		}
		if d.BasicAuthPassword != nil {
			p.BasicAuth, p.BasicAuthUser = true, escape(d.BasicAuthUser)
			p.SecureJSONData["basicAuthPassword"] = fileRef(datasourceSecretPath(d.UID, basicAuthPasswordFile))
		}
		if d.CACert != nil {
			if p.JSONData == nil {
				p.JSONData = map[string]any{}
			}
			p.JSONData["tlsAuthWithCACert"] = true
			p.SecureJSONData["tlsCACert"] = fileRef(datasourceSecretPath(d.UID, caCertFile))
		}
		f.Datasources = append(f.Datasources, p)
	}
	return encoding.YAML(f)
}

// jsonDataEncoded is the provider's form of JSONData ("" when empty).
func jsonDataEncoded(d Datasource) (string, error) {
	if len(d.JSONData) == 0 {
		return "", nil
	}
	return encoding.JSON(d.JSONData)
}

// folderFiles are the dashboard files of one folder ("general" for the root).
type folderFiles struct {
	mount string
	files map[string]string
}

// offlineFiles is everything file provisioning needs besides datasources.
type offlineFiles struct {
	providers string
	folders   []folderFiles
	checksum  string
}

// renderOffline lays out one dashboard provider per folder, each reading
// its own directory with the folder's uid, so offline folders get the same
// uids as API-managed ones. A folder without dashboards still gets its
// provider: Grafana creates the folder when the provider starts.
func renderOffline(folders []Folder, dashboards []renderedDashboard) (*offlineFiles, error) {
	byFolder := map[string]map[string]string{}
	for _, d := range dashboards {
		if byFolder[d.FolderUID] == nil {
			byFolder[d.FolderUID] = map[string]string{}
		}
		byFolder[d.FolderUID][d.UID+".json"] = d.Model
	}
	pf := providersFile{APIVersion: 1, Providers: []dashboardProvider{}}
	out := &offlineFiles{}
	add := func(mount, title, uid string) {
		pf.Providers = append(pf.Providers, dashboardProvider{
			Name: "folder-" + mount, OrgID: 1, Type: "file", Folder: escape(title), FolderUID: uid,
			Options: providerOptions{Path: dashboardsDir + "/" + mount},
		})
		files := byFolder[uid]
		if files == nil {
			files = map[string]string{}
		}
		out.folders = append(out.folders, folderFiles{mount: mount, files: files})
	}
	for _, f := range folders {
		add(f.UID, f.Title, f.UID)
	}
	if len(byFolder[""]) > 0 {
		add(generalFolderMount, "", "")
	}

	var errs []error
	all := map[string]string{}
	for _, f := range out.folders {
		size := 0
		for _, file := range slices.Sorted(maps.Keys(f.files)) {
			size += len(file) + len(f.files[file])
			all[f.mount+"/"+file] = f.files[file]
		}
		if size > maxConfigMapBytes {
			errs = append(errs, fmt.Errorf("the dashboards of folder %q are %d bytes, over the %d a ConfigMap holds: move some to another folder", f.mount, size, maxConfigMapBytes))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	providers, err := encoding.YAML(pf)
	if err != nil {
		return nil, err
	}
	out.providers = providers
	all[ProvidersFile] = providers
	out.checksum = encoding.ChecksumOfMap(all)
	return out, nil
}

// provision adds the provisioning files to the pod: the datasources file
// when any datasource is file-provisioned (offline, every one; through the
// API, those that read Secrets; see the package documentation), and
// offline the dashboard providers and folders.
func (b *builder) provision(p *podParts, files *offlineFiles) error {
	datasources := b.args.Content.Datasources
	if b.args.ManagedByAPI {
		datasources = nil
		for _, d := range b.args.Content.Datasources {
			if d.fromSecrets() {
				datasources = append(datasources, d)
			}
		}
	}
	if files != nil || len(datasources) > 0 {
		if err := b.provisionDatasources(p, datasources); err != nil {
			return err
		}
	}
	if files == nil {
		return nil
	}
	return b.provisionDashboards(p, files)
}

// datasourcesYAML renders the datasources file once every URL is known.
func datasourcesYAML(datasources []Datasource) (pulumi.StringOutput, error) {
	urls := make([]any, 0, len(datasources))
	for _, d := range datasources {
		urls = append(urls, d.URL.ToStringOutput())
	}
	render := func(resolved []any) (string, error) {
		s := make([]string, len(resolved))
		for i, u := range resolved {
			s[i] = u.(string)
		}
		return renderDatasources(datasources, s)
	}
	if len(urls) == 0 {
		y, err := render(nil)
		return pulumi.String(y).ToStringOutput(), err
	}
	return pulumi.All(urls...).ApplyT(render).(pulumi.StringOutput), nil
}

// provisionDatasources creates the datasources ConfigMap and adds to the
// pod the file and, read-only, the Secrets it refers to, with the checksum
// that rolls the pod when the file changes. Grafana reads the Secrets at
// startup: after rotating one, restart Grafana.
func (b *builder) provisionDatasources(p *podParts, datasources []Datasource) error {
	dsYAML, err := datasourcesYAML(datasources)
	if err != nil {
		return err
	}
	dsCM, err := corev1.NewConfigMap(b.ctx, conventions.Child(b.name, "datasources"), &corev1.ConfigMapArgs{
		Metadata: b.meta("datasources"), Data: pulumi.StringMap{DatasourcesFile: dsYAML},
	}, b.parent)
	if err != nil {
		return err
	}
	p.volumes = append(p.volumes, workload.ConfigMapVolume("datasources", dsCM.Metadata.Name().Elem()))
	p.mounts = append(p.mounts, workload.Mount("datasources", provisioningDir+"/datasources", true))
	p.annotations[conventions.ChecksumAnnotationPrefix+"datasources"] = dsYAML.ApplyT(func(y string) string {
		return encoding.ChecksumOfMap(map[string]string{DatasourcesFile: y})
	}).(pulumi.StringOutput)

	var sources corev1.VolumeProjectionArray
	project := func(ref *SecretKey, uid, file string) {
		if ref == nil {
			return
		}
		sources = append(sources, &corev1.VolumeProjectionArgs{Secret: &corev1.SecretProjectionArgs{
			Name:  ref.Name,
			Items: corev1.KeyToPathArray{&corev1.KeyToPathArgs{Key: pulumi.String(ref.Key), Path: pulumi.String(uid + "/" + file)}},
		}})
	}
	for _, d := range datasources {
		project(d.BasicAuthPassword, d.UID, basicAuthPasswordFile)
		project(d.CACert, d.UID, caCertFile)
	}
	if len(sources) > 0 {
		p.volumes = append(p.volumes, &corev1.VolumeArgs{Name: pulumi.String("datasource-secrets"), Projected: &corev1.ProjectedVolumeSourceArgs{
			// Readable by Grafana's group (fsGroup) only.
			Sources: sources, DefaultMode: pulumi.Int(0o440),
		}})
		p.mounts = append(p.mounts, workload.Mount("datasource-secrets", datasourceSecretsDir, true))
	}
	return nil
}

// provisionDashboards creates the dashboard provider and folder ConfigMaps
// and adds them to the pod, with the checksum that rolls it when they
// change.
func (b *builder) provisionDashboards(p *podParts, files *offlineFiles) error {
	providers, err := corev1.NewConfigMap(b.ctx, conventions.Child(b.name, "dashboard-providers"), &corev1.ConfigMapArgs{
		Metadata: b.meta("dashboard-providers"), Data: pulumi.StringMap{ProvidersFile: pulumi.String(files.providers)},
	}, b.parent)
	if err != nil {
		return err
	}
	p.volumes = append(p.volumes, workload.ConfigMapVolume("dashboard-providers", providers.Metadata.Name().Elem()))
	p.mounts = append(p.mounts, workload.Mount("dashboard-providers", provisioningDir+"/dashboards", true))

	for _, f := range files.folders {
		cm, err := corev1.NewConfigMap(b.ctx, conventions.Child(b.name, "dashboards", f.mount), &corev1.ConfigMapArgs{
			Metadata: b.meta("dashboards", f.mount), Data: pulumi.ToStringMap(f.files),
		}, b.parent)
		if err != nil {
			return err
		}
		volume := "dashboards-" + f.mount
		p.volumes = append(p.volumes, workload.ConfigMapVolume(volume, cm.Metadata.Name().Elem()))
		p.mounts = append(p.mounts, workload.Mount(volume, dashboardsDir+"/"+f.mount, true))
	}
	p.annotations[conventions.ChecksumAnnotationPrefix+"dashboards"] = pulumi.String(files.checksum)
	return nil
}
