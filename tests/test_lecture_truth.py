"""Every general statement a lecture makes is true for the network at hand (issue 12, "wrong on the slides").

For every bundled example, in both languages, the rendered Beamer deck is read back as text and checked
against computations that share nothing with the engine: the spec is written out again here in SymPy from
the TOML data (nets, activations, losses, the batch's sum or mean), derivatives are `sympy.diff` of that
loss, and losses come from `truth.spec_loss` (mpmath, from the spec dict alone). The engine's Network and
Notation are used only to read the structure (which weight sits where, how a quantity is spelled).

* the chain rule frame of an output weight: the printed sum of products of partial derivatives, each
  partial evaluated here independently, is ∂E/∂w (and with softmax and random targets a single path is not);
* the matrix form: its formula carries the 1/N of a mean over samples and its numbers are the mean (or sum)
  of the per-sample outer products δₙ aₙᵀ, computed here;
* the closing comparison: the numbers before and after the update are the batch's E (mean of the samples'
  losses), and anything labelled E is the batch's E, a sample's loss is labelled E^{(n)};
* one quantity, one printed value (exact and `--rounded`): a quantity printed on several frames (a gradient
  split over two frames, the update, the matrix form, the closing sentence) reads the same everywhere;
* the summary and update sentences name the sums over neurons and samples, softmax's coupling and the
  frozen parameters exactly when the network has them;
* the compact lecture's table: every parameter's gradient (each sample's and the batch's) and update are
  sympy.diff of the loss and one gradient step, its δ forms evaluate to the gradient, frozen rows keep the value.

Each check reads both decks: the default, compact one (a few parameters worked in full, a table of every
gradient; with several samples the first sample worked, the others summed up) and the exhaustive one (`full`).
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest
import sympy as sp

from conftest import EXAMPLES, ROOT, SOFTMAX
from corpus.truth_values import sym_loss as _loss
from symbackprop import Network, derive
from symbackprop.network import Kind
from symbackprop.notation import Notation
from symbackprop.render.document import render
from truth import mp_value, spec_forward, spec_loss

LANGS = ("zh", "en")
IDS = [p.stem for p in EXAMPLES]
DIGITS = 40  # working precision of the independent values


def strings(lang: str) -> dict[str, str]:
    with (ROOT / "templates" / "strings" / f"{lang}.toml").open("rb") as f:
        return tomllib.load(f)


# --- the spec written out in SymPy, from the TOML data ------------------------------------------------

def _phi(x: sp.Expr) -> sp.Expr:
    """A stand-in for an abstract activation Φ: the chain rule holds for every Φ, so for this one."""
    return sp.sin(x) + x**3 / 7


def _activate(name: str, nets: Sequence[sp.Expr], alpha: sp.Expr) -> list[sp.Expr]:
    match name:
        case "identity" | "linear":
            return list(nets)
        case "sigmoid":
            return [1 / (1 + sp.exp(-x)) for x in nets]
        case "tanh":
            return [sp.tanh(x) for x in nets]
        case "softplus":
            return [sp.log(1 + sp.exp(x)) for x in nets]
        case "softmax":
            total = sp.Add(*[sp.exp(x) for x in nets])
            return [sp.exp(x) / total for x in nets]
        case "abstract":
            return [_phi(x) for x in nets]
    raise ValueError(name)




class Model:
    """The network of a spec dict as SymPy expressions: per layer l (1-based) the net inputs N[l] and outputs
    O[l] as symbols with their local definitions, and per sample the values of everything.

    The weight names come from the spec's `weights` matrix, or, for a layer given by `size`, from the
    engine's layer (its numbering rule is structure, not mathematics); symbols without a value in the spec
    (a symbolic example) get random values, the same for every run."""

    def __init__(self, data: dict[str, Any], net: Network) -> None:
        self.data = data
        self.loss_name = data.get("loss", "half_sse")
        self.mean = data.get("batch_loss", "sum") == "mean"
        rng = random.Random(20240612)

        def value(v: Any) -> sp.Expr:
            return sp.Rational(str(v)) if v is not None else sp.Rational(rng.randint(-90, 90), 100)

        self.layers: list[dict[str, Any]] = []
        for li, (spec_layer, layer) in enumerate(zip(data["layers"], net.layers, strict=True), start=1):
            weights = spec_layer.get("weights") or [[p.name for p in row] for row in layer.weights]
            bias = spec_layer.get("bias")
            biases = [bias] * len(weights) if isinstance(bias, str) else (bias or [None] * len(weights))
            self.layers.append({"index": li, "weights": weights, "biases": biases,
                                "activation": spec_layer.get("activation", "sigmoid"),
                                "alpha": sp.Rational(str(spec_layer.get("alpha", 0.01))),
                                "neurons": list(layer.neurons)})
        names = [w for layer in self.layers for row in layer["weights"] for w in row]
        names += [b for layer in self.layers for b in layer["biases"] if b is not None]
        self.params = list(dict.fromkeys(names))
        given = data.get("params", {})
        self.param_values = {p: value(given.get(p)) for p in self.params}
        self.sym = {p: sp.Symbol(p) for p in self.params}
        self.N = {layer["index"]: [sp.Symbol(f"N{layer['index']}_{j}") for j in range(len(layer["weights"]))]
                  for layer in self.layers}
        self.O = {layer["index"]: [sp.Symbol(f"O{layer['index']}_{j}") for j in range(len(layer["weights"]))]
                  for layer in self.layers}
        self.n_inputs = len(self.layers[0]["weights"][0])
        self.O[0] = [sp.Symbol(f"X_{c}") for c in range(self.n_inputs)]
        self.L = len(self.layers)
        self.T = [sp.Symbol(f"T_{k}") for k in range(len(self.layers[-1]["weights"]))]
        self.samples: list[dict[sp.Symbol, sp.Expr]] = []
        raw = data.get("samples") or [{"inputs": data.get("inputs"), "targets": data.get("targets")}]
        outs = self.layers[-1]["neurons"]
        for sample in raw:
            inputs, targets = sample["inputs"], sample["targets"]
            xs = list(inputs.values()) if isinstance(inputs, dict) else [None] * self.n_inputs
            ts = [targets[n] for n in outs] if isinstance(targets, dict) else [None] * len(self.T)
            self.samples.append({**dict(zip(self.O[0], map(value, xs), strict=True)),
                                 **dict(zip(self.T, map(value, ts), strict=True))})

    # local definitions
    def net_def(self, li: int, j: int) -> sp.Expr:
        layer = self.layers[li - 1]
        z = sp.Add(*[self.sym[w] * a for w, a in zip(layer["weights"][j], self.O[li - 1], strict=True)])
        b = layer["biases"][j]
        return z + (self.sym[b] if b is not None else 0)

    def out_defs(self, li: int) -> list[sp.Expr]:
        layer = self.layers[li - 1]
        return _activate(layer["activation"], self.N[li], layer["alpha"])

    def loss_def(self) -> sp.Expr:
        return _loss(self.loss_name, self.O[self.L], self.T)

    def local(self, of: sp.Symbol, wrt: sp.Symbol) -> sp.Expr:
        """∂of/∂wrt of one local definition (of: the loss 'E', an output or a net input)."""
        if of == LOSS:
            return sp.diff(self.loss_def(), wrt)
        for li in range(1, self.L + 1):
            if of in self.O[li]:
                return sp.diff(self.out_defs(li)[self.O[li].index(of)], wrt)
            if of in self.N[li]:
                return sp.diff(self.net_def(li, self.N[li].index(of)), wrt)
        raise KeyError(of)

    # values
    def forward(self, n: int, params: dict[str, sp.Expr] | None = None) -> dict[sp.Symbol, sp.Expr]:
        """Every symbol's value for sample n (params: other parameter values)."""
        env: dict[sp.Symbol, sp.Expr] = {self.sym[p]: v for p, v in (params or self.param_values).items()}
        env.update(self.samples[n])
        for li in range(1, self.L + 1):
            for j, s in enumerate(self.N[li]):
                env[s] = sp.N(self.net_def(li, j).xreplace(env), DIGITS + 10)
            for s, e in zip(self.O[li], self.out_defs(li), strict=True):
                env[s] = sp.N(e.xreplace(env), DIGITS + 10)
        env[LOSS] = sp.N(self.loss_def().xreplace(env), DIGITS + 10)
        return env

    def composed(self, n: int | None = None) -> sp.Expr:
        """Sample n's loss in the parameters (n None: symbolic in inputs and targets)."""
        sub: dict[sp.Symbol, sp.Expr] = {}
        for li in range(1, self.L + 1):
            for j, s in enumerate(self.N[li]):
                sub[s] = self.net_def(li, j).xreplace(sub)
            for s, e in zip(self.O[li], self.out_defs(li), strict=True):
                sub[s] = e.xreplace(sub)
        e = self.loss_def().xreplace(sub)
        return e if n is None else e.xreplace(self.samples[n])

    def batch(self) -> sp.Expr:
        total = sp.Add(*[self.composed(n) for n in range(len(self.samples))])
        return total / len(self.samples) if self.mean else total

    def at(self, e: sp.Expr, params: dict[str, sp.Expr] | None = None) -> mpmath.mpf:
        values = {self.sym[p]: v for p, v in (params or self.param_values).items()}
        return mp_value(sp.N(e.xreplace(values), DIGITS + 10))

    def sample_gradient(self, n: int, p: str) -> mpmath.mpf:
        return self.at(sp.diff(self.composed(n), self.sym[p]))

    def batch_gradient(self, p: str) -> mpmath.mpf:
        return self.at(sp.diff(self.batch(), self.sym[p]))

    def delta(self, n: int, li: int, j: int) -> mpmath.mpf:
        """∂E^{(n)}/∂net_j of layer li: sympy.diff of the loss with eps added to that net input, at 0."""
        eps = sp.Symbol("eps")
        sub: dict[sp.Symbol, sp.Expr] = {}
        for lj in range(1, self.L + 1):
            for k, s in enumerate(self.N[lj]):
                sub[s] = self.net_def(lj, k).xreplace(sub) + (eps if (lj, k) == (li, j) else 0)
            for s, e in zip(self.O[lj], self.out_defs(lj), strict=True):
                sub[s] = e.xreplace(sub)
        e = sp.diff(self.loss_def().xreplace(sub).xreplace(self.samples[n]), eps).xreplace({eps: 0})
        return self.at(e)


