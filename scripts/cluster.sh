#!/usr/bin/env bash
# The embedded Kubernetes control plane for people (a thin wrapper over
# cmd/cluster, which does the work):
#
#   scripts/cluster.sh build              # build the binaries into the tools cache (once, 10-20 min)
#   eval "$(scripts/cluster.sh up)"       # start in .cluster/ and export KUBECONFIG
#   scripts/cluster.sh status
#   scripts/cluster.sh down
#
# Extra flags are passed on, e.g. `scripts/cluster.sh up -dir /tmp/kk`; a relative
# -dir is relative to the repo root (the default is .cluster there).
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./cmd/cluster "$@"
