"""Readings of session 47 from answers of tune40 (measure37) that were judged wrongly, and two held-out answers
(measure38's, wrong ones accepted: a VHDL comment line under the simulation's report). Each right form has a wrong
twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py, through `_n`:
the spec read with tomllib, an mpmath forward pass and central differences); symbolic answers are derived by hand in
the docstring."""

from __future__ import annotations

from decimal import Decimal

from test_check import SEED000, SEED002, SEED003, SEED004, check, right_and_twin
from test_check_reading_n import SEED001, SOFTMAX, _n


def test_a_text_message_thread_with_weekday_headers_and_x_for_times() -> None:
    """A phone's export, "[Tue 23:58] Maya:" headers, "x" typed for times between numbers and names. Seed 004:
    ∂E/∂w6 = (out_o1 − t_o1) out_o1 (1 − out_o1) out_h2; the twin multiplies by out_h1 (∂E/∂w5's value)."""
    thread = ("[Tue 23:58] Maya: for w6 i have 0.0827??\n"
              "[Wed 00:01] Me: same. dE/dw6 = (out_o1 - 0.01) x out_o1(1-out_o1) x {}")
    right_and_twin(SEED004, "dE/dw6", thread.format(f"out_h2 = 0.7414 x 0.1868 x 0.5969 = {_n(SEED004, 'dE/dw6', 4)}"),
                   thread.format(f"out_h1 = 0.7414 x 0.1868 x 0.5933 = {_n(SEED004, 'dE/dw5', 4)}"))


def test_a_half_after_a_times_sign_and_the_sign_slip_named() -> None:
    """"2 x 1/2 (target_o2 - out_o2)": ASCII's 1/2 before a bracket is a half also after a product's sign, so the
    line is t − o, the sign flipped (it had been read 2·1/(2(t − o)), "the expressions differ"). Seed 004:
    ∂E/∂out_o2 = out_o2 − t_o2 = 0.7729 − 0.99 = −0.2171."""
    right_and_twin(SEED004, "dE/do2", "[Tue 23:53] Me: 2 x 1/2 (out_o2 - target_o2) = 0.7729 - 0.99 = -0.2171",
                   "[Tue 23:53] Me: 2 x 1/2 (target_o2 - out_o2) = 0.99 - 0.7729 = 0.2171")
    twin = check(SEED004, ("twin", "dE/do2", "2 x 1/2 (target_o2 - out_o2) = 0.99 - 0.7729 = 0.2171"))["twin"]
    assert twin.diagnosis[0].kind == "sign_flipped", twin.diagnosis


def test_a_remark_with_a_number_after_an_emoji() -> None:
    """"= 0.291028 🎉 (was 0.298371)": the bracket after the last number, a word and a number, says what E was before
    the step. Seed 004 after one step: E = 0.291028; the twin's last number is the first pass's E."""
    line = "[Wed 00:55] Me: E_total = 0.267977 + 0.023051 = {} 🎉 (was 0.298371)"
    right_and_twin(SEED004, "E", line.format(_n(SEED004, "E", 6, 1)), line.format("0.298371"), step=1)


def test_a_graphviz_computation_graph_and_its_labels() -> None:
    """DOT's node and edge statements: the labels are the math, "\\n" their line breaks; the statements, comments and
    a record's fields are the program's. Seed 000 (source numbering): ∂Error/∂w7 = δ_o1 · h2; the twin's edge
    label multiplies by h1 (∂Error/∂w5)."""
    graph = ("digraph bp {{\n  rankdir=LR;\n  // w7 sits on the edge h2 -> In_o1\n"
             "  x1 [label=\"x1 | 0.5\"];\n"
             "  {0} -> ino1 [style=dashed, label=\"∂Error/∂w7 = δ_o1 · {0}\\n= 0.0616 · {1}\\n= {2}\"];\n}}\n")
    right_and_twin(SEED000, "dE/dw7", graph.format("h2", "0.4950", _n(SEED000, "dE/dw7", 4)),
                   graph.format("h1", "0.5622", "0.0346"))


