"""A class checked against hostile and careless input (issue "Hostile and careless input"): a slow file is killed
at its deadline while the others are checked, a process that dies or fails is reported, Ctrl-C and the end leave
no process behind, the parallel jobs are capped, only regular files of a bounded size are read, a student's own
`spec` is never opened, answers are counted by their quantity (not their id), and the CSV holds no formulas.

Nothing here asserts a duration: the slow file is made slow (a check function that never returns) and the
mechanism is asserted (the verdicts, the messages, the processes left)."""

from __future__ import annotations

import csv
import io
import multiprocessing as mp
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from test_check import SEED000_ANSWERS, _answers_file

from conftest import SEED000
from symbackprop.check import batch
from symbackprop.check.answers import Answers
from symbackprop.check.batch import MAX_JOBS, StudentResult, check_directory, grade, summary, summary_csv
from symbackprop.errors import SpecError
from symbackprop.limits import MAX_FILE_BYTES
from symbackprop.network import Network


def _by_name(network: Network, answers: Answers, limit: float, lang: str) -> dict[str, Any]:
    """The checking of one file, made slow, fatal or broken by the file's name; each process leaves its pid."""
    path = Path(answers.source)
    path.with_suffix(".pid").write_text(str(os.getpid()), encoding="utf-8")
    if path.stem.startswith("slow"):
        while True:
            time.sleep(60)
    if path.stem.startswith("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    if path.stem.startswith("boom"):
        raise RuntimeError("boom")
    return grade(network, answers, limit, lang)


def _pids(directory: Path) -> list[int]:
    """The pids the processes left (a file still being written reads empty: not a pid yet)."""
    return [int(text) for p in directory.glob("*.pid") if (text := p.read_text(encoding="utf-8").strip()).isdigit()]


def _no_process_left(pids: list[int]) -> None:
    assert mp.active_children() == []
    for pid in pids:  # killed and reaped: not even a zombie is left
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_slow_files_are_killed_at_their_deadline_and_do_not_starve_the_others(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "START_UP", 1.0)
    _answers_file(tmp_path / "slow1.toml", None, SEED000_ANSWERS[:1])
    _answers_file(tmp_path / "slow2.toml", None, SEED000_ANSWERS[:2])
    _answers_file(tmp_path / "zoe.toml", None, SEED000_ANSWERS[:2])  # after both, with both workers taken
    results = check_directory(SEED000, tmp_path, workers=2, limit=1.5, check_file=_by_name)
    assert [Path(r.file).name for r in results] == ["slow1.toml", "slow2.toml", "zoe.toml"]
    slow1, slow2, zoe = results
    # the deadline: the limit times the file's answers, plus the start-up allowance
    assert slow1.result is None and slow1.error == (f"{tmp_path / 'slow1.toml'}: refused: checking took longer than "
                                                    "2.5 s (the time limit is 1.5 s per answer)")
    assert slow2.result is None and "longer than 4 s" in slow2.error
    assert zoe.error == "" and zoe.result is not None and zoe.result["summary"]["correct"] == 2
    assert len(_pids(tmp_path)) == 3
    _no_process_left(_pids(tmp_path))
    s = summary(results)
    assert [u["file"] for u in s["unreadable"]] == [slow1.file, slow2.file]
    assert {q["question"]: q["correct"] for q in s["questions"]} == {"w5": 1, "w6": 1}


def test_a_process_that_dies_or_fails_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    _answers_file(tmp_path / "boom.toml", None, SEED000_ANSWERS[:1])
    _answers_file(tmp_path / "crash.toml", None, SEED000_ANSWERS[:1])
    _answers_file(tmp_path / "good.toml", None, SEED000_ANSWERS[:1])
    boom, crash, good = check_directory(SEED000, tmp_path, workers=3, limit=5, check_file=_by_name)
    assert boom.result is None and boom.error == f"{tmp_path / 'boom.toml'}: cannot be checked (RuntimeError: boom)"
    assert crash.result is None and crash.error == (f"{tmp_path / 'crash.toml'}: cannot be checked (its process was "
                                                    "killed by SIGKILL (out of memory?))")
    assert good.result is not None and good.result["summary"]["all_correct"]
    _no_process_left(_pids(tmp_path))


def test_ctrl_c_kills_the_running_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("slow1", "slow2", "slow3"):
        _answers_file(tmp_path / f"{name}.toml", None, SEED000_ANSWERS[:1])

    def interrupted(objects: Any, timeout: float | None = None) -> list[Any]:
        for _ in range(400):  # both processes are checking (they left their pids): then Ctrl-C
            if len(_pids(tmp_path)) == 2:
                break
            time.sleep(0.05)
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "wait", interrupted)
    with pytest.raises(KeyboardInterrupt):
        check_directory(SEED000, tmp_path, workers=2, limit=100, check_file=_by_name)
    assert len(_pids(tmp_path)) == 2  # the third was never started
    _no_process_left(_pids(tmp_path))


