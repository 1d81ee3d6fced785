"""Layer kinds, one entry each: how a kind of layer builds its quantities (net inputs, outputs and their local
partials), which of its nodes carry an error term δ, what it sends back to the layer below in matrix form, its
own matrix form, and how PyTorch writes it. The network, the derivation and the cross-check ask the layer's
kind instead of reading dense-layer fields; a recurrent or a convolution layer is a new entry of KINDS.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import sympy as sp

from . import activations
from .errors import SpecError
from .graph import Builder, Kind, Layer, Quantity, symbol

if TYPE_CHECKING:
    from .spec import LayerSpec, Spec


def _product(a: sp.Symbol, b: sp.Symbol) -> sp.Expr:
    """a·b as sp.Mul(a, b) builds it, without its general flattening (which made up most of building a
    784-128-10 network): two distinct symbols with the same assumptions are ordered by name, a square is a power."""
    if a == b:
        return sp.Pow(a, 2)
    return sp.Mul._from_args((a, b) if a.name < b.name else (b, a))


class LayerKind(ABC):
    """One kind of layer. `build` is its own; the other forms have the dense layer's meaning by default."""

    name: ClassVar[str]

    @abstractmethod
    def build(self, net: Builder, ls: LayerSpec, index: int, key: str, prev: tuple[sp.Symbol, ...], counter: int,
              spec: Spec) -> tuple[Layer, int]:
        """Add the layer's quantities to `net`; return the layer and the weight counter after it."""

    def error_nodes(self, layer: Layer) -> tuple[sp.Symbol, ...]:
        """The nodes whose δ = ∂E/∂node the derivation forms (and reuses for everything below them)."""
        return layer.nets

    @abstractmethod
    def params(self, layer: Layer) -> tuple[sp.Symbol, ...]:
        """The layer's parameters, each once, in the order the network lists them."""

    def biases(self, layer: Layer) -> tuple[sp.Symbol | None, ...]:
        """Per neuron, the parameter added to its net input alone (a bias), or None; a kind without biases: ()."""
        return ()

    def grid(self, layer: Layer) -> tuple[tuple[sp.Symbol, ...], ...] | None:
        """The weight matrix W (a row per neuron, a column per input) when the net input is W·a + b: the matrix,
        index and row-vector forms of a lecture and the checker's positional names (W_{ij}, dW) read it. None for
        a kind without one: those forms are left out and the parameter-by-parameter chains (the graph's) stay."""
        return None

    @abstractmethod
    def matrix(self, layer: Layer, quantities: Mapping[sp.Symbol, Quantity], delta_of: Mapping[sp.Symbol, sp.Expr],
               upstream: sp.Matrix) -> dict[str, sp.Matrix]:
        """The layer's matrix form, given ∇_out E (`upstream`): W, a_prev, z, a, fprime, upstream, delta, grad_W and
        grad_b (when the layer has biases), in symbols."""

    @abstractmethod
    def sent_back(self, layer: Layer, delta_of: Mapping[sp.Symbol, sp.Expr]) -> sp.Matrix:
        """∇ of the loss with respect to the layer's inputs, from its δ's (the dense layer's Wᵀδ)."""

    @abstractmethod
    def arrows(self, layer: Layer) -> list[tuple[sp.Symbol, sp.Symbol, sp.Symbol, str]]:
        """The layer's arrows in a figure, in drawing order: (source, target, parameter, "weight" or "bias"), the
        source an input or an output of the layer below, or the bias parameter (drawn from a bias node)."""

    @abstractmethod
    def torch_net(self, torch: Any, layer: Layer, a: Any, leaves: Mapping[sp.Symbol, Any], zero: Any) -> Any:
        """The layer's net input for a batch `a` (samples × inputs), from PyTorch leaves named as the parameters."""

    def plan(self, layer: Layer, position: Mapping[sp.Symbol, int], activation: Any) -> Any:
        """The layer's numeric form for layerwise.LayerPlan (its passes on (neurons, samples) arrays, θ read at
        `position`, `activation` the layer's lambdified one), or None: compile_network then falls back to the
        graph's straight-line code. The dense layer's is layerwise's own."""
        return None


