"""The perceptron rule's run as the textbooks print it (Negnevitsky's Table 2.3): one row per sample, epoch by
epoch — the inputs, the desired output, the weights before, the net input, the output, the error, the weights
after — under the unit's formulas and the rule. Plain text, JSON, Markdown and LaTeX (Beamer, article, snippet).

Every number is perceptron.learn's (exact fractions, printed as numbers.fmt prints a spec's values); this module
arranges them. Layout lives in templates/perceptron.*.j2, prose in templates/strings ([perceptron]).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import sympy as sp

from ..notation import Names, Notation
from ..numbers import fmt
from ..perceptron import DEFAULT_EPOCHS, PerceptronRun
from .formats import RenderOptions, output_format
from .tex import Markdown, TeX, environment, escape_tex, strings

ROWS_PER_FRAME = 12  # table rows on one Beamer frame (an article page takes three times as many)


def _number(x: Fraction) -> str:
    return fmt(sp.Rational(x.numerator, x.denominator))


@dataclass(frozen=True)
class Table:
    """The run, written: the formulas (text and LaTeX) and the table's columns and rows (cells as text)."""

    columns: list[tuple[str, list[str], list[str]]]  # (group key of [perceptron], names as text, names as LaTeX)
    epochs: list[tuple[int, list[list[str]]]]  # per epoch: its rows of cells (numbers as text)
    formulas: list[tuple[str, str]]  # (text, LaTeX)
    frozen: list[tuple[str, str, str]]  # (text name, LaTeX name, value)
    final: list[tuple[str, str, str]]  # every parameter after the run: (text name, LaTeX name, value)
    alpha: tuple[str, str]  # "α = 0.1" as text and as LaTeX


def table(run: PerceptronRun) -> Table:
    net = run.network
    notation = Notation(net)
    layer = net.layers[0]
    units = list(zip(layer.nets, layer.outs, net.targets, strict=True))
    errors = {o: sp.Symbol(f"e_{o.name}" if len(units) > 1 else "e") for _, o, _ in units}
    names = Names({**notation.latex_names, **{e: sp.latex(e) for e in errors.values()}},
                  {**notation.text_names, **{e: e.name for e in errors.values()}})
    trained = [p for p in net.params if p not in net.frozen]

    def both(expr: Any) -> tuple[str, str]:
        return names.text(expr), names.latex(expr)

    formulas: list[tuple[str, str]] = []
    for n, o, t in units:
        definition = net.quantities[n].definition
        lhs = both(n)
        rhs = both(definition)
        formulas.append((f"{lhs[0]} = {rhs[0]}", f"{lhs[1]} = {rhs[1]}"))
        formulas.append((f"{both(o)[0]} = step({lhs[0]})",
                         rf"{both(o)[1]} = \operatorname{{step}}({lhs[1]}) = \begin{{cases}} 1 & {lhs[1]} \ge 0 \\ "
                         rf"0 & {lhs[1]} < 0 \end{{cases}}"))
        formulas.append((f"{both(errors[o])[0]} = {both(t)[0]} - {both(o)[0]}",
                         f"{both(errors[o])[1]} = {both(t)[1]} - {both(o)[1]}"))
    for p in trained:  # p + α·Σ e·(the input p multiplies): α·e·x, +α·e for a bias, −α·e for a threshold
        text, latex = [both(p)[0]], [both(p)[1]]
        for n, o, _ in units:
            c = sp.diff(net.quantities[n].definition, p)
            if c == 0:
                continue
            sign = "-" if c == -1 else "+"
            rest = [] if c in (1, -1) else [both(c)]
            if rest and c.is_Add:
                rest = [(f"({rest[0][0]})", rf"\left({rest[0][1]}\right)")]
            factors = [both(net.learning_rate), both(errors[o]), *rest]
            text.append(f"{sign} {'·'.join(f[0] for f in factors)}")
            latex.append(f"{sign} {' '.join(f[1] for f in factors)}")
        formulas.append((f"{text[0]} ← {' '.join(text)}", rf"{latex[0]} \leftarrow {' '.join(latex)}"))

    columns = [("inputs", [names.text(x) for x in net.inputs], [names.latex(x) for x in net.inputs]),
               ("target", [names.text(t) for *_, t in units], [names.latex(t) for *_, t in units]),
               ("before", [names.text(p) for p in trained], [names.latex(p) for p in trained]),
               ("net", [names.text(n) for n, *_ in units], [names.latex(n) for n, *_ in units]),
               ("output", [names.text(o) for _, o, _ in units], [names.latex(o) for _, o, _ in units]),
               ("error", [names.text(errors[o]) for _, o, _ in units], [names.latex(errors[o]) for _, o, _ in units]),
               ("after", [names.text(p) for p in trained], [names.latex(p) for p in trained])]
    epochs: list[tuple[int, list[list[str]]]] = []
    for r in run.rows:
        if not epochs or epochs[-1][0] != r.epoch:
            epochs.append((r.epoch, []))
        cells = [*(r.inputs[x.name] for x in net.inputs), *(r.targets[o.name] for _, o, _ in units),
                 *(r.before[p.name] for p in trained), *(r.nets[n.name] for n, *_ in units),
                 *(r.outputs[o.name] for _, o, _ in units), *(r.errors[o.name] for _, o, _ in units),
                 *(r.after[p.name] for p in trained)]
        epochs[-1][1].append([_number(c) for c in cells])
    frozen = [(names.text(p), names.latex(p), _number(run.params[p.name])) for p in net.params if p in net.frozen]
    final = [(names.text(p), names.latex(p), _number(run.params[p.name])) for p in net.params]
    eta = fmt(net.values[net.learning_rate])
    alpha = (f"{names.text(net.learning_rate)} = {eta}", f"{names.latex(net.learning_rate)} = {eta}")
    return Table(columns, epochs, formulas, frozen, final, alpha)


