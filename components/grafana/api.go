package grafana

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/conventions"
	grafanaoss "github.com/klearkarma/observability/internal/grafana/oss"
)

// ContentTypeToken is the Pulumi type of the API-managed content.
const ContentTypeToken = "klearkarma:observability:GrafanaContent"

// GrafanaContent is what NewContent manages through Grafana's API.
type GrafanaContent struct {
	pulumi.ResourceState

	// FolderUIDs are the managed folders' uids, in Content.Folders order.
	FolderUIDs pulumi.StringArrayOutput `pulumi:"folderUids"`
}

// NewContent manages one Folder, DataSource and Dashboard per entry of
// content through Grafana's HTTP API, with the grafana provider the caller
// passes (pulumi.Provider), never the default one, which would read
// GRAFANA_* from whoever runs pulumi. Datasources that read Secrets are
// skipped: the server file-provisions them (Args.ManagedByAPI), Grafana
// would refuse API writes to them, and the API cannot know their secrets.
// The caller makes the provider wait for the server.
func NewContent(ctx *pulumi.Context, name string, content Content, opts ...pulumi.ResourceOption) (*GrafanaContent, error) {
	fail := func(err error) (*GrafanaContent, error) { return nil, fmt.Errorf("grafana content %q: %w", name, err) }
	if errs := content.check(); len(errs) > 0 {
		return fail(errors.Join(errs...))
	}
	dashboards, err := renderDashboards(content.Dashboards)
	if err != nil {
		return fail(err)
	}
	c := &GrafanaContent{}
	if err := ctx.RegisterComponentResource(ContentTypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	folderUIDs := pulumi.StringArray{}
	folders := map[string]*grafanaoss.Folder{}
	for _, f := range content.Folders {
		folder, err := grafanaoss.NewFolder(ctx, conventions.Child(name, "folder", f.UID), &grafanaoss.FolderArgs{
			Uid: pulumi.String(f.UID), Title: pulumi.String(f.Title),
		}, parent)
		if err != nil {
			return nil, err
		}
		folders[f.UID] = folder
		folderUIDs = append(folderUIDs, folder.Uid)
	}

	for _, d := range content.Datasources {
		if d.fromSecrets() {
			continue
		}
		ds := &grafanaoss.DataSourceArgs{
			Uid: pulumi.String(d.UID), Name: pulumi.String(d.Name), Type: pulumi.String(d.Type),
			Url: d.URL.ToStringOutput(), IsDefault: pulumi.Bool(d.IsDefault), AccessMode: pulumi.String("proxy"),
		}
		jsonData, err := jsonDataEncoded(d)
		if err != nil {
			return nil, err
		}
		if jsonData != "" {
			ds.JsonDataEncoded = pulumi.String(jsonData)
		}
		if _, err := grafanaoss.NewDataSource(ctx, conventions.Child(name, "datasource", d.UID), ds, parent); err != nil {
			return nil, err
		}
	}

	for _, d := range dashboards {
		dash := &grafanaoss.DashboardArgs{
			ConfigJson: pulumi.String(d.Model),
			// These uids belong to the code: a copy someone saved by hand is replaced.
			Overwrite: pulumi.Bool(true),
		}
		if d.FolderUID != "" {
			// The folder's output, not the plain uid, so the folder exists first.
			dash.Folder = folders[d.FolderUID].Uid
		}
		if _, err := grafanaoss.NewDashboard(ctx, conventions.Child(name, "dashboard", d.UID), dash, parent); err != nil {
			return nil, err
		}
	}
	c.FolderUIDs = folderUIDs.ToStringArrayOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"folderUids": c.FolderUIDs})
}
