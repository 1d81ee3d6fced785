"""The corpus's own truth: every quantity of an answers file computed from the spec TOML alone.

Nothing here imports symbackprop: the spec file is read with tomllib and given its documented meaning
(README, "The spec"): layers with a weight matrix of names (row r = neuron r, column c = the c-th output of
the layer before) or a `size` numbered by the `numbering` rule, one shared bias name / one per neuron / none,
the activations, the losses, several samples with `batch_loss` sum or mean, frozen parameters.

* numeric: the forward pass in mpmath at ``DPS`` digits; every derivative (∂E/∂parameter, a neuron's
  δ = ∂E/∂net, ∂E/∂out) is a central finite difference of that forward pass (a parameter, or a number added
  to one net input / output), never a backward pass; ``step`` applies that many full-batch gradient steps
  p ← p − η·∂E/∂p (frozen parameters kept).
* symbolic: the error composed as one SymPy expression in inputs, targets and parameters, and the quantity
  obtained with ``sympy.diff`` (δ and ∂E/∂out by differentiating with respect to a number added to that
  net input / output, at 0). An answer's formula (SymPy text over the names listed in ``names``) is composed
  the same way and compared: equality by a symbolic proof (``symbolic_zero``), inequality by a value at a
  random point.

Quantities follow the answers format: dE/d<param>, <param>+, E, <neuron> (its output), net_<neuron>,
delta_<neuron>, dE/d<neuron>, dE/dnet_<neuron>. With several samples the loss and the gradients are over the
batch (sum or mean), forward values, δ and ∂E/∂out are those of sample 0 and of its own loss.
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import mpmath
import sympy as sp

from truth import _activate
from truth import symbolic_zero as exp_zero

DPS = 100
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass(frozen=True)
class Layer:
    neurons: tuple[str, ...]
    weights: tuple[tuple[str, ...], ...]  # row r: neuron r; column c: c-th output of the layer before
    biases: tuple[str | None, ...]
    activation: str
    alpha: Fraction  # leaky_relu slope


@dataclass(frozen=True)
class Net:
    """A spec with its layers expanded to names."""

    name: str
    data: Mapping[str, Any]
    inputs: tuple[str, ...]
    layers: tuple[Layer, ...]
    outputs: tuple[str, ...]
    params: tuple[str, ...]
    loss: str
    batch_loss: str
    frozen: frozenset[str]
    target_symbols: Mapping[str, str]  # output neuron → its target's name (symbolic networks)
    lr_name: str

    @property
    def numeric(self) -> bool:
        return bool(self.data.get("params")) and all(p in self.data["params"] for p in self.params) \
            and (isinstance(self.data.get("inputs"), dict) or bool(self.data.get("samples")))

    def neuron(self, name: str) -> tuple[int, int]:
        for li, layer in enumerate(self.layers):
            if name in layer.neurons:
                return li, layer.neurons.index(name)
        raise KeyError(f"{self.name}: no neuron {name!r}; expected one of "
                       f"{', '.join(n for layer in self.layers for n in layer.neurons)}")


def _exact(v: Any) -> Fraction:
    """A spec number as the rational it denotes (0.3 is 3/10)."""
    if isinstance(v, bool):
        raise TypeError(v)
    return Fraction(repr(v)) if isinstance(v, float) else Fraction(v)


@cache
def load_net(spec: str) -> Net:
    path = EXAMPLES / spec
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    inputs = data.get("inputs")
    if inputs is None:
        inputs = data["samples"][0]["inputs"]
    input_names = tuple(inputs) if isinstance(inputs, list) else tuple(inputs.keys())
    numbering = data.get("numbering", "target")
    prev = len(input_names)
    k = 0
    layers = []
    params: list[str] = []
    for spec_layer in data["layers"]:
        if "weights" in spec_layer:
            rows = tuple(tuple(r) for r in spec_layer["weights"])
        else:
            size = spec_layer["size"]
            if numbering == "target":
                rows = tuple(tuple(f"w{k + r * prev + c + 1}" for c in range(prev)) for r in range(size))
            else:  # source: the weights leaving source c are numbered together
                rows = tuple(tuple(f"w{k + c * size + r + 1}" for c in range(prev)) for r in range(size))
            k += size * prev
        size = len(rows)
        neurons = tuple(spec_layer.get("neurons") or [f"{spec_layer['name']}{r + 1}" for r in range(size)])
        bias = spec_layer.get("bias")
        biases = (bias,) * size if isinstance(bias, str) else tuple(bias) if bias else (None,) * size
        layers.append(Layer(neurons, rows, biases, spec_layer.get("activation", "sigmoid"),
                            _exact(spec_layer.get("alpha", 0.01))))
        for name in [w for row in rows for w in row] + [b for b in biases if b]:
            if name not in params:
                params.append(name)
        prev = size
    notation = data.get("notation", {})
    outputs = layers[-1].neurons
    tname = notation.get("target", "t")
    targets = data.get("targets")
    if isinstance(targets, list):
        target_symbols = dict(zip(outputs, targets, strict=True))
    elif len(outputs) == 1:
        target_symbols = {outputs[0]: tname}
    else:
        target_symbols = {o: f"{tname}_{o}" for o in outputs}
    return Net(spec, data, input_names, tuple(layers), outputs, tuple(params), data.get("loss", "half_sse"),
               data.get("batch_loss", "sum"), frozenset(data.get("frozen", [])), target_symbols,
               notation.get("learning_rate", "eta"))


# --- numbers ---------------------------------------------------------------------------------------

def mpf(v: Any) -> mpmath.mpf:
    with mpmath.workdps(DPS):
        if isinstance(v, mpmath.mpf):
            return v
        f = _exact(v) if not isinstance(v, Fraction) else v
        return mpmath.mpf(f.numerator) / f.denominator


def _act(name: str, nets: list[mpmath.mpf], alpha: mpmath.mpf) -> list[mpmath.mpf]:
    """The activations as tests/truth.py evaluates the spec (its own mpmath reading, not the engine's)."""
    return _activate(name, nets, alpha)


def _loss(name: str, outs: list[mpmath.mpf], targets: list[mpmath.mpf]) -> mpmath.mpf:
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
            return -mpmath.fsum(t * mpmath.log(o) for t, o in pairs if t != 0)
    raise ValueError(f"no loss {name!r}")


def samples(net: Net) -> list[tuple[list[mpmath.mpf], dict[str, mpmath.mpf]]]:
    items = net.data.get("samples") or [{"inputs": net.data["inputs"], "targets": net.data["targets"]}]
    return [([mpf(s["inputs"][x]) for x in net.inputs], {o: mpf(s["targets"][o]) for o in net.outputs})
            for s in items]


@dataclass
class Pass:
    nets: dict[str, mpmath.mpf]
    outs: dict[str, mpmath.mpf]
    loss: mpmath.mpf


def forward(net: Net, params: Mapping[str, mpmath.mpf], sample: int = 0,
            perturb: tuple[str, str, mpmath.mpf] | None = None) -> Pass:
    """One sample's forward pass; perturb = ("net"|"out", neuron, h) adds h to that quantity."""
    x, t = samples(net)[sample]
    nets: dict[str, mpmath.mpf] = {}
    outs: dict[str, mpmath.mpf] = {}
    with mpmath.workdps(DPS):
        a = x
        for layer in net.layers:
            z = []
            for n, row, b in zip(layer.neurons, layer.weights, layer.biases, strict=True):
                v = mpmath.fsum(params[w] * ai for w, ai in zip(row, a, strict=True)) + (params[b] if b else 0)
                if perturb and perturb[:2] == ("net", n):
                    v += perturb[2]
                z.append(v)
                nets[n] = v
            a = _act(layer.activation, z, mpf(layer.alpha))
            for i, n in enumerate(layer.neurons):
                if perturb and perturb[:2] == ("out", n):
                    a[i] += perturb[2]
                outs[n] = a[i]
        loss = _loss(net.loss, [outs[o] for o in net.outputs], [t[o] for o in net.outputs])
    return Pass(nets, outs, loss)


def batch_loss(net: Net, params: Mapping[str, mpmath.mpf]) -> mpmath.mpf:
    n = len(samples(net))
    with mpmath.workdps(DPS):
        total = mpmath.fsum(forward(net, params, i).loss for i in range(n))
        return total / n if net.batch_loss == "mean" else total


H = mpmath.mpf(10) ** -40  # central differences at 100 digits: error ~ h² ≈ 1e-80, rounding ~ 1e-60


def _central(f: Callable[[mpmath.mpf], mpmath.mpf]) -> mpmath.mpf:
    with mpmath.workdps(DPS):
        return (f(H) - f(-H)) / (2 * H)


def gradient(net: Net, params: Mapping[str, mpmath.mpf], p: str) -> mpmath.mpf:
    return _central(lambda h: batch_loss(net, {**params, p: params[p] + h}))


@cache
def params_at(spec: str, step: int) -> dict[str, mpmath.mpf]:
    """The parameters after `step` full-batch gradient steps p ← p − η ∂E/∂p (frozen ones kept)."""
    net = load_net(spec)
    if step == 0:
        return {p: mpf(net.data["params"][p]) for p in net.params}
    before = params_at(spec, step - 1)
    eta = mpf(net.data["learning_rate"])
    with mpmath.workdps(DPS):
        return {p: v if p in net.frozen else v - eta * gradient(net, before, p) for p, v in before.items()}


def numeric_value(spec: str, quantity: str, step: int = 0) -> mpmath.mpf:
    """The true value of a quantity of the answers format, at DPS digits."""
    net = load_net(spec)
    ps = params_at(spec, step)
    q = quantity.strip()
    with mpmath.workdps(DPS):
        if m := re.fullmatch(r"dE/dnet_(\w+)", q) or re.fullmatch(r"delta_(\w+)", q):
            n = m.group(1)
            net.neuron(n)
            return _central(lambda h: forward(net, ps, 0, ("net", n, h)).loss)
        if m := re.fullmatch(r"dE/d(\w+)", q):
            name = m.group(1)
            if name in net.params:
                return gradient(net, ps, name)
            net.neuron(name)
            return _central(lambda h: forward(net, ps, 0, ("out", name, h)).loss)
        if m := re.fullmatch(r"(\w+)\+", q):
            p = m.group(1)
            if p not in net.params:
                raise KeyError(f"{spec}: {p!r} is not a parameter")
            if p in net.frozen:
                return ps[p]
            return ps[p] - mpf(net.data["learning_rate"]) * gradient(net, ps, p)
        if q == "E":
            return batch_loss(net, ps)
        if m := re.fullmatch(r"net_(\w+)", q):
            net.neuron(m.group(1))
            return forward(net, ps).nets[m.group(1)]
        net.neuron(q)
        return forward(net, ps).outs[q]


# --- "agrees to the digits written" ----------------------------------------------------------------

NUMBER_RE = re.compile(r"^\s*(-?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$")


def written(value: str) -> tuple[mpmath.mpf, mpmath.mpf, int]:
    """A number as written ("0.0821670", "-8.77e-3"): its value, half a unit of its last digit, and its
    count of significant digits."""
    m = NUMBER_RE.match(value)
    if not m:
        raise ValueError(f"not a decimal number: {value!r}")
    sign, whole, frac, exp = m.groups()
    frac = frac or ""
    e = int(exp or 0)
    with mpmath.workdps(DPS):
        v = mpmath.mpf(f"{sign}{whole}.{frac or '0'}e{e}")
        half = mpmath.mpf(10) ** (e - len(frac)) / 2
    digits = (whole + frac).lstrip("0")
    return v, half, len(digits)


def agrees(value: str, true: mpmath.mpf, tolerance: str | None = None) -> bool:
    """The written number is the true one rounded to its digits (within half a unit of the last digit, a hair
    more for ties), or within an explicit tolerance (hand-rounded intermediates)."""
    v, half, _ = written(value)
    with mpmath.workdps(DPS):
        tol = half * (1 + mpmath.mpf(10) ** -20)
        if tolerance is not None:
            tol = max(tol, written(tolerance)[0])
        return abs(v - true) <= tol


def agrees_after_rounding(value: str, true: mpmath.mpf, tolerance: mpmath.mpf | None = None) -> bool:
    """A right answer's final number: the true value to its digits, allowing for the intermediate numbers
    having been rounded to the same digits (a final sum or product of such numbers can be one unit of the
    last digit off, 0.267976501 + 0.023051272 = 0.291027773 for 0.2910277737), or within an explicit
    tolerance (coarser hand rounding)."""
    v, half, _ = written(value)
    with mpmath.workdps(DPS):
        tol = 2 * half * (1 + mpmath.mpf(10) ** -20)
        if tolerance is not None:
            tol = max(tol, tolerance)
        return abs(v - true) <= tol


# --- symbolic --------------------------------------------------------------------------------------

PHI = sp.Function("Phi")
DPHI = sp.Function("dPhi")
EPS = sp.Symbol("epsilon_corpus")


class Sigmoid(sp.Function):
    """σ(u) = 1/(1 + e^(−u)) kept as a generator, with its derivative σ′ = σ(1 − σ): the composed error is
    then a polynomial in σ(…) atoms and an identity between two such expressions is a polynomial identity."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        u = self.args[0]
        return Sigmoid(u) * (1 - Sigmoid(u))

    def _eval_rewrite_as_exp(self, u: sp.Expr, **kwargs: Any) -> sp.Expr:
        return 1 / (1 + sp.exp(-u))


class Tanh(sp.Function):
    """tanh kept as a generator, with tanh′ = 1 − tanh²."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return 1 - Tanh(self.args[0]) ** 2

    def _eval_rewrite_as_exp(self, u: sp.Expr, **kwargs: Any) -> sp.Expr:
        return (sp.exp(u) - sp.exp(-u)) / (sp.exp(u) + sp.exp(-u))


def _sym_act(name: str, nets: list[sp.Expr], alpha: Fraction) -> list[sp.Expr]:
    match name:
        case "identity" | "linear":
            return list(nets)
        case "sigmoid":
            return [Sigmoid(z) for z in nets]
        case "tanh":
            return [Tanh(z) for z in nets]
        case "softplus":
            return [sp.log(1 + sp.exp(z)) for z in nets]
        case "softmax":
            total = sp.Add(*[sp.exp(z) for z in nets])
            return [sp.exp(z) / total for z in nets]
        case "abstract":
            return [PHI(z) for z in nets]
    raise ValueError(f"no symbolic activation {name!r}")


def sym_loss(name: str, outs: list[sp.Expr], targets: list[sp.Expr]) -> sp.Expr:
    pairs = list(zip(targets, outs, strict=True))
    match name:
        case "half_sse":
            return sp.Add(*[(t - o) ** 2 for t, o in pairs]) / 2
        case "sse":
            return sp.Add(*[(t - o) ** 2 for t, o in pairs])
        case "mse":
            return sp.Add(*[(t - o) ** 2 for t, o in pairs]) / len(pairs)
        case "binary_cross_entropy" | "bce":
            return -sp.Add(*[t * sp.log(o) + (1 - t) * sp.log(1 - o) for t, o in pairs])
        case "categorical_cross_entropy" | "cce" | "cross_entropy":
            return -sp.Add(*[t * sp.log(o) for t, o in pairs])
    raise ValueError(f"no loss {name!r}")


@dataclass(frozen=True)
class Composed:
    error: sp.Expr  # in leaves; EPS added where asked
    forward: Mapping[str, sp.Expr]  # "net_<n>" / "out_<n>" → in leaves


def _compose(net: Net, perturb: tuple[str, str] | None = None) -> Composed:
    S = sp.Symbol
    a: list[sp.Expr] = [S(x) for x in net.inputs]
    fwd: dict[str, sp.Expr] = {}
    for layer in net.layers:
        z = []
        for n, row, b in zip(layer.neurons, layer.weights, layer.biases, strict=True):
            v = sp.Add(*[S(w) * ai for w, ai in zip(row, a, strict=True)]) + (S(b) if b else 0)
            if perturb == ("net", n):
                v += EPS
            z.append(v)
            fwd[f"net_{n}"] = v
        a = _sym_act(layer.activation, z, layer.alpha)
        for i, n in enumerate(layer.neurons):
            if perturb == ("out", n):
                a[i] += EPS
            fwd[f"out_{n}"] = a[i]
    error = sym_loss(net.loss, [fwd[f"out_{o}"] for o in net.outputs],
                      [S(net.target_symbols[o]) for o in net.outputs])
    return Composed(error, fwd)


def names(net: Net) -> dict[str, Any]:
    """The names a formula (`expr`) may use: inputs, targets, parameters, the learning rate, net_<n> and
    out_<n> for every neuron (and <n> alone for its output, where that is no other name), Phi and dPhi
    (its derivative; Derivative(Phi(net_h1), net_h1) and diff(…) work too) for an abstract activation,
    exp/log/tanh."""
    S = sp.Symbol
    table: dict[str, Any] = {x: S(x) for x in (*net.inputs, *net.params, *net.target_symbols.values(),
                                               net.lr_name)}
    for layer in net.layers:
        for n in layer.neurons:
            table[f"net_{n}"] = S(f"net_{n}")
            table[f"out_{n}"] = S(f"out_{n}")
            table.setdefault(n, S(f"out_{n}"))
    table.update(Phi=PHI, dPhi=DPHI, exp=sp.exp, log=sp.log, tanh=sp.tanh, Rational=sp.Rational,
                 Derivative=sp.Derivative, diff=sp.diff)
    return table


def _dphi(expr: sp.Expr) -> sp.Expr:
    """Φ′ as the function dPhi: Subs(Derivative(Phi(ξ), ξ), ξ, u) and Derivative(Phi(u), u) → dPhi(u)."""
    def is_subs(e: sp.Basic) -> bool:
        return isinstance(e, sp.Subs) and isinstance(e.expr, sp.Derivative) and e.expr.expr.func == PHI

    expr = expr.replace(is_subs, lambda e: DPHI(e.point[0]))

    def is_derivative(e: sp.Basic) -> bool:
        return isinstance(e, sp.Derivative) and e.expr.func == PHI and e.variables == e.expr.args

    return expr.replace(is_derivative, lambda e: DPHI(e.expr.args[0]))


@cache
def symbolic_quantity(spec: str, quantity: str) -> sp.Expr:
    """The quantity as an expression in the leaves (inputs, targets, parameters, learning rate), by
    sympy.diff of the composed error."""
    net = load_net(spec)
    q = quantity.strip()
    base = _compose(net)
    if m := re.fullmatch(r"dE/dnet_(\w+)", q) or re.fullmatch(r"delta_(\w+)", q):
        net.neuron(m.group(1))
        e = _compose(net, ("net", m.group(1))).error
        return _dphi(sp.diff(e, EPS).subs(EPS, 0))
    if m := re.fullmatch(r"dE/d(\w+)", q):
        name = m.group(1)
        if name in net.params:
            return _dphi(sp.diff(base.error, sp.Symbol(name)))
        net.neuron(name)
        e = _compose(net, ("out", name)).error
        return _dphi(sp.diff(e, EPS).subs(EPS, 0))
    if m := re.fullmatch(r"(\w+)\+", q):
        p = m.group(1)
        if p not in net.params:
            raise KeyError(f"{spec}: {p!r} is not a parameter")
        if p in net.frozen:
            return sp.Symbol(p)
        return sp.Symbol(p) - sp.Symbol(net.lr_name) * _dphi(sp.diff(base.error, sp.Symbol(p)))
    if q == "E":
        return base.error
    if m := re.fullmatch(r"net_(\w+)", q):
        net.neuron(m.group(1))
        return base.forward[q]
    net.neuron(q)
    return base.forward[f"out_{q}"]


def compose_formula(spec: str, text: str) -> sp.Expr:
    """A formula in the names of `names(net)` with every net_/out_ replaced by its composition."""
    net = load_net(spec)
    table = names(net)
    expr = sp.sympify(text, locals=table)
    unknown = {s.name for s in expr.free_symbols} - {v.name for v in table.values() if isinstance(v, sp.Symbol)}
    if unknown:
        raise ValueError(f"{spec}: unknown names in {text!r}: {', '.join(sorted(unknown))}")
    # a derivative written in the formula (diff(Phi(net_h1), net_h1), Derivative((d - y)**2/2, y)) is taken
    # in the formula's own names first; what stays unevaluated is Φ′, written dPhi from here on
    expr = _dphi(expr.doit())
    fwd = {sp.Symbol(k): v for k, v in _compose(net).forward.items()}
    return expr.xreplace(fwd)


def _numerator_vanishes(expr: sp.Expr) -> bool:
    num, _ = sp.fraction(sp.together(expr))
    return sp.expand(num) == 0


def symbolic_zero(expr: sp.Expr) -> bool:
    """A proof that expr vanishes identically. First as a rational function of the atoms σ(u), tanh(u), Φ(u),
    dPhi(u) (the composed quantities are built from these, with σ′ = σ(1 − σ) and tanh′ = 1 − tanh²); a
    formula written with exp is then rewritten: σ and tanh as exponentials, exp(c·p) as s_p**c."""
    if _numerator_vanishes(expr):
        return True
    if not expr.has(sp.exp):
        return False
    rewritten = expr.replace(Sigmoid, lambda u: 1 / (1 + sp.exp(-u))).replace(
        Tanh, lambda u: (sp.exp(2 * u) - 1) / (sp.exp(2 * u) + 1))
    return exp_zero(rewritten)  # tests/truth.py: exp(c·p) as s_p**c, then the numerator


def differs_somewhere(expr: sp.Expr, seed: int = 0, tries: int = 5) -> bool:
    """A witness that expr is not identically zero: a random rational point (Φ a fixed smooth function, dPhi
    its derivative) where its value is clearly nonzero."""
    rng = random.Random(seed)
    x = sp.Symbol("x_phi")
    concrete = expr.replace(PHI, sp.Lambda(x, sp.sin(x) + x**2 / 3 + sp.Rational(1, 7))).replace(
        DPHI, sp.Lambda(x, sp.cos(x) + 2 * x / 3)).replace(
        Sigmoid, sp.Lambda(x, 1 / (1 + sp.exp(-x)))).replace(Tanh, sp.Lambda(x, sp.tanh(x)))
    for _ in range(tries):
        point = {s: sp.Rational(rng.randint(-900, 900), 1000) for s in concrete.free_symbols}
        v = sp.N(concrete.xreplace(point), 50)
        if v.is_number and abs(v) > sp.Float("1e-20"):
            return True
    return False


def at_spec_numbers(spec: str, expr: sp.Expr) -> mpmath.mpf:
    """A composed expression evaluated at the spec's numbers (sample 0, step 0), σ and tanh made concrete."""
    net = load_net(spec)
    data = net.data
    first = (data.get("samples") or [data])[0]
    leaves = {**data["params"], **first["inputs"],
              **{net.target_symbols[o]: v for o, v in first["targets"].items()}}
    if "learning_rate" in data:
        leaves[net.lr_name] = data["learning_rate"]
    point = {sp.Symbol(k): sp.Rational(str(_exact(v))) for k, v in leaves.items()}
    x = sp.Symbol("x_act")
    concrete = expr.replace(Sigmoid, sp.Lambda(x, 1 / (1 + sp.exp(-x)))).replace(Tanh, sp.Lambda(x, sp.tanh(x)))
    with mpmath.workdps(DPS):
        return mpmath.mpf(str(sp.N(concrete.xreplace(point), DPS)))


def formula_is(spec: str, formula: str, quantity: str) -> bool:
    """Is the formula (SymPy syntax over the spec's names) the quantity? sympy.diff of the composed error decides."""
    return symbolic_zero(compose_formula(spec, formula) - symbolic_quantity(spec, quantity))


def value_text(spec: str, quantity: str, digits: int, step: int = 0) -> str:
    """The quantity's true value written with `digits` significant digits (as a student writes it)."""
    return mpmath.nstr(numeric_value(spec, quantity, step), digits)
