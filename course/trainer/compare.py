"""The yardstick for parallel grading: plain sequential `nbgrader autograde`, and a full gradebook state
to compare the two by (what the benchmark and the tests check)."""
from __future__ import annotations

import time
from pathlib import Path

from .course_dir import CourseDir


def sequential_autograde(course: CourseDir, pairs: list[tuple[str, str]]) -> float:
    """nbgrader autograde, one submission after the other in this process, with the same config; seconds."""
    api = course.api()
    start = time.monotonic()
    for assignment, student in pairs:
        api.autograde(assignment, student, force=True, create=True)
    return time.monotonic() - start


def gradebook_state(db_url: str) -> dict:
    """Every learner's rows a grader or a trainer can change, as plain data (ids and dates excluded)."""
    from nbgrader.api import Gradebook

    state = {}
    with Gradebook(db_url) as gb:
        for student in gb.students:
            state[("student", student.id)] = (student.first_name, student.last_name, student.email)
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                notebooks = {}
                for nb in submission.notebooks:
                    notebooks[nb.name] = {
                        "flagged": bool(nb.flagged), "late_submission_penalty": nb.late_submission_penalty,
                        "grades": {g.name: (g.auto_score, g.manual_score, g.extra_credit, bool(g.needs_manual_grade))
                                   for g in nb.grades},
                        "comments": {c.name: (c.auto_comment, c.manual_comment) for c in nb.comments},
                    }
                state[(assignment.name, submission.student.id)] = {"timestamp": submission.timestamp,
                                                                    "notebooks": notebooks}
    return state


def integrity_state(folder: Path) -> dict:
    """Every integrity report's flags, by file name."""
    from ..grading.integrity import all_reports

    return {name: report["flags"] for name, report in all_reports(folder).items()}


def differences(a: dict, b: dict) -> list[str]:
    """Where two states differ, one line each (empty when identical)."""
    lines = []
    for key in sorted(set(a) | set(b), key=str):
        if a.get(key) != b.get(key):
            lines.append(f"{key}: {a.get(key)!r} != {b.get(key)!r}")
    return lines
