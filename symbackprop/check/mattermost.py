"""A Mattermost (or Rocket.Chat) channel copied as text: each message under its header, the sender and the time
("mei.lin  9:17 PM (edited)"), a thread's reply under "↳ Reply from jonas.k  9:16 PM": the headers are no content,
and a reply by another is another's words (a classmate's hint, right or wrong, is not the student's claim). Read as
the student's messages, headers and others' replies blank."""

from __future__ import annotations

import re

from .tokens import _blank

_TIME = r"[0-9]{1,2}:[0-9]{2}(?:[ \t]*[AaPp][Mm])?"
_HEADER = re.compile(r"[ \t]*@?[A-Za-z][\w.-]{1,30}[ \t]{2,}" + _TIME + r"(?:[ \t]*\(edited\))?[ \t]*")
_REPLY = re.compile(r"[ \t]*↳[ \t]*Reply from[ \t]+@?[\w.-]{2,30}[ \t]+" + _TIME + r"(?:[ \t]*\(edited\))?[ \t]*")


def is_mattermost(text: str) -> bool:
    """Is the text a channel copied with Mattermost's headers: a sender and a time, or a thread's reply header?"""
    return any(_HEADER.fullmatch(line) or _REPLY.fullmatch(line) for line in text.split("\n"))


def mattermost(text: str) -> str:
    """The text with the headers and the replies blank."""
    out, replying = [], False
    for line in text.split("\n"):
        if _REPLY.fullmatch(line):
            replying = True
        elif _HEADER.fullmatch(line):
            replying = False
        out.append(_blank(line) if replying or _HEADER.fullmatch(line) or _REPLY.fullmatch(line) else line)
    return "\n".join(out)
