"""Readings of session 52, from answers of tune48 (measure44) that were judged wrongly. Each right form has a wrong
twin that must stay rejected, and each test failed on the checker at the session's start (c79031c): its right form
rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py, through `_n`: the spec read with
tomllib, an mpmath forward pass and central differences); symbolic answers are derived by hand in the docstring."""

from __future__ import annotations

from test_check import SEED002, SEED003, SEED004, right_and_twin
from test_check_reading_n import SEED001, SOFTMAX, _n


def test_emph_and_the_other_text_commands_are_prose() -> None:
    r"""A supervision's "\textbf{3(c)} [6 marks] \emph{Backward pass.}": \emph, \textsl, \textsc, \textup hold
    words like \text. Seed 004: ∂E/∂y_2 = −(t_2 − y_2) with y_2 = out_o2 = 0.772928; the twin drops the minus."""
    sheet = ("\\textbf{{3(c)}} [6 marks] \\emph{{Backward pass.}} \\textsc{{Part}} \\textsl{{two}}\n"
             "\\[ \\frac{{\\partial E}}{{\\partial out_{{o2}}}} = {f}(target_{{o2}} - out_{{o2}})"
             " = {f}(0.99 - {o}) = {v} \\]\n")
    o = _n(SEED004, "o2", 6)
    right_and_twin(SEED004, "dE/do2", sheet.format(f="-", o=o, v=_n(SEED004, "dE/do2", 6)),
                   sheet.format(f="", o=o, v=_n(SEED004, "dE/do2", 6).lstrip("-")))


def test_a_word_spaced_off_a_number_in_brackets_is_a_remark() -> None:
    r"""A Joplin note's "= ==0.406405== \quad (\text{was } 0.350819)": the earlier value named in words after the
    answer is a remark, not a name "was". Softmax batch, sample 1 after one step (step=1); the twin slips a digit."""
    sheet = "$$p_1 = {v} \\quad (\\text{{was }} {old})$$\n"
    old = _n(SOFTMAX, "y1", 6)
    right_and_twin(SOFTMAX, "y1", sheet.format(v=_n(SOFTMAX, "y1", 6, step=1), old=old),
                   sheet.format(v="0.460405", old=old), step=1)


def test_a_bracket_opened_by_prose_in_another_script_and_a_thai_new_word() -> None:
    """Pantip: "(ในชีทอาจารย์ใช้ E = ½(target − out_O)² ครับ)" — a remark whose bracket Thai words open and close —
    before the chain; and "w1_ใหม่" (ใหม่, "new", its vowel marks inside the word) as a subscript without braces.
    Seed 003 (symbolic): ∂E/∂out_O = out_O − target; the twin writes target − out_O. w1⁺ = w1 − η δ_O w5
    out_h1(1 − out_h1) i1; the twin adds the step."""
    sheet = ("(ในชีทอาจารย์ใช้ E = ½(target − out_O)² ครับ) จากกฎลูกโซ่ อนุพันธ์ของ E เทียบกับ out_O:\n"
             "∂E/∂out_O = ½ × 2(target − out_O) × (−1) = {f}\n")
    right_and_twin(SEED003, "dE/dO", sheet.format(f="out_O − target"), sheet.format(f="target − out_O"))
    sheet = ("อย่าลืมอัตราการเรียนรู้ η ครับ เช่น\n"
             "w1_ใหม่ = w1 {s} η × (out_O − target) out_O(1 − out_O) w5 out_h1(1 − out_h1) i1\n")
    right_and_twin(SEED003, "w1+", sheet.format(s="−"), sheet.format(s="+"))


def test_a_tatar_new_word_after_the_indices() -> None:
    r"""A Tatar homework's W^{2}_{3,\text{яңа}} (яңа, "new"): the updated weight. Seed 001: W^2_3 ← W^2_3 − α (y − d)
    h_3 (the output is linear, h_3 = Φ(s_3)); the twin adds the step."""
    sheet = "\\[ W^{{2}}_{{3,\\text{{яңа}}}} = W^2_3 {s} \\alpha\\,(y - d)\\, \\Phi(s_3) \\]\n"
    right_and_twin(SEED001, "W2_3+", sheet.format(s="-"), sheet.format(s="+"))


