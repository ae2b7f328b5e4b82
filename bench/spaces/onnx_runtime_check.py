#!/usr/bin/env python3
"""An exported sequence network run by ONNX Runtime against the TorchScript
archive of the same network (same seeded weights): the ONNX lowering of
embeddings, attention, layer norm, GELU and the class token, checked by a
runtime that is not nasctl's. Prints one line; exits 1 past the tolerance.

  python3 bench/spaces/onnx_runtime_check.py MODEL.onnx MODEL.pt [--ids VOCAB] [--tolerance 1e-4]

--ids VOCAB: the input holds token ids (floats below VOCAB), as nasctl's
sequence networks take them; otherwise a standard normal image.
"""
import argparse
import sys

import numpy as np
import onnxruntime
import torch


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("onnx_model")
    p.add_argument("torchscript_model")
    p.add_argument("--ids", type=int, default=0, help="vocabulary: the input is token ids below it")
    p.add_argument("--tolerance", type=float, default=1e-4, help="largest difference relative to the largest |logit|")
    args = p.parse_args()
    session = onnxruntime.InferenceSession(args.onnx_model, providers=["CPUExecutionProvider"])
    shape = [d for d in session.get_inputs()[0].shape]
    generator = torch.Generator().manual_seed(0)
    if args.ids:
        x = torch.randint(0, args.ids, shape, generator=generator).float()
    else:
        x = torch.randn(shape, generator=generator)
    (onnx_out,) = session.run(None, {session.get_inputs()[0].name: x.numpy()})
    with torch.no_grad():
        script_out = torch.jit.load(args.torchscript_model).eval()(x).numpy()
    if onnx_out.shape != script_out.shape:
        print(f"{args.onnx_model}: shape {onnx_out.shape} (ONNX Runtime) != {script_out.shape} (TorchScript)")
        sys.exit(1)
    scale = max(1.0, float(np.abs(script_out).max()))
    error = float(np.abs(onnx_out - script_out).max()) / scale
    verdict = "ok" if error <= args.tolerance else "MISMATCH"
    print(f"{args.onnx_model}: output {list(onnx_out.shape)}, max |ONNX Runtime - TorchScript| / max(1, max |logit|) = "
          f"{error:.2e} (largest |logit| {scale:.3g}), onnxruntime {onnxruntime.__version__}: {verdict}")
    sys.exit(0 if verdict == "ok" else 1)


if __name__ == "__main__":
    main()
