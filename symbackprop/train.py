"""Full-batch gradient descent in double precision, with the network compiled once (numeric.py).

The loss and every gradient of each step come from `Compiled.batch_loss_and_gradients` (by default the
layer-wise matrix form: reverse accumulation over the same graph as derive.py, the sums over the samples as
matrix products, no per-sample rows), so many steps stay cheap. The result keeps the loss per
step and every parameter's value per step, draws them (`Training.plot`, matplotlib) and gives the exact
derivation of any step on demand (`Training.derivation`), for a notebook:

    t = train(network, 200)
    t.plot()                  # loss per step, parameters over time
    t.derivation(3)           # derive() at the parameters after 3 exact gradient steps

Two textbook conventions of the [training] table change what an update is. `layer_update = "sequential"`
updates the output layer first and back-propagates the δ's below through its already-updated weights (layer by
layer, from the last to the first): not a gradient step, and every update records how far it is from the
gradient step (`Update.gap`). `rounding = N` trains as a hand calculation does: every intermediate (net inputs,
outputs, loss terms, ∂E/∂out, f'(net), δ's, gradients, velocities, new parameters) rounded half up to N decimals
with numbers.round_decimals, in exact decimal arithmetic (`_ByHand`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from .derive import Derivation, derive, evaluate, next_step
from .errors import SpecError
from .layers import kind_of
from .layerwise import LayerPlan, NotLayerwise, layer_plan
from .limits import MAX_ROUNDED_UPDATES, MAX_TRAINING_VALUES
from .losses import matching_activation
from .network import Network
from .numbers import round_decimals
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
    # layer_update = "sequential": the gradient of the same loss at the same parameters (what a simultaneous update
    # uses; `gradients` are then what each layer was updated with), and the largest |difference| between this
    # update's new parameters and those of the gradient step from the same state (momentum included)
    true_gradients: dict[str, float] | None = None
    gap: float | None = None


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
            for i, n in enumerate(names):  # the colour cycle has 10 colours: dashed, then dotted lines after them
                param_ax.plot(np.arange(len(self.history[n])), self.history[n], marker=marker, label=n,
                              color=f"C{i % 10}", linestyle=("-", "--", ":")[min(i // 10, 2)])
            param_ax.set_xlabel("step")
            param_ax.set_ylabel("value")
            param_ax.grid(True, alpha=0.3)
            if names:  # beside the axes, never over a curve
                param_ax.legend(fontsize="small", ncol=2 if len(names) > 6 else 1, loc="upper left",
                                bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
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
    return (t.update == "batch" and t.momentum == 0 and t.weight_decay == 0 and t.layer_update == "simultaneous"
            and t.rounding is None)


def _within_limits(net: Network, steps: int, key: str) -> None:
    """Checked before any work: a run records every parameter after every update, and a hand-rounded update is
    exact arithmetic."""
    values = steps * max(1, len(net.params))
    if values > MAX_TRAINING_VALUES:
        raise SpecError(f"{steps} updates of {len(net.params)} parameters would record {values} values; the limit is "
                        f"{MAX_TRAINING_VALUES} (at most {MAX_TRAINING_VALUES // max(1, len(net.params))} updates of "
                        "this network)", key=key)
    if net.spec.training.rounding is not None and steps > MAX_ROUNDED_UPDATES:
        raise SpecError(f"expected at most {MAX_ROUNDED_UPDATES} hand-rounded updates ([training] rounding), got "
                        f"{steps}", key=key)


Objective = Callable[[np.ndarray, "list[int] | None", int], tuple[float, np.ndarray]]


def update_count(steps: int | None, epochs: int | None, groups: Sequence[Sequence[int]]) -> int:
    """The number of updates: `steps`, or `epochs` passes over the update groups (one of them, checked)."""
    if (steps is None) == (epochs is None):
        raise SpecError("expected a number of steps or a number of epochs (one of them)", key="--steps")
    if epochs is not None:
        if epochs < 0:
            raise SpecError(f"expected a number of epochs >= 0, got {epochs}", key="--epochs")
        steps = epochs * len(groups)
    assert steps is not None
    if steps < 0:
        raise SpecError(f"expected a number of steps >= 0, got {steps}", key="--steps")
    return steps


def regularised(loss: float, grads: np.ndarray, theta: np.ndarray, lam: float, decaying: np.ndarray, k: int,
                source: str) -> tuple[float, np.ndarray]:
    """The loss with weight decay's λ/2 Σ w² and its gradient with λ w (over `decaying`), refused when a value is
    no longer finite (the run diverged at update k)."""
    if lam:
        loss += lam / 2 * float(np.sum(theta[decaying] ** 2))
        grads = grads + lam * np.where(decaying, theta, 0.0)
    if not np.isfinite(loss) or not np.all(np.isfinite(grads)):
        raise SpecError(f"training diverged at step {k}: the loss or a gradient is no longer finite in float64 "
                        f"(the parameters have grown to {np.max(np.abs(theta)):.3g}); try a smaller learning "
                        "rate", key="learning_rate", source=source)
    return loss, grads


def descend(theta: np.ndarray, steps: int, groups: Sequence[list[int]], objective: Objective, eta: float,
            mu: float, trainable: np.ndarray, names: Sequence[str]) -> tuple[np.ndarray, list[float], list[Update]]:
    """Gradient descent with momentum, one update per group of samples in turn (all of them, one, a minibatch):
    θ before update 1 … after update N (rows), the loss on all samples at each, and the updates. The one loop
    of a layered network's and a circuit's training (the sequential layer update has its own)."""
    history = np.empty((steps + 1, len(theta)))
    losses: list[float] = []
    updates: list[Update] = []
    velocity = np.zeros_like(theta)
    n = len({i for g in groups for i in g})  # the samples: a group of fewer is an update on a part of them

    def named(values: np.ndarray) -> dict[str, float]:
        return dict(zip(names, map(float, values), strict=True))

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
        updates.append(Update(cols, loss, named(grads), named(theta)))
    return history, losses, updates


def train(network: Network, steps: int | None = None, *, epochs: int | None = None,
          compiled: Compiled | None = None) -> Training:
    """N gradient-descent updates (`steps`), or N passes over the samples (`epochs`); frozen parameters keep
    their values. The spec's [training] table says what an update is: the batch loss (default), one sample
    (online) or a minibatch, in the samples' order; with momentum μ, Δw_t = −η g_t + μ Δw_{t−1}; with weight
    decay λ, g = ∂E/∂w + λ w for the weights (and the biases with decay_biases), the loss E + λ/2 Σ w²; with
    layer_update = "sequential", layer by layer from the output down (LayerPlan.sequential); with rounding = N,
    as a hand calculation to N decimals (no compiled code).

    `compiled` reuses a compile_network(network) from an earlier call (compiling is the expensive part).
    """
    net = network
    if net.spec.training.rule == "perceptron":
        raise SpecError("[training] rule = \"perceptron\" is not gradient descent: perceptron.learn(network, "
                        "epochs) runs it (symbackprop train does)", key="training.rule", source=net.spec.source)
    groups = net.spec.training.per_update(len(net.samples))
    steps = update_count(steps, epochs, groups)
    _within_limits(net, steps, "--epochs" if epochs is not None else "--steps")
    missing = [str(s) for s in (*net.params, net.learning_rate) if s not in net.values]
    for sample in net.samples:
        missing += [str(s) for s in (*net.inputs, *net.targets) if s not in sample]
    if missing:
        names = list(dict.fromkeys(missing))
        listed = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
        raise SpecError(f"training needs numbers; no value for {listed}",
                        key="params", source=net.spec.source)
    if any(act.name == "abstract" for layer in net.layers for act in layer.per_neuron or (layer.activation,)):
        raise SpecError("training needs a concrete activation, not an abstract one", key="layers",
                        source=net.spec.source)
    options = net.spec.training
    if options.layer_update == "sequential":
        _layers_of_params(net)  # each parameter in one layer, or a clear refusal
    if options.rounding is not None:
        return _ByHand(net, options.rounding).train(steps, groups)
    if compiled is None:
        compiled = compile_network(net)
    elif compiled.network.params != net.params or compiled.network.spec is not net.spec:
        raise ValueError("compiled is not a compilation of this network")
    plan = _sequential_plan(net, compiled) if options.layer_update == "sequential" else None
    x, t = compiled.data()
    n = x.shape[1]
    theta = np.array([float(net.values[p]) for p in net.params])
    trainable = np.array([p not in net.frozen for p in net.params], dtype=bool)
    decaying = _decaying(net)
    eta, mu, lam = (float(v) for v in (net.values[net.learning_rate], options.momentum, options.weight_decay))
    names = compiled.param_names

    def objective(theta: np.ndarray, cols: list[int] | None, k: int) -> tuple[float, np.ndarray]:
        """The loss (with the decay term) and its gradient on these samples (None: all of them)."""
        loss, grads = compiled.batch_loss_and_gradients(theta, x, t) if cols is None else \
            compiled.batch_loss_and_gradients(theta, x[:, cols], t[:, cols])  # batch sums, no per-sample rows
        return regularised(loss, grads, theta, lam, decaying, k, net.spec.source)

    if plan is None:
        history, losses, updates = descend(theta, steps, groups, objective, eta, mu, trainable, names)
        return _training(net, steps, len(groups), losses, history, updates, _outputs(compiled, history[-1], n))

    def named(values: np.ndarray) -> dict[str, float]:
        return dict(zip(names, map(float, values), strict=True))

    history = np.empty((steps + 1, len(theta)))
    losses = []
    updates = []
    velocity = np.zeros_like(theta)

    def apply(theta: np.ndarray, grads: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The sequential update of one layer's parameters (mask): decay, momentum, frozen as above."""
        nonlocal velocity
        g = grads + lam * np.where(decaying, theta, 0.0)
        moving = mask & trainable
        velocity = np.where(moving, mu * velocity - eta * g, velocity)
        return np.where(moving, theta + velocity, theta)

    for k in range(steps + 1):
        history[k] = theta
        loss, grads = objective(theta, None, k)
        losses.append(loss)
        if k == steps:
            break
        cols = groups[k % len(groups)]
        if len(cols) < n:
            loss, grads = objective(theta, cols, k)
        step = np.where(trainable, mu * velocity - eta * grads, 0.0)  # the gradient step from the same state
        scale = 1.0 / len(cols) if net.spec.batch_loss == "mean" else 1.0
        with np.errstate(all="ignore"):
            raw, new = plan.sequential(theta, x[:, cols], t[:, cols], scale, apply)
        used = raw + lam * np.where(decaying, theta, 0.0)
        gap = float(np.max(np.abs(new - (theta + step)), initial=0.0))
        theta = new
        updates.append(Update(cols, loss, named(used), named(theta), true_gradients=named(grads), gap=gap))
    return _training(net, steps, len(groups), losses, history, updates, _outputs(compiled, theta, n))


