"""Readings of session 34, from answers of tune19 (measure15) and tune20 (measure16) that were judged wrongly: a
number that rounds two factors of its line, Rumelhart–Hinton–Williams' Δ_p w, Hungarian be/ki/cél and "új", "new"
in more languages, a blog's math typed in Unicode (w₅, out_h₁, e⁻¹·¹, ½, **bold**, an aside in brackets), LeCun's
state a_i and output x_i, a sentence after a \\textbf title, Werbos's ordered derivative, the layout of Learning
From Data, code names with escaped underscores, MIT 6.034's lettered units, a primed weight after the first pass,
StatQuest's worded names, LeCun's cost C(y). Each right form has a wrong twin that must stay rejected. Numbers come
from the corpus's own truth (tests/corpus/truth_values.py: the spec read with tomllib, mpmath forward pass and
central differences); formulas of the symbolic seeds are checked against sympy.diff in the test."""

from __future__ import annotations

import mpmath as mp
from test_check import SEED000, SEED002, SEED003, SEED004, check, verdicts

from corpus.truth_values import formula_is, numeric_value, value_text
from symbackprop.check.lex import plain_math

SEED001 = SEED004.with_name("seed001_abstract_phi.toml")


def _is(spec, formula: str, quantity: str) -> bool:
    return formula_is(spec.name, formula, quantity)


def _n(spec, quantity: str, digits: int, step: int = 0) -> str:
    return value_text(spec.name, quantity, digits, step)


def test_a_number_rounding_two_factors_stands_for_the_one_its_place_needs() -> None:
    """w_2 ← 0.20 − 0.000877135: 0.20 is w_2 (0.2) and also a rounding of η(1 − out_h1) = 0.2034, a factor of the
    update's formula. Read as the factor that makes the line hold it is w_2, exact, so the step without η (twice the
    true step, η = ½) is no rounding of the truth; the right step is accepted."""
    g2 = numeric_value(SEED004.name, "dE/dw2")
    eta = mp.mpf("0.5")
    new = numeric_value(SEED004.name, "w2+")
    assert abs(mp.mpf("0.2") - eta * g2 - new) < mp.mpf(10) ** -12
    line = r"$$w_2 \leftarrow 0.20 - STEP = NEW$$"
    right = line.replace("STEP", mp.nstr(eta * g2, 6)).replace("NEW", mp.nstr(new, 9))
    twin = line.replace("STEP", mp.nstr(g2, 6)).replace("NEW", mp.nstr(mp.mpf("0.2") - g2, 9))
    assert verdicts(SEED004, ("right", "w2+", right), ("twin", "w2+", twin)) == {"right": "correct",
                                                                               "twin": "incorrect"}


def test_rumelhart_hinton_williams_pattern_step() -> None:
    """PDP ch. 8: Δ_p w_{ji} = η δ_{pj} o_{pi} is the step of w_ji for pattern p (one pattern here); written without
    η it is named as the learning rate left out."""
    g2 = numeric_value(SEED004.name, "dE/dw2")
    answer = r"$$\Delta_p w_{2} = 0.5 \cdot (STEP) = DW$$"
    r = check(SEED004, ("right", "w2+", answer.replace("STEP", mp.nstr(-g2, 6)).replace("DW", mp.nstr(-g2 / 2, 6))
                        + rf"$$w_2 \leftarrow 0.2 {mp.nstr(-g2 / 2, 6)} = {_n(SEED004, 'w2+', 9)}$$"),
              ("twin", "w2+", rf"$$\Delta_p w_{{2}} = \delta_{{p,h1}}\, i_{{p2}} = {mp.nstr(-g2, 6)}$$"))
    assert r["right"].verdict == "correct"
    assert r["twin"].verdict == "incorrect" and r["twin"].diagnosis[0].kind == "missing_learning_rate"


