"""Line breaking of long equations: each step on its own line, and a long sum across several lines.

TeX cannot break a display for us, so we estimate the typeset width of each term (in em, from the math
that we generated ourselves) and pack terms greedily. The estimate is conservative; templates still wrap
every display in a box that shrinks it to the line width, so a wrong guess costs size, never an overfull
box. The same estimate sizes the labels of the network figure (figure.py: `width_cm`).

Markdown has a second limit: a display is read as source too (a notebook cell, a diff), and a line of
nested fractions can be hundreds of characters while it typesets narrow. `lines(..., chars=N)` keeps each
source line within N characters as well; `rebreak` applies it to lines laid out already (and `formula_lines`
to a formula given as text, a table cell), reading the steps, terms and factors back from the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, TypeVar

from .equations import Equation, Step

_WIDTHS = {  # em, including the spacing TeX puts around operators and relations
    "cdot": 0.8, "times": 1.0, "approx": 1.6, "partial": 0.6, "quad": 1.0, "qquad": 2.0, ",": 0.17,
    ":": 0.22, ";": 0.28, "!": -0.17, "sum": 1.4, "ldots": 1.2, "cdots": 1.2, "odot": 1.0, "to": 1.6,
    "infty": 1.0,
}
_ASCII = {"+": 1.3, "-": 1.3, "=": 1.6, "(": 0.4, ")": 0.4, ".": 0.28, ",": 0.5, "'": 0.3, "[": 0.3, "]": 0.3,
          "|": 0.3, "/": 0.5, " ": 0.0, "&": 0.0, "<": 1.6, ">": 1.6}
LONE = 0.4  # a left side wider than this share of the line stands on a line of its own
_SCRIPT = 0.72  # sub- and superscripts are set at about 70 %
_PT_CM = 2.54 / 72.27  # cm per TeX point


def group(tex: str, i: int) -> tuple[str, int]:
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
            if name == "begin" and tex.startswith("{bmatrix}", i):
                end = tex.find(r"\end{bmatrix}", i)
                end = len(tex) if end < 0 else end
                total += _matrix_width(tex[i + len("{bmatrix}"):end])
                i = end + len(r"\end{bmatrix}")
            elif name == "frac":
                num, i = group(tex, i)
                den, i = group(tex, i)
                total += max(width(num), width(den)) + 0.3
            elif name in ("left", "right", "bigl", "bigr", "Bigl", "Bigr"):
                _, i = group(tex, i)
                total += 0.45
            elif name in ("mathit", "mathrm", "mathbf", "operatorname", "boldsymbol"):
                inner, i = group(tex, i)
                total += width(inner)
            elif name == "text":
                inner, i = group(tex, i)
                total += 0.5 * len(inner) + sum(0.5 for ch in inner if ord(ch) > 0x2e80)  # CJK is 1 em
            elif name in ("exp", "log", "ln", "tanh", "max", "min"):
                total += 0.5 * len(name) + 0.2
            else:
                total += _WIDTHS.get(name, 0.65)
        elif c in "^_":
            inner, i = group(tex, i + 1)
            total += _SCRIPT * width(inner)
        elif c in "{}":
            i += 1
        else:
            total += _ASCII.get(c, 0.52 if c.isdigit() else 0.55)
            i += 1
    return total


def _matrix_width(body: str) -> float:
    """A bmatrix's width: its widest entry of each column, the column gaps and the brackets (not nested)."""
    rows = [r.split("&") for r in body.split(r"\\")]
    columns = max(len(r) for r in rows)
    widest = [max((width(r[c].strip()) for r in rows if c < len(r)), default=0.0) for c in range(columns)]
    return sum(widest) + 1.0 * (columns - 1) + 1.0


def width_cm(tex: str, size_pt: float) -> float:
    """`width` in cm at a font size (the figure's labels): a shade wider, as a label's box should be."""
    return width(tex) * size_pt * _PT_CM * 1.02


@dataclass(frozen=True)
class Line:
    """One line of an aligned display: `lhs & rel text`; a continuation has an empty lhs and rel."""

    lhs: str
    rel: str
    text: str
    continued: bool = False

    @property
    def alone(self) -> bool:
        """A left side too wide to share its line: the steps follow on the lines below it."""
        return bool(self.lhs) and not self.rel and not self.text


# a source line of a display: `lhs &rel text \\`, or `&\qquad {}text \\` continuing: this much besides lhs and text
_SOURCE_EXTRA = 13


def _pieces(factors: tuple[str, ...], mul: str, room: float, room_chars: float) -> list[str]:
    """A product too wide for a line, as groups of factors that each fit."""
    pieces: list[list[str]] = [[]]
    gap, gap_chars = width(mul), len(mul)
    used, used_chars = -gap, -gap_chars  # no operator before the first factor
    for f in factors:
        w = width(f)
        if pieces[-1] and (used + gap + w > room or used_chars + gap_chars + len(f) > room_chars):
            pieces.append([])
            used, used_chars = -gap, -gap_chars
        pieces[-1].append(f)
        used += gap + w
        used_chars += gap_chars + len(f)
    return [mul.join(p) for p in pieces]


