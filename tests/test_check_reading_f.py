"""Readings of session 31, from right answers of the development parts that were misread: Prince's and Murphy's ℓ
for the loss, a sentence's full stop before the prose that follows, differentials (dE = (y − d) dy, the
math.stackexchange way) left unchecked, and W^{(1)+}_{11} (the layer's mark, then the update's). Each right form
has a wrong twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py:
the spec read with tomllib, mpmath forward pass and central differences); formulas of the symbolic seed 001 are
checked here against sympy.diff of its composed error before they are used, never against the checker."""

from __future__ import annotations

import mpmath as mp
import sympy as sp
from test_check import EX, SEED002, check

from corpus.truth_values import PHI, _compose, load_net, numeric_value, params_at

SEED001 = EX / "seed001_abstract_phi.toml"


def results(spec, *answers):
    return check(spec, *answers)


def verdicts(spec, *answers) -> dict[str, str]:
    return {k: r.verdict for k, r in results(spec, *answers).items()}


def _seed001() -> tuple[sp.Expr, dict[str, sp.Expr], dict[str, sp.Symbol]]:
    """Seed 001's error composed from its spec (Φ abstract), its forward values in the leaves, and its leaves."""
    composed = _compose(load_net(SEED001.name))
    return composed.error, dict(composed.forward), {str(s): s for s in composed.error.free_symbols}


def test_ell_is_the_loss_and_plain_l_still_the_learning_rate() -> None:
    """Prince (Understanding Deep Learning) writes ℓ for the loss; Han & Kamber's (l) is the learning rate."""
    e = numeric_value(SEED002.name, "E")
    half = r"\tfrac{1}{2}\left(out - y\right)^2"
    assert verdicts(SEED002,
                    ("prince", "E", rf"\ell = {half} = {mp.nstr(e, 8)}"),
                    ("char", "E", rf"ℓ = {half} = {mp.nstr(e, 8)}"),
                    ("twin", "E", rf"\ell = {half} = {mp.nstr(2 * e, 8)}"),  # the ½ left out of the number
                    ("rate", "E", rf"l = {half} = {mp.nstr(e, 8)}"),  # l is η: not the loss
                    ) == {"prince": "correct", "char": "correct", "twin": "incorrect", "rate": "incorrect"}


def test_a_chain_headed_by_the_learning_rate_is_judged_not_refused() -> None:
    """η = ½(out − y)² = E: the learning rate equated with the error (a slip), once a refusal with a Python
    error in the message (the η of a diagnosis replaced by the int 1)."""
    e = numeric_value(SEED002.name, "E")
    r = results(SEED002, ("a", "E", rf"\eta = \frac{{1}}{{2}}\left(out - y\right)^2 = {mp.nstr(e, 8)}"))["a"]
    assert r.verdict == "incorrect" and "object has no attribute" not in r.message


def test_a_full_stop_before_prose_ends_the_sentence() -> None:
    error, fwd, s = _seed001()
    y = sp.Symbol("y")
    assert sp.diff(error.subs(fwd["out_y"], y), y) == y - s["d"]
    prefix = r"\text{Let } E := \tfrac{1}{2}(y - d)^2. \text{ Then } \frac{\partial E}{\partial y} = "
    assert verdicts(SEED001, ("right", "dE/dy", prefix + "y - d."), ("twin", "dE/dy", prefix + "d - y.")) == {
        "right": "correct", "twin": "incorrect"}


