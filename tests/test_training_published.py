"""The bundled training examples with published numbers (examples/training/), each reproduced to the digits its
source prints, and each convention they use checked against a loop written here (NumPy) and against PyTorch's
torch.optim.SGD (momentum, weight_decay) where PyTorch is installed.

Han & Kamber's Example 9.1 (one tuple, and two tuples online), a momentum run on it, a weight-decay step; the
header comment of each example states its source and the numbers asserted here.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conftest import ROOT
from symbackprop.derive import derive
from symbackprop.network import Network
from symbackprop.train import train

TRAINING = ROOT / "examples" / "training"
HK = TRAINING / "han_kamber_9_1.toml"
HK_ONLINE = TRAINING / "han_kamber_9_1_online.toml"
MOMENTUM = TRAINING / "momentum_hk.toml"
DECAY = TRAINING / "weight_decay_linear.toml"


def header(path: Path) -> str:
    """The comment lines' words, one space apart."""
    return " ".join("".join(line[1:] for line in path.read_text(encoding="utf-8").splitlines()
                            if line.startswith("#")).split())


def load(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def samples(data: dict[str, Any]) -> list[tuple[np.ndarray, float]]:
    rows = data.get("samples") or [{"inputs": data["inputs"], "targets": data["targets"]}]
    return [(np.array([s["inputs"][f"x{i}"] for i in (1, 2, 3)], dtype=float), float(s["targets"]["O6"]))
            for s in rows]


# --- Han & Kamber's network, written out here -----------------------------------------------------------------------

def sig(z: Any) -> Any:
    return 1 / (1 + np.exp(-z))


def hk_forward(p: dict[str, float], x: np.ndarray) -> dict[str, float]:
    """The book's forward pass: I_j = Σ w_ij O_i + θ_j, O_j = σ(I_j)."""
    i4 = p["w14"] * x[0] + p["w24"] * x[1] + p["w34"] * x[2] + p["theta4"]
    i5 = p["w15"] * x[0] + p["w25"] * x[1] + p["w35"] * x[2] + p["theta5"]
    o4, o5 = sig(i4), sig(i5)
    i6 = p["w46"] * o4 + p["w56"] * o5 + p["theta6"]
    return {"I4": i4, "I5": i5, "I6": i6, "O4": o4, "O5": o5, "O6": sig(i6)}


def hk_steps(p: dict[str, float], tuples: list[tuple[np.ndarray, float]], steps: int, eta: float,
             momentum: float = 0.0) -> list[tuple[dict[str, float], dict[str, float]]]:
    """The book's algorithm (Figure 9.3), case updating: per tuple its Err's (Err_j = O_j(1 − O_j)(T − O_j) at the
    output, O_j(1 − O_j) Σ_k Err_k w_jk below, with the weights before the update), Δw_ij = l Err_j O_i, Δθ_j =
    l Err_j, plus μ times the previous change. Returns, per update, (its forward pass and Err's, the new values)."""
    p = dict(p)
    change = dict.fromkeys(p, 0.0)
    out = []
    for k in range(steps):
        x, t = tuples[k % len(tuples)]
        f = hk_forward(p, x)
        err6 = f["O6"] * (1 - f["O6"]) * (t - f["O6"])
        err4 = f["O4"] * (1 - f["O4"]) * err6 * p["w46"]
        err5 = f["O5"] * (1 - f["O5"]) * err6 * p["w56"]
        raw = {"w46": err6 * f["O4"], "w56": err6 * f["O5"], "theta6": err6, "theta4": err4, "theta5": err5,
               **{f"w{i}4": err4 * x[i - 1] for i in (1, 2, 3)}, **{f"w{i}5": err5 * x[i - 1] for i in (1, 2, 3)}}
        change = {n: eta * raw[n] + momentum * change[n] for n in p}
        p = {n: p[n] + change[n] for n in p}
        out.append(({**f, "Err4": err4, "Err5": err5, "Err6": err6}, p))
    return out


def shown(value: float, text: str) -> bool:
    """value printed with as many decimals as text has (0.4 → 1)."""
    places = len(text.split(".")[1]) if "." in text else 0
    return f"{value:.{places}f}" == text


# --- Example 9.1 ----------------------------------------------------------------------------------------------------

HK_PUBLISHED = {"I4": "-0.7", "I5": "0.1", "I6": "-0.105", "O4": "0.332", "O5": "0.525", "O6": "0.474",
                "Err5": "-0.0065", "Err4": "-0.0087", "w46": "-0.261", "w56": "-0.138", "w14": "0.192",
                "w15": "-0.306", "w24": "0.4", "w25": "0.1", "w34": "-0.508", "w35": "0.194", "θ6": "0.218",
                "θ5": "0.194", "θ4": "-0.408"}


def test_example_9_1_published_numbers_are_the_books_algorithm() -> None:
    """The book's own algorithm, run here in NumPy, gives every published number at the digits printed, except Err6
    (0.1312 at full precision; 0.1311 from O6 rounded to 0.474 first, as the header says)."""
    data = load(HK)
    (first, values), = hk_steps(data["params"], samples(data), 1, data["learning_rate"])
    ours = {**first, **{n.replace("theta", "θ"): v for n, v in values.items()}}
    for name, text in HK_PUBLISHED.items():
        assert shown(ours[name], text), (name, ours[name], text)
    assert shown(first["Err6"], "0.1312") and shown(0.474 * 0.526 * 0.526, "0.1311")
    text = header(HK)
    for name, value in HK_PUBLISHED.items():
        assert re.search(rf"{name} = {re.escape(value)}\b", text), name
    assert "Err6 = 0.1311" in text and "Err6 = 0.131169" in text and f"{first['Err6']:.6f}" == "0.131169"


def test_example_9_1_derive_and_train_reproduce_it() -> None:
    """derive (exact) and train (one step) on the example: the same net inputs, outputs, δ = −Err and new values."""
    data = load(HK)
    (first, values), = hk_steps(data["params"], samples(data), 1, data["learning_rate"])
    net = Network.load(HK)
    d = derive(net)
    forward = {net.quantities[s].name: float(v) for s, v in d.forward[0].values.items()}
    for j in (4, 5, 6):
        assert forward[f"net_O{j}"] == pytest.approx(first[f"I{j}"], abs=1e-15)
        assert forward[f"O{j}"] == pytest.approx(first[f"O{j}"], abs=1e-15)
        assert -float(d.delta(f"O{j}").values[0]) == pytest.approx(first[f"Err{j}"], abs=1e-15)
    run = train(net, 1)
    for p in d.params:
        assert float(p.updated) == pytest.approx(values[p.name], abs=1e-15)
        assert run.params[p.name] == pytest.approx(values[p.name], abs=1e-15)
        assert shown(run.params[p.name], HK_PUBLISHED[p.name.replace("theta", "θ")])


def test_example_9_1_online_two_tuples() -> None:
    """update = "online": update 1 is the book's (its published values), update 2 the chosen second tuple with the
    weights update 1 left, as the NumPy loop (case updating) gives it; the header prints that loop's numbers."""
    data = load(HK_ONLINE)
    loop = hk_steps(data["params"], samples(data), 2, data["learning_rate"])
    run = train(Network.load(HK_ONLINE), epochs=1)
    assert run.steps == 2 and [u.samples for u in run.updates] == [[0], [1]]
    for k, (_, values) in enumerate(loop):
        for name, value in values.items():
            assert run.updates[k].params[name] == pytest.approx(value, abs=1e-14), (k, name)
    for name in loop[0][1]:
        assert shown(run.updates[0].params[name], HK_PUBLISHED[name.replace("theta", "θ")])
    second, after = loop[1]
    text = header(HK_ONLINE)
    for name in ("O4", "O5", "O6"):
        assert f"{name} = {second[name]:.4f}" in text, name
    for name, value in after.items():
        assert f"{name.replace('theta', 'θ')} = {value:.4f}" in text, name
    assert "NOT from the book" in text and "computed, not published" in text
    # batch training of the same two tuples is a different run: online is what the header describes
    batch = train(Network.from_dict({**data, "training": {}}), 1)
    assert batch.params["w24"] != pytest.approx(after["w24"], abs=1e-4)


# --- momentum -------------------------------------------------------------------------------------------------------

MOMENTUM_ORDER = ("w46", "w56", "theta6", "w14", "w34", "theta4", "w15", "w35", "theta5")


def test_momentum_example_follows_the_momentum_loop() -> None:
    """Three updates with μ = 0.9: the NumPy loop's Δw(t) = l·Err·O + μ Δw(t − 1) at every update, and the header's
    table (4 decimals) with the loss after each update computed here."""
    data = load(MOMENTUM)
    mu = data["training"]["momentum"]
    loop = hk_steps(data["params"], samples(data), 3, data["learning_rate"], momentum=mu)
    run = train(Network.load(MOMENTUM), 3)
    text = header(MOMENTUM)
    x, t = samples(data)[0]
    for k, (_, values) in enumerate(loop, 1):
        for name, value in values.items():
            assert run.history[name][k] == pytest.approx(value, abs=1e-14), (k, name)
        loss = (t - hk_forward(values, x)["O6"]) ** 2 / 2
        assert run.losses[k] == pytest.approx(loss, abs=1e-15)
        row = f"{k} " + " ".join(f"{values[n]:.4f}" for n in MOMENTUM_ORDER) + f" {loss:.4f}"
        assert row in text, row
    assert "COMPUTED, not published" in text
    plain = hk_steps(data["params"], samples(data), 3, data["learning_rate"])
    assert loop[0][1] == plain[0][1] and loop[2][1]["w46"] != pytest.approx(plain[2][1]["w46"], abs=1e-3)


# --- weight decay ---------------------------------------------------------------------------------------------------

def test_weight_decay_example_reproduces_its_published_step() -> None:
    """The source's θ − η(∇L + λθ) = 0.989 and 1.978 from gradients 0.1 and 0.2: the spec's linear unit has exactly
    those gradients (computed here), and one step with weight_decay = 0.01 gives the published values."""
    data = load(DECAY)
    x = np.array([data["inputs"]["x1"], data["inputs"]["x2"]])
    w = np.array([data["params"]["w1"], data["params"]["w2"]])
    grad = (w @ x - data["targets"]["o1"]) * x
    assert np.allclose(grad, [0.1, 0.2], rtol=0, atol=1e-12)
    lam, eta = data["training"]["weight_decay"], data["learning_rate"]
    expected = w - eta * (grad + lam * w)
    run = train(Network.load(DECAY), 1)
    published = {"w1": "0.989", "w2": "1.978"}
    for (name, text), value in zip(published.items(), expected, strict=True):
        assert shown(value, text) and shown(run.params[name], text), name
        assert run.params[name] == pytest.approx(value, abs=1e-15)
        assert run.updates[0].gradients[name] == pytest.approx(grad[int(name[1]) - 1] + lam * w[int(name[1]) - 1])
    assert "0.989" in header(DECAY) and "1.978" in header(DECAY)
    # the loss train reports carries λ/2 Σ w²
    assert run.losses[0] == pytest.approx(0.5 * (w @ x - data["targets"]["o1"]) ** 2 + lam / 2 * float(w @ w))


# --- PyTorch's SGD --------------------------------------------------------------------------------------------------

@pytest.mark.torch
@pytest.mark.parametrize("example", [MOMENTUM, DECAY, HK_ONLINE], ids=lambda p: p.stem)
def test_the_examples_train_as_torch_sgd_does(example: Path) -> None:
    """Each example's run equals torch.optim.SGD(lr, momentum, weight_decay) stepping a model written here in
    PyTorch (one step per update, on the update's samples), parameter by parameter, for five updates."""
    torch = pytest.importorskip("torch")
    data = load(example)
    options = data.get("training", {})
    net = Network.load(example)
    leaves = {p.name: torch.tensor(float(net.values[p]), dtype=torch.float64, requires_grad=True) for p in net.params}

    def model(x: Any) -> Any:
        out = x
        for layer in data["layers"]:
            w = torch.stack([torch.stack([leaves[n] for n in row]) for row in layer["weights"]])
            z = out @ w.T
            bias = layer.get("bias")
            if bias is not None:
                names = [bias] * w.shape[0] if isinstance(bias, str) else bias
                z = z + torch.stack([leaves[n] for n in names])
            out = torch.sigmoid(z) if layer.get("activation", "sigmoid") == "sigmoid" else z
        return out

    rows = data.get("samples") or [{"inputs": data["inputs"], "targets": data["targets"]}]
    xs = torch.tensor([list(s["inputs"].values()) for s in rows], dtype=torch.float64)
    ts = torch.tensor([list(s["targets"].values()) for s in rows], dtype=torch.float64)
    sgd = torch.optim.SGD(list(leaves.values()), lr=data["learning_rate"], momentum=options.get("momentum", 0),
                          weight_decay=options.get("weight_decay", 0))
    run = train(net, 5)
    for k in range(5):
        cols = run.updates[k].samples
        sgd.zero_grad()
        (0.5 * ((model(xs[cols]) - ts[cols]) ** 2).sum()).backward()
        sgd.step()
        for name, leaf in leaves.items():
            assert run.history[name][k + 1] == pytest.approx(leaf.item(), abs=1e-12), (k, name)


# --- the JSON of train: the library's and the command line's ---------------------------------------------------------

@pytest.mark.parametrize("example", [MOMENTUM, TRAINING / "sequential_221.toml", TRAINING / "rounded_221.toml"],
                         ids=lambda p: p.stem)
def test_train_json_of_the_library_is_the_command_lines(example: Path, run_cli: Any) -> None:
    """training_json (the Python API) with the conventions' fields is, dumped as the command line dumps it, the
    command line's output byte for byte."""
    from symbackprop.render import training_json

    cli = run_cli("train", example, "--steps", "3", "--format", "json", check=True).stdout
    library = json.dumps(training_json(train(Network.load(example), 3)), indent=2) + "\n"
    assert library == cli
    data = json.loads(cli)
    assert {"layer_update", "rounding", "steps", "epoch_losses"} <= set(data)
