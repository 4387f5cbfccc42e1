"""Parallel grading through the real nbgrader: hostile submissions graded in one run with honest ones,
the same grades as sequential `nbgrader autograde`, and re-grades that keep what the trainer typed."""
from __future__ import annotations

import json
import os
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook, MissingEntry

from course.grading.integrity import read_flags
from course.nbgrader_course import cell_scores
from course.trainer.compare import differences, gradebook_state, integrity_state, sequential_autograde
from course.trainer.course_dir import CourseDir, GradingOptions
from course.trainer.grade import grade_cohort
from course.trainer.worker import failure_reason, run_notes

from fixtures.cohort import CASES, MODULE, OTHER_MODULE, answered, build_course, place

# One worker grades the module's cohort once (split across two workers, each built it: about 95 s each).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("trainer-grading-cohort")]

# Short limits keep the infinite loop cheap; generous enough for a loaded 2-core machine.
OPTIONS = GradingOptions(cell_timeout=20, notebook_timeout=240)


def auto_scores(root, assignment, student) -> dict:
    """The autograded (code) test cells' scores of one submission."""
    return {k: v["auto"] or 0.0 for k, v in cell_scores(root, assignment, student).items() if v["cell_type"] == "code"}


@pytest.fixture(scope="module")
def robustness(tmp_path_factory):
    """One course, one grading run: every hostile case and three honest learners together."""
    course = build_course(tmp_path_factory.mktemp("robust") / "course", options=OPTIONS)
    for case in CASES:
        place(course.root, case)
    run = grade_cohort(course, [MODULE], workers=2, progress=False)
    return course, run, {o.job.student: o for o in run.outcomes}


def test_every_submission_is_accounted_for(robustness):
    course, run, outcomes = robustness
    assert sorted(outcomes) == sorted(c.student for c in CASES)
    assert not run.with_status("failed"), run.summary()
    assert (course.root / "gradebook.db").exists()


@pytest.mark.parametrize("case", CASES, ids=[c.student for c in CASES])
def test_case_is_graded_or_rejected_as_it_should(robustness, case):
    course, run, outcomes = robustness
    outcome = outcomes[case.student]
    if case.rejected:
        assert outcome.status == "rejected", outcome
        assert case.rejected in outcome.reason
        with Gradebook(course.db_url) as gb, pytest.raises(MissingEntry):
            gb.find_submission(MODULE, case.student)
        return
    assert outcome.status == "graded", (outcome.reason, outcome.log_tail)
    assert auto_scores(course.root, MODULE, case.student) == case.expected, case.why
    if case.finding:
        said = " ".join(outcome.notes + read_flags(course.root, MODULE, case.student))
        assert case.finding in said, said
    if case.student.startswith("honest"):
        assert outcome.notes == [], outcome.notes
    if case.clean:
        assert read_flags(course.root, MODULE, case.student) == [], case.why
        with Gradebook(course.db_url) as gb:
            assert not gb.find_submission_notebook(MODULE, MODULE, case.student).flagged, case.why


def graded_notebook(course, student):
    return nbformat.read(course.autograded(student, MODULE) / f"{MODULE}.ipynb", as_version=4)


def test_no_active_content_is_kept_in_graded_notebooks(robustness):
    course, _, _ = robustness
    nb = graded_notebook(course, "script_outputs")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    kept = json.dumps(outputs)
    assert "bold stays" in kept and "after" in kept, "control: harmless HTML is kept"
    for active in ("<script", "onerror", "onload", "javascript:", "iframe", "example.invalid", "isolated"):
        assert active not in kept, active
    mimes = {m for o in outputs for m in o.get("data", {})}
    assert not {m for m in mimes if "javascript" in m or "widget" in m}, mimes
    assert "widgets" not in nb.metadata


def test_floods_are_cut_while_they_arrive_and_the_cell_says_so(robustness):
    course, _, outcomes = robustness
    path = course.autograded("flood_outputs", MODULE) / f"{MODULE}.ipynb"
    assert path.stat().st_size < 12 * 2**20, path.stat().st_size       # 460 MB were sent
    shown = json.dumps([o for c in graded_notebook(course, "flood_outputs").cells for o in c.get("outputs", [])])
    assert "did not keep this output" in shown and "40.0 MB" in shown
    assert any("not kept" in n for n in outcomes["flood_outputs"].notes)


