"""Readings of session 43 from answers of tune36 (measure32) that were judged wrongly. Each right form has a wrong
twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read
with tomllib, mpmath forward pass and central differences); symbolic answers are derived by hand in the docstring."""

from __future__ import annotations

from test_check import SEED000, SEED002, SEED003, SEED004, verdicts
from test_check_reading_n import SOFTMAX, _n

SEED001 = SEED004.with_name("seed001_abstract_phi.toml")


def test_a_spreadsheet_handed_in_as_its_cells() -> None:
    """Google Sheets with its formulas shown, copied into a Markdown table: a row's label is the quantity, the value
    the sheet displays after ⇒ the claim; the formula over cell references is not read; "w1 new" is w1 after the
    step; #REF! shows no value. The twins: the gradient cell multiplies by the wrong hidden value, the update adds."""
    table = "| cell | label | formula | |\n|---|---|---|---|\n"
    assert _n(SEED002, "dE/dw5", 5) == "-0.68765"
    assert _n(SEED002, "w1+", 6) == "0.121326"
    gradient = table + "| B17 | dE/dw5 = dE/dout · h1 | =B16*B12 | ⇒ VALUE |\n"
    update = table + "| C5 | w1 new | =B5SIGN$B$1*B21 | ⇒ VALUE |\n"
    assert verdicts(SEED002, ("right", "dE/dw5", gradient.replace("VALUE", "-0.68765")),
                    ("twin", "dE/dw5", gradient.replace("VALUE", "-0.38832"))) == {
        "right": "correct", "twin": "incorrect"}
    assert verdicts(SEED002, ("right", "w1+", update.replace("SIGN", "-").replace("VALUE", "0.121326")),
                    ("twin", "w1+", update.replace("SIGN", "+").replace("VALUE", "0.098674"))) == {
        "right": "correct", "twin": "incorrect"}
    assert verdicts(SEED002, ("ref", "dE/dw5", table + "| B17 | dE/dw5 | =B16*#REF! | ⇒ #REF! |\n")) != {
        "ref": "correct"}


def test_hatena_blog_math_and_a_rule_for_every_unit() -> None:
    """A Hatena Blog post: [tex: …] inline, a centred <div> display. The exam states z_k = σ(a_k): z is a hidden
    unit's output, a its net input — so ∂z_1/∂a_1 = z_1(1 − z_1), and no later line may read z as the net input to
    make a chain hold. With a_o = w_5 z_1 + w_6 z_2 + b_2 and δ_o = ∂E/∂a_o: ∂E/∂w_3 = δ_o w_6 z_2(1 − z_2) x_1;
    the twin leaves out ∂z_2/∂a_2 and must be rejected on its chain of partials."""
    problem = ("> 隠れ層のユニット [tex: k] の総入力を [tex: a_k]、出力を [tex: z_k = \\sigma(a_k)] とし、"
               "[tex: a_1 = w_1 x_1 + w_2 x_2 + b_1]、[tex: a_2 = w_3 x_1 + w_4 x_2 + b_1] とする。"
               "出力ユニットの総入力は "
               "[tex: a_o = w_5 z_1 + w_6 z_2 + b_2]、出力は [tex: \\hat{y} = \\sigma(a_o)]、誤差を "
               "[tex: E = \\frac{1}{2}(t - \\hat{y})^2] で定める。\n\n【解答】\n"
               "<div align=\"center\">[tex: \\displaystyle \\delta_o = \\frac{\\partial E}{\\partial a_o} = "
               "-(t - \\hat{y})\\,\\hat{y}(1 - \\hat{y})]</div>\n")
    right = ("<div align=\"center\">[tex: \\displaystyle \\frac{\\partial E}{\\partial w_3} = \\delta_o "
             "\\frac{\\partial a_o}{\\partial z_2} \\frac{\\partial z_2}{\\partial a_2} "
             "\\frac{\\partial a_2}{\\partial w_3} = -(t - \\hat{y})\\,\\hat{y}(1 - \\hat{y})\\, w_6\\, "
             "z_2(1 - z_2)\\, x_1]</div>\n")
    twin = ("<div align=\"center\">[tex: \\displaystyle \\frac{\\partial E}{\\partial w_3} = \\delta_o "
            "\\frac{\\partial a_o}{\\partial z_2} \\frac{\\partial a_2}{\\partial w_3} = "
            "-(t - \\hat{y})\\,\\hat{y}(1 - \\hat{y})\\, w_6\\, x_1]</div>\n")
    later = "<div align=\"center\">[tex: \\displaystyle w_5 \\leftarrow w_5 + \\eta\\,(t - \\hat{y})\\,\\hat{y}(1 - " \
        "\\hat{y})\\, z_1]</div>\n"
    assert verdicts(SEED003, ("delta", "delta_O", problem), ("right", "dE/dw3", right), ("later", "w5+", later)) == {
        "delta": "correct", "right": "correct", "later": "correct"}
    assert verdicts(SEED003, ("delta", "delta_O", problem), ("twin", "dE/dw3", twin), ("later", "w5+", later)) == {
        "delta": "correct", "twin": "incorrect", "later": "correct"}


