"""Independent numbers for the corpus part tests/corpus/tune3/*.toml (held out until measure/ was written).

Nothing here imports symbackprop: the networks are read from the example specs (tomllib) and evaluated
with mpmath at 60 digits by a hand-written forward and backward pass (per-neuron deltas), which is
cross-checked against central finite differences of the loss (tests/truth.py's spec_finite_difference,
which works from the spec dict alone, is used as a second opinion when it can be imported).
Symbolic networks (seed 001, seed 003) are composed in SymPy from the spec and differentiated with
sympy.diff; an answer's `expr` is compared at random points (and, for Φ, with several concrete Φ).

    python tests/corpus/measure_numbers.py               # print the truth tables (steps 0 and 1)
    python tests/corpus/measure_numbers.py --verify      # check every case of every measure file
    python tests/corpus/measure_numbers.py --crosscheck  # second opinion from tests/truth.py (needs the .venv)

--verify checks, per case: the keys, the label and mistake kind; for numeric networks that `value` is the last number
written in the answer, that a right value agrees with the truth to the digits written (at least 2 significant
digits) or, for an answer built on correctly rounded intermediates, is what its own arithmetic gives (ARITH), that
every number in a right answer is a correctly rounded value of the network (or is listed in REVIEWED), and that a
wrong value differs from the truth at the digits written (too_few_digits: fewer than 2 significant digits); for
symbolic networks that `expr` equals (right) or differs from (wrong) sympy.diff of the composed error.
"""

from __future__ import annotations

import random
import re
import sys
import tomllib
import zlib
from decimal import Decimal
from pathlib import Path

import mpmath
import sympy as sp

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXAMPLES = ROOT / "examples"
MEASURE = HERE / "tune3"
mpmath.mp.dps = 60


# --- the spec, read by hand ----------------------------------------------------------------------

def load(name: str) -> dict:
    return tomllib.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def layers_of(spec: dict) -> list[dict]:
    """Each layer as {name, neurons, act, W (rows of weight names), b (list of bias names or None)}."""
    out = []
    counter = 0
    prev = len(spec["inputs"]) if "inputs" in spec else len(spec["samples"][0]["inputs"])
    for L in spec["layers"]:
        if "weights" in L:
            W = [list(r) for r in L["weights"]]
            size = len(W)
        else:
            size = L["size"]
            W = [[None] * prev for _ in range(size)]
            if spec.get("numbering", "target") == "source":
                for c in range(prev):          # w1: x1->h1, w2: x1->h2, w3: x2->h1 ...
                    for r in range(size):
                        counter += 1
                        W[r][c] = f"w{counter}"
            else:
                for r in range(size):
                    for c in range(prev):
                        counter += 1
                        W[r][c] = f"w{counter}"
        neurons = L.get("neurons") or [f"{L['name']}{k + 1}" for k in range(size)]
        bias = L.get("bias")
        b = [bias] * size if isinstance(bias, str) else (list(bias) if bias else [None] * size)
        out.append({"name": L["name"], "neurons": neurons, "act": L.get("activation", "sigmoid"), "W": W, "b": b})
        prev = size
    return out


def samples_of(spec: dict) -> list[tuple[list, list]]:
    ss = spec.get("samples") or [{"inputs": spec["inputs"], "targets": spec["targets"]}]
    outn = layers_of(spec)[-1]["neurons"]
    return [([mpmath.mpf(str(v)) for v in s["inputs"].values()],
             [mpmath.mpf(str(s["targets"][n])) for n in outn]) for s in ss]


def act(name, zs):
    if name in ("identity", "linear"):
        return list(zs)
    if name == "sigmoid":
        return [1 / (1 + mpmath.exp(-z)) for z in zs]
    if name == "tanh":
        return [mpmath.tanh(z) for z in zs]
    if name == "softmax":
        e = [mpmath.exp(z) for z in zs]
        s = mpmath.fsum(e)
        return [x / s for x in e]
    raise ValueError(name)


def dact(name, zs, outs):
    """Diagonal derivative (softmax is handled with cce in backward)."""
    if name in ("identity", "linear"):
        return [mpmath.mpf(1)] * len(zs)
    if name == "sigmoid":
        return [o * (1 - o) for o in outs]
    if name == "tanh":
        return [1 - o * o for o in outs]
    raise ValueError(name)


def sample_loss(loss, outs, ts):
    if loss == "half_sse":
        return mpmath.fsum((t - o) ** 2 for o, t in zip(outs, ts, strict=True)) / 2
    if loss in ("cce", "categorical_cross_entropy"):
        return -mpmath.fsum(t * mpmath.log(o) for o, t in zip(outs, ts, strict=True))
    raise ValueError(loss)


def forward(spec, P, x):
    """Per layer: (nets, outs); P maps parameter names to mpf."""
    res = []
    a = x
    for L in layers_of(spec):
        nets = []
        for row, b in zip(L["W"], L["b"], strict=True):
            z = mpmath.fsum(P[w] * ai for w, ai in zip(row, a, strict=True))
            nets.append(z + (P[b] if b else 0))
        outs = act(L["act"], nets)
        res.append((nets, outs))
        a = outs
    return res


def params0(spec):
    return {k: mpmath.mpf(str(v)) for k, v in spec["params"].items()}


