"""Compiled numeric evaluation: the loss and every gradient for a whole batch of samples, in NumPy.

All methods run the same reverse accumulation as derive.py: the error term δ = ∂E/∂net of a neuron is formed
once and reused by the layer before, never re-derived per path.

    compiled = compile_network(network)
    loss, grads = compiled.loss_and_gradients({"w1": 0.1, ...})   # batch loss, {param: ∂E/∂param}
    loss = compiled.loss()                                         # the forward pass only
    loss, g = compiled.batch_loss_and_gradients(theta, x, t)       # arrays in, arrays out: for loops
    losses, grads = compiled.loss_and_gradients_many(matrix)       # many parameter vectors

Three methods (`method`):

- "layers" (the default): the matrix form of seed 002. Per layer an index matrix of parameter positions
  gives W = θ[positions] (a shared name repeats its position), net = W a_prev + b and out = f(net) on
  (neurons, samples) arrays; backwards ∂E/∂out from the loss, δ = ∂E/∂out ⊙ f'(net), ∂E/∂a_prev = Wᵀ δ,
  and ∂E/∂W = δ a_prevᵀ — the sum over the samples is the matrix product — scattered into θ's gradient by
  position (np.bincount when a parameter is used more than once). The activation, its derivative, the loss
  and its partials are the network's own SymPy definitions, lambdified once on generic symbols and applied
  to whole matrices. A handful of NumPy calls per layer: about as fast as PyTorch's autograd on the CPU
  (benchmarks/numeric_bench.md). Per-sample gradients cost an (n_params, n) array and are built only on
  request (`per_sample`, `raw`).
- "graph": scalar straight-line code, one `sympy.lambdify(args, exprs, modules="numpy", cse=...)` call.
  The network graph *is* the common-subexpression elimination: every net input, output, ∂E/∂output and δ
  becomes one assignment, in the graph's own symbols, and lambdify receives these as its `cse` (lambdify
  accepts a callable). Linear in the size of the network, but thousands of tiny NumPy calls for a few
  hundred parameters, each on an array of samples.
- "sympy": the loss and gradients are written out in the leaves (inputs, targets, parameters) by
  substitution, the way `Network.composed()` builds the forward quantities — shared SymPy subtrees, one
  object per forward quantity and per δ — and `sympy.cse` recovers the sharing. The generated code is
  equivalent to "graph", but building it costs more, and SymPy's automatic evaluation queries assumptions over
  whole subtrees (walked as trees, not DAGs), which grows exponentially with the depth: 0.4 s (graph) against
  1.3 s (sympy) for 642 parameters in three hidden layers of 16, 0.5 s against 5.5 s for 914 in four
  (benchmarks/numeric_bench.py; other shapes took 20 s). Kept for comparison, with `expressions()`.

relu and leaky_relu keep the derivative derive.py uses at the kink (Heaviside(0) = 0, leaky_relu'(0) = α);
softmax is evaluated shifted by the layer's largest net input (exp(net_k − m) / Σ exp(net_j − m), the same
value without overflow; "layers" and "graph"); an abstract activation cannot be evaluated and raises
SpecError.
"""

from __future__ import annotations

import inspect
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, overload

import numpy as np
import sympy as sp

from .errors import SpecError
from .layerwise import NO_DOCSTRING, LayerPlan, NotLayerwise, layer_plan, per_sample_function
from .network import Kind, Network

if TYPE_CHECKING:
    from .circuit import Circuit
    from .rnn_numeric import CompiledRecurrent

ParamValues: TypeAlias = Mapping[str, float] | Mapping[sp.Symbol, float] | Sequence[float] | np.ndarray
Data: TypeAlias = Mapping[str, Any] | Mapping[sp.Symbol, Any] | np.ndarray | Sequence[Sequence[float]]
Method: TypeAlias = Literal["layers", "graph", "sympy"]
Assignments: TypeAlias = tuple[tuple[sp.Symbol, sp.Expr], ...]

_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)?")


# --- the expressions -----------------------------------------------------------------------------

def _local(network: Network, of: sp.Symbol, wrt: sp.Symbol) -> sp.Expr:
    return network.quantities[of].partials[wrt]


