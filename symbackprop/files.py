"""Reading the files a user names and writing the files we make, so that no input can hang, exhaust memory or be
lost: only regular files are read (a FIFO or /dev/zero would block or never end), with a size cap checked before
reading; TOML too deep or with a huge integer is a clear error; outputs go through a temporary file renamed into
place (an interrupted run never leaves half a file), never over a file that was read; text for a terminal has
its control characters made visible.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import SpecError
from .limits import MAX_FILE_BYTES, MAX_TITLE


def _path(path: str | Path, what: str, key: str | None = None) -> Path:
    if str(path).strip() == "":
        raise SpecError(f"expected the path of {what}, got an empty string", key=key or "path")
    if "\0" in str(path):
        raise SpecError(f"expected the path of {what}; the path contains a NUL byte", source=printable(str(path)))
    return Path(path)


def _bare(what: str) -> str:
    return what.removeprefix("a ").removeprefix("an ")


def read_bytes(path: str | Path, what: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is a SpecError naming the file."""
    p = _path(path, what)
    source = printable(str(p))
    try:  # looked at before it is opened: opening a FIFO may wait for a writer, opening a device may act
        first = os.stat(p)
    except FileNotFoundError:
        if os.path.islink(p):
            raise SpecError(f"a broken symbolic link; expected {what}", source=source) from None
        raise SpecError(f"file not found; expected the path of {what}", source=source) from None
    except OSError as exc:
        raise SpecError(f"cannot read the file ({exc.strerror or exc}); expected {what}", source=source) from None
    except ValueError:
        raise SpecError(f"expected the path of {what}", source=source) from None
    if not stat.S_ISREG(first.st_mode):
        raise SpecError(_not_regular(first.st_mode, what), source=source) from None
    if first.st_size > limit:
        raise SpecError(_too_large(first.st_size, what, limit), source=source) from None
    try:  # O_NONBLOCK: replaced by a FIFO since, it still does not wait
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except PermissionError:
        raise SpecError(f"permission denied; expected a readable {_bare(what)}", source=source) from None
    except OSError as exc:
        raise SpecError(f"cannot read the file ({exc.strerror or exc}); expected {what}", source=source) from None
    try:
        info = os.fstat(fd)
        problem = (_not_regular(info.st_mode, what) if not stat.S_ISREG(info.st_mode)
                   else _too_large(info.st_size, what, limit) if info.st_size > limit else None)
        data = b"" if problem else _read_all(fd, limit + 1)
    except OSError as exc:
        problem = f"cannot read the file ({exc.strerror or exc}); expected {what}"
    finally:
        os.close(fd)
    if problem:
        raise SpecError(problem, source=source) from None
    if len(data) > limit:  # grew while we read it
        raise SpecError(_too_large(len(data), what, limit, "more than "), source=source)
    return data


def _not_regular(mode: int, what: str) -> str:
    if stat.S_ISDIR(mode):
        return f"is a directory; expected the path of {what}"
    return f"not a regular file (a pipe or a device); expected {what}"


def _too_large(size: int, what: str, limit: int, more: str = "") -> str:
    return f"{more}{size:,} bytes; {_bare(what)}s are limited to {limit:,} bytes".replace(",", " ")


def _read_all(fd: int, most: int) -> bytes:
    chunks, size = [], 0
    while size < most and (chunk := os.read(fd, min(1 << 20, most - size))):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_text(path: str | Path, what: str, limit: int = MAX_FILE_BYTES, kind: str = "TOML file") -> str:
    """A UTF-8 text file of at most `limit` bytes (see decode_text)."""
    return decode_text(read_bytes(path, what, limit), printable(str(path)), kind)