def test_a_proof_assistant_script_and_its_answer_comments() -> None:
    """Isabelle, Coq and Lean 4 scripts: definitions, lemma statements and tactic proofs are the prover's; the
    answers are the comments (a comment's "Answer (l):" or "(14) corrected:" label dropped; "(* TODO *)" states
    nothing). Seed 001: W2_1⁺ = W2_1 − α (y − d) Φ(h'_1) (twin: + α); seed 003: ∂E/∂w5 = δ_O out_h1 (twin: net_h1)."""
    isabelle = ('definition W2_1_new where "W2_1_new = W2_1 {0} α * ((y - d) * Φ hp1)"\n'
                "(* TODO *)\n(* Answer (l): W2_1⁺ = W2_1 {0} α (y − d) Φ(h'_1) *)\n")
    right_and_twin(SEED001, "W2_1+", isabelle.format("-"), isabelle.format("+"))
    coq = ("Lemma dE_dW2_3 :\n  is_derive (fun w => Err (W2_1 * h1 + W2_2 * h2 + w * h3)) W2_3 ((y - d) * {0}).\n"
           "Proof. unfold Err, y, h3. auto_derive; [easy | field]. Qed.\n(* (7) corrected: dE/dW2_3 = (y - d) {0} *)\n")
    right_and_twin(SEED001, "dE/dW2_3", coq.format("Phi(h'_3)"), coq.format("h'_3"))
    lean = ("theorem dE_dw5' : deriv (fun w => (target - σ (w * out_h1 … + w₆ * out_h2 … + b₂)) ^ 2 / 2) w₅\n"
            "    = (out_O … - target) * out_O … * (1 - out_O …) * {0} … := by\n  simp only [deriv_comp]; ring\n"
            "-- answer (g), corrected: ∂E/∂w₅ = (out_O − target) out_O (1 − out_O) · {0}\n")
    right_and_twin(SEED003, "dE/dw5", lean.format("out_h1"), lean.format("net_h1"))


def test_a_notebook_printed_as_text_with_its_code_cells() -> None:
    """Jupyter's "In [6]:" over a Kotlin cell: the cell's code and its Out[n] are the program's; what it printed,
    values side by side, and the Markdown's "**Answer:**" are read. Seed 004: E_total = 0.298371109; the twin
    printed and answered E_o1 alone."""
    cell = ("In [1]:\nimport kotlin.math.exp\nfun sigmoid(x: Double) = 1.0 / (1.0 + exp(-x))\n\n"
            "In [6]:\nval eO1 = 0.5 * (t1 - outO1) * (t1 - outO1)\nval eO2 = 0.5 * (t2 - outO2) * (t2 - outO2)\n"
            "println(\"E_o1 = %.9f  E_o2 = %.9f  E_total = %.9f\".format(eO1, eO2, eO1 + eO2))\n"
            "E_o1 = 0.274811083  E_o2 = 0.023560026  E_total = {0}\n\n**Answer:** E_total = {0}\n")
    right_and_twin(SEED004, "E", cell.format(_n(SEED004, "E", 9)), cell.format("0.274811083"))


def test_an_spss_syntax_file_and_its_comments() -> None:
    """COMPUTE, EXECUTE, LIST and the viewer's "List" tables are the program's; "* (g) dE/dw4 = -.364050." is the
    student's (its * , its label and its closing period dropped). Seed 002 (linear): ∂E/∂w4 = (out − y) w6 i2; the
    twin's comment gives the first iteration's value to one significant digit."""
    syntax = ("COMPUTE dw4 = d*w6*i2.\nEXECUTE.\nLIST VARIABLES=dw4.\n\nList\n        dw4\n   -.364050\n\n"
              "* (g) dE/dw4 = {}.\n")
    right_and_twin(SEED002, "dE/dw4", syntax.format("-.364050"), syntax.format("-.4"))


