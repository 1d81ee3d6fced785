"""The checker measured on the labelled corpus (tests/corpus): hand derivations written the ways textbooks, lecture
notes, blogs and students write, each labelled by an independent computation (test_corpus_labels.py verifies every label
without the checker). `tune` and `tune2` are what the checker is developed against; `tune3` was the held-out part until
`tune5` (then called measure) was written, apart, by someone who did not read the checker's code nor see its verdicts;
`tune5`, `tune6` (measure2), `tune7` (measure3), `tune8` (measure4), `tune9` (measure5), `tune10` (measure6), `tune11`
(measure7), `tune12` (measure8), `tune13` (measure9), `tune14` (measure10), `tune15` (measure11), `tune16` (measure12),
`tune17` (measure13), `tune18` (measure14), `tune19` (measure15), `tune20` (measure16), `tune21` (measure17), `tune22`
(measure18), `tune23` (measure19), `tune24` (measure20), `tune25` (measure21), `tune26` (measure22), `tune27`
(measure23), `tune28` (measure24), `tune29` (measure25), `tune30` (measure26), `tune31` (measure27), `tune32`
(measure28), `tune33` (measure29), `tune34` (measure30), `tune35` (measure31), `tune36` (measure32), `tune37`
(measure33), `tune38` (measure35), `tune39` (measure36), `tune40` (measure37), `tune41` (measure38), `tune42`
(measure39), `tune43` (measure40), `tune44` (measure41), `tune45` (measure42), `tune46` (measure43), `tune47`
(measure45), `tune48` (measure44), `tune49` (measure47), `tune50` (measure48), `tune51` (measure49), `tune52`
(measure50), `tune53` (measure51) and `tune54` (measure52) were held out the same way until the next was written; the
`measure` parts (now `measure34`, `measure46`, `measure53`) are held out (only their totals are looked at; in measure36,
before it became tune39, one wrong answer accepted was looked at too, to mend the checker, and so was one in measure37,
now tune40, and two in measure38, now tune41, and one in measure39, now tune42, and one in measure40, now tune43, and
one in measure43, now tune46, and two in measure45, now tune47, which was then developed against in the same session
while measure44, measured a second time, stayed held out until the session's end; measure47, now tune49, was developed
against in the session it was measured in, while measure48, written blind in that session too, stayed held out;
measure48, now tune50, was developed against in the next session, while measure49, written blind in it, stayed held out,
and was developed against as tune51 in the session after, while measure50, written blind in that session, stayed held
out (its one wrong answer accepted at that session's start was looked at, to mend the checker) until it was developed
against as tune52 in the next, while measure51, written blind in it, was held out (its one wrong answer accepted at that
session's start was looked at: its label was wrong, and is corrected) until it was developed against as tune53 in the
next, while measure52, written blind in that session, was held out until it was measured at the next session's start and
developed against as tune54 in it, while measure53, written blind in it, is held out). The corpus is graded with
`require_value` (a network with numbers needs the number, as its labels say).
`tune4` was written the same way, in the notations of Ng, Nielsen, Bishop, Goodfellow, Haykin and Chinese textbooks, to
develop against. The test prints the confusion table of each part and asserts, per part, the levels reached so far (a
ratchet: raise them, never lower them — but for the share of named diagnoses, which falls when wrong answers that were
unreadable are read and rejected: the named count itself must not fall). Issue 11's targets — no wrong answer accepted,
≥ 98% of right answers correct, every rejected wrong answer's diagnosis naming its mistake — are not all reached yet;
FLOOR says where each half stands."""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from corpus.load import HALVES, load_corpus
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
    "wrong_activation_derivative": {"wrong_activation_derivative", "activation_for_derivative",
                                    "activation_derivative_wrong"},
    "update_sign": {"update_sign"},
    "missing_learning_rate": {"missing_learning_rate"},
    "arithmetic_slip": {"arithmetic_slip", "wrong_value", "unknown_factor", "follows_wrong_line"},
    "too_few_digits": {"too_few_digits"},
    "wrong_substituted_value": {"wrong_substituted_value", "wrong_input", "wrong_weight"},
    # (∂E/∂w5 headed, w6's formula; δ_h2 written as ∂E/∂out_h2, the error's derivative by the output — another
    # quantity, which is the asked one without σ′: corpus parts label it either way; one sample's loss or gradient
    # where the batch's is asked, "the loss of the first sample alone is reported")
    "other_quantity": {"other_quantity", "wrong_input", "wrong_weight", "missing_activation_derivative", "one_sample"},
    "incomplete": {"incomplete"},
    # (the batch summed, not averaged: twice the gradient with two samples, said so; a sum over a layer's neurons)
    "wrong_sum": {"missing_path", "wrong_weight", "one_sample", "factor_two", "extra_path"},
}
NOTATION = ("unknown name", "unknown symbol", "cannot tell which activation", "takes one argument",
            "must name a quantity")


