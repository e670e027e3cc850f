//go:build unix

package manifestdiff

import (
	"os/exec"
	"syscall"
)

// killGroup runs the command in its own process group. `go run` starts
// stackctl as a child, which starts the Pulumi engine and plugins, so
// signalling `go run` alone would leave them running. On cancellation the
// group gets SIGINT, which stackctl turns into a graceful cancel that
// removes its temporary state; after a cancelled run the returned sweep
// SIGKILLs whatever is left of the group.
func killGroup(cmd *exec.Cmd) (sweep func()) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT) }
	return func() {
		if cmd.Process != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	}
}
