"""symbackprop.check.verdicts: one enumeration of the verdicts whose values are the JSON contract's strings
(README: an answer is correct, incorrect, unparseable or refused; a line correct, rounding, incorrect or
unchecked), and the marks the text reports show for a line."""

from __future__ import annotations

import json

from symbackprop.check.verdicts import MARK, Verdict

ANSWER = {"correct", "incorrect", "unparseable", "refused"}  # README, check --format json
LINE = {"correct", "rounding", "incorrect", "unchecked"}


def test_the_values_are_the_contracts_strings() -> None:
    assert {v.value for v in Verdict} == ANSWER | LINE


def test_a_verdict_is_its_string_in_comparisons_dicts_and_json() -> None:
    for v in Verdict:
        assert v == v.value and str(v) == v.value and f"{v}" == v.value
        assert {v.value: 1}[v] == 1 and hash(v) == hash(v.value)
        assert json.loads(json.dumps({"verdict": v})) == {"verdict": v.value}
    assert Verdict("rounding") is Verdict.ROUNDING


def test_every_line_verdict_has_its_own_mark() -> None:
    assert set(MARK) == LINE
    assert len(set(MARK.values())) == len(MARK)
    assert MARK["correct"] == "✓" and MARK["incorrect"] == "✗" and MARK["rounding"] == "≈"
