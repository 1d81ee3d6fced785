"""Readings of session 45 from answers of tune38 (measure35) that were judged wrongly. Each right form has a wrong
twin that must stay rejected. Numbers come from the corpus's own truth (tests/corpus/truth_values.py: the spec read
with tomllib, mpmath forward pass and central differences, through `_n`); symbolic answers are derived by hand in
the docstring."""

from __future__ import annotations

import json

from test_check import SEED000, SEED003, SEED004, right_and_twin, verdicts
from test_check_reading_n import SEED001, SOFTMAX, _n


def _cells(*cells: tuple[str, list[str], list[str]]) -> str:
    """A notebook's cells as nbformat writes them (keys in order, outputs before source), cut out of its JSON:
    (cell type, source lines, stream output lines)."""
    out = []
    for kind, source, printed in cells:
        cell: dict[str, object] = {"cell_type": kind, "metadata": {}}
        if kind == "code":
            cell["execution_count"] = 3
            cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": printed}] if printed else []
        cell["source"] = source
        out.append(json.dumps(cell, indent=1, ensure_ascii=False))
    return ",\n".join(out) + ","


def test_a_notebooks_raw_json() -> None:
    """A notebook's .ipynb pasted as it is: a markdown cell's lines ("**Q1 (b).** $…$", a question's number in bold
    before the math) and a code cell whose printed line states the value; the twin's cell multiplies δ_o1 by
    out_h1 (w5's input) and prints ∂E/∂w6 = ∂E/∂w5."""
    head = ("markdown", ["**Q2 (b).** $\\delta_{o1} = (out_{o1} - target_{o1})\\, out_{o1}(1 - out_{o1})$"], [])

    def cell(factor: str, value: str) -> str:
        return _cells(head, ("code", [f"dw6 = delta_o1 * {factor}\n", 'print(f"dE/dw6 = {dw6:.9f}")'],
                             [f"dE/dw6 = {value}\n"]))
    right_and_twin(SEED004, "dE/dw6", cell("out_h2", _n(SEED004, "dE/dw6", 9)),
                   cell("out_h1", _n(SEED004, "dE/dw5", 9)))
    result = {"cell_type": "code", "execution_count": 2, "metadata": {},
              "outputs": [{"data": {"text/plain": ["VALUE"]}, "execution_count": 2, "metadata": {},
                           "output_type": "execute_result"}],
              "source": ["net_o2 = w7*out_h1 + w8*out_h2 + b2\n", "net_o2"]}
    shown = json.dumps(result, indent=1)
    right_and_twin(SEED004, "net_o2", shown.replace("VALUE", _n(SEED004, "net_o2", 9)),
                   shown.replace("VALUE", _n(SEED004, "net_o1", 9)))


def test_a_pascal_listing_and_its_answer_lines() -> None:
    """A Free Pascal program (:= assignments, WriteLn(…, x:0:6), begin/end, { } comments), what it printed, and the
    student's "Answer 2(c):" line worked out in plain Unicode. The printed pairs and the answer line are the claims;
    a pair inside the answer's chain ("h1 = 0.149181 × …") is not a printed value. Seed 000 numbers weights by
    their source: In_o2 = w6 h1 + w8 h2, so ∂Error/∂w6 = δ_o2 · h1; the twin takes h2."""
    listing = ("  g[6] := delo2*{h};   g[8] := delo2*h2;    // weights into o2\n"
               "  WriteLn('dE/dw6 = ', g[6]:0:6);\n\n"
               "dE/dw6 = {value}\n\n"
               "Answer 2(c): ∂Error/∂w6 = δ_o2 · {h} = 0.149181 × {x} = {value}\n")
    right = listing.format(h="h1", x="0.562177", value=_n(SEED000, "dE/dw6", 6))
    twin = listing.format(h="h2", x="0.495000", value="0.073845")
    right_and_twin(SEED000, "dE/dw6", right,
                   twin)


