"""Activation functions, one entry each: everything the project knows about one of them lives in its entry.

An entry (`Kind`) owns the forward formula, the derivative in the form lectures write it (sigmoid: out(1 − out),
tanh: 1 − out², so that the chain-rule factors read like the seeds), NumPy-safe forms where SymPy's would not
compile, the PyTorch form for the cross-check, the range of its outputs (which losses may take their
logarithm), and its name as lectures write it in each language. The spec, the numeric code, the cross-check and
the renderers read the entries; adding an activation is one entry here. Tests check each lecture form against
sympy.diff of the forward formula, and the PyTorch form against it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp


@dataclass(frozen=True)
class Activation:
    """One layer's activation: its entry's name and its parameters."""

    name: str
    alpha: sp.Rational = sp.Rational(1, 100)  # leaky_relu slope
    function: str = "f"  # the symbol of an abstract activation
    gain: sp.Rational = sp.Integer(1)  # a sigmoid's slope a: σ(a·net) (WITH_GAIN)

    @property
    def kind(self) -> Kind:
        return KINDS[self.name]

    @property
    def elementwise(self) -> bool:
        return self.kind.elementwise

    def forward(self, net: sp.Expr) -> sp.Expr:
        if not self.elementwise:
            raise ValueError(f"not an elementwise activation: {self.name}")
        return self.kind.forward(net, self)

    def derivative(self, net: sp.Symbol, out: sp.Symbol) -> sp.Expr:
        """d out / d net in the graph's symbols, as lectures write it."""
        if not self.elementwise:
            raise ValueError(f"not an elementwise activation: {self.name}")
        return self.kind.derivative(net, out, self)

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


@dataclass(frozen=True)
class Kind:
    """Everything about one activation function."""

    name: str
    labels: dict[str, str]  # as lectures name it, per language ({f}: an abstract activation's symbol)
    forward: Callable[[sp.Expr, Activation], sp.Expr]  # elementwise: out = f(net)
    derivative: Callable[[sp.Symbol, sp.Symbol, Activation], sp.Expr]  # d out / d net in net and out
    torch: Callable[[Any, Any, Activation], Any] | None  # (torch, net of shape (samples, neurons), act) → out
    aliases: tuple[str, ...] = ()  # other names a spec may use
    written: tuple[str, ...] = ()  # how students write it applied, σ(x), sigmoid(x): the checker reads these
    positive: bool = False  # every output > 0: a cross-entropy's log(o) is defined
    below_one: bool = False  # every output < 1: log(1 − o) is defined too
    elementwise: bool = True  # False: the layer's outputs are coupled (softmax)
    # NumPy-safe forms where the SymPy ones do not compile (a Piecewise composed into another's condition)
    numeric_forward: Callable[[sp.Expr, Activation], sp.Expr] | None = None
    numeric_derivative: Callable[[sp.Symbol, Activation], sp.Expr] | None = None
    # why gradient descent cannot train it (the spec refuses such a layer with this reason); None: it can
    no_gradient: str | None = None


