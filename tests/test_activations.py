"""The local pieces: each activation's lecture-form derivative, softmax's Jacobian, each loss's partials,
and the o − t cancellation of matching loss/activation pairs — against sympy.diff and hand derivations.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import mpmath
import pytest
import sympy as sp

from symbackprop import activations, losses
from symbackprop.derive import derive
from symbackprop.errors import SpecError
from symbackprop.network import Network
from truth import agree, delta_finite_difference, finite_difference, mp_value, symbolic_zero

n = sp.Symbol("n", real=True)
o = sp.Symbol("o", real=True)
pos = sp.Symbol("p", positive=True)
neg = sp.Symbol("q", negative=True)

KINKED = ("relu", "leaky_relu")  # differentiable but at 0: tested on each side below
# every smooth elementwise entry of the registry, and the aliases: an activation added there is tested here
# (the step function, whose derivative is 0 but at 0, has its own test: a spec refuses it)
SMOOTH = tuple(name for name, kind in activations.KINDS.items()
               if kind.elementwise and name not in KINKED and kind.no_gradient is None) + tuple(
    alias for kind in activations.KINDS.values() if kind.no_gradient is None for alias in kind.aliases)


def test_every_entry_is_complete() -> None:
    """An entry names itself in every language the documents have, and every elementwise one can be written
    for PyTorch (or is abstract); a spec accepts its name and its aliases."""
    from symbackprop.render.tex import LANGUAGES
    from symbackprop.spec import ACTIVATIONS

    for name, kind in activations.KINDS.items():
        assert set(kind.labels) == set(LANGUAGES), name
        assert kind.torch is not None or name == "abstract", name
        assert {name, *kind.aliases} <= set(ACTIVATIONS)
        assert activations.make(name).kind is kind


def make(name: str, **kw: object) -> activations.Activation:
    return activations.make(name, function="Phi", **kw)  # type: ignore[arg-type]


# --- elementwise activations -----------------------------------------------------------------------

@pytest.mark.parametrize("name", SMOOTH)
def test_lecture_derivative_is_sympy_diff(name: str) -> None:
    a = make(name)
    forward = a.forward(n)
    lecture = a.derivative(n, o)
    assert lecture.free_symbols <= {n, o}
    as_function_of_net = lecture.xreplace({o: forward}) if not lecture.has(sp.Derivative) else lecture
    difference = as_function_of_net - sp.diff(forward, n)
    if difference.has(sp.Abs, sp.sign):  # a proof on each side of 0, where |n| and sign(n) are n or −n
        assert symbolic_zero(difference.xreplace({n: pos})) and symbolic_zero(difference.xreplace({n: -pos}))
    else:
        assert symbolic_zero(difference)
    # and numerically at a few points (an independent evaluation of the derivative)
    if name != "abstract":
        f = sp.lambdify(n, forward, modules="mpmath")
        g = sp.lambdify(n, as_function_of_net, modules="mpmath")
        with mpmath.workdps(50):
            for x in ("-2.5", "-0.3", "0.7", "3"):
                assert agree(g(mpmath.mpf(x)), mpmath.diff(f, mpmath.mpf(x)), 40)


def test_softsign_is_one_entry_and_works_end_to_end() -> None:
    """softsign, added as one entry of the registry: out = net/(1 + |net|), written as lectures write it in the
    output, (1 − |out|)²; a spec takes it, the derivation's gradients are central differences of the error (mpmath),
    and the compiled NumPy gradients agree."""
    from symbackprop.numeric import compile_network

    assert make("softsign").derivative(n, o) == (1 - sp.Abs(o)) ** 2
    net = Network.from_dict({
        "learning_rate": 0.5, "loss": "half_sse", "inputs": ["x1", "x2"],
        "layers": [{"name": "h", "activation": "softsign", "size": 2, "bias": "b1"},
                   {"name": "o", "activation": "sigmoid", "size": 1, "bias": "b2"}],
        "params": {"w1": 0.3, "w2": -0.8, "w3": 0.5, "w4": 0.2, "w5": 0.7, "w6": -0.4, "b1": 0.1, "b2": -0.2},
        "samples": [{"inputs": {"x1": 0.9, "x2": -0.6}, "targets": {"o1": 0.25}}]})
    d = derive(net)
    compiled = compile_network(net)
    _, grads = compiled.loss_and_gradients()
    for p in d.params:
        assert agree(mp_value(p.gradient), finite_difference(net, p.param), 20), p.name
        assert abs(float(p.gradient) - grads[p.name]) < 1e-12, p.name


def test_the_bipolar_sigmoid_is_written_as_the_textbooks_write_it() -> None:
    """Fausett's bipolar sigmoid f(x) = 2/(1 + e^{−x}) − 1 with f'(x) = ½(1 + f(x))(1 − f(x)); at 0.5:
    f = 0.2449186624…, f' = 0.4700074995… (computed here from tanh(x/2), an identity of the same function)."""
    a = make("bipolar_sigmoid")
    assert a.derivative(n, o) == (1 + o) * (1 - o) / 2
    x = sp.Rational(1, 2)
    value = a.forward(x)
    assert abs(float(value) - float(sp.tanh(x / 2))) < 1e-15
    assert abs(float(a.derivative(n, value)) - float((1 - sp.tanh(x / 2) ** 2) / 2)) < 1e-15