def test_a_two_column_proof() -> None:
    """Statements and reasons in a Markdown table, "∴" before the conclusion, Given/Prove lines and Q.E.D. With
    net_O = w5 out_h1 + w6 out_h2 + b2, ∂E/∂w5 = (out_O − target) out_O (1 − out_O) out_h1; the twin leaves out
    out_O (1 − out_O). A conclusion left open ("∴ ∂E/∂b2 = ?") concludes nothing, after steps that are right."""
    proof = ("Problem 2(c)\nProve: ∂E/∂w5 = CONCLUSION\n\n"
             "| # | Statement                                   | Reason                     |\n"
             "|---|---------------------------------------------|----------------------------|\n"
             "| 1 | ∂net_O/∂w5 = out_h1                          | Def. of net input          |\n"
             "| 2 | ∂E/∂w5 = ∂E/∂out_O · ∂out_O/∂net_O · ∂net_O/∂w5 | Chain Rule            |\n"
             "| 3 | ∴ ∂E/∂w5 = CONCLUSION                        | Substitution (1, 2)        |\n\nQ.E.D.\n")
    right = proof.replace("CONCLUSION", "(out_O − target)·out_O(1 − out_O)·out_h1")
    twin = proof.replace("CONCLUSION", "(out_O − target)·out_h1")
    right_and_twin(SEED003, "dE/dw5", right,
                   twin)
    open_ = ("| # | Statement                 | Reason                 |\n"
             "|---|---------------------------|------------------------|\n"
             "| 1 | ∂net_O/∂b2 = 1            | Def. of net input      |\n"
             "| 2 | ∂E/∂b2 = ∂E/∂net_O · 1    | Chain Rule             |\n"
             "| 3 | ∴ ∂E/∂b2 = ?              | (as in 2(c))           |\n")
    done = ("$\\delta_O = \\frac{\\partial E}{\\partial net_O} = (out_O - target)\\,out_O(1 - out_O)$")
    assert verdicts(SEED003, ("delta", "delta_O", done), ("open", "dE/db2", open_))["open"] != "correct"


def test_an_xcas_session_and_the_students_answer() -> None:
    """Xcas's window: numbered levels "n>>", the input under the prompt, Giac's output indented, "Evaluation
    time" lines; the student's "Réponse :" line (French typography: a space before the colon) is the answer, a
    "// …" comment in French claims nothing. With y = Σ W2_j Φ(h'_j), ∂E/∂W2_3 = (y − d) Φ(h'_3); the twin
    multiplies by h'_3."""
    session = ("5>> // on dérive E par rapport à W2_3\n"
               "    diff(E,W2_3)\n"
               "        -(d-W2_1*Phi(h1p)-W2_2*Phi(h2p)-W2_3*Phi(h3p))*Phi(h3p)\n"
               "Evaluation time: 0\n\n"
               "// c'est la sortie du neurone caché qui entre dans y.\n"
               "Réponse : ∂E/∂W2_3 = (y − d)·FACTOR\n")
    right_and_twin(SEED001, "dE/dW2_3", session.replace("FACTOR", "Φ(h'_3)"),
                   session.replace("FACTOR", "h'_3"))
    update = "Réponse : W2_1(nouveau) = W2_1 SIGN α(y − d)Φ(h'_1)\n"
    right_and_twin(SEED001, "W2_1+", update.replace("SIGN", "−"),
                   update.replace("SIGN", "+"))


def test_an_autograders_results_json() -> None:
    """Gradescope's results.json: a test's "output" holds the submission as one JSON string, after the grader's
    "[parsed …]" and "--- submission ---"; its "ANSWER:" line restates the number. Samples are numbered "(1)",
    "(2)" glued to the names: J = ½(L(1) + L(2)); the twin sums without the ½."""
    def test(value: str, half: str) -> str:
        output = (f"[parsed {value}]\n--- submission ---\nJ = {half}(L(1) + L(2)) = {half}(1.047485 + 1.118108)"
                  f" = {value}\nANSWER: {value}")
        return ('  "tests": [\n    {\n      "name": "Q2.1 J",\n      "max_score": 1.0,\n      "status": "passed",\n'
                f'      "output": {json.dumps(output, ensure_ascii=False)}\n    }},\n')
    right_and_twin(SOFTMAX, "E", test(_n(SOFTMAX, "E", 6), "½"),
                   test("2.165593", ""))


