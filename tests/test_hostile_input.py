"""Hostile and careless input, one test per class of attack: no injection, no lost file, no file outside the
lecturer's reach opened, bounded sizes and times (checked by the limit mechanisms, never by a clock), never a
traceback; and whatever a title, an id or an answer contains, what reaches a terminal, a spreadsheet or TeX is
safe."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEED000, SEED004, SOFTMAX
from symbackprop import limits
from symbackprop.check.answers import Answer, Answers
from symbackprop.check.report import feedback_tex
from symbackprop.check.run import check_answers
from symbackprop.cli import main
from symbackprop.derive import derive
from symbackprop.errors import SpecError
from symbackprop.files import printable, read_bytes, write_text
from symbackprop.network import Network
from symbackprop.render.compile import compile_pdf
from symbackprop.render.tex import escape_tex
from symbackprop.spec import parse_spec
from symbackprop.train import train

HAS_TEX = shutil.which("latexmk") is not None and shutil.which("xelatex") is not None
ANSWERS = """spec = "{spec}"
[[answer]]
id = "q1"
quantity = "dE/dw5"
latex = "0.0822"
"""


def cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """The command line in this process (argparse's own usage errors exit 2 too)."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_error(code: int, err: str, *fragments: str) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symbackprop: error: "), err
    assert "Traceback" not in err and "internal error" not in err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


# -- injection through a file name ------------------------------------------------------------------------

@pytest.mark.tex
@pytest.mark.skipif(not HAS_TEX, reason="TeX Live is not installed (scripts/test.sh installs it)")
@pytest.mark.parametrize("command", ["render", "check"])
def test_a_file_name_is_never_an_option_to_latexmk(tmp_path: Path, command: str) -> None:
    shutil.copy(SEED004, tmp_path / "s.toml")
    (tmp_path / "a.toml").write_text(ANSWERS.format(spec="s.toml"), encoding="utf-8")
    evil = "-xelatex=touch -- PWNED.tex"
    args = ["render", "s.toml"] if command == "render" else ["check", "a.toml", "--format", "latex"]
    proc = subprocess.run([sys.executable, "-m", "symbackprop", *args, "-o", evil, "--pdf"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "starting with '-'" in proc.stderr
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "PWNED.tex").exists()


def test_compile_pdf_passes_the_name_as_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The argument vector itself: the document is ./NAME and the output directory absolute."""
    seen: list[list[str]] = []

    class Stop(Exception):
        pass

    def popen(argv: list[str], **kwargs: object) -> None:
        seen.append(argv)
        raise Stop

    tex = tmp_path / "a -- b.tex"
    tex.write_text("x", encoding="utf-8")
    monkeypatch.setattr(shutil, "which", lambda program: "/bin/true")
    monkeypatch.setattr(subprocess, "Popen", popen)
    with pytest.raises(Stop):
        compile_pdf(tex)
    argv = seen[0]
    assert argv[-1] == "./a -- b.tex" and argv[-2] == f"-outdir={tmp_path.resolve()}"
    with pytest.raises(SpecError, match="starting with '-'"):
        (tmp_path / "-x.tex").write_text("x", encoding="utf-8")
        compile_pdf(tmp_path / "-x.tex")


# -- lost work ----------------------------------------------------------------------------------------------

def test_an_input_is_never_overwritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "s.toml"
    shutil.copy(SEED004, spec)
    answers = tmp_path / "a.toml"
    answers.write_text(ANSWERS.format(spec="s.toml"), encoding="utf-8")
    before = spec.read_bytes(), answers.read_bytes()
    for args in (["render", spec, "-o", spec], ["derive", spec, "-o", tmp_path / "." / "s.toml"],
                 ["check", answers, "-o", answers], ["check", spec, answers, "--csv", spec]):
        code, _, err = cli(capsys, *args)
        one_error(code, err, "refusing to write over an input file")
    with pytest.raises(SpecError, match="refusing to write over an input"):
        write_text(spec, "x", inputs=[spec])
    assert (spec.read_bytes(), answers.read_bytes()) == before


def test_an_interrupted_write_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.tex"
    out.write_text("the lecture of yesterday", encoding="utf-8")

    def fail(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        write_text(out, "half a lecture" * 1000)
    assert out.read_text(encoding="utf-8") == "the lecture of yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.tex"]  # no temporary file left behind
    monkeypatch.undo()
    write_text(out, "today")
    assert out.read_text(encoding="utf-8") == "today" and sorted(p.name for p in tmp_path.iterdir()) == ["out.tex"]


def test_writing_to_a_full_disk_or_nowhere_is_one_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if Path("/dev/full").exists():
        code, _, err = cli(capsys, "derive", SEED004, "-o", "/dev/full")
        one_error(code, err, "/dev/full", "cannot write the output")
    code, _, err = cli(capsys, "derive", SEED004, "-o", "")
    one_error(code, err, "--output", "empty")
    code, _, err = cli(capsys, "derive", "")
    one_error(code, err, "SPEC", "empty")
    code, _, err = cli(capsys, "check", SEED004, "", "--format", "json")
    one_error(code, err, "empty")
    code, _, err = cli(capsys, "derive", SEED004, "-o", tmp_path)
    one_error(code, err, "is a directory")


# -- files a student names -----------------------------------------------------------------------------------

@pytest.mark.parametrize("named", ["../../../../etc/passwd", "/etc/hostname", "/dev/zero", "x.toml\x00.toml"])
def test_a_students_spec_key_opens_nothing_outside(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch, named: str) -> None:
    answers = tmp_path / "a.toml"
    answers.write_text(ANSWERS.replace('"{spec}"', repr(named).replace("'", '"')).replace("\\x00", "\\u0000"),
                       encoding="utf-8")
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: (opened.append(str(path)), real_open(path, *a, **k))[1])
    code, _, err = cli(capsys, "check", answers)
    one_error(code, err, "a.toml", "spec: expected the path of a network spec")
    assert all("etc" not in p and "zero" not in p for p in opened), opened
    assert "root:" not in err


@pytest.mark.parametrize("named", ["elsewhere.toml", "../../../../etc/passwd"])
def test_spec_on_the_command_line_wins_with_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch, named: str) -> None:
    answers = tmp_path / "a.toml"
    answers.write_text(ANSWERS.format(spec=named), encoding="utf-8")
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: (opened.append(str(path)), real_open(path, *a, **k))[1])
    code, _, err = cli(capsys, "check", SEED004, answers, "--format", "json")
    assert code == 0 and "is ignored" in err and named in err and "Traceback" not in err
    assert not any("elsewhere" in p or "passwd" in p for p in opened)


# -- special and huge files --------------------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_or_a_device_is_refused_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)  # nobody writes to it: opening it for reading would block for ever
    code, _, err = cli(capsys, "derive", fifo)
    one_error(code, err, "pipe.toml", "not a regular file")
    code, _, err = cli(capsys, "check", SEED004, fifo)
    one_error(code, err, "pipe.toml", "not a regular file")
    code, _, err = cli(capsys, "derive", "/dev/zero")
    one_error(code, err, "/dev/zero", "not a regular file")


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as f:  # 2 GB, sparse: nothing to read but its size
        f.truncate(2 * 1024 ** 3)
    reads: list[int] = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: (reads.append(n), real_read(fd, n))[1])
    code, _, err = cli(capsys, "derive", huge)
    one_error(code, err, "huge.toml", "limited to 1 000 000 bytes")
    assert reads == []
    with pytest.raises(SpecError, match="limited to"):
        read_bytes(huge, "a file", limit=10)


# -- limits, checked before any work ---------------------------------------------------------------------

OPTIONS = [
    (["derive", SEED004, "--decimals", "1000000000"], "--decimals"),
    (["derive", SEED004, "--digits", "100000000000000000000"], "--digits"),
    (["derive", SEED004, "--max-paths", "1000000000000"], "--max-paths"),
    (["render", SEED004, "--iterations", "1000000000000"], "--iterations"),
    (["train", SEED004, "--steps", "1000000000000"], "--steps"),
    (["train", SEED004, "--steps", "10000000"], "--steps"),
    (["train", SEED004, "--epochs", "1000000000000"], "--epochs"),
    (["check", SEED004, "{answers}", "--time-limit", "nan"], "--time-limit"),
    (["check", SEED004, "{answers}", "--time-limit", "inf"], "--time-limit"),
    (["check", SEED004, "{answers}", "--time-limit", "1e300"], "--time-limit"),
    (["check", SEED004, "{answers}", "--time-limit", "0"], "--time-limit"),
    (["check", SEED004, "{answers}", "--jobs", "1000"], "--jobs"),
    (["check", SEED004, "{answers}", "--jobs", "0"], "--jobs"),
]


@pytest.mark.parametrize(("args", "key"), OPTIONS, ids=[f"{a[0]} {a[-2]} {a[-1]}" for a, _ in OPTIONS])
def test_every_limit_of_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list,
                                         key: str) -> None:
    answers = tmp_path / "a.toml"
    answers.write_text(ANSWERS.format(spec=SEED004), encoding="utf-8")
    code, _, err = cli(capsys, *[answers if a == "{answers}" else a for a in args])
    one_error(code, err, key)


def _spec_text(**replace: str) -> str:
    text = SEED004.read_text(encoding="utf-8")
    for old, new in replace.items():
        text = text.replace(old, new, 1)
    return text


SPECS = [  # (name, text of the spec file, fragments of the message)
    ("a layer of a million", _spec_text(**{'bias = "b1"': 'bias = "b1"\nsize = 1000000'}), ["layers[0].size", "1024"]),
    ("too many parameters", "inputs = [" + ", ".join(f'"x{i}"' for i in range(1000)) + "]\n"
     + "[[layers]]\nname = \"h\"\nactivation = \"sigmoid\"\nsize = 1000\n", ["layers", "200000"]),
    ("display decimals", _spec_text() + "\n[display]\ndecimals = 1000000000\n", ["display.decimals"]),
    ("nested arrays", "a = " + "[" * 100_000 + "]" * 100_000, ["nested too deeply"]),
    ("nested tables", "a = " + "{b = " * 5_000 + "1" + "}" * 5_000, ["nested too deeply"]),
    ("a 5000-digit integer", _spec_text(**{"learning_rate = 0.5": "learning_rate = " + "9" * 5000}),
     ["malformed TOML", "digits"]),
    ("a title with ESC", _spec_text(**{'title = "': 'title = "\\u001b[2J'}), ["title", "U+001B"]),
    ("a title with a blank line", _spec_text(**{'title = "': 'title = """a\n\nb'}).replace(
        '反向传播"', '反向传播"""', 1), ["title", "line break"]),
]