class _Counting:
    """The multiprocessing context, counting the processes started and the most alive at once."""

    def __init__(self, real: Any) -> None:
        self.real, self.started, self.most = real, 0, 0

    def get_start_method(self) -> str:
        return str(self.real.get_start_method())

    def Pipe(self, duplex: bool) -> Any:
        return self.real.Pipe(duplex=duplex)

    def Process(self, **kwargs: Any) -> Any:
        self.started += 1
        self.most = max(self.most, len(mp.active_children()) + 1)
        return self.real.Process(**kwargs)


@pytest.mark.parametrize("jobs", [0, -1, MAX_JOBS + 1, 1000, 2.0, True])
def test_parallel_jobs_outside_1_to_max_jobs_are_refused(tmp_path: Path, jobs: Any) -> None:
    _answers_file(tmp_path / "a.toml", None, SEED000_ANSWERS[:1])
    with pytest.raises(SpecError) as exc:
        check_directory(SEED000, tmp_path, workers=jobs)
    assert exc.value.key == "--jobs" and exc.value.message == f"expected 1 to {MAX_JOBS} parallel jobs, got {jobs}"


def test_never_more_processes_than_files_or_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counting = _Counting(batch._context())
    monkeypatch.setattr(batch, "_context", lambda: counting)
    for k in range(3):
        _answers_file(tmp_path / f"s{k}.toml", None, SEED000_ANSWERS[:1])
    results = check_directory(SEED000, tmp_path, workers=MAX_JOBS, limit=5)
    assert all(r.result is not None for r in results)
    assert counting.started == 3 and counting.most <= 3
    for k in range(3, 6):
        _answers_file(tmp_path / f"s{k}.toml", None, SEED000_ANSWERS[:1])
    counting.started = counting.most = 0
    results = check_directory(SEED000, tmp_path, workers=2, limit=5)
    assert len(results) == 6 and all(r.result is not None for r in results)
    assert counting.started == 6 and counting.most <= 2
    _no_process_left([])


def test_only_regular_files_of_a_bounded_size_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _answers_file(tmp_path / "a_good.toml", None, SEED000_ANSWERS[:1])
    os.mkfifo(tmp_path / "fifo.toml")  # reading it would wait for a writer for ever
    (tmp_path / "folder.toml").mkdir()
    (tmp_path / "broken.toml").symlink_to(tmp_path / "nowhere")
    (tmp_path / "device.toml").symlink_to("/dev/zero")  # reading it would never end
    (tmp_path / "big.toml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    (tmp_path / "linked.toml").symlink_to(tmp_path / "a_good.toml")  # a link to a regular file is one
    opened: list[str] = []
    real_open = os.open

    def recording(path: Any, *args: Any, **kwargs: Any) -> int:
        opened.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(batch.os, "open", recording)
    results = {Path(r.file).name: r for r in check_directory(SEED000, tmp_path, workers=2, limit=5)}
    assert results["a_good.toml"].result is not None and results["linked.toml"].result is not None
    why = {"fifo.toml": "not a regular file (a pipe or a device); expected an answers TOML file",
           "device.toml": "not a regular file (a pipe or a device); expected an answers TOML file",
           "folder.toml": "is a directory; expected the path of an answers TOML file",
           "broken.toml": "a broken symbolic link; expected an answers TOML file"}
    for name, reason in why.items():
        assert results[name].result is None
        assert results[name].error == f"{tmp_path / name}: {reason}"
    assert results["big.toml"].error == (f"{tmp_path / 'big.toml'}: 1 000 001 bytes; answers TOML files are limited "
                                         "to 1 000 000 bytes")
    class_files = [Path(p).name for p in opened if Path(p).parent == tmp_path]  # (the lecturer's spec is read too)
    assert sorted(class_files) == ["a_good.toml", "linked.toml"]  # nothing else was opened
    s = summary(list(results.values()))
    assert s["students"] == 7 and len(s["unreadable"]) == 5


def test_too_many_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "MAX_CLASS_FILES", 3)
    for k in range(4):
        (tmp_path / f"s{k}.toml").write_text("", encoding="utf-8")
    with pytest.raises(SpecError, match="more than 3 answers files"):
        check_directory(SEED000, tmp_path)


