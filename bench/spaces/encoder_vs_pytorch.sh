#!/usr/bin/env bash
# Side by side, one thread, batch 1: `nasctl evaluate` with the measure model
# (optimized = frozen TorchScript, then eager) and the same bert-base /
# vit-base network written in PyTorch (encoder_pytorch.py), alternating per
# architecture so both see the same machine load. BERT at 128 tokens, ViT at
# 224x224. The sibling of transformer_vs_pytorch.sh; DEVICE=cuda times both
# on the GPU (vs_pytorch_common.sh).
#   [DEVICE=cuda] [PYTHON=python3] bash bench/spaces/encoder_vs_pytorch.sh [build dir] [repeats]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
repeats=${2:-10}
source "$root/bench/spaces/vs_pytorch_common.sh"
source "$root/bench/spaces/sequence_archs.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for space in bert-base vit-base; do
  for mode in optimized eager; do
    printf '[space]\nplugin = "%s"\n' "$space" | measure_config "$tmp/$space-$mode.toml" "$mode" 3 "$repeats" 120
  done
done
for entry in "${encoder_archs[@]}"; do
  space=${entry%% *}
  arch=${entry#* }
  echo "== $space $arch"
  for mode in optimized eager; do nasctl_figures "$build" "$tmp/$space-$mode.toml" "$arch" "$mode"; done
  "$python" "$root/bench/spaces/encoder_pytorch.py" --space "$space" --arch "$arch" \
    --threads 1 --warmup 3 --repeats "$repeats" --device "$device"
done
