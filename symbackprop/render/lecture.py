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

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

import sympy as sp

from ..convolution import KINDS as GRID_KINDS
from ..convolution import GridLayer
from ..derive import Derivation, Factor, LayerMatrix, ParamDerivation, derive
from ..errors import SpecError
from ..layers import biases, grid
from ..network import Kind, Network
from ..styles import name_latex
from ..train import train
from .conv_figure import GridPart, drawn, grid_parts, kernel_figure
from .conventions import Conventions, UpdateWriter, _number, conventions
from .equations import Equation, Step, Writer, bmatrix
from .figure import TIKZ_LIBRARIES, network_edges, network_figure
from .formats import OutputFormat, RenderOptions, output_format
from .layout import Line, height, lines, width
from .tex import TeX

# a figure per δ and gradient, its paths highlighted, while the drawing has at most this many weight and bias
# arrows (the seeds have 8 to 12); a larger network is a thicket in which no path can be followed, and
# hundreds of such pictures would make the document megabytes long: it keeps the overview figure only
ITEM_FIGURE_EDGES = 100


@dataclass(frozen=True)
class _Laid:
    """Aligned lines as the templates print them."""

    lines: tuple[Line, ...]
    note: str = ""
    frozen: bool = False
    condition: str = ""

    @property
    def approx(self) -> bool:
        """Whether a line says ≈ (the templates explain ≈ where it first appears)."""
        return any(line.rel == r"\approx" or r"\approx" in line.text for line in self.lines)


@dataclass(frozen=True)
class Display(_Laid):
    """One equation laid out as aligned lines."""


@dataclass(frozen=True)
class Aside(_Laid):
    """Lines laid out as a Display, which are not a derivation of a quantity of the network: seed 000's per-weight
    expression (a true chain about another quantity) and the index form of a layer's gradients (a formula in
    index letters). The templates print it as a display; the answer checker, which reads every Display as a
    derivation of the quantity at its head, is not given it (tests/test_lecture_notation.py checks it)."""


@dataclass(frozen=True)
class Exercise:
    """Seed 002's class exercise: the same network once more, its parameters the updated ones rounded to
    EXERCISE_DECIMALS as a lecturer hands them out; the questions, and their answers worked by the same
    derivation (on a frame of their own at the end)."""

    network: Network  # the exercise's network (its answers are true of it, not of the lecture's)
    given: tuple[tuple[str, list[tuple[TeX, TeX, bool]]], ...]  # weights, biases: (symbol, value, frozen)
    questions: tuple[tuple[str, TeX], ...]  # (language key: what is asked, the quantity)
    answers: tuple[Display, ...]


EXERCISE_DECIMALS = 4  # seed 002 hands out 0.1744, 0.1694


@dataclass(frozen=True)
class Caption:
    """What one overlay of the animated frame shows: a language key, the layer it is about (its label key and
    name) and, going backward, the layer whose δ's it reaches."""

    key: str
    layer: str = ""
    name: TeX = TeX("")
    below: str = ""
    below_name: TeX = TeX("")


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
    intro: Display | None = None  # the δ frame of the first sigmoid layer, without a chain rule frame: σ' stated


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
    inputs: TeX = TeX("")  # the sample's data as inline math, x_{1} = 0.1,\ … (said where it is not worked)
    targets: TeX = TeX("")


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
    label: str = "layer_hidden"  # language key: layer_hidden or layer_output
    index: int = 1  # the layer's number l in W^{(l)}
    biases: Display | None = None  # the layer's trained biases updated too (a column, entry by entry)


@dataclass(frozen=True)
class PerWeight:
    """Seed 000's per-weight δ next to the gradient of a hidden weight (In/Out notation, which names a δ per weight):
    δ1 = (δ5 + δ6)·h1(1 − h1)·x1 with δ5 = ∂E/∂w5 is a per-weight quantity that drops the downstream weights."""

    param: TeX  # the hidden weight, w_1
    hidden: TeX  # its neuron's output, h_1
    named: TeX  # the notes' per-weight δ of the first downstream weight: δ_5 = ∂E/∂w_5
    slip_text: TeX  # the notes' expression in their own names: (δ_5 + δ_6)·h_1(1 − h_1)·x_1
    first: TeX  # ∂E/∂w_5 = δ_{o_1}·h_1: ends in the weight's input
    needs: TeX  # ∂In_{o_1}/∂h_1 = w_5: what the chain rule needs
    slip: Aside  # the per-weight expression in the network's quantities, with numbers
    truth: Display  # ∂E/∂w_1 in the same shape, with numbers
    slip_value: TeX
    truth_value: TeX
    weights: TeX  # w_5, w_6: the downstream weights it drops


@dataclass(frozen=True)
class IndexForm:
    """One layer's weight gradients as one formula in index letters (seed 001's ΔW¹ᵢⱼ = α(d − y)W²ⱼΦ′ⱼxᵢ), shown
    when every weight's closed form is the formula with its own indices."""

    layer: int
    name: TeX  # the layer's name
    label: str
    letters: tuple[tuple[str, int], ...]  # (letter, how many values it takes): ("i", 3), ("j", 3)
    params: tuple[tuple[str, dict[str, int]], ...]  # every weight (spec name) and its letters' values (1-based)
    display: Aside


@dataclass(frozen=True)
class TrainingSample:
    """One sample's forward pass, δ's and gradients before an update after the first (with the parameters the
    update before left)."""

    index: int  # 0-based
    forward: tuple[Item, ...]
    deltas: tuple[Item, ...]
    gradients: tuple[Item, ...]


@dataclass(frozen=True)
class TrainingLayer:
    """The update lines of one update (sequential: of one layer, the layers below the output with their δ's and
    gradients through the updated weights above)."""

    name: TeX | None  # the layer's name (sequential), else None: every parameter at once
    label: str = ""  # language key: layer_hidden or layer_output
    deltas: tuple[Item, ...] = ()
    gradients: tuple[Item, ...] = ()
    updates: tuple[Item, ...] = ()


@dataclass(frozen=True)
class TrainingUpdate:
    """One update of the first epoch, as [training] makes it (render/conventions.py)."""

    index: int  # 1, 2, ...
    which: str  # language key ([training] table): the samples it uses ("" with one sample)
    values: dict[str, TeX]  # that string's placeholders
    samples: tuple[TrainingSample, ...]  # empty for the first update (the lecture above worked its samples)
    layers: tuple[TrainingLayer, ...]
    pairs: tuple[tuple[TeX, TeX, TeX], ...]  # sequential: (the parameter, ∂E/∂w used, the true ∂E/∂w)
    loss_after: TeX  # E = value, the error over all samples after it (with λ/2 Σ w² when there is decay)


