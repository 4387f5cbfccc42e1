"""Every module through the real nbgrader pipeline, for several sector profiles and seeds:
its solutions score full marks, its blank release zero, and one wrong answer costs exactly one cell.
The same holds with variants on (a workshop with a roster, each learner graded on their own data),
for one profile and seed per module."""
from __future__ import annotations

import nbformat
import pytest

from traitlets.config import Config

from course import checks, data
from course.grading.integrity import read_flags, read_variant
from course.modules import get_module
from course.nbgrader_course import api_for, cell_scores, place_submission
from course.pipeline import source_assignments
from course.questions import bank_for
from course.questions import compile as check_files
from course.trainer import roster as rosters
from course.workshop import prepare

from conftest import Course, edit_answer

ASSIGNMENTS = source_assignments()
# Every profile appears, and two seeds: the committed datasets (retail, 2024) and three fresh builds.
COMBOS = [("retail", 2024), ("b2b_software", 7), ("bank", 2024), ("telecom", 7)]
# With variants: one combination per module, every combination used.
VARIANT_COMBOS = {a: COMBOS[(i + 1) % len(COMBOS)] for i, a in enumerate(ASSIGNMENTS)}
STUDENTS = ("solution", "blank", "wrong")


@pytest.fixture(scope="session")
def dataset_builds(tmp_path_factory):
    """Datasets for each (profile, seed), built once per test session."""
    built = {}

    def get(profile, seed):
        if (profile, seed) == (data.DEFAULT_PROFILE, data.DEFAULT_SEED):
            return None
        if (profile, seed) not in built:
            folder = tmp_path_factory.mktemp(f"data-{profile}-{seed}")
            folder.chmod(0o755)  # as a real course's data are: the grading user must read them
            check_files.build(folder, profile=profile, seed=seed)   # datasets and their check files
            built[(profile, seed)] = folder
        return built[(profile, seed)]

    return get


@pytest.fixture(scope="session")
def variant_workshops(tmp_path_factory):
    """One workshop per combination, with its modules and a roster of three learners (by platform id)."""
    built = {}

    def get(profile, seed):
        if (profile, seed) not in built:
            top = tmp_path_factory.mktemp(f"variants-{profile}-{seed}")
            top.chmod(0o755)
            roster = top / "roster.csv"
            roster.write_text("name,e-mail,platform id\n" + "".join(f"{s.title()} Learner,{s}@example.org,{s}\n"
                                                                    for s in STUDENTS))
            modules = [get_module(a) for a, combo in VARIANT_COMBOS.items() if combo == (profile, seed)]
            prepare(top / "course", profile, seed, modules, "roundtrip-variants", learners=roster)
            built[(profile, seed)] = top / "course"
        return built[(profile, seed)]

    return get


def autograded_cells(scores):
    return {k: v for k, v in scores.items() if v["cell_type"] == "code"}


def perturbation(kind, variable: str) -> str:
    """A line that turns a right answer into a plausible wrong one of the same kind, far outside its tolerance."""
    if isinstance(kind, checks.NumberSeries):
        return f"{variable} = {variable} * 2 + 1"
    if isinstance(kind, checks.LabelSet):
        return f"{variable} = sorted({variable})[1:]"
    if isinstance(kind, checks.Label):
        return f"{variable} = {variable} + ' (not this one)'"
    if isinstance(kind, checks.Share):
        return f"{variable} = {variable} / 2 if {variable} > 0.1 else {variable} + 0.3"
    if isinstance(kind, checks.Number):
        return f"{variable} = {variable} * 2 + 7"
    raise AssertionError(f"no perturbation for {kind!r}: add one here")


def wrong_submission(course_dir, assignment, out):
    """The solution notebook with its first exercise's answer made wrong; returns (path, test cell id)."""
    question = next(iter(bank_for(get_module(assignment).slug).questions.values()))
    source = nbformat.read(course_dir.source(assignment), as_version=4)
    cell = next(c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == question.id)
    edited = cell.source + "\n" + perturbation(question.kind, question.variable)
    return edit_answer(course_dir.source(assignment), question.id, edited, out), f"test_{question.id}"


