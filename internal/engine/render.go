package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// The kubernetes provider in render mode writes each object to a file when
// it creates or updates it, and never again: an object the state already
// holds is "same" and its file is not rewritten. When the files are gone
// (someone deleted rendered/<stack>), the state still says everything
// exists and a plain `up` renders nothing. RestoreRendered finds the
// objects whose file is missing and removes them from the render through
// the engine (a targeted destroy, which in render mode only deletes files),
// so the next `up` creates, and so writes, them again.

// RenderPath is where the kubernetes provider's render mode writes an
// object (pulumi-kubernetes provider.go, renderPathForResource).
func RenderPath(dir, apiVersion, kind, namespace, name string) string {
	if namespace == "" {
		namespace = "default"
	}
	sanitise := strings.NewReplacer("/", "_", ":", "_").Replace
	file := fmt.Sprintf("%s-%s-%s-%s.yaml", sanitise(apiVersion), strings.ToLower(kind), namespace, name)
	sub := "1-manifest"
	if kind == "CustomResourceDefinition" && strings.HasPrefix(apiVersion, "apiextensions.k8s.io/") {
		sub = "0-crd"
	}
	return filepath.Join(dir, sub, file)
}

// renderedObject is one kubernetes object the state holds.
type renderedObject struct {
	URN  string
	Path string
}

// renderedObjects lists the kubernetes objects of a deployment with the
// file each is rendered to under dir.
func renderedObjects(dep apitype.DeploymentV3, dir string) []renderedObject {
	var out []renderedObject
	for _, r := range dep.Resources {
		typ := string(r.Type)
		if !r.Custom || r.Delete || !strings.HasPrefix(typ, "kubernetes:") {
			continue
		}
		apiVersion, _ := r.Outputs["apiVersion"].(string)
		kind, _ := r.Outputs["kind"].(string)
		meta, _ := r.Outputs["metadata"].(map[string]any)
		name, _ := meta["name"].(string)
		namespace, _ := meta["namespace"].(string)
		if apiVersion == "" || kind == "" || name == "" {
			continue
		}
		out = append(out, renderedObject{URN: string(r.URN), Path: RenderPath(dir, apiVersion, kind, namespace, name)})
	}
	return out
}

// dependents is the set of urns plus every resource that depends on one
// of them (through dependencies, property dependencies or its parent),
// transitively.
func dependents(dep apitype.DeploymentV3, urns []string) map[string]apitype.ResourceV3 {
	set := map[string]bool{}
	for _, u := range urns {
		set[u] = true
	}
	byURN := map[string]apitype.ResourceV3{}
	for _, r := range dep.Resources {
		byURN[string(r.URN)] = r
	}
	for changed := true; changed; {
		changed = false
		for _, r := range dep.Resources {
			u := string(r.URN)
			if set[u] {
				continue
			}
			refs := []string{string(r.Parent)}
			for _, d := range r.Dependencies {
				refs = append(refs, string(d))
			}
			for _, ds := range r.PropertyDependencies {
				for _, d := range ds {
					refs = append(refs, string(d))
				}
			}
			for _, ref := range refs {
				if set[ref] {
					set[u], changed = true, true
					break
				}
			}
		}
	}
	out := map[string]apitype.ResourceV3{}
	for u := range set {
		out[u] = byURN[u]
	}
	return out
}

func (s *Session) deployment(ctx context.Context) (apitype.DeploymentV3, error) {
	raw, err := s.Export(ctx)
	if err != nil {
		return apitype.DeploymentV3{}, err
	}
	var dep apitype.DeploymentV3
	if err := json.Unmarshal(raw, &dep); err != nil {
		return apitype.DeploymentV3{}, fmt.Errorf("read the state of %s: %w", s.opts.Stack, err)
	}
	return dep, nil
}

// MissingRendered lists the URNs of kubernetes objects in the state whose
// rendered file under dir is missing, sorted.
func (s *Session) MissingRendered(ctx context.Context, dir string) ([]string, error) {
	dep, err := s.deployment(ctx)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, o := range renderedObjects(dep, dir) {
		if _, err := os.Stat(o.Path); errors.Is(err, os.ErrNotExist) {
			missing = append(missing, o.URN)
		}
	}
	sort.Strings(missing)
	return missing, nil
}

// RestoreRendered makes the next `up` render every object whose file is
// missing under dir, and returns how many resources it took out of the
// render (the missing objects and what depends on them). It refuses when
// something other than a rendered object or a component depends on them:
// in render mode only rendered objects are safe to take out.
func (s *Session) RestoreRendered(ctx context.Context, dir string) (int, error) {
	missing, err := s.MissingRendered(ctx, dir)
	if err != nil || len(missing) == 0 {
		return 0, err
	}
	dep, err := s.deployment(ctx)
	if err != nil {
		return 0, err
	}
	closure := dependents(dep, missing)
	var unsafe []string
	for u, r := range closure {
		if r.Custom && !strings.HasPrefix(string(r.Type), "kubernetes:") {
			unsafe = append(unsafe, u)
		}
	}
	if len(unsafe) > 0 {
		sort.Strings(unsafe)
		return 0, fmt.Errorf("%d rendered file(s) under %s are missing, and re-rendering them would delete resources that are not rendered objects (%s); restore the files (git checkout, or a fresh `stackctl render`) instead",
			len(missing), dir, strings.Join(unsafe, ", "))
	}
	fmt.Fprintf(s.progress(), "%d rendered file(s) under %s are missing: taking %d resource(s) out of the render so up writes them again\n", len(missing), dir, len(closure))
	if _, err := s.Stack.Destroy(ctx, optdestroy.Target(missing), optdestroy.TargetDependents(),
		optdestroy.ProgressStreams(s.progress()), optdestroy.ErrorProgressStreams(s.progress())); err != nil {
		return 0, fmt.Errorf("re-render %s: %w", s.opts.Stack, err)
	}
	return len(closure), nil
}

// RenderedFiles counts the rendered objects the state holds and how many
// of their files exist under dir.
func (s *Session) RenderedFiles(ctx context.Context, dir string) (want, have int, err error) {
	dep, err := s.deployment(ctx)
	if err != nil {
		return 0, 0, err
	}
	for _, o := range renderedObjects(dep, dir) {
		want++
		if _, err := os.Stat(o.Path); err == nil {
			have++
		}
	}
	return want, have, nil
}
