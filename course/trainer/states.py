"""Where each learner's module stands, in words a trainer signs by: one state per learner and module.

- **not released**: the module has not been handed out (see releases.py); it counts in no total;
- **missing**: released, and nothing came from this learner;
- **rejected**: what came could not be graded (an empty or damaged file, another module's notebook, a
  PDF...), with the reason and what to ask the learner for;
- **not graded yet**: a new or changed submission waits for `course grade`;
- **grading failed**: the grader could not finish (the reason is in the grading report);
- **hand grade stale**: the learner resubmitted and the autograde or the answer of a cell you graded by
  hand changed since (see handgrades.py);
- **hand grading pending**: a written answer (or a cell nbgrader could not score) waits for you;
- **flagged**: the integrity checks flagged the notebook;
- **graded**: nothing left to do; the grade can be signed.

A graded submission can be stale, pending and flagged at once: `status` lists every one, `state` is
the first. Only **graded** is final: exports to a learning platform leave the others blank.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..grading.integrity import read_report
from . import wording as say
from .course_dir import CourseDir
from .handgrades import HandGrades
from .history import History
from .ledger import Ledger, folder_checksum
from .releases import released_modules
from .titles import question_titles, title_of


@dataclass
class ModuleState:
    """One learner's module: its state, why, and what the trainer can do about it."""

    learner: str
    assignment: str
    states: list[str]
    reason: str = ""
    pending: list[str] = field(default_factory=list)          # cells still to grade by hand
    stale: dict[str, str] = field(default_factory=dict)      # cell -> what changed since the hand grade
    flags: list[str] = field(default_factory=list)
    seconds_late: float = 0.0

    @property
    def state(self) -> str:
        return self.states[0]

    @property
    def status(self) -> str:
        return "; ".join(self.states)

    @property
    def final(self) -> bool:
        return self.states == [say.GRADED]

    def what_to_do(self, titles: dict[str, str]) -> str:
        """The next step for the trainer, naming questions by their titles."""
        steps = []
        for state in self.states:
            if state == say.STALE:
                questions = ", ".join(f'"{title_of(titles, c)}" ({why})' for c, why in self.stale.items())
                steps.append(say.STALE_WHAT.format(questions=questions, module=self.assignment, learner=self.learner))
            elif state == say.PENDING:
                steps.append(say.PENDING_WHAT.format(questions=", ".join(f'"{title_of(titles, c)}"' for c in self.pending)))
            elif state == say.FLAGGED:
                steps.append(say.FLAGGED_WHAT + ": " + "; ".join(self.flags))
            elif state == say.REJECTED:
                asked = "ask the learner" in self.reason.lower()
                steps.append(self.reason if asked else f"{self.reason}; {say.ask_for(self.reason, self.assignment)}")
            elif state == say.WAITING:
                steps.append(say.WAITING_WHAT.format(module=self.assignment))
            elif state == say.FAILED:
                steps.append(f"{self.reason}: " + say.FAILED_WHAT.format(module=self.assignment))
        return "; ".join(steps)


