"""An SMath Studio (or Mathcad) worksheet copied region by region: a row of regions set apart by wide gaps
("x1 ≔ 0.5   x2 ≔ 0.3"), a definition beside the evaluation the worksheet shows of it ("h1 ≔ σ(In_h1)      h1 =
0.562177"), text regions in quotes and page separators ("— Page 2 —"). A definition and its evaluation are one
statement, "h1 = σ(In_h1) = 0.562177"; the other regions of a row are statements of their own, each on its line."""

from __future__ import annotations

import re
from itertools import pairwise

_GAP = re.compile(r"[ \t]{3,}|\t")
_DEFINE = re.compile(r"([^\s≔=]+)[ \t]*≔[ \t]*(\S.*)")
_EVALUATE = re.compile(r"([^\s≔=]+)[ \t]*=[ \t]*(\S.*)")
_PAGE = re.compile(r"[ \t]*[—–-]+[ \t]*(?:Page|Seite|Страница|Página|ページ)[ \t]*[0-9]+[ \t]*[—–-]+[ \t]*",
                   re.IGNORECASE)
_TEXT = re.compile(r'[ \t]*"([^"\n]*)"[ \t]*')


def _regions(line: str) -> list[str]:
    return [r for r in _GAP.split(line.strip()) if r]


def _shown(regions: list[str]) -> bool:
    """A definition beside its evaluation, or several definitions in a row?"""
    defined = [m for r in regions if (m := _DEFINE.fullmatch(r))]
    if len(defined) >= 2 and len(defined) == len(regions):
        return True
    return any((d := _DEFINE.fullmatch(a)) and (e := _EVALUATE.fullmatch(b)) and d.group(1) == e.group(1)
               for a, b in pairwise(regions))


def is_smath(text: str) -> bool:
    """Does the text hold a worksheet's row: "name ≔ formula" with the worksheet's "name = value" beside it, or
    several definitions set apart by wide gaps?"""
    return "≔" in text and any(_shown(_regions(line)) for line in text.split("\n") if "≔" in line)


def smath(text: str) -> str:
    """The worksheet's rows as statements: a definition with its evaluation joined, a row's other regions on lines
    of their own, text regions as prose, page separators blank."""
    out = []
    for line in text.split("\n"):
        if _PAGE.fullmatch(line):
            out.append("")
            continue
        if quoted := _TEXT.fullmatch(line):
            out.append(quoted.group(1))
            continue
        regions = _regions(line)
        if not _shown(regions):
            out.append(line)
            continue
        statements: list[str] = []
        for region in regions:
            defined = statements and _DEFINE.fullmatch(statements[-1])
            shown = _EVALUATE.fullmatch(region)
            if defined and shown and defined.group(1) == shown.group(1):
                statements[-1] = f"{defined.group(1)} = {defined.group(2)} = {shown.group(2)}"
            else:
                statements.append(region)
        out.extend(statements)
    return "\n".join(out)
