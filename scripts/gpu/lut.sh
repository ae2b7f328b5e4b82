#!/usr/bin/env bash
# Builds (incrementally) and then measures an OFA MobileNetV3 latency LUT on
# the GPU with CUDA-graph replay, and checks it against 50 end-to-end
# measurements. Run from the repo root after build_and_measure.sh.
set -uo pipefail
OUT=${OUT:-/tmp/out}
TP=$(python3 -c "import torch;print(torch.utils.cmake_prefix_path)")
if [ ! -f build-gpu/build.ninja ]; then
  cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$TP" \
    -DNASCTL_EXTRA_PREFIX=$PWD/.carry -DNASCTL_REQUIRE_PAGMO=OFF -DNASCTL_BUILD_BENCH=OFF -DNASCTL_BUILD_TESTS=OFF > $OUT/configure.log 2>&1 || { tail -30 $OUT/configure.log; exit 1; }
fi
cmake --build build-gpu -j16 --target nasctl nasctl_space_ofa_mobilenetv3 nasctl_hardware_measure nasctl_hardware_lut nasctl_search_random > $OUT/build.log 2>&1 || { grep -E "error|FAILED" $OUT/build.log | head -30; exit 1; }
cat > /tmp/gpu-lut.toml <<TOML
[space]
plugin = "ofa-mobilenetv3"
[search]
plugin = "random"
[budget]
evaluations = 1
[[hardware]]
name = "gpu"
plugin = "measure"
device = "cuda"
warmup = 10
repeats = 50
[[objectives]]
metric = "gpu.latency_ms"
goal = "min"
TOML
nasctl=build-gpu/bin/nasctl
# The table as shipped: each entry timed as 20 passes in one CUDA graph
# (the measure plugin's layer_back_to_back default on CUDA).
time $nasctl lut build -c /tmp/gpu-lut.toml --hardware gpu -o $OUT/ofa_h100_lut.csv --no-progress 2>&1 | tail -5
time $nasctl lut check -c /tmp/gpu-lut.toml --hardware gpu --lut $OUT/ofa_h100_lut.csv -n 50 --seed 7 --passes 2 \
  --write-calibration --no-progress 2>&1 | tail -25
# For comparison: one pass per graph, as tables were measured before.
$nasctl lut build -c /tmp/gpu-lut.toml --hardware gpu --set hardware.gpu.layer_back_to_back=1 \
  -o $OUT/ofa_h100_lut_single.csv --no-progress 2>&1 | tail -2
$nasctl lut check -c /tmp/gpu-lut.toml --hardware gpu --set hardware.gpu.layer_back_to_back=1 \
  --lut $OUT/ofa_h100_lut_single.csv -n 50 --seed 7 --passes 2 --no-progress 2>&1 | tail -25
ls -la $OUT