@cache
def judged(half: str) -> tuple[tuple[str, str, AnswerResult], ...]:
    """(file, label, result) for every case of one part of the corpus (a part at a time: the parts are judged
    side by side when the tests run on several workers)."""
    out = []
    for f in load_corpus(half):
        # the time limit is for hostile input; here a loaded machine must not change a verdict
        results = check_answers(Network.load(f.spec_path), parse_answers(f.as_answers(), f.name), limit=600)
        for case, result in zip(f.cases, results.answers, strict=True):
            out.append((f.name, case.label, result))
    return tuple(out)


def _cases(half: str) -> dict[tuple[str, str], str]:
    return {(f.name, c.id): c.mistake for f in load_corpus(half) for c in f.cases}


def table(half: str) -> str:
    counts = Counter((label, r.verdict) for _, label, r in judged(half))
    verdicts = ("correct", "incorrect", "unparseable", "refused")
    lines = [f"{half}: {sum(counts.values())} answers", f"{'label':<8}" + "".join(f"{v:>13}" for v in verdicts)]
    for label in ("right", "wrong"):
        lines.append(f"{label:<8}" + "".join(f"{counts[(label, v)]:>13}" for v in verdicts))
    return "\n".join(lines)


def test_the_corpus_is_large_and_balanced() -> None:
    labels = Counter(c.label for f in load_corpus() for c in f.cases)  # (the labels, without the checker)
    assert labels["right"] + labels["wrong"] >= 300
    assert min(labels.values()) >= 0.4 * sum(labels.values())
    specs = {f.spec for f in load_corpus()}
    assert specs >= {"seed000_in_out.toml", "seed001_abstract_phi.toml", "seed002_linear.toml",
                     "seed003_symbolic.toml", "seed004_mattmazur.toml", "softmax_batch.toml"}


