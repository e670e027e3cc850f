package elasticsearch

import (
	"path"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/klearkarma/observability/internal/conventions"
)

// The writer and reader roles name one pattern; it must reach every data
// stream of the log schema, or a writer would be refused on one of them.
func TestTheRolesPatternCoversEveryDataStreamOfTheLogSchema(t *testing.T) {
	for _, stream := range []string{conventions.ApplicationDataStream, conventions.AuditDataStream} {
		ok, err := path.Match(logsIndexPattern, stream)
		assert.NoError(t, err)
		assert.True(t, ok, "%s matches %s", logsIndexPattern, stream)
	}
}
