"""The compiled numerics of convolution and pooling layers (layerwise._ConvPlan and _PoolPlan, im2col and matrix
products) against independent truths.

- The "graph" method: the network's own straight-line scalar code, one assignment per position, written from
  the SymPy quantities with no matrix form. On integer data every sum is exact in float64 whatever its order, so
  ties of a maximum and ReLU's kink fall on the same side in both methods and the values must agree to 1e-12.
- A forward pass written in this file over plain loops (zero padding, windows, max, mean), evaluated in mpmath at
  40 digits and differentiated by central differences.
- PyTorch's torch.nn.functional conv1d / conv2d / max_pool / avg_pool and autograd (tests marked `torch`).
- Hand-computed numbers where a tie decides the gradient (the first maximum of a window takes it).
"""

from __future__ import annotations

import itertools
import json
import math
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from symbackprop.network import Network
from symbackprop.numeric import compile_network
from symbackprop.train import train

EXAMPLES = sorted((ROOT / "examples" / "conv").glob("*.toml"))

# --- random architectures, as specs: a convolution (over one or two input channels), maybe a second convolution
# over its channels, maybe a pooling layer, a dense sigmoid layer ------------------------------------------------


def _names(prefix: str, c: int, ci: int, shape: tuple[int, ...], sliced: bool) -> Any:
    """Kernel c's slice over input channel ci as nested lists of names (a row for 1-D, rows for 2-D)."""
    tag = f"{prefix}{c + 1}{ci + 1}" if sliced else f"{prefix}{c + 1}"
    entries = [f"{tag}_{''.join(str(i + 1) for i in at)}" for at in itertools.product(*map(range, shape))]
    return entries if len(shape) == 1 else [entries[r * shape[1]:(r + 1) * shape[1]] for r in range(shape[0])]


def _kernel(prefix: str, kernels: int, channels: int, shape: tuple[int, ...]) -> Any:
    """One input channel: a list of kernels (the one-channel form); several: per kernel a list of slices."""
    if channels == 1:
        return [_names(prefix, c, 0, shape, False) for c in range(kernels)]
    return [[_names(prefix, c, ci, shape, True) for ci in range(channels)] for c in range(kernels)]


