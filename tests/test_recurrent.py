"""The recurrent (Elman) layer and backpropagation through time (issue 16): every gradient against sympy.diff of
the whole loss composed by hand in the test, and against mpmath central differences at 50 digits; random
architectures (hypothesis); the JSON contract; bad input; PyTorch's nn.RNN where it is installed."""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mpmath
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbackprop.backward import derive_circuit
from symbackprop.bptt import bptt, unroll
from symbackprop.circuit import load_model
from symbackprop.errors import SpecError
from symbackprop.render.recurrent_out import recurrent_json, recurrent_text

ROOT = Path(__file__).resolve().parent.parent
PER_STEP = ROOT / "examples" / "recurrent" / "elman_per_step.toml"
LAST_STEP = ROOT / "examples" / "recurrent" / "elman_last_step.toml"


def read(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


# --- the network written out in the test, independently of the library ----------------------------

ACT: dict[str, dict[str, Callable[[Any], Any]]] = {
    "sympy": {"tanh": sp.tanh, "sigmoid": lambda u: 1 / (1 + sp.exp(-u)), "identity": lambda u: u,
              "softplus": lambda u: sp.log(1 + sp.exp(u))},
    "mpmath": {"tanh": mpmath.tanh, "sigmoid": lambda u: 1 / (1 + mpmath.exp(-u)), "identity": lambda u: u,
               "softplus": lambda u: mpmath.log(1 + mpmath.exp(u))},
}


def loss_of(data: dict[str, Any], p: dict[str, Any], lib: str) -> Any:
    """E of the spec `data` with parameter values (or symbols) p: h_t = f(U x_t + V h_{t-1} + b), y_t = g(W h_t
    + c), composed step by step as the lectures write it."""
    rec, out = data["layers"]
    f, g = ACT[lib][rec.get("activation", "tanh")], ACT[lib][out.get("activation", "identity")]
    exact = (lambda v: sp.Rational(repr(v)) if isinstance(v, float) else sp.Integer(v)) if lib == "sympy" \
        else (lambda v: mpmath.mpf(repr(v)) if isinstance(v, float) else mpmath.mpf(v))
    U, V, W = rec["weights"], rec["recurrent_weights"], out["weights"]
    n, m = len(V), len(W)

    def biases(b: Any, k: int) -> list[Any]:
        return [0] * k if b is None else [p[b]] * k if isinstance(b, str) else [p[x] for x in b]

    b, c = biases(rec.get("bias"), n), biases(out.get("bias"), m)
    xs = list(data["inputs"])
    steps = len(data["inputs"][xs[0]])
    h = [exact(v) for v in rec.get("initial_state", [0] * n)]
    targets = data["targets"]
    per_step = isinstance(next(iter(targets.values())), list)
    loss = data.get("loss", "half_sse")
    E: Any = 0
    for t in range(steps):
        x = [exact(data["inputs"][name][t]) for name in xs]
        h = [f(sum(p[U[j][i]] * x[i] for i in range(len(xs))) + sum(p[V[j][k]] * h[k] for k in range(n)) + b[j])
             for j in range(n)]
        y = [g(sum(p[W[o][j]] * h[j] for j in range(n)) + c[o]) for o in range(m)]
        if per_step or t == steps - 1:
            ts = [exact(targets[f"{out['name']}{o + 1}"][t] if per_step else targets[f"{out['name']}{o + 1}"])
                  for o in range(m)]
            sq = sum((ts[o] - y[o]) ** 2 for o in range(m))
            E += {"half_sse": sq / 2, "sse": sq, "mse": sq / m}[loss]
    return E


def param_names(data: dict[str, Any]) -> list[str]:
    return list(data["params"])


def sympy_gradients(data: dict[str, Any]) -> tuple[sp.Expr, dict[str, sp.Expr]]:
    """E and ∂E/∂p by sympy.diff of the whole loss in the parameters as symbols, then the spec's values."""
    symbols = {name: sp.Symbol(name, real=True) for name in param_names(data)}
    E = loss_of(data, symbols, "sympy")
    values = {symbols[k]: sp.Rational(repr(v)) if isinstance(v, float) else sp.Integer(v)
              for k, v in data["params"].items()}
    return (E.xreplace(values).evalf(40),
            {k: sp.diff(E, s).xreplace(values).evalf(40) for k, s in symbols.items()})


def mpmath_gradients(data: dict[str, Any]) -> dict[str, mpmath.mpf]:
    """Central differences of E at 50 digits, step 1e-20 (error ~1e-40)."""
    with mpmath.workdps(50):
        base = {k: mpmath.mpf(repr(v)) if isinstance(v, float) else mpmath.mpf(v) for k, v in data["params"].items()}
        step = mpmath.mpf("1e-20")
        out = {}
        for k in base:
            plus, minus = dict(base), dict(base)
            plus[k] += step
            minus[k] -= step
            out[k] = (loss_of(data, plus, "mpmath") - loss_of(data, minus, "mpmath")) / (2 * step)
        return out


def derived(data: dict[str, Any]) -> dict[str, Any]:
    return recurrent_json(derive_circuit(unroll(data)))


def close(a: Any, b: Any, rel: float = 1e-12, abs_: float = 1e-14) -> bool:
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=abs_)


