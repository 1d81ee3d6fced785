"""The checker on the textbooks' notations met in the tune6 corpus part: 西瓜书 (Zhou Zhihua), Nielsen's neuron
superscripts, Haykin's w^{(l)}_{ji} and error signal e, Mitchell's prose remark, Bishop's E_n of a batch, sample
superscripts on δ, hand rounding inside a function. Each right answer's numbers are the network's (Mazur's
published values, or the corpus labels verified by test_corpus_labels without the checker); each has a wrong twin
that must be rejected, so that a reading that accepts everything cannot pass."""

from __future__ import annotations

from test_check import EX, SEED000, SEED003, SEED004, check, verdicts

SEED001 = EX / "seed001_abstract_phi.toml"
SOFTMAX = EX / "softmax_batch.toml"


def test_the_watermelon_books_beta_g_and_e() -> None:
    """β_j (an output's net input) sets 西瓜书's notation without a v_{ih}: b_h is then hidden h's output; a
    definition with a given number in it (b3 = 0.60) means the net input; g_j, e_h are its error terms
    (−∂E/∂β_j, −∂E/∂α_h), and 0.2406 stands for b_2(1 − b_2)."""
    beta = r"\beta_2 = w_7 b_1 + w_8 b_2 + 0.60 = 0.50 \times 0.59326999 + 0.55 \times 0.59688438 + 0.60 = 1.22492140"
    assert verdicts(SEED004, ("o2", "o2", beta + r" \\ \hat{y}_2 = \frac{1}{1 + e^{-\beta_2}} = 0.77292847"),
                    ("wrong", "o2", r"\beta_2 = w_5 b_1 + w_6 b_2 + 0.60 = 1.105905967 \\ "
                                    r"\hat{y}_2 = \frac{1}{1 + e^{-\beta_2}} = 0.75136507"),
                    ("g2", "delta_o2", r"g_2 = \hat{y}_2 (1 - \hat{y}_2)(y_2 - \hat{y}_2) = 0.038098237, \quad"
                                       r" \delta_{o2} = -g_2 = -0.038098237"),
                    ("e2", "delta_h2", r"e_2 = b_2 (1 - b_2)(w_6 g_1 + w_8 g_2) = 0.240613417 \times "
                                       r"\left(0.45 \times (-0.138498562) + 0.55 \times 0.038098237\right)"
                                       r" = -0.009954255, \quad \delta_{h2} = -e_2 = 0.009954255"),
                    ("e2-sign", "delta_h2", r"e_2 = b_2 (1 - b_2)(w_6 g_1 + w_8 g_2) = -0.009954255, \quad"
                                            r" \delta_{h2} = e_2 = -0.009954255")) == {
        "o2": "correct", "wrong": "incorrect", "g2": "correct", "e2": "correct", "e2-sign": "incorrect"}


def test_nielsens_neuron_superscripts() -> None:
    """a^O, z^{h_1}, δ^O: a superscript that is one of the network's neurons names it (not a power)."""
    assert verdicts(SEED003,
                    ("O", "delta_O", r"\delta^O = \frac{\partial C}{\partial a^O}\, \sigma'(z^O) = "
                                     r"\left(a^O - \text{target}\right) a^O (1 - a^O)"),
                    ("h1", "delta_h1", r"\delta^{h_1} = w_5\, \delta^O\, \sigma'(z^{h_1}) = "
                                       r"w_5 \left(a^O - \text{target}\right) a^O (1 - a^O)\, a^{h_1}(1 - a^{h_1})"),
                    ("no-prime", "delta_O", r"\delta^O = a^O - \text{target}"),
                    ("other", "delta_h1", r"\delta^{h_1} = w_6 \left(a^O - \text{target}\right) a^O (1 - a^O)"
                                          r"\, a^{h_1}(1 - a^{h_1})")) == {
        "O": "correct", "h1": "correct", "no-prime": "incorrect", "other": "incorrect"}


