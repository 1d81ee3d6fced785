"""render/document.py (and formats.py): the document around the lecture — the options of one rendering, the output
formats, Markdown's line wrapping and its figure file and data: URI.

What the lecture says is tested elsewhere (test_lecture_*.py, test_render.py, test_markdown_*.py: the judged
lines, the compiled PDFs, the long rows); here the module's own functions: the wrapping only turns spaces into
line ends (and never inside math), the options given either way make the same document, the figure is where the
link says.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEED002
from symbackprop import Network, derive
from symbackprop.errors import SpecError
from symbackprop.numbers import Format
from symbackprop.render.document import (
    MARKDOWN_CHARS,
    data_uri,
    figure_file,
    markdown_figure,
    render,
    wrap_prose,
    wrap_source,
)
from symbackprop.render.formats import FORMATS, OutputFormat, RenderOptions, output_format

WORD = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd", "Lo")), min_size=1, max_size=12)
MATH = st.lists(WORD, min_size=1, max_size=4).map(lambda ws: "$" + " ".join(ws) + "$")
PROSE = st.lists(WORD | MATH, min_size=1, max_size=40).map(" ".join)


def outside_math(line: str) -> list[int]:
    """Positions of the spaces outside $…$ (not the first character)."""
    return [k for k, c in enumerate(line) if c == " " and line.count("$", 0, k) % 2 == 0 and k > 0]


@settings(max_examples=200, deadline=None)
@given(st.lists(PROSE, min_size=1, max_size=3).map("\n".join), st.integers(10, 80))
def test_wrapping_prose_turns_spaces_into_line_ends_and_nothing_else(text: str, chars: int) -> None:
    wrapped = wrap_prose(text, chars)
    # the line ends replace spaces: put back, the text is the same
    assert wrapped.replace("\n", " ") == text.replace("\n", " ")
    assert wrapped.count("\n") >= text.count("\n")
    for line in wrapped.split("\n"):
        assert line.count("$") % 2 == 0, line  # never inside inline math
        if len(line) > chars:  # too long only where there was no space to break at
            assert outside_math(line) == [], (chars, line)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([r"\cdot", r"\frac{a}{b}", "&", "x_{1}", "+", "0.593270", r"\\", r"\left(",
                                 r"\right)"]), min_size=1, max_size=60).map(" ".join), st.integers(10, 80))
def test_wrapping_math_source_breaks_only_before_a_command_or_a_column(math: str, chars: int) -> None:
    wrapped = wrap_source(math, chars)
    assert wrapped.replace("\n", " ") == math
    lines = wrapped.split("\n")
    for line in lines[1:]:  # every new line starts with a command or a column separator: nothing Markdown reads
        assert line.startswith(("\\", "&")), line
    for line in lines:
        if len(line) > chars:
            assert not [m for m in re.finditer(r" (?=\\|&)", line) if m.start() > 0], line


def test_the_default_wrap_is_the_markdown_bound() -> None:
    text = " ".join(["word"] * 100)
    assert max(len(line) for line in wrap_prose(text).split("\n")) <= MARKDOWN_CHARS
    assert wrap_prose("short") == "short"


# --- formats and options -------------------------------------------------------------------------------------

def test_the_output_formats() -> None:
    assert list(FORMATS) == ["beamer", "article", "snippet", "markdown"]
    assert output_format("beamer") is FORMATS["beamer"]
    assert output_format(FORMATS["article"]) is FORMATS["article"]
    assert FORMATS["markdown"].markdown and not FORMATS["markdown"].figures  # its figure is SVG, not TikZ
    assert FORMATS["snippet"].exhaustive and FORMATS["beamer"].slides
    with pytest.raises(SpecError) as err:
        output_format("html")
    assert err.value.key == "--format" and "expected one of beamer, article, snippet, markdown" in str(err.value)
    assert isinstance(FORMATS["beamer"], OutputFormat)


def test_options_given_as_a_value_or_as_keywords_make_the_same_document() -> None:
    d = derive(Network.load(SEED002))
    by_keywords = render(d, "snippet", "en", mul="times")
    by_value = render(d, "snippet", opts=RenderOptions(lang="en", mul="times"))
    assert by_keywords == by_value
    assert r"\times" in by_value
    # a language given apart wins over the options'
    assert render(d, "snippet", "en", opts=RenderOptions(lang="zh")) == render(d, "snippet", "en")
    assert render(d, "snippet", opts=RenderOptions(lang="en", form=Format(decimals=2, digits=None))) \
        == render(d, "snippet", "en", form=Format(decimals=2, digits=None))


def test_the_default_language_is_chinese() -> None:
    assert RenderOptions().lang == "zh"
    d = derive(Network.load(SEED002))
    assert render(d, "markdown", figures=False) == render(d, "markdown", "zh", figures=False)


# --- Markdown's figure -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "svg"), [("deck.md", "deck.svg"), ("deck", "deck.svg"), ("a.b.md", "a.b.svg"),
                                           ("pic.svg", "pic.svg.svg")])
def test_the_figure_goes_beside_the_document(name: str, svg: str, tmp_path: Path) -> None:
    assert figure_file(tmp_path / name) == tmp_path / svg


def test_the_embedded_figure_is_the_svg() -> None:
    d = derive(Network.load(SEED002))
    svg = markdown_figure(d, "The network")
    uri = data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode("utf-8") == svg
    markdown = render(d, "markdown", "en")
    image = next(line for line in markdown.splitlines() if line.startswith("!["))
    shown = base64.b64decode(image.split("base64,", 1)[1].rstrip(")")).decode("utf-8")
    assert shown.startswith("<svg") or "<svg" in shown[:200]
    linked = render(d, "markdown", "en", figure_link="fig%201.svg")
    assert "](fig%201.svg)" in linked and "data:image" not in linked
