"""Training throughput of plain PyTorch on the network `nasctl train` trains
as the largest sub-network of the small-stem grey OFA MobileNetV3 space
(docs/supernet.md, "Small single-channel inputs"): the same layers, batch,
loss, optimiser and augmentation, for the side-by-side row in
docs/results.md ("Super-network training speed"). A one-off comparison, not
a test: it needs python3-torch (Debian's PyTorch 1.13, the build nasctl's
LibTorch comes from).

  python3 bench/train/pytorch_train_speed.py --width 1.0 --batch 64 --steps 40 --threads 1

The network is written here from the design's facts (shared/DESIGN.md,
section 3: OFA MobileNetV3), with kernel 7, expand 6 and depth 4 everywhere
and the small stem's strides; its parameter count is printed so it can be
checked against `nasctl evaluate` with the analytic model (6.40 M at width
1.0, 10 classes).
"""
import argparse
import gzip
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_divisible(v, divisor=8):
    n = max(divisor, int(v + divisor / 2) // divisor * divisor)
    if n < 0.9 * v:
        n += divisor
    return n


def activation(name):
    return nn.ReLU(inplace=True) if name == "relu" else nn.Hardswish(inplace=True)


class SqueezeExcite(nn.Module):
    def __init__(self, channels):
        super().__init__()
        hidden = make_divisible(channels // 4)
        self.reduce = nn.Conv2d(channels, hidden, 1, bias=True)
        self.expand = nn.Conv2d(hidden, channels, 1, bias=True)

    def forward(self, x):
        s = x.mean(3, keepdim=True).mean(2, keepdim=True)
        s = F.hardsigmoid(self.expand(F.relu(self.reduce(s))))
        return x * s


class MBConv(nn.Module):
    def __init__(self, cin, cout, kernel, expand, stride, act, se):
        super().__init__()
        mid = make_divisible(round(cin * expand))
        layers = [nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), activation(act),
                  nn.Conv2d(mid, mid, kernel, stride, kernel // 2, groups=mid, bias=False), nn.BatchNorm2d(mid),
                  activation(act)]
        if se:
            layers.append(SqueezeExcite(mid))
        layers += [nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


class LargestSmallStem(nn.Module):
    def __init__(self, width=1.0, classes=10, channels=1):
        super().__init__()
        w = [make_divisible(b * width) for b in [16, 16, 24, 40, 80, 112, 160, 960, 1280]]
        self.stem = nn.Sequential(nn.Conv2d(channels, w[0], 3, 1, 1, bias=False), nn.BatchNorm2d(w[0]),
                                  nn.Hardswish(inplace=True))
        self.first = nn.Sequential(nn.Conv2d(w[0], w[0], 3, 1, 1, groups=w[0], bias=False), nn.BatchNorm2d(w[0]),
                                   nn.ReLU(inplace=True), nn.Conv2d(w[0], w[1], 1, bias=False), nn.BatchNorm2d(w[1]))
        blocks, cin = [], w[1]
        strides = [1, 2, 2, 1, 2]  # the small stem's (OFA's ImageNet layout: 2, 2, 2, 1, 2)
        acts = ["relu", "relu", "hswish", "hswish", "hswish"]
        ses = [False, True, False, True, True]
        for s in range(5):
            for b in range(4):
                blocks.append(MBConv(cin, w[2 + s], 7, 6, strides[s] if b == 0 else 1, acts[s], ses[s]))
                cin = w[2 + s]
        self.blocks = nn.Sequential(*blocks)
        self.final = nn.Sequential(nn.Conv2d(cin, w[7], 1, bias=False), nn.BatchNorm2d(w[7]), nn.Hardswish(inplace=True))
        self.mix = nn.Sequential(nn.Conv2d(w[7], w[8], 1, bias=False), nn.Hardswish(inplace=True))
        self.classifier = nn.Linear(w[8], classes)

    def forward(self, x):
        x = self.stem(x)
        x = x + self.first(x)  # the fixed first block's identity shortcut
        x = self.final(self.blocks(x))
        x = x.mean(3, keepdim=True).mean(2, keepdim=True)
        return self.classifier(self.mix(x).flatten(1))


def read_images(path):
    with gzip.open(path, "rb") as f:
        data = bytearray(f.read())[16:]
    return torch.frombuffer(data, dtype=torch.uint8).reshape(-1, 1, 28, 28)


def read_labels(path):
    with gzip.open(path, "rb") as f:
        return torch.frombuffer(bytearray(f.read())[8:], dtype=torch.uint8).to(torch.int64)


def augment(images, padding, generator):
    # Random crop of the padded image and a random horizontal flip, per image
    # (drawn per image, applied to the whole batch at once by indexing).
    n = images.shape[0]
    black = -0.2860 / 0.3530
    padded = F.pad(images, (padding,) * 4, value=black)[:, 0]
    offsets = torch.randint(0, 2 * padding + 1, (n, 2), generator=generator)
    flips = torch.randint(0, 2, (n,), generator=generator).bool()
    line = torch.arange(28)
    rows = (offsets[:, 0:1] + line)[:, :, None]
    cols = offsets[:, 1:2] + line
    cols = torch.where(flips[:, None], cols.flip(1), cols)[:, None, :]
    return padded[torch.arange(n)[:, None, None], rows, cols][:, None]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--width", type=float, default=1.0)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--folder", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--bf16", action="store_true", help="cuda: forward under bfloat16 autocast")
    parser.add_argument("--channels-last", action="store_true")
    args = parser.parse_args()
    device = torch.device(args.device)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    images = read_images(args.folder + "/train-images-idx3-ubyte.gz")
    labels = read_labels(args.folder + "/train-labels-idx1-ubyte.gz")
    model = LargestSmallStem(args.width).train().to(device)
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    params = sum(p.numel() for p in model.parameters())
    decay = [p for n, p in model.named_parameters() if p.dim() > 1]
    no_decay = [p for n, p in model.named_parameters() if p.dim() <= 1]
    optimiser = torch.optim.SGD([{"params": decay, "weight_decay": 3e-5}, {"params": no_decay, "weight_decay": 0.0}],
                                lr=0.05, momentum=0.9, nesterov=True)
    generator = torch.Generator().manual_seed(0)
    order = torch.randperm(images.shape[0], generator=generator)
    total = args.warmup + args.steps
    start = None
    for step in range(total):
        if step == args.warmup:
            start = time.perf_counter()
        index = order[step * args.batch:(step + 1) * args.batch]
        x = (images[index].to(torch.float32) / 255.0 - 0.2860) / 0.3530
        x = augment(x, 2, generator).to(device)
        if args.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        y = labels[index].to(device)
        lr = 0.05 * 0.5 * (1 + math.cos(math.pi * step / total))
        for group in optimiser.param_groups:
            group["lr"] = lr
        optimiser.zero_grad(set_to_none=True)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.bf16):
            logits = model(x)
        loss = F.cross_entropy(logits.float(), y, label_smoothing=0.1)
        loss.backward()
        optimiser.step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    print("torch %s, %s%s%s, %d thread(s), width %.2f, %d parameters, batch %d: %.1f images/s over %d steps "
          "(loss %.3f)" % (torch.__version__, args.device, ", bf16" if args.bf16 else "",
                           ", channels-last" if args.channels_last else "", args.threads, args.width, params,
                           args.batch, args.steps * args.batch / seconds, args.steps, loss.item()))


if __name__ == "__main__":
    main()
