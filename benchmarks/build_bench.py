"""Building an MNIST-sized network and compiling its gradients: does it take seconds, and grow linearly?

For n-h-10 sigmoid MLPs with one bias per neuron and half_sse (64-16-10 up to 784-128-10, 101 770
parameters): `Network.from_dict` (every quantity of the graph, with its definition and partials), then
`compile_network` (the layer-wise NumPy code), then one loss + every gradient on a batch of 256 random
samples — a training step of a notebook that trains such a network with our compiled gradients. Each size is
built in a fresh process, so that SymPy's caches of one size do not speed up the next; the build cost's
log-log slope over the parameter count says whether it is linear (1.0).

    python benchmarks/build_bench.py [--write] [--quick]

`--write` writes benchmarks/build_bench.md; `--quick` builds the two smallest sizes only.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
SIZES = ((64, 16), (196, 32), (392, 64), (784, 128))
OUTPUTS = 10
BATCH = 256
TARGET_S = 10.0  # build + compile of 784-128-10


def spec(n_in: int, hidden: int, n_out: int = OUTPUTS) -> dict[str, Any]:
    """An n_in-hidden-n_out sigmoid MLP with small deterministic weights and one sample."""
    rng = np.random.default_rng(0)
    layers = [{"name": "h", "activation": "sigmoid", "size": hidden, "bias": [f"bh_{r + 1}" for r in range(hidden)]},
              {"name": "o", "activation": "sigmoid", "size": n_out, "bias": [f"bo_{r + 1}" for r in range(n_out)]}]
    names = [f"w{k + 1}" for k in range(n_in * hidden + hidden * n_out)]
    names += [f"bh_{r + 1}" for r in range(hidden)] + [f"bo_{r + 1}" for r in range(n_out)]
    return {"learning_rate": 0.5, "loss": "half_sse", "layers": layers,
            "samples": [{"inputs": {f"x{i + 1}": 0.5 for i in range(n_in)},
                         "targets": {f"o{j + 1}": 0.5 for j in range(n_out)}}],
            "params": {n: round(float(v), 3) for n, v in zip(names, rng.normal(0, 0.05, len(names)), strict=True)}}


def _measure(n_in: int, hidden: int, conn: Any) -> None:
    from symbackprop import Network
    from symbackprop.numeric import compile_network

    data = spec(n_in, hidden)
    start = time.perf_counter()
    net = Network.from_dict(data, source=f"{n_in}-{hidden}-{OUTPUTS}")
    built = time.perf_counter()
    compiled = compile_network(net)
    done = time.perf_counter()
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, (n_in, BATCH))
    t = rng.uniform(0.05, 0.95, (OUTPUTS, BATCH))
    theta = compiled.param_vector()
    step = time.perf_counter()
    loss, grads = compiled.batch_loss_and_gradients(theta, x, t)
    stepped = time.perf_counter()
    assert np.isfinite(loss) and grads.shape == theta.shape
    conn.send({"params": len(net.params), "build_s": built - start, "compile_s": done - built,
               "step_ms": 1000 * (stepped - step), "method": compiled.method})


def measure(n_in: int, hidden: int) -> dict[str, Any]:
    """One size, in a child process of its own."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_measure, args=(n_in, hidden, child))
    proc.start()
    row = parent.recv()
    proc.join()
    return {"size": f"{n_in}-{hidden}-{OUTPUTS}", **row}


def slope(rows: list[dict[str, Any]], key: str) -> float | None:
    """Least-squares slope of log(key) over log(params)."""
    pts = [(math.log(r["params"]), math.log(r[key])) for r in rows if r[key] > 0]
    if len(pts) < 2:
        return None
    mx, my = sum(p for p, _ in pts) / len(pts), sum(q for _, q in pts) / len(pts)
    return sum((p - mx) * (q - my) for p, q in pts) / sum((p - mx) ** 2 for p, _ in pts)


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| network | parameters | build (s) | compile (s) | build + compile (s) | one step, 256 samples (ms) |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['size']} | {r['params']:,} | {r['build_s']:.2f} | {r['compile_s']:.2f} | "
                     f"{r['build_s'] + r['compile_s']:.2f} | {r['step_ms']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="write benchmarks/build_bench.md")
    ap.add_argument("--quick", action="store_true", help="the two smallest sizes only")
    args = ap.parse_args(argv)
    rows = [measure(n, h) for n, h in (SIZES[:2] if args.quick else SIZES)]
    s = slope(rows, "build_s")
    largest = rows[-1]
    total = largest["build_s"] + largest["compile_s"]
    text = "\n".join([
        "# Building and compiling an MNIST-sized network",
        "",
        f"Measured by `python benchmarks/build_bench.py --write` on {platform.machine()}, Python "
        f"{platform.python_version()}, {mp.cpu_count()} cores; each size in a fresh process.",
        "",
        table(rows),
        "",
        f"Build cost against parameters, log-log slope: {s:.2f} (1.0 is linear)." if s is not None else "",
        f"{largest['size']}: build + compile {total:.2f} s (target: under {TARGET_S:.0f} s), "
        f"compiled as {largest['method']!r}.",
        ""])
    print(text)
    if args.write:
        (HERE / "build_bench.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