@pytest.mark.slow
@pytest.mark.parametrize("profile,seed", COMBOS)
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_round_trip(course_dir, assignment, profile, seed, dataset_builds, monkeypatch, tmp_path):
    folder = dataset_builds(profile, seed)
    if folder is not None:
        monkeypatch.setenv("COURSE_DATASETS", str(folder))
    release = course_dir.generate(assignment)
    wrong, wrong_cell = wrong_submission(course_dir, assignment, tmp_path / "wrong.ipynb")
    for student, notebook in (("solution", course_dir.source(assignment)), ("blank", release), ("wrong", wrong)):
        place_submission(course_dir.root, student, assignment, notebook)
        course_dir.autograde(assignment, student)

    solution = autograded_cells(cell_scores(course_dir.root, assignment, "solution"))
    assert len(solution) >= 3
    assert {k: v["auto"] for k, v in solution.items()} == {k: v["max"] for k, v in solution.items()}

    blank = autograded_cells(cell_scores(course_dir.root, assignment, "blank"))
    assert {k: v["auto"] for k, v in blank.items()} == {k: 0 for k in solution}

    wrong_scores = autograded_cells(cell_scores(course_dir.root, assignment, "wrong"))
    expected = {k: (0 if k == wrong_cell else v["max"]) for k, v in solution.items()}
    assert {k: v["auto"] for k, v in wrong_scores.items()} == expected

    for student in ("solution", "blank", "wrong"):
        assert read_flags(course_dir.root, assignment, student) == [], student


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_round_trip_with_variants(assignment, variant_workshops, monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_DATASETS", raising=False)
    root = variant_workshops(*VARIANT_COMBOS[assignment])
    monkeypatch.chdir(root)
    course = Course.__new__(Course)
    course.root, course.api = root, api_for(root)
    release = root / "release" / assignment / f"{assignment}.ipynb"
    wrong, wrong_cell = wrong_submission(course, assignment, tmp_path / "wrong.ipynb")
    for student, notebook in zip(STUDENTS, (course.source(assignment), release, wrong)):
        place_submission(root, student, assignment, notebook)
        course.autograde(assignment, student)

    solution = autograded_cells(cell_scores(root, assignment, "solution"))
    assert len(solution) >= 3
    assert {k: v["auto"] for k, v in solution.items()} == {k: v["max"] for k, v in solution.items()}
    blank = autograded_cells(cell_scores(root, assignment, "blank"))
    assert {k: v["auto"] for k, v in blank.items()} == {k: 0 for k in solution}
    wrong_scores = autograded_cells(cell_scores(root, assignment, "wrong"))
    assert {k: v["auto"] for k, v in wrong_scores.items()} == {k: (0 if k == wrong_cell else v["max"])
                                                               for k, v in solution.items()}
    keys = {x.student: x.key for x in rosters.load(root).learners}
    for student in STUDENTS:   # each graded clean, on their own data
        assert read_flags(root, assignment, student) == [], student
        assert read_variant(root / "integrity", assignment, student) == {"key": keys[student], "how": "roster"}


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_holds_no_solution_and_no_hidden_test(course_dir, assignment):
    release = course_dir.generate(assignment)
    text = release.read_text(encoding="utf-8")
    source = nbformat.read(course_dir.source(assignment), as_version=4)
    assert "HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            solution = cell.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
            for line in solution.strip().splitlines():
                assert line.strip() not in text, f"solution line leaked into the release: {line!r}"


def plain_nbgrader_course(root):
    """A course directory with nbgrader's own defaults: none of the kit's preprocessors or settings."""
    c = Config()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"
    course = Course.__new__(Course)
    course.root, course.api = root, api_for(root, config=c)
    return course


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ["m0_orientation", "m1_tool_overload"])
def test_nbgraders_default_pipeline_grades_as_the_kit_does(assignment, tmp_path, monkeypatch):
    """Plain `nbgrader autograde` (checks raise NotYetRight in the learner's kernel) gives the kit's scores."""
    monkeypatch.delenv("COURSE_DATASETS", raising=False)
    scores = {}
    for name, course in (("kit", Course(tmp_path / "kit")), ("plain", plain_nbgrader_course(tmp_path / "plain"))):
        course.root.mkdir(exist_ok=True)
        monkeypatch.chdir(course.root)
        release = course.generate(assignment)
        wrong, _ = wrong_submission(course, assignment, tmp_path / f"{name}-wrong.ipynb")
        for student, notebook in (("solution", course.source(assignment)), ("blank", release), ("wrong", wrong)):
            place_submission(course.root, student, assignment, notebook)
            course.autograde(assignment, student)
        scores[name] = {s: {k: v["auto"] for k, v in autograded_cells(cell_scores(course.root, assignment, s)).items()}
                        for s in ("solution", "blank", "wrong")}
        graded = (course.root / "autograded" / "solution" / assignment / f"{assignment}.ipynb").read_text()
        # only the kit's judge writes this; plain nbgrader keeps what the learner's kernel printed
        assert ("Passed the grader" in graded) == (name == "kit"), name
    assert scores["plain"] == scores["kit"]
    full, blank, wrong = (scores["kit"][s] for s in ("solution", "blank", "wrong"))
    assert set(full.values()) == {1.0} and set(blank.values()) == {0.0} and sorted(wrong.values()).count(0.0) == 1
