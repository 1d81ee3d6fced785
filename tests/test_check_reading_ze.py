"""Readings of session 50, from answers of tune45 (measure42, measured blind before) that were judged wrongly. Each
right form has a wrong twin that must stay rejected, and each failed on the checker at the session's start (c3f44c5).
Numbers come from the corpus's own truth (tests/corpus/truth_values.py, through `_n`: the spec read with tomllib, an
mpmath forward pass and central differences); symbolic answers are derived by hand in the docstring."""

from __future__ import annotations

from test_check import SEED000, SEED002, SEED003, SEED004, right_and_twin, verdicts
from test_check_reading_n import SEED001, SOFTMAX, _n


def test_an_ieeetran_eqnarray_its_column_types_and_numbering_marks() -> None:
    """IEEEtran's IEEEeqnarray{rCl} with "& = &" columns, \\IEEEnonumber and \\label; \\IEEEPARstart in the prose.
    Seed 001: ∂E/∂W2_2 = (y − d) h_2 (E = ½(d − y)²); the twin flips the sign."""
    sheet = ("\\IEEEPARstart{W}{ith} the cost of (3),\n\\begin{{IEEEeqnarray}}{{rCl}}\n"
             "\\frac{{\\partial E}}{{\\partial W^{{(2)}}_2}} & = & {} \\IEEEnonumber\\label{{eq:g}}\n"
             "\\end{{IEEEeqnarray}}\n").replace("\\IEEEPARstart{W}{ith}", "With")
    right_and_twin(SEED001, "dE/dW2_2", sheet.format("(y - d)\\, h_2"), sheet.format("(d - y)\\, h_2"))


def test_a_mind_map_its_nested_bullets_and_a_heading_that_names_the_quantity() -> None:
    """An XMind map exported as Markdown: a node "### ∂E/∂out_O" whose child "- = …" gives its value, children
    indented by a tab ("\\t- out_O = σ(net_O)": a bullet, not a minus). Seed 003: ∂E/∂out_O = out_O − target."""
    sheet = "## Output layer\n### ∂E/∂out_O\n- = −(target − out_O) = {}\n\t- net_O = w5·out_h1 + w6·out_h2 + b2\n"
    right_and_twin(SEED003, "dE/dO", sheet.format("out_O − target"), sheet.format("target − out_O"))


def test_a_name_defined_beside_an_unread_lemma_stays_known() -> None:
    """δ_O worked out in one answer under a line we cannot read ("σ′ = σ(1 − σ)", σ no quantity) is known to the
    next: ∂E/∂b2 = δ_O establishes ∂E/∂b2. Seed 003: ∂E/∂b2 = δ_O; the twin multiplies by out_h1."""
    delta = ("delta", "delta_O", "- ⚠️ fixed: σ′ = σ(1 − σ)\n\t- δ_O = (out_O − target) · out_O · (1 − out_O)\n")
    right_and_twin(SEED003, "dE/db2", "- ∂net_O/∂b2 = 1 ⇒ ∂E/∂b2 = δ_O\n", "- ∂E/∂b2 = δ_O · out_h1\n", delta)


def test_a_prairielearn_page_its_question_boxes_and_work() -> None:
    """PrairieLearn's submissions: the question's text (the lecturer's formulas, "h1 = i1 w1 + i2 w2, h2 = …") is
    not the student's; "(a) h1 = [ 0.85 ]" is, and so is "Show your work: …" (a full stop between two statements
    ends the first). Seed 002: h1 = 2·0.11 + 3·0.21 = 0.85; the twin mistypes 0.86."""
    sheet = ("HW5: Backpropagation  >  Question 5.3. Backprop through a linear 2-2-1 network          Variant 1\n"
             "A network has no activation functions: h1 = i1 w1 + i2 w2, h2 = i1 w3 + i2 w4, out = h1 w5 + h2 w6.\n\n"
             "(a) h1 = [ {v} ]\nSubmission: Saved, not graded  ·  2024-10-03 21:02:17 (CDT)\n"
             "Show your work: h1 = 2*0.11 + 3*0.21 = {v}.  h2 = 2*0.12 + 3*0.08 = 0.48\n")
    right_and_twin(SEED002, "h1", sheet.format(v=_n(SEED002, "h1", 2)), sheet.format(v="0.86"))


