"""The checker on the textbooks' notations met in the tune11–tune13 corpus parts: Fausett's y_in_k / z_in_j (written
y\\_in) with w_{jk}(new), Rumelhart–Hinton–Williams' x_j / y_j, 3Blue1Brown's a^{(L-1)}, w^{(L)}, b^{(L)}, Rojas's
o^{(0)}_i, Kröse & van der Smagt's pattern superscript s^p_k, Marsland's δ_o(κ) and \\sum_\\kappa, a constant a
sheet defines (β = 1), "error" in Portuguese with ^{novo}, Jurafsky & Martin's U. Each right answer has a wrong
twin that must be rejected. The numbers are Mazur's published values for seed 004 (mattmazur.com, "A Step by Step
Backpropagation Example": out_h1 = 0.593269992, out_h2 = 0.596884378, out_o1 = 0.75136507, out_o2 = 0.772928465,
E_total = 0.298371109, ∂E/∂w5 = 0.082167041, w5+ = 0.35891648, ∂E/∂out_h1 = 0.036350306, w1+ = 0.149780716) or
worked out here with mpmath; the symbolic seeds are judged against their own derivatives."""

from __future__ import annotations

import mpmath as mp
from test_check import EX, SEED003, SEED004, check, verdicts

SEED000 = EX / "seed000_in_out.toml"
SEED001 = EX / "seed001_abstract_phi.toml"
SOFTMAX = EX / "softmax_batch.toml"


def _sigmoid(x):
    return 1 / (1 + mp.e ** -x)


def test_fausetts_net_inputs_his_weight_order_and_new_in_brackets() -> None:
    r"""y\_in_k is the net input of output unit k, z\_in_j of hidden unit j; on such a sheet w_{jk} goes from hidden
    j into output k (Fausett's order, as 西瓜书's), and w_{jk}(\text{new}) is the updated weight."""
    net_o1 = mp.mpf("0.593269992") * mp.mpf("0.40") + mp.mpf("0.596884378") * mp.mpf("0.45") + mp.mpf("0.60")
    assert abs(net_o1 - mp.mpf("1.105905967")) < 1e-8
    net_h2 = mp.mpf("0.05") * mp.mpf("0.25") + mp.mpf("0.10") * mp.mpf("0.30") + mp.mpf("0.35")
    assert verdicts(SEED004,
                    ("y-in", "net_o1", r"y\_in_1 = z_1 w_{11} + z_2 w_{21} + 0.6 = 1.105906"),
                    ("y-in-row", "net_o1", r"y\_in_1 = z_1 w_{11} + z_2 w_{12} + 0.6 = 1.135756"),
                    ("z-in", "net_h2", rf"z\_in_2 = 0.05 \cdot 0.25 + 0.10 \cdot 0.30 + 0.35 = {mp.nstr(net_h2, 6)}"),
                    ("z-in-other", "net_h2", r"z\_in_1 = 0.3775"),
                    ("new", "w5+", r"w_{11}(\text{new}) = w_{11}(\text{old}) - 0.5 \times 0.082167041 = 0.35891648"),
                    ("new-plus", "w5+", r"w_{11}(\text{new}) = 0.40 + 0.5 \times 0.082167041 = 0.44108352"),
                    ("lone", "w5+", r"w\_5 = 0.35891648")) == {
        "y-in": "correct", "y-in-row": "incorrect", "z-in": "correct", "z-in-other": "incorrect", "new": "correct",
        "new-plus": "incorrect", "lone": "unparseable"}


