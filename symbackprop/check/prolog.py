"""A Prolog toplevel's session ("?- out_h(2, O).", its bindings "O = 0.5622.") or a sheet of % comments only: the
queries and the bindings are the program's (G a variable, not the error), and the student's answers are the
"% Answer: dE/dw8 = …" comments, each going on in the indented comment lines under it. Read as those comments' text
without the %; the rest blank."""

from __future__ import annotations

import re

from .tokens import _blank
from .vocabulary import answer_label

_QUERY = re.compile(r"(?m)^[ \t]*\?-[ \t]")
_COMMENTS_ONLY = re.compile(r"(?:[ \t]*(?:%[^\n]*)?\n)*[ \t]*(?:%[^\n]*)?")
_ANSWER = re.compile(r"(?m)^(?P<mark>[ \t]*%+)(?P<said>[ \t]*" + answer_label(capitalized=True)
                     + r"[^\n]*=[^\n]*)$")
_GOING_ON = re.compile(r"(?P<mark>[ \t]*%+)(?P<said>[ \t]{2,}[^\s%][^\n]*=[^\n]*)")


def is_prolog_answers(text: str) -> bool:
    """A Prolog toplevel's session, or a sheet of comments only, with an "% Answer: …" comment?"""
    return (_QUERY.search(text) is not None or _COMMENTS_ONLY.fullmatch(text) is not None) \
        and _ANSWER.search(text) is not None


def prolog_answers(text: str) -> str:
    """The answer comments' text at their lines (and the indented comment lines going on under one); the rest
    blank."""
    kept, answering = [], False
    for line in text.split("\n"):
        m = _ANSWER.fullmatch(line) or (_GOING_ON.fullmatch(line) if answering else None)
        answering = m is not None
        kept.append(" " * len(m["mark"]) + m["said"] if m is not None else _blank(line))
    return "\n".join(kept)