def test_a_differential_is_left_unchecked_and_the_derivative_judged() -> None:
    """dE = (y − d) dy, then ∂E/∂W^{(2)}_3 = (y − d) Φ(s_3): the differential is a statement about the forms,
    not a value of the asked quantity; the derivative read off it is judged. Alone it is not an answer."""
    error, fwd, s = _seed001()
    assert sp.expand(sp.diff(error, s["W2_3"]) - (fwd["out_y"] - s["d"]) * fwd["out_h3"]) == 0
    assert sp.expand(sp.diff(error, s["W2_3"]) - (fwd["out_y"] - s["d"]) * fwd["out_h2"]) != 0  # the twin's
    diff = r"\mathrm{d}E = (y - d)\,\mathrm{d}y, \qquad \mathrm{d}y = \sum_j h_j\, \mathrm{d}W^{(2)}_j \\ "
    found = results(SEED001,
                    ("right", "dE/dW2_3", diff + r"\frac{\partial E}{\partial W^{(2)}_3} = (y - d)\, h_3"),
                    ("twin", "dE/dW2_3", diff + r"\frac{\partial E}{\partial W^{(2)}_3} = (y - d)\, h_2"),
                    ("frac", "dE/dy", r"\frac{\mathrm{d}E}{\mathrm{d}y} = y - d"),
                    ("slash", "dE/dy", r"\mathrm{d}E/\mathrm{d}y = y - d"),
                    ("alone", "dE/dy", r"\mathrm{d}E = (y - d)\,\mathrm{d}y"))
    assert {k: r.verdict for k, r in found.items()} == {
        "right": "correct", "twin": "incorrect", "frac": "correct", "slash": "correct", "alone": "unparseable"}
    assert "differential" in found["alone"].message
    assert any(line.verdict == "unchecked" and "differential" in line.message for line in found["right"].lines)


def test_a_layer_superscript_then_the_update_mark() -> None:
    """W^{(1)+}_{11} (math.stackexchange): layer 1's W_{11} after the update."""
    error, fwd, s = _seed001()
    alpha, net1 = sp.Symbol("alpha"), fwd["net_h1"]
    step = s["W1_11"] - alpha * sp.diff(error, s["W1_11"])
    u = sp.Dummy("u")
    phi_prime = sp.diff(PHI(u), u).subs(u, net1)
    written = s["W1_11"] - alpha * (fwd["out_y"] - s["d"]) * s["W2_1"] * phi_prime * s["x1"]
    assert sp.expand(step - written) == 0
    head = r"W^{(1)+}_{11} := W^{(1)}_{11} - \alpha\, \frac{\partial E}{\partial W^{(1)}_{11}} = W^{(1)}_{11} - "
    assert verdicts(SEED001,
                    ("right", "W1_11+", head + r"\alpha\, (y - d)\, W^{(2)}_1\, \Phi'(s_1)\, x_1"),
                    ("twin", "W1_11+", head + r"(y - d)\, W^{(2)}_1\, \Phi'(s_1)\, x_1"),  # η left out
                    ("plain", "W1_11+", r"{W^{(1)}_{11}}^{+} = W^{(1)}_{11} - \alpha\, (y - d)\, W^{(2)}_1\, "
                                        r"\Phi'(s_1)\, x_1"),
                    ) == {"right": "correct", "twin": "incorrect", "plain": "correct"}


SOFTMAX = EX / "softmax_batch.toml"


