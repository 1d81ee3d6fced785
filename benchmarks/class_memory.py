"""The memory of checking a whole class: the peak resident memory of the whole process tree of `check_directory`
(the batch's process and every file's process) on a class of copies of one realistic answers sheet.

The sheet is a student's sheet of the labelled corpus (tests/corpus/, by default tune11's seed-000 sheet written
in one \\begin{align} per answer, with a second pass after the update), turned into an answers file (id, quantity,
step, latex); the class is `--students` copies of it. The batch runs in a child interpreter; this process samples
that child's tree in /proc every few milliseconds and prints the peak of the summed resident set (RSS: pages
shared between a forked process and its parent count once per process, an upper bound) and of the summed
proportional set (PSS: shared pages divided among their sharers), the most processes alive at once, the time
and the verdicts. Linux only (/proc).

    python benchmarks/class_memory.py [--students 300] [--jobs 2] [--sheet tests/corpus/…/sheet.toml]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHEET = ROOT / "tests" / "corpus" / "tune11" / "seed000_align_nonumber.toml"
SAMPLE_EVERY = 0.01  # seconds


def answers_file(sheet: Path) -> tuple[str, Path]:
    """The corpus sheet as an answers file (its text) and the spec it is written for."""
    data = tomllib.loads(sheet.read_text(encoding="utf-8"))
    lines = []
    for case in data["case"]:
        lines += ["[[answer]]", f"id = {json.dumps(case['id'])}", f"quantity = {json.dumps(case['quantity'])}",
                  f"step = {case.get('step', 0)}", f"latex = {json.dumps(case['latex'], ensure_ascii=False)}", ""]
    return "\n".join(lines), ROOT / "examples" / data["spec"]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def _tree(root: int) -> list[int]:
    children, out, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _kib(path: str, field: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:  # the process ended meanwhile
        pass
    return 0


def measure(students: int, jobs: int, sheet: Path) -> dict[str, object]:
    text, spec = answers_file(sheet)
    with tempfile.TemporaryDirectory() as tmp:
        klass = Path(tmp)
        for k in range(students):
            (klass / f"student{k:04d}.toml").write_text(text, encoding="utf-8")
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, __file__, "--run", str(spec), str(klass), str(jobs)],
                                 stdout=subprocess.PIPE, text=True, cwd=ROOT)
        peak_rss = peak_pss = most = 0
        while child.poll() is None:
            pids = _tree(child.pid)
            peak_rss = max(peak_rss, sum(_kib(f"/proc/{p}/status", "VmRSS:") for p in pids))
            peak_pss = max(peak_pss, sum(_kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids))
            most = max(most, len(pids))
            time.sleep(SAMPLE_EVERY)
        out, _ = child.communicate()
        seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"the batch failed (exit {child.returncode})")
    return {"students": students, "answers_per_file": text.count("[[answer]]"), "jobs": jobs,
            "peak_rss_mb": peak_rss / 1024, "peak_pss_mb": peak_pss / 1024, "processes_at_once": most,
            "seconds": seconds, **json.loads(out)}


def run(spec: str, klass: str, jobs: int) -> None:
    """The child: the batch, then its verdicts as JSON on stdout."""
    sys.path.insert(0, str(ROOT))
    from symbackprop.check.batch import check_directory, summary

    s = summary(check_directory(spec, klass, jobs))
    verdicts = Counter({k: sum(q[k] for q in s["questions"])
                        for k in ("correct", "incorrect", "unparseable", "refused")})
    print(json.dumps({"unreadable": len(s["unreadable"]), "verdicts": dict(verdicts)}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sheet", type=Path, default=SHEET, help="a sheet of the corpus (tests/corpus/…)")
    parser.add_argument("--run", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        run(args.run[0], args.run[1], int(args.run[2]))
        return 0
    m = measure(args.students, args.jobs, args.sheet)
    print(f"{m['students']} files of {m['answers_per_file']} answers ({args.sheet.name}), {m['jobs']} jobs: "
          f"peak RSS of the process tree {m['peak_rss_mb']:.0f} MB (PSS {m['peak_pss_mb']:.0f} MB), "
          f"{m['processes_at_once']} processes at most, {m['seconds']:.0f} s; verdicts {m['verdicts']}, "
          f"{m['unreadable']} unreadable")
    return 0


if __name__ == "__main__":
    sys.exit(main())
