package cluster

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseProcStat(t *testing.T) {
	cases := map[string]struct {
		line      string
		state     byte
		startTime uint64
		wantErr   bool
	}{
		"a plain command name": {
			line:  "4242 (etcd) S 1 4242 4242 0 -1 4194560 1000 0 0 0 10 5 0 0 20 0 12 0 987654 123456 789 18446744073709551615\n",
			state: 'S', startTime: 987654,
		},
		"a command name with spaces and parentheses": {
			line:  "77 (kube (api) server) Z 1 77 77 0 -1 4194560 1000 0 0 0 10 5 0 0 20 0 12 0 555 123456 789\n",
			state: 'Z', startTime: 555,
		},
		"a truncated line is refused": {line: "77 (x) S 1 2 3", wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			state, start, err := parseProcStat([]byte(tc.line))
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, string(tc.state), string(state))
			assert.Equal(t, tc.startTime, start)
		})
	}
}

// A detached process is found again from its PID alone (as `down` does)
// and stopped with SIGTERM; a reused PID with another start time is left
// alone.
func TestStopByPIDAsDownDoes(t *testing.T) {
	dir := t.TempDir()
	p, err := startProcess("sleeper", "/bin/sleep", []string{"60"}, filepath.Join(dir, "sleeper.log"), true)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = p.stop(time.Second) })
	require.NotZero(t, p.StartTime)

	impostor := &process{Name: "sleeper", PID: p.PID, StartTime: p.StartTime + 1}
	assert.True(t, impostor.exited(), "a PID whose start time differs is another program")
	how, err := impostor.stop(time.Second)
	require.NoError(t, err)
	assert.Empty(t, how, "nothing was signalled")
	assert.False(t, p.exited(), "stopping the impostor did not signal the real process")

	found := &process{Name: "sleeper", PID: p.PID, StartTime: p.StartTime}
	assert.False(t, found.exited())
	start := time.Now()
	how, err = found.stop(5 * time.Second)
	require.NoError(t, err)
	assert.Equal(t, "SIGTERM", how)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.True(t, p.waitExit(time.Second), "the child is reaped")
}

func TestAnAttachedProcessThatExitsReportsItsLog(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "fail.sh")
	require.NoError(t, os.WriteFile(script, []byte("#!/bin/sh\necho 'bind: address already in use' >&2\nexit 3\n"), 0o755))
	p, err := startProcess("failer", script, nil, filepath.Join(dir, "failer.log"), false)
	require.NoError(t, err)
	require.True(t, p.waitExit(5*time.Second))
	err = p.exitError()
	assert.ErrorContains(t, err, "failer exited: exit status 3")
	assert.ErrorContains(t, err, "bind: address already in use")
}

// A program that cannot start fails Start with its name and log, after one
// retry on new ports when the log says a port was taken; nothing is left
// running and cluster.json records nothing alive.
func TestStartFailsWithTheLogOfTheProgramThatDied(t *testing.T) {
	bin := t.TempDir()
	for _, f := range binFiles {
		require.NoError(t, os.WriteFile(filepath.Join(bin, f), []byte("#!/bin/sh\nsleep 60\n"), 0o755))
	}
	require.NoError(t, os.WriteFile(filepath.Join(bin, binEtcd),
		[]byte("#!/bin/sh\necho \"listen tcp 127.0.0.1: bind: address already in use ($*)\" >&2\nexit 1\n"), 0o755))
	var progress bytes.Buffer
	dir := t.TempDir()
	_, err := Start(t.Context(), StartOptions{Dir: dir, BinDir: bin, Progress: &progress, Timeout: 20 * time.Second})
	require.Error(t, err)
	assert.ErrorContains(t, err, "waiting for etcd /health: etcd exited")
	assert.ErrorContains(t, err, "address already in use")
	assert.Contains(t, progress.String(), "starting again on new ports")
	c, err := Open(dir)
	if err == nil {
		assert.Len(t, c.Exited(), len(c.Processes()), "nothing recorded still runs")
	}
}
