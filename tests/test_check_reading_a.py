"""The checker reading notations met in the tune7, tune9 and tune10 corpus parts: a \\sum over a listed set of
units (\\sum_{k \\in \\{5, 6\\}}), prose in other languages with a unit's number in it (\\text{du neurone caché } 2
\\text{ vaut }), Bishop's E^n (the error of pattern n), Aggarwal's edge weights w_{(x_3, h_2)} and error terms
δ(h_2, o). Each right answer has a wrong twin that must be rejected. The numbers are Mazur's published ones for
seed 004 (net_h1 = 0.3775, out_h1 = 0.593269992, δ_o1 = 0.138498562, δ_o2 = −0.038098237), recomputed here with
mpmath from the network's definition; the symbolic seed 001's formulas are those its spec states (W^{(1)}_{ij}
joins input i to hidden unit j, W^{(2)}_j hidden unit j to the output y, E = ½(d − y)²)."""

from __future__ import annotations

import mpmath as mp
import sympy as sp
from test_check import EX, SEED003, SEED004, check, verdicts

SEED001 = EX / "seed001_abstract_phi.toml"


def _mazur() -> dict[str, mp.mpf]:
    """Mazur's 2-2-2 network, one forward pass and the output error terms, computed from its definition."""
    mp.mp.dps = 30
    i1, i2, b1, b2 = mp.mpf("0.05"), mp.mpf("0.10"), mp.mpf("0.35"), mp.mpf("0.60")
    w1, w2, w3, w4, w5, w6, w7, w8 = (mp.mpf(x) for x in ("0.15", "0.20", "0.25", "0.30", "0.40", "0.45", "0.50",
                                                          "0.55"))
    t1, t2 = mp.mpf("0.01"), mp.mpf("0.99")
    sig = lambda x: 1 / (1 + mp.e ** (-x))  # noqa: E731
    net_h1 = w1 * i1 + w2 * i2 + b1
    h1, h2 = sig(net_h1), sig(w3 * i1 + w4 * i2 + b1)
    o1, o2 = sig(w5 * h1 + w6 * h2 + b2), sig(w7 * h1 + w8 * h2 + b2)
    d1, d2 = (o1 - t1) * o1 * (1 - o1), (o2 - t2) * o2 * (1 - o2)
    return {"net_h1": net_h1, "h1": h1, "d1": d1, "d2": d2, "dh1": h1 * (1 - h1) * (w5 * d1 + w7 * d2)}


def _f(x: mp.mpf, places: int = 9) -> str:
    return mp.nstr(x, places, strip_zeros=False, min_fixed=-mp.inf, max_fixed=mp.inf)


def test_mazur_values_are_the_published_ones() -> None:
    v = _mazur()
    assert _f(v["net_h1"], 4) == "0.3775" and _f(v["h1"], 9) == "0.593269992"
    assert _f(v["d1"], 9) == "0.138498562" and _f(v["d2"], 9) == "-0.0380982365"


def test_a_sum_over_a_listed_set_of_units() -> None:
    """\\sum_{i \\in \\{1, 2, 3\\}}: the terms i = 1, 2, 3 (a set leaving a unit out is missing its term)."""
    assert verdicts(SEED001,
                    ("all", "net_h2", r"v_2 = \sum_{i \in \{1, 2, 3\}} W^{(1)}_{i2}\, x_i"),
                    ("two", "net_h2", r"v_2 = \sum_{i \in \{1, 2\}} W^{(1)}_{i2}\, x_i"),
                    ("other", "net_h2", r"v_2 = \sum_{i \in \{1, 2, 3\}} W^{(1)}_{2i}\, x_i")) == {
        "all": "correct", "two": "incorrect", "other": "incorrect"}