def test_haykins_layer_weights_hidden_outputs_and_error_signal() -> None:
    """w^{(1)}_{13} is the notes' W^1_{13} (a network's own name wins, whatever its case); y_3 with one output is
    hidden unit 3's output; e defined on its line (e = d − y) is that name in ½e², not Euler's number."""
    assert verdicts(SEED001,
                    ("v3", "net_h3", r"v_3 = w^{(1)}_{13} x_1 + w^{(1)}_{23} x_2 + w^{(1)}_{33} x_3"),
                    ("v3-swapped", "net_h3", r"v_3 = w^{(1)}_{31} x_1 + w^{(1)}_{32} x_2 + w^{(1)}_{33} x_3"),
                    ("E", "E", r"\mathcal{E} = \tfrac{1}{2} e^2, \qquad e = d - y"),
                    ("E-plus", "E", r"\mathcal{E} = \tfrac{1}{2} e^2, \qquad e = d + y"),
                    ("y3", "dE/dh3", r"\frac{\partial \mathcal{E}}{\partial y_3} = -(d - y)\, w^{(2)}_3"),
                    ("y3-sign", "dE/dh3", r"\frac{\partial \mathcal{E}}{\partial y_3} = (d - y)\, w^{(2)}_3")) == {
        "v3": "correct", "v3-swapped": "incorrect", "E": "correct", "E-plus": "incorrect", "y3": "correct",
        "y3-sign": "incorrect"}


def test_an_update_restated_with_its_step_is_incomplete() -> None:
    """w(n+1) = w(n) + Δw(n) is true of every update: with Δw never worked out it establishes nothing (with the
    textbook's rule beside it, which we do not read, the answer is unparseable; alone, incomplete)."""
    restated = r"w^{(1)}_{31}(n+1) = w^{(1)}_{31}(n) + \Delta w^{(1)}_{31}(n)"
    r = check(SEED001, ("rule", "W1_31+", restated + r", \qquad \Delta w_{ji} = \eta\, \delta_j\, y_i"),
              ("alone", "W1_31+", restated))
    assert r["rule"].verdict == "unparseable"
    assert r["alone"].verdict == "incorrect" and r["alone"].diagnosis[0].kind == "incomplete"


def test_a_prose_remark_with_a_general_name_is_set_aside() -> None:
    """Mitchell's "δ is −∂E/∂net": net without a unit is the textbook's rule, not an unread quantity."""
    latex = (r"\text{Mitchell's } \delta \text{ is } -\partial E/\partial net, \text{ so } "
             r"\frac{\partial E}{\partial net_{h1}} = ")
    r = verdicts(SEED004, ("right", "dE/dnet_h1", latex + "0.0087713547"),
                 ("wrong", "dE/dnet_h1", latex + "-0.0087713547"))
    assert r == {"right": "correct", "wrong": "incorrect"}


def test_sample_superscripts_on_an_undefined_delta_and_bishops_e_n() -> None:
    """δ_1^{(1)}: layer 1 (the inputs) has no δ, so (1) and (2) are samples; E_n of a batch is sample n's error."""
    w6 = r"\frac{\partial E}{\partial w_6} = HALF\left(\delta_1^{(1)} a_2^{(1)} + \delta_1^{(2)} a_2^{(2)}\right)"
    mean = (r"E = \frac{1}{N}\sum_{n=1}^{N} E_n, \quad E_n = -\sum_k t_{nk} \ln y_{nk}: \quad "
            r"E = \frac{1}{2}\left(-\ln 0.350819 - \ln 0.326898\right) = 1.082796")
    assert verdicts(SOFTMAX,
                    ("a2", "h2", r"a_2 = \tanh(0.12) = 0.119427"),
                    ("w6", "dE/dw6", w6.replace("HALF", r"\frac{1}{2}") + " = -0.017571"),
                    ("w6-sum", "dE/dw6", w6.replace("HALF", "") + " = -0.035141"),
                    ("E", "E", mean),
                    ("E-sum", "E", mean.replace(r"\frac{1}{N}", "").replace(r"\frac{1}{2}", "")
                     .replace("1.082796", "2.165593"))) == {
        "a2": "correct", "w6": "correct", "w6-sum": "incorrect", "E": "correct", "E-sum": "incorrect"}


def test_a_number_worked_out_from_rounded_numbers_inside_a_function() -> None:
    """sigmoid(0.12) after −0.50 × 0.56 + 0.80 × 0.50 (h1 = 0.5598, h2 = 0.4950 rounded to 2 decimals): 0.12
    carries their drift (the true net input is 0.1149), and 0.53 is the right rounding of o2 = 0.5287."""
    line = r"o_2 = sigmoid(w_6 \times h_1 + w_8 \times h_2) = sigmoid(-0.50 \times 0.56 + 0.80 \times 0.50) = {}"
    assert verdicts(SEED000, ("o2", "o2", line.format("sigmoid(0.12) = 0.53")),
                    ("slip", "o2", line.format("sigmoid(0.18) = 0.54"))) == {"o2": "correct", "slip": "incorrect"}


