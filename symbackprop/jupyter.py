"""Jupyter's display protocol for the core objects, without the core importing the renderers.

A core object's `_repr_markdown_` asks `markdown(obj)`; the renderers register, per class, the function that
writes it (render/display.py, which the package's __init__ imports), so data still flows one way: network and
derivation know nothing of how they are shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

Writer = TypeVar("Writer", bound=Callable[..., str])
_WRITERS: dict[type, Callable[..., str]] = {}


def writes_markdown(cls: type) -> Callable[[Writer], Writer]:
    """Register the decorated function as the Markdown of `cls` (and its subclasses)."""
    def register(fn: Writer) -> Writer:
        _WRITERS[cls] = fn
        return fn
    return register


def markdown(obj: Any, **options: Any) -> str:
    """The registered Markdown of `obj`, with the writer's options."""
    for cls in type(obj).__mro__:
        if cls in _WRITERS:
            return _WRITERS[cls](obj, **options)
    raise LookupError(f"no Markdown writer is registered for {type(obj).__name__}")
