"""Readings of session 32, from right answers of the development parts and families of notation the held-out
parts showed. Each right form has a wrong twin that must stay rejected. Numbers come from the corpus's own truth
(tests/corpus/truth_values.py: the spec read with tomllib, mpmath forward pass and central differences), never
from the checker."""

from __future__ import annotations

import mpmath as mp
from test_check import SEED004, check, verdicts

from corpus.truth_values import compose_formula, numeric_value, symbolic_quantity, symbolic_zero

SPEC = SEED004.name
SEED000, SEED001, SEED002, SEED003 = (SEED004.with_name(f"seed00{k}_{n}.toml") for k, n in
                                      enumerate(("in_out", "abstract_phi", "linear", "symbolic")))


def _is_truth(spec, quantity: str, formula: str) -> bool:
    """The corpus's own check: the formula (SymPy syntax over the spec's names) composed, minus sympy.diff's truth."""
    return symbolic_zero(compose_formula(spec.name, formula) - symbolic_quantity(spec.name, quantity))


def _comma(v: mp.mpf, digits: int) -> str:
    return mp.nstr(v, digits).replace(".", ",")


def test_a_bare_decimal_comma_is_a_decimal_point() -> None:
    """A Polish kolokwium or a German Übungsblatt writes 0,5933 without TeX's {,}: read as a decimal, also in a
    substitution, while ω_{0,12}'s script, a tight pair (1,1) and an index list stay what they were."""
    h1, g5 = numeric_value(SPEC, "h1"), numeric_value(SPEC, "dE/dw5")
    w5p = numeric_value(SPEC, "w5+")
    assert abs(w5p - (mp.mpf("0.4") - mp.mpf("0.5") * g5)) < mp.mpf(10) ** -12  # the update, independently
    chain = rf"out_{{h1}} = \frac{{1}}{{1+e^{{-0,3775}}}} = {_comma(h1, 9)}"
    update = (rf"w_5^+ = w_5 - \eta \frac{{\partial E}}{{\partial w_5}} = 0,4 - 0,5 \cdot {_comma(g5, 9)}"
              rf" = {_comma(w5p, 8)}")
    assert verdicts(SEED004,
                    ("h1", "h1", chain),
                    ("h1-short", "h1", rf"out_{{h1}} = {_comma(h1, 4)}"),
                    ("h1-twin", "h1", rf"out_{{h1}} = {_comma(h1 + mp.mpf('0.01'), 4)}"),
                    ("w5", "w5+", update),
                    ("w5-twin", "w5+", update.replace("0,4 - 0,5", "0,4 + 0,5").replace(
                        _comma(w5p, 8), _comma(mp.mpf("0.4") + mp.mpf("0.5") * g5, 8))),
                    ) == {"h1": "correct", "h1-short": "correct", "h1-twin": "incorrect",
                          "w5": "correct", "w5-twin": "incorrect"}


def test_a_comma_between_indices_is_not_a_decimal() -> None:
    from symbackprop.check.written import decimals
    assert [w.text for w in decimals(r"\omega_{0,12} = 0,75 + (1,1) + [0,0] + x^{2,13}")] == ["0.75"]
    assert [w.text for w in decimals(r"(0,01 - 0,75) \cdot 1,105906 + 1,2")] == ["0.01", "0.75", "1.105906"]