def decode_text(raw: bytes, source: str, kind: str = "TOML file") -> str:
    """UTF-8 bytes as text, as a text file is read: a byte-order mark (Windows editors) is harmless and line ends
    are \\n; undecodable bytes are named by line and column."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError(f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at line {line}, column {column} "
                        f"cannot be decoded; expected a UTF-8 encoded {kind} (save it as UTF-8)",
                        source=source) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_toml(path: str | Path, what: str) -> dict[str, Any]:
    """A TOML file as dicts; malformed, too deeply nested or over-long TOML is one SpecError naming the file."""
    text = read_text(path, what)
    return parse_toml(text, printable(str(path)))


def parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(_toml_message(str(exc), text), source=source) from None
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise SpecError("malformed TOML: arrays or tables nested too deeply; expected a spec's flat structure",
                        source=source) from None
    except ValueError as exc:  # an integer of more than 4 300 digits
        raise SpecError(f"malformed TOML: {exc}".split("; use sys.")[0] + "; expected numbers of ordinary size",
                        source=source) from None


def _toml_message(message: str, text: str) -> str:
    """Reword tomllib's "Oops (at line 3, column 9)" as "malformed TOML at line 3, column 9: oops"."""
    message = " ".join(message.split())  # one line, whatever the parser said
    where = "malformed TOML"
    found = re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", message)
    if found:
        message = found.group(1)
        where = f"malformed TOML at line {found.group(2)}, column {found.group(3)}"
    elif message.endswith(" (at end of document)"):
        message = message.removesuffix(" (at end of document)")
        where = f"malformed TOML at the end of the file (line {text.count(chr(10)) + 1})"
    return f"{where}: {message[:1].lower()}{message[1:]}; expected a valid TOML document"


def write_text(path: str | Path, text: str, *, key: str = "--output", inputs: Iterable[str | Path] = ()) -> None:
    """Write `text` to `path` through a temporary file in the same directory, renamed into place; an existing
    device (/dev/null, /dev/stdout) is written directly. Never writes over one of `inputs`."""
    p = _path(path, "an output file", key)
    source = printable(str(p))
    refuse_inputs([p], inputs)
    data = text.encode("utf-8")
    try:
        if p.exists() and not p.is_file():
            if p.is_dir():
                raise SpecError("is a directory; expected an output file name", source=source)
            with open(p, "wb") as device:
                device.write(data)
            return
        directory = p.parent
        fd, temp = tempfile.mkstemp(prefix=f".{p.name[:40]}.", suffix=".part", dir=directory)
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            if p.exists():
                os.chmod(temp, stat.S_IMODE(p.stat().st_mode))
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(temp, 0o666 & ~umask)
            os.replace(temp, p)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise SpecError(f"cannot write the output ({exc.strerror or exc})", source=source) from None


def refuse_inputs(outputs: Iterable[str | Path], inputs: Iterable[str | Path]) -> None:
    """An output that is one of the files read is refused: an input is never lost."""
    read = {Path(i).resolve() for i in inputs if str(i).strip()}
    for out in outputs:
        if Path(out).resolve() in read:
            raise SpecError("refusing to write over an input file: choose another output", source=printable(str(out)))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(value: Any, key: str, source: str | None = None) -> str:
    """A title or an id: one line of printable text (it reaches a terminal, a TeX comment line and a TeX argument)."""
    if not isinstance(value, str):
        raise SpecError(f"expected a string, got {type(value).__name__}", key=key, source=source)
    bad = _UNPRINTABLE.search(value)
    if bad:
        char = bad.group()
        what = "a line break" if char in "\n\r\u2028\u2029" else f"the control character U+{ord(char):04X}"
        raise SpecError(f"{what} at position {bad.start() + 1}; expected one line of printable text", key=key,
                        source=source)
    if len(value) > MAX_TITLE:
        raise SpecError(f"expected at most {MAX_TITLE} characters, got {len(value)}", key=key, source=source)
    return value


def printable(text: str) -> str:
    """Text for a terminal or a log: control characters (ESC, NUL, …; newlines and tabs stay) shown as \\x1b."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}",
                        text)


def write_stdout(text: str) -> None:
    """Standard output, with a full disk or a closed pipe as a SpecError rather than a traceback."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise SpecError("standard output was closed before everything was written", key="stdout") from None
    except OSError as exc:
        raise SpecError(f"cannot write to standard output ({exc.strerror or exc})", key="stdout") from None
