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

import sympy as sp

from ..network import Kind, Network
from ..notation import Notation, name_latex

TIKZ_LIBRARIES: tuple[str, ...] = ("arrows.meta",)
"""The TikZ libraries the picture uses: the template puts \\usetikzlibrary{...} of these in the preamble."""

AUTO_LABEL_EDGES = 24  # labels=None: weight labels on up to this many parameter edges

HOT = "red!80!black"  # the highlight colour
FADED = "black!22"
FADED_TEXT = "black!40"
VALUE = "blue!55!black"
FILL = "orange!35"  # a neuron whose forward value is known (animation)

# font sizes assumed when estimating label widths: Beamer's 11pt \scriptsize and \small (an article's are smaller)
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
    kind: str  # "weight", "bias", "loss" (output → error) or "target" (target → error)
    layer: int  # the layer the edge enters (1..L), L + 1 for the error

    @property
    def key(self) -> EdgeKey:
        return (self.source, self.target)


def network_edges(network: Network) -> list[Edge]:
    """Every arrow of the drawing, in drawing order (layer by layer, then into the error)."""
    edges: list[Edge] = []
    for layer in network.layers:
        for r, out in enumerate(layer.outs):
            for c, src in enumerate(layer.inputs):
                edges.append(Edge(src, out, layer.weights[r][c], "weight", layer.index))
            b = layer.biases[r]
            if b is not None:
                edges.append(Edge(b, out, b, "bias", layer.index))
    last = len(network.layers) + 1
    edges += [Edge(o, network.error, None, "loss", last) for o in network.outputs]
    edges += [Edge(t, network.error, None, "target", last) for t in network.targets]
    return edges


def downstream(network: Network, start: sp.Symbol) -> set[sp.Symbol]:
    """Every quantity that depends on `start` (through network.children), start excluded."""
    seen: set[sp.Symbol] = set()
    todo = list(network.children.get(start, ()))
    while todo:
        s = todo.pop()
        if s not in seen:
            seen.add(s)
            todo.extend(network.children.get(s, ()))
    return seen


def highlighted_edges(network: Network, param: sp.Symbol) -> set[EdgeKey]:
    """The edges of every path from `param` to the error: the edges carrying it, then all edges downstream.

    Reachability comes from the graph, so a neuron that does not depend on the parameter keeps its edges
    faded even in a later layer; under softmax every output depends on every output net input, so all
    output → error edges are on a path.
    """
    if param not in network.params:
        raise ValueError(f"{param} is not a parameter of the network; parameters: "
                         f"{', '.join(str(p) for p in network.params)}")
    reach = downstream(network, param)
    hot: set[EdgeKey] = set()
    for e in network_edges(network):
        if e.param == param or (e.kind in ("weight", "loss") and e.source in reach):
            hot.add(e.key)
    return hot


# --- geometry ------------------------------------------------------------------------------------

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in cm


def tex_width(latex: str, size_pt: float) -> float:
    """A rough width in cm of a short math string (enough to keep labels apart; errs on the wide side)."""
    width = 0.0
    scale = [1.0]
    i = 0
    pending_script = False
    while i < len(latex):
        ch = latex[i]
        s = scale[-1] * (0.72 if pending_script else 1.0)
        if ch in "_^":
            pending_script = True
            i += 1
            continue
        if ch == "{":
            scale.append(s)
            pending_script = False
            i += 1
            continue
        if ch == "}":
            if len(scale) > 1:
                scale.pop()
            i += 1
            continue
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+)", latex[i:])
            word = m.group(1) if m else latex[i + 1:i + 2]
            i += 1 + len(word)
            if word in ("mathit", "mathrm", "text", "mathbf", "mathsf", "operatorname"):
                continue  # the argument's letters are counted
            width += s * (0.78 if word in ("cdot", "times") else 0.6)
            pending_script = False
            continue
        if ch.isdigit() or ch.islower():
            em = 0.52
        elif ch.isupper():
            em = 0.75
        elif ch in "=":
            em = 1.34
        elif ch in "+-":
            em = 1.2 if width > 0 else 0.78
        elif ch in ".,":
            em = 0.3
        elif ch in "()[]":
            em = 0.4
        elif ch == " ":
            em = 0.0
        else:
            em = 0.6
        width += s * em
        pending_script = False
        i += 1
    return width * size_pt * PT * 1.08


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _segment_hits(p: tuple[float, float], q: tuple[float, float], box: Box) -> bool:
    """Liang–Barsky: does the segment pq pass through the box?"""
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for pk, qk in ((-dx, p[0] - box[0]), (dx, box[2] - p[0]), (-dy, p[1] - box[1]), (dy, box[3] - p[1])):
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


