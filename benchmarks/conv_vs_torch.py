"""The compiled convolution and pooling layers (layerwise._ConvPlan, _PoolPlan) against PyTorch on the CPU.

Each network is built from a spec (SymPy: every net input, output and local partial), compiled once with
`compile_network` (default method: the layer-wise plan, im2col and matrix products), and its batch loss with
every gradient (`Compiled.batch_loss_and_gradients`) is timed against the same network written with
torch.nn.functional (conv2d, relu, max_pool2d, linear, sigmoid) and `torch.autograd.grad`, on the same batch
and parameters. Both run on one thread (torch.set_num_threads(1); OpenBLAS/MKL/OMP threads 1 for NumPy, set
before NumPy is imported). Median of `--repeats` timed calls after a warm-up. The gradients are compared, and
the build (SymPy) and compile times reported. Prints a markdown table; `--write` writes conv_vs_torch.md.

    python benchmarks/conv_vs_torch.py [--write] [--quick] [--repeats N]
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import sympy as sp  # noqa: E402

from symbackprop.convolution import GridLayer  # noqa: E402
from symbackprop.network import Network  # noqa: E402
from symbackprop.numeric import compile_network  # noqa: E402

HERE = Path(__file__).resolve().parent
BATCH = 64


@dataclass(frozen=True)
class Case:
    label: str
    side: int  # the input is side × side, one channel
    kernels: int  # 3 × 3 kernels (output channels)
    pool: bool  # a 2 × 2 max-pool after the convolution
    outputs: int  # sigmoid outputs of the dense layer


CASES = (Case("28×28, one 3×3 kernel, ReLU, dense sigmoid output", 28, 1, False, 1),
         Case("28×28, one 3×3 kernel, ReLU, 2×2 max-pool, dense 10 sigmoid", 28, 1, True, 10),
         Case("16×16, four 3×3 kernels, ReLU, 2×2 max-pool, dense 10 sigmoid", 16, 4, True, 10))
QUICK = (Case("8×8, two 3×3 kernels, ReLU, 2×2 max-pool, dense 2 sigmoid", 8, 2, True, 2),)


def spec(case: Case, seed: int = 0) -> dict[str, Any]:
    """The case as a spec: ReLU conv2d (its kernels k<c>_<r><col>, a bias per kernel), max-pool, a dense layer."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, (case.side, case.side)).round(3).tolist()
    kernel = [[[f"k{c + 1}_{r}{q}" for q in (1, 2, 3)] for r in (1, 2, 3)] for c in range(case.kernels)]
    layers: list[dict[str, Any]] = [
        {"name": "c", "kind": "conv2d", "kernel": kernel, "bias": [f"bc{c + 1}" for c in range(case.kernels)],
         "activation": "relu"}]
    if case.pool:
        layers.append({"name": "p", "kind": "maxpool", "size": 2})
    layers.append({"name": "o", "size": case.outputs, "activation": "sigmoid",
                   "bias": [f"bo{j + 1}" for j in range(case.outputs)]})
    return {"inputs": {"x": x}, "targets": {f"o{j + 1}": 0.5 for j in range(case.outputs)}, "layers": layers,
            "loss": "half_sse", "batch_loss": "mean"}


def torch_function(torch: Any, net: Network, case: Case) -> tuple[Callable[..., Any], Callable[[Any], np.ndarray]]:
    """(loss of (x, t, leaves...), the leaves' gradients scattered into network.params order): the network in
    torch.nn.functional, its tensors indexed from θ by the layers' own parameter symbols."""
    index = {p: i for i, p in enumerate(net.params)}
    conv = net.layers[0]
    dense = net.layers[-1]
    assert isinstance(conv, GridLayer)
    k_pos = np.array([[index[k] for k in kernel] for kernel in conv.kernels])  # (kernels, 9)
    kb_pos = np.array([index[b] for b in conv.channel_bias if b is not None])
    w_pos = np.array([[index[w] for w in row if w is not None] for row in dense.weights])
    b_pos = np.array([index[b] for b in dense.biases if b is not None])
    F = torch.nn.functional

    def loss(x: Any, t: Any, k: Any, kb: Any, w: Any, b: Any) -> Any:
        a = F.relu(F.conv2d(x, k.reshape(case.kernels, 1, 3, 3), kb))
        if case.pool:
            a = F.max_pool2d(a, 2)
        o = torch.sigmoid(F.linear(a.reshape(a.shape[0], -1), w, b))
        return ((t - o) ** 2 / 2).sum(dim=1).mean()

    def scatter(grads: Any) -> np.ndarray:
        total = np.zeros(len(net.params))
        for pos, g in zip((k_pos, kb_pos, w_pos, b_pos), grads, strict=True):
            np.add.at(total, pos.ravel(), g.detach().numpy().ravel())
        return total

    def leaves(theta: np.ndarray) -> list[Any]:
        return [torch.tensor(theta[pos], dtype=torch.float64, requires_grad=True)
                for pos in (k_pos, kb_pos, w_pos, b_pos)]

    loss.leaves = leaves  # type: ignore[attr-defined]
    return loss, scatter


def median_seconds(*calls: Callable[[], Any], repeats: int) -> list[float]:
    """Per call, the median seconds over `repeats` rounds; the calls alternate within a round, so a change of the
    machine's load (other processes) falls on all of them alike."""
    for call in calls:
        call()
        call()  # warm-up
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(repeats):
        for call, kept in zip(calls, times, strict=True):
            start = time.perf_counter()
            call()
            kept.append(time.perf_counter() - start)
    return [statistics.median(kept) for kept in times]


