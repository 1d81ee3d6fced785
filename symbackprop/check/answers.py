"""The answers file (TOML), a contract: an optional `spec`, an optional `[grading]` table, then `[[answer]]`
tables with `id`, `quantity`, optional `step`, optional `min_significant`, optional `require_value` and `latex`.
Every problem names the file, the key and what was expected.

`min_significant` (in `[grading]` for the whole file, or per answer) is the least number of significant
digits of the true value a written number must give (default 2): 0.03 for 0.0346 gives one. `require_value`
(the same; default false): on a network with numbers, a formula for the asked quantity is not an answer until a
line gives its number (the lecture asks for the value; a derivation alone is incomplete)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SpecError
from ..files import load_toml, one_line, printable
from ..limits import MAX_ANSWER_STEP

ANSWER_KEYS = {"id", "quantity", "step", "latex", "min_significant", "require_value"}
GRADING_KEYS = {"min_significant", "require_value"}
MIN_SIGNIFICANT = 2  # default
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # line breaks and tabs are LaTeX's
MAX_SIGNIFICANT = 15


@dataclass(frozen=True)
class Answer:
    id: str
    quantity: str
    latex: str
    step: int = 0
    min_significant: int = MIN_SIGNIFICANT
    require_value: bool = False


@dataclass(frozen=True)
class Answers:
    source: str
    spec: Path | None
    answers: tuple[Answer, ...]
    ignored_spec: str | None = None  # the file's own `spec`, set aside because the lecturer gave the spec


def load_answers(path: str | Path, *, own_spec: bool = True) -> Answers:
    """`own_spec=False`: the lecturer gives the spec, and the file's `spec` key is neither checked nor opened."""
    source = printable(str(path))
    return parse_answers(load_toml(path, "an answers TOML file"), source, Path(path).parent, own_spec=own_spec)


def parse_answers(data: dict[str, Any], source: str, base: Path | None = None, *, own_spec: bool = True) -> Answers:
    unknown = sorted(set(data) - {"spec", "grading", "answer"})
    if unknown:
        raise SpecError(f"unknown key {unknown[0]!r}; expected spec, [grading] or [[answer]]", key=unknown[0],
                        source=source)
    grading = data.get("grading", {})
    if not isinstance(grading, dict):
        raise SpecError("expected a table", key="grading", source=source)
    extra = sorted(set(grading) - GRADING_KEYS)
    if extra:
        raise SpecError(f"unknown key {extra[0]!r}; expected min_significant or require_value",
                        key=f"grading.{extra[0]}", source=source)
    default_digits = _significant(grading.get("min_significant", MIN_SIGNIFICANT), "grading.min_significant",
                                  source)
    default_value = _flag(grading.get("require_value", False), "grading.require_value", source)
    spec = data.get("spec")
    ignored = None
    if not own_spec and spec is not None:
        ignored, spec = printable(str(spec))[:200], None
    if spec is not None and (not isinstance(spec, str) or not spec.endswith(".toml") or "\0" in spec):
        raise SpecError(f"expected the path of a network spec (a string ending in .toml), got "
                        f"{printable(repr(spec)[:80])}", key="spec", source=source)
    items = data.get("answer")
    if not isinstance(items, list) or not items:
        raise SpecError("expected at least one [[answer]] table", key="answer", source=source)
    answers, seen = [], set()
    for k, item in enumerate(items):
        key = f"answer[{k}]"
        if not isinstance(item, dict):
            raise SpecError("expected a table", key=key, source=source)
        extra = sorted(set(item) - ANSWER_KEYS)
        if extra:
            raise SpecError(f"unknown key {extra[0]!r}; expected one of id, quantity, step, min_significant, "
                            "require_value, latex", key=f"{key}.{extra[0]}", source=source)
        for field in ("id", "quantity", "latex"):
            if not isinstance(item.get(field), str) or not item[field].strip():
                raise SpecError("expected a non-empty string", key=f"{key}.{field}", source=source)
            text = item[field]
            if field != "latex":
                one_line(text, f"{key}.{field}", source)
            elif bad := _CONTROL.search(text):
                raise SpecError(f"the control character U+{ord(bad.group()):04X} at position {bad.start() + 1}; "
                                "expected LaTeX text", key=f"{key}.latex", source=source)
        step = item.get("step", 0)
        if not isinstance(step, int) or isinstance(step, bool) or not 0 <= step <= MAX_ANSWER_STEP:
            raise SpecError(f"expected an integer from 0 to {MAX_ANSWER_STEP}, got {step!r}", key=f"{key}.step",
                            source=source)
        if item["id"] in seen:
            raise SpecError(f"duplicate id {item['id']!r}", key=f"{key}.id", source=source)
        seen.add(item["id"])
        digits = _significant(item.get("min_significant", default_digits), f"{key}.min_significant", source)
        value = _flag(item.get("require_value", default_value), f"{key}.require_value", source)
        answers.append(Answer(item["id"], item["quantity"].strip(), item["latex"], step, digits, value))
    spec_path = None
    if spec is not None:
        spec_path = Path(spec) if base is None or Path(spec).is_absolute() else base / spec
    return Answers(source, spec_path, tuple(answers), ignored)


def _significant(value: Any, key: str, source: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SIGNIFICANT:
        raise SpecError(f"expected an integer from 0 to {MAX_SIGNIFICANT} (significant digits), got {value!r}",
                        key=key, source=source)
    return value


def _flag(value: Any, key: str, source: str) -> bool:
    if not isinstance(value, bool):
        raise SpecError(f"expected true or false, got {printable(repr(value)[:80])}", key=key, source=source)
    return value
