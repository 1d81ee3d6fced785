r"""A recurrent network's quantities written with a time step, read as its unrolled circuit's names (recurrent.py).

Sources write hidden unit 1 at step 2 as h_{1,2} or h_{1,t=2} (unit, then step: the order of the circuit's name
h1_t2), h^{(2)}_1 (Goodfellow; the reader gives the superscript (2) as "2"), or s_{1,2} (the state s_t of Chinese
notes); its net input as net_{1,2}, net_{h1,2}, z_{1,2} or a^{(2)}_1; the input x_2 and the output y_2, o_2,
\hat{y}^{(2)} (one input / one output: no unit index needed); the loss L, J or E, and one step's L_2, E^{(2)};
the target d_2 (and y_2 when the answer writes the output as \hat{y}); the error term δ_{1,2}, δ^{(2)}_1,
δ_{h1,2} = ∂E/∂net of that unit at that step. Nothing else is guessed: a name without a step (h_1) or with a
unit the layer does not have stays unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..recurrent import recurrent_spec
from .tree import RawName

HIDDEN = ("h", "s")
NET = ("net", "z", "a")
INPUT = ("x",)
OUTPUT = ("y", "o")
LOSS = ("L", "J", "E")
TARGET = ("d", "target")
DELTA = ("delta",)
STEP_RE = re.compile(r"(?:t\s*=\s*|t)?(\d+)(?:([+-])(\d+))?")  # 2, t=2, t2, and 3-1 (a \sum's t − 1 expanded)
D_NAME_RE = re.compile(r"(?<![\\A-Za-z])d(?:[A-Za-z]|\\(?:hat|mathbf|boldsymbol))")


@dataclass(frozen=True)
class Unrolled:
    """What the reading needs of a recurrent spec: its layers' names, steps and targets."""

    hidden: str
    units: tuple[str, ...]  # h1, h2
    inputs: tuple[str, ...]  # x1
    output: str
    outputs: tuple[str, ...]  # y1
    steps: int
    targets: dict[str, tuple[Any, ...]]  # output → its target per step (one: the last step's)


@dataclass(frozen=True)
class Reading:
    """kind "node" (the circuit's quantity `name`), "delta" (∂E/∂ the net input `name`) or "target" (`value`)."""

    kind: str
    name: str = ""
    value: Any = None


def unrolled(circuit: Any) -> Unrolled | None:
    """The recurrent spec a circuit was unrolled from, or None for any other circuit (and for several sequences,
    whose names carry the sequence too: x1_s2t1, read as the circuit's own names)."""
    rnn = recurrent_spec(circuit)
    if rnn is None:
        return None
    return Unrolled(rnn.hidden, tuple(rnn.hidden_neurons), tuple(rnn.inputs), rnn.output, tuple(rnn.output_neurons),
                    int(rnn.steps), {k: tuple(v) for k, v in rnn.targets.items()})


def _step(text: str) -> int | None:
    m = STEP_RE.fullmatch(re.sub(r"[{} ]", "", text))  # h^{(t)} expanded by a \\sum over t: sup "{2}", "{2}-1"
    if m is None:
        return None
    return int(m[1]) + (0 if m[2] is None else int(m[3]) if m[2] == "+" else -int(m[3]))


def _unit(text: str, units: tuple[str, ...], layer: str) -> str | None:
    """The unit a subscript names: "" (the layer's only unit), "1" or "h1"."""
    text = text.strip()
    if not text:
        return units[0] if len(units) == 1 else None
    if text.isdigit():
        name = f"{layer}{text}"
        return name if name in units else None
    return text if text in units else None


def _indices(raw: RawName) -> tuple[str, int] | None:
    """(unit text, step) from h_{1,2}, h_{1,t=2}, h^{(2)}_1, x_2 (unit text "" when only the step is written)."""
    if raw.sup:
        step = _step(raw.sup)
        return None if step is None else (raw.sub, step)
    parts = raw.sub.split(",")
    if len(parts) == 2:
        step = _step(parts[1])
        return None if step is None else (parts[0], step)
    step = _step(raw.sub) if raw.sub[:1].isdigit() or raw.sub.startswith("t") else None
    return None if step is None else ("", step)


