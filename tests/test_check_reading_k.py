"""Readings of session 35, from answers of tune21 (measure17) and tune22 (measure18) that were judged wrongly: a
spreadsheet's cells handed in as a tabular, Org-mode's \\( … \\) and math pieces between list bullets, a chat's
emoji, stickers, @mentions, time stamps and words after the last number, Heaton's ideal/actual and his E = ideal −
actual for every output, a formula or arithmetic on the way to the asked quantity, σ' written as s'_{o2}, CS221's
computation graph (f_{h_1}, g_{h_2}, TrainLoss, |D_train|, Σ over the examples, p^{(1)}_1), GitHub's ```math
blocks and code fences, tuples of values, a batch's rounded value next to an exact one. Each right form has a wrong
twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read
with tomllib, mpmath forward pass and central differences)."""

from __future__ import annotations

import mpmath as mp
from test_check import SEED000, SEED002, SEED004, check, verdicts

from corpus.truth_values import numeric_value, value_text

SOFTMAX = SEED004.with_name("softmax_batch.toml")


def _n(spec, quantity: str, digits: int, step: int = 0) -> str:
    return value_text(spec.name, quantity, digits, step)


def _slope(spec, neuron: str, digits: int) -> str:
    """o(1 − o) of a sigmoid neuron, from its true output."""
    o = numeric_value(spec.name, neuron)
    return mp.nstr(o * (1 - o), digits)


def _table(rows: list[tuple[str, str, str]]) -> str:
    body = "".join(rf"{cell} (${name}$) & \texttt{{=B2*C2}} & ${value}$ \\" + "\n" for cell, name, value in rows)
    return "Cells of my workbook:\n\\begin{tabular}{lll}\n\\hline\nCell & Formula & Value \\\\ \\hline\n" + body \
        + "\\hline\n\\end{tabular}\n"


def test_a_spreadsheets_cells_in_a_tabular_are_read_row_by_row() -> None:
    """A row `H3 ($Out_{h_1}$) & \\texttt{=…} & $0.562176501$` says the quantity of its first math cell has the value
    of its second: each row is judged, so a wrong cell is found even when the line after the table is right."""
    rows = [("H2", "In_{h_1}", _n(SEED000, "net_h1", 9)), ("H3", "Out_{h_1}", _n(SEED000, "h1", 9))]
    after = rf"$Out_{{h_1}} = \frac{{1}}{{1 + e^{{-0.25}}}} = {_n(SEED000, 'h1', 9)}$"
    wrong = [rows[0], ("H3", "Out_{h_1}", _n(SEED000, "h2", 9))]
    assert verdicts(SEED000, ("right", "h1", _table(rows) + after), ("twin", "h1", _table(wrong) + after)) == {
        "right": "correct", "twin": "incorrect"}


def test_org_mode_inline_math_and_pieces_between_bullets() -> None:
    r"""Org-mode writes inline math as \( … \) (a display as \[ … \]); a Markdown list whose items are only math
    ($…$ and $$…$$ with nothing but bullets around) is one line per piece."""
    value = _n(SEED004, "net_h1", 4)
    org = r"- the net input of \(h_1\):" + "\n" \
        + rf"  \[ net_{{h1}} = 0.15 \cdot 0.05 + 0.2 \cdot 0.1 + 0.35 = {value} \]"
    bullets = r"- $net_{h1} = w_1 i_1 + w_2 i_2 + b_1$" + "\n\n" + rf"  $$net_{{h1}} = {value}$$"
    twin = bullets.replace(value, "0.3875")
    assert verdicts(SEED004, ("org", "net_h1", org), ("bullets", "net_h1", bullets), ("twin", "net_h1", twin)) == {
        "org": "correct", "bullets": "correct", "twin": "incorrect"}


