#!/usr/bin/env python3
"""bench_supernet_eval's work done with once-for-all's own code.

For each sub-network, as once-for-all's eval_ofa_net.py evaluates one:
set_active_subnet, get_active_subnet(preserve_weight=True), its
set_running_statistics on the calibration images (batches of 200, decoded
once and held in pinned memory, as its build_sub_train_loader caches them),
then top-1 on the validation images in eval mode under torch.no_grad().
Images go through once-for-all's validation transform (Resize(ceil(r /
0.875)), CenterCrop(r), ToTensor, Normalize) with torchvision, or, where
torchvision is missing (Debian's python3-torch), with the same steps written
out on Pillow below. Prints one JSON object per line, with the keys
bench_supernet_eval prints; compare.py puts the two side by side.

Only once-for-all's network modules and set_running_statistics are
imported; its data loaders (ofa.utils.my_dataloader, which need an older
PyTorch) are replaced by an empty module, as make_fixture.py does.
"""

import argparse
import ast
import json
import math
import os
import sys
import time
import types

import torch

try:
    import torchvision  # noqa: F401
    from torchvision import datasets as tv_datasets
    from torchvision import transforms as tv_transforms

    HAVE_TORCHVISION = True
except ImportError:
    HAVE_TORCHVISION = False

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
EXTENSIONS = (".jpg", ".jpeg", ".png")


def import_ofa(root):
    sys.path.insert(0, os.path.abspath(root))
    sys.modules["ofa.utils.my_dataloader"] = types.ModuleType("ofa.utils.my_dataloader")
    from ofa.imagenet_classification.elastic_nn.networks.ofa_mbv3 import OFAMobileNetV3
    from ofa.imagenet_classification.elastic_nn.utils import set_running_statistics

    return OFAMobileNetV3, set_running_statistics


class PillowValidTransform:
    """torchvision's Resize(s) (bilinear, on a PIL image), CenterCrop(r),
    ToTensor, Normalize, step by step, for machines without torchvision."""

    def __init__(self, resolution):
        self.resolution = resolution
        self.short = int(math.ceil(resolution / 0.875))

    def __call__(self, image):
        from PIL import Image

        w, h = image.size
        if w <= h:
            size = (self.short, int(self.short * h / w))
        else:
            size = (int(self.short * w / h), self.short)
        image = image.resize(size, Image.BILINEAR)
        w, h = image.size
        r = self.resolution
        top, left = int(round((h - r) / 2.0)), int(round((w - r) / 2.0))
        image = image.crop((left, top, left + r, top + r))
        x = torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8).view(r, r, 3)
        x = x.permute(2, 0, 1).float().div(255.0)
        return (x - torch.tensor(MEAN).view(3, 1, 1)) / torch.tensor(STD).view(3, 1, 1)


class PillowImageFolder(torch.utils.data.Dataset):
    """torchvision's ImageFolder order: classes sorted, files sorted by path."""

    def __init__(self, root, transform):
        self.transform = transform
        classes = sorted(e.name for e in os.scandir(root) if e.is_dir())
        self.samples = []
        for label, name in enumerate(classes):
            for folder, _, files in sorted(os.walk(os.path.join(root, name), followlinks=True)):
                for f in sorted(files):
                    if f.lower().endswith(EXTENSIONS):
                        self.samples.append((os.path.join(folder, f), label))

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        from PIL import Image

        path, label = self.samples[i]
        with open(path, "rb") as f:
            image = Image.open(f).convert("RGB")
        return self.transform(image), label


def image_folder(root, resolution):
    if HAVE_TORCHVISION:
        transform = tv_transforms.Compose([
            tv_transforms.Resize(int(math.ceil(resolution / 0.875))),
            tv_transforms.CenterCrop(resolution),
            tv_transforms.ToTensor(),
            tv_transforms.Normalize(mean=MEAN, std=STD),
        ])
        return tv_datasets.ImageFolder(root, transform)
    return PillowImageFolder(root, PillowValidTransform(resolution))


