#!/usr/bin/env bash
# Provides the pinned Pulumi CLI and kubernetes resource plugin for this repo.
#
# Uses a matching `pulumi` already on PATH; otherwise builds both from the Go
# module proxy into a per-version cache outside the repo. Idempotent: a second
# run finds the binaries and returns in well under a second.
#
# Prints the tools root as its only line on stdout: ROOT/bin holds `pulumi` and
# `pulumi-resource-kubernetes` (the Automation API's PulumiCommand Root).
# Progress goes to stderr.
#
#   PULUMI_VERSION        default v3.274.1
#   K8S_PROVIDER_VERSION  default 4.32.0
#   K8S_PROVIDER_MODULE   module@version the kubernetes plugin is built from
#   KK_TOOLS_CACHE        default ${XDG_CACHE_HOME:-$HOME/.cache}/klearkarma-observability/tools
set -euo pipefail

PULUMI_VERSION=${PULUMI_VERSION:-v3.274.1}
K8S_PROVIDER_VERSION=${K8S_PROVIDER_VERSION:-4.32.0}
# The provider/v4 module carries no release tags on the module proxy; this is the
# newest revision it serves. The plugin is stamped with K8S_PROVIDER_VERSION.
K8S_PROVIDER_MODULE=${K8S_PROVIDER_MODULE:-github.com/pulumi/pulumi-kubernetes/provider/v4@v4.0.0-20260115033456-f47bc2d6f199}
CACHE=${KK_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/klearkarma-observability/tools}
ROOT="$CACHE/pulumi-${PULUMI_VERSION}-kubernetes-v${K8S_PROVIDER_VERSION}"
BIN="$ROOT/bin"

log() { printf 'tools: %s\n' "$*" >&2; }

# prepare_module MODULE@VERSION DEST: copy a module from the proxy into DEST and
# drop its local `replace ... => ../...` directives so it builds on its own.
prepare_module() {
  local mod=$1 dest=$2 dir
  dir=$(cd "$(mktemp -d)" && GOFLAGS=-mod=mod go mod download -json "$mod" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { log "could not download $mod"; return 1; }
  rm -rf "$dest"
  cp -r "$dir" "$dest"
  chmod -R u+w "$dest"
  # Drop replaces that point at sibling directories of the upstream monorepo.
  local r
  for r in $(sed -n 's/^replace[[:space:]]\{1,\}\([^[:space:]]*\)[[:space:]]*=>[[:space:]]*\.\.\/.*/\1/p' "$dest/go.mod"); do
    log "dropping replace $r => ../ in $(basename "$dest")"
    (cd "$dest" && go mod edit -dropreplace="$r")
  done
  (cd "$dest" && go mod tidy >&2)
}

have_matching_pulumi_on_path() {
  command -v pulumi >/dev/null 2>&1 || return 1
  [ "$(pulumi version 2>/dev/null)" = "$PULUMI_VERSION" ] || return 1
  command -v pulumi-resource-kubernetes >/dev/null 2>&1
}

if [ -x "$BIN/pulumi" ] && [ -x "$BIN/pulumi-resource-kubernetes" ]; then
  echo "$ROOT"
  exit 0
fi
if have_matching_pulumi_on_path && [ -z "${KK_TOOLS_FORCE_BUILD:-}" ]; then
  log "using pulumi $PULUMI_VERSION and pulumi-resource-kubernetes from PATH"
  dirname "$(dirname "$(command -v pulumi)")"
  exit 0
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
WORK="$CACHE/work"
mkdir -p "$WORK" "$BIN.partial"
# Another run may have finished while this one waited for the lock.
if [ -x "$BIN/pulumi" ] && [ -x "$BIN/pulumi-resource-kubernetes" ]; then
  echo "$ROOT"
  exit 0
fi

# The CLI and the plugin build side by side: each has serial stretches
# (module download, go mod tidy, the plugin's schema generation, the link)
# that leave a core idle, which the other build then uses.
build_cli() {
  log "building pulumi $PULUMI_VERSION from the Go module proxy (about 5 minutes the first time)"
  local start; start=$(date +%s)
  prepare_module "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" "$WORK/pkg"
  (cd "$WORK/pkg" && go build -trimpath \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
      -o "$BIN.partial/pulumi" ./cmd/pulumi)
  log "pulumi built in $(( $(date +%s) - start ))s"
}
build_plugin() {
  log "building pulumi-resource-kubernetes v$K8S_PROVIDER_VERSION from the Go module proxy (about 8 minutes the first time)"
  local start; start=$(date +%s)
  prepare_module "$K8S_PROVIDER_MODULE" "$WORK/k8s"
  (cd "$WORK/k8s/cmd/pulumi-resource-kubernetes" && VERSION=$K8S_PROVIDER_VERSION go run generate.go >&2)
  (cd "$WORK/k8s" && go build -trimpath \
      -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$K8S_PROVIDER_VERSION" \
      -o "$BIN.partial/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes)
  log "pulumi-resource-kubernetes built in $(( $(date +%s) - start ))s"
}
cli_pid= plugin_pid=
[ -x "$BIN.partial/pulumi" ] || { build_cli & cli_pid=$!; }
[ -x "$BIN.partial/pulumi-resource-kubernetes" ] || { build_plugin & plugin_pid=$!; }
failed=0
for pid in $cli_pid $plugin_pid; do wait "$pid" || failed=1; done
[ "$failed" = 0 ] || { log "building the Pulumi tools failed (see above); a rerun keeps what was built in $BIN.partial"; exit 1; }

mkdir -p "$ROOT"
rm -rf "$BIN"
mv "$BIN.partial" "$BIN"
rm -rf "$WORK"
log "tools ready in $BIN"
echo "$ROOT"