def test_a_chat_messages_decorations_are_not_math() -> None:
    """A chat: the sender and time ("小林 21:03"), an @mention, WeChat's [捂脸] and [OK], Discord's :tada:, an emoji,
    words after the last number ("bumaba na 🎉"), "样本1：" (a sample's number in the prose) — none is a claim."""
    h1 = _n(SEED002, "h1", 2)
    chat = f"小林 21:03\n@阿杰 样本1：h1 = 2*0.11 + 3*0.21 = {h1} [OK] :tada:\n好了 [捂脸]"
    taglish = f"h1 = 2*0.11 + 3*0.21 = {h1}  ayos na 🎉"
    twin = chat.replace(f"= {h1} ", "= 0.83 ")
    assert verdicts(SEED002, ("chat", "h1", chat), ("taglish", "h1", taglish), ("twin", "h1", twin)) == {
        "chat": "correct", "taglish": "correct", "twin": "incorrect"}


def test_actual_is_the_output_beside_an_ideal_and_the_target_beside_a_prediction() -> None:
    r"""Heaton: ideal (the target) − actual (the output); hmkcode: prediction − actual (the target); "out − actual"
    of one output: the target. Heaton's E = ideal − actual, said once for every output, makes E_{o1} the first
    output's ideal − actual (not Mazur's E_{o1} = ½(t − o)²) in that answer and later ones."""
    o2 = _n(SEED004, "o2", 9)
    heaton = rf"$$\text{{actual}}_{{o2}} = s(1.224921404) = {o2}$$"
    e_o1 = f"{0.01 - float(_n(SEED004, 'o1', 9)):.9f}"
    rule = (r"Output node delta, with $E = \text{ideal} - \text{actual}$:" + "\n"
            + rf"$$E_{{o1}} = 0.01 - {_n(SEED004, 'o1', 9)} = {e_o1}$$" + "\n"
            + rf"$$\delta_{{o1}} = -E_{{o1}}\, s'_{{o1}} = {e_o1[1:]} \cdot {_slope(SEED004, 'o1', 9)}"
            + rf" = {_n(SEED004, 'delta_o1', 9)}$$")
    mazur = rule.replace(r"with $E = \text{ideal} - \text{actual}$", "so")
    assert verdicts(SEED004, ("heaton", "o2", heaton), ("rule", "delta_o1", rule),
                    ("twin", "o2", heaton.replace(o2, "0.99"))) == {
        "heaton": "correct", "rule": "correct", "twin": "incorrect"}
    assert verdicts(SEED004, ("mazur", "delta_o1", mazur))["mazur"] != "correct"  # E_o1 is ½(t − o)² there
    prediction = r"$$\frac{\partial Error}{\partial w_6} = (prediction - actual)\, h_2 = (0.191 - 1) \times 0.48" \
        + rf" = {_n(SEED002, 'dE/dw6', 5)}$$"
    out = rf"$$\Delta = out - actual = 0.191 - 1 = {_n(SEED002, 'dE/dout', 3)}$$"
    assert verdicts(SEED002, ("prediction", "dE/dw6", prediction), ("out", "dE/dout", out)) == {
        "prediction": "correct", "out": "correct"}


def test_a_formula_on_the_way_to_the_asked_quantity_is_a_step_of_it() -> None:
    r"""Σ_k w_{(h1,k)} δ_k = 0.40 · δ_{o1} + 0.50 · δ_{o2} = 0.03635, then δ_{h1} = s'_{h1} · 0.03635: the first
    chain is about its own formula (∂E/∂out_h1), not the asked δ_h1. Without the later line, it is judged against
    the asked quantity and rejected."""
    sum_line = (rf"$$w_5 \delta_{{o1}} + w_7 \delta_{{o2}} = 0.40 \cdot {_n(SEED004, 'delta_o1', 9)} + 0.50 \cdot "
                rf"({_n(SEED004, 'delta_o2', 9)}) = {_n(SEED004, 'dE/dh1', 9)}$$")
    delta = rf"$$\delta_{{h1}} = {_slope(SEED004, 'h1', 9)} \cdot {_n(SEED004, 'dE/dh1', 9)} = " \
        rf"{_n(SEED004, 'delta_h1', 9)}$$"
    assert verdicts(SEED004, ("right", "delta_h1", sum_line + "\n" + delta), ("alone", "delta_h1", sum_line)) == {
        "right": "correct", "alone": "incorrect"}