def test_hungarian_be_ki_cel_and_new_in_more_languages() -> None:
    r"""\text{be}_{h1} (bemenet: the weighted input), \text{ki}_{o1} (kimenet: the output), \text{cél}_k (the
    target), w_6^{\text{új}} (the new w_6); Bengali নতুন after the name (seed 001, symbolic: checked against
    sympy.diff). English "be" without an index stays a word."""
    net_h1 = numeric_value(SEED004.name, "net_h1")
    assert verdicts(SEED004, ("right", "net_h1", rf"$$\text{{be}}_{{h1}} = 0.15 \cdot 0.05 + 0.20 \cdot 0.10 + 0.35 "
                                                 rf"= {mp.nstr(net_h1, 4)}$$"),
                    ("twin", "net_h1", r"$$\text{be}_{h1} = 0.15 \cdot 0.05 + 0.20 \cdot 0.10 = 0.0275$$"),
                    ("new", "w6+", rf"$$w_6^{{\text{{új}}}} = w_6 - \eta\,\frac{{\partial E}}{{\partial w_6}} = "
                                   rf"{_n(SEED004, 'w6+', 9)}$$"),
                    ("old", "w6+", rf"$$w_6^{{\text{{új}}}} = w_6 + \eta\,\frac{{\partial E}}{{\partial w_6}} = "
                                   rf"{mp.nstr(2 * mp.mpf('0.45') - numeric_value(SEED004.name, 'w6+'), 9)}$$"),
                    ("E", "E", r"$$E = \sum_k \tfrac12(\text{cél}_k - \text{ki}_k)^2 = "
                               rf"{_n(SEED004, 'E', 8)}$$")) == {
        "right": "correct", "twin": "incorrect", "new": "correct", "old": "incorrect", "E": "correct"}
    rule = "W1_22 - alpha*(y - d)*W2_2*dPhi(net_h2)*x2"
    assert _is(SEED001, rule, "W1_22+")
    written = (r"W^{(1)}_{22}(\text{নতুন}) = W^{(1)}_{22} - \alpha\,(y - d)\,W^{(2)}_2\,"
               r"\Phi^{\prime}(\text{net}_{h_2})\,x_2")
    assert verdicts(SEED001, ("right", "W1_22+", written),
                    ("twin", "W1_22+", written.replace("- \\alpha", "+ \\alpha"))) == {
        "right": "correct", "twin": "incorrect"}


def test_math_typed_in_unicode() -> None:
    """A blog without a LaTeX renderer: w₅, out_h₁ (the subscript goes on the index), (t − o)², e⁻¹·¹⁰⁵⁹ (a raised
    dot as the decimal point), ½, **bold** headings and an aside in brackets are read; the answer is shown as
    written."""
    assert plain_math("out_h₁ = w₅ · x₁, e⁻¹·¹⁰⁵ + ½(t − o)²") == \
        r"out_{h1} = w_{5} · x_{1}, e^{-1.105} + \tfrac{1}{2}(t − o)^{2}"
    net, out = numeric_value(SEED004.name, "net_o1"), numeric_value(SEED004.name, "o1")
    answer = ("**Forward pass, output layer.** With out_h₁ = 0.59326999 and out_h₂ = 0.59688438:\n\n"
              f"net_o₁ = w₅ · out_h₁ + w₆ · out_h₂ + b₂ = 0.40 × 0.59326999 + 0.45 × 0.59688438 + 0.60 = "
              f"{mp.nstr(net, 9)}\n\n"
              f"out_o₁ = σ(net_o₁) = 1 / (1 + e⁻¹·{''.join('⁰¹²³⁴⁵⁶⁷⁸⁹'[int(c)] for c in mp.nstr(net, 9)[2:])}) = OUT")
    r = check(SEED004, ("right", "o1", answer.replace("OUT", mp.nstr(out, 8))),
              ("twin", "o1", answer.replace("OUT", mp.nstr(out + mp.mpf("0.001"), 8))))
    assert (r["right"].verdict, r["twin"].verdict) == ("correct", "incorrect")
    assert r["right"].latex == answer.replace("OUT", mp.nstr(out, 8))  # (the answer as written)
    g8 = numeric_value(SEED004.name, "dE/dw8")
    aside = (f"(Correction from a reader: it is out_h₂ for w₈, ∂E/∂w₈ = {mp.nstr(g8, 6)}.)\n\n"
             f"w₈⁺ = w₈ − η · ∂E/∂w₈ = 0.55 − 0.5 × ({mp.nstr(g8, 6)}) = NEW")
    assert verdicts(SEED004, ("right", "w8+", aside.replace("NEW", _n(SEED004, "w8+", 7))),
                    ("twin", "w8+", aside.replace("NEW", mp.nstr(mp.mpf("0.55") + g8 / 2, 7)))) == {
        "right": "correct", "twin": "incorrect"}


