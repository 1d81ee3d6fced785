"""render/json_out.py: the JSON of `derive` and `train`, a contract (README, "derive --format json" and "train --format
json": fields may be added, never removed) — the field names and types it promises, and values that are the true
ones: outputs from the spec's own forward pass, the loss and gradients from mpmath at 100 digits, the updates
one gradient step written here, formulas as LaTeX where a network is symbolic.

test_cli.py checks seed 004's JSON against the published numbers through the command line; here the functions
themselves, on a batch with frozen parameters, a symbolic network and a training run.
"""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

import mpmath
import pytest
import sympy as sp

from symbackprop import Network, derive
from symbackprop.render.json_out import derivation_json, training_json
from symbackprop.train import train
from truth import DPS, batch_loss, delta_finite_difference, finite_differences, mp_value, spec_forward

BATCH: dict[str, Any] = {  # tanh → softmax with cross-entropy, two samples, mean, a frozen bias
    "title": "batch", "learning_rate": 0.5, "loss": "cce", "batch_loss": "mean", "frozen": ["b2"],
    "samples": [{"inputs": {"x1": 0.5, "x2": -0.2}, "targets": {"y1": 1, "y2": 0}},
                {"inputs": {"x1": -0.4, "x2": 0.3}, "targets": {"y1": 0.25, "y2": 0.75}}],
    "layers": [{"name": "h", "activation": "tanh", "weights": [["w1", "w2"], ["w3", "w4"]], "bias": "b1"},
               {"name": "y", "activation": "softmax", "weights": [["w5", "w6"], ["w7", "w8"]], "bias": "b2"}],
    "params": {"w1": 0.3, "w2": -0.1, "w3": 0.2, "w4": 0.4, "b1": 0.1, "w5": 0.5, "w6": -0.3, "w7": 0.1, "w8": 0.2,
               "b2": -0.2},
}
ONE = {**{k: v for k, v in BATCH.items() if k != "samples"}, "batch_loss": "sum",
       "inputs": {"x1": 0.5, "x2": -0.2}, "targets": {"y1": 1, "y2": 0}}
SYMBOLIC = {"inputs": ["x1", "x2"], "frozen": ["b1"],
            "layers": [{"name": "h", "weights": [["w1", "w2"]], "bias": "b1"}, {"name": "o", "weights": [["w3"]]}]}


def softmax(nets: list[mpmath.mpf]) -> list[mpmath.mpf]:
    with mpmath.workdps(DPS):
        e = [mpmath.exp(z) for z in nets]
        return [v / mpmath.fsum(e) for v in e]


def close(a: Any, b: Any, rel: float = 1e-14) -> bool:
    return isinstance(a, float) and math.isclose(a, float(b), rel_tol=rel, abs_tol=1e-16)


def round_trip(data: dict[str, Any]) -> dict[str, Any]:
    """Plain JSON: no NaN or infinity, nothing that is not a str, number, bool, None, list or dict."""
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data
    return data


# --- derive ----------------------------------------------------------------------------------------------

def test_the_contract_fields_of_derive() -> None:
    data = round_trip(derivation_json(derive(Network.from_dict(BATCH))))
    for key in ("outputs", "loss", "gradients", "updated", "deltas", "forward", "formulas", "matrices",
                "loss_after"):
        assert key in data, key
    params = ["w1", "w2", "w3", "w4", "b1", "w5", "w6", "w7", "w8", "b2"]
    assert list(data["gradients"]) == list(data["updated"]) == list(data["formulas"]) == params
    assert set(data["outputs"]) == {"y1", "y2"} and set(data["deltas"]) == {"h1", "h2", "y1", "y2"}
    assert data["numeric"] is True and data["samples"] == 2 and data["title"] == "batch"
    assert data["frozen"] == ["b2"] and data["learning_rate"] == 0.5


