"""The recurrent network unrolled over time as a TikZ picture: a column per step (its inputs x_t below, its hidden
neurons h_t in the middle, its outputs y_t above, its loss E_t on top; h_0 alone in column 0), the U, V and W
edges of every step, and, for one shared weight, its uses at every step and every edge on a path from a use to the
loss E highlighted: the paths along which backpropagation through time carries E's gradient back to that weight.

Node ids are positional (x1t2: input 1 at step 2; h1t0; y1t3; Et2, E), so that no spec text reaches TeX but the
labels, which are the circuit's validated names as styles.name_latex writes them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ..recurrent import RecurrentSpec, at
from .figure import svg_math

COLUMN = 2.8  # cm between two steps
ROW = 0.9  # cm between two neurons of a column
SIDE = 1.3  # cm the inputs sit left of the hidden neurons, the outputs right (no edge passes through a neuron)
USE = "orange!90!black"  # the weight's uses
PATH = "red!75!black"  # the edges on a path from a use to E
FADED = "black!35"
_HEX = {USE: "#e67300", PATH: "#a61c1c", FADED: "#a6a6a6", "black": "#000000"}  # the same colours in SVG
# a larger unrolled network is drawn too small to read on a slide: its lecture keeps the equations only
MAX_STEPS = 8
MAX_NEURONS = 4


@dataclass(frozen=True)
class Edge:
    tail: str
    head: str
    weight: str | None  # the parameter on the edge (None: a loss's sum)


def drawable(r: RecurrentSpec) -> bool:
    return r.steps <= MAX_STEPS and max(len(r.inputs), len(r.hidden_neurons), len(r.output_neurons)) <= MAX_NEURONS


def loss_node(r: RecurrentSpec, t: int) -> str:
    """The node of step t's loss: Et{t} with a target at every step (their sum is E), E at the last step only."""
    return f"Et{t}" if r.per_step else "E"


def unrolled_edges(r: RecurrentSpec) -> tuple[Edge, ...]:
    """Every edge of the unrolled network, step by step: x → h (U), h_{t−1} → h_t (V), h → y (W), y → E_t, E_t → E."""
    edges: list[Edge] = []
    n = len(r.hidden_neurons)
    for t in range(1, r.steps + 1):
        for j in range(n):
            edges += [Edge(f"x{i + 1}t{t}", f"h{j + 1}t{t}", r.U[j][i]) for i in range(len(r.inputs))]
            edges += [Edge(f"h{k + 1}t{t - 1}", f"h{j + 1}t{t}", r.V[j][k]) for k in range(n)]
        for k in range(len(r.output_neurons)):
            edges += [Edge(f"h{j + 1}t{t}", f"y{k + 1}t{t}", r.W[k][j]) for j in range(n)]
        if t in r.target_steps():
            edges += [Edge(f"y{k + 1}t{t}", loss_node(r, t), None) for k in range(len(r.output_neurons))]
            if r.per_step:
                edges.append(Edge(loss_node(r, t), "E", None))
    return tuple(edges)


def bptt_paths(r: RecurrentSpec, weight: str) -> tuple[frozenset[Edge], frozenset[Edge]]:
    """The weight's uses (the edges it labels, at every step) and every edge on a path from a use's head to E."""
    edges = unrolled_edges(r)
    uses = frozenset(e for e in edges if e.weight == weight)
    below: set[str] = set()  # the nodes that reach E, found backwards (the edges are in forward order)
    below.add("E")
    for e in reversed(edges):
        if e.head in below:
            below.add(e.tail)
    above = {e.head for e in uses}  # the nodes reached from a use's head
    for e in edges:
        if e.tail in above:
            above.add(e.head)
    return uses, frozenset(e for e in edges if e.tail in above and e.head in below)


def positions(r: RecurrentSpec) -> dict[str, tuple[float, float]]:
    """Every node's centre, in cm."""
    n, m = len(r.hidden_neurons), len(r.output_neurons)
    top = (n - 1) * ROW
    place: dict[str, tuple[float, float]] = {}
    for t in range(0, r.steps + 1):
        x = t * COLUMN
        for j in range(n):
            place[f"h{j + 1}t{t}"] = (x, top - j * ROW)
        if t == 0:
            continue
        for i in range(len(r.inputs)):
            place[f"x{i + 1}t{t}"] = (x - SIDE, -(i + 1) * ROW)
        for k in range(m):
            place[f"y{k + 1}t{t}"] = (x + SIDE, top + (m - k) * ROW)
        if t in r.target_steps():
            place[loss_node(r, t)] = (x + SIDE + (0.9 if m > 1 else 0.0), top + (m + (0.5 if m > 1 else 1)) * ROW)
    if r.per_step:
        xs = [place[loss_node(r, t)][0] for t in r.target_steps()]
        place["E"] = ((min(xs) + max(xs)) / 2, place[loss_node(r, 1)][1] + ROW * max(1.0, 0.3 * r.steps))
    return place


