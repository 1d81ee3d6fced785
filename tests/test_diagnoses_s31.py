"""Session 31's detectors, each on a wrong answer built by hand with its right answer beside it. Every number is
computed here by tests/corpus/truth_values.py (its own mpmath forward pass and central differences), never taken
from the checker; seed 004 is Mazur's network (η = ½)."""

from __future__ import annotations

import mpmath
from test_check import SEED004, check

from corpus import truth_values as tv

SPEC = "seed004_mattmazur.toml"


def _n(x: mpmath.mpf, digits: int = 9) -> str:
    return mpmath.nstr(x, digits, strip_zeros=False, min_fixed=-20, max_fixed=20)


def _verdicts(spec, quantity: str, wrong: str, right: str, step: int = 0) -> tuple[str, str]:
    """(the wrong answer's first diagnosis kind, the right answer's verdict)."""
    r = check(spec, ("wrong", quantity, wrong, step), ("right", quantity, right, step))
    assert r["wrong"].verdict == "incorrect", (r["wrong"].verdict, r["wrong"].message)
    return r["wrong"].diagnosis[0].kind, r["right"].verdict


def _forward(step: int = 0) -> tuple[dict, dict]:
    net = tv.load_net(SPEC)
    f = tv.forward(net, tv.params_at(SPEC, step))
    return f.nets, f.outs


def test_numbers_of_a_slip_after_the_right_formula() -> None:
    """The right formula, then its numbers put in as 0.01 − out_{o1} (t − o): every number is right, their
    arrangement is the sign flipped, not an arithmetic slip."""
    _, outs = _forward()
    o, h = outs["o1"], outs["h1"]
    formula = r"\frac{\partial E}{\partial w_5} = (out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})\, out_{h1} = "
    wrong = formula + rf"(0.01 - {_n(o)}) \times {_n(o)} \times (1 - {_n(o)}) \times {_n(h)} = " \
        + _n((mpmath.mpf("0.01") - o) * o * (1 - o) * h)
    right = formula + rf"({_n(o)} - 0.01) \times {_n(o)} \times (1 - {_n(o)}) \times {_n(h)} = " \
        + _n(tv.numeric_value(SPEC, "dE/dw5"))
    assert _verdicts(SEED004, "dE/dw5", wrong, right) == ("sign_flipped", "correct")


def test_the_learning_rate_left_out_when_it_is_a_half() -> None:
    """With η = ½, 0.4 − ∂E/∂w_5 is also w − η·2∂E/∂w: in an update the learning rate left out, not a factor 2."""
    g = tv.numeric_value(SPEC, "dE/dw5")
    wrong = rf"w_5^+ = 0.4 - {_n(g)} = {_n(mpmath.mpf('0.4') - g)}"
    right = rf"w_5^+ = 0.4 - 0.5 \times {_n(g)} = " + _n(tv.numeric_value(SPEC, "w5+"))
    assert _verdicts(SEED004, "w5+", wrong, right) == ("missing_learning_rate", "correct")


def test_a_local_derivative_names_another_input() -> None:
    """∂net_{h1}/∂w_2 = i_1 on its own line: w_2 multiplies i_2, a wrong input."""
    rest = r", \quad \frac{\partial E}{\partial w_2} = \frac{\partial E}{\partial net_{h1}} \cdot i_2 = " \
        + _n(tv.numeric_value(SPEC, "dE/dw2"))
    wrong = r"\frac{\partial net_{h1}}{\partial w_2} = i_1" + rest
    right = r"\frac{\partial net_{h1}}{\partial w_2} = i_2" + rest
    assert _verdicts(SEED004, "dE/dw2", wrong, right) == ("wrong_input", "correct")


def test_a_weight_before_the_last_update_at_the_second_step() -> None:
    """At step 1 the forward pass uses the updated w_5, w_6; the initial 0.4 and 0.45 put in are stale weights."""
    nets, outs = _forward(1)
    ps = tv.params_at(SPEC, 1)
    h1, h2 = outs["h1"], outs["h2"]
    formula = r"net_{o1} = w_5\, out_{h1} + w_6\, out_{h2} + b_2 = "
    wrong = formula + rf"0.4 \times {_n(h1)} + 0.45 \times {_n(h2)} + 0.6 = " \
        + _n(mpmath.mpf("0.4") * h1 + mpmath.mpf("0.45") * h2 + mpmath.mpf("0.6"))
    right = formula + rf"{_n(ps['w5'])} \times {_n(h1)} + {_n(ps['w6'])} \times {_n(h2)} + 0.6 = {_n(nets['o1'])}"
    assert _verdicts(SEED004, "net_o1", wrong, right, step=1) == ("wrong_weight", "correct")


