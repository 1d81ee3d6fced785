"""Line breaking (render/layout.py): it measures each term and factor once and keeps running totals, which is
right only because the width estimate is additive over pieces joined by a space. Both facts are checked
here on every equation of real derivations, against the estimate of the whole joined text."""

from __future__ import annotations

import re

import pytest

from conftest import EXAMPLES
from symbackprop import Network, derive
from symbackprop.render.equations import Equation, Step, Writer
from symbackprop.render.layout import Line, formula_lines, lines, rebreak, width


def _equations(path) -> list[Equation]:
    d = derive(Network.load(path))
    w = Writer(d, "latex")
    return [w.gradient(p) for p in d.params] + [w.delta(t) for t in d.deltas]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_width_is_additive_over_joined_terms_and_factors(example) -> None:
    for eq in _equations(example):
        for step in eq.steps:
            joined = width(" ".join(f"+ {t}" if k else t for k, t in enumerate(step.terms)))
            parts = sum(width(t) for t in step.terms) + width("+") * (len(step.terms) - 1)
            assert joined == pytest.approx(parts, abs=1e-9), step.text
            for factors in step.factors:
                assert width(step.mul.join(factors)) == pytest.approx(
                    sum(map(width, factors)) + width(step.mul) * (len(factors) - 1), abs=1e-9)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("room", [12.0, 20.0, 30.0])
def test_broken_lines_keep_every_term_and_fit_unless_one_piece_is_wider(example, room: float) -> None:
    for eq in _equations(example):
        laid = lines(eq, room, pack=False)
        available = room - width(eq.lhs) - 2.0
        # the lines of each step, put back together, are the step's text (breaks only between terms/factors)
        texts: list[str] = []
        for line in laid:
            if not line.continued:
                texts.append(line.text)
            else:
                texts[-1] += " " + line.text
        assert len(texts) == len(eq.steps)
        for text, step in zip(texts, eq.steps, strict=True):
            assert "".join(text.split()) == "".join(step.text.split())
        pieces = {f for step in eq.steps for fs in step.factors for f in fs} | {t for s in eq.steps for t in s.terms}
        widest = max(width(p) for p in pieces)
        for line in laid:
            assert width(line.text) <= available + 1e-9 or width(line.text) <= widest + width("+ ") + 1e-9


# --- one width estimate for displays and the figure; lines within a number of characters (Markdown) ----

def test_the_figure_measures_its_labels_with_this_estimate() -> None:
    from symbackprop.render import figure, layout

    assert not hasattr(figure, "tex_width") and figure.width_cm is layout.width_cm
    assert layout.width_cm("w_{5}", 10.0) == pytest.approx(width("w_{5}") * 10.0 * 2.54 / 72.27 * 1.02)
    # the figure's labels use TeX's negative thin space: it takes room away
    assert width(r"w_{5}\!=\!0.4") == pytest.approx(width("w_{5}=0.4") - 2 * 0.17)


def _source(line) -> int:
    """The line's length as _display.md.j2 prints it (`lhs &rel text \\\\` or `&\\qquad {}text \\\\`)."""
    if line.continued:
        return len(rf"&\qquad {{}}{line.text} \\")
    return len(f"{line.lhs} &{line.rel} {line.text} \\\\")


def _one_piece(text: str) -> bool:
    """No sign, product or relation outside braces, \\left…\\right and environments (after a leading one)."""
    text = re.sub(r"^(\+|-|\\cdot|\\times|=|\\approx) ", "", text)
    depth = 0
    for k, ch in enumerate(text):
        rest = text[k:]
        if ch == "{" or rest.startswith((r"\left", r"\begin")):
            depth += 1
        elif ch == "}" or rest.startswith((r"\right", r"\end")):
            depth -= 1
        if depth == 0 and re.match(r" (\+|-|\\cdot|\\times|=|\\approx) ", rest):
            return False
    return True


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("chars", [80, 140])
def test_rebreak_keeps_the_text_and_fits_the_characters(example, chars: int) -> None:
    for eq in _equations(example):
        laid = lines(eq, 60.0)
        again = rebreak(laid, 60.0, chars)
        # the same chain: the lines put back together (as the answer checker reads them) give the same text
        assert "".join(" ".join(f"{x.lhs} {x.rel} {x.text}" for x in again).split()) == \
            "".join(" ".join(f"{x.lhs} {x.rel} {x.text}" for x in laid).split())
        assert [x.lhs for x in again if x.lhs] == [eq.lhs]
        if all(_source(x) <= chars for x in laid):
            assert again == laid  # what fits is left alone
        for line in again:  # too long only where one term or factor is longer by itself
            assert _source(line) <= chars or _one_piece(line.text), line


