"""How encoder_pytorch.py and transformer_pytorch.py time their models: the
forms a PyTorch user would deploy, on the CPU or on CUDA, printed in one line
that the *_vs_pytorch.sh scripts show next to nasctl's `measure`.

CPU: "eager" (the module under inference_mode) and "optimized" (frozen
TorchScript + optimize_for_inference), one pass per sample, wall and process
CPU time. CUDA: the same two forms plus "graph" (the module captured in one
CUDA graph and replayed), each sample `back_to_back` passes between two
synchronisations divided by `back_to_back`, as `measure` samples on CUDA.
"""
import statistics
import time

import torch


def add_arguments(parser, warmup, repeats):
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=warmup)
    parser.add_argument("--repeats", type=int, default=repeats)
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--back-to-back", type=int, default=20, help="passes per CUDA sample (measure's default)")


def _time(fn, warmup, repeats, passes, sync):
    for _ in range(warmup):
        fn()
    sync()
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        for _ in range(passes):
            fn()
        sync()
        times.append((time.perf_counter() - start) * 1e3 / passes)
        cpu.append((time.process_time() - start_cpu) * 1e3 / passes)
    # Wall median and minimum, and the median process CPU time per pass (as
    # measure's latency_cpu_ms): on a shared machine the CPU time is what
    # other processes do not inflate.
    return statistics.median(times), min(times), statistics.median(cpu)


def _graphed(model, x):
    """The module captured in a CUDA graph: replay() reruns it on the
    captured input (warmed up on a side stream first, as PyTorch asks)."""
    stream = torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(stream):
        for _ in range(3):
            model(x)
    torch.cuda.current_stream().wait_stream(stream)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        model(x)
    return graph.replay


def report(model, x, args):
    """Times `model` on `x` in each form of args.device and prints one line."""
    torch.set_num_threads(args.threads)
    cuda = args.device == "cuda"
    if cuda:
        model, x = model.cuda(), x.cuda()
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    passes = args.back_to_back if cuda else 1
    params = sum(t.numel() for t in model.parameters())
    forms = {}
    with torch.inference_mode():
        forms["eager"] = _time(lambda: model(x), args.warmup, args.repeats, passes, sync)
    with torch.no_grad():
        frozen = torch.jit.optimize_for_inference(torch.jit.freeze(torch.jit.script(model)))
        forms["optimized"] = _time(lambda: frozen(x), args.warmup, args.repeats, passes, sync)
        if cuda:
            forms["graph"] = _time(_graphed(model, x), args.warmup, args.repeats, passes, sync)
    print(f"pytorch {args.device} params={params} " + " | ".join(
        f"{name}: median_ms={m:.3f} min_ms={lo:.3f} cpu_ms={c:.3f}" for name, (m, lo, c) in forms.items()))
