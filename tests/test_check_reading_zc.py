"""Readings of session 48, from answers of tune42 (measure39, measured blind before) and, in its second slice, of
tune43 (measure40) that were judged wrongly, and one held-out answer of measure40 accepted wrongly (looked at). Each
right form has a wrong twin that must stay rejected. Numbers come from the corpus's own truth
(tests/corpus/truth_values.py, through `_n`: the spec read with tomllib, an mpmath forward pass and central
differences); symbolic answers are derived by hand in the docstring."""

from __future__ import annotations

import math

from test_check import SEED000, SEED002, SEED003, SEED004, right_and_twin
from test_check_reading_n import SEED001, SOFTMAX, _n


def test_a_vietnamese_chat_its_names_times_and_words_of_prose() -> None:
    """Zalo's chat: a sender's name on a line of its own, the time under the message, Vietnamese words (with their
    accents, never a name) before a statement and after it. Seed 000: In_o1 = w5 h1 + w7 h2 = −0.09228; the twin
    takes the weights of o2 and so states In_o2's value."""
    chat = ("Minh Quân\nlớp ra, câu 2 lan truyền ngược:\nIn_o1 = {} = {} (dương), ko phải số khác\n21:12\n"
            "Hoàng Lan\n👍\n")
    right_and_twin(SEED000, "net_o1", chat.format("w5*h1 + w7*h2", _n(SEED000, "net_o1", 4)),
                   chat.format("w6*h1 + w8*h2", _n(SEED000, "net_o2", 4)))


def test_a_quoted_reply_in_a_chat_is_anothers_words() -> None:
    """'Trả lời Minh Quân: "In_o2 = w7*h1 + w8*h2"' (a reply quoting the wrong line) claims nothing; the corrected
    line under it is the answer. Seed 000: In_o2 = w6 h1 + w8 h2 = 0.1149; the twin keeps the quoted weights."""
    chat = 'Đức Anh\nTrả lời Minh Quân: "In_o2 = w7*h1 + w8*h2"\nIn_o2 = {} = {}\n21:16\n'
    right_and_twin(SEED000, "net_o2", chat.format("w6*h1 + w8*h2", _n(SEED000, "net_o2", 4)),
                   chat.format("w7*h1 + w8*h2", "0.2273"))


def test_a_vb_net_program_run_from_powershell_and_its_answer_comment() -> None:
    """A VB.NET program (Dim … As Double, Console.WriteLine($"…")) run from a PowerShell prompt ("PS C:\\hw3>
    dotnet run": a program's run, not PowerShell's statements) prints its values; the "' ANSWER (l'):" comment is
    the student's claim, which decides even when the printout is right. Seed 000: In_o2 = 0.114912."""
    run = ('        Dim inO2 As Double = w(6) * h1 + w(8) * h2\n'
           '        Console.WriteLine($"In_o2 = {{inO2}}   ->  {{inO2:F6}}")\n\n'
           "PS C:\\hw3\\Backprop> dotnet run\nIn_o2 = 0.11491188288510124   ->  0.114912\n\n"
           "' ANSWER (l'): In_o2 = w6*h1 + w8*h2 = {}\n")
    right_and_twin(SEED000, "net_o2", run.format(_n(SEED000, "net_o2", 6)), run.format("0.227347"))


def test_a_yacas_session_and_its_symbolic_answer_comments() -> None:
    """Yacas's In>/Out> lines are the program's; "// Answer (b): ∂E/∂y = y − d" is the student's formula, read
    though it ends in no number. Seed 001 (symbolic, linear output): ∂E/∂y = y − d; the twin flips the sign."""
    session = "In> D(Y) (d - Y)^2/2;\nOut> -(d-Y)\nIn> Simplify(%);\nOut> Y-d\n// Answer (b): ∂E/∂y = {}\n"
    right_and_twin(SEED001, "dE/dy", session.format("y − d"), session.format("d − y"))


def test_an_updated_weight_said_new_in_brackets_after_a_space() -> None:
    """"W^2_3 (new) = …" is W²₃ after the update, as "W2_1(nouveau)" is. Seed 001: W²₃⁺ = W²₃ − α (y − d) Φ(h′₃);
    the twin climbs the gradient."""
    answer = "In> V3new := V3 - alpha*D(V3) E;\n// Answer (m): W^2_3 (new) = W^2_3 {} α (y − d) Φ(h'_3)\n"
    right_and_twin(SEED001, "W2_3+", answer.format("−"), answer.format("+"))


