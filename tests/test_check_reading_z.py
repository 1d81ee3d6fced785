"""Readings of session 46 from answers of tune39 (measure36) that were judged wrongly, and one held-out answer
(measure37's, a wrong one accepted: a comment line under a program's output). Each right form has a wrong twin that
must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py, through `_n`: the spec
read with tomllib, an mpmath forward pass and central differences); symbolic answers are derived by hand in the
docstring."""

from __future__ import annotations

from test_check import SEED000, SEED002, SEED003, SEED004, check, right_and_twin
from test_check_reading_n import SEED001, SOFTMAX, _n


def test_flash_cards_term_tab_definition() -> None:
    """Quizlet's export, one card a row: the term, a tab, the definition: the term is the left side. Seed 003:
    ∂E/∂b2 = δ_O = (out_O − target) out_O (1 − out_O); the twin's card drops σ′ = out_O (1 − out_O)."""
    right_and_twin(SEED003, "dE/db2", "∂E/∂b2\tδ_O · 1 = (out_O − target) out_O (1 − out_O)",
                   "∂E/∂b2\tδ_O · 1 = (out_O − target)")


def test_a_remark_in_brackets_before_the_equals_sign_keeps_the_equation() -> None:
    """"∂E/∂net_O (chain rule version) = …": the remark is between the head and its "=", the equation goes on after
    it (it was read as a remark to the line's end, and the twin, σ(net_O) where σ′ belongs, was accepted on its
    head alone). A remark at the end with names in it, "(b1 feeds BOTH hidden neurons)", is a remark too. Seed 003:
    ∂E/∂net_O = (out_O − target) out_O (1 − out_O); ∂E/∂b1 = δ_h1 + δ_h2 (b1 is shared)."""
    right_and_twin(SEED003, "dE/dnet_O",
                   "∂E/∂net_O (chain rule version) = ∂E/∂out_O · ∂out_O/∂net_O = (out_O − target) · out_O (1 − out_O)",
                   "∂E/∂net_O (chain rule version) = ∂E/∂out_O · ∂out_O/∂net_O = (out_O − target) · σ(net_O)")
    line = "∂E/∂b1 = {} = δ_O [w5 out_h1(1 − out_h1) + w6 out_h2(1 − out_h2)]   (b1 feeds BOTH hidden neurons)"
    right_and_twin(SEED003, "dE/db1", line.format("δ_h1 + δ_h2"), line.format("δ_h1"))


def test_doxygen_comments_with_their_formulas() -> None:
    r"""A C++ header's /** … */ blocks: \f[ … \f] and \f$ … \f$ are the formulas, @brief's words prose, @param's name
    and the code under the comment nothing. Seed 001 (linear output): ∂E/∂W^{(2)}_2 = (y − d) Φ(s_2); the twin
    has the net input s_2 where the hidden output Φ(s_2) belongs."""
    header = ("/**\n * @brief Gradient for the output weight of hidden neuron 2 (\\f$s_j\\f$ net input, "
              "\\f$h_j = \\Phi(s_j)\\f$).\n"
              " * \\f[ \\frac{{\\partial E}}{{\\partial W^{{(2)}}_2}} = \\frac{{\\partial E}}{{\\partial y}}\\,"
              "\\frac{{\\partial y}}{{\\partial W^{{(2)}}_2}}\n *      = (y - d)\\,{} \\f]\n"
              " * @param alpha learning rate\n */\n"
              "double dE_dW2_2() const {{ return (y() - d_)*phi_(s_[1]); }}\n")
    right_and_twin(SEED001, "dE/dW2_2", header.format("\\Phi(s_2)"), header.format("s_2"))
    twin = check(SEED001, ("twin", "dE/dW2_2", header.format("s_2")))["twin"]
    assert twin.diagnosis[0].kind == "wrong_input", twin.diagnosis  # (the net input for the output it feeds)


def test_a_verilog_testbench_and_its_simulation_log() -> None:
    """$display, $exp and $finish are the testbench's system tasks, not math in dollars; the log's pairs are the
    claims. Seed 004: ∂E/∂w5 = δ_o1 out_h1; the twin's line multiplies by out_h2 and prints ∂E/∂w6's value."""
    bench = ("    d_o1 = (out_o1 - t_o1)*out_o1*(1.0 - out_o1);   // dE/dnet_o1\n"
             "    dEdw5 = d_o1*{};\n"
             "    $display(\"dEdw5 = %f\", dEdw5);\n    $finish;\n\n"
             "dEdw5 = {}\n")
    right_and_twin(SEED004, "dE/dw5", bench.format("out_h1", _n(SEED004, "dE/dw5", 6)),
                   bench.format("out_h2", _n(SEED004, "dE/dw6", 6)))


