"""A recurrent network's derivation as JSON and as plain text: the forward pass step by step, backpropagation
through time (every δ with its recursion and numbers), each shared weight's gradient as the sum over the steps,
the updates.

JSON contract (issue 16; keys may be added, never removed): {"outputs": {output neuron: [value per step]},
"loss": the summed loss, "gradients": {param: ∂E/∂param} (the full BPTT gradient), "updated": {param: value}
(with a learning rate); added: "kind": "recurrent", "steps", "per_step_targets", "hidden": {neuron: [h per
step]}, "net": {neuron: [net per step]}, "step_losses": [E_t per step] (targets at every step), "deltas":
{hidden neuron: [δ per step]}, "output_deltas": {output neuron: [ε per step], 0 where no target},
"gradient_terms": {param: [δ·source per step, summed over positions]}, "input_gradients": {input: [∂E/∂x_t]},
"initial_state_gradients": {hidden neuron: ∂E/∂h_0}, "circuit": the unrolled circuit's own JSON. A value is a
number at full double precision, or a LaTeX formula where the network is symbolic.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sympy as sp

from ..backward import CircuitDerivation
from ..bptt import BPTT, ErrorTerm, Term, bptt
from ..circuit import Circuit
from ..derive import Value, evaluate
from ..numbers import Format, fmt, number_text
from ..recurrent import at, recurrent_spec
from .circuit_out import circuit_json, circuit_names
from .tex import strings


def recurrent_json(d: CircuitDerivation) -> dict[str, Any]:
    b = bptt(d)
    c, r = b.circuit, b.rnn
    cj = circuit_json(d)
    nodes, node_gradients = cj["nodes"], cj["node_gradients"]
    steps = range(1, r.steps + 1)

    def node_gradient(name: str) -> Any:
        return node_gradients.get(name, 0.0)  # a node that does not reach the loss

    out: dict[str, Any] = {"kind": "recurrent", "title": c.title, "steps": r.steps, "per_step_targets": r.per_step,
                           "loss_name": r.loss,
                           "outputs": {o: [nodes[at(o, t)] for t in steps] for o in r.output_neurons},
                           "loss": cj["loss"],
                           "gradients": {p: cj["gradients"][p] for p in r.params}}
    if "updated" in cj:
        out["learning_rate"] = cj["learning_rate"]
        out["updated"] = cj["updated"]
    out["hidden"] = {h: [nodes[at(h, t)] for t in steps] for h in r.hidden_neurons}
    out["net"] = {n: [nodes[at(f"net{n}", t)] for t in steps] for n in (*r.hidden_neurons, *r.output_neurons)}
    if r.per_step:
        out["step_losses"] = [nodes[at("E", t)] for t in steps]
    out["deltas"] = {h: [node_gradient(at(f"net{h}", t)) for t in steps] for h in r.hidden_neurons}
    out["output_deltas"] = {o: [node_gradient(at(f"net{o}", t)) for t in steps] for o in r.output_neurons}
    if c.is_numeric():
        out["gradient_terms"] = {p: _per_step(b.terms[p], r.steps) for p in r.params}
    out["input_gradients"] = {x: [cj["gradients"][at(x, t)] for t in steps] for x in r.inputs}
    out["initial_state_gradients"] = {h: cj["gradients"][at(h, 0)] for h in r.hidden_neurons}
    out["circuit"] = cj
    return out


def _per_step(terms: tuple[Term, ...], steps: int) -> list[float]:
    """A parameter's gradient split by step (its positions at one step added)."""
    total = [sp.Integer(0)] * steps
    for term in terms:
        total[term.step - 1] += _product(term)
    return [float(v) for v in total]


def _product(term: Term) -> sp.Expr:
    assert term.delta_value is not None
    return term.delta_value * (1 if term.source is None else term.source_value)


# --- text ----------------------------------------------------------------------------------------

def _printed(text: str) -> sp.Rational:
    return sp.Rational(str(Decimal(text)))


def _equals(printed: sp.Expr, value: Value, form: Format) -> str:
    """'=' when the numbers as printed give the printed result, else '≈'."""
    return "=" if value is not None and fmt(evaluate(printed, {}), form) == fmt(value, form) else "≈"


def gradient_sign(terms: tuple[Term, ...], value: Value, form: Format) -> str:
    """'=' or '≈' before a gradient's value, after its terms as printed (δ · source, summed)."""
    printed = sp.Add(*[_printed(fmt(term.delta_value, form)) *
                       (1 if term.source is None else _printed(fmt(term.source_value, form))) for term in terms])
    return _equals(printed, value, form)


def error_sign(e: ErrorTerm, values: dict[sp.Symbol, Value], form: Format) -> str:
    """'=' or '≈' before an error term's value, after (Σ weight · error term above, or ∂E/∂y) · f′ as printed."""
    if e.links:
        up = sp.Add(*[_printed(fmt(values[w], form)) * _printed(fmt(v, form)) for w, _, v in e.links])
    else:
        up = _printed(fmt(e.upstream_value, form))
    return _equals(up * _printed(fmt(e.derivative_value, form)), e.value, form)


