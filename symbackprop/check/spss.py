"""An SPSS syntax file run with its output pasted in (COMPUTE dw5 = d*h1. / EXECUTE. / LIST VARIABLES=…, the
viewer's "List" tables): the commands and what they listed are the program's — a variable's name (dh1, w3new) is
no quantity's name, and its COMPUTE no claim of the student's —, and the student's answers are the comments,
"* (d) dE/dw6 = d*h2 = -.388320." (a comment runs from its * to the period that ends it). Read as the comments'
text, each at its line, without the *, its "(d)" label and the closing period; everything else blank."""

from __future__ import annotations

import re

from .tokens import _blank

#: a command of SPSS's syntax at a line's start (a command runs on to the line that ends in its period)
_COMMAND = re.compile(r"[ \t]*(?:COMPUTE|EXECUTE|FORMATS|LIST|DATA[ \t]+LIST|BEGIN[ \t]+DATA|END[ \t]+DATA|DESCRIPTIVES"
                      r"|FREQUENCIES|MATRIX|END[ \t]+MATRIX|PRINT|SET|TITLE|VARIABLE[ \t]+LABELS|SELECT[ \t]+IF"
                      r"|DO[ \t]+(?:REPEAT|IF)|END[ \t]+(?:REPEAT|IF|LOOP)|LOOP|IF|RECODE|SAVE|GET|DATASET)"
                      r"(?=[ \t.]|$)", re.IGNORECASE)
#: a comment: its * and its label, then what it says, then the period that closes it
_COMMENT = re.compile(r"(?P<mark>[ \t]*\*[ \t]*(?:\([a-z0-9]{1,3}\)[ \t]*(?:[a-z][a-z ]{0,24}:[ \t]*)?)?)(?P<said>.*?)"
                      r"(?P<stop>\.?[ \t]*)")


#: COBOL's marks, which SPSS has not: a division, a PIC clause, MOVE … TO, a "*>" comment
_COBOL = re.compile(r"\bDIVISION\.|\bPIC[ \t]|(?m:^[ \t]*MOVE[ \t][^\n]*[ \t]TO[ \t])|\*>")


def is_spss(text: str) -> bool:
    """Is the text (a piece of) SPSS syntax: two of its commands in capitals, or one and a * comment (not COBOL)?"""
    if _COBOL.search(text):
        return False
    commands = sum(bool(_COMMAND.match(line)) and line.lstrip()[:1].isupper() for line in text.split("\n"))
    return commands >= 2 or (commands == 1 and re.search(r"(?m)^[ \t]*\*[ \t]+\S", text) is not None)


def spss(text: str) -> str:
    """The comments' text at their lines; commands, data and output blank."""
    out, in_command, in_data = [], False, False
    for line in text.split("\n"):
        stripped = line.strip()
        if in_data or re.fullmatch(r"BEGIN[ \t]+DATA\.?", stripped, re.IGNORECASE):
            in_data = not re.fullmatch(r"END[ \t]+DATA\.?", stripped, re.IGNORECASE)
            out.append(_blank(line))
        elif in_command or ((c := _COMMAND.match(line)) is not None and not c.group().strip().istitle()):
            # (not the viewer's "List" over a table it printed)
            in_command = not stripped.endswith(".")
            out.append(_blank(line))
        elif (m := _COMMENT.fullmatch(line)) is not None and stripped.startswith("*") \
                and not m["said"].startswith(("--", "==", "**")):  # (not a section's rule, "* ---- second iteration")
            out.append(m["said"].ljust(len(line)))  # (at the line's start: a "(a)" label is read as one)
        else:
            out.append(_blank(line))  # (the viewer's output: "List", its tables, "Number of cases read")
    return "\n".join(out)
