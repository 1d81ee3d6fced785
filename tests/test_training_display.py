"""derive and render show the [training] convention: the first epoch's updates as the textbooks print them.

Every number of the new part is checked against train() (itself checked against NumPy and PyTorch in
test_training_published.py and test_training_conventions.py) and against arithmetic done here: the update line's
numbers are parsed from the text and w − η(g + λw) + μΔw_prev recomputed in exact fractions; an online update's
forward pass and a sequential update's hidden δ's are recomputed with NumPy loops written here.
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conftest import ROOT
from symbackprop import derive
from symbackprop.network import Network
from symbackprop.notation import Notation
from symbackprop.render import derivation_json, derivation_text
from symbackprop.render.lecture import lecture
from symbackprop.train import Training, train

TRAINING = ROOT / "examples" / "training"
ONLINE = TRAINING / "han_kamber_9_1_online.toml"
MOMENTUM = TRAINING / "momentum_hk.toml"
DECAY = TRAINING / "weight_decay_linear.toml"
SEQUENTIAL = TRAINING / "sequential_221.toml"
SHOWN = [ONLINE, MOMENTUM, DECAY, SEQUENTIAL]
ANCHOR = "updates, as [training] says"  # the heading of the per-update part (derive, text)
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def numbers(line: str) -> list[Fraction]:
    return [Fraction(Decimal(x)) for x in NUMBER.findall(line)]


def half_unit(text: str) -> Fraction:
    """Half a unit in the last printed digit of a number as printed (its rounding error at most)."""
    mantissa, _, exponent = text.lstrip("(-").rstrip(")").partition("e")
    places = len(mantissa.partition(".")[2]) - int(exponent or 0)
    return Fraction(1, 2 * 10 ** places) if places >= 0 else Fraction(10 ** -places, 2)


def close(printed: str, value: float) -> bool:
    """The printed number is `value` rounded to its digits (a float's last bits aside)."""
    (x,) = numbers(printed)
    return abs(x - Fraction(value)) <= half_unit(printed) * (1 + Fraction(1, 10 ** 6)) + Fraction(1, 10 ** 14)


def update_lines(text: str) -> list[tuple[str, str, str, str, str]]:
    """Every update line of the per-update part: (parameter, symbolic rule, numbers, relation, result)."""
    part = text[text.index(ANCHOR):]
    lines = part.splitlines()
    found = []
    for k, line in enumerate(lines):
        m = re.match(r"^\s+(\S+)⁺ = (.*)$", line)
        if m and k + 2 < len(lines) and "η" in m.group(2):
            rel, result = re.match(r"^\s+([=≈]) (.*)$", lines[k + 2]).groups()  # type: ignore[union-attr]
            found.append((m.group(1), m.group(2), lines[k + 1].split("= ", 1)[1], rel, result))
    return found


def sections(text: str) -> list[str]:
    part = text[text.index(ANCHOR):]
    return re.split(r"\nUpdate \d+ of \d+: ", part)[1:]


def run(spec: Path) -> tuple[Network, Training, str]:
    net = Network.load(spec)
    d = derive(net)
    return net, train(net, len(sections(derivation_text(d)))), derivation_text(d)


@pytest.mark.parametrize("spec", SHOWN, ids=lambda p: p.stem)
def test_every_update_line_is_right_arithmetic_and_is_train_s(spec: Path) -> None:
    """w⁺ = w − η(∂E/∂w + λw) + μΔw_prev: its numbers as printed give its result (recomputed in fractions, within
    the printed digits), and each number is train()'s: w before the update, ∂E/∂w (train's gradient less λw),
    Δw_prev (the change the update before made, 0 at the first), w⁺ after it."""
    net, t, text = run(spec)
    options = net.spec.training
    eta = Fraction(str(net.values[net.learning_rate]))
    mu, lam = Fraction(str(options.momentum)), Fraction(str(options.weight_decay))
    parts = sections(text)
    assert len(parts) == len(t.updates) >= 1
    for k, (part, u) in enumerate(zip(parts, t.updates, strict=True)):
        lines = update_lines(ANCHOR + "\n" + part)
        printed_names = {Notation(net).text_names[p]: p.name for p in net.params}
        assert sorted(printed_names[name] for name, *_ in lines) == sorted(p.name for p in net.params)
        for printed_name, rule, shown, rel, result in lines:
            name = printed_names[printed_name]
            rule_has = ("λ" in rule, "μ" in rule)
            assert rule_has == (bool(lam), bool(mu)), rule
            tokens = NUMBER.findall(shown)
            values = [Fraction(Decimal(x)) for x in tokens]
            w, eta_p, g = values[:3]
            rest = values[3:]
            decay = Fraction(0)
            if lam:
                assert rest[0] == lam and rest[1] == w
                decay, rest = lam * w, rest[2:]
            prev = Fraction(0)
            if mu:
                assert rest[0] == mu
                prev, rest = rest[1], rest[2:]
            assert not rest
            assert eta_p == eta
            lam_w = float(lam) * t.history[name][k]
            assert close(tokens[0], t.history[name][k])
            assert close(tokens[2], u.gradients[name] - lam_w), (name, tokens[2], u.gradients[name] - lam_w)
            if mu:
                assert close(tokens[-1], t.history[name][k] - t.history[name][k - 1] if k else 0.0)
                if k == 0:
                    assert prev == 0
            assert close(result, u.params[name])
            # the printed numbers give the printed result, to the rounding of what was printed
            recomputed = w - eta_p * (g + decay) + mu * prev
            (printed,) = numbers(result)
            if rel == "=":  # "=": the printed numbers, multiplied out, round to the printed result
                assert abs(recomputed - printed) <= half_unit(result), (name, shown, result)
            else:  # "≈": they differ by no more than the rounding of what was printed
                scale = max(1, abs(eta_p), abs(g) + abs(decay), abs(w), abs(prev))
                slack = half_unit(result) + scale * sum((half_unit(x) for x in tokens), Fraction(0))
                assert abs(recomputed - printed) <= slack, (name, shown, result)


def test_online_update_2_uses_the_weights_after_update_1() -> None:
    """Han & Kamber online: update 2's forward pass runs on sample 2 with train()'s weights after update 1, as a
    NumPy forward pass written here computes it (the values in the example's header: O4 = 0.3739, O5 = 0.6197,
    O6 = 0.5088), and its printed gradients are sample 2's."""
    net, t, text = run(ONLINE)
    part = sections(text)[1]
    assert "sample 2 of 2" in part.splitlines()[0] and "after update 1" in part
    p = {n: t.history[n][1] for n in t.history}
    x = np.array([0.0, 1.0, 1.0])
    w_h = np.array([[p["w14"], p["w24"], p["w34"]], [p["w15"], p["w25"], p["w35"]]])
    h = 1 / (1 + np.exp(-(w_h @ x + np.array([p["theta4"], p["theta5"]]))))
    o = 1 / (1 + np.exp(-(p["w46"] * h[0] + p["w56"] * h[1] + p["theta6"])))
    assert [round(v, 4) for v in (*h, o)] == [0.3739, 0.6197, 0.5088]
    for name, value in (("out_O4", h[0]), ("out_O5", h[1]), ("out_O6", o)):
        block = part[part.index(f"  {name} = "):].splitlines()
        assert close(re.split(r"[=≈] ", block[2], maxsplit=1)[1], float(value)), name
    delta_o = (o - 0) * o * (1 - o)
    grads = {"w46": delta_o * h[0], "w56": delta_o * h[1], "theta6": delta_o,
             "w24": delta_o * p["w46"] * h[0] * (1 - h[0]), "w14": 0.0}
    for name, g in grads.items():
        assert np.isclose(t.updates[1].gradients[name], g, rtol=1e-12, atol=1e-15)
        printed = Notation(net).text_names[next(q for q in net.params if q.name == name)]
        block = part[part.index(f"  ∂E^(2)/∂{printed} = "):].splitlines()
        result = next(line for line in block[1:] if re.fullmatch(r"\s+[=≈] -?[\d.e-]+", line))
        assert close(re.split(r"[=≈] ", result, maxsplit=1)[1], g), name


def test_sequential_shows_the_hidden_deltas_through_the_updated_weights_and_the_gap() -> None:
    """sequential_221: δ_h = δ_o · w⁺ · h(1 − h) with the output weights as updated (a NumPy computation here), the
    gradients δ_h · x equal to what train() updated with, both next to the true gradients, and the gap train
    reports."""
    _, t, text = run(SEQUENTIAL)
    u = t.updates[0]
    x = np.array([0.35, 0.9])
    w_h = np.array([[0.1, 0.8], [0.4, 0.6]])
    h = 1 / (1 + np.exp(-(w_h @ x)))
    o = 1 / (1 + np.exp(-(np.array([0.3, 0.9]) @ h)))
    delta_o = (o - 0.5) * o * (1 - o)
    w_new = np.array([0.3, 0.9]) - delta_o * h
    assert np.allclose([u.params["w5"], u.params["w6"]], w_new, rtol=1e-13)
    delta_h = delta_o * w_new * h * (1 - h)
    for k, name in enumerate(("h1", "h2")):
        line = next(line for line in text.splitlines() if line.startswith(f"  δ_{name} = δ_o1 · w{5 + k}⁺"))
        block = text[text.index(line):].splitlines()
        assert close(re.split(r"[=≈] ", block[2], maxsplit=1)[1], delta_h[k])
    used = {"w1": delta_h[0] * x[0], "w2": delta_h[0] * x[1], "w3": delta_h[1] * x[0], "w4": delta_h[1] * x[1]}
    for name, g in used.items():
        assert np.isclose(u.gradients[name], g, rtol=1e-12)
        (row,) = [line for line in text.splitlines() if line.startswith(f"  ∂E/∂{name}: used ")]
        shown_used, shown_true = re.findall(r"(?:used|gradient) (\S+)", row)
        assert close(shown_used.rstrip(","), g)
        assert u.true_gradients is not None and close(shown_true, u.true_gradients[name])
        assert abs(u.true_gradients[name] - g) > 1e-5  # not the gradient, visibly
    gap = re.search(r"differ from the gradient step's by up to (\S+) \(update 1\)", text)
    assert gap and u.gap is not None and float(gap.group(1)) == pytest.approx(u.gap, rel=5e-3)


@pytest.mark.parametrize("spec", SHOWN, ids=lambda p: p.stem)
def test_json_training_updates_are_train_s(spec: Path) -> None:
    net = Network.load(spec)
    data = derivation_json(derive(net))
    block = data["training_updates"]
    t = train(net, len(block["updates"]))
    lam = float(net.spec.training.weight_decay)
    for k, (entry, u) in enumerate(zip(block["updates"], t.updates, strict=True)):
        assert entry["samples"] == u.samples and entry["params"] == u.params
        assert entry["loss_after"] == t.losses[k + 1]
        for name, g in entry["gradients"].items():
            assert g == pytest.approx(u.gradients[name] - (lam * t.history[name][k] if block["decays"][name]
                                                           else 0.0), rel=1e-12, abs=1e-15)
            assert entry["previous_step"][name] == (t.history[name][k] - t.history[name][k - 1] if k else 0.0)
            assert entry["params_before"][name] == t.history[name][k]
        if net.spec.training.layer_update == "sequential":
            assert entry["true_gradients"] == u.true_gradients and entry["sequential_gap"] == u.gap


def test_plain_specs_gain_nothing() -> None:
    """Plain full-batch gradient descent (and hand rounding alone): no per-update part, no new JSON field."""
    for spec in (TRAINING / "han_kamber_9_1.toml", TRAINING / "rounded_221.toml", ROOT / "examples" / "seed_004.toml"):
        if not spec.exists():
            continue
        d = derive(Network.load(spec))
        assert "as [training] says" not in derivation_text(d) and "training_updates" not in derivation_json(d)


def test_chinese_text_has_every_string() -> None:
    text = derivation_text(derive(Network.load(SEQUENTIAL)), lang="zh")
    assert "前 1 次更新" in text and "逐层更新不是梯度下降" in text and "{" not in text


def test_cli_derive_json_of_an_online_spec(run_cli: Any) -> None:
    proc = run_cli("derive", ONLINE, "--format", "json", check=True)
    data: dict[str, Any] = json.loads(proc.stdout)
    assert [e["samples"] for e in data["training_updates"]["updates"]] == [[0], [1]] and not proc.stderr


# --- the lecture ---------------------------------------------------------------------------------------------

LATEX_NUMBER = re.compile(r"(?<![_{\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def lecture_update_lines(lec: Any) -> list[list[tuple[str, str, str, str]]]:
    """Per update, every update line of the lecture's training part: (lhs, rule, numbers, result), the display's
    lines joined (a long line is broken over several)."""
    out = []
    for u in lec.training.updates:
        rows = []
        for layer in u.layers:
            for item in layer.updates:
                lines = item.display.lines
                text = " ".join(f"{line.rel} {line.text}" for line in lines)
                parts = re.split(r"\s(?:=|\\approx)\s", " " + text)
                parts = [p.strip() for p in parts if p.strip()]
                rows.append((str(lines[0].lhs), parts[0], parts[1], parts[-1]))
        out.append(rows)
    return out


@pytest.mark.parametrize("spec", SHOWN, ids=lambda p: p.stem)
def test_lecture_update_lines_are_train_s(spec: Path) -> None:
    """The lecture's update lines (every format reads the same data) carry train()'s numbers, and their numbers
    give their result."""
    net = Network.load(spec)
    d = derive(net)
    lec = lecture(d, "markdown", lang="en")
    assert lec.training is not None and not lec.updates and lec.after_loss is None
    per_update = lecture_update_lines(lec)
    t = train(net, len(per_update))
    options = net.spec.training
    mu, lam = Fraction(str(options.momentum)), Fraction(str(options.weight_decay))
    names = {Notation(net).latex_names[p]: p.name for p in net.params}
    for k, (rows, u) in enumerate(zip(per_update, t.updates, strict=True)):
        assert len(rows) == len(net.params)
        for lhs, rule, shown, result in rows:
            name = names[lhs.removeprefix("{").removesuffix("}^{+}")]
            assert ("\\lambda" in rule, "\\mu" in rule) == (bool(lam), bool(mu))
            tokens = LATEX_NUMBER.findall(shown)
            assert close(tokens[0], t.history[name][k]) and close(result, u.params[name])
            lam_w = float(lam) * t.history[name][k]
            assert close(tokens[2], u.gradients[name] - lam_w)
            if mu:
                assert close(tokens[-1], t.history[name][k] - t.history[name][k - 1] if k else 0.0)
            values = [Fraction(Decimal(x)) for x in tokens]
            w, eta, g = values[:3]
            decay = lam * values[4] if lam else 0
            prev = values[-1] if mu else 0
            recomputed = w - eta * (g + decay) + mu * prev
            scale = max(1, abs(eta), abs(g) + abs(decay), abs(w), abs(prev))
            assert abs(recomputed - numbers(result)[0]) <= half_unit(result) + scale * sum(
                (half_unit(x) for x in tokens), Fraction(0)), (name, shown, result)


def test_lecture_of_a_sequential_spec_names_the_gap_and_both_gradients() -> None:
    net = Network.load(SEQUENTIAL)
    lec = lecture(derive(net), "beamer", lang="en")
    t = train(net, 1)
    u = t.updates[0]
    assert lec.training is not None and lec.training.sequential
    assert lec.training.gap is not None and float(str(lec.training.gap)) == pytest.approx(u.gap, rel=5e-3)
    (update,) = lec.training.updates
    assert [str(q) for q, _, _ in update.pairs] == [f"w_{{{k}}}" for k in range(1, 5)]
    assert u.true_gradients is not None
    for (_, used, grad), name in zip(update.pairs, ["w1", "w2", "w3", "w4"], strict=True):
        assert close(str(used), u.gradients[name]) and close(str(grad), u.true_gradients[name])
    hidden = next(layer for layer in update.layers if layer.deltas)
    assert "{w_{5}}^{+}" in str(hidden.deltas[0].display.lines[0].text)  # δ_h1 through the updated w5


def test_plain_lectures_have_no_training_part() -> None:
    for spec in (TRAINING / "han_kamber_9_1.toml", TRAINING / "rounded_221.toml"):
        assert lecture(derive(Network.load(spec)), "beamer").training is None


@pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("xelatex") is None,
                    reason="latexmk/xelatex not installed")
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.tex
def test_online_beamer_compiles(lang: str, tmp_path: Path, run_cli: Any) -> None:
    """The online example's Beamer deck, with its per-update frames, compiles without a warning from --pdf (no
    overfull box, no display shrunk below 85 %)."""
    out = tmp_path / "online.tex"
    proc = run_cli("render", ONLINE, "--format", "beamer", "--lang", lang, "-o", out, "--pdf", check=True)
    assert "warning" not in proc.stderr, proc.stderr
    assert (tmp_path / "online.pdf").stat().st_size > 10_000
    assert (r"\begin{frame}{Update $2$" if lang == "en" else r"\begin{frame}{第 $2$ 次更新") in out.read_text(
        encoding="utf-8")

