#!/usr/bin/env bash
# On a GPU machine, from the repository root, after `bash scripts/gpu/make-carry.sh`
# here: builds bench_torch_gpu against the machine's CUDA LibTorch and runs
# nasctl's default CUDA measurement and PyTorch's plain CUDA graph side by
# side (compare_gpu.py prints the table and checks "never slower"); then
# builds and runs the torch suite. Files land in $OUT (default /tmp/out).
set -uo pipefail
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
TP=$(python3 -c "import torch;print(torch.utils.cmake_prefix_path)")
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$TP" \
  -DNASCTL_EXTRA_PREFIX="$PWD/.carry" -Dbenchmark_DIR="$PWD/.carry/lib/x86_64-linux-gnu/cmake/benchmark" \
  -DNASCTL_REQUIRE_PAGMO=OFF \
  > "$OUT/configure.log" 2>&1 || { tail -40 "$OUT/configure.log"; exit 1; }
cmake --build build-gpu -j16 --target bench_torch_gpu > "$OUT/build.log" 2>&1 \
  || { grep -E "error|FAILED" "$OUT/build.log" | head -40; exit 1; }
echo "bench_torch_gpu built"
mkdir -p "$OUT/specs"
build-gpu/bench/bench_torch_gpu --write-specs "$OUT/specs" || exit 1
build-gpu/bench/bench_torch_gpu --benchmark_out="$OUT/bench_gpu.json" --benchmark_out_format=json \
  > "$OUT/bench_gpu.txt" 2>&1 || { tail -20 "$OUT/bench_gpu.txt"; exit 1; }
grep -E "^Plugin" "$OUT/bench_gpu.txt" | grep -v "_mean\|_stddev\|_cv"
PYTHONUNBUFFERED=1 python3 bench/torch/pytorch_graph_reference.py "$OUT/specs" "$OUT/pytorch.json" > "$OUT/pytorch.txt" 2>&1 \
  || { tail -20 "$OUT/pytorch.txt"; exit 1; }
python3 bench/torch/compare_gpu.py "$OUT/bench_gpu.json" "$OUT/pytorch.json" | tee "$OUT/compare.txt"
cmake --build build-gpu -j16 --target test_torch >> "$OUT/build.log" 2>&1 \
  || { grep -E "error|FAILED" "$OUT/build.log" | head -20; exit 1; }
build-gpu/tests/test_torch > "$OUT/test_torch.log" 2>&1; tail -3 "$OUT/test_torch.log"