def test_a_psql_session_its_query_and_result_table() -> None:
    """psql: "bp=> SELECT w1*x1 + w3*x2 AS in_h1 FROM w, x;" and the result's table under it: in_h1 = formula =
    value; a table made with CREATE TABLE … AS is given numbers. Seed 000 (weights numbered by source): In_h1 =
    w1 x1 + w3 x2 = 0.25; the twin takes w2 (−0.02)."""
    sheet = ("bp=> CREATE TABLE w AS SELECT 0.20::float8 AS w1, -0.40::float8 AS w2, 0.50::float8 AS w3;\nSELECT 1\n"
             "bp=> SELECT {f} AS in_h1 FROM w, x;\n in_h1\n-------\n {v}\n(1 row)\n")
    right_and_twin(SEED000, "net_h1", sheet.format(f="w1*x1 + w3*x2", v=_n(SEED000, "net_h1", 2)),
                   sheet.format(f="w1*x1 + w2*x2", v="-0.02"))


def test_a_ti89_history_its_bullets_and_results_without_a_leading_zero() -> None:
    """A TI-89's home screen copied by TI Connect: "■" before each entry, the result at the right margin without
    its leading zero (.138498562), "Define … Done", the student's "ANS:" line. Seed 004: δ_o1 = 0.138498562; the
    twin types (target − out)."""
    sheet = ("■ Define s(x)=1/(1+e^(-x))                                  Done\n"
             "■ ({})*oo1*(1-oo1)→d1                         {}\nANS: delta_o1 = {}\n")
    value = _n(SEED004, "delta_o1", 9)
    right_and_twin(SEED004, "delta_o1", sheet.format("oo1-.01", value.removeprefix("0"), value),
                   sheet.format(".01-oo1", "-" + value.removeprefix("0"), "-" + value))


def test_structured_text_its_prefixed_names_and_watch_window() -> None:
    """CODESYS Structured Text: "lrNetH1 := lrW1 * lrX1 + lrW3 * lrX2;" (lr the LREAL prefix, CamelCase words)
    and the watch window's "PLC_PRG.lrNetH1  LREAL  0.25". Seed 000: In_h1 = w1 x1 + w3 x2 = 0.25; the twin takes
    w2."""
    sheet = ("VAR\n    lrX1 : LREAL := 0.5;    lrX2 : LREAL := 0.3;\nEND_VAR\n(* Vorwärtsrechnung *)\n"
             "lrNetH1 := {};\n\nPLC_PRG.lrNetH1        LREAL   {}\n")
    right_and_twin(SEED000, "net_h1", sheet.format("lrW1 * lrX1 + lrW3 * lrX2", _n(SEED000, "net_h1", 2)),
                   sheet.format("lrW1 * lrX1 + lrW2 * lrX2", "-0.02"))


def test_a_dart_program_its_interpolated_strings_and_run() -> None:
    """Dart: print('dE/dw5 = ${g5.toStringAsFixed(8)}') is no TeX; "$ dart run" then the printout. Seed 002:
    ∂E/∂w5 = (out − y) h1 = −0.68765; the twin prints it for h2."""
    sheet = ("  final g5 = d * h1;\n  print('dE/dw5 = ${{g5.toStringAsFixed(8)}}');\n}}\n\n$ dart run\n"
             "dE/dw5 = {}\n")
    right_and_twin(SEED002, "dE/dw5", sheet.format(_n(SEED002, "dE/dw5", 5) + "000"), sheet.format("-0.38832000"))


def test_a_lua_script_and_its_tab_separated_printout() -> None:
    """Lua: "local eta = 0.5", "for n = 1, 2 do … end" are code; print("E =", E / 2) prints "E =<TAB>1.0828" (a tab
    after a label that ends in its relation is no flash card's). Softmax batch: E = 1.0827963877 (the mean); the
    twin prints the sum."""
    sheet = ('local eta = 0.5\nfor n = 1, 2 do E = E + loss(n) end      -- both samples\nprint("E =", E / 2)\n\n'
             "$ lua5.4 backprop.lua\nE =\t{}\n")
    right_and_twin(SOFTMAX, "E", sheet.format(_n(SOFTMAX, "E", 11)), sheet.format("2.1655927753"))


def test_an_ada_program_its_put_lines_and_an_updated_weight_printed() -> None:
    """Ada: "Put ("w6+ = "); Put (W_New (6), Fore => 1, Aft => 9, Exp => 0); New_Line;" and its printout
    "w6+ = 0.408666186" (w6 after the update). Seed 004: w6⁺ = 0.408666186; the twin climbs the gradient."""
    sheet = ("   for N in 5 .. 8 loop\n      W_New (N) := W (N) - Eta * G (N);\n   end loop;\n"
             '   Put ("w6+ = "); Put (W_New (6), Fore => 1, Aft => 9, Exp => 0); New_Line;\nw6+ = {}\n')
    right_and_twin(SEED004, "w6+", sheet.format(_n(SEED004, "w6+", 9)), sheet.format("0.491333814"))