def test_payloads_end_as_graded_zeros_with_a_plain_reason(robustness):
    course, _, outcomes = robustness
    for student, cell in (("big_int", "test_n_tools"), ("colliding_labels", "test_most_expensive_tool"),
                          ("deep_list", "test_median_cost")):
        assert outcomes[student].status == "graded", outcomes[student].reason
        test = next(c for c in graded_notebook(course, student).cells
                    if c.metadata.get("nbgrader", {}).get("grade_id") == cell)
        said = " ".join(o.get("evalue", "") for o in test.outputs)
        assert said and "grader's own test failed" not in said, (student, said)


def test_working_copy_is_the_trainers_and_writable_by_no_one_else(robustness):
    course, _, _ = robustness
    folder = course.autograded("world_writable", MODULE)
    assert (folder / "shared" / "note.txt").read_text() == "left behind"
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        assert info.st_uid == os.geteuid(), path
        assert not info.st_mode & 0o022, (path, oct(info.st_mode))


def test_rejections_say_why_in_plain_words(robustness):
    _, run, outcomes = robustness
    assert "empty" in outcomes["empty_file"].reason
    assert "not valid JSON" in outcomes["invalid_json"].reason
    assert OTHER_MODULE in outcomes["wrong_module"].reason and "not graded" in outcomes["wrong_module"].reason
    summary = run.summary()
    for student in ("empty_file", "invalid_json", "wrong_module"):
        assert f"REJECTED {MODULE} / {student}" in summary


