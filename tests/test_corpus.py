"""The checker measured on the labelled corpus (tests/corpus): hand derivations written the ways textbooks,
lecture notes, blogs and students write, each labelled by an independent computation (test_corpus_labels.py
verifies every label without the checker). Two halves: `tune` is what the checker was developed against,
`measure` was written apart and held out. The test prints the confusion table of each half and asserts, over
both: no wrong answer accepted, at least 98% of the right answers correct, no right answer `incorrect`
because of notation, and the diagnosis of each rejected wrong answer naming its mistake."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

import pytest

from corpus.load import CorpusFile, load_corpus
from symbackprop import Network
from symbackprop.check.answers import parse_answers
from symbackprop.check.run import AnswerResult, check_answers

#: the diagnoses that name each labelled mistake
NAMES = {
    "missing_activation_derivative": {"missing_activation_derivative"},
    "sign_flipped": {"sign_flipped"},
    "factor_two": {"factor_two"},
    "wrong_weight": {"wrong_weight"},
    "per_weight_delta": {"per_weight_delta"},
    "updated_weights": {"updated_weights"},
    "wrong_input": {"wrong_input", "wrong_substituted_value"},
    "wrong_activation_derivative": {"wrong_activation_derivative"},
    "update_sign": {"update_sign"},
    "missing_learning_rate": {"missing_learning_rate"},
    "arithmetic_slip": {"arithmetic_slip", "wrong_value", "unknown_factor", "follows_wrong_line"},
    "too_few_digits": {"too_few_digits"},
    "wrong_substituted_value": {"wrong_substituted_value", "wrong_input", "wrong_weight"},
    "other_quantity": {"other_quantity"},
    "incomplete": {"incomplete"},
    "wrong_sum": {"missing_path", "wrong_weight"},
}
NOTATION = ("unknown name", "unknown symbol", "cannot tell which activation", "takes one argument",
            "must name a quantity")


@lru_cache(maxsize=1)
def judged() -> tuple[tuple[str, str, str, AnswerResult], ...]:
    """(half, file, label, result) for every case of the corpus."""
    out = []
    for f in load_corpus():
        results = check_answers(Network.load(f.spec_path), parse_answers(f.as_answers(), f.name))
        for case, result in zip(f.cases, results.answers, strict=True):
            out.append((f.half, f.name, case.label, result))
    return tuple(out)


def _cases() -> dict[tuple[str, str], tuple[CorpusFile, str]]:
    return {(f.name, c.id): (f, c.mistake) for f in load_corpus() for c in f.cases}


def table(half: str | None) -> str:
    rows = [(label, r.verdict) for h, _, label, r in judged() if half is None or h == half]
    counts = Counter(rows)
    verdicts = ("correct", "incorrect", "unparseable", "refused")
    lines = [f"{half or 'all'}: {len(rows)} answers", f"{'label':<8}" + "".join(f"{v:>13}" for v in verdicts)]
    for label in ("right", "wrong"):
        lines.append(f"{label:<8}" + "".join(f"{counts[(label, v)]:>13}" for v in verdicts))
    return "\n".join(lines)


def test_the_corpus_is_large_and_balanced() -> None:
    labels = Counter(label for _, _, label, _ in judged())
    assert labels["right"] + labels["wrong"] >= 300
    assert min(labels.values()) >= 0.4 * sum(labels.values())
    specs = {f.spec for f in load_corpus()}
    assert specs >= {"seed000_in_out.toml", "seed001_abstract_phi.toml", "seed002_linear.toml",
                     "seed003_symbolic.toml", "seed004_mattmazur.toml", "softmax_batch.toml"}


def test_confusion_table_no_wrong_answer_accepted_and_right_answers_correct(capsys: pytest.CaptureFixture) -> None:
    with capsys.disabled():
        print("\n" + "\n\n".join(table(h) for h in ("tune", "measure", None)))
    accepted = [(name, r.id) for _, name, label, r in judged() if label == "wrong" and r.verdict == "correct"]
    assert not accepted, accepted
    right = [(name, r) for _, name, label, r in judged() if label == "right"]
    wrong_verdicts = [(name, r.id, r.verdict, _first_message(r)) for name, r in right if r.verdict != "correct"]
    notation = [w for w in wrong_verdicts if w[2] == "incorrect" and any(n in w[3] for n in NOTATION)]
    assert not notation, notation
    assert len(wrong_verdicts) <= 0.02 * len(right), wrong_verdicts


def test_each_rejected_wrong_answer_is_diagnosed_as_its_mistake() -> None:
    cases = _cases()
    missed = defaultdict(list)
    total = 0
    for _, name, label, r in judged():
        if label != "wrong" or r.verdict != "incorrect":
            continue
        total += 1
        mistake = cases[(name, r.id)][1]
        kinds = [d.kind for d in r.diagnosis]
        if not kinds or kinds[0] not in NAMES[mistake]:
            missed[mistake].append((name, r.id, kinds[:1]))
    named = total - sum(len(v) for v in missed.values())
    print(f"diagnoses naming the mistake: {named} of {total}")
    assert named >= 0.9 * total, dict(missed)


def _first_message(r: AnswerResult) -> str:
    if r.message:
        return r.message
    k = r.first_wrong
    if k is not None:
        return r.lines[k].message
    return "; ".join(d.message for d in r.diagnosis)