def test_an_erlang_shell_session_and_its_comment_lines() -> None:
    """erl's numbered prompts, capitalised variables and echoes are the program's; the "%" lines under them are the
    student's answers. Seed 000: ∂Error/∂w3 = δ_h1 x2 (source numbering); the twin's comment copies δ_h1."""
    session = ("27> DH1 = (D1*W5 + D2*W6)*H1*(1 - H1).   % h1 -> o1 via w5, h1 -> o2 via w6\n"
               "-0.016842960923003755\n28> G3 = DH1*X2.   % In_h1 = w1*x1 + w3*x2\n-0.005052888276901326\n"
               "% dError/dw3 = {}\n")
    right_and_twin(SEED000, "dE/dw3", session.format(_n(SEED000, "dE/dw3", 9)), session.format("-0.016842961"))


def test_a_deno_session_and_the_comments_beside_it() -> None:
    """Deno's REPL ("> " prompts, what it printed): a "//" line between the entries states the student's answer,
    with the sample said before its "=" ("(sample 1)") or the step ("after one step"), a weight updated as "w10+".
    Softmax batch: δ_h2 of sample 1 = 0.436110 (1 − h2²) = 0.429890; w10⁺ = 0.615082; E after one step."""
    session = ("> const da = dh.map((g, j) => g * (1 - h[j] ** 2));\nundefined\n> da.map(v => v.toFixed(6))\n"
               "[ \"-0.371337\", \"0.429890\" ]\n// delta_h2 = dL/da2 = {}\n")
    right_and_twin(SOFTMAX, "delta_h2", session.format(f"0.436110 · (1 - 0.119427²) = {_n(SOFTMAX, 'delta_h2', 6)}"),
                   session.format("0.436110 · 0.119427 = 0.052083"))
    update = "> (b[2] - lr * g).toFixed(6)\n\"0.615082\"\n// w10+ = 0.6 - 0.5·(-0.030164) = {}\n"
    right_and_twin(SOFTMAX, "w10+", update.format(_n(SOFTMAX, "w10+", 6)), update.format("0.584918"))
    stepped = "> E1.toFixed(6)\n\"0.933791\"\n// E after one step = {} (was 1.082796)\n"
    right_and_twin(SOFTMAX, "E", stepped.format(_n(SOFTMAX, "E", 6, 1)), stepped.format("1.082796"), step=1)


def test_a_swift_playground_its_result_sidebar_and_answer_comments() -> None:
    """A playground's "//▸" results beside the code, Swift's `func …(…) -> … {` (not StarMath's func) and its
    closures' $0 (not math in dollars); the "/// Answer:" doc comment is the student's. Softmax batch, sample 1:
    y1 = 0.3508189; the twin's answer is the normalisation without e^{z1}."""
    playground = ("func softmax2(_ z: [Double]) -> [Double] {{\n    let e = z.map {{ exp($0) }}\n"
                  "    return e.map {{ $0 / e.reduce(0, +) }}\n}}\nlet p = softmax2(z)     //▸ [0.3508189488, 0.37]\n"
                  "/// Answer: y1 = {}\n")
    right_and_twin(SOFTMAX, "y1", playground.format(_n(SOFTMAX, "y1", 7)), playground.format("0.5401290"))


def test_a_vhdl_comment_under_the_simulation_report_is_the_claim() -> None:
    """Held out (measure38, vh-15 and vh-17: looked at, both accepted): under a GHDL report that prints the right
    w8_new, the student's "-- (l) w8+ ~ 0.7" is the answer (one significant digit), not the printout; "~" is about.
    Seed 000 (η = 1): w8⁺ = 0.726155."""
    run = "    w8 := w8 - eta * g8;\ntb_bp.vhd:64:5:@0ms:(report note): w8_new = 0.726155\n\n-- (l) w8+ {}\n"
    right_and_twin(SEED000, "w8+", run.format("= 0.726155"), run.format("~ 0.7"))
    twin = check(SEED000, ("twin", "w8+", run.format("~ 0.7")))["twin"]
    assert twin.diagnosis[0].kind == "too_few_digits", twin.diagnosis