def test_arithmetic_whose_result_a_later_line_uses_is_a_step_of_that_line() -> None:
    """Per sample, then the mean: `x^{(1)}: a · b = p`, `x^{(2)}: c · d = q`, then ∂E/∂w5 = ½(p + q). The lines of
    numbers are checked as arithmetic; the last line decides. A slip in a per-sample product stays wrong."""
    p1, p2 = -0.649181051 * 0.263624835, 0.304753047 * -0.049958375
    lines = (rf"$$x^{{(1)}}: \ -0.649181051 \cdot 0.263624835 = {p1:.9f}, \qquad x^{{(2)}}: \ 0.304753047 \cdot "
             rf"(-0.049958375) = {p2:.9f}$$" + "\n"
             rf"$$\frac{{\partial E}}{{\partial w_5}} = \tfrac12\,({p1:.9f} {p2:+.9f}) = {_n(SOFTMAX, 'dE/dw5', 9)}$$")
    assert abs(float(_n(SOFTMAX, "dE/dw5", 9)) - (p1 + p2) / 2) < 1e-8
    slip = lines.replace(f"= {p1:.9f},", f"= {p1 - 0.01:.9f},")
    assert verdicts(SOFTMAX, ("right", "dE/dw5", lines), ("slip", "dE/dw5", slip)) == {
        "right": "correct", "slip": "incorrect"}


def test_cs221_graph_names_and_the_mean_over_the_training_set() -> None:
    r"""CS221: f_{h_1} the forward value of node h1, g_{h_2}\,(1 − f_{h_2}^2) a backward value times a bracket (not a
    function g applied), TrainLoss(w) = (1/|D_train|) Σ_{(x,y)∈D_train} Loss(x, y, w), p^{(1)}_1 the probability of
    class 1 for example 1."""
    loss = (r"$$\text{Loss}(x^{(1)}, y^{(1)}, \mathbf{w}) = -\log p^{(1)}_1 = -\log 0.350818949 = 1.047485004$$" "\n"
            r"$$\text{TrainLoss}(\mathbf{w}) = \frac{1}{|\mathcal{D}_{\text{train}}|}\sum_{(x,y) \in "
            r"\mathcal{D}_{\text{train}}} \text{Loss}(x, y, \mathbf{w}) = \frac{1.047485004 + 1.118107771}{2} = "
            rf"{_n(SOFTMAX, 'E', 9)}$$")
    g = (rf"$$g_{{h_2}} = {_n(SOFTMAX, 'dE/dh2', 9)}$$" + "\n"
         rf"$$g_{{s_2}} = g_{{h_2}}\,(1 - f_{{h_2}}^2) = {_n(SOFTMAX, 'dE/dh2', 9)} \cdot (1 - "
         rf"{_n(SOFTMAX, 'h2', 9)}^2) = {_n(SOFTMAX, 'delta_h2', 9)}$$")
    assert verdicts(SOFTMAX, ("loss", "E", loss), ("twin", "E", loss.replace("{2} = ", "{1} = ")),
                    ("g", "delta_h2", g)) == {"loss": "correct", "twin": "incorrect", "g": "correct"}


def test_github_math_blocks_and_code_fences() -> None:
    """GitHub's ```math block is a display; any other fence (a REPL session) is set aside; inline `code` holds a
    formula typed as code."""
    o1 = _n(SEED004, "o1", 8)
    issue = ("### Forward pass\n`backward()` differs from my hand calculation:\n```math\n"
             rf"out_{{o1}} = \frac{{1}}{{1 + e^{{-1.105905967}}}} = {o1}" + "\n```\n"
             "```python\n>>> torch.sigmoid(z)\ntensor(0.7514)\n```\n")
    plain = f"with `out = sigmoid(1.105905967)` we get\nout_o1 = {o1}"
    assert verdicts(SEED004, ("issue", "o1", issue), ("plain", "o1", plain),
                    ("twin", "o1", issue.replace(o1, "0.7731"))) == {
        "issue": "correct", "plain": "correct", "twin": "incorrect"}


