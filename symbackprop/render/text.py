"""Plain-text layout for a terminal: the whole derivation, step by step, with numbers."""

from __future__ import annotations

from ..derive import Derivation
from ..numbers import Format, fmt
from ..train import Training
from .equations import Equation, Writer
from .tex import describe


def _eq(eq: Equation, indent: str = "  ") -> list[str]:
    head = f"{indent}{eq.lhs} {eq.steps[0].rel} "
    pad = " " * (len(head) - 2)
    lines = [head + eq.steps[0].text] + [f"{pad}{s.rel} {s.text}" for s in eq.steps[1:]]
    if eq.condition:
        lines.append(f"{pad}{eq.note} when {eq.condition}")
    elif eq.note:
        lines[-1] += f"    [{eq.note}]"
    return lines


def derivation_text(d: Derivation, form: Format | None = None, rounded: bool = False, mul: str = "dot") -> str:
    net = d.network
    out: list[str] = []
    title = net.spec.title or net.spec.source
    out += [title, "=" * len(title), describe(net), ""]
    samples = len(net.samples)
    for i in range(samples):
        w = Writer(d, "text", form, sample=i, mul=mul, rounded=rounded)
        tag = f" (sample {i + 1} of {samples})" if samples > 1 else ""
        out.append(f"Forward pass{tag}")
        for eq in w.forward():
            out += _eq(eq)
        out += _eq(w.loss())
        out += ["", f"Error terms δ = ∂{w.sym(net.error)}/∂net, output layer first{tag}"]
        for t in d.deltas:
            out += _eq(w.delta(t))
        out += ["", f"Gradients{tag}"]
        for p in d.params:
            out += _eq(w.gradient(p))
            if p.paths is None:
                out.append(f"    ({p.path_count} paths from the error: only the δ form is shown)")
        out.append("")
    w = Writer(d, "text", form, mul=mul, rounded=rounded)
    if samples > 1:
        out.append(f"Batch gradients ({net.spec.batch_loss} over {samples} samples)")
        writers = [Writer(d, "text", form, sample=i, mul=mul, rounded=rounded) for i in range(samples)]
        for p in d.params:
            out += _eq(w.batch_gradient(p, writers))
        out.append("")
    out.append("Closed forms (in the forward quantities)")
    for p in d.params:
        closed = w.closed_form(p)
        out += _eq(closed) if closed else [f"  {w.sample_partial(p.param)}: {p.path_count} paths, see the δ form"]
    out += ["", "Update"]
    for p in d.params:
        out += _eq(w.update(p))
    out += ["", "Matrix form"]
    if samples > 1:  # δ and δ aᵀ are per sample; ∂E/∂W of the batch is their sum or mean (the batch gradients)
        combine = "(1/N) Σₙ" if net.spec.batch_loss == "mean" else "Σₙ"
        out.append(f"  per sample n: ∂E^(n)/∂W = δₙ a_prevₙᵀ; the batch's ∂E/∂W = {combine} δₙ a_prevₙᵀ")
    for m in d.matrices:
        out.append(f"  layer {m.layer} ({m.name}): δ = "
                   + ("(Wᵀ_next δ_next) ⊙ f'(z)" if m.layer < len(net.layers) else "∇ₒE ⊙ f'(z)"
                      if m.elementwise else "J_softmaxᵀ ∇ₒE")
                   + (", ∂E/∂W = δ a_prevᵀ" if samples == 1 else ""))
        for k, vals in enumerate(m.values):
            tag = f" (sample {k + 1})" if samples > 1 else ""
            for key in ("delta", "grad_W", "grad_b"):
                matrix = vals.get(key)
                if matrix is not None:
                    rows = ["[" + ", ".join(fmt(x, w.form) for x in matrix.row(r)) + "]" for r in range(matrix.rows)]
                    out.append(f"    {key}{tag} = [{', '.join(rows)}]")
    if d.loss is not None:
        out += ["", f"Error before the update: {w.batch_sym()} = {fmt(d.loss, w.form)}"]
        if d.loss_after is not None:
            out.append(f"Error after one update:  {w.batch_sym()} = {fmt(d.loss_after, w.form)}")
    elif not net.is_numeric():
        out += ["", "(symbolic network: give values under [params], inputs and targets to see numbers)"]
    return "\n".join(out).rstrip() + "\n"


def training_text(t: Training) -> str:
    lines = [f"Training: {t.steps} full-batch gradient-descent steps"]
    stride = max(1, t.steps // 20)
    for k, loss in enumerate(t.losses):
        if k % stride == 0 or k == len(t.losses) - 1:
            label = "before step 1" if k == 0 else f"after step {k}"
            lines.append(f"  {label:>16}: loss = {loss:.10g}")
    lines.append("Parameters:")
    lines += [f"  {n} = {v:.10g}" for n, v in t.params.items()]
    lines.append("Outputs:")
    for n, v in t.outputs.items():
        lines.append(f"  {n} = {v if isinstance(v, list) else f'{v:.10g}'}")
    return "\n".join(lines) + "\n"

