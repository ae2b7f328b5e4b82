#!/usr/bin/env python3
"""A Fashion-MNIST-sized fixture made with once-for-all's own code.

As tests/fixtures/ofa/make_fixture.py (whose randomise() it uses), for
once-for-all's OFAMobileNetV3 with nasctl's small stem applied
(ofa_small_stem.py: one input channel, first convolution and first stage at
stride 1): random non-trivial weights, running statistics from
once-for-all's re-calibration of the largest network on random 28x28 images,
the checkpoint, and the logits of 14 sub-networks at 28x28 (2 more after
re-calibration) in expected.json, which bench_supernet_eval --check-fixture
reads (its "stem" and "input_channels" keys configure the space).

  make_small_fixture.py --ofa OFA_ROOT --out DIR [--width 1.0] [--classes 10]
"""

import argparse
import copy
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "fixtures", "ofa"))
import make_fixture  # noqa: E402  (sets one thread, imports torch)
import torch  # noqa: E402

from ofa_small_stem import apply_small_stem  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ofa", required=True)
    p.add_argument("--ofa-commit", default="f03b2673db313b9167e2a1c2b7a5cad540cc1313")
    p.add_argument("--out", required=True)
    p.add_argument("--width", type=float, default=1.0)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--resolution", type=int, default=28)
    p.add_argument("--seed", type=int, default=20240612)
    args = p.parse_args()
    OFAMobileNetV3, set_running_statistics = make_fixture.import_ofa(args.ofa)
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(args.seed)
    net = OFAMobileNetV3(n_classes=args.classes, width_mult=args.width, ks_list=make_fixture.KERNELS,
                         expand_ratio_list=make_fixture.EXPANDS, depth_list=make_fixture.DEPTHS)
    apply_small_stem(net, 1)
    make_fixture.randomise(net, g)
    net.set_max_net()
    r = args.resolution
    set_running_statistics(net, [(torch.randn(16, 1, r, r, generator=g), None)])
    os.makedirs(args.out, exist_ok=True)
    checkpoint = "ofa_mbv3_small_stem_w%g_c%d.pth" % (args.width, args.classes)
    torch.save({"state_dict": net.state_dict()}, os.path.join(args.out, checkpoint))
    pixels = torch.randint(-128, 128, (3, 1, r, r), dtype=torch.int8, generator=g)
    with open(os.path.join(args.out, "input_int8.bin"), "wb") as f:
        f.write(pixels.numpy().tobytes())
    images = pixels.float() / 64.0
    text = lambda ks, e, d: make_fixture.dynast_text(ks, e, d, r)  # noqa: E731
    archs = [a[:3] for a in make_fixture.architectures(random.Random(args.seed), 14)]
    subnets = []
    net.eval()
    with torch.no_grad():
        for ks, e, d in archs:
            net.set_active_subnet(ks=ks, e=e, d=d)
            subnets.append({"arch": text(ks, e, d), "logits": net(images).tolist()})
    recalibrated = []
    batches = [[0, 2], [2, 3]]
    for ks, e, d, _ in make_fixture.architectures(random.Random(args.seed + 1), 6)[4:6]:
        model = copy.deepcopy(net)
        model.set_active_subnet(ks=ks, e=e, d=d)
        set_running_statistics(model, [(images[a:b], None) for a, b in batches])
        model.eval()
        with torch.no_grad():
            recalibrated.append({"arch": text(ks, e, d), "batches": batches, "logits": model(images).tolist()})
    expected = {"made_by": "bench/supernet/make_small_fixture.py", "ofa_commit": args.ofa_commit,
                "torch": torch.__version__, "seed": args.seed, "width": args.width, "classes": args.classes,
                "stem": "small", "input_channels": 1, "checkpoint": checkpoint,
                "input": {"file": "input_int8.bin", "dtype": "int8", "shape": list(pixels.shape), "scale": 1.0 / 64.0},
                "subnets": subnets, "recalibrated": recalibrated}
    with open(os.path.join(args.out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print("wrote %s: %d sub-networks at %dx%d, %d re-calibrated" % (args.out, len(subnets), r, r, len(recalibrated)))


if __name__ == "__main__":
    main()
