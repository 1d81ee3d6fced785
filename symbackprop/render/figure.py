"""A TikZ drawing of the network, for lecture slides (Beamer) and articles.

Neurons stand in columns by layer, a bias node per layer that has biases, and the error node to the
right of the outputs. Every label is the network's own notation (notation.py: names validated by the
spec, so nothing from a spec file reaches TeX unchecked) or a value string handed in by the caller.
Weight labels are placed by a small search over positions along each edge that avoids other labels,
nodes and crossing edges, so that a figure reads like a textbook drawing without hand-tuning.

`highlight` draws the paths along which a parameter reaches the error (the edges whose product sums
to ∂E/∂p); `animate` steps through the forward and then the backward pass with Beamer overlays. The
picture uses no `#` and no verbatim, so it can sit in an ordinary (non-fragile) frame.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import sympy as sp

from ..layers import KINDS, biases
from ..network import Kind, Layer, Network
from ..notation import Notation
from ..styles import GREEK_TEXT
from .layout import group, width_cm

TIKZ_LIBRARIES: tuple[str, ...] = ("arrows.meta",)
"""The TikZ libraries the picture uses: the template puts \\usetikzlibrary{...} of these in the preamble."""

AUTO_LABEL_EDGES = 24  # labels=None: weight labels on up to this many parameter edges
AUTO_LABEL_VALUES = 14  # … and up to this many when the labels carry values (w_{5}=0.4): the softmax deck's 13

HOT = "red!80!black"  # the highlight colour
FADED = "black!22"
FADED_TEXT = "black!40"
VALUE = "blue!55!black"
FILL = "orange!35"  # a neuron whose forward value is known (animation)

# font sizes assumed when estimating label widths: Beamer's 11pt \scriptsize and \small (an article's are smaller)
SKIP_BEND = 35  # degrees: a skip connection's arrow leaves its source this far above the straight line
SCRIPT_PT = 8.0
SMALL_PT = 10.0
PT = 2.54 / 72.27  # cm per TeX point

EdgeKey = tuple[sp.Symbol, sp.Symbol]


@dataclass(frozen=True)
class Figure:
    """A complete tikzpicture; `steps` Beamer overlays (0 when not animated), so a frame can say <1-steps>."""

    tikz: str
    steps: int

    def __str__(self) -> str:
        return self.tikz


@dataclass(frozen=True)
class Edge:
    """One drawn arrow: source and target are graph symbols, so edges can be checked against the network.

    source is an input or a neuron's output, or the bias parameter for a bias edge (drawn from the layer's
    bias node); target is a neuron's output or the error. param is the parameter the edge carries.
    """

    source: sp.Symbol
    target: sp.Symbol
    param: sp.Symbol | None
    kind: str  # "weight", "bias", "skip" (an added earlier output), "loss" (output → error) or "target" (→ error)
    layer: int  # the layer the edge enters (1..L), L + 1 for the error

    @property
    def key(self) -> EdgeKey:
        return (self.source, self.target)


def network_edges(network: Network) -> list[Edge]:
    """Every arrow of the drawing, in drawing order (layer by layer, then into the error)."""
    edges = [Edge(source, target, param, kind, layer.index) for layer in network.layers
             for source, target, param, kind in KINDS[layer.kind].arrows(layer)]
    # a skip connection: the earlier output added to this layer's output, an arrow without a parameter (curved)
    edges += [Edge(source, target, None, "skip", layer.index) for layer in network.layers if layer.skip
              for source, target in zip(layer.skip, layer.outs, strict=True)]
    last = len(network.layers) + 1
    edges += [Edge(o, network.error, None, "loss", last) for o in network.outputs]
    edges += [Edge(t, network.error, None, "target", last) for t in network.targets]
    return edges


def _skip_up(a: _Node) -> bool:
    """A skip connection from a node in the upper half bends up, from the lower half down: away from the middle,
    where the weight arrows cross."""
    return bool(a.y >= 0)


def _skip_control(a: _Node, b: _Node) -> tuple[float, float]:
    """The control point of a skip's quadratic curve from node a to node b: leaving SKIP_BEND degrees off the
    straight line, outwards."""
    d = math.hypot(b.x - a.x, b.y - a.y) or 1.0
    ux, uy = (b.x - a.x) / d, (b.y - a.y) / d
    rise = d / 2 * math.tan(math.radians(SKIP_BEND)) * (1 if _skip_up(a) else -1)
    return (a.x + b.x) / 2 - uy * rise, (a.y + b.y) / 2 + ux * rise  # left of the direction a → b when up


def highlighted_edges(network: Network, param: sp.Symbol) -> set[EdgeKey]:
    """The edges of every path from `param` to the error: the edges carrying it, then all edges downstream.

    Reachability comes from the graph, so a neuron that does not depend on the parameter keeps its edges
    faded even in a later layer; under softmax every output depends on every output net input, so all
    output → error edges are on a path.
    """
    if param not in network.params:
        raise ValueError(f"{param} is not a parameter of the network; parameters: "
                         f"{', '.join(str(p) for p in network.params)}")
    reach = network.downstream(param) - {param}
    hot: set[EdgeKey] = set()
    for e in network_edges(network):
        if e.param == param or (e.kind in ("weight", "skip", "loss") and e.source in reach):
            hot.add(e.key)
    return hot


def shared_bias(layer: Layer) -> sp.Symbol | None:
    """The layer's one bias parameter when every neuron has the same one: drawn on the bias node itself
    (the classic figure's b1); otherwise the bias node is the constant 1 and each edge carries its bias."""
    own = set(biases(layer))
    return next(iter(own)) if len(own) == 1 else None


# --- geometry ------------------------------------------------------------------------------------

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in cm


Point = tuple[float, float]


@dataclass(frozen=True)
class _Rect:
    """A label's box: centre, unit direction u of its long side, half extents along u and across it."""

    cx: float
    cy: float
    ux: float
    uy: float
    a: float
    b: float

    @classmethod
    def box(cls, box: Box) -> _Rect:
        x0, y0, x1, y1 = box
        return cls((x0 + x1) / 2, (y0 + y1) / 2, 1.0, 0.0, (x1 - x0) / 2, (y1 - y0) / 2)

    def _radius(self, nx: float, ny: float) -> float:
        return self.a * abs(self.ux * nx + self.uy * ny) + self.b * abs(-self.uy * nx + self.ux * ny)

    def overlap(self, other: _Rect) -> float:
        """Penetration depth (separating axes): 0 when apart."""
        dx, dy = other.cx - self.cx, other.cy - self.cy
        reach = self.a + self.b + other.a + other.b
        if dx * dx + dy * dy > reach * reach:  # far apart: the common case, decided cheaply
            return 0.0
        depth = math.inf
        for nx, ny in ((self.ux, self.uy), (-self.uy, self.ux), (other.ux, other.uy), (-other.uy, other.ux)):
            d = self._radius(nx, ny) + other._radius(nx, ny) - abs(dx * nx + dy * ny)
            if d <= 0:
                return 0.0
            depth = min(depth, d)
        return depth

    def local(self, x: float, y: float) -> Point:
        dx, dy = x - self.cx, y - self.cy
        return dx * self.ux + dy * self.uy, -dx * self.uy + dy * self.ux

    def circle_overlap(self, x: float, y: float, r: float) -> float:
        lx, ly = self.local(x, y)
        qx, qy = abs(lx) - self.a, abs(ly) - self.b
        if qx <= 0 and qy <= 0:  # centre inside
            return r + min(-qx, -qy)
        return max(0.0, r - math.hypot(max(qx, 0.0), max(qy, 0.0)))

    def hit_by(self, p: Point, q: Point, margin: float = 0.0) -> bool:
        """Does the segment pq pass through the box (grown by margin)? Liang–Barsky in the box's frame."""
        (px, py), (qx, qy) = self.local(*p), self.local(*q)
        a, b = self.a + margin, self.b + margin
        t0, t1 = 0.0, 1.0
        dx, dy = qx - px, qy - py
        for pk, qk in ((-dx, px + a), (dx, a - px), (-dy, py + b), (dy, b - py)):
            if pk == 0:
                if qk < 0:
                    return False
                continue
            t = qk / pk
            if pk < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
        return True


Obstacle = _Rect | tuple[float, float, float]  # a box, or a node's disc (x, y, radius)
_PLACEMENTS: dict[tuple[object, ...], tuple[float, ...]] = {}  # label positions by what decides them


TOLERANCE = 0.03  # cm: the boxes include the labels' white margins, a touch of them does not show


def _overlap(rect: _Rect, obstacle: Obstacle) -> float:
    depth = rect.overlap(obstacle) if isinstance(obstacle, _Rect) else rect.circle_overlap(*obstacle)
    return max(0.0, depth - TOLERANCE)


def _discs_meet(a: tuple[float, float, float], b: tuple[float, float, float]) -> bool:
    return math.hypot(a[0] - b[0], a[1] - b[1]) < a[2] + b[2]


def _near(disc: tuple[float, float, float], obstacle: Obstacle) -> bool:
    """Could the obstacle touch anything inside the disc? (A cheap filter before the exact tests.)"""
    if isinstance(obstacle, _Rect):
        return _discs_meet(disc, (obstacle.cx, obstacle.cy, obstacle.a + obstacle.b))
    return _discs_meet(disc, obstacle)


def _segments_near(p: Point, q: Point, r: Point, s: Point, margin: float) -> bool:
    """Do the bounding boxes of pq and rs, grown by margin, meet? (A cheap filter before the exact test.)"""
    return (min(p[0], q[0]) - margin <= max(r[0], s[0]) and min(r[0], s[0]) <= max(p[0], q[0]) + margin
            and min(p[1], q[1]) - margin <= max(r[1], s[1]) and min(r[1], s[1]) <= max(p[1], q[1]) + margin)


def _lerp(p: Point, q: Point, t: float) -> Point:
    return p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])


