package thanos

import (
	"fmt"
	"time"

	"github.com/prometheus/common/model"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/klearkarma/observability/internal/check"
	"github.com/klearkarma/observability/internal/pins"
	"github.com/klearkarma/observability/internal/workload"
)

// DefaultImage is the pinned Thanos release (internal/pins), the one the
// live tier builds and runs with the rendered flags.
var DefaultImage = pins.Thanos.Image()

// minRawRetention is what the compactor needs to build 5m blocks.
const minRawRetention = 40 * time.Hour

// Storage says where blocks live: an S3 bucket, or (offline stacks) a
// filesystem on a shared volume.
type Storage struct {
	// S3Bucket and S3Region select S3; credentials come from the pods'
	// environment (an IAM role for the service account), never from here.
	S3Bucket pulumi.StringInput
	S3Region string
	// FilesystemSize, when S3Bucket is nil, creates a ReadWriteMany volume
	// holding the bucket.
	FilesystemSize string
}

// Retention is kept per resolution by the compactor; each is a Prometheus
// duration ("456d").
type Retention struct {
	Raw, FiveMinutes, OneHour string
}

// Check states the compactor's rules on its retention flags; fields are
// named raw, fiveMinutes and oneHour. The downsampled ones may be 0, the
// compactor's "keep forever"; raw needs 40h to downsample from.
func (r Retention) Check() check.Problems {
	var ps check.Problems
	for _, f := range []struct{ field, val string }{{"raw", r.Raw}, {"fiveMinutes", r.FiveMinutes}, {"oneHour", r.OneHour}} {
		d, err := model.ParseDuration(f.val)
		if err != nil {
			ps.Add(f.field, fmt.Sprintf("%q is not a duration (%v)", f.val, err), `use a Prometheus duration such as "456d" (15 months) or "5y"`)
		} else if f.field == "raw" && time.Duration(d) < minRawRetention {
			ps.Add(f.field, fmt.Sprintf("%s is under 40h, which the compactor refuses with downsampling on", f.val),
				"keep raw metrics at least 40h: the Thanos compactor needs them to downsample")
		}
	}
	return ps
}

// Sizing is what a stack decides about Thanos' volumes and replicas. The
// stack configuration uses it as its `thanos` key, and New checks the same
// values from Args, so these rules exist once (Check).
type Sizing struct {
	StoreReplicas        int    `json:"storeReplicas" doc:"Thanos Store Gateways; at least 1."`
	QueryReplicas        int    `json:"queryReplicas" doc:"Thanos Query replicas; at least 1."`
	StoreStorageSize     string `json:"storeStorageSize" doc:"Each Store Gateway's index cache volume."`
	CompactorStorageSize string `json:"compactorStorageSize" doc:"The compactor's work volume."`
	// FilesystemBucketSize is the shared volume that stands in for S3 when
	// aws.enabled is false (the offline stack).
	FilesystemBucketSize string `json:"filesystemBucketSize" doc:"Shared volume standing in for S3 when aws.enabled is false."`
}

// Check states the sizing rules; fields are named as the json tags.
// FilesystemBucketSize is checked only with filesystemBucket (no S3).
func (s Sizing) Check(filesystemBucket bool) check.Problems {
	var ps check.Problems
	check.AtLeast(&ps, "storeReplicas", s.StoreReplicas, 1)
	check.AtLeast(&ps, "queryReplicas", s.QueryReplicas, 1)
	check.Quantity(&ps, "storeStorageSize", s.StoreStorageSize)
	check.Quantity(&ps, "compactorStorageSize", s.CompactorStorageSize)
	if filesystemBucket {
		if s.FilesystemBucketSize == "" {
			ps.Add("filesystemBucketSize", "is empty and there is no S3 bucket", "set the size of the volume that stands in for S3, such as 20Gi, or use an S3 bucket")
		} else {
			check.Quantity(&ps, "filesystemBucketSize", s.FilesystemBucketSize)
		}
	}
	return ps
}

// Args configure Thanos.
type Args struct {
	Namespace string
	Storage   Storage
	Retention Retention
	// SidecarService is the headless Service of the Prometheus pods' gRPC
	// sidecar port, which Query discovers through DNS SRV records.
	SidecarService string
	// ServiceAccountAnnotations (e.g. an IAM role) go on the service account.
	ServiceAccountAnnotations map[string]string
	StoreReplicas             int
	QueryReplicas             int
	StoreStorageSize          string
	CompactorStorageSize      string
	Image                     string
	Resources                 workload.Resources
	// Data says how the data-holding children survive a delete (protect,
	// retain on delete); the stack decides.
	Data workload.DataPolicy
}

func (a *Args) withDefaults() error {
	var ps check.Problems
	check.DNSLabel(&ps, "namespace", a.Namespace, true)
	if a.SidecarService == "" {
		ps.Add("sidecarService", "is empty", "pass the headless Service of the Prometheus sidecars (prometheus.HeadlessServiceName)")
	}
	if a.StoreReplicas == 0 {
		a.StoreReplicas = 1
	}
	if a.QueryReplicas == 0 {
		a.QueryReplicas = 1
	}
	if a.StoreStorageSize == "" {
		a.StoreStorageSize = "10Gi"
	}
	if a.CompactorStorageSize == "" {
		a.CompactorStorageSize = "50Gi"
	}
	ps.Merge("", Sizing{
		StoreReplicas: a.StoreReplicas, QueryReplicas: a.QueryReplicas,
		StoreStorageSize: a.StoreStorageSize, CompactorStorageSize: a.CompactorStorageSize,
		FilesystemBucketSize: a.Storage.FilesystemSize,
	}.Check(a.Storage.S3Bucket == nil), map[string]string{"filesystemBucketSize": "storage.filesystemSize"})
	ps.Merge("retention", a.Retention.Check(), nil)
	if a.Image == "" {
		a.Image = DefaultImage
	}
	if a.Resources == (workload.Resources{}) {
		a.Resources = workload.Resources{RequestsCPU: "100m", RequestsMemory: "256Mi", LimitsCPU: "1", LimitsMemory: "2Gi"}
	}
	return ps.Err()
}