def _out(size: tuple[int, ...], window: tuple[int, ...], stride: tuple[int, ...], padding: int) -> tuple[int, ...]:
    return tuple((n + 2 * padding - k) // s + 1 for n, k, s in zip(size, window, stride, strict=True))


@st.composite
def architectures(draw: st.DrawFn) -> dict[str, Any]:
    """{"spec": the network's spec, "shape": (channels, *positions) of its inputs, "samples", "seed"}."""
    dims = draw(st.sampled_from([1, 2]))
    size = tuple(draw(st.integers(2, 7 if dims == 1 else 5)) for _ in range(dims))
    channels = draw(st.integers(1, 2)) if dims == 2 else 1
    padding = draw(st.integers(0, 1))
    kernel = tuple(draw(st.integers(1 + padding, min(3, n + 2 * padding))) for n in size)  # no window of zeros alone
    stride = tuple([draw(st.integers(1, 2))] * dims)
    kernels = draw(st.integers(1, 3))
    second = draw(st.booleans())
    # before a second convolution ReLU or the identity: with integer data every value stays an exact integer, so
    # ties and kinks are exact whatever order a method sums in
    first_act = draw(st.sampled_from(["relu", "identity"] if second else ["relu", "tanh", "sigmoid", "identity"]))
    conv: dict[str, Any] = {"name": "c", "kind": f"conv{dims}d", "kernel": _kernel("k", kernels, channels, kernel),
                            "stride": list(stride), "padding": padding, "activation": first_act}
    bias = draw(st.sampled_from(["none", "shared", "per channel"]))
    if bias == "shared":
        conv["bias"] = "bc"
    elif bias == "per channel":
        conv["bias"] = [f"bc{c + 1}" for c in range(kernels)]
    layers = [conv]
    grid = (kernels, *_out(size, kernel, stride, padding))
    if second:
        k2 = tuple(draw(st.integers(1, min(2, n))) for n in grid[1:])
        out2 = draw(st.integers(1, 2))
        layers.append({"name": "d", "kind": f"conv{dims}d", "kernel": _kernel("m", out2, kernels, k2),
                       "bias": "bd", "activation": draw(st.sampled_from(["relu", "tanh", "identity"]))})
        grid = (out2, *_out(grid[1:], k2, (1,) * dims, 0))
    pool = draw(st.sampled_from([None, "maxpool", "avgpool"]))
    if pool:
        window = tuple(draw(st.integers(1, min(3, n))) for n in grid[1:])
        pool_stride = tuple(draw(st.integers(1, 2)) for _ in range(dims))
        layers.append({"name": "p", "kind": pool, "size": list(window), "stride": list(pool_stride)})
        grid = (grid[0], *_out(grid[1:], window, pool_stride, 0))
    outputs = draw(st.integers(1, 2))
    layers.append({"name": "o", "activation": "sigmoid",
                   "weights": [[f"w{j + 1}_{i + 1}" for i in range(math.prod(grid))] for j in range(outputs)],
                   "bias": [f"bo{j + 1}" for j in range(outputs)]})
    if dims == 1:
        inputs: dict[str, Any] = {f"x{i + 1}": 0.0 for i in range(size[0])}
    else:
        plane = [[0.0] * size[1] for _ in range(size[0])]
        inputs = {"x": plane if channels == 1 else [plane] * channels}
    spec = {"inputs": inputs, "targets": {f"o{j + 1}": 0.5 for j in range(outputs)}, "layers": layers}
    return {"spec": spec, "shape": (channels, *size), "samples": draw(st.integers(1, 4)),
            "seed": draw(st.integers(0, 99))}


def build(a: dict[str, Any]) -> Network:
    return Network.from_dict(a["spec"])


def data(a: dict[str, Any], net: Network, integers: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """θ (network.params order), x (inputs, samples), t: integers on the grid layers (every sum exact), floats
    on the dense layer; or uniform floats throughout."""
    rng = np.random.default_rng(a["seed"])
    n = a["samples"]
    x = rng.integers(-3, 4, (len(net.inputs), n)).astype(float) if integers else rng.uniform(-1, 1,
                                                                                             (len(net.inputs), n))
    theta = np.array([float(rng.integers(-2, 3)) if integers and p.name[0] in "kmb" and p.name[:2] != "bo"
                      else rng.uniform(-1, 1) for p in net.params])
    return theta, x, rng.uniform(0, 1, (len(net.targets), n))


# --- the reference: the layers of a spec written out here over loops, for SymPy or mpmath numbers ------------


def _depth(raw: Any) -> int:
    return 1 + _depth(raw[0]) if isinstance(raw, list) else 0


def _kernel_array(raw: Any, dims: int) -> np.ndarray:
    """A spec's kernel as an array of names (kernels, input channels, *kernel)."""
    depth = _depth(raw)
    nested = [[raw]] if depth == dims else [[k] for k in raw] if depth == dims + 1 else raw
    return np.array(nested, dtype=object)


def _per_axis(value: Any, dims: int) -> tuple[int, ...]:
    return tuple(value) if isinstance(value, list) and len(value) == dims else tuple(
        [value[0] if isinstance(value, list) else value] * dims)


class Ops:
    def __init__(self, symbolic: bool) -> None:
        self.symbolic = symbolic
        exp = sp.exp if symbolic else mpmath.exp
        self.act: dict[str, Callable[[Any], Any]] = {
            "relu": (lambda z: sp.Max(0, z)) if symbolic else (lambda z: max(mpmath.mpf(0), z)),
            "tanh": sp.tanh if symbolic else mpmath.tanh, "identity": lambda z: z,
            "sigmoid": lambda z: 1 / (1 + exp(-z))}
        self.max: Callable[[list[Any]], Any] = (lambda vs: sp.Max(*vs)) if symbolic else max


def reference_loss(spec: dict[str, Any], v: dict[str, Any], grid: np.ndarray, t: list[Any], ops: Ops) -> Any:
    """half_sse of one sample: each layer of the spec computed from its definition with the values `v` by name;
    `grid` the input (channels, *positions)."""
    a = grid
    for layer in spec["layers"]:
        kind = layer.get("kind", "dense")
        if kind.startswith("conv"):
            dims = int(kind[4])
            k = _kernel_array(layer["kernel"], dims)
            stride, pad = _per_axis(layer.get("stride", 1), dims), layer.get("padding", 0)
            raw_bias = layer.get("bias")
            f = ops.act[layer.get("activation", "sigmoid")]
            out_size = _out(a.shape[1:], k.shape[2:], stride, pad)
            out = np.empty((k.shape[0], *out_size), dtype=object)
            for co in range(k.shape[0]):
                b = (0 if raw_bias is None else v[raw_bias] if isinstance(raw_bias, str) else v[raw_bias[co]])
                for pos in itertools.product(*map(range, out_size)):
                    z = b
                    for ci in range(k.shape[1]):
                        for off in itertools.product(*map(range, k.shape[2:])):
                            at = tuple(p * s + o - pad for p, s, o in zip(pos, stride, off, strict=True))
                            if all(0 <= i < n for i, n in zip(at, a.shape[1:], strict=True)):
                                z = z + v[k[(co, ci, *off)]] * a[(ci, *at)]
                    out[(co, *pos)] = f(z)
            a = out
        elif kind.endswith("pool"):
            dims = a.ndim - 1
            window = _per_axis(layer["size"], dims)
            stride = _per_axis(layer.get("stride", layer["size"]), dims)
            out_size = _out(a.shape[1:], window, stride, 0)
            out = np.empty((a.shape[0], *out_size), dtype=object)
            for c in range(a.shape[0]):
                for pos in itertools.product(*map(range, out_size)):
                    values = [a[(c, *[p * s + o for p, s, o in zip(pos, stride, off, strict=True)])]
                              for off in itertools.product(*map(range, window))]
                    out[(c, *pos)] = ops.max(values) if kind == "maxpool" else sum(values) / len(values)
            a = out
        else:
            flat = list(a.ravel())
            f = ops.act[layer.get("activation", "sigmoid")]
            biases = [layer["bias"]] * len(layer["weights"]) if isinstance(layer["bias"], str) else layer["bias"]
            a = np.array([f(sum((v[w] * q for w, q in zip(row, flat, strict=True)), v[b]))
                          for row, b in zip(layer["weights"], biases, strict=True)], dtype=object)
    return sum((tj - o) ** 2 / 2 for tj, o in zip(t, a, strict=True))


def reference_batch(a: dict[str, Any], net: Network, theta: list[Any], x: np.ndarray, t: np.ndarray) -> Any:
    v = {p.name: theta[i] for i, p in enumerate(net.params)}
    ops = Ops(symbolic=False)
    return sum(reference_loss(a["spec"], v, np.array([mpmath.mpf(float(q)) for q in x[:, s]], dtype=object)
                              .reshape(a["shape"]), [mpmath.mpf(float(q)) for q in t[:, s]], ops)
               for s in range(x.shape[1]))


def agree(u: Any, v: Any, tol: float = 1e-12) -> bool:
    return bool(np.allclose(np.asarray(u, dtype=float), np.asarray(v, dtype=float), rtol=tol, atol=tol))


# --- the compiled plan against the graph's straight-line code ------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_examples_compile_layerwise_and_equal_the_graph_method(path: Path) -> None:
    net = Network.load(path)
    layers, graph = compile_network(net), compile_network(net, "graph")
    assert (layers.method, graph.method) == ("layers", "graph")
    loss, grads = layers.loss_and_gradients()
    g_loss, g_grads = graph.loss_and_gradients()
    assert agree(loss, g_loss) and agree([grads[k] for k in grads], [g_grads[k] for k in grads])
    rng = np.random.default_rng(3)
    theta = rng.normal(size=len(net.params))
    x, t = rng.normal(size=(len(net.inputs), 9)), rng.uniform(size=(len(net.targets), 9))
    assert all(agree(u, v) for u, v in zip(layers.batch_loss_and_gradients(theta, x, t),
                                           graph.batch_loss_and_gradients(theta, x, t), strict=True))
    assert all(agree(u, v) for u, v in zip(layers.raw(theta, x, t), graph.raw(theta, x, t), strict=True))
    assert agree(layers.batch_loss(theta, x, t), graph.batch_loss(theta, x, t))
    kinds = {layer.kind for layer in net.layers}
    assert all(kind in layers.source for kind in kinds - {"dense"})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(architectures())
def test_random_stacks_equal_the_graph_method_ties_and_kinks_included(a: dict[str, Any]) -> None:
    """Integer inputs and kernels: ties in max-pooling windows and nets exactly at ReLU's kink are common, and
    both methods see the same exact values there (first maximum; ReLU′(0) = 0)."""
    net = build(a)
    layers, graph = compile_network(net), compile_network(net, "graph")
    assert layers.method == "layers"
    theta, x, t = data(a, net, integers=True)
    assert all(agree(u, v) for u, v in zip(layers.batch_loss_and_gradients(theta, x, t),
                                           graph.batch_loss_and_gradients(theta, x, t), strict=True)), a
    assert all(agree(u, v) for u, v in zip(layers.raw(theta, x, t), graph.raw(theta, x, t), strict=True)), a


def test_names_shared_between_kernels_layers_and_biases_sum_over_their_uses() -> None:
    """One name in two kernels, in a kernel and a bias, and in a kernel and a dense weight: its gradient is the sum
    over all its uses (θ positions repeat; np.bincount), as in the graph method."""
    net = Network.from_dict({
        "inputs": {"x": [[1, -2, 0], [3, 1, -1], [2, 0, 1]]}, "targets": {"o1": 0.3},
        "layers": [{"name": "c", "kind": "conv2d", "kernel": [[["a", "b"], ["b", "a"]], [["s", "a"], ["b", "s"]]],
                    "bias": ["s", "bb"], "activation": "relu"},
                   {"name": "p", "kind": "avgpool", "size": 2, "stride": 1},
                   {"name": "o", "weights": [["a", "w2"]], "bias": "bo"}],
        "params": {"a": 0.5, "b": -0.25, "s": 0.75, "bb": 0.1, "w2": 0.3, "bo": -0.2}})
    layers, graph = compile_network(net), compile_network(net, "graph")
    assert layers.method == "layers" and layers.plan is not None and layers.plan.order == "shared"
    loss, grads = layers.loss_and_gradients()
    g_loss, g_grads = graph.loss_and_gradients()
    assert agree(loss, g_loss) and all(agree(grads[k], g_grads[k]) for k in grads)


# --- against the reference, in mpmath and SymPy -------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(architectures())
def test_random_stacks_against_central_differences_at_40_digits(a: dict[str, Any]) -> None:
    """Float data (no exact ties or kinks): every gradient of the compiled plan against the central difference of
    the loss written above, h = 1e-15 at 40 digits (error ~h²)."""
    net = build(a)
    compiled = compile_network(net)
    theta, x, t = data(a, net, integers=False)
    loss, grads = compiled.batch_loss_and_gradients(theta, x, t)
    mpmath.mp.dps = 40
    at = [mpmath.mpf(float(v)) for v in theta]
    assert float(reference_batch(a, net, at, x, t)) == pytest.approx(loss, rel=1e-12)
    h = mpmath.mpf("1e-15")
    for i, p in enumerate(net.params):
        up, down = list(at), list(at)
        up[i] += h
        down[i] -= h
        truth = (reference_batch(a, net, up, x, t) - reference_batch(a, net, down, x, t)) / (2 * h)
        assert float(truth) == pytest.approx(grads[i], rel=1e-9, abs=1e-12), (p.name, a)


def _example(path: Path) -> tuple[dict[str, Any], np.ndarray, list[Any], dict[str, Any]]:
    """(the TOML's data, its input grid (channels, *positions) as exact rationals, targets, parameter values)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    raw = data["inputs"]
    if "x" in raw:
        grid = np.array(raw["x"], dtype=object)
        grid = grid if grid.ndim == 3 else grid[None]
    else:
        grid = np.array([list(raw.values())], dtype=object)
    exact = np.vectorize(lambda q: sp.Rational(str(q)), otypes=[object])
    return (data, exact(grid), [sp.Rational(str(q)) for q in data["targets"].values()],
            {n: sp.Rational(str(q)) for n, q in data["params"].items()})


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_examples_gradients_are_sympy_diff_of_the_whole_loss_and_central_differences(path: Path) -> None:
    """The loss composed here from the TOML (layers written out over loops, in SymPy symbols), differentiated by
    sympy.diff, against derive's exact gradients and the compiled plan's; and mpmath central differences at 40
    digits of the same loss."""
    from symbackprop.derive import derive

    data, grid, t, values = _example(path)
    symbols = {n: sp.Symbol(n, real=True) for n in values}
    loss = reference_loss(data, symbols, grid, t, Ops(symbolic=True))
    net = Network.load(path)
    d = derive(net, max_paths=0)
    _, compiled = compile_network(net).loss_and_gradients()
    mpmath.mp.dps = 40
    at = {n: mpmath.mpf(q.p) / q.q for n, q in values.items()}
    mp_grid = np.vectorize(lambda q: mpmath.mpf(q.p) / q.q, otypes=[object])(grid)
    mp_t = [mpmath.mpf(q.p) / q.q for q in t]
    h = mpmath.mpf("1e-15")
    assert {p.name for p in d.params} == set(values)
    for p in d.params:
        truth = sp.diff(loss, symbols[p.name]).xreplace({symbols[n]: q for n, q in values.items()}).evalf(30)
        assert abs(float(truth - p.gradient)) < 1e-13, p.name
        assert compiled[p.name] == pytest.approx(float(truth), rel=1e-12, abs=1e-15), p.name
        up, down = dict(at), dict(at)
        up[p.name] += h
        down[p.name] -= h
        central = (reference_loss(data, up, mp_grid, mp_t, Ops(False))
                   - reference_loss(data, down, mp_grid, mp_t, Ops(False))) / (2 * h)
        assert float(central) == pytest.approx(float(truth), rel=1e-12, abs=1e-15), p.name


def test_a_tie_in_a_window_sends_the_gradient_to_its_first_maximum() -> None:
    """conv1d [k1, k2] over x = (1, 2, 0) with k = (2, 1): c1 = 2·1 + 1·2 = 4 and c2 = 2·2 + 1·0 = 4 tie in the
    max-pool window. The first maximum c1 takes δ_p, so ∂E/∂k1 = δ_p·x1 = δ_p and ∂E/∂k2 = δ_p·x2 = 2δ_p (c2 would
    give 2δ_p and 0); δ_p = (o − t)·o(1 − o)·w with o = σ(w·4 + bo), by hand."""
    net = Network.from_dict({
        "inputs": {"x1": 1, "x2": 2, "x3": 0}, "targets": {"o1": 1},
        "layers": [{"name": "c", "kind": "conv1d", "kernel": ["k1", "k2"], "activation": "identity"},
                   {"name": "p", "kind": "maxpool", "size": 2},
                   {"name": "o", "weights": [["w"]], "bias": "bo", "activation": "sigmoid"}],
        "params": {"k1": 2, "k2": 1, "w": 0.3, "bo": -0.5}})
    compiled = compile_network(net)
    assert compiled.method == "layers"
    _, grads = compiled.loss_and_gradients()
    o = 1 / (1 + math.exp(-(0.3 * 4 - 0.5)))
    delta_p = (o - 1) * o * (1 - o) * 0.3
    assert grads["k1"] == pytest.approx(delta_p, rel=1e-14) and grads["k2"] == pytest.approx(2 * delta_p, rel=1e-14)
    assert grads["w"] == pytest.approx((o - 1) * o * (1 - o) * 4, rel=1e-14)


# --- training ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_training_on_the_plan_follows_the_graph_methods_trajectory(path: Path) -> None:
    net = Network.load(path)
    ours, theirs = train(net, 20), train(net, 20, compiled=compile_network(net, "graph"))
    assert agree(ours.losses, theirs.losses) and ours.losses[-1] < ours.losses[0]
    assert all(agree(ours.history[k], theirs.history[k]) for k in ours.history)


def test_a_sequential_layer_update_runs_through_convolution_and_pooling() -> None:
    """layer_update = "sequential" on conv → max-pool → dense: the output layer is updated with the simultaneous
    gradient (nothing above it), and the kernel below with finite numbers through max-pooling's routing."""
    path = ROOT / "examples" / "conv" / "conv1d_maxpool.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    simultaneous = train(Network.from_dict(data), 1)
    sequential = train(Network.from_dict({**data, "training": {"layer_update": "sequential"}}), 1)
    for name in ("w1", "w2", "bo"):
        assert sequential.history[name][1] == pytest.approx(simultaneous.history[name][1], rel=1e-14)
    assert all(np.isfinite(sequential.history[k]).all() for k in ("k1", "k2", "k3", "bc"))


# --- PyTorch ---------------------------------------------------------------------------------------------


def torch_loss(torch: Any, a: dict[str, Any], net: Network, theta: np.ndarray, x: np.ndarray, t: np.ndarray
               ) -> tuple[float, np.ndarray]:
    """The spec's layers in torch.nn.functional, their tensors gathered from θ by name, and autograd's gradient."""
    F = torch.nn.functional
    leaf = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    at = {p.name: i for i, p in enumerate(net.params)}

    def gather(names: Any) -> Any:
        array = np.asarray(names, dtype=object)
        return leaf[torch.tensor([at[n] for n in array.ravel()])].reshape(array.shape)

    act = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "identity": lambda z: z}
    h = torch.tensor(x.T.reshape(x.shape[1], *a["shape"]))
    for layer in a["spec"]["layers"]:
        kind = layer.get("kind", "dense")
        dims = h.dim() - 2
        if kind.startswith("conv"):
            k = gather(_kernel_array(layer["kernel"], dims))
            raw = layer.get("bias")
            b = (None if raw is None else gather([raw] * k.shape[0]) if isinstance(raw, str) else gather(raw))
            conv = F.conv1d if dims == 1 else F.conv2d
            h = act[layer.get("activation", "sigmoid")](conv(h, k, b, stride=layer.get("stride", 1),
                                                             padding=layer.get("padding", 0)))
        elif kind.endswith("pool"):
            pool = {("maxpool", 1): F.max_pool1d, ("maxpool", 2): F.max_pool2d, ("avgpool", 1): F.avg_pool1d,
                    ("avgpool", 2): F.avg_pool2d}[(kind, dims)]
            h = pool(h, layer["size"], stride=layer.get("stride", layer["size"]))
        else:
            flat = h.reshape(h.shape[0], -1)
            h = act[layer.get("activation", "sigmoid")](flat @ gather(layer["weights"]).T + gather(layer["bias"]))
    loss = ((torch.tensor(t.T) - h) ** 2 / 2).sum()
    loss.backward()
    return float(loss.detach()), leaf.grad.numpy()


@pytest.mark.torch
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(architectures(), st.booleans())
def test_random_stacks_against_pytorch(a: dict[str, Any], integers: bool) -> None:
    """torch.nn.functional conv1d/conv2d, max_pool/avg_pool and autograd; integer data puts ties in the windows
    (PyTorch's max-pooling, like ours, routes the gradient to the first maximum) and nets at ReLU's kink (both
    take ReLU′(0) = 0)."""
    torch = pytest.importorskip("torch")
    net = build(a)
    compiled = compile_network(net)
    theta, x, t = data(a, net, integers)
    loss, grads = compiled.batch_loss_and_gradients(theta, x, t)
    t_loss, t_grads = torch_loss(torch, a, net, theta, x, t)
    assert loss == pytest.approx(t_loss, rel=1e-12)
    assert np.allclose(grads, t_grads, rtol=1e-10, atol=1e-13), a


@pytest.mark.torch
def test_the_benchmark_runs_and_agrees_with_pytorch(capsys: pytest.CaptureFixture[str]) -> None:
    """benchmarks/conv_vs_torch.py on its small network (nothing timed is asserted): every gradient agrees."""
    pytest.importorskip("torch")
    import re
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import conv_vs_torch

    assert conv_vs_torch.main(["--quick", "--repeats", "3"]) == 0
    out = capsys.readouterr().out
    assert "| layers |" in out
    agree_to = re.search(r"agree with PyTorch to (\S+) ", out)
    assert agree_to is not None and float(agree_to.group(1)) < 1e-12


# --- several input channels: the spec ------------------------------------------------------------------------

TWO = "[[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6], [0.7, 0.8]]]"


def test_a_list_of_grids_is_one_channel_each_named_as_convolution_outputs_are() -> None:
    """x = [grid_1, grid_2]: x1_11, x1_12, ..., x2_22 (position_name's x<channel>_<row><column>), channel by channel
    as a dense layer reads a grid; a kernel over it has one slice per channel, its names slice by slice."""
    net = Network.from_dict({"inputs": {"x": [[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6], [0.7, 0.8]]]},
                             "targets": {"o1": 1},
                             "layers": [{"name": "c", "kind": "conv2d", "kernel": [[[["a"]], [["b"]]]]},
                                        {"name": "o", "size": 1}]})
    assert [s.name for s in net.inputs] == ["x1_11", "x1_12", "x1_21", "x1_22", "x2_11", "x2_12", "x2_21", "x2_22"]
    assert net.spec.input_channels == 2 and net.spec.input_shape == (2, 2)
    assert dict(net.samples[0])[net.inputs[5]] == sp.Rational("0.6")
    conv = net.layers[0]
    assert conv.neurons == ("c11", "c12", "c21", "c22")
    x = {s.name: s for s in net.inputs}
    a, b = (p for p in net.params if p.name in "ab")
    assert net.quantities[conv.nets[1]].definition == a * x["x1_12"] + b * x["x2_12"]  # c12 = a x1_12 + b x2_12


