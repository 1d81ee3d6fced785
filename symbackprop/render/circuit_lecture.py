"""The lecture of a circuit (a graph spec) as data the templates print: the circuit drawn with its values, the
forward pass with numbers, one step per quantity on the way back (upstream × local = numbers = value, the gate
rule in words, fan-out adding), the table of the gradients of every parameter and input, and the updates.

Python holds the math, templates (templates/circuit_*.j2) the layout, templates/strings ([circuit_lecture]) the
prose. Every number is read from the CircuitDerivation (backward.py) and only formatted here, never recomputed.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sympy as sp
from sympy.core.function import AppliedUndef

from ..backward import CircuitDerivation, Gradient, gradient_symbol
from ..circuit import Circuit
from ..derive import Value
from ..numbers import Format, fmt, to_decimal
from .circuit_figure import circuit_svg, circuit_tikz, neighbourhood
from .circuit_out import circuit_names
from .equations import Equation, Step
from .formats import OutputFormat, RenderOptions, output_format
from .layout import Line, lines
from .lecture import Display
from .tex import Markdown, TeX, environment, strings

FIGURE_DIGITS = Format(digits=3)  # the figure's wire labels: short, as CS231n's two decimals
STEP_FIGURES = 30  # the whole circuit in a backward step's figure up to this many quantities (past it: its part)
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Use:
    """One use of the quantity on its way back: the gate that uses it, its local gradient and the rule's words."""

    user: TeX  # the user's name
    local: TeX  # ∂user/∂q = formula
    rule: str  # "add gate: distributes …" (words; empty where no rule is named)


@dataclass(frozen=True)
class BackStep:
    """∂out/∂q = Σ upstream × local (= the numbers = the value)."""

    name: TeX
    kind: str  # node, input or param
    display: Display
    uses: tuple[Use, ...]
    fan_out: int  # the number of uses when they add (0 when one)
    figure: TeX  # the circuit with the gradients known so far, this quantity highlighted ("" without figures)


@dataclass(frozen=True)
class Row:
    """A parameter's or an input's line of the table: its value, ∂out/∂q and (a parameter with η) the update."""

    symbol: TeX
    kind: str
    value: TeX
    gradient: TeX  # the value, or the closed form where symbolic
    updated: TeX
    batch: TeX = TeX("")  # a parameter's batch gradient, with several samples


@dataclass(frozen=True)
class SampleRow:
    """One sample of the batch (or the batch's sum / mean): its inputs, its output and ∂out/∂p for every param."""

    label: TeX
    inputs: TeX
    output: TeX
    gradients: tuple[TeX, ...]


@dataclass(frozen=True)
class CircuitLecture:
    title: str  # given (--title, the spec's); "" when the templates generate one
    lang: str
    numeric: bool
    inputs: int
    params: int
    nodes: int
    output: TeX
    figure: TeX  # the forward values (and, numerically, every gradient) on the wires
    forward_figure: TeX  # the forward values only
    forward: tuple[Display, ...]
    start: Display  # ∂out/∂out = 1
    steps: tuple[BackStep, ...]
    table: tuple[Row, ...]
    eta: TeX  # "" without a learning rate
    updates: tuple[Display, ...]
    sample: TeX = TeX("")  # with several samples: the first's inputs (the one worked), as math
    samples: int = 1
    batch: tuple[SampleRow, ...] = ()  # every sample, then the batch's sum or mean (batch_mean)
    batch_mean: bool = False
    batch_params: tuple[TeX, ...] = ()
    tikz_libraries: str = "arrows.meta"

    @property
    def approx(self) -> bool:
        return any(d.approx for d in (*self.forward, *(s.display for s in self.steps), *self.updates))


class _Frac(sp.Function):
    """a/b as written (the display form's Mul(a, b⁻¹)): \\frac{a}{b}, never "1 \\frac{1}{b}"."""

    nargs = 2

    def _latex(self, printer: Any) -> str:
        return rf"\frac{{{printer._print(self.args[0])}}}{{{printer._print(self.args[1])}}}"


_OPERATORS = {"exp": r"\exp", "log": r"\log", "ln": r"\ln", "sin": r"\sin", "cos": r"\cos", "tanh": r"\tanh",
              "max": r"\max", "min": r"\min", "sigmoid": r"\sigma"}
_CALLS: dict[str, type] = {}


def _call(name: str) -> type:
    """A function of the display form (sp.Function(name), printed \\mathit{exp} by SymPy) as the lectures write it."""
    if name not in _CALLS:
        def latex(self: Any, printer: Any) -> str:
            args = ", ".join(printer._print(a) for a in self.args)
            if name == "sqrt":
                return rf"\sqrt{{{args}}}"
            if name == "abs":
                return rf"\left|{args}\right|"
            op = _OPERATORS.get(name, rf"\operatorname{{{name}}}")
            return rf"{op}\left({args}\right)"
        _CALLS[name] = type(f"_Call_{name}", (sp.Function,), {"_latex": latex})
    return _CALLS[name]


