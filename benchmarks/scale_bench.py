"""How the cost of symbackprop grows with the network: derivation and LaTeX, naive differentiation, compiled
numeric gradients, PyTorch, and the answer checker on a whole class — one run, a table and a log-log plot.

Grid: depth d ∈ {1, 2, 3, 4, 6, 8} hidden layers of width w ∈ {2, 4, 8, 16}, w inputs, max(2, w // 4) outputs,
sigmoid everywhere, one bias per neuron, half_sse (16-16-16-16-4 has 884 parameters, 8-8-8-8-8-2 has 306).

- ours: `derive` (factors, δ's, path sums and closed forms while short, every number) and `render` to a
  Beamer lecture (English), on one sample; the size of the result as the operation count of every formula
  it writes (each δ in the δ's of the layer above, each gradient Σ δ·∂net/∂p) and the LaTeX characters.
- naive: the error composed into one expression of the leaves, then `sympy.diff` for one weight of every
  layer, from the output layer down, in a child process with a deadline; the whole network is estimated as
  Σ over layers (time of that layer's weight × parameters in the layer). Where the deadline cuts a layer
  off, the figure is a lower bound ("> …"): that layer's elapsed time counts for it and every layer below
  (a weight further from the error never cost less wherever it finished). 8-8-8-8-8-2 gets a deadline long
  enough to finish every layer. Every part runs alone, one after the other, so that none slows another.
- numeric: 1000 samples; the compiled loss + every gradient (`Compiled.batch_loss_and_gradients`) against
  the compiled forward pass alone (`Compiled.batch_loss`) and against PyTorch autograd (float64, the
  weights as matrix leaves, `a @ W.T + b`), where torch is installed; the gradients are compared as well.
- checker: 200 answer files of 5 answers each on seed 004 (correct and deliberately wrong derivations,
  drawn at random), judged by `check_directory` with 2 workers; the verdicts are checked too.

    python benchmarks/scale_bench.py [--write] [--quick]

`--write` writes benchmarks/scale_bench.md, .json and .png; `--quick` runs a small grid without writing.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from symbackprop import Network, derive
from symbackprop.check.batch import check_directory, summary
from symbackprop.crosscheck import torch_available
from symbackprop.numeric import compile_network
from symbackprop.render.document import render

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEPTHS = (1, 2, 3, 4, 6, 8)
WIDTHS = (2, 4, 8, 16)
SAMPLES = 1000
NAIVE_DEADLINE = 15.0  # seconds per network, composing included
TARGET_NAIVE = (8, 4)  # 8 inputs, 4 hidden layers of 8, 2 outputs: 306 parameters
TARGET_NAIVE_DEADLINE = 240.0
TARGET_FAST = (16, 3)  # 16 inputs, 3 hidden layers of 16, 4 outputs: 884 parameters
CLASS_FILES, CLASS_QUESTIONS = 200, 5


# --- the networks --------------------------------------------------------------------------------

def spec(width: int, depth: int, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    n_out = max(2, width // 4)
    layers: list[dict[str, Any]] = [
        {"name": "hgkmpqrs"[k], "activation": "sigmoid", "size": width,
         "bias": [f"b{k + 1}_{r + 1}" for r in range(width)]} for k in range(depth)]
    layers.append({"name": "o", "activation": "sigmoid", "size": n_out, "bias": [f"bo_{r + 1}" for r in range(n_out)]})
    data: dict[str, Any] = {
        "learning_rate": 0.5, "loss": "half_sse", "layers": layers,
        "samples": [{"inputs": {f"x{i + 1}": round(rng.uniform(-1, 1), 2) for i in range(width)},
                     "targets": {f"o{j + 1}": round(rng.uniform(0.05, 0.95), 2) for j in range(n_out)}}]}
    names = [p.name for p in Network.from_dict(data).params]
    data["params"] = {n: round(rng.gauss(0, 1 / math.sqrt(width)), 2) for n in names}
    return data


def network(width: int, depth: int) -> Network:
    return Network.from_dict(spec(width, depth), source=f"grid {width}x{depth}")


def tree_ops(exprs: Iterable[sp.Expr]) -> int:
    """Operations of the expressions written out as trees (as printed), counted over the DAG with a memo: an
    n-ary sum or product is n − 1 operations, a power or function one more than its arguments."""
    memo: dict[sp.Basic, int] = {}

    def ops(e: sp.Basic) -> int:
        if not e.args:
            return 0
        if e in memo:
            return memo[e]
        own = len(e.args) - 1 if isinstance(e, sp.Add | sp.Mul) else 1
        memo[e] = n = own + sum(ops(a) for a in e.args)
        return n

    total = 0
    for e in exprs:
        stack = [e]
        while stack:  # post-order by hand: the recursion of `ops` then stays shallow on deep trees
            x = stack[-1]
            todo = [a for a in x.args if a.args and a not in memo]
            if todo:
                stack.extend(todo)
            else:
                stack.pop()
                ops(x)
        total += ops(e)
    return total


# --- ours ----------------------------------------------------------------------------------------

@dataclass
class Row:
    width: int
    depth: int
    params: int
    derive_s: float = 0.0
    latex_s: float = 0.0
    ops: int = 0
    latex_chars: int = 0
    naive_s: float | None = None
    naive_lower_bound: bool = False
    naive_ops: int | None = None
    naive_layers: list[tuple[int, float, bool]] = field(default_factory=list)  # (layer, seconds, finished)
    forward_ms: float | None = None
    gradients_ms: float | None = None
    torch_ms: float | None = None
    torch_max_rel: float | None = None

    @property
    def ours_s(self) -> float:
        return self.derive_s + self.latex_s


def measure_ours(row: Row) -> None:
    start = time.perf_counter()
    net = network(row.width, row.depth)
    d = derive(net)
    row.derive_s = time.perf_counter() - start  # building the network from its spec included
    start = time.perf_counter()
    tex = render(d, "beamer", "en", full=True)  # the exhaustive lecture: every parameter's derivation
    row.latex_s = time.perf_counter() - start
    row.latex_chars = len(tex)
    row.ops = tree_ops([t.expr for t in d.deltas] + [p.delta_form for p in d.params])


# --- naive ---------------------------------------------------------------------------------------

def _naive_child(width: int, depth: int, conn: Any) -> None:
    net = network(width, depth)
    start = time.perf_counter()
    error = net.composed()[net.error]
    conn.send(("composed", time.perf_counter() - start, 0))
    for layer in reversed(net.layers):
        p = layer.weights[0][0]
        start = time.perf_counter()
        g = sp.diff(error, p)
        seconds = time.perf_counter() - start
        conn.send((layer.index, seconds, tree_ops([g])))


def measure_naive(width: int, depth: int, deadline: float) -> dict[str, Any]:
    """Run the naive differentiation in a child process; what it reported before the deadline."""
    net = network(width, depth)
    per_layer = {layer.index: sum(1 for p in net.params if net.quantities[p].layer == layer.index)
                 for layer in net.layers}
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_naive_child, args=(width, depth, child), daemon=True)
    start = time.perf_counter()
    proc.start()
    child.close()
    compose: float | None = None
    layers: list[tuple[int, float, int]] = []
    last = start
    while len(layers) < len(net.layers):
        left = deadline - (time.perf_counter() - start)
        if left <= 0 or not parent.poll(left):
            break
        what, seconds, ops = parent.recv()
        last = time.perf_counter()
        if what == "composed":
            compose = seconds
        else:
            layers.append((what, seconds, ops))
    proc.kill()
    proc.join()
    cut = len(layers) < len(net.layers)
    elapsed = time.perf_counter() - last  # the layer in progress (or the composition) when cut off
    total = (compose if compose is not None else elapsed)
    total += sum(seconds * per_layer[li] for li, seconds, _ in layers)
    done = {li for li, _, _ in layers}
    floor = max([elapsed] + [s for _, s, _ in layers]) if cut else 0.0
    total += sum(floor * n for li, n in per_layer.items() if li not in done)
    return {"seconds": total, "lower_bound": cut, "compose": compose,
            "ops": None if cut else sum(ops * per_layer[li] for li, _, ops in layers),
            "layers": [(li, s, True) for li, s, _ in layers]
            + ([(min(set(per_layer) - done), elapsed, False)] if cut and compose is not None else [])}


# --- numeric -------------------------------------------------------------------------------------

def best(fn: Callable[[], object], budget: float = 0.4, at_least: int = 5) -> float:
    """Best time of repeated calls: at least `at_least`, more while under `budget` seconds in all."""
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < at_least or (time.perf_counter() - started < budget and len(times) < 200):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def torch_timing(net: Network, theta: np.ndarray, x: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
    """PyTorch autograd the way one writes it: a weight matrix and bias vector per layer as leaf tensors."""
    import torch

    index = {p: k for k, p in enumerate(net.params)}
    leaves = []
    for layer in net.layers:
        w = torch.tensor([[theta[index[p]] for p in row] for row in layer.weights], dtype=torch.float64,
                         requires_grad=True)
        b = torch.tensor([theta[index[p]] for p in layer.biases], dtype=torch.float64, requires_grad=True)
        leaves += [w, b]
    xt = torch.tensor(x.T.copy(), dtype=torch.float64)
    tt = torch.tensor(t.T.copy(), dtype=torch.float64)
    mean = net.spec.batch_loss == "mean"

    def step() -> tuple[Any, ...]:
        a = xt
        for k in range(0, len(leaves), 2):
            a = torch.sigmoid(a @ leaves[k].T + leaves[k + 1])
        per_sample = 0.5 * ((a - tt) ** 2).sum(dim=1)
        loss = per_sample.mean() if mean else per_sample.sum()
        return torch.autograd.grad(loss, leaves)

    seconds = best(step)
    grads = step()
    flat = np.zeros(len(theta))
    for layer, gw, gb in zip(net.layers, grads[0::2], grads[1::2], strict=True):
        for r, row in enumerate(layer.weights):
            for c, p in enumerate(row):
                flat[index[p]] = gw[r, c].item()
            flat[index[layer.biases[r]]] = gb[r].item()
    return seconds, flat


def measure_numeric(row: Row, with_torch: bool) -> None:
    net = network(row.width, row.depth)
    compiled = compile_network(net)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (len(net.inputs), SAMPLES))
    t = rng.uniform(0.05, 0.95, (len(net.targets), SAMPLES))
    theta = compiled.param_vector()
    row.forward_ms = 1000 * best(lambda: compiled.batch_loss(theta, x, t))
    row.gradients_ms = 1000 * best(lambda: compiled.batch_loss_and_gradients(theta, x, t))
    if with_torch:
        seconds, grads = torch_timing(net, theta, x, t)
        row.torch_ms = 1000 * seconds
        ours = compiled.batch_loss_and_gradients(theta, x, t)[1]
        row.torch_max_rel = float(np.max(np.abs(ours - grads) / np.maximum(np.abs(grads), 1e-12)))


# --- the checker ---------------------------------------------------------------------------------

SEED004 = ROOT / "examples" / "seed004_mattmazur.toml"
_W5 = r"\frac{\partial E_{total}}{\partial w_5} = "
_W1 = r"\frac{\partial E_{total}}{\partial w_1} = "
_W6 = r"\frac{\partial E_{total}}{\partial w_6} = "
# per question: (quantity, [(latex, expected verdict)]); the true values of seed 004 are ∂E/∂w5 = 0.0821670…,
# ∂E/∂w6 = 0.0826676…, w5⁺ = 0.3589165…; the wrong derivations are the checker tests' own, each diagnosed there
QUESTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    ("dE/dw5", [(_W5 + r"(out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})\, out_{h1}", "correct"),
                (_W5 + r"(out_{o1} - target_{o1})\, out_{h1}", "incorrect"),
                (_W5 + r"(target_{o1} - out_{o1})\, out_{o1}(1 - out_{o1})\, out_{h1}", "incorrect"),
                (_W5 + r"(out_{o1} - target_{o1})\, (1 - out_{o1}^2)\, out_{h1}", "incorrect")]),
    ("dE/dw1", [(_W1 + r"(\delta_{o1} w_5 + \delta_{o2} w_7)\, out_{h1}(1 - out_{h1})\, i_1", "correct"),
                (_W1 + r"(\delta_{o1} w_6 + \delta_{o2} w_7)\, out_{h1}(1 - out_{h1})\, i_1", "incorrect"),
                (_W1 + r"(\delta_{o1} w_5 + \delta_{o2} w_7)\, i_1", "incorrect")]),
    ("dE/dw6", [(_W6 + r"(out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})\, out_{h2}", "correct"),
                (_W6 + r"(out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})\, out_{h1}", "incorrect")]),
    ("dE/dw5", [(_W5 + "0.0821670", "correct"), (_W5 + "0.082", "correct"), (_W5 + "0.09", "incorrect")]),
    ("w5+", [(r"w_5^+ = w_5 - \eta \frac{\partial E_{total}}{\partial w_5} = 0.4 - 0.5 \cdot 0.0821670 = 0.3589165",
              "correct"),
             (r"w_5^+ = w_5 + \eta \frac{\partial E_{total}}{\partial w_5}", "incorrect")]),
]


def write_class(directory: Path, files: int, seed: int = 0) -> dict[str, str]:
    """One answers file per student, each answer drawn from its question's list; returns the expected verdicts
    by (file, question id)."""
    rng = random.Random(seed)
    expected: dict[str, str] = {}
    for k in range(files):
        path = directory / f"student{k:03d}.toml"
        lines = [f'spec = "{SEED004.as_posix()}"']
        for q, (quantity, options) in enumerate(QUESTIONS[:CLASS_QUESTIONS]):
            latex, verdict = rng.choice(options)
            lines += ["[[answer]]", f'id = "q{q + 1}"', f'quantity = "{quantity}"', f"latex = '''{latex}'''"]
            expected[f"{path}:q{q + 1}"] = verdict
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return expected


def measure_checker(files: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        expected = write_class(Path(tmp), files)
        start = time.perf_counter()
        results = check_directory(SEED004, tmp, workers=2)
        seconds = time.perf_counter() - start
        s = summary(results)
    got = {f"{r['file']}:{a['id']}": a["verdict"] for r in s["results"] for a in r.get("answers", [])}
    wrong = sorted(k for k, v in expected.items() if got.get(k) != v)
    if wrong:
        raise SystemExit(f"the checker gave unexpected verdicts: {wrong[:3]} ({len(wrong)} in all)")
    return {"files": files, "answers": len(expected), "seconds": seconds, "unreadable": len(s["unreadable"]),
            "verdicts_as_expected": True}


# --- the report ----------------------------------------------------------------------------------

def slope(pairs: Iterable[tuple[float, float]]) -> float | None:
    points = [(x, y) for x, y in pairs if x > 0 and y > 0]
    if len(points) < 2:
        return None
    xs, ys = np.log([p[0] for p in points]), np.log([p[1] for p in points])
    return float(np.polyfit(xs, ys, 1)[0])


def _s(v: float | None, digits: int = 2) -> str:
    return "—" if v is None else f"{v:.{digits}f}"


def _big(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:,.0f}" if v >= 100 else f"{v:.2f}"


def table(rows: list[Row]) -> str:
    head = ("| width | depth | params | derive (s) | LaTeX (s) | ours (s) | formula ops | LaTeX chars / param | "
            "naive diff, whole net (s) | naive / ours | naive ops | forward (ms) | loss + grads (ms) | "
            "grads / forward | torch (ms) | ours / torch |")
    out = [head, "|" + "---:|" * head.count(" | ") + "---:|"]
    for r in sorted(rows, key=lambda r: (r.params, r.depth)):
        naive = "—" if r.naive_s is None else ("> " if r.naive_lower_bound else "") + _big(r.naive_s)
        ratio = "—" if r.naive_s is None else ("> " if r.naive_lower_bound else "") + _big(r.naive_s / r.ours_s)
        fwd_ratio = None if not r.forward_ms or r.gradients_ms is None else r.gradients_ms / r.forward_ms
        torch_ratio = None if not r.torch_ms or r.gradients_ms is None else r.gradients_ms / r.torch_ms
        out.append(f"| {r.width} | {r.depth} | {r.params} | {r.derive_s:.2f} | {r.latex_s:.2f} | {r.ours_s:.2f} | "
                   f"{r.ops:,} | {r.latex_chars / r.params:,.0f} | {naive} | {ratio} | "
                   f"{'—' if r.naive_ops is None else f'{r.naive_ops:,}'} | {_s(r.forward_ms)} | "
                   f"{_s(r.gradients_ms)} | {_s(fwd_ratio)} | {_s(r.torch_ms)} | {_s(torch_ratio)} |")
    return "\n".join(out)


def plot(rows: list[Row], path: Path, fits: dict[str, float | None]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    rows = sorted(rows, key=lambda r: r.params)
    p = [r.params for r in rows]
    left.loglog(p, [r.ours_s for r in rows], "o", label=f"symbackprop: derive + LaTeX (slope {_s(fits['ours'])})")
    exact = [(r.params, r.naive_s) for r in rows if r.naive_s is not None and not r.naive_lower_bound]
    bound = [(r.params, r.naive_s) for r in rows if r.naive_s is not None and r.naive_lower_bound]
    if exact:
        left.loglog(*zip(*exact, strict=True), "s", color="tab:red",
                    label=f"naive sympy.diff, estimated (slope {_s(fits['naive'])})")
    if bound:
        left.loglog(*zip(*bound, strict=True), "^", mfc="none", color="tab:red",
                    label="naive sympy.diff, lower bound (cut off)")
    left.set_xlabel("parameters")
    left.set_ylabel("seconds, whole network")
    left.set_title("Symbolic: every parameter's gradient")
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)
    for label, key, style in (("loss + all gradients", "gradients_ms", "o"), ("forward pass only", "forward_ms", "s"),
                              ("PyTorch autograd", "torch_ms", "^")):
        pts = [(r.params, getattr(r, key)) for r in rows if getattr(r, key)]
        if pts:
            right.loglog(*zip(*pts, strict=True), style, label=f"{label} (slope {_s(slope(pts))})")
    right.set_xlabel("parameters")
    right.set_ylabel(f"milliseconds, batch of {SAMPLES}")
    right.set_title("Numeric: compiled evaluation")
    right.grid(True, which="both", alpha=0.3)
    right.legend(fontsize=8)
    fig.suptitle("symbackprop: cost against parameter count (depth 1–8, width 2–16)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def targets(rows: list[Row], checker: dict[str, Any], fits: dict[str, float | None]) -> list[str]:
    by = {(r.width, r.depth): r for r in rows}
    out = []

    def line(ok: bool | None, text: str) -> None:
        out.append(f"- {'met' if ok else 'not met' if ok is not None else 'not measured'}: {text}")

    if TARGET_FAST in by:
        r = by[TARGET_FAST]
        line(r.ours_s < 5, f"{r.params} parameters (16-16-16-16-4): derivation, numbers and Beamer LaTeX in "
                           f"{r.ours_s:.2f} s (derive {r.derive_s:.2f} s + LaTeX {r.latex_s:.2f} s; target < 5 s)")
    line(None if fits["ours"] is None else fits["ours"] <= 1.2,
         f"fitted log-log slope of our cost against parameters {_s(fits['ours'])} over the grid, "
         f"{_s(fits['ours_100'])} over the networks of 100 parameters or more (where fixed costs no longer "
         f"dominate; derive alone {_s(fits['derive_100'])}), against parameters × depth {_s(fits['ours_pd'])} "
         f"(target ≤ 1.2); naive differentiation: {_s(fits['naive'])} against parameters over the networks it "
         f"finished")
    if TARGET_NAIVE in by and (naive := by[TARGET_NAIVE].naive_s) is not None:
        r = by[TARGET_NAIVE]
        per = ", ".join(f"layer {li}: {s:.1f} s" + ("" if done else " (cut off)") for li, s, done in r.naive_layers)
        line(naive / r.ours_s >= 1000,
             f"{r.params} parameters (8-8-8-8-8-2): naive sympy.diff {'> ' if r.naive_lower_bound else '≈ '}"
             f"{naive:,.0f} s for the whole network (one weight per layer: {per}) against {r.ours_s:.2f} s for "
             f"ours: {'> ' if r.naive_lower_bound else ''}{naive / r.ours_s:,.0f}× (target ≥ 1000×)")
        line(r.latex_chars / r.params <= 2000,
             f"readable output: the Beamer lecture of that network is {r.latex_chars:,} characters, "
             f"{r.latex_chars / r.params:,.0f} per parameter (target ≤ 2 kB); its formulas have {r.ops:,} operations"
             + (f", against {r.naive_ops:,} for the naive derivatives" if r.naive_ops else ""))
    num = [r for r in rows if r.gradients_ms and r.forward_ms]
    if num:
        worst = max(num, key=lambda r: (r.gradients_ms or 0) / (r.forward_ms or 1))
        ratio = (worst.gradients_ms or 0) / (worst.forward_ms or 1)
        line(ratio <= 3, f"compiled loss + all gradients for {SAMPLES} samples cost at most {ratio:.2f}× the "
                         f"forward pass (worst: {worst.width} wide, {worst.depth} deep; target ≤ 3×)")
    tor = [r for r in rows if r.gradients_ms and r.torch_ms]
    if tor:
        worst = max(tor, key=lambda r: (r.gradients_ms or 0) / (r.torch_ms or 1))
        ratio = (worst.gradients_ms or 0) / (worst.torch_ms or 1)
        agree = max(r.torch_max_rel or 0 for r in tor)
        line(ratio <= 2, f"against PyTorch autograd: at most {ratio:.2f}× its time (worst: {worst.width} wide, "
                         f"{worst.depth} deep; target ≤ 2×); the gradients agree to {agree:.1e} relative")
    else:
        line(None, "PyTorch is not installed: no comparison with autograd")
    if checker:
        line(checker["seconds"] < 30, f"the checker judged {checker['files']} files × {CLASS_QUESTIONS} answers "
                                      f"({checker['answers']}) in {checker['seconds']:.1f} s with 2 workers, "
                                      f"every verdict as expected (target < 30 s)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write benchmarks/scale_bench.md, .json and .png")
    parser.add_argument("--quick", action="store_true", help="widths 2, 4 and depths 1, 2; no naive long run")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    widths, depths = ((2, 4), (1, 2)) if args.quick else (WIDTHS, DEPTHS)
    torch_version = None
    if torch_available() is None:
        import torch
        torch_version = torch.__version__
    env = (f"Python {platform.python_version()}, SymPy {sp.__version__}, NumPy {np.__version__}, "
           f"PyTorch {torch_version or 'not installed'} (default threads), {platform.machine()}, "
           f"{mp.cpu_count()} cores")
    print(env, flush=True)
    rows = {(w, d): Row(w, d, len(network(w, d).params)) for d in depths for w in widths}
    derive(network(2, 1))  # warm up: imports, SymPy's caches, templates
    render(derive(network(2, 1)), "beamer", "en", full=True)
    for key, row in sorted(rows.items(), key=lambda kv: kv[1].params):
        measure_ours(row)
        print(f"ours  {key}: {row.params} params, derive {row.derive_s:.2f} s, LaTeX {row.latex_s:.2f} s", flush=True)
    for key, row in sorted(rows.items(), key=lambda kv: kv[1].params):
        naive = measure_naive(*key, TARGET_NAIVE_DEADLINE if key == TARGET_NAIVE else NAIVE_DEADLINE)
        row.naive_s, row.naive_lower_bound, row.naive_ops = naive["seconds"], naive["lower_bound"], naive["ops"]
        row.naive_layers = naive["layers"]
        print(f"naive {key}: {'>' if row.naive_lower_bound else '≈'} {row.naive_s:.1f} s", flush=True)
    for key, row in sorted(rows.items(), key=lambda kv: kv[1].params):
        measure_numeric(row, torch_version is not None)
        print(f"numeric {key}: forward {row.forward_ms:.2f} ms, gradients {row.gradients_ms:.2f} ms, "
              f"torch {_s(row.torch_ms)} ms", flush=True)
    checker = measure_checker(20 if args.quick else CLASS_FILES)
    print(f"checker: {checker['files']} files in {checker['seconds']:.1f} s", flush=True)
    all_rows = list(rows.values())
    finished = [r for r in all_rows if r.naive_s is not None and not r.naive_lower_bound]
    fits = {"ours": slope([(r.params, r.ours_s) for r in all_rows]),
            "ours_100": slope([(r.params, r.ours_s) for r in all_rows if r.params >= 100]),
            "derive_100": slope([(r.params, r.derive_s) for r in all_rows if r.params >= 100]),
            "ours_pd": slope([(r.params * r.depth, r.ours_s) for r in all_rows]),
            "naive": slope([(r.params, r.naive_s or 0) for r in finished])}
    report = table(all_rows)
    goals = targets(all_rows, checker, fits)
    total = time.perf_counter() - started
    print(report, *goals, f"total {total:.0f} s", sep="\n")
    if args.write and not args.quick:
        (HERE / "scale_bench.json").write_text(json.dumps(
            {"environment": env, "seconds": total, "rows": [asdict(r) | {"ours_s": r.ours_s} for r in all_rows],
             "fits": fits, "checker": checker}, indent=1) + "\n", encoding="utf-8")
        plot(all_rows, HERE / "scale_bench.png", fits)
        text = ["# Scale benchmark", "",
                f"`python benchmarks/scale_bench.py --write` — {env}; the whole run took {total:.0f} s.", "",
                "What is measured, and how, is in the script's docstring. Networks: w inputs, d hidden layers of "
                "width w, max(2, w // 4) outputs, sigmoid, one bias per neuron, half_sse. *ours* = derive (the "
                "network built from its spec included) + render to a Beamer lecture. *naive* = sympy.diff of the "
                "fully composed error, one weight per layer timed and multiplied by the layer's parameter count; "
                f"'>' marks a lower bound where the {NAIVE_DEADLINE:.0f} s deadline cut it off. *formula ops* / "
                "*naive ops*: operations of the formulas written out as trees. Numeric columns: a batch of "
                f"{SAMPLES} samples, best of repeated calls.", "",
                "## Targets", "", *goals, "", "## Table", "", report, "",
                "![cost against parameters](scale_bench.png)", ""]
        (HERE / "scale_bench.md").write_text("\n".join(text), encoding="utf-8")
        print(f"wrote {HERE / 'scale_bench.md'}, .json, .png", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
