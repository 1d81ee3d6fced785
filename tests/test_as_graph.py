"""A layered network shown as its graph (as_graph.circuit_of, `--as-graph`): the circuit's gradients equal the
layered derivation's, both equal sympy.diff of the error composed here from the layers' weights, and every δ of
the layered derivation is the circuit's upstream gradient at the neuron's net-input node (issue 15)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sympy as sp

from symbackprop.activations import Activation
from symbackprop.as_graph import _names, circuit_of
from symbackprop.backward import derive_circuit
from symbackprop.derive import derive
from symbackprop.errors import SpecError
from symbackprop.graph import Kind
from symbackprop.network import Network

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in [*ROOT.glob("examples/*.toml"), *ROOT.glob("examples/layered/*.toml")]
                  if len(Network.load(p).samples) == 1)
TOL = sp.Float("1e-12")
# values for the leaves of a symbolic spec (any point away from ReLU's kink), and Φ as tanh there
POINT = [sp.Rational(3, 10), sp.Rational(-1, 2), sp.Rational(7, 10), sp.Rational(1, 5), sp.Rational(-3, 10),
         sp.Rational(2, 5), sp.Rational(11, 20), sp.Rational(-1, 10), sp.Rational(13, 20), sp.Rational(1, 4)]


def _activation(name: str, x: sp.Expr, act: Activation) -> sp.Expr:
    """The activations the bundled examples use, written out here."""
    if name == "abstract":
        return act.forward(x)  # the undefined function itself (Φ)
    return {"sigmoid": 1 / (1 + sp.exp(-x)), "identity": x, "tanh": sp.tanh(x), "relu": sp.Max(0, x)}[name]


def _error(net: Network, cut: sp.Symbol | None = None, z: sp.Symbol | None = None) -> sp.Expr:
    """½ Σ (t − o)² of the leaves, composed from the layers' weights, biases and skips; the net input `cut` is the
    free symbol z instead of its formula (for ∂E/∂net)."""
    assert net.spec.loss == "half_sse", net.spec.loss
    prev: list[sp.Expr] = list(net.inputs)
    for layer in net.layers:
        assert not layer.threshold
        outs = []
        for r in range(len(layer.neurons)):
            s = sp.Add(*[w * a for w, a in zip(layer.weights[r], prev, strict=True) if w is not None])
            if layer.biases[r] is not None:
                s += layer.biases[r]
            if layer.nets[r] == cut:
                s = z
            o = _activation(layer.activation_of(r).name, s, layer.activation_of(r))
            if layer.skip:  # the bundled residual example adds the inputs: out = f(net) + x
                assert layer.skip_from == "inputs" and layer.skip[r] in net.inputs
                o += layer.skip[r]
            outs.append(o)
        prev = outs
    return sp.Rational(1, 2) * sp.Add(*[(t - o) ** 2 for t, o in zip(net.targets, prev, strict=True)])


def _leaf_values(net: Network) -> dict[sp.Symbol, sp.Expr]:
    leaves = [*net.inputs, *net.targets, *net.params]
    given = {**net.values, **net.samples[0]}
    return {s: given.get(s, POINT[i % len(POINT)]) for i, s in enumerate(leaves)}


def _number(expr: sp.Expr, *maps: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    """A formula with Φ read as tanh (Φ' then being tanh's derivative), then the maps applied in turn."""
    def tanh(e: sp.Expr) -> sp.Expr:
        return e.replace(lambda f: isinstance(f, sp.core.function.AppliedUndef), lambda f: sp.tanh(f.args[0])).doit()

    e = tanh(expr)
    for m in maps:
        e = tanh(e.xreplace(m))
    return sp.N(e, 30)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_graph_has_the_layered_gradients_and_deltas(path: Path) -> None:
    net = Network.load(path)
    circuit = circuit_of(net)
    dc, dl = derive_circuit(circuit), derive(net)
    names = _names(net)
    values = _leaf_values(net)
    c_values = {circuit.by_name(names[s]): v for s, v in values.items()}
    c_closed = circuit.composed()
    error = _error(net)
    for p in net.params:
        truth = _number(sp.diff(error, p), values)
        g = dc.gradient(names[p])
        ours = _number(g.closed, c_closed, c_values)
        assert abs(ours - truth) < TOL, (p, ours, truth)
        if g.value is not None:
            assert abs(sp.N(g.value, 30) - truth) < TOL
            layered = dl.param(p.name).gradient
            assert abs(sp.N(layered, 30) - truth) < TOL, (p, layered, truth)
    z = sp.Symbol("z_cut", real=True)
    composed = net.composed()
    for term in dl.deltas:  # δ_n = ∂E/∂net_n: the circuit's upstream gradient at the node net_n
        g = dc.gradient(names[term.net])
        assert circuit.quantities[g.quantity].name == names[term.net]
        truth = _number(sp.diff(_error(net, term.net, z), z), {z: composed[term.net]}, values)
        ours = _number(g.closed, c_closed, c_values)
        assert abs(ours - truth) < TOL, (term.neuron, ours, truth)
        if g.value is not None:
            assert abs(sp.N(term.values[0], 30) - sp.N(g.value, 30)) < TOL, (term.neuron, term.values[0], g.value)
    assert len(dl.deltas) == sum(q.kind is Kind.NET for q in net.quantities.values())


def test_nodes_are_named_as_the_notation_style_writes_them() -> None:
    c = circuit_of(Network.load(ROOT / "examples/seed004_mattmazur.toml"))  # net_out style
    assert {"net_h1", "out_h1", "net_o2", "out_o2", "E_total", "target_o1"} <= {q.name for q in
                                                                               c.quantities.values()}
    c = circuit_of(Network.load(ROOT / "examples/seed000_in_out.toml"))  # seed 000: In_h1 and h1
    assert {"In_h1", "h1", "In_o1", "o1", "Error"} <= {q.name for q in c.quantities.values()}


def test_a_softmax_output_with_one_sample_is_a_graph() -> None:
    """Softmax's expressions fit a circuit: its gradients equal the layered derivation's (and sympy.diff's)."""
    net = Network.from_dict({
        "loss": "cce", "inputs": {"x1": 0.5, "x2": -0.2}, "targets": {"y1": 1, "y2": 0, "y3": 0},
        "layers": [{"name": "y", "activation": "softmax", "weights": [["w1", "w2"], ["w3", "w4"], ["w5", "w6"]]}],
        "params": {"w1": 0.3, "w2": -0.1, "w3": 0.2, "w4": 0.4, "w5": 0.5, "w6": -0.3}})
    dc, dl = derive_circuit(circuit_of(net)), derive(net)
    x1, x2 = net.inputs
    w = net.params
    nets = [w[0] * x1 + w[1] * x2, w[2] * x1 + w[3] * x2, w[4] * x1 + w[5] * x2]
    error = -sp.log(sp.exp(nets[0]) / sp.Add(*map(sp.exp, nets)))  # target (1, 0, 0)
    values = {**net.values, **net.samples[0]}
    for p in w:
        truth = sp.N(sp.diff(error, p).xreplace(values), 30)
        assert abs(sp.N(dc.gradient(p.name).value, 30) - truth) < TOL
        assert abs(sp.N(dl.param(p.name).gradient, 30) - truth) < TOL
    for term in dl.deltas:
        assert abs(sp.N(term.values[0], 30) - sp.N(dc.gradient(f"net_{term.neuron}").value, 30)) < TOL


def test_several_samples_are_refused() -> None:
    with pytest.raises(SpecError, match="one sample"):
        circuit_of(Network.load(ROOT / "examples/softmax_batch.toml"))


def test_the_cli_shows_a_layered_spec_as_its_graph(run_cli, tmp_path: Path) -> None:
    spec = ROOT / "examples/seed004_mattmazur.toml"
    r = run_cli("derive", spec, "--as-graph")
    assert r.returncode == 0, r.stderr
    assert "upstream × local" in r.stdout and "net_h1" in r.stdout
    r = run_cli("derive", spec, "--as-graph", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    # Mazur's published ∂E_total/∂w5 = 0.082167041 and ∂E_total/∂w1 = 0.000438568
    assert abs(data["gradients"]["w5"] - 0.082167041) < 1e-8
    assert abs(data["gradients"]["w1"] - 0.000438568) < 1e-8
    r = run_cli("render", spec, "--as-graph", "--format", "snippet", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert r"\begin{align*}" in r.stdout and r"\mathit{net}_{h1}" in r.stdout
    r = run_cli("derive", ROOT / "examples/softmax_batch.toml", "--as-graph")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "one sample" in r.stderr and "Traceback" not in r.stderr


needs_tex = pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("xelatex") is None,
                               reason="latexmk/xelatex not installed")


@pytest.mark.tex
@needs_tex
def test_the_graph_lecture_compiles(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "mazur_graph.tex"
    r = run_cli("render", ROOT / "examples/seed004_mattmazur.toml", "--as-graph", "--format", "beamer", "-o", out,
                "--pdf")
    assert r.returncode == 0, r.stderr
    assert out.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
