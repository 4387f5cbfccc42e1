"""nbgrader's own long CSV, as `nbgrader export` writes it (its CsvExportPlugin), released modules only.

One row per learner and module: assignment, duedate, timestamp, student_id, last_name, first_name,
email, raw_score, late_submission_penalty, score, max_score; no submission scores 0, as nbgrader's does.
The rows and values are nbgrader's; the only difference is proper CSV quoting (nbgrader's plugin joins
values with commas, so a name such as "O'Brien, Seán" would shift the columns).
"""
from __future__ import annotations

import csv
from pathlib import Path

from ..course_dir import CourseDir
from ..export import GradeTable, _cell

NBGRADER_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                    "raw_score", "late_submission_penalty", "score", "max_score"]


def _text(value) -> str:
    return "" if value is None else str(value)


def nbgrader_rows(course: CourseDir, assignments: list[str]) -> list[dict]:
    """The rows nbgrader's CsvExportPlugin computes, for these assignments."""
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(course.db_url) as gb:
        for assignment in gb.assignments:
            if assignment.name not in assignments:
                continue
            for student in gb.students:
                row = {"assignment": assignment.name, "duedate": assignment.duedate, "student_id": student.id,
                       "last_name": student.last_name, "first_name": student.first_name, "email": student.email,
                       "max_score": assignment.max_score}
                try:
                    submission = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0)
                else:
                    penalty = submission.late_submission_penalty
                    row.update(timestamp=submission.timestamp, raw_score=submission.score,
                               late_submission_penalty=penalty, score=max(0.0, submission.score - (penalty or 0.0)))
                rows.append({k: _text(v) for k, v in row.items()})
    return rows


def write_nbgrader(course: CourseDir, table: GradeTable, path: Path) -> Path:
    """nbgrader_grades.csv in nbgrader's layout (text cells made safe for spreadsheets)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=NBGRADER_COLUMNS)
        writer.writeheader()
        for row in nbgrader_rows(course, table.released):
            writer.writerow({k: _cell(v) if k in ("student_id", "last_name", "first_name", "email") else v
                             for k, v in row.items()})
    return path