def test_with_several_samples_outputs_are_lists_and_gradients_are_over_the_batch() -> None:
    net = Network.from_dict(BATCH)
    data = derivation_json(derive(net))
    forward = spec_forward(BATCH)
    for neuron, k in (("y1", 0), ("y2", 1)):
        values = data["outputs"][neuron]
        assert isinstance(values, list) and len(values) == 2
        for i, v in enumerate(values):
            assert close(v, softmax(forward[i][0][-1])[k]), (neuron, i)
    assert close(data["loss"], batch_loss(net))
    fd = finite_differences(net, digits=20)
    per_sample = [finite_differences(net, digits=20, sample=i) for i in range(2)]
    for p in net.params:
        name = p.name
        assert close(data["gradients"][name], fd[p], 1e-13), name
        # the batch is the mean: each sample's own gradient is listed too
        listed = data["formulas"][name]["gradient_per_sample"]
        assert [close(g, per_sample[i][p], 1e-13) for i, g in enumerate(listed)] == [True, True], name
    for neuron, values in data["deltas"].items():
        q = net.by_name(f"net_{neuron}")
        assert [close(v, delta_finite_difference(net, q, i, 20), 1e-13) for i, v in enumerate(values)] == [True, True]
    assert isinstance(data["forward"], list) and len(data["forward"]) == 2
    assert data["forward"][1]["x1"] == -0.4 and data["forward"][1]["t_y2"] == 0.75


def test_updates_are_one_gradient_step_and_frozen_parameters_stay() -> None:
    net = Network.from_dict(BATCH)
    data = derivation_json(derive(net))
    fd = finite_differences(net, digits=20)
    after = {}
    with mpmath.workdps(DPS):
        for p in net.params:
            value = mp_value(net.values[p])
            new = value if p.name == "b2" else value - mp_value(sp.Rational(1, 2)) * fd[p]
            after[p] = new
            assert close(data["updated"][p.name], new, 1e-13), p.name
    assert data["updated"]["b2"] == -0.2 and data["formulas"]["b2"]["frozen"] is True
    assert close(data["loss_after"], batch_loss(net, after), 1e-13)


def test_one_sample_gives_plain_values() -> None:
    net = Network.from_dict(ONE)
    data = round_trip(derivation_json(derive(net)))
    assert data["samples"] == 1
    assert all(isinstance(v, float) for v in data["outputs"].values())
    assert all(isinstance(v, float) for v in data["deltas"].values())
    assert isinstance(data["forward"], dict) and data["forward"]["x2"] == -0.2
    assert all(isinstance(v, float) for v in data["gradients"].values())


def test_formulas_list_every_chain_and_factor() -> None:
    """'paths' counts the paths from the error to the parameter; while they are at most max_paths, 'chain' lists
    each as its factors ∂of/∂wrt, whose values multiply to the path's share of the gradient."""
    net = Network.from_dict(ONE)
    data = derivation_json(derive(net))
    w5 = data["formulas"]["w5"]  # y1's net → y1, y2 (softmax) → E: 2 paths
    w1 = data["formulas"]["w1"]  # h1 → net_y1, net_y2 → y1, y2 each → E: 4 paths
    assert (w5["paths"], w1["paths"]) == (2, 4)
    assert (w5["kind"], w5["layer"], data["formulas"]["b1"]["kind"], data["formulas"]["b1"]["layer"]) == \
        ("weight", 2, "bias", 1)
    assert len(w1["chain"]) == 4
    total = 0.0
    for path in w1["chain"]:
        assert path[0]["of"] == "E" and path[-1]["wrt"] == "w1"
        assert all(a["wrt"] == b["of"] for a, b in itertools.pairwise(path))  # a chain, error to w1
        assert all(set(f) == {"of", "wrt", "latex", "expr", "value"} for f in path)
        total += math.prod(f["value"] for f in path)
    assert math.isclose(total, data["gradients"]["w1"], rel_tol=1e-12)
    assert w1["delta_form"] == r"\delta_{h1} x_{1}"
    # the matrix form's ∂E/∂W holds the gradients, row by row, and W the weights' values
    out = next(m for m in data["matrices"] if m["name"] == "y")
    names = [["w5", "w6"], ["w7", "w8"]]
    assert [[math.isclose(out["grad_W"][r][c], data["gradients"][names[r][c]], rel_tol=1e-12) for c in range(2)]
            for r in range(2)] == [[True, True], [True, True]]
    assert len(out["grad_b"]) == 1 and math.isclose(out["grad_b"][0][0], data["gradients"]["b2"], abs_tol=1e-15)


