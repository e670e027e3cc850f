#!/usr/bin/env bash
# The test command: what `make test` and CI run, in order, failing fast.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "tools (pinned Pulumi CLI and kubernetes plugin; cached after the first build)"
KK_TOOLS_ROOT=$(scripts/tools.sh)
export KK_TOOLS_ROOT
echo "tools: $KK_TOOLS_ROOT"

step "promtool and amtool (pinned in tools/go.mod; built once, then cached by Go)"
# Capture, then print the first line: piping into `head` under pipefail lets
# head exit first and kill the tool with SIGPIPE (exit 141) at random.
first_line() { local out; out=$("$@" 2>&1) || { printf '%s\n' "$out"; return 1; }; printf '%s\n' "${out%%$'\n'*}"; }
(cd tools && first_line go tool promtool --version && first_line go tool amtool --version)

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step "go vet"
go vet ./...

step "go test (unit tests, upstream-parser checks, engine round-trips)"
go test -count=1 -timeout 45m ./...
