"""Readings of session 51, from answers of tune46 (measure43), tune47 (measure45) and tune48 (measure44), each measured
blind before, that were judged wrongly. Each right form has a wrong twin that must stay rejected, and each test but the
last failed on the checker at the session's start (d6e5627): its right form rejected, or (the two found accepted on
measure45) its twin accepted; the last guards a regression found within the session by the corpus. Numbers come from the
corpus's own truth (tests/corpus/truth_values.py, through `_n`: the spec read with tomllib, an mpmath forward pass and
central differences); symbolic answers are derived by hand in the docstring."""

from __future__ import annotations

from test_check import SEED000, SEED002, SEED003, SEED004, right_and_twin
from test_check_reading_n import SEED001, SOFTMAX, _n


def test_siunitx_numbers_and_a_cited_equation_stand_for_the_number_labelled() -> None:
    r"""\num{…} is its number; \eqref{eq:h1} cites the labelled row's number, written in an earlier answer (seed 000:
    ∂Error/∂w_5 = δ_{o1} h_1 = 6.1605e-2 · 0.5622 = 3.4633e-2). The twin cites h_2's row (δ_{o1} h_2 is ∂E/∂w_7)."""
    h = ("h", "h2", "\\begin{align}\n  h_1 &= \\sigma(\\num{0.25}) = \\num{" + _n(SEED000, "h1", 4) + "} \\label{eq:h1}"
         "\\\\\n  h_2 &= \\sigma(\\num{-0.02}) = \\num{" + _n(SEED000, "h2", 5) + "} \\label{eq:h2}\n\\end{align}\n")
    delta = ("d", "delta_o1", "\\begin{align}\n  \\delta_{o_1} &= \\num{0.24695}\\cdot\\num{0.24947} = \\num{6.1605e-2}"
             " \\label{eq:do1}\n\\end{align}\n")
    sheet = ("\\begin{{align}}\n  \\frac{{\\partial \\mathrm{{Error}}}}{{\\partial w_{w}}} &= "
             "\\delta_{{o_1}}\\, h_{k} = \\eqref{{eq:do1}}\\cdot\\eqref{{eq:h{k}}} = \\num{{{v}}}\n\\end{{align}}\n")
    right_and_twin(SEED000, "dE/dw5", sheet.format(w=5, k=1, v="3.4633e-2"),
                   sheet.format(w=5, k=2, v="3.0495e-2"), h, delta)


def test_a_result_after_an_arrow_outside_the_math() -> None:
    """A blog post's "$$net_{h1} = … + 0.35$$ → 0.3775" (the arrow on the next line, outside the dollars) says
    "= 0.3775"; Markdown's "$out_{h1} = σ(0.3775)$ → **0.593270**" too. Seed 004; the twins slip a digit."""
    sheet = ("지난 글에 이어서 순전파를 계산해 보겠습니다.\n"
             "$$net_{{h1}} = w_1 i_1 + w_2 i_2 + b_1 = 0.15 \\times 0.05 + 0.2 \\times 0.1 + 0.35$$\n→ {v}\n")
    right_and_twin(SEED004, "net_h1", sheet.format(v=_n(SEED004, "net_h1", 4)), sheet.format(v="0.3875"))
    sheet = "$out_{{h1}} = \\sigma(0.3775)$ → **{v}**\n"
    right_and_twin(SEED004, "h1", sheet.format(v=_n(SEED004, "h1", 6)), sheet.format(v="0.539327"))


def test_an_arrow_between_two_pieces_of_math_separates_them() -> None:
    r""""$$\hat y_1 = \frac{e^{s_1}}{…}$$ → **$\hat y_1^{(1)} = 0.350819$**" with no prose around: two statements.
    Softmax batch, sample 1; the twin leaves e^{s_3} out of the sum."""
    sheet = ("$s_2 = 0.150248$, $s_3 = -0.133794$.\n$$\\hat y_1 = \\frac{{e^{{s_1}}}}{{{d}}}$$\n"
             "→ **$\\hat y_1^{{(1)}} = {v}$**\n")
    right_and_twin(SOFTMAX, "y1", sheet.format(d="e^{s_1} + e^{s_2} + e^{s_3}", v=_n(SOFTMAX, "y1", 6)),
                   sheet.format(d="e^{s_1} + e^{s_2}", v="0.486437"))