def written(expr: sp.Expr) -> sp.Expr:
    """The display form of a node ready for LaTeX: divisions as fractions, functions by their TeX names."""
    if isinstance(expr, AppliedUndef):
        return _call(type(expr).__name__)(*[written(a) for a in expr.args])
    if not expr.args:
        return expr
    if (isinstance(expr, sp.Mul) and len(expr.args) == 2 and isinstance(expr.args[1], sp.Pow)
            and expr.args[1].exp == -1):
        return _Frac(written(expr.args[0]), written(expr.args[1].base))
    if isinstance(expr, sp.Add):  # a + b + c, not ((a + b) + c): the grammar builds sums two terms at a time
        return sp.Add(*[written(a) for a in _terms(expr)], evaluate=False)
    return expr.func(*[written(a) for a in expr.args], evaluate=False)


def _terms(expr: sp.Expr) -> list[sp.Expr]:
    """The terms of a sum as written, nested sums opened."""
    if not isinstance(expr, sp.Add):
        return [expr]
    return [t for a in expr.args for t in _terms(a)]


def _exact(v: Value, text: str) -> bool:
    return v is not None and "e" not in text and to_decimal(v) == Decimal(text)


def _tex_number(text: str) -> str:
    if "e" in text:
        mantissa, exp = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exp)}}}"
    return text