LOSS = sp.Symbol("LOSS")


@dataclass
class Names:
    """How the deck spells each quantity (from the engine's Notation: spelling is structure) → the model's."""

    to_model: dict[str, sp.Symbol]
    params: dict[str, str]  # LaTeX → parameter name
    error: str  # the batch's error, as printed

    @classmethod
    def of(cls, net: Network, model: Model) -> Names:
        nt = Notation(net)
        to_model: dict[str, sp.Symbol] = {}
        params: dict[str, str] = {}
        for s, q in net.quantities.items():
            latex = nt.latex_names[s]
            if q.kind is Kind.NET:
                to_model[latex] = model.N[q.layer or 0][q.index or 0]
            elif q.kind is Kind.OUT:
                to_model[latex] = model.O[q.layer or 0][q.index or 0]
            elif q.kind is Kind.INPUT:
                to_model[latex] = model.O[0][q.index or 0]
            elif q.kind is Kind.PARAM:
                to_model[latex] = model.sym[q.name]
                params[latex] = q.name
            elif q.kind is Kind.LOSS:
                to_model[latex] = LOSS
        return cls(to_model, params, nt.latex_names[net.error])

    def model(self, latex: str) -> tuple[sp.Symbol, int | None]:
        """A spelled quantity → (model symbol, the sample of a per-sample error E^{(n)}, else None)."""
        m = re.fullmatch(r"\{(.+)\}\^\{\((\d+)\)\}", latex)
        if m and m.group(1) == self.error:
            return LOSS, int(m.group(2)) - 1
        return self.to_model[latex], None


