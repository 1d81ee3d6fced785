"""A derivation written as a two-column proof (the habit of high-school geometry): "Given:" and "Prove:" lines, then a
Markdown table | # | Statement | Reason |. Each statement is a line of math in LaTeX's inline delimiters \\( … \\)
(plain math in dollars with a bracketed script, e^(−x), would read as Typst's), its "∴" the mark of the
conclusion; but one whose reason is "Given" (the problem's premise) claims nothing of the student's. A reason
("Chain Rule", "Substitution (1, 2)") is prose and is set aside, as are the header, the rule, "Given:" (what is
assumed), "Prove:" (the goal, not yet a claim: the statements derive it) and "Q.E.D."."""

from __future__ import annotations

import re

#: the table's header: a number's column maybe, then the statements' and the reasons' columns
_HEADER = re.compile(r"[ \t]*\|(?:[ \t]*(?:#|No\.?|Step)[ \t]*\|)?[ \t]*(?:Statements?|Aussagen?|Affirmations?)[ \t]*\|"
                     r"[ \t]*(?:Reasons?|Justifications?|Begründung(?:en)?|Raisons?)[ \t]*\|[ \t]*", re.IGNORECASE)
_ROW = re.compile(r"[ \t]*\|(?:[ \t]*[0-9]{1,2}[.)]?[ \t]*\|)?(?P<statement>[^|\n]*)\|(?P<reason>[^|\n]*)\|[ \t]*")
_RULE = re.compile(r"[ \t]*\|(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*")
_SET_ASIDE = re.compile(r"[ \t]*(?:(?:Given|Prove|To prove|Show|Zu zeigen|Gegeben)[ \t]*:[^\n]*"
                        r"|Q\.?E\.?D\.?|∎|□)[ \t]*", re.IGNORECASE)
_RELATION = re.compile(r"=|≈")


def is_two_column(text: str) -> bool:
    """Has the text a table of statements and reasons?"""
    return any(_HEADER.fullmatch(line) for line in text.split("\n"))


def two_column(text: str) -> str:
    """Each statement with a relation in it as inline math on its row's line; the rest of the table and the proof's
    frame blank (line by line: the lines keep their numbers); other lines as they are."""
    out: list[str] = []
    in_table = False
    table: list[int] = []  # the current table's rows' lines
    for line in text.split("\n"):
        if _HEADER.fullmatch(line):
            in_table, table = True, []
            out.append("")
            continue
        row = _ROW.fullmatch(line) if in_table else None
        if in_table and _RULE.fullmatch(line):
            out.append("")
        elif row is not None:
            statement = row["statement"].strip()
            if statement.startswith("∴") and re.search(r"=[ \t]*\?$", statement):
                for k in table:  # (the conclusion left open, "∴ ∂E/∂b2 = ?": the table concludes nothing)
                    out[k] = ""
                table = []
                out.append("")
                continue
            table.append(len(out))
            statement = statement.removeprefix("∴").strip()
            given = re.match(r"[ \t]*Given\b", row["reason"], re.IGNORECASE) is not None
            relation = _RELATION.search(statement) is not None
            # (a statement in words, "b1 appears in …", is a fact; one given, the problem's premise, claims nothing
            # of the student's)
            out.append(rf"\({statement}\)" if relation and not given else "")
        elif _SET_ASIDE.fullmatch(line):
            in_table = False
            out.append("")
        else:
            in_table = in_table and not line.strip() == ""
            out.append(line)
    return "\n".join(out)