def test_numpy_code_names_are_gradients_and_their_indices_count_from_zero() -> None:
    """CS231n's dW1 is ∂L/∂W1 and dW1[0, 1] its entry in row 0, column 1 (h = W1 x: row 0 is h1, column 1 is i2,
    so w2 on seed 002); a blog's dE_dw5 and dout_o1_dnet_o1 name ∂E/∂w5 and ∂out_o1/∂net_o1 (seed 004). Their
    wrong twins — the transposed entry, out_h2 for out_h1 — stay rejected."""
    seed002 = SEED004.with_name("seed002_linear.toml")
    g2, g3 = numeric_value(seed002.name, "dE/dw2"), numeric_value(seed002.name, "dE/dw3")
    assert abs(g2 - g3) > mp.mpf("0.01")
    assert verdicts(seed002,
                    ("entry", "dE/dw2",
                     rf"\frac{{\partial L}}{{\partial w_2}} = \texttt{{dW1}}[0, 1] = {mp.nstr(g2, 6)}"),
                    ("transposed", "dE/dw2", rf"\texttt{{dW1}}[1, 0] = {mp.nstr(g2, 6)}"),
                    ("blog", "dE/dw2", rf"\texttt{{dE\_dw2}} = {mp.nstr(g2, 6)}"),
                    ) == {"entry": "correct", "transposed": "incorrect", "blog": "correct"}
    out_o1, out_h1 = numeric_value(SPEC, "o1"), numeric_value(SPEC, "h1")
    out_h2, t_o1 = numeric_value(SPEC, "h2"), mp.mpf("0.01")
    dE_dout, dout_dnet = out_o1 - t_o1, out_o1 * (1 - out_o1)
    assert abs(dE_dout * dout_dnet * out_h1 - numeric_value(SPEC, "dE/dw5")) < mp.mpf(10) ** -12
    code = r"\texttt{dE\_dw5} = \texttt{dE\_dout\_o1} \cdot \texttt{dout\_o1\_dnet\_o1} \cdot out_{h1} = "
    numbers = f"{mp.nstr(dE_dout, 9)} \\cdot {mp.nstr(dout_dnet, 9)} \\cdot "
    assert verdicts(SEED004,
                    ("code", "dE/dw5", code + numbers + f"{mp.nstr(out_h1, 9)} = "
                     f"{mp.nstr(dE_dout * dout_dnet * out_h1, 9)}"),
                    ("twin", "dE/dw5", code + numbers + f"{mp.nstr(out_h2, 9)} = "
                     f"{mp.nstr(dE_dout * dout_dnet * out_h2, 9)}"),
                    ) == {"code": "correct", "twin": "incorrect"}


def test_other_code_stays_one_unknown_name() -> None:
    """np.sum(dZ, axis=1), delta, data: code that is no gradient is not read as one (delta is not d·elta)."""
    from symbackprop.check.lex import _code_name
    assert _code_name("delta", r"\texttt{delta}[0]", len(r"\texttt{delta}")) is None
    assert _code_name("np.sum", r"\texttt{np.sum}(dZ)", len(r"\texttt{np.sum}")) is None
    assert _code_name("W1", r"\texttt{W1} = ", len(r"\texttt{W1}")) is None  # a name without d needs an index
    assert _code_name("W1", r"\texttt{W1}[0, 1]", len(r"\texttt{W1}")) == ("W^{[1]}_{12}", len(r"\texttt{W1}[0, 1]"))


def test_shalev_shwartz_writes_every_index_after_a_comma() -> None:
    """Understanding Machine Learning (ch. 20): W_{t,i,j} from neuron j of layer V_t to neuron i of V_{t+1}, o_{t,i}
    the output of neuron i of V_t (V_0 the inputs), a_{t,i} its net input. On seed 003: W_{1,1,1} = w5, o_{1,1} =
    out_h1, W_{0,1,2} = w2, o_{0,2} = i2."""
    assert _is_truth(SEED003, "dE/dw5", "(out_O - target)*out_O*(1 - out_O)*out_h1")
    assert _is_truth(SEED003, "dE/dw2", "(out_O - target)*out_O*(1 - out_O)*w5*out_h1*(1 - out_h1)*i2")
    w5 = r"\frac{\partial \ell}{\partial W_{1,1,1}} = (o_{2,1} - y)\, o_{2,1}(1 - o_{2,1})\, o_{1,1}"
    w2 = (r"\frac{\partial \ell}{\partial W_{0,1,2}} = (o_{2,1} - y)\, o_{2,1}(1 - o_{2,1})\, W_{1,1,1}\, "
          r"o_{1,1}(1 - o_{1,1})\, o_{0,2}")
    assert verdicts(SEED003, ("w5", "dE/dw5", w5), ("w5-twin", "dE/dw5", w5.replace("o_{1,1}", "o_{1,2}")),
                    ("w2", "dE/dw2", w2), ("w2-twin", "dE/dw2", w2.replace("o_{0,2}", "o_{0,1}"))) == {
        "w5": "correct", "w5-twin": "incorrect", "w2": "correct", "w2-twin": "incorrect"}