def _outputs(compiled: Compiled, theta: np.ndarray, n: int) -> dict[str, float | list[float]]:
    """The forward pass at the final parameters: each output's value (a list with several samples)."""
    outputs: dict[str, float | list[float]] = {}
    for name, v in compiled.outputs(theta).items():
        row = [float(u) for u in v]
        outputs[name] = row[0] if n == 1 else row
    return outputs


def _training(net: Network, steps: int, per_epoch: int, losses: list[float], history: np.ndarray,
              updates: list[Update], outputs: dict[str, float | list[float]]) -> Training:
    """The Training of a run, from its losses and its parameters per step (rows of `history`)."""
    names = [p.name for p in net.params]
    return Training(steps, losses, dict(zip(names, (float(v) for v in history[-1]), strict=True)), outputs,
                    history={name: history[:, j].tolist() for j, name in enumerate(names)}, updates=updates,
                    epoch_losses=losses[::per_epoch] + ([losses[-1]] if steps % per_epoch else []), network=net)


def _decaying(net: Network) -> np.ndarray:
    """Which parameters weight decay applies to: the weights, and the biases with decay_biases."""
    biases = {b for layer in net.layers for b in kind_of(layer).biases(layer) if b is not None}
    return np.array([net.spec.training.decay_biases or p not in biases for p in net.params], dtype=bool)