def test_a_perl_script_and_its_printf_columns() -> None:
    """Perl's sigils ($h1, %w) are variables, and printf "%-12s %.6f" prints a label padded, then its value. Seed
    000: Out_o1 = σ(w5 Out_h1 + w7 Out_h2); the twin's run had w6 for w7 (0.476946 is the right value)."""
    script = ("my $In_o1 = $w{{w5}}*$h1 + $w{{{}}}*$h2;\nmy $o1 = sigmoid($In_o1);\n"
              "printf \"%-12s %.6f\\n\", 'Out_o1', $o1;\n\n$ perl bp.pl\n...\nOut_o1       {}\n")
    right_and_twin(SEED000, "o1", script.format("w7", _n(SEED000, "o1", 6)), script.format("w6", "0.443615"))


def test_a_qbasic_listing_and_its_printout() -> None:
    """QBasic: ' comments, PRINT "dE/dw"; K; "="; DW(K) prints "dE/dw 1 =-.22652" (a space before a positive
    index, no zero before the point), names in capitals. Seed 002 (linear): ∂E/∂w1 = (out − y) w5 i1 = −0.22652; the
    twin's DW(1) takes I2 (−0.33978)."""
    listing = ("' dE/dw for the hidden weights\nDW(1) = DELTA * W(5) * {}\n"
               "FOR K = 1 TO 1: PRINT \"dE/dw\"; K; \"=\"; DW(K): NEXT K\n\n-- output --\ndE/dw 1 ={}\n")
    right_and_twin(SEED002, "dE/dw1", listing.format("I1", "-.22652"), listing.format("I2", "-.33978"))


def test_a_comment_line_under_a_programs_output_is_the_students_claim() -> None:
    """Under a fenced program and its fenced output, "// answer: dE/dw4 = …" is the student's final claim, not a
    program's comment (it was dropped as prose, and an answer whose last line copies the printed value wrong was
    accepted on the printout). Seed 002: ∂E/∂w4 = (out − y) w6 i2 = −0.36405."""
    sheet = ("```c\n    double dw4 = dh2 * i2;\n    printf(\"dw4 = %.6f\\n\", dw4);\n```\n"
             "```\ndw4 = -0.364050\n```\n// answer: dE/dw4 = {}\n")
    right_and_twin(SEED002, "dE/dw4", sheet.format("-0.36405"), sheet.format("-0.36045"))


def test_a_mupad_notebook_exported_as_text() -> None:
    """MuPAD: "•" input regions, their output indented under them (the program's), the student's "Answer (d):"
    text regions (the claims), a TA's quoted remark. Seed 001: ∂E/∂W^{(2)}_2 = (y − d) Φ(net_2); the twin drops
    the minus of −(d − y)."""
    notebook = ("(TA: \"minus! we go down the gradient\")\n\n• diff(E, W2_2)\n\n"
                "  -Phi(W1_12 x1 + W1_22 x2 + W1_32 x3) (d - W2_1 Phi(W1_11 x1 + W1_21 x2 + W1_31 x3))\n\n"
                "Answer (d), corrected: dE/dW2_2 = {} Φ(net_2)\n")
    right_and_twin(SEED001, "dE/dW2_2", notebook.format("(y - d)"), notebook.format("(d - y)"))


def test_a_powershell_console() -> None:
    """PowerShell: "PS C:\\…>" prompts, $variables, "$a; $b" printing one value a line in the de-DE culture (a
    decimal comma), "{0:N6}" -f $x. Seed 002: ∂E/∂w5 = (out − y) h1 = −0.68765; the twin multiplies by h2."""
    console = ("PS C:\\Users\\jonas\\ki-kurs> # Vorzeichen! d/dout 1/2 (out - y)^2 = out - y\n"
               "PS C:\\Users\\jonas\\ki-kurs> $delta = $out - $y\n"
               "PS C:\\Users\\jonas\\ki-kurs> $g5 = $delta * ${}\n"
               "PS C:\\Users\\jonas\\ki-kurs> $delta; \"{{0:N5}}\" -f $g5\n-0,809\n{}\n")
    right_and_twin(SEED002, "dE/dw5", console.format("h1", "-0,68765"), console.format("h2", "-0,38832"))