def test_an_error_term_e_defined_as_a_derivative_means_that_derivative() -> None:
    """Szeliski's e_y = ∂E/∂s_y (the derivative of the error by the output's weighted sum), not Haykin's error
    signal e = d − y. Seed 001 (E = ½(d − y)², y = s_y linear): e_y = y − d; the twin writes d − y."""
    before = ("y", "y", "\\[ y = s_y = W^{(2)}_1 \\Phi(s_1) + W^{(2)}_2 \\Phi(s_2) + W^{(2)}_3 \\Phi(s_3) \\]\n")
    sheet = "\\[ e_y = \\frac{{\\partial E}}{{\\partial s_y}} = {f} \\quad\\text{{(linear output, }} h' = 1) \\]\n"
    right_and_twin(SEED001, "delta_y", sheet.format(f="y - d"), sheet.format(f="d - y"), before)


def test_a_qalc_session_its_echoes_saved_names_and_ans() -> None:
    """Qalculate!'s qalc: "> input", the echo two spaces in with "≈ result", "> save s1" naming the result, "e^s2"
    e to the s2, "ans" the last result. Softmax batch, sample 1: y_2 = e^{s_2}/(e^{s_1} + e^{s_2} + e^{s_3}); the
    twin leaves e^{s_3} out."""
    sheet = ("> 0.5*a1 - 0.3*a2\n\n  (0.5 × a1) − (0.3 × a2) ≈ 0.09598422818\n\n> save s1\n"
             "> 0.1*a1 + 0.2*a2 + 0.1\n\n  (0.1 × a1) + (0.2 × a2) + 0.1 ≈ 0.1502479433\n\n> save s2\n"
             "> -0.4*a1 + 0.6*a2 - 0.1\n\n  (−0.4 × a1) + (0.6 × a2) − 0.1 ≈ −0.1337935551\n\n> save s3\n"
             "> {f}\n\n  {f} ≈ {v}\n\n> ans*1\n\n  ans × 1 ≈ {v}\n")
    before = ("a", "h2", "> tanh(0.3*0.5 + (-0.1)*(-0.2) + 0.1)\n\n  tanh((0.3 × 0.5) + (−0.1 × −0.2) + 0.1) ≈ "
              "0.2636248355\n\n> save a1\n> tanh(0.2*0.5 + 0.4*(-0.2) + 0.1)\n\n  tanh((0.2 × 0.5) + (0.4 × −0.2) + "
              "0.1) ≈ 0.1194272985\n\n> save a2\n")
    right_and_twin(SOFTMAX, "y2", sheet.format(f="e^s2/(e^s1 + e^s2 + e^s3)", v=_n(SOFTMAX, "y2", 10)),
                   sheet.format(f="e^s2/(e^s1 + e^s2)", v="0.5129811906"), before)


def test_a_fortran_program_and_what_it_printed() -> None:
    """A free-form Fortran program (declarations with ::, array sections x(:,n), kinds 0.5_dp, matmul, print
    '(a,f12.8)') with the ./a.out output pasted under it: the printed "h1 = 0.26362484" is the claim. Softmax batch,
    sample 1; the twin prints h2's value."""
    sheet = ("program bp\n  use iso_fortran_env, only: dp => real64\n  implicit none\n"
             "  real(dp) :: x(2,2), W1(2,2), b1, z(2), h(2)\n  integer  :: n\n"
             "  x  = reshape([0.5_dp, -0.2_dp, -0.4_dp, 0.3_dp], [2,2])   ! column n = sample n\n"
             "  W1 = reshape([0.3_dp, 0.2_dp, -0.1_dp, 0.4_dp], [2,2])\n  b1 = 0.1_dp\n  n = 1\n"
             "  z = matmul(W1, x(:,n)) + b1\n  h = tanh(z)\n  print '(a,f12.8)', 'h1 =', h(1)\nend program bp\n\n"
             "$ gfortran -O2 bp.f90 && ./a.out\nh1 =    {v}\n")
    right_and_twin(SOFTMAX, "h1", sheet.format(v=_n(SOFTMAX, "h1", 8)), sheet.format(v=_n(SOFTMAX, "h2", 8)))


