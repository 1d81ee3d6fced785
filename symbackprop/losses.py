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