@pytest.mark.parametrize(("inputs", "kernel", "key", "phrase"), [
    (TWO, '[[["k11", "k12"], ["k21", "k22"]]]', "layers[0].kernel", "a list of 2 matrices, one per input channel"),
    ("[[0.1, 0.2], [0.3, 0.4]]", '[[[["a"]], [["b"]]]]', "layers[0].kernel", "the layer before has one channel"),
    (TWO, '[[[["a"]], [["b"]]], [[["c"]]]]', "layers[0].kernel[1]", "expected 2 slices"),
    (TWO, '[[[["a"]], [["b", "c"]]]]', "layers[0].kernel[0][1]", "the first one's shape"),
    ("[[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6]]]", '[[[["a"]], [["b"]]]]', "inputs.x[1]", "first one's shape"),
    ("[[[0.1, 0.2], [0.3, 0.4]], [0.5, 0.6]]", '[[[["a"]], [["b"]]]]', "inputs.x[1]", "a grid of numbers per channel"),
])
def test_channel_mistakes_are_one_message_naming_the_key(tmp_path: Path, inputs: str, kernel: str, key: str,
                                                         phrase: str, run_cli: Any) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(f'targets = {{ o1 = 1 }}\n[inputs]\nx = {inputs}\n[[layers]]\nname = "c"\nkind = "conv2d"\n'
                    f'kernel = {kernel}\n[[layers]]\nname = "o"\nsize = 1\n', encoding="utf-8")
    from symbackprop.errors import SpecError

    with pytest.raises(SpecError) as info:
        Network.load(path)
    assert info.value.key == key and phrase in info.value.message, info.value
    proc = run_cli("derive", path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and key in proc.stderr


@pytest.mark.parametrize("name", ["conv2d_two_channel_input", "conv2d_over_channels"])
def test_the_channel_examples_derive_render_and_train_from_the_command_line(name: str, run_cli: Any) -> None:
    path = ROOT / "examples" / "conv" / f"{name}.toml"
    for args in (("derive", "--format", "json"), ("render", "--format", "markdown"), ("train", "--steps", "3")):
        proc = run_cli(*args, path)
        assert proc.returncode == 0, proc.stderr


def test_check_judges_a_slice_gradient_over_its_own_channel(tmp_path: Path, run_cli: Any) -> None:
    """Slice a of the kernel reads channel 1 (x1_.., printed x^{(1)}_{..}): ∂E/∂a11 = Σ_ij δ_cij x1_ij over the four
    positions, by hand from the architecture; the same with channel 2's input is wrong."""
    path = ROOT / "examples" / "conv" / "conv2d_two_channel_input.toml"
    right = " + ".join(rf"\delta_{{c{i}{j}}} x^{{(1)}}_{{{i}{j}}}" for i in (1, 2) for j in (1, 2))
    wrong = " + ".join(rf"\delta_{{c{i}{j}}} x^{{(2)}}_{{{i}{j}}}" for i in (1, 2) for j in (1, 2))
    answers = tmp_path / "answers.toml"
    answers.write_text("".join(f"[[answer]]\nid = \"{k}\"\nquantity = \"dE/da11\"\nlatex = '''\n"
                               rf"\frac{{\partial E}}{{\partial a_{{11}}}} = {v}" "\n'''\n"
                               for k, v in (("right", right), ("wrong", wrong))), encoding="utf-8")
    proc = run_cli("check", "--format", "json", path, answers)
    verdicts = {a["id"]: a["verdict"] for a in json.loads(proc.stdout)["answers"]}
    assert verdicts == {"right": "correct", "wrong": "incorrect"}


@pytest.mark.tex
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["conv2d_two_channel_input", "conv2d_over_channels"])
def test_the_channel_examples_beamer_lectures_compile_without_overfull_boxes(name: str, lang: str, tmp_path: Path,
                                                                            run_cli: Any) -> None:
    import shutil

    if shutil.which("latexmk") is None or shutil.which("xelatex") is None:
        pytest.skip("latexmk/xelatex not installed")
    out = tmp_path / f"{name}_{lang}.tex"
    proc = run_cli("render", "--lang", lang, "-o", out, "--pdf", ROOT / "examples" / "conv" / f"{name}.toml",
                   check=True)
    assert (tmp_path / f"{name}_{lang}.pdf").exists()
    assert "Overfull" not in proc.stderr and "off the frame" not in proc.stderr


@pytest.mark.torch
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_cross_check_rebuilds_every_example_in_pytorch(path: Path) -> None:
    """symbackprop.crosscheck (torch.nn.functional.conv1d / conv2d with the (out, in, *kernel) weight, pooling) agrees
    with the derivation on every example, the channel ones included."""
    pytest.importorskip("torch")
    from symbackprop.crosscheck import compare

    assert compare(Network.load(path)).ok
