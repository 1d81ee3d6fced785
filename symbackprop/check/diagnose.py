"""Naming the mistake: the true derivative rebuilt with one common slip at a time.

The gradient is the sum over the paths from the error to the parameter of the product of local
derivatives. Each slip changes those factors in a known way — the activation derivative left out, the
loss derivative's sign flipped, the ½ forgotten, the wrong weight on a path, the per-weight δ (the
activation) where the weight belongs (seed 000's δ1 = (δ5 + δ6)·…), the updated weights in the
backward pass, the wrong input, another activation's derivative. A wrong line that equals one of these
variants (symbolically, or in value at the network's numbers) gets that diagnosis and the correct line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp

from ..activations import Activation, make
from ..derive import evaluate
from ..network import Kind
from .parse import Element, RawName, RawPartial
from .resolve import Unresolved
from .truth import Target

if TYPE_CHECKING:
    from .judge import Judge

Factor = tuple[sp.Symbol, sp.Symbol, sp.Expr]  # (of, wrt, local derivative)
MAX_VARIANTS = 60


@dataclass(frozen=True)
class Diagnosis:
    kind: str
    message: str
    corrected: str  # the correct line, LaTeX
    line: int  # index of the judged line it explains


def diagnose(judge: Judge, element: Element, names: Mapping[sp.Symbol, RawName | RawPartial], truth: sp.Expr,
             value: sp.Expr | None, target: Target, line: int) -> list[Diagnosis]:
    corrected = judge.notation.latex(truth)
    try:
        student = judge.resolver.expr(element.expr, names)
    except Unresolved:
        return []
    if truth is target.expr:
        for kind, message, variant in variants(judge, target):
            if _matches(judge, student, variant, element.literal):
                return [Diagnosis(kind, message, corrected, line)]
    return [Diagnosis("different", _difference(judge, student, truth), corrected, line)]


def _matches(judge: Judge, student: sp.Expr, variant: sp.Expr, literal: str | None) -> bool:
    if student.free_symbols:
        return judge.same(student, variant)[0]
    v = evaluate(judge.forward_form(variant), judge.truth.env)
    if v is None:
        return False
    s = sp.Rational(student) if student.is_Rational else student
    if literal is not None and "." in literal:
        places = len(literal.split(".")[1])
        return bool(abs(s - v) <= sp.Rational(1, 2) / sp.Integer(10) ** places)
    return bool(abs(s - v) <= sp.Float("1e-6") * max(1, abs(v)))


def _difference(judge: Judge, student: sp.Expr, truth: sp.Expr) -> str:
    """The first point where a product differs: a factor missing or extra (by value at a random point)."""
    env = judge.truth.random_env(7)
    s_f, t_f = judge.forward_form(student), judge.forward_form(truth)

    def factors(e: sp.Expr) -> list[sp.Expr]:
        return list(sp.Mul.make_args(sp.factor_terms(e)))

    def val(e: sp.Expr) -> sp.Expr | None:
        return evaluate(e, env)

    # compared up to sign: −(t − o) and (o − t) are the same factor
    s_vals = [(f, val(f)) for f in factors(s_f) if f != -1]
    t_vals = [(f, val(f)) for f in factors(t_f) if f != -1]
    missing = [f for f, v in t_vals if v is not None and not any(w is not None and abs(abs(v) - abs(w)) < 1e-20
                                                                    for _, w in s_vals)]
    extra = [f for f, v in s_vals if v is not None and not any(w is not None and abs(abs(v) - abs(w)) < 1e-20
                                                                  for _, w in t_vals)]
    parts = []
    if missing:
        parts.append("missing factor " + ", ".join(f"${judge.notation.latex(f)}$" for f in missing[:3]))
    if extra:
        parts.append("extra factor " + ", ".join(f"${judge.notation.latex(f)}$" for f in extra[:3]))
    detail = "; ".join(parts) if parts and len(t_vals) > 1 else "the expressions differ"
    return f"expected ${judge.notation.latex(truth)}$: {detail}"


# -- the variants -----------------------------------------------------------------------------------

def paths(judge: Judge, to: sp.Symbol) -> list[list[Factor]]:
    """Every path from the error down to `to`, as its local derivatives (error first)."""
    net = judge.truth.network

    def walk(q: sp.Symbol) -> list[list[Factor]]:
        if q == net.error:
            return [[]]
        out = []
        for child in net.children.get(q, []):
            local = net.quantities[child].partials[q]
            out += [[*p, (child, q, local)] for p in walk(child)]
        return out

    return walk(to)


def _total(ps: list[list[Factor]]) -> sp.Expr:
    return sp.Add(*[sp.Mul(*[f[2] for f in p]) for p in ps])


def _kind(judge: Judge, f: Factor) -> str:
    q = judge.truth.network.quantities
    of, wrt = f[0], f[1]
    if of == judge.truth.network.error:
        return "loss"
    if q[of].kind is Kind.OUT and q[wrt].kind is Kind.NET:
        return "activation"
    if q[of].kind is Kind.NET and q[wrt].kind is Kind.OUT:
        return "weight"
    return "input"


def _activation_of(judge: Judge, out: sp.Symbol) -> Activation:
    for layer in judge.truth.network.layers:
        if out in layer.outs:
            return layer.activation
    raise KeyError(out)


def variants(judge: Judge, target: Target) -> Iterator[tuple[str, str, sp.Expr]]:
    """(kind, message, the truth with that slip), most common first."""
    net = judge.truth.network
    if target.kind == "gradient" and target.param is not None:
        yield from _path_variants(judge, paths(judge, target.param), target.param)
    elif target.kind == "delta" and target.net is not None:
        yield from _path_variants(judge, paths(judge, target.net), None)
    elif target.kind == "update" and target.param is not None:
        p = target.param
        grad = _total(paths(judge, p))
        eta = net.learning_rate
        yield "update_sign", "the update goes against the gradient: w − η·∂E/∂w, not w + η·∂E/∂w", p + eta * grad
        yield "missing_learning_rate", "the learning rate η is missing: w − η·∂E/∂w", p - grad
        for kind, message, g in _path_variants(judge, paths(judge, p), p):
            yield kind, message, p - eta * g
    elif target.kind == "loss":
        yield "factor_two", "a factor 2: the error has ½ in front of the sum of squares", 2 * target.expr
        yield "factor_two", "a factor ½ too many", target.expr / 2


def _path_variants(judge: Judge, ps: list[list[Factor]], param: sp.Symbol | None
                   ) -> Iterator[tuple[str, str, sp.Expr]]:
    net = judge.truth.network
    truth = _total(ps)
    kinds = [[_kind(judge, f) for f in p] for p in ps]

    def without(drop: str, only_layer: int | None = None) -> sp.Expr:
        return sp.Add(*[sp.Mul(*[f[2] for f, k in zip(p, ks, strict=True)
                                 if not (k == drop and (only_layer is None or
                                                        net.quantities[f[0]].layer == only_layer))])
                        for p, ks in zip(ps, kinds, strict=True)])

    count = 0
    yield ("missing_activation_derivative", "the activation derivative ∂out/∂net is missing (for a sigmoid: "
           "o(1 − o))", without("activation"))
    for layer in net.layers:
        yield ("missing_activation_derivative", f"the activation derivative of layer {layer.name} is missing",
               without("activation", layer.index))
    yield "sign_flipped", "the sign is flipped: ∂E/∂o = o − t, not t − o", -truth
    yield "factor_two", "a factor 2: the ½ of the error cancels the 2 of the square", 2 * truth
    yield "factor_two", "a factor ½ too many", truth / 2
    # per-weight δ: the activation in place of the weight on each path (seed 000's δ1 = (δ5 + δ6)·…)
    per_weight = sp.Add(*[sp.Mul(*[(f[1] if k == "weight" else f[2]) for f, k in zip(p, ks, strict=True)])
                          for p, ks in zip(ps, kinds, strict=True)])
    if per_weight != truth:
        yield ("per_weight_delta", "a per-weight δ (∂E/∂w of a weight downstream) is used where the per-neuron "
               "error term δ = ∂E/∂net is needed: each path carries the weight it crosses, not that weight's "
               "input", per_weight)
    # the updated weights in the backward pass (weights on the paths, not the parameter itself)
    updated = {pd.param: pd.updated for pd in judge.truth.derivation.params
               if pd.updated is not None and pd.param != param}
    if updated:
        yield ("updated_weights", "updated weights were used in the backward pass; it must use the weights of "
               "the forward pass", truth.xreplace(updated))
    # another activation's derivative
    for p_kind in {_activation_of(judge, f[0]).name for p in ps for f in p if _kind(judge, f) == "activation"}:
        for other in ("sigmoid", "tanh", "identity", "relu"):
            if other == p_kind:
                continue
            alt = make(other)
            swapped = sp.Add(*[sp.Mul(*[(alt.derivative(f[1], f[0]) if k == "activation" and
                                         _activation_of(judge, f[0]).name == p_kind else f[2])
                                        for f, k in zip(p, ks, strict=True)])
                               for p, ks in zip(ps, kinds, strict=True)])
            yield ("wrong_activation_derivative", f"the derivative of {other} is used where the neuron's activation "
                   f"is {p_kind}", swapped)
    # the wrong weight on a path, the wrong input
    for i, (p, ks) in enumerate(zip(ps, kinds, strict=True)):
        for j, (f, k) in enumerate(zip(p, ks, strict=True)):
            if k not in ("weight", "input") or count > MAX_VARIANTS:
                continue
            for alt in _alternatives(judge, f, k):
                count += 1
                changed = [list(x) for x in ps]
                changed[i] = [*p[:j], (f[0], f[1], alt), *p[j + 1:]]
                name = judge.notation.latex(alt)
                if k == "weight":
                    yield ("wrong_weight", f"a wrong weight on a path: ${name}$ in place of "
                           f"${judge.notation.latex(f[2])}$", _total([[*x] for x in changed]))
                else:
                    yield ("wrong_input", f"a wrong input factor: ${name}$ in place of "
                           f"${judge.notation.latex(f[2])}$ (∂net/∂w is the input w multiplies)",
                           _total([[*x] for x in changed]))


def _alternatives(judge: Judge, f: Factor, kind: str) -> list[sp.Expr]:
    """Other weights into the same neuron or out of the same source; other inputs of the same layer."""
    net = judge.truth.network
    for layer in net.layers:
        if f[0] in layer.nets:
            r = layer.nets.index(f[0])
            if kind == "weight":
                c = layer.inputs.index(f[1])
                others = {layer.weights[r][k] for k in range(len(layer.inputs)) if k != c}
                others |= {layer.weights[k][c] for k in range(len(layer.nets)) if k != r}
                return sorted(others, key=str)
            return [x for x in layer.inputs if x != f[2]] + [x for x in net.inputs if x != f[2] and
                                                              x not in layer.inputs]
    return []
