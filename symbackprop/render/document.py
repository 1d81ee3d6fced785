"""Render a derivation as a document: Beamer slides, an article, align* snippets or Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..derive import Derivation
from ..errors import SpecError
from ..numbers import Format
from .layout import height, paginate
from .lecture import Display, Item, lecture
from .tex import Markdown, TeX, environment, strings

FORMATS = ("beamer", "article", "snippet", "markdown")
TEMPLATE = {"beamer": "beamer.tex.j2", "article": "article.tex.j2", "snippet": "snippet.tex.j2",
            "markdown": "markdown.md.j2"}


def render(d: Derivation, fmt: str = "beamer", lang: str = "zh", *, form: Format | None = None, mul: str = "dot",
           rounded: bool = False, iterations: int = 0, title: str | None = None, figures: bool = True) -> str:
    """The whole document as text; `rounded` rounds intermediate numbers before use, as the seeds do."""
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

    def pages(items: Sequence[Any], budget: float) -> list[list[Any]]:
        shown = [x.display if isinstance(x, Item) else x for x in items]
        groups = paginate([height(list(x.lines)) for x in shown], budget)
        return [[items[k] for k in group] for group in groups]

    def fit(page: Sequence[Display], total: float) -> list[tuple[Display, float]]:
        """The displays of one page, each allowed its share of `total` (of the text height) by its height."""
        heights = [height(list(x.lines)) for x in page]
        return [(x, round(total * h / sum(heights), 3)) for x, h in zip(page, heights, strict=True)]

    env.globals.update(display=display, align=align, pages=pages, fit=fit)
    lec = lecture(d, fmt, form=form, mul=mul, rounded=rounded, iterations=iterations, figures=figures, title=title)
    return env.get_template(TEMPLATE[fmt]).render(lec=lec, s=s)