# --- reading the deck back ------------------------------------------------------------------------

def _group(text: str, start: int) -> tuple[str, int]:
    """The balanced {…} group starting at text[start] == '{': its content and the index after it."""
    assert text[start] == "{", text[start:]
    depth = 0
    for k in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[k], 0)
        if depth == 0:
            return text[start + 1:k], k + 1
    raise ValueError(text)


def split_top(text: str, sep: str) -> list[str]:
    """Split at `sep` outside braces and \\left…\\right."""
    parts, depth, last, k = [], 0, 0, 0
    while k < len(text):
        if text.startswith(r"\left", k):
            depth += 1
            k += 5
            continue
        if text.startswith(r"\right", k):
            depth -= 1
            k += 6
            continue
        c = text[k]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and text.startswith(sep, k):
            parts.append(text[last:k])
            k += len(sep)
            last = k
            continue
        k += 1
    parts.append(text[last:])
    return [p.strip() for p in parts]


def partial(text: str) -> tuple[str, str]:
    r"""\frac{\partial A}{\partial B} → (A, B)."""
    assert text.startswith(r"\frac{"), text
    num, k = _group(text, 5)
    den, k = _group(text, k)
    assert k == len(text) and num.startswith(r"\partial ") and den.startswith(r"\partial "), text
    return num.removeprefix(r"\partial ").strip(), den.removeprefix(r"\partial ").strip()


NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?: \\times 10\^\{-?\d+\})?")


def number(text: str) -> str | None:
    """A printed number as its plain digits ('\\left(-0.5\\right)' → '-0.5'), or None if the text is not one."""
    text = text.strip()
    m = re.fullmatch(r"\\left\((.*)\\right\)", text)
    if m:
        text = m.group(1).strip()
    return text if NUMBER.fullmatch(text) else None


def as_mpf(text: str) -> mpmath.mpf:
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)(?: \\times 10\^\{(-?\d+)\})?", text)
    assert m, text
    with mpmath.workdps(DIGITS):
        return mpmath.mpf(m.group(1)) * (mpmath.mpf(10) ** int(m.group(2)) if m.group(2) else 1)


def close(printed: str, true: Any, digits: int = 6) -> bool:
    """The printed number is the true value rounded to the deck's `digits` significant digits (with one unit of
    slack in the last digit for a tie)."""
    x, y = as_mpf(printed), mp_value(true)
    with mpmath.workdps(DIGITS):
        return abs(x - y) <= max(abs(y), mpmath.mpf(10) ** -30) * mpmath.mpf(10) ** (1 - digits)


@dataclass
class Eq:
    lhs: str
    steps: list[tuple[str, str]]  # (relation, text), continued lines joined

    @property
    def result(self) -> str | None:
        return number(self.steps[-1][1]) if self.steps else None


@dataclass
class Frame:
    title: str
    body: str
    blocks: list[list[Eq]]  # one list of equations per aligned display


def frames(tex: str) -> list[Frame]:
    out = []
    for m in re.finditer(r"^\\begin\{frame\}(?:\[\w\])?(?:\{([^\n]*)\})?\n(.*?)^\\end\{frame\}", tex, re.S | re.M):
        title, body = m.group(1) or "", m.group(2)
        blocks = [equations(b) for b in re.findall(r"\\begin\{aligned\}\n(.*?)\n\\end\{aligned\}", body, re.S)]
        out.append(Frame(title, body, blocks))
    return out


def relations(text: str) -> list[tuple[str, str]]:
    """'a = b \\approx c' → [('', 'a'), ('=', 'b'), ('\\approx', 'c')] (relations outside braces only)."""
    out: list[tuple[str, str]] = []
    rel = ""
    for part in split_top(text, " = "):
        pieces = split_top(part, r" \approx ")
        out.append((rel, pieces[0]))
        out += [(r"\approx", p) for p in pieces[1:]]
        rel = "="
    return out


def align_split(line: str) -> tuple[str, str, str]:
    """An aligned line cut at its alignment point: the first & outside a matrix (whose & separate columns)."""
    depth = 0
    for m in re.finditer(r"\\begin\{|\\end\{|&", line):
        if m.group() == "&" and depth == 0:
            return line[:m.start()], "&", line[m.end():]
        depth += {"&": 0}.get(m.group(), 1 if m.group().startswith("\\begin") else -1)
    return line, "", ""


def equations(block: str) -> list[Eq]:
    """The equations of an aligned display: 'lhs &= a = b \\\\' and continuation lines '&\\qquad {}+ c'."""
    eqs: list[Eq] = []
    for line in block.split(" \\\\\n"):
        line = line.strip("\n")
        if alone := re.fullmatch(r"\\rlap\{\$\\displaystyle (.*)\$\}\\qquad &", line.strip()):
            eqs.append(Eq(alone.group(1), []))  # a wide left side on a line of its own, the steps below it
            continue
        lhs, _, rest = align_split(line)
        if rest.startswith(r"\qquad {}"):
            first, *more = relations(rest.removeprefix(r"\qquad {}"))
            rel, text = eqs[-1].steps[-1]
            eqs[-1].steps[-1] = (rel, text + " " + first[1])
            eqs[-1].steps += more
            continue
        rel, _, text = rest.partition(" ")
        if lhs.strip():
            eqs.append(Eq(lhs.strip(), []))
        steps = relations(text.strip())
        eqs[-1].steps += [(rel, steps[0][1]), *steps[1:]]
    return eqs


