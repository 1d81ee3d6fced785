"""symbackprop: exact, printable backpropagation derivations for small feed-forward networks.

spec (TOML / dict) → Network (graph of named quantities) → Derivation (plain data) → renderers.
"""

from .derive import Derivation, derive, forward_pass
from .errors import SpecError
from .network import Network, network
from .notation import Notation
from .render import display as _display  # noqa: F401  (registers the Jupyter display of the core objects)
from .spec import Spec, load_spec, parse_spec

__all__ = ["Derivation", "Network", "Notation", "Spec", "SpecError", "derive", "forward_pass", "load_spec",
           "network", "parse_spec"]
__version__ = "0.1.0"
