"""Names as students write them → the network's symbols.

One rule, in this order, so that nothing is guessed silently:
1. the network's own name wins (`y1` is a target in seed 000 and an output neuron's name elsewhere);
2. then the aliases of the lectures: `out_{h1}`/`Out_{h_1}`/`h_1` → the output of neuron h1,
   `net_{h1}`/`In_{h_1}`/`z^{(2)}_{1}` → its net input, `\\delta_{h1}`/`\\delta^{(2)}_1` → its error term,
   `t`/`y`/`d`/`target` with a neuron name or position → a target, `x`/`i` with a position → an input,
   `E`/`Error`/`E_{total}`/`L` → the error, `E_{o1}` → the error of output o1 alone (a sum-of-outputs loss, one
   sample), `\\eta`/`\\alpha` → the learning rate, `w_5^{+}` → the updated w5, `\\Delta w_5` → its step
   −η ∂E/∂w5, `\\hat{y}_1`/`output_1` → the first output (the target on a sheet whose y is the output, Li Hongyi),
   Li Hongyi's `z'`, `z''` → the net inputs of the first and second output, 西瓜书's `v_{ih}` → the weight from
   input i into hidden unit h (and then, on that sheet, `w_{hj}` hidden h → output j, `b_h` hidden h's output,
   `g_j`, `e_h` the error terms −∂E/∂β_j, −∂E/∂α_h; `\\alpha_h`, `\\beta_j` set that notation too);
3. a name that matches nothing is the student's own (δ5 for ∂E/∂w5); it gets the meaning of the line that
   defines it, or is reported as unknown.
Functions: `\\sigma(x)` is the sigmoid; `f`, `g`, `\\phi`, `\\Phi` are the activation of the neuron whose net
input is the argument (or the network's abstract function of that name, or its only activation);
a prime is the derivative.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property

import sympy as sp
from sympy.core.function import AppliedUndef

from ..activations import Activation
from ..derive import evaluate
from ..graph import Layer
from ..layers import biases, grid
from ..network import Kind, Network
from ..styles import STYLES
from .catalogue import say
from .parse import Entry, Parsed, RawName, RawPartial
from .truth import Truth
from .vocabulary import (
    ERROR_WORDS,
    IN_NAMES,
    LAST_LAYER,
    LAYER_LETTERS,
    NEW_WORDS,
    OUTPUT_INDEX,
    OUTPUT_MATRIX,
    PATTERN_INDEX,
    SET_SUM,
)

# ℓ; G: MacKay's; R: ISLR's R(θ)
ERROR_BASES = {"E", "Error", "error", "Loss", "loss", "L", "J", "C", "G", "R", "ell", *ERROR_WORDS}
#: the letters a numbering through the network (Negnevitsky's, Buduma's, Han & Kamber's) gives unit k's quantities
_THROUGH_BASES = frozenset({"y", "e", "o", "O", "z", "I", "t", "T", "b", "theta"})
TARGET_BASES = {"t", "y", "d", "target", "T", "Target", "actual", "Actual", "ideal", "Ideal"}
#: "actual" is the target beside a "prediction" (hmkcode's prediction − actual), the network's output beside a
#: target or an ideal (Rashid's target − actual, Heaton's ideal − actual): Resolver.actual
ACTUAL_BASES = frozenset({"actual", "Actual"})
PREDICTION_BASES = frozenset({"prediction", "Prediction", "predicted"})
TARGET_WORDS = frozenset({"target", "Target", "ideal", "Ideal", "t", "d", "T"})
INPUT_BASES = {"x", "i", "X", "I", "input", "Input"}
#: the letters of the notation styles (styles.STYLES), and those of the textbooks beside them (O_j: Han & Kamber;
#: v_j: Haykin's induced local field)
OUT_BASES = {b for style in STYLES.values() for b in style.written_out} | {"o", "output", "Output", "yhat", "O"}
NET_BASES = {b for style in STYLES.values() for b in style.written_net} | {"s", "v", "u", "I"}
DELTA_BASES = {"delta", "Delta"}
#: bases the textbooks use in two roles (Haykin's y is an output, the notes' a target; Bishop's a is a net input,
#: Ng's an activation; Han & Kamber's I a net input): the canonical bases of their readings
AMBIGUOUS_BASES = {"y": ("out", "t"), "a": ("x", "net", "out"), "z": ("net", "out"), "I": ("x", "net"),
                   "s": ("net", "delta"),  # Kröse's s_k the net input, Hagan's s^m_k the sensitivity ∂F/∂n^m_k
                   "o": ("out", "net"),  # (d2l: o = W h + b the logits, ŷ = softmax(o))
                   "u": ("net", "out"),  # (Japanese textbooks: u the net input; Gallant: u_i a cell's activation)
                   "x": ("out",),  # (of a neuron only: Ripley's output, where Rumelhart's x_j is its total input)
                   "C": ("t",)}  # (of a neuron only: Gallant's correct activation C_i, elsewhere a cost C_{o1})
#: the two-role bases read in their other role only with a neuron's name below (x_1 an input, C_0 a cost)
_NEURON_ONLY = frozenset({"x", "C"})
# (l): Han & Kamber's; γ: Kröse & van der Smagt
RATE_BASES = {"eta", "alpha", "lambda", "epsilon", "l", "gamma", "l_rate", "learning_rate", "lr"}  # (code names)
#: a layer's quantities written without an index: a general statement about the layer's vector when unresolved
_VECTOR_WORDS = frozenset({"net", "Net", "z", "h", "a", "actual", "Actual", "ideal", "Ideal", "target", "Target",
                           "out", "Out", "output", "Output"})  # (Heaton's E = ideal − actual of every output)
#: the resolver's flags that record the sheet's notation (carried from one step's answers to another's)
_NOTATION_FLAGS = ("weights_into", "output_u", "fausett", "xigua", "hidden_first", "bracket_layers",
                   "bracket_from_input", "raw_errors",
                   "weight_order", "reversed_layers", "through", "declared_transposed", "actual", "layer_first",
                   "samples_from_zero")
#: the letters whose digit subscript counts the outputs (o_k, z_k: the k-th output; one output: hidden unit k)
_KTH_OUTPUT = frozenset({"o", "output", "Output", "yhat", "z", "net", "u", "v", "O", "s", "out", "Out"})
#: a loss's subscript that names the whole loss: E_{total}, L_{CE}, Chinese E_{总}, German E_{ges}, Polish E_{całk}
TOTAL_WORDS = frozenset({"", "total", "tot", "Total", "CE", "ce", "总", "總", "ges", "gesamt", "calk", "całk"})
#: the letters whose layer superscript a sheet numbering from the output side reverses (Kubat's w, δ)
_REVERSIBLE = frozenset({"w", "W", "b", "delta", "Delta", "z", "a", "h", "y", "net", "out", "o", "s"})
#: the letters of a name whose subscript is "layer,entry" (Prince's ω_{0,12}, Khapra's b_{2,3}): _comma_layer
_COMMA_BASES = frozenset({"omega", "Omega", "w", "W", "beta", "b", "f", "a", "h", "o", "z", "delta"})
#: the letters of a layer-first sheet (Kroese's z_{l,i}, a_{l,i}, δ_{l,i}): net input, output, δ
LAYER_FIRST_BASES = ("z", "a", "delta")
POSITIONAL_BASES = {"z", "a", "s", "delta", "Delta", "w", "W", "b", "net", "Net", "In", "out", "Out", "o"}
DELTA_STEP = "Delta·"  # the base of `\Delta w_5` once judge.py has joined the two names
#: the bases a prime marks as "after the update" (not a function's derivative)
QUANTITY_BASES = OUT_BASES | NET_BASES | ERROR_BASES | DELTA_BASES | {"w", "W", "b", "h"}
SAMPLE_COUNTS = {"m", "N"}  # the batch size, as the textbooks write it
CAPITAL_LAYER = {"Z": "net", "A": "out"}  # MIT 6.036's (and Ng's matrix) letters with a layer above: net, output


class Unresolved(Exception):
    """A name the network does not know (and no line of the student defined)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def raw_text(raw: RawName | RawPartial) -> str:
    if isinstance(raw, RawPartial):
        return f"∂{raw_text(raw.of)}/∂{raw_text(raw.wrt)}"
    accent = getattr(raw, "accent", "")
    base = "Δ" + raw.base[len(DELTA_STEP):] if raw.base.startswith(DELTA_STEP) else raw.base
    text = f"{accent}({base})" if accent else base
    if raw.sup:
        text += f"^{raw.sup}"
    if raw.sub:
        text += f"_{raw.sub}"
    return text


#: the letters a textbook's general formula indexes units, layers and samples by (w_{ji}, δ^l_j, E_n)
INDEX_LETTERS = frozenset("ijklhmnpquv")
_LAYER_SUP = re.compile(r"\([0-9]\)|\[[0-9]\]|[0-9]")
_GENERIC_SUPS = frozenset({"", "l", "L", "l-1", "l+1", "(l)", "[l]", "(l-1)", "[l-1]", "(l+1)", "[l+1]",
                           "n", "(n)", "i", "(i)", "p"})  # (z^{(n)}_k: sample n's, in a rule over the samples)


def generic(raw: RawName, layers: bool = True) -> bool:
    """w_{ji}, w^l_{jk}, δ^l_j, a^{l-1}_k: a name indexed by letters only (a textbook's general rule)."""
    letters = raw.sub.replace(",", "")
    if not letters:  # (or a quantity's word alone, Mitchell's "δ is −∂E/∂net", when the network has no such name;
        # or d2l's ∂L/∂z = ∂L/∂h ⊙ φ′(z), a layer's vector where the network cannot name one; or Gurney's
        # ∂E/∂w = −δx, w any weight where the network numbers its weights)
        return raw.sup in _GENERIC_SUPS - {""} or (not raw.sup and raw.base in _VECTOR_WORDS | {"w"} | INDEX_LETTERS)
        # (an index letter alone: Brilliant's "node i of layer k − 1", $k-1$ in a sentence)
    # (or one layer's, W^{(2)}_{jk} = ∂E/∂… of every weight of layer 2)
    return set(letters) <= INDEX_LETTERS and (raw.sup in _GENERIC_SUPS
                                              or (layers and _LAYER_SUP.fullmatch(raw.sup) is not None))


def _counted_from_hidden(raw: RawName) -> RawName | None:
    """a^{[2]} of a sheet counting its bracketed layers from the inputs (Higham's a^{[1]} = x) as Ng counts them:
    a^{[1]}; None for a name without such a layer."""
    m = re.fullmatch(r"\[([1-9])\]", raw.sup)
    return replace(raw, sup=f"[{int(m[1]) - 1}]") if m else None


@dataclass(frozen=True)
class Rule:
    """A name defined for every unit at once: E = ideal − actual (unindexed names, each then indexed by the unit),
    β_k = W^2_k (the index `letter` k, then made the unit's)."""
    expr: sp.Expr
    names: dict[sp.Symbol, RawName]
    letter: str


