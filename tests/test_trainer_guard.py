"""Trainer commands before any work (issue 17, cases 6 and 8 in part): a folder that is not a course is
refused in one sentence with no file written; modules are named as the workshop names them. Plus the
pure pieces the slow tests rely on: what an export's names say, and the grader's fingerprint."""
from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from course.cli import main
from course.paths import PACKAGE_DIR
from course.trainer.collect import PLATFORMS
from course.trainer.evidence import NAME_TIME, ZIP_TIME, Evidence, name_time, newer, newest_first
from course.trainer.ledger import kit_fingerprint

from fixtures.cohort import build_course

TRAINER_COMMANDS = [["report"], ["export"], ["export", "--format", "canvas"], ["grade"], ["grade", "--dry-run"],
                    ["feedback"], ["collect", "--from", "{inbox}"], ["collect", "--exchange"], ["run"],
                    ["publish", "0"], ["confirm", "0"]]


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("argv", TRAINER_COMMANDS, ids=lambda a: " ".join(a))
def test_trainer_commands_refuse_outside_a_course_folder(argv, tmp_path, capsys, monkeypatch):
    """Case 6: from the system's temporary folder (here: an empty one), nothing runs and nothing is written."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "Ann Lee_1001_assignsubmission_file_m0_orientation.ipynb").write_text("{}")
    here = tmp_path / "tmp"
    here.mkdir()
    monkeypatch.chdir(here)
    before = _tree(tmp_path)
    code = main([a.format(inbox=inbox) for a in argv])
    captured = capsys.readouterr()
    assert code == 2, captured
    assert captured.out == "" and captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.err.startswith(f"course: {here} is not a course folder")
    assert "--course-dir" in captured.err
    assert _tree(tmp_path) == before, "a refused command left files behind"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return build_course(tmp_path_factory.mktemp("guard") / "course")


@pytest.mark.slow   # the module fixture builds an nbgrader course
@pytest.mark.parametrize("name", ["0", "m0", "M0", "orientation", "m0_orientation"])
def test_module_arguments_accept_numbers_handles_and_names(course, name, capsys):
    """Case 8: `course grade 1` and `m1` are accepted, as `course workshop --modules 1` is."""
    assert main(["grade", name, "--dry-run", "--course-dir", str(course.root)]) == 0
    assert "would grade 0, 0 unchanged" in capsys.readouterr().out


@pytest.mark.slow   # the module fixture builds an nbgrader course
@pytest.mark.parametrize("name,says", [("m0_orientaton", "did you mean m0_orientation?"),
                                       ("orientaton", "did you mean m0_orientation?"),
                                       ("9", "is not a module"),
                                       ("3", "m3_data_disorder is not part of the course")])
def test_wrong_module_names_get_one_sentence_with_a_suggestion(course, name, says, capsys):
    assert main(["grade", name, "--course-dir", str(course.root)]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("name,student,full_name,late,upload", [
    ("obrienseán_LATE_2002_5002_m0_orientation-1.ipynb", "2002", "obrienseán", "LATE", "5002"),
    ("müllerzoé_2001_5001_m0_orientation.ipynb", "2001", "müllerzoé", None, "5001"),
    ("o'neillmary_2003_5003_m0_orientation.ipynb", "2003", "o'neillmary", None, "5003"),
    ("van_der_berg_2004_5004_m0_orientation.ipynb", "2004", "van_der_berg", None, "5004"),
    ("anon_x1Y2z_5005_m0_orientation.ipynb", "anon_x1Y2z", None, None, "5005"),
    ("LATE_anon_x1Y2z_5006_m0_orientation.ipynb", "anon_x1Y2z", None, "LATE", "5006"),
])
def test_canvas_names_with_accents_apostrophes_and_late_marks(name, student, full_name, late, upload):
    """Case 9: Canvas's download names, as its ContentZipper writes them, and as renamed by hand."""
    import re

    found = re.match(PLATFORMS["canvas"], f"/tmp/extracted/submissions/{name}").groupdict()
    assert (found["student_id"], found["full_name"], found["late"], found["upload_id"]) == (student, full_name, late, upload)
    assert found["file_id"].startswith("m0_orientation")


def test_moodle_names_with_accents_and_apostrophes():
    import re

    found = re.match(PLATFORMS["moodle"], "/x/Seán O'Brien_1002_assignsubmission_file_/m0_orientation (1).ipynb")
    assert found["full_name"] == "Seán O'Brien" and found["student_id"] == "1002"
    assert found["file_id"] == "m0_orientation (1).ipynb"


def test_times_in_names_and_which_version_is_newer():
    assert name_time("Ann Lee_1001_assignsubmission_file_2026-01-02 09.30_m0.ipynb") == datetime(2026, 1, 2, 9, 30)
    assert name_time("obrienseán_LATE_2002_20260102_0930_m0.ipynb") is None      # numbers, not a date
    zip_old = Evidence(datetime(2026, 1, 1, 10, tzinfo=timezone.utc).isoformat(), ZIP_TIME, position=2)
    zip_new = Evidence(datetime(2026, 1, 2, 9, 30, tzinfo=timezone.utc).isoformat(), ZIP_TIME, position=1)
    named = Evidence(datetime(2026, 1, 3, tzinfo=timezone.utc).isoformat(), NAME_TIME)
    assert newer(zip_new, zip_old) is True and newer(zip_old, zip_new) is False and newer(named, zip_new) is True
    assert newer(Evidence(upload_id=7), Evidence(upload_id=3)) is True
    assert newer(Evidence(position=9), Evidence(position=1)) is None                 # order alone proves nothing
    ordered, told = newest_first([zip_old, zip_new], lambda e: e)
    assert ordered == [zip_new, zip_old] and "2026-01-02 09:30 UTC" in told
    _, told = newest_first([Evidence(position=1), Evidence(position=2)], lambda e: e)
    assert told == ""


def _copy_kit(target: Path) -> Path:
    shutil.copytree(PACKAGE_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


def test_fingerprint_follows_a_question_the_capstone_reuses_and_ignores_presentation(tmp_path):
    """Case 5, the pure part: module 1's shelfware threshold changes the kit's grading fingerprint; the
    trainer's report code does not (the slow test proves `course grade` re-grades the capstone)."""
    original = kit_fingerprint()
    changed = _copy_kit(tmp_path / "changed" / "course")
    bank = changed / "questions" / "tool_overload.py"
    bank.write_text(bank.read_text().replace("SHELFWARE_THRESHOLD = 0.2", "SHELFWARE_THRESHOLD = 0.3"))
    assert "SHELFWARE_THRESHOLD = 0.3" in bank.read_text()
    presentation = _copy_kit(tmp_path / "presentation" / "course")
    (presentation / "trainer" / "report.py").write_text((presentation / "trainer" / "report.py").read_text() + "\n# x\n")
    assert kit_fingerprint(_copy_kit(tmp_path / "same" / "course")) == original
    assert kit_fingerprint(changed) != original
    assert kit_fingerprint(presentation) == original