def read(raw: RawName, u: Unrolled, names: set[str] | dict[str, Any], hat_output: bool = False) -> Reading | None:
    """The quantity a time-indexed name stands for in the unrolled circuit, or None."""
    if raw.accent and not (raw.accent == "hat" and raw.base in (*OUTPUT, u.output)):
        return None
    found = _indices(raw)
    if found is None:
        return _loss(raw, names)
    unit_text, t = found
    base = raw.base
    if base in LOSS:
        name = f"E_t{t}"
        return Reading("node", name) if not unit_text and name in names else None
    if base in (*HIDDEN, u.hidden) or base in NET or base in DELTA:
        unit = _unit(unit_text, u.units, u.hidden)
        if unit is None:
            return None
        net = f"net{unit}_t{t}"
        if base in DELTA:
            return Reading("delta", net) if net in names else None
        name = net if base in NET else f"{unit}_t{t}"
        return Reading("node", name) if name in names else None
    if base in INPUT or base in u.inputs:
        unit = _unit(unit_text, u.inputs, "x")
        name = f"{unit}_t{t}"
        return Reading("node", name) if unit is not None and name in names else None
    if base in TARGET or (base in ("y", u.output) and not raw.accent and hat_output):
        unit = _unit(unit_text, u.outputs, u.output)
        target = u.targets.get(unit or "")
        if target is None:
            return None
        if len(target) == u.steps:
            return Reading("target", value=target[t - 1]) if 1 <= t <= u.steps else None
        return Reading("target", value=target[-1]) if t == u.steps else None
    if base in (*OUTPUT, u.output):
        unit = _unit(unit_text, u.outputs, u.output)
        name = f"{unit}_t{t}"
        return Reading("node", name) if unit is not None and name in names else None
    return None


def _loss(raw: RawName, names: set[str] | dict[str, Any]) -> Reading | None:
    """L, J, \\mathcal{L}: the summed loss E; a target without a step (d, target) is read by the caller."""
    if raw.base in LOSS and not raw.sub and not raw.sup and not raw.accent and "E" in names:
        return Reading("node", "E")
    return None


def last_target(raw: RawName, u: Unrolled) -> Any:
    """d or target without a step: the one target of a network with a target at the last step only."""
    if raw.base in TARGET and not raw.sub and not raw.sup and len(u.outputs) == 1:
        target = u.targets.get(u.outputs[0], ())
        if len(target) == 1:
            return target[0]
    return None


def initial_state(circuit: Any) -> tuple[str, ...]:
    """The names of a recurrent network's initial state (h1_t0, h2_t0), () for any other circuit."""
    u = unrolled(circuit)
    return () if u is None else tuple(f"{unit}_t0" for unit in u.units)


def output_written_apart(raws: Any, u: Unrolled) -> bool:
    """Does the answer write the output as \\hat{y} or o (d2l's o_t, Goodfellow's \\hat{y}^{(t)})? Then a plain y_t
    is the target, as those sources write it."""
    return any(isinstance(r, RawName) and (r.accent == "hat" or (r.base == "o" and u.output != "o"))
               for r in raws)


def d_prefixed(latex: str) -> bool:
    """Does the answer use Karpathy's code names dy, dh, dWhh (read as d times y)? Then a bare d is not a target."""
    return D_NAME_RE.search(latex) is not None


def recurrent_edges(u: Unrolled) -> tuple[tuple[str, str], ...]:
    """(user, input) of every use of a hidden state by the next step's net inputs: h1_t1 → neth2_t2, …"""
    return tuple((f"net{a}_t{t + 1}", f"{b}_t{t}") for t in range(0, u.steps) for a in u.units for b in u.units)
