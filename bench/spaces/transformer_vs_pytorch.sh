#!/usr/bin/env bash
# Side by side, one thread, batch 1: `nasctl evaluate` with the measure model
# (optimized = frozen TorchScript, then eager) and the same Transformer-LT
# written in PyTorch (transformer_pytorch.py), alternating per architecture
# so both see the same machine load. DEVICE=cuda times both on the GPU
# (vs_pytorch_common.sh).
#   [DEVICE=cuda] [PYTHON=python3] bash bench/spaces/transformer_vs_pytorch.sh [build dir] [repeats]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
repeats=${2:-30}
source "$root/bench/spaces/vs_pytorch_common.sh"
source "$root/bench/spaces/sequence_archs.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for mode in optimized eager; do
  measure_config "$tmp/$mode.toml" "$mode" 5 "$repeats" 60 <<TOML
[space]
plugin = "transformer-lt"
source_length = 30
target_length = 30
vocabulary = 32768
TOML
done
for arch in "${transformer_archs[@]}"; do
  echo "== $arch"
  for mode in optimized eager; do nasctl_figures "$build" "$tmp/$mode.toml" "$arch" "$mode"; done
  "$python" "$root/bench/spaces/transformer_pytorch.py" --arch "$arch" --threads 1 --warmup 5 \
    --repeats "$repeats" --device "$device"
done