def recurrent_text(d: CircuitDerivation, form: Format | None = None, lang: str = "en") -> str:
    b = bptt(d)
    c, r = b.circuit, b.rnn
    form = form or Format(r.display.decimals, r.display.digits)
    s = strings(lang)
    t = s.recurrent
    names = circuit_names(c)
    numeric = c.is_numeric()

    def num(v: Value) -> str:
        return number_text(fmt(v, form))

    title = c.title or c.spec.source
    out = [title, "=" * len(title),
           t["describe"].format(inputs=len(r.inputs), hidden=r.hidden, n=len(r.hidden_neurons),
                                act=s.activations[r.activation].replace("{f}", "f"), output=r.output,
                                m=len(r.output_neurons),
                                out_act=s.activations[r.output_activation].replace("{f}", "g"), steps=r.steps),
           t["equations"].format(h=r.hidden, y=r.output, initial=", ".join(fmt(v, form) for v in r.initial_state)),
           t["loss_per_step"].format(loss=s.losses[r.loss], terms=" + ".join(f"E(t{k})" for k in
                                                                              range(1, r.steps + 1)))
           if r.per_step else t["loss_last"].format(loss=s.losses[r.loss], steps=r.steps)]
    if not numeric:
        out.append(t["symbolic"])
    out += ["", t["forward"]]
    inputs = {c.quantities[x].name: x for x in c.inputs}
    by_step: dict[int, list[sp.Symbol]] = {}
    for node in c.nodes:
        name = c.quantities[node].name
        by_step.setdefault(int(name.rsplit("_t", 1)[1]) if "_t" in name else 0, []).append(node)
    for step in range(1, r.steps + 1):
        given = ", ".join(f"{x}_t{step} = {fmt(d.forward[inputs[at(x, step)]], form)}" for x in r.inputs
                          if d.forward[inputs[at(x, step)]] is not None)
        out.append("  " + t["step"].format(t=step) + (f": {given}" if given else ""))
        out += ["    " + _forward_line(d, node, names, form) for node in by_step.get(step, [])]
    if 0 in by_step or not r.per_step:
        out.append("  " + t["loss"])
    out += ["  " + _forward_line(d, node, names, form) for node in by_step.get(0, [])]

    out += ["", t["backward"], "  " + t["recursion"]]
    for step in range(r.steps, 0, -1):
        out.append("  " + t["step"].format(t=step))
        if not r.per_step and step != r.steps:
            out.append("    " + t["no_target"])
        for o in r.output_neurons:
            if (o, step) in b.output:
                out.append("    " + _error_line(b, b.output[(o, step)], names, form, numeric))
        for h in r.hidden_neurons:
            out.append("    " + _error_line(b, b.hidden[(h, step)], names, form, numeric))

    out += ["", t["gradients"]]
    width = max(len(p) for p in r.params)
    for p in r.params:
        terms = b.terms[p]
        lhs = f"∂E/∂{p}".ljust(width + 4)
        symbols = " + ".join(_label(c, term.delta) + ("" if term.source is None else
                                                      f"·{names.text_names[term.source]}") for term in terms) or "0"
        line = f"  {lhs} = {symbols}"
        if numeric:
            shown = [num(term.delta_value) + ("" if term.source is None else f"·{num(term.source_value)}")
                     for term in terms]
            value = b.gradients[p]
            if len(terms) > 1 or (terms and terms[0].source is not None):
                line += f" = {' + '.join(shown)}"
            line += f" {gradient_sign(terms, value, form)} {fmt(value, form)}"
        out.append(line)

    if r.learning_rate is not None and d.updates and numeric:
        out += ["", t["update"].format(eta="η", value=fmt(r.learning_rate, form))]
        for up in d.updates:
            g = b.gradients[up.name]
            out.append(f"  {up.name} ← {fmt(up.value, form)} − {fmt(r.learning_rate, form)} · {num(g)} = "
                       f"{fmt(up.updated, form)}")
    return "\n".join(out) + "\n"


def _label(c: Circuit, net: sp.Symbol) -> str:
    """δ_h1,t2 for neth1_t2; ε_y1,t2 for nety1_t2."""
    neuron, step = c.quantities[net].name[3:].split("_")
    r = recurrent_spec(c)
    return f"{'ε' if r is not None and neuron in r.output_neurons else 'δ'}_{neuron},{step}"


def _forward_line(d: CircuitDerivation, node: sp.Symbol, names: Any, form: Format) -> str:
    q = d.circuit.quantities[node]
    written = q.display if q.display is not None else q.definition
    assert written is not None
    line = f"{names.text_names[node]} = {names.text(written)}"
    if d.forward[node] is not None:
        parents = {p: number_text(fmt(d.forward[p], form)) for p in q.partials if d.forward[p] is not None}
        shown = names.text(written, parents)
        if not written.is_Symbol:
            line += f" = {shown}"
        line += f" = {fmt(d.forward[node], form)}"
    return line


def _error_line(b: BPTT, e: ErrorTerm, names: Any, form: Format, numeric: bool) -> str:
    """δ_h1,t2 = (v11·δ_h1,t3 + v21·δ_h2,t3 + w1·ε_y1,t2) · (1 − h1_t2²) = (numbers) · (number) = value."""
    c = b.circuit
    lhs = f"{_label(c, e.net)} = ∂E/∂{names.text_names[e.net]}"
    deriv = names.text(e.derivative)
    deriv = deriv if e.derivative.is_Atom else f"({deriv})"
    if e.links:
        upstream = " + ".join(f"{names.text_names[w]}·{_label(c, above)}" for w, above, _ in e.links)
    else:  # an output neuron: ∂E/∂y
        upstream = names.text(e.upstream)
    line = f"{lhs} = ({upstream}) · {deriv}"
    if not numeric or e.value is None:
        return line
    values = b.derivation.forward
    if e.links:
        shown = " + ".join(f"{number_text(fmt(values[w], form))}·{number_text(fmt(v, form))}" for w, _, v in e.links)
    else:
        shown = fmt(e.upstream_value, form)
    return (f"{line} = ({shown}) · {number_text(fmt(e.derivative_value, form))} "
            f"{error_sign(e, values, form)} {fmt(e.value, form)}")
