"""What a student's derivation is judged against: the network's quantities, exact, at a training step.

A quantity named in an answers file ("dE/dw5", "w5+", "E", "h1", "net_h1", "delta_h1") becomes a
`Target`: its expression in the network's symbols and its exact value. Any ∂A/∂B a student writes is the
derivative through the graph (`partial`), the sum over A's parents of local partial × ∂parent/∂B.
Several samples: the quantities of sample k ≥ 2 are copies of the network's symbols (`out_h1⁽²⁾`), so that a
student's per-sample lines (δ^{(2)}, L^{(2)}) have a meaning; the loss and the gradients are over the batch
(the sum or mean of the copies), everything else is sample 1's.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import sympy as sp

from ..derive import Derivation, ErrorTerm, delta_symbol, derive, evaluate, next_step
from ..network import Kind, Network
from .catalogue import quantity_error


class Point(dict[sp.Symbol, sp.Expr]):
    """A point: every leaf, forward quantity and δ with its value there. What a formula is worth at the point is
    remembered: the checker evaluates the same truths, factors and variants at the same few points thousands of
    times. (Built once and never changed after: a changed point would keep stale values.)"""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[sp.Symbol, sp.Expr]) -> None:
        super().__init__(values)
        self._values: dict[sp.Expr, sp.Expr | None] = {}

    def value(self, expr: sp.Expr) -> sp.Expr | None:
        try:
            return self._values[expr]
        except KeyError:
            v = self._values[expr] = evaluate(expr, self)
            return v


def value_at(expr: sp.Expr, env: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr | None:
    """expr's value at env, remembered where env is a Point."""
    return env.value(expr) if isinstance(env, Point) else evaluate(expr, env)


@dataclass(frozen=True)
class Target:
    """The true meaning of an answer: an expression in the network's symbols and its value."""

    quantity: str
    expr: sp.Expr  # in forward quantities, parameters, δ symbols (per neuron)
    value: sp.Expr | None  # exact (or 50 digits); None for a symbolic network
    kind: str  # "gradient", "update", "loss", "out", "net", "delta"
    param: sp.Symbol | None = None
    net: sp.Symbol | None = None  # the neuron's net input, for a δ
    wrt: sp.Symbol | None = None  # the node of a "partial" (∂E/∂out_h1: out_h1)


