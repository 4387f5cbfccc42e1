"""Question banks: each module declares its questions once, and both the learner's check and the
grader use the same declaration.

A question names what the learner computes, how the expected value is computed *from the module's
data*, its answer kind (which fixes the type, shape and comparison), its hints in order and the
common mistakes it recognises.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from .. import messages as msg
from ..errors import WrongModule
from ..modules import get_module
from .kinds import Kind, Refused


class ModuleData:
    """The datasets of one module, loaded on first use; what expectations are computed from."""

    def __init__(self, loader: Callable[[str], pd.DataFrame]):
        self._loader = loader
        self._frames: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            self._frames[name] = self._loader(name)
        return self._frames[name].copy()


@dataclass(frozen=True)
class Mistake:
    """A common wrong path: if `test(answer_plain, data)` is true, the learner reads `message`."""

    test: Callable[[Any, ModuleData], bool]
    message: str


@dataclass(frozen=True)
class Question:
    """One auto-graded exercise."""

    id: str
    variable: str
    prompt: str
    kind: Kind
    expected: Callable[[ModuleData], Any]
    hints: tuple[str, ...]
    mistakes: tuple[Mistake, ...] = ()
    done: str = ""

    def expected_plain(self, data: ModuleData):
        """The expectation, computed from the data and turned into plain data like an answer."""
        return self.kind.to_plain(self.expected(data))

    def verdict(self, answer_plain, data: ModuleData) -> str | None:
        """None if the (plain) answer is right; else the most helpful message we have."""
        if answer_plain is None:
            return msg.NOT_ANSWERED.format(name=self.variable)
        problem = self.kind.compare(answer_plain, self.expected_plain(data))
        if problem is None:
            return None
        for mistake in self.mistakes:
            try:
                if mistake.test(answer_plain, data):
                    return mistake.message
            except Exception:  # a diagnosis must never break a check
                continue
        return problem

    def hand_over(self, value) -> tuple[Any, str | None]:
        """(plain answer, None) or (None, reason it cannot be handed over)."""
        if value is None:
            return None, None
        try:
            return self.kind.to_plain(value), None
        except Refused as refused:
            return None, str(refused)


@dataclass
class QuestionBank:
    """The questions of one module, by id, in notebook order."""

    module: str
    questions: dict[str, Question] = field(default_factory=dict)

    def add(self, question: Question) -> Question:
        self.questions[question.id] = question
        return question

    def get(self, qid: str) -> Question:
        try:
            return self.questions[qid]
        except KeyError:
            known = ", ".join(self.questions) or "(none)"
            raise WrongModule(msg.UNKNOWN_QUESTION.format(qid=qid, module=self.module, known=known)) from None


def bank_for(module: str | int) -> QuestionBank:
    """The question bank of a module, imported from course.questions.<slug>."""
    info = get_module(module)
    return importlib.import_module(f"{__name__}.{info.slug}").BANK