@dataclass(frozen=True)
class TrainingPart:
    """The first epoch's updates of a spec whose [training] is not plain full-batch gradient descent."""

    update: str  # batch, online, minibatch
    batch_size: TeX
    momentum: TeX | None  # μ = 0.9
    decay: TeX | None  # λ = 0.01
    sequential: bool
    rule: TeX  # w⁺ = w − η(∂E/∂w + λw) + μ Δw^prev, in general
    symbols: dict[str, TeX]  # the rule's parts, for the language strings: mu, lam, dw, lamw, penalty, wplus
    updates: tuple[TrainingUpdate, ...]
    gap: TeX | None  # sequential: the largest distance from the gradient step, and its update
    gap_update: int = 0
    loss_before: TeX | None = None  # with decay: E + λ/2 Σ w² before the first update


@dataclass
class Lecture:
    title: str
    numeric: bool
    rounded: bool
    inputs: int
    layers: list[dict[str, Any]]
    loss: str  # the loss's key in the language strings' [losses] table (its canonical name)
    frozen_any: bool
    eta: TeX | None
    figure: TeX
    animation: TeX | None
    animation_captions: list[Caption]  # one per overlay of the animation
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
    skips: bool = False  # a layer adds an earlier layer's outputs (a skip connection)
    per_neuron: bool = False  # a layer's neurons have their own activations
    missing: bool = False  # a weight matrix has an absent connection
    error: TeX = TeX("E")  # the batch's error symbol
    sample_error: TeX = TeX("E")  # one sample's error, E^{(n)} with several samples
    full: bool = True  # every parameter on its own frames; False: the compact lecture (`shown` worked in full)
    shown: tuple[TeX, ...] = ()  # the parameters worked in full, as math
    table: list[Row] = field(default_factory=list)  # compact: every parameter's gradient and update
    table_heads: dict[str, TeX] = field(default_factory=dict)  # the table's column heads (math)
    titles: dict[str, str] = field(default_factory=dict)  # the title per language ("zh", "en"), where there is one
    shape: str = ""  # the layer sizes, 2-2-2 (a generated title names them)
    per_weight: PerWeight | None = None
    forward_matrices: tuple[Display, ...] = ()  # seed 002: each layer's forward pass as row vector times matrix
    index_forms: tuple[IndexForm, ...] = ()
    layer_notation: dict[str, TeX] = field(default_factory=dict)  # W^{(l)}, a^{(l)}, δ^{(l)} (the matrix form)
    biased: bool = True  # the network has a bias (the summary's rule mentions what a bias multiplies)
    exercise: Exercise | None = None
    training: TrainingPart | None = None  # [training] not plain gradient descent: the first epoch's updates
    grids: list[GridPart] = field(default_factory=list)  # each convolution/pooling layer drawn (conv_figure.py)

    @property
    def animation_steps(self) -> int:
        return len(self.animation_captions)

    @property
    def approx_any(self) -> bool:
        """Whether any display says ≈ (the closing remark explains ≈ only then)."""
        return any(d.approx for d in laid(self))

    def heading(self, s: Any) -> str:
        """The title in the language of the strings `s`: the one given for it, else generated from the network."""
        return self.titles.get(s.lang) or s.generated_title.format(shape=self.shape, article=_article(self.shape))

    def init_tables(self, rows: int) -> list[tuple[str, list[tuple[TeX, TeX, bool]]]]:
        """The initial values as tables of at most `rows` rows, in order: a long group (the weights of a large
        network) continues in the next table, so that templates can put a few tables side by side per line
        or slide instead of squeezing hundreds into one."""
        return _chunks(self.init, rows)

    def exercise_tables(self, rows: int = 3) -> list[tuple[str, list[tuple[TeX, TeX, bool]]]]:
        """The exercise's parameters as tables like the initial values' (weights, then biases)."""
        return [] if self.exercise is None else _chunks(self.exercise.given, rows)


