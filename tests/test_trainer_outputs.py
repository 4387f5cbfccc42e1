"""Exports and the cohort report, from a gradebook filled through nbgrader's API (no kernels needed)."""
from __future__ import annotations

import csv
from html.parser import HTMLParser

import pytest
from nbgrader.api import Gradebook

from course.grading.integrity import report_path, write_report
from course.trainer.course_dir import CourseDir
from course.trainer.export import export_grades, grade_table
from course.trainer.ledger import Ledger
from course.trainer import wording as say
from course.trainer.report import cohort_summary, write_report as write_cohort_report
from course.trainer.worker import Job, Outcome

from fixtures.cohort import MODULE, OTHER_MODULE, build_course

# learner -> module -> {test cell: auto score}; a module left out was not submitted.
SCORES = {
    "ada": {MODULE: {"test_n_tools": 1, "test_most_expensive_tool": 1, "test_median_cost": 1},
            OTHER_MODULE: "all"},
    "ben": {MODULE: {"test_n_tools": 1, "test_most_expensive_tool": 0, "test_median_cost": 0}},
    "cy": {MODULE: {"test_n_tools": 0, "test_most_expensive_tool": 0, "test_median_cost": 1},
           OTHER_MODULE: "none"},
}
FLAG = "The notebook changed how the kernel runs code (IPython's cell runner was replaced)."


pytestmark = pytest.mark.slow   # the cohort is generated and autograded with nbgrader

@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> CourseDir:
    course = build_course(tmp_path_factory.mktemp("outputs") / "course")
    with Gradebook(course.db_url) as gb:
        for learner, modules in SCORES.items():
            gb.add_student(learner, first_name=learner.title(), last_name="Tester")
            for assignment, scores in modules.items():
                gb.add_submission(assignment, learner)
                for grade in gb.find_submission_notebook(assignment, assignment, learner).grades:
                    if grade.cell.cell_type != "code":
                        continue
                    if isinstance(scores, dict):
                        grade.auto_score = scores[grade.name]
                    else:
                        grade.auto_score = grade.max_score if scores == "all" else 0.0
        gb.add_student("=cmd|' /C calc'!A0")   # a name a spreadsheet would run as a formula
        gb.db.commit()
    write_report(report_path(course.integrity_dir(), MODULE, "cy", MODULE), "cy", MODULE, MODULE, [FLAG])
    ledger = Ledger.load(course)
    ledger.record(Outcome(Job(OTHER_MODULE, "ben", "x"), "rejected", "the file is empty (0 bytes)"), "g")
    ledger.record(Outcome(Job(MODULE, "ben", "y"), "graded", notes=["cell median_cost ran out of memory"]), "g")
    ledger.save()
    return course


def test_grade_table_has_a_row_per_learner_and_a_column_per_module_and_question(graded):
    table = grade_table(graded)
    assert [r["learner"] for r in table.rows] == sorted(list(SCORES) + ["=cmd|' /C calc'!A0"])
    for column in (MODULE, OTHER_MODULE, f"{MODULE}/test_n_tools", f"{OTHER_MODULE}/test_shelfware",
                   "integrity_flags", "grader_notes"):
        assert column in table.columns
    assert table.row("ada")[MODULE] == 3.0 and table.row("ben")[MODULE] == 1.0
    assert table.row("ben")[OTHER_MODULE] is None                     # missing stays blank, not 0
    assert table.row("ada")[OTHER_MODULE] == sum(table.max_points[f"{OTHER_MODULE}/{q}"]
                                                for q in table.questions[OTHER_MODULE]
                                                if f"{OTHER_MODULE}/{q}" in table.autograded)
    assert table.graded_max("ada", MODULE) == table.max_points[MODULE] - table.max_points[f"{MODULE}/first_look"]
    assert FLAG in table.row("cy")["integrity_flags"]
    assert "rejected: the file is empty" in table.row("ben")["grader_notes"]