def test_a_layer_and_an_entry_separated_by_a_comma() -> None:
    """Prince's ω_{0,12} (Ω counted from 0: Ω_0 feeds hidden layer 1, row = the neuron fed) and f_{0,2} (its net
    input); Khapra's b_{2,3} (layer 2, output 3's bias) and a_{2,1} (output 1's net input)."""
    def n(spec, q: str) -> str:
        return mp.nstr(numeric_value(spec.name, q), 8)

    given = params_at(SEED002.name, 0)  # seed 002's weights: rows [w1, w2], [w3, w4] (inputs i1, i2)
    w2, w3 = mp.nstr(given["w2"], 8), mp.nstr(given["w3"], 8)
    g = n(SEED002, "dE/dw2")
    assert verdicts(SEED002,
                    ("omega", "w2+", rf"\omega_{{0,12}} \leftarrow \omega_{{0,12}} - \alpha \frac{{\partial \ell}}"
                                     rf"{{\partial \omega_{{0,12}}}} = {w2} - 0.05 \times ({g}) = {n(SEED002, 'w2+')}"),
                    ("omega-twin", "w2+", rf"\omega_{{0,12}} \leftarrow \omega_{{0,12}} - \alpha \frac{{\partial \ell}}"
                                          rf"{{\partial \omega_{{0,12}}}} = {w3} - 0.05 \times ({g}) = "
                                          + mp.nstr(given["w3"] - mp.mpf("0.05")
                                                    * numeric_value(SEED002.name, "dE/dw2"), 8)),
                    ("f", "net_h2", rf"f_{{0,2}} = \omega_{{0,21}} x_1 + \omega_{{0,22}} x_2 = {n(SEED002, 'net_h2')}"),
                    ("f-twin", "net_h2", r"f_{0,2} = \omega_{0,12} x_1 + \omega_{0,22} x_2"),
                    ) == {"omega": "correct", "omega-twin": "incorrect", "f": "correct", "f-twin": "incorrect"}
    db4 = n(SOFTMAX, "dE/db4")
    assert verdicts(SOFTMAX,
                    ("b", "dE/db4", rf"\frac{{\partial \mathscr{{L}}(\theta)}}{{\partial b_{{2,3}}}} = {db4}"),
                    ("b-twin", "dE/db4", rf"\frac{{\partial \mathscr{{L}}(\theta)}}{{\partial b_{{2,2}}}} = {db4}"),
                    ("a", "net_y1", rf"a_{{2,1}} = {n(SOFTMAX, 'net_y1')}"),
                    ("a-twin", "net_y1", rf"a_{{2,1}} = {n(SOFTMAX, 'y1')}"),  # the output, not the net input
                    ) == {"b": "correct", "b-twin": "incorrect", "a": "correct", "a-twin": "incorrect"}


def test_a_rule_about_a_layers_vector_is_set_aside() -> None:
    """d2l: ∂L/∂z = ∂L/∂h ⊙ φ′(z) (z, h the hidden layer's vectors, which this network does not name as wholes)
    states the rule; the line after it applies it and decides."""
    rule = r"\frac{\partial J}{\partial \mathbf{z}} = \frac{\partial J}{\partial \mathbf{h}} \odot " \
        + r"\phi'(\mathbf{z}) \\ \frac{\partial J}{\partial net_{h2}} = "
    d = numeric_value(SOFTMAX.name, "delta_h2")
    found = results(SOFTMAX, ("right", "delta_h2", rule + mp.nstr(d, 8)),
                    ("twin", "delta_h2", rule + mp.nstr(d / 2, 8)))
    assert {k: r.verdict for k, r in found.items()} == {"right": "correct", "twin": "incorrect"}
    assert [line.verdict for line in found["right"].lines[:2]] == ["unchecked", "unchecked"]


def test_formulas_named_in_a_sentence_are_not_claims() -> None:
    """Rojas's B-diagram: "unit 1 stores Φ(net_1) on its right side and Φ′(net_1) on its left side" names two
    formulas in prose (no relation on the line); the next line's chain is the answer. A number alone stays a claim."""
    _, fwd, s = _seed001()
    assert fwd["out_h1"] == PHI(s["W1_11"] * s["x1"] + s["W1_21"] * s["x2"] + s["W1_31"] * s["x3"])
    prose = r"\text{Unit 1 stores } \Phi(net_{h1}) \text{ on its right side and } \Phi'(net_{h1}) " \
        + r"\text{ on its left side} \\ "
    assert verdicts(SEED001,
                    ("right", "h1", prose + r"h_1 = \Phi(W^{(1)}_{11} x_1 + W^{(1)}_{21} x_2 + W^{(1)}_{31} x_3)"),
                    ("twin", "h1", prose + r"h_1 = \Phi'(W^{(1)}_{11} x_1 + W^{(1)}_{21} x_2 + W^{(1)}_{31} x_3)"),
                    ) == {"right": "correct", "twin": "incorrect"}
    e = numeric_value(SEED002.name, "E")
    assert verdicts(SEED002, ("number", "E", rf"\text{{the error is }} {mp.nstr(2 * e, 8)} \text{{ (rounded)}}")) == {
        "number": "incorrect"}


