"""Grades out of the gradebook: one row per learner, a column per module and per question, the module's
grading state, lateness and hand comments, plus the integrity flags and the grader's notes; written as
CSV and as an Excel workbook (openpyxl), and in the formats learning platforms import (exports/).

Scores are nbgrader's: a grade's score is the hand score when there is one, else the auto score, plus
any extra credit; a module's score is the submission's score minus any late penalty (nbgrader's
late-penalty plugin, from the due date in the gradebook and the submission time the platform gave). A
module with no graded submission is left blank (not 0), so a missing submission is visible as such.
Totals and percentages count released modules only (releases.py); the status columns say which
grades are final (states.py). In a workshop where every learner has their own data, the `variant`
column says whose data each learner was graded on (their key; course.grading.variants).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from . import wording as say
from .course_dir import CourseDir
from .ledger import Ledger
from .states import Cohort, cohort_states
from .titles import title_of

ID_COLUMNS = ["learner", "first_name", "last_name", "email"]
VARIANT_COLUMN = "variant"
TAIL_COLUMNS = ["total", "max_total", "percent", "status", "integrity_flags", "grader_notes"]


@dataclass
class GradeTable:
    """The cohort's grades as rows of plain values, with the maximum of every score column."""

    columns: list[str]
    rows: list[dict]
    max_points: dict[str, float]
    questions: dict[str, list[str]] = field(default_factory=dict)   # assignment -> its grade cells, in order
    autograded: set[str] = field(default_factory=set)               # question columns of code (test) cells
    flags: dict[tuple[str, str], list[str]] = field(default_factory=dict)   # (learner, module) -> reasons
    notes: dict[tuple[str, str], list[str]] = field(default_factory=dict)   # (learner, module) -> notes
    ungraded: set[tuple[str, str]] = field(default_factory=set)             # (learner, question column) not
                                                                             # graded yet (a written answer)
    cohort: Cohort | None = None
    comments: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (learner, module) -> hand comments
    released: list[str] = field(default_factory=list)
    variants: dict[str, str] = field(default_factory=dict)  # learner -> whose data they were graded on

    def graded_max(self, learner: str, assignment: str) -> float:
        """The points of a module that have been graded for this learner (written answers count once marked)."""
        return self.max_points[assignment] - sum(self.max_points[question_column(assignment, q)]
                                                 for q in self.questions[assignment]
                                                 if (learner, question_column(assignment, q)) in self.ungraded)

    def row(self, learner: str) -> dict:
        return next(r for r in self.rows if r["learner"] == learner)

    def state(self, learner: str, assignment: str):
        return self.cohort.of(learner, assignment)


def question_column(assignment: str, cell: str) -> str:
    return f"{assignment}/{cell}"


def status_column(assignment: str) -> str:
    return f"{assignment}/status"


def comments_column(assignment: str) -> str:
    return f"{assignment}/comments"


def late_column(assignment: str) -> str:
    return f"{assignment}/late"


def _ledger_notes(entry: dict | None) -> list[str]:
    """The grader's words about a submission: why it was not graded, and anything it noticed."""
    if not entry:
        return []
    head = [f"{entry['status']}: {entry['reason']}"] if entry.get("status") in ("rejected", "failed") else []
    return head + list(entry.get("notes") or [])


def late_text(seconds: float) -> str:
    """'2 h 05 min late' (blank when on time)."""
    if not seconds or seconds <= 0:
        return ""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "late (by less than a minute)"
    return f"{minutes // 60} h {minutes % 60:02d} min late" if minutes >= 60 else f"{minutes} min late"


def _submission_row(row: dict, submission, a: str, titles: dict[str, str], ungraded: set,
                    comments: list[str]) -> float:
    """Fill one module's score and question cells from a gradebook submission; return its score."""
    learner = row["learner"]
    score = float(submission.score) - float(submission.late_submission_penalty or 0)
    row[a] = round(score, 4)
    for nb in submission.notebooks:
        for grade in nb.grades:
            row[question_column(a, grade.name)] = None if grade.score is None else round(float(grade.score), 4)
            if grade.auto_score is None and grade.manual_score is None:
                ungraded.add((learner, question_column(a, grade.name)))
        comments += [f"{title_of(titles, c.name)}: {c.manual_comment}" for c in nb.comments if c.manual_comment]
    return score