def test_lecture_forms_use_the_output_where_lectures_do() -> None:
    assert make("sigmoid").derivative(n, o) == o * (1 - o)
    assert make("tanh").derivative(n, o) == 1 - o**2
    assert make("identity").derivative(n, o) == 1
    assert make("linear").name == "identity"
    phi = sp.Function("Phi", real=True)
    assert make("abstract").forward(n) == phi(n)
    assert make("abstract").derivative(n, o) == sp.Derivative(phi(n), n)


@pytest.mark.parametrize(("name", "alpha"), [("relu", 0), ("leaky_relu", sp.Rational(1, 100)),
                                             ("leaky_relu", sp.Rational(1, 5))])
def test_kinked_derivative_on_each_side(name: str, alpha: sp.Rational) -> None:
    a = make(name) if name == "relu" or alpha == sp.Rational(1, 100) else make(name, alpha=alpha)
    forward = a.forward(n)
    for side, slope in ((pos, 1), (neg, alpha)):
        lecture = a.derivative(side, o)
        truth = sp.diff(forward, n).subs(n, side)
        assert sp.simplify(lecture) == slope
        assert sp.simplify(truth) == slope
        assert sp.simplify(forward.subs(n, side) - slope * side) == 0  # the forward formula is that line
    f = sp.lambdify(n, forward, modules="mpmath")
    g = sp.lambdify(n, a.derivative(n, o), modules="mpmath")
    with mpmath.workdps(50):
        for x in ("-1.5", "-0.01", "0.02", "2"):
            assert agree(g(mpmath.mpf(x)), mpmath.diff(f, mpmath.mpf(x)), 40)


@pytest.mark.parametrize("name", (*SMOOTH, "relu", "leaky_relu"))
def test_elementwise_layer_is_diagonal(name: str) -> None:
    a = make(name)
    nets = list(sp.symbols("n1:4", real=True))
    outs = list(sp.symbols("o1:4", real=True))
    assert a.elementwise
    assert a.forward_layer(nets) == [a.forward(x) for x in nets]
    for k in range(3):
        for j in range(3):
            expected = a.derivative(nets[k], outs[k]) if k == j else 0
            assert a.partial_layer(k, j, nets, outs) == expected


# --- softmax ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [2, 3, 4])
def test_softmax_partials_are_sympy_diff(size: int) -> None:
    a = make("softmax")
    assert not a.elementwise
    nets = list(sp.symbols(f"n1:{size + 1}", real=True))
    outs = list(sp.symbols(f"o1:{size + 1}", real=True))
    forward = a.forward_layer(nets)
    by_net = dict(zip(outs, forward, strict=True))
    for k in range(size):
        for j in range(size):
            lecture = a.partial_layer(k, j, nets, outs)
            assert lecture.free_symbols <= set(outs)  # written in the outputs, as lectures do
            assert symbolic_zero(lecture.xreplace(by_net) - sp.diff(forward[k], nets[j])), (k, j)
    # the outputs are a probability vector
    assert symbolic_zero(sp.Add(*forward) - 1)


