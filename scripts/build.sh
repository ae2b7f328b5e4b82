#!/usr/bin/env bash
# Configures and builds nasctl in build/ (Release with debug info, Ninja).
# Jobs default to the number of cores; set NASCTL_JOBS to change.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${NASCTL_JOBS:-$(nproc)}
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build build -j "$jobs"