def _layers_of_params(net: Network) -> list[list[sp.Symbol]]:
    """The parameters of each layer (its weights and biases); a sequential update changes one layer after the
    other, so a parameter shared by two layers has no place in it and is refused."""
    owner: dict[sp.Symbol, int] = {}
    for li, layer in enumerate(net.layers):
        for p in kind_of(layer).params(layer):
            if owner.setdefault(p, li) != li:
                raise SpecError(f"layer_update = \"sequential\" updates one layer after the other, but {p.name} is a "
                                f"parameter of layers {net.layers[owner[p]].name!r} and {layer.name!r}; expected "
                                "\"simultaneous\" or a parameter per layer", key="training.layer_update",
                                source=net.spec.source)
    return [[p for p in net.params if owner[p] == li] for li in range(len(net.layers))]


def _sequential_plan(net: Network, compiled: Compiled) -> LayerPlan:
    """The matrix form the sequential update runs on (the compiled one when it is layer-wise)."""
    if compiled.plan is not None:
        return compiled.plan
    try:
        return layer_plan(net)
    except NotLayerwise as exc:
        raise SpecError(f"layer_update = \"sequential\" needs a network of dense layers ({exc})",
                        key="training.layer_update", source=net.spec.source) from None


# --- training by hand: every intermediate rounded ---------------------------------------------------------