@pytest.mark.parametrize(("text", "fragments"), [(t, f) for _, t, f in SPECS], ids=[n for n, _, _ in SPECS])
def test_every_limit_of_a_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str,
                               fragments: list[str]) -> None:
    spec = tmp_path / "s.toml"
    spec.write_text(text, encoding="utf-8")
    code, _, err = cli(capsys, "derive", spec)
    one_error(code, err, "s.toml", *fragments)


def test_the_python_api_has_the_same_limits() -> None:
    deep: dict = {}
    node = deep
    for _ in range(100_000):
        node["a"] = {}
        node = node["a"]
    for where in (deep, {"inputs": ["x"], "layers": [{"name": "h", "size": 1, "activation": deep}]},
                  {"inputs": ["x"], "params": deep, "layers": [{"name": "h", "size": 1}]}):
        with pytest.raises(SpecError):
            Network.from_dict(where)
    base = Network.load(SEED004)
    with pytest.raises(SpecError, match=str(limits.MAX_TRAINING_VALUES)):
        train(base, 10 ** 12)
    with pytest.raises(SpecError, match="title"):
        parse_spec({"title": "a\nb", "inputs": ["x"], "layers": [{"name": "h", "size": 1}]})
    wide = Network.from_dict({"inputs": [f"x{k}" for k in range(1000)], "layers": [
        {"name": "h", "activation": "sigmoid", "size": 30, "bias": True}]})  # 30 030 parameters: a model, not a lecture
    with pytest.raises(SpecError, match=f"the limit is {limits.MAX_DERIVED}"):
        derive(wide)