def expressions(network: Network, leaves: Mapping[sp.Symbol, sp.Expr] | None = None
                ) -> tuple[sp.Expr, list[sp.Expr], list[sp.Expr]]:
    """The per-sample loss, the per-sample gradient of every parameter and every output, in the leaves.

    Reverse accumulation over the graph: ∂E/∂q = Σ over the children c of q of ∂E/∂c · ∂c/∂q, each local
    partial written in the leaves by substituting the composed forward quantities. Every δ is one object
    reused by all of its uses, so the expressions form a DAG of the network's size, not a tree of its paths
    (print one and you get the tree). `leaves` renames inputs, targets and parameters.
    """
    net = network
    leaves = leaves or {}
    definitions, locals_ = _without_piecewise(net)
    composed: dict[sp.Symbol, sp.Expr] = {}
    for s, q in net.quantities.items():  # topological: leaves, then layer by layer, the loss last
        composed[s] = leaves.get(s, s) if q.definition is None else definitions.get(s, q.definition).xreplace(composed)
    adjoint: dict[sp.Symbol, sp.Expr] = {net.error: sp.Integer(1)}
    for s in reversed(list(net.quantities)):
        if s == net.error or net.quantities[s].kind in (Kind.INPUT, Kind.TARGET):
            continue
        adjoint[s] = sp.Add(*[adjoint[c] * locals_.get((c, s), _local(net, c, s)).xreplace(composed)
                              for c in net.children[s]])
    return composed[net.error], [adjoint[p] for p in net.params], [composed[o] for o in net.outputs]


def _without_piecewise(network: Network) -> tuple[dict[sp.Symbol, sp.Expr], dict[tuple[sp.Symbol, sp.Symbol], sp.Expr]]:
    """The activations' NumPy-safe forms where their entry has them (leaky_relu without Piecewise: max(x, αx)
    and α + (1 − α)·H(x), equal everywhere). Composed, a Piecewise whose condition holds another Piecewise is
    folded by SymPy into conditions that are themselves Piecewise, which NumPy's select cannot take."""
    definitions: dict[sp.Symbol, sp.Expr] = {}
    partials: dict[tuple[sp.Symbol, sp.Symbol], sp.Expr] = {}
    for layer in network.layers:
        for r, (n, o) in enumerate(zip(layer.nets, layer.outs, strict=True)):
            act = layer.activation_of(r)
            kind = act.kind
            if kind.numeric_forward is not None:  # a skip's output added after the activation
                definitions[o] = kind.numeric_forward(n, act) + (layer.skip[r] if layer.skip else 0)
            if kind.numeric_derivative is not None:
                partials[(o, n)] = kind.numeric_derivative(n, act)
    return definitions, partials


def forward_assignments(network: Network, names: Mapping[sp.Symbol, sp.Symbol]) -> Assignments:
    """The forward sweep as straight-line code: every net input and output in graph order, the loss last
    (softmax layers shifted by their largest net input). The first part of graph_assignments."""
    out: list[tuple[sp.Symbol, sp.Expr]] = []
    softmax = {layer.outs[0]: layer for layer in network.layers if not layer.activation.elementwise}
    in_softmax = {o for layer in softmax.values() for o in layer.outs}
    for s, q in network.quantities.items():
        if s in softmax:  # the whole layer at once, shifted by the largest net input: no overflow in exp
            layer = softmax[s]
            top, total = _symbol(f"__max_{layer.index}"), _symbol(f"__sum_{layer.index}")
            exps = [_symbol(f"__exp_{_safe(o.name, k)}") for k, o in enumerate(layer.outs)]
            out.append((top, sp.Max(*[names[n] for n in layer.nets])))
            out += [(e, sp.exp(names[n] - top)) for e, n in zip(exps, layer.nets, strict=True)]
            out.append((total, sp.Add(*exps)))
            out += [(names[o], e / total) for e, o in zip(exps, layer.outs, strict=True)]
        if q.definition is not None and s not in in_softmax:
            out.append((names[s], q.definition.xreplace(names)))
    return tuple(out)