def _chunks(groups: Sequence[tuple[str, list[Any]]], rows: int) -> list[tuple[str, list[Any]]]:
    """Keyed groups cut into pieces of at most `rows`, each keeping its key, in order."""
    return [(key, group[k:k + rows]) for key, group in groups for k in range(0, len(group), rows)]


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
    def __init__(self, d: Derivation, fmt: OutputFormat, opts: RenderOptions,
                 shown: tuple[ParamDerivation, ...] = ()) -> None:
        self.d = d
        self.full = opts.full or fmt.exhaustive
        self.shown = shown
        self.net = d.network
        self.fmt = fmt
        self.width = fmt.width
        self.flavour = "latex"
        self.form = form = opts.form
        self.mul = mul = opts.mul
        self.rounded = rounded = opts.rounded
        self.iterations = opts.iterations
        self.figures = opts.figures and fmt.figures
        self.opts_figures = opts.figures  # Markdown draws a convolution as a table (conv_figure.GridPart.table)
        arrows = sum(1 for e in network_edges(self.net) if e.kind in ("weight", "bias"))
        self.item_figures = self.figures and arrows <= ITEM_FIGURE_EDGES
        self.writers = [Writer(d, "latex", form, sample=i, mul=mul, rounded=rounded)
                        for i in range(len(self.net.samples))]
        self.w = self.writers[0]
        self.indexed: set[str] = set()  # weights (spec names) whose gradient an index form gives

    def display(self, eq: Equation, frozen: bool = False) -> Display:
        laid = [Line(TeX(x.lhs), TeX(x.rel), TeX(x.text), x.continued) for x in lines(eq, self.width)]
        return Display(tuple(laid), TeX(eq.note), frozen, TeX(eq.condition))

    def figure(self, highlight: sp.Symbol | None = None) -> TeX | None:
        if not self.figures or (highlight is not None and not self.item_figures):
            return None
        if highlight is not None and (conv := self.kernel_layer(highlight)) is not None:
            return kernel_figure(conv, highlight, self.w)  # the input cells the kernel weight multiplied
        values = self.values() if highlight is None else None
        return TeX(network_figure(self.net, highlight=highlight, values=values).tikz)

    def kernel_layer(self, param: sp.Symbol) -> GridLayer | None:
        """The convolution layer whose kernel holds `param` (one sample: its figure shows that sample's values)."""
        if len(self.net.samples) != 1:
            return None
        return next((layer for layer in self.net.layers if isinstance(layer, GridLayer) and drawn(layer)
                     and sum(kernel.count(param) for kernel in layer.kernels) == 1), None)  # used once in one kernel

    def values(self) -> dict[sp.Symbol, str]:
        """The numbers drawn in the overview figure: the first sample's; with several samples without the error,
        which is E^{(1)} there but would stand in the box labelled E, the batch's error."""
        if len(self.net.samples) == 1:
            return self.w.plain
        return {s: v for s, v in self.w.plain.items() if s != self.net.error}

    def exercise(self) -> Exercise:
        """The exercise: every trained parameter at its updated value rounded to EXERCISE_DECIMALS; the questions
        of the lecture once more (the error, the worked parameters' gradients and updates, the new error)."""
        d, net = self.d, self.net
        if d.loss is None or d.after is None or len(net.samples) != 1:
            raise SpecError("an exercise needs one sample with numbers and a learning rate", key="--exercise")
        values = {p.param: sp.Rational(round(float(p.updated), EXERCISE_DECIMALS)).limit_denominator(10 ** 8)
                  for p in d.params if not p.frozen and p.updated is not None}
        network = net.with_values(values)
        dx = derive(network, max_paths=0)
        w = Writer(dx, "latex", self.form, mul=self.mul, rounded=self.rounded)
        wa = w.after(sample=0)
        asked = [dx.param(p.name) for p in self.shown]
        e = net.error
        given = tuple((key, [(TeX(w.sym(p.param)), TeX(w.plain.get(p.param) or w.value(p.value)), p.frozen)
                             for p in dx.params if (p.kind == "bias") == (key == "biases")])
                      for key in ("weights", "biases"))
        given = tuple((key, rows) for key, rows in given if rows)
        questions = (("exercise_error", TeX(w.sym(e))),
                     *(("exercise_gradient", TeX(w.partial(e, p.param))) for p in asked),
                     *(("exercise_update", TeX(f"{{{w.sym(p.param)}}}^{{+}}")) for p in asked if not p.frozen),
                     ("exercise_after", TeX(w.sym(e))))
        answers = (self.display(w.loss()), *(self.display(w.gradient(p, "delta")) for p in asked),
                   *(self.display(w.update(p)) for p in asked if not p.frozen), self.display(wa.loss()))
        return Exercise(network, given, questions, answers)

    def captions(self) -> list[Caption]:
        """The animation's overlays in words (figure.py's order): the inputs, each layer forward, the error, the
        output layer's δ's, then backward through each layer's weights (their gradients) to the δ's below."""
        n = len(self.net.layers)
        out = [Caption("anim_inputs")]
        out += [Caption("anim_forward", *self.layer_name(k)) for k in range(1, n + 1)]
        out += [Caption("anim_error"), Caption("anim_delta_out", *self.layer_name(n))]
        out += [Caption("anim_back", *self.layer_name(k), *self.layer_name(k - 1)) if k > 1
                else Caption("anim_back_first", *self.layer_name(k)) for k in range(n, 0, -1)]
        return out

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
            # a coupled activation (softmax) needs every net input of its layer before any output
            order = [s for pair in zip(layer.nets, layer.outs, strict=True) for s in pair] \
                if layer.activation.elementwise else [*layer.nets, *layer.outs]
            eqs = [w.defined(s) for s in order]
            forward.append(LayerPart(*self.layer_name(layer.index), tuple(self.display(e) for e in eqs)))
        loss = self.display(w.loss())
        weight = self.chain_weight()
        chain = self.chain(w, weight) if worked and weight is not None else None
        # σ'(net) = σ(net)(1 − σ(net)) is stated where it is first used: the chain rule frame's factors, or else the
        # δ frame of the first sigmoid layer (the first sample's; every sample uses it alike)
        stated = chain is not None and any(w.sigmoid_steps(f) for path in (weight.paths if weight else None) or ()
                                           for f in path.factors)
        deltas = []
        for layer in reversed(net.layers):
            # a tall δ (softmax's sum over every output, with numbers) on several frames, each a true equation
            items = tuple(Item(TeX(w.sym(t.delta)), part) for t in self.d.deltas if t.layer == layer.index
                          for part in self.parts(w.delta(t, short=not self.full)))
            intro = None
            if i == 0 and not stated and layer.activation.name == "sigmoid" and layer.activation.gain == 1 \
                    and not layer.skip:
                intro = self.display(w.factor(self.d.delta(layer.nets[0]).terms[0].activation))
                stated = True
            deltas.append(LayerPart(*self.layer_name(layer.index), items, intro))
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
        net_name = w.notation.style_entry.net_letter
        delta_def = TeX(rf"\delta = \partial {w.sym(net.error)} / \partial {net_name}")
        values = None if worked else self.values_display(w, [s for layer in net.layers for s in layer.outs])
        def given(symbols: Sequence[sp.Symbol]) -> TeX:
            return TeX(r",\ ".join(f"{w.sym(x)} = {w.plain.get(x, w.numbers.get(x, ''))}" for x in symbols))

        return SamplePart(i, tuple(forward), loss, chain, tuple(deltas), tuple(gradients), delta_def,
                          TeX(w.sym(net.error)), worked, values, given(net.inputs), given(net.targets))

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
        if chained and p.paths is not None and height(list(full.lines)) > self.fmt.tall:
            full = self.display(w.gradient(p, "delta"))
            return Item(TeX(w.sym(p.param)), full, self.figure(p.param), 0, False, (), (full,))
        if p.paths is not None and height(list(full.lines)) > self.fmt.tall:
            parts = (*self.parts(w.gradient(p, "paths")), self.display(w.gradient(p, "delta")))
        return Item(TeX(w.sym(p.param)), full, self.figure(p.param), p.path_count, p.paths is None, (), parts)

    def parts(self, eq: Equation) -> list[Display]:
        """A tall equation as displays of consecutive steps, each within the format's `tall` lines where a step
        fits at all and each headed by the equation's left side (a part reads as a true equation on its own)."""
        out: list[Display] = []
        group: list[Step] = []
        for step in eq.steps:
            if group and height(list(self.display(Equation(eq.lhs, (*group, step))).lines)) > self.fmt.tall:
                out.append(self.display(Equation(eq.lhs, tuple(group))))
                group = []
            group.append(step)
        return [*out, self.display(replace(eq, steps=tuple(group)))] if group else out  # the note closes the last

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
        if len(p.paths) == 1:  # a single path: its factors in one display, their = signs aligned
            groups = [[f for group in groups for f in group]]
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
        index_forms = self.index_forms()
        self.indexed = {name for f in index_forms for name, _ in f.params}
        table = [] if self.full else self.table()
        c = conventions(d)
        training = None if c is None else self.training(c)
        if training is not None:  # the one full-batch gradient step is not the update [training] makes
            updates = []
            table = [replace(r, updated=TeX(r"\text{---}")) for r in table]
        after_parts: list[AfterPart] = []
        after_loss = None
        before_value = after_value = None
        before_text = after_text = ""
        if d.after is not None and training is None:
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
        animation, captions = None, []
        if self.fmt.slides:
            deltas = {o: w.plain[t.delta] for layer in net.layers for n, o in zip(layer.nets, layer.outs, strict=True)
                      if (t := d.delta(n)).delta in w.plain}
            anim = network_figure(net, values=self.values(), animate=True, deltas=deltas)
            animation, captions = TeX(anim.tikz), self.captions()
            assert len(captions) == anim.steps
        return Lecture(
            title=title or net.spec.title or "",
            numeric=d.loss is not None,
            rounded=self.rounded,
            inputs=len(net.inputs),
            layers=[{"label": self.layer_name(layer.index)[0], "name": TeX(name_latex(layer.name)),
                     "summary": (layer.kind if layer.kind in GRID_KINDS  # a convolution or pooling layer's words
                                 else self.layer_name(layer.index)[0].replace("layer_", "")) + "_summary",
                     "size": len(layer.neurons), "activation": layer.activation.name,
                     "function": TeX(name_latex(layer.activation.function)),
                     # each neuron's own activation, when they differ; the layer a skip adds ("" for the inputs)
                     "activations": [a.name for a in layer.per_neuron],
                     "skip": None if not layer.skip else TeX(name_latex(layer.skip_from)) if layer.skip_from in {
                         other.name for other in net.layers[:layer.index - 1]} else TeX("")}
                    for layer in net.layers],
            loss=net.loss_name,
            frozen_any=bool(net.frozen),
            biased=any(p.kind == "bias" for p in d.params),
            eta=None if lr is None else TeX(rf"{w.sym(net.learning_rate)} = {w.value(lr)}"),
            figure=self.figure() or TeX(""),
            animation=animation,
            animation_captions=captions,
            tikz_libraries=TeX(",".join(TIKZ_LIBRARIES)),
            init=self.init(),
            samples=samples,
            batch=batch,
            batch_mean=net.spec.batch_loss == "mean",
            updates=updates,
            matrices=self.matrices() if training is None else [replace(m, update=None, biases=None)
                                                                for m in self.matrices()],
            after=after_parts,
            after_loss=after_loss,
            loss_before=None if before_value is None else TeX(before_text),  # as the error's display prints it
            loss_after=None if after_value is None else TeX(after_text),
            decreased=before_value is not None and after_value is not None and after_value < before_value,
            iterations=iterations,
            batch_loss=batch_loss,
            coupled=any(not layer.activation.elementwise for layer in net.layers),
            skips=any(layer.skip for layer in net.layers),
            per_neuron=any(layer.per_neuron for layer in net.layers),
            missing=any(layer.missing for layer in net.layers),
            error=TeX(w.batch_sym()),
            sample_error=TeX(w.sample_sym()),
            full=self.full,
            shown=tuple(TeX(w.sym(p.param)) for p in self.shown),
            table=table,
            table_heads=self.table_heads(),
            titles=self.titles(title),
            shape="-".join(str(n) for n in [len(net.inputs), *[len(layer.neurons) for layer in net.layers]]),
            per_weight=self.per_weight(),
            forward_matrices=self.forward_matrices(),
            index_forms=index_forms,
            layer_notation=self.layer_notation(),
            training=training,
            grids=grid_parts(net, w) if self.opts_figures and len(net.samples) == 1 else [],
        )

    # -- [training]: the first epoch's updates ------------------------------------------------------------

    def training(self, c: Conventions) -> TrainingPart:
        """The updates as the spec's [training] makes them: every number is train()'s or derive()'s at the
        parameters before the update (conventions.py); displayed as Asides (not derivations of this network's
        quantities at its spec's parameters, which the answer checker reads the Displays as)."""
        net, w = self.net, self.w
        uw = UpdateWriter(c, "latex", self.form, self.mul, self.rounded)
        options = c.options
        n = len(net.samples)
        top = len(net.layers)

        def items(eqs: Sequence[Equation]) -> tuple[Item, ...]:
            return tuple(Item(TeX(eq.lhs), self.aside([eq], eq.note)) for eq in eqs)  # type: ignore[arg-type]

        parts = []
        for part in c.parts:
            if len(part.samples) == n:
                which, values = ("all", {"n": TeX(str(n))}) if n > 1 else ("", {})  # one sample: nothing to say
            elif len(part.samples) == 1:
                which, values = "sample", {"s": TeX(str(part.samples[0] + 1)), "n": TeX(str(n))}
            else:
                which, values = "samples", {"a": TeX(str(part.samples[0] + 1)), "b": TeX(str(part.samples[-1] + 1)),
                                            "n": TeX(str(n))}
            samples = () if part.index == 1 else tuple(
                TrainingSample(i, items(uw.forward(part, i)), items(uw.deltas(part, i)),
                               items(uw.gradients(part, i, top if c.sequential else None))) for i in part.samples)
            layers: list[TrainingLayer] = []
            pairs: list[tuple[TeX, TeX, TeX]] = []
            if not c.sequential:
                lines = [*uw.minibatch_gradients(part), *[uw.update(part, p) for p in part.derivation.params]]
                layers.append(TrainingLayer(None, updates=items(lines)))  # a minibatch's gradient, the updates
            else:
                for layer in range(top, 0, -1):
                    deltas: list[Equation] = []
                    grads: list[Equation] = []
                    if layer < top:
                        for i in part.samples:
                            ds, gs = uw.through_updated(part, i, layer)
                            deltas += ds
                            grads += gs
                        pairs += [(TeX(p), TeX(used), TeX(true)) for p, _, used, true in uw.true_gradients(part, layer)]
                    label, name = self.layer_name(layer)
                    layers.append(TrainingLayer(name, label, items(deltas), items(grads),
                                                items([uw.update(part, p) for p in uw.update_params(part, layer)])))
            e = uw.writer(part, part.samples[0]).batch_sym() if n > 1 else w.sym(net.error)
            loss = TeX(f"{e} = {w.value(_number(part.loss_after))}")
            parts.append(TrainingUpdate(part.index, which, values, samples, tuple(layers), tuple(pairs), loss))
        sym = r"w"
        dw = r"\Delta w^{\mathrm{prev}}"
        rule = rf"w^{{+}} = w - {w.sym(net.learning_rate)}"
        grad = rf"\frac{{\partial {w.batch_sym() if n > 1 and options.update == 'batch' else 'E'}}}{{\partial w}}"
        rule += (rf" \left({grad} + \lambda {sym}\right)" if options.weight_decay else rf" \, {grad}")
        rule += rf" + \mu \, {dw}" if options.momentum else ""
        gap = c.gap if c.sequential else (0.0, 0)
        loss_before = None
        if options.weight_decay:
            e = w.batch_sym() if n > 1 else w.sym(net.error)
            loss_before = TeX(rf"{e} + \tfrac{{\lambda}}{{2}} \sum w^{{2}} = {w.value(_number(c.training.losses[0]))}")
        return TrainingPart(
            update=options.update, batch_size=TeX(str(options.batch_size or n)),
            momentum=TeX(rf"\mu = {w.value(options.momentum)}") if options.momentum else None,
            decay=TeX(rf"\lambda = {w.value(options.weight_decay)}") if options.weight_decay else None,
            sequential=c.sequential, rule=TeX(rule),
            symbols={"mu": TeX(r"\mu"), "lam": TeX(r"\lambda"), "dw": TeX(dw), "lamw": TeX(r"\lambda w"),
                     "penalty": TeX(r"\tfrac{\lambda}{2} \sum w^{2}"), "wplus": TeX(r"w^{+}"),
                     "grad": TeX(rf"\partial {w.sym(net.error)} / \partial w")},
            updates=tuple(parts),
            gap=TeX(f"{gap[0]:.3g}") if c.sequential else None, gap_update=gap[1], loss_before=loss_before)

    def titles(self, title: str | None) -> dict[str, str]:
        """The document's title per language: `title` (the command line's --title) in every language; else the
        spec's title in its own language (Chinese when it has Chinese characters) and title_zh / title_en in the
        other. A language without one gets a title generated from the network (Lecture.heading)."""
        if title:
            return {"zh": title, "en": title}
        spec = self.net.spec
        given = spec.title or None
        chinese = given is not None and _CJK.search(given) is not None
        titles = {"zh": given if chinese else spec.title_zh, "en": spec.title_en if chinese else given}
        return {k: v for k, v in titles.items() if v}

    def layer_notation(self) -> dict[str, TeX]:
        """The symbols of the matrix form, for the sentence that defines them on its first frame."""
        w = self.w
        net_name = w.notation.style_entry.net_letter
        return {"W": TeX(r"W^{(l)}"), "l": TeX("l"), "j": TeX("j"), "a": TeX(r"\mathbf{a}^{(l)}"),
                "a0": TeX(r"\mathbf{a}^{(0)}"), "d": TeX(r"\boldsymbol{\delta}^{(l)}"),
                "dd": TeX(rf"\delta = \partial {w.batch_sym() if len(self.net.samples) == 1 else w.sample_sym()}"
                          rf" / \partial {net_name}"),
                "n": TeX("n"), "an": TeX(r"\mathbf{a}^{(l)}_{n}"), "dn": TeX(r"\boldsymbol{\delta}^{(l)}_{n}")}

    def forward_matrices(self) -> tuple[Display, ...]:
        """Seed 002's forward pass as row vectors times matrices, when every activation is the identity (no
        weight shared): the product of each layer is its output. The first sample's numbers."""
        if not self.row_vectors():
            return ()
        return tuple(self.display(self.w.forward_matrix(layer.index)) for layer in self.net.layers)

    def row_vectors(self) -> bool:
        """Whether the lecture writes layers as seed 002 does, row vectors times matrices: numbers, every
        activation the identity, no weight shared."""
        net = self.net
        grids = [grid(layer) for layer in net.layers]
        flat = [p for g in grids for row in g or () for p in row]
        return (self.d.loss is not None and None not in grids
                and all(layer.activation.name == "identity" for layer in net.layers) and len(set(flat)) == len(flat))

    def per_weight(self) -> PerWeight | None:
        """Seed 000's comparison: for the worked hidden weight of the last hidden layer (In/Out notation, whose
        notes name a δ per weight; one sample with numbers), the per-weight expression Σ ∂E/∂w_k · f' · x over the
        weights w_k out of its neuron, against ∂E/∂w = (Σ δ_k w_k) · f' · x. None where it does not apply."""
        net, d, w = self.net, self.d, self.w
        if net.spec.notation.style != "in_out" or d.loss is None or len(net.samples) != 1 or len(net.layers) < 2:
            return None
        hidden, last = net.layers[-2], net.layers[-1]
        if not last.activation.elementwise:
            return None
        candidates = [p for p in (*self.shown, *d.params) if p.layer == hidden.index and p.kind == "weight"]
        for p in candidates:
            if len(p.uses) != 1 or p.uses[0].net not in hidden.nets:
                continue
            h = hidden.outs[hidden.nets.index(p.uses[0].net)]
            column, W = last.inputs.index(h), grid(last)
            if W is None:
                return None
            downstream = [d.param(row[column].name) for row in W]
            if len(downstream) < 2 or len({q.param for q in downstream}) < len(downstream) \
                    or any(len(q.uses) != 1 for q in downstream):
                continue
            slip, truth = w.per_weight(p, downstream)
            if len(slip.steps) < 3:  # without numbers there is nothing to compare
                return None
            (u,) = p.uses
            act = d.delta(u.delta).terms[0].activation
            first, v = downstream[0], downstream[0].uses[0]
            notes = [_weight_delta(q.name) for q in (p, *downstream)]
            slip_text = w.product([w.group(w.plus(notes[1:])), *[w.factor_expr(x) for x in (act.expr, u.local.expr)
                                                                  if x != 1]])
            return PerWeight(
                param=TeX(w.sym(p.param)), hidden=TeX(w.sym(h)),
                named=TeX(f"{notes[1]} = {w.partial(net.error, first.param)}"),
                slip_text=TeX(slip_text),
                first=TeX(f"{w.partial(net.error, first.param)} = {w.product([w.sym(v.delta), w.sym(h)])}"),
                needs=TeX(f"{w.partial(v.net, h)} = {w.sym(first.param)}"),
                slip=self.aside([slip]), truth=self.display(truth),
                slip_value=TeX(slip.steps[-1].text), truth_value=TeX(truth.steps[-1].text),
                weights=TeX(", ".join(w.sym(q.param) for q in downstream)))
        return None

    def aside(self, eqs: list[Equation], note: str = "") -> Aside:
        laid = [Line(TeX(x.lhs), TeX(x.rel), TeX(x.text), x.continued) for eq in eqs for x in lines(eq, self.width)]
        return Aside(tuple(laid), TeX(note))

    def index_forms(self) -> tuple[IndexForm, ...]:
        """Every layer whose weights are named by their indices (seed 001: W1_ij joins input i to neuron j) and
        whose gradients are one formula up to those indices: that formula, once, in index letters, with the step
        ΔW = −η ∂E/∂W (one sample). The letters: i for the inputs, j for the first layer's neurons, then k, …"""
        out = []
        for layer in self.net.layers:
            form = self.index_form(layer)
            if form is not None:
                out.append(form)
        return tuple(out)

    def index_form(self, layer: Any) -> IndexForm | None:
        net, w = self.net, self.w
        W = grid(layer)
        if W is None or _shared(net, layer) or len(W) * len(layer.inputs) < 2 or layer.index >= len(_LETTERS):
            return None
        rows, cols = len(W), len(layer.inputs)
        names = _Indices(net, w)
        letters: dict[int, str] = {}  # boundary (0: the inputs, l: layer l's neurons) → its letter
        if cols > 1:
            letters[layer.index - 1] = _LETTERS[layer.index - 1]
        if rows > 1:
            letters[layer.index] = _LETTERS[layer.index]
        template: sp.Expr | None = None
        symbols: dict[str, sp.Symbol] = {}  # placeholder latex → its symbol
        head = ""
        params = []
        for r in range(rows):
            for c in range(cols):
                p = self.d.param(W[r][c].name)
                if p.closed_form is None:
                    return None
                chosen = {b: (r if b == layer.index else c) for b in letters}
                mapping = names.mapping(p.closed_form.free_symbols | {p.param}, letters, chosen)
                if mapping is None or p.param not in mapping:
                    return None
                for latex in mapping.values():
                    symbols.setdefault(latex, sp.Symbol(f"_index_{len(symbols)}", real=True))
                placeholders = {s: symbols[latex] for s, latex in mapping.items()}
                factors = [f.xreplace(placeholders) for f in names.chain_order(p.closed_form)]
                form = factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)
                if template is not None and (form != template or mapping[p.param] != head):
                    return None
                template, head = form, mapping[p.param]
                params.append((p.name, {letters[b]: chosen[b] + 1 for b in letters}))
        if template is None:
            return None
        printed = {s: latex for latex, s in symbols.items()}
        err = w.sample_sym()
        gradient = Equation(rf"\frac{{\partial {err}}}{{\partial {head}}}",
                            (Step((w.notation.latex(template, printed, mul_symbol=w.printer_mul),)),))
        eqs = [gradient]
        if len(net.samples) == 1:
            lr = net.learning_rate
            step = _negated(template, lr)
            eqs.append(Equation(rf"\Delta {head}", (
                Step((f"-{w.product([w.sym(lr), gradient.lhs])}",)),
                Step((w.notation.latex(step, printed | {lr: w.sym(lr)}, mul_symbol=w.printer_mul),)))))
        sizes = {letters[b]: (cols if b == layer.index - 1 else rows) for b in sorted(letters)}
        ranges = r",\quad ".join(rf"{x} = " + ", ".join(str(k) for k in range(1, n + 1)) if n <= 4
                                  else rf"{x} = 1, \dots, {n}" for x, n in sizes.items())
        return IndexForm(layer.index, TeX(name_latex(layer.name)), self.layer_name(layer.index)[0],
                         tuple(sizes.items()), tuple(params), self.aside(eqs, ranges))

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
            elif p.name not in self.indexed and (closed := w.closed_form(p)) is not None \
                    and closed.steps[0].text != form:
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
            return TeX(w.sym(s)), TeX(w.plain[s] if s in w.plain else w.numbers.get(s, r"\text{---}")), s in net.frozen

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
        W = grid(layer)
        if W is None or _shared(net, layer):
            return None  # a shared weight (in this layer or another): the matrix entries are not its gradient
        flat = [p for row in W for p in row]
        sup = f"^{{({m.layer})}}"
        err, lr = w.batch_sym(), w.sym(net.learning_rate)
        deltas = [self.d.delta(n).delta for n in layer.nets]
        steps: list[Step] = []
        # seed 002 writes each layer as a row vector times a matrix whose column j holds the weights into neuron j
        # (one sample): its gradient and update keep that orientation, written out entry by entry as the seed
        # does (the column of inputs times the row of δ's), since W⁽ˡ⁾ means the other orientation elsewhere
        row = self.row_vectors() and len(net.samples) == 1

        def mat(entries: list[list[str]]) -> str:
            """A matrix given neuron by neuron (a row per neuron), in the lecture's orientation."""
            return bmatrix(_t(entries) if row else entries)

        dW = (mat([[rf"\partial {err} / \partial {w.sym(q)}" for q in ws] for ws in W]) if row
              else rf"\frac{{\partial {err}}}{{\partial W{sup}}}")
        a_prev, d_sym = rf"\mathbf{{a}}^{{({m.layer - 1})}}", rf"\boldsymbol{{\delta}}{sup}"
        if len(net.samples) == 1:
            printed = {(r, c): w.shown[dl] * w.shown[a]
                       for r, dl in enumerate(deltas) for c, a in enumerate(layer.inputs)}
            # each entry is its weight's gradient as printed on its own slide (one quantity, one printed value)
            G = {(r, c): w.gradient_value(self.d.param(q.name)) for r, row in enumerate(W)
                 for c, q in enumerate(row)}
            if any(v is None for v in G.values()):
                return None
            honest = all(w.round(printed[k]) == w.round(G[k]) for k in G)
            d_col, a_row = [[w.plain[dl]] for dl in deltas], [[w.plain[a] for a in layer.inputs]]
            a_col, d_row = [[w.sym(a)] for a in layer.inputs], [[w.sym(dl) for dl in deltas]]
            outer = rf"{d_sym} \left({a_prev}\right)^{{\mathsf{{T}}}}"
            steps += [Step((bmatrix(a_col) + bmatrix(d_row) if row else outer,)),
                      Step((bmatrix(_t(a_row)) + bmatrix(_t(d_col)) if row else bmatrix(d_col) + bmatrix(a_row),)),
                      Step((mat([[w.value(G[r, c]) for c in range(len(layer.inputs))] for r in range(len(deltas))]),),
                           "=" if honest else r"\approx")]
        else:
            # E is the sum or the mean of the samples' errors E^{(n)}, δ_n = ∂E^{(n)}/∂z_n: so is ∂E/∂W
            n = len(net.samples)
            mean = net.spec.batch_loss == "mean"
            rows, cols = range(len(deltas)), range(len(layer.inputs))
            G = {(r, c): w.batch_gradients[W[r][c]] for r in rows for c in cols}
            per = [{(r, c): self.writers[k].gradient_value(self.d.param(W[r][c].name))
                    for r in rows for c in cols} for k in range(n)]
            scale = rf"\frac{{1}}{{{n}}} " if mean else ""
            outer = rf"{scale}\sum_{{n=1}}^{{{n}}} {d_sym}_{{n}} \left({a_prev}_{{n}}\right)^{{\mathsf{{T}}}}"
            total = {k: sp.Add(*[w.round(g[k]) for g in per]) / (n if mean else 1) for k in G}
            honest = all(w.round(total[k]) == w.round(G[k]) for k in G)
            # the mean as a sum of terms 1/N · δ_n a_nᵀ (not 1/N · (…)): a long sum breaks between its terms
            terms = tuple((rf"\frac{{1}}{{{n}}}" + w.num_mul if mean else "")
                          + mat([[w.value(g[r, c]) for c in cols] for r in rows]) for g in per)
            mean_step = [Step(terms)]
            if len(lines(Equation(dW, (Step(terms),)), self.width)) > 1 and not self.rounded:
                # too wide for one line: the table has each sample's gradient, the frame the batch's (rounded, the
                # batch's is the mean of the samples' rounded gradients: they stay, to show where it comes from)
                mean_step = []
            steps += [Step((outer,)), *mean_step,
                      Step((mat([[w.value(G[r, c]) for c in cols] for r in rows]),),
                           "=" if honest or not mean_step else r"\approx")]
        update = None
        eta = w.shown.get(net.learning_rate)
        if eta is not None and not any(p in net.frozen for p in flat) and all(p in w.updates for p in flat):
            rows = range(len(W))
            cols = range(len(layer.inputs))
            printed_new = {(r, c): w.shown[W[r][c]] - eta * w.round(G[r, c]) for r in rows for c in cols}
            new = {k: w.updates[W[k[0]][k[1]]] for k in printed_new}
            honest = all(w.round(printed_new[k]) == w.round(new[k]) for k in new)
            weights = mat([[w.sym(q) for q in ws] for ws in W]) if row else f"W{sup}"
            update = Equation(mat([[f"{{{w.sym(q)}}}^{{+}}" for q in ws] for ws in W]) if row
                              else rf"W{sup}_{{+}}", (
                Step((rf"{weights} - {lr} {dW}",)),
                Step((mat([[w.plain[p] for p in weights] for weights in W]) + " - "
                      + w.numbers[net.learning_rate] + w.num_mul
                      + mat([[w.value(G[r, c]) for c in cols] for r in rows]),)),
                Step((mat([[w.value(new[r, c]) for c in cols] for r in rows]),), "=" if honest else r"\approx")))
        return MatrixPart(TeX(name_latex(layer.name)), self.display(Equation(dW, tuple(steps))),
                          None if update is None else self.display(update), self.layer_name(m.layer)[0], m.layer,
                          self.bias_update(layer, row))

    def bias_update(self, layer: Any, row: bool) -> Display | None:
        """b⁺ = b − η ∂E/∂b for a layer whose neurons each have a bias of their own, trained and used nowhere
        else: the column (seed 002's orientation: the row) of the biases, written out entry by entry."""
        w, net = self.w, self.net
        every = biases(layer)
        own = [b for b in every if b is not None]
        used = [b for other in net.layers if other is not layer for b in biases(other)]
        eta = w.shown.get(net.learning_rate)
        if (eta is None or not own or len(own) < len(every) or len(set(own)) < len(own)
                or any(b in net.frozen or b in used or b not in w.updates for b in own)):
            return None
        grads = [w.batch_gradients.get(b) if len(net.samples) > 1 else w.gradient_value(self.d.param(b.name))
                 for b in own]
        if any(g is None for g in grads):
            return None

        def vec(entries: list[str]) -> str:
            return bmatrix([entries] if row else [[e] for e in entries])

        err, lr = w.batch_sym(), w.sym(net.learning_rate)
        new = [w.updates[b] for b in own]
        honest = all(w.round(w.shown[b] - eta * w.round(g)) == w.round(v)
                     for b, g, v in zip(own, grads, new, strict=True))
        return self.display(Equation(vec([f"{{{w.sym(b)}}}^{{+}}" for b in own]), (
            Step((vec([w.sym(b) for b in own]) + f" - {lr} "
                  + vec([rf"\partial {err} / \partial {w.sym(b)}" for b in own]),)),  # no tiny \frac in a matrix
            Step((vec([w.plain[b] for b in own]) + " - " + w.numbers[net.learning_rate] + w.num_mul
                  + vec([w.value(g) for g in grads]),)),
            Step((vec([w.value(v) for v in new]),), "=" if honest else r"\approx"))))