def test_a_name_an_earlier_answer_defined_keeps_that_meaning_until_it_is_redefined() -> None:
    r"""Fausett's δ_2 is output 2's error in one answer and hidden unit 2's in the next: the next answer's lines
    before its new definition still mean output 2's (δ_2 = (t_2 − y_2) f'(y_in_2) = 0.038098237, Mazur's −δ_o2)."""
    delta_o1, delta_o2 = mp.mpf("-0.138498562"), mp.mpf("0.038098237")
    delta_in_2 = delta_o1 * mp.mpf("0.45") + delta_o2 * mp.mpf("0.55")
    delta_h2 = delta_in_2 * mp.mpf("0.596884378") * (1 - mp.mpf("0.596884378"))
    first = (r"\delta_1 = (t_1 - y_1) f'(y\_in_1) = -0.138499 \\ \delta_2 = (t_2 - y_2) f'(y\_in_2) = 0.038098 \\"
             r" y_1 = 0.751365")
    later = (rf"\delta\_in_2 = \delta_1 w_{{21}} + \delta_2 w_{{22}} = {mp.nstr(delta_in_2, 6)} \\"
             rf" \delta_2 = \delta\_in_2 \, f'(z\_in_2) = {mp.nstr(delta_h2, 6)} \\"
             rf" \frac{{\partial E}}{{\partial z\_in_2}} = -\delta_2 = {mp.nstr(-delta_h2, 6)}")
    wrong = (rf"\delta\_in_2 = \delta_1 w_{{21}} + \delta_2 w_{{22}} = {mp.nstr(delta_in_2, 6)} \\"
             rf" \delta_2 = \delta\_in_2 \, f'(z\_in_2) = {mp.nstr(delta_h2, 6)} \\"
             rf" \frac{{\partial E}}{{\partial z\_in_2}} = \delta_2 = {mp.nstr(delta_h2, 6)}")
    assert verdicts(SEED004, ("o1", "o1", first), ("h2", "delta_h2", later)) == {"o1": "correct", "h2": "correct"}
    assert verdicts(SEED004, ("o1", "o1", first), ("h2", "delta_h2", wrong))["h2"] == "incorrect"


def test_rumelhart_hinton_williams_total_input_x_and_output_y() -> None:
    """x_j is the total input of unit j (a neuron's name as subscript), y_j its output; y_{i_2} of an input unit is
    the input."""
    assert verdicts(SEED003,
                    ("xO", "dE/dnet_O", r"\frac{\partial E}{\partial x_O} = (y_O - target)\, y_O (1 - y_O)"),
                    ("xO-sign", "dE/dnet_O", r"\frac{\partial E}{\partial x_O} = (target - y_O)\, y_O (1 - y_O)"),
                    ("w4", "dE/dw4", r"\frac{\partial E}{\partial w_4} = \frac{\partial E}{\partial x_{h_2}}\, y_{i_2}"
                                     r" = (y_O - target)\, y_O (1 - y_O)\, w_6\, y_{h_2}(1 - y_{h_2})\, y_{i_2}"),
                    ("w4-other", "dE/dw4", r"\frac{\partial E}{\partial w_4} = \frac{\partial E}{\partial x_{h_1}}"
                                           r"\, y_{i_2} = (y_O - target)\, y_O (1 - y_O)\, w_5\, y_{h_1}(1 - y_{h_1})"
                                           r"\, y_{i_2}")) == {
        "xO": "correct", "xO-sign": "incorrect", "w4": "correct", "w4-other": "incorrect"}


def test_3blue1browns_last_layer_superscripts() -> None:
    """a^{(L)}, z^{(L)}, w^{(L)}_{jk}, b^{(L)} are the output layer's, a^{(L-1)} the layer before it (Mazur's
    network: ∂C/∂a^{(1)}_2 = w6 δ_o1 + w8 δ_o2, ∂C/∂b2 = δ_o1 + δ_o2)."""
    d1, d2 = mp.mpf("0.74136507") * mp.mpf("0.186815602"), mp.mpf("-0.217071535") * mp.mpf("0.175510053")
    assert abs(d1 - mp.mpf("0.138498562")) < 1e-8
    dh2 = mp.mpf("0.45") * d1 + mp.mpf("0.55") * d2
    dh2_row = mp.mpf("0.50") * d1 + mp.mpf("0.55") * d2
    da = (r"\frac{\partial C_0}{\partial a^{(L-1)}_2} = w^{(L)}_{%s}\, \sigma'(z^{(L)}_1)(a^{(L)}_1 - y_1) + "
          r"w^{(L)}_{22}\, \sigma'(z^{(L)}_2)(a^{(L)}_2 - y_2) = %s")
    db = r"\frac{\partial C_0}{\partial b^{(L)}} = \sigma'(z^{(L)}_1)(a^{(L)}_1 - y_1)%s = %s"
    assert verdicts(SEED004,
                    ("C0", "E", r"C_0 = \frac{1}{2}(a^{(L)}_1 - y_1)^2 + \frac{1}{2}(a^{(L)}_2 - y_2)^2 = 0.298371"),
                    ("da", "dE/dh2", da % ("12", mp.nstr(dh2, 6))),
                    ("da-row", "dE/dh2", da % ("21", mp.nstr(dh2_row, 6))),
                    ("db", "dE/db2", db % (r" + \sigma'(z^{(L)}_2)(a^{(L)}_2 - y_2)", mp.nstr(d1 + d2, 6))),
                    ("db-one", "dE/db2", db % ("", mp.nstr(d1, 6)))) == {
        "C0": "correct", "da": "correct", "da-row": "incorrect", "db": "correct", "db-one": "incorrect"}


