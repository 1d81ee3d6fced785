"""Every notebook runs top to bottom, headless, in a fresh kernel (nbclient), failing on any error; and every number
a notebook prints next to a claim is checked here, against a reason independent of the library (Fractions and
Decimals written out in the test, NumPy loops, PyTorch, the seeds' published numbers).

Each notebook is executed once per session (`executed`): a last cell, added by the test and not stored, reports
the notebook's variables as JSON, and the tests read the values and the text the notebook showed."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

pytestmark = pytest.mark.notebook

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MARK = "__NOTEBOOK_VALUES__"

# the added cell: every variable of the notebook that is a number, a string, or a (small) container of them —
# exact SymPy and Decimal numbers as their exact text, NumPy values as floats
REPORT = f"""
def __value(v, depth=0):
    import decimal, numbers
    if depth > 4:
        return None
    if isinstance(v, (bool, str)) or v is None:
        return v
    if type(v).__module__.startswith("sympy") and getattr(v, "is_number", False):
        return {{"exact": str(v), "float": float(v)}} if v.is_finite else None
    if isinstance(v, decimal.Decimal):
        return {{"exact": str(v), "float": float(v)}}
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        return float(v)
    if type(v).__module__ == "numpy" and isinstance(getattr(v, "size", None), int) and v.size <= 5000:
        return v.tolist()
    if isinstance(v, dict) and len(v) <= 5000:
        return {{str(getattr(k, "name", k)): __value(x, depth + 1) for k, x in v.items()}}
    if isinstance(v, (list, tuple)) and len(v) <= 5000:
        return [__value(x, depth + 1) for x in v]
    return None

def __safe(v):
    try:
        return __value(v)
    except Exception:
        return None

print({MARK!r} + __import__("json").dumps(
    {{k: __safe(v) for k, v in list(globals().items()) if not k.startswith("_")}}, default=lambda _: None))
"""


@dataclass(frozen=True)
class Executed:
    book: nbformat.NotebookNode  # with its outputs, without the added cell
    values: dict[str, Any]  # the notebook's variables after its last cell

    @property
    def outputs(self) -> list[dict[str, Any]]:
        return [o for cell in self.book.cells if cell.cell_type == "code" for o in cell.outputs]

    @property
    def text(self) -> str:
        """Everything the notebook showed as text: printed lines, Markdown, LaTeX, plain reprs."""
        parts = []
        for o in self.outputs:
            if o.get("output_type") == "stream":
                parts.append(o["text"])
            for kind in ("text/markdown", "text/latex", "text/plain", "text/html"):
                if kind in o.get("data", {}):
                    parts.append(o["data"][kind])
        return "\n".join(parts)

    @property
    def prose(self) -> str:
        """The notebook's Markdown cells: the claims it makes in words."""
        return "\n".join(cell.source for cell in self.book.cells if cell.cell_type == "markdown")

    def number(self, name: str, *keys: str | int) -> Any:
        """A variable (or an entry of one): exact numbers as Fraction, other numbers as they are."""
        v: Any = self.values[name]
        for k in keys:
            v = v[k]
        if isinstance(v, dict) and "exact" in v:
            return Fraction(v["exact"])
        return v


