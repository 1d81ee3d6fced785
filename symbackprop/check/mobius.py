"""A Möbius (DigitalEd, formerly Maple T.A.) "Review submission" page copied as text: each question's header
("Question 10 (2 points)"), its stem ("Enter δ_2 = ∂E/∂h'_2. Use D(Phi) for Φ'."), the student's "Your response:"
in Maple's syntax, the system's "Preview:" of it, and the student's "Comment to instructor:". The response is the
answer to the question, a formula for the asked quantity; everything else is the lecturer's, the system's or a
remark: blanks. Maple's syntax read: x[1] is x_1, W1[1,3] the layer-1 weight W^{(1)}_{13}, W2[2] W^{(2)}_2,
hp[j] h'_j, D(Phi)(u) Φ'(u), add(f, j = 1..3) the sum over j, * a product."""

from __future__ import annotations

import re

from .tokens import _blank

_RESPONSE = re.compile(r"(?P<label>[ \t]*Your response:[ \t]*)(?P<maple>[^\n]*)")
_PREVIEW = re.compile(r"(?m)^[ \t]*Preview:[ \t]")
_INDEXED = re.compile(r"(?P<base>[A-Za-z]+?)(?P<layer>[0-9]?)\[(?P<i>[A-Za-z0-9]+)(?:,[ \t]*(?P<j>[A-Za-z0-9]+))?\]")
_ADD = re.compile(r"add\((?P<term>.*),[ \t]*(?P<k>[A-Za-z])[ \t]*=[ \t]*(?P<lo>[0-9]+)[ \t]*\.\.[ \t]*"
                  r"(?P<hi>[0-9]+)[ \t]*\)")
_DERIVATIVE = re.compile(r"D\((?P<f>[A-Za-z]+)\)")
_GREEK = frozenset({"Phi", "phi", "alpha", "eta", "sigma", "delta"})


def is_mobius(text: str) -> bool:
    """Is the text such a page: a response's line and the system's preview of it (another quiz's page shows
    "Your response" too, with the student's work around it)?"""
    return _RESPONSE.search(text) is not None and _PREVIEW.search(text) is not None


def _indexed(m: re.Match[str]) -> str:
    base = "h'" if m["base"] == "hp" else m["base"]
    layer = f"^{{({m['layer']})}}" if m["layer"] else ""
    return f"{base}{layer}_{{{m['i']}{m['j'] or ''}}}"


def maple_math(maple: str) -> str:
    """A Maple expression as LaTeX (see the module's docstring)."""
    math = _DERIVATIVE.sub(lambda m: m["f"] + "'", maple)
    math = _INDEXED.sub(_indexed, math)
    math = _ADD.sub(lambda m: rf"\sum_{{{m['k']}={m['lo']}}}^{{{m['hi']}}} \left({m['term']}\right)", math)
    math = re.sub(r"(?<![\\A-Za-z])(" + "|".join(sorted(_GREEK)) + r")(?![A-Za-z])", r"\\\1", math)
    return math.replace("*", " ")


def mobius(text: str) -> str:
    """The responses as formulas, each on its own line; every other line blank."""
    out = []
    for line in text.split("\n"):
        m = _RESPONSE.fullmatch(line)
        out.append(_blank(m["label"]) + "$" + maple_math(m["maple"]) + "$" if m is not None and m["maple"].strip()
                   else _blank(line))
    return "\n".join(out)
