package rules

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/klearkarma/observability/components/elasticsearch"
)

// ElasticsearchSnapshotTooOld's 26-hour window assumes one snapshot a day:
// a schedule that runs less often makes it fire between two good runs, one
// that runs more often makes it late. The program sets no schedule, so the
// component's default is the stack's.
func TestTheSnapshotWindowFitsTheNightlySchedule(t *testing.T) {
	require.Equal(t, "0 30 1 * * ?", elasticsearch.DefaultSnapshotSchedule,
		"the SLM schedule changed: change snapshotWindow (rules/platform_logging.go) to its interval plus the time a snapshot takes")
}
