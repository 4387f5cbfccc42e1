"""`course workshop`: a workshop's sector profile and seed reach the learners with each module's release,
and the trainer's plain `nbgrader autograde` in the workshop folder judges against that same data."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course import data
from course.modules import get_module
from course.nbgrader_course import cell_scores, place_submission
from course.paths import MANIFEST, SHIPPED_DATA, datasets_dir
from course.questions import ModuleData, bank_for
from course.workshop import prepare

from conftest import edit_answer

MODULE = get_module("tool_overload")
PROFILE, SEED = "bank", 7
QUESTION = "shelfware_savings"  # a number: its expectation differs between two companies' data


def expectation(profile: str, seed: int):
    data_for = ModuleData(lambda name: data.make(name, profile, seed))
    return bank_for(MODULE.slug).get(QUESTION).expected_plain(data_for)


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    root = tmp_path_factory.mktemp("workshop") / "course"
    info = prepare(root, PROFILE, SEED, [MODULE], course_id="test-workshop")
    return root, info


@pytest.mark.slow
def test_each_release_carries_the_workshops_data(workshop, monkeypatch):
    root, info = workshop
    assert info["profile"] == PROFILE and info["modules"] == [MODULE.assignment]
    shipped = root / "release" / MODULE.assignment / SHIPPED_DATA
    manifest = json.loads((shipped / MANIFEST).read_text())
    assert (manifest["profile"], manifest["seed"]) == (PROFILE, SEED)
    assert sorted(manifest["files"]) == sorted(f"{name}.csv" for name in MODULE.datasets)
    monkeypatch.chdir(shipped.parent)  # where a learner's kernel runs
    assert datasets_dir() == shipped.resolve()
    made = data.make("stack_inventory", PROFILE, SEED)
    assert data.load("stack_inventory")["tool"].tolist() == made["tool"].tolist()
    assert data.read_manifest()["company"] == data.get_profile(PROFILE).company


def autograde(root: Path, student: str) -> dict:
    """The trainer's own command, run in the workshop folder."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("COURSE_DATASETS", None)
    done = subprocess.run(["nbgrader", "autograde", MODULE.assignment, "--student", student, "--force"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return {k: v for k, v in cell_scores(root, MODULE.assignment, student).items() if v["cell_type"] == "code"}


@pytest.mark.slow
def test_plain_nbgrader_in_the_workshop_folder_judges_with_the_workshops_data(workshop, tmp_path):
    root, _ = workshop
    assert expectation(PROFILE, SEED) != expectation(data.DEFAULT_PROFILE, data.DEFAULT_SEED)
    source = root / "source" / MODULE.assignment / MODULE.notebook
    cell = next(c for c in nbformat.read(source, as_version=4).cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == QUESTION)
    variable = bank_for(MODULE.slug).get(QUESTION).variable
    # A learner who computed on the kit's default data instead of this workshop's.
    stale = edit_answer(source, QUESTION, cell.source + f"\n{variable} = {expectation(data.DEFAULT_PROFILE, data.DEFAULT_SEED)!r}",
                        tmp_path / "stale.ipynb")
    for student, notebook in (("solution", source), ("stale", stale)):
        place_submission(root, student, MODULE.assignment, notebook)

    solution = autograde(root, "solution")
    assert solution and all(v["auto"] == v["max"] for v in solution.values()), solution
    stale_scores = autograde(root, "stale")
    assert stale_scores[f"test_{QUESTION}"]["auto"] == 0
    assert all(v["auto"] == v["max"] for k, v in stale_scores.items() if k != f"test_{QUESTION}")
