package elasticsearch

import (
	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/encoding"
)

// Kubernetes objects of an instance that others name before they exist.

// ServiceName is the client Service of a component instance, known before
// it exists.
func ServiceName(name string) string { return name }

// Host is the DNS name of the client Service of a component instance in a
// namespace; writers whose configuration is rendered before anything
// registers (Fluentd, Logstash) take it as a plain string.
func Host(name, namespace string) string {
	return conventions.ServiceHost(ServiceName(name), namespace)
}

// HeadlessServiceName is the governing Service of the StatefulSet.
func HeadlessServiceName(name string) string { return conventions.Child(name, "headless") }

// CredentialsSecretName is the Secret of the built-in users' passwords.
func CredentialsSecretName(name string) string { return conventions.Child(name, "credentials") }

// CASecretName is the Secret that carries the CA certificate (no key).
func CASecretName(name string) string { return conventions.Child(name, "ca") }

// LogWriterSecretName is the Secret of the log writer's user and password.
func LogWriterSecretName(name string) string { return conventions.Child(name, "log-writer") }

// GrafanaReaderSecretName is the Secret of Grafana's read-only user and
// password, in Args.GrafanaReaderNamespace.
func GrafanaReaderSecretName(name string) string { return conventions.Child(name, "grafana-reader") }

// caKeypairSecretName is the Secret the CA Job creates; only nodes' init
// containers and the CA Job mount it.
func caKeypairSecretName(name string) string { return conventions.Child(name, "ca-keypair") }

// caJobName and setupJobName name each Job after the checksum of what it
// runs: a change renames (so replaces and re-runs) it, since a Job's pod
// template cannot change in place, and the same content keeps its name.
func caJobName(component string, script map[string]string, image string) string {
	return conventions.Child(component, "ca", encoding.Checksum(encoding.ChecksumOfMap(script), image)[:10])
}

// setupJobName is the setup Job's name for the given setup ConfigMap
// content and image: it changes exactly when one of them does.
func setupJobName(component string, files map[string]string, image string) string {
	return conventions.Child(component, "setup", encoding.Checksum(encoding.ChecksumOfMap(files), image)[:10])
}

// Names of what the setup Job creates inside Elasticsearch besides the log
// schema (data streams, ILM policies and index templates, which every
// writer and reader agrees on: internal/conventions).
const (
	TimestampPipeline   = "klearkarma-logs-timestamp"
	SnapshotRepository  = "klearkarma-audit-snapshots"
	AuditSnapshotPolicy = "klearkarma-audit-nightly"
	LogWriterRole       = "klearkarma-log-writer"
	LogWriterUser       = "klearkarma-log-writer"
	GrafanaReaderRole   = "klearkarma-grafana-reader"
	GrafanaReaderUser   = "klearkarma-grafana-reader"
	// logsIndexPattern covers every data stream of the log schema
	// (conventions.ApplicationIndexPattern and AuditIndexPattern): what the
	// writer and reader roles may touch.
	logsIndexPattern = "logs-klearkarma.*"
)