def test_samples_named_ex1_and_ex2() -> None:
    """A peer review's "L(ex1)", "δ3(ex2)*a2(ex2)" and "ex2: δ2*a2 = …": a sample named by an abbreviation, in
    brackets after a name or as a line's label. Softmax batch (mean cross-entropy over two samples): ∂J/∂w10 = ½ Σ
    δ3·a2 over the samples, written in names only. The twin leaves out the ½."""
    sheet = "∂J/∂w10 = (δ3(ex1)*a2(ex1) + δ3(ex2)*a2(ex2)){h}\n"
    right_and_twin(SOFTMAX, "dE/dw10", sheet.format(h="/2"), sheet.format(h=""), _A2)


_A2 = ("a2", "h2", "z2 = 0.2*0.5 + 0.4*(-0.2) + 0.1 = 0.12, a2 = tanh(z2) = " + _n(SOFTMAX, "h2", 6) + "\n")


def test_a_sum_typed_as_sigma_over_the_students_own_letter() -> None:
    """"L = -Σ t_k ln P_k" typed in plain text: Σ before a name is the sum (over the outputs), ln before a name its
    logarithm, and P_2 — never defined — the output that P_1 and P_3 (defined as the sheet's probabilities) say it
    is. Softmax batch: J = ½ Σ over the samples of −Σ_k t_k ln P_k; the twin has no minus in its formula (its
    numbers right: the formula, once read, is wrong)."""
    before = (("p1", "y1", "P1 = 1.10074 / 3.13763 = " + _n(SOFTMAX, "y1", 5) + "\n"),
              ("p3", "y3", "P3 = 0.87477 / 3.13763 = " + _n(SOFTMAX, "y3", 5) + "\n"))
    sheet = ("J = ({s}Σ t_k(ex1) ln P_k(ex1) {s}Σ t_k(ex2) ln P_k(ex2)) / 2 = (1.047485 + 1.118108) / 2 = "
             + _n(SOFTMAX, "E", 4) + "\n")
    right_and_twin(SOFTMAX, "E", sheet.format(s="-"), sheet.format(s="+"), *before)


def test_a_sentence_after_the_formula_that_ends_with_a_name() -> None:
    """A solver's note, "dE/dw1 = (out - y) * w5 * i1 with the new w5": the words and the name they end with are a
    remark after the formula. Seed 002 (linear): ∂E/∂w1 = (out − y) w5 i1; the twin uses i2."""
    sheet = "second backward pass: dE/dw1 = (out - y) * w5 * {i} with the new w5\n"
    right_and_twin(SEED002, "dE/dw1", sheet.format(i="i1"), sheet.format(i="i2"))


def test_an_answer_lead_before_a_bracketed_remark() -> None:
    """A peer review's "Answer: (redid part 6 with the column w5, w7, w9: ∂L/∂a1 = …)" then the chain: the
    bracket's words and colon are set aside after the answer's lead, its math read. Softmax batch, sample 1:
    ∂L/∂z1 = ∂L/∂a1 (1 − a1²); the twin squares the other way (1 − a1)²."""
    sheet = ("Part 7. Give ∂L/∂z1 for ex1.\n"
             "Answer: (redid part 6 with the column w5, w7, w9: ∂L/∂a1 = -0.324591 + 0.037038 - 0.111520 = -0.399072)\n"
             "∂L/∂z1 = ∂L/∂a1 * {f} = -0.399072 * {g} = {v}\n")
    before = ("a1", "h1", "z1 = 0.3*0.5 + (-0.1)*(-0.2) + 0.1 = 0.27, a1 = tanh(0.27) = " + _n(SOFTMAX, "h1", 6) + "\n")
    right_and_twin(SOFTMAX, "delta_h1", sheet.format(f="(1 - a1^2)", g="(1 - 0.263625^2)", v="-0.37134"),
                   sheet.format(f="(1 - a1)^2", g="(1 - 0.263625)^2", v="-0.216396"), before)
