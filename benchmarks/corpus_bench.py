"""How long does `check` take on the labelled corpus: per part, and its slowest answer sheets?

The corpus tests judge every part (tests/test_corpus.py), and they are most of the test command's time: a sheet that
takes minutes (session 55 found one of ten, tune39's mk-16, in SymPy's cancel) shows here, not as a failing test,
since no test reads a clock. Each sheet is judged as the tests judge it (the time limit raised, graded with
require_value).

    python benchmarks/corpus_bench.py [PART ...] [--top N] [--write]

Without PART every part of tests/corpus/load.HALVES; `--write` writes benchmarks/corpus_bench.md.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from corpus.load import HALVES, load_corpus  # noqa: E402
from symbackprop import Network  # noqa: E402
from symbackprop.check.answers import parse_answers  # noqa: E402
from symbackprop.check.run import check_answers  # noqa: E402


def sheets(parts: list[str]) -> list[tuple[str, str, int, float]]:
    """(part, sheet, answers, seconds) for every sheet of the parts, judged one after another."""
    out = []
    for part in parts:
        for f in load_corpus(part):
            start = time.perf_counter()
            check_answers(Network.load(f.spec_path), parse_answers(f.as_answers(), f.name), limit=600)
            out.append((part, f.name, len(f.cases), time.perf_counter() - start))
    return out


def report(rows: list[tuple[str, str, int, float]], top: int) -> str:
    parts: dict[str, tuple[int, float]] = {}
    for part, _, n, s in rows:
        a, t = parts.get(part, (0, 0.0))
        parts[part] = (a + n, t + s)
    total = sum(s for *_, s in rows)
    lines = [f"# The checker on the corpus ({platform.python_version()}, {platform.machine()})", "",
             f"{sum(n for _, _, n, _ in rows)} answers in {len(rows)} sheets: {total:.0f} s, "
             f"{1000 * total / max(1, sum(n for _, _, n, _ in rows)):.0f} ms an answer.", "",
             "| part | answers | seconds |", "|---|---|---|"]
    lines += [f"| {p} | {a} | {t:.1f} |" for p, (a, t) in sorted(parts.items(), key=lambda x: -x[1][1])]
    lines += ["", f"The {top} slowest sheets:", "", "| sheet | answers | seconds |", "|---|---|---|"]
    lines += [f"| {name} | {n} | {s:.1f} |" for _, name, n, s in sorted(rows, key=lambda r: -r[3])[:top]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("parts", nargs="*", help="corpus parts (default: every part)")
    parser.add_argument("--top", type=int, default=10, help="how many of the slowest sheets to list")
    parser.add_argument("--write", action="store_true", help="write benchmarks/corpus_bench.md")
    args = parser.parse_args()
    unknown = [p for p in args.parts if p not in HALVES]
    if unknown:
        parser.error(f"unknown part {unknown[0]!r}; expected one of {', '.join(HALVES)}")
    text = report(sheets(args.parts or list(HALVES)), args.top)
    print(text, end="")
    if args.write:
        (HERE / "corpus_bench.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