def test_mackay_activations_carry_their_layer() -> None:
    r"""MacKay (ITILA ch. 39, 44): the objective G, the activation a^{(1)}_j (the weighted sum: an activation
    function's argument is never an input), f^{(1)} the hidden non-linearity, f^{(1)\prime} its derivative."""
    assert _is_truth(SEED001, "dE/dW2_3", "(y - d)*Phi(net_h3)")
    assert _is_truth(SEED001, "dE/dnet_h2", "(y - d)*W2_2*dPhi(net_h2)")
    right = r"\frac{\partial G}{\partial w^{(2)}_3} = (y - d)\, f^{(1)}\!\left(a^{(1)}_3\right)"
    delta = (r"\frac{\partial G}{\partial a^{(1)}_2} = \frac{\partial G}{\partial y}\, "
             r"\frac{\partial y}{\partial h_2}\, \frac{\mathrm{d} h_2}{\mathrm{d} a^{(1)}_2} = "
             r"(y - d)\, w^{(2)}_2\, f^{(1)\prime}\!\left(a^{(1)}_2\right)")
    assert verdicts(SEED001, ("w3", "dE/dW2_3", right),
                    ("w3-twin", "dE/dW2_3", right.replace("_3\\right", "_2\\right")),
                    ("d2", "dE/dnet_h2", delta),
                    ("d2-twin", "dE/dnet_h2", delta.replace(r"f^{(1)\prime}", "f^{(1)}"))) == {
        "w3": "correct", "w3-twin": "incorrect", "d2": "correct", "d2-twin": "incorrect"}


def test_a_chatbots_markdown_is_not_math() -> None:
    """**Step 1: …** headings, "- " bullets and a plain sentence ending in a colon or "so" are set aside; the math
    between them is judged (seed 000's In_{h2} and h2, from the corpus's truth)."""
    net, out = numeric_value(SEED000.name, "net_h2"), numeric_value(SEED000.name, "h2")
    answer = ("**Step 1: Forward pass (hidden layer)** \\\\\n"
              "Since the weights are numbered by their source neuron, we compute: \\\\\n"
              rf"- In_{{h_2}} = w_2 x_1 + w_4 x_2 = {mp.nstr(net, 6)} \\" "\n"
              rf"- h_2 = \sigma({mp.nstr(net, 6)}) \approx \boxed{{{{OUT}}}}")
    assert verdicts(SEED000, ("right", "h2", answer.replace("{OUT}", mp.nstr(out, 4))),
                    ("twin", "h2", answer.replace("{OUT}", mp.nstr(out + mp.mpf("0.01"), 4)))) == {
        "right": "correct", "twin": "incorrect"}


