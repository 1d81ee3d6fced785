"""An Xcas (Giac) session printed from its window: numbered inputs "3>> h3p:=x1*W1_13+…" (the input maybe on the
indented lines under the prompt), Giac's output indented under it, "Evaluation time: 0" lines and "// " comments.
The session is what the program computed: it is set aside, as a program's code is; the student's own lines between
its levels ("Réponse : ∂E/∂y = y − d") are the answer and are kept, one for one (the lines keep their numbers)."""

from __future__ import annotations

import re

_PROMPT = re.compile(r"[ \t]*[0-9]{1,3}>>(?:[ \t][^\n]*)?")
_TIMING = re.compile(r"[ \t]*(?:Evaluation time|Temps mis pour l'évaluation)[ \t]*:[^\n]*")
_COMMENT = re.compile(r"[ \t]*//[^\n]*")


def is_xcas(text: str) -> bool:
    """Does the text hold Xcas's numbered levels ("1>> …") or its timings?"""
    if ">>" not in text and "Evaluation time" not in text and "Temps mis" not in text:
        return False
    return any(_PROMPT.fullmatch(line) or _TIMING.fullmatch(line) for line in text.split("\n"))


def xcas(text: str) -> str:
    """The text with the session's levels, their indented input and output, its timings and comments blank."""
    out = []
    in_level = False
    for line in text.split("\n"):
        if _PROMPT.fullmatch(line) or _TIMING.fullmatch(line) or _COMMENT.fullmatch(line):
            in_level = not _TIMING.fullmatch(line)
            out.append("")
        elif in_level and line[:1] in (" ", "\t") and line.strip():
            out.append("")  # (the level's input under its prompt, Giac's output)
        else:
            in_level = False
            out.append(line)
    return "\n".join(out)
