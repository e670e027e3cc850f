package alerting

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shipBlocks puts promtool's blocks into a filesystem bucket as a sidecar
// uploads them: each with the replica's external labels in meta.json's
// thanos section. A block is given an id (ULID) from its own end time, as
// if it had been uploaded then, so the rendered compactor's consistency
// delay (how long it leaves fresh uploads alone) does not skip it.
func shipBlocks(t *testing.T, blocks []string, bucket string, external map[string]string) {
	t.Helper()
	for _, b := range blocks {
		raw, err := os.ReadFile(filepath.Join(b, "meta.json"))
		require.NoError(t, err)
		var meta map[string]any
		require.NoError(t, json.Unmarshal(raw, &meta))
		maxT := int64(meta["maxTime"].(float64))
		id, err := ulid.New(uint64(maxT), rand.Reader)
		require.NoError(t, err)
		meta["ulid"] = id.String()
		meta["compaction"].(map[string]any)["sources"] = []string{id.String()}
		meta["thanos"] = map[string]any{"labels": external, "downsample": map[string]any{"resolution": 0}, "source": "sidecar"}
		dst := filepath.Join(bucket, id.String())
		require.NoError(t, copyDir(b, dst))
		out, err := json.MarshalIndent(meta, "", "\t")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dst, "meta.json"), out, 0o644))
	}
}

// bucketMetas reads every block's meta.json in a filesystem bucket, with
// whether the block is marked for deletion.
type bucketBlock struct {
	ID         string
	MinTime    int64
	MaxTime    int64
	Resolution int64
	Labels     map[string]string
	Deleted    bool
	Samples    int64
	Level      int
}

func bucketBlocks(t *testing.T, bucket string) []bucketBlock {
	t.Helper()
	entries, err := os.ReadDir(bucket)
	require.NoError(t, err)
	var out []bucketBlock
	for _, e := range entries {
		raw, err := os.ReadFile(filepath.Join(bucket, e.Name(), "meta.json"))
		if err != nil {
			continue
		}
		var m struct {
			MinTime int64 `json:"minTime"`
			MaxTime int64 `json:"maxTime"`
			Stats   struct {
				NumSamples int64 `json:"numSamples"`
			} `json:"stats"`
			Compaction struct {
				Level int `json:"level"`
			} `json:"compaction"`
			Thanos struct {
				Labels     map[string]string `json:"labels"`
				Downsample struct {
					Resolution int64 `json:"resolution"`
				} `json:"downsample"`
			} `json:"thanos"`
		}
		require.NoError(t, json.Unmarshal(raw, &m))
		_, err = os.Stat(filepath.Join(bucket, e.Name(), "deletion-mark.json"))
		out = append(out, bucketBlock{ID: e.Name(), MinTime: m.MinTime, MaxTime: m.MaxTime, Resolution: m.Thanos.Downsample.Resolution,
			Labels: m.Thanos.Labels, Deleted: err == nil, Samples: m.Stats.NumSamples, Level: m.Compaction.Level})
	}
	return out
}

