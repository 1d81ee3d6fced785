"""Readings of session 41 from answers of tune31 (measure27) that were judged wrongly, among them the wrong answer it
accepted. Each right form has a wrong twin that must stay rejected. Numbers come from the corpus's own truth
(tests/corpus/truth_values.py: the spec read with tomllib, mpmath forward pass and central differences)."""

from __future__ import annotations

from test_check import SEED000, SEED002, SEED003, SEED004, check, verdicts
from test_check_reading_n import SEED001, SOFTMAX, _n

W3_SLIP = r"$$\frac{\partial E}{\partial w_3} = (\hat{y} - t)\,\hat{y}(1 - \hat{y})\, w_6\, i_1$$"
W3_RIGHT = r"$$\frac{\partial E}{\partial w_3} = (\hat{y} - t)\,\hat{y}(1 - \hat{y})\, w_6\, a_2 (1 - a_2)\, i_1$$"
W3_STEP = r"$$w_3 \leftarrow w_3 - \eta\,\frac{\partial E}{\partial w_3}$$"
NAMES = (r"$a_1 = \sigma(w_1 i_1 + w_2 i_2 + b_1)$, $a_2 = \sigma(w_3 i_1 + w_4 i_2 + b_1)$, "
         r"$\hat{y} = \sigma(w_5 a_1 + w_6 a_2 + b_2)$")


def test_an_update_written_with_a_derivative_an_earlier_answer_got_wrong_is_not_accepted() -> None:
    """The wrong answer measure27 accepted: on a symbolic network, w_3 ← w_3 − η ∂E/∂w_3 after an answer whose
    ∂E/∂w_3 lacked σ′(z_2). The student's ∂E/∂w_3 is that wrong one; after a right one the same update is right."""
    wrong = check(SEED003, ("names", "O", NAMES), ("slip", "dE/dw3", W3_SLIP), ("step", "w3+", W3_STEP))
    assert (wrong["slip"].verdict, wrong["step"].verdict) == ("incorrect", "incorrect")
    (d,) = wrong["step"].diagnosis
    assert d.kind == "incomplete" and "dE/dw3" in d.message and "earlier answer got wrong" in d.message
    right = verdicts(SEED003, ("names", "O", NAMES), ("right", "dE/dw3", W3_RIGHT), ("step", "w3+", W3_STEP))
    assert right == {"names": "correct", "right": "correct", "step": "correct"}


def test_a_double_printed_by_a_program_is_its_value() -> None:
    """GHCi prints ½(0.191 − 1)² as the double 0.32724049999999993: that is E = 0.3272405. A slip in a digit
    printed the same way is not."""
    line = "ghci> 0.5 * (out - y)^2\nVALUE\n\n$E = \\frac12(out - y)^2 = VALUE$"
    assert verdicts(SEED002, ("right", "E", line.replace("VALUE", "0.32724049999999993")),
                    ("twin", "E", line.replace("VALUE", "0.32724149999999993"))) == {
        "right": "correct", "twin": "incorrect"}


def test_asciidoc_stem_blocks_and_inline_stem() -> None:
    """An AsciiDoc hand-in: [stem] blocks between ++++ lines, stem:[…] inline, .Titles, NOTE: and // comments. The
    twin drops Φ′(h'_2)."""
    page = ("// TODO: check the sign\n== 2. Backward pass\n\n"
            "NOTE: the output is linear, stem:[y = \\sum_j W^2_j h_j].\n\n"
            ".Error term of hidden unit 2\n[stem]\n++++\n\\delta_2 = \\frac{\\partial E}{\\partial h'_2} = "
            "(y - d)\\, W^2_2 PHI\n++++\n")
    assert verdicts(SEED001, ("right", "delta_h2", page.replace("PHI", "\\Phi'(h'_2)")),
                    ("twin", "delta_h2", page.replace("PHI", ""))) == {"right": "correct", "twin": "incorrect"}


def test_confluence_math_macros() -> None:
    """A Confluence page: {mathinline} and {mathblock} macros, h2. headings, {info} panels, (x) and (/) icons, a
    table of definitions. The twin writes t − ŷ."""
    page = ("h2. Forward\n\n{info}Everything symbolic.{info}\n\n||quantity||definition||\n"
            "|hidden activations|{mathinline}a_1 = \\sigma(w_1 i_1 + w_2 i_2 + b_1){mathinline}|\n\n"
            "Fixed (/):\n{mathblock}\n\\delta_O := \\frac{\\partial E}{\\partial z_O} = "
            "(SIGN)\\,\\hat{y}\\,(1 - \\hat{y})\n"
            "{mathblock}\n")
    r = verdicts(SEED003, ("names", "O", NAMES), ("right", "delta_O", page.replace("SIGN", "\\hat{y} - t")),
                 ("twin", "delta_O", page.replace("SIGN", "t - \\hat{y}")))
    assert (r["right"], r["twin"]) == ("correct", "incorrect")


