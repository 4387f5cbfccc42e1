"""Grades a trainer can sign (issue 17): each of its nine cases through the real `course` commands.

A Moodle download of nine learners (zips in zips, accents, apostrophes, two versions of one file with
different zip entry times, another module's notebook, a broken file, a PDF, a late hand-in) is
published, collected, graded for real, hand-graded through nbgrader's Gradebook API, resubmitted,
exported and reported; a Canvas download and a workshop folder cover the platform details. Case 6
(a folder that is not a course) is in test_trainer_guard.py, with the pure parts of case 5.
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from course.cli import main
from course.paths import PACKAGE_DIR, REPO_ROOT
from course.trainer.course_dir import CourseDir
from course.trainer.exports.lms import CANVAS_ID_COLUMNS, POINTS_POSSIBLE, WORKSHEET_COLUMNS
from course.trainer.exports.nbgrader_long import NBGRADER_COLUMNS

from fixtures.cohort import build_course
from fixtures.exports import (MODULE, OTHER, WRITTEN, Learner, canvas_download, day, moment, moodle_cohort,
                              moodle_download, notebook, zipped)

pytestmark = pytest.mark.slow

DUE = "2026-01-03 12:00"
GRADE = ["--workers", "2", "--cell-timeout", "30", "--notebook-timeout", "240", "--quiet"]
CONFIG = '''import os
from course.grading.config import configure
c = get_config()  # noqa: F821
configure(c, root=os.path.dirname(os.path.abspath(__file__)))
c.LateSubmissionPlugin.penalty_method = "zero"   # a late notebook scores 0 (nbgrader's late-penalty plugin)
'''


def course_cli(*argv) -> tuple[int, str]:
    """Run one `course` command in this process; its exit code and everything it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main([str(a) for a in argv])
    return code, out.getvalue()


def new_course(root: Path, assignments=(MODULE, OTHER)) -> Path:
    build_course(root, assignments)
    (root / "nbgrader_config.py").write_text(CONFIG)
    return root


@dataclass
class Scenario:
    root: Path
    top: Path
    learners: list[Learner]
    steps: dict[str, tuple[int, str]]

    def copy(self, target: Path) -> Path:
        shutil.copytree(self.root, target, symlinks=True)
        return target


@pytest.fixture(scope="module")
def moodle(tmp_path_factory) -> Scenario:
    """Module 0 published with its due date, the Moodle download collected and graded, all by command."""
    top = tmp_path_factory.mktemp("moodle")
    root = new_course(top / "course")
    learners = moodle_cohort(root)
    moodle_download(learners, top / "export-1")
    steps = {"publish": course_cli("publish", "0", "--due", DUE, "--timezone", "UTC", "--course-dir", root),
             "collect": course_cli("collect", "m0", "--from", top / "export-1", "--timezone", "UTC", "--course-dir", root),
             "grade": course_cli("grade", MODULE, *GRADE, "--course-dir", root)}
    for name, (code, out) in steps.items():
        assert code == 0, f"{name}:\n{out}"
    return Scenario(root, top, learners, steps)


def learner(scenario: Scenario, lid: str) -> Learner:
    return next(lrn for lrn in scenario.learners if lrn.id == lid)


def submitted_bytes(root: Path, student: str) -> bytes:
    return (root / "submitted" / student / MODULE / f"{MODULE}.ipynb").read_bytes()


def auto_scores(root: Path, student: str) -> dict[str, float | None]:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {g.name: g.auto_score for nb in gb.find_submission(MODULE, student).notebooks for g in nb.grades
                if g.cell.cell_type == "code"}


def hand_grade(root: Path, student: str, scores: dict[str, float] | None = None,
               comments: dict[str, str] | None = None) -> None:
    """What a trainer types in formgrader, written through nbgrader's Gradebook API."""
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for cell, score in (scores or {}).items():
            grade = gb.find_grade(cell, MODULE, MODULE, student)
            grade.manual_score, grade.needs_manual_grade = score, False
        for cell, text in (comments or {}).items():
            gb.find_comment(cell, MODULE, MODULE, student).manual_comment = text
        gb.db.commit()


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def kit_rows(root: Path) -> dict[str, dict]:
    code, out = course_cli("export", "--course-dir", root)
    assert code == 0, out
    return {r["learner"]: r for r in read_csv(root / "trainer" / "grades.csv")}