def test_an_empty_line_between_two_line_breaks_is_read() -> None:
    """`a = 1 \\ \\ b = 2`: the empty line between the breaks is nothing (it once made the reader fail)."""
    e = numeric_value(SEED002.name, "E")
    assert verdicts(SEED002, ("a", "E", rf"\text{{the error}} \\ \\ E = {mp.nstr(e, 8)}")) == {"a": "correct"}


def test_jurafskys_output_bias_c_beside_u() -> None:
    """SLP ch. 7: h = tanh(Wx + b), z = Uh + c; on a sheet that writes U_{kj}, c_k is output k's bias."""
    u = r"z_2 = U_{21} h_1 + U_{22} h_2 + c_2 \\ "
    db3, db4 = numeric_value(SOFTMAX.name, "dE/db3"), numeric_value(SOFTMAX.name, "dE/db4")
    assert verdicts(SOFTMAX,
                    ("right", "dE/db3", u + rf"\frac{{\partial J}}{{\partial c_2}} = {mp.nstr(db3, 8)}"),
                    ("twin", "dE/db3", u + rf"\frac{{\partial J}}{{\partial c_2}} = {mp.nstr(db4, 8)}"),
                    ) == {"right": "correct", "twin": "incorrect"}


SEED003 = EX / "seed003_symbolic.toml"


def test_mit_6036_layer_superscripts() -> None:
    """MIT 6.036: A^0 the inputs, Z^l and A^l layer l's net inputs and outputs (A^2, Z^2 of the one output unit,
    never powers), W^l_{ij} from unit i of layer l − 1 to unit j (Z = WᵀA), W^l_0 the offsets (biases), y the
    target in L = ½(A^2 − y)²."""
    error, fwd, s = _seed003()
    o, h2 = fwd["out_O"], fwd["out_h2"]
    slope = o * (1 - o) * (o - s["target"])
    assert sp.simplify(sp.diff(error, s["w6"]) - h2 * slope) == 0  # W^2_{21}: from hidden unit 2 to the output
    assert sp.simplify(sp.diff(error, s["b2"]) - slope) == 0       # W^2_0: the output's offset
    h1 = fwd["out_h1"]
    assert sp.simplify(sp.diff(error, s["w2"]) - s["i2"] * h1 * (1 - h1) * s["w5"] * slope) == 0
    top = r"\frac{\partial L}{\partial A^2} = A^2 - y, \quad " \
        + r"\frac{\partial L}{\partial Z^2} = A^2(1 - A^2)(A^2 - y) \\ "
    assert verdicts(SEED003,
                    ("w6", "dE/dw6", top + r"\frac{\partial L}{\partial W^2_{21}} = A^1_2\, A^2(1 - A^2)(A^2 - y)"),
                    ("w6-twin", "dE/dw6",
                     top + r"\frac{\partial L}{\partial W^2_{21}} = A^1_1\, A^2(1 - A^2)(A^2 - y)"),
                    ("b2", "dE/db2", top + r"\frac{\partial L}{\partial W^2_0} = A^2(1 - A^2)(A^2 - y)"),
                    ("b2-twin", "dE/db2", top + r"\frac{\partial L}{\partial W^2_0} = A^2 (A^2 - y)"),
                    ("w2", "dE/dw2", top + r"\frac{\partial L}{\partial W^1_{21}} = A^0_2\, A^1_1 (1 - A^1_1)\, "
                                           r"W^2_{11}\, A^2(1 - A^2)(A^2 - y)"),
                    ("w2-twin", "dE/dw2", top + r"\frac{\partial L}{\partial W^1_{21}} = A^0_1\, A^1_1 (1 - A^1_1)\, "
                                                r"W^2_{11}\, A^2(1 - A^2)(A^2 - y)"),
                    ) == {"w6": "correct", "w6-twin": "incorrect", "b2": "correct", "b2-twin": "incorrect",
                          "w2": "correct", "w2-twin": "incorrect"}