def test_hostile_notebooks_are_stopped_and_reported(robustness):
    course, _, outcomes = robustness
    assert any("time limit" in n for n in outcomes["infinite_loop"].notes), outcomes["infinite_loop"].notes
    bomb = nbformat.read(course.autograded("memory_bomb", MODULE) / f"{MODULE}.ipynb", as_version=4)
    errors = [o.ename for c in bomb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert "MemoryError" in errors or "DeadKernelError" in errors or "died" in " ".join(
        read_flags(course.root, MODULE, "memory_bomb"))
    assert any("edited" in n for n in outcomes["edited_test_cell"].notes)
    assert any("deleted" in n and "test_median_cost" in n for n in outcomes["deleted_test_cell"].notes)


def test_grader_attack_reaches_nothing(robustness):
    course, _, _ = robustness
    graded = nbformat.read(course.autograded("grader_attack", MODULE) / f"{MODULE}.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in graded.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "ATTACK REPORT" in text
    assert (course.root / "gradebook.db").exists() and (course.root / "source" / MODULE).is_dir()
    from course.grading import sandbox
    if not sandbox.bwrap_status()[0]:
        pytest.skip("SANDBOX PROTECTION UNAVAILABLE: without bubblewrap a kernel can read what its user can")
    assert "DELETED" not in text and "READ " not in text, text[:2000]


def test_feedback_pages_for_graded_learners(robustness):
    from course.trainer.feedback import generate_feedback

    course, _, _ = robustness
    learners = ["honest_all", "os_exit", "empty_file", "script_outputs"]
    held = generate_feedback(course, [MODULE], students=learners, workers=2, progress=False)
    assert held.made == [] and all("hand grading pending" in line for line in held.held), held.summary()
    run = generate_feedback(course, [MODULE], students=learners, workers=2,
                            progress=False, anyway=True)   # the written answer is not graded by hand here
    assert run.failed == [], run.summary()
    made = sorted(p.parent.parent.name for p in run.made)
    assert made == ["honest_all", "os_exit", "script_outputs"]   # empty_file: not graded
    page = (course.feedback("honest_all", MODULE) / f"{MODULE}.html").read_text(encoding="utf-8")
    assert "Passed the grader" in page and "Score" in page
    assert "course-figures-" in page and "data-course-figure" in page, "the module's figure is drawn in feedback"
    hostile = (course.feedback("script_outputs", MODULE) / f"{MODULE}.html").read_text(encoding="utf-8")
    # the learner's scripts never become script elements: the page has the same ones as an honest page
    assert hostile.count("<script") == page.count("<script"), (hostile.count("<script"), page.count("<script"))


def test_parallel_grades_equal_sequential_nbgrader(tmp_path):
    """The same submissions graded by the trainer (2 workers) and by plain nbgrader, one by one."""
    cohort = [(MODULE, "all", answered()), (MODULE, "partial", answered(["median_cost"])),
              (MODULE, "blank", answered([])), (OTHER_MODULE, "all", None), (OTHER_MODULE, "some", ["shelfware"])]
    parallel = build_course(tmp_path / "parallel", options=OPTIONS)
    for assignment, student, build in cohort:
        _place_any(parallel, assignment, student, build)
    sequential_root = tmp_path / "sequential"
    shutil.copytree(parallel.root, sequential_root)
    sequential = CourseDir(sequential_root, OPTIONS)

    run = grade_cohort(parallel, workers=2, progress=False)
    assert len(run.with_status("graded")) == len(cohort), run.summary()
    sequential_autograde(sequential, [(a, s) for a, s, _ in cohort])

    assert differences(gradebook_state(parallel.db_url), gradebook_state(sequential.db_url)) == []
    assert integrity_state(parallel.root / "integrity") == integrity_state(sequential_root / "integrity")
    # what learners and trainers see is the same too: `course grade` forks each kernel from its worker's
    # zygote (when the whole sandbox is on), nbgrader starts a new one
    for assignment, student, _ in cohort:
        assert graded_outputs(parallel, assignment, student) == graded_outputs(sequential, assignment, student)
    assert auto_scores(parallel.root, MODULE, "all") == {"test_n_tools": 1, "test_most_expensive_tool": 1,
                                                         "test_median_cost": 1}


def graded_outputs(course, assignment: str, student: str) -> str:
    """A graded notebook's outputs, each cell's stream messages joined (one print may arrive as one
    message or two, depending on when the kernel flushed)."""
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    path = course.root / "autograded" / student / assignment / f"{assignment}.ipynb"
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nbformat.read(path, as_version=4), {})
    return json.dumps([cell.get("outputs", []) for cell in nb.cells], sort_keys=True)


def _place_any(course, assignment, student, build):
    """A learner copy of any module: `build` is a cohort recipe (module 0) or the answered ids (module 1)."""
    from course.trainer.synthetic import learner_copy

    if assignment == MODULE:
        data = build(course.root)
    else:
        nb = learner_copy(course.release(assignment) / f"{assignment}.ipynb",
                          course.source(assignment) / f"{assignment}.ipynb", build)
        data = nbformat.writes(nb).encode()
    folder = course.submitted(student, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{assignment}.ipynb").write_bytes(data)
    (folder / "timestamp.txt").write_text("2026-01-01 12:00:00.000000 UTC")


def test_regrade_grades_only_changes_and_keeps_hand_grades(robustness, tmp_path):
    source, _, _ = robustness
    root = tmp_path / "course"
    shutil.copytree(source.root, root)
    course = CourseDir(root, OPTIONS)

    again = grade_cohort(course, [MODULE], workers=2, progress=False)
    assert again.outcomes == [] and len(again.unchanged) == len(CASES)

    with Gradebook(course.db_url) as gb:
        written = gb.find_grade("first_look", MODULE, MODULE, "honest_partial")
        written.manual_score, written.extra_credit = 1.5, 0.5
        override = gb.find_grade("test_n_tools", MODULE, MODULE, "honest_partial")
        override.manual_score = 0.25
        comment = gb.find_comment("most_expensive_tool", MODULE, MODULE, "honest_partial")
        comment.manual_comment = "Sort by annual_cost first."
        gb.db.commit()

    place(course.root, next(c for c in CASES if c.student == "honest_partial"),
          timestamp="2026-01-02 09:30:00.000000 UTC")   # a resubmission: the same notebook, a new time
    run = grade_cohort(course, [MODULE], workers=2, progress=False)
    assert [(o.job.student, o.job.why, o.status) for o in run.outcomes] == [("honest_partial", "changed", "graded")]

    with Gradebook(course.db_url) as gb:
        written = gb.find_grade("first_look", MODULE, MODULE, "honest_partial")
        assert (written.manual_score, written.extra_credit) == (1.5, 0.5)
        override = gb.find_grade("test_n_tools", MODULE, MODULE, "honest_partial")
        assert (override.auto_score, override.manual_score, override.needs_manual_grade) == (1.0, 0.25, True)
        comment = gb.find_comment("most_expensive_tool", MODULE, MODULE, "honest_partial")
        assert comment.manual_comment == "Sort by annual_cost first."
        assert gb.find_submission(MODULE, "honest_partial").timestamp.day == 2


def test_failure_reason_and_run_notes_read_nbgrader_output(tmp_path):
    log = ("[ERROR] There was an error processing assignment\nTraceback...\n"
           "nbformat.reader.NotJSONError: Notebook does not appear to be JSON: ''\n"
           "nbgrader.converters.base.NbGraderException: Please see the above traceback\n")
    assert failure_reason(log) == "NotJSONError: Notebook does not appear to be JSON: ''"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x"), nbformat.v4.new_code_cell("y")])
    nb.cells[0].outputs = [nbformat.v4.new_output("error", ename="CellTimeoutError", evalue="", traceback=[])]
    nb.cells[1].outputs = [nbformat.v4.new_output("error", ename="DeadKernelError", evalue="exited with code 3",
                                                  traceback=[])]
    nbformat.write(nb, tmp_path / "m.ipynb")
    assert run_notes(tmp_path) == ["cell #1 ran past the per-cell time limit and was stopped",
                                   "the kernel died in cell #2: exited with code 3"]


def test_a_kernel_that_cannot_start_is_a_failed_job_then_retried(robustness, tmp_path):
    """Not a graded zero: nothing is written to the gradebook, and --retry-failed grades it."""
    import dataclasses

    source, _, _ = robustness
    root = tmp_path / "course"
    shutil.copytree(source.root, root)
    place(root, next(c for c in CASES if c.student == "honest_all"), timestamp="2026-01-03 09:00:00.000000 UTC")
    starved = dataclasses.replace(OPTIONS, extra={"SandboxedKernelManager.max_processes": 2})
    run = grade_cohort(CourseDir(root, starved), [MODULE], students=["honest_all"], workers=1, progress=False)
    [failed] = run.outcomes
    assert failed.status == "failed" and "could not start" in failed.reason and "--retry-failed" in failed.reason
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        assert gb.find_submission(MODULE, "honest_all").timestamp.day == 1, "the failed run wrote nothing"
    again = grade_cohort(CourseDir(root, OPTIONS), [MODULE], retry_failed=True, workers=1, progress=False)
    assert [(o.job.student, o.status) for o in again.outcomes] == [("honest_all", "graded")]
    assert auto_scores(root, MODULE, "honest_all") == {"test_n_tools": 1.0, "test_most_expensive_tool": 1.0,
                                                       "test_median_cost": 1.0}


def test_a_regrade_clears_a_flag_its_evidence_no_longer_gives(robustness, tmp_path):
    source, _, _ = robustness
    root = tmp_path / "course"
    shutil.copytree(source.root, root)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        assert gb.find_submission_notebook(MODULE, MODULE, "helper_cheat").flagged, "control: flagged at first"
    cheat = next(c for c in CASES if c.student == "helper_cheat")
    place(root, dataclasses_replace(cheat, files={"helper.py": "def answer():\n    return None\n"}),
          timestamp="2026-01-04 09:00:00.000000 UTC")
    run = grade_cohort(CourseDir(root, OPTIONS), [MODULE], students=["helper_cheat"], force=True, workers=1,
                       progress=False)
    assert [o.status for o in run.outcomes] == ["graded"], run.summary()
    assert read_flags(root, MODULE, "helper_cheat") == []
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        assert not gb.find_submission_notebook(MODULE, MODULE, "helper_cheat").flagged
    from course.trainer.export import grade_table
    row = next(r for r in grade_table(CourseDir(root, OPTIONS), [MODULE]).rows if r["learner"] == "helper_cheat")
    assert row["integrity_flags"] == "", row["integrity_flags"]


def dataclasses_replace(case, **changes):
    import dataclasses
    return dataclasses.replace(case, **changes)