def test_a_name_equal_to_a_tuple_is_its_entries() -> None:
    r"""x^{(1)} = (0.5, −0.2), ŷ^{(1)} = (…), ∂L^{(2)}/∂z = (…): each entry is the name with that index."""
    y = ", ".join(_n(SOFTMAX, q, 4) for q in ("y1", "y2", "y3"))
    answer = rf"$x^{{(1)}} = (0.5, -0.2)$ and $\hat{{y}}^{{(1)}} = ({y})$, so " \
        + rf"$\hat y^{{(1)}}_2 = {_n(SOFTMAX, 'y2', 4)}$"
    swapped = answer.replace(f"({y})", "(" + ", ".join(reversed(y.split(", "))) + ")")
    assert verdicts(SOFTMAX, ("right", "y2", answer), ("twin", "y2", swapped)) == {
        "right": "correct", "twin": "incorrect"}


def test_a_batch_value_rounded_beside_an_exact_one_keeps_its_rounding() -> None:
    """−0.0500 for sample 2's h_1 = −0.049958 (whose net input is exactly −0.05): the line keeps the rounding of that
    number (half a unit of its last place), as for any rounded factor."""
    line = (r"$$\frac{\partial E}{\partial w_9} = \tfrac12 \times (0.2788 \times 0.2636 + (-0.6731) \times (-0.0500))"
            rf" = {_n(SOFTMAX, 'dE/dw9', 4)}$$")
    assert verdicts(SOFTMAX, ("right", "dE/dw9", line), ("twin", "dE/dw9", line.replace("0.2636", "0.2936"))) == {
        "right": "correct", "twin": "incorrect"}


def test_the_first_passs_weight_beside_the_second_steps_numbers_is_stale() -> None:
    """At the second step, w_1 = 0.149780716 (written so on the sheet); 0.15 beside 0.199561432 in net_h1's line is
    the first pass's w_1 — exact, and written far coarser than the line's other numbers —, not a rounding of it."""
    w1, w2 = _n(SEED004, "w1+", 9), _n(SEED004, "w2+", 9)
    right = rf"$$net_{{h1}} = {w1} \cdot 0.05 + {w2} \cdot 0.10 + 0.35 = {_n(SEED004, 'net_h1', 9, step=1)}$$"
    stale = rf"$$net_{{h1}} = 0.15 \cdot 0.05 + {w2} \cdot 0.10 + 0.35 = 0.377456143$$"
    r = check(SEED004, ("right", "net_h1", right, 1), ("stale", "net_h1", stale, 1))
    assert r["right"].verdict == "correct" and r["stale"].verdict == "incorrect"
    assert "before the last update" in r["stale"].lines[1].message


def test_require_value_asks_a_network_with_numbers_for_the_number() -> None:
    """δ_{h1} as a formula of the network's names is right (a derivation), unless the answers file asks for the
    value (grading.require_value): then it is incomplete, and the same formula followed by its number is right."""
    from symbackprop import Network
    from symbackprop.check.answers import parse_answers
    from symbackprop.check.run import check_answers

    formula = r"$$\delta_{h1} = (w_5\,\delta_{o1} + w_7\,\delta_{o2})\, out_{h1}(1 - out_{h1})$$"
    full = formula + rf"$$\delta_{{h1}} = {_n(SEED004, 'delta_h1', 6)}$$"

    def judged(require: bool) -> list[str]:
        data = {"grading": {"require_value": require}, "answer": [
            {"id": "f", "quantity": "delta_h1", "latex": formula}, {"id": "n", "quantity": "delta_h1", "latex": full}]}
        return [a.verdict for a in check_answers(Network.load(SEED004), parse_answers(data, "t.toml")).answers]

    assert judged(False) == ["correct", "correct"]
    assert judged(True) == ["incorrect", "correct"]


