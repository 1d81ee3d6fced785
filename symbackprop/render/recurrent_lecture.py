"""A recurrent network's lecture in Markdown (`$…$`, `$$…$$` for Jupyter, MathJax and KaTeX): the forward pass
as a table over the steps, backpropagation through time step by step from the last one (every δ with its
recursion in symbols and numbers), each shared weight's gradient as the sum over the steps, and the updates.
The numbers are those of derive (bptt.py); prose lives in templates/strings ([recurrent]).
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..backward import CircuitDerivation
from ..bptt import BPTT, ErrorTerm, bptt
from ..circuit import Circuit
from ..derive import Value
from ..numbers import Format, fmt, number_latex
from ..recurrent import at, recurrent_spec
from .circuit_out import circuit_names
from .recurrent_out import error_sign, gradient_sign
from .tex import strings


def _error_latex(c: Circuit, net: sp.Symbol) -> str:
    """δ^{h1}_{t2} for neth1_t2; ε^{y1}_{t2} for nety1_t2."""
    neuron, step = c.quantities[net].name[3:].split("_")
    r = recurrent_spec(c)
    greek = r"\varepsilon" if r is not None and neuron in r.output_neurons else r"\delta"
    return rf"{greek}^{{\mathrm{{{neuron}}}}}_{{{step}}}"


def recurrent_markdown(d: CircuitDerivation, form: Format | None = None, lang: str = "en",
                       title: str | None = None) -> str:
    b = bptt(d)
    c, r = b.circuit, b.rnn
    form = form or Format(r.display.decimals, r.display.digits)
    s = strings(lang)
    t = s.recurrent
    names = circuit_names(c)
    numeric = c.is_numeric()
    by_name = {q.name: sym for sym, q in c.quantities.items()}

    def num(v: Value) -> str:
        return number_latex(fmt(v, form))

    def tex(name: str) -> str:
        return names.latex_names[by_name[name]]

    heading = title or (r.title_zh if lang == "zh" and r.title_zh else r.title_en if lang == "en" and r.title_en
                        else r.title) or t["generated_title"]
    out = [f"# {heading}", "",
           t["describe"].format(inputs=len(r.inputs), hidden=r.hidden, n=len(r.hidden_neurons),
                                act=s.activations[r.activation].replace("{f}", "f"), output=r.output,
                                m=len(r.output_neurons),
                                out_act=s.activations[r.output_activation].replace("{f}", "g"), steps=r.steps), "",
           "$$h_t = f(U x_t + V h_{t-1} + b), \\qquad y_t = g(W h_t + c), \\qquad h_0 = ("
           + ", ".join(fmt(v, form) for v in r.initial_state) + ")$$", "",
           (t["loss_per_step"].format(loss=s.losses[r.loss], terms=" + ".join(f"E(t{k})" for k in
                                                                               range(1, r.steps + 1)))
            if r.per_step else t["loss_last"].format(loss=s.losses[r.loss], steps=r.steps)), ""]
    if not numeric:
        out += [t["symbolic"], ""]

    # the forward pass: a row per step
    columns = [*(x for x in r.inputs), *(q for h in r.hidden_neurons for q in (f"net{h}", h)),
               *(q for o in r.output_neurons for q in (f"net{o}", o))]
    if numeric:
        out += [f"## {t['forward']}", ""]
        head = ["$t$", *(f"${tex(at(q, 1)).removesuffix('_{t1}')}$" for q in columns)]
        if r.per_step:
            head.append("$E_t$")
        out += ["| " + " | ".join(head) + " |", "|" + " ---: |" * len(head)]
        for step in range(1, r.steps + 1):
            row = [str(step), *(f"${fmt(d.forward[by_name[at(q, step)]], form)}$" for q in columns)]
            if r.per_step:
                row.append(f"${fmt(d.forward[by_name[at('E', step)]], form)}$")
            out.append("| " + " | ".join(row) + " |")
        out += ["", f"$$E = {num(d.output_value)}$$", ""]
    else:
        out += [f"## {t['forward']}", ""]
        for node in c.nodes:
            q = c.quantities[node]
            out.append(f"$${names.latex_names[node]} = {names.latex(q.display or q.definition)}$$")
        out.append("")

    out += [f"## {t['backward_title']}", "", t["backward"], "",
            r"$$\delta_t = \left(V^{\mathsf{T}} \delta_{t+1} + W^{\mathsf{T}} \varepsilon_t\right) "
            r"\odot f'(\mathrm{net}_t), \qquad "
            r"\varepsilon_t = \frac{\partial E}{\partial y_t} \odot g'(\mathrm{net}_t)$$", ""]
    for step in range(r.steps, 0, -1):
        out += [f"### {t['step'].format(t=step)}", ""]
        if not r.per_step and step != r.steps:
            out += [t["no_target"], ""]
        for o in r.output_neurons:
            if (o, step) in b.output:
                out += [_error_md(b, b.output[(o, step)], names, form, numeric), ""]
        for h in r.hidden_neurons:
            out += [_error_md(b, b.hidden[(h, step)], names, form, numeric), ""]

    out += [f"## {t['gradients_title']}", "", t["gradients"], ""]
    for p in r.params:
        terms = b.terms[p]
        symbols = " + ".join(_error_latex(c, term.delta) + ("" if term.source is None else
                                                             f" {names.latex_names[term.source]}") for term in terms)
        line = rf"\frac{{\partial E}}{{\partial {names.latex_names[by_name[p]]}}} = {symbols or '0'}"
        if numeric:
            shown = " + ".join(num(term.delta_value) + ("" if term.source is None else
                                                        rf" \cdot {num(term.source_value)}") for term in terms)
            if len(terms) > 1 or (terms and terms[0].source is not None):
                line += f" = {shown}"
            sign = gradient_sign(terms, b.gradients[p], form).replace("≈", r"\approx")
            line += f" {sign} {fmt(b.gradients[p], form)}" if terms else ""
        out += [f"$${line}$$", ""]

    if numeric and r.learning_rate is not None and d.updates:
        out += [f"## {t['update_title']}", "", t["update"].format(eta="$\\eta$", value=fmt(r.learning_rate, form)), "",
                f"| {t['parameter']} | {t['value']} | $\\partial E / \\partial \\cdot$ | {t['updated']} |",
                "| --- | ---: | ---: | ---: |"]
        for up in d.updates:
            out.append(f"| ${names.latex_names[up.param]}$ | ${fmt(up.value, form)}$ | "
                       f"${fmt(b.gradients[up.name], form)}$ | ${fmt(up.updated, form)}$ |")
        out.append("")
    return "\n".join(out)


def _error_md(b: BPTT, e: ErrorTerm, names: Any, form: Format, numeric: bool) -> str:
    c = b.circuit
    deriv = names.latex(e.derivative)
    deriv = deriv if e.derivative.is_Atom else rf"\left({deriv}\right)"
    if e.links:
        upstream = " + ".join(f"{names.latex_names[w]} {_error_latex(c, above)}" for w, above, _ in e.links)
    else:
        upstream = names.latex(e.upstream)
    line = (rf"{_error_latex(c, e.net)} = \frac{{\partial E}}{{\partial {names.latex_names[e.net]}}} = "
            rf"\left({upstream}\right) \cdot {deriv}")
    if numeric and e.value is not None:
        values = b.derivation.forward
        if e.links:
            shown = " + ".join(rf"{number_latex(fmt(values[w], form))} \cdot {number_latex(fmt(v, form))}"
                               for w, _, v in e.links)
        else:
            shown = fmt(e.upstream_value, form)
        sign = error_sign(e, values, form).replace("≈", r"\approx")
        line += (rf" = \left({shown}\right) \cdot {number_latex(fmt(e.derivative_value, form))}"
                 f" {sign} {fmt(e.value, form)}")
    return f"$${line}$$"
