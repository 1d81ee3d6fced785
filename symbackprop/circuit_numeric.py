"""Compiled numerics of a circuit: its loss and gradients over a batch of samples as NumPy straight-line code,
and gradient descent on its parameters.

The code is one `sympy.lambdify` call whose body is the circuit itself: every node assigned once, in order
(vectorised over the samples: each input is an array with one value per sample), then the backward pass node by
node — each adjoint ∂out/∂q = Σ over q's users of (the user's adjoint) × (the circuit's own local gradient), as
backward.py forms it, never the whole output differentiated again. The parameters' per-sample gradients are
summed (or averaged, batch_loss = "mean") into the batch's.

Float64 in place of exact arithmetic: a sigmoid that saturates (σ(z) = 1.0 exactly for z > 37) would make a
cross-entropy log(1 − σ(z)) = −inf and its local gradient 1/(1 − σ) infinite, 0 × inf = nan. So, in the compiled
code only, a node p = σ(u) has log(p) computed as −softplus(−u) and log(1 − p) as −softplus(u) from its net input
u (softplus as numpy.logaddexp(0, ·), finite everywhere: the cross-entropy "from the logits", as PyTorch's
BCEWithLogitsLoss; a softplus written out, log(1 + e^u), is computed so too, and its derivative e^u/(1 + e^u) as
1/(1 + e^−u)), and where every use of p has a local gradient whose product with σ's p(1 − p) cancels to an
expression without p in a denominator (a cross-entropy: (−y/p + (1 − y)/(1 − p)) · p(1 − p) = p − y), the backward
pass goes from p's users to u directly with that product. Both are identities: the values agree with the exact
derivation wherever float64 represents them (tests/test_circuit_train.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import sympy as sp

from .activations import make
from .circuit import Circuit, gate
from .errors import SpecError
from .layerwise import NO_DOCSTRING
from .limits import MAX_TRAINING_VALUES
from .network import Network
from .recurrent import recurrent_network
from .train import Training, descend, regularised, update_count

if TYPE_CHECKING:
    from .rnn_numeric import CompiledRecurrent

_SOFTPLUS = sp.Function("softplus_stable")  # log(1 + e^u) as numpy.logaddexp(0, u)
_MODULES: list[Any] = [{"softplus_stable": lambda u: np.logaddexp(0.0, u)}, "numpy"]


def _softplus(u: sp.Expr) -> sp.Expr:
    return _SOFTPLUS(u)


def _sigmoid_nodes(c: Circuit) -> dict[sp.Symbol, sp.Symbol]:
    """Every node p = σ(u) (the registry's sigmoid of one quantity u, gain 1): p → u."""
    out = {}
    for s in c.nodes:
        q = c.quantities[s]
        assert q.definition is not None
        if len(q.partials) == 1:
            (u,) = q.partials
            if gate(q.definition, u) == "sigmoid" and make("sigmoid").forward(u) == q.definition:
                out[s] = u
    return out


def _one_plus_exp(e: sp.Expr) -> sp.Expr | None:
    """u when e is 1 + exp(u), else None."""
    if isinstance(e, sp.Add) and len(e.args) == 2 and sp.Integer(1) in e.args:
        other = e.args[0] if e.args[1] == 1 else e.args[1]
        if isinstance(other, sp.exp):
            return other.args[0]
    return None


def _sigmoid_of_product(m: sp.Expr) -> sp.Expr:
    """exp(u)/(1 + exp(u)) (softplus' derivative as sympy.diff writes it: inf/inf for a large u) as
    1/(1 + exp(−u))."""
    args = list(m.args)
    for a in m.args:
        if isinstance(a, sp.Pow) and a.exp == -1 and (u := _one_plus_exp(a.base)) is not None and sp.exp(u) in args:
            args.remove(a)
            args.remove(sp.exp(u))
            args.append(1 / (1 + sp.exp(-u)))
    return sp.Mul(*args)


def _stable(expr: sp.Expr, sigmoids: Mapping[sp.Symbol, sp.Symbol]) -> sp.Expr:
    """log(p) and log(1 − p) of a sigmoid node from its net input; log(1 + e^u) as softplus; e^u/(1 + e^u) as
    1/(1 + e^−u)."""
    table: dict[sp.Expr, sp.Expr] = {}
    for p, u in sigmoids.items():
        table[sp.log(p)] = -_softplus(-u)
        table[sp.log(1 - p)] = -_softplus(u)
    out = expr.xreplace(table) if table else expr
    out = out.replace(lambda e: isinstance(e, sp.log) and _one_plus_exp(e.args[0]) is not None,
                      lambda e: _softplus(_one_plus_exp(e.args[0])))
    return out.replace(lambda e: isinstance(e, sp.Mul) and any(isinstance(a, sp.exp) for a in e.args),
                       _sigmoid_of_product)


def circuit_assignments(c: Circuit) -> tuple[list[tuple[sp.Symbol, sp.Expr]], list[sp.Expr], dict[sp.Symbol,
                                                                                                  sp.Symbol]]:
    """The straight-line code of a circuit: (assignments, results, names). The assignments are every node (in
    order), then every adjoint ∂out/∂q from the output down; the results are the output, every parameter's and
    every input's adjoint; `names` maps the circuit's symbols to the code's (q0, q1, … and g0, g1, …)."""
    quantities = list(c.quantities)
    names = {s: sp.Symbol(f"q{k}", real=True) for k, s in enumerate(quantities)}
    adjoint = {s: sp.Symbol(f"g{k}", real=True) for k, s in enumerate(quantities)}
    sigmoids = _sigmoid_nodes(c)
    code: list[tuple[sp.Symbol, sp.Expr]] = []
    for s in c.nodes:
        definition = c.quantities[s].definition
        assert definition is not None
        code.append((names[s], _stable(definition, sigmoids).xreplace(names)))
    # the sigmoid nodes whose every use contracts with σ' = p(1 − p) to an expression without p in a denominator
    contracted: dict[sp.Symbol, dict[sp.Symbol, sp.Expr]] = {}
    for p in reversed(list(sigmoids)):  # from the output down: a user contracted already keeps p as it is
        users = [user for user in c.children[p] if c.reaches_output(user)]
        through = {}
        for user in users:
            if user in contracted:  # its adjoint is never formed
                break
            product = sp.cancel(c.quantities[user].partials[p] * p * (1 - p))
            if sp.fraction(product)[1].has(p):
                break
            through[user] = product
        else:
            if users:
                contracted[p] = through
    code.append((adjoint[c.output], sp.Integer(1)))
    known = {c.output}
    for s in reversed(quantities):
        if s == c.output or not c.reaches_output(s) or s in contracted:
            continue
        terms = []
        for user in c.children[s]:
            if not c.reaches_output(user):
                continue
            if user in contracted:  # s is the sigmoid's net input u: from the sigmoid's users directly
                terms += [adjoint[v] * _stable(local, sigmoids).xreplace(names)
                          for v, local in contracted[user].items()]
            else:
                terms.append(adjoint[user] * _stable(c.quantities[user].partials[s], sigmoids).xreplace(names))
        code.append((adjoint[s], sp.Add(*terms)))
        known.add(s)
    results = [names[c.output], *[adjoint[s] if s in known else sp.Integer(0) for s in (*c.params, *c.inputs)]]
    return code, results, names


@dataclass(frozen=True)
class CircuitTraining(Training):
    """train.py's Training of a circuit. `network` holds the Circuit itself: the renderers of a training (JSON,
    text, the convention lines) read only its spec's [training] table, which a graph spec has too."""

    @property
    def circuit(self) -> Circuit:
        assert self.network is not None
        return cast(Circuit, self.network)

    def derivation(self, step: int, *, exact: bool | None = None, max_paths: int | None = None) -> Any:
        """derive_circuit of the circuit with its parameters after `step` updates (0: the spec's values), each
        float of the run converted exactly (sympy.Rational(float)); its batch_gradients make update step + 1 of
        plain full-batch gradient descent. (`exact` and `max_paths` are the layered Training's; not used.)"""
        from .backward import derive_circuit

        if not isinstance(step, int | np.integer) or not 0 <= step <= self.steps:
            raise ValueError(f"expected a step from 0 to {self.steps}, got {step!r}")
        c = self.circuit
        values = {c.quantities[p].name: sp.Rational(self.history[c.quantities[p].name][int(step)]) for p in c.params}
        return derive_circuit(with_params(c, values))


def with_params(c: Circuit, values: Mapping[str, sp.Rational]) -> Circuit:
    """The same circuit with other parameter values."""
    spec = replace(c.spec, param_values={**c.spec.param_values, **values})
    if c.spec.source == "<expressions>":  # built from SymPy expressions: built from them again
        return Circuit(spec, {c.quantities[s].name: c.quantities[s].definition for s in c.nodes})
    return Circuit(spec)


@dataclass(frozen=True)
class CompiledCircuit:
    """A circuit's loss and gradients over samples, compiled once. Arrays: theta (n_params,) in the circuit's
    order of params, x (n_inputs, n) with one column per sample."""

    circuit: Circuit
    function: Any  # (*inputs, *params) → (output, *param adjoints, *input adjoints), each per sample

    @property
    def param_names(self) -> list[str]:
        return [self.circuit.quantities[p].name for p in self.circuit.params]

    @property
    def input_names(self) -> list[str]:
        return [self.circuit.quantities[x].name for x in self.circuit.inputs]

    def data(self) -> np.ndarray:
        """The spec's samples as x (n_inputs, n)."""
        c = self.circuit
        try:
            return np.array([[float(sample[x]) for sample in c.samples] for x in c.inputs], dtype=float
                            ).reshape(len(c.inputs), len(c.samples))
        except KeyError as exc:
            raise SpecError(f"no value for the input {exc.args[0]}; training needs every input's value per sample",
                            key="graph.inputs", source=c.spec.source) from None

    def theta(self) -> np.ndarray:
        """The spec's parameter values."""
        c = self.circuit
        missing = [c.quantities[p].name for p in c.params if p not in c.values]
        if missing:
            raise SpecError(f"training needs numbers; no value for {', '.join(missing)}", key="graph.params",
                            source=c.spec.source)
        return np.array([float(c.values[p]) for p in c.params], dtype=float)

    def raw(self, theta: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per sample: the output (n,), every parameter's gradient (n_params, n), every input's (n_inputs, n)."""
        theta, x = np.asarray(theta, dtype=float), np.asarray(x, dtype=float)
        n = x.shape[1]
        with np.errstate(all="ignore"):
            values = self.function(*x, *theta)
        rows = [np.broadcast_to(np.asarray(v, dtype=float), (n,)) for v in values]
        k = len(self.circuit.params)
        return rows[0], np.array(rows[1:1 + k]).reshape(k, n), np.array(rows[1 + k:]).reshape(-1, n)

    def scale(self, n: int) -> float:
        return 1.0 / n if self.circuit.spec.batch_loss == "mean" else 1.0

    def batch_loss_and_gradients(self, theta: np.ndarray, x: np.ndarray) -> tuple[float, np.ndarray]:
        """The batch loss (the output summed or averaged over the samples) and its gradient (n_params,)."""
        out, grads, _ = self.raw(theta, x)
        s = self.scale(out.shape[0])
        return float(out.sum()) * s, grads.sum(axis=1) * s

    def loss_and_gradients(self, params: Mapping[str, float] | None = None) -> tuple[float, dict[str, float]]:
        """At the spec's samples, the spec's parameter values or those given by name."""
        theta = self.theta() if params is None else np.array([float(params[n]) for n in self.param_names])
        loss, grads = self.batch_loss_and_gradients(theta, self.data())
        return loss, dict(zip(self.param_names, map(float, grads), strict=True))


def compile_circuit(c: Circuit) -> CompiledCircuit:
    code, results, names = circuit_assignments(c)
    args = [names[s] for s in (*c.inputs, *c.params)]
    fn = sp.lambdify(args, results, modules=_MODULES, cse=lambda exprs: (code, exprs), use_imps=False,
                     **NO_DOCSTRING)
    return CompiledCircuit(c, fn)


def train_circuit(c: Circuit, steps: int | None = None, *, epochs: int | None = None,
                  compiled: CompiledCircuit | CompiledRecurrent | None = None) -> Training:
    """Gradient descent on the circuit's parameters with the spec's learning_rate, N updates (`steps`) or N
    passes over the samples (`epochs`), as the spec's [training] says: the batch loss (default), one sample
    (online) or a minibatch per update, in the samples' order; momentum μ: Δp_t = −η g_t + μ Δp_{t−1}; weight
    decay λ: the loss + λ/2 Σ p², g + λp (every parameter). The result is train.py's Training (losses before
    update 1 … after update N, every parameter per step, the output per sample at the end; `derivation(k)`
    derives the circuit at step k). An unrolled recurrent network is compiled as matrices (rnn_numeric.py: BPTT
    over its sequences, the same numbers as its straight-line code) unless `compiled` says otherwise."""
    if (steps is None) == (epochs is None):
        raise SpecError("expected a number of steps or a number of epochs (one of them)", key="--steps")
    source = c.spec.source
    if c.learning_rate is None:
        raise SpecError("training needs a learning rate: learning_rate = 0.1 at the top of the spec",
                        key="learning_rate", source=source)
    options = c.spec.training
    n = len(c.samples)
    groups = options.per_update(n)
    steps = update_count(steps, epochs, groups)
    recorded = steps * max(1, len(c.params))
    if recorded > MAX_TRAINING_VALUES:
        raise SpecError(f"{steps} updates of {len(c.params)} parameters would record {recorded} values; the limit is "
                        f"{MAX_TRAINING_VALUES}", key="--epochs" if epochs is not None else "--steps")
    if not c.params:
        raise SpecError("nothing to train: the graph has no parameters (graph.params)", key="graph.params",
                        source=source)
    if compiled is None and recurrent_network(c) is not None:
        from .rnn_numeric import compile_recurrent

        compiled = compile_recurrent(c)
    compiled = compiled or compile_circuit(c)
    if compiled.circuit is not c:
        raise ValueError("compiled is not a compilation of this circuit")
    x = compiled.data()
    eta, mu, lam = (float(v) for v in (c.learning_rate, options.momentum, options.weight_decay))
    everything = np.ones(len(c.params), dtype=bool)  # every parameter trains and decays

    def objective(theta: np.ndarray, cols: list[int] | None, k: int) -> tuple[float, np.ndarray]:
        loss, grads = compiled.batch_loss_and_gradients(theta, x if cols is None else x[:, cols])
        return regularised(loss, grads, theta, lam, everything, k, source)

    history, losses, updates = descend(compiled.theta(), steps, groups, objective, eta, mu, everything,
                                       compiled.param_names)
    theta = history[-1]
    names = compiled.param_names

    def named(values: np.ndarray) -> dict[str, float]:
        return dict(zip(names, map(float, values), strict=True))

    out, _, _ = compiled.raw(theta, x)
    outputs: dict[str, float | list[float]] = {
        c.quantities[c.output].name: float(out[0]) if n == 1 else [float(v) for v in out]}
    per_epoch = len(groups)
    return CircuitTraining(steps, losses, named(history[-1]), outputs,
                           history={name: history[:, j].tolist() for j, name in enumerate(names)}, updates=updates,
                           epoch_losses=losses[::per_epoch] + ([losses[-1]] if steps % per_epoch else []),
                           network=cast(Network, c))

