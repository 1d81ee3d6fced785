"""Jupyter's display protocol: networks, derivations, equations and check reports show themselves as
rendered math (Markdown with $…$/$$…$$, which JupyterLab and VS Code typeset with MathJax/KaTeX).

The objects keep no layout of their own: each `_repr_markdown_` asks symbackprop.jupyter, with which these
functions are registered when this module is imported (the package's __init__ imports it).
"""

from __future__ import annotations

from typing import Any

from ..derive import Derivation
from ..jupyter import writes_markdown
from ..network import Network
from ..notation import Notation
from .document import render
from .tex import describe, escape_markdown


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