def _seed003() -> tuple[sp.Expr, dict[str, sp.Expr], dict[str, sp.Symbol]]:
    composed = _compose(load_net(SEED003.name))
    return composed.error, dict(composed.forward), {str(s): s for s in composed.error.free_symbols}


SEED000 = EX / "seed000_in_out.toml"


def test_a_rounded_upstream_gradient_that_is_also_a_weights_value() -> None:
    """Seed 000: 0.10 in δ_h2 = 0.10 × Out_h2(1 − Out_h2) is ∂E/∂Out_h2 = 0.1009 rounded — and also w5's value
    (0.10): the reading as the given weight fails, the one as the rounded gradient holds."""
    upstream = numeric_value(SEED000.name, "dE/dh2")
    assert mp.nstr(upstream, 2) == "0.1" and mp.nstr(params_at(SEED000.name, 0)["w5"], 2) == "0.1"
    d = numeric_value(SEED000.name, "delta_h2")
    assert verdicts(SEED000,
                    ("right", "delta_h2", rf"\delta_{{h2}} = 0.10 \times Out_{{h2}}(1 - Out_{{h2}}) = {mp.nstr(d, 3)}"),
                    ("twin", "delta_h2", rf"\delta_{{h2}} = 0.10 \times Out_{{h1}}(1 - Out_{{h1}}) = {mp.nstr(d, 3)}"),
                    ) == {"right": "correct", "twin": "incorrect"}


def test_sigma_on_a_network_without_a_sigmoid_is_its_activation() -> None:
    """ESL writes σ for the hidden activation whatever it is: on the softmax network (tanh hidden units)
    σ′(v) = 1 − tanh² v is a right rule and σ(net_h2) its tanh; 1/(1 + e^{−v}) stays the sigmoid, a wrong rule."""
    h2 = numeric_value(SOFTMAX.name, "h2")
    assert mp.nstr(h2, 6) == mp.nstr(mp.tanh(numeric_value(SOFTMAX.name, "net_h2")), 6)
    d = mp.nstr(numeric_value(SOFTMAX.name, "delta_h2"), 8)
    upstream = mp.nstr(numeric_value(SOFTMAX.name, "dE/dh2"), 10)
    tail = rf" \\ \delta_{{h2}} = (1 - {mp.nstr(h2, 10)}^2) \times {upstream} = {d}"
    assert verdicts(SOFTMAX,
                    ("esl", "delta_h2", r"\sigma'(v) = 1 - \tanh^2 v" + tail),
                    ("sigmoid-rule", "delta_h2", r"\sigma'(v) = \sigma(v)(1 - \sigma(v))" + tail),
                    ("value", "h2", rf"out_{{h2}} = \sigma(net_{{h2}}) = \sigma(0.12) = {mp.nstr(h2, 6)}"),
                    ("sigmoid-value", "h2", rf"out_{{h2}} = \sigma(0.12) = {mp.nstr(1 / (1 + mp.exp(-0.12)), 6)}"),
                    ) == {"esl": "correct", "sigmoid-rule": "incorrect", "value": "correct",
                          "sigmoid-value": "incorrect"}


