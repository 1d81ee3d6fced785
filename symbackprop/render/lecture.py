"""A derivation arranged as a lecture: the data every format's template reads, in the seeds' order.

Title, network figure, initial parameters, forward pass layer by layer, the error, the chain rule for one
output weight, the δ of every neuron, the gradients (output layer first), the update (per parameter and as
matrices), the forward pass again with the new error, and optionally more iterations.
All mathematics comes from the derivation through `Writer`; this module only selects and lays out.

By default the lecture is the one a lecturer gives in a class: a few parameters (the first output-layer and
the first hidden-layer weight, or those named by `show`) are worked in full — chain rule, factors with numbers,
δ form, paths highlighted —, every neuron's δ is one short line of symbols, numbers and value, and one table
gives every parameter's gradient and update (a frozen parameter is a row marked frozen). With several
samples the first sample is worked in full and every other one is summed up by its values, its δ's and the
worked parameters' gradients. `full=True` gives the exhaustive lecture: every parameter on its own frames.

Every general statement must hold for the network at hand: the chain rule sums over every path (softmax
couples the outputs, a shared weight enters several neurons); with several samples E is the batch's error
(sum or mean of the samples' E^{(n)}), and the matrix form, the closing comparison and the summary say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from ..derive import Derivation, Factor, LayerMatrix, ParamDerivation
from ..errors import SpecError
from ..notation import name_latex
from ..numbers import Format
from ..train import train
from .equations import Equation, Step, Writer
from .figure import TIKZ_LIBRARIES, network_edges, network_figure
from .layout import Line, height, lines, width
from .tex import TeX

WIDTH = {"beamer": 30.0, "article": 42.0, "snippet": 28.0, "markdown": 60.0}  # em available to a display
# a figure per δ and gradient, its paths highlighted, while the drawing has at most this many weight and bias
# arrows (the seeds have 8 to 12); a larger network is a thicket in which no path can be followed, and
# hundreds of such pictures would make the document megabytes long: it keeps the overview figure only
ITEM_FIGURE_EDGES = 100
TALL = {"beamer": 9.0, "article": 30.0, "snippet": 1e9, "markdown": 1e9}  # lines a display may take on one page


@dataclass(frozen=True)
class Display:
    """One equation laid out as aligned lines."""

    lines: tuple[Line, ...]
    note: str = ""
    frozen: bool = False
    condition: str = ""


@dataclass(frozen=True)
class Item:
    """A titled piece of the derivation: one neuron's δ, one parameter's gradient or update."""

    symbol: TeX  # the quantity, as math
    display: Display
    figure: TeX | None = None
    paths: int = 0
    long: bool = False  # the path sum was left out (more than max_paths paths)
    where: tuple[Display, ...] = ()
    parts: tuple[Display, ...] = ()  # the path sum and the δ form apart, when together they are too tall


@dataclass(frozen=True)
class LayerPart:
    label: str  # language key: layer_hidden or layer_output
    name: TeX
    items: tuple[Any, ...]


@dataclass(frozen=True)
class SamplePart:
    index: int
    forward: tuple[LayerPart, ...]
    loss: Display
    chain: Item | None  # the general chain rule for one output weight, factor by factor
    deltas: tuple[LayerPart, ...]
    gradients: tuple[LayerPart, ...]  # output layer first
    delta_def: TeX = TeX(r"\delta = \partial E / \partial \mathit{net}")  # δ = ∂E/∂net (∂E^{(n)}/∂net per sample)
    error: TeX = TeX("E")  # this sample's error: E with one sample, E^{(n)} with several
    worked: bool = True  # worked step by step; False (compact lecture, a sample after the first): `values` instead
    values: Display | None = None  # not worked: every neuron's output, as printed (its forward pass in short)


@dataclass(frozen=True)
class AfterPart:
    """The forward pass with the updated parameters, for one sample."""

    index: int
    layers: tuple[LayerPart, ...]
    loss: Display
    values: Display | None = None  # every neuron's output and the sample's error, values only (compact, several)

    @property
    def displays(self) -> tuple[Display, ...]:
        """Every layer's outputs, in order (a compact lecture puts them on as few pages as they fit)."""
        return tuple(d for layer in self.layers for d in layer.items)