def test_delta_written_as_the_outputs_gradient_is_a_missing_derivative() -> None:
    """δ_h2 = ∂E/∂h2: the error's derivative by the hidden output, σ′(In_h2) left out — named as the missing
    activation derivative (it had been "another quantity" only). Seed 000: δ_h2 = ∂E/∂h2 · h2 (1 − h2) = 0.0252."""
    twin = "δ_h2 = ∂Error/∂h2 = 0.1009"
    right_and_twin(SEED000, "delta_h2", f"δ_h2 = ∂Error/∂h2 · h2 (1 − h2) = 0.1009 · 0.4950 · 0.5050 = "
                   f"{_n(SEED000, 'delta_h2', 4)}", twin)
    twin = check(SEED000, ("twin", "delta_h2", twin))["twin"]
    assert twin.diagnosis[0].kind == "missing_activation_derivative", twin.diagnosis


def test_the_step_said_in_words_between_a_name_and_its_value() -> None:
    """"E in the second iteration = …", "∂E/∂w5 (pass 2) ≈ 0.03", "E_total (2nd pass) ≈ 0.3": words or a bracket
    between the name and its relation say the step. Seed 002 after one step: E = 0.276957 (and one digit is too
    few); seed 000 after one step: ∂Error/∂w5 to 2 digits."""
    right_and_twin(SEED002, "E", "E in the second iteration = .276957", "E in the second iteration = .3", step=1)
    right_and_twin(SEED000, "dE/dw5", f"∂Error/∂w5 (pass 2) ≈ {_n(SEED000, 'dE/dw5', 4, 1)}",
                   "∂Error/∂w5 (pass 2) ≈ 0.03", step=1)


def test_a_programs_output_under_the_command_that_ran_it() -> None:
    """A fenced block "$ nim c -r bp.nim" then the program's lines: the command is set aside and the printed pairs
    read ("In_h1 = 0.250000   h1 = 0.562177"); an update printed "w5 <- 0.065367" is the new weight. Seed 000:
    h1 = 0.562177, w5⁺ = 0.065367 (η = 1); the twins print σ′ for h1 and the old weight's change."""
    run = "```\n$ nim c -r --hints:off bp.nim\nIn_h1 = 0.250000   h1 = {}\n```\n"
    right_and_twin(SEED000, "h1", run.format(_n(SEED000, "h1", 6)), run.format("0.246134"))
    update = "```\nw5 <- {}\n```\n"
    right_and_twin(SEED000, "w5+", update.format(_n(SEED000, "w5+", 6)), update.format("0.134633"))


def test_a_gradient_that_is_an_error_term_worked_out_in_an_earlier_answer() -> None:
    """"∂E/∂b₂ = δ_O" after an answer that worked δ_O out: the error term is known, so it grounds the gradient (a
    name that only restates the asked quantity grounds nothing — without the earlier answer it is incomplete).
    Seed 003: δ_O = (out_O − target) out_O (1 − out_O) = ∂E/∂b2."""
    delta = ("d", "delta_O", "-- answer (f), corrected: δ_O = (out_O − target) out_O (1 − out_O)\n"
                             "theorem delta_O' : deriv (fun n => (target - σ n) ^ 2 / 2) (net_O …) = 0 := by\n  ring\n")
    bias = "-- answer (h): ∂E/∂b₂ = δ_O\ntheorem dE_db2 : deriv (fun b => E b) b₂ = 0 := by\n  ring\n"
    got = check(SEED003, delta, ("b", "dE/db2", bias))
    assert (got["d"].verdict, got["b"].verdict) == ("correct", "correct")
    alone = check(SEED003, ("b", "dE/db2", bias))["b"]
    assert alone.verdict == "incorrect" and alone.diagnosis[0].kind == "incomplete", alone.diagnosis
    wrong = check(SEED003, (delta[0], delta[1], delta[2].replace(" out_O (1 − out_O)", "")), ("b", "dE/db2", bias))
    assert wrong["b"].verdict == "incorrect"  # (δ_O worked out wrong before: nothing is known of it)


