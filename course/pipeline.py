"""Author-side pipeline: regenerate exercises/ from solutions/, and check every source notebook runs clean."""
from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .modules import MODULES
from .nbgrader_course import api_for, checked, stage_source
from .paths import exercises_dir, solutions_dir

LANDING = "START_HERE.ipynb"


def source_assignments(solutions: Path | None = None) -> list[str]:
    """Module folders that exist in solutions/, in course order."""
    solutions = solutions or solutions_dir()
    return [m.assignment for m in MODULES if (solutions / m.assignment / m.notebook).exists()]


def release(out: Path | None = None, solutions: Path | None = None, assignments: list[str] | None = None) -> list[str]:
    """Generate the student version of each module with nbgrader, into `out` (default: exercises/)."""
    out = Path(out or exercises_dir())
    solutions = Path(solutions or solutions_dir())
    done = []
    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        api = api_for(tmp)
        for assignment in assignments or source_assignments(solutions):
            stage_source(Path(tmp), assignment, solutions)
            checked(api.generate_assignment(assignment, force=True, create=True), f"generate {assignment}")
            target = out / assignment
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(Path(tmp) / "release" / assignment, target)
            done.append(assignment)
    if (solutions / LANDING).exists():
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy2(solutions / LANDING, out / LANDING)
    return done


@dataclass
class RunReport:
    """What happened when one notebook was executed top to bottom."""

    path: Path
    seconds: float
    errors: list[str]


def execute(path: Path, timeout: int = 120, env: dict | None = None) -> tuple[nbformat.NotebookNode, RunReport]:
    """Run a notebook in a fresh kernel, in its own folder; collect every error and stderr output."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    client.execute(**({"env": env} if env is not None else {}))
    errors = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                errors.append(f"{output.ename}: {output.evalue} (cell starting {cell.source[:50]!r})")
            elif output.output_type == "stream" and output.name == "stderr" and "Kernel is running over TCP" not in output.text:
                errors.append(f"stderr: {output.text.strip()[:200]}")
    return nb, RunReport(Path(path), time.perf_counter() - start, errors)


def validate(solutions: Path | None = None) -> list[RunReport]:
    """Execute every source notebook (and the landing page); a clean run has no errors."""
    solutions = Path(solutions or solutions_dir())
    paths = [solutions / a / f"{a}.ipynb" for a in source_assignments(solutions)]
    if (solutions / LANDING).exists():
        paths.insert(0, solutions / LANDING)
    return [execute(p)[1] for p in paths]
