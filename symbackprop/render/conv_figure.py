"""Convolution and pooling drawn as a lecturer draws them on the board: the input row or grid with its values, the
kernel placed over the positions of one output (its weights coloured, k_m always in the same colour, so that the
sharing shows), the output it produces; a kernel weight's gradient as the input cells it multiplied; a pooling
window with its arg-max; and the convolution as a matrix product (the unfolded input X, net = X k + b, so that
∂E/∂k = Xᵀ δ) next to the scalar sums.

Every position, window, arg-max and number comes from the network objects (convolution.GridLayer's `reads`,
`locals`, shapes, stride and padding, and `windows` over the padded grid) and the lecture's Writer: the templates
only lay the pieces out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy as sp

from ..convolution import KINDS as GRID_KINDS
from ..convolution import GridLayer, windows
from ..network import Network
from ..styles import name_latex
from .equations import Writer
from .tex import Markdown, TeX

KERNEL_CELL = 0.95  # cm: a kernel weight's cell
MAX_PANELS = 4  # output positions drawn per layer (one Beamer overlay, or one article panel, each)
VALUES_UP_TO = 8  # cells per side with their names and values written in; a larger grid: cells only
MATRIX_UP_TO = 6  # positions and kernel entries up to which the matrix form X k is printed
TABLE_ROWS = 12  # Markdown: output positions in the sharing table
TABLE_COLUMNS = 25  # Markdown: inputs up to which the sharing table is given
TABLE_CHARS = 200  # Markdown: a table row longer than this (document.MARKDOWN_CHARS) is given transposed
# one colour per kernel weight, the same at every position (k_m's colour is PALETTE[m mod len])
PALETTE = ("red!75!black", "blue!75!black", "green!50!black", "orange!90!black", "violet!80!black",
           "cyan!55!black", "brown!85!black", "magenta!80!black", "olive!85!black", "teal!85!black")
HOT = "red!80!black"
OUT = "orange!40"


@dataclass(frozen=True)
class Panel:
    """One output position: its picture and its sum (or max/mean) in symbols with the value."""

    figure: TeX
    caption: TeX  # math
    position: int  # 1-based, in reading order over its channel's outputs
    argmax: TeX = TeX("")  # max-pooling: the window's first maximum (math)
    size: int = 0  # values the window reads (padding zeros left out)


@dataclass(frozen=True)
class GridPart:
    """What the lecture shows of one convolution or pooling layer."""

    index: int  # the layer's number (1-based)
    name: TeX  # the layer's name, as the lecture's LayerPart.name
    kind: str  # conv1d, conv2d, maxpool, avgpool
    panels: tuple[Panel, ...]
    total: int  # output positions of one channel
    weights: TeX = TeX("")  # conv: the kernel's weights, as math (k_1, k_2, k_3)
    matrix: TeX = TeX("")  # conv: net = X k + b, the unfolded input (math), or "" when too large
    gradient: TeX = TeX("")  # conv: ∂E/∂k = Xᵀ δ (math)
    table: tuple[tuple[Markdown, ...], ...] = ()  # Markdown: a header and a row per output (math cells)
    kernel_params: tuple[tuple[TeX, TeX], ...] = ()  # conv: each kernel weight (math) and its ∂E/∂k (math)
    names: dict[str, TeX] = field(default_factory=dict)  # the matrix form's letters, for the prose: X, j, X k + b

    @property
    def conv(self) -> bool:
        return self.kind.startswith("conv")


def drawn(layer: object) -> bool:
    """Is this layer drawn as a window sliding over one grid? A convolution over several input channels (its kernel
    a slice per channel) is not yet: the lecture draws it as the network's neurons and edges."""
    return isinstance(layer, GridLayer) and layer.kind in GRID_KINDS and (
        not layer.kind.startswith("conv") or layer.in_shape[0] == 1)


def grid_parts(net: Network, w: Writer) -> list[GridPart]:
    """Every convolution and pooling layer of the network drawn as a sliding window (see `drawn`), in order."""
    return [_part(layer, w) for layer in net.layers if isinstance(layer, GridLayer) and drawn(layer)]


