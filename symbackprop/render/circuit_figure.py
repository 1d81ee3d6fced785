"""A circuit drawn as CS231n draws it: the leaves on the left, each node a gate box in the column of its depth, and
on the wire out of every quantity its value above (forward, green) and its gradient ∂out/∂q below (backward, red).

One layout (`circuit_layout`) serves the TikZ picture of the slides and the article (`circuit_tikz`) and the SVG of
Markdown (`circuit_svg`), so both show the same drawing. Labels are the circuit's own names (validated by the
spec, written by styles.name_latex) and numbers formatted by the caller; nothing from a spec reaches TeX as is.
`highlight` marks one quantity's step of the backward pass: its wire and the wires to its users in red.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

import sympy as sp

from ..circuit import Circuit
from ..styles import name_latex
from .figure import svg_math
from .layout import width_cm

VALUE = "green!40!black"  # CS231n's forward values
GRADIENT = "red!75!black"  # CS231n's gradients
FADED = "black!30"
SCRIPT_PT = 8.0  # \scriptsize at Beamer's 11pt: the labels' size, for their widths
ROW = 1.05  # cm between two quantities of a column: a value above and a gradient below each wire
NEAR = 10  # a backward step's part of a large circuit shows its users' other inputs up to this many quantities
GAP = 0.35  # cm between a stub's end and the next column's boxes
_HEX = {VALUE: "#267326", GRADIENT: "#bf1f1f", FADED: "#b3b3b3", "black": "#000000"}
_HALO = 'stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'  # as TikZ's white fill
_NUMBER = re.compile(r"-?\d+(\.\d+)?( ?\\times 10\^\{-?\d+\})?|\?")


@dataclass(frozen=True)
class Placed:
    """A quantity's box (centre, half width) and the end of the wire out of it, in cm (y up)."""

    symbol: sp.Symbol
    x: float
    y: float
    half: float
    out: float  # x of the wire's end, where it forks to the users
    leaf: bool


def _written_at(c: Circuit, s: sp.Symbol) -> tuple[int, int, int]:
    """Where a quantity is first written: its first user (spec order) and the place of its name in that user's
    expression (w0 x0 w1 x1 w2, as CS231n draws the neuron); ties and quantities without users in spec order."""
    order = list(c.quantities).index(s)
    users = c.children[s]
    if not users:
        return (len(c.nodes), 0, order)
    first = min(c.nodes.index(u) for u in users)
    text = c.spec.nodes[first].expr
    m = re.search(rf"(?<![A-Za-z0-9_]){re.escape(c.quantities[s].name)}(?![A-Za-z0-9_])", text)
    return (first, m.start() if m else len(text), order)


def circuit_layout(c: Circuit, labels: Mapping[sp.Symbol, tuple[str, str]] | None = None,
                   only: frozenset[sp.Symbol] | None = None) -> dict[sp.Symbol, Placed]:
    """Columns by depth (a node one right of its deepest parent, a leaf just left of its first user), rows from
    the output back (each quantity at the mean height of its users, siblings spread around it in the order they
    are written, ROW apart); each column as wide as its widest box and wire labels (`labels`: symbol → (value,
    gradient) TeX). `only`: a part of the circuit, laid out alone in the same column order."""
    labels = labels or {}
    depth: dict[sp.Symbol, int] = {s: 0 for s in c.leaves}
    for s in c.nodes:
        depth[s] = 1 + max(depth[p] for p in c.quantities[s].partials)
    for s in c.leaves:
        depth[s] = min(depth[u] for u in c.children[s]) - 1 if c.children[s] else 0
    shown = [s for s in c.quantities if only is None or s in only]
    children = {s: [u for u in c.children[s] if u in shown] for s in shown}
    columns: list[list[sp.Symbol]] = [[] for _ in range(max(depth.values()) + 1)]
    for s in shown:
        columns[depth[s]].append(s)
    y: dict[sp.Symbol, float] = {}
    for col in reversed(columns):
        wanted = {s: sum(y[u] for u in children[s]) / len(children[s]) for s in col if children[s]}
        ordered = sorted(wanted, key=lambda s: (-wanted[s], _written_at(c, s)))
        placed: list[float] = []
        for s in ordered:
            placed.append(min(wanted[s], placed[-1] - ROW) if placed else wanted[s])
        shift = (sum(wanted.values()) - sum(placed)) / len(placed) if placed else 0.0
        for s, v in zip(ordered, placed, strict=True):
            y[s] = v + shift
        bottom = min(y.values(), default=ROW)
        for s in col:  # no users (a node the output does not use, or one whose users are not shown): below the rest
            if s not in y:
                bottom -= ROW
                y[s] = bottom
    out: dict[sp.Symbol, Placed] = {}
    x = 0.0
    for col in columns:
        if not col:
            continue
        half = max(_half(c, s) for s in col)
        stub = max([0.8] + [width_cm(t, SCRIPT_PT) + 0.2 for s in col for t in labels.get(s, ("", ""))])
        cx = x + half
        for s in col:
            out[s] = Placed(s, cx, y[s], _half(c, s), cx + half + stub, s not in c.nodes)
        x = cx + half + stub + GAP
    return out


