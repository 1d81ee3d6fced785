"""Reverse accumulation over the network graph, recorded as plain data for renderers and the checker.

For every quantity q, ∂E/∂q = Σ over the children c of q of ∂E/∂c · ∂c/∂q. The error term of a neuron,
δ = ∂E/∂net, is named and reused by the layer before — never re-derived — so the work is linear in the
size of the network. Path sums (the lectures' fully expanded chain rule) and closed forms are produced
only while they stay short (`max_paths`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import sympy as sp
from sympy.core.function import AppliedUndef

from . import jupyter
from .errors import SpecError
from .layers import KINDS, biases
from .limits import MAX_DERIVED, MAX_PARAMETERS
from .losses import matching_activation
from .network import Layer, Network, symbol

PREC = 50  # significant digits of every non-rational number kept internally
EXACT_DIGITS = 100  # an exact rational with more digits than this continues at PREC digits

Value: TypeAlias = sp.Expr | None  # an exact rational or a PREC-digit float; None where the value is symbolic
Values: TypeAlias = tuple[Value, ...]  # one per training sample


def evaluate(expr: sp.Expr, values: Mapping[sp.Symbol, sp.Expr]) -> Value:
    """Exact where the arithmetic stays rational, else PREC significant digits; None if symbolic."""
    v = expr.subs(values) if expr.has(sp.Derivative) else expr.xreplace(values)
    if v.free_symbols or v.atoms(AppliedUndef) or v.has(sp.Subs, sp.Derivative):
        return None
    if v.is_Rational:
        return v
    v = v.evalf(PREC)
    return v if v.is_number and v.is_finite is not False and v is not sp.nan else None  # ln 0 is no value


def delta_symbol(neuron: str) -> sp.Symbol:
    return symbol(f"delta_{neuron}")


@dataclass(frozen=True)
class Factor:
    """One local partial derivative ∂of/∂wrt, in the graph's symbols, with its value per sample."""

    of: sp.Symbol
    wrt: sp.Symbol
    expr: sp.Expr
    values: Values


@dataclass(frozen=True)
class Link:
    """How ∂E/∂out reaches a neuron's output from one child: ∂E/∂child · ∂child/∂out."""

    child: sp.Symbol  # the loss E, or the net input of a neuron in the next layer
    adjoint: sp.Expr  # 1 for the loss, else the child's δ symbol
    local: Factor


@dataclass(frozen=True)
class OutputGrad:
    """∂E/∂out_k (as a sum over the links) times ∂out_k/∂net of the neuron whose δ is being formed."""

    out: sp.Symbol
    grad: sp.Expr  # ∂E/∂out_k in δ symbols (hidden) or the loss partial (output layer)
    links: tuple[Link, ...]
    grad_values: Values
    activation: Factor  # ∂out_k/∂net


@dataclass(frozen=True)
class ErrorTerm:
    """δ_n = ∂E/∂net_n of one neuron."""

    neuron: str
    layer: int
    delta: sp.Symbol
    net: sp.Symbol
    out: sp.Symbol
    terms: tuple[OutputGrad, ...]  # one for an elementwise activation, the whole layer for softmax
    expr: sp.Expr  # in the δ's of the next layer and forward quantities
    closed_form: sp.Expr | None  # in forward quantities only (no δ), while short
    simplified: sp.Expr | None  # a simpler equal form (o − t for matching loss and activation)
    assuming: tuple[sp.Eq, sp.Expr] | None  # a still simpler form valid under a condition (Σ t = 1)
    values: Values


@dataclass(frozen=True)
class Use:
    """One place a parameter enters: the net input of a neuron."""

    net: sp.Symbol
    neuron: str
    delta: sp.Symbol
    local: Factor  # ∂net/∂param


@dataclass(frozen=True)
class Path:
    """One path from the error down to a parameter: the product of its factors."""

    factors: tuple[Factor, ...]
    values: Values


@dataclass(frozen=True)
class ParamDerivation:
    param: sp.Symbol
    name: str
    kind: str  # "weight" or "bias"
    layer: int
    uses: tuple[Use, ...]
    path_count: int
    paths: tuple[Path, ...] | None  # None when there are more than max_paths
    delta_form: sp.Expr  # Σ δ_n ∂net_n/∂param
    closed_form: sp.Expr | None  # in forward quantities; None when there are more than max_paths paths
    gradients: Values  # per sample
    gradient: Value  # over the batch (sum or mean of the samples)
    frozen: bool
    value: Value
    updated: Value  # value − η·gradient (the value itself when frozen)


@dataclass(frozen=True)
class Forward:
    """The value of every quantity for one sample."""

    values: Mapping[sp.Symbol, Value]
    loss: Value


