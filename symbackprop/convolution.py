"""Convolution and pooling layers (conv1d, conv2d, maxpool, avgpool) as entries of layers.KINDS (added when this
module is imported, which spec.py does).

Each is built as the dense layer is, as named scalar quantities with their local partials, so the layered
derivation, lectures, figures, training and cross-check apply unchanged:

- conv: net_j = Σ_m k_m x_{(j−1)·s+m} + b per output position j (per channel), out_j = f(net_j). The kernel
  weights are parameters shared over the positions, so ∂E/∂k_m collects Σ_j δ_j x_{(j−1)·s+m} — the correlation
  of the input with the δ's — and ∂E/∂x_i = Σ_j δ_j k_{i−(j−1)·s}, the full convolution of the δ's with the
  flipped kernel. Zeros added by `padding` are constants: they touch no weight and take no gradient.
- maxpool: net_j = max(window), out_j = f(net_j) (the identity by default). ∂max/∂v_i is 1 for the first
  maximum of the window in reading order and 0 elsewhere (PyTorch's rule at a tie): FirstMax, printed 𝟙[v_i = net_j].
- avgpool: net_j = (Σ window) / n.

A layer's values are a grid of (channels, *positions); the network's inputs are one channel, a row (1-D) or the
grid of `inputs = { x = [[...], ...] }` (2-D), or one 2-D grid per channel, `x = [[[...]], [[...]]]` (named
x1_11, ..., x2_11, ... by position_name). A dense layer after a grid reads it flattened, channel by channel,
row by row. Over several input channels each kernel has one slice per channel (`kernel = [[K_1, K_2], ...]`,
spec.LayerSpec.kernel_channels): net_{c,j} = Σ_i Σ_m k_{c,i,m} x_{i,(j−1)·s+m} + b_c, PyTorch's (out, in, *kernel)
weight. compile_network evaluates these layers in matrix form (layerwise.conv_plan, pool_plan: the kinds' `plan`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sympy as sp

from . import activations
from .errors import SpecError
from .graph import Builder, Kind, Layer, Quantity, symbol
from .layers import KINDS as LAYER_KINDS
from .layers import LayerKind

if TYPE_CHECKING:
    from .spec import LayerSpec, Spec

CONV_KEYS = ("name", "kind", "kernel", "bias", "stride", "padding", "activation", "alpha", "gain", "function")
POOL_KEYS = ("name", "kind", "size", "stride", "activation", "alpha", "gain", "function")
MAX_GRID = 1_024  # values in one grid (a layer's outputs): limits.MAX_LAYER_SIZE


@dataclass(frozen=True)
class GridLayer(Layer):
    """A convolution or pooling layer: the Layer fields plus its grids and, per output, what it reads."""

    dims: int = 1  # spatial dimensions: 1 or 2
    in_shape: tuple[int, ...] = ()  # (channels, *positions) of the layer's inputs
    out_shape: tuple[int, ...] = ()  # (channels, *positions) of its outputs
    # conv: per output channel, the kernel flattened as (input channel, *kernel): slice by slice, row by row
    kernels: tuple[tuple[sp.Symbol, ...], ...] = ()
    kernel_shape: tuple[int, ...] = ()  # conv: the kernel's (rows, columns) or (length,); pool: the window
    stride: tuple[int, ...] = ()
    padding: int = 0
    channel_bias: tuple[sp.Symbol | None, ...] = ()  # conv: per output channel
    # per output (in order): (input index, kernel index or None for a pool) of each value its window reads
    reads: tuple[tuple[tuple[int, int | None], ...], ...] = ()
    # per output: ∂net/∂input for each input it reads, in the order of `reads`
    locals: tuple[tuple[sp.Expr, ...], ...] = ()


def windows(in_size: Sequence[int], window: Sequence[int], stride: Sequence[int], padding: int
            ) -> tuple[tuple[int, ...], list[list[tuple[int | None, int]]]]:
    """The output positions of a window sliding over a grid, and per position the (input index, window index)
    pairs it covers, row by row; an input index None is a zero of the padding."""
    out_size = tuple((n + 2 * padding - k) // s + 1 for n, k, s in zip(in_size, window, stride, strict=True))
    result = []
    for pos in itertools.product(*[range(n) for n in out_size]):
        covered: list[tuple[int | None, int]] = []
        for m, off in enumerate(itertools.product(*[range(k) for k in window])):
            at = [p * s + o - padding for p, s, o in zip(pos, stride, off, strict=True)]
            inside = all(0 <= a < n for a, n in zip(at, in_size, strict=True))
            covered.append((_flat(at, in_size) if inside else None, m))
        result.append(covered)
    return out_size, result


def _flat(at: Sequence[int], size: Sequence[int]) -> int:
    index = 0
    for a, n in zip(at, size, strict=True):
        index = index * n + a
    return index


def position_name(prefix: str, channel: int | None, pos: Sequence[int], size: Sequence[int]) -> str:
    """c1, c2 (1-D); c11, c12 (2-D, or c10x1 past 9); with several channels c1_2, c2_11."""
    if len(pos) == 1:
        where = str(pos[0] + 1)
    elif max(size) <= 9:
        where = "".join(str(p + 1) for p in pos)
    else:
        where = "x".join(str(p + 1) for p in pos)
    return f"{prefix}{where}" if channel is None else f"{prefix}{channel + 1}_{where}"


class FirstMax(sp.Function):
    """∂max(window)/∂v: 1 where v is the window's first maximum in reading order (PyTorch's rule at a tie), else 0.

    FirstMax(v, m, *before): m is the pooled value max(window) (the pool's own net input, as σ′ = σ(1 − σ) is written
    in the neuron's own output), `before` the window's values before v. Printed as the indicator 1[v = m] (bold 1
    in LaTeX: amssymb has no blackboard 1); with numbers it is 1 or 0 (v ≥ m and v > every value before it)."""

    is_real = True

    @classmethod
    def eval(cls, v: sp.Expr, m: sp.Expr, *before: sp.Expr) -> sp.Integer | None:
        if all(a.is_number and a.is_real for a in (v, m, *before)):
            return sp.Integer(int(bool(v >= m) and all(bool(v > b) for b in before)))
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.Integer(0)  # piecewise constant: 0 wherever it is differentiable

    def _latex(self, printer: Any) -> str:
        v, m = self.args[:2]
        return rf"\mathbf{{1}}\left[{printer._print(v)} = {printer._print(m)}\right]"

    def _sympystr(self, printer: Any) -> str:
        v, m = self.args[:2]
        return f"1[{printer._print(v)} = {printer._print(m)}]"

    def _numpycode(self, printer: Any) -> str:
        v, m, *before = (printer._print(a) for a in self.args)
        cond = " & ".join([f"({v} >= {m})", *(f"({v} > {b})" for b in before)])
        return f"{printer._module_format('numpy.where')}({cond}, 1.0, 0.0)"


def first_max_partials(values: Sequence[sp.Symbol], pooled: sp.Symbol) -> list[sp.Expr]:
    """∂max(v_1, …, v_n)/∂v_i: 1 for the first maximum in order, else 0 (FirstMax)."""
    return [FirstMax(v, pooled, *values[:i]) for i, v in enumerate(values)]


def _grid_of(net: Builder, prev: tuple[sp.Symbol, ...], spec: Spec) -> tuple[int, ...]:
    """(channels, *positions) of the values a layer reads: the grid a layer here made, the inputs' grid, or a row."""
    made: dict[tuple[sp.Symbol, ...], tuple[int, ...]] = vars(net).setdefault("grids", {})
    if prev in made:
        return made[prev]
    if spec.input_shape is not None and tuple(s.name for s in prev) == spec.input_names:
        return (spec.input_channels, *spec.input_shape)
    return (1, len(prev))


class _GridKind(LayerKind):
    """What convolution and pooling share: the forms derived from `reads` and `locals`."""

    pool: bool

    def error_nodes(self, layer: Layer) -> tuple[sp.Symbol, ...]:
        return layer.nets

    def sent_back(self, layer: Layer, delta_of: Mapping[sp.Symbol, sp.Expr]) -> sp.Matrix:
        """∂E/∂input_i = Σ over the outputs whose window reads it of δ_j ∂net_j/∂input_i (for a convolution the
        full convolution of the δ's with the flipped kernel; for max-pooling δ routed to each window's arg-max)."""
        g = _grid(layer)
        total: list[list[sp.Expr]] = [[] for _ in layer.inputs]
        for j, (reads, locs) in enumerate(zip(g.reads, g.locals, strict=True)):
            for (i, _), local in zip(reads, locs, strict=True):
                total[i].append(delta_of[layer.nets[j]] * local)
        return sp.Matrix([sp.Add(*terms) for terms in total])

    def arrows(self, layer: Layer) -> list[tuple[sp.Symbol, sp.Symbol, sp.Symbol, str]]:
        g = _grid(layer)
        out: list[tuple[sp.Symbol, sp.Symbol, sp.Symbol, str]] = []
        for j, target in enumerate(layer.outs):
            for i, m in g.reads[j]:
                channel = j // math.prod(g.out_shape[1:])
                param = g.kernels[channel][m] if m is not None else None
                out.append((layer.inputs[i], target, param, "weight"))  # a pool's arrows carry no parameter (None)
            if (b := layer.biases[j]) is not None:
                out.append((b, target, b, "bias"))
        return out

    def _activated(self, net: Builder, ls: LayerSpec, key: str, index: int, names: list[str],
                   definitions: list[tuple[sp.Expr, dict[sp.Symbol, sp.Expr], sp.Expr]]) -> tuple[tuple, tuple, Any]:
        act = activations.make(ls.activation, alpha=ls.alpha, function=ls.function, gain=ls.gain)
        if act.name == "abstract":
            net._claim(ls.function, "an activation function", f"{key}.function")
        if not act.elementwise:
            raise SpecError(f"a {self.name} layer takes an elementwise activation, not {act.name}",
                            key=f"{key}.activation")
        nets, outs = [], []
        for name in names:
            net._claim(f"net_{name}", f"the net input of {name}", f"{key}.name")
            net._claim(f"delta_{name}", f"the error term of {name}", f"{key}.name")
            net._claim(name, "a neuron", f"{key}.name")
            nets.append(symbol(f"net_{name}"))
            outs.append(symbol(name))
        for r, (name, (definition, partials, display)) in enumerate(zip(names, definitions, strict=True)):
            net.quantities[nets[r]] = Quantity(nets[r], Kind.NET, f"net_{name}", neuron=name, layer=index, index=r,
                                               definition=definition, partials=partials, display=display)
        forward = act.forward_layer(nets)
        for r, name in enumerate(names):
            net.quantities[outs[r]] = Quantity(outs[r], Kind.OUT, name, neuron=name, layer=index, index=r,
                                               definition=forward[r],
                                               partials={nets[r]: act.partial_layer(r, r, nets, outs)})
        return tuple(nets), tuple(outs), act


def _grid(layer: Layer) -> GridLayer:
    assert isinstance(layer, GridLayer)
    return layer


class Conv(_GridKind):
    """conv1d / conv2d: shared kernel weights, one kernel per output channel, each with one slice per input
    channel: net_{c,j} = Σ_ci Σ_m k_{c,ci,m} x_{ci,(j−1)·s+m} + b_c."""

    pool = False

    def __init__(self, dims: int) -> None:
        self.dims = dims  # 1 or 2
        self.name = f"conv{dims}d"  # type: ignore[misc]

    def build(self, net: Builder, ls: LayerSpec, index: int, key: str, prev: tuple[sp.Symbol, ...], counter: int,
              spec: Spec) -> tuple[Layer, int]:
        shape = _grid_of(net, prev, spec)
        in_size = shape[1:]
        if len(in_size) != self.dims:
            what = "a row of values" if len(in_size) == 1 else f"a {' × '.join(map(str, in_size))} grid"
            hint = (" (give the inputs as a grid: inputs = { x = [[...], [...]] })" if self.dims == 2 else
                    " (use kind = \"conv2d\" over a grid)")
            raise SpecError(f"a {self.name} layer reads {self.dims}-D values; the layer before gives {what}{hint}",
                            key=f"{key}.kind")
        if ls.kernel is None:  # a LayerSpec built in Python without one (the TOML reader requires it)
            raise SpecError("missing 'kernel': expected the kernel's weight names", key=f"{key}.kernel")
        c_in = shape[0]
        if ls.kernel_channels != c_in:
            piece, pieces = ("row", "rows") if self.dims == 1 else ("matrix", "matrices")
            slices = f"{ls.kernel_channels} slice{'s' if ls.kernel_channels > 1 else ''}"
            raise SpecError(f"the layer before has {c_in} channels but each kernel has {slices}; expected per kernel "
                            f"a list of {c_in} {pieces}, one per input channel: kernel = [[K_1, ..., K_{c_in}], ...]"
                            if c_in > 1 else f"the layer before has one channel but each kernel has {slices}; "
                            f"expected each kernel as one {piece} of names", key=f"{key}.kernel")
        k_rows = len(ls.kernel[0]) // c_in
        k_shape = (len(ls.kernel[0][0]),) if self.dims == 1 else (k_rows, len(ls.kernel[0][0]))
        if len(ls.stride) not in (1, self.dims):
            raise SpecError(f"expected one stride or {self.dims}, got {len(ls.stride)}", key=f"{key}.stride")
        stride = ls.stride if len(ls.stride) == self.dims else ls.stride * self.dims
        for n, k, axis in zip(in_size, k_shape, ("columns", "rows") if self.dims == 2 else ("values",), strict=False):
            if k > n + 2 * ls.padding:
                raise SpecError(f"the kernel ({' × '.join(map(str, k_shape))}) is larger than its input "
                                f"({' × '.join(map(str, in_size))} with padding {ls.padding}); expected at most "
                                f"{n + 2 * ls.padding} {axis}", key=f"{key}.kernel")
        out_size, cover = windows(in_size, k_shape, stride, ls.padding)
        channels = len(ls.kernel)
        if channels * math.prod(out_size) > MAX_GRID:
            raise SpecError(f"{channels * math.prod(out_size)} outputs; expected at most {MAX_GRID}", key=key)

        param_syms = {q.name: q.symbol for q in net.quantities.values() if q.kind is Kind.PARAM}

        def param(n: str, k: str) -> sp.Symbol:
            if n not in param_syms:  # a name used again (shared) is one parameter collecting a sum over its uses
                param_syms[n] = net._leaf(n, Kind.PARAM, k, layer=index)
            return param_syms[n]

        def where(c: int, r: int, m: int) -> str:
            """The key of kernel c's row r, name m (row r of the stacked slices: slice r // rows)."""
            at = f"{key}.kernel" + (f"[{c}]" if channels > 1 or c_in > 1 else "")
            if c_in > 1:
                at += f"[{r // k_rows}]"
            return at + (f"[{r % k_rows}][{m}]" if self.dims == 2 else f"[{m}]")

        # per output channel: its names in (input channel, *kernel) order, row by row
        kernels = tuple(tuple(param(n, where(c, r, m)) for r, row in enumerate(kernel) for m, n in enumerate(row))
                        for c, kernel in enumerate(ls.kernel))
        if ls.bias is None or ls.bias is False:
            bias_names: tuple[str | None, ...] = (None,) * channels
        elif isinstance(ls.bias, str):
            bias_names = (ls.bias,) * channels
        elif ls.bias is True:
            bias_names = tuple(f"b{index}" if channels == 1 else f"b{index}_{c + 1}" for c in range(channels))
        else:
            if len(ls.bias) != channels:
                raise SpecError(f"expected {channels} bias names (one per kernel) or one shared name, got "
                                f"{len(ls.bias)}", key=f"{key}.bias")
            bias_names = tuple(ls.bias)
        channel_bias = tuple(None if n is None else param(n, f"{key}.bias") for n in bias_names)

        names, definitions, reads, locs, biases = [], [], [], [], []
        per_in, per_kernel = math.prod(in_size), math.prod(k_shape)
        for c in range(channels):
            for pos, covered in zip(itertools.product(*[range(n) for n in out_size]), cover, strict=True):
                names.append(position_name(ls.name, c if channels > 1 else None, pos, out_size))
                # (input index, kernel index) over every input channel: channel ci's grid and kernel slice
                inside = [(ci * per_in + i, ci * per_kernel + m) for ci in range(c_in) for i, m in covered
                          if i is not None]
                terms = [kernels[c][m] * prev[i] for i, m in inside]
                display_terms = [sp.Mul(kernels[c][m], prev[i], evaluate=False) for i, m in inside]
                partials: dict[sp.Symbol, sp.Expr] = {}
                for i, m in inside:
                    partials[kernels[c][m]] = partials.get(kernels[c][m], sp.Integer(0)) + prev[i]
                    partials[prev[i]] = partials.get(prev[i], sp.Integer(0)) + kernels[c][m]
                b = channel_bias[c]
                if b is not None:
                    terms.append(b)
                    display_terms.append(b)
                    partials[b] = partials.get(b, sp.Integer(0)) + 1
                if not inside and b is None:
                    raise SpecError("an output whose window holds only padding zeros; expected less padding",
                                    key=f"{key}.padding")
                definitions.append((sp.Add(*terms), partials, sp.Add(*display_terms, evaluate=False)))
                reads.append(tuple(inside))
                locs.append(tuple(kernels[c][m] for _, m in inside))
                biases.append(b)
        nets, outs, act = self._activated(net, ls, key, index, names, definitions)
        out_shape = (channels, *out_size)
        vars(net).setdefault("grids", {})[outs] = out_shape
        layer = GridLayer(ls.name, index, tuple(names), act, prev, nets, outs, (), tuple(biases), self.name,
                          dims=self.dims, in_shape=shape, out_shape=out_shape, kernels=kernels, kernel_shape=k_shape,
                          stride=stride, padding=ls.padding, channel_bias=channel_bias, reads=tuple(reads),
                          locals=tuple(locs))
        return layer, counter

    def plan(self, layer: Layer, position: Mapping[sp.Symbol, int], activation: Any) -> Any:
        """im2col and one matrix product per pass (layerwise.conv_plan)."""
        from .layerwise import conv_plan  # layerwise imports the network, which imports this module

        return conv_plan(_grid(layer), position, activation)

    def params(self, layer: Layer) -> tuple[sp.Symbol, ...]:
        g = _grid(layer)
        return tuple(dict.fromkeys([*(k for kernel in g.kernels for k in kernel),
                                    *(b for b in g.channel_bias if b is not None)]))

    def biases(self, layer: Layer) -> tuple[sp.Symbol | None, ...]:
        return layer.biases

    def kernel_matrix(self, layer: Layer, entries: Sequence[sp.Expr]) -> sp.Matrix:
        """Per channel the kernel's rows, one under the other (a 1-D kernel: one row per channel)."""
        g = _grid(layer)
        cols = g.kernel_shape[-1]
        return sp.Matrix(len(entries) // cols, cols, list(entries))

    def matrix(self, layer: Layer, quantities: Mapping[sp.Symbol, Quantity], delta_of: Mapping[sp.Symbol, sp.Expr],
               upstream: sp.Matrix) -> dict[str, sp.Matrix]:
        """W: the kernel(s); grad_W: ∂E/∂k_m = Σ_j δ_j x_{j,m}, the correlation of the input with the δ's;
        grad_b: Σ_j δ_j per channel."""
        g = _grid(layer)
        per_channel = math.prod(g.out_shape[1:])
        grads: list[sp.Expr] = []
        for c, kernel in enumerate(g.kernels):
            sums: list[list[sp.Expr]] = [[] for _ in kernel]
            for j in range(c * per_channel, (c + 1) * per_channel):
                for i, m in g.reads[j]:
                    assert m is not None
                    sums[m].append(delta_of[layer.nets[j]] * layer.inputs[i])
            grads += [sp.Add(*s) for s in sums]
        delta = sp.Matrix([delta_of[n] for n in layer.nets])
        shapes = {"W": self.kernel_matrix(layer, [k for kernel in g.kernels for k in kernel]),
                  "a_prev": sp.Matrix(list(layer.inputs)), "z": sp.Matrix(list(layer.nets)),
                  "a": sp.Matrix(list(layer.outs)),
                  "fprime": sp.Matrix([quantities[o].partials[n] for o, n in zip(layer.outs, layer.nets, strict=True)]),
                  "upstream": upstream, "delta": delta, "grad_W": self.kernel_matrix(layer, grads)}
        if any(b is not None for b in g.channel_bias):
            shapes["grad_b"] = sp.Matrix([sp.Add(*delta[c * per_channel:(c + 1) * per_channel])
                                          for c, b in enumerate(g.channel_bias) if b is not None])
        return shapes

    def torch_net(self, torch: Any, layer: Layer, a: Any, leaves: Mapping[sp.Symbol, Any], zero: Any) -> Any:
        g = _grid(layer)
        x = a.reshape(a.shape[0], *g.in_shape)
        w = torch.stack([torch.stack([leaves[k] for k in kernel]).reshape(g.in_shape[0], *g.kernel_shape)
                         for kernel in g.kernels])
        b = torch.stack([zero if p is None else leaves[p] for p in g.channel_bias])
        conv = torch.nn.functional.conv1d if self.dims == 1 else torch.nn.functional.conv2d
        return conv(x, w, b, stride=g.stride, padding=g.padding).reshape(a.shape[0], -1)


class Pool(_GridKind):
    """maxpool / avgpool over a row or a grid (by the layer before), channel by channel; no parameters."""

    pool = True

    def __init__(self, how: str) -> None:
        self.how = how
        self.name = f"{how}pool"  # type: ignore[misc]

    def build(self, net: Builder, ls: LayerSpec, index: int, key: str, prev: tuple[sp.Symbol, ...], counter: int,
              spec: Spec) -> tuple[Layer, int]:
        shape = _grid_of(net, prev, spec)
        in_size = shape[1:]
        if ls.window is None:
            raise SpecError("missing 'size': expected the pooling window, e.g. size = 2", key=f"{key}.size")
        window = ls.window * len(in_size) if len(ls.window) == 1 else ls.window
        if len(window) != len(in_size):
            raise SpecError(f"a {len(window)}-D window over {len(in_size)}-D values; expected {len(in_size)} "
                            "sizes or one", key=f"{key}.size")
        stride = ls.stride if ls.stride != (0,) else window  # (0,): not given, the window's own size
        stride = stride * len(in_size) if len(stride) == 1 else stride
        if len(stride) != len(in_size):
            raise SpecError(f"expected {len(in_size)} strides or one, got {len(stride)}", key=f"{key}.stride")
        for n, k in zip(in_size, window, strict=True):
            if k > n:
                raise SpecError(f"the window ({' × '.join(map(str, window))}) is larger than its input "
                                f"({' × '.join(map(str, in_size))})", key=f"{key}.size")
        out_size, cover = windows(in_size, window, stride, 0)
        channels = shape[0]
        per_in = math.prod(in_size)
        names, definitions, reads, locs = [], [], [], []
        for c in range(channels):
            for pos, covered in zip(itertools.product(*[range(n) for n in out_size]), cover, strict=True):
                names.append(position_name(ls.name, c if channels > 1 else None, pos, out_size))
                inside = [(c * per_in + i, None) for i, _ in covered if i is not None]
                values = [prev[i] for i, _ in inside]
                if self.how == "max":
                    definition: sp.Expr = sp.Max(*values)
                    display: sp.Expr = sp.Max(*values, evaluate=False)
                    local = first_max_partials(values, symbol(f"net_{names[-1]}"))
                else:
                    definition = sp.Add(*values) / len(values)
                    display = sp.Mul(sp.Rational(1, len(values)), sp.Add(*values, evaluate=False), evaluate=False)
                    local = [sp.Rational(1, len(values))] * len(values)
                definitions.append((definition, dict(zip(values, local, strict=True)), display))
                reads.append(tuple(inside))
                locs.append(tuple(local))
        nets, outs, act = self._activated(net, ls, key, index, names, definitions)
        out_shape = (channels, *out_size)
        vars(net).setdefault("grids", {})[outs] = out_shape
        layer = GridLayer(ls.name, index, tuple(names), act, prev, nets, outs, (), (None,) * len(names), self.name,
                          dims=len(in_size), in_shape=shape, out_shape=out_shape, kernel_shape=window, stride=stride,
                          reads=tuple(reads), locals=tuple(locs))
        return layer, counter

    def plan(self, layer: Layer, position: Mapping[sp.Symbol, int], activation: Any) -> Any:
        """One gather of every window, argmax or mean (layerwise.pool_plan)."""
        from .layerwise import pool_plan  # layerwise imports the network, which imports this module

        return pool_plan(_grid(layer), self.how, activation)

    def params(self, layer: Layer) -> tuple[sp.Symbol, ...]:
        return ()

    def matrix(self, layer: Layer, quantities: Mapping[sp.Symbol, Quantity], delta_of: Mapping[sp.Symbol, sp.Expr],
               upstream: sp.Matrix) -> dict[str, sp.Matrix]:
        """No weights: W and grad_W are empty; δ = upstream ⊙ f′(z) as for any layer."""
        empty = sp.Matrix(0, 0, [])
        return {"W": empty, "a_prev": sp.Matrix(list(layer.inputs)), "z": sp.Matrix(list(layer.nets)),
                "a": sp.Matrix(list(layer.outs)),
                "fprime": sp.Matrix([quantities[o].partials[n] for o, n in zip(layer.outs, layer.nets, strict=True)]),
                "upstream": upstream, "delta": sp.Matrix([delta_of[n] for n in layer.nets]), "grad_W": empty}

    def torch_net(self, torch: Any, layer: Layer, a: Any, leaves: Mapping[sp.Symbol, Any], zero: Any) -> Any:
        g = _grid(layer)
        x = a.reshape(a.shape[0], *g.in_shape)
        f = torch.nn.functional
        pool = {("max", 1): f.max_pool1d, ("max", 2): f.max_pool2d, ("avg", 1): f.avg_pool1d,
                ("avg", 2): f.avg_pool2d}[(self.how, g.dims)]
        return pool(x, g.kernel_shape, stride=g.stride).reshape(a.shape[0], -1)


KINDS: dict[str, LayerKind] = {kind.name: kind for kind in (Conv(1), Conv(2), Pool("max"), Pool("avg"))}
LAYER_KINDS.update(KINDS)  # registered where the spec (which imports this module) validates a layer's kind


def matrix_rule(layers: Sequence[Layer], index: int, samples: int, t: Mapping[str, str]) -> str | None:
    """The text's one-line matrix rule for layer `index` (1-based) where a convolution or pooling layer is involved
    (the layer itself, or the layer above it, which then sends back more than Wᵀδ); None: the dense layer's rule.
    `t`: the language's [text] strings."""
    layer = layers[index - 1]
    above = layers[index] if index < len(layers) else None
    if layer.kind not in KINDS and (above is None or above.kind not in KINDS):
        return None
    if above is None:
        upstream = "∇ₒE"
    elif above.kind in KINDS:
        upstream = t["cnn_upstream"].format(k=index + 1, kind=above.kind)
    else:
        upstream = "Wᵀ_next δ_next"
    rule = f"({upstream}) ⊙ f'(z)"
    if layer.kind.startswith("conv"):
        rule += f", {t['cnn_kernel']}" if samples == 1 else ""
    elif layer.kind == "maxpool":
        rule += f"; {t['cnn_max_rule']}"
    elif layer.kind in KINDS:
        rule += f"; {t['cnn_no_weights']}"
    elif samples == 1:
        rule += ", ∂E/∂W = δ a_prevᵀ"
    return rule
