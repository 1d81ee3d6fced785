"""symbackprop: exact, printable backpropagation derivations for small feed-forward networks.

spec (TOML / dict) → Network (graph of named quantities) → Derivation (plain data) → renderers;
a graph spec ([graph]) → Circuit → CircuitDerivation (upstream × local per node) → its JSON and text;
compile_circuit / train_circuit are compile_network / train for circuits; compile_recurrent is compile_network for
a recurrent network (the loaded spec's unrolled circuit, or a RecurrentSpec): BPTT as matrix products over a batch
of sequences (rnn_numeric.py), which train_circuit uses for every recurrent network.
"""

from .backward import CircuitDerivation, derive_circuit
from .circuit import Circuit, load_model
from .circuit_numeric import compile_circuit, train_circuit
from .derive import Derivation, derive, forward_pass
from .errors import SpecError
from .network import Network, network
from .notation import Notation
from .render import display as _display  # noqa: F401  (registers the Jupyter display of the core objects)
from .rnn_numeric import compile_recurrent
from .spec import Spec, load_spec, parse_spec

__all__ = ["Circuit", "CircuitDerivation", "Derivation", "Network", "Notation", "Spec", "SpecError", "compile_circuit",
           "compile_recurrent", "derive", "derive_circuit", "forward_pass", "load_model", "load_spec", "network",
           "parse_spec", "train_circuit"]
__version__ = "0.1.0"