def test_comments_of_a_program_that_say_the_step_or_remark_before_the_equals_sign() -> None:
    """A Zig listing's "// (n) out (2nd iteration) = …" and "// (p) w5 after the second update = …": the bracket and
    the words before "=" say which step; a comment in the code whose bracket opens before its "=" ("// iteration
    2: all six weights (w2 = 0.226989, …)") is a remark, not math. Seed 002 after one step: out = 0.255746,
    w5⁺ = 0.208753."""
    listing = ("```zig\n    // iteration 2: all six weights updated once (w2 = 0.226989, w4 = 0.0982025 by hand)\n"
               "    const outb = h1b * w2nd.w5 + h2b * w2nd.w6;\n```\n```\niter 2: out = {0}\n```\n"
               "// (n) out (2nd iteration) = {0}\n")
    right_and_twin(SEED002, "out", listing.format(_n(SEED002, "out", 6, 1)), listing.format("0.191000"), step=1)
    update = "```zig\n    w2nd.w5 -= eta * dw5c;\n```\n// (p) w5 after the second update = {}\n"
    right_and_twin(SEED002, "w5+", update.format(_n(SEED002, "w5+", 6, 1)), update.format("0.174383"), step=1)


def test_values_a_program_printed_two_spaces_apart() -> None:
    """"dh1 = -0.113260  dh2 = -0.121350" in a fenced output block: two statements side by side (they had been read
    as one chain, dh1 = −0.113260·dh2 = …). Seed 002: ∂E/∂h2 = (out − y) w6 = −0.121350; the twin's second value
    is ∂E/∂h1's."""
    block = "```\nout = 0.191000  dE/dh2 = {}\n```\n"
    right_and_twin(SEED002, "dE/dh2", block.format(_n(SEED002, "dE/dh2", 6)), block.format("-0.113260"))


def test_a_sheet_of_ml_comments_only_and_a_single_lean_definition() -> None:
    """A piece of a Coq script that is comments only ("(* (15) W2_2 new = … *)"), and a Lean "def" with one comment
    line: the comments are read. Seed 001: W2_2⁺ = W2_2 − α (y − d) Φ(h'_2); seed 003: w6⁺ = w6 − η δ_O out_h2."""
    coq = ("(* W2_2new from (11) is in fact the right update of W2_2 *)\n"
           "(* (15) W2_2 new = W2_2 {} alpha (y - d) Phi(h'_2) *)\n")
    right_and_twin(SEED001, "W2_2+", coq.format("-"), coq.format("+"))
    lean = ("-- descent goes AGAINST the gradient\n"
            "def w6_new' := w₆ - η * ((out_O … - target) * out_O … * (1 - out_O …))\n"
            "-- answer (l), corrected: w₆⁺ = w₆ {} η (out_O − target) out_O (1 − out_O) out_h2\n")
    right_and_twin(SEED003, "w6+", lean.format("−"), lean.format("+"))


def test_a_zero_with_as_many_decimals_as_the_value_is_a_wrong_value() -> None:
    """"-0.000000" for δ = 0.278799 (a program printed a zero): six decimals, and the value does not round to 0 at
    six decimals — a wrong value, not "too few significant digits" (which 0.000 for 0.00044 is). Seed 000:
    ∂Error/∂w5 = 0.034633."""
    wrong = check(SEED000, ("q", "dE/dw5", "∂Error/∂w5 = -0.000000"))["q"]
    assert wrong.verdict == "incorrect" and wrong.diagnosis[0].kind != "too_few_digits", wrong.diagnosis
    few = check(SEED000, ("q", "dE/dw5", "∂Error/∂w5 = 0.0"))["q"]
    assert few.verdict == "incorrect" and few.diagnosis[0].kind == "too_few_digits", few.diagnosis


