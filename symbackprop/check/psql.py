"""A PostgreSQL psql session pasted as the hand-in: "bp=> SELECT w1*x1 + w3*x2 AS in_h1 FROM w, x;" (a prompt,
"bp->" on the lines that go on), then the result's table (a header of column names, a dashed rule, the values,
"(1 row)"); tables made with CREATE TABLE … AS SELECT and read back by later queries; "--" comments. Each column
of a query is the student's statement: its alias is the name, its expression the formula and the printed value
its number, `$\text{in_h1} = w_{1} x_{1} + w_{3} x_{2} = 0.25$`; a table's columns, computed without printing,
are definitions (alias = expression). An aggregate or a subquery (sum over the outputs' rows) leaves the value
alone; a literal (0.20::float8 AS w1) is a given number stored, and an UPDATE's RETURNING, a comment and the
rest of the session say nothing to check: blanks, positions kept."""

from __future__ import annotations

import re

from .mathematica import split_outside
from .sessions import call_powers, code_expr
from .tokens import _blank

_PROMPT = re.compile(r"(?P<prompt>[A-Za-z_][\w]*(?:=>|->|=#|-#|\(>)[ \t]?)(?P<sql>[^\n]*)")
_ROWS = re.compile(r"[ \t]*\([0-9]+ rows?\)[ \t]*")
_RULE = re.compile(r"[ \t]*-+(?:\+-+)*[ \t]*")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_SELECT = re.compile(r"(?is)^[ \t]*(?:CREATE[ \t]+(?:TEMP(?:ORARY)?[ \t]+)?TABLE[ \t]+\w+[ \t]+AS[ \t]+)?"
                     r"SELECT[ \t]+(?P<items>.*?)(?:[ \t]+FROM\b.*)?;[ \t]*$")
_ITEM = re.compile(r"(?is)(?P<expr>.*?)(?:[ \t]+AS[ \t]+(?P<alias>[A-Za-z_]\w*))?[ \t]*")
#: what the math cannot say of a query: an aggregate over rows, a subquery, a window, a CASE
_BEYOND = re.compile(r"(?i)\b(?:sum|avg|count|min|max|select|over|case)\b|\(\s*select")
_FUNCTIONS = re.compile(r"(?i)\b(?:exp|ln|sqrt|tanh)\b")


def is_psql(text: str) -> bool:
    """Is the text a psql session: its prompt ("db=>") and a result's row count, "(1 row)"?"""
    lines = text.split("\n")
    return any(_ROWS.fullmatch(line) for line in lines) and any(
        (m := _PROMPT.fullmatch(line)) is not None and "=" in m["prompt"] for line in lines)


def _math(expr: str) -> str | None:
    """A column's expression as math (casts dropped, power(a, b) as a power), or None where it says more than a
    formula can (an aggregate, a subquery) or names a function we do not know."""
    expr = re.sub(r"::[ \t]*\w+", "", expr).strip()
    if _BEYOND.search(expr):
        return None
    expr = call_powers(expr, "power")
    if re.search(r"[A-Za-z_]\w*[ \t]*\(", _FUNCTIONS.sub("", expr)):
        return None
    return code_expr(expr, True)


def _statements(sql: str, values: dict[str, str]) -> list[str]:
    """The statements a query makes: each column's alias, its formula, the value printed for it."""
    select = _SELECT.match(sql)
    if select is None:
        return []
    out = []
    for item in split_outside(select["items"], ","):
        m = _ITEM.fullmatch(item.strip())
        if m is None:
            continue
        expr, alias = m["expr"].strip(), m["alias"] or m["expr"].strip()
        if not re.fullmatch(r"[A-Za-z_]\w*", alias) or _NUMBER.fullmatch(re.sub(r"::[ \t]*\w+", "", expr).strip()):
            continue  # (a given number stored: 0.20::float8 AS w1)
        formula = _math(expr) if expr != alias else None
        sides = [code_expr(alias, True)] + ([formula] if formula else []) + (
            [values[alias]] if alias in values else [])
        if len(sides) > 1:
            out.append("$" + " = ".join(sides) + "$")
    return out


def _table(lines: list[str]) -> dict[str, str]:
    """A result's single row: column → value (no row, or several, say nothing one value could)."""
    body = [line for line in lines if line.strip()]
    if len(body) < 4 or not _RULE.fullmatch(body[1]) or not _ROWS.fullmatch(body[3]):
        return {}
    names = [c.strip() for c in body[0].split("|")]
    values = [c.strip() for c in body[2].split("|")]
    return {n: v for n, v in zip(names, values, strict=False) if _NUMBER.fullmatch(v)}


def psql(text: str) -> str:
    """The session's statements (see the module's docstring), each on a line of its query or its result."""
    lines = text.split("\n")
    out = [_blank(line) for line in lines]
    k = 0
    while k < len(lines):
        m = _PROMPT.fullmatch(lines[k])
        if m is None or m["sql"].lstrip().startswith("--"):
            k += 1
            continue
        start, sql = k, m["sql"]
        while not sql.rstrip().endswith(";") and k + 1 < len(lines) and (
                (go := _PROMPT.fullmatch(lines[k + 1])) is not None and "-" in go["prompt"]):
            k += 1
            sql += " " + go["sql"]
        k += 1
        result = k
        while k < len(lines) and _PROMPT.fullmatch(lines[k]) is None:
            k += 1
        statements = _statements(sql, _table(lines[result:k]))
        room = k - start
        placed = [*statements[:room - 1], " ".join(statements[room - 1:])] if len(statements) > room else statements
        for j, s in enumerate(placed):
            out[start + j] = s.ljust(len(lines[start + j]))
    return "\n".join(out)
