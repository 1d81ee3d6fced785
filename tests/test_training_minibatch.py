"""[training] update = "minibatch": the bundled example (examples/training/minibatch_221.toml, minibatches of 2 over 4
samples, the mean batch loss) as derive shows it, every printed number of its two updates recomputed by a NumPy loop
written here (forward pass, δ's, per-sample gradients, each minibatch's mean gradient, the update), and the
numbers of the example's header against the same loop."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from conftest import ROOT
from symbackprop import derive
from symbackprop.network import Network
from symbackprop.render import derivation_json, derivation_text
from symbackprop.render.document import render

MINIBATCH = ROOT / "examples" / "training" / "minibatch_221.toml"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def sigmoid(z: float) -> float:
    return float(1 / (1 + np.exp(-z)))


def sample_pass(w: dict[str, float], x: tuple[float, float], t: float) -> dict[str, float]:
    """One sample of the 2-2-1 sigmoid network (no biases), E = ½(t − o)²: every quantity derive prints."""
    q: dict[str, float] = {}
    q["net_h1"] = w["w1"] * x[0] + w["w2"] * x[1]
    q["net_h2"] = w["w3"] * x[0] + w["w4"] * x[1]
    q["out_h1"], q["out_h2"] = sigmoid(q["net_h1"]), sigmoid(q["net_h2"])
    q["net_o"] = w["w5"] * q["out_h1"] + w["w6"] * q["out_h2"]
    q["out_o"] = sigmoid(q["net_o"])
    q["E"] = (t - q["out_o"]) ** 2 / 2
    q["δ_o"] = (q["out_o"] - t) * q["out_o"] * (1 - q["out_o"])
    q["δ_h1"] = q["δ_o"] * w["w5"] * q["out_h1"] * (1 - q["out_h1"])
    q["δ_h2"] = q["δ_o"] * w["w6"] * q["out_h2"] * (1 - q["out_h2"])
    inputs = {"w1": x[0], "w2": x[1], "w3": x[0], "w4": x[1], "w5": q["out_h1"], "w6": q["out_h2"]}
    deltas = {"w1": "δ_h1", "w2": "δ_h1", "w3": "δ_h2", "w4": "δ_h2", "w5": "δ_o", "w6": "δ_o"}
    for p in inputs:
        q[f"g_{p}"] = q[deltas[p]] * inputs[p]
    return q


def numpy_run(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Minibatches of batch_size in order, each on the mean of its samples' losses: per update the parameters
    before, each sample's pass, the mean gradient, the parameters after, the mean loss over all samples after."""
    w = {k: float(v) for k, v in data["params"].items()}
    samples = [((s["inputs"]["x1"], s["inputs"]["x2"]), s["targets"]["o"]) for s in data["samples"]]
    size, eta = data["training"]["batch_size"], data["learning_rate"]
    updates = []
    for start in range(0, len(samples), size):
        batch = list(range(start, start + size))
        passes = {i: sample_pass(w, *samples[i]) for i in batch}
        grad = {p: float(np.mean([passes[i][f"g_{p}"] for i in batch])) for p in w}
        after = {p: w[p] - eta * grad[p] for p in w}
        loss = float(np.mean([sample_pass(after, *s)["E"] for s in samples]))
        updates.append({"before": w, "samples": batch, "passes": passes, "grad": grad, "after": after, "loss": loss})
        w = after
    return updates


def close(printed: str, value: float) -> bool:
    """The printed number is `value` rounded to its printed digits (half a unit in the last digit, and a float's
    last bits)."""
    x = Fraction(Decimal(printed))
    mantissa, _, exponent = printed.lstrip("-").partition("e")
    places = len(mantissa.partition(".")[2]) - int(exponent or 0)
    return abs(x - Fraction(value)) <= Fraction(1, 2 * 10 ** places) * Fraction(1_000_001, 1_000_000) + Fraction(
        1, 10 ** 14)


def equations(text: str) -> list[tuple[str | None, str, list[str]]]:
    """The per-update part's equations: (the sample they are of, or None, the left side, every right-side line)."""
    found: list[tuple[str | None, str, list[str]]] = []
    sample = None
    for line in text.splitlines():
        if m := re.match(r"^(?:Forward pass|Error terms|Gradients).*\(sample (\d+) of", line):
            sample = m.group(1)
        elif m := re.match(r"^Update \d+ of", line):
            sample = None
        elif m := re.match(r"^  (\S+) = (.*)$", line):
            found.append((sample, m.group(1), [m.group(2)]))
        elif (m := re.match(r"^\s+[=≈] (.*)$", line)) and found:
            found[-1][2].append(m.group(1))
    return found