def test_a_sum_over_a_listed_set_with_numbers() -> None:
    """δ_{h1} = out_{h1}(1 − out_{h1}) Σ_{k ∈ {1, 2}} δ_{o_k} w_{k}: Mazur's numbers; the twin uses w6 for w7."""
    v = _mazur()
    h1, d1, d2 = v["h1"], v["d1"], v["d2"]
    right = h1 * (1 - h1) * (mp.mpf("0.40") * d1 + mp.mpf("0.50") * d2)
    wrong = h1 * (1 - h1) * (mp.mpf("0.40") * d1 + mp.mpf("0.45") * d2)
    body = r"\delta_{h1} = out_{h1}(1 - out_{h1}) \sum_{k \in \{1, 2\}} \delta_{o_k}\, \omega_k, \quad "
    end = r"\omega_1 = w_5, \quad \omega_2 = w_{} \\ \delta_{{h1}} = {}"
    assert verdicts(SEED004, ("right", "delta_h1", body + end.format(7, _f(right))),
                    ("wrong", "delta_h1", body + end.format(6, _f(wrong)))) == {
        "right": "correct", "wrong": "incorrect"}


def test_prose_in_other_languages_with_a_units_number() -> None:
    """\\text{ vaut }, \\text{ ist } are prose, and a whole number between two pieces of prose is a word of it (the
    neuron's number), not a claim."""
    assert verdicts(SEED001,
                    ("fr", "net_h2", r"\text{Le potentiel du neurone caché } 2 \text{ vaut } v_2 = W^{(1)}_{12} x_1"
                                     r" + W^{(1)}_{22} x_2 + W^{(1)}_{32} x_3"),
                    ("fr-swapped", "net_h2", r"\text{Le potentiel du neurone caché } 2 \text{ vaut } v_2 = "
                                             r"W^{(1)}_{21} x_1 + W^{(1)}_{22} x_2 + W^{(1)}_{23} x_3")) == {
        "fr": "correct", "fr-swapped": "incorrect"}
    net_h1 = _f(_mazur()["net_h1"], 4)
    assert verdicts(SEED004,
                    ("de", "net_h1", r"\text{Die Netzeingabe von Neuron } 1 \text{ ist } net_{h1} = 0.15 \times 0.05"
                                     rf" + 0.2 \times 0.1 + 0.35 = {net_h1}"),
                    ("de-slip", "net_h1", r"\text{Die Netzeingabe von Neuron } 1 \text{ ist } net_{h1} = 0.15 "
                                          r"\times 0.05 + 0.2 \times 0.1 + 0.35 = 0.3875")) == {
        "de": "correct", "de-slip": "incorrect"}


def test_bishops_error_of_pattern_n() -> None:
    """E^n, E^{n}: the error of pattern n (one sample: the error), not E to the power n."""
    assert verdicts(SEED001,
                    ("bare", "dE/dW2_2", r"\frac{\partial E^n}{\partial w^{(2)}_{2}} = (y - d)\, h_2"),
                    ("braced", "dE/dW2_2", r"\frac{\partial E^{n}}{\partial w^{(2)}_{2}} = (y - d)\, h_2"),
                    ("other-unit", "dE/dW2_2", r"\frac{\partial E^n}{\partial w^{(2)}_{2}} = (y - d)\, h_3"),
                    ("sign", "dE/dW2_2", r"\frac{\partial E^n}{\partial w^{(2)}_{2}} = (d - y)\, h_2")) == {
        "bare": "correct", "braced": "correct", "other-unit": "incorrect", "sign": "incorrect"}


def test_aggarwals_edge_weights_and_error_terms() -> None:
    """w_{(x_3, h_2)} is the weight of the edge from x_3 into h_2 (W^{(1)}_{32}); δ(h_2, o) = ∂L/∂a_2 is h_2's
    error term. Named only by a derivative on its own line, δ(h_2, o) is not worked out: incomplete."""
    r = check(SEED001,
              ("right", "dE/dW1_32", r"\frac{\partial L}{\partial w_{(x_3, h_2)}} = \delta(h_2, o)\cdot x_3 = "
                                     r"\Phi'(a_2)\, W^{(2)}_2\,(y - d)\, x_3"),
              ("input", "dE/dW1_32", r"\frac{\partial L}{\partial w_{(x_3, h_2)}} = \delta(h_2, o)\cdot x_2"),
              ("unit", "dE/dW1_32", r"\frac{\partial L}{\partial w_{(x_3, h_2)}} = \Phi'(a_2)\, W^{(2)}_3\,(y - d)"
                                    r"\, x_3"),
              ("named", "dE/dW1_12", r"\frac{\partial L}{\partial w_{(x_1, h_2)}} = \delta(h_2, o)\cdot x_1, \qquad"
                                     r" \text{where } \delta(h_2, o) = \frac{\partial L}{\partial a_2}"))
    assert {k: a.verdict for k, a in r.items()} == {
        "right": "correct", "input": "incorrect", "unit": "incorrect", "named": "incorrect"}
    assert r["named"].diagnosis[0].kind == "incomplete"


