#!/usr/bin/env bash
# Configures and builds nasctl in build/ (Release with debug info, Ninja).
# Jobs default to the number of cores; set NASCTL_JOBS to change.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${NASCTL_JOBS:-$(nproc)}
# Let ccache reuse objects across clones in different folders (CI builds a
# fresh clone each time): paths are hashed relative to the source tree.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build build -j "$jobs"
