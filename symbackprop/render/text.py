"""Plain-text layout for a terminal: the whole derivation, step by step, with numbers; its prose in the
language's strings (templates/strings/*.toml, table [text])."""

from __future__ import annotations

from ..derive import Derivation
from ..numbers import Format, fmt
from ..train import Training, convention_lines
from .equations import Equation, Writer
from .tex import describe, strings


def _eq(eq: Equation, t: dict[str, str], indent: str = "  ") -> list[str]:
    head = f"{indent}{eq.lhs} {eq.steps[0].rel} "
    pad = " " * (len(head) - 2)
    lines = [head + eq.steps[0].text] + [f"{pad}{s.rel} {s.text}" for s in eq.steps[1:]]
    if eq.condition:
        lines.append(pad + t["when"].format(note=eq.note, cond=eq.condition))
    elif eq.note:
        lines[-1] += f"    [{eq.note}]"
    return lines


def derivation_text(d: Derivation, form: Format | None = None, rounded: bool = False, mul: str = "dot",
                    lang: str = "en") -> str:
    net = d.network
    t = strings(lang).text
    out: list[str] = []
    title = net.spec.title or net.spec.source
    out += [title, "=" * len(title), describe(net, lang), ""]
    samples = len(net.samples)
    for i in range(samples):
        w = Writer(d, "text", form, sample=i, mul=mul, rounded=rounded)
        tag = t["sample_tag"].format(k=i + 1, n=samples) if samples > 1 else ""
        out.append(t["forward"].format(tag=tag))
        for eq in w.forward():
            out += _eq(eq, t)
        out += _eq(w.loss(), t)
        out += ["", t["deltas"].format(e=w.sym(net.error), tag=tag)]
        for e in d.deltas:
            out += _eq(w.delta(e), t)
        out += ["", t["gradients"].format(tag=tag)]
        for p in d.params:
            out += _eq(w.gradient(p), t)
            if p.paths is None:
                out.append("    " + t["only_delta"].format(n=p.path_count))
        out.append("")
    w = Writer(d, "text", form, mul=mul, rounded=rounded)
    mean = net.spec.batch_loss == "mean"
    if samples > 1:
        out.append(t["batch"].format(how=t["batch_mean" if mean else "batch_sum"], n=samples))
        writers = [Writer(d, "text", form, sample=i, mul=mul, rounded=rounded) for i in range(samples)]
        for p in d.params:
            out += _eq(w.batch_gradient(p, writers), t)
        out.append("")
    out.append(t["closed"])
    for p in d.params:
        closed = w.closed_form(p)
        out += _eq(closed, t) if closed else ["  " + t["closed_paths"].format(q=w.sample_partial(p.param),
                                                                             n=p.path_count)]
    out += ["", t["update"]]
    for p in d.params:
        out += _eq(w.update(p), t)
    out += ["", t["matrix"]]
    if samples > 1:  # δ and δ aᵀ are per sample; ∂E/∂W of the batch is their sum or mean (the batch gradients)
        out.append("  " + t["matrix_batch"].format(combine="(1/N) Σₙ" if mean else "Σₙ"))
    for m in d.matrices:
        rule = ("(Wᵀ_next δ_next) ⊙ f'(z)" if m.layer < len(net.layers) else "∇ₒE ⊙ f'(z)"
                if m.elementwise else "J_softmaxᵀ ∇ₒE") + (", ∂E/∂W = δ a_prevᵀ" if samples == 1 else "")
        out.append("  " + t["matrix_layer"].format(k=m.layer, name=m.name, rule=rule))
        for k, vals in enumerate(m.values):
            tag = t["sample"].format(k=k + 1) if samples > 1 else ""
            for key in ("delta", "grad_W", "grad_b"):
                matrix = vals.get(key)
                if matrix is not None:
                    rows = ["[" + ", ".join(fmt(x, w.form) for x in matrix.row(r)) + "]" for r in range(matrix.rows)]
                    out.append(f"    {key}{tag} = [{', '.join(rows)}]")
    if d.loss is not None:
        out += ["", t["before"].format(e=w.batch_sym(), v=fmt(d.loss, w.form))]
        if d.loss_after is not None:
            out.append(t["after"].format(e=w.batch_sym(), v=fmt(d.loss_after, w.form)))
    elif not net.is_numeric():
        out += ["", t["symbolic"]]
    return "\n".join(out).rstrip() + "\n"


def training_text(result: Training, lang: str = "en") -> str:
    t = strings(lang).text
    options = result.network.spec.training if result.network is not None else None
    if options is None or (options.update == "batch" and not options.momentum and not options.weight_decay):
        lines = [t["training"].format(n=result.steps)]
    else:
        how = [t["how_" + options.update].format(k=options.batch_size)]
        how += [t["how_momentum"].format(mu=fmt(options.momentum))] if options.momentum else []
        how += [t["how_decay"].format(lam=fmt(options.weight_decay))] if options.weight_decay else []
        lines = [t["training_as"].format(n=result.steps, how=t["how_sep"].join(how))]
    lines += [f"  {line}" for line in convention_lines(result, lang)]  # sequential, rounded: under the heading
    stride = max(1, result.steps // 20)
    for k, loss in enumerate(result.losses):
        if k % stride == 0 or k == len(result.losses) - 1:
            label = t["before_step"] if k == 0 else t["after_step"].format(k=k)
            lines.append(f"  {label:>16}: {t['loss']} = {loss:.10g}")
    lines.append(t["params"])
    lines += [f"  {n} = {v:.10g}" for n, v in result.params.items()]
    lines.append(t["outputs"])
    for n, v in result.outputs.items():
        lines.append(f"  {n} = {v if isinstance(v, list) else f'{v:.10g}'}")
    return "\n".join(lines) + "\n"