def sample_of(title: str, s: dict[str, str]) -> int | None:
    pattern = re.escape(s["sample"]).replace(re.escape("{k}"), r"\$(\d+)\$")
    m = re.search(pattern, title)
    return int(m.group(1)) - 1 if m else None


def sentence(template: str, text: str) -> dict[str, str] | None:
    """The values a filled language string carries ({name} → $…$), found in text."""
    parts = re.split(r"\{(\w+)\}", template)
    pattern = "".join(re.escape(p) if k % 2 == 0 else rf"\$(?P<{p}>.+?)\$" for k, p in enumerate(parts))
    m = re.search(pattern, text)
    return m.groupdict() if m else None


# --- decks ----------------------------------------------------------------------------------------------

def spec(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


def random_targets(data: dict[str, Any], seed: int) -> dict[str, Any]:
    """The softmax example with random target distributions (positive, summing to 1): no zero target hides
    a path of the chain rule."""
    rng = random.Random(seed)
    samples = []
    for sample in data["samples"]:
        weights = [rng.randint(1, 9) for _ in sample["targets"]]
        total = sum(weights)
        targets = {k: round(w / total, 4) for k, w in zip(sample["targets"], weights, strict=True)}
        first = next(iter(targets))
        targets[first] = round(1 - sum(v for k, v in targets.items() if k != first), 4)
        samples.append({**sample, "targets": targets})
    return {**data, "samples": samples}


def _example(path: Path) -> Callable[[], dict[str, Any]]:
    return lambda: spec(path)


CASES: dict[str, Callable[[], dict[str, Any]]] = {p.stem: _example(p) for p in EXAMPLES}
CASES["softmax_random_targets"] = lambda: random_targets(spec(SOFTMAX), 7)


@cache
def case(name: str) -> tuple[dict[str, Any], Network, Model, Names]:
    data = CASES[name]()
    net = Network.from_dict(data)
    model = Model(data, net)
    return data, net, model, Names.of(net, model)


MODES = ("compact", "full")


@cache
def deck(name: str, lang: str, rounded: bool = False, mode: str = "compact") -> list[Frame]:
    _, net, _, _ = case(name)
    return frames(render(derive(net), "beamer", lang, rounded=rounded, full=mode == "full"))


@dataclass
class Table:
    heads: list[str]  # the column heads, as printed (math without $)
    rows: dict[str, list[str]]  # parameter as printed → its cells, as printed (math without $, marks dropped)
    marked: set[str]  # parameters whose p⁺ is marked * (frozen)


FROZEN = r"\rlap{${}^{*}$}"  # the mark of a frozen parameter's value (set in no width: the numbers stay aligned)


def tables(frames_: list[Frame], s: dict[str, str]) -> Table | None:
    """The compact lecture's table of every gradient and update, from all its frames (None in a full deck)."""
    found = [f for f in frames_ if f.title in (s["gradient_table"], s["gradient_table_symbolic"])]
    if not found:
        return None
    heads: list[str] = []
    rows: dict[str, list[str]] = {}
    marked: set[str] = set()
    for f in found:
        m = re.search(r"\\toprule\n(.*?) \\\\\n\\midrule\n(.*?)\\bottomrule", f.body, re.S)
        assert m, f.body
        heads = [re.sub(r"^\\multicolumn\{1\}\{c\}\{(.*)\}$", r"\1", c.strip()).strip("$")
                 for c in m.group(1).split(" & ")]
        for line in m.group(2).strip().split("\n"):
            cells = [c.strip() for c in line.removesuffix(r" \\").split(" & ")]
            rows[cells[0].strip("$")] = [c.removesuffix(FROZEN).strip("$") for c in cells[1:]]
            if cells[-1].endswith(FROZEN):
                marked.add(cells[0].strip("$"))
    return Table(heads, rows, marked)


ALL = [*IDS, "softmax_random_targets"]
NUMERIC = [n for n in ALL if "params" in CASES[n]() and "symbolic" not in n and "abstract" not in n]


# --- the chain rule of an output weight ---------------------------------------------------------------------

def chain_frames(frames_: list[Frame], s: dict[str, str]) -> Iterator[tuple[int, Frame, list[Frame]]]:
    """Per sample: the chain rule frame and the frames that continue it."""
    head = s["chain_rule"].split("{param}")[0]  # after "Backward pass — " with one sample
    k = 0
    while k < len(frames_):
        f = frames_[k]
        title = f.title.removeprefix(s["backward"] + s["title_sep"])
        if title.startswith(head) and not f.title.endswith(s["continued"]):
            rest = []
            while k + 1 < len(frames_) and frames_[k + 1].title.endswith(s["continued"]):
                k += 1
                rest.append(frames_[k])
            yield sample_of(f.title, s) or 0, f, rest
        k += 1


def evaluate_factor(model: Model, names: Names, text: str, n: int, env: dict[sp.Symbol, sp.Expr]) -> mpmath.mpf:
    a, b = partial(text)
    of, sample = names.model(a)
    wrt, _ = names.model(b)
    assert sample is None or sample == n, (text, n)  # E^{(n)} on sample n's frame
    return model.at(model.local(of, wrt).xreplace(env))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ALL)
