"""Readings of session 56, from answers of tune53 (measure51, written blind) that were judged wrongly. Each right form
has a wrong twin that must stay rejected; each right form failed on the checker at the session's start (af0f660).
Numbers come from the corpus's own truth (tests/corpus/truth_values.py, through `_n`: the spec read with tomllib, an
mpmath forward pass and central differences); symbolic answers are derived by hand in the docstring."""

from __future__ import annotations

from test_check import EX, SEED000, SEED002, SEED003, SEED004, right_and_twin, verdicts
from test_check_reading_n import _n

SEED001 = EX / "seed001_abstract_phi.toml"


def test_an_smath_worksheets_definitions_beside_their_evaluations() -> None:
    """SMath Studio: "name ≔ formula" with the worksheet's "name = value" beside it is one statement; a row of
    definitions set apart by wide gaps is several; a text region in quotes is prose. Seed 000 numbers its weights by
    source neuron: In_o2 = w6·h1 + w8·h2; the twin takes w7 (h2's weight to o1) for w6."""
    sheet = ('"Lab 4: forward pass"\nx1 ≔ 0.5   x2 ≔ 0.3   η ≔ 1\n'
             "In_o2 ≔ {w}·h1 + w8·h2      In_o2 = {net}\no2 ≔ σ(In_o2)              o2 = {out}\n")
    net, out = _n(SEED000, "net_o2", 6), _n(SEED000, "o2", 6)
    right_and_twin(SEED000, "o2", sheet.format(w="w6", net=net, out=out), sheet.format(w="w7", net=net, out=out))


def test_photomaths_steps_go_on_the_formula_the_student_wrote() -> None:
    """Photomath's screen copied under the student's note: "Problem:", its captioned steps and "Solution:" continue
    the note's formula; where the note's statement already ends in its value, the problem opens a statement of its
    own. Seed 002: h1 = w1·i1 + w2·i2 = 0.11·2 + 0.21·3; w6⁺ = w6 − η ∂E/∂w6 with η = 0.05; the twins swap the
    inputs and add the gradient."""
    h1 = ("my note: h1 = w1·i1 + w2·i2\nProblem: 0.11·{a} + 0.21·{b}\n  Multiply the numbers: {p} + {q}\n"
          "  Add the numbers: {v}\nSolution: {v}\nAlternative forms: 17/20\n")
    right_and_twin(SEED002, "h1", h1.format(a=2, b=3, p="0.22", q="0.63", v=_n(SEED002, "h1", 2)),
                   h1.format(a=3, b=2, p="0.33", q="0.42", v="0.75"))
    g = _n(SEED002, "dE/dw6", 5)
    w6 = (f"my note: w6_new with ∂E/∂w6 = −0.809·0.48 = {g} (no 2 — the ½ in E cancels it, fixed)\n"
          f"Problem: 0.15 {{s}} 0.05·({g})\n  Multiply the numbers: {{v}}\nSolution: {{v}}\n")
    right_and_twin(SEED002, "w6+", w6.format(s="−", v=_n(SEED002, "w6+", 6)), w6.format(s="+", v="0.130584"))


def test_a_crib_sheets_sections_marks_and_cells() -> None:
    """A typed-up crib sheet: "§3a" section numbers, "[box]" and "[red]" marks, cells apart by a bar in a wide gap,
    a bracket of words closing the line ("(2nd index = hidden unit!)", "(⚠ sign: −(d − y))"). Seed 001 (symbolic):
    ∂E/∂W²₃ = (y − d)·Φ(h′₃), h′₂ = Σᵢ xᵢ W¹ᵢ₂, ∂E/∂y = y − d; the twins turn a sign round or swap W¹'s indices."""
    w23 = "  §3a 2nd layer:   ∂E/∂W²₃ = ({a})·h₃ = ({a})·Φ(h′₃)   [box]\n"
    right_and_twin(SEED001, "dE/dW2_3", w23.format(a="y − d"), w23.format(a="d − y"))
    net = ("[red] NB!! don't mix up!! [/red]\n  W¹ᵢⱼ: input i → hidden j   |   W²ⱼ: hidden j → y   |   E = ½(d − y)²\n"
           "  fwd:  h′₂ = x1 W¹{a} + x2 W¹₂₂ + x3 W¹₃₂   (2nd index = hidden unit!)\n")
    right_and_twin(SEED001, "net_h2", net.format(a="₁₂"), net.format(a="₂₁"))
    dy = "  bwd:  ∂E/∂y = {a}   (⚠ sign: −(d − y))\n"
    right_and_twin(SEED001, "dE/dy", dy.format(a="y − d"), dy.format(a="d − y"))


