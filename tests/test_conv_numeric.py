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
import math
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from symbackprop.network import Network
from symbackprop.numeric import compile_network
from symbackprop.train import train

EXAMPLES = sorted((ROOT / "examples" / "conv").glob("*.toml"))

# --- random architectures: a convolution, maybe a pooling layer, a dense sigmoid layer ---------------------


@st.composite
def architectures(draw: st.DrawFn) -> dict[str, Any]:
    dims = draw(st.sampled_from([1, 2]))
    size = tuple(draw(st.integers(2, 7 if dims == 1 else 5)) for _ in range(dims))
    padding = draw(st.integers(0, 1))
    kernel = tuple(draw(st.integers(1 + padding, min(3, n + 2 * padding))) for n in size)  # no window of zeros alone
    stride = tuple([draw(st.integers(1, 2))] * dims)
    conv_out = tuple((n + 2 * padding - k) // s + 1 for n, k, s in zip(size, kernel, stride, strict=True))
    pool = draw(st.sampled_from([None, "maxpool", "avgpool"]))
    window = tuple(draw(st.integers(1, min(3, n))) for n in conv_out)
    pool_stride = tuple(draw(st.integers(1, 2)) for _ in range(dims))
    pooled = conv_out if pool is None else tuple((n - w) // s + 1 for n, w, s in
                                                 zip(conv_out, window, pool_stride, strict=True))
    return {"dims": dims, "size": size, "padding": padding, "kernel": kernel, "stride": stride,
            "channels": draw(st.integers(1, 3)), "bias": draw(st.sampled_from(["none", "shared", "per channel"])),
            "activation": draw(st.sampled_from(["relu", "tanh", "sigmoid", "identity"])), "pool": pool,
            "window": window, "pool_stride": pool_stride, "conv_out": conv_out, "pooled": pooled,
            "outputs": draw(st.integers(1, 2)), "samples": draw(st.integers(1, 4)), "seed": draw(st.integers(0, 99))}


def kernel_names(a: dict[str, Any], c: int) -> Any:
    entries = [f"k{c + 1}_{''.join(str(i + 1) for i in at)}" for at in itertools.product(*map(range, a["kernel"]))]
    if a["dims"] == 1:
        return entries
    cols = a["kernel"][1]
    return [entries[r * cols:(r + 1) * cols] for r in range(a["kernel"][0])]


def build(a: dict[str, Any]) -> Network:
    width = a["channels"] * math.prod(a["pooled"])
    if a["dims"] == 1:
        inputs: dict[str, Any] = {f"x{i + 1}": 0.0 for i in range(a["size"][0])}
    else:
        inputs = {"x": [[0.0] * a["size"][1] for _ in range(a["size"][0])]}
    kernels = [kernel_names(a, c) for c in range(a["channels"])]
    conv: dict[str, Any] = {"name": "c", "kind": f"conv{a['dims']}d", "kernel": kernels, "stride": list(a["stride"]),
                            "padding": a["padding"], "activation": a["activation"]}
    if a["bias"] == "shared":
        conv["bias"] = "bc"
    elif a["bias"] == "per channel":
        conv["bias"] = [f"bc{c + 1}" for c in range(a["channels"])]
    layers = [conv]
    if a["pool"]:
        layers.append({"name": "p", "kind": a["pool"], "size": list(a["window"]), "stride": list(a["pool_stride"])})
    layers.append({"name": "o", "activation": "sigmoid", "weights": [[f"w{j + 1}_{i + 1}" for i in range(width)]
                                                                     for j in range(a["outputs"])],
                   "bias": [f"bo{j + 1}" for j in range(a["outputs"])]})
    return Network.from_dict({"inputs": inputs, "targets": {f"o{j + 1}": 0.5 for j in range(a["outputs"])},
                              "layers": layers})


def data(a: dict[str, Any], net: Network, integers: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """θ (network.params order), x (inputs, samples), t: integers on the grid layers (every sum exact), floats
    on the dense layer; or uniform floats throughout."""
    rng = np.random.default_rng(a["seed"])
    n = a["samples"]
    x = rng.integers(-3, 4, (len(net.inputs), n)).astype(float) if integers else rng.uniform(-1, 1,
                                                                                             (len(net.inputs), n))
    theta = np.array([float(rng.integers(-2, 3)) if integers and p.name[0] in "kb" and p.name[:2] != "bo"
                      else rng.uniform(-1, 1) for p in net.params])
    return theta, x, rng.uniform(0, 1, (len(net.targets), n))


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
    assert "conv" in layers.source and "pool" in layers.source


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


# --- against a forward pass written here, in mpmath --------------------------------------------------------


ACTS: dict[str, Callable[[Any], Any]] = {"relu": lambda z: max(mpmath.mpf(0), z), "tanh": mpmath.tanh,
                                        "sigmoid": lambda z: 1 / (1 + mpmath.exp(-z)), "identity": lambda z: z}


def reference_loss(a: dict[str, Any], net: Network, theta: list[Any], x: np.ndarray, t: np.ndarray) -> Any:
    """half_sse summed over the samples, the layers written out over loops: zero padding, each window's sum of
    kernel × input, max or mean of each pooling window, then σ(W · flattened + b)."""
    v = {p.name: theta[i] for i, p in enumerate(net.params)}
    f = ACTS[a["activation"]]
    total = mpmath.mpf(0)
    for s in range(x.shape[1]):
        grid = np.array([mpmath.mpf(float(value)) for value in x[:, s]], dtype=object).reshape(a["size"])
        conv = []
        for c in range(a["channels"]):
            bias = {"none": 0, "shared": v.get("bc"), "per channel": v.get(f"bc{c + 1}")}[a["bias"]]
            for pos in itertools.product(*map(range, a["conv_out"])):
                z = bias
                for off in itertools.product(*map(range, a["kernel"])):
                    at = [p * st_ + o - a["padding"] for p, st_, o in zip(pos, a["stride"], off, strict=True)]
                    if all(0 <= i < n for i, n in zip(at, a["size"], strict=True)):
                        z += v[f"k{c + 1}_{''.join(str(i + 1) for i in off)}"] * grid[tuple(at)]
                conv.append(f(z))
        values = np.array(conv, dtype=object).reshape(a["channels"], *a["conv_out"])
        flat = []
        for c in range(a["channels"]):
            if a["pool"] is None:
                flat += list(values[c].ravel())
                continue
            for pos in itertools.product(*map(range, a["pooled"])):
                window = [values[(c, *[p * s_ + o for p, s_, o in zip(pos, a["pool_stride"], off, strict=True)])]
                          for off in itertools.product(*map(range, a["window"]))]
                flat.append(max(window) if a["pool"] == "maxpool" else sum(window) / len(window))
        for j in range(a["outputs"]):
            o = 1 / (1 + mpmath.exp(-(sum(v[f"w{j + 1}_{i + 1}"] * q for i, q in enumerate(flat)) + v[f"bo{j + 1}"])))
            total += (mpmath.mpf(float(t[j, s])) - o) ** 2 / 2
    return total


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
    assert float(reference_loss(a, net, at, x, t)) == pytest.approx(loss, rel=1e-12)
    h = mpmath.mpf("1e-15")
    for i, p in enumerate(net.params):
        up, down = list(at), list(at)
        up[i] += h
        down[i] -= h
        truth = (reference_loss(a, net, up, x, t) - reference_loss(a, net, down, x, t)) / (2 * h)
        assert float(truth) == pytest.approx(grads[i], rel=1e-9, abs=1e-12), (p.name, a)


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
    """The network in torch.nn.functional, its tensors gathered from θ by name, and autograd's gradient."""
    F = torch.nn.functional
    leaf = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    at = {p.name: i for i, p in enumerate(net.params)}
    k = torch.stack([leaf[torch.tensor([at[n] for n in np.ravel(kernel_names(a, c))])].reshape(1, *a["kernel"])
                     for c in range(a["channels"])])
    zero = torch.zeros((), dtype=torch.float64)
    bias = {"none": lambda c: zero, "shared": lambda c: leaf[at["bc"]],
            "per channel": lambda c: leaf[at[f"bc{c + 1}"]]}[a["bias"]]
    b = torch.stack([bias(c) for c in range(a["channels"])])
    xs = torch.tensor(x.T.reshape(x.shape[1], 1, *a["size"]))
    conv = F.conv1d if a["dims"] == 1 else F.conv2d
    act = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "identity": lambda z: z}
    h = act[a["activation"]](conv(xs, k, b, stride=a["stride"], padding=a["padding"]))
    if a["pool"]:
        pool = {("maxpool", 1): F.max_pool1d, ("maxpool", 2): F.max_pool2d, ("avgpool", 1): F.avg_pool1d,
                ("avgpool", 2): F.avg_pool2d}[(a["pool"], a["dims"])]
        h = pool(h, a["window"], stride=a["pool_stride"])
    flat = h.reshape(h.shape[0], -1)
    width = flat.shape[1]
    w = leaf[torch.tensor([[at[f"w{j + 1}_{i + 1}"] for i in range(width)] for j in range(a["outputs"])])]
    bo = leaf[torch.tensor([at[f"bo{j + 1}"] for j in range(a["outputs"])])]
    o = torch.sigmoid(flat @ w.T + bo)
    loss = ((torch.tensor(t.T) - o) ** 2 / 2).sum()
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