def test_a_sheets_own_tex_macros() -> None:
    """The first answer carries the preamble's \\newcommand block (a % comment line above it) and a \\section*; the
    later answers use \\pd, \\Wtwo, \\err without defining them. With y = Σ_j Φ(h'_j) W^2_j, E = (d − y)²/2:
    ∂E/∂W^2_1 = (y − d) Φ(h'_1). The twin's \\err is (d − y)."""
    preamble = ("% ---- from my preamble ----\n\\newcommand{\\pd}[2]{\\frac{\\partial #1}{\\partial #2}}\n"
                "\\newcommand{\\Wtwo}[1]{W^{2}_{#1}}\n\\newcommand{\\hp}[1]{h'_{#1}}\n\\newcommand{\\err}{ERR}\n"
                "\\section*{Problem 2}\n\\begin{enumerate}[label=(\\alph*)]\n\\item Output:\n"
                "\\[ y = \\sum_{j=1}^{3} \\Phi(\\hp{j}) \\Wtwo{j} \\]\n\\end{enumerate}\n")
    later = "\\[ \\pd{E}{\\Wtwo{1}} = \\pd{E}{y}\\,\\pd{y}{\\Wtwo{1}} = \\err\\,\\Phi(\\hp{1}) \\]\n"
    assert verdicts(SEED001, ("y", "y", preamble.replace("ERR", "\\left(y - d\\right)")),
                    ("right", "dE/dW2_1", later)) == {"y": "correct", "right": "correct"}
    assert verdicts(SEED001, ("y", "y", preamble.replace("ERR", "\\left(d - y\\right)")),
                    ("twin", "dE/dW2_1", later)) == {"y": "correct", "twin": "incorrect"}


