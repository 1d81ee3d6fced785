"""Readings of session 49, from answers of tune44 (measure41, measured blind before) that were judged wrongly. Each
right form has a wrong twin that must stay rejected, and each failed on the checker at the session's start (6881abc).
Numbers come from the corpus's own truth (tests/corpus/truth_values.py, through `_n`: the spec read with tomllib, an
mpmath forward pass and central differences); symbolic answers are derived by hand in the docstring."""

from __future__ import annotations

from test_check import SEED000, SEED002, SEED003, SEED004, right_and_twin, verdicts
from test_check_reading_n import SEED001, SOFTMAX, _n


def test_a_perusall_export_its_highlights_replies_and_tags() -> None:
    """Perusall's export: 'p. 2 · Highlighted: "…"' quotes the reading, "↳ replying to …" quotes a classmate,
    "#question" and "(edited)" are the reader's marks; the comment is the student's, a sentence after its last
    statement ("That is why the notes halve E.") a remark. Seed 001: ∂E/∂y = y − d; the twin keeps the 2."""
    sheet = ('p. 2 · Highlighted: "E = (d − y)^2"  #question\n↳ replying to J.K. ("where does the 2 go?")  (edited)\n'
             "Sorry, I mixed it up, so dE/dy = {}. That is why the notes halve E.\n")
    right_and_twin(SEED001, "dE/dy", sheet.format("−(d − y) = y − d"), sheet.format("2(y − d)"))


def test_a_typora_note_its_highlight_and_a_display_broken_before_a_minus() -> None:
    """Typora's ==…== marks a highlighted answer (the marks are no relation), and inside $$ … $$ a newline is no
    break to TeX: "= w_6" then "- \\eta" then "\\cdot A" is one formula. Seed 003, with A := out_O − target and
    B := out_O(1 − out_O): w6⁺ = w6 − η A B out_h2; the twin climbs."""
    sheet = ("Let $A := out_O - target$ and $B := out_O(1 - out_O)$.\n\n$$\nw_6^+\n= w_6\n{} \\eta\n\\cdot A\n"
             "\\cdot B\n\\cdot out_{{h_2}}\n$$\n\n==$w_6^+ = w_6 {} \\eta\\,A\\,B\\,out_{{h_2}}$==\n")
    right_and_twin(SEED003, "w6+", sheet.format("-", "-"), sheet.format("+", "+"))


def test_an_hwp_equation_script_with_eqalign_times_and_its_answer_line() -> None:
    """Hancom Hangul's equation script: "{a} over {b}", TIMES, LEFT ( … RIGHT ), spaced subscripts, eqalign{ … # … }
    for aligned lines, "※ 수정:" a correction note, "답:" the answer (a number under a product left unworked is
    the answer, said so). Seed 004: δ_o1 = 0.138498562, ∂E/∂w6 = δ_o1 out_h2 = 0.082667628."""
    sheet = ("※ 수정: E _{{total}} 에 {{1}} over {{2}} 이 있으므로 2 는 약분됨.\n\n"
             "eqalign{{ {{partial E _{{total}}}} over {{partial w _{{6}}}} & = delta _{{o1}} TIMES out _{{h2}} "
             "# & = 0.138498562 TIMES LEFT ( 0.596884378 RIGHT ) }}\n\n답: {}\n")
    right_and_twin(SEED004, "dE/dw6", sheet.format(_n(SEED004, "dE/dw6", 9)), sheet.format("0.082576862"))


def test_an_answer_line_under_a_chain_left_as_a_product() -> None:
    """"Answer: 0.0827" under "dE/dw6 = 0.138498562 * 0.596884378" is the answer (not a number mentioned after it):
    a wrong number there is wrong. Seed 004: ∂E/∂w6 = 0.0826676; the twin states δ_o1 instead."""
    sheet = "dE/dw6 = 0.138498562 * 0.596884378\n\nAnswer: {}\n"
    right_and_twin(SEED004, "dE/dw6", sheet.format(_n(SEED004, "dE/dw6", 4)), sheet.format("0.138498562"))


