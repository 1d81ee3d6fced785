"""Readings of session 42 from answers of tune34 (measure30) that were judged wrongly. Each right form has a wrong
twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read
with tomllib, mpmath forward pass and central differences)."""

from __future__ import annotations

from test_check import SEED000, SEED004, verdicts
from test_check_reading_n import SOFTMAX, _n

from corpus.truth_values import value_text

HAN_KAMBER = SEED004.parent / "training" / "han_kamber_9_1.toml"


def test_a_web_page_source_with_mathjax_and_a_table() -> None:
    """A GitHub Pages study page: <head> and its MathJax <script> left out, HTML entities (&minus;) decoded, \\( … \\)
    as inline math, a table row of a name's cell and its value's cell one equation. The twins put − for +."""
    page = ("<!DOCTYPE html>\n<html>\n<head>\n  <script src=\"mathjax.js\"></script>\n</head>\n<body>\n"
            "<p>Unit 4: \\( I_4 = w_{14}x_1 + w_{24}x_2 + w_{34}x_3 + \\theta_4 = 0.2 + 0 SIGN 0.5 &minus; 0.4 = "
            "VALUE \\)</p>\n</body>\n</html>\n")
    assert value_text("training/han_kamber_9_1.toml", "net_O4", 1) == "-0.7"
    row = ("<table>\n  <tr><td>\\( w_{14} \\)</td><td>0.2 SIGN (0.9)(0.0087)(1) = <code>VALUE</code></td></tr>\n"
           "</table>\n")
    assert value_text("training/han_kamber_9_1.toml", "w14+", 3) == "0.192"
    assert verdicts(HAN_KAMBER, ("page", "net_O4", page.replace("SIGN", "&minus;").replace("VALUE", "-0.7")),
                    ("page-twin", "net_O4", page.replace("SIGN", "+").replace("VALUE", "0.3")),
                    ("row", "w14+", row.replace("SIGN", "&minus;").replace("VALUE", "0.192")),
                    ("row-twin", "w14+", row.replace("SIGN", "+").replace("VALUE", "0.208"))) == {
        "page": "correct", "page-twin": "incorrect", "row": "correct", "row-twin": "incorrect"}


def test_what_the_comments_of_a_test_module_work_out() -> None:
    """A pytest module handed in: the code is not read, its comments that work something out are (a head and its
    "= …" lines, one display). The twin's comment takes h2 for h1."""
    module = ("```python\ndef test_dw5():\n    # In_o1 = w5*h1 + w7*h2  ->  dIn_o1/dw5 = h1\n"
              "    # dError/dw5 = delta_o1 * H\n    #            = 0.061605188 * VALUE\n"
              "    d1, _ = delta_o(F)\n    assert abs(d1 * F[\"h1\"] - 0.034632989) < 1e-8\n```\n")
    assert _n(SEED000, "dE/dw5", 8) == "0.034632989"
    right = module.replace("H", "h1").replace("VALUE", "0.562176501 = 0.034632989")
    assert verdicts(SEED000, ("right", "dE/dw5", right),
                    ("twin", "dE/dw5", module.replace("H", "h2").replace("VALUE", "0.495000167 = 0.030494578"))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_baidu_answer_in_plain_text() -> None:
    """百度知道: parameters typed tight (w1=0.3 w2=−0.1 …), two samples on one line (样本2 names what follows it in
    its sentence), e^0.0960 without braces, ŷ1 for ŷ_1, the other outputs' values in brackets after the number, a
    straight quote in the prose. The twin divides by the wrong sum."""
    answer = ("参数：w1=0.3 w2=−0.1 w3=0.2 w4=0.4 b1=0.1\n"
              "样本1：x=(0.5, −0.2)，标签 t=(1,0,0)；样本2：x=(−0.4, 0.3)，标签 t=(0,0,1)\n"
              "题目说的是\"两个样本取平均\"，我先算样本1：\n"
              "e^0.0960 = 1.1008，e^0.1502 = 1.1621，e^(−0.1338) = 0.8748，和 = SUM\n"
              "ŷ1 = 1.1008 / SUM = VALUE（ŷ2 = 0.3704，ŷ3 = 0.2788）\n")
    assert _n(SOFTMAX, "y1", 4) == "0.3508"
    assert verdicts(SOFTMAX, ("right", "y1", answer.replace("SUM", "3.1377").replace("VALUE", "0.3508")),
                    ("twin", "y1", answer.replace("SUM", "2.2629").replace("VALUE", "0.4865"))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_ptt_thread() -> None:
    """PTT's header and its ─── rule, w1~w8 = … (a list of values, a remark), a push "推 user: …  04/10 23:31" with
    its time at the end, the signature after "--". The twin's push takes w6 for w5."""
    thread = ("作者  ntu_mlnoob (菜鳥一枚)                                 看板  DataScience\n"
              "───────────────────────────────────────\n"
              "w1~w8 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55, b1 = 0.35, b2 = 0.60\n"
              "推 pcman_fan: ∂E/∂w5 = δ_o1 × out_h1 = 0.1384986 × 0.5932700 = VALUE    04/10 23:32\n"
              "--\n※ 發信站: 批踢踢實業坊(ptt.cc), 來自: 140.112.xx.xx (臺灣)\n")
    assert _n(SEED004, "dE/dw5", 7) == "0.08216704"
    assert verdicts(SEED004, ("right", "dE/dw5", thread.replace("VALUE", "0.0821670")),
                    ("twin", "dE/dw5", thread.replace("out_h1", "out_h2").replace("0.5932700", "0.5968844")
                     .replace("VALUE", "0.0826676"))) == {"right": "correct", "twin": "incorrect"}


def test_a_greek_letter_with_its_index_glued_on() -> None:
    """Plain text's δ1, δ2: the error terms δ_1, δ_2 (not δ times 1). The twin's δ1 has the sign flipped."""
    answer = "∂L/∂s_k = ŷ_k − t_k\n样本1：δ1 = 0.3508 − 1 = VALUE，δ2 = 0.3704，δ3 = 0.2788\n"
    assert _n(SOFTMAX, "delta_y1", 4) == "-0.6492"
    assert verdicts(SOFTMAX, ("right", "delta_y1", answer.replace("VALUE", "−0.6492")),
                    ("twin", "delta_y1", answer.replace("0.3508 − 1", "1 − 0.3508").replace("VALUE", "0.6492"))) == {
        "right": "correct", "twin": "incorrect"}
