"""Check results as text for the terminal and as JSON (a contract: fields may be added, never removed)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from ..render.tex import TeX, environment, escape_markdown, escape_tex, strings
from .catalogue import say
from .verdicts import MARK

if TYPE_CHECKING:  # the results' types only: run.py imports this module to show a FileResult in Jupyter
    from .run import AnswerResult, FileResult



def result_json(result: FileResult) -> dict[str, Any]:
    """{"answers": [{"id", "verdict", "lines": [{"latex", "verdict", "message"}], "diagnosis": [...]}],
    "summary": {...}}"""
    answers = [answer_json(a) for a in result.answers]
    verdicts = Counter(a.verdict for a in result.answers)
    return {
        "source": result.source,
        "answers": answers,
        "summary": {"answers": len(answers), "correct": verdicts["correct"], "incorrect": verdicts["incorrect"],
                    "unparseable": verdicts["unparseable"], "refused": verdicts["refused"],
                    "all_correct": result.all_correct},
    }


def answer_json(a: AnswerResult) -> dict[str, Any]:
    return {
        "id": a.id,
        "quantity": a.quantity,
        "verdict": a.verdict,
        "message": a.message,
        "latex": a.latex,
        "first_wrong": a.first_wrong,
        "lines": [{"latex": line.latex, "verdict": line.verdict, "message": line.message,
                   "expected": line.expected} for line in a.lines],
        "diagnosis": [{"kind": d.kind, "message": d.message, "corrected": d.corrected, "line": d.line}
                      for d in a.diagnosis],
    }


def result_text(result: FileResult, lang: str = "en") -> str:
    s = strings(lang)
    out = [result.source]
    for a in result.answers:
        out.append(f"{a.id} ({a.quantity}): {getattr(s, 'verdict_' + a.verdict)}"
                   + (f" — {a.message}" if a.message else ""))
        for line in a.lines:
            out.append(f"  {MARK.get(line.verdict, '?')} {' '.join(line.latex.split())}")
            out.append(f"      {line.message}")
        for d in a.diagnosis:
            out.append(f"  → {d.kind.replace('_', ' ')}: {d.message}")
            out.append(f"    {s.correct_line}: {d.corrected}")
    verdicts = Counter(a.verdict for a in result.answers)
    out.append(say("summary", lang, k=verdicts["correct"], n=len(result.answers))
               + "".join(f", {n} {getattr(s, 'verdict_' + v)}" for v, n in sorted(verdicts.items()) if v != "correct"))
    return "\n".join(out) + "\n"


def _mixed(text: str) -> TeX:
    """A message of ours: prose (escaped) with $…$ math that symbackprop generated from network names."""
    parts = text.split("$")
    if len(parts) % 2 == 0:  # unbalanced: show it all as text
        return escape_tex(text)
    return TeX("".join(escape_tex(p) if k % 2 == 0 else f"${p}$" for k, p in enumerate(parts)))


def feedback_tex(result: FileResult, lang: str = "en") -> str:
    """The LaTeX feedback sheet; student LaTeX appears only as escaped text, never as code."""
    return class_feedback_tex([result_json(result)], lang)


def class_feedback_tex(sheets: Sequence[Mapping[str, Any]], lang: str = "en") -> str:
    """One document with a feedback sheet per file (result_json's dicts, or {"source", "error"} for a file that
    could not be checked), each on its own pages: a class's sheets to print and hand back."""
    out = []
    for sheet in sheets:
        answers = []
        for a in sheet.get("answers", []):
            answers.append(SimpleNamespace(
                id=a["id"], quantity=a["quantity"], verdict=a["verdict"], message=escape_tex(a["message"]),
                latex=escape_tex(" ".join(a.get("latex", "").split())[:500]),
                lines=[SimpleNamespace(latex=escape_tex(" ".join(line["latex"].split())), verdict=line["verdict"],
                                       message=_mixed(line["message"]), expected=TeX(line["expected"]))
                       for line in a["lines"]],
                diagnosis=[SimpleNamespace(message=_mixed(d["message"]), corrected=TeX(d["corrected"]))
                           for d in a["diagnosis"]]))
        out.append(SimpleNamespace(source=sheet.get("source") or sheet.get("file", ""), answers=answers,
                                   error=sheet.get("error", ""),
                                   correct=sum(a.verdict == "correct" for a in answers)))
    return environment("tex").get_template("feedback.tex.j2").render(s=strings(lang), sheets=out)


def result_markdown(result: FileResult) -> str:
    """Jupyter's view of a check report (FileResult._repr_markdown_): per answer its verdict, each line with
    ✓/≈/✗ and the note, the diagnosis as rendered math."""
    out = [f"**{escape_markdown(result.source)}**", ""]
    for a in result.answers:
        out.append(f"**{escape_markdown(a.id)}** (`{a.quantity}`): **{a.verdict}**"
                   + (f" — {escape_markdown(a.message)}" if a.message else ""))
        out.append("")
        if a.lines:
            out += ["| | line | note |", "|---|---|---|"]
            for line in a.lines:
                written = " ".join(line.latex.split()).replace("|", "\\|").replace("`", "'")
                note = line.message.replace("|", "\\|")
                out.append(f"| {MARK.get(line.verdict, '?')} | `{written}` | {note} |")
            out.append("")
        for dg in a.diagnosis:
            out += [f"→ *{dg.kind.replace('_', ' ')}*: {dg.message}", "", f"$$\n{dg.corrected}\n$$", ""]
    return "\n".join(out)