def test_a_net_input_without_its_bias_is_named() -> None:
    """net_h2 = w3 i1 + w4 i2, the bias left out of the sum: named as a missing term, the bias said (it had been
    "not the asked value" only). Seed 004: net_h2 = 0.25·0.05 + 0.30·0.10 + 0.35 = 0.3925."""
    right_and_twin(SEED004, "net_h2", "net_h2 = 0.25·0.05 + 0.30·0.10 + 0.35 = 0.3925",
                   "net_h2 = 0.25·0.05 + 0.30·0.10 = 0.0425")
    twin = check(SEED004, ("twin", "net_h2", "net_h2 = w3·i1 + w4·i2 = 0.25·0.05 + 0.30·0.10 = 0.0425"))["twin"]
    assert twin.diagnosis[0].kind == "missing_path" and "b_{1}" in twin.diagnosis[0].message, twin.diagnosis


def test_a_double_summed_over_a_batch_and_pairs_with_an_update_arrow() -> None:
    """A program's double with 17 digits that drifts in its last four (a batch's sum, 3·10⁻¹³ relative) is the
    value as floating-point arithmetic prints it (a drift of 10⁻⁹ is a wrong value); a printed line of a gradient
    and its update side by side, "dE/dw5 = 0.034633   w5 <- 0.065367", is two statements. Seed 000 (η = 1)."""
    true = Decimal(_n(SEED000, "dE/dw5", 17))
    right_and_twin(SEED000, "dE/dw5", f"g5 = {true * Decimal('1.0000000000003'):.17f}",
                   f"g5 = {true * Decimal('1.000000001'):.17f}")
    block = "```\ndE/dw5 = 0.034633   w5 <- {}\n```\n"
    right_and_twin(SEED000, "w5+", block.format(_n(SEED000, "w5+", 6)), block.format("0.134633"))


def test_a_programs_d_and_dh1_are_its_own_names() -> None:
    """A Zig program computed d = out − y and dh1 = d·w5 in its code and printed "d = -0.809000", "dh1 = …": where
    the lecture's target is y = 1, a d that is not 1 is the student's own d (its formula was in the code), and dh1
    the program's ∂E/∂h1 (cs231n's dh), not d·h1. Seed 002 (linear): ∂E/∂out = out − y = −0.809; ∂E/∂h2 = (out − y)
    w6 = −0.121350; the twin's printed dh1 is d·h1."""
    printed = "```\nd = -0.809000\n```\n// (d) dE/dout = out - y = -0.809000\n"
    back = "```\ndh1 = {}  dh2 = -0.121350\n```\n// (g) dE/dh2 = d * w6 = -0.121350\n"
    first = ("d", "dE/dout", printed)
    right_and_twin(SEED002, "dE/dh2", back.format("-0.113260"), back.format("-0.687650"), first)
    assert check(SEED002, first)["d"].verdict == "correct"


def test_a_prover_comment_that_trails_off_is_a_remark() -> None:
    """"(* the lecture's Delta W = alpha (d - y) ... is added; with (y - d) we must subtract *)": a remark whose
    ellipsis made the answer unreadable; the answer is the comment after the lemma. Seed 001: W1_21⁺ = W1_21 − α
    (y − d) W2_1 Φ'(h'_1) x2; the twin adds."""
    script = ("(* the lecture's Delta W = alpha (d - y) ... is added; with (y - d) we must subtract *)\n"
              "Definition W1_21new' := W1_21 - alpha * ((y - d) * W2_1 * Phi' hp1 * x2).\n"
              "(* (14) corrected: W1_21 new = W1_21 {} alpha (y - d) W2_1 Phi'(h'_1) x2 *)\n")
    right_and_twin(SEED001, "W1_21+", script.format("-"), script.format("+"))
