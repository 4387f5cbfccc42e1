"""Feedback pages: nbgrader generate_feedback, one HTML page per learner and module, in parallel.

Feedback only reads the gradebook and writes feedback/<learner>/<module>/, so several processes can
make pages at once. Pages are always remade: a hand grade changes them without changing any file.

A page is only written for a grade that can stand: a module whose hand grading is pending (its page
would say "Score: 0.0" for an answer nobody read), whose hand grade is stale, that waits for a
re-grade, failed or was rejected is held back and listed, unless the trainer says --anyway. Flagged
modules get their page, with a note to the trainer.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import wording as say
from .course_dir import CourseDir, GradingOptions
from .pool import run_pool
from .progress import Progress
from .worker import Job, Outcome

TASK = "course.trainer.feedback:feedback_job"


@dataclass(frozen=True)
class FeedbackSetup:
    """What a feedback process needs."""

    course_root: str
    options: GradingOptions


@dataclass
class FeedbackRun:
    """The pages made and the ones that could not be."""

    made: list[Path] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    held: list[str] = field(default_factory=list)       # pages not written, one line each, with why
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{len(self.made)} feedback page(s) made, {len(self.held)} held back, {len(self.failed)} failed "
                 f"in {self.seconds:.0f} s"]
        lines += [f"  {line}" for line in self.held + self.notes]
        lines += [f"  FAILED {o.job.assignment} / {o.job.student}: {o.reason}" for o in self.failed]
        return "\n".join(lines)


def feedback_job(job: Job, setup: FeedbackSetup) -> Outcome:
    """Make one learner's feedback page for one module (runs in a worker process)."""
    from .worker import _course, failure_reason

    start = time.monotonic()
    result = _course(setup).api().generate_feedback(job.assignment, job.student, force=True)
    if result.get("success"):
        return Outcome(job, "done", seconds=time.monotonic() - start)
    log = (result.get("log") or "") + "\n" + (result.get("error") or "")
    return Outcome(job, "failed", failure_reason(log), seconds=time.monotonic() - start)


def release_feedback(course: CourseDir, assignments: list[str] | None = None, students: list[str] | None = None,
                     anyway: bool = False) -> tuple[list[Job], list[tuple[Job, str]]]:
    """nbgrader release_feedback for pages of exchange submissions; (released, not released with why).

    The exchange hands a page back only to the submission it came from (its submission_secret.txt);
    pages of submissions collected from platform files go back through the platform instead. A page
    whose grade is not final (an older page, written before a resubmission or a hand grade) stays here.
    """
    from .worker import failure_reason

    api = course.api()
    released, skipped = [], []
    jobs = graded_pairs(course, assignments or course.assignments(), students)
    held = FeedbackRun()
    final = {(j.assignment, j.student) for j in _pages_that_can_stand(course, jobs, anyway, held)}
    for job in jobs:
        folder = course.feedback(job.student, job.assignment)
        if (job.assignment, job.student) not in final:
            skipped.append((job, "its grade is not final: see course feedback"))
        elif not any(folder.glob("*.html")):
            skipped.append((job, "no feedback page yet: run course feedback first"))
        elif not (folder / "submission_secret.txt").exists():
            skipped.append((job, "not submitted through the exchange: hand the page back through your platform"))
        else:
            result = api.release_feedback(job.assignment, job.student)
            if result.get("success"):
                released.append(job)
            else:
                skipped.append((job, failure_reason((result.get("log") or "") + (result.get("error") or ""))))
    return released, skipped


def graded_pairs(course: CourseDir, assignments: list[str], students: list[str] | None = None) -> list[Job]:
    """Every (module, learner) with an autograded notebook."""
    jobs = []
    for assignment in assignments:
        top = course.autograded("*", assignment).parent.parent
        for folder in sorted(top.glob(f"*/{assignment}")) if top.is_dir() else []:
            student = folder.parent.name
            if folder.is_dir() and (not students or student in students):
                jobs.append(Job(assignment, student, ""))
    return jobs


def _pages_that_can_stand(course: CourseDir, jobs: list[Job], anyway: bool, run: FeedbackRun) -> list[Job]:
    """The jobs whose grade is final (or flagged, with a note); the others are listed in `run.held`."""
    from .states import cohort_states

    if not jobs:
        return jobs
    cohort = cohort_states(course, sorted({j.assignment for j in jobs}))
    kept = []
    for job in jobs:
        state = cohort.of(job.student, job.assignment)
        waiting = [s for s in state.states if s not in (say.GRADED, say.FLAGGED)]
        if waiting and not anyway:
            what = state.what_to_do(cohort.titles.get(job.assignment, {}))
            run.held.append(say.FEEDBACK_HELD.format(module=job.assignment, learner=cohort.shown(job.student),
                                                     state=state.status, what=what))
            if any(course.feedback(job.student, job.assignment).glob("*.html")):
                run.held[-1] += "; " + say.FEEDBACK_OUTDATED
            continue
        if say.FLAGGED in state.states:
            run.notes.append(f"NOTE {job.assignment} / {cohort.shown(job.student)}: {say.FLAGGED_WHAT}")
        kept.append(job)
    return kept


def generate_feedback(course: CourseDir, assignments: list[str] | None = None, students: list[str] | None = None,
                      workers: int | None = None, progress: bool = True, anyway: bool = False) -> FeedbackRun:
    """nbgrader generate_feedback for every graded submission, with `workers` processes."""
    start = time.monotonic()
    run = FeedbackRun()
    jobs = _pages_that_can_stand(course, graded_pairs(course, assignments or course.assignments(), students),
                                 anyway, run)
    bar = Progress(len(jobs), label="feedback", enabled=progress)

    def on_done(outcome: Outcome) -> None:
        job = outcome.job
        if outcome.status == "done":
            run.made += sorted(course.feedback(job.student, job.assignment).glob("*.html"))
        else:
            run.failed.append(outcome)
        bar.update(outcome.status, f"{job.assignment} / {job.student}")

    run_pool(jobs, FeedbackSetup(str(course.root), course.options), max(1, workers or os.cpu_count() or 1),
             course.options.hard_limit(), on_done, course.trainer_dir() / "logs", task=TASK)
    bar.close()
    run.seconds = time.monotonic() - start
    return run
