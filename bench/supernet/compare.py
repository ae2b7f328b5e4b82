#!/usr/bin/env python3
"""Puts bench_supernet_eval's and ofa_reference.py's JSON lines side by side.

  compare.py nasctl.jsonl ofa.jsonl [--target 1.2]

Per variant and sub-network: seconds to activate, re-calibrate and validate,
their total, nasctl / once-for-all, and both top-1s; then per variant the
total over all sub-networks. nasctl's fp32-nocache rows are set against
once-for-all's fp32 ones. Exits 1 when a variant's summed nasctl time is
above target x once-for-all's.
"""

import argparse
import json
import sys


def rows(path):
    out = []
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            out.append(json.loads(line))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("nasctl")
    p.add_argument("ofa")
    p.add_argument("--target", type=float, default=1.2)
    args = p.parse_args()
    ours, theirs = rows(args.nasctl), rows(args.ofa)
    for what in ("load", "calibration_decode", "validation_decode"):
        a = [r for r in ours if r["what"] == what]
        b = [r for r in theirs if r["what"] == what]
        if a and b:
            extra = ""
            if "images_per_s" in a[0]:
                extra = " (%.0f vs %.0f images/s)" % (a[0]["images_per_s"], b[0]["images_per_s"])
            print("%s: nasctl %.3f s, once-for-all %.3f s%s" % (what, a[0]["seconds"], b[0]["seconds"], extra))
    theirs_by = {(r["variant"], r["arch_index"]): r for r in theirs if r["what"] == "subnet"}
    print()
    print("| variant | sub-network | nasctl activate / re-calibrate / validate = total (s) | "
          "once-for-all activate / re-calibrate / validate = total (s) | nasctl / OFA | val. images/s nasctl, OFA | "
          "top-1 nasctl, OFA |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    sums = {}
    for r in (r for r in ours if r["what"] == "subnet"):
        ref_variant = "fp32" if r["variant"] == "fp32-nocache" else r["variant"]
        o = theirs_by.get((ref_variant, r["arch_index"]))
        if o is None:
            continue
        ratio = r["total_s"] / o["total_s"]
        s = sums.setdefault(r["variant"], [0.0, 0.0, ref_variant])
        s[0] += r["total_s"]
        s[1] += o["total_s"]
        print("| %s | %d | %.3f / %.3f / %.3f = **%.3f** | %.3f / %.3f / %.3f = **%.3f** | **%.2f** | %.0f, %.0f | %.2f, %.2f |" % (
            r["variant"], r["arch_index"], r["activate_s"], r["calibration_s"], r["validation_s"], r["total_s"],
            o["activate_s"], o["calibration_s"], o["validation_s"], o["total_s"], ratio,
            r["validation_images_per_s"], o["validation_images_per_s"], r["top1"], o["top1"]))
    print()
    failed = False
    for variant, (a, b, ref) in sums.items():
        ratio = a / b
        failed = failed or ratio > args.target
        print("%s (against once-for-all %s): nasctl %.3f s, once-for-all %.3f s over the sub-networks: %.2fx%s" % (
            variant, ref, a, b, ratio, "" if ratio <= args.target else "  ABOVE %.2fx" % args.target))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