def test_layers_counted_from_the_first_hidden_layer() -> None:
    """The Korean and Japanese textbooks' δ^{(2)}_2 is the output's (layer 1 the hidden one), seed 002's is a hidden
    unit's: the first chain ending in a number decides the sheet's numbering; u is then the net input, z the output."""
    korean = (r"\delta^{(2)}_2 = \frac{\partial L}{\partial z^{(2)}_2} = (a^{(2)}_2 - y_2)\,\sigma'(z^{(2)}_2) = "
              r"0.5986964 \times 0.5286964\,(1 - 0.5286964) = 0.1491811")
    assert verdicts(SEED000, ("d", "delta_o2", korean),
                    ("w6", "dE/dw6", r"\frac{\partial L}{\partial w_6} = \delta^{(2)}_2 \, a^{(1)}_1 = "
                                     r"0.1491811 \times 0.5621765 = 0.0838661"),
                    ("w6-x", "dE/dw6", r"\frac{\partial L}{\partial w_6} = \delta^{(2)}_2 \, a^{(1)}_2 = "
                                       r"0.1491811 \times 0.4950002 = 0.0738447")) == {
        "d": "correct", "w6": "correct", "w6-x": "incorrect"}
    japanese = (r"\delta^{(3)}_2 = \frac{\partial E}{\partial u^{(3)}_2} = (z^{(3)}_2 - d_2)\, f'(u^{(3)}_2) = "
                r"(0.7729285 - 0.99) \times 0.7729285 \times (1 - 0.7729285) = -0.0380982")
    assert verdicts(SEED004, ("d", "delta_o2", japanese),
                    ("u", "delta_o2", japanese.replace("(z^{(3)}_2 - d_2)", "(u^{(3)}_2 - d_2)"))) == {
        "d": "correct", "u": "incorrect"}


def test_goodfellows_h_and_a_with_layer_superscripts() -> None:
    """Goodfellow's h^{(1)} = Φ(a^{(1)}): the first hidden layer's output and net input (a symbolic network)."""
    assert verdicts(SEED001,
                    ("w2", "dE/dW2_1", r"\frac{\partial J}{\partial W^{(2)}_1} = (\hat{y} - d)\, h^{(1)}_1 = "
                                       r"(\hat{y} - d)\, \Phi(a^{(1)}_1)"),
                    ("w2-prime", "dE/dW2_1", r"\frac{\partial J}{\partial W^{(2)}_1} = (\hat{y} - d)\, "
                                             r"\Phi'(a^{(1)}_1)"),
                    ("h3", "dE/dh3", r"\nabla_{h^{(1)}} J = w^{(2)} g \;\Rightarrow\; "
                                     r"\frac{\partial J}{\partial h^{(1)}_3} = W^{(2)}_3 (\hat{y} - d)"),
                    ("h3-sign", "dE/dh3", r"\frac{\partial J}{\partial h^{(1)}_3} = W^{(2)}_3 (d - \hat{y})")) == {
        "w2": "correct", "w2-prime": "incorrect", "h3": "correct", "h3-sign": "incorrect"}


def test_ngs_bracketed_layer_in_a_batch() -> None:
    """z^{[2]}_2 in a batch: Ng's layer 2 (the outputs) when its number says so, not sample 2."""
    line = r"z^{[2]}_2 = w_7 a_1 + w_8 a_2 + b_3 = 0.1 \times 0.2636248 + 0.2 \times 0.1194273 + 0.1 = "
    assert verdicts(SOFTMAX, ("z", "net_y2", line + "0.1502479"), ("slip", "net_y2", line + "0.1602479")) == {
        "z": "correct", "slip": "incorrect"}


def test_scientific_notation_with_an_upright_e() -> None:
    line = r"\partial Error/\partial w_5 = (out - y)\, h_1 = -0.809 \cdot 0.85 = {}"
    assert verdicts(EX / "seed002_linear.toml", ("e", "dE/dw5", line.format(r"-6.8765\mathrm{e}{-1}")),
                    ("wrong", "dE/dw5", line.format(r"-6.8765\mathrm{e}{-2}"))) == {
        "e": "correct", "wrong": "incorrect"}


def test_two_decimal_hand_work_drifts_past_three_percent_but_not_with_one_digit_numbers() -> None:
    """−0.50 × 0.56 + 0.80 × 0.50 = 0.12 for 0.1149 (h1 = 0.5622, h2 = 0.4950 rounded): 4.4% off, all explained by
    the numbers' rounding; −0.02 × 0.30 = −0.006 for −0.0051 is not (−0.02 is one digit of −0.017)."""
    assert verdicts(SEED000,
                    ("o2", "o2", r"In_{o2} = w_6 \cdot Out_{h1} + w_8 \cdot Out_{h2} = -0.50 \times 0.56 + 0.80 "
                                 r"\times 0.50 = 0.12 \\ Out_{o2} = \frac{1}{1 + e^{-0.12}} \approx 0.53"),
                    ("w3", "dE/dw3", r"\frac{\partial Error}{\partial In_{h_1}} = (0.06 \times 0.10 + 0.15 \times "
                                     r"(-0.50)) \times 0.56 \times 0.44 = -0.02 \\ "
                                     r"\frac{\partial Error}{\partial w_3} = -0.02 \times 0.30 = -0.006")) == {
        "o2": "correct", "w3": "incorrect"}


