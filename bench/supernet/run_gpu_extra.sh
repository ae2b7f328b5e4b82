#!/usr/bin/env bash
# The second GPU pass, after run_gpu.sh: from the repository root on a GPU
# machine, after scripts/gpu/make-carry.sh here.
#   1. once-for-all's own logits on CUDA against its CPU ones, and nasctl's
#      CUDA logits against once-for-all's CUDA ones (full-size w1.0 fixture;
#      a small-stem Fashion-MNIST-sized one from make_small_fixture.py);
#   2. the 224 image-folder timing with cuDNN benchmarking on, both sides;
#   3. Fashion-MNIST (28x28, small stem, 10 classes): nasctl against
#      once-for-all's network with nasctl's small stem (ofa_small_stem.py).
# Step 3 runs first (what a short call must get), then 1, then 2.
# SKIP_224=1 skips step 2, ONLY_FASHION_MNIST=1 steps 1 and 2.
#
#   bash bench/supernet/run_gpu_extra.sh OFA_TARBALL FASHION_MNIST_DIR
set -uo pipefail
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
OFA_TARBALL=${1:?once-for-all tarball}
FM=${2:?Fashion-MNIST folder}
OFA_COMMIT=f03b2673db313b9167e2a1c2b7a5cad540cc1313
JOBS=$(nproc)
log() { echo "[$(date +%T)] $*"; }
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
mkdir -p /tmp/ofa-src && tar -xzf "$OFA_TARBALL" -C /tmp/ofa-src
export PYTHONUNBUFFERED=1
SKIP_224=${SKIP_224:-0}  # 1: skip step 2 (and its images)
# The small fixture only: step 3 needs it and runs first, on a machine with
# nothing else running (the full fixture and the 224 images are made after it).
(python3 bench/supernet/make_small_fixture.py --ofa /tmp/ofa-src --out /tmp/ofa-small) > "$OUT/fixture-small.log" 2>&1 &
small_fixture=$!
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
wait $small_fixture || { tail -20 "$OUT/fixture-small.log"; exit 1; }
log "3. Fashion-MNIST"
ckpt=/tmp/ofa-small/ofa_mbv3_small_stem_w1_c10.pth
sed "s/'r': \[224\]/'r': [28]/" bench/supernet/archs224.txt > /tmp/archs28.txt
fm="--checkpoint $ckpt --archs /tmp/archs28.txt --fashion-mnist $FM --device cuda --validation-batch 2000"
for round in 1 2; do
  $bench $fm --variants fp32-nocache,fp32,cl,bf16 > "$OUT/nasctl_fm_$round.jsonl" || exit 1
  python3 bench/supernet/ofa_reference.py --ofa /tmp/ofa-src $fm --variants fp32,cl,bf16 > "$OUT/ofa_fm_$round.jsonl" || exit 1
  python3 bench/supernet/compare.py "$OUT/nasctl_fm_$round.jsonl" "$OUT/ofa_fm_$round.jsonl"
done
[ "${ONLY_FASHION_MNIST:-0}" = 1 ] && { log "done (steps 1 and 2 skipped)"; exit 0; }

[ "$SKIP_224" = 1 ] || (python3 bench/supernet/make_image_folder.py /tmp/sn-cal --images 2000 --classes 100 --seed 1 --jobs 4 &&
 python3 bench/supernet/make_image_folder.py /tmp/sn-val --images 10000 --classes 100 --seed 2 --jobs 4) > "$OUT/data.log" 2>&1 &
data=$!
[ "$SKIP_224" = 1 ] && data=
(python3 tests/fixtures/ofa/make_fixture.py --ofa /tmp/ofa-src --ofa-commit $OFA_COMMIT --width 1.0 --classes 1000 \
   --out /tmp/ofa-full) > "$OUT/fixture.log" 2>&1 &
fixture=$!
wait $fixture || { tail -20 "$OUT/fixture.log"; exit 1; }
cat "$OUT/fixture.log"

log "1. logits"
{
  python3 bench/supernet/ofa_fixture_on_device.py --ofa /tmp/ofa-src --device cuda /tmp/ofa-full /tmp/ofa-full-cuda
  $bench --check-fixture /tmp/ofa-full-cuda --device cuda | grep '"fixture"'
  python3 bench/supernet/ofa_fixture_on_device.py --ofa /tmp/ofa-src --device cuda /tmp/ofa-small /tmp/ofa-small-cuda
  $bench --check-fixture /tmp/ofa-small-cuda --device cuda | grep '"fixture"'
  $bench --check-fixture /tmp/ofa-small --device cuda | grep '"fixture"'
  OMP_NUM_THREADS=1 $bench --check-fixture /tmp/ofa-small --device cpu | grep '"fixture"'
} 2>&1 | tee "$OUT/logits2.jsonl"

[ "$SKIP_224" = 1 ] && { log "done (step 2 skipped)"; exit 0; }
wait $data || { cat "$OUT/data.log"; exit 1; }
log "2. 224 image folder, cuDNN benchmarking on"
common="--checkpoint /tmp/ofa-full/ofa_mbv3_d234_e346_k357_w1_c1000.pth --archs bench/supernet/archs224.txt
  --calibration /tmp/sn-cal --validation /tmp/sn-val --device cuda --validation-mode resident --cudnn-benchmark"
$bench $common --variants fp32,cl,cl-bf16 --loader-threads $JOBS > "$OUT/nasctl_bench.jsonl" || exit 1
python3 bench/supernet/ofa_reference.py --ofa /tmp/ofa-src $common --variants fp32,cl,cl-bf16 --workers $JOBS \
  > "$OUT/ofa_bench.jsonl" || exit 1
python3 bench/supernet/compare.py "$OUT/nasctl_bench.jsonl" "$OUT/ofa_bench.jsonl"
log "done"
