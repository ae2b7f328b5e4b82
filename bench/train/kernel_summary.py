"""GPU time per training step, by kernel, from Nsight Compute's CSV
(bench/train/run_gpu.sh profile): why nasctl's bf16 step is slower than
PyTorch's (docs/results.md, "Training speed"). A diagnostic for the GPU
machine, not a test.

  python3 bench/train/kernel_summary.py ncu-nasctl.csv ncu-pytorch.csv

Each file holds the kernels of a window of training steps, profiled with
`ncu --csv --print-units base --metrics gpu__time_duration.sum`. Steps are
counted by the forward log-softmax of the loss (one per step on both sides:
nasctl's smoothed cross-entropy and PyTorch's F.cross_entropy each run it
once). A window that cuts a step in two counts it whole or not at all, so
the per-step figures are as exact as the window is long: two or more
steps (about 1,500 kernels each for the speed.toml network) keep the error
small.
"""
import collections
import csv
import re
import sys

UNIT_NS = {"ns": 1.0, "nsecond": 1.0, "us": 1e3, "usecond": 1e3, "ms": 1e6, "msecond": 1e6, "s": 1e9, "second": 1e9}

# First match wins; the order puts the specific names before the generic.
CATEGORIES = [
    ("batch norm", r"batch_norm|batchnorm|bn_fw|bn_bw|\bbn"),
    ("layout change (NCHW <-> NHWC)", r"nchwToNhwc|nhwcToNchw|nchw_to_nhwc|nhwc_to_nchw|Transpose|transpose"),
    ("depthwise convolution", r"depthwise|conv_depthwise|DepthwiseConv"),
    ("convolution / GEMM", r"conv|xmma|implicit|gemm|cutlass|sm90_|sm80_|wgrad|dgrad|fprop|cudnn"),
    ("optimiser (multi-tensor)", r"multi_tensor_apply|foreach"),
    ("reduction", r"reduce_kernel|Reduce"),
    ("softmax / loss", r"SoftMax|nll_loss|softmax|cross_entropy"),
    ("copy / cast", r"copy|Copy|cast"),
    ("elementwise", r"elementwise|vectorized|unrolled|Elementwise"),
]


def short_name(name):
    # "void at::native::(anonymous namespace)::foo<float, 4>(int, T2)" ->
    # "foo<float, 4>": the template arguments stay (they tell float from
    # bf16 and which functor an elementwise kernel applies).
    name = re.sub(r"^void ", "", name)
    name = name.replace("(anonymous namespace)::", "").replace("at::native::", "")
    depth = 0
    for i, ch in enumerate(name):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif ch == "(" and depth == 0:
            name = name[:i]
            break
    return name[:110]


def category(name):
    for label, pattern in CATEGORIES:
        if re.search(pattern, name):
            return label
    return "other"


def read(path):
    kernels = []  # (full name, ns)
    with open(path, newline="") as f:
        lines = [line for line in f if line.startswith('"')]
    for row in csv.DictReader(lines):
        if row.get("Metric Name") != "gpu__time_duration.sum":
            continue
        value = float(row["Metric Value"].replace(",", ""))
        kernels.append((row["Kernel Name"], value * UNIT_NS.get(row.get("Metric Unit", "ns"), 1.0)))
    return kernels


def summarise(path):
    kernels = read(path)
    if not kernels:
        print(f"{path}: no kernels with gpu__time_duration.sum (did ncu run?)")
        return
    steps = sum(1 for name, _ in kernels if "SoftMaxForward" in name) or 1
    total = sum(ns for _, ns in kernels)
    print(f"{path}: {len(kernels)} kernels, {steps} steps in the window; per step: "
          f"{len(kernels) / steps:.0f} kernels, {total / steps / 1e6:.2f} ms of GPU time")
    by_category = collections.defaultdict(lambda: [0, 0.0])
    by_name = collections.defaultdict(lambda: [0, 0.0])
    for name, ns in kernels:
        for table, key in ((by_category, category(name)), (by_name, short_name(name))):
            table[key][0] += 1
            table[key][1] += ns
    print(f"  {'category':<32} {'kernels/step':>12} {'ms/step':>9} {'share':>6}")
    for key, (count, ns) in sorted(by_category.items(), key=lambda kv: -kv[1][1]):
        print(f"  {key:<32} {count / steps:>12.1f} {ns / steps / 1e6:>9.3f} {100 * ns / total:>5.1f}%")
    print(f"  {'kernel (top 20 by time)':<110} {'n/step':>7} {'ms/step':>8}")
    for key, (count, ns) in sorted(by_name.items(), key=lambda kv: -kv[1][1])[:20]:
        print(f"  {key:<110} {count / steps:>7.1f} {ns / steps / 1e6:>8.3f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: kernel_summary.py NCU_CSV...")
    for p in sys.argv[1:]:
        summarise(p)
