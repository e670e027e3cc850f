package cluster

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// ToolsCache is the directory the repo's built tools live in, one
// sub-directory per tool and version: $KK_TOOLS_CACHE, else
// $XDG_CACHE_HOME (or ~/.cache)/klearkarma-observability/tools, the same
// place scripts/tools.sh uses.
func ToolsCache() (string, error) {
	if d := os.Getenv("KK_TOOLS_CACHE"); d != "" {
		return d, nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("tools cache: %w; set KK_TOOLS_CACHE to a writable directory", err)
	}
	return filepath.Join(base, "klearkarma-observability", "tools"), nil
}

// lockFile takes an exclusive flock on path (created if missing) and returns
// the function that releases it. The lock is per tool directory, not the
// cache-wide one scripts/tools.sh takes, so building the control plane does
// not wait for a Pulumi build and the other way round. The kernel drops the
// lock if the process dies, so a crashed build never leaves the cache locked.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
