"""Render a derivation as a document: Beamer slides, an article, align* snippets or Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..derive import Derivation
from ..errors import SpecError
from ..numbers import Format
from .layout import height, paginate
from .lecture import Display, lecture
from .tex import Markdown, TeX, environment, strings

FORMATS = ("beamer", "article", "snippet", "markdown")
TEMPLATE = {"beamer": "beamer.tex.j2", "article": "article.tex.j2", "snippet": "snippet.tex.j2",
            "markdown": "markdown.md.j2"}


def render(d: Derivation, fmt: str = "beamer", lang: str = "zh", *, form: Format | None = None, mul: str = "dot",
           rounded: bool = False, iterations: int = 0, title: str | None = None, figures: bool = True,
           full: bool = False, show: Sequence[str] | str | None = None) -> str:
    """The whole document as text; `rounded` rounds intermediate numbers before use, as the seeds do.

    By default the lecture a lecturer gives in one class: the parameters `show` names (spec names; default the
    first output-layer and the first hidden-layer weight) worked in full, a table of every gradient and update;
    `full=True` works every parameter on its own frames. Snippets are always every δ and every parameter."""
    if fmt not in FORMATS:
        raise SpecError(f"expected one of {', '.join(FORMATS)}, got {fmt!r}", key="--format")
    s = strings_ = strings(lang)
    env = environment("markdown" if fmt == "markdown" else "tex")
    piece = env.get_template("_display.md.j2" if fmt == "markdown" else "_display.tex.j2")
    block = env.get_template("_align.tex.j2")
    safe = Markdown if fmt == "markdown" else TeX

    def display(d: Display, limit: float = 0.8) -> str:
        return safe(piece.render(d=d, height=limit, s=strings_))

    def align(d: Display) -> TeX:
        return TeX(block.render(d=d, s=strings_))

    def pages(items: Sequence[Any], budget: float, attribute: str = "display") -> list[list[Any]]:
        """Items (displays, Items, or anything with the display in `attribute`) in pages of at most `budget`."""
        shown = [x if isinstance(x, Display) else getattr(x, attribute) for x in items]
        groups = paginate([height(list(x.lines)) for x in shown], budget)
        return [[items[k] for k in group] for group in groups]

    def fit(page: Sequence[Display], total: float) -> list[tuple[Display, float]]:
        """The displays of one page, each allowed its share of `total` (of the text height) by its height."""
        heights = [height(list(x.lines)) for x in page]
        return [(x, round(total * h / sum(heights), 3)) for x, h in zip(page, heights, strict=True)]

    env.globals.update(display=display, align=align, pages=pages, fit=fit)
    lec = lecture(d, fmt, form=form, mul=mul, rounded=rounded, iterations=iterations, figures=figures, title=title,
                  full=full or fmt == "snippet", show=show)
    return env.get_template(TEMPLATE[fmt]).render(lec=lec, s=s)
