package incident

import "time"

// SetPageRetries shortens the page's retry waits for a test; the returned
// func restores them.
func SetPageRetries(d ...time.Duration) func() {
	old := pageRetries
	pageRetries = d
	return func() { pageRetries = old }
}