def node_labels(r: RecurrentSpec, tex: Callable[[str], str]) -> dict[str, str]:
    """Every node's TeX label, from the unrolled circuit's names (`tex`: a circuit name → its TeX)."""
    labels = {}
    for t in range(0, r.steps + 1):
        for j, h in enumerate(r.hidden_neurons):
            labels[f"h{j + 1}t{t}"] = tex(at(h, t))
        if t:
            labels |= {f"x{i + 1}t{t}": tex(at(x, t)) for i, x in enumerate(r.inputs)}
            labels |= {f"y{k + 1}t{t}": tex(at(o, t)) for k, o in enumerate(r.output_neurons)}
            if r.per_step:
                labels[f"Et{t}"] = tex(at("E", t))
    labels["E"] = "E"
    return labels


def unrolled_tikz(r: RecurrentSpec, labels: Mapping[str, str], weight_labels: Mapping[str, str],
                  highlight: str | None = None, label_step: int | None = 1) -> str:
    """The tikzpicture. `labels`: node id → its TeX name; `weight_labels`: parameter → its TeX name. `highlight`: a
    parameter whose uses and paths to E are coloured (each use labelled with it); `label_step`: without a
    highlight, the step whose edges carry their weights' names (None: no edge labelled)."""
    place = positions(r)
    uses, paths = bptt_paths(r, highlight) if highlight is not None else (frozenset(), frozenset())
    hot = {e.head for e in paths} | {e.tail for e in paths} | {e.head for e in uses}
    lines = [r"\begin{tikzpicture}[>={Stealth[length=4pt]}, font=\footnotesize,"
             r" neuron/.style={circle, draw, minimum size=0.72cm, inner sep=0.5pt, fill=white},"
             r" loss/.style={rectangle, rounded corners=2pt, draw, minimum size=0.56cm, inner sep=1.5pt, fill=white},"
             r" weight/.style={font=\scriptsize, fill=white, inner sep=0.5pt}]"]
    for t in range(0, r.steps + 1):
        lines.append(rf"\node[font=\small] at ({t * COLUMN:.2f},{-(len(r.inputs) + 0.75) * ROW:.2f}) {{$t = {t}$}};")
    for node, (x, y) in place.items():
        kind = "loss" if node.startswith("E") else "neuron"
        style = kind
        if highlight is not None:
            if node in {e.head for e in uses}:
                style += f", draw={USE}, line width=1.4pt, fill={USE}!12"
            elif node in hot:
                style += f", draw={PATH}, line width=1pt"
            else:
                style += f", draw={FADED}, text={FADED}"
        lines.append(rf"\node[{style}] ({node}) at ({x:.2f},{y:.2f}) {{${labels[node]}$}};")
    for e in unrolled_edges(r):
        if highlight is None:
            style = "->, line width=0.5pt"
        elif e in uses:
            style = f"->, draw={USE}, line width=1.8pt"
        elif e in paths:
            style = f"->, draw={PATH}, line width=1.2pt"
        else:
            style = f"->, draw={FADED}, line width=0.4pt"
        label = ""
        step = int(e.head.rsplit("t", 1)[1]) if "t" in e.head else None
        if e.weight is not None and ((highlight is not None and e in uses)
                                     or (highlight is None and step == label_step)):
            colour = f", text={USE}" if highlight is not None else ""
            label = rf" node[weight{colour}, pos={_label_pos(e)}, sloped] {{${weight_labels[e.weight]}$}}"
        lines.append(rf"\draw[{style}] ({e.tail}) --{label} ({e.head});")
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)


def _label_pos(e: Edge) -> str:
    """Where along its edge a weight's name sits: V's crossing edges near their tails, apart from the straight
    ones' names in the middle; the others past the middle, clear of the hidden neurons' crowd of arrow heads."""
    if e.tail.startswith("h") and e.head.startswith("h"):
        return "0.5" if e.tail.split("t")[0][1:] == e.head.split("t")[0][1:] else "0.25"
    return "0.6"


