#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install dependencies, build, and
# run the main job (`nasctl search` on the embedded default config).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
echo
echo "== nasctl search (embedded default config; print it with: build/bin/nasctl defaults)"
build/bin/nasctl search -o "runs/default-$(date +%Y%m%d-%H%M%S)" "$@"
