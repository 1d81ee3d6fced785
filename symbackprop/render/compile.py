"""Compile a .tex file to PDF with latexmk and a real TeX engine, safely, and report TeX's first error.

Safety: latexmk runs with `-norc` (a `latexmkrc` beside the document is Perl code and is never read), the engine
with `-no-shell-escape` (and `shell_escape=f` in its environment), and TeX's paranoid file access
(`openin_any=p`, `openout_any=p`, no inherited `TEXMFOUTPUT`): a document cannot run programs, and cannot
`\\input` or `\\openout` dot files, absolute paths or `..` outside its own directory tree (files found by
TeX's path search, i.e. installed packages, still load). Standard input is /dev/null and the whole process
group is killed after `timeout` seconds.

The log is written unwrapped (`max_print_line` is raised in the engine's environment); `parse_log` still
joins lines wrapped at TeX's default 79 characters when it is given such a log.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import SpecError

DEBIAN_PACKAGES = ("texlive-xetex", "texlive-latex-extra", "texlive-lang-chinese", "texlive-fonts-recommended",
                   "latexmk", "lmodern", "fonts-noto-cjk")

# engine -> (latexmk option selecting it, latexmk option setting its command, programs it needs)
_ENGINES = {
    "xelatex": ("-xelatex", "-xelatex=xelatex -no-shell-escape %O %S", ("xelatex", "xdvipdfmx")),
    "pdflatex": ("-pdf", "-pdflatex=pdflatex -no-shell-escape %O %S", ("pdflatex",)),
}

# kpathsea settings for the engine (environment variables override texmf.cnf)
_TEX_ENV = {
    "openin_any": "p",          # paranoid: no dot files, no .., no absolute paths outside the output directory
    "openout_any": "p",
    "shell_escape": "f",        # belt and braces with -no-shell-escape: not even the restricted list
    "max_print_line": "10000",  # do not wrap log lines at 79 characters
    "error_line": "254",        # longer error context lines (l.42 ...)
    "half_error_line": "238",
}

# characters allowed in the file name and output directory: latexmk pastes them into a shell command; the
# name is passed as ./NAME and the directory absolute, so that neither can be read as an option
_SAFE_PATH = re.compile(r"[\w./ +,=@~-]+")
SECONDS_PER_PAGE = 0.5  # xelatex on these machines, a Beamer frame with a figure, run twice (measured)

_WRAP = 79  # TeX's default max_print_line
_FILE_LINE_ERROR = re.compile(r"^([^\s\\\[(!][^:]*?\.[A-Za-z0-9]+):(\d+): (.*)$")
_BANG_ERROR = re.compile(r"^! (.*)$")
_CONTEXT_LINE = re.compile(r"^l\.(\d+) ?(.*)$")
_CONTINUATION = re.compile(r"^\([\w@*.-]+\) {2,}(\S.*)$")  # "(inputenc)       not set up ..." of package errors
_OVERFULL = re.compile(r"^Overfull \\[hv]box \((\d+(?:\.\d*)?)pt too (?:wide|high)\)")
_LAST_CONTROL_SEQUENCE = re.compile(r"(\\(?:[^\W\d_]|@)+|\\.)\s*$")
# written by the templates' \sbpfit (a box shrunk to fit) and \sbpend (the bottom of a frame's content)
_FIT = re.compile(r"^symbackprop-fit (\w+) p(\S+) ([\d.]+)pt ([\d.]+)pt ([\d.]+)pt ([\d.]+)pt")
_END = re.compile(r"^symbackprop-end p(\S+) (-?\d+)")
MIN_SCALE = 0.85  # below this a display is hard to read from the back of a lecture hall
FOOTLINE_PT = 11.0  # a Beamer frame's content ends at 12pt, above its footline (the frame number): 1pt of slack
_MISSING_FILE = re.compile(r"File `[^']+\.(?:sty|cls|def|fd|cfg|clo)' not found")


class TexError(SpecError):
    """TeX could not make the PDF: names the file, the line, TeX's first error and the log to read.

    A `SpecError`, so the command line prints it as one `symbackprop: error: ...` line and exits non-zero.
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 error: str | None = None, log: Path | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.error = error
        self.log = log

    def with_source(self, source: str) -> TexError:
        return self  # the message already names the file