def test_the_chain_rule_frame_is_the_derivative(name: str, lang: str, mode: str) -> None:
    """The general chain rule printed for an output weight, evaluated factor by factor here, is sympy.diff of
    the whole loss; it has a term for every path (every output, with softmax); each factor's printed value is
    that factor's value; and a single path is not the derivative when softmax couples the outputs. The full
    deck has it for every sample, the compact one for the first (the sample it works in full)."""
    _, _, model, names = case(name)
    s = strings(lang)
    found = list(chain_frames(deck(name, lang, mode=mode), s))
    assert len(found) == (len(model.samples) if mode == "full" else 1)
    last = model.layers[-1]
    coupled = last["activation"] == "softmax"
    for k, (_, frame, rest) in enumerate(found):
        n = k  # one chain rule frame per sample, in order
        general = frame.blocks[0][0]
        a, b = partial(general.lhs)
        w = names.params[b]
        terms = split_top(general.steps[0][1], "+")
        env = model.forward(n)
        truth = model.sample_gradient(n, w)
        with mpmath.workdps(DIGITS):
            values = [mpmath.fprod(evaluate_factor(model, names, f, n, env) for f in split_top(t, r"\cdot"))
                      for t in terms]
            assert abs(mpmath.fsum(values) - truth) <= mpmath.mpf(10) ** -30 * max(1, abs(truth)), (name, n)
            if name == "softmax_random_targets":  # the single-path formula of the old frame is not ∂E/∂w
                assert abs(values[0] - truth) > mpmath.mpf(10) ** -3 * abs(truth), (values[0], truth)
        # a term for every path: through every output that depends on the weight's net input (all of them with
        # softmax, else its own); the error is the sample's (E^{(n)}) when there are several, and the title says so
        assert len(terms) == (len(last["weights"]) if coupled else 1)
        assert names.model(a) == (LOSS, n if len(model.samples) > 1 else None)
        if len(model.samples) > 1:
            assert sample_of(frame.title, s) == n
        # every factor is explained under "where", and its printed value is its value
        where = [eq for f in ([frame] if not rest else rest) for block in f.blocks[int(not rest):] for eq in block]
        factors = {f for t in terms for f in split_top(t, r"\cdot")}
        assert {eq.lhs for eq in where} == factors
        for eq in where:
            if eq.result is not None and name in NUMERIC:
                assert close(eq.result, evaluate_factor(model, names, eq.lhs, n, env)), (eq.lhs, eq.result)


# --- the matrix form ------------------------------------------------------------------------------------------

def matrix(text: str) -> list[list[str]]:
    m = re.fullmatch(r"\\begin\{bmatrix\}(.*)\\end\{bmatrix\}", text.strip())
    assert m, text
    rows = [[number(x) for x in row.split(" & ")] for row in m.group(1).split(r" \\ ")]
    assert all(x is not None for row in rows for x in row), text
    return [[x for x in row if x is not None] for row in rows]


def weight_grid(lhs: str, names: Names, model: Model) -> tuple[int, list[list[str]]] | None:
    """A matrix-form gradient's layer and the weight of each entry, row by row, read from its left side: ∂E/∂W⁽ˡ⁾
    (a row per neuron, a column per input), or the matrix of ∂E/∂w's written out (seed 002's orientation, a
    column per neuron); None for another equation (a layer's update)."""
    if m := re.fullmatch(r"\\frac\{\\partial .+\}\{\\partial W\^\{\((\d+)\)\}\}", lhs):
        return int(m.group(1)), model.layers[int(m.group(1)) - 1]["weights"]
    body = re.fullmatch(r"\\begin\{bmatrix\}(.*)\\end\{bmatrix\}", lhs)
    entries = [[re.fullmatch(r"\\frac\{\\partial .+\}\{\\partial (.+)\}|\\partial .+ / \\partial (.+)", e.strip())
                for e in row.split(" & ")]
               for row in body.group(1).split(r" \\ ")] if body else [[None]]
    if any(e is None for row in entries for e in row):
        return None
    grid = [[names.params[e.group(1) or e.group(2)] for e in row if e] for row in entries]
    li = next(k + 1 for k, layer in enumerate(model.layers) if any(grid[0][0] in ws for ws in layer["weights"]))
    return li, grid


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NUMERIC)
def test_the_matrix_form_is_the_batch_gradient(name: str, lang: str, mode: str) -> None:
    """∂E/∂W⁽ˡ⁾: with a mean over N samples the formula carries 1/N (and sums over n), and its numbers are the
    mean (or sum) of the per-sample outer products δₙ aₙᵀ computed here — not their sum, for a mean."""
    _, _, model, names = case(name)
    s = strings(lang)
    matrix_frames = [f for f in deck(name, lang, mode=mode) if f.title.startswith(s["matrix_form"])]
    assert matrix_frames, name
    N = len(model.samples)
    for frame in matrix_frames:
        eq = frame.blocks[0][0]
        found = weight_grid(eq.lhs, names, model)
        if found is None:
            assert "^{+}" in eq.lhs or eq.lhs.startswith("W^"), eq.lhs  # a layer's update on a frame of its own
            continue
        li, grid = found
        assert rf"\frac{{\partial {names.error}}}" in eq.lhs or rf"\partial {names.error} /" in eq.lhs  # E, not E⁽ⁿ⁾
        formula = eq.steps[0][1]
        assert (rf"\frac{{1}}{{{N}}}" in formula) == (model.mean and N > 1), formula
        assert (rf"\sum_{{n=1}}^{{{N}}}" in formula) == (N > 1), formula
        printed = matrix(eq.steps[-1][1])
        layer = model.layers[li - 1]
        where = {q: (j, i) for j, ws in enumerate(layer["weights"]) for i, q in enumerate(ws)}
        with mpmath.workdps(DIGITS):
            outer = []
            for n in range(N):
                env = model.forward(n)
                delta = np.array([model.delta(n, li, j) for j in range(len(layer["weights"]))], dtype=object)
                a = np.array([mp_value(env[x]) for x in model.O[li - 1]], dtype=object)
                outer.append(np.outer(delta, a))
            total = sum(outer[1:], outer[0])
            expected = total / N if model.mean else total
        for r, row in enumerate(printed):
            for c, text in enumerate(row):
                j, i = where[grid[r][c]]  # the entry's neuron and input
                assert close(text, expected[j][i]), (li, r, c, text, expected[j][i])
                # and it is ∂E/∂w of that weight (sympy.diff of the batch loss)
                assert close(text, model.batch_gradient(grid[r][c]))
                if model.mean and N > 1 and abs(total[j][i]) > 1e-12:
                    assert not close(text, total[j][i])  # Σₙ δₙ aₙᵀ without 1/N is not ∂E/∂W


