"""JSON: numbers at full double precision, or LaTeX formulas where a value is symbolic.

Contract (read by acceptance checks; fields may be added, never removed): derive →
{"outputs": {neuron: value}, "loss": value, "gradients": {param: value}, "updated": {param: value},
"input_gradients": {input: ∂E/∂input}, "output_gradients": {neuron: ∂E/∂out}, ...};
train → {"losses": [...], "params": {param: value}, "outputs": {neuron: value}, "steps": [{"samples", "loss",
"gradients", "params"} per update], "epoch_losses": [...]}. With several samples,
"outputs" maps each neuron to a list with one value per sample.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..derive import Derivation, Value, upstream
from ..notation import Notation
from ..train import Training
from .conventions import Conventions, UpdateWriter, conventions


def _num(value: Value, formula: sp.Expr | None, notation: Notation) -> Any:
    if value is not None:
        return float(value)
    return notation.latex(formula) if formula is not None else None


def _matrix(m: sp.Matrix | None) -> list[list[float]] | None:
    return None if m is None else [[float(x) for x in m.row(r)] for r in range(m.rows)]


def derivation_json(d: Derivation) -> dict[str, Any]:
    net = d.network
    nt = Notation(net)
    q = net.quantities
    n_samples = len(net.samples)
    lr = net.values.get(net.learning_rate)

    def per_sample(values: list[Any]) -> Any:
        return values[0] if n_samples == 1 else values

    outputs = {q[o].name: per_sample([_num(f.values[o], q[o].definition, nt) for f in d.forward])
               for o in net.outputs}
    gradients, updated, formulas = {}, {}, {}
    for p in d.params:
        formula = p.closed_form if p.closed_form is not None else p.delta_form
        gradients[p.name] = _num(p.gradient, formula, nt)
        upd = _num(p.updated, None, nt)
        if upd is None:
            upd = nt.latex(p.param) if p.frozen else (
                f"{nt.latex(p.param)} - {nt.latex(net.learning_rate)} {nt.partial_latex(net.error, p.param)}")
        updated[p.name] = upd
        formulas[p.name] = {
            "kind": p.kind,
            "layer": p.layer,
            "frozen": p.frozen,
            "paths": p.path_count,
            "chain": [[{"of": q[f.of].name if f.of in q else str(f.of), "wrt": q[f.wrt].name,
                        "latex": nt.partial_latex(f.of, f.wrt), "expr": nt.latex(f.expr),
                        "value": _num(f.values[0], None, nt)} for f in path.factors]
                      for path in (p.paths or ())],
            "delta_form": nt.latex(p.delta_form),
            "closed_form": None if p.closed_form is None else nt.latex(p.closed_form),
            "gradient_per_sample": [_num(v, None, nt) for v in p.gradients],
        }
    deltas = {t.neuron: per_sample([_num(v, t.expr, nt) for v in t.values]) for t in d.deltas}
    delta_formulas = {t.neuron: {"symbol": nt.latex(t.delta), "expr": nt.latex(t.expr),
                                 "closed_form": None if t.closed_form is None else nt.latex(t.closed_form),
                                 "simplified": None if t.simplified is None else nt.latex(t.simplified)}
                      for t in d.deltas}
    forward = [{q[s].name: _num(v, q[s].definition, nt) for s, v in f.values.items()} for f in d.forward]
    matrices = []
    for m in d.matrices:
        vals = m.values[0]
        matrices.append({"layer": m.layer, "name": m.name, **{k: _matrix(v) for k, v in vals.items()},
                         "W_names": [[q[x].name for x in m.W.row(r)] for r in range(m.W.rows)]})
    ups = [upstream(d, i) for i in range(n_samples)]
    c = conventions(d)

    def grads(symbols: list[sp.Symbol]) -> dict[str, Any]:
        return {q[s].name: per_sample([_num(u[s][1], u[s][0], nt) for u in ups]) for s in symbols}
    return {
        "spec": net.spec.source,
        "title": net.spec.title,
        "numeric": d.loss is not None,
        "outputs": outputs,
        "loss": _num(d.loss, q[net.error].definition, nt),
        "gradients": gradients,
        "updated": updated,
        "learning_rate": None if lr is None else float(lr),
        "frozen": sorted(q[p].name for p in net.frozen),
        "loss_after": None if d.loss_after is None else float(d.loss_after),
        "deltas": deltas,
        "forward": per_sample(forward),
        "formulas": formulas,
        "delta_formulas": delta_formulas,
        "matrices": matrices,
        "samples": n_samples,
        "input_gradients": grads(list(net.inputs)),
        "output_gradients": grads([o for layer in net.layers for o in layer.outs]),
        **({} if c is None else {"training_updates": _updates(c)}),
    }


def _updates(c: Conventions) -> dict[str, Any]:
    """The first epoch's updates as [training] makes them (conventions.py), for a spec that is not plain full-batch
    gradient descent: per update its samples (0-based), the parameters before it, ∂E/∂w of its loss (without the
    decay term), Δw of the update before (0 at the first), the parameters after it and the loss over all samples
    after it (with λ/2 Σ w²); sequential: the δ's it used (per sample of the update; the layers below the output
    through the updated weights), the gradients it used, the true ones and the gap."""
    uw = UpdateWriter(c)
    updates = []
    for part in c.parts:
        entry: dict[str, Any] = {
            "update": part.index, "samples": part.samples, "params_before": part.before,
            "gradients": {p.name: float(uw.gradient_value(part, p)) for p in part.derivation.params},
            "previous_step": part.previous, "params": part.update.params, "loss_after": part.loss_after}
        if part.deltas is not None:
            entry["deltas"] = {part.derivation.delta(s).neuron: [float(v) for v in vs] for s, vs in part.deltas.items()}
            entry["true_gradients"] = part.update.true_gradients
            entry["sequential_gap"] = part.update.gap
        updates.append(entry)
    options = c.options
    return {"update": options.update, "batch_size": options.batch_size, "momentum": float(options.momentum),
            "weight_decay": float(options.weight_decay), "decays": c.decays, "layer_update": options.layer_update,
            "rule": "w+ = w - eta*(dE/dw + weight_decay*w) + momentum*previous_step", "updates": updates,
            **({"note": SEQUENTIAL_NOTE} if c.sequential else {})}


SEQUENTIAL_NOTE = ("sequential layer update: the output layer is updated first and the hidden deltas are "
                   "back-propagated through its updated weights; this is not the gradient of the loss "
                   "(each step's true_gradients and sequential_gap say by how much it differs)")


def training_json(t: Training) -> dict[str, Any]:
    """{"losses": [...], "params", "outputs", "steps": [{"samples", "loss", "gradients", "params"} per update],
    "epoch_losses": [...]} (a contract: fields may be added, never removed), and the [training] conventions the
    run used: "layer_update" and "rounding"; for a sequential update a "note" that it is not the gradient,
    "max_sequential_gap" and, per step, "true_gradients" and "sequential_gap" (Update.true_gradients, Update.gap)."""
    options = t.network.spec.training if t.network is not None else None
    sequential = options is not None and options.layer_update == "sequential"
    steps = []
    for u in t.updates:
        step = {"samples": u.samples, "loss": u.loss, "gradients": u.gradients, "params": u.params}
        steps.append({**step, "true_gradients": u.true_gradients, "sequential_gap": u.gap} if sequential else step)
    data: dict[str, Any] = {"steps": steps, "losses": t.losses, "epoch_losses": t.epoch_losses, "params": t.params,
                            "outputs": t.outputs, "layer_update": options.layer_update if options else "simultaneous",
                            "rounding": options.rounding if options else None}
    if sequential:
        data["note"] = SEQUENTIAL_NOTE
        data["max_sequential_gap"] = max((u.gap or 0.0 for u in t.updates), default=0.0)
    return data
