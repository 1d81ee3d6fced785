"""A Gforth session (float literals 0.11e, fvariable and fconstant, colon definitions on the float stack, f. and
f.rdp printing, Gforth's "ok" after each line): the session's lines are the program's, and the student's words are
the backslash comments, the answers among them marked "\\ ANS (a) …". Read as the comments that state something
(their "ANS (a)" mark dropped), each at its line; the rest blank."""

from __future__ import annotations

import re

from .tokens import _blank, comment_kept

#: what only Forth writes: a line Gforth acknowledged with "ok", a float word, a colon definition's stack comment
_FORTH = re.compile(r"(?m)[ \t]ok[ \t]*$|\bf(?:constant|variable|\.rdp|@|!|dup|swap)(?=[ \t]|$)|^:[ \t]+\S+[ \t]+\(")
_COMMENT = re.compile(r"[ \t]*\\[ \t]+(?:ANS[ \t]*(?:\([0-9a-z]{1,3}'?\))?[ \t]*:?[ \t]*)?(?P<said>.*)")


def is_forth(text: str) -> bool:
    """Is the text (a piece of) a Gforth session: two marks only Forth has, or one and a backslash comment?"""
    marks = len(_FORTH.findall(text))
    return marks >= 2 or (marks == 1 and re.search(r"(?m)^[ \t]*\\[ \t]", text) is not None)


def forth(text: str) -> str:
    """The backslash comments that state something, at their lines; the session blank."""
    out = []
    for line in text.split("\n"):
        m = _COMMENT.fullmatch(line)
        out.append(comment_kept(m["said"], line) if m is not None else _blank(line))
    return "\n".join(out)