def test_lecun_state_and_output() -> None:
    """LeCun et al., Efficient BackProp: the state a_i = Σ_j w_ij x_j is the net input, x_i = f(a_i) the unit's
    output (Rumelhart's x_j is the total input; a sheet whose a is the net input reads x as the output). A sum in an
    unread notation before a readable member does not decide what the head is."""
    assert _is(SEED003, "out_O*(1 - out_O)*(out_O - target)", "dE/dnet_O")
    state = r"$$a_{h1} = \sum_j w_{h1,j}\,x_j + b_1 = w_1 i_1 + w_2 i_2 + b_1 = \mathrm{net}_{h1}$$"
    slope = (r"$$\frac{\partial E}{\partial a_O} = f'(a_O)\,\frac{\partial E}{\partial x_O} = "
             r"\mathrm{out}_O(1 - \mathrm{out}_O)\,(\mathrm{out}_O - \mathrm{target})$$")
    assert verdicts(SEED003, ("state", "net_h1", state), ("slope", "dE/dnet_O", slope),
                    ("twin", "dE/dnet_O", slope.replace("(1 - \\mathrm{out}_O)", "(1 + \\mathrm{out}_O)")),
                    ("x", "O", r"$$x_O = f(a_O) = \frac{1}{1 + \exp(-(w_5\,\mathrm{out}_{h1} + w_6\,\mathrm{out}_{h2}"
                               r" + b_2))}$$"),
                    ("xtwin", "O", r"$$x_O = f(a_O) = \frac{1}{1 + \exp(-(w_5\,\mathrm{out}_{h1} + w_6\,"
                                   r"\mathrm{out}_{h2}))}$$")) == {
        "state": "correct", "slope": "correct", "twin": "incorrect", "x": "correct", "xtwin": "incorrect"}


def test_a_sentence_after_a_bold_title() -> None:
    r"""\textbf{Tehtävä 1.} Piilokerroksessa ei ole aktivointifunktiota, joten — a title, then a sentence ending in
    "so" (Finnish joten): prose, not a product of letters."""
    h1 = numeric_value(SEED002.name, "h1")
    answer = (r"\textbf{Tehtävä 1.} Piilokerroksessa ei ole aktivointifunktiota, joten" "\n"
              r"\begin{align*} h_1 &= i_1 w_1 + i_2 w_2 = 2\cdot 0{,}11 + 3\cdot 0{,}21 \\ &= 0{,}22 + 0{,}63 = H"
              r"\end{align*}")
    assert verdicts(SEED002, ("right", "h1", answer.replace("H", mp.nstr(h1, 2).replace(".", "{,}"))),
                    ("twin", "h1", answer.replace("H", "0{,}95"))) == {"right": "correct", "twin": "incorrect"}


def test_werbos_ordered_derivative() -> None:
    r"""Werbos's ordered derivative ∂⁺E/∂z (\partial^+, \partial^{+}) is the total derivative, which is what ∂ reads
    as here (seed 001, symbolic: checked against sympy.diff)."""
    rule = "(y - d)*W2_1*dPhi(net_h1)"
    assert _is(SEED001, rule, "delta_h1")
    answer = (r"$$F\_net_1 = \frac{\partial^+ E}{\partial net_1} = \frac{\partial^{+} E}{\partial h_1}\,"
              r"\frac{\partial h_1}{\partial net_1} = (y - d)\,W^{(2)}_1\,\Phi'(net_1)$$")
    assert verdicts(SEED001, ("right", "delta_h1", answer),
                    ("twin", "delta_h1", answer.replace("(y - d)", "(d - y)"))) == {
        "right": "correct", "twin": "incorrect"}


