"""A circuit's derivation as JSON and as plain text: the forward pass, then upstream × local for every node from
the output down, each use naming its gate rule, the gradients of every parameter and input, the updates.

JSON contract (acceptance checks read it; fields may be added, never removed): derive on a graph spec →
{"output": value, "nodes": {name: value}, "gradients": {name: value for every param and every input},
"updated": {param: value} (with a learning rate), ...}; a value is a number at full double precision, or a LaTeX
formula where the circuit is symbolic. Added: "samples" (their number), "batch_loss" ("sum" or "mean"), "loss"
(the batch loss: the output summed or averaged over the samples). With several samples ([[graph.samples]]), as the
layered JSON: "output", "nodes" and "node_gradients" map to one value per sample; "gradients" are the batch
loss's: a parameter's over the batch, an input's one per sample (∂loss/∂ that sample's input); "updated" uses the
batch gradient; "backward" is the first sample's, and "per_sample" holds every sample's own derivation
({"inputs", "output", "nodes", "gradients", "node_gradients", "backward"}).
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


def _sample_json(d: CircuitDerivation, names: Names) -> dict[str, Any]:
    """One sample's forward values, the gradients of its output and its backward pass."""
    c = d.circuit
    q = c.quantities
    nodes = {q[s].name: _value(d.forward[s], q[s].definition, names) for s in c.nodes}
    return {
        "inputs": {q[s].name: _value(d.forward[s], s, names) for s in c.inputs},
        "output": nodes[q[c.output].name],
        "nodes": nodes,
        "gradients": {g.name: _value(g.value, g.closed, names) for g in d.gradients if g.kind in ("param", "input")},
        "node_gradients": {g.name: _value(g.value, g.closed, names) for g in d.gradients
                           if g.kind in ("node", "output")},
        "backward": [_gradient_json(g, c, names) for g in d.gradients],
    }


def batch_formula(d: CircuitDerivation, p: sp.Symbol) -> sp.Expr:
    """∂(batch loss)/∂p as a formula where it has no value: each sample's gradient written in the leaves, with
    that sample's inputs, summed (or averaged)."""
    c = d.circuit
    composed = c.composed()
    terms = [s.gradient(c.quantities[p].name).closed.xreplace(composed).xreplace(sample)
             for s, sample in zip(d.per_sample, c.samples, strict=True)]
    total = sp.Add(*terms)
    return total / len(terms) if c.spec.batch_loss == "mean" else total


def _batch_output_formula(d: CircuitDerivation) -> sp.Expr:
    c = d.circuit
    composed = c.composed()[c.output]
    total = sp.Add(*[composed.xreplace(sample) for sample in c.samples])
    return total / len(c.samples) if c.spec.batch_loss == "mean" else total


def circuit_json(d: CircuitDerivation) -> dict[str, Any]:
    c = d.circuit
    names = circuit_names(c)
    q = c.quantities
    per = [_sample_json(s, names) for s in d.per_sample]
    first = per[0]
    several = len(per) > 1
    out: dict[str, Any] = {"title": c.title, "output_name": q[c.output].name}
    if not several:
        out.update({k: first[k] for k in ("output", "nodes", "gradients", "node_gradients", "backward")})
    else:
        scale = 1 / len(per) if c.spec.batch_loss == "mean" else 1.0

        def lists(key: str) -> dict[str, list[Any]]:
            return {k: [sample[key][k] for sample in per] for k in first[key]}

        gradients: dict[str, Any] = {}
        for g in first["gradients"]:
            s = c.by_name(g)
            if s in d.batch_gradients:
                v = d.batch_gradients[s]
                gradients[g] = float(v) if v is not None else names.latex(batch_formula(d, s))
            else:  # an input: each sample's own, ∂(batch loss)/∂(its input)
                gradients[g] = [v * scale if isinstance(v, float) else v for v in (p["gradients"][g] for p in per)]
        out.update({"output": [p["output"] for p in per], "nodes": lists("nodes"), "gradients": gradients,
                    "node_gradients": lists("node_gradients"), "backward": first["backward"]})
    if c.learning_rate is not None:
        eta = c.learning_rate
        out["learning_rate"] = float(eta)
        out["updated"] = {u.name: float(u.updated) if u.updated is not None else
                          names.latex(u.param - eta * (d.gradient(u.name).closed if not several else
                                                       batch_formula(d, u.param))) for u in d.updates}
    out["samples"] = len(per)
    out["batch_loss"] = c.spec.batch_loss
    out["loss"] = _value(d.batch_output, q[c.output].definition, names) if not several or d.batch_output is not None \
        else names.latex(_batch_output_formula(d))
    if several:
        out["per_sample"] = per
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