def test_mathspeak() -> None:
    """A screen reader's MathSpeak typed as words: StartFraction … Over … EndFraction, Subscript … Baseline, "upper
    E", "partial-differential", "Final answer colon". ∂E/∂w6 = (out_O − target) out_O (1 − out_O) out_h2; the twin
    takes out_h1."""
    said = ("Question 2 part c.\nFinal answer colon StartFraction partial-differential upper E Over "
            "partial-differential w Subscript 6 Baseline EndFraction equals left-parenthesis out Subscript upper O "
            "Baseline minus target right-parenthesis out Subscript upper O Baseline left-parenthesis 1 minus out "
            "Subscript upper O Baseline right-parenthesis out Subscript h INPUT\n")
    right_and_twin(SEED003, "dE/dw6", said.replace("INPUT", "2"),
                   said.replace("INPUT", "1"))


def test_a_forms_response() -> None:
    """A Google Forms response printed: the form's header, "Email *" and the address, "Section 2 of 4", each
    question's title ending in "*" (a title "dE/dW2_2 = ? *" is the left side of the answer typed under it),
    "Hint:" lines, h'_j typed hp_j. ∂E/∂W2_2 = (y − d) Φ(h'_2); the twin takes Φ(h'_1)."""
    form = ("Quiz 5\n* Indicates required question\n\nEmail *\ns2214087@student.example.edu\n\n"
            "Section 2 of 4 – Output layer\n\nQ5. dE/dW2_2 = ? *\nHint: keep Phi unevaluated.\n(y - d) * Phi(hp_K)\n")
    right_and_twin(SEED001, "dE/dW2_2", form.replace("K", "2"),
                   form.replace("K", "1"))


def test_tracked_changes_read_as_accepted() -> None:
    """Word's All Markup copied as text: the document as it reads now is the answer — a deleted value gone, an
    inserted one (without its author and time) in its place, the margin comments another's. With In_o2 = w6 h1 +
    w8 h2, o2 = 0.528696; the twin deletes the right value and inserts o1's."""
    text = ("[Comment LM2]: w6 leaves h1 towards o2\n[Reply JK]: ok, changed\n"
            "o2 = Sigmoid(In_o2) = 1/(1 + e^(−0.114912)) = [Deleted: OLD – JK, 22/03 09:03][Inserted: NEW – JK, "
            "22/03 09:04]\n")
    right = text.replace("OLD", "0.476946").replace("NEW", _n(SEED000, "o2", 6))
    twin = text.replace("OLD", _n(SEED000, "o2", 6)).replace("NEW", "0.476946")
    right_and_twin(SEED000, "o2", right,
                   twin)


def test_a_slides_outline() -> None:
    """A PowerPoint outline: "Slide n – title", "•" bullets and "–" continuations, a "[Picture: …]" placeholder,
    the speaker's "Notes:" (said aloud, not claimed), a bullet without a relation. net_o2 = w7 out_h1 + w8 out_h2
    + b2; the twin uses w5, w6 (o1's weights)."""
    slide = ("Slide 4 – Forward pass: output layer\n[Picture: network diagram]\n• biases fixed, as in the blog\n"
             "• net_o2 = {w} out_h1 + {v} out_h2 + b_2\n   – = {a}⋅0.593270 + {b}⋅0.596884 + 0.60 = {value}\n"
             "Notes: as you can see it is the same for o1, which gives 1.105906.\n")
    right = slide.format(w="w_7", v="w_8", a="0.50", b="0.55", value=_n(SEED004, "net_o2", 6))
    twin = slide.format(w="w_5", v="w_6", a="0.40", b="0.45", value=_n(SEED004, "net_o1", 6))
    right_and_twin(SEED004, "net_o2", right,
                   twin)


