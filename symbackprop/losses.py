"""Loss functions of the outputs o_k and targets t_k, one entry each: the formula as SymPy computes with it and
as lectures write it, the PyTorch form for the cross-check, the output activation whose derivative cancels
against it (δ = o − t), what its logarithms need of the outputs, and its name as lectures write it in each
language. The spec, the network, the derivation, the cross-check and the renderers read the entries; adding a
loss is one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

Pairs = list[tuple[sp.Symbol, sp.Symbol]]  # (target, output) per output neuron


def _sq(t: sp.Symbol, o: sp.Symbol) -> sp.Expr:
    """(t − o)², unevaluated, as lectures write it."""
    return sp.Pow(sp.Add(t, sp.Mul(-1, o, evaluate=False), evaluate=False), 2, evaluate=False)


def _total(terms: list[sp.Expr]) -> sp.Expr:
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


@dataclass(frozen=True)
class Loss:
    """Everything about one loss function."""

    name: str
    labels: dict[str, str]  # as lectures name it, per language
    expr: Callable[[Pairs], sp.Expr]
    torch: Callable[[Any, Any, Any], Any]  # (torch, o, t of shape (samples, outputs)) → loss per sample
    display: Callable[[Pairs], sp.Expr] | None = None  # as lectures order it (unevaluated); default: expr
    aliases: tuple[str, ...] = ()  # other names a spec may use
    matching: str | None = None  # the output activation whose derivative cancels against it: δ = o − t
    positive: bool = False  # takes log(o): needs every output > 0
    below_one: bool = False  # takes log(1 − o) too: needs every output < 1


LOSSES: dict[str, Loss] = {k.name: k for k in (
    Loss("half_sse", {"en": "squared error", "zh": "平方误差"},
         expr=lambda ps: sp.Rational(1, 2) * sp.Add(*[(t - o) ** 2 for t, o in ps]),
         display=lambda ps: sp.Mul(sp.Rational(1, 2), _total([_sq(t, o) for t, o in ps]), evaluate=False),
         torch=lambda torch, o, t: 0.5 * ((t - o) ** 2).sum(dim=1)),
    Loss("sse", {"en": "sum of squared errors", "zh": "误差平方和"},
         expr=lambda ps: sp.Add(*[(t - o) ** 2 for t, o in ps]),
         display=lambda ps: _total([_sq(t, o) for t, o in ps]),
         torch=lambda torch, o, t: ((t - o) ** 2).sum(dim=1)),
    Loss("mse", {"en": "mean squared error", "zh": "均方误差"},
         expr=lambda ps: sp.Add(*[(t - o) ** 2 for t, o in ps]) / len(ps),
         display=lambda ps: sp.Mul(sp.Rational(1, len(ps)), _total([_sq(t, o) for t, o in ps]), evaluate=False),
         torch=lambda torch, o, t: ((t - o) ** 2).sum(dim=1) / o.shape[1]),
    Loss("binary_cross_entropy", {"en": "binary cross-entropy", "zh": "二元交叉熵"},
         expr=lambda ps: -sp.Add(*[t * sp.log(o) + (1 - t) * sp.log(1 - o) for t, o in ps]),
         torch=lambda torch, o, t: -(t * torch.log(o) + (1 - t) * torch.log(1 - o)).sum(dim=1),
         aliases=("bce",), matching="sigmoid", positive=True, below_one=True),
    Loss("categorical_cross_entropy", {"en": "cross-entropy", "zh": "交叉熵"},
         expr=lambda ps: -sp.Add(*[t * sp.log(o) for t, o in ps]),
         torch=lambda torch, o, t: -(t * torch.log(o)).sum(dim=1),
         aliases=("cce", "cross_entropy"), matching="softmax", positive=True),
)}

#: every name a spec may give → its entry's name
CANONICAL: dict[str, str] = {n: k.name for k in LOSSES.values() for n in (k.name, *k.aliases)}


def canonical(name: str) -> str:
    return CANONICAL[name]


def _pairs(outs: list[sp.Symbol], targets: list[sp.Symbol]) -> Pairs:
    return list(zip(targets, outs, strict=True))


def loss_expr(name: str, outs: list[sp.Symbol], targets: list[sp.Symbol]) -> sp.Expr:
    return LOSSES[canonical(name)].expr(_pairs(outs, targets))


def matching_activation(name: str) -> str | None:
    """The output activation whose derivative cancels against this loss, leaving delta = o - t."""
    return LOSSES[canonical(name)].matching


def loss_display(name: str, outs: list[sp.Symbol], targets: list[sp.Symbol]) -> sp.Expr:
    """The loss as lectures write it (½ Σ (t − o)², unevaluated), for printing with order='none'."""
    loss = LOSSES[canonical(name)]
    return (loss.display or loss.expr)(_pairs(outs, targets))
