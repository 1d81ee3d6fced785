"""A Minitab Session window pasted into the hand-in: its "MTB >" commands (Name K1 "netH1", Let 'outH1' =
1/(1+EXPO(-'netH1')), Print), their "SUBC>" continuations and the "Data Display" blocks they printed are the
program's — a stored constant's name is the program's variable, no quantity's —, and the student's answers are the
lines typed under them ("Answer (a): net_o2 = w7 out_h1 + w8 out_h2 + b2 = 1.22492"). Read as those lines; the
session blank."""

from __future__ import annotations

import re

from .tokens import _blank

_PROMPT = re.compile(r"[ \t]*(?:MTB|SUBC|DATA)[ \t]*>")
#: a Data Display block: its header, then rows of a name and its values, up to a blank line or a line of prose
_DISPLAY = re.compile(r"[ \t]*Data Display[ \t]*")
_NUMBER = r"-?[0-9.]+(?:[Ee][-+]?[0-9]+)?"
_ROW = re.compile(r"[ \t]*(?:[A-Za-z][\w.]*[ \t]+)?" + _NUMBER + r"(?:[ \t]+" + _NUMBER + r")*[ \t]*|"
                  r"[ \t]*(?:Row|K[0-9]+|C[0-9]+)(?:[ \t]+[A-Za-z]\w*)*[ \t]*")


def is_minitab(text: str) -> bool:
    """Is the text (a piece of) a Minitab Session window: an "MTB >" prompt?"""
    return any(_PROMPT.match(line) for line in text.split("\n"))


def minitab(text: str) -> str:
    """The lines the student typed, as they are; prompts, their commands and the Data Display blocks blank."""
    out, displaying = [], False
    for line in text.split("\n"):
        if _DISPLAY.fullmatch(line):
            displaying = True
        elif displaying and not (line.strip() and _ROW.fullmatch(line)):
            displaying = False
        out.append(_blank(line) if displaying or _PROMPT.match(line) else line)
    return "\n".join(out)
