"""Benchmark: what the trainer's bookkeeping costs for a large cohort, with no kernel running.

Builds a course (modules 0 and 1), a Moodle download of N learners' module-0 notebooks, and times
`course collect` on it; then fills the gradebook as autograde would (auto scores through nbgrader's
Gradebook API, autograded copies, ledger entries), gives a fifth of the learners a hand grade, and
times what reads it all back: the grading states, `course grade --dry-run` (the plan and the grader
fingerprints), each export format and the report. Prints seconds per step and per learner.

    python benchmarks/trainer_outputs.py                  # 200 learners
    python benchmarks/trainer_outputs.py --learners 30
"""
from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course.cli import main  # noqa: E402
from course.nbgrader_course import checked, ensure_tools_on_path, stage_source  # noqa: E402
from course.paths import solutions_dir  # noqa: E402
from course.trainer.course_dir import open_course  # noqa: E402
from course.trainer.ledger import Ledger, folder_checksum, grader_fingerprint  # noqa: E402
from course.trainer.states import cohort_states  # noqa: E402
from course.trainer.synthetic import learner_copy  # noqa: E402
from course.trainer.worker import Job, Outcome  # noqa: E402

MODULES = ("m0_orientation", "m1_tool_overload")


def timed(label: str, results: list, fn, *args):
    start = time.perf_counter()
    value = fn(*args)
    results.append((label, time.perf_counter() - start))
    return value


def quiet(*argv) -> int:
    """One `course` command, its output swallowed; its exit code."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main([str(a) for a in argv])


def moodle_zip(root: Path, inbox: Path, learners: int) -> None:
    import nbformat

    a = MODULES[0]
    data = nbformat.writes(learner_copy(root / "release" / a / f"{a}.ipynb", root / "source" / a / f"{a}.ipynb"))
    inbox.mkdir(parents=True)
    with zipfile.ZipFile(inbox / "submissions.zip", "w") as archive:
        for i in range(learners):
            info = zipfile.ZipInfo(f"Learner {i:04d}_{10000 + i}_assignsubmission_file_/{a}.ipynb",
                                   date_time=(2026, 1, 2, 9, i % 60, 0))
            archive.writestr(info, data)


def fill_gradebook(course, learners: int) -> None:
    """What autograde leaves behind, written through nbgrader's API: scores, autograded copies, ledger."""
    from nbgrader.api import Gradebook

    a = MODULES[0]
    ledger, fingerprint = Ledger.load(course), grader_fingerprint(course, a)
    with Gradebook(course.db_url) as gb:
        for i in range(learners):
            student = str(10000 + i)
            gb.add_submission(a, student)
            for grade in gb.find_submission_notebook(a, a, student).grades:
                if grade.cell.cell_type == "code":
                    grade.auto_score = grade.max_score if i % 3 else 0.0
                elif i % 5 == 0:
                    grade.manual_score = 1.0
            target = course.autograded(student, a)
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(course.submitted(student, a) / f"{a}.ipynb", target / f"{a}.ipynb")
            ledger.record(Outcome(Job(a, student, folder_checksum(course.submitted(student, a))), "graded"), fingerprint)
        gb.db.commit()
    ledger.save()


def run(learners: int) -> None:
    ensure_tools_on_path()
    top = Path(tempfile.mkdtemp(prefix="trainer-bench-"))
    try:
        root = top / "course"
        root.mkdir()
        course = open_course(root)
        for a in MODULES:
            stage_source(root, a, solutions_dir())
            checked(course.api().generate_assignment(a, force=True, create=True), f"generate {a}")
        moodle_zip(root, top / "inbox", learners)
        results: list[tuple[str, float]] = []
        assert timed("course collect (Moodle zip)", results, quiet, "collect", "0", "--from", top / "inbox",
                     "--timezone", "UTC", "--course-dir", root) == 0
        timed("fill the gradebook (setup, not timed below)", results, fill_gradebook, course, learners)
        timed("grading states (cohort_states)", results, cohort_states, open_course(root), list(MODULES))
        assert timed("course grade --dry-run", results, quiet, "grade", "--dry-run", "--course-dir", root) == 0
        for fmt in ("kit", "canvas", "moodle", "nbgrader"):
            assert timed(f"course export --format {fmt}", results, quiet, "export", "--format", fmt,
                         "--course-dir", root) == 0
        assert timed("course report", results, quiet, "report", "--course-dir", root) == 0
        print(f"{learners} learners, modules {', '.join(MODULES)} (module 1 not released)")
        for label, seconds in results:
            print(f"  {label:45s} {seconds:7.2f} s   {1000 * seconds / learners:6.1f} ms per learner")
    finally:
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    run(parser.parse_args().learners)
