"""Readings of session 39, from answers of tune27 (measure23) that were judged wrongly. Each right form has a wrong
twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read
with tomllib, mpmath forward pass and central differences)."""

from __future__ import annotations

from test_check import SEED000, SEED002, SEED003, SEED004, check, verdicts
from test_check_reading_n import SEED001, SOFTMAX, _n


def test_a_number_put_in_another_factors_place_is_named() -> None:
    """0.50 · 0.5933 + 0.55 · 0.5933 + 0.60 for w_7 out_h1 + w_8 out_h2 + b_2: out_h1's value twice. The line
    drifts from the truth further than the rounding of its numbers explains (b_2 = 0.60 is given, not a rounding of
    out_h2 = 0.5969), and the number in out_h2's place is named, by its place in the formula."""
    formula = r"\[ net_{o2} = w_7\, out_{h1} + w_8\, out_{h2} + b_2 = 0.50 \cdot 0.5933 + 0.55 \cdot H2 + 0.60 = V \]"
    right = formula.replace("H2", "0.5969").replace("V", _n(SEED004, "net_o2", 5))
    twin = formula.replace("H2", "0.5933").replace("V", "1.2230")
    r = check(SEED004, ("right", "net_o2", right), ("twin", "net_o2", twin))
    assert r["right"].verdict == "correct"
    assert r["twin"].verdict == "incorrect"
    assert r["twin"].diagnosis[0].kind == "wrong_substituted_value"
    assert "out}_{h2}" in r["twin"].diagnosis[0].message


def test_a_telegram_chat_export() -> None:
    """Telegram's "[19:02] Aigerim: …" before each message, a reply "↪ Tom: …", "[sticker 👍]" and "[voice 0:21]";
    plain text w5* for the updated weight and w5** for the second update, η*∂E/∂w5 with the derivative after a
    star, a remark after the last number ("✅ went down from 0.3272405"). The twin drops η."""
    chat = ("[19:10] Ruslan: ∂E/∂w5 = Δ * h1 = −0.809 * 0.85 = −0.68765\n[19:11] Tom: [sticker 😎]\n"
            "[19:13] Ruslan: ↪ Tom: update, η = 0.05:\nw5* = w5 − η*∂E/∂w5 = 0.14 − 0.05*(−0.68765) = 0.14 + "
            "0.0343825 = VALUE ✅ went down from 0.3272405\n[19:14] Ruslan: [voice 0:21]\n")
    define = "[19:08] Aigerim: Δ = prediction − actual = 0.191 − 1 = −0.809\n"
    right = define + chat.replace("VALUE", _n(SEED002, "w5+", 7))
    twin = define + chat.replace("0.05*(−0.68765) = 0.14 + 0.0343825", "(−0.68765) = 0.14 + 0.68765").replace(
        "VALUE", "0.82765")
    second = "[20:14] Ruslan: w5** = 0.1743825 + 0.05*0.6874073 = VALUE\n"
    assert verdicts(SEED002, ("right", "w5+", right), ("twin", "w5+", twin),
                    ("second", "w5+", second.replace("VALUE", _n(SEED002, "w5+", 7, 1)), 1),
                    ("second_twin", "w5+", second.replace("VALUE", "0.2187529"), 1)) == {
        "right": "correct", "twin": "incorrect", "second": "correct", "second_twin": "incorrect"}


