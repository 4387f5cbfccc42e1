"""Every learner graded on their own data, through the real nbgrader pipeline with the kit's config.

A workshop (`course workshop --learners`) with modules 1 and 3 and two learners, Ann and Bob. Each
learner's answers, computed by the answer key on *their own* variant and typed in as values, score
full marks when they hand them in, and zero on every question where their neighbour's data give
another answer when the neighbour hands them in (copying numbers does not pay). A notebook Ann ran
on her laptop and Bob handed in is flagged: "worked on Ann's data". Plain `nbgrader autograde` in
the workshop folder, the exports and the cohort report follow the roster.
"""
from __future__ import annotations

import csv
import random
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course.data import variants as variants_data
from course.data.variants import VariantData
from course.grading import variants as grading
from course.grading.integrity import read_flags, read_variant
from course.modules import get_module
from course.nbgrader_course import cell_scores, place_submission
from course.paths import SHIPPED_DATA
from course.pipeline import execute
from course.questions import ModuleData, bank_for
from course.trainer import roster as rosters
from course.trainer.course_dir import CourseDir
from course.trainer.export import export_grades
from course.trainer.report import write_report
from course.workshop import prepare

pytestmark = pytest.mark.slow

PROFILE, SEED = "b2b_software", 11
MODULES = [get_module("tool_overload"), get_module("data_disorder")]
ANN, BOB = "1001", "1002"


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    top = tmp_path_factory.mktemp("variants-grading")
    csv_path = top / "roster.csv"
    csv_path.write_text("name,e-mail,platform id\nAnn Lee,ann@example.org,1001\nBob Ray,bob@example.org,1002\n")
    root = top / "course"
    # the personal codes (so whose data each learner gets) are random in a real workshop; fixed here, so
    # "the variants really differ" below is a fact about these two learners, not a draw (with random
    # codes, module 3 gave a copier 4 of 7 marks about once in a few dozen runs)
    with pytest.MonkeyPatch.context() as patch:
        draws = random.Random(20261202)
        patch.setattr(variants_data.secrets, "randbelow", lambda n: draws.randrange(n))
        prepare(root, PROFILE, SEED, MODULES, "test-variants", learners=csv_path)
    roster = rosters.load(root)
    return root, {x.student: x for x in roster.learners}


def their_data(learner) -> ModuleData:
    return ModuleData(VariantData(PROFILE, SEED, learner.key).frame)


def literal(kind_plain) -> str:
    """Python source that gives this plain answer back (what a learner types who copies the numbers)."""
    if isinstance(kind_plain, dict):
        return f"pd.Series({kind_plain['values']!r}, index={kind_plain['index']!r}, dtype=float)"
    return repr(kind_plain)


def typed_answers(root: Path, module, learner, out: Path) -> Path:
    """The module's solution, each answer then set to its value on `learner`'s data, typed in."""
    bank = bank_for(module.slug)
    data = their_data(learner)
    nb = nbformat.read(root / "source" / module.assignment / module.notebook, as_version=4)
    for cell in nb.cells:
        question = bank.questions.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
        if question is not None and cell.cell_type == "code":
            value = literal(question.expected_plain(data))
            cell.source += f"\nimport pandas as pd\n{question.variable} = {value}\n"
    nbformat.write(nb, out)
    return out


