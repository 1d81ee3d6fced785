"""The KaTeX harness itself: math is found where Jupyter finds it, and KaTeX rejects what a reader could not see."""

from __future__ import annotations

import pytest
from katex_check import katex_errors, katex_unavailable, math_spans

pytestmark = pytest.mark.katex

needs_katex = pytest.mark.skipif(katex_unavailable() is not None, reason=str(katex_unavailable()))


def test_inline_and_display_math_are_told_apart():
    markdown = "The error $E$ and its gradient:\n\n$$\\frac{\\partial E}{\\partial w_{5}}$$\n\nwith $\\eta = 0.5$."
    assert math_spans(markdown) == [
        ("E", False), ("\\frac{\\partial E}{\\partial w_{5}}", True), ("\\eta = 0.5", False)]


def test_display_math_may_span_lines_but_not_a_blank_line():
    markdown = "$$\n\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}\n$$\n"
    assert math_spans(markdown) == [("\n\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}\n", True)]
    assert math_spans("$$ a\n\nb $$") == []  # Jupyter does not render this as math either


def test_bare_environment_and_bracket_delimiters_are_math():
    assert math_spans("\\begin{equation}x^2\\end{equation}") == [("\\begin{equation}x^2\\end{equation}", True)]
    assert math_spans("a \\\\(x\\\\) b \\\\[y\\\\]") == [("x", False), ("y", True)]


def test_code_spans_fences_and_escaped_dollars_are_not_math():
    markdown = (
        "Run `echo $HOME` then `$PATH`; it costs \\$5 and \\$6.\n\n"
        "```bash\nexport A=$B\necho $$\n```\n\n"
        "Real: $x_1$."
    )
    assert math_spans(markdown) == [("x_1", False)]


def test_a_dollar_inside_braces_does_not_close_math():
    assert math_spans("$\\text{costs \\$ and {$}}$ end") == [("\\text{costs \\$ and {$}}", False)]


def test_a_lone_dollar_is_text():
    assert math_spans("It costs $5 in total.") == []


@needs_katex
def test_katex_accepts_good_formulas():
    good = [
        ("\\frac{\\partial E_{total}}{\\partial w_{5}} = \\delta_{o_{1}} \\cdot out_{h_{1}}", True),
        ("\\partial E/\\partial w_{5}", False),
        ("\\begin{aligned} net_{h_{1}} &= w_{1} i_{1} + w_{2} i_{2} + b_{1} \\\\ &= 0.3775 \\end{aligned}", True),
        ("\\mathit{net}_{h_{1}}", False),
        ("\\text{误差对权重的偏导数：}\\frac{\\partial E}{\\partial w}", True),  # Chinese in \text is fine
        ("\\delta^{(2)}_{1} = \\left(W^{(3)\\top} \\delta^{(3)}\\right) \\odot f'(z^{(2)})", True),
        ("w_{5}^{+} = w_{5} - \\eta \\cdot \\frac{\\partial E}{\\partial w_{5}}", False),
    ]
    assert katex_errors(good) == []


@needs_katex
@pytest.mark.parametrize(("tex", "display", "expected"), [
    ("\\frac{1}{", False, "Unexpected end of input"),
    ("\\badcommand", False, "Undefined control sequence: \\badcommand"),
    ("\\badcommand", True, "Undefined control sequence: \\badcommand"),
    ("\\frac{1}{2", True, "expected '}'"),
    ("误差 = 1", False, "unicodeTextInMathMode"),       # Chinese outside \text in math mode
    ("a \\\\ b", True, "newLineInDisplayMode"),          # top-level \\ in display math does nothing in LaTeX
    ("x % note", False, "commentAtEnd"),
    ("\\href{https://example.org}{x}", False, "untrusted command \\href"),
])
def test_katex_rejects_bad_formulas(tex, display, expected):
    errors = katex_errors([("x", False), (tex, display)])
    assert len(errors) == 1
    assert errors[0][0] == tex
    assert expected in errors[0][1]


@needs_katex
def test_markdown_end_to_end():
    markdown = "Good $a+b$, bad $\\frac{1}{$ and `$\\nope$` in code.\n\n$$\\badcommand$$\n"
    errors = katex_errors(math_spans(markdown))
    assert [tex for tex, _ in errors] == ["\\frac{1}{", "\\badcommand"]


@needs_katex
def test_the_pinned_katex_is_installed():
    import json

    from katex_check import KATEX_DIR

    lock = json.loads((KATEX_DIR / "package-lock.json").read_text(encoding="utf-8"))
    installed = json.loads((KATEX_DIR / "node_modules" / "katex" / "package.json").read_text(encoding="utf-8"))
    assert installed["version"] == lock["packages"]["node_modules/katex"]["version"]