@dataclass(frozen=True)
class _Value:
    """A number beside a node: its text, the point its box hangs from (anchor south: the box's bottom centre)."""

    text: str
    anchor: str  # "south" (above the point) or "north" (below it)
    x: float
    y: float
    box: Box
    step: int | None  # the overlay on which it appears (animated)
    faded: bool
    delta: bool = False  # a neuron's error term δ (animated, on the backward pass), set in the highlight colour


@dataclass
class _Node:
    name: str  # TikZ node name (generated, never from the spec)
    x: float
    y: float
    radius: float


# --- the drawing ---------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[$%#&~\n\r]|\\(?:def|let|write|input|include|immediate|catcode|openout|read)")


_PARENS = re.compile(r"\\left\((.*)\\right\)")


def _check_value(text: str) -> str:
    """A caller's number, checked (balanced braces, nothing that could define or write) and with the
    parentheses of an equation's negative factor, \\left(-0.4\\right), taken off: a label reads w_{2}=-0.4."""
    text = text.strip()
    m = _PARENS.fullmatch(text)
    if m and "\\left" not in m.group(1):
        text = m.group(1)
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth != 0 or _UNSAFE.search(text):
        raise ValueError(f"not a LaTeX number for the figure: {text!r}")
    return text


def _f(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _pt(x: float, y: float) -> str:
    return f"({_f(x)},{_f(y)})"


class _Drawing:
    def __init__(self, network: Network, highlight: sp.Symbol | None, values: Mapping[sp.Symbol, str],
                 animate: bool, labels: bool | None, deltas: Mapping[sp.Symbol, str] | None = None) -> None:
        self.net = network
        self.notation = Notation(network)
        self.values = {s: _check_value(v) for s, v in values.items()}
        self.deltas = {s: _check_value(v) for s, v in (deltas or {}).items()} if animate else {}
        self.animate = animate
        self.highlight = highlight
        self.hot = highlighted_edges(network, highlight) if highlight is not None else None
        self.hot_ends = {s for key in self.hot for s in key} if self.hot is not None else set()
        self.edges = network_edges(network)
        param_edges = [e for e in self.edges if e.kind in ("weight", "bias")]
        # automatic labels: on for small networks; labels with values are long, so half as many then
        shown = [e for e in param_edges if e.kind == "weight" or network.layers[e.layer - 1].threshold
                 or shared_bias(network.layers[e.layer - 1]) is None]
        limit = AUTO_LABEL_VALUES if any(e.param in self.values for e in shown) else AUTO_LABEL_EDGES
        self.labels = labels if labels is not None else len(shown) <= limit
        self.n_layers = len(network.layers)
        self.steps = 2 * self.n_layers + 3 if animate else 0
        self.lines: list[str] = []
        self.nodes: dict[sp.Symbol, _Node] = {}  # inputs, neuron outputs, the error
        self.bias_nodes: dict[int, _Node] = {}  # by layer index
        self.bias_shared: dict[int, sp.Symbol | None] = {}  # the layer's one bias parameter, drawn on the node
        self.obstacles: list[Obstacle] = []

    # -- names and labels

    def neuron_latex(self, s: sp.Symbol) -> str:
        """The label inside a neuron: the notation's symbol for its output (the neuron's name in net/out style,
        where out_{h1} would not fit in a circle)."""
        q = self.net.quantity(s)
        label = self.notation.style_entry.node_label(q.neuron or q.name) if q.kind is Kind.OUT else None
        return label if label is not None else self.notation.latex_names[s]

    def fwd_step(self, column: int) -> int:
        """Overlay on which column (0 inputs, 1..L layers, L + 1 error) gets its values."""
        return column + 1

    def back_step(self, layer: int) -> int:
        """Overlay on which the edges into `layer` (L + 1: the error) turn red: from the error backwards."""
        return self.n_layers + 2 + (self.n_layers + 2 - layer)

    def is_hot(self, e: Edge) -> bool:
        return self.hot is not None and e.key in self.hot

    def is_faded(self, e: Edge) -> bool:
        return self.hot is not None and e.key not in self.hot

    # -- layout

    def layout(self) -> None:
        net = self.net
        columns: list[Sequence[sp.Symbol]] = [net.inputs, *[layer.outs for layer in net.layers]]
        widest = max(len(c) for c in columns)
        # room for long (w_{5}=0.4) or tall (W^{(1)}_{21}) labels; the template shrinks what is too big
        texts = [self.label_text(e) for e in self.edges if e.param is not None] if self.labels else []
        big = any(e.param in self.values for e in self.edges if e.param is not None) or any("^" in t for t in texts)
        fan = self.labels and widest >= 3  # many labelled edges leave each node
        self.dy = dy = min(2.2 if texts and (big or fan) else 1.8, max(1.05, (6.6 if texts else 5.4) / widest))
        self.dx = dx = min(3.1, max(1.9, 9.0 / (self.n_layers + 1)))
        if texts and (big or fan):
            self.dx = dx = max(dx, 3.8 if widest <= 2 else 3.4 if widest <= 3 else 2.8)
        self.dx_error = min(dx, 2.0)
        for ci, col in enumerate(columns):
            for i, s in enumerate(col):
                text = self.neuron_latex(s)
                radius = max(0.4, width_cm(text, SMALL_PT) / 2 + 0.1)
                kind = "I" if ci == 0 else "L"
                name = f"sbp{kind}{ci}n{i}"
                self.nodes[s] = _Node(name, ci * dx, ((len(col) - 1) / 2 - i) * dy, radius)
        x_error = self.n_layers * dx + self.dx_error
        self.nodes[net.error] = _Node("sbpE", x_error, 0.0,
                                      max(0.42, width_cm(self.notation.latex_names[net.error], SMALL_PT) / 2 + 0.15))
        bottom = -(widest - 1) / 2 * dy - max(1.15, 0.85 * dy)
        for layer in net.layers:
            if all(b is None for b in biases(layer)):
                continue
            self.bias_shared[layer.index] = None if layer.threshold else shared_bias(layer)
            text = self.bias_text(layer.index)
            radius = max(0.3, width_cm(text, SMALL_PT) / 2 + 0.1)
            self.bias_nodes[layer.index] = _Node(f"sbpB{layer.index}", (layer.index - 1) * dx, bottom, radius)
        for e in self.edges:  # a skip's curve keeps weight labels off it
            if e.kind == "skip":
                a, b = self.nodes[e.source], self.nodes[e.target]
                c = _skip_control(a, b)
                for t in (0.25, 0.5, 0.75):
                    x = (1 - t) ** 2 * a.x + 2 * t * (1 - t) * c[0] + t ** 2 * b.x
                    y = (1 - t) ** 2 * a.y + 2 * t * (1 - t) * c[1] + t ** 2 * b.y
                    self.obstacles.append((x, y, 0.15))
        for node in [*self.nodes.values(), *self.bias_nodes.values()]:
            self.obstacles.append((node.x, node.y, node.radius + 0.1))  # a label touching a node reads as its

    def end_node(self, e: Edge, end: str) -> _Node:
        s = e.source if end == "source" else e.target
        if end == "source" and e.kind == "bias":
            return self.bias_nodes[e.layer]
        if end == "source" and e.kind == "target":
            return self.target_node
        return self.nodes[s]

    def border_points(self, e: Edge) -> tuple[Point, Point]:
        a, b = self.end_node(e, "source"), self.end_node(e, "target")
        length = math.hypot(b.x - a.x, b.y - a.y) or 1.0
        ux, uy = (b.x - a.x) / length, (b.y - a.y) / length
        return (a.x + a.radius * ux, a.y + a.radius * uy), (b.x - b.radius * ux, b.y - b.radius * uy)

    # -- emitting

    def emit(self, line: str) -> None:
        self.lines.append(line)

    def value_of(self, s: sp.Symbol) -> str | None:
        return self.values.get(s)

    def bias_text(self, li: int) -> str:
        """What layer li's bias node shows: its one shared bias, the constant 1 of per-edge biases, or the fixed
        input −1 that a threshold θ is the weight of (Negnevitsky)."""
        shared = self.bias_shared.get(li)
        if shared is not None:
            return self.notation.latex_names[shared]
        return "-1" if self.net.layers[li - 1].threshold else "1"

    def styles(self) -> list[str]:
        arrow = "-{Stealth[length=1.9mm,width=1.4mm]}"
        st = [
            f"sbp edge/.style={{draw=black!70,line width=0.55pt,{arrow}}}",
            f"sbp hot/.style={{draw={HOT},line width=1.5pt}}",
            f"sbp faded/.style={{draw={FADED},line width=0.45pt}}",
            "sbp neuron/.style={circle,draw=black!75,line width=0.7pt,fill=white,minimum size=8mm,"
            "inner sep=1pt,font=\\small}",
            "sbp input/.style={sbp neuron,fill=black!6}",
            "sbp bias/.style={circle,draw=black!60,dashed,fill=white,minimum size=6mm,inner sep=1pt,"
            "font=\\small}",
            "sbp error/.style={rectangle,rounded corners=2pt,draw=black!75,line width=0.7pt,fill=white,"
            "minimum size=8mm,inner sep=2pt,font=\\small}",
            "sbp node hot/.style={draw=" + HOT + ",line width=1.3pt}",
            "sbp node on path/.style={line width=1pt}",
            f"sbp node faded/.style={{draw={FADED},text={FADED_TEXT}}}",
            "sbp wlabel/.style={sloped,fill=white,inner sep=1pt,font=\\scriptsize,text=black!85}",
            f"sbp label hot/.style={{text={HOT}}}",
            f"sbp label faded/.style={{text={FADED_TEXT}}}",
            f"sbp value/.style={{fill=white,inner sep=1pt,font=\\scriptsize,text={VALUE}}}",
            f"sbp delta/.style={{text={HOT},fill=white,inner sep=0.5pt}}",
            "sbp target/.style={inner sep=1pt,font=\\scriptsize,text=black!55,align=right}",
            "sbp target edge/.style={draw=black!35,densely dashed,line width=0.45pt,"
            "-{Stealth[length=1.5mm,width=1.1mm]}}",
            "sbp group/.style={draw=black!35,densely dotted,rounded corners=4pt}",
        ]
        if any(e.kind == "skip" for e in self.edges):
            st.append("sbp skip/.style={densely dashed}")
        if self.animate:
            st.append(f"sbp filled/.style={{fill={FILL}}}")
            for k in range(1, self.steps + 1):
                st += [
                    f"sbp fill {k}/.code={{\\alt<{k}->{{\\pgfkeysalso{{sbp filled}}}}{{}}}}",
                    f"sbp show {k}/.code={{\\alt<{k}->{{}}{{\\pgfkeysalso{{opacity=0}}}}}}",
                    f"sbp hot {k}/.code={{\\alt<{k}->{{\\pgfkeysalso{{sbp hot}}}}{{}}}}",
                    f"sbp label hot {k}/.code={{\\alt<{k}->{{\\pgfkeysalso{{sbp label hot}}}}{{}}}}",
                ]
        return st

    def on_path(self, s: sp.Symbol) -> bool | None:
        """With a highlight: is the input or neuron on a path (or the source of the parameter's edge, whose value
        is a factor of the gradient)? None without a highlight."""
        if self.hot is None:
            return None
        return s in self.hot_ends

    def draw_nodes(self) -> None:
        net = self.net
        hot_targets = {t for (_, t) in self.hot} if self.hot is not None else set()
        for ci, col in enumerate([net.inputs, *[layer.outs for layer in net.layers]]):
            for s in col:
                node = self.nodes[s]
                opts = ["sbp input" if ci == 0 else "sbp neuron"]
                if self.hot is not None:
                    if s in hot_targets:
                        opts.append("sbp node hot" if not self.animate else "sbp node on path")
                    elif not self.on_path(s):
                        opts.append("sbp node faded")
                if self.animate:
                    opts.append(f"sbp fill {self.fwd_step(ci)}")
                self.emit(f"\\node[{','.join(opts)}] ({node.name}) at {_pt(node.x, node.y)} "
                          f"{{${self.neuron_latex(s)}$}};")
        err = self.nodes[net.error]
        opts = ["sbp error"]
        if self.hot is not None and not self.animate:  # animated, the path turns red step by step instead
            opts.append("sbp node hot")
        if self.animate:
            opts.append(f"sbp fill {self.fwd_step(self.n_layers + 1)}")
        self.emit(f"\\node[{','.join(opts)}] ({err.name}) at {_pt(err.x, err.y)} "
                  f"{{${self.notation.latex_names[net.error]}$}};")
        for li, node in self.bias_nodes.items():
            opts = ["sbp bias"]
            if self.highlight is not None:
                layer = net.layers[li - 1]
                opts.append("sbp node hot" if self.highlight in biases(layer) else "sbp node faded")
            text = self.bias_text(li)
            self.emit(f"\\node[{','.join(opts)}] ({node.name}) at {_pt(node.x, node.y)} {{${text}$}};")
        # softmax couples the whole output layer: a dotted frame says so
        if self.group is not None:
            x0, low, x1, top = self.group
            self.emit(f"\\draw[sbp group] {_pt(x0, low)} rectangle {_pt(x1, top)};")
            self.emit(f"\\node[font=\\scriptsize,text=black!55,anchor=south] at {_pt((x0 + x1) / 2, top)} {{softmax}};")

    def group_frame(self) -> Box | None:
        """The frame around a layer that softmax couples (the output layer), and the box of its caption."""
        out_layer = self.net.layers[-1]
        if out_layer.activation.elementwise:
            return None
        outs = [self.nodes[o] for o in out_layer.outs]
        r = max(n.radius for n in outs) + 0.15
        x = outs[0].x
        low = min(n.y for n in outs) - r
        top = max(n.y for n in outs) + r + (0.4 if any(o in self.values for o in out_layer.outs) else 0)
        top += 0.34 if any(o in self.deltas for o in out_layer.outs) else 0  # the top neuron's δ over its value
        self.obstacles.append(_Rect.box((x - r, top, x + r, top + 0.35)))
        return (x - r, low, x + r, top)

    def value_boxes(self) -> list[_Value]:
        """Every value shown beside a node: above inputs and neurons, under the error and a shared bias."""
        out = []
        net = self.net
        h = 0.32
        over: dict[sp.Symbol, float] = {}  # the top of the value over a neuron
        for ci, col in enumerate([net.inputs, *[layer.outs for layer in net.layers]]):
            for s in col:
                v = self.value_of(s)
                if v is None:
                    continue
                node = self.nodes[s]
                w = width_cm(v, SCRIPT_PT) + 0.08
                # above the node: edges from a bias node come in from below
                y0 = node.y + node.radius + 0.1  # a little up: clear of a label on an edge rising from it
                box = (node.x - w / 2, y0, node.x + w / 2, y0 + h)
                over[s] = y0 + h
                out.append(_Value(v, "south", node.x, y0, box, self.fwd_step(ci), self.on_path(s) is False))
        v = self.value_of(net.error)
        if v is not None:
            node = self.nodes[net.error]
            w = width_cm(v, SCRIPT_PT) + 0.08
            y1 = node.y - node.radius - 0.03
            out.append(_Value(v, "north", node.x, y1, (node.x - w / 2, y1 - h, node.x + w / 2, y1),
                              self.fwd_step(self.n_layers + 1), False))
        for layer in net.layers:  # the δ's as the backward pass reaches the layer: under a neuron, over the
            top = max(self.nodes[o].y for o in layer.outs)  # top one (its edges leave downwards), over its value
            for o in layer.outs:
                if (v := self.deltas.get(o)) is None:
                    continue
                node = self.nodes[o]
                text = rf"\delta={v}"
                w = width_cm(text, SCRIPT_PT) + 0.08
                step = self.back_step(layer.index + 1)
                if node.y == top and len(layer.outs) > 1:
                    y0 = over.get(o, node.y + node.radius + 0.1) + 0.02
                    out.append(_Value(text, "south", node.x, y0, (node.x - w / 2, y0, node.x + w / 2, y0 + h),
                                      step, False, delta=True))
                else:
                    y1 = node.y - node.radius - 0.03
                    out.append(_Value(text, "north", node.x, y1, (node.x - w / 2, y1 - h, node.x + w / 2, y1),
                                      step, False, delta=True))
        for li, node in self.bias_nodes.items():
            shared = self.bias_shared[li]
            v = self.value_of(shared) if shared is not None else None
            if v is None:
                continue
            w = width_cm(v, SCRIPT_PT) + 0.08
            y1 = node.y - node.radius - 0.03
            faded = self.highlight is not None and self.highlight not in biases(self.net.layers[li - 1])
            out.append(_Value(v, "north", node.x, y1, (node.x - w / 2, y1 - h, node.x + w / 2, y1), None, faded))
        return out

    def value_style(self, step: int | None, faded: bool) -> str:
        """Animated, a value appears with its column; with a highlight, values off the paths fade."""
        return ("" if step is None or not self.animate else f",sbp show {step}") + (",sbp label faded" if faded else "")

    def place_target_node(self, value_boxes: Sequence[Box]) -> None:
        """The targets, quietly: one small grey node above the error with a dashed arrow into it."""
        net = self.net
        err = self.nodes[net.error]
        rows = []
        for t in net.targets:
            v = self.value_of(t)
            name = self.notation.latex_names[t]
            rows.append(f"{name}={v}" if v is not None else name)
        self.target_rows = rows
        self.target_text = "\\\\".join(f"${r}$" for r in rows)
        width = max(width_cm(r, SCRIPT_PT) for r in rows) + 0.1
        height = 0.36 * len(rows)
        # above the error, flush with its right side (not sticking out of the picture), clear of the edges in
        x1 = err.x + err.radius
        x0 = min(err.x - width / 2, x1 - width)
        bottom = err.y + err.radius + 0.3
        for o in self.net.outputs:
            node = self.nodes[o]
            if node.x < x1 and node.y > err.y:  # the edge from o rises to the left: keep above it over [x0, x1]
                t = max(0.0, min(1.0, (x0 - node.x) / (err.x - node.x)))
                bottom = max(bottom, node.y + t * (err.y - node.y) + 0.15)
        for vx0, vy0, vx1, vy1 in sorted(value_boxes, key=lambda b: b[1]):  # and above any value in the way
            if vx1 + 0.3 > x0 and vx0 < x1 and vy1 + 0.1 > bottom and vy0 < bottom + height:
                bottom = vy1 + 0.1
        self.target_node = _Node("sbpT", (x0 + x1) / 2, bottom + height / 2, height / 2)
        self.target_box = (x0, bottom, x1, bottom + height)
        self.obstacles.append(_Rect.box(self.target_box))

    def label_text(self, e: Edge) -> str:
        assert e.param is not None
        name = self.notation.latex_names[e.param]
        v = self.value_of(e.param)
        return f"{name}\\!=\\!{v}" if v is not None else name

    def place_labels(self, labelled: list[Edge]) -> dict[int, float]:
        """pos= of each labelled edge (sloped, on the line): near the source end where that is free of other
        labels, nodes and crossing lines, else further along. Greedy, then a few rounds of re-placing each
        label against all the others, so that the first label placed does not take the only good spot."""
        segs = {id(e): self.border_points(e) for e in self.edges}
        candidates = [round(0.1 + 0.02 * k, 2) for k in range(36)]  # 0.1 .. 0.8, where the label fits
        preferred = 0.3
        options: dict[int, list[tuple[float, float, _Rect]]] = {}  # per edge: (cost without labels, pos, box)
        envelope: dict[int, tuple[float, float, float]] = {}  # a disc around every option of an edge's label
        for e in labelled:
            p, q = segs[id(e)]
            length = math.hypot(q[0] - p[0], q[1] - p[1]) or 1.0
            ux, uy = (q[0] - p[0]) / length, (q[1] - p[1]) / length
            text = self.label_text(e)
            w = width_cm(text, SCRIPT_PT) + 0.08
            h = 0.44 if "^" in text else 0.32  # W^{(1)}_{21} is tall
            mx, my = _lerp(p, q, 0.5)
            envelope[id(e)] = (mx, my, length / 2 + w / 2 + h / 2)
            near = [o for o in self.obstacles if _near(envelope[id(e)], o)]
            crossing = [segs[id(o)] for o in self.edges if o is not e and _segments_near(p, q, *segs[id(o)], w)]
            opts = []
            for pos in candidates:
                if pos * length - w / 2 < 0.06 or (1 - pos) * length - w / 2 < 0.28:  # clear of the arrow tip
                    continue
                rect = _Rect(*_lerp(p, q, pos), ux, uy, w / 2, h / 2)
                cost = 100 * sum(_overlap(rect, o) for o in near)
                # another line through the text, or ending at it (a crossing reads as part of the label)
                cost += 0.8 * sum(1 for seg in crossing if rect.hit_by(*seg, 0.04))
                cost += abs(pos - preferred)
                opts.append((cost, pos, rect))
            options[id(e)] = opts or [(0.0, 0.5, _Rect(*_lerp(p, q, 0.5), ux, uy, w / 2, h / 2))]  # too short
        neighbours = {id(e): [id(f) for f in labelled if f is not e and _discs_meet(envelope[id(e)], envelope[id(f)])]
                      for e in labelled}
        chosen: dict[int, tuple[float, _Rect]] = {}
        for _ in range(5):
            changed = False
            for e in labelled:
                others = [chosen[k][1] for k in neighbours[id(e)] if k in chosen]
                best = min(options[id(e)], key=lambda o: o[0] + 100 * sum(_overlap(o[2], r) for r in others))
                if id(e) not in chosen or chosen[id(e)][0] != best[1]:
                    chosen[id(e)] = (best[1], best[2])
                    changed = True
            if not changed:
                break
        return {k: pos for k, (pos, _) in chosen.items()}

    def placements(self, labelled: list[Edge]) -> dict[int, float]:
        """place_labels, remembered: a lecture draws the same network once per δ and gradient, and the highlight
        moves no label (labels are placed in the network's order, not the drawing's), so the search runs once
        and a label stays put from slide to slide."""
        key = (tuple((e.key, e.kind, self.label_text(e)) for e in labelled), tuple(self.obstacles),
               tuple(self.border_points(e) for e in self.edges))
        if key not in _PLACEMENTS:
            if len(_PLACEMENTS) >= 256:
                _PLACEMENTS.clear()
            positions = self.place_labels(labelled)
            _PLACEMENTS[key] = tuple(positions[id(e)] for e in labelled)
        return {id(e): pos for e, pos in zip(labelled, _PLACEMENTS[key], strict=True)}

    def arrange(self) -> None:
        """Everything's place: nodes, values, the targets, the softmax frame and the weight labels."""
        self.layout()
        self.value_items = self.value_boxes()
        self.place_target_node([v.box for v in self.value_items])
        self.obstacles += [_Rect.box(v.box) for v in self.value_items]
        self.group = self.group_frame()
        drawn = [e for e in self.edges if e.kind != "target"]
        labelled = [e for e in drawn if e.param is not None and not (e.kind == "bias" and self.bias_shared.get(e.layer))
                    and (self.labels or (self.highlight is not None and e.param == self.highlight))]
        # hot edges are drawn last, on top of the faded ones
        self.order = sorted(drawn, key=lambda e: self.is_hot(e))
        self.positions = self.placements([e for e in drawn if e in labelled])

    def label_box(self, e: Edge) -> _Rect:
        """The box of an edge's label (placed by `placements`), along the edge."""
        p, q = self.border_points(e)
        length = math.hypot(q[0] - p[0], q[1] - p[1]) or 1.0
        text = self.label_text(e)
        w, h = width_cm(text, SCRIPT_PT) + 0.08, 0.44 if "^" in text else 0.32
        return _Rect(*_lerp(p, q, self.positions[id(e)]), (q[0] - p[0]) / length, (q[1] - p[1]) / length,
                     w / 2, h / 2)

    def draw_edges(self) -> None:
        positions = self.positions
        for e in self.order:
            a, b = self.end_node(e, "source"), self.end_node(e, "target")
            opts = ["sbp edge"]
            label_opts = ["sbp wlabel"]
            if self.is_hot(e) and not self.animate:
                opts.append("sbp hot")
                label_opts.append("sbp label hot")
            elif self.is_faded(e):
                opts.append("sbp faded")
                label_opts.append("sbp label faded")
            if self.animate and not self.is_faded(e):
                k = self.back_step(e.layer)
                opts.append(f"sbp hot {k}")
                label_opts.append(f"sbp label hot {k}")
            label = ""
            if id(e) in positions:
                label = (f" node[{','.join(label_opts)},pos={positions[id(e)]:.2f}] "
                         f"{{${self.label_text(e)}$}}")
            if e.kind == "skip":  # bent outwards, away from the straight weight arrows it runs beside
                side = "left" if _skip_up(a) else "right"
                self.emit(f"\\draw[{','.join([*opts, 'sbp skip'])}] ({a.name}) to[bend {side}={SKIP_BEND}] "
                          f"({b.name});")
                continue
            self.emit(f"\\draw[{','.join(opts)}] ({a.name}) --{label} ({b.name});")
        # the targets enter the error quietly
        net = self.net
        self.emit(f"\\node[sbp target] ({self.target_node.name}) at {_pt(self.target_node.x, self.target_node.y)} "
                  f"{{{self.target_text}}};")
        t, err = self.target_node.name, self.nodes[net.error].name
        self.emit(f"\\draw[sbp target edge] ({t}.south -| {err}) -- ({err});")

    def draw(self) -> str:
        """The picture in TikZ."""
        self.arrange()
        self.emit("\\begin{tikzpicture}[\n  " + ",\n  ".join(self.styles()) + "]")
        self.draw_nodes()
        self.draw_edges()
        for v in self.value_items:
            style = self.value_style(v.step, v.faded) + (",sbp delta" if v.delta else "")
            self.emit(f"\\node[sbp value{style},anchor={v.anchor}] at {_pt(v.x, v.y)} {{${v.text}$}};")
        self.emit("\\end{tikzpicture}")
        return "\n".join(self.lines) + "\n"


# --- SVG: the same drawing for Markdown ----------------------------------------------------------

SVG_SCALE = 45.0  # px per cm: the neurons' 10 pt names come out at 16 px, the labels' 8 pt at 12.8 px
SVG_FONT = "'Latin Modern Math','STIX Two Math','Cambria Math','Times New Roman',Times,serif"
_HEX = {  # the TikZ colours, mixed as xcolor mixes them (black!70 is 70 % black, 30 % white)
    "black!70": "#4d4d4d", "black!75": "#404040", "black!60": "#666666", "black!85": "#262626",
    "black!55": "#737373", "black!35": "#a6a6a6", "black!6": "#f0f0f0", HOT: "#cc0000", FADED: "#c7c7c7",
    FADED_TEXT: "#999999", VALUE: "#00008c",
}
_SVG_SYMBOLS = {"cdot": "\u00b7", "times": "\u00d7", "partial": "\u2202", "approx": "\u2248", "infty": "\u221e",
                "ldots": "\u2026", "cdots": "\u22ef", "odot": "\u2299", "to": "\u2192", "sum": "\u2211",
                "prime": "\u2032", ",": "\u2009", ":": "\u2005", ";": "\u2004", "quad": "\u2003", "!": "",
                "{": "{", "}": "}", "_": "_", "%": "%", "&": "&", "#": "#", "$": "$"}
_UPRIGHT = ("mathrm", "text", "operatorname", "mathsf", "mathbf")
_SUB, _SUP, _SMALLER = -0.22, 0.4, 0.7  # script shifts (em of the script's parent) and size

Run = tuple[str, bool, float, float]  # text, italic, size (of the label's font), raise (em of the label's font)


def _runs(tex: str, size: float = 1.0, rise: float = 0.0, upright: bool = False) -> list[Run]:
    """Math that symbackprop generated (names, numbers) as runs of text: letters italic as TeX sets them,
    scripts smaller and raised or lowered, \\frac{a}{b} as a/b; an unknown command reads as its name."""
    out: list[Run] = []
    i = 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", tex[i:])
            name = m.group(1) if m else ""
            i += 1 + len(name)
            if name in ("mathit", *_UPRIGHT):
                inner, i = group(tex, i)
                out += _runs(inner, size, rise, name in _UPRIGHT)
            elif name == "frac":
                num, i = group(tex, i)
                den, i = group(tex, i)
                out += [*_runs(num, size, rise, upright), ("/", False, size, rise), *_runs(den, size, rise, upright)]
            elif name in ("left", "right", "bigl", "bigr", "Bigl", "Bigr"):
                delim, i = group(tex, i)
                if delim != ".":
                    out.append((delim.lstrip("\\"), False, size, rise))
            elif name in GREEK_TEXT:
                out.append((GREEK_TEXT[name], name[0].islower() and not upright, size, rise))
            else:
                out.append((_SVG_SYMBOLS.get(name, name), False, size, rise))
        elif c in "_^":
            inner, i = group(tex, i + 1)
            out += _runs(inner, size * _SMALLER, rise + size * (_SUB if c == "_" else _SUP), upright)
        elif c in "{} ":
            i += 1
        else:
            text = {"-": "\u2212", "'": "\u2032"}.get(c, c)
            out.append((text, c.isalpha() and not upright, size, rise))
            i += 1
    return out


def svg_math(tex: str, font_px: float) -> str:
    """The content of an SVG <text> for a label: XML-escaped runs, scripts as smaller <tspan>s moved by dy
    (a relative shift every viewer honours, where baseline-shift is not implemented everywhere)."""
    merged: list[Run] = []
    for run in _runs(tex):
        if merged and merged[-1][1:] == run[1:]:
            merged[-1] = (merged[-1][0] + run[0], *run[1:])
        else:
            merged.append(run)
    out = []
    level = 0.0
    for text, italic, size, rise in merged:
        attrs = []
        if rise != level:
            attrs.append(f'dy="{_f((level - rise) * font_px)}"')
            level = rise
        if size != 1.0:
            attrs.append(f'font-size="{_f(size * 100)}%"')
        if italic:
            attrs.append('font-style="italic"')
        body = escape(text)
        out.append(f"<tspan {' '.join(attrs)}>{body}</tspan>" if attrs else body)
    return "".join(out)


class _Svg:
    """A laid-out drawing (`_Drawing.arrange`) as SVG: the TikZ picture's nodes, edges, labels and values at the
    same places, y upwards turned into SVG's y downwards. Static: the highlight is drawn, animation is not."""

    def __init__(self, drawing: _Drawing, scale: float = SVG_SCALE) -> None:
        self.d = drawing
        self.scale = scale
        self.items: list[str] = []
        boxes: list[Box] = []
        for node in [*drawing.nodes.values(), *drawing.bias_nodes.values()]:
            boxes.append((node.x - node.radius, node.y - node.radius, node.x + node.radius, node.y + node.radius))
        boxes += [v.box for v in drawing.value_items] + [drawing.target_box]
        for e in drawing.order:
            if id(e) in drawing.positions:
                r = drawing.label_box(e)
                dx, dy = abs(r.ux) * r.a + abs(r.uy) * r.b, abs(r.uy) * r.a + abs(r.ux) * r.b
                boxes.append((r.cx - dx, r.cy - dy, r.cx + dx, r.cy + dy))
        if drawing.group is not None:
            x0, y0, x1, y1 = drawing.group
            boxes.append((x0, y0, x1, y1 + 0.35))
        margin = 0.15
        self.x0 = min(b[0] for b in boxes) - margin
        self.y1 = max(b[3] for b in boxes) + margin
        self.width = max(b[2] for b in boxes) + margin - self.x0
        self.height = self.y1 - (min(b[1] for b in boxes) - margin)

    def X(self, x: float) -> str:
        return _f((x - self.x0) * self.scale)

    def Y(self, y: float) -> str:
        return _f((self.y1 - y) * self.scale)

    def px(self, cm: float) -> str:
        return _f(cm * self.scale)

    def text(self, x: float, y: float, tex: str, size_pt: float, colour: str, anchor: str = "middle",
             angle: float = 0.0, halo: bool = False) -> None:
        """A label whose baseline is at (x, y) (cm, y up); rotated by angle degrees (counter-clockwise)."""
        font = size_pt * PT * self.scale
        attrs = [f'x="{self.X(x)}"', f'y="{self.Y(y)}"', f'font-size="{_f(font)}"', f'fill="{_HEX[colour]}"']
        if anchor != "start":
            attrs.append(f'text-anchor="{anchor}"')
        if angle:
            attrs.append(f'transform="rotate({_f(-angle)} {self.X(x)} {self.Y(y)})"')
        if halo:  # a white outline under the text: the TikZ labels' white fill
            attrs.append('stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"')
        self.items.append(f"<text {' '.join(attrs)}>{svg_math(tex, font)}</text>")

    def arrow(self, p: Point, q: Point, colour: str, line_pt: float, length: float = 0.19, wide: float = 0.14,
              dashed: bool = False) -> None:
        """A line from p to q ending in a Stealth tip at q (cm)."""
        d = math.hypot(q[0] - p[0], q[1] - p[1]) or 1.0
        ux, uy = (q[0] - p[0]) / d, (q[1] - p[1]) / d
        base = (q[0] - ux * length, q[1] - uy * length)
        inset = (q[0] - ux * length * 0.7, q[1] - uy * length * 0.7)
        left = (base[0] - uy * wide / 2, base[1] + ux * wide / 2)
        right = (base[0] + uy * wide / 2, base[1] - ux * wide / 2)
        dash = f' stroke-dasharray="{self.px(0.1)} {self.px(0.06)}"' if dashed else ""
        self.items.append(f'<line x1="{self.X(p[0])}" y1="{self.Y(p[1])}" x2="{self.X(inset[0])}" '
                          f'y2="{self.Y(inset[1])}" stroke="{_HEX[colour]}" stroke-width="{self.px(line_pt * PT)}"'
                          f'{dash}/>')
        points = " ".join(f"{self.X(x)},{self.Y(y)}" for x, y in (q, left, inset, right))
        self.items.append(f'<polygon points="{points}" fill="{_HEX[colour]}"/>')

    def edges(self) -> None:
        d = self.d
        for e in d.order:
            p, q = d.border_points(e)
            if e.target == d.net.error:  # the error is a box: end on its border
                q = self.box_border(d.nodes[e.target], p)
            colour, line = ("black!70", 0.55)
            if d.is_hot(e):
                colour, line = HOT, 1.5
            elif d.is_faded(e):
                colour, line = FADED, 0.45
            if e.kind == "skip":
                self.bent(d.nodes[e.source], d.nodes[e.target], colour, line)
                continue
            self.arrow(p, q, colour, line)

    def bent(self, a: _Node, b: _Node, colour: str, line_pt: float) -> None:
        """A skip connection: a dashed quadratic curve from a's border to b's, leaving SKIP_BEND degrees above the
        straight line, outwards (as TikZ's bend left or right), ending in a Stealth tip."""
        c = _skip_control(a, b)

        def border(node: _Node, towards: Point) -> Point:
            k = math.hypot(towards[0] - node.x, towards[1] - node.y) or 1.0
            return node.x + node.radius * (towards[0] - node.x) / k, node.y + node.radius * (towards[1] - node.y) / k

        p, q = border(a, c), border(b, c)
        k = math.hypot(q[0] - c[0], q[1] - c[1]) or 1.0
        vx, vy = (q[0] - c[0]) / k, (q[1] - c[1]) / k
        length, wide = 0.19, 0.14
        inset = (q[0] - vx * length * 0.7, q[1] - vy * length * 0.7)
        base = (q[0] - vx * length, q[1] - vy * length)
        left = (base[0] - vy * wide / 2, base[1] + vx * wide / 2)
        right = (base[0] + vy * wide / 2, base[1] - vx * wide / 2)
        self.items.append(f'<path d="M {self.X(p[0])} {self.Y(p[1])} Q {self.X(c[0])} {self.Y(c[1])} '
                          f'{self.X(inset[0])} {self.Y(inset[1])}" fill="none" stroke="{_HEX[colour]}" '
                          f'stroke-width="{self.px(line_pt * PT)}" stroke-dasharray="{self.px(0.1)} {self.px(0.06)}"/>')
        points = " ".join(f"{self.X(x)},{self.Y(y)}" for x, y in (q, left, inset, right))
        self.items.append(f'<polygon points="{points}" fill="{_HEX[colour]}"/>')

    def labels(self) -> None:
        d = self.d
        for e in d.order:
            if id(e) not in d.positions:
                continue
            r = d.label_box(e)
            angle = math.degrees(math.atan2(r.uy, r.ux))
            if angle > 90.0:
                angle -= 180.0
            elif angle <= -90.0:
                angle += 180.0
            rad = math.radians(angle)  # the baseline a little under the centre, across the (upright) text
            drop = 0.3 * SCRIPT_PT * PT
            x, y = r.cx + drop * math.sin(rad), r.cy - drop * math.cos(rad)
            colour = HOT if d.is_hot(e) else FADED_TEXT if d.is_faded(e) else "black!85"
            self.backdrop(r)
            self.text(x, y, d.label_text(e), SCRIPT_PT, colour, angle=angle, halo=True)

    def backdrop(self, r: _Rect) -> None:
        """The white box under a label or value (TikZ: fill=white), where the layout reserved its place."""
        corners = [(r.cx + sa * r.a * r.ux - sb * r.b * r.uy, r.cy + sa * r.a * r.uy + sb * r.b * r.ux)
                   for sa, sb in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
        points = " ".join(f"{self.X(x)},{self.Y(y)}" for x, y in corners)
        self.items.append(f'<polygon points="{points}" fill="#fff"/>')

    def error_half(self) -> tuple[float, float]:
        """Half width and height of the error's box (TikZ: at least 8 mm, the name and 2 pt either side)."""
        name = self.d.notation.latex_names[self.d.net.error]
        return max(0.4, width_cm(name, SMALL_PT) / 2 + 2 * PT), 0.4

    def box_border(self, node: _Node, p: Point) -> Point:
        hw, hh = self.error_half()
        dx, dy = p[0] - node.x, p[1] - node.y
        t = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf)
        return node.x + dx * t, node.y + dy * t

    def nodes(self) -> None:
        d = self.d
        net = d.net
        hot_targets = {t for (_, t) in d.hot} if d.hot is not None else set()
        for ci, col in enumerate([net.inputs, *[layer.outs for layer in net.layers]]):
            for s in col:
                node = d.nodes[s]
                stroke, line, text = "black!75", 0.7, "black!85"
                if d.hot is not None and s in hot_targets:
                    stroke, line = HOT, 1.3
                elif d.hot is not None and not d.on_path(s):
                    stroke, text = FADED, FADED_TEXT
                fill = "#f0f0f0" if ci == 0 else "#fff"
                self.circle(node, fill, stroke, line)
                self.centred(node.x, node.y, d.neuron_latex(s), SMALL_PT, text)
        err = d.nodes[net.error]
        hw, hh = self.error_half()
        stroke, line = (HOT, 1.3) if d.hot is not None else ("black!75", 0.7)
        self.items.append(f'<rect x="{self.X(err.x - hw)}" y="{self.Y(err.y + hh)}" width="{self.px(2 * hw)}" '
                          f'height="{self.px(2 * hh)}" rx="{self.px(2 * PT)}" fill="#fff" stroke="{_HEX[stroke]}" '
                          f'stroke-width="{self.px(line * PT)}"/>')
        self.centred(err.x, err.y, d.notation.latex_names[net.error], SMALL_PT, "black!85")
        for li, node in d.bias_nodes.items():
            stroke, line, text = "black!60", 0.4, "black!85"
            if d.highlight is not None:
                if d.highlight in biases(net.layers[li - 1]):
                    stroke, line = HOT, 1.3
                else:
                    stroke, text = FADED, FADED_TEXT
            self.circle(node, "#fff", stroke, line, dashed=True)
            self.centred(node.x, node.y, d.bias_text(li), SMALL_PT, text)
        if d.group is not None:
            x0, y0, x1, y1 = d.group
            self.items.append(f'<rect x="{self.X(x0)}" y="{self.Y(y1)}" width="{self.px(x1 - x0)}" '
                              f'height="{self.px(y1 - y0)}" rx="{self.px(0.14)}" fill="none" stroke="#a6a6a6" '
                              f'stroke-width="{self.px(0.4 * PT)}" '
                              f'stroke-dasharray="{self.px(0.02)} {self.px(0.06)}"/>')
            self.text((x0 + x1) / 2, y1 + 0.1, r"\text{softmax}", SCRIPT_PT, "black!55")

    def circle(self, node: _Node, fill: str, stroke: str, line_pt: float, dashed: bool = False) -> None:
        dash = f' stroke-dasharray="{self.px(0.1)} {self.px(0.06)}"' if dashed else ""
        self.items.append(f'<circle cx="{self.X(node.x)}" cy="{self.Y(node.y)}" r="{self.px(node.radius)}" '
                          f'fill="{fill}" stroke="{_HEX.get(stroke, stroke)}" stroke-width="{self.px(line_pt * PT)}"'
                          f'{dash}/>')

    def centred(self, x: float, y: float, tex: str, size_pt: float, colour: str) -> None:
        self.text(x, y - 0.3 * size_pt * PT, tex, size_pt, colour)  # the baseline under the middle

    def values(self) -> None:
        for v in self.d.value_items:
            colour = FADED_TEXT if v.faded else VALUE
            # the box hangs from (x, y): its baseline above the bottom (south) or under the top (north)
            y = v.y + 0.09 if v.anchor == "south" else v.y - 0.25
            self.backdrop(_Rect.box(v.box))
            self.text(v.x, y, v.text, SCRIPT_PT, colour, halo=True)

    def targets(self) -> None:
        d = self.d
        _, y0, x1, y1 = d.target_box
        for k, row in enumerate(d.target_rows):
            self.text(x1, y1 - 0.36 * k - 0.27, row, SCRIPT_PT, "black!55", anchor="end")
        err = d.nodes[d.net.error]
        self.arrow((err.x, y0), (err.x, err.y + self.error_half()[1]), "black!35", 0.45, 0.15, 0.11, dashed=True)

    def render(self, title: str) -> str:
        self.edges()
        self.nodes()
        self.targets()
        self.labels()
        self.values()
        w, h = self.px(self.width), self.px(self.height)
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
                f'font-family="{SVG_FONT}" role="img">')
        caption = f"<title>{escape(title)}</title>" if title else ""
        background = f'<rect width="{w}" height="{h}" fill="#fff"/>'  # dark themes: the lines stay readable
        return "\n".join([head + caption, background, *self.items, "</svg>"]) + "\n"


