"""A throwaway or real nbgrader course directory, driven through nbgrader's own Python API."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from traitlets.config import Config

from .errors import CourseError
from .grading.config import configure, gradebook_url

# nbgrader's solution markers as the kit's source notebooks write them (ClearSolutions' defaults).
SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"

# nbgrader's exchange on a shared machine: the hub installer creates it (chmod 1777) and the hub's global
# config, the docs and the kit's checks all use it. nbgrader's own default (/usr/local/share/nbgrader/
# exchange) is never used: `nbgrader release_assignment` would create it world-writable without the
# sticky bit. NBGRADER_EXCHANGE_ROOT overrides it, as on the hub.
EXCHANGE_ROOT = "/srv/nbgrader/exchange"


def default_exchange_root() -> str:
    """The exchange folder for this machine: $NBGRADER_EXCHANGE_ROOT, else /srv/nbgrader/exchange."""
    return os.environ.get("NBGRADER_EXCHANGE_ROOT", EXCHANGE_ROOT)


def exchange_root(config: Config) -> Path:
    """The exchange folder a loaded config uses (the kit's default when no config file names one)."""
    root = config.Exchange.get("root") if "Exchange" in config else None
    return Path(root or default_exchange_root())


def ensure_tools_on_path() -> None:
    """nbgrader runs the `alembic` executable when it creates a gradebook: put this Python's bin/ first."""
    bindir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if path.split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = bindir + os.pathsep + path


def course_config(root: Path | str, **settings) -> Config:
    """The kit's nbgrader config for a course directory at `root` (extra CourseDirectory settings allowed)."""
    return configure(Config(), root, **settings)


def api_for(root: Path | str, config: Config | None = None, **settings):
    """nbgrader's NbGraderAPI bound to the course directory at `root`."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    ensure_tools_on_path()
    config = config or course_config(root, **settings)
    return NbGraderAPI(CourseDirectory(config=config), config=config)


def checked(result: dict, what: str) -> dict:
    """Raise a CourseError with nbgrader's log when an API call did not succeed."""
    if not result.get("success"):
        log = (result.get("error") or "") + "\n" + (result.get("log") or "")
        raise CourseError(f"nbgrader could not {what}. Its log says:\n{log.strip()[-3000:]}")
    return result


def stage_source(root: Path, assignment: str, solutions: Path) -> Path:
    """Copy one module's source notebook folder into `root/source/<assignment>`."""
    src = solutions / assignment
    if not src.is_dir():
        raise CourseError(f"There is no source folder {src}. Check the module name.")
    dest = Path(root) / "source" / assignment
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest


def place_submission(root: Path | str, student: str, assignment: str, notebook: Path | str,
                     timestamp: str = "2026-01-01 12:00:00.000000 UTC") -> Path:
    """Put a notebook where nbgrader expects a learner's submission (submitted/<student>/<assignment>/)."""
    folder = Path(root) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{assignment}.ipynb"
    shutil.copyfile(notebook, target)
    (folder / "timestamp.txt").write_text(timestamp)
    return target


def cell_scores(root: Path | str, assignment: str, student: str) -> dict[str, dict]:
    """Each graded cell's auto score, manual score and maximum, read through nbgrader's Gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(gradebook_url(root)) as gb:
        submission = gb.find_submission(assignment, student)
        return {grade.name: {"auto": grade.auto_score, "manual": grade.manual_score,
                             "max": grade.max_score, "cell_type": grade.cell.cell_type}
                for nb in submission.notebooks for grade in nb.grades}