# --- the bundled examples -------------------------------------------------------------------------

@pytest.mark.parametrize("path", [PER_STEP, LAST_STEP], ids=["per_step", "last_step"])
def test_bundled_gradients_equal_sympy_diff_and_finite_differences(path: Path) -> None:
    data = read(path)
    got = derived(data)
    E, truth = sympy_gradients(data)
    fd = mpmath_gradients(data)
    assert close(got["loss"], E)
    assert set(got["gradients"]) == set(truth)
    for k, v in truth.items():
        assert close(got["gradients"][k], v), k
        with mpmath.workdps(50):
            assert abs(fd[k] - mpmath.mpf(str(v))) < mpmath.mpf("1e-30"), k
        eta = data["learning_rate"]
        assert close(got["updated"][k], sp.Rational(repr(data["params"][k])) - sp.Rational(repr(eta)) * v), k


def test_bundled_per_step_numbers_a_lecturer_follows() -> None:
    """The first step by hand: net_h1 = 0.5·1 + 0.1 = 0.6, h1 = tanh 0.6; net_h2 = −0.3, y = 0.6 h1 − 0.4 h2 + 0.05."""
    got = derived(read(PER_STEP))
    h1, h2 = math.tanh(0.6), math.tanh(-0.3)
    assert close(got["hidden"]["h1"][0], h1) and close(got["hidden"]["h2"][0], h2)
    assert close(got["outputs"]["y1"][0], 0.6 * h1 - 0.4 * h2 + 0.05)
    assert close(got["step_losses"][0], (0.6 * h1 - 0.4 * h2 + 0.05 - 0.5) ** 2 / 2)
    assert len(got["outputs"]["y1"]) == 3 and close(got["loss"], sum(got["step_losses"]))


@pytest.mark.parametrize("path", [PER_STEP, LAST_STEP], ids=["per_step", "last_step"])
def test_the_recursion_and_the_sums_over_the_steps(path: Path) -> None:
    """δ_t = (Vᵀ δ_{t+1} + Wᵀ ε_t) ⊙ (1 − h_t²) with the values of the JSON, and each gradient the sum of its
    per-step terms; the hidden δ's are ∂E/∂net by sympy.diff (net_t made a symbol: E written with net_{j,t} + s)."""
    data = read(path)
    got = derived(data)
    p = {k: float(v) for k, v in data["params"].items()}
    V, W = data["layers"][0]["recurrent_weights"], data["layers"][1]["weights"]
    steps = data["steps"]
    for t in range(steps):
        for j in range(2):
            up = sum(p[V[k][j]] * got["deltas"][f"h{k + 1}"][t + 1] for k in range(2)) if t + 1 < steps else 0.0
            up += p[W[0][j]] * got["output_deltas"]["y1"][t]
            assert close(got["deltas"][f"h{j + 1}"][t], up * (1 - got["hidden"][f"h{j + 1}"][t] ** 2)), (t, j)
    for k, v in got["gradients"].items():
        assert close(sum(got["gradient_terms"][k]), v), k
    if path == LAST_STEP:
        assert got["output_deltas"]["y1"][:2] == [0.0, 0.0] and "step_losses" not in got


