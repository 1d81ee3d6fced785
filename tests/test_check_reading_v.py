"""Readings of session 43 from answers of tune35 (measure31) that were judged wrongly. Each right form has a wrong
twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read
with tomllib, mpmath forward pass and central differences); symbolic answers are derived by hand in the docstring."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_check import SEED000, SEED002, SEED003, SEED004, verdicts
from test_check_reading_n import SOFTMAX, _n

from symbackprop.check.typst import is_typst, typst

SEED001 = SEED004.with_name("seed001_abstract_phi.toml")


def test_a_typst_source() -> None:
    """A .typ file handed in: #set rules, = headings, *strong* labels, #rect[…] around a result, and Typst's math —
    (partial E)/(partial W^2_1) a fraction whose brackets only group, W^1_(i j) scripts, dot, alpha, Phi'(h'_1),
    "new" in a subscript. With y = Σ_j Φ(h'_j) W^2_j and E = (d − y)²/2: ∂E/∂W^2_1 = (y − d) Φ(h'_1), and the
    update W^2_1 − α ∂E/∂W^2_1 = W^2_1 + α (d − y) Φ(h'_1). The twins flip the sign, drop α."""
    head = "#set page(paper: \"a4\")\n#set text(size: 11pt)\n\n= Homework 4\n\n== 2. Output weights\n\n"
    gradient = head + ("$ (partial E)/(partial W^2_1) = (partial E)/(partial y) dot (partial y)/(partial W^2_1) "
                       "= FACTOR dot h_1 = FACTOR Phi(h'_1) $\n")
    update = ("*Update:* $Delta W^2_j = -alpha (partial E)/(partial W^2_j)$, so\n"
              "#rect[$ W^2_(1, \"new\") = W^2_(1, \"previous\") + STEP (d - y) Phi(h'_1) $]\n")
    assert verdicts(SEED001, ("grad", "dE/dW2_1", gradient.replace("FACTOR", "(y - d)")),
                    ("grad-twin", "dE/dW2_1", gradient.replace("FACTOR", "(d - y)")),
                    ("update", "W2_1+", update.replace("STEP", "alpha")),
                    ("update-twin", "W2_1+", update.replace("STEP ", ""))) == {
        "grad": "correct", "grad-twin": "incorrect", "update": "correct", "update-twin": "incorrect"}


def test_kruses_error_term_stated_with_the_neuron_letter_u() -> None:
    """Kruse et al.'s δ_u = (y_u − out_u) λ_u, "also δ_u = −∂e/∂net_u": u is any neuron, so every δ of the sheet is
    −∂e/∂net and ∂e/∂w_{o_1h_1} = −δ_{o_1} out_{h_1}. The twin forgets the minus."""
    error = ("Fehler des Musters:\n\\[\n"
             r"e = \tfrac12 \sum_{u \in U_{\mathrm{out}}} (y_u - \mathrm{out}_u)^2 = \tfrac12\,(0{,}23 - 0{,}4769)^2 "
             r"+ \tfrac12\,(-0{,}07 - 0{,}5287)^2 = 0{,}0305 + 0{,}1792 = 0{,}2097" "\n\\]")
    assert _n(SEED000, "E", 4) == "0.2097"
    rule = (r"Vorlesung: $\delta_u = (y_u - \mathrm{out}_u)\,\lambda_u$ mit $\lambda_u = \mathrm{out}_u(1 - "
            r"\mathrm{out}_u)$, also $\delta_u = -\partial e / \partial \mathrm{net}_u$:" "\n"
            r"\[ \delta_{o_1} = (0{,}23 - 0{,}4769) \cdot 0{,}4769 \cdot (1 - 0{,}4769) = -0{,}06159 \]" "\n")
    assert _n(SEED000, "delta_o1", 4) == "0.06161"  # (the sheet's rounded out_o1 gives 0.06159: −δ)
    assert _n(SEED000, "dE/dw5", 4) == "0.03463"
    right = rule + r"\[ \frac{\partial e}{\partial w_{o_1 h_1}} = -\delta_{o_1}\,\mathrm{out}_{h_1} = 0{,}06159 " \
        r"\cdot 0{,}5622 = 0{,}03463 \]"
    twin = rule + r"\[ \frac{\partial e}{\partial w_{o_1 h_1}} = \delta_{o_1}\,\mathrm{out}_{h_1} = -0{,}06159 " \
        r"\cdot 0{,}5622 = -0{,}03463 \]"
    assert verdicts(SEED000, ("error", "E", error), ("right", "dE/dw5", right)) == {"error": "correct",
                                                                                   "right": "correct"}
    assert verdicts(SEED000, ("error", "E", error), ("twin", "dE/dw5", twin)) == {"error": "correct",
                                                                                 "twin": "incorrect"}


def test_a_webwork_results_table() -> None:
    """WeBWorK's "Preview My Answers" table copied under a blank: the number it evaluated (Entered) is the value of
    the answer typed in (its Answer Preview). The twin typed the weights of h_1."""
    sheet = ("(b) $h_2 = $ \\fbox{\\texttt{TYPED}}\n\n\\begin{tabular}{|l|l|}\\hline\n"
             "Entered & Answer Preview \\\\ \\hline\nVALUE & $PREVIEW$ \\\\ \\hline\n\\end{tabular}\n")
    assert _n(SEED002, "h2", 2) == "0.48"
    right = sheet.replace("TYPED", "2*0.12+3*0.08").replace("VALUE", "0.48").replace("PREVIEW",
                                                                                     r"2\cdot 0.12+3\cdot 0.08")
    twin = sheet.replace("TYPED", "2*0.11+3*0.21").replace("VALUE", "0.85").replace("PREVIEW",
                                                                                    r"2\cdot 0.11+3\cdot 0.21")
    assert verdicts(SEED002, ("right", "h2", right), ("twin", "h2", twin)) == {"right": "correct",
                                                                               "twin": "incorrect"}


def test_a_tieba_post_in_plain_text() -> None:
    """百度贴吧: δo1 for δ_{o1}, ∂Etotal/∂w5 for ∂E_total/∂w5, new weights typed tight with their primes
    (w1'=0.149780716 w2'=0.199561432). The twins take out_h2 for out_h1, and a new weight's digits swapped."""
    chain = "∂Etotal/∂w5 = δo1*OUT = 0.138498562*VALUE\n"
    assert _n(SEED004, "dE/dw5", 8) == "0.082167041"
    second = ("然后第二轮正向，用新的 w1'=0.149780716 w2'=W2：\n"
              "net_h1 = w1'*i1 + w2'*i2 + b1 = 0.149780716*0.05 + W2*0.1 + 0.35 = NET\n")
    assert _n(SEED004, "net_h1", 9, step=1) == "0.377445179"
    assert verdicts(SEED004, ("right", "dE/dw5", chain.replace("OUT", "out_h1").replace("VALUE",
                                                                                         "0.593269992 = 0.082167041")),
                    ("twin", "dE/dw5", chain.replace("OUT", "out_h2").replace("VALUE", "0.596884378 = 0.082667665"))
                    ) == {"right": "correct", "twin": "incorrect"}
    assert verdicts(SEED004, ("right", "net_h1", second.replace("W2", "0.199561432").replace("NET", "0.377445179"),
                              1),
                    ("twin", "net_h1", second.replace("W2", "0.199516432").replace("NET", "0.377440679"), 1)
                    ) == {"right": "correct", "twin": "incorrect"}


def test_a_teratail_question() -> None:
    """teratail: "（1サンプル目の y1 = 0.350819）" a bracket that a counter and words open, closed by one statement;
    "b3 の更新後 = …" the name with "after its update" written after it. The twins give sample 1's y2, add the step."""
    said = "順伝播はこれで合っていると思います（1サンプル目の y1 = VALUE）。\n"
    assert _n(SOFTMAX, "y1", 6) == "0.350819"
    assert _n(SOFTMAX, "y2", 6) == "0.370382"
    update = "b3 の更新後 = 0.1 SIGN 0.5 * 0.369365 = VALUE\n"
    assert _n(SOFTMAX, "b3+", 5) == "-0.084683"
    assert verdicts(SOFTMAX, ("right", "y1", said.replace("VALUE", "0.350819")),
                    ("twin", "y1", said.replace("VALUE", "0.370382"))) == {"right": "correct", "twin": "incorrect"}
    assert verdicts(SOFTMAX, ("right", "b3+", update.replace("SIGN", "-").replace("VALUE", "-0.084683")),
                    ("twin", "b3+", update.replace("SIGN", "+").replace("VALUE", "0.284683"))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_quoted_reply_is_not_the_writers_claim() -> None:
    """A forum's reply quoting another's wrong line ("> **Mathurin a écrit :** σ′(net_O) = 1 − out_O²", tanh's
    derivative) before answering it: the quoted line is not judged, the writer's own is. With E = ½(target − out_O)²,
    ∂E/∂w_5 = (out_O − target) out_O (1 − out_O) out_{h_1}. The twin's own line has tanh's derivative too."""
    reply = ("> \\textbf{Mathurin a écrit :} $\\sigma'(\\mathrm{net}_O) = 1 - \\mathrm{out}_O^2$\n\n"
             "Non, ça c'est pour $\\tanh$. Par dérivation en chaîne,\n"
             "$$\\frac{\\partial E}{\\partial w_5} = (\\mathrm{out}_O - \\mathrm{target})\\,FACTOR\\,"
             "\\mathrm{out}_{h_1}$$\n")
    assert verdicts(SEED003, ("right", "dE/dw5", reply.replace("FACTOR", "\\mathrm{out}_O(1 - \\mathrm{out}_O)")),
                    ("twin", "dE/dw5", reply.replace("FACTOR", "(1 - \\mathrm{out}_O^2)"))) == {
        "right": "correct", "twin": "incorrect"}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="$()[]{}_^/\"'#*=\\&;,. \nabWxy12" + "αΦ", max_size=80))
def test_the_typst_reader_takes_any_text(text: str) -> None:
    """Unbalanced brackets, a lone $, a script with nothing after it: a translation, never an exception or a hang;
    text with no $ keeps its math-free lines."""
    out = typst(text)
    assert isinstance(out, str) and isinstance(is_typst(text), bool)
    if "$" not in text and "#" not in text and "*" not in text and "_" not in text and "=" not in text \
            and "\\" not in text and "/" not in text:
        assert out == text