class _Builder:
    def __init__(self, d: CircuitDerivation, f: OutputFormat, opts: RenderOptions) -> None:
        self.d = d
        self.c: Circuit = d.circuit
        self.f = f
        self.opts = opts
        self.form = opts.form or Format(self.c.spec.display.decimals, self.c.spec.display.digits)
        self.names = circuit_names(self.c)
        self.s = strings(opts.lang)
        self.t = self.s.circuit_lecture
        # numbers wherever every value is known: given in the spec, or (samples) the first sample's inputs
        self.numeric = all(v is not None for v in d.forward.values())

    def number(self, v: Value) -> str:
        """A value as printed: formatted, ×10^n for an exponent."""
        return _tex_number(fmt(v, self.form))

    def factor(self, v: Value) -> str:
        """A value as a factor or an operand: a negative one in parentheses."""
        text = self.number(v)
        return rf"\left({text}\right)" if text.startswith("-") else text

    def rel(self, values: Sequence[Value]) -> str:
        """= where every number printed before it is the exact value, else ≈."""
        return "=" if all(_exact(v, fmt(v, self.form)) for v in values) else r"\approx"

    def display(self, eq: Equation) -> Display:
        laid = [Line(TeX(x.lhs), TeX(x.rel), TeX(x.text), x.continued) for x in lines(eq, self.f.width)]
        return Display(tuple(laid))

    def latex(self, expr: sp.Expr, numbers: dict[sp.Symbol, str] | None = None) -> str:
        return self.names.latex(expr, numbers, mul_symbol="dot")

    # -- the parts ------------------------------------------------------------------------------

    def forward(self) -> tuple[Display, ...]:
        c, d = self.c, self.d
        out = []
        for s in c.nodes:
            q = c.quantities[s]
            shown = written(q.display) if q.display is not None else q.definition
            terms = _terms(shown) if q.display is not None else [shown]  # a long sum breaks between its terms
            steps = [Step(tuple(self.latex(x) for x in terms))]
            v = d.forward[s]
            if v is not None:
                parents = [p for p in q.partials]
                numbers = {p: self.factor(d.forward[p]) for p in parents}
                steps.append(Step(tuple(self.latex(x, numbers) for x in terms)))
                steps.append(Step((self.number(v),), self.rel([d.forward[p] for p in parents] + [v])))
            out.append(self.display(Equation(self.names.latex_names[s], tuple(steps))))
        return tuple(out)

    def local(self, expr: sp.Expr) -> str:
        text = self.latex(expr)
        return f"\\left({text}\\right)" if isinstance(expr, sp.Add) or text.startswith("-") else text

    def step(self, g: Gradient, known: dict[sp.Symbol, str], values: dict[sp.Symbol, str]) -> BackStep:
        c, names = self.c, self.names
        lhs = names.partial_latex(c.output, g.quantity)
        mul = r" \cdot "
        if not g.uses:
            eq = Equation(lhs, (Step(("0",)),))
            return BackStep(TeX(names.latex_names[g.quantity]), g.kind, self.display(eq), (), 0, TeX(""))
        factors = tuple((names.latex_names[gradient_symbol(c, u.user)], self.local(u.local)) for u in g.uses)
        steps = [Step(tuple(mul.join(f) for f in factors), "=", factors, mul)]
        if g.value is not None:
            numbers = tuple((self.factor(u.upstream_value), self.factor(u.local_value)) for u in g.uses)
            steps.append(Step(tuple(mul.join(f) for f in numbers), "=", numbers, mul))
            printed = [v for u in g.uses for v in (u.upstream_value, u.local_value)]
            steps.append(Step((self.number(g.value),), self.rel([*printed, g.value])))
        elif g.closed != g.symbolic:
            steps.append(Step((self.latex(g.closed),)))
        uses = tuple(Use(TeX(names.latex_names[u.user]),
                         TeX(f"{names.partial_latex(u.user, g.quantity)} = {self.latex(u.local)}"),
                         self.rule(u.rule)) for u in g.uses)
        if g.value is not None:
            known[g.quantity] = _tex_number(fmt(g.value, FIGURE_DIGITS))
        figure = TeX("")
        if self.f.slides and self.opts.figures:  # a large circuit: the part this step reads, legible
            part = None if len(c.quantities) <= STEP_FIGURES else neighbourhood(c, g.quantity)
            figure = TeX(circuit_tikz(c, values, known, highlight=g.quantity, only=part))
        return BackStep(TeX(names.latex_names[g.quantity]), g.kind, self.display(Equation(lhs, tuple(steps))), uses,
                        len(g.uses) if g.fan_out else 0, figure)

    def rule(self, rule: str | None) -> str:
        if rule is None:
            return ""
        words: dict[str, str] = self.s.circuit
        if f"rule_{rule}" in words:
            return words[f"rule_{rule}"]
        return words["rule_activation"].format(name=self.s.activations.get(rule, rule))

    def table(self) -> tuple[Row, ...]:
        c, d, names = self.c, self.d, self.names
        eta = c.learning_rate
        updated = {u.param: u for u in d.updates}
        rows = []
        for g in d.gradients:
            if g.kind not in ("param", "input"):
                continue
            v = d.forward[g.quantity]
            gradient = self.number(g.value) if g.value is not None else self.latex(g.closed)
            new = ""
            if g.quantity in updated and eta is not None:
                u = updated[g.quantity]
                new = self.number(u.updated) if u.updated is not None else self.latex(g.quantity - eta * g.closed)
            batch = d.batch_gradients.get(g.quantity) if d.samples else None
            rows.append(Row(TeX(names.latex_names[g.quantity]), g.kind, TeX(self.number(v) if v is not None else ""),
                            TeX(gradient), TeX(new), TeX(self.number(batch) if batch is not None else "")))
        params = [r for r in rows if r.kind == "param"]
        return tuple(params + [r for r in rows if r.kind == "input"])

    def updates(self) -> tuple[Display, ...]:
        c, d, names = self.c, self.d, self.names
        eta = c.learning_rate
        if eta is None:
            return ()
        out = []
        for u in d.updates:
            p = names.latex_names[u.param]
            g = d.batch_gradients.get(u.param) if d.samples else d.gradient(u.name).value  # the update's own
            steps: tuple[Step, ...]
            if u.updated is not None and u.value is not None and g is not None:
                steps = (Step((rf"{self.number(u.value)} - {self.factor(eta)} \cdot {self.factor(g)}",), r"\leftarrow"),
                         Step((self.number(u.updated),), self.rel([u.value, eta, g, u.updated])))
            else:
                steps = (Step((rf"{p} - \eta \cdot {names.partial_latex(c.output, u.param)}",), r"\leftarrow"),)
            out.append(self.display(Equation(p, steps)))
        return tuple(out)

    def batch(self) -> dict[str, Any]:
        """With several samples: the first one's inputs (the one worked in full) and a row per sample."""
        c, d, names = self.c, self.d, self.names
        if not d.samples:
            return {}

        def inputs(k: int) -> TeX:
            return TeX(", ".join(f"{names.latex_names[s]} = {self.number(v)}" for s, v in c.samples[k].items()))

        def number(v: Value) -> TeX:
            return TeX(self.number(v) if v is not None else "")

        rows = [SampleRow(TeX(str(k + 1)), inputs(k), number(sd.output_value),
                          tuple(number(sd.gradient(c.quantities[p].name).value) for p in c.params))
                for k, sd in enumerate(d.samples)]
        mean = c.spec.batch_loss == "mean"
        rows.append(SampleRow(TeX(""), TeX(""), number(d.batch_output),
                              tuple(number(d.batch_gradients.get(p)) for p in c.params)))
        return {"sample": inputs(0), "samples": len(d.samples), "batch": tuple(rows), "batch_mean": mean,
                "batch_params": tuple(TeX(names.latex_names[p]) for p in c.params)}

    def title(self) -> str:
        spec = self.c.spec
        if self.opts.title:
            return self.opts.title
        # as the layered lecture: `title` serves the language it is written in, title_zh / title_en the other
        chinese = spec.title is not None and _CJK.search(spec.title) is not None
        given = (spec.title if chinese else spec.title_zh) if self.opts.lang == "zh" else \
            (spec.title_en if chinese else spec.title)
        if given:
            return given
        return ""  # the templates generate one: strings' generated_title with the output's name as math

    def build(self) -> CircuitLecture:
        c, d = self.c, self.d
        values = {s: _tex_number(fmt(v, FIGURE_DIGITS)) for s, v in d.forward.items() if v is not None}
        known: dict[sp.Symbol, str] = {c.output: "1"} if self.numeric else {}
        steps = tuple(self.step(g, known, values) for g in d.gradients if g.kind != "output")
        grads = {g.quantity: _tex_number(fmt(g.value, FIGURE_DIGITS)) for g in d.gradients if g.value is not None}
        draw = self.f.figures and self.opts.figures
        return CircuitLecture(
            title=self.title(), lang=self.opts.lang, numeric=self.numeric, inputs=len(c.inputs),
            params=len(c.params), nodes=len(c.nodes), output=TeX(self.names.latex_names[c.output]),
            figure=TeX(circuit_tikz(c, values, grads) if draw else ""),
            forward_figure=TeX(circuit_tikz(c, values) if draw else ""),
            forward=self.forward(),
            start=self.display(Equation(self.names.partial_latex(c.output, c.output), (Step(("1",)),))),
            steps=steps, table=self.table(),
            eta=TeX(self.number(c.learning_rate) if c.learning_rate is not None else ""),
            updates=self.updates(), **self.batch())