def test_an_ipython_terminal_session_and_the_reports_japanese_lines() -> None:
    """IPython's "In [3]:" with its "   ...:" continuation lines and "Out[3]:" are the program's; the "# 手計算:" lines
    and the 【答】 line are the student's, a bracketed remark in Japanese after the number set aside. Seed 004:
    ∂E/∂w7 = δ_o2 out_h1 = −0.02260254; the twin takes out_h2."""
    report = ("In [6]: E.backward(retain_grad=True)\n   ...: W2.grad\nOut[6]: array([[0.08216704, 0.08266763],\n\n"
              "# 手計算: ∂E/∂w7 = δ_o2 · {} = -0.03809824 × {} = {}\n"
              "【答】 ∂E_total/∂w7 = {}   （W2.grad[1,0] と一致）\n")
    right_and_twin(SEED004, "dE/dw7", report.format("out_h1", "0.59326999", "-0.02260254", "-0.02260254"),
                   report.format("out_h2", "0.59688438", "-0.02274024", "-0.02274024"))


def test_a_merge_requests_page_its_diff_and_a_reviewers_comment() -> None:
    """A GitLab merge request: the "+ " lines of the diff are the student's solution, a reviewer's comment (its
    header not the author's) another's words, a suggested change's "-" line the old text. Softmax batch, sample 1:
    y_1 = e^{z_1}/Σ e^{z_k} = 0.350819; the twin drops e^{z_3} from the denominator."""
    page = ("Open   Linh Tran requested to merge hw4-q3 into main 2 hours ago\n"
            "💬 t.nguyen (Teaching Assistant) @t.nguyen · 1 hour ago\n"
            "   Three classes → three terms in the denominator. Where did $`e^{{z_3}}`$ go?\n\n"
            "💬 Linh Tran @linh.tran · 47 minutes ago\n   Fixed in version 2:\n"
            "+ ```math\n+ y_1 = \\frac{{e^{{z_1}}}}{{{}}} = {}\n+ ```\n")
    right_and_twin(SOFTMAX, "y1", page.format("e^{z_1} + e^{z_2} + e^{z_3}", _n(SOFTMAX, "y1", 6)),
                   page.format("e^{z_1} + e^{z_2}", "0.486390"))


def test_a_calculators_history_its_stores_and_its_twelve_digits() -> None:
    """HP Prime's Home view: each entry with its result at the right margin, ▶ storing it (its letters the
    calculator's own, not E or R of the lecture), Ans the result before; 12 digits worked from 12-digit numbers
    are the machine's; "E−3" with a typographic minus is scientific notation. Seed 004: out_h2 = σ(0.3925) =
    0.59688437826; the twin swaps the inputs (net 0.39)."""
    history = ("// vars: B = out_h2\n{}                                  {}\n"
               "1/(1+e^(−Ans))▶B                                 {}\nANS: out_h2 = {}\n")
    twin = f"{1 / (1 + math.exp(-0.39)):.11f}"
    right_and_twin(SEED004, "h2", history.format("0.25*0.05+0.3*0.1+0.35", "0.3925", *[_n(SEED004, "h2", 11)] * 2),
                   history.format("0.25*0.1+0.3*0.05+0.35", "0.39", twin, twin))
    right_and_twin(SEED004, "dE/dw4", "S*0.1                                          9.95425470522E−4\n"
                                      "ANS: ∂E_total/∂w4 = 9.95425470522E−4\n",
                   "S*0.1                                          9.95425470522E−3\n"
                   "ANS: ∂E_total/∂w4 = 9.95425470522E−3\n",
                   ("s", "delta_h2", "R*B*(1−B)▶S                                    9.95425470522E−3\n"))


def test_a_greek_capital_sigma_typed_for_the_sum() -> None:
    """Plain text's "Error = 1/2 Σ(o - y)^2" on a line of its own sums over the outputs, as ∑ does. Seed 000: Error
    = ½((o1 − y1)² + (o2 − y2)²) = 0.2097; the twin forgets the ½."""
    right_and_twin(SEED000, "E", f"Error = 1/2 Σ(o - y)^2\nError = {_n(SEED000, 'E', 4)}",
                   "Error = Σ(o - y)^2\nError = 0.4194")


