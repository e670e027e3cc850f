#!/usr/bin/env bash
# The test command: what `make test` and CI run. The quick checks first,
# failing fast; then go test beside the tool builds and the linters (below).
#
# Everything it needs is built from the Go module proxy by the repo's own
# code into the tools cache (${KK_TOOLS_CACHE:-~/.cache/klearkarma-observability/tools}),
# once: the Pulumi CLI and kubernetes plugin (scripts/tools.sh), the
# embedded Kubernetes control plane (cmd/cluster build) and the real
# servers the live tiers run (cmd/servers). Later runs find them at once.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s [%s]\n' "$*" "$(date -u +%H:%M:%S)"; }
start=$(date +%s)

step "tracked files: none over 1 MB (build outputs and binaries are not committed)"
big=$(git ls-files -z | xargs -0 -r stat -c '%s %n' 2>/dev/null | awk '$1 > 1048576 {print $2 " (" $1 " bytes)"}')
if [ -n "$big" ]; then
  echo "tracked files over 1 MB:"; echo "$big"
  echo "remove them from git (git rm --cached) and ignore them in .gitignore"; exit 1
fi

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step "actionlint: the workflows in .github/workflows (pinned in tools/actionlint/go.mod; any finding fails)"
go tool -modfile=tools/actionlint/go.mod actionlint

step "go test beside the tool builds: unit tests, upstream validators, engine round-trips, live tiers (real cluster and servers)"
# Everything runs at once and nothing waits for a stage to finish: the
# Pulumi CLI and kubernetes plugin (scripts/tools.sh), the control plane
# (cmd/cluster build) and the servers (cmd/servers) build in the
# background while go test compiles and runs the tests that need none of
# them; a test that needs one waits on that build's lock (tools.sh's
# flock, internal/cluster's and internal/livebin's build locks) and goes
# on when it is built. From nothing that keeps both cores busy from the
# first minute to the last, where stages left them idle: the builds'
# serial stretches (module downloads, links), and the live tiers' waits
# on servers and the control plane. The tool builds run at normal
# priority, since the longest live tiers wait on them; go test a little
# lower; go vet, staticcheck and the collector module's vet, which
# nothing waits on, lowest.
#
# -trimpath everywhere (GOFLAGS): the renders internal/manifestdiff runs
# in temporary worktrees build with -trimpath so that the worktree's path
# does not key the cache; with the same flag here, they reuse the
# packages go test compiled instead of compiling every dependency twice.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-trimpath"
logs=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$logs"
}
trap cleanup EXIT
scripts/tools.sh >"$logs/tools.out" 2>"$logs/tools.log" & tools_pid=$!; pids+=("$tools_pid")
# Built first, so that the EXIT trap stops the builders themselves (they
# cancel their go builds) rather than `go run` wrappers.
go build -o "$logs/cluster" ./cmd/cluster
go build -o "$logs/servers" ./cmd/servers
"$logs/cluster" build >"$logs/cluster.log" 2>&1 & cluster_pid=$!; pids+=("$cluster_pid")
"$logs/servers" >"$logs/servers.out" 2>"$logs/servers.log" & servers_pid=$!; pids+=("$servers_pid")
# Capture, then print the first line: piping into `head` under pipefail lets
# head exit first and kill the tool with SIGPIPE (exit 141) at random.
first_line() { local out; out=$("$@" 2>&1) || { printf '%s\n' "$out"; return 1; }; printf '%s\n' "${out%%$'\n'*}"; }
(
  renice -n 19 -p "$BASHPID" >/dev/null
  set -e
  echo "go vet:"; go vet ./...
  # With cgo off, as internal/livebin builds the collector (otelcol-kk):
  # the vet then reuses that build's packages instead of compiling the
  # collector's dependencies a second time.
  echo "tools/otelcol go vet:"; (cd tools/otelcol && CGO_ENABLED=0 go vet ./...)
  echo "staticcheck $(cd tools && first_line go tool staticcheck -version):"; go tool -modfile=tools/go.mod staticcheck ./...
) >"$logs/lint.log" 2>&1 & lint_pid=$!; pids+=("$lint_pid")
test_rc=0
# -p 6: a test waiting on a build holds one of go test's slots; more slots
# than cores let compiling the other packages go on meanwhile.
nice -n 3 go test -count=1 -p 6 -ldflags=-s\ -w -timeout 75m ./... || test_rc=$?
wait_job() { # name pid: wait for a background job; print its log if it failed
  local rc=0; wait "$2" || rc=$?
  [ "$rc" = 0 ] || { echo "$1 failed (exit $rc):"; cat "$logs/$1.log"; }
  return "$rc"
}
jobs_rc=0
wait_job tools "$tools_pid" || jobs_rc=1
wait_job cluster "$cluster_pid" || jobs_rc=1
wait_job servers "$servers_pid" || jobs_rc=1
wait_job lint "$lint_pid" && cat "$logs/lint.log" || jobs_rc=1
pids=()
step "tools: the Pulumi CLI and kubernetes plugin, the control plane"
echo "tools root: $(tail -n 1 "$logs/tools.out")"
grep -h -E 'built|ready|cached|in [0-9.]+s' "$logs"/tools.log "$logs"/cluster.log | tail -n 20 || true
step "servers: the pinned builds the live tiers ran (promtool and amtool come with Prometheus and Alertmanager, one pin with their images)"
grep -h -E 'ready in|failed|error' "$logs/servers.log" | tail -n 20 || true
server() { awk -v n="$1" '$1 == n {print $2}' "$logs/servers.out"; }
[ -z "$(server promtool)" ] || first_line "$(server promtool)" --version
[ -z "$(server amtool)" ] || first_line "$(server amtool)" --version
[ "$test_rc" = 0 ] || exit "$test_rc"
[ "$jobs_rc" = 0 ] || exit 1

# CPU the whole command used (user and system, this shell and everything
# it waited for): the work the cores did, beside the wall time.
step "done in $(( $(date +%s) - start ))s"
times
