"""An independent cross-check with PyTorch: the same network, its autograd gradients, compared with ours.

Nothing here reuses the SymPy graph's formulas or derivatives. The network is rebuilt in PyTorch from
its structure only — per layer the weight names (row r: neuron r, column c: input c), the bias names
(shared, per neuron or none), the activation and its slope, softmax on the output layer — with the loss
written here from its definition, the batch loss (sum or mean over the samples), the parameter values
and the samples. Every parameter is one float64 leaf tensor used wherever its name occurs, so a shared
bias or weight collects the sum of its uses from autograd, as it does in the derivation.

PyTorch is an optional extra (``pip install 'symbackprop[torch]'``) and is imported only when used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import sympy as sp

from .activations import KINDS, NAMES, Activation
from .derive import Derivation, derive
from .errors import SpecError
from .layers import KINDS as LAYER_KINDS
from .losses import CANONICAL, LOSSES
from .network import Network

INSTALL_HINT = "pip install 'symbackprop[torch]' (PyTorch's CPU build is enough)"
NEEDS_NUMBERS = "the cross-check needs numbers and concrete activations"


def torch_available() -> str | None:
    """None when PyTorch can be imported, else why not (the reason a skipped test prints)."""
    try:
        import torch  # noqa: F401
    except ImportError as exc:
        return f"PyTorch is not installed ({exc}): {INSTALL_HINT}"
    except Exception as exc:  # a broken installation (missing shared library, ...)
        return f"PyTorch cannot be imported ({type(exc).__name__}: {exc}): {INSTALL_HINT}"
    return None


def _torch() -> Any:
    reason = torch_available()
    if reason is not None:
        raise ModuleNotFoundError(reason)
    import torch

    return torch


def _number(value: sp.Expr | None, what: str) -> float:
    if value is None:
        raise SpecError(f"{what} has no value; {NEEDS_NUMBERS}")
    try:
        return float(value)
    except TypeError:
        raise SpecError(f"{what} is {value}, not a number; {NEEDS_NUMBERS}") from None


def _check_numeric(network: Network) -> None:
    for layer in network.layers:
        if any(act.name == "abstract" for act in layer.per_neuron or (layer.activation,)):
            raise SpecError(f"layer {layer.name!r} has the abstract activation {layer.activation.function}; "
                            f"{NEEDS_NUMBERS}")
    if not network.is_numeric():
        missing = [str(s) for s in (*network.params, *network.inputs, *network.targets)
                   if any(s not in network.values and s not in sample for sample in network.samples)]
        raise SpecError(f"no values for {', '.join(missing) or 'some quantities'}; {NEEDS_NUMBERS}")


def _activation(torch: Any, act: Activation, net: Any) -> Any:
    """out = f(net) for one layer; net has shape (samples, neurons)."""
    kind = KINDS.get(NAMES.get(act.name, act.name))
    if kind is None or kind.torch is None:
        raise SpecError(f"unknown activation {act.name!r}; {NEEDS_NUMBERS}")
    return kind.torch(torch, net, act)


def _loss(torch: Any, name: str, o: Any, t: Any) -> Any:
    """The loss of every sample (shape (samples,)), from outputs o and targets t of shape (samples, outputs)."""
    if name not in CANONICAL:
        raise SpecError(f"unknown loss {name!r}")
    return LOSSES[CANONICAL[name]].torch(torch, o, t)


def torch_gradients(network: Network) -> tuple[float, dict[str, float]]:
    """The batch loss and ∂loss/∂param of every parameter (frozen ones too), by PyTorch autograd in float64."""
    _check_numeric(network)
    torch = _torch()
    f64 = torch.float64
    leaves: dict[sp.Symbol, Any] = {
        p: torch.tensor(_number(network.values.get(p), f"the parameter {p}"), dtype=f64, requires_grad=True)
        for p in network.params}

    def leaf_value(s: sp.Symbol, sample: dict[sp.Symbol, sp.Expr]) -> float:
        return _number(sample.get(s, network.values.get(s)), str(s))

    x = torch.tensor([[leaf_value(s, sample) for s in network.inputs] for sample in network.samples], dtype=f64)
    t = torch.tensor([[leaf_value(s, sample) for s in network.targets] for sample in network.samples], dtype=f64)
    zero = torch.zeros((), dtype=f64)
    a = x
    computed: dict[tuple[sp.Symbol, ...], Any] = {network.inputs: x}  # each layer's outputs, for a skip
    for layer in network.layers:
        net = LAYER_KINDS[layer.kind].torch_net(torch, layer, a, leaves, zero)
        if layer.per_neuron:  # each neuron's own activation on its column
            a = torch.stack([_activation(torch, act, net[:, r:r + 1])[:, 0] for r, act in enumerate(layer.per_neuron)],
                            dim=1)
        else:
            a = _activation(torch, layer.activation, net)
        if layer.skip:  # the residual: the earlier outputs added after the activation
            a = a + computed[layer.skip]
        computed[layer.outs] = a
    per_sample = _loss(torch, network.loss_name, a, t)
    loss = per_sample.mean() if network.spec.batch_loss == "mean" else per_sample.sum()
    params = list(network.params)
    grads = torch.autograd.grad(loss, [leaves[p] for p in params], allow_unused=True)
    gradients = {p.name: 0.0 if g is None else float(g.item()) for p, g in zip(params, grads, strict=True)}
    return float(loss.item()), gradients


class Row(NamedTuple):
    name: str
    ours: float
    torch: float
    rel_error: float


@dataclass(frozen=True)
class CrossCheck:
    """Our exact loss and gradients (as floats) beside PyTorch's; ok when every difference is within tolerance.

    The relative difference of a and b is |a − b| / max(|a|, |b|, atol/rtol): the plain relative
    difference, except that values below atol/rtol are compared absolutely (to atol), since a gradient
    that is exactly zero comes out of float64 arithmetic as ±1e-17 or so.
    """

    loss_ours: float
    loss_torch: float
    loss_rel_error: float
    rows: tuple[Row, ...]
    max_rel_error: float  # over the loss and every gradient
    ok: bool
    rtol: float
    atol: float

    def _repr_markdown_(self) -> str:
        verdict = "agree" if self.ok else "**differ**"
        lines = [f"symbackprop and PyTorch {verdict}: largest relative difference {self.max_rel_error:.2e} "
                 f"(tolerance {self.rtol:g}, absolute below {self.atol:g})",
                 "",
                 "| parameter | symbackprop | PyTorch | relative difference |",
                 "|---|---:|---:|---:|",
                 f"| *loss* | {self.loss_ours:.15g} | {self.loss_torch:.15g} | {self.loss_rel_error:.2e} |"]
        lines += [f"| `{r.name}` | {r.ours:.15g} | {r.torch:.15g} | {r.rel_error:.2e} |" for r in self.rows]
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        width = max([4, *(len(r.name) for r in self.rows)])
        lines = [f"{'':{width}}  {'symbackprop':>24}  {'PyTorch':>24}  rel. diff",
                 f"{'loss':{width}}  {self.loss_ours:24.17g}  {self.loss_torch:24.17g}  {self.loss_rel_error:.1e}"]
        lines += [f"{r.name:{width}}  {r.ours:24.17g}  {r.torch:24.17g}  {r.rel_error:.1e}" for r in self.rows]
        lines.append(f"{'ok' if self.ok else 'DIFFERENT'}: max relative difference {self.max_rel_error:.1e}")
        return "\n".join(lines)


def rel_error(a: float, b: float, floor: float) -> float:
    """|a − b| / max(|a|, |b|, floor); inf when either is not finite (unless both are the same infinity)."""
    if a == b:
        return 0.0
    if not (math.isfinite(a) and math.isfinite(b)):
        return math.inf
    return abs(a - b) / max(abs(a), abs(b), floor)


def compare(network: Network, derivation: Derivation | None = None, rtol: float = 1e-9,
            atol: float = 1e-12) -> CrossCheck:
    """Our batch loss and gradients (symbackprop.derive, exact) against PyTorch autograd in float64."""
    _check_numeric(network)
    if derivation is None:
        derivation = derive(network)
    loss_torch, grads = torch_gradients(network)
    floor = atol / rtol

    def value(v: sp.Expr | None) -> float:
        return math.nan if v is None else float(v)  # None: not finite (log 0) — reported as a difference

    loss_ours = value(derivation.loss)
    loss_err = rel_error(loss_ours, loss_torch, floor)
    rows = []
    for p in derivation.params:
        ours = value(p.gradient)
        theirs = grads[p.name]
        rows.append(Row(p.name, ours, theirs, rel_error(ours, theirs, floor)))
    worst = max([loss_err, *(r.rel_error for r in rows)])
    ok = worst <= rtol
    return CrossCheck(loss_ours, loss_torch, loss_err, tuple(rows), worst, ok, rtol, atol)
