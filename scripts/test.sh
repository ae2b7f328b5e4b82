#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every CTest
# test (doctest suites, CLI tests, the SDK install test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j "${NASCTL_JOBS:-$(nproc)}" "$@"
