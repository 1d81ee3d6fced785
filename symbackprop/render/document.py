"""Render a derivation as a document: Beamer slides, an article, align* snippets or Markdown.

Markdown gets the network figure as SVG (figure.py draws it from the TikZ picture's layout): a data: URI
image by default, which Jupyter and VS Code show inline; `render_files` writes it next to the Markdown
file instead and links it (GitHub shows a relative image, not a data: URI). Its displays are kept within
MARKDOWN_CHARS characters a source line, broken by layout.py as the TeX displays are.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..derive import Derivation
from ..numbers import Format
from .equations import Writer
from .figure import network_svg
from .formats import FORMATS, OutputFormat, RenderOptions, output_format
from .layout import Line, align_blocks, formula_lines, height, paginate, rebreak
from .lecture import Display, Lecture, lecture
from .tex import Markdown, TeX, environment, strings

MARKDOWN_CHARS = 200
"""Longest source line of Markdown (the figure's data: URI aside), so that a display reads in an editor, a
notebook cell or a side-by-side diff. The typeset width alone does not bound it: a line of fractions of partial
derivatives, ~14 characters of source an em, fits the 60 em of a Markdown display at 800 characters. A line of
numbers (~3.5 characters an em) reaches 60 em at about 210 characters, so this bound breaks early only the
symbol-dense lines, into pieces of some 14 em; and a single piece longer than this (a parenthesised sum, a
matrix) is wrapped in the source only (`wrap_source`), where TeX reads the line end as a space."""


def render(d: Derivation, fmt: str | OutputFormat = "beamer", lang: str | None = None, *,
           figure_link: str | None = None, opts: RenderOptions | None = None, **options: Any) -> str:
    """The whole document as text; the options as RenderOptions, or its fields as keywords (`lang` defaults to
    zh); `rounded` rounds intermediate numbers before use, as the seeds do.

    By default the lecture a lecturer gives in one class: the parameters `show` names (spec names; default the
    first output-layer and the first hidden-layer weight) worked in full, a table of every gradient and update;
    `full=True` works every parameter on its own frames. Snippets are always every δ and every parameter.
    `exercise`: a class exercise after the summary (the network with the updated parameters, rounded), its answers
    after it (Beamer; the article and Markdown as a section).
    Markdown: `figure_link` is where the network's SVG (`markdown_figure`) will be, relative to the document;
    without it the figure is embedded as a data: URI."""
    f = output_format(fmt)
    opts = _options(opts, lang, options)
    s = strings_ = strings(opts.lang)
    markdown = f.markdown
    env = environment("markdown" if markdown else "tex")
    piece = env.get_template("_display.md.j2" if markdown else "_display.tex.j2")
    block = env.get_template("_align.tex.j2")
    together = env.get_template("_group.tex.j2")
    safe = Markdown if markdown else TeX

    def display(d: Display, limit: float = 0.8) -> str:
        if markdown:
            return Markdown(wrap_source(piece.render(d=markdown_display(d), height=limit, s=strings_)))
        return safe(piece.render(d=d, height=limit, s=strings_))

    def align(d: Display) -> TeX:
        return TeX(block.render(d=d, s=strings_))

    def group(items: Sequence[Display | str]) -> list[TeX]:
        """Displays and prose in align* blocks (`align_blocks`); a block that is prose only is a paragraph."""
        return [TeX(f"{b[0]}\n") if isinstance(b[0], str) else TeX(together.render(ds=b, s=strings_))
                for b in align_blocks(items, f.width)]

    def pages(items: Sequence[Any], budget: float, attribute: str = "display") -> list[list[Any]]:
        """Items (displays, Items, or anything with the display in `attribute`) in pages of at most `budget`."""
        shown = [x if isinstance(x, Display) else getattr(x, attribute) for x in items]
        groups = paginate([height(list(x.lines)) for x in shown], budget)
        return [[items[k] for k in group] for group in groups]

    def fit(page: Sequence[Display], total: float) -> list[tuple[Display, float]]:
        """The displays of one page, each allowed its share of `total` (of the text height) by its height."""
        heights = [height(list(x.lines)) for x in page]
        return [(x, round(total * h / sum(heights), 3)) for x, h in zip(page, heights, strict=True)]

    env.globals.update(display=display, align=align, group=group, pages=pages, fit=fit,
                       height_of=lambda d: height(list(d.lines)))
    env.filters["wrap"] = lambda text: safe(wrap_prose(text))
    lec = lecture(d, f, opts)
    extra: dict[str, Any] = {}
    if markdown:
        image = ""
        if opts.figures:
            alt = s.figure_caption if lec.numeric else s.network
            src = figure_link or data_uri(markdown_figure(d, alt, form=opts.form, mul=opts.mul, rounded=opts.rounded))
            image = f"![{_alt(alt)}]({src})"
        extra = {"figure": Markdown(image), "gradient_table": _gradient_table(env, lec, s) if lec.table else ""}
    return env.get_template(f.template).render(lec=lec, s=s, **extra)


def _options(opts: RenderOptions | None, lang: str | None, options: dict[str, Any]) -> RenderOptions:
    """RenderOptions from a value and keywords (a `lang` given apart from them wins)."""
    if lang:
        options = {**options, "lang": lang}
    return replace(opts or RenderOptions(), **options)


def render_files(d: Derivation, output: Path | str, fmt: str | OutputFormat = "beamer", lang: str | None = None, *,
                 opts: RenderOptions | None = None, **options: Any) -> dict[Path, str]:
    """The files of a document written to `output`: the document, and for Markdown with figures the network's
    SVG beside it (`figure_file`), linked by its name. The options are render's."""
    output = Path(output)
    f = output_format(fmt)
    opts = _options(opts, lang, options)
    if not f.markdown or not opts.figures:
        return {output: render(d, f, opts=opts)}
    svg = figure_file(output)
    alt = strings(opts.lang).figure_caption if d.loss is not None else strings(opts.lang).network
    figure = markdown_figure(d, alt, form=opts.form, mul=opts.mul, rounded=opts.rounded)
    return {output: render(d, f, figure_link=quote(svg.name), opts=opts), svg: figure}


def figure_file(output: Path) -> Path:
    """Where the figure of a Markdown file goes: beside it, `name.svg` (`name.md.svg` for a file named .svg)."""
    svg = output.with_suffix(".svg")
    return svg if svg != output else output.with_name(output.name + ".svg")


def markdown_figure(d: Derivation, title: str = "", *, form: Format | None = None, mul: str = "dot",
                    rounded: bool = False) -> str:
    """The network as SVG with the numbers the lecture prints: the first sample's (with several samples not the
    error, which would be E^{(1)} in the box labelled E), as the TeX lecture's overview figure."""
    net = d.network
    w = Writer(d, "latex", form, mul=mul, rounded=rounded)
    values = {s: v for s, v in w.plain.items() if len(net.samples) == 1 or s != net.error}
    return network_svg(net, values=values, title=title)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _alt(text: str) -> str:
    """Alt text of an image: brackets and backslashes would end or escape it."""
    return "".join(f"\\{c}" if c in "[]\\" else c for c in text.replace("\n", " "))


def markdown_display(d: Display) -> Display:
    """A display with every line within MARKDOWN_CHARS characters of source (where one piece is not longer)."""
    lines = rebreak(d.lines, FORMATS["markdown"].width, MARKDOWN_CHARS)
    return d if list(d.lines) == lines else replace(d, lines=_tex(lines))


def _tex(lines: Sequence[Line]) -> tuple[Line, ...]:
    """Lines of math that symbackprop generated, marked as such (templates print TeX as is)."""
    return tuple(Line(TeX(x.lhs), TeX(x.rel), TeX(x.text), x.continued) for x in lines)


_BREAKABLE = re.compile(r" (?=\\|&)")  # a space before a command or an &: a source line may end there


def wrap_source(math: str, chars: int = MARKDOWN_CHARS) -> str:
    """Math source with every line longer than `chars` wrapped at spaces before commands (\\cdot, \\frac,
    \\end, \\\\…) and column separators: TeX reads the line end as the space, and no line starts with what
    Markdown would read as a list item, a quote or a table."""
    return _wrap(math, chars, lambda line: [m.start() for m in _BREAKABLE.finditer(line) if 0 < m.start()])


def wrap_prose(text: str, chars: int = MARKDOWN_CHARS) -> str:
    """A paragraph of Markdown with each line within `chars` characters: broken at spaces outside inline math
    ($…$), where a line end reads as the space it replaces (Chinese prose has spaces only around its math)."""
    return _wrap(text, chars, lambda line: [k for k, c in enumerate(line)
                                            if c == " " and line.count("$", 0, k) % 2 == 0 and 0 < k])


def _wrap(text: str, chars: int, spaces: Callable[[str], list[int]]) -> str:
    """Each line of `text` longer than `chars` cut at the last of its breakable `spaces` that fits (else the first),
    the space itself replaced by the line end."""
    out: list[str] = []
    for line in text.split("\n"):
        while len(line) > chars:
            cuts = spaces(line)
            fitting = [c for c in cuts if c <= chars]
            cut = fitting[-1] if fitting else next(iter(cuts), None)
            if cut is None:
                break
            out.append(line[:cut])
            line = line[cut + 1:]
        out.append(line)
    return "\n".join(out)


def _gradient_table(env: Any, lec: Lecture, s: Any) -> Markdown:
    """The table of every gradient: a Markdown table while every row is short; else a display (an array), each
    cell on a source line of its own and a long cell broken over rows as the displays are."""
    template = env.get_template("_gradient_table.md.j2")
    text = template.render(lec=lec, s=s, cells=None)
    if all(len(line) <= MARKDOWN_CHARS for line in text.splitlines()):
        return Markdown(text)
    cells = [_tex(formula_lines(r.entry, FORMATS["markdown"].width / 2, MARKDOWN_CHARS)) for r in lec.table]
    return Markdown(wrap_source(template.render(lec=lec, s=s, cells=cells)))
