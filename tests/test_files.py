"""files.py: reading what a user names and writing what we make, through its functions.

Reading: only a regular file, of at most the size limit, checked before it is opened (a FIFO is refused without
waiting for a writer); every problem is one SpecError naming the file. Text: UTF-8 with an optional byte-order
mark, \\r\\n and \\r read as \\n, an undecodable byte named by line and column. Writing: through a temporary file
in the same directory renamed into place (no temporary file is left, an existing file keeps its mode), never over
an input, a device written directly. One-line text for titles and ids; control characters made visible.

test_hostile_input.py drives the command line through several of these (a FIFO, a huge file, an interrupted
write, an output that is an input); here each function's own contract.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbackprop.errors import SpecError
from symbackprop.files import (
    decode_text,
    load_toml,
    one_line,
    parse_toml,
    printable,
    read_bytes,
    read_text,
    refuse_inputs,
    write_stdout,
    write_text,
)
from symbackprop.limits import MAX_FILE_BYTES, MAX_TITLE

WHAT = "a TOML spec file"


def refused(path: object, *fragments: str, limit: int = MAX_FILE_BYTES) -> SpecError:
    with pytest.raises(SpecError) as err:
        read_bytes(path, WHAT, limit)  # type: ignore[arg-type]
    text = str(err.value)
    assert len(text.splitlines()) == 1, text
    for fragment in fragments:
        assert fragment in text, (fragment, text)
    return err.value


# --- reading -----------------------------------------------------------------------------------------------

def test_a_file_up_to_the_limit_is_read_whole_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "spec.toml"
    path.write_bytes(b"a" * 1000)
    assert read_bytes(path, WHAT, limit=1000) == b"a" * 1000
    e = refused(path, "1 000 bytes", "limited to 999 bytes", limit=999)
    assert e.source == str(path)


def test_the_default_limit_is_the_documented_one(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    with open(path, "wb") as f:  # sparse: the size is what is refused, nothing is read
        f.truncate(MAX_FILE_BYTES + 1)
    refused(path, f"{MAX_FILE_BYTES + 1:,}".replace(",", " "), "TOML spec files are limited to")
    with open(path, "r+b") as f:
        f.truncate(MAX_FILE_BYTES)
    assert len(read_bytes(path, WHAT)) == MAX_FILE_BYTES


def test_a_directory_is_refused(tmp_path: Path) -> None:
    refused(tmp_path, "is a directory", f"expected the path of {WHAT}")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    result: list[BaseException | bytes] = []
    worker = threading.Thread(target=lambda: result.append(_catch(fifo)), daemon=True)
    worker.start()
    worker.join(timeout=20)  # opening a FIFO for reading would block here until a writer comes
    if worker.is_alive():  # unblock the reader before failing, so that the test run ends
        with open(fifo, "wb"):
            pass
        pytest.fail("read_bytes waited on a FIFO")
    assert isinstance(result[0], SpecError) and "not a regular file" in str(result[0])


def _catch(path: Path) -> BaseException | bytes:
    try:
        return read_bytes(path, WHAT)
    except SpecError as exc:
        return exc


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_a_device_is_refused() -> None:
    refused("/dev/null", "not a regular file (a pipe or a device)", WHAT)


def test_a_missing_file_and_a_broken_link(tmp_path: Path) -> None:
    refused(tmp_path / "nothing.toml", "file not found", f"expected the path of {WHAT}")
    link = tmp_path / "dangling.toml"
    link.symlink_to(tmp_path / "gone.toml")
    refused(link, "a broken symbolic link", WHAT)


def test_a_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.toml").write_bytes(b"x = 1\n")
    (tmp_path / "link.toml").symlink_to(tmp_path / "real.toml")
    assert read_bytes(tmp_path / "link.toml", WHAT) == b"x = 1\n"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.toml"
    path.write_bytes(b"x = 1\n")
    path.chmod(0)
    try:
        refused(path, "permission denied", "expected a readable TOML spec file")
    finally:
        path.chmod(0o600)


@pytest.mark.parametrize(("path", "says"), [("", "got an empty string"), ("  ", "got an empty string"),
                                            ("a\0b.toml", "contains a NUL byte")])
def test_paths_that_name_no_file(path: str, says: str) -> None:
    refused(path, says, f"expected the path of {WHAT}")


def test_a_name_with_control_characters_is_shown_harmlessly(tmp_path: Path) -> None:
    e = refused(tmp_path / "x\x1b[2Jy.toml", "file not found")
    assert "\x1b" not in str(e) and "\\x1b[2J" in str(e)


# --- text ---------------------------------------------------------------------------------------------------

def test_text_is_utf8_with_an_optional_byte_order_mark_and_any_line_end(tmp_path: Path) -> None:
    assert decode_text("a = 1\r\nb = 'é'\rc = 3\n".encode(), "s") == "a = 1\nb = 'é'\nc = 3\n"
    assert decode_text(b"\xef\xbb\xbfa = 1\n", "s") == "a = 1\n"
    path = tmp_path / "s.toml"
    path.write_bytes("\ufefftitle = 'α'\r\n".encode())
    assert read_text(path, WHAT) == "title = 'α'\n"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
                        max_size=12), min_size=1, max_size=5),
       st.integers(0, 4), st.integers(0, 11))
def test_an_undecodable_byte_is_named_by_line_and_column(lines: list[str], row: int, column: int) -> None:
    """A 0xff byte inserted between two characters of a line is reported at its line and column (counted in bytes,
    from 1)."""
    row = min(row, len(lines) - 1)
    encoded = [line.encode() for line in lines]
    before = lines[row][:column].encode()
    column = len(before)
    encoded[row] = before + b"\xff" + encoded[row][column:]
    with pytest.raises(SpecError) as err:
        decode_text(b"\n".join(encoded), "file.toml")
    text = str(err.value)
    assert text.startswith("file.toml: not UTF-8 text: byte 0xff")
    assert f"at line {row + 1}, column {column + 1} cannot be decoded" in text, text
    assert "expected a UTF-8 encoded TOML file" in text


def test_toml_is_parsed_and_its_errors_are_one_line_with_the_position(tmp_path: Path) -> None:
    path = tmp_path / "spec.toml"
    path.write_text("a = 1\n[t]\nb = [1, 2]\n", encoding="utf-8")
    assert load_toml(path, WHAT) == {"a": 1, "t": {"b": [1, 2]}}
    with pytest.raises(SpecError) as err:
        parse_toml("a = 1\nb = = 2\n", "s.toml")
    text = str(err.value)
    assert text.startswith("s.toml: malformed TOML at line 2, column 5: ") and len(text.splitlines()) == 1
    assert text.endswith("expected a valid TOML document")
    with pytest.raises(SpecError, match=r"malformed TOML at the end of the file \(line 2\)"):
        parse_toml("a = 1\nb = ", "s.toml")


def test_pathological_toml_is_one_error() -> None:
    with pytest.raises(SpecError, match="nested too deeply"):
        parse_toml("a = " + "[" * 50_000 + "]" * 50_000, "s.toml")
    with pytest.raises(SpecError, match="expected numbers of ordinary size") as err:
        parse_toml("a = " + "9" * 5000, "s.toml")
    assert "sys.set_int_max_str_digits" not in str(err.value)


# --- writing -----------------------------------------------------------------------------------------------

def test_a_new_file_is_written_whole_and_nothing_else_is_left(tmp_path: Path) -> None:
    out = tmp_path / "out.tex"
    write_text(out, "α\nβ\n")
    assert out.read_bytes() == "α\nβ\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.tex"]  # no .part file
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask  # as open() would have made it


def test_an_existing_file_is_replaced_and_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    before = out.stat().st_ino
    write_text(out, "new")
    assert out.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.stat().st_ino != before  # a new file renamed into place, not the old one truncated
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"]


def test_an_input_is_never_written_over(tmp_path: Path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text("x = 1\n", encoding="utf-8")
    link = tmp_path / "alias.toml"
    link.symlink_to(spec)
    for output in (spec, link, tmp_path / "." / "spec.toml", str(spec)):
        with pytest.raises(SpecError) as err:
            write_text(output, "y = 2\n", inputs=[str(spec)])
        assert "refusing to write over an input file" in str(err.value)
    assert spec.read_text(encoding="utf-8") == "x = 1\n"
    refuse_inputs([tmp_path / "other.toml"], [spec, ""])  # another name is fine; an empty input names nothing


def test_a_directory_is_not_an_output(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="is a directory; expected an output file name"):
        write_text(tmp_path, "x")


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_a_device_is_written_directly() -> None:
    write_text("/dev/null", "discarded")  # no temporary file beside /dev/null, no rename over it
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_an_output_in_a_missing_directory_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as err:
        write_text(tmp_path / "no" / "such" / "out.tex", "x")
    assert "cannot write the output" in str(err.value) and err.value.source.endswith("out.tex")


def test_an_empty_output_name(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as err:
        write_text("", "x", key="-o")
    assert err.value.key == "-o" and "expected the path of an output file" in str(err.value)


def test_a_closed_standard_output_is_one_error(monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", Closed())
    with pytest.raises(SpecError) as err:
        write_stdout("text")
    assert err.value.key == "stdout" and "closed" in str(err.value)


# --- one line of printable text ------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "says"), [
    ("a\nb", "a line break at position 2"),
    ("ab\u2028", "a line break at position 3"),
    ("\x07bell", "the control character U+0007 at position 1"),
    ("x\x9b", "the control character U+009B at position 2"),
    ("x" * (MAX_TITLE + 1), f"expected at most {MAX_TITLE} characters, got {MAX_TITLE + 1}"),
    (5, "expected a string, got int"),
])
def test_one_line_refuses_what_would_break_a_line_or_a_terminal(value: object, says: str) -> None:
    with pytest.raises(SpecError) as err:
        one_line(value, "title", source="s.toml")
    assert err.value.key == "title" and err.value.source == "s.toml" and says in str(err.value)


def test_one_line_accepts_ordinary_text() -> None:
    for text in ("Backpropagation: 2-2-2 σ", "反向传播 100% sure", "x" * MAX_TITLE, ""):
        assert one_line(text, "title") == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_printable_shows_each_control_character_and_keeps_the_rest(text: str) -> None:
    """Every control character but \\t and \\n becomes \\xNN (\\uNNNN past 0xff); every other character stays."""
    shown = printable(text)
    controls = [c for c in text if (ord(c) < 32 and c not in "\t\n") or 0x7f <= ord(c) <= 0x9f or c in "\u2028\u2029"]
    k = 0
    for c in text:
        if c in controls:
            escape = f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"
            assert shown[k:k + len(escape)] == escape, (text, shown)
            k += len(escape)
        else:
            assert shown[k] == c
            k += 1
    assert k == len(shown)