@dataclass(frozen=True)
class LayerMatrix:
    """Seed 002's matrix form of one layer: δ = (Wᵀ_next δ_next) ⊙ f'(z), ∂E/∂W = δ a_prevᵀ."""

    layer: int
    name: str
    W: sp.Matrix
    a_prev: sp.Matrix
    z: sp.Matrix
    a: sp.Matrix
    fprime: sp.Matrix  # diagonal of ∂a/∂z (column), or the Jacobian for softmax
    upstream: sp.Matrix  # ∇_a E: the loss gradient (output layer) or W_nextᵀ δ_next
    delta: sp.Matrix
    grad_W: sp.Matrix  # δ a_prevᵀ, in symbols
    grad_b: sp.Matrix | None
    elementwise: bool
    values: tuple[Mapping[str, sp.Matrix | None], ...]  # per sample: the same names, evaluated


@dataclass(frozen=True)
class Derivation:
    network: Network
    forward: tuple[Forward, ...]
    loss: Value  # over the batch
    deltas: tuple[ErrorTerm, ...]  # output layer first
    params: tuple[ParamDerivation, ...]  # in the network's parameter order
    matrices: tuple[LayerMatrix, ...]
    after: tuple[Forward, ...] | None  # forward pass with the updated parameters
    loss_after: Value
    max_paths: int

    def param(self, name: str) -> ParamDerivation:
        return next(p for p in self.params if p.name == name)

    def delta(self, neuron_or_symbol: str | sp.Symbol) -> ErrorTerm:
        return next(d for d in self.deltas if neuron_or_symbol in (d.neuron, d.delta, d.net, d.out))

    def markdown(self, lang: str = "en", **options: Any) -> str:
        """The derivation as a Markdown lecture (options as `render`: mul, rounded, form, iterations; full=True for
        every parameter's derivation, show=["w5", "w1"] for the parameters worked in full)."""
        return jupyter.markdown(self, lang=lang, **options)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    @property
    def gradients(self) -> dict[str, Value]:
        return {p.name: p.gradient for p in self.params}

    @property
    def updated(self) -> dict[str, Value]:
        return {p.name: p.updated for p in self.params}


# --- the derivation ------------------------------------------------------------------------------

def forward_pass(network: Network, params: Mapping[sp.Symbol, sp.Expr] | None = None) -> tuple[Forward, ...]:
    """Evaluate every quantity for every sample (exact or at PREC digits)."""
    base = dict(network.values if params is None else params)
    result = []
    for sample in network.samples:
        vals: dict[sp.Symbol, sp.Expr] = {**base, **sample}
        out: dict[sp.Symbol, Value] = {}
        for s, q in network.quantities.items():
            if q.definition is None:
                v: Value = vals.get(s)
            else:
                v = evaluate(q.definition, vals)
            out[s] = v
            if v is not None:
                vals[s] = v
        result.append(Forward(out, out[network.error]))
    return tuple(result)


def batch(network: Network, values: Sequence[Value]) -> Value:
    if any(v is None for v in values):
        return None
    total = sp.Add(*values)
    return total / len(values) if network.spec.batch_loss == "mean" else total


def upstream(d: Derivation, sample: int = 0) -> dict[sp.Symbol, tuple[sp.Expr, Value]]:
    """∂E/∂q of one sample for every neuron's output and every input (micrograd's and CS231n's x.grad): the sum
    over the net inputs (or the loss) that use q of their δ (1 for the loss) times ∂net/∂q, in the δ symbols, and
    its value. The δ's are reused, never re-expanded."""
    net = d.network
    env = {**net.values, **net.samples[sample], **{s: v for s, v in d.forward[sample].values.items()
                                                     if v is not None}}
    g: dict[sp.Symbol, tuple[sp.Expr, Value]] = {net.error: (sp.Integer(1), sp.Integer(1))}
    g.update({t.net: (t.delta, t.values[sample]) for t in d.deltas})
    out: dict[sp.Symbol, tuple[sp.Expr, Value]] = {}
    wanted = [*net.inputs, *(o for layer in net.layers for o in layer.outs)]
    for q in reversed(wanted):  # the last layer first: a skip reads a later output's ∂E/∂out (with ∂out/∂q = 1)
        uses = [(c, net.quantities[c].partials[q]) for c in net.children.get(q, []) if c in g]
        expr = sp.Add(*[g[c][0] * local for c, local in uses])
        values = [g[c][1] for c, _ in uses]
        value = None if any(v is None for v in values) else evaluate(
            sp.Add(*[sp.Mul(v, local) for v, (_, local) in zip(values, uses, strict=True)]), env)
        out[q] = (expr, value)
        g.setdefault(q, (expr, value))
    return {q: out[q] for q in wanted}


