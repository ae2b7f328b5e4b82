#!/usr/bin/env bash
# The ONNX export of the sequence spaces in ONNX Runtime: the smallest and
# the largest network of transformer-lt, bert-base and vit-base (full size,
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
six() { printf '%s,%s,%s,%s,%s,%s' "$1" "$1" "$1" "$1" "$1" "$1"; }
# space|vocabulary (0: an image)|arch
cases=(
  "transformer-lt|32768|ee=512;de=512;ef=1024,1024,1024,1024,1024,1024;df=1024,-,-,-,-,-;dl=1;eh=4,4,4,4,4,4;dh=4,-,-,-,-,-;ch=4,-,-,-,-,-;ca=-1,-,-,-,-,-"
  "transformer-lt|32768|ee=640;de=640;ef=3072,3072,3072,3072,3072,3072;df=3072,3072,3072,3072,3072,3072;dl=6;eh=8,8,8,8,8,8;dh=8,8,8,8,8,8;ch=8,8,8,8,8,8;ca=2,2,2,2,2,2"
  "bert-base|30522|l=6;h=$(six 6),-,-,-,-,-,-;i=$(six 1024),-,-,-,-,-,-"
  "bert-base|30522|l=12;h=$(six 12),$(six 12);i=$(six 3072),$(six 3072)"
  "vit-base|0|l=10;h=$(six 6),6,6,6,6,-,-;i=$(six 1024),1024,1024,1024,1024,-,-"
  "vit-base|0|l=12;h=$(six 12),$(six 12);i=$(six 3072),$(six 3072)"
)
status=0
n=0
for entry in "${cases[@]}"; do
  IFS='|' read -r space vocabulary arch <<<"$entry"
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
