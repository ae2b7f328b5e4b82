#!/usr/bin/env python3
"""Puts bench_torch_gpu's figures (Google Benchmark JSON) beside PyTorch's
(pytorch_graph_reference.py's JSON) and checks the target: nasctl's default
CUDA measurement is never slower than PyTorch's plain module in a CUDA graph.

    python3 compare_gpu.py BENCH.json PYTORCH.json

Prints one row per network and batch (medians over the repetitions) and
exits 1 when a row misses the target.
"""
import json
import statistics
import sys

FORMS = ["frozen+opt", "frozen", "torchscript", "eager", "eager+fold"]


def main():
    bench_path, torch_path = sys.argv[1:3]
    with open(bench_path) as f:
        bench = json.load(f)
    with open(torch_path) as f:
        reference = json.load(f)
    rows = {}
    for b in bench["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        _, net, batch = b["name"].split("/")[:3]
        rows.setdefault(f"{net}/{batch}", []).append(b)
    print(f"GPU: {reference['gpu']}, PyTorch {reference['torch']}, cuDNN {reference['cudnn']}")
    print(f"{'network':<10} {'nasctl ms':>10} {'form kept':<26} "
          + " ".join(f"{name:>11}" for name in FORMS)
          + f" {'PyTorch ms':>11} {'tuned ms':>9} {'ratio':>6}  target")
    missed = 0
    for key, runs in rows.items():
        nasctl = statistics.median(r["real_time"] for r in runs)
        forms = [statistics.median(r[f"f{k}"] for r in runs) for k in range(len(FORMS))]
        kept = ", ".join(sorted({r.get("label", "?") for r in runs}))
        plain = reference["networks"][key]["plain"]["median_ms"]
        tuned = reference["networks"][key]["plain_tuned"]["median_ms"]
        ratio = nasctl / plain
        ok = ratio <= 1.0
        missed += not ok
        print(f"{key:<10} {nasctl:>10.4f} {kept:<26} " + " ".join(f"{v:>11.4f}" for v in forms)
              + f" {plain:>11.4f} {tuned:>9.4f} {ratio:>6.3f}  {'met' if ok else 'MISSED'}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
