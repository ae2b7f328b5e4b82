#!/usr/bin/env bash
# The CPU side by side: nasctl's engine (bench_supernet_eval) and PyTorch with
# once-for-all's own code (ofa_reference.py) evaluating the same OFA
# MobileNetV3 w1.0 sub-networks (the smallest and the first random one of
# archs224.txt) on the same images, one after the other, fp32, at two small
# sizes:
#   - an image folder at 128 (full-size w1.0 checkpoint, 1000 classes;
#     400 calibration images in batches of 200, 1,000 validation images);
#   - Fashion-MNIST at 28 (small stem, 10 classes; checkpoint from
#     make_small_fixture.py; 400 training images for calibration, 1,000 test
#     images).
# From the repository root, after building bench_supernet_eval in $BUILD
# (default build-gpu), making /tmp/ofa-full (tests/fixtures/ofa/README.md,
# --width 1.0 --classes 1000) and /tmp/ofa-small (make_small_fixture.py) and
# the image folders (make_image_folder.py /tmp/sn-cal --images 400 --seed 1;
# /tmp/sn-val --images 1000 --seed 2):
#
#   bash bench/supernet/run_cpu.sh OFA_ROOT [THREADS]
#
# PyTorch: Debian's /usr/bin/python3 (python3-torch 1.13, no torchvision:
# ofa_reference.py's Pillow transform).
set -uo pipefail
OFA=${1:?once-for-all checkout}
THREADS=${2:-2}
BUILD=${BUILD:-build-gpu}
OUT=${OUT:-/tmp/sn-cpu}
FM=${FM:-/usr/share/datasets/fashion-mnist}
mkdir -p "$OUT"
grep -v '^#' bench/supernet/archs224.txt | sed -n 2,3p > "$OUT/archs224.txt"
export OMP_NUM_THREADS=$THREADS
load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"; }
side_by_side() {  # name, args...
  local name=$1; shift
  echo "[$(date +%T)] $name: nasctl; $(load)"
  "$BUILD/bench/bench_supernet_eval" "$@" --variants fp32-nocache,fp32 --loader-threads $THREADS \
    > "$OUT/nasctl_$name.jsonl" || exit 1
  echo "[$(date +%T)] $name: once-for-all; $(load)"
  /usr/bin/python3 bench/supernet/ofa_reference.py --ofa "$OFA" "$@" --variants fp32 --workers $THREADS \
    --threads $THREADS > "$OUT/ofa_$name.jsonl" || exit 1
  echo "[$(date +%T)] $(load)"
  python3 bench/supernet/compare.py "$OUT/nasctl_$name.jsonl" "$OUT/ofa_$name.jsonl"
}
sed "s/'r': \[224\]/'r': [128]/" "$OUT/archs224.txt" > "$OUT/archs128.txt"
side_by_side folder128 --checkpoint /tmp/ofa-full/ofa_mbv3_d234_e346_k357_w1_c1000.pth --archs "$OUT/archs128.txt" \
  --calibration /tmp/sn-cal --validation /tmp/sn-val --device cpu --calibration-images 400 \
  --validation-images 1000 --validation-batch 200 --validation-mode resident
sed "s/'r': \[224\]/'r': [28]/" "$OUT/archs224.txt" > "$OUT/archs28.txt"
side_by_side fashion28 --checkpoint /tmp/ofa-small/ofa_mbv3_small_stem_w1_c10.pth --archs "$OUT/archs28.txt" \
  --fashion-mnist "$FM" --device cpu --calibration-images 400 --validation-images 1000 --validation-batch 200