class Dense(LayerKind):
    name = "dense"

    def build(self, net: Builder, ls: LayerSpec, index: int, key: str, prev: tuple[sp.Symbol, ...], counter: int,
              spec: Spec) -> tuple[Layer, int]:
        """net = Σ w·x + b per neuron, out = f(net) (or the layer's softmax): weights named by the spec, or
        numbered across layers (`counter`) by the numbering rule."""
        width = len(prev)
        if ls.weights is not None:
            rows = ls.weights
            size = len(rows)
            for r, row in enumerate(rows):
                if len(row) != width:
                    raise SpecError(f"expected {width} weight names (one per neuron of the layer before), "
                                    f"got {len(row)}", key=f"{key}.weights[{r}]")
        else:
            size = ls.size if ls.size is not None else len(ls.neurons or ())
            rule = ls.numbering or spec.numbering
            if rule == "target":
                rows = tuple(tuple(f"w{counter + r * width + c + 1}" for c in range(width)) for r in range(size))
            else:
                rows = tuple(tuple(f"w{counter + c * size + r + 1}" for c in range(width)) for r in range(size))
        if ls.size is not None and ls.size != size:
            raise SpecError(f"'size' is {ls.size} but 'weights' has {size} rows", key=f"{key}.size")
        counter += size * width
        if ls.neurons is not None:
            if len(ls.neurons) != size:
                raise SpecError(f"expected {size} neuron names, got {len(ls.neurons)}", key=f"{key}.neurons")
            neurons = ls.neurons
        else:
            neurons = tuple(f"{ls.name}{r + 1}" for r in range(size))

        if ls.threshold and ls.bias is None:  # threshold = true alone: one θ per neuron, θ^(layer)_neuron
            biases: tuple[str | None, ...] = tuple(f"theta{index}_{r + 1}" for r in range(size))
        elif ls.bias is None or ls.bias is False:
            biases = (None,) * size
        elif ls.bias is True:
            biases = (f"theta{index}" if ls.threshold else f"b{index}",) * size
        elif isinstance(ls.bias, str):
            biases = (ls.bias,) * size
        else:
            if len(ls.bias) != size:
                raise SpecError(f"expected {size} bias names (one per neuron), got {len(ls.bias)}", key=f"{key}.bias")
            biases = tuple(ls.bias)

        weight_syms: dict[str, sp.Symbol] = {}
        param_syms: dict[str, sp.Symbol] = {q.name: q.symbol for q in net.quantities.values()
                                            if q.kind is Kind.PARAM}

        def param(n: str, k: str) -> sp.Symbol:
            if n in param_syms:  # a parameter used again (shared) collects a sum over its uses
                return param_syms[n]
            if n in weight_syms:
                return weight_syms[n]
            s = net._leaf(n, Kind.PARAM, k, layer=index)
            weight_syms[n] = s
            return s

        w = tuple(tuple(None if n is None else param(n, f"{key}.weights[{r}][{c}]") for c, n in enumerate(row))
                  for r, row in enumerate(rows))
        b = tuple(None if n is None else param(n, f"{key}.threshold" if ls.threshold else f"{key}.bias")
                  for n in biases)
        # a threshold θ (Negnevitsky's) enters as −θ: the weight of a fixed input −1
        sign = sp.Integer(-1) if ls.threshold else sp.Integer(1)

        act = activations.make(ls.activation, alpha=ls.alpha, function=ls.function, gain=ls.gain)
        per_neuron = tuple(activations.make(a, alpha=ls.alpha, function=ls.function, gain=ls.gain)
                           for a in ls.activations or ())
        if per_neuron and len(per_neuron) != size:
            raise SpecError(f"expected {size} activations (one per neuron), got {len(per_neuron)}",
                            key=f"{key}.activation")
        if any(a.name == "abstract" for a in per_neuron or (act,)):
            net._claim(ls.function, "an activation function", f"{key}.function")
        skip = _skipped(net, ls, index, key, spec, size)
        nets, outs = [], []
        for r, neuron in enumerate(neurons):
            nkey = f"{key}.neurons[{r}]" if ls.neurons else f"{key}.name"
            net._claim(f"net_{neuron}", f"the net input of {neuron}", nkey)
            net._claim(f"delta_{neuron}", f"the error term of {neuron}", nkey)
            net._claim(neuron, "a neuron", nkey)
            nets.append(symbol(f"net_{neuron}"))
            outs.append(symbol(neuron))
        for r, neuron in enumerate(neurons):
            present = [c for c in range(width) if w[r][c] is not None]  # a missing connection adds no term
            terms: list[sp.Expr] = [_product(w[r][c], prev[c]) for c in present]
            if b[r] is not None:
                terms.append(sign * b[r])
            definition = sp.Add(*terms)
            display = sp.Add(*[sp.Mul._from_args((w[r][c], prev[c])) for c in present],
                             *([sign * b[r]] if b[r] is not None else []), evaluate=False)
            # net is bilinear in weights and inputs: ∂/∂w_rc collects x_c, ∂/∂x_c collects w_rc, ∂/∂b is 1 (∂/∂θ is
            # −1), summed
            # over the uses of a shared name — the same expressions sp.diff gives, without its cost per parent
            # (sp.diff of a 17-term sum per parent made up most of building a 900-parameter network)
            uses: dict[sp.Symbol, list[sp.Expr]] = {}
            for c in present:
                uses.setdefault(w[r][c], []).append(prev[c])
            for c in present:
                uses.setdefault(prev[c], []).append(w[r][c])
            if b[r] is not None:
                uses.setdefault(b[r], []).append(sign)
            net.quantities[nets[r]] = Quantity(
                nets[r], Kind.NET, f"net_{neuron}", neuron=neuron, layer=index, index=r, definition=definition,
                partials={p: parts[0] if len(parts) == 1 else sp.Add(*parts) for p, parts in uses.items()},
                display=display)
        if per_neuron or skip:
            self._own_outputs(net, per_neuron or (act,) * size, neurons, index, nets, outs, skip)
        else:
            forward = act.forward_layer(nets)
            for r, neuron in enumerate(neurons):
                partials = {nets[j]: act.partial_layer(r, j, nets, outs) for j in range(size)}
                net.quantities[outs[r]] = Quantity(
                    outs[r], Kind.OUT, neuron, neuron=neuron, layer=index, index=r, definition=forward[r],
                    partials={k: v for k, v in partials.items() if v != 0})
        layer = Layer(ls.name, index, tuple(neurons), act, prev, tuple(nets), tuple(outs), w, b, self.name,
                      threshold=ls.threshold and any(p is not None for p in b), per_neuron=per_neuron,
                      skip=skip, skip_from=ls.skip)
        return layer, counter

    @staticmethod
    def _own_outputs(net: Builder, acts: tuple[activations.Activation, ...], neurons: tuple[str, ...], index: int,
                     nets: list[sp.Symbol], outs: list[sp.Symbol], skip: tuple[sp.Symbol, ...]) -> None:
        """out_r = f_r(net_r) (+ skip_r): each neuron's own activation, and the skipped layer's output added after
        the activation (He et al. 2016, "Identity Mappings in Deep Residual Networks": y = x + F(x), nothing applied
        after the sum). ∂out/∂net is f_r′ as lectures write it, with f_r(net) = out − skip where the lecture form
        reads the output (sigmoid: (out − skip)(1 − (out − skip))), and ∂out/∂skip = 1."""
        for r, neuron in enumerate(neurons):
            act, n, o = acts[r], nets[r], outs[r]
            added = skip[r] if skip else sp.Integer(0)
            partials: dict[sp.Symbol, sp.Expr] = {n: act.derivative(n, o - added if skip else o)}
            if skip:
                partials[skip[r]] = sp.Integer(1)
            net.quantities[o] = Quantity(o, Kind.OUT, neuron, neuron=neuron, layer=index, index=r,
                                         definition=act.forward(n) + added,
                                         partials={k: v for k, v in partials.items() if v != 0})

    def params(self, layer: Layer) -> tuple[sp.Symbol, ...]:
        return tuple(dict.fromkeys([*(w for row in layer.weights for w in row if w is not None),
                                    *(b for b in layer.biases if b is not None)]))

    def biases(self, layer: Layer) -> tuple[sp.Symbol | None, ...]:
        return layer.biases

    def grid(self, layer: Layer) -> tuple[tuple[sp.Symbol, ...], ...] | None:
        # a missing connection is a fixed 0, not a parameter; a skip or per-neuron activations make the matrix
        # forms' δ = (Wᵀδ) ⊙ f′(z) false: the parameter-by-parameter chains stay
        return layer.weights if layer.regular else None  # type: ignore[return-value, unused-ignore]

    def matrix(self, layer: Layer, quantities: Mapping[sp.Symbol, Quantity], delta_of: Mapping[sp.Symbol, sp.Expr],
               upstream: sp.Matrix) -> dict[str, sp.Matrix]:
        """Seed 002's form: δ = upstream ⊙ f′(z) (the Jacobian's product for softmax), ∂E/∂W = δ a_prevᵀ."""
        W = sp.Matrix([list(row) for row in layer.weights])
        a_prev = sp.Matrix(list(layer.inputs))
        delta = sp.Matrix([delta_of[n] for n in layer.nets])
        size = len(layer.nets)
        if layer.activation.elementwise:
            fprime = sp.Matrix([quantities[o].partials[n] for o, n in zip(layer.outs, layer.nets, strict=True)])
        else:
            fprime = sp.Matrix(size, size, lambda k, j: quantities[layer.outs[k]].partials[layer.nets[j]])
        shapes = {"W": W, "a_prev": a_prev, "z": sp.Matrix(list(layer.nets)), "a": sp.Matrix(list(layer.outs)),
                  "fprime": fprime, "upstream": upstream, "delta": delta, "grad_W": delta * a_prev.T}
        biases = [b for b in layer.biases if b is not None]
        if biases:
            sign = -1 if layer.threshold else 1  # ∂net/∂θ = −1
            if len(set(biases)) == 1 and len(biases) == size and size > 1:
                shapes["grad_b"] = sp.Matrix([sign * sp.Add(*delta)])
            else:
                shapes["grad_b"] = sp.Matrix([sign * delta[k] for k, b in enumerate(layer.biases) if b is not None])
        return shapes

    def sent_back(self, layer: Layer, delta_of: Mapping[sp.Symbol, sp.Expr]) -> sp.Matrix:
        W = sp.Matrix([[0 if w is None else w for w in r] for r in layer.weights])
        return W.T * sp.Matrix([delta_of[n] for n in layer.nets])

    def arrows(self, layer: Layer) -> list[tuple[sp.Symbol, sp.Symbol, sp.Symbol, str]]:
        out: list[tuple[sp.Symbol, sp.Symbol, sp.Symbol, str]] = []
        for r, target in enumerate(layer.outs):
            out += [(source, target, p, "weight") for c, source in enumerate(layer.inputs)
                    if (p := layer.weights[r][c]) is not None]  # a missing connection: no arrow
            if (b := layer.biases[r]) is not None:
                out.append((b, target, b, "bias"))
        return out

    def torch_net(self, torch: Any, layer: Layer, a: Any, leaves: Mapping[sp.Symbol, Any], zero: Any) -> Any:
        # (neurons, inputs); a missing connection is a constant 0, no leaf
        w = torch.stack([torch.stack([zero if p is None else leaves[p] for p in row]) for row in layer.weights])
        b = torch.stack([zero if p is None else leaves[p] for p in layer.biases])  # (neurons,)
        return a @ w.T - b if layer.threshold else a @ w.T + b  # a threshold θ: a weight on a fixed input −1


