"""Shared fixtures: throwaway nbgrader course directories built from the real source notebooks."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from course import data
from course.nbgrader_course import api_for, checked, ensure_tools_on_path, stage_source
from course.paths import REPO_ROOT
from fixtures.layers import (pytest_collection_modifyitems, pytest_configure,  # noqa: F401 (hooks)
                             pytest_runtest_makereport, pytest_runtest_protocol)

ensure_tools_on_path()

pytest_plugins = ["pytester"]   # tests/test_slow_marker_guard.py runs the guard on small test files

NBGRADER_FLAGS = ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING")


@pytest.fixture(autouse=True)
def _nbgrader_flags_restored():
    """nbgrader sets NBGRADER_EXECUTION around an in-process autograde and leaves it set when that
    autograde raises (utils.setenv has no finally): a later test in the same worker would then run
    notebooks as if graded. Each test starts and ends with the flags it found."""
    import os

    before = {name: os.environ.get(name) for name in NBGRADER_FLAGS}
    yield
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO_ROOT


class Course:
    """A throwaway nbgrader course: source from solutions/, release generated, gradebook in tmp."""

    def __init__(self, root: Path):
        self.root = root
        self.api = api_for(root)

    def generate(self, assignment: str) -> Path:
        stage_source(self.root, assignment, REPO_ROOT / "solutions")
        checked(self.api.generate_assignment(assignment, force=True, create=True), f"generate {assignment}")
        return self.root / "release" / assignment / f"{assignment}.ipynb"

    def source(self, assignment: str) -> Path:
        return self.root / "source" / assignment / f"{assignment}.ipynb"

    def autograde(self, assignment: str, student: str) -> dict:
        return checked(self.api.autograde(assignment, student, force=True, create=True),
                       f"autograde {student}/{assignment}")


@pytest.fixture
def course_dir(tmp_path, monkeypatch) -> Course:
    """A course directory in tmp_path whose datasets are the committed ones."""
    monkeypatch.chdir(tmp_path)
    return Course(tmp_path)


def notebook_data(profile: str, seed: int):
    """A module's datasets as a notebook sees them: generated, written to CSV bytes and read back."""
    import io

    from course.data.registry import DATASETS, to_csv_bytes
    from course.questions import ModuleData

    def loader(name):
        raw = to_csv_bytes(data.make(name, profile, seed), DATASETS[name].encoding)
        return data.read_dataset(io.BytesIO(raw), name)
    return ModuleData(loader)


def edit_answer(notebook: Path, grade_id: str, new_source: str, out: Path) -> Path:
    """A copy of `notebook` with one solution cell's code replaced (a learner's wrong answer)."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = new_source
            break
    else:
        raise KeyError(grade_id)
    nbformat.write(nb, out)
    return out
