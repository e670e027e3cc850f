// Package oss is the stand-in for the "oss" module of the pulumiverse Grafana
// SDK (github.com/pulumiverse/pulumi-grafana/sdk/v2/go/grafana/oss, v2.38.0):
// Folder, Dashboard, DataSource, ServiceAccount and ServiceAccountToken. See
// package grafana for what is kept, what is left out, and how to swap.
package oss