def _module_cells(gb, assignments: list[str]) -> tuple[dict, dict, set]:
    """Each module's graded cells (in order), the maximum of every score column, and the autograded ones."""
    questions, max_points, autograded = {}, {}, set()
    for a in assignments:
        found = gb.find_assignment(a)
        cells = [gc for nb in found.notebooks for gc in nb.grade_cells]
        questions[a] = [gc.name for gc in cells]
        max_points[a] = float(found.max_score)
        for gc in cells:
            max_points[question_column(a, gc.name)] = float(gc.max_score)
            if gc.cell_type == "code":
                autograded.add(question_column(a, gc.name))
    return questions, max_points, autograded


def grade_table(course: CourseDir, assignments: list[str] | None = None) -> GradeTable:
    """Read every learner's scores, states, comments, flags and notes (learners with only rejected files too)."""
    from nbgrader.api import Gradebook, MissingEntry

    ledger = Ledger.load(course)
    with Gradebook(course.db_url) as gb:
        known = {a.name for a in gb.assignments}
    assignments = [a for a in (assignments or course.assignments()) if a in known]
    cohort = cohort_states(course, assignments)
    released = [a for a in assignments if a in cohort.released]
    rows, flags, notes, ungraded, comments = [], {}, {}, set(), {}
    variants = learner_variants(course, assignments)
    with Gradebook(course.db_url) as gb:
        questions, max_points, autograded = _module_cells(gb, assignments)
        students = {s.id: s for s in gb.students}
        for learner in sorted({k[0] for k in cohort.states}):
            student = students.get(learner)
            row = {"learner": learner, "first_name": getattr(student, "first_name", "") or "",
                   "last_name": getattr(student, "last_name", "") or "", "email": getattr(student, "email", "") or "",
                   VARIANT_COLUMN: variants.get(learner, "")}
            total = 0.0
            for a in assignments:
                state, key = cohort.of(learner, a), (learner, a)
                row[a] = None
                for cell in questions[a]:
                    row[question_column(a, cell)] = None
                notes[key] = _ledger_notes(ledger.entry(a, learner))
                row[status_column(a)], row[late_column(a)] = state.status, late_text(state.seconds_late)
                flags[key], mine = list(state.flags), comments.setdefault(key, [])
                try:
                    submission = gb.find_submission(a, learner) if student is not None else None
                except MissingEntry:
                    submission = None
                if submission is not None:
                    score = _submission_row(row, submission, a, cohort.titles.get(a, {}), ungraded, mine)
                    total += score if a in released else 0.0
                row[comments_column(a)] = " | ".join(mine)
            row["total"] = round(total, 4)
            row["max_total"] = sum(max_points[a] for a in released)
            row["percent"] = round(100 * total / row["max_total"], 1) if row["max_total"] else None
            row["status"] = _row_status(cohort, learner, released)
            row["integrity_flags"] = " | ".join(f"{a}: " + "; ".join(flags[(learner, a)])
                                                for a in assignments if flags.get((learner, a)))
            row["grader_notes"] = " | ".join(f"{a}: " + "; ".join(notes[(learner, a)])
                                             for a in assignments if notes.get((learner, a)))
            rows.append(row)
    ids = ID_COLUMNS + ([VARIANT_COLUMN] if variants else [])
    columns = ids + [c for a in assignments for c in [a, status_column(a), late_column(a)] +
                            [question_column(a, q) for q in questions[a]] + [comments_column(a)]]
    return GradeTable(columns + TAIL_COLUMNS, rows, max_points, questions, autograded,
                      {k: v for k, v in flags.items() if v}, {k: v for k, v in notes.items() if v}, ungraded,
                      cohort, {k: v for k, v in comments.items() if v}, released, variants)


