"""Readings of session 33, from right answers of tune18 (measure14 until measure15 was written) that were judged
incorrect or unreadable: a number glued to a control word (\\cdot0.5622), Gurney's superscript units and general
rule, a label heading the arithmetic after it, a remark in a sentence, d2l-style vectors of a batch, Negnevitsky's
units numbered through the network, a text-mode \\\\ between $…$ pieces, E^{(1)} after a step, a whole number
defining a name on a symbolic network, Beamer slides. Each right form has a wrong twin that must stay rejected.
Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read with tomllib, mpmath forward
pass and central differences); formulas of the symbolic seeds are checked against sympy.diff in the test."""

from __future__ import annotations

import mpmath as mp
from test_check import SEED000, SEED002, SEED003, SEED004, check, verdicts

from corpus.truth_values import formula_is, numeric_value, value_text
from symbackprop.check.parse import parse
from symbackprop.check.written import decimals

SOFTMAX = SEED004.with_name("softmax_batch.toml")
SEED001 = SEED004.with_name("seed001_abstract_phi.toml")


def _is(spec, formula: str, quantity: str) -> bool:
    return formula_is(spec.name, formula, quantity)


def _n(spec, quantity: str, digits: int, step: int = 0) -> str:
    return value_text(spec.name, quantity, digits, step)


def test_a_number_glued_to_a_control_word_is_a_number_of_the_line() -> None:
    r"""0.1\cdot0.5622 − 0.3\cdot0.4950: the written numbers are the lexer's (TeX ends \cdot at the digit), so the
    rounding of 0.5622 and 0.4950 is what the line's tolerance allows; a word before a number still hides it."""
    assert [d.text for d in decimals(r"0.1\cdot0.5622 - 0.3\times0.4950")] == ["0.1", "0.5622", "0.3", "0.4950"]
    assert [d.text for d in decimals(r"w5.0 + x_1 0.5 + ab0.25")] == ["0.5"]
    h1, h2 = numeric_value(SEED000.name, "h1"), numeric_value(SEED000.name, "h2")
    net_o1 = mp.mpf("0.1") * h1 - mp.mpf("0.3") * h2  # seed 000: In_o1 = w5 h1 + w7 h2, w5 = 0.1, w7 = −0.3
    assert abs(net_o1 - numeric_value(SEED000.name, "net_o1")) < mp.mpf(10) ** -12
    line = rf"In_{{o_1}} = w_5\,Out_{{h_1}} + w_7\,Out_{{h_2}} = 0.1\cdot{mp.nstr(h1, 4)} - 0.3\cdot0.4950 = VALUE"
    assert verdicts(SEED000, ("right", "net_o1", line.replace("VALUE", mp.nstr(net_o1, 3))),
                    ("twin", "net_o1", line.replace("VALUE", mp.nstr(net_o1 + mp.mpf("0.01"), 3)))) == {
        "right": "correct", "twin": "incorrect"}


