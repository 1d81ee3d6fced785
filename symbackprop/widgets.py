"""A step-through of a training run in Jupyter: a slider over the steps and a choice of parameter, showing that
step's derivation of the parameter's gradient and update, and the network drawn with that step's values.

    run = train(network, 20)
    step_through(run)          # in a notebook cell

`step_view` computes what one position shows (plain data, no widgets); `step_through` wires it to ipywidgets,
an optional dependency (the `notebook` extra) imported only when a widget is built.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .numbers import Format
from .render.equations import Equation, Writer
from .render.figure import network_svg
from .train import Training

INSTALL = "pip install 'symbackprop[notebook]'"


@dataclass(frozen=True)
class StepView:
    """What the widget shows for one step and one parameter: the equations (each sample's ∂E/∂p, the batch's
    when there are several samples, the update p⁺ = p − η ∂E/∂p), the network with the step's values and the
    parameter's paths to the error highlighted, and the exact numbers behind them."""

    step: int
    param: str
    loss: float  # the batch loss at this step (before its update)
    gradient: float  # ∂E/∂p of the batch at this step
    updated: float  # p after this step's update
    equations: tuple[Equation, ...]
    svg: str

    def math(self) -> str:
        """The equations as HTML for ipywidgets.HTMLMath: a heading, then one $$…$$ block per equation."""
        head = f"<p><b>Step {self.step}</b>: loss E = {self.loss:.6g}; the update of {html.escape(self.param)}</p>"
        return head + "".join(f"<div>{html.escape(e._repr_latex_())}</div>" for e in self.equations)


def step_view(run: Training, step: int, param: str, form: Format | None = None) -> StepView:
    """The derivation of `param`'s gradient and update at `step` of `run` (Training.derivation: exact steps up to
    50, the training's float values beyond), and the network figure with that step's values (the first
    sample's)."""
    d = run.derivation(step)
    p = d.param(param)
    w = Writer(d, "latex", form)
    writers = w.sample_writers()
    equations = [x.gradient(p) for x in writers]
    if len(writers) > 1:
        equations.append(w.batch_gradient(p, writers))
    equations.append(w.update(p))
    net = d.network
    values = {s: v for s, v in w.plain.items() if len(net.samples) == 1 or s != net.error}
    svg = network_svg(net, highlight=p.param, values=values, title=f"step {step}, ∂E/∂{param}")
    return StepView(step, param, float(d.loss) if d.loss is not None else float("nan"),
                    float(p.gradient) if p.gradient is not None else float("nan"),
                    float(p.updated) if p.updated is not None else float("nan"), tuple(equations), svg)


def _ipywidgets() -> Any:
    try:
        import ipywidgets
    except ImportError as error:
        raise ImportError(f"the step-through widget needs ipywidgets: {INSTALL}") from error
    return ipywidgets


@dataclass(eq=False)
class StepThrough:
    """The widget: `slider` (the step), `choice` (the parameter), `figure` (HTML: the network) and `math`
    (HTMLMath: the equations), in one box that Jupyter displays. `view` is what is shown now."""

    run: Training
    form: Format | None
    slider: Any
    choice: Any
    figure: Any
    math: Any
    box: Any
    view: StepView | None = field(default=None, init=False)

    def show(self, _: Any = None) -> None:
        self.view = step_view(self.run, self.slider.value, self.choice.value, self.form)
        self.figure.value = self.view.svg
        self.math.value = self.view.math()

    def _ipython_display_(self) -> None:
        from IPython.display import display
        display(self.box)


def step_through(run: Training, params: Sequence[str] | None = None, form: Format | None = None,
                 last: int | None = None) -> StepThrough:
    """A slider over the steps 0 … `last` (default: every step of the run, at most 50: the exact ones) and a
    choice among `params` (default: every trainable parameter), showing step_view of the chosen pair."""
    widgets = _ipywidgets()
    if run.network is None:
        raise ValueError("this Training has no network to derive; train() keeps a reference to it")
    net = run.network
    names = list(params) if params is not None else [p.name for p in net.params if p not in net.frozen]
    known = {p.name for p in net.params}
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise ValueError(f"{unknown[0]!r} is not a parameter of the network" if unknown else "no parameter to show")
    last = min(run.steps, 50) if last is None else last
    if not 0 <= last <= run.steps:
        raise ValueError(f"expected a last step from 0 to {run.steps}, got {last}")
    slider = widgets.IntSlider(value=0, min=0, max=last, description="step", continuous_update=False)
    choice = widgets.Dropdown(options=names, value=names[0], description="parameter")
    figure, math = widgets.HTML(), widgets.HTMLMath()
    box = widgets.VBox([widgets.HBox([slider, choice]), figure, math])
    widget = StepThrough(run, form, slider, choice, figure, math, box)
    slider.observe(widget.show, names="value")
    choice.observe(widget.show, names="value")
    widget.show()
    return widget
