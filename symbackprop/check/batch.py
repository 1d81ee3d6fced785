"""A whole class: one answers file per student in a directory, judged in parallel, summarised per question.

Each file is checked in a process of its own (forked from this one, which has loaded the network once), at most
`workers` at a time; the process sends the file's result (result_json) back over a pipe and exits, so memory is
given back after every file. Besides the per-answer time limit inside it, every process has a hard deadline: the
limit times the file's answers plus a start-up allowance; a process past it is killed and the file reported as
refused, while the others go on. A file that is not a regular file, is too large, cannot be read, or whose
process fails or dies, is reported with the reason, and the batch goes on. No process outlives check_directory.

The summary groups answers by the quantity they answer (not by their id): an id most students use for one
quantity, given by a student to another, is listed as mismatched and counted under the quantity the student
gave.
"""

from __future__ import annotations

import csv
import io
import math
import multiprocessing as mp
import os
import re
import signal
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ..circuit import Circuit, load_model
from ..errors import SpecError
from ..files import decode_text, parse_toml, read_bytes
from ..limits import MAX_CLASS_FILES, MAX_JOBS
from ..network import Network
from .answers import Answer, Answers, parse_answers
from .circuit_check import check_model
from .report import result_json
from .run import TIME_LIMIT, check_answers

START_UP = 5.0  # seconds a file's process may take besides the time limit of its answers (fork, reading, truths)
START_UP_SPAWNED = 20.0  # the same where processes cannot be forked (a new interpreter imports and loads the spec)
MAX_TIMED_ANSWERS = 100  # a file's deadline counts at most this many answers
_WAIT = 60.0  # seconds at most between two looks at the running processes

VERDICTS = ("correct", "incorrect", "unparseable", "refused")

CheckFile = Callable[[Network | Circuit, Answers, float, str], dict[str, Any]]


@dataclass(frozen=True)
class StudentResult:
    file: str
    result: dict[str, Any] | None  # result_json of the file
    error: str = ""  # why the file could not be checked
    note: str = ""  # something the lecturer should know about a checked file (its spec key is ignored)


def grade(network: Network | Circuit, answers: Answers, limit: float, lang: str) -> dict[str, Any]:
    """One student's file as result_json, each answer with its step (the summary tells steps apart)."""
    result = result_json(check_model(network, answers, limit, lang))
    for a, given in zip(result["answers"], answers.answers, strict=False):
        a["step"] = given.step
    return result


def check_directory(spec: str | Path, directory: str | Path, workers: int = 2, limit: float = TIME_LIMIT,
                    lang: str = "en", *, check_file: CheckFile | None = None) -> list[StudentResult]:
    """Every *.toml in `directory` against the lecturer's `spec` (a student's own `spec = ...` is ignored), in
    sorted order. `check_file` replaces the checking of one parsed file (tests make it slow or make it fail)."""
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_JOBS:
        raise SpecError(f"expected 1 to {MAX_JOBS} parallel jobs, got {workers}", key="--jobs")
    if isinstance(limit, bool) or not isinstance(limit, int | float) or not 0 < limit < math.inf:
        raise SpecError(f"expected a positive number of seconds, got {limit}", key="--time-limit")
    files = _answers_files(directory)
    network = load_model(spec)  # an unusable spec is the caller's error, reported once
    if check_file is None and isinstance(network, Network):
        _warm_up(network, float(limit), lang)
    return _Batch(str(spec), network, min(workers, len(files)), float(limit), lang, check_file or grade).run(files)


def _warm_up(network: Network, limit: float, lang: str) -> None:
    """Check an answer of our own once here, so that every file's process starts with the parser built and
    SymPy's caches filled (a tenth of the time of a short file)."""
    if not network.params:
        return
    name = network.params[0].name
    try:
        check_answers(network, Answers("warm-up", None, (Answer("w", f"dE/d{name}", rf"\frac{{\partial E}}"
                                                                rf"{{\partial {name}}} = 0.1 \times (1 - 0.5)"),)),
                      limit, lang)
    except Exception:  # a network where this answer is not ours to check: the files still are
        pass