def _ending(run: PerceptronRun, tab: Table, latex: bool) -> tuple[str, dict[str, str]]:
    """Which closing sentence, and its values (as text or as LaTeX math)."""
    k = 1 if latex else 0
    params = ", ".join(f"{f[k]} = {f[2]}" for f in tab.final)
    if not run.epochs:
        return "no_epochs", {}
    if run.converged:
        return "converged", {"k": str(run.epochs), "params": params}
    return "not_converged", {"k": str(run.epochs), "errors": str(run.epoch_errors[-1]), "params": params}


# --- plain text and JSON -------------------------------------------------------------------------------------

def perceptron_text(run: PerceptronRun, lang: str = "en", max_epochs: int | None = None) -> str:
    s = strings(lang).perceptron
    tab = table(run)
    lines = [s["heading"].format(alpha=tab.alpha[0], max=max_epochs or DEFAULT_EPOCHS), s["rule"]]
    lines += [f"  {text}" for text, _ in tab.formulas]
    lines.append(f"  {s['step']}")
    if tab.frozen:
        lines.append("  " + s["frozen"].format(names=", ".join(f"{t} = {v}" for t, _, v in tab.frozen)))
    header = [name for _, text, _ in tab.columns for name in text]
    rows = [cells for _, epoch in tab.epochs for cells in epoch]
    widths = [max(len(h), *(len(r[c]) for r in rows)) if rows else len(h) for c, h in enumerate(header)]
    bounds = []
    at = 0
    for _, text, _ in tab.columns[:-1]:
        at += len(text)
        bounds.append(at)

    def line(cells: list[str]) -> str:
        out = ""
        for c, cell in enumerate(cells):
            out += ("  | " if c in bounds else "  ") + cell.rjust(widths[c])
        return out

    groups = "  ".join(f"{s[key]} ({', '.join(text)})" for key, text, _ in tab.columns)
    for k, epoch in tab.epochs:
        lines += ["", s["epoch_n"].format(k=k), f"  {groups}", line(header)]
        lines += [line(cells) for cells in epoch]
    which, values = _ending(run, tab, False)
    lines += ["", s[which].format(**values)]
    return "\n".join(lines) + "\n"