@dataclass(frozen=True)
class Row:
    """One parameter in the table of every gradient and update (compact lecture)."""

    symbol: TeX
    entry: TeX  # ∂E/∂p = Σ δ·∂net/∂p in symbols, then (one sample) its value or (symbolic) its closed form;
    # with several samples the symbols only, ∂E^{(n)}/∂p
    value: TeX  # the parameter's value ('—' without one)
    samples: tuple[TeX, ...]  # several samples: each sample's ∂E^{(n)}/∂p, as printed on its own
    gradient: TeX | None  # several samples: ∂E/∂p of the batch, as printed everywhere else
    updated: TeX  # p⁺ (the value itself, marked, when frozen; '—' without a value)
    frozen: bool


@dataclass(frozen=True)
class MatrixPart:
    name: TeX
    gradient: Display
    update: Display | None


@dataclass
class Lecture:
    title: str
    numeric: bool
    rounded: bool
    inputs: int
    layers: list[dict[str, Any]]
    loss: TeX
    frozen_any: bool
    eta: TeX | None
    figure: TeX
    animation: TeX | None
    animation_steps: int
    tikz_libraries: TeX
    init: list[tuple[str, list[tuple[TeX, TeX, bool]]]]
    samples: list[SamplePart]
    batch: list[Item]
    batch_mean: bool
    updates: list[Item]
    matrices: list[MatrixPart]
    after: list[AfterPart]  # one per sample
    after_loss: Display | None  # the error after the update: E of the batch (one sample: its error)
    loss_before: TeX | None  # E before and after the update, as printed (of the batch, with several samples)
    loss_after: TeX | None
    decreased: bool
    iterations: list[tuple[int, TeX]] = field(default_factory=list)
    batch_loss: Display | None = None  # several samples: E = Σ E^{(n)} or (1/N) Σ E^{(n)} before the update
    coupled: bool = False  # an activation couples its layer's outputs (softmax)
    error: TeX = TeX("E")  # the batch's error symbol
    sample_error: TeX = TeX("E")  # one sample's error, E^{(n)} with several samples
    full: bool = True  # every parameter on its own frames; False: the compact lecture (`shown` worked in full)
    shown: tuple[TeX, ...] = ()  # the parameters worked in full, as math
    table: list[Row] = field(default_factory=list)  # compact: every parameter's gradient and update
    table_heads: dict[str, TeX] = field(default_factory=dict)  # the table's column heads (math)

    def init_tables(self, rows: int) -> list[tuple[str, list[tuple[TeX, TeX, bool]]]]:
        """The initial values as tables of at most `rows` rows, in order: a long group (the weights of a large
        network) continues in the next table, so that templates can put a few tables side by side per line
        or slide instead of squeezing hundreds into one."""
        return [(key, group[k:k + rows]) for key, group in self.init for k in range(0, len(group), rows)]


def worked_params(d: Derivation, show: Sequence[str] | str | None = None) -> tuple[ParamDerivation, ...]:
    """The parameters a compact lecture works in full, in the lecture's order (output layer first).

    `show`: parameter names of the spec (a comma-separated string is split); by default the first output-layer
    weight and the first weight of the first hidden layer (not frozen ones, while there are others). An unknown
    name is a SpecError naming the option and the names there are."""
    last = len(d.network.layers)
    if show is None:
        chosen: list[ParamDerivation] = []
        for layer in dict.fromkeys((last, 1)):
            weights = [p for p in d.params if p.layer == layer and p.kind == "weight"]
            pick = next((p for p in weights if not p.frozen), weights[0] if weights else None)
            if pick is not None:
                chosen.append(pick)
    else:
        names = [n.strip() for n in (show.split(",") if isinstance(show, str) else show)]
        known = {p.name: p for p in d.params}
        expected = ", ".join(known)
        if not names or any(not n for n in names):
            raise SpecError(f"expected comma-separated parameter names (one of {expected})", key="--show")
        unknown = [n for n in names if n not in known]
        if unknown:
            listed = ", ".join(repr(n) for n in unknown)
            raise SpecError(f"unknown parameter{'s' if len(unknown) > 1 else ''} {listed}; expected names from "
                            f"{expected}", key="--show")
        chosen = [known[n] for n in dict.fromkeys(names)]
    order = {p.param: k for k, p in enumerate(d.params)}
    return tuple(sorted(chosen, key=lambda p: (-p.layer, order[p.param])))


