"""Plain-text layout for a terminal: the whole derivation, step by step, with numbers; its prose in the
language's strings (templates/strings/*.toml, table [text])."""

from __future__ import annotations

from ..convolution import matrix_rule
from ..derive import Derivation, upstream
from ..numbers import Format, fmt
from ..spec import TrainingSpec
from ..train import Training, convention_lines
from .conventions import Conventions, Part, UpdateWriter, _number, conventions
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
    c = conventions(d)
    if c is None:
        out += ["", t["update"]]
        for p in d.params:
            out += _eq(w.update(p), t)
    out += ["", t["matrix"]]
    if samples > 1:  # δ and δ aᵀ are per sample; ∂E/∂W of the batch is their sum or mean (the batch gradients)
        out.append("  " + t["matrix_batch"].format(combine="(1/N) Σₙ" if mean else "Σₙ"))
    for m in d.matrices:
        rule = ("(Wᵀ_next δ_next) ⊙ f'(z)" if m.layer < len(net.layers) else "∇ₒE ⊙ f'(z)"
                if m.elementwise else "J_softmaxᵀ ∇ₒE") + (", ∂E/∂W = δ a_prevᵀ" if samples == 1 else "")
        rule = matrix_rule(net.layers, m.layer, samples, t) or rule  # a convolution or pooling layer's own
        out.append("  " + t["matrix_layer"].format(k=m.layer, name=m.name, rule=rule))
        for k, vals in enumerate(m.values):
            tag = t["sample"].format(k=k + 1) if samples > 1 else ""
            for key in ("delta", "grad_W", "grad_b"):
                matrix = vals.get(key)
                if matrix is not None and matrix.rows:  # a pooling layer has no weights (an empty grad_W)
                    rows = ["[" + ", ".join(fmt(x, w.form) for x in matrix.row(r)) + "]" for r in range(matrix.rows)]
                    out.append(f"    {key}{tag} = [{', '.join(rows)}]")
    if net.layers[0].kind.startswith("conv"):  # the inputs' δ's: Σ_j δ_j ∂net_j/∂x, the flipped kernel's
        for i in range(samples):
            ups, wi = upstream(d, i), Writer(d, "text", form, sample=i, mul=mul, rounded=rounded)
            out.append("  " + t["cnn_inputs"].format(tag=t["sample"].format(k=i + 1) if samples > 1 else ""))
            out += [f"    {wi.partial(net.error, x)} = {wi.expr(ups[x][0])}" + (
                f" = {fmt(ups[x][1], wi.form)}" if ups[x][1] is not None else "") for x in net.inputs]
    if d.loss is not None:
        out += ["", t["before"].format(e=w.batch_sym(), v=fmt(d.loss, w.form))]
        if d.loss_after is not None and c is None:
            out.append(t["after"].format(e=w.batch_sym(), v=fmt(d.loss_after, w.form)))
    if c is not None:
        out += ["", *_updates_text(c, UpdateWriter(c, "text", form, mul, rounded), t)]
    elif not net.is_numeric():
        out += ["", t["symbolic"]]
    return "\n".join(out).rstrip() + "\n"


def _how(options: TrainingSpec, t: dict[str, str]) -> str:
    how = [t["how_" + options.update].format(k=options.batch_size)]
    how += [t["how_momentum"].format(mu=fmt(options.momentum))] if options.momentum else []
    how += [t["how_decay"].format(lam=fmt(options.weight_decay))] if options.weight_decay else []
    how += [t["how_sequential"]] if options.layer_update == "sequential" else []
    return t["how_sep"].join(how)


def _which(part: Part, n: int, t: dict[str, str]) -> str:
    if len(part.samples) == n:
        return t["conv_all"].format(n=n) if n > 1 else t["conv_one"]
    if len(part.samples) == 1:
        return t["conv_sample"].format(s=part.samples[0] + 1, n=n)
    return t["conv_samples"].format(a=part.samples[0] + 1, b=part.samples[-1] + 1, n=n)


def _updates_text(c: Conventions, uw: UpdateWriter, t: dict[str, str]) -> list[str]:
    """The first epoch's updates as the spec's [training] makes them (conventions.py)."""
    options = c.options
    net = c.parts[0].derivation.network
    n = len(net.samples)
    out = [t["conv_title"].format(n=len(c.parts), how=_how(options, t))]
    if options.weight_decay:
        out.append("  " + t["conv_decay"].format(lam=fmt(options.weight_decay)))
        e = uw.writer(c.parts[0], 0).batch_sym() if n > 1 else uw.writer(c.parts[0], 0).sym(net.error)
        out.append("  " + t["conv_before_decay"].format(e=e, v=fmt(_number(c.training.losses[0]),
                                                                  uw.writer(c.parts[0], 0).form)))
    if options.momentum:
        out.append("  " + t["conv_momentum"].format(mu=fmt(options.momentum)))
    top = len(net.layers)
    for part in c.parts:
        out += ["", t["conv_update"].format(k=part.index, n=len(c.parts), which=_which(part, n, t))]
        if part.index == 1:
            out.append("  " + t["conv_first"])
        else:
            out.append("  " + t["conv_with"].format(k=part.index - 1))
            for i in part.samples:
                tag = t["sample_tag"].format(k=i + 1, n=n) if n > 1 else ""
                out.append(t["forward"].format(tag=tag))
                for eq in uw.forward(part, i):
                    out += _eq(eq, t)
                out.append(t["deltas"].format(e=uw.writer(part, i).sym(net.error), tag=tag))
                for eq in uw.deltas(part, i):
                    out += _eq(eq, t)
                out.append(t["gradients"].format(tag=tag))
                for eq in uw.gradients(part, i, top if c.sequential else None):
                    out += _eq(eq, t)
        if not c.sequential:
            for eq in uw.minibatch_gradients(part):  # a minibatch: its gradient from its samples' gradients
                out += _eq(eq, t)
            out.append(t["conv_rule"])
            for p in part.derivation.params:
                out += _eq(uw.update(part, p), t)
        else:
            for layer in range(top, 0, -1):
                name = net.layers[layer - 1].name
                if layer < top:
                    out.append(t["conv_through"].format(k=layer, name=name))
                    for i in part.samples:
                        deltas, grads = uw.through_updated(part, i, layer)
                        for eq in (*deltas, *grads):
                            out += _eq(eq, t)
                out.append(t["conv_rule_layer"].format(k=layer, name=name))
                for p in uw.update_params(part, layer):
                    out += _eq(uw.update(part, p), t)
            out.append(t["conv_true"])
            for layer in range(top - 1, 0, -1):
                out += ["  " + t["conv_pair"].format(q=q, used=used, true=true)
                        for _, q, used, true in uw.true_gradients(part, layer)]
        e = uw.writer(part, part.samples[0]).batch_sym() if n > 1 else uw.writer(part, 0).sym(net.error)
        key = "conv_loss_decay" if options.weight_decay else "conv_loss"
        out.append(t[key].format(k=part.index, e=e, v=fmt(_number(part.loss_after), uw.writer(part, 0).form)))
    if c.sequential:
        gap, k = c.gap
        out += ["", t["conv_gap"].format(gap=f"{gap:.3g}", k=k)]
    return out


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