def test_a_cobol_listing_its_run_and_its_answer_comment() -> None:
    """GnuCOBOL's divisions, PIC clauses and COMPUTE/MOVE/DISPLAY verbs are the program's (not SPSS's COMPUTE), its
    "      *" comments too; what it DISPLAYed is read, and the "*> ANSWER (e):" line is the student's. Seed 002:
    ∂E/∂w5 = (out − y) h1 = −0.68765; the twin takes h2."""
    listing = ("      * dError/dW5 = DELTA * H1\n           COMPUTE WS-DW5   ROUNDED = WS-DELTA * WS-H1\n"
               "           MOVE WS-DW5 TO WS-SHOW\n           DISPLAY \"DE/DW5 = \" WS-SHOW\n\n$ ./BACKPROP\n"
               "DE/DW5 = -0.687650\n\n*> ANSWER (e): dE/dw5 = (out - y) * {} = -0.809 * {} = {}\n")
    right_and_twin(SEED002, "dE/dw5", listing.format("h1", "0.85", _n(SEED002, "dE/dw5", 5)),
                   listing.format("h2", "0.48", "-0.38832"))


def test_a_python_script_its_run_and_an_arrowed_answer_comment() -> None:
    """A Theano script (Python 2's print statement, calls of a module's functions, T.dot(H, W2.T)) and its run
    under "$ python hw4_check.py" are the program's, not Typst's math between two $; the "# ==> answer (a):" line
    is the student's. Softmax batch, sample 1: y_2 = e^{0.150248}/3.137639 = 0.37038166; the twin divides by the
    sum of two exponentials only."""
    run = ("$ cat hw4_check.py\nimport theano.tensor as T\nY = T.nnet.softmax(T.dot(H, W2.T) + b)\n"
           "print \"Y[0] =\", Yv[0]\n\n$ python hw4_check.py\nY[0] = [ 0.35081895  0.37038166  0.27879939]\n\n"
           "# ==> answer (a): y2 = e^0.150248 / {} = {}\n")
    right_and_twin(SOFTMAX, "y2", run.format("3.137639", _n(SOFTMAX, "y2", 8)), run.format("2.262870", "0.51356080"))


def test_a_raku_repl_its_sigils_and_its_arrowed_answer() -> None:
    """Rakudo's "[7] > $z2 = …;" inputs (kebab-case variables, $ sigils: not math in dollars, nor Typst's) and
    their echoes are the program's; "# → answer (b):" is the student's. Softmax batch, sample 1: z_2 = w7 h1 + w8
    h2 + b3 = 0.150247943; the twin swaps h1 and h2."""
    session = ("# (b) W2 row 2 is (w7, w8) against (h1, h2)\n[7] > $z2 = $w7 * $h1 + $w8 * $h2 + $b3;\n"
               "0.15024794325409752\n# → answer (b): net_y2 = 0.1·{} + 0.2·{} + 0.1 = {}\n")
    right_and_twin(SOFTMAX, "net_y2", session.format("0.263624835", "0.119427299", _n(SOFTMAX, "net_y2", 9)),
                   session.format("0.119427299", "0.263624835", "0.164670277"))


def test_a_gretl_run_its_confirmations_and_an_answer_with_a_tilde() -> None:
    """gretlcli's echoed "? " commands are the program's, its "Generated scalar dw3 = -0.2427" what it printed; the
    "# Ans (e):" comment is the student's, and decides even under the program's right value ("~ 0.2" for w5 after
    round 2 is one significant digit). Seed 002: ∂E/∂w3 = δ w6 i1 = −0.2427; the twin writes it with one digit."""
    run = ("? matrix W = {{0.11, 0.21, 0.12, 0.08, 0.14, 0.15}}\nGenerated matrix W\n? scalar dw3 = (out - y)*W[6]*i1\n"
           "Generated scalar dw3 = -0.2427\n# Ans (e): dE/dw3 {}\n")
    right_and_twin(SEED002, "dE/dw3", run.format("= (out - y) * w6 * i1 = -0.12135 * 2 = " + _n(SEED002, "dE/dw3", 4)),
                   run.format("~ -0.2"))


