"""Canvas's and Moodle's grade files, laid out as each platform imports them.

Canvas (Grades > Import): the gradebook CSV. Columns `Student, ID, SIS User ID, SIS Login ID, Section`,
then one column per assignment; the second row starts with `Points Possible` and gives each
assignment's maximum. Canvas matches learners on `ID` (its user id, the number in its download names);
a learner the kit knows only by a login name goes in `SIS Login ID`. A column whose name is no Canvas
assignment becomes a new assignment; rename the headers to your Canvas assignments' names to update
those instead. A blank cell changes nothing in Canvas.

Moodle has two importers, and the kit writes for both:
- Grades > Import > CSV file (`moodle_grades.csv`): one grade column and one feedback column per
  module; Moodle maps learners on one of its user fields, here `Email address` (the gradebook's email,
  which a roster provides). Moodle's download names carry a *participant* number, not a user id, so it
  is never offered as a user id (mapping it as one would grade the wrong people);
- the assignment's "Upload grading worksheet" (`moodle_<module>_worksheet.csv`, one per module): the
  offline grading worksheet's columns, mapped on `Identifier` = "Participant <number>", the number in
  Moodle's download names, with the hand comments in `Feedback comments`.
"""
from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

from .. import wording as say
from ..export import GradeTable, _cell

CANVAS_ID_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_POSSIBLE = "Points Possible"
MOODLE_ID_COLUMNS = ["First name", "Last name", "Email address"]
WORKSHEET_COLUMNS = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                     "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
                     "Feedback comments"]
PARTICIPANT = "Participant "


def _number(value) -> str:
    return "" if value is None else f"{float(value):g}"


def _grade(table: GradeTable, row: dict, assignment: str, anyway: bool, withheld: list) -> str:
    """The module's score for a platform: final grades only, unless `anyway`."""
    state = table.state(row["learner"], assignment)
    if row.get(assignment) is None:
        return ""
    if not state.final and not anyway:
        withheld.append((table.cohort.shown(row["learner"]), assignment, state.status))
        return ""
    return _number(row[assignment])


def _withheld_message(withheld: list, file: str) -> list[str]:
    if not withheld:
        return []
    states = sorted({s for _, _, s in withheld})
    lines = [say.WITHHELD.format(n=len(withheld), file=file, states=", ".join(states))]
    return lines + [f"  BLANK {a} / {who}: {s}" for who, a, s in withheld]


def _sortable(row: dict) -> str:
    """Canvas's 'Last, First' (the id when the name is unknown)."""
    first, last = row.get("first_name") or "", row.get("last_name") or ""
    return f"{last}, {first}" if first and last else (last or first or row["learner"])


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_canvas(table: GradeTable, out: Path, anyway: bool = False) -> tuple[list[Path], list[str]]:
    """canvas_grades.csv: Canvas's gradebook import layout, released modules only."""
    modules, withheld = table.released, []
    rows = [[POINTS_POSSIBLE, "", "", "", ""] + [_number(table.max_points[a]) for a in modules]]
    for row in table.rows:
        learner = row["learner"]
        numeric = learner.isdigit()
        rows.append([_cell(_sortable(row)), learner if numeric else "", "", "" if numeric else _cell(learner), ""]
                    + [_grade(table, row, a, anyway, withheld) for a in modules])
    path = _write(out / "canvas_grades.csv", CANVAS_ID_COLUMNS + modules, rows)
    return [path], _withheld_message(withheld, path.name)


def _feedback(table: GradeTable, learner: str, assignment: str) -> str:
    return "\n".join(table.comments.get((learner, assignment), []))


def write_moodle(table: GradeTable, out: Path, anyway: bool = False) -> tuple[list[Path], list[str]]:
    """moodle_grades.csv (course grade import) and one offline grading worksheet per released module."""
    modules, withheld = table.released, []
    header = MOODLE_ID_COLUMNS + [c for a in modules for c in (a, f"{a} (feedback)")]
    rows = []
    for row in table.rows:
        cells = [_cell(row.get("first_name") or ""), _cell(row.get("last_name") or ""), row.get("email") or ""]
        for a in modules:
            cells += [_grade(table, row, a, anyway, withheld), _cell(_feedback(table, row["learner"], a))]
        rows.append(cells)
    paths = [_write(out / "moodle_grades.csv", header, rows)]
    messages = _withheld_message(withheld, paths[0].name)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    for a in modules:
        sheet = []
        for row in table.rows:
            if not row["learner"].isdigit() or table.state(row["learner"], a).state in (say.MISSING,):
                continue
            full = " ".join(filter(None, [row.get("first_name"), row.get("last_name")]))
            grade = _grade(table, row, a, anyway, [])
            sheet.append([f"{PARTICIPANT}{row['learner']}", _cell(full), row.get("email") or "",
                          table.state(row["learner"], a).status, grade, _number(table.max_points[a]), "Yes",
                          "", now if grade else "", _cell(_feedback(table, row["learner"], a))])
        paths.append(_write(out / f"moodle_{a}_worksheet.csv", WORKSHEET_COLUMNS, sheet))
    return paths, messages
