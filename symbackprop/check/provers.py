"""A proof assistant's script handed in as the answer sheet — Coq (Rocq) with Coquelicot, Isabelle/Isar, Lean 4
with Mathlib: the definitions, lemma statements and tactic proofs are the program's (a lemma that is stated but
`Admitted`, `sorry`'d or `oops`'d proves nothing, and a goal the prover printed is no claim), the comments are the
student's words, and the answers are written there ("(* (7) dE/dW2_3 = (y - d) Phi(h'_3) *)", "-- answer (g): ∂E/∂w₅
= δ_O · out_h1"). Read as the comments' text, each at its line, the code blank (and a comment that states nothing,
"(* TODO *)", or that trails off in "..."); a comment's leading "Answer (g), corrected:" or "(13) fixed:" label
dropped."""

from __future__ import annotations

import re

#: lines only a prover's script has: Coq's vernacular, Isabelle's Isar, Lean 4's commands and tactic blocks
_COMMANDS = re.compile(
    r"(?m)^[ \t]*(?:Require[ \t]+(?:Import|Export)|(?:Lemma|Theorem|Definition|Hypothesis|Variables?)[ \t]+\w"
    r"|Proof\.|Qed\.|Admitted\.|Section[ \t]+\w|End[ \t]+\w"
    r"|theory[ \t]+\w|imports[ \t]|locale[ \t]+\w|(?:lemma|definition|fun)[ \t]+\w[^\n]*(?:\"|\bwhere\b)"
    r"|proof[ \t]*-|qed\b|oops\b|by[ \t]*\(|(?:also[ \t]+|finally[ \t]+|then[ \t]+)?(?:have|show)[ \t]+[\"?]"
    r"|import[ \t]+Mathlib|open[ \t]+Real|noncomputable\b|variable[ \t]*\(|(?:theorem|lemma|def|example)[ \t]+"
    r"[^\n]*(?::=|:)|[^\n]*:=[ \t]*by[ \t]*$|(?:simp|ring|ring_nf|field_simp|rw|unfold|sorry|calc)\b)")
#: a comment: ML's (* … *) (Coq, Isabelle), Lean's /- … -/ and /-- … -/, and its -- to the line's end
_ML_COMMENT = re.compile(r"\(\*(?P<body>.*?)\*\)", re.S)
_LEAN_COMMENT = re.compile(r"/--?(?P<body>.*?)-/|--(?P<line>[^\n]*)", re.S)
#: a comment's label before its answer: "Answer (g), corrected:", "(13) corrected:", "answer (d'), used below:"
_LABEL = re.compile(r"[ \t]*(?:(?i:answer)[ \t]*)?\([0-9a-z]{1,3}'?\)(?:[ \t,]*[^:=\n()]{0,40}?:)?[ \t]*"
                    r"|[ \t]*(?i:answer)[ \t]*:[ \t]*")


def is_prover_script(text: str) -> bool:
    """Is the text (a piece of) a Coq, Isabelle or Lean script: a line of a prover's commands and a comment, or
    (* … *) comments only?"""
    if _ML_COMMENT.search(text) is not None and not _ML_COMMENT.sub("", text).strip():
        return True
    return _COMMANDS.search(text) is not None \
        and (_ML_COMMENT.search(text) is not None or re.search(r"(?m)^[ \t]*--[ \t]|/--?[ \t]", text) is not None)


def prover_script(text: str) -> str:
    """The comments' text at their lines; every other character blank (a line break kept)."""
    ml = "(*" in text and "*)" in text
    found = _ML_COMMENT.finditer(text) if ml else _LEAN_COMMENT.finditer(text)
    out = [c if c == "\n" else " " for c in text]
    for m in found:
        name = "body" if m["body"] is not None else "line"
        start, end = m.start(name), m.end(name)
        if re.search(r"[=≈←]", m[name]) and not re.search(r"\.\.\.|…", m[name]):
            # (a comment without a relation, "(* TODO *)", is a remark; so is one that trails off, "Delta W = … ...")
            out[start:end] = list(_labelled(text[start:end]))
    return "\n".join(line.rstrip() for line in "".join(out).split("\n"))


def _labelled(body: str) -> str:
    """A comment's lines with a leading answer label blanked (the same length, so its lines stay where they are)."""
    lines = body.split("\n")
    return "\n".join(" " * len(m.group()) + line[m.end():] if (m := _LABEL.match(line)) else line for line in lines)
