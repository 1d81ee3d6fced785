"""Readings of session 40, from answers of tune28 (measure24) that were judged wrongly. Each right form has a wrong
twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read
with tomllib, mpmath forward pass and central differences)."""

from __future__ import annotations

from test_check import SEED000, SEED002, SEED003, SEED004, check, verdicts
from test_check_reading_n import SEED001, SOFTMAX, _n


def test_a_whatsapp_export_with_plain_subjects_and_a_tag_question() -> None:
    """WhatsApp's "[11/03/2024, 22:08] Rohit: …" before each message; "Out_o1 = $\\sigma(…) = 0.4769$", the plain
    name before the dollars being what the math is; "= 0.2469 right?", a claim asked to be confirmed. The twins
    give wrong values."""
    chat = ("[11/03/2024, 22:06] Rohit: In_o1 = w5*Out_h1 + w7*Out_h2 = 0.1*0.5622 - 0.3*0.4950 = -0.0923\n"
            "[11/03/2024, 22:08] Rohit: Out_o1 = $\\sigma(-0.0923) = VALUE$\n")
    tagged = "[11/03/2024, 22:20] Ananya: ok so Out_o1 = VALUE right?\n"
    assert verdicts(SEED000, ("right", "o1", chat.replace("VALUE", _n(SEED000, "o1", 4))),
                    ("twin", "o1", chat.replace("VALUE", "0.5231")),
                    ("tag", "o1", tagged.replace("VALUE", _n(SEED000, "o1", 4))),
                    ("tag_twin", "o1", tagged.replace("VALUE", "0.4231"))) == {
        "right": "correct", "twin": "incorrect", "tag": "correct", "tag_twin": "incorrect"}