# --- the error before and after, and what is labelled E ---------------------------------------------------------

def updated_params(model: Model, data: dict[str, Any]) -> dict[str, sp.Expr]:
    """One gradient step from sympy.diff of the batch loss (frozen parameters stay)."""
    eta = sp.Rational(str(data["learning_rate"]))
    frozen = set(data.get("frozen", []))
    out = {}
    with mpmath.workdps(DIGITS):
        for p, v in model.param_values.items():
            g = sp.Rational(str(model.batch_gradient(p))) if p not in frozen else 0
            out[p] = v - eta * g
    return out


def explicit(data: dict[str, Any], model: Model) -> dict[str, Any]:
    """The spec with every layer's weight matrix written out (truth.spec_forward reads matrices only)."""
    layers = [{**spec_layer, "weights": layer["weights"]} for spec_layer, layer in zip(data["layers"], model.layers,
                                                                                       strict=True)]
    return {**data, "layers": layers}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NUMERIC)
def test_the_closing_frame_compares_the_batch_error(name: str, lang: str, mode: str) -> None:
    """The closing sentence's numbers are the batch loss (truth.spec_loss: mean or sum of the samples' losses,
    from the spec alone) before and after one step, and it names E; every display of E is the batch's E (before
    or after), every display of E^{(n)} is sample n's loss."""
    data, _, model, names = case(name)
    s = strings(lang)
    frames_ = deck(name, lang, mode=mode)
    data = explicit(data, model)
    after = updated_params(model, data)
    spec_after = {**data, "params": {k: str(v) for k, v in after.items()}}
    before_true, after_true = spec_loss(data), spec_loss(spec_after)
    closing = [(f, v) for f in frames_ for key in ("loss_change", "loss_up") if (v := sentence(s[key], f.body))]
    assert len(closing) == 1
    frame, found = closing[0]
    assert found["e"] == names.error
    assert close(found["before"], before_true) and close(found["after"], after_true), (found, before_true, after_true)
    assert (sentence(s["loss_change"], frame.body) is not None) == (after_true < before_true)  # "drops" iff it does
    samples_before = [loss for _, loss in spec_forward(data)]
    samples_after = [loss for _, loss in spec_forward(spec_after)]
    if len(samples_before) > 1:  # sample 1's losses (the old sentence) are not the batch's
        assert not close(found["before"], samples_before[0])
    labelled = 0
    for f in frames_:
        for block in f.blocks:
            for eq in block:
                if eq.result is None:
                    continue
                if eq.lhs == names.error:
                    assert close(eq.result, before_true) or close(eq.result, after_true), (f.title, eq)
                    labelled += 1
                elif m := re.fullmatch(r"\{(.+)\}\^\{\((\d+)\)\}", eq.lhs):
                    k = int(m.group(2)) - 1
                    assert m.group(1) == names.error and len(samples_before) > 1
                    assert close(eq.result, samples_before[k]) or close(eq.result, samples_after[k]), (f.title, eq)
                    labelled += 1
    assert labelled >= 2


# --- one quantity, one printed value ------------------------------------------------------------------------------