def _half(c: Circuit, s: sp.Symbol) -> float:
    return width_cm(name_latex(c.quantities[s].name), 10.0) / 2 + 0.2


def neighbourhood(c: Circuit, s: sp.Symbol) -> frozenset[sp.Symbol]:
    """What one step of the backward pass reads: the quantity, its users (their gradients, upstream) and the
    users' other inputs (the local gradients' values: a multiply gate swaps) while they are few enough to read."""
    users = c.children[s]
    near = frozenset({s, *users, *(p for u in users for p in c.quantities[u].partials)})
    return near if len(near) <= NEAR else frozenset({s, *users})


def circuit_tikz(c: Circuit, values: Mapping[sp.Symbol, str] | None = None,
                 gradients: Mapping[sp.Symbol, str] | None = None, highlight: sp.Symbol | None = None,
                 only: frozenset[sp.Symbol] | None = None) -> str:
    """The tikzpicture: `values` and `gradients` map a quantity to its number's TeX (those missing are not shown:
    the backward frames add the gradients as the pass reaches them). `only`: that part of the circuit alone, its
    cut wires ending in arrows (a large circuit's step of the backward pass, legible)."""
    values, gradients = dict(values or {}), dict(gradients or {})
    for text in (*values.values(), *gradients.values()):
        _check(text)
    place = circuit_layout(c, {s: (values.get(s, ""), gradients.get(s, "")) for s in c.quantities}, only)
    hot_users = set(c.children[highlight]) if highlight is not None else set()
    lines = [r"\begin{tikzpicture}[>={Stealth[length=5pt]}, font=\small,"
             r" gate/.style={draw, rounded corners=2pt, minimum height=0.62cm, inner sep=2pt, fill=white},"
             r" wire/.style={line width=0.5pt},"
             r" number/.style={font=\scriptsize, fill=white, inner sep=1pt, outer sep=1pt}]"]
    for s, p in place.items():
        name = name_latex(c.quantities[s].name)
        hot = s == highlight
        style = "" if p.leaf else ("gate, " + (f"draw={GRADIENT}, line width=2pt" if hot else ""))
        lines.append(rf"\node[{style.rstrip(', ')}] (q{_id(c, s)}) at {_pt(p.x, p.y)} {{${name}$}};")
    forks, wires, labels = [], [], []
    for s, p in place.items():
        hot = s == highlight
        colour = f"{GRADIENT}, line width=2pt" if hot else "black"
        end = ", ->" if s == c.output or not any(u in place for u in c.children[s]) else ""
        wires.append(rf"\draw[wire, {colour}{end}] (q{_id(c, s)}.east) -- {_pt(p.out, p.y)};")
        mid = _pt((p.x + p.half + p.out) / 2, p.y)
        if s in values:  # drawn after every wire, on white: a wire crossing never hides a number
            labels.append(rf"\node[number, above, text={VALUE}] at {mid} {{${values[s]}$}};")
        if s in gradients:
            labels.append(rf"\node[number, below, text={GRADIENT}] at {mid} {{${gradients[s]}$}};")
        for u in (u for u in c.children[s] if u in place):
            edge = f"{GRADIENT}, line width=1.6pt" if hot and u in hot_users else "black!70"
            path = "to[bend left=45]" if _blocked(place, p, place[u]) else "--"
            forks.append(rf"\draw[wire, ->, {edge}] {_pt(p.out, p.y)} {path} (q{_id(c, u)}.west);")
    lines += forks + wires + labels  # the hot wires over the others, the numbers over every wire
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)


