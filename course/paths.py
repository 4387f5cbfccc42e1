"""Where the kit's folders are: the repository when run from a checkout, or what the environment says."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


# A workshop ships its own data (its sector profile and seed) inside each module's release, in this
# folder beside the notebook; see course.workshop.
SHIPPED_DATA = "workshop_data"
MANIFEST = "manifest.json"
# Each module's check file (built on the trusted side from the answer key) lives beside the data.
CHECKS = "checks"


def datasets_dir() -> Path:
    """The folder notebooks read data from: the workshop's data shipped beside the notebook
    (./workshop_data), else $COURSE_DATASETS, else the repository's datasets/."""
    shipped = Path.cwd() / SHIPPED_DATA
    if (shipped / MANIFEST).is_file():
        return shipped.resolve()
    env = os.environ.get("COURSE_DATASETS")
    return Path(env).expanduser().resolve() if env else REPO_ROOT / "datasets"


def shipped_data(folder: Path | str) -> Path | None:
    """The workshop data shipped in an assignment folder, if it has any."""
    shipped = Path(folder) / SHIPPED_DATA
    return shipped if (shipped / MANIFEST).is_file() else None


def check_file_path(folder: Path | str, slug: str) -> Path:
    """Where a module's check file sits in a datasets folder: checks/<slug>.json."""
    return Path(folder) / CHECKS / f"{slug}.json"


def solutions_dir() -> Path:
    return REPO_ROOT / "solutions"


def exercises_dir() -> Path:
    return REPO_ROOT / "exercises"


# A workshop with per-learner data writes each roster learner's variant here, on the trainer's side
# (course.trainer.variants), where the judge reads it: <datasets>/variants/<variant id>/.
VARIANTS_FOLDER = "variants"


def variant_folder(datasets_folder: Path | str, vid: str) -> Path:
    """Where one learner's variant of a workshop's datasets is kept for the judge."""
    return Path(datasets_folder) / VARIANTS_FOLDER / vid
