"""A whole class: one answers file per student in a directory, judged in parallel, summarised per question.

Each file runs in a worker process with the per-answer time limit, and the file as a whole has a limit
too; a file that cannot be read, or that the limits stop, is reported and the batch goes on.
"""

from __future__ import annotations

import csv
import io
import multiprocessing as mp
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SpecError
from ..network import Network
from .answers import load_answers
from .report import result_json
from .run import TIME_LIMIT, check_answers

_NETWORKS: dict[str, Network] = {}


@dataclass(frozen=True)
class StudentResult:
    file: str
    result: dict[str, Any] | None  # result_json of the file
    error: str = ""  # why the file could not be checked


def _check_file(spec: str, path: str, limit: float, lang: str = "en") -> StudentResult:
    try:
        if spec not in _NETWORKS:
            _NETWORKS[spec] = Network.load(spec)
        answers = load_answers(path)
        return StudentResult(path, result_json(check_answers(_NETWORKS[spec], answers, limit, lang)))
    except SpecError as exc:
        return StudentResult(path, None, str(exc))
    except Exception as exc:  # one broken file must never stop the batch
        return StudentResult(path, None, f"{path}: cannot be checked ({type(exc).__name__}: {exc})")


def check_directory(spec: str | Path, directory: str | Path, workers: int = 2,
                    limit: float = TIME_LIMIT, lang: str = "en") -> list[StudentResult]:
    files = sorted(str(p) for p in Path(directory).glob("*.toml"))
    if not files:
        raise SpecError("no answers files (*.toml) in the directory", source=str(directory))
    Network.load(spec)  # an unusable spec is the caller's error, reported once
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    results: dict[str, StudentResult] = {}
    with ctx.Pool(max(1, workers)) as pool:
        pending = {f: pool.apply_async(_check_file, (str(spec), f, limit, lang)) for f in files}
        for f, job in pending.items():
            try:
                results[f] = job.get(timeout=limit * 50 + 60)
            except mp.TimeoutError:
                results[f] = StudentResult(f, None, f"{f}: refused: checking took too long")
        pool.terminate()
    return [results[f] for f in files]


def summary(results: list[StudentResult]) -> dict[str, Any]:
    """Per question: how many students, verdicts, and the diagnoses found."""
    questions: dict[str, dict[str, Any]] = {}
    diagnoses: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        for a in (r.result or {}).get("answers", []):
            q = questions.setdefault(a["id"], {"question": a["id"], "quantity": a["quantity"], "students": 0,
                                               "correct": 0, "incorrect": 0, "unparseable": 0, "refused": 0})
            q["students"] += 1
            q[a["verdict"]] += 1
            for d in a["diagnosis"]:
                diagnoses[a["id"]][d["kind"]] += 1
    for qid, q in questions.items():
        q["diagnoses"] = dict(diagnoses[qid].most_common())
    return {
        "students": len(results),
        "unreadable": [{"file": r.file, "error": r.error} for r in results if r.result is None],
        "questions": list(questions.values()),
        "results": [{"file": r.file, **(r.result or {"error": r.error})} for r in results],
    }


def summary_csv(s: dict[str, Any]) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["question", "quantity", "students", "correct", "incorrect", "unparseable", "refused", "diagnoses"])
    for q in s["questions"]:
        w.writerow([q["question"], q["quantity"], q["students"], q["correct"], q["incorrect"], q["unparseable"],
                    q["refused"], "; ".join(f"{k}: {n}" for k, n in q["diagnoses"].items())])
    return out.getvalue()
