"""Hand grades and the work they were given for, so a resubmission cannot leave an old hand grade standing.

nbgrader keeps a trainer's manual score and comment whatever autograde does next: after a
resubmission, an override of 0.5 given to a wrong answer still wins over the new autograde of 1.0, and
the feedback still quotes the old comment. So every hand grade (manual score or manual comment) is
recorded in trainer/hand_grades.json with what it was given against: the cell's autograde score and a
hash of the learner's answer (the graded cell itself, and for a test cell its answer cell `<qid>` for
`test_<qid>`), read from the autograded notebook.

A hand grade is recorded the first time the kit sees it: every trainer command looks before it reads
the gradebook, and `course grade` looks before it merges anything, so a hand grade typed between two
runs is always recorded against the version it was given for. It is **stale** when the autograde score
or the answer has changed since. It stops being stale when the trainer changes it, clears it, or
confirms it (`course confirm MODULE --students ...`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .course_dir import CourseDir
from .records import read_record, write_record

HAND_GRADES = "hand_grades.json"


def _cells_by_id(path: Path) -> dict[str, str]:
    """grade_id -> cell source of one autograded notebook."""
    import nbformat

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:  # a notebook nbgrader could not write back: no answer to compare
        return {}
    cells = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if isinstance(meta, dict) and meta.get("grade_id"):
            cells.setdefault(meta["grade_id"], cell.source)
    return cells


def _answer(cells: dict[str, str], name: str) -> str:
    """A hash of what the learner wrote for the cell `name` (for `test_<qid>`, also the answer cell `<qid>`)."""
    parts = [cells.get(name, "")]
    if name.startswith("test_"):
        parts.append(cells.get(name[len("test_"):], ""))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def current_marks(course: CourseDir, assignments: list[str]) -> dict[str, dict]:
    """Every hand grade in the gradebook now, keyed 'module|learner|cell|score' or '...|comment', with
    the autograde score and the answer it stands next to."""
    from nbgrader.api import Gradebook

    marks = {}
    with Gradebook(course.db_url) as gb:
        for assignment in gb.assignments:
            if assignment.name not in assignments:
                continue
            for submission in assignment.submissions:
                student = submission.student.id
                for nb in submission.notebooks:
                    auto = {g.name: g.auto_score for g in nb.grades}
                    hand = [(g.name, "score", g.manual_score) for g in nb.grades if g.manual_score is not None]
                    hand += [(c.name, "comment", c.manual_comment) for c in nb.comments if c.manual_comment]
                    if not hand:
                        continue
                    cells = _cells_by_id(course.autograded(student, assignment.name) / f"{nb.name}.ipynb")
                    for cell, kind, value in hand:
                        graded = cell if cell in auto else f"test_{cell}"
                        marks[f"{assignment.name}|{student}|{cell}|{kind}"] = {
                            "value": value, "auto": auto.get(graded), "answer": _answer(cells, graded)}
    return marks


@dataclass
class HandGrades:
    """The record of hand grades and what each was given against."""

    path: Path
    records: dict

    @classmethod
    def load(cls, course: CourseDir) -> "HandGrades":
        path = course.trainer_dir() / HAND_GRADES
        return cls(path, read_record(path))

    def observe(self, course: CourseDir, assignments: list[str]) -> dict[str, dict]:
        """Record new or changed hand grades against what they stand next to now; forget cleared ones."""
        marks = current_marks(course, assignments)
        for key in [k for k in self.records if k.split("|", 1)[0] in assignments and k not in marks]:
            del self.records[key]
        for key, mark in marks.items():
            if key not in self.records or self.records[key]["value"] != mark["value"]:
                self.records[key] = dict(mark)
        self.save()
        return marks

    def stale(self, marks: dict[str, dict]) -> dict[tuple[str, str], dict[str, str]]:
        """(module, learner) -> {cell: what changed} for hand grades given against other work than now."""
        found: dict[tuple[str, str], dict[str, str]] = {}
        for key, mark in marks.items():
            record = self.records.get(key)
            if record is None or record["value"] != mark["value"]:
                continue
            assignment, student, cell, _ = key.split("|")
            if record["auto"] != mark["auto"]:
                why = f"autograde was {_score(record['auto'])}, now {_score(mark['auto'])}"
            elif record["answer"] != mark["answer"]:
                why = "the learner's answer changed"
            else:
                continue
            found.setdefault((assignment, student), {})[cell] = why
        return found

    def confirm(self, marks: dict[str, dict], assignment: str, students: list[str] | None) -> int:
        """Keep the hand grades of these learners as they are: record them against the current work."""
        n = 0
        for key, mark in marks.items():
            a, student, _, _ = key.split("|")
            if a == assignment and (not students or student in students):
                n += self.records.get(key) != mark
                self.records[key] = dict(mark)
        self.save()
        return n

    def save(self) -> None:
        write_record(self.path, self.records)


def _score(value) -> str:
    return "none" if value is None else f"{float(value):g}"