def test_a_title_in_quotation_marks() -> None:
    """'title page "Backpropagation 🌸 2-2-2 net, sigmoid, no bias". Given: …': a title in quotation marks is prose.
    Seed 000 numbers weights by their source: In_h1 = w1 x1 + w3 x2 = 0.1 + 0.15 = 0.25; the twin takes w2."""
    slide = ("Slide 1/10: title page \"Backpropagation 🌸 2-2-2 net, sigmoid, no bias\". Given: x1 = 0.5, x2 = 0.3\n"
             "Slide 2/10: \"forward pass 💫\"\nIn_h1 = {} = {}\n")
    right_and_twin(SEED000, "net_h1", slide.format("w1·x1 + w3·x2", "0.1 + 0.15 = 0.25"),
                   slide.format("w1·x1 + w2·x2", "0.1 − 0.12 = −0.02"))


def test_a_derivative_by_a_units_output_after_a_rule_for_every_unit() -> None:
    r"""A note's "\(out = \sigma(net)\)" is a rule for every unit; ∂E/∂out_O is then by the quantity out_O, not by
    its formula σ(net_O) (it was "out_O must name a quantity"). Seed 003: ∂E/∂out_O = out_O − target; the twin has
    the sign the wrong way round."""
    note = ("notation", "net_h1",
            "Notation: \\(out = \\sigma(net)\\) with \\(\\sigma(x) = \\frac{1}{1 + e^{-x}}\\).\n\n"
            "$$\nnet_{h_1} = w_1 i_1 + w_2 i_2 + b_1\n$$\n")
    line = "$$\n\\frac{{\\partial E}}{{\\partial out_O}} = -(target - out_O) = {}\n$$\n"
    right_and_twin(SEED003, "dE/dO", line.format("out_O - target"), line.format("target - out_O"), note)


def test_a_prolog_toplevel_and_the_students_answer_comments() -> None:
    """SWI-Prolog: "?- …" queries and their bindings ("G = 0.0414.", G a variable, not the error) are the program's;
    the "% Answer:" comment under them, going on in indented comment lines, is the student's claim (it was blanked
    as a TeX comment, and an answer copying the binding wrong was accepted on the binding). Seed 004: ∂E/∂w5 =
    δ_o1 out_h1 = 0.0821670406; the twin's answer line swaps two digits."""
    session = ("?- out_o(1, O1), out_h(1, H1), D1 is (O1 - 0.01)*O1*(1 - O1), G is D1*H1.\n"
               "D1 = 0.13849856162855695,\nG = 0.08216704056423077.\n\n"
               "% Answer: delta_o1 = (out_o1 - target_o1) out_o1 (1 - out_o1) = 0.13849856162855695\n"
               "%         dE/dw5 = delta_o1 * out_h1 = {}\n")
    right_and_twin(SEED004, "dE/dw5", session.format("0.08216704056423077"), session.format("0.08261704056423077"))


def test_a_unity_console_and_its_csharp_log_lines() -> None:
    """Unity: Debug.Log($"…") (C#'s interpolated string, not math in dollars), each log entry followed by its
    "UnityEngine.Debug:Log (object)" and "(at Assets/…)" stack lines, a vector printed in brackets after "(sample 0)"
    (the listing counts samples from 0: the batch's first). Softmax over the batch: ∂L/∂p_1 = −t_1/p_1 of sample 1;
    the twin's log has the digits of p_1's reciprocal swapped."""
    console = ('Debug.Log($"dL/dp (sample 0) = ({-T[0,0]/p[0,0]:F6}, {-T[0,1]/p[0,1]:F6}, {-T[0,2]/p[0,2]:F6})");\n\n'
               "--- Console ---\ndL/dp (sample 0) = (VALUE, 0.000000, 0.000000)\nUnityEngine.Debug:Log (object)\n"
               "SoftmaxBackprop:Start () (at Assets/Scripts/SoftmaxBackprop.cs:61)\n")
    right_and_twin(SOFTMAX, "dE/dy1", console.replace("VALUE", "-2.850473"), console.replace("VALUE", "-2.580473"))