class _Builder:
    def __init__(self, d: Derivation, fmt: str, form: Format | None, mul: str, rounded: bool,
                 iterations: int, figures: bool, full: bool = True,
                 shown: tuple[ParamDerivation, ...] = ()) -> None:
        self.d = d
        self.full = full
        self.shown = shown
        self.net = d.network
        self.fmt = fmt
        self.width = WIDTH[fmt]
        self.flavour = "latex"
        self.form = form
        self.mul = mul
        self.rounded = rounded
        self.iterations = iterations
        self.figures = figures and fmt in ("beamer", "article")
        arrows = sum(1 for e in network_edges(self.net) if e.kind in ("weight", "bias"))
        self.item_figures = self.figures and arrows <= ITEM_FIGURE_EDGES
        self.writers = [Writer(d, "latex", form, sample=i, mul=mul, rounded=rounded)
                        for i in range(len(self.net.samples))]
        self.w = self.writers[0]

    def display(self, eq: Equation, frozen: bool = False) -> Display:
        laid = [Line(TeX(x.lhs), TeX(x.rel), TeX(x.text), x.continued) for x in lines(eq, self.width)]
        return Display(tuple(laid), TeX(eq.note), frozen, TeX(eq.condition))

    def figure(self, highlight: sp.Symbol | None = None) -> TeX | None:
        if not self.figures or (highlight is not None and not self.item_figures):
            return None
        values = self.values() if highlight is None else None
        return TeX(network_figure(self.net, highlight=highlight, values=values).tikz)

    def values(self) -> dict[sp.Symbol, str]:
        """The numbers drawn in the overview figure: the first sample's; with several samples without the error,
        which is E^{(1)} there but would stand in the box labelled E, the batch's error."""
        if len(self.net.samples) == 1:
            return self.w.plain
        return {s: v for s, v in self.w.plain.items() if s != self.net.error}

    def layer_name(self, index: int) -> tuple[str, TeX]:
        layer = self.net.layers[index - 1]
        label = "layer_output" if index == len(self.net.layers) else "layer_hidden"
        return label, TeX(name_latex(layer.name))

    def sample(self, i: int) -> SamplePart:
        """One sample's forward pass, error, chain rule, δ's and gradients (every parameter's, or in a compact
        lecture the worked ones'); a compact lecture works the first sample only and sums up the others."""
        w = self.writers[i]
        net = self.net
        worked = self.full or i == 0
        forward = []
        for layer in net.layers if worked else ():
            eqs = [w.defined(s) for pair in zip(layer.nets, layer.outs, strict=True) for s in pair]
            forward.append(LayerPart(*self.layer_name(layer.index), tuple(self.display(e) for e in eqs)))
        loss = self.display(w.loss())
        deltas = []
        for layer in reversed(net.layers):
            items = tuple(Item(TeX(w.sym(t.delta)), self.display(w.delta(t, short=not self.full)))
                          for t in self.d.deltas if t.layer == layer.index)
            deltas.append(LayerPart(*self.layer_name(layer.index), items))
        weight = self.chain_weight()
        chain = self.chain(w, weight) if worked and weight is not None else None
        params = self.d.params if self.full else self.shown
        gradients = []
        for layer in reversed(net.layers):
            ps = [p for p in params if p.layer == layer.index]
            if not worked:  # the δ form with its numbers: the rest is as in the first sample
                items = tuple(Item(TeX(w.sym(p.param)), self.display(w.gradient(p, "delta"))) for p in ps)
            else:
                chained = not self.full and chain is not None
                items = tuple(self.gradient(w, p, chained=chained and p is weight) for p in ps)
            if items:
                gradients.append(LayerPart(*self.layer_name(layer.index), items))
        net_name = {"z_a": "z", "in_out": r"\mathit{In}"}.get(w.notation.style, r"\mathit{net}")
        delta_def = TeX(rf"\delta = \partial {w.sym(net.error)} / \partial {net_name}")
        values = None if worked else self.values_display(w, [s for layer in net.layers for s in layer.outs])
        return SamplePart(i, tuple(forward), loss, chain, tuple(deltas), tuple(gradients), delta_def,
                          TeX(w.sym(net.error)), worked, values)

    def values_display(self, w: Writer, symbols: Sequence[sp.Symbol]) -> Display:
        """Quantities by their printed values, one per line (a quantity without a value: its definition)."""
        eqs = [Equation(w.sym(s), (w.value_step(s),)) if s in w.plain else w.defined(s) for s in symbols]
        return self.displays(eqs)

    def gradient(self, w: Writer, p: ParamDerivation, chained: bool = False) -> Item:
        """A parameter's gradient: the path sum and the δ form, with numbers (split over several parts when tall).

        `chained`: the compact lecture's chain rule frame worked this weight's path sum factor by factor: when
        the whole would need several parts, the δ form alone (the value is the same)."""
        full = self.display(w.gradient(p))
        parts: tuple[Display, ...] = (full,)
        if chained and p.paths is not None and height(list(full.lines)) > TALL[self.fmt]:
            full = self.display(w.gradient(p, "delta"))
            return Item(TeX(w.sym(p.param)), full, self.figure(p.param), 0, False, (), (full,))
        if p.paths is not None and height(list(full.lines)) > TALL[self.fmt]:
            paths = w.gradient(p, "paths")
            symbolic, numeric = paths.steps[:2], paths.steps[2:]
            parts = tuple(self.display(Equation(paths.lhs, steps)) for steps in (symbolic, numeric) if steps)
            parts += (self.display(w.gradient(p, "delta")),)
        return Item(TeX(w.sym(p.param)), full, self.figure(p.param), p.path_count, p.paths is None, (), parts)

    def chain_weight(self) -> ParamDerivation | None:
        """The output-layer weight whose chain rule is worked factor by factor: the first one worked in full
        (a compact lecture), else the first one (seed 000's w5); None without one whose paths are written out."""
        last = len(self.net.layers)
        candidates = [p for p in self.d.params if p.layer == last and p.kind == "weight" and p.paths]
        if not self.full:
            candidates = [p for p in self.shown if any(p is c for c in candidates)] + candidates
        return candidates[0] if candidates else None

    def chain(self, w: Writer, p: ParamDerivation) -> Item | None:
        """The general chain rule, factor by factor, for an output-layer weight (`chain_weight`).

        It is the sum over every path from the error to the weight: one path through an elementwise
        activation, one through every output of a softmax (each output depends on every net input), one
        through every neuron a shared weight enters. `where` gives the factors grouped by their place in
        the path (the ∂E/∂out's, the ∂out/∂net's, the ∂net/∂w's), each factor once."""
        if p.paths is None:
            return None
        e = self.net.error
        general = Equation(w.partial(e, p.param), (w.path_sum(p.paths),))
        groups: list[list[Factor]] = []
        seen: set[tuple[sp.Symbol, sp.Symbol]] = set()
        for path in p.paths:
            for k, f in enumerate(path.factors):
                if k == len(groups):
                    groups.append([])
                if (f.of, f.wrt) not in seen:
                    seen.add((f.of, f.wrt))
                    groups[k].append(f)
        where = tuple(self.displays([w.factor(f) for f in group]) for group in groups)
        return Item(TeX(w.sym(p.param)), self.display(general), self.figure(p.param), len(p.paths), False, where)

    def displays(self, eqs: list[Equation]) -> Display:
        """Several equations as one aligned display."""
        laid = [Line(TeX(x.lhs), TeX(x.rel), TeX(x.text), x.continued) for eq in eqs for x in lines(eq, self.width)]
        return Display(tuple(laid))

    def build(self, title: str | None) -> Lecture:
        d, net, w = self.d, self.net, self.w
        several = len(net.samples) > 1
        samples = [self.sample(i) for i in range(len(net.samples))]
        batch = []
        batch_loss = None
        worked = d.params if self.full else self.shown
        if several:
            batch_loss = self.display(w.batch_loss(self.writers))
            batch = [Item(TeX(w.sym(p.param)), self.display(w.batch_gradient(p, self.writers))) for p in worked]
            for p in d.params:  # every batch gradient from the lecture's own writers (the updates use them)
                if p.param not in w.batch_gradients:
                    w.batch_gradient(p, self.writers)
        every = {p.param: w.update(p) for p in d.params}  # every update printed (the matrix form uses them)
        updates = [Item(TeX(w.sym(p.param)), self.display(every[p.param], p.frozen)) for p in worked]
        table = [] if self.full else self.table()
        after_parts: list[AfterPart] = []
        after_loss = None
        before_value = after_value = None
        before_text = after_text = ""
        if d.after is not None:
            after_writers = [w.after(sample=i) for i in range(len(net.samples))]
            for i, wa in enumerate(after_writers):
                layers = tuple(LayerPart(*self.layer_name(layer.index),
                                         tuple(self.display(wa.defined(s)) for s in layer.outs))
                               for layer in net.layers)
                values = None
                if several and not self.full:
                    values = self.values_display(wa, [s for layer in net.layers for s in layer.outs] + [net.error])
                after_parts.append(AfterPart(i, layers, self.display(wa.loss()), values))
            if several:  # the batch's error, from the samples' errors as printed
                after_loss = self.display(w.batch_loss(after_writers, after=True))
                before_value, after_value = w.batch_losses.get(False), w.batch_losses.get(True)
                before_text, after_text = w.value(before_value), w.value(after_value)
            else:
                after_loss = after_parts[0].loss
                before_value, after_value = w.shown.get(net.error), after_writers[0].shown.get(net.error)
                before_text, after_text = w.plain.get(net.error, ""), after_writers[0].plain.get(net.error, "")
        lr = net.values.get(net.learning_rate)
        iterations = []
        if self.iterations > 0 and net.is_numeric():
            losses = train(net, self.iterations).losses
            iterations = [(k, TeX(w.num(sp.Float(v, 17)))) for k, v in enumerate(losses)]
            # the errors before and after the first step are printed above: the same quantity, the same number
            # (exact there, where the double-precision training can round the last digit the other way)
            for k, text in enumerate((before_text, after_text)):
                if text and k < len(iterations):
                    iterations[k] = (k, TeX(text))
        animation, steps = None, 0
        if self.fmt == "beamer":
            anim = network_figure(net, values=self.values(), animate=True)
            animation, steps = TeX(anim.tikz), anim.steps
        return Lecture(
            title=title or net.spec.title or "",
            numeric=d.loss is not None,
            rounded=self.rounded,
            inputs=len(net.inputs),
            layers=[{"label": self.layer_name(layer.index)[0], "name": TeX(name_latex(layer.name)),
                     "summary": self.layer_name(layer.index)[0].replace("layer_", "") + "_summary",
                     "size": len(layer.neurons), "activation": _mathrm(layer.activation.name)}
                    for layer in net.layers],
            loss=_mathrm(net.loss_name),
            frozen_any=bool(net.frozen),
            eta=None if lr is None else TeX(rf"{w.sym(net.learning_rate)} = {w.value(lr)}"),
            figure=self.figure() or TeX(""),
            animation=animation,
            animation_steps=steps,
            tikz_libraries=TeX(",".join(TIKZ_LIBRARIES)),
            init=self.init(),
            samples=samples,
            batch=batch,
            batch_mean=net.spec.batch_loss == "mean",
            updates=updates,
            matrices=self.matrices(),
            after=after_parts,
            after_loss=after_loss,
            loss_before=None if before_value is None else TeX(before_text),  # as the error's display prints it
            loss_after=None if after_value is None else TeX(after_text),
            decreased=before_value is not None and after_value is not None and after_value < before_value,
            iterations=iterations,
            batch_loss=batch_loss,
            coupled=any(not layer.activation.elementwise for layer in net.layers),
            error=TeX(w.batch_sym()),
            sample_error=TeX(w.sample_sym()),
            full=self.full,
            shown=tuple(TeX(w.sym(p.param)) for p in self.shown),
            table=table,
            table_heads=self.table_heads(),
        )

    def table(self) -> list[Row]:
        """Every parameter (in the spec's order): its gradient in δ form, its value, the gradient (each sample's
        and the batch's) and the updated value, each number as printed everywhere else in the lecture."""
        d, w = self.d, self.w
        several = len(self.net.samples) > 1
        rows = []
        forms: list[TeX] = []
        long = False  # a closed form too wide for the table: the δ forms alone (the worked frames have the rest)
        for p in d.params:
            form = delta_form = w.plus([w.sym(u.delta) if u.local.expr == 1 else
                                        w.product([w.sym(u.delta), w.factor_expr(u.local.expr)]) for u in p.uses])
            gradient = w.batch_value(p)
            samples: tuple[TeX, ...] = ()
            if several:
                per = [x.gradient_value(p) for x in self.writers]
                samples = tuple(TeX(x.value(v)) for x, v in zip(self.writers, per, strict=True) if v is not None)
            elif gradient is not None:
                form += f" = {w.value(gradient)}"
            elif (closed := w.closed_form(p)) is not None and closed.steps[0].text != form:
                form += f" = {closed.steps[0].text}"
                long = long or width(form) > 0.8 * self.width
            updated = p.value if p.frozen else w.updates.get(p.param)
            rows.append(Row(
                symbol=TeX(w.sym(p.param)), entry=TeX(form),
                value=TeX(r"\text{---}") if p.value is None else TeX(w.plain.get(p.param, w.value(p.value))),
                samples=samples,
                gradient=None if gradient is None or not several else TeX(w.value(gradient)),
                updated=TeX(r"\text{---}") if updated is None else TeX(w.value(updated)),
                frozen=p.frozen))
            forms.append(TeX(delta_form))
        if long:
            rows = [replace(r, entry=f) for r, f in zip(rows, forms, strict=True)]
        return rows

    def table_heads(self) -> dict[str, TeX]:
        """Column heads of the table: ∂E/∂p (∂E^{(n)}/∂p per sample, with several), p⁺."""
        w, net = self.w, self.net
        p = "p"
        heads = {"form": rf"\partial {w.sample_sym()} / \partial {p}",
                 "gradient": rf"\partial {w.batch_sym()} / \partial {p}", "updated": rf"{p}^{{+}}", "param": p}
        for k in range(len(net.samples)) if len(net.samples) > 1 else ():
            heads[f"sample{k}"] = rf"\partial {w.sample_sym(str(k + 1))} / \partial {p}"
        return {k: TeX(v) for k, v in heads.items()}

    def init(self) -> list[tuple[str, list[tuple[TeX, TeX, bool]]]]:
        """The table of initial values: weights, biases, inputs, targets, learning rate (symbolic: '—')."""
        net, w = self.net, self.w
        groups: dict[str, list[tuple[TeX, TeX, bool]]] = {"weights": [], "biases": [], "inputs": [], "targets": [],
                                                           "learning_rate": []}

        def row(s: sp.Symbol) -> tuple[TeX, TeX, bool]:
            return TeX(w.sym(s)), TeX(w.numbers.get(s, r"\text{---}")), s in net.frozen

        for p in self.d.params:
            groups["biases" if p.kind == "bias" else "weights"].append(row(p.param))
        if len(net.samples) == 1:
            groups["inputs"] = [row(s) for s in net.inputs]
            groups["targets"] = [row(s) for s in net.targets]
        groups["learning_rate"] = [row(net.learning_rate)]
        return [(k, v) for k, v in groups.items() if v]

    def matrices(self) -> list[MatrixPart]:
        """∂E/∂W = δ aᵀ and W⁺ = W − η ∂E/∂W per layer, with numbers (one sample; several: the batch)."""
        if self.d.loss is None:
            return []
        return [part for m in self.d.matrices if (part := self.matrix(m)) is not None]

    def matrix(self, m: LayerMatrix) -> MatrixPart | None:
        w, net = self.w, self.net
        layer = net.layers[m.layer - 1]
        flat = [p for row in layer.weights for p in row]
        elsewhere = {p for other in net.layers if other is not layer for row in other.weights for p in row}
        if len(set(flat)) < len(flat) or elsewhere & set(flat):
            return None  # a shared weight (in this layer or another): the matrix entries are not its gradient
        sup = f"^{{({m.layer})}}"
        err, lr = w.batch_sym(), w.sym(net.learning_rate)
        dW = rf"\frac{{\partial {err}}}{{\partial W{sup}}}"
        deltas = [self.d.delta(n).delta for n in layer.nets]
        steps: list[Step] = []
        if len(net.samples) == 1:
            printed = {(r, c): w.shown[dl] * w.shown[a]
                       for r, dl in enumerate(deltas) for c, a in enumerate(layer.inputs)}
            # each entry is its weight's gradient as printed on its own slide (one quantity, one printed value)
            G = {(r, c): w.gradient_value(self.d.param(q.name)) for r, row in enumerate(layer.weights)
                 for c, q in enumerate(row)}
            if any(v is None for v in G.values()):
                return None
            honest = all(w.round(printed[k]) == w.round(G[k]) for k in G)
            a_t = rf"\left(\mathbf{{a}}^{{({m.layer - 1})}}\right)^{{\mathsf{{T}}}}"
            steps += [Step((rf"\boldsymbol{{\delta}}{sup} {a_t}",)),
                      Step((_mat([[w.numbers[dl]] for dl in deltas]) + _mat([[w.numbers[a] for a in layer.inputs]]),)),
                      Step((_mat([[w.num(G[r, c]) for c in range(len(layer.inputs))] for r in range(len(deltas))]),),
                           "=" if honest else r"\approx")]
        else:
            # E is the sum or the mean of the samples' errors E^{(n)}, δ_n = ∂E^{(n)}/∂z_n: so is ∂E/∂W
            n = len(net.samples)
            mean = net.spec.batch_loss == "mean"
            rows, cols = range(len(deltas)), range(len(layer.inputs))
            G = {(r, c): w.batch_gradients[layer.weights[r][c]] for r in rows for c in cols}
            per = [{(r, c): self.writers[k].gradient_value(self.d.param(layer.weights[r][c].name))
                    for r in rows for c in cols} for k in range(n)]
            scale = rf"\frac{{1}}{{{n}}} " if mean else ""
            outer = (rf"{scale}\sum_{{n=1}}^{{{n}}} \boldsymbol{{\delta}}{sup}_{{n}} "
                     rf"\left(\mathbf{{a}}^{{({m.layer - 1})}}_{{n}}\right)^{{\mathsf{{T}}}}")
            total = {k: sp.Add(*[w.round(g[k]) for g in per]) / (n if mean else 1) for k in G}
            honest = all(w.round(total[k]) == w.round(G[k]) for k in G)
            sums = " + ".join(_mat([[w.num(g[r, c]) for c in cols] for r in rows]) for g in per)
            steps += [Step((outer,)),
                      Step(((rf"\frac{{1}}{{{n}}}" + w.num_mul + rf"\left({sums}\right)") if mean else sums,)),
                      Step((_mat([[w.num(G[r, c]) for c in cols] for r in rows]),), "=" if honest else r"\approx")]
        update = None
        eta = w.shown.get(net.learning_rate)
        if eta is not None and not any(p in net.frozen for p in flat) and all(p in w.updates for p in flat):
            rows = range(len(layer.weights))
            cols = range(len(layer.inputs))
            printed_new = {(r, c): w.shown[layer.weights[r][c]] - eta * w.round(G[r, c]) for r in rows for c in cols}
            new = {k: w.updates[layer.weights[k[0]][k[1]]] for k in printed_new}
            honest = all(w.round(printed_new[k]) == w.round(new[k]) for k in new)
            update = Equation(rf"W{sup}_{{+}}", (
                Step((rf"W{sup} - {lr} {dW}",)),
                Step((_mat([[w.numbers[p] for p in row] for row in layer.weights]) + " - "
                      + w.numbers[net.learning_rate] + w.num_mul
                      + _mat([[w.num(G[r, c]) for c in cols] for r in rows]),)),
                Step((_mat([[w.num(new[r, c]) for c in cols] for r in rows]),), "=" if honest else r"\approx")))
        return MatrixPart(TeX(name_latex(layer.name)), self.display(Equation(dW, tuple(steps))),
                          None if update is None else self.display(update))


def _mathrm(name: str) -> TeX:
    """An activation or loss name (identifier letters and underscores) as upright math."""
    return TeX(r"\mathrm{" + name.replace("_", r"\_") + "}")


def _mat(rows: list[list[str]]) -> str:
    return r"\begin{bmatrix}" + r" \\ ".join(" & ".join(r) for r in rows) + r"\end{bmatrix}"


def lecture(d: Derivation, fmt: str = "beamer", form: Format | None = None, mul: str = "dot",
            rounded: bool = False, iterations: int = 0, figures: bool = True, title: str | None = None, *,
            full: bool = False, show: Sequence[str] | str | None = None) -> Lecture:
    """The lecture data for one format (the display width depends on it).

    `full`: every parameter worked on its own; otherwise the compact lecture, working the parameters `show`
    names (spec names; default: the first output-layer and the first hidden-layer weight)."""
    shown = worked_params(d, show)
    b = _Builder(d, fmt, form, mul, rounded, iterations, figures, full, shown)
    lec = b.build(title)
    return lec


