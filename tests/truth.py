"""Independent truths for the engine's gradients (a helper module for the truth tests, not a test module).

Three references that share nothing with derive.py's reverse accumulation:

* symbolic: ``sympy.diff`` of the fully composed error (every net input and output replaced by its
  definition, so the error is an explicit function of inputs, targets and parameters), and a zero test
  that is a real symbolic proof (``symbolic_zero``);
* numeric: central finite differences of the batch loss in mpmath at ``DPS`` significant digits (the
  network's definitions lambdified and applied in graph order), with a step so small that truncation
  (~h²) and rounding (~10^-DPS / h) are both far below 10^-40;
* semantic: ``spec_loss`` evaluates the loss straight from the spec dict (the documented meaning of
  weights, biases, activations, losses and batch_loss) without the network graph at all, so that the
  function the finite differences differentiate is itself checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import mpmath
import sympy as sp

from symbackprop.derive import Derivation
from symbackprop.network import Kind, Network

DPS = 100  # working precision of every mpmath evaluation


# --- numbers -------------------------------------------------------------------------------------

def mp_value(v: Any) -> mpmath.mpf:
    """An exact rational, a SymPy float, or a Python number (0.3 read as 3/10) as an mpf of DPS digits."""
    if isinstance(v, mpmath.mpf):
        return v
    if isinstance(v, int | float | str):
        v = sp.Rational(repr(v)) if isinstance(v, float) else sp.sympify(v)
    v = sp.sympify(v)
    with mpmath.workdps(DPS):
        if v.is_Rational:
            return mpmath.mpf(int(v.p)) / int(v.q)
        if v.is_Float:
            return mpmath.mpf(v._mpf_)
        return mpmath.mpf(str(v.evalf(DPS + 10)))


def agree(a: Any, b: Any, digits: int = 20, atol: Any = None) -> bool:
    """True when a and b agree to `digits` significant digits (or within atol, for values near zero)."""
    with mpmath.workdps(DPS):
        x, y = mp_value(a), mp_value(b)
        scale = max(abs(x), abs(y))
        tol = mpmath.mpf(10) ** (-digits) * scale
        if atol is not None:
            tol = max(tol, mp_value(atol))
        return abs(x - y) <= tol


# --- symbolic truth ------------------------------------------------------------------------------
#
# relu and leaky_relu are linear on each side of their kink. For the symbolic checks every such neuron n
# gets an indicator symbol H_n (1 where net_n > 0, 0 where net_n < 0): its output is written
# (H_n + (1 − H_n)·α)·net_n, and an engine expression's Heaviside(net_n) / Piecewise((a, net_n > 0),
# (b, True)) becomes H_n·a + (1 − H_n)·b. H_n is constant on each region, so sympy.diff of the error so
# composed is the derivative wherever it exists (away from the kinks). Without relu-like layers the
# composition is exactly net.compose.

KINKED = ("relu", "leaky_relu")


def indicator(net: Network, net_symbol: sp.Symbol) -> sp.Symbol:
    return sp.Symbol(f"H_{net.quantities[net_symbol].neuron}", real=True)


def composition(net: Network, perturb: sp.Symbol | None = None, eps: sp.Expr | None = None
                ) -> dict[sp.Symbol, sp.Expr]:
    """Every quantity in the leaves; with `perturb`, eps is added to that net input (for ∂E/∂net)."""
    kinked = {o: (n, 0 if layer.activation.name == "relu" else layer.activation.alpha)
              for layer in net.layers if layer.activation.name in KINKED
              for n, o in zip(layer.nets, layer.outs, strict=True)}
    out: dict[sp.Symbol, sp.Expr] = {}
    for s, q in net.quantities.items():
        if s in kinked:
            n, alpha = kinked[s]
            h = indicator(net, n)
            v = (h + (1 - h) * alpha) * out[n]
        else:
            v = s if q.definition is None else q.definition.xreplace(out)
        if s == perturb:
            v = v + eps
        out[s] = v
    return out


def regionize(net: Network, expr: sp.Expr) -> sp.Expr:
    """Heaviside(net_n) and Piecewise on net_n > 0 (the relu-like derivatives) in terms of H_n."""
    nets = {n for layer in net.layers if layer.activation.name in KINKED for n in layer.nets}

    def heaviside(*args: sp.Expr) -> sp.Expr:
        assert args[0] in nets, args
        return indicator(net, args[0])

    def piecewise(*pairs: tuple[sp.Expr, sp.Basic]) -> sp.Expr:
        (e1, cond), (e2, otherwise) = pairs
        assert otherwise == sp.true and isinstance(cond, sp.StrictGreaterThan) and cond.rhs == 0, pairs
        assert cond.lhs in nets, pairs
        h = indicator(net, cond.lhs)
        return h * e1 + (1 - h) * e2

    return expr.replace(sp.Heaviside, heaviside).replace(sp.Piecewise, piecewise)


def compose(net: Network, expr: sp.Expr, mapping: dict[sp.Symbol, sp.Expr] | None = None) -> sp.Expr:
    """An expression in forward quantities written in the leaves (subs keeps Φ'(net) a valid Subs)."""
    mapping = composition(net) if mapping is None else mapping
    inner = {s: e for s, e in mapping.items() if e != s}
    expr = regionize(net, expr)
    if expr.has(sp.Derivative):
        return expr.subs(inner, simultaneous=True)
    return expr.xreplace(inner)


def composed_error(net: Network) -> sp.Expr:
    """The per-sample error as an explicit expression in inputs, targets and parameters."""
    return composition(net)[net.error]


def sample_values(net: Network, sample: int) -> dict[sp.Symbol, sp.Expr]:
    return dict(net.samples[sample])


def _at_sample(net: Network, expr: sp.Expr, sample: int | None) -> sp.Expr:
    if sample is None:
        return expr
    values = sample_values(net, sample)
    return expr.subs(values) if expr.has(sp.Subs) else expr.xreplace(values)


def batch_error(net: Network) -> sp.Expr:
    """The batch loss of the spec (sum or mean over the samples) as an expression in the parameters."""
    terms = [_at_sample(net, composed_error(net), i) for i in range(len(net.samples))]
    total = sp.Add(*terms)
    return total / len(terms) if net.spec.batch_loss == "mean" else total


def symbolic_gradient(net: Network, param: sp.Symbol, sample: int | None = None) -> sp.Expr:
    """sympy.diff of the composed error of one sample: symbolic in the inputs and targets when sample is None."""
    return sp.diff(_at_sample(net, composed_error(net), sample), param)


def symbolic_batch_gradient(net: Network, param: sp.Symbol) -> sp.Expr:
    """sympy.diff of the batch loss (sum or mean over the spec's samples, as derive.batch does)."""
    return sp.diff(batch_error(net), param)


def delta_closed_forms(d: Derivation) -> dict[sp.Symbol, sp.Expr]:
    """Every δ written in forward quantities only, by substituting the δ's of later layers."""
    closed: dict[sp.Symbol, sp.Expr] = {}
    for term in d.deltas:  # output layer first
        closed[term.delta] = term.expr.xreplace(closed)
    return closed


def engine_gradient(d: Derivation, param: sp.Symbol) -> sp.Expr:
    """The engine's per-sample gradient in forward quantities (its closed form, else its δ form resolved)."""
    p = next(q for q in d.params if q.param == param)
    if p.closed_form is not None:
        return p.closed_form
    return p.delta_form.xreplace(delta_closed_forms(d))


def engine_gradient_composed(net: Network, d: Derivation, param: sp.Symbol, sample: int | None = None) -> sp.Expr:
    """The engine's gradient with every forward quantity replaced by its definition (leaves only)."""
    return _at_sample(net, compose(net, engine_gradient(d, param)), sample)


def engine_delta_composed(net: Network, d: Derivation, neuron: str) -> sp.Expr:
    return compose(net, delta_closed_forms(d)[d.delta(neuron).delta])


EPS = sp.Symbol("epsilon_perturbation", real=True)


def perturbed_error(net: Network, net_symbol: sp.Symbol, eps: sp.Expr = EPS) -> sp.Expr:
    """The composed error when eps is added to one neuron's net input: dE/deps at 0 is that neuron's δ."""
    assert net.quantities[net_symbol].kind is Kind.NET
    return composition(net, net_symbol, eps)[net.error]


def symbolic_delta(net: Network, net_symbol: sp.Symbol) -> sp.Expr:
    """∂E/∂net by sympy.diff with respect to a perturbation of that net input, at perturbation 0."""
    return sp.diff(perturbed_error(net, net_symbol), EPS).subs(EPS, 0)


def normalize(expr: sp.Expr) -> sp.Expr:
    """Rewrite expr as a rational function of algebraically independent generators.

    exp(c·p) becomes s_p**c with one positive symbol per distinct primitive exponent p, so that exp(2x),
    exp(x)·exp(x) and 1/exp(-x) all meet. The replacement is bottom-up, so the exponents are themselves
    normalized. Every rewrite is an identity (s_p = exp(p) > 0), so a zero numerator afterwards proves
    that the original expression is identically zero.
    """
    exps: dict[sp.Expr, sp.Symbol] = {}

    def exponential(arg: sp.Expr) -> sp.Expr:
        c, prim = sp.sympify(arg).as_content_primitive()
        if prim.could_extract_minus_sign():
            c, prim = -c, -prim
        if prim not in exps:
            exps[prim] = sp.Dummy(f"e{len(exps)}", positive=True)
        return exps[prim] ** c

    return expr.replace(sp.exp, exponential)


def symbolic_zero(expr: sp.Expr) -> bool:
    """A proof that expr is identically zero: its normalized numerator expands to the zero polynomial."""
    num, _ = sp.fraction(sp.together(normalize(sp.sympify(expr))))
    return sp.expand(num) == 0


# --- numeric truth -------------------------------------------------------------------------------

class _Graph:
    """The composed error evaluated in mpmath: every definition lambdified once, applied in graph order.

    This is the composition net.compose(net.error) computed without building one huge expression (whose
    size grows like the product of the layer widths); `perturb` adds a number to one net input.
    """

    def __init__(self, net: Network) -> None:
        self.net = net
        self.leaves = [*net.params, *net.inputs, *net.targets]
        self.steps = []
        for s, q in net.quantities.items():
            if q.definition is None:
                continue
            parents = sorted(q.definition.free_symbols, key=lambda x: x.name)
            self.steps.append((s, parents, sp.lambdify(parents, q.definition, modules="mpmath")))

    def __call__(self, *leaves: mpmath.mpf, perturb: tuple[sp.Symbol, mpmath.mpf] | None = None) -> mpmath.mpf:
        env = dict(zip(self.leaves, leaves, strict=True))
        for s, parents, f in self.steps:
            v = f(*[env[p] for p in parents])
            if perturb is not None and s == perturb[0]:
                v = v + perturb[1]
            env[s] = v
        return env[self.net.error]


@lru_cache(maxsize=16)
def _loss_function(net: Network) -> _Graph:
    return _Graph(net)


def _param_args(net: Network, values: Mapping[sp.Symbol, Any] | None) -> list[mpmath.mpf]:
    vals = {**net.values, **(values or {})}
    return [mp_value(vals[s]) for s in net.params]


def _sample_args(net: Network) -> list[list[mpmath.mpf]]:
    return [[mp_value(s[x]) for x in (*net.inputs, *net.targets)] for s in net.samples]


def _batch(net: Network, params: list[mpmath.mpf], samples: list[list[mpmath.mpf]],
           sample: int | None = None) -> mpmath.mpf:
    f = _loss_function(net)
    with mpmath.workdps(DPS):
        if sample is not None:
            return +f(*params, *samples[sample])
        total = mpmath.fsum(f(*params, *s) for s in samples)
        return total / len(samples) if net.spec.batch_loss == "mean" else total


def sample_loss(net: Network, sample: int, values: Mapping[sp.Symbol, Any] | None = None) -> mpmath.mpf:
    """The loss of one sample at the given parameter values (default: the spec's), at DPS digits."""
    return _batch(net, _param_args(net, values), _sample_args(net), sample)


def batch_loss(net: Network, values: Mapping[sp.Symbol, Any] | None = None) -> mpmath.mpf:
    """The batch loss (sum or mean over the samples, per the spec's batch_loss) at DPS digits."""
    return _batch(net, _param_args(net, values), _sample_args(net))


def _step(digits: int) -> mpmath.mpf:
    # DPS = 100: truncation ~ h² = 10^-2(digits+5), rounding ~ 10^-DPS / h = 10^-(DPS-digits-5)
    assert 2 * digits + 10 <= DPS, "raise DPS for more digits"
    with mpmath.workdps(DPS):
        return mpmath.mpf(10) ** (-(digits + 5))


def finite_differences(net: Network, params: Sequence[sp.Symbol] | None = None, digits: int = 40,
                       sample: int | None = None, values: Mapping[sp.Symbol, Any] | None = None
                       ) -> dict[sp.Symbol, mpmath.mpf]:
    """Central differences of the batch loss (or one sample's loss) with respect to each parameter.

    With DPS = 100 digits and h = 10^-(digits+5) the error is below 10^-(digits+10) times the scale of the
    loss and its third derivative: good to far more than `digits` significant digits.
    """
    base = _param_args(net, values)
    samples = _sample_args(net)
    h = _step(digits)
    out = {}
    with mpmath.workdps(DPS):
        for p in (net.params if params is None else params):
            i = net.params.index(p)
            up, down = list(base), list(base)
            up[i] += h
            down[i] -= h
            out[p] = (_batch(net, up, samples, sample) - _batch(net, down, samples, sample)) / (2 * h)
    return out


def finite_difference(net: Network, param: sp.Symbol, digits: int = 40, sample: int | None = None,
                      values: Mapping[sp.Symbol, Any] | None = None) -> mpmath.mpf:
    """Central difference of the batch loss (or of one sample's loss) with respect to one parameter."""
    return finite_differences(net, [param], digits, sample, values)[param]


def delta_finite_difference(net: Network, net_symbol: sp.Symbol, sample: int, digits: int = 40) -> mpmath.mpf:
    """∂E/∂net of one neuron for one sample: central difference in a perturbation added to its net input."""
    f = _loss_function(net)
    h = _step(digits)
    rest = _param_args(net, None) + _sample_args(net)[sample]
    with mpmath.workdps(DPS):
        return (f(*rest, perturb=(net_symbol, h)) - f(*rest, perturb=(net_symbol, -h))) / (2 * h)


# --- the spec's meaning, without the network graph ------------------------------------------------

def _activate(name: str, nets: Sequence[mpmath.mpf], alpha: mpmath.mpf) -> list[mpmath.mpf]:
    match name:
        case "identity" | "linear":
            return list(nets)
        case "sigmoid":
            return [1 / (1 + mpmath.exp(-x)) for x in nets]
        case "tanh":
            return [mpmath.tanh(x) for x in nets]
        case "relu":
            return [x if x > 0 else mpmath.mpf(0) for x in nets]
        case "leaky_relu":
            return [x if x > 0 else alpha * x for x in nets]
        case "softplus":
            return [mpmath.log(1 + mpmath.exp(x)) for x in nets]
        case "softmax":
            exps = [mpmath.exp(x) for x in nets]
            total = mpmath.fsum(exps)
            return [e / total for e in exps]
    raise ValueError(name)


def _loss(name: str, outs: Sequence[mpmath.mpf], targets: Sequence[mpmath.mpf]) -> mpmath.mpf:
    pairs = list(zip(targets, outs, strict=True))
    match name:
        case "half_sse":
            return mpmath.fsum((t - o) ** 2 for t, o in pairs) / 2
        case "sse":
            return mpmath.fsum((t - o) ** 2 for t, o in pairs)
        case "mse":
            return mpmath.fsum((t - o) ** 2 for t, o in pairs) / len(pairs)
        case "binary_cross_entropy" | "bce":
            return -mpmath.fsum(t * mpmath.log(o) + (1 - t) * mpmath.log(1 - o) for t, o in pairs)
        case "categorical_cross_entropy" | "cce" | "cross_entropy":
            return -mpmath.fsum(t * mpmath.log(o) for t, o in pairs)
    raise ValueError(name)


def spec_forward(data: Mapping[str, Any], params: Mapping[str, Any] | None = None
                 ) -> list[tuple[list[list[mpmath.mpf]], mpmath.mpf]]:
    """Per sample: the net inputs of every layer and the loss, computed from the spec dict alone.

    Layers must give their weights as a matrix of names (row r: neuron r; column c: the c-th output of
    the layer before), and bias as None, one shared name, or one name per neuron.
    """
    values = {k: mp_value(v) for k, v in {**data["params"], **(params or {})}.items()}
    samples = data.get("samples") or [{"inputs": data["inputs"], "targets": data["targets"]}]
    result = []
    with mpmath.workdps(DPS):
        for sample in samples:
            a = [mp_value(v) for v in sample["inputs"].values()]
            all_nets = []
            for layer in data["layers"]:
                rows = layer["weights"]
                bias = layer.get("bias")
                biases = [bias] * len(rows) if isinstance(bias, str) else (bias or [None] * len(rows))
                nets = []
                for row, b in zip(rows, biases, strict=True):
                    z = mpmath.fsum(values[w] * x for w, x in zip(row, a, strict=True))
                    nets.append(z + (values[b] if b is not None else 0))
                all_nets.append(nets)
                alpha = mp_value(layer.get("alpha", 0.01))
                a = _activate(layer.get("activation", "sigmoid"), nets, alpha)
            last = data["layers"][-1]
            names = last.get("neurons") or [f"{last['name']}{k + 1}" for k in range(len(a))]
            targets = [mp_value(sample["targets"][n]) for n in names]
            result.append((all_nets, _loss(data.get("loss", "half_sse"), a, targets)))
    return result


def spec_loss(data: Mapping[str, Any], params: Mapping[str, Any] | None = None) -> mpmath.mpf:
    """The batch loss defined by the spec dict (sum or mean of the samples' losses)."""
    losses = [loss for _, loss in spec_forward(data, params)]
    with mpmath.workdps(DPS):
        total = mpmath.fsum(losses)
        return total / len(losses) if data.get("batch_loss", "sum") == "mean" else total


def spec_finite_difference(data: Mapping[str, Any], name: str, digits: int = 40) -> mpmath.mpf:
    """∂(batch loss)/∂(parameter `name`) by a central difference of spec_loss: no network graph involved."""
    h = _step(digits)
    with mpmath.workdps(DPS):
        x = mp_value(data["params"][name])
        up = spec_loss(data, {name: x + h})
        down = spec_loss(data, {name: x - h})
        return (up - down) / (2 * h)


def forward_scale(net: Network, d: Derivation) -> float:
    """The largest magnitude in the forward passes (inputs, parameters, net inputs, outputs), at least 1.

    A double-precision output that is exactly 0 comes out as rounding noise of the terms it sums (≈ 1e-16 of
    this scale, a loss as its square): compiled outputs are compared on this scale, losses on its square."""
    values = [v for f in d.forward for s, v in f.values.items()
              if v is not None and net.quantities[s].kind is not Kind.TARGET and s != net.error]
    return max([1.0, *(abs(float(v)) for v in values)])
