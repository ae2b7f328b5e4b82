#!/usr/bin/env bash
# The CPU side by side: nasctl's engine (bench_supernet_eval) and PyTorch with
# once-for-all's own code (ofa_reference.py) evaluating the same OFA
# MobileNetV3 w1.0 sub-networks at a small resolution on the same images,
# alternating, fp32. From the repository root, after building
# bench_supernet_eval in $BUILD (default build-gpu) and making a full-size
# checkpoint (tests/fixtures/ofa/README.md: --width 1.0 --classes 1000 --out
# /tmp/ofa-full) and the image folders (make_image_folder.py /tmp/sn-cal
# --images 400 --seed 1; /tmp/sn-val --images 1000 --seed 2):
#
#   bash bench/supernet/run_cpu.sh OFA_ROOT [RESOLUTION] [THREADS]
#
# PyTorch: Debian's /usr/bin/python3 (python3-torch 1.13, no torchvision:
# ofa_reference.py's Pillow transform).
set -uo pipefail
OFA=${1:?once-for-all checkout}
R=${2:-160}
THREADS=${3:-2}
BUILD=${BUILD:-build-gpu}
OUT=${OUT:-/tmp/sn-cpu}
mkdir -p "$OUT"
sed "s/'r': \[224\]/'r': [$R]/" bench/supernet/archs224.txt > "$OUT/archs.txt"
common="--checkpoint /tmp/ofa-full/ofa_mbv3_d234_e346_k357_w1_c1000.pth --archs $OUT/archs.txt
  --calibration /tmp/sn-cal --validation /tmp/sn-val --device cpu --calibration-images 400 --validation-images 1000
  --validation-batch 200 --validation-mode resident"
export OMP_NUM_THREADS=$THREADS
for round in 1 2; do
  echo "[$(date +%T)] round $round, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  "$BUILD/bench/bench_supernet_eval" $common --variants fp32-nocache,fp32 --loader-threads $THREADS \
    > "$OUT/nasctl_$round.jsonl" || exit 1
  /usr/bin/python3 bench/supernet/ofa_reference.py --ofa "$OFA" $common --variants fp32 --workers $THREADS \
    --threads $THREADS > "$OUT/ofa_$round.jsonl" || exit 1
  python3 bench/supernet/compare.py "$OUT/nasctl_$round.jsonl" "$OUT/ofa_$round.jsonl"
done
echo "[$(date +%T)] load average $(cut -d' ' -f1-3 /proc/loadavg)"
