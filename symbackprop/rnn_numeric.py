"""Compiled numerics of a recurrent (Elman) network: backpropagation through time as matrix products over a batch
of sequences, in place of the unrolled circuit's scalar straight-line code.

The forward pass runs h_t = f(U x_t + V h_{t−1} + b) and y_t = g(W h_t + c) on (neurons, sequences) arrays —
U x_t for every step at once, one product V h_{t−1} per step — and the loss at every step (the steps summed) or at
the last step only, as recurrent.py defines it. The backward pass is the BPTT recursion of the lectures, each δ
formed once from the δ of the step after it: ε_t = ∂E/∂y_t ⊙ g′(net_t) (a cross-entropy on its sigmoid from the
net input, as layerwise.py's _Fused), δ_t = (Vᵀ δ_{t+1} + Wᵀ ε_t) ⊙ f′(net_t); the shared weights' gradients are
summed over the steps and the sequences by products (∂E/∂V = Σ_t δ_t h_{t−1}ᵀ) and scattered into θ by position,
so a name used twice gets the sum of its uses. f, f′, the loss and its partial are the project's own SymPy
definitions, lambdified once on generic symbols by layerwise.py (the activation's and the loss's helpers, read
from a one-step network of the same activations and loss): nothing is written a second time by hand.

Two ways in:
- `compile_recurrent(model)` — a loaded recurrent spec (the unrolled Circuit that `load_model` returns, or a
  RecurrentSpec): `loss_and_gradients()` at the spec's values; `sequences(theta, x, targets, h0)` on arrays of
  any batch of sequences (x: (steps, inputs, sequences)). `circuit_numeric.train_circuit` uses it for every
  unrolled recurrent circuit (so `symbackprop train` and `train_circuit` of a recurrent spec run it); its numbers
  equal the circuit's straight-line code to rounding (tests/test_rnn_numeric.py).
- the CompiledCircuit interface (`data`, `theta`, `raw`, `batch_loss_and_gradients`), one column per circuit
  sample whose rows are the unrolled circuit's inputs (x1_t1, …, h1_t0; with several sequences x1_s1t1, …):
  what train_circuit reads.

Several sequences ([[samples]]): the spec's loss is the sum of the sequences' losses (the mean with
batch_loss = "mean"), every update uses all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .circuit import Circuit
from .errors import SpecError
from .layerwise import _Activation, _activation, _Fused, _Loss, _loss
from .losses import matching_activation
from .network import Network
from .recurrent import RecurrentSpec, at, recurrent_network, unrolled


def _functions(r: RecurrentSpec) -> tuple[_Activation, _Activation, _Loss, _Fused | None]:
    """f, g and the loss as layerwise.py lambdifies them, read from a one-step network with the same activations,
    output width and loss (its quantities hold the project's definitions and partials)."""
    m = len(r.W)
    net = Network.from_dict({
        "loss": r.loss, "inputs": ["x"],
        "layers": [{"name": "h", "activation": r.activation, "weights": [["a"]]},
                   {"name": "y", "activation": r.output_activation, "weights": [[f"p{k}"] for k in range(m)]}]})
    cache: dict[Any, Any] = {}
    fused = _Fused(False) if matching_activation(r.loss) == r.output_activation == "sigmoid" else None
    return (_activation(net, net.layers[0], cache), _activation(net, net.layers[1], cache), _loss(net, cache),
            fused)


def _positions(grid: tuple[tuple[str, ...], ...], position: Mapping[str, int]) -> np.ndarray:
    return np.array([[position[p] for p in row] for row in grid], dtype=np.intp).reshape(len(grid), -1)


def _bias(names: tuple[str | None, ...], position: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(the rows that have a bias, their θ positions)."""
    rows = [j for j, b in enumerate(names) if b is not None]
    return np.array(rows, dtype=np.intp), np.array([position[names[j]] for j in rows], dtype=np.intp)  # type: ignore[index]


@dataclass(frozen=True, eq=False)
class CompiledRecurrent:
    """An Elman network's loss and BPTT gradients over batches of sequences (see the module docstring). θ is the
    spec's parameters in order of first use (recurrent.py's `params`: a shared name once)."""

    rnn: RecurrentSpec
    circuit: Circuit | None  # the unrolled circuit it was compiled from (None: from the RecurrentSpec)
    param_names: list[str]
    input_names: list[str]  # the unrolled circuit's inputs: the rows of `data`
    f: _Activation
    g: _Activation
    loss: _Loss
    fused: _Fused | None
    U: np.ndarray  # θ positions (hidden, inputs)
    V: np.ndarray  # (hidden, hidden)
    W: np.ndarray  # (outputs, hidden)
    hidden_bias: tuple[np.ndarray, np.ndarray]  # (rows, positions)
    output_bias: tuple[np.ndarray, np.ndarray]
    layout: np.ndarray  # θ position of every gradient entry: U, V, b, W, c (row by row)
    x_rows: np.ndarray  # (steps, inputs, sequences): the row of `data` of x_i at step t of sequence s
    h0_rows: np.ndarray  # (hidden, sequences)
    targets: np.ndarray  # (target steps, outputs, sequences)
    target_steps: np.ndarray  # 0-based steps that carry a target

    @property
    def n_params(self) -> int:
        return len(self.param_names)

    # -- the spec's values ------------------------------------------------------------------------------------

    def theta(self) -> np.ndarray:
        """The spec's parameter values, in `param_names` order."""
        missing = [p for p in self.param_names if p not in self.rnn.param_values]
        if missing:
            raise SpecError(f"training needs numbers; no value for {', '.join(missing)}", key="params",
                            source=self.rnn.source)
        return np.array([float(self.rnn.param_values[p]) for p in self.param_names], dtype=float)

    def data(self) -> np.ndarray:
        """The spec's sequences as one circuit sample: (len(input_names), 1), the unrolled circuit's inputs."""
        r = self.rnn
        values = {at(h, 0, s): v for s in self._numbers() for h, v in zip(r.hidden_neurons, r.initial_state,
                                                                            strict=True)}
        for s, (inputs, _) in zip(self._numbers(), r.sequences or ((r.input_values, r.targets),), strict=True):
            for x, xs in inputs.items():
                values |= {at(x, t, s): v for t, v in enumerate(xs, start=1)}
        missing = [name for name in self.input_names if name not in values]
        if missing:
            raise SpecError(f"training needs numbers; no value for the input {missing[0]}", key="inputs",
                            source=r.source)
        return np.array([[float(values[name])] for name in self.input_names], dtype=float)

    def _numbers(self) -> list[int | None]:
        return list(range(1, len(self.rnn.sequences) + 1)) if self.rnn.several else [None]

    def scale(self, n: int) -> float:
        """The batch loss of n circuit samples is their sum (1.0): each is the spec's E already."""
        return 1.0

    # -- sequences as arrays ----------------------------------------------------------------------------------

    def _matrices(self, theta: np.ndarray) -> tuple[np.ndarray, ...]:
        u, v, w = theta[self.U], theta[self.V], theta[self.W]
        b = np.zeros((len(self.V), 1))
        b[self.hidden_bias[0], 0] = theta[self.hidden_bias[1]]
        c = np.zeros((len(self.W), 1))
        c[self.output_bias[0], 0] = theta[self.output_bias[1]]
        return u, v, w, b, c

    def forward(self, theta: np.ndarray, x: np.ndarray, h0: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(net_h (T, n, B), h (T + 1, n, B) with h_0 first, net_y (T, m, B), y (T, m, B)) for x (T, inputs, B)."""
        theta, x = np.asarray(theta, dtype=float), np.asarray(x, dtype=float)
        u, v, w, b, c = self._matrices(theta)
        steps, _, batch = x.shape
        nets = np.matmul(u, x)
        nets += b
        h = np.empty((steps + 1, len(v), batch))
        h[0] = self._h0(h0, batch)
        f = self.f
        for t in range(steps):
            nets[t] += v @ h[t]
            h[t + 1] = f(nets[t])
        net_y = np.matmul(w, h[1:])
        net_y += c
        return nets, h, net_y, self.g(net_y)

    def _h0(self, h0: np.ndarray | None, batch: int) -> np.ndarray:
        if h0 is None:
            return np.broadcast_to(np.array([float(v) for v in self.rnn.initial_state])[:, None],
                                   (len(self.V), batch))
        return np.broadcast_to(np.asarray(h0, dtype=float), (len(self.V), batch))

    def _step_losses(self, net_y: np.ndarray, y: np.ndarray, targets: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
        """(the loss of every sequence (B,), ε = ∂E/∂net_y (T, m, B))."""
        idx = self.target_steps
        o, n = y[idx], net_y[idx]
        k, m, batch = o.shape
        eps = np.zeros_like(y)

        def flat(a: np.ndarray) -> np.ndarray:  # (k, m, B) → (m, k·B): the outputs first, as layerwise's
            return a.transpose(1, 0, 2).reshape(m, k * batch)

        def unflat(a: np.ndarray) -> np.ndarray:
            return a.reshape(m, k, batch).transpose(1, 0, 2)

        of, tf = flat(o), flat(np.broadcast_to(targets, o.shape))
        if self.fused is not None:
            losses = self.fused.loss(flat(n), tf)
            eps[idx] = unflat(self.fused.delta(of, tf))
        else:
            losses = self.loss(of, tf)
            eps[idx] = unflat(self.g.delta(self.loss.grad(of, tf), flat(n), of))
        return losses.reshape(k, batch).sum(axis=0), eps

    def sequences(self, theta: np.ndarray, x: np.ndarray, targets: np.ndarray, h0: np.ndarray | None = None, *,
                  per_sequence: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Backpropagation through time on a batch of B sequences: x (T, inputs, B), targets (target steps,
        outputs, B) — every step's, or the last step's only (as the spec says) — and h0 (hidden, B) or None (the
        spec's initial state). Returns (each sequence's loss (B,), the gradient (n_params,) summed over the steps
        and the sequences — per sequence (n_params, B) with per_sequence — and ∂E/∂x (T, inputs, B) followed by
        ∂E/∂h_0 (hidden, B) as one array of rows (T·inputs + hidden, B))."""
        theta = np.asarray(theta, dtype=float)
        u, v, w, _, _ = self._matrices(theta)
        nets, h, net_y, y = self.forward(theta, x, h0)
        losses, eps = self._step_losses(net_y, y, np.asarray(targets, dtype=float))
        steps = len(nets)
        back = np.matmul(w.T, eps)  # Wᵀ ε_t for every step
        fprime = self.f.derivative(nets, h[1:]) if self.f.derivative is not None else None
        deltas = np.empty_like(nets)
        carry = None
        for t in range(steps - 1, -1, -1):
            d = back[t] if carry is None else back[t] + carry
            if fprime is not None:
                d = d * fprime[t]
            deltas[t] = d
            carry = v.T @ d
        assert carry is not None
        if per_sequence:
            ein = "tjb,tib->jib"
            pieces = [np.einsum(ein, deltas, x), np.einsum(ein, deltas, h[:-1]), deltas.sum(axis=0)[
                self.hidden_bias[0]], np.einsum(ein, eps, h[1:]), eps.sum(axis=0)[self.output_bias[0]]]
            batch = x.shape[2]
            grad: np.ndarray = np.zeros((self.n_params, batch))
            np.add.at(grad, self.layout, np.concatenate([p.reshape(-1, batch) for p in pieces]))
        else:
            axes = ([0, 2], [0, 2])
            pieces = [np.tensordot(deltas, x, axes), np.tensordot(deltas, h[:-1], axes),
                      deltas.sum(axis=(0, 2))[self.hidden_bias[0]], np.tensordot(eps, h[1:], axes),
                      eps.sum(axis=(0, 2))[self.output_bias[0]]]
            grad = np.bincount(self.layout, weights=np.concatenate([p.ravel() for p in pieces]),
                               minlength=self.n_params)
        dx = np.matmul(u.T, deltas)
        return losses, grad, np.concatenate([dx.reshape(-1, dx.shape[-1]), carry])

    def loss_and_gradient(self, theta: np.ndarray, x: np.ndarray, targets: np.ndarray,
                          h0: np.ndarray | None = None) -> tuple[float, np.ndarray]:
        """The loss summed over a batch of sequences and its gradient (the fast path: no input gradients)."""
        losses, grad, _ = self.sequences(theta, x, targets, h0)
        return float(losses.sum()), grad

    # -- the circuit's interface (train_circuit) --------------------------------------------------------------

    def _split(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """Circuit samples (rows, n) as sequences: x (T, inputs, S·n), h0 (hidden, S·n), targets, S."""
        x = np.asarray(x, dtype=float)
        n = x.shape[1]
        s = self.x_rows.shape[2]
        xs = x[self.x_rows].reshape(*self.x_rows.shape[:2], s * n)
        h0 = x[self.h0_rows].reshape(len(self.V), s * n)
        t = np.repeat(self.targets, n, axis=2)
        return xs, h0, t, s

    def raw(self, theta: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """As CompiledCircuit.raw: per circuit sample (a column of x: every sequence of the spec), the spec's loss
        E (n,), every parameter's gradient (n_params, n) and every input's (len(input_names), n)."""
        xs, h0, t, s = self._split(x)
        n = np.asarray(x).shape[1]
        losses, grads, dx = self.sequences(theta, xs, t, h0, per_sequence=True)
        mean = 1.0 / s if self.rnn.batch_loss == "mean" else 1.0
        # the batch axis is sequence-major (sequence k of circuit sample j at k·n + j)
        out = losses.reshape(s, n).sum(axis=0) * mean
        g = grads.reshape(self.n_params, s, n).sum(axis=1) * mean
        steps, n_in = self.x_rows.shape[:2]
        inputs = np.zeros((len(self.input_names), n))
        dxs = dx[:steps * n_in].reshape(steps, n_in, s, n)
        inputs[self.x_rows] = dxs * mean
        inputs[self.h0_rows] = dx[steps * n_in:].reshape(len(self.V), s, n) * mean
        return out, g, inputs

    def batch_loss_and_gradients(self, theta: np.ndarray, x: np.ndarray) -> tuple[float, np.ndarray]:
        """As CompiledCircuit's: the spec's E summed over the circuit samples (columns of x), and its gradient."""
        xs, h0, t, s = self._split(x)
        loss, grad = self.loss_and_gradient(theta, xs, t, h0)
        mean = 1.0 / s if self.rnn.batch_loss == "mean" else 1.0
        return loss * mean, grad * mean

    def loss_and_gradients(self, params: Mapping[str, float] | None = None) -> tuple[float, dict[str, float]]:
        """The spec's E and its gradient by name, at the spec's parameter values or those given by name."""
        theta = self.theta() if params is None else np.array([float(params[n]) for n in self.param_names])
        loss, grads = self.batch_loss_and_gradients(theta, self.data())
        return loss, dict(zip(self.param_names, map(float, grads), strict=True))


def compile_recurrent(model: Circuit | RecurrentSpec) -> CompiledRecurrent:
    """The matrix form of a recurrent network: a loaded recurrent spec (its unrolled Circuit, as load_model
    returns it) or a RecurrentSpec (recurrent.parse_recurrent; no circuit is built). Raises SpecError for a
    circuit that is not an unrolled recurrent network."""
    if isinstance(model, RecurrentSpec):
        r, circuit = model, None
    else:
        found = recurrent_network(model)
        if found is None:
            raise SpecError("expected a recurrent network (a spec with kind = \"recurrent\"), got a circuit",
                            source=getattr(model.spec, "source", "<spec>"))
        r, circuit = found, model
    if circuit is not None:
        params = [circuit.quantities[p].name for p in circuit.params]
        input_names = [circuit.quantities[x].name for x in circuit.inputs]
    else:
        params, input_names = list(r.params), list(unrolled(r).inputs)
    position = {p: i for i, p in enumerate(params)}
    U, V, W = (_positions(grid, position) for grid in (r.U, r.V, r.W))
    hb, ob = _bias(r.hidden_bias, position), _bias(r.output_bias, position)
    layout = np.concatenate([U.ravel(), V.ravel(), hb[1], W.ravel(), ob[1]])
    row = {name: k for k, name in enumerate(input_names)}
    numbers: list[int | None] = list(range(1, len(r.sequences) + 1)) if r.several else [None]
    x_rows = np.array([[[row[at(x, t, s)] for s in numbers] for x in r.inputs] for t in range(1, r.steps + 1)],
                      dtype=np.intp).reshape(r.steps, len(r.inputs), len(numbers))
    h0_rows = np.array([[row[at(h, 0, s)] for s in numbers] for h in r.hidden_neurons], dtype=np.intp)
    sequences = r.sequences or ((r.input_values, r.targets),)
    outputs = r.output_neurons
    targets = np.array([[[float(seq_targets[o][i]) for _, seq_targets in sequences] for o in outputs]
                        for i in range(len(r.target_steps()))], dtype=float)
    f, g, loss, fused = _functions(r)
    return CompiledRecurrent(r, circuit, params, input_names, f, g, loss, fused, U, V, W, hb, ob, layout, x_rows,
                             h0_rows, targets, np.array(r.target_steps(), dtype=np.intp) - 1)


__all__ = ["CompiledRecurrent", "compile_recurrent"]