def laid(obj: Any) -> Iterator[_Laid]:
    """Every display in a lecture's data (a Lecture, a part of one, a list of them), in order."""
    if isinstance(obj, _Laid):
        yield obj
    elif is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            yield from laid(getattr(obj, f.name))
    elif isinstance(obj, (list, tuple)):
        for x in obj:
            yield from laid(x)
    elif isinstance(obj, dict):
        for x in obj.values():
            yield from laid(x)


def _t(entries: list[list[str]]) -> list[list[str]]:
    """A matrix's transpose (its entries, row by row)."""
    return [list(c) for c in zip(*entries, strict=True)]


_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")  # Chinese characters, punctuation
_LETTERS = "ijkmnpqr"  # index letters of the layer boundaries (inputs, first layer's neurons, …); l names a layer
_INDEXED = re.compile(r"([A-Za-z]+)(\d*)(?:_([A-Za-z0-9]+))?")


def _article(shape: str) -> str:
    """'a' or 'an' before a network's shape read aloud ("an 8-4-1 network", "an 11-2 network")."""
    return "an" if re.match(r"8|1[18](?!\d)", shape) else "a"


def _weight_delta(name: str) -> str:
    """The per-weight δ of seed 000's notes: δ_5 for w5 (δ_{name} for a name without a number)."""
    m = re.fullmatch(r"[A-Za-z]+(\d+)", name)
    return rf"\delta_{{{m.group(1)}}}" if m else rf"\delta_{{{name_latex(name)}}}"


