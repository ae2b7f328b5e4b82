#!/usr/bin/env bash
# Side by side, one thread, batch 1: `nasctl evaluate` with the measure model
# (optimized = frozen TorchScript, then eager) and the same Transformer-LT
# written in PyTorch (transformer_pytorch.py), alternating per architecture
# so both see the same machine load.
#   bash bench/spaces/transformer_vs_pytorch.sh [build dir] [repeats]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
repeats=${2:-30}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
archs=(
  # smallest, HAT's example from DyNAS-T's predictor script, largest
  'ee=512;de=512;ef=1024,1024,1024,1024,1024,1024;df=1024,-,-,-,-,-;dl=1;eh=4,4,4,4,4,4;dh=4,-,-,-,-,-;ch=4,-,-,-,-,-;ca=-1,-,-,-,-,-'
  'ee=640;de=512;ef=3072,3072,3072,3072,3072,3072;df=2048,3072,3072,3072,1024,-;dl=5;eh=8,8,8,8,8,4;dh=4,8,8,4,4,-;ch=4,8,8,4,4,-;ca=-1,1,1,1,1,-'
  'ee=640;de=640;ef=3072,3072,3072,3072,3072,3072;df=3072,3072,3072,3072,3072,3072;dl=6;eh=8,8,8,8,8,8;dh=8,8,8,8,8,8;ch=8,8,8,8,8,8;ca=2,2,2,2,2,2'
)
for mode in optimized eager; do
  cat > "$tmp/$mode.toml" <<TOML
seed = 1
[space]
plugin = "transformer-lt"
source_length = 30
target_length = 30
vocabulary = 32768
[budget]
evaluations = 1
[search]
plugin = "random"
[[hardware]]
name = "cpu"
plugin = "measure"
threads = 1
mode = "$mode"
warmup = 5
repeats = $repeats
max_repeats = $repeats
ci_target_percent = 0
max_seconds = 60
[[objectives]]
metric = "cpu.latency_ms"
goal = "min"
TOML
done
for arch in "${archs[@]}"; do
  echo "== $arch"
  for mode in optimized eager; do
    line=$("$build/bin/nasctl" evaluate -c "$tmp/$mode.toml" "$arch" 2>/dev/null | tail -1)
    # After the quoted arch: latency_ms, latency_spread, latency_cpu_ms, latency_ci_percent.
    echo "nasctl $mode: median_ms=$(cut -d, -f2 <<<"${line##*\"}") cpu_ms=$(cut -d, -f4 <<<"${line##*\"}")"
  done
  OMP_NUM_THREADS=1 /usr/bin/python3 "$root/bench/spaces/transformer_pytorch.py" --arch "$arch" --threads 1 \
    --warmup 5 --repeats "$repeats"
done
