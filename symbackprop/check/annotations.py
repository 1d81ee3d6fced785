"""A social-annotation reader's export (Perusall, Hypothesis): each entry is the page and the passage of the
reading the student highlighted ('p. 3 · Highlighted: "δ_i = ∂y/∂W_i = h_i"'), a reply's header ("↳ replying to
J.K. (…)"), the student's comment, and the reader's marks: tags ("#question"), "(edited)" and an edit's own remark
("(edited: I retract my comment on p. 3 — …)"). The highlighted passage is the reading's words and a reply's header
quotes a classmate: neither is the student's claim, both are blanks (positions kept), as are the marks and a
quotation inside a comment ('the output "delta"', 'the left factor from the same page, "= Φ'_j":')."""

from __future__ import annotations

import re

from .tokens import _blank

_HIGHLIGHT = re.compile(r"[ \t]*(?:p(?:p|age)?\.?[ \t]*[0-9]+[ \t]*[·•|-][ \t]*)?Highlight(?:ed)?:[ \t]*"
                        r"(?:\"[^\"\n]*\"|“[^”\n]*”)[^\n]*")
_REPLY = re.compile(r"[ \t]*↳[ \t]*(?:replying|reply) to\b[^\n]*")
#: the reader's marks inside a comment: a tag, "(edited)", an edit's remark in brackets
_MARK = re.compile(r"(?<![\w#])#[A-Za-z][\w-]*(?:[ \t]+[^\n]*\?)?[ \t]*$"
                   r"|\(edited(?::[^()\n]*(?:\([^()\n]*\)[^()\n]*)*)?\)", re.MULTILINE)

_QUOTE = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")


def is_annotation_export(text: str) -> bool:
    """Is the text an annotation export: a highlighted passage's line, a reply's header, or a comment that starts
    with its "(edited)" mark?"""
    return any(_HIGHLIGHT.fullmatch(line) or _REPLY.fullmatch(line) or line.startswith("(edited)")
               for line in text.split("\n"))


def annotation_comments(text: str) -> str:
    """The comments alone (see the module's docstring)."""
    lines = [_blank(line) if _HIGHLIGHT.fullmatch(line) or _REPLY.fullmatch(line) else line
             for line in text.split("\n")]
    return _QUOTE.sub(lambda m: _blank(m.group()), _MARK.sub(lambda m: _blank(m.group()), "\n".join(lines)))
