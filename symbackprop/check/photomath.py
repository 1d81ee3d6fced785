"""Photomath's step-by-step screen copied as text: "Problem: 0.11·2 + 0.21·3", the app's steps under it with their
captions ("  Multiply the numbers: 0.22 + 0.63"), "Solution: 0.85" and "Alternative forms: 17/20". The screen works
out numbers the student put into the formula on the line before it, so the problem, each step and the solution go
on that statement ("= 0.11·2 + 0.21·3", "= 0.22 + 0.63", "= 0.85") — unless that line's statement has its value
already ("with ∂E/∂w6 = −0.38832"), where the problem opens a statement of its own. The alternative form is the
solution again."""

from __future__ import annotations

import re

#: (a problem typed into the app is arithmetic: "Problem: compute ∂E/∂w5" above a sheet's "Solution:" is not one)
_PROBLEM = re.compile(r"[ \t]*Problem[ \t]*:[ \t]*(?![^\n]*[A-Za-z]{3})(\S[^\n]*)")
_STEP = re.compile(r"[ \t]+[A-Z][a-z]+(?:[ \t]+[a-z]+){1,4}[ \t]*:[ \t]*(\S[^\n]*)")
_SOLUTION = re.compile(r"[ \t]*Solution(?:[ \t]*\([^()\n]*\))?[ \t]*:[ \t]*(\S[^\n]*)")
#: a line whose statement ends with its value (an aside in brackets after it): a problem after it is a statement of
#: its own, not that line's formula with numbers in it
_VALUED = re.compile(r"(?<![\w.^{])[0-9]+(?:\.[0-9]+)?[ \t]*(?:\([^()\n]*\)[ \t]*)?$")
_ALTERNATIVE = re.compile(r"[ \t]*Alternative forms?[ \t]*:[^\n]*")


def is_photomath(text: str) -> bool:
    """Does the text hold an arithmetic "Problem:" line, a "Solution:" line and the app's captioned steps or
    alternative forms?"""
    lines = text.split("\n")
    return any(_PROBLEM.fullmatch(line) for line in lines) and any(_SOLUTION.fullmatch(line) for line in lines) \
        and any(_STEP.fullmatch(line) or _ALTERNATIVE.fullmatch(line) for line in lines)


def photomath(text: str) -> str:
    """Each screen's problem, steps and solution as one statement over its lines; its alternative forms blank."""
    out = []
    screen = False
    for line in text.split("\n"):
        if m := _PROBLEM.fullmatch(line):
            screen = True
        elif screen and (m := _STEP.fullmatch(line) or _SOLUTION.fullmatch(line)):
            screen = not _SOLUTION.fullmatch(line)
        elif _ALTERNATIVE.fullmatch(line):
            out.append("")
            continue
        else:
            screen = False
            out.append(line)
            continue
        opens = _PROBLEM.fullmatch(line) and (not out or _VALUED.search(out[-1]))
        out.append(("" if opens else "= ") + m.group(1))
    return "\n".join(out)