def analyse(spec, P):
    """Forward values, loss, per-sample deltas and dE/dout, batch gradients (hand-written backprop)."""
    Ls = layers_of(spec)
    loss = spec.get("loss", "half_sse")
    per = []
    grads = {k: mpmath.mpf(0) for k in P}
    total = mpmath.mpf(0)
    S = samples_of(spec)
    for x, t in S:
        fw = forward(spec, P, x)
        outs = fw[-1][1]
        E = sample_loss(loss, outs, t)
        total += E
        deltas = [None] * len(Ls)
        douts = [None] * len(Ls)
        last = len(Ls) - 1
        if loss == "half_sse":
            douts[last] = [o - tt for o, tt in zip(outs, t, strict=True)]
            deltas[last] = [g * d for g, d in zip(douts[last], dact(Ls[last]["act"], fw[last][0], outs), strict=True)]
        else:  # softmax + cross-entropy
            assert Ls[last]["act"] == "softmax"
            douts[last] = [-tt / o for o, tt in zip(outs, t, strict=True)]
            deltas[last] = [o - tt for o, tt in zip(outs, t, strict=True)]
        for li in range(last - 1, -1, -1):
            n = len(Ls[li]["neurons"])
            douts[li] = [mpmath.fsum(P[Ls[li + 1]["W"][r][c]] * deltas[li + 1][r]
                                    for r in range(len(Ls[li + 1]["neurons"]))) for c in range(n)]
            deltas[li] = [g * d for g, d in zip(douts[li], dact(Ls[li]["act"], fw[li][0], fw[li][1]), strict=True)]
        for li, L in enumerate(Ls):
            a = x if li == 0 else fw[li - 1][1]
            for r in range(len(L["neurons"])):
                for c, w in enumerate(L["W"][r]):
                    grads[w] += deltas[li][r] * a[c]
                if L["b"][r]:
                    grads[L["b"][r]] += deltas[li][r]
        per.append({"fw": fw, "E": E, "deltas": deltas, "douts": douts})
    n = len(S)
    if spec.get("batch_loss", "sum") == "mean":
        total /= n
        grads = {k: v / n for k, v in grads.items()}
    return {"per": per, "E": total, "grads": grads}


def step(spec, P):
    g = analyse(spec, P)["grads"]
    eta = mpmath.mpf(str(spec.get("learning_rate", 1)))
    frozen = set(spec.get("frozen", []))
    return {k: (v if k in frozen else v - eta * g[k]) for k, v in P.items()}


def params_at(spec, k):
    P = params0(spec)
    for _ in range(k):
        P = step(spec, P)
    return P


def truth(specname: str, quantity: str, stepno: int = 0):
    """The true value of a quantity (numeric networks)."""
    spec = load(specname)
    P = params_at(spec, stepno)
    A = analyse(spec, P)
    Ls = layers_of(spec)
    q = quantity.strip()
    if q == "E":
        return A["E"]
    m = re.fullmatch(r"dE/d(\w+)", q)
    if m and m.group(1) in P:
        return A["grads"][m.group(1)]
    m = re.fullmatch(r"(\w+)\+", q)
    if m:
        return step(spec, P)[m.group(1)]
    assert len(A["per"]) == 1, "neuron quantities only for single-sample networks"
    per = A["per"][0]

    def where(neuron):
        for li, L in enumerate(Ls):
            if neuron in L["neurons"]:
                return li, L["neurons"].index(neuron)
        raise KeyError(neuron)
    for pat, fn in ((r"net_(\w+)", lambda li, r: per["fw"][li][0][r]),
                    (r"delta_(\w+)", lambda li, r: per["deltas"][li][r]),
                    (r"dE/dnet_(\w+)", lambda li, r: per["deltas"][li][r]),
                    (r"dE/d(\w+)", lambda li, r: per["douts"][li][r]),
                    (r"(\w+)", lambda li, r: per["fw"][li][1][r])):
        m = re.fullmatch(pat, q)
        if m:
            return fn(*where(m.group(1)))
    raise KeyError(q)


def finite_difference(specname, name, stepno=0):
    spec = load(specname)
    P = params_at(spec, stepno)
    h = mpmath.mpf(10) ** -20
    up, dn = dict(P), dict(P)
    up[name] += h
    dn[name] -= h
    return (analyse(spec, up)["E"] - analyse(spec, dn)["E"]) / (2 * h)


NUMERIC = ["seed000_in_out.toml", "seed002_linear.toml", "seed004_mattmazur.toml", "softmax_batch.toml"]


def table(specname, stepno=0):
    spec = load(specname)
    P = params_at(spec, stepno)
    A = analyse(spec, P)
    Ls = layers_of(spec)
    print(f"=== {specname} step {stepno}")
    print("params", {k: mpmath.nstr(v, 12) for k, v in P.items()})
    for s, per in enumerate(A["per"]):
        for li, L in enumerate(Ls):
            for r, n in enumerate(L["neurons"]):
                print(f"  s{s} {n}: net={mpmath.nstr(per['fw'][li][0][r], 12)}"
                      f" out={mpmath.nstr(per['fw'][li][1][r], 12)}"
                      f" dE/dout={mpmath.nstr(per['douts'][li][r], 12)} delta={mpmath.nstr(per['deltas'][li][r], 12)}")
        print(f"  s{s} E={mpmath.nstr(per['E'], 12)}")
    print("  E(batch) =", mpmath.nstr(A["E"], 14))
    new = step(spec, P)
    for k in P:
        fd = finite_difference(specname, k, stepno)
        assert abs(fd - A["grads"][k]) < mpmath.mpf(10) ** -30, (k, fd, A["grads"][k])
        print(f"  dE/d{k} = {mpmath.nstr(A['grads'][k], 14)}   {k}+ = {mpmath.nstr(new[k], 14)}")



# --- symbolic networks: the spec composed in SymPy -----------------------------------------------

def sym(name):
    return sp.Symbol(name, real=True)