# --- losses -------------------------------------------------------------------------------------------

def hand_partial(loss: str, o_k: sp.Symbol, t_k: sp.Symbol, size: int) -> sp.Expr:
    """∂loss/∂o_k derived by hand."""
    return {
        "half_sse": o_k - t_k,
        "sse": 2 * (o_k - t_k),
        "mse": 2 * (o_k - t_k) / size,
        "binary_cross_entropy": (o_k - t_k) / (o_k * (1 - o_k)),
        "categorical_cross_entropy": -t_k / o_k,
    }[loss]


def hand_loss(loss: str, outs: list[mpmath.mpf], targets: list[mpmath.mpf]) -> mpmath.mpf:
    pairs = list(zip(outs, targets, strict=True))
    return {
        "half_sse": lambda: sum((x - t) ** 2 for x, t in pairs) / 2,
        "sse": lambda: sum((x - t) ** 2 for x, t in pairs),
        "mse": lambda: sum((x - t) ** 2 for x, t in pairs) / len(pairs),
        "binary_cross_entropy": lambda: -sum(t * mpmath.log(x) + (1 - t) * mpmath.log(1 - x) for x, t in pairs),
        "categorical_cross_entropy": lambda: -sum(t * mpmath.log(x) for x, t in pairs),
    }[loss]()


LOSS_NAMES = ("half_sse", "sse", "mse", "binary_cross_entropy", "categorical_cross_entropy")
ALIASES = {"bce": "binary_cross_entropy", "cce": "categorical_cross_entropy",
           "cross_entropy": "categorical_cross_entropy"}


@pytest.mark.parametrize("loss", LOSS_NAMES)
@pytest.mark.parametrize("size", [1, 2, 3])
def test_loss_partials(loss: str, size: int) -> None:
    outs = list(sp.symbols(f"o1:{size + 1}", real=True))
    targets = list(sp.symbols(f"t1:{size + 1}", real=True))
    expr = losses.loss_expr(loss, outs, targets)
    for k in range(size):
        assert symbolic_zero(sp.diff(expr, outs[k]) - hand_partial(loss, outs[k], targets[k], size))
    # the loss formula itself, against a hand evaluation at a point
    point_o = [sp.Rational(2 + k, 10) for k in range(size)]
    point_t = [sp.Rational(7 - 2 * k, 10) for k in range(size)]
    value = expr.xreplace(dict(zip(outs + targets, point_o + point_t, strict=True)))
    with mpmath.workdps(60):
        expected = hand_loss(loss, [mp_value(v) for v in point_o], [mp_value(v) for v in point_t])
        assert agree(mp_value(value), expected, 50)


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_loss_aliases(alias: str) -> None:
    assert losses.canonical(alias) == ALIASES[alias]
    outs = list(sp.symbols("o1:3", real=True))
    targets = list(sp.symbols("t1:3", real=True))
    assert losses.loss_expr(alias, outs, targets) == losses.loss_expr(ALIASES[alias], outs, targets)


@pytest.mark.parametrize("loss", LOSS_NAMES)
def test_network_uses_these_partials(loss: str) -> None:
    act = {"binary_cross_entropy": "sigmoid", "categorical_cross_entropy": "softmax"}.get(loss, "tanh")
    net = Network.from_dict({"inputs": ["x1"], "loss": loss,
                             "layers": [{"name": "o", "activation": act, "size": 3}]})
    q = net.quantities[net.error]
    assert set(q.partials) == set(net.outputs)
    for o_k, t_k in zip(net.outputs, net.targets, strict=True):
        assert symbolic_zero(q.partials[o_k] - hand_partial(loss, o_k, t_k, 3))


# --- matching loss and output activation: δ = o − t ------------------------------------------------------

