"""The [training] conventions in derive and render: the updates of the first epoch as the textbooks print them.

A spec whose [training] is plain full-batch gradient descent gets nothing from here (its derivation's one
gradient step is the update). Otherwise every update of the first epoch is shown as a hand calculation shows it:
online, sample by sample, each with the parameters the sample before left; the update line with the decay and
momentum terms written out, w⁺ = w − η(∂E/∂w + λw) + μ Δw_prev; sequential, the hidden δ's through the updated
weights above them and how far that is from the gradient step.

Nothing is computed a second time: the numbers are train()'s (`Training.updates`, `history`, `losses`), the
forward passes, δ's and gradients before each update are derive()'s at those parameters
(`Training.derivation`), and a sequential update's hidden δ's are derive's own δ recursion (ErrorTerm.expr)
evaluated at the updated weights. This module arranges them as Equations (equations.Writer) for every flavour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import sympy as sp

from ..derive import Derivation, ErrorTerm, ParamDerivation, derive, evaluate
from ..network import Network
from ..numbers import Format
from ..spec import TrainingSpec
from ..train import Training, Update, _decaying, train
from .equations import Equation, Step, Writer


@dataclass(frozen=True)
class Part:
    """One update of the first epoch."""

    index: int  # 1, 2, ...
    samples: list[int]
    derivation: Derivation  # derive() at the parameters before this update
    update: Update  # train()'s: the gradients used (with λw), the parameters after it
    before: dict[str, float]  # every parameter before the update
    previous: dict[str, float]  # Δw of the update before (0 at the first)
    loss_after: float  # the loss over all samples after it (with the decay term), train()'s
    # layer_update = "sequential": per sample of the update, every δ as the update used it (the output layer's
    # as derived, the layers below through the updated weights above them), and the per-sample gradients so used
    deltas: dict[sp.Symbol, list[sp.Expr]] | None = None
    gradients: dict[sp.Symbol, list[sp.Expr]] | None = None


@dataclass(frozen=True)
class Conventions:
    options: TrainingSpec
    training: Training
    parts: list[Part]
    decays: dict[str, bool]  # which parameters weight decay applies to

    @property
    def sequential(self) -> bool:
        return self.options.layer_update == "sequential"

    @property
    def gap(self) -> tuple[float, int]:
        """The largest distance of a sequential update from the gradient step, and the update (1, 2, ...)."""
        gaps = [p.update.gap or 0.0 for p in self.parts]
        best = max(range(len(gaps)), key=gaps.__getitem__)
        return gaps[best], best + 1


def shows_updates(network: Network) -> bool:
    """Whether [training] makes an update something else than the derivation's one full-batch gradient step
    (hand rounding alone does not: derive rounds that step)."""
    t = network.spec.training
    return not (t.update == "batch" and t.momentum == 0 and t.weight_decay == 0 and t.layer_update == "simultaneous")


def conventions(d: Derivation) -> Conventions | None:
    """The first epoch's updates (two updates when momentum is on and an epoch is one update, so that the
    momentum term is seen at work), or None for plain gradient descent or a network without numbers."""
    net = d.network
    if not shows_updates(net) or d.loss is None:
        return None
    options = net.spec.training
    groups = options.per_update(len(net.samples))
    count = 2 if options.momentum and len(groups) == 1 else len(groups)
    t = train(net, count)
    names = [p.name for p in net.params]
    parts = []
    for k, u in enumerate(t.updates):
        before = {n: t.history[n][k] for n in names}
        previous = {n: t.history[n][k] - t.history[n][k - 1] if k else 0.0 for n in names}
        dk = d if k == 0 else derive(net.with_values(
            {p: net.values[p] if p in net.frozen else _number(before[p.name]) for p in net.params}), d.max_paths)
        deltas = gradients = None
        if options.layer_update == "sequential":
            deltas, gradients = _sequential(dk, u, u.samples)
        parts.append(Part(k + 1, list(u.samples), dk, u, before, previous, t.losses[k + 1], deltas, gradients))
    decays = dict(zip(names, _decaying(net).tolist(), strict=True))
    return Conventions(options, t, parts, decays)


def _sequential(d: Derivation, u: Update, samples: Sequence[int]
                ) -> tuple[dict[sp.Symbol, list[sp.Expr]], dict[sp.Symbol, list[sp.Expr]]]:
    """Per sample: the δ's of a sequential update (the layers below the output through the weights above them as
    updated: derive's δ recursion at those weights) and the gradients they give (derive's δ form)."""
    net = d.network
    updated = {p: _number(u.params[p.name]) for p in net.params}
    deltas: dict[sp.Symbol, list[sp.Expr]] = {t.delta: [] for t in d.deltas}
    gradients: dict[sp.Symbol, list[sp.Expr]] = {p.param: [] for p in d.params}
    top = len(net.layers)
    for i in samples:
        env: dict[sp.Symbol, sp.Expr] = {s: v for s, v in d.forward[i].values.items() if v is not None}
        env.update({s: v for s, v in {**net.values, **net.samples[i]}.items()})
        for t in d.deltas:  # output layer first
            if t.layer == top:
                value = t.values[i]
            else:
                value = evaluate(t.expr, {**env, **{p: v for p, v in updated.items() if _layer(d, p) > t.layer}})
            assert value is not None
            env[t.delta] = value
            deltas[t.delta].append(value)
        for p in d.params:
            g = evaluate(p.delta_form, env)
            assert g is not None
            gradients[p.param].append(g)
    return deltas, gradients


def _layer(d: Derivation, p: sp.Symbol) -> int:
    return next(q.layer for q in d.params if q.param == p)


def _number(x: float | sp.Expr) -> sp.Expr:
    """A float of the training as a decimal of 15 significant digits (0.4, not 0.4000000000000000222; 0.03, not
    0.030000000000000002): printed (at most 15 digits), it reads as the spec's numbers do."""
    return sp.Rational(f"{x:.15g}") if isinstance(x, float) else sp.sympify(x)