def circuit_svg(c: Circuit, values: Mapping[sp.Symbol, str] | None = None,
                gradients: Mapping[sp.Symbol, str] | None = None, title: str = "", scale: float = 40.0) -> str:
    """The same drawing as SVG (Markdown has no TikZ): boxes, wires, the values above and the gradients below."""
    values, gradients = dict(values or {}), dict(gradients or {})
    place = circuit_layout(c, {s: (values.get(s, ""), gradients.get(s, "")) for s in c.quantities})
    x0 = min(p.x - p.half for p in place.values()) - 0.3
    x1 = max(p.out for p in place.values()) + 0.3
    arcs = [max(p.y, place[u].y) + 0.2 * (place[u].x - place[u].half - p.out)
            for p in place.values() for u in c.children[p.symbol] if _blocked(place, p, place[u])]
    y1 = max([p.y + 0.7 for p in place.values()] + [a + 0.3 for a in arcs])
    y0 = min(p.y for p in place.values()) - 0.7

    def X(x: float) -> str:
        return _f((x - x0) * scale)

    def Y(y: float) -> str:
        return _f((y1 - y) * scale)

    font = 10.0 * 2.54 / 72.27 * scale
    small = SCRIPT_PT * 2.54 / 72.27 * scale
    items: list[str] = []
    numbers: list[str] = []  # drawn last, over every wire
    for s, p in place.items():
        for u in c.children[s]:
            q = place[u]
            if _blocked(place, p, q):  # bent upwards as the TikZ edge (bend left=45)
                mx, my = (p.out + q.x - q.half) / 2, max(p.y, q.y) + 0.41 * (q.x - q.half - p.out)
                d = f"M{X(p.out)},{Y(p.y)} Q{X(mx)},{Y(my)} {X(q.x - q.half)},{Y(q.y)}"
            else:
                d = f"M{X(p.out)},{Y(p.y)} L{X(q.x - q.half)},{Y(q.y)}"
            items.append(f'<path d="{d}" fill="none" stroke="#555" stroke-width="1" marker-end="url(#arrow)"/>')
        end = ' marker-end="url(#arrow)"' if s == c.output else ""
        items.append(f'<line x1="{X(p.x + p.half)}" y1="{Y(p.y)}" x2="{X(p.out)}" y2="{Y(p.y)}" stroke="#000" '
                     f'stroke-width="1"{end}/>')
        mid = (p.x + p.half + p.out) / 2
        if s in values:
            numbers.append(f'<text x="{X(mid)}" y="{Y(p.y + 0.12)}" font-size="{_f(small)}" fill="{_HEX[VALUE]}" '
                         f'text-anchor="middle" {_HALO}>{svg_math(values[s], small)}</text>')
        if s in gradients:
            numbers.append(f'<text x="{X(mid)}" y="{Y(p.y - 0.42)}" font-size="{_f(small)}" fill="{_HEX[GRADIENT]}" '
                         f'text-anchor="middle" {_HALO}>{svg_math(gradients[s], small)}</text>')
    for s, p in place.items():
        if not p.leaf:
            items.append(f'<rect x="{X(p.x - p.half)}" y="{Y(p.y + 0.31)}" width="{_f(2 * p.half * scale)}" '
                         f'height="{_f(0.62 * scale)}" rx="3" fill="#fff" stroke="#000"/>')
        items.append(f'<text x="{X(p.x)}" y="{Y(p.y - 0.12)}" font-size="{_f(font)}" text-anchor="middle">'
                     f'{svg_math(name_latex(c.quantities[s].name), font)}</text>')
    items += numbers
    width, height = (x1 - x0) * scale, (y1 - y0) * scale
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(width)}" height="{_f(height)}" '
            f'viewBox="0 0 {_f(width)} {_f(height)}" font-family="serif" role="img">\n'
            f"<title>{escape(title)}</title>\n"
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>\n'
            '<rect width="100%" height="100%" fill="#fff"/>\n' + "\n".join(items) + "\n</svg>\n")


def _blocked(place: Mapping[sp.Symbol, Placed], p: Placed, q: Placed) -> bool:
    """Whether the straight wire from p's fork to q would run through another box (a node between them)."""
    x0, x1 = p.out, q.x - q.half
    for r in place.values():
        if r.symbol in (p.symbol, q.symbol) or not x0 < r.x < x1:
            continue
        y = p.y + (q.y - p.y) * (r.x - x0) / (x1 - x0)
        if abs(y - r.y) < 0.45:
            return True
    return False


def _check(text: str) -> None:
    """A figure label is a number we formatted (or ?): anything else is a bug of the caller."""
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"not a number for the circuit figure: {text!r}")


def _id(c: Circuit, s: sp.Symbol) -> int:
    return list(c.quantities).index(s)


def _f(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _pt(x: float, y: float) -> str:
    return f"({_f(x)},{_f(y)})"
