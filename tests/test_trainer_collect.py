"""Collecting through nbgrader: platform exports via zip_collect, and the exchange via collect.
Every file ends up either collected or reported by name with a reason."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from course.trainer.collect import collect_exchange, collect_files, module_from_name
from course.trainer.course_dir import CourseDir, GradingOptions
from course.trainer.feedback import generate_feedback, release_feedback
from course.trainer.grade import grade_cohort
from course.trainer.ledger import folder_checksum
from course.trainer.synthetic import learner_copy

from fixtures.cohort import MODULE, OTHER_MODULE, build_course


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> CourseDir:
    return build_course(tmp_path_factory.mktemp("collect") / "course")


def notebook(course: CourseDir, assignment: str, answered=None) -> str:
    nb = learner_copy(course.release(assignment) / f"{assignment}.ipynb",
                      course.source(assignment) / f"{assignment}.ipynb", answered)
    return nbformat.writes(nb)


def zipped(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def moodle_inbox(course: CourseDir, inbox: Path) -> None:
    """What a trainer downloads from Moodle, plus the strays that come with it."""
    inbox.mkdir(parents=True)
    m0, m1 = notebook(course, MODULE), notebook(course, OTHER_MODULE)
    (inbox / f"Ann Lee_1001_assignsubmission_file_{MODULE}.ipynb").write_text(m0)
    (inbox / "Bob Stone_1002_assignsubmission_file_my work.ipynb").write_text(m1)       # module told by content
    (inbox / "Bob Stone_1002_assignsubmission_file_notes.pdf").write_bytes(b"%PDF-1.4")
    (inbox / "random_notebook.ipynb").write_text(m0)                                    # no learner in the name
    inner = zipped(inbox.parent / "work.zip", {f"{OTHER_MODULE}.ipynb": m1})         # a zip inside the zip
    zipped(inbox / "bulk.zip", {
        f"Cara Diaz_1003_assignsubmission_file_/{MODULE}.ipynb": notebook(course, MODULE, []),
        f"Cara Diaz_1003_assignsubmission_file_/.ipynb_checkpoints/{MODULE}-checkpoint.ipynb": m0,
        "Dan Eze_1004_assignsubmission_file_/m9_future.ipynb": "{}",
        f"Ann Lee_1001_assignsubmission_file_/{MODULE}.ipynb": m0,                       # same file again
        "Finn Gray_1006_assignsubmission_file_/work.zip": inner.read_bytes(),
    })
    zipped(inbox / "Eve Fox_1005_assignsubmission_file_eve.zip", {
        f"{OTHER_MODULE}.ipynb": notebook(course, OTHER_MODULE, []),
        f"{MODULE} (1).ipynb": notebook(course, MODULE, ["n_tools"]),
    })


@pytest.mark.slow   # nbgrader course built and graded
def test_moodle_export_is_collected_and_strays_are_reported(course, tmp_path):
    moodle_inbox(course, tmp_path / "inbox")
    report = collect_files(course, tmp_path / "inbox", "moodle")

    placed = sorted((c.student, c.assignment) for c in report.collected)
    assert placed == [("1001", MODULE), ("1002", OTHER_MODULE), ("1003", MODULE), ("1005", MODULE),
                      ("1005", OTHER_MODULE), ("1006", OTHER_MODULE)]
    for student, assignment in placed:
        assert (course.submitted(student, assignment) / f"{assignment}.ipynb").is_file()

    reasons = {p["file"]: p["reason"] for p in report.not_collected}
    assert "not a notebook" in reasons["Bob Stone_1002_assignsubmission_file_notes.pdf"]
    assert "which learner" in reasons["random_notebook.ipynb"]
    assert "checkpoint" in reasons[f"bulk/Cara Diaz_1003_assignsubmission_file_/.ipynb_checkpoints/{MODULE}-checkpoint.ipynb"]
    assert "which module" in reasons["bulk/Dan Eze_1004_assignsubmission_file_/m9_future.ipynb"]
    assert "same file" in reasons[f"bulk/Ann Lee_1001_assignsubmission_file_/{MODULE}.ipynb"]

    extracted = course.root / report.extracted       # this collect's own folder, kept for later collects
    every_file = {str(p.relative_to(extracted)) for p in extracted.rglob("*") if p.is_file() and p.suffix != ".zip"}
    accounted = {c.file for c in report.collected} | set(reasons)
    assert every_file == accounted, "a file was dropped silently"

    with Gradebook(course.db_url) as gb:
        ann = gb.find_student("1001")
        assert (ann.first_name, ann.last_name) == ("Ann", "Lee")


@pytest.mark.slow   # nbgrader course built and graded
def test_collecting_the_same_export_again_changes_nothing(course, tmp_path):
    moodle_inbox(course, tmp_path / "inbox")
    collect_files(course, tmp_path / "inbox", "moodle")
    before = folder_checksum(course.submitted("1005", MODULE))
    collect_files(course, tmp_path / "inbox", "moodle")
    assert folder_checksum(course.submitted("1005", MODULE)) == before


@pytest.mark.slow   # nbgrader course built and graded
def test_canvas_names(course, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / f"leeann_2001_3001_{MODULE}.ipynb").write_text(notebook(course, MODULE))
    (inbox / f"doejohn_LATE_2002_3002_{MODULE}-1.ipynb").write_text(notebook(course, MODULE, []))
    report = collect_files(course, inbox, "canvas")
    assert sorted(c.student for c in report.collected) == ["2001", "2002"]
    assert report.not_collected == []


def test_module_names_learners_use():
    modules = [MODULE, OTHER_MODULE]
    assert module_from_name(f"{MODULE}.ipynb", modules) == MODULE
    assert module_from_name(f"{OTHER_MODULE} (2).ipynb", modules) == OTHER_MODULE
    assert module_from_name(f"{MODULE}-1.ipynb", modules) == MODULE
    assert module_from_name("Untitled.ipynb", modules) is None


@pytest.mark.slow   # nbgrader course built and graded
def test_exchange_submissions_are_collected(course, tmp_path):
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default.submit import ExchangeSubmit
    from traitlets.config import Config

    from course.nbgrader_course import checked

    exchange = tmp_path / "exchange"
    exchange.mkdir()
    course = CourseDir(course.root, GradingOptions(extra={"Exchange.root": str(exchange)}))
    checked(course.api().release_assignment(MODULE), "release")
    for student in ("ann", "bob"):
        home = tmp_path / student
        shutil.copytree(course.release(MODULE), home / MODULE)
        (home / MODULE / f"{MODULE}.ipynb").write_text(notebook(course, MODULE))
        c = Config(course.config)
        c.CourseDirectory.student_id = student
        c.CourseDirectory.assignment_id = MODULE
        c.Exchange.assignment_dir = str(home)
        submit = ExchangeSubmit(coursedir=CourseDirectory(config=c), authenticator=Authenticator(config=c), config=c)
        submit.start()
    stray = exchange / course.coursedir.course_id / "inbound" / "cara+m9_future+2026-01-01 00:00:00.000000 UTC+abc"
    stray.mkdir()

    report = collect_exchange(course, [MODULE])
    assert sorted((c.student, c.assignment, c.via) for c in report.collected) == [
        ("ann", MODULE, "exchange"), ("bob", MODULE, "exchange")]
    assert [p["file"] for p in report.not_collected] == [stray.name]
    assert (course.submitted("ann", MODULE) / "timestamp.txt").is_file()

    # ... and the feedback goes back the same way (a learner collected from files cannot get it so).
    (course.submitted("carl", MODULE)).mkdir(parents=True)
    (course.submitted("carl", MODULE) / f"{MODULE}.ipynb").write_text(notebook(course, MODULE, []))
    learners = ["ann", "bob", "carl"]
    run = grade_cohort(course, [MODULE], students=learners, workers=2, progress=False)
    assert sorted(o.job.student for o in run.with_status("graded")) == learners
    assert auto_total(course, "ann") == 3.0 and auto_total(course, "carl") == 0.0
    held = generate_feedback(course, [MODULE], students=learners, workers=2, progress=False)
    # ann's and bob's written answers wait for a hand grade; carl left his blank (nbgrader scores it 0)
    assert [p.parent.parent.name for p in held.made] == ["carl"] and len(held.held) == 2, held.summary()
    generate_feedback(course, [MODULE], students=learners, workers=2, progress=False, anyway=True)
    released, skipped = release_feedback(course, [MODULE], students=learners)
    assert released == [] and sorted(j.student for j, why in skipped if "not final" in why) == ["ann", "bob"]
    released, skipped = release_feedback(course, [MODULE], students=learners, anyway=True)
    assert sorted(j.student for j in released) == ["ann", "bob"]
    assert [(j.student, "platform" in why) for j, why in skipped] == [("carl", True)]
    assert len(list((exchange / course.coursedir.course_id / "feedback").glob("*.html"))) == 2


def auto_total(course, student) -> float:
    with Gradebook(course.db_url) as gb:
        return gb.find_submission(MODULE, student).score