def lines(eq: Equation, available: float, pack: bool = True, chars: int | None = None) -> list[Line]:
    """The equation as aligned lines: short steps share a line (pack); a long sum breaks between its terms
    and a long product between its factors, the continuation starting with its operator (a term that begins
    with a minus sign brings its own). `chars`: each line's source (`lhs &rel text \\\\`) within so many
    characters too, where a piece fits at all."""
    out: list[Line] = []
    if eq.lhs and width(eq.lhs) > LONE * available:  # the steps below the left side, indented: they get the width
        out.append(Line(eq.lhs, "", ""))
        room = available - 4.0
        room_chars = float("inf") if chars is None else max(chars - _SOURCE_EXTRA, chars / 3)
    else:
        room = available - width(eq.lhs) - 2.0
        room_chars = float("inf") if chars is None else max(chars - len(eq.lhs) - _SOURCE_EXTRA, chars / 3)
    for k, step in enumerate(eq.steps):
        rows: list[str] = [""]
        used = 0.0  # width of rows[-1]
        for t, term in enumerate(step.terms):
            pieces = [term]
            if step.factors and (width(term) > room or len(term) > room_chars):
                pieces = _pieces(step.factors[t], step.mul, room - 2.0, room_chars - 8)
            for j, piece in enumerate(pieces):
                sep = ("+ " if t and not term.startswith("- ") else "") if j == 0 else step.mul.strip() + " "
                w = width(sep) + width(piece)
                if rows[-1] and (used + w > room or len(rows[-1]) + 1 + len(sep) + len(piece) > room_chars):
                    rows.append(sep + piece)
                    used = w
                else:
                    rows[-1] = f"{rows[-1]} {sep}{piece}".strip() if rows[-1] else sep + piece
                    used += w
        joined = f"{out[-1].text} {step.rel} {rows[0]}" if out else ""
        if (pack and k > 0 and not out[-1].alone and len(rows) == 1 and not out[-1].continued and width(joined) <= room
                and len(joined) <= room_chars):
            out[-1] = Line(out[-1].lhs, out[-1].rel, joined)
            continue
        for j, row in enumerate(rows):
            first = k == 0 and j == 0 and not out
            out.append(Line(eq.lhs if first else "", step.rel if j == 0 else "", row, continued=j > 0))
    return out


def height(lines_: list[Line]) -> float:
    """Approximate height in text lines: fractions and matrices are taller."""
    total = 0.0
    for line in lines_:
        tall = max(line.text.count(r"\\") + 1 if "bmatrix" in line.text else 1, 1)
        total += 1.25 * tall if "bmatrix" in line.text else 2.0 if r"\frac" in line.text + line.lhs else 1.2
    return total


def paginate(heights: list[float], budget: float) -> list[list[int]]:
    """Indices grouped into as few pages of at most `budget` as their order allows (a taller item gets a page
    of its own), the pages as even as that number allows: no continuation frame with one line on it."""
    fewest = _fill(heights, budget)
    if len(fewest) < 2:
        return fewest
    low, high = 0.0, budget  # the least budget that still needs no more pages
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (low, mid) if len(_fill(heights, mid)) <= len(fewest) else (mid, high)
    return _fill(heights, high)


def _fill(heights: list[float], budget: float) -> list[list[int]]:
    """Indices grouped into pages, each filled up to `budget` in order."""
    pages: list[list[int]] = [[]]
    used = 0.0
    for k, h in enumerate(heights):
        if pages[-1] and used + h > budget:
            pages.append([])
            used = 0.0
        pages[-1].append(k)
        used += h + 0.5
    return [p for p in pages if p]


# --- reading laid-out text back ------------------------------------------------------------------

_RELATIONS = ("=", r"\approx")
_MULS = (r"\cdot", r"\times")
_TOKEN = re.compile(r"\\(?:left|right|bigl|bigr|Bigl|Bigr)(?![A-Za-z])\s*(?:\\[{}|]|\\[A-Za-z]+|[^\\\s])?"
                    r"|\\begin\{[^}]*\}|\\end\{[^}]*\}|\\[A-Za-z]+|\\.|.", re.S)


def _top_level(text: str) -> list[tuple[int, str]]:
    """(position, token) of every token of `text` outside braces, \\left…\\right, parentheses and environments."""
    out: list[tuple[int, str]] = []
    depth = 0
    for m in _TOKEN.finditer(text):
        tok = m.group()
        opens = tok in "{([" or tok.startswith((r"\left", r"\bigl", r"\Bigl", r"\begin{"))
        closes = tok in "})]" or tok.startswith((r"\right", r"\bigr", r"\Bigr", r"\end{"))
        if closes:
            depth -= 1
        if depth == 0 and not opens and not closes:
            out.append((m.start(), tok))
        if opens:
            depth += 1
    return out


