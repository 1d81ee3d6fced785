r"""symbackprop.check.judge: every member of every chain against the truth, the asked quantity established.

Each "right" answer here is right for an independent reason — its formula is checked in the test against
sympy.diff of the network's whole composed error (tests/truth.py), its numbers are the sympy values rounded by
Python's decimal module — and has a wrong twin (one factor, one digit, one sign changed) that must be rejected.
The judge is driven through its public method, `Judge.answer(parse(…, **judge.parse_options), target, text)`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import truth as T
from conftest import SEED000, SEED002, SEED003, SEED004, SOFTMAX
from strategies import network, network_specs
from symbackprop import Network
from symbackprop.check.judge import CORRECT, INCORRECT, ROUNDING, Judge, Judged, LineVerdict
from symbackprop.check.parse import parse
from symbackprop.check.truth import Truth
from symbackprop.notation import Notation

_TRUTHS: dict[Any, Truth] = {}


def truth_of(spec: Path | Network, step: int = 0) -> Truth:
    key = (spec, step)
    if key not in _TRUTHS:
        _TRUTHS[key] = Truth.at_step(spec if isinstance(spec, Network) else Network.load(spec), step)
    return _TRUTHS[key]


def judge(spec: Path | Network, quantity: str, latex: str, min_significant: int = 2, j: Judge | None = None
          ) -> Judged:
    j = j or Judge(truth_of(spec))
    target = j.truth.target(quantity)
    parsed = j.in_place(parse(latex, partial=True, **j.parse_options), target)
    return j.answer(parsed, target, latex, min_significant)


def right(judged: Judged) -> bool:
    """What the checker calls a correct answer: established, every line right (or right up to rounding)."""
    return judged.established and bool(judged.lines) and all(
        line.verdict in (CORRECT, ROUNDING) for line in judged.lines)


def rounded(v: sp.Expr, places: int) -> str:
    """v to `places` decimals, half up (Python's decimal, not the checker's rounding)."""
    return str(Decimal(str(sp.N(v, 50))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def leaves_at(net: Network, e: sp.Expr, sample: int = 0) -> sp.Expr:
    return e.xreplace(dict(net.samples[sample])).xreplace(dict(net.values))


NET = Network.load(SEED004)
(H1, H2), (O1, O2) = NET.layers[0].outs, NET.layers[1].outs
(N_H1, N_H2), (N_O1, N_O2) = NET.layers[0].nets, NET.layers[1].nets
T1, T2 = NET.targets
I1, I2 = NET.inputs
W = {p.name: p for p in NET.params}
ETA = NET.learning_rate
D_O1, D_O2 = (O1 - T1) * O1 * (1 - O1), (O2 - T2) * O2 * (1 - O2)  # ∂E/∂net_o by hand (½ Σ (t − o)², sigmoid)


def grad(param: str, net: Network = NET) -> sp.Expr:
    """sympy.diff of the whole error (one sample) at the network's numbers."""
    return leaves_at(net, T.symbolic_gradient(net, net.by_name(param)))


def in_leaves(net: Network, e: sp.Expr) -> sp.Expr:
    return T.compose(net, e)