def _plain(text: str) -> str:
    return number(text) or text


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("rounded", [False, True], ids=["exact", "rounded"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NUMERIC)
def test_one_quantity_has_one_printed_value(name: str, lang: str, rounded: bool, mode: str) -> None:
    """Read from the deck alone: a quantity whose value is printed on several frames (a gradient's path-sum
    frame and δ-form frame, its update, its matrix entry, its row of the table; the error and the closing
    sentence) reads the same string everywhere, and no line prints one value twice in different digits
    (0.593270 = 0.59327)."""
    data, _, model, names = case(name)
    s = strings(lang)
    frames_ = deck(name, lang, rounded, mode)
    results: dict[tuple[bool, int | None, str], set[str]] = {}
    after_title = s["after"]
    for f in frames_:
        context = (f.title.startswith(after_title), sample_of(f.title, s))
        for block in f.blocks:
            for eq in block:
                if eq.result is not None:
                    results.setdefault((*context, eq.lhs), set()).add(eq.result)
                for (_, x), (_, y) in zip(eq.steps, eq.steps[1:], strict=False):
                    nx, ny = number(x), number(y)
                    if nx is not None and ny is not None and as_mpf(nx) == as_mpf(ny):
                        assert nx == ny, (f.title, eq.lhs, x, y)
    for key, texts in results.items():
        assert len(texts) == 1, (key, texts)
    # the gradient an update subtracts is the gradient as printed: w⁺ = w − η·g
    gradients = {names.params[partial(lhs)[1]]: next(iter(t)) for (after, n, lhs), t in results.items()
                 if not after and n is None and lhs.startswith(rf"\frac{{\partial {names.error}}}{{\partial ")
                 and partial(lhs)[1] in names.params}
    frozen = set(data.get("frozen", []))
    worked = set(gradients)  # the gradients worked on frames (the compact deck: a few)
    table = tables(frames_, s)
    assert (table is None) == (mode == "full")
    printed_updates: dict[str, str] = {}
    if table is not None:  # every parameter has a row: its gradient is the one printed elsewhere
        assert {names.params[k] for k in table.rows} == set(model.params)
        column = len(table.heads) - 2  # the batch's ∂E/∂p, just before p⁺
        for latex, cells in table.rows.items():
            p = names.params[latex]
            g = cells[column - 1] if len(model.samples) > 1 else split_top(cells[1], " = ")[-1]
            assert gradients.setdefault(p, g) == g, (p, g, gradients[p])
            printed_updates[p] = cells[-1]
    updates = 0
    for f in frames_:
        for block in f.blocks:
            for eq in block:
                m = re.fullmatch(r"\{(.+)\}\^\{\+\}", eq.lhs)
                if not m or names.params[m.group(1)] in frozen:
                    continue
                numbers_step = next(text for _, text in eq.steps if " - " in text and r"\partial" not in text)
                g = split_top(split_top(numbers_step, " - ")[-1], r"\cdot")[-1]
                assert _plain(g) == gradients[names.params[m.group(1)]], (eq.lhs, g)
                p = names.params[m.group(1)]
                assert printed_updates.setdefault(p, eq.steps[-1][1]) == eq.steps[-1][1], (p, printed_updates[p])
                updates += 1
    # the full deck updates every parameter on a frame; the compact one the worked ones (the table the rest)
    assert updates == (len(model.params) if mode == "full" else len(worked)) - len(frozen & worked)
    assert updates >= 1
    # the matrix form's entries are the weights' gradients as printed (a layer's update may have a frame of its own)
    for f in frames_:
        if f.title.startswith(s["matrix_form"]) and (found := weight_grid(f.blocks[0][0].lhs, names, model)):
            eq = f.blocks[0][0]
            for r, row in enumerate(matrix(eq.steps[-1][1])):
                for c, text in enumerate(row):
                    assert text == gradients[found[1][r][c]]
    # the closing sentence repeats the error as its displays print it
    closing = next(v for f in frames_ for key in ("loss_change", "loss_up") if (v := sentence(s[key], f.body)))
    assert results[(False, None, names.error)] == {closing["before"]}
    assert results[(True, None, names.error)] == {closing["after"]}


@pytest.mark.parametrize("mode", MODES)
def test_the_rounded_w1_of_seed004_reads_the_same_on_both_frames(mode: str) -> None:
    """The case of the issue: with --rounded, ∂E/∂w1 of seed 004 was 0.000438566 on the path-sum frame and
    0.000438564 on the δ-form frame. Both must read the value of the δ form's printed numbers, δ_h1 · i1,
    with δ_h1 as printed on its own frame (i1 = 0.05); the path sum's own numbers give another last digit,
    so its frame says ≈."""
    frames_ = deck("seed004_mattmazur", "en", True, mode)  # w1 is worked in the compact deck too
    w1 = [eq for f in frames_ if f.title.startswith("Gradient of $w_{1}$") for b in f.blocks for eq in b
          if eq.result is not None]
    assert len(w1) == 2  # the path sum's numbers, the δ form's numbers
    delta = next(eq for f in frames_ for b in f.blocks for eq in b if eq.lhs == r"\delta_{h1}")
    assert delta.result is not None
    expected = Decimal(delta.result) * Decimal("0.05")  # exact: 0.00877128 · 0.05 = 0.000438564
    assert [Decimal(eq.result or "nan") for eq in w1] == [expected, expected]
    path_numbers = split_top(w1[0].steps[-2][1], "+")  # Σ over the two paths of the printed factors
    assert len(path_numbers) == 2
    assert w1[0].steps[-1][0] == r"\approx"  # they give 0.000438566: not the value shown, so ≈


# --- the sentences ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ALL)
def test_the_general_sentences_hold_for_the_network(name: str, lang: str, mode: str) -> None:
    """The summary and the update rule say what is true of this network: a parameter's gradient sums δ·input
    over the neurons it enters (checked here: sympy.diff of the loss equals that sum, for every parameter);
    softmax couples its outputs; several samples average (or add); frozen parameters stay."""
    data, _, model, names = case(name)
    s = strings(lang)
    frames_ = deck(name, lang, mode=mode)
    summary = next(f for f in frames_ if f.title == s["summary"]).body
    several = len(model.samples) > 1
    coupled = any(layer["activation"] == "softmax" for layer in model.layers)
    frozen = bool(data.get("frozen"))
    esc = {"δ": r"$\delta$"}

    def said(key: str, **values: str) -> bool:
        text = s[key]
        for k, v in esc.items():
            text = text.replace(k, v)
        return sentence(text, summary) is not None if values else text in summary

    biased = any(layer.get("bias") for layer in data["layers"])  # the rule says what a bias multiplies only then
    assert said("summary_text") == biased and said("summary_text_nobias") == (not biased)
    assert said("summary_coupled") == coupled
    assert said("summary_frozen") == frozen
    batch_key = "summary_batch_mean" if model.mean else "summary_batch_sum"
    other = "summary_batch_sum" if model.mean else "summary_batch_mean"
    found = sentence(s[batch_key], summary)
    assert (found is not None) == several and sentence(s[other], summary) is None
    if found:
        assert found == {"e": names.error, "en": f"{{{names.error}}}^{{(n)}}"}
    update_rule = "update_rule_frozen" if frozen else "update_rule"
    text = "\n".join(f.body for f in frames_)
    if "learning_rate" in data:
        assert sentence(s[update_rule], text) is not None
        assert sentence(s["update_rule" if frozen else "update_rule_frozen"], text) is None
    # the summary's rule, checked on this network: ∂E/∂p = Σ over the neurons j that p enters of δ_j ∂net_j/∂p
    n = 0
    env = model.forward(n)
    for p in model.params:
        with mpmath.workdps(DIGITS):
            total = mpmath.mpf(0)
            for layer in model.layers:
                li = layer["index"]
                for j in range(len(layer["weights"])):
                    local = sp.diff(model.net_def(li, j), model.sym[p])
                    if local != 0:
                        total += model.delta(n, li, j) * model.at(local.xreplace(env))
            truth = model.sample_gradient(n, p)
            assert abs(total - truth) <= mpmath.mpf(10) ** -30 * max(1, abs(truth)), p


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGS)
def test_a_softmax_batch_deck_labels_every_per_sample_quantity(lang: str, mode: str) -> None:
    """With several samples the δ frames define δ = ∂E^{(n)}/∂net (sample n's loss) and their values are that
    derivative (sympy.diff of sample n's loss, here); the figure says whose numbers it shows."""
    _, _, model, names = case("softmax_batch")
    s = strings(lang)
    frames_ = deck("softmax_batch", lang, mode=mode)
    head = s["delta_title"].split("{delta}")[0]
    deltas = [f for f in frames_ if f.title.startswith(head)]
    assert deltas
    seen = set()
    for f in deltas:
        n = sample_of(f.title, s)
        assert n is not None and rf"\partial {{{names.error}}}^{{({n + 1})}}" in f.title
        for block in f.blocks:
            for eq in block:
                li, j = next((layer["index"], k) for layer in model.layers for k, neuron in enumerate(layer["neurons"])
                             if eq.lhs == rf"\delta_{{{neuron}}}")
                if eq.result is None:  # a tall δ's first part (its sum over the outputs): its value ends the last
                    continue
                assert close(eq.result, model.delta(n, li, j)), (f.title, eq.lhs)
                seen.add((n, li, j))
    # every neuron's δ of every sample (the compact deck too: its other samples are summed up, δ's included)
    assert seen == {(n, layer["index"], j) for n in range(len(model.samples)) for layer in model.layers
                    for j in range(len(layer["neurons"]))}
    assert sentence(s["figure_sample"], next(f.body for f in frames_ if f.title == s["network"])) == {"k": "1"}


