"""Full-batch gradient descent in double precision, by reverse accumulation over the same graph.

Each quantity's definition and local partials are compiled once with lambdify (NumPy, vectorised over
the samples); a step is one forward sweep and one backward sweep, so many steps stay cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .errors import SpecError
from .network import Network


@dataclass(frozen=True)
class Training:
    steps: int
    losses: list[float]  # before step 1, ..., after step N
    params: dict[str, float]
    outputs: dict[str, float | list[float]]  # per output neuron: a value, or one per sample


class _Compiled:
    def __init__(self, network: Network) -> None:
        self.net = network
        self.order = [s for s, q in network.quantities.items() if q.definition is not None]
        self.fns: dict[sp.Symbol, tuple[list[sp.Symbol], Callable[..., object]]] = {}
        self.partials: dict[tuple[sp.Symbol, sp.Symbol], tuple[list[sp.Symbol], Callable[..., object]]] = {}
        for s in self.order:
            q = network.quantities[s]
            assert q.definition is not None
            self.fns[s] = self._compile(q.definition)
            for parent, expr in q.partials.items():
                self.partials[(s, parent)] = self._compile(expr)

    @staticmethod
    def _compile(expr: sp.Expr) -> tuple[list[sp.Symbol], Callable[..., object]]:
        args = sorted(expr.free_symbols, key=str)
        return args, sp.lambdify(args, expr, modules="numpy")

    def step(self, env: dict[sp.Symbol, np.ndarray]) -> tuple[float, dict[sp.Symbol, float]]:
        """One forward and backward sweep; returns the batch loss and the batch gradient of every parameter."""
        net = self.net
        n = len(net.samples)
        for s in self.order:
            args, fn = self.fns[s]
            env[s] = np.broadcast_to(np.asarray(fn(*[env[a] for a in args]), dtype=float), (n,))
        adjoint: dict[sp.Symbol, np.ndarray] = {net.error: np.ones(n)}
        for s in reversed(list(net.quantities)):
            if s == net.error:
                continue
            total = np.zeros(n)
            for c in net.children[s]:
                args, fn = self.partials[(c, s)]
                total = total + adjoint[c] * np.asarray(fn(*[env[a] for a in args]), dtype=float)
            adjoint[s] = total
        scale = 1.0 / n if net.spec.batch_loss == "mean" else 1.0
        loss = float(np.sum(env[net.error])) * scale
        return loss, {p: float(np.sum(adjoint[p])) * scale for p in net.params}


def train(network: Network, steps: int) -> Training:
    """N full-batch gradient-descent steps; frozen parameters keep their values."""
    if steps < 0:
        raise SpecError(f"expected a number of steps >= 0, got {steps}", key="--steps")
    net = network
    missing = [str(s) for s in (*net.params, net.learning_rate) if s not in net.values]
    for sample in net.samples:
        missing += [str(s) for s in (*net.inputs, *net.targets) if s not in sample]
    if missing:
        raise SpecError(f"training needs numbers; no value for {', '.join(dict.fromkeys(missing))}",
                        key="params", source=net.spec.source)
    if any(layer.activation.name == "abstract" for layer in net.layers):
        raise SpecError("training needs a concrete activation, not an abstract one", key="layers",
                        source=net.spec.source)
    compiled = _Compiled(net)
    env: dict[sp.Symbol, np.ndarray] = {}
    for s in (*net.inputs, *net.targets):
        env[s] = np.array([float(sample[s]) for sample in net.samples])
    params = {p: float(net.values[p]) for p in net.params}
    eta = float(net.values[net.learning_rate])
    losses = []
    with np.errstate(all="ignore"):
        for k in range(steps + 1):
            env.update({p: np.full(len(net.samples), v) for p, v in params.items()})
            loss, grads = compiled.step(env)
            if not np.isfinite(loss) or not all(np.isfinite(g) for g in grads.values()):
                raise SpecError(f"training diverged at step {k} (the loss is no longer finite); "
                                "try a smaller learning rate", key="learning_rate", source=net.spec.source)
            losses.append(loss)
            if k < steps:
                for p in net.params:
                    if p not in net.frozen:
                        params[p] -= eta * grads[p]
    outputs: dict[str, float | list[float]] = {}
    for o in net.outputs:
        values = [float(v) for v in env[o]]
        outputs[net.quantities[o].name] = values[0] if len(values) == 1 else values
    return Training(steps, losses, {net.quantities[p].name: v for p, v in params.items()}, outputs)


__all__ = ["Training", "train"]
