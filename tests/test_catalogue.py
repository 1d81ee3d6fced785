"""symbackprop.check.catalogue: everything the checker says, one entry per diagnosis kind and note, with its
message in every language of the sheets (templates/strings/*.toml), and every diagnosis reachable.

Each "produced" case below is a derivation with one slip put in by hand (its comment says which); the checker
must report that slip's kind (or, for the entries that are a message of another kind, that message)."""

from __future__ import annotations

import re
import string
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, SEED000, SEED001, SEED004, SOFTMAX
from symbackprop import Network
from symbackprop.check.answers import parse_answers
from symbackprop.check.catalogue import DIAGNOSES, LANGUAGES, NOTES, PRIORITY, READER, Entry, say
from symbackprop.check.circuit_check import check_model
from symbackprop.check.run import AnswerResult
from symbackprop.circuit import Circuit, load_model

ENTRIES = DIAGNOSES + NOTES + READER
#: the reader's entries that are their parameter alone (a hint, in the language of the message)
VERBATIM = {"unsupported"}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def pattern(template: str) -> re.Pattern[str]:
    """The template as a regular expression: its text literal, each {field} any text."""
    parts = [re.escape(text) + ("(.+?)" if name is not None else "")
             for text, name, _, _ in string.Formatter().parse(template)]
    return re.compile("".join(parts), re.S)


# -- the entries -------------------------------------------------------------------------------------

def test_the_languages_are_those_of_the_sheets() -> None:
    sheets = {p.stem for p in (ROOT / "templates" / "strings").glob("*.toml")}
    assert set(LANGUAGES) == sheets


def test_keys_are_unique_and_every_entry_speaks_every_language() -> None:
    keys = [e.key for e in ENTRIES]
    assert len(keys) == len(set(keys))
    for e in ENTRIES:
        for lang in LANGUAGES:
            text = getattr(e, lang)
            assert isinstance(text, str) and text.strip(), (e.key, lang)
        if e.key not in VERBATIM:
            assert re.search(r"[\u4e00-\u9fff]", e.zh), e.key  # the Chinese message is Chinese
            assert e.zh != e.en, e.key
        # the same placeholders in every language: a message is filled with one set of parameters
        assert fields(e.zh) == fields(e.en), e.key


def test_every_diagnosis_says_where_it_is_detected_and_has_a_priority() -> None:
    assert set(PRIORITY) == {e.key for e in DIAGNOSES}
    for e in DIAGNOSES:
        assert e.detector and e.priority > 0, e.key
    # a diagnosis named by a line (another quantity's value, an arithmetic slip) comes after the formula slips
    assert max(PRIORITY[k] for k in ("sign_flipped", "factor_two", "wrong_weight", "missing_path")) \
        < min(PRIORITY[k] for k in ("wrong_substituted_value", "arithmetic_slip", "too_few_digits"))
    # "no known slip fits" is the last resort
    assert PRIORITY["different"] == max(PRIORITY.values())


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.key for e in ENTRIES])
def test_say_fills_every_placeholder_in_every_language(entry: Entry) -> None:
    params = {name: f"<{name}>" for name in fields(entry.en)}
    for lang in LANGUAGES:
        text = say(entry.key, lang, **params)
        for value in params.values():
            assert value in text, (entry.key, lang)
        assert text == getattr(entry, lang).format(**params)


def test_the_readers_entries_are_said_with_their_position() -> None:
    assert not {e.key for e in READER} & {e.key for e in DIAGNOSES + NOTES}
    assert all(not e.detector and not e.priority for e in READER)  # messages, not diagnoses
    assert say("at_position", what="unexpected '*'", line=2, column=7) == "unexpected '*' at line 2, column 7"
    assert say("at_position", "zh", what=say("unexpected", "zh", token="'*'"), line=2, column=7) \
        == "意外的 '*'（第 2 行第 7 列）"


def test_say_defaults_to_english_and_needs_its_parameters() -> None:
    assert say("summary", k=2, n=3) == "2 of 3 answers correct"
    assert say("summary", "zh", k=2, n=3) == "3 个答案中 2 个正确"
    with pytest.raises(KeyError):
        say("summary", k=2)
    with pytest.raises(KeyError):
        say("no_such_message")


# -- every diagnosis is produced ----------------------------------------------------------------------

W5 = r"\frac{\partial E_{total}}{\partial w_5} = "
W1 = r"\frac{\partial E_{total}}{\partial w_1} = "
ADD, NEURON = (ROOT / "examples" / "graphs" / f"{name}.toml"
               for name in ("cs231n_add_multiply", "cs231n_sigmoid_neuron"))
W5_RIGHT = r"(out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})\, out_{h1}"
W1_RIGHT = r"(\delta_{o1} w_5 + \delta_{o2} w_7)\, out_{h1}(1 - out_{h1})\, i_1"


