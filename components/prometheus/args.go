package prometheus

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/duration"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/workload"
)

// Pinned images: each is the release whose module the tests validate its
// configuration with and build the live binaries from (internal/pins), so
// what is tested is what is deployed.
var (
	DefaultImage        = pins.Prometheus.Image()
	DefaultSidecarImage = pins.Thanos.Image()
)

// Objstore is where the sidecar uploads blocks; a nil SecretName turns
// uploading off.
type Objstore struct {
	SecretName pulumi.StringInput
	SecretKey  string
	// BucketClaim and BucketPath mount a filesystem bucket (offline stacks).
	BucketClaim pulumi.StringInput
	BucketPath  string
}

// Args configure Prometheus.
type Args struct {
	Namespace      string
	Replicas       int
	StorageSize    string
	LocalRetention string
	Scrape         ScrapeSettings
	// RuleFiles maps file name (*.yaml) to rule-file content.
	RuleFiles                 map[string]string
	Objstore                  Objstore
	ServiceAccountAnnotations map[string]string
	Image, SidecarImage       string
	Resources                 workload.Resources
}

// Sizing is what a stack decides about the servers. The stack
// configuration checks its `prometheus` key with it, and New checks Args
// with it, so these rules exist once (Check).
type Sizing struct {
	Replicas    int
	StorageSize string
	// LocalRetention is a Prometheus duration ("15d"): what each server
	// keeps before Thanos serves the data from object storage.
	LocalRetention string
}

// Check states the sizing rules; fields are named as the stack
// configuration's json fields (replicas, storageSize, localRetention).
func (s Sizing) Check() check.Problems {
	var ps check.Problems
	check.AtLeast(&ps, "replicas", s.Replicas, 1)
	check.Quantity(&ps, "storageSize", s.StorageSize)
	if _, err := duration.Parse(s.LocalRetention); err != nil {
		ps.Add("localRetention", fmt.Sprintf("%q is not a duration (%v)", s.LocalRetention, err), `use a Prometheus duration such as "15d"`)
	}
	return ps
}

func (a *Args) withDefaults() error {
	var ps check.Problems
	check.DNSLabel(&ps, "namespace", a.Namespace, true)
	ps.Merge("", Sizing{Replicas: a.Replicas, StorageSize: a.StorageSize, LocalRetention: a.LocalRetention}.Check(), nil)
	for file := range a.RuleFiles {
		if !strings.HasSuffix(file, ".yaml") || file == ".yaml" {
			ps.Add("ruleFiles", fmt.Sprintf("%q does not end in .yaml", file), "name every rule file *.yaml: Prometheus loads "+RulesDir+"/*.yaml")
		}
	}
	if a.Objstore.SecretName != nil && a.Objstore.SecretKey == "" {
		ps.Add("objstore.secretKey", "is empty while a secret is set", "name the key of the objstore configuration in the secret")
	}
	if a.Image == "" {
		a.Image = DefaultImage
	}
	if a.SidecarImage == "" {
		a.SidecarImage = DefaultSidecarImage
	}
	if a.Resources == (workload.Resources{}) {
		a.Resources = workload.Resources{RequestsCPU: "500m", RequestsMemory: "2Gi", LimitsCPU: "2", LimitsMemory: "8Gi"}
	}
	return ps.Err()
}