def test_an_answer_comment_with_words_between_its_name_and_its_value() -> None:
    """A Scala REPL's "// answer (q): dE/dw5 at the new point ≈ -0.1" is the student's claim about dE/dw5 (the
    words a remark), not a line to set aside while the printout passes. Softmax batch: ∂E/∂w5 = −0.093182607; the
    twin keeps one significant digit. (A held-out answer of measure40, accepted by the checker before: looked at.)"""
    session = "scala> grads(p0)(5)\nval res1: Double = -0.09318260741\n\n// answer (q): dE/dw5 at this point ≈ {}\n"
    right_and_twin(SOFTMAX, "dE/dw5", session.format(_n(SOFTMAX, "dE/dw5", 8)), session.format("-0.1"))


def test_a_padlet_wall_its_authors_hearts_and_column_titles() -> None:
    """Padlet's column title "FORWARD ▸", a post's author and age "Priya S. · 3d", its hearts "♥ 3" claim nothing.
    Seed 004: ∂E/∂w6 = δ_o1 out_h2 = 0.0826676278; the twin takes out_h1."""
    wall = "FORWARD ▸\n  Subject: gradient of w6\n  Priya S. · 3d\n  ∂E/∂w6 = δ_o1 · {} = {}\n  ♥ 3\n"
    right_and_twin(SEED004, "dE/dw6", wall.format("out_h2", _n(SEED004, "dE/dw6", 9)),
                   wall.format("out_h1", "0.0821670"))


def test_a_python_script_its_tuples_powers_and_its_output_block() -> None:
    """A script's "x1, x2 = 0.5, 0.3" (a tuple's assignment: code, not x2 = 0.5 printed), its "**" powers and
    "## (c)" labels are the program's; under "output:" is what it printed. Seed 000: Error = ½((o1 − y1)² + (o2 −
    y2)²) = 0.20970979; the twin's printout forgets the ½."""
    script = ("## (c)\nx1, x2 = 0.5, 0.3            # input sample\nError = {}*(o1 - y1)**2 + {}*(o2 - y2)**2\n"
              "print(f\"{{Error = :.8f}}\")\n\noutput:\nError = {}\n")
    right_and_twin(SEED000, "E", script.format("0.5", "0.5", _n(SEED000, "E", 8)),
                   script.format("1", "1", "0.41941958"))


def test_a_reduce_session_and_its_answer_comments() -> None:
    """REDUCE's numbered prompts, its "$" and ";" terminators and its results in the student's shorthand names are
    the machine's; "% answer (a): …" is the student's claim. Seed 003 (symbolic, one shared hidden bias): net_h2 =
    w3 i1 + w4 i2 + b1; the twin takes b2, the output's bias."""
    session = ("3: nh2 := w3*i1 + w4*i2 + {0};\nnh2 := {0} + i1*w3 + i2*w4$\n"
               "4: % answer (a): net_h2 = w3*i1 + w4*i2 + {0}\n")
    right_and_twin(SEED003, "net_h2", session.format("b1"), session.format("b2"))


def test_an_answer_marked_by_an_arrow_and_a_word_after_its_number() -> None:
    """"= 0.082167041 \\qquad\\leftarrow\\text{ans.}" marks the answer, as "(Ans)" does. Seed 004: ∂E/∂w5 =
    0.741365070 · 0.186815602 · 0.593269992 = 0.082167041; the twin takes out_h2."""
    answer = ("\\begin{{align*}}\n\\frac{{\\partial E_{{total}}}}{{\\partial w_5}} &= 0.741365070\\cdot 0.186815602"
              "\\cdot {}\\\\\n  &= {} \\qquad\\leftarrow\\text{{ans.}}\n\\end{{align*}}\n")
    right_and_twin(SEED004, "dE/dw5", answer.format("0.593269992", _n(SEED004, "dE/dw5", 9)),
                   answer.format("0.596884378", "0.082667628"))


def test_a_transcribers_notes_in_square_brackets() -> None:
    """A scan's transcription: "[page 1, top]", "[arrow from "W¹_ij" to margin: …]" are the transcriber's, not the
    student's. Seed 001 (symbolic): h′_3 = x_1 W¹_13 + x_2 W¹_23 + x_3 W¹_33; the twin transposes the indices."""
    sheet = ("[page 1, top]  Q2.  Forward:\n  h'_j = Σ_i x_i W¹_ij        [arrow from \"W¹_ij\" to margin: "
             "\"i = input, j = hidden\"]\n  h'_3 = {}\n")
    right_and_twin(SEED001, "net_h3", sheet.format("x_1 W¹_13 + x_2 W¹_23 + x_3 W¹_33"),
                   sheet.format("x_1 W¹_31 + x_2 W¹_32 + x_3 W¹_33"))
