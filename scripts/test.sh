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
(cd tools && go tool promtool --version 2>&1 | head -1 && go tool amtool --version 2>&1 | head -1)

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step "go vet"
go vet ./...

step "go test (unit tests, upstream-parser checks, engine round-trips)"
go test -count=1 -timeout 45m ./...
