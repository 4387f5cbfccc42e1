"""The author's pipeline: data, releases and notebooks in git are exactly what the kit builds."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from course import data
from course.data.verify import compare_with_fresh_build
from course.modules import MODULES
from course.pipeline import LANDING, TOP_LEVEL, execute, release, source_assignments
from course.paths import REPO_ROOT
from course.questions import compile as check_files


def test_committed_datasets_and_check_files_equal_a_fresh_build():
    assert compare_with_fresh_build(REPO_ROOT / "datasets", builder=check_files.build) == []
    assert sorted(p.stem for p in (REPO_ROOT / "datasets" / "checks").glob("*.json")) == sorted(m.slug for m in MODULES)


def test_same_seed_same_bytes_and_other_seed_other_bytes(tmp_path):
    a = data.build(tmp_path / "a", profile="b2b_software", seed=11)
    b = data.build(tmp_path / "b", profile="b2b_software", seed=11)
    c = data.build(tmp_path / "c", profile="b2b_software", seed=12)
    assert a["files"] == b["files"]
    same = {name.removesuffix(".csv") for name in a["files"] if a["files"][name] == c["files"][name]}
    assert same == {name for name, spec in data.DATASETS.items() if not spec.seeded}


def test_profiles_change_names_and_scales():
    retail = data.make("stack_inventory", "retail", 3)
    b2b = data.make("stack_inventory", "b2b_software", 3)
    assert set(retail["owner_team"]) != set(b2b["owner_team"])
    bank = data.make("stack_inventory", "bank", 3)   # the biggest company pays the most for its stack
    assert bank["annual_cost"].sum() > retail["annual_cost"].sum() > b2b["annual_cost"].sum()
    assert len(bank) > len(retail) > len(b2b)


def test_every_dataset_has_a_card_describing_each_column():
    for name, spec in data.DATASETS.items():
        card = (REPO_ROOT / "datasets" / f"{name}.md").read_text(encoding="utf-8")
        frame = data.load(name)
        assert list(frame.columns) == [c.name for c in spec.columns], name
        for column in spec.columns:
            assert f"`{column.name}`" in card


def test_missing_dataset_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATASETS", str(tmp_path))
    with pytest.raises(data.DatasetMissing) as missing:
        data.load("stack_inventory")
    assert "course data build" in str(missing.value)


@pytest.mark.slow
def test_exercises_are_exactly_what_the_pipeline_makes(tmp_path):
    release(out=tmp_path)
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(REPO_ROOT / "exercises") for p in (REPO_ROOT / "exercises").rglob("*")
                       if p.is_file() and ".ipynb_checkpoints" not in p.parts)
    assert built == committed
    for rel in built:
        assert (tmp_path / rel).read_bytes() == (REPO_ROOT / "exercises" / rel).read_bytes(), rel


def _tracked_notebooks() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=REPO_ROOT, capture_output=True, text=True)
    tracked = [REPO_ROOT / p for p in out.stdout.split()]
    return tracked or sorted(REPO_ROOT.glob("[se]*/**/*.ipynb"))


def test_notebooks_in_git_hold_no_outputs():
    dirty = []
    for path in _tracked_notebooks():
        nb = json.loads(path.read_text(encoding="utf-8"))
        if any(c.get("outputs") or c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code"):
            dirty.append(path.name)
    assert dirty == []


def test_landing_page_links_every_module_in_order():
    landing = nbformat.read(REPO_ROOT / "exercises" / LANDING, as_version=4)
    text = "\n".join(c.source for c in landing.cells)
    links = re.findall(r"\]\(([^)]+\.ipynb)\)", text)
    assert [link for link in links if "/" in link] == [f"{m.assignment}/{m.notebook}" for m in MODULES]
    # Other links open the notebooks that sit beside it (the pandas reference), nothing else.
    assert {link for link in links if "/" not in link} <= set(TOP_LEVEL) - {LANDING}
    for module in MODULES:
        assert f"{module.minutes} min" in text


def test_each_module_links_to_the_next():
    names = source_assignments()
    for current, following in zip(names, names[1:]):
        nb = nbformat.read(REPO_ROOT / "solutions" / current / f"{current}.ipynb", as_version=4)
        assert f"../{following}/{following}.ipynb" in nb.cells[-1].source, current


@pytest.mark.slow
@pytest.mark.parametrize("assignment", source_assignments())
def test_fresh_release_runs_all_cells_without_error(assignment):
    """A learner's Run All on an untouched release reaches the end: no cell raises."""
    _, report = execute(REPO_ROOT / "exercises" / assignment / f"{assignment}.ipynb")
    assert report.errors == []


@pytest.mark.slow
@pytest.mark.parametrize("path", [LANDING] + [f"{a}/{a}.ipynb" for a in source_assignments()])
def test_source_notebook_runs_clean(path):
    """Every source notebook, with its solutions, runs top to bottom with no error and no stderr."""
    _, report = execute(REPO_ROOT / "solutions" / path)
    assert report.errors == []


def test_committed_model_answers_are_rendered_from_the_committed_data(tmp_path):
    """Every declared model answer in solutions/ is exactly what the kit renders from datasets/."""
    import shutil

    from course.paths import solutions_dir
    from course.pipeline import model_answers, render_model_answers

    checked_any = False
    for module in MODULES:
        path = solutions_dir() / module.assignment / module.notebook
        if not path.exists() or not model_answers(module):
            continue
        copy = tmp_path / module.notebook
        shutil.copyfile(path, copy)
        assert sorted(render_model_answers(copy)) == sorted(model_answers(module))
        assert copy.read_bytes() == path.read_bytes(), (
            f"{module.notebook}: its model answers differ from a fresh render; run `course release`")
        checked_any = True
    if not checked_any:
        pytest.skip("no module declares MODEL_ANSWERS yet")