def test_an_implication_before_a_boxed_number_gives_the_value() -> None:
    """… = 0.2469 × 0.2495 ⇒ \\boxed{0.0616} (a Hindi key), \\boxed{h_1 = 0.5622}, and =: (a definition read from
    right to left, a Gradescope key)."""
    d = numeric_value(SEED000.name, "delta_o1")
    h1 = numeric_value(SEED000.name, "h1")
    line = r"\delta_{o_1} = (o_1 - y_1)\, o_1 (1 - o_1) \;\Rightarrow\; \boxed{VALUE}"
    assert verdicts(SEED000, ("arrow", "delta_o1", line.replace("VALUE", mp.nstr(d, 3))),
                    ("arrow-twin", "delta_o1", line.replace("VALUE", mp.nstr(2 * d, 3))),
                    ("boxed", "h1", rf"\boxed{{h_1 = {mp.nstr(h1, 4)}}}"),
                    ("boxed-twin", "h1", rf"\boxed{{h_1 = {mp.nstr(h1 + mp.mpf('0.01'), 4)}}}")) == {
        "arrow": "correct", "arrow-twin": "incorrect", "boxed": "correct", "boxed-twin": "incorrect"}
    assert _is_truth(SEED003, "dE/dw6", "(out_O - target)*out_O*(1 - out_O)*out_h2")
    w6 = r"\frac{\partial E}{\partial w_6} = (out_O - target)\, out_O (1 - out_O)\, out_{h2} =: \delta_O\, out_{h2}"
    assert verdicts(SEED003, ("defined", "dE/dw6", w6),
                    ("defined-twin", "dE/dw6", w6.replace(r"=: \delta_O\, out_{h2}", r"=: \delta_O\, out_{h1}"))) == {
        "defined": "correct", "defined-twin": "incorrect"}


def test_exact_fractions_accented_subscripts_and_prompts() -> None:
    """Wolfram-style exact arithmetic (\\tfrac{809}{1000} is out − y, fixed at its value), Mathematica's In[1]:=
    prompt, and a Polish E_{całk}."""
    g6, e = numeric_value(SEED002.name, "dE/dw6"), numeric_value(SEED004.name, "E")
    assert abs(g6 - mp.mpf(-809) / 1000 * 12 / 25) < mp.mpf(10) ** -12  # (out − y) h2 exactly, the corpus's truth
    w6 = r"\texttt{In[2]:=} \ \frac{\partial Error}{\partial w_6} = -\tfrac{809}{1000} \cdot h_2 = -\tfrac{2427}{6250}"
    assert verdicts(SEED002, ("exact", "dE/dw6", w6),
                    ("exact-twin", "dE/dw6", w6.replace("h_2", "h_1").replace("2427}{6250", "13753}{20000"))) == {
        "exact": "correct", "exact-twin": "incorrect"}
    polish = r"E_{całk} = \tfrac{1}{2}\left[(0{,}01 - out_{o1})^2 + (0{,}99 - out_{o2})^2\right] = VALUE"
    assert verdicts(SEED004, ("pl", "E", polish.replace("VALUE", _comma(e, 9))),
                    ("pl-twin", "E", polish.replace("VALUE", _comma(2 * e, 9)))) == {
        "pl": "correct", "pl-twin": "incorrect"}


def test_a_one_unit_layers_vector_is_its_unit() -> None:
    """吴恩达's z^{[2]} = W^{[2]} a^{[1]} + b^{[2]} = w_5 a^{[1]}_1 + w_6 a^{[1]}_2 + b_2 on seed 003 (one output unit):
    the matrix form is left unchecked, the expanded form judged as net_O."""
    assert symbolic_zero(compose_formula(SEED003.name, "w5*out_h1 + w6*out_h2 + b2")
                         - symbolic_quantity(SEED003.name, "net_O"))
    line = r"z^{[2]} = W^{[2]} a^{[1]} + b^{[2]} = w_5\, a^{[1]}_1 + w_6\, a^{[1]}_2 + b_2"
    assert verdicts(SEED003, ("right", "net_O", line), ("twin", "net_O", line.replace("w_6", "w_5"))) == {
        "right": "correct", "twin": "incorrect"}


