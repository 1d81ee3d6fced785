"""The truth of the recurrent and convolution corpus (tests/corpus/seq*/), computed from the spec TOML alone.

Nothing here imports symbackprop: the spec is read with tomllib and given its documented meaning (README,
"Recurrent networks" and "Convolution and pooling layers"; issue 16's contracts):

* Elman: net_t = U x_t + V h_{t−1} + b (row of V = neuron at t, column = neuron at t − 1), h_t = f(net_t),
  y_t = g(W h_t + c), h_0 = 0 (or initial_state); E = Σ_t E_t with targets at every step, or the last step's
  loss alone when the target is one number. Node names are the unrolled circuit's: x1_t2, neth1_t2, h1_t2,
  nety1_t2, y1_t2, E_t2, E, and h1_t0 for the initial state.
* convolution: net_c_j = Σ_m k_m x_{(j−1)·s+m} + bias (2-D: Σ_ab k_ab x_{(i−1)s+a, (j−1)s+b}), no padding;
  max/avg-pooling over windows of `size` moved by `stride` (default: the size); then dense layers. Names: x3 /
  x12 (inputs), net_c1 / c1 (a convolution neuron's net input and output), p1 / p11 (pooled), net_o1 / o1.

The forward pass runs in mpmath at DPS digits; every derivative is a central finite difference of it (a
parameter moved, or a number added to one node's value), never a backward pass. tests/test_seq_corpus.py
compares these with a backward pass (BPTT and the convolution's correlation) written in NumPy in the test.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import mpmath

DPS = 60
H = mpmath.mpf(10) ** -22
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

Values = dict[str, mpmath.mpf]


def _mp(v: Any) -> mpmath.mpf:
    return mpmath.mpf(str(v))


def _act(name: str) -> Callable[[mpmath.mpf], mpmath.mpf]:
    return {"tanh": mpmath.tanh, "sigmoid": lambda z: 1 / (1 + mpmath.exp(-z)), "identity": lambda z: z,
            "linear": lambda z: z, "relu": lambda z: z if z > 0 else mpmath.mpf(0)}[name]


def _loss(name: str, y: mpmath.mpf, t: mpmath.mpf) -> mpmath.mpf:
    if name in ("half_sse",):
        return (y - t) ** 2 / 2
    if name in ("sse", "mse"):  # one output: mse = sse
        return (y - t) ** 2
    raise ValueError(f"loss {name!r} is not in the seq corpus's oracle")


def _elman(data: Mapping[str, Any], p: Mapping[str, mpmath.mpf], nudge: Mapping[str, mpmath.mpf]) -> Values:
    hidden, out = data["layers"]
    U, V, b = hidden["weights"], hidden["recurrent_weights"], hidden.get("bias")
    W, c = out["weights"], out.get("bias")
    f, g = _act(hidden.get("activation", "tanh")), _act(out.get("activation", "identity"))
    inputs = list(data["inputs"])
    xs = {k: [_mp(v) for v in vals] for k, vals in data["inputs"].items()}
    steps = int(data.get("steps", len(next(iter(xs.values())))))
    n_h, n_y = len(U), len(W)
    targets = data["targets"]
    loss = data.get("loss", "half_sse")
    v: Values = {}
    init = hidden.get("initial_state", [0] * n_h)
    h = []
    for i in range(n_h):
        name = f"{hidden['name']}{i + 1}_t0"
        v[name] = _mp(init[i]) + nudge.get(name, 0)
        h.append(v[name])
    total = mpmath.mpf(0)
    bias = (lambda i: 0) if b is None else (lambda i: p[b] if isinstance(b, str) else p[b[i]])
    obias = (lambda i: 0) if c is None else (lambda i: p[c] if isinstance(c, str) else p[c[i]])
    for t in range(1, steps + 1):
        x = []
        for _k, name in enumerate(inputs):
            xn = f"{name}_t{t}"
            v[xn] = xs[name][t - 1] + nudge.get(xn, 0)
            x.append(v[xn])
        new = []
        for i in range(n_h):
            hn = f"{hidden['name']}{i + 1}"
            net = sum(p[U[i][k]] * x[k] for k in range(len(x))) + sum(p[V[i][j]] * h[j] for j in range(n_h)) \
                + bias(i)
            v[f"net{hn}_t{t}"] = net + nudge.get(f"net{hn}_t{t}", 0)
            v[f"{hn}_t{t}"] = f(v[f"net{hn}_t{t}"]) + nudge.get(f"{hn}_t{t}", 0)
            new.append(v[f"{hn}_t{t}"])
        h = new
        e_t = mpmath.mpf(0)
        for r in range(n_y):
            yn = f"{out['name']}{r + 1}"
            net = sum(p[W[r][j]] * h[j] for j in range(n_h)) + obias(r)
            v[f"net{yn}_t{t}"] = net + nudge.get(f"net{yn}_t{t}", 0)
            v[f"{yn}_t{t}"] = g(v[f"net{yn}_t{t}"]) + nudge.get(f"{yn}_t{t}", 0)
            target = targets[yn]
            if isinstance(target, list):
                e_t += _loss(loss, v[f"{yn}_t{t}"], _mp(target[t - 1]))
            elif t == steps:
                e_t += _loss(loss, v[f"{yn}_t{t}"], _mp(target))
        v[f"E_t{t}"] = e_t + nudge.get(f"E_t{t}", 0)
        total += v[f"E_t{t}"]
    v["E"] = total
    return v


def _grid(data: Mapping[str, Any]) -> tuple[list[list[str]], dict[str, mpmath.mpf]]:
    """The inputs as a grid of names (1-D: one row) and their values."""
    ins = data["inputs"]
    if "x" in ins and isinstance(ins["x"], list):
        rows = ins["x"]
        names = [[f"x{i + 1}{j + 1}" for j in range(len(rows[0]))] for i in range(len(rows))]
        return names, {names[i][j]: _mp(rows[i][j]) for i in range(len(rows)) for j in range(len(rows[0]))}
    return [list(ins)], {k: _mp(v) for k, v in ins.items()}


def _layered(data: Mapping[str, Any], p: Mapping[str, mpmath.mpf], nudge: Mapping[str, mpmath.mpf]) -> Values:
    grid, xv = _grid(data)
    two_d = len(grid) > 1
    v: Values = {n: xv[n] + nudge.get(n, 0) for n in xv}
    cur = [[v[n] for n in row] for row in grid]  # the current layer as a grid of values
    flat: list[mpmath.mpf] = []
    last: list[str] = []
    for layer in data["layers"]:
        kind, name = layer.get("kind", "dense"), layer["name"]
        act = _act(layer.get("activation", "sigmoid"))
        if kind in ("conv1d", "conv2d"):
            k = layer["kernel"] if kind == "conv2d" else [layer["kernel"]]
            s = layer.get("stride", 1)
            s = s if isinstance(s, int) else s[0]
            kh, kw = len(k), len(k[0])
            rows, cols = (len(cur) - kh) // s + 1, (len(cur[0]) - kw) // s + 1
            new = []
            for i in range(rows):
                row = []
                for j in range(cols):
                    nn = f"{name}{i + 1}{j + 1}" if two_d else f"{name}{j + 1}"
                    net = sum(p[k[a][b]] * cur[i * s + a][j * s + b] for a in range(kh) for b in range(kw)) \
                        + (p[layer["bias"]] if "bias" in layer else 0)
                    v[f"net_{nn}"] = net + nudge.get(f"net_{nn}", 0)
                    v[nn] = act(v[f"net_{nn}"]) + nudge.get(nn, 0)
                    row.append(v[nn])
                new.append(row)
            cur = new
            last = [f"{name}{i + 1}{j + 1}" if two_d else f"{name}{j + 1}" for i in range(rows) for j in range(cols)]
        elif kind in ("maxpool", "avgpool"):
            size = layer["size"]
            s = layer.get("stride", size)
            kh = size if two_d else 1
            sh = s if two_d else 1
            rows, cols = (len(cur) - kh) // sh + 1, (len(cur[0]) - size) // s + 1
            new = []
            for i in range(rows):
                row = []
                for j in range(cols):
                    nn = f"{name}{i + 1}{j + 1}" if two_d else f"{name}{j + 1}"
                    window = [cur[i * sh + a][j * s + b] for a in range(kh) for b in range(size)]
                    val = max(window) if kind == "maxpool" else sum(window) / len(window)
                    v[nn] = val + nudge.get(nn, 0)
                    row.append(v[nn])
                new.append(row)
            cur = new
            last = [f"{name}{i + 1}{j + 1}" if two_d else f"{name}{j + 1}" for i in range(rows) for j in range(cols)]
        else:
            flat = [x for row in cur for x in row]
            W, b = layer["weights"], layer.get("bias")
            outs = []
            for r in range(len(W)):
                nn = f"{name}{r + 1}"
                bias = 0 if b is None else p[b] if isinstance(b, str) else p[b[r]]
                net = sum(p[W[r][j]] * flat[j] for j in range(len(flat))) + bias
                v[f"net_{nn}"] = net + nudge.get(f"net_{nn}", 0)
                v[nn] = act(v[f"net_{nn}"]) + nudge.get(nn, 0)
                outs.append(v[nn])
            cur = [outs]
            last = [f"{name}{r + 1}" for r in range(len(W))]
    loss = data.get("loss", "half_sse")
    v["E"] = sum(_loss(loss, v[o], _mp(data["targets"][o])) for o in last)
    return v


@cache
def spec(name: str) -> dict[str, Any]:
    return tomllib.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def _forward(name: str) -> Callable[[Mapping[str, mpmath.mpf], Mapping[str, mpmath.mpf]], Values]:
    data = spec(name)
    if data["layers"][0].get("kind") == "recurrent":
        return lambda p, nudge: _elman(data, p, nudge)
    return lambda p, nudge: _layered(data, p, nudge)


def params(name: str) -> dict[str, mpmath.mpf]:
    with mpmath.workdps(DPS):
        return {k: _mp(v) for k, v in spec(name)["params"].items()}


def learning_rate(name: str) -> mpmath.mpf:
    with mpmath.workdps(DPS):
        return _mp(spec(name).get("learning_rate", "0.5"))


def forward(name: str, p: Mapping[str, mpmath.mpf] | None = None,
            nudge: Mapping[str, mpmath.mpf] | None = None) -> Values:
    with mpmath.workdps(DPS):
        return _forward(name)(params(name) if p is None else p, nudge or {})


def gradient(name: str, wrt: str, p: Mapping[str, mpmath.mpf] | None = None) -> mpmath.mpf:
    """∂E/∂wrt by a central difference: wrt a parameter (moved) or a node (a number added to its value)."""
    p = dict(params(name) if p is None else p)
    with mpmath.workdps(DPS):
        if wrt in p:
            hi, lo = dict(p), dict(p)
            hi[wrt] += H
            lo[wrt] -= H
            return (forward(name, hi)["E"] - forward(name, lo)["E"]) / (2 * H)
        if wrt not in forward(name, p):
            raise KeyError(f"{name}: no node or parameter {wrt!r}")
        return (forward(name, p, {wrt: H})["E"] - forward(name, p, {wrt: -H})["E"]) / (2 * H)


def stepped(name: str, step: int) -> dict[str, mpmath.mpf]:
    """The parameters after `step` gradient steps p ← p − η ∂E/∂p."""
    p = params(name)
    eta = learning_rate(name)
    with mpmath.workdps(DPS):
        for _ in range(step):
            p = {k: v - eta * gradient(name, k, p) for k, v in p.items()}
    return p


QUANTITY = re.compile(r"(?P<d>dE/d)?(?P<delta>delta_)?(?P<net>net_)?(?P<name>\w+?)(?P<plus>\+)?")


def value(name: str, quantity: str, step: int = 0) -> mpmath.mpf:
    """A quantity of the answers format: E, <node>, net_<neuron>, delta_<neuron> (= dE/dnet_<neuron>),
    dE/d<param or node>, dE/dnet_<neuron>, <param>+ — after `step` gradient steps."""
    m = QUANTITY.fullmatch(quantity)
    if m is None:
        raise ValueError(f"quantity {quantity!r}")
    p = stepped(name, step)
    node = ("net_" if m["net"] or m["delta"] else "") + m["name"]
    if spec(name)["layers"][0].get("kind") == "recurrent" and node.startswith("net_"):
        node = "net" + node[4:]  # the circuit's name: neth1_t2
    if m["plus"]:
        with mpmath.workdps(DPS):
            return p[m["name"]] - learning_rate(name) * gradient(name, m["name"], p)
    if m["d"] or m["delta"]:
        return gradient(name, node, p)
    return forward(name, p)[node]
