package elasticsearch

import (
	"fmt"

	"github.com/klearkarma/observability/internal/check"
)

// Sizing is what a stack decides about the cluster: nodes, heap, limits,
// volumes and how vm.max_map_count is met. The stack configuration uses it
// as its `elasticsearch` key, and New checks the same values from Args, so
// these rules exist once (Check).
type Sizing struct {
	// Replicas is 1 or 3+: two nodes cannot form a quorum.
	Replicas int `json:"replicas" doc:"Elasticsearch nodes, each holding every role: 1 (no HA) or 3 or more (2 cannot form a quorum)."`
	// Heap is the JVM heap as a quantity, e.g. "1Gi"; at most half MemoryLimit.
	Heap        string `json:"heap" doc:"JVM heap; at most half of memoryLimit (Lucene needs the rest as file cache), at least 256Mi."`
	MemoryLimit string `json:"memoryLimit" doc:"Memory limit (and request) of each node."`
	CPULimit    string `json:"cpuLimit" doc:"CPU limit of each node."`
	StorageSize string `json:"storageSize" doc:"Data volume of each node."`
	// MaxMapCount is "init-container" (a privileged init container sets
	// vm.max_map_count), "node" (the node image already does) or "no-mmap"
	// (Elasticsearch does without mmap; slower, for small clusters).
	MaxMapCount MaxMapCountMode `json:"maxMapCount" doc:"How vm.max_map_count is met: init-container (a privileged init container sets it), node (the nodes already set 262144) or no-mmap (Elasticsearch does without mmap; slower)."`
	// SnapshotVolumeSize is the filesystem snapshot repository's volume,
	// used when snapshots do not go to S3.
	SnapshotVolumeSize string `json:"snapshotVolumeSize" doc:"Volume of the snapshot repository when aws.enabled is false (S3 otherwise)."`
}

// minHeap is the smallest heap Elasticsearch starts with.
const minHeap = 256 << 20

// Check states the sizing rules; fields are named as the json tags.
// SnapshotVolumeSize is checked only when set (it is needed only without S3).
func (s Sizing) Check() check.Problems {
	var ps check.Problems
	check.Quorum(&ps, "replicas", s.Replicas, "master-eligible Elasticsearch nodes")
	if s.Replicas < 1 {
		ps.Add("replicas", fmt.Sprintf("%d is below 1", s.Replicas), "use 1 (no HA) or 3 or more")
	}
	mem := check.Quantity(&ps, "memoryLimit", s.MemoryLimit)
	check.Quantity(&ps, "cpuLimit", s.CPULimit)
	check.Quantity(&ps, "storageSize", s.StorageSize)
	if s.Heap == "" {
		ps.Add("heap", "is required", "set the JVM heap, at most half of memoryLimit (e.g. 2Gi of 4Gi)")
	} else if heap := check.Quantity(&ps, "heap", s.Heap); heap != nil {
		if mem != nil && heap.Value()*2 > mem.Value() {
			ps.Add("heap", fmt.Sprintf("%s is more than half of the memory limit %s: Elasticsearch needs the other half for the filesystem cache and off-heap memory", s.Heap, s.MemoryLimit),
				fmt.Sprintf("keep the heap at most 50%% of the memory limit: lower heap to at most %s or raise memoryLimit to at least %s",
					mebibytes(mem.Value()/2), mebibytes(heap.Value()*2)))
		}
		if heap.Value() < minHeap {
			ps.Add("heap", fmt.Sprintf("%s is under 256Mi, which Elasticsearch cannot run in", s.Heap), "set 256Mi or more")
		}
	}
	switch s.MaxMapCount {
	case MaxMapCountInitContainer, MaxMapCountNode, MaxMapCountNoMmap:
	default:
		ps.Add("maxMapCount", fmt.Sprintf("%q is not a known way to meet vm.max_map_count", s.MaxMapCount),
			fmt.Sprintf("use %q (a privileged init container sets it), %q (the nodes already set 262144) or %q", MaxMapCountInitContainer, MaxMapCountNode, MaxMapCountNoMmap))
	}
	if s.SnapshotVolumeSize != "" {
		check.Quantity(&ps, "snapshotVolumeSize", s.SnapshotVolumeSize)
	}
	return ps
}

func mebibytes(b int64) string { return fmt.Sprintf("%dMi", b>>20) }