def loader(dataset, count, batch, workers, pin):
    subset = torch.utils.data.Subset(dataset, list(range(count)))
    return torch.utils.data.DataLoader(subset, batch_size=batch, shuffle=False, num_workers=workers,
                                       pin_memory=pin)


def fashion_mnist(folder, name):
    """Images and labels of one Fashion-MNIST file pair (name: 'train' or
    't10k'), normalised as nasctl::datasets does: (x / 255 - 0.2860) / 0.3530."""
    import gzip

    def read(kind):
        path = os.path.join(folder, "%s-%s-idx%d-ubyte.gz" % (name, kind, 3 if kind == "images" else 1))
        with gzip.open(path, "rb") as f:
            data = f.read()
        return data

    images, labels = read("images"), read("labels")
    n = int.from_bytes(images[4:8], "big")
    x = torch.frombuffer(bytearray(images[16:]), dtype=torch.uint8).view(n, 1, 28, 28).float()
    x = (x / 255.0 - 0.2860) / 0.3530
    y = torch.frombuffer(bytearray(labels[8:]), dtype=torch.uint8).long()
    return torch.utils.data.TensorDataset(x, y)


def parse_arch(text):
    d = ast.literal_eval(text)
    return d["ks"], d["e"], d["d"], d["r"][0]