def _skipped(net: Builder, ls: LayerSpec, index: int, key: str, spec: Spec, size: int) -> tuple[sp.Symbol, ...]:
    """The outputs a `skip` adds, one per neuron: an earlier layer's (by name) or the network's inputs."""
    if ls.skip is None:
        return ()
    earlier = [j + 1 for j, other in enumerate(spec.layers[:index - 1]) if other.name == ls.skip]
    source = earlier[-1] if earlier else 0  # spec validation: an earlier layer, or "inputs"
    kind = Kind.OUT if source else Kind.INPUT
    found = sorted((q for q in net.quantities.values() if q.kind is kind and (q.layer == source or not source)),
                   key=lambda q: q.index or 0)
    if len(found) != size:
        what = f"layer {ls.skip!r}" if source else "the inputs"
        raise SpecError(f"a skip adds {what} ({len(found)} outputs) to this layer's {size} neurons, one to each: "
                        "expected the same width", key=f"{key}.skip")
    return tuple(q.symbol for q in found)


KINDS: dict[str, LayerKind] = {kind.name: kind for kind in (Dense(),)}


def kind_of(layer: Layer) -> LayerKind:
    """The entry of KINDS that built `layer`: what the derivation, the renderers and the checker ask."""
    return KINDS[layer.kind]


def grid(layer: Layer) -> tuple[tuple[sp.Symbol, ...], ...] | None:
    """The layer's weight matrix (LayerKind.grid), or None where its kind has none."""
    return KINDS[layer.kind].grid(layer)


def biases(layer: Layer) -> tuple[sp.Symbol | None, ...]:
    """The layer's per-neuron biases (LayerKind.biases); () where its kind has none."""
    return KINDS[layer.kind].biases(layer)
