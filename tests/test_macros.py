"""A sheet's own LaTeX macros (symbackprop.check.macros), expanded as LaTeX would: arguments, an optional first one
with its default, \\def, \\DeclareMathOperator, definitions carried to later answers, \\providecommand not
overriding; and bounded — a macro that calls itself, or doubles the text, never hangs nor grows without end."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from symbackprop.check.macros import Macros


def test_arguments_defaults_and_other_definitions() -> None:
    macros = Macros()
    first = macros.read("\\newcommand{\\pd}[2]{\\frac{\\partial #1}{\\partial #2}}\n"
                        "\\newcommand\\W[2][1]{W^{#1}_{#2}}\n\\def\\lr{\\alpha}\n\\DeclareMathOperator{\\diag}{diag}\n"
                        "$\\pd{E}{\\W{j}} = \\W[2]{3} \\lr \\diag x$")
    assert first.strip() == "$\\frac{\\partial E}{\\partial W^{1}_{j}} = W^{2}_{3} \\alpha \\operatorname{diag} x$"
    assert macros.read("$\\pd E y$") == "$\\frac{\\partial E}{\\partial y}$"  # (a later answer; one-token arguments)
    macros.read("\\providecommand{\\lr}{\\eta}\\renewcommand{\\W}[1]{V_{#1}}")
    assert macros.read("$\\lr \\W{2}$") == "$\\alpha V_{2}$"


def test_expansion_is_bounded() -> None:
    """(A count of expansions and a length bound stop it: what is left is an unknown command for the reader.)"""
    loop = Macros().read("\\newcommand{\\a}{\\a x}\n$\\a$")
    double = Macros().read("\\newcommand{\\b}{\\b\\b}\n$\\b$")
    assert len(loop) < 100_000 and len(double) < 300_000
    assert "\\a" in loop and "\\b" in double


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="\\{}[]#12 abnewcomdfx$", max_size=80))
def test_any_text_is_read(text: str) -> None:
    """Unbalanced braces, a # with no number, a definition cut short: text back, never an exception."""
    assert isinstance(Macros().read(text), str)
