"""Rosenblatt's perceptron rule for one layer of step units ([training] rule = "perceptron"), in exact fractions.

After each sample, in order, every unit's error e = t − y moves each of its parameters by η·e times the input that
parameter multiplies: w_i ← w_i + η e x_i, a bias by η e (its input is +1), a threshold θ on a fixed −1 input by
−η e (Negnevitsky's θ ← θ − η e). Epoch after epoch, until an epoch has no error or the maximum is reached.

This is not gradient descent (a step unit's derivative is 0 wherever it exists), so nothing here goes through
derive(): the net inputs are the network's own definitions, which are linear in the parameters, and the input a
parameter multiplies is ∂net/∂p (sympy.diff, once per sample). The arithmetic is exact (fractions.Fraction):
textbook tables land on net = 0 exactly, where step(0) = 1 decides the row, and float64 would miss it
(0.3 − 0.1 − 0.2 < 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from .errors import SpecError
from .limits import MAX_TRAINING_VALUES
from .network import Network

DEFAULT_EPOCHS = 100  # the most epochs `learn` makes when no maximum is given


@dataclass(frozen=True)
class Row:
    """One sample's presentation: the parameters before it, each unit's net input, output and error, and the
    parameters after the rule's update."""

    epoch: int  # 1, 2, ...
    sample: int  # 0-based index into the network's samples
    inputs: dict[str, Fraction]
    targets: dict[str, Fraction]  # per output neuron (by the neuron's name)
    before: dict[str, Fraction]
    nets: dict[str, Fraction]
    outputs: dict[str, Fraction]
    errors: dict[str, Fraction]
    after: dict[str, Fraction]


@dataclass(frozen=True)
class PerceptronRun:
    network: Network
    rows: list[Row]
    epochs: int  # epochs made
    converged: bool  # the last epoch had no error
    params: dict[str, Fraction]  # after the last epoch

    @property
    def epoch_errors(self) -> list[int]:
        """The number of presentations with a nonzero error, per epoch."""
        counts = [0] * self.epochs
        for r in self.rows:
            counts[r.epoch - 1] += any(e != 0 for e in r.errors.values())
        return counts


def _fraction(value: sp.Expr, what: str, source: str) -> Fraction:
    if not isinstance(value, sp.Rational):
        raise SpecError(f"the perceptron rule runs in exact fractions; {what} is {value}, expected a number",
                        key="training.rule", source=source)
    return Fraction(int(value.p), int(value.q))


def learn(network: Network, epochs: int | None = None) -> PerceptronRun:
    """The perceptron rule over the network's samples, at most `epochs` epochs (default 100), stopping after the
    first epoch without an error. The network's spec has [training] rule = "perceptron" (one layer of step
    units, checked by the spec)."""
    net = network
    source = net.spec.source
    if net.spec.training.rule != "perceptron":
        raise SpecError("expected [training] rule = \"perceptron\" for the perceptron rule", key="training.rule",
                        source=source)
    epochs = DEFAULT_EPOCHS if epochs is None else epochs
    if epochs < 0:
        raise SpecError(f"expected a number of epochs >= 0, got {epochs}", key="--epochs")
    values = epochs * len(net.samples) * max(1, len(net.params))
    if values > MAX_TRAINING_VALUES:
        raise SpecError(f"{epochs} epochs of {len(net.samples)} samples and {len(net.params)} parameters would record "
                        f"{values} values; the limit is {MAX_TRAINING_VALUES}", key="--epochs")
    layer = net.layers[0]
    names = {p: p.name for p in net.params}
    missing = [p.name for p in net.params if p not in net.values]
    if missing or net.learning_rate not in net.values:
        raise SpecError(f"the perceptron rule needs numbers: give {', '.join(missing) or 'learning_rate'} a value",
                        key="params" if missing else "learning_rate", source=source)
    params = {p: _fraction(net.values[p], p.name, source) for p in net.params}
    eta = _fraction(net.values[net.learning_rate], "the learning rate", source)
    units = list(zip(layer.nets, layer.outs, net.targets, strict=True))
    definitions = {n: net.quantities[n].definition for n, _, _ in units}
    # per sample: each net input as a constant plus Σ coefficient·parameter (linear in the parameters)
    samples = []
    for i, sample in enumerate(net.samples):
        leaves = {k: v for k, v in sample.items() if k not in net.targets}
        if any(t not in sample for t in net.targets) or any(x not in sample for x in net.inputs):
            raise SpecError("the perceptron rule needs every sample's inputs and targets as numbers",
                            key=f"samples[{i}]", source=source)
        linear = {}
        for n, definition in definitions.items():
            assert definition is not None
            at = definition.subs(leaves)
            coefficients = {p: _fraction(sp.diff(at, p), f"∂{n.name}/∂{p.name}", source) for p in net.params}
            constant = _fraction(at.subs({p: 0 for p in net.params}), f"the constant part of {n.name}", source)
            linear[n] = (constant, coefficients)
        targets = {o.name: _fraction(sample[t], f"the target of {o.name}", source) for _, o, t in units}
        samples.append(({x.name: _fraction(sample[x], x.name, source) for x in net.inputs}, targets, linear))

    rows: list[Row] = []
    made = 0
    converged = False
    for epoch in range(1, epochs + 1):
        made = epoch
        wrong = False
        for i, (inputs, targets, linear) in enumerate(samples):
            before = dict(params)
            nets = {n: c + sum((k * before[p] for p, k in coef.items()), Fraction(0))
                    for n, (c, coef) in linear.items()}
            outputs = {o.name: Fraction(1 if nets[n] >= 0 else 0) for n, o, _ in units}  # the step, H(0) = 1
            errors = {o.name: targets[o.name] - outputs[o.name] for _, o, _ in units}
            wrong = wrong or any(errors.values())
            for p in net.params:
                if p not in net.frozen:
                    params[p] += eta * sum((errors[o.name] * linear[n][1][p] for n, o, _ in units), Fraction(0))
            rows.append(Row(epoch, i, inputs, targets, {names[p]: v for p, v in before.items()},
                            {n.name: v for n, v in nets.items()}, outputs, errors,
                            {names[p]: v for p, v in params.items()}))
        if not wrong:
            converged = True
            break
    return PerceptronRun(net, rows, made, converged, {names[p]: v for p, v in params.items()})


__all__ = ["DEFAULT_EPOCHS", "PerceptronRun", "Row", "learn"]
