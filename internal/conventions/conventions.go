// Package conventions owns every name and shared contract of the program
// that more than one package must agree on: generated resource and object
// names, label and annotation keys, in-cluster service hosts, the teams the
// alerts route to, the dashboards' uids, and the log schema (data streams,
// ILM policies, index templates, the audit marker). A rename happens here
// and nowhere else. It depends on nothing of the program.
package conventions

import "strings"

// Child names a component's child (a Pulumi resource or the Kubernetes
// object it creates): the component's own name plus the child's role, so
// two instances of one component never collide.
func Child(component string, roles ...string) string {
	return strings.Join(append([]string{component}, roles...), "-")
}

// ProjectName is the Pulumi project, and so the config namespace.
const ProjectName = "observability"

// PartOf is the app.kubernetes.io/part-of value of everything this program manages.
const PartOf = "klearkarma-observability"

// ManagedBy is the app.kubernetes.io/managed-by value.
const ManagedBy = "pulumi"

// Label and annotation keys outside the app.kubernetes.io set.
const (
	// PlatformNamespaceLabel marks the observability namespaces so network
	// policies can select all of them at once.
	PlatformNamespaceLabel = "observability.klearkarma.com/platform"
	// PurposeLabel says what a namespace holds (metrics, logs, traces).
	PurposeLabel = "observability.klearkarma.com/purpose"
	// EnvironmentLabel carries the stack's environment name.
	EnvironmentLabel = "observability.klearkarma.com/environment"
	// ChecksumAnnotationPrefix prefixes pod-template annotations that hold the
	// hash of a rendered configuration, so a change rolls only its readers.
	ChecksumAnnotationPrefix = "checksum.observability.klearkarma.com/"
)

// VersionFromImage is the app.kubernetes.io/version of a workload: its
// image's tag ("quay.io/prometheus/prometheus:v3.16.0" gives "v3.16.0"),
// without a digest, cut to the 63 characters a label value may hold; empty
// when the image has no tag.
func VersionFromImage(image string) string {
	if i := strings.Index(image, "@"); i >= 0 {
		image = image[:i]
	}
	// A colon after the last slash starts the tag; one before it belongs to
	// a registry's port.
	i := strings.LastIndex(image, ":")
	if i <= strings.LastIndex(image, "/") {
		return ""
	}
	tag := image[i+1:]
	if len(tag) > 63 {
		tag = strings.TrimRight(tag[:63], "-_.")
	}
	return tag
}
