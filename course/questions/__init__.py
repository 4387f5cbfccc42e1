"""The answer key (trusted side only): each module's questions, declared once, with what they expect.

Learner-side code (course.learner, course.sims, course.data, course.checks, course.answers) never
imports this package: the learner distribution does not even install it. The learner's checks work
from the module's *check file* (course.questions.compile builds it beside the datasets), and the
judge (course.grading.judge) uses these declarations directly, through the same verdict function.

A question declares, once:

    Question(
        id="reporting_share_last_year", variable="reporting_share",
        prompt="Share of the team's hours spent on reporting over the last 52 weeks.",
        kind=Share(decimals=2),                       # type, precision, range, known wrong forms
        expected=reporting_share_last_year,           # computed from the module's data, never typed
        hints=("...", "...", "..."),                  # progressive; the last can point at `example`
        mistakes=(Mistake(answer=share_week_by_week,  # an alternative answer, compared by the kind
                          message="You averaged the weekly shares..."),),
        done="...",                                   # said with "Correct."
        example="the worked example 'Adding up columns' above",   # optional
    )

`prompt` ends with the precision in words, formatted from the kind's own numbers ("Give it to 2
decimals or more."), so the words and the grading tolerance cannot drift apart.

Precision is declared once, on the kind: `decimals=` or `sig=` (significant figures). Defaults:
Number 3 significant figures, Share 2 decimals, Points and Money whole units, Count exact. An answer
within one step of the expectation is right; one rounded a level coarser is told "rounded too much".

Mistakes: declare what a learner computes *differently* (another formula, a filter left out), as the
answer it leads to. The kind already knows the wrong forms of the right answer and says them without
any declaration: a percentage for a share, a share for points, rounded too much, a Series that lost
its labels or has two levels, names not in the data (`universe=`), duplicates, missing values. A
mistake whose answer cannot be computed on some data is skipped there, by the judge and in the check
file alike; a mistake equal to the expectation on some data never shows there (correct comes first).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import pandas as pd

from .. import messages as msg
from ..answers import test_cell_id
from ..checks import Kind, Refused, Verdict, identity, verdict
from ..errors import WrongModule
from ..modules import get_module


class ModuleData:
    """The datasets of one module (one data variant), loaded on first use: what expectations use.

    `fingerprint` identifies the variant's data (see course.data.data_fingerprint): the check file
    records it, so the learner's side finds the seals made for the data it has.
    """

    def __init__(self, loader: Callable[[str], pd.DataFrame], fingerprint: str = ""):
        self._loader = loader
        self._frames: dict[str, pd.DataFrame] = {}
        self.fingerprint = fingerprint

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            self._frames[name] = self._loader(name)
        return self._frames[name].copy()


@dataclass(frozen=True)
class Mistake:
    """A common wrong path, declared as the answer it leads to and what to say when a learner gives it.

    The alternative answer is computed from the data by the key and compared with the question's own
    kind and precision, so a mistake is recognised with exactly the grading tolerance.
    """

    answer: Callable[[ModuleData], Any]
    message: str


@dataclass(frozen=True)
class Question:
    """One auto-graded exercise (see the package docstring for a declaration)."""

    id: str
    variable: str
    prompt: str
    kind: Kind
    expected: Callable[[ModuleData], Any]
    hints: tuple[str, ...]
    mistakes: tuple[Mistake, ...] = ()
    done: str = ""
    example: str = ""   # where the worked example for this exercise is, if there is one

    def __post_init__(self):
        if not self.hints:
            raise ValueError(f"question {self.id!r} needs at least one hint")
        object.__setattr__(self, "prompt", self.kind.state_precision(self.prompt))

    def expected_plain(self, data: ModuleData):
        """The expectation, computed from the data and turned into plain data like an answer."""
        return self.kind.to_plain(self.expected(data))

    def mistake_plain(self, mistake: Mistake, data: ModuleData):
        """One mistake's alternative answer as plain data."""
        return self.kind.to_plain(mistake.answer(data))

    def labels(self, data: ModuleData) -> frozenset | None:
        """The kind's label universe, evaluated on this data (None when the kind declares none)."""
        universe = getattr(self.kind, "universe", None)
        return universe.labels(data.__getitem__) if universe is not None else None

    def _lazy_mistakes(self, data: ModuleData) -> Iterator[tuple[dict, str]]:
        """The mistakes' identity seals, computed only as far as a verdict reads them."""
        for mistake in self.mistakes:
            try:
                yield self.kind.seal(self.mistake_plain(mistake, data), identity), mistake.message
            except Exception:  # noqa: BLE001 - a diagnosis must never break a grade
                continue

    def judge(self, answer_plain, data: ModuleData) -> Verdict:
        """The judge's verdict on a plain answer: the expectation sealed in memory, no hashing."""
        sealed = {"answer": self.kind.seal(self.expected_plain(data), identity),
                  "mistakes": self._lazy_mistakes(data)}
        return verdict(self.kind, answer_plain, sealed, identity, labels=self.labels(data), name=self.variable)

    def verdict(self, answer_plain, data: ModuleData) -> str | None:
        """None when the plain answer is right; else the message the learner reads."""
        result = self.judge(answer_plain, data)
        return None if result.passed else result.message

    def plain_answer(self, value) -> tuple[Any, str | None]:
        """(plain answer, None) or (None, why it cannot be judged), as the learner's check does."""
        if value is None:
            return None, None
        try:
            return self.kind.to_plain(value), None
        except Refused as refused:
            return None, str(refused)

    def says(self, value, data: ModuleData) -> str | None:
        """What the check says to a value as the learner's kernel holds it: None when it is right, else
        the message the learner reads (the refused form first, then the verdict)."""
        plain, refused = self.plain_answer(value)
        return refused if refused else self.verdict(plain, data)

    def public(self) -> dict:
        """What the learner's side may know of this question (no expectation, no mistake answers)."""
        return {"id": self.id, "variable": self.variable, "test": test_cell_id(self.id), "prompt": self.prompt,
                "kind": self.kind.spec(), "hints": list(self.hints), "done": self.done, "example": self.example,
                "mistakes": [m.message for m in self.mistakes]}


@dataclass
class QuestionBank:
    """The questions of one module, by id, in notebook order."""

    module: str
    questions: dict[str, Question] = field(default_factory=dict)

    def add(self, question: Question) -> Question:
        if question.id in self.questions:
            raise ValueError(f"question {question.id!r} declared twice in {self.module}")
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