def test_a_students_own_spec_is_never_opened_and_is_noted(tmp_path: Path) -> None:
    trap = tmp_path / "trap.toml"
    os.mkfifo(trap)  # opening it to read would wait for ever: the file's process would be killed, refused
    klass = tmp_path / "class"
    klass.mkdir()
    _answers_file(klass / "a.toml", trap, SEED000_ANSWERS[:1])
    _answers_file(klass / "b.toml", Path("../../../../etc/passwd"), SEED000_ANSWERS[:1])
    _answers_file(klass / "c.toml", None, SEED000_ANSWERS[:1])
    a, b, c = check_directory(SEED000, klass, workers=3, limit=5)
    assert a.result is not None and a.result["summary"]["all_correct"]
    assert a.note == f"the file's spec = '{trap}' is ignored; checked against {SEED000}"
    assert b.result is not None and b.result["summary"]["all_correct"]
    assert b.note == f"the file's spec = '../../../../etc/passwd' is ignored; checked against {SEED000}"
    assert c.note == ""
    s = summary([a, b, c])
    assert [r.get("note") for r in s["results"]] == [a.note, b.note, None]


def test_answers_are_counted_by_their_quantity_and_a_mismatched_id_is_named(tmp_path: Path) -> None:
    w5, w6 = SEED000_ANSWERS[0], SEED000_ANSWERS[1]
    _answers_file(tmp_path / "alice.toml", None, [w5, w6])
    _answers_file(tmp_path / "bob.toml", None, [w5, w6])
    _answers_file(tmp_path / "carol.toml", None, [("w5", "dE/dw6", w6[2])])  # dE/dw6, right, filed as w5
    s = summary(check_directory(SEED000, tmp_path, workers=2, limit=5))
    by_q = {q["question"]: q for q in s["questions"]}
    assert by_q["w5"]["quantity"] == "dE/dw5" and by_q["w5"]["students"] == 2 and by_q["w5"]["correct"] == 2
    assert by_q["w6"]["quantity"] == "dE/dw6" and by_q["w6"]["students"] == 3 and by_q["w6"]["correct"] == 3
    [m] = s["mismatched"]
    assert {k: m[k] for k in ("file", "id", "quantity", "expected_quantity")} == {
        "file": str(tmp_path / "carol.toml"), "id": "w5", "quantity": "dE/dw6", "expected_quantity": "dE/dw5"}
    assert "id 'w5' and quantity disagree" in m["message"] and "counted under question 'w6'" in m["message"]


def _student(file: str, *answers: tuple[str, str, str]) -> StudentResult:
    return StudentResult(file, {"source": file, "answers": [
        {"id": i, "quantity": q, "verdict": v, "diagnosis": []} for i, q, v in answers]})


def test_questions_have_unique_names_when_ids_are_disputed() -> None:
    # q1 means dE/dw5 for two students and dE/dw6 for two: no majority, nothing mismatched, two questions
    s = summary([_student("a", ("q1", "dE/dw5", "correct")), _student("b", ("q1", "dE/dw5", "incorrect")),
                 _student("c", ("q1", "dE/dw6", "correct")), _student("d", ("q1", "dE/dw6", "correct")),
                 _student("e", ("x", "w1+", "correct"))])
    assert s["mismatched"] == []
    names = [q["question"] for q in s["questions"]]
    assert len(set(names)) == len(names) == 3 and names[0] == "q1" and names[2] == "x"
    # the only answer for w1+ is filed under w5, which means dE/dw5: the question is named by its quantity
    s = summary([_student("a", ("w5", "dE/dw5", "correct")), _student("b", ("w5", "dE/dw5", "correct")),
                 _student("c", ("w5", "w1+", "correct"))])
    assert [(q["question"], q["quantity"], q["students"]) for q in s["questions"]] == [
        ("w5", "dE/dw5", 2), ("w1+", "w1+", 1)]
    assert [(m["file"], m["expected_quantity"]) for m in s["mismatched"]] == [("c", "dE/dw5")]


def test_csv_cells_are_never_formulas_nor_control_characters() -> None:
    ids = ['=HYPERLINK("http://evil.example","x")', "+1", "-2", "@SUM(A1)", "\t=1", "\rcmd", "a\x00b\x1b[31m\x9cc\x7f",
           "plain"]
    s = summary([_student(f"s{k}", (aid, f"dE/dw{k + 1}", "correct")) for k, aid in enumerate(ids)])
    text = summary_csv(s)
    rows = list(csv.reader(io.StringIO(text)))
    cells = [r[0] for r in rows[1:]]
    assert cells == ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1", "'-2", "'@SUM(A1)", "'=1", "'cmd",
                     "ab[31mc", "plain"]
    assert not any(c in text.replace("\r\n", "") for c in "\x00\x1b\x7f\x9c\t\r")
    assert rows[0][0] == "question"