def network(loss: str, act: str, size: int, targets: list[float] | None = None) -> Network:
    data: dict[str, object] = {
        "loss": loss, "learning_rate": 0.1,
        "layers": [{"name": "h", "activation": "tanh", "size": 2, "bias": "b1"},
                   {"name": "o", "activation": act, "size": size, "bias": [f"c{k + 1}" for k in range(size)]}],
    }
    if targets is None:
        data["inputs"] = ["x1", "x2"]
    else:
        data["inputs"] = {"x1": 0.7, "x2": -1.1}
        data["targets"] = {f"o{k + 1}": t for k, t in enumerate(targets)}
        names = [f"w{k}" for k in range(1, 4 + 2 * size + 1)] + ["b1"] + [f"c{k + 1}" for k in range(size)]
        data["params"] = {name: round(0.3 - 0.17 * i, 2) for i, name in enumerate(names)}
    return Network.from_dict(data)


@pytest.mark.parametrize("size", [1, 2, 3])
def test_bce_sigmoid_delta_simplifies_to_o_minus_t(size: int) -> None:
    net = network("binary_cross_entropy", "sigmoid", size)
    d = derive(net)
    for layer_out, t in zip(net.outputs, net.targets, strict=True):
        term = d.delta(str(layer_out))
        assert term.simplified is not None
        assert sp.expand(term.simplified - (layer_out - t)) == 0
        assert term.assuming is None
        assert symbolic_zero(term.expr - (layer_out - t))  # the δ itself is o − t, identically
    for term in d.deltas:
        if term.layer != len(net.layers):
            assert term.simplified is None  # hidden neurons: no such cancellation claimed


def test_bce_sigmoid_delta_value_is_o_minus_t() -> None:
    net = network("binary_cross_entropy", "sigmoid", 2, [0.2, 0.9])
    d = derive(net)
    for o_k, t_k in zip(net.outputs, net.targets, strict=True):
        term = d.delta(str(o_k))
        fd = delta_finite_difference(net, term.net, 0)
        with mpmath.workdps(100):
            o_minus_t = mp_value(d.forward[0].values[o_k]) - mp_value(net.samples[0][t_k])
        assert agree(fd, o_minus_t, 40)
        assert agree(term.values[0], fd, 40)


@pytest.mark.parametrize("size", [2, 3, 4])
def test_cce_softmax_delta(size: int) -> None:
    net = network("categorical_cross_entropy", "softmax", size)
    d = derive(net)
    targets = list(net.targets)
    total = sp.Add(*targets)
    for j, (o_j, t_j) in enumerate(zip(net.outputs, targets, strict=True)):
        term = d.delta(str(o_j))
        # the simplified form is exactly the δ expression (no condition used) ...
        assert term.simplified is not None
        assert sp.expand(term.simplified - term.expr) == 0
        assert sp.expand(term.simplified - (o_j * total - t_j)) == 0
        # ... and o_j − t_j under Σ t = 1
        assert term.assuming is not None
        condition, given = term.assuming
        assert condition == sp.Eq(total, 1)
        assert sp.expand(given - (o_j - t_j)) == 0
        other = targets[(j + 1) % size]
        on_simplex = {other: 1 - (total - other)}
        assert sp.expand(term.expr.xreplace(on_simplex) - (o_j - t_j)) == 0


@pytest.mark.parametrize("targets", [[0.2, 0.3, 0.5], [0.0, 1.0, 0.0], [0.5, 0.7, 0.1], [0.0, 0.0, 0.0]])
def test_cce_softmax_delta_values(targets: list[float]) -> None:
    """∂E/∂net_j by finite differences is o_j Σt − t_j: o_j − t_j exactly when the targets sum to 1."""
    net = network("categorical_cross_entropy", "softmax", 3, targets)
    d = derive(net)
    sums_to_one = sum(sp.Rational(repr(t)) for t in targets) == 1
    with mpmath.workdps(100):
        total = mpmath.fsum(mp_value(t) for t in targets)
        for o_j, t_j in zip(net.outputs, net.targets, strict=True):
            term = d.delta(str(o_j))
            fd = delta_finite_difference(net, term.net, 0)
            o = mp_value(d.forward[0].values[o_j])
            t = mp_value(net.samples[0][t_j])
            assert agree(term.values[0], fd, 40)
            assert agree(fd, o * total - t, 40, atol=1e-60)
            assert agree(fd, o - t, 40) == sums_to_one


@pytest.mark.parametrize(("loss", "act"), [("half_sse", "sigmoid"), ("binary_cross_entropy", "tanh"),
                                           ("categorical_cross_entropy", "sigmoid"), ("mse", "softmax")])