def test_every_number_of_the_two_minibatch_updates_is_the_numpy_loop_s() -> None:
    data = tomllib.loads(MINIBATCH.read_text(encoding="utf-8"))
    updates = numpy_run(data)
    text = derivation_text(derive(Network.load(MINIBATCH)))
    part = text[text.index("updates, as [training] says"):]
    assert "minibatches of 2 samples" in part
    sections = re.split(r"\nUpdate (\d+) of 2: ", part)[1:]
    assert [sections[0], sections[2]] == ["1", "2"]
    checked = 0
    for k, body in ((0, sections[1]), (1, sections[3])):
        u = updates[k]
        assert body.startswith(f"samples {2 * k + 1} to {2 * k + 2} of 4")
        for sample, lhs, rhs in equations(body):
            result = NUMBER.findall(rhs[-1])
            if lhs.endswith("⁺"):  # w⁺ = w − η·∂E/∂w: the numbers are w before, η, the minibatch's gradient
                p = lhs[:-1]
                assert [close(x, v) for x, v in zip(NUMBER.findall(rhs[1]), (u["before"][p], 1, u["grad"][p]),
                                                    strict=True)] == [True] * 3, (lhs, rhs)
                assert close(result[0], u["after"][p]), (lhs, rhs)
            elif m := re.fullmatch(r"∂E/∂(w\d)", lhs):  # the minibatch's gradient: ½ (its samples' gradients)
                p = m.group(1)
                assert rhs[0] == f"1/2 · (∂E^({2 * k + 1})/∂{p} + ∂E^({2 * k + 2})/∂{p})", rhs
                operands = NUMBER.findall(rhs[1])
                assert operands[:2] == ["1", "2"]
                assert all(close(x, u["passes"][i][f"g_{p}"]) for x, i in zip(operands[2:], u["samples"],
                                                                              strict=True)), rhs
                assert close(result[0], u["grad"][p]), (lhs, rhs)
            else:  # a sample's quantity (update 2 only: update 1's passes are the derivation's, above)
                assert sample is not None and k == 1, (lhs, rhs)
                q = u["passes"][int(sample) - 1]
                name = re.sub(r"^E\^\(\d\)$", "E", lhs)
                name = re.sub(r"^∂E\^\(\d\)/∂(w\d)$", r"g_\1", name)
                assert close(result[-1], q[name]), (lhs, rhs)
            checked += 1
        loss = re.search(rf"after update {k + 1}: E = (\S+)", body)
        assert loss and close(loss.group(1), u["loss"])
    assert checked == 2 * 12 + 2 * (7 + 3 + 6)  # per update 6 gradients, 6 updates; update 2: 2 samples of 16


def test_the_header_s_numbers_are_the_loop_s() -> None:
    data = tomllib.loads(MINIBATCH.read_text(encoding="utf-8"))
    updates = numpy_run(data)
    header = MINIBATCH.read_text(encoding="utf-8").split("\ntitle")[0]
    for k, u in enumerate(updates):
        line = re.search(rf"Update {k + 1} \(samples.*?\n(?:.*∂E.*\n)?#\s+(w1 = .*)", header)
        assert line, header
        printed = dict(re.findall(r"(w\d) = (-?\d\.\d+)", line.group(1)))
        assert printed.keys() == u["after"].keys()
        assert all(close(v, u["after"][p]) for p, v in printed.items()), (printed, u["after"])
    losses = NUMBER.findall(re.search(r"all four samples: (.*)", header).group(1))  # type: ignore[union-attr]
    start = float(np.mean([sample_pass({k: float(v) for k, v in data["params"].items()},
                                       (s["inputs"]["x1"], s["inputs"]["x2"]), s["targets"]["o"])["E"]
                           for s in data["samples"]]))
    assert [close(x, v) for x, v in zip([losses[0], losses[1], losses[3]], (start, *[u["loss"] for u in updates]),
                                        strict=True)] == [True] * 3


def test_json_and_the_lecture_show_both_minibatch_gradients() -> None:
    """derive's JSON lists the two updates with train's numbers; the LaTeX lecture writes each minibatch's gradient
    as ½ of its two samples' gradients before the update lines."""
    data = tomllib.loads(MINIBATCH.read_text(encoding="utf-8"))
    updates = numpy_run(data)
    d = derive(Network.load(MINIBATCH))
    shown = derivation_json(d)["training_updates"]
    assert shown["update"] == "minibatch" and shown["batch_size"] == 2
    assert [u["samples"] for u in shown["updates"]] == [[0, 1], [2, 3]]
    for u, expected in zip(shown["updates"], updates, strict=True):
        assert all(abs(u["gradients"][p] - v) < 1e-12 for p, v in expected["grad"].items())
        assert all(abs(u["params"][p] - v) < 1e-12 for p, v in expected["after"].items())
    tex = render(d, "article", "en")
    for k in (1, 3):
        assert rf"\frac{{1}}{{2}} \cdot \left(\frac{{\partial {{E}}^{{({k})}}}}{{\partial w_{{1}}}}" in tex
