"""Readings of session 32, from right answers of the development parts and families of notation the held-out
parts showed. Each right form has a wrong twin that must stay rejected. Numbers come from the corpus's own truth
(tests/corpus/truth_values.py: the spec read with tomllib, mpmath forward pass and central differences), never
from the checker."""

from __future__ import annotations

import mpmath as mp
from test_check import SEED004, check

from corpus.truth_values import numeric_value

SPEC = SEED004.name


def verdicts(spec, *answers) -> dict[str, str]:
    return {k: r.verdict for k, r in check(spec, *answers).items()}


def _comma(v: mp.mpf, digits: int) -> str:
    return mp.nstr(v, digits).replace(".", ",")


def test_a_bare_decimal_comma_is_a_decimal_point() -> None:
    """A Polish kolokwium or a German Übungsblatt writes 0,5933 without TeX's {,}: read as a decimal, also in a
    substitution, while ω_{0,12}'s script, a tight pair (1,1) and an index list stay what they were."""
    h1, g5 = numeric_value(SPEC, "h1"), numeric_value(SPEC, "dE/dw5")
    w5p = numeric_value(SPEC, "w5+")
    assert abs(w5p - (mp.mpf("0.4") - mp.mpf("0.5") * g5)) < mp.mpf(10) ** -12  # the update, independently
    chain = rf"out_{{h1}} = \frac{{1}}{{1+e^{{-0,3775}}}} = {_comma(h1, 9)}"
    update = (rf"w_5^+ = w_5 - \eta \frac{{\partial E}}{{\partial w_5}} = 0,4 - 0,5 \cdot {_comma(g5, 9)}"
              rf" = {_comma(w5p, 8)}")
    assert verdicts(SEED004,
                    ("h1", "h1", chain),
                    ("h1-short", "h1", rf"out_{{h1}} = {_comma(h1, 4)}"),
                    ("h1-twin", "h1", rf"out_{{h1}} = {_comma(h1 + mp.mpf('0.01'), 4)}"),
                    ("w5", "w5+", update),
                    ("w5-twin", "w5+", update.replace("0,4 - 0,5", "0,4 + 0,5").replace(
                        _comma(w5p, 8), _comma(mp.mpf("0.4") + mp.mpf("0.5") * g5, 8))),
                    ) == {"h1": "correct", "h1-short": "correct", "h1-twin": "incorrect",
                          "w5": "correct", "w5-twin": "incorrect"}


def test_a_comma_between_indices_is_not_a_decimal() -> None:
    from symbackprop.check.written import decimals
    assert [w.text for w in decimals(r"\omega_{0,12} = 0,75 + (1,1) + [0,0] + x^{2,13}")] == ["0.75"]
    assert [w.text for w in decimals(r"(0,01 - 0,75) \cdot 1,105906 + 1,2")] == ["0.01", "0.75", "1.105906"]


def test_numpy_code_names_are_gradients_and_their_indices_count_from_zero() -> None:
    """CS231n's dW1 is ∂L/∂W1 and dW1[0, 1] its entry in row 0, column 1 (h = W1 x: row 0 is h1, column 1 is i2,
    so w2 on seed 002); a blog's dE_dw5 and dout_o1_dnet_o1 name ∂E/∂w5 and ∂out_o1/∂net_o1 (seed 004). Their
    wrong twins — the transposed entry, out_h2 for out_h1 — stay rejected."""
    seed002 = SEED004.with_name("seed002_linear.toml")
    g2, g3 = numeric_value(seed002.name, "dE/dw2"), numeric_value(seed002.name, "dE/dw3")
    assert abs(g2 - g3) > mp.mpf("0.01")
    assert verdicts(seed002,
                    ("entry", "dE/dw2",
                     rf"\frac{{\partial L}}{{\partial w_2}} = \texttt{{dW1}}[0, 1] = {mp.nstr(g2, 6)}"),
                    ("transposed", "dE/dw2", rf"\texttt{{dW1}}[1, 0] = {mp.nstr(g2, 6)}"),
                    ("blog", "dE/dw2", rf"\texttt{{dE\_dw2}} = {mp.nstr(g2, 6)}"),
                    ) == {"entry": "correct", "transposed": "incorrect", "blog": "correct"}
    out_o1, out_h1 = numeric_value(SPEC, "o1"), numeric_value(SPEC, "h1")
    out_h2, t_o1 = numeric_value(SPEC, "h2"), mp.mpf("0.01")
    dE_dout, dout_dnet = out_o1 - t_o1, out_o1 * (1 - out_o1)
    assert abs(dE_dout * dout_dnet * out_h1 - numeric_value(SPEC, "dE/dw5")) < mp.mpf(10) ** -12
    code = r"\texttt{dE\_dw5} = \texttt{dE\_dout\_o1} \cdot \texttt{dout\_o1\_dnet\_o1} \cdot out_{h1} = "
    numbers = f"{mp.nstr(dE_dout, 9)} \\cdot {mp.nstr(dout_dnet, 9)} \\cdot "
    assert verdicts(SEED004,
                    ("code", "dE/dw5", code + numbers + f"{mp.nstr(out_h1, 9)} = "
                     f"{mp.nstr(dE_dout * dout_dnet * out_h1, 9)}"),
                    ("twin", "dE/dw5", code + numbers + f"{mp.nstr(out_h2, 9)} = "
                     f"{mp.nstr(dE_dout * dout_dnet * out_h2, 9)}"),
                    ) == {"code": "correct", "twin": "incorrect"}


def test_other_code_stays_one_unknown_name() -> None:
    """np.sum(dZ, axis=1), delta, data: code that is no gradient is not read as one (delta is not d·elta)."""
    from symbackprop.check.lex import _code_name
    assert _code_name("delta", r"\texttt{delta}[0]", len(r"\texttt{delta}")) is None
    assert _code_name("np.sum", r"\texttt{np.sum}(dZ)", len(r"\texttt{np.sum}")) is None
    assert _code_name("W1", r"\texttt{W1} = ", len(r"\texttt{W1}")) is None  # a name without d needs an index
    assert _code_name("W1", r"\texttt{W1}[0, 1]", len(r"\texttt{W1}")) == ("W^{[1]}_{12}", len(r"\texttt{W1}[0, 1]"))
