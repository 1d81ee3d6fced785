"""Every label of the corpus of hand derivations (tests/corpus/tune and measure), verified independently.

No checker and no engine: the truth is tests/corpus/truth_values.py (the spec TOML read with tomllib, the
forward pass in mpmath at 100 digits, derivatives by central differences; symbolic quantities by sympy.diff
of the error composed from the spec). What is verified, case by case:

* right, numeric network: `value` is given, has at least 2 significant digits (or is exact: -0.02) and is
  the true quantity to the digits written. In tune/ strictly: within half a unit of its last digit, or within
  the case's `tolerance` when it follows from hand-rounded intermediates (at most 3 % of the true value; the
  note says which numbers were rounded). The other half is written without the `tolerance` key, so there a
  number may also be one unit of its last digit off (intermediates rounded to the same digits:
  0.267976501 + 0.023051272 = 0.291027773 for 0.2910277737), or HAND_ROUNDING (1 %) off when it is written
  with at most 4 significant digits, as hand-rounded lecture numbers are (seed 002's 0.2571 for 0.25575);
* right, symbolic network: `expr` is given and equals the quantity (a symbolic proof: the difference, composed
  in inputs, targets and parameters, vanishes identically); an `expr` on a numeric network is checked so too;
* wrong: the slip is visible in what the case records — too_few_digits: a value with fewer than 2
  significant digits; incomplete: no value and no formula; wrong_substituted_value: a note (the slip is in a
  substitution line; its final number may well be right); every other kind: the value is NOT the true one to
  its digits, or the formula differs from the quantity (a random point where the difference is nonzero).
"""

from __future__ import annotations

import collections
from pathlib import Path

import mpmath
import pytest

from corpus import truth_values as tv
from corpus.load import MISTAKES, Case, CorpusError, CorpusFile, load_corpus, load_file

CORPUS = load_corpus()
CASES = [(f, c) for f in CORPUS for c in f.cases]
HAND_ROUNDING = mpmath.mpf("0.01")


def _formula_equal(f: CorpusFile, c: Case) -> bool:
    diff = tv.compose_formula(f.spec, c.expr) - tv.symbolic_quantity(f.spec, c.quantity)
    return tv.symbolic_zero(diff)


def _formula_differs(f: CorpusFile, c: Case) -> bool:
    diff = tv.compose_formula(f.spec, c.expr) - tv.symbolic_quantity(f.spec, c.quantity)
    return tv.differs_somewhere(diff)


def _check(ok: bool, message: str) -> None:
    """An assertion whose failure shows the message only (not the case's LaTeX, for the held-out half)."""
    if not ok:
        pytest.fail(message, pytrace=False)


@pytest.mark.parametrize(("f", "c"), CASES, ids=[f"{f.name}::{c.id}" for f, c in CASES])
def test_label(f: CorpusFile, c: Case) -> None:
    net = tv.load_net(f.spec)
    where = f"{f.name} case {c.id!r} ({c.quantity}, step {c.step})"
    true = tv.numeric_value(f.spec, c.quantity, c.step) if net.numeric else None
    shown = "" if true is None else f"; the true value is {mpmath.nstr(true, 12)}"
    if c.right:
        if net.numeric:
            _check(bool(c.value), f"{where}: a right numeric case states its final number in `value`")
            exact = abs(tv.written(c.value)[0] - true) < mpmath.mpf(10) ** -60
            _check(tv.written(c.value)[2] >= 2 or exact,
                   f"{where}: {c.value} has fewer than 2 significant digits (and is not exact)")
            if c.tolerance:
                _check(tv.written(c.tolerance)[0] <= abs(true) * mpmath.mpf("0.03"),
                       f"{where}: a rounding tolerance of {c.tolerance} is more than 3 % of the value{shown}")
            if f.half == "tune":  # strict: the true value rounded to the digits written, or the tolerance stated
                ok = tv.agrees(c.value, true, c.tolerance or None)
            else:
                tolerance = tv.written(c.tolerance)[0] if c.tolerance else None
                if tolerance is None and tv.written(c.value)[2] <= 4:
                    tolerance = abs(true) * HAND_ROUNDING
                ok = tv.agrees_after_rounding(c.value, true, tolerance)
            _check(ok, f"{where}: labelled right, but {c.value} is not the true value to its digits{shown}")
        else:
            _check(bool(c.expr), f"{where}: a right symbolic case states its final formula in `expr`")
        if c.expr:
            _check(_formula_equal(f, c), f"{where}: labelled right, but its formula is not the quantity")
        return
    _check(c.mistake in MISTAKES, f"{where}: unknown mistake {c.mistake!r}")
    if c.mistake == "too_few_digits":
        _check(bool(c.value), f"{where}: too_few_digits states the number written")
        _check(tv.written(c.value)[2] < 2, f"{where}: {c.value} has 2 or more significant digits")
        return
    if c.mistake == "incomplete":
        _check(not c.value and not c.expr, f"{where}: an incomplete answer states no value and no formula")
        return
    if c.mistake == "wrong_substituted_value":
        _check(bool(c.note), f"{where}: say which value was substituted")
        return
    evidence = []
    if c.value and true is not None:
        evidence.append(not tv.agrees(c.value, true))
    if c.expr:
        evidence.append(_formula_differs(f, c))
    _check(bool(evidence), f"{where}: a wrong case ({c.mistake}) records its final value or formula")
    _check(any(evidence), f"{where}: labelled wrong ({c.mistake}), but neither its value {c.value!r} nor its "
                          f"formula differs from the truth{shown}")


