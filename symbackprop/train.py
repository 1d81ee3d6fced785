"""Full-batch gradient descent in double precision, with the network compiled once (numeric.py).

The loss and every gradient of each step come from `Compiled.batch_loss_and_gradients` (by default the
layer-wise matrix form: reverse accumulation over the same graph as derive.py, the sums over the samples as
matrix products, no per-sample rows), so many steps stay cheap. The result keeps the loss per
step and every parameter's value per step, draws them (`Training.plot`, matplotlib) and gives the exact
derivation of any step on demand (`Training.derivation`), for a notebook:

    t = train(network, 200)
    t.plot()                  # loss per step, parameters over time
    t.derivation(3)           # derive() at the parameters after 3 exact gradient steps
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from .derive import Derivation, derive, next_step
from .errors import SpecError
from .network import Network
from .numeric import Compiled, compile_network

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

EXACT_STEPS = 50  # Training.derivation follows the exact steps up to here, then starts from the float values
PLOT_PARAMS = 12  # at most this many parameter curves (the ones that move most) in Training.plot


@dataclass(frozen=True)
class Update:
    """One update of a training run: the samples it used (indices), the loss on them and its gradient (with the
    weight-decay term), and every parameter after it."""

    samples: list[int]
    loss: float
    gradients: dict[str, float]
    params: dict[str, float]


@dataclass(frozen=True)
class Training:
    steps: int
    losses: list[float]  # the batch loss (with the decay term) before update 1, ..., after update N
    params: dict[str, float]
    outputs: dict[str, float | list[float]]  # per output neuron: a value, or one per sample
    history: dict[str, list[float]] = field(default_factory=dict)  # per parameter: before update 1, ..., after N
    updates: list[Update] = field(default_factory=list)
    epoch_losses: list[float] = field(default_factory=list)  # the batch loss before each pass and after the last
    network: Network | None = field(default=None, repr=False, compare=False)
    _exact: dict[int, Network] = field(default_factory=dict, init=False, repr=False, compare=False)

    # -- the derivation of a step -----------------------------------------------------------------

    def derivation(self, step: int, *, exact: bool | None = None, max_paths: int | None = None) -> Derivation:
        """`derive()` of the network with its parameters after `step` gradient steps (0: the spec's values).

        Its loss is losses[step] (without a weight decay's λ/2 Σ w², which derive leaves out); for plain
        full-batch gradient descent its gradients make step `step + 1` and its `updated` values (and
        `loss_after`) are those after it. With `exact` (the default up to step EXACT_STEPS = 50), the
        parameters come from `step` exact steps (`derive.next_step`, as the checker's Truth.at_step):
        rationals stay rational while they have at most derive.EXACT_DIGITS digits (a linear network's grow
        threefold per step), everything else is kept at derive's 50 significant digits. Each
        exact step costs one derive() (milliseconds for the seeds, longer for large networks); steps are
        cached, so asking for step k + 1 after step k costs one more. Without `exact` (the default beyond
        step 50), the parameters are the float values of the training (`history`), each converted exactly
        with sympy.Rational(float) (frozen parameters keep the spec's value); they agree with the exact ones
        to about 1e-12 relative.
        """
        if self.network is None:
            raise ValueError("this Training has no network to derive; train() keeps a reference to it")
        if not isinstance(step, int | np.integer) or not 0 <= step <= self.steps:
            raise ValueError(f"expected a step from 0 to {self.steps}, got {step!r}")
        step = int(step)
        plain = _plain(self.network)
        if exact and not plain:
            raise ValueError("exact steps follow full-batch gradient descent; this run updates otherwise "
                             "([training]): its steps are derived from the float values")
        if exact is None:
            exact = plain and step <= EXACT_STEPS
        if exact:
            network = self._exact_network(step)
        else:
            net = self.network
            values = {p: net.values[p] if p in net.frozen else sp.Rational(self.history[p.name][step])
                      for p in net.params}
            network = net.with_values(values)
        return derive(network, max_paths)

    def _exact_network(self, step: int) -> Network:
        assert self.network is not None
        start = max((k for k in self._exact if k <= step), default=0)
        network = self._exact.get(start, self.network)
        for k in range(start, step):
            network = next_step(network)
            self._exact[k + 1] = network
        return network

    # -- the plot ---------------------------------------------------------------------------------

    def plot(self, ax: Axes | Sequence[Axes] | None = None, params: bool = True) -> Figure:
        """The loss per step (log scale when it spans more than two decades) and, in a second axes, every
        parameter over time (with more than 12 parameters only the 12 that move most, which the title says).

        `ax`: None for a new figure (one axes, or two side by side with `params`); one Axes for the loss
        alone; two Axes for the loss and the parameters. Returns the Figure. matplotlib is an optional
        dependency (`pip install 'symbackprop[notebook]'`); without a display and without a chosen backend,
        Agg is used. In Jupyter's inline backend the new figure is handed back without being kept open by
        pyplot, so that it is shown once, as the cell's value.
        """
        if ax is None:
            plt = _pyplot()
            fig, grid = plt.subplots(1, 2 if params else 1, figsize=(11.0 if params else 6.0, 4.0), squeeze=False,
                                     layout="constrained")
            axes = list(grid[0])
            if "inline" in plt.get_backend().lower():
                plt.close(fig)
        else:
            axes = list(ax) if isinstance(ax, Sequence | np.ndarray) else [ax]
            fig = axes[0].figure
        steps = np.arange(len(self.losses))
        marker = "." if len(self.losses) <= 60 else None
        loss_ax = axes[0]
        loss_ax.plot(steps, self.losses, marker=marker, label="loss")
        loss_ax.set_xlabel("step")
        loss_ax.set_ylabel("loss")
        loss_ax.set_title("Loss per step")
        finite = [v for v in self.losses if np.isfinite(v)]
        if finite and min(finite) > 0 and max(finite) / min(finite) > 100:
            loss_ax.set_yscale("log")
        loss_ax.grid(True, alpha=0.3)
        if params and len(axes) > 1:
            param_ax = axes[1]
            names = list(self.history)
            if len(names) > PLOT_PARAMS:
                moved = {n: max(v) - min(v) for n, v in self.history.items()}
                shown = sorted(names, key=lambda n: -moved[n])[:PLOT_PARAMS]
                names = [n for n in names if n in shown]  # the network's order
                param_ax.set_title(f"Parameters: the {PLOT_PARAMS} of {len(self.history)} that move most")
            else:
                param_ax.set_title("Parameters")
            for i, n in enumerate(names):  # the colour cycle has 10 colours: dashed lines after them
                param_ax.plot(np.arange(len(self.history[n])), self.history[n], marker=marker, label=n,
                              linestyle="-" if i < 10 else "--")
            param_ax.set_xlabel("step")
            param_ax.set_ylabel("value")
            param_ax.grid(True, alpha=0.3)
            if names:
                param_ax.legend(fontsize="small", ncol=2 if len(names) > 6 else 1)
        return fig


def _pyplot() -> Any:
    """matplotlib.pyplot, imported on first use; Agg when there is no display and no backend was chosen."""
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError("Training.plot needs matplotlib: pip install 'symbackprop[notebook]' "
                          "(or pip install matplotlib)") from exc
    chosen = getattr(matplotlib.rcParams, "_get_backend_or_none", None)
    undecided = chosen() is None if chosen is not None else "MPLBACKEND" not in os.environ
    headless = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if undecided and headless and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


# --- training ------------------------------------------------------------------------------------

def _plain(network: Network) -> bool:
    """Whether the network trains by plain full-batch gradient descent (no [training] options)."""
    t = network.spec.training
    return t.update == "batch" and t.momentum == 0 and t.weight_decay == 0


def train(network: Network, steps: int | None = None, *, epochs: int | None = None,
          compiled: Compiled | None = None) -> Training:
    """N gradient-descent updates (`steps`), or N passes over the samples (`epochs`); frozen parameters keep
    their values. The spec's [training] table says what an update is: the batch loss (default), one sample
    (online) or a minibatch, in the samples' order; with momentum μ, Δw_t = −η g_t + μ Δw_{t−1}; with weight
    decay λ, g = ∂E/∂w + λ w for the weights (and the biases with decay_biases), the loss E + λ/2 Σ w².

    `compiled` reuses a compile_network(network) from an earlier call (compiling is the expensive part).
    """
    if (steps is None) == (epochs is None):
        raise SpecError("expected a number of steps or a number of epochs (one of them)", key="--steps")
    net = network
    groups = net.spec.training.per_update(len(net.samples))
    if epochs is not None:
        if epochs < 0:
            raise SpecError(f"expected a number of epochs >= 0, got {epochs}", key="--epochs")
        steps = epochs * len(groups)
    assert steps is not None
    if steps < 0:
        raise SpecError(f"expected a number of steps >= 0, got {steps}", key="--steps")
    missing = [str(s) for s in (*net.params, net.learning_rate) if s not in net.values]
    for sample in net.samples:
        missing += [str(s) for s in (*net.inputs, *net.targets) if s not in sample]
    if missing:
        raise SpecError(f"training needs numbers; no value for {', '.join(dict.fromkeys(missing))}",
                        key="params", source=net.spec.source)
    if any(layer.activation.name == "abstract" for layer in net.layers):
        raise SpecError("training needs a concrete activation, not an abstract one", key="layers",
                        source=net.spec.source)
    if compiled is None:
        compiled = compile_network(net)
    elif compiled.network.params != net.params or compiled.network.spec is not net.spec:
        raise ValueError("compiled is not a compilation of this network")
    x, t = compiled.data()
    n = x.shape[1]
    options = net.spec.training
    theta = np.array([float(net.values[p]) for p in net.params])
    trainable = np.array([p not in net.frozen for p in net.params], dtype=bool)
    biases = {b for layer in net.layers for b in layer.biases if b is not None}
    decaying = np.array([options.decay_biases or p not in biases for p in net.params], dtype=bool)
    eta, mu, lam = (float(v) for v in (net.values[net.learning_rate], options.momentum, options.weight_decay))
    names = compiled.param_names

    def objective(theta: np.ndarray, cols: list[int] | None, k: int) -> tuple[float, np.ndarray]:
        """The loss (with the decay term) and its gradient on these samples (None: all of them)."""
        loss, grads = compiled.batch_loss_and_gradients(theta, x, t) if cols is None else \
            compiled.batch_loss_and_gradients(theta, x[:, cols], t[:, cols])  # batch sums, no per-sample rows
        if lam:
            loss += lam / 2 * float(np.sum(theta[decaying] ** 2))
            grads = grads + lam * np.where(decaying, theta, 0.0)
        if not np.isfinite(loss) or not np.all(np.isfinite(grads)):
            raise SpecError(f"training diverged at step {k}: the loss or a gradient is no longer finite in float64 "
                            f"(the parameters have grown to {np.max(np.abs(theta)):.3g}); try a smaller learning "
                            "rate", key="learning_rate", source=net.spec.source)
        return loss, grads

    history = np.empty((steps + 1, len(theta)))
    losses: list[float] = []
    updates: list[Update] = []
    velocity = np.zeros_like(theta)
    for k in range(steps + 1):
        history[k] = theta
        loss, grads = objective(theta, None, k)
        losses.append(loss)
        if k == steps:
            break
        cols = groups[k % len(groups)]
        if len(cols) < n:
            loss, grads = objective(theta, cols, k)
        velocity = np.where(trainable, mu * velocity - eta * grads, 0.0)
        theta = theta + velocity
        updates.append(Update(cols, loss, dict(zip(names, map(float, grads), strict=True)),
                              dict(zip(names, map(float, theta), strict=True))))
    outputs: dict[str, float | list[float]] = {}
    for name, v in compiled.outputs(theta).items():  # the forward pass at the final parameters
        row = [float(u) for u in v]
        outputs[name] = row[0] if n == 1 else row
    per_epoch = len(groups)
    return Training(steps, losses, dict(zip(names, (float(v) for v in theta), strict=True)), outputs,
                    history={name: history[:, j].tolist() for j, name in enumerate(names)}, updates=updates,
                    epoch_losses=losses[::per_epoch] + ([losses[-1]] if steps % per_epoch else []), network=net)


__all__ = ["EXACT_STEPS", "Training", "Update", "train"]
