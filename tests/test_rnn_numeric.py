"""The compiled recurrent network (rnn_numeric.py): every gradient against mpmath central differences of the loss
written out in this file (a plain loop over the steps and the sequences), on the bundled examples and on random
architectures (hypothesis); equal to the unrolled circuit's straight-line code to rounding; training through it
equal to training through the circuit; several sequences ([[samples]]) from the command line; PyTorch's nn.RNN
where it is installed."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbackprop import compile_recurrent
from symbackprop.circuit import Circuit, load_model
from symbackprop.circuit_numeric import compile_circuit, train_circuit
from symbackprop.errors import SpecError
from symbackprop.recurrent import parse_recurrent, recurrent_network, recurrent_spec, unrolled

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "recurrent"
PER_STEP, LAST_STEP = EXAMPLES / "elman_per_step.toml", EXAMPLES / "elman_last_step.toml"
TWO = EXAMPLES / "elman_two_sequences.toml"


def read(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


def model(data: dict[str, Any]) -> Circuit:
    return Circuit(unrolled(parse_recurrent(data)))


# --- the network written out in the test, independently of the library ----------------------------------------

ACT: dict[str, Callable[[Any], Any]] = {
    "tanh": mpmath.tanh, "sigmoid": lambda u: 1 / (1 + mpmath.exp(-u)), "identity": lambda u: u,
    "softplus": lambda u: mpmath.log(1 + mpmath.exp(u)),
}


def step_loss(name: str, ys: list[Any], ts: list[Any]) -> Any:
    pairs = list(zip(ys, ts, strict=True))
    if name == "half_sse":
        return sum((y - t) ** 2 for y, t in pairs) / 2
    if name == "sse":
        return sum((y - t) ** 2 for y, t in pairs)
    if name == "mse":
        return sum((y - t) ** 2 for y, t in pairs) / len(pairs)
    assert name == "binary_cross_entropy"
    return -sum(t * mpmath.log(y) + (1 - t) * mpmath.log(1 - y) for y, t in pairs)


def sequences(data: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    if "samples" in data:
        return [(s["inputs"], s["targets"]) for s in data["samples"]]
    return [(data["inputs"], data["targets"])]


def loss_of(data: dict[str, Any], p: dict[str, Any]) -> Any:
    """E = Σ over the sequences (mean with batch_loss = "mean") of Σ over the target steps of the step's loss,
    with h_t = f(U x_t + V h_{t−1} + b), y_t = g(W h_t + c), h_0 = 0, as the lectures write it."""
    rec, out = data["layers"]
    f, g = ACT[rec.get("activation", "tanh")], ACT[out.get("activation", "identity")]
    U, V, W = rec["weights"], rec["recurrent_weights"], out["weights"]
    n, m = len(V), len(W)

    def biases(b: Any, k: int) -> list[Any]:
        return [0] * k if b is None else [p[b]] * k if isinstance(b, str) else [p[x] for x in b]

    b, c = biases(rec.get("bias"), n), biases(out.get("bias"), m)
    total = mpmath.mpf(0)
    seqs = sequences(data)
    for inputs, targets in seqs:
        xs = list(inputs)
        steps = len(inputs[xs[0]])
        outs = [f"{out['name']}{k + 1}" for k in range(m)]
        h = [mpmath.mpf(0)] * n
        for t in range(steps):
            x = [mpmath.mpf(repr(inputs[name][t])) for name in xs]
            h = [f(sum(p[U[j][i]] * x[i] for i in range(len(xs))) + sum(p[V[j][k]] * h[k] for k in range(n))
                   + b[j]) for j in range(n)]
            y = [g(sum(p[W[k][j]] * h[j] for j in range(n)) + c[k]) for k in range(m)]
            per_step = isinstance(targets[outs[0]], list)
            if per_step or t == steps - 1:
                ts = [mpmath.mpf(repr(targets[o][t] if per_step else targets[o])) for o in outs]
                total += step_loss(data.get("loss", "half_sse"), y, ts)
    return total / len(seqs) if data.get("batch_loss") == "mean" else total


def mpmath_gradients(data: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """(E, every parameter's central difference at 40 digits, step 1e-15: error O(h²))."""
    with mpmath.workdps(40):
        p0 = {k: mpmath.mpf(repr(v)) for k, v in data["params"].items()}
        h = mpmath.mpf("1e-15")
        grads = {}
        for name in p0:
            up, down = dict(p0), dict(p0)
            up[name] += h
            down[name] -= h
            grads[name] = (loss_of(data, up) - loss_of(data, down)) / (2 * h)
        return loss_of(data, p0), grads


def assert_matches_oracle(data: dict[str, Any], rel: float = 1e-9, abs_: float = 1e-12) -> None:
    loss, grads = compile_recurrent(model(data)).loss_and_gradients()
    truth_loss, truth = mpmath_gradients(data)
    assert loss == pytest.approx(float(truth_loss), rel=rel, abs=abs_)
    assert set(grads) == set(truth)
    for name, value in grads.items():
        assert value == pytest.approx(float(truth[name]), rel=rel, abs=abs_), name


def assert_equals_circuit(c: Circuit, tol: float = 1e-12) -> None:
    """raw() of both compilations: the loss, every parameter's gradient, every input's (h_0 included)."""
    ours, theirs = compile_recurrent(c), compile_circuit(c)
    assert ours.param_names == theirs.param_names and ours.input_names == theirs.input_names
    x = theirs.data()
    np.testing.assert_array_equal(ours.data(), x)
    for a, b in zip(ours.raw(ours.theta(), x), theirs.raw(theirs.theta(), x), strict=True):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


# --- the bundled examples -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [PER_STEP, LAST_STEP, TWO], ids=lambda p: p.stem)
def test_examples_match_mpmath_and_the_circuit(path: Path) -> None:
    assert_matches_oracle(read(path))
    assert_equals_circuit(load_model(path))


def test_two_sequences_sum_the_sequences() -> None:
    """The two-sequence example's E and gradients are the sums of its sequences' as one-sequence specs; its first
    sequence is elman_per_step.toml's."""
    data = read(TWO)
    parts = []
    for s in data["samples"]:
        one = {k: v for k, v in data.items() if k not in ("samples", "batch_loss")} | s
        parts.append(compile_recurrent(model(one)).loss_and_gradients())
    loss, grads = compile_recurrent(load_model(TWO)).loss_and_gradients()
    assert parts[0][0] == pytest.approx(compile_recurrent(load_model(PER_STEP)).loss_and_gradients()[0], rel=1e-15)
    assert loss == pytest.approx(parts[0][0] + parts[1][0], rel=1e-14)
    for name, g in grads.items():
        assert g == pytest.approx(parts[0][1][name] + parts[1][1][name], rel=1e-12, abs=1e-15), name
    mean = compile_recurrent(model(data | {"batch_loss": "mean"})).loss_and_gradients()
    assert mean[0] == pytest.approx(loss / 2, rel=1e-14)
    assert_matches_oracle(data | {"batch_loss": "mean"})


def test_training_equals_the_circuit_path() -> None:
    """train_circuit runs the matrix form for a recurrent network; the circuit's straight-line code gives the same
    run to 1e-12 (losses and every parameter at every step), momentum and weight decay included."""
    for path in (PER_STEP, LAST_STEP, TWO):
        data = read(path) | {"training": {"momentum": 0.5, "weight_decay": 0.01}}
        c = model(data)
        fast = train_circuit(c, 6)
        slow = train_circuit(c, 6, compiled=compile_circuit(c))
        np.testing.assert_allclose(fast.losses, slow.losses, rtol=1e-12, atol=1e-15)
        for name in fast.history:
            np.testing.assert_allclose(fast.history[name], slow.history[name], rtol=1e-12, atol=1e-15)
        assert fast.outputs == pytest.approx(slow.outputs, rel=1e-12)


def test_the_default_training_compiles_the_matrix_form(monkeypatch: pytest.MonkeyPatch) -> None:
    import symbackprop.circuit_numeric as cn

    def refuse(c: Circuit) -> Any:
        raise AssertionError("the circuit's straight-line code was compiled for a recurrent network")

    monkeypatch.setattr(cn, "compile_circuit", refuse)
    run = cn.train_circuit(load_model(TWO), 2)
    assert len(run.losses) == 3


def test_arrays_of_sequences() -> None:
    """`sequences` on a batch given as arrays: each sequence's loss is the one-sequence spec's, the gradient the
    sum of theirs; per_sequence gives each column."""
    data = read(PER_STEP)
    compiled = compile_recurrent(parse_recurrent(data))
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, (3, 1, 5))
    t = rng.uniform(-1, 1, (3, 1, 5))
    losses, grad, _ = compiled.sequences(compiled.theta(), x, t)
    _, per, _ = compiled.sequences(compiled.theta(), x, t, per_sequence=True)
    for k in range(5):
        one = data | {"inputs": {"x1": [float(v) for v in x[:, 0, k]]},
                      "targets": {"y1": [float(v) for v in t[:, 0, k]]}}
        loss, grads = compile_recurrent(model(one)).loss_and_gradients()
        assert losses[k] == pytest.approx(loss, rel=1e-13)
        np.testing.assert_allclose(per[:, k], [grads[p] for p in compiled.param_names], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(per.sum(axis=1), grad, rtol=1e-12, atol=1e-15)


def test_only_a_recurrent_circuit_compiles() -> None:
    with pytest.raises(SpecError, match="expected a recurrent network"):
        compile_recurrent(load_model(ROOT / "examples" / "graphs" / "cs231n_sigmoid_neuron.toml"))  # type: ignore[arg-type]


# --- random architectures -------------------------------------------------------------------------------------

@st.composite
def recurrent_specs(draw: st.DrawFn, oracle: bool = True) -> dict[str, Any]:
    """Steps 1–5, 1–3 inputs, 1–4 hidden neurons, 1–2 outputs, per-step or last-step targets, 1–3 sequences."""
    steps, n_in, n, m = (draw(st.integers(1, 5)), draw(st.integers(1, 3)), draw(st.integers(1, 4)),
                         draw(st.integers(1, 2)))
    hidden_acts = ["tanh", "sigmoid", "identity", "softplus"] + ([] if oracle else ["relu"])
    act = draw(st.sampled_from(hidden_acts))
    loss = draw(st.sampled_from(["half_sse", "sse", "mse", "binary_cross_entropy"]))
    out_act = "sigmoid" if loss == "binary_cross_entropy" else draw(st.sampled_from(["identity", "tanh", "sigmoid"]))
    per_step = draw(st.booleans())
    value = st.floats(-1, 1, allow_nan=False).map(lambda v: round(v, 3))
    target = st.floats(0.05, 0.95).map(lambda v: round(v, 3))

    def grid(rows: int, cols: int, prefix: str) -> list[list[str]]:
        return [[f"{prefix}{r + 1}{c + 1}" for c in range(cols)] for r in range(rows)]

    rec: dict[str, Any] = {"name": "h", "kind": "recurrent", "activation": act, "weights": grid(n, n_in, "u"),
                           "recurrent_weights": grid(n, n, "v")}
    bias = draw(st.sampled_from(["none", "shared", "each"]))
    if bias != "none":
        rec["bias"] = "b" if bias == "shared" else [f"b{j + 1}" for j in range(n)]
    out: dict[str, Any] = {"name": "y", "activation": out_act, "weights": grid(m, n, "w"),
                           "bias": [f"c{k + 1}" for k in range(m)]}
    if draw(st.booleans()):  # a weight shared by two places: its gradient sums both
        rec["recurrent_weights"][0][0] = rec["weights"][0][0]
    names = [p for grid_ in (rec["weights"], rec["recurrent_weights"], out["weights"]) for row in grid_ for p in row]
    names += ([rec["bias"]] if isinstance(rec.get("bias"), str) else rec.get("bias", [])) + out["bias"]
    params = {p: draw(value) for p in dict.fromkeys(names)}

    def sequence() -> dict[str, Any]:
        return {"inputs": {f"x{i + 1}": [draw(value) for _ in range(steps)] for i in range(n_in)},
                "targets": {f"y{k + 1}": [draw(target) for _ in range(steps)] if per_step else draw(target)
                            for k in range(m)}}

    data: dict[str, Any] = {"loss": loss, "learning_rate": 0.1, "layers": [rec, out], "params": params}
    count = draw(st.integers(1, 3))
    if count == 1 and draw(st.booleans()):
        data |= sequence()
    else:
        data["samples"] = [sequence() for _ in range(count)]
        data["batch_loss"] = draw(st.sampled_from(["sum", "mean"]))
    return data


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(recurrent_specs())
def test_random_networks_match_mpmath(data: dict[str, Any]) -> None:
    assert_matches_oracle(data, rel=1e-8, abs_=1e-11)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(recurrent_specs(oracle=False))
def test_random_networks_equal_the_circuit(data: dict[str, Any]) -> None:
    """Also at a ReLU's kink (a net input exactly 0): the circuit reads Max(0, u) as the registry's ReLU′(0) = 0."""
    assert_equals_circuit(model(data))


def test_relu_at_its_kink_routes_nothing_as_pytorch_does() -> None:
    """h1 = relu(u1·x1) with x1 = 0 at the first step: the net input is exactly 0, and torch.relu's gradient there is
    0 (PyTorch's documented convention), so ∂E/∂u1 gets nothing from step 1 — in the circuit as in the matrix form."""
    data = {"loss": "half_sse", "learning_rate": 0.1, "inputs": {"x1": [0.0, 1.0]}, "targets": {"y1": [1.0, 0.5]},
            "layers": [{"name": "h", "kind": "recurrent", "activation": "relu", "weights": [["u1"]],
                        "recurrent_weights": [["v11"]], "bias": ["b1"]},
                       {"name": "y", "activation": "identity", "weights": [["w1"]]}],
            "params": {"u1": 0.5, "v11": 0.5, "w1": 2.0, "b1": 0.0}}
    c = model(data)
    # by hand: step 1: net = 0, h = 0, y = 0, E_1 = ½; step 2: net = 0.5·1 + 0.5·0 = 0.5, h = 0.5, y = 1, E_2 = ⅛
    # ∂E/∂u1 = Σ_t δ_t x_t with δ_2 = (y2 − t2)·w1·1 = 1, δ_1 = (v11 δ_2 + w1 (y1 − t1))·ReLU′(0) = 0: 1·1 + 0·0 = 1
    loss, grads = compile_circuit(c).loss_and_gradients()
    assert loss == pytest.approx(0.625) and grads["u1"] == pytest.approx(1.0) and grads["b1"] == pytest.approx(1.0)
    assert_equals_circuit(c)


# --- several sequences: the spec and the command line ---------------------------------------------------------

def test_several_sequences_are_named_by_sequence_and_step() -> None:
    c = load_model(TWO)
    r = recurrent_network(c)
    assert r is not None and r.several and recurrent_spec(c) is None  # BPTT presentations: one sequence only
    names = {q.name for q in c.quantities.values()}  # type: ignore[union-attr]
    assert {"x1_s1t1", "h1_s2t3", "neth2_s1t2", "y1_s2t1", "E_s1t2", "E_s1", "E_s2", "E", "h1_s1t0"} <= names


@pytest.mark.parametrize(("change", "key", "message"), [
    (lambda d: d["samples"][1]["inputs"].update(x1=[1.0, 2.0]), "samples[1].inputs.x1", "expected 3 values"),
    (lambda d: d["samples"][1]["targets"].update(y1=0.5), "samples[1].targets", "as the first sample's"),
    (lambda d: d["samples"][1]["inputs"].update(x2=[1.0, 2.0, 3.0]), "samples[1].inputs", "expected the inputs x1"),
    (lambda d: d.update(targets={"y1": [0.1, 0.2, 0.3]}), "samples", "not both"),
    (lambda d: d["samples"][0].pop("targets"), "samples[0]", "missing key 'targets'"),
    (lambda d: d.update(training={"update": "online"}), "training.update", "expected update = \"batch\""),
    (lambda d: d.update(samples=[]), "samples", "non-empty array"),
    (lambda d: d.update(batch_loss="max"), "batch_loss", "expected"),
])
def test_bad_samples_are_one_clear_error(change: Callable[[dict[str, Any]], Any], key: str, message: str) -> None:
    data = read(TWO)
    change(data)
    with pytest.raises(SpecError) as err:
        parse_recurrent(data, source="two.toml")
    assert f"two.toml: {key}: " in str(err.value) and message in str(err.value), str(err.value)


def test_several_sequences_from_the_command_line(run_cli: Any, tmp_path: Path) -> None:
    """derive (JSON: the total loss's gradients, against mpmath), train (the circuit path's numbers), check
    (answers about the total loss), render --format markdown; the TeX formats refused in one line."""
    truth_loss, truth = mpmath_gradients(read(TWO))
    proc = run_cli("derive", TWO, "--format", "json", check=True)
    got = json.loads(proc.stdout)
    assert got["output"] == pytest.approx(float(truth_loss), rel=1e-12)
    for name, g in truth.items():
        assert got["gradients"][name] == pytest.approx(float(g), rel=1e-9, abs=1e-12), name
    assert "E_s2" in run_cli("derive", TWO, check=True).stdout

    proc = run_cli("train", TWO, "--steps", "4", check=True)
    run = json.loads(proc.stdout)
    c = load_model(TWO)
    assert isinstance(c, Circuit)
    slow = train_circuit(c, 4, compiled=compile_circuit(c))
    assert run["losses"] == pytest.approx(slow.losses, rel=1e-12)
    assert run["params"] == pytest.approx(slow.params, rel=1e-12)

    answers = tmp_path / "answers.toml"
    rows = []
    for k, name in enumerate(("u1", "v12", "c")):
        for tag, x in (("right", truth[name]), ("wrong", truth[name] * mpmath.mpf("1.02"))):
            written = mpmath.nstr(x, 6, strip_zeros=False)
            rows.append(f'[[answer]]\nid = "{tag}{k}"\nquantity = "dE/d{name}"\n'
                        f"latex = '''\\frac{{\\partial E}}{{\\partial {name}}} = {written}'''\n")
    answers.write_text("".join(rows), encoding="utf-8")
    proc = run_cli("check", TWO, answers, "--format", "json")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    verdicts = {a["id"]: a["verdict"] for a in json.loads(proc.stdout)["answers"]}
    assert verdicts == {f"{tag}{k}": "correct" if tag == "right" else "incorrect" for k in range(3)
                        for tag in ("right", "wrong")}

    out = tmp_path / "two.md"
    run_cli("render", TWO, "--format", "markdown", "-o", out, check=True)
    assert "E_{s1t2}" in out.read_text(encoding="utf-8")
    proc = run_cli("render", TWO, "--format", "beamer")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "--format: a recurrent network of several sequences" in proc.stderr


# --- PyTorch ----------------------------------------------------------------------------------------------------

@pytest.mark.torch
def test_a_batch_of_sequences_matches_torch_rnn() -> None:
    """torch.nn.RNN (tanh) + nn.Linear, half_sse at every step summed over a batch of 7 sequences: the same loss
    and gradients as `sequences` on the same arrays."""
    torch = pytest.importorskip("torch")
    data = read(PER_STEP)
    data["layers"][0]["weights"] = [["u1", "u2"], ["u3", "u4"]]
    data["params"] |= {"u3": 0.25, "u4": -0.1}
    compiled = compile_recurrent(parse_recurrent(data | {"inputs": {"x1": [0.0] * 3, "x2": [0.0] * 3}}))
    theta = compiled.theta()
    rng = np.random.default_rng(3)
    x, t = rng.uniform(-1, 1, (3, 2, 7)), rng.uniform(-1, 1, (3, 1, 7))
    losses, grad, _ = compiled.sequences(theta, x, t)
    u, v, w, b, c = compiled._matrices(theta)
    rnn = torch.nn.RNN(2, 2, dtype=torch.float64)
    lin = torch.nn.Linear(2, 1, dtype=torch.float64)
    with torch.no_grad():
        for param, value in ((rnn.weight_ih_l0, u), (rnn.weight_hh_l0, v), (rnn.bias_ih_l0, b[:, 0]),
                             (lin.weight, w), (lin.bias, c[:, 0])):
            param.copy_(torch.from_numpy(np.array(value)))
        rnn.bias_hh_l0.zero_()
    h, _ = rnn(torch.from_numpy(x.transpose(0, 2, 1).copy()))
    e = 0.5 * ((lin(h) - torch.from_numpy(t.transpose(0, 2, 1).copy())) ** 2).sum()
    e.backward()
    assert float(losses.sum()) == pytest.approx(e.item(), rel=1e-13)
    ug, vg, wg, bg, cg = compiled._matrices(grad)
    for ours, theirs in ((ug, rnn.weight_ih_l0.grad), (vg, rnn.weight_hh_l0.grad), (bg[:, 0], rnn.bias_ih_l0.grad),
                         (wg, lin.weight.grad), (cg[:, 0], lin.bias.grad)):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.torch
def test_two_sequences_cross_check_from_the_command_line() -> None:
    """`python -m symbackprop.circuit_crosscheck` rebuilds the two-sequence circuit in PyTorch: autograd agrees."""
    import subprocess
    import sys

    pytest.importorskip("torch")
    run = subprocess.run([sys.executable, "-m", "symbackprop.circuit_crosscheck", str(TWO)], capture_output=True,
                         text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0 and run.stdout.strip().splitlines()[-1].startswith("ok"), run.stdout + run.stderr


@pytest.mark.torch
def test_the_benchmark_runs_and_agrees_with_torch(capsys: pytest.CaptureFixture[str]) -> None:
    """benchmarks/rnn_vs_torch.py --quick (nothing timed is asserted): its gradient cross-check agrees."""
    import re
    import sys

    pytest.importorskip("torch")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import rnn_vs_torch

    assert rnn_vs_torch.main(["--quick"]) == 0
    rows = re.findall(r"^\| 1 \| (\d+) \|.*\| (\S+) \|$", capsys.readouterr().out, flags=re.M)
    assert rows and rows[0][0] == str(16 + 16 * 16 + 16 + 16 + 1) and float(rows[0][1]) < 1e-10


def test_compile_network_takes_a_recurrent_spec_as_loaded() -> None:
    """The issue's entry point: compile_network(load_model(spec)) is the matrix form, the same numbers as
    compile_recurrent and the circuit's straight-line code."""
    from symbackprop.numeric import compile_network

    for path in (PER_STEP, LAST_STEP, TWO):
        c = load_model(path)
        compiled = compile_network(c)
        assert type(compiled).__name__ == "CompiledRecurrent"
        loss, grads = compiled.loss_and_gradients()
        ref_loss, ref = compile_circuit(c).loss_and_gradients()
        assert loss == pytest.approx(ref_loss, rel=1e-12) and grads == pytest.approx(ref, rel=1e-10, abs=1e-14)
