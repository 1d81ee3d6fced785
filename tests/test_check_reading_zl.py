"""Readings of session 56, from answers of tune54 (measure52, written blind) that were judged wrongly. Each right form
has a wrong twin that must stay rejected; each right form failed on the checker at the session's start (af0f660).
Numbers come from the corpus's own truth (tests/corpus/truth_values.py, through `_n`: the spec read with tomllib, an
mpmath forward pass and central differences); symbolic answers are derived by hand in the docstring."""

from __future__ import annotations

from test_check import EX, SEED000, SEED002, SEED003, SEED004, right_and_twin
from test_check_reading_n import _n

SEED001 = EX / "seed001_abstract_phi.toml"
SOFTMAX = EX / "softmax_batch.toml"


def test_an_excalidraw_boards_elements() -> None:
    """Excalidraw's copy as text: "[ellipse] x₁ = 0.5", an arrow's label "[arrow x₂ → h₁] w₃ = 0.50", "[text] (red)
    …"; "[frame]" titles and "[freedraw]" strokes are layout. Seed 000 numbers weights by source: In_h₁ = w₁x₁ +
    w₃x₂; the twin takes w₂."""
    sheet = ("[frame] 1 · FORWARD (seed 000, η = 1)\n[ellipse] x₁ = 0.5\n[ellipse] x₂ = 0.3\n"
             "[arrow x₁ → h₁] w₁ = 0.20\n"
             "[arrow x₂ → h₁] w₃ = 0.50\n[text] (red) In_h₁ = w₁·x₁ + {w}·x₂ = 0.20·0.5 + {v}·0.3 = {n}\n"
             "[freedraw] (red circle around w₃)\n")
    right_and_twin(SEED000, "net_h1", sheet.format(w="w₃", v="0.50", n=_n(SEED000, "net_h1", 2)),
                   sheet.format(w="w₂", v="(−0.40)", n="−0.02"))


def test_arithmetic_left_unworked_before_the_answers_own_chain() -> None:
    """"y₂ is MINUS 0.07 → (0.5287 − (−0.07))² = 0.5987²", then "Error = 0.0305 + 0.1792 = 0.2097": a square worked
    on the way, before the line that states the asked quantity, is arithmetic, right as arithmetic. Seed 000: E =
    ½(o₁ − y₁)² + ½(o₂ − y₂)²; the twin forgets y₂'s minus in the sum."""
    sheet = "[text] (red) y₂ is MINUS 0.07 → (0.5287 − (−0.07))² = 0.5987²\n[text] Error = 0.0305 + {b} = {v}\n"
    right_and_twin(SEED000, "E", sheet.format(b="0.1792", v=_n(SEED000, "E", 4)), sheet.format(b="0.1052", v="0.1357"))


def test_a_boards_stamp_and_its_count() -> None:
    """A FigJam sticky ends with its stamps, "👍 +2": a count, not a term of the sum. Softmax batch: L = ½(L⁽¹⁾ +
    L⁽²⁾); the twin adds the two losses without the half."""
    sheet = "🟨 sticky · Priya\nL = {h}(1.047485 + 1.118108) = {v}\n👍 +2\n"
    right_and_twin(SOFTMAX, "E", sheet.format(h="½", v=_n(SOFTMAX, "E", 7)), sheet.format(h="", v="2.165593"))


def test_a_trello_cards_fields_checklist_and_comments() -> None:
    """A Trello card's back: "Members: AK JT RS", "Due: Mar 14 at 11:59 PM", a checklist's "[x] …", a comment's
    "Anna K. · 3 hours ago" and "(edited)". Seed 002: h1 = i1 w1 + i2 w2; the twin puts w3 for w2."""
    sheet = ("Board: ML Study Group · List: Needs review\nMembers: AK JT RS\nDue: Mar 14 at 11:59 PM\n\nDescription\n"
             "Checklist: Forward pass (Anna)\n[x] h1 = i1*w1 + i2*{w} = 2*0.11 + 3*{v} = {h} (edited)\n"
             "Anna K. · 3 hours ago\n")
    right_and_twin(SEED002, "h1", sheet.format(w="w2", v="0.21", h=_n(SEED002, "h1", 2)),
                   sheet.format(w="w3", v="0.12", h="0.58"))


