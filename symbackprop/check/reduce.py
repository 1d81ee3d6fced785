"""A REDUCE session (CSL or PSL): numbered "n: " prompts, each input ended by ";" or "$", the results printed
under them in REDUCE's own names ("nh2 := b1 + i1*w3 + i2*w4$", off nat), "%" comments. The session is the
machine's and its names the student's shorthands: blank; the student's "% answer (x): …" comments are the claims,
read as answer lines (the mark and the prompt gone, positions kept)."""

from __future__ import annotations

import re

from .tokens import _blank
from .vocabulary import answer_label

_PROMPT = re.compile(r"[ \t]*[0-9]{1,4}:[ \t]")
_ANSWER = re.compile(r"(?P<mark>(?:[ \t]*[0-9]{1,4}:)?[ \t]*%+[ \t]*)(?P<said>" + answer_label() + r"[^\n]*=[^\n]*)")
_BANNER = re.compile(r"[ \t]*Reduce \([^\n]*")


def is_reduce(text: str) -> bool:
    """Is the text a REDUCE session: its banner, or two numbered prompts and an input or a result ended by ";" or
    "$" (REDUCE's terminators), and "%" comments?"""
    lines = text.split("\n")
    prompts = sum(bool(_PROMPT.match(line)) for line in lines)
    return any(_BANNER.fullmatch(line) for line in lines) or (
        prompts >= 2 and any(line.rstrip().endswith("$") for line in lines) and "%" in text
        and "\\" not in text)


def reduce_session(text: str) -> str:
    """The answer comments at their lines, the rest blank (see the module's docstring)."""
    out = []
    for line in text.split("\n"):
        answer = _ANSWER.fullmatch(line)
        out.append(" " * len(answer["mark"]) + answer["said"] if answer is not None else _blank(line))
    return "\n".join(out)