def graph_assignments(network: Network, names: Mapping[sp.Symbol, sp.Symbol]
                      ) -> tuple[Assignments, list[sp.Expr]]:
    """The same reverse accumulation as straight-line code: (assignments, results).

    The assignments define, in order, every net input and output (the forward sweep), the loss, then
    ∂E/∂out and δ = ∂E/∂net of every neuron from the output layer down; the results are the loss, every
    parameter's gradient (Σ δ · ∂net/∂param over its uses) and every output, in the assigned symbols.
    `names` maps every quantity of the network to the symbol used for it in the code.
    """
    net = network
    out = list(forward_assignments(network, names))
    adjoint: dict[sp.Symbol, sp.Expr] = {net.error: sp.Integer(1)}
    for layer in reversed(net.layers):
        for o, neuron in zip(layer.outs, layer.neurons, strict=True):
            # ∂E/∂out: from the loss, or from the net inputs of the layer above
            a = _symbol(f"__dE_{_safe(neuron, len(out))}")
            out.append((a, sp.Add(*[adjoint[c] * _local(net, c, o).xreplace(names) for c in net.children[o]])))
            adjoint[o] = a
        for n, neuron in zip(layer.nets, layer.neurons, strict=True):
            # δ: through the neuron's own activation (the whole layer for softmax)
            d = _symbol(f"__delta_{_safe(neuron, len(out))}")
            out.append((d, sp.Add(*[adjoint[c] * _local(net, c, n).xreplace(names) for c in net.children[n]])))
            adjoint[n] = d
    grads = [sp.Add(*[adjoint[c] * _local(net, c, p).xreplace(names) for c in net.children[p]]) for p in net.params]
    return tuple(out), [names[net.error], *grads, *[names[o] for o in net.outputs]]


