#!/usr/bin/env python3
"""PyTorch's side of bench_torch_gpu: the same networks as plain nn.Modules,
replayed in a CUDA graph and timed with CUDA events, as a PyTorch user would
deploy them without an export step.

    python3 pytorch_graph_reference.py SPEC_DIR OUT.json [--batches 1 64]

SPEC_DIR holds small.json and large.json from `bench_torch_gpu --write-specs`
(the NetworkSpec layer by layer: the very networks nasctl measures). For each
network and batch it times:
  plain         the nn.Module in eval mode under torch.inference_mode(),
                cuDNN defaults (torch.backends.cudnn.benchmark = False):
                "PyTorch's plain CUDA graph", the reference nasctl must not
                be slower than;
  plain_tuned   the same with torch.backends.cudnn.benchmark = True (cuDNN
                picks the fastest algorithm per shape, as nasctl does).
Each figure is the median of `--repeats` replays after `--warmup` untimed
ones, three times over (fresh module, fresh graph); OUT.json keeps all.
"""
import argparse
import json
import statistics
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def activation(name):
    return {
        "none": nn.Identity,
        "relu": nn.ReLU,
        "relu6": nn.ReLU6,
        "hardswish": nn.Hardswish,
        "hardsigmoid": nn.Hardsigmoid,
        "sigmoid": nn.Sigmoid,
    }[name]()


class SqueezeExcite(nn.Module):
    def __init__(self, channels, hidden):
        super().__init__()
        self.reduce = nn.Conv2d(channels, hidden, 1, bias=True)
        self.expand = nn.Conv2d(hidden, channels, 1, bias=True)

    def forward(self, x):
        s = F.adaptive_avg_pool2d(x, 1)
        s = F.relu(self.reduce(s))
        s = F.hardsigmoid(self.expand(s))
        return x * s


def layer_module(l):
    op = l["op"]
    cin, cout = l["in"][0], l["out"][0]
    if op == "conv2d":
        parts = [nn.Conv2d(cin, cout, l["kernel"], l["stride"], l["padding"], groups=l["groups"], bias=l["bias"])]
        if l["batch_norm"]:
            parts.append(nn.BatchNorm2d(cout))
        parts.append(activation(l["activation"]))
        return nn.Sequential(*parts)
    if op == "linear":
        features = l["in"][0] * l["in"][1] * l["in"][2]
        return nn.Sequential(nn.Flatten(1), nn.Linear(features, cout, bias=l["bias"]), activation(l["activation"]))
    if op == "se":
        return SqueezeExcite(cin, l["hidden"])
    if op == "global_avg_pool":
        return nn.AdaptiveAvgPool2d(1)
    if op == "avg_pool":
        return nn.AvgPool2d(l["kernel"], l["stride"], l["padding"], count_include_pad=False)
    if op == "max_pool":
        return nn.MaxPool2d(l["kernel"], l["stride"], l["padding"])
    if op == "batch_norm":
        return nn.BatchNorm2d(cin)
    if op == "activation":
        return activation(l["activation"])
    if op in ("add", "concat", "slice", "shuffle"):
        return nn.Identity()  # done in forward: they combine or reshape inputs
    raise ValueError("unknown op " + op)


class SpecNetwork(nn.Module):
    """The NetworkSpec's DAG as a plain module: one submodule per layer."""

    def __init__(self, spec):
        super().__init__()
        self.layers = spec["layers"]
        self.blocks = nn.ModuleList(layer_module(l) for l in self.layers)
        last_use = [-1] * len(self.layers)
        for i, l in enumerate(self.layers):
            for k in l["inputs"]:
                if k >= 0:
                    last_use[k] = i
        self.last_use = last_use

    def forward(self, x):
        values = [None] * len(self.layers)
        for i, (l, block) in enumerate(zip(self.layers, self.blocks)):
            ins = [x if k < 0 else values[k] for k in l["inputs"]]
            op = l["op"]
            if op == "add":
                y = ins[0] + ins[1]
                for t in ins[2:]:
                    y = y + t
            elif op == "concat":
                y = torch.cat(ins, 1)
            elif op == "slice":
                y = ins[0].narrow(1, l["hidden"], l["out"][0])
            elif op == "shuffle":
                c, h, w = l["in"]
                g = l["groups"]
                y = ins[0].reshape(-1, g, c // g, h, w).transpose(1, 2).reshape(-1, c, h, w)
            else:
                y = block(ins[0])
            values[i] = y
            # Free what no later layer reads, as nasctl's eager module does.
            for k in l["inputs"]:
                if k >= 0 and self.last_use[k] == i:
                    values[k] = None
        return values[-1]


def graph_median_ms(model, x, warmup, repeats):
    stream = torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(stream):
        for _ in range(3):  # cuDNN picks its algorithms before the capture
            model(x)
    torch.cuda.current_stream().wait_stream(stream)
    torch.cuda.synchronize()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        out = model(x)
    for _ in range(warmup):
        graph.replay()
    torch.cuda.synchronize()
    start = torch.cuda.Event(enable_timing=True)
    stop = torch.cuda.Event(enable_timing=True)
    times = []
    for _ in range(repeats):
        start.record()
        graph.replay()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop))
    del out, graph
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec_dir")
    parser.add_argument("out")
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 64])
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        sys.exit("pytorch_graph_reference.py: no CUDA device")
    results = {"torch": torch.__version__, "cudnn": torch.backends.cudnn.version(),
               "gpu": torch.cuda.get_device_name(), "networks": {}}
    for net in ("small", "large"):
        with open(f"{args.spec_dir}/{net}.json") as f:
            spec = json.load(f)
        for batch in args.batches:
            row = {}
            for variant, tuned in (("plain", False), ("plain_tuned", True)):
                torch.backends.cudnn.benchmark = tuned
                runs = []
                for run in range(args.runs):
                    torch.manual_seed(run)
                    model = SpecNetwork(spec).cuda().eval()
                    x = torch.randn(batch, *spec["input"], device="cuda")
                    with torch.inference_mode():
                        runs.append(graph_median_ms(model, x, args.warmup, args.repeats))
                    del model, x
                    torch.cuda.empty_cache()
                row[variant] = {"median_ms": statistics.median(runs), "runs_ms": runs}
            results["networks"][f"{net}/b{batch}"] = row
            print(f"{net}/b{batch}: plain {row['plain']['median_ms']:.4f} ms, "
                  f"plain_tuned {row['plain_tuned']['median_ms']:.4f} ms", flush=True)
    torch.backends.cudnn.benchmark = False
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