def resubmit(scenario: Scenario, root: Path, name: str, learners: list[Learner]) -> tuple[int, str]:
    """A later Moodle download holding these learners' files, collected into `root`."""
    moodle_download(learners, scenario.top / name)
    return course_cli("collect", "0", "--from", scenario.top / name, "--timezone", "UTC", "--course-dir", root)


# Case 1 ------------------------------------------------------------------------------------------------

def test_1_the_newest_version_is_kept_by_the_zip_entry_times(moodle):
    sean = learner(moodle, "1002")
    (old_name, old, _), (new_name, new, _) = sean.files
    assert max(old_name, new_name) == old_name, "the older file must sort last by name, as in the issue"
    _, out = moodle.steps["collect"]
    kept = next(line for line in out.splitlines() if line.startswith(f"  KEPT {MODULE} / 1002:"))
    assert new_name in kept and "newest of 2 versions" in kept and "2026-01-02 09:30 UTC (the zip entry's time)" in kept
    assert re.search(rf"NOT COLLECTED .*{re.escape(old_name)}: an older version \(submitted 2026-01-01 10:00 UTC"
                     rf".*\) of .*which was kept", out), out
    assert submitted_bytes(moodle.root, "1002") == new != old
    assert set(auto_scores(moodle.root, "1002").values()) == {1.0}
    with Gradebook(f"sqlite:///{moodle.root / 'gradebook.db'}") as gb:
        assert gb.find_submission(MODULE, "1002").timestamp == moment(day(2, 9, 30))


# Case 2 ------------------------------------------------------------------------------------------------

def test_2_collecting_an_older_export_again_never_rolls_a_learner_back(moodle, tmp_path):
    root = moodle.copy(tmp_path / "course")
    zoe = learner(moodle, "1001")
    later = notebook(root, ["n_tools"])
    code, out = resubmit(moodle, root, "export-2", [Learner("1001", zoe.name, [(f"{MODULE}.ipynb", later, day(2, 16))])])
    assert code == 0 and "1 submission(s) collected" in out, out
    assert "replaces the version collected on" in out and "this one is newer" in out
    assert submitted_bytes(root, "1001") == later
    code, out = course_cli("grade", "0", *GRADE, "--course-dir", root)
    assert code == 0 and out.startswith("1 graded"), out

    code, out = course_cli("collect", "0", "--from", moodle.top / "export-1", "--timezone", "UTC", "--course-dir", root)
    assert code == 0, out
    refused = next(line for line in out.splitlines() if "Zoé Müller_1001" in line)
    assert "NOT collected: older than the submission already collected on" in refused and "--force" in refused
    assert "0 submission(s) collected" in out and "already collected" in out
    assert submitted_bytes(root, "1001") == later
    code, out = course_cli("grade", "0", "--dry-run", "--course-dir", root)
    assert "would grade 0," in out, out
    collects = sorted(p.name for p in (root / "downloaded").iterdir())
    assert len(collects) == 3 and all(any((root / "downloaded" / c / "extracted").rglob("*.ipynb")) for c in collects)

    code, out = course_cli("collect", "0", "--from", moodle.top / "export-1", "--timezone", "UTC", "--force",
                           "--course-dir", root)
    assert code == 0 and "taken with --force" in out, out
    assert submitted_bytes(root, "1001") == zoe.files[0][1]


# Case 3 ------------------------------------------------------------------------------------------------

