"""A student's submissions copied from PrairieLearn (or a like online homework's page): the assessment's header
("HW5: Backpropagation  >  Question 5.3. …  Variant 1"), the question's text under it, then each part's answer box
("(a) h1 = [ 0.85 ]"), the submission's status line ("Submission: Saved, not graded · 2024-10-03 21:02:17 (CDT)")
and the student's "Show your work: …". The header and the question are the lecturer's words and the status the
page's: blanks (positions kept); the box is the student's claim, "h1 = 0.85"; the work after its label is read."""

from __future__ import annotations

import re

from .tokens import _blank

_HEADER = re.compile(r"[^\n>]*>[ \t]*Question[ \t]+[0-9][0-9.]*[^\n]*")
_STATUS = re.compile(r"[ \t]*Submission:[^\n]*(?:·|•|\|)[^\n]*[0-9]{4}-[0-9]{2}-[0-9]{2}[^\n]*")
#: an answer box: its part's label, the asked left side, the number entered in brackets
_BOX = re.compile(r"(?P<part>[ \t]*\([a-z]\)[ \t]*)(?P<lhs>[^\n\[\]]*=[ \t]*)(?P<open>\[[ \t]*)"
                  r"(?P<value>[-−+]?[0-9.]+(?:[eE][-−+]?[0-9]+)?)(?P<close>[ \t]*\])[ \t]*")
_WORK = re.compile(r"(?P<label>[ \t]*Show your work:[ \t]*)(?P<work>[^\n]*)")


def is_prairielearn(text: str) -> bool:
    """Is the text such a page: a submission's status line, or an answer box with "Show your work:" below?"""
    lines = text.split("\n")
    return any(_STATUS.fullmatch(line) for line in lines) or (
        any(_BOX.fullmatch(line) for line in lines) and any(_WORK.fullmatch(line) for line in lines))


def prairielearn(text: str) -> str:
    """The answers and the work (see the module's docstring); the header, the question and the status blank."""
    lines = text.split("\n")
    first_box = next((k for k, line in enumerate(lines) if _BOX.fullmatch(line)), len(lines))
    asked = any(_HEADER.fullmatch(line) for line in lines[:first_box])
    out = []
    for k, line in enumerate(lines):
        box, work = _BOX.fullmatch(line), _WORK.fullmatch(line)
        if (asked and k < first_box) or _STATUS.fullmatch(line):
            out.append(_blank(line))
        elif box is not None:
            out.append(_blank(box["part"]) + box["lhs"] + _blank(box["open"]) + box["value"] + _blank(box["close"])
                       + _blank(line[box.end("close"):]))
        elif work is not None:
            out.append(_blank(work["label"]) + work["work"])
        else:
            out.append(line)
    return "\n".join(out)
