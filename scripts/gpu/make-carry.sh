#!/usr/bin/env bash
# Prepares .carry/ (git-ignored) for a GPU machine without a package
# registry: the header-only libraries nasctl needs (TOML++, CLI11,
# nlohmann-json) and libcsv, copied from this Debian machine's packages.
# The GPU scripts configure with -DNASCTL_EXTRA_PREFIX=$PWD/.carry.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .carry/include .carry/lib
cp -r /usr/include/toml++ /usr/include/CLI /usr/include/nlohmann /usr/include/csv.h .carry/include/
cp -P /usr/lib/x86_64-linux-gnu/libcsv.so* .carry/lib/
du -sh .carry
