"""Real TeX compiles: Chinese Beamer, overfull boxes, errors with their line, no shell escape, no reading outside."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from symbackprop.errors import SpecError
from symbackprop.render.compile import TexError, compile_pdf, overfull_boxes, parse_log, unwrap

pytestmark = pytest.mark.tex

needs_tex = pytest.mark.skipif(
    shutil.which("latexmk") is None or shutil.which("xelatex") is None,
    reason="latexmk/xelatex not installed (Debian: texlive-xetex texlive-latex-extra texlive-lang-chinese "
           "texlive-fonts-recommended latexmk lmodern fonts-noto-cjk; scripts/test.sh installs them)")


def write(directory: Path, name: str, body: str) -> Path:
    path = directory / name
    path.write_text(body, encoding="utf-8")
    return path


ARTICLE = "\\documentclass{article}\n\\begin{document}\n%s\n\\end{document}\n"


@needs_tex
def test_chinese_beamer_compiles(tmp_path):
    tex = write(tmp_path, "slides.tex", (
        "\\documentclass{ctexbeamer}\n"
        "\\begin{document}\n"
        "\\begin{frame}{反向传播}\n"
        "误差对权重的偏导数：$\\frac{\\partial E}{\\partial w_{5}} = \\delta_{o_{1}} \\cdot out_{h_{1}}$\n"
        "\\end{frame}\n"
        "\\end{document}\n"))
    result = compile_pdf(tex)
    assert result.pdf == tmp_path / "slides.pdf"
    assert result.pdf.read_bytes().startswith(b"%PDF")
    assert result.log == tmp_path / "slides.log"
    assert result.overfull == ()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(result.pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "反向传播" in text and "误差对权重的偏导数" in text


@needs_tex
def test_outdir_keeps_the_source_directory_clean(tmp_path):
    tex = write(tmp_path, "doc.tex", ARTICLE % "Hello.")
    result = compile_pdf(tex, outdir=tmp_path / "build")
    assert result.pdf == (tmp_path / "build" / "doc.pdf").resolve()
    assert result.pdf.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "doc.tex"]


@needs_tex
def test_overfull_lines_are_reported_with_their_amount(tmp_path):
    tex = write(tmp_path, "over.tex", ARTICLE % (
        "Fine text.\n\n"
        "Hello \\mbox{Superlongunbreakablewordsuperlongunbreakablewordsuperlongunbreakableword} x\n\n"
        "\\hbox to 100pt{\\hskip 100.5pt}\n"))  # overfull by 0.5pt: under the 1pt threshold
    result = compile_pdf(tex)
    assert len(result.overfull) == 1
    line = result.overfull[0]
    assert line.startswith("Overfull \\hbox (") and "in paragraph at lines 5--6" in line
    assert float(line.split("(")[1].split("pt")[0]) > 1
    assert "(0.5pt too wide)" in result.log.read_text(encoding="utf-8")  # present in the log, filtered out


@needs_tex
def test_overfull_with_pdflatex(tmp_path):
    tex = write(tmp_path, "over.tex", ARTICLE % "\\hbox to 2cm{\\hskip 3cm}")
    result = compile_pdf(tex, engine="pdflatex")
    assert len(result.overfull) == 1 and "detected at line 3" in result.overfull[0]


@needs_tex
def test_undefined_command_names_file_and_line(tmp_path):
    tex = write(tmp_path, "out.tex", ARTICLE % "Hello\nworld \\foo{x} more\n")
    with pytest.raises(TexError) as info:
        compile_pdf(tex)
    error = info.value
    assert str(error).startswith(f"{tex}:4: Undefined control sequence \\foo (TeX log: ")
    assert error.line == 4 and error.file == str(tex) and error.log == tmp_path / "out.log"
    assert isinstance(error, SpecError)  # the command line prints it as one line and exits 2


@needs_tex
def test_error_in_an_included_file_names_that_file(tmp_path):
    (tmp_path / "parts").mkdir()
    write(tmp_path / "parts", "chapter.tex", "One\n\\begin{itemize}\n\\item x\n\\end{enumerate}\n")
    tex = write(tmp_path, "main.tex", ARTICLE % "\\input{parts/chapter}")
    with pytest.raises(TexError) as info:
        compile_pdf(tex)
    assert str(info.value).startswith(f"{tmp_path / 'parts' / 'chapter.tex'}:4: LaTeX Error: \\begin{{itemize}}")


@needs_tex
def test_missing_package_suggests_debian_packages(tmp_path):
    tex = write(tmp_path, "pkg.tex", "\\documentclass{article}\n\\usepackage{nosuchpackagexyz}\n"
                                     "\\begin{document}\nx\n\\end{document}\n")
    with pytest.raises(TexError, match=r"nosuchpackagexyz\.sty' not found\. \(if it is a LaTeX package: install"):
        compile_pdf(tex)


@needs_tex
def test_shell_escape_never_runs(tmp_path, monkeypatch):
    body = ARTICLE % "\\immediate\\write18{touch pwned}\n\\input{|\"touch pwned2\"}\nhi"
    monkeypatch.setenv("shell_escape", "t")  # even if the environment asks for it
    tex = write(tmp_path, "shell.tex", body)
    try:
        compile_pdf(tex)
    except TexError:
        pass  # the piped \input is just a missing file then
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()
    assert "runsystem(touch pwned)...disabled" in (tmp_path / "shell.log").read_text(encoding="utf-8")
    # control: the same document does run the command when TeX is allowed to
    control = tmp_path / "control"
    control.mkdir()
    write(control, "shell.tex", ARTICLE % "\\immediate\\write18{touch pwned}\nhi")
    subprocess.run(["xelatex", "-shell-escape", "-interaction=batchmode", "-no-pdf", "shell.tex"], cwd=control,
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=120, check=False)
    assert (control / "pwned").exists()


@needs_tex
def test_latexmkrc_beside_the_document_is_not_run(tmp_path):
    write(tmp_path, "latexmkrc", "system('touch rcpwned');\n")
    write(tmp_path, ".latexmkrc", "system('touch rcpwned2');\n")
    compile_pdf(write(tmp_path, "doc.tex", ARTICLE % "hi"))
    assert not (tmp_path / "rcpwned").exists() and not (tmp_path / "rcpwned2").exists()


@needs_tex
@pytest.mark.parametrize("target", ["/etc/passwd", "../outside"])
def test_input_outside_the_document_tree_is_refused(tmp_path, target):
    (tmp_path / "outside.tex").write_text("SECRETMARKER\n", encoding="utf-8")
    doc = tmp_path / "doc"
    doc.mkdir()
    tex = write(doc, "doc.tex", ARTICLE % f"\\input{{{target}}}")
    with pytest.raises(TexError) as info:
        compile_pdf(tex)
    # paranoid openin_any: TeX acts as if the file did not exist
    assert str(info.value).startswith(f"{tex}:3: LaTeX Error: File `{target}.tex' not found.")
    log = (doc / "doc.log").read_text(encoding="utf-8")
    assert "SECRETMARKER" not in log and "root:x:0:0" not in log
    assert not (doc / "doc.pdf").exists()


@needs_tex
def test_openout_outside_the_document_tree_is_refused(tmp_path):
    target = tmp_path / "written.txt"
    doc = tmp_path / "doc"
    doc.mkdir()
    tex = write(doc, "doc.tex", ARTICLE.replace("\\begin{document}", "\\newwrite\\x\n\\begin{document}") % (
        f"\\immediate\\openout\\x={target}\n\\immediate\\write\\x{{gotcha}}\n\\immediate\\closeout\\x\n"))
    with pytest.raises(TexError, match=r"I can't write on file"):
        compile_pdf(tex)
    assert not target.exists()


@needs_tex
def test_endless_loop_times_out(tmp_path):
    tex = write(tmp_path, "loop.tex", ARTICLE % "\\loop\\iftrue\\repeat")
    with pytest.raises(TexError, match=r"loop\.tex: TeX did not finish within 5 s"):  # the limit, not a clock
        compile_pdf(tex, timeout=5)


def test_missing_latexmk_names_the_debian_packages(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on PATH
    tex = write(tmp_path, "doc.tex", ARTICLE % "hi")
    with pytest.raises(TexError, match=r"latexmk not found; install the Debian packages texlive-xetex .*noto-cjk"):
        compile_pdf(tex)


def test_missing_file_and_unknown_engine(tmp_path):
    with pytest.raises(TexError, match="no such file"):
        compile_pdf(tmp_path / "absent.tex")
    with pytest.raises(ValueError, match="unsupported TeX engine 'lualatex'"):
        compile_pdf(write(tmp_path, "doc.tex", ARTICLE % "hi"), engine="lualatex")


def test_unsafe_file_name_is_refused(tmp_path):
    tex = write(tmp_path, 'a"$(touch x).tex', ARTICLE % "hi")
    with pytest.raises(TexError, match="unsafe characters"):
        compile_pdf(tex)


# --- log parsing, without TeX ---

def test_parse_log_wrapped_at_79_characters():
    message = "LaTeX Error: File `averyveryveryveryveryveryverylongpackagenamethatwraps.sty' not found."
    line = f"./some/deeply/nested/directory/doc.tex:12: {message}"
    wrapped = [line[i:i + 79] for i in range(0, len(line), 79)]
    log = "\n".join(["This is XeTeX", *wrapped, "", "l.12 \\usepackage",
                     "Overfull \\hbox (2.5pt too wide) in paragraph at lines 3--4", ""])
    assert len(wrapped) == 2 and all(len(row) <= 79 for row in log.splitlines())
    assert unwrap(log)[1] == line
    found = parse_log(log)
    assert found is not None
    assert (found.file, found.line, found.message) == ("some/deeply/nested/directory/doc.tex", 12, message)
    assert overfull_boxes(log) == ("Overfull \\hbox (2.5pt too wide) in paragraph at lines 3--4",)


def test_parse_log_bang_error_without_file():
    log = "(./doc.tex\n! Missing number, treated as zero.\n<to be read again> \n   x\nl.7 \\hskip x\n"
    found = parse_log(log)
    assert found is not None
    assert (found.file, found.line, found.message) == (None, 7, "Missing number, treated as zero.")


def test_parse_log_joins_package_error_continuation_lines():
    log = ("./doc.tex:3: Package inputenc Error: Unicode character 中 (U+4E2D)\n"
           "(inputenc)                not set up for use with LaTeX.\n\nl.3 中\n")
    found = parse_log(log)
    assert found is not None
    assert found.message == "Package inputenc Error: Unicode character 中 (U+4E2D) not set up for use with LaTeX."


def test_overfull_threshold_and_vbox():
    log = ("Overfull \\hbox (0.99pt too wide) in paragraph at lines 1--2\n"
           "Overfull \\hbox (1.01pt too wide) detected at line 9\n"
           "Overfull \\vbox (12.0pt too high) has occurred while \\output is active []\n"
           "Underfull \\hbox (badness 10000) in paragraph at lines 5--6\n")
    assert overfull_boxes(log) == ("Overfull \\hbox (1.01pt too wide) detected at line 9",
                                   "Overfull \\vbox (12.0pt too high) has occurred while \\output is active []")


def _fit_macros() -> str:
    """\\sbpfit and \\sbpend as the templates define them (templates/_preamble.tex.j2)."""
    text = (Path(__file__).parents[1] / "templates" / "_preamble.tex.j2").read_text(encoding="utf-8")
    return text[text.index("\\newsavebox\\sbpbox"):]


@needs_tex
def test_a_display_shrunk_below_85_percent_and_a_frame_cut_off_are_reported(tmp_path):
    tex = write(tmp_path, "deck.tex", (
        "\\documentclass[t]{beamer}\n\\usepackage{adjustbox}\n" + _fit_macros() + "\\begin{document}\n"
        "\\begin{frame}{Fits}\n\\sbpfit{display}{\\linewidth}{0.5\\textheight}{$x + y$}\n\\sbpend\n\\end{frame}\n"
        "\\begin{frame}{Wide}\n\\sbpfit{display}{\\linewidth}{0.5\\textheight}{\\rule{1.5\\linewidth}{1pt}}\n"
        "\\sbpfit{figure}{\\linewidth}{0.5\\textheight}{\\rule{3\\linewidth}{1pt}}\n\\sbpend\n\\end{frame}\n"
        "\\begin{frame}{Tall}\n\\rule{1pt}{1.2\\textheight}\n\\sbpend\n\\end{frame}\n"
        "\\end{document}\n"))
    result = compile_pdf(tex)
    # the display at 1/1.5 = 67 %; a figure may be shrunk (it is not text); only the third frame runs off
    assert len(result.shrunk) == 1 and result.shrunk[0].startswith("page 2: a display shrunk to 67% (")
    assert len(result.overflow) == 1 and result.overflow[0].startswith("page 3: the content runs")
