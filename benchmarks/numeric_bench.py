"""Timings of the compiled numeric evaluation (symbackprop/numeric.py) for growing networks.

For widths 2..16 and depths 1..4 (3 inputs, 2 sigmoid outputs, tanh hidden layers, one bias per neuron,
half_sse over a batch of 64 samples, mean), it measures: compiling with the default "layers" method (the
matrix form), the "graph" method (scalar straight-line code) and the "sympy" method (expressions in the
leaves + sympy.cse), one evaluation of the loss and every gradient for the batch with "graph" and "layers"
(`Compiled.batch_loss_and_gradients`), and 1000 training steps (the default method). Prints a markdown
table; `--write` also writes benchmarks/numeric_bench.md.

    python benchmarks/numeric_bench.py [--write] [--no-sympy] [--quick]
"""

from __future__ import annotations

import argparse
import math
import platform
import random
import sys
import time
import timeit
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from symbackprop.network import Network
from symbackprop.numeric import compile_network
from symbackprop.train import train

HERE = Path(__file__).resolve().parent
WIDTHS = (2, 4, 8, 16)
DEPTHS = (1, 2, 3, 4)
N_IN, N_OUT, N_SAMPLES, STEPS = 3, 2, 64, 1000
SYMPY_LIMIT = 20.0  # seconds: skip the sympy method for larger networks once one took longer than this


def network(width: int, depth: int, seed: int = 0) -> Network:
    rng = random.Random(seed)
    layers: list[dict[str, Any]] = [
        {"name": "hgkm"[k], "activation": "tanh", "size": width, "bias": [f"b{k + 1}_{r + 1}" for r in range(width)]}
        for k in range(depth)]
    layers.append({"name": "o", "activation": "sigmoid", "size": N_OUT, "bias": [f"bo_{r + 1}" for r in range(N_OUT)]})
    spec: dict[str, Any] = {
        "learning_rate": 0.1, "loss": "half_sse", "batch_loss": "mean", "layers": layers,
        "samples": [{"inputs": {f"x{i + 1}": round(rng.uniform(-1, 1), 3) for i in range(N_IN)},
                     "targets": {f"o{j + 1}": round(rng.uniform(0, 1), 3) for j in range(N_OUT)}}
                    for _ in range(N_SAMPLES)]}
    names = [p.name for p in Network.from_dict(spec).params]
    spec["params"] = {n: round(rng.gauss(0, 1 / math.sqrt(max(width, N_IN))), 4) for n in names}
    return Network.from_dict(spec)


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def best(call: Callable[[], Any], repeats: int = 20) -> float:
    """Seconds per call: the best of 3 × `repeats` calls."""
    return min(timeit.repeat(call, number=repeats, repeat=3)) / repeats


def run(widths: tuple[int, ...], depths: tuple[int, ...], with_sympy: bool) -> str:
    rows = ["| width | depth | parameters | compile, layers (s) | compile, graph (s) | compile, sympy.cse (s) | "
            f"loss + all gradients, {N_SAMPLES} samples, graph (ms) | the same, layers (ms) | "
            f"{STEPS} training steps, layers (s) |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    print(rows[0], rows[1], sep="\n", flush=True)
    sympy_ok = with_sympy
    compile_network(network(3, 1), "sympy" if with_sympy else "graph")  # warm up: imports, SymPy's caches
    for depth in depths:
        for width in widths:
            net = network(width, depth)
            compiled = compile_network(net)
            assert compiled.method == "layers"
            graph = compile_network(net, "graph")
            sympy_seconds = None
            if sympy_ok:
                sympy_seconds = compile_network(net, "sympy").seconds
                sympy_ok = sympy_seconds < SYMPY_LIMIT
            x, t = compiled.data()
            theta = compiled.param_vector()
            per_call = {c.method: best(partial(c.batch_loss_and_gradients, theta, x, t)) for c in (graph, compiled)}
            start = time.perf_counter()
            result = train(net, STEPS, compiled=compiled)
            steps_seconds = time.perf_counter() - start
            assert result.losses[-1] < result.losses[0]
            row = (f"| {width} | {depth} | {len(net.params)} | {compiled.seconds:.2f} | {graph.seconds:.2f} | "
                   f"{seconds(sympy_seconds)} | {per_call['graph'] * 1000:.2f} | {per_call['layers'] * 1000:.3f} | "
                   f"{steps_seconds:.2f} |")
            rows.append(row)
            print(row, flush=True)
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--write", action="store_true", help="also write benchmarks/numeric_bench.md")
    parser.add_argument("--no-sympy", action="store_true", help="skip the sympy.cse method (slow for deep networks)")
    parser.add_argument("--quick", action="store_true", help="widths 2, 4 and depths 1, 2 only")
    args = parser.parse_args(argv)
    widths, depths = ((2, 4), (1, 2)) if args.quick else (WIDTHS, DEPTHS)
    env = (f"Python {platform.python_version()}, NumPy {np.__version__}, SymPy {sp.__version__}, "
           f"{platform.machine()} ({platform.processor() or platform.system()})")
    print(env, flush=True)
    table = run(widths, depths, not args.no_sympy)
    if args.write:
        text = ("# Compiled numeric evaluation: timings\n\n"
                f"`python benchmarks/numeric_bench.py --write` — {env}.\n\n"
                f"Networks of {N_IN} inputs, tanh hidden layers of the given width, {N_OUT} sigmoid outputs, one bias "
                f"per neuron; half_sse averaged over {N_SAMPLES} samples. Compile: building the expressions and "
                "`lambdify` (layers: the matrix form, the activations and the loss lambdified once per layer on "
                "generic symbols; graph: scalar straight-line code with the network's own quantities as the common "
                "subexpressions; sympy.cse: the expressions in the leaves and `sympy.cse`, skipped (—) after one "
                f"took more than {SYMPY_LIMIT:.0f} s). One evaluation: the batch loss and every gradient, "
                "`Compiled.batch_loss_and_gradients` (best of 3×20). "
                f"Training: {STEPS} full-batch steps with the default (layers) method.\n\n" + table + "\n")
        (HERE / "numeric_bench.md").write_text(text, encoding="utf-8")
        print(f"wrote {HERE / 'numeric_bench.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