def test_khmer_prose_digits_and_full_stops() -> None:
    """Khmer prose: its own digits (គំរូទី ២, sample 2) name the sample and its full stop ។ ends a sentence after
    the math. The twin takes sample 1's h_2 for sample 2's."""
    sheet = ("គំរូទី ២: $h = (-0.0500,\\ 0.1391)$។\n$$\\frac{\\partial J}{\\partial w_6} = \\tfrac12\\big(\\delta_1^{[1]} "
             "h_2^{[1]} + \\delta_1^{[2]} h_2^{[2]}\\big) = "
             "\\tfrac12\\big(-0.6492 \\times 0.1194 + 0.3048 \\times H\\big)"
             " = VALUE$$")
    assert verdicts(SOFTMAX, ("right", "dE/dw6", sheet.replace("H", "0.1391").replace("VALUE", "-0.0176")),
                    ("twin", "dE/dw6", sheet.replace("H", "0.1194").replace("VALUE", "-0.0206"))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_change_rounded_twice_is_named_by_its_arithmetic() -> None:
    """GeeksforGeeks' Δw_{2,3} = 1 × 0.0168 × 0.3 = 0.0050 (0.00504 rounded): the change Δw_3 = 0.0050529, named by
    the product before its last rounding; New w_{2,3} = 0.5 + 0.0050 = 0.5050 then follows from rounded numbers. The
    twin takes x_1 = 0.5 for x_2."""
    sheet = ("Weights $w_{i,j}$ run from node $i$ to node $j$: $w_{1,3} = w_1$, $w_{2,3} = w_3$.\n\n"
             "For $w_{2,3}$: $\\Delta w_{2,3} = 1 \\times 0.0168 \\times X = CHANGE$\n"
             "$$\\text{New } w_{2,3} = 0.5 + CHANGE = NEW$$")
    assert _n(SEED000, "w3+", 4) == "0.5051"
    assert verdicts(SEED000, ("right", "w3+", sheet.replace("X", "0.3").replace("CHANGE", "0.0050")
                              .replace("NEW", "0.5050")),
                    ("twin", "w3+", sheet.replace("X", "0.5").replace("CHANGE", "0.0084")
                     .replace("NEW", "0.5084"))) == {"right": "correct", "twin": "incorrect"}


def test_calculator_keystrokes_between_a_formula_and_its_display() -> None:
    """A Casio sheet: the formula, the keystrokes typed (ending in "="), the 10-digit display, STO into a memory;
    the display in the calculator's ×10^{-3} form. The twin's display is σ(+0.02), the minus not typed."""
    sheet = ("$In_{h2} = w_2x_1 + w_4x_2$:\\quad \\texttt{(−)0.4×0.5+0.6×0.3 =} \\quad $-0.02$\n\n"
             "$Out_{h2}$:\\quad \\texttt{1÷(1+e\\^{}((−)Ans)) =} \\quad $VALUE$ \\quad \\texttt{STO B}\n")
    assert verdicts(SEED000, ("right", "h2", sheet.replace("VALUE", "0.4950001667")),
                    ("twin", "h2", sheet.replace("VALUE", "0.5049998333"))) == {"right": "correct", "twin": "incorrect"}
    dw1 = ("$\\dfrac{\\partial Error}{\\partial w_1} = \\delta_{h1}\\,x_1$:\\quad \\texttt{Ans×0.5 =} \\quad "
           "$VALUE\\times10^{-3}$")
    assert _n(SEED000, "dE/dw1", 10) == "-0.008421480462"
    assert verdicts(SEED000, ("right", "dE/dw1", dw1.replace("VALUE", "-8.421480462")),
                    ("twin", "dE/dw1", dw1.replace("VALUE", "-5.052888277"))) == {
        "right": "correct", "twin": "incorrect"}


def test_a_tuple_of_names_equal_to_a_tuple_of_numbers() -> None:
    """Rich & Knight's "input vector (x_1, x_2) = (0.05, 0.10)": entry by entry. The twin swaps the inputs."""
    sheet = "Input vector $(x_1, x_2) = (X)$, so $net_{h1} = w_1 x_1 + w_2 x_2 + b_1 = 0.3775$."
    assert verdicts(SEED004, ("right", "net_h1", sheet.replace("X", "0.05, 0.10")),
                    ("twin", "net_h1", sheet.replace("X", "0.10, 0.05"))) == {"right": "correct", "twin": "incorrect"}


RK_DELTA = (r"$$\delta2_j = o_j(1 - o_j)(y_j - o_j)$$" "\n"
            r"$$\delta2_1 = 0.7513651\,(1 - 0.7513651)\,(0.01 - 0.7513651) = -0.1384986$$" "\n"
            r"$$\frac{\partial E}{\partial net_{o_1}} = SIGN\delta2_1 = VALUE$$")
RK_STEP = (r"$$\delta1_2 = 0.2406134 \times \left[(-0.1384986)(0.45) + (0.0380982)(0.55)\right] = -0.0099543$$" "\n"
           r"Adjust the weights: $\Delta w1_{ij} = \eta\,\delta1_j\,x_i$." "\n"
           r"$$\Delta w1_{12} = 0.5 \times (-0.0099543) \times X = CHANGE$$" "\n"
           r"$$w1_{12} \leftarrow 0.25 + (CHANGE) = NEW$$")


def test_rich_and_knight_layer_digits_and_their_index_order() -> None:
    """Rich & Knight's δ2_j, δ1_j (a layer's digit glued to δ, counted from the first hidden layer, δ = −∂E/∂net as
    δ2_j = o_j(1 − o_j)(y_j − o_j) states) and w1_{ij} from input i to hidden unit j, as Δw1_{ij} = η δ1_j x_i says
    (δ's letter is the second index): w1_{12} is w_3. The twins drop the minus, and take x_2 for x_1."""
    right = RK_DELTA.replace("SIGN", "-").replace("VALUE", "0.1384986")
    assert verdicts(SEED004, ("right", "dE/dnet_o1", right),
                    ("twin", "dE/dnet_o1", RK_DELTA.replace("SIGN", "").replace("VALUE", "-0.1384986"))) == {
        "right": "correct", "twin": "incorrect"}
    assert _n(SEED004, "w3+", 7) == "0.2497511"
    step = verdicts(SEED004, ("delta", "dE/dnet_o1", right),
                    ("right", "w3+", RK_STEP.replace("X", "0.05").replace("CHANGE", "-0.0002489")
                     .replace("NEW", "0.2497511")),
                    ("twin", "w3+", RK_STEP.replace("X", "0.10").replace("CHANGE", "-0.0004977")
                     .replace("NEW", "0.2495023")))
    assert (step["right"], step["twin"]) == ("correct", "incorrect")


def test_counts_and_a_momentum_are_no_claims() -> None:
    """Rich & Knight's "A = 2 input units, …, C = 2 output units" counts units, and "(no momentum, α = 0)" sets a
    constant of the method: neither is a value of the loss C or of the learning rate α. Without the words they are
    claims, and wrong."""
    sheet = (r"We use $A = 2$ input units, $B = 2$ hidden units and $C = 2$ COUNT; $\eta = 0.5$ (WORDS$\alpha = 0$)."
             "\n" r"$$h_1 = \frac{1}{1 + e^{-0.3775}} = 0.5932700$$")
    assert verdicts(SEED004, ("right", "h1", sheet.replace("COUNT", "output units").replace("WORDS", "no momentum, ")),
                    ("count", "h1", sheet.replace("COUNT", "at the end").replace("WORDS", "no momentum, ")),
                    ("rate", "h1", sheet.replace("COUNT", "output units").replace("WORDS", ""))) == {
        "right": "correct", "count": "incorrect", "rate": "incorrect"}


def test_a_printed_label_and_value() -> None:
    """GeeksforGeeks' "Output:" block after the code, "Loss: 0.2097" (the mean of two squared errors, ½Σ here):
    the loss's value. The twin prints the sum without ½."""
    sheet = ("\\begin{verbatim}\nloss = np.mean(np.square(y_target - output))\nprint(f\"Loss: {loss:.4f}\")\n"
             "\\end{verbatim}\n\\textbf{Output:}\n\\begin{verbatim}\nLoss: VALUE\n\\end{verbatim}\n")
    assert verdicts(SEED000, ("right", "E", sheet.replace("VALUE", "0.2097")),
                    ("twin", "E", sheet.replace("VALUE", "0.4194"))) == {"right": "correct", "twin": "incorrect"}


def test_a_rule_stated_later_holds_on_the_whole_sheet() -> None:
    """Rich & Knight's weight from h_1 to o_2 is w2_{12} = 0.50 (w_7) in the third answer; the rule that says so,
    Δw1_{ij} = η δ1_j x_i, comes in a later one. The twin writes w_6's 0.45 for it."""
    o2 = r"The weight from $h_1$ to $o_2$ is $w2_{12} = W$, so $$o_2 = \frac{1}{1 + e^{-1.2249214}} = 0.7729285$$"
    rule = RK_STEP.replace("X", "0.05").replace("CHANGE", "-0.0002489").replace("NEW", "0.2497511")
    r = verdicts(SEED004, ("o2", "o2", o2.replace("W", "0.50")), ("twin", "o2", o2.replace("W", "0.45")),
                 ("delta", "dE/dnet_o1", RK_DELTA.replace("SIGN", "-").replace("VALUE", "0.1384986")),
                 ("rule", "w3+", rule))
    assert r == {"o2": "correct", "twin": "incorrect", "delta": "correct", "rule": "correct"}
