"""A spreadsheet handed in as a table of its cells (Google Sheets or Excel with its formulas shown, copied into a
Markdown table): `| B17 | dE/dw5 = dE/dout · h1 | =B16*B12 | ⇒ -0.68765 |`. Each row's label is the quantity and
the value the sheet displays is the claim, `$dE/dw5 = dE/dout · h1 = -0.68765$`; the formula over cell references
is the program that computed it and is not read. Positions are kept (each row's statement stands in its row)."""

from __future__ import annotations

import re

from .vocabulary import GREEK, NEW_WORDS, OLD_WORDS, alternation

#: a row of the table: its first cell an A1 reference (B17, C5, B5:B10), then the label, the formula or the entry,
#: and the value the sheet shows (after ⇒ or →, or bare); Markdown's pipes at its ends or not (a sheet copied as
#: text, "B15 | h1 | =$B$3*B8+$B$4*B9 | 0,8500000")
_ROW = re.compile(r"[ \t]*\|?[ \t]*(?P<cell>\$?[A-Z]{1,3}\$?[0-9]{1,5}(?::\$?[A-Z]{1,3}\$?[0-9]{1,5})?)[ \t]*"
                  r"\|(?P<label>[^|\n]*)\|(?P<formula>[^|\n]*)\|(?P<value>[^|\n]*)\|?[ \t]*")
_NUMBER = re.compile(r"[-−]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_TABLE_RULE = re.compile(r"[ \t]*\|(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*|[ \t]*\|(?:[^|\n]*\|)+[ \t]*")
#: a label's remark in brackets, "y (target)", "dE/dw5 (for the answer box)", and its prose before a colon,
#: "answer: dE/dw4"
_LABEL_REMARK = re.compile(r"[ \t]*\((?=[^()\n]*[A-Za-z]{3,})[^()\n+\-−*/=·^]*\)|^[ \t]*[A-Za-z][A-Za-z ]*:(?!=)[ \t]*")
#: a derivative typed as a fraction of d's in a label, dE/dout: ∂E/∂out
_D_FRACTION = re.compile(r"(?<![A-Za-z])d(?P<of>[A-Za-z][A-Za-z0-9_]*)[ \t]*/[ \t]*d(?P<wrt>[A-Za-z][A-Za-z0-9_]*)")
_GREEK_WORD = re.compile(r"(?<![\\A-Za-z])" + alternation(GREEK) + r"(?![A-Za-z])")
#: the error values a cell shows instead of a number
_ERROR_VALUE = re.compile(r"#(?:REF!|DIV/0!|VALUE!|N/A|NAME\?|NUM!|NULL!|ERROR!)")


def spreadsheet_rows(text: str) -> str:
    """The table's rows as statements, label = value (the table's header, its rule and the rows that show no single
    number blanked); text with no row whose formula starts with = is returned as is."""
    lines = text.split("\n")
    rows = [_ROW.fullmatch(line) for line in lines]
    if not any(r is not None and r["formula"].strip().startswith("=") for r in rows):
        return text
    out = []
    for line, row in zip(lines, rows, strict=True):
        if row is None:
            out.append(" " * len(line) if _TABLE_RULE.fullmatch(line) else line)
            continue
        out.append(_statement(row).ljust(len(line))[:len(line)])
    return "\n".join(out)


def _statement(row: re.Match[str]) -> str:
    """`$label = value$`, the value shown or, for a constant typed into the cell, the entry itself; "" when the
    row shows no single number (an error value #REF!, a range's list) or its label names no single quantity."""
    shown = row["value"].strip().lstrip("⇒→=> \t").strip()
    entry = row["formula"].strip()
    value = shown if shown else entry
    if re.fullmatch(r"[-−]?[0-9]+,[0-9]+", value):  # (a German sheet's decimal comma, 0,8500000)
        value = value.replace(",", ".")
    label = _D_FRACTION.sub(r"∂\g<of>/∂\g<wrt>", _LABEL_REMARK.sub("", row["label"]).strip())
    label = _GREEK_WORD.sub(r"\\\g<0>", label)  # (a Greek letter's name, Delta: LaTeX's \Delta, never Typst's)
    if not label or "…" in label or "..." in label or ":" in row["cell"]:
        return ""
    if _ERROR_VALUE.fullmatch(value):  # (#REF!: the quantity named, no value shown)
        return f"${label}$"
    if not _NUMBER.fullmatch(value):
        return ""
    words = label.split()
    if len(words) == 2 and words[1].lower() in NEW_WORDS | OLD_WORDS:  # ("w1 new": w1^{new})
        label = rf"{words[0]}^{{\text{{{words[1]}}}}}"
    return f"${label} = {value.replace('−', '-')}$"
