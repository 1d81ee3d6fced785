"""Line breaking of long equations: each step on its own line, and a long sum across several lines.

TeX cannot break a display for us, so we estimate the typeset width of each term (in em, from the math
that we generated ourselves) and pack terms greedily. The estimate is conservative; templates still wrap
every display in a box that shrinks it to the line width, so a wrong guess costs size, never an overfull
box.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .equations import Equation

_WIDTHS = {  # em, including the spacing TeX puts around operators and relations
    "cdot": 0.8, "times": 1.0, "approx": 1.6, "partial": 0.6, "quad": 1.0, "qquad": 2.0, ",": 0.17,
    ";": 0.28, "sum": 1.4, "ldots": 1.2, "cdots": 1.2, "odot": 1.0, "to": 1.6, "infty": 1.0,
}
_ASCII = {"+": 1.3, "-": 1.3, "=": 1.6, "(": 0.4, ")": 0.4, ".": 0.28, ",": 0.5, "'": 0.3, "[": 0.3, "]": 0.3,
          "|": 0.3, "/": 0.5, " ": 0.0, "&": 0.0, "<": 1.6, ">": 1.6}
_SCRIPT = 0.72  # sub- and superscripts are set at about 70 %


def _group(tex: str, i: int) -> tuple[str, int]:
    """The braced group (or single token) starting at i, and the index after it."""
    while i < len(tex) and tex[i] == " ":
        i += 1
    if i >= len(tex):
        return "", i
    if tex[i] != "{":
        if tex[i] == "\\":
            j = i + 1
            while j < len(tex) and tex[j].isalpha():
                j += 1
            return tex[i:max(j, i + 2)], max(j, i + 2)
        return tex[i], i + 1
    depth, j = 0, i
    while j < len(tex):
        if tex[j] == "\\":
            j += 2
            continue
        depth += {"{": 1, "}": -1}.get(tex[j], 0)
        if depth == 0:
            return tex[i + 1:j], j + 1
        j += 1
    return tex[i + 1:], len(tex)


@lru_cache(maxsize=1 << 16)
def width(tex: str) -> float:
    """Approximate typeset width, in em, of LaTeX math that symbackprop generated.

    Additive over balanced pieces joined by a space (width(a + " " + b) = width(a) + width(b)), which
    lets line breaking keep running totals instead of re-measuring a growing line: linear, not quadratic.
    Cached: the same factors (δ's, weights, numbers) recur in every derivation of a layer."""
    total, i = 0.0, 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            j = i + 1
            while j < len(tex) and tex[j].isalpha():
                j += 1
            name = tex[i + 1:max(j, i + 2)]
            i = max(j, i + 2)
            if name == "frac":
                num, i = _group(tex, i)
                den, i = _group(tex, i)
                total += max(width(num), width(den)) + 0.3
            elif name in ("left", "right", "bigl", "bigr", "Bigl", "Bigr"):
                _, i = _group(tex, i)
                total += 0.45
            elif name in ("mathit", "mathrm", "mathbf", "operatorname", "boldsymbol"):
                inner, i = _group(tex, i)
                total += width(inner)
            elif name == "text":
                inner, i = _group(tex, i)
                total += 0.5 * len(inner) + sum(0.5 for ch in inner if ord(ch) > 0x2e80)  # CJK is 1 em
            elif name in ("exp", "log", "ln", "tanh", "max", "min"):
                total += 0.5 * len(name) + 0.2
            else:
                total += _WIDTHS.get(name, 0.65)
        elif c in "^_":
            inner, i = _group(tex, i + 1)
            total += _SCRIPT * width(inner)
        elif c in "{}":
            i += 1
        else:
            total += _ASCII.get(c, 0.52 if c.isdigit() else 0.55)
            i += 1
    return total


@dataclass(frozen=True)
class Line:
    """One line of an aligned display: `lhs & rel text`; a continuation has an empty lhs and rel."""

    lhs: str
    rel: str
    text: str
    continued: bool = False


def _pieces(factors: tuple[str, ...], mul: str, room: float) -> list[str]:
    """A product too wide for a line, as groups of factors that each fit."""
    pieces: list[list[str]] = [[]]
    gap = width(mul)
    used = -gap  # no operator before the first factor
    for f in factors:
        w = width(f)
        if pieces[-1] and used + gap + w > room:
            pieces.append([])
            used = -gap
        pieces[-1].append(f)
        used += gap + w
    return [mul.join(p) for p in pieces]


def lines(eq: Equation, available: float, pack: bool = True) -> list[Line]:
    """The equation as aligned lines: short steps share a line (pack); a long sum breaks between its terms
    and a long product between its factors, the continuation starting with its operator."""
    room = available - width(eq.lhs) - 2.0
    out: list[Line] = []
    for k, step in enumerate(eq.steps):
        rows: list[str] = [""]
        used = 0.0  # width of rows[-1]
        for t, term in enumerate(step.terms):
            pieces = [term]
            if step.factors and width(term) > room:
                pieces = _pieces(step.factors[t], step.mul, room - 2.0)
            for j, piece in enumerate(pieces):
                sep = ("+ " if t else "") if j == 0 else step.mul.strip() + " "
                w = width(sep) + width(piece)
                if rows[-1] and used + w > room:
                    rows.append(sep + piece)
                    used = w
                else:
                    rows[-1] = f"{rows[-1]} {sep}{piece}".strip() if rows[-1] else sep + piece
                    used += w
        joined = f"{out[-1].text} {step.rel} {rows[0]}" if out else ""
        if pack and k > 0 and len(rows) == 1 and not out[-1].continued and width(joined) <= room:
            out[-1] = Line(out[-1].lhs, out[-1].rel, joined)
            continue
        for j, row in enumerate(rows):
            out.append(Line(eq.lhs if k == 0 and j == 0 else "", step.rel if j == 0 else "", row, continued=j > 0))
    return out


def height(lines_: list[Line]) -> float:
    """Approximate height in text lines: fractions and matrices are taller."""
    total = 0.0
    for line in lines_:
        tall = max(line.text.count(r"\\") + 1 if "bmatrix" in line.text else 1, 1)
        total += 1.25 * tall if "bmatrix" in line.text else 2.0 if r"\frac" in line.text + line.lhs else 1.2
    return total


def paginate(heights: list[float], budget: float) -> list[list[int]]:
    """Indices grouped into pages of at most `budget` (a taller item gets a page of its own)."""
    pages: list[list[int]] = [[]]
    used = 0.0
    for k, h in enumerate(heights):
        if pages[-1] and used + h > budget:
            pages.append([])
            used = 0.0
        pages[-1].append(k)
        used += h + 0.5
    return [p for p in pages if p]