def test_a_zero_bias_left_out_of_a_formula_with_numbers_put_in() -> None:
    """s_1 = 0.5 h_1 − 0.3 h_2: the weights' numbers put in and the output's bias b_2 = 0 left out (net_{y1} = w_5
    h_1 + w_6 h_2 + b_2). Softmax batch, sample 1; the twin adds b_3 = 0.1, the next output's bias."""
    sheet = "$$s_1 = 0.5\\, h_1 - 0.3\\, h_2{b} = {v}$$\n"
    right_and_twin(SOFTMAX, "net_y1", sheet.format(b="", v=_n(SOFTMAX, "net_y1", 6)),
                   sheet.format(b=" + 0.1", v="0.195984"))


def test_a_convention_quoted_from_a_book_does_not_turn_round_the_students_own_delta() -> None:
    r"""A sheet that defined δ_O := ∂E/∂net_O (out_O − target)·… keeps that δ when a later answer quotes the book's
    "δ = −∂E/∂net" in its prose. Seed 003 (sigmoid, E = ½(target − out_O)²): w_4⁺ = w_4 − η δ_{h_2} i_2 with the
    student's δ; the twin adds, as the book does with its own δ (found accepted on measure45, written blind)."""
    delta = ("d", "delta_O", "$$\\delta_O := \\frac{\\partial E}{\\partial \\text{net}_O} = (\\text{out}_O - "
             "\\text{target})\\,\\text{out}_O\\,(1 - \\text{out}_O)$$\n")
    hidden = ("h", "delta_h2", "$$\\delta_{h_2} = \\delta_O\\, w_6\\, \\text{out}_{h_2}(1 - \\text{out}_{h_2})$$\n")
    quoted = ("b", "dE/db1", "Il libro usa $\\delta = -\\frac{\\partial E}{\\partial \\text{net}}$ e poi somma "
              "nell'aggiornamento; tu invece hai definito $\\delta_O$ con $(\\text{out}_O - \\text{target})$:\n"
              "$$\\frac{\\partial E}{\\partial b_1} = \\delta_O\\left[w_5\\,\\text{out}_{h_1}(1 - \\text{out}_{h_1})"
              " + w_6\\,\\text{out}_{h_2}(1 - \\text{out}_{h_2})\\right]$$\n")
    sheet = "$$w_4^{{\\text{{nuovo}}}} = w_4 {s} \\eta\\,\\delta_{{h_2}}\\, i_2$$\n"
    right_and_twin(SEED003, "w4+", sheet.format(s="-"), sheet.format(s="+"), delta, hidden, quoted)


def test_a_chain_rule_left_in_partial_derivatives_is_not_an_answer() -> None:
    r"""∂L/∂W^{(2)}_2 = ∂L/∂ŷ · ∂ŷ/∂W^{(2)}_2 and "I am not sure what ∂ŷ/∂W^{(2)}_2 is": the local derivative is
    h_2, which an earlier answer worked out, but that it is h_2 is the step asked for (found accepted on measure45).
    Seed 001: ∂E/∂W2_2 = (y − d) h_2; the right form says so."""
    h2 = ("h", "h2", "$$h_2 = \\Phi(s_2) = \\Phi(W^{(1)}_{12} x_1 + W^{(1)}_{22} x_2 + W^{(1)}_{32} x_3)$$\n")
    dy = ("y", "dE/dy", "$$\\frac{\\partial \\mathcal{L}}{\\partial \\hat{y}} = \\hat{y} - d$$\n")
    head = ("$$\\frac{\\partial \\mathcal{L}}{\\partial W^{(2)}_2} = \\frac{\\partial \\mathcal{L}}{\\partial \\hat{y}}"
            " \\cdot \\frac{\\partial \\hat{y}}{\\partial W^{(2)}_2}")
    right_and_twin(SEED001, "dE/dW2_2", head + " = (\\hat{y} - d)\\, h_2$$\n", head + "$$\n", h2, dy)


