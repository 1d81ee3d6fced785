"""Readings of session 41 from answers of tune32 (measure28) that were judged wrongly. Each right form has a wrong
twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read
with tomllib, mpmath forward pass and central differences)."""

from __future__ import annotations

from test_check import SEED000, SEED002, SEED003, SEED004, verdicts
from test_check_reading_n import _n


def _verbatim(body: str) -> str:
    return "\\begin{verbatim}\n" + body + "\\end{verbatim}\n"


def test_a_japanese_middle_dot_between_operands_is_a_product() -> None:
    """Yahoo!知恵袋's w5・h1 + w7・h2 (between words, 入力・出力, it stays prose). The twin takes w6, w8."""
    line = ("\\text{入力・出力はシグモイドです。}\n\n"
            "In_{o1} = WA・h1 + WB・h2 = 0.1 × 0.56218 + (-0.3) × 0.49500 = 0.056218 - 0.14850 = -0.092282")
    assert verdicts(SEED000, ("right", "net_o1", line.replace("WA", "w5").replace("WB", "w7")),
                    ("twin", "net_o1", line.replace("WA", "w6").replace("WB", "w8"))) == {
        "right": "correct", "twin": "incorrect"}


def test_circled_step_numbers_a_half_in_prose_and_a_remark_in_brackets() -> None:
    """Naver 지식iN: ① ② before each step, a ½ in the \\text of the prose, "(1회차)" between a name and its value.
    The twin multiplies by h_2."""
    answer = ("\\text{안녕하세요. 오차는 ½ * 0.654481 = 0.3272405 입니다.}\n\n"
              "① Δ = prediction - actual = 0.191 - 1 = -0.809\n"
              "② ∂Error/∂w5 (1회차) = Δ * h1 = -0.809 * H = VALUE")
    assert verdicts(SEED002, ("right", "dE/dw5", answer.replace("H", "0.85").replace("VALUE", "-0.68765")),
                    ("twin", "dE/dw5", answer.replace("H", "0.48").replace("VALUE", "-0.38832"))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_fortran_listing_output_with_a_heading() -> None:
    """A Fortran FORMAT's output: labels of words ("NET O1", "DE/DW6") and a heading ("ITERATION  1"). The twin
    prints w_5's gradient for w_6's."""
    out = _verbatim(" ITERATION  1\n NET O1   =   1.105905967\n DE/DW6   =   VALUE\n")
    assert _n(SEED004, "dE/dw6", 9) == "0.0826676278"
    assert verdicts(SEED004, ("net", "net_o1", out.replace("VALUE", "0.082667628")),
                    ("right", "dE/dw6", out.replace("VALUE", "0.082667628")),
                    ("twin", "dE/dw6", out.replace("VALUE", "0.082167041"))) == {
        "net": "correct", "right": "correct", "twin": "incorrect"}


def test_a_pari_gp_session_echoes_its_assignments() -> None:
    """PARI/GP prints an assignment's value ("%2 = 0.48") unless a ";" ends it. The twin's h2 printed is h1's."""
    session = _verbatim("? i1 = 2; i2 = 3; w1 = 0.11; w2 = 0.21; w3 = 0.12; w4 = 0.08;\n? h1 = i1*w1 + i2*w2\n"
                        "%1 = 0.850000000000000\n? h2 = i1*w3 + i2*w4\n%2 = VALUE\n")
    assert verdicts(SEED002, ("right", "h2", session.replace("VALUE", "0.480000000000000")),
                    ("twin", "h2", session.replace("VALUE", "0.850000000000000"))) == {
        "right": "correct", "twin": "incorrect"}


def test_an_entry_of_a_vector_printed_by_a_console() -> None:
    """Torch7's th> o[1] (Lua counts from 1) printing 0.476945758607: out_o1. The twin asks o[2] for the same
    number."""
    session = _verbatim("th> o = torch.sigmoid(W2 * h)\nth> o[K]\n0.476945758607\n")
    assert verdicts(SEED000, ("right", "o1", session.replace("K", "1")),
                    ("twin", "o2", session.replace("K", "2"))) == {"right": "correct", "twin": "incorrect"}


def test_habr_formula_markers() -> None:
    """Habr's $inline$…$inline$ and $$display$$…$$display$$ around the LaTeX of a Russian article. The twin adds
    b_2 for b_1."""
    page = ("\\textbf{Прямой проход.} Входы $inline$i_1 = 0.05$inline$, $inline$i_2 = 0.10$inline$.\n\n"
            "$$display$$net_{h1} = w_1 i_1 + w_2 i_2 + b_1 = 0.15 \\cdot 0.05 + 0.2 \\cdot 0.1 + B = VALUE$$display$$")
    assert verdicts(SEED004, ("right", "net_h1", page.replace("B", "0.35").replace("VALUE", "0.3775")),
                    ("twin", "net_h1", page.replace("B", "0.60").replace("VALUE", "0.6275"))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_formula_inside_a_sentence_after_the_answer_is_a_remark() -> None:
    """A patent's "where $out_O(1 - out_O)$ denotes the derivative of the sigmoid function evaluated at $net_O$"
    after the chain: a remark, not a second claim. The twin's chain drops σ′; the same formula on a line of its own
    after a right chain is still a claim."""
    chain = r"$$\delta_O = \frac{\partial E}{\partial out_O} \cdot \frac{\partial out_O}{\partial net_O} = FORMULA$$"
    remark = "\nwhere $out_O(1 - out_O)$ denotes the derivative of the sigmoid function evaluated at $net_O$."
    right = chain.replace("FORMULA", r"(out_O - target)\; out_O\,(1 - out_O)")
    assert verdicts(SEED003, ("right", "delta_O", right + remark),
                    ("twin", "delta_O", chain.replace("FORMULA", r"(out_O - target)") + remark),
                    ("alone", "delta_O", r"$$\delta_O = \frac{\partial E}{\partial net_O}$$" "\n"
                                         r"$$(out_O - target)\, out_O$$")) == {
        "right": "correct", "twin": "incorrect", "alone": "incorrect"}
