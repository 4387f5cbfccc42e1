"""The hand-over format, in one small module both sides import: how a learner's kernel hands an answer
to the grader, and how grading reads it back, with bounds on what it accepts.

    payload(module, qid, answer, refused, checks, learner)   built by the learner's kernel (course.learner)
    read_answers(cell, module)                               used by grading (course.grading.preprocessors)
    learner_keys(cell, module)                               whose data a saved notebook says it used

A test cell's grade id names its question: `test_<qid>` (`test_cell_id`, `question_of`). The module
is light on purpose (no pandas, no data layer): nbgrader's own process imports it.

Everything read here comes from a learner's kernel, so it is hostile until judged: an answer is
bounded in size, nesting depth, number of items, digits of an integer and length of a text, and an
answer over a bound is refused with a plain reason that names the learner's answer.
"""
from __future__ import annotations

import json

from . import messages as msg
from .errors import NotYetRight

ANSWER_MIME = "application/vnd.course.answer+json"
# A check box also carries how many times its question was checked, in the learner's saved notebook.
CHECK_MIME = "application/vnd.course.check+json"
# In a workshop with per-learner data, the setup box and every check box also say whose data the
# kernel had: {"module", "learner": <the learner's key, or null for the workshop's shared data>}.
VARIANT_MIME = "application/vnd.course.variant+json"
# A static copy of a figure, shown where its widget cannot run (feedback pages; course.grading.sanitise).
PLOTLY_MIME = "application/vnd.plotly.v1+json"
# Set to "static" by the kit's grading step (with NBGRADER_EXECUTION): explorers build no widget.
FIGURES_ENV = "COURSE_FIGURES"
FORMAT = 1
TEST_PREFIX = "test_"

MAX_BYTES = 200_000      # one answer as JSON
MAX_DEPTH = 3            # a series is {"index": [...], "values": [...]}: three levels
MAX_ITEMS = 10_000       # list items and dict keys, all levels together
MAX_INT_DIGITS = 30
MAX_TEXT = 300           # characters of one text (a label, a refusal reason is longer: MAX_REASON)
MAX_REASON = 2_000
MAX_CHECK_COUNT = 10 ** 9

# What the grader notices about a hand-over, for the trainer's integrity report.
OTHER_MODULE = "An answer was handed over for another module's question."
TWO_ANSWERS = "Two different answers to '{qid}' were handed over in one cell."

__all__ = ["ANSWER_MIME", "CHECK_MIME", "FIGURES_ENV", "PLOTLY_MIME", "VARIANT_MIME", "NotYetRight", "bounds_problem", "check_counts",
           "learner_keys", "payload", "question_of", "read_answers", "test_cell_id"]


def test_cell_id(qid: str) -> str:
    """The grade id of a question's test cell."""
    return TEST_PREFIX + qid


def question_of(grade_id: str) -> str | None:
    """The question a test cell's grade id names (None when it names none)."""
    named = grade_id.startswith(TEST_PREFIX) and len(grade_id) > len(TEST_PREFIX)
    return grade_id[len(TEST_PREFIX):] if named else None


