#!/usr/bin/env bash
# On the GPU machine: .gpu-data-xz (scripts/gpu/make-carry.sh) back into the
# four gzip files of Fashion-MNIST, in .gpu-data/fashion-mnist/ (the folder
# bench/supernet/run_gpu_extra.sh and bench/train/run_gpu.sh read).
# Python's lzma module, as xz itself may be missing there.
set -euo pipefail
mkdir -p .gpu-data/fashion-mnist
cp .gpu-data-xz/*labels-idx1-ubyte.gz .gpu-data/fashion-mnist/
python3 - <<'PY'
import gzip, lzma, pathlib, shutil
out = pathlib.Path(".gpu-data/fashion-mnist")
for f in pathlib.Path(".gpu-data-xz").glob("*.xz"):
    with lzma.open(f) as src, gzip.open(out / (f.stem + ".gz"), "wb", compresslevel=1) as dst:
        shutil.copyfileobj(src, dst)
PY
ls -la .gpu-data/fashion-mnist