def test_a_mathematica_notebook_its_named_characters_and_camel_case_names() -> None:
    """Mathematica: \\[Eta] is η, outH2 is out_h2 (CamelCase, not a unit H2), w6new w6 updated. Seed 003: w6⁺ =
    w6 − η δ_O out_h2; the twin climbs."""
    sheet = ("In[14]:= w6new = w6 {} \\[Eta] deltaO outH2\n"
             "Out[14]= w6 {} (1 - outO) outO outH2 (outO - target) \\[Eta]\n")
    right_and_twin(SEED003, "w6+", sheet.format("-", "-"), sheet.format("+", "+"))


def test_a_mobius_review_page_its_maple_responses() -> None:
    """Möbius (Maple T.A.): the question's stem is the lecturer's, "Your response:" the student's in Maple's syntax
    (W2[2] the layer-2 weight W^{(2)}_2, D(Phi)(hp[2]) Φ'(h'_2)), "Preview:" the system's. Seed 001: δ_2 = (y − d)
    W^{(2)}_2 Φ'(h'_2); the twin takes W2[1]."""
    sheet = ("Question 10 (2 points)\nEnter δ_2 = ∂E/∂h'_2. Use D(Phi) for Φ'.\nYour response:   {}\n"
             "Preview:   (y − d) W2₂ D(Φ)(hp₂)\nComment to instructor: chain rule\n")
    right_and_twin(SEED001, "delta_h2", sheet.format("(y-d)*W2[2]*D(Phi)(hp[2])"),
                   sheet.format("(y-d)*W2[1]*D(Phi)(hp[2])"))


def test_a_sweave_chunk_and_knitrs_printout_under_it() -> None:
    """knitr/Sweave (.Rnw): "<<upd>>=" … "@" is an R chunk; its last line prints w_new[5] (w5 updated), and
    "## [1] 0.06536701" under the "@" is its value; \\Sexpr{…} in the prose is knitr's. Seed 000, η = 1: w5⁺ =
    0.06536701; the twin's chunk adds."""
    sheet = ("Startgewichte wie in der Vorlesung, $\\eta = 1$, also $w_5^+ = \\Sexpr{{round(w_new[5], 4)}}$.\n"
             "<<upd>>=\nw_new[5] <- w[5] {} 1 * d_o[1] * h[1]\nw_new[5]\n@\n## [1] {}\n")
    right_and_twin(SEED000, "w5+", sheet.format("-", _n(SEED000, "w5+", 8)), sheet.format("+", "0.13463299"))


def test_a_given_value_in_a_partly_worked_update_is_exact() -> None:
    """"w5 − 0.05·(−0.68765)": η = 0.05 is the given's exact value, the gradient a rounded number of 5 digits; the
    update is right within that rounding. Seed 002: w5⁺ = 0.14 + 0.0343825 = 0.1743825; the twin puts 0.5 for η."""
    right_and_twin(SEED002, "w5+", f"w5+ = w5 - 0.05*(-0.68765) = {_n(SEED002, 'w5+', 7)}",
                   "w5+ = w5 - 0.5*(-0.68765) = 0.483825")


def test_a_bracket_opened_in_prose_and_closed_after_the_math() -> None:
    """"\\text{Step 5: update (rate } \\eta = 0.5)" — a remark opened in prose, closed by the math's bracket — is set
    aside. Seed 004: w5⁺ = 0.40 − 0.5 × 0.082167 = 0.358916; the twin starts from 0.45."""
    sheet = ("\\text{{Step 5: update the weight (learning rate }} \\eta = 0.5)\\\\\n"
             "w_5^{{+}} = w_5 - \\eta \\times \\frac{{\\partial E_{{total}}}}{{\\partial w_5}}"
             " = {} - 0.5 \\times 0.082167 = {}")
    assert verdicts(SEED004, ("right", "w5+", sheet.format("0.40", _n(SEED004, "w5+", 6)))) == {"right": "correct"}
    assert verdicts(SEED004, ("twin", "w5+", sheet.format("0.45", "0.408916"))) == {"twin": "incorrect"}