def test_mitchells_delta_when_the_derivative_is_asked() -> None:
    """δ_O = o(1 − o)(t − o) (Mitchell's), then ∂E/∂net_O = −δ_O: right; ∂E/∂net_O = δ_O with his δ: wrong."""
    mitchell = r"\delta_O = o(1 - o)(t - o), \qquad \frac{\partial E}{\partial net_O} = SIGN\delta_O"
    assert verdicts(SEED003, ("minus", "dE/dnet_O", mitchell.replace("SIGN", "-")),
                    ("plus", "dE/dnet_O", mitchell.replace("SIGN", ""))) == {"minus": "correct", "plus": "incorrect"}


def test_a_weights_current_value_before_the_next_update() -> None:
    """Before the second update w_5 = 0.3589165 is w5 now (not the asked new value); the update line decides."""
    second = (r"w_5 = 0.3589165 \\ \frac{\partial E}{\partial w_5} = (0.7420881 - 0.01) \times 0.7420881 \times "
              r"0.2579119 \times 0.5932568 = 0.0831252 \\ w_5 \leftarrow 0.3589165 - 0.5 \times 0.0831252 = ")
    assert verdicts(SEED004, ("w5", "w5+", second + "0.3173539", 1),
                    ("slip", "w5+", second + "0.3273539", 1)) == {"w5": "correct", "slip": "incorrect"}


def test_micrograds_grad_and_data() -> None:
    """micrograd's w_9.grad is ∂L/∂w_9 and h^{(1)}_1.data the value h_1 of sample 1."""
    w9 = (r"w_9.\text{grad} = \tfrac{1}{2}\left(z^{(1)}_3.\text{grad}\cdot h^{(1)}_1.\text{data} + "
          r"z^{(2)}_3.\text{grad}\cdot h^{(2)}_1.\text{data}\right) = \tfrac{1}{2}(0.27879939 \times 0.26362484 + "
          r"(-0.67310223)(-0.04995838)) = 0.05356277")
    assert verdicts(SOFTMAX, ("w9", "dE/dw9", w9),
                    ("w9-sum", "dE/dw9", w9.replace(r"\tfrac{1}{2}", "").replace("0.05356277", "0.10712553"))) == {
        "w9": "correct", "w9-sum": "incorrect"}


def test_pytorchs_grad_attribute_in_typewriter_type() -> None:
    r"""\texttt{z\_O.grad} (an escaped underscore in code) is ∂L/∂z_O, \texttt{w5.grad} is ∂L/∂w_5."""
    assert verdicts(SEED003,
                    ("zO", "dE/dnet_O", r"\texttt{z\_O.grad} = \texttt{a\_O.grad} \cdot \text{sigmoid}'(z_O)"
                                        r" = (a_O - \text{target})\, a_O (1 - a_O)"),
                    ("zO-no-prime", "dE/dnet_O", r"\texttt{z\_O.grad} = a_O - \text{target}"),
                    ("w5", "dE/dw5", r"\texttt{w5.grad} = \texttt{z\_O.grad} \cdot \texttt{h1.data}"
                                     r" = (a_O - \text{target})\, a_O (1 - a_O)\, a_{h1}"),
                    ("w5-other", "dE/dw5", r"\texttt{w5.grad} = (a_O - \text{target})\, a_O (1 - a_O)\, a_{h2}")) == {
        "zO": "correct", "zO-no-prime": "incorrect", "w5": "correct", "w5-other": "incorrect"}