def emit(row):
    row["side"] = "pytorch-ofa"
    print(json.dumps(row), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ofa", required=True, help="root of a once-for-all checkout (holds ofa/)")
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--width", type=float, default=1.0)
    p.add_argument("--classes", type=int, default=1000)
    p.add_argument("--archs", required=True)
    p.add_argument("--calibration")
    p.add_argument("--validation")
    p.add_argument("--fashion-mnist", help="Fashion-MNIST folder: calibration from its training file (first N), "
                   "validation on its test file; once-for-all's network with nasctl's small stem (ofa_small_stem.py)")
    p.add_argument("--device", default="cpu")
    p.add_argument("--variants", default="fp32")
    p.add_argument("--calibration-images", type=int, default=2000)
    p.add_argument("--calibration-batch", type=int, default=200)
    p.add_argument("--validation-images", type=int, default=10000)
    p.add_argument("--validation-batch", type=int, default=500)
    p.add_argument("--validation-mode", choices=["resident", "stream"], default="resident")
    p.add_argument("--workers", type=int, default=os.cpu_count())
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: PyTorch's default)")
    p.add_argument("--cudnn-benchmark", action="store_true")
    p.add_argument("--no-tf32", action="store_true")
    args = p.parse_args()

    OFAMobileNetV3, set_running_statistics = import_ofa(args.ofa)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    cuda = device.type == "cuda"
    torch.backends.cudnn.benchmark = args.cudnn_benchmark
    torch.backends.cudnn.allow_tf32 = not args.no_tf32

    def sync():
        if cuda:
            torch.cuda.synchronize()

    archs = [parse_arch(line) for line in open(args.archs) if line.strip() and not line.startswith("#")]
    resolution = archs[0][3]

    start = time.perf_counter()
    fashion = args.fashion_mnist is not None
    net = OFAMobileNetV3(n_classes=10 if fashion else args.classes, width_mult=args.width, ks_list=[3, 5, 7],
                         expand_ratio_list=[3, 4, 6], depth_list=[2, 3, 4])
    if fashion:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from ofa_small_stem import apply_small_stem

        apply_small_stem(net, 1)
    net.load_state_dict(torch.load(args.checkpoint, map_location="cpu")["state_dict"])
    net.to(device)
    sync()
    emit({"what": "load", "device": args.device, "seconds": time.perf_counter() - start, "torch": torch.__version__,
          "torchvision": HAVE_TORCHVISION})

    start = time.perf_counter()
    if fashion:
        calibration_set, validation_set = fashion_mnist(args.fashion_mnist, "train"), fashion_mnist(args.fashion_mnist, "t10k")
        emit({"what": "open", "seconds": time.perf_counter() - start})
        args.workers = 0  # in memory, as nasctl holds it
        start = time.perf_counter()
    else:
        calibration_set, validation_set = image_folder(args.calibration, resolution), image_folder(args.validation, resolution)
    calibration = [(images, labels) for images, labels in
                   loader(calibration_set, args.calibration_images, args.calibration_batch, args.workers, cuda)]
    seconds = time.perf_counter() - start
    emit({"what": "calibration_decode", "images": args.calibration_images, "seconds": seconds,
          "images_per_s": args.calibration_images / seconds, "workers": args.workers})

    resident = []
    if args.validation_mode == "resident":
        start = time.perf_counter()
        for images, labels in loader(validation_set, args.validation_images, args.validation_batch,
                                     args.workers, False):
            resident.append((images.to(device), labels.to(device)))
        seconds = time.perf_counter() - start
        emit({"what": "validation_decode", "images": args.validation_images, "seconds": seconds,
              "images_per_s": args.validation_images / seconds})

    for variant in args.variants.split(","):
        channels_last = variant in ("cl", "cl-bf16")
        bf16 = variant in ("bf16", "cl-bf16")
        if variant == "fp32-nocache":
            continue  # nasctl's uncached variant; once-for-all always extracts the sub-network

        def evaluate(ks, e, d, calibration_batches, validation_batches):
            row = {}
            t = time.perf_counter()
            net.set_active_subnet(ks=ks, e=e, d=d)
            subnet = net.get_active_subnet(preserve_weight=True)
            if channels_last:
                subnet = subnet.to(memory_format=torch.channels_last)
            sync()
            row["activate_s"] = time.perf_counter() - t
            # Re-calibration in float32 (the statistics are sums over 2,000
            # images; and once-for-all's batch_norm call with bf16 batch
            # statistics and float32 affine terms is refused under autocast).
            t = time.perf_counter()
            set_running_statistics(subnet, calibration[:calibration_batches])
            sync()
            row["calibration_s"] = time.perf_counter() - t
            row["calibration_images"] = sum(int(x.size(0)) for x, _ in calibration[:calibration_batches])
            subnet.eval()
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16):
                t = time.perf_counter()
                correct = torch.zeros((), dtype=torch.long, device=device)
                images_seen = 0
                with torch.no_grad():
                    if resident:
                        batches = resident[:validation_batches]
                    else:
                        batches = loader(validation_set, args.validation_images, args.validation_batch,
                                         args.workers, cuda)
                    for i, (images, labels) in enumerate(batches):
                        if i >= validation_batches:
                            break
                        images = images.to(device, non_blocking=True)
                        labels = labels.to(device, non_blocking=True)
                        if channels_last:
                            images = images.contiguous(memory_format=torch.channels_last)
                        output = subnet(images)
                        correct += output.argmax(1).eq(labels).sum()
                        images_seen += int(images.size(0))
                right = int(correct.item())
                row["validation_s"] = time.perf_counter() - t
            row["validation_images"] = images_seen
            row["top1"] = 100.0 * right / images_seen if images_seen else 0.0
            return row

        ks, e, d, _ = archs[0]
        evaluate(ks, e, d, 1, 1)  # warm-up, as bench_supernet_eval
        for index, (ks, e, d, r) in enumerate(archs):
            row = evaluate(ks, e, d, len(calibration), 1 << 30)
            row.update({"what": "subnet", "variant": variant, "arch_index": index,
                        "arch": "{'wid': None, 'ks': %s, 'e': %s, 'd': %s, 'r': [%d]}" % (ks, e, d, r),
                        "device": args.device, "validation_mode": args.validation_mode,
                        "validation_batch": args.validation_batch})
            row["total_s"] = row["activate_s"] + row["calibration_s"] + row["validation_s"]
            row["validation_images_per_s"] = row["validation_images"] / row["validation_s"]
            emit(row)


if __name__ == "__main__":
    main()
