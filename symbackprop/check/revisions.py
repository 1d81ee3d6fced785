"""A word processor's document with its tracked changes, copied with all markup shown (Word's "All Markup"): the
revisions as "[Deleted: 0.227 – JK, 21/03 22:14]" and "[Inserted: 0.227347 – JK, 21/03 22:15]", formatting marks
"[Formatted: Font: Cambria Math]", margin comments "[Comment LM1]: …" and their replies "[Reply JK]: …". The
answer is the document as it now reads: what was deleted gone, what was inserted in its place (without its author
and time), the formatting marks and the comments (a reader's, not the author's claims) left out."""

from __future__ import annotations

import re

#: the author's initials and the time after a revision's text: " – JK, 21/03 22:15", " - JK"
_BYLINE = r"(?:[ \t]+[–—-][ \t]+[A-Z][A-Za-z.]{0,3}(?:,[ \t]*[0-9]{1,2}[/.][0-9]{1,2}(?:[/.][0-9]{2,4})?" \
    r"(?:[ \t]+[0-9]{1,2}:[0-9]{2})?)?)?"
_DELETED = re.compile(r"\[(?:Deleted|Gelöscht|Supprimé|Eliminado):[^\[\]\n]*\]")
_INSERTED = re.compile(r"\[(?:Inserted|Eingefügt|Inséré|Insertado):[ \t]*(?P<text>[^\[\]\n]*?)" + _BYLINE + r"[ \t]*\]")
_FORMATTED = re.compile(r"\[(?:Formatted|Formatiert|Mis en forme|Con formato):[^\[\]\n]*\]")
_COMMENT = re.compile(r"(?m)^[ \t]*\[(?:Comment|Reply|Kommentar|Antwort|Commentaire|Réponse|Comentario)[ \t]*"
                      r"[A-Z]{0,4}[0-9]{0,3}\]:[^\n]*$")


def has_revisions(text: str) -> bool:
    """Does the text carry tracked changes' marks or margin comments?"""
    return "[" in text and any(p.search(text) for p in (_DELETED, _INSERTED, _FORMATTED, _COMMENT))


def accepted(text: str) -> str:
    """The text with every change accepted and the comments and formatting marks out (their lines left empty)."""
    text = _COMMENT.sub("", text)
    text = _DELETED.sub("", _FORMATTED.sub("", text))
    return _INSERTED.sub(lambda m: m["text"], text)