@dataclass(frozen=True)
class Compiled:
    pdf: Path
    log: Path
    overfull: tuple[str, ...]  # "Overfull \hbox (12.3pt too wide) in paragraph at lines 5--6", more than 1pt
    shrunk: tuple[str, ...] = ()  # "page 8: a display shrunk to 62% (612pt wide, 307pt allowed)", below MIN_SCALE
    overflow: tuple[str, ...] = ()  # "page 12: the content runs 40pt into the footline", Beamer frames


@dataclass(frozen=True)
class LogError:
    """TeX's first error in a log: the file as TeX names it (None if it names none), the line, the message."""

    file: str | None
    line: int | None
    message: str


def _install_hint() -> str:
    return f"install the Debian packages {' '.join(DEBIAN_PACKAGES)}"


def compile_pdf(tex: Path, *, engine: str = "xelatex", outdir: Path | None = None, timeout: float = 300) -> Compiled:
    """Run latexmk on `tex`; return the PDF, the log and the overfull boxes, or raise TexError."""
    if engine not in _ENGINES:
        raise ValueError(f"unsupported TeX engine {engine!r}; expected one of {', '.join(_ENGINES)}")
    select, command, programs = _ENGINES[engine]
    tex = Path(tex)
    if not tex.is_file():
        raise TexError(f"{tex}: no such file", file=str(tex))
    outdir = (tex.parent if outdir is None else Path(outdir)).resolve()
    if tex.name.startswith("-"):
        raise TexError(f"{tex}: a file name starting with '-' is refused: the TeX tools latexmk runs would read it "
                       "as an option; choose a name starting with a letter or digit", file=str(tex))
    for part in (tex.name, str(outdir)):
        if not _SAFE_PATH.fullmatch(part):
            raise TexError(f"{part}: unsafe characters in a path given to latexmk; use letters, digits, "
                           "spaces and ./+,=@~-", file=str(tex))
    for program in ("latexmk", *programs):
        if shutil.which(program) is None:
            raise TexError(f"cannot compile {tex}: {program} not found; {_install_hint()}", file=str(tex))
    outdir.mkdir(parents=True, exist_ok=True)
    log = outdir / f"{tex.stem}.log"
    pdf = outdir / f"{tex.stem}.pdf"

    env = {key: value for key, value in os.environ.items() if key != "TEXMFOUTPUT"}
    env.update(_TEX_ENV)
    argv = ["latexmk", "-norc", "-g", select, command, "-interaction=nonstopmode", "-halt-on-error",
            "-file-line-error", f"-outdir={outdir}", f"./{tex.name}"]
    with tempfile.TemporaryFile() as output:  # a file, not a pipe: a looping document may print without end
        proc = subprocess.Popen(argv, cwd=tex.parent.resolve(), env=env, stdin=subprocess.DEVNULL, stdout=output,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise TexError(f"{tex}: TeX did not finish within {timeout:g} s (an endless loop in the document?); "
                           f"see the TeX log {log}", file=str(tex), log=log) from None
        except BaseException:  # Ctrl-C, SIGTERM: TeX runs in its own session and must not outlive us
            _kill_group(proc)
            raise
        output.seek(max(0, output.seek(0, os.SEEK_END) - 4000))
        tail = output.read().decode("utf-8", errors="replace")

    text = read_log(log) if log.is_file() else ""
    if proc.returncode != 0 or not pdf.is_file():
        found = parse_log(text) if text else None
        if found is None:
            tail = "\n".join(tail.strip().splitlines()[-15:])
            raise TexError(f"{tex}: latexmk failed (exit {proc.returncode}) without a TeX error in the log"
                           f"{f' {log}' if text else ''}; its last output:\n{tail}", file=str(tex),
                           log=log if text else None)
        where = _display_file(found.file, tex)
        message = found.message
        if _MISSING_FILE.search(message):
            message += f" (if it is a LaTeX package: {_install_hint()})"
        position = f"{where}:{found.line}" if found.line is not None else where
        raise TexError(f"{position}: {message} (TeX log: {log})", file=where, line=found.line,
                       error=found.message, log=log)
    return Compiled(pdf=pdf, log=log, overfull=overfull_boxes(text), shrunk=shrunk_boxes(text),
                    overflow=overflowing_frames(text))


def estimated_pages(tex: Path) -> int:
    """Pages a document will have, roughly (its frames, else its length), to say how long compiling takes."""
    try:
        text = Path(tex).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 1
    return text.count("\\begin{frame}") or len(text) // 3000 + 1


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill latexmk and the engine it started (its own process group), then reap it."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - not POSIX
            proc.kill()
    except ProcessLookupError:  # pragma: no cover - finished in between
        pass
    proc.wait()


def _display_file(name: str | None, tex: Path) -> str:
    """The file of an error as the caller knows it: `tex` as given for the main file, else relative to it."""
    if name is None:
        return str(tex)
    path = Path(name)
    full = path if path.is_absolute() else tex.parent / path
    if full.resolve() == tex.resolve():
        return str(tex)
    return str(full) if not path.is_absolute() else name


def read_log(log: Path) -> str:
    """The log's text: UTF-8 where it is (XeTeX), bytes kept one character each otherwise (pdfTeX)."""
    data = log.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def unwrap(text: str) -> list[str]:
    """The log's lines, with lines that TeX wrapped at 79 characters joined again (when it wrapped at all)."""
    lines = text.splitlines()
    if any(len(line) > _WRAP for line in lines):  # written with a larger max_print_line: nothing was wrapped
        return lines
    joined: list[str] = []
    pending = ""
    for line in lines:
        pending += line
        if len(line) != _WRAP:
            joined.append(pending)
            pending = ""
    if pending:
        joined.append(pending)
    return joined


def parse_log(text: str) -> LogError | None:
    """TeX's first error: a `file:line: message` line (-file-line-error) or a `! message` line with its `l.NN`."""
    lines = unwrap(text)
    for index, line in enumerate(lines):
        match = _FILE_LINE_ERROR.match(line)
        if match:
            file, number, message = match.group(1), int(match.group(2)), match.group(3)
        elif bang := _BANG_ERROR.match(line):
            file, number, message = None, None, bang.group(1)
        else:
            continue
        rest = lines[index + 1:index + 40]
        message = _continued(message, rest)
        if file is None:  # the position comes after: an `l.NN` line, and a file:line: Emergency stop
            for later in rest:
                if number is None and (context := _CONTEXT_LINE.match(later)):
                    number = int(context.group(1))
                if file is None and (stop := _FILE_LINE_ERROR.match(later)):
                    file = stop.group(1)
                    number = int(stop.group(2)) if number is None else number
        if message.rstrip(".") == "Undefined control sequence" and rest:
            # the first context line ends with the undefined command: "l.42 text \foo" or "<argument> \foo"
            control = _LAST_CONTROL_SEQUENCE.search(rest[0])
            if control:
                message = f"Undefined control sequence {control.group(1)}"
        return LogError(file=file.removeprefix("./") if file else None, line=number, message=message)
    return None


def _continued(message: str, rest: list[str]) -> str:
    for line in rest:
        more = _CONTINUATION.match(line)
        if not more:
            break
        message += " " + more.group(1)
    return message


def overfull_boxes(text: str, threshold: float = 1.0) -> tuple[str, ...]:
    """Every `Overfull \\hbox`/`\\vbox` line of the log whose amount exceeds `threshold` points."""
    found = []
    for line in unwrap(text):
        match = _OVERFULL.match(line)
        if match and float(match.group(1)) > threshold:
            found.append(line.strip())
    return tuple(found)


def shrunk_boxes(text: str, least: float = MIN_SCALE, kinds: tuple[str, ...] = ("display", "table")) -> tuple[str, ...]:
    """Every box of a kind in `kinds` that `\\sbpfit` shrank below `least` of its natural size, once per page."""
    found: dict[str, None] = {}
    for line in unwrap(text):
        match = _FIT.match(line)
        if not match or match.group(1) not in kinds:
            continue
        kind, page = match.group(1), match.group(2)
        wide, high, room_wide, room_high = (float(match.group(k)) for k in range(3, 7))
        scale = min(1.0, room_wide / wide if wide else 1.0, room_high / high if high else 1.0)
        if scale < least:
            found[f"page {page}: a {kind} shrunk to {scale:.0%} ({wide:.0f}x{high:.0f}pt, "
                  f"{room_wide:.0f}x{room_high:.0f}pt allowed)"] = None
    return tuple(found)


def overflowing_frames(text: str, footline: float = FOOTLINE_PT) -> tuple[str, ...]:
    """Every page whose content (`\\sbpend`'s position, in sp from the bottom) ends within `footline` pt of the
    paper's bottom edge or below it: Beamer cuts such a frame off without a warning of its own."""
    found: dict[str, None] = {}
    for line in unwrap(text):
        if (match := _END.match(line)) and int(match.group(2)) / 65536 < footline:
            found[f"page {match.group(1)}: the content runs {footline - int(match.group(2)) / 65536:.0f}pt "
                  "into the footline or off the frame"] = None
    return tuple(found)
