"""examples/training/momentum_orr.toml against its published numbers: Genevieve Orr's CS-449 notes on momentum
(Willamette University) work gradient descent on E = w² from w = 10 with η = 0.8, with momentum 0.1 and without.
The published runs are the independent truth; a loop of fractions written here gives the same numbers."""

from __future__ import annotations

import json
import tomllib
from fractions import Fraction as F
from typing import Any

from conftest import ROOT
from symbackprop import derive
from symbackprop.network import Network
from symbackprop.render import derivation_text
from symbackprop.train import train

ORR = ROOT / "examples" / "training" / "momentum_orr.toml"
WITH_MOMENTUM = [F(-6), F(2), F(-2, 5)]  # w(1), w(2), w(3) as printed on the page, β = 0.1
WITHOUT = [F(-6), F(18, 5), F(-54, 25)]  # −6, 3.6, −2.16


def loop(beta: F, steps: int = 3) -> list[F]:
    """Δw(t) = −η·2w + β Δw(t − 1), w += Δw: the page's rule, in fractions."""
    w, dw, out = F(10), F(0), []
    for _ in range(steps):
        dw = -F(4, 5) * 2 * w + beta * dw
        w += dw
        out.append(w)
    return out


def test_three_updates_with_and_without_momentum_are_the_published_ones() -> None:
    assert loop(F(1, 10)) == WITH_MOMENTUM and loop(F(0)) == WITHOUT
    run = train(Network.load(ORR), 3)
    assert all(abs(s.params["w"] - float(v)) < 1e-12 for s, v in zip(run.updates, WITH_MOMENTUM, strict=True))
    assert [s.gradients["w"] for s in run.updates][:2] == [20.0, -12.0]  # dE/dw = 2w at 10 and at −6
    plain = Network.from_dict({**_data(), "training": {}})
    assert all(abs(v - float(p)) < 1e-12 for v, p in zip(train(plain, 3).history["w"][1:], WITHOUT, strict=True))


def _data() -> dict[str, Any]:
    return tomllib.loads(ORR.read_text(encoding="utf-8"))


def test_derive_prints_the_page_s_two_momentum_steps() -> None:
    """Update 1: 10 − 0.8·20 + 0.1·0 = −6; update 2: −6 − 0.8·(−12) + 0.1·(−16) = 2, the page's Δw(2) = 8."""
    text = derivation_text(derive(Network.load(ORR)))
    part = text[text.index("updates, as [training] says"):]
    lines = [line.strip() for line in part.splitlines()]
    k1 = lines.index("w⁺ = w - η · ∂E/∂w + μ · Δw_prev")
    assert lines[k1 + 1:k1 + 3] == ["= 10 - 0.8 · 20 + 0.1 · 0", "= -6"]
    k2 = lines.index("w⁺ = w - η · ∂E/∂w + μ · Δw_prev", k1 + 1)
    assert lines[k2 + 1:k2 + 3] == ["= (-6) - 0.8 · (-12) + 0.1 · (-16)", "= 2"]
    assert F(-6) - F(4, 5) * -12 + F(1, 10) * -16 == 2


def test_train_json_steps(run_cli: Any) -> None:
    data = json.loads(run_cli("train", ORR, "--steps", "3", check=True).stdout)
    got = [step["params"]["w"] for step in data["steps"]]
    assert all(abs(g - float(v)) < 1e-12 for g, v in zip(got, WITH_MOMENTUM, strict=True))
