"""Readings of session 53, from answers of tune50 (measure48, written blind), tune48 and older development parts that
were judged wrongly. Each right form has a wrong twin that must stay rejected, or a wrong answer whose diagnosis must
name its mistake; each failed on the checker at the session's start (8e73aef). Numbers come from the corpus's own truth
(tests/corpus/truth_values.py, through `_n`: the spec read with tomllib, an mpmath forward pass and central
differences); symbolic answers are derived by hand in the docstring."""

from __future__ import annotations

from test_check import SEED000, SEED002, SEED004, check, right_and_twin
from test_check_reading_n import SEED001, SOFTMAX, _n


def _kind(spec, quantity: str, text: str, *before: tuple[str, str, str], step: int | None = None) -> str:
    """The verdict and first diagnosis of one wrong answer (after `before`, as one student's sheet)."""
    answer = ("x", quantity, text, *((step,) if step is not None else ()))
    r = check(spec, *before, answer)["x"]  # type: ignore[arg-type]
    return f"{r.verdict} {r.diagnosis[0].kind if r.diagnosis else '-'}"


def test_a_two_role_letter_confirmed_by_its_definition_keeps_its_role() -> None:
    r"""An assignment's (a) z^{(1)}_1 = w_1 x^{(1)}_1 + w_2 x^{(1)}_2 + b_1 = 0.27: z the net input of the hidden layer
    (Ng's reading, its first), so (n)'s ∂L^{(1)}/∂z_2 is hidden unit 2's δ, not output 2's. Softmax batch, sample 1:
    δ_h2 = ∂L/∂a_2 · (1 − a_2²) with ∂L/∂a_2 = 0.436110 and a_2 = tanh(0.12); the twin uses the sigmoid's a(1 − a)."""
    first = ("a", "net_h1", r"\[ z^{(1)}_1 = w_1 x^{(1)}_1 + w_2 x^{(1)}_2 + b_1 = 0.3(0.5) + (-0.1)(-0.2) + 0.1 "
                            r"= 0.27 \]")
    h2 = _n(SOFTMAX, "h2", 6)
    sheet = r"\[ \frac{\partial L^{(1)}}{\partial z_2} = (0.436110) \times {d} = {v} \]"
    right = sheet.replace("{d}", f"(1 - {h2}^2)").replace("{v}", _n(SOFTMAX, "delta_h2", 6))
    right_and_twin(SOFTMAX, "delta_h2", right, sheet.replace("{d}", f"{h2}(1 - {h2})").replace("{v}", "0.045856"),
                   first)


def test_a_remark_saying_what_was_differentiated() -> None:
    r"""A re-grading request's "d) $\dfrac{\partial E}{\partial out} = out - y = 0,191 - 1 = -0,809$ \quad (derivando
    $\tfrac12 (out - y)^2$)": the bracket says what the derivative came from, not a value of it. Seed 002 (linear,
    E = ½(out − y)²): ∂E/∂out = out − y; the twin writes y − out."""
    sheet = (r"d) $\dfrac{{\partial E}}{{\partial out}} = {f} = {n} = {v}$ \quad (derivando $\tfrac12 (out - y)^2$)")
    right_and_twin(SEED002, "dE/dout", sheet.format(f="out - y", n="0,191 - 1", v="-0,809"),
                   sheet.format(f="y - out", n="1 - 0,191", v="0,809"))


def test_a_range_of_weights_given_a_list_and_a_word_before_its_value() -> None:
    r"""A shared doc's "$i_1 = 2,\ i_2 = 3$，actual $= 1$，$w_1 \dots w_6 = 0.11, 0.21, …$": the given values as a
    list after a range of names, and the target's word before "$= 1$". Seed 002: out = h_1 w_5 + h_2 w_6 = 0.191; the
    twin swaps w_5 and w_6."""
    sheet = ("> 题目：$i_1 = 2,\\ i_2 = 3$，actual $= 1$，$w_1 \\dots w_6 = 0.11, 0.21, 0.12, 0.08, 0.14, 0.15$。\n\n"
             "$$prediction = h_1 w_5 + h_2 w_6 = {n} = {v}$$\n")
    right_and_twin(SEED002, "out", sheet.format(n=r"0.85 \times 0.14 + 0.48 \times 0.15", v=_n(SEED002, "out", 3)),
                   sheet.format(n=r"0.85 \times 0.15 + 0.48 \times 0.14", v="0.1947"))


