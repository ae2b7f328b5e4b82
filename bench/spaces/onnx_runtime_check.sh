#!/usr/bin/env bash
# The ONNX export of the sequence spaces in ONNX Runtime: the networks of
# sequence_archs.sh (transformer-lt, bert-base and vit-base at full size,
# DyNAS-T's defaults) exported by `nasctl export` as .onnx and as .pt with
# the same seeded weights, run side by side on one input by
# onnx_runtime_check.py. Needs python3 with torch and onnxruntime (the GPU
# machine has both; Debian has no onnxruntime package).
#   [PYTHON=python3] bash bench/spaces/onnx_runtime_check.sh [build dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
python=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$root/bench/spaces/sequence_archs.sh"
# "SPACE VOCABULARY ARCH": token ids below VOCABULARY, or an image (0)
cases=()
for arch in "${transformer_archs[@]}"; do cases+=("transformer-lt 32768 $arch"); done
for entry in "${encoder_archs[@]}"; do
  space=${entry%% *}
  cases+=("$space $([ "$space" = bert-base ] && echo 30522 || echo 0) ${entry#* }")
done
status=0
n=0
for entry in "${cases[@]}"; do
  read -r space vocabulary arch <<<"$entry"
  printf '[space]\nplugin = "%s"\n[search]\nplugin = "random"\n[budget]\nevaluations = 1\n[[hardware]]\nname = "cost"\nplugin = "analytic"\n[[objectives]]\nmetric = "cost.macs"\ngoal = "min"\n' \
    "$space" > "$tmp/$space.toml"
  n=$((n + 1))
  for ext in onnx pt; do
    "$build/bin/nasctl" export -c "$tmp/$space.toml" --arch "$arch" -o "$tmp/m$n.$ext" --seed 3 >/dev/null
  done
  ids=()
  [ "$vocabulary" != 0 ] && ids=(--ids "$vocabulary")
  "$python" "$root/bench/spaces/onnx_runtime_check.py" "$tmp/m$n.onnx" "$tmp/m$n.pt" "${ids[@]}" | sed "s|$tmp/m$n.onnx|$space $arch|" || status=1
  rm -f "$tmp/m$n.onnx" "$tmp/m$n.pt"
done
exit $status
