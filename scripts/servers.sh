#!/usr/bin/env bash
# Builds the pinned upstream servers the live tests run (Prometheus with
# promtool, Alertmanager with amtool, Thanos, Jaeger, the blackbox exporter,
# the tools/otelcol collector) into the tools cache, and prints
# "name path" per binary on stdout. Progress goes to stderr. Idempotent:
# a second run returns at once. Arguments go to cmd/servers (-only a,b; -list).
#
#   KK_TOOLS_CACHE  default ${XDG_CACHE_HOME:-$HOME/.cache}/klearkarma-observability/tools
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./cmd/servers "$@"