def circuit_lecture(d: CircuitDerivation, fmt_: str | OutputFormat = "beamer",
                    opts: RenderOptions | None = None) -> CircuitLecture:
    return _Builder(d, output_format(fmt_), opts or RenderOptions()).build()


TEMPLATES = {"beamer": "circuit_beamer.tex.j2", "article": "circuit_article.tex.j2",
             "snippet": "circuit_snippet.tex.j2", "markdown": "circuit_markdown.md.j2"}


def render_circuit(d: CircuitDerivation, fmt_: str | OutputFormat = "beamer", opts: RenderOptions | None = None, *,
                   figure_link: str | None = None) -> str:
    """The circuit's lecture as one document; Markdown's figure as a data: URI, or linked at `figure_link`."""
    f = output_format(fmt_)
    opts = opts or RenderOptions()
    lec = circuit_lecture(d, f, opts)
    s = strings(opts.lang)
    env = environment("markdown" if f.markdown else "tex")
    piece = env.get_template("_display.md.j2" if f.markdown else "_display.tex.j2")
    block = env.get_template("_align.tex.j2")
    safe = Markdown if f.markdown else TeX
    env.globals.update(display=lambda x, limit=0.8: safe(piece.render(d=x, height=limit, s=s)),
                       align=lambda x: TeX(block.render(d=x, s=s)))
    env.tests["exponent"] = lambda cell: r"\times" in str(cell)  # a number printed as m × 10^n
    figure = ""
    if f.markdown and opts.figures:
        src = figure_link or "data:image/svg+xml;base64," + base64.b64encode(
            circuit_figure_svg(d).encode("utf-8")).decode("ascii")
        figure = Markdown(f"![{s.circuit_lecture['figure_alt']}]({src})")
    return env.get_template(TEMPLATES[f.name]).render(lec=lec, s=s, t=s.circuit_lecture, figure=figure)


def circuit_figure_svg(d: CircuitDerivation, title: str = "") -> str:
    """The Markdown figure: every value above its wire, every gradient below, as the TeX lecture's summary figure."""
    values = {s: _tex_number(fmt(v, FIGURE_DIGITS)) for s, v in d.forward.items() if v is not None}
    grads = {g.quantity: _tex_number(fmt(g.value, FIGURE_DIGITS)) for g in d.gradients
             if g.value is not None and all(v is not None for v in d.forward.values())}
    return circuit_svg(d.circuit, values, grads, title=title)


def render_circuit_files(d: CircuitDerivation, output: Path | str, fmt_: str | OutputFormat = "beamer",
                         opts: RenderOptions | None = None) -> dict[Path, str]:
    """The files to write: the document, and for Markdown with figures its SVG beside it (as the layered render)."""
    from .document import figure_file

    output = Path(output)
    f = output_format(fmt_)
    opts = opts or RenderOptions()
    if not f.markdown or not opts.figures:
        return {output: render_circuit(d, f, opts)}
    svg = figure_file(output)
    return {output: render_circuit(d, f, opts, figure_link=quote(svg.name)),
            svg: circuit_figure_svg(d, strings(opts.lang).circuit_lecture["figure_alt"])}