def _float(x: Fraction) -> float | int:
    return int(x) if x.denominator == 1 else float(x)


def perceptron_json(run: PerceptronRun) -> dict[str, Any]:
    """The run: every presentation (floats; the exact fractions as strings under "exact"), the final parameters,
    the errors per epoch."""
    return {
        "rule": "perceptron",
        "epochs": run.epochs,
        "converged": run.converged,
        "params": {n: _float(v) for n, v in run.params.items()},
        "exact": {n: str(v) for n, v in run.params.items()},
        "epoch_errors": run.epoch_errors,
        "rows": [{"epoch": r.epoch, "sample": r.sample,
                  **{k: {n: _float(v) for n, v in getattr(r, k).items()}
                     for k in ("inputs", "targets", "before", "nets", "outputs", "errors", "after")}}
                 for r in run.rows],
    }


# --- documents ---------------------------------------------------------------------------------------------

def _pages(tab: Table, budget: int) -> list[list[tuple[int, list[list[str]]]]]:
    """The epochs in pages of at most `budget` rows, an epoch kept whole unless it alone is longer."""
    pages: list[list[tuple[int, list[list[str]]]]] = [[]]
    used = 0
    for k, rows in tab.epochs:
        for start in range(0, len(rows), budget):
            chunk = rows[start:start + budget]
            if used and used + len(chunk) > budget:
                pages.append([])
                used = 0
            pages[-1].append((k, chunk))
            used += len(chunk)
    return pages if pages[0] else []


def render_perceptron(run: PerceptronRun, fmt_: str = "beamer", opts: RenderOptions | None = None) -> str:
    """The run as a document: Beamer (a frame per dozen rows), an article, a snippet (the tables) or Markdown."""
    f = output_format(fmt_)
    opts = opts or RenderOptions()
    s = strings(opts.lang)
    p = s.perceptron
    tab = table(run)
    which, values = _ending(run, tab, True)
    net = run.network
    given = net.spec.title or None
    chinese = given is not None and re.search(r"[\u3400-\u9fff]", given) is not None
    # as the layered lecture (Lecture.titles): `title` in its own language, title_zh / title_en in the other
    titles = {"zh": given if chinese else net.spec.title_zh, "en": net.spec.title_en if chinese else given}
    title = opts.title or titles.get(opts.lang) or p["generated_title"].format(units=", ".join(tab.columns[4][1]))
    if f.markdown:
        env = environment("markdown")
        head = [f"${n}$" for _, _, latex in tab.columns for n in latex]
        return env.get_template("perceptron.md.j2").render(
            title=title, p=p, s=s, tab=tab, ending=p[which], values=values, head=[Markdown(h) for h in head],
            frozen=Markdown(", ".join(f"{n} = {v}" for _, n, v in tab.frozen)),
            pages=[(k, [[Markdown(c) for c in row] for row in rows]) for k, rows in tab.epochs])
    env = environment("tex")
    budget = ROWS_PER_FRAME if f.slides else 3 * ROWS_PER_FRAME
    spec = "|".join("c" * len(latex) for _, _, latex in tab.columns)
    return env.get_template("perceptron.tex.j2").render(
        f=f, title=title, p=p, s=s, tab=tab, ending=p[which], values=values, colspec=TeX(spec),
        groups=[(p[key], len(latex)) for key, _, latex in tab.columns if latex],
        head=[TeX(f"${n}$") for _, _, latex in tab.columns for n in latex],
        formulas=[TeX(latex) for _, latex in tab.formulas], frozen=[TeX(f"{n} = {v}") for _, n, v in tab.frozen],
        pages=[[(k, [[TeX(f"${c}$") for c in row] for row in rows]) for k, rows in page]
               for page in _pages(tab, budget)],
        escape=escape_tex, lec=SimpleNamespace(tikz_libraries="positioning"))


__all__ = ["Table", "perceptron_json", "perceptron_text", "render_perceptron", "table"]