def test_one_ideograph_between_pieces_of_math_is_prose() -> None:
    r"""A Jianshu article's "$h_2$ 经 $w_7$ 连 $o_1$、经 $w_8$ 连 $o_2$：": single characters of prose between the
    names. Seed 000: ∂E/∂w_2 = (δ_{o1} w_7 + δ_{o2} w_8) h_2(1 − h_2) x_1 … in the sheet's names; the twin writes
    tanh's 1 − h_2²."""
    sheet = ("$h_2$ 经 $w_7$ 连 $o_1$、经 $w_8$ 连 $o_2$：\n\n"
             "$$\\frac{{\\partial Error}}{{\\partial w_2}} = (\\delta_{{o_1}} w_7 + \\delta_{{o_2}} w_8)\\times {d}"
             "\\times x_1$$\n")
    right_and_twin(SEED000, "dE/dw2", sheet.format(d="h_2(1 - h_2)"), sheet.format(d="(1 - h_2^2)"))


def test_a_formula_closing_a_sentence_after_the_answer_is_a_mention() -> None:
    r"""A newsletter's footnote "[1] Any squashing function works; the logistic one just has the cute derivative
    $\sigma(1-\sigma)$.": a formula named at a sentence's end, after the answer, claims nothing. Seed 004: w_3⁺ = 0.25 −
    0.5 · ∂E/∂w_3; the twin adds the step."""
    sheet = ("$$w_3^{{+}} = 0.25 {s} 0.5 \\cdot {g} = {v}$$\n\n"
             "[1] Any squashing function works; the logistic one just has the cute derivative $\\sigma(1-\\sigma)$.\n")
    g = _n(SEED004, "dE/dw3", 6)
    right_and_twin(SEED004, "w3+", sheet.format(s="-", g=g, v=_n(SEED004, "w3+", 9)),
                   sheet.format(s="+", g=g, v="0.250248857"))


def test_a_sum_over_j_into_one_output_runs_over_the_hidden_units() -> None:
    r"""A revision pack's "y = \sum_j W^{(2)}_j \Phi(net_j)": on a network with one output, a sum without limits whose
    weights are indexed by j runs over the hidden units (three here), not over the outputs. Seed 001: y = Σ_j W^2_j
    Φ(net_j); the twin writes Φ′."""
    sheet = r"\[ y = \sum_j W^{(2)}_j \{f}(net_j) \]"
    right_and_twin(SEED001, "y", sheet.replace("{f}", "Phi"), sheet.replace("{f}", "Phi'"))


def test_a_derivative_named_then_claimed_on_the_next_line() -> None:
    r"""An exercise sheet's "(13) 同様に $\delta_3 := \partial E/\partial In_{h_3}$ を求めよ．" then
    "\[ \delta_3 = (y - d)\, W^{(2)}_3 \]": δ_3 named as ∂E/∂In_h3 on one line and claimed equal to a formula on the
    next is one quantity, not the student's own name twice. Seed 001: δ_3 = (y − d) W^2_3 Φ′(In_h3); the twin (Φ′
    left out) names the missing derivative."""
    sheet = ("(13) 同様に $\\delta_3 := \\partial E/\\partial In_{{h_3}}$ を求めよ．\n"
             "\\[ \\delta_3 = (y - d)\\, W^{{(2)}}_3{d} \\]\n")
    right_and_twin(SEED001, "delta_h3", sheet.format(d=r"\, \Phi'(In_{h_3})"), sheet.format(d=""))
    assert _kind(SEED001, "delta_h3", sheet.format(d="")) == "incorrect missing_activation_derivative"


def test_numbers_put_in_for_factors_beside_a_wrong_derivative() -> None:
    r"""A Jianshu line "δ_4 = ∂Error/∂w_4 = 1.0086e-01 × (1 − h_2²) × 0.3": the first number is the value of the sum
    (δ_{o1} w_7 + δ_{o2} w_8), the last x_2; the formula left is tanh's derivative where the sigmoid's belongs — named
    so, not as a factor missing. Seed 000."""
    got = _kind(SEED000, "dE/dw4", r"$$\delta_4 = \frac{\partial Error}{\partial w_4} = 1.0086e-01 \times "
                                   r"(1 - h_2^2) \times 0.3 = 2.2845e-02$$")
    assert got in ("incorrect activation_derivative_wrong", "incorrect wrong_activation_derivative"), got


