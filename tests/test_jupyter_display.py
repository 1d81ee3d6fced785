"""Jupyter's display protocol: every object shows itself as math that KaTeX (like MathJax) can typeset."""

from __future__ import annotations

import pytest
from katex_check import katex_errors, katex_unavailable, math_spans

from conftest import EXAMPLES, SEED004
from symbackprop import Network, derive
from symbackprop.check.answers import parse_answers
from symbackprop.check.run import check_answers
from symbackprop.render.equations import Writer
from symbackprop.render.tex import describe

pytestmark = pytest.mark.skipif(katex_unavailable() is not None, reason=str(katex_unavailable()))


@pytest.mark.katex
def test_networks_derivations_and_equations_render() -> None:
    spans: list[tuple[str, bool]] = []
    for example in EXAMPLES:
        net = Network.load(example)
        shown = net._repr_markdown_()
        # the loss named in words, as the lectures name it, not the spec's option (half_sse)
        assert describe(net) in shown and net.loss_name not in shown and "\\begin{aligned}" in shown
        spans += math_spans(shown)
        d = derive(net)
        spans += math_spans(d._repr_markdown_())
        w = Writer(d, "latex")
        for p in d.params:
            latex = w.gradient(p)._repr_latex_()
            assert latex.startswith("$$") and latex.endswith("$$")
            spans += math_spans(latex)
    assert len(spans) > 200
    assert katex_errors(spans) == []


@pytest.mark.katex
def test_a_check_report_renders_with_its_diagnosis() -> None:
    data = {"answer": [
        {"id": "ok", "quantity": "dE/dw5", "latex": r"\frac{\partial E}{\partial w_5} = \delta_{o1} out_{h1}"},
        {"id": "bad", "quantity": "dE/dw5",
         "latex": r"\frac{\partial E}{\partial w_5} = (out_{o1} - target_{o1}) out_{h1}"},
        {"id": "broken", "quantity": "dE/dw5", "latex": r"\frac{1}{"}]}
    result = check_answers(Network.load(SEED004), parse_answers(data, "a.toml"))
    shown = result._repr_markdown_()
    assert "missing activation derivative" in shown and "unparseable" in shown and "✓" in shown
    spans = math_spans(shown)
    assert spans and katex_errors(spans) == []