BATCH_LOSS = "J"  # the batch loss's name in the text (a cost J, as the lectures on logistic regression)


def circuit_text(d: CircuitDerivation, form: Format | None = None, lang: str = "en") -> str:
    c = d.circuit
    form = form or Format(c.spec.display.decimals, c.spec.display.digits)
    t = strings(lang).circuit
    names = circuit_names(c)

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
    per = d.per_sample
    if len(per) == 1:
        out += _sample_text(d, form, lang, names)
        gradient = {u.param: d.gradient(u.name).value for u in d.updates}
    else:
        how = t[f"batch_{c.spec.batch_loss}"]
        out += [t["batch_samples"].format(n=len(per), out=names.text_names[c.output], L=BATCH_LOSS, how=how), ""]
        for k, (s, sample) in enumerate(zip(per, c.samples, strict=True), start=1):
            inputs = ", ".join(f"{names.text_names[x]} = {fmt(sample[x], form)}" for x in c.inputs)
            head = t["batch_sample"].format(k=k, n=len(per), inputs=inputs)
            out += [head, "-" * len(head), *_sample_text(s, form, lang, names), ""]
        sep = " + "
        outputs = [s.output_value for s in per]
        head = t["batch"].format(L=BATCH_LOSS, how=how, out=names.text_names[c.output], n=len(per))
        out += [head, "-" * len(head)]
        if d.batch_output is not None:
            shown = sep.join(num(v) for v in outputs)
            out.append(f"  {BATCH_LOSS} = {f'({shown}) / {len(per)}' if c.spec.batch_loss == 'mean' else shown}"
                       f" = {fmt(d.batch_output, form)}")
        else:
            out.append(f"  {BATCH_LOSS} = {names.text(_batch_output_formula(d))}")
        out += ["", t["batch_gradients"].format(L=BATCH_LOSS, added=t[f"batch_added_{c.spec.batch_loss}"])]
        width = max((len(names.text_names[p]) for p in c.params), default=1)
        for p in c.params:
            values = [s.gradient(c.quantities[p].name).value for s in per]
            lhs = f"∂{BATCH_LOSS}/∂{names.text_names[p]}"
            v = d.batch_gradients[p]
            if v is None:
                out.append(f"  {lhs:<{width + 4}} = {names.text(batch_formula(d, p))}")
                continue
            shown = sep.join(num(g) for g in values)
            shown = f"({shown}) / {len(per)}" if c.spec.batch_loss == "mean" else shown
            out.append(f"  {lhs:<{width + 4}} = {shown} = {fmt(v, form)}")
        gradient = dict(d.batch_gradients)
    if c.learning_rate is not None and d.updates:
        out += ["", t["update"].format(eta="η", value=fmt(c.learning_rate, form))]
        of = names.partial_text(c.output, c.output).split("/")[0] if len(per) == 1 else f"∂{BATCH_LOSS}"
        for up in d.updates:
            p = names.text_names[up.param]
            if up.updated is not None:
                out.append(f"  {p} ← {fmt(up.value, form)} − {fmt(c.learning_rate, form)} · "
                           f"{num(gradient[up.param])} = {fmt(up.updated, form)}")
            elif len(per) == 1:
                out.append(f"  {p} ← {p} − η · {names.partial_text(c.output, up.param)}")
            else:
                out.append(f"  {p} ← {p} − η · {of}/∂{p}")
    return "\n".join(out) + "\n"


def _sample_text(d: CircuitDerivation, form: Format, lang: str, names: Names) -> list[str]:
    """One sample's forward pass, backward pass and gradients."""
    c = d.circuit
    t = strings(lang).circuit
    q = c.quantities

    def num(v: Value) -> str:
        text = fmt(v, form)
        return f"({text})" if text.startswith("-") else text

    out = [t["forward"]]
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
    return out