def test_the_step_alone_where_the_new_weight_is_asked() -> None:
    r"""A lab report's second step "Δw_8 = −η ∂E/∂w_8 = −0.071105", asked for the new w_8: the step, not the weight
    after it — another quantity, named. Seed 004: Δw_5 = −η ∂E/∂w_5."""
    g = _n(SEED004, "dE/dw5", 8)
    step = f"-{float(g) / 2:.9f}"
    got = _kind(SEED004, "w5+",
                rf"\[ \Delta w_5 = -\eta \frac{{\partial E}}{{\partial w_5}} = -0.5 \times {g} = {step} \]")
    assert got == "incorrect other_quantity", got


def test_a_stale_hidden_value_in_a_linear_output() -> None:
    r"""A shared doc's second round "prediction = h_1 w_5 + h_2 w_6 = 0.85 × 0.1743825 + 0.48 × 0.169416": the new
    weights, but the first round's hidden values (0.85, 0.48) — found through the linear output's definition (out =
    net_out = h_1 w_5 + h_2 w_6). Seed 002, step 1."""
    w5, w6 = _n(SEED002, "w5+", 7), _n(SEED002, "w6+", 6)
    got = _kind(SEED002, "out",
                f"$$prediction = h_1 w_5 + h_2 w_6 = 0.85 \\times {w5} + 0.48 \\times {w6} = 0.229545$$", step=1)
    assert got == "incorrect wrong_substituted_value", got


def test_a_label_written_y_gives_y_the_targets() -> None:
    r"""A Juejin article's "（样本1：$x = (0.5, -0.2)$，标签 $y = (1, 0, 0)$）": y = (1, 0, 0) is the one-hot label,
    the targets — y_2 = 0 is no output's value. Softmax batch: z_2 = w_3 x_1 + w_4 x_2 + b_1 = 0.12; the twin swaps
    the inputs."""
    sheet = ("### 1. 前向传播（样本1：$x = (0.5, -0.2)$，标签 $y = (1, 0, 0)$）\n"
             "$$z_2 = w_3 x_1 + w_4 x_2 + b_1 = {n} = {v}$$\n")
    right_and_twin(SOFTMAX, "net_h2", sheet.format(n=r"0.2 \times 0.5 + 0.4 \times (-0.2) + 0.1", v="0.12"),
                   sheet.format(n=r"0.2 \times (-0.2) + 0.4 \times 0.5 + 0.1", v="0.26"))


def test_a_value_changed_from_one_number_to_another_in_words() -> None:
    r"""A Juejin article's "即 $L$ 从 1.0828 降到 0.9338。" (L drops from 1.0828 to 0.9338) and its English form
    "$E$ dropped from … to …": the name's new value. Softmax batch, the loss after one step; the twin slips a digit."""
    new = _n(SOFTMAX, "E", 4, step=1)
    right_and_twin(SOFTMAX, "E", f"即 $L$ 从 1.0828 降到 {new}。", "即 $L$ 从 1.0828 降到 0.9438。", step=1)
    right_and_twin(SOFTMAX, "E", f"After the step $J$ dropped from 1.0828 to {new}.",
                   "After the step $J$ dropped from 1.0828 to 0.9438.", step=1)


def test_a_number_in_a_remark_before_a_two_role_head() -> None:
    r"""A supervision's "\emph{(N.B. re-added: the sum is $1.224921$.)}" above "y_2 = σ(z^{(2)}_2) = σ(1.224921) =
    0.772928" (after 3(a)'s z^{(1)}_1, the layers numbered from the hidden one): y_2, a two-role letter read as the
    asked output on its own line, makes the number before it a remark. Seed 004: out_o2; the twin slips a digit."""
    first = ("a", "net_h1", r"\[ z^{(1)}_1 = w_1 i_1 + w_2 i_2 + b_1 = 0.15(0.05) + 0.20(0.10) + 0.35 = 0.3775 \]")
    sheet = ("\\emph{{(N.B. re-added: the sum is $1.224921$.)}}\n"
             "\\[ y_2 = \\sigma\\bigl(z^{{(2)}}_2\\bigr) = \\sigma(1.224921) = {v} \\]\n")
    right_and_twin(SEED004, "o2", sheet.format(v=_n(SEED004, "o2", 6)), sheet.format(v="0.762928"), first)


