"""A MuPAD notebook (MATLAB's Symbolic Math Toolbox) exported as text: each input region a line after "•", its
output the indented lines under it, the student's text regions between them. The inputs and what MuPAD printed are
the program's (`diff(E, W2_2)` and its expansion over every sum); the text regions ("Answer (d): dE/dW2_2 = …") are
the student's claims, read as they are. A TA's remark quoted in brackets is another's and claims nothing."""

from __future__ import annotations

import re

#: an input region: "• net1 := W1_11*x1 + …:", "• diff(E, W2_2)"
_INPUT = re.compile(r"[ \t]*•[ \t]+(?P<code>[^\n]*)")
#: the input of a MuPAD session (an assignment by :=, or one of its commands called)
_MUPAD_CODE = re.compile(r":=|\b(?:diff|subs|simplify|collect|expand|factor|normal|reset|solve|taylor|eval)\(")
#: a reviewer's remark quoted in brackets, a line of its own: (TA comment on the draft: "E has a 1/2 …")
_QUOTED_REMARK = re.compile(r"[ \t]*\([^()\n\"]*:[ \t]*\"[^\n]*\"\)[ \t]*")


def is_mupad(text: str) -> bool:
    """Is the text (a piece of) an exported MuPAD notebook: an input region after "•" that is MuPAD's code?"""
    return "•" in text and any((m := _INPUT.fullmatch(line)) is not None and _MUPAD_CODE.search(m["code"])
                               for line in text.split("\n"))


def mupad(text: str) -> str:
    """The text regions as they are; each input, the output indented under it and a quoted remark blank."""
    out = []
    in_output = False
    for line in text.split("\n"):
        if _INPUT.fullmatch(line) is not None:
            in_output = True
            out.append("")
        elif in_output and (not line.strip() or line[:1] in " \t"):
            out.append("")  # (MuPAD's result, indented under its input)
        else:
            in_output = False
            out.append("" if _QUOTED_REMARK.fullmatch(line) else line)
    return "\n".join(out)
