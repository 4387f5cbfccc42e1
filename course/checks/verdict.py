"""The kit's one verdict: the learner's check and the judge both call `verdict`, with different digests.

    verdict(kind, answer_plain, sealed, digest, labels=..., name=...) -> Verdict(passed, message)

`sealed` is {"answer": <seal of the expectation>, "mistakes": [(<seal of an alternative answer>,
"message"), ...]}. On the learner's side the seals come from the module's check file and `digest` is
the salted hash (`seals.keyed`); on the judge's side they are made in memory from the freshly
computed expectation with `seals.identity`. The order is fixed:

1. correct (within the question's precision);
2. a known wrong form of the right answer (a percentage for a share, rounded too much) or a
   missing value;
3. a declared mistake (an alternative answer, compared by the same kind and precision);
4. what is structurally wrong, said without the key (out of range, labels not in the data,
   duplicates, the count of items, the labels);
5. a generic "not quite", which gives no direction.

No message ever contains the expected value: seals do not hold it, and the words are in
course.messages.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from .. import messages as msg
from .kinds import Kind
from .seals import Digest


@dataclass(frozen=True)
class Verdict:
    """Whether an answer passed, and what to tell the learner (empty when it passed)."""

    passed: bool
    message: str = ""


def verdict(kind: Kind, answer, sealed: Mapping, digest: Digest, *, labels: frozenset | None = None,
            name: str = "your answer") -> Verdict:
    """Judge a plain answer against sealed expectations; `labels` is the kind's evaluated universe."""
    if answer is None:
        return Verdict(False, msg.NOT_ANSWERED.format(name=name))
    problem = kind.plain_problem(answer)
    if problem:
        return Verdict(False, problem)
    seal = sealed["answer"]
    if kind.matches(answer, seal, digest):
        return Verdict(True)
    form = kind.wrong_form(answer, seal, digest)
    if form:
        return Verdict(False, form)
    mistakes: Iterable = sealed.get("mistakes", ())
    for mistake_seal, message in mistakes:
        if mistake_seal is not None and kind.matches(answer, mistake_seal, digest):
            return Verdict(False, message)
    return Verdict(False, kind.structure(answer, seal, digest, labels) or kind.not_quite(answer))


def form_problem(kind: Kind, answer, *, labels: frozenset | None = None, name: str = "your answer") -> str | None:
    """What is wrong with an answer that no seal is needed to see (kind, shape, range, names), or None.

    For a learner with their own data but no seals made for it: their check can still say this much.
    """
    if answer is None:
        return msg.NOT_ANSWERED.format(name=name)
    return kind.plain_problem(answer) or kind.form_problem(answer, labels)
