"""The derivation reader's modules, one per pass: data flows one way, tokens → linear → lex → rewrite → lines → tree →
parse (vocabulary, the notation's words, beside tokens at the bottom; linear, an office suite's linear format read as
LaTeX, with the formats it hands on — typst, a Typst source; spreadsheet, a sheet's cells in a table; choices, a
multiple-choice question's options —, and sessions, a calculator's or a console's printed values as statements,
before the text is lexed), and every name that callers import from symbackprop.check.parse is still there — the
very object its pass defines, not a copy."""

from __future__ import annotations

import ast
import importlib

import pytest

from conftest import ROOT

#: bottom to top: a module may import only the modules before it
ORDER = ("tokens", "vocabulary", "plaintex", "texmacs", "mathematica", "spoken", "spreadsheet", "choices",
         "ipynb", "gradescope", "revisions", "outline", "forms", "xcas", "proofs", "mathspeak", "cards", "doxygen",
         "mupad", "graphviz", "provers", "cells", "spss", "erlang", "prolog", "smalltalk", "minitab", "forth",
         "numbered", "php", "mattermost", "fricas",
         "sessions", "typst", "powershell", "review", "annotations", "whiteboard", "history", "gretl", "reduce", "hwp",
         "layers", "prairielearn", "psql", "codesys", "mobius", "qalc", "smath", "photomath", "linear", "lex",
         "rewrite", "lines", "tree", "parse")
CHECK = ROOT / "symbackprop" / "check"


def relative_imports(name: str) -> set[str]:
    """The sibling modules of symbackprop.check that check/<name>.py imports (`from .x import ...`), anywhere."""
    tree = ast.parse((CHECK / f"{name}.py").read_text(encoding="utf-8"))
    return {node.module.split(".")[0] for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module}


@pytest.mark.parametrize("name", ORDER)
def test_a_pass_imports_only_the_passes_below_it(name: str) -> None:
    below = set(ORDER[:ORDER.index(name)]) | {"catalogue"}  # (the messages: a leaf, below every pass)
    assert relative_imports(name) <= below, f"check/{name}.py reaches up: {relative_imports(name) - below}"


def test_the_catalogue_of_messages_imports_nothing_of_the_checker() -> None:
    assert relative_imports("catalogue") == set()


@pytest.mark.parametrize("name", ORDER)
def test_every_pass_says_why_it_exists(name: str) -> None:
    doc = ast.get_docstring(ast.parse((CHECK / f"{name}.py").read_text(encoding="utf-8")))
    assert doc and len(doc.split()) >= 20


@pytest.mark.parametrize(("name", "home"), [
    ("parse", "parse"), ("Parsed", "parse"), ("Chain", "parse"), ("Element", "parse"), ("Skipped", "parse"),
    ("ParseError", "tokens"), ("Refused", "tokens"), ("RawName", "tree"), ("RawPartial", "tree"), ("Entry", "tree"),
])
def test_names_imported_from_parse_are_those_of_their_pass(name: str, home: str) -> None:
    parse_module = importlib.import_module("symbackprop.check.parse")
    assert getattr(parse_module, name) is getattr(importlib.import_module(f"symbackprop.check.{home}"), name)
