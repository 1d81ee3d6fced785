"""The network as matrices, for compiled gradients at the cost of a few matrix products per layer.

Seed 002's matrix form of the reverse accumulation in derive.py: per layer W = θ[positions] (a shared name
repeats its position), net = W a_prev + b and out = f(net) on (neurons, samples) arrays; backwards ∂E/∂out
from the loss, δ = ∂E/∂out ⊙ f'(net), ∂E/∂a_prev = Wᵀ δ, and ∂E/∂W = δ a_prevᵀ — the sum over the samples is
the matrix product — scattered into θ's gradient by position. The activations and the loss are the network's
own SymPy definitions and partials, lambdified once on generic symbols: nothing is written a second time by
hand. numeric.compile_network uses this as its default method ("layers").

A layer kind other than dense gives its own plan with the same passes (LayerKind.plan): convolution and pooling
(convolution.py) run as im2col and matrix products over every position and sample at once (_ConvPlan,
_PoolPlan below).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import sympy as sp
from numpy.lib.stride_tricks import sliding_window_view
from sympy.printing.numpy import NumPyPrinter

from .graph import Layer
from .layers import kind_of
from .losses import matching_activation

if TYPE_CHECKING:  # annotations only: convolution reads this module's plans, and the network imports convolution
    from .convolution import GridLayer
    from .network import Network

# lambdify's docstring prints the expressions as trees (exponential in the depth); SymPy >= 1.13 can skip it
NO_DOCSTRING: dict[str, Any] = (
    {"docstring_limit": 0} if "docstring_limit" in inspect.signature(sp.lambdify).parameters else {})


class NotLayerwise(Exception):
    """The network has something the matrix form does not cover; compile_network falls back to "graph"."""


# generic symbols: the activation and the loss of one neuron, lambdified once and applied to whole matrices
_Z, _A, _B, _O, _T = (sp.Symbol(n, real=True) for n in ("__z", "__a", "__b", "__o", "__t"))


def _select(condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = np.nan) -> Any:
    """numpy.select as lambdify prints Piecewise and Heaviside; the usual two branches (the second one `True`)
    as one numpy.where, which does not copy every choice to the full shape first. Same values."""
    if len(condlist) == 2 and condlist[1] is True:
        return np.where(condlist[0], choicelist[0], choicelist[1])
    return np.select(condlist, choicelist, default=default)


_MODULES: list[Any] = [{"select": _select}, "numpy"]


class _Printer(NumPyPrinter):
    """NumPy code as lambdify writes it, except x**(-1) as 1/x: numpy.power(x, -1.0) takes twice as long as a
    division (sigmoid is (1 + exp(−z))**(−1), 40% of a sigmoid layer's forward pass)."""

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        if expr.exp == -1:
            return f"1/({self._print(expr.base)})"
        return str(super()._print_Pow(expr, rational=rational))


def _lambdify(args: Sequence[sp.Symbol], expr: Any, cache: dict[Any, Callable[..., Any]]) -> Callable[..., Any]:
    key = (tuple(args), expr if not isinstance(expr, list) else tuple(expr))
    if key not in cache:
        printer = _Printer({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True})
        cache[key] = sp.lambdify(args, expr, modules=_MODULES, printer=printer, **NO_DOCSTRING)
    return cache[key]


def _full(value: Any, shape: tuple[int, ...]) -> np.ndarray:
    """A lambdified value that may be a constant (f' = 1, a loss partial free of o) at the array's shape."""
    value = np.asarray(value, dtype=float)
    return value if value.shape == shape else np.broadcast_to(value, shape)


@dataclass(frozen=True)
class _Activation:
    """One layer's activation as NumPy functions of whole (neurons, samples) matrices.

    Elementwise: `forward(net)` and `derivative(net, out)` (None when it is the constant 1), both lambdified
    from the network's own definition and partial of the neuron's output. Softmax: the forward pass is
    shifted by the column maximum (as graph_assignments does); the backward pass is the Jacobian–vector
    product with ∂out_k/∂net_j = [k = j]·d(out_k) + u(out_k)·v(out_j) (the network's partials, factored):
    δ = g ⊙ (d − u·v)(out) + v(out) ⊙ Σ_k g_k u(out_k).
    """

    name: str
    forward: Callable[..., Any] | None  # None: softmax
    derivative: Callable[..., Any] | None = None  # f'(net, out); None: 1
    diagonal: Callable[..., Any] | None = None  # softmax: (d − u·v)(out)
    u: Callable[..., Any] | None = None
    v: Callable[..., Any] | None = None
    exprs: tuple[tuple[str, sp.Expr], ...] = ()  # for Compiled.source

    def __call__(self, net: np.ndarray) -> np.ndarray:
        if self.forward is not None:
            return _full(self.forward(net), net.shape)
        e = np.exp(net - net.max(axis=0))
        e /= e.sum(axis=0)
        return e

    def delta(self, g: np.ndarray, net: np.ndarray, out: np.ndarray) -> np.ndarray:
        """δ = ∂E/∂net from g = ∂E/∂out."""
        if self.forward is not None:
            return g if self.derivative is None else g * self.derivative(net, out)
        assert self.diagonal is not None
        delta = g * self.diagonal(out)
        if self.u is not None and self.v is not None:
            delta += self.v(out) * (g * self.u(out)).sum(axis=0)
        return delta


def _activation(network: Network, layer: Layer, cache: dict[Any, Callable[..., Any]]) -> _Activation:
    q = network.quantities
    if layer.activation.elementwise:
        forms = set()
        for n, o in zip(layer.nets, layer.outs, strict=True):
            definition, partials = q[o].definition, q[o].partials
            if definition is None or set(partials) - {n}:
                raise NotLayerwise(f"{o} is not an elementwise function of {n}")
            forms.add((definition.xreplace({n: _Z}), partials.get(n, sp.Integer(0)).xreplace({n: _Z, o: _A})))
        if len(forms) != 1:
            raise NotLayerwise(f"the neurons of layer {layer.name!r} have different activations")
        ((forward, derivative),) = forms
        if forward.free_symbols - {_Z} or derivative.free_symbols - {_Z, _A}:
            raise NotLayerwise(f"the activation of layer {layer.name!r} depends on more than its net input")
        return _Activation(layer.activation.name, _lambdify([_Z], forward, cache),
                           None if derivative == 1 else _lambdify([_Z, _A], derivative, cache),
                           exprs=(("f(z)", forward), ("f'(z, a)", derivative)))
    # softmax: ∂out_k/∂net_j from the network's partials, in the generic symbols a = out_k, b = out_j
    diagonals, offs = set(), set()
    for k, ok in enumerate(layer.outs):
        for j, (nj, oj) in enumerate(zip(layer.nets, layer.outs, strict=True)):
            partial = q[ok].partials.get(nj, sp.Integer(0))
            if k == j:
                diagonals.add(partial.xreplace({ok: _A}))
            else:
                offs.add(partial.xreplace({ok: _A, oj: _B}))
    if len(diagonals) != 1 or len(offs) > 1:
        raise NotLayerwise(f"the softmax partials of layer {layer.name!r} differ between neurons")
    (diagonal,) = diagonals
    off = offs.pop() if offs else sp.Integer(0)
    u, v = sp.Integer(1), sp.Integer(1)
    for factor in sp.Mul.make_args(off):
        if factor.free_symbols <= {_A}:
            u *= factor
        elif factor.free_symbols <= {_B}:
            v *= factor.xreplace({_B: _A})
        else:
            raise NotLayerwise(f"the softmax partials of layer {layer.name!r} are not a product u(out_k)·v(out_j)")
    if (diagonal.free_symbols | u.free_symbols | v.free_symbols) - {_A}:
        raise NotLayerwise(f"the softmax partials of layer {layer.name!r} depend on more than the outputs")
    rest = sp.expand(diagonal - u * v) if off != 0 else diagonal
    return _Activation(layer.activation.name, None, diagonal=_lambdify([_A], rest, cache),
                       u=None if off == 0 else _lambdify([_A], u, cache),
                       v=None if off == 0 else _lambdify([_A], v, cache),
                       exprs=(("d(a) - u(a) v(a)", rest), ("u(a)", u), ("v(a)", v)))


@dataclass(frozen=True)
class _Loss:
    """The per-sample loss and ∂E/∂out as NumPy functions of the (outputs, samples) matrices O and T.

    When the loss is a sum of one term per output, the same in every output (half_sse, sse, mse, the
    cross-entropies), that term and its partial are lambdified once in generic symbols o, t and applied to
    the whole matrices; otherwise the loss and its partials are lambdified in the network's own symbols and
    applied row by row."""

    elementwise: bool
    value: Callable[..., Any]
    partial: Callable[..., Any]
    exprs: tuple[tuple[str, Any], ...]

    def __call__(self, o: np.ndarray, t: np.ndarray) -> np.ndarray:
        """The loss of every sample, (n,)."""
        if self.elementwise:
            return _full(self.value(o, t), o.shape).sum(axis=0)
        return _full(self.value(*o, *t), o.shape[1:])

    def grad(self, o: np.ndarray, t: np.ndarray) -> np.ndarray:
        """∂E/∂out of every output and sample, (n_outputs, n)."""
        if self.elementwise:
            return _full(self.partial(o, t), o.shape)
        return np.array([_full(v, o.shape[1:]) for v in self.partial(*o, *t)]).reshape(o.shape)


def _loss(network: Network, cache: dict[Any, Callable[..., Any]]) -> _Loss:
    q = network.quantities[network.error]
    assert q.definition is not None
    pairs = list(zip(network.outputs, network.targets, strict=True))
    per_output: list[list[sp.Expr]] = [[] for _ in pairs]
    separable = True
    for term in sp.Add.make_args(q.definition):
        ks = [k for k, (o, t) in enumerate(pairs) if term.has(o) or term.has(t)]
        if len(ks) != 1:
            separable = False
            break
        per_output[ks[0]].append(term)
    if separable:
        terms = {sp.Add(*ts).xreplace({o: _O, t: _T}) for ts, (o, t) in zip(per_output, pairs, strict=True)}
        partials = {q.partials.get(o, sp.Integer(0)).xreplace({o: _O, t: _T}) for o, t in pairs}
        if len(terms) == 1 and len(partials) == 1:
            ((term,), (partial,)) = (terms, partials)
            if not (term.free_symbols | partial.free_symbols) - {_O, _T}:
                return _Loss(True, _lambdify([_O, _T], term, cache), _lambdify([_O, _T], partial, cache),
                             (("loss(o, t)", term), ("dloss/do(o, t)", partial)))
    args = [*network.outputs, *network.targets]
    partials_list = [q.partials.get(o, sp.Integer(0)) for o in network.outputs]
    return _Loss(False, _lambdify(args, q.definition, cache), _lambdify(args, partials_list, cache),
                 (("E", q.definition), *((f"dE/d{o}", p) for o, p in zip(network.outputs, partials_list,
                                                                           strict=True))))


@dataclass(frozen=True)
class _Fused:
    """A cross-entropy on its matching output activation, computed from the net inputs: the loss with
    log σ and log-sum-exp (no log(0) for a saturated output, whatever the net input) and δ = ∂E/∂net directly
    (o − t; softmax: o·Σt − t), never through ∂E/∂o = −t/o, which overflows where o rounds to 0 or 1."""

    softmax: bool

    def loss(self, net: np.ndarray, t: np.ndarray) -> np.ndarray:
        """The loss of every sample, (n,), from the output layer's net inputs (outputs, n)."""
        if self.softmax:  # −Σ t_k log softmax_k = Σt · logsumexp(net) − Σ t_k net_k
            top = net.max(axis=0)
            lse = top + np.log(np.exp(net - top).sum(axis=0))
            return t.sum(axis=0) * lse - (t * net).sum(axis=0)
        # −[t log σ(n) + (1 − t) log(1 − σ(n))] = log(1 + eⁿ) − t·n
        # log(1 + e^n) − t·n as max(n, 0) − t·n + log1p(e^−|n|) (PyTorch's BCEWithLogits): the large terms cancel
        # exactly for a well-classified sample, so a tiny loss keeps its relative precision
        return (np.maximum(net, 0.0) - t * net + np.log1p(np.exp(-np.abs(net)))).sum(axis=0)

    def delta(self, out: np.ndarray, t: np.ndarray) -> np.ndarray:
        return out * t.sum(axis=0) - t if self.softmax else out - t


@dataclass(frozen=True)
class _DensePlan:
    """The numeric form of a dense layer (layers.Dense): where its parameters sit in θ (network.params order), and
    its passes on (neurons, samples) arrays. A layer kind without such a form makes the network NotLayerwise, and
    compile_network falls back to the graph's straight-line code."""

    name: str
    weights: np.ndarray  # (neurons, width) positions in θ; a shared weight repeats its position
    bias: int | np.ndarray | None  # one position shared by every neuron, one position per biased neuron, or none
    bias_rows: np.ndarray | None  # with positions per neuron: the neurons that have a bias (None: all of them)
    activation: _Activation
    sign: float = 1.0  # −1 for thresholds θ (net = W a − θ, the weight of a fixed input −1)

    def matrix(self, theta: np.ndarray) -> np.ndarray:
        """W = θ[positions]."""
        return theta[self.weights]

    def net(self, theta: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(W, net = W a + b), or W a − θ for thresholds."""
        w = self.matrix(theta)
        net = w @ a
        if self.bias is None:
            return w, net
        b = theta[self.bias] if self.sign > 0 else -theta[self.bias]
        if isinstance(self.bias, int):
            net += b
        elif self.bias_rows is None:
            net += b[:, None]
        else:
            net[self.bias_rows] += b[:, None]
        return w, net

    def updated(self, theta: np.ndarray, w: np.ndarray) -> np.ndarray:
        """What `back` takes after θ changed (a sequential update): the new W."""
        return self.matrix(theta)

    @staticmethod
    def back(w: np.ndarray, delta: np.ndarray) -> np.ndarray:
        """∂E/∂a_prev = Wᵀ δ."""
        return w.T @ delta

    def layout(self) -> list[np.ndarray]:
        """θ positions of the gradient entries, forwards: the weights row by row, then the bias(es)."""
        parts = [self.weights.ravel()]
        if self.bias is not None:
            parts.append(np.atleast_1d(np.asarray(self.bias, dtype=np.intp)))
        return parts

    def gradient(self, delta: np.ndarray, a_prev: np.ndarray) -> list[np.ndarray]:
        """The batch's gradient entries in `layout` order: δ a_prevᵀ (the sum over the samples is the product),
        then the bias(es) Σ δ (thresholds −Σ δ)."""
        pieces = [(delta @ a_prev.T).ravel()]
        if isinstance(self.bias, int):
            pieces.append(np.atleast_1d(self.sign * delta.sum()))
        elif self.bias is not None:
            sums = delta.sum(axis=1) if self.sign > 0 else -delta.sum(axis=1)
            pieces.append(sums if self.bias_rows is None else sums[self.bias_rows])
        return pieces

    def per_sample(self, delta: np.ndarray, a_prev: np.ndarray) -> list[np.ndarray]:
        """Each sample's gradient entries (a column per sample), in `layout` order."""
        n = delta.shape[1]
        pieces = [(delta[:, None, :] * a_prev[None, :, :]).reshape(-1, n)]
        signed = delta if self.sign > 0 else -delta
        if isinstance(self.bias, int):
            pieces.append(signed.sum(axis=0, keepdims=True))
        elif self.bias is not None:
            pieces.append(signed if self.bias_rows is None else signed[self.bias_rows])
        return pieces

    def describe(self) -> str:
        bias = ("none" if self.bias is None else f"θ[{self.bias}] (shared)" if isinstance(self.bias, int)
                else f"θ[{self.bias.tolist()}]" + ("" if self.bias_rows is None
                                                  else f" at rows {self.bias_rows.tolist()}"))
        what = "θ (thresholds: net = W a − θ)" if self.sign < 0 else "b"
        return f"# layer {self.name} ({self.activation.name}): W = θ[{self.weights.tolist()}], {what} = {bias}"


def _dense_plan(layer: Layer, position: dict[sp.Symbol, int], activation: _Activation) -> _DensePlan:
    weights = np.array([[position[w] for w in row] for row in layer.weights],
                       dtype=np.intp).reshape(len(layer.neurons), len(layer.inputs))
    present = [(r, b) for r, b in enumerate(layer.biases) if b is not None]
    bias: int | np.ndarray | None = None
    rows = None
    if present and len(present) == len(layer.biases) and len({b for _, b in present}) == 1:
        bias = position[present[0][1]]
    elif present:
        bias = np.array([position[b] for _, b in present], dtype=np.intp)
        if len(present) < len(layer.biases):
            rows = np.array([r for r, _ in present], dtype=np.intp)
    return _DensePlan(layer.name, weights, bias, rows, activation, -1.0 if layer.threshold else 1.0)


#: the numeric form of each layer kind (layers.KINDS) that has one
_PLANS: dict[str, Callable[[Layer, dict[sp.Symbol, int], _Activation], _DensePlan]] = {"dense": _dense_plan}


# --- convolution and pooling (convolution.py's kinds) ---------------------------------------------------------
#
# A grid layer's values are (channels, *positions) flattened channel by channel, row by row, as the network
# orders its neurons; on arrays they are (channels · positions, samples), reshaped to (channels, *positions,
# samples) inside a pass. No Python loop runs over positions or samples: im2col (sliding_window_view) and one
# matrix product forwards; backwards one product per gradient and, for the input, a loop over the kernel's
# entries (each a strided slice of the whole grid).


def _window_slices(offset: Sequence[int], out_size: Sequence[int], stride: Sequence[int]) -> tuple[slice, ...]:
    """The grid positions a kernel entry at `offset` touches over all output positions: one strided slice per axis."""
    return tuple(slice(o, o + s * (n - 1) + 1, s) for o, n, s in zip(offset, out_size, stride, strict=True))


@dataclass(frozen=True)
class _ConvPlan:
    """conv1d / conv2d: net = K ⋆ a + b per output channel, out = f(net).

    Forwards the input's windows become the columns of an im2col matrix X (in_channels·kernel entries,
    positions·samples) and net = W X + b with W = θ[kernel] (out_channels, in_channels·kernel entries): one
    product for every position and sample. Backwards ∂E/∂W = δ Xᵀ (the correlation of the input with the δ's,
    summed over positions and samples by the product) and ∂E/∂a_prev = col2im(Wᵀ δ), the full convolution of the
    δ's with the flipped kernel: each kernel entry adds its column of Wᵀδ to the strided slice of the (padded)
    grid it read; the padding's zeros are cut off again (they take no gradient)."""

    name: str
    kernel: np.ndarray  # (out_channels, in_channels · kernel entries): θ positions; a shared name repeats one
    bias: np.ndarray | None  # (out_channels,) θ positions, or None
    in_shape: tuple[int, ...]  # (channels, *positions) of the layer's inputs
    out_shape: tuple[int, ...]  # (channels, *positions) of its outputs
    kernel_shape: tuple[int, ...]
    stride: tuple[int, ...]
    padding: int
    activation: _Activation

    @property
    def dims(self) -> int:
        return len(self.kernel_shape)

    def _padded(self, a: np.ndarray) -> np.ndarray:
        x = a.reshape(*self.in_shape, a.shape[-1])
        if self.padding:
            x = np.pad(x, [(0, 0), *[(self.padding, self.padding)] * self.dims, (0, 0)])
        return x

    def columns(self, a: np.ndarray) -> np.ndarray:
        """im2col: (in_channels · kernel entries, positions · samples), the window of every output position."""
        d, n = self.dims, a.shape[-1]
        views = sliding_window_view(self._padded(a), self.kernel_shape, axis=tuple(range(1, d + 1)))
        views = views[(slice(None), *(slice(None, o * s, s) for o, s in zip(self.out_shape[1:], self.stride,
                                                                               strict=True)))]
        # (channels, *positions, samples, *kernel) → (channels, *kernel, *positions, samples)
        order = (0, *range(d + 2, 2 * d + 2), *range(1, d + 1), d + 1)
        return views.transpose(order).reshape(-1, int(np.prod(self.out_shape[1:])) * n)

    def matrix(self, theta: np.ndarray) -> np.ndarray:
        """W = θ[kernel positions]: a row per output channel."""
        return theta[self.kernel]

    def updated(self, theta: np.ndarray, w: np.ndarray) -> np.ndarray:
        """What `back` takes after θ changed (a sequential update): the new kernels."""
        return self.matrix(theta)

    def net(self, theta: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        w = self.matrix(theta)
        net = w @ self.columns(a)
        if self.bias is not None:
            net += theta[self.bias][:, None]
        return w, net.reshape(-1, a.shape[-1])

    def back(self, w: np.ndarray, delta: np.ndarray) -> np.ndarray:
        """∂E/∂a_prev: each kernel entry's share of Wᵀδ added back where it read (col2im), the padding cut off."""
        n, p = delta.shape[-1], self.padding
        out_size = self.out_shape[1:]
        per_entry = (w.T @ delta.reshape(self.out_shape[0], -1)).reshape(
            self.in_shape[0], *self.kernel_shape, *out_size, n)
        grad = np.zeros((self.in_shape[0], *(s + 2 * p for s in self.in_shape[1:]), n))
        for offset in np.ndindex(*self.kernel_shape):
            grad[(slice(None), *_window_slices(offset, out_size, self.stride))] += per_entry[(slice(None), *offset)]
        if p:
            grad = grad[(slice(None), *[slice(p, p + s) for s in self.in_shape[1:]])]
        return grad.reshape(-1, n)

    def layout(self) -> list[np.ndarray]:
        parts = [self.kernel.ravel()]
        if self.bias is not None:
            parts.append(self.bias)
        return parts

    def gradient(self, delta: np.ndarray, a_prev: np.ndarray) -> list[np.ndarray]:
        """∂E/∂W = δ Xᵀ (summed over positions and samples by the product), then Σ δ per channel for the biases."""
        dm = delta.reshape(self.out_shape[0], -1)
        pieces = [(dm @ self.columns(a_prev).T).ravel()]
        if self.bias is not None:
            pieces.append(dm.sum(axis=1))
        return pieces

    def per_sample(self, delta: np.ndarray, a_prev: np.ndarray) -> list[np.ndarray]:
        n = delta.shape[-1]
        dm = delta.reshape(self.out_shape[0], -1, n)
        cols = self.columns(a_prev).reshape(self.kernel.shape[1], -1, n)
        pieces = [np.einsum("opn,kpn->okn", dm, cols).reshape(-1, n)]
        if self.bias is not None:
            pieces.append(dm.sum(axis=1))
        return pieces

    def describe(self) -> str:
        bias = "none" if self.bias is None else f"θ[{self.bias.tolist()}]"
        return (f"# layer {self.name} ({self.activation.name}): conv{self.dims}d {self.in_shape} → {self.out_shape}, "
                f"kernel {self.kernel_shape}, stride {self.stride}, padding {self.padding}; "
                f"W = θ[{self.kernel.tolist()}], b = {bias}")


@dataclass(frozen=True)
class _PoolPlan:
    """maxpool / avgpool: net = max or mean of each window, out = f(net) (the identity by default).

    `window` holds, per channel, output position and window entry, the input row it reads (the layer's own
    `reads`), so one gather a[window] gives every window of every sample. Max-pooling keeps the first maximum of
    each window in reading order (argmax's rule, FirstMax's and PyTorch's) and routes δ to it; average pooling
    spreads δ/size over the window. Where windows overlap the shares add up (np.bincount)."""

    name: str
    how: str  # "max" or "avg"
    window: np.ndarray  # (channels, positions, window entries): the input row each entry reads
    n_in: int  # rows of the layer's input
    activation: _Activation

    def matrix(self, theta: np.ndarray) -> None:
        return None

    def updated(self, theta: np.ndarray, w: np.ndarray) -> np.ndarray:
        """No parameters: the routing of the forward pass stays."""
        return w

    def net(self, theta: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(routing, net): for max-pooling the flat index in (inputs, samples) of each output's first maximum."""
        n = a.shape[-1]
        values = a[self.window]  # (channels, positions, entries, samples)
        if self.how == "avg":
            return self.window, values.sum(axis=2).reshape(-1, n) / self.window.shape[2]
        first = values.argmax(axis=2)  # the first maximum, as FirstMax and PyTorch choose at a tie
        net = np.take_along_axis(values, first[:, :, None, :], axis=2)[:, :, 0, :]
        rows = np.take_along_axis(self.window[:, :, :, None], first[:, :, None, :], axis=2)[:, :, 0, :]
        return rows * n + np.arange(n), net.reshape(-1, n)

    def back(self, w: np.ndarray, delta: np.ndarray) -> np.ndarray:
        n = delta.shape[-1]
        if self.how == "max":
            return np.bincount(w.ravel(), weights=delta.ravel(), minlength=self.n_in * n).reshape(self.n_in, n)
        size = self.window.shape[2]
        flat = self.window.reshape(-1, size)[:, :, None] * n + np.arange(n)  # (outputs, entries, samples)
        shares = np.broadcast_to(delta[:, None, :] / size, flat.shape)
        return np.bincount(flat.ravel(), weights=shares.ravel(), minlength=self.n_in * n).reshape(self.n_in, n)

    def layout(self) -> list[np.ndarray]:
        return []

    def gradient(self, delta: np.ndarray, a_prev: np.ndarray) -> list[np.ndarray]:
        return []

    def per_sample(self, delta: np.ndarray, a_prev: np.ndarray) -> list[np.ndarray]:
        return []

    def describe(self) -> str:
        return (f"# layer {self.name} ({self.activation.name}): {self.how}pool, {self.window.shape[0]} channels, "
                f"{self.window.shape[1]} windows of {self.window.shape[2]}")


def conv_plan(layer: GridLayer, position: Mapping[sp.Symbol, int], activation: _Activation) -> _ConvPlan:
    """The numeric form of a conv1d / conv2d layer, read from its GridLayer: kernels, biases and geometry."""
    kernel = np.array([[position[k] for k in kernel] for kernel in layer.kernels], dtype=np.intp)
    present = [b for b in layer.channel_bias if b is not None]
    if present and len(present) != len(layer.channel_bias):
        raise NotLayerwise(f"layer {layer.name!r} has a bias on some channels only")
    bias = np.array([position[b] for b in present], dtype=np.intp) if present else None
    return _ConvPlan(layer.name, kernel, bias, layer.in_shape, layer.out_shape, layer.kernel_shape, layer.stride,
                     layer.padding, activation)


def pool_plan(layer: GridLayer, how: str, activation: _Activation) -> _PoolPlan:
    """The numeric form of a maxpool / avgpool layer: its windows from the layer's own `reads`."""
    channels, per_channel = layer.out_shape[0], int(np.prod(layer.out_shape[1:]))
    window = np.array([[i for i, _ in reads] for reads in layer.reads], dtype=np.intp)
    return _PoolPlan(layer.name, how, window.reshape(channels, per_channel, -1), len(layer.inputs), activation)


@dataclass(frozen=True)
class LayerPlan:
    """The network as matrices: the forward pass net = W a_prev + b, out = f(net) with W = θ[positions] and
    (neurons, samples) arrays, and the reverse accumulation of derive.py in matrix form: ∂E/∂out from the
    loss, δ = ∂E/∂out ⊙ f'(net) (softmax: the Jacobian–vector product), ∂E/∂a_prev = Wᵀ δ, and the gradient
    of W = δ a_prevᵀ (summed over the samples by the product) scattered into θ's gradient by position
    (np.bincount: a shared parameter sums over its uses)."""

    layers: tuple[Any, ...]  # _DensePlan, _ConvPlan, _PoolPlan: the same passes on (neurons, samples) arrays
    loss: _Loss
    n_params: int
    positions: np.ndarray  # θ position of every gradient entry: layer by layer, W row by row, then the bias(es)
    order: Literal["identity", "unique", "shared"]  # how `positions` covers θ: as it is, a permutation, repeats
    fused: _Fused | None = None  # a cross-entropy on its matching output activation, from the net inputs

    # -- forward --------------------------------------------------------------------------------

    def forward(self, theta: np.ndarray, x: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Per layer: (W, net, out), each (neurons, ...) with the samples last."""
        a = x
        passes = []
        for layer in self.layers:
            w, net = layer.net(theta, a)
            a = layer.activation(net)
            passes.append((w, net, a))
        return passes

    def losses(self, theta: np.ndarray, x: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The loss of every sample (n,) and the outputs (n_outputs, n): the forward pass only."""
        _, net, out = self.forward(theta, x)[-1]
        return (self.loss(out, t) if self.fused is None else self.fused.loss(net, t)), out

    # -- backward -------------------------------------------------------------------------------

    def _deltas(self, theta: np.ndarray, x: np.ndarray, t: np.ndarray
                ) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]], np.ndarray]:
        """(per-sample losses, [(δ, a_prev) per layer from the output layer down], outputs)."""
        passes = self.forward(theta, x)
        out = passes[-1][2]
        g = self.loss.grad(out, t) if self.fused is None else np.zeros_like(out)
        result = []
        for li in range(len(self.layers) - 1, -1, -1):
            w, net, a = passes[li]
            if self.fused is not None and li == len(self.layers) - 1:
                delta = self.fused.delta(out, t)
            else:
                delta = self.layers[li].activation.delta(g, net, a)
            a_prev = passes[li - 1][2] if li else x
            result.append((delta, a_prev))
            if li:
                g = self.layers[li].back(w, delta)
        losses = self.loss(out, t) if self.fused is None else self.fused.loss(passes[-1][1], t)
        return losses, result, out

    def batch(self, theta: np.ndarray, x: np.ndarray, t: np.ndarray, scale: float) -> tuple[float, np.ndarray]:
        """Batch loss and gradient (times `scale`: 1/n for a mean), the sums over the samples as products."""
        losses, deltas, _ = self._deltas(theta, x, t)
        pieces: list[np.ndarray] = []  # forwards, in `positions` order
        for layer, (delta, a_prev) in zip(self.layers, deltas[::-1], strict=True):
            pieces += layer.gradient(delta, a_prev)
        grad = self._scatter(np.concatenate(pieces))
        return float(losses.sum()) * scale, grad * scale if scale != 1.0 else grad

    def sequential(self, theta: np.ndarray, x: np.ndarray, t: np.ndarray, scale: float,
                   update: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """One update layer by layer, the output layer first, as the textbooks that update "sequentially" do:
        one forward pass, then per layer its δ, its gradient and `update(θ, gradient, mask)` (which returns θ with
        the masked positions updated), the layer below getting ∂E/∂a_prev = W⁺ᵀ δ through the weights just
        updated. Not the gradient of anything below the output layer. A parameter must belong to one layer.
        Returns (the gradient each parameter was updated with, times `scale`; the new θ)."""
        passes = self.forward(theta, x)
        out = passes[-1][2]
        g = self.loss.grad(out, t) if self.fused is None else np.zeros_like(out)
        used = np.zeros(self.n_params)
        for li in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[li]
            _, net, a = passes[li]
            if self.fused is not None and li == len(self.layers) - 1:
                delta = self.fused.delta(out, t)
            else:
                delta = layer.activation.delta(g, net, a)
            a_prev = passes[li - 1][2] if li else x
            positions, values = layer.layout(), layer.gradient(delta, a_prev)
            if positions:  # a pooling layer has no parameters
                grad = np.bincount(np.concatenate(positions), weights=np.concatenate(values),
                                   minlength=self.n_params) * scale
                mask = np.zeros(self.n_params, dtype=bool)
                mask[np.concatenate(positions)] = True
                used[mask] = grad[mask]
                theta = update(theta, grad, mask)
            if li:
                g = layer.back(layer.updated(theta, passes[li][0]), delta)  # through the weights as updated
        return used, theta

    def per_sample(self, theta: np.ndarray, x: np.ndarray, t: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per sample: the losses (n,), the gradients (n_params, n), the outputs (n_outputs, n)."""
        losses, deltas, out = self._deltas(theta, x, t)
        n = x.shape[1]
        pieces: list[np.ndarray] = []  # forwards, as in batch
        for layer, (delta, a_prev) in zip(self.layers, deltas[::-1], strict=True):
            pieces += layer.per_sample(delta, a_prev)
        return losses, self._scatter(np.concatenate(pieces).reshape(-1, n)), out

    def _scatter(self, values: np.ndarray) -> np.ndarray:
        """Gradient entries (first axis: the order of `positions`) summed into θ's order."""
        if self.order == "identity":
            return values
        if self.order == "unique":
            grad = np.empty((self.n_params, *values.shape[1:]))
            grad[self.positions] = values
            return grad
        if values.ndim == 1:
            return np.bincount(self.positions, weights=values, minlength=self.n_params)
        grad = np.zeros((self.n_params, *values.shape[1:]))
        np.add.at(grad, self.positions, values)
        return grad

    def source(self) -> str:
        """The layers, their positions in θ and the lambdified functions, as text."""
        lines = [f"# layer-wise: {len(self.layers)} layers, {self.n_params} parameters; per layer "
                 "net = W @ a_prev + b, out = f(net); backward δ = ∂E/∂out ⊙ f'(net), ∂E/∂a_prev = W.T @ δ"]
        for layer in self.layers:
            lines += [layer.describe()]
            lines += [f"#   {label} = {expr}" for label, expr in layer.activation.exprs]
        lines += [f"# loss ({'per output' if self.loss.elementwise else 'whole'}): "
                  + "; ".join(f"{label} = {expr}" for label, expr in self.loss.exprs)]
        functions = {id(f): f for layer in self.layers for f in (layer.activation.forward,
                     layer.activation.derivative, layer.activation.diagonal, layer.activation.u,
                     layer.activation.v) if f is not None}
        functions.update({id(f): f for f in (self.loss.value, self.loss.partial)})
        return "\n".join(lines) + "\n\n" + "\n".join(inspect.getsource(f) for f in functions.values())


def layer_plan(network: Network) -> LayerPlan:
    """The matrix form of the network (see LayerPlan); raises NotLayerwise for what it does not cover."""
    position = {p: i for i, p in enumerate(network.params)}
    cache: dict[Any, Callable[..., Any]] = {}
    layers: list[Any] = []
    for layer in network.layers:
        if not layer.regular:  # the graph's straight-line code takes these
            raise NotLayerwise(f"layer {layer.name!r} has per-neuron activations, a missing connection or a skip")
        activation = _activation(network, layer, cache)
        # dense layers here; any other kind answers for itself (LayerKind.plan: convolution and pooling)
        plan = (_PLANS[layer.kind](layer, position, activation) if layer.kind in _PLANS
                else kind_of(layer).plan(layer, position, activation))
        if plan is None:
            raise NotLayerwise(f"a {layer.kind} layer has no matrix form here")
        layers.append(plan)
    parts = [part for lp in layers for part in lp.layout()]  # forwards: each layer's weights, then its bias(es)
    positions = np.concatenate(parts) if parts else np.zeros(0, dtype=np.intp)
    k = len(network.params)
    order: Literal["identity", "unique", "shared"] = (
        "identity" if np.array_equal(positions, np.arange(k)) else
        "unique" if len(positions) == k and len(np.unique(positions)) == k else "shared")
    last = network.layers[-1].activation
    matching = matching_activation(network.loss_name) == last.name and last.gain == 1
    fused = _Fused(last.name == "softmax") if matching else None
    return LayerPlan(tuple(layers), _loss(network, cache), k, positions, order, fused)


def per_sample_function(network: Network, plan: LayerPlan) -> Callable[..., list[Any]]:
    """`function(*inputs, *targets, *params)` of a layer plan: per-sample rows, one parameter vector."""
    n_in, n_t = len(network.inputs), len(network.targets)

    def function(*values: Any) -> list[Any]:
        theta = np.array(values[n_in + n_t:], dtype=float)
        if theta.ndim != 1:
            raise ValueError("the layer-wise function takes one value per parameter")
        rows = np.broadcast_arrays(*[np.atleast_1d(np.asarray(v, dtype=float)) for v in values[:n_in + n_t]])
        data = np.array(rows, dtype=float).reshape(n_in + n_t, -1)
        losses, grads, outs = plan.per_sample(theta, data[:n_in], data[n_in:])
        return [losses, *grads, *outs]

    return function

__all__ = ["LayerPlan", "NotLayerwise", "layer_plan", "per_sample_function"]
