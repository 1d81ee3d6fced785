"""Activation functions: the forward formula, and the derivative in the form lectures write it.

The lecture form expresses f'(net) through the neuron's own output where that is customary
(sigmoid: out(1 - out), tanh: 1 - out^2), so the chain-rule factors read like the seeds. Tests check
each lecture form against sympy.diff of the forward formula.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class Activation:
    """An elementwise activation; `softmax` overrides the layer-wide methods."""

    name: str
    alpha: sp.Rational = sp.Rational(1, 100)  # leaky_relu slope
    function: str = "f"  # the symbol of an abstract activation

    @property
    def elementwise(self) -> bool:
        return self.name != "softmax"

    def forward(self, net: sp.Expr) -> sp.Expr:
        x = net
        match self.name:
            case "identity" | "linear":
                return x
            case "sigmoid":
                return 1 / (1 + sp.exp(-x))
            case "tanh":
                return sp.tanh(x)
            case "relu":
                return sp.Max(0, x)
            case "leaky_relu":
                return sp.Piecewise((x, x > 0), (self.alpha * x, True))
            case "softplus":
                return sp.log(1 + sp.exp(x))
            case "abstract":
                return sp.Function(self.function, real=True)(x)
        raise ValueError(f"not an elementwise activation: {self.name}")

    def derivative(self, net: sp.Symbol, out: sp.Symbol) -> sp.Expr:
        """d out / d net in the graph's symbols, as lectures write it."""
        match self.name:
            case "identity" | "linear":
                return sp.Integer(1)
            case "sigmoid":
                return out * (1 - out)
            case "tanh":
                return 1 - out**2
            case "relu":
                return sp.Heaviside(net, 0)
            case "leaky_relu":
                return sp.Piecewise((1, net > 0), (self.alpha, True))
            case "softplus":
                return 1 / (1 + sp.exp(-net))
            case "abstract":
                return sp.Function(self.function, real=True)(net).diff(net)
        raise ValueError(f"not an elementwise activation: {self.name}")

    # softmax: out_k = exp(net_k) / sum_j exp(net_j)
    def forward_layer(self, nets: list[sp.Symbol]) -> list[sp.Expr]:
        if self.elementwise:
            return [self.forward(n) for n in nets]
        total = sp.Add(*[sp.exp(n) for n in nets])
        return [sp.exp(n) / total for n in nets]

    def partial_layer(self, k: int, j: int, nets: list[sp.Symbol], outs: list[sp.Symbol]) -> sp.Expr:
        """d out_k / d net_j within one layer."""
        if self.elementwise:
            return self.derivative(nets[k], outs[k]) if k == j else sp.Integer(0)
        return outs[k] * (1 - outs[k]) if k == j else -outs[k] * outs[j]


def make(name: str, *, alpha: sp.Rational = sp.Rational(1, 100), function: str = "f") -> Activation:
    return Activation(name="identity" if name == "linear" else name, alpha=alpha, function=function)
