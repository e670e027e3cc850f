// Package naming owns every generated resource name, label key and annotation
// key of the program, so that a rename happens in one place.
package naming

// Child names a component's child resource: the component's own name plus the
// child's role. Two instances of one component never collide.
func Child(component, role string) string { return component + "-" + role }

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