def test_learning_from_data_layout() -> None:
    r"""Abu-Mostafa et al., Learning From Data: W^{(l)}_{ij} goes from node i of layer l − 1 to node j, so a sheet
    writing W^{(2)} = [w_5 w_6; w_7 w_8] on seed 000 (w_6 from h_1 to o_2) holds its matrices transposed; x^{(l)}_j
    is node j's output (x^{(0)} the inputs); W^{(2)}_{11}(1) = W^{(2)}_{11}(0) − η … is one step. \mathrm T (no
    braces) is a transpose."""
    h1, h2 = numeric_value(SEED000.name, "h1"), numeric_value(SEED000.name, "h2")
    net_o1 = mp.mpf("0.1") * h1 - mp.mpf("0.3") * h2  # seed 000: w5 = 0.1 (h1 → o1), w7 = −0.3 (h2 → o1)
    assert abs(net_o1 - numeric_value(SEED000.name, "net_o1")) < mp.mpf(10) ** -12
    layout = (r"$W^{(2)} = \begin{bmatrix} w_5 & w_6 \\ w_7 & w_8 \end{bmatrix} = "
              r"\begin{bmatrix} 0.1 & -0.5 \\ -0.3 & 0.8 \end{bmatrix}$ and $s^{(2)} = (W^{(2)})^{\mathrm T} x^{(1)}$:"
              "\n" r"$$s^{(2)}_1 = W^{(2)}_{11} x^{(1)}_1 + W^{(2)}_{21} x^{(1)}_2 = NET$$")
    assert verdicts(SEED000, ("right", "net_o1", layout.replace("NET", mp.nstr(net_o1, 7))),
                    ("twin", "net_o1", layout.replace("NET", mp.nstr(net_o1, 7)).replace("W^{(2)}_{21}",
                                                                                       "W^{(2)}_{12}"))) == {
        "right": "correct", "twin": "incorrect"}
    g5, new = numeric_value(SEED000.name, "dE/dw5"), numeric_value(SEED000.name, "w5+")
    step = (r"One step, $\eta = 1$: $W^{(2)}_{11}(1) = W^{(2)}_{11}(0) - \eta\, x^{(1)}_1\delta^{(2)}_1$,"
            "\n" rf"$$w_5 \leftarrow 0.1 - 1 \times {mp.nstr(g5, 7)} = NEW$$")
    assert verdicts(SEED000, ("right", "w5+", step.replace("NEW", mp.nstr(new, 7))),
                    ("twin", "w5+", step.replace("NEW", mp.nstr(new, 7)).replace("(0) -", "(0) +"))) == {
        "right": "correct", "twin": "incorrect"}


def test_code_names_with_escaped_underscores() -> None:
    r"""Machine Learning Mastery's code names typed in \mathrm: transfer\_derivative(0.5287) is a function the sheet
    names (its line unchecked, never the asked quantity's arithmetic), l\_rate the learning rate (seed 000, η = 1)."""
    o2, g6 = numeric_value(SEED000.name, "o2"), numeric_value(SEED000.name, "dE/dw6")
    answer = (rf"$\mathrm{{transfer\_derivative}}({mp.nstr(o2, 8)}) = {mp.nstr(o2 * (1 - o2), 8)}$, so "
              r"$$\frac{\partial E}{\partial w_6} = \mathrm{delta}_{o2} \cdot \mathrm{output}_{h1} = GRAD$$")
    new = numeric_value(SEED000.name, "w6+")
    step = (r"$$w_6' = w_6 - \mathrm{l\_rate} \cdot \frac{\partial E}{\partial w_6} = "
            rf"-0.5 - 1 \cdot {mp.nstr(g6, 7)} = NEW$$")
    assert verdicts(SEED000, ("right", "dE/dw6", answer.replace("GRAD", mp.nstr(g6, 7))),
                    ("twin", "dE/dw6", answer.replace("GRAD", mp.nstr(2 * g6, 7))),
                    ("rate", "w6+", step.replace("NEW", mp.nstr(new, 7))),
                    ("ratetwin", "w6+", step.replace("NEW", mp.nstr(new, 7)).replace("w_6 -", "w_6 +"))) == {
        "right": "correct", "twin": "incorrect", "rate": "correct", "ratetwin": "incorrect"}


