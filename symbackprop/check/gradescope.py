"""An autograder's results.json (Gradescope's) pasted into a sheet: each test's "output" is one JSON string holding
what the grader echoed of the student's submission ("[parsed 0.27]\\n--- submission ---\\na1 = … = 0.27\\nANSWER:
0.27"). The submission's lines are the answer; the JSON around them (scores, names, statuses, the grader's own
messages) claims nothing of the student's. The string is decoded by the json module (nothing is evaluated)."""

from __future__ import annotations

import re

from .tokens import json_text

_OUTPUT = re.compile(r'(?m)^[ \t]*"output":[ \t]*(?P<string>"(?:[^"\\\n]|\\.)*")[ \t]*,?[ \t]*$')
_TESTS = re.compile(r'"(?:tests|max_score|status|stdout_visibility)":')
_SUBMISSION = re.compile(r"(?m)^-{2,}[ \t]*(?:submission|student submission|your submission)[ \t]*-{2,}[ \t]*$",
                         re.IGNORECASE)
#: the grader's line over the submission: what it parsed ("[parsed 0.27]")
_GRADER_LINE = re.compile(r"(?m)^[ \t]*\[(?:parsed|graded|ok|error)[^\]\n]*\][ \t]*$", re.IGNORECASE)


def is_results_json(text: str) -> bool:
    """Is the text (a piece of) an autograder's results, with a test's output that echoes a submission?"""
    return '"output"' in text and _TESTS.search(text) is not None and any(
        _SUBMISSION.search(json_text(m["string"])) for m in _OUTPUT.finditer(text))


def results_json(text: str) -> str:
    """The submissions the tests' outputs echo, one after the other."""
    out = []
    for m in _OUTPUT.finditer(text):
        output = json_text(m["string"])
        cut = _SUBMISSION.search(output)
        if cut is None:
            continue  # (the grader's own message: "answers.txt found, 19 answer blocks parsed.")
        out.append(_GRADER_LINE.sub("", output[cut.end():]).strip("\n"))
    return "\n\n".join(out)
