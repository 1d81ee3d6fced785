"""notation.py: the LaTeX and plain-text printers of a network's names — each style's net input, output and δ of
every neuron as its seed writes them, the spec's other names (w5 → w_{5}, E_total → E_{total}, eta → η,
W1_11 → W^{(1)}_{11}: the README's rule), Φ'(net) and H(net), partial derivatives, and numbers put in for symbols
without changing what the formula means.

Expected names come from the seeds and the README (Mazur's net_{h1}, out_{h1}; seed 000's In_{h_1}, h_1; Ng's
z^{(2)}_1, a^{(2)}_1); the meaning of a formula with numbers in it is checked by evaluating the printed text
in exact fractions, with a parser written here, against the derivation's value.
"""

from __future__ import annotations

import ast
import operator
from fractions import Fraction

import pytest
import sympy as sp

from conftest import SEED000, SEED001, SEED004
from symbackprop import Network, derive
from symbackprop.notation import Notation
from symbackprop.numbers import Format, fmt, number_latex, number_text


def small(style: str, **notation: str) -> Network:
    """2 inputs, hidden layer h (2 neurons), output layer o (2 neurons)."""
    return Network.from_dict({"inputs": ["x1", "x2"], "notation": {"style": style, **notation},
                              "layers": [{"name": "h", "size": 2}, {"name": "o", "size": 2}]})


# (layer, index, neuron) → (LaTeX, text) of net, out, δ, as each seed writes them
SEEN = {
    "net_out": lambda layer, k, n: {"net": (rf"\mathit{{net}}_{{{n}}}", f"net_{n}"),
                                    "out": (rf"\mathit{{out}}_{{{n}}}", f"out_{n}"),
                                    "delta": (rf"\delta_{{{n}}}", f"δ_{n}")},
    "in_out": lambda layer, k, n: {"net": (rf"\mathit{{In}}_{{{n[0]}_{{{n[1:]}}}}}", f"In_{n}"),
                                   "out": (rf"{n[0]}_{{{n[1:]}}}", n),
                                   "delta": (rf"\delta_{{{n[0]}_{{{n[1:]}}}}}", f"δ_{n}")},
    "z_a": lambda layer, k, n: {"net": (f"z^{{({layer + 1})}}_{{{k + 1}}}", f"z^({layer + 1})_{k + 1}"),
                                "out": (f"a^{{({layer + 1})}}_{{{k + 1}}}", f"a^({layer + 1})_{k + 1}"),
                                "delta": (rf"\delta^{{({layer + 1})}}_{{{k + 1}}}", f"δ^({layer + 1})_{k + 1}")},
}


@pytest.mark.parametrize("style", list(SEEN))
def test_each_style_names_every_neuron_as_its_seed_does(style: str) -> None:
    net = small(style)
    nt = Notation(net)
    for layer in net.layers:
        for k, neuron in enumerate(layer.neurons):
            seen = SEEN[style](layer.index, k, neuron)
            symbols = {"net": layer.nets[k], "out": layer.outs[k], "delta": sp.Symbol(f"delta_{neuron}", real=True)}
            for role, (latex, text) in seen.items():
                assert nt.latex_names[symbols[role]] == latex, (neuron, role)
                assert nt.text_names[symbols[role]] == text, (neuron, role)
                assert nt.latex(symbols[role]) == latex and nt.text(symbols[role]) == text


def test_the_readme_examples() -> None:
    """README: 'δ_h1 = ∂E_total/∂net_h1', 'out_h1', 'w5⁺ = w5 - η · ∂E_total/∂w5'; seed 002's text In_h1, h1."""
    net = Network.load(SEED004)
    nt = Notation(net)
    h1 = net.layers[0]
    assert nt.partial_text(net.error, h1.nets[0]) == "∂E_total/∂net_h1"
    assert nt.text_names[h1.outs[0]] == "out_h1"
    assert nt.text_names[net.learning_rate] == "η" and nt.latex_names[net.learning_rate] == r"\eta"
    assert nt.partial_latex(net.error, net.by_name("w5")) == r"\frac{\partial E_{total}}{\partial w_{5}}"
    assert nt.text_names[net.targets[0]] == "target_o1"
    assert nt.latex_names[net.targets[0]] == r"\mathit{target}_{o1}"  # a word in italics, not t·a·r·g·e·t
    seed000 = Notation(Network.load(SEED000))
    assert seed000.text_names[seed000.network.layers[0].nets[0]] == "In_h1"


@pytest.mark.parametrize(("name", "latex", "text"), [
    ("w5", "w_{5}", "w5"),
    ("b1", "b_{1}", "b1"),
    ("E_total", "E_{total}", "E_total"),
    ("W1_11", "W^{(1)}_{11}", "W1_11"),  # the README: W1_11 → W^{(1)}_{11}
    ("eta", r"\eta", "η"),
    ("alpha", r"\alpha", "α"),
    ("Error", r"\mathit{Error}", "Error"),
    ("x", "x", "x"),
])
def test_a_spec_name_is_written_by_the_readme_rule(name: str, latex: str, text: str) -> None:
    net = Network.from_dict({"inputs": ["x1"], "notation": {"learning_rate": "lr"},  # eta is free for a weight
                             "layers": [{"name": "o", "weights": [[name]]}]})
    nt = Notation(net)
    p = net.by_name(name)
    assert nt.latex_names[p] == latex and nt.text_names[p] == text


