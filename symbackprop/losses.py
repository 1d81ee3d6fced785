"""Loss functions of the outputs o_k and targets t_k, as SymPy expressions."""

from __future__ import annotations

import sympy as sp

CANONICAL = {
    "half_sse": "half_sse", "sse": "sse", "mse": "mse",
    "binary_cross_entropy": "binary_cross_entropy", "bce": "binary_cross_entropy",
    "categorical_cross_entropy": "categorical_cross_entropy", "cce": "categorical_cross_entropy",
    "cross_entropy": "categorical_cross_entropy",
}


def canonical(name: str) -> str:
    return CANONICAL[name]


def loss_expr(name: str, outs: list[sp.Symbol], targets: list[sp.Symbol]) -> sp.Expr:
    pairs = list(zip(targets, outs, strict=True))
    match canonical(name):
        case "half_sse":
            return sp.Rational(1, 2) * sp.Add(*[(t - o) ** 2 for t, o in pairs])
        case "sse":
            return sp.Add(*[(t - o) ** 2 for t, o in pairs])
        case "mse":
            return sp.Add(*[(t - o) ** 2 for t, o in pairs]) / len(pairs)
        case "binary_cross_entropy":
            return -sp.Add(*[t * sp.log(o) + (1 - t) * sp.log(1 - o) for t, o in pairs])
        case "categorical_cross_entropy":
            return -sp.Add(*[t * sp.log(o) for t, o in pairs])
    raise ValueError(name)


def matching_activation(name: str) -> str | None:
    """The output activation whose derivative cancels against this loss, leaving delta = o - t."""
    return {"binary_cross_entropy": "sigmoid", "categorical_cross_entropy": "softmax"}.get(canonical(name))


def loss_display(name: str, outs: list[sp.Symbol], targets: list[sp.Symbol]) -> sp.Expr:
    """The loss as lectures write it (½ Σ (t − o)², unevaluated), for printing with order='none'."""
    def sq(t: sp.Symbol, o: sp.Symbol) -> sp.Expr:
        return sp.Pow(sp.Add(t, sp.Mul(-1, o, evaluate=False), evaluate=False), 2, evaluate=False)

    def total(terms: list[sp.Expr]) -> sp.Expr:
        return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)

    pairs = list(zip(targets, outs, strict=True))
    match canonical(name):
        case "half_sse":
            return sp.Mul(sp.Rational(1, 2), total([sq(t, o) for t, o in pairs]), evaluate=False)
        case "sse":
            return total([sq(t, o) for t, o in pairs])
        case "mse":
            return sp.Mul(sp.Rational(1, len(pairs)), total([sq(t, o) for t, o in pairs]), evaluate=False)
    return loss_expr(name, outs, targets)