# (quantity, LaTeX of the head, the formula by hand in the network's symbols, its LaTeX, the wrong twin's LaTeX)
FORMULAS = [
    ("dE/dw5", r"\frac{\partial E_{total}}{\partial w_5}", D_O1 * H1,
     r"(out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})\, out_{h1}",
     r"(out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})\, out_{h2}"),
    ("dE/dw1", r"\frac{\partial E_{total}}{\partial w_1}", (D_O1 * W["w5"] + D_O2 * W["w7"]) * H1 * (1 - H1) * I1,
     r"(\delta_{o1} w_5 + \delta_{o2} w_7)\, out_{h1}(1 - out_{h1})\, i_1",
     r"(\delta_{o1} w_5 + \delta_{o2} w_6)\, out_{h1}(1 - out_{h1})\, i_1"),
    ("dE/db2", r"\frac{\partial E_{total}}{\partial b_2}", D_O1 + D_O2, r"\delta_{o1} + \delta_{o2}", r"\delta_{o1}"),
    ("delta_h1", r"\delta_{h1}", (D_O1 * W["w5"] + D_O2 * W["w7"]) * H1 * (1 - H1),
     r"(\delta_{o1} w_5 + \delta_{o2} w_7)\, out_{h1}(1 - out_{h1})",
     r"(\delta_{o1} w_5 + \delta_{o2} w_7)\, out_{h1}"),
    ("w5+", r"w_5^{+}", W["w5"] - ETA * D_O1 * H1, r"w_5 - \eta\, \delta_{o1}\, out_{h1}",
     r"w_5 + \eta\, \delta_{o1}\, out_{h1}"),
    ("E", "E_{total}", ((T1 - O1) ** 2 + (T2 - O2) ** 2) / 2,
     r"\frac{1}{2}(target_{o1} - out_{o1})^2 + \frac{1}{2}(target_{o2} - out_{o2})^2",
     r"\frac{1}{2}(target_{o1} - out_{o1})^2"),
    ("net_h1", "net_{h1}", W["w1"] * I1 + W["w2"] * I2 + W["b1"], r"w_1 i_1 + w_2 i_2 + b_1",
     r"w_1 i_1 + w_3 i_2 + b_1"),
    ("h1", "out_{h1}", 1 / (1 + sp.exp(-N_H1)), r"\frac{1}{1 + e^{-net_{h1}}}", r"\frac{1}{1 + e^{net_{h1}}}"),
]


def true_formula(quantity: str, formula: sp.Expr) -> sp.Expr:
    """The quantity's truth in the leaves, by sympy alone: diff of the composed error for a gradient or δ, one
    gradient step for an update, the composition for a forward quantity."""
    if quantity.startswith("dE/d"):
        return T.symbolic_gradient(NET, NET.by_name(quantity[4:]))
    if quantity.startswith("delta_"):
        return T.symbolic_delta(NET, N_H1)
    if quantity.endswith("+"):
        p = NET.by_name(quantity[:-1])
        return p - ETA * T.symbolic_gradient(NET, p)
    return T.composition(NET)[{"E": NET.error, "net_h1": N_H1, "h1": H1}[quantity]]


def true_value(quantity: str) -> sp.Expr:
    return leaves_at(NET, true_formula(quantity, sp.Integer(0)))


@pytest.mark.parametrize(("quantity", "head", "formula", "latex", "twin"), FORMULAS, ids=[f[0] for f in FORMULAS])
def test_a_right_formula_is_correct_and_its_wrong_twin_is_not(quantity: str, head: str, formula: sp.Expr,
                                                              latex: str, twin: str) -> None:
    # the formula by hand is the truth: its composition minus sympy's is identically zero
    assert T.symbolic_zero(in_leaves(NET, formula) - true_formula(quantity, formula))
    number = rounded(true_value(quantity), 6)
    good = judge(SEED004, quantity, f"{head} = {latex} = {number}")
    assert right(good), [(line.latex, line.verdict, line.message) for line in good.lines]
    assert good.first_wrong is None and good.diagnosis == []
    bad = judge(SEED004, quantity, f"{head} = {twin}")
    assert not right(bad)
    assert bad.first_wrong == 1 and bad.lines[1].verdict == INCORRECT  # the member after the head
    assert bad.lines[1].expected and bad.diagnosis and bad.diagnosis[0].line == 1


