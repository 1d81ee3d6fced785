"""The network's one path enumerator and one reachability walk (Network.paths, Network.downstream), against
independent facts: what depends on a parameter is what its composed formula contains, and the number of paths
from the error to a weight of a dense network is the product of the widths of the layers above it."""

from __future__ import annotations

import itertools
import math

import pytest
import sympy as sp
from hypothesis import given, settings

from conftest import EXAMPLES
from strategies import network, network_specs
from symbackprop.network import Network


def _check(net: Network) -> None:
    composed = net.composed()
    for p in net.params:
        reach = net.downstream(p)
        assert reach == {q for q, e in composed.items() if q == p or e.has(p)}
        paths = net.paths(p)
        assert all(path[0][0] == net.error and path[-1][1] == p for path in paths)
        assert all(a[1] == b[0] for path in paths for a, b in itertools.pairwise(path))
        # the sum over the paths of the products of the local derivatives is the derivative (chain rule)
        total = sp.Add(*[sp.Mul(*[net.quantities[of].partials[wrt] for of, wrt in path]) for path in paths])
        truth = sp.diff(composed[net.error], p)
        point = {s: sp.Rational(k % 5 + 1, 10) for k, s in enumerate(sorted(
            truth.free_symbols | total.free_symbols, key=str))}
        got, want = (sp.N(e.xreplace(point), 30) for e in (net.compose(total, composed), truth))
        assert abs(got - want) <= sp.Float("1e-20") * max(1, abs(want)), (p, got, want)


def test_seed_examples() -> None:
    for path in EXAMPLES:
        net = Network.load(path)
        if any(layer.activation.name == "abstract" for layer in net.layers):
            continue
        _check(net)
        first = net.layers[0].weights[0][0]
        widths = [len(layer.neurons) for layer in net.layers[1:]]
        if all(layer.activation.elementwise for layer in net.layers):
            assert len(net.paths(first)) == math.prod(widths)


@pytest.mark.slow  # about half a minute: sympy.diff of whole composed errors
@given(network_specs(hidden=(1, 2), widths=(1, 3)))
@settings(max_examples=15, deadline=None)
def test_random_networks(data: dict) -> None:
    _check(network(data))
