#!/usr/bin/env bash
# Side by side, one thread, batch 1: `nasctl evaluate` with the measure model
# (optimized = frozen TorchScript, then eager) and the same bert-base /
# vit-base network written in PyTorch (encoder_pytorch.py), alternating per
# architecture so both see the same machine load. BERT at 128 tokens, ViT at
# 224x224. The sibling of transformer_vs_pytorch.sh.
#   bash bench/spaces/encoder_vs_pytorch.sh [build dir] [repeats]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
repeats=${2:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
six() { printf '%s,%s,%s,%s,%s,%s' "$1" "$1" "$1" "$1" "$1" "$1"; }
# smallest and largest of each space
archs=(
  "bert-base l=6;h=$(six 6),-,-,-,-,-,-;i=$(six 1024),-,-,-,-,-,-"
  "bert-base l=12;h=$(six 12),$(six 12);i=$(six 3072),$(six 3072)"
  "vit-base l=10;h=$(six 6),6,6,6,6,-,-;i=$(six 1024),1024,1024,1024,1024,-,-"
  "vit-base l=12;h=$(six 12),$(six 12);i=$(six 3072),$(six 3072)"
)
for space in bert-base vit-base; do
  for mode in optimized eager; do
    cat > "$tmp/$space-$mode.toml" <<TOML
seed = 1
[space]
plugin = "$space"
[budget]
evaluations = 1
[search]
plugin = "random"
[[hardware]]
name = "cpu"
plugin = "measure"
threads = 1
mode = "$mode"
warmup = 3
repeats = $repeats
max_repeats = $repeats
ci_target_percent = 0
max_seconds = 120
[[objectives]]
metric = "cpu.latency_ms"
goal = "min"
TOML
  done
done
for entry in "${archs[@]}"; do
  space=${entry%% *}
  arch=${entry#* }
  echo "== $space $arch"
  for mode in optimized eager; do
    line=$("$build/bin/nasctl" evaluate -c "$tmp/$space-$mode.toml" "$arch" 2>/dev/null | tail -1)
    # After the quoted arch: latency_ms, latency_spread, latency_cpu_ms, latency_ci_percent.
    echo "nasctl $mode: median_ms=$(cut -d, -f2 <<<"${line##*\"}") cpu_ms=$(cut -d, -f4 <<<"${line##*\"}")"
  done
  OMP_NUM_THREADS=1 /usr/bin/python3 "$root/bench/spaces/encoder_pytorch.py" --space "$space" --arch "$arch" \
    --threads 1 --warmup 3 --repeats "$repeats"
done