def test_a_c_program_its_block_comments_and_answer_comments_without_a_colon() -> None:
    """C source with "/* … */" after a statement, then its run's printout with "// ANSWER dE/dw6 = …" after the
    printed values: the comment is the student's claim, read even without a colon, and it decides. Seed 002:
    ∂E/∂w6 = (out − t) h2 = −0.388320."""
    sheet = ("    double dw6 = d * h2;              /* fixed: was h1 (copy-paste) */\n"
             '    printf("dw5 = %f  dw6 = %f\\n", dw5, dw6);\n\n'
             "dw5 = -0.687650  dw6 = -0.388320      // ANSWER dE/dw6 = {}\n")
    right_and_twin(SEED002, "dE/dw6", sheet.format(_n(SEED002, "dE/dw6", 6)), sheet.format("-0.687650"))


def test_a_lone_answer_comment_in_capitals() -> None:
    """A sheet of one "// ANSWER dE/dw6 = …" comment states that value. Seed 002: ∂E/∂w6 = −0.388320; the twin
    copies ∂E/∂w5."""
    sheet = "                                      // ANSWER dE/dw6 = {}\n"
    right_and_twin(SEED002, "dE/dw6", sheet.format(_n(SEED002, "dE/dw6", 6)), sheet.format("-0.687650"))


def test_a_number_used_above_worked_out_on_a_later_line() -> None:
    """Answer-first text: "because 0.1385 = 0.7414 x 0.186815602", then "and 0.186815602 = 0.75136507 x 0.24863493
    = out_o1 x (1 - out_o1)": the second line works out the factor 0.186815602 (σ′ at net_o1), not the asked δ.
    Seed 004: δ_o1 = 0.138498562; the twin's factor formula has 1 + out_o1."""
    sheet = ("Q3b  ANS: delta_o1 = dE/dnet_o1 = 0.138498562\nbecause 0.138498562 = 0.74136507 x 0.186815602\n"
             "and 0.186815602 = 0.75136507 x 0.24863493 = out_o1 x (1 {} out_o1)\n")
    right_and_twin(SEED004, "delta_o1", sheet.format("-"), sheet.format("+"))


def test_side_sums_in_brackets_an_arrow_remark_and_a_number_cut_short() -> None:
    """"= w1 x i1 + w2 x i2 + b1      (0.15 x 0.05 = 0.0075, 0.20 x 0.10 = 0.02)": the bracket's sums work out the
    operands above; "<- forgot o2 before" is a remark; "0.685573..." a number cut short. Seed 004: net_h1 =
    0.3775, out_h1 = σ(0.3775) = 0.593269992; the twins' side sum and out_h1 are wrong."""
    net = ("Q1a  ANS: net_h1 = 0.3775\nbecause 0.3775 = 0.0075 + 0.02 + 0.35\n"
           "             = w1 x i1 + w2 x i2 + b1      (0.15 x 0.05 = {}, 0.20 x 0.10 = 0.02)   <- checked twice\n")
    right_and_twin(SEED004, "net_h1", net.format("0.0075"), net.format("0.0085"))
    out = "Q1b  ANS: out_h1 = {}\nbecause {} = 1/(1 + 0.685573...) = 1/(1 + e^-0.3775) = sigmoid(net_h1)\n"
    right_and_twin(SEED004, "h1", out.format("0.593269992", "0.593269992"), out.format("0.5983", "0.5983"))


def test_vs_code_percent_cells_and_a_precision_note() -> None:
    """A script in percent cells: "# %%" code cells (their output pasted as "# >>>" comments) are the program's,
    the "# %% [markdown]" cells' lines the student's, "(6 d.p.)" a note of the digits written. Softmax batch,
    sample 1: ∂E/∂h1 = −0.399072; the twin's sum adds the last term."""
    sheet = ("# %%\nG1 = D2 @ W2          # dE_n/dh\nprint(G1[0])\n# >>> [-0.39907212  0.43611028]\n\n"
             "# %% [markdown]\n# $\\partial E_1/\\partial h_1 = \\delta_{{y_1}} w_5 + \\delta_{{y_2}} w_7 + "
             "\\delta_{{y_3}} w_9\n# = -0.324591 + 0.037038 {} 0.111520 = {}$ (6 d.p.)\n")
    right_and_twin(SOFTMAX, "dE/dh1", sheet.format("-", "-0.399072"), sheet.format("+", "-0.176032"))