def symbolic_network(specname, phi=None):
    """(leaves, forward definitions in order, error, names) for a symbolic spec.

    Forward quantities: net_<neuron> and <neuron> (the output). `phi` replaces an abstract activation
    (a one-argument callable on SymPy expressions); without it Φ stays an undefined Function.
    """
    spec = load(specname)
    Ls = layers_of(spec)
    notation = spec.get("notation", {})
    inputs = [sym(n) for n in spec["inputs"]]
    outn = Ls[-1]["neurons"]
    base = notation.get("target", "t")
    if len(outn) == 1:
        targets = [sym(base)]
    elif notation.get("style", "net_out") == "net_out":
        targets = [sym(f"{base}_{n}") for n in outn]
    else:
        targets = [sym(f"{base}{k + 1}") for k in range(len(outn))]
    defs = []
    prev = inputs
    for L, raw in zip(Ls, spec["layers"], strict=True):
        outs = []
        for r, n in enumerate(L["neurons"]):
            z = sp.Add(*[sym(w) * a for w, a in zip(L["W"][r], prev, strict=True)])
            z = z + (sym(L["b"][r]) if L["b"][r] else 0)
            defs.append((sym(f"net_{n}"), z))
        for n in L["neurons"]:
            z = sym(f"net_{n}")
            if L["act"] == "sigmoid":
                v = 1 / (1 + sp.exp(-z))
            elif L["act"] in ("identity", "linear"):
                v = z
            elif L["act"] == "abstract":
                v = phi(z) if phi else sp.Function(raw.get("function", "f"))(z)
            else:
                raise ValueError(L["act"])
            defs.append((sym(n), v))
            outs.append(sym(n))
        prev = outs
    assert spec.get("loss", "half_sse") == "half_sse"
    err = sp.Rational(1, 2) * sp.Add(*[(t - o) ** 2 for t, o in zip(targets, prev, strict=True)])
    lr = sym(notation.get("learning_rate", "eta"))
    return defs, err, lr


def compose(defs, expr, perturb=None, eps=None):
    """expr with every forward quantity replaced by its definition in the leaves (optionally eps added)."""
    env = {}
    for s, d in defs:
        v = d.xreplace(env)
        if s == perturb:
            v = v + eps
        env[s] = v
    return expr.xreplace(env) if perturb is None else (expr.xreplace(env), env)


EPS = sp.Symbol("eps_perturb", real=True)


def symbolic_truth(specname, quantity, phi):
    """The true expression (in the leaves) of a quantity of a symbolic network, Φ made concrete by phi."""
    defs, err, lr = symbolic_network(specname, phi)
    names = {str(s) for s, _ in defs}
    q = quantity.strip()
    full = {}
    for s, d in defs:
        full[s] = d.xreplace(full)
    E = err.xreplace(full)
    if q == "E":
        return E
    m = re.fullmatch(r"dE/d(\w+)", q)
    if m and m.group(1) not in names:
        return sp.diff(E, sym(m.group(1)))
    m = re.fullmatch(r"(\w+)\+", q)
    if m:
        p = sym(m.group(1))
        return p - lr * sp.diff(E, p)
    m = re.fullmatch(r"(?:delta_|dE/dnet_)(\w+)", q)
    if m:
        target = sym(f"net_{m.group(1)}")
    else:
        m = re.fullmatch(r"dE/d(\w+)", q)
        target = sym(m.group(1)) if m else None
    if target is not None:
        env = {}
        for s, d in defs:
            v = d.xreplace(env)
            if s == target:
                v = v + EPS
            env[s] = v
        return sp.diff(err.xreplace(env), EPS).subs(EPS, 0)
    if q in names:
        return full[sym(q)]
    raise KeyError(q)


PHIS = [lambda z: sp.tanh(z) + z ** 3 / 7, lambda z: sp.exp(z / 3) - sp.sin(z),
        lambda z: 1 / (1 + sp.exp(-2 * z)) + z / 5]


def parse_expr(text, defs, phi):
    """A case's `expr` (SymPy syntax over the network's names), with Φ replaced by the concrete phi."""
    names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)) - {"Derivative", "exp", "Phi", "f", "sqrt", "log", "tanh"}
    local = {n: sym(n) for n in names}
    u = sp.Symbol("u_phi")
    local["Phi"] = sp.Lambda(u, phi(u))
    e = sp.sympify(text, locals=local)
    e = e.doit()
    full = {}
    for s, d in defs:
        full[s] = d.xreplace(full)
    return e.xreplace(full)


def symbolic_agree(specname, quantity, text, trials=4):
    """True when the expr equals the truth at random points for every concrete Φ (to 30 digits)."""
    rng = random.Random(zlib.crc32(f"{specname}|{quantity}|{text}".encode()))
    for phi in PHIS:
        defs, _, _ = symbolic_network(specname, phi)
        t = symbolic_truth(specname, quantity, phi)
        e = parse_expr(text, defs, phi)
        leaves = sorted((t.free_symbols | e.free_symbols) - {EPS}, key=str)
        for _ in range(trials):
            point = {s: sp.Rational(rng.randint(-90, 90), 37) for s in leaves}
            a = sp.N(t.xreplace(point), 40)
            b = sp.N(e.xreplace(point), 40)
            if abs(a - b) > sp.Float(10) ** -25 * max(1, abs(a)):
                return False
    return True


# --- verification of the measure files -----------------------------------------------------------

MISTAKES = {"missing_activation_derivative", "sign_flipped", "factor_two", "wrong_weight", "per_weight_delta",
            "updated_weights", "wrong_input", "wrong_activation_derivative", "update_sign",
            "missing_learning_rate", "arithmetic_slip", "too_few_digits", "wrong_substituted_value",
            "other_quantity", "incomplete", "wrong_sum"}
SYMBOLIC = {"seed001_abstract_phi.toml", "seed003_symbolic.toml"}


def decimals_of(text):
    """(value, half a unit of the last digit written, significant digits written) of a value string."""
    d = Decimal(text.strip())
    t = d.as_tuple()
    mantissa = int("".join(map(str, t.digits)) or "0")
    sig = len(str(mantissa)) if mantissa else 0
    return mpmath.mpf(text.strip()), mpmath.mpf(10) ** t.exponent / 2, sig