@dataclass
class Cohort:
    """Every learner's state in every module, and what it was computed from."""

    states: dict[tuple[str, str], ModuleState]
    names: dict[str, str]                        # learner id -> "First Last" ('' when unknown)
    released: dict[str, str]                     # released module -> why
    titles: dict[str, dict[str, str]]            # module -> grade id -> title
    assignments: list[str]
    problems: list[dict] = field(default_factory=list)   # files collect could not take, of no known module

    def shown(self, learner: str) -> str:
        """'Ann Lee (1001)', or the id alone when the name is unknown."""
        name = self.names.get(learner, "")
        return f"{name} ({learner})" if name else learner

    def of(self, learner: str, assignment: str) -> ModuleState:
        return self.states[(learner, assignment)]

    def with_state(self, state: str) -> list[ModuleState]:
        return [s for s in self.states.values() if state in s.states]

    def counts(self, assignment: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for s in self.states.values():
            if s.assignment == assignment:
                counts[s.state] = counts.get(s.state, 0) + 1
        return counts


def _graded_state(course: CourseDir, submission, stale: dict[str, str]) -> ModuleState:
    """The state of a submission the gradebook holds: pending, stale and flagged cells, lateness."""
    learner, assignment = submission.student.id, submission.assignment.name
    pending, flags, flagged = [], [], False
    for nb in submission.notebooks:
        flagged = flagged or bool(nb.flagged)
        for grade in nb.grades:
            if grade.manual_score is None and (grade.auto_score is None or grade.needs_manual_grade):
                pending.append(grade.name)
        flags += read_report(course.integrity_dir(), assignment, learner, nb.name).get("flags", [])
    if flagged and not flags:
        flags = ["flagged in the gradebook"]
    states = ([say.STALE] if stale else []) + ([say.PENDING] if pending else []) + ([say.FLAGGED] if flags else [])
    return ModuleState(learner, assignment, states or [say.GRADED], "", pending, stale, flags,
                       float(submission.total_seconds_late or 0))


def cohort_states(course: CourseDir, assignments: list[str] | None = None) -> Cohort:
    """Every learner's state in each module (learners: the gradebook's, and anyone who handed anything in)."""
    from nbgrader.api import Gradebook

    from .latepenalties import refresh_late_penalties

    assignments = assignments or course.assignments()
    refresh_late_penalties(course, assignments)   # a hand grade typed since autograde changes a late penalty
    ledger, history, hand = Ledger.load(course), History.load(course), HandGrades.load(course)
    marks = hand.observe(course, assignments)
    stale = hand.stale(marks)
    states: dict[tuple[str, str], ModuleState] = {}
    with Gradebook(course.db_url) as gb:
        known = {a.name: a for a in gb.assignments}
        names = {s.id: " ".join(filter(None, [s.first_name, s.last_name])) for s in gb.students}
        graded = {(sub.student.id, a): sub for a in assignments if a in known for sub in known[a].submissions}
        handed_in = {a for (_, a) in graded}
        learners = set(names) | {s for a in assignments for s in course.students_with_submissions(a)}
        learners |= {s for a in assignments for s in ledger.entries.get(a, {})}
        learners |= {p["student"] for p in history.data["problems"].values()}
        released = released_modules(course, assignments, handed_in)
        for learner in sorted(learners):
            for a in assignments:
                states[(learner, a)] = _state(course, ledger, history, graded.get((learner, a)), learner, a,
                                              released, stale.get((a, learner), {}))
    titles = {a: question_titles(course, a) for a in assignments}
    problems = [p for p in history.data["problems"].values() if not p.get("assignment")]
    return Cohort(states, names, released, titles, assignments, problems)


def _state(course: CourseDir, ledger: Ledger, history: History, submission, learner: str, assignment: str,
           released: dict[str, str], stale: dict[str, str]) -> ModuleState:
    """One learner's module (see the module docstring for the order the states are decided in)."""
    if assignment not in released:
        return ModuleState(learner, assignment, [say.NOT_RELEASED])
    folder = course.submitted(learner, assignment)
    entry = ledger.entry(assignment, learner)
    if not folder.is_dir():
        if submission is not None:
            return _graded_state(course, submission, stale)
        problem = history.data["problems"].get(f"{assignment}|{learner}")
        if problem:
            return ModuleState(learner, assignment, [say.REJECTED], f"{problem['reason']} ({problem['file']})")
        return ModuleState(learner, assignment, [say.MISSING])
    if entry is not None and entry.get("checksum") != folder_checksum(folder):
        return ModuleState(learner, assignment, [say.WAITING])
    if entry is not None and entry.get("status") == "rejected":
        return ModuleState(learner, assignment, [say.REJECTED], entry.get("reason", ""))
    if entry is not None and entry.get("status") == "failed":
        return ModuleState(learner, assignment, [say.FAILED], entry.get("reason", ""))
    if submission is None:
        return ModuleState(learner, assignment, [say.WAITING])
    return _graded_state(course, submission, stale)


def status_lines(cohort: Cohort, assignments: list[str] | None = None) -> list[str]:
    """The trainer's summary: counts per module, then every learner whose module is not final."""
    from .releases import released_line

    assignments = assignments or cohort.assignments
    lines = [released_line({a: w for a, w in cohort.released.items() if a in assignments}, assignments)]
    order = [say.GRADED, say.PENDING, say.STALE, say.FLAGGED, say.REJECTED, say.FAILED, say.WAITING, say.MISSING]
    for a in assignments:
        if a not in cohort.released:
            continue
        counts = cohort.counts(a)
        lines.append(f"{a}: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in order if counts.get(s) or s == say.GRADED))
    for s in sorted(cohort.states.values(), key=lambda s: (s.assignment, s.learner)):
        if s.assignment in assignments and not s.final and s.state not in (say.NOT_RELEASED, say.MISSING):
            lines.append(f"  {s.status.upper()}  {s.assignment} / {cohort.shown(s.learner)}: "
                         f"{s.what_to_do(cohort.titles.get(s.assignment, {}))}")
    missing = [s for s in cohort.states.values() if s.state == say.MISSING and s.assignment in assignments]
    for a in assignments:
        who = [cohort.shown(s.learner) for s in missing if s.assignment == a]
        if who:
            lines.append(f"  MISSING  {a}: {', '.join(who)}")
    return lines
