"""The contract every question of every module keeps, computed from the data (no typed numbers):

- its expectation is right on every profile and seed tested, its prompt states the precision the
  grader uses, and its hints are progressive;
- each declared mistake gets its own message, and differs from the expectation on some data;
- the learner's verdict (from the committed check file, salted seals, no key) equals the judge's
  verdict (the key, identity seals) for the same answer: the expectation, the expectation rounded
  to the stated precision, each mistake, a perturbed answer, wrong types and no answer.
"""
from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd
import pytest

from course import answers, checks
from course import learner as learner_side
from course import messages as msg
from course.grading.judge import judge_cell
from course.modules import MODULES
from course.questions import bank_for

from conftest import notebook_data

COMBOS = [("retail", 2024), ("b2b_software", 7), ("bank", 2024), ("telecom", 7)]
QUESTIONS = [(m.slug, qid) for m in MODULES for qid in bank_for(m.slug).questions]


@pytest.fixture(scope="module")
def datasets_by_combo():
    """Each profile and seed's data, as notebooks read it (shared by every module's questions)."""
    return {combo: notebook_data(*combo) for combo in COMBOS}


def _has_missing(plain) -> bool:
    return isinstance(plain, dict) and any(v is None for v in plain["values"])


@pytest.mark.parametrize("module,qid", QUESTIONS)
def test_the_expectation_passes_and_each_mistake_gets_its_own_message(module, qid, datasets_by_combo):
    question = bank_for(module).get(qid)
    differs = defaultdict(bool)
    for combo, data in datasets_by_combo.items():
        assert question.judge(question.expected_plain(data), data).passed, combo
        plains = [question.mistake_plain(m, data) for m in question.mistakes]
        for i, (mistake, plain) in enumerate(zip(question.mistakes, plains)):
            result = question.judge(plain, data)
            if result.passed:            # this mistake gives the right answer on this data
                continue
            differs[i] = True
            if _has_missing(plain):      # no answer with missing values reaches the mistakes
                assert result.message.startswith("Some values are missing"), (combo, i)
                continue
            seal = question.kind.seal(plain, checks.identity)
            same_answer = {m.message for m, p in zip(question.mistakes[:i], plains[:i])
                           if question.kind.matches(p, seal, checks.identity)}
            assert result.message == mistake.message or result.message in same_answer, (combo, i, result)
    dead = [question.mistakes[i].message for i in range(len(question.mistakes)) if not differs[i]]
    assert not dead, f"these mistakes equal the expectation on every data tested: {dead}"


@pytest.mark.parametrize("module,qid", QUESTIONS)
def test_the_prompt_states_the_precision_and_the_hints_progress(module, qid):
    question = bank_for(module).get(qid)
    how = question.kind.how()
    assert question.prompt.endswith(how) and len(question.prompt) > len(how) + 10
    if isinstance(question.kind, (checks.Number, checks.NumberSeries)) and not getattr(question.kind, "whole", False):
        values = question.kind.values if isinstance(question.kind, checks.NumberSeries) else question.kind
        if not values.whole:
            assert any(w in how for w in ("decimal", "significant", "whole number", "nearest")), how
    assert len(question.hints) >= 2 and len(set(question.hints)) == len(question.hints)
    assert question.variable.isidentifier()


# --- the learner's side and the judge agree ---------------------------------------------------------

def _rounded(kind, value):
    """The expectation rounded to the stated precision, as a learner would type it."""
    if isinstance(kind, checks.NumberSeries):
        precision = kind.values.precision()
        return value.map(lambda v: _round(v, precision)) if not precision.exact else value
    if isinstance(kind, checks.Number):
        return _round(value, kind.precision())
    if isinstance(kind, checks.Label):
        return f"  {value.upper()} "
    if isinstance(kind, checks.LabelSet):
        return [v.upper() for v in reversed(list(value))]
    raise AssertionError(kind)


def _round(value, precision):
    if precision.exact:
        return value
    if precision.decimals is not None:
        return round(float(value), precision.decimals)
    digits = precision.sig - 1 - math.floor(math.log10(abs(value))) if value else 0
    return round(float(value), digits)


def _perturbed(kind, value):
    if isinstance(kind, checks.NumberSeries):
        return value * 3 + 11
    if isinstance(kind, checks.Number):
        return float(value) * 3 + 11 if not isinstance(kind, checks.Share) else (float(value) + 0.5) % 1
    if isinstance(kind, checks.Label):
        return value + " (not this one)"
    return list(value)[1:] + ["not a name from the data"]


def _wrong_types(kind):
    if isinstance(kind, checks.NumberSeries):
        return [pd.Series([1.0, 2.0]), [1.0, 2.0], "a name"]
    if isinstance(kind, checks.Number):
        return ["12", [1.0], pd.Series([1.0, 2.0]), True]
    if isinstance(kind, checks.Label):
        return [3, ["a", "b"]]
    return ["one name", 3]


class Shown:
    """What the learner's check box says, captured instead of displayed."""

    def __init__(self, monkeypatch):
        self.boxes = []
        monkeypatch.setattr(learner_side, "_show", lambda box, text, record=None, variant=None: self.boxes.append((box, text)))


@pytest.fixture
def learner(monkeypatch, tmp_path):
    """A learner's module handle per module, on the committed datasets and check files."""
    monkeypatch.delenv("COURSE_DATASETS", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    shown = Shown(monkeypatch)
    handles = {}

    def check(module, qid, value):
        if module not in handles:
            handles[module] = learner_side.Module(module, quiet=True)
        shown.boxes.clear()
        handles[module].check(qid, value)
        (box, text), = shown.boxes
        return box == "ok", text
    return check


@pytest.fixture(scope="module")
def default_data():
    return {m.slug: notebook_data("retail", 2024) for m in MODULES}


@pytest.mark.parametrize("module,qid", QUESTIONS)
def test_the_learners_verdict_equals_the_judges(module, qid, learner, default_data):
    question, data = bank_for(module).get(qid), default_data[module]
    expected = question.expected(data)
    answers_to_try = [expected, _rounded(question.kind, expected), _perturbed(question.kind, expected), None]
    answers_to_try += [m.answer(data) for m in question.mistakes] + _wrong_types(question.kind)
    outcomes = set()
    for value in answers_to_try:
        passed, text = learner(module, qid, value)
        plain, refused = question.plain_answer(value)
        entry = answers.payload(module, qid, plain, refused, 1)
        judged = judge_cell(bank_for(module), data, {"grade_id": answers.test_cell_id(qid), "answer": entry})
        judge_text = msg.CORRECT.format(detail=question.done).strip() if judged["passed"] else judged["message"]
        assert (passed, text) == (judged["passed"], judge_text), value
        outcomes.add(passed)
    assert outcomes == {True, False}
    assert learner(module, qid, expected)[0] and learner(module, qid, _rounded(question.kind, expected))[0]


def test_the_last_hint_names_a_worked_example_only_when_the_question_has_one(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_DATASETS", raising=False)
    monkeypatch.chdir(tmp_path)
    shown = Shown(monkeypatch)
    m1 = learner_side.Module("tool_overload", quiet=True)
    question = bank_for("tool_overload").get("shelfware")
    for _ in range(len(question.hints) + 1):
        m1.hint("shelfware")
    texts = [text for _, text in shown.boxes]
    assert [t.split(": ", 1)[1] for t in texts[:-1]] == list(question.hints)
    named = " " + msg.SEE_EXAMPLE.format(example=question.example) if question.example else ""
    assert texts[-1] == msg.NO_MORE_HINTS + named