def test_several_weights_after_their_update_in_the_backward_pass() -> None:
    """(δ_o1 w_5⁺ + δ_o2 w_7⁺) out_h1(1 − out_h1) i_1: two weights written after the update (Mazur: w5⁺ =
    0.35891648, w7⁺ = 0.51130127), which no single number's replacement explains, are named together; with the
    weights of the forward pass the line is Mazur's ∂E/∂w1 = 0.000438568."""
    v = _mazur()
    h1, d1, d2 = v["h1"], v["d1"], v["d2"]
    w5n, w7n = mp.mpf("0.40") - mp.mpf("0.5") * d1 * h1, mp.mpf("0.50") - mp.mpf("0.5") * d2 * h1
    assert _f(w5n, 8) == "0.35891648" and _f(w7n, 8) == "0.51130127"
    s = h1 * (1 - h1)
    head = r"\frac{\partial E}{\partial w_1} = (\delta_{o1} w_5 + \delta_{o2} w_7)\, out_{h1}(1 - out_{h1})\, i_1 = "
    line = r"({} \times {} + ({}) \times {}) \times {} \times 0.05 = {}"
    right = line.format(_f(d1), "0.40", _f(d2), "0.50", _f(s), _f((d1 * mp.mpf("0.4") + d2 * mp.mpf("0.5")) * s / 20))
    assert _f((d1 * mp.mpf("0.4") + d2 * mp.mpf("0.5")) * s / 20, 6) == "0.000438568"
    wrong = line.format(_f(d1), _f(w5n, 8), _f(d2), _f(w7n, 8), _f(s), _f((d1 * w5n + d2 * w7n) * s / 20))
    r = check(SEED004, ("right", "dE/dw1", head + right), ("updated", "dE/dw1", head + wrong))
    assert r["right"].verdict == "correct" and r["updated"].verdict == "incorrect"
    d = r["updated"].diagnosis[0]
    assert d.kind == "updated_weights" and "w_{5}" in d.message and "w_{7}" in d.message, d.message


def test_a_wrong_number_after_right_numbers_is_an_arithmetic_slip() -> None:
    """½(0.01 − 0.75136507)² + … = ½ · 0.74236507² + …: the member before had the right numbers, so the wrong one is
    a slip of the arithmetic (Mazur's E_total = 0.298371109)."""
    mp.mp.dps = 30
    o1, o2 = mp.mpf("0.75136507"), mp.mpf("0.772928465")  # Mazur's out_o1, out_o2
    total = (mp.mpf("0.01") - o1) ** 2 / 2 + (mp.mpf("0.99") - o2) ** 2 / 2
    assert _f(total) == "0.298371109"
    first = r"E = \frac{1}{2}(0.01 - 0.75136507)^2 + \frac{1}{2}(0.99 - 0.772928465)^2 = "
    second = r"\frac{1}{2} \times {}^2 + \frac{1}{2} \times 0.217071535^2 = {}"
    slip = mp.mpf("0.74236507")
    r = check(SEED004, ("right", "E", first + second.replace("{}", _f(o1 - mp.mpf("0.01"), 8), 1)
                        .replace("{}", _f(total))),
              ("slip", "E", first + second.replace("{}", _f(slip, 8), 1)
               .replace("{}", _f(slip ** 2 / 2 + (mp.mpf("0.99") - o2) ** 2 / 2))))
    assert r["right"].verdict == "correct" and r["slip"].verdict == "incorrect"
    assert r["slip"].diagnosis[0].kind == "arithmetic_slip", r["slip"].diagnosis