def test_the_error_and_learning_rate_names_follow_the_notation_table() -> None:
    net = small("z_a", error="J", learning_rate="alpha", target="y")
    nt = Notation(net)
    assert nt.latex_names[net.error] == "J" and nt.latex_names[net.learning_rate] == r"\alpha"
    assert [nt.text_names[t] for t in net.targets] == ["y1", "y2"]


def test_an_abstract_function_and_its_derivative() -> None:
    """Seed 001: Φ(In_{h_1}) and Φ'(In_{h_1}), not sympy's Derivative or Subs notation."""
    net = Network.load(SEED001)
    d = derive(net)
    nt = Notation(net)
    h1 = d.delta("h1")
    assert r"\Phi'\left(\mathit{In}_{h_{1}}\right)" in nt.latex(h1.expr)
    assert "Φ'(In_h1)" in nt.text(h1.expr)
    out = net.layers[0].outs[0]
    assert nt.latex(net.quantities[out].definition) == r"\Phi\left(\mathit{In}_{h_{1}}\right)"
    assert nt.text(net.quantities[out].definition) == "Φ(In_h1)"
    for expr in (h1.expr, net.quantities[out].definition):
        assert "Subs" not in nt.text(expr) and "Derivative" not in nt.text(expr)


def test_the_step_function_with_and_without_a_number() -> None:
    """relu' = H(net): H(−0.68), not H((−0.68)), once a number is put in."""
    net = Network.from_dict({"inputs": ["x1"], "layers": [{"name": "h", "size": 1, "activation": "relu"},
                                                          {"name": "o", "size": 1}]})
    nt = Notation(net)
    z = net.layers[0].nets[0]
    assert nt.latex(sp.Heaviside(z)) == r"H\left(\mathit{net}_{h1}\right)"
    assert nt.text(sp.Heaviside(z)) == "H(net_h1)"
    assert nt.latex(sp.Heaviside(z), numbers={z: number_latex("-0.68")}) == r"H\left(-0.68\right)"
    assert nt.text(sp.Heaviside(z), numbers={z: number_text("-0.68")}) == "H(-0.68)"
    assert nt.latex(sp.Heaviside(z) ** 2) == r"H\left(\mathit{net}_{h1}\right)^{2}"


def test_numbers_in_latex_are_multiplied_with_a_sign() -> None:
    net = Network.load(SEED004)
    nt = Notation(net)
    w5, h1 = net.by_name("w5"), net.by_name("h1")
    printed = nt.latex(w5 * h1, numbers={w5: "0.4", h1: "0.593270"})
    assert printed.replace(" ", "") in (r"0.4\cdot0.593270", r"0.593270\cdot0.4")
    assert nt.latex(w5 * h1) in (r"w_{5} \mathit{out}_{h1}", r"\mathit{out}_{h1} w_{5}")
    assert nt.latex(w5 * h1, numbers={w5: "0.4"}, mul_symbol="times").count(r"\times") == 1


# --- with numbers put in, the printed text means what the formula means ------------------------------------------

BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
          ast.Pow: operator.pow}


def evaluate(text: str) -> Fraction:
    """Arithmetic on decimal numbers (+ − · / ** and parentheses), in exact fractions."""
    def walk(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Pow):
                assert right.denominator == 1
                return left ** int(right)
            return BINARY[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return Fraction(ast.get_source_segment(text, node) or repr(node.value))
        raise AssertionError(f"unexpected {ast.dump(node)} in {text!r}")
    return walk(ast.parse(text, mode="eval"))


@pytest.mark.parametrize("example", [SEED004, SEED000], ids=["seed004", "seed000"])
def test_text_with_numbers_evaluates_to_the_value(example: object) -> None:
    """Every δ and every gradient's δ form and closed form, printed with each symbol's value (40 digits, negatives
    in parentheses as the renderers put them): the printed arithmetic is the derivation's value, so the printer
    kept the precedence of every operation."""
    net = Network.load(example)  # type: ignore[arg-type]
    d = derive(net)
    nt = Notation(net)
    form = Format(digits=40)
    values = {s: v for s, v in d.forward[0].values.items() if v is not None}
    values |= {t.delta: t.values[0] for t in d.deltas} | dict(net.values)
    numbers = {s: number_text(fmt(v, form)) for s, v in values.items()}
    checked = 0
    for expr, value in [(t.expr, t.values[0]) for t in d.deltas] + \
            [(p.delta_form, p.gradients[0]) for p in d.params] + [(p.closed_form, p.gradients[0]) for p in d.params]:
        printed = nt.text(expr, numbers=numbers)
        assert not any(c.isalpha() for c in printed.replace("e", "")), printed  # every symbol became a number
        got = evaluate(printed)
        assert abs(got - Fraction(str(sp.Float(value, 50)))) <= Fraction(1, 10 ** 30) * max(1, abs(got)), printed
        checked += 1
    assert checked == len(d.deltas) + 2 * len(d.params)
