"""The class exercise (`--exercise`, as seed 002 ends): the network once more with the updated parameters rounded
to 4 decimals, the questions, and answers that are true of that network — judged by the answer checker against
the exercise's own network, the values checked against one gradient step computed here with sympy.diff."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sympy as sp
from test_lecture_judged import latex
from test_lecture_truth import case, latex_of, updated_params

from conftest import ROOT, SEED002, SOFTMAX
from symbackprop import Network, derive
from symbackprop.check.judge import Judged
from symbackprop.check.parse import parse
from symbackprop.check.run import Checker
from symbackprop.errors import SpecError
from symbackprop.network import symbol
from symbackprop.render.document import render
from symbackprop.render.lecture import lecture

ONE_SAMPLE = ["seed000_in_out", "seed002_linear", "seed004_mattmazur"]


@pytest.mark.parametrize("name", ONE_SAMPLE)
def test_the_exercise_is_the_network_after_one_step_rounded(name: str) -> None:
    data, net, model, names = case(name)
    exercise = lecture(derive(net), "beamer", figures=False, exercise=True).exercise
    assert exercise is not None
    after = updated_params(model, data)
    given = {sym: value for _, rows in exercise.given for sym, value, _ in rows}
    assert set(given) == {latex_of(names, p) for p in model.params}
    for p in model.params:
        expected = Decimal(str(float(after[p]))).quantize(Decimal("0.0001"))
        if p in set(data.get("frozen", [])):
            expected = Decimal(str(data["params"][p]))
        assert Decimal(given[latex_of(names, p)]) == expected, (p, given[latex_of(names, p)], expected)
        assert exercise.network.values[symbol(p)] == sp.Rational(str(expected))  # the network the answers are for


@pytest.mark.parametrize("rounded", [False, True], ids=["exact", "rounded"])
@pytest.mark.parametrize("name", ONE_SAMPLE)
def test_every_answer_line_is_judged_correct_on_the_exercise_network(name: str, rounded: bool) -> None:
    net = Network.load(ROOT / "examples" / f"{name}.toml")
    exercise = lecture(derive(net), "beamer", figures=False, rounded=rounded, exercise=True).exercise
    assert exercise is not None and len(exercise.answers) >= 4
    checker = Checker(exercise.network)
    wrong: list[tuple[str, str]] = []
    for k, d in enumerate(exercise.answers):
        judge = checker.judge(1 if k == len(exercise.answers) - 1 else 0)  # the last: the error after the step
        text = latex(d)
        parsed = parse(text, **judge.parse_options)
        judged = Judged()
        names = dict(parsed.names)
        for chain in parsed.chains:
            judge.chain(chain, names, judge.truth.target("E"), judged, text)
        assert judged.lines
        wrong += [(line.latex, line.message) for line in judged.lines if line.verdict not in ("correct", "rounding")]
    assert wrong == []
    # and on the lecture's own network the same answers are wrong: they are about other numbers
    lecture_judge = Checker(net).judge(0)
    text = latex(exercise.answers[0])
    parsed = parse(text, **lecture_judge.parse_options)
    judged = Judged()
    for chain in parsed.chains:
        lecture_judge.chain(chain, dict(parsed.names), lecture_judge.truth.target("E"), judged, text)
    assert any(line.verdict == "incorrect" for line in judged.lines)


def test_the_exercise_frames_follow_the_summary_and_an_unfit_network_is_refused() -> None:
    d = derive(Network.load(SEED002))
    tex = render(d, "beamer", "zh", exercise=True)
    summary, exercise, answers = (tex.index(r"\begin{frame}{" + t) for t in ("小结", "课堂练习}", "课堂练习：答案"))
    assert summary < exercise < answers
    assert r"\begin{frame}{课堂练习" not in render(d, "beamer", "zh")
    with pytest.raises(SpecError, match="--exercise"):
        lecture(derive(Network.load(SOFTMAX)), "beamer", exercise=True)

