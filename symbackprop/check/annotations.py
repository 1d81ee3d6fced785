"""A social-annotation reader's export (Perusall, Hypothesis): each entry is the page and the passage of the
reading the student highlighted ('p. 3 · Highlighted: "δ_i = ∂y/∂W_i = h_i"'), a reply's header ("↳ replying to
J.K. (…)"), the student's comment, and the reader's marks: tags ("#question"), "(edited)" and an edit's own remark
("(edited: I retract my comment on p. 3 — …)"). The highlighted passage is the reading's words and a reply's header
quotes a classmate: neither is the student's claim, both are blanks (positions kept), as are the marks and a
quotation inside a comment ('the output "delta"', 'the left factor from the same page, "= Φ'_j":'). Zotero's note
from annotations: its "Annotations" heading and "(18/03/2025, 21:40:12)" time, each highlight quoted with its
citation ('“x1 = 0.5, x2 = 0.3” (Lecture 3, p. 2)') and the student's comment after it — the highlight a blank too,
but where the comment goes on from it with a relation ('“δ_5 = ∂Error/∂w5” (Lecture 3, p. 5) = δ_o1 · Out_h1 = …'):
then it is the head of the student's own chain."""

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
#: Zotero: a highlight with its citation, and the note's heading and time
_CITED = re.compile(r"(?:\"|“)(?P<quoted>[^\"”\n]*)(?:\"|”)[ \t]*"
                    r"\([^()\n]*\bpp?\.[ \t]*[0-9]+(?:[-–][0-9]+)?\)(?P<goes_on>[ \t]*(?:=|≈))?")
_HEADING = re.compile(r"^[ \t]*Annotations[ \t]*\n[ \t]*\([0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4},?[ \t]+"
                      r"[0-9:]+(?:[ \t]*[AP]M)?\)[ \t]*$", re.MULTILINE)


def is_annotation_export(text: str) -> bool:
    """Is the text an annotation export: a highlighted passage's line, a reply's header, or a comment that starts
    with its "(edited)" mark?"""
    return any(_HIGHLIGHT.fullmatch(line) or _REPLY.fullmatch(line) or line.startswith("(edited)")
               for line in text.split("\n")) or bool(_HEADING.search(text)) \
        or any(_CITED.match(line.lstrip()) for line in text.split("\n"))


def annotation_comments(text: str) -> str:
    """The comments alone (see the module's docstring)."""
    def cited(m: re.Match[str]) -> str:
        if m["goes_on"]:  # (the comment goes on from the highlighted formula: the formula is its head)
            return " " + m["quoted"] + _blank(m.group()[1 + len(m["quoted"]):m.start("goes_on") - m.start()]) \
                + m["goes_on"]
        return _blank(m.group())
    text = _CITED.sub(cited, _HEADING.sub(lambda m: _blank(m.group()), text))
    lines = [_blank(line) if _HIGHLIGHT.fullmatch(line) or _REPLY.fullmatch(line) else line
             for line in text.split("\n")]
    return _QUOTE.sub(lambda m: _blank(m.group()), _MARK.sub(lambda m: _blank(m.group()), "\n".join(lines)))