def autograde(root: Path, module, student: str) -> dict:
    """The trainer's plain `nbgrader autograde` in the workshop folder (the kit's nbgrader_config.py)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for name in ("COURSE_DATASETS", "COURSE_LEARNER", "JUPYTERHUB_USER"):
        env.pop(name, None)
    done = subprocess.run(["nbgrader", "autograde", module.assignment, "--student", student, "--force"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    scores = cell_scores(root, module.assignment, student)
    return {k: v["auto"] for k, v in scores.items() if v["cell_type"] == "code"}


def deserved(module, answers_of, graded_as) -> dict:
    """What each test cell deserves, the key says: the typed answers judged on the grader's learner's data."""
    bank, mine, theirs = bank_for(module.slug), their_data(answers_of), their_data(graded_as)
    return {f"test_{qid}": float(q.judge(q.expected_plain(mine), theirs).passed) for qid, q in bank.questions.items()}


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.assignment)
def test_each_learners_answers_score_full_marks_on_their_data_and_zero_on_their_neighbours(workshop, module, tmp_path):
    root, learners = workshop
    ann, bob = learners[ANN], learners[BOB]
    notebook = typed_answers(root, module, ann, tmp_path / "ann.ipynb")
    place_submission(root, ANN, module.assignment, notebook)
    mine = autograde(root, module, ANN)
    assert len(mine) >= 3 and set(mine.values()) == {1.0}, mine
    assert read_flags(root, module.assignment, ANN) == []
    assert read_variant(root / "integrity", module.assignment, ANN) == {"key": ann.key, "how": "roster"}

    place_submission(root, BOB, module.assignment, notebook)            # Bob hands in Ann's numbers
    copied = autograde(root, module, BOB)
    want = deserved(module, ann, bob)
    assert copied == want
    assert list(want.values()).count(0.0) > len(want) / 2, want         # the variants really differ
    assert read_variant(root / "integrity", module.assignment, BOB) == {"key": bob.key, "how": "roster"}


def test_a_notebook_run_on_another_learners_data_is_flagged(workshop, tmp_path):
    """Ann runs her notebook on her laptop (her code saved by use_code); Bob hands in her file."""
    root, learners = workshop
    ann, bob = learners[ANN], learners[BOB]
    module = MODULES[0]
    laptop = tmp_path / "laptop" / module.assignment
    laptop.mkdir(parents=True)
    (laptop / SHIPPED_DATA).symlink_to(root / "release" / module.assignment / SHIPPED_DATA)
    xdg = tmp_path / "xdg" / "back-to-the-field"
    xdg.mkdir(parents=True)
    (xdg / "learner.json").write_text(json.dumps({"code": ann.code}))
    env = {k: v for k, v in os.environ.items() if k not in ("COURSE_DATASETS", "COURSE_LEARNER", "JUPYTERHUB_USER")}
    ran, report = execute(typed_answers(root, module, ann, laptop / module.notebook),
                          env={**env, "XDG_DATA_HOME": str(xdg.parent)})
    boxes = [o["data"] for c in ran.cells for o in c.get("outputs", []) if "application/vnd.course.variant+json" in
             o.get("data", {})]
    assert boxes and all(b["application/vnd.course.variant+json"]["learner"] == ann.code for b in boxes)
    nbformat.write(ran, laptop / module.notebook)

    place_submission(root, BOB, module.assignment, laptop / module.notebook)
    assert autograde(root, module, BOB) == deserved(module, ann, bob)
    assert grading.WORKED_ON_OTHER.format(name="Ann Lee", key=ann.code) in read_flags(root, module.assignment, BOB)

    place_submission(root, ANN, module.assignment, laptop / module.notebook)
    assert set(autograde(root, module, ANN).values()) == {1.0}
    assert read_flags(root, module.assignment, ANN) == []

    # the trainer's exports and cohort report say whose data each learner was graded on
    course = CourseDir(root)
    csv_path, _ = export_grades(course)
    rows = {r["learner"]: r for r in csv.DictReader(csv_path.open(encoding="utf-8"))}
    assert {s: rows[s]["variant"] for s in (ANN, BOB)} == {ANN: ann.key, BOB: bob.key}
    section = write_report(course).read_text(encoding="utf-8").split('id="variants"')[1]
    assert ann.key in section and bob.key in section


def test_the_trainers_parallel_grading_grades_each_learner_on_their_own_data(workshop, tmp_path):
    """`course grade` (worker processes, each in a scratch course) reads the real course's roster."""
    from course.trainer.grade import grade_cohort

    root, learners = workshop
    ann, bob = learners[ANN], learners[BOB]
    module = MODULES[0]
    notebook = typed_answers(root, module, bob, tmp_path / "bob.ipynb")   # Bob's own numbers, this time
    for student in (ANN, BOB):
        place_submission(root, student, module.assignment, notebook)
    run = grade_cohort(CourseDir(root), [module.assignment], [ANN, BOB], workers=2, force=True, progress=False)
    assert sorted(o.status for o in run.outcomes) == ["graded", "graded"], run.summary()
    scores = {s: {k: v["auto"] for k, v in cell_scores(root, module.assignment, s).items() if v["cell_type"] == "code"}
              for s in (ANN, BOB)}
    assert set(scores[BOB].values()) == {1.0} and scores[ANN] == deserved(module, bob, ann)
    assert read_variant(root / "integrity", module.assignment, ANN) == {"key": ann.key, "how": "roster"}
