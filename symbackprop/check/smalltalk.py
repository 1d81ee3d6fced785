"""A Smalltalk (Pharo, Squeak) Playground pasted with its "Print it" results: the statements (":=" assignments,
keyword messages such as printShowingDecimalPlaces: 9, blocks [ :x | … ], | temporaries |) and the results the
Playground inserts after them are the program's; the student's answers are the comments on lines of their own,
in double quotes as Smalltalk writes them, "(a) net_h1 = w1*i1 + w2*i2 + b1 = 0.3775". Read as those comments'
text (one that states nothing, a title, is blank too); the rest blank."""

from __future__ import annotations

import re

from .tokens import _blank, comment_kept

#: what only Smalltalk writes: an assignment, a message with keywords or a symbol, a block's argument, temporaries
_SMALLTALK = re.compile(r"(?m)^[ \t]*\|[ \t]*[a-z]\w*(?:[ \t]+[a-z]\w*)*[ \t]*\|[ \t]*$|\[[ \t]*:[a-z]\w*[ \t]*\|"
                        r"|\bprint(?:String\b|ShowingDecimalPlaces:|It\b)|\bat:[ \t]*#\w+|\bvalue:[ \t]|\bnegated\b")
_ASSIGN = re.compile(r"(?m)^[ \t]*[a-z]\w*[ \t]*:=[^\n]*\.[ \t]*(?:\"[^\"\n]*\"[ \t]*)?$"
                     r"|\.[ \t]*\"'[^'\"\n]*'\"[ \t]*$")  # (or a statement and the string its Print it showed)
#: a comment on a line of its own: its quotes and what is between them
_COMMENT = re.compile(r"(?P<open>[ \t]*\")(?P<said>[^\"\n]*)(?P<close>\"[ \t]*)")


def is_smalltalk(text: str) -> bool:
    """Is the text a Smalltalk Playground's code: an assignment ended by a period (or a Print it's result after a
    statement), and a mark only Smalltalk has; or lines in double quotes only?"""
    lines = [line for line in text.split("\n") if line.strip()]
    if lines and all(_COMMENT.fullmatch(line) for line in lines):
        return True  # (a piece of comments only, "(j) by hand first:" and its working, each in double quotes)
    return _ASSIGN.search(text) is not None and _SMALLTALK.search(text) is not None


def smalltalk(text: str) -> str:
    """The comments on lines of their own that state something, at their lines; everything else blank."""
    out = []
    for line in text.split("\n"):
        m = _COMMENT.fullmatch(line)
        # (at the line's start: a "(a)" label is read as one)
        out.append(comment_kept(m["said"].strip(), line) if m is not None else _blank(line))
    return "\n".join(out)
