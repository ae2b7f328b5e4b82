#!/usr/bin/env python3
"""Ranking fidelity of a super-network (issue 12): Kendall's tau-b and
Spearman's rho between the accuracy each sub-network inherits from the
super-network and the accuracy of the same sub-network trained alone.

    python3 bench/train/ranking.py INHERITED.csv ALONE.csv [ALONE_SEED2.csv ...] [--metric accuracy.top1]

All files are `nasctl evaluate` outputs (arch column + metrics); rows are
matched by architecture string, so their order does not matter. Several
ALONE files are the stand-alone runs of other training seeds: then the
inherited accuracy is ranked against each seed and against their mean, and
the seeds against each other. That last figure is the ceiling of any
super-network's tau: where training noise moves the stand-alone accuracies
as far as the sub-networks differ, the stand-alone ranking does not repeat
itself either. Prints a Markdown table and the coefficients. Standard
library only.
"""
import argparse
import csv
import math
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


def tau_p_value(tau, n):
    """Two-sided p-value of tau against no association (the normal
    approximation of Kendall's statistic under independence, variance
    2 (2n + 5) / (9 n (n - 1))): with 12 sub-networks a tau of 0.3 is still
    within what unrelated rankings give (p about 0.17)."""
    z = 3 * tau * math.sqrt(n * (n - 1)) / math.sqrt(2 * (2 * n + 5))
    return math.erfc(abs(z) / math.sqrt(2))


def coefficients(x, y):
    tau = kendall_tau_b(x, y)
    return (f"Kendall tau-b = {tau:.3f} (p = {tau_p_value(tau, len(x)):.2f} against no association); "
            f"Spearman rho = {spearman(x, y):.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inherited")
    parser.add_argument("alone", nargs="+", help="stand-alone results, one file per training seed")
    parser.add_argument("--metric", default="accuracy.top1")
    args = parser.parse_args()
    inherited = read(args.inherited, args.metric)
    seeds = [read(path, args.metric) for path in args.alone]
    archs = [a for a in inherited if all(a in alone for alone in seeds)]
    missing = len(inherited) - len(archs)
    if missing:
        print(f"ranking.py: {missing} sub-network(s) of {args.inherited} have no row in every ALONE file", file=sys.stderr)
    if len(archs) < 3:
        sys.exit("ranking.py: fewer than 3 sub-networks in all files; nothing to rank")
    x = [inherited[a] for a in archs]
    ys = [[alone[a] for a in archs] for alone in seeds]
    mean = [sum(column) / len(column) for column in zip(*ys)]
    alone_heads = " | ".join(f"alone, seed file {k + 1}" for k in range(len(ys)))
    print(f"| # | inherited {args.metric} | {alone_heads}" + (" | alone, mean" if len(ys) > 1 else "") + " | architecture |")
    print("| --- " * (3 + len(ys) + (len(ys) > 1)) + "|")
    for i, a in enumerate(archs):
        cells = " | ".join(f"{y[i]:.2f}" for y in ys) + (f" | {mean[i]:.2f}" if len(ys) > 1 else "")
        print(f"| {i} | {x[i]:.2f} | {cells} | `{a}` |")
    print(f"\nsub-networks: {len(archs)}")
    if len(ys) == 1:
        print(f"inherited vs alone: {coefficients(x, ys[0])}")
        return
    for k, y in enumerate(ys):
        print(f"inherited vs alone seed file {k + 1}: {coefficients(x, y)}")
    print(f"inherited vs alone mean of {len(ys)} seeds: {coefficients(x, mean)}")
    for k in range(len(ys)):
        for j in range(k + 1, len(ys)):
            print(f"alone seed file {k + 1} vs {j + 1} (the ceiling): {coefficients(ys[k], ys[j])}")


if __name__ == "__main__":
    main()
