"""A gretl script run in gretlcli: each command echoed after "? ", its value confirmed on the next line ("Generated
scalar h1 = 0.85", "Replaced scalar dh2 = -0.12135"), "#" comments, the student's "# Ans (e): …" lines. The
confirmations are what the program printed, read as statements; the commands, the banner and the other comments are
blanks; an answer comment is the student's claim, its label kept."""

from __future__ import annotations

import re

from .sessions import _printed_statement, answer_claim
from .tokens import _blank
from .vocabulary import answer_label

_COMMAND = re.compile(r"[ \t]*\?[ \t][^\n]*")
_CONFIRMED = re.compile(r"[ \t]*(?:Generated|Replaced)[ \t]+(?:scalar|series|matrix)[ \t]+(?P<name>[A-Za-z_]\w*)"
                        r"(?:[ \t]*=[ \t]*(?P<value>-?[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?))?[ \t]*")
_BANNER = re.compile(r"[ \t]*(?:gretl version|Current session:)[^\n]*")
_ANSWER = re.compile(r"(?P<mark>[ \t]*#+[ \t]*)(?P<label>" + answer_label() + r"[ \t]*)"
                     r"(?P<said>[^\n]*[=≈~][^\n]*)")


def is_gretl(text: str) -> bool:
    """Is the text a gretlcli run: a "? " command and a "Generated scalar …" or "Replaced scalar …" line?"""
    lines = text.split("\n")
    return any(_COMMAND.fullmatch(line) for line in lines) and any(_CONFIRMED.fullmatch(line) for line in lines)


def gretl(text: str) -> str:
    """The run's confirmed values and the student's answer comments (see the module's docstring)."""
    out = []
    for line in text.split("\n"):
        if (confirmed := _CONFIRMED.fullmatch(line)) is not None and confirmed["value"] is not None:
            out.append(_printed_statement(confirmed["name"], confirmed["value"]))
        elif (answer := _ANSWER.fullmatch(line)) is not None:
            out.append(" " * len(answer["mark"]) + answer["label"] + answer_claim(answer["said"]))
        elif _COMMAND.fullmatch(line) or _CONFIRMED.fullmatch(line) or _BANNER.fullmatch(line) \
                or line.lstrip().startswith("#"):
            out.append(_blank(line))
        else:
            out.append(line)
    return "\n".join(out)
