"""A large circuit's backward steps: each step's figure is the part of the circuit that step reads.

The claims checked are the lecture's own: a step computes ∂out/∂q as the sum over q's users of upstream × local,
so its figure must show q highlighted, every user of q with the gradient on its wire (upstream), and, while they
are few, the users' other inputs (the local gradient of a product is the other factor); nothing of the circuit
that the step does not read. The circuit is built here (60 quantities: past the size where each step shows the
whole circuit), and what a figure shows is read from its TikZ nodes."""

from __future__ import annotations

import re

import sympy as sp

from symbackprop.backward import derive_circuit
from symbackprop.circuit import Circuit
from symbackprop.render.circuit_figure import circuit_tikz
from symbackprop.render.circuit_lecture import circuit_lecture
from symbackprop.styles import name_latex


def _big() -> Circuit:
    """A chain of 28 products and sums over 30 inputs, with one value used by three later nodes (fan-out)."""
    xs = sp.symbols("x1:31", real=True)
    nodes: dict[str, sp.Expr] = {}
    prev = xs[0]
    for k in range(1, 29):
        name = f"n{k}"
        nodes[name] = prev * xs[k] if k % 2 else prev + xs[k]
        prev = sp.Symbol(name, real=True)
    n5 = sp.Symbol("n5", real=True)
    nodes["u1"] = n5 * xs[29]
    nodes["u2"] = sp.tanh(n5)
    nodes["out"] = prev + sp.Symbol("u1", real=True) + sp.Symbol("u2", real=True) + n5
    return Circuit.from_expressions(nodes, inputs={str(x): sp.Rational(k % 7 - 3, 4) or 1 for k, x in
                                                   enumerate(xs)}, output="out")


def _shown(tikz: str) -> set[str]:
    return set(re.findall(r"\\node\[[^\]]*\] \(q\d+\) at \([^)]*\) \{\$(.*?)\$\};", tikz))


def test_each_step_shows_the_part_it_reads() -> None:
    c = _big()
    assert len(c.quantities) > 40
    lec = circuit_lecture(derive_circuit(c), "beamer")
    names = {name_latex(q.name): s for s, q in c.quantities.items()}
    checked = 0
    for step in lec.steps:
        s = names[str(step.name)]
        shown = _shown(str(step.figure))
        users = {name_latex(c.quantities[u].name) for u in c.children[s]}
        others = {name_latex(c.quantities[p].name) for u in c.children[s] for p in c.quantities[u].partials}
        assert {str(step.name)} | users <= shown, step.name
        assert shown <= {str(step.name)} | users | others, step.name  # nothing the step does not read
        assert "red!75!black, line width=2pt" in str(step.figure)  # the quantity (its box or wire) highlighted
        checked += 1
    assert checked == len(c.quantities) - 1  # every quantity but the output has its step


def test_a_fanned_out_value_shows_every_use() -> None:
    """n5 is used by n6, u1, u2 and the output: all four users are in its step's figure, each with its gradient."""
    c = _big()
    d = derive_circuit(c)
    n5 = c.by_name("n5")
    known = {g.quantity: f"{float(g.value):.3g}" for g in d.gradients}
    tikz = circuit_tikz(c, {}, known, highlight=n5, only=frozenset({n5, *c.children[n5]}))
    assert {"n_{6}", "u_{1}", "u_{2}", r"\mathit{out}"} <= _shown(tikz) or {"n_{6}", "u_{1}", "u_{2}",
                                                                           "out"} <= _shown(tikz)
    for u in c.children[n5]:
        assert known[u] in tikz