@dataclass
class _Node:
    name: str  # TikZ node name (generated, never from the spec)
    x: float
    y: float
    radius: float


# --- the drawing ---------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[$%#&~\n\r]|\\(?:def|let|write|input|include|immediate|catcode|openout|read)")


def _check_value(text: str) -> str:
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
                 animate: bool, labels: bool | None) -> None:
        self.net = network
        self.notation = Notation(network)
        self.values = {s: _check_value(v) for s, v in values.items()}
        self.animate = animate
        self.highlight = highlight
        self.hot = highlighted_edges(network, highlight) if highlight is not None else None
        self.edges = network_edges(network)
        param_edges = [e for e in self.edges if e.kind in ("weight", "bias")]
        self.labels = labels if labels is not None else len(param_edges) <= AUTO_LABEL_EDGES
        self.n_layers = len(network.layers)
        self.steps = 2 * self.n_layers + 3 if animate else 0
        self.lines: list[str] = []
        self.nodes: dict[sp.Symbol, _Node] = {}  # inputs, neuron outputs, the error
        self.bias_nodes: dict[int, _Node] = {}  # by layer index
        self.bias_shared: dict[int, sp.Symbol | None] = {}  # the layer's one bias parameter, drawn on the node
        self.obstacles: list[Box] = []
        self.segments: list[tuple[Edge, tuple[float, float], tuple[float, float]]] = []

    # -- names and labels

    def neuron_latex(self, s: sp.Symbol) -> str:
        """The label inside a neuron: the notation's symbol for its output (the neuron's name in net/out style,
        where out_{h1} would not fit in a circle)."""
        q = self.net.quantity(s)
        if q.kind is Kind.OUT and self.notation.style == "net_out":
            return name_latex(q.neuron or q.name)
        return self.notation.latex_names[s]

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
        self.dy = dy = min(1.8, max(1.05, 5.4 / widest))
        self.dx = dx = min(3.1, max(1.9, 9.0 / (self.n_layers + 1)))
        if self.labels and self.values:
            self.dx = dx = max(dx, 2.5)
        self.dx_error = min(dx, 2.2)
        for ci, col in enumerate(columns):
            for i, s in enumerate(col):
                text = self.neuron_latex(s)
                radius = max(0.4, tex_width(text, SMALL_PT) / 2 + 0.1)
                kind = "I" if ci == 0 else "L"
                name = f"sbp{kind}{ci}n{i}"
                self.nodes[s] = _Node(name, ci * dx, ((len(col) - 1) / 2 - i) * dy, radius)
        x_error = self.n_layers * dx + self.dx_error
        self.nodes[net.error] = _Node("sbpE", x_error, 0.0,
                                      max(0.42, tex_width(self.notation.latex_names[net.error], SMALL_PT) / 2 + 0.15))
        bottom = -(widest - 1) / 2 * dy - max(1.15, 0.85 * dy)
        for layer in net.layers:
            present = [b for b in layer.biases if b is not None]
            if not present:
                continue
            shared = present[0] if len(set(present)) == 1 and len(present) == len(layer.biases) else None
            self.bias_shared[layer.index] = shared
            text = self.notation.latex_names[shared] if shared is not None else "1"
            radius = max(0.3, tex_width(text, SMALL_PT) / 2 + 0.1)
            self.bias_nodes[layer.index] = _Node(f"sbpB{layer.index}", (layer.index - 1) * dx, bottom, radius)
        for node in [*self.nodes.values(), *self.bias_nodes.values()]:
            r = node.radius + 0.12  # a label touching a node reads as the node's
            self.obstacles.append((node.x - r, node.y - r, node.x + r, node.y + r))

    def end_node(self, e: Edge, end: str) -> _Node:
        s = e.source if end == "source" else e.target
        if end == "source" and e.kind == "bias":
            return self.bias_nodes[e.layer]
        if end == "source" and e.kind == "target":
            return self.target_node
        return self.nodes[s]

    def border_points(self, e: Edge) -> tuple[tuple[float, float], tuple[float, float]]:
        a, b = self.end_node(e, "source"), self.end_node(e, "target")
        length = math.hypot(b.x - a.x, b.y - a.y) or 1.0
        ux, uy = (b.x - a.x) / length, (b.y - a.y) / length
        return (a.x + a.radius * ux, a.y + a.radius * uy), (b.x - b.radius * ux, b.y - b.radius * uy)

    # -- emitting

    def emit(self, line: str) -> None:
        self.lines.append(line)

    def value_of(self, s: sp.Symbol) -> str | None:
        return self.values.get(s)

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
            f"sbp node faded/.style={{draw={FADED},text={FADED_TEXT}}}",
            "sbp wlabel/.style={fill=white,inner sep=1pt,font=\\scriptsize,text=black!85}",
            f"sbp label hot/.style={{text={HOT}}}",
            f"sbp label faded/.style={{text={FADED_TEXT}}}",
            f"sbp value/.style={{fill=white,inner sep=1pt,font=\\scriptsize,text={VALUE}}}",
            "sbp target/.style={inner sep=1pt,font=\\scriptsize,text=black!55,align=center}",
            "sbp target edge/.style={draw=black!35,densely dashed,line width=0.45pt,"
            "-{Stealth[length=1.5mm,width=1.1mm]}}",
            "sbp group/.style={draw=black!35,densely dotted,rounded corners=4pt}",
        ]
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

    def draw_nodes(self) -> None:
        net = self.net
        hot_targets = {t for (_, t) in self.hot} if self.hot is not None else set()
        hot_sources = {e.source for e in self.edges if self.highlight is not None and e.param == self.highlight}
        for ci, col in enumerate([net.inputs, *[layer.outs for layer in net.layers]]):
            for s in col:
                node = self.nodes[s]
                opts = ["sbp input" if ci == 0 else "sbp neuron"]
                if self.hot is not None:
                    if s in hot_targets:
                        opts.append("sbp node hot")
                    elif s not in hot_sources:
                        opts.append("sbp node faded")
                if self.animate:
                    opts.append(f"sbp fill {self.fwd_step(ci)}")
                self.emit(f"\\node[{','.join(opts)}] ({node.name}) at {_pt(node.x, node.y)} "
                          f"{{${self.neuron_latex(s)}$}};")
        err = self.nodes[net.error]
        opts = ["sbp error"]
        if self.hot is not None:
            opts.append("sbp node hot")
        if self.animate:
            opts.append(f"sbp fill {self.fwd_step(self.n_layers + 1)}")
        self.emit(f"\\node[{','.join(opts)}] ({err.name}) at {_pt(err.x, err.y)} "
                  f"{{${self.notation.latex_names[net.error]}$}};")
        for li, node in self.bias_nodes.items():
            shared = self.bias_shared[li]
            opts = ["sbp bias"]
            if self.highlight is not None:
                layer = net.layers[li - 1]
                opts.append("sbp node hot" if self.highlight in layer.biases else "sbp node faded")
            text = self.notation.latex_names[shared] if shared is not None else "1"
            self.emit(f"\\node[{','.join(opts)}] ({node.name}) at {_pt(node.x, node.y)} {{${text}$}};")
        # softmax couples the whole output layer: a dotted frame says so
        out_layer = net.layers[-1]
        if not out_layer.activation.elementwise:
            outs = [self.nodes[o] for o in out_layer.outs]
            r = max(n.radius for n in outs) + 0.15
            x = outs[0].x
            low = min(n.y for n in outs) - r
            top = max(n.y for n in outs) + r + (0.4 if any(o in self.values for o in out_layer.outs) else 0)
            self.emit(f"\\draw[sbp group] {_pt(x - r, low)} rectangle {_pt(x + r, top)};")
            self.emit(f"\\node[font=\\scriptsize,text=black!55,anchor=south] at {_pt(x, top)} "
                      f"{{$\\mathrm{{softmax}}$}};")
            self.obstacles.append((x - r, top, x + r, top + 0.35))

    def value_boxes(self) -> list[tuple[str, str, Box, int | None]]:
        """(TikZ position, text, box, overlay step) of every value shown beside a node."""
        out = []
        net = self.net
        h = 0.32
        for ci, col in enumerate([net.inputs, *[layer.outs for layer in net.layers]]):
            for s in col:
                v = self.value_of(s)
                if v is None:
                    continue
                node = self.nodes[s]
                w = tex_width(v, SCRIPT_PT) + 0.08
                step = self.fwd_step(ci) if self.animate else None
                if ci == 0:  # inputs: to the left, out of the way of the edges
                    x1 = node.x - node.radius - 0.04
                    box = (x1 - w, node.y - h / 2, x1, node.y + h / 2)
                    out.append((f"anchor=east] at {_pt(x1, node.y)}", v, box, step))
                else:  # above: edges from a bias node come in from below
                    y0 = node.y + node.radius + 0.03
                    box = (node.x - w / 2, y0, node.x + w / 2, y0 + h)
                    out.append((f"anchor=south] at {_pt(node.x, y0)}", v, box, step))
        v = self.value_of(net.error)
        if v is not None:
            node = self.nodes[net.error]
            w = tex_width(v, SCRIPT_PT) + 0.08
            y1 = node.y - node.radius - 0.03
            step = self.fwd_step(self.n_layers + 1) if self.animate else None
            out.append((f"anchor=north] at {_pt(node.x, y1)}", v, (node.x - w / 2, y1 - h, node.x + w / 2, y1),
                        step))
        for li, node in self.bias_nodes.items():
            shared = self.bias_shared[li]
            v = self.value_of(shared) if shared is not None else None
            if v is None:
                continue
            w = tex_width(v, SCRIPT_PT) + 0.08
            y1 = node.y - node.radius - 0.03
            out.append((f"anchor=north] at {_pt(node.x, y1)}", v,
                        (node.x - w / 2, y1 - h, node.x + w / 2, y1), None))
        return out

    def place_target_node(self) -> None:
        net = self.net
        err = self.nodes[net.error]
        rows = []
        for t in net.targets:
            v = self.value_of(t)
            name = self.notation.latex_names[t]
            rows.append(f"${name}={v}$" if v is not None else f"${name}$")
        self.target_text = "\\\\".join(rows)
        width = max(tex_width(r.strip("$"), SCRIPT_PT) for r in rows) + 0.1
        height = 0.36 * len(rows)
        y = err.y + err.radius + 0.45 + height / 2
        self.target_node = _Node("sbpT", err.x, y, height / 2)
        self.target_box = (err.x - width / 2, y - height / 2, err.x + width / 2, y + height / 2)
        self.obstacles.append(self.target_box)

    def label_text(self, e: Edge) -> str:
        assert e.param is not None
        name = self.notation.latex_names[e.param]
        v = self.value_of(e.param)
        return f"{name}={v}" if v is not None else name

    def place_labels(self, labelled: list[Edge]) -> dict[int, float]:
        """pos= of each labelled edge: near the source end where free, else further along, never on a node."""
        segs = {id(e): self.border_points(e) for e in self.edges}
        chosen: dict[int, float] = {}
        candidates = [round(0.2 + 0.04 * k, 2) for k in range(15)]  # 0.2 .. 0.76
        preferred = 0.3
        h = 0.34
        for e in labelled:
            p, q = segs[id(e)]
            w = tex_width(self.label_text(e), SCRIPT_PT) + 0.1
            best: tuple[float, float, Box] | None = None
            for pos in candidates:
                x, y = p[0] + pos * (q[0] - p[0]), p[1] + pos * (q[1] - p[1])
                box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
                cost = 60 * sum(_overlap(box, o) for o in self.obstacles)
                cost += 0.35 * sum(1 for other in self.edges
                                   if other is not e and _segment_hits(*segs[id(other)], box))
                cost += abs(pos - preferred)
                if best is None or cost < best[0]:
                    best = (cost, pos, box)
            assert best is not None
            chosen[id(e)] = best[1]
            self.obstacles.append(best[2])
        return chosen

    def draw_edges(self) -> None:
        net = self.net
        drawn = [e for e in self.edges if e.kind != "target"]
        labelled = [e for e in drawn if e.param is not None and not (e.kind == "bias" and self.bias_shared.get(e.layer))
                    and (self.labels or (self.highlight is not None and e.param == self.highlight))]
        # hot edges are drawn last, on top of the faded ones; labels placed in drawing order
        order = sorted(drawn, key=lambda e: self.is_hot(e))
        positions = self.place_labels([e for e in order if e in labelled])
        for e in order:
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
            self.emit(f"\\draw[{','.join(opts)}] ({a.name}) --{label} ({b.name});")
        # the targets enter the error quietly
        self.emit(f"\\node[sbp target] ({self.target_node.name}) at {_pt(self.target_node.x, self.target_node.y)} "
                  f"{{{self.target_text}}};")
        self.emit(f"\\draw[sbp target edge] ({self.target_node.name}) -- ({self.nodes[net.error].name});")

    def draw(self) -> str:
        self.layout()
        self.place_target_node()
        values = self.value_boxes()
        self.obstacles += [box for _, _, box, _ in values]
        self.emit("\\begin{tikzpicture}[\n  " + ",\n  ".join(self.styles()) + "]")
        self.draw_nodes()
        self.draw_edges()
        for where, text, _, step in values:
            opts = "sbp value" + (f",sbp show {step}" if step is not None else "")
            self.emit(f"\\node[{opts},{where} {{${text}$}};")
        self.emit("\\end{tikzpicture}")
        return "\n".join(self.lines) + "\n"


def network_figure(network: Network, *, highlight: sp.Symbol | None = None,
                   values: Mapping[sp.Symbol, str] | None = None, animate: bool = False,
                   labels: bool | None = None) -> Figure:
    """The network as a tikzpicture, for slides and articles.

    highlight: a parameter whose paths to the error are drawn in red (the rest faded) — the edges the
    chain rule multiplies along for ∂E/∂p. values: symbol → LaTeX number string, shown under neurons,
    left of inputs, under the error and beside parameter labels. animate: Beamer overlays, the forward
    pass column by column, then the backward pass from the error to the inputs (needs beamer; with
    highlight only the highlighted paths turn red). labels: weight labels on the edges; None = only for
    small networks (at most 24 parameter edges), the highlighted parameter is labelled in any case.
    """
    drawing = _Drawing(network, highlight, values or {}, animate, labels)
    return Figure(drawing.draw(), drawing.steps)


def tikz_preamble(libraries: Iterable[str] = TIKZ_LIBRARIES) -> str:
    """What a standalone document needs before \\begin{document} (besides \\documentclass)."""
    return "\\usepackage{tikz}\n\\usetikzlibrary{" + ",".join(libraries) + "}\n"