def shown_positions(layer: GridLayer) -> list[int]:
    """The outputs drawn (indices into the layer's outputs): the first channel's, all up to MAX_PANELS, else in 1-D
    the first ones and the last, in 2-D the first two of the first two rows and the last (the kernel moving along a
    row, then down); while there is room, the first position of each further channel (its own kernel)."""
    size = layer.out_shape[1:]
    total = math.prod(size)
    if total <= MAX_PANELS:
        shown = list(range(total))
    elif len(size) == 1:
        shown = [*range(MAX_PANELS - 1), total - 1]
    else:
        cols = size[1]
        shown = sorted({0, min(1, cols - 1), cols if size[0] > 1 else 2, total - 1})
    channels = layer.out_shape[0]
    return shown + [c * total for c in range(1, channels)][:MAX_PANELS - len(shown)]


def touched(layer: GridLayer, param: sp.Symbol) -> list[tuple[int, int]]:
    """The (output index, input index) pairs where the kernel weight `param` multiplies an input: the terms of
    ∂E/∂param = Σ_j δ_j x_i."""
    per_channel = math.prod(layer.out_shape[1:])
    return [(j, i) for j, reads in enumerate(layer.reads) for i, m in reads
            if m is not None and layer.kernels[j // per_channel][m] == param]


def first_max(layer: GridLayer, j: int, w: Writer) -> int | None:
    """The input index a max-pool output j routes its δ to: where the layer's own ∂max/∂v (FirstMax) is 1 with the
    forward pass's values (the first maximum in reading order); None without numbers."""
    values = w.true
    for (i, _), local in zip(layer.reads[j], layer.locals[j], strict=True):
        v = local.subs(values)
        if not v.is_number:
            return None
        if v == 1:
            return i
    return None


def kernel_figure(layer: GridLayer, param: sp.Symbol, w: Writer) -> TeX:
    """The gradient of one kernel weight drawn: the input cells it multiplied (in its colour), each joined to the
    output whose δ multiplies it there, the δ's written in the outputs."""
    pairs = touched(layer, param)
    m = next(m for kernel in layer.kernels for m, k in enumerate(kernel) if k == param)
    colour = PALETTE[m % len(PALETTE)]
    d = _Grid(layer, w)
    vertical = layer.dims == 1
    lines = [d.start()]
    cells = {i for _, i in pairs}
    lines += d.inputs(0, 0, fills={i: f"{colour}!25" for i in cells}, borders={i: colour for i in cells},
                      values=True)
    ox, oy = d.output_origin(vertical)
    per_channel = math.prod(layer.out_shape[1:])
    channel = pairs[0][0] // per_channel if pairs else 0
    outs = {j for j, _ in pairs}
    lines += d.outputs(ox, oy, channel, fills={j: OUT for j in outs}, deltas=True)
    for j, i in pairs:
        a = d.in_centre(i)
        b = d.out_centre(j - channel * per_channel, ox, oy)
        if vertical:  # 1-D: an arrow from the input down to its output
            lines.append(rf"\draw[-{{Stealth[length=4pt]}},{colour},line width=0.9pt,opacity=0.75] "
                         rf"({_f(a[0])},{_f(a[1] - d.h / 2)}) -- ({_f(b[0])},{_f(b[1] + d.oh / 2)});")
        else:  # 2-D: arrows would cross the grid; the input and its output carry the same number
            tag = j - channel * per_channel + 1
            for (x, y), wide, high in ((a, d.w_, d.h), (b, d.ow, d.oh)):
                lines.append(rf"\node[circle,fill={colour},text=white,inner sep=0.6pt,font=\tiny\bfseries] at "
                             rf"({_f(x + wide / 2 - 0.13)},{_f(y + high / 2 - 0.13)}) {{{tag}}};")
    lines.append(r"\end{tikzpicture}")
    return TeX("\n".join(lines))


def _part(layer: GridLayer, w: Writer) -> GridPart:
    d = _Grid(layer, w)
    panels = []
    for j in shown_positions(layer):
        panels.append(_conv_panel(layer, j, d) if layer.kind.startswith("conv") else _pool_panel(layer, j, d))
    positions = math.prod(layer.out_shape[1:])  # per channel
    part = GridPart(layer.index, TeX(name_latex(layer.name)), layer.kind, tuple(panels), positions,
                    table=_table(layer, w))
    if not layer.kind.startswith("conv"):
        return part
    weights = TeX(r";\ ".join(_listed([w.sym(k) for k in kernel]) for kernel in layer.kernels))
    grads = tuple((TeX(w.sym(k)), TeX(rf"\partial {w.sym(w.net.error)} / \partial {w.sym(k)}"))
                  for k in dict.fromkeys(k for kernel in layer.kernels for k in kernel))
    biased = any(b is not None for b in layer.channel_bias)
    names = {"X": TeX("X"), "j": TeX("j"), "form": TeX(r"X\mathbf{k} + \mathbf{1}\,b" if biased else r"X\mathbf{k}")}
    return GridPart(part.index, part.name, part.kind, part.panels, part.total, weights,
                    *_matrix_form(layer, w), table=part.table, kernel_params=grads, names=names)


def _conv_panel(layer: GridLayer, j: int, d: _Grid) -> Panel:
    w = d.w
    reads = layer.reads[j]
    per_channel = math.prod(layer.out_shape[1:])
    channel = j // per_channel
    kernel = layer.kernels[channel]
    covered = d.window(j)  # every cell of the window, padding zeros too: (flat padded index, m)
    lines = [d.start()]
    fills = {}
    marks = {}
    for cell, m in covered:
        fills[cell] = f"{PALETTE[m % len(PALETTE)]}!22"
        marks[cell] = (TeX(w.sym(kernel[m])), PALETTE[m % len(PALETTE)])
    lines += d.inputs(0, 0, fills=fills, marks=marks, padded_keys=True, values=True)
    lines.append(d.window_border(covered))
    d.produces(lines, covered, j, channel)
    lines += _kernel_nodes(layer, w, channel, *d.kernel_origin())
    lines.append(r"\end{tikzpicture}")
    terms = [f"{w.sym(kernel[m])}{w.mul}{w.sym(layer.inputs[i])}" for i, m in reads if m is not None]
    if layer.biases[j] is not None:
        terms.append(w.sym(layer.biases[j]))
    caption = f"{w.sym(layer.nets[j])} = " + " + ".join(terms)
    if layer.nets[j] in w.plain:
        caption += f" = {w.plain[layer.nets[j]]}"
    return Panel(TeX("\n".join(lines)), TeX(caption), j % per_channel + 1, size=len(reads))


def _pool_panel(layer: GridLayer, j: int, d: _Grid) -> Panel:
    w = d.w
    reads = [i for i, _ in layer.reads[j]]
    per_in = math.prod(layer.in_shape[1:])
    per_channel = math.prod(layer.out_shape[1:])
    channel = j // per_channel
    best = first_max(layer, j, w) if layer.kind == "maxpool" else None
    lines = [d.start()]
    plane = [i - channel * per_in for i in reads]
    fills = {i: "black!10" for i in plane}
    borders: dict[int, str] = {}
    if best is not None:
        fills[best - channel * per_in] = f"{HOT}!25"
        borders[best - channel * per_in] = HOT
    lines += d.inputs(0, 0, fills=fills, borders=borders, values=True, channel=channel)
    lines.append(d.window_border([(d.padded(i), 0) for i in plane]))
    d.produces(lines, [(d.padded(i), 0) for i in plane], j, channel)
    lines.append(r"\end{tikzpicture}")
    names = [w.sym(layer.inputs[i]) for i in reads]
    if layer.kind == "maxpool":  # a line may break after a comma of a long window
        caption = rf"{w.sym(layer.nets[j])} = \max(" + r",\allowbreak ".join(names) + ")"
    else:
        caption = rf"{w.sym(layer.nets[j])} = \tfrac{{1}}{{{len(reads)}}}(" + " + ".join(names) + ")"
    if layer.nets[j] in w.plain:
        caption += f" = {w.plain[layer.nets[j]]}"
    argmax = TeX(w.sym(layer.inputs[best])) if best is not None else TeX("")
    return Panel(TeX("\n".join(lines)), TeX(caption), j % per_channel + 1, argmax, len(reads))


def _kernel_nodes(layer: GridLayer, w: Writer, channel: int, x0: float, y0: float) -> list[str]:
    """One channel's kernel, its first cell centred at (x0, y0): each weight in its colour, with its value."""
    cols = layer.kernel_shape[-1]
    out = []
    for m, k in enumerate(layer.kernels[channel]):
        r, c = divmod(m, cols)
        colour = PALETTE[m % len(PALETTE)]
        value = w.plain.get(k)
        text = rf"$\mathbf{{{w.sym(k)}}}$" + ("" if value is None else rf"\\${value}$")
        out.append(rf"\node[draw={colour},fill={colour}!22,line width=1pt,minimum width={_f(KERNEL_CELL)}cm,"
                   rf"minimum height={_f(KERNEL_CELL)}cm,align=center,inner sep=0pt,text={colour},font=\scriptsize] "
                   rf"at ({_f(x0 + c * KERNEL_CELL)},{_f(y0 - r * KERNEL_CELL)}) {{{text}}};")
    return out


def _matrix_form(layer: GridLayer, w: Writer) -> tuple[TeX, TeX]:
    """net = X k + b 1 with X the unfolded input (row j: the values under the kernel at position j, a padding zero
    as 0), and ∂E/∂k = Xᵀ δ; empty when X would be larger than MATRIX_UP_TO either way."""
    per_channel = math.prod(layer.out_shape[1:])
    entries = len(layer.kernels[0])
    if per_channel > MATRIX_UP_TO or entries > MATRIX_UP_TO:
        return TeX(""), TeX("")
    rows = []
    for j in range(per_channel):
        row = ["0"] * entries
        for i, m in layer.reads[j]:
            assert m is not None
            row[m] = w.sym(layer.inputs[i])
        rows.append(row)
    kernel = _bm([[w.sym(kernel[m]) for kernel in layer.kernels] for m in range(entries)])
    nets = _bm([[w.sym(layer.nets[c * per_channel + j]) for c in range(len(layer.kernels))]
                    for j in range(per_channel)])
    bias = ""
    if any(b is not None for b in layer.channel_bias):
        ones = _bm([["1"]] * per_channel)
        bias = f" + {ones}{_bm([['0' if b is None else w.sym(b) for b in layer.channel_bias]])}"
    x = _bm(rows)
    matrix = TeX(rf"{nets} = {x}{kernel}{bias}")
    deltas = _bm([[w.sym(_delta(w, layer.nets[c * per_channel + j])) for c in range(len(layer.kernels))]
                      for j in range(per_channel)])
    grads = _bm([[rf"\partial {w.sym(w.net.error)} / \partial {w.sym(kernel[m])}"
                      for kernel in layer.kernels] for m in range(entries)])
    return matrix, TeX(rf"{grads} = {_bm(_t(rows))}{deltas}")


def _listed(names: Sequence[str], most: int = 6) -> str:
    """Names as a list, a long one as its first two, …, its last."""
    shown = list(names) if len(names) <= most else [*names[:2], r"\ldots", names[-1]]
    return r",\ ".join(shown)


def _bm(rows: Sequence[Sequence[str]]) -> str:
    """A LaTeX matrix, a row a source line (Markdown keeps its lines short; TeX reads the line end as a space)."""
    return "\\begin{bmatrix}\n" + " \\\\\n".join(" & ".join(r) for r in rows) + "\n\\end{bmatrix}"


def _delta(w: Writer, net_symbol: sp.Symbol) -> sp.Symbol:
    return w.d.delta(net_symbol).delta


def _t(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    return [list(col) for col in zip(*rows, strict=True)]


def _table(layer: GridLayer, w: Writer) -> tuple[tuple[Markdown, ...], ...]:
    """Markdown: a row per output, a column per input (first channel's plane for a pool; transposed when a row would
    be too long a line); a cell is the kernel weight that multiplies that input there (conv), or marks the window
    (pool: the arg-max in bold). Empty when there are too many inputs."""
    per_in = math.prod(layer.in_shape[1:])
    if per_in > TABLE_COLUMNS:
        return ()
    head = (Markdown(" "), *(Markdown(f"${w.sym(x)}$") for x in layer.inputs[:per_in]))
    rows: list[tuple[Markdown, ...]] = [head]
    per_channel = math.prod(layer.out_shape[1:])
    for j in range(min(per_channel, TABLE_ROWS)):
        cells = [" "] * per_in
        if layer.kind.startswith("conv"):
            for i, m in layer.reads[j]:
                assert m is not None
                cells[i] = f"${w.sym(layer.kernels[0][m])}$"
        else:
            best = first_max(layer, j, w) if layer.kind == "maxpool" else None
            for i, _ in layer.reads[j]:
                cells[i] = "**max**" if i == best else "·"
        rows.append((Markdown(f"${w.sym(layer.nets[j])}$"), *map(Markdown, cells)))
    if max(sum(len(c) + 3 for c in row) + 1 for row in rows) > TABLE_CHARS:  # a column per output instead
        return tuple(zip(*rows, strict=True))
    return tuple(rows)


def _f(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".") if v != 0 else "0"


class _Grid:
    """Cell geometry of one layer's input and output grids (row by row, padding around the input)."""

    def __init__(self, layer: GridLayer, w: Writer) -> None:
        self.layer, self.w = layer, w
        self.in_size = layer.in_shape[1:] if layer.dims == 2 else (1, layer.in_shape[1])
        self.out_size = layer.out_shape[1:] if layer.dims == 2 else (1, layer.out_shape[1])
        self.pad = layer.padding
        big = max(self.in_size) > VALUES_UP_TO
        self.text = not big
        # cell width and height (cm): room for the longest value written in (scriptsize digits ~0.13 cm)
        longest_in = max((len(w.plain.get(s, "")) for s in layer.inputs), default=0)
        longest_out = max((len(w.plain.get(s, "")) for n in layer.nets for s in (n, _delta(w, n))), default=0)
        # a row (1-D) is short: drawn larger, in \small (digits ~0.17 cm), so that it fills a frame's width
        k = 1.3 if layer.dims == 1 else 1.0
        self.font = r"\small" if layer.dims == 1 else r"\scriptsize"
        least = 1.05 if layer.dims == 1 else 1.25  # a 2-D cell: its name and the k_m mark side by side
        self.w_ = k * max(least, 0.13 * longest_in + 0.3) if self.text else 0.3
        self.h = k * 0.85 if self.text else 0.3
        self.ow = k * max(1.05, 0.13 * longest_out + 0.3) if self.text else 0.3
        self.oh = self.h
        self.mark_font = r"\scriptsize" if layer.dims == 1 else r"\tiny"
        self.dims = layer.dims

    def start(self) -> str:
        return rf"\begin{{tikzpicture}}[font={self.font}]"

    @property
    def padded_size(self) -> tuple[int, int]:
        p = self.pad
        return (self.in_size[0] + 2 * p if self.dims == 2 else 1, self.in_size[1] + 2 * p)

    def padded(self, i: int) -> int:
        """An input's flat index in the padded grid."""
        r, c = divmod(i, self.in_size[1])
        p = self.pad
        cols = self.padded_size[1]
        return (r + (p if self.dims == 2 else 0)) * cols + c + p

    def window(self, j: int) -> list[tuple[int, int]]:
        """The padded cells of output j's window, with the kernel index over each (zeros of the padding too):
        convolution.windows over the padded grid, where every cell is inside."""
        layer = self.layer
        padded = tuple(n + 2 * self.pad for n in layer.in_shape[1:])
        _, cover = windows(padded, layer.kernel_shape, layer.stride, 0)
        return [(cell, m) for cell, m in cover[j % math.prod(layer.out_shape[1:])] if cell is not None]

    def cell_xy(self, cell: int) -> tuple[float, float]:
        _, cols = self.padded_size
        r, c = divmod(cell, cols)
        return c * self.w_, -r * self.h

    def in_centre(self, i: int) -> tuple[float, float]:
        return self.cell_xy(self.padded(i))

    def inputs(self, x0: float, y0: float, fills: dict[int, str] | None = None, borders: dict[int, str] | None = None,
               marks: dict[int, tuple[TeX, str]] | None = None, padded_keys: bool = False, values: bool = True,
               channel: int = 0) -> list[str]:
        """The input grid (with its padding zeros, dashed); fills/borders/marks keyed by input index (or by padded
        cell with padded_keys)."""
        w, layer = self.w, self.layer
        rows, cols = self.padded_size
        per_in = math.prod(layer.in_shape[1:])
        index = {self.padded(i): i for i in range(per_in)}
        fills, borders, marks = fills or {}, borders or {}, marks or {}
        out = []
        for cell in range(rows * cols):
            x, y = self.cell_xy(cell)
            i = index.get(cell)
            key = cell if padded_keys else i
            fill = fills.get(key, "white") if key is not None else "white"
            border = borders.get(key) if key is not None else None
            style = f"draw={border},line width=1.2pt" if border else "draw=black!45"
            if i is None:
                style += ",dashed"
            text = ""
            if self.text:
                if i is None:
                    text = "$0$"
                else:
                    s = layer.inputs[channel * per_in + i]
                    value = w.plain.get(s)
                    text = rf"$\scriptstyle {w.sym(s)}$"
                    if values and value is not None:
                        text += rf"\\${value}$"
            out.append(rf"\node[{style},fill={fill},minimum width={_f(self.w_)}cm,minimum height={_f(self.h)}cm,"
                       rf"inner sep=0pt,align=center] at ({_f(x0 + x)},{_f(y0 + y)}) {{{text}}};")
            mark = marks.get(key) if key is not None else None
            if mark is not None and self.text:
                label, colour = mark
                out.append(rf"\node[anchor=north east,inner sep=1pt,text={colour},font={self.mark_font}] at "
                           rf"({_f(x0 + x + self.w_ / 2)},{_f(y0 + y + self.h / 2)}) {{$\mathbf{{{label}}}$}};")
        return out

    def window_border(self, covered: Sequence[tuple[int, int]]) -> str:
        xs = [self.cell_xy(c) for c, _ in covered]
        left = min(x for x, _ in xs) - self.w_ / 2
        right = max(x for x, _ in xs) + self.w_ / 2
        top = max(y for _, y in xs) + self.h / 2
        bottom = min(y for _, y in xs) - self.h / 2
        return (rf"\draw[{HOT},line width=1.6pt,rounded corners=1pt] ({_f(left - 0.04)},{_f(bottom - 0.04)}) "
                rf"rectangle ({_f(right + 0.04)},{_f(top + 0.04)});")

    def produces(self, lines: list[str], covered: Sequence[tuple[int, int]], j: int, channel: int) -> None:
        """Add the output grid with output j marked, and an arrow from the window to it. 1-D: the outputs below the
        inputs, the arrow from the window's bottom. 2-D: the outputs beside them, the arrow drawn first (behind
        the opaque cells, so that it hides no number: it shows from the grid's edge on) to the cell's left side,
        or, for a cell right of another, curving onto its top (first row) or bottom (last row)."""
        below = self.dims == 1
        ox, oy = self.output_origin(below)
        per_channel = math.prod(self.layer.out_shape[1:])
        lines += self.outputs(ox, oy, channel, fills={j: OUT}, bold={j})
        xs = [self.cell_xy(c) for c, _ in covered]
        local = j - channel * per_channel
        bx, by = self.out_centre(local, ox, oy)
        arrow = rf"\draw[-{{Stealth[length=5pt]}},{HOT},line width=1pt]"
        if below:
            a = ((max(x for x, _ in xs) + min(x for x, _ in xs)) / 2, min(y for _, y in xs) - self.h / 2 - 0.08)
            lines.append(rf"{arrow} ({_f(a[0])},{_f(a[1])}) -- ({_f(bx)},{_f(by + self.oh / 2 + 0.05)});")
            return
        a = (max(x for x, _ in xs), (max(y for _, y in xs) + min(y for _, y in xs)) / 2)
        r, c = divmod(local, self.out_size[1])
        if c > 0 and r == 0:
            path = rf"to[out=20,in=90] ({_f(bx)},{_f(by + self.oh / 2 + 0.05)})"
        elif c > 0 and r == self.out_size[0] - 1:
            path = rf"to[out=-20,in=-90] ({_f(bx)},{_f(by - self.oh / 2 - 0.05)})"
        else:
            path = rf"-- ({_f(bx - self.ow / 2 - 0.05)},{_f(by)})"
        lines.insert(1, rf"{arrow} ({_f(a[0])},{_f(a[1])}) {path};")

    def kernel_origin(self) -> tuple[float, float]:
        """Where a panel draws the kernel: right of the output row (1-D) or grid (2-D, centred on it), clear of
        the arrows, which reach an output from the left, above or below."""
        ox, oy = self.output_origin(self.dims == 1)
        orows, ocols = self.out_size
        k_rows = self.layer.kernel_shape[0] if self.dims == 2 else 1
        x = ox + (ocols - 0.5) * self.ow + 0.8 + KERNEL_CELL / 2
        return x, oy - (orows - 1) * self.oh / 2 + (k_rows - 1) * KERNEL_CELL / 2

    def output_origin(self, below: bool) -> tuple[float, float]:
        """Where the output grid's first cell goes: right of the input grid (centred on it), or below it."""
        rows, cols = self.padded_size
        orows, ocols = self.out_size
        if below:
            width_in = (cols - 1) * self.w_
            width_out = (ocols - 1) * self.ow
            return (width_in - width_out) / 2, -(rows - 1) * self.h - self.h - 0.9
        height_in = (rows - 1) * self.h
        height_out = (orows - 1) * self.oh
        return (cols - 1) * self.w_ + self.w_ / 2 + 1.3 + self.ow / 2, -(height_in - height_out) / 2

    def out_centre(self, j: int, ox: float, oy: float) -> tuple[float, float]:
        r, c = divmod(j, self.out_size[1])
        return ox + c * self.ow, oy - r * self.oh

    def outputs(self, ox: float, oy: float, channel: int, fills: dict[int, str] | None = None,
                bold: set[int] | None = None, deltas: bool = False) -> list[str]:
        """The output grid of one channel: names and values (or δ's); fills/bold keyed by output index."""
        layer, w = self.layer, self.w
        per_channel = math.prod(layer.out_shape[1:])
        fills, bold = fills or {}, bold or set()
        out = []
        for r in range(per_channel):
            j = channel * per_channel + r
            x, y = self.out_centre(r, ox, oy)
            style = f"draw={HOT},line width=1.2pt" if j in bold else "draw=black!45"
            text = ""
            if self.text:
                shown = _delta(w, layer.nets[j]) if deltas else layer.nets[j]
                value = w.plain.get(shown)
                name = w.sym(shown) if deltas else w.sym(layer.nets[j])
                text = rf"$\scriptstyle {name}$"
                if value is not None:
                    text += rf"\\${value}$"
            out.append(rf"\node[{style},fill={fills.get(j, 'white')},minimum width={_f(self.ow)}cm,"
                       rf"minimum height={_f(self.oh)}cm,inner sep=0pt,align=center] at ({_f(x)},{_f(y)}) {{{text}}};")
        return out
