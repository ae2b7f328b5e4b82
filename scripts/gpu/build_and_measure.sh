#!/usr/bin/env bash
# Builds nasctl against the machine's CUDA LibTorch and measures the OFA
# MobileNetV3 smallest/largest sub-networks on the GPU. Run from the repo root.
set -uo pipefail
OUT=${OUT:-/tmp/out}
TP=$(python3 -c "import torch;print(torch.utils.cmake_prefix_path)")
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee $OUT/gpu.txt
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$TP" \
  -DNASCTL_EXTRA_PREFIX=$PWD/.carry -DNASCTL_REQUIRE_PAGMO=OFF -DNASCTL_BUILD_BENCH=OFF > $OUT/configure.log 2>&1 || { tail -40 $OUT/configure.log; exit 1; }
grep -i "cuda" $OUT/configure.log | head
cmake --build build-gpu -j16 > $OUT/build.log 2>&1 || { grep -E "error|FAILED" $OUT/build.log | head -40; exit 1; }
echo BUILD OK
(cd build-gpu && ctest -R "test_torch|test_spaces|test_predict|test_search|test_runtime|test_hardware|test_cli" -j8 2>&1 | tail -5) | tee $OUT/ctest.log
small="{'wid': None, 'ks': [3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3], 'e': [3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3], 'd': [2,2,2,2,2], 'r': [224]}"
large="{'wid': None, 'ks': [7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7], 'e': [6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6], 'd': [4,4,4,4,4], 'r': [224]}"
cat > /tmp/gpu.toml <<TOML
[space]
plugin = "ofa-mobilenetv3"
[search]
plugin = "random"
[budget]
evaluations = 1
[[hardware]]
name = "graph"
plugin = "measure"
device = "cuda"
warmup = 20
repeats = 200
[[hardware]]
name = "nograph"
plugin = "measure"
device = "cuda"
cuda_graph = false
warmup = 20
repeats = 200
[[hardware]]
name = "eager"
plugin = "measure"
device = "cuda"
mode = "eager"
warmup = 20
repeats = 200
[[objectives]]
metric = "graph.latency_ms"
goal = "min"
TOML
for i in 1 2 3; do build-gpu/bin/nasctl evaluate -c /tmp/gpu.toml "$small" "$large" 2>/dev/null | sed -E "s/^\"[^\"]*\",//" ; done | tee $OUT/gpu_latency.csv
