"""Every module through the real nbgrader pipeline: solutions score full marks, a blank release zero."""
from __future__ import annotations

import nbformat
import pytest

from course.grading.hidden_tests import BEGIN
from course.grading.integrity import read_flags
from course.nbgrader_course import cell_scores, place_submission
from course.pipeline import source_assignments

from conftest import edit_answer

ASSIGNMENTS = source_assignments()


def autograded_cells(scores):
    return {k: v for k, v in scores.items() if v["cell_type"] == "code"}


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_scores_full_marks(course_dir, assignment):
    course_dir.generate(assignment)
    place_submission(course_dir.root, "sol", assignment, course_dir.source(assignment))
    course_dir.autograde(assignment, "sol")
    auto = autograded_cells(cell_scores(course_dir.root, assignment, "sol"))
    assert len(auto) >= 3
    assert {k: v["auto"] for k, v in auto.items()} == {k: v["max"] for k, v in auto.items()}
    assert read_flags(course_dir.root, assignment, "sol") == []


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_release_scores_zero(course_dir, assignment):
    release = course_dir.generate(assignment)
    place_submission(course_dir.root, "blank", assignment, release)
    course_dir.autograde(assignment, "blank")
    auto = autograded_cells(cell_scores(course_dir.root, assignment, "blank"))
    assert auto and all(v["auto"] == 0 for v in auto.values()), auto
    assert read_flags(course_dir.root, assignment, "blank") == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_holds_no_solution_and_no_hidden_test(course_dir, assignment):
    release = course_dir.generate(assignment)
    text = release.read_text(encoding="utf-8")
    source = nbformat.read(course_dir.source(assignment), as_version=4)
    assert BEGIN not in text and "BEGIN SOLUTION" not in text
    assert ".judge(" not in text
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            solution = cell.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
            for line in solution.strip().splitlines():
                assert line.strip() not in text, f"solution line leaked into the release: {line!r}"


def perturbation(kind, variable: str) -> str:
    """A line that turns a right answer into a plausible wrong one of the same kind."""
    from course.questions import kinds

    if isinstance(kind, kinds.NumberSeries):
        return f"{variable} = {variable} * 2 + 1"
    if isinstance(kind, kinds.LabelSet):
        return f"{variable} = sorted({variable})[1:]"
    if isinstance(kind, kinds.Label):
        return f"{variable} = {variable} + ' (not this one)'"
    if isinstance(kind, kinds.Share):
        return f"{variable} = {variable} / 2"
    if isinstance(kind, kinds.Number):
        return f"{variable} = {variable} + 1 if {variable} else 7"
    raise AssertionError(f"no perturbation for {kind!r}")


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_one_wrong_answer_gets_partial_credit(course_dir, assignment, tmp_path):
    from course.questions import bank_for

    course_dir.generate(assignment)
    bank = bank_for(assignment.split("_", 1)[0])
    question = next(iter(bank.questions.values()))
    source = nbformat.read(course_dir.source(assignment), as_version=4)
    cell = next(c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == question.id)
    wrong = edit_answer(course_dir.source(assignment), question.id,
                        cell.source + "\n" + perturbation(question.kind, question.variable), tmp_path / "wrong.ipynb")
    place_submission(course_dir.root, "wrong", assignment, wrong)
    course_dir.autograde(assignment, "wrong")
    auto = autograded_cells(cell_scores(course_dir.root, assignment, "wrong"))
    assert auto[f"test_{question.id}"]["auto"] == 0
    others = {k: v for k, v in auto.items() if k != f"test_{question.id}"}
    assert others and all(v["auto"] == v["max"] for v in others.values()), others
