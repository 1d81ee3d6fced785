"""Backpropagation through time, read off the unrolled circuit's derivation: every hidden neuron's error term
δ_{j,t} = ∂E/∂net_{j,t} with its recursion δ_t = (Vᵀ δ_{t+1} + Wᵀ ε_t) ⊙ f′(net_t), the output error terms
ε_{o,t} = ∂E/∂y_{o,t} · g′(net_{o,t}), and each shared parameter's gradient as the sum over the steps of
δ × the quantity it multiplies. The values are the circuit's reverse accumulation (each δ formed once from the
δ's of the step after it, so the work is linear in the steps); this module only names the terms of the sums.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sympy as sp

from . import activations
from .backward import CircuitDerivation
from .circuit import Circuit
from .derive import Value, evaluate
from .recurrent import RecurrentSpec, at, parse_recurrent, recurrent_spec, unrolled


def unroll(data: Mapping[str, Any], source: str = "<dict>") -> Circuit:
    """The circuit of a recurrent spec (nested dicts, the TOML structure) unrolled through time."""
    return Circuit(unrolled(parse_recurrent(data, source=source)))


@dataclass(frozen=True)
class Term:
    """One step's (and one position's) share of a parameter's gradient: δ · source (source None: a bias, 1)."""

    step: int
    delta: sp.Symbol  # the net input whose error term it is
    delta_value: Value
    source: sp.Symbol | None
    source_value: Value


@dataclass(frozen=True)
class ErrorTerm:
    """δ (a hidden neuron) or ε (an output neuron) at one step: (Σ weight · error term after it) · f′(net)."""

    neuron: str
    step: int
    net: sp.Symbol
    out: sp.Symbol
    value: Value
    # (weight, the net input above that it feeds, that net input's error term): V's at t + 1 and W's at t for a
    # hidden neuron; empty for an output neuron, whose ∂E/∂y is `upstream`
    links: tuple[tuple[sp.Symbol, sp.Symbol, Value], ...]
    upstream: sp.Expr  # Σ of the links in symbols (hidden), or ∂E/∂y in the circuit's quantities (output)
    upstream_value: Value
    derivative: sp.Expr  # f′(net) in the neuron's own symbol (1 − h² for tanh)
    derivative_value: Value


@dataclass(frozen=True)
class BPTT:
    derivation: CircuitDerivation
    hidden: dict[tuple[str, int], ErrorTerm]  # (neuron, step) → δ
    output: dict[tuple[str, int], ErrorTerm]  # (neuron, step) → ε, at the steps with a target
    terms: dict[str, tuple[Term, ...]]  # parameter → its terms over the steps
    gradients: dict[str, Value]  # parameter → ∂E/∂parameter (the circuit's)

    @property
    def circuit(self) -> Circuit:
        return self.derivation.circuit

    @property
    def rnn(self) -> RecurrentSpec:
        r = recurrent_spec(self.circuit)
        assert r is not None
        return r


def bptt(d: CircuitDerivation) -> BPTT:
    c = d.circuit
    r = recurrent_spec(c)
    if r is None:
        raise TypeError("bptt reads the derivation of an unrolled recurrent network")
    grad: dict[sp.Symbol, Value] = {g.quantity: g.value for g in d.gradients}
    values = {s: v for s, v in d.forward.items() if v is not None}

    by_name = {q.name: s for s, q in c.quantities.items()}  # (Circuit.by_name searches: quadratic in the steps)

    def sym(name: str) -> sp.Symbol:
        return by_name[name]

    def error(s: sp.Symbol) -> Value:
        return grad.get(s, sp.Integer(0))  # a node that does not reach the loss: 0

    hidden_neurons, outputs = r.hidden_neurons, r.output_neurons
    f = activations.make(r.activation)
    g = activations.make(r.output_activation)
    out_terms: dict[tuple[str, int], ErrorTerm] = {}
    for t in r.target_steps():
        for o in outputs:
            net, y = sym(at(f"net{o}", t)), sym(at(o, t))
            users = [u for u in c.children[y] if c.reaches_output(u)]
            upstream = sp.Add(*[c.quantities[u].partials[y] for u in users])  # ∂E_t/∂y (E = Σ E_t: factor 1)
            deriv = g.derivative(net, y)
            out_terms[(o, t)] = ErrorTerm(o, t, net, y, error(net), (), upstream, error(y), deriv,
                                          evaluate(deriv, values))
    hidden_terms: dict[tuple[str, int], ErrorTerm] = {}
    for t in range(r.steps, 0, -1):
        for j, neuron in enumerate(hidden_neurons):
            net, h = sym(at(f"net{neuron}", t)), sym(at(neuron, t))
            links: list[tuple[sp.Symbol, sp.Symbol, Value]] = []
            if t < r.steps:
                links += [(sym(r.V[k][j]), sym(at(f"net{above}", t + 1)), error(sym(at(f"net{above}", t + 1))))
                          for k, above in enumerate(hidden_neurons)]
            if (outputs[0], t) in out_terms:
                links += [(sym(r.W[k][j]), sym(at(f"net{o}", t)), out_terms[(o, t)].value)
                          for k, o in enumerate(outputs)]
            deriv = f.derivative(net, h)
            upstream = sp.Add(*[w * delta_symbol(c, above) for w, above, _ in links])
            up_value = error(h)
            hidden_terms[(neuron, t)] = ErrorTerm(neuron, t, net, h, error(net), tuple(links), upstream, up_value,
                                                  deriv, evaluate(deriv, values))

    terms: dict[str, list[Term]] = {p: [] for p in r.params}

    def add(p: str | None, t: int, net: sp.Symbol, source: sp.Symbol | None) -> None:
        if p is not None:
            terms[p].append(Term(t, net, error(net), source, None if source is None else values.get(source)))

    for t in range(1, r.steps + 1):
        for j, neuron in enumerate(hidden_neurons):
            net = sym(at(f"net{neuron}", t))
            for i, x in enumerate(r.inputs):
                add(r.U[j][i], t, net, sym(at(x, t)))
            for k, before in enumerate(hidden_neurons):
                add(r.V[j][k], t, net, sym(at(before, t - 1)))
            add(r.hidden_bias[j], t, net, None)
    for t in r.target_steps():
        for k, o in enumerate(outputs):
            net = sym(at(f"net{o}", t))
            for j, neuron in enumerate(hidden_neurons):
                add(r.W[k][j], t, net, sym(at(neuron, t)))
            add(r.output_bias[k], t, net, None)
    gradients = {p: grad.get(sym(p), sp.Integer(0)) for p in r.params}
    return BPTT(d, hidden_terms, out_terms, {p: tuple(ts) for p, ts in terms.items()}, gradients)


def delta_symbol(c: Circuit, net: sp.Symbol) -> sp.Symbol:
    """The symbol of a net input's error term: δ for a hidden neuron, ε for an output one (named after the
    neuron and the step: delta_h1t2 is written δ_h1,t2)."""
    name = c.quantities[net].name[3:]  # neth1_t2 → h1_t2
    neuron, step = name.split("_")
    r = recurrent_spec(c)
    greek = "epsilon" if r is not None and neuron in r.output_neurons else "delta"
    return sp.Symbol(f"{greek}_{neuron}{step}", real=True)
