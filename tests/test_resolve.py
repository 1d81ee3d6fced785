r"""symbackprop.check.resolve: names as students write them → the network's quantities.

What a name means is decided here independently of the resolver: by the spec (its layers' order, the seeds'
comments on how their weights are numbered: seed 000's In_h1 = w1·x1 + w3·x2, seed 002's h2 = i1·w3 + i2·w4,
seed 001's W^{(1)}_{ij} from input i to hidden j), by published numbers (Mazur's "A Step by Step
Backpropagation Example", the source of seed 004: net_h1 = 0.3775, out_h1 = 0.593269992, ∂E/∂w5 = 0.082167041,
w5⁺ = 0.35891648 …) and by sympy.diff of the network's whole composed error (tests/truth.py): a δ written
`\delta_{o1}` must have the value of ∂E/∂net_o1, a `\frac{\partial E}{\partial w_5}` that of ∂E/∂w5.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import truth as T
from conftest import EXAMPLES, SEED000, SEED001, SEED002, SEED003, SEED004, SOFTMAX
from strategies import network, network_specs
from symbackprop import Network
from symbackprop.check.parse import RawName, RawPartial, parse
from symbackprop.check.resolve import Resolver, Unresolved, generic, raw_text
from symbackprop.check.truth import Truth
from symbackprop.notation import Notation

_TRUTHS: dict[Any, Truth] = {}


def truth_of(spec: Path | Network) -> Truth:
    if spec not in _TRUTHS:
        _TRUTHS[spec] = Truth.at_step(spec if isinstance(spec, Network) else Network.load(spec))
    return _TRUTHS[spec]


def resolve(spec: Path | Network, latex: str, resolver: Resolver | None = None, **parse_kw: Any) -> sp.Expr:
    """The network expression of the one member of `latex` (Δw_5 joined into one name as the judge joins it)."""
    r = resolver or Resolver(truth_of(spec), {})
    parsed = r.join_steps(parse(latex, **parse_kw))
    (chain,) = parsed.chains
    (element,) = chain.elements
    return r.expr(element.expr, parsed.names)


def value(spec: Path | Network, e: sp.Expr) -> sp.Expr:
    """The resolved expression's value at the network's numbers (sample 1; its δ's written out)."""
    tr = truth_of(spec)
    v = tr.value(tr.forward(e))
    assert v is not None, e
    return v


def leaves_at(net: Network, e: sp.Expr, sample: int = 0) -> sp.Expr:
    """An expression in the leaves at the network's numbers."""
    return e.xreplace(dict(net.samples[sample])).xreplace(dict(net.values))


def gradient(net: Network, param: str) -> sp.Expr:
    """sympy.diff of the whole error (one sample) with respect to a parameter, at the network's numbers."""
    return leaves_at(net, T.symbolic_gradient(net, net.by_name(param)))


def delta(net: Network, net_input: sp.Symbol) -> sp.Expr:
    """∂E/∂net by sympy.diff of the error with the net input perturbed, at the network's numbers."""
    return leaves_at(net, T.symbolic_delta(net, net_input))


def d_output(net: Network, out: sp.Symbol) -> sp.Expr:
    """∂E/∂out of a hidden neuron: sympy.diff of the error with that output perturbed."""
    e = sp.diff(T.composition(net, out, T.EPS)[net.error], T.EPS).subs(T.EPS, 0)
    return leaves_at(net, e)


def close(a: sp.Expr, b: Any, digits: int = 8) -> bool:
    return T.agree(a, sp.Rational(b) if isinstance(b, str) else b, digits)


def as_published(v: sp.Expr, text: str) -> bool:
    """v is the published number to the places it is printed with (within half a unit of its last digit)."""
    places = len(text.split(".")[1])
    return bool(abs(v - sp.Rational(text)) <= sp.Rational(1, 2 * 10**places))


NET004 = Network.load(SEED004)
HIDDEN, OUT = NET004.layers
# Mazur's published values for seed 004 (the blog post the seed follows)
MAZUR = {"net_h1": "0.3775", "out_h1": "0.593269992", "out_h2": "0.596884378", "net_o1": "1.105905967",
         "out_o1": "0.75136507", "out_o2": "0.772928465", "E_o1": "0.274811083", "E_o2": "0.023560026",
         "E": "0.298371109", "dE/dout_o1": "0.74136507", "dout_o1/dnet_o1": "0.186815602",
         "dE/dw5": "0.082167041", "dE/dw6": "0.082667628", "dE/dw7": "-0.02260254", "dE/dout_h1": "0.036350306",
         "dE/dw1": "0.000438568", "w5+": "0.35891648", "w1+": "0.149780716", "delta_o1": "0.138498562"}


# -- names of seed 004 (net/out, Mazur) ----------------------------------------------------------------------

@pytest.mark.parametrize(("latex", "symbol"), [
    ("w_5", NET004.by_name("w5")), ("w5", NET004.by_name("w5")), ("w_{5}", NET004.by_name("w5")),
    ("b_1", NET004.by_name("b1")),
    ("i_1", NET004.inputs[0]), ("x_2", NET004.inputs[1]), ("a^{(1)}_2", NET004.inputs[1]),
    ("net_{h1}", HIDDEN.nets[0]), ("net_{h_1}", HIDDEN.nets[0]), (r"\mathrm{net}_{o2}", OUT.nets[1]),
    ("In_{h_1}", HIDDEN.nets[0]), ("z^{(2)}_1", HIDDEN.nets[0]), ("z^{[1]}_2", HIDDEN.nets[1]),
    ("out_{h1}", HIDDEN.outs[0]), (r"\text{out}_{h1}", HIDDEN.outs[0]), ("Out_{h_2}", HIDDEN.outs[1]),
    ("h_1", HIDDEN.outs[0]),
    ("a^{(2)}_1", HIDDEN.outs[0]), ("out_{o2}", OUT.outs[1]), ("o_2", OUT.outs[1]), ("a^{(3)}_2", OUT.outs[1]),
    ("a^{[2]}_1", OUT.outs[0]), (r"\hat{y}_1", OUT.outs[0]),
    ("target_{o1}", NET004.targets[0]), ("t_{o2}", NET004.targets[1]), ("t_1", NET004.targets[0]),
    ("d_2", NET004.targets[1]),
    (r"\eta", NET004.learning_rate), (r"\alpha", NET004.learning_rate),
    ("E", NET004.error), ("E_{total}", NET004.error), ("E_{tot}", NET004.error), ("L", NET004.error),
    ("J", NET004.error),
    (r"\delta_{o1}", sp.Symbol("delta_o1", real=True)), (r"\delta^{(3)}_1", sp.Symbol("delta_o1", real=True)),
    (r"\delta^{(2)}_2", sp.Symbol("delta_h2", real=True)),
])
def test_seed004_names(latex: str, symbol: sp.Symbol) -> None:
    assert resolve(SEED004, latex) == symbol


@pytest.mark.parametrize(("latex", "name"), [
    # positional (Ng, Nielsen): w^{(l)}_{jk} into unit j of layer l from unit k of the layer before; seed 004
    # numbers its weights by the neuron they go into (net_h1 = w1 i1 + w2 i2 + b1, net_o1 = w5 h1 + w6 h2 + b2)
    (r"W^{(1)}_{12}", "w2"), (r"w^{(1)}_{21}", "w3"), (r"W^{(2)}_{12}", "w6"), (r"W^{[2]}_{21}", "w7"),
    # between two units named (Hinton): from the first into the second
    (r"w_{i1h1}", "w1"), (r"w_{h2o1}", "w6"),
])
def test_seed004_weights_by_position(latex: str, name: str) -> None:
    assert resolve(SEED004, latex) == NET004.by_name(name)


@pytest.mark.parametrize(("latex", "mazur"), [
    ("net_{h1}", "net_h1"), ("out_{h1}", "out_h1"), ("h_2", "out_h2"), ("net_{o1}", "net_o1"),
    ("out_{o1}", "out_o1"), ("o_2", "out_o2"), (r"\sigma(net_{h1})", "out_h1"), (r"f(net_{h1})", "out_h1"),
    (r"\frac{1}{1 + e^{-net_{h1}}}", "out_h1"),
    ("E", "E"), ("E_{o1}", "E_o1"), ("E_{o2}", "E_o2"),
    (r"\frac{\partial E_{total}}{\partial out_{o1}}", "dE/dout_o1"),
    (r"\frac{\partial out_{o1}}{\partial net_{o1}}", "dout_o1/dnet_o1"), (r"\sigma'(net_{o1})", "dout_o1/dnet_o1"),
    (r"f'(net_{o1})", "dout_o1/dnet_o1"),
    (r"\frac{\partial E_{total}}{\partial w_5}", "dE/dw5"), (r"\frac{\partial E}{\partial w_{5}}", "dE/dw5"),
    (r"\frac{dE}{dw_5}", "dE/dw5"), (r"\partial E/\partial w5", "dE/dw5"),
    (r"\frac{\partial E_{total}}{\partial w_6}", "dE/dw6"), (r"\frac{\partial E_{total}}{\partial w_7}", "dE/dw7"),
    (r"\frac{\partial E_{total}}{\partial w_1}", "dE/dw1"),
    (r"\frac{\partial E_{total}}{\partial out_{h1}}", "dE/dout_h1"),
    (r"\delta_{o1}", "delta_o1"),
    ("w_5^{+}", "w5+"), ("w_1^{+}", "w1+"), (r"w_5^{\text{new}}", "w5+"),
])
def test_seed004_values_are_mazurs(latex: str, mazur: str) -> None:
    assert as_published(value(SEED004, resolve(SEED004, latex)), MAZUR[mazur])


def test_the_step_of_a_weight_is_minus_eta_times_its_gradient() -> None:
    # Δw5 = w5⁺ − w5 = −0.5 · 0.082167041 (Mazur), one name once the judge has joined Δ and w5
    assert close(value(SEED004, resolve(SEED004, r"\Delta w_5")), sp.Rational(-1, 2) * gradient(NET004, "w5"), 20)


@pytest.mark.parametrize("param", [p.name for p in NET004.params])
def test_every_gradient_of_seed004_is_sympy_diff_of_the_whole_error(param: str) -> None:
    latex = rf"\frac{{\partial E_{{total}}}}{{\partial {Notation(NET004).latex_names[NET004.by_name(param)]}}}"
    assert close(value(SEED004, resolve(SEED004, latex)), gradient(NET004, param), 30)


@pytest.mark.parametrize("k", range(4))
def test_every_delta_of_seed004_is_dE_dnet(k: int) -> None:
    net_input = (*HIDDEN.nets, *OUT.nets)[k]
    neuron = NET004.quantities[net_input].neuron
    for latex in (rf"\delta_{{{neuron}}}", rf"\frac{{\partial E}}{{\partial net_{{{neuron}}}}}"):
        assert close(value(SEED004, resolve(SEED004, latex)), delta(NET004, net_input), 30), latex


def test_a_partial_is_through_the_graph_and_a_local_one_as_in_the_chain_rule() -> None:
    # ∂E/∂out_h1 sums over both output paths (Mazur: 0.036350306); ∂net_o1/∂w5 is out_h1, ∂net_o1/∂out_h1 is w5
    student = value(SEED004, resolve(SEED004, r"\frac{\partial E}{\partial out_{h1}}"))
    assert close(student, d_output(NET004, HIDDEN.outs[0]), 30)
    assert resolve(SEED004, r"\frac{\partial net_{o1}}{\partial w_5}") == HIDDEN.outs[0]
    assert resolve(SEED004, r"\frac{\partial net_{o1}}{\partial out_{h1}}") == NET004.by_name("w5")
    assert resolve(SEED004, r"\frac{\partial net_{o1}}{\partial w_7}") == 0  # w7 feeds o2 only


# -- seed 000 (In/Out, weights numbered by the neuron they leave) -------------------------------------------

NET000 = Network.load(SEED000)


def test_seed000_names_and_its_source_numbering() -> None:
    h, o = NET000.layers
    assert resolve(SEED000, "In_{h_1}") == h.nets[0] and resolve(SEED000, "h_1") == h.outs[0]
    assert resolve(SEED000, "o_2") == o.outs[1] and resolve(SEED000, "y_1") == NET000.targets[0]
    assert resolve(SEED000, "Error") == NET000.error and resolve(SEED000, "x_2") == NET000.inputs[1]
    # the seed: In_h1 = w1·x1 + w3·x2 — the weight from x2 into h1 is w3, however it is written
    w3 = NET000.by_name("w3")
    for latex in ("w_3", r"W^{(1)}_{12}", r"w^{(1)}_{12}", r"w_{x2h1}", r"w_{x_2h_1}"):
        assert resolve(SEED000, latex) == w3, latex
    assert resolve(SEED004, r"W^{(1)}_{12}") == NET004.by_name("w2")  # the same name in seed 004's numbering


def test_seed000_per_weight_delta_beyond_the_outputs() -> None:
    # δ_1, δ_2: the outputs' error terms; δ_5 (no fifth output): seed 000's per-weight δ_5 = ∂Error/∂w5
    o = NET000.layers[1]
    assert close(value(SEED000, resolve(SEED000, r"\delta_1")), delta(NET000, o.nets[0]), 30)
    assert close(value(SEED000, resolve(SEED000, r"\delta_5")), gradient(NET000, "w5"), 30)
    assert close(value(SEED000, resolve(SEED000, r"\frac{\partial Error}{\partial w_3}")), gradient(NET000, "w3"), 30)


# -- seed 001 (named W^{(1)}_{ij}: from input i to hidden j; symbolic, abstract Φ) ------------------------

NET001 = Network.load(SEED001)


@pytest.mark.parametrize("latex", [r"W^{(1)}_{21}", r"W^1_{21}", r"W_{21}"])
def test_seed001_own_names_win_over_position(latex: str) -> None:
    # the spec's W1_21 connects input 2 to hidden neuron 1: row h1, column x2 of the first layer
    r = Resolver(truth_of(SEED001), {})
    parsed = r.join_steps(parse(latex))
    e = r.expr(parsed.chains[0].elements[0].expr, parsed.names)
    assert e == NET001.by_name("W1_21") == NET001.layers[0].weights[0][1]


def test_seed001_abstract_phi_and_its_derivative() -> None:
    h = NET001.layers[0]
    phi = resolve(SEED001, r"\Phi(In_{h_1})")  # the network's own Φ (a SymPy function of that name)
    assert phi.func.__name__ == "Phi" and phi.args == (h.nets[0],)
    assert resolve(SEED001, r"\Phi'_1") == sp.Derivative(phi, h.nets[0])
    assert resolve(SEED001, "W^{(2)}_3") == NET001.by_name("W2_3") and resolve(SEED001, "d") == NET001.targets[0]
    assert resolve(SEED001, "y") == NET001.layers[1].outs[0] and resolve(SEED001, r"\alpha") == NET001.learning_rate


@pytest.mark.parametrize("param", ["W1_21", "W1_13", "W2_2"])
def test_seed001_gradients_are_sympy_diff_symbolically(param: str) -> None:
    latex = rf"\frac{{\partial E}}{{\partial {Notation(NET001).latex_names[NET001.by_name(param)]}}}"
    tr = truth_of(SEED001)
    student = T.compose(NET001, tr.forward(resolve(SEED001, latex)))
    truth = T.symbolic_gradient(NET001, NET001.by_name(param))
    assert sp.simplify((student - truth).doit()) == 0


# -- seed 002 (no activation; w^{(l)}_{ij} joins unit j of layer l to unit i of layer l + 1) -------------

def test_seed002_positional_weights_and_single_output_words() -> None:
    net = Network.load(SEED002)
    # the seed: h1 = i1·w1 + i2·w2, h2 = i1·w3 + i2·w4, out = h1·w5 + h2·w6
    assert resolve(SEED002, r"w^{(1)}_{21}") == net.by_name("w3")
    assert resolve(SEED002, r"W^{(1)}_{12}") == net.by_name("w2")
    assert resolve(SEED002, r"w^{(2)}_{12}") == net.by_name("w6")
    out = net.layers[1].outs[0]
    for word in ("out", "prediction", "o"):  # "(target − output)" of a network with one output
        assert resolve(SEED002, word) == out, word
    for word in ("y", "actual", "target", "t"):
        assert resolve(SEED002, word) == net.targets[0], word
    # ∂Error/∂w6 = (out − y)·h2 (the seed's own line), by sympy.diff: −0.38832
    assert close(value(SEED002, resolve(SEED002, r"\frac{\partial Error}{\partial w_6}")), gradient(net, "w6"), 30)
    assert close(gradient(net, "w6"), "-0.38832", 20)


# -- z/a with layer superscripts, and each activation of a mixed network ----------------------------------

def za(path: Path) -> Network:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["notation"] = {**data.get("notation", {}), "style": "z_a"}
    return Network.from_dict(data)


def test_the_za_style_reads_its_own_names_back() -> None:
    net = za(SEED004)
    h, o = net.layers
    names = Notation(net).latex_names
    assert names[h.nets[0]] == "z^{(2)}_{1}" and names[o.outs[1]] == "a^{(3)}_{2}"  # the style (styles.ZA)
    assert resolve(net, "z^{(2)}_{1}") == h.nets[0] and resolve(net, "a^{(3)}_{2}") == o.outs[1]
    assert close(value(net, resolve(net, r"\delta^{(3)}_{1}")), delta(net, o.nets[0]), 30)
    assert close(value(net, resolve(net, r"\frac{\partial E}{\partial z^{(2)}_{2}}")), delta(net, h.nets[1]), 30)


def test_f_and_its_prime_are_the_activation_of_the_neuron_they_are_applied_to() -> None:
    net = Network.from_dict({
        "inputs": {"x1": 0.3}, "targets": {"o1": 0.2}, "learning_rate": 0.1,
        "layers": [{"name": "h", "activation": "sigmoid", "weights": [["w1"]]},
                   {"name": "o", "activation": "tanh", "weights": [["w2"]]}],
        "params": {"w1": 0.5, "w2": -0.7}})
    (nh,), (no,) = net.layers[0].nets, net.layers[1].nets
    x = sp.Symbol("x")
    sigmoid, tanh = 1 / (1 + sp.exp(-x)), sp.tanh(x)
    env = {nh: sp.Rational(3, 20)}
    env[no] = sp.Rational(-7, 10) * sigmoid.subs(x, env[nh])
    cases = {"f(net_{h1})": sigmoid.subs(x, env[nh]), "f(net_{o1})": tanh.subs(x, env[no]),
             "f'(net_{h1})": sp.diff(sigmoid, x).subs(x, env[nh]), "f'(net_{o1})": sp.diff(tanh, x).subs(x, env[no]),
             r"\sigma(net_{o1})": sigmoid.subs(x, env[no])}  # σ is the sigmoid whatever the neuron
    for latex, expected in cases.items():
        assert close(value(net, resolve(net, latex)), expected, 30), latex


# -- several samples ------------------------------------------------------------------------------------

def test_a_sample_superscript_names_that_samples_quantity() -> None:
    net = Network.load(SOFTMAX)
    y1 = net.layers[1]
    # E is the batch's loss (the spec: mean over 2 samples); L^{(2)} is sample 2's
    assert close(value(SOFTMAX, resolve(SOFTMAX, "E")), T.batch_loss(net), 30)
    assert close(value(SOFTMAX, resolve(SOFTMAX, "L^{(2)}")), T.sample_loss(net, 1), 30)
    assert close(value(SOFTMAX, resolve(SOFTMAX, "L^{(1)}")), T.sample_loss(net, 0), 30)
    # δ^{(2)}_{y1} = ∂L⁽²⁾/∂net_y1⁽²⁾: sympy.diff of sample 2's error
    d2 = leaves_at(net, T.symbolic_delta(net, y1.nets[0]), sample=1)
    assert close(value(SOFTMAX, resolve(SOFTMAX, r"\delta^{(2)}_{y1}")), d2, 30)
    # ∂E/∂w5 is over the batch: the mean of the samples' gradients
    batch = T.symbolic_batch_gradient(net, net.by_name("w5")).xreplace(dict(net.values))
    assert close(value(SOFTMAX, resolve(SOFTMAX, r"\frac{\partial E}{\partial w_5}")), batch, 30)
    assert close(batch, T.finite_differences(net, [net.by_name("w5")], digits=30)[net.by_name("w5")], 25)


# -- the student's own names, unknown names ------------------------------------------------------------

def test_an_unknown_name_is_unresolved_and_named() -> None:
    for latex, shown in (("q_7", "q_7"), (r"\delta_{h3}", "delta_h3"), ("w_9", "w_9")):
        with pytest.raises(Unresolved) as info:
            resolve(SEED004, latex)
        assert f"unknown name {shown}" in info.value.message
    with pytest.raises(Unresolved) as info:
        resolve(SEED004, "q_7", Resolver(truth_of(SEED004), {}, lang="zh"))
    assert "未知的记号 q_7" in info.value.message


def test_a_partial_must_be_of_and_with_respect_to_quantities() -> None:
    with pytest.raises(Unresolved) as info:
        resolve(SEED004, r"\frac{\partial E}{\partial \delta_{o1}}")
    assert "not a node" in info.value.message


def test_the_students_own_name_means_its_definition_and_the_network_name_wins_otherwise() -> None:
    tr = truth_of(SEED004)
    g = RawName("g", "1")
    mine = sp.Symbol("delta_o1", real=True) * HIDDEN.outs[0]
    r = Resolver(tr, {g: mine})
    assert r.own(g) and not r.own(RawName("w", "5")) and not r.own(RawName("out", "h1"))
    assert close(value(SEED004, resolve(SEED004, "g_1", r)), gradient(NET004, "w5"), 30)
    # a definition of a network name (the student's δ_5 on seed 000 is his own per-weight δ) is what it says
    r2 = Resolver(tr, {RawName("delta", "o1"): HIDDEN.outs[0]})
    assert resolve(SEED004, r"\delta_{o1}", r2) == HIDDEN.outs[0]


def test_generic_index_names_and_raw_text() -> None:
    assert generic(RawName("w", "ji")) and generic(RawName("delta", "j", "l")) and generic(RawName("a", "k", "l-1"))
    assert not generic(RawName("w", "5")) and not generic(RawName("out", "h1")) and not generic(RawName("w", "j5"))
    assert raw_text(RawName("w", "5", "+")) == "w^+_5"
    assert raw_text(RawPartial(RawName("E"), RawName("w", "5"))) == "∂E/∂w_5"
    assert raw_text(RawName("y", "1", accent="hat")) == "hat(y)_1"


# -- every name the lectures print reads back as its quantity ---------------------------------------------

def _round_trip(net: Network) -> None:
    tr = Truth.at_step(net)
    for s, latex in Notation(net).latex_names.items():
        parsed = parse(latex)
        e = Resolver(tr, {}).expr(parsed.chains[0].elements[0].expr, parsed.names)
        assert e == (tr.loss if s == net.error else s), (latex, e)


@pytest.mark.parametrize("path", [*EXAMPLES, "za:seed004", "za:seed000"], ids=str)
def test_every_printed_name_of_an_example_reads_back(path: Path | str) -> None:
    net = za(SEED004 if path == "za:seed004" else SEED000) if isinstance(path, str) else Network.load(path)
    _round_trip(net)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(network_specs(samples=(1, 1), hidden=(1, 2), widths=(1, 3), inputs=(1, 3),
                     activations=("identity", "sigmoid", "tanh", "softplus")),
       st.sampled_from(["net_out", "in_out", "z_a"]))
def test_random_networks_names_and_gradients(spec: dict[str, Any], style: str) -> None:
    """Any network in any style: every printed name is its quantity, and ∂E/∂p written with the printed names
    has the value of central differences of the loss (mpmath, tests/truth.py)."""
    net = network({**spec, "notation": {"style": style}})
    _round_trip(net)
    tr = Truth.at_step(net)
    notation = Notation(net)
    fd = T.finite_differences(net, digits=20, sample=0)
    for p in net.params:
        parsed = parse(notation.partial_latex(net.error, p))
        e = Resolver(tr, {}).expr(parsed.chains[0].elements[0].expr, parsed.names)
        assert T.agree(tr.value(tr.forward(e)), fd[p], 15, atol=1e-25), (p, style)


def test_seed003_is_symbolic_and_its_names_still_resolve() -> None:
    net = Network.load(SEED003)
    assert not net.is_numeric()
    assert resolve(SEED003, "out_O") == net.layers[1].outs[0] and resolve(SEED003, "target") == net.targets[0]
    student = T.compose(net, truth_of(SEED003).forward(resolve(SEED003, r"\frac{\partial E}{\partial w_1}")))
    assert sp.simplify(student - T.symbolic_gradient(net, net.by_name("w1"))) == 0