def _no_layer(*_: Any) -> sp.Expr:
    raise ValueError("softmax couples its layer: see Activation.forward_layer and partial_layer")


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("identity", {"en": "identity", "zh": "恒等函数"},
         forward=lambda x, a: x, derivative=lambda n, o, a: sp.Integer(1),
         torch=lambda torch, net, act: net, aliases=("linear",)),
    Kind("sigmoid", {"en": "sigmoid σ", "zh": "Sigmoid 函数 σ"},
         forward=lambda x, a: 1 / (1 + sp.exp(-a.gain * x)), derivative=lambda n, o, a: a.gain * o * (1 - o),
         torch=lambda torch, net, act: torch.sigmoid(float(act.gain) * net), positive=True, below_one=True,
         written=("sigma", "sigmoid", "Sigmoid")),
    Kind("bipolar_sigmoid", {"en": "bipolar sigmoid", "zh": "双极性 Sigmoid 函数"},
         forward=lambda x, a: 2 / (1 + sp.exp(-a.gain * x)) - 1,
         derivative=lambda n, o, a: a.gain * (1 + o) * (1 - o) / 2,
         torch=lambda torch, net, act: 2 * torch.sigmoid(float(act.gain) * net) - 1),
    Kind("tanh", {"en": "tanh", "zh": "双曲正切 tanh"},
         forward=lambda x, a: sp.tanh(x), derivative=lambda n, o, a: 1 - o**2,
         torch=lambda torch, net, act: torch.tanh(net)),
    Kind("relu", {"en": "ReLU", "zh": "ReLU"},
         forward=lambda x, a: sp.Max(0, x), derivative=lambda n, o, a: sp.Heaviside(n, 0),
         torch=lambda torch, net, act: torch.relu(net), written=("relu", "ReLU", "Relu")),
    Kind("leaky_relu", {"en": "leaky ReLU", "zh": "Leaky ReLU"},
         forward=lambda x, a: sp.Piecewise((x, x > 0), (a.alpha * x, True)),
         derivative=lambda n, o, a: sp.Piecewise((1, n > 0), (a.alpha, True)),
         torch=lambda torch, net, act: torch.nn.functional.leaky_relu(net, negative_slope=float(act.alpha)),
         # max(x, αx) and α + (1 − α)·H(x) with H(0) = 0: equal everywhere, also at the kink
         numeric_forward=lambda x, a: sp.Max(x, a.alpha * x) if a.alpha <= 1 else sp.Min(x, a.alpha * x),
         numeric_derivative=lambda n, a: a.alpha + (1 - a.alpha) * sp.Heaviside(n, 0)),
    Kind("softplus", {"en": "softplus", "zh": "Softplus"},
         forward=lambda x, a: sp.log(1 + sp.exp(x)), derivative=lambda n, o, a: 1 / (1 + sp.exp(-n)),
         # log(1 + e^net), without torch.nn.functional.softplus's linear cut-off above net = 20
         torch=lambda torch, net, act: torch.logaddexp(net, torch.zeros_like(net)), positive=True),
    Kind("softsign", {"en": "softsign", "zh": "Softsign"},
         forward=lambda x, a: x / (1 + sp.Abs(x)), derivative=lambda n, o, a: (1 - sp.Abs(o)) ** 2,
         torch=lambda torch, net, act: torch.nn.functional.softsign(net)),
    # Heaviside's step, H(0) = 1 (the perceptron's hard limiter: y = 1 when net ≥ 0). Its derivative is the
    # distributional one sympy.diff gives (δ(net)): 0 at every net input but 0, so every gradient through it is 0
    Kind("step", {"en": "step (Heaviside) function", "zh": "阶跃函数"},
         forward=lambda x, a: sp.Heaviside(x, 1), derivative=lambda n, o, a: sp.DiracDelta(n),
         torch=lambda torch, net, act: (net >= 0).to(net.dtype), aliases=("heaviside",),
         no_gradient="a step (Heaviside) unit's derivative is 0 at every net input except 0, where it does not "
                     "exist, so gradient descent would never change a weight below it; step units learn by the "
                     "perceptron rule Δw = η (t − y) x instead, which is not gradient descent. Expected a "
                     "differentiable activation (sigmoid, bipolar_sigmoid, tanh, ...) to derive or train"),
    Kind("softmax", {"en": "softmax", "zh": "Softmax"}, forward=_no_layer, derivative=_no_layer,
         torch=lambda torch, net, act: torch.softmax(net, dim=1), positive=True, below_one=True,
         elementwise=False),
    Kind("abstract", {"en": "unspecified activation {f}", "zh": "未指定的激活函数 {f}"},
         forward=lambda x, a: sp.Function(a.function, real=True)(x),
         derivative=lambda n, o, a: sp.Function(a.function, real=True)(n).diff(n), torch=None),
)}

#: every name a spec may give (an entry's own and its aliases)
NAMES: dict[str, str] = {n: k.name for k in KINDS.values() for n in (k.name, *k.aliases)}

#: how students write an activation applied → the name the checker gives the function (an entry's first written
#: name), and that name → the entry
WRITTEN: dict[str, str] = {w: k.written[0] for k in KINDS.values() for w in k.written}
APPLIED: dict[str, str] = {k.written[0]: k.name for k in KINDS.values() if k.written}


#: the activations that take a gain a (σ(a·net)): the sigmoids
WITH_GAIN = ("sigmoid", "bipolar_sigmoid")


def make(name: str, *, alpha: sp.Rational = sp.Rational(1, 100), function: str = "f",
         gain: sp.Rational = sp.Integer(1)) -> Activation:
    return Activation(name=NAMES[name], alpha=alpha, function=function, gain=gain)