def test_3_a_resubmission_makes_the_hand_grade_stale_and_feedback_waits(moodle, tmp_path):
    root = moodle.copy(tmp_path / "course")
    assert auto_scores(root, "1006")["test_n_tools"] == 0.0
    hand_grade(root, "1006", {"test_n_tools": 0.5, WRITTEN: 2.0}, {"n_tools": "Count the rows: len(stack)."})
    code, out = course_cli("grade", "0", *GRADE, "--course-dir", root)      # nothing new: hand grades recorded
    assert code == 0 and "1006" not in "".join(line for line in out.splitlines() if "STALE" in line), out

    fixed = [("work.zip", zipped([(f"{MODULE}.ipynb", notebook(root), day(2, 18))]), day(2, 18))]
    code, out = resubmit(moodle, root, "export-2", [Learner("1006", "Dan Eze", fixed)])
    assert code == 0 and "1 submission(s) collected" in out, out
    code, out = course_cli("grade", "0", *GRADE, "--course-dir", root)
    assert code == 0, out
    stale = next(line for line in out.splitlines() if f"{MODULE} / Dan Eze (1006)" in line)
    assert stale.strip().startswith("HAND GRADE STALE") and '"Exercise 1 - how many tools?" (autograde was 0, now 1)' in stale
    assert "course confirm m0_orientation --students 1006" in stale
    assert auto_scores(root, "1006")["test_n_tools"] == 1.0

    row = kit_rows(root)["1006"]
    assert row[f"{MODULE}/status"] == "hand grade stale" and row["status"] != "final"
    assert "Exercise 1 - how many tools?: Count the rows: len(stack)." in row[f"{MODULE}/comments"]
    code, out = course_cli("feedback", "0", "--students", "1006", "--quiet", "--course-dir", root)
    assert code == 1 and f"NOT WRITTEN {MODULE} / Dan Eze (1006): hand grade stale" in out, out
    assert not (root / "feedback" / "1006").exists()

    code, out = course_cli("confirm", "0", "--students", "1006", "--course-dir", root)
    assert code == 0 and "kept as they are" in out, out
    assert kit_rows(root)["1006"][f"{MODULE}/status"] == "graded"
    code, out = course_cli("feedback", "0", "--students", "1006", "--quiet", "--course-dir", root)
    assert code == 0 and (root / "feedback" / "1006" / MODULE / f"{MODULE}.html").is_file(), out


# Case 4 ------------------------------------------------------------------------------------------------

def test_4_unfinished_hand_grading_is_never_shown_as_final(moodle, tmp_path):
    from course.trainer.export import grade_table
    from course.trainer.report import cohort_summary

    _, out = moodle.steps["grade"]
    pending = next(line for line in out.splitlines() if f"{MODULE} / Finn Gray (1008)" in line)
    assert pending.strip().startswith("HAND GRADING PENDING") and "Step 4 - a written answer" in pending
    root = moodle.copy(tmp_path / "course")
    code, out = course_cli("export", "--format", "kit", "--format", "canvas", "--course-dir", root)
    assert code == 0 and f"BLANK {MODULE} / Finn Gray (1008): hand grading pending" in out, out
    row = kit_rows(root)["1008"]
    assert (row[MODULE], row[f"{MODULE}/status"]) == ("3.0", "hand grading pending") and row["status"] != "final"
    canvas = {r["ID"]: r for r in read_csv(root / "trainer" / "canvas_grades.csv")}
    assert canvas["1008"][MODULE] == ""

    summary = cohort_summary(grade_table(CourseDir(root)))
    finn = next(p for p in summary.percents[MODULE] if p[0] == "1008")
    assert finn[1:] == (60.0, False), "3 of 5 points, and not final: never 100%"
    assert any(t[0] == "1008" and "Step 4 - a written answer" in t[3] for t in summary.todo)
    code, out = course_cli("report", "--course-dir", root)
    page = (root / "trainer" / "cohort_report.html").read_text(encoding="utf-8")
    todo = page.split('id="to-do"')[1].split("</section>")[0]
    assert "Finn Gray (1008)" in todo and "hand grading pending" in todo

    code, out = course_cli("feedback", "0", "--students", "1008", "--quiet", "--course-dir", root)
    assert code == 1 and "NOT WRITTEN" in out and not (root / "feedback" / "1008").exists(), out
    hand_grade(root, "1008", {WRITTEN: 2.0})
    code, out = course_cli("feedback", "0", "--students", "1008", "--quiet", "--course-dir", root)
    assert code == 0 and (root / "feedback" / "1008" / MODULE / f"{MODULE}.html").is_file(), out
    assert kit_rows(root)["1008"][f"{MODULE}/status"] == "graded"
    course_cli("export", "--format", "canvas", "--course-dir", root)
    assert {r["ID"]: r for r in read_csv(root / "trainer" / "canvas_grades.csv")}["1008"][MODULE] == "5"


# Case 5 ------------------------------------------------------------------------------------------------

