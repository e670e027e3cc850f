// Package k8sprovider builds the explicit kubernetes provider every
// Kubernetes object of the program goes through: rendering YAML to a
// directory (offline) or talking to the cluster a kubeconfig/context names.
package k8sprovider

import (
	"fmt"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Settings chooses the target. RenderDir wins when set.
type Settings struct {
	RenderDir  string
	Kubeconfig string
	Context    string
}

// Offline reports whether objects are only rendered to files.
func (s Settings) Offline() bool { return s.RenderDir != "" }

// New registers the provider.
func New(ctx *pulumi.Context, name string, s Settings, opts ...pulumi.ResourceOption) (*kubernetes.Provider, error) {
	args := &kubernetes.ProviderArgs{
		// Server-side apply would need a cluster to compute diffs; field
		// managers are irrelevant when rendering.
		EnableServerSideApply: pulumi.BoolPtr(!s.Offline()),
	}
	if s.Offline() {
		args.RenderYamlToDirectory = pulumi.StringPtr(s.RenderDir)
	} else {
		if s.Kubeconfig != "" {
			args.Kubeconfig = pulumi.StringPtr(s.Kubeconfig)
		}
		if s.Context != "" {
			args.Context = pulumi.StringPtr(s.Context)
		}
	}
	p, err := kubernetes.NewProvider(ctx, name, args, opts...)
	if err != nil {
		return nil, fmt.Errorf("kubernetes provider %q: %w", name, err)
	}
	return p, nil
}
