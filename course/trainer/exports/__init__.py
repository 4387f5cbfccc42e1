"""Grades in the formats a learning platform imports as they are, chosen with `course export --format`.

- `kit` (default): trainer/grades.csv and grades.xlsx, every column the kit knows (export.py);
- `canvas`: Canvas's gradebook CSV (lms.py): Student, ID, SIS User ID, SIS Login ID, Section, one
  column per released module, and the "Points Possible" row;
- `moodle`: Moodle's grade import CSV (one grade and one feedback column per released module, mapped
  on the learner's email address) and, per module, Moodle's offline grading worksheet, mapped on the
  participant identifier its download names carry ("Participant 123456"), with feedback comments;
- `nbgrader`: nbgrader's own long CSV (`nbgrader export`), released modules only.

A learning platform's file carries final grades only: a grade still pending hand grading, stale,
flagged, failed or waiting is left blank and listed, unless the trainer exports with --anyway.
"""
from __future__ import annotations

from pathlib import Path

from ..course_dir import CourseDir

FORMATS = ("kit", "csv", "xlsx", "canvas", "moodle", "nbgrader")


def export(course: CourseDir, formats: list[str], out_dir: Path | None = None,
           assignments: list[str] | None = None, anyway: bool = False) -> tuple[list[Path], list[str]]:
    """Write each format; return the files written and what the trainer must read (grades left blank)."""
    from ..export import grade_table, write_csv, write_excel
    from .lms import write_canvas, write_moodle
    from .nbgrader_long import write_nbgrader

    table = grade_table(course, assignments)
    out = Path(out_dir or course.trainer_dir())
    written, messages = [], []
    for name in dict.fromkeys(formats or ["kit"]):
        if name in ("kit", "csv"):
            written.append(write_csv(table, out / "grades.csv"))
        if name in ("kit", "xlsx"):
            written.append(write_excel(table, out / "grades.xlsx"))
        if name == "canvas":
            paths, said = write_canvas(table, out, anyway)
            written += paths
            messages += said
        if name == "moodle":
            paths, said = write_moodle(table, out, anyway)
            written += paths
            messages += said
        if name == "nbgrader":
            written.append(write_nbgrader(course, table, out / "nbgrader_grades.csv"))
    return written, list(dict.fromkeys(messages))   # the same grades left blank in two files: listed once