def test_the_text_shows_the_recursion_with_numbers() -> None:
    c = load_model(PER_STEP)
    text = recurrent_text(derive_circuit(c))
    assert "δ_h1,t2 = ∂E/∂neth1_t2 = (v11·δ_h1,t3 + v21·δ_h2,t3 + w1·ε_y1,t2)" in text
    assert "∂E/∂v12 = δ_h1,t1·h2_t0 + δ_h1,t2·h2_t1 + δ_h1,t3·h2_t2" in text
    zh = recurrent_text(derive_circuit(c), lang="zh")
    assert "随时间的反向传播" in zh


# --- random architectures -------------------------------------------------------------------------

@st.composite
def architectures(draw: st.DrawFn) -> dict[str, Any]:
    steps = draw(st.integers(1, 5))
    n_in, n, m = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
    value = st.integers(-9, 9).map(lambda k: k / 10)
    counter = iter(range(1000))

    def grid(rows: int, cols: int, prefix: str) -> list[list[str]]:
        return [[f"{prefix}{next(counter)}" for _ in range(cols)] for _ in range(rows)]

    rec: dict[str, Any] = {"name": "h", "kind": "recurrent", "activation": draw(st.sampled_from(["tanh", "sigmoid"])),
                           "weights": grid(n, n_in, "u"), "recurrent_weights": grid(n, n, "v")}
    bias = draw(st.sampled_from(["none", "shared", "each"]))
    if bias != "none":
        rec["bias"] = "b" if bias == "shared" else [f"b{j}" for j in range(n)]
    if draw(st.booleans()):
        rec["initial_state"] = [draw(value) for _ in range(n)]
    out: dict[str, Any] = {"name": "y", "activation": draw(st.sampled_from(["identity", "tanh", "softplus"])),
                           "weights": grid(m, n, "w")}
    if draw(st.booleans()):
        out["bias"] = "c"
    per_step = draw(st.booleans())
    data: dict[str, Any] = {
        "loss": draw(st.sampled_from(["half_sse", "sse", "mse"])), "learning_rate": 0.1, "steps": steps,
        "inputs": {f"x{i + 1}": [draw(value) for _ in range(steps)] for i in range(n_in)},
        "targets": {f"y{o + 1}": [draw(value) for _ in range(steps)] if per_step else draw(value) for o in range(m)},
        "layers": [rec, out]}
    names = [w for layer in (rec, out) for key in ("weights", "recurrent_weights") for row in layer.get(key, [])
             for w in row]
    names += [b for b in ([rec["bias"]] if isinstance(rec.get("bias"), str) else rec.get("bias", []))]
    names += ["c"] if "bias" in out else []
    data["params"] = {k: draw(value) for k in dict.fromkeys(names)}
    return data


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(architectures())
def test_random_architectures_against_finite_differences(data: dict[str, Any]) -> None:
    got = derived(data)
    fd = mpmath_gradients(data)
    with mpmath.workdps(50):
        assert close(got["loss"], loss_of(data, {k: mpmath.mpf(repr(v)) for k, v in data["params"].items()},
                                          "mpmath"))
    for k, v in fd.items():
        assert close(got["gradients"][k], v), k
        assert close(sum(got["gradient_terms"][k]), v), k


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(architectures())
def test_random_architectures_against_sympy_diff(data: dict[str, Any]) -> None:
    got = derived(data)
    E, truth = sympy_gradients(data)
    assert close(got["loss"], E)
    for k, v in truth.items():
        assert close(got["gradients"][k], v), k


def test_a_symbolic_network_gives_formulas_equal_to_sympy_diff() -> None:
    """Without [params]: the gradients are LaTeX formulas; derived in SymPy they equal sympy.diff (one step)."""
    data = read(PER_STEP)
    data = {**data, "steps": 1, "inputs": {"x1": [1.0]}, "targets": {"y1": [0.5]}}
    values = data.pop("params")
    c = unroll(data)
    d = derive_circuit(c)
    got = recurrent_json(d)
    assert all(isinstance(v, str) for v in got["gradients"].values())
    composed = c.composed()
    symbols = {k: c.by_name(k) for k in values}
    E = loss_of({**data, "params": values}, symbols, "sympy")
    for g in d.gradients:
        if g.kind == "param":
            closed = g.closed.xreplace(composed).xreplace({c.by_name("x1_t1"): 1, c.by_name("h1_t0"): 0,
                                                           c.by_name("h2_t0"): 0})
            assert sp.simplify(closed - sp.diff(E, symbols[g.name])) == 0, g.name