# --- the compact lecture's table of every gradient and update -----------------------------------------------------

def delta_names(net: Network) -> dict[str, tuple[int, int]]:
    """δ of a neuron as printed → (layer, index), from the engine's Notation (spelling is structure)."""
    nt = Notation(net)
    return {nt.latex_names[sp.Symbol(f"delta_{neuron}", real=True)]: (layer.index, j)
            for layer in net.layers for j, neuron in enumerate(layer.neurons)}


def evaluate_form(model: Model, names: Names, deltas: dict[str, tuple[int, int]], text: str, n: int) -> mpmath.mpf:
    """A printed Σ δ·(input) of sample n: each δ as sympy.diff of sample n's loss, each input its value."""
    env = model.forward(n)
    with mpmath.workdps(DIGITS):
        total = mpmath.mpf(0)
        for term in split_top(text, "+"):
            product = mpmath.mpf(1)
            for factor in split_top(term, r"\cdot"):
                if factor in deltas:
                    product *= model.delta(n, *deltas[factor])
                else:
                    symbol, _ = names.model(factor)
                    product *= mp_value(env[symbol])
            total += product
        return total


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ALL)
def test_the_table_has_every_gradient_and_update(name: str, lang: str) -> None:
    """The compact deck's table: a row for every parameter; its δ form, evaluated here for each sample with the
    δ's as sympy.diff of that sample's loss, is sympy.diff of that sample's loss in the parameter; each sample's
    gradient, the batch's and the update printed there are sympy.diff of the losses and one gradient step
    (computed here); a frozen parameter's row keeps its value and is marked, and no frame of its own is about it."""
    data, net, model, names = case(name)
    s = strings(lang)
    frames_ = deck(name, lang)
    table = tables(frames_, s)
    assert table is not None and {names.params[k] for k in table.rows} == set(model.params)
    numeric = name in NUMERIC
    several = len(model.samples) > 1
    frozen = set(data.get("frozen", []))
    after = updated_params(model, data) if numeric else {}
    deltas = delta_names(net)
    for latex, cells in table.rows.items():
        p = names.params[latex]
        entry = cells[1] if numeric else cells[0]
        form, *rest = split_top(entry, " = ")
        for n in range(len(model.samples)):
            truth = model.sample_gradient(n, p)
            with mpmath.workdps(DIGITS):
                assert abs(evaluate_form(model, names, deltas, form, n) - truth) <= mpmath.mpf(10) ** -30 * max(
                    1, abs(truth)), (name, p, form)
        if not numeric:
            continue
        assert close(cells[0], model.param_values[p])
        if several:
            per, batch = cells[2:2 + len(model.samples)], cells[2 + len(model.samples)]
            assert len(cells) == 4 + len(model.samples)
            for n, text in enumerate(per):
                assert close(text, model.sample_gradient(n, p)), (p, n, text)
        else:
            batch = rest[-1]
            assert len(cells) == 3
        assert close(batch, model.batch_gradient(p)), (p, batch)
        assert close(cells[-1], after[p]), (p, cells[-1], after[p])
        assert (latex in table.marked) == (p in frozen)
        if p in frozen:
            assert cells[-1] == cells[0]
    if numeric:  # the table's heads: ∂E/∂p of the batch; with several samples each sample's ∂E^{(n)}/∂p
        assert table.heads[-1] == "p^{+}" and table.heads[-2 if several else 2].startswith(rf"\partial {names.error} /")
    titles = " ".join(f.title for f in frames_)
    for p in frozen:
        assert latex_of(names, p) not in titles  # a frozen parameter: a row, no frame


def latex_of(names: Names, p: str) -> str:
    return next(latex for latex, q in names.params.items() if q == p)


def test_a_coupled_layer_gives_every_net_input_before_any_output() -> None:
    """softmax: out_y1 = e^{net_y1} / Σ_k e^{net_yk} needs net_y3, so net_y3 is printed before out_y1 (in every
    format), and each elementwise layer keeps its net, out pairs."""
    from symbackprop.render.document import render
    d = derive(Network.load(SOFTMAX))
    for fmt in ("markdown", "beamer", "article"):
        text = render(d, fmt, "en")
        assert text.index(r"\mathit{net}_{y3} &=") < text.index(r"\mathit{out}_{y1} &="), fmt
        assert text.index(r"\mathit{out}_{h1} &=") < text.index(r"\mathit{net}_{h2} &="), fmt