// TestLiveCompactorDownsamplesOldBlocksAndQueryReadsTheHourTierAfterRawIsGone
// gives the rendered compactor 16 days of both replicas' blocks from before
// the raw retention (456d in prod), lets it deduplicate, compact and
// downsample them, removes what it marked for deletion, and queries the
// range through the rendered store gateway and Thanos Query.
func TestLiveCompactorDownsamplesOldBlocksAndQueryReadsTheHourTierAfterRawIsGone(t *testing.T) {
	t.Parallel()
	bins := EnsureBins(t)
	r := Render(t, "prod")
	dir := t.TempDir()
	start := time.Now()
	rawRetention, ok := Flag(r.Container(t, "thanos-compactor", "compactor"), "retention.resolution-raw")
	require.True(t, ok)
	rawDays, err := strconv.Atoi(rawRetention[:len(rawRetention)-1])
	require.NoError(t, err, rawRetention)

	// One full 14-day compaction window (aligned to the epoch, as the
	// compactor's ranges are) plus two days, ending beyond the raw retention.
	const day = 24 * time.Hour
	window := 14 * day
	from := time.Unix(0, 0).Add(time.Duration(time.Now().Add(-time.Duration(rawDays+20)*day).UnixNano()/int64(window)) * window).UTC()
	to := from.Add(16 * day)
	require.True(t, to.Before(time.Now().Add(-time.Duration(rawDays)*day)), "the history is older than the raw retention")

	bucket := filepath.Join(dir, "bucket")
	require.NoError(t, os.MkdirAll(bucket, 0o755))
	objstore := filepath.Join(dir, "objstore.yml")
	require.NoError(t, os.WriteFile(objstore, []byte("type: FILESYSTEM\nconfig:\n  directory: "+bucket+"\n"), 0o644))
	// The replicas scrape the same target half a minute apart, as an HA pair
	// does; the counter is the same function of time on both.
	for i, offset := range []time.Duration{0, 30 * time.Second} {
		name := fmt.Sprintf("prometheus-%d", i)
		app := NewApp(from.Add(offset))
		app.addr = "10.0.3.7:8080"
		app.HTTPService(ns, "checkout", from.Add(offset), HTTP{RPS: 20, Errors: 0.05, NoHistogram: true})
		rdir := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(rdir, 0o755))
		blocks := Backfill(t, bins, rdir, app, to, time.Minute, nil, 2*day)
		shipBlocks(t, blocks, bucket, map[string]string{"cluster": "klearkarma-prod", "replica": name})
	}
	t.Logf("two replicas' blocks (%s..%s) in the bucket after %s", from.Format(time.DateOnly), to.Format(time.DateOnly), time.Since(start).Round(100*time.Millisecond))

	chttp, err := FreeAddr()
	require.NoError(t, err)
	cargs, err := Rewrite(r.Container(t, "thanos-compactor", "compactor"), map[string]string{
		"data-dir": filepath.Join(dir, "compact"), "objstore.config-file": objstore, "http-address": chttp,
	})
	require.NoError(t, err)
	compactor, err := StartProc(dir, "thanos-compactor", bins.Thanos, cargs, nil)
	require.NoError(t, err)
	t.Cleanup(compactor.Stop)
	// The rendered compactor runs with --wait: it keeps running and
	// repeats every 5 minutes. The first pass is what is watched.
	deadline := time.Now().Add(2 * time.Minute)
	var blocks []bucketBlock
	for {
		blocks = bucketBlocks(t, bucket)
		if hasLive(blocks, 3600000) && rawMarked(blocks, to) {
			break
		}
		if time.Now().After(deadline) || compactor.Exited() {
			t.Fatalf("the compactor made no 1h block and marked no raw block within 2 minutes; blocks %+v\n%s", blocks, compactor.Tail(30))
		}
		time.Sleep(time.Second)
	}
	compactor.Stop()
	t.Logf("compacted and downsampled after %s", time.Since(start).Round(100*time.Millisecond))

	t.Run("the compactor deduplicated the replicas and downsampled to 5m and 1h", func(t *testing.T) {
		res := map[int64]int{}
		for _, b := range blocks {
			res[b.Resolution]++
			if b.Resolution > 0 {
				assert.NotContains(t, b.Labels, "replica", "a downsampled block is the replicas' merge: %+v", b)
				assert.Equal(t, "klearkarma-prod", b.Labels["cluster"])
			}
		}
		assert.Positive(t, res[300000], "5m blocks: %+v", blocks)
		assert.Positive(t, res[3600000], "1h blocks: %+v", blocks)
	})

	t.Run("the merge kept one replica's samples (penalty), not both interleaved", func(t *testing.T) {
		// The replicas' blocks of the 14-day window were merged into one
		// raw block without the replica label. Each replica scraped two
		// series once a minute; penalty deduplication keeps one replica's
		// samples, the default (chain) merge keeps both, 30 s apart.
		var merged *bucketBlock
		for i, b := range blocks {
			if b.Resolution == 0 && b.Level > 1 && b.Labels["replica"] == "" {
				merged = &blocks[i]
			}
		}
		require.NotNil(t, merged, "a merged raw block: %+v", blocks)
		perReplica := 2 * (merged.MaxTime - merged.MinTime) / time.Minute.Milliseconds()
		ratio := float64(merged.Samples) / float64(perReplica)
		assert.InDelta(t, 1.0, ratio, 0.01, "samples in the merged block over one replica's (%d / %d); both replicas interleaved would be 2", merged.Samples, perReplica)
	})

	// What the compactor marked is deleted after --delete-delay (48h);
	// cleanup with no delay stands in for those two days.
	out, err := exec.Command(bins.Thanos, "tools", "bucket", "cleanup", "--objstore.config-file="+objstore, "--delete-delay=0s").CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, b := range bucketBlocks(t, bucket) {
		require.NotZero(t, b.Resolution, "after the raw retention only downsampled blocks are left: %+v", b)
	}

	pair := &Pair{Bucket: objstore}
	q := StartQuery(t, dir, bins, r, pair)
	// Wait for the store gateway to have loaded the blocks.
	qdeadline := time.Now().Add(time.Minute)
	expr := fmt.Sprintf(`sum(rate(http_requests_total{service="checkout"}[%s]))`, "2h")
	var got []Series
	for time.Now().Before(qdeadline) {
		got, err = QueryRange(q.URL, expr, from.Add(day), to.Add(-day), day, nil)
		if err == nil && len(got) > 0 {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}

	t.Run("a query over a range older than the raw retention returns the 1h data without naming a resolution", func(t *testing.T) {
		require.NoError(t, err)
		require.Len(t, got, 1, "Thanos Query reads the 1h tier on its own (--query.auto-downsampling)")
		for _, v := range got[0].Values {
			f, err := strconv.ParseFloat(v[1].(string), 64)
			require.NoError(t, err)
			assert.InDelta(t, 20, f, 0.5, "20 requests a second, read from the 1h blocks")
		}
	})

	t.Run("Grafana's max_source_resolution=auto reads the 1h tier too, and raw resolution finds nothing", func(t *testing.T) {
		auto, err := QueryRange(q.URL, expr, from.Add(day), to.Add(-day), day, url.Values{"max_source_resolution": {"auto"}})
		require.NoError(t, err)
		assert.Len(t, auto, 1)
		raw, err := QueryRange(q.URL, expr, from.Add(day), to.Add(-day), day, url.Values{"max_source_resolution": {"0s"}})
		require.NoError(t, err)
		assert.Empty(t, raw, "the raw blocks are gone")
	})

	t.Logf("done after %s", time.Since(start).Round(100*time.Millisecond))
}

func hasLive(blocks []bucketBlock, resolution int64) bool {
	for _, b := range blocks {
		if b.Resolution == resolution && !b.Deleted {
			return true
		}
	}
	return false
}

func rawMarked(blocks []bucketBlock, before time.Time) bool {
	for _, b := range blocks {
		if b.Resolution == 0 && !b.Deleted && b.MaxTime <= before.UnixMilli() {
			return false
		}
	}
	return true
}
