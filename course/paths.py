"""Where the kit's folders are: the repository when run from a checkout, or what the environment says."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


def datasets_dir() -> Path:
    """The folder notebooks read data from: $COURSE_DATASETS, else the repository's datasets/."""
    env = os.environ.get("COURSE_DATASETS")
    return Path(env).expanduser().resolve() if env else REPO_ROOT / "datasets"


def solutions_dir() -> Path:
    return REPO_ROOT / "solutions"


def exercises_dir() -> Path:
    return REPO_ROOT / "exercises"
