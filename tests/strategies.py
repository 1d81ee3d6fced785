"""Random network specs for the hypothesis tests (a helper module for the tests, not a test module).

One strategy, `network_specs`, draws a dense feed-forward network as a spec dict (what `Network.from_dict`
reads): its sizes, activations, loss, biases, tied weights, parameter values, samples, learning rate and
frozen parameters. Its keyword arguments are what the random-architecture tests draw differently (the truth,
numeric, layer-wise and PyTorch tests); the defaults are the truth tests'. `network` builds a Network from a
drawn spec, including the bias lists with None that only `mixed_biases` draws.

Every number is a short decimal (`tenths`): parameters in [−1.5, 1.5], inputs in [−2, 2], targets per loss.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from symbackprop.network import Network
from symbackprop.spec import parse_spec

ELEMENTWISE = ("identity", "sigmoid", "tanh", "relu", "leaky_relu", "softplus")
LOSSES = ("half_sse", "sse", "mse", "binary_cross_entropy", "categorical_cross_entropy")
BCE, CCE = "binary_cross_entropy", "categorical_cross_entropy"
HIDDEN_NAMES = "hgkm"  # the hidden layers' names, in order; the output layer is "o"
OUTPUTS = {BCE: (1, 3), CCE: (2, 3)}  # how many outputs (low, high) a loss gets; any other loss 1–3
# the cross-entropies need outputs in (0, 1): mostly their matching activation (δ = o − t), sometimes the other
# one (no cancellation: the general chain rule); a repeat weighs a choice, softmax only with 2 outputs or more
HEADS = {BCE: ("sigmoid", "sigmoid", "sigmoid", "softmax"), CCE: ("softmax", "softmax", "softmax", "sigmoid")}
TARGETS = {BCE: (1, 9), CCE: (0, 12)}  # the targets' range in tenths per loss; any other loss −1 … 1


def tenths(lo: int, hi: int) -> st.SearchStrategy[float]:
    """A short decimal written as a Python float (the spec reads 0.3 as exactly 3/10)."""
    return st.integers(lo, hi).map(lambda k: k / 10)


def dense_layer(draw: st.DrawFn, name: str, activation: str, li: int, prev: int, size: int, k: int,
                shared_bias: str | None = None) -> tuple[dict[str, Any], int]:
    """A layer spec with weights w{k+1}, … (one row per neuron) and a drawn bias: none, shared by the layer
    (`shared_bias` or b{li+1}) or one per neuron. Returns the layer and the last weight number used."""
    rows = []
    for _ in range(size):
        rows.append([f"w{k + c + 1}" for c in range(prev)])
        k += prev
    layer: dict[str, Any] = {"name": name, "activation": activation, "weights": rows}
    mode = draw(st.sampled_from(("none", "shared", "per_neuron")))
    if mode == "shared":
        layer["bias"] = shared_bias or f"b{li + 1}"
    elif mode == "per_neuron":
        layer["bias"] = [f"b{li + 1}_{r + 1}" for r in range(size)]
    return layer, k


def mixed_bias(draw: st.DrawFn, li: int, size: int) -> list[str | None]:
    """A bias list of a layer's own names, an earlier name of the list again and no bias (None)."""
    mixed: list[str | None] = []
    for r in range(size):
        choice = draw(st.sampled_from(("own", "repeat", "none")))
        earlier = [b for b in mixed if b is not None]
        mixed.append(f"b{li + 1}_{r + 1}" if choice == "own" or (choice == "repeat" and not earlier)
                     else earlier[0] if choice == "repeat" else None)
    return mixed


def layer_params(layer: Mapping[str, Any]) -> list[str]:
    """Every parameter name of a layer spec: its weights, then its bias(es) (a None in a bias list is none)."""
    biases = layer.get("bias") or []
    return [w for row in layer["weights"] for w in row] + (
        [biases] if isinstance(biases, str) else [b for b in biases if b is not None])


def tie_weights(draw: st.DrawFn, layers: list[dict[str, Any]], k: int) -> str | None:
    """Now and then, a later weight replaced by an earlier one (a weight shared across places); returns the
    name that disappeared."""
    if k > 1 and draw(st.integers(0, 4)) == 0:
        a, b = sorted(draw(st.lists(st.integers(1, k), min_size=2, max_size=2, unique=True)))
        for layer in layers:
            layer["weights"] = [[f"w{a}" if w == f"w{b}" else w for w in row] for row in layer["weights"]]
        return f"w{b}"
    return None


def probabilities(draw: st.DrawFn, n: int) -> list[float]:
    """n tenths that sum to exactly 1 (a probability vector)."""
    parts = draw(st.lists(st.integers(0, 10), min_size=n - 1, max_size=n - 1).filter(lambda p: sum(p) <= 10))
    return [p / 10 for p in parts] + [(10 - sum(parts)) / 10]


