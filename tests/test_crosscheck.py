"""An independent cross-check: the same networks built in PyTorch, whose autograd gradients must equal ours.

symbackprop.crosscheck rebuilds every network from its layer structure, parameter values and samples
(never from the SymPy graph's derivatives) and takes float64 autograd gradients; our exact gradients,
rounded to float, must agree to a relative 1e-9 (absolute 1e-12 for gradients near zero). Skipped, with
the reason, where PyTorch is not installed.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, SEED004
from strategies import BCE, CCE, network_specs
from symbackprop.activations import KINDS
from symbackprop.crosscheck import compare, torch_available, torch_gradients
from symbackprop.derive import derive
from symbackprop.errors import SpecError
from symbackprop.network import Network
from truth import KINKED

REASON = torch_available()
pytestmark = [pytest.mark.torch, pytest.mark.skipif(REASON is not None, reason=REASON or "")]

NUMERIC = [p for p in EXAMPLES if Network.load(p).is_numeric()]
SYMBOLIC = [p for p in EXAMPLES if p not in NUMERIC]
RTOL, ATOL = 1e-9, 1e-12

# every elementwise entry of the activation registry (with the aliases): one added there is cross-checked here (but
# the step function, which a spec refuses: no_gradient)
ELEMENTWISE = tuple(name for name, kind in KINDS.items()
                    if kind.elementwise and kind.torch is not None and kind.no_gradient is None) + tuple(
    alias for kind in KINDS.values() if kind.no_gradient is None for alias in kind.aliases)


def test_bundled_examples_are_split() -> None:
    assert NUMERIC and SYMBOLIC  # both kinds are bundled: the two tests below each have cases


@pytest.mark.parametrize("path", NUMERIC, ids=lambda p: p.name)
def test_bundled_example_agrees_with_pytorch(path: Path) -> None:
    check = compare(Network.load(path), rtol=RTOL, atol=ATOL)
    assert check.ok, str(check)
    assert check.max_rel_error <= RTOL
    assert len(check.rows) == len(Network.load(path).params)


@pytest.mark.parametrize("path", SYMBOLIC, ids=lambda p: p.name)
def test_symbolic_example_is_refused(path: Path) -> None:
    net = Network.load(path)
    with pytest.raises(SpecError, match="needs numbers and concrete activations"):
        torch_gradients(net)
    with pytest.raises(SpecError, match="needs numbers and concrete activations"):
        compare(net)


def test_abstract_activation_with_numbers_is_refused() -> None:
    data: dict[str, Any] = {"inputs": {"x1": 0.5}, "targets": {"o1": 0.2},
            "layers": [{"name": "h", "activation": "abstract", "function": "Phi", "weights": [["w1"]]},
                       {"name": "o", "activation": "sigmoid", "weights": [["w2"]]}],
            "params": {"w1": 0.3, "w2": -0.4}}
    with pytest.raises(SpecError, match="abstract activation Phi"):
        torch_gradients(Network.from_dict(data))


def test_frozen_parameters_still_get_their_gradient() -> None:
    net = Network.load(SEED004)
    assert {str(p) for p in net.frozen} == {"b1", "b2"}
    loss, grads = torch_gradients(net)
    assert set(grads) == {p.name for p in net.params}
    check = compare(net)
    assert check.ok, str(check)
    by_name = {r.name: r for r in check.rows}
    for b in ("b1", "b2"):
        assert grads[b] != 0.0
        assert by_name[b].ours == pytest.approx(grads[b], rel=1e-12)
    assert grads["b2"] == pytest.approx(0.10040032511200073, rel=1e-12)
    assert loss == pytest.approx(0.29837110876000272, rel=1e-12)


def test_a_shared_parameter_is_one_leaf_collecting_every_use() -> None:
    """A bias shared by a layer gets the sum of the gradients that separate biases of the same value get."""
    def spec(bias: Any) -> dict[str, Any]:
        return {"inputs": {"x1": 0.5, "x2": -0.3}, "targets": {"o1": 0.2, "o2": 0.7}, "loss": "half_sse",
                "layers": [{"name": "h", "activation": "tanh", "weights": [["w1", "w2"], ["w3", "w4"]], "bias": bias},
                           {"name": "o", "activation": "sigmoid", "weights": [["w5", "w6"], ["w7", "w8"]]}],
                "params": {"w1": 0.1, "w2": -0.2, "w3": 0.3, "w4": 0.4, "w5": -0.5, "w6": 0.6, "w7": 0.7,
                           "w8": -0.8, "b": 0.25, "c": 0.25}}
    shared_spec, separate_spec = spec("b"), spec(["b", "c"])
    del shared_spec["params"]["c"]
    shared_loss, shared = torch_gradients(Network.from_dict(shared_spec))
    separate_loss, separate = torch_gradients(Network.from_dict(separate_spec))
    assert shared_loss == separate_loss
    assert shared["b"] == pytest.approx(separate["b"] + separate["c"], rel=1e-14)
    assert separate["b"] != pytest.approx(separate["c"], rel=1e-3)  # the two uses really differ


def test_the_cross_check_can_fail() -> None:
    """A negative control: our derivation at a slightly different value is reported as a difference."""
    data: dict[str, Any] = {"inputs": {"x1": 0.5}, "targets": {"o1": 0.2}, "loss": "binary_cross_entropy",
            "layers": [{"name": "h", "activation": "softplus", "weights": [["w1"]], "bias": "b1"},
                       {"name": "o", "activation": "sigmoid", "weights": [["w2"]]}],
            "params": {"w1": 0.3, "b1": 0.1, "w2": -0.4}}
    net = Network.from_dict(data)
    assert compare(net).ok
    moved = Network.from_dict({**data, "params": {**data["params"], "w2": -0.4 + 1e-7}})
    check = compare(net, derive(moved))
    assert not check.ok
    assert 1e-9 < check.max_rel_error < 1e-5
    assert "differ" in check._repr_markdown_()


def test_markdown_table() -> None:
    check = compare(Network.load(SEED004))
    md = check._repr_markdown_()
    assert "| parameter | symbackprop | PyTorch | relative difference |" in md
    assert "| `w5` | 0.0821670405642308 |" in md
    # header, rule, loss, one row per parameter
    assert sum(line.startswith("|") for line in md.splitlines()) == 2 + 1 + len(check.rows)


def test_the_module_imports_without_torch() -> None:
    """torch is imported lazily: without it the module loads, says why, and a cross-check raises that reason."""
    code = ("import sys; sys.modules['torch'] = None\n"
            "from symbackprop.crosscheck import torch_available, torch_gradients\n"
            "from symbackprop.network import Network\n"
            "print(torch_available())\n"
            "try:\n"
            "    torch_gradients(Network.load('examples/seed004_mattmazur.toml'))\n"
            "except ModuleNotFoundError as exc:\n"
            "    print('raised', exc)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                         check=True).stdout
    assert out.startswith("PyTorch is not installed")
    assert "pip install 'symbackprop[torch]'" in out
    assert "\nraised PyTorch is not installed" in out


# --- random architectures -------------------------------------------------------------------------

def networks() -> st.SearchStrategy[dict[str, Any]]:
    """1–3 hidden layers of 1–4 neurons, every elementwise activation PyTorch has; half the time a squared
    loss, else a cross-entropy with its matching output (sigmoid, softmax); 1–3 samples."""
    return network_specs(inputs=(1, 3), hidden=(1, 3), widths=(1, 4), activations=ELEMENTWISE,
                         losses=("half_sse", "sse", "mse") * 2 + (BCE, CCE) * 3,
                         heads={BCE: ("sigmoid",), CCE: ("softmax",)}, bias_across=5,
                         targets={BCE: (0, 10), CCE: (0, 12)}, probability_targets=False,
                         learning_rates=(0.5,), maybe_none_frozen=False)


def value(v: Any) -> float:
    return math.nan if v is None else float(v)  # nan fails every comparison


@settings(max_examples=120, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(networks())
def test_random_architecture_agrees_with_pytorch(data: dict[str, Any]) -> None:
    net = Network.from_dict(data)
    d = derive(net, max_paths=0)  # the gradients only: no path sums
    # relu and leaky_relu have no derivative at 0: keep every such net input clear of it
    kinked = [n for layer in net.layers if layer.activation.name in KINKED for n in layer.nets]
    assume(all(1e-6 < abs(value(f.values[n])) for f in d.forward for n in kinked))
    if net.loss_name == "binary_cross_entropy":  # float64 1 − o keeps few digits for o within 1e-6 of 1
        assume(all(1e-6 < value(f.values[o]) < 1 - 1e-6 for f in d.forward for o in net.outputs))
    assume(d.loss is not None)
    check = compare(net, d, rtol=RTOL, atol=ATOL)
    assert check.ok, str(check)
    assert check.loss_rel_error <= RTOL


@pytest.mark.parametrize("update", ["online", "batch"])
def test_momentum_and_weight_decay_train_as_pytorchs_sgd(update: str) -> None:
    """[training] momentum = 0.9, weight_decay = 0.01 (the weights only): every update's parameters equal those of
    torch.optim.SGD(momentum=0.9) with weight_decay=0.01 on a parameter group of the weights and 0 on the biases,
    on the same 2-2-1 sigmoid network written here in PyTorch, one sample per update or the whole batch."""
    import torch

    from symbackprop.train import train

    data = {"learning_rate": 0.5, "loss": "half_sse", "inputs": ["x1", "x2"],
            "training": {"update": update, "momentum": 0.9, "weight_decay": 0.01},
            "layers": [{"name": "h", "activation": "sigmoid", "size": 2, "bias": ["b1", "b2"]},
                       {"name": "o", "activation": "sigmoid", "size": 1, "bias": "b3"}],
            "params": {"w1": 0.1, "w2": 0.2, "w3": -0.3, "w4": 0.4, "b1": 0.1, "b2": -0.1, "w5": 0.5, "w6": -0.6,
                       "b3": 0.2},
            "samples": [{"inputs": {"x1": 0.35, "x2": 0.9}, "targets": {"o1": 0.5}},
                        {"inputs": {"x1": 1, "x2": 0}, "targets": {"o1": 1}}]}
    run = train(Network.from_dict(data), epochs=4)
    p = data["params"]
    w_h = torch.tensor([[p["w1"], p["w2"]], [p["w3"], p["w4"]]], dtype=torch.float64, requires_grad=True)
    b_h = torch.tensor([p["b1"], p["b2"]], dtype=torch.float64, requires_grad=True)
    w_o = torch.tensor([[p["w5"], p["w6"]]], dtype=torch.float64, requires_grad=True)
    b_o = torch.tensor([p["b3"]], dtype=torch.float64, requires_grad=True)
    sgd = torch.optim.SGD([{"params": [w_h, w_o], "weight_decay": 0.01}, {"params": [b_h, b_o], "weight_decay": 0.0}],
                          lr=0.5, momentum=0.9)
    x = torch.tensor([[0.35, 0.9], [1.0, 0.0]], dtype=torch.float64)
    t = torch.tensor([[0.5], [1.0]], dtype=torch.float64)
    groups = [[0], [1]] if update == "online" else [[0, 1]]
    for k, ours in enumerate(run.updates):
        rows = groups[k % len(groups)]
        sgd.zero_grad()
        out = torch.sigmoid(torch.sigmoid(x[rows] @ w_h.T + b_h) @ w_o.T + b_o)
        (0.5 * ((t[rows] - out) ** 2).sum()).backward()
        sgd.step()
        theirs = [*w_h.detach().flatten().tolist(), *b_h.detach().tolist(), *w_o.detach().flatten().tolist(),
                  *b_o.detach().tolist()]
        names = ["w1", "w2", "w3", "w4", "b1", "b2", "w5", "w6", "b3"]
        assert [ours.params[n] for n in names] == pytest.approx(theirs, rel=1e-12, abs=1e-15), k


def test_a_sigmoid_with_gain_agrees_with_pytorch() -> None:
    net = Network.from_dict({
        "learning_rate": 0.5, "loss": "half_sse", "inputs": ["x1", "x2"],
        "layers": [{"name": "h", "activation": "bipolar_sigmoid", "gain": 2, "size": 2, "bias": "b1"},
                   {"name": "o", "activation": "sigmoid", "gain": 0.5, "size": 1}],
        "params": {"w1": 0.3, "w2": -0.8, "w3": 0.5, "w4": 0.2, "w5": 0.7, "w6": -0.4, "b1": 0.1},
        "samples": [{"inputs": {"x1": 0.9, "x2": -0.6}, "targets": {"o1": 0.25}}]})
    assert compare(net).ok