def test_the_old_error_mentioned_after_a_rounded_answer_is_a_remark() -> None:
    """"so the error drops from 0.298371109 to 0.291027773" after a last line judged ≈ (rounding: its halves
    rounded to 9 decimals first): the numbers of the sentence are remarks, not second answers."""
    o1, o2 = (mp.mpf(_n(SEED004, q, 9, step=1)) for q in ("o1", "o2"))
    half1, half2 = (mp.nstr(mp.mpf(mp.nstr(x, 9)), 9) for x in ((0.01 - o1) ** 2 / 2, (0.99 - o2) ** 2 / 2))
    total = mp.nstr(mp.mpf(half1) + mp.mpf(half2), 9)
    answer = (rf"$$E_{{total}} = \tfrac12 (0.01 - {mp.nstr(o1, 9)})^2 + \tfrac12 (0.99 - {mp.nstr(o2, 9)})^2 = "
              rf"{half1} + {half2} = {total}$$" + "\n"
              rf"Polo tanto o erro baixa de ${_n(SEED004, 'E', 9)}$ a ${total}$.")
    r = check(SEED004, ("right", "E", answer, 1), ("twin", "E", answer.replace(half2, "0.033051272"), 1))
    assert [line.verdict for line in r["right"].lines][-3:] == ["rounding", "unchecked", "unchecked"]
    assert (r["right"].verdict, r["twin"].verdict) == ("correct", "incorrect")


