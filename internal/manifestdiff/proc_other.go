//go:build !unix

package manifestdiff

import "os/exec"

// killGroup does nothing where process groups are not available: only the
// direct child is killed on cancellation.
func killGroup(*exec.Cmd) (sweep func()) { return func() {} }