def test_units_numbered_through_the_network() -> None:
    r"""Buduma's numbering: inputs y_1, y_2, hidden units 3, 4, outputs 5, 6 (t_5, t_6), the logit z_4 of hidden unit 2
    and its bias b_4. Seed 004: z_4 = w_14 y_1 + w_24 y_2 + b_4 = net_h2 = 0.3925; the twin swaps the inputs."""
    sheet = ("Inputs $y_1 = 0.05$, $y_2 = 0.10$; hidden units 3, 4; output units 5, 6 with $t_5 = 0.01$, "
             "$t_6 = 0.99$.\n"
             "\\[ z_4 = w_{{14}} y_1 + w_{{24}} y_2 + b_4 = {n} = {v} \\]\n")
    right_and_twin(SEED004, "net_h2", sheet.format(n="0.25(0.05) + 0.30(0.10) + 0.35", v="0.3925"),
                   sheet.format(n="0.25(0.10) + 0.30(0.05) + 0.35", v="0.39"))


def test_a_printed_number_that_is_a_slips_value() -> None:
    r"""A devlog's comment "// w5: 0.4 + 0.5 * 0.082167041 = 0.441083521": no line read gives w_5⁺, but the number
    written is, to its digits, the update with its sign turned (w + η g): that slip is named, not "incomplete". Seed
    004."""
    g = _n(SEED004, "dE/dw5", 8)
    text = f"// devlog, typed from the formula w += lr * dE/dw:\n// w5: 0.4 + 0.5 * {g} = {0.4 + float(g) / 2:.9f}\n"
    assert _kind(SEED004, "w5+", text) == "incorrect update_sign"


def test_han_and_kambers_err_and_a_rounded_number_carried_to_the_next_chain() -> None:
    r"""Han & Kamber's units numbered through the network (O_5 the first output, T_5 its target) and their Err_j =
    O_j(1 − O_j)(T_j − O_j) = −∂E/∂I_j, worked from O_5 rounded to 0.751 (−0.1386, the exact value −0.138499); then
    ∂E/∂I_5 = −Err_5 = 0.1386: the number judged a rounding a line above, carried. Seed 004: δ_o1; the twin's last
    number is another."""
    sheet = ("\\[ Err_5 = O_5(1 - O_5)(T_5 - O_5) = 0.751(1 - 0.751)(0.01 - 0.751) = -0.1386 \\]\n"
             "\\[ \\frac{{\\partial E}}{{\\partial I_5}} = -Err_5 = {v} \\]\n")
    right_and_twin(SEED004, "delta_o1", sheet.format(v="0.1386"), sheet.format(v="0.1396"))


def test_a_sum_over_the_next_layer_in_the_numbering_through_the_network() -> None:
    r"""Buduma's "∂E/∂y_4 = \sum_j w_{4j} y_j(1 − y_j) ∂E/∂y_j" with units numbered through the network (inputs 1, 2,
    hidden 3, 4, outputs 5, 6): j runs over the outputs 5, 6, the units unit 4's weights go into. Seed 004: ∂E/∂out_h2
    = Σ_j w_{4j} σ′(net_j) ∂E/∂out_j; the twin writes w_{3j}, hidden unit 1's weights."""
    sheet = ("Inputs $y_1 = 0.05$, $y_2 = 0.10$; hidden units 3, 4; output units 5, 6 with $t_5 = 0.01$, "
             "$t_6 = 0.99$.\n"
             "\\[ \\frac{{\\partial E}}{{\\partial y_4}} = \\sum_j w_{{{k}j}}\\, y_j(1 - y_j)\\frac{{\\partial E}}"
             "{{\\partial y_j}} = 0.45({d5}) + 0.55({d6}) = {v} \\]\n")
    d5, d6, v = _n(SEED004, "delta_o1", 8), _n(SEED004, "delta_o2", 8), _n(SEED004, "dE/dh2", 8)
    right_and_twin(SEED004, "dE/dh2", sheet.format(k=4, d5=d5, d6=d6, v=v), sheet.format(k=3, d5=d5, d6=d6, v=v))
