"""Readings of session 36, from answers of tune21 … tune24 (measure20) that were judged wrongly. Each right form has a
wrong twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the
spec read with tomllib, mpmath forward pass and central differences)."""

from __future__ import annotations

from test_check import SEED000, SEED002, SEED003, SEED004, check, verdicts

from corpus.truth_values import value_text

SEED001 = SEED004.with_name("seed001_abstract_phi.toml")
SOFTMAX = SEED004.with_name("softmax_batch.toml")


def _n(spec, quantity: str, digits: int, step: int = 0) -> str:
    return value_text(spec.name, quantity, digits, step)


def test_knitrs_printed_sum_of_two_names() -> None:
    """An R chunk printing `delta_o1 + delta_o2`, then knitr's output block: the statement it makes is read whole
    (the output block is part of it, not a code block set aside over it)."""
    answer = (r"$b_2$ feeds both outputs: $$\frac{\partial E}{\partial b_2} = \delta_{o1} + \delta_{o2}$$" + "\n\n"
              "```r\ndelta_o1 + delta_o2\n```\n\n```\n## [1] VALUE\n```\n")
    right = answer.replace("VALUE", _n(SEED004, "dE/db2", 7))
    twin = answer.replace("VALUE", _n(SEED004, "dE/dw5", 7))
    assert verdicts(SEED004, ("right", "dE/db2", right), ("twin", "dE/db2", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_a_scribes_example_environment_layer_words_and_a_vector_named_by_its_entries() -> None:
    r"""Scribe notes: \begin{example}[title] is text (amsthm's environments, with their titles); z^{hid}_1 is the
    hidden layer's z_1 as Raschka's z^{(h)}_1; "biases $b = (b_2, b_3, b_4)$" names a vector by its entries' names
    (no claim that b_1 = b_2)."""
    value = _n(SOFTMAX, "net_h1", 2)
    answer = (r"\begin{example}[The board network]" + "\n"
              r"Two $\tanh$ hidden units sharing one bias $b_1$, softmax outputs with biases $b = (b_2, b_3, b_4)$."
              + "\n" + rf"$$z^{{hid}}_1 = w_1 x_1 + w_2 x_2 + b_1 = 0.3 \cdot 0.5 + (-0.1)(-0.2) + 0.1 = {value}$$"
              + "\n" + r"\end{example}")
    twin = answer.replace("(-0.1)(-0.2)", "(-0.1)(0.2)").replace(f"= {value}$$", "= 0.23$$")
    assert verdicts(SOFTMAX, ("right", "net_h1", answer), ("twin", "net_h1", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_a_layers_word_and_a_samples_number_in_one_superscript() -> None:
    r"""δ^{out,(2)}_1: the output layer's δ_1 of sample 2 (a scribe's superscript: layer word, comma, sample)."""
    right = (r"$$\frac{\partial J}{\partial b_2} = \frac12\left(\delta^{out,(1)}_1 + \delta^{out,(2)}_1\right) = "
             + _n(SOFTMAX, "dE/db2", 6) + "$$")
    twin = right.replace(r"\delta^{out,(2)}_1", r"\delta^{out,(2)}_2")
    assert verdicts(SOFTMAX, ("right", "dE/db2", right), ("twin", "dE/db2", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_maples_names_in_font_groups() -> None:
    r"""Maple's LaTeX: {\it W2}_{{1}} is W^{(2)}_1 (the name's digit, before a subscript, is its matrix's layer),
    {\it u1} is u_1; W1_{2,1} a matrix's entry (row: the unit fed). A line of numbered units (u2 = x1 W1_{1,2} + …)
    declares no index order: it is a claim, and cannot be read in an order it declares itself."""
    y = (r"$$y\, := \,{\it W2}_{{1}}\Phi \left( {\it u1} \right) +{\it W2}_{{2}}\Phi \left( {\it u2} \right) "
         r"+{\it W2}_{{3}}\Phi \left( {\it u3} \right)$$")
    assert verdicts(SEED001, ("y", "y", y), ("twin", "y", y.replace("{{3}}", "{{2}}"))) == {
        "y": "correct", "twin": "incorrect"}
    u2 = r"$$u2 = {\it x1}\,{\it W1}_{{2,1}}+{\it x2}\,{\it W1}_{{2,2}}+{\it x3}\,{\it W1}_{{2,3}}$$"
    mixed = u2.replace("{{2,3}}", "{{3,2}}")  # (one term in the other order: no order makes the line hold)
    assert verdicts(SEED001, ("u2", "net_h2", u2), ("mixed", "net_h2", mixed)) == {
        "u2": "correct", "mixed": "incorrect"}  # (W1[j, i], a matrix's row the unit fed: the default reading)


def test_a_wxmaxima_sessions_cells_and_tagged_outputs() -> None:
    r"""wxMaxima exported: \texttt{(\%i11) dw5: diff(E, w5);} then a display tagged \tag{\%o11} is dw5 = that
    display; ev(dw5, vals) prints dw5's value; a statement ended by \$ prints nothing (its neighbour's output is
    numbered after it)."""
    cells = (r"\texttt{(\%i11) dw5: diff(E, w5);}" + "\n"
             r"$$\left(i_{2}\,w_{2}+i_{1}\,w_{1}\right)\,\left(\left(i_{2}\,w_{4}+i_{1}\,w_{3}\right)\,w_{6}"
             r"+\left(i_{2}\,w_{2}+i_{1}\,w_{1}\right)\,w_{5}-y\right) \tag{\%o11}$$" + "\n"
             r"\texttt{(\%i12) fpprintprec: 8\$ ev(dw5, vals);}" + "\n"
             rf"$${_n(SEED002, 'dE/dw5', 5)} \tag{{\%o13}}$$" + "\n")
    twin = cells.replace(_n(SEED002, "dE/dw5", 5), _n(SEED002, "dE/dw6", 5))
    assert verdicts(SEED002, ("right", "dE/dw5", cells), ("twin", "dE/dw5", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_a_threads_posts_prose_and_remarks() -> None:
    """An X thread: post numbers "2/", a line of prose with no relation, a sentence's full stop after a number, a
    weight's path "(h1 → o2)" as a label, a remark "(was 0.2984 📉)" after the last number, and math typed without
    dollars between pieces with them."""
    h1, o1 = _n(SEED004, "h1", 4), _n(SEED004, "o1", 4)
    thread = ("🧵 Backprop by hand on the classic 2-2-2 example (inputs 0.05, 0.10), let's go 👇\n\n"
              f"1/ out_h1 = σ(0.3775) ≈ {h1}. Output 1 next:\n"
              f"2/ out_o1 = σ(1.1059) ≈ {o1} (was 0.5 before 📉)\n")
    twin = thread.replace(f"≈ {o1}", "≈ 0.7414")
    update = ("6/ Update, $w^+ = w - \\eta\\,\\partial E/\\partial w$ with η = 0.5:\n"
              f"∂E/∂w₆ = 0.7414 × 0.1868 × 0.5969 ≈ {_n(SEED004, 'dE/dw6', 4)}\n"
              f"w₆⁺ = 0.45 − 0.5 × 0.08267 ≈ {_n(SEED004, 'w6+', 4)} ✅\n")
    route = f"5/ Same for w₇ (h1 → o2): ∂E/∂w₇ = −0.0381 × 0.5933 ≈ {_n(SEED004, 'dE/dw7', 3)}\n"
    assert verdicts(SEED004, ("right", "o1", thread), ("twin", "o1", twin), ("update", "w6+", update),
                    ("route", "dE/dw7", route), ("route-twin", "dE/dw7", route.replace("0.5933", "0.5969"))) == {
        "right": "correct", "twin": "incorrect", "update": "correct", "route": "correct", "route-twin": "incorrect"}


def test_a_name_is_a_value_in_prose() -> None:
    r""""$\partial E/\partial out_{o2}$ is $-0.217072$": two pieces of inline math joined by "is" are one statement."""
    said = r"Q4: \(\partial E/\partial out_{o2}\) is \(VALUE\), so \(\delta_{o2} = -0.038098\)." + "\n" \
        + r"\(\frac{\partial E}{\partial w_8} = \delta_{o2} \cdot out_{h2} = -0.038098 \times 0.596884 = " \
        + _n(SEED004, "dE/dw8", 5) + r"\)"
    right = said.replace("VALUE", _n(SEED004, "dE/do2", 6))
    twin = said.replace("VALUE", "0.217072")
    assert verdicts(SEED004, ("right", "dE/dw8", right), ("twin", "dE/dw8", twin)) == {
        "right": "correct", "twin": "incorrect"}
    inside = (r"the inside derivative of $(y - out)$ is $-1$, so $\partial Error/\partial out = out - y = -0.809$. "
              r"And $out$ changes with $w_5$ at a rate of $h_1$:" + "\n" + r"\begin{align*}" + "\n"
              r"\frac{\partial Error}{\partial w_5} &= (-0.809)(0.85) = \boxed{-0.68765}" + "\n" + r"\end{align*}")
    assert verdicts(SEED002, ("inside", "dE/dw5", inside))["inside"] == "correct"  # (no name before "is": a remark)


def test_gallants_cells_u_and_ripleys_unit_outputs_x() -> None:
    """Gallant writes a cell's activation u_i = f(S_i) (where Japanese textbooks' u is the net input): the line
    says which. Ripley writes a unit's output x_j = f(z_j) (where Rumelhart's x_j is the total input): a line
    defining x_O so says it, and x_{h_2} is then h2's output; x_1 stays the input."""
    gallant = (r"$$S_{h_2} = 0.35 + 0.25(0.05) + 0.30(0.10) = 0.3925, \qquad u_{h_2} = f(S_{h_2}) = "
               rf"\frac{{1}}{{1 + e^{{-0.3925}}}} = {_n(SEED004, 'h2', 9)}$$")
    assert verdicts(SEED004, ("right", "h2", gallant), ("twin", "h2", gallant.replace("e^{-0.3925}", "e^{-0.3775}"))) \
        == {"right": "correct", "twin": "incorrect"}
    defined = r"$$x_O = \sigma(z_O), \qquad z_O = b_2 + w_5\, x_{h_1} + w_6\, x_{h_2}$$"
    grad = r"$$\frac{\partial E}{\partial w_6} = (x_O - t)\, x_O(1 - x_O)\, x_{h_2}$$"
    assert verdicts(SEED003, ("x", "O", defined), ("right", "dE/dw6", grad),
                    ("twin", "dE/dw6", grad.replace("x_{h_2}", "x_{h_1}"))) == {
        "x": "correct", "right": "correct", "twin": "incorrect"}


def test_highams_layers_counted_from_the_input() -> None:
    r"""Higham & Higham: "$L = 3$ layers" is how many (not the loss), and $a^{[1]} = x$ numbers the layers from the
    input, so z^{[3]}_1 is the output layer's net input and W^{[3]} its weights (Ng's [2]); a mixed line keeps η = 1
    as the factor 1 (SymPy drops it)."""
    setup = (r"With $L = 3$ layers, $a^{[1]} = x = \begin{bmatrix} 0.5 \\ 0.3 \end{bmatrix}$ and no biases." + "\n"
             r"$$z^{[3]}_1 = 0.1 \times 0.56217650 - 0.3 \times 0.49500017 = " + _n(SEED000, "net_o1", 7) + "$$")
    twin = setup.replace(_n(SEED000, "net_o1", 7), _n(SEED000, "net_h1", 7)).replace(
        r"0.1 \times 0.56217650 - 0.3 \times 0.49500017", r"0.2 \times 0.5 + 0.5 \times 0.3")
    step = r"$$w_7 \leftarrow -0.3 - 1 \times \delta_{o1} h_2 = " + _n(SEED000, "w7+", 8) + "$$"
    assert verdicts(SEED000, ("right", "net_o1", setup), ("twin", "net_o1", twin), ("step", "w7+", step),
                    ("step-twin", "w7+", step.replace("h_2", "h_1"))) == {
        "right": "correct", "twin": "incorrect", "step": "correct", "step-twin": "incorrect"}


def test_diagnoses_of_the_lectures_delta_and_of_phi_at_a_linear_output() -> None:
    r"""Seed 002's Δ · w_6 · i_1 where Δ · w_5 · i_1 belongs: the lecture's Δ with the wrong weight (the reading
    nearer the truth), not the step Δw_6; seed 001's Φ′ written at the linear output y: another activation's
    derivative, the network's own Φ."""
    delta = check(SEED002, ("a", "dE/dw1", r"\frac{\partial \text{Error}}{\partial w_1} = \Delta \cdot w_6 \cdot i_1"
                                           r" = -0.809 \times 0.15 \times 2 \approx -0.2427"))["a"]
    phi = check(SEED001, ("a", "dE/dW2_2", r"\frac{\partial E}{\partial W^2_2} = -(d - y)\, \Phi'(In_y)\, h_2"))["a"]
    assert (delta.verdict, [d.kind for d in delta.diagnosis][:1]) == ("incorrect", ["wrong_weight"])
    assert (phi.verdict, [d.kind for d in phi.diagnosis][:1]) == ("incorrect", ["wrong_activation_derivative"])
    assert r"\Phi" in phi.diagnosis[0].message