def _updated_w5_line() -> str:
    """∂E/∂w1 of seed 004 with Mazur's numbers (δ_o1 = 0.1385, δ_o2 = −0.0381, h1(1 − h1) = 0.2413, i1 = 0.05), the
    updated w5⁺ = 0.3589 put where w5 = 0.40 belongs; the product worked out exactly."""
    value = (Decimal("0.1385") * Decimal("0.3589") + Decimal("-0.0381") * Decimal("0.5")) * Decimal("0.2413") \
        * Decimal("0.05")
    return (W1 + W1_RIGHT + r" = (0.1385 \times 0.3589 + (-0.0381) \times 0.5) \times 0.2413 \times 0.05 = "
            + f"{value:.3e}".replace("e-0", "e-"))


#: (catalogue key, spec, quantity, answer with that slip, min_significant); Mazur's numbers: out_h1 = 0.593269992,
#: out_h2 = 0.596884378, out_o1 = 0.75136507, ∂E/∂w5 = 0.082167041
PRODUCED = [
    # a right chain about ∂E/∂w6 where ∂E/∂w5 is asked
    ("other_quantity", SEED004, "dE/dw5", r"\frac{\partial E_{total}}{\partial w_6} = \delta_{o1} out_{h2} = "
                                          r"0.1385 \times 0.5969 = 0.0827", 2),
    # a right line about ∂E/∂out_o1 only: nothing about ∂E/∂w5
    ("incomplete", SEED004, "dE/dw5", r"\frac{\partial E}{\partial out_{o1}} = out_{o1} - target_{o1} = 0.7414", 2),
    # the update written with ∂E/∂w5 after an answer (BEFORE) that got ∂E/∂w5 wrong
    ("incomplete_carried", SEED004, "w5+", r"w_5^{+} = w_5 - \eta \frac{\partial E_{total}}{\partial w_5}", 2),
    # the chain rule in derivatives that no line evaluates
    ("incomplete_factors", SEED004, "dE/dw5", W5 + r"\frac{\partial E}{\partial out_{o1}} \frac{\partial out_{o1}}"
                                              r"{\partial net_{o1}} \frac{\partial net_{o1}}{\partial w_5}", 2),
    # numbers put in, never multiplied out
    ("incomplete_arithmetic", SEED004, "dE/dw5", W5 + r"0.7414 \times 0.1868 \times 0.5933", 2),
    # the definition of E, no number of the network in it
    ("incomplete_definition", SEED004, "E", r"E_{total} = \frac{1}{2}(target_{o1} - out_{o1})^2 + "
                                            r"\frac{1}{2}(target_{o2} - out_{o2})^2", 2),
    # with grading.require_value: a right formula, no number
    ("incomplete_value", SEED004, "dE/dw5", W5 + r"(out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})\, out_{h1}", 2),
    # seed 000's own δ1 = (δ5 + δ6)·…: the per-weight δ's of w5, w6 where the output neurons' δ's belong
    ("per_weight_delta", SEED000, "dE/dw1", r"\delta_{1} = \frac{\partial Error}{\partial w_{1}} = (\delta_{5} + "
     r"\delta_{6}) \times \frac{\partial h_{1}}{\partial In_{h_{1}}} \times \frac{\partial In_{h_{1}}}{\partial w_{1}}",
     1),
    # ∂E/∂b2 (the bias shared by both outputs) as the sum of the gradients of the four weights into them
    ("per_weight_bias", SEED004, "dE/db2", r"\frac{\partial E}{\partial b_2} = \frac{\partial E}{\partial w_5} + "
     r"\frac{\partial E}{\partial w_6} + \frac{\partial E}{\partial w_7} + \frac{\partial E}{\partial w_8}", 2),
    # w5⁺, w7⁺ (after the update) where the forward pass's w5, w7 belong
    ("updated_weights", SEED004, "dE/dw1",
     W1 + r"(\delta_{o1} w_5^{+} + \delta_{o2} w_7^{+})\, out_{h1}(1 - out_{h1})\, i_1", 2),
    # o1(1 − o1) dropped
    ("missing_activation_derivative", SEED004, "dE/dw5", W5 + r"(out_{o1} - target_{o1})\, out_{h1}", 2),
    # the output layer's σ' dropped, the hidden layer's kept
    ("missing_activation_derivative_layer", SEED004, "dE/dw1",
     W1 + r"((out_{o1} - target_{o1}) w_5 + (out_{o2} - target_{o2}) w_7)\, out_{h1}(1 - out_{h1})\, i_1", 2),
    ("sign_flipped", SEED004, "dE/dw5", W5 + r"(target_{o1} - out_{o1})\, out_{o1}(1 - out_{o1})\, out_{h1}", 2),
    ("factor_two", SEED004, "dE/dw5", W5 + "2" + W5_RIGHT, 2),
    ("factor_half", SEED004, "dE/dw5", W5 + r"\frac{1}{2}" + W5_RIGHT, 2),
    # w6 where w5 belongs on the path through o1
    ("wrong_weight", SEED004, "dE/dw1", W1 + r"(\delta_{o1} w_6 + \delta_{o2} w_7)\, out_{h1}(1 - out_{h1})\, i_1", 2),
    ("wrong_input", SEED004, "dE/dw5", W5 + r"(out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})\, out_{h2}", 2),
    # tanh's derivative 1 − o² for a sigmoid neuron
    ("wrong_activation_derivative", SEED004, "dE/dw5", W5 + r"(out_{o1} - target_{o1})\, (1 - out_{o1}^2)\, out_{h1}",
     2),
    # the path through o2 left out
    ("missing_path", SEED004, "dE/dw1", W1 + r"\delta_{o1} w_5\, out_{h1}(1 - out_{h1})\, i_1", 2),
    # W^1_{11} feeds hidden unit 1 only: the paths through every hidden unit summed
    ("extra_path", SEED001, "dE/dW1_11", r"\frac{\partial E}{\partial W^1_{11}} = (y - d) \sum_{j=1}^{3} W^2_j\, "
     r"\Phi'(In_{h_j})\, x_1", 2),
    # b1 feeds the hidden neurons only: the error terms of the output neurons (with their bias b2) added too
    ("extra_units_bias", SEED004, "dE/db1", r"\frac{\partial E}{\partial b_1} = \delta_{h1} + \delta_{h2} + "
     r"\delta_{o1} + \delta_{o2}", 2),
    # ∂E/∂out_h1 with the weights out of both hidden neurons into each output summed (w5 + w6, w7 + w8)
    ("summed_weights", SEED004, "dE/dh1", r"\frac{\partial E}{\partial out_{h1}} = \delta_{o1} (w_5 + w_6) + "
     r"\delta_{o2} (w_7 + w_8)", 2),
    # a graph spec (CS231n's f = (x + y) z): ∂f/∂q is the multiply gate's other input z, not q itself
    ("swapped_inputs", ADD, "df/dz", r"\frac{\partial f}{\partial z} = z = -4", 2),
    # the sigmoid gate's local gradient f(1 − f) left out
    ("local_missing", NEURON, "df/dw0", r"\frac{\partial f}{\partial w_0} = x_0 = -1", 2),
    ("sign_opposite", ADD, "df/dx", r"\frac{\partial f}{\partial x} = 4", 2),
    # the batch's mean gradient ½ Σ_n δ⁽ⁿ⁾_{y1} h⁽ⁿ⁾_1 written for sample 1 alone
    ("one_sample", SOFTMAX, "dE/dw5", r"\frac{\partial E}{\partial w_5} = (y_1 - t_1) h_1", 2),
    # a where-line: σ'(net) = o(1 + o)
    ("activation_derivative_wrong", SEED004, "dE/dw5",
     W5 + r"\frac{\partial E}{\partial out_{o1}} \frac{\partial out_{o1}}{\partial net_{o1}} \frac{\partial net_{o1}}"
     r"{\partial w_5}" + "\n" + r"\frac{\partial out_{o1}}{\partial net_{o1}} = out_{o1}(1 + out_{o1})", 2),
    # Φ(In_h3) where Φ'(In_h3) belongs
    ("activation_for_derivative", SEED001, "dE/dW1_13",
     r"\frac{\partial E}{\partial W^{(1)}_{13}} = (y - d)\, W^{(2)}_3\, \Phi(In_{h_3})\, x_1", 2),
    ("update_sign", SEED004, "w5+", r"w_5^{+} = w_5 + \eta \frac{\partial E_{total}}{\partial w_5}", 2),
    ("missing_learning_rate", SEED004, "w5+", r"\Delta w_5 = -\frac{\partial E}{\partial w_5} = -0.082167041, "
                                              r"\qquad w_5^{+} = 0.4 - 0.082167041 = 0.317832959", 2),
    # out_h2's value 0.5969 put for out_h1 = 0.5933
    ("wrong_substituted_value", SEED004, "dE/dw5", W5 + W5_RIGHT + r" = 0.7414 \times 0.1868 \times 0.5969 = 0.0827",
     2),
    # the product of the right numbers is 0.08217, not 0.0850
    ("arithmetic_slip", SEED004, "dE/dw5", W5 + W5_RIGHT + r" = 0.7414 \times 0.1868 \times 0.5933 = 0.0850", 2),
    ("wrong_value", SEED004, "dE/dw5", W5 + "0.5", 2),
    # two numbers no factor has (0.1234, 0.4321): no one substitution explains them
    ("unknown_factor", SEED004, "dE/dw5", W5 + W5_RIGHT + r" = 0.7414 \times 0.1234 \times 0.4321 = 0.0395", 2),
    ("too_few_digits", SEED004, "dE/dw5", W5 + "0.08", 2),
    # 0.0827 is the product of the numbers before it, but one of them (0.5969) was wrong
    ("follows_wrong_line", SEED004, "dE/dw5", W5 + W5_RIGHT + r" = 0.7414 \times 0.1868 \times 0.5969 = 0.0827", 2),
    # 0.74 × 0.19 × 0.59 = 0.082954: the exact value is 0.082167
    ("rounding_drift", SEED004, "dE/dw5", W5 + W5_RIGHT + r" = 0.74 \times 0.19 \times 0.59 = 0.0830", 2),
    # no slip: a sum of two outputs
    ("different", SEED004, "dE/dw5", W5 + r"out_{h1} + out_{o1}", 2),
]
#: an answer on the sheet before the one of PRODUCED: ∂E/∂w5 without σ′(net_o1)
BEFORE = {"incomplete_carried": ("dE/dw5", W5 + r"(out_{o1} - target_{o1})\, out_{h1} = 0.7414 \times 0.5933 = 0.4399")}
#: catalogue entries that are a message of another kind (the JSON's "kind" is the other one)
MESSAGE_OF = {"incomplete_carried": "incomplete", "incomplete_factors": "incomplete",
              "incomplete_arithmetic": "incomplete",
              "incomplete_definition": "incomplete", "incomplete_value": "incomplete",
              "missing_activation_derivative_layer":
              "missing_activation_derivative", "factor_half": "factor_two", "per_weight_bias": "per_weight_delta",
              "extra_units_bias": "extra_path", "summed_weights": "extra_path"}