def test_an_ipython_input_its_output_array_and_the_claim_in_words() -> None:
    """IPython's "In [7]: clf.predict_proba(X)" and "Out[7]:" with the array over two lines under it are the
    program's; "(b) y2 for sample 1 = …" is the claim (its words around the name, read only as far as the value
    says: the twin, y1's value, is not accepted). Softmax batch: y2 of sample 1 = 0.370382."""
    sheet = ("In [7]: clf.predict_proba(X)\nOut[7]:\narray([[0.35081895, 0.37038166, 0.27879939],\n"
             "       [0.30475305, 0.36834918, 0.32689778]])\n\n(b) y2 for sample 1 = {}\n")
    got = verdicts(SOFTMAX, ("right", "y2", sheet.format("0.370382")), ("twin", "y2", sheet.format("0.350819")))
    assert got["right"] == "correct" and got["twin"] != "correct", got


def test_a_letter_the_error_goes_by_defined_as_a_derivative() -> None:
    """"Let $G := \\dfrac{\\partial Error}{\\partial h_1}$": G (an error's letter elsewhere) is the student's name
    for ∂E/∂h1 here. Seed 000: ∂E/∂h1 = δ_o1 w5 + δ_o2 w6 = 0.061605·0.10 + 0.149181·(−0.50) = −0.068430; the twin
    takes w7 for w6 (−0.30: −0.038593)."""
    sheet = ("Let $G := \\dfrac{{\\partial Error}}{{\\partial h_1}}$.\n\\begin{{align*}}\n"
             "G &= 0.061605\\cdot 0.10 + 0.149181\\cdot({})\\\\\n\\therefore\\; G &= \\boxed{{{}}}\n\\end{{align*}}\n")
    right_and_twin(SEED000, "dE/dh1", sheet.format("-0.50", _n(SEED000, "dE/dh1", 6)),
                   sheet.format("-0.30", "-0.038593"))


def test_a_cases_environment_of_equations() -> None:
    """\\begin{cases} with an equation on each row and no "&" condition is a system of statements, read row by row
    (a piecewise definition stays refused). Seed 000: In_h1 = w1 x1 + w3 x2 = 0.25; the twin takes w2."""
    sheet = ("\\begin{{equation*}}\n\\begin{{cases}}\nIn_{{h_1}} = {} = 0.25\\\\[2pt]\n"
             "In_{{h_2}} = w_2 x_1 + w_4 x_2 = -0.02\n\\end{{cases}}\n\\end{{equation*}}\n")
    right_and_twin(SEED000, "net_h1", sheet.format("w_1 x_1 + w_3 x_2"), sheet.format("w_2 x_1 + w_3 x_2"))


def test_markdown_struck_out_text_is_retracted() -> None:
    """Markdown's ~~…~~ strikes a line out: "= ~~0.0838~~ 0.0827" states 0.0827. Seed 004: ∂E/∂w6 = δ_o1 out_h2 =
    0.0827; the twin strikes the right number out and keeps the wrong one."""
    sheet = "dE/dw6 = 0.1385 × 0.5969 = ~~{}~~ {}\n"
    right_and_twin(SEED004, "dE/dw6", sheet.format("0.0838", "0.0827"), sheet.format("0.0827", "0.0838"))