def test_a_julia_repl_whose_comments_name_what_it_shows() -> None:
    """Julia's REPL pasted: "2-element Vector{Float64}:" is a type line, not a value; an input the reader cannot
    name (∇W2[1, 1], round(z2[2]; digits = 8)) shows the quantity its comment names. The twin reads the entry of
    the transposed matrix, ∂E/∂w6's value, as ∂E/∂w7."""
    session = ("julia> h = σ.(W1 * x)\n2-element Vector{Float64}:\n 0.5621765008857981\n 0.4950001666600003\n"
               "julia> G[INDEX]   # ∂Error/∂w7 (row and column like W2)\nVALUE\n")
    assert _n(SEED000, "dE/dw7", 8) == "0.030494579"
    assert _n(SEED000, "dE/dw6", 7) == "0.0838661"
    assert verdicts(SEED000, ("right", "dE/dw7", session.replace("INDEX", "1, 2").replace("VALUE", "0.030494579")),
                    ("twin", "dE/dw7", session.replace("INDEX", "2, 1").replace("VALUE", "0.0838661"))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_multiple_choice_question() -> None:
    """A midterm typed up for a regrade: the printed options (A)–(D) are the question's, the bubbled letter
    ("Scantron: B") the student's answer, completing the stem. ∂E/∂out_O = −(target − out_O); the twin bubbled A,
    target − out_O."""
    question = ("Q13. $\\frac{\\partial E}{\\partial out_O} =$\n(A) $target - out_O$ (B) $-(target - out_O)$ "
                "(C) $-2(target - out_O)$ (D) $out_O(1 - out_O)$\n\nScantron: LETTER\n")
    assert verdicts(SEED003, ("right", "dE/dO", question.replace("LETTER", "B")),
                    ("twin", "dE/dO", question.replace("LETTER", "A"))) == {"right": "correct", "twin": "incorrect"}
    assert verdicts(SEED003, ("blank", "dE/dO", question.replace("LETTER", "(blank)"))) != {"blank": "correct"}


def test_myst_markdown() -> None:
    """A Jupyter Book page: the {math} role, a ```{math} directive with its :label: option, a (target)= line, an
    {eq} citation, a $$ display's label after it. With y linear in the hidden outputs, ∂E/∂y = y − d; the twin's
    sign is flipped."""
    page = ("(sec-backward)=\n## Backward pass\n\nDifferentiating {eq}`eq-loss` with respect to {math}`\\hat{y}`:\n\n"
            "```{math}\n:label: eq-dEdy\n\\frac{\\partial E}{\\partial \\hat{y}} = -(d - \\hat{y}) = RESULT\n```\n")
    assert verdicts(SEED001, ("right", "dE/dy", page.replace("RESULT", "\\hat{y} - d")),
                    ("twin", "dE/dy", page.replace("RESULT", "d - \\hat{y}"))) == {
        "right": "correct", "twin": "incorrect"}


def test_pytorch_printed_tensors() -> None:
    """A PyTorch Forums post: print(loss) shows tensor(1.0828, grad_fn=<…>), print(W2.grad) a matrix whose entry
    [0, 0] (counted from 0) is ∂L/∂W2_11 = ∂E/∂w5; print(a, b.grad) two tensors, the second b's gradient. The twin
    printed the transposed matrix."""
    cell = "```python\nprint(W2.grad)\n```\n```\ntensor([[FIRST, SECOND],\n        [ 0.0396,  0.0477],\n" \
        "        [ 0.0536, -0.0302]])\n```\n"
    assert _n(SOFTMAX, "dE/dw5", 3) == "-0.0932"
    assert _n(SOFTMAX, "E", 5) == "1.0828"
    assert verdicts(SOFTMAX, ("right", "dE/dw5", cell.replace("FIRST", "-0.0932").replace("SECOND", "-0.0176")),
                    ("twin", "dE/dw5", cell.replace("FIRST", "-0.0176").replace("SECOND", "-0.0932"))) == {
        "right": "correct", "twin": "incorrect"}
    loss = "```python\nprint(loss)\n```\n```\ntensor(VALUE, grad_fn=<NllLossBackward0>)\n```\n"
    assert verdicts(SOFTMAX, ("right", "E", loss.replace("VALUE", "1.0828")),
                    ("twin", "E", loss.replace("VALUE", "2.1656"))) == {"right": "correct", "twin": "incorrect"}
    bias = "```python\nprint(dA.sum(dim=1).mean(), b1.grad)\n```\n```\ntensor(0.0512, grad_fn=<MeanBackward0>) " \
        "tensor(VALUE)\n```\n"
    assert _n(SOFTMAX, "dE/db1", 3) == "0.0512"
    assert verdicts(SOFTMAX, ("right", "dE/db1", bias.replace("VALUE", "0.0512")),
                    ("twin", "dE/db1", bias.replace("VALUE", "0.0430"))) == {"right": "correct", "twin": "incorrect"}


def test_code_between_two_pieces_of_math() -> None:
    """A Colab notebook's text cell: "$∂E/∂w_5 = $ `gW2[0, 0]` $= 0.08216704$" — the code says where the value was
    read, the two pieces of math are one equation. The twin reads gW2[0, 1], ∂E/∂w6's value."""
    line = "$\\frac{\\partial E_{total}}{\\partial w_5} = $ `gW2[0, INDEX]` $= VALUE$\n"
    assert _n(SEED004, "dE/dw5", 7) == "0.08216704"
    assert _n(SEED004, "dE/dw6", 7) == "0.08266763"
    assert verdicts(SEED004, ("right", "dE/dw5", line.replace("INDEX", "0").replace("VALUE", "0.08216704")),
                    ("twin", "dE/dw5", line.replace("INDEX", "1").replace("VALUE", "0.08266763"))) == {
        "right": "correct", "twin": "incorrect"}


def test_an_entry_of_a_greek_vector_in_a_repl() -> None:
    """Julia's δ2 is layer 2's error terms (the outputs'), δ2[2] its second entry, counted from 1: δ_{o2}. The twin
    asks for entry 1, δ_{o1}'s value, and says it is δ_{o2}."""
    session = ("julia> δ2 = (o .- y) .* o .* (1 .- o)\n2-element Vector{Float64}:\n 0.06160518846353052\n"
               " 0.1491810835317098\njulia> δ2[INDEX]\nVALUE\n")
    assert _n(SEED000, "delta_o2", 16) == "0.1491810835317098"
    assert _n(SEED000, "delta_o1", 16) == "0.06160518846353053"
    right = session.replace("INDEX", "2").replace("VALUE", "0.1491810835317098")
    twin = session.replace("INDEX", "1").replace("VALUE", "0.06160518846353052")
    assert verdicts(SEED000, ("right", "delta_o2", right), ("twin", "delta_o2", twin)) == {
        "right": "correct", "twin": "incorrect"}
