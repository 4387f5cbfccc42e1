"""Bring one graded submission from its scratch course into the real course: the parent is the only writer.

The worker read the submission's autograde-owned rows before and after nbgrader ran. Only what
autograde changed is written, through nbgrader's Gradebook API: the submission's timestamp, each
notebook's flag and late penalty, each grade's auto score and needs-manual-grade mark, each comment's
auto comment. Manual scores, manual comments and extra credit are never written, so whatever a
trainer typed (before or during the run) stays. The autograded notebooks and integrity reports are
moved over after the gradebook commit.
"""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

from .course_dir import CourseDir
from .worker import Outcome

_NOTEBOOK_FIELDS = ("flagged", "late_submission_penalty")
_GRADE_FIELDS = ("auto_score", "needs_manual_grade")


def _changed(after: dict, before: dict | None, name: str) -> bool:
    return before is None or before.get(name) != after.get(name)


def _add_submission(gb, assignment: str, student: str):
    """nbgrader's add_submission, without SQLAlchemy 2's 'not in session' cascade warnings: nbgrader
    builds the submission's rows before adding them, which SQLAlchemy 2 reports three times per new
    submission (harmless: nbgrader adds and commits them itself), and a trainer's terminal should show
    the progress bar, not those."""
    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=SAWarning, message=r"Object of type <\w+> not in session")
        return gb.add_submission(assignment, student)


def merge_rows(gb, assignment: str, student: str, rows: dict) -> None:
    """Apply what autograde changed in the scratch gradebook to the real one (no commit)."""
    from nbgrader.api import MissingEntry

    after, before = rows["after"], rows["before"]
    if not after["student"]:
        return
    try:
        gb.find_student(student)
    except MissingEntry:
        gb.add_student(student)
    if after["submission"] is None:
        return
    old = before["submission"] if before and before["submission"] else None
    try:
        submission = gb.find_submission(assignment, student)
    except MissingEntry:
        submission, old = _add_submission(gb, assignment, student), None
    new = after["submission"]
    if _changed(new, old, "timestamp"):
        submission.timestamp = new["timestamp"]
    for nb_name, nb_after in new["notebooks"].items():
        nb_before = (old or {}).get("notebooks", {}).get(nb_name)
        notebook = gb.find_submission_notebook(nb_name, assignment, student)
        for name in _NOTEBOOK_FIELDS:
            if _changed(nb_after, nb_before, name):
                setattr(notebook, name, nb_after[name])
        for grade in notebook.grades:
            g_after = nb_after["grades"].get(grade.name)
            g_before = (nb_before or {}).get("grades", {}).get(grade.name)
            if g_after is None:
                continue
            for name in _GRADE_FIELDS:
                if _changed(g_after, g_before, name):
                    setattr(grade, name, g_after[name])
        for comment in notebook.comments:
            c_after = nb_after["comments"].get(comment.name)
            c_before = (nb_before or {}).get("comments", {}).get(comment.name)
            if c_after is not None and _changed(c_after, c_before, "auto_comment"):
                comment.auto_comment = c_after["auto_comment"]


def move_files(course: CourseDir, outcome: Outcome) -> None:
    """Replace the course's autograded folder and integrity reports with the scratch ones."""
    job = outcome.job
    scratch = Path(outcome.scratch)
    graded = Path(outcome.autograded)   # where the worker's scratch course put them
    target = course.autograded(job.student, job.assignment)
    if target.exists():
        _remove(target)
    if graded.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(graded), str(target))
    reports = scratch / "integrity" / job.assignment
    if reports.is_dir():
        dest = course.integrity_dir() / job.assignment
        dest.mkdir(parents=True, exist_ok=True)
        for report in reports.glob(f"{job.student}__*.json"):
            shutil.copyfile(report, dest / report.name)


def _remove(path: Path) -> None:
    """Delete a folder nbgrader made read-only."""
    def unlock(func, p, _):
        Path(p).chmod(0o700)
        func(p)
    shutil.rmtree(path, onerror=unlock)


def merge_outcome(course: CourseDir, outcome: Outcome, gb=None) -> None:
    """Write one outcome into the real course: gradebook first (one commit), then its files.

    `gb`: an open nbgrader Gradebook on the course's gradebook, kept open across a run (else one is opened).
    """
    from nbgrader.api import Gradebook

    if outcome.status == "rejected" or not outcome.rows:
        return
    if gb is None:
        with Gradebook(course.db_url) as own:
            return merge_outcome(course, outcome, own)
    try:
        merge_rows(gb, outcome.job.assignment, outcome.job.student, outcome.rows)
        gb.db.commit()
    except Exception:
        gb.db.rollback()
        raise
    if outcome.scratch:
        move_files(course, outcome)
