#!/usr/bin/env bash
# Channel sorting's effect on a short progressive shrink (docs/results.md,
# "Channel sorting before width phases"): trains shrink.toml and
# shrink-sorted.toml side by side (one thread each), then scores the six
# sub-networks of archs.txt in both checkpoints. About 25 minutes on an idle
# 2-core machine. From the repository root, after the build:
#   bash bench/train/sorting/run.sh [OUT_DIR]      # default runs/sorting
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
nasctl=${NASCTL:-build/bin/nasctl}
out=${1:-runs/sorting}
mkdir -p "$out"
"$nasctl" train --no-progress -c "$here/shrink.toml" -o "$out/plain" > "$out/plain.log" 2>&1 &
"$nasctl" train --no-progress -c "$here/shrink-sorted.toml" -o "$out/sorted" > "$out/sorted.log" 2>&1 &
wait
for run in plain sorted; do
  "$nasctl" evaluate -c "$here/evaluate.toml" --set "accuracy.checkpoint=$out/$run/checkpoint.pt" \
    --archs "$here/archs.txt" -o "$out/$run.csv"
done
# The arch column is quoted (it holds commas); top-1 is the field after it.
top1() { tail -n +2 "$1" | sed 's/^"[^"]*",//' | cut -d, -f1; }
echo "sub-network,top-1 without sorting,top-1 with sorting"
paste -d, <(sed 's/^ks=[^;]*;//; s/;d=.*//' "$here/archs.txt") <(top1 "$out/plain.csv") <(top1 "$out/sorted.csv")
