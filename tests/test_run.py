r"""symbackprop.check.run: checking one answers file — every answer parsed (with limits) and judged at its step,
one answer never stopping the others, the student's names carried from answer to answer, a wall-clock limit
per answer.

Verdicts are expected for independent reasons: ∂E/∂w5 = δ_o1·out_h1 is the chain rule for seed 004 and 0.0822 its
value to 4 places (Mazur: 0.082167041); after one step the error is Mazur's 0.291027924, checked here against a
gradient step computed with sympy.diff and the loss evaluated in mpmath (tests/truth.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sympy as sp

import truth as T
from conftest import SEED004
from symbackprop import Network
from symbackprop.check import judge as judge_module
from symbackprop.check.answers import Answer, load_answers, parse_answers
from symbackprop.check.catalogue import say
from symbackprop.check.run import AnswerResult, Checker, FileResult, TimeLimit, check_answers, time_limit
from symbackprop.errors import SpecError

NET = Network.load(SEED004)
RIGHT_W5 = r"\frac{\partial E}{\partial w_5} = \delta_{o1}\, out_{h1} = 0.0822"
WRONG_W5 = r"\frac{\partial E}{\partial w_5} = \delta_{o1}\, out_{h2} = 0.0827"  # out_h2: the input of w6, not w5


def run(*answers: tuple[str, str, str] | tuple[str, str, str, int], lang: str = "en") -> dict[str, AnswerResult]:
    data = {"answer": [{"id": a[0], "quantity": a[1], "latex": a[2], **({"step": a[3]} if len(a) > 3 else {})}
                       for a in answers]}
    result = check_answers(NET, parse_answers(data, "s.toml"), lang=lang)
    assert [a.id for a in result.answers] == [a[0] for a in answers]  # the file's order
    return {a.id: a for a in result.answers}


def test_check_answers_over_a_file(tmp_path: Path) -> None:
    path = tmp_path / "alice.toml"
    path.write_text("[[answer]]\nid = 'w5'\nquantity = 'dE/dw5'\nlatex = '''\n" + RIGHT_W5 + "\n'''\n"
                    "[[answer]]\nid = 'w5 again'\nquantity = 'dE/dw5'\nlatex = '''\n" + WRONG_W5 + "\n'''\n",
                    encoding="utf-8")
    result = check_answers(NET, load_answers(path))
    assert isinstance(result, FileResult) and result.source == str(path)
    right, wrong = result.answers
    assert (right.id, right.quantity, right.verdict, right.first_wrong) == ("w5", "dE/dw5", "correct", None)
    assert right.latex.strip() == RIGHT_W5 and right.diagnosis == () and right.message == ""
    assert wrong.verdict == "incorrect" and wrong.first_wrong == 1 and wrong.diagnosis[0].kind == "wrong_input"
    assert not result.all_correct
    assert check_answers(NET, parse_answers({"answer": [{"id": "a", "quantity": "dE/dw5", "latex": RIGHT_W5}]},
                                            "s")).all_correct


def test_one_answer_never_stops_the_others() -> None:
    r = run(("bad", "dE/dw5", r"\frac{1}{"), ("huge", "dE/dw5", "x" * 20_001),
            ("deep", "E", "(" * 500 + "1" + ")" * 500), ("ok", "dE/dw5", RIGHT_W5))
    assert r["bad"].verdict == "unparseable" and "line 1, column" in r["bad"].message
    assert r["huge"].verdict == "refused" and "longer than 20000 characters" in r["huge"].message
    assert r["deep"].verdict == "refused"
    assert r["ok"].verdict == "correct"
    for a in (r["bad"], r["huge"], r["deep"]):
        assert a.lines == () and a.diagnosis == () and a.first_wrong is None


def test_an_unknown_quantity_is_the_files_error_naming_the_answer() -> None:
    data = {"answer": [{"id": "a", "quantity": "dE/dw5", "latex": "1"}, {"id": "b", "quantity": "dE/dw99",
                                                                            "latex": "1"}]}
    with pytest.raises(SpecError) as info:
        check_answers(NET, parse_answers(data, "s.toml"))
    assert info.value.key == "answer[1].quantity" and info.value.source == "s.toml" and "w99" in info.value.message
    with pytest.raises(SpecError):  # the Checker alone, too: never a verdict for a question that does not exist
        Checker(NET).answer(Answer("q", "delta_h9", "1"))


def test_an_answer_is_judged_at_its_step() -> None:
    # one gradient step of every parameter that is not frozen (seed 004 freezes b1, b2), by sympy.diff
    new = {p: NET.values[p] - NET.values[NET.learning_rate] * T.symbolic_gradient(NET, p).xreplace(
        dict(NET.samples[0])).xreplace(dict(NET.values)) for p in NET.params if p.name not in ("b1", "b2")}
    after = T.batch_loss(NET, new)
    # Mazur: "down to 0.291027924" (from his rounded intermediates: it agrees to 6 digits)
    assert T.agree(after, sp.Rational("0.291027924"), 6)
    before = T.batch_loss(NET)
    r = run(("after", "E", r"E_{total} = 0.2910", 1), ("before", "E", r"E_{total} = 0.2984", 1),
            ("first", "E", r"E_{total} = 0.2984", 0))
    assert f"{float(before):.4f}" == "0.2984" and f"{float(after):.4f}" == "0.2910"
    assert r["after"].verdict == "correct" and r["before"].verdict == "incorrect" and r["first"].verdict == "correct"


def test_the_students_names_carry_over_to_later_answers() -> None:
    g = r"g = (out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})"  # δ_o1 = ∂E/∂net_o1, by hand
    use = r"\frac{\partial E}{\partial w_5} = g\, out_{h1}"
    r = run(("def", "delta_o1", g), ("broken", "E", r"\frac{1}{"), ("use", "dE/dw5", use))
    assert r["def"].verdict == "correct" and r["use"].verdict == "correct"
    # the twin: g defined as ∂E/∂out_o1 only, then g·out_h1 misses o1(1 − o1)
    r = run(("def", "dE/do1", r"g = out_{o1} - target_{o1}"), ("use", "dE/dw5", use))
    assert r["def"].verdict == "correct" and r["use"].verdict == "incorrect"
    # a name never defined is not guessed
    assert run(("use", "dE/dw5", use))["use"].verdict == "unparseable"


def test_a_later_answer_may_mean_a_names_first_right_definition() -> None:
    """g defined right for δ_o1, redefined wrongly in the next answer (judged wrong there): a later answer that
    uses g is judged with the first definition when that makes it right (run.Checker._with_earlier)."""
    r = run(("a", "delta_o1", r"g = (out_{o1} - target_{o1})\, out_{o1}(1 - out_{o1})"),
            ("b", "delta_o1", r"g = out_{o1} - target_{o1}"),
            ("c", "dE/dw5", r"\frac{\partial E}{\partial w_5} = g\, out_{h1}"))
    assert [r[k].verdict for k in "abc"] == ["correct", "incorrect", "correct"]


def test_a_chain_we_cannot_read_beside_one_we_can_is_unchecked_and_the_rest_decides() -> None:
    nabla = r"\nabla_{\boldsymbol{W}^{(2)}} J = \boldsymbol{g} \, \boldsymbol{h}^{\top}, \qquad "
    r = run(("ok", "dE/dw5", nabla + RIGHT_W5), ("bad", "dE/dw5", nabla + WRONG_W5),
            ("none", "dE/dw5", nabla + r"\delta_{o1} = 0.1385"))
    assert r["ok"].verdict == "correct" and {line.verdict for line in r["ok"].lines} == {"unchecked", "correct"}
    assert r["bad"].verdict == "incorrect"
    # what we can read does not reach ∂E/∂w5: our limit, never the student's mistake
    assert r["none"].verdict == "unparseable"


def test_messages_in_the_language_asked() -> None:
    r = run(("w", "dE/dw5", WRONG_W5), ("h", "dE/dw5", "x" * 20_001), lang="zh")
    assert r["w"].lines[0].message == say("the_quantity", "zh", name="dE/dw5")
    assert r["w"].diagnosis[0].message.startswith("输入因子错了")


def test_an_unparseable_answers_message_is_in_the_language_asked() -> None:
    r = run(("bad", "dE/dw5", r"\frac{1}{"), lang="zh")
    assert r["bad"].verdict == "unparseable" and not r["bad"].message.isascii()


# -- limits: time, and whatever goes wrong inside ----------------------------------------------------------

def test_time_limit_interrupts_the_main_thread_and_not_others() -> None:
    with pytest.raises(TimeLimit), time_limit(0.05):
        while True:
            pass
    done = []

    def elsewhere() -> None:
        with time_limit(0.001):  # no signal outside the main thread: no limit, the work finishes
            done.append(sum(range(200_000)))

    t = threading.Thread(target=elsewhere)
    t.start()
    t.join()
    assert done == [sum(range(200_000))]


def test_an_answer_over_its_time_limit_is_refused_and_the_next_is_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = judge_module.Judge.answer

    def slow(self: judge_module.Judge, parsed, target, text, *args, **kw):
        if "SLOW" in text:
            while True:
                pass
        return answer(self, parsed, target, text, *args, **kw)

    monkeypatch.setattr(judge_module.Judge, "answer", slow)
    checker = Checker(NET, limit=0.3)
    slowed = checker.answer(Answer("s", "dE/dw5", RIGHT_W5 + r" \text{SLOW}"))
    assert slowed.verdict == "refused" and slowed.message.startswith("judging took longer than 0.3 s")
    assert checker.answer(Answer("ok", "dE/dw5", RIGHT_W5)).verdict == "correct"


@pytest.mark.parametrize(("error", "words"), [
    (ValueError("boom"), "cannot judge this answer (boom)"), (ZeroDivisionError("x"), "cannot judge this answer"),
    (RecursionError(), "the expression is too large to judge"), (MemoryError(), "too large"),
])
def test_a_failure_inside_the_judge_is_a_refusal_not_a_crash(monkeypatch: pytest.MonkeyPatch, error: Exception,
                                                             words: str) -> None:
    def fail(*args: object, **kw: object) -> None:
        raise error

    monkeypatch.setattr(judge_module.Judge, "answer", fail)
    r = Checker(NET).answer(Answer("q", "dE/dw5", RIGHT_W5))
    assert r.verdict == "refused" and words in r.message and r.latex == RIGHT_W5