def _negated(e: sp.Expr, lr: sp.Symbol) -> sp.Expr:
    """−lr·e, the negation taken into a sum factor (−η·(o − t)·x → η·(t − o)·x, as seed 001 writes ΔW)."""
    if isinstance(e, sp.Mul):
        args = list(e.args)
        for k, a in enumerate(args):
            if isinstance(a, sp.Add):
                args[k] = -a
                return sp.Mul(lr, *args, evaluate=False)
    return sp.Mul(-lr, e, evaluate=False)


class _Indices:
    """The quantities of a network written with index letters in place of some of their indices (seed 001's
    W^{(1)}_{ij}, x_i, h_j), where their names carry the indices. A placeholder's LaTeX, with the letters
    replaced by the numbers, is the quantity's own LaTeX (checked): the formula's instances are the network's."""

    def __init__(self, net: Any, w: Writer) -> None:
        self.net, self.w = net, w
        self.positions: dict[sp.Symbol, list[tuple[int, int, int]]] = {}  # weight → (layer, row, column)
        self.bias: dict[sp.Symbol, list[tuple[int, int]]] = {}
        for layer in net.layers:
            for r, row in enumerate(grid(layer) or ()):
                for c, p in enumerate(row):
                    self.positions.setdefault(p, []).append((layer.index, r, c))
            for r, b in enumerate(biases(layer)):
                if b is not None:
                    self.bias.setdefault(b, []).append((layer.index, r))

    def chain_order(self, e: sp.Expr) -> list[sp.Expr]:
        """The factors of a product in the chain rule's order, from the error down to the weight's input (seed 001:
        (y − d)·W²ⱼ·Φ′ⱼ·xᵢ): a number first, then by the layer of their quantities, the deepest first."""
        top = len(self.net.layers) + 1

        def depth(s: sp.Symbol) -> float:
            q = self.net.quantities.get(s)
            if q is None:
                return 0
            if q.kind in (Kind.TARGET, Kind.LOSS):
                return top
            if q.kind in (Kind.NET, Kind.OUT):
                return q.layer or 0
            if s in self.positions:
                return self.positions[s][0][0] - 0.5
            if s in self.bias:
                return self.bias[s][0][0] - 0.5
            return 0

        factors = list(e.args) if isinstance(e, sp.Mul) else [e]
        return sorted(factors, key=lambda f: -max((depth(s) for s in f.free_symbols), default=top + 1))

    def mapping(self, symbols: set[sp.Symbol], letters: dict[int, str],
                chosen: dict[int, int]) -> dict[sp.Symbol, str] | None:
        """Every symbol with an index at a lettered boundary equal to the chosen one → its LaTeX with the letter;
        None when a name does not carry its indices."""
        out = {}
        for s in symbols:
            latex = self.latex(s, letters, chosen)
            if latex is False:
                return None
            if latex is not None:
                out[s] = str(latex)
        return out

    def latex(self, s: sp.Symbol, letters: dict[int, str], chosen: dict[int, int]) -> str | bool | None:
        net = self.net
        q = net.quantities.get(s)
        if q is None:
            return None
        pairs: list[tuple[int, int]] = []
        if q.kind is Kind.INPUT:
            pairs = [(0, q.index or 0)]
        elif q.kind in (Kind.NET, Kind.OUT):
            pairs = [(q.layer or 0, q.index or 0)]
        elif q.kind is Kind.TARGET:
            pairs = [(len(net.layers), q.index or 0)]
        elif s in self.positions:
            if len(self.positions[s]) != 1:
                return None
            m, r, c = self.positions[s][0]
            pairs = [(m - 1, c), (m, r)]
        elif s in self.bias and len(self.bias[s]) == 1:
            pairs = [self.bias[s][0]]
        if not any(b in letters and n == chosen[b] for b, n in pairs):
            return None
        if any(n >= 9 for _, n in pairs):
            return False

        def token(b: int, n: int, numbers: bool) -> str:
            return letters[b] if not numbers and b in letters and n == chosen[b] else str(n + 1)

        def written(numbers: bool) -> str | None:
            return self.written(s, q, pairs, lambda b, n: token(b, n, numbers))

        plain, lettered = written(True), written(False)
        if plain is None or lettered is None or plain != self.w.notation.latex_names.get(s):
            return False  # the name does not carry its indices as the letters would
        return lettered

    def written(self, s: sp.Symbol, q: Any, pairs: list[tuple[int, int]], token: Any) -> str | None:
        net = self.net
        m = _INDEXED.fullmatch(q.name)
        if q.kind in (Kind.INPUT, Kind.TARGET) or (s in self.bias and q.kind is Kind.PARAM):
            b, n = pairs[0]
            if not m or m.group(3) or m.group(2) != str(n + 1):
                return None
            return name_latex(f"{m.group(1)}_{token(b, n)}")
        if q.kind in (Kind.NET, Kind.OUT):
            b, n = pairs[0]
            style, role = self.w.notation.style_entry, "net" if q.kind is Kind.NET else "out"
            if style.by_position:
                return style.indexed("", b, token(b, n), role)
            neuron = _INDEXED.fullmatch(net.layers[b - 1].neurons[n])
            if not neuron or neuron.group(3) or neuron.group(2) != str(n + 1):
                return None
            return style.indexed(neuron.group(1), b, token(b, n), role)
        # a weight: its name's index digits are (input, neuron) or (neuron, input) — the same order for every weight
        # of its layer —, or the one index that varies in a layer of one neuron or with one input
        if not m:
            return None
        base, digits, sub = m.groups()
        layer = net.layers[pairs[1][0] - 1]
        k = self.layer_order(layer)
        if k is None:
            return None
        order = _orders(layer, pairs[1][1], pairs[0][1])[k][1]
        lettered = "".join(token(b, n) for b, n in order)
        return name_latex(f"{base}{digits}_{lettered}" if sub else f"{base}_{lettered}")

    def layer_order(self, layer: Any) -> int | None:
        """Which order of indices (`_orders`) the names of all the weights of `layer` follow."""
        for k in range(len(_orders(layer, 0, 0))):
            if all(_index_of(p) == _orders(layer, r, c)[k][0]
                   for r, row in enumerate(grid(layer) or ()) for c, p in enumerate(row)):
                return k
        return None


