"""What a learner's notebook talks to: one handle per module that loads data, checks answers and gives hints.

    from course.learner import Module
    m1 = Module("tool_overload")
    stack = m1.load("stack_inventory")
    m1.check("shelfware", shelfware_tools)
    m1.hint("shelfware")

In a workshop that gives every learner their own data, `load` returns the learner's own variant
(course.learner.variant; the learner enters their code once with `use_code`, course.learner.identity)
and the checks use the seals made for it.

This side holds no answer key (it never imports course.questions). A check reads the module's check
file, which sits beside the data it reads (checks/<slug>.json): prompts, hints, answer kinds and the
seals of the expected answers and known mistakes for that data. It turns the value into plain data
with the answer kind, runs the kit's one verdict (course.checks.verdict) and shows the result.

While nbgrader runs the notebook (NBGRADER_EXECUTION is set), a check also hands the answer over as
plain data (course.answers) and raises NotYetRight when the verdict fails, so plain nbgrader grades
a submission as the kit does; the kit's own pipeline then judges the handed-over answer again,
outside this kernel, with the answer key.
"""
from __future__ import annotations

import html
import os
import re

from .. import data as datasets
from .. import messages as msg
from ..answers import ANSWER_MIME, CHECK_MIME, VARIANT_MIME, bounds_problem, payload
from ..checks import Refused, Verdict, form_problem, verdict
from ..checks.checkfile import CheckFile, ChecksUnavailable
from ..checks.labels import too_many
from ..errors import CourseError, NotYetRight
from ..modules import get_module
from ..paths import datasets_dir
from .counts import CheckCounts, answer_key
from .identity import use_code
from .variant import LearnerData

BOXES = {  # CSS class suffix: (icon, background). "todo" is neutral grey: unanswered is not wrong.
    "ok": ("\u2705", "#e6f4ea"),
    "no": ("\u274c", "#fdecea"),
    "todo": ("\u23f3", "#f1f3f4"),
    "info": ("\U0001f4a1", "#e8f0fe"),
}


def _html(text: str) -> str:
    """Escaped text with `code` spans shown as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def _show(box: str, text: str, record: dict | None = None, variant: dict | None = None) -> None:
    """A one-line box (CSS classes course-msg course-msg-<box>) in Jupyter, plain text elsewhere;
    `record` (the check count) and `variant` (whose data) travel with it in the saved notebook."""
    from IPython.display import display

    icon, colour = BOXES[box]
    bundle = {"text/plain": f"{icon} {text}",
              "text/html": (f'<div class="course-msg course-msg-{box}" style="background:{colour};'
                            f'padding:6px 10px;border-radius:4px">{icon} {_html(text)}</div>')}
    if record is not None:
        bundle[CHECK_MIME] = record
    if variant is not None:
        bundle[VARIANT_MIME] = variant
    display(bundle, raw=True)


def _grading() -> bool:
    """True while nbgrader executes the notebook (autograde or validate)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


