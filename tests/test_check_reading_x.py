"""Readings of session 44 from answers of tune37 (measure33) that were judged wrongly. Each right form has a wrong
twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read
with tomllib, mpmath forward pass and central differences); symbolic answers are derived by hand in the docstring."""

from __future__ import annotations

import mpmath
from test_check import SEED003, SEED004, verdicts
from test_check_reading_n import SOFTMAX, _n

from corpus.truth_values import forward, load_net, params_at


def _sample(quantity: str, sample: int, digits: int = 5) -> str:
    """A softmax-batch quantity of one sample (counted from 1), as the students write it."""
    net = load_net(SOFTMAX.name)
    return mpmath.nstr(forward(net, params_at(SOFTMAX.name, 0), sample - 1).outs[quantity], digits)


def test_a_zoom_chat_saved_as_text() -> None:
    """Zoom's meeting_saved_chat.txt in Spanish: "hh:mm:ss De  Nombre  a  Todos:" headers, the messages indented
    under them, a lecturer's question ("y la salida de h2?"), a reply that quotes another message cut short and a
    reaction that quotes one whole: quotations are another's words, never the writer's claim. With net_O = w5 out_h1
    + w6 out_h2 + b2 and E = ½(target − out_O)², ∂E/∂w6 = (out_O − target) out_O (1 − out_O) out_h2; the twin takes
    out_h1 (w5's input)."""
    header = ("18:13:20 De  Prof. Ramírez  a  Todos:\n"
              "\tRespondiendo a \"dE/dw5 = 2*(out_O - t...\" : el 1/2 se cancela con el 2. A ver w6\n"
              "18:13:51 De  Valentina Ruiz  a  Todos:\n")
    right = header + "\tdE/dw6 = δ_O*out_h2 = (out_O - target)*out_O*(1-out_O)*out_h2\n"
    twin = header + "\tdE/dw6 = δ_O*out_h1 = (out_O - target)*out_O*(1-out_O)*out_h1\n"
    assert verdicts(SEED003, ("right", "dE/dw6", right), ("twin", "dE/dw6", twin)) == {
        "right": "correct", "twin": "incorrect"}
    question = "18:06:20 De  Prof. Ramírez  a  Todos:\n\ty la salida de h2?\n18:06:58 De  Diego Morales  a  Todos:\n"
    assert verdicts(SEED003, ("right", "h2", question + "\tout_h2 = 1/(1+exp(-(w3*i1 + w4*i2 + b1)))\n"),
                    ("twin", "h2", question + "\tout_h2 = 1/(1+exp(-(w1*i1 + w2*i2 + b1)))\n")) == {
        "right": "correct", "twin": "incorrect"}
    quoted = ("18:13:55 De  Prof. Ramírez  a  Todos:\n"
              "\tReaccionó a \"dE/dw6 = (out_O - target)*out_O*(1-out_O)*out_h2\" con 👍\n")
    assert verdicts(SEED003, ("quoted", "dE/dw6", quoted)) != {"quoted": "correct"}


def test_a_kakaotalk_export_and_its_samples() -> None:
    """KakaoTalk's PC export: "[이름] [오후 10:04] …" messages, a date rule between days, Korean counting the sample
    before the word ("2번 샘플", "2번:"). A batch's quantity said of sample 2 is sample 2's (x = (−0.4, 0.3)), even
    after a ŷ tuple; a bracketed remark in Korean states a value. The twins put sample 1's number where sample 2 is
    said, and a wrong ŷ_2 in the remark."""
    head = ("--------------- 2024년 5월 14일 화요일 ---------------\n"
            "[김민준] [오후 10:02] 소프트맥스 배치 과제 다들 함??\n")
    line = "[김민준] [오후 10:19] 2번 샘플 h1 = tanh(0.3*(-0.4) + (-0.1)*0.3 + 0.1) = VALUE\n"
    first = f"[이서연] [오후 10:20] 1번 샘플 h1 = {_sample('h1', 1)}\n"
    assert _sample("h1", 2) == "-0.049958"
    assert verdicts(SOFTMAX, ("right", "h1", head + line.replace("VALUE", _sample("h1", 2)) + first),
                    ("twin", "h1", head + line.replace("VALUE", _sample("h1", 1)) + first)) == {
        "right": "correct", "twin": "incorrect"}
    tuple_line = "[김민준] [오후 10:19] 2번: ŷ = (Y1, Y2, Y3), t3 = 1\n"
    ys = {f"Y{k}": _sample(f"y{k}", 2) for k in (1, 2, 3)}
    right = tuple_line
    for key, value in ys.items():
        right = right.replace(key, value)
    twin = right.replace("t3 = 1", "t3 = 0")
    assert verdicts(SOFTMAX, ("right", "y2", head + right + "[김민준] [오후 10:20] ŷ2 = " + _sample("y2", 1) + "\n"),
                    ("twin", "y2", head + twin + "[김민준] [오후 10:20] ŷ2 = " + _sample("y2", 1) + "\n")) == {
        "right": "correct", "twin": "incorrect"}
    remark = "[박지훈] [오후 10:25] (ŷ2 는 VALUE 임 지훈아 ㅋㅋ)\n"
    assert verdicts(SOFTMAX, ("right", "y2", head + remark.replace("VALUE", _n(SOFTMAX, "y2", 5)))) == {
        "right": "correct"}
    assert verdicts(SOFTMAX, ("twin", "y2", head + remark.replace("VALUE", "0.33038"))) == {"twin": "incorrect"}


