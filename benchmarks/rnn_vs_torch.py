"""The compiled recurrent network (symbackprop/rnn_numeric.py) against PyTorch: loss + every gradient of an Elman
network over a batch of sequences.

The network: a 16-step sequence, 1 … 4 inputs, 16 tanh hidden neurons fed back, 1 identity output, half_sse at
every step summed over the steps and the sequences, a batch of 64 sequences (issue 16: within 2× of PyTorch on the
CPU). Ours: `CompiledRecurrent.loss_and_gradient` (BPTT as matrix products, float64). PyTorch: torch.nn.RNN
(tanh, float64) + nn.Linear, the same loss, `loss.backward()`, the gradients zeroed before each run, on the CPU
with torch.set_num_threads(1) (one thread each: NumPy's products this small run on one). Each timing is the median
of REPEATS runs of NUMBER calls. The gradients are cross-checked (max absolute difference over every parameter).
Prints a markdown table; `--write` also writes benchmarks/rnn_vs_torch.md.

    python benchmarks/rnn_vs_torch.py [--write] [--quick]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import timeit
from pathlib import Path
from typing import Any

import numpy as np

from symbackprop.recurrent import RecurrentSpec, parse_recurrent
from symbackprop.rnn_numeric import CompiledRecurrent, compile_recurrent

HERE = Path(__file__).resolve().parent
STEPS, WIDTH, BATCH = 16, 16, 64
INPUTS = (1, 2, 4)
REPEATS, NUMBER = 15, 20


def spec(n_in: int, steps: int = STEPS, width: int = WIDTH, seed: int = 0) -> RecurrentSpec:
    """The Elman network as a recurrent spec (one sequence of its own; the batch is given as arrays)."""
    rng = np.random.default_rng(seed)
    data: dict[str, Any] = {
        "loss": "half_sse", "learning_rate": 0.1,
        "inputs": {f"x{i + 1}": [round(float(v), 3) for v in rng.uniform(-1, 1, steps)] for i in range(n_in)},
        "targets": {"y1": [round(float(v), 3) for v in rng.uniform(-1, 1, steps)]},
        "layers": [{"name": "h", "kind": "recurrent", "activation": "tanh",
                    "weights": [[f"u{j + 1}_{i + 1}" for i in range(n_in)] for j in range(width)],
                    "recurrent_weights": [[f"v{j + 1}_{k + 1}" for k in range(width)] for j in range(width)],
                    "bias": [f"b{j + 1}" for j in range(width)]},
                   {"name": "y", "activation": "identity", "weights": [[f"w{j + 1}" for j in range(width)]],
                    "bias": "c"}]}
    rec, out = data["layers"]
    names = [p for grid in (rec["weights"], rec["recurrent_weights"], [rec["bias"]], out["weights"]) for row in grid
             for p in row] + ["c"]
    data["params"] = {p: round(float(rng.normal(0, 1 / np.sqrt(width))), 4) for p in names}
    return parse_recurrent(data)


def theta_parts(compiled: CompiledRecurrent, theta: np.ndarray) -> dict[str, np.ndarray]:
    u, v, w, b, c = compiled._matrices(theta)
    return {"U": u, "V": v, "W": w, "b": b[:, 0], "c": c[:, 0]}


def torch_model(torch: Any, parts: dict[str, np.ndarray], n_in: int) -> tuple[Any, Any]:
    rnn = torch.nn.RNN(n_in, WIDTH, nonlinearity="tanh", bias=True, dtype=torch.float64)
    out = torch.nn.Linear(WIDTH, 1, dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(parts["U"]))
        rnn.weight_hh_l0.copy_(torch.from_numpy(parts["V"]))
        rnn.bias_ih_l0.copy_(torch.from_numpy(parts["b"]))
        rnn.bias_hh_l0.zero_()
        out.weight.copy_(torch.from_numpy(parts["W"]))
        out.bias.copy_(torch.from_numpy(parts["c"]))
    return rnn, out


def median_seconds(call: Any, repeats: int, number: int) -> float:
    return statistics.median(timeit.repeat(call, repeat=repeats, number=number)) / number


def measure(n_in: int, repeats: int, number: int) -> dict[str, Any]:
    import torch

    r = spec(n_in)
    compiled = compile_recurrent(r)
    theta = compiled.theta()
    rng = np.random.default_rng(n_in)
    x = rng.uniform(-1, 1, (STEPS, n_in, BATCH))  # (steps, inputs, sequences)
    targets = rng.uniform(-1, 1, (STEPS, 1, BATCH))
    loss, grad = compiled.loss_and_gradient(theta, x, targets)

    rnn, out = torch_model(torch, theta_parts(compiled, theta), n_in)
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 2, 1)))  # (steps, batch, inputs)
    tt = torch.from_numpy(np.ascontiguousarray(targets.transpose(0, 2, 1)))
    params = [rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0, out.weight, out.bias]

    def torch_step() -> Any:
        for p in params:
            p.grad = None
        h, _ = rnn(xt)
        e = 0.5 * ((out(h) - tt) ** 2).sum()
        e.backward()
        return e

    e = torch_step()
    parts = theta_parts(compiled, grad)  # the gradient vector read as matrices, the same positions as θ
    theirs = {"U": rnn.weight_ih_l0.grad, "V": rnn.weight_hh_l0.grad, "b": rnn.bias_ih_l0.grad,
              "W": out.weight.grad, "c": out.bias.grad}
    diff = max(float(np.max(np.abs(parts[k] - theirs[k].numpy()))) for k in theirs)
    diff = max(diff, float(np.max(np.abs(rnn.bias_hh_l0.grad.numpy() - parts["b"]))), abs(e.item() - loss))
    median_seconds(lambda: compiled.loss_and_gradient(theta, x, targets), 1, number)  # warm up both
    median_seconds(torch_step, 1, number)
    ours = median_seconds(lambda: compiled.loss_and_gradient(theta, x, targets), repeats, number)
    torch_time = median_seconds(torch_step, repeats, number)
    return {"inputs": n_in, "params": compiled.n_params, "ours_ms": ours * 1e3, "torch_ms": torch_time * 1e3,
            "ratio": ours / torch_time, "diff": diff}


def table(rows: list[dict[str, Any]], repeats: int, number: int) -> str:
    import torch

    lines = [
        "# The compiled recurrent network against PyTorch",
        "",
        f"`python benchmarks/rnn_vs_torch.py --write` — Python {platform.python_version()}, NumPy {np.__version__}, "
        f"PyTorch {torch.__version__}, {platform.machine()} ({platform.system()}).",
        "",
        f"An Elman network over {STEPS} steps: the inputs given, {WIDTH} tanh hidden neurons fed back, 1 identity "
        f"output, half_sse at every step summed over the steps and a batch of {BATCH} sequences; float64. Ours: "
        "`CompiledRecurrent.loss_and_gradient` (symbackprop/rnn_numeric.py: BPTT as matrix products, the "
        "activation, the loss and their derivatives lambdified from the project's SymPy definitions). PyTorch: "
        "`torch.nn.RNN` + `nn.Linear`, the same loss and `loss.backward()` on the CPU with "
        f"`torch.set_num_threads(1)`. Each time is the median of {repeats} runs of {number} calls of the loss and "
        "every gradient. max |Δ|: the largest absolute difference between our gradients (and loss) and "
        "PyTorch's.",
        "",
        "| inputs | parameters | ours (ms) | PyTorch (ms) | ours / PyTorch | max abs diff of the gradients |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [f"| {r['inputs']} | {r['params']} | {r['ours_ms']:.3f} | {r['torch_ms']:.3f} | {r['ratio']:.2f} | "
              f"{r['diff']:.1e} |" for r in rows]
    worst = max(r["ratio"] for r in rows)
    lines += ["", f"Slowest ratio: {worst:.2f} (the issue asks for at most 2)."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="also write benchmarks/rnn_vs_torch.md")
    parser.add_argument("--quick", action="store_true", help="one input size, few repeats (a smoke run)")
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed: nothing to compare against", file=sys.stderr)
        return 1
    torch.set_num_threads(1)
    repeats, number = (3, 2) if args.quick else (REPEATS, NUMBER)
    rows = [measure(n_in, repeats, number) for n_in in (INPUTS[:1] if args.quick else INPUTS)]
    text = table(rows, repeats, number)
    print(text, end="")
    if args.write:
        (HERE / "rnn_vs_torch.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
