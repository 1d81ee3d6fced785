"""Arithmetic said in words — a video's subtitles, a dictation, Indian English's "2 into 0.11 plus 3 into 0.21" —
as the signs the reader reads: "into", "times", "multiplied by" a product; "plus", "minus"; "divided by" and a
Leibniz quotient's "dE by dw5" a quotient; "equal to", "equals" an equals sign; "whole square", "squared" a
square; "half into" a half times; a text message's "x" ("w1 x i1", "0.15x0.05") a product. A word becomes a sign only
between two operands (a number, a name, a bracket), so the prose around them stays prose; a line with a LaTeX command
is left as it is."""

from __future__ import annotations

import re

from .vocabulary import WORDS

#: an operand's start after a word
_AFTER = r"(?=[ \t]*(?:[\w(\[]|[-−][ \t]*[\w(]))"
_SAID = re.compile(
    r"(?i:[ \t]+(?P<product>into|times|multiplied[ \t]+by)[ \t]+)" + _AFTER
    + r"|[ \t]+(?P<typed>x)[ \t]+" + _AFTER
    + r"|(?<=[0-9)])(?P<tight>x)(?=[0-9]*\.[0-9]|\(|[-−][ \t]*[0-9.(])"
    + r"|(?i:[ \t]+(?P<sum>plus)[ \t]+)" + _AFTER
    + r"|(?i:[ \t]+(?P<difference>minus)[ \t]+)" + _AFTER
    + r"|(?i:[ \t]+(?P<quotient>divided[ \t]+by)[ \t]+)" + _AFTER
    + r"|(?i:[ \t]+(?P<equals>(?:is[ \t]+)?equal[ \t]+to|equals)[ \t]+)" + _AFTER
    + r"|(?i:[ \t]+(?:ka[ \t]+)?(?P<square>(?:whole[ \t]+)?square|squared))\b")
#: a Leibniz quotient said: "dE by dw5", "d out by dw5"
_LEIBNIZ = re.compile(r"\b(?P<of>d[ \t]?[A-Za-z][A-Za-z0-9_]*)[ \t]+by[ \t]+(?P<wrt>d[ \t]?[A-Za-z][A-Za-z0-9_]*)\b")
_HALF = re.compile(r"(?i)\bhalf[ \t]+(?:into|of|times)[ \t]+" + _AFTER)
_SIGNS = {"product": " * ", "typed": " * ", "tight": " * ", "sum": " + ", "difference": " - ", "quotient": " / ",
          "equals": " = ", "square": "^2"}


def is_spoken(text: str) -> bool:
    """Plain text with arithmetic said in words between operands?"""
    return "\\" not in text and (_LEIBNIZ.search(text) is not None or bool(_said(text)))


def spoken(text: str) -> str:
    """The text with its said arithmetic in signs."""
    text = _LEIBNIZ.sub(lambda m: m["of"].replace(" ", "") + "/" + m["wrt"].replace(" ", ""), text)
    text = _HALF.sub("1/2 * ", text)
    out, pos = [], 0
    for m in _said(text):
        out += [text[pos:m.start()], _SIGNS[m.lastgroup or ""]]
        pos = m.end()
    return "".join(out) + text[pos:]


def _said(text: str) -> list[re.Match[str]]:
    """The words said between two operands, one of them a number, a numbered name or a bracket ("i1 into w1",
    "(0.191 - 1) ka whole square"; not "plug into the formula")."""
    found = []
    for m in _SAID.finditer(text):
        before = re.search(r"[\w.′'/]+$|[)\]]$", text[:m.start()])
        if m.lastgroup == "tight" and (before is None or not re.fullmatch(r"[0-9.]*[0-9]|\)", before.group())):
            continue  # (a number's times sign, "0.15x0.05", "(-0.0381)x0.5"; not a name's letter, "w1x0.5")
        after = re.match(r"[ \t]*(?:[-−][ \t]*)?(?:[\w.′'/]+|[(\[])", text[m.end():])
        if before is None or (after is None and m.lastgroup != "square"):
            continue
        sides = before.group() + (after.group() if after is not None else "")
        if any(c.isdigit() or c in "()[]" for c in sides) or (
                m.lastgroup in ("sum", "difference") and before.group() in WORDS and after is not None
                and after.group().strip(" \t-−") in WORDS):  # ("prediction minus actual")
            found.append(m)
    return found
