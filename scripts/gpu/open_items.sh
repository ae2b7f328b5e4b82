#!/usr/bin/env bash
# The open GPU items of issues 11, 12 and 14 in as few device calls as the
# machine's 30 s idle release allows (run from the repo root on the GPU
# machine, after scripts/gpu/make-carry.sh here; carry .carry, .gpu-data-xz
# and .ofa). Results go to $OUT.
#
#   bash scripts/gpu/open_items.sh first   # ~10 min: build, then
#       1. issue 14: the CUDA test cases of the sequence spaces;
#       2. issue 11: Fashion-MNIST evaluation, nasctl vs once-for-all's code,
#          on the quiet machine (bench/supernet/run_gpu_extra.sh);
#       3. issue 12: the 12 ranking-archs.txt sub-networks trained alone in
#          the background (bench/train/run_gpu.sh alone);
#       4. progress of the runs until LIMIT (default 570) s have passed.
#   NO_RANKING=1 bash scripts/gpu/open_items.sh first  # 1 and 2 only, then
#       issue 12's bf16 speed at two batch sizes (bench/train/run_gpu.sh
#       batches), then the sequence spaces' CUDA timing (scripts/gpu/sequence_spaces.sh)
#       while LIMIT lasts: for a device budget too small for the ranking
#   bash scripts/gpu/open_items.sh training  # issue 12 alone: build with
#       test_train, its CUDA cases, the training speed (nasctl vs PyTorch,
#       float32 and bf16 + channels-last), then the 12 ranking runs under MPS
#       (MPS=1 of run_gpu.sh alone) and their progress while LIMIT lasts
#   bash scripts/gpu/open_items.sh resolution  # issue 12's ranking study at
#       16 to 28 pixels (RESOLUTIONS of run_gpu.sh): build, then under MPS the
#       width-0.35 super-network with elastic resolution, the twelve
#       ranking-archs-r.txt sub-networks alone with seed 0 (SEEDS=2: again
#       with seed 1, for the ceiling), and their progress while LIMIT lasts
#   bash scripts/gpu/open_items.sh resolution-evaluate  # once they ended:
#       inherited against both seeds' alone accuracies on the validation
#       and the test split (bench/train/ranking.py with two alone files)
#   bash scripts/gpu/open_items.sh second  # wait for the runs, then the
#       inherited (examples/fashion-supernet/gpu/checkpoint.pt) against the
#       alone accuracies (bench/train/run_gpu.sh evaluate).
set -uo pipefail
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
export OUT BUILD=$PWD/build-gpu
start=$(date +%s)
limit=${LIMIT:-570}
log() { echo "[$(date +%T) +$(($(date +%s) - start)) s] $*"; }
export LD_LIBRARY_PATH=$PWD/.carry/lib/x86_64-linux-gnu:$PWD/.carry/lib:${LD_LIBRARY_PATH:-}

first() {
  bash scripts/gpu/unpack-fashion-mnist.sh >/dev/null || exit 1
  local tp
  tp=$(python3 -c "import torch;print(torch.utils.cmake_prefix_path)")
  cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$tp" \
    -DNASCTL_EXTRA_PREFIX="$PWD/.carry" -Dbenchmark_DIR="$PWD/.carry/lib/x86_64-linux-gnu/cmake/benchmark" \
    -DNASCTL_REQUIRE_PAGMO=OFF -DNASCTL_BUILD_TESTS=ON -DNASCTL_BUILD_BENCH=ON >"$OUT/configure.log" 2>&1 \
    || { tail -30 "$OUT/configure.log"; exit 1; }
  cmake --build build-gpu -j16 --target bench_supernet_eval nasctl nasctl_commands_torch nasctl_space_ofa_mobilenetv3 \
    nasctl_accuracy_supernet nasctl_hardware_analytic nasctl_hardware_measure nasctl_search_random \
    nasctl_space_transformer_lt nasctl_space_bert_base nasctl_space_vit_base test_transformer_lt test_bert_vit \
    -- -k 0 >"$OUT/build.log" 2>&1 || grep -E "^FAILED|error" "$OUT/build.log" | head -30
  log "built"
  bash scripts/gpu/sequence_cuda_tests.sh build-gpu
  log "sequence-space CUDA tests done"
  ONLY_FASHION_MNIST=1 timeout $((limit - 30 - ($(date +%s) - start))) bash bench/supernet/run_gpu_extra.sh .ofa/ofa.tgz "$PWD/.gpu-data/fashion-mnist" \
    2>&1 | tee "$OUT/fashion_mnist.txt"
  log "Fashion-MNIST comparison done"
  if [ "${NO_RANKING:-0}" = 1 ]; then
    bash bench/train/run_gpu.sh batches
    log "bf16 batch scaling done"
    SKIP_CUDA_TESTS=1 LIMIT=$((limit - ($(date +%s) - start))) bash scripts/gpu/sequence_spaces.sh 2>&1 | tail -40
  else
    bash bench/train/run_gpu.sh alone
    bash bench/train/run_gpu.sh wait $((limit - ($(date +%s) - start))) | tail -20
  fi
}