def test_rojas_inputs_as_the_outputs_of_layer_zero() -> None:
    """o^{(0)}_i is input i (not the i-th output): net^{(1)}_3 = Σ_i w^{(1)}_{i3} o^{(0)}_i."""
    assert verdicts(SEED001,
                    ("net3", "net_h3", r"net^{(1)}_3 = \sum_{i=1}^{3} w^{(1)}_{i3}\, o^{(0)}_i"),
                    ("net3-swapped", "net_h3", r"net^{(1)}_3 = \sum_{i=1}^{3} w^{(1)}_{3i}\, o^{(0)}_i"),
                    ("grad", "dE/dW1_22", r"\frac{\partial E}{\partial w^{(1)}_{22}} = o^{(0)}_2\, "
                                          r"\Phi'(net^{(1)}_2)\, w^{(2)}_2\, (y - d)"),
                    ("grad-input", "dE/dW1_22", r"\frac{\partial E}{\partial w^{(1)}_{22}} = o^{(0)}_1\, "
                                                r"\Phi'(net^{(1)}_2)\, w^{(2)}_2\, (y - d)")) == {
        "net3": "correct", "net3-swapped": "incorrect", "grad": "correct", "grad-input": "incorrect"}


def test_kroses_pattern_superscript_and_net_input_s() -> None:
    """s^p_k, E^p: pattern p's (with one pattern, the network's own); s_k with one output is hidden unit k's net
    input; the index letter o (y_o, w_{ho}) is the output unit, the only one."""
    assert verdicts(SEED001,
                    ("s2", "delta_h2", r"\frac{\partial E^p}{\partial s^p_2} = -(d - y)\, W^{(2)}_2\, \Phi'(s_2)"),
                    ("s2-sign", "delta_h2", r"\frac{\partial E^p}{\partial s^p_2} = (d - y)\, W^{(2)}_2\, "
                                            r"\Phi'(s_2)"),
                    ("s3", "net_h3", r"s^p_3 = W^{(1)}_{13} x_1 + W^{(1)}_{23} x_2 + W^{(1)}_{33} x_3"),
                    ("s3-row", "net_h3", r"s^p_3 = W^{(1)}_{31} x_1 + W^{(1)}_{32} x_2 + W^{(1)}_{33} x_3"),
                    ("w2o", "W2_2+", r"w_{2o} \leftarrow w_{2o} + \gamma\, (d - y_o)\, \Phi(s_2)"),
                    ("w2o-h1", "W2_2+", r"w_{2o} \leftarrow w_{2o} + \gamma\, (d - y_o)\, \Phi(s_1)")) == {
        "s2": "correct", "s2-sign": "incorrect", "s3": "correct", "s3-row": "incorrect", "w2o": "correct",
        "w2o-h1": "incorrect"}


