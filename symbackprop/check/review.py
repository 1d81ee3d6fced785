"""A merge request's or pull request's page copied as text (GitLab, GitHub): the solution as diff hunks ("@@ -0,0
+1,14 @@", then "+ " lines), review threads with a "Suggested change" (its "-" line the old text, its "+" line the
new), and the page's chrome (tabs, pipeline badge, file stats, comment headers, "Resolved thread"). What the student
added is read: a "+" line without its mark; a removed "-" line and the chrome are blanks (positions kept)."""

from __future__ import annotations

import re

from .tokens import _blank

_HUNK = re.compile(r"[ \t]*@@[ \t]+-[0-9]+(?:,[0-9]+)?[ \t]+\+[0-9]+(?:,[0-9]+)?[ \t]+@@[^\n]*")
_SUGGESTION = re.compile(r"[ \t]*Suggested change[ \t]*")
#: the page's chrome: a comment's header ("💬 t.nguyen (Teaching Assistant) @t.nguyen · 1 hour ago"), the tabs, the
#: pipeline's badge, a file's name and its counts ("solutions/hw4_q3.md  +58 −0"), "requested to merge", a thread
#: resolved, a suggestion applied
_CHROME = re.compile(r"[^\n]*·[ \t]*(?:[0-9]{1,3}|an?)[ \t]+(?:second|minute|hour|day|week|month|year)s?[ \t]+ago[^\n]*"
                     r"|[ \t]*(?:Overview|Conversation)[ \t]+[0-9]+[ \t]+(?:Commits|Changes)[^\n]*"
                     r"|[^\n]*\bPipeline[ \t]+#[0-9]+[^\n]*|[^\n]*\brequested to merge\b[^\n]*"
                     r"|[ \t]*[\w./-]+\.[A-Za-z]{1,8}[ \t]+\+[0-9]+[ \t]+[-−][0-9]+[ \t]*"
                     r"|[^\n]*\b(?:[Rr]esolved (?:all )?threads?|Applied the suggestion)\b[^\n]*"
                     r"|[^\n]*Merge requests[ \t]*/[ \t]*![0-9]+[^\n]*")


_AUTHOR = re.compile(r"(?m)^[ \t]*(?:Open|Merged|Draft)?[ \t]*(?P<author>[^\n]{1,40}?)[ \t]+requested to merge\b")
_COMMENT_HEADER = re.compile(r"[^\w\n]*(?P<name>[^@\s(][^@\n(]{0,39}?)[ \t]*(?:\([^()\n]*\)[ \t]*)?@[\w.-]+[ \t]*·"
                             r"[^\n]*ago")


def is_review(text: str) -> bool:
    """Is the text a merge request's page: a diff hunk's header, a suggested change, or a comment's header above
    an added line; or added lines only, a fenced block among them?"""
    lines = text.split("\n")
    return any(_HUNK.fullmatch(line) or _SUGGESTION.fullmatch(line) for line in lines) \
        or (any(_COMMENT_HEADER.fullmatch(line) for line in lines) and any(line[:2] == "+ " for line in lines)) \
        or (any(line.startswith("+ ```") for line in lines) and all(line[:1] == "+" for line in lines if line.strip()))


def review(text: str) -> str:
    """The page with its added lines read (see the module's docstring); a reviewer's comment (its indented lines
    under a header that is not the author's) is another's words, a blank."""
    out = []
    in_diff = reviewer = False
    author = m["author"] if (m := _AUTHOR.search(text)) is not None else None
    for line in text.split("\n"):
        if _HUNK.fullmatch(line) or _SUGGESTION.fullmatch(line):
            in_diff = True
            out.append(_blank(line))
        elif line[:1] == "+":
            out.append(" " + line[1:])
        elif in_diff and line[:1] == "-":
            out.append(_blank(line))
        elif (header := _COMMENT_HEADER.fullmatch(line)) is not None:
            reviewer = author is None or header["name"].strip() != author
            out.append(_blank(line))
        else:
            in_diff = in_diff and line.strip() != ""
            reviewer = reviewer and (line[:1] in " \t" or not line.strip())
            out.append(_blank(line) if _CHROME.fullmatch(line) or reviewer else line)
    return "\n".join(out)