class Module:
    """One module's data, checks and hints, bound to a short name in the notebook (m0, m1...)."""

    def __init__(self, key: str | int, quiet: bool = False):
        from .friendly import install

        install()
        self.info = get_module(key)
        folder = datasets_dir()
        manifest = datasets.read_manifest(folder)
        self._data = LearnerData(self.info, manifest)
        self._variant = self._data.record(self.info.slug)
        try:
            self._checks: CheckFile | None = CheckFile(self.info, folder, self._data.fingerprint,
                                                       personal=self._data.personal)
            self._unavailable = ""
        except ChecksUnavailable as problem:
            self._checks, self._unavailable = None, str(problem)
        self._counts = CheckCounts(persist=not _grading())
        self._passed: dict[str, bool] = {}
        self._hints_seen: dict[str, int] = {}
        self._universes: dict = {}
        if not quiet:
            _show("info", f"Module {self.info.number} - {self.info.title} is ready "
                          f"({manifest['company']}, {manifest['profile']} profile). "
                          f"About {self.info.minutes} minutes. {self._data.whose()}".strip(), variant=self._variant)
        if self._data.todo():
            _show("todo", self._data.todo(), variant=self._variant)
        if self._unavailable:
            _show("info", self._unavailable)
        elif not self._checks.has_seals:
            _show("info", msg.NO_PERSONAL_CHECKS.format(who=self._data.who()))

    def __repr__(self) -> str:
        n = len(self._checks.questions) if self._checks else 0
        return f"<course module {self.info.assignment}: {n} checked exercises>"

    def load(self, name: str):
        """A fresh copy of one of the course's datasets (the learner's own, in a workshop with variants)."""
        return self._data.load(name)

    def check(self, qid: str, value) -> None:
        """Tell the learner, in plain words, whether `value` answers exercise `qid`."""
        if self._checks is None:
            self._unchecked(qid, self._unavailable)
            return
        question = self._checks.question(qid)
        plain, refused = self._plain(qid, value)
        count = self._counts.add(self.info.slug, qid, answer_key(plain, refused))
        result = Verdict(False, refused) if refused else self._verdict(qid, question, plain)
        self._passed[qid] = result.passed
        box = "ok" if result.passed else "todo" if value is None else "no" if result.message else "info"
        text = msg.CORRECT.format(detail=question["done"]).strip() if result.passed else result.message
        if box == "info":   # right form, but no seals to say more (no personal checks for this learner)
            text = msg.FORM_ONLY_OK
        _show(box, text, {"module": self.info.slug, "question": qid, "checks": count}, variant=self._variant)
        if _grading():
            self._hand_over(qid, plain, refused, count)
            if not result.passed:
                raise NotYetRight(result.message or msg.NO_PERSONAL_CHECKS.format(who=self._data.who()))

    def _plain(self, qid: str, value) -> tuple[object, str | None]:
        """(plain answer, None), or (None, why it cannot be judged): kind first, then size bounds."""
        if value is None:
            return None, None
        try:
            plain = self._checks.kind(qid).to_plain(value)
        except Refused as refused:
            return None, str(refused)
        problem = bounds_problem(plain)
        if problem is None:
            return plain, None
        kind = self._checks.kind(qid)
        given = plain["index"] if isinstance(plain, dict) else plain if isinstance(plain, list) else []
        problem = too_many(given, getattr(kind, "items", "names"), self._labels(kind)) or problem
        return None, msg.ANSWER_TOO_BIG.format(qid=qid, why=problem)

    def _verdict(self, qid: str, question: dict, plain) -> Verdict:
        """The one verdict on the seals of this learner's data; without seals, what the form shows."""
        kind = self._checks.kind(qid)
        if not self._checks.has_seals:
            problem = form_problem(kind, plain, labels=self._labels(kind), name=question["variable"])
            return Verdict(False, problem or "")
        return verdict(kind, plain, self._checks.sealed(qid), self._checks.digest(qid),
                       labels=self._labels(kind), name=question["variable"])

    def _labels(self, kind) -> frozenset | None:
        """The kind's label universe on this learner's data, read once per kernel."""
        universe = getattr(kind, "universe", None)
        if universe is None:
            return None
        if universe not in self._universes:
            self._universes[universe] = universe.labels(self.load)
        return self._universes[universe]

    def _unchecked(self, qid: str, reason: str) -> None:
        """No check file: say what to run; while grading, hand over nothing and fail the cell."""
        _show("info", reason)
        if _grading():
            self._hand_over(qid, None, reason, 0)
            raise NotYetRight(reason)

    def _hand_over(self, qid: str, plain, refused: str | None, count: int) -> None:
        from IPython.display import display

        display({ANSWER_MIME: payload(self.info.slug, qid, plain, refused, count, self._data.key)}, raw=True)

    def hint(self, qid: str) -> None:
        """Show the next hint for exercise `qid` (one more each call)."""
        if self._checks is None:
            _show("info", self._unavailable)
            return
        question = self._checks.question(qid)
        hints = question["hints"]
        i = self._hints_seen.get(qid, 0)
        if i >= len(hints):
            example = question.get("example")
            _show("info", msg.NO_MORE_HINTS + (" " + msg.SEE_EXAMPLE.format(example=example) if example else ""))
            return
        self._hints_seen[qid] = i + 1
        _show("info", msg.HINT.format(i=i + 1, n=len(hints), text=hints[i]))

    def progress(self) -> None:
        """List the exercises and which ones were checked correct in this session."""
        if self._checks is None:
            _show("info", self._unavailable)
            return
        for qid, question in self._checks.questions.items():
            print(f"{'[x]' if self._passed.get(qid) else '[ ]'} {qid}: {question['prompt']}")


__all__ = ["Module", "NotYetRight", "CourseError", "use_code"]
