package grafana

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	grafanaapi "github.com/klearkarma/observability/internal/grafana"
	grafanaoss "github.com/klearkarma/observability/internal/grafana/oss"
	"github.com/klearkarma/observability/internal/naming"
)

// manageThroughAPI registers an explicit grafana provider and one Folder,
// DataSource and Dashboard per input, all through that provider (never the
// default one, which would read GRAFANA_* from whoever runs pulumi). The
// provider waits for the serving resources, so nothing calls Grafana's API
// before the Deployment is ready.
func manageThroughAPI(ctx *pulumi.Context, name string, args Args, dashboards []renderedDashboard,
	serving []pulumi.Resource, parent pulumi.ResourceOption,
) (pulumi.StringArrayOutput, error) {
	provider, err := grafanaapi.NewProvider(ctx, naming.Child(name, "provider"), &grafanaapi.ProviderArgs{
		Url:  pulumi.String(args.API.URL),
		Auth: pulumi.ToSecret(args.API.Auth.ToStringOutput()).(pulumi.StringOutput),
	}, parent, pulumi.DependsOn(serving))
	if err != nil {
		return pulumi.StringArrayOutput{}, err
	}
	opts := []pulumi.ResourceOption{parent, pulumi.Provider(provider)}

	folderUIDs := pulumi.StringArray{}
	folders := map[string]*grafanaoss.Folder{}
	for _, f := range args.Folders {
		folder, err := grafanaoss.NewFolder(ctx, naming.Child(name, "folder-"+f.UID), &grafanaoss.FolderArgs{
			Uid: pulumi.String(f.UID), Title: pulumi.String(f.Title),
		}, opts...)
		if err != nil {
			return pulumi.StringArrayOutput{}, err
		}
		folders[f.UID] = folder
		folderUIDs = append(folderUIDs, folder.Uid)
	}

	for _, d := range args.Datasources {
		if d.fromSecrets() {
			// File-provisioned (provisionDatasources): Grafana would refuse
			// API writes to it, and the API cannot know its secrets.
			continue
		}
		ds := &grafanaoss.DataSourceArgs{
			Uid: pulumi.String(d.UID), Name: pulumi.String(d.Name), Type: pulumi.String(d.Type),
			Url: d.URL.ToStringOutput(), IsDefault: pulumi.Bool(d.IsDefault), AccessMode: pulumi.String("proxy"),
		}
		jsonData, err := jsonDataEncoded(d)
		if err != nil {
			return pulumi.StringArrayOutput{}, err
		}
		if jsonData != "" {
			ds.JsonDataEncoded = pulumi.String(jsonData)
		}
		if _, err := grafanaoss.NewDataSource(ctx, naming.Child(name, "datasource-"+d.UID), ds, opts...); err != nil {
			return pulumi.StringArrayOutput{}, err
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
		if _, err := grafanaoss.NewDashboard(ctx, naming.Child(name, "dashboard-"+d.UID), dash, opts...); err != nil {
			return pulumi.StringArrayOutput{}, err
		}
	}
	return folderUIDs.ToStringArrayOutput(), nil
}
