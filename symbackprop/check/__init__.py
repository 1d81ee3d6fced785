"""Reading students' hand derivations: `parse` turns LaTeX into chains of SymPy expressions over raw names."""

from .parse import Chain, Element, Parsed, ParseError, RawName, RawPartial, Refused, parse

__all__ = ["Chain", "Element", "ParseError", "Parsed", "RawName", "RawPartial", "Refused", "parse"]