def test_a_programs_gradient_named_by_the_asked_weights_number() -> None:
    """A program's g6 (PowerShell's $g6, a testbench's dEdw6) in an answer about ∂E/∂w6 is the student's name for the
    asked gradient (dh2 for ∂E/∂out_h2 likewise): its formula is judged as ∂E/∂w6, and δ·h1 there is a wrong
    input (it was "this derives ∂E/∂w5": its value is w5's). Seed 002: ∂E/∂w6 = (out − y) h2 = −0.38832; the
    twin takes h1 (−0.68765)."""
    console = ("PS C:\\Users\\jonas\\ki-kurs> $delta = $out - $y\n"
               "PS C:\\Users\\jonas\\ki-kurs> $g6 = $delta * ${}\nPS C:\\Users\\jonas\\ki-kurs> $g6\n{}\n")
    right_and_twin(SEED002, "dE/dw6", console.format("h2", "-0,38832"), console.format("h1", "-0,68765"))
    twin = check(SEED002, ("twin", "dE/dw6", console.format("h1", "-0,68765")))["twin"]
    assert twin.diagnosis[0].kind == "wrong_input", twin.diagnosis
    # (and dh2 about ∂E/∂out_h2 = (out − y) w6 = −0.12135: the twin's w5 is the weight of h1's path)
    unit = ("PS C:\\Users\\jonas\\ki-kurs> $delta = $out - $y\n"
            "PS C:\\Users\\jonas\\ki-kurs> $dh2 = $delta * ${}\nPS C:\\Users\\jonas\\ki-kurs> $dh2\n{}\n")
    right_and_twin(SEED002, "dE/dh2", unit.format("w6", "-0,12135"), unit.format("w5", "-0,11326"))
    twin = check(SEED002, ("twin", "dE/dh2", unit.format("w5", "-0,11326")))["twin"]
    assert twin.diagnosis[0].kind == "wrong_weight", twin.diagnosis


def test_a_remark_in_brackets_at_a_lines_start() -> None:
    """"(same run) h2 = .48": the remark before the statement is prose (it was read as a product of letters). Seed
    002: h2 = i1 w3 + i2 w4 = 0.48; the twin's run took w2 for w4 (0.87)."""
    right_and_twin(SEED002, "h2", "(same run) h2 = 0.48", "(same run) h2 = 0.87")


def test_the_hidden_net_inputs_where_their_outputs_feed_the_next_layer() -> None:
    """out_O fed the hidden net inputs, w5·net_h1 + w6·net_h2 + b2, where their outputs belong: a wrong input,
    named as such (it was "the expressions differ"). Seed 003: out_O = σ(w5 out_h1 + w6 out_h2 + b2)."""
    line = "out_O = 1/(1 + e^(−(w5·{} + w6·{} + b2)))"
    right_and_twin(SEED003, "O", line.format("out_h1", "out_h2"), line.format("net_h1", "net_h2"))
    twin = check(SEED003, ("twin", "O", line.format("net_h1", "net_h2")))["twin"]
    assert twin.diagnosis[0].kind == "wrong_input", twin.diagnosis


def test_the_activations_derivative_taken_at_the_output() -> None:
    """σ′(Out_o1) where σ′(In_o1) belongs: the derivative taken at the output, named (it was "the expressions
    differ"). Seed 000: δ_o1 = (Out_o1 − y1) σ′(In_o1)."""
    line = "δ_{{o1}} = (Out_{{o1}} - y_1)\\,\\sigma'({}_{{o1}})"
    right_and_twin(SEED000, "delta_o1", line.format("In"), line.format("Out"))
    twin = check(SEED000, ("twin", "delta_o1", line.format("Out")))["twin"]
    assert twin.diagnosis[0].kind == "wrong_activation_derivative", twin.diagnosis


def test_the_output_derivative_written_again_for_a_hidden_unit() -> None:
    """out_O(1 − out_O) written twice, the second where the hidden unit's out_h2(1 − out_h2) belongs: named (it
    was "the expressions differ"). Seed 003: ∂E/∂w4 = (out_O − target) out_O(1 − out_O) w6 out_h2(1 − out_h2) i2."""
    line = "$$\\frac{{\\partial E}}{{\\partial w_4}} = (out_O - target)\\, out_O(1 - out_O)\\, w_6\\; {}\\; i_2$$"
    right_and_twin(SEED003, "dE/dw4", line.format("out_{h2}(1 - out_{h2})"), line.format("out_O(1 - out_O)"))
    twin = check(SEED003, ("twin", "dE/dw4", line.format("out_O(1 - out_O)")))["twin"]
    assert twin.diagnosis[0].kind == "wrong_activation_derivative", twin.diagnosis
