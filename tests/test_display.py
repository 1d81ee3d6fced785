"""Display rounding and the notation printers: what a reader sees must be the value, rounded as stated."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sympy as sp

from conftest import SEED000, SEED001, SEED004
from symbackprop import Network, Notation, derive
from symbackprop.numbers import Format, fmt
from symbackprop.styles import name_latex, name_text


@pytest.mark.parametrize(("value", "form", "expected"), [
    (sp.Rational(1, 3), Format(decimals=2), "0.33"),
    (sp.Rational(1, 8), Format(decimals=2), "0.13"),          # half-up, as lecturers round
    (sp.Rational(-1, 8), Format(decimals=2), "-0.13"),
    (sp.Rational(-1, 1000), Format(decimals=2), "0.00"),       # no "-0.00"
    (sp.Rational(15, 100), Format(digits=6), "0.15"),          # exact values are not padded
    (sp.Rational(1, 3), Format(digits=6), "0.333333"),
    (sp.Integer(2), Format(digits=6), "2"),
    (sp.Integer(2), Format(decimals=2), "2"),  # exact values are not padded
    (sp.Rational(1, 10**8), Format(digits=3), "1.00e-8"),
])
def test_fmt(value, form, expected):
    assert fmt(value, form) == expected


def test_fmt_keeps_significant_digits_of_a_float():
    v = sp.Float("0.08216704056423078", 50)
    assert fmt(v, Format(digits=6)) == "0.0821670"
    assert Decimal(fmt(v, Format(digits=6))) == Decimal("0.0821670")


@pytest.mark.parametrize(("name", "latex", "text"), [
    ("w5", "w_{5}", "w5"),
    ("E_total", "E_{total}", "E_total"),
    ("Error", r"\mathit{Error}", "Error"),
    ("W1_11", "W^{(1)}_{11}", "W1_11"),
    ("eta", r"\eta", "η"),
    ("alpha", r"\alpha", "α"),
    ("target_o1", r"\mathit{target}_{o1}", "target_o1"),
    ("x", "x", "x"),
])
def test_name_rule(name, latex, text):
    assert name_latex(name) == latex
    assert name_text(name) == text


def test_notation_styles():
    seed004 = Network.load(SEED004)
    n = Notation(seed004)
    h1, net_h1 = seed004.by_name("h1"), seed004.by_name("net_h1")
    assert n.latex_names[h1] == r"\mathit{out}_{h1}" and n.latex_names[net_h1] == r"\mathit{net}_{h1}"

    seed000 = Network.load(SEED000)
    n = Notation(seed000)
    assert n.latex_names[seed000.by_name("h1")] == "h_{1}"
    assert n.latex_names[seed000.by_name("net_h1")] == r"\mathit{In}_{h_{1}}"
    assert n.latex_names[seed000.error] == r"\mathit{Error}"

    z_a = Network.from_dict({"inputs": ["x1", "x2"], "notation": {"style": "z_a"},
                             "layers": [{"name": "h", "size": 2}, {"name": "o", "size": 1}]})
    n = Notation(z_a)
    assert n.latex_names[z_a.by_name("net_h2")] == "z^{(2)}_{2}"
    assert n.latex_names[z_a.by_name("o1")] == "a^{(3)}_{1}"
    assert n.latex(sp.Symbol("delta_h1", real=True)) == r"\delta^{(2)}_{1}"


def test_abstract_derivative_prints_as_prime():
    net = Network.load(SEED001)
    d = derive(net)
    n = Notation(net)
    h1 = d.delta("h1")
    assert r"\Phi'\left(\mathit{In}_{h_{1}}\right)" in n.latex(h1.expr)
    assert "Φ'(In_h1)" in n.text(h1.expr)
    # composed into the leaves, Φ'(net) becomes a Subs object and still prints as Φ'(...)
    composed = net.compose(h1.closed_form)
    assert composed.has(sp.Subs)
    assert r"\Phi'\left(" in n.latex(composed)


def test_numbers_substitute_without_evaluating():
    net = Network.load(SEED000)
    n = Notation(net)
    q = net.quantities[net.by_name("net_o1")]
    shown = n.latex(q.display, {net.by_name("w7"): r"\left(-0.3\right)", net.by_name("h2"): "0.5"})
    assert r"\left(-0.3\right) \cdot 0.5" in shown


def test_a_number_alone_in_a_function_has_no_parentheses_of_its_own() -> None:
    """H(−0.68), as a lecture writes it (not H((−0.68)) in text nor H(\\left(−0.68\\right)) in LaTeX)."""
    net = Network.from_dict({
        "inputs": ["x1"], "loss": "half_sse", "learning_rate": 0.5,
        "layers": [{"name": "h", "activation": "relu", "size": 1}, {"name": "o", "activation": "sigmoid", "size": 1}],
        "params": {"w1": -0.68, "w2": 0.5}, "samples": [{"inputs": {"x1": 1}, "targets": {"o1": 0.25}}]})
    nt = Notation(net)
    h = sp.Heaviside(net.by_name("net_h1"), 0)
    numbers_text = {net.by_name("net_h1"): "(-0.68)"}
    numbers_latex = {net.by_name("net_h1"): r"\left(-0.68\right)"}
    assert nt.text(h, numbers_text) == "H(-0.68)"
    assert nt.latex(h, numbers_latex) == r"H\left(-0.68\right)"
    assert nt.text(sp.Heaviside(net.by_name("net_h1") - 1, 0), numbers_text) == "H(-1 + (-0.68))"  # in a sum: kept
