"""The PyTorch cross-check of a circuit: the graph rebuilt in PyTorch from its nodes' SymPy expressions, its
autograd gradients compared with ours.

Each node's expression (as read from the spec, before any derivative of ours) is turned into a PyTorch function
by sympy.lambdify's torch printer (max and min made elementwise), and evaluated node by node on float64 tensors:
every parameter one leaf tensor, every input a tensor of its values per sample. The batch loss is the output
summed (or averaged) over the samples; autograd's gradients of it are compared with the exact derivation's
(backward.py) as crosscheck.compare does for a layered network.

    python -m symbackprop.circuit_crosscheck examples/graphs/logistic_regression.toml
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import sympy as sp

from .backward import derive_circuit
from .circuit import Circuit, load_model
from .crosscheck import CrossCheck, Row, _torch, compare, rel_error
from .errors import SpecError


def _elementwise(torch: Any, fold: Any) -> Any:
    def f(*args: Any) -> Any:
        tensors = [torch.as_tensor(a, dtype=torch.float64) for a in args]
        out = tensors[0]
        for t in tensors[1:]:
            out = fold(out, t)
        return out
    return f


def torch_circuit_gradients(c: Circuit) -> tuple[float, dict[str, float]]:
    """The batch loss and its gradient by PyTorch autograd in float64: every parameter's, and every input's per
    sample (named x, or x[k] for sample k with several samples)."""
    torch = _torch()
    f64 = torch.float64
    missing = [c.quantities[p].name for p in c.params if p not in c.values]
    missing += [c.quantities[x].name for x in c.inputs if any(x not in s for s in c.samples)]
    if missing:
        raise SpecError(f"no values for {', '.join(missing)}; the cross-check needs numbers", source=c.spec.source)
    modules = [{"max": _elementwise(torch, torch.maximum), "min": _elementwise(torch, torch.minimum)}, "torch"]
    env: dict[sp.Symbol, Any] = {p: torch.tensor(float(c.values[p]), dtype=f64, requires_grad=True)
                                 for p in c.params}
    for x in c.inputs:
        env[x] = torch.tensor([float(s[x]) for s in c.samples], dtype=f64, requires_grad=True)
    for s in c.nodes:
        definition = c.quantities[s].definition
        assert definition is not None
        # constants such as √2 as float64 numbers: torch.sqrt(2) takes no Python number
        definition = definition.replace(lambda e: e.is_number and not e.is_Rational, lambda e: e.evalf(17))
        parents = sorted(definition.free_symbols, key=lambda q: q.name)
        f = sp.lambdify(parents, definition, modules=modules)
        env[s] = f(*[env[q] for q in parents])
    out = env[c.output] * torch.ones(len(c.samples), dtype=f64)  # a constant output broadcast to every sample
    loss = out.mean() if c.spec.batch_loss == "mean" else out.sum()
    leaves = [*c.params, *c.inputs]
    grads = torch.autograd.grad(loss, [env[q] for q in leaves], allow_unused=True)
    out_grads: dict[str, float] = {}
    for q, g in zip(leaves, grads, strict=True):
        name = c.quantities[q].name
        if q in c.params:
            out_grads[name] = 0.0 if g is None else float(g.item())
        else:  # each sample's input: ∂(batch loss)/∂(that input)
            values = [0.0] * len(c.samples) if g is None else [float(v) for v in g.tolist()]
            out_grads.update({_input_row(name, k, len(values)): v for k, v in enumerate(values)})
    return float(loss.item()), out_grads


def _input_row(name: str, k: int, n: int) -> str:
    return name if n == 1 else f"{name}[{k}]"


def compare_circuit(c: Circuit, rtol: float = 1e-9, atol: float = 1e-12) -> CrossCheck:
    """Our exact batch loss and gradients (derive_circuit: every parameter's, every input's per sample) against
    PyTorch autograd in float64."""
    d = derive_circuit(c)
    loss_torch, grads = torch_circuit_gradients(c)
    floor = atol / rtol

    def value(v: sp.Expr | None) -> float:
        return float("nan") if v is None else float(v)

    loss_ours = value(d.batch_output)
    loss_err = rel_error(loss_ours, loss_torch, floor)
    ours = {c.quantities[p].name: value(d.batch_gradients[p]) for p in c.params}
    scale = 1 / len(c.samples) if c.spec.batch_loss == "mean" else 1.0
    for k, sample in enumerate(d.per_sample):
        for x in c.inputs:
            name = c.quantities[x].name
            ours[_input_row(name, k, len(c.samples))] = value(sample.gradient(name).value) * scale
    rows = [Row(name, v, grads[name], rel_error(v, grads[name], floor)) for name, v in ours.items()]
    worst = max([loss_err, *(r.rel_error for r in rows)])
    return CrossCheck(loss_ours, loss_torch, loss_err, tuple(rows), worst, worst <= rtol, rtol, atol)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m symbackprop.circuit_crosscheck SPEC`: the table, exit 0 when they agree, 1 when not, 2 for
    unusable input (one line). Any spec: a graph's or an unrolled recurrent network's circuit rebuilt from its
    expressions, a layered network (convolutions too) by crosscheck.compare."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m symbackprop.circuit_crosscheck SPEC (a graph, recurrent or layered spec)",
              file=sys.stderr)
        return 2
    try:
        model = load_model(args[0])
        check = compare_circuit(model) if isinstance(model, Circuit) else compare(model)
    except (SpecError, ModuleNotFoundError) as exc:
        print(f"symbackprop: error: {exc}", file=sys.stderr)
        return 2
    print(check)
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