def bounds_problem(answer) -> str | None:
    """Why a plain answer is too big to take (in plain words), or None when it is within bounds."""
    items, stack = 0, [(answer, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (list, dict)):  # notebooks read back dicts as nbformat's NotebookNode
            if depth >= MAX_DEPTH:
                return msg.TOO_DEEP
            members = list(value.values()) + list(value.keys()) if isinstance(value, dict) else value
            items += len(members)
            if items > MAX_ITEMS:
                return msg.TOO_MANY_ITEMS.format(n=_count_items(answer), limit=MAX_ITEMS)
            stack.extend((v, depth + 1) for v in members)
        elif type(value) is int and value.bit_length() > MAX_INT_DIGITS * 3.33:
            return msg.TOO_MANY_DIGITS.format(limit=MAX_INT_DIGITS)
        elif type(value) is str and len(value) > MAX_TEXT:
            return msg.TEXT_TOO_LONG.format(n=len(value), limit=MAX_TEXT)
        elif type(value) not in (int, float, str, bool, type(None)):
            return msg.NOT_PLAIN
    if len(json.dumps(answer)) > MAX_BYTES:
        return msg.TOO_LARGE.format(limit=MAX_BYTES)
    return None


def _count_items(answer) -> int:
    """How many items a (possibly huge) answer holds at its top levels, for the message."""
    if isinstance(answer, dict):
        return max((len(v) for v in answer.values() if isinstance(v, (list, dict))), default=len(answer))
    return len(answer) if isinstance(answer, list) else 1


def payload(module: str, qid: str, answer, refused: str | None, checks: int, learner: str | None = None) -> dict:
    """What a check hands over while nbgrader runs the notebook (with the key whose data the kernel
    had, None for the shared data); an oversized answer is refused here."""
    if refused is None and answer is not None:
        problem = bounds_problem(answer)
        if problem:
            answer, refused = None, msg.ANSWER_TOO_BIG.format(qid=qid, why=problem)
    return {"format": FORMAT, "module": module, "question": qid, "answer": answer,
            "refused": refused, "checks": int(checks), "learner": learner}


def _key(value) -> str | None:
    """A learner key read back from a notebook: a bounded text, else None."""
    return value if type(value) is str and 0 < len(value) <= MAX_TEXT else None


def _entry(data: dict) -> dict:
    """One payload's answer, refusal and check count, bounded (a hostile kernel can emit anything)."""
    qid = data["question"]
    refused = data.get("refused")
    if refused is not None and (type(refused) is not str or len(refused) > MAX_REASON):
        refused = msg.ANSWER_TOO_BIG.format(qid=qid, why=msg.NOT_PLAIN)
    answer = data.get("answer")
    if refused is None and answer is not None:
        problem = bounds_problem(answer)
        if problem:
            answer, refused = None, msg.ANSWER_TOO_BIG.format(qid=qid, why=problem)
        else:
            answer = json.loads(json.dumps(answer))  # plain dicts and lists again (bounded, so this is cheap)
    checks = data.get("checks")
    checks = checks if type(checks) is int and 0 <= checks <= MAX_CHECK_COUNT else 0
    return {"answer": None if refused else answer, "refused": refused, "checks": checks,
            "learner": _key(data.get("learner"))}


def _payloads(cell, mime: str):
    """The dict payloads of one MIME type among a cell's display outputs."""
    for output in cell.get("outputs", []) or []:
        if output.get("output_type") != "display_data":
            continue
        data = (output.get("data") or {}).get(mime)
        if isinstance(data, dict):
            yield data


def read_answers(cell, module: str) -> tuple[dict[str, dict], list[str]]:
    """The answers a test cell handed over ({qid: {"answer", "refused", "checks"}}) and any problem."""
    answers, problems = {}, []
    for data in _payloads(cell, ANSWER_MIME):
        qid = data.get("question")
        if data.get("module") != module or type(qid) is not str or len(qid) > MAX_TEXT:
            problems.append(OTHER_MODULE)
            continue
        entry = _entry(data)
        if qid in answers and answers[qid] != entry:
            answers[qid] = {"answer": None, "refused": msg.ANSWER_MISMATCH.format(qid=qid),
                            "checks": max(answers[qid]["checks"], entry["checks"]), "learner": entry["learner"]}
            problems.append(TWO_ANSWERS.format(qid=qid))
        else:
            answers[qid] = entry
    return answers, problems


def check_counts(cell, module: str) -> dict[str, int]:
    """How many times each question was checked, as the check boxes of a saved notebook say."""
    counts = {}
    for data in _payloads(cell, CHECK_MIME):
        qid, checks = data.get("question"), data.get("checks")
        if data.get("module") == module and type(qid) is str and type(checks) is int and 0 <= checks <= MAX_CHECK_COUNT:
            counts[qid] = max(counts.get(qid, 0), checks)
    return counts


def learner_keys(cell, module: str | None) -> set[str]:
    """Whose data a saved cell's boxes say the kernel had: learner keys, "" for the shared data
    (`module` None: in any module's boxes)."""
    keys = set()
    for data in _payloads(cell, VARIANT_MIME):
        if module in (None, data.get("module")) and "learner" in data:
            keys.add(_key(data["learner"]) or "")
    return keys