def _split(text: str, seps: tuple[str, ...], keep: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """`text` cut at its top-level tokens in seps (standing between spaces): (separator before, piece) pairs,
    the first with separator ''. A separator in `keep` stays on the piece after it ('- x')."""
    cuts: list[tuple[int, int, str]] = []
    for pos, tok in _top_level(text):
        end = pos + len(tok)
        if (tok in seps or tok in keep) and text[pos - 1:pos] == " " and text[end:end + 1] == " ":
            cuts.append((pos, end, tok))
    out: list[tuple[str, str]] = []
    start, sep = 0, ""
    for pos, end, tok in cuts:
        out.append((sep, text[start:pos].strip()))
        start, sep = (pos, "") if tok in keep else (end, tok)
    out.append((sep, text[start:].strip()))
    return [(s, p) for s, p in out if p]


def _step(rel: str, text: str) -> Step:
    """A step read back from its text: terms at its top-level + and − signs, each term's factors at · or ×."""
    terms = tuple(piece for _, piece in _split(text, ("+",), keep=("-",)))
    mul = next((m for m in _MULS if any(tok == m for _, tok in _top_level(text))), None)
    if mul is None:
        return Step(terms, rel)
    factors = tuple(tuple(piece for _, piece in _split(t[2:] if t.startswith("- ") else t, (mul,)))
                    for t in terms)
    factors = tuple(("- " + fs[0], *fs[1:]) if t.startswith("- ") else fs for t, fs in zip(terms, factors, strict=True))
    return Step(terms, rel, factors, f" {mul} ")


def _steps(first_rel: str, text: str) -> tuple[Step, ...]:
    """The steps of `first_rel text`, where text holds further steps after top-level relations."""
    steps: list[Step] = []
    for sep, piece in _split(text, _RELATIONS):
        steps.append(_step(sep or first_rel if not steps else sep, piece))
    return tuple(steps)


def formula_lines(text: str, available: float, chars: int) -> list[Line]:
    """A formula given as text (`a = b \\approx c`, a table cell) broken like an equation without a left side."""
    return lines(Equation("", _steps("", text)), available, chars=chars)


def rebreak(laid: Sequence[Line], available: float, chars: int) -> list[Line]:
    """Lines laid out already, each equation (a line with a left side starts one) with a line longer than
    `chars` characters of source laid out again by `lines` within `available` em and `chars` characters.
    Its steps, terms and factors are read back from the text; put together, the lines read as before."""
    groups: list[list[Line]] = []
    for line in laid:
        if line.lhs or not groups:
            groups.append([])
        groups[-1].append(line)
    out: list[Line] = []
    for group in groups:
        if all(len(x.lhs) + len(x.rel) + len(x.text) + _SOURCE_EXTRA <= chars for x in group):
            out += group
            continue
        chain = group[0].text + "".join(f" {x.text}" if x.continued else f" {x.rel} {x.text}" for x in group[1:])
        out += lines(Equation(group[0].lhs, _steps(group[0].rel, chain)), available, chars=chars)
    return out


class _Aligned(Protocol):
    @property
    def lines(self) -> tuple[Line, ...]: ...


_A = TypeVar("_A", bound=_Aligned)


def align_blocks(items: Sequence[_A | str], available: float) -> list[list[_A | str]]:
    """Displays (anything with aligned `lines`) and prose in the blocks a handout sets them in: consecutive
    displays share one column of relations while their widest left side and widest right side fit the width
    together, with the prose between them as \\intertext; a display whose left side stands alone gets a block
    of its own; prose that would open or close a block is a block of its own."""
    def lone(x: _A | str) -> bool:
        return not isinstance(x, str) and any(line.alone for line in x.lines)

    def sides(block: Sequence[_A | str]) -> tuple[float, float]:
        rows = [line for x in block if not isinstance(x, str) for line in x.lines]
        left = max((width(r.lhs) for r in rows if not r.continued), default=0.0)
        right = max((2.0 + width(r.text) if r.continued else width(f"{r.rel} {r.text}") for r in rows), default=0.0)
        return left, right

    blocks: list[list[_A | str]] = []
    for x in items:
        if blocks and not isinstance(blocks[-1][0], str) and not lone(x) and not lone(blocks[-1][-1]) \
                and sum(sides([*blocks[-1], x])) <= available:
            blocks[-1].append(x)
        else:
            blocks.append([x])
    for k, b in enumerate(blocks):
        while len(b) > 1 and isinstance(b[-1], str):
            blocks.insert(k + 1, [b.pop()])
    return blocks
