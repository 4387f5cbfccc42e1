"""Author-side pipeline: regenerate exercises/ from solutions/, and check every source notebook runs clean.

Model answers of written answers are computed, never typed: a module's question bank may declare
`MODEL_ANSWERS = {"<grade id of the written-answer cell>": render}`, where `render(data) -> str`
returns the answer's markdown from the module's data (a `course.questions.ModuleData`). `release`
renders them into `solutions/` for the repository's datasets before generating `exercises/` (the
learner's copy never holds them: nbgrader clears solution regions), and `course workshop` renders
them into its own source copy for the workshop's data, so a trainer always reads numbers that match
the data the learners have. `render_model_answers` does it for one notebook.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .modules import MODULES
from .nbgrader_course import SOLUTION_BEGIN, SOLUTION_END, api_for, checked, stage_source
from .paths import exercises_dir, solutions_dir

LANDING = "START_HERE.ipynb"
# Notebooks beside the module folders (no graded cells), copied as they are into the release.
TOP_LEVEL = (LANDING, "pandas_moves.ipynb")


def source_assignments(solutions: Path | None = None) -> list[str]:
    """Module folders that exist in solutions/, in course order."""
    solutions = solutions or solutions_dir()
    return [m.assignment for m in MODULES if (solutions / m.assignment / m.notebook).exists()]


def model_answers(module) -> dict:
    """The module's declared model answers: written-answer grade id -> render(data) (trusted side)."""
    import importlib

    from .modules import ModuleInfo, get_module

    info = module if isinstance(module, ModuleInfo) else get_module(module)
    return dict(getattr(importlib.import_module(f"course.questions.{info.slug}"), "MODEL_ANSWERS", {}))


def render_model_answers(path: Path | str, data_folder: Path | str | None = None) -> list[str]:
    """Rewrite the solution region of each declared written answer in the source notebook at `path`
    from the data in `data_folder` (default: the course's datasets); the grade ids rendered."""
    from .modules import get_module
    from .paths import datasets_dir
    from .questions.compile import module_data

    path = Path(path)
    info = get_module(path.stem)
    renders = model_answers(info)
    if not renders:
        return []
    data = module_data(Path(data_folder or datasets_dir()), info)
    nb = nbformat.read(path, as_version=4)
    done = []
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type != "markdown" or grade_id not in renders:
            continue
        body = renders[grade_id](data).strip("\n")
        cell.source = f"{SOLUTION_BEGIN}\n{body}\n{SOLUTION_END}"
        done.append(grade_id)
    missing = sorted(set(renders) - set(done))
    if missing:
        raise ValueError(f"{path.name} has no written-answer cell with grade id {', '.join(missing)}")
    before = path.read_text(encoding="utf-8")
    after = nbformat.writes(nb) + "\n"
    if after != before:
        path.write_text(after, encoding="utf-8")
    return done


def release(out: Path | None = None, solutions: Path | None = None, assignments: list[str] | None = None) -> list[str]:
    """Render the model answers, then generate the student version of each module with nbgrader, into
    `out` (default: exercises/)."""
    out = Path(out or exercises_dir())
    solutions = Path(solutions or solutions_dir())
    done = []
    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        api = api_for(tmp)
        for assignment in assignments or source_assignments(solutions):
            render_model_answers(solutions / assignment / f"{assignment}.ipynb")
            stage_source(Path(tmp), assignment, solutions)
            checked(api.generate_assignment(assignment, force=True, create=True), f"generate {assignment}")
            target = out / assignment
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(Path(tmp) / "release" / assignment, target)
            done.append(assignment)
    for name in TOP_LEVEL:
        if (solutions / name).exists():
            out.mkdir(parents=True, exist_ok=True)
            shutil.copy2(solutions / name, out / name)
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