def test_the_neurons_own_output_for_the_weights_input() -> None:
    """∂net_{o1}/∂w_5 is out_{h1}, the input w_5 multiplies; out_{o1} written for it is a wrong input."""
    head = r"\frac{\partial E}{\partial w_5} = (out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})\, "
    assert _verdicts(SEED004, "dE/dw5", head + "out_{o1}", head + "out_{h1}") == ("wrong_input", "correct")


def test_the_asked_quantity_under_a_name_of_the_students_own() -> None:
    """δ_1 written with the 2 of the square kept: no line is about δ_{o1} as the network means it, but the line
    gives it with a factor 2."""
    wrong = r"\delta_1 = 2(out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})"
    right = r"\delta_1 = (out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})"
    assert _verdicts(SEED004, "delta_o1", wrong, right) == ("factor_two", "correct")


def test_a_step_with_the_gradients_sign_flipped_is_an_update_sign() -> None:
    """Δw_5 = +η δ_{o1} out_{h1}, then w_5 + Δw_5: the step goes uphill."""
    g = tv.numeric_value(SPEC, "dE/dw5")
    step = mpmath.mpf("0.5") * g
    wrong = rf"\Delta w_5 = \eta\, \delta_{{o1}}\, out_{{h1}} = {_n(step)}, \quad w_5^+ = w_5 + \Delta w_5 = 0.4 + " \
        rf"{_n(step)} = {_n(mpmath.mpf('0.4') + step)}"
    right = rf"\Delta w_5 = -\eta\, \delta_{{o1}}\, out_{{h1}} = {_n(-step)}, \quad w_5^+ = w_5 + \Delta w_5 = 0.4 - " \
        rf"{_n(step)} = {_n(tv.numeric_value(SPEC, 'w5+'))}"
    assert _verdicts(SEED004, "w5+", wrong, right) == ("update_sign", "correct")


def test_the_weight_gradients_carried_back_with_their_weights() -> None:
    """BP2 with δ_5 = ∂E/∂w_5 (a weight's gradient, δ_{o1}·out_{h1}) in place of δ_{o1}: a per-weight δ."""
    g5, g7 = tv.numeric_value(SPEC, "dE/dw5"), tv.numeric_value(SPEC, "dE/dw7")
    d1, d2 = tv.numeric_value(SPEC, "delta_o1"), tv.numeric_value(SPEC, "delta_o2")
    wrong = r"\frac{\partial E}{\partial out_{h1}} = w_5 \frac{\partial E}{\partial w_5} + " \
        rf"w_7 \frac{{\partial E}}{{\partial w_7}} = 0.4 \times {_n(g5)} + 0.5 \times {_n(g7)} = " \
        + _n(mpmath.mpf("0.4") * g5 + mpmath.mpf("0.5") * g7)
    right = r"\frac{\partial E}{\partial out_{h1}} = w_5 \frac{\partial E}{\partial net_{o1}} + " \
        rf"w_7 \frac{{\partial E}}{{\partial net_{{o2}}}} = 0.4 \times {_n(d1)} + 0.5 \times {_n(d2)} = " \
        + _n(tv.numeric_value(SPEC, "dE/dh1"))
    assert _verdicts(SEED004, "dE/dh1", wrong, right) == ("per_weight_delta", "correct")


def test_the_change_of_the_weight_for_the_new_weight() -> None:
    """w_5⁺ asked, −η ∂E/∂w_5 given: the change of the weight, another quantity."""
    g = tv.numeric_value(SPEC, "dE/dw5")
    wrong = rf"w_5^+ = -\eta \frac{{\partial E}}{{\partial w_5}} = -0.5 \times {_n(g)} = {_n(-g / 2)}"
    right = rf"w_5^+ = w_5 - \eta \frac{{\partial E}}{{\partial w_5}} = 0.4 - 0.5 \times {_n(g)} = " \
        + _n(tv.numeric_value(SPEC, "w5+"))
    assert _verdicts(SEED004, "w5+", wrong, right) == ("other_quantity", "correct")


def test_a_hidden_output_for_the_networks_input() -> None:
    """∂E/∂w_1 = δ_{h1}·out_{h1}: the hidden unit's own output where the input i_1 that w_1 multiplies belongs."""
    head = r"\frac{\partial E}{\partial w_1} = \frac{\partial E}{\partial net_{h1}}\, "
    d = tv.numeric_value(SPEC, "delta_h1")
    _, outs = _forward()
    wrong = head + rf"out_{{h1}} = {_n(d)} \times {_n(outs['h1'])} = {_n(d * outs['h1'])}"
    right = head + rf"i_1 = {_n(d)} \times 0.05 = {_n(tv.numeric_value(SPEC, 'dE/dw1'))}"
    assert _verdicts(SEED004, "dE/dw1", wrong, right) == ("wrong_input", "correct")