def _answers_files(directory: str | Path) -> list[str]:
    names = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.endswith(".toml"):
                    names.append(entry.name)
                    if len(names) > MAX_CLASS_FILES:
                        raise SpecError(f"more than {MAX_CLASS_FILES} answers files (*.toml) in the directory; at most "
                                        f"{MAX_CLASS_FILES} are checked at once", source=str(directory))
    except OSError as exc:
        raise SpecError(f"cannot read the directory ({exc.strerror or exc})", source=str(directory)) from None
    if not names:
        raise SpecError("no answers files (*.toml) in the directory", source=str(directory))
    return sorted(str(Path(directory) / name) for name in names)


# -- one file ------------------------------------------------------------------------------------------------

_ANSWER_TABLE = re.compile(rb"""^[ \t]*\[\[[ \t]*(?:answer|"answer"|'answer')[ \t]*\]\]""", re.MULTILINE)
_LATEX_KEY = re.compile(rb"""(?:^|[{,])[ \t]*(?:latex|"latex"|'latex')[ \t]*=""", re.MULTILINE)


def _read(path: str) -> bytes | str:
    """The bytes of a regular answers file within the size limit, or why it is not checked (files.read_bytes:
    nothing but a regular file is opened, a large one is not read)."""
    try:
        return read_bytes(path, "an answers TOML file")
    except SpecError as exc:
        return str(exc)


def _answers_in(data: bytes) -> int:
    """How many answers the file has, counted cheaply (its [[answer]] headers or latex keys), 1 to
    MAX_TIMED_ANSWERS: what the file's deadline counts."""
    tables = sum(1 for _ in _ANSWER_TABLE.finditer(data))
    latex = sum(1 for _ in _LATEX_KEY.finditer(data))
    return min(max(1, tables, latex), MAX_TIMED_ANSWERS)


def _parse(path: str, data: bytes) -> tuple[Answers, object]:
    """The answers of the file's bytes, as load_answers reads a file, and its raw `spec` value (never opened)."""
    doc = parse_toml(decode_text(data, path), path)
    return parse_answers(doc, path, Path(path).parent, own_spec=False), doc.get("spec")


def _short(text: str, n: int = 200) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _outcome(spec: str, network: Network | Circuit, path: str, data: bytes, limit: float, lang: str,
             check_file: CheckFile) -> dict[str, Any]:
    """What a file's process sends back: {"result": result_json or None, "error": str, "note": str}."""
    note = ""
    try:
        answers, own_spec = _parse(path, data)
        if own_spec is not None:
            note = f"the file's spec = {_short(str(own_spec))!r} is ignored; checked against {spec}"
        return {"result": check_file(network, answers, limit, lang), "error": "", "note": note}
    except SpecError as exc:
        return {"result": None, "error": _short(str(exc), 2000), "note": note}
    except Exception as exc:  # one broken file must never stop the batch
        return {"result": None, "error": _short(f"{path}: cannot be checked ({type(exc).__name__}: {exc})", 2000),
                "note": note}


