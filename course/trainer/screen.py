"""Look at a submission before grading: reject what cannot be graded, note what nbgrader will repair.

Rejections (nothing is graded, the gradebook is left as it was): an empty file, a file that is not
JSON or not a notebook, another module's notebook, a notebook holding none of the module's graded
cells. Notes (graded anyway, the trainer is told): a locked cell edited (nbgrader restores it from the
gradebook) or deleted (nbgrader cannot run it), a notebook missing from the submission.

Locked cells are compared with nbgrader's own checksum (utils.compute_checksum) against the release
notebook's: the gradebook's checksum includes the hidden tests, so it differs for every honest copy.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat

from ..grading.copied_cells import copies
from ..modules import get_module
from . import wording as say


@dataclass
class Screening:
    """What the screen decided about one submission."""

    rejected: str = ""
    notes: list[str] = field(default_factory=list)


def read_notebook(path: Path):
    """(notebook, "") or (None, why it cannot be read): what nbformat.read, which nbgrader uses, accepts."""
    data = Path(path).read_bytes()
    if not data.strip():
        return None, say.EMPTY_FILE
    text = data.decode("utf-8", errors="replace")
    try:
        raw = json.loads(text)
    except ValueError as error:
        return None, say.NOT_JSON.format(error=str(error).split(":")[0])
    if not isinstance(raw, dict) or not ("cells" in raw or "worksheets" in raw):
        return None, say.NOT_NOTEBOOK.format(error="it has no cells")
    try:
        return nbformat.reads(text, as_version=4), ""
    except Exception as error:  # nbformat raises several kinds; the message is what matters
        return None, say.NOT_NOTEBOOK.format(error=str(error).splitlines()[0][:200])


def grade_ids(nb) -> set[str]:
    """The nbgrader cell ids a notebook carries."""
    return {c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if isinstance(c.metadata.get("nbgrader"), dict) and c.metadata["nbgrader"].get("grade_id")}


def own_cells(assignment: str, known: dict[str, set[str]]) -> set[str]:
    """The cell ids only this assignment uses (not 'setup' and the like, which every module has)."""
    others = set().union(*(cells for name, cells in known.items() if name != assignment))
    return known.get(assignment, set()) - others


def identify_module(ids: set[str], known: dict[str, set[str]]) -> str | None:
    """The assignment whose own cell ids best match `ids` (None when nothing or a tie)."""
    counts = {assignment: len(ids & own_cells(assignment, known)) for assignment in known}
    best = max(counts.values(), default=0)
    winners = [a for a, n in counts.items() if n == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def locked_cell_notes(nb, release_nb) -> list[str]:
    """Locked cells of the release that the submission edited or deleted."""
    from nbgrader.utils import compute_checksum

    submitted = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if isinstance(meta, dict) and meta.get("grade_id"):
            submitted.setdefault(meta["grade_id"], cell)
    notes = []
    for cell in release_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("locked") or not meta.get("grade_id"):
            continue
        gid = meta["grade_id"]
        mine = submitted.get(gid)
        if mine is None:
            notes.append((say.LOCKED_DELETED_GRADED if meta.get("grade") else say.LOCKED_DELETED).format(cell=gid))
            continue
        try:
            same = compute_checksum(mine) == meta.get("checksum")
        except (KeyError, ValueError, TypeError):
            same = False
        if not same:
            notes.append(say.LOCKED_EDITED.format(cell=gid))
    return notes


def screen_submission(folder: Path, assignment: str, notebooks: list[str], release: Path | None,
                      known: dict[str, set[str]]) -> Screening:
    """Decide whether nbgrader should grade the submission in `folder`, and what to tell the trainer."""
    folder = Path(folder)
    present = sorted(p.name for p in folder.glob("*.ipynb"))
    wanted = [n for n in notebooks if (folder / f"{n}.ipynb").exists()]
    if not wanted:
        expected = " or ".join(f"{n}.ipynb" for n in notebooks) or f"{assignment}.ipynb"
        return Screening(rejected=say.NO_NOTEBOOK.format(expected=expected, found=", ".join(present) or "nothing"))
    screening = Screening(notes=[say.MISSING_NOTEBOOK.format(notebook=n) for n in notebooks if n not in wanted])
    for name in wanted:
        nb, why = read_notebook(folder / f"{name}.ipynb")
        if nb is None:
            return Screening(rejected=why)
        ids = grade_ids(nb)
        if not ids & own_cells(assignment, known):
            other = identify_module(ids, known)
            if other and other != assignment:
                title = _title(other)
                return Screening(rejected=say.WRONG_MODULE.format(other=other, title=title, expected=assignment))
            return Screening(rejected=say.NO_GRADED_CELLS.format(expected=assignment))
        screening.notes += [say.COPIED_CELL.format(cell=gid) for gid in copies(nb)]
        release_nb = _read_release(release, name)
        if release_nb is not None:
            screening.notes += locked_cell_notes(nb, release_nb)
    return screening


def _title(assignment: str) -> str:
    try:
        return get_module(assignment).title
    except Exception:
        return "another assignment"


def _read_release(release: Path | None, name: str):
    path = Path(release) / f"{name}.ipynb" if release else None
    if path is None or not path.exists():
        return None
    return _release_notebook(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _release_notebook(path: str, mtime_ns: int):
    """A release notebook, read once per grading process (every submission is compared with it)."""
    return nbformat.read(path, as_version=4)


def known_cells(db_url: str) -> dict[str, set[str]]:
    """Every assignment's nbgrader cell ids, from the gradebook (what autograde knows)."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        return {a.name: {cell.name for nb in a.notebooks for cell in nb.source_cells} for a in gb.assignments}


def assignment_notebooks(db_url: str, assignment: str) -> list[str]:
    """The notebook names an assignment has in the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        return [nb.name for nb in gb.find_assignment(assignment).notebooks]