@dataclass
class Resolver:
    truth: Truth
    defined: dict[RawName, sp.Expr]  # the student's own names, in the network's symbols
    lang: str = "en"
    joined: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)  # Δw5's symbol → the product Δ·w5 it joins
    # the bases of error-term names the student defined with the opposite sign (Mitchell's δ = (t − o)·σ′): the
    # convention holds for every neuron's δ, not only the one defined
    negated: set[str] = field(default_factory=set)
    # and those the student defined as ∂E/∂net itself (δ_O := ∂E/∂net_O): a convention stated later for every δ
    # ("the book uses δ = −∂E/∂net") does not turn them round
    affirmed: set[str] = field(default_factory=set)
    # the two-role letters whose role a rule for every unit states (an exam's z_k = σ(a_k)): no line re-reads them
    stated: set[str] = field(default_factory=set)
    # the sample a name without a sample index belongs to (a lecture's frame "sample 2": net_{h1} is sample 2's)
    sample: int = 1
    # the sheet numbers a weight's superscript by the layer it goes into (Nielsen's w^l_{jk}), not the one it leaves
    weights_into: bool = False
    # the sheet writes Jurafsky & Martin's U for the output layer's weights (h = g(Wx + b), z = Uh): W is then the
    # hidden layer's
    output_u: bool = False
    # the sheet writes Fausett's y_in_k, z_in_j: z_j is then hidden unit j's output, y_k output unit k's
    fausett: bool = False
    # the role a two-role letter was read in on this sheet (Bishop's z: "out"), with the layer it was read in
    roles: dict[str, tuple[str, int]] = field(default_factory=dict)
    # the sheet writes Zhou Zhihua's (西瓜书) notation: v_{ih} input i → hidden h, w_{hj} hidden h → output j, b_h
    # the output of hidden unit h (not a bias)
    xigua: bool = False
    # the sheet counts the layers from the first hidden one (a^{(1)} a hidden output, a^{(0)} the inputs: the
    # Korean and Japanese textbooks, Ng's brackets), not from the inputs (seed 002, Ng's parentheses); None: not seen
    hidden_first: bool | None = None
    # in a batch, z^{[2]}_2 is layer 2's (Ng), not sample 2's, on this sheet; None: not seen
    bracket_layers: bool | None = None
    # the sheet's bracketed layers count from the inputs (Higham & Higham's a^{[1]} = x): its [l] is Ng's [l − 1]
    bracket_from_input: bool = False
    # the sheet indexes z, a and δ layer first (Kroese's z_{1,2}: layer 1, unit 2), so z_2, a_2, δ_2 alone are layer
    # 2's (its one unit's, when it has one)
    layer_first: bool = False
    # the sheet counts a batch's samples from 0 (Chollet's "sample 0", L^{(0)}): its (1) is the second sample
    samples_from_zero: bool = False
    # the bases whose superscript (n) this sheet has shown to be a sample, not a layer (Bishop's δ^{(n)}_k)
    sample_bases: set[str] = field(default_factory=set)
    # the sheet's Err_k is Russell & Norvig's output error y_k − a_k (not Han & Kamber's −δ): seen on one of its lines
    raw_errors: bool = False
    # the index order the sheet declared for a layer's weights by writing a net input as a sum (Bishop's
    # a_j = Σ_i w^{(1)}_{ji} x_i: "to" first, the matrix's own order; net_j = Σ_i w_{ij} x_i: "from" first); it wins
    # over the network's own names (the notes' W^1_{ij} goes from input i): None when no line declared one, or two
    # lines declared both ("": then the names are read as before)
    weight_order: str | None = None
    # the sheet numbers its layers from the OUTPUT side (Kubat: w^{(1)}_{ji} from hidden j to output i, δ^{(1)} the
    # outputs', w^{(2)}_{kj} from attribute k to hidden j), as its formulas showed (judge._reversed_by_formula)
    reversed_layers: bool = False
    # the sheet numbers its units through the network, the inputs first (Negnevitsky's y_3, o_6, w_{35}): it wrote
    # a unit's output with a number past the widest layer
    through: bool = False
    # the answer's weight matrices hold a layer's inputs in rows and its units in columns (Learning From Data's
    # W^{(l)}_{ij}: node i of layer l − 1 to node j), as it showed by writing one with the weights' names
    transposed: bool = False
    declared_transposed: bool = False  # (some answer of the sheet wrote its matrix so)
    # a name the sheet defined for every unit at once by a rule of unindexed names (Heaton's E = ideal − actual):
    # base → (the rule's expression, its names); E_{o1} then means ideal_{o1} − actual_{o1}
    rules: dict[str, Rule] = field(default_factory=dict)
    # what the sheet's "actual" is: "t" the target (beside a prediction), "out" the output (beside a target, an ideal,
    # or alone); None: not written yet
    actual: str | None = None
    # capital letters the sheet gave its units ("A = h_1, B = h_2, C = o_1"): letter → the unit's name
    unit_labels: dict[str, str] = field(default_factory=dict)
    # letters a sheet declared as a layer's net inputs (u_1 = w_1 x_1 + w_2 x_2 + b_1: u_k is the hidden layer's k-th,
    # where the aliases read u_k as output k's): letter → the layer's index
    declared_nets: dict[str, int] = field(default_factory=dict)

    @property
    def net(self) -> Network:
        return self.truth.network

    # -- names ----------------------------------------------------------------------------------

    def _sample(self, raw: RawName) -> sp.Expr | None:
        """Several samples: a superscript (n) on a per-sample quantity names its sample (δ^{(2)}_{y1}, L^{(2)},
        t^{(n)}_k); on a name with a numeric position it stays a layer (z^{(2)}_1)."""
        n = len(self.truth.copies)
        bracket = raw.sup[:1] + raw.sup[-1:] in ("[]", "{}")  # δ_2^{[1]}: in a batch, a sample ({1}: a summed one)
        number = raw.sup[1:-1] if bracket else raw.sup
        shift = int(self.samples_from_zero)
        if n == 1 or not number.isdigit() or not 1 <= int(number) + shift <= n or raw.base in ("w", "W", "b") \
                or (raw.sup[:1] == "[" and self.bracket_layers):  # (unless the sheet writes Ng's z^{[2]}, layer 2)
            return None  # (parameters are the batch's, not a sample's: W^{(1)}_1 is a layer's)
        k = int(number) + shift
        if (raw.base in ERROR_BASES or raw.base == "l") and raw.sub in ("", "total"):  # d2l's l^{(i)}: sample i's
            return self.truth.in_sample(self.net.error, k)
        for first in (RawName(raw.base, raw.sub, sup) for sup in ("", "(1)", "1")):
            mine = self.defined.get(first)  # the student's z_1 (Bishop's hidden output) or δ_2^{(1)}: sample k's
            if mine is not None and mine.free_symbols <= set(self.truth.copies[0]) | set(self.net.params) \
                    | {self.net.learning_rate}:
                return self.truth.in_sample(mine, k)
        if raw.sub.isdigit() and raw.base in POSITIONAL_BASES and not bracket and raw.base not in self.sample_bases \
                and self._alias(raw) is not None:
            return None  # z^{(2)}_1, a^{(3)}_1, W^{(1)}_{12}: a layer, where there is one
        unmarked = RawName(raw.base, raw.sub, "")
        plain = self.name(unmarked) or self._per_weight(unmarked) or self._by_analogy(unmarked)
        if plain is None or not plain.free_symbols <= set(self.truth.copies[0]):
            return None
        return self.truth.in_sample(plain, k)

    # -- matrices written with names ----------------------------------------------------------------

    def matrix(self, e: sp.Expr, names: Mapping[sp.Symbol, RawName | RawPartial], shape: tuple[int, int]
               ) -> sp.Expr:
        """The entries of a member written with layer names (W^{(1)}, δ^{(2)}, a^{(0)}, ∂E/∂W^{(1)}, W^{(1)}_{+}),
        as a SymPy matrix of the given shape. The parser keeps no order of a product nor its transposes, so a
        product of two vectors is their outer product that has the shape (δ^{(l)} before a^{(l−1)} when square),
        and a matrix times a vector is W v or Wᵀ v, whichever fits."""
        value = self._matrix(e, names)
        m = value[0] if isinstance(value, tuple) else value
        if not isinstance(m, sp.MatrixBase) or m.shape != shape:
            raise Unresolved(say("not_a_matrix", self.lang, rows=shape[0], cols=shape[1]))
        return m

    def _matrix(self, e: sp.Expr, names: Mapping[sp.Symbol, RawName | RawPartial]
                ) -> tuple[sp.MatrixBase, int] | sp.Expr:
        if isinstance(e, sp.Symbol):
            raw = names.get(e)
            found = self._layer_matrix(raw) if raw is not None else None
            return found if found is not None else self.expr(e, names)
        if not any(isinstance(s, sp.Symbol) and self._layer_matrix(names[s]) is not None
                   for s in e.free_symbols if s in names):
            return self.expr(e, names)
        parts = [self._matrix(a, names) for a in e.args]
        mats = [p for p in parts if isinstance(p, tuple)]
        scalars = [p for p in parts if not isinstance(p, tuple)]
        if isinstance(e, sp.Add):
            if scalars or len({m.shape for m, _ in mats}) != 1:
                raise Unresolved(say("matrix_sum", self.lang))
            return sp.ImmutableMatrix(sum((m for m, _ in mats[1:]), mats[0][0])), max(k for _, k in mats)
        if not isinstance(e, sp.Mul) or len(mats) > 2:
            raise Unresolved(say("matrix_sum", self.lang))
        scale = sp.Mul(*scalars)
        if len(mats) == 1:
            return sp.ImmutableMatrix(mats[0][0] * scale), mats[0][1]
        (a, ka), (b, kb) = sorted(mats, key=lambda m: -m[1])  # the later layer first: δ^{(l)} (a^{(l−1)})ᵀ
        if a.cols == 1 and b.cols == 1:
            return sp.ImmutableMatrix(a * b.T * scale), ka
        vector, matrix = ((a, ka), (b, kb)) if a.cols == 1 else ((b, kb), (a, ka)) if b.cols == 1 else (None, None)
        if vector is not None and matrix is not None and vector[1] == matrix[1] \
                and matrix[0].rows == vector[0].rows:  # (W^{(l)})ᵀ δ^{(l)}: back through the layer (W δ has no sense;
            # a sheet whose matrices are the transposes writes W^{(l)} δ^{(l)})
            back = matrix[0] if self.transposed else matrix[0].T
            return sp.ImmutableMatrix(back * vector[0] * scale), matrix[1] - 1
        for x, y in ((a, b), (b, a), (a.T, b), (b.T, a)):
            if x.cols == y.rows:
                return sp.ImmutableMatrix(x * y * scale), ka
        raise Unresolved(say("matrix_sum", self.lang))

    def layer_matrix(self, raw: RawName | RawPartial) -> tuple[sp.MatrixBase, int] | None:
        """The layer's matrix a name stands for (see _layer_matrix), None where it is none or cannot be made."""
        try:
            return self._layer_matrix(raw)
        except Unresolved:
            return None

    def _layer_matrix(self, raw: RawName | RawPartial) -> tuple[sp.MatrixBase, int] | None:
        """W^{(l)} (its rows the layer's neurons), W^{(l)}_{+} (updated), b^{(l)}, δ^{(l)}, a^{(l)} (a^{(0)} the
        inputs), with a sample's digit as subscript in a batch; ∂E/∂W^{(l)}; and its layer l."""
        net = self.net
        if isinstance(raw, RawName) and self.bracket_from_input and (shifted := _counted_from_hidden(raw)) is not None:
            with self._ng_count():
                return self._layer_matrix(shifted)
        if isinstance(raw, RawPartial):
            if not isinstance(raw.of, RawName) or raw.of.base not in ERROR_BASES or not isinstance(raw.wrt, RawName):
                return None
            inner = self._layer_matrix(raw.wrt)
            if inner is None or raw.wrt.base not in ("W", "w", "b", "z", "net", "a", "h", "out", "Z", "A", "x"):
                return None
            of = self.name(raw.of) if raw.of.sup else None  # d2l's ∂L^{(1)}/∂h: sample 1's loss, not the batch's
            of = of if of is not None else self.truth.loss
            grads = inner[0].applyfunc(lambda p: self.truth.target(f"dE/d{p.name}").expr if p in net.params else
                                       self.truth.partial_of(of, p) if raw.wrt.base not in ("W", "w", "b")
                                       else 0)
            return sp.ImmutableMatrix(grads), inner[1]
        raw = self.layer_word(raw)
        vector = self.vector(raw)
        if vector is not None:
            return vector
        layer = raw.sup[1:-1] if raw.sup[:1] == "(" or (raw.sup[:1] == "[" and (
            len(self.truth.copies) == 1 or raw.base in ("W", "w", "b"))) else raw.sup
        if not layer.isdigit() or not 0 <= int(layer) <= len(net.layers):
            return None
        k = int(layer)
        dense = net.layers[k - 1] if k else None
        sample = int(raw.sub) if raw.sub.isdigit() and len(self.truth.copies) > 1 else None
        if raw.sub not in ("", "+", "new") and sample is None:
            return None

        def per_sample(m: sp.MatrixBase) -> sp.MatrixBase:
            if sample is None:
                return m
            copy = self.truth.in_sample(sp.ImmutableMatrix(m), sample)
            if copy is None:
                raise Unresolved(say("unknown_name", self.lang, name=raw_text(raw)))
            return copy

        if raw.base in ("W", "w") and dense is not None and sample is None and (W := grid(dense)) is not None:
            m = sp.ImmutableMatrix(W).T if self.transposed else sp.ImmutableMatrix(W)
            if raw.sub in ("+", "new"):
                m = m.applyfunc(lambda p: self.truth.target(f"{p.name}+").expr if p in net.params else p)
            return m, k
        if raw.base == "b" and dense is not None and raw.sub == "" and (own := biases(dense)) \
                and all(b is not None for b in own):
            return sp.ImmutableMatrix([[b] for b in own]), k
        if raw.sub in ("+", "new"):
            return None
        if raw.base in DELTA_BASES and dense is not None:
            deltas = {t.neuron: t.delta for t in self.truth.derivation.deltas}
            return per_sample(sp.ImmutableMatrix([[deltas[n]] for n in dense.neurons])), k
        if raw.base in ("a", "h", "o", "out", "y", "A") or raw.base in INPUT_BASES:
            column = net.inputs if dense is None else dense.outs
            return per_sample(sp.ImmutableMatrix([[x] for x in column])), k
        if raw.base in ("z", "net", "Z") and dense is not None:
            return per_sample(sp.ImmutableMatrix([[x] for x in dense.nets])), k
        return None

    def vector(self, raw: RawName) -> tuple[sp.MatrixBase, int] | None:
        """d2l's and CS231n's one-hidden-layer names, no layer written: x, h, ŷ (o: the logits beside ŷ, else the
        outputs) as the layers' columns, W_1, W_2 (W_1 h-side: the hidden layer's) as their matrices; a digit in
        parentheses above a column is a sample of the batch (ŷ^{(1)}). Only names the network has not itself."""
        net = self.net
        batch = raw.sup.strip("(){}").isdigit() and not raw.sub and len(self.truth.copies) > 1  # h^{(1)}: a sample's
        if len(net.layers) != 2 or raw in self.defined or (self._named(raw) is not None and not batch):
            return None  # (never neuron h1 there, though h + 1 spells its name)
        sides = {"hidden": net.layers[0], "output": net.layers[1]}  # Rashid's X_{hidden}, O_{output}, W_{hidden_output}
        if raw.base in ("X", "O") and raw.sub in sides and not raw.sup:
            side = sides[raw.sub]
            return sp.ImmutableMatrix([[q] for q in (side.nets if raw.base == "X" else side.outs)]), \
                net.layers.index(side) + 1
        if raw.base == "I" and not raw.sub and not raw.sup and len(self.truth.copies) == 1:
            return sp.ImmutableMatrix([[x] for x in net.inputs]), 0
        link = raw.sub.replace("\\_", "_")
        if raw.base == "W" and link in ("input_hidden", "hidden_output") and not raw.sup:
            W = grid(net.layers[0 if link == "input_hidden" else 1])
            return (sp.ImmutableMatrix(W), 1 if link == "input_hidden" else 2) if W is not None else None
        if raw.base == "W" and raw.sub in ("1", "2") and not raw.sup and not raw.accent:
            dense = net.layers[int(raw.sub) - 1]
            W = grid(dense)
            return (sp.ImmutableMatrix(W), int(raw.sub)) if W is not None else None
        number = raw.sup.strip("(){}")
        if raw.sup and (not number.isdigit() or len(self.truth.copies) == 1):
            return None
        sample = int(number) if number else 1
        layers = {layer.name: layer for layer in net.layers}
        if raw.sub in layers and not raw.accent:  # z_h, δ_y^{(1)}: the column of the layer named in the subscript
            named, k = layers[raw.sub], net.layers.index(layers[raw.sub]) + 1
            deltas = {t.neuron: t.delta for t in self.truth.derivation.deltas}
            column = named.nets if raw.base in NET_BASES else named.outs if raw.base in OUT_BASES \
                else tuple(deltas[n] for n in named.neurons) if raw.base in DELTA_BASES else ()
            found = self.truth.in_sample(sp.ImmutableMatrix([[q] for q in column]), sample) if column else None
            return (found, k) if found is not None and len(column) > 1 else None
        if raw.sub:
            return None
        vectors = [(k, layer.biases) for k, layer in enumerate(net.layers, 1) if len(set(layer.biases)) > 1
                   and None not in layer.biases]
        if raw.base == "b" and not raw.sup and len(vectors) == 1:  # b: the one layer with a bias per neuron
            return sp.ImmutableMatrix([[q] for q in vectors[0][1]]), vectors[0][0]
        if raw.base in layers and not raw.accent and len(layers[raw.base].outs) > 1:  # y^{(1)}: layer y's outputs
            found = self.truth.in_sample(sp.ImmutableMatrix([[q] for q in layers[raw.base].outs]), sample)
            return (found, net.layers.index(layers[raw.base]) + 1) if found is not None else None
        hidden, output = net.layers
        if raw.base == "y" and raw.accent == "hat":
            column, k = output.outs, 2
        elif raw.accent:
            return None
        elif raw.base == "h":
            column, k = hidden.outs, 1
        elif raw.base == "x":
            column, k = net.inputs, 0
        elif raw.base == "t":
            column, k = net.targets, 2
        elif raw.base == "o":
            column, k = (output.nets if self.roles.get("o", ("out",))[0] == "net" else output.outs), 2
        else:
            return None
        if len(column) < 2:
            return None  # one output: o, ŷ are that number (Aggarwal's o = Σ_j w_j h_j)
        found = self.truth.in_sample(sp.ImmutableMatrix([[q] for q in column]), sample)
        return (found, k) if found is not None else None

    def readings(self, raw: RawName) -> set[sp.Expr]:
        """What else a name of a base with several meanings in the textbooks can stand for (Haykin's y_j is an
        output, the lecture notes' y_j a target; a and z swap between Bishop and Ng): its role's other bases."""
        if raw.base == "Err" and not raw.sup and raw not in self.defined and not self.raw_errors:
            found = self._raw_error(raw.sub)  # AIMA's Err_k = y_k − a_k (Han & Kamber's: −δ)
            return {found} if found is not None else set()
        if raw.base in ERROR_BASES and raw.sup.strip("()").isdigit() and not raw.sub and raw not in self.defined:
            return {self.truth.loss}  # E^{(1)}: the error after the first iteration (where it reads a sample's too)
        if raw.base in ERROR_BASES and not raw.sub and not raw.sup and not raw.accent and raw not in self.defined \
                and len(self.truth.copies) > 1:  # a whiteboard's ℓ = −Σ_k t_k log o_k: one sample's loss
            found = (self.truth.in_sample(self.net.error, k) for k in range(1, len(self.truth.copies) + 1))
            return {e for e in found if e is not None}
        if raw.base not in AMBIGUOUS_BASES or raw in self.defined or raw.accent \
                or (raw.base in _NEURON_ONLY and self._neuron_of(raw.sub) is None):
            return set()  # (x_1: an input)
        found = {self._network_name(RawName(b, raw.sub, raw.sup)) for b in AMBIGUOUS_BASES[raw.base]}
        return {f for f in found if f is not None}

    def alternatives(self, raw: RawName) -> list[tuple[str, sp.Expr]]:
        """Every (role, quantity) a positional name of a two-role base can stand for when only its line can tell:
        Bishop's a_2 = w_7 z_1 + w_8 z_2 + b_3 (a a net input, z a hidden output) against Ng's z/a, in any layer
        that has the position; a sample's superscript in a batch, a^{(2)}_1, is that sample's."""
        if raw.base not in AMBIGUOUS_BASES or raw in self.defined or raw.accent:
            return []
        if raw.base == "o" and self._named(raw) is not None:
            return []  # seed 000's o_2 is its neuron o2: only a sheet whose network has no o's reads o as logits
        net = self.net
        if self._neuron_of(raw.sub) is not None and not raw.sup:  # Haykin's y_{o1}: the output of o1 (the notes':
            # its target); Kröse's y_o of the one output unit o
            found_n: list[tuple[str, sp.Expr]] = []
            for role in AMBIGUOUS_BASES[raw.base]:
                e = self._network_name(RawName(role, raw.sub, "")) if role != "x" else None  # (inputs: no neuron)
                if e is not None:
                    found_n.append((role, e))
            return found_n
        if raw.base in _NEURON_ONLY:
            return []  # (x_1, x^{(2)}_1: an input, a sample's input; C_0 a cost)
        if raw.base == "y" and not raw.sub and not raw.sup and len(net.outputs) == 1:
            # MIT's L = ½(A^2 − y)²: one output, y the output or its target — the line tells
            found_y = [(role, self._network_name(RawName(role))) for role in ("out", "t")]
            return [(role, e) for role, e in found_y if e is not None]
        if not raw.sub.isdigit():
            return []
        k = int(raw.sub) - 1
        number = raw.sup[1:-1] if raw.sup[:1] + raw.sup[-1:] in ("()", "{}") else raw.sup
        sample = self.sample  # (the sample its line says: "ex2: δ2*a2")
        if raw.sup and number.isdigit() and len(self.truth.copies) == 1:  # z^{(3)}_2: that layer's net input or
            # output (Japanese textbooks: u the net input, z the output), or its error term (Hagan's s^m)
            by_layer = [(role, self._alias(RawName(role, raw.sub, number))) for role in AMBIGUOUS_BASES[raw.base]
                        if role in ("net", "out", "delta")]
            return [(role, e) for role, e in by_layer if e is not None]
        if raw.sup:
            if not number.isdigit() or not 1 <= int(number) <= len(self.truth.copies) or len(self.truth.copies) == 1:
                return []
            sample = int(number)
        found: list[tuple[str, sp.Expr]] = []
        for role in AMBIGUOUS_BASES[raw.base]:
            if role == "x":
                column = [list(net.inputs)]
            elif role == "t":
                column = [list(net.targets)]
            elif role == "delta":
                column = [[self.truth.delta_symbol(n) for n in layer.neurons] for layer in net.layers]
            else:
                column = [list(layer.nets if role == "net" else layer.outs) for layer in net.layers]
            for quantities in column:
                if 0 <= k < len(quantities):
                    e = self.truth.in_sample(quantities[k], sample)
                    if e is not None:
                        found.append((role, e))
        return found

    def unit_deltas(self, raw: RawName) -> list[sp.Expr]:
        """δ_k, δ^{(n)}_k: the error term of unit k of any layer (Bishop numbers the hidden units and the outputs
        alike), of sample n in a batch — for a number to tell which."""
        number = raw.sup.strip("()[]{}")
        if raw.base not in DELTA_BASES or raw in self.defined or not raw.sub.isdigit() or (raw.sup and (
                not number.isdigit() or len(self.truth.copies) == 1)):
            return []
        k, sample = int(raw.sub) - 1, int(number) if raw.sup else self.sample
        units = [layer.neurons[k] for layer in self.net.layers if 0 <= k < len(layer.neurons)]
        found = [self.truth.in_sample(self._neurons()[n][2], sample) for n in units]
        return [e for e in found if e is not None]

    def read_as(self, raw: RawName, e: sp.Expr) -> None:
        """The sheet's notation: raw means e, and its letter keeps that role (Bishop's z an output) in this layer."""
        self.defined[raw] = e
        if raw.sup and self.sample_reading(raw) == e:
            self.sample_bases.add(raw.base)
        self.note_role(raw, e)

    def note_role(self, raw: RawName, e: sp.Expr) -> None:
        """A two-role letter read as e on the sheet (z^{(1)}_1 = w_1 x_1 + …): it keeps that role there."""
        for role, layer in self.roles_of(e):
            if raw.base in AMBIGUOUS_BASES and role in AMBIGUOUS_BASES[raw.base] and raw.base not in self.stated:
                self.roles[raw.base] = (role, layer)

    def roles_of(self, e: sp.Expr) -> list[tuple[str, int]]:
        """The role of a network quantity (net, out, delta, t, x) and its layer (-1 for targets and inputs)."""
        for k, layer in enumerate(self.net.layers):
            if e in layer.nets:
                return [("net", k)]
            if e in layer.outs:
                return [("out", k)]
            if e in {self.truth.delta_symbol(n) for n in layer.neurons}:
                return [("delta", k)]
        if e in self.net.targets:  # (a label's "y = (1, 0, 0)": y the targets on this sheet)
            return [("t", -1)]
        return [("x", -1)] if e in self.net.inputs else []

    def _in_role(self, raw: RawName) -> sp.Expr | None:
        """z_2 after z_1 was read as h1's output: h2's output (the same role, the same layer first)."""
        role, layer = self.roles[raw.base]
        if role == "x":  # Zurada's z_i: input i
            k = int(raw.sub) - 1 if raw.sub.isdigit() and not raw.sup else -1
            return self.net.inputs[k] if 0 <= k < len(self.net.inputs) else None
        fits = [e for r, e in self.alternatives(raw) if r == role]
        if not fits and raw.sup and not raw.sub and self._neuron_of(raw.sup) is not None:  # Gurney's a^{o1}: a_{o1}
            fits = [e for r, e in self.alternatives(RawName(raw.base, raw.sup, "")) if r == role]
        same = [e for e in fits if self.roles_of(e) == [(role, layer)]]
        return (same or fits or [None])[0]

    def layer_reading(self, raw: RawName) -> sp.Expr | None:
        """What z^{(2)}_1, δ^{(1)}_2 mean with the superscript read as a layer (None: no such layer quantity)."""
        with self._network_only():
            try:
                return self._alias(raw)
            except Unresolved:
                return None

    def sample_reading(self, raw: RawName) -> sp.Expr | None:
        """δ^{(2)}_2 in a batch read as sample 2's δ_2 (not layer 2's): the other reading of a sample-like digit."""
        number = raw.sup.strip("()[]{}")
        if len(self.truth.copies) == 1 or not number.isdigit() or raw.base in ("w", "W", "b"):
            return None
        plain = RawName(raw.base, raw.sub, "")
        try:
            first = self.name(plain) or self._per_weight(plain)
        except Unresolved:
            return None
        return self.truth.in_sample(first, int(number)) if first is not None else None

    def own(self, raw: RawName) -> bool:
        """Is this a name of the student's own (δ5, Δ, g), not one the network knows?"""
        with self._network_only():
            return self.name(raw) is None

    @contextmanager
    def _ng_count(self) -> Iterator[None]:
        """A name of a sheet counting its bracketed layers from the inputs, shifted to Ng's count, read once in
        that count and as the network's (the student's own names are under the sheet's count)."""
        self.bracket_from_input = False
        try:
            with self._network_only():
                yield
        finally:
            self.bracket_from_input = True

    @contextmanager
    def _network_only(self) -> Iterator[None]:
        """The names read as the network's, the student's own definitions set aside meanwhile."""
        saved, self.defined = self.defined, {}
        try:
            yield
        finally:
            self.defined = saved

    def layer_word(self, raw: RawName) -> RawName:
        """Raschka's a^{(in)}, a^{(h)}_1, z^{(out)}: the layer's word as its number in this sheet's numbering (and MIT's
        W^l_0 as b^l)."""
        word = raw.sup
        if raw.base == "W" and raw.sub == "0" and word.isdigit():
            return replace(raw, base="b", sub="")  # MIT 6.036's W^l_0: layer l's offsets, its biases
        layers = len(self.net.layers)
        k = 0 if word in ("in", "input") else layers if word in ("out", "output", "o") \
            else 1 if word in ("h", "hidden", "hid") and layers == 2 else None
        if word in LAST_LAYER and layers >= LAST_LAYER[word] and (raw.sub.isdigit() or (
                raw.base == "b" and not raw.sub)):  # 3Blue1Brown's a^{(L)}_1, a^{(L-1)}_2, b^{(L)}: the last layer,
            k = layers - LAST_LAYER[word]           # the one before it
            if raw.base in ("w", "W", "b"):  # (a weight's, a bias's digit is the layer it goes into, in either count)
                return replace(raw, sup=str(k + 1 if self.weights_into else k))
        if k is None or word in self._neurons():
            return raw
        return replace(raw, sup=str(k if self.hidden_first else k + 1))

    def name(self, raw: RawName) -> sp.Expr | None:
        """The network expression a name stands for, or None if it is not the network's."""
        unprimed = raw.base.rstrip("'")
        if self.truth.step and len(raw.base) - len(unprimed) == self.truth.step and unprimed in ("w", "W", "b"):
            return self.name(replace(raw, base=unprimed))  # w_5' after the first pass: this step's w5 (not the
            # w_5' = w_5 − η ∂E/∂w_5 an answer of the first pass defined, one step further on here)
        if raw in self.defined:
            defined = self.defined[raw]
            if self.sample > 1 and self._sample(raw) is None and all(
                    self.truth.sample_of(x) in (None, 1) for x in defined.free_symbols if isinstance(x, sp.Symbol)):
                return self.truth.in_sample(defined, self.sample)  # (the sheet's a1, said on a line of sample 2)
            return defined
        if self.bracket_from_input and (shifted := _counted_from_hidden(raw)) is not None:
            with self._ng_count():
                return self.name(shifted)
        if raw.base in self.rules and raw.sub and not raw.sup and not raw.accent \
                and (ruled := self._by_rule(raw)) is not None:
            return ruled  # (E_total after "E = ½(target − out)²" for every unit: no unit "total", the error)
        if raw.base in ACTUAL_BASES and self.actual == "out":
            return self.name(replace(raw, base="output"))
        if raw.sub in self.unit_labels:  # MIT 6.034's z_A, o_C: the unit the sheet lettered A, C
            return self.name(replace(raw, sub=self.unit_labels[raw.sub]))
        if "," in raw.sub and any(p in self.unit_labels for p in raw.sub.split(",")):  # Kriesel's w_{h_2,Ω}
            return self.name(replace(raw, sub=",".join(self.unit_labels.get(p, p) for p in raw.sub.split(","))))
        layer_unit = re.fullmatch(r"([A-Za-z]+),([0-9]+)", raw.sub)
        if layer_unit and raw.base not in ("w", "W") and layer_unit[1] + layer_unit[2] in self._neurons():
            return self.name(replace(raw, sub=layer_unit[1] + layer_unit[2]))  # δ_{y,2}: the layer's unit y2
        summed = re.fullmatch(r"\{(\d+)\}", raw.sup)
        if summed and replace(raw, sup=summed[1]) in self.defined:
            return self.defined[replace(raw, sup=summed[1])]  # Σ_i L^{(i)} over the student's own L^{(1)}, L^{(2)}
        if raw.base in self.declared_nets and raw.sub.isdigit() and not raw.sup and not raw.accent:
            nets = self.net.layers[self.declared_nets[raw.base]].nets
            return self.truth.in_sample(nets[int(raw.sub) - 1], self.sample) if 1 <= int(raw.sub) <= len(nets) \
                else None
        if self.layer_first and raw.base in LAYER_FIRST_BASES and raw.sub.isdigit():
            unit = self._layer_first(raw)  # (z_1 of a layer of two units: a vector, no one quantity)
            return self.truth.in_sample(unit, self.sample) if unit is not None else None
        if self.through and raw.base in _THROUGH_BASES and not raw.accent \
                and (found := self._through_reading(raw)) is not None:
            return found  # Negnevitsky's o_1: unit 1 of his numbering (an input), not the network's o1
        if raw.sup == PATTERN_INDEX and len(self.truth.copies) == 1 and raw.sup not in self._neurons():
            return self.name(replace(raw, sup=""))  # Kröse's s^p_k with one pattern: that pattern's s_k
        if raw.sub.startswith(PATTERN_INDEX) and raw.sup in LAYER_LETTERS and len(self.truth.copies) == 1 \
                and raw.sub not in self._neurons():  # Freeman & Skapura's net^h_{p2}, δ^o_p: pattern p's (the one)
            return self.name(replace(raw, sub=raw.sub[len(PATTERN_INDEX):]))
        if raw.base in CAPITAL_LAYER and raw.sup.isdigit() and not raw.accent and self._named(raw) is None:
            # MIT 6.036's Z^l_j, A^l_j (A^0 the inputs): layer l's net input and output, as z and a with a layer
            base = "a" if raw.base == "A" and int(raw.sup) == (0 if self.hidden_first else 1) else \
                CAPITAL_LAYER[raw.base]
            if raw.sub.isdigit():
                return self.name(replace(raw, base=base))
            return self._only_unit(replace(raw, base=base, sub="1")) if not raw.sub else None
        if self.reversed_layers and raw.sup.isdigit() and raw.base in _REVERSIBLE:
            raw = replace(raw, sup=self._unreversed(raw))
        if (layered := self.layer_word(raw)) != raw:  # (its number a layer's, not a sample's: δ^{h}_1 on a sheet
            bases = self.sample_bases                    # that wrote δ_3^{(1)} for sample 1)
            self.sample_bases = bases - {raw.base}
            try:
                return self.name(layered)
            finally:
                self.sample_bases = bases
        found = self._in_role(raw) if raw.base in self.roles and not getattr(raw, "accent", "") else None
        if found is None:
            found = self._network_name(raw)
        if found is not None and raw.base in self.negated and found in self.truth.deltas:
            found = -found
        if found is not None and self.sample > 1 and self._sample(raw) is None:
            found = self.truth.in_sample(found, self.sample)
        return found

    def _by_rule(self, raw: RawName) -> sp.Expr | None:
        """E_{o1} on a sheet whose rule is E = ideal − actual: the rule with each unindexed name indexed o1; β_2
        where β_k = W^2_k: the rule with its letter k made 2."""
        rule = self.rules.pop(raw.base)  # (a rule that names itself is not read through itself)
        letter = rule.letter
        indexed = {s: replace(r, sub=r.sub.replace(letter, raw.sub) if letter else raw.sub)
                   for s, r in rule.names.items()}
        try:
            return self.expr(rule.expr, indexed)
        except Unresolved:
            return None
        finally:
            self.rules[raw.base] = rule

    def carry_notation(self, other: Resolver) -> None:
        """What another step's answers showed of the sheet's notation (its layer numbering, its index order), where
        this step's have shown nothing yet: one student writes one notation; so are its rules for every unit ("s =
        σ(v)" in the first pass: s_{o_1} in the second is an output). (Not the roles of its letters, but those its
        rules are written in: those are read line by line.)"""
        for flag in _NOTATION_FLAGS:
            if getattr(self, flag) in (None, False) and getattr(other, flag) not in (None, False):
                setattr(self, flag, getattr(other, flag))
        for base, rule in other.rules.items():
            self.rules.setdefault(base, rule)
            for raw in rule.names.values():  # (and the roles of the letters it is written in: h = th(z), z a net)
                if raw.base in other.roles:
                    self.roles.setdefault(raw.base, other.roles[raw.base])

    def _unreversed(self, raw: RawName) -> str:
        """Kubat's layer number as this reader's: the weights' (2) is our (1), a neuron's (1) is the output layer."""
        k, count = int(raw.sup), len(self.net.layers)
        if not 1 <= k <= count:
            return raw.sup
        return str(count + 1 - k if raw.base in ("w", "W", "b") or self.hidden_first else count + 2 - k)

    def _network_name(self, raw: RawName) -> sp.Expr | None:
        net = self.net
        if (entry := self._comma_layer(raw)) is not None:
            return entry
        unprimed = raw.base.rstrip("'")
        primes = len(raw.base) - len(unprimed)
        if primes and self.truth.step and primes == self.truth.step and unprimed in QUANTITY_BASES:
            # out_{h1}', E_{total}', w_6' in the second pass: the quantities after the update, this network's own
            return self.name(replace(raw, base=unprimed))
        if primes and self.truth.step and primes == self.truth.step + 1 and unprimed in ("w", "W", "b"):
            param = self.name(replace(raw, base=unprimed))  # w_3'' in the second pass: after the second update
            return self.truth.target(f"{param.name}+").expr if isinstance(param, sp.Symbol) and param in net.params \
                else None
        if primes and unprimed == "z" and not raw.sub and not raw.sup and not self.truth.step:
            return self._primed_net(primes)
        accent = getattr(raw, "accent", "")
        if accent:  # \hat{y}_1: a prediction, i.e. an output; other accents are not the network's
            if accent == "hat" and raw.base == "y" and self.roles.get("y", ("", 0))[0] == "out":
                return self._alias(RawName("t", raw.sub, raw.sup))  # Li Hongyi: y the output, so ŷ the target
            if accent == "hat" and raw.base in ("y", "o", "a", "t"):  # ŷ^{(2)}_3: in a batch, sample 2's
                hat = RawName("yhat", raw.sub, raw.sup)
                return self._sample(hat) or self._alias(hat)
            return None
        if raw.sup.isdigit() and raw.sub.lower() in NEW_WORDS:  # w6_new, w6_baru: the digits are w's index
            plain = self.name(RawName(raw.base, raw.sup, ""))  # (as w_6^{+}: at a later step, the network's own)
            if plain is not None and plain in net.params:
                return plain if self.truth.step else self.truth.target(f"{plain.name}+").expr
        for mark, updated in (("new", True), ("+", True), ("previous", False), ("old", False), ("prev", False)):
            if raw.sub.endswith(mark) and raw.sub != mark:  # seed 001's W_{11,new}^1, W_{11,previous}^1
                plain = self.name(RawName(raw.base, raw.sub[:-len(mark)].rstrip(","), raw.sup))
                if plain is None or plain not in net.params:
                    return None
                return self.truth.target(f"{plain.name}+").expr if updated else plain
        if raw.base.startswith(DELTA_STEP) and len(raw.base) > len(DELTA_STEP) and raw.sup != "+":
            inner = self.name(RawName(raw.base[len(DELTA_STEP):], raw.sub, raw.sup))
            if inner is not None and inner in net.params:  # Δw5 = w5⁺ − w5 = −η ∂E/∂w5
                return self.truth.target(f"{inner.name}+").expr - inner
            return None
        sample = self._sample(raw)
        if sample is not None:
            return sample
        xigua = self._xigua(raw)
        if xigua is not None:
            return xigua
        if raw.sup.endswith("+") or (raw.sup and raw.sup.strip("*") == ""):
            # w_5^{+}, w_5^{++} (a chat's w5*, w5**): after one, two updates (of the first network); b^{(2)}_2 ←
            layer = raw.sup.rstrip("+*")  # (the judge's mark on a layer's parameter assigned to: its layer kept)
            base = self.name(RawName(raw.base, raw.sub, layer))
            if base is None or base not in net.params:
                return None
            pluses = len(raw.sup) - len(layer)
            if pluses == self.truth.step + 1:
                return self.truth.target(f"{base.name}+").expr
            # at a later step the weights already updated are the network's own (the second pass's w_5^{+})
            return base if pluses == self.truth.step else None
        declared = self._declared_weight(raw)
        if declared is not None:
            return declared
        found = self._named(raw)
        if found is None and raw.base in ("w", "W") and raw.sup.isdigit() and raw.sub:
            # Haykin's w^{(1)}_{13}: the notes' W^1_{13}
            found = self._named(replace(raw, base="W" if raw.base == "w" else "w"))
        if found == net.error:
            return self.truth.loss  # several samples: the loss over the batch
        return found if found is not None else self._alias(raw)

    def _comma_layer(self, raw: RawName) -> sp.Expr | None:
        """Prince's ω_{0,12}, β_{0,1}, f_{0,1}, h_{1,2} and Khapra's W_{1,12}, b_{2,3}, a_{2,3}, h_{1,2}: the layer
        before the comma, the entry after it (row: the neuron fed, column: the input), f and a the net inputs, h the
        outputs. Prince counts Ω, β and f from 0 (f_0 = Ω_0 x + β_0 feeds hidden layer 1), h and the rest from 1.
        Shalev-Shwartz & Ben-David write every index after a comma and count layers from V_0, the inputs: W_{t,i,j}
        from neuron j of V_t to neuron i of V_{t+1}, o_{t,i} the output of neuron i of V_t (o_{0,j} input j)."""
        m = re.fullmatch(r"(\d),(\d{1,2})|(?P<t>\d),(?P<i>\d),(?P<j>\d)", raw.sub)
        if m is None or raw.sup or getattr(raw, "accent", "") or raw.base not in _COMMA_BASES \
                or (raw.base == "delta" and not self.layer_first):  # (Shalev-Shwartz's δ_{t,i}: read elsewhere)
            return None
        if m["t"] is not None:
            if raw.base not in ("w", "W"):
                return None
            k, entry = int(m["t"]) + 1, m["i"] + m["j"]
        else:
            k, entry = int(m[1]) + (raw.base in ("omega", "Omega", "beta", "f")), m[2]
        layers = self.net.layers
        if raw.base == "o" and k == 0 and len(entry) == 1 and 1 <= int(entry) <= len(self.net.inputs):
            return self.net.inputs[int(entry) - 1]
        if not 1 <= k <= len(layers) or (raw.base == "h" and k == len(layers)):
            return None
        layer, index = layers[k - 1], [int(c) - 1 for c in entry]
        if raw.base in ("omega", "w", "W"):
            matrix = grid(layer)
            if matrix is None or len(index) != 2 or not (0 <= index[0] < len(matrix)
                                                         and 0 <= index[1] < len(matrix[index[0]])):
                return None
            return matrix[index[0]][index[1]]
        if len(index) != 1 or not 0 <= index[0] < len(layer.neurons):
            return None
        if raw.base in ("beta", "b"):
            bias = biases(layer)
            return bias[index[0]] if index[0] < len(bias) else None
        return self._unit_quantity(raw.base, layer, index[0])

    def _unit_quantity(self, base: str, layer: Layer, i: int) -> sp.Expr:
        """Unit i's output (h, o; a on a layer-first sheet, where z is the net input), δ, or net input."""
        if base == "delta":
            return self.truth.delta_symbol(layer.neurons[i])
        return (layer.outs if base in ("h", "o") or (base == "a" and self.layer_first) else layer.nets)[i]

    def _layer_first(self, raw: RawName) -> sp.Expr | None:
        """z_2, a_2, δ_2 on a layer-first sheet: layer 2's one unit (a layer of several units: not one quantity)."""
        if raw.sup or getattr(raw, "accent", "") or not 1 <= int(raw.sub) <= len(self.net.layers):
            return None
        layer = self.net.layers[int(raw.sub) - 1]
        return self._unit_quantity(raw.base, layer, 0) if len(layer.neurons) == 1 else None

    def _declared_weight(self, raw: RawName) -> sp.Expr | None:
        """w^{(1)}_{12} on a sheet that declared its weights' index order (weight_order): read in that order."""
        sub = raw.sub.replace(",", "")  # (W^{(1)}_{1,2})
        if not self.weight_order or raw.base not in ("w", "W") or not raw.sup.isdigit() \
                or len(sub) != 2 or not sub.isdigit():
            return None
        sub = sub if self.weight_order == "to" else sub[::-1]
        layer = int(raw.sup)
        return self._positional_param(raw.base, layer - 1 if self.weights_into else layer, sub)

    def _xigua(self, raw: RawName) -> sp.Expr | None:
        """西瓜书 (Zhou Zhihua §5.3), one hidden layer: v_{ih} the weight from input i into hidden unit h (a name
        nothing else gives, so it sets the sheet's notation); on such a sheet w_{hj} the weight from hidden unit h
        into output j and b_h the output of hidden unit h."""
        layers = self.net.layers
        if len(layers) != 2 or raw.sup or getattr(raw, "accent", "") or not raw.sub.isdigit():
            return None
        if raw.base == "v" and len(raw.sub) == 2:
            h, i = int(raw.sub[1]) - 1, int(raw.sub[0]) - 1
            first = grid(layers[0]) or ()
            if 0 <= h < len(first) and 0 <= i < len(first[h]):
                self.xigua = True
                return first[h][i]
            return None
        if not self.xigua:
            return None
        if raw.base == "w" and len(raw.sub) == 2:
            return self.xigua_weight(raw.sub)
        if raw.base == "b" and 1 <= int(raw.sub) <= len(layers[0].outs):
            return layers[0].outs[int(raw.sub) - 1]
        # g_j = ŷ_j(1 − ŷ_j)(y_j − ŷ_j) and e_h = b_h(1 − b_h) Σ_j w_{hj} g_j: the error terms with the book's sign
        for base, layer in (("g", layers[1]), ("e", layers[0])):
            if raw.base == base and 1 <= int(raw.sub) <= len(layer.neurons):
                return -self.truth.delta_symbol(layer.neurons[int(raw.sub) - 1])
        return None

    def xigua_weight(self, sub: str) -> sp.Expr | None:
        """w_{hj} read as 西瓜书 does: from hidden unit h into output j."""
        second = grid(self.net.layers[-1]) or ()
        j, h = int(sub[1]) - 1, int(sub[0]) - 1
        return second[j][h] if len(self.net.layers) == 2 and 0 <= j < len(second) and 0 <= h < len(second[j]) \
            else None

    def _primed_net(self, primes: int) -> sp.Symbol | None:
        """Li Hongyi's z′, z″: the net inputs of the first and second neuron the hidden layer feeds (the outputs of a
        network with one hidden layer; with more layers it is not clear which)."""
        layers = self.net.layers
        if len(layers) != 2 or primes > len(layers[-1].nets):
            return None
        return layers[-1].nets[primes - 1]

    def _named(self, raw: RawName) -> sp.Symbol | None:
        """The network's own name for it: W^{(1)}_{32} is W1_32, w_5 is w5, h_1 is h1 (its output)."""
        net = self.net
        candidates = [raw.base + raw.sup + ("_" if raw.sup and raw.sub else "") + raw.sub]
        if not raw.sup:
            candidates += [raw.base + raw.sub, f"{raw.base}_{raw.sub}" if raw.sub else raw.base]
        for c in candidates:
            for s, q in net.quantities.items():
                if q.name == c and q.kind is not Kind.NET and q.kind is not Kind.OUT:
                    return s
            if c == net.learning_rate.name:
                return net.learning_rate
            if c in self._neurons():
                return self._neurons()[c][1]
        return None

    def neurons(self) -> dict[str, tuple[sp.Symbol, sp.Symbol, sp.Symbol]]:
        """neuron name → (net, out, δ): the units a sheet's own names may number (dh2, dEdout_h2)."""
        return self._neurons()

    def _neurons(self) -> dict[str, tuple[sp.Symbol, sp.Symbol, sp.Symbol]]:
        """neuron name → (net, out, δ)."""
        out = {}
        for layer in self.net.layers:
            for k, n in enumerate(layer.neurons):
                out[n] = (layer.nets[k], layer.outs[k], self.truth.delta_symbol(n))
        return out

    def _by_position(self, sup: str, sub: str) -> tuple[sp.Symbol, sp.Symbol, sp.Symbol] | None:
        """z^{(l)}_i / a^{(l)}_i: layer l counted with the inputs as layer 1 (or, on a sheet that counts from the
        first hidden layer, as layer 0)."""
        if not (sup.isdigit() and (sub.isdigit() or not sub)):
            return None
        li, i = int(sup) - (0 if self.hidden_first else 1), int(sub or 1) - 1
        if 1 <= li <= len(self.net.layers):
            layer = self.net.layers[li - 1]
            if 0 <= i < len(layer.neurons) and (sub or len(layer.neurons) == 1):  # a^{(2)}: a layer of one unit
                return self._neurons()[layer.neurons[i]]
        return None

    def _neuron_of(self, sub: str) -> tuple[sp.Symbol, sp.Symbol, sp.Symbol] | None:
        neurons = self._neurons()
        if sub in neurons:
            return neurons[sub]
        outputs = self.net.layers[-1].neurons
        if sub in OUTPUT_INDEX and len(outputs) == 1 and sub not in {x.name for x in self.net.inputs}:
            return neurons[outputs[0]]  # Kröse & van der Smagt's s_o, y_o, δ_o: the output unit o, here the only one
        m = re.fullmatch(r"([yo])_?([1-9])", sub)
        if m is not None:  # Kubat's net_{y_2}: output unit 2's, the sheet's y_2 (Zurada's δ_{y2}: hidden unit 2's)
            role = self.roles.get("y") if m[1] == "y" else None
            units = self.net.layers[role[1]].neurons if role is not None and role[0] == "out" else outputs
            return neurons[units[int(m[2]) - 1]] if int(m[2]) <= len(units) else None
        return None

    def _output_index(self, sub: str) -> int | None:
        """o1, o_1 → 0 (by neuron name, or by position after a letter), 1 → 0."""
        outs = self.net.layers[-1].neurons
        if sub in outs:
            return outs.index(sub)
        digits = sub.lstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        if digits.isdigit() and 1 <= int(digits) <= len(outs) and (digits == sub or sub[0] in "oyk"):
            return int(digits) - 1
        return None

    def _raw_error(self, sub: str) -> sp.Expr | None:
        """Russell & Norvig's Err_k = y_k − a_k of output k (one sample)."""
        k = self._output_index(sub)
        if k is None or len(self.truth.copies) > 1:
            return None
        return self.net.targets[k] - self.net.layers[-1].outs[k]

    def _output_error(self, sub: str) -> sp.Expr | None:
        """E_{o1}: the term of a sum-over-outputs loss that belongs to one output (one sample only)."""
        from ..losses import loss_expr
        k = self._output_index(sub)
        net = self.net
        if k is None or len(net.samples) > 1:
            return None
        n = len(net.outputs)
        term = loss_expr(net.loss_name, [net.layers[-1].outs[k]], [net.targets[k]])
        return term / n if net.loss_name == "mse" else term

    def _derivative_at(self, function: str, sub: str) -> sp.Expr | None:
        net = self.net
        if f"{function}{sub}" in self._neurons():  # seed 001's h'_2 = (x W)_2: the net input of neuron h2
            return self._neurons()[f"{function}{sub}"][0]
        found = self._neuron_of(sub)
        if found is None and sub.isdigit():  # Φ'_1: the first neuron of the layer whose activation is Φ
            for layer in net.layers:
                if layer.activation.name == "abstract" and layer.activation.function in (function,
                                                                                         function.capitalize()):
                    k = int(sub) - 1
                    found = self._neurons()[layer.neurons[k]] if 0 <= k < len(layer.neurons) else None
        if found is None:
            return None
        for layer in net.layers:
            if found[0] in layer.nets and layer.activation.elementwise:  # the neuron's own activation
                r = layer.nets.index(found[0])
                return self._derivative_of(layer, r, layer.activation_of(r))
        return None

    @staticmethod
    def _derivative_of(layer: Layer, r: int, activation: Activation) -> sp.Expr:
        """The derivative of unit r's activation at its net input: a sigmoid's or tanh's in its output (o(1 − o),
        the factors a line shows; with a skip, σ(net) is out − the added output), any other's differentiated."""
        x = layer.nets[r]
        if activation.name in ("sigmoid", "tanh"):
            return activation.derivative(x, layer.outs[r] - (layer.skip[r] if layer.skip else 0))
        n = sp.Dummy("n", real=True)
        return sp.diff(activation.forward(n), n).subs(n, x)

    def _fausett_net(self, layer: str, k: int) -> sp.Expr | None:
        """Fausett's y_in_k (output unit k) and z_in_j (hidden unit j, with one hidden layer): a net input."""
        layers = self.net.layers
        if len(layers) != 2:
            return None
        self.xigua = True  # the book's v_{ij} (input i → hidden j) and w_{jk} (hidden j → output k), as 西瓜书's
        self.fausett = True  # and its z_j, y_k: the outputs of hidden unit j, of output unit k
        units = layers[-1] if layer == "outputs" else layers[0]
        return units.nets[k - 1] if 1 <= k <= len(units.nets) else None

    def _through_reading(self, raw: RawName) -> sp.Expr | None:
        """y_k, o_k (unit k's output: an input's value for k ≤ n), e_k (its error t − y), y_{d,k} (its desired
        output) in the numbering through the network (_through)."""
        net = self.net
        numbered = re.fullmatch(r"(d,)?(\d+)", raw.sub)
        if numbered is None or raw.sup or raw.base not in _THROUGH_BASES or (numbered[1] and raw.base != "y"):
            return None
        k = int(numbered[2])
        if raw.base not in ("y", "e", "o", "O"):  # (Buduma's z_4, t_5, b_5; Han & Kamber's I_4, T_6, θ_4)
            return self._through_other(raw.base, k)
        if raw.base in ("y", "o", "O") and not numbered[1] and 1 <= k <= len(net.inputs):
            return net.inputs[k - 1]  # (o_1: the output of input unit 1, its value)
        unit = self._through(k)
        if unit is None:
            return None
        if raw.base in ("y", "o", "O") and not numbered[1]:
            return unit[1]
        outs = net.layers[-1].outs
        if unit[1] not in outs:
            return None
        target = net.targets[outs.index(unit[1])]
        return target if numbered[1] else target - unit[1]

    def _through_other(self, base: str, k: int) -> sp.Expr | None:
        """Unit k's net input (z_k, I_k), target (t_k, T_k, of an output) or bias (b_k, θ_k) in the numbering through
        the network."""
        k -= len(self.net.inputs)
        for layer in self.net.layers:
            if 1 <= k <= len(layer.neurons):
                net, out, _ = self._neurons()[layer.neurons[k - 1]]
                if base in ("z", "I"):
                    return net
                if base in ("b", "theta"):
                    own = biases(layer)
                    return own[k - 1] if own else None
                outs = self.net.layers[-1].outs
                return self.net.targets[outs.index(out)] if out in outs else None
            k -= len(layer.neurons)
        return None

    def past_widest(self, k: int) -> bool:
        """Is unit number k past the widest layer (the inputs counted as one), so that only the numbering through
        the network (_through) has it? Negnevitsky's y_5, w_{35} on a 2-2-2 network."""
        net = self.net
        return k > max(len(net.inputs), *(len(layer.neurons) for layer in net.layers))

    def _through(self, k: int) -> tuple[sp.Symbol, sp.Symbol, sp.Symbol] | None:
        """Unit k of a numbering through the whole network, the inputs 1 … n first (Negnevitsky: y_3 the first hidden
        unit's output after inputs 1, 2); None for an input or past the last unit."""
        k -= len(self.net.inputs)
        for layer in self.net.layers:
            if 1 <= k <= len(layer.neurons):
                return self._neurons()[layer.neurons[k - 1]]
            k -= len(layer.neurons)
        return None

    def _by_index(self, k: int) -> tuple[sp.Symbol, sp.Symbol, sp.Symbol] | None:
        """Unit k (1-based) where a name gives only a number: the k-th output, or with a single output the k-th
        unit of the last hidden layer (u_2 in seed 001)."""
        layers = self.net.layers
        layer = layers[-1] if len(layers[-1].neurons) > 1 or len(layers) == 1 else layers[-2]
        return self._neurons()[layer.neurons[k - 1]] if 1 <= k <= len(layer.neurons) else None

    def _between(self, base: str, a: str, b: str) -> sp.Expr | None:
        """x_{j,i} (the input from i into j) and w_{i,j} / w_{j,i} (the weight between two units)."""
        def node(n: str) -> sp.Symbol | None:
            found = self._neuron_of(n) or (self._by_index(int(n)) if n.isdigit() else None)
            if found is not None:
                return found[1]
            inputs = {x.name: x for x in self.net.inputs}
            return inputs.get(n)

        for source, into in ((a, b), (b, a)):
            src, dst = node(source), self._neuron_of(into) or (self._by_index(int(into)) if into.isdigit() else None)
            if src is None or dst is None:
                continue
            for layer in self.net.layers:
                if dst[0] in layer.nets and src in layer.inputs:
                    if base == "x":
                        return src
                    W = grid(layer)
                    return None if W is None else W[layer.nets.index(dst[0])][layer.inputs.index(src)]
        return None

    def _through_weight(self, a: int, b: int) -> sp.Expr | None:
        """The weight between units a and b of the numbering through the network (_through), either way round."""
        def out(k: int) -> sp.Symbol | None:
            inputs = self.net.inputs
            unit = inputs[k - 1] if 1 <= k <= len(inputs) else self._through(k)
            return unit if isinstance(unit, sp.Symbol) else unit[1] if unit is not None else None

        for source, into in ((a, b), (b, a)):
            src, dst = out(source), self._through(into)
            for layer in self.net.layers:
                if src is not None and dst is not None and dst[0] in layer.nets and src in layer.inputs:
                    W = grid(layer)
                    return None if W is None else W[layer.nets.index(dst[0])][layer.inputs.index(src)]
        return None

    def _unit_pair(self, sub: str) -> tuple[str, str] | None:
        """h1o2 → (h1, o2): the one way to cut a subscript into two names of units (inputs or neurons)."""
        units = {x.name for x in self.net.inputs} | set(self._neurons())
        cuts = [(sub[:k], sub[k:]) for k in range(1, len(sub)) if sub[:k] in units and sub[k:] in units]
        return cuts[0] if len(cuts) == 1 else None

    def _positional_param(self, base: str, layer: int, sub: str) -> sp.Expr | None:
        if not 1 <= layer <= len(self.net.layers):
            return None
        own, W = biases(self.net.layers[layer - 1]), grid(self.net.layers[layer - 1]) or ()
        digits = sub.replace(",", "")
        if base == "b":
            if digits.isdigit() and 1 <= int(digits) <= len(own):
                return own[int(digits) - 1]
            if not digits and own and len(set(own)) == 1:
                return own[0]  # b^{[1]}: the one bias the layer's units share
            return None
        if len(digits) != 2 or not digits.isdigit():
            return None
        i, j = int(digits[0]) - 1, int(digits[1]) - 1
        if 0 <= i < len(W) and 0 <= j < len(W[i]):
            return W[i][j]
        return None

    def _alias(self, raw: RawName) -> sp.Expr | None:
        net = self.net
        base, sub, sup = raw.base, raw.sub, raw.sup
        if (base in SAMPLE_COUNTS or base[:1] + base[-1:] == "||") and not sub and not sup \
                and len(self.truth.copies) > 1:
            return sp.Integer(len(self.truth.copies))  # J = 1/m Σ_i L^{(i)} (Goodfellow, Ng): m samples in the batch
        if base in ERROR_BASES and (sub in TOTAL_WORDS or (
                sub == "0" and len(self.truth.copies) == 1)) and not sup:  # L_{CE}; 3Blue1Brown's C_0, one example
            return self.truth.loss
        if (base in ERROR_BASES or base == "Err") and ((sub in ("n", "p") and not sup) or (
                sup in ("n", "p") and not sub)) and len(self.truth.copies) == 1:
            return self.truth.loss  # Bishop's E_n, E^n, Kriesel's Err_p (sample n's error): with one sample, the error
        if (base in ERROR_BASES or base == "Err") and not sub and sup == str(self.truth.step + 1) \
                and len(self.truth.copies) == 1:
            return self.truth.loss  # Error^{(2)} in the second iteration's answer: this iteration's error
        if base in ERROR_BASES and sub and not sup:
            found = self._output_error(sub)
            if found is None and sub.isdigit() and 1 <= int(sub) <= len(self.truth.copies) > 1:
                return self.truth.in_sample(self.net.error, int(sub))  # Bishop's E_n of a batch: sample n's error
            return found
        if base in RATE_BASES and not sub and not sup:
            return net.learning_rate
        if base in ("w", "W", "b") and sup.startswith("[") and sup.endswith("]") and sup[1:-1].isdigit():
            return self._positional_param(base, int(sup[1:-1]), sub)  # W^{[2]}_{21}: a layer's, also in a batch
        batch = re.fullmatch(r"\[(\d)\]\((\d)\)", sup)
        if batch and base in OUT_BASES | NET_BASES | DELTA_BASES and sub.isdigit():
            # Ng's a^{[1](2)}: layer 1, sample 2
            found = self._alias(RawName(base, sub, str(int(batch[1]) + 1)))
            return self.truth.in_sample(found, int(batch[2])) if found is not None else None
        worded = re.fullmatch(r"([a-z]+)\((\d)\)", sup)
        if worded and sub and 1 <= int(worded[2]) <= len(self.truth.copies):  # δ^{out,(2)}_1: layer out, sample 2
            in_layer = self.layer_word(RawName(base, sub, worded[1]))
            found = self._alias(in_layer) if in_layer.sup != worded[1] else None
            return self.truth.in_sample(found, int(worded[2])) if found is not None else None
        if sup.startswith("[") and sup.endswith("]") and sup[1:-1].isdigit() and (len(self.truth.copies) == 1
                                                                                    or self.bracket_layers):
            # deeplearning.ai: a^{[1]} is the first hidden layer (in a batch, [k] is a sample: see _sample)
            layer = int(sup[1:-1])
            if base in OUT_BASES | NET_BASES | DELTA_BASES and sub.isdigit():
                return self._alias(RawName(base, sub, str(layer + 1)))
            return self.name(RawName(base, sub, "")) if layer else None
        if self.fausett and base in ("z", "y") and not sup and sub.isdigit() and len(net.layers) == 2:
            units = net.layers[0 if base == "z" else 1].outs
            return units[int(sub) - 1] if 1 <= int(sub) <= len(units) else None
        if base in IN_NAMES and not sup and sub.isdigit():
            return self._fausett_net(IN_NAMES[base], int(sub))
        if base == "x" and not sup and sub in self._neurons():  # Rumelhart–Hinton–Williams: x_j the total input
            # of unit j (y_j its output); LeCun's x_i = f(a_i) its output where a is the total input (the state)
            return self._neurons()[sub][1 if self.roles.get("a", ("",))[0] == "net" else 0]
        if base == "x" and sup.isdigit() and sub.isdigit() and int(sup) <= len(net.layers):
            column = net.inputs if sup == "0" else net.layers[int(sup) - 1].outs  # Learning From Data's x^{(l)}_j:
            return column[int(sub) - 1] if 1 <= int(sub) <= len(column) else None  # unit j's output (x^{(0)} inputs)
        if base == "y" and not sup and sub in (names := [x.name for x in net.inputs]):
            return net.inputs[names.index(sub)]  # RHW's y_{i_2}: the output of input unit i2 is its value
        role = {**{b: 1 for b in OUT_BASES}, **{b: 0 for b in NET_BASES}, **{b: 2 for b in DELTA_BASES}}.get(base)
        if role is not None:
            found = self._by_position(sup, sub) if sup else self._neuron_of(sub)
            if found is None and sup and not sub:  # Nielsen's a^O, z^{h1}: the neuron named in the superscript
                found = self._neuron_of(sup)
            if found is None and base in _KTH_OUTPUT and sub.isdigit() and not sup:  # (Kröse's s_k; out_1 in a Σ)
                found = self._by_index(int(sub))  # o_k, z_k: the k-th output (or, one output, hidden unit k)
            if found is None and base in ("a", "o") and sup == ("0" if self.hidden_first else "1") and sub.isdigit():
                # the inputs are the outputs of layer 0 (3Blue1Brown's a^{(0)}_k, Rojas's o^{(0)}_i)
                k = int(sub) - 1
                return net.inputs[k] if 0 <= k < len(net.inputs) else None
            if found is not None:
                return found[role]
        if base == "h" and sup.isdigit() and sub.isdigit() and self.hidden_first:  # Goodfellow's h^{(1)}_2
            found = self._by_position(sup, sub)
            return found[1] if found is not None else None
        if base == "y" and not sup and sub in self._neurons() and sub not in net.layers[-1].neurons:
            return self._neurons()[sub][1]  # Haykin's y_j: the output of a hidden unit j
        if base == "f" and not sup and sub in self._neurons():
            return self._neurons()[sub][1]  # CS221's forward value f_{h_1} of the graph's node h1: its output
        outs = net.layers[-1].outs
        if base == "p" and not sup and sub.isdigit() and len(outs) > 1 and 1 <= int(sub) <= len(outs):
            return outs[int(sub) - 1]  # p_k: the probability of class k, output k of several
        if base == "Err" and not sup and self.raw_errors:
            return self._raw_error(sub)
        if base == "Err" and not sup:  # Han & Kamber: Err_j = −∂E/∂I_j
            found = self._neuron_of(sub) or (((self.through and self._through(int(sub))) or self._by_index(int(sub)))
                                             if sub.isdigit() else None)
            return -found[2] if found is not None else None
        if base == "e" and not sup and sub in net.layers[-1].neurons:  # Haykin's error signal e_j = d_j − y_j
            k = net.layers[-1].neurons.index(sub)
            return net.targets[k] - net.layers[-1].outs[k]
        if base in ("x", "w") and "," in sub and not sup:
            return self._between(base, *sub.split(",", 1))
        if base == "w" and not sup and len(sub) == 2 and sub.isdigit() and (self.through or self.past_widest(
                int(max(sub)))):
            return self._through_weight(int(sub[0]), int(sub[1]))  # Negnevitsky's w_{35}: from unit 3 into unit 5
        if base == "w" and not sup and len(sub) == 2 and sub[0].isdigit() and sub[1] in OUTPUT_INDEX:
            return self._between(base, sub[0], sub[1])  # Kröse's w_{ho}: from hidden unit h into the output unit o
        if base == "w" and not sup and (pair := self._unit_pair(sub)) is not None:
            return self._between(base, *pair)  # Hinton's w_{h_1 o_2}: two unit names run together
        single = len(net.layers[-1].neurons) == 1
        if base in ("output", "out", "o", "Out", "y", "yhat", "prediction", "Prediction") and not sub and not sup \
                and single:
            return net.layers[-1].outs[0]  # "(target − output)" of a single-output network
        numbered = re.fullmatch(r"(d,)?(\d+)", sub)  # Negnevitsky's y_5, e_5, y_{d,5}: units numbered through
        if base in ("y", "e", "o") and not sup and numbered and (numbered[1] or (
                base != "o" and self._by_index(int(numbered[2])) is None)) \
                and (found := self._through_reading(raw)) is not None:  # the network, the inputs first
            return found
        if base == "y" and sup in self._neurons() and not sub:
            return self._alias(RawName(base, sup, ""))  # Gurney's y^{o1}: as y_{o1}
        if base in TARGET_BASES and base != "y" and sup in net.layers[-1].neurons and not sub:
            return net.target_of[sup]  # Gurney's t^{o1}: the target of the unit named in the superscript
        if base in TARGET_BASES and not sup:
            outs = net.layers[-1].neurons
            if sub in outs:
                return net.target_of[sub]
            if sub.isdigit() and 1 <= int(sub) <= len(outs):
                return net.targets[int(sub) - 1]
            if not sub and len(outs) == 1:
                return net.targets[0]
            if sub.startswith("o") and sub[1:].isdigit() and 1 <= int(sub[1:]) <= len(outs):
                return net.targets[int(sub[1:]) - 1]
            if base == "y" and sub.isdigit() and len(outs) == 1:  # Haykin's y_3: hidden unit 3's output (not a
                found = self._by_index(int(sub))                   # target: there is one output)
                return found[1] if found is not None else None
        if base in ("w", "W", "b") and sup.isdigit():  # seed 002: w^{(l)}_{ij} joins unit j of layer l to unit i of l+1
            layer = int(sup)
            if layer == len(net.layers) + 1:  # Nielsen's w^l_{jk} goes into layer l (the inputs layer 1): w^3 is
                self.weights_into = True      # the output layer's; from then on the sheet is read that way
            return self._positional_param(base, layer - 1 if self.weights_into else layer, sub)
        if base in OUTPUT_MATRIX and not sup and len(sub) == 2 and sub.isdigit() and len(net.layers) == 2:
            found = self._positional_param("W", 2, sub)  # Jurafsky & Martin's U_{kj}: from hidden j to output k
            self.output_u = self.output_u or found is not None
            return found
        if base == "W" and not sup and len(sub) == 2 and sub.isdigit() and self.output_u:
            return self._positional_param("W", 1, sub)  # beside U, W is the hidden layer's (W_{ji}: from input i)
        if base == "c" and not sup and sub.isdigit() and self.output_u:
            return self._positional_param("b", 2, sub)  # beside U, c_k is output k's bias (z = Uh + c)
        if base in ("w", "W") and sub and not sup:  # W_{32} for W^{(1)}_{32} (seed 001 leaves the layer out)
            layered = {self._named(RawName(base, sub, str(k))) for k in range(1, len(net.layers) + 1)} - {None}
            if not layered:
                layered = {self.name(RawName(base, sub, str(k))) for k in range(1, len(net.layers) + 1)} - {None}
            if len(layered) == 1:
                return layered.pop()
        if base.endswith("'") and sub and not sup:  # Φ'_1, σ'_{o1}: the activation derivative at a neuron
            return self._derivative_at(base[:-1], sub)
        if base in INPUT_BASES and not sup and sub.isdigit() and 1 <= int(sub) <= len(net.inputs):
            return net.inputs[int(sub) - 1]
        if base in OUT_BASES and not sup and sub in (names := [x.name for x in net.inputs]):
            return net.inputs[names.index(sub)]  # AIMA's a_{i1}: the activation of input unit i1 is its value
        return None

    # -- whole expressions ------------------------------------------------------------------------

    def _time_steps(self, parsed: Parsed) -> Parsed:
        """Haykin's w_5(n+1) = w_5(n) + Δw_5(n): with n no name of the network, w(n+1) is the updated weight and
        w(n) the weight (they parse as products with n + 1 and n)."""
        names = dict(parsed.names)
        steps = [s for s, raw in names.items() if isinstance(raw, RawName) and raw.base == "n" and not raw.sub
                 and not raw.sup and self.name(raw) is None]
        if not steps:
            return parsed
        n = steps[0]
        joined: dict[sp.Expr, sp.Expr] = {}
        for s, raw in list(names.items()):
            if isinstance(raw, RawName) and self.name(raw) in self.net.params:
                new = sp.Symbol(f"{s.name}⁺")
                names[new] = replace(raw, sup="+")
                joined[s * (n + 1)] = new
                joined[s * n] = s

        return _rewrite(parsed, names, lambda e: _substitute(e, joined))

    def _layer_scripts(self, parsed: Parsed) -> Parsed:
        """Seed 001 writes the layer as a bare superscript, W_{ij}^1 and W_i^2, which parses as a power: where the
        name alone is unknown and with the superscript as its layer it is a parameter, it is that name."""
        names = dict(parsed.names)
        joined: dict[sp.Expr, sp.Expr] = {}
        for chain in parsed.chains:
            for el in chain.elements:
                for pw in el.expr.atoms(sp.Pow):
                    s, k = pw.args
                    raw = names.get(s)
                    if not (isinstance(raw, RawName) and k.is_Integer and 0 < int(k) <= 9 and not raw.sup):
                        continue
                    layered = replace(raw, sup=str(k))
                    if raw.base not in ("w", "W") and self.name(raw) is not None:
                        continue  # x_1^2, o_1^2: powers; a weight squared does not occur in a backward pass
                    if self.name(layered) is not None:
                        new = sp.Symbol(f"{s.name}^({k})")
                        names[new] = layered
                        joined[pw] = new
        if not joined:
            return parsed
        return _rewrite(parsed, names, lambda e: e.xreplace(joined))

    def join_steps(self, parsed: Parsed) -> Parsed:
        """`\\Delta w_5` parses as the product Δ·w5; where Δ is no name of the network and w5 a parameter, the
        two are one name (the step of w5), in every element of the answer."""
        parsed = self._time_steps(self._layer_scripts(parsed))
        names = dict(parsed.names)
        deltas = [s for s, raw in names.items() if isinstance(raw, RawName) and raw.base in ("Delta", "Δ")
                  and (not raw.sub or (raw.sub == PATTERN_INDEX and len(self.truth.copies) == 1))  # RHW's Δ_p w_ji
                  and not raw.sup and not getattr(raw, "accent", "") and self.name(raw) is None]
        if not deltas:
            return parsed
        joined: dict[sp.Expr, sp.Symbol] = {}
        for d in deltas:
            for s, raw in list(names.items()):
                if isinstance(raw, RawName) and raw.base not in ("Delta", "Δ") and self.name(raw) in self.net.params:
                    new = sp.Symbol(f"Δ{s.name}")
                    names[new] = RawName(DELTA_STEP + raw.base, raw.sub, raw.sup)
                    joined[d * s] = new
        if not joined:
            return parsed
        self.joined.update({new: product for product, new in joined.items()})
        return _rewrite(parsed, names, lambda e: _substitute(e, joined))

    def error_delta(self) -> sp.Expr | None:
        """Seed 002's Δ = prediction − actual: with one output, a bare Δ can be ∂E/∂out rather than a step."""
        outs = self.net.outputs
        return self.truth.partial(self.net.error, outs[0]) if len(outs) == 1 else None

    def expr(self, e: sp.Expr, names: Mapping[sp.Symbol, RawName | RawPartial]) -> sp.Expr:
        """The student's expression in the network's symbols; Unresolved names the first unknown name."""
        entries = {x: sp.Dummy() for x in e.atoms(Entry)}  # [(W^{(2)})^⊤ δ^{(2)}]_1: from the layers' matrices
        e = e.xreplace(entries)
        mapping: dict[sp.Basic, sp.Expr] = {d: self._entry(x, names) for x, d in entries.items()}
        for s in sorted(e.atoms(sp.Symbol) - set(entries.values()), key=str):  # a Derivative's variable counts too
            raw = names.get(s)
            if raw is None:
                raise Unresolved(say("unknown_symbol", self.lang, name=s))
            mapping[s] = self.partial(raw) if isinstance(raw, RawPartial) else self._required(raw)
        out = e.xreplace(mapping)
        if out.has(sp.Derivative):  # ∂(out_{h1} w_5 + …)/∂w_5, ∂(d − y)²/∂W: what the student wrote, through the graph
            out = out.replace(lambda x: isinstance(x, sp.Derivative), self._through_graph)
        return self.functions(out)

    def _only_unit(self, first: RawName) -> sp.Expr | None:
        """Z^2, A^2 of a layer with one unit (MIT 6.036's output): that unit's net input or output."""
        found = self.name(first)
        layer = next((layer for layer in self.net.layers if found in (*layer.nets, *layer.outs)), None)
        return found if layer is not None and len(layer.neurons) == 1 else None

    def _entry(self, x: sp.Expr, names: Mapping[sp.Symbol, RawName | RawPartial]) -> sp.Expr:
        found = self._matrix(x.args[0], names)
        if not isinstance(found, tuple):
            raise Unresolved(say("entry_of_scalar", self.lang))
        m = found[0]
        i, j = (int(x.args[1]) - 1, int(x.args[2]) - 1) if len(x.args) == 3 else \
            (int(x.args[1]) - 1, 0) if m.cols == 1 else (0, int(x.args[1]) - 1)
        if not (0 <= i < m.rows and 0 <= j < m.cols):
            raise Unresolved(say("entry_outside", self.lang, rows=m.rows, cols=m.cols))
        return m[i, j]

    def _through_graph(self, d: sp.Derivative) -> sp.Expr:
        inner = self.functions(d.expr)
        for v, count in d.variable_count:
            if not isinstance(v, sp.Symbol) or count != 1:
                return d.doit()
            inner = self.truth.partial_of(inner, v)
        return inner

    def _required(self, raw: RawName) -> sp.Expr:
        if raw.base == SET_SUM:  # Kriesel's \sum_{l \in L}, Wikipedia's \sum_{k=1}^{n}: not one we can expand
            raise Unresolved(say("sum_set", self.lang, over=raw.sub.partition("∈")[2]) if "∈" in raw.sub
                             else say("sum_upper", self.lang))
        found = self.name(raw)
        if found is None:
            found = self._per_weight(raw)
            if found is not None and raw.base in self.negated and found in self.truth.deltas:
                found = -found  # Mitchell's δ_k, numbered as the outputs
        if found is None and (layered := self._layer_matrix(raw)) is not None and layered[0].shape == (1, 1):
            found = layered[0][0, 0]  # W^{(2)} of a layer with one neuron and one input: a number
        if found is None:
            found = self._by_analogy(raw)
        if found is None:
            raise Unresolved(say("unknown_name", self.lang, name=raw_text(raw)))
        return found

    def _by_analogy(self, raw: RawName) -> sp.Expr | None:
        """P_2 on a sheet that defined P_1 = y1 and P_3 = y3: the student's own letter for a layer's quantities,
        numbered as its neurons (two definitions or more, each the neuron of its number): the same for P_2."""
        if not raw.sub.isdigit() or raw.sup or raw.accent:
            return None
        seen = [(int(r.sub), e) for r, e in self.defined.items()
                if r.base == raw.base and r.sub.isdigit() and not r.sup and not r.accent and r.sub != raw.sub]
        if len(seen) < 2:
            return None
        for layer in self.net.layers:
            for row in (layer.outs, layer.nets):
                if all(1 <= k <= len(row) and e == row[k - 1] for k, e in seen) and 1 <= int(raw.sub) <= len(row):
                    return row[int(raw.sub) - 1]
        return None

    def _per_weight(self, raw: RawName) -> sp.Expr | None:
        """δ_k used without a definition: the k-th output's error term (Bishop, Mitchell, Haykin), or beyond the
        outputs seed 000's per-weight δ_k = ∂Error/∂w_k."""
        if raw.base not in DELTA_BASES or raw.sup or not raw.sub.isdigit():
            return None
        k = int(raw.sub)
        outputs = self._delta_layer(raw.base) or self._lettered_output(raw.base) or self.net.layers[-1].neurons
        if 1 <= k <= len(outputs):
            return self._neurons()[outputs[k - 1]][2]
        w = self._named(RawName("w", raw.sub))
        return self.truth.partial_of(self.truth.loss, w) if w is not None and w in self.net.params else None

    def _delta_layer(self, base: str) -> tuple[str, ...]:
        """The units a sheet numbers its error terms δ_k by, where it defined one as a unit's (δ_3 = ∂E/∂h'_3:
        the hidden units, so δ_1 in a later answer is hidden unit 1's); () where it did not."""
        neurons = self._neurons()
        for raw, e in self.defined.items():
            if raw.base != base or raw.sup or not raw.sub.isdigit():
                continue
            j = int(raw.sub) - 1
            for layer in self.net.layers:
                if 0 <= j < len(layer.neurons) and self._is_delta(e, layer.nets[j], neurons[layer.neurons[j]][2]):
                    return tuple(layer.neurons)
        return ()

    def _lettered_output(self, base: str) -> tuple[str, ...]:
        """Hassoun's δ_o for the one output, δ_j for hidden unit j: where the sheet defined the output's error term
        with a letter, the numbered ones are the hidden units' (the layer before the output's); () otherwise."""
        layers = self.net.layers
        if len(layers) < 2 or len(layers[-1].neurons) != 1:
            return ()
        out = self._neurons()[layers[-1].neurons[0]]
        for raw, e in self.defined.items():
            if raw.base == base and not raw.sup and raw.sub and not raw.sub.isdigit() \
                    and self._is_delta(e, out[0], out[2]):
                return tuple(layers[-2].neurons)
        return ()

    def _is_delta(self, e: sp.Expr, net: sp.Symbol, delta: sp.Symbol) -> bool:
        """Is e ±∂E/∂net, as its symbol or worked out?"""
        if e in (delta, -delta):
            return True
        if net not in self._delta_forms:
            return False
        e, full = self.truth.forward(e), self._delta_forms[net]  # (δ_3 = Φ'(h'_3) δ_y W^2_3: through δ_y's formula)
        return any(self._vanishes(e - sign * full) for sign in (1, -1))

    def _vanishes(self, d: sp.Expr) -> bool:
        """Is d zero: at two random points of the network first (expanding the δ's of a network of Mazur's size
        took minutes), by expansion where it cannot be evaluated (an abstract Φ′)."""
        values = [evaluate(d, env) for env in self._probes]
        if any(v is None for v in values):
            return bool(sp.expand(d) == 0)
        return all(abs(v) < sp.Rational(1, 10**30) for v in values if v is not None)

    @cached_property
    def _probes(self) -> tuple[dict[sp.Symbol, sp.Expr], ...]:
        return tuple(self.truth.random_env(seed) for seed in (101, 202))

    @cached_property
    def _delta_forms(self) -> dict[sp.Symbol, sp.Expr]:
        """∂E/∂net of every neuron, worked out (small networks only: the sheets that define δ_k by a formula)."""
        if len(self._neurons()) > 12:
            return {}
        return {layer.nets[j]: self.truth.forward(self.truth.partial_of(self.truth.loss, layer.nets[j]))
                for layer in self.net.layers for j in range(len(layer.neurons))}

    def partial(self, raw: RawPartial) -> sp.Expr:
        """∂A/∂B through the graph; A may be an expression (E_{o1}, a name the student defined)."""
        of, wrt = self._required(raw.of), self._required(raw.wrt)
        what = f"∂{raw_text(raw.of)}/∂{raw_text(raw.wrt)}"
        if not isinstance(wrt, sp.Symbol) and (out := self._output_of(wrt)) is not None:
            wrt = out  # (∂E/∂s_{o_2} after "s = σ(v)": the output that the sheet's rule makes s_{o_2})
        if not isinstance(wrt, sp.Symbol) and isinstance(raw.wrt, RawName) \
                and isinstance(own := self._named(raw.wrt) or self._network_name(raw.wrt), sp.Symbol):
            wrt = own  # (∂L/∂h1 after "h = tanh(a)" defined every unit's output, ∂E/∂out_O after "out = σ(net)":
            # the quantity, not its formula)
        if not isinstance(wrt, sp.Symbol):
            raise Unresolved(say("partial_not_quantity", self.lang, what=what, name=raw_text(raw.wrt)))
        if wrt in self.truth.deltas or of.free_symbols & set(self.truth.deltas):
            raise Unresolved(say("partial_of_delta", self.lang, what=what))
        use = self._shared_bias_use(raw.wrt, wrt)
        if use is not None:  # Nielsen's ∂C/∂b^3_1 of a bias the layer shares: through neuron 1's use of it
            return self.truth.partial_of(of, use)
        sample = self.truth.sample_of(wrt)
        if of == self.truth.loss and sample is not None:  # ∂E/∂out_h1: the error of out_h1's own sample
            of = self.truth.in_sample(self.net.error, sample) or of
        if isinstance(of, sp.Symbol):
            return self.truth.direct(of, wrt)
        return self.truth.partial_of(of, wrt)

    def _output_of(self, e: sp.Expr) -> sp.Symbol | None:
        """The output of the neuron whose activation of its net input e is, or None."""
        for layer in self.net.layers:
            if not layer.activation.elementwise:
                continue
            for r, net in enumerate(layer.nets):
                if net in e.free_symbols and sp.simplify(e - layer.activation_of(r).forward(net)) == 0:
                    return layer.outs[r]
        return None

    def _shared_bias_use(self, raw: RawName | RawPartial, b: sp.Symbol) -> sp.Symbol | None:
        """The net input of neuron j when b^l_j names a bias shared by several neurons of its layer."""
        if not isinstance(raw, RawName) or raw.base != "b" or not raw.sup.isdigit() or not raw.sub.isdigit():
            return None
        for layer in self.net.layers:
            j = int(raw.sub) - 1
            own = biases(layer)
            if own.count(b) > 1 and 0 <= j < len(own) and own[j] == b:
                return layer.nets[j]
        return None

    def functions(self, e: sp.Expr) -> sp.Expr:
        """σ, f, φ, Φ, their primes, relu: as the network's activations."""
        replacements: dict[sp.Basic, sp.Expr] = {}
        for app in e.atoms(AppliedUndef):
            replacements[app] = self._function(app)
        return e.xreplace(replacements) if replacements else e

    def _function(self, app: AppliedUndef) -> sp.Expr:
        name, _, layer = app.func.__name__.partition("^")
        head, underscore, sub = name.partition("_")  # (f'_o: Hassoun's f_o', the prime before the subscript)
        prime = name.endswith("'") or head.endswith("'")
        base = head.rstrip("'") + underscore + sub.rstrip("'")
        if len(app.args) != 1:
            raise Unresolved(say("function_arity", self.lang, name=name))
        x = self.functions(app.args[0])
        letter, _, sub = base.partition("_")
        if not prime and not layer and sub and RawName(letter, sub, "") in self.defined:
            return self.defined[RawName(letter, sub, "")] * x  # CS221's g_{h_2}\,(1 − f_{h_2}^2): a name the
            # student defined, times a bracket (not a function g applied)
        self._check_layer(name, layer, x)
        activation = self._activation_for(base, x)
        if activation is None:
            raise Unresolved(say("which_activation", self.lang, name=base))
        if not prime:
            return activation.forward(x)
        for layer in self.net.layers:  # σ'(net_{o1}) of a sigmoid neuron: o_1(1 − o_1)
            if x in layer.nets and layer.activation.elementwise \
                    and layer.activation_of(r := layer.nets.index(x)).name == activation.name:
                return self._derivative_of(layer, r, activation)
        n = sp.Dummy("n", real=True)
        return sp.diff(activation.forward(n), n).subs(n, x)

    def _check_layer(self, name: str, layer: str, x: sp.Expr) -> None:
        """Hagan's \\dot{f}^2(n^2_1): the layer written on the function must be the layer whose net input the
        argument is (\\dot{f}^1(n^2_1) is not a quantity of the network)."""
        if not layer.isdigit():
            return
        for k, each in enumerate(self.net.layers, start=1):
            net = next((n for n in each.nets if self._is_net(x, n)), None)
            if net is not None and k != int(layer):
                raise Unresolved(say("function_layer", self.lang, name=name, layer=layer, argument=str(net), own=k))

    def _is_net(self, x: sp.Expr, net: sp.Symbol) -> bool:
        """Is x the net input `net`, or its formula (a student's n^1_1 = w_1 i_1 + w_2 i_2 + b_1, read as written)?"""
        definition = self.net.quantities[net].definition if net in self.net.quantities else None
        return x == net or (definition is not None and sp.expand(x - definition) == 0)

    def _has_activation(self, name: str) -> bool:
        return any(a.name == name for layer in self.net.layers for a in layer.per_neuron or (layer.activation,))

    def _activation_for(self, base: str, x: sp.Expr):
        from ..activations import APPLIED, make
        if base in APPLIED and not (base == "sigma" and not self._has_activation("sigmoid")):
            return make(APPLIED[base])  # σ(x), ReLU(x): the registry's written names (σ, on a network without a
            # sigmoid, is the network's activation: ESL's σ(α_0m + α_m^T x), tanh there)
        for layer in self.net.layers:
            if layer.activation.name == "abstract" and layer.activation.function == base:
                return layer.activation
        letter, _, sub = base.partition("_")
        named = self._layer_named(sub) if letter in ("f", "g", "phi", "varphi", "sigma") else None
        if named is not None and named.activation.elementwise and not named.per_neuron:
            return named.activation  # Hassoun's f_h and f_o: the hidden layer's activation, the output layer's
        for layer in self.net.layers:  # f(net_h1), Haykin's φ'(v_y): the activation of neuron h1, of y
            if x in layer.nets and layer.activation.elementwise:
                return layer.activation_of(layer.nets.index(x))
        for layer in self.net.layers:  # φ(x) for the network's Φ
            if layer.activation.name == "abstract" and layer.activation.function == base.capitalize():
                return layer.activation
        kinds = {a for layer in self.net.layers if layer.activation.elementwise
                 for a in layer.per_neuron or (layer.activation,)}
        if len(kinds) == 1:
            return next(iter(kinds))
        return None

    def _layer_named(self, sub: str) -> Layer | None:
        """The layer a function's subscript names: its own name, or the output's or the hidden layer's word."""
        layers = self.net.layers
        for layer in layers:
            if sub == layer.name:
                return layer
        if sub in ("o", "out", "output", "O"):
            return layers[-1]
        if sub in ("h", "hid", "hidden", "H") and len(layers) == 2:
            return layers[0]
        return None


def _substitute(e: sp.Expr, products: Mapping[sp.Expr, sp.Expr]) -> sp.Expr:
    """Each product of names (Δ·w5, w5·(n + 1)) by the one name it stands for, where e has all its factors."""
    for product, new in products.items():
        if product.free_symbols <= e.free_symbols:
            e = e.subs(product, new)
    return e


def _rewrite(parsed: Parsed, names: dict[sp.Symbol, RawName | RawPartial], change: Callable[[sp.Expr], sp.Expr]
             ) -> Parsed:
    """The answer with every member's expression changed, and the names the change introduced."""
    chains = tuple(replace(c, elements=tuple(replace(el, expr=change(el.expr)) for el in c.elements))
                   for c in parsed.chains)
    return Parsed(chains, names)