def test_lettered_units_and_a_performance_to_maximise() -> None:
    """MIT 6.034's quiz conventions: "A = h_1, B = h_2, C = o_1, D = o_2" names the units (z_A is h1's net input;
    C a unit, not a cost); "$+1$ input" after a sentence is a sign, not the line before going on; P defined by a
    formula keeps it when a later line gives it numbers, and E = −P then holds (seed 004)."""
    net_h1, e = numeric_value(SEED004.name, "net_h1"), numeric_value(SEED004.name, "E")
    labels = "Labels: $A = h_1$, $B = h_2$, $C = o_1$, $D = o_2$ (output), biases on a constant\n$+1$ input.\n"
    z = r"$$z_A = w_1 i_1 + w_2 i_2 + b_1 = 0.15(0.05) + 0.20(0.10) + 0.35 = NET$$"
    o1, o2 = numeric_value(SEED004.name, "o1"), numeric_value(SEED004.name, "o2")
    p = (r"$$P = -\tfrac12(d_C - o_C)^2 - \tfrac12(d_D - o_D)^2 = "
         rf"-\tfrac12(0.01 - {mp.nstr(o1, 9)})^2 - \tfrac12(0.99 - {mp.nstr(o2, 9)})^2$$" "\n"
         rf"$$P = -{mp.nstr((mp.mpf('0.01') - o1) ** 2 / 2, 9)} - {mp.nstr((mp.mpf('0.99') - o2) ** 2 / 2, 8)} = "
         rf"-{mp.nstr(e, 9)} \quad\Longrightarrow\quad E = -P = FINAL$$")
    assert verdicts(SEED004, ("right", "net_h1", labels + z.replace("NET", mp.nstr(net_h1, 4))),
                    ("twin", "net_h1", labels + z.replace("NET", mp.nstr(net_h1, 4)).replace("w_1 i_1", "w_1 i_2")),
                    ("p", "E", p.replace("FINAL", mp.nstr(e, 9))),
                    ("ptwin", "E", p.replace("FINAL", mp.nstr(-e, 9)))) == {
        "right": "correct", "twin": "incorrect", "p": "correct", "ptwin": "incorrect"}


def test_a_primed_weight_after_the_first_pass_is_that_steps_weight() -> None:
    """w_5' = w_5 − η ∂E/∂w_5 defined in an answer of the first pass; in an answer after it (step 1) w_5' is this
    step's w5, not one step further on (seed 004)."""
    first = r"$$w_5' = w_5 - \eta\,\frac{\partial E}{\partial w_5} = W5$$"
    later = r"$$\mathit{net}_{o1} = w_5'\,\mathit{out}_{h1} + w_6\,\mathit{out}_{h2} + b_2 = NET$$"
    assert verdicts(SEED004, ("first", "w5+", first.replace("W5", _n(SEED004, "w5+", 9))),
                    ("later", "net_o1", later.replace("NET", _n(SEED004, "net_o1", 9, step=1)), 1),
                    ("twin", "net_o1", later.replace("NET", _n(SEED004, "net_o1", 9)), 1)) == {
        "first": "correct", "later": "correct", "twin": "incorrect"}


def test_statquest_worded_names() -> None:
    r"""StatQuest's words (seed 002): \text{Step Size} = \text{Derivative} \times \text{Learning Rate} names the step
    (its value η ∂E/∂w_5), \text{New } w_5 = \text{Old } w_5 − \text{Step Size} is the update; Input_1 the input."""
    g5, new = numeric_value(SEED002.name, "dE/dw5"), numeric_value(SEED002.name, "w5+")
    step = g5 * mp.mpf("0.05")
    answer = (rf"$$\text{{Step Size}} = \text{{Derivative}} \times \text{{Learning Rate}} = {mp.nstr(g5, 5)} "
              rf"\times 0.05 = {mp.nstr(step, 6)}$$" "\n"
              rf"$$\text{{New }} w_5 = \text{{Old }} w_5 - \text{{Step Size}} = 0.14 - ({mp.nstr(step, 6)}) = NEW"
              r" \qquad \text{BAM!!!}$$")
    assert verdicts(SEED002, ("right", "w5+", answer.replace("NEW", mp.nstr(new, 7))),
                    ("twin", "w5+", answer.replace("NEW", mp.nstr(mp.mpf("0.14") + step, 7)))) == {
        "right": "correct", "twin": "incorrect"}
    g1 = numeric_value(SEED002.name, "dE/dw1")
    assert verdicts(SEED002, ("input", "dE/dw1", rf"$$\frac{{d\,E}}{{d\,w_1}} = {mp.nstr(g1 / 2, 5)} \times "
                                                 rf"\text{{Input}}_1 = {mp.nstr(g1, 5)}$$"),
                    ("inputtwin", "dE/dw1", rf"$$\frac{{d\,E}}{{d\,w_1}} = {mp.nstr(g1 / 2, 5)} \times "
                                            rf"\text{{Input}}_2 = {mp.nstr(g1 * 3 / 2, 5)}$$")) == {
        "input": "correct", "inputtwin": "incorrect"}