def test_marslands_unit_in_brackets_a_greek_sum_index_and_a_whole_number_constant() -> None:
    r"""δ_o(1) is δ_{o1} (not δ_o times 1), \sum_{\kappa} runs over the outputs, and β = 1 is the number 1 (not the
    quantity that happens to be 1)."""
    d_o1 = (mp.mpf("0.75136507") - mp.mpf("0.01")) * mp.mpf("0.75136507") * (1 - mp.mpf("0.75136507"))
    d_o2 = (mp.mpf("0.772928465") - mp.mpf("0.99")) * mp.mpf("0.772928465") * (1 - mp.mpf("0.772928465"))
    d_h1 = mp.mpf("0.593269992") * (1 - mp.mpf("0.593269992")) * (mp.mpf("0.40") * d_o1 + mp.mpf("0.50") * d_o2)
    d_h1_w6 = mp.mpf("0.593269992") * (1 - mp.mpf("0.593269992")) * (mp.mpf("0.40") * d_o1 + mp.mpf("0.45") * d_o2)
    assert abs(d_h1 - mp.mpf("0.036350306") * mp.mpf("0.241300709")) < 1e-8
    hidden = r"\delta_h(1) = out_{h1}(1 - out_{h1})(w_5\, \delta_o(1) + w_%s\, \delta_o(2)) = %s"
    error = r"E = \frac{1}{2} \sum_{\kappa} (target_{o\kappa} - out_{o\kappa})^2 = %s"
    e_total = ((mp.mpf("0.01") - mp.mpf("0.75136507")) ** 2 + (mp.mpf("0.99") - mp.mpf("0.772928465")) ** 2) / 2
    g = r"g(h) = \frac{1}{1 + \exp(-\beta h)}, \quad \beta = %s \\ out_{h1} = g(net_{h1}) = 0.593269992"
    assert abs(_sigmoid(mp.mpf("0.3775")) - mp.mpf("0.593269992")) < 1e-9
    assert verdicts(SEED004,
                    ("o1", "delta_o1", rf"\delta_o(1) = (out_{{o1}} - target_{{o1}})\, out_{{o1}}(1 - out_{{o1}}) = "
                                       rf"{mp.nstr(d_o1, 9)}"),
                    ("o2-for-o1", "delta_o2", rf"\delta_o(2) = (out_{{o1}} - target_{{o1}})\, out_{{o1}}"
                                              rf"(1 - out_{{o1}}) = {mp.nstr(d_o1, 9)}"),
                    ("h1", "delta_h1", hidden % ("7", mp.nstr(d_h1, 7))),
                    ("h1-w6", "delta_h1", hidden % ("6", mp.nstr(d_h1_w6, 7))),
                    ("E", "E", error % mp.nstr(e_total, 9)),
                    ("E-half", "E", error % mp.nstr(e_total * 2, 9)),
                    ("beta", "h1", g % "1"),
                    ("beta-2", "h1", g % "2")) == {
        "o1": "correct", "o2-for-o1": "incorrect", "h1": "correct", "h1-w6": "incorrect", "E": "correct",
        "E-half": "incorrect", "beta": "correct", "beta-2": "incorrect"}


def test_error_in_portuguese_and_new_in_a_superscript_word() -> None:
    """Erro is the error (not E·r·r·o), w_5^{novo} the updated w5."""
    e_total = ((mp.mpf("0.01") - mp.mpf("0.75136507")) ** 2 + (mp.mpf("0.99") - mp.mpf("0.772928465")) ** 2) / 2
    e_one = (mp.mpf("0.01") - mp.mpf("0.75136507")) ** 2 / 2
    erro = r"Erro = \frac{1}{2}(target_{o1} - out_{o1})^2 %s = %s"
    novo = r"w_5^{novo} = w_5 %s \eta \frac{\partial Erro}{\partial w_5} = %s"
    assert verdicts(SEED004,
                    ("E", "E", erro % (r"+ \frac{1}{2}(target_{o2} - out_{o2})^2", mp.nstr(e_total, 9))),
                    ("E-one", "E", erro % ("", mp.nstr(e_one, 9))),
                    ("w5", "w5+", novo % ("-", "0.35891648")),
                    ("w5-plus", "w5+", novo % ("+", "0.44108352"))) == {
        "E": "correct", "E-one": "incorrect", "w5": "correct", "w5-plus": "incorrect"}


def test_jurafsky_and_martins_output_weights_u() -> None:
    """U_{kj} is the output layer's weight from hidden unit j into output k (z = Uh)."""
    assert verdicts(SOFTMAX,
                    ("h2", "dE/dh2", r"\frac{\partial L_{CE}}{\partial h^{(1)}_2} = \sum_{k=1}^{3} "
                                     r"(\hat{y}^{(1)}_k - y^{(1)}_k)\, U_{k2}"),
                    ("h2-row", "dE/dh2", r"\frac{\partial L_{CE}}{\partial h^{(1)}_2} = \sum_{k=1}^{3} "
                                         r"(\hat{y}^{(1)}_k - y^{(1)}_k)\, U_{k1}")) == {
        "h2": "correct", "h2-row": "incorrect"}