@functools.cache
def executed(stem: str) -> Executed:
    path = ROOT / "notebooks" / f"{stem}.ipynb"
    book = nbformat.read(path, as_version=4)
    book.cells.append(nbformat.v4.new_code_cell(REPORT))
    client = NotebookClient(book, timeout=600, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    report = book.cells.pop()
    line = next(line for o in report.outputs if o.get("output_type") == "stream"
                for line in o["text"].splitlines() if line.startswith(MARK))
    return Executed(book, json.loads(line[len(MARK):]))


def half_up(value: Fraction | Decimal, places: int) -> Decimal:
    """value rounded half up to `places` decimals, as the seeds round (written here, not the library's)."""
    d = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else value
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- every notebook -------------------------------------------------------------------------------


def test_notebooks_are_stored_without_outputs() -> None:
    assert len(NOTEBOOKS) >= 7
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        for cell in book.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path) -> None:
    run = executed(path.stem)
    shown = [o for o in run.outputs if o.get("output_type") in ("display_data", "execute_result")]
    assert shown, "a notebook shows its results"
    rendered = [o for o in shown if {"text/markdown", "text/latex", "image/png"} & set(o.get("data", {}))]
    assert rendered, "results render as math or plots, not only as text"
    errors = [o for o in run.outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert not errors, f"{path.stem} wrote to stderr: {errors[0]['text'][:500]}"


# --- seed 002: exact arithmetic and the seed's rounding --------------------------------------------

SEED002_W = {"w1": Fraction("0.11"), "w2": Fraction("0.21"), "w3": Fraction("0.12"), "w4": Fraction("0.08"),
             "w5": Fraction("0.14"), "w6": Fraction("0.15")}


def _seed002_step(w: dict[str, Fraction], places: int | None) -> tuple[dict[str, Fraction], Fraction]:
    """One gradient step of seed 002's linear 2-2-1 network (inputs 2, 3; target 1; η = 0.05; E = ½(out − 1)²)
    as a hand calculation: every intermediate rounded half up to `places` decimals (None: exact). Returns the
    new weights and the second prediction."""
    def r(v: Fraction) -> Fraction:
        return v if places is None else Fraction(half_up(v, places))

    i1, i2, eta = Fraction(2), Fraction(3), Fraction("0.05")
    h1, h2 = r(i1 * w["w1"] + i2 * w["w2"]), r(i1 * w["w3"] + i2 * w["w4"])
    out = r(h1 * w["w5"] + h2 * w["w6"])
    delta = r(out - 1)
    d1, d2 = r(delta * w["w5"]), r(delta * w["w6"])  # ∂E/∂h1, ∂E/∂h2
    grads = {"w1": d1 * i1, "w2": d1 * i2, "w3": d2 * i1, "w4": d2 * i2, "w5": delta * h1, "w6": delta * h2}
    new = {k: r(w[k] - eta * r(grads[k])) for k in w}
    h1, h2 = r(i1 * new["w1"] + i2 * new["w2"]), r(i1 * new["w3"] + i2 * new["w4"])
    return new, r(h1 * new["w5"] + h2 * new["w6"])


def test_seed002_claims() -> None:
    run = executed("seed002_linear")
    exact_new, exact_out = _seed002_step(SEED002_W, None)
    # the intro and the table: one exact step gives 0.2557 (four decimals), not the seed's 0.2571
    assert run.number("exact_out") == exact_out and half_up(exact_out, 4) == Decimal("0.2557")
    assert "**0.2557**" in run.prose and "**0.2571**" in run.prose and f"{float(exact_out):.8f}" in run.text
    # rounded=True at 2 and 4 decimals: the new weights as printed and the second prediction
    for places in (2, 4):
        new, out = _seed002_step(SEED002_W, places)
        printed = run.values["by_hand"][str(places)]
        assert {k.rstrip("⁺"): Decimal(v) for k, v in printed.items() if k != "out"} == \
            {k: half_up(v, places) for k, v in new.items()}
        assert Decimal(printed["out"]) == half_up(out, places)
    assert run.values["by_hand"]["2"]["out"] == "0.25" and run.values["by_hand"]["4"]["out"] == "0.2557"
    # the seed's mix: w1–w4 to 2 decimals, w5, w6 to 4 (its slides: 0.12 0.13 / 0.23 0.10 and 0.1744, 0.1694)
    seed_rounded = {k: half_up(v, 2 if k in ("w1", "w2", "w3", "w4") else 4) for k, v in exact_new.items()}
    assert seed_rounded == {
        "w1": Decimal("0.12"), "w2": Decimal("0.23"), "w3": Decimal("0.13"), "w4": Decimal("0.10"),
        "w5": Decimal("0.1744"), "w6": Decimal("0.1694")}
    seed_new = {k: Fraction(v) for k, v in seed_rounded.items()}
    assert "the seed's new weights: " + ", ".join(f"{k} = {v}" for k, v in seed_rounded.items()) in run.text
    h1, h2 = 2 * seed_new["w1"] + 3 * seed_new["w2"], 2 * seed_new["w3"] + 3 * seed_new["w4"]
    assert (h1, h2) == (Fraction("0.93"), Fraction("0.56"))  # the seed's [0.93 0.56]
    assert half_up(h1 * seed_new["w5"] + h2 * seed_new["w6"], 4) == Decimal("0.2571")  # the seed's prediction
    assert run.values["seed_out"] == "0.2571"
    assert "second prediction from the seed's weights: 0.2571 | exact: 0.2557" in run.text