#: per half: (most wrong answers accepted, least fraction of right answers correct, least fraction of the
#: rejected wrong answers whose diagnosis names the mistake)
FLOOR = {"tune": (0, 1.0, 0.904), "tune2": (0, 1.0, 0.936), "tune3": (0, 1.0, 0.962), "tune4": (0, 1.0, 0.929),
         "tune5": (0, 1.0, 0.907), "tune6": (0, 1.0, 0.924), "tune7": (0, 0.94, 0.843),
         "tune8": (0, 1.0, 0.949), "tune9": (0, 0.98, 0.767), "tune10": (0, 0.8, 0.925),
         "tune11": (0, 0.96, 0.94),
         "tune12": (0, 0.98, 0.925),
         "tune13": (0, 0.94, 0.928),
         "tune14": (0, 0.89, 0.955),
         "tune15": (0, 0.933, 0.897),
         "tune16": (0, 0.96, 0.883),
         "tune17": (0, 0.9, 0.692),
         "tune18": (0, 0.96, 0.828),
         "tune19": (0, 0.98, 0.817),
         "tune20": (0, 0.84, 0.753),
         "tune21": (0, 0.911, 0.835),
         "tune22": (0, 0.851, 0.909),
         "tune23": (0, 0.811, 0.858),
         "tune24": (0, 0.88, 0.831),
         "tune25": (0, 0.94, 0.847),
         # measured blind as measure22 (its accepted wrong answer — 0.01 = ∂E/∂w_2, a number before the asked name
         # restated — found when it became a development part)
         "tune26": (0, 0.86, 0.75),
         # measured blind as measure23: 84/121 right, 1/102 wrong accepted (0.5933, out_h1's value, in out_h2's place:
         # within the rounding its given b_2 = 0.60 was taken to have), 62/68 named
         "tune27": (0, 0.99, 0.969),
         # measured blind as measure24: 70/112 right, 1/110 wrong accepted, 58/78 named (the checker of session 39:
         # 73/112 right, 0/110 accepted, 61/82 named; of session 40, developed against it: 97/112, 0/110, 75/91)
         "tune28": (0, 0.86, 0.847),
         # measured blind as measure25: 60/121 right, 1/103 wrong accepted, 43/60 named (that wrong answer: 0.12,
         # the net input a_2 squared for tanh′, passed as h_2 = 0.119427 rounded, a_2 having been read as h_2 although
         # the sheet's a_1 = w_1 x_1 + w_2 x_2 + b_1 made a the net input); developed against in session 40
         "tune29": (0, 0.76, 0.82),
         # measured blind as measure26 with the checker of session 40 (twice, after each slice): 81/112 right, 0/112
         # wrong accepted, 69/87 named; then developed against (84/112, 0/112, 70/88)
         "tune30": (0, 0.75, 0.797),
         # measured blind as measure27 with the checker of session 40: 72/118 right, 1/111 wrong accepted (w_3 ← w_3 −
         # η ∂E/∂w_3 on a symbolic network after an answer that got ∂E/∂w_3 wrong), 68/81 named; developed against in
         # session 41
         "tune31": (0, 0.881, 0.855),
         # measured blind as measure28 with the checker of session 40: 40/122 right, 0/105 wrong accepted, 31/61
         # named (session 41, first slice: 41/122, 0/105, 31/60); then developed against (95/122, 0/105, 49/76)
         "tune32": (0, 0.77, 0.705),
         # measured blind as measure29 with the checker of session 41: 43/114 right, 1/111 wrong accepted (with the
         # session's first slice; with its last checker that answer was judged unreadable), 33/39 named; developed
         # against in session 42 (113/114, 0/111, 84/109 after)
         "tune33": (0, 0.99, 0.825),
         # measured blind as measure30 with the checker of session 41 (its second slice): 85/129 right, 0/114 wrong
         # accepted, 66/87 named; with the first slice of session 42: 94/129, 0/114, 71/93; developed against in
         # session 42 (115/129, 0/114, 81/94 after)
         # (119/129, 0/114, 89/98 after session 53's reading of Han & Kamber's numbering through the network)
         "tune34": (0, 0.922, 0.908),
         # measured blind as measure31 with the first slice of session 42: 77/124 right, 0/120 wrong accepted,
         # 69/97 named (78/124 with its last checker); developed against in session 43 (110/124, 0/120, 84/120
         # after)
         "tune35": (0, 0.88, 0.805),
         # measured blind as measure32 with the checker of session 42 (its first slice and CI fixes) and with the
         # first slice of session 43: 68/135 right, 0/124 wrong accepted, 55/77 named; developed against in session 43
         # (118/135, 0/124, 87/113 after)
         "tune36": (0, 0.874, 0.796),
         # measured blind as measure33 with the checker of session 43 after each slice: 35/141 and 37/141 right, 0/123
         # wrong accepted, 31/54 named; developed against in session 44 (122/141, 0/123, 88/113 after); 121/141 since
         # session 45: sd-16 had passed through a chain none of whose members was read (a member we cannot read
         # reaches nothing now — measure36's skipped flash card had been accepted so), not through its own line
         "tune37": (0, 0.858, 0.814),
         # measured blind as measure35 with the checker of session 43: 34/141 right, 0/125 wrong accepted, 34/42
         # named; with the last of session 44: 34/141 (35 with one of its slices), 0/125, 36/44; developed against in
         # session 45 (138/141, 0/125, 96/118 after)
         "tune38": (0, 0.971, 0.864),
         # written blind; measured with the checker of session 43 (its second slice): 68/132 right, 0/122 wrong
         # accepted, 46/64 named; with the last of session 44: 72/132, 0/122, 49/61; of session 45: 73/132, 0/122,
         # 50/62; of session 52: 86/132, 0/122, 54/65; of session 53: 86/132, 0/122, 57/66; of session 54: 86/132,
         # 0/122, 57/67 (one more wrong answer read and rejected, its mistake not named: the named count kept)
         "measure34": (0, 0.651, 0.85),
         # written blind as measure36; measured with the last checker of session 44: 60/135 right, 1/130 wrong accepted
         # (qz-18, a flash card's term with its answer skipped: looked at, and the checker mended), 28/56 named; with
         # session 45's first slice 63/135, 1/130, 43/66; with its mended checker 63/135, 0/130, 43/66; with session
         # 44's handling of a disputed δ convention back (its last commit) 63/135, 0/130, 34/66; developed against in
         # session 46 (120/135, 0/130, 79/113 after its first slice; 119 or 120/135, 0/130, 90/114 after its second:
         # mk-16 needs minutes, and on a loaded machine the time limit refuses it)
         "tune39": (0, 0.888, 0.793),
         # measured blind as measure37 with the last checker of session 45: 44/142 right, 1/136 wrong accepted (zig-13,
         # a comment line under a program's output that copies the printed value wrong: looked at, and the checker
         # mended), 31/74 named; with the last of session 46: 48/142, 0/136, 37/76; developed against in session 47
         # (135/142, 0/136, 114/133 after its first slice; 138/142, 0/136, 114/133 after its second)
         "tune40": (0, 0.97, 0.857),
         # measured blind as measure38 with the checker of session 46 (the last, unchanged at session 47's start):
         # 69/140 right, 2/128 wrong accepted (vh-15, vh-17: a VHDL "-- (l) w8+ ~ 0.7" comment under the
         # simulation's right report, the comment set aside and the answer passed on the printout — looked at, and
         # the checker mended), 50/76 named; with the first slice of session 47: 69/140, 0/128, 54/78; developed
         # against in session 47 (131/140, 0/128, 103/121 after)
         "tune41": (0, 0.942, 0.851),
         # measured blind as measure39 with the checker at session 47's start: 56/154 right, 1/135 wrong accepted
         # (gr-19, a gretl "# Ans (o): w5 after round 2 ~ 0.2" comment under the program's right output, set aside and
         # the answer passed on the printout — looked at, and the checker mended; while mending, the per-case verdicts
         # of that one file were printed once), 46/74 named; with session 47's first slice 58/154, 1/135, 49/75; with
         # its second 60/154, 0/135, 50/76; developed against in session 48 (149/154, 0/135, 103/118 after)
         "tune42": (0, 0.961, 0.864),
         # measured blind as measure40 with the checker at session 48's start: 79/142 right, 1/141 wrong accepted
         # (sc-20, a Scala REPL's "// answer (q): dE/dw5 at the new point ≈ -0.1" under the REPL's right value, set
         # aside and the answer passed on the printout — looked at, and the checker mended), 77/98 named; with session
         # 48's first slice 83/142, 0/141, 81/102; developed against in session 48's second slice (111/142, 0/141,
         # 94/119 after)
         "tune43": (0, 0.809, 0.809),
         # measured blind as measure41 with the checker of session 48's first slice: 89/153 right, 0/129 wrong
         # accepted, 70/92 named; with its second slice the same; with its last commit 94/153, 0/129, 70/92;
         # developed against in session 49 (144/153, 0/129, 105/119 after)
         "tune44": (0, 0.934, 0.873),
         # measured blind as measure42 with the checker at session 49's start: 36/156 right, 0/141 wrong accepted,
         # 42/69 named; with its first slice the same; developed against in session 50 (141/156, 0/141, 102/130 after)
         "tune45": (0, 0.897, 0.776),
         # measured blind as measure43 with the checker of session 49's first slice: 87/144 right, 1/140 wrong
         # accepted (ml-01, MATLAB's column display whose first entry was the asked value, the "% ANSWER" comment
         # blanked — looked at, and the checker mended), 69/85 named; with its second slice 91/144, 0/140, 69/85; with
         # session 50's last commit 91/144, 0/140, 70/86
         "tune46": (0, 0.944, 0.831),
         # measured blind as measure45 with the checker of session 51's first slices (5dcca68): 118/156 right, 2/136
         # wrong accepted (ex-05, a chain rule left in partial derivatives, and mt-21, a sheet's δ turned round by a
         # convention quoted from a book — looked at, and the checker mended), 84/102 named; developed against in
         # session 51 (146/156, 0/136, 95/112 after); 150/156, 0/136, 95/112 after session 52
         "tune47": (0, 0.961, 0.848),
         # measured blind as measure44 with the checker of session 50's last commit: 98/156 right, 0/136 wrong
         # accepted, 70/102 named; with that of session 51's start and last commit the same right and accepted counts
         # (71/102 named with the last): session 51's readings, of tune46's and tune47's styles, changed none of its
         # verdicts on right answers; then developed against in session 51 (140/156, 0/136, 108/120 after) and 52
         # (149/156, 0/136, 117/126 after) and 53 (155/156, 0/136, 122/128 after: Buduma's numbering through the
         # network, a label's y, a value's change in words, a sample said on its line)
         "tune48": (0, 0.993, 0.953),
         # measured blind as measure47 with the checker of session 52's start (c79031c) and of its second slice
         # (d316870): 119/149 right, 0/141 wrong accepted, 103/117 named; then developed against in session 52
         # (148/149, 0/141, 127/132 after)
         # (session 54: 148/149, 0/141, 127/133 — a wrong answer unread before now read and rejected, not named)
         "tune49": (0, 0.993, 0.954),
         # written blind; measured with the checker of session 51's fourth slice (1e165d8): 106/149 right, 0/146
         # wrong accepted, 84/96 named; with session 51's last commit the same; with session 52's last 109/149,
         # 0/146, 88/98; with session 53's last 109/149, 0/146, 90/98
         "measure46": (0, 0.731, 0.918),
         # measured blind as measure48 with the checker of session 52's start (c79031c): 140/147 right, 0/143 wrong
         # accepted, 127/139 named; the same with its sixth slice (e723ffe); with its last 140/147, 0/143, 130/139;
         # developed against in session 53 (146/147, 0/143, 137/139 after)
         # (session 54: 146/147, 0/143, 137/140 — a wrong answer unread before now read and rejected, not named)
         "tune50": (0, 0.993, 0.978),
         # measured blind as measure49 with the checker of session 53's start (8e73aef): 140/156 right, 0/148 wrong
         # accepted, 115/135 named; with its last 141/156, 0/148, 117/136; developed against in session 54 (152/156,
         # 0/148, 130/142 after: a Loom transcript's math said in words, a ```text fence, absolute values, …)
         "tune51": (0, 0.974, 0.915),
         # measured blind as measure50 with the checker of session 54's start (79a3b53): 125/166 right, 1/148 wrong
         # accepted (yq-w5-2, a second iteration's Out_h1 copied from the first pass, 0.25% off — looked at, and the
         # checker mended), 98/110 named; with session 54's last commit 125/166, 0/148, 100/112; developed against in
         # session 55 (154/166, 0/148, 123/133 after: a thread's post numbers at a post's end, a sentence's full stop
         # before a word and a statement, Scrapbox's [$ …], Zotero's cited highlights, RemNote's $$…$$ cards, a value
         # left blank after a derivative)
         "tune52": (0, 0.927, 0.924),
         # measured blind as measure51 with the checker of session 55's start (0018aee): 132/167 right, 1/143 wrong
         # accepted (v2-out-r2: looked at; the seed-002 lecture's own 2-decimal weights, from which the number follows
         # exactly — a right answer, relabelled: 133/168, 0/142), 106/128 named
         # (developed against in session 56: 165/168, 0/142, 115/129 after: an SMath worksheet's regions, Photomath's
         # steps, a crib sheet's § marks and cells, a KASKUS thread's quotes and w6_baru, a post's "ETA (03:10):")
         "tune53": (0, 0.982, 0.891),
         # measured blind as measure52 with the checker of session 55's last commit (af0f660): 146/166 right, 0/150
         # wrong accepted, 101/110 named; the same with session 56's first slice (tune53's readings); developed
         # against in session 56 (160/166, 0/150, 122/133 after: Excalidraw's elements, a Trello card, a FigJam
         # stamp, Notability's rounded δ, a TikTok's overlays, a mail's signature, …; tr-dh1 was correct at the start
         # and is not now: "Δh1 = Δ * w5" after the student's own Δ, once the card's earlier lines are read, is Δ·h1)
         "tune54": (0, 0.963, 0.917),
         # written blind; measured with the checker of session 56's start (af0f660) and of its last commit: 107/183
         # right, 0/142 wrong accepted, 83/100 named
         "measure53": (0, 0.584, 0.83)}