def test_a_wrong_rewriting_of_a_right_formula_is_a_slip() -> None:
    """∂E/∂w_1 = (O − t) O(1 − O) w_5 h_1(1 − h_1) i_1 (seed 003: w_1 joins i_1 to h_1, w_5 h_1 to O), then expanded:
    h_1 − h_1² is right (sympy: the same product), h_1 + h_1² a slip of the rewriting, named as such."""
    o, t, w5, h, i1 = sp.symbols("o t w5 h i1")
    assert sp.expand((o - t) * o * (1 - o) * w5 * h * (1 - h) * i1
                     - (o - t) * (o - o**2) * w5 * (h - h**2) * i1) == 0
    head = (r"\frac{\partial E}{\partial w_1} = (out_O - target)\, out_O(1 - out_O)\, w_5\, out_{h1}(1 - out_{h1})\, "
            r"i_1 = (out_O - target)(out_O - out_O^2)\, w_5\, (out_{h1} ")
    r = check(SEED003, ("right", "dE/dw1", head + r"- out_{h1}^2)\, i_1"),
              ("slip", "dE/dw1", head + r"+ out_{h1}^2)\, i_1"))
    assert r["right"].verdict == "correct" and r["slip"].verdict == "incorrect"
    assert r["slip"].diagnosis[0].kind == "arithmetic_slip", r["slip"].diagnosis


def test_a_step_that_leaves_out_a_path_is_named() -> None:
    """Δb_1 = −η δ_{h1} on a line of its own: seed 003's b_1 is shared by h_1 and h_2 (sympy: ∂E/∂b_1 = δ_{h1} +
    δ_{h2}), so the step leaves out the path through h_2 — named as a missing path, not just "different"."""
    i1, i2, b1, b2, t, *w = sp.symbols("i1 i2 b1 b2 target w1:7")
    sig = lambda x: 1 / (1 + sp.exp(-x))  # noqa: E731
    n1, n2 = w[0] * i1 + w[1] * i2 + b1, w[2] * i1 + w[3] * i2 + b1
    u1, u2 = sp.symbols("u1 u2")  # the hidden net inputs, to take δ_h = ∂E/∂net_h
    loss = lambda a, c: (t - sig(w[4] * sig(a) + w[5] * sig(c) + b2)) ** 2 / 2  # noqa: E731
    deltas = (sp.diff(loss(u1, u2), u1) + sp.diff(loss(u1, u2), u2)).subs({u1: n1, u2: n2})
    assert sp.simplify(sp.diff(loss(n1, n2), b1) - deltas) == 0
    r = check(SEED003, ("both", "b1+", r"\Delta b_1 = -\eta\,(\delta_{h_1} + \delta_{h_2}), \qquad "
                                       r"b_1 \leftarrow b_1 + \Delta b_1"),
              ("one", "b1+", r"\Delta b_1 = -\eta\, \delta_{h_1}, \qquad b_1 \leftarrow b_1 + \Delta b_1"))
    assert r["both"].verdict == "correct" and r["one"].verdict == "incorrect"
    assert r["one"].diagnosis[0].kind == "missing_path", r["one"].diagnosis


def test_a_net_input_given_for_the_output_is_named() -> None:
    """out_{o1} asked, net_{o1} = 1.105905967 (Mazur) given for it: another quantity's value, named as such."""
    mp.mp.dps = 30
    v = _mazur()
    h2 = 1 / (1 + mp.e ** -(mp.mpf("0.25") * mp.mpf("0.05") + mp.mpf("0.30") * mp.mpf("0.10") + mp.mpf("0.35")))
    net_o1 = mp.mpf("0.40") * v["h1"] + mp.mpf("0.45") * h2 + mp.mpf("0.60")
    assert _f(net_o1, 10) == "1.105905967" and _f(1 / (1 + mp.e ** -net_o1), 8) == "0.75136507"
    head = r"net_{o1} = w_5\, out_{h1} + w_6\, out_{h2} + b_2 = " + _f(net_o1, 10) + r", \quad "
    r = check(SEED004, ("right", "o1", head + r"out_{o1} = \frac{1}{1 + e^{-net_{o1}}} = 0.75136507"),
              ("net", "o1", head + r"out_{o1} = " + _f(net_o1, 10)))
    assert r["right"].verdict == "correct" and r["net"].verdict == "incorrect"
    assert r["net"].diagnosis[0].kind == "other_quantity", r["net"].diagnosis
