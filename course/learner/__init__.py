"""What a learner's notebook talks to: one handle per module that loads data, checks answers and gives hints.

    from course.learner import Module
    m1 = Module("tool_overload")
    stack = m1.load("stack_inventory")
    m1.check("shelfware", shelfware_tools)
    m1.hint("shelfware")

Checks help; they never grade. When nbgrader runs the notebook, a check also hands the answer over to
the grader as plain data (see course.grading), and the grade is decided outside this kernel.
"""
from __future__ import annotations

import html
import os

from .. import data as datasets
from .. import messages as msg
from ..errors import CourseError
from ..modules import get_module
from ..questions import ModuleData, bank_for

ANSWER_MIME = "application/vnd.course.answer+json"


class NotYetRight(Exception):
    """A graded answer that does not match the data; the message says why in plain words."""

    def _render_traceback_(self):
        return [f"\u274c {self}"]


def _show(kind: str, text: str) -> None:
    """Print a coloured one-line box in Jupyter, plain text elsewhere."""
    from IPython.display import display

    colours = {"ok": "#e6f4ea", "no": "#fdecea", "todo": "#f1f3f4", "info": "#e8f0fe"}
    icons = {"ok": "\u2705", "no": "\u274c", "todo": "\u270f\ufe0f", "info": "\U0001f4a1"}
    body = html.escape(text).replace("`", "")
    display({
        "text/plain": f"{icons[kind]} {text}",
        "text/html": (f'<div class="course-msg course-msg-{kind}" '
                      f'style="background:{colours[kind]};padding:6px 10px;border-radius:4px">'
                      f'{icons[kind]} {body}</div>'),
    }, raw=True)


def _grading() -> bool:
    """True while nbgrader executes the notebook (autograde or validate)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


class Module:
    """One module's data, checks and hints, bound to a short name in the notebook (m0, m1...)."""

    def __init__(self, key: str | int, quiet: bool = False):
        from .friendly import install

        install()
        self.info = get_module(key)
        self.bank = bank_for(self.info.slug)
        self.data = ModuleData(datasets.load)
        self._answers: dict[str, tuple] = {}
        self._hints_seen: dict[str, int] = {}
        manifest = datasets.read_manifest()
        if not quiet:
            _show("info", f"Module {self.info.number} - {self.info.title} is ready "
                          f"({manifest['company']}, {manifest['profile']} profile). "
                          f"About {self.info.minutes} minutes.")

    def __repr__(self) -> str:
        return f"<course module {self.info.assignment}: {len(self.bank.questions)} checked exercises>"

    def load(self, name: str):
        """A fresh copy of one of the course's datasets, as a pandas DataFrame."""
        return datasets.load(name)

    def check(self, qid: str, value) -> None:
        """Tell the learner, in plain words, whether `value` answers exercise `qid`."""
        question = self.bank.get(qid)
        plain, refused = question.hand_over(value)
        self._answers[qid] = (plain, refused)
        if _grading():
            self._hand_over(qid, plain, refused)
        if refused:
            _show("no", refused)
            return
        verdict = question.verdict(plain, self.data)
        if verdict is None:
            _show("ok", msg.CORRECT.format(detail=question.done).strip())
        else:
            _show("todo" if plain is None else "no", verdict)

    def hint(self, qid: str) -> None:
        """Show the next hint for exercise `qid` (one more each call)."""
        question = self.bank.get(qid)
        i = self._hints_seen.get(qid, 0)
        if i >= len(question.hints):
            _show("info", msg.NO_MORE_HINTS)
            return
        self._hints_seen[qid] = i + 1
        _show("info", msg.HINT.format(i=i + 1, n=len(question.hints), text=question.hints[i]))

    def judge(self, qid: str) -> None:
        """Grade the last checked answer (what hidden tests call when the source notebook runs here)."""
        question = self.bank.get(qid)
        if qid not in self._answers:
            raise NotYetRight(msg.NO_ANSWER_REACHED.format(qid=qid))
        plain, refused = self._answers[qid]
        if refused:
            raise NotYetRight(msg.NOT_SERIALISABLE.format(why=refused))
        verdict = question.verdict(plain, self.data)
        if verdict is not None:
            raise NotYetRight(verdict)

    def _hand_over(self, qid: str, plain, refused) -> None:
        from IPython.display import display

        payload = {"module": self.info.slug, "question": qid, "answer": plain, "refused": refused}
        display({ANSWER_MIME: payload}, raw=True)

    def progress(self) -> None:
        """List the exercises and which ones are answered correctly so far."""
        for qid, question in self.bank.questions.items():
            plain, refused = self._answers.get(qid, (None, None))
            ok = plain is not None and not refused and question.verdict(plain, self.data) is None
            print(f"{'[x]' if ok else '[ ]'} {qid}: {question.prompt}")


__all__ = ["Module", "NotYetRight", "CourseError", "ANSWER_MIME"]