def test_a_translation_table_by_index_letter_and_islrs_risk() -> None:
    r"""ISLR: β_k = W^2_k said once translates every β_k; R(θ) = ½(y − f(x))² is the loss; an equation's number on a
    line of its own ("(10.29):") is no claim. Seed 001 is symbolic: its formulas are the truth's."""
    seed001 = SEED004.with_name("seed001_abstract_phi.toml")
    table = r"With $\beta_k = W^{2}_{k}$ and $g = \Phi$:" + "\n"
    right = table + "(10.29):\n" + r"$$\frac{\partial R}{\partial \beta_2} = -(d - y)\,\Phi(u_2)$$" + "\n" \
        + r"where $u_2 = W^{1}_{12}x_1 + W^{1}_{22}x_2 + W^{1}_{32}x_3$."
    twin = right.replace(r"\beta_2}", r"\beta_3}")
    assert verdicts(seed001, ("right", "dE/dW2_2", right), ("twin", "dE/dW2_2", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_words_with_accents_in_text_and_tuples_with_semicolons() -> None:
    r"""Icelandic \text{spá} (prediction) and \text{raungildi} (the true value) are names the sheet defines; an
    Afrikaans tuple (0.5; −0.2) uses a semicolon where the decimal point is a comma."""
    answer = (r"$\text{spá} = h_1 w_5 + h_2 w_6 = 0.119 + 0.072 = 0.191$, $\text{raungildi} = 1$:" + "\n"
              r"$$E = \tfrac{1}{2}(\text{spá} - \text{raungildi})^2 = \tfrac{1}{2}(0.191 - 1)^2 = "
              rf"{_n(SEED002, 'E', 5)}$$")
    tuple_answer = rf"$x^{{(1)}} = (0.5;\ -0.2)$, so $z = 0.27$ and $\hat y^{{(1)}}_2 = {_n(SOFTMAX, 'y2', 5)}$"
    assert verdicts(SEED002, ("right", "E", answer), ("twin", "E", answer.replace("0.191 - 1)", "0.191 - 0)"))) \
        == {"right": "correct", "twin": "incorrect"}
    assert verdicts(SOFTMAX, ("tuple", "y2", tuple_answer),
                    ("twin", "y2", tuple_answer.replace("(0.5;", "(0.3;"))) == {"tuple": "correct", "twin": "incorrect"}


def test_an_r_markdown_chunk_and_knitrs_printed_value() -> None:
    """R Markdown knitted: a chunk whose last line prints a name, then knitr's "## [1] value": name = value (the
    chunk's code itself is set aside). A printed value that is not the asked one is rejected."""
    answer = (r"Chain rule, $\frac{\partial E}{\partial w_5} = (out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})\, "
              r"out_{h1}$:" + "\n\n```r\ndelta_o1 <- (out_o1 - target[1]) * out_o1 * (1 - out_o1)\n"
              "dw5 <- delta_o1 * out_h1\ndw5\n```\n\n```\n## [1] VALUE\n```\n")
    right = answer.replace("VALUE", _n(SEED004, "dE/dw5", 7))
    twin = answer.replace("VALUE", _n(SEED004, "dE/dw6", 7))
    assert verdicts(SEED004, ("right", "dE/dw5", right), ("twin", "dE/dw5", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_code_names_of_quantities_and_brilliants_layer_sizes_and_renamed_weights() -> None:
    r"""R's delta_o1, out_h1, E_total are δ_{o1}, out_{h1}, E; Brilliant's r_0 (the size of layer 0, the inputs) is an
    upper limit of a sum; w^1_{21} = w_3 on the sheet declares its indices from-first (node 2 of layer 0 into node
    1 of layer 1), and the sheet's later w^1_{21} is w_3; "node $i$ of layer $k-1$" is prose."""
    code = rf"$\text{{delta_o1}} + \text{{delta_o2}} = {_n(SEED004, 'dE/db2', 7)}$"
    sizes = (r"Weights $w^k_{ij}$ from node $i$ of layer $k-1$ into node $j$ of layer $k$: $w^1_{11} = w_1,\ "
             r"w^1_{21} = w_3,\ w^1_{12} = w_2,\ w^1_{22} = w_4$." + "\n"
             rf"$$a^1_1 = \sum_{{i=1}}^{{r_0}} w^1_{{i1}}\, x_i = w^1_{{11}} x_1 + w^1_{{21}} x_2 = "
             rf"0.2 \cdot 0.5 + 0.5 \cdot 0.3 = {_n(SEED000, 'net_h1', 2)}$$")
    assert verdicts(SEED004, ("code", "dE/db2", code), ("twin", "dE/db2", code.replace("delta_o2", "delta_o1"))) == {
        "code": "correct", "twin": "incorrect"}
    r = check(SEED000, ("sizes", "net_h1", sizes))["sizes"]
    assert "upper limit" not in r.message
    renamed = [line for line in r.lines if line.latex.startswith("w^1_{21}")]
    assert renamed and all(line.verdict == "correct" for line in renamed)


def test_a_matlab_live_script_and_samples_in_square_brackets() -> None:
    r"""A MATLAB Live Script exported to LaTeX: par/flushleft text, matlabcode (code, set aside), matlaboutput
    ("E = ⏎ 0.2983…", read). In a batch, x^{[2]} = (…) says [n] is a sample (the inputs have no layer 2), so a later
    a^{[2]}_1 is sample 2's hidden output, not layer 2's."""
    e = _n(SEED004, "E", 15)
    live = ("\\begin{par}\n\\begin{flushleft}\n\\textbf{Task 1.} Forward pass, $b_1 = 0.35$.\n\\end{flushleft}\n"
            "\\end{par}\n\\begin{matlabcode}\nsig = @(z) 1./(1 + exp(-z));\nE = 0.5*sum((t - o).^2)\n"
            f"\\end{{matlabcode}}\n\\begin{{matlaboutput}}\nE = \n   {e}\n\\end{{matlaboutput}}\n")
    assert verdicts(SEED004, ("live", "E", live), ("twin", "E", live.replace(e, "0.582055547387199"))) == {
        "live": "correct", "twin": "incorrect"}
    h = _n(SOFTMAX, "h1", 5, step=0)
    batch = (r"Sample 2 ($x^{[2]} = (-0.4;\ 0.3)$): $a^{[2]}_1 = \tanh(-0.05) = -0.04996$, and sample 1's "
             rf"$a^{{[1]}}_1 = {h}$.")
    assert verdicts(SOFTMAX, ("batch", "h1", batch), ("twin", "h1", batch.replace("-0.04996", "0.35082"))) == {
        "batch": "correct", "twin": "incorrect"}