def _child(conn: Connection, spec: str, network: Network | Circuit | None, path: str, data: bytes, limit: float,
           lang: str, check_file: CheckFile) -> None:
    """The body of a file's process: check, send the outcome, exit. Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        try:
            if network is None:  # not forked: the spec is loaded here
                network = load_model(spec)
            outcome = _outcome(spec, network, path, data, limit, lang, check_file)
        except BaseException as exc:
            outcome = {"result": None, "error": f"{path}: cannot be checked ({type(exc).__name__}: {exc})",
                       "note": ""}
        try:
            conn.send(outcome)
        except Exception as exc:  # a result that cannot be sent
            conn.send({"result": None, "error": f"{path}: cannot be checked (sending the result failed: "
                                                f"{type(exc).__name__}: {exc})", "note": ""})
    finally:
        conn.close()


# -- the scheduler -------------------------------------------------------------------------------------------

@dataclass
class _Job:
    file: str
    process: Any  # a multiprocessing process of the context; None once reaped and closed
    conn: Connection | None  # the pipe's reading end until the outcome (or its end) arrived
    deadline: float  # seconds the file may take
    ends: float  # time.monotonic() when they are over
    outcome: StudentResult | None = None


class _Batch:
    def __init__(self, spec: str, network: Network | Circuit, workers: int, limit: float, lang: str,
                 check_file: CheckFile) -> None:
        self.spec, self.network, self.workers, self.limit, self.lang = spec, network, workers, limit, lang
        self.check_file = check_file
        self.ctx = _context()
        self.forked = self.ctx.get_start_method() == "fork"
        self.tag = f"symbackprop-check-{os.getpid()}-{id(self)}:"  # the names of this batch's processes

    def run(self, files: list[str]) -> list[StudentResult]:
        results: dict[str, StudentResult] = {}
        todo = deque(files)
        running: list[_Job] = []
        try:
            while todo or running:
                while todo and len(running) < self.workers:
                    started = self._start(todo.popleft())
                    if isinstance(started, StudentResult):
                        results[started.file] = started
                    else:
                        running.append(started)
                if not running:
                    continue
                waiting: list[Any] = [job.process.sentinel for job in running]
                waiting += [job.conn for job in running if job.conn is not None]
                wait(waiting, min(_WAIT, max(0.0, min(job.ends for job in running) - time.monotonic())))
                for job in list(running):
                    done = self._look(job)
                    if done is not None:
                        running.remove(job)
                        results[done.file] = done
        finally:  # whatever happened (Ctrl-C too): no process is left behind
            for job in running:
                _end(job, kill=True)
            for process in mp.active_children():  # one started the moment Ctrl-C came
                if process.name.startswith(self.tag):
                    process.kill()
                    process.join()
        return [results[f] for f in files]

    def _start(self, path: str) -> _Job | StudentResult:
        data = _read(path)
        if isinstance(data, str):
            return StudentResult(path, None, data)
        deadline = self.limit * _answers_in(data) + (START_UP if self.forked else START_UP_SPAWNED)
        reader, writer = self.ctx.Pipe(duplex=False)
        process = self.ctx.Process(target=_child, daemon=True, name=f"{self.tag} {Path(path).name}",
                                   args=(writer, self.spec, self.network if self.forked else None, path, data,
                                         self.limit, self.lang, self.check_file))
        try:
            process.start()
        except Exception as exc:  # no process to be had (fork: out of memory, too many processes)
            reader.close()
            return StudentResult(path, None, f"{path}: cannot be checked (no process to check it in: "
                                             f"{type(exc).__name__}: {exc})")
        finally:
            writer.close()  # the child holds the writing end: its exit is the pipe's end
        return _Job(path, process, reader, deadline, time.monotonic() + deadline)

    def _look(self, job: _Job) -> StudentResult | None:
        """The file's result once its process ended (or was killed at the deadline), else None."""
        code = job.process.exitcode  # reaps the process when it ended
        if job.conn is not None and (code is not None or job.conn.poll()):
            job.outcome = _receive(job)
        if code is not None:
            _end(job, kill=False)
            return job.outcome or StudentResult(job.file, None, f"{job.file}: cannot be checked ({_death(code)})")
        if time.monotonic() >= job.ends:
            _end(job, kill=True)
            return job.outcome or StudentResult(
                job.file, None, f"{job.file}: refused: checking took longer than {job.deadline:g} s "
                                f"(the time limit is {self.limit:g} s per answer)")
        return None


def _context() -> Any:
    return mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()


def _receive(job: _Job) -> StudentResult | None:
    """The outcome a file's process sent, or None when it ended without sending one; the pipe is closed."""
    assert job.conn is not None
    try:
        sent = job.conn.recv()
    except (EOFError, OSError):
        return None
    finally:
        job.conn.close()
        job.conn = None
    return StudentResult(job.file, sent["result"], sent["error"], sent["note"])


def _end(job: _Job, kill: bool) -> None:
    """The process of a job killed (if asked) and reaped, its pipe closed."""
    if job.process is None:
        return
    if kill and job.process.exitcode is None:
        job.process.kill()
    job.process.join()
    if job.conn is not None:
        job.conn.close()
        job.conn = None
    job.process.close()
    job.process = None