def test_lecun_1988_cost_of_the_output_and_an_index_range() -> None:
    """LeCun's Lagrangian framing (seed 001, symbolic; checked against sympy.diff): C(y) = ½(d − y)² is the cost of
    the output; "(j = 1, 2, 3)" is the range of an index, no claim."""
    assert _is(SEED001, "(d - W2_1*Phi(net_h1) - W2_2*Phi(net_h2) - W2_3*Phi(net_h3))**2/2", "E")
    cost = (r"States ($j = 1, 2, 3$): Cost $C(y) = \tfrac12(d - y)^2$; eliminating the constraints,"
            "\n" r"$$C = \tfrac12\Big(d - W^{(2)}_1\Phi(a_1) - W^{(2)}_2\Phi(a_2) - W^{(2)}_3\Phi(a_3)\Big)^2$$")
    assert verdicts(SEED001, ("right", "E", cost), ("twin", "E", cost.replace(r"\tfrac12(d - y)^2", "(d - y)^2"))) \
        == {"right": "correct", "twin": "incorrect"}


def test_the_sample_a_line_names_in_a_batch() -> None:
    """Softmax batch: "sample 1 $h_2 = …$; sample 2 $h_2 = …$" — the prose names the sample of the math after it
    (until other prose), so sample 2's h_2 is judged as sample 2's."""
    softmax = SEED004.with_name("softmax_batch.toml")
    h2 = numeric_value(softmax.name, "h2")  # sample 1 (the truth's unmarked quantities)
    g10 = numeric_value(softmax.name, "dE/dw10")
    line = (rf"Forward: sample 1 $h_2 = {mp.nstr(h2, 7)}$; sample 2 $h_2 = H2$." "\n"
            rf"$$\frac{{\partial E}}{{\partial w_{{10}}}} = {mp.nstr(g10, 6)}$$")
    sample2_h2 = "0.1390924"  # tanh(w3 x1 + w4 x2 + b1) at sample 2's x = (−0.4, 0.3)
    assert abs(mp.tanh(mp.mpf("0.2") * mp.mpf("-0.4") + mp.mpf("0.4") * mp.mpf("0.3") + mp.mpf("0.1"))
               - mp.mpf(sample2_h2)) < mp.mpf("1e-7")
    assert verdicts(softmax, ("right", "dE/dw10", line.replace("H2", sample2_h2)),
                    ("twin", "dE/dw10", line.replace("H2", mp.nstr(h2, 7)))) == {
        "right": "correct", "twin": "incorrect"}


def test_the_sum_where_the_batch_takes_the_mean_is_named() -> None:
    """Softmax batch (cross-entropy, mean over two samples): a gradient written as the sum of the two samples' is
    named as the batch summed, not as "a factor 2 from the ½ of a squared error" (a cross-entropy has no ½)."""
    softmax = SEED004.with_name("softmax_batch.toml")
    g = numeric_value(softmax.name, "dE/db3")
    r = check(softmax, ("sum", "dE/db3", rf"$$\frac{{\partial J}}{{\partial b_3}} = {mp.nstr(2 * g, 6)}$$"),
              ("mean", "dE/db3", rf"$$\frac{{\partial J}}{{\partial b_3}} = {mp.nstr(g, 6)}$$"))
    assert (r["sum"].verdict, r["mean"].verdict) == ("incorrect", "correct")
    assert r["sum"].diagnosis[0].kind == "factor_two" and "mean" in r["sum"].diagnosis[0].message