def test_an_answers_step_is_bounded_and_its_work_is_within_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The network after `step` updates is made inside the answer's limit (the limit mechanism: a truth that
    never finishes is refused, not waited for)."""
    from symbackprop.check import run as run_module

    network = Network.load(SEED004)

    def endless(cls: object, network: Network, step: int = 0) -> object:
        if step == 0:
            return real(network, 0)
        while True:
            pass

    real = run_module.Truth.at_step
    monkeypatch.setattr(run_module.Truth, "at_step", classmethod(endless))
    answers = Answers("a.toml", None, (Answer("q", "dE/dw5", "0.0822", step=7), Answer("r", "dE/dw5", "0.0822")))
    result = check_answers(network, answers, limit=0.5)
    assert [a.verdict for a in result.answers] == ["refused", "correct"]
    assert "0.5" in result.answers[0].message


def test_a_student_id_or_quantity_with_control_characters_is_refused(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    for field, value, says in (("id", '"\\u001b]0;pwned\\u0007"', "U+001B"), ("quantity", '"dE/dw5\\u0000"', "U+0000"),
                               ("latex", '"0.08\\u001b[2J"', "U+001B")):
        answers = tmp_path / f"{field}.toml"
        text = ANSWERS.format(spec=SEED004).replace(
            {"id": 'id = "q1"', "quantity": 'quantity = "dE/dw5"', "latex": 'latex = "0.0822"'}[field],
            f"{field} = {value}")
        answers.write_text(text, encoding="utf-8")
        code, _, err = cli(capsys, "check", answers)
        one_error(code, err, f"answer[0].{field}", says)


# -- what reaches a terminal and TeX ---------------------------------------------------------------------

HOSTILE = ["a\n\nb", "100% sure", "^^5c^^5c", "\\catcode`\\^^M=13", "\\csname relax\\endcsname", "nul\x00byte",
           "\x1b[2J\x1b]0;x\x07", "\\input{/etc/passwd}", "line\u2028sep", "}{\\end{document}", "#1 ~ & $ _"]


@given(st.lists(st.sampled_from(HOSTILE) | st.text(max_size=20), max_size=6).map("".join))
@settings(max_examples=300, deadline=None)
def test_escaped_text_is_inert_tex(text: str) -> None:
    """No line break (a % comment line or a \\title argument would end), no control character, and every TeX
    special character escaped: the only backslashes are those of the escapes we write."""
    out = escape_tex(text)
    assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]", out)
    bare = re.sub(r"\\(textbackslash|textasciicircum|textasciitilde)\{\}|\\[{}$&#%_]|\$\\[a-zA-Z]+\$|\$-\$", "", out)
    assert not re.search(r"[\\{}$&#%_^~]", bare), out


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_printable_text_has_no_terminal_control_sequence(text: str) -> None:
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", printable(text))


@pytest.mark.tex
@pytest.mark.skipif(not HAS_TEX, reason="TeX Live is not installed (scripts/test.sh installs it)")
def test_a_feedback_sheet_of_hostile_strings_compiles(tmp_path: Path) -> None:
    """Through the Python API, where nothing validated them: ids, a quantity-free answer text and a source name
    made of everything that breaks TeX, compiled by xelatex, read back from the PDF."""
    network = Network.load(SEED000)
    answers = Answers("\n\nclass%1 ^^5c", None, tuple(
        Answer(f"q{k}{h}", "dE/dw5", f"0.08 {h}") for k, h in enumerate(HOSTILE)))
    tex = tmp_path / "sheet.tex"
    tex.write_text(feedback_tex(check_answers(network, answers, limit=5), "en"), encoding="utf-8")
    pdf = compile_pdf(tex).pdf
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "100% sure" in text and "\\csname relax\\endcsname" in text and "root:" not in text


def test_the_readme_states_the_limits_the_code_holds() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| (.+?) \| ([\d ]+)\b.*\|$", readme, flags=re.M))
    expected = {
        "a spec or answers file": limits.MAX_FILE_BYTES,
        "a title, a student id or a quantity (characters)": limits.MAX_TITLE,
        "neurons in one layer (inputs included)": limits.MAX_LAYER_SIZE,
        "layers": limits.MAX_LAYERS, "weights and biases": limits.MAX_PARAMETERS,
        "samples in a spec": limits.MAX_SAMPLES,
        "`derive`, `render`, `check`: parameters × samples": limits.MAX_DERIVED,
        "`--decimals`, `display.decimals`, `training.rounding`": limits.MAX_DECIMALS,
        "`--digits`, `display.digits`": limits.MAX_DIGITS, "`--max-paths`, `display.max_paths`": limits.MAX_PATHS,
        "`render --iterations`": limits.MAX_ITERATIONS,
        "`train`: updates × parameters": limits.MAX_TRAINING_VALUES,
        "`train` with `rounding = N`: updates": limits.MAX_ROUNDED_UPDATES,
        "an answer's `step`": limits.MAX_ANSWER_STEP,
        "`check --time-limit` (seconds per answer)": limits.MAX_TIME_LIMIT, "`check --jobs`": limits.MAX_JOBS,
        "answers files in a class directory": limits.MAX_CLASS_FILES,
    }
    for row, value in expected.items():
        assert int(table[row].replace(" ", "")) == value, row


def _running(marker: str) -> list[str]:
    """Processes whose command line mentions `marker` (from /proc: no tool needed)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid():
            try:
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in command:
                found.append(command)
    return found