def test_a_kaskus_threads_post_numbers_quotes_and_new_weights() -> None:
    """KASKUS (vBulletin): "#13 kucing.oren (TS)" heads a post; "Quote:Original Posted by …" and the quoted lines
    under it, to a blank line, are the other poster's; "w6_baru" is w6 updated (baru: new). Seed 004: E = ½(t1 −
    o1)² + ½(t2 − o2)², w6⁺ = w6 − η ∂E/∂w6; the twins drop the halves (the quote, with them, is not the student's)
    and add the gradient."""
    e = ("#3\nQuote:Original Posted by bangjago99\nE_total = 1/2*(0.01 - 0.7514)^2 + 1/2*(0.99 - 0.7729)^2\n\n"
         "jadi E_total = {a} + {b} = {v}\n")
    right_and_twin(SEED004, "E", e.format(a="0.2748", b="0.0236", v=_n(SEED004, "E", 4)),
                   e.format(a="0.5497", b="0.0471", v="0.5968"))
    w6 = "#13 kucing.oren (TS)\nmakasih gan semua.\nw6_baru = w6 {s} 0.5 * dE/dw6 = 0.45 {s} 0.5 * {g} = {v}\n"
    g = _n(SEED004, "dE/dw6", 3)
    right_and_twin(SEED004, "w6+", w6.format(s="-", g=g, v=_n(SEED004, "w6+", 4)), w6.format(s="+", g=g, v="0.4913"))


def test_new_said_after_a_weights_digits() -> None:
    """w6_new, w6_{new}, w6_baru (the digits read as the weight's index, the word as its subscript) are the updated
    weight, as w_6^{new} is; w6_old stays the student's own name, never the update."""
    chain = "{n} = w6 - 0.5 * dE/dw6 = 0.45 - 0.5 * 0.0827 = " + _n(SEED004, "w6+", 4)
    for name in ("w6_new", "w6_{new}", "w6_baru"):
        assert verdicts(SEED004, ("x", "w6+", chain.format(n=name)))["x"] == "correct", name
    assert verdicts(SEED004, ("x", "w6+", chain.format(n="w6_old")))["x"] == "incorrect"


def test_a_posts_later_edit_and_a_spoilers_rules() -> None:
    r"""A LiveJournal entry's "ETA (03:10): …" (edited to add) leads a line; ekşi sözlük's "--- `spoiler:` ---" rules
    are no minus signs. Seed 003: δ_O = (out_O − target) out_O (1 − out_O); seed 004: net_o2 = w7 out_h1 + w8 out_h2
    + b2; the twins write (1 − net_O) and w6 for w7."""
    eta = ("ETA (03:10): fixed from here on, \\delta_O = (out_O - target) out_O (1 - {a}).\n"
           "dE/dw5 = \\delta_O * out_{{h1}}\n")
    right_and_twin(SEED003, "dE/dw5", eta.format(a="out_O"), eta.format(a="net_O"))
    spoiler = ("--- `spoiler:` ---\nyukarıdaki entry'de w8 yerine w6 yazılmış, net_o2 = {w}·0.593269992 + "
               "0.55·0.596884378 + 0.60 = {v}\n--- `spoiler` ---\n")
    right_and_twin(SEED004, "net_o2", spoiler.format(w="0.50", v=_n(SEED004, "net_o2", 10)),
                   spoiler.format(w="0.45", v="1.19525791"))


def test_a_wykop_entrys_header_a_lenny_face_and_words_before_a_brackets_end() -> None:
    """Wykop: "@user +6" heads an entry; "( ͡° ͜ʖ ͡°)" is a face; "b2 = 0.60 zostają bez zmian)" ends a bracket of
    given values in words; a sentence with names in it ends at "xD." before the statement. Seed 004: w3⁺ = w3 − η
    ∂E/∂w3; the twin adds the gradient."""
    sheet = ("@gradientowy_janusz +6\nMirki, sieć 2-2-2 (i1 = 0.05, i2 = 0.10, η = 0.5, b1 = 0.35, b2 = 0.60 zostają "
             "bez zmian). Sprawdźcie pls ( ͡° ͜ʖ ͡°)\n@kotlet_schabowy_ml dzięki, to w4 masz z i1, a to jest przy w3 xD. "
             "w3⁺ = 0.25 {s} 0.5 · 0.00049771 = {v}\n")
    right_and_twin(SEED004, "w3+", sheet.format(s="−", v=_n(SEED004, "w3+", 8)), sheet.format(s="+", v="0.25024886"))