# --- the command line: the JSON contract, train, bad input -----------------------------------------

def test_derive_json_contract(run_cli: Any) -> None:
    proc = run_cli("derive", PER_STEP, "--format", "json", check=True)
    got = json.loads(proc.stdout)
    for key in ("outputs", "loss", "gradients", "updated", "deltas", "output_deltas", "hidden", "steps"):
        assert key in got, key
    assert list(got["outputs"]) == ["y1"] and len(got["outputs"]["y1"]) == 3
    assert isinstance(got["loss"], float)
    assert set(got["gradients"]) == {"u1", "u2", "v11", "v12", "v21", "v22", "b1", "b2", "w1", "w2", "c"}
    last = json.loads(run_cli("derive", LAST_STEP, "--format", "json", check=True).stdout)
    assert len(last["outputs"]["y1"]) == 3 and last["per_step_targets"] is False


def test_derive_text_and_train_from_the_command_line(run_cli: Any) -> None:
    text = run_cli("derive", PER_STEP, check=True).stdout
    assert "Backward pass through time" in text
    trained = json.loads(run_cli("train", PER_STEP, "--steps", "20", "--format", "json", check=True).stdout)
    losses = trained["losses"]
    assert len(losses) == 21 and losses[-1] < losses[0]
    assert close(losses[0], derived(read(PER_STEP))["loss"])


def test_render_writes_the_tex_formats_too(run_cli: Any) -> None:
    """The TeX lecture of backpropagation through time (tests/test_recurrent_lecture.py checks its numbers)."""
    for fmt in ("beamer", "article", "snippet"):
        proc = run_cli("render", PER_STEP, "--format", fmt, check=True)
        assert r"\frac{\partial E}{\partial v_{11}}" in proc.stdout and proc.stderr == ""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_render_markdown_shows_the_recursion_with_the_derived_numbers(run_cli: Any, lang: str) -> None:
    md = run_cli("render", PER_STEP, "--format", "markdown", "--lang", lang, "--decimals", "4", check=True).stdout
    got = derived(read(PER_STEP))
    assert (r"\delta^{\mathrm{h1}}_{t2} = \frac{\partial E}{\partial \mathit{neth}^{(1)}_{t2}} = \left(v_{11} "
            r"\delta^{\mathrm{h1}}_{t3} + v_{21} \delta^{\mathrm{h2}}_{t3} + w_{1} "
            r"\varepsilon^{\mathrm{y1}}_{t2}\right)") in md
    assert f"{got['deltas']['h1'][1]:.4f}$$" in md  # δ_h1,t2 to 4 decimals, the derived value
    assert f"{got['gradients']['v12']:.4f}$$" in md
    assert md.count("### t = ") == 3


@pytest.mark.katex
def test_render_markdown_math_is_valid_katex(run_cli: Any) -> None:
    from katex_check import katex_errors, katex_unavailable, math_spans

    if katex_unavailable() is not None:
        pytest.skip(str(katex_unavailable()))
    for path in (PER_STEP, LAST_STEP):
        md = run_cli("render", path, "--format", "markdown", "--lang", "en", check=True).stdout
        spans = math_spans(md)
        assert len(spans) > 20 and katex_errors(spans) == []
    sym = tmp_symbolic = read(PER_STEP)
    del tmp_symbolic["params"]
    from symbackprop.render.recurrent_lecture import recurrent_markdown

    spans = math_spans(recurrent_markdown(derive_circuit(unroll(sym)), lang="en"))
    assert katex_errors(spans) == []


def _spec(**changes: Any) -> dict[str, Any]:
    data = read(PER_STEP)
    rec, out = (dict(layer) for layer in data["layers"])
    for key, value in changes.items():
        where, _, name = key.partition("__")
        target = {"rec": rec, "out": out}.get(where)
        if target is None and value is None:
            data.pop(key)
        elif target is None:
            data[key] = value
        elif value is None:
            target.pop(name, None)
        else:
            target[name] = value
    data["layers"] = [rec, out]
    return data


