package policy_test

import (
	"os"
	"testing"
)

func TestDump(t *testing.T) {
	for _, s := range []string{"local", "dev", "prod"} {
		dir := "/tmp/kk/connectivity/dump-" + s
		os.RemoveAll(dir)
		os.MkdirAll(dir, 0o755)
		writeManifests(t, dir, manifests(t, s))
	}
}