@st.composite
def network_specs(draw: st.DrawFn, *,
                  inputs: tuple[int, int] = (1, 4),
                  hidden: tuple[int, int] = (1, 4),
                  widths: tuple[int, int] = (1, 5),
                  activations: Sequence[str] = ELEMENTWISE,
                  losses: Sequence[str] = LOSSES,
                  outputs: Mapping[str, tuple[int, int]] = OUTPUTS,
                  heads: Mapping[str, Sequence[str]] = HEADS,
                  alphas: Sequence[float] = (0.01, 0.2, 0.5),
                  alpha_always: bool = False,
                  bias_across: int | None = 6,
                  mixed_biases: bool = False,
                  ties: tuple[int, int] = (1, 1),
                  targets: Mapping[str, tuple[int, int]] = TARGETS,
                  probability_targets: bool = True,
                  samples: tuple[int, int] = (1, 3),
                  learning_rates: Sequence[float] = (0.1, 0.5, 1, 0.05),
                  maybe_none_frozen: bool = True) -> dict[str, Any]:
    """A random dense network as a spec dict.

    inputs, hidden, widths, samples: (low, high) of the number of inputs, of hidden layers (up to 4), of each
        hidden layer's neurons and of samples.
    activations: the hidden layers' activations, and the output layer's under a loss without a `heads` entry
        (then softmax too where there are 2 outputs or more).
    losses: the losses drawn from (a repeat weighs one).
    outputs: per loss, (low, high) of the outputs (1–3 for a loss not named).
    heads: per loss, the output activations drawn from (softmax dropped where there is 1 output).
    alphas: leaky_relu's α; with `alpha_always` every leaky_relu layer gets one drawn, else half of them keep
        the default.
    bias_across: one bias name shared by every layer that has a shared bias, in 1 of `bias_across` specs
        (None: never).
    mixed_biases: a layer's bias is, 1 time in 4, a list mixing own names, a repeated name and None (no bias for
        that neuron; such a spec is built with `network`, the TOML reader has no null).
    ties: (low, high) of the times a weight may be tied to an earlier one (each time 1 chance in 5).
    targets: per loss, the targets' range in tenths (−10 … 10 for a loss not named); with
        `probability_targets` the categorical cross-entropy's targets are half the time a vector summing to 1.
    learning_rates: the learning rates drawn from.
    maybe_none_frozen: half the time no parameter is frozen; else (and always without it) up to 2 are.
    """
    n_in = draw(st.integers(*inputs))
    sizes = draw(st.lists(st.integers(*widths), min_size=hidden[0], max_size=hidden[1]))
    loss = draw(st.sampled_from(losses))
    n_out = draw(st.integers(*outputs.get(loss, (1, 3))))
    head = heads.get(loss, (*activations, "softmax"))
    out_act = draw(st.sampled_from([a for a in head if a != "softmax" or n_out >= 2]))
    acts = [draw(st.sampled_from(activations)) for _ in sizes] + [out_act]
    names = [*HIDDEN_NAMES[:len(sizes)], "o"]
    across = "bg" if bias_across is not None and draw(st.integers(0, bias_across - 1)) == 0 else None
    layers = []
    params: dict[str, float] = {}
    prev, k = n_in, 0
    for li, (name, size, act) in enumerate(zip(names, [*sizes, n_out], acts, strict=True)):
        layer, k = dense_layer(draw, name, act, li, prev, size, k, across)
        if mixed_biases and draw(st.integers(0, 3)) == 0:
            layer["bias"] = mixed_bias(draw, li, size)
        for p in layer_params(layer):
            if p not in params:
                params[p] = draw(tenths(-15, 15))
        if act == "leaky_relu" and (alpha_always or draw(st.booleans())):
            layer["alpha"] = draw(st.sampled_from(alphas))
        layers.append(layer)
        prev = size
    for _ in range(draw(st.integers(*ties))):
        tie_weights(draw, layers, k)
    # a weight tied away had its value drawn before the tie: the earlier weight's value stands
    present = {n for layer in layers for n in layer_params(layer)}
    params = {n: v for n, v in params.items() if n in present}

    def target_values() -> dict[str, float]:
        keys = [f"o{j + 1}" for j in range(n_out)]
        if loss == CCE and probability_targets and draw(st.booleans()):
            return dict(zip(keys, probabilities(draw, n_out), strict=True))
        return {key: draw(tenths(*targets.get(loss, (-10, 10)))) for key in keys}

    frozen = draw(st.lists(st.sampled_from(sorted(params)), unique=True, max_size=2)) \
        if not maybe_none_frozen or draw(st.booleans()) else []
    drawn = [{"inputs": {f"x{i + 1}": draw(tenths(-20, 20)) for i in range(n_in)}, "targets": target_values()}
             for _ in range(draw(st.integers(*samples)))]
    return {"learning_rate": draw(st.sampled_from(learning_rates)), "loss": loss,
            "batch_loss": draw(st.sampled_from(("sum", "mean"))), "samples": drawn, "layers": layers,
            "params": params, "frozen": frozen}


def network(data: dict[str, Any]) -> Network:
    """A network from a spec dict whose bias lists may hold None (no bias for that neuron). The TOML reader
    has no null, so such a layer is parsed without bias and its LayerSpec gets the list afterwards."""
    plain = copy.deepcopy(data)
    lists = {}
    for li, layer in enumerate(plain["layers"]):
        bias = layer.get("bias")
        if isinstance(bias, list) and None in bias:
            lists[li] = tuple(bias)
            del layer["bias"]
    spec = parse_spec(plain)
    if lists:
        spec = dataclasses.replace(spec, layers=tuple(dataclasses.replace(ls, bias=lists.get(li, ls.bias))
                                                      for li, ls in enumerate(spec.layers)))
    return Network(spec)