def test_a_sign_slip_in_one_answer_is_not_a_convention_for_the_next() -> None:
    """Bishop (2024) on the batch: δ^{(1)}_1 = t − y in one answer (a sign slip, wrong) must not make the later
    right δ^{(1)}_{h_1} = (1 − z²)(w_5 δ_1 + w_7 δ_2 + w_9 δ_3) wrong by reading its δ's with Mitchell's sign; a
    sample superscript on δ (δ^{(1)}_1 = ŷ^{(1)}_1 − y^{(1)}_1) is sample 1's output δ, y beside ŷ the label."""
    v = {q: numeric_value(SOFTMAX.name, q) for q in ("delta_y1", "delta_y2", "delta_y3", "delta_h1", "y1", "h1")}
    n = {q: mp.nstr(x, 6) for q, x in v.items()}
    slip = ("slip", "delta_y1",
            rf"\delta^{{(1)}}_1 = t^{{(1)}}_1 - y^{{(1)}}_1 = 1 - {n['y1']} = {mp.nstr(-v['delta_y1'], 6)}")
    hidden = ("hidden", "delta_h1",
              r"\delta_j = h'(a_j) \sum_{k} w_{kj} \delta_k \\ "
              r"\delta^{(1)}_{h_1} = \left(1 - (z^{(1)}_1)^2\right)"
              r"\left(w_5 \delta_1 + w_7 \delta_2 + w_9 \delta_3\right)"
              rf" = (1 - {n['h1']}^2)(0.5 \cdot ({n['delta_y1']}) + 0.1 \cdot {n['delta_y2']}"
              rf" - 0.4 \cdot {n['delta_y3']})"
              rf" = {n['delta_h1']}")
    sample = ("sample", "delta_y1",
              rf"\delta^{{(1)}}_1 = \hat{{y}}^{{(1)}}_1 - y^{{(1)}}_1 = {n['y1']} - 1 = {n['delta_y1']}")
    assert verdicts(SOFTMAX, slip, hidden) == {"slip": "incorrect", "hidden": "correct"}
    assert verdicts(SOFTMAX, sample, ("twin", "delta_y1", sample[2].replace(" - 1 =", " + 1 =").replace(
        n["delta_y1"], mp.nstr(v["y1"] + 1, 6)))) == {"sample": "correct", "twin": "incorrect"}


def test_nielsens_weights_go_into_a_layer() -> None:
    """Seed 000: Nielsen's z^{(2)}_2 = w^{(2)}_{21} a^{(1)}_1 + w^{(2)}_{22} a^{(1)}_2 = w_2 x_1 + w_4 x_2 (layer 1
    the inputs, w^{(2)} into layer 2): the member equals its neighbour only with w^l read as going into layer l."""
    v = {q: mp.nstr(numeric_value(SEED000.name, q), 6) for q in ("net_h2",)}
    nielsen = r"z^{(2)}_2 = w^{(2)}_{21} a^{(1)}_1 + w^{(2)}_{22} a^{(1)}_2 = w_2 x_1 + w_4 x_2"
    assert verdicts(SEED000, ("nielsen", "net_h2", nielsen + f" = {v['net_h2']}"),
                    ("nielsen-twin", "net_h2", nielsen.replace("w_4 x_2", "w_3 x_2"))) == {
        "nielsen": "correct", "nielsen-twin": "incorrect"}


def test_a_whole_number_in_a_sentence_is_a_word() -> None:
    """A French corrigé: "W^{(1)}_{21} relie l'entrée x_2 au neurone caché 1, d'où" — the 1 is not a claim."""
    error, fwd, s = _seed001()
    expected = sp.diff(error, s["W1_21"])
    u = sp.Dummy("u")
    assert sp.expand(expected - (fwd["out_y"] - s["d"]) * s["W2_1"] * sp.diff(PHI(u), u).subs(u, fwd["net_h1"])
                     * s["x2"]) == 0
    prose = r"W^{(1)}_{21} \text{ relie l'entrée } x_2 \text{ au neurone caché } 1\text{, d'où} \\ "
    assert verdicts(SEED001,
                    ("right", "dE/dW1_21", prose + r"\frac{\partial E}{\partial W^{(1)}_{21}} = (y - d)\, W^{(2)}_1\, "
                                                   r"\varphi'(s_1)\, x_2"),
                    ("twin", "dE/dW1_21", prose + r"\frac{\partial E}{\partial W^{(1)}_{21}} = (y - d)\, W^{(2)}_1\, "
                                                  r"\varphi'(s_1)\, x_1"),
                    ) == {"right": "correct", "twin": "incorrect"}