def test_d2ls_batch_set_logits_and_a_layers_bias_assigned() -> None:
    r"""d2l: J = \frac{1}{|\mathcal{B}|}\sum_{i \in \mathcal{B}} l^{(i)} is the mean over the batch; o the logits
    (ŷ = softmax(o)), in a network without neurons named o; b^{(2)}_2 ← … is layer 2's second bias (b3) updated,
    not the parameter b2. The numbers are the bundled example's (test_truth_examples checks them)."""
    loss = r"J = \frac{1}{|\mathcal{B}|}\sum_{i \in \mathcal{B}} l^{(i)} = \frac{1}{2}(1.04748500 + 1.11810777)"
    update = (r"b^{(2)}_2 \leftarrow b^{(2)}_2 - \eta\, \frac{\partial J}{\partial b^{(2)}_2}"
              r" = 0.1 - 0.5 \times 0.36936542")
    assert verdicts(SOFTMAX,
                    ("J", "E", loss + " = 1.08279639"),
                    ("J-sum", "E", loss.replace(r"\frac{1}{|\mathcal{B}|}", "") + " = 1.08279639"),
                    ("y2", "y2", r"\hat{y}_2 = \frac{\exp(o_2)}{\sum_k \exp(o_k)} = 0.37038166"),
                    ("y2-o1", "y2", r"\hat{y}_2 = \frac{\exp(o_1)}{\sum_k \exp(o_k)} = 0.37038166"),
                    ("b3", "b3+", update + " = -0.08468271"),
                    ("b3-b2", "b3+", update.replace("0.1 -", "0.0 -") + " = -0.18468271")) == {
        "J": "correct", "J-sum": "incorrect", "y2": "correct", "y2-o1": "incorrect", "b3": "correct",
        "b3-b2": "incorrect"}


def test_aimas_err_and_delta_with_a_remark_beside_the_chain() -> None:
    r"""Russell & Norvig: Err_k = y_k − a_k is the output's error (not Han & Kamber's Err = −δ), Δ_k = Err_k g′(in_k)
    is −δ (a convention, kept on the sheet), a_{i1} is input i1; `\qquad (E = ½ Σ_k Err_k²)` is a remark, a chain of
    its own. Mazur's published numbers."""
    w5 = (r"Err_{o1} = y_{o1} - a_{o1} = -0.74136507, \qquad \Delta_{o1} = Err_{o1} \times g'(in_{o1}) = -0.13849856"
          "\n" r"w_{h1,o1} \leftarrow w_{h1,o1} + \alpha \times a_{h1} \times \Delta_{o1} = 0.35891648")
    w1 = (r"\frac{\partial E}{\partial w_{i1,h1}} = -a_{i1}\, \Delta_{h1} = -0.05 \times (-0.00877135)"
          r" = 4.38568 \times 10^{-4} \qquad (E = \tfrac{1}{2}\textstyle\sum_k Err_k^2)")
    assert verdicts(SEED004, ("w5", "w5+", w5), ("w1", "dE/dw1", w1),
                    ("w1-half", "dE/dw1", w1.replace(r"\tfrac{1}{2}", ""))) == {
        "w5": "correct", "w1": "correct", "w1-half": "incorrect"}


def test_a_remark_in_prose_brackets_and_an_underbrace_note_are_set_aside() -> None:
    r"""\text{（即 } w_7 \text{，…）} is a remark (the next line's '= …' continues the chain before it);
    \underbrace{x}_{\text{note}} is x."""
    line = (r"\frac{\partial E}{\partial w_7} = \delta_{o1}\, h_2 \quad \text{（即 } w_7\text{，从隐藏 2 到输出 1）}"
            "\n= 0.061605188 \\times 0.49500017 = 0.030494579")
    brace = (r"\frac{\partial C}{\partial W^{(2)}_2} = "
             r"\underbrace{\frac{\partial y}{\partial W^{(2)}_2}}_{\text{forward}} \cdot "
             r"\underbrace{\frac{\partial C}{\partial y}}_{\text{backward}} = \Phi(z_2)\,(y - d)")
    assert verdicts(SEED000, ("w7", "dE/dw7", line), ("w7-h1", "dE/dw7", line.replace("h_2", "h_1"))) == {
        "w7": "correct", "w7-h1": "incorrect"}
    assert verdicts(SEED001, ("W2", "dE/dW2_2", brace), ("W2-z1", "dE/dW2_2", brace.replace("z_2", "z_1"))) == {
        "W2": "correct", "W2-z1": "incorrect"}


def test_qius_layers_counted_from_the_first_hidden_one_and_an_entry_of_a_vector() -> None:
    r"""邱锡鹏: ∂L/∂W^{(2)}_{12} = δ^{(2)}_1 a^{(1)}_2 holds only with a^{(1)} the hidden layer, so the sheet counts so;
    [(W^{(2)})^⊤ δ^{(2)}]_1 is entry 1 of Wᵀδ (backwards through the layer). Seed 000's numbers."""
    w7 = (r"\frac{\partial \mathcal{L}}{\partial W^{(2)}_{12}} = \delta^{(2)}_1\, a^{(1)}_2"
          r" = 0.061605188 \times 0.49500017 = 0.030494579")
    h1 = (r"\frac{\partial \mathcal{L}}{\partial a^{(1)}_1} = \left[(W^{(2)})^{\top} \delta^{(2)}\right]_1"
          r" = 0.1 \times 0.0616052 + (-0.5) \times 0.1491811 = -0.0684300")
    assert verdicts(SEED000, ("w7", "dE/dw7", w7), ("h1", "dE/dh1", h1),
                    ("h1-2", "dE/dh1", h1.replace(r"\right]_1", r"\right]_2"))) == {
        "w7": "correct", "h1": "correct", "h1-2": "incorrect"}


