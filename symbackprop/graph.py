"""The model's data types: a graph of named scalar quantities (inputs, targets, parameters, net inputs, outputs,
the loss), each with its SymPy definition and its local partial derivatives, and the layers that group them.
Kept apart from network.py so that the layer kinds (layers.py), which make quantities, and the network,
which asks its layers' kinds to make them, both read them without importing each other."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

import sympy as sp

from . import activations


class Kind(str, Enum):
    INPUT = "input"
    TARGET = "target"
    PARAM = "param"
    NET = "net"
    OUT = "out"
    LOSS = "loss"
    NODE = "node"  # a node of a circuit (circuit.py): any expression of the quantities before it


WHAT = {Kind.INPUT: "an input", Kind.TARGET: "a target", Kind.PARAM: "a parameter", Kind.LOSS: "the loss"}


def symbol(name: str) -> sp.Symbol:
    """Every quantity is a real symbol; one factory so that all modules agree on assumptions."""
    return sp.Symbol(name, real=True)


@dataclass(frozen=True)
class Quantity:
    symbol: sp.Symbol
    kind: Kind
    name: str
    neuron: str | None = None
    layer: int | None = None  # 0 for inputs, 1..L for computed layers
    index: int | None = None  # position of the neuron (or input, or target) within its layer, from 0
    definition: sp.Expr | None = None
    partials: Mapping[sp.Symbol, sp.Expr] = field(default_factory=dict)
    display: sp.Expr | None = None  # the definition as lectures order it (unevaluated), for printing only


@dataclass(frozen=True)
class Layer:
    name: str
    index: int  # 1-based over the computed layers
    neurons: tuple[str, ...]
    activation: activations.Activation  # the layer's; with per-neuron activations, the first neuron's
    inputs: tuple[sp.Symbol, ...]  # outputs of the layer before, or the network's inputs
    nets: tuple[sp.Symbol, ...]
    outs: tuple[sp.Symbol, ...]
    # row r: neuron r, column c: input c; None where the spec wrote 0 (no connection, no parameter)
    weights: tuple[tuple[sp.Symbol | None, ...], ...]
    biases: tuple[sp.Symbol | None, ...]  # per neuron (the same symbol when shared)
    kind: str = "dense"  # its entry in layers.KINDS: how it is built, its δ nodes, its matrix and PyTorch forms
    threshold: bool = False  # the biases are thresholds θ: they enter the net input as −θ (a weight on a fixed −1)
    per_neuron: tuple[activations.Activation, ...] = ()  # one per neuron when they differ; () when all are `activation`
    skip: tuple[sp.Symbol, ...] = ()  # the added outputs of an earlier layer (or the inputs): out = f(net) + skip
    skip_from: str | None = None  # that layer's name, or "inputs"

    def activation_of(self, r: int) -> activations.Activation:
        """Neuron r's own activation."""
        return self.per_neuron[r] if self.per_neuron else self.activation

    @property
    def missing(self) -> bool:
        """Some connection of the weight matrix is absent (a 0 in the spec)."""
        return any(w is None for row in self.weights for w in row)

    @property
    def regular(self) -> bool:
        """One activation for every neuron, every connection present, no skip: the matrix forms W·a + b, f(z) and
        δ = (Wᵀδ) ⊙ f′(z) describe the layer."""
        return not self.per_neuron and not self.skip and not self.missing


class Builder(Protocol):
    """What a layer kind needs from the network being built: its quantities so far, a new leaf (a parameter)
    with its name claimed, and a name claimed for a quantity of its own."""

    quantities: dict[sp.Symbol, Quantity]

    def _leaf(self, name: str, kind: Kind, key: str, what: str | None = None, **info: Any) -> sp.Symbol: ...

    def _claim(self, name: str, what: str, key: str) -> None: ...