def test_text_is_read_back_at_its_top_level_only() -> None:
    text = r"\left(a + b\right) \cdot \frac{c + d}{2} \cdot e + \begin{bmatrix}1 & 2\end{bmatrix} - f = 1"
    laid = formula_lines(text, 10.0, 20)
    assert [x.text for x in laid] == [r"\left(a + b\right)", r"\cdot \frac{c + d}{2}", r"\cdot e",
                                      r"+ \begin{bmatrix}1 & 2\end{bmatrix}", "- f", "1"]
    assert [x.rel for x in laid] == ["", "", "", "", "", "="]
    assert [x.continued for x in laid] == [False, True, True, True, True, False]
    # a sum that fits stays one line, the relation packed after it
    short = r"\delta_{h1} \cdot x_{1} = 0.5"
    assert formula_lines(short, 40.0, 200) == [Line("", "", short)]


def test_lines_within_characters() -> None:
    eq = Equation("y", (Step(tuple(f"a_{{{k}}} \\cdot b_{{{k}}}" for k in range(12))),))
    assert len(lines(eq, 200.0)) == 1
    laid = lines(eq, 200.0, chars=60)
    assert len(laid) > 3 and all(_source(x) <= 60 for x in laid)
    assert all(x.text.startswith("+ ") for x in laid[1:])


def test_align_blocks_share_a_column_only_while_it_fits() -> None:
    """A handout's blocks: displays together while widest left + widest right side fit; a lone left side, and prose
    that would open or close a block, on their own; nothing dropped or reordered."""
    from dataclasses import dataclass

    from symbackprop.render.layout import align_blocks

    @dataclass(frozen=True)
    class D:
        lines: tuple[Line, ...]

    short = D((Line("a", "=", "b + c"),))
    wide_left = D((Line(r"\frac{\partial E}{\partial w_{5}} + \frac{\partial E}{\partial w_{6}}", "=", "x"),))
    wide_right = D((Line("y", "=", " + ".join(["0.123456"] * 6)),))
    lone = D((Line(r"\frac{\partial E}{\partial w}", "", ""), Line("", "", "= 1", continued=True)))
    items = ["intro", short, short, "between", short, wide_left, wide_right, lone, short, "end"]
    blocks = align_blocks(items, 30.0)
    assert [x for b in blocks for x in b] == items
    assert blocks[0] == ["intro"] and blocks[1] == [short, short, "between", short, wide_left]
    assert [wide_right] in blocks and [lone] in blocks and blocks[-1] == ["end"]
    for b in blocks:
        rows = [r for x in b if not isinstance(x, str) for r in x.lines]
        if len(b) > 1:
            assert max(width(r.lhs) for r in rows) + max(width(f"{r.rel} {r.text}") for r in rows) <= 30.0


def test_pages_are_as_few_as_fit_and_as_even_as_that_allows() -> None:
    """Seven where-lines that need two frames come as 4 + 3 (or 3 + 4), not 6 + 1: no frame with one line."""
    from symbackprop.render.layout import paginate

    heights = [2.0] * 7
    pages = paginate(heights, 15.0)
    assert [k for p in pages for k in p] == list(range(7))
    assert len(pages) == 2 and sorted(map(len, pages)) == [3, 4]
    for p in pages:
        assert sum(heights[k] + 0.5 for k in p) - 0.5 <= 15.0
    assert paginate([20.0, 1.0], 15.0) == [[0], [1]]  # a taller item alone, the rest after it
    assert paginate([1.0, 1.0], 15.0) == [[0, 1]]
