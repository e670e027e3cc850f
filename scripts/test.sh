#!/usr/bin/env bash
# The test command: what `make test` and CI run, in order, failing fast.
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

step "tools: Pulumi CLI and kubernetes plugin, control plane, live servers (built once, then cached)"
# The three builds run side by side, each logging to a file printed when it
# fails. go test starts as soon as the Pulumi tools and the control plane
# are ready (the engine and cluster tiers, the longest, need them); the
# servers keep building at a lower priority meanwhile, in the CPU the live
# tiers leave idle while they wait on the control plane, and a test that
# needs a server waits on that server's build lock (internal/livebin) until
# it is built. From nothing that saves most of the servers' build time.
logs=$(mktemp -d)
servers_pid=
cleanup() {
  if [ -n "$servers_pid" ]; then kill "$servers_pid" 2>/dev/null || true; wait "$servers_pid" 2>/dev/null || true; fi
  rm -rf "$logs"
}
trap cleanup EXIT
scripts/tools.sh >"$logs/tools.out" 2>"$logs/tools.log" & tools_pid=$!
go run ./cmd/cluster build >"$logs/cluster.log" 2>&1 & cluster_pid=$!
# Built first, so that the EXIT trap can stop the builder itself (it cancels
# its go build) rather than a `go run` wrapper.
go build -o "$logs/servers" ./cmd/servers
nice -n 10 "$logs/servers" >"$logs/servers.out" 2>"$logs/servers.log" & servers_pid=$!
failed=0
for job in tools:$tools_pid cluster:$cluster_pid; do
  name=${job%%:*}
  if ! wait "${job#*:}"; then
    echo "building $name failed:"; cat "$logs/$name.log"; failed=1
  fi
done
[ "$failed" = 0 ] || exit 1
KK_TOOLS_ROOT=$(tail -n 1 "$logs/tools.out")
export KK_TOOLS_ROOT
echo "tools: $KK_TOOLS_ROOT"
grep -h -E 'built|ready|cached|in [0-9.]+s' "$logs"/tools.log "$logs"/cluster.log | tail -n 20 || true
echo "servers: still building in the background (livebin progress is printed at the end)"

step "staticcheck version (tools/go.mod)"
# Capture, then print the first line: piping into `head` under pipefail lets
# head exit first and kill the tool with SIGPIPE (exit 141) at random.
first_line() { local out; out=$("$@" 2>&1) || { printf '%s\n' "$out"; return 1; }; printf '%s\n' "${out%%$'\n'*}"; }
(cd tools && first_line go tool staticcheck -version)

step "go vet"
go vet ./...

# staticcheck and the collector module's vet run beside go test: the live
# tiers spend most of their time waiting on servers and the control plane,
# which leaves a core free. Their output is printed when go test ends.
step "staticcheck and tools/otelcol go vet (in the background) and go test (unit tests, upstream validators, engine round-trips, live tiers: real cluster and servers)"
( go tool -modfile=tools/go.mod staticcheck ./... && (cd tools/otelcol && go vet ./...) ) >"$logs/lint.log" 2>&1 & lint_pid=$!
test_rc=0
go test -count=1 -timeout 60m ./... || test_rc=$?
lint_rc=0
wait "$lint_pid" || lint_rc=$?
echo "staticcheck and tools/otelcol go vet:"; cat "$logs/lint.log"
servers_rc=0
wait "$servers_pid" || servers_rc=$?
servers_pid=
step "servers: the pinned builds the live tiers ran (promtool and amtool come with Prometheus and Alertmanager, one pin with their images)"
grep -h -E 'ready in|failed|error' "$logs/servers.log" | tail -n 20 || true
server() { awk -v n="$1" '$1 == n {print $2}' "$logs/servers.out"; }
if [ "$servers_rc" = 0 ]; then
  first_line "$(server promtool)" --version
  first_line "$(server amtool)" --version
else
  echo "building the servers failed (exit $servers_rc):"; cat "$logs/servers.log"
fi
[ "$lint_rc" = 0 ] || { echo "staticcheck or tools/otelcol go vet failed (exit $lint_rc)"; exit 1; }
[ "$test_rc" = 0 ] || exit "$test_rc"
[ "$servers_rc" = 0 ] || exit 1

step "done in $(( $(date +%s) - start ))s"