def measure(torch: Any, case: Case, repeats: int) -> tuple[str, float]:
    """The case's table row and the largest difference from PyTorch (gradients and loss)."""
    start = time.perf_counter()
    net = Network.from_dict(spec(case))
    build = time.perf_counter() - start
    compiled = compile_network(net)
    rng = np.random.default_rng(1)
    theta = rng.normal(0, 0.3, len(net.params))
    x = rng.uniform(0, 1, (len(net.inputs), BATCH))
    t = rng.uniform(0, 1, (len(net.targets), BATCH))
    loss, grad = compiled.batch_loss_and_gradients(theta, x, t)
    graph = compile_network(net, "graph")  # the fallback before: straight-line scalar code per position
    (graph_time,) = median_seconds(lambda: graph.batch_loss_and_gradients(theta, x, t),
                                   repeats=max(3, repeats // 20))
    diff_graph = float(np.abs(grad - graph.batch_loss_and_gradients(theta, x, t)[1]).max())

    fn, scatter = torch_function(torch, net, case)
    tx = torch.tensor(x.T.reshape(BATCH, 1, case.side, case.side))
    tt = torch.tensor(t.T)
    leaves = fn.leaves(theta)  # type: ignore[attr-defined]

    def torch_step() -> Any:
        value = fn(tx, tt, *leaves)
        return value, torch.autograd.grad(value, leaves)

    ours, theirs = median_seconds(lambda: compiled.batch_loss_and_gradients(theta, x, t), torch_step,
                                  repeats=repeats)
    t_loss, t_grads = torch_step()
    diff = max(float(np.abs(grad - scatter(t_grads)).max()), abs(loss - float(t_loss.detach())))
    return (f"| {case.label} | {len(net.params)} | {build:.2f} | {compiled.seconds:.2f} | {compiled.method} | "
            f"{ours * 1000:.3f} | {theirs * 1000:.3f} | {ours / theirs:.2f} | {diff:.1e} | {graph.seconds:.1f} | "
            f"{graph_time * 1000:.1f} | {diff_graph:.1e} |"), diff


def run(cases: tuple[Case, ...], repeats: int) -> tuple[str, float]:
    import torch

    torch.set_num_threads(1)
    rows = ["| network | parameters | build (SymPy, s) | compile (s) | method | loss + gradients, ours (ms) | "
            "PyTorch (ms) | ours / PyTorch | max abs diff from PyTorch | graph method: compile (s) | "
            "graph: loss + gradients (ms) | max abs diff, graph vs ours |",
            "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    print(*rows, sep="\n", flush=True)
    worst = 0.0
    for case in cases:
        row, diff = measure(torch, case, repeats)
        worst = max(worst, diff)
        rows.append(row)
        print(row, flush=True)
    return "\n".join(rows), worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--write", action="store_true", help="also write benchmarks/conv_vs_torch.md")
    parser.add_argument("--quick", action="store_true", help="one small network only")
    parser.add_argument("--repeats", type=int, default=200, help="timed calls per measurement (median)")
    args = parser.parse_args(argv)
    import torch

    env = (f"Python {platform.python_version()}, NumPy {np.__version__}, SymPy {sp.__version__}, "
           f"PyTorch {torch.__version__}, {platform.machine()} ({platform.processor() or platform.system()}), "
           f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    print(env, flush=True)
    table, worst = run(QUICK if args.quick else CASES, args.repeats)
    print(f"the gradients agree with PyTorch to {worst:.1e} (max abs difference, loss included)", flush=True)
    if args.write:
        text = ("# Convolution and pooling: compiled NumPy against PyTorch\n\n"
                f"`python benchmarks/conv_vs_torch.py --write` — {env}.\n\n"
                f"A batch of {BATCH} single-channel inputs; half_sse averaged over the batch. Ours: "
                "`compile_network(net)` (the layer-wise plan: im2col and one matrix product per convolution pass, "
                "one gather per pooling pass) and `Compiled.batch_loss_and_gradients`. PyTorch: the same network "
                "in torch.nn.functional (conv2d, relu, max_pool2d, linear, sigmoid), float64, "
                "`torch.autograd.grad` of the loss with respect to the kernels, biases and dense weights. Both on "
                "one thread: `torch.set_num_threads(1)`, and OPENBLAS/MKL/OMP_NUM_THREADS=1 before NumPy is "
                f"imported. Times: the median of {args.repeats} calls after two warm-up calls, ours and PyTorch's "
                "alternating. Build: "
                "`Network.from_dict` (SymPy: every position's net input, output and local partials); compile: "
                "`compile_network` once. The gradient column compares every parameter's gradient and the loss "
                "with PyTorch's. The last three columns: the \"graph\" method, the straight-line scalar code per "
                "position that compile_network fell back to before convolutions had a layer-wise plan (median of "
                f"{max(3, args.repeats // 20)} calls), and its largest gradient difference from ours. "
                "Four 3×3 kernels over 28×28 would make a layer of 4 · 26 · 26 = 2704 neurons, "
                "past the limit of 1024 per layer (README, limits): the four-kernel row uses a 16×16 input.\n\n"
                + table + f"\n\nThe gradients agree with PyTorch to {worst:.1e}.\n")
        (HERE / "conv_vs_torch.md").write_text(text, encoding="utf-8")
        print(f"wrote {HERE / 'conv_vs_torch.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