def test_a_sheet_in_plain_tex() -> None:
    r"""Plain TeX: \eqalign{… &= …\cr}, {1\over 1+e^{-x}} (TeX's \over divides its whole group), \eqno(n), the page's
    \centerline, {\bf …}, \bigskip and \bye. out_{h1} = σ(0.3775); the twin states net_{h1}'s number as out_{h1}'s."""
    page = ("\\magnification=\\magstep1\n\\centerline{\\bf Homework 3}\n\\bigskip\n{\\bf 1. Forward pass.}\n"
            "$$\\eqalign{net_{h1} &= w_1 i_1 + w_2 i_2 + b_1\\cr &= 0.3775,\\cr\n"
            "out_{h1} &= {1\\over 1+e^{-net_{h1}}} = {1\\over 1+e^{-0.3775}} = VALUE.\\cr}\\eqno(1)$$\n\\bye\n")
    assert verdicts(SEED004, ("right", "h1", page.replace("VALUE", _n(SEED004, "h1", 9))),
                    ("twin", "h1", page.replace("VALUE", "0.3775"))) == {"right": "correct", "twin": "incorrect"}
    # (an \over outside braces divides its whole display: (out_{h1} = 1)/(1 + e^{−0.3775}) claims nothing right)
    assert verdicts(SEED004, ("over", "h1", r"$$out_{h1} = 1 \over 1 + e^{-0.3775}$$")) != {"over": "correct"}


def test_a_texmacs_source() -> None:
    r"""GNU TeXmacs's .tm source: <math|…> inline, an <\eqnarray*>'s table of rows and cells (an empty first cell
    goes on the row before), <rsub|…>, <frac|a|b>, <around*|(|…|)>, \<times\>, * the invisible product.
    net_{h1} = 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775 and ∂E/∂w_5 = δ_{o1} out_{h1}; the twins: 0.15·0.1 for w_1 i_1
    and out_{h2} for w_5's input."""
    table = ("<TeXmacs|2.1.2>\n<\\body>\n  <section|Forward pass>\n\n  With <math|w<rsub|1>=0.15>:\n"
             "  <\\eqnarray*>\n    <tformat|<table|<row|<cell|net<rsub|h1>>|<cell|=>|<cell|w<rsub|1>*i<rsub|1>"
             "+w<rsub|2>*i<rsub|2>+b<rsub|1>>>|<row|<cell|>|<cell|=>|<cell|INPUT+0.20\\<times\\>0.10+0.35=VALUE>>>>\n"
             "  </eqnarray*>\n</body>\n")
    assert verdicts(SEED004, ("right", "net_h1", table.replace("INPUT", "0.15\\<times\\>0.05").replace(
        "VALUE", "0.3775")), ("twin", "net_h1", table.replace("INPUT", "0.15\\<times\\>0.10").replace(
            "VALUE", "0.385"))) == {"right": "correct", "twin": "incorrect"}
    gradient = ("  <\\equation*>\n    <frac|\\<partial\\>E<rsub|total>|\\<partial\\>w<rsub|5>>=\\<delta\\><rsub|o1>*"
                "out<rsub|HIDDEN>=<around*|(|out<rsub|o1>-target<rsub|o1>|)>*out<rsub|o1>*<around*|(|1-out<rsub|o1>|)>"
                "*out<rsub|HIDDEN>\n  </equation*>\n")
    assert verdicts(SEED004, ("right", "dE/dw5", gradient.replace("HIDDEN", "h1")),
                    ("twin", "dE/dw5", gradient.replace("HIDDEN", "h2"))) == {"right": "correct", "twin": "incorrect"}