def test_greek_letters_named_in_cyrillic_beside_math() -> None:
    """Ответы Mail.ru: "дельта = dE/dout = out - y" and "w3 - эта × dE/dw3": дельта and эта are δ and η where math
    stands beside them ("дельта выхода", a word of the sentence, stays prose). Seed 002 (linear): ∂E/∂w6 = δ·h2 =
    −0.809 · 0.48; the twin multiplies by h1 (0.85)."""
    delta = ("d", "delta_out", "Обратный ход, дельта выхода (активации нет, производная = 1):\n"
             "дельта = dE/dout = out - y = 0.191 - 1 = -0.809\n")
    sheet = "dE/dw6 = дельта * {h} = -0.809 * {v} = {r}\n"
    right_and_twin(SEED002, "dE/dw6", sheet.format(h="h2", v="0.48", r=_n(SEED002, "dE/dw6", 5)),
                   sheet.format(h="h1", v="0.85", r="-0.68765"), delta)
    update = "w3_new = w3 - эта × dE/dw3 = 0.12 - 0.05 × (-0.2427) = {v}\n"
    right_and_twin(SEED002, "w3+", update.format(v=_n(SEED002, "w3+", 6)), update.format(v="0.107865"))


def test_polish_prose_around_plain_math() -> None:
    """A Polish forum: "…², więc" (a word after a comma ending its line) and "To co policzyłeś to dError/dw3." (no
    relation, an accented word) are prose. Seed 000: dError/do2 = o2 − y2 = 0.598696; the twin writes y2 − o2."""
    sheet = ("Error = 1/2*(o1 - y1)^2 + 1/2*(o2 - y2)^2, więc\ndError/do2 = {f} = {v}\n"
             "To co policzyłeś to dError/dw3.\n")
    right_and_twin(SEED000, "dE/do2", sheet.format(f="o2 - y2", v=_n(SEED000, "dE/do2", 6)),
                   sheet.format(f="y2 - o2", v="-0.598696"))


def test_a_debugger_session_and_the_answer_line_under_it() -> None:
    """pdb: "(Pdb) p Z2" and the array it printed are the program's; "ANS q1a: net of y2 for sample 1: z_2 = … =
    0.15024794" is the sheet's answer, its words between the label and the math. Softmax batch; the twin adds b_2
    (0) where b_3 (0.1) belongs."""
    sheet = ("$ python -m pdb backprop_softmax.py\n(Pdb) b 38\n(Pdb) c\n(Pdb) p Z2\n"
             "array([[ 0.09598423,  0.15024794, -0.13379356],\n       [-0.06670692,  0.12282265,  0.00343882]])\n"
             "ANS q1a: net of y2 for sample 1: z_2 = w7*h1 + w8*h2 + {b} = 0.1*0.26362484 + 0.2*0.1194273 + {v}\n")
    right_and_twin(SOFTMAX, "net_y2", sheet.format(b="b3", v="0.1 = " + _n(SOFTMAX, "net_y2", 8)),
                   sheet.format(b="b2", v="0 = 0.05024794"))


def test_an_answer_line_between_a_consoles_blocks() -> None:
    """A Python REPL with pandas: ">>> delta_h2" and what it printed, then the sheet's "Answer (h): dError/dw4 =
    delta_h2*x2 = … = 0.007564" (read beside the console's statements, not set aside as prose). Seed 000; the twin
    multiplies by x1."""
    sheet = (">>> delta_h2\n0.025213306156916\n>>> grad[\"w4\"] = delta_h2*x.x2; grad.w4\n0.0075639918470748\n"
             "Answer (h): dError/dw4 = delta_h2*{x} = 0.025213*{v}\n")
    right_and_twin(SEED000, "dE/dw4", sheet.format(x="x2", v="0.3 = " + _n(SEED000, "dE/dw4", 4)),
                   sheet.format(x="x1", v="0.5 = 0.012607"))


def test_an_erratum_its_type_line_and_equation_numbers() -> None:
    """An Internet-Draft: "Type: Technical" is an erratum's field (not FriCAS's type line, which blanked the sheet),
    "  (10)" two spaces after an equation and "(3)" far in on the line under one are equation numbers. Seed 003:
    ∂E/∂b2 = δ_O = (out_O − target) out_O (1 − out_O); the twin drops (1 − out_O)."""
    sheet = ("   Errata ID: 7702\n   Status: Verified\n   Type: Technical\n   The output bias enters net_O with "
             "coefficient 1, so\n\n      dE/db2 = delta_O = {f}  (10)\n")
    right_and_twin(SEED003, "dE/db2", sheet.format(f="(out_O - target) * out_O * (1 - out_O)"),
                   sheet.format(f="(out_O - target) * out_O"))
    under = "      out_h1 = sigma(net_h1) = {f}\n" + " " * 67 + "(3)\n"
    right_and_twin(SEED003, "h1", under.format(f="1 / (1 + exp(-(w1 * i1 + w2 * i2 + b1)))"),
                   under.format(f="1 / (1 + exp(-(w1 * i1 + w3 * i2 + b1)))"))


