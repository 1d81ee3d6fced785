"""The verdicts of the checker, one enumeration: a line's (correct, rounding, incorrect, unchecked) and an
answer's (correct, incorrect, unparseable, refused). Their values are the strings of the JSON contract, and a
Verdict compares equal to its string, so reports and files read them unchanged."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    CORRECT = "correct"
    ROUNDING = "rounding"  # a line right up to the rounding of its numbers
    INCORRECT = "incorrect"
    UNCHECKED = "unchecked"  # a line set aside (a rule in index letters, code)
    UNPARSEABLE = "unparseable"  # notation the checker cannot read: never "incorrect"
    REFUSED = "refused"  # too large, too slow, or not judgeable


#: how a line's verdict is marked in the text, Markdown and feedback reports
MARK: dict[str, str] = {Verdict.CORRECT: "✓", Verdict.ROUNDING: "≈", Verdict.INCORRECT: "✗", Verdict.UNCHECKED: "–"}
