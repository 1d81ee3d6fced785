"""The network model: a graph of named scalar quantities with SymPy definitions.

Inputs, targets and parameters are leaves; every neuron contributes a net input and an output; the
loss is the root. Each quantity stores its local partial derivatives with respect to its parents, in
the graph's own symbols — reverse accumulation (derive.py) only ever multiplies and sums these.
A dense layer is one way of building the graph; a parameter used in several places (a shared bias)
simply has several children.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import sympy as sp

from . import jupyter, losses
from .errors import SpecError
from .graph import WHAT, Kind, Layer, Quantity, symbol
from .layers import KINDS
from .spec import LayerSpec, Spec, load_spec, number, parse_spec
from .styles import STYLES

__all__ = ["Kind", "Layer", "Network", "Quantity", "network", "symbol"]


class Network:
    """A feed-forward network as a graph of named quantities; build it with from_spec / from_dict / load."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        try:
            self._build(spec)
        except SpecError as exc:
            raise exc.with_source(spec.source) from None

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def from_spec(cls, spec: Spec) -> Network:
        return cls(spec)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<dict>") -> Network:
        return cls(parse_spec(data, source=source))

    @classmethod
    def load(cls, path: str | Path) -> Network:
        return cls(load_spec(path))

    def _build(self, spec: Spec) -> None:
        self.quantities: dict[sp.Symbol, Quantity] = {}
        self._names: dict[str, str] = {}  # name -> what it is, to report clashes

        self.inputs = tuple(self._leaf(n, Kind.INPUT, f"inputs[{i}]", layer=0, index=i)
                            for i, n in enumerate(spec.input_names))
        layers: list[Layer] = []
        params: dict[sp.Symbol, None] = {}  # in order of first use (a shared parameter once)
        counter = 0  # weights numbered across layers
        prev = self.inputs
        for li, ls in enumerate(spec.layers):
            key = f"layers[{li}]"
            layer, counter = self._layer(ls, li + 1, key, prev, counter, spec)
            params.update(dict.fromkeys(KINDS[layer.kind].params(layer)))
            layers.append(layer)
            prev = layer.outs
        self.layers = tuple(layers)
        self.params = tuple(params)
        for li, layer in enumerate(self.layers[:-1]):
            if not layer.activation.elementwise:
                raise SpecError("softmax is only allowed on the output layer", key=f"layers[{li}].activation")

        out_layer = self.layers[-1]
        n_out = len(out_layer.neurons)
        self.loss_name = losses.canonical(spec.loss)
        if self.loss_name == "categorical_cross_entropy" and n_out < 2:
            raise SpecError("categorical cross-entropy needs at least two output neurons", key="loss")
        if spec.target_names is not None:
            if len(spec.target_names) != n_out:
                raise SpecError(f"expected {n_out} target names (one per output neuron "
                                f"{', '.join(out_layer.neurons)}), got {len(spec.target_names)}", key="targets")
            target_names = spec.target_names
        else:
            target_names = STYLES[spec.notation.style].targets(spec.notation.target, out_layer.neurons)
        self.target_of = {}
        targets = []
        for k, (tn, neuron) in enumerate(zip(target_names, out_layer.neurons, strict=True)):
            tkey = f"targets[{k}]" if spec.target_names is not None else "notation.target"
            t = self._leaf(tn, Kind.TARGET, tkey, neuron=neuron, index=k)
            self.target_of[neuron] = t
            targets.append(t)
        self.targets = tuple(targets)

        self.error = self._leaf(spec.notation.error, Kind.LOSS, "notation.error")
        self.learning_rate = self._leaf(spec.notation.learning_rate, Kind.PARAM, "notation.learning_rate",
                                        what="the learning rate")
        del self.quantities[self.learning_rate]  # a named constant, not a node of the graph
        del self.quantities[self.error]  # re-added last, with its definition
        loss = losses.loss_expr(spec.loss, list(out_layer.outs), list(self.targets))
        self.quantities[self.error] = Quantity(
            self.error, Kind.LOSS, spec.notation.error, definition=loss,
            partials={o: sp.diff(loss, o) for o in out_layer.outs},
            display=losses.loss_display(spec.loss, list(out_layer.outs), list(self.targets)))

        self._values(spec)
        self.children: dict[sp.Symbol, list[sp.Symbol]] = {s: [] for s in self.quantities}
        for q in self.quantities.values():
            for parent in q.partials:
                self.children[parent].append(q.symbol)

    def _leaf(self, name: str, kind: Kind, key: str, what: str | None = None, **info: Any) -> sp.Symbol:
        self._claim(name, what or WHAT.get(kind, kind.value), key)
        s = symbol(name)
        self.quantities[s] = Quantity(s, kind, name, **info)
        return s

    def _claim(self, name: str, what: str, key: str) -> None:
        if name in self._names:
            raise SpecError(f"duplicate name {name!r}: already used for {self._names[name]}; expected a name of "
                            "its own (only a parameter may be reused, as a weight or a bias)", key=key)
        self._names[name] = what

    def _layer(self, ls: LayerSpec, index: int, key: str, prev: tuple[sp.Symbol, ...], counter: int,
               spec: Spec) -> tuple[Layer, int]:
        """The layer's kind builds its quantities (layers.KINDS): this model only keeps the graph."""
        return KINDS[ls.kind].build(self, ls, index, key, prev, counter, spec)

    def _values(self, spec: Spec) -> None:
        by_name = {q.name: q.symbol for q in self.quantities.values() if q.kind is Kind.PARAM}
        self.values: dict[sp.Symbol, sp.Expr] = {}
        for n, v in spec.params.items():
            if n not in by_name:
                raise SpecError(f"{n!r} is not a parameter of the network; parameters: "
                                f"{', '.join(by_name) or 'none'}", key=f"params.{n}")
            self.values[by_name[n]] = _exact(v, f"params.{n}")
        if spec.learning_rate is not None:
            self.values[self.learning_rate] = _exact(spec.learning_rate, "learning_rate")
        frozen = set()
        for i, n in enumerate(spec.frozen):
            if n not in by_name:
                raise SpecError(f"{n!r} is not a parameter of the network; expected one of the parameters "
                                f"{', '.join(by_name) or '(none)'}", key=f"frozen[{i}]")
            frozen.add(by_name[n])
        self.frozen = frozenset(frozen)

        out_neurons = self.layers[-1].neurons
        samples = []
        for si, sample in enumerate(spec.samples):
            where = f"samples[{si}]." if spec.explicit_samples else ""
            vals: dict[sp.Symbol, sp.Expr] = {}
            if sample.inputs:
                if tuple(sample.inputs) != spec.input_names:
                    missing = [n for n in spec.input_names if n not in sample.inputs]
                    extra = [n for n in sample.inputs if n not in spec.input_names]
                    detail = f"missing {', '.join(missing)}" if missing else f"unknown {', '.join(extra)}"
                    if not missing and not extra:
                        detail = "different order"
                    raise SpecError(f"expected the inputs {', '.join(spec.input_names)}: {detail}",
                                    key=f"{where}inputs")
                vals.update({s: _exact(sample.inputs[n], f"{where}inputs.{n}")
                             for s, n in zip(self.inputs, spec.input_names, strict=True)})
            if sample.targets:
                extra = [n for n in sample.targets if n not in out_neurons]
                if extra:
                    raise SpecError(f"{extra[0]!r} is not an output neuron; targets are keyed by the output "
                                    f"neurons {', '.join(out_neurons)}", key=f"{where}targets.{extra[0]}")
                missing = [n for n in out_neurons if n not in sample.targets]
                if missing:
                    raise SpecError(f"missing a target for the output neuron(s) {', '.join(missing)}; expected "
                                    f"one value per output neuron: {', '.join(out_neurons)}", key=f"{where}targets")
                vals.update({self.target_of[n]: _exact(sample.targets[n], f"{where}targets.{n}") for n in out_neurons})
            samples.append(vals)
        self.samples: tuple[dict[sp.Symbol, sp.Expr], ...] = tuple(samples)

    # -- queries --------------------------------------------------------------------------------

    @property
    def outputs(self) -> tuple[sp.Symbol, ...]:
        return self.layers[-1].outs

    def quantity(self, s: sp.Symbol) -> Quantity:
        return self.quantities[s]

    def by_name(self, name: str) -> sp.Symbol:
        for q in self.quantities.values():
            if q.name == name:
                return q.symbol
        if name == self.learning_rate.name:
            return self.learning_rate
        raise KeyError(name)

    @cached_property
    def _downstream(self) -> dict[sp.Symbol, frozenset[sp.Symbol]]:
        out: dict[sp.Symbol, frozenset[sp.Symbol]] = {}
        for s in reversed(list(self.quantities)):  # quantities are in the order of the forward pass
            out[s] = frozenset({s}).union(*[out[c] for c in self.children.get(s, [])])
        return out

    def downstream(self, s: sp.Symbol) -> frozenset[sp.Symbol]:
        """`s` and every quantity that depends on it: the one reachability walk (figures, the checker's truth)."""
        return self._downstream.get(s, frozenset({s}))

    def paths(self, q: sp.Symbol) -> list[tuple[tuple[sp.Symbol, sp.Symbol], ...]]:
        """Every path from the error down to `q`, as its edges (of, wrt), the error's first: the one path
        enumerator (the derivation's path sums, the checker's slips on one path)."""
        if q == self.error:
            return [()]
        return [(*path, (c, q)) for c in self.children.get(q, []) for path in self.paths(c)]

    def composed(self) -> dict[sp.Symbol, sp.Expr]:
        """Every quantity written in the leaves only (inputs, targets, parameters): for truth checks."""
        out: dict[sp.Symbol, sp.Expr] = {}
        for s, q in self.quantities.items():
            out[s] = s if q.definition is None else q.definition.xreplace(out)
        return out

    def compose(self, expr: sp.Expr, composed: Mapping[sp.Symbol, sp.Expr] | None = None) -> sp.Expr:
        """Substitute the definitions of every net input and output (subs, so that Φ'(net) becomes Subs)."""
        mapping = composed if composed is not None else self.composed()
        inner = {s: e for s, e in mapping.items() if e != s}
        if expr.has(sp.Derivative):
            return expr.subs(inner, simultaneous=True)
        return expr.xreplace(inner)

    def _repr_markdown_(self) -> str:
        """Jupyter: the architecture and the forward definitions as rendered math."""
        return jupyter.markdown(self)

    def is_numeric(self) -> bool:
        need = set(self.params) | set(self.inputs) | set(self.targets)
        return all(need <= set(self.values) | set(s) for s in self.samples) and not any(
            act.name == "abstract" for layer in self.layers for act in layer.per_neuron or (layer.activation,))

    def with_values(self, values: Mapping[sp.Symbol, sp.Expr]) -> Network:
        """The same network with other parameter values (after an update step)."""
        clone = object.__new__(Network)
        clone.__dict__.update(self.__dict__)
        clone.values = {**self.values, **values}
        return clone


def _exact(value: object, key: str) -> sp.Expr:
    """Values from a Spec built in Python may be plain floats: make them exact like the TOML loader does."""
    if isinstance(value, sp.Rational):
        return value
    return number(value, key)


def network(data: Mapping[str, Any] | str | Path | Spec) -> Network:
    """Build a network from a spec dict, a TOML path, or a Spec."""
    if isinstance(data, Spec):
        return Network(data)
    if isinstance(data, str | Path):
        return Network.load(data)
    return Network.from_dict(data)
