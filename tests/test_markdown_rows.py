"""Long rows of the Markdown lecture: displays are broken over aligned lines by layout.py (the TeX output's line
breaking) until every source line is within MARKDOWN_CHARS, the gradient table turns into a display when a row
is longer, and the lines still read as the chains the derivation printed (the answer checker judges them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import test_lecture_judged
from katex_check import katex_errors, katex_unavailable, math_spans

from conftest import EXAMPLES, SEED004
from symbackprop import Network, derive
from symbackprop.render.document import MARKDOWN_CHARS, markdown_display, render, wrap_source
from symbackprop.render.lecture import lecture

IDS = [p.stem for p in EXAMPLES]
FIGURE = re.compile(r"^!\[[^\]\n]*\]\(data:image/svg\+xml;base64,[A-Za-z0-9+/=]+\)$")
needs_katex = pytest.mark.skipif(katex_unavailable() is not None, reason=str(katex_unavailable()))


def long_lines(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if len(line) > MARKDOWN_CHARS and not FIGURE.match(line)]


def shared_weight(n: int = 10) -> Network:
    """One weight w into n hidden neurons: its gradient is a sum of n δ's, a table row too long for a line."""
    return Network.from_dict({
        "inputs": {"x1": 1}, "targets": {"y": 0.5}, "loss": "half_sse", "learning_rate": 0.1,
        "layers": [{"name": "h", "activation": "tanh", "weights": [["w"]] * n, "bias": "b"},
                   {"name": "y", "neurons": ["y"], "activation": "identity",
                    "weights": [[f"v{k + 1}" for k in range(n)]]}],
        "params": {"w": 0.5, "b": 0.1, **{f"v{k + 1}": round(0.1 * (k + 1), 1) for k in range(n)}}})


@pytest.mark.parametrize("full", [False, True], ids=["default", "full"])
@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_no_markdown_line_is_longer_than_the_bound(example: Path, full: bool) -> None:
    d = derive(Network.load(example))
    for lang in ("zh", "en"):
        text = render(d, "markdown", lang, full=full)
        assert long_lines(text) == [], (lang, [line[:80] for line in long_lines(text)])
        assert sum(1 for line in text.splitlines() if FIGURE.match(line)) == 1


def test_the_longest_rows_were_broken_over_aligned_lines() -> None:
    """Seed 004's path sum for w1 was one 677-character row: now aligned lines, each continuing with its sign."""
    text = render(derive(Network.load(SEED004)), "markdown", "en", full=True)
    block = text[text.index(r"\frac{\partial E_{total}}{\partial w_{1}} &="):]
    block = block[:block.index(r"\end{aligned}")]
    rows = block.splitlines()
    assert len(rows) >= 6 and all(len(row) <= MARKDOWN_CHARS for row in rows)
    assert any(row.startswith(r"&\qquad {}+ ") for row in rows) and any(row.startswith(r"&\qquad {}\cdot ")
                                                                        for row in rows)


@pytest.mark.parametrize("spec", [EXAMPLES[-1], EXAMPLES[0]], ids=lambda p: p.stem)
def test_the_judge_reads_the_broken_markdown_lines(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lines as Markdown prints them (markdown_display), fed to the checker the way test_lecture_judged feeds
    the lecture's: each chain, put back together from its aligned lines, is judged correct."""
    net = Network.load(spec)
    changed = [d for _, _, _, d in test_lecture_judged.displays(lecture(derive(net), "markdown", figures=False))
               if markdown_display(d) is not d]
    assert changed, "nothing to break: the test would not test the breaking"
    latex = test_lecture_judged.latex
    monkeypatch.setattr(test_lecture_judged, "latex", lambda d: latex(markdown_display(d)))
    assert test_lecture_judged.misjudged(net, fmt="markdown") == []


def test_broken_displays_keep_their_text() -> None:
    """Put back together, the lines of each equation are the lines laid out before, the left sides unchanged."""
    for example in EXAMPLES:
        lec = lecture(derive(Network.load(example)), "markdown", full=True, figures=False)
        for _, _, _, d in test_lecture_judged.displays(lec):
            broken = markdown_display(d)
            assert [x.lhs for x in broken.lines if x.lhs] == [x.lhs for x in d.lines if x.lhs]
            assert "".join(test_lecture_judged.latex(broken).split()) == "".join(test_lecture_judged.latex(d).split())
            assert (broken.note, broken.frozen, broken.condition) == (d.note, d.frozen, d.condition)


def test_a_long_table_row_becomes_a_display() -> None:
    d = derive(shared_weight())
    text = render(d, "markdown", "en")
    assert long_lines(text) == []
    table = text[text.index(r"\begin{array}"):text.index(r"\end{array}")]
    assert r"\hline" in table and r"\text{Value}" in table
    # w's row: δ_h1·x1 + … + δ_h10·x1 over several rows of the array, the value on a row of its own
    assert r"& \qquad {}+ \delta_{h" in table and r"& \qquad {}= " in table
    for name in ["w", "b"] + [f"v_{{{k}}}" for k in range(1, 11)]:
        assert re.search(rf"^{re.escape(name)}$", table, re.M), name
    # a short table stays a Markdown table
    assert "\\begin{array}" not in render(derive(shared_weight(2)), "markdown", "en")


def test_wrap_source_only_moves_line_ends() -> None:
    matrix = r"\begin{bmatrix}" + r" \\ ".join(" & ".join(f"0.{r}{c}12345" for c in range(6)) for r in range(6))
    line = r"&\qquad {}\cdot \left(" + matrix + r"\end{bmatrix} + " + matrix + r"\end{bmatrix}\right) \\"
    wrapped = wrap_source("$$\n" + line + "\n$$", 120)
    assert " ".join(wrapped.splitlines()[1:-1]) == line
    assert all(len(x) <= 120 for x in wrapped.splitlines())
    assert all(x.startswith(("\\", "&", "$")) for x in wrapped.splitlines())  # no list item, quote or table


@needs_katex
@pytest.mark.katex
def test_katex_reads_the_broken_lines_and_the_array_table() -> None:
    spans = []
    for example in EXAMPLES:
        spans += math_spans(render(derive(Network.load(example)), "markdown", "en", full=True))
    spans += math_spans(render(derive(shared_weight()), "markdown", "zh"))
    assert any(r"\begin{array}" in tex for tex, _ in spans)
    assert katex_errors(spans) == []
