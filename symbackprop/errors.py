"""One exception type for unusable input, so the command line can report it in one line."""

from __future__ import annotations


class SpecError(ValueError):
    """A spec (or other input file) that cannot be used: names the file, the key and what was expected."""

    def __init__(self, message: str, *, key: str | None = None, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.key = key
        self.source = source

    def with_source(self, source: str) -> SpecError:
        return SpecError(self.message, key=self.key, source=self.source or source)

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.source, self.key) if part)
        return f"{where}: {self.message}" if where else self.message
