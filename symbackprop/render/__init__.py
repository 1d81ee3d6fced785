"""Renderers read a Derivation and lay it out; they compute nothing."""

from .equations import Equation, Writer
from .json_out import derivation_json, training_json
from .text import derivation_text, training_text

__all__ = ["Equation", "Writer", "derivation_json", "derivation_text", "training_json", "training_text"]
