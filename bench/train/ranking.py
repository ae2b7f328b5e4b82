#!/usr/bin/env python3
"""Ranking fidelity of a super-network (issue 12): Kendall's tau-b and
Spearman's rho between the accuracy each sub-network inherits from the
super-network and the accuracy of the same sub-network trained alone.

    python3 bench/train/ranking.py INHERITED.csv ALONE.csv [--metric accuracy.top1]

Both files are `nasctl evaluate` outputs (arch column + metrics); rows are
matched by architecture string, so their order does not matter. Prints a
Markdown table and the two coefficients. Standard library only.
"""
import argparse
import csv
import sys


def read(path, metric):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"ranking.py: {path} has no rows; fix: run nasctl evaluate first")
    if metric not in rows[0]:
        sys.exit(f"ranking.py: {path} has no column '{metric}'; fix: pass --metric with one of {list(rows[0])}")
    return {r["arch"]: float(r[metric]) for r in rows}


def kendall_tau_b(x, y):
    """Tau-b: concordant minus discordant pairs over the pairs untied in
    each variable (ties in accuracy are common at 0.01 % resolution)."""
    n = len(x)
    concordant = discordant = ties_x = ties_y = 0
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    denominator = ((concordant + discordant + ties_x) * (concordant + discordant + ties_y)) ** 0.5
    return (concordant - discordant) / denominator if denominator else float("nan")


def ranks(values):
    """Average ranks (1-based), ties sharing the mean of their positions."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(x, y):
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inherited")
    parser.add_argument("alone")
    parser.add_argument("--metric", default="accuracy.top1")
    args = parser.parse_args()
    inherited = read(args.inherited, args.metric)
    alone = read(args.alone, args.metric)
    archs = [a for a in inherited if a in alone]
    missing = [a for a in inherited if a not in alone]
    if missing:
        print(f"ranking.py: {len(missing)} sub-network(s) of {args.inherited} have no row in {args.alone}", file=sys.stderr)
    if len(archs) < 3:
        sys.exit("ranking.py: fewer than 3 sub-networks in both files; nothing to rank")
    x = [inherited[a] for a in archs]
    y = [alone[a] for a in archs]
    print(f"| # | inherited {args.metric} | alone {args.metric} | architecture |")
    print("| --- | --- | --- | --- |")
    for i, a in enumerate(archs):
        print(f"| {i} | {x[i]:.2f} | {y[i]:.2f} | `{a}` |")
    print(f"\nsub-networks: {len(archs)}; Kendall tau-b = {kendall_tau_b(x, y):.3f}; Spearman rho = {spearman(x, y):.3f}")


if __name__ == "__main__":
    main()
