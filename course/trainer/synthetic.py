"""Learner-like submissions made from a module's release and source notebooks (for dry runs and tests)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import nbformat

from ..nbgrader_course import SOLUTION_BEGIN as BEGIN, SOLUTION_END as END


def solution_text(source: str) -> str:
    """What a learner who got it right would have typed: the solution between the markers."""
    if BEGIN not in source:
        return source
    inside = source.split(BEGIN, 1)[1].split(END, 1)[0]
    return inside.strip("\n")


def _grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def learner_copy(release: Path | str, source: Path | str, answered: Iterable[str] | None = None):
    """The release notebook with the listed solution cells answered as the source does (None: all)."""
    nb = nbformat.read(str(release), as_version=4)
    src = nbformat.read(str(source), as_version=4)
    solutions = {_grade_id(c): c.source for c in src.cells if c.metadata.get("nbgrader", {}).get("solution")}
    wanted = set(solutions) if answered is None else set(answered)
    for cell in nb.cells:
        gid = _grade_id(cell)
        if gid in wanted and gid in solutions and cell.metadata["nbgrader"].get("solution"):
            cell.source = solution_text(solutions[gid])
    return nb


def solution_ids(source: Path | str) -> list[str]:
    """The grade ids of a source notebook's autograded solution (code) cells, in order."""
    src = nbformat.read(str(source), as_version=4)
    return [_grade_id(c) for c in src.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