def test_markdown_prose_with_inline_math_and_beamer_intertext() -> None:
    """A Jupyter cell: prose with $…$ pieces, each piece a line; a Beamer frame with \\intertext{where $…$}: the
    math in the prose is a where-line. Seed 003 is symbolic: the formulas are its truth."""
    cell = (r"The output error is $\delta_O = (out_O - target)\, out_O (1 - out_O)$, and so the gradient is"
            "\n" r"$$\frac{\partial E}{\partial w_5} = \delta_O\, out_{h1}$$ which is what we wanted.")
    frame = ("\\begin{frame}{Backward pass}\n\\begin{align*}\n"
             r"\frac{\partial E}{\partial w_5} &= out_{h1}\,\delta_O \\" "\n"
             r"\intertext{where $\delta_O = (out_O - target)\, out_O(1 - out_O)$, so}" "\n"
             r"\frac{\partial E}{\partial w_5} &= out_{h1}\,(out_O - target)\, out_O(1 - out_O)" "\n"
             "\\end{align*}\n\\end{frame}")
    assert verdicts(SEED003, ("cell", "dE/dw5", cell), ("cell-h2", "dE/dw5", cell.replace("out_{h1}", "out_{h2}")),
                    ("frame", "dE/dw5", frame), ("frame-no-prime", "dE/dw5", frame.replace(r", out_O(1 - out_O)", ""))
                    ) == {"cell": "correct", "cell-h2": "incorrect", "frame": "correct", "frame-no-prime": "incorrect"}


def test_words_of_other_languages_decimal_commas_and_hintons_y() -> None:
    r"""w_6^{\text{нов}} is the updated w6; 0{,}01 a decimal comma in an arithmetic line; t_{o1} − y_{o1} makes y the
    output (Hinton), not the target; w_{h_1 o_2} two unit names run together. Mazur's published numbers."""
    german = (r"E = \tfrac{1}{2}(0{,}01 - 0{,}75136507)^2 + \tfrac{1}{2}(0{,}99 - 0{,}772928465)^2"
              r" = 0{,}274811083 + 0{,}023560026 = 0{,}298371109")
    hinton = (r"\frac{\partial E}{\partial y_{o_1}} = -(t_{o_1} - y_{o_1}) = 0.7413650696, \quad "
              r"\frac{\partial E}{\partial w_{h_1 o_1}} = y_{h_1}\, y_{o_1}(1 - y_{o_1})"
              r" \frac{\partial E}{\partial y_{o_1}}"
              r" = 0.082167041")
    assert verdicts(SEED004, ("de", "E", german), ("de-slip", "E", german.replace("0{,}298371109", "0{,}2983")),
                    ("ru", "w5+", r"w_5^{\text{нов}} = w_5 - \eta \frac{\partial E}{\partial w_5} = 0.4 - 0.5 \times "
                                  r"0.082167041 = 0.35891648"),
                    ("ru-plus", "w5+", r"w_5^{\text{нов}} = w_5 + \eta \frac{\partial E}{\partial w_5} = 0.44108352"),
                    ("hinton", "dE/dw5", hinton), ("hinton-h2", "dE/dw5", hinton.replace("y_{h_1}", "y_{h_2}"))) == {
        "de": "correct", "de-slip": "incorrect", "ru": "correct", "ru-plus": "incorrect", "hinton": "correct",
        "hinton-h2": "incorrect"}