def test_a_forum_posts_bbcode() -> None:
    """AoPS's BBCode: a quoted post ([quote="name"]…[/quote]) is another's claim, a bold part label [b](b)[/b]
    the writer's mark. Seed 002: h1 = w1 x1 + w2 x2 with the spec's numbers; the twin's own line is wrong while the
    quoted one is right."""
    quoted = '[quote="linearcat"]$h_1 = VALUE$[/quote]\n[b](a)[/b] $h_1 = OWN$\n'
    h1 = _n(SEED004.with_name("seed002_linear.toml"), "h1", 2)
    seed002 = SEED004.with_name("seed002_linear.toml")
    right_and_twin(seed002, "h1", quoted.replace("VALUE", "0.58").replace("OWN", h1),
                   quoted.replace("VALUE", h1).replace("OWN", "0.58"))


def test_decimal_commas_in_brackets_lists_and_at_a_sentences_end() -> None:
    """A German forum's decimal commas: σ(0,3925) is σ of one number (a bracket with one decimal, not a pair
    (1,1)), "0,742088, 0,775285" a list of two, "= 0,596884." a sentence's last number. The twins state other
    numbers."""
    line = "b) out_h2 = σ(0,3925) = 1/(1 + e^(−0,3925)) = VALUE.\n"
    right_and_twin(SEED004, "h2", line.replace("VALUE", _n(SEED004, "h2", 6).replace(".", ",")),
                   line.replace("VALUE", "0,596844"))
    pair = "out_o1 = 0,742088, out_o2 = VALUE\n"
    right_and_twin(SEED004, "o2", pair.replace("VALUE", _n(SEED004, "o2", 6, 1).replace(".", ",")),
                   pair.replace("VALUE", _n(SEED004, "o2", 6).replace(".", ",")), step=1)


def test_equation_numbers_at_the_margin_and_part_letters() -> None:
    """An essay's equation numbers at the right margin ("= 0.85      (3.1)", a corrected "(3.4*)") are labels, as
    are a part's letter before a statement ("(b) …", "a) …"). Seed 002: h1 = 0.85; the twins state 0.58."""
    essay = "h1 = w1 x1 + w2 x2 = VALUE                                   (3.1)\n"
    seed002 = SEED004.with_name("seed002_linear.toml")
    right_and_twin(seed002, "h1", essay.replace("VALUE", "0.85"),
                   essay.replace("VALUE", "0.58"))
    part = "(b) In_o2 = w6 × h1 + w8 × h2 = −0.5 × 0.562177 + 0.8 × 0.495000 = VALUE\n"
    right_and_twin(SEED000, "net_o2", part.replace("VALUE", _n(SEED000, "net_o2", 6)),
                   part.replace("VALUE", "0.227347"))


def test_an_fsharp_interactive_session() -> None:
    """F# Interactive: "> let … ;;" inputs, its echo "val z: float array = [|…; …; …|]" (an array's entries counted
    from 1) and an "Answer 1(c):" line. z3 = w9 h1 + w10 h2 + b4 of sample 1; the twin's array and answer hold z1's
    value in z3's place."""
    session = ("> let z = Array.map2 (+) (W2 |> Array.map (fun row -> Array.map2 (*) row h |> Array.sum)) b;;\n"
               "val z: float array = [|0.09598422818; 0.1502479433; VALUE|]\n\n"
               "Answer 1(c): z3 = w9 h1 + w10 h2 + b4 = VALUE\n")
    right_and_twin(SOFTMAX, "net_y3", session.replace("VALUE", _n(SOFTMAX, "net_y3", 10)),
                   session.replace("VALUE", "0.09598422818"))


def test_a_statement_said_after_a_number() -> None:
    """An essay's "With h₁ = … the derivative is (…)(…) = …": after the first statement's number, words and "is" begin
    a new statement; the chain does not go on from h₁. ∂E/∂w5 = δ_o1 out_h1; the twin multiplies by out_h2."""
    essay = "With out_h1 = 0.593269992 the gradient is (0.138498562)(FACTOR) = VALUE, so w5 moves.\n"
    right_and_twin(SEED004, "dE/dw5", essay.replace("FACTOR", "0.593269992").replace(
        "VALUE", _n(SEED004, "dE/dw5", 9)),
                   essay.replace("FACTOR", "0.596884378").replace(
            "VALUE", _n(SEED004, "dE/dw6", 9)))