def test_tune_half_is_large_balanced_and_covers_every_example() -> None:
    tune = [c for f in CORPUS if f.half == "tune" for c in f.cases]
    _check(len(tune) >= 170, f"tune/ has {len(tune)} cases; at least 170 expected")
    labels = collections.Counter(c.label for c in tune)
    _check(0.4 <= labels["right"] / len(tune) <= 0.6, f"tune/ is not balanced: {dict(labels)}")
    examples = {p.name for p in tv.EXAMPLES.glob("*.toml")}
    for label in ("right", "wrong"):
        covered = {f.spec for f in CORPUS if f.half == "tune" for c in f.cases if c.label == label}
        _check(covered == examples, f"no {label} case in tune/ for {sorted(examples - covered)}")
    kinds = {c.mistake for c in tune if not c.right}
    _check(kinds == set(MISTAKES), f"no wrong case in tune/ of the kinds {sorted(set(MISTAKES) - kinds)}")


def test_values_are_independent_truths() -> None:
    """The evaluator itself against numbers printed in the seeds and in Mazur's blog (not the engine)."""
    mazur = "seed004_mattmazur.toml"
    assert tv.agrees("0.593269992", tv.numeric_value(mazur, "h1"))
    assert tv.agrees("0.298371109", tv.numeric_value(mazur, "E"))
    assert tv.agrees("0.082167041", tv.numeric_value(mazur, "dE/dw5"))
    assert tv.agrees("0.35891648", tv.numeric_value(mazur, "w5+"))
    assert tv.agrees("0.149780716", tv.numeric_value(mazur, "w1+"))
    assert tv.agrees("0.191", tv.numeric_value("seed002_linear.toml", "out"))
    assert tv.agrees("0.1744", tv.numeric_value("seed002_linear.toml", "w5+"))
    assert tv.agrees("0.56", tv.numeric_value("seed000_in_out.toml", "h1"))
    assert tv.agrees("0.48", tv.numeric_value("seed000_in_out.toml", "o1"))
    # seed 000 numbers its weights by source neuron: In_o2 = w6·h1 + w8·h2
    assert tv.agrees("0.53", tv.numeric_value("seed000_in_out.toml", "o2"))
    # sympy.diff of the composed error and the finite differences agree at the spec's numbers
    for spec, q in ((mazur, "dE/dw1"), (mazur, "delta_h2"), ("seed000_in_out.toml", "dE/dw6"),
                    ("softmax_batch.toml", "delta_h1"), ("softmax_batch.toml", "dE/dy1")):
        with mpmath.workdps(60):
            assert tv.agrees(mpmath.nstr(tv.at_spec_numbers(spec, tv.symbolic_quantity(spec, q)), 40),
                             tv.numeric_value(spec, q)), (spec, q)


# --- the loader's errors -----------------------------------------------------------------------------

GOOD = '''spec = "seed004_mattmazur.toml"
source = "test"
[[case]]
id = "a"
quantity = "dE/dw5"
label = "right"
value = "0.0822"
latex = 'x'
'''


@pytest.mark.parametrize(("change", "message"), [
    (("", 'colour = "red"\n'), "unknown key"),
    (('label = "right"', 'label = "maybe"'), "expected 'right' or 'wrong'"),
    (('label = "right"', 'label = "wrong"\nmistake = "typo"\nnote = "n"'), "expected one of missing_activation"),
    (('label = "right"', 'label = "wrong"\nmistake = "sign_flipped"'), "says why it is wrong"),
    (('label = "right"', 'label = "right"\nmistake = "sign_flipped"'), "a right case has no mistake"),
    (('quantity = "dE/dw5"', 'quantity = "grad w5"'), "is not dE/d<param>"),
    (('value = "0.0822"', 'value = "≈ 0.08"'), "expected a decimal number"),
    (('spec = "seed004_mattmazur.toml"', 'spec = "nope.toml"'), "expected the name of a file in examples/"),
    (("latex = 'x'", "latex = ''"), "expected a non-empty string"),
    (('id = "a"', 'id = "a"\nstep = -1'), "expected an integer"),
])
def test_loader_rejects(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    old, new = change
    text = GOOD + new if not old else GOOD.replace(old, new)
    if not old:  # an unknown key inside the case
        text = GOOD.replace("latex = 'x'", new + "latex = 'x'")
    p = tmp_path / "bad.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        load_file(p)


def test_loader_duplicate_ids(tmp_path: Path) -> None:
    p = tmp_path / "dup.toml"
    p.write_text(GOOD + GOOD.split("\n", 2)[2], encoding="utf-8")
    with pytest.raises(CorpusError, match="duplicate id 'a'"):
        load_file(p)


def test_as_answers_is_the_answers_format() -> None:
    f = next(f for f in CORPUS if f.half == "tune")
    a = f.as_answers()
    assert Path(a["spec"]).is_file()
    assert [x["id"] for x in a["answer"]] == [c.id for c in f.cases]
    assert set(a["answer"][0]) == {"id", "quantity", "step", "latex"}