def _kit_copy(where: Path, edit=None) -> Path:
    """The kit's package copied beside the repository's data and notebooks, optionally edited."""
    shutil.copytree(PACKAGE_DIR, where / "course", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for folder in ("datasets", "solutions"):
        (where / folder).symlink_to(REPO_ROOT / folder)
    if edit:
        edit(where / "course")
    return where


def _dry_run(kit: Path, root: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(kit), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    which = subprocess.run([sys.executable, "-c", "import course; print(course.__file__)"], env=env, cwd=kit,
                           capture_output=True, text=True, check=True)
    assert which.stdout.strip() == str(kit / "course" / "__init__.py")
    done = subprocess.run([sys.executable, "-m", "course.cli", "grade", "6", "--dry-run", "--course-dir", str(root)],
                          env=env, cwd=kit, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_5_changing_a_question_the_capstone_reuses_regrades_the_capstone(tmp_path):
    capstone = "m6_capstone"
    root = tmp_path / "course"
    build_course(root, (capstone,))
    folder = root / "submitted" / "ada" / capstone
    folder.mkdir(parents=True)
    (folder / f"{capstone}.ipynb").write_bytes(notebook(root, [], capstone))
    code, out = course_cli("grade", "6", *GRADE, "--course-dir", root)
    assert code == 0 and out.startswith("1 graded"), out

    def threshold(package: Path) -> None:
        bank = package / "questions" / "tool_overload.py"
        bank.write_text(bank.read_text().replace("SHELFWARE_THRESHOLD = 0.2", "SHELFWARE_THRESHOLD = 0.3"))

    def report_only(package: Path) -> None:
        (package / "trainer" / "report.py").write_text((package / "trainer" / "report.py").read_text() + "\n# x\n")

    assert "would grade 0, 1 unchanged" in _dry_run(_kit_copy(tmp_path / "same"), root)
    assert "would grade 0, 1 unchanged" in _dry_run(_kit_copy(tmp_path / "report", report_only), root)
    changed = _dry_run(_kit_copy(tmp_path / "threshold", threshold), root)
    assert f"GRADE {capstone} / ada: grader changed" in changed, changed


# Case 7 ------------------------------------------------------------------------------------------------

def test_7_totals_and_missing_count_released_modules_and_the_report_names_people(moodle, tmp_path):
    root = moodle.copy(tmp_path / "course")
    code, out = course_cli("grade", *GRADE, "--course-dir", root)       # every module: nothing new to grade
    assert code == 0 and f"released: {MODULE}; not released yet (left out of totals and 'missing'): {OTHER}" in out
    rows = kit_rows(root)
    assert {r["max_total"] for r in rows.values()} == {"5.0"}
    assert {r[f"{OTHER}/status"] for r in rows.values()} == {"not released"}
    assert rows["1004"][f"{MODULE}/status"] == "rejected" and rows["1009"][f"{MODULE}/status"] == "rejected"

    code, out = course_cli("report", "--course-dir", root)
    assert code == 0, out
    page = (root / "trainer" / "cohort_report.html").read_text(encoding="utf-8")
    rejected = page.split('id="rejected"')[1].split("</section>")[0]
    for who, ask in [("Bob Stone (1004)", "saved in JupyterLab"), ("Cara Diaz (1005)", "another notebook"),
                     ("Gus Hale (1009)", "not a PDF")]:
        assert who in rejected and ask in rejected, (who, rejected)
    missing = page.split('id="missing"')[1].split("</section>")[0]
    assert "None." in missing and OTHER not in missing.split("<table")[0].split("Plotly")[0]
    assert f"Not released yet (left out): {OTHER}" in page
    assert "Exercise 1 - how many tools?" in page and "Zoé Müller (1001)" in page

    code, out = course_cli("publish", "1", "--course-dir", root)
    assert code == 0 and f"{OTHER}: released, no due date" in out, out
    rows = kit_rows(root)
    assert rows["1001"]["max_total"] == "16.0" and rows["1001"][f"{OTHER}/status"] == "missing"
    course_cli("report", "--course-dir", root)
    page = (root / "trainer" / "cohort_report.html").read_text(encoding="utf-8")
    assert "Zoé Müller (1001)" in page.split('id="missing"')[1].split("</section>")[0]


# Case 8 ------------------------------------------------------------------------------------------------

def test_8_an_empty_run_says_what_to_do_and_later_runs_keep_listing_rejections(moodle, tmp_path):
    empty = new_course(tmp_path / "empty", (MODULE,))
    code, out = course_cli("grade", *GRADE, "--course-dir", empty)
    assert code == 1 and "Nothing to grade yet" in out and f"course collect {MODULE} --from" in out, out

    root = moodle.copy(tmp_path / "course")
    code, out = course_cli("grade", "m0", *GRADE, "--course-dir", root)
    assert code == 0 and out.startswith("0 graded"), out
    assert re.search(rf"REJECTED\s+{MODULE} / Bob Stone \(1004\): the file is not valid JSON.*; ask for "
                     rf"{MODULE}.ipynb again, saved in JupyterLab", out), out
    assert re.search(rf"REJECTED\s+{MODULE} / Gus Hale \(1009\): not a notebook", out), out


def test_8_ctrl_c_stops_cleanly_and_a_second_run_finishes(tmp_path):
    root = new_course(tmp_path / "course", (MODULE,))
    students = ["a1", "a2", "a3", "a4"]
    for student in students:
        folder = root / "submitted" / student / MODULE
        folder.mkdir(parents=True)
        (folder / f"{MODULE}.ipynb").write_bytes(notebook(root))
    scratch = Path(tempfile.mkdtemp(prefix="c-", dir="/tmp"))   # short: kernels' socket paths live under it
    try:
        env = {**os.environ, "TMPDIR": str(scratch),
               "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
        proc = subprocess.Popen([sys.executable, "-m", "course.cli", "grade", "--course-dir", str(root), "--workers",
                                 "1", "--cell-timeout", "30"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True,
                                # as a terminal starts a command: Ctrl+C not ignored, even when these tests
                                # were started in the background by a shell without job control (which
                                # ignores SIGINT for everything it starts: the test then failed every time)
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        deadline, seen = time.monotonic() + 300, []
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            seen.append(line)
            if "graded:" in line or not line:
                break
        assert any("graded:" in line for line in seen), "".join(seen)
        os.killpg(proc.pid, signal.SIGINT)          # what Ctrl+C in the terminal sends to the command
        out, err = proc.communicate(timeout=180)
        done = re.search(r"interrupted: (\d+) graded, run again to finish", out)
        assert proc.returncode == 130 and done, (out, err)
        assert "Traceback" not in out + err and "KeyboardInterrupt" not in out + err
        assert 1 <= int(done.group(1)) < len(students)
        assert list(scratch.iterdir()) == [], "temporary folders left behind"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    code, out = course_cli("grade", *GRADE, "--course-dir", root)
    assert code == 0 and out.startswith(f"{len(students) - int(done.group(1))} graded") and f"{done.group(1)} unchanged" in out, out


# Case 9 ------------------------------------------------------------------------------------------------

def test_9_moodle_times_reach_the_gradebook_and_late_penalties_apply(moodle):
    with Gradebook(f"sqlite:///{moodle.root / 'gradebook.db'}") as gb:
        assert gb.find_assignment(MODULE).duedate == datetime(2026, 1, 3, 12, 0)
        assert gb.find_submission(MODULE, "1001").timestamp == moment(day(2, 10))
        assert gb.find_submission(MODULE, "1006").timestamp == moment(day(2, 11))     # from the zip in a zip
        eve = gb.find_submission(MODULE, "1007")
        assert eve.timestamp == moment(day(4, 8)) and eve.score == 3.0 and eve.late_submission_penalty == 3.0
        assert gb.find_student("1002").first_name == "Seán" and gb.find_student("1002").last_name == "O'Brien"
    rows = kit_rows(moodle.root)
    assert rows["1007"][MODULE] == "0.0" and rows["1007"][f"{MODULE}/late"] == "20 h 00 min late"
    assert rows["1001"][f"{MODULE}/late"] == ""


def test_9_moodle_and_nbgrader_files_carry_hand_comments_in_their_layouts(moodle, tmp_path):
    from nbgrader.plugins.export import CsvExportPlugin

    root = moodle.copy(tmp_path / "course")
    hand_grade(root, "1001", {WRITTEN: 2.0}, {WRITTEN: "Good: you named the tool and its cost."})
    code, out = course_cli("export", "--format", "moodle", "--format", "nbgrader", "--format", "kit",
                           "--course-dir", root)
    assert code == 0 and f"BLANK {MODULE} / Ann Lee (1003): hand grading pending" in out, out
    grades = list(csv.reader(open(root / "trainer" / "moodle_grades.csv", encoding="utf-8")))
    assert grades[0] == ["First name", "Last name", "Email address", MODULE, f"{MODULE} (feedback)"]
    zoe = next(r for r in grades if r[:2] == ["Zoé", "Müller"])
    assert zoe[3] == "5" and "Step 4 - a written answer: Good: you named the tool and its cost." in zoe[4]
    sheet = read_csv(root / "trainer" / f"moodle_{MODULE}_worksheet.csv")
    assert list(sheet[0]) == WORKSHEET_COLUMNS
    by_id = {r["Identifier"]: r for r in sheet}
    assert by_id["Participant 1001"]["Grade"] == "5" and "Good: you named" in by_id["Participant 1001"]["Feedback comments"]
    assert by_id["Participant 1003"]["Grade"] == "" and by_id["Participant 1001"]["Last modified (grade)"]
    assert not any(key.startswith("Participant ") and not key[12:].isdigit() for key in by_id)

    ours = read_csv(root / "trainer" / "nbgrader_grades.csv")
    assert list(ours[0]) == NBGRADER_COLUMNS
    theirs = tmp_path / "nbgrader-own.csv"
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        CsvExportPlugin(to=str(theirs), assignment=[MODULE]).export(gb)
    assert ours == read_csv(theirs), "the layout and values must be nbgrader's own"
    from openpyxl import load_workbook

    notes = set(load_workbook(root / "trainer" / "grades.xlsx")["Notes"].iter_rows(values_only=True))
    assert ("1001", MODULE, "hand comment", "Step 4 - a written answer: Good: you named the tool and its cost.") in notes


def test_9_canvas_names_late_marks_and_gradebook_layout(tmp_path):
    root = new_course(tmp_path / "course", (MODULE,))
    assert course_cli("publish", "0", "--due", DUE, "--timezone", "UTC", "--course-dir", root)[0] == 0
    files = [("müllerzoé_2001_5001_m0_orientation.ipynb", notebook(root), None),
             ("obrienseán_LATE_2002_5002_m0_orientation-1.ipynb", notebook(root), None),
             ("o'neillmary_2003_5003_m0_orientation.ipynb", notebook(root, ["n_tools", WRITTEN]), None)]
    canvas_download(files, tmp_path / "canvas")
    code, out = course_cli("collect", "0", "--from", tmp_path / "canvas", "--platform", "canvas", "--timezone", "UTC",
                           "--course-dir", root)
    assert code == 0 and "3 submission(s) collected" in out and "NOT COLLECTED" not in out, out
    assert "Canvas marked it LATE without a time" in out
    code, out = course_cli("grade", "0", *GRADE, "--course-dir", root)
    assert code == 0, out
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        late = gb.find_submission(MODULE, "2002")
        assert late.timestamp == datetime(2026, 1, 3, 12, 0) + timedelta(seconds=1)
        assert late.late_submission_penalty == late.score == 3.0
        assert gb.find_submission(MODULE, "2001").timestamp is None      # Canvas's zip gives no submission time
        assert gb.find_student("2003").last_name == "o'neillmary"
    for student in ("2001", "2002", "2003"):
        hand_grade(root, student, {WRITTEN: 2.0})   # the late one's penalty must follow: 5 - 5, not 5 - 3
    code, out = course_cli("export", "--format", "canvas", "--course-dir", root)
    assert code == 0, out
    rows = list(csv.reader(open(root / "trainer" / "canvas_grades.csv", encoding="utf-8")))
    assert rows[0] == CANVAS_ID_COLUMNS + [MODULE]
    assert rows[1] == [POINTS_POSSIBLE, "", "", "", "", "5"]
    by_id = {r[1]: r for r in rows[2:]}
    assert sorted(by_id) == ["2001", "2002", "2003"]
    assert (by_id["2001"][5], by_id["2002"][5], by_id["2003"][5]) == ("5", "0", "3")


def test_9_the_workshop_prints_the_exchange_the_docs_and_config_use(tmp_path, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXCHANGE_ROOT", raising=False)
    out_dir = tmp_path / "workshop"
    code, out = course_cli("workshop", "--modules", "0", "--out", out_dir)
    assert code == 0, out
    assert "/srv/nbgrader/exchange" in out and "/usr/local/share" not in out
    assert f"course publish {MODULE} --due" in out and "--exchange" in out
    assert str(CourseDir(out_dir).config.Exchange.root) == "/srv/nbgrader/exchange"
    assert "/srv/nbgrader/exchange" in (REPO_ROOT / "docs" / "organisers.md").read_text(encoding="utf-8")
    missing = tmp_path / "no-exchange"
    monkeypatch.setenv("NBGRADER_EXCHANGE_ROOT", str(missing))
    for argv in (["publish", "0", "--exchange"], ["collect", "0", "--exchange"]):
        code, out = course_cli(*argv, "--course-dir", out_dir)
        assert code == 2 and out.count("\n") == 1 and f"The exchange {missing} does not exist" in out, out
        assert not missing.exists()
