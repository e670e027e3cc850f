package manifestdiff_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/klearkarma/observability/internal/manifestdiff"
	"github.com/klearkarma/observability/internal/manifestdiff/manifestdifftest"
)

// How `stackctl diff <stack> --base <ref>` uses the package: render the base
// revision (a stack it lacks is a missing, empty base), load both renders,
// compare, print Markdown or JSON.
func Example() {
	loadBase := func(renderErr error, dir string) (manifestdiff.Set, error) {
		// renderErr is what RenderRevision(ctx, RenderOptions{..., OutDir: dir}) returned.
		switch {
		case errors.Is(renderErr, manifestdiff.ErrStackNotFound):
			return manifestdiff.MissingSet(dir), nil
		case renderErr != nil:
			return manifestdiff.Set{}, renderErr
		}
		return manifestdiff.Load(dir)
	}
	// Two renders of one stack; manifestdifftest writes them, as `stackctl
	// diff` would have.
	dir, err := os.MkdirTemp("", "manifestdiff-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	baseDir, headDir, err := manifestdifftest.Write(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	base, err := loadBase(nil, baseDir)
	if err != nil {
		fmt.Println(err)
		return
	}
	head, err := manifestdiff.Load(headDir)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := manifestdiff.Compare(base, head)
	fmt.Printf("%+v\n", r.Summary)
	for _, c := range r.Objects {
		fmt.Println(c.Change, c.Key)
		for _, k := range c.SecretKeys {
			fmt.Printf("  key %s: %s\n", k.Key, k.Change)
		}
	}
	// Output:
	// {Added:1 Changed:3 Removed:1 Unchanged:3}
	// changed v1/ConfigMap/monitoring/grafana-dashboards
	// added v1/ConfigMap/monitoring/grafana-dashboards-slo
	// changed v1/Secret/monitoring/alertmanager-smtp
	//   key api-token: added
	//   key legacy-token: removed
	//   key smtp-password: changed
	// removed v1/Service/monitoring/legacy-exporter
	// changed apps/v1/StatefulSet/monitoring/thanos-compactor
}
