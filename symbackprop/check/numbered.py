"""A program's listing printed with its line numbers (a calculator's script editor, an IDE's print-out: " 1 i1,i2 =
2,3", " 3 def fwd(w):"): three lines or more numbered one after the other, code on them — the program's, set aside
as a whole (its assignments are no claims of the student's, and its numbers would read as labels)."""

from __future__ import annotations

import re

from .tokens import _blank

_NUMBERED = re.compile(r"[ \t]*(?P<k>[0-9]{1,3})[ \t]+(?P<code>\S.*)")
#: what a line of code has that a numbered line of prose or of a derivation has not
_CODE = re.compile(r"^(?:def|return|import|from|for|if|while|print|let|var|const)\b|[=(\[]\S|:[ \t]*$|\bdef\b")


def _runs(lines: list[str]) -> list[range]:
    """The runs of three lines or more numbered k, k + 1, …, one of them code."""
    found = [_NUMBERED.fullmatch(line) for line in lines]
    runs, start = [], 0
    while start < len(lines):
        end = start
        while end < len(lines) and (m := found[end]) is not None \
                and (end == start or ((before := found[end - 1]) is not None and int(m["k"]) == int(before["k"]) + 1)):
            end += 1
        if end - start >= 3 and any((m := found[k]) is not None and _CODE.search(m["code"]) for k in range(start, end)):
            runs.append(range(start, end))
        start = max(end, start + 1)
    return runs


def is_numbered_listing(text: str) -> bool:
    """Does the text hold a program's listing with its line numbers?"""
    return bool(_runs(text.split("\n")))


def numbered_listing(text: str) -> str:
    """The text with each numbered listing blank."""
    lines = text.split("\n")
    for run in _runs(lines):
        for k in run:
            lines[k] = _blank(lines[k])
    return "\n".join(lines)