def test_raschkas_layer_words_and_a_delta_defined_as_the_gradient() -> None:
    r"""a^{(h)}_1, z^{(out)}, δ^{(out)}: Raschka's layers by word; Δb^{(out)} = δ^{(out)}, then b := b − η Δb:
    his Δ is the gradient, not the step."""
    update = (r"b^{(out)} := b^{(out)} - \eta\, \Delta b^{(out)}, \qquad \Delta b^{(out)} = \delta^{(out)}, \qquad "
              r"\delta^{(out)} = (a^{(out)} - \text{target})\, a^{(out)}(1 - a^{(out)})")
    assert verdicts(SEED003,
                    ("z", "net_O", r"z^{(out)} = w_5\, a^{(h)}_1 + w_6\, a^{(h)}_2 + b_2"),
                    ("z-in", "net_O", r"z^{(out)} = w_5\, a^{(in)}_1 + w_6\, a^{(in)}_2 + b_2"),
                    ("b2", "b2+", update), ("b2-plus", "b2+", update.replace(r"- \eta\, \Delta", r"+ \eta\, \Delta"))
                    ) == {"z": "correct", "z-in": "incorrect", "b2": "correct", "b2-plus": "incorrect"}


def test_a_sum_up_to_a_layers_size_and_numbers_left_as_arithmetic() -> None:
    r"""Duda–Hart–Stork's \sum_{k=1}^{c} runs over the c outputs; an answer that puts the numbers in but never works
    them out is incomplete; a 10-digit factor 0.1% off is not drift from rounding (its own digits are finer)."""
    loss = (r"J = \frac{1}{2}\sum_{k=1}^{c} (t_k - z_k)^2 = \frac{1}{2}(0.01 - 0.75136507)^2"
            r" + \frac{1}{2}(0.99 - 0.772928465)^2")
    delta = r"\delta_{o1} = (out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1}) = 0.7413650696 \times {} = 0.13849856"
    r = check(SEED004, ("J", "E", loss + " = 0.298371109"), ("J-open", "E", loss),
              ("d", "delta_o1", delta.replace("{}", "0.1868156018")),
              ("d-other", "delta_o1", delta.replace("{}", "0.1865937815")))
    assert {k: x.verdict for k, x in r.items()} == {"J": "correct", "J-open": "incorrect", "d": "correct",
                                                   "d-other": "incorrect"}
    assert "not worked out" in r["J-open"].diagnosis[0].message


def test_neurons_numbered_through_the_network_and_a_one_digit_given_number() -> None:
    r"""A German Musterlösung numbers the neurons 1…6 (w_{35}: from neuron 3 to 5, δ_5 = −∂E/∂net_5), names the
    checker cannot tie to the network: δ_5 means its own number, Δw_{35} = … is set aside, and the update is judged
    by its numbers; 0{,}5 is the given w_7 exactly, so leaving η out (0,5 + 0,0226 for 0,5 + 0,0113) is wrong."""
    right = (r"\delta_5 = o_5 (1 - o_5)(t_5 - o_5) = 0{,}1868156018 \cdot (0{,}01 - 0{,}7513650696) = -0{,}1384985616"
             "\n" r"\Delta w_{35} = \eta\, \delta_5\, o_3 = 0{,}5 \cdot (-0{,}1384985616) \cdot 0{,}5932699921"
             r" = -0{,}0410835203" "\n"
             r"w_{35}^{\text{neu}} = w_{35} + \Delta w_{35} = 0{,}4 - 0{,}0410835203 = 0{,}3589164797")
    no_eta = (r"\Delta w_{36} = \delta_6\, o_3 = 0{,}0380982365 \cdot 0{,}5932699921 = 0{,}0226025405, \qquad "
              r"w_{36}^{\text{neu}} = 0{,}5 + 0{,}0226025405 = 0{,}5226025405")
    assert verdicts(SEED004, ("w5", "w5+", right), ("w7-no-eta", "w7+", no_eta)) == {
        "w5": "correct", "w7-no-eta": "incorrect"}


def test_a_boxed_answer_3blue1browns_cost_and_prose_around_a_display() -> None:
    r"""\boxed{0.0822} is the number written; 3Blue1Brown's C_0 (the cost of one example) and
    \sum_{j=0}^{n_L - 1} over the outputs; a Markdown answer that sets an align block in prose with a $…$ where-line."""
    cost = (r"C_0 = \sum_{j=0}^{n_L - 1} \tfrac{1}{2}\left(a^{(L)}_j - y_j\right)^2 = \tfrac{1}{2}(0.75136507 - 0.01)^2"
            r" + \tfrac{1}{2}(0.772928465 - 0.99)^2 = \boxed{0.298371109}")
    mixed = ("So the gradient is\n\\begin{align}\n"
             r"\frac{\partial E_{total}}{\partial w_5} &= \delta_{o1}\, out_{h1} \nonumber \\" "\n"
             r"&= 0.138498562 \times 0.593269992 = 0.082167041" "\n\\end{align}\n"
             r"where $\delta_{o1} = (out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1}) = 0.138498562$.")
    assert verdicts(SEED004, ("C0", "E", cost), ("C0-slip", "E", cost.replace("0.298371109", "0.2938")),
                    ("mixed", "dE/dw5", mixed), ("mixed-h2", "dE/dw5", mixed.replace("0.593269992 = 0.082167041",
                                                                                     "0.596884378 = 0.082667627"))) == {
        "C0": "correct", "C0-slip": "incorrect", "mixed": "correct", "mixed-h2": "incorrect"}