def learner_variants(course: CourseDir, assignments: list[str]) -> dict[str, str]:
    """Whose data each learner was graded on (from the integrity reports; the roster's key for a
    learner not graded yet); {} when every learner has the same data."""
    import json

    from ..grading.integrity import all_reports
    from .roster import load

    found: dict[str, dict[str, str]] = {}
    folder = course.integrity_dir()
    for a in assignments:
        for report in all_reports(folder / a).values():
            if report.get("variant") is not None:
                found.setdefault(report["student"], {})[a] = report["variant"]["key"] or say.SHARED_DATA
    texts = {s: (next(iter(set(v.values()))) if len(set(v.values())) == 1
                 else "; ".join(f"{a}: {k}" for a, k in v.items())) for s, v in found.items()}
    workshop = course.root / "workshop.json"
    variants_on = bool(found) or (workshop.is_file() and json.loads(workshop.read_text(encoding="utf-8")).get("variants"))
    roster = load(course.root) if variants_on else None
    for learner in roster.learners if roster else []:
        texts.setdefault(learner.student, learner.key)
    return texts


def _row_status(cohort: Cohort, learner: str, released: list[str]) -> str:
    """'final' when every released module is graded (or missing), else what is not final, module by module."""
    waiting = [f"{a}: {cohort.of(learner, a).status}" for a in released
               if not cohort.of(learner, a).final and cohort.of(learner, a).state != say.MISSING]
    return " | ".join(waiting) or "final"


def write_csv(table: GradeTable, path: Path) -> Path:
    """One row per learner; empty cells where there is no graded submission."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=table.columns)
        writer.writeheader()
        for row in table.rows:
            writer.writerow({k: ("" if row.get(k) is None else _cell(row.get(k)) if k in ID_COLUMNS + [VARIANT_COLUMN]
                                 else row.get(k))
                             for k in table.columns})
    return path


def write_excel(table: GradeTable, path: Path) -> Path:
    """A workbook: 'Grades' (one row per learner), 'Max points', and 'Notes' (flags and grader notes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Grades"
    sheet.append(table.columns)
    for row in table.rows:
        sheet.append([_cell(row.get(c)) for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    for i, name in enumerate(table.columns, start=1):
        wide = name in ("integrity_flags", "grader_notes", "status") or name.endswith(("/status", "/comments"))
        sheet.column_dimensions[get_column_letter(i)].width = 40 if wide else 14

    maxima = book.create_sheet("Max points")
    maxima.append(["column", "max points"])
    for name, value in table.max_points.items():
        maxima.append([name, value])
    maxima["A1"].font = maxima["B1"].font = Font(bold=True)
    maxima.column_dimensions["A"].width = 50

    notes = book.create_sheet("Notes")
    notes.append(["learner", "module", "kind", "text"])
    for (learner, module), reasons in sorted(table.flags.items()):
        for reason in reasons:
            notes.append([_cell(learner), module, "integrity flag", _cell(reason)])
    for (learner, module), lines in sorted(table.notes.items()):
        for line in lines:
            notes.append([_cell(learner), module, "grader note", _cell(line)])
    for (learner, module), lines in sorted(table.comments.items()):
        for line in lines:
            notes.append([_cell(learner), module, "hand comment", _cell(line)])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    notes.column_dimensions["D"].width = 100
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _cell(value):
    """Text a spreadsheet will not run as a formula (a learner's name could start with '=')."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def export_grades(course: CourseDir, out_dir: Path | None = None, assignments: list[str] | None = None) -> list[Path]:
    """Write trainer/grades.csv and trainer/grades.xlsx (or into out_dir)."""
    table = grade_table(course, assignments)
    out_dir = Path(out_dir or course.trainer_dir())
    return [write_csv(table, out_dir / "grades.csv"), write_excel(table, out_dir / "grades.xlsx")]