def known_numbers(specname, stepno):
    """Every number a right answer may legitimately state at this step: values of the network and the
    usual factors of hand derivations (1 - o, o(1 - o), t - o, δ·w, η·∂E/∂w, ...)."""
    spec = load(specname)
    out = []
    for k in {0, stepno, stepno + 1}:
        P = params_at(spec, k)
        A = analyse(spec, P)
        eta = mpmath.mpf(str(spec.get("learning_rate", 1)))
        out += [*list(P.values()), eta, A["E"]]
        out += list(A["grads"].values()) + [eta * g for g in A["grads"].values()]
        out += [g / 2 for g in A["grads"].values()] + [2 * g for g in A["grads"].values()]
        out += list(step(spec, P).values())
        Ls = layers_of(spec)
        for (x, t), per in zip(samples_of(spec), A["per"], strict=True):
            out += x + t + [per["E"], per["E"] / 2] + [-v for v in t] + [1 - v for v in t]
            if spec.get("loss", "half_sse") == "half_sse":
                out += [(a - b) ** 2 / 2 for a, b in zip(per["fw"][-1][1], t, strict=True)]
                out += [(a - b) ** 2 for a, b in zip(per["fw"][-1][1], t, strict=True)]
            else:
                out += [-mpmath.log(o) for o in per["fw"][-1][1]]
            for li, L in enumerate(Ls):
                nets, outs = per["fw"][li]
                prev = x if li == 0 else per["fw"][li - 1][1]
                out += nets + outs + [1 - o for o in outs] + [o * (1 - o) for o in outs]
                out += [1 - o * o for o in outs] + [o * o for o in outs] + [mpmath.exp(-z) for z in nets]
                out += [1 + mpmath.exp(-z) for z in nets]
                out += per["deltas"][li] + per["douts"][li] + [-v for v in per["douts"][li]]
                out += [-v for v in per["deltas"][li]]
                for r in range(len(L["neurons"])):
                    for c, w in enumerate(L["W"][r]):
                        out += [P[w] * prev[c], per["deltas"][li][r] * P[w], per["deltas"][li][r] * prev[c],
                                -per["deltas"][li][r] * prev[c], eta * per["deltas"][li][r] * prev[c]]
                    out += [eta * per["deltas"][li][r]]
                if li == len(Ls) - 1:
                    out += [o - tt for o, tt in zip(outs, t, strict=True)]
                    out += [tt - o for o, tt in zip(outs, t, strict=True)]
    return out


NUM_RE = re.compile(r"(?<![_^{A-Za-z0-9.])(\d+\.\d+|\d+)(?:\s*(?:e|\\times\s*10\^)\{?(-?\d+)\}?)?")


def numbers_in(latex):
    """Decimal numbers written in a LaTeX answer (not subscripts, superscripts or indices)."""
    found = []
    for m in NUM_RE.finditer(latex):
        mant, exp = m.group(1), m.group(2)
        if "." not in mant and exp is None:
            continue  # integers: 1, 2, 1/2 ... (checked by eye)
        found.append(mant + (f"e{exp}" if exp else ""))
    return found


def last_number(latex):
    """The last number written in the answer, with its sign (a '-' right before it, spaces and '(' aside)."""
    found = [m for m in NUM_RE.finditer(latex) if "." in m.group(1) or m.group(2)]
    if not found:
        return None
    m = found[-1]
    before = latex[:m.start()].rstrip().rstrip("(").rstrip()
    sign = "-" if before.endswith("-") else ""
    return sign + m.group(1) + (f"e{m.group(2)}" if m.group(2) else "")


def matches(text, candidates, slack=1):
    v, half, _ = decimals_of(text)
    tol = half * slack * (1 + mpmath.mpf(10) ** -12)
    return any(abs(abs(v) - abs(c)) <= tol for c in candidates)


def student_arithmetic(text):
    """Evaluate an arithmetic string of decimal literals exactly as written (each literal read as a decimal)."""
    code = re.sub(r"(?<![\w.'])(\d+\.\d+(?:e-?\d+)?|\d+)(?![\w.'])", r"mpf('\1')", text)
    return eval(code, {"mpf": mpmath.mpf, "exp": mpmath.exp, "log": mpmath.log, "tanh": mpmath.tanh,
                       "sig": lambda z: 1 / (1 + mpmath.exp(-z))})