#: entries reported on a line (LineVerdict.kind), not as the answer's diagnosis
LINE_ONLY = {"follows_wrong_line", "rounding_drift"}

_NETS: dict[Path, Network | Circuit] = {}


def check(spec: Path, quantity: str, latex: str, digits: int, require_value: bool = False,
          before: tuple[str, str] | None = None) -> AnswerResult:
    """The verdict on one answer; `before`, an answer (quantity, latex) on the sheet before it."""
    if spec not in _NETS:
        _NETS[spec] = load_model(spec)
    earlier = [{"id": "b", "quantity": before[0], "latex": before[1]}] if before else []
    data = {"grading": {"min_significant": digits, "require_value": require_value},
            "answer": [*earlier, {"id": "a", "quantity": quantity, "latex": latex}]}
    return check_model(_NETS[spec], parse_answers(data, "t.toml")).answers[-1]


def test_the_cases_cover_every_diagnosis() -> None:
    assert [c[0] for c in PRODUCED] == [e.key for e in DIAGNOSES]


@pytest.mark.parametrize(("key", "spec", "quantity", "latex", "digits"), PRODUCED, ids=[c[0] for c in PRODUCED])
def test_every_diagnosis_is_produced(key: str, spec: Path, quantity: str, latex: str, digits: int) -> None:
    r = check(spec, quantity, latex, digits, require_value=key == "incomplete_value", before=BEFORE.get(key))
    if key == "rounding_drift":  # not an error: the answer stays correct, its last line is ≈
        assert r.verdict == "correct" and r.lines[-1].verdict == "rounding" and r.lines[-1].kind == key
        assert pattern(DIAGNOSES[-2].en).fullmatch(r.lines[-1].message) and DIAGNOSES[-2].key == key
        return
    assert r.verdict == "incorrect", (r.verdict, r.message, [(line.latex, line.message) for line in r.lines])
    en = next(e.en for e in DIAGNOSES if e.key == key)
    if key in LINE_ONLY:
        line = next(line for line in r.lines if line.kind == key)
        assert line.verdict == "incorrect" and pattern(en).fullmatch(line.message), line.message
        return
    (d,) = r.diagnosis  # one diagnosis per wrong answer
    assert d.kind == MESSAGE_OF.get(key, key), (d.kind, d.message)
    assert pattern(en).fullmatch(d.message), d.message
    assert d.corrected  # and the correct line


def test_an_updated_weights_number_is_named_with_the_weight_it_stands_for() -> None:
    """The same slip in numbers: w5⁺ = 0.3589 (Mazur: 0.35891648) put where w5 = 0.40 belongs."""
    r = check(SEED004, "dE/dw1", _updated_w5_line(), 2)
    (d,) = r.diagnosis
    assert d.kind == "updated_weights"
    assert pattern(next(e.en for e in NOTES if e.key == "updated_number")).fullmatch(d.message)
    assert d.message.startswith("0.3589 ") and "w_{5}" in d.message
    assert d.corrected == "0.000438568"  # Mazur's ∂E_total/∂w1
