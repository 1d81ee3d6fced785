"""One exception type for unusable input, so the command line can report it in one line."""

from __future__ import annotations


class SpecError(ValueError):
    """A spec (or other input file) that cannot be used: names the file, the key and what was expected."""

    def __init__(self, message: str, *, key: str | None = None, source: str | None = None,
                 zh: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.key = key
        self.source = source
        self.zh = zh  # the message in Chinese, where the command has --lang (check's answers files)

    def with_source(self, source: str) -> SpecError:
        return SpecError(self.message, key=self.key, source=self.source or source, zh=self.zh)

    def say(self, lang: str = "en") -> str:
        """The one line, its message in `lang` when there is one in it (else English)."""
        message = self.zh if lang == "zh" and self.zh else self.message
        where = ": ".join(part for part in (self.source, self.key) if part)
        return f"{where}: {message}" if where else message

    def __str__(self) -> str:
        return self.say("en")