training() {
  bash scripts/gpu/unpack-fashion-mnist.sh >/dev/null || exit 1
  bash bench/train/run_gpu.sh build || exit 1
  log "built"
  bash bench/train/run_gpu.sh tests
  log "test_train's CUDA cases done"
  bash bench/train/run_gpu.sh speed
  log "speed done"
  MPS=1 bash bench/train/run_gpu.sh alone
  bash bench/train/run_gpu.sh wait $((limit - ($(date +%s) - start))) | tail -20
}

# The study's runs and evaluations only (the other steps keep the
# 28-pixel space).
resolutions=${RESOLUTIONS:-16,20,24,28}
study=/root/train-runs-r

resolution() {
  bash scripts/gpu/unpack-fashion-mnist.sh >/dev/null || exit 1
  [ -x "$BUILD/bin/nasctl" ] || bash bench/train/run_gpu.sh build || exit 1
  log "built"
  RESOLUTIONS=$resolutions RUNS=$study MPS=1 bash bench/train/run_gpu.sh launch
  # The second seed (the ceiling) doubles the stand-alone work: only with
  # SEEDS=2, where the device budget allows about 20 minutes.
  [ "${SEEDS:-1}" = 2 ] && RESOLUTIONS=$resolutions RUNS=$study-seed1 SEED=1 bash bench/train/run_gpu.sh alone
  RUNS=$study bash bench/train/run_gpu.sh wait $((limit - ($(date +%s) - start))) | tail -16
}

resolution_evaluate() {
  RUNS=$study bash bench/train/run_gpu.sh wait $((limit - 150)) | tail -16
  if pgrep -f "$BUILD/bin/nasctl train" >/dev/null; then
    log "runs still training: call resolution-evaluate again"
    return 0
  fi
  # Into one folder, returned as one archive ($OUT brings back 8 files).
  local split work=/root/study-out
  rm -rf "$work" && mkdir -p "$work/seed1"
  local seed1=""
  [ -d "$study-seed1" ] && seed1=1
  for split in "" test; do
    RESOLUTIONS=$resolutions RUNS=$study SPLIT=$split OUT=$work bash bench/train/run_gpu.sh evaluate >/dev/null
    [ -n "$seed1" ] && RESOLUTIONS=$resolutions RUNS=$study-seed1 SPLIT=$split OUT=$work/seed1 \
      SUPERNET=$study/supernet-w0.35/checkpoint.pt bash bench/train/run_gpu.sh evaluate >/dev/null
  done
  for split in "" -test; do
    python3 bench/train/ranking.py "$work/inherited$split.csv" "$work/alone$split.csv" \
      ${seed1:+"$work/seed1/alone$split.csv"} | tee "$work/ranking$split.txt"
  done
  tar -czf "$OUT/study.tgz" -C "$work" .
}

# Evaluates only once every run has ended (a checkpoint of a run still
# training is an earlier epoch's): otherwise call it again.
second() {
  bash bench/train/run_gpu.sh wait $((limit - 120)) | tail -16
  if pgrep -f "$BUILD/bin/nasctl train" >/dev/null; then
    log "runs still training: call second again"
    return 0
  fi
  SUPERNET=$PWD/examples/fashion-supernet/gpu/checkpoint.pt bash bench/train/run_gpu.sh evaluate
  python3 bench/train/ranking.py "$OUT/inherited.csv" "$OUT/alone.csv" 2>&1 | tee "$OUT/ranking.txt"
}

case "${1:-}" in
  first|training|second|resolution) "$1" ;;
  resolution-evaluate) resolution_evaluate ;;
  *) echo "open_items.sh: say 'first', 'training', 'second', 'resolution' or 'resolution-evaluate'" >&2; exit 2 ;;
esac