def test_goldbergs_bracketed_vector_entries() -> None:
    """Goldberg writes a vector's entries with the index in square brackets: W^2_{[2,2]}, b^2_{[3]}. The twin
    multiplies by the wrong hidden output (h_{[1]} for w_8's h_{[2]})."""
    answer = (r"For $W^2_{[2,2]} = w_8$: $$\frac{\partial \mathcal{L}}{\partial W^2_{[2,2]}} = \tfrac12\big(0.3704 "
              r"\times H1 + 0.3683 \times H2\big) = VALUE$$")
    right = answer.replace("H1", "0.1194").replace("H2", "0.1391").replace("VALUE", _n(SOFTMAX, "dE/dw8", 4))
    twin = answer.replace("H1", "0.2636").replace("H2", "(-0.0500)").replace("VALUE", "0.03961")
    assert verdicts(SOFTMAX, ("right", "dE/dw8", right), ("twin", "dE/dw8", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_a_sum_without_limits_after_the_same_sum_with_them() -> None:
    """Σ_j W^2_j Φ(a_j) after Σ_{j=1}^{3} W^2_j Φ(a_j) on the line before runs over the same three hidden units
    (not over the one output). The twin leaves out the ½."""
    answer = (r"$$\hat y = \sum_{j=1}^{3} W^2_j\,\Phi(a_j)$$" "\n"
              r"$$\ell = HALF\Big(d - \sum_j W^2_j\,\Phi(a_j)\Big)^2$$")
    assert verdicts(SEED001, ("right", "E", answer.replace("HALF", r"\tfrac12")),
                    ("twin", "E", answer.replace("HALF", ""))) == {"right": "correct", "twin": "incorrect"}


def test_a_correction_of_an_earlier_sum_before_the_answer() -> None:
    """"(Correction: $0.026363 + 0.023885 + 0.1 = 0.150248$.)" before the chain headed by the asked quantity is
    arithmetic on the way, judged as arithmetic; the twin's correction adds wrongly."""
    answer = (r"(Выпраўленне: $0.026363 + 0.023885 + 0.1 = SUM$.)" "\n"
              r"$$p_1^{(1)} = \frac{1.100742}{3.137635} = " + _n(SOFTMAX, "y1", 6) + "$$")
    assert verdicts(SOFTMAX, ("right", "y1", answer.replace("SUM", "0.150248")),
                    ("twin", "y1", answer.replace("SUM", "0.160248"))) == {"right": "correct", "twin": "incorrect"}


def test_a_layer_label_and_a_sample_in_one_superscript() -> None:
    """δ^{h(1)}_1: the hidden layer's δ_1, of sample 1. The twin forgets tanh′."""
    answer = r"$$\delta^{h(1)}_1 = -0.399072 \cdot FACTOR = VALUE$$"
    right = answer.replace("FACTOR", "(1 - 0.263625^2)").replace("VALUE", _n(SOFTMAX, "delta_h1", 6))
    twin = answer.replace("FACTOR", "1").replace("VALUE", "-0.399072")
    assert verdicts(SOFTMAX, ("right", "delta_h1", right), ("twin", "delta_h1", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_a_calculators_history() -> None:
    """A TI-Nspire's history printed: each entry, "→name" storing it, and its result at the right margin; Define
    … Done and stored constants say nothing. The twin's error has no ½ (its result is the calculator's)."""
    history = ("\\begin{verbatim}\nDefine sig(x)=1/(1+e^(-x))                                         Done\n"
               "0.4→w5 : 0.45→w6 : 0.5→w7 : 0.55→w8 : 0.35→b1 : 0.6→b2             0.6\n"
               "sig(w5*h1+w6*h2+b2)→o1                                   0.751365069552\n"
               "sig(w7*h1+w8*h2+b2)→o2                                   0.772928465321\n"
               "HALF((t1-o1)^2+(t2-o2)^2)→etot                            VALUE\n\\end{verbatim}")
    right = history.replace("HALF", "1/2*").replace("VALUE", _n(SEED004, "E", 11))
    twin = history.replace("HALF", "").replace("VALUE", "0.59674221752")
    assert verdicts(SEED004, ("right", "E", right), ("twin", "E", twin)) == {"right": "correct", "twin": "incorrect"}


def test_a_sage_console_session() -> None:
    """SageMath's console: "sage:" inputs, "....:" continuations, what each statement printed on the lines after;
    n(X), X.subs(vals) and `_` show X. The twin substitutes a mistyped w4 (8/10)."""
    session = ("\\begin{verbatim}\nsage: var('i1 i2 w1 w2 w3 w4 w5 w6 y')\nsage: h2 = i1*w3 + i2*w4\n"
               "sage: vals = {i1: 2, i2: 3, w1: 11/100, w2: 21/100, w3: 12/100, w4: W4,\n"
               "....:         w5: 14/100, w6: 15/100, y: 1}\nsage: h2.subs(vals); n(_)\nEXACT\nVALUE\n"
               "\\end{verbatim}")
    right = session.replace("W4", "8/100").replace("EXACT", "12/25").replace("VALUE", _n(SEED002, "h2", 6))
    twin = session.replace("W4", "8/10").replace("EXACT", "66/25").replace("VALUE", "2.64000000000000")
    assert verdicts(SEED002, ("right", "h2", right), ("twin", "h2", twin)) == {"right": "correct", "twin": "incorrect"}


def test_a_hackmd_highlight_and_the_iterations_error() -> None:
    """HackMD's ==0.1149== highlight; Error^{(2)}, the error in the second iteration's answer (step 1). The twin
    uses Out_h2 for w5's input."""
    highlight = r"$$In_{o_2} = w_6\,Out_{h_1} + w_8\,Out_{h_2} = -0.50 \cdot 0.5622 + 0.80 \cdot 0.4950 = ==V==$$"
    second = r"$$\frac{\partial Error^{(2)}}{\partial w_5} = \delta_{o_1}\,Out_{h_1} = 0.0594 \cdot OUT = VALUE$$"
    assert verdicts(SEED000, ("right", "net_o2", highlight.replace("V", _n(SEED000, "net_o2", 4))),
                    ("twin", "net_o2", highlight.replace("V", "0.1194")),
                    ("second", "dE/dw5", second.replace("OUT", "0.5636").replace("VALUE", _n(SEED000, "dE/dw5", 4, 1)),
                     1),
                    ("second_twin", "dE/dw5", second.replace("OUT", "0.4965").replace("VALUE", "0.02949"), 1)) == {
        "right": "correct", "twin": "incorrect", "second": "correct", "second_twin": "incorrect"}


def test_a_sign_named_in_prose() -> None:
    """"is e $-$ an soidhne ceart": a sign in dollars that the sentence talks about, not math before the display.
    The twin's update adds the gradient."""
    answer = (r"(Ceartachadh: is e $-$ an soidhne ceart.)" "\n"
              r"$$w_1^{+} = w_1 SIGN \eta\,(out_O - target)\, out_O(1 - out_O)\, w_5\, out_{h_1}(1 - out_{h_1})"
              r"\, i_1$$")
    assert verdicts(SEED003, ("right", "w1+", answer.replace("SIGN", "-")),
                    ("twin", "w1+", answer.replace("SIGN", "+"))) == {"right": "correct", "twin": "incorrect"}


def test_devanagari_prose_and_a_layer_then_new_in_a_superscript() -> None:
    """Marathi prose (राहिला, its vowel signs between the letters) around the math, and W^{1\\,(new)}_{12}: layer 1's
    weight, updated. The twin adds the step."""
    answer = (r"($\alpha$ राहिला: $W^{2\,(new)}_2 = W^2_2 - \alpha(y - d)\Phi(h'_2)$.)" "\n"
              r"$$W^{1\,(new)}_{12} = W^1_{12} SIGN \alpha\,(y - d)\, W^2_2\, \Phi'(h'_2)\, x_1$$")
    assert verdicts(SEED001, ("right", "W1_12+", answer.replace("SIGN", "-")),
                    ("twin", "W1_12+", answer.replace("SIGN", "+"))) == {"right": "correct", "twin": "incorrect"}


def test_a_usenet_post() -> None:
    """A Usenet reply: its header lines, "In article <4i8q2f$abc@news.example.edu>, student writes:" (a dollar in
    a message id), the quoted question, and a signature. The twin leaves out σ′."""
    post = ("From: rk@cs.example.edu (R. K.)\nNewsgroups: comp.ai.neural-nets\nSubject: Re: Backprop\n"
            "Date: 14 Mar 1996 22:41:07 GMT\n\nIn article <4i8q2f$abc@news.example.edu>, student writes:\n"
            "> How do I get dE/dnet_O?\n\nStart at the top:\n\n  delta_O = dE/dnet_O = FORM\n\n-- \nR. K.\n")
    r = check(SEED003, ("right", "delta_O", post.replace("FORM", "(out_O - target)*out_O*(1 - out_O)")),
              ("twin", "delta_O", post.replace("FORM", "out_O - target")))
    assert r["right"].verdict == "correct"
    assert r["twin"].verdict == "incorrect"
