r"""A sheet's cross-references: a row labelled \label{eq:h1} whose right side is a number, cited later as \eqref{eq:h1}
(or \ref, \cref, \autoref) in place of repeating that number. The citation stands for the number the student wrote
there, so a line built on it is judged as if the number were typed again: a wrong number stays the student's. A label
holds for the rest of the sheet, as in one LaTeX document; a citation of a label not seen, or of a row that ends in a
formula, is left for the reader to name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .tokens import WRITTEN_NUMBER

_LABEL = re.compile(r"\\label[ \t]*\{([^{}\n]{1,80})\}")
_REFERENCE = re.compile(r"\\(?:eqref|ref|cref|Cref|autoref)[ \t]*\{([^{}\n]{1,80})\}")
#: the labelled row's last right side when it is a number, plain or siunitx's \num{…}, before the label (and the
#: numbering marks, alignment and punctuation that may stand between)
_VALUE = re.compile(rf"(?:=|\\approx|≈)[ \t]*(?:\\num[ \t]*\{{[ \t]*(?P<num>{WRITTEN_NUMBER})[ \t]*\}}"
                    rf"|(?P<plain>{WRITTEN_NUMBER}))"
                    r"[ \t]*(?:\\(?:nonumber|notag)[ \t]*)?[,.;&]?[ \t]*$")


@dataclass
class References:
    """The labelled numbers a sheet has written so far."""
    labelled: dict[str, str] = field(default_factory=dict)

    def read(self, text: str) -> str:
        """The text with its labels taken in and each citation of a labelled number replaced by that number (not
        padded: a wide space after a number reads as the end of a statement)."""
        if "\\" not in text:
            return text
        for m in _LABEL.finditer(text):
            row = text[max(text.rfind("\\\\", 0, m.start()), text.rfind("\n", 0, m.start()), 0):m.start()]
            if (v := _VALUE.search(row)) is not None:
                number = (v["num"] or v["plain"]).replace("−", "-")
                self.labelled[m[1].strip()] = f"({number})" if number.startswith("-") else number
        return _REFERENCE.sub(self._cited, text) if self.labelled else text

    def _cited(self, m: re.Match[str]) -> str:
        number = self.labelled.get(m[1].strip())
        return m[0] if number is None else number
