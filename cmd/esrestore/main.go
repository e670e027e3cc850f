// Command esrestore prints the script that restores the audit logs from
// the snapshot repository into a rebuilt Elasticsearch cluster (see the
// README's disaster recovery runbook). It only renders: the script runs
// inside an Elasticsearch node, which has the password, the CA and curl:
//
//	go run ./cmd/esrestore -bucket "$(pulumi stack output logSnapshotsBucket -s prod)" > restore.sh
//	kubectl -n logging exec -i elasticsearch-0 -c elasticsearch -- bash -s < restore.sh
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/klearkarma/observability/components/elasticsearch"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "esrestore:", err)
		os.Exit(2)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("esrestore", flag.ContinueOnError)
	bucket := fs.String("bucket", "", "the snapshot bucket (pulumi stack output logSnapshotsBucket); empty: the nodes' filesystem repository (local stack)")
	// The program's base path of the audit repository (program/logging.go).
	basePath := fs.String("base-path", "audit", "the repository's base path in the bucket")
	snapshot := fs.String("snapshot", "", "the snapshot to restore; empty: the newest successful one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s := elasticsearch.RestoreSettings{Type: elasticsearch.SnapshotsFilesystem, Snapshot: *snapshot}
	if *bucket != "" {
		s = elasticsearch.RestoreSettings{Type: elasticsearch.SnapshotsS3, S3Bucket: *bucket, S3BasePath: *basePath, Snapshot: *snapshot}
	}
	script, err := elasticsearch.RestoreScript(s)
	if err != nil {
		return err
	}
	_, err = io.WriteString(out, script)
	return err
}