def test_a_posts_like_count_after_its_last_word() -> None:
    """Douban: "赞(3)" under a reply is its likes, not a factor 3. Seed 001: ∂E/∂h_2 = (y − d) W2_2; the twin takes
    W2_1."""
    sheet = "momo 2024-03-12 22:20:05 上海\n隐层往回传：\n∂E/∂h_2 = ∂E/∂y · ∂y/∂h_2 = (y − d)·{w}\n赞(2)\n"
    right_and_twin(SEED001, "dE/dh2", sheet.format(w="W2_2"), sheet.format(w="W2_1"))


def test_a_layer_named_by_its_word_where_samples_are_superscripts() -> None:
    r"""A sheet that wrote δ_3^{(1)} for sample 1 writes δ^{h}_1 for the hidden layer's δ_1: h is the layer, not a
    sample. Softmax batch, sample 1: δ^h_1 = ∂ℓ/∂h_1 (1 − h_1²) = −0.371337; the twin leaves tanh′ out."""
    before = ("s", "delta_y3", "$$\\delta_3^{(1)} = y_3^{(1)} - t_3^{(1)} = 0.278799$$\n")
    sheet = "$$\\delta^{{h}}_1 = {v}$$\n"
    right_and_twin(SOFTMAX, "delta_h1", sheet.format(v=_n(SOFTMAX, "delta_h1", 6)), sheet.format(v="-0.399072"),
                   before)


def test_plain_texts_log_before_a_number() -> None:
    """"-log 0.35081895" in plain text is −log(0.35081895). Softmax batch: E = (L^(1) + L^(2))/2; the twin leaves
    the ½ out."""
    sheet = "E = {h}(-log 0.35081895 - log 0.32689778){d} = {v}\n"
    right_and_twin(SOFTMAX, "E", sheet.format(h="", d="/2", v=_n(SOFTMAX, "E", 7)),
                   sheet.format(h="", d="", v="2.16559277"))


def test_a_log_records_head_and_pythons_power() -> None:
    """Python's logging: "2024-04-09 21:41:10,378 INFO     bp.loss: " is the program's, and "(0.2557 - 1)**2" is a
    square. Seed 002 after one step (out = 0.25574578): Error = ½(out − 1)²; the twin leaves the ½ out."""
    sheet = "2024-04-09 21:41:10,378 INFO     bp.loss: Error = {h}(0.25574578 - 1)**2 = {v}\n"
    right_and_twin(SEED002, "E", sheet.format(h="0.5*", v=_n(SEED002, "E", 8, step=1)),
                   sheet.format(h="", v="0.55391434"), step=1)


def test_a_calculators_comment_lines() -> None:
    """SpeedCrunch's "? leersnelheid vergeten" and "? ===== stap 2 =====" are its comments, not a question asked.
    Softmax batch: b1⁺ = 0.1 − 0.5·0.05120016; the twin forgets η."""
    sheet = "? ===== stap 2: parameters bijgewerkt =====\n? leersnelheid vergeten\nb1_nieuw = {f} = {v}\n"
    right_and_twin(SOFTMAX, "b1+", sheet.format(f="0.1 - 0.5*0.05120016", v=_n(SOFTMAX, "b1+", 7)),
                   sheet.format(f="0.1 - 0.05120016", v="0.04879984"))


def test_haykins_squared_error_signal_and_a_posts_reactions() -> None:
    """Phil Kim's E = ½ e² = ½ (d − y)²: a squared e is Haykin's error signal, not Euler's number squared; a post's
    "♥ 2" under it is its likes. Seed 001; the twin leaves the ½ out of the last member."""
    sheet = "Cost (one training pair): E = ½ e² = {f}\n♥ 2\n"
    right_and_twin(SEED001, "E", sheet.format(f="½ (d − y)²"), sheet.format(f="(d − y)²"))