BAD = [
    ({"inputs": {"x1": [1.0, 0.5]}}, "inputs.x1", "expected 3 values"),
    ({"targets": {"y1": [0.5, 0.2]}}, "targets.y1", "expected 3 values"),
    ({"rec__recurrent_weights": [["v11", "v12"]]}, "layers[0].recurrent_weights", "expected 2 rows"),
    ({"rec__recurrent_weights": [["v11"], ["v21"]]}, "layers[0].recurrent_weights[0]", "expected 2 names"),
    ({"rec__weights": [["u1", "u3"], ["u2", "u4"]]}, "layers[0].weights[0]", "expected 1 name"),
    ({"rec__initial_state": [0.0]}, "layers[0].initial_state", "a list of 2 numbers"),
    ({"targets": {"y2": [0.5, 0.2, 0.1]}}, "targets.y2", "unknown output neuron"),
    ({"steps": 0}, "steps", "from 1 to 100"),
    ({"inputs": {"x_1": [1.0, 0.5, -0.5]}}, "inputs.x_1", "without '_'"),
    ({"params": {"u1": 0.5}}, "params", "no value for"),
    ({"rec__activation": "softmax"}, "layers[0].activation", "unknown activation"),
    ({"loss": "cce"}, "loss", "unknown loss"),
    ({"rec__recurrent_weights": None}, "layers[0]", "recurrent_weights"),
    ({"params": None, "steps": 6, "inputs": {"x1": [1.0] * 6}, "targets": {"y1": 0.5}}, "steps", "at most 5 steps"),
]


