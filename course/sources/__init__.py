"""The source registry: every fact the course states about the world, with its primary source.

Content code and module tests use:
- ``SOURCES[source_id]`` (or ``source(source_id)``) for a record: its claim, citation and caveats;
- ``sources_cell(ids)`` for the markdown of a notebook's closing Sources cell;
- ``cited_in(path)`` and ``check_citations(path)`` to read and check that cell;
- ``render_markdown()`` for docs/sources.md (``python -m course.sources`` writes it).
"""
from __future__ import annotations

from pathlib import Path

from ..paths import REPO_ROOT
from . import render
from .citations import CitationError, check_citations, cited_in, citation_problems, sources_cell, unknown_id_message
from .benchmarks import BENCHMARKS
from .essays import ESSAYS
from .methods import METHODS
from .model import ACCESS_LEVELS, NOT_FOUND, PART_PRIMARY, READ_PRIMARY, SECONDARY_ONLY, Reference, Source
from .stories import STORIES

GROUPS = (
    ("The essays", ESSAYS),
    ("Facts the essays cite", STORIES),
    ("Measures, laws and platform rules", METHODS),
    ("Benchmarks the synthetic companies are scaled on", BENCHMARKS),
)
SOURCES: dict[str, Source] = {s.id: s for _, group in GROUPS for s in group}
DOCS_PATH = REPO_ROOT / "docs" / "sources.md"

__all__ = [
    "ACCESS_LEVELS", "CitationError", "DOCS_PATH", "GROUPS", "NOT_FOUND", "PART_PRIMARY", "READ_PRIMARY",
    "Reference", "SECONDARY_ONLY", "SOURCES", "Source", "check_citations", "citation_problems", "cited_in",
    "registry_problems", "render_markdown", "source", "sources_cell", "write_markdown",
]


def source(source_id: str) -> Source:
    """The record for `source_id`; an unknown id raises CitationError naming the closest ones."""
    if source_id not in SOURCES:
        raise CitationError(unknown_id_message(source_id, SOURCES))
    return SOURCES[source_id]


def registry_problems() -> list[str]:
    """Everything malformed in the registry: bad records, repeated ids or citations, unknown essays."""
    records = [s for _, group in GROUPS for s in group]
    problems = [p for s in records for p in s.problems()]
    for field in ("id", "citation"):
        values = [getattr(s, field) for s in records]
        problems += [f"{field} {v!r} is used by more than one source" for v in sorted(set(values))
                     if values.count(v) > 1]
    essay_ids = {s.id for s in ESSAYS}
    problems += [f"{s.id}: essay {s.essay!r} is not one of the essays {sorted(essay_ids)}"
                 for s in records if s.essay and s.essay not in essay_ids]
    return problems


def render_markdown() -> str:
    """docs/sources.md as the registry says it should read."""
    return render.render_markdown(GROUPS)


def write_markdown(path: Path | str = DOCS_PATH) -> Path:
    """Write docs/sources.md (or `path`) from the registry; returns the path written."""
    path = Path(path)
    path.write_text(render_markdown(), encoding="utf-8")
    return path