@pytest.mark.parametrize("quantity", ["dE/dw5", "dE/dw1", "dE/dw7", "dE/db1", "w5+", "E", "h1"])
@pytest.mark.parametrize("places", [3, 4, 6, 9])
def test_a_number_is_right_to_the_places_written_and_two_units_off_is_wrong(quantity: str, places: int) -> None:
    v = true_value(quantity)
    text = rounded(v, places)
    head = {"dE/dw5": r"\frac{\partial E}{\partial w_5}", "dE/dw1": r"\frac{\partial E}{\partial w_1}",
            "dE/dw7": r"\frac{\partial E}{\partial w_7}", "dE/db1": r"\frac{\partial E}{\partial b_1}",
            "w5+": "w_5^{+}", "E": "E", "h1": "out_{h1}"}[quantity]
    digits = 1 if abs(v) < sp.Rational(1, 10) ** (places - 1) else 2  # ∂E/∂w1 = 0.00044 has 1 digit at 4 places
    if Decimal(text) == 0:
        return  # nothing written: see test_zero_is_never_a_nonzero_value
    assert right(judge(SEED004, quantity, f"{head} = {text}", digits)), text
    off = Decimal(text) + 2 * Decimal(1).scaleb(-places) * (1 if v > 0 else -1)
    wrong = judge(SEED004, quantity, f"{head} = {off}", digits)
    assert not right(wrong) and wrong.lines[-1].verdict == INCORRECT, off


def test_zero_is_never_a_nonzero_value() -> None:
    # ∂E/∂w1 = 0.000438568 (Mazur): 0.000 is its rounding to 3 places, but it says nothing of it
    for text, digits in (("0", 0), ("0.000", 0), ("0.00044", 2)):
        verdict = right(judge(SEED004, "dE/dw1", rf"\frac{{\partial E}}{{\partial w_1}} = {text}", digits))
        assert verdict is (text == "0.00044"), text


@pytest.mark.parametrize(("text", "digits", "ok"), [
    ("0.08", 1, True), ("0.08", 2, False), ("0.082", 2, True), ("0.082", 3, False), ("0.0822", 3, True),
    ("0.09", 1, False),  # not a rounding of 0.0822 at all
])
def test_min_significant_is_the_least_number_of_true_digits_an_answer_must_give(text: str, digits: int,
                                                                                  ok: bool) -> None:
    judged = judge(SEED004, "dE/dw5", rf"\frac{{\partial E}}{{\partial w_5}} = {text}", digits)
    assert right(judged) is ok
    if text == "0.08" and not ok:
        assert judged.lines[-1].kind == "too_few_digits" and judged.diagnosis[0].kind == "too_few_digits"