class _ByHand:
    """Training as a hand calculation to N decimals: every number written down is rounded half up
    (numbers.round_decimals) before it is used again, and the arithmetic between them is exact (rationals; the
    activations at derive.PREC digits, then rounded). Per sample: each net input, each output, each output's loss
    term (the sample's loss is their sum); backwards ∂E/∂out (the loss's partial, or Σ δ·w over the layer above),
    each f'(net) and δ = ∂E/∂out·f'(net) (o − t directly for a cross-entropy on its matching output activation,
    as derive simplifies it); each parameter's gradient per sample. Per update: the gradient over the update's
    samples (the sum, or the mean rounded), plus λw rounded, the step −ηg + μΔ rounded, the new value rounded.
    The network's own definitions and partials are evaluated: nothing is written a second time."""

    def __init__(self, network: Network, places: int) -> None:
        self.net = network
        self.places = places
        self.sequential = network.spec.training.layer_update == "sequential"
        self.owned = _layers_of_params(network) if self.sequential else []
        last = network.layers[-1].activation
        self.fused = (matching_activation(network.loss_name) == last.name and last.gain == 1
                      and not network.layers[-1].per_neuron)
        self.terms = _loss_terms(network)
        self.decaying = dict(zip(network.params, _decaying(network).tolist(), strict=True))
        options = network.spec.training
        self.eta, self.mu, self.lam = network.values[network.learning_rate], options.momentum, options.weight_decay

    def r(self, value: sp.Expr) -> sp.Rational:
        numerator, denominator = round_decimals(value, self.places).as_integer_ratio()
        return sp.Rational(numerator, denominator)

    def exact(self, expr: sp.Expr, env: dict[sp.Symbol, sp.Expr], what: str) -> sp.Expr:
        """expr at env, not rounded (a factor of a sum that is); not a finite number: an error naming it."""
        v = evaluate(expr, env)
        if v is None or not v.is_finite:
            raise SpecError(f"{what} has no finite value with every intermediate rounded to {self.places} decimals "
                            "(an output rounded to 0 or 1 under a logarithm?); use more decimals",
                            key="training.rounding", source=self.net.spec.source)
        return v

    def value(self, expr: sp.Expr, env: dict[sp.Symbol, sp.Expr], what: str) -> sp.Rational:
        """expr at env, rounded."""
        return self.r(self.exact(expr, env, what))

    # -- forward ----------------------------------------------------------------------------------

    def forward(self, params: dict[sp.Symbol, sp.Expr], i: int) -> dict[sp.Symbol, sp.Expr]:
        """Sample i's net inputs and outputs, each rounded, with the parameters and the sample's leaves."""
        net = self.net
        env: dict[sp.Symbol, sp.Expr] = {**net.values, **params, **net.samples[i]}
        for layer in net.layers:
            for s in (*layer.nets, *layer.outs):
                q = net.quantities[s]
                assert q.definition is not None
                env[s] = self.value(q.definition, env, q.name)
        return env

    def sample_loss(self, env: dict[sp.Symbol, sp.Expr]) -> sp.Rational:
        return sp.Add(*[self.value(term, env, "the loss") for term in self.terms])

    def batch(self, values: list[sp.Expr]) -> sp.Rational:
        total = sp.Add(*values)
        return self.r(total / len(values)) if self.net.spec.batch_loss == "mean" else total

    def loss(self, params: dict[sp.Symbol, sp.Expr], cols: list[int]
             ) -> tuple[sp.Rational, list[dict[sp.Symbol, sp.Expr]]]:
        """The loss on these samples (with the decay term λ/2 Σ w², rounded) and their forward passes."""
        envs = [self.forward(params, i) for i in cols]
        loss = self.batch([self.sample_loss(env) for env in envs])
        if self.lam:
            loss += self.r(self.lam / 2 * sp.Add(*[v ** 2 for p, v in params.items() if self.decaying[p]]))
        return loss, envs

    # -- backward and the update ------------------------------------------------------------------

    def deltas(self, li: int, env: dict[sp.Symbol, sp.Expr], adjoint: dict[sp.Symbol, sp.Expr]) -> None:
        """δ of every neuron of layer li for one sample, into adjoint (env holds the weights above as they are
        now: updated already in a sequential update)."""
        net = self.net
        layer = net.layers[li]
        if li == len(net.layers) - 1 and self.fused:
            total = sp.Add(*[env[t] for t in net.targets])
            for n, o, t in zip(layer.nets, layer.outs, net.targets, strict=True):
                adjoint[n] = self.r(env[o] * total - env[t] if not layer.activation.elementwise else env[o] - env[t])
            return
        grad = {o: self.r(sp.Add(*[adjoint.get(c, sp.Integer(1)) * self.exact(net.quantities[c].partials[o], env,
                                                                               f"dE/d{o.name}")
                                   for c in net.children[o]])) for o in layer.outs}
        adjoint.update(grad)  # a skip reads ∂E/∂out of this layer from the layer it adds to
        for n in layer.nets:
            adjoint[n] = self.r(sp.Add(*[grad[o] * self.value(net.quantities[o].partials[n], env, f"f'({n.name})")
                                         for o in net.children[n]]))

    def update(self, params: dict[sp.Symbol, sp.Expr], velocity: dict[sp.Symbol, sp.Expr], cols: list[int],
               sequential: bool) -> tuple[sp.Rational, dict[sp.Symbol, sp.Expr], dict[sp.Symbol, sp.Expr],
                                          dict[sp.Symbol, sp.Expr]]:
        """One update on these samples: (its loss, the gradients used, the new parameters, the new velocities)."""
        net = self.net
        loss, envs = self.loss(params, cols)
        params, velocity = dict(params), dict(velocity)
        adjoints: list[dict[sp.Symbol, sp.Expr]] = [{} for _ in envs]
        used: dict[sp.Symbol, sp.Expr] = {}
        owned = self.owned if sequential else [list(net.params)]
        for li in range(len(net.layers) - 1, -1, -1):
            for env, adjoint in zip(envs, adjoints, strict=True):
                env.update(params)  # sequential: the layers above as updated
                self.deltas(li, env, adjoint)
            if sequential or li == 0:
                for p in owned[li if sequential else 0]:
                    used[p] = self.gradient(p, envs, adjoints, params[p])
                    if p not in net.frozen:
                        velocity[p] = self.r(self.mu * velocity[p] - self.eta * used[p])
                        params[p] = self.r(params[p] + velocity[p])
        return loss, used, params, velocity

    def gradient(self, p: sp.Symbol, envs: list[dict[sp.Symbol, sp.Expr]], adjoints: list[dict[sp.Symbol, sp.Expr]],
                 value: sp.Expr) -> sp.Rational:
        """∂E/∂p over the samples from the rounded per-sample gradients, with λp (rounded) when p decays."""
        net = self.net
        per_sample = [self.r(sp.Add(*[adjoint[c] * self.exact(net.quantities[c].partials[p], env, f"dE/d{p.name}")
                                      for c in net.children[p]])) for env, adjoint in zip(envs, adjoints, strict=True)]
        g = self.batch(per_sample)
        return self.r(g + self.lam * value) if self.lam and self.decaying[p] else g

    def train(self, steps: int, groups: list[list[int]]) -> Training:
        net = self.net
        params = {p: net.values[p] for p in net.params}
        velocity = {p: sp.Integer(0) for p in net.params}
        everyone = list(range(len(net.samples)))
        history = np.empty((steps + 1, len(params)))
        losses: list[float] = []
        updates: list[Update] = []

        def named(values: dict[sp.Symbol, sp.Expr]) -> dict[str, float]:
            return {p.name: float(values[p]) for p in net.params}

        for k in range(steps + 1):
            history[k] = [float(params[p]) for p in net.params]
            loss, envs = self.loss(params, everyone)
            losses.append(float(loss))
            if k == steps:
                break
            cols = groups[k % len(groups)]
            loss, used, new, new_velocity = self.update(params, velocity, cols, self.sequential)
            if self.sequential:
                _, true, simultaneous, _ = self.update(params, velocity, cols, False)
                gap = max((abs(float(new[p] - simultaneous[p])) for p in net.params), default=0.0)
                updates.append(Update(cols, float(loss), named(used), named(new), named(true), gap))
            else:
                updates.append(Update(cols, float(loss), named(used), named(new)))
            params, velocity = new, new_velocity
        outputs = {net.quantities[o].name: ([float(env[o]) for env in envs] if len(envs) > 1 else float(envs[0][o]))
                   for o in net.outputs}
        return _training(net, steps, len(groups), losses, history, updates, outputs)


