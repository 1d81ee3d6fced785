"""A circuit's derivation as JSON and as plain text: the forward pass, then upstream × local for every node from
the output down, each use naming its gate rule, the gradients of every parameter and input, the updates.

JSON contract (acceptance checks read it; fields may be added, never removed): derive on a graph spec →
{"output": value, "nodes": {name: value}, "gradients": {name: value for every param and every input},
"updated": {param: value} (with a learning rate), ...}; a value is a number at full double precision, or a LaTeX
formula where the circuit is symbolic.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..backward import CircuitDerivation, Gradient, Use, gradient_symbol
from ..circuit import Circuit
from ..derive import Value
from ..notation import Names
from ..numbers import Format, fmt
from ..styles import name_latex, name_text
from .tex import strings


def circuit_names(c: Circuit) -> Names:
    """Every quantity by its spec name; ∂out/∂q for the gradient symbols of backward.py."""
    names = Names()
    for s, q in c.quantities.items():
        names._set(s, name_latex(q.name), name_text(q.name))
    for s in c.quantities:
        g = gradient_symbol(c, s)
        names._set(g, names.partial_latex(c.output, s), names.partial_text(c.output, s))
    return names


def _value(v: Value, formula: sp.Expr, names: Names) -> Any:
    return float(v) if v is not None else names.latex(formula)


def circuit_json(d: CircuitDerivation) -> dict[str, Any]:
    c = d.circuit
    names = circuit_names(c)
    q = c.quantities
    nodes = {q[s].name: _value(d.forward[s], q[s].definition, names) for s in c.nodes}
    gradients = {g.name: _value(g.value, g.closed, names) for g in d.gradients if g.kind in ("param", "input")}
    out: dict[str, Any] = {
        "title": c.title,
        "output_name": q[c.output].name,
        "output": nodes[q[c.output].name],
        "nodes": nodes,
        "gradients": gradients,
        "node_gradients": {g.name: _value(g.value, g.closed, names) for g in d.gradients
                           if g.kind in ("node", "output")},
        "backward": [_gradient_json(g, c, names) for g in d.gradients],
    }
    if c.learning_rate is not None:
        eta = c.learning_rate
        out["learning_rate"] = float(eta)
        out["updated"] = {u.name: float(u.updated) if u.updated is not None else
                          names.latex(u.param - eta * d.gradient(u.name).closed) for u in d.updates}
    return out


def _gradient_json(g: Gradient, c: Circuit, names: Names) -> dict[str, Any]:
    return {"quantity": g.name, "kind": g.kind, "value": _value(g.value, g.closed, names),
            "formula": names.latex(g.symbolic), "paths": g.path_count,
            "uses": [{"user": c.quantities[u.user].name, "local": names.latex(u.local), "rule": u.rule,
                      "local_value": None if u.local_value is None else float(u.local_value),
                      "upstream": None if u.upstream_value is None else float(u.upstream_value)}
                     for u in g.uses]}


def _rule(u: Use, t: dict[str, str], lang: str) -> str:
    if u.rule is None:
        return ""
    if f"rule_{u.rule}" in t:
        return t[f"rule_{u.rule}"]
    return t["rule_activation"].format(name=strings(lang).activations.get(u.rule, u.rule))


def _factor(text: str, expr: sp.Expr) -> str:
    """A local gradient as a factor of a product: a sum or a negative term in parentheses."""
    return f"({text})" if isinstance(expr, sp.Add) or text.startswith("-") else text


def circuit_text(d: CircuitDerivation, form: Format | None = None, lang: str = "en") -> str:
    c = d.circuit
    form = form or Format(c.spec.display.decimals, c.spec.display.digits)
    t = strings(lang).circuit
    names = circuit_names(c)
    q = c.quantities

    def num(v: Value) -> str:
        text = fmt(v, form)
        return f"({text})" if text.startswith("-") else text

    title = c.title or c.spec.source
    out = [title, "=" * len(title),
           t["describe"].format(inputs=len(c.inputs), params=len(c.params), nodes=len(c.nodes),
                                output=names.text_names[c.output]), ""]
    numeric = c.is_numeric()
    if not numeric:
        out += [t["symbolic"], ""]
    out.append(t["forward"])
    for s in c.nodes:
        written = q[s].display if q[s].display is not None else q[s].definition
        line = f"  {names.text_names[s]} = {names.text(written)}"
        if d.forward[s] is not None:
            parents = {p: num(d.forward[p]) for p in q[s].partials if d.forward[p] is not None}
            line += f" = {names.text(written, parents)} = {fmt(d.forward[s], form)}"
        out.append(line)
    out += ["", t["backward"]]
    for g in d.gradients:
        if g.kind == "output":
            out.append("  " + t["output"].format(g=names.partial_text(c.output, c.output)))
            continue
        if not g.uses:
            out.append("  " + t["unused"].format(q=names.text_names[g.quantity]))
            continue
        head = f"  {names.partial_text(c.output, g.quantity)} = "
        terms = " + ".join(f"{names.partial_text(c.output, u.user)} · {_factor(names.text(u.local), u.local)}"
                           for u in g.uses)
        line = head + terms
        if g.value is not None:
            numbers = " + ".join(f"{num(u.upstream_value)} · {num(u.local_value)}" for u in g.uses)
            line += f" = {numbers} = {fmt(g.value, form)}"
        out.append(line)
        pad = " " * 4
        for u in g.uses:
            rule = _rule(u, t, lang)
            if rule:
                out.append(f"{pad}[{names.text_names[u.user]}: {rule}]")
        if g.fan_out:
            out.append(f"{pad}[{t['fan_out'].format(q=names.text_names[g.quantity], n=len(g.uses))}]")
    out += ["", t["gradients"].format(out=names.text_names[c.output])]
    width = max((len(names.text_names[s]) for s in c.leaves), default=1)
    for g in d.gradients:
        if g.kind in ("param", "input"):
            shown = fmt(g.value, form) if g.value is not None else names.text(g.closed)
            out.append(f"  {names.partial_text(c.output, g.quantity):<{width + 4}} = {shown}")
    if c.learning_rate is not None and d.updates:
        out += ["", t["update"].format(eta="η", value=fmt(c.learning_rate, form))]
        for up in d.updates:
            p = names.text_names[up.param]
            if up.updated is not None:
                out.append(f"  {p} ← {fmt(up.value, form)} − {fmt(c.learning_rate, form)} · "
                           f"{num(d.gradient(up.name).value)} = {fmt(up.updated, form)}")
            else:
                out.append(f"  {p} ← {p} − η · {names.partial_text(c.output, up.param)}")
    return "\n".join(out) + "\n"