def test_gurneys_superscript_units_and_general_rule() -> None:
    r"""Gurney (An Introduction to Neural Networks, ch. 6): a^{h1}, y^{o1}, t^{o1} name the unit in the superscript;
    δ = σ'(a)(t − y) is −∂E/∂net, and "∂E/∂w = −δ x" (w any weight) is the rule the lines after it apply."""
    o1, h1 = numeric_value(SEED000.name, "o1"), numeric_value(SEED000.name, "h1")
    delta = o1 * (1 - o1) * (mp.mpf("0.23") - o1)  # seed 000: target of o1 is 0.23
    g5 = numeric_value(SEED000.name, "dE/dw5")
    assert abs(-delta * h1 - g5) < mp.mpf(10) ** -12
    answer = (rf"$\delta^{{o1}} = \sigma'(a^{{o1}})(t^{{o1}} - y^{{o1}}) = {mp.nstr(delta, 6)}$. Since "
              rf"$\partial E/\partial w = -\delta\, x$ along the weight, "
              rf"$$\frac{{\partial E}}{{\partial w_5}} = -\delta^{{o1}} y^{{h1}} = FINAL .$$")
    assert verdicts(SEED000, ("right", "dE/dw5", answer.replace("FINAL", mp.nstr(g5, 5))),
                    ("twin", "dE/dw5", answer.replace("FINAL", mp.nstr(-g5, 5)))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_label_heads_the_arithmetic_after_it() -> None:
    """"Same thing for $h_2$: $(2)(0.12) + (3)(0.08) = 0.48$": the name heads the numbers after it (seed 002: h2 =
    i1 w3 + i2 w4), which are then judged as h2, not as the asked quantity."""
    h2, out = numeric_value(SEED002.name, "h2"), numeric_value(SEED002.name, "out")
    assert abs(h2 - mp.mpf("0.48")) < mp.mpf(10) ** -12
    answer = (r"Same thing for $h_2$: $(2)(0.12) + (3)(0.08) = 0.24 + 0.24 = H2$. Now plug both into the output:"
              "\n" r"\begin{align*} out &= h_1 w_5 + h_2 w_6 \\ &= (0.85)(0.14) + (0.48)(0.15) = OUT \end{align*}")
    assert verdicts(SEED002, ("right", "out", answer.replace("H2", "0.48").replace("OUT", mp.nstr(out, 3))),
                    ("twin", "out", answer.replace("H2", "0.50").replace("OUT", mp.nstr(out, 3)))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_remark_in_a_sentence_before_its_equation() -> None:
    r""""the inside derivative of $(y - out)$ is $-1$, so $∂Error/∂out = out - y = -0.809$": what the sentence says
    on the way, with no relation of its own, is no claim about the asked quantity; a lone number at the end still
    is one."""
    g5 = numeric_value(SEED002.name, "dE/dw5")
    assert abs(g5 - mp.mpf("-0.809") * mp.mpf("0.85")) < mp.mpf(10) ** -12
    answer = (r"The inside derivative of $(y - out)$ is $-1$, so $\partial Error/\partial out = out - y = -0.809$. "
              r"And $out$ changes with $w_5$ at a rate of $h_1$:" "\n"
              r"$$\frac{\partial Error}{\partial w_5} = (-0.809)(0.85) = FINAL$$")
    assert verdicts(SEED002, ("right", "dE/dw5", answer.replace("FINAL", mp.nstr(g5, 5))),
                    ("twin", "dE/dw5", answer.replace("FINAL", mp.nstr(-g5, 5))),
                    ("last", "dE/dw5", r"so $\partial Error/\partial out = -0.809$, and the answer is $-0.70$")) == {
        "right": "correct", "twin": "incorrect", "last": "incorrect"}


def test_vectors_of_a_batch_named_by_layer() -> None:
    r"""\mathbf{h}^{(1)}, \mathbf{z}_h^{(1)}, \boldsymbol{\delta}_y^{(1)}, \mathbf{b}: a layer's column for sample 1
    (softmax_batch: layers h and y, y's biases b2 … b4), entry by entry; a $$ … $$ holding bmatrix environments
    over two lines stays one display."""
    z1, z2 = numeric_value(SOFTMAX.name, "net_h1"), numeric_value(SOFTMAX.name, "net_h2")
    h1, h2 = numeric_value(SOFTMAX.name, "h1"), numeric_value(SOFTMAX.name, "h2")
    answer = (r"$$\mathbf{z}_h^{(1)} = \begin{bmatrix} 0.3 & -0.1 \\ 0.2 & 0.4 \end{bmatrix}\begin{bmatrix} 0.5 \\"
              r" -0.2 \end{bmatrix} + \begin{bmatrix} 0.1 \\ 0.1 \end{bmatrix} = \begin{bmatrix} Z1 \\ Z2"
              r" \end{bmatrix},\qquad" "\n"
              r"\mathbf{h}^{(1)} = \tanh\mathbf{z}_h^{(1)} = \begin{bmatrix} H1 \\ H2 \end{bmatrix}$$")

    def filled(a: mp.mpf, b: mp.mpf) -> str:
        return answer.replace("Z1", mp.nstr(z1, 2)).replace("Z2", mp.nstr(z2, 2)).replace(
            "H1", mp.nstr(a, 6)).replace("H2", mp.nstr(b, 6))

    assert len(parse(filled(h1, h2), partial=True).chains) == 4  # two entries of each of the two chains
    shown = [line.latex for line in check(SOFTMAX, ("h", "h1", filled(h1, h2)))["h"].lines]
    assert r"\mathbf{z}_h^{(1)}" in shown and r"\mathbf{h}^{(1)}" in shown  # (a member as written, its \mathbf too)
    assert verdicts(SOFTMAX, ("right", "h1", filled(h1, h2)), ("swapped", "h1", filled(h2, h1)),
                    ("second", "h2", filled(h1, h1))) == {
        "right": "correct", "swapped": "incorrect", "second": "incorrect"}
    db = [numeric_value(SOFTMAX.name, f"dE/db{k}") for k in (2, 3, 4)]
    bias = (r"$$\frac{\partial E}{\partial \mathbf{b}} = \begin{bmatrix} B2 \\ B3 \\ B4 \end{bmatrix}$$")
    column = bias.replace("B2", mp.nstr(db[0], 6)).replace("B3", mp.nstr(db[1], 6)).replace("B4", mp.nstr(db[2], 6))
    assert verdicts(SOFTMAX, ("right", "dE/db3", column),
                    ("twin", "dE/db3", column.replace(mp.nstr(db[1], 6), mp.nstr(-db[1], 6)))) == {
        "right": "correct", "twin": "incorrect"}


def test_negnevitskys_units_numbered_through_the_network() -> None:
    r"""Negnevitsky (Artificial Intelligence, §6.4) numbers the units 1, 2 (inputs), 3, 4 (hidden), 5, 6 (outputs):
    y_5 the output of unit 5, y_{d,5} its desired output, e_5 = y_{d,5} − y_5, w_{35} the weight from 3 into 5
    (seed 004: w5); a text-mode \\ ends his lines between the $…$ pieces."""
    e = numeric_value(SEED004.name, "E")
    o1, o2 = numeric_value(SEED004.name, "o1"), numeric_value(SEED004.name, "o2")
    e5, e6 = mp.mpf("0.01") - o1, mp.mpf("0.99") - o2
    assert abs((e5 ** 2 + e6 ** 2) / 2 - e) < mp.mpf(10) ** -12
    error = (rf"$e_5 = y_{{d,5}} - y_5 = 0.01 - {mp.nstr(o1, 4)} = {mp.nstr(e5, 4)}$\\" "\n"
             rf"$e_6 = y_{{d,6}} - y_6 = 0.99 - {mp.nstr(o2, 4)} = {mp.nstr(e6, 4)}$\\" "\n"
             rf"$E = \tfrac12\left(e_5^2 + e_6^2\right) = FINAL$")
    w5p, h1 = numeric_value(SEED004.name, "w5+"), numeric_value(SEED004.name, "h1")
    d5 = o1 * (1 - o1) * e5  # his δ_5 = y_5 (1 − y_5) e_5 = −∂E/∂net_o1
    step = mp.mpf("0.5") * h1 * d5
    update = (rf"$\delta_5 = y_5(1 - y_5)\,e_5 = {mp.nstr(d5, 4)}$\\" "\n"
              rf"$\Delta w_{{35}} = \alpha \times y_3 \times \delta_5 = 0.5\times{mp.nstr(h1, 4)}"
              rf"\times({mp.nstr(d5, 4)}) = {mp.nstr(step, 3)}$\\" "\n"
              rf"$w_{{35}} = w_{{35}} + \Delta w_{{35}} = 0.40 SIGN {mp.nstr(abs(step), 3)} = FINAL$")
    assert abs(mp.mpf("0.40") + mp.mpf("0.5") * h1 * d5 - w5p) < mp.mpf(10) ** -12
    assert verdicts(SEED004, ("E", "E", error.replace("FINAL", mp.nstr(e, 4))),
                    ("E-twin", "E", error.replace("FINAL", mp.nstr(e + mp.mpf("0.01"), 4))),
                    ("w5", "w5+", update.replace("SIGN", "-").replace("FINAL", mp.nstr(w5p, 4))),
                    ("w5-twin", "w5+", update.replace("SIGN", "+").replace(
                        "FINAL", mp.nstr(mp.mpf("0.40") - mp.mpf("0.5") * h1 * d5, 4)))) == {
        "E": "correct", "E-twin": "incorrect", "w5": "correct", "w5-twin": "incorrect"}


def test_the_error_after_a_step_and_a_remark_after_a_label() -> None:
    r"""E^{(1)} = ½(−ln y_1^{(1)} − ln y_3^{(2)}) after one step: the superscript of E counts the steps (its line
    covers both samples); "E decreased from $1.082796$ to $0.93379$" after it is a remark."""
    before, after = _n(SOFTMAX, "E", 7), numeric_value(SOFTMAX.name, "E", 1)
    answer = (r"$$E^{(1)} = \frac12\left(-\ln y_1^{(1)} - \ln y_3^{(2)}\right) = FINAL$$" "\n"
              rf"$E$ decreased from ${before}$ to $FINAL$")
    assert verdicts(SOFTMAX, ("right", "E", answer.replace("FINAL", mp.nstr(after, 5)), 1),
                    ("twin", "E", answer.replace("FINAL", mp.nstr(after + mp.mpf("0.01"), 5)), 1)) == {
        "right": "correct", "twin": "incorrect"}


def test_a_whole_number_defines_a_name_on_a_symbolic_network() -> None:
    r"""Seed 001's output is linear: "$\Phi_{out}' = 1$, so δ_y = ∂E/∂net_y = y − d" (sympy.diff of the composed
    error confirms y − d); the 1 is the name's definition, not a number put where a formula belongs."""
    assert _is(SEED001, "y - d", "delta_y")
    answer = (r"For the linear output neuron $\Phi_{out}' = 1$, so" "\n"
              r"$$\delta_y = \frac{\partial E}{\partial net_y} = FORMULA .$$")
    assert verdicts(SEED001, ("right", "delta_y", answer.replace("FORMULA", "y - d")),
                    ("twin", "delta_y", answer.replace("FORMULA", "d - y"))) == {
        "right": "correct", "twin": "incorrect"}


def test_beamer_slides() -> None:
    r"""A lecture's slides pasted into a hand-in: frames, itemize and \item, \pause, \only<2>{…}, \alert{…} (also
    around one operator, \alert{+}) are the slide's layout, not its mathematics (seed 003, symbolic; sympy.diff of
    the composed error confirms the formulas)."""
    w5 = "-(target - out_O)*out_O*(1 - out_O)*out_h1"
    assert _is(SEED003, w5, "dE/dw5")
    slide = (r"\begin{frame}{Gradient w.r.t.\ $w_5$}" "\n" r"\begin{itemize}" "\n"
             r"\item<2-> $\frac{\partial E}{\partial w_5} = \frac{\partial E}{\partial out_O}"
             r"\frac{\partial out_O}{\partial net_O}\frac{\partial net_O}{\partial w_5}$ \pause" "\n"
             r"\item $\frac{\partial E}{\partial w_5} = \alert<3>{-(target - out_O)}\,\only<4>{out_O(1 - out_O)}"
             r"\,out_{h_1}$" "\n" r"\end{itemize}" "\n" r"\end{frame}")
    update = r"\begin{frame}{Update}" "\n" r"$w_5^{+} = w_5 \alert{SIGN} \eta\,\delta_O\,out_{h_1}$" "\n" r"\end{frame}"
    assert verdicts(SEED003, ("right", "dE/dw5", slide),
                    ("twin", "dE/dw5", slide.replace(r"\only<4>{out_O(1 - out_O)}", r"\only<4>{out_O}")),
                    ("update", "w5+", r"$\delta_O := (out_O - target)\,out_O(1 - out_O)$" "\n\n"
                     + update.replace("SIGN", "-")),
                    ("update-twin", "w5+", r"$\delta_O := (out_O - target)\,out_O(1 - out_O)$" "\n\n"
                     + update.replace("SIGN", "+"))) == {
        "right": "correct", "twin": "incorrect", "update": "correct", "update-twin": "incorrect"}


def test_an_empty_evaluation_bar_and_a_new_word_after_the_indices() -> None:
    r"""\left.\frac{∂E}{∂W}\right| with no point under the bar (a TeX.SE answer): the derivative where the network
    is; W^{(1)}_{11,\,нов} (a Ukrainian sheet): the new weight (seed 001, symbolic: sympy.diff confirms both)."""
    w23 = "W2_3 + alpha*(d - y)*out_h3"
    assert _is(SEED001, w23, "W2_3+")
    w11 = "W1_11 - alpha*(y - d)*W2_1*dPhi(net_h1)*x1"
    assert _is(SEED001, w11, "W1_11+")
    bar = (r"$$W^{(2)}_3 \leftarrow W^{(2)}_3 - \alpha\left.\frac{\partial E}{\partial W^{(2)}_3}\right| = W^{(2)}_3 "
           r"SIGN \alpha\,(d - y)\,\Phi(\operatorname{net}_{h_3})$$")
    new = r"$$W^{(1)}_{11,\,нов} = W^{(1)}_{11} SIGN \alpha\,(y - d)\,W^{(2)}_1\,\Phi'(net_{h_1})\,x_1$$"
    assert verdicts(SEED001, ("bar", "W2_3+", bar.replace("SIGN", "+")),
                    ("bar-twin", "W2_3+", bar.replace("SIGN", "-")), ("new", "W1_11+", new.replace("SIGN", "-")),
                    ("new-twin", "W1_11+", new.replace("SIGN", "+"))) == {
        "bar": "correct", "bar-twin": "incorrect", "new": "correct", "new-twin": "incorrect"}
    absolute = check(SEED001, ("abs", "W2_3+",
                               r"W^{(2)}_3 - \alpha \left|\frac{\partial E}{\partial W^{(2)}_3}\right|"))
    # (an absolute value is read, session 54: |∂E/∂W| drops the gradient's sign, which is not the update's rule)
    assert absolute["abs"].verdict == "incorrect"


def test_rashids_layer_names() -> None:
    r"""Rashid (Make Your Own Neural Network): X_{hidden} = W_{input\_hidden} · I, O_{hidden} = sigmoid(X_{hidden}),
    X_{output}, O_{output} — the layers' columns, entry by entry (seed 004)."""
    h1, h2 = numeric_value(SEED004.name, "h1"), numeric_value(SEED004.name, "h2")
    n1, n2 = numeric_value(SEED004.name, "net_h1"), numeric_value(SEED004.name, "net_h2")
    answer = (r"$X_{hidden} = W_{input\_hidden}\cdot I + b_1 = \begin{pmatrix} N1 \\ N2 \end{pmatrix}$\\" "\n"
              r"$O_{hidden} = \mathrm{sigmoid}(X_{hidden}) = \begin{pmatrix} H1 \\ H2 \end{pmatrix}$")

    def filled(a: mp.mpf, b: mp.mpf) -> str:
        return answer.replace("N1", mp.nstr(n1, 4)).replace("N2", mp.nstr(n2, 4)).replace(
            "H1", mp.nstr(a, 6)).replace("H2", mp.nstr(b, 6))

    assert verdicts(SEED004, ("right", "h2", filled(h1, h2)), ("twin", "h2", filled(h2, h1))) == {
        "right": "correct", "twin": "incorrect"}


def test_the_update_rule_restated_is_no_answer_on_a_symbolic_network() -> None:
    r"""W^{(1)}_{22,new} = W^{(1)}_{22} − α ∂E/∂W^{(1)}_{22} = … (the student stopped): the rule restates the
    question; after ∂E/∂W^{(1)}_{22} was worked out on the sheet, the same line applies it (sympy.diff confirms the
    gradient written)."""
    grad = "(y - d)*W2_2*dPhi(net_h2)*x2"
    assert _is(SEED001, grad, "dE/dW1_22")
    rule = r"W^{(1)}_{22,new} = W^{(1)}_{22} - \alpha\,\frac{\partial E}{\partial W^{(1)}_{22}} = \ldots"
    derived = r"\frac{\partial E}{\partial W^{(1)}_{22}} = (y - d)\,W^{(2)}_2\,\Phi'(net_{h_2})\,x_2"
    alone = check(SEED001, ("rule", "W1_22+", rule))
    assert alone["rule"].verdict == "incorrect" and alone["rule"].diagnosis[0].kind == "incomplete"
    assert verdicts(SEED001, ("grad", "dE/dW1_22", derived), ("rule", "W1_22+", rule)) == {
        "grad": "correct", "rule": "correct"}


def test_freeman_and_skapuras_layer_letters_and_time_steps() -> None:
    r"""Freeman & Skapura (Neural Networks, ch. 3): w^o_{kj} (the output layer's), net^h_{pj} (pattern p, the one
    here), w(t+1) = w(t) + η δ^o_p i_{pj} with δ^o = (y − o) f' (seed 003, symbolic: sympy.diff confirms)."""
    w6p = "w6 + eta*(target - out_O)*out_O*(1 - out_O)*out_h2"
    assert _is(SEED003, w6p, "w6+")
    update = (r"$$w^o_{12}(t+1) = w^o_{12}(t) + \eta\,\delta^o_{p}\,i_{p2} = w_6 SIGN \eta\,(target - out_O)\,"
              r"out_O(1 - out_O)\,out_{h_2}$$")
    net = r"$$net^h_{p1} = w_1 i_1 + w_2 i_2 + b_1$$"
    assert verdicts(SEED003, ("w6", "w6+", update.replace("SIGN", "+")),
                    ("w6-twin", "w6+", update.replace("SIGN", "-")), ("net", "net_h1", net),
                    ("net-twin", "net_h1", net.replace("w_2 i_2", "w_2 i_1"))) == {
        "w6": "correct", "w6-twin": "incorrect", "net": "correct", "net-twin": "incorrect"}


def test_a_step_without_the_rate_is_named_so_and_inputs_numbered_first() -> None:
    r"""A German Übungsblatt in Negnevitsky's numbering: o_1 is input unit 1's output (its value), o_3 the first
    hidden unit's; Δw_{36} = δ_6 o_3 leaves η = ½ out — "the learning rate is missing", not "a factor 2"."""
    o2, h1 = numeric_value(SEED004.name, "o2"), numeric_value(SEED004.name, "h1")
    d6 = o2 * (1 - o2) * (mp.mpf("0.99") - o2)
    w1p = numeric_value(SEED004.name, "w1+")
    g1 = numeric_value(SEED004.name, "dE/dw1")
    assert abs(mp.mpf("0.15") - mp.mpf("0.5") * g1 - w1p) < mp.mpf(10) ** -12
    results = check(SEED004, ("w36", "w7+", rf"\delta_6 = o_6 (1 - o_6)(t_6 - o_6) = {mp.nstr(d6, 10)} \\"
                                            rf"\Delta w_{{36}} = \delta_6\, o_3 = {mp.nstr(d6 * h1, 10)}"),
                    ("w13", "w1+", rf"\Delta w_{{13}} = -\eta\,\frac{{\partial E}}{{\partial w_{{13}}}} = "
                                   rf"-0.5 \cdot {mp.nstr(g1, 10)} \\ w_{{13}}^{{+}} = 0.15 + \Delta w_{{13}} = "
                                   rf"{mp.nstr(w1p, 10)}"),
                    ("net3", "net_h1", r"net_3 = w_{13}\,o_1 + w_{23}\,o_2 + b_1 = 0.15 \cdot 0.05 + 0.20 \cdot 0.10"
                                       r" + 0.35 = 0.3775"),
                    ("net3-twin", "net_h1", r"net_3 = w_{13}\,o_2 + w_{23}\,o_1 + b_1 = 0.15 \cdot 0.10 + 0.20 "
                                            r"\cdot 0.05 + 0.35 = 0.375"))
    assert results["w36"].verdict == "incorrect" and results["w36"].diagnosis[0].kind == "missing_learning_rate"
    assert {k: r.verdict for k, r in results.items() if k != "w36"} == {
        "w13": "correct", "net3": "correct", "net3-twin": "incorrect"}


def test_a_remark_before_the_display_that_ends_its_sentence() -> None:
    r""""the error signal is just $(y^{o2} - t^{o2})$:" then the display on the next line: the inline piece is a
    remark; the display is the claim, and its slip (σ′ left out: seed 000, target of o2 −0.07) is what is named."""
    o2, h1 = numeric_value(SEED000.name, "o2"), numeric_value(SEED000.name, "h1")
    slip = (o2 + mp.mpf("0.07")) * h1
    assert abs(slip * o2 * (1 - o2) - numeric_value(SEED000.name, "dE/dw6")) < mp.mpf(10) ** -12
    answer = (r"For the weight from h1 to o2 the error signal is just $(y^{o2} - t^{o2})$:" "\n"
              rf"$$\frac{{\partial E}}{{\partial w_6}} = (y^{{o2}} - t^{{o2}})\, y^{{h1}} = {mp.nstr(slip, 5)}$$")
    result = check(SEED000, ("w6", "dE/dw6", answer))["w6"]
    assert result.verdict == "incorrect" and result.diagnosis[0].kind == "missing_activation_derivative"


def test_a_heads_letters_are_never_re_read_to_make_its_line_hold() -> None:
    r"""Skansi's z (the net input) and y (the output): the σ′ written at the net input, z_{h_1}(1 − z_{h_1}), is never
    read as y_{h_1}(1 − y_{h_1}) to make ∂E/∂z_{h_1} = … hold — also after a wrong chain rule ∂E/∂y_O · ∂z_O/∂w_6
    that only holds with z read as an output (seed 003, symbolic: sympy.diff confirms the right forms)."""
    b2 = "-(target - out_O)*out_O*(1 - out_O)"
    h1 = "-(target - out_O)*out_O*(1 - out_O)*w5*out_h1*(1 - out_h1)"
    assert _is(SEED003, b2, "dE/db2")
    assert _is(SEED003, h1, "delta_h1")
    delta = r"\frac{\partial E}{\partial z_{h_1}} = -(t - y_O)\,y_O(1 - y_O)\,w_5\,LETTER_{h_1}(1 - LETTER_{h_1})"
    z_o = ("zO", "net_O", r"z_O = w_5\, y_{h_1} + w_6\, y_{h_2} + b_2, \qquad y_O = \sigma(z_O)")
    assert verdicts(SEED003, z_o,
                    ("b2", "dE/db2", r"\frac{\partial z_O}{\partial b_2} = 1 \;\Rightarrow\; \frac{\partial E}"
                                     r"{\partial b_2} = -(t - y_O)\, y_O(1 - y_O)"),
                    ("h1-net", "delta_h1", delta.replace("LETTER", "z")),
                    ("h1", "delta_h1", delta.replace("LETTER", "y"))) == {
        "zO": "correct", "b2": "correct", "h1-net": "incorrect", "h1": "correct"}
    after = verdicts(SEED003, z_o, ("w6", "dE/dw6", r"\frac{\partial E}{\partial w_6} = \frac{\partial E}{\partial y_O}"
                                                  r"\frac{\partial z_O}{\partial w_6} = -(t - y_O)\, y_{h_2}"),
                     ("h1-net", "delta_h1", delta.replace("LETTER", "z")))
    assert after["w6"] == "incorrect" and after["h1-net"] == "incorrect"