def _loss_terms(net: Network) -> list[sp.Expr]:
    """The loss as a hand calculation writes it down: one term per output when it is a sum of such terms (each
    rounded, then added), else the whole loss."""
    definition = net.quantities[net.error].definition
    assert definition is not None
    pairs = list(zip(net.outputs, net.targets, strict=True))
    per_output: list[list[sp.Expr]] = [[] for _ in pairs]
    for term in sp.Add.make_args(definition):
        ks = [k for k, (o, t) in enumerate(pairs) if term.has(o) or term.has(t)]
        if len(ks) != 1:
            return [definition]
        per_output[ks[0]].append(term)
    return [sp.Add(*terms) for terms in per_output if terms]


# --- what the conventions add to the output -----------------------------------------------------------

NOTES = {
    "en": {"sequential": "layer update: sequential, the output layer first and the hidden δ's through its updated "
                         "weights — not the gradient: a parameter's update differs from the gradient step's by up to "
                         "{gap:.3g} (update {k})",
           "rounding": "every intermediate rounded half up to {n} decimals, as by hand"},
    "zh": {"sequential": "逐层更新：先更新输出层，隐藏层的 δ 用更新后的权重反传——这不是梯度；"
                         "参数的更新与梯度步相差最多 {gap:.3g}（第 {k} 次更新）",
           "rounding": "每个中间量按四舍五入保留 {n} 位小数，与手算相同"},
}
def convention_lines(t: Training, lang: str = "en") -> list[str]:
    """The text lines that say which [training] conventions a run used (none for plain updates)."""
    if t.network is None:
        return []
    options, notes = t.network.spec.training, NOTES.get(lang, NOTES["en"])
    lines = []
    if options.layer_update == "sequential":
        gaps = [u.gap or 0.0 for u in t.updates]
        k = int(np.argmax(gaps)) + 1 if gaps else 0
        lines.append(notes["sequential"].format(gap=max(gaps, default=0.0), k=k))
    if options.rounding is not None:
        lines.append(notes["rounding"].format(n=options.rounding))
    return lines


__all__ = ["EXACT_STEPS", "Training", "Update", "convention_lines", "train"]
