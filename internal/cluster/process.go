package cluster

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A process is one control-plane program, started by this process or (in
// detached mode) by an earlier one and found again from the state file.
type process struct {
	Name   string `json:"name"`
	Binary string `json:"binary"`
	PID    int    `json:"pid"`
	// StartTime is the process's start in clock ticks since boot (field 22
	// of /proc/<pid>/stat). A PID is only signalled while its start time
	// still matches, so a reused PID is never killed.
	StartTime uint64 `json:"startTime"`
	Log       string `json:"log"`

	cmd  *exec.Cmd     // nil when the process is not this process's child
	done chan struct{} // closed when cmd.Wait returns
	err  error         // cmd.Wait's result, once done is closed
}

// spawner starts every child from one goroutine locked to its OS thread.
// Pdeathsig fires when the thread that forked the child exits, not the
// process. The Go runtime ends a thread only when a goroutine locked to it
// returns; this one never returns, so its thread lives exactly as long as
// the test binary, and the children get SIGKILL when it dies, even by
// SIGKILL or a panic.
var spawner struct {
	once sync.Once
	reqs chan spawnRequest
}

type spawnRequest struct {
	cmd  *exec.Cmd
	errc chan error
}

func startOnPinnedThread(cmd *exec.Cmd) error {
	spawner.once.Do(func() {
		spawner.reqs = make(chan spawnRequest)
		go func() {
			runtime.LockOSThread()
			for r := range spawner.reqs {
				r.errc <- r.cmd.Start()
			}
		}()
	})
	errc := make(chan error, 1)
	spawner.reqs <- spawnRequest{cmd: cmd, errc: errc}
	return <-errc
}

// startProcess runs binary with args, stdout and stderr appended to
// logPath. Attached processes die with this one (Pdeathsig); detached ones
// get their own session, so they outlive it and ignore the terminal's
// Ctrl-C, and are stopped by PID later.
func startProcess(name, binary string, args []string, logPath string, detached bool) (*process, error) {
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%s log: %w", name, err)
	}
	defer logFile.Close() // the child holds its own descriptor
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if detached {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		err = cmd.Start()
	} else {
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		err = startOnPinnedThread(cmd)
	}
	if err != nil {
		return nil, fmt.Errorf("start %s (%s): %w", name, binary, err)
	}
	p := &process{Name: name, Binary: binary, PID: cmd.Process.Pid, Log: logPath, cmd: cmd, done: make(chan struct{})}
	// A start time of 0 (the /proc read raced the exec) only disables the
	// PID-reuse check for this process.
	p.StartTime, _ = procStartTime(p.PID)
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// exited says whether the process has ended (or its PID now belongs to
// another program). Zombies count as ended: in a container whose PID 1
// does not reap orphans, a detached process that was stopped stays a
// zombie forever.
func (p *process) exited() bool {
	if p.done != nil {
		select {
		case <-p.done:
			return true
		default:
			return false
		}
	}
	state, start, err := procStat(p.PID)
	if err != nil {
		return true
	}
	if p.StartTime != 0 && start != p.StartTime {
		return true
	}
	return state == 'Z' || state == 'X'
}

// exitError describes why an exited process ended, with its last log lines.
func (p *process) exitError() error {
	reason := "exited"
	if p.done != nil && p.err != nil {
		reason = "exited: " + p.err.Error()
	}
	return fmt.Errorf("%s %s; last lines of %s:\n%s", p.Name, reason, p.Log, logTail(p.Log, 20))
}

// stop sends SIGTERM, waits up to grace for the process to exit, then
// sends SIGKILL. It says which signal ended the process ("" if it had
// already exited).
func (p *process) stop(grace time.Duration) (how string, err error) {
	if p.exited() {
		return "", nil
	}
	if err := syscall.Kill(p.PID, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return "", fmt.Errorf("stop %s (pid %d): %w", p.Name, p.PID, err)
	}
	if p.waitExit(grace) {
		return "SIGTERM", nil
	}
	if err := syscall.Kill(p.PID, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return "", fmt.Errorf("kill %s (pid %d): %w", p.Name, p.PID, err)
	}
	if !p.waitExit(10 * time.Second) {
		return "", fmt.Errorf("%s (pid %d) still runs after SIGKILL", p.Name, p.PID)
	}
	return fmt.Sprintf("SIGKILL after %s", grace), nil
}

func (p *process) waitExit(d time.Duration) bool {
	if p.done != nil {
		select {
		case <-p.done:
			return true
		case <-time.After(d):
			return false
		}
	}
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if p.exited() {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return p.exited()
}

// procStat reads the state and start time of pid from /proc/<pid>/stat.
func procStat(pid int) (state byte, startTime uint64, err error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, err
	}
	return parseProcStat(b)
}

// parseProcStat parses /proc/<pid>/stat: "pid (comm) state ppid ...",
// where comm may itself hold spaces and parentheses, so fields are counted
// after its last ')'.
func parseProcStat(b []byte) (state byte, startTime uint64, err error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, errors.New("malformed /proc stat")
	}
	fields := strings.Fields(string(b[i+1:]))
	// fields[0] is field 3 (state); field 22 (starttime) is fields[19].
	if len(fields) < 20 || len(fields[0]) != 1 {
		return 0, 0, errors.New("malformed /proc stat")
	}
	startTime, err = strconv.ParseUint(fields[19], 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("malformed /proc stat start time: %w", err)
	}
	return fields[0][0], startTime, nil
}

func procStartTime(pid int) (uint64, error) {
	_, t, err := procStat(pid)
	return t, err
}

// logTail is the last n lines of the file at path.
func logTail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	return tail(string(b), n)
}
