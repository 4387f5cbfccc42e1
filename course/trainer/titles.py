"""Questions by the name the trainer reads in the notebook, not by their cell id.

A graded cell's title is the heading of the section it sits in ("Exercise 1 - how many tools?",
"Step 4 - a written answer"), read from the module's source notebook; two graded cells under one
heading are told apart by their cell id. A cell with no heading above it keeps its id.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .course_dir import CourseDir


# A section heading ends with its time for the learner, "(3 min)": the trainer's title leaves it out.
_MINUTES = re.compile(r"\s*\(\d+ min\)$")


def _heading(source: str) -> str | None:
    """The first Markdown heading of a cell, without its #'s and its minutes."""
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            return _MINUTES.sub("", stripped.lstrip("#").strip()) or None
    return None


@lru_cache(maxsize=32)
def _titles(path: str, mtime_ns: int) -> dict[str, str]:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    heading, found = None, {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader") or {}
        if cell.cell_type == "markdown" and not meta.get("grade"):
            heading = _heading(cell.source) or heading
        if meta.get("grade") and meta.get("grade_id"):
            found[meta["grade_id"]] = heading or meta["grade_id"]
    counts: dict[str, int] = {}
    for title in found.values():
        counts[title] = counts.get(title, 0) + 1
    return {gid: (f"{t} ({gid})" if counts[t] > 1 else t) for gid, t in found.items()}


def question_titles(course: CourseDir, assignment: str) -> dict[str, str]:
    """grade id -> the title a trainer recognises, for every graded cell of the module."""
    folder = course.source(assignment)
    path = folder / f"{assignment}.ipynb"
    if not path.exists():
        found = sorted(Path(folder).glob("*.ipynb")) if folder.is_dir() else []
        if not found:
            return {}
        path = found[0]
    return _titles(str(path), path.stat().st_mtime_ns)


def title_of(titles: dict[str, str], cell: str) -> str:
    """A cell's title, also for an answer cell whose test cell is titled (`qid` for `test_qid`)."""
    return titles.get(cell) or titles.get(f"test_{cell}") or cell