def test_every_part_has_its_levels() -> None:
    assert set(FLOOR) == set(HALVES)


@pytest.mark.parametrize("half", list(FLOOR))
def test_confusion_table_and_the_levels_reached(half: str, capsys: pytest.CaptureFixture) -> None:
    """Per part: the levels of FLOOR; no right answer incorrect because of notation (a name or a construct the
    checker cannot read makes an answer unparseable, never incorrect); every diagnosis in the catalogue."""
    from symbackprop.check.catalogue import PRIORITY
    with capsys.disabled():
        print("\n" + table(half))
    accepted_max, right_min, named_min = FLOOR[half]
    rows = judged(half)
    accepted = [(name, r.id) for name, label, r in rows if label == "wrong" and r.verdict == "correct"]
    assert len(accepted) <= accepted_max, (half, accepted if not half.startswith("measure") else len(accepted))
    right = [r for _, label, r in rows if label == "right"]
    correct = sum(r.verdict == "correct" for r in right)
    assert correct >= right_min * len(right), (half, correct, len(right))
    cases = _cases(half)
    rejected = [(name, r) for name, label, r in rows if label == "wrong" and r.verdict == "incorrect"]
    named = sum(bool(r.diagnosis) and r.diagnosis[0].kind in NAMES[cases[(name, r.id)]] for name, r in rejected)
    n_rejected = len(rejected)  # (a count: a held-out part's cases are not shown)
    assert named >= named_min * n_rejected, (half, named, n_rejected)
    notation = [(name, r.id, _first_message(r)) for name, label, r in rows
                if label == "right" and r.verdict == "incorrect" and any(n in _first_message(r) for n in NOTATION)]
    assert not notation, notation if not half.startswith("measure") else len(notation)
    kinds = {d.kind for *_, r in rows for d in r.diagnosis}
    assert kinds <= set(PRIORITY), kinds - set(PRIORITY)


def _first_message(r: AnswerResult) -> str:
    if r.message:
        return r.message
    k = r.first_wrong
    if k is not None:
        return r.lines[k].message
    return "; ".join(d.message for d in r.diagnosis)