def test_a_mediawiki_page() -> None:
    """A course wiki's source: <math> tags around the math, == headings ==, [[links|shown]], {{templates}},
    <ref> footnotes, ":" indentation, a talk page's signature. The twin leaves σ′ out of δ_O."""
    page = ("== Backward pass ==\n=== Output error term ===\nUsing the [[Sigmoid function|sigmoid]]'s "
            "<math>\\sigma'(x) = \\sigma(x)\\,(1 - \\sigma(x))</math>{{Citation needed}}<ref>See the lecture.</ref>:\n"
            ":<math>\\delta_O = \\frac{\\partial E}{\\partial \\mathrm{net}_O} = FORM</math> — "
            "[[User:Kmeans4ever|Kmeans4ever]] 14:02, 3 March (UTC)\n")
    right = page.replace("FORM", r"(\mathrm{out}_O - \mathrm{target})\,\mathrm{out}_O\,(1 - \mathrm{out}_O)")
    twin = page.replace("FORM", r"\mathrm{out}_O - \mathrm{target}")
    assert verdicts(SEED003, ("right", "delta_O", right), ("twin", "delta_O", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_a_hacker_news_thread() -> None:
    """Hacker News: "kvark 5 hours ago | parent | next [–]" headers; "> …" quotes the comment answered (a wrong
    formula quoted is not the writer's); plain text w5+ and delta_o1 (the Greek letter spelt out); "w5 (after
    iteration 2) = …"; a list "w1..w8 = …" as a remark; an indented program "w5 -= lr * …". The twin uses w5, w7
    (hidden unit 1's weights) for δ_h2."""
    thread = ("pbnj 2 hours ago | parent | next [–]\n> delta_h2 = (delta_o1*w5 + delta_o2*w7) * …\n"
              "Updated set: w1..w8 = 0.149780716, 0.199561432, 0.249751144; b1 = 0.35 unchanged.\n"
              "  delta_h2 = (delta_o1*W1 + delta_o2*W2) * out_h2*(1 - out_h2) = D * 0.240616318 = VALUE\n"
              "which is\n\n    w5 -= lr * delta_o1 * out_h1\n\ntwice in my numpy version, good.\n")
    right = thread.replace("W1", "w6").replace("W2", "w8").replace("D", "0.036261676").replace(
        "VALUE", _n(SEED004, "delta_h2", 7, 1))
    twin = thread.replace("W1", "w5").replace("W2", "w7").replace("D", "0.031163845").replace(
        "VALUE", "0.007498530")
    update = ("mazur_fan 3 hours ago | parent | next [–]\n"
              "  w5 (after iteration 2) = 0.35891648 - 0.5 * 0.083125235 = V\n")
    plus = "  w5+ = w5 - eta * dE/dw5 = 0.4 - 0.5 * 0.082167041 = V\n"
    r = check(SEED004, ("right", "delta_h2", right, 1), ("twin", "delta_h2", twin, 1),
              ("update", "w5+", update.replace("V", _n(SEED004, "w5+", 9, 1)), 1),
              ("update_twin", "w5+", update.replace("V", "0.400479980"), 1),
              ("plus", "w5+", plus.replace("V", _n(SEED004, "w5+", 8))),
              ("plus_twin", "w5+", plus.replace(" - 0.5", " + 0.5").replace("V", "0.44108352")))
    assert {k: a.verdict for k, a in r.items()} == {
        "right": "correct", "twin": "incorrect", "update": "correct", "update_twin": "incorrect",
        "plus": "correct", "plus_twin": "incorrect"}
    assert r["twin"].diagnosis[0].kind == "wrong_weight"


def test_a_batch_counted_from_zero() -> None:
    """Chollet's "sample 0", "sample 1 (…, class 3)" and L^{(0)}: the batch counted from 0, so (1) is the second
    sample; −log 0.350819 is worked out (it was refused). The twin takes the first sample's h_1 for the second's."""
    loss = ("sample 0: $-\\log 0.350819 = 1.047485$; sample 1 ($x = (-0.4, 0.3)$, class 3): $y_3 = 0.326898$, "
            "$-\\log 0.326898 = 1.118108$.\n$$\\mathrm{loss} = \\tfrac12(1.047485 + 1.118108) = VALUE$$")
    grad = ("sample 0: $-0.649181 \\cdot 0.263625 = -0.171140$; sample 1: $h^{(1)}_1 = \\tanh(-0.05) = H$, "
            "$y^{(1)}_1 - t^{(1)}_1 = 0.304753$, product $P$.\n"
            "$$\\frac{\\partial \\mathrm{loss}}{\\partial w_5} = \\tfrac12(-0.171140 + P) = VALUE$$")
    delta = (r"$$\frac{\partial L^{(0)}}{\partial \mathrm{net}_{h1}} = -0.399072 \cdot (1 - 0.263625^2)"
             r" = -0.399072 \cdot 0.930502 = VALUE$$")
    r = verdicts(SOFTMAX, ("loss", "E", loss.replace("VALUE", _n(SOFTMAX, "E", 7))),
                 ("grad", "dE/dw5", grad.replace("H", "-0.049958").replace("P", "-0.015225").replace(
                     "VALUE", _n(SOFTMAX, "dE/dw5", 5))),
                 ("grad_twin", "dE/dw5", grad.replace("H", "0.263625").replace("P", "0.080342").replace(
                     "VALUE", "-0.045399")),
                 ("delta", "delta_h1", delta.replace("VALUE", _n(SOFTMAX, "delta_h1", 6))),
                 ("delta_twin", "delta_h1", delta.replace("0.930502", "0.263625").replace("VALUE", "-0.105205")))
    assert r == {"loss": "correct", "grad": "correct", "grad_twin": "incorrect", "delta": "correct",
                 "delta_twin": "incorrect"}


def test_hassouns_notation() -> None:
    """Hassoun: f_o(net) = net (the output unit's activation, the identity), f_o'(net_o) = 1, f_h the hidden
    layer's, W^{(2)\\,new}_1 the updated weight; δ_o = d − y names the output's error term with a letter, so δ_1 is
    hidden unit 1's (Hassoun's δ = −∂E/∂net). The twin subtracts in Hassoun's update (δ there is −∂E/∂net)."""
    given = (r"The output unit is linear, $f_o(net) = net$, so $f_o'(net_o) = 1$ and "
             r"\[ \delta_o = (d - y)\, f_o'(net_o) = d - y, \qquad \delta_1 = \delta_o W^{(2)}_1 f_h'(net_1), \]"
             r"so $\frac{\partial E}{\partial net_o} = -\delta_o = y - d$.")
    grad = (r"\[ \frac{\partial E}{\partial W^{(1)}_{21}} = -\delta_1\, x_2 = -(d - y)\, W^{(2)}_1\, \Phi'(net_1)\, x_2"
            r" \]")
    update = r"\[ W^{(2)\,new}_1 = W^{(2)}_1 SIGN \alpha (d - y)\Phi(net_1) \]"
    r = verdicts(SEED001, ("given", "delta_y", given), ("grad", "dE/dW1_21", grad),
                 ("update", "W2_1+", update.replace("SIGN", "+")), ("twin", "W2_1+", update.replace("SIGN", "-")))
    assert r == {"given": "correct", "grad": "correct", "update": "correct", "twin": "incorrect"}


def test_youtube_comments() -> None:
    """YouTube: "@neuron_nerd_92 · 1 week ago" headers, "👍 12   Reply" footers, "w7 (2nd update) = …", and
    "≈ −0.359769… my calculator at full precision says −0.359768" (the value again, more exactly). The twin adds
    the step."""
    comment = ("@neuron_nerd_92 · 1 week ago\n@BackpropByHand continuing: ∂Error/∂w7 = 0.059396 × 0.492857 = 0.029274\n"
               "w7 (2nd update) = −0.330495 SIGN 0.029274 ≈ A… my calculator at full precision says B\n👍 12   Reply\n")
    right = comment.replace("SIGN", "−").replace("A", "−0.359769").replace("B", _n(SEED000, "w7+", 6, 1))
    twin = comment.replace("SIGN", "+").replace("A", "−0.301221").replace("B", "−0.301222")
    assert verdicts(SEED000, ("right", "w7+", right, 1), ("twin", "w7+", twin, 1)) == {
        "right": "correct", "twin": "incorrect"}


def test_updated_weights_in_plain_text_and_another_layers_bias() -> None:
    """"δ_o1·w7+ + δ_o2·w8+" (the updated weights, plain text) is named updated_weights; b_1 in net_O (the hidden
    layer's bias) is a wrong weight; Armenian's "՝" and "5)-ի" (a reference with a case ending) are prose."""
    updated = ("w7+ = −0.330495, w8+ = 0.726155\n∂Error/∂Out_h2 = δ_o1·w7+ + δ_o2·w8+ = 0.061605×(−0.330495) + "
               "0.149181×0.726155 = 0.087968\n∂Error/∂w4 = 0.087968 × 0.249975 × 0.3 ≈ 0.006597\n")
    bias = ("\\textbf{14)} Հետ ենք տանում 5)-ի արդյունքը՝\n"
            r"\[ out_O = f(net_O) = \frac{1}{1 + e^{-(w_5\, out_{h_1} + "
            r"w_6\, out_{h_2} + BIAS)}} \]")
    r = check(SEED000, ("updated", "dE/dw4", updated))
    assert r["updated"].verdict == "incorrect" and r["updated"].diagnosis[0].kind == "updated_weights"
    b = check(SEED003, ("right", "O", bias.replace("BIAS", "b_2")), ("twin", "O", bias.replace("BIAS", "b_1")))
    assert b["right"].verdict == "correct"
    assert b["twin"].verdict == "incorrect" and b["twin"].diagnosis[0].kind == "wrong_weight"


def test_a_formula_partly_worked_out() -> None:
    r"""Zulip's ½[(0.406405 − 1)(0.292270) + (ŷ^{(2)}_1 − 0)(h^{(2)}_1)] at the second step: sample 1's term as
    numbers (SymPy combines them, so no single quantity rounds them), sample 2's as names. Equal at the network's
    numbers within the rounding of its 6-digit decimals; the twin takes sample 2's target as 1."""
    answer = (r"$$\frac{\partial E}{\partial w_5} = \tfrac12\big[(0.406405 - 1)(0.292270) + (\hat y^{(2)}_1 - T)"
              r"(h^{(2)}_1)\big] = VALUE$$")
    right = answer.replace("T", "0").replace("VALUE", _n(SOFTMAX, "dE/dw5", 6, 1))
    twin = answer.replace("T", "1").replace("VALUE", _n(SOFTMAX, "dE/dw5", 6, 1))
    assert verdicts(SOFTMAX, ("right", "dE/dw5", right, 1), ("twin", "dE/dw5", twin, 1)) == {
        "right": "correct", "twin": "incorrect"}


def test_an_error_term_put_in_with_its_sign_flipped() -> None:
    """"late to this, I did Δ = actual − prediction = 0.809": the prose hides the definition, and 0.809 stands where
    δ_out = −0.809 belongs — named as the sign flipped, not as another quantity's value."""
    answer = "[20:20] Dana: late to this, I did Δ = DEF\n∂E/∂w4 = Δ*w6*i2 = NUM*0.15*3 = VALUE\n"
    right = answer.replace("DEF", "prediction − actual = 0.191 − 1 = −0.809").replace("NUM", "(−0.809)").replace(
        "VALUE", _n(SEED002, "dE/dw4", 5))
    twin = answer.replace("DEF", "actual − prediction = 1 − 0.191 = 0.809").replace("NUM", "0.809").replace(
        "VALUE", "0.36405")
    r = check(SEED002, ("right", "dE/dw4", right), ("twin", "dE/dw4", twin))
    assert r["right"].verdict == "correct"
    assert r["twin"].verdict == "incorrect" and r["twin"].diagnosis[0].kind == "sign_flipped"


def test_a_sum_over_the_inputs_and_its_slip_named_where_written_out() -> None:
    r"""\sum_j W^{(1)}_{j1} x_j without limits runs over the inputs x1, x2, x3 (it ran over the one output). The twin
    reads the index order the other way, W^{(1)}_{1j}: its first line's slip is named where it is written out on the
    next (the transposed row, a wrong weight), not left "different"."""
    answer = r"$\text{net}_{h_1} = \sum_{j} W^{(1)}_{IDX}\,x_j = W^{(1)}_{A}x_1 + W^{(1)}_{B}x_2 + W^{(1)}_{C}x_3$"
    right = answer.replace("IDX", "j1").replace("A", "11").replace("B", "21").replace("C", "31")
    twin = answer.replace("IDX", "1j").replace("A", "11").replace("B", "12").replace("C", "13")
    r = check(SEED001, ("right", "net_h1", right), ("twin", "net_h1", twin))
    assert r["right"].verdict == "correct"
    assert r["twin"].verdict == "incorrect" and r["twin"].diagnosis[0].kind == "wrong_weight"


def test_a_sign_convention_stated_after_its_use() -> None:
    """Gallant: δ_{o_1} = (C − u) f′ = −0.138498562, then "Since δ_i = −∂E/∂S_i here, ∂E/∂S_{o_1} = 0.138498562"
    (S the net input): the convention, stated as a rule, holds for the lines before it. The twin states the
    derivative with δ's sign."""
    answer = (r"$$\delta_{o_1} = (0.01 - 0.751365070)(0.186815602) = -0.138498562$$" "\n"
              r"Since $\delta_i = -\partial E/\partial net_i$ here, $\dfrac{\partial E}{\partial net_{o_1}} = VALUE$.")
    right = answer.replace("VALUE", _n(SEED004, "delta_o1", 9))
    twin = answer.replace("VALUE", "-" + _n(SEED004, "delta_o1", 9))
    assert verdicts(SEED004, ("right", "delta_o1", right), ("twin", "delta_o1", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_words_before_a_statement_in_plain_text() -> None:
    """A forum post's plain text: "Setup: inputs i1 = 2, i2 = 3", "so h1 = 2*0.11 + 3*0.21 = 0.85" (a word before
    the name a statement gives), an emoticon "E went down :)", a list of values in brackets "(w1..w6 = …):". The
    twin slips the addition."""
    post = ("Setup from my lecture: inputs i1 = 2, i2 = 3, no activation functions anywhere.\n"
            "Edit: a second round with the updated weights (w1..w6 = 0.121326, 0.226989, 0.132135):\n"
            "so h1 = 2*0.11 + 3*0.21 = VALUE\nE went down :)\n")
    assert verdicts(SEED002, ("right", "h1", post.replace("VALUE", _n(SEED002, "h1", 2))),
                    ("twin", "h1", post.replace("VALUE", "0.95"))) == {"right": "correct", "twin": "incorrect"}


def test_a_code_name_for_minus_the_gradient() -> None:
    r"""Trask's numpy: \texttt{l1.T.dot(l2\_delta)[0,0]} = 0.593269992 × (−0.138498562) = −0.082167041 (his l2_delta
    is (y − l2)σ′, so the name is −∂E/∂w5), then ∂E/∂w5 = −(that name): its value is the truth, to its rounding. The
    twin drops the minus."""
    answer = (r"$$\texttt{l1.T.dot(l2\_delta)[0,0]} = 0.593269992 \times (-0.138498562) = -0.082167041$$" "\n"
              r"$$\frac{\partial E}{\partial w_5} = SIGN\texttt{l1.T.dot(l2\_delta)[0,0]} = VALUE$$")
    right = answer.replace("SIGN", "-").replace("VALUE", _n(SEED004, "dE/dw5", 8))
    twin = answer.replace("SIGN", "").replace("VALUE", "-" + _n(SEED004, "dE/dw5", 8))
    assert verdicts(SEED004, ("right", "dE/dw5", right), ("twin", "dE/dw5", twin)) == {
        "right": "correct", "twin": "incorrect"}


def test_a_convention_stated_as_target_minus_output() -> None:
    r"""Mehlig: δ^{(μ)}_i = t^{(μ)}_i − O^{(μ)}_i (the softmax's g′ cancelled), a rule by index letters: his δ is
    −∂E/∂net, so δ^{(1)}_1 = 1 − 0.350818949 = 0.649181051 and ∂E/∂net_{y1} = −δ^{(1)}_1. The twin equates the
    derivative with δ itself."""
    answer = ("\\text{Softmax with cross-entropy: } \\delta^{(\\mu)}_i = t^{(\\mu)}_i - O^{(\\mu)}_i \\\\\n"
              r"\delta^{(1)}_1 = 1 - 0.350818949 = 0.649181051, \qquad \frac{\partial E}{\partial \mathrm{net}_{y1}}"
              r" = SIGN\delta^{(1)}_1 = VALUE")
    value = _n(SOFTMAX, "delta_y1", 9)  # (the truth's, as 1 − y_1 = 1 − 0.350818949 with its sign)
    right = answer.replace("SIGN", "-").replace("VALUE", value)
    twin = answer.replace("SIGN", "").replace("VALUE", value.lstrip("-"))
    assert verdicts(SOFTMAX, ("right", "delta_y1", right), ("twin", "delta_y1", twin)) == {
        "right": "correct", "twin": "incorrect"}
