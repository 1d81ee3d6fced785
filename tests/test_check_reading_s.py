"""Readings of session 41 from answers of tune32 (measure28) that were judged wrongly. Each right form has a wrong
twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read
with tomllib, mpmath forward pass and central differences)."""

from __future__ import annotations

from test_check import SEED000, SEED002, SEED003, SEED004, check, verdicts
from test_check_reading_n import SOFTMAX, _n


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


def test_a_value_before_the_name_it_is_the_value_of() -> None:
    """An HP-15C sheet: "display \\texttt{0.114912} $= \\mathrm{In}_{o_2} = w_6 h_1 + w_8 h_2$" (the display, then
    what it shows), and a register's label "(\\text{R4})" after the result. Also plain "$0.25 = In_{h1}$". The twin
    writes o_1's weights."""
    sheet = ("\\texttt{RCL 1 .5 CHS × RCL 2 .8 × +} \\quad display \\texttt{0.114912} "
             "$= \\mathrm{In}_{o_2} = FORMULA$\n\n"
             "$$o_2 = \\sigma(0.114912) = 0.528696 \\quad (\\text{R4})$$")
    assert verdicts(SEED000, ("right", "o2", sheet.replace("FORMULA", "w_6 h_1 + w_8 h_2")),
                    ("twin", "o2", sheet.replace("FORMULA", "w_5 h_1 + w_7 h_2"))) == {
        "right": "correct", "twin": "incorrect"}
    plain = "$VALUE = In_{h1}$ and $h_1 = \\sigma(0.25) = 0.562177$"
    assert verdicts(SEED000, ("right", "h1", plain.replace("VALUE", "0.25")),
                    ("twin", "h1", plain.replace("VALUE", "0.35"))) == {"right": "correct", "twin": "incorrect"}


def test_a_console_prints_a_vector_entry_by_entry() -> None:
    """Scilab's "p  =" over a column of values (an echoed assignment of a vector): p_1, p_2, p_3. The twin's column
    has the last two swapped."""
    session = _verbatim("--> p = exp(z2) / sum(exp(z2))\n p  = \n\n   0.3508189\n   A\n   B\n")
    assert verdicts(SOFTMAX, ("right", "y3", session.replace("A", "0.3703817").replace("B", "0.2787994")),
                    ("twin", "y3", session.replace("A", "0.2787994").replace("B", "0.3703817"))) == {
        "right": "correct", "twin": "incorrect"}



def test_a_path_or_a_name_named_in_a_sentence_claims_nothing() -> None:
    """torch7's sheet: "the gradient of W2 is $\\delta_o h^T$; its entry for $w_7$ ($h_2 \\to o_1$) is the one we
    need" — the formula is a vector we cannot read, and the name and the path after it are what the sentence talks
    about: the answer is unreadable, not a false claim that w_7 or o_1 is ∂E/∂w_7. Where the chain is read, a wrong
    number is still rejected."""
    sentence = ("the gradient of W2 is $\\delta_o h^T$; its entry for $w_7$ ($h_2 \\to o_1$) is the one we need, "
                "and it is not zero")
    r = check(SEED000, ("said", "dE/dw7", sentence),
              ("twin", "dE/dw7", sentence + "\n$$\\frac{\\partial E}{\\partial w_7} = 0.061605 \\times 0.56218 = "
                                          "0.034633$$"))
    assert (r["said"].verdict, r["twin"].verdict) == ("unparseable", "incorrect")


def test_a_lone_formula_we_cannot_read_is_never_correct() -> None:
    """"$δ_o h^T$" alone (a vector formula, δ_o a name no network knows) was judged correct when the grading did not
    require a value: nothing in it was checked. Now it is unreadable; a right chain stays correct."""
    r = check(SEED000, ("alone", "dE/dw7", "$\\delta_o h^T$"),
              ("right", "dE/dw7", "$$\\frac{\\partial E}{\\partial w_7} = \\delta_{o1} h_2$$"))
    assert (r["alone"].verdict, r["right"].verdict) == ("unparseable", "correct")


def test_prose_in_its_own_script_with_braces_inside_text() -> None:
    """A Yahoo!知恵袋 reply's \\text{…} holds Japanese prose with e^{-x} in it: prose, braces and all. The twin's
    h_1 slips a digit."""
    reply = ("\\text{回答者からの返信：σ' = e^{-x}/(1 + e^{-x})^2 = h1(1 - h1) です。}\n\n"
             "h1 = σ(0.25) = VALUE")
    assert verdicts(SEED000, ("right", "h1", reply.replace("VALUE", "0.56218")),
                    ("twin", "h1", reply.replace("VALUE", "0.56318"))) == {"right": "correct", "twin": "incorrect"}