def test_the_physics_packages_derivatives_brackets_and_evaluation_bar() -> None:
    r"""The physics package: \pdv{E}{w_5} is ∂E/∂w_5, \qty(1 - out_O) a bracket, \eval{\dv{\sigma}{x}}_{x = net_O}
    the bar \left. dσ/dx \right|_{x = net_O} (tune48, measure44 measured blind). Seed 003: δ_O = ∂E/∂net_O =
    (out_O − target) out_O (1 − out_O); the twin writes (target − out_O)."""
    sheet = ("\\begin{{align*}}\n\\delta_O \\equiv \\pdv{{E}}{{net_O}} &= \\pdv{{E}}{{out_O}}\\,"
             "\\eval{{\\dv{{\\sigma}}{{x}}}}_{{x = net_O}} = \\qty({f})\\, out_O\\qty(1 - out_O)\n\\end{{align*}}\n")
    right_and_twin(SEED003, "delta_O", sheet.format(f="out_O - target"), sheet.format(f="target - out_O"))


def test_forum_math_tags_around_dollars() -> None:
    """dxdy.ru: "[math]$net_{h1} = … = 0{,}3775$[/math]", the forum's tags around math already in dollars (tune48).
    Seed 004; the twin slips a digit."""
    sheet = ("Прямой проход:\n[math]$net_{{h1}} = w_1 i_1 + w_2 i_2 + b_1 = 0{{,}}15 \\cdot 0{{,}}05 + 0{{,}}2 "
             "\\cdot 0{{,}}1 + 0{{,}}35 = {v}$[/math]\n")
    right_and_twin(SEED004, "net_h1", sheet.format(v="0{,}3775"), sheet.format(v="0{,}3875"))


def test_a_lisp_sessions_values_and_its_comment_claims() -> None:
    """Emacs IELM: "ELISP> (setq d-o1 (* (- o1 y1) o1 (- 1 o1)))" and the value printed under it — its statement kept
    as name = value where the lines are too short for the formula (it was dropped) — and the student's ";; delta_o1
    = … = 0.0616052" (Lisp's comment, a claim). Seed 000 (tune48); the twin's comment slips a digit."""
    sheet = (";; sign fixed: dError/do1 = o1 - y1\nELISP> (setq d-o1 (* (- o1 y1) o1 (- 1 o1)))\n0.06160518846353052\n"
             ";; delta_o1 = dError/dIn_o1 = (o1 - y1) o1 (1 - o1) = {v}\n")
    right_and_twin(SEED000, "delta_o1", sheet.format(v="0.0616052"), sheet.format(v="0.0661052"))


def test_a_spreadsheet_copied_as_text() -> None:
    """LibreOffice Calc copied as text: "B19 | Delta = dE/dout | =B17-$B$5 | -0,8090000" without Markdown's outer
    pipes, a German decimal comma, a row labelled with a Greek letter's name (Delta, not Typst's Δ read twice) (tune48).
    Seed 002 after one step: ∂E/∂w5 = Δ·h1; the twin's cell shows the value of another formula."""
    sheet = ("Zelle | Bezeichnung | Formel | Wert\nC19 | Delta | =C17-$B$5 | -0,7442542\n"
             "C24 | dE/dw5 | =C19*C15 | {v}\n")
    right_and_twin(SEED002, "dE/dw5", sheet.format(v="-0,6874073"), sheet.format(v="-0,4159469"), step=1)


def test_an_answer_lines_remark_after_a_console_block() -> None:
    """NumWorks's Python shell, then "Rép. (j) : w5* = … ≈ 0.1744  (cours : 0.17)": the remark in brackets at the
    end is the student's aside, not part of the math (a regression of this session's answer lines, found by the
    corpus). Seed 002: w5⁺ = 0.14 − 0.05 × (−0.68765); the twin adds."""
    sheet = ">>> w[4]-eta*g[4]\n0.1743825\nRép. (j) : w5* = 0.14 {s} 0.05 × (−0.68765) ≈ {v}  (cours : 0.17)\n"
    right_and_twin(SEED002, "w5+", sheet.format(s="−", v="0.1744"), sheet.format(s="+", v="0.1056"))
