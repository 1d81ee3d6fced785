"""The labelled corpus of hand derivations: one TOML file per student's answer sheet. Parts with the same format:
``tune/`` … ``tune54/`` (to develop the checker against; tune3, tune5, tune6, tune7, tune8, tune9, tune10, tune11,
tune12, tune13, tune14 (measure10), tune15 (measure11), tune16 (measure12), tune17 (measure13), tune18 (measure14),
tune19 (measure15), tune20 (measure16), tune21 (measure17), tune22 (measure18), tune23 (measure19), tune24 (measure20),
tune25 (measure21), tune26 (measure22), tune27 (measure23), tune28 (measure24), tune29 (measure25), tune30 (measure26),
tune31 (measure27), tune32 (measure28), tune33 (measure29), tune34 (measure30), tune35 (measure31), tune36 (measure32),
tune37 (measure33), tune38 (measure35), tune39 (measure36), tune40 (measure37), tune41 (measure38), tune42 (measure39),
tune43 (measure40), tune44 (measure41), tune45 (measure42), tune46 (measure43), tune47 (measure45), tune48 (measure44),
tune49 (measure47), tune50 (measure48), tune51 (measure49), tune52 (measure50), tune53 (measure51) and tune54
(measure52) were the held-out part until a fresh one was written) and ``measure34/``, ``measure46/``, ``measure53/``
(held out, written without the checker's code or verdicts, to measure them: only their totals are looked at). A file::

    spec = "seed004_mattmazur.toml"      # a file in examples/
    source = "Mazur blog style"          # the style imitated
    [[case]]
    id = "w5-mazur"                      # unique in the file
    quantity = "dE/dw5"                  # as in the answers format of `symbackprop check`
    step = 0                             # optional: after this many gradient steps
    label = "right"                      # or "wrong"
    mistake = ""                         # for a wrong case: one of MISTAKES
    value = "0.082167041"                # optional: the number the final line states, as written
    expr = ""                            # optional: the final formula in SymPy syntax over the spec's names
    tolerance = ""                       # optional, right cases only: hand-rounded intermediates (see below)
    note = "why it is wrong"             # required for a wrong case
    latex = '''...'''

The cases of a file are one student's answers, judged in order (a name defined in one answer, δ_1 or Δw_5,
may be used in a later one). `tolerance` is for a right answer whose final number follows from correctly
rounded intermediate numbers (seed 000 rounds everything to 2 decimals): the absolute deviation from the
true value that this rounding explains; the note says which numbers were rounded. `expr` uses the names of
`truth_values.names` (inputs, targets — `target`, `d`, or `<t>_<output>` with several outputs —, parameters,
the learning rate `eta`/`alpha`, `net_<n>`, `out_<n>`, `Phi`, `dPhi`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
EXAMPLES = ROOT.parents[1] / "examples"
HALVES = ("tune", "tune2", "tune3", "tune4", "tune5", "tune6", "tune7", "tune8", "tune9", "tune10", "tune11",
          "tune12", "tune13", "tune14", "tune15", "tune16", "tune17", "tune18", "tune19", "tune20",
          "tune21", "tune22", "tune23", "tune24", "tune25", "tune26", "tune27", "tune28", "tune29", "tune30",
          "tune31", "tune32", "tune33", "tune34", "tune35", "tune36", "tune37", "tune38", "tune39",
          "tune40", "tune41", "tune42", "tune43", "tune44", "tune45", "tune46", "tune47", "tune48", "tune49", "tune50",
          "tune51", "tune52", "tune53", "tune54", "measure34", "measure46", "measure53")
#: answers about recurrent and convolutional networks (issue 16), with their own truth (seq_truth.py, not
#: truth_values.py): `seq` to develop against, `seq_measure` held out (written before the checker ran on any)
SEQ_PARTS = ("seq", "seq_measure")
LABELS = ("right", "wrong")
MISTAKES = (
    "missing_activation_derivative",
    "sign_flipped",
    "factor_two",
    "wrong_weight",
    "per_weight_delta",
    "updated_weights",
    "wrong_input",
    "wrong_activation_derivative",
    "update_sign",
    "missing_learning_rate",
    "arithmetic_slip",
    "too_few_digits",
    "wrong_substituted_value",
    "other_quantity",
    "incomplete",
    "wrong_sum",
)
FILE_KEYS = {"spec", "source", "case"}
CASE_KEYS = {"id", "quantity", "step", "label", "mistake", "value", "expr", "tolerance", "note", "latex"}
QUANTITY_RE = re.compile(r"dE/d(net_)?\w+|\w+\+|E|(net_|delta_)?\w+")
NUMBER_RE = re.compile(r"-?\d+(\.\d*)?([eE][+-]?\d+)?")


class CorpusError(ValueError):
    """A corpus file that does not follow the format: names the file, the key and what was expected."""


@dataclass(frozen=True)
class Case:
    id: str
    quantity: str
    label: str
    latex: str
    step: int = 0
    mistake: str = ""
    value: str = ""
    expr: str = ""
    tolerance: str = ""
    note: str = ""

    @property
    def right(self) -> bool:
        return self.label == "right"


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    half: str
    spec: str
    source: str
    cases: tuple[Case, ...]

    @property
    def spec_path(self) -> Path:
        return EXAMPLES / self.spec

    @property
    def name(self) -> str:
        return f"{self.half}/{self.path.name}"

    def as_answers(self) -> dict[str, Any]:
        """The file in the answers format of `symbackprop check` (spec as an absolute path), graded as the labels
        are written: on a network with numbers, a right answer states its number (`require_value`)."""
        return {"spec": str(self.spec_path), "grading": {"require_value": True},
                "answer": [{"id": c.id, "quantity": c.quantity, "step": c.step, "latex": c.latex}
                           for c in self.cases]}


def _fail(path: Path, key: str, message: str) -> CorpusError:
    return CorpusError(f"{path}: {key}: {message}")


def _string(item: dict[str, Any], key: str, path: Path, where: str, required: bool = False) -> str:
    v = item.get(key, "")
    if not isinstance(v, str):
        raise _fail(path, f"{where}.{key}", f"expected a string, got {type(v).__name__}")
    if required and not v.strip():
        raise _fail(path, f"{where}.{key}", "expected a non-empty string")
    return v.strip() if key != "latex" else v


def _case(item: Any, k: int, path: Path) -> Case:
    where = f"case[{k}]"
    if not isinstance(item, dict):
        raise _fail(path, where, "expected a table")
    extra = sorted(set(item) - CASE_KEYS)
    if extra:
        raise _fail(path, f"{where}.{extra[0]}", f"unknown key; expected one of {', '.join(sorted(CASE_KEYS))}")
    cid = _string(item, "id", path, where, required=True)
    where = f"case[{k}] ({cid})"
    quantity = _string(item, "quantity", path, where, required=True)
    if not QUANTITY_RE.fullmatch(quantity):
        raise _fail(path, f"{where}.quantity", f"{quantity!r} is not dE/d<param>, <param>+, E, <neuron>, "
                                               "net_<neuron>, delta_<neuron>, dE/d<neuron> or dE/dnet_<neuron>")
    step = item.get("step", 0)
    if not isinstance(step, int) or isinstance(step, bool) or step < 0:
        raise _fail(path, f"{where}.step", f"expected an integer ≥ 0, got {step!r}")
    label = _string(item, "label", path, where, required=True)
    if label not in LABELS:
        raise _fail(path, f"{where}.label", f"expected 'right' or 'wrong', got {label!r}")
    mistake = _string(item, "mistake", path, where)
    note = _string(item, "note", path, where)
    tolerance = _string(item, "tolerance", path, where)
    if label == "wrong":
        if mistake not in MISTAKES:
            raise _fail(path, f"{where}.mistake", f"expected one of {', '.join(MISTAKES)}, got {mistake!r}")
        if not note:
            raise _fail(path, f"{where}.note", "a wrong case says why it is wrong")
        if tolerance:
            raise _fail(path, f"{where}.tolerance", "only a right case has a rounding tolerance")
    elif mistake:
        raise _fail(path, f"{where}.mistake", f"a right case has no mistake, got {mistake!r}")
    value = _string(item, "value", path, where)
    for key, v in (("value", value), ("tolerance", tolerance)):
        if v and not NUMBER_RE.fullmatch(v):
            raise _fail(path, f"{where}.{key}", f"expected a decimal number as written (0.0821670, -8.77e-3), "
                                                f"got {v!r}")
    if tolerance and not note:
        raise _fail(path, f"{where}.note", "a rounding tolerance says which numbers were rounded")
    latex = _string(item, "latex", path, where, required=True)
    return Case(cid, quantity, label, latex, step, mistake, value, _string(item, "expr", path, where),
                tolerance, note)


def load_file(path: str | Path, half: str | None = None) -> CorpusFile:
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{p}: not valid TOML: {exc}") from None
    extra = sorted(set(data) - FILE_KEYS)
    if extra:
        raise _fail(p, extra[0], "unknown key; expected spec, source and [[case]] tables")
    spec = data.get("spec")
    if not isinstance(spec, str) or not (EXAMPLES / spec).is_file():
        raise _fail(p, "spec", f"expected the name of a file in examples/, got {spec!r}")
    source = data.get("source", "")
    if not isinstance(source, str) or not source.strip():
        raise _fail(p, "source", "expected a non-empty string (the style imitated)")
    items = data.get("case")
    if not isinstance(items, list) or not items:
        raise _fail(p, "case", "expected at least one [[case]] table")
    cases = tuple(_case(item, k, p) for k, item in enumerate(items))
    seen: set[str] = set()
    for c in cases:
        if c.id in seen:
            raise _fail(p, "case.id", f"duplicate id {c.id!r}")
        seen.add(c.id)
    return CorpusFile(p, half or p.parent.name, spec, source.strip(), cases)


def load_corpus(half: str | None = None) -> list[CorpusFile]:
    """Every file of one part (one of HALVES: "tune", …, "tune46", or of SEQ_PARTS), or of all HALVES (None),
    in name order."""
    if half is not None and half not in HALVES + SEQ_PARTS:
        raise ValueError(f"expected one of {', '.join(HALVES + SEQ_PARTS)} or None, got {half!r}")
    files = []
    for h in HALVES if half is None else (half,):
        folder = ROOT / h
        if folder.is_dir():
            files += [load_file(p, h) for p in sorted(folder.glob("*.toml"))]
    return files
