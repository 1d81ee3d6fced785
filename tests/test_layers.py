"""The layer kinds (layers.KINDS): a spec names its layer's kind (dense by default, an unknown kind is one clear
error), the network and the derivation ask the kind, and what the dense kind says is checked against the truth
computed here: the nodes that carry a δ are those whose δ the derivation writes, and what a layer sends back to
the layer below (Wᵀδ) is ∂E/∂out of that layer, from sympy.diff of the whole error."""

from __future__ import annotations

import tomllib

import pytest
import sympy as sp

from conftest import EXAMPLES, SEED001, SEED002, SEED004
from symbackprop.derive import derive
from symbackprop.errors import SpecError
from symbackprop.layers import KINDS, Dense
from symbackprop.network import Network
from symbackprop.spec import load_spec, parse_spec


def test_a_layer_names_its_kind() -> None:
    spec = load_spec(SEED004)
    assert {ls.kind for ls in spec.layers} == {"dense"}
    data = {"inputs": ["x"], "layers": [{"name": "h", "kind": "dense", "size": 1}]}
    assert parse_spec(data).layers[0].kind == "dense"
    with pytest.raises(SpecError) as info:
        parse_spec({"inputs": ["x"], "layers": [{"name": "h", "kind": "dence", "size": 1}]})
    assert info.value.key == "layers[0].kind" and "dense" in str(info.value)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_dense_kind_against_the_truth(path) -> None:
    net = Network.load(path)
    d = derive(net)
    composed = net.composed()
    written = {t.net for t in d.deltas}
    assert written == {n for layer in net.layers for n in KINDS[layer.kind].error_nodes(layer)}
    delta_of = {t.net: t.delta for t in d.deltas}
    values = {t.delta: t.values[0] for t in d.deltas}
    if not net.is_numeric() or any(v is None for v in values.values()):
        return
    env = {**net.values, **net.samples[0]}
    for below, above in zip(net.layers, net.layers[1:], strict=False):
        sent = KINDS[above.kind].sent_back(above, delta_of)
        # ∂E/∂out_k of the layer below, out_k a free variable: the quantities above it composed from new symbols
        free = {o: sp.Symbol(f"free_{o.name}", real=True) for o in below.outs}
        mapping: dict = {}
        for q, info in net.quantities.items():  # in the order of the forward pass
            if q in free:
                mapping[q] = free[q]
            elif info.definition is None or (info.layer is not None and info.layer <= below.index):
                mapping[q] = q
            else:
                mapping[q] = info.definition.xreplace(mapping)
        e_free = mapping[net.error]
        at = {free[o]: composed[o].xreplace(env) for o in below.outs}
        for k, o in enumerate(below.outs):
            truth = sp.diff(e_free, free[o]).xreplace(at).xreplace(env)
            ours = sent[k].xreplace(values).xreplace(env)
            assert abs(sp.N(truth - ours, 30)) < 1e-20, (path.stem, o)


def test_a_kind_without_a_matrix_form_falls_back_to_the_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new kind is one entry of KINDS; where it has no numeric matrix form (layerwise._PLANS), compiling falls
    back to the graph's straight-line code, with the same numbers."""
    import numpy as np

    from symbackprop.layers import Dense
    from symbackprop.numeric import compile_network

    class Plain(Dense):  # a dense layer under another kind's name: no matrix form registered for it
        name = "plain"

    monkeypatch.setitem(KINDS, "plain", Plain())
    text = SEED004.read_text(encoding="utf-8").replace('name = "h"', 'name = "h"\nkind = "plain"')
    spec = parse_spec(tomllib.loads(text))
    assert spec.layers[0].kind == "plain"
    plain, dense = Network.from_spec(spec), Network.load(SEED004)
    fallback, layered = compile_network(plain), compile_network(dense)
    assert (fallback.method, layered.method) == ("graph", "layers")
    theta = np.array([float(dense.values[p]) for p in dense.params])
    x, t = layered.data()
    (loss_a, grad_a), (loss_b, grad_b) = (c.batch_loss_and_gradients(theta, x, t) for c in (fallback, layered))
    assert abs(loss_a - loss_b) < 1e-12 and np.allclose(grad_a, grad_b, rtol=0, atol=1e-12)
    assert derive(plain).params[0].gradient == derive(dense).params[0].gradient  # derive asks the kind too


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_dense_kinds_arrows_are_what_each_net_input_reads(path) -> None:
    """A figure's arrows into a neuron: every input and parameter its net input's definition uses, no other."""
    net = Network.load(path)
    for layer in net.layers:
        arrows = KINDS[layer.kind].arrows(layer)
        for n, o in zip(layer.nets, layer.outs, strict=True):
            into = [(s, p) for s, t, p, _ in arrows if t == o]
            assert {s for s, _ in into} | {p for _, p in into} == net.quantities[n].definition.free_symbols


class Opaque(Dense):
    """A dense layer under a kind that has no weight matrix to show (as a recurrent or convolution kind may not):
    the lecture's matrix, row-vector and index forms and the checker's positional names need LayerKind.grid."""

    name = "opaque"

    def grid(self, layer):  # type: ignore[no-untyped-def]
        return None


def _opaque(path, monkeypatch: pytest.MonkeyPatch) -> Network:
    monkeypatch.setitem(KINDS, "opaque", Opaque())
    text = path.read_text(encoding="utf-8").replace("[[layers]]\n", '[[layers]]\nkind = "opaque"\n')
    net = Network.from_spec(parse_spec(tomllib.loads(text)))
    assert {layer.kind for layer in net.layers} == {"opaque"}
    return net


@pytest.mark.parametrize("path", [SEED001, SEED002, SEED004], ids=lambda p: p.stem)
def test_a_kind_without_a_weight_matrix_keeps_every_chain(path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lecture asks the layer's kind for its weight matrix: where there is none, the matrix forms are left
    out and every line it still prints is accepted by the checker's judge, which reads it back and compares it
    with sympy.diff of the whole error (the same network as dense layers does show those forms)."""
    from test_lecture_judged import misjudged

    from symbackprop.render import derivation_json, derivation_text
    from symbackprop.render.document import render
    from symbackprop.render.lecture import lecture

    dense, opaque = Network.load(path), _opaque(path, monkeypatch)
    shown = lecture(derive(dense), figures=False)
    lec = lecture(derive(opaque), figures=False)
    assert shown.matrices or shown.forward_matrices or shown.index_forms  # the forms this kind must leave out
    assert (lec.matrices, lec.forward_matrices, lec.index_forms) == ([], (), ())
    assert [p.gradient for p in derive(opaque).params] == [p.gradient for p in derive(dense).params]
    assert misjudged(opaque, fmt="beamer") == []
    d = derive(opaque)
    for fmt in ("beamer", "article", "markdown", "snippet"):
        assert r"\partial" in render(d, fmt, full=True)
    assert derivation_text(d) and derivation_json(d)