def derive(network: Network, max_paths: int | None = None) -> Derivation:
    """Every parameter's derivation, every neuron's δ and the matrix form, with numbers per sample."""
    if network.spec.training.rule == "perceptron":  # step units: ∂E/∂w is 0 wherever it exists
        raise SpecError("[training] rule = \"perceptron\" is not gradient descent (a step unit's derivative is 0): "
                        "perceptron.learn(network) runs the rule", key="training.rule", source=network.spec.source)
    size = len(network.params) * len(network.samples)
    if size > MAX_DERIVED:
        raise SpecError(f"a derivation of {len(network.params)} parameters × {len(network.samples)} samples; the limit "
                        f"is {MAX_DERIVED} (about 400 MB of formulas): train and compile_network take networks up to "
                        f"{MAX_PARAMETERS} parameters", key="layers", source=network.spec.source)
    return _Deriver(network, max_paths if max_paths is not None else network.spec.display.max_paths).run()


class _Deriver:
    def __init__(self, network: Network, max_paths: int) -> None:
        self.net = network
        self.max_paths = max_paths
        self.forward = forward_pass(network)
        # numeric environment per sample: leaves, forward values, then δ values as they are found
        self.env: list[dict[sp.Symbol, sp.Expr]] = []
        for f in self.forward:
            self.env.append({s: v for s, v in f.values.items() if v is not None}
                            | {s: v for s, v in network.values.items()})
        self.factors: dict[tuple[sp.Symbol, sp.Symbol], Factor] = {}
        self.delta_of: dict[sp.Symbol, sp.Symbol] = {}  # net symbol -> δ symbol
        self.adjoint: dict[sp.Symbol, sp.Expr] = {network.error: sp.Integer(1)}
        self.closed: dict[sp.Symbol, sp.Expr] = {}  # δ symbol -> closed form
        self.paths_to: dict[sp.Symbol, int] = {network.error: 1}

    def values(self, expr: sp.Expr) -> Values:
        return tuple(evaluate(expr, env) for env in self.env)

    def factor(self, of: sp.Symbol, wrt: sp.Symbol) -> Factor:
        key = (of, wrt)
        if key not in self.factors:
            expr = self.net.quantities[of].partials[wrt]
            self.factors[key] = Factor(of, wrt, expr, self.values(expr))
        return self.factors[key]

    def run(self) -> Derivation:
        net = self.net
        order = list(net.quantities)
        for s in reversed(order):
            if s != net.error:
                self.paths_to[s] = sum(self.paths_to[c] for c in net.children[s])
        deltas: list[ErrorTerm] = []
        for layer in reversed(net.layers):
            for r in range(len(KINDS[layer.kind].error_nodes(layer))):
                deltas.append(self.error_term(layer, r))
        params = [self.param(p) for p in net.params]
        loss = batch(net, [f.loss for f in self.forward])
        after, loss_after = None, None
        updated = {p.param: p.updated for p in params}
        if all(v is not None for v in updated.values()):
            after = forward_pass(net, {**net.values, **{k: v for k, v in updated.items() if v is not None}})
            loss_after = batch(net, [f.loss for f in after])
        # per-neuron activations, a missing connection or a skip make δ = (Wᵀδ) ⊙ f′(z) false for the network:
        # no matrix form at all, the parameter-by-parameter chains stay
        matrices = tuple(self.matrix(layer, li) for li, layer in enumerate(net.layers)) if all(
            layer.regular for layer in net.layers) else ()
        return Derivation(net, self.forward, loss, tuple(deltas), tuple(params), matrices, after, loss_after,
                          self.max_paths)

    def error_term(self, layer: Layer, r: int) -> ErrorTerm:
        net = self.net
        n, o = layer.nets[r], layer.outs[r]
        terms = []
        for out in net.children[n]:  # the outputs that depend on this net input
            links = tuple(Link(c, self.adjoint[c], self.factor(c, out)) for c in net.children[out])
            grad = sp.Add(*[link.adjoint * link.local.expr for link in links])
            self.adjoint[out] = grad
            terms.append(OutputGrad(out, grad, links, self.values(grad), self.factor(out, n)))
        expr = sp.Add(*[t.grad * t.activation.expr for t in terms])
        d = delta_symbol(layer.neurons[r])
        self.delta_of[n] = d
        self.adjoint[n] = d
        values = self.values(expr)
        for env, v in zip(self.env, values, strict=True):
            if v is not None:
                env[d] = v
        closed = None
        if self.paths_to[n] <= self.max_paths:
            closed = expr.xreplace(self.closed)
            self.closed[d] = closed
        simplified, assuming = self.simplify(layer, r, expr)
        return ErrorTerm(layer.neurons[r], layer.index, d, n, o, tuple(terms), expr, closed, simplified,
                         assuming, values)

    def simplify(self, layer: Layer, r: int, expr: sp.Expr) -> tuple[sp.Expr | None, tuple[sp.Eq, sp.Expr] | None]:
        """For the output layer with the loss's matching activation, show the cancellation to o − t."""
        net = self.net
        if (layer is not net.layers[-1] or matching_activation(net.loss_name) != layer.activation.name
                or layer.activation.gain != 1 or layer.per_neuron or layer.skip):
            return None, None
        simple = sp.expand(sp.cancel(sp.together(expr)))
        if layer.activation.elementwise:
            return simple, None
        # softmax with cross-entropy: δ_r = o_r Σ_k t_k − t_r, which is o_r − t_r when the targets sum to 1;
        # eliminate a target other than t_r so that the condition's use is visible and exact
        others = [t for k, t in enumerate(net.targets) if k != r]
        rest = [t for t in net.targets if t != others[0]]
        given = sp.expand(simple.xreplace({others[0]: 1 - sp.Add(*rest)}))
        return sp.collect(simple, layer.outs), (sp.Eq(sp.Add(*net.targets), 1), given)

    def param(self, p: sp.Symbol) -> ParamDerivation:
        net = self.net
        q = net.quantities[p]
        uses = tuple(Use(c, net.quantities[c].neuron or "", self.delta_of[c], self.factor(c, p))
                     for c in net.children[p])
        delta_form = sp.Add(*[u.delta * u.local.expr for u in uses])
        count = self.paths_to[p]
        paths, closed = None, None
        if count <= self.max_paths:
            paths = tuple(Path(fs, self.product(fs)) for fs in self.enumerate(p))
            closed = delta_form.xreplace(self.closed)
        gradients = self.values(delta_form)
        gradient = batch(net, gradients)
        value = net.values.get(p)
        frozen = p in net.frozen
        eta = net.values.get(net.learning_rate)
        if frozen:
            updated = value
        elif value is None or gradient is None or eta is None:
            updated = None
        else:
            updated = _exact_or_float(value - eta * gradient)
        is_bias = any(p in biases(layer) for layer in net.layers)
        return ParamDerivation(p, q.name, "bias" if is_bias else "weight", q.layer or 0, uses, count, paths,
                               delta_form, closed, gradients, gradient, frozen, value, updated)

    def enumerate(self, q: sp.Symbol) -> list[tuple[Factor, ...]]:
        """Every path from the error down to q, as factors listed from the error downwards."""
        return [tuple(self.factor(of, wrt) for of, wrt in path) for path in self.net.paths(q)]

    def product(self, factors: tuple[Factor, ...]) -> Values:
        out = []
        for i in range(len(self.env)):
            vals = [f.values[i] for f in factors]
            out.append(None if any(v is None for v in vals) else _exact_or_float(sp.Mul(*vals)))
        return tuple(out)

    def matrix(self, layer: Layer, li: int) -> LayerMatrix:
        """The layer's kind writes its matrix form; ∇_out E comes from the loss or from the kind of the layer above."""
        net = self.net
        if li == len(net.layers) - 1:
            upstream = sp.Matrix([net.quantities[net.error].partials[o] for o in layer.outs])
        else:
            nxt = net.layers[li + 1]
            upstream = KINDS[nxt.kind].sent_back(nxt, self.delta_of)
        shapes = KINDS[layer.kind].matrix(layer, net.quantities, self.delta_of, upstream)
        per_sample = []
        for env in self.env:
            vals: dict[str, sp.Matrix | None] = {}
            for k, m in shapes.items():
                entries = [evaluate(e, env) for e in m]
                vals[k] = None if any(e is None for e in entries) else sp.Matrix(m.rows, m.cols, entries)
            per_sample.append(vals)
        return LayerMatrix(layer.index, layer.name, shapes["W"], shapes["a_prev"], shapes["z"], shapes["a"],
                           shapes["fprime"], upstream, shapes["delta"], shapes["grad_W"], shapes.get("grad_b"),
                           layer.activation.elementwise, tuple(per_sample))


def next_step(network: Network) -> Network:
    """The network after one full-batch gradient step, exact while it stays short: exact fractions triple
    their digits every step (seed 002), so a rational past EXACT_DIGITS digits continues at PREC digits."""
    updated = {p.param: p.updated for p in derive(network, max_paths=0).params}  # no path sums: values only
    if any(v is None for v in updated.values()):
        raise SpecError("a symbolic network has no values after a gradient step", key="step")
    return network.with_values({s: _bounded(v) for s, v in updated.items() if v is not None})


def _bounded(v: sp.Expr) -> sp.Expr:
    if v.is_Rational and max(abs(int(v.p)), int(v.q)).bit_length() > EXACT_DIGITS * 3.33:
        return sp.Float(v, PREC)
    return v


def _exact_or_float(v: sp.Expr) -> sp.Expr:
    return v if v.is_Rational else sp.Float(v, PREC)