def test_a_generic_name_given_a_number_then_the_units_value() -> None:
    """"out = sigmoid(1.105905967)" (a name for every unit, given σ of a number), then "out_o1 = …": the answer is
    judged, not refused (the comparison with a value that is no number was undecidable). The twin states o2's
    value for o1."""
    sheet = "out = sigmoid(1.105905967)\nout_o1 = VALUE\n"
    right_and_twin(SEED004, "o1", sheet.replace("VALUE", _n(SEED004, "o1", 8)),
                   sheet.replace("VALUE", _n(SEED004, "o2", 8)))


def test_the_asked_quantitys_name_alone_claims_nothing() -> None:
    """A flash card's term with its answer skipped ("Term: b2⁺", "Your answer: (skipped)") on a symbolic network:
    the asked quantity named and nothing said of it is no answer, however true "b2⁺ = b2⁺" is (it had been
    accepted; "Term", read as T·e·r·m, names nothing and reaches nothing either). The right form gives the update:
    b2⁺ = b2 − η (out_O − target) out_O (1 − out_O)."""
    skipped = "Term: b2⁺\nYour answer: (skipped)\n"
    stated = "Term: b2⁺\nYour answer: b2⁺ = b2 − η·(out_O − target)·out_O·(1 − out_O)\n"
    result = verdicts(SEED003, ("right", "b2+", stated), ("skipped", "b2+", skipped), ("alone", "b2+", "b2⁺"))
    assert result["right"] == "correct" and result["skipped"] != "correct" and result["alone"] != "correct"


def test_a_line_that_gives_a_samples_input_first() -> None:
    """An IRC log's "x(2) = (-0.4, 0.3): a1 = … = -0.05": the line's quantities are sample 2's (a1 the sheet's
    name for sample 1's net input, said again of sample 2); "exp = 0.935469, 1.130684, 1.003445, sum 3.069598" lists
    a function's values. E = (L(1) + L(2))/2. The twin's a1 is sample 1's 0.27, on sample 2's line."""
    sheet = ("[21:03] <mira_k> a1 = 0.3*0.5 - 0.1*(-0.2) + 0.1 = 0.27, L(1) = 1.047485\n"
             "[21:12] <mira_k> x(2) = (-0.4, 0.3): a1 = A1, a2 = -0.08 + 0.12 + 0.1 = 0.14\n"
             "[21:13] <mira_k> z(2) = (-0.066707, 0.122823, 0.003439), exp = 0.935469, 1.130684, 1.003445, sum "
             "3.069598\n"
             "[21:13] <mira_k> y(2) = (0.304753, 0.368349, 0.326898) -> L(2) = -ln(0.326898) = 1.118108\n"
             f"[21:14] <mira_k> E = (L(1) + L(2))/2 = (1.047485 + 1.118108)/2 = {_n(SOFTMAX, 'E', 6)}\n")
    right_and_twin(SOFTMAX, "E", sheet.replace("A1", "-0.12 - 0.03 + 0.1 = -0.05"),
                   sheet.replace("A1", "0.27"))


def test_a_cells_last_prints_each_print_a_tensor() -> None:
    """A forum reply's cell ending in print(dW1) and print(W1.grad), and the two tensors printed under it: each the
    value of its print's argument (numpy's dW1[0, 0] is ∂E/∂w1). The twin prints ∂E/∂w2's value first."""
    cell = ("```python\ndW1 = dA.T @ X / X.shape[0]\nprint(dW1)\nprint(W1.grad)\n```\n```\n"
            "tensor([[FIRST,  0.105730],\n        [ 0.190165, -0.105008]], grad_fn=<DivBackward0>)\n"
            "tensor([[FIRST,  0.105730],\n        [ 0.190165, -0.105008]])\n```\n")
    right_and_twin(SOFTMAX, "dE/dw1", cell.replace("FIRST", _n(SOFTMAX, "dE/dw1", 6)),
                   cell.replace("FIRST", _n(SOFTMAX, "dE/dw2", 6)))
