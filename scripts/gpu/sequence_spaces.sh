#!/usr/bin/env bash
# The sequence spaces (transformer-lt, bert-base, vit-base) on the GPU
# machine, in one call: a CUDA build with tests, their CUDA test cases, then
# `measure` against PyTorch on CUDA while LIMIT seconds (default 540) last,
# then the ONNX exports in ONNX Runtime when .carry-onnx came along (ONNX
# export needs it there). Run from the repo root after
# scripts/gpu/make-carry.sh here; logs and figures go to $OUT.
#   [LIMIT=S] bash scripts/gpu/sequence_spaces.sh
set -uo pipefail
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
start=$(date +%s)
limit=${LIMIT:-540}
elapsed() { echo $(($(date +%s) - start)); }
export LD_LIBRARY_PATH=$PWD/.carry/lib/x86_64-linux-gnu:$PWD/.carry/lib:$PWD/.carry-onnx/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
tp=$(python3 -c "import torch;print(torch.utils.cmake_prefix_path)")
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$tp;$PWD/.carry-onnx" \
  -DNASCTL_EXTRA_PREFIX="$PWD/.carry" -DNASCTL_REQUIRE_PAGMO=OFF -DNASCTL_BUILD_TESTS=ON -DNASCTL_BUILD_BENCH=OFF \
  >"$OUT/configure.log" 2>&1 || { tail -30 "$OUT/configure.log"; exit 1; }
grep -E "ONNX" "$OUT/configure.log"
cmake --build build-gpu -j16 --target nasctl nasctl_space_transformer_lt nasctl_space_bert_base nasctl_space_vit_base \
  nasctl_hardware_analytic nasctl_hardware_measure nasctl_search_random test_transformer_lt test_bert_vit \
  -- -k 0 >"$OUT/build.log" 2>&1 || grep -E "^FAILED|error" "$OUT/build.log" | head -30
echo "built: $(elapsed) s"
# SKIP_CUDA_TESTS=1: the caller ran them already (scripts/gpu/open_items.sh).
[ "${SKIP_CUDA_TESTS:-0}" = 1 ] || OUT=$OUT bash scripts/gpu/sequence_cuda_tests.sh build-gpu
echo "tests: $(elapsed) s"
left=$((limit - $(elapsed)))
[ $left -gt 30 ] && DEVICE=cuda PYTHON=python3 timeout $((left / 2)) bash bench/spaces/transformer_vs_pytorch.sh build-gpu 20 \
  2>&1 | tee "$OUT/transformer_cuda.txt"
left=$((limit - $(elapsed)))
[ $left -gt 30 ] && DEVICE=cuda PYTHON=python3 timeout $((left * 2 / 3)) bash bench/spaces/encoder_vs_pytorch.sh build-gpu 10 \
  2>&1 | tee "$OUT/encoder_cuda.txt"
left=$((limit - $(elapsed)))
if [ -d .carry-onnx ] && [ $left -gt 30 ]; then
  PYTHON=python3 timeout $left bash bench/spaces/onnx_runtime_check.sh build-gpu 2>&1 | tee "$OUT/onnx_runtime.txt"
fi
echo "all: $(elapsed) s"
