"""A FriCAS (or Axiom) session with its TeX output switched on: the "(7) -> …" inputs, the $$ … \\leqno(7) $$ blocks
the system printed (in its own names: yy(s), hh(u), V2 \\sp 2) and the "Type: Expression(Integer)" lines are the
program's; the student's answers are the "--" comments, "-- ANSWER (c): dE/dy = y - d". Read as those comments'
text (from their "ANSWER (x):" on; where a sheet labels its answers so, its other comments are remarks, "-- naming:
Wij = W^1_{ij} (input i -> hidden j)", and so is one that trails off in "..."); the rest blank."""

from __future__ import annotations

import re

from .tokens import _blank, comment_kept
from .vocabulary import answer_word

_INPUT = re.compile(r"[ \t]*\([0-9]{1,3}\)[ \t]*->")
#: the type line under a result: one of FriCAS's domains ("Type: Expression(Integer)", "Type: Float"; not an erratum's
#: "Type: Technical")
_TYPE = re.compile(r"[ \t]*Type:[ \t]*(?:Expression|Float|DoubleFloat|Integer|PositiveInteger|NonNegativeInteger"
                   r"|Fraction|Polynomial|Variable|Symbol|Boolean|Void|List|Matrix|Vector|Record|Union|Equation"
                   r"|String|Complex|UnivariatePolynomial)\b[\w()., ]*[ \t]*")
_COMMENT = re.compile(r"[ \t]*--[ \t]*(?P<label>.*?" + answer_word(capitalized=True)
                      + r"[ \t]*(?:\([0-9a-z]{1,3}'?\))?[^:\n=]{0,30}:)?"
                      r"[ \t]*(?P<said>.*)")


def is_fricas(text: str) -> bool:
    """Is the text (a piece of) a FriCAS session: an "(n) ->" input, or the type line it prints under a result?"""
    return any(_INPUT.match(line) or _TYPE.fullmatch(line) for line in text.split("\n"))


def fricas(text: str) -> str:
    """The comments that state something, at their lines; inputs, printed TeX and type lines blank."""
    answers = re.search(r"(?m)^[ \t]*--.*\b" + answer_word(capitalized=True) + r"(?!\w)", text) is not None
    out, printing = [], False
    for line in text.split("\n"):
        if line.strip() == "$$":
            printing = not printing
            out.append(_blank(line))
            continue
        m = _COMMENT.fullmatch(line)
        if not printing and m is not None and (m["label"] or not answers) and not re.search(r"\.\.\.|…", m["said"]):
            out.append(comment_kept(m["said"], line))
        else:
            out.append(_blank(line))
    return "\n".join(out)
