"""Line breaking (render/layout.py): it measures each term and factor once and keeps running totals, which is
right only because the width estimate is additive over pieces joined by a space. Both facts are checked
here on every equation of real derivations, against the estimate of the whole joined text."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES
from symbackprop import Network, derive
from symbackprop.render.equations import Equation, Writer
from symbackprop.render.layout import lines, width


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