def test_kubats_layers_count_from_the_output() -> None:
    """Kubat (An Introduction to Machine Learning, ch. 5): w^{(1)}_{ji} from hidden j to output i, w^{(2)}_{kj} from
    attribute k to hidden j, δ^{(1)}_i = (t_i − y_i) y_i (1 − y_i) the output's (minus ∂E/∂net). The first formula
    that fits only so sets the sheet's numbering, for its later answers and its second epoch's."""
    net_h2, g8 = numeric_value(SPEC, "net_h2"), numeric_value(SPEC, "dE/dw8")
    y2, h1, h2 = numeric_value(SPEC, "o2"), numeric_value(SPEC, "h1"), numeric_value(SPEC, "h2")
    kubat_delta = (mp.mpf("0.99") - y2) * y2 * (1 - y2)
    assert abs(-kubat_delta * h2 - g8) < mp.mpf(10) ** -12  # Kubat's δ is −∂E/∂net_o2
    g7_later = numeric_value(SPEC, "dE/dw7", 1)
    y2_later, h1_later = numeric_value(SPEC, "o2", 1), numeric_value(SPEC, "h1", 1)
    later_delta = (mp.mpf("0.99") - y2_later) * y2_later * (1 - y2_later)
    assert abs(-later_delta * h1_later - g7_later) < mp.mpf(10) ** -12
    first = (r"\text{net input of hidden neuron 2: } \sum_k w^{(2)}_{k2} x_k + 0.35 = 0.25 \cdot 0.05 + 0.30 \cdot 0.10"
             rf" + 0.35 = {mp.nstr(net_h2, 6)}")

    def gradient(h: str, value: mp.mpf, delta: mp.mpf, hidden: mp.mpf) -> str:
        return (rf"\delta^{{(1)}}_2 = (t_2 - y_2)\, y_2 (1 - y_2) = {mp.nstr(delta, 6)} \\"
                "\n" rf"\frac{{\partial E}}{{\partial w^{{(1)}}_{{{h}2}}}} = -\delta^{{(1)}}_2 h_{h} = "
                rf"-{mp.nstr(delta, 6)} \cdot {mp.nstr(hidden, 6)} = {mp.nstr(value, 5)}")
    results = check(SEED004, ("net", "net_h2", first),
                    ("w8", "dE/dw8", gradient("2", g8, kubat_delta, h2)),
                    ("w8-twin", "dE/dw8", gradient("2", -kubat_delta * h1, kubat_delta, h1).replace("h_2", "h_1")),
                    ("w7-epoch2", "dE/dw7", gradient("1", g7_later, later_delta, h1_later), 1))
    assert {k: r.verdict for k, r in results.items()} == {
        "net": "correct", "w8": "correct", "w8-twin": "incorrect", "w7-epoch2": "correct"}


def test_a_chinese_total_and_a_one_word_remark() -> None:
    """E_{总} and E_{\\text{总}} (总误差: the total error of Chinese notes) are the loss; (\\text{rounded}) is a
    remark."""
    g5 = numeric_value(SPEC, "dE/dw5")
    assert verdicts(SEED004, ("zh", "dE/dw5", rf"\frac{{\partial E_{{总}}}}{{\partial w_5}} = {mp.nstr(g5, 4)}"),
                    ("zh-text", "dE/dw5", rf"\frac{{\partial E_{{\text{{总}}}}}}{{\partial w_5}} = {mp.nstr(g5, 4)}"),
                    ("remark", "dE/dw5",
                     rf"\frac{{\partial E}}{{\partial w_5}} = {mp.nstr(g5, 4)} \quad (\text{{rounded}})"),
                    ("twin", "dE/dw5", rf"\frac{{\partial E_{{总}}}}{{\partial w_5}} = {mp.nstr(2 * g5, 4)}")) == {
        "zh": "correct", "zh-text": "correct", "remark": "correct", "twin": "incorrect"}


