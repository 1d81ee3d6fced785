"""Two independent paths must agree on every line a lecture prints: the derivation that wrote it, and the answer
checker's judge (`symbackprop check`), which reads the printed LaTeX back and compares each member with the truth
it computes itself (sympy.diff of the whole loss, values at the network's numbers).

Every display of the lecture (forward pass, error, chain rule, δ's, gradients, updates, matrix form, the pass
after the update) is fed to the judge as the lines of an answer; each chain is judged against its own head, so
every member must be judged correct (or a right rounding, with --rounded). The frames of sample n are judged with
sample n's quantities, and the pass after the update at step 1.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import assume, given, settings
from test_truth_random import SETTINGS, away_from_kinks, saturated

from conftest import EXAMPLES, SEED004
from strategies import network_specs
from symbackprop import Network, derive
from symbackprop.check.judge import Judged
from symbackprop.check.parse import parse
from symbackprop.check.run import Checker
from symbackprop.render.lecture import AfterPart, Display, SamplePart, lecture


def displays(obj: Any, sample: int = 1, after: bool = False, path: str = ""
             ) -> Iterator[tuple[int, bool, str, Display]]:
    """Every Display of the lecture, with the sample (1-based) and whether it is after the update."""
    after = after or isinstance(obj, AfterPart) or path.endswith("after_loss")
    if isinstance(obj, Display):
        yield sample, after, path, obj
        return
    if isinstance(obj, SamplePart | AfterPart):
        sample = obj.index + 1
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from displays(getattr(obj, f.name), sample, after, f"{path}.{f.name}")
    elif isinstance(obj, list | tuple):
        for k, x in enumerate(obj):
            yield from displays(x, sample, after, f"{path}[{k}]")


def latex(d: Display) -> str:
    """The display as the lines of an answer: a line with a left side starts a chain, a continuation joins it."""
    out: list[str] = []
    for line in d.lines:
        if line.lhs or not out:
            out.append(f"{line.lhs} {line.rel} {line.text}")
        else:
            out[-1] += f" {line.rel} {line.text}"
    return "\n".join(out)


def misjudged(net: Network, **options: Any) -> list[tuple[str, str, str]]:
    """(where, the member, the judge's message) for every printed member the judge does not accept."""
    lec = lecture(derive(net), figures=False, **options)
    checker = Checker(net)
    out = []
    count = 0
    for sample, after, path, d in displays(lec):
        text = latex(d)
        if not text.strip():
            continue
        judge = checker.judge(1 if after else 0)
        judge.resolver.sample = sample
        parsed = parse(text, **judge.parse_options)  # a ParseError here is a failure: the lecture is unreadable
        judged = Judged()
        names = dict(parsed.names)
        for chain in parsed.chains:
            judge.chain(chain, names, judge.truth.target("E"), judged, text)
        count += len(judged.lines)
        out += [(path, line.latex, line.message) for line in judged.lines
                if line.verdict not in ("correct", "rounding")]
    assert count > 10, "the lecture printed (almost) nothing to judge"
    return out


@pytest.mark.parametrize("rounded", [False, True], ids=["exact", "rounded"])
@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.stem)
def test_the_judge_accepts_every_line_of_every_bundled_lecture(spec: Any, rounded: bool) -> None:
    net = Network.load(spec)
    assert misjudged(net, fmt="beamer", rounded=rounded) == []


@pytest.mark.parametrize("spec", [EXAMPLES[-1], EXAMPLES[0]], ids=lambda p: p.stem)
def test_the_article_and_markdown_lines_are_judged_too(spec: Any) -> None:
    """Other widths break the lines elsewhere: the continuations must still read as one chain."""
    net = Network.load(spec)
    assert misjudged(net, fmt="article") == []
    assert misjudged(net, fmt="markdown") == []


@settings(max_examples=8, derandomize=True, **SETTINGS)
@given(network_specs(hidden=(1, 1), widths=(1, 2), inputs=(1, 2), samples=(1, 2)))
def test_the_judge_accepts_every_line_of_a_random_network_lecture(data: dict[str, Any]) -> None:
    assume(away_from_kinks(data))
    # leaky ReLU's derivative is printed as a \\begin{cases}, which the checker does not read yet
    assume(all(layer["activation"] != "leaky_relu" for layer in data["layers"]))
    # a 1×1 matrix form of a batch (δ^{(1)}_n, the sample as subscript) reads as sample 1's δ_1: not yet told apart
    assume(len(data["samples"]) == 1 or all(len(layer["weights"]) * len(layer["weights"][0]) > 1
                                             for layer in data["layers"]))
    net = Network.from_dict(data)
    d = derive(net)
    assume(not saturated(net, d.forward) and not saturated(net, d.after))
    assert misjudged(net, fmt="beamer") == []


def test_the_judge_does_reject_a_wrong_printed_line() -> None:
    """The harness can fail: a lecture line with one factor changed is judged wrong."""
    net = Network.load(SEED004)
    checker = Checker(net)
    judge = checker.judge(0)
    text = r"\frac{\partial E_{total}}{\partial w_{5}} = \delta_{o1} \cdot \mathit{out}_{h2} = 0.138499 \cdot 0.596884"
    parsed = parse(text, **judge.parse_options)
    judged = Judged()
    for chain in parsed.chains:
        judge.chain(chain, dict(parsed.names), judge.truth.target("E"), judged, text)
    assert [line.verdict for line in judged.lines][1:] == ["incorrect", "incorrect"]