@dataclass
class Truth:
    """One network at one training step, with everything a judge needs to evaluate."""

    network: Network
    derivation: Derivation
    step: int = 0
    _partials: dict[tuple[sp.Symbol, sp.Symbol], sp.Expr] = field(default_factory=dict)
    _random: dict[int, Point] = field(default_factory=dict)

    @classmethod
    def at_step(cls, network: Network, step: int = 0) -> Truth:
        """The network after `step` full-batch gradient steps (exact arithmetic)."""
        for _ in range(step):
            network = next_step(network)
        return cls(network, derive(network), step)

    # -- the graph --------------------------------------------------------------------------------

    @cached_property
    def deltas(self) -> dict[sp.Symbol, sp.Expr]:
        """δ symbol → its expression in the δ's of the next layer (derive.py's), for every sample's copies."""
        out = {t.delta: t.expr for t in self.derivation.deltas}
        for m in self.copies[1:]:
            out.update({m[t.delta]: t.expr.xreplace(m) for t in self.derivation.deltas})
        return out

    # -- several samples ----------------------------------------------------------------------------

    @cached_property
    def copies(self) -> tuple[dict[sp.Symbol, sp.Symbol], ...]:
        """Per sample, the symbol of each per-sample quantity (inputs, targets, forward values, δ's, loss):
        the network's own for the first sample, `name⁽k⁾` for sample k."""
        net = self.network
        varying = [q for q, info in net.quantities.items() if info.kind is not Kind.PARAM]
        varying += [t.delta for t in self.derivation.deltas]
        out: list[dict[sp.Symbol, sp.Symbol]] = [{q: q for q in varying}]
        for k in range(2, len(net.samples) + 1):
            out.append({q: sp.Symbol(f"{q.name}⁽{k}⁾", **q.assumptions0) for q in varying})
        return tuple(out)

    def batch(self, per_sample: sp.Expr) -> sp.Expr:
        """A per-sample expression (in sample 1's symbols) over the batch: the sum or mean of its copies."""
        if len(self.copies) == 1:
            return per_sample
        total = sp.Add(*[per_sample.xreplace(m) for m in self.copies])
        return total / len(self.copies) if self.network.spec.batch_loss == "mean" else total

    def in_sample(self, e: sp.Expr, k: int) -> sp.Expr | None:
        """e (in sample 1's symbols) for sample k (1-based), or None when there is no such sample."""
        return e.xreplace(self.copies[k - 1]) if 1 <= k <= len(self.copies) else None

    def partial_of(self, e: sp.Expr, wrt: sp.Symbol) -> sp.Expr:
        """∂e/∂wrt for an expression of nodes (the batch loss, E_{o1}, a student's own name): the chain rule
        through each node it names."""
        if isinstance(e, sp.Symbol):
            return self.partial(e, wrt)
        nodes = set().union(*(m.values() for m in self.copies)) | set(self.network.params)
        return sp.Add(*[sp.diff(e, s) * self.partial(s, wrt) for s in e.free_symbols if s in nodes])

    def sample_of(self, s: sp.Symbol) -> int | None:
        """The 1-based sample of a per-sample symbol (None for parameters and the like)."""
        for k, m in enumerate(self.copies, start=1):
            if s in m.values():
                return k
        return None

    @cached_property
    def _originals(self) -> dict[sp.Symbol, sp.Symbol]:
        """A later sample's copy of a quantity → the quantity (sample 1's)."""
        return {c: q for m in self.copies[1:] for q, c in m.items()}

    @cached_property
    def one_hot(self) -> bool:
        """Do the targets of every sample sum to 1 (a distribution, as softmax with cross-entropy assumes)?"""
        net = self.network
        sums = [sp.Add(*[sample.get(t, net.values.get(t, sp.nan)) for t in net.targets]) for sample in net.samples]
        return net.loss_name == "categorical_cross_entropy" and bool(sums) and all(x == 1 for x in sums)

    @cached_property
    def loss(self) -> sp.Expr:
        """The loss the network trains on: the error symbol, or over several samples their sum or mean."""
        return self.batch(self.network.error)

    def direct(self, of: sp.Symbol, wrt: sp.Symbol) -> sp.Expr:
        """∂of/∂wrt as written in a chain rule: of as a function of its own arguments, the others held fixed, when
        wrt is one of them (∂net_{o1}/∂w_1 = out_{h1} even when w_1 also feeds out_{h1}); else through the graph."""
        if len(self.copies) > 1 and of not in self.network.quantities:
            originals = self._originals
            k = self.sample_of(of) or 1
            if self.sample_of(wrt) not in (None, k):
                return self.partial(of, wrt)  # across samples: 0
            first = (originals.get(of, of), originals.get(wrt, wrt))
            if first == (of, wrt):  # neither a sample's copy nor a quantity: through the graph
                return self.partial(of, wrt)
            base = self.direct(*first)
            return base.xreplace(self.copies[k - 1]) if k > 1 else base
        q = self.network.quantities.get(of)
        if q is not None and wrt in q.partials:
            return q.partials[wrt]
        return self.partial(of, wrt)

    def partial(self, of: sp.Symbol, wrt: sp.Symbol) -> sp.Expr:
        """∂of/∂wrt through the graph, in the network's symbols (0 when wrt does not reach of); for a copy of
        another sample, that sample's (0 across samples)."""
        if of == wrt:
            return sp.Integer(1)
        originals = self._originals
        if of in originals or wrt in originals:
            sample = {c: k for k, m in enumerate(self.copies) for c in m.values() if k}
            k_of, k_wrt = sample.get(of, 0), sample.get(wrt, None)
            if k_wrt is not None and k_wrt != k_of:
                return sp.Integer(0)
            base = self.partial(originals.get(of, of), originals.get(wrt, wrt))
            return base.xreplace(self.copies[k_of]) if k_of else base
        key = (of, wrt)
        if key not in self._partials:
            q = self.network.quantities.get(of)
            total: sp.Expr = sp.Integer(0)
            if q is not None:
                for parent, local in q.partials.items():
                    if self._reaches(wrt, parent):
                        total += local * self.partial(parent, wrt)
            self._partials[key] = total
        return self._partials[key]

    def _reaches(self, start: sp.Symbol, goal: sp.Symbol) -> bool:
        return goal in self.downstream(start)

    def downstream(self, s: sp.Symbol) -> frozenset[sp.Symbol]:
        return self.network.downstream(s)

    # -- values -----------------------------------------------------------------------------------

    @cached_property
    def env(self) -> Point:
        """Sample 0: every leaf, forward quantity and δ with its exact value."""
        d = self.derivation
        env: dict[sp.Symbol, sp.Expr] = {s: v for s, v in d.forward[0].values.items() if v is not None}
        env.update({s: v for s, v in self.network.values.items() if v is not None})
        for t in d.deltas:
            if t.values[0] is not None:
                env[t.delta] = t.values[0]
        for k, m in enumerate(self.copies[1:], start=1):
            env.update({m[q]: v for q, v in d.forward[k].values.items() if q in m and v is not None})
            env.update({m[t.delta]: t.values[k] for t in d.deltas if t.values[k] is not None})
        return Point(env)

    def value(self, expr: sp.Expr, env: Mapping[sp.Symbol, sp.Expr] | None = None) -> sp.Expr | None:
        return value_at(expr, self.env if env is None else env)

    def random_env(self, seed: int, fixed: Mapping[sp.Symbol, sp.Expr] | None = None) -> Point:
        """A random point: leaves drawn at random (but those in `fixed`), every forward quantity and δ computed
        from them."""
        if not fixed:
            if seed not in self._random:
                self._random[seed] = self._random_env(seed)
            return self._random[seed]
        return self._random_env(seed, fixed)

    def _random_env(self, seed: int, fixed: Mapping[sp.Symbol, sp.Expr] | None = None) -> Point:
        rng = random.Random(seed)
        net = self.network
        env: dict[sp.Symbol, sp.Expr] = {}
        for s, q in net.quantities.items():
            if q.definition is None:
                env[s] = sp.Rational(rng.randint(-900, 900), 1000) if q.kind is not Kind.TARGET else \
                    sp.Rational(rng.randint(1, 999), 1000)
        env[net.learning_rate] = sp.Rational(rng.randint(1, 999), 1000)
        for m in self.copies[1:]:
            for s, q in net.quantities.items():
                if q.definition is None and s in m:
                    env[m[s]] = sp.Rational(rng.randint(-900, 900), 1000) if q.kind is not Kind.TARGET else \
                        sp.Rational(rng.randint(1, 999), 1000)
        if self.one_hot:  # softmax with cross-entropy: targets that sum to 1, as the network's do
            for m in self.copies:
                ts = [m[t] for t in net.targets]
                total = sum((env[t] for t in ts), sp.Integer(0))
                env.update({t: env[t] / total for t in ts})
        env.update(fixed or {})
        for m in self.copies:
            for s, q in net.quantities.items():
                if q.definition is not None:
                    v = evaluate(q.definition.xreplace(m), env)
                    if v is not None:
                        env[m[s]] = v
            for t in self.derivation.deltas:
                v = evaluate(t.expr.xreplace(m), env)
                if v is not None:
                    env[m[t.delta]] = v
        return Point(env)

    # -- the quantities of an answers file ----------------------------------------------------------

    def target(self, quantity: str) -> Target:
        net, d = self.network, self.derivation
        q = quantity.strip()
        if m := re.fullmatch(r"d(\w+)/d(\w+)", q):
            of, wrt = m.groups()
            if of not in ("E", net.error.name):
                raise quantity_error("quantity_derivative", quantity=repr(quantity))
            for t in d.deltas:  # extensions: dE/d<neuron> (its output) and dE/dnet_<neuron> (its δ)
                if wrt in (t.neuron, f"net_{t.neuron}"):
                    node = t.out if wrt == t.neuron else t.net
                    e = self.partial(net.error, node)
                    return Target(q, e, self.value(self.forward(e)), "partial", wrt=node)
            p = self._param(wrt, quantity)
            pd = next(x for x in d.params if x.param == p)
            return Target(q, self.batch(pd.closed_form if pd.closed_form is not None else pd.delta_form),
                          pd.gradient, "gradient", p)
        if m := re.fullmatch(r"(\w+)\+", q):
            p = self._param(m.group(1), quantity)
            pd = next(x for x in d.params if x.param == p)
            grad = self.batch(pd.closed_form if pd.closed_form is not None else pd.delta_form)
            expr = p if pd.frozen else p - net.learning_rate * grad
            return Target(q, expr, pd.updated, "update", p)
        if q in ("E", net.error.name):
            return Target(q, self.batch(net.quantities[net.error].definition or net.error), d.loss, "loss")
        if m := re.fullmatch(r"delta_(\w+)", q):
            t = self._neuron_term(m.group(1), quantity)
            return Target(q, t.closed_form if t.closed_form is not None else t.expr, t.values[0], "delta",
                          net=t.net)
        if m := re.fullmatch(r"net_(\w+)", q):
            t = self._neuron_term(m.group(1), quantity)
            return Target(q, t.net, d.forward[0].values[t.net], "net")
        for layer in net.layers:
            if q in layer.neurons:
                out = layer.outs[layer.neurons.index(q)]
                return Target(q, out, d.forward[0].values[out], "out")
        raise quantity_error("quantity_unknown", quantity=repr(quantity), expected="quantity_help")

    def _param(self, name: str, quantity: str) -> sp.Symbol:
        for p in self.network.params:
            if p.name == name:
                return p
        names = ", ".join(p.name for p in self.network.params)
        raise quantity_error("quantity_not_param", quantity=repr(quantity), name=repr(name), names=names)

    def _neuron_term(self, neuron: str, quantity: str) -> ErrorTerm:
        for t in self.derivation.deltas:
            if t.neuron == neuron:
                return t
        names = ", ".join(t.neuron for t in self.derivation.deltas)
        raise quantity_error("quantity_no_neuron", quantity=repr(quantity), neuron=repr(neuron), names=names)

    def forward(self, e: sp.Expr) -> sp.Expr:
        """δ symbols replaced by their expressions until only forward quantities and leaves remain."""
        for _ in range(len(self.deltas) + 1):
            if not any(s in self.deltas for s in e.free_symbols):
                break
            e = e.xreplace(self.deltas)
        return e

    def quantity_of(self, e: sp.Expr) -> Target | None:
        """The answers-file quantity a where-line's head means (δ_h1, ∂E/∂w5, ∂E/∂out_h1), to diagnose it too."""
        net = self.network
        for t in self.derivation.deltas:
            if e == t.delta:
                return self.target(f"delta_{t.neuron}")
            if e in (t.net, t.out):  # a forward line (In_{h2} = …) in an answer for another quantity
                return self.target(f"net_{t.neuron}" if e == t.net else t.neuron)
            if e == self.partial(net.error, t.out):
                return self.target(f"dE/d{t.neuron}")
            if e == self.partial(net.error, t.net):
                return self.target(f"dE/dnet_{t.neuron}")
        for p in net.params:
            if e == self.partial_of(self.loss, p):
                return self.target(f"dE/d{p.name}")
        return None

    def delta_symbol(self, neuron: str) -> sp.Symbol:
        return delta_symbol(neuron)