def test_no_cancellation_claimed_for_other_pairs(loss: str, act: str) -> None:
    net = network(loss, act, 2)
    d = derive(net)
    assert all(term.simplified is None and term.assuming is None for term in d.deltas)


def test_every_loss_entry_is_complete() -> None:
    """A loss entry names itself in every language, a spec accepts its name and aliases, and a matching output
    activation really leaves δ = o − t (the o − t form the lectures print for it): ∂E/∂o · ∂o/∂net summed over
    the outputs, for two outputs, is o_k − t_k when the targets sum to 1 (softmax) or for each output alone."""
    from symbackprop.render.tex import LANGUAGES
    from symbackprop.spec import LOSSES

    outs = sp.symbols("o1 o2", real=True)
    nets = sp.symbols("n1 n2", real=True)
    targets = sp.symbols("t1 t2", real=True)
    for name, loss in losses.LOSSES.items():
        assert set(loss.labels) == set(LANGUAGES), name
        assert {name, *loss.aliases} <= set(LOSSES)
        if loss.matching is None:
            continue
        act = make(loss.matching)
        forward = dict(zip(outs, act.forward_layer(list(nets)), strict=True))
        error = losses.loss_expr(name, list(outs), list(targets)).xreplace(forward)
        for k in range(2):
            delta = sp.diff(error, nets[k]).xreplace({targets[1]: 1 - targets[0]} if not act.elementwise else {})
            expected = (forward[outs[k]] - targets[k]).xreplace({targets[1]: 1 - targets[0]}
                                                                if not act.elementwise else {})
            assert symbolic_zero(delta - expected), (name, k)


@pytest.mark.parametrize("name", ["sigmoid", "bipolar_sigmoid"])
@pytest.mark.parametrize("gain", [sp.Rational(1, 2), sp.Integer(2)])
def test_a_sigmoid_with_gain(name: str, gain: sp.Rational) -> None:
    """`gain = a` on a sigmoid layer: out = σ(a·net), f' = a·out(1 − out) (bipolar: a/2 (1 + out)(1 − out)) —
    sympy.diff of the forward formula; a network with it has gradients equal to central differences of its error,
    the compiled ones agree, no o − t cancellation is claimed for binary cross-entropy (δ = a(o − t) there)."""
    from symbackprop.numeric import compile_network

    a = activations.make(name, gain=gain)
    forward = a.forward(n)
    assert symbolic_zero(a.derivative(n, o).xreplace({o: forward}) - sp.diff(forward, n))
    net = Network.from_dict({
        "learning_rate": 0.5, "loss": "binary_cross_entropy" if name == "sigmoid" else "half_sse", "inputs": ["x1"],
        "layers": [{"name": "h", "activation": name, "gain": float(gain), "size": 1, "bias": "b1"},
                   {"name": "o", "activation": name, "gain": float(gain), "size": 1}],
        "params": {"w1": 0.8, "b1": -0.3, "w2": 1.2},
        "samples": [{"inputs": {"x1": 0.6}, "targets": {"o1": 0.25}}]})
    d = derive(net)
    assert all(t.simplified is None for t in d.deltas)  # no cancellation claimed
    _, grads = compile_network(net).loss_and_gradients()
    for p in d.params:
        assert agree(mp_value(p.gradient), finite_difference(net, p.param), 20), p.name
        assert abs(float(p.gradient) - grads[p.name]) < 1e-12, p.name


def test_gain_is_for_the_sigmoids_only() -> None:
    from symbackprop.errors import SpecError

    for activation, gain in (("tanh", 2), ("sigmoid", 0), ("sigmoid", -1)):
        with pytest.raises(SpecError) as info:
            Network.from_dict({"inputs": ["x1"], "layers": [{"name": "o", "activation": activation, "gain": gain,
                                                              "size": 1}]})
        assert info.value.key == "layers[0].gain"