def _death(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        why = " (out of memory?)" if -code == getattr(signal, "SIGKILL", 9) else ""
        return f"its process was killed by {name}{why}"
    if code > 0:
        return f"its process exited with status {code}"
    return "its process ended without a result"


# -- the class's summary -------------------------------------------------------------------------------------

def _quantity(a: dict[str, Any]) -> tuple[str, int]:
    """What an answer answers: its quantity as written (without spaces) and its step."""
    step = a.get("step", 0)
    return "".join(str(a.get("quantity", "")).split()), step if isinstance(step, int) else 0


def _named(q: tuple[str, int]) -> str:
    return q[0] if q[1] == 0 else f"{q[0]} (step {q[1]})"


def _majority(counts: Counter[tuple[str, int]]) -> tuple[str, int] | None:
    """The quantity more than half of the students who use an id use it for, if any."""
    q, n = counts.most_common(1)[0]
    return q if 2 * n > sum(counts.values()) else None


def summary(results: list[StudentResult]) -> dict[str, Any]:
    """Per quantity: how many students, verdicts, and the diagnoses found; which answers' ids disagree with
    their quantities ("mismatched")."""
    answers = [(r.file, a) for r in results for a in (r.result or {}).get("answers", [])]
    by_id: dict[str, Counter[tuple[str, int]]] = {}
    for _, a in answers:
        by_id.setdefault(str(a.get("id", "")), Counter())[_quantity(a)] += 1
    meaning = {aid: _majority(counts) for aid, counts in by_id.items()}

    groups: dict[tuple[str, int], list[tuple[str, dict[str, Any]]]] = {}
    for file, a in answers:
        groups.setdefault(_quantity(a), []).append((file, a))
    labels = _labels(groups, meaning)
    mismatched = []
    for file, a in answers:
        aid, q = str(a.get("id", "")), _quantity(a)
        expected = meaning[aid]
        if expected is not None and expected != q:
            mismatched.append({"file": file, "id": aid, "quantity": q[0], "expected_quantity": expected[0],
                               "step": q[1], "expected_step": expected[1],
                               "message": f"{file}: the student's id {aid!r} and quantity disagree: the answer is "
                                          f"for {_named(q)}, but most students give {aid!r} to "
                                          f"{_named(expected)}; it is counted under question {labels[q]!r} "
                                          f"({_named(q)}), not {aid!r}"})
    questions = []
    for q, members in groups.items():
        entry: dict[str, Any] = {"question": labels[q], "quantity": q[0], "students": len(members),
                                 **dict.fromkeys(VERDICTS, 0), "diagnoses": {}, "step": q[1]}
        diagnoses: Counter[str] = Counter()
        for _, a in members:
            if a.get("verdict") in VERDICTS:
                entry[a["verdict"]] += 1
            diagnoses.update(d["kind"] for d in a.get("diagnosis", []))
        entry["diagnoses"] = dict(diagnoses.most_common())
        questions.append(entry)
    return {
        "students": len(results),
        "unreadable": [{"file": r.file, "error": r.error} for r in results if r.result is None],
        "questions": questions,
        "mismatched": mismatched,
        "results": [{"file": r.file, **(r.result or {"error": r.error}), **({"note": r.note} if r.note else {})}
                    for r in results],
    }


def _labels(groups: dict[tuple[str, int], list[tuple[str, dict[str, Any]]]],
            meaning: dict[str, tuple[str, int] | None]) -> dict[tuple[str, int], str]:
    """Each quantity's name in the summary: the id most students use for it (of the ids that mean it), unique.
    A quantity whose every answer is filed under another quantity's id is named by itself."""
    labels: dict[tuple[str, int], str] = {}
    taken: set[str] = set()
    for q in sorted(groups, key=lambda q: -len(groups[q])):  # the larger group keeps a disputed id
        ids = [str(a.get("id", "")) for _, a in groups[q]]
        own = Counter(i for i in ids if meaning[i] in (None, q)).most_common()
        candidates = [i for i, _ in own] if own else [_named(q)]
        candidates += [_named(q), f"{candidates[0]} ({_named(q)})"]
        label, k = next((c for c in candidates if c not in taken), None), 2
        while label is None:
            label = f"{candidates[0]} ({_named(q)}, {k})"
            label, k = (None if label in taken else label), k + 1
        labels[q] = label
        taken.add(label)
    return labels


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: control characters removed, and a leading = + - @ (or tab, CR)
    that would start a formula neutralised by a single quote."""
    text = str(value)
    clean = _CONTROL.sub("", text)
    if clean.startswith(("=", "+", "-", "@")) or text.startswith(("\t", "\r")):
        clean = "'" + clean
    return clean


def summary_csv(s: dict[str, Any]) -> str:
    out = io.StringIO()
    w = csv.writer(out)

    def row(cells: Iterable[Any]) -> None:
        w.writerow([_cell(c) for c in cells])

    row(["question", "quantity", "students", "correct", "incorrect", "unparseable", "refused", "diagnoses"])
    for q in s["questions"]:
        row([q["question"], q["quantity"], q["students"], q["correct"], q["incorrect"], q["unparseable"],
             q["refused"], "; ".join(f"{k}: {n}" for k, n in q["diagnoses"].items())])
    return out.getvalue()