@pytest.mark.parametrize("spec", [ONE, SYMBOLIC], ids=["numeric", "symbolic"])
def test_a_matrix_names_its_weights(spec: dict[str, Any]) -> None:
    data = derivation_json(derive(Network.from_dict(spec)))
    first = data["matrices"][0]
    assert first["W_names"] == ([["w1", "w2"], ["w3", "w4"]] if spec is ONE else [["w1", "w2"]])


def test_a_symbolic_network_gives_latex_formulas() -> None:
    data = round_trip(derivation_json(derive(Network.from_dict(SYMBOLIC))))
    assert data["numeric"] is False and data["loss"] is not None and isinstance(data["loss"], str)
    assert data["learning_rate"] is None and data["loss_after"] is None
    for name, formula in data["gradients"].items():
        assert isinstance(formula, str) and formula, name
    assert data["updated"]["w1"] == r"w_{1} - \eta \frac{\partial E}{\partial w_{1}}"
    assert data["updated"]["b1"] == "b_{1}"  # frozen
    assert isinstance(data["outputs"]["o1"], str) and r"\mathit{net}_{o1}" in data["outputs"]["o1"]  # σ(net_o1)
    assert all(v is None for v in data["formulas"]["w1"]["gradient_per_sample"])


# --- train -------------------------------------------------------------------------------------------------

def test_the_contract_fields_of_train_and_their_values() -> None:
    net = Network.from_dict(BATCH)
    run = train(net, 3)
    data = round_trip(training_json(run))
    for key in ("losses", "params", "outputs", "steps", "epoch_losses", "layer_update", "rounding"):
        assert key in data, key
    assert data["layer_update"] == "simultaneous" and data["rounding"] is None
    assert len(data["losses"]) == 4 and len(data["steps"]) == 3
    assert close(data["losses"][0], batch_loss(net), 1e-13)
    first = data["steps"][0]
    assert set(first) >= {"samples", "loss", "gradients", "params"} and first["samples"] == [0, 1]
    assert first["loss"] == data["losses"][0]
    fd = finite_differences(net, digits=20)
    with mpmath.workdps(DPS):
        after = {p: mp_value(net.values[p]) - (0 if p.name == "b2" else fd[p] / 2) for p in net.params}
    for p in net.params:
        assert close(first["gradients"][p.name], fd[p], 1e-12), p.name
        assert close(first["params"][p.name], after[p], 1e-12), p.name
    assert close(data["losses"][1], batch_loss(net, after), 1e-12)
    assert data["params"] == data["steps"][-1]["params"] and data["params"]["b2"] == -0.2
    assert set(data["outputs"]) == {"y1", "y2"} and all(len(v) == 2 for v in data["outputs"].values())
    assert data["epoch_losses"] == data["losses"]  # one update an epoch


@pytest.mark.parametrize("training", [{"update": "online"}, {"update": "minibatch", "batch_size": 1}])
def test_train_steps_name_their_samples(training: dict[str, Any]) -> None:
    run = train(Network.from_dict({**BATCH, "training": training}), 4)
    data = round_trip(training_json(run))
    assert [s["samples"] for s in data["steps"]] == [[0], [1], [0], [1]]
    assert len(data["epoch_losses"]) == 3  # before each of the two passes and after the last
