"""One config builder: every nbgrader config of the kit names its course folder and an absolute gradebook."""
from __future__ import annotations

import os
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from course.grading.config import autograde_pipeline, configure, gradebook_url
from course.paths import REPO_ROOT
from course.trainer.course_dir import grading_config, scratch_config
from course.workshop import CONFIG_TEMPLATE


def load(folder: Path) -> Config:
    return PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()


def test_the_gradebook_is_always_named_by_absolute_path(tmp_path):
    root = tmp_path / "course"
    assert gradebook_url(root) == f"sqlite:///{root / 'gradebook.db'}"
    assert gradebook_url(root, "sqlite:///gradebook.db") == f"sqlite:///{root / 'gradebook.db'}"
    assert gradebook_url(root, "sqlite:///./books/g.db") == f"sqlite:///{root / 'books' / 'g.db'}"
    assert gradebook_url(root, f"sqlite:///{tmp_path / 'elsewhere.db'}") == f"sqlite:///{tmp_path / 'elsewhere.db'}"
    assert gradebook_url(root, "postgresql://grader@db/course") == "postgresql://grader@db/course"


def test_every_config_the_kit_writes_names_its_folder_and_gradebook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)   # never the current folder
    repo = load(REPO_ROOT)
    assert repo.CourseDirectory.root == str(REPO_ROOT)
    assert repo.CourseDirectory.db_url == f"sqlite:///{REPO_ROOT / 'gradebook.db'}"
    assert repo.CourseDirectory.source_directory == "solutions"
    workshop = tmp_path / "workshop"
    workshop.mkdir()
    (workshop / "nbgrader_config.py").write_text(CONFIG_TEMPLATE.format(course_id="acme", exchange_root="/srv/x"))
    c = load(workshop)
    assert (c.CourseDirectory.root, c.CourseDirectory.db_url) == (str(workshop), f"sqlite:///{workshop / 'gradebook.db'}")
    assert c.CourseDirectory.course_id == "acme"
    assert [p.__name__ for p in c.Autograde.autograde_preprocessors] == [p.__name__ for p in autograde_pipeline()]


def test_the_trainer_grades_a_course_whose_config_names_a_relative_gradebook(tmp_path, monkeypatch):
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.db_url = 'sqlite:///grades.db'\n")
    monkeypatch.chdir(os.path.dirname(tmp_path))
    c = grading_config(tmp_path)
    assert c.CourseDirectory.db_url == f"sqlite:///{tmp_path.resolve() / 'grades.db'}"
    job = scratch_config(c, tmp_path / "scratch")
    assert job.CourseDirectory.root == str((tmp_path / "scratch").resolve())
    assert job.CourseDirectory.db_url == f"sqlite:///{(tmp_path / 'scratch').resolve() / 'gradebook.db'}"
    assert c.CourseDirectory.db_url == f"sqlite:///{tmp_path.resolve() / 'grades.db'}", "the course's own is untouched"
    assert configure(Config(), tmp_path).CourseDirectory.db_url == f"sqlite:///{tmp_path.resolve() / 'gradebook.db'}"
