"""The answers file (TOML), a contract: an optional `spec`, an optional `[grading]` table, then `[[answer]]`
tables with `id`, `quantity`, optional `step`, optional `min_significant` and `latex`. Every problem names
the file, the key and what was expected.

`min_significant` (in `[grading]` for the whole file, or per answer) is the least number of significant
digits of the true value a written number must give (default 2): 0.03 for 0.0346 gives one."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SpecError

ANSWER_KEYS = {"id", "quantity", "step", "latex", "min_significant"}
GRADING_KEYS = {"min_significant"}
MAX_STEP = 50
MIN_SIGNIFICANT = 2  # default
MAX_SIGNIFICANT = 15


@dataclass(frozen=True)
class Answer:
    id: str
    quantity: str
    latex: str
    step: int = 0
    min_significant: int = MIN_SIGNIFICANT


@dataclass(frozen=True)
class Answers:
    source: str
    spec: Path | None
    answers: tuple[Answer, ...]


def load_answers(path: str | Path) -> Answers:
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError("no such file", source=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read the file ({exc})", source=str(p)) from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"not valid TOML: {exc}", source=str(p)) from None
    return parse_answers(data, str(p), p.parent)


def parse_answers(data: dict[str, Any], source: str, base: Path | None = None) -> Answers:
    unknown = sorted(set(data) - {"spec", "grading", "answer"})
    if unknown:
        raise SpecError(f"unknown key {unknown[0]!r}; expected spec, [grading] or [[answer]]", key=unknown[0],
                        source=source)
    grading = data.get("grading", {})
    if not isinstance(grading, dict):
        raise SpecError("expected a table", key="grading", source=source)
    extra = sorted(set(grading) - GRADING_KEYS)
    if extra:
        raise SpecError(f"unknown key {extra[0]!r}; expected min_significant", key=f"grading.{extra[0]}",
                        source=source)
    default_digits = _significant(grading.get("min_significant", MIN_SIGNIFICANT), "grading.min_significant",
                                  source)
    spec = data.get("spec")
    if spec is not None and not isinstance(spec, str):
        raise SpecError(f"expected the path of a network spec (a string), got {type(spec).__name__}", key="spec",
                        source=source)
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
            raise SpecError(f"unknown key {extra[0]!r}; expected one of id, quantity, step, min_significant, latex",
                            key=f"{key}.{extra[0]}", source=source)
        for field in ("id", "quantity", "latex"):
            if not isinstance(item.get(field), str) or not item[field].strip():
                raise SpecError("expected a non-empty string", key=f"{key}.{field}", source=source)
        step = item.get("step", 0)
        if not isinstance(step, int) or isinstance(step, bool) or not 0 <= step <= MAX_STEP:
            raise SpecError(f"expected an integer from 0 to {MAX_STEP}, got {step!r}", key=f"{key}.step",
                            source=source)
        if item["id"] in seen:
            raise SpecError(f"duplicate id {item['id']!r}", key=f"{key}.id", source=source)
        seen.add(item["id"])
        digits = _significant(item.get("min_significant", default_digits), f"{key}.min_significant", source)
        answers.append(Answer(item["id"], item["quantity"].strip(), item["latex"], step, digits))
    spec_path = None
    if spec is not None:
        spec_path = Path(spec) if base is None or Path(spec).is_absolute() else base / spec
    return Answers(source, spec_path, tuple(answers))


def _significant(value: Any, key: str, source: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SIGNIFICANT:
        raise SpecError(f"expected an integer from 0 to {MAX_SIGNIFICANT} (significant digits), got {value!r}",
                        key=key, source=source)
    return value
