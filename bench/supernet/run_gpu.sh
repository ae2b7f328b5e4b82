#!/usr/bin/env bash
# On a GPU machine, from the repository root, after `bash scripts/gpu/make-carry.sh`
# here: builds bench_supernet_eval against the machine's CUDA LibTorch, makes
# a full-size OFA MobileNetV3 w1.0 checkpoint (1000 classes) with
# once-for-all's own code (tests/fixtures/ofa/make_fixture.py), checks
# nasctl's logits against once-for-all's on CUDA and on the CPU, writes
# synthetic ImageNet-sized JPEG folders (2,000 calibration, 10,000
# validation images), then times one sub-network evaluation (activate,
# re-calibrate on 2,000 images, validate on 10,000 at 224) in nasctl and in
# PyTorch with once-for-all's code, side by side (compare.py).
#
#   bash bench/supernet/run_gpu.sh OFA_TARBALL
#
# OFA_TARBALL: once-for-all at commit f03b267 (git archive ... ofa LICENSE | gzip).
# Files land in $OUT (default /tmp/out).
set -uo pipefail
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
OFA_TARBALL=${1:?once-for-all tarball}
OFA_COMMIT=f03b2673db313b9167e2a1c2b7a5cad540cc1313
JOBS=$(nproc)
log() { echo "[$(date +%T)] $*"; }
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"
python3 -c "import torch, torchvision; print('torch', torch.__version__, 'torchvision', torchvision.__version__, 'cudnn', torch.backends.cudnn.version())" | tee -a "$OUT/gpu.txt"
mkdir -p /tmp/ofa-src && tar -xzf "$OFA_TARBALL" -C /tmp/ofa-src

# Data and the checkpoint on the CPU while nasctl builds.
log "data and checkpoint"
(python3 bench/supernet/make_image_folder.py /tmp/sn-cal --images 2000 --classes 100 --seed 1 --jobs 4 &&
 python3 bench/supernet/make_image_folder.py /tmp/sn-val --images 10000 --classes 100 --seed 2 --jobs 4 &&
 du -sh /tmp/sn-cal /tmp/sn-val) > "$OUT/data.log" 2>&1 &
data=$!
python3 tests/fixtures/ofa/make_fixture.py --ofa /tmp/ofa-src --ofa-commit $OFA_COMMIT --width 1.0 --classes 1000 \
  --out /tmp/ofa-full > "$OUT/fixture.log" 2>&1 &
fixture=$!

log "build"
TP=$(python3 -c "import torch;print(torch.utils.cmake_prefix_path)")
if [ ! -f build-gpu/build.ninja ]; then
  cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$TP" \
    -DNASCTL_EXTRA_PREFIX="$PWD/.carry" -Dbenchmark_DIR="$PWD/.carry/lib/x86_64-linux-gnu/cmake/benchmark" \
    -DNASCTL_REQUIRE_PAGMO=OFF -DNASCTL_BUILD_TESTS=OFF > "$OUT/configure.log" 2>&1 \
    || { tail -40 "$OUT/configure.log"; exit 1; }
fi
cmake --build build-gpu -j$((JOBS - 2)) --target bench_supernet_eval > "$OUT/build.log" 2>&1 \
  || { grep -E "error|FAILED" "$OUT/build.log" | head -40; exit 1; }
log "built"
bench=build-gpu/bench/bench_supernet_eval

wait $fixture || { tail -20 "$OUT/fixture.log"; exit 1; }
cat "$OUT/fixture.log"
log "logits: full-size w1.0 fixture on cuda, then the CPU (1 thread), then the committed fixture on cuda"
$bench --check-fixture /tmp/ofa-full --device cuda | tee "$OUT/logits.jsonl" | grep '"fixture"'
OMP_NUM_THREADS=1 $bench --check-fixture /tmp/ofa-full --device cpu | tee -a "$OUT/logits.jsonl" | grep '"fixture"'
$bench --check-fixture tests/fixtures/ofa --device cuda | tee -a "$OUT/logits.jsonl" | grep '"fixture"'

wait $data || { cat "$OUT/data.log"; exit 1; }
cat "$OUT/data.log"
ckpt=/tmp/ofa-full/ofa_mbv3_d234_e346_k357_w1_c1000.pth
common="--checkpoint $ckpt --archs bench/supernet/archs224.txt --calibration /tmp/sn-cal --validation /tmp/sn-val --device cuda"
export PYTHONUNBUFFERED=1
# Sub-network evaluation with the validation images decoded once and held
# on the GPU (the engines alone), nasctl and once-for-all alternating.
# Round 2 repeats fp32 and channels-last + bf16 to show the spread.
for round in 1 2; do
  ours=fp32-nocache,fp32,cl,bf16,cl-bf16 theirs=fp32,cl,bf16,cl-bf16
  [ $round = 2 ] && ours=fp32,cl-bf16 theirs=fp32,cl-bf16
  log "resident round $round: nasctl"
  $bench $common --variants $ours --validation-mode resident --loader-threads $JOBS \
    > "$OUT/nasctl_resident_$round.jsonl" || exit 1
  log "resident round $round: once-for-all"
  python3 bench/supernet/ofa_reference.py --ofa /tmp/ofa-src $common --variants $theirs \
    --validation-mode resident --workers $JOBS > "$OUT/ofa_resident_$round.jsonl" || exit 1
  python3 bench/supernet/compare.py "$OUT/nasctl_resident_$round.jsonl" "$OUT/ofa_resident_$round.jsonl"
done
# Validation images decoded from the JPEG files for every sub-network, as
# once-for-all's validate() reads them (loader threads / DataLoader workers).
log "stream: nasctl"
$bench $common --variants fp32,cl-bf16 --validation-mode stream --loader-threads $JOBS > "$OUT/nasctl_stream.jsonl" || exit 1
log "stream: once-for-all"
python3 bench/supernet/ofa_reference.py --ofa /tmp/ofa-src $common --variants fp32,cl-bf16 --validation-mode stream \
  --workers $JOBS > "$OUT/ofa_stream.jsonl" || exit 1
python3 bench/supernet/compare.py "$OUT/nasctl_stream.jsonl" "$OUT/ofa_stream.jsonl"
log "done"