def test_a_batch_line_with_the_net_input_where_its_activation_belongs_is_wrong() -> None:
    """softmax_batch: (1 − 0.27²) puts net_{h1} = 0.27 where tanh(net_{h1}) = h_1 = 0.2636 belongs; the product stays
    within 0.4 % of the truth, which the formula's own value before it must not excuse."""
    line = (r"\frac{\partial L^{(1)}}{\partial h_1} = -0.399072, \qquad "
            r"\delta_{h_1}^{(1)} = \left(1 - \tanh^2 a_1\right) \frac{\partial L^{(1)}}{\partial h_1}"
            r" = \left(1 - H^2\right)(-0.399072) \approx D")
    assert verdicts(SOFTMAX, ("right", "delta_h1", line.replace("H", "0.263625").replace("D", "-0.371338")),
                    ("net", "delta_h1", line.replace("H", "0.27").replace("D", "-0.369980"))) == {
        "right": "correct", "net": "incorrect"}


def test_a_blogs_sample_marks_and_prose_words() -> None:
    """A blog post's prose: `\\text{Finally }` before the line, `\\#1` inside \\text (sample #1), and the sample
    written as a superscript `^{\\#2}` (as `^{(2)}`); each right line has a wrong twin that is rejected."""
    w6 = (r"\frac{\partial E}{\partial w_6} = \frac{1}{2}\left(\delta_1^{\#1} a_2^{\#1} + "
          r"\delta_1^{\#2} a_2^{\#2}\right)")
    assert verdicts(SEED004,
                    ("fin", "dE/dw5", r"\text{Finally } \frac{\partial E}{\partial w_5} = 0.0822"),
                    ("fin-slip", "dE/dw5", r"\text{Finally } \frac{\partial E}{\partial w_5} = 0.0827"),
                    ("hash", "dE/dw5", r"\text{For sample \#1:} \quad \frac{\partial E}{\partial w_5} = 0.0822"),
                    ("hash-slip", "dE/dw5", r"\text{For sample \#1:} \quad \frac{\partial E}{\partial w_5} = 0.0827"),
                    ) == {"fin": "correct", "fin-slip": "incorrect", "hash": "correct", "hash-slip": "incorrect"}
    assert verdicts(SOFTMAX, ("w6", "dE/dw6", w6 + " = -0.017571"), ("w6-slip", "dE/dw6", w6 + " = -0.017671")) == {
        "w6": "correct", "w6-slip": "incorrect"}


def test_a_sum_without_limits_runs_over_the_layer_its_names_index() -> None:
    """Σ_j h_j W²_j (seed 001, three hidden neurons, one output): j runs over the hidden layer, whose neurons
    h1…h3 the names it indexes belong to — not over the one output; Σ_k over o_k stays over the outputs."""
    assert verdicts(SEED001, ("y", "y", r"y = \sum_j h_j W^2_j"), ("y-x", "y", r"y = \sum_j x_j W^2_j"),
                    ("y-short", "y", r"y = h_1 W^2_1 + h_2 W^2_2")) == {
        "y": "correct", "y-x": "incorrect", "y-short": "incorrect"}
    assert verdicts(SEED004, ("E", "E", r"E = \sum_k \frac{1}{2}(t_k - o_k)^2 = 0.298371"),
                    ("E-slip", "E", r"E = \sum_k \frac{1}{2}(t_k - o_k)^2 = 0.293871")) == {
        "E": "correct", "E-slip": "incorrect"}


def test_a_name_mentioned_in_prose_beside_an_equation_is_not_a_claim() -> None:
    """'the error times whatever came in, here h_1:' then the equation: h_1 alone between prose is a word of the
    sentence (it was judged as the answer, and wrong); the equation decides."""
    line = r"\text{Weights get the error times whatever came in, here } out_{h1}\text{:} \quad "
    assert verdicts(SEED004, ("w5", "dE/dw5", line + r"\frac{\partial E}{\partial w_5} = 0.0822"),
                    ("w5-slip", "dE/dw5", line + r"\frac{\partial E}{\partial w_5} = 0.0827"),
                    ("alone", "dE/dw5", r"out_{h1}")) == {"w5": "correct", "w5-slip": "incorrect",
                                                           "alone": "incorrect"}
