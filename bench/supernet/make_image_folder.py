#!/usr/bin/env python3
"""Writes synthetic JPEGs in the ImageNet layout for bench_supernet_eval.

Each image is a smooth random pattern (a small random image enlarged
bicubically) with noise (std 16 levels), sized like an ImageNet photo (short
side 300-375, long side 400-500, either orientation), JPEG quality 90, about
70 KB each: the pixel count and a file size near an ImageNet validation
image's (which average about 110 KB), not its content (the weights are random
anyway). Deterministic for a seed. Needs Pillow and numpy.

  make_image_folder.py OUT --images 10000 --classes 100 [--seed 1] [--jobs 16]
"""

import argparse
import os
from multiprocessing import Pool

import numpy as np
from PIL import Image


def write(job):
    out, index, classes, seed = job
    rng = np.random.default_rng([seed, index])
    label = index % classes
    short, long_ = int(rng.integers(300, 376)), int(rng.integers(400, 501))
    w, h = (long_, short) if rng.random() < 0.75 else (short, long_)
    small = rng.integers(0, 256, size=(int(rng.integers(6, 24)), int(rng.integers(6, 24)), 3), dtype=np.uint8)
    image = np.asarray(Image.fromarray(small).resize((w, h), Image.BICUBIC), dtype=np.int16)
    image = image + rng.normal(0.0, 16.0, size=image.shape).astype(np.int16)
    image = Image.fromarray(np.clip(image, 0, 255).astype(np.uint8))
    folder = os.path.join(out, "c%04d" % label)
    image.save(os.path.join(folder, "img%06d.jpg" % index), quality=90)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--images", type=int, required=True)
    p.add_argument("--classes", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--jobs", type=int, default=os.cpu_count())
    args = p.parse_args()
    for c in range(args.classes):
        os.makedirs(os.path.join(args.out, "c%04d" % c), exist_ok=True)
    with Pool(args.jobs) as pool:
        pool.map(write, [(args.out, i, args.classes, args.seed) for i in range(args.images)], chunksize=64)


if __name__ == "__main__":
    main()
