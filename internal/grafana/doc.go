// Package grafana is a stand-in for the Go SDK of the pulumiverse Grafana
// provider, github.com/pulumiverse/pulumi-grafana/sdk/v2/go/grafana, which is
// not served to this build. It mirrors that SDK at v2.38.0 (schema at tag
// v2.38.0; see shared/provider-facts.md, section A) for the parts the program
// uses: the explicit Provider here, and Folder, Dashboard, DataSource,
// ServiceAccount and ServiceAccountToken in package oss.
//
// What it keeps from the SDK: type tokens (pulumi:providers:grafana,
// grafana:oss/...), the aliases to the old grafana:index/... tokens, camelCase
// property names, Go names and types (NewFolder(ctx, name, &oss.FolderArgs{...})
// returning *oss.Folder with Output fields), required-argument errors, the
// client-side secret wrapping and AdditionalSecretOutputs the SDK applies, the
// GRAFANA_* env defaults of the explicit provider, and the options every
// resource and invoke gets: pulumi.PluginDownloadURL(pins.GrafanaPluginDownloadURL)
// and pulumi.Version(pins.Grafana) (see package internal).
//
// What it leaves out: the other resources and the functions, GetX/XState
// (reading existing resources), and the Array/Map forms of the resource types.
//
// To swap in the official SDK: require github.com/pulumiverse/pulumi-grafana/sdk/v2
// at v2.38.0, change the imports internal/grafana and internal/grafana/oss to
// .../sdk/v2/go/grafana and .../sdk/v2/go/grafana/oss, and delete this
// directory. State does not change: tokens, names and plugin pins are the same.
//
// This package owns only the bindings: it reads no stack config and creates
// nothing on its own.
package grafana