def test_the_checker_reads_the_written_names_of_the_registry() -> None:
    """An activation's `written` names (how students write it applied) are all the checker needs: each one is
    read as the application of one function, and the resolver takes that function for the entry's activation."""
    from symbackprop.activations import APPLIED, KINDS, make
    from symbackprop.check.answers import Answer
    from symbackprop.check.parse import parse
    from symbackprop.check.run import Checker
    from symbackprop.network import Network

    written = {w: kind.name for kind in KINDS.values() for w in kind.written}
    assert written, "no activation is written by students"
    for w, name in written.items():
        command = f"\\{w}" if w in ("sigma",) else w
        (expr,) = [e.expr for c in parse(f"{command}(x)").chains for e in c.elements]
        assert isinstance(expr, sp.core.function.AppliedUndef) and APPLIED[type(expr).__name__] == name, w
    # and the resolver applies the entry's forward formula: a right forward value is judged right, a wrong one not
    for name in {n for n in written.values()}:
        net = Network.from_dict({"inputs": {"x": 0.5}, "targets": {"h1": 0.1}, "learning_rate": 0.5,
                                 "layers": [{"name": "h", "activation": name, "weights": [["w1"]], "bias": "b1"}],
                                 "params": {"w1": -0.4, "b1": 0.3}})  # net = 0.1
        true = float(KINDS[name].forward(sp.Float(0.1), make(name)))
        for w in [w for w, n in written.items() if n == name]:
            command = f"\\{w}" if w in ("sigma",) else w
            verdicts = [Checker(net).answer(Answer("q", "h1", f"{command}(net_{{h1}}) = {value:.6f}")).verdict
                        for value in (true, true + 0.05)]
            assert verdicts == ["correct", "incorrect"], (w, verdicts)


# --- the step activation: one entry, refused for gradient descent ----------------------------------------

def test_step_is_one_entry_the_perceptrons_hard_limiter() -> None:
    """H(net) with H(0) = 1 (y = 1 when net ≥ 0, as the perceptron's hard limiter); its derivative is sympy.diff's
    DiracDelta, 0 away from 0; the PyTorch form agrees at and around 0; its entry says why it cannot be trained."""
    n = sp.Symbol("n", real=True)
    step = activations.make("step")
    assert [step.forward(sp.Rational(v)) for v in ("-1/2", "0", "3/10")] == [0, 1, 1]
    assert sp.diff(step.forward(n), n) == step.derivative(n, sp.Symbol("o")) == sp.DiracDelta(n)
    assert step.derivative(n, n).xreplace({n: sp.Rational(1, 3)}) == 0
    assert activations.make("heaviside").name == "step"
    assert "perceptron rule" in (step.kind.no_gradient or "")
    torch = pytest.importorskip("torch")
    net = torch.tensor([[-0.5, 0.0, 0.3]], dtype=torch.float64)
    assert step.kind.torch is not None and step.kind.torch(torch, net, step).tolist() == [[0.0, 1.0, 1.0]]


STEP_SPEC = {"learning_rate": 0.5, "inputs": {"x1": 1}, "targets": {"o1": 1}, "params": {"w1": 0.5, "w2": 0.3},
             "layers": [{"name": "h", "activation": "step", "weights": [["w1"]]},
                        {"name": "o", "weights": [["w2"]]}]}


def test_a_step_layer_is_refused_naming_its_key() -> None:
    with pytest.raises(SpecError, match="perceptron rule") as info:
        Network.from_dict(STEP_SPEC)
    assert info.value.key == "layers[0].activation"


@pytest.mark.parametrize("command", [["derive"], ["render", "--format", "markdown"], ["train", "--steps", "1"]])
def test_derive_render_and_train_refuse_a_step_layer(command: list[str], run_cli: Any, tmp_path: Path) -> None:
    spec = tmp_path / "step.toml"
    spec.write_text('learning_rate = 0.5\ninputs = { x1 = 1 }\ntargets = { o1 = 1 }\n[[layers]]\nname = "o"\n'
                    'activation = "step"\nweights = [["w1"]]\n[params]\nw1 = 0.5\n', encoding="utf-8")
    proc = run_cli(command[0], spec, *command[1:])
    assert proc.returncode == 2 and proc.stdout == "" and "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "layers[0].activation" in line and "derivative is 0" in line and "perceptron rule" in line, line
    assert json.dumps(line)  # one printable line