def network_svg(network: Network, *, highlight: sp.Symbol | None = None,
                values: Mapping[sp.Symbol, str] | None = None, labels: bool | None = None, title: str = "") -> str:
    """The network as an SVG document: network_figure's picture (the same layout: node positions, labels and
    their places, values), drawn for a browser — for Markdown, where there is no TikZ. Labels are text, not
    paths: a reader can select and search them. title: the picture's accessible name (<title>)."""
    drawing = _Drawing(network, highlight, values or {}, False, labels)
    drawing.arrange()
    return _Svg(drawing).render(title)


def network_figure(network: Network, *, highlight: sp.Symbol | None = None,
                   values: Mapping[sp.Symbol, str] | None = None, animate: bool = False,
                   labels: bool | None = None, deltas: Mapping[sp.Symbol, str] | None = None) -> Figure:
    """The network as a tikzpicture, for slides and articles.

    highlight: a parameter whose paths to the error are drawn in red (the rest faded) — the edges the
    chain rule multiplies along for ∂E/∂p. values: symbol → LaTeX number string (already rounded),
    shown above inputs and neurons (keyed by their output symbols), under the error and a shared bias,
    beside parameter labels (w_{5}=0.4) and targets. animate: Beamer overlays (needs beamer), the forward
    pass column by column, then the backward pass from the error to the inputs; with highlight only the
    highlighted paths turn red. labels: weight labels on the edges; None = only for small networks (at
    most 24 labelled edges, 12 when they carry values); the highlighted parameter is labelled in any case.
    deltas (animated only): neuron output symbol → its δ = ∂E/∂net as printed, shown under the neuron from the
    step on which the backward pass reaches its layer.
    """
    drawing = _Drawing(network, highlight, values or {}, animate, labels, deltas)
    return Figure(drawing.draw(), drawing.steps)


def tikz_preamble(libraries: Iterable[str] = TIKZ_LIBRARIES) -> str:
    """What a standalone document needs before \\begin{document} (besides \\documentclass)."""
    return "\\usepackage{tikz}\n\\usetikzlibrary{" + ",".join(libraries) + "}\n"
