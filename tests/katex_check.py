"""Find the math in Markdown the way Jupyter does, and validate every formula with KaTeX.

`math_spans` is a port of JupyterLab's `removeMath` (@jupyterlab/rendermime, itself from MathJax's
StackExchange editor): `$$…$$` and `\\\\[…\\\\]` are display math, `$…$` and `\\\\(…\\\\)` inline, a bare
`\\begin{env}…\\end{env}` is display math too; math never crosses a blank line, `$` inside braces does not close
it, `\\$` is no delimiter, and dollars in code spans and fenced code blocks are ignored.

`katex_errors` runs `node tests/katex/validate.mjs` once for all formulas (KaTeX pinned in
tests/katex/package-lock.json; `npm ci --prefix tests/katex` installs it, scripts/test.sh does).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

KATEX_DIR = Path(__file__).resolve().parent / "katex"
VALIDATOR = KATEX_DIR / "validate.mjs"

# JupyterLab's MATHSPLIT: delimiters, escaped \{ \} \$, braces, runs of newlines, and \\( \\) \\[ \\]
_MATHSPLIT = re.compile(r"(\$\$?|\\(?:begin|end)\{[a-z]*\*?\}|\\[{}$]|[{}]|(?:\n\s*)+|@@\d+@@|\\\\(?:\(|\)|\[|\]))",
                        re.IGNORECASE)
_FENCE = re.compile(r"^(?P<fence>`{3,}|(?:~T){3,})[^`\n]*\n[\s\S]*?^(?P=fence)`*$", re.MULTILINE)
_CODE_SPAN = re.compile(r"(^|[^\\])(`+)([^\n]*?[^`\n])\2(?!`)", re.MULTILINE)


class KatexUnavailable(RuntimeError):
    """node or the pinned KaTeX is not installed."""


def math_spans(markdown: str) -> list[tuple[str, bool]]:
    """Every formula of `markdown` as (TeX without its delimiters, display?), in order."""
    text = markdown
    if "`" in text or "~~~" in text:  # hide the dollars of code from the splitter, as Jupyter does
        text = text.replace("~", "~T")
        text = _FENCE.sub(lambda m: m.group(0).replace("$", "~D"), text)
        text = _CODE_SPAN.sub(lambda m: m.group(0).replace("$", "~D"), text)
    blocks = _MATHSPLIT.split(text.replace("\r\n", "\n").replace("\r", "\n"))

    spans: list[tuple[str, bool]] = []

    def take(first: int, last: int) -> None:
        opener = blocks[first]
        body = "".join(blocks[first:last + 1]).replace("~D", "$").replace("~T", "~")
        if opener == "$$":
            spans.append((body[2:-2], True))
        elif opener == "$":
            spans.append((body[1:-1], False))
        elif opener in ("\\\\[", "\\\\("):
            spans.append((body[3:-3], opener == "\\\\["))
        else:  # \begin{env}...\end{env}
            spans.append((body, True))

    start: int | None = None
    end: str | None = None
    last: int | None = None
    braces = 0
    i = 1
    while i < len(blocks):
        block = blocks[i]
        if block.startswith("@"):
            pass
        elif start is not None:
            if block == end:
                if braces:
                    last = i
                else:
                    take(start, i)
                    start, end, last = None, None, None
            elif re.search(r"\n.*\n", block):  # a blank line ends the attempt
                if last is not None:
                    i = last
                    take(start, i)
                start, end, last, braces = None, None, None, 0
            elif block == "{":
                braces += 1
            elif block == "}" and braces:
                braces -= 1
        elif block in ("$", "$$"):
            start, end, braces = i, block, 0
        elif block in ("\\\\(", "\\\\["):
            start, end, braces = i, "\\\\)" if block.endswith("(") else "\\\\]", 0
        elif block[:7] == "\\begin{":
            start, end, braces = i, "\\end" + block[6:], 0
        i += 2
    if start is not None and last is not None:
        take(start, last)
    return spans


def katex_unavailable() -> str | None:
    """Why KaTeX cannot run here (None when it can)."""
    if shutil.which("node") is None:
        return "node is not installed (Debian: apt-get install nodejs npm)"
    if not (KATEX_DIR / "node_modules" / "katex").is_dir():
        return f"KaTeX is not installed: run `npm ci --prefix {KATEX_DIR}` (scripts/test.sh does)"
    return None


def katex_errors(spans: list[tuple[str, bool]]) -> list[tuple[str, str]]:
    """(TeX, KaTeX's error) for every formula that KaTeX rejects; raises KatexUnavailable without node/KaTeX."""
    reason = katex_unavailable()
    if reason is not None:
        raise KatexUnavailable(reason)
    if not spans:
        return []
    payload = json.dumps([{"tex": tex, "display": display} for tex, display in spans])
    proc = subprocess.run(["node", str(VALIDATOR)], input=payload, capture_output=True, text=True,
                          encoding="utf-8", timeout=120, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{VALIDATOR} failed (exit {proc.returncode}): {proc.stderr.strip()}")
    return [(spans[failure["index"]][0], failure["error"]) for failure in json.loads(proc.stdout)]