@pytest.mark.tex
@pytest.mark.skipif(not HAS_TEX or not Path("/proc/self/cmdline").exists(), reason="needs TeX Live and /proc")
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_a_pdf_build_stops_tex(tmp_path: Path, how: signal.Signals) -> None:
    """Ctrl-C or SIGTERM while latexmk runs: symbackprop exits 130 and no latexmk or xelatex is left behind."""
    marker = f"orphan{os.getpid()}{how.value}"
    # (Ctrl-C reaches a program that does not ignore it: a test run started in the background, whose shell set
    # SIGINT to be ignored, would hand that on to symbackprop; the default is restored for it, as a terminal has)
    proc = subprocess.Popen([sys.executable, "-m", "symbackprop", "render", str(SEED004), "--full", "-o",
                             f"{marker}.tex", "--pdf"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for _ in range(600):  # until TeX has started (its log exists), at most a minute
        if (tmp_path / f"{marker}.log").exists() or proc.poll() is not None:
            break
        time.sleep(0.1)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    assert _running(marker)
    proc.send_signal(how)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err, err
    for _ in range(50):  # the group is killed at once; give the kernel a moment to reap
        if not _running(marker):
            break
        time.sleep(0.1)
    assert _running(marker) == []


def test_a_large_deck_says_how_long_it_will_take(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The --full lecture of the softmax batch has more than 50 frames: the estimate comes first, and TeX's
    time limit grows with it (the compile itself is TeX's business: replaced here)."""
    from symbackprop import cli as cli_module
    from symbackprop.render.compile import Compiled

    asked: dict[str, float] = {}

    def compiled(tex: Path, timeout: float = 300) -> Compiled:
        asked["timeout"] = timeout
        return Compiled(pdf=tex.with_suffix(".pdf"), log=tex.with_suffix(".log"), overfull=())

    monkeypatch.setattr(cli_module, "compile_pdf", compiled)
    code, _, err = cli(capsys, "render", SOFTMAX, "--full", "-o", tmp_path / "deck.tex", "--pdf")
    frames = (tmp_path / "deck.tex").read_text(encoding="utf-8").count("\\begin{frame}")
    assert code == 0 and frames > 50
    assert f"compiling about {frames} pages" in err and "Ctrl-C stops it" in err
    assert asked["timeout"] >= 300


@pytest.mark.tex
@pytest.mark.skipif(not HAS_TEX, reason="TeX Live is not installed (scripts/test.sh installs it)")
def test_a_class_as_latex_is_one_document_of_feedback_sheets(tmp_path: Path) -> None:
    """`check SPEC DIR --format latex --pdf` once wrote plain text silently: it writes every student's sheet."""
    klass = tmp_path / "class"
    klass.mkdir()
    (klass / "alice.toml").write_text(ANSWERS.format(spec="ignored.toml"), encoding="utf-8")
    (klass / "bob.toml").write_text(ANSWERS.format(spec="ignored.toml").replace("0.0822", "0.0827"),
                                    encoding="utf-8")
    (klass / "carol.toml").write_text("not [toml", encoding="utf-8")
    out = tmp_path / "sheets.tex"
    proc = subprocess.run([sys.executable, "-m", "symbackprop", "check", str(SEED004), str(klass), "--format",
                           "latex", "-o", str(out), "--pdf"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    text = subprocess.run(["pdftotext", str(tmp_path / "sheets.pdf"), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")
    for name in ("alice.toml", "bob.toml", "carol.toml"):  # each sheet on its own page, under its own heading
        assert any(name in page and "Derivation check" in page for page in pages), name
    assert "not valid TOML" in text or "malformed TOML" in text
