"""A recurrent network's lecture: in Markdown (`$…$`, `$$…$$` for Jupyter, MathJax and KaTeX), and as the data of
its TeX lecture (Beamer, article, snippet: templates/recurrent_*.tex.j2) — the network with its shared matrices, the
network unrolled over the steps (recurrent_figure.py), the forward pass as a table over the steps, backpropagation
through time step by step from the last one (every ε and δ with its recursion in symbols and numbers, and δ_t in
matrix form beside them), the paths of a shared weight through time, each shared weight's gradient as the sum over
the steps, and the updates. The numbers are those of derive (bptt.py), only formatted here; '=' stands where the
numbers as printed give the printed value (recurrent_out's signs), else '≈'. Prose lives in templates/strings
([recurrent] for Markdown, [bptt_lecture] for TeX).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sympy as sp

from ..backward import CircuitDerivation
from ..bptt import BPTT, ErrorTerm, bptt
from ..circuit import Circuit
from ..derive import Value
from ..numbers import Format, fmt, number_latex, to_decimal
from ..recurrent import at, recurrent_spec
from .circuit_lecture import _CJK, _tex_number, written
from .circuit_out import circuit_names
from .document import data_uri
from .equations import Equation, Step
from .formats import OutputFormat, RenderOptions, output_format
from .layout import Line, height, lines, paginate
from .lecture import Display
from .recurrent_figure import drawable, node_labels, unrolled_svg, unrolled_tikz
from .recurrent_out import error_sign, gradient_sign
from .tex import TeX, environment, strings


def _error_latex(c: Circuit, net: sp.Symbol) -> str:
    """δ^{h1}_{t2} for neth1_t2; ε^{y1}_{t2} for nety1_t2."""
    neuron, step = c.quantities[net].name[3:].split("_")
    r = recurrent_spec(c)
    greek = r"\varepsilon" if r is not None and neuron in r.output_neurons else r"\delta"
    return rf"{greek}^{{\mathrm{{{neuron}}}}}_{{{step}}}"


def recurrent_markdown(d: CircuitDerivation, form: Format | None = None, lang: str = "en",
                       title: str | None = None, figures: bool = True) -> str:
    b = bptt(d)
    c, r = b.circuit, b.rnn
    form = form or Format(r.display.decimals, r.display.digits)
    s = strings(lang)
    t = s.recurrent
    names = circuit_names(c)
    numeric = c.is_numeric()
    by_name = {q.name: sym for sym, q in c.quantities.items()}

    def num(v: Value) -> str:
        return number_latex(fmt(v, form))

    def tex(name: str) -> str:
        return names.latex_names[by_name[name]]

    heading = title or (r.title_zh if lang == "zh" and r.title_zh else r.title_en if lang == "en" and r.title_en
                        else r.title) or t["generated_title"]
    out = [f"# {heading}", "",
           t["describe"].format(inputs=len(r.inputs), hidden=r.hidden, n=len(r.hidden_neurons),
                                act=s.activations[r.activation].replace("{f}", "f"), output=r.output,
                                m=len(r.output_neurons),
                                out_act=s.activations[r.output_activation].replace("{f}", "g"), steps=r.steps), "",
           "$$h_t = f(U x_t + V h_{t-1} + b), \\qquad y_t = g(W h_t + c), \\qquad h_0 = ("
           + ", ".join(fmt(v, form) for v in r.initial_state) + ")$$", "",
           (t["loss_per_step"].format(loss=s.losses[r.loss], terms=" + ".join(f"E(t{k})" for k in
                                                                               range(1, r.steps + 1)))
            if r.per_step else t["loss_last"].format(loss=s.losses[r.loss], steps=r.steps)), ""]
    if not numeric:
        out += [t["symbolic"], ""]

    # the forward pass: a row per step
    columns = [*(x for x in r.inputs), *(q for h in r.hidden_neurons for q in (f"net{h}", h)),
               *(q for o in r.output_neurons for q in (f"net{o}", o))]
    if numeric:
        out += [f"## {t['forward']}", ""]
        head = ["$t$", *(f"${tex(at(q, 1)).removesuffix('_{t1}')}$" for q in columns)]
        if r.per_step:
            head.append("$E_t$")
        out += ["| " + " | ".join(head) + " |", "|" + " ---: |" * len(head)]
        for step in range(1, r.steps + 1):
            row = [str(step), *(f"${fmt(d.forward[by_name[at(q, step)]], form)}$" for q in columns)]
            if r.per_step:
                row.append(f"${fmt(d.forward[by_name[at('E', step)]], form)}$")
            out.append("| " + " | ".join(row) + " |")
        out += ["", f"$$E = {num(d.output_value)}$$", ""]
    else:
        out += [f"## {t['forward']}", ""]
        for node in c.nodes:
            q = c.quantities[node]
            out.append(f"$${names.latex_names[node]} = {names.latex(q.display or q.definition)}$$")
        out.append("")

    out += [f"## {t['backward_title']}", "", t["backward"], "",
            r"$$\delta_t = \left(V^{\mathsf{T}} \delta_{t+1} + W^{\mathsf{T}} \varepsilon_t\right) "
            r"\odot f'(\mathrm{net}_t), \qquad "
            r"\varepsilon_t = \frac{\partial E}{\partial y_t} \odot g'(\mathrm{net}_t)$$", ""]
    for step in range(r.steps, 0, -1):
        out += [f"### {t['step'].format(t=step)}", ""]
        if not r.per_step and step != r.steps:
            out += [t["no_target"], ""]
        for o in r.output_neurons:
            if (o, step) in b.output:
                out += [_error_md(b, b.output[(o, step)], names, form, numeric), ""]
        for h in r.hidden_neurons:
            out += [_error_md(b, b.hidden[(h, step)], names, form, numeric), ""]

    out += [f"## {t['gradients_title']}", "", t["gradients"], ""]
    if drawable(r) and figures:  # one shared weight's uses through time and its paths to E (the slides' figure)
        weight = r.V[0][0]
        weights = {p: names.latex_names[by_name[p]] for p in r.params}
        svg = unrolled_svg(r, node_labels(r, tex), weights, weight, title=t["paths_alt"].format(weight=weight))
        out += [f"![{t['paths_alt'].format(weight=weight)}]({data_uri(svg)})", "",
                t["paths_caption"].format(weight=f"${weights[weight]}$", uses=len(b.terms[weight])), ""]
    for p in r.params:
        terms = b.terms[p]
        symbols = " + ".join(_error_latex(c, term.delta) + ("" if term.source is None else
                                                             f" {names.latex_names[term.source]}") for term in terms)
        line = rf"\frac{{\partial E}}{{\partial {names.latex_names[by_name[p]]}}} = {symbols or '0'}"
        if numeric:
            shown = " + ".join(num(term.delta_value) + ("" if term.source is None else
                                                        rf" \cdot {num(term.source_value)}") for term in terms)
            if len(terms) > 1 or (terms and terms[0].source is not None):
                line += f" = {shown}"
            sign = gradient_sign(terms, b.gradients[p], form).replace("≈", r"\approx")
            line += f" {sign} {fmt(b.gradients[p], form)}" if terms else ""
        out += [f"$${line}$$", ""]

    if numeric and r.learning_rate is not None and d.updates:
        out += [f"## {t['update_title']}", "", t["update"].format(eta="$\\eta$", value=fmt(r.learning_rate, form)), "",
                f"| {t['parameter']} | {t['value']} | $\\partial E / \\partial \\cdot$ | {t['updated']} |",
                "| --- | ---: | ---: | ---: |"]
        for up in d.updates:
            out.append(f"| ${names.latex_names[up.param]}$ | ${fmt(up.value, form)}$ | "
                       f"${fmt(b.gradients[up.name], form)}$ | ${fmt(up.updated, form)}$ |")
        out.append("")
    return "\n".join(out)


def _error_md(b: BPTT, e: ErrorTerm, names: Any, form: Format, numeric: bool) -> str:
    c = b.circuit
    deriv = names.latex(e.derivative)
    deriv = deriv if e.derivative.is_Atom else rf"\left({deriv}\right)"
    if e.links:
        upstream = " + ".join(f"{names.latex_names[w]} {_error_latex(c, above)}" for w, above, _ in e.links)
    else:
        upstream = names.latex(e.upstream)
    line = (rf"{_error_latex(c, e.net)} = \frac{{\partial E}}{{\partial {names.latex_names[e.net]}}} = "
            rf"\left({upstream}\right) \cdot {deriv}")
    if numeric and e.value is not None:
        values = b.derivation.forward
        if e.links:
            shown = " + ".join(rf"{number_latex(fmt(values[w], form))} \cdot {number_latex(fmt(v, form))}"
                               for w, _, v in e.links)
        else:
            shown = fmt(e.upstream_value, form)
        sign = error_sign(e, values, form).replace("≈", r"\approx")
        line += (rf" = \left({shown}\right) \cdot {number_latex(fmt(e.derivative_value, form))}"
                 f" {sign} {fmt(e.value, form)}")
    return f"$${line}$$"


# --- the TeX lecture (Beamer, article, snippet) ------------------------------------------------------

FORWARD_COLUMNS = {"beamer": 5, "article": 8}  # steps per forward table (a longer sequence: several tables)
# a frame's displays: layout.height's estimates (in its units of a line, a fraction's 2) of that many times the
# format's `tall` (a Beamer frame at \small holds about 16 such units, 15 with the note on ≈: measured on the
# bundled examples' frames)
STEP_BUDGET = 15 / 9
INTRO_HEIGHT = 4.0
MATRIX_NEURONS = 3  # the matrix form of δ_t is printed next to the scalar one up to this many hidden neurons
_STEP = re.compile(r"_\{t(\d+)\}")


@dataclass(frozen=True)
class ForwardTable:
    """The forward pass over some steps: a row per quantity (written at a general step t), a column per step."""

    steps: tuple[int, ...]
    rows: tuple[tuple[TeX, tuple[TeX, ...]], ...]


@dataclass(frozen=True)
class StepPart:
    """Backpropagation at one step: its ε's and δ's per neuron, and δ_t in matrix form (None where too wide)."""

    t: int
    no_target: bool
    scalar: tuple[Display, ...]
    matrix: Display | None
    pages: tuple[tuple[Display, ...], ...]  # the displays (matrix last) in the frames of the slides


@dataclass(frozen=True)
class Highlight:
    """One shared weight: the unrolled network with its uses and their paths to E coloured, and its gradient."""

    weight: TeX
    uses: int
    figure: TeX
    display: Display


@dataclass(frozen=True)
class UpdateRow:
    symbol: TeX
    value: TeX
    gradient: TeX
    updated: TeX


@dataclass(frozen=True)
class RecurrentLecture:
    title: str  # given (--title, the spec's); "" when the templates generate one
    lang: str
    numeric: bool
    steps: int
    per_step: bool
    describe: dict[str, Any]  # the placeholders of strings' describe
    recurrence: TeX  # h_t = f(U x_t + V h_{t-1} + b), y_t = g(W h_t + c), h_0
    matrices: tuple[TeX, ...]  # U = [names] = [values], V, b, W, c
    neurons: tuple[Display, ...]  # every neuron's equations at a general step t
    loss: tuple[Display, ...]  # E = Σ_t E_t and E_t's formula (or E at the last step)
    neuron_pages: tuple[tuple[Display, ...], ...]  # the neurons' equations and the loss's in the frames of the slides
    figure: TeX  # the unrolled network ("" where too large or without figures)
    forward: tuple[ForwardTable, ...]
    total: TeX  # E's value
    recursion: TeX  # δ_t = (Vᵀ δ_{t+1} + Wᵀ ε_t) ⊙ f′(net_t), ε_t = ∂E/∂y_t ⊙ g′(net_t)
    parts: tuple[StepPart, ...]  # from the last step down
    highlights: tuple[Highlight, ...]
    gradient_sums: tuple[TeX, ...]  # ∂E/∂U = Σ_t δ_t x_tᵀ, … (the matrix form of the sums), in two rows
    gradients: tuple[Display, ...]
    gradient_pages: tuple[tuple[Display, ...], ...]
    eta: TeX
    updates: tuple[UpdateRow, ...]
    update_displays: tuple[Display, ...]
    tikz_libraries: str = "arrows.meta"



_BMATRIX = re.compile(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}")


def _height(d: Display) -> float:
    """layout.height, a line of matrices as tall as its tallest matrix (layout.height counts every matrix's rows)."""
    total = 0.0
    for line in d.lines:
        rows = [body.count(r"\\") + 1 for body in _BMATRIX.findall(line.text)]
        total += 1.25 * max(rows) if rows else height([line])
    return total


def _bmatrix(rows: Sequence[Sequence[str]]) -> str:
    return r"\begin{bmatrix}" + r" \\ ".join(" & ".join(row) for row in rows) + r"\end{bmatrix}"


class _TexBuilder:
    def __init__(self, d: CircuitDerivation, f: OutputFormat, opts: RenderOptions) -> None:
        self.d, self.f, self.opts = d, f, opts
        self.b = bptt(d)
        self.c, self.r = self.b.circuit, self.b.rnn
        self.form = opts.form or Format(self.r.display.decimals, self.r.display.digits)
        self.names = circuit_names(self.c)
        self.s = strings(opts.lang)
        self.numeric = self.c.is_numeric()
        self.by_name = {q.name: sym for sym, q in self.c.quantities.items()}
        self.values = d.forward

    # -- printing ---------------------------------------------------------------------------------

    def tex(self, name: str) -> str:
        return self.names.latex_names[self.by_name[name]]

    def general(self, name: str) -> str:
        """The TeX name of a quantity at step 1, written at a general step: h^{(1)}_{t}, h^{(1)}_{t-1} for h_0."""
        return _STEP.sub(lambda m: "_{t}" if m.group(1) == "1" else "_{t-1}", self.tex(name))

    def number(self, v: Value) -> str:
        return _tex_number(fmt(v, self.form))

    def factor(self, v: Value) -> str:
        text = self.number(v)
        return rf"\left({text}\right)" if text.startswith("-") else text

    def display(self, eq: Equation) -> Display:
        return Display(tuple(Line(TeX(x.lhs), TeX(x.rel), TeX(x.text), x.continued) for x in lines(eq, self.f.width)))

    @staticmethod
    def rel(sign: str) -> str:
        return r"\approx" if sign == "≈" else "="

    # -- the network ------------------------------------------------------------------------------

    def matrices(self) -> tuple[TeX, ...]:
        r, names = self.r, self.names

        def name(p: str | None) -> str:
            return "0" if p is None else names.latex_names[self.by_name[p]]

        def value(p: str | None) -> str:
            return "0" if p is None else self.number(r.param_values[p])

        out = []
        for letter, grid in (("U", r.U), ("V", r.V), ("b", tuple((p,) for p in r.hidden_bias)), ("W", r.W),
                             ("c", tuple((p,) for p in r.output_bias))):
            text = f"{letter} = {_bmatrix([[name(p) for p in row] for row in grid])}"
            if self.numeric:
                text += f" = {_bmatrix([[value(p) for p in row] for row in grid])}"
            out.append(TeX(text))
        return tuple(out)

    def neurons(self) -> tuple[Display, ...]:
        r, names = self.r, self.names
        out = []
        for j, h in enumerate(r.hidden_neurons):
            terms = [f"{names.latex_names[self.by_name[r.U[j][i]]]} {self.general(at(x, 1))}"
                     for i, x in enumerate(r.inputs)]
            terms += [f"{names.latex_names[self.by_name[r.V[j][k]]]} {self.general(at(hk, 0))}"
                      for k, hk in enumerate(r.hidden_neurons)]
            bias = r.hidden_bias[j]
            if bias is not None:
                terms.append(names.latex_names[self.by_name[bias]])
            out.append(self.display(Equation(self.general(at(f"net{h}", 1)), (Step(tuple(terms)),))))
            out.append(self.activation(h))
        for k, o in enumerate(r.output_neurons):
            terms = [f"{names.latex_names[self.by_name[r.W[k][j]]]} {self.general(at(h, 1))}"
                     for j, h in enumerate(r.hidden_neurons)]
            bias = r.output_bias[k]
            if bias is not None:
                terms.append(names.latex_names[self.by_name[bias]])
            out.append(self.display(Equation(self.general(at(f"net{o}", 1)), (Step(tuple(terms)),))))
            out.append(self.activation(o))
        return tuple(out)

    def activation(self, neuron: str) -> Display:
        q = self.c.quantities[self.by_name[at(neuron, 1)]]
        shown = q.display if q.display is not None else q.definition
        text = _STEP.sub(lambda m: "_{t}", self.names.latex(written(shown), mul_symbol="dot"))
        return self.display(Equation(self.general(at(neuron, 1)), (Step((text,)),)))

    def loss(self) -> tuple[Display, ...]:
        r, c = self.r, self.c
        out = []
        if r.per_step:
            out.append(self.display(Equation("E", (Step(tuple(self.tex(at("E", t)) for t in range(1, r.steps + 1))),))))
            for t in range(1, r.steps + 1):
                q = c.quantities[self.by_name[at("E", t)]]
                out.append(self.display(Equation(self.tex(at("E", t)), (Step((self.names.latex(
                    written(q.display if q.display is not None else q.definition), mul_symbol="dot"),)),))))
        else:
            q = c.quantities[c.output]
            out.append(self.display(Equation("E", (Step((self.names.latex(
                written(q.display if q.display is not None else q.definition), mul_symbol="dot"),)),))))
        return tuple(out)

    def forward(self) -> tuple[ForwardTable, ...]:
        r = self.r
        if not self.numeric:
            return ()
        columns = [*r.inputs, *(q for h in r.hidden_neurons for q in (f"net{h}", h))]
        for o in r.output_neurons:  # an identity output's net input is its output: one row
            columns += [f"net{o}", o] if r.output_activation != "identity" else [o]
        rows_of = [(TeX(self.general(at(q, 1))), [at(q, t) for t in range(1, r.steps + 1)]) for q in columns]
        if r.per_step:
            rows_of.append((TeX("E_{t}"), [at("E", t) for t in range(1, r.steps + 1)]))
        width = FORWARD_COLUMNS.get(self.f.name, r.steps)
        tables = []
        for first in range(1, r.steps + 1, width):
            steps = tuple(range(first, min(first + width, r.steps + 1)))
            rows = tuple((label, tuple(TeX(self.number(self.values[self.by_name[names[t - 1]]])) for t in steps))
                         for label, names in rows_of)
            tables.append(ForwardTable(steps, rows))
        return tuple(tables)

    # -- backpropagation through time -------------------------------------------------------------

    def error(self, e: ErrorTerm) -> Display:
        c, names = self.c, self.names
        deriv = names.latex(e.derivative)
        deriv = deriv if e.derivative.is_Atom else rf"\left({deriv}\right)"
        if e.links:
            upstream = " + ".join(f"{names.latex_names[w]} {_error_latex(c, above)}" for w, above, _ in e.links)
        else:
            upstream = self.upstream(e)
        steps = [Step((rf"\frac{{\partial E}}{{\partial {names.latex_names[e.net]}}}",)),
                 Step((rf"\left({upstream}\right) \cdot {deriv}",))]
        if self.numeric and e.value is not None:
            if e.links:
                shown = [rf"{self.factor(self.values[w])} \cdot {self.factor(v)}" for w, _, v in e.links]
            else:
                shown = [self.factor(e.upstream_value)]
            shown[0] = r"\bigl(" + shown[0]
            shown[-1] += rf"\bigr) \cdot {self.factor(e.derivative_value)}"
            steps.append(Step(tuple(shown)))
            steps.append(Step((self.number(e.value),), self.rel(error_sign(e, self.values, self.form))))
        return self.display(Equation(_error_latex(c, e.net), tuple(steps)))

    def upstream(self, e: ErrorTerm) -> str:
        """An output's ∂E/∂y as a lecturer writes it: y − target where it is y plus a number that prints exactly (the
        squared error), else as the circuit has it."""
        y = e.out
        rest = sp.expand(e.upstream - y)
        printed = fmt(-rest, self.form) if rest.is_Rational else "e"
        if "e" not in printed and to_decimal(-rest) == Decimal(printed):  # the target exactly as printed
            return f"{self.names.latex_names[y]} - {self.factor(-rest)}"
        return self.names.latex(e.upstream)

    def matrix(self, t: int) -> Display | None:
        """δ_t = (Vᵀ δ_{t+1} + Wᵀ ε_t) ⊙ f′(net_t) with the numbers (the terms the step has)."""
        r, b = self.r, self.b
        n = len(r.hidden_neurons)
        if n > MATRIX_NEURONS or len(r.output_neurons) > MATRIX_NEURONS:
            return None
        later, target = t < r.steps, (r.output_neurons[0], t) in b.output
        symbols, numbers = [], []
        if later:
            symbols.append(rf"V^{{\mathsf{{T}}}} \delta_{{t{t + 1}}}")
            vt = [[self.number(self.values[self.by_name[r.V[k][j]]]) for k in range(n)] for j in range(n)]
            after = [[self.number(b.hidden[(h, t + 1)].value)] for h in r.hidden_neurons]
            numbers.append(f"{_bmatrix(vt)} {_bmatrix(after)}")
        if target:
            symbols.append(rf"W^{{\mathsf{{T}}}} \varepsilon_{{t{t}}}")
            wt = [[self.number(self.values[self.by_name[r.W[k][j]]]) for k in range(len(r.output_neurons))]
                  for j in range(n)]
            eps = [[self.number(b.output[(o, t)].value)] for o in r.output_neurons]
            numbers.append(f"{_bmatrix(wt)} {_bmatrix(eps)}")
        deriv = rf"f'\left(\mathrm{{net}}_{{t{t}}}\right)"
        lhs = rf"\delta_{{t{t}}}"
        steps = [Step((rf"\left({' + '.join(symbols)}\right) \odot {deriv}",))]
        if self.numeric:
            errors = [b.hidden[(h, t)] for h in r.hidden_neurons]
            fprime = _bmatrix([[self.number(e.derivative_value)] for e in errors])
            steps.append(Step((rf"\left({' + '.join(numbers)}\right) \odot {fprime}",)))
            signs = {error_sign(e, self.values, self.form) for e in errors}
            steps.append(Step((_bmatrix([[self.number(e.value)] for e in errors]),), self.rel(max(signs))))
        return self.display(Equation(lhs, tuple(steps)))

    def parts(self) -> tuple[StepPart, ...]:
        r, b = self.r, self.b
        out = []
        for t in range(r.steps, 0, -1):
            scalar = [self.error(b.output[(o, t)]) for o in r.output_neurons if (o, t) in b.output]
            scalar += [self.error(b.hidden[(h, t)]) for h in r.hidden_neurons]
            matrix = self.matrix(t)
            items = [*scalar, *([matrix] if matrix is not None else [])]
            pages = paginate([_height(x) for x in items], STEP_BUDGET * self.f.tall)
            out.append(StepPart(t, not r.per_step and t != r.steps, tuple(scalar), matrix,
                                tuple(tuple(items[k] for k in page) for page in pages)))
        return tuple(out)

    def gradient(self, p: str) -> Display:
        b, c, names = self.b, self.c, self.names
        terms = b.terms[p]
        lhs = rf"\frac{{\partial E}}{{\partial {names.latex_names[self.by_name[p]]}}}"
        if not terms:
            return self.display(Equation(lhs, (Step(("0",)),)))
        symbols = tuple(_error_latex(c, term.delta) + ("" if term.source is None else
                                                      f" {names.latex_names[term.source]}") for term in terms)
        steps = [Step(symbols)]
        if self.numeric:
            shown = tuple(self.factor(term.delta_value) + ("" if term.source is None else
                                                           rf" \cdot {self.factor(term.source_value)}")
                          for term in terms)
            if len(terms) > 1 or terms[0].source is not None:
                steps.append(Step(shown))
            steps.append(Step((self.number(b.gradients[p]),),
                              self.rel(gradient_sign(terms, b.gradients[p], self.form))))
        return self.display(Equation(lhs, tuple(steps)))

    def highlights(self, gradients: dict[str, Display]) -> tuple[Highlight, ...]:
        r = self.r
        chosen = list(dict.fromkeys([r.V[0][0], r.U[0][0]]))
        draw = self.f.figures and self.opts.figures and drawable(r)
        return tuple(Highlight(TeX(self.names.latex_names[self.by_name[p]]), len(self.b.terms[p]),
                               TeX(self.figure(p) if draw else ""), gradients[p]) for p in chosen)

    def figure(self, highlight: str | None = None) -> str:
        r = self.r
        weights = {p: self.names.latex_names[self.by_name[p]] for p in r.params}
        return unrolled_tikz(r, node_labels(r, self.tex), weights, highlight=highlight)

    def updates(self) -> tuple[tuple[UpdateRow, ...], tuple[Display, ...]]:
        r, d, b, names = self.r, self.d, self.b, self.names
        eta = r.learning_rate
        if eta is None or not self.numeric or not d.updates:
            return (), ()
        rows, displays = [], []
        for u in d.updates:
            g = b.gradients[u.name]
            p = names.latex_names[u.param]
            rows.append(UpdateRow(TeX(p), TeX(self.number(u.value)), TeX(self.number(g)), TeX(self.number(u.updated))))
            exact = all(v is not None and "e" not in fmt(v, self.form) and to_decimal(v) == Decimal(fmt(v, self.form))
                        for v in (u.value, eta, g, u.updated))
            displays.append(self.display(Equation(p, (
                Step((rf"{self.number(u.value)} - {self.factor(eta)} \cdot {self.factor(g)}",), r"\leftarrow"),
                Step((self.number(u.updated),), "=" if exact else r"\approx")))))
        return tuple(rows), tuple(displays)

    def title(self) -> str:
        r = self.r
        if self.opts.title:
            return self.opts.title
        chinese = r.title is not None and _CJK.search(r.title) is not None
        given = (r.title if chinese else r.title_zh) if self.opts.lang == "zh" else (r.title_en if chinese else r.title)
        return given or ""

    def build(self) -> RecurrentLecture:
        r, s = self.r, self.s
        gradients = {p: self.gradient(p) for p in r.params}
        items = list(gradients.values())
        # the first frame opens with the sums' matrix form: an item as tall, dropped from the pages after
        pages = paginate([INTRO_HEIGHT, *(height(list(x.lines)) for x in items)], STEP_BUDGET * self.f.tall)
        pages = [[k - 1 for k in page if k] for page in pages]
        rows, update_displays = self.updates()
        equations = [*self.neurons(), *self.loss()]
        neuron_pages = paginate([_height(x) for x in equations], STEP_BUDGET * self.f.tall)
        draw = self.f.figures and self.opts.figures and drawable(r)
        initial = ", ".join(self.number(v) for v in r.initial_state)
        per_step = r"\sum_{t} E_t" if r.per_step else f"E_{{t{r.steps}}}"
        return RecurrentLecture(
            title=self.title(), lang=self.opts.lang, numeric=self.numeric, steps=r.steps, per_step=r.per_step,
            describe={"inputs": len(r.inputs), "hidden": r.hidden, "n": len(r.hidden_neurons),
                      "act": s.activations[r.activation].replace("{f}", "f"), "output": r.output,
                      "m": len(r.output_neurons), "out_act": s.activations[r.output_activation].replace("{f}", "g"),
                      "steps": r.steps, "loss": s.losses[r.loss]},
            recurrence=TeX(r"h_t = f\left(U x_t + V h_{t-1} + b\right), \qquad y_t = g\left(W h_t + c\right), \qquad "
                           rf"h_0 = \left({initial}\right), \qquad E = {per_step}"),
            matrices=self.matrices(), neurons=self.neurons(), loss=self.loss(),
            neuron_pages=tuple(tuple(equations[k] for k in page) for page in neuron_pages),
            figure=TeX(self.figure() if draw else ""), forward=self.forward(),
            total=TeX(self.number(self.d.output_value) if self.numeric else ""),
            recursion=TeX(r"\delta_t = \left(V^{\mathsf{T}} \delta_{t+1} + W^{\mathsf{T}} \varepsilon_t\right) "
                          r"\odot f'(\mathrm{net}_t), \qquad "
                          r"\varepsilon_t = \frac{\partial E}{\partial y_t} \odot g'(\mathrm{net}_t)"),
            parts=self.parts(), highlights=self.highlights(gradients),
            gradient_sums=(TeX(r"\frac{\partial E}{\partial U} = \sum_t \delta_t x_t^{\mathsf{T}}, \quad "
                               r"\frac{\partial E}{\partial V} = \sum_t \delta_t h_{t-1}^{\mathsf{T}}, \quad "
                               r"\frac{\partial E}{\partial b} = \sum_t \delta_t"),
                           TeX(r"\frac{\partial E}{\partial W} = \sum_t \varepsilon_t h_t^{\mathsf{T}}, \quad "
                               r"\frac{\partial E}{\partial c} = \sum_t \varepsilon_t")),
            gradients=tuple(items), gradient_pages=tuple(tuple(items[k] for k in page) for page in pages),
            eta=TeX(self.number(r.learning_rate) if r.learning_rate is not None else ""),
            updates=rows, update_displays=update_displays)


def recurrent_lecture(d: CircuitDerivation, fmt_: str | OutputFormat = "beamer",
                      opts: RenderOptions | None = None) -> RecurrentLecture:
    return _TexBuilder(d, output_format(fmt_), opts or RenderOptions()).build()


TEMPLATES = {"beamer": "recurrent_beamer.tex.j2", "article": "recurrent_article.tex.j2",
             "snippet": "recurrent_snippet.tex.j2"}


def render_recurrent(d: CircuitDerivation, fmt_: str | OutputFormat = "beamer",
                     opts: RenderOptions | None = None) -> str:
    """The recurrent network's lecture as one document: Beamer, article, snippet (TeX) or Markdown."""
    f = output_format(fmt_)
    opts = opts or RenderOptions()
    if f.markdown:
        return recurrent_markdown(d, opts.form, lang=opts.lang, title=opts.title, figures=opts.figures)
    lec = recurrent_lecture(d, f, opts)
    s = strings(opts.lang)
    env = environment("tex")
    piece = env.get_template("_display.tex.j2")
    block = env.get_template("_align.tex.j2")
    env.globals.update(display=lambda x, limit=0.8: TeX(piece.render(d=x, height=limit, s=s)),
                       align=lambda x: TeX(block.render(d=x, s=s)))
    env.tests["exponent"] = lambda cell: r"\times" in str(cell)
    return env.get_template(TEMPLATES[f.name]).render(lec=lec, s=s, t=s.bptt_lecture)
