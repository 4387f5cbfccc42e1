"""Grading integrity: a learner's code cannot change how it is judged.

All cheats and several honest learners are graded in ONE run of the kit's nbgrader pipeline, honest
learners placed after cheats, so a cheat that leaks into later kernels would show in their grades.
"""
from __future__ import annotations

import os

import nbformat
import pytest

from course.grading.integrity import read_flags
from course.nbgrader_course import cell_scores, place_submission

from conftest import Course
from fixtures.cheats import CHEATS, FLAG, KEY_ATTACKS, ZERO

ASSIGNMENT = "m0_orientation"

# One worker builds the module's graded run (every cheat graded: minutes); split across two workers, each
# built it (two 300 s set-ups in one measured run).
pytestmark = pytest.mark.xdist_group("integrity-graded-run")


def with_cheat(release_path, code, out):
    """The unanswered release with `code` pasted at the top of its first answer cell."""
    nb = nbformat.read(release_path, as_version=4)
    first = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code")
    first.source = code + "\n" + first.source
    nbformat.write(nb, out)
    return out


@pytest.fixture(scope="module")
def graded_run(tmp_path_factory):
    """Grade every cheat, each followed by an honest learner, in one course directory."""
    root = tmp_path_factory.mktemp("integrity-course")
    old = os.getcwd()
    saved = {k: os.environ.get(k) for k in ("HOME", "IPYTHONDIR")}
    # Safety net for the machine running the tests: even a leak stays inside this temp folder.
    os.environ["HOME"] = str(tmp_path_factory.mktemp("grader-home"))
    os.environ["IPYTHONDIR"] = os.path.join(os.environ["HOME"], ".ipython")
    os.chdir(root)
    try:
        course = Course(root)
        release = course.generate(ASSIGNMENT)
        order, files = [], {}
        attacks = {name: code for name, (code, _) in CHEATS.items()} | {n: c for n, (c, _) in KEY_ATTACKS.items()}
        for i, (name, code) in enumerate(attacks.items()):
            notebook = with_cheat(release, code, root / f"{name}.ipynb")
            order += [(name, notebook), (f"honest_{i}", course.source(ASSIGNMENT))]
            files[name] = KEY_ATTACKS.get(name, (None, {}))[1]
        for student, notebook in order:
            submitted = place_submission(root, student, ASSIGNMENT, notebook)
            for filename, text in files.get(student, {}).items():   # e.g. a helper.py beside the notebook
                (submitted.parent / filename).write_text(text)
            course.autograde(ASSIGNMENT, student)
        yield root, [s for s, _ in order]
    finally:
        os.chdir(old)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def autograded(root, student):
    return {k: v for k, v in cell_scores(root, ASSIGNMENT, student).items() if v["cell_type"] == "code"}


@pytest.mark.slow
@pytest.mark.parametrize("cheat", list(CHEATS))
def test_cheat_scores_zero_or_is_flagged(graded_run, cheat):
    root, _ = graded_run
    _, outcome = CHEATS[cheat]
    scores = autograded(root, cheat)
    flags = read_flags(root, ASSIGNMENT, cheat)
    if ZERO in outcome:
        assert all(v["auto"] == 0 for v in scores.values()), scores
    if FLAG in outcome:
        assert flags, f"{cheat} was not flagged"
        assert all(f.endswith(".") and len(f) > 20 for f in flags), flags


def _bwrap_reason() -> str | None:
    """Why learner kernels here would not have the answer key hidden (None: they would)."""
    from course.grading import sandbox

    ok, why = sandbox.bwrap_status()
    return None if ok else why


@pytest.mark.slow
@pytest.mark.parametrize("attack", list(KEY_ATTACKS))
def test_answer_key_attacks_score_zero(graded_run, attack):
    reason = _bwrap_reason()
    if reason:
        pytest.skip(f"SANDBOX PROTECTION UNAVAILABLE: without bubblewrap a kernel can read course/questions ({reason})")
    root, _ = graded_run
    scores = autograded(root, attack)
    assert len(scores) == 3 and all(v["auto"] == 0 for v in scores.values()), scores


@pytest.mark.slow
def test_honest_learners_graded_in_the_same_run_keep_full_marks(graded_run):
    root, students = graded_run
    for student in (s for s in students if s.startswith("honest_")):
        scores = autograded(root, student)
        assert all(v["auto"] == v["max"] for v in scores.values()), (student, scores)
        assert read_flags(root, ASSIGNMENT, student) == [], student


@pytest.mark.slow
def test_flagged_submissions_are_marked_in_the_gradebook(graded_run):
    from nbgrader.api import Gradebook

    root, _ = graded_run
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        flagged = {nb.student.id for nb in gb.notebook_submissions(ASSIGNMENT, ASSIGNMENT) if nb.flagged} \
            if hasattr(gb, "notebook_submissions") else {
                s.student.id for s in gb.find_assignment(ASSIGNMENT).submissions
                for nb in s.notebooks if nb.flagged}
    expected = {name for name, (_, outcome) in CHEATS.items() if FLAG in outcome}
    assert expected <= flagged
    assert not any(s.startswith("honest_") for s in flagged)


def with_saved_check_count(source_path, qid: str, checks: int, out):
    """The solution as a learner saves it after checking `qid` with `checks` different answers."""
    from course import answers

    nb = nbformat.read(source_path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == answers.test_cell_id(qid))
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/plain": "checked", answers.CHECK_MIME: {"module": "orientation", "question": qid, "checks": checks}})]
    nbformat.write(nb, out)
    return out


@pytest.mark.slow
def test_a_question_tried_past_the_threshold_is_flagged_for_the_trainer(tmp_path, monkeypatch):
    from course.grading.integrity import CHECKS_FLAG_THRESHOLD, GUESSING

    monkeypatch.chdir(tmp_path)
    course = Course(tmp_path)
    course.generate(ASSIGNMENT)
    tries = {"at_the_threshold": CHECKS_FLAG_THRESHOLD, "past_it": CHECKS_FLAG_THRESHOLD + 1}
    for student, n in tries.items():
        place_submission(tmp_path, student, ASSIGNMENT,
                         with_saved_check_count(course.source(ASSIGNMENT), "n_tools", n, tmp_path / f"{student}.ipynb"))
        course.autograde(ASSIGNMENT, student)
    for student in tries:   # the count is evidence for the trainer, not a penalty
        assert all(v["auto"] == v["max"] for v in autograded(tmp_path, student).values()), student
    assert read_flags(tmp_path, ASSIGNMENT, "at_the_threshold") == []
    assert read_flags(tmp_path, ASSIGNMENT, "past_it") == [GUESSING.format(qid="n_tools", n=tries["past_it"])]