def test_a_wrong_last_digit_is_not_named_by_a_slip_it_does_not_show() -> None:
    """0.0823 for ∂E/∂w5 = 0.082167: within 0.5 % of the truth, so once matched by 'the hidden layer's σ′ left
    out' (a slip whose result is the truth: ∂E/∂w5 has no hidden σ′) and by out_h2 for out_h1 (0.0827, farther)."""
    g5, h1, h2 = numeric_value(SPEC, "dE/dw5"), numeric_value(SPEC, "h1"), numeric_value(SPEC, "h2")
    near, swapped = mp.mpf("0.0823"), g5 / h1 * h2  # δ_o1 · out_h2
    assert abs(near - g5) < abs(near - swapped) and abs(near - g5) > mp.mpf("0.00005")
    results = check(SEED004, ("near", "dE/dw5", r"\frac{\partial E}{\partial w_5} = 0.0823"),
                    ("swapped", "dE/dw5", rf"\frac{{\partial E}}{{\partial w_5}} = {mp.nstr(swapped, 4)}"))
    assert [r.verdict for r in results.values()] == ["incorrect", "incorrect"]
    assert results["near"].diagnosis[0].kind not in ("missing_activation_derivative", "wrong_input")
    assert results["swapped"].diagnosis[0].kind == "wrong_input"


def test_plain_tex_fractions_and_ascii_powers() -> None:
    r"""{1 \over 1 + e^{-0.3775}} (plain TeX), 1 \big/ (…), 1/(1+e^(-0.3775)) (ASCII math), \partial_{w_5} E."""
    h1, g5 = numeric_value(SPEC, "h1"), numeric_value(SPEC, "dE/dw5")
    forms = {"over": r"out_{h1} = {1 \over 1+e^{-0.3775}} = VALUE",
             "big": r"out_{h1} = 1 \big/ \left(1+e^{-0.3775}\right) = VALUE",
             "ascii": "out_{h1}=1/(1+e^(-0.3775))=VALUE"}
    answers = [(k, "h1", v.replace("VALUE", mp.nstr(h1, 4))) for k, v in forms.items()]
    answers += [(k + "-twin", "h1", v.replace("VALUE", mp.nstr(h1 + mp.mpf("0.01"), 4))) for k, v in forms.items()]
    answers += [("partial", "dE/dw5", rf"\partial_{{w_5}} E = {mp.nstr(g5, 4)}"),
                ("partial-twin", "dE/dw5", rf"\partial_{{w_5}} E = {mp.nstr(-g5, 4)}")]
    assert verdicts(SEED004, *answers) == {k: "incorrect" if k.endswith("twin") else "correct" for k, _, _ in answers}


def test_an_update_with_the_gradient_worked_out_before() -> None:
    """w_5^+ = w_5 − η · 0.0822: w_5 and η kept as names, the gradient computed on an earlier line put in as its
    number (a rounding of ∂E/∂w_5); the twins put in ∂E/∂w_6's number or flip the step's sign."""
    g5, g6, w5p = numeric_value(SPEC, "dE/dw5"), numeric_value(SPEC, "dE/dw6"), numeric_value(SPEC, "w5+")
    assert abs(w5p - (mp.mpf("0.4") - mp.mpf("0.5") * g5)) < mp.mpf(10) ** -12 and abs(g5 - g6) > mp.mpf("0.0003")
    line = r"w_5^+ = w_5 - \eta \cdot GRAD = VALUE"
    assert verdicts(SEED004,
                    ("right", "w5+", line.replace("GRAD", mp.nstr(g5, 3)).replace("VALUE", mp.nstr(w5p, 4))),
                    ("other", "w5+", line.replace("GRAD", mp.nstr(g6, 3)).replace(
                        "VALUE", mp.nstr(mp.mpf("0.4") - mp.mpf("0.5") * g6, 4))),
                    ("sign", "w5+", line.replace("- \\eta", "+ \\eta").replace("GRAD", mp.nstr(g5, 3)).replace(
                        "VALUE", mp.nstr(mp.mpf("0.4") + mp.mpf("0.5") * g5, 4)))) == {
        "right": "correct", "other": "incorrect", "sign": "incorrect"}
