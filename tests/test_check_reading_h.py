"""Readings of session 32's second part, from right answers of tune17 (measure13 until measure14 was written) that
were misread: a quiz's display after a line of math-mode text, Zurada's z → y → o with δ = −∂E/∂net, and ASCII's
1/2 (y − out)². Each right form has a wrong twin that must stay rejected. Numbers come from the corpus's own truth
(tests/corpus/truth_values.py: the spec read with tomllib, mpmath forward pass and central differences)."""

from __future__ import annotations

import mpmath as mp
from test_check import SEED002, SEED004, check, verdicts

from corpus.truth_values import numeric_value

SOFTMAX = SEED004.with_name("softmax_batch.toml")


def test_a_display_after_a_line_of_text() -> None:
    r"""A Moodle STACK validation box: "\text{Your last answer was interpreted as follows:} … \\ \[ … \]" — a display
    of its own starts and ends lines; a delimiter in the middle of a line stays an error."""
    h1 = numeric_value(SOFTMAX.name, "h1")
    answer = (r"\text{Your last answer was interpreted as follows:}\quad \texttt{tanh(0.3*0.5-0.1*(-0.2)+0.1)} \\"
              "\n" r"\[ \tanh\left(0.3\cdot 0.5-0.1\cdot \left(-0.2\right)+0.1\right) = VALUE \]")
    results = check(SOFTMAX, ("box", "h1", answer.replace("VALUE", mp.nstr(h1, 9))),
                    ("twin", "h1", answer.replace("VALUE", mp.nstr(h1 + mp.mpf("0.001"), 9))),
                    ("inside", "h1", rf"h_1 = $\tanh(0.27)$ = {mp.nstr(h1, 9)}"))
    assert {k: r.verdict for k, r in results.items()} == {"box": "correct", "twin": "incorrect",
                                                            "inside": "unparseable"}
    assert "may only wrap the whole answer" in results["inside"].message


def test_zuradas_hidden_y_and_input_z() -> None:
    """Zurada (Introduction to Artificial Neural Systems, §4.4): inputs z, hidden outputs y, outputs o, desired d;
    δ_ok = (d_k − o_k)(1 − o_k) o_k (−∂E/∂net) and w_kj ← w_kj + η δ_ok y_j; δ_yj the hidden unit's, v_ji ← v_ji +
    η δ_yj z_i. On seed 004: w8 joins h2 to o2, w4 joins i2 to h2."""
    w8p, w4p = numeric_value(SEED004.name, "w8+"), numeric_value(SEED004.name, "w4+")
    o2, h2 = numeric_value(SEED004.name, "o2"), numeric_value(SEED004.name, "h2")
    d_o2 = (mp.mpf("0.99") - o2) * (1 - o2) * o2
    d_h2 = -numeric_value(SEED004.name, "delta_h2")
    assert abs(mp.mpf("0.55") + mp.mpf("0.5") * d_o2 * h2 - w8p) < mp.mpf(10) ** -12
    assert abs(mp.mpf("0.30") + mp.mpf("0.5") * d_h2 * mp.mpf("0.10") - w4p) < mp.mpf(10) ** -12
    output = (rf"\delta_{{o2}} = (d_2 - o_2)(1 - o_2)o_2 = {mp.nstr(d_o2, 9)} \\" "\n"
              rf"w_8 \leftarrow w_8 + \eta\,\delta_{{o2}}\,y_2 = 0.55 + 0.5 \cdot {mp.nstr(d_o2, 9)} \cdot "
              rf"{mp.nstr(h2, 9)} = {mp.nstr(w8p, 9)}")
    hidden = (rf"w_4 \leftarrow w_4 + \eta\,\delta_{{y2}}\,z_2 = 0.30 + 0.5 \times ({mp.nstr(d_h2, 7)}) \times 0.10"
              rf" = {mp.nstr(w4p, 9)}")
    assert verdicts(SEED004, ("w8", "w8+", output),
                    ("w8-twin", "w8+", output.replace(r"\,y_2 =", r"\,y_1 =").replace(
                        mp.nstr(h2, 9), mp.nstr(numeric_value(SEED004.name, "h1"), 9)).replace(
                        mp.nstr(w8p, 9), mp.nstr(mp.mpf("0.55") + mp.mpf("0.5") * d_o2
                                                 * numeric_value(SEED004.name, "h1"), 9))),
                    ("w4", "w4+", hidden),
                    ("w4-twin", "w4+", hidden.replace("z_2", "z_1").replace("0.10", "0.05").replace(
                        mp.nstr(w4p, 9), mp.nstr(mp.mpf("0.30") + mp.mpf("0.5") * d_h2 * mp.mpf("0.05"), 9)))) == {
        "w8": "correct", "w8-twin": "incorrect", "w4": "correct", "w4-twin": "incorrect"}


def test_ascii_one_half_before_a_bracket() -> None:
    """Markdown notes' `1/2 \\, (y - out)^2` is ½(y − out)² (juxtaposition binds tighter than / elsewhere)."""
    e = numeric_value(SEED002.name, "E")
    assert verdicts(SEED002, ("half", "E", rf"Error = 1/2 \, (y - out)^2 = {mp.nstr(e, 7)}"),
                    ("twin", "E", rf"Error = 1/2 \, (y - out)^2 = {mp.nstr(2 * e, 7)}"),
                    ("sum", "E", rf"E = 1/1 \sum_k \tfrac12 (y - out)^2 = {mp.nstr(e, 7)}")) == {
        "half": "correct", "twin": "incorrect", "sum": "correct"}


def test_a_side_definition_does_not_take_the_next_line() -> None:
    r"""w_5^+ = w_5 − η ∂E/∂w_5, \quad η = 0.5 \\ = 0.4 − 0.5 · 0.0822 = …: the line that starts with = goes on the
    update's chain, not on η's (Mehlig writes H = …, p = 2 \\ = −½[…])."""
    g5, w5p = numeric_value(SEED004.name, "dE/dw5"), numeric_value(SEED004.name, "w5+")
    answer = (r"w_5^+ = w_5 - \eta \frac{\partial E}{\partial w_5}, \quad \eta = 0.5 \\" "\n"
              rf"= 0.4 - 0.5 \cdot {mp.nstr(g5, 9)} = VALUE")
    assert verdicts(SEED004, ("right", "w5+", answer.replace("VALUE", mp.nstr(w5p, 8))),
                    ("twin", "w5+", answer.replace("VALUE", mp.nstr(w5p + mp.mpf("0.1"), 8)))) == {
        "right": "correct", "twin": "incorrect"}