def test_csv_and_excel_agree(graded, tmp_path):
    from openpyxl import load_workbook

    csv_path, xlsx_path = export_grades(graded, tmp_path)
    with open(csv_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["learner"] for r in rows][:3] == ["'=cmd|' /C calc'!A0", "ada", "ben"]
    ben = next(r for r in rows if r["learner"] == "ben")
    assert ben[MODULE] == "1.0" and ben[OTHER_MODULE] == "" and ben[f"{MODULE}/test_n_tools"] == "1.0"

    book = load_workbook(xlsx_path)
    assert book.sheetnames == ["Grades", "Max points", "Notes"]
    sheet = book["Grades"]
    header = [c.value for c in sheet[1]]
    assert header == list(rows[0].keys())
    excel = {row[0]: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert excel["ben"][MODULE] == 1.0 and excel["ben"][OTHER_MODULE] is None
    assert all(not str(v).startswith("=") for row in excel.values() for v in row.values() if v is not None)
    notes = [tuple(r) for r in book["Notes"].iter_rows(min_row=2, values_only=True)]
    assert ("cy", MODULE, "integrity flag", FLAG) in notes


def test_cohort_summary_numbers(graded):
    summary = cohort_summary(grade_table(graded))
    shares = {q: s for q, s, _ in summary.failed_share}
    assert shares[f"{MODULE}/test_most_expensive_tool"] == pytest.approx(2 / 3)
    assert shares[f"{MODULE}/test_n_tools"] == pytest.approx(1 / 3)
    assert summary.failed_share[0][1] >= summary.failed_share[-1][1]
    assert summary.missing[OTHER_MODULE] == ["=cmd|' /C calc'!A0", "ben"]
    helped = {h["learner"]: h["why"] for h in summary.need_help}
    assert "integrity" in helped["cy"] and "average" in helped["ben"] and "ada" not in helped
    assert ("cy", MODULE, FLAG) in summary.flags


class _Page(HTMLParser):
    """Collects what a self-contained page must not have, and what it must."""

    def __init__(self):
        super().__init__()
        self.external, self.scripts, self.sections, self.text = [], [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
            if attrs.get("src"):
                self.external.append(attrs["src"])
        for key in ("href", "src"):
            value = attrs.get(key) or ""
            if tag in ("link", "img", "iframe", "script") and value and not value.startswith("data:"):
                self.external.append(value)
        if tag == "section":
            self.sections.append(attrs.get("id"))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def test_cohort_report_is_one_self_contained_page(graded, tmp_path):
    path = write_cohort_report(graded, tmp_path / "report.html")
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    assert page.external == []
    assert any("plotly.js" in s.lower() or "Plotly=" in s or "window.Plotly" in s for s in page.scripts)
    assert sum("Plotly.newPlot" in s for s in page.scripts) == 4
    assert page.sections == ["to-do", "rejected", "distribution", "hardest", "missing", "need-help", "integrity",
                             "grader-notes", "variants"]
    text = " ".join(page.text)
    assert say.VARIANTS_NONE in text     # this cohort has no per-learner data
    assert FLAG in text and "ran out of memory" in text


def test_cli_registers_the_trainer_commands(graded, tmp_path, capsys):
    from course.cli import build_parser, main

    names = build_parser()._subparsers._group_actions[0].choices
    for command in ("collect", "grade", "feedback", "export", "report", "run"):
        assert command in names
    assert main(["export", "--course-dir", str(graded.root), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "grades.csv").exists() and (tmp_path / "grades.xlsx").exists()
    assert main(["report", "--course-dir", str(graded.root), "--out", str(tmp_path / "r.html")]) == 0
    assert main(["collect", "--course-dir", str(graded.root)]) == 2     # says where to collect from
    assert "--exchange" in capsys.readouterr().err


def test_merging_a_new_submission_prints_no_sqlalchemy_warnings(tmp_path, recwarn):
    """The trainer's terminal shows the progress bar, not SQLAlchemy 2's warnings about nbgrader's rows."""
    from course.trainer.merge import merge_rows

    db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(db_url) as gb:
        gb.add_assignment("m9")
        gb.add_notebook("m9", "m9")
        gb.add_grade_cell("test_x", "m9", "m9", max_score=1, cell_type="code")
        rows = {"student": True, "before": None, "after": {"student": True, "submission": {
            "timestamp": None, "notebooks": {"m9": {
                "flagged": False, "late_submission_penalty": None, "comments": {},
                "grades": {"test_x": {"auto_score": 1.0, "needs_manual_grade": False}}}}}}}
        merge_rows(gb, "m9", "zoe", rows)
        gb.db.commit()
    with Gradebook(db_url) as gb:
        assert gb.find_grade("test_x", "m9", "m9", "zoe").auto_score == 1.0
    assert [str(w.message) for w in recwarn] == []
