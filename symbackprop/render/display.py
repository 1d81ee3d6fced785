"""Jupyter's display protocol: networks, derivations, equations and check reports show themselves as
rendered math (Markdown with $…$/$$…$$, which JupyterLab and VS Code typeset with MathJax/KaTeX).

The objects keep no layout of their own: each `_repr_markdown_` asks symbackprop.jupyter, with which these
functions are registered when this module is imported (the package's __init__ imports it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..derive import Derivation
from ..jupyter import writes_markdown
from ..network import Network
from ..notation import Notation
from .document import render
from .tex import describe, escape_markdown

if TYPE_CHECKING:
    from ..check.run import FileResult

MARK = {"correct": "✓", "rounding": "≈", "incorrect": "✗", "unchecked": "–"}


@writes_markdown(Network)
def network_markdown(net: Network) -> str:
    """The architecture in one line, then the forward definitions and the loss."""
    nt = Notation(net)
    title = escape_markdown(net.spec.title or net.spec.source)
    parts = [f"**{title}** — {escape_markdown(describe(net))}", ""]
    rows = [f"{nt.latex_names[s]} &= {nt.latex(q.display if q.display is not None else q.definition)}"
            for s, q in net.quantities.items() if q.definition is not None]
    parts.append("$$\n\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}\n$$")
    return "\n".join(parts)


@writes_markdown(Derivation)
def derivation_markdown(d: Derivation, lang: str = "en", **options: Any) -> str:
    """The whole derivation as the Markdown lecture (render --format markdown)."""
    return render(d, "markdown", lang, **options)


def check_markdown(result: FileResult) -> str:
    """A check report: per answer its verdict, each line with ✓/≈/✗ and the note, the diagnosis."""
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
