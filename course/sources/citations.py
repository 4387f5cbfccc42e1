"""Which sources a notebook cites, and whether each citation matches the registry.

The convention: a notebook that states facts ends its teaching with one markdown cell that starts
with the heading ``## Sources`` and lists one source per line, ``- [source_id] citation``, the
citation written exactly as the registry gives it. ``sources_cell(ids)`` writes that cell.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Mapping

import nbformat

from ..errors import CourseError
from .model import Source

HEADING = "## Sources"
INTRO = "Every fact this module states about the world, with where it comes from (see `docs/sources.md`):"
LINE = re.compile(r"^\s*[-*]\s*\[(?P<id>[^\]]+)\]\s*(?P<citation>.*?)\s*$")


class CitationError(CourseError):
    """A notebook's Sources cell names a source the registry does not know, or cites it differently."""


def _is_sources_cell(cell) -> bool:
    """True for a markdown cell whose first non-blank line is the Sources heading."""
    if cell.cell_type != "markdown":
        return False
    lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
    return bool(lines) and lines[0] == HEADING


def _sources_cells(notebook_path: Path | str) -> list[tuple[int, str]]:
    """(cell number, text) of every Sources cell in the notebook, cells numbered from 0."""
    nb = nbformat.read(str(notebook_path), as_version=4)
    return [(i, cell.source) for i, cell in enumerate(nb.cells) if _is_sources_cell(cell)]


def _entries(text: str) -> list[tuple[str, str, str]]:
    """(line, id, citation) for each list line of a Sources cell; id is '' for a list line without one."""
    found = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith(("- ", "* ")):
            continue
        match = LINE.match(line)
        found.append((stripped, match["id"].strip(), match["citation"]) if match else (stripped, "", ""))
    return found


def cited_in(notebook_path: Path | str) -> list[str]:
    """The source ids a notebook's Sources cell lists, in order (empty if it has no Sources cell)."""
    return [sid for _, text in _sources_cells(notebook_path) for _, sid, _ in _entries(text) if sid]


def sources_cell(ids, registry: Mapping[str, Source] | None = None) -> str:
    """The markdown of a Sources cell citing `ids`, each line written from the registry."""
    registry = _registry(registry)
    unknown = [sid for sid in ids if sid not in registry]
    if unknown:
        raise CitationError("; ".join(unknown_id_message(sid, registry) for sid in unknown))
    lines = [f"- [{sid}] {registry[sid].citation}" for sid in ids]
    return "\n".join([HEADING, "", INTRO, "", *lines])


def citation_problems(notebook_path: Path | str, *, required: bool = True,
                      registry: Mapping[str, Source] | None = None) -> list[str]:
    """Every problem with a notebook's citations, one plain sentence each (empty when all is well)."""
    registry = _registry(registry)
    name = Path(notebook_path).name
    cells = _sources_cells(notebook_path)
    if not cells:
        return [f"{name} has no Sources cell: add a markdown cell starting with '{HEADING}' "
                "(course.sources.sources_cell writes one)."] if required else []
    problems = []
    if len(cells) > 1:
        numbers = ", ".join(str(i) for i, _ in cells)
        problems.append(f"{name} has {len(cells)} Sources cells (cells {numbers}): keep one.")
    seen = set()
    for number, text in cells:
        entries = _entries(text)
        if not entries:
            problems.append(f"{name}, cell {number}: the Sources cell lists no source; add '- [source_id] citation' lines.")
        for line, sid, citation in entries:
            problems += _entry_problems(f"{name}, cell {number}", line, sid, citation, seen, registry)
            seen.add(sid)
    return problems


def _entry_problems(where, line, sid, citation, seen, registry) -> list[str]:
    """The problems with one line of a Sources cell."""
    if not sid:
        return [f"{where}: '{line}' has no [source_id]; write '- [source_id] citation'."]
    if sid not in registry:
        return [f"{where}: {unknown_id_message(sid, registry)}"]
    found = []
    if sid in seen:
        found.append(f"{where}: [{sid}] is listed more than once.")
    if citation != registry[sid].citation:
        found.append(f"{where}: the citation for [{sid}] differs from the registry; write it as: "
                     f"{registry[sid].citation}")
    return found


def check_citations(notebook_path: Path | str, *, required: bool = True,
                    registry: Mapping[str, Source] | None = None) -> list[str]:
    """The ids a notebook cites, after checking them all; raises CitationError listing every problem."""
    problems = citation_problems(notebook_path, required=required, registry=registry)
    if problems:
        raise CitationError(" ".join(problems))
    return cited_in(notebook_path)


def unknown_id_message(sid: str, registry: Mapping[str, Source]) -> str:
    """A sentence saying an id is unknown, with the closest known ids."""
    close = difflib.get_close_matches(sid, list(registry), n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(close)}?" if close else " The ids are listed in docs/sources.md."
    return f"[{sid}] is not in the source registry (course/sources).{hint}"


def _registry(registry: Mapping[str, Source] | None) -> Mapping[str, Source]:
    """The registry to check against: the kit's own unless a test passes another."""
    if registry is not None:
        return registry
    from . import SOURCES
    return SOURCES
