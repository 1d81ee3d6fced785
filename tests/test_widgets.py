"""symbackprop.widgets: the step view against sympy.diff of the whole error at the training's parameters, and the
widget's controls (with ipywidgets; without it, one clear message)."""

from __future__ import annotations

import sys

import pytest
import sympy as sp

from conftest import SEED004
from symbackprop import Network
from symbackprop.numbers import Format
from symbackprop.train import train
from symbackprop.widgets import step_through, step_view


@pytest.fixture(scope="module")
def run():
    return train(Network.load(SEED004), 8)


def _true_gradient(run, step: int, name: str) -> float:
    """∂E/∂name by sympy.diff of the error composed down to the inputs and parameters, at the run's parameters."""
    net = run.network
    error = net.composed()[net.error]
    param = next(p for p in net.params if p.name == name)
    at = {**net.values, **net.samples[0], **{p: sp.Float(run.history[p.name][step], 30) for p in net.params}}
    return float(sp.diff(error, param).xreplace(at))


@pytest.mark.parametrize(("step", "name"), [(0, "w1"), (3, "w1"), (3, "w8"), (8, "w4")])
def test_step_view_is_the_true_gradient_and_the_training_step(run, step: int, name: str) -> None:
    view = step_view(run, step, name, Format(digits=6))
    assert view.gradient == pytest.approx(_true_gradient(run, step, name), rel=1e-10)
    assert view.loss == pytest.approx(run.losses[step], rel=1e-12)
    if step < run.steps:
        assert view.updated == pytest.approx(run.history[name][step + 1], rel=1e-12)
    shown = view.math()
    assert f"Step {step}" in shown and f"{abs(view.gradient):.6g}" in shown  # the derivation ends in its value
    assert view.svg.startswith("<svg") and f"step {step}" in view.svg


def test_two_samples_show_each_gradient_and_the_batch() -> None:
    net = Network.load(SEED004.parent / "softmax_batch.toml")
    view = step_view(train(net, 2), 1, "w1")
    # sample 1's, sample 2's, the batch's ∂E/∂w1, then the update
    assert len(view.equations) == 4 and view.equations[-1].lhs.startswith("{w_{1}}^{+}")


def test_widget_controls(run) -> None:
    pytest.importorskip("ipywidgets")
    widget = step_through(run, form=Format(digits=6))
    assert widget.view is not None and (widget.view.step, widget.view.param) == (0, "w1")
    assert widget.slider.max == run.steps and widget.choice.options == tuple(p.name for p in run.network.params
                                                                              if p not in run.network.frozen)
    widget.slider.value = 5
    assert widget.view.step == 5 and "Step 5" in widget.math.value
    widget.choice.value = "w6"
    assert widget.view.param == "w6" and widget.math.value == widget.view.math()
    assert widget.figure.value == widget.view.svg
    assert widget.view.gradient == pytest.approx(_true_gradient(run, 5, "w6"), rel=1e-10)
    with pytest.raises(ValueError, match="'w99' is not a parameter"):
        step_through(run, ["w99"])


def test_without_ipywidgets_one_clear_message(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets now raises ImportError
    with pytest.raises(ImportError, match=r"pip install 'symbackprop\[notebook\]'"):
        step_through(run)
