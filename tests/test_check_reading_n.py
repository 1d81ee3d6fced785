"""Readings of session 38, from answers of tune26 (measure22) that were judged wrongly. Each right form has a wrong
twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read
with tomllib, mpmath forward pass and central differences)."""

from __future__ import annotations

from test_check import SEED000, SEED003, SEED004, check, verdicts

from corpus.truth_values import value_text

SEED001 = SEED004.with_name("seed001_abstract_phi.toml")
SOFTMAX = SEED004.with_name("softmax_batch.toml")


def _n(spec, quantity: str, digits: int, step: int = 0) -> str:
    return value_text(spec.name, quantity, digits, step)


def test_a_chain_written_value_first_ends_in_its_number() -> None:
    r"""Grus's `round(…, 2) = 0.01 = ∂E/∂w_2`: the asked name restated after the number does not make the number a
    step on the way; it is the answer's own and needs 2 significant digits (0.01 for 0.0126 has one)."""
    answer = r"$$\texttt{grad} = 0.025213306 \times 0.5 = VALUE = \frac{\partial E}{\partial w_2}$$"
    right = answer.replace("VALUE", _n(SEED000, "dE/dw2", 4))
    twin = answer.replace("VALUE", "0.01")
    assert verdicts(SEED000, ("right", "dE/dw2", right), ("twin", "dE/dw2", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_a_slack_thread_in_plain_ascii() -> None:
    """Slack's export: "*dana*  [9:14 PM]" headers, ":eyes: 1" reactions, a ``` block of hand-worked lines (read as
    math, not set aside as a program), `…` spans holding a worked line in a sentence, "->" an arrow, dError/dw5 the
    derivative. The twin keeps the 2 of the square (the ½ cancels it)."""
    header = "*dana*  [9:31 PM]\nw8 goes h2 -> o2, see the thread:\n"
    block = ("```\nIn_o2 = w6*h1 + w8*h2 = -0.5*0.562177 + 0.8*0.495000 = 0.114912 -> o2 = 0.528696\n"
             "dError/dw8 = (o2 - y2) * o2*(1-o2) * h2 = 0.598696*0.249177*0.495000 = VALUE\n```\n:eyes: 1\n")
    right = header + block.replace("VALUE", _n(SEED000, "dE/dw8", 6))
    twin = header + block.replace("(o2 - y2) *", "2*(o2 - y2) *").replace("0.598696*", "2*0.598696*").replace(
        "VALUE", "0.147689")
    span = header + "`dError/dw8 = (o2 - y2)*o2*(1-o2)*h2 = 0.598696*0.249177*0.495000 = VALUE` :tada:\n"
    assert verdicts(SEED000, ("right", "dE/dw8", right), ("twin", "dE/dw8", twin),
                    ("span", "dE/dw8", span.replace("VALUE", _n(SEED000, "dE/dw8", 6))),
                    ("spantwin", "dE/dw8", span.replace("VALUE", "0.073945"))) == {
        "right": "correct", "twin": "incorrect", "span": "correct", "spantwin": "incorrect"}


def test_a_program_in_an_untagged_fence_stays_code() -> None:
    """A REPL's session in ``` (no language) is a program, set aside: the line outside it decides."""
    repl = "```\n>>> dw8 = 0.149181 * 0.495\n>>> dw8\n0.073845\n```\n"
    line = r"$$\frac{\partial E}{\partial w_8} = \delta_{o_2} h_2 = VALUE$$"
    assert verdicts(SEED000, ("right", "dE/dw8", repl + line.replace("VALUE", _n(SEED000, "dE/dw8", 6))),
                    ("twin", "dE/dw8", repl + line.replace("VALUE", "0.073945"))) == {
        "right": "correct", "twin": "incorrect"}


def test_onenotes_linear_format() -> None:
    """OneNote's equations copied as text come out in UnicodeMath: 〖out〗_h1 (invisible brackets; a script runs over
    letters and digits), 1/(1+e^(−x) ) (the brackets after ^ only group), σ^′, ∑▒〖…〗, ∙ for products, statements
    side by side apart by a wide gap, a bracketed remark "(calculator again: …)" with math in it. The twin leaves
    the ½ out of the second term."""
    given = "w_1=0.15   w_2=0.2   b_1=0.35\n"
    forward = "〖out〗_h1=σ(〖net〗_h1 )=1/(1+e^(−0.3775) )=VALUE\n"
    assert verdicts(SEED004, ("right", "h1", given + forward.replace("VALUE", _n(SEED004, "h1", 9))),
                    ("twin", "h1", given + forward.replace("VALUE", "0.593257644"))) == {
        "right": "correct", "twin": "incorrect"}
    o1, o2 = _n(SEED004, "o1", 9), _n(SEED004, "o2", 9)
    error = (f"(calculator again: 〖out〗_o2={o2}, I swapped two digits)\n"
             f"E_total=∑▒〖1/2 (target−output)^2 〗=1/2 (0.01−{o1})^2+1/2 (0.99−{o2})^2=VALUE\n")
    twin = error.replace("+1/2 (0.99", "+(0.99").replace("VALUE", "0.321931")
    assert verdicts(SEED004, ("right", "E", error.replace("VALUE", _n(SEED004, "E", 9))), ("twin", "E", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_a_first_pass_weight_in_a_coarse_line_of_a_fine_answer_is_stale() -> None:
    """At the second step, 0.25∙0.05 + 0.3∙0.1 + 0.35 for net_h2 after its formula, in an answer that writes 9
    decimals: 0.25 and 0.3 are the first pass's w_3 and w_4 (exact), not roundings of the new 0.249751144 and
    0.299502287 — so out_h2 = 0.596884378 is the first pass's, wrong at this step. Written with the new weights,
    it is right."""
    line = "$$net_{h2} = w_3 i_1 + w_4 i_2 + b_1 = W3 \\cdot 0.05 + W4 \\cdot 0.1 + 0.35 = NET$$\n" \
           "$$out_{h2} = \\sigma(NET) = OUT$$"
    right = line.replace("W3", _n(SEED004, "w3+", 9)).replace("W4", _n(SEED004, "w4+", 9)).replace(
        "NET", _n(SEED004, "net_h2", 9, step=1)).replace("OUT", _n(SEED004, "h2", 9, step=1))
    stale = line.replace("W3", "0.25").replace("W4", "0.3").replace("NET", "0.3925").replace("OUT", "0.596884378")
    r = check(SEED004, ("right", "h2", right, 1), ("stale", "h2", stale, 1))
    assert r["right"].verdict == "correct" and r["stale"].verdict == "incorrect"
    assert any("before the last update" in line.message for line in r["stale"].lines)


def test_libreoffice_math_sources() -> None:
    """A LibreOffice Math object's source pasted into Writer text: %sigma, cdot, {a} over {b}, left( … right), func e,
    "quoted text". The twin writes 1 + out_{h_1} where 1 − out_{h_1} belongs."""
    answer = ('(typo fixed, it is "one minus")\n{partial E} over {partial w_2} = left( out_O - target right) out_O '
              "left( 1 - out_O right) cdot w_5 cdot out_{h_1} left( 1 - out_{h_1} right) cdot i_2")
    twin = answer.replace("left( 1 - out_{h_1} right)", "left( 1 + out_{h_1} right)")
    sigma = "out_{h_2} = %sigma left( net_{h_2} right) = {1} over {1 + func e^{-(w_3 i_1 + w_4 i_2 + b_1)}}"
    assert verdicts(SEED003, ("right", "dE/dw2", answer), ("twin", "dE/dw2", twin), ("sigma", "h2", sigma),
                    ("sigmatwin", "h2", sigma.replace("w_4 i_2", "w_4 i_1"))) == {
        "right": "correct", "twin": "incorrect", "sigma": "correct", "sigmatwin": "incorrect"}


def test_plain_words_are_not_starmath() -> None:
    """"over" and "times" in a plain sentence are words: only StarMath's own marks (%sigma, {…} over {…},
    left( … right), func e, cdot) make a text a formula object's source."""
    from symbackprop.check.linear import linear_math
    sentence = "we go over it two times, then w_5 = 0.4 - 0.5 * 0.082167"
    assert linear_math(sentence) == sentence
    assert linear_math("{1} over {2} left( t - o right)^2") == r"\frac{1}{2} \left( t - o \right)^2"


def test_kroeses_layer_first_indices() -> None:
    r"""Kroese et al.: z_{l,i}, a_{l,i}, δ_{l,i} are layer l's unit i (z_{1,2} hidden unit 2's net input), so on such a
    sheet δ_2 alone is layer 2's δ — the one output's —, not hidden unit 2's; g(x | θ) is the model's prediction.
    The twins take hidden unit 2's δ for layer 2's (w_6 where the answer is about b_2)."""
    setup = (r"$$\delta_{1,2} = \frac{\partial\,\mathrm{Loss}}{\partial z_{1,2}} = out_{h_2}(1 - out_{h_2})\, w_6\, "
             r"\delta_2$$" + "\n")
    b2 = r"$$\frac{\partial\, \mathrm{Loss}}{\partial b_2} = \delta_2 = (out_O - target)\, out_O\,(1 - out_O)$$"
    twin = b2.replace(r"\,(1 - out_O)$$", r"\,(1 - out_O)\, w_6\, out_{h_2}(1 - out_{h_2})$$")
    loss = (r"$$\mathrm{Loss}(y, g(x \mid \theta)) = \tfrac12\,\big(y - g(x \mid \theta)\big)^2 = "
            r"\tfrac12\,(target - out_O)^2$$")
    assert verdicts(SEED003, ("right", "dE/db2", setup + b2), ("twin", "dE/db2", setup + twin),
                    ("loss", "E", loss), ("losstwin", "E", loss.replace(r"= \tfrac12\,(target", "= (target"))) == {
        "right": "correct", "twin": "incorrect", "loss": "correct", "losstwin": "incorrect"}


def test_a_code_name_in_prose_is_the_subject_of_the_math_after_it() -> None:
    r"""Grus: "For $w_8$ (\texttt{output\_grads[1][1]} $= 0.149 \times 0.495 = 0.0738$):" — the code name is what
    the math after it equals, not $w_8$ before the prose (w_8's update comes on the next line). The twin steps up."""
    answer = (r"For $w_8$ (\texttt{output\_grads[1][1]} $= 0.1491810835 \times 0.4950001667 = 0.0738446612$):" + "\n"
              r"$$w_8 \leftarrow 0.8 + (-1)(0.0738446612) = VALUE$$")
    right = answer.replace("VALUE", _n(SEED000, "w8+", 9))
    twin = answer.replace("+ (-1)", "+ (1)").replace("VALUE", "0.8738446612")
    assert verdicts(SEED000, ("right", "w8+", right), ("twin", "w8+", twin)) == {"right": "correct",
                                                                              "twin": "incorrect"}
    # (nnfs: a numpy index after the code name, "\texttt{dweights}[1, 1] $= 0.119427 × 0.185191 + …$")
    nnfs = (r"$w_8$ is \texttt{dense2.weights}[1, 1], \texttt{dweights}[1, 1] $= 0.119427 \times 0.185191 + "
            r"0.139092 \times 0.184175 = 0.022117 + 0.025617 = 0.047734$:" + "\n"
            r"$$w_8 \leftarrow 0.2 - 0.5 \times 0.047734 = VALUE$$")
    assert verdicts(SOFTMAX, ("right", "w8+", nnfs.replace("VALUE", _n(SOFTMAX, "w8+", 6))),
                    ("twin", "w8+", nnfs.replace("0.2 - 0.5", "0.2 + 0.5").replace("VALUE", "0.223867"))) == {
        "right": "correct", "twin": "incorrect"}


def test_two_names_of_one_weight_are_a_notation() -> None:
    r"""Efron & Hastie: "For $w_5 = w^{(2)}_{11}$, …" says which weight the book's name is, not w_5's new value; the
    update line after it decides. The twin's update adds the step."""
    answer = (r"For $w_5 = w^{(2)}_{11}$, $\partial L/\partial w^{(2)}_{11} = a^{(2)}_1\delta^{(3)}_1 = 0.593269992 "
              r"\times 0.138498562 = 0.082167041$:" + "\n" + r"$$w^{(2)}_{11} \leftarrow 0.40 - 0.5 \times 0.082167041 "
              r"= VALUE$$")
    right = answer.replace("VALUE", _n(SEED004, "w5+", 9))
    twin = answer.replace("0.40 - 0.5", "0.40 + 0.5").replace("VALUE", "0.441083521")
    assert verdicts(SEED004, ("right", "w5+", right), ("twin", "w5+", twin)) == {"right": "correct",
                                                                              "twin": "incorrect"}


def test_a_rule_about_a_function_at_a_bare_letter_is_aside() -> None:
    r"""Lindholm et al.: "for $h = \tanh$, $h'(z) = 1 - \tanh^2 z = 1 - q^2$" states h′ at any z, its last member in
    the book's q (the layer's output); a member we cannot read there is set aside, the line of numbers decides. The
    twin's number is not sample 1's δ_{h2} (0.436110 · 0.985737 = 0.429890)."""
    rule = r"(That was the sigmoid's derivative; for $h = \tanh$, $h'(z) = 1 - \tanh^2 z = 1 - q^2$.)" + "\n"
    line = r"$$dz_{1,2}^{(1)} = 0.436110 \times (1 - 0.119427^2) = 0.436110 \times 0.985737 = VALUE$$"
    assert verdicts(SOFTMAX, ("right", "delta_h2", rule + line.replace("VALUE", "0.429890")),
                    ("twin", "delta_h2", rule + line.replace("VALUE", "0.432890"))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_loss_of_arguments_in_square_brackets() -> None:
    r"""Efron & Hastie write the loss L[y, f(x; 𝒲)]: square brackets around its arguments, f(x; 𝒲) the model's
    prediction. The twin leaves the ½ out."""
    answer = (r"$$L[y, f(x;\mathcal W)] = \tfrac12 \sum_{\ell=1}^{2} \big(y_\ell - a^{(3)}_\ell\big)^2 = "
              r"\tfrac12\big[(0.01 - 0.751365070)^2 + (0.99 - 0.772928465)^2\big] = VALUE$$")
    twin = answer.replace(r"= \tfrac12\big[", r"= \big[").replace("VALUE", "0.596742218")
    assert verdicts(SEED004, ("right", "E", answer.replace("VALUE", _n(SEED004, "E", 9))), ("twin", "E", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_the_other_units_complement_is_named() -> None:
    """h_1(1 − h_2) written for h_1(1 − h_1): 0.505000 is 1 − h_2 — named as the other quantity's value (it was "not
    the value of any factor"). The right line passes."""
    line = ("`dError/dw3 = dError/dh1 * h1*(1-h1) * x2 = -0.068430 * H * 0.3 = VALUE`")
    right = line.replace("H", "0.562177*0.437823").replace("VALUE", _n(SEED000, "dE/dw3", 6))
    twin = line.replace("H", "0.562177*0.505000").replace("VALUE", "-0.005828")
    r = check(SEED000, ("right", "dE/dw3", right), ("twin", "dE/dw3", twin))
    assert r["right"].verdict == "correct" and r["twin"].verdict == "incorrect"
    assert r["twin"].diagnosis[0].kind == "wrong_substituted_value" and "1 - h_{2}" in r["twin"].diagnosis[0].message