def test_a_rounded_number_in_a_deltas_definition() -> None:
    """Notability: "🎙 00:27:51" marks the recording; δ1 = 0.036351 × σ′(z1) (∂E/∂a1 worked out before, rounded) is
    the network's δ_h1, so δ1 × i1 is ∂E/∂w1. Seed 004: ∂E/∂w1 = δ_h1 i1; the twin takes i2."""
    forward = ("z1", "net_h1", "z1 = w1 x i1 + w2 x i2 + b1 = 0.3775 -> a1 = σ(z1) = 0.593270")
    sheet = "🎙 00:27:51\nδ1 = 0.036351 x σ′(z1) = 0.008772\n∂L/∂w1 = δ1 x {i} = 0.008772 x {v} = {g}\n"
    right_and_twin(SEED004, "dE/dw1", sheet.format(i="i1", v="0.05", g="4.386e-4"),
                   sheet.format(i="i2", v="0.10", g="8.772e-4"), forward)


def test_a_videos_overlays_and_a_dot_between_a_value_and_words() -> None:
    """TikTok: "[auto-captions]" heads the spoken lines, "[on-screen]" the math; "w8 = 0.80 · targets y1 = 0.23":
    a dot between a value and the words naming the next. Seed 000: In_h1 = w1 x1 + w3 x2; the twin takes w2."""
    sheet = ("[auto-captions]\nokay so this is the network from the lecture two inputs\n"
             "[on-screen] w1 = 0.20, w2 = −0.40, w3 = 0.50, w8 = 0.80 · targets y1 = 0.23, y2 = −0.07\n"
             "[on-screen] In_h1 = w1 × x1 + {w} × x2 = 0.20 × 0.5 + {v} × 0.3 = {n}\n")
    right_and_twin(SEED000, "net_h1", sheet.format(w="w3", v="0.50", n=_n(SEED000, "net_h1", 2)),
                   sheet.format(w="w2", v="(−0.40)", n="−0.02"))


def test_an_indented_aside_and_a_range_of_weights_with_commas() -> None:
    r"""A Zettelkasten slip's indented aside, "  (one path only: each hⱼ feeds only y)"; a forum's "\(w_1, \dots,
    w_6 = 0.11, 0.21, …\)", the weights given in a list. Seed 001: ∂E/∂h₂ = (y − d) W²₂; seed 002: h2 = i1 w3 +
    i2 w4; the twins turn the sign round and take w2 for w4."""
    slip = ("7/3b2   Into the hidden layer\n  ∂E/∂h₂ = ∂E/∂y · ∂y/∂h₂ = ({a}) W²₂\n"
            "  (one path only: each hⱼ feeds only y)\n")
    right_and_twin(SEED001, "dE/dh2", slip.format(a="y − d"), slip.format(a="d − y"))
    post = (r"Gewichte \(w_1, \dots, w_6 = 0.11, 0.21, 0.12, 0.08, 0.14, 0.15\), Ziel \(y = 1\)." "\n"
            r"\(h_2 = i_1 w_3 + i_2 {w} = 2 \cdot 0.12 + 3 \cdot {v} = {h}\)" "\n")
    right_and_twin(SEED002, "h2", post.format(w="w_4", v="0.08", h=_n(SEED002, "h2", 2)),
                   post.format(w="w_2", v="0.21", h="0.87"))


def test_and_between_two_worked_values_and_a_mails_signature() -> None:
    """An ILIAS essay: "… = 0.429890 and −0.421617*(1 − 0.139092^2) = −0.413461", two samples' values, the second a
    statement of its own; a mailing list's post ends with its signature, "-- " and the name. Softmax batch: ∂J/∂w3
    = ½ Σ_n ∂L⁽ⁿ⁾/∂a₂ x₁⁽ⁿ⁾; seed 003: ∂E/∂b2 = δ_O; the twins take x₂ of sample 2 and turn δ_O's sign round."""
    essay = ("dL/da_2 = 0.436110*(1 - 0.119427^2) = 0.429890 and -0.421617*(1 - 0.139092^2) = -0.413461\n"
             "dJ/dw3 = (0.429890*0.5 + (-0.413461)*({x}))/2 = {v}\n")
    right_and_twin(SOFTMAX, "dE/dw3", essay.format(x="-0.4", v=_n(SOFTMAX, "dE/dw3", 6)),
                   essay.format(x="0.3", v="0.045454"), ("a2", "net_h2", "h_j = tanh(a_j), a_2 = w3 x1 + w4 x2 + b1"))
    mail = "and dE/db2 = delta_O * 1 = ({a})*out_O*(1 - out_O).\n\n-- \nAiko\n"
    right_and_twin(SEED003, "dE/db2", mail.format(a="out_O - target"), mail.format(a="target - out_O"))
