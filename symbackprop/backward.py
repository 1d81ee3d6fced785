"""The derivation of a circuit: reverse accumulation written as the lectures write it.

For every quantity, from the output down, its upstream gradient ∂out/∂q = Σ over the nodes that use it of
(their upstream gradient) × (the local gradient ∂user/∂q) — "upstream × local", each use naming its gate rule
(add distributes, multiply swaps, max routes, an activation's own form) and a fan-out adding its uses. Each
gradient is formed once from the gradients above it, so the derivation is linear in the size of the circuit;
the product along each path is listed where the paths are few. The derivation is plain data (dataclasses) that
renderers read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from .circuit import Circuit, gate
from .derive import Value, evaluate
from .errors import SpecError
from .graph import Kind
from .limits import MAX_DERIVED

MAX_LISTED_PATHS = 8  # the paths of one gradient listed as products (more: only their number)


@dataclass(frozen=True)
class Use:
    """One use of a quantity by a node: ∂user/∂q (in the circuit's symbols) and its value."""

    user: sp.Symbol
    local: sp.Expr
    rule: str | None  # "add", "multiply", "max", "min", an activation's name, or None (no named rule)
    local_value: Value
    upstream_value: Value  # ∂out/∂user


@dataclass(frozen=True)
class Gradient:
    """∂out/∂q for one quantity: the sum over its uses of upstream × local."""

    quantity: sp.Symbol
    name: str
    kind: str  # "output", "node", "input" or "param"
    uses: tuple[Use, ...]  # empty for the output (whose gradient is 1)
    symbolic: sp.Expr  # Σ g_user · local, with g_user the symbols of the gradients above (gradient_symbol)
    closed: sp.Expr  # the same in the circuit's forward quantities only
    value: Value
    path_count: int
    paths: tuple[tuple[tuple[sp.Symbol, sp.Symbol], ...], ...] | None  # the paths when few, else None

    @property
    def fan_out(self) -> bool:
        return len(self.uses) > 1


@dataclass(frozen=True)
class Update:
    param: sp.Symbol
    name: str
    value: Value  # the parameter's value
    updated: Value  # value − η ∂out/∂param


@dataclass(frozen=True)
class CircuitDerivation:
    """forward and gradients are one sample's (the first when there are several: `samples` has them all); the
    updates use the batch gradient (the same as the sample's with one sample)."""

    circuit: Circuit
    forward: dict[sp.Symbol, Value]  # every quantity's value (None where symbolic)
    gradients: tuple[Gradient, ...]  # the output first, then backwards through the nodes, then the leaves
    updates: tuple[Update, ...]  # with a learning rate and numbers
    # with several samples ([[graph.samples]]): each sample's own derivation (no updates); () for one sample
    samples: tuple[CircuitDerivation, ...] = ()
    batch_output: Value = None  # the batch loss: the output summed (or averaged) over the samples
    batch_gradients: dict[sp.Symbol, Value] = field(default_factory=dict)  # ∂(batch loss)/∂param, every param

    @property
    def per_sample(self) -> tuple[CircuitDerivation, ...]:
        """Every sample's derivation (this one alone with one sample)."""
        return self.samples or (self,)

    def gradient(self, name: str) -> Gradient:
        for g in self.gradients:
            if g.name == name:
                return g
        raise KeyError(name)

    @property
    def output_value(self) -> Value:
        return self.forward[self.circuit.output]


def gradient_symbol(c: Circuit, q: sp.Symbol) -> sp.Symbol:
    """The symbol that stands for ∂out/∂q inside the gradients below q (reused, never re-expanded)."""
    return sp.Symbol(f"d{c.quantities[c.output].name}_d{c.quantities[q].name}", real=True)


def derive_circuit(c: Circuit) -> CircuitDerivation:
    """Every sample's derivation, the batch loss (sum or mean of the output over the samples), its gradient for
    every parameter and the updates (with a learning rate)."""
    n = len(c.samples)
    if n * len(c.quantities) > MAX_DERIVED:
        raise SpecError(f"{n} samples of {len(c.quantities)} quantities would write out {n * len(c.quantities)} "
                        f"values; the limit is {MAX_DERIVED} (train works on any number of samples)",
                        key="graph.samples", source=c.spec.source)
    if n == 1:
        forward, gradients = _derive_one(c, c.values)
        by = {g.quantity: g for g in gradients}
        batch = {p: by[p].value for p in c.params}
        output = forward[c.output]
    else:
        per = [CircuitDerivation(c, *_derive_one(c, {**c.values, **sample}), ()) for sample in c.samples]
        scale = sp.Rational(1, n) if c.spec.batch_loss == "mean" else sp.Integer(1)

        def total(values: list[Value]) -> Value:
            return None if any(v is None for v in values) else evaluate(scale * sp.Add(*values), {})

        output = total([d.output_value for d in per])
        batch = {p: total([d.gradient(c.quantities[p].name).value for d in per]) for p in c.params}
        forward, gradients = per[0].forward, per[0].gradients
    updates = []
    if c.learning_rate is not None:
        for p in c.params:
            g = batch[p]
            v = c.values.get(p)
            updated = None if v is None or g is None else evaluate(v - c.learning_rate * g, {})
            updates.append(Update(p, c.quantities[p].name, v, updated))
    return CircuitDerivation(c, forward, gradients, tuple(updates), () if n == 1 else tuple(per), output, batch)


def _derive_one(c: Circuit, leaf_values: dict[sp.Symbol, sp.Expr]) -> tuple[dict[sp.Symbol, Value],
                                                                            tuple[Gradient, ...]]:
    """One sample's forward values and every gradient, from the output down."""
    forward: dict[sp.Symbol, Value] = {}
    env: dict[sp.Symbol, sp.Expr] = dict(leaf_values)
    for s, q in c.quantities.items():
        if q.definition is None:
            forward[s] = leaf_values.get(s)
        else:
            v = evaluate(q.definition, env)
            forward[s] = v
            if v is not None:
                env[s] = v
    values = {s: v for s, v in forward.items() if v is not None}

    closed: dict[sp.Symbol, sp.Expr] = {c.output: sp.Integer(1)}
    grad_value: dict[sp.Symbol, Value] = {c.output: sp.Integer(1)}
    out: dict[sp.Symbol, Gradient] = {}
    order = [s for s in reversed(list(c.quantities)) if c.reaches_output(s)]
    for s in order:
        q = c.quantities[s]
        kind = "output" if s == c.output else {Kind.NODE: "node", Kind.INPUT: "input", Kind.PARAM: "param"}[q.kind]
        uses = []
        if s != c.output:
            for user in c.children[s]:
                if not c.reaches_output(user):
                    continue
                local = c.quantities[user].partials[s]
                uses.append(Use(user, local, gate(c.quantities[user].definition, s), evaluate(local, values),
                                grad_value[user]))
            symbolic = sp.Add(*[gradient_symbol(c, u.user) * u.local for u in uses])
            closed[s] = sp.Add(*[closed[u.user] * u.local for u in uses])
            if any(u.local_value is None or u.upstream_value is None for u in uses):
                grad_value[s] = None
            else:
                grad_value[s] = evaluate(sp.Add(*[sp.Mul(u.upstream_value, u.local_value) for u in uses]), {})
        else:
            symbolic = sp.Integer(1)
        count = c.path_count(s)
        out[s] = Gradient(s, q.name, kind, tuple(uses), symbolic, closed[s], grad_value[s], count,
                          tuple(c.paths(s)) if count <= MAX_LISTED_PATHS else None)
    backward = [out[s] for s in order if c.quantities[s].kind is Kind.NODE]
    leaves = [out[s] for s in c.leaves if s in out]
    zero = [Gradient(s, c.quantities[s].name, "param" if s in c.params else "input", (), sp.Integer(0),
                     sp.Integer(0), sp.Integer(0), 0, ()) for s in c.leaves if s not in out]
    return forward, (*backward, *leaves, *zero)
