"""What the renderers are asked for: the output formats, each described once, and the options of one rendering.

A format is one entry of FORMATS (the command line's choices, its template, the room a display has on its
page); the options travel as one RenderOptions value from the command line through the document and the
lecture to the equation writers, instead of a dozen keyword arguments threaded by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import SpecError
from ..numbers import Format


@dataclass(frozen=True)
class OutputFormat:
    name: str
    template: str
    # em (as layout.width estimates it, some 5-15 % over TeX's measure) available to a display: a Beamer frame's
    # 307pt of text at \small (10pt), an article's 360pt at 11pt
    width: float
    tall: float  # lines a display may take on one page
    figures: bool  # TikZ network figures
    markdown: bool = False  # Markdown with $…$ math (its figure is SVG), rather than LaTeX
    exhaustive: bool = False  # every parameter always (snippets to paste), never the compact lecture
    slides: bool = False  # frames with overlays: the animated forward and backward pass


FORMATS: dict[str, OutputFormat] = {f.name: f for f in (
    OutputFormat("beamer", "beamer.tex.j2", width=32.0, tall=9.0, figures=True, slides=True),
    OutputFormat("article", "article.tex.j2", width=42.0, tall=30.0, figures=True),
    OutputFormat("snippet", "snippet.tex.j2", width=28.0, tall=1e9, figures=False, exhaustive=True),
    OutputFormat("markdown", "markdown.md.j2", width=60.0, tall=1e9, figures=False, markdown=True),
)}


def output_format(name: str | OutputFormat) -> OutputFormat:
    """The format of that name (SpecError naming --format and the choices otherwise)."""
    if isinstance(name, OutputFormat):
        return name
    if name not in FORMATS:
        raise SpecError(f"expected one of {', '.join(FORMATS)}, got {name!r}", key="--format")
    return FORMATS[name]


@dataclass(frozen=True)
class RenderOptions:
    """One rendering's choices: the language, how numbers are printed, which parts the lecture has."""

    lang: str = "zh"
    form: Format | None = None  # decimals / significant digits (default: the spec's display table)
    mul: str = "dot"  # the multiplication sign: dot, times or space
    rounded: bool = False  # intermediate numbers rounded before use, as the seeds do
    iterations: int = 0  # a table of the error over that many gradient steps
    title: str | None = None  # instead of the spec's
    figures: bool = True
    full: bool = False  # every parameter worked on its own frames
    show: Sequence[str] | str | None = None  # the parameters worked in full (default: the first of each layer kind)
    exercise: bool = False  # a class exercise with its answers at the end
