"""Fuzzing the spec and answers formats through the command line (in this process, as `main` runs it): for any
input, exit 0, 1 or 2; a failure is one line `symbackprop: error: …`, never a traceback or an internal error; no
file is written but the output asked for; nothing is executed. Time and memory are bounded by the limits
(limits.py, tested one by one in test_hostile_input.py) and the per-answer time limit, not by a clock here."""

from __future__ import annotations

import os
import resource
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, SEED004
from symbackprop.cli import main
from symbackprop.errors import SpecError
from symbackprop.network import Network

PIECES = ["[[layers]]", "[params]", "[[samples]]", "[training]", "[display]", "[notation]", "size = 1000000",
          "weights = [[\"w1\"]]", "bias = true", "activation = \"softmax\"", "= ", "\"", "'''", "[", "]", "{", "}",
          ",", "\n", "=", "1e308", "-1", "0", "nan", "inf", "99999999999999999999", "\\u0000", "\\u001b", "\x00",
          "title = \"", "steps = 7", "rounding = 40", "update = \"online\"", "x", "w5", "é", "δ", "#"]
ANSWER_PIECES = ["\\frac{", "}", "{", "\\partial", "E", "w_5", "=", "0.0822", "\\delta_{o1}", "\\sigma'", "^", "_",
                 "\\\\", "&", "\\begin{aligned}", "\\end{aligned}", "\\sum_{k}", "e^{-", "10^{-300}", "\\sqrt{",
                 "9" * 40, "(", ")", "\\cdot", "\\times", " ", "\n", "\\text{", "$", "%", "\\input{/etc/passwd}",
                 "step = 50", "quantity = \"", "[[answer]]", "\"", "'''", "\\u0000"]


def mutated(text: str, pieces: list[str]) -> st.SearchStrategy[str]:
    """The text with a few slices deleted, duplicated or replaced by pieces of the format or random characters."""
    edit = st.tuples(st.integers(0, len(text)), st.integers(0, 40),
                     st.one_of(st.sampled_from(pieces), st.text(max_size=8), st.just(None)))

    def apply(edits: list[tuple[int, int, str | None]]) -> str:
        out = text
        for at, length, insert in edits:
            at = min(at, len(out))
            piece = out[at:at + length]
            out = out[:at] + (piece + piece if insert is None else insert) + out[at + length:]
        return out

    return st.lists(edit, min_size=1, max_size=4).map(apply)


class Executed(AssertionError):
    pass


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Nothing may be executed: no --pdf is given, so any subprocess is an escape."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise Executed(f"executed {args!r}")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(os, "system", refuse)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str]:
    try:
        code = main(args)
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    _, err = capsys.readouterr()
    return code, err


def judged(code: int, err: str) -> None:
    event(f"exit {code}")
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        lines = [line for line in err.splitlines() if not line.startswith("symbackprop: note:")]
        assert len(lines) == 1 and (lines[0].startswith("symbackprop: error: ") or "usage" in err), err


def files_of(directory: Path) -> set[str]:
    return {str(p.relative_to(directory)) for p in directory.rglob("*")}


SEEDS = [p.read_text(encoding="utf-8") for p in EXAMPLES]


@given(data=st.data(), command=st.sampled_from(["derive", "json", "render", "train"]))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
def test_any_spec(sandbox: Path, capsys: pytest.CaptureFixture[str], data: st.DataObject, command: str) -> None:
    text = data.draw(st.sampled_from(SEEDS).flatmap(lambda seed: mutated(seed, PIECES)))
    spec = sandbox / "spec.toml"
    spec.write_bytes(raw := text.encode("utf-8", errors="surrogatepass"))
    before = files_of(sandbox)
    args = {"derive": ["derive", "spec.toml"], "json": ["derive", "spec.toml", "--format", "json"],
            "render": ["render", "spec.toml", "--format", "snippet", "-o", "out.tex"],
            "train": ["train", "spec.toml", "--steps", "3"]}[command]
    code, err = run(capsys, args)
    judged(code, err)
    made = files_of(sandbox) - before
    assert made <= {"out.tex"}, made
    assert spec.read_bytes() == raw


SIMPLE = '''[[answer]]
id = "q1"
quantity = "dE/dw5"
latex = \'\'\'
\\frac{\\partial E}{\\partial w_5} = \\delta_{o1} \\cdot out_{h1} = 0.138499 \\times 0.593270 = 0.0822
\'\'\'
[[answer]]
id = "q2"
quantity = "w5+"
step = 0
latex = "w_5^+ = 0.4 - 0.5 \\\\cdot 0.0822 = 0.3589"
'''


@given(text=mutated(SIMPLE, ANSWER_PIECES), fmt=st.sampled_from(["text", "json", "latex"]))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
def test_any_answers_file(sandbox: Path, capsys: pytest.CaptureFixture[str], text: str, fmt: str) -> None:
    answers = sandbox / "answers.toml"
    answers.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    before = files_of(sandbox)
    code, err = run(capsys, ["check", str(SEED004), "answers.toml", "--format", fmt, "--time-limit", "2",
                             "-o", "out.txt"])
    judged(code, err)
    assert files_of(sandbox) - before <= {"out.txt"}


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["inputs", "targets", "layers", "params", "name", "weights", "size",
                                         "bias", "activation", "samples", "title", "x", "w1"]), inner, max_size=4),
                    max_leaves=30))
@settings(max_examples=300, deadline=None)
def test_any_dict_given_to_the_python_api(value: object) -> None:
    try:
        Network.from_dict(value)  # type: ignore[arg-type]
    except SpecError:
        pass


def test_the_fuzzing_stayed_within_memory() -> None:
    """The high-water mark of this whole test process (the fuzz runs above in it): the limits keep it far
    below what a class or a careless spec once took (3.7 GB)."""
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak_mb < 2048, peak_mb