def _shared(net: Network, layer: Any) -> bool:
    """Whether a weight of `layer` is used twice in it or also in another layer: then a matrix entry or an index
    formula is one use of it, not its gradient."""
    flat = [p for row in grid(layer) or () for p in row]
    elsewhere = {p for other in net.layers if other is not layer for row in grid(other) or () for p in row}
    return len(set(flat)) < len(flat) or bool(elsewhere & set(flat))


def _index_of(p: sp.Symbol) -> str | None:
    """The index digits of a weight's name: W1_23 → 23, w12 → 12."""
    m = _INDEXED.fullmatch(p.name)
    return (m.group(3) or m.group(2)) if m else None


def _orders(layer: Any, r: int, c: int) -> list[tuple[str, list[tuple[int, int]]]]:
    """The index digits a weight at (r, c) of `layer` may carry, each with its (boundary, index) pairs in order:
    (input, neuron) or (neuron, input); in a layer of one neuron the input alone, with one input the neuron."""
    inp, neuron = (layer.index - 1, c), (layer.index, r)
    if len(layer.nets) > 1 and len(layer.inputs) > 1:
        return [(f"{c + 1}{r + 1}", [inp, neuron]), (f"{r + 1}{c + 1}", [neuron, inp])]
    if len(layer.nets) == 1:
        return [(f"{c + 1}", [inp])]
    return [(f"{r + 1}", [neuron])]



def lecture(d: Derivation, fmt: str | OutputFormat = "beamer", opts: RenderOptions | None = None,
            **options: Any) -> Lecture:
    """The lecture data for one format (the display width depends on it); the options as RenderOptions, or
    its fields as keywords.

    `full`: every parameter worked on its own; otherwise the compact lecture, working the parameters `show`
    names (spec names; default: the first output-layer and the first hidden-layer weight). `exercise`: a class
    exercise after the summary (one sample with numbers and a learning rate; a SpecError otherwise)."""
    f = output_format(fmt)
    opts = replace(opts or RenderOptions(), **options)
    b = _Builder(d, f, opts, worked_params(d, opts.show))
    lec = b.build(opts.title)
    if opts.exercise and not f.exhaustive:
        lec = replace(lec, exercise=b.exercise())
    return lec