class UpdateWriter:
    """The update lines and the per-update equations in one flavour."""

    def __init__(self, c: Conventions, flavour: str = "text", form: Format | None = None, mul: str = "dot",
                 rounded: bool = False) -> None:
        self.c = c
        self.flavour = flavour
        self.form = form
        self.mul = mul
        self.rounded = rounded
        self.latex = flavour == "latex"

    def writer(self, part: Part, sample: int, params: dict[sp.Symbol, sp.Expr] | None = None) -> Writer:
        return Writer(part.derivation, self.flavour, self.form, sample=sample, mul=self.mul, rounded=self.rounded,
                      params=params)

    # -- a sample's pass before an update (from the second update on) ---------------------------

    def forward(self, part: Part, sample: int) -> list[Equation]:
        w = self.writer(part, sample)
        return [*w.forward(), w.loss()]

    def deltas(self, part: Part, sample: int) -> list[Equation]:
        w = self.writer(part, sample)
        return [w.delta(t, short=True) for t in part.derivation.deltas if self._shown_delta(part, t)]

    def _shown_delta(self, part: Part, t: ErrorTerm) -> bool:
        """Sequential: only the output layer's δ's are the derivation's; the others are shown through w⁺."""
        return not self.c.sequential or t.layer == len(part.derivation.network.layers)

    def gradients(self, part: Part, sample: int, layer: int | None = None) -> list[Equation]:
        w = self.writer(part, sample)
        return [w.gradient(p, part="delta") for p in part.derivation.params
                if not p.frozen and (layer is None or p.layer == layer)]

    # -- sequential: the layers below the output through the updated weights ----------------------

    def through_updated(self, part: Part, sample: int, layer: int) -> tuple[list[Equation], list[Equation]]:
        """The δ's of one layer below the output and its parameters' gradients, through the weights above as
        updated (sequential)."""
        assert part.deltas is not None and part.gradients is not None
        d = part.derivation
        k = part.samples.index(sample)
        above = {p.param: _number(part.update.params[p.name]) for p in d.params if p.layer > layer}
        used = {t.delta: part.deltas[t.delta][k] for t in d.deltas if t.layer >= layer}
        w = self.writer(part, sample, {**above, **used})
        for q in above:  # the weights above as updated: written w⁺
            names = w.notation.latex_names if self.latex else w.notation.text_names
            names[q] = w.update_sign(q)
        w._printed.clear()
        deltas = []
        for t in d.deltas:
            if t.layer == layer:
                values = list(t.values)
                values[sample] = part.deltas[t.delta][k]
                deltas.append(w.delta(replace(t, values=tuple(values)), short=True))
        grads = []
        for p in d.params:
            if p.layer == layer and not p.frozen:
                values = list(p.gradients)
                values[sample] = part.gradients[p.param][k]
                grads.append(w.gradient(replace(p, gradients=tuple(values)), part="delta"))
        return deltas, grads

    # -- a minibatch's gradient -------------------------------------------------------------------

    def minibatch_gradients(self, part: Part) -> list[Equation]:
        """An update on some of the samples (more than one, fewer than all; not sequential): each parameter's
        gradient of the minibatch's error, the sum of its samples' gradients as printed (or their mean, with
        batch_loss = "mean"), valued with derive's per-sample gradients at the parameters before the update."""
        net = part.derivation.network
        if self.c.sequential or len(part.samples) in (1, len(net.samples)):
            return []
        w = self.writer(part, part.samples[0])
        per_sample = [self.writer(part, i) for i in part.samples]
        return [w.batch_gradient(replace(p, gradient=self._minibatch_value(part, p)), per_sample)
                for p in part.derivation.params if not p.frozen]

    @staticmethod
    def _minibatch_value(part: Part, p: ParamDerivation) -> sp.Expr | None:
        """∂E/∂p of the minibatch, exactly: the sum (mean) of derive's per-sample gradients."""
        values = [p.gradients[i] for i in part.samples]
        if any(v is None for v in values):
            return None
        total = sp.Add(*values)
        return total / len(values) if part.derivation.network.spec.batch_loss == "mean" else total

    # -- the update line --------------------------------------------------------------------------

    def gradient_value(self, part: Part, p: ParamDerivation) -> sp.Expr:
        """∂E/∂w of the update (without the decay term): derive's at the parameters before it (of one sample, or
        of the batch), a sequential update's through the updated weights; of a minibatch, train's gradient less
        the sum (mean) of derive's per-sample gradients (train's gradient less λw agrees to about 1e-15)."""
        n = len(part.derivation.network.samples)
        if part.gradients is not None and len(part.samples) == 1:
            return part.gradients[p.param][0]
        if len(part.samples) == 1 and p.gradients[part.samples[0]] is not None and not self.c.sequential:
            return p.gradients[part.samples[0]]
        if len(part.samples) == n and p.gradient is not None and not self.c.sequential:
            return p.gradient
        minibatch = None if self.c.sequential else self._minibatch_value(part, p)
        if minibatch is not None:
            return minibatch
        lam = float(self.c.options.weight_decay) if self.c.decays[p.name] else 0.0
        return _number(part.update.gradients[p.name] - lam * part.before[p.name])

    def update(self, part: Part, p: ParamDerivation) -> Equation:
        """w⁺ = w − η(∂E/∂w + λw) + μ Δw_prev, in symbols, with numbers (train's) and the value after it."""
        w = self.writer(part, part.samples[0])
        net = part.derivation.network
        name = p.name
        before = net.values[p.param]  # the derivation's parameters: the spec's, then train's after each update
        if p.frozen:
            return Equation(w.update_sign(p.param), (Step((w.sym(p.param),)), Step((w.value(before),))), "frozen")
        options = self.c.options
        lam = options.weight_decay if self.c.decays[name] else sp.Integer(0)
        mu = options.momentum
        grad = self.gradient_value(part, p)
        prev = _number(part.previous[name])
        partial = w.batch_partial(p.param) if len(part.samples) > 1 else w.partial(net.error, p.param)
        sym = w.sym(p.param)
        lam_sym, mu_sym = (r"\lambda", r"\mu") if self.latex else ("λ", "μ")
        step_sym = rf"\Delta {sym}^{{\mathrm{{prev}}}}" if self.latex else f"Δ{sym}_prev"

        def line(value: str, eta: str, g: str, lam_text: str, mu_text: str, prev_text: str, numbers: bool) -> str:
            inner = w.group(w.plus([g, w.product([lam_text, value], numbers)])) if lam else g
            text = f"{value} - {w.product([eta, inner], numbers)}"
            return text + (f" + {w.product([mu_text, prev_text], numbers)}" if mu else "")

        symbolic = line(sym, w.sym(net.learning_rate), partial, lam_sym, mu_sym, step_sym, False)
        eta = net.values[net.learning_rate]
        numbers = line(w.num(before), w.num(eta), w.num(grad), w.num(lam), w.num(mu), w.num(prev), True)
        r = w.round
        printed = r(before) - r(eta) * (r(grad) + r(lam) * r(before)) + r(mu) * r(prev)
        result = _number(part.update.params[name])
        rel = "=" if r(printed) == r(result) else (r"\approx" if self.latex else "≈")
        return Equation(w.update_sign(p.param), (Step((symbolic,)), Step((numbers,)), Step((w.value(result),), rel)))

    def update_params(self, part: Part, layer: int | None = None) -> list[ParamDerivation]:
        return [p for p in part.derivation.params if layer is None or p.layer == layer]

    def true_gradients(self, part: Part, layer: int) -> list[tuple[str, str, str, str]]:
        """Sequential, the parameters of a layer below the output: (the parameter, ∂E/∂w, the gradient the update
        used, the true one: ∂E/∂w at the same parameters, as a simultaneous update uses), without the decay term,
        as printed."""
        u = part.update
        if u.true_gradients is None:
            return []
        w = self.writer(part, part.samples[0])
        rows = []
        for p in part.derivation.params:
            if p.layer == layer and not p.frozen:
                lam = float(self.c.options.weight_decay) if self.c.decays[p.name] else 0.0
                used = _number(u.gradients[p.name] - lam * part.before[p.name])
                true = _number(u.true_gradients[p.name] - lam * part.before[p.name])
                rows.append((w.sym(p.param), w.partial(part.derivation.network.error, p.param), w.value(used),
                             w.value(true)))
        return rows
