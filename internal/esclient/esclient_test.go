package esclient_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/klearkarma/observability/internal/conventions"
	"github.com/klearkarma/observability/internal/esclient"
	"github.com/klearkarma/observability/internal/pulumitest"
)

type hostCase struct {
	host    string
	wantErr string
}

func TestCheckHost(t *testing.T) {
	pulumitest.Cases(t, map[string]hostCase{
		"a Service's DNS name is a host":            {host: "elasticsearch.logging.svc.cluster.local"},
		"a missing host names what to pass":         {host: "", wantErr: "elasticsearch.host is required"},
		"a URL is not a host":                       {host: "https://es:9200", wantErr: "is not a DNS name"},
		"upper case is not a DNS name":              {host: "Elasticsearch.logging", wantErr: "is not a DNS name"},
		"a host with a port is refused, not parsed": {host: "es.logging.svc:9200", wantErr: "without scheme or port"},
	}, func(t *testing.T, tc hostCase) {
		errs := esclient.CheckHost(tc.host)
		if tc.wantErr == "" {
			assert.Empty(t, errs)
			return
		}
		if assert.Len(t, errs, 1) {
			assert.ErrorContains(t, errs[0], tc.wantErr)
		}
	})
}

func TestAnUnsetPortIsElasticsearchsAndABadOneIsRefused(t *testing.T) {
	port := 0
	assert.Empty(t, esclient.CheckPort(&port))
	assert.Equal(t, 9200, port)
	port = 70000
	assert.NotEmpty(t, esclient.CheckPort(&port))
}

func TestTheLogSchemasStreamsSplitIntoTypeDatasetAndNamespace(t *testing.T) {
	for stream, dataset := range map[string]string{conventions.ApplicationDataStream: "klearkarma.app", conventions.AuditDataStream: "klearkarma.audit"} {
		typ, ds, ns, ok := esclient.SplitDataStream(stream)
		assert.True(t, ok, stream)
		assert.Equal(t, []string{"logs", dataset, "default"}, []string{typ, ds, ns}, stream)
	}
	assert.Empty(t, esclient.CheckDataStreams(conventions.ApplicationDataStream, conventions.AuditDataStream))
}

type streamsCase struct {
	app, audit string
	want       []string
}

func TestCheckDataStreams(t *testing.T) {
	pulumitest.Cases(t, map[string]streamsCase{
		"two missing streams are two problems":            {want: []string{`appDataStream ""`, `auditDataStream ""`}},
		"a dash inside the dataset cannot be split":       {app: "logs-klear-karma-app", audit: conventions.AuditDataStream, want: []string{"use logs-<dataset>-<namespace>"}},
		"one stream for both kinds of log is refused":     {app: conventions.AuditDataStream, audit: conventions.AuditDataStream, want: []string{"audit events need their own stream"}},
		"a stream of another type than logs is not a log": {app: "metrics-klearkarma.app-default", audit: conventions.AuditDataStream, want: []string{"appDataStream"}},
	}, func(t *testing.T, tc streamsCase) {
		errs := esclient.CheckDataStreams(tc.app, tc.audit)
		assert.Len(t, errs, len(tc.want))
		for i, w := range tc.want {
			if i < len(errs) {
				assert.ErrorContains(t, errs[i], w)
			}
		}
	})
}