def verify(show_unmatched=True):
    arith = ARITH
    problems, counts = [], {}
    for path in sorted(MEASURE.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        specname = data["spec"]
        assert (EXAMPLES / specname).exists(), path
        assert isinstance(data.get("source"), str) and data["source"], path
        ids = set()
        for c in data["case"]:
            key = (path.name, c["id"])
            where = f"{path.name}:{c['id']}"
            assert set(c) <= {"id", "quantity", "step", "label", "mistake", "value", "expr", "tolerance", "note",
                              "latex"}, where
            assert not c.get("tolerance") or (c["label"] == "right" and c.get("note")), where
            assert c["id"] not in ids, where
            ids.add(c["id"])
            label, mistake = c["label"], c.get("mistake", "")
            stepno = c.get("step", 0)
            assert label in ("right", "wrong"), where
            if label == "right":
                assert mistake == "", where
            else:
                assert mistake in MISTAKES, where
                assert c.get("note"), where
            assert c["latex"].strip(), where
            counts.setdefault((specname, label, mistake), 0)
            counts[(specname, label, mistake)] += 1
            if specname in SYMBOLIC:
                expr = c.get("expr", "")
                assert not c.get("value"), where
                if mistake == "incomplete":
                    if expr:
                        problems.append(f"{where}: incomplete with an expr")
                    continue
                ok = symbolic_agree(specname, c["quantity"], expr)
                if ok != (label == "right"):
                    problems.append(f"{where}: expr {'differs from' if label == 'right' else 'equals'} the truth")
                continue
            value = c.get("value", "")
            assert not c.get("expr"), where
            if mistake == "incomplete":
                if value:
                    problems.append(f"{where}: incomplete with a value")
                continue
            last = last_number(c["latex"])
            if last is None or decimals_of(last)[0] != decimals_of(value)[0] or \
                    decimals_of(last)[1] != decimals_of(value)[1]:
                problems.append(f"{where}: value {value} is not the last number of the answer ({last})")
            t = truth(specname, c["quantity"], stepno)
            v, half, sig = decimals_of(value)
            close = abs(v - t) <= half * (1 + mpmath.mpf(10) ** -12)
            if key in arith:
                a = student_arithmetic(arith[key])
                if abs(mpmath.mpf(a) - v) > half * (1 + mpmath.mpf(10) ** -12):
                    problems.append(f"{where}: value {value} is not what its arithmetic gives ({mpmath.nstr(a, 10)})")
            if label == "right":
                if sig < 2:
                    problems.append(f"{where}: right with fewer than 2 significant digits")
                if c.get("tolerance"):  # hand-rounded intermediates: the deviation they explain (at most 3 %)
                    tol = mpmath.mpf(c["tolerance"])
                    if not (abs(v - t) <= tol <= abs(t) * mpmath.mpf("0.03") and key in arith):
                        problems.append(f"{where}: tolerance {c['tolerance']} does not cover {value} (truth "
                                        f"{mpmath.nstr(t, 12)}) or is more than 3 % of it")
                if not close:
                    if key in arith and abs(v - t) <= abs(t) * mpmath.mpf("0.03"):
                        pass  # right by rounding: the value of the student's correctly rounded numbers
                    else:
                        problems.append(f"{where}: right but {value} vs truth {mpmath.nstr(t, 12)}")
                if show_unmatched:
                    cands = known_numbers(specname, stepno)
                    odd = [n for n in numbers_in(c["latex"]) if not matches(n, cands, 1)
                           and n not in REVIEWED.get(key, ())]
                    if odd:
                        print(f"  [review] {where}: numbers not among the known values: {odd}")
            else:
                if mistake == "too_few_digits":
                    if sig >= 2 and v != 0:
                        problems.append(f"{where}: too_few_digits with {sig} significant digits")
                elif close:
                    problems.append(f"{where}: wrong but {value} agrees with the truth {mpmath.nstr(t, 12)}")
    return problems, counts


# Numbers in right answers that are not (correctly rounded) values of the network but were checked by hand: sums and
# products of the answer's own rounded numbers (the ARITH entry of the case re-does that arithmetic).
REVIEWED: dict[tuple[str, str], tuple[str, ...]] = {
    ("mazur_blog.toml", "w1"): ("0.036350307",),            # 0.055399425 - 0.019049118 (truth 0.0363503064)
    ("mazur_second_pass.toml", "s1-E"): ("0.291027773",),   # 0.267976501 + 0.023051272 (truth 0.2910277737)
    ("seed000_lecture_copy.toml", "d7"): ("0.031",),        # 0.25 x 0.48 x 0.52 x 0.50 = 0.0312 (truth 0.0305)
    ("seed002_second_iteration.toml", "s1-out-lecture"): ("0.2571",),  # the lecture's 2-decimal weights
    ("softmax_batch_student.toml", "b1"): ("0.0586", "0.0438"),  # -0.3713 + 0.4299, 0.4573 - 0.4135 (sample sums)
}


# The student's own arithmetic, re-done from the numbers as written in the answer: for a right answer whose
# value follows from correctly rounded intermediates, and for wrong answers (the slip, reproduced).
ARITH: dict[tuple[str, str], str] = {
    ("mazur_blog.toml", "w6"): "0.74136507*0.186815602*0.593269992",
    ("mazur_blog.toml", "w1"): "0.036350307*0.241300709*0.05",
    ("mazur_blog.toml", "w8"): "-0.217071535*0.596884378",
    ("mazur_blog.toml", "E-total"): "0.274811083+0.023560026",
    ("mazur_blog.toml", "w5-new"): "0.4-0.5*0.082167041",
    ("student_four_decimals.toml", "w7"): "-0.0381*0.5933",
    ("student_four_decimals.toml", "w7-new"): "0.5-0.5*(-0.0226)",
    ("student_four_decimals.toml", "delta-h2"): "0.04137*0.2406",
    ("student_four_decimals.toml", "w4"): "0.009954*0.10",
    ("student_four_decimals.toml", "w2"): "0.008771*0.05",
    ("student_four_decimals.toml", "w3"): "0.03522*0.2406*0.05",
    ("student_four_decimals.toml", "w6-new"): "0.45+0.5*0.08267",
    ("ng_deeplearning.toml", "dw5"): "0.1385*0.5933",
    ("ng_deeplearning.toml", "da1"): "0.4*0.1385+0.5*(-0.0381)",
    ("ng_deeplearning.toml", "dz1"): "0.03635*0.5933*(1-0.5933)",
    ("ng_deeplearning.toml", "db2"): "0.1385-0.0381",
    ("ng_deeplearning.toml", "db1"): "0.008771",
    ("ng_deeplearning.toml", "dw8"): "-0.08741*0.5969",
    ("ng_deeplearning.toml", "dw1"): "0.01754*0.05",
    ("mitchell_rule.toml", "w5"): "0.4-0.041084",
    ("mitchell_rule.toml", "w8"): "0.55+0.011370",
    ("mitchell_rule.toml", "w2"): "0.20-0.00043857",
    ("mitchell_rule.toml", "w1"): "0.15+0.5*(-0.0087714)*0.05",
    ("mitchell_rule.toml", "w4"): "0.30+0.000497715",
    ("mitchell_rule.toml", "w6"): "0.45-0.082668",
    ("mitchell_rule.toml", "w7"): "0.5-0.011301",
    ("nielsen_book.toml", "w6"): "0.59688*0.13850",
    ("nielsen_book.toml", "delta2-1"): "(0.40*0.13850+0.50*(-0.038098))*0.24130",
    ("nielsen_book.toml", "b2"): "0.13850-0.038098",
    ("nielsen_book.toml", "w1"): "0.05*0.0092311",
    ("nielsen_book.toml", "delta3-2"): "0.77293-0.99",
    ("nielsen_book.toml", "C"): "(0.01-0.75137)**2+(0.99-0.77293)**2",
    ("nielsen_book.toml", "w3-new"): "0.25-0.5*0.05*0.0099543",
    ("chinese_notes_mazur.toml", "w5"): "0.7414*0.7514*(1-0.7514)*0.5933",
    ("chinese_notes_mazur.toml", "w5-new"): "0.4-0.5*0.0822",
    ("chinese_notes_mazur.toml", "delta-o2"): "(0.7729-0.99)*0.7729*0.2271",
    ("chinese_notes_mazur.toml", "net-o2"): "0.5*0.593270+0.55*0.596884+0.6",
    ("chinese_notes_mazur.toml", "w4-new"): "0.30-0.5*0.009954*0.10",
    ("chinese_notes_mazur.toml", "w3"): "(0.0827-0.0227)*0.5969*(1-0.5969)*0.05",
    ("chinese_notes_mazur.toml", "E"): "0.5*(0.01-0.75)**2+0.5*(0.99-0.77)**2",
    ("mazur_second_pass.toml", "s1-E"): "0.267976501+0.023051272",
    ("mazur_second_pass.toml", "s1-w5"): "0.140116793*0.593256764",
    ("mazur_second_pass.toml", "s1-w5-new"): "0.35891648-0.5*0.083125235",
    ("mazur_second_pass.toml", "s1-w1"): "0.031163845*0.241303176*0.05",
    ("mazur_second_pass.toml", "w1-updated"): "0.030229739*0.241300709*0.05",
    ("scientific_notation_student.toml", "delta-h1"): "0.03635*0.2413",
    ("scientific_notation_student.toml", "w1"): "8.77e-3*0.05",
    ("scientific_notation_student.toml", "w2"): "8.77e-3*0.1",
    ("scientific_notation_student.toml", "w8"): "(0.773-0.99)*0.773*(1-0.773)*0.593",
    ("scientific_notation_student.toml", "b1"): "8.77e-3+9.95e-3",
    ("scientific_notation_student.toml", "w7"): "0.1385*0.597",
    ("seed000_lecture_copy.toml", "h1"): "sig(0.20*0.50+0.50*0.30)",
    ("seed000_lecture_copy.toml", "o1"): "sig(0.10*0.56+(-0.30)*0.50)",
    ("seed000_lecture_copy.toml", "error"): "0.5*(0.48-0.23)**2+0.5*(0.53-(-0.07))**2",
    ("seed000_lecture_copy.toml", "d5"): "0.25*0.48*(1-0.48)*0.56",
    ("seed000_lecture_copy.toml", "d6"): "0.60*0.53*(1-0.53)*0.56",
    ("seed000_lecture_copy.toml", "d7"): "0.25*0.48*(1-0.48)*0.50",
    ("seed000_lecture_copy.toml", "d1"): "(0.035+0.084)*0.56*(1-0.56)*0.50",
    ("seed000_lecture_copy.toml", "d2"): "(0.25*0.48*0.52*(-0.50)+0.60*0.53*0.47*0.80)*0.50*0.50*0.50",
    ("seed000_lecture_copy.toml", "w1-new"): "0.20+1*(-0.0084)",
    ("seed000_careful.toml", "in-o2"): "-0.5*0.5622+0.8*0.4950",
    ("seed000_careful.toml", "delta-o1"): "0.246946*0.476946*0.523054",
    ("seed000_careful.toml", "w5"): "0.061605*0.562177",
    ("seed000_careful.toml", "dh1"): "0.061605*0.1+0.149181*(-0.5)",
    ("seed000_careful.toml", "delta-h1"): "-0.068430*0.562177*0.437823",
    ("seed000_careful.toml", "w3"): "-0.016843*0.3",
    ("seed000_careful.toml", "w2"): "-0.016843*0.3",
    ("seed000_careful.toml", "w8-new"): "0.8-1*0.149181*0.495000",
    ("seed000_careful.toml", "w6-new"): "-0.5-1*0.431349*0.562177",
    ("seed000_zh_student.toml", "w4"): "(0.0616*(-0.3)+0.1492*0.8)*0.495*0.505*0.3",
    ("seed000_zh_student.toml", "h2"): "1/(1+exp(0.02))",
    ("seed000_zh_student.toml", "w5-new"): "0.1-1*0.03463",
    ("seed000_zh_student.toml", "w6"): "(-0.07-0.5287)*0.5287*0.4713*0.5622",
    ("seed000_zh_student.toml", "o2"): "sig(-0.5*0.5+0.8*0.3)",
    ("seed000_zh_student.toml", "delta-h2"): "0.0616*(-0.3)+0.1492*0.8",
    ("seed000_zh_student.toml", "w7"): "0.1492*0.4950",
    ("seed000_second_step.toml", "s1-h1"): "sig(0.255727)",
    ("seed000_second_step.toml", "s1-error"): "0.0284483+0.1665843",
    ("seed000_second_step.toml", "s1-delta-o2"): "0.577208*0.507208*0.492792",
    ("seed000_second_step.toml", "s1-w5"): "0.0593963*0.563586",
    ("seed000_second_step.toml", "s1-w8-new"): "0.726155-1*0.144272*0.563586",
    ("seed000_second_step.toml", "s1-w3"): "0.0593963*0.0653670*0.563586*0.436414*0.3",
    ("seed002_matrix_form.toml", "out"): "0.85*0.14+0.48*0.15",
    ("seed002_matrix_form.toml", "error"): "0.5*(0.191-1.0)**2",
    ("seed002_matrix_form.toml", "w5-new"): "0.14+0.0344",
    ("seed002_matrix_form.toml", "w6-new"): "0.15-0.05*(-0.809)*0.48",
    ("seed002_matrix_form.toml", "w1-new"): "0.11-0.05*(-0.809)*2*0.14",
    ("seed002_matrix_form.toml", "w3"): "-0.809*2*0.15",
    ("seed002_matrix_form.toml", "w4-new"): "0.08-0.05*(-0.809)*3*0.1694",
    ("seed002_matrix_form.toml", "w2-new"): "0.21-(-0.809)*3*0.14",
    ("seed002_matrix_form.toml", "w6"): "2*(-0.809)*0.48",
    ("seed002_chain_rule.toml", "w6"): "(0.191-1)*0.48",
    ("seed002_chain_rule.toml", "w5"): "-0.809*0.85",
    ("seed002_chain_rule.toml", "w1"): "-0.809*0.14*2",
    ("seed002_chain_rule.toml", "w2"): "-0.809*0.14*2",
    ("seed002_chain_rule.toml", "w4"): "-0.809*0.14*3",
    ("seed002_chain_rule.toml", "h1"): "2*0.11+3*0.21",
    ("seed002_chain_rule.toml", "dh2"): "-0.809*0.15",
    ("seed002_chain_rule.toml", "w3"): "(1-0.191)*0.15*2",
    ("seed002_chain_rule.toml", "error"): "(0.191-1.0)**2",
    ("seed002_second_iteration.toml", "s1-out-lecture"): "(2*0.12+3*0.23)*0.1744+(2*0.13+3*0.10)*0.1694",
    ("seed002_second_iteration.toml", "s1-error"): "0.5*(0.255746-1)**2",
    ("seed002_second_iteration.toml", "s1-w5"): "-0.744254*0.923619",
    ("seed002_second_iteration.toml", "s1-w5-new"): "0.1743825-0.05*(-0.687407)",
    ("seed002_second_iteration.toml", "s1-w6-new"): "0.169416+0.020797",
    ("seed002_second_iteration.toml", "s1-w4"): "-0.744254*0.190213*3",
    ("softmax_batch_cs231n.toml", "J"): "0.5*(1.0474850+1.1181078)",
    ("softmax_batch_cs231n.toml", "b2"): "0.5*((0.350819-1)+(0.304753-0))",
    ("softmax_batch_cs231n.toml", "w5"): "0.5*(-0.649181*0.263625+0.304753*(-0.049958))",
    ("softmax_batch_cs231n.toml", "w9-new"): "-0.4-0.5*0.053563",
    ("softmax_batch_cs231n.toml", "w1"): "0.5*(-0.371337*0.5+0.457308*(-0.4))",
    ("softmax_batch_cs231n.toml", "w3-new"): "0.2-0.5*0.380329",
    ("softmax_batch_cs231n.toml", "b3"): "0.5*0.370382",
    ("softmax_batch_cs231n.toml", "w10"): "0.5*((0-0.278799)*0.119427+(1-0.326898)*0.139092)",
    ("softmax_batch_student.toml", "b1"): "0.5*((-0.3713+0.4299)+(0.4573-0.4135))",
    ("softmax_batch_student.toml", "w4"): "0.5*(0.4299*(-0.2)+(-0.4135)*0.3)",
    ("softmax_batch_student.toml", "w7"): "0.5*(0.370382*0.263625+0.368349*(-0.049958))",
    ("softmax_batch_student.toml", "w8"): "0.5*(0.370382*0.263625+0.368349*(-0.049958))",
    ("softmax_batch_student.toml", "w6-new"): "-0.3+0.5*(-0.01756)",
    ("softmax_batch_student.toml", "b4-new"): "-0.1+0.19715",
    ("softmax_batch_student.toml", "J"): "0.5*(1.0475+1.1881)",
    ("softmax_batch_student.toml", "w2"): "0.5*(-0.07747*(-0.2)+(-0.02407)*0.3)",
    ("softmax_batch_second_step.toml", "s1-J"): "0.5*(0.9004039+0.9671780)",
    ("softmax_batch_second_step.toml", "s1-b2"): "0.5*((0.4064055-1)+0.3150981)",
    ("softmax_batch_second_step.toml", "s1-w5-new"): "0.5465913-0.5*(-0.1068513)",
    ("softmax_batch_second_step.toml", "s1-w10"): "0.5*(0.289533*0.036342+(-0.619846)*0.166616)",
    ("softmax_batch_second_step.toml", "s1-w1"): "0.5*(-0.39*0.5+0.45*(-0.4))",
    ("mazur_weak_student.toml", "dnet-h1"): "0.03635*0.2413",
    ("mazur_weak_student.toml", "w3-new"): "0.25-0.5*0.009954*0.05",
    ("mazur_weak_student.toml", "dh2"): "0.1385*0.45",
    ("mazur_weak_student.toml", "w2"): "(0.08217-0.02260)*0.2413*0.1",
    ("mazur_weak_student.toml", "E"): "0.5*(0.01-0.7729)**2+0.5*(0.99-0.7514)**2",
    ("mazur_weak_student.toml", "delta-o1"): "0.7414*0.2486",
    ("mazur_weak_student.toml", "h1"): "sig(0.3775)",
    ("mazur_weak_student.toml", "w1"): "0.009954*0.05",
    ("seed000_exam_slips.toml", "do2"): "0.5287-(-0.07)",
    ("seed000_exam_slips.toml", "w8"): "0.149181*0.495000",
    ("seed000_exam_slips.toml", "in-h1"): "0.20*0.50+0.50*0.30",
    ("seed000_exam_slips.toml", "w6"): "0.0616*0.4950",
    ("seed000_exam_slips.toml", "w3"): "(0.035+0.084)*0.56*(1-0.56)*0.30",
    ("seed000_exam_slips.toml", "h2"): "sig(-0.4*0.3+0.6*0.5)",
    ("seed000_exam_slips.toml", "w7-new"): "-0.3+1*0.0305",
    ("seed000_exam_slips.toml", "w2"): "(0.0616*(-0.3)+0.1492*0.8)*0.5622*(1-0.5622)*0.5",
    ("seed002_homework_slips.toml", "dout"): "0.191-1",
    ("seed002_homework_slips.toml", "w2-new"): "0.21+0.016989",
    ("seed002_homework_slips.toml", "net-h1"): "0.22+0.63",
    ("seed002_homework_slips.toml", "w5-new"): "0.14-0.0344",
    ("seed002_homework_slips.toml", "w1"): "-0.68765*2",
    ("seed002_homework_slips.toml", "error"): "0.5*(0.191-1)**2",
    ("seed002_homework_slips.toml", "w3-new"): "0.08-0.05*(-0.809)*0.15*3",
    ("seed002_homework_slips.toml", "w6"): "-0.809*0.85",
    ("softmax_batch_slips.toml", "b4"): "0.5*(0.2787994+(0.3268978-1))",
    ("softmax_batch_slips.toml", "w10-new"): "0.6-0.5*(-0.030164)",
    ("softmax_batch_slips.toml", "w9"): "0.5*(0.278799*0.263625+(0.326898-1)*(-0.049958))",
    ("softmax_batch_slips.toml", "b2-new"): "0+0.5*(-0.172214)",
    ("softmax_batch_slips.toml", "w6"): "0.5*(-0.649181)*0.119427",
    ("softmax_batch_slips.toml", "w5"): "0.5*(-1/0.350819)*0.263625",
    ("softmax_batch_slips.toml", "w4"): "0.5*(-0.393380*(-0.2)+0.449583*0.3)",
}


def crosscheck():
    """Second opinion on the numeric truth: tests/truth.py's spec_loss / spec_finite_difference (spec dict only)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import truth as T
    bad = 0
    for name in NUMERIC:
        spec = load(name)
        data = dict(spec)
        data["layers"] = [dict(raw, weights=L["W"], bias=(L["b"] if any(L["b"]) else None))
                          for raw, L in zip(spec["layers"], layers_of(spec), strict=True)]
        for k in range(3):
            P = params_at(spec, k)
            A = analyse(spec, P)
            data["params"] = dict(P)  # mpf values at 60 digits (mp_value keeps an mpf as it is)
            with mpmath.workdps(100):
                e = T.spec_loss(data)
            ok = abs(e - A["E"]) < mpmath.mpf(10) ** -45
            for n in P:
                with mpmath.workdps(100):
                    fd = T.spec_finite_difference(data, n)
                ok &= abs(fd - A["grads"][n]) < mpmath.mpf(10) ** -40
            print(f"  {name} step {k}: loss and {len(P)} gradients {'agree' if ok else 'DISAGREE'}")
            bad += not ok
    # the neuron quantities (delta = dE/dnet, dE/dout) by central differences of a perturbed forward pass
    for name in ("seed000_in_out.toml", "seed002_linear.toml", "seed004_mattmazur.toml"):
        spec = load(name)
        Ls = layers_of(spec)
        (x, t), = samples_of(spec)
        for k in range(2):
            P = params_at(spec, k)
            per = analyse(spec, P)["per"][0]
            ok = True
            for li, L in enumerate(Ls):
                for r in range(len(L["neurons"])):
                    for where, want in (("net", per["deltas"][li][r]), ("out", per["douts"][li][r])):
                        h = mpmath.mpf(10) ** -25
                        vals = []
                        for eps in (h, -h):
                            a = x
                            for l2, L2 in enumerate(Ls):
                                nets = [mpmath.fsum(P[w] * ai for w, ai in zip(row, a, strict=True))
                                        + (P[b] if b else 0) for row, b in zip(L2["W"], L2["b"], strict=True)]
                                if l2 == li and where == "net":
                                    nets[r] += eps
                                a = act(L2["act"], nets)
                                if l2 == li and where == "out":
                                    a[r] += eps
                            vals.append(sample_loss(spec.get("loss", "half_sse"), a, t))
                        ok &= abs((vals[0] - vals[1]) / (2 * h) - want) < mpmath.mpf(10) ** -30
            verdict = "agrees" if ok else "DISAGREES"
            print(f"  {name} step {k}: every delta and dE/dout {verdict} with finite differences")
            bad += not ok
    return bad


if __name__ == "__main__":
    if "--crosscheck" in sys.argv:
        sys.exit(1 if crosscheck() else 0)
    if "--verify" in sys.argv:
        problems, counts = verify("--quiet" not in sys.argv)
        for p in problems:
            print("PROBLEM", p)
        total = sum(counts.values())
        print(f"{total} cases; problems: {len(problems)}")
        by_spec, by_label, by_mistake = {}, {}, {}
        for (s, label, m), n in sorted(counts.items()):
            by_spec[s] = by_spec.get(s, 0) + n
            by_label[(s, label)] = by_label.get((s, label), 0) + n
            if m:
                by_mistake[m] = by_mistake.get(m, 0) + n
        for k, n in by_label.items():
            print(f"  {k[0]:28s} {k[1]:6s} {n}")
        for k, n in sorted(by_mistake.items()):
            print(f"  {k:32s} {n}")
        sys.exit(1 if problems else 0)
    for s in NUMERIC:
        for k in range(2):
            table(s, k)
