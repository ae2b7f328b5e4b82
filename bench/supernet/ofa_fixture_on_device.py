#!/usr/bin/env python3
"""once-for-all's own logits for a fixture's sub-networks, computed on a device.

Reads a fixture made by tests/fixtures/ofa/make_fixture.py or
make_small_fixture.py (recorded on the CPU), runs once-for-all's forward
pass (and its re-calibration for the re-calibrated cases) on --device with
float32 arithmetic (TF32 off), prints how far once-for-all's device logits
are from its own CPU logits, and writes a copy of the fixture whose
expected.json holds the device logits (checkpoint and input linked), so that
bench_supernet_eval --check-fixture can compare nasctl and once-for-all on
the same device.

  ofa_fixture_on_device.py --ofa OFA_ROOT FIXTURE OUT [--device cuda]
"""

import argparse
import copy
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ofa", required=True)
    p.add_argument("--device", default="cuda")
    p.add_argument("fixture")
    p.add_argument("out")
    args = p.parse_args()
    sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "fixtures", "ofa"))
    sys.path.insert(0, HERE)
    import make_fixture

    OFAMobileNetV3, set_running_statistics = make_fixture.import_ofa(args.ofa)
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    expected = json.load(open(os.path.join(args.fixture, "expected.json")))
    net = OFAMobileNetV3(n_classes=expected["classes"], width_mult=expected["width"], ks_list=[3, 5, 7],
                         expand_ratio_list=[3, 4, 6], depth_list=[2, 3, 4])
    if expected.get("stem") == "small":
        from ofa_small_stem import apply_small_stem

        apply_small_stem(net, expected.get("input_channels", 1))
    net.load_state_dict(torch.load(os.path.join(args.fixture, expected["checkpoint"]), map_location="cpu")["state_dict"])
    device = torch.device(args.device)
    net.to(device).eval()
    info = expected["input"]
    raw = open(os.path.join(args.fixture, info["file"]), "rb").read()
    images = torch.frombuffer(bytearray(raw), dtype=torch.int8).view(info["shape"]).float() * info["scale"]
    worst = [0.0, 0.0]
    out = copy.deepcopy(expected)

    def crop(arch):
        r = eval(arch)["r"][0]  # noqa: S307 (our own fixture's text)
        return images[:, :, :r, :r].contiguous().to(device)

    with torch.no_grad():
        for case, target in zip(expected["subnets"], out["subnets"]):
            d = eval(case["arch"])  # noqa: S307
            net.set_active_subnet(ks=d["ks"], e=d["e"], d=d["d"])
            logits = net(crop(case["arch"])).cpu()
            worst[0] = max(worst[0], (logits - torch.tensor(case["logits"])).abs().max().item())
            target["logits"] = logits.tolist()
    for case, target in zip(expected["recalibrated"], out["recalibrated"]):
        d = eval(case["arch"])  # noqa: S307
        model = copy.deepcopy(net)
        model.set_active_subnet(ks=d["ks"], e=d["e"], d=d["d"])
        x = crop(case["arch"])
        set_running_statistics(model, [(x[a:b], None) for a, b in case["batches"]])
        model.eval()
        with torch.no_grad():
            logits = model(x).cpu()
        worst[1] = max(worst[1], (logits - torch.tensor(case["logits"])).abs().max().item())
        target["logits"] = logits.tolist()
    os.makedirs(args.out, exist_ok=True)
    for name in (expected["checkpoint"], info["file"]):
        link = os.path.join(args.out, name)
        if not os.path.exists(link):
            os.symlink(os.path.abspath(os.path.join(args.fixture, name)), link)
    out["logits_device"] = args.device
    out["torch"] = torch.__version__
    with open(os.path.join(args.out, "expected.json"), "w") as f:
        json.dump(out, f)
    print(json.dumps({"what": "ofa_device_vs_cpu", "fixture": args.fixture, "device": args.device,
                      "torch": torch.__version__, "subnets": len(expected["subnets"]),
                      "max_abs_difference": worst[0], "recalibrated_max_abs_difference": worst[1]}))


if __name__ == "__main__":
    main()