def test_rounded_factors_drift_within_their_precision_and_not_beyond() -> None:
    """∂E/∂w5 = (o1 − t1)·o1(1 − o1)·h1 worked by hand from its factors rounded to 2 decimals."""
    factors = [leaves_at(NET, in_leaves(NET, f)) for f in (O1 - T1, O1 * (1 - O1), H1)]
    shown = [rounded(f, 2) for f in factors]  # 0.74, 0.19, 0.59
    product = Decimal(shown[0]) * Decimal(shown[1]) * Decimal(shown[2])
    text = str(product.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
    assert text != rounded(grad("w5"), 4)  # the drift is real: 0.0830, the exact value rounds to 0.0822
    rule = r"\frac{\partial E}{\partial w_5} = (out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})\, out_{h1} = "
    line = rule + r" \times ".join(shown) + f" = {text}"
    drifted = judge(SEED004, "dE/dw5", line)
    assert right(drifted) and drifted.lines[-1].verdict == ROUNDING and drifted.lines[-1].kind == "rounding_drift"
    # 3 % beyond what the student's own numbers give: an arithmetic slip
    beyond = str((product * Decimal("1.03")).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
    slipped = judge(SEED004, "dE/dw5", line.replace(f"= {text}", f"= {beyond}"))
    assert not right(slipped) and slipped.lines[-1].kind == "arithmetic_slip"
    # the same drift after a wrong formula is no rounding: it follows a wrong line
    wrong_rule = rule.replace(r"out_{o1}(1 - out_{o1})\, out_{h1}", r"out_{o1}(1 - out_{o1})\, out_{h2}")
    wrong = judge(SEED004, "dE/dw5", wrong_rule + r" \times ".join(shown) + f" = {text}")
    assert not right(wrong) and wrong.first_wrong == 1


def test_numbers_left_as_arithmetic_are_incomplete() -> None:
    shown = [rounded(leaves_at(NET, in_leaves(NET, f)), 4) for f in (O1 - T1, O1 * (1 - O1), H1)]
    latex = r"\frac{\partial E}{\partial w_5} = " + r" \times ".join(shown)
    judged = judge(SEED004, "dE/dw5", latex)
    assert all(line.verdict == CORRECT for line in judged.lines)  # nothing wrong on the lines …
    assert not judged.established  # … but the answer is not worked out
    assert judged.diagnosis[0].kind == "incomplete" and "not worked out" in judged.diagnosis[0].message
    worked = judge(SEED004, "dE/dw5", latex + f" = {rounded(grad('w5'), 4)}")
    assert right(worked)


def test_an_unknown_name_is_never_accepted() -> None:
    for latex in (r"\frac{\partial E}{\partial w_5} = q_7\, out_{h1}",
                  r"\frac{\partial E}{\partial w_5} = \delta_{o3}\, out_{h1}"):
        judged = judge(SEED004, "dE/dw5", latex)
        assert not right(judged)
        last = judged.lines[-1]
        assert last.verdict != CORRECT and last.kind.startswith("unresolved") and "unknown name" in last.message
    assert right(judge(SEED004, "dE/dw5", r"\frac{\partial E}{\partial w_5} = \delta_{o1}\, out_{h1}"))


def test_where_lines_complete_a_chain_rule_and_one_missing_leaves_it_incomplete() -> None:
    v = {name: rounded(leaves_at(NET, in_leaves(NET, f)), 4)
         for name, f in (("dE/do", O1 - T1), ("do/dn", O1 * (1 - O1)), ("dn/dw", H1))}
    rule = (r"\frac{\partial E}{\partial w_5} = \frac{\partial E}{\partial out_{o1}} \frac{\partial out_{o1}}"
            r"{\partial net_{o1}} \frac{\partial net_{o1}}{\partial w_5}")
    where = [rf"\frac{{\partial E}}{{\partial out_{{o1}}}} = out_{{o1}} - target_{{o1}} = {v['dE/do']}",
             rf"\frac{{\partial out_{{o1}}}}{{\partial net_{{o1}}}} = out_{{o1}}(1 - out_{{o1}}) = {v['do/dn']}",
             rf"\frac{{\partial net_{{o1}}}}{{\partial w_5}} = out_{{h1}} = {v['dn/dw']}"]
    assert right(judge(SEED004, "dE/dw5", "\n".join([rule, *where])))
    missing = judge(SEED004, "dE/dw5", "\n".join([rule, *where[:2]]))
    assert not missing.established and all(line.verdict == CORRECT for line in missing.lines)
    assert "no line evaluates" in missing.diagnosis[0].message
    # a where-line that is wrong is wrong, whatever the rest
    bad = judge(SEED004, "dE/dw5", "\n".join([rule, where[0], where[1].replace("(1 - out", "(1 + out"), where[2]]))
    assert not right(bad) and "1 + out" in bad.lines[bad.first_wrong].latex


def test_a_chain_about_another_quantity_does_not_answer() -> None:
    v6 = rounded(grad("w6"), 4)  # ∂E/∂w6, right about itself
    judged = judge(SEED004, "dE/dw5", rf"\frac{{\partial E}}{{\partial w_6}} = \delta_{{o1}}\, out_{{h2}} = {v6}")
    assert all(line.verdict == CORRECT for line in judged.lines) and not judged.established
    assert judged.diagnosis[0].kind == "other_quantity" and "dE/dw6" in judged.diagnosis[0].message


def test_the_students_own_names_carry_to_later_answers_of_the_same_judge() -> None:
    j = Judge(truth_of(SEED004))
    own = judge(SEED004, "delta_o1", r"g = (out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})", j=j)
    assert right(own)
    assert right(judge(SEED004, "dE/dw5", r"\frac{\partial E}{\partial w_5} = g\, out_{h1}", j=j))
    # the twin: g defined without o(1 − o) is wrong, and so is ∂E/∂w5 = g·out_h1 with that g
    j2 = Judge(truth_of(SEED004))
    assert not right(judge(SEED004, "delta_o1", r"g = out_{o1} - target_{o1}", j=j2))
    assert not right(judge(SEED004, "dE/dw5", r"\frac{\partial E}{\partial w_5} = g\, out_{h1}", j=j2))


def test_a_sign_convention_defined_on_its_line_is_judged_by_its_definition() -> None:
    """Mitchell: δ = (t − o)·o(1 − o) (that is −∂E/∂net), and then w ← w + η δ h is the gradient step."""
    delta = r"\delta_{o1} = (target_{o1} - out_{o1})\, out_{o1}(1 - out_{o1})"
    new = rounded(true_value("w5+"), 6)  # w5 − η ∂E/∂w5 (a numeric network: the update must reach its number)
    against = rounded(W["w5"].subs(NET.values) + NET.values[ETA] * grad("w5"), 6)  # w5 + η ∂E/∂w5
    assert right(judge(SEED004, "w5+", delta + "\n" + rf"w_5^{{+}} = w_5 + \eta\, \delta_{{o1}}\, out_{{h1}} = {new}"))
    assert not right(judge(SEED004, "w5+", delta + "\n"
                           + rf"w_5^{{+}} = w_5 - \eta\, \delta_{{o1}}\, out_{{h1}} = {against}"))


def test_a_symbolic_network_judges_formulas_and_has_no_numbers() -> None:
    net = Network.load(SEED003)
    (h1, _), (o,) = net.layers[0].outs, net.layers[1].outs
    formula = (o - net.targets[0]) * o * (1 - o) * h1  # ∂E/∂w5 of seed 003, by hand
    assert T.symbolic_zero(T.compose(net, formula) - T.symbolic_gradient(net, net.by_name("w5")))
    head = r"\frac{\partial E}{\partial w_5} = "
    assert right(judge(SEED003, "dE/dw5", head + r"-(target - out_O)\, out_O(1 - out_O)\, out_{h_1}"))
    assert not right(judge(SEED003, "dE/dw5", head + r"-(target - out_O)\, out_O(1 - out_O)\, out_{h_2}"))
    number = judge(SEED003, "dE/dw5", head + "0.08")
    assert not right(number) and number.lines[-1].message == "a number, but the network is symbolic"


def test_a_batch_gradient_is_over_every_sample() -> None:
    net = Network.load(SOFTMAX)
    w5 = net.by_name("w5")
    batch = T.symbolic_batch_gradient(net, w5).xreplace(dict(net.values))
    assert T.agree(batch, T.finite_differences(net, [w5], digits=30)[w5], 25)
    first = leaves_at(net, T.symbolic_gradient(net, w5), 0)  # sample 1's gradient alone
    head = r"\frac{\partial E}{\partial w_5} = "
    assert right(judge(SOFTMAX, "dE/dw5", head + rounded(batch, 6)))
    one = judge(SOFTMAX, "dE/dw5", head + rounded(first, 6))
    assert not right(one) and one.diagnosis[0].kind == "one_sample"


def test_seed002_a_linear_network_and_an_update() -> None:
    net = Network.load(SEED002)
    w6 = net.by_name("w6")
    new = leaves_at(net, w6 - net.learning_rate * T.symbolic_gradient(net, w6))  # 0.15 + 0.05·0.38832
    assert new == sp.Rational("0.169416")
    assert right(judge(SEED002, "w6+", r"w_6^{+} = w_6 - \eta \frac{\partial Error}{\partial w_6} = 0.169416"))
    assert not right(judge(SEED002, "w6+", r"w_6^{+} = w_6 + \eta \frac{\partial Error}{\partial w_6} = 0.130584"))


def test_seed000_per_weight_deltas_are_not_the_neurons_error_terms() -> None:
    # seed 000 writes δ1 = (δ5 + δ6)·h1(1 − h1)·x1 with δ5, δ6 the per-weight ∂Error/∂w5, ∂Error/∂w6: they carry
    # out_h1 instead of w5, w6 — not ∂Error/∂w1
    net = Network.load(SEED000)
    (h1, _), (o1, o2) = net.layers[0].outs, net.layers[1].outs
    y1, y2 = net.targets
    w5, w6, x1 = net.by_name("w5"), net.by_name("w6"), net.inputs[0]
    d1, d2 = (o1 - y1) * o1 * (1 - o1), (o2 - y2) * o2 * (1 - o2)
    per_weight = (d1 * h1 + d2 * h1) * h1 * (1 - h1) * x1
    true = (d1 * w5 + d2 * w6) * h1 * (1 - h1) * x1  # In_o1 = w5 h1 + w7 h2 (numbered by source)
    assert T.symbolic_zero(T.compose(net, true) - T.symbolic_gradient(net, net.by_name("w1")))
    assert not T.symbolic_zero(T.compose(net, per_weight) - T.symbolic_gradient(net, net.by_name("w1")))
    head = r"\frac{\partial Error}{\partial w_1} = "
    assert right(judge(SEED000, "dE/dw1", head + r"(\delta_{o1} w_5 + \delta_{o2} w_6)\, h_1(1 - h_1)\, x_1"))
    wrong = judge(SEED000, "dE/dw1", head + r"(\delta_5 + \delta_6)\, h_1(1 - h_1)\, x_1")
    assert not right(wrong) and wrong.diagnosis[0].kind == "per_weight_delta"


def test_line_verdicts_say_why() -> None:
    judged = judge(SEED004, "dE/dw5", rf"\frac{{\partial E}}{{\partial w_5}} = \delta_{{o1}}\, out_{{h1}} = "
                                      rf"{rounded(grad('w5'), 4)}")
    head, formula, number = judged.lines
    assert isinstance(head, LineVerdict) and head.message == "the quantity dE/dw5"
    assert formula.message.startswith("equal to the truth")
    assert number.message == f"{rounded(grad('w5'), 4)} is the true value {rounded(grad('w5'), 7)} to 4 decimals"
    zh = Judge(truth_of(SEED004), lang="zh")
    said = judge(SEED004, "dE/dw5", r"\frac{\partial E}{\partial w_5} = \delta_{o1}\, out_{h2}", j=zh)
    assert "不等于" in said.lines[-1].message


# -- random networks: a number from central differences is right, a wrong one is not -----------------------

@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(network_specs(samples=(1, 2), hidden=(1, 2), widths=(1, 2), inputs=(1, 2),
                     activations=("identity", "sigmoid", "tanh", "softplus")), st.data())
def test_random_networks_gradients_as_numbers(spec: dict[str, Any], data: st.DataObject) -> None:
    net = network(spec)
    p = data.draw(st.sampled_from(net.params))
    fd = T.finite_differences(net, [p], digits=30)[p]  # of the batch loss, in mpmath
    v = sp.Rational(str(fd))
    if abs(v) < sp.Rational(1, 10**6):
        return  # (a gradient that is 0 or nearly: nothing to round)
    places = max(3, 6 - int(sp.floor(sp.log(abs(v), 10))))  # about 7 significant digits
    text = rounded(v, places)
    head = rf"\frac{{\partial E}}{{\partial {Notation(net).latex_names[p]}}} = "
    j = Judge(Truth.at_step(net))
    assert right(judge(net, f"dE/d{p.name}", head + text, 2, j)), (p, text)
    off = str(Decimal(text) * Decimal("1.01"))  # 1 % off: far beyond the 7 digits written
    assert not right(judge(net, f"dE/d{p.name}", head + off, 2, Judge(j.truth))), (p, off)