def test_gonzalez_and_woods_layers_in_brackets() -> None:
    """Gonzalez & Woods in plain text: z_i(ℓ), a_j(ℓ−1), w_ij(ℓ) (from neuron j of layer ℓ−1 to neuron i of layer
    ℓ), δ_i(ℓ), a sum over i; "(= w2)" names the lecture's weight. Seed 000 (weights numbered by their source):
    ∂E/∂h2 = w_12(3) δ_1(3) + w_22(3) δ_2(3) = w7 δ_o1 + w8 δ_o2 = 0.10086; the twin takes row 2 (w6, w8)."""
    sheet = ("Hidden layer: the sum over i of w_i2(3) δ_i(3) is ∂E/∂a_2(2):\n"
             "  Σ_i w_i2(3) δ_i(3) = {} = {} = {}\n")
    right_and_twin(SEED000, "dE/dh2", sheet.format("w_12(3) δ_1(3) + w_22(3) δ_2(3)", "−0.30(0.06161) + 0.80(0.14918)",
                                                   "0.10086"),
                   sheet.format("w_21(3) δ_1(3) + w_22(3) δ_2(3)", "−0.50(0.06161) + 0.80(0.14918)", "0.08854"))


def test_a_whiteboard_export_its_stickies_signatures_and_connectors() -> None:
    """Miro's export: "[Frame: …]" and "[Connector] A → B" are the board's layout, "[Sticky · yellow]" a note, "—MK"
    its writer's signature (a note another member signed is another's words). Seed 004: ∂E/∂w7 = δ_o2 out_h1 =
    −0.022603; the twin leaves σ′ out (∂E/∂out_o2 · out_h1 = −0.128782)."""
    board = ("[Frame: 3 Output layer]\n[Sticky · yellow] ∂E/∂w7 = 0.5 (a guess) —JO\n[Connector] {} → ∂E/∂w7\n"
             "[Sticky · yellow] ∂E/∂w7 = {} · out_h1 = {} · 0.593270 ≈ {} ✅ —MK\n[Sticky · red] checked twice —MK\n")
    right_and_twin(SEED004, "dE/dw7", board.format("δ_o2", "δ_o2", "−0.038098", "−0.022603"),
                   board.format("∂E/∂out_o2", "∂E/∂out_o2", "−0.217072", "−0.128782"))


def test_a_transpose_mark_in_unicode() -> None:
    """Phil Kim's "ΔW2 = α δ hᵀ" (ᵀ Unicode's transpose) beside the weight's own gradient: a rule, set aside, and the
    line for W²₂ read. Seed 001 (symbolic, linear output y): ∂E/∂W²₂ = −(d − y) Φ(net_h2); the twin drops the
    sign."""
    sheet = "Output weights: ΔW2 = α δ hᵀ.\n   ∂E/∂W^2_2 = {}(d − y) Φ(net_h2)\n"
    right_and_twin(SEED001, "dE/dW2_2", sheet.format("−"), sheet.format(""))


def test_a_matlab_display_of_a_column_and_its_answer_comment() -> None:
    """MATLAB's "h =", a blank line, then a column of values: h's entries h(1), h(2), not h; "% ANSWER h2 = …" is
    the student's claim (a comment line of a .tex file is not). Seed 000: h2 = σ(w2 x1 + w4 x2) = σ(−0.02) =
    0.495000166660000; the twin filled W1 by target, so its column's first entry is h2's value and its h2 is
    σ(0.43) — held out as measure43's ml-01 and accepted wrongly (looked at)."""
    session = (">> W1 = [{}]\n\nW1 =\n\n   0.200000000000000  {}\n   {}   0.600000000000000\n\n"
               ">> h = 1./(1+exp(-W1*x))\n\nh =\n\n   {}\n   {}\n\n% ANSWER h2 = {}\n")
    right = session.format("0.2 0.5; -0.4 0.6", "0.500000000000000", "-0.400000000000000", "0.562176500885798",
                           "0.495000166660000", "0.495000166660000")
    twin = session.format("0.2 -0.4; 0.5 0.6", "-0.400000000000000", "0.500000000000000", "0.495000166660000",
                          "0.605873668431761", "0.605873668431761")
    got = verdicts(SEED000, ("right", "h2", right), ("twin", "h2", twin))
    assert got["right"] == "correct" and got["twin"] != "correct", got