def unrolled_svg(r: RecurrentSpec, labels: Mapping[str, str], weight_labels: Mapping[str, str], highlight: str,
                 title: str = "", scale: float = 40.0) -> str:
    """The highlighted picture of unrolled_tikz as SVG, for Markdown (which has no TikZ): the same positions, uses
    and paths (bptt_paths), `scale` pixels per cm."""
    place = positions(r)
    uses, paths = bptt_paths(r, highlight)
    hot = {e.head for e in paths} | {e.tail for e in paths}
    used = {e.head for e in uses}
    x0 = min(x for x, _ in place.values()) - 1.0
    x1 = max(x for x, _ in place.values()) + 1.0
    y0 = -(len(r.inputs) + 1.2) * ROW
    y1 = max(y for _, y in place.values()) + 0.6
    font, small = 11.0, 9.0
    radius = 0.36

    def X(x: float) -> str:
        return _f((x - x0) * scale)

    def Y(y: float) -> str:
        return _f((y1 - y) * scale)

    def colour(edge: Edge) -> tuple[str, float]:
        return (USE, 2.4) if edge in uses else (PATH, 1.6) if edge in paths else (FADED, 0.8)

    items: list[str] = []
    marks: dict[str, str] = {}
    for e in unrolled_edges(r):
        (ax, ay), (bx, by) = place[e.tail], place[e.head]
        length = math.hypot(bx - ax, by - ay) or 1.0
        ux, uy = (bx - ax) / length, (by - ay) / length
        c, width = colour(e)
        marks[c] = _HEX[c]
        items.append(f'<line data-edge="{e.tail} {e.head}" x1="{X(ax + ux * radius)}" y1="{Y(ay + uy * radius)}" '
                     f'x2="{X(bx - ux * radius)}" '
                     f'y2="{Y(by - uy * radius)}" stroke="{_HEX[c]}" stroke-width="{_f(width)}" '
                     f'marker-end="url(#a{list(_HEX).index(c)})"/>')
    labels_on: list[str] = []
    for e in uses:
        (ax, ay), (bx, by) = place[e.tail], place[e.head]
        at_ = 0.25 if e.tail.startswith("h") and e.head.startswith("h") and e.tail[:2] != e.head[:2] else 0.55
        lx, ly = ax + (bx - ax) * at_, ay + (by - ay) * at_
        labels_on.append(f'<text x="{X(lx)}" y="{Y(ly + 0.08)}" font-size="{_f(small)}" fill="{_HEX[USE]}" '
                         f'text-anchor="middle" stroke="#fff" stroke-width="3" paint-order="stroke">'
                         f'{svg_math(weight_labels[e.weight or ""], small)}</text>')
    for node, (x, y) in place.items():
        stroke = _HEX[USE] if node in used else _HEX[PATH] if node in hot else _HEX[FADED]
        width = 2.2 if node in used else 1.4 if node in hot else 0.8
        text = "#000" if node in used or node in hot else _HEX[FADED]
        if node.startswith("E"):
            items.append(f'<rect x="{X(x - 0.34)}" y="{Y(y + 0.28)}" width="{_f(0.68 * scale)}" '
                         f'height="{_f(0.56 * scale)}" rx="3" fill="#fff" stroke="{stroke}" stroke-width="{width}"/>')
        else:
            items.append(f'<circle cx="{X(x)}" cy="{Y(y)}" r="{_f(radius * scale)}" fill="#fff" stroke="{stroke}" '
                         f'stroke-width="{width}"/>')
        items.append(f'<text x="{X(x)}" y="{Y(y - 0.1)}" font-size="{_f(font)}" fill="{text}" '
                     f'text-anchor="middle">{svg_math(labels[node], font)}</text>')
    for t in range(0, r.steps + 1):
        items.append(f'<text x="{X(t * COLUMN)}" y="{Y(-(len(r.inputs) + 0.75) * ROW)}" font-size="{_f(font)}" '
                     f'text-anchor="middle">{svg_math(f"t = {t}", font)}</text>')
    arrows = "".join(f'<marker id="a{k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
                     f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{hexa}"/></marker>'
                     for k, hexa in enumerate(_HEX.values()))
    width_px, height_px = (x1 - x0) * scale, (y1 - y0) * scale
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(width_px)}" height="{_f(height_px)}" '
            f'viewBox="0 0 {_f(width_px)} {_f(height_px)}" font-family="serif" role="img">\n'
            f"<title>{escape(title)}</title>\n<defs>{arrows}</defs>\n"
            '<rect width="100%" height="100%" fill="#fff"/>\n' + "\n".join(items + labels_on) + "\n</svg>\n")


def _f(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s
