"""Copied cells are graded: a cell copied in JupyterLab keeps its nbgrader metadata, so a learner who
duplicates a test cell hands in two cells with one grade id (and tools that copy notebooks can repeat a
cell id). nbgrader's own DeduplicateIds keeps one and leaves the others an empty ``nbgrader`` entry,
which its metadata check then rejects ("SchemaTooOldError"), failing the whole notebook.

`DeduplicateCells` runs first among nbgrader's sanitising steps: the first cell with a grade id is the
original and keeps it (and its points); every later copy becomes a plain cell without nbgrader metadata,
so it counts for nothing; repeated cell ids are made unique. `copies()` tells the trainer what was done.
"""
from __future__ import annotations

import uuid

from nbgrader.preprocessors import NbGraderPreprocessor


def _grade_id(cell) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta.get("grade_id") if isinstance(meta, dict) and meta.get("grade_id") else None


def copies(nb) -> list[str]:
    """The grade ids that appear on more than one cell, in notebook order."""
    seen, repeated = set(), []
    for cell in nb.cells:
        gid = _grade_id(cell)
        if gid is None:
            continue
        if gid in seen and gid not in repeated:
            repeated.append(gid)
        seen.add(gid)
    return repeated


def deduplicate(nb) -> tuple[list[str], int]:
    """Keep each grade id on its first cell only and make cell ids unique; return (copied grade ids, ids renamed)."""
    seen_grades, seen_ids, renamed = set(), set(), 0
    repeated = copies(nb)
    for cell in nb.cells:
        gid = _grade_id(cell)
        if gid is not None and gid in seen_grades:
            del cell.metadata["nbgrader"]
        elif gid is not None:
            seen_grades.add(gid)
        if "id" in cell and cell["id"] in seen_ids:
            cell["id"] = uuid.uuid4().hex[:8]
            renamed += 1
        seen_ids.add(cell.get("id"))
    return repeated, renamed


class DeduplicateCells(NbGraderPreprocessor):
    """nbgrader sanitising step: copies of graded cells count for nothing, originals for their points."""

    def preprocess(self, nb, resources):
        repeated, renamed = deduplicate(nb)
        for gid in repeated:
            self.log.warning("Cell '%s' was copied in the submission: the first one is graded, copies are not", gid)
        if renamed:
            self.log.warning("%d repeated cell id(s) made unique", renamed)
        return nb, resources