def _softmax_outputs(x1, x2) -> list:
    """softmax_batch.toml's forward pass, written out here: tanh hidden layer (one shared bias), softmax outputs."""
    h = [mp.tanh(mp.mpf("0.3") * x1 - mp.mpf("0.1") * x2 + mp.mpf("0.1")),
         mp.tanh(mp.mpf("0.2") * x1 + mp.mpf("0.4") * x2 + mp.mpf("0.1"))]
    U = [[mp.mpf("0.5"), mp.mpf("-0.3")], [mp.mpf("0.1"), mp.mpf("0.2")], [mp.mpf("-0.4"), mp.mpf("0.6")]]
    c = [mp.mpf("0.0"), mp.mpf("0.1"), mp.mpf("-0.1")]
    z = [U[k][0] * h[0] + U[k][1] * h[1] + c[k] for k in range(3)]
    total = sum(mp.e ** zk for zk in z)
    return [mp.e ** zk / total for zk in z]


def test_a_sample_superscript_on_a_bracket_marks_each_name_in_it() -> None:
    r"""(\hat{y}_3 − t_3)^{(1)} is \hat{y}^{(1)}_3 − t^{(1)}_3 (a blog's per-sample sum): ∂J/∂b_4 of the mean
    cross-entropy is the mean of ŷ_3 − t_3 over the two samples."""
    p1, p2 = _softmax_outputs(mp.mpf("0.5"), mp.mpf("-0.2")), _softmax_outputs(mp.mpf("-0.4"), mp.mpf("0.3"))
    mean = ((p1[2] - 0) + (p2[2] - 1)) / 2
    one = p1[2] - 0
    bias = (r"\frac{\partial J}{\partial b_4} = \frac{1}{2}\left[(\hat{y}_3 - t_3)^{(1)} + "
            r"(\hat{y}_3 - t_3)^{(%s)}\right]")
    assert verdicts(SOFTMAX,
                    ("b4", "dE/db4", bias % "2" + rf" = {mp.nstr(mean, 6)}"),
                    ("b4-one", "dE/db4", bias % "1" + rf" = {mp.nstr(one, 6)}")) == {
        "b4": "correct", "b4-one": "incorrect"}


def test_a_number_that_is_another_weights_gradient_is_named_a_numbering_slip() -> None:
    """∂E/∂w2 written with the numbers of hidden unit 2 (∂E/∂w3's, Mazur: w3+ = 0.24975114, so ∂E/∂w3 =
    0.00049772): the first diagnosis says which weight's gradient it is."""
    d_o1 = (mp.mpf("0.75136507") - mp.mpf("0.01")) * mp.mpf("0.75136507") * (1 - mp.mpf("0.75136507"))
    d_o2 = (mp.mpf("0.772928465") - mp.mpf("0.99")) * mp.mpf("0.772928465") * (1 - mp.mpf("0.772928465"))
    slope_h1, slope_h2 = (mp.mpf(o) * (1 - mp.mpf(o)) for o in ("0.593269992", "0.596884378"))
    back_h1, back_h2 = mp.mpf("0.40") * d_o1 + mp.mpf("0.50") * d_o2, mp.mpf("0.45") * d_o1 + mp.mpf("0.55") * d_o2
    dw2, dw3 = back_h1 * slope_h1 * mp.mpf("0.10"), back_h2 * slope_h2 * mp.mpf("0.05")
    assert abs(dw3 - (mp.mpf("0.25") - mp.mpf("0.24975114")) / mp.mpf("0.5")) < 1e-8
    line = r"\frac{\partial E}{\partial w_2} = %s"
    r = check(SEED004, ("w2", "dE/dw2", line % mp.nstr(dw2, 6)), ("w3-for-w2", "dE/dw2", line % mp.nstr(dw3, 6)))
    assert r["w2"].verdict == "correct" and r["w3-for-w2"].verdict == "incorrect"
    assert r["w3-for-w2"].diagnosis[0].kind == "wrong_weight" and "w_{3}" in r["w3-for-w2"].diagnosis[0].message
