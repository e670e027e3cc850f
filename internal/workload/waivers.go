package workload

import (
	"maps"
	"slices"
	"strings"

	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// KubeScoreIgnoreAnnotation is kube-score's own annotation: the checks it
// lists (comma-separated ids) are skipped for the object that carries it.
const KubeScoreIgnoreAnnotation = "kube-score/ignore"

// Waivers are the kube-score checks that do not fit one workload, by check
// id, each with the reason it does not: the reason lives here, next to the
// annotation it produces, so a reader of the component sees why per
// object. The policy test (test/policy) fails on every CRITICAL that no
// waiver explains and on every waiver whose check would pass anyway.
type Waivers map[string]string

// PinnedImages waives kube-score's wish for imagePullPolicy Always, for
// every workload of the platform.
var PinnedImages = Waivers{
	"container-image-pull-policy": "every image is an exact version pinned in internal/pins, pulled from a public " +
		"registry without imagePullSecrets, so the default policy for a tagged image (IfNotPresent) runs exactly that " +
		"image and there is no pull secret to re-validate; Always would make every pod restart depend on the registry " +
		"being reachable, and the platform is needed most when other things are down",
}

// With returns the waivers of w and of more (more wins on a shared check).
func (w Waivers) With(more Waivers) Waivers {
	out := maps.Clone(w)
	if out == nil {
		out = Waivers{}
	}
	maps.Copy(out, more)
	return out
}

// Checks are the waived check ids, sorted. A check without a reason is not
// waived.
func (w Waivers) Checks() []string {
	var ids []string
	for id, why := range w {
		if strings.TrimSpace(why) != "" {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// Annotate sets the kube-score ignore annotation of the waivers on a
// workload's metadata (keeping the annotations it already has in a plain
// map) and returns it.
func (w Waivers) Annotate(meta *metav1.ObjectMetaArgs) *metav1.ObjectMetaArgs {
	ids := w.Checks()
	if len(ids) == 0 {
		return meta
	}
	ann := pulumi.StringMap{}
	if m, ok := meta.Annotations.(pulumi.StringMap); ok {
		maps.Copy(ann, m)
	}
	ann[KubeScoreIgnoreAnnotation] = pulumi.String(strings.Join(ids, ","))
	meta.Annotations = ann
	return meta
}
