"""Backpropagation through time: does derive grow linearly in the number of time steps?

The bundled Elman network's shape (1 input, 2 tanh hidden neurons fed back, 1 identity output, a target at every
step) unrolled over 5 … 50 steps: the time to read and unroll the spec into its circuit (`unroll`), to derive
it (`derive_circuit`: every δ from the δ's of the step after it), to name the BPTT terms (`bptt`) and to print
derive's text and JSON, each size in a fresh process so that SymPy's caches of one size do not speed up the next.
The log-log slope of each time over the steps says how it grows (1.0: linear). Nothing here is asserted in tests.

    python benchmarks/bptt_steps.py [--steps 5,10,20,30,40,50] [--repeat 1]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import platform
import sys
import time
from typing import Any

STEPS = (5, 10, 20, 30, 40, 50)
PARAMS = {"u1": 0.5, "u2": -0.3, "v11": 0.1, "v12": 0.2, "v21": -0.2, "v22": 0.4, "b1": 0.1, "b2": 0.0, "w1": 0.6,
          "w2": -0.4, "c": 0.05}


def spec(steps: int) -> dict[str, Any]:
    xs = [round(math.sin(t), 3) for t in range(1, steps + 1)]
    return {"loss": "half_sse", "learning_rate": 0.1, "steps": steps, "inputs": {"x1": xs},
            "targets": {"y1": [round(0.5 * x, 3) for x in xs]},
            "layers": [{"name": "h", "kind": "recurrent", "activation": "tanh", "weights": [["u1"], ["u2"]],
                        "recurrent_weights": [["v11", "v12"], ["v21", "v22"]], "bias": ["b1", "b2"]},
                       {"name": "y", "activation": "identity", "weights": [["w1", "w2"]], "bias": "c"}],
            "params": dict(PARAMS)}


def measure(steps: int) -> dict[str, Any]:
    """In a fresh process: build, derive, bptt, text + JSON; seconds each and the size of the unrolled circuit."""
    from symbackprop.backward import derive_circuit
    from symbackprop.bptt import bptt, unroll
    from symbackprop.render.recurrent_out import recurrent_json, recurrent_text

    t0 = time.perf_counter()
    c = unroll(spec(steps))
    t1 = time.perf_counter()
    d = derive_circuit(c)
    t2 = time.perf_counter()
    b = bptt(d)
    t3 = time.perf_counter()
    recurrent_text(d)
    recurrent_json(d)
    t4 = time.perf_counter()
    return {"steps": steps, "quantities": len(c.quantities), "build": t1 - t0, "derive": t2 - t1, "bptt": t3 - t2,
            "print": t4 - t3,
            "loss": float(d.output_value), "du1": float(b.gradients["u1"])}


def slope(xs: list[float], ys: list[float]) -> float:
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default=",".join(map(str, STEPS)), help="comma-separated numbers of time steps")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (the fastest is kept)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.steps.split(",")]
    ctx = mp.get_context("spawn")
    rows = []
    for n in sizes:
        runs = []
        for _ in range(args.repeat):
            with ctx.Pool(1) as pool:
                runs.append(pool.apply(measure, (n,)))
        rows.append(min(runs, key=lambda r: r["derive"]))
    print(f"Python {platform.python_version()}, {platform.machine()}\n")
    print("| steps | quantities | build (s) | derive (s) | bptt (s) | text + JSON (s) | derive / step (ms) | E | "
          "∂E/∂u1 |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['steps']} | {r['quantities']} | {r['build']:.3f} | {r['derive']:.3f} | {r['bptt']:.3f} | "
              f"{r['print']:.3f} | {1000 * r['derive'] / r['steps']:.1f} | {r['loss']:.6g} | {r['du1']:.6g} |")
    if len(rows) > 1:
        steps = [float(r["steps"]) for r in rows]
        print(f"\nlog-log slope over the steps: build {slope(steps, [r['build'] for r in rows]):.2f}, derive "
              f"{slope(steps, [r['derive'] for r in rows]):.2f}, bptt {slope(steps, [r['bptt'] for r in rows]):.2f}, "
              f"text + JSON {slope(steps, [r['print'] for r in rows]):.2f} "
              "(1.0 = linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