@pytest.mark.parametrize(("changes", "key", "message"), BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_bad_input_is_one_message_naming_the_key(changes: dict[str, Any], key: str, message: str) -> None:
    with pytest.raises(SpecError) as info:
        unroll(_spec(**changes), "net.toml")
    err = info.value
    assert err.source == "net.toml" and err.key == key and message in err.message, str(err)


def test_bad_input_from_the_command_line(run_cli: Any, tmp_path: Path) -> None:
    text = PER_STEP.read_text().replace("recurrent_weights = [[\"v11\", \"v12\"], [\"v21\", \"v22\"]]",
                                        "recurrent_weights = [[\"v11\", \"v12\"]]")
    spec = tmp_path / "bad.toml"
    spec.write_text(text)
    proc = run_cli("derive", spec)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "bad.toml: layers[0].recurrent_weights: expected 2 rows" in proc.stderr


# --- PyTorch -------------------------------------------------------------------------------------

@pytest.mark.torch
@pytest.mark.parametrize("path", [PER_STEP, LAST_STEP], ids=["per_step", "last_step"])
def test_gradients_equal_torch_rnn(path: Path) -> None:
    torch = pytest.importorskip("torch")
    data = read(path)
    p = data["params"]
    rec, out = data["layers"]
    rnn = torch.nn.RNN(1, 2, nonlinearity="tanh", bias=True, batch_first=True).double()
    lin = torch.nn.Linear(2, 1).double()
    def f64(v: Any) -> Any:  # float64 from the start: a float32 tensor would round the values
        return torch.tensor(v, dtype=torch.float64)

    with torch.no_grad():
        rnn.weight_ih_l0.copy_(f64([[p[w] for w in row] for row in rec["weights"]]))
        rnn.weight_hh_l0.copy_(f64([[p[w] for w in row] for row in rec["recurrent_weights"]]))
        rnn.bias_ih_l0.copy_(f64([p[b] for b in rec["bias"]]))
        rnn.bias_hh_l0.zero_()
        lin.weight.copy_(f64([[p[w] for w in row] for row in out["weights"]]))
        lin.bias.copy_(f64([p[out["bias"]]]))
    x = torch.tensor(data["inputs"]["x1"], dtype=torch.float64).reshape(1, -1, 1)
    hs, _ = rnn(x, torch.zeros(1, 1, 2, dtype=torch.float64))
    y = lin(hs).reshape(-1)
    target = data["targets"]["y1"]
    loss = 0.5 * ((y - torch.tensor(target, dtype=torch.float64)) ** 2).sum() if isinstance(target, list) \
        else 0.5 * (y[-1] - target) ** 2
    loss.backward()
    got = derived(data)
    assert close(got["loss"], loss.item())
    U, V = rnn.weight_ih_l0.grad, rnn.weight_hh_l0.grad
    for j in range(2):
        assert close(got["gradients"][rec["weights"][j][0]], U[j, 0].item())
        assert close(got["gradients"][rec["bias"][j]], rnn.bias_ih_l0.grad[j].item())
        assert close(got["gradients"][out["weights"][0][j]], lin.weight.grad[0, j].item())
        for k in range(2):
            assert close(got["gradients"][rec["recurrent_weights"][j][k]], V[j, k].item())
    assert close(got["gradients"][out["bias"]], lin.bias.grad[0].item())
    assert close(got["outputs"]["y1"][-1], y[-1].item())


def test_bptt_reads_only_recurrent_derivations() -> None:
    from symbackprop.circuit import Circuit

    c = Circuit.from_dict({"graph": {"inputs": {"x": 1}, "params": {"w": 2}, "nodes": [{"name": "f",
                                                                                       "expr": "w*x"}]}})
    with pytest.raises(TypeError):
        bptt(derive_circuit(c))


JUNK = [None, 0, -1, 3.5, True, "x", "", [], [[]], ["a"], [1, 2], {}, {"a": 1}, [["u1", 2]], float("nan")]
KEYS = ["steps", "inputs", "targets", "params", "loss", "learning_rate", "rec__weights", "rec__recurrent_weights",
        "rec__bias", "rec__initial_state", "rec__activation", "rec__name", "out__weights", "out__bias",
        "out__activation", "out__kind", "rec__kind"]


@pytest.mark.parametrize("key", KEYS)
def test_any_value_anywhere_is_a_derivation_or_one_spec_error(key: str) -> None:
    """Hostile values: never another exception than SpecError (the CLI's one line)."""
    for junk in JUNK:
        try:
            c = unroll(_spec(**{key: junk}), "net.toml")
        except SpecError as err:
            assert err.source == "net.toml" and err.message and "\n" not in str(err), (key, junk)
            continue
        recurrent_json(derive_circuit(c))


def test_check_judges_answers_about_the_unrolled_network(run_cli: Any, tmp_path: Path) -> None:
    """`check` reads a recurrent spec as its unrolled circuit: the shared weights' full BPTT gradients (mpmath
    central differences of the loss written in this file) at 6 digits are correct, 2% off incorrect."""
    truth = mpmath_gradients(read(PER_STEP))
    answers = tmp_path / "answers.toml"
    rows = []
    for k, (name, v) in enumerate(sorted(truth.items())[:4]):
        for tag, x in (("right", v), ("wrong", v * mpmath.mpf("1.02"))):
            written = mpmath.nstr(x, 6, strip_zeros=False)
            rows.append(f'[[answer]]\nid = "{tag}{k}"\nquantity = "dE/d{name}"\n'
                        f"latex = '''\\frac{{\\partial E}}{{\\partial {name}}} = {written}'''\n")
    answers.write_text("".join(rows), encoding="utf-8")
    proc = run_cli("check", PER_STEP, answers, "--format", "json")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    verdicts = {a["id"]: a["verdict"] for a in json.loads(proc.stdout)["answers"]}
    assert verdicts == {f"{tag}{k}": "correct" if tag == "right" else "incorrect" for k in range(4)
                        for tag in ("right", "wrong")}


def test_a_training_step_is_derived_again_with_bptt() -> None:
    """train's run at step k derives the unrolled network with the parameters after k updates: its BPTT JSON's
    loss is the run's loss there, and its gradients give the next update (plain gradient descent)."""
    from symbackprop.circuit_numeric import train_circuit

    run = train_circuit(load_model(LAST_STEP), 3)
    got = recurrent_json(run.derivation(2))
    assert close(got["loss"], run.losses[2], rel=1e-12)
    for k, g in got["gradients"].items():
        assert close(run.history[k][3], run.history[k][2] - 0.1 * g, rel=1e-12), k