def _symbol(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


def _safe(name: str, k: int) -> str:
    """A spec name is letters and digits with at most one _suffix; anything else gets a numbered name."""
    return name if _IDENT.fullmatch(name) else f"_{k}"


def code_names(network: Network) -> dict[sp.Symbol, sp.Symbol]:
    """The generated code's name of every quantity: `_` + its name (`_w1`, `_net_h1`, `_E_total`).

    A leading underscore keeps them apart from NumPy's names (a parameter may be called `exp`) and from
    the x0, x1, ... of sympy.cse; the adjoints are `__dE_...` and `__delta_...`, with two underscores, which
    no spec name has.
    """
    return {s: _symbol(f"_{q.name}" if _IDENT.fullmatch(q.name) else f"__q{k}")
            for k, (s, q) in enumerate(network.quantities.items())}


def _require_concrete(network: Network) -> None:
    if any(act.name == "abstract" for layer in network.layers for act in layer.per_neuron or (layer.activation,)):
        raise SpecError("training needs a concrete activation, not an abstract one", key="layers",
                        source=network.spec.source)


# --- the compiled function -----------------------------------------------------------------------

@dataclass(eq=False)
class Compiled:
    """The network's loss, gradients and outputs as one vectorised NumPy function (see compile_network).

    `function(*inputs, *targets, *params)` takes one array per input and target (the samples; any shapes
    that broadcast against the parameters) and one scalar or array per parameter, and returns the list
    `[loss, ∂loss/∂param for each parameter (network.params order), each output (network.outputs order)]`,
    per sample (a constant may come back as a scalar: broadcast it). For "layers" it evaluates `plan` (one
    parameter vector; `assignments` and `results` are empty); the batch methods below use the plan directly.
    """

    network: Network
    method: str
    args: tuple[sp.Symbol, ...]  # inputs, targets, parameters: the network's symbols, in argument order
    names: tuple[sp.Symbol, ...]  # the same in the generated code (`_w1`, ...)
    assignments: Assignments  # the straight-line code before the results: graph quantities or sympy.cse's
    results: tuple[sp.Expr, ...]  # loss, gradients, outputs, in the assigned names
    function: Callable[..., Sequence[Any]]
    seconds: float  # time to build the expressions and compile them
    _data: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    plan: LayerPlan | None = field(default=None, repr=False)  # "layers": the matrix form
    _forward: Callable[..., Sequence[Any]] | None = field(default=None, repr=False)  # graph/sympy, on first use

    @property
    def param_names(self) -> list[str]:
        return [p.name for p in self.network.params]

    @property
    def output_names(self) -> list[str]:
        return [self.network.quantities[o].name for o in self.network.outputs]

    @property
    def source(self) -> str:
        """The generated Python code ("layers": the plan and its lambdified functions)."""
        if self.plan is not None:
            return self.plan.source()
        return inspect.getsource(self.function)

    # -- arguments ------------------------------------------------------------------------------

    def param_vector(self, params: ParamValues | None = None) -> np.ndarray:
        """Parameter values in network.params order, from a mapping (names or symbols) or a sequence
        (returned as an array of floats); None: the network's own values."""
        net = self.network
        if params is None:
            missing = [p.name for p in net.params if p not in net.values]
            if missing:
                raise SpecError(f"no value for {', '.join(missing)}", key="params", source=net.spec.source)
            return np.array([float(net.values[p]) for p in net.params])
        if isinstance(params, Mapping):
            by_name: dict[str, Any] = {(k.name if isinstance(k, sp.Symbol) else str(k)): v for k, v in params.items()}
            known = set(self.param_names)
            unknown = [k for k in by_name if k not in known]
            if unknown:
                raise SpecError(f"{unknown[0]!r} is not a parameter of the network; parameters: "
                                f"{', '.join(self.param_names)}", key="params", source=net.spec.source)
            missing = [p.name for p in net.params if p.name not in by_name]
            if missing:
                raise SpecError(f"no value for {', '.join(missing)}", key="params", source=net.spec.source)
            return np.array([float(by_name[p.name]) for p in net.params])
        vec = np.asarray(params, dtype=float)
        if vec.shape[-1:] != (len(net.params),):
            raise ValueError(f"expected {len(net.params)} parameter values (network.params order), "
                             f"got shape {vec.shape}")
        return vec

    def data(self, inputs: Data | None = None, targets: Data | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(inputs, targets) as arrays of shape (n_inputs, n_samples) and (n_outputs, n_samples).

        Each is a mapping from names (or symbols; targets also by output neuron, as in the spec) to one
        value or one value per sample, or a 2-D array with one row per sample; None: the network's samples.
        """
        if inputs is None and targets is None and self._data is not None:
            return self._data
        net = self.network
        x = self._from_samples(net.inputs) if inputs is None else self._columns(inputs, net.inputs, "inputs")
        t = self._from_samples(net.targets) if targets is None else self._columns(targets, net.targets, "targets")
        if x.shape[1] != t.shape[1]:
            if x.shape[1] == 1:
                x = np.repeat(x, t.shape[1], axis=1)
            elif t.shape[1] == 1:
                t = np.repeat(t, x.shape[1], axis=1)
            else:
                raise ValueError(f"{x.shape[1]} samples of inputs but {t.shape[1]} of targets")
        if inputs is None and targets is None:
            self._data = (x, t)
        return x, t

    def _from_samples(self, leaves: tuple[sp.Symbol, ...]) -> np.ndarray:
        net = self.network
        missing = [s.name for sample in net.samples for s in leaves if s not in sample]
        if missing:
            raise SpecError(f"no value for {', '.join(dict.fromkeys(missing))}", key="params",
                            source=net.spec.source)
        return np.array([[float(sample[s]) for sample in net.samples] for s in leaves],
                        dtype=float).reshape(len(leaves), len(net.samples))

    def _columns(self, data: Data, leaves: tuple[sp.Symbol, ...], what: str) -> np.ndarray:
        if isinstance(data, Mapping):
            by_name: dict[str, Any] = {(k.name if isinstance(k, sp.Symbol) else str(k)): v for k, v in data.items()}
            if what == "targets":
                for neuron, t in self.network.target_of.items():
                    if neuron in by_name and t.name not in by_name:
                        by_name[t.name] = by_name.pop(neuron)
            missing = [s.name for s in leaves if s.name not in by_name]
            if missing:
                raise ValueError(f"{what}: no values for {', '.join(missing)}")
            rows = [np.atleast_1d(np.asarray(by_name[s.name], dtype=float)) for s in leaves]
            if any(r.ndim != 1 for r in rows):
                raise ValueError(f"{what}: expected one value or one value per sample for each name")
            return np.array(np.broadcast_arrays(*rows), dtype=float).reshape(len(leaves), -1)
        arr = np.asarray(data, dtype=float)
        if arr.ndim == 1 and len(leaves) == 1:
            arr = arr[:, None]
        elif arr.ndim == 1:
            arr = arr[None, :]
        if arr.ndim != 2 or arr.shape[1] != len(leaves):
            raise ValueError(f"{what}: expected an array of shape (n_samples, {len(leaves)}), got {arr.shape}")
        return arr.T

    # -- evaluation on arrays (parameter vector from param_vector, data from data()) ------------------

    def raw(self, theta: np.ndarray, x: np.ndarray, t: np.ndarray) -> list[Any]:
        """Per sample: [loss, each parameter's gradient, each output] for a parameter vector and data arrays."""
        with np.errstate(all="ignore"):
            return list(self.function(*x, *t, *theta))  # "layers": per_sample_function of the plan

    def _scale(self, n: int) -> float:
        return 1.0 / n if self.network.spec.batch_loss == "mean" else 1.0

    def batch(self, values: Sequence[Any], n: int) -> tuple[float, np.ndarray]:
        """Batch loss and gradient vector from the raw per-sample values of n samples."""
        scale = self._scale(n)
        k = len(self.network.params)
        try:  # usually every value is an array of n: one sum over the stacked rows
            sums = np.asarray(values[:1 + k], dtype=float).reshape(1 + k, n).sum(axis=1)
        except ValueError:  # some are constants (scalars): broadcast them one by one
            sums = np.array([np.sum(np.broadcast_to(np.asarray(v, dtype=float), (n,))) for v in values[:1 + k]])
        return float(sums[0]) * scale, sums[1:] * scale

    def batch_loss_and_gradients(self, theta: np.ndarray, x: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
        """The batch loss and its gradient vector (network.params order) for x (n_inputs, n) and t (n_outputs, n),
        as data() returns them. "layers": the sums over the samples are matrix products, no per-sample rows."""
        theta, x, t = (np.asarray(a, dtype=float) for a in (theta, x, t))
        if self.plan is not None:
            with np.errstate(all="ignore"):
                return self.plan.batch(theta, x, t, self._scale(x.shape[1]))
        return self.batch(self.raw(theta, x, t), x.shape[1])

    def _losses_and_outputs(self, theta: np.ndarray, x: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The forward pass only: per-sample losses (n,) and outputs (n_outputs, n)."""
        n = x.shape[1]
        with np.errstate(all="ignore"):
            if self.plan is not None:
                return self.plan.losses(theta, x, t)
            if self._forward is None:  # the forward assignments of the graph, compiled on first use
                net, names = self.network, code_names(self.network)
                self._forward = sp.lambdify(
                    self.names, [names[net.error], *[names[o] for o in net.outputs]], modules="numpy",
                    cse=lambda exprs: (forward_assignments(net, names), exprs), use_imps=False, **NO_DOCSTRING)
            values = self._forward(*x, *t, *theta)
        rows = [np.broadcast_to(np.asarray(v, dtype=float), (n,)) for v in values]
        return rows[0], np.array(rows[1:]).reshape(-1, n)

    def batch_loss(self, theta: np.ndarray, x: np.ndarray, t: np.ndarray) -> float:
        """The batch loss alone (the forward pass, no gradient work): for a loss landscape, or to compare."""
        theta, x, t = (np.asarray(a, dtype=float) for a in (theta, x, t))
        losses, _ = self._losses_and_outputs(theta, x, t)
        return float(losses.sum()) * self._scale(x.shape[1])

    # -- evaluation on names, mappings and the network's own values --------------------------------

    def _one(self, params: ParamValues | None, what: str) -> np.ndarray:
        theta = self.param_vector(params)
        if theta.ndim != 1:
            raise ValueError(f"{what} takes one parameter vector; for several use loss_and_gradients_many")
        return theta

    def per_sample(self, params: ParamValues | None = None, inputs: Data | None = None,
                   targets: Data | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per sample: the loss (n,), the gradients (n_params, n) and the outputs (n_outputs, n)."""
        x, t = self.data(inputs, targets)
        theta = self._one(params, "per_sample")
        n, k = x.shape[1], len(self.network.params)
        rows = [np.broadcast_to(np.asarray(v, dtype=float), (n,)) for v in self.raw(theta, x, t)]
        return rows[0], np.array(rows[1:1 + k]).reshape(k, n), np.array(rows[1 + k:]).reshape(-1, n)

    def loss(self, params: ParamValues | None = None, inputs: Data | None = None,
             targets: Data | None = None) -> float:
        """The batch loss (sum or mean of the samples' losses, as spec.batch_loss says), without gradients."""
        x, t = self.data(inputs, targets)
        return self.batch_loss(self._one(params, "loss"), x, t)

    def loss_and_gradients(self, params: ParamValues | None = None, inputs: Data | None = None,
                           targets: Data | None = None) -> tuple[float, dict[str, float]]:
        """The batch loss (sum or mean of the samples' losses, as spec.batch_loss says) and every parameter's
        batch gradient, by name. Default parameters and data: the network's own."""
        x, t = self.data(inputs, targets)
        loss, grads = self.batch_loss_and_gradients(self._one(params, "loss_and_gradients"), x, t)
        return loss, dict(zip(self.param_names, (float(g) for g in grads), strict=True))

    def loss_and_gradients_many(self, params: np.ndarray | Sequence[Sequence[float]], inputs: Data | None = None,
                                targets: Data | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Many parameter vectors at once: params of shape (m, n_params) in network.params order; returns the
        batch losses (m,) and gradients (m, n_params). graph/sympy: one call of the compiled function, on
        (m, n_samples) arrays; layers: the matrix form once per vector."""
        theta = np.asarray(params, dtype=float)
        k = len(self.network.params)
        if theta.ndim != 2 or theta.shape[1] != k:
            raise ValueError(f"expected parameters of shape (m, {k}), got {theta.shape}")
        x, t = self.data(inputs, targets)
        m, n = theta.shape[0], x.shape[1]
        if self.plan is not None:
            results = [self.batch_loss_and_gradients(row, x, t) for row in theta]
            return np.array([r[0] for r in results]), np.array([r[1] for r in results]).reshape(m, k)
        with np.errstate(all="ignore"):
            values = self.function(*x[:, None, :], *t[:, None, :], *theta.T[:, :, None])
        scale = self._scale(n)
        losses = np.broadcast_to(values[0], (m, n)).sum(axis=1) * scale
        grads = np.array([np.broadcast_to(g, (m, n)).sum(axis=1) for g in values[1:1 + k]]).reshape(k, m).T
        return losses, grads * scale

    def outputs(self, params: ParamValues | None = None, inputs: Data | None = None,
                targets: Data | None = None) -> dict[str, np.ndarray]:
        """Every output neuron's value per sample (the forward pass only)."""
        x, t = self.data(inputs, targets)
        _, outs = self._losses_and_outputs(self._one(params, "outputs"), x, t)
        return dict(zip(self.output_names, outs, strict=True))


@overload
def compile_network(network: Network, method: Method = "layers") -> Compiled: ...


@overload
def compile_network(network: Circuit, method: Method = "layers") -> CompiledRecurrent: ...


def compile_network(network: Network | Circuit, method: Method = "layers") -> Compiled | CompiledRecurrent:
    """The loss, every gradient and every output of the network as NumPy code vectorised over the samples.

    A recurrent spec as load_model returns it (its unrolled circuit) is compiled as matrices over the steps and
    the sequences: rnn_numeric.compile_recurrent (`method` does not apply).

    "layers" (the default): the matrix form of LayerPlan, a few matrix products per layer, which costs
    about as much as PyTorch's autograd; a network it does not cover (activations whose partials differ
    between the neurons of a layer, a softmax Jacobian that is not diag + u vᵀ — none of the built-in ones)
    falls back to "graph", and `Compiled.method` says which was used. "graph" and "sympy": one
    `sympy.lambdify(args, exprs, modules="numpy", cse=...)` call generating scalar straight-line code (see
    the module docstring). Raises SpecError for an abstract activation."""
    if not isinstance(network, Network):
        from .rnn_numeric import compile_recurrent  # (rnn_numeric reads layerwise: imported when asked for)

        return compile_recurrent(network)
    _require_concrete(network)
    start = time.perf_counter()
    names = code_names(network)
    leaves = (*network.inputs, *network.targets, *network.params)
    args = tuple(names[s] for s in leaves)
    if method == "layers":
        try:
            plan = layer_plan(network)
        except NotLayerwise:
            method = "graph"
        else:
            return Compiled(network, method, leaves, args, (), (), per_sample_function(network, plan),
                            time.perf_counter() - start, plan=plan)
    if method == "graph":
        assignments, results = graph_assignments(network, names)
    elif method == "sympy":
        loss, grads, outs = expressions(network, {s: names[s] for s in leaves})
        replacements, reduced = sp.cse([loss, *grads, *outs], order="none", list=False)
        assignments, results = tuple(replacements), list(reduced)
    else:
        raise ValueError(f"unknown method {method!r}; expected 'layers', 'graph' or 'sympy'")
    # use_imps=False: lambdify would otherwise walk every expression as a tree looking for implemented
    # functions; the cse callable hands lambdify the straight-line code found above
    fn = sp.lambdify(args, results, modules="numpy", cse=lambda exprs: (assignments, exprs), use_imps=False,
                     **NO_DOCSTRING)
    return Compiled(network, method, leaves, args, assignments, tuple(results), fn, time.perf_counter() - start)


__all__ = ["Compiled", "code_names", "compile_network", "expressions", "forward_assignments", "graph_assignments"]
