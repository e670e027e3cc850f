package livebin

import (
	"context"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lock takes an exclusive flock on file, waiting while another build (in
// this process or another) holds it, until ctx ends. The kernel drops the
// lock if the holder dies, so a killed build never blocks the next one.
func lock(ctx context.Context, file string, log progress) (unlock func(), err error) {
	f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open the lock file: %w; set KK_TOOLS_CACHE to a writable directory", err)
	}
	waiting := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if err != syscall.EWOULDBLOCK && err != syscall.EINTR {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", file, err)
		}
		if !waiting {
			log.printf("waiting for another build holding %s", file)
			waiting = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for the lock %s: %w", file, ctx.Err())
		case <-time.After(250 * time.Millisecond):
		}
	}
}
