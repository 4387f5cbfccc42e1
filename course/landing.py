"""The module table of the landing notebook and of the README, written from course/modules.py.

`python -m course.landing` rewrites both tables from `MODULES` (titles, minutes, what each teaches);
`python -m course.landing --check` says which one differs. A test runs the check, so the tables
cannot drift from the module list.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

from .modules import MODULES, ModuleInfo
from .paths import REPO_ROOT

LANDING_HEADER = ("| # | Module | Time | What you will be able to do |", "|---|--------|------|-----------------------------|")
README_HEADER = ("| # | Module | Time | The learner can afterwards |", "|---|--------|------|----------------------------|")
LANDING_CELL_HEADING = "## The modules"
TABLE_LINE = re.compile(r"^\|.*\|\s*$")


def _optional(module: ModuleInfo) -> str:
    return " (optional)" if module.optional else ""


def landing_table() -> str:
    """The landing page's table: one row per module, its title a link to its notebook."""
    rows = [f"| {m.number} | [{m.title}]({m.assignment}/{m.notebook}){_optional(m)} | {m.minutes} min | {m.teaches} |"
            for m in MODULES]
    return "\n".join((*LANDING_HEADER, *rows))


def readme_table() -> str:
    """The README's table: the same rows without links."""
    rows = [f"| {m.number} | {m.title}{_optional(m)} | {m.minutes} min | {m.teaches} |" for m in MODULES]
    return "\n".join((*README_HEADER, *rows))


def total_minutes(optional: bool = False) -> int:
    """Minutes of the whole course, without the optional modules unless asked."""
    return sum(m.minutes for m in MODULES if optional or not m.optional)


def landing_cell() -> str:
    """The landing page's whole "The modules" cell: the table, the total time, the pandas reference."""
    main = [m for m in MODULES if not m.optional]
    hours, minutes = divmod(total_minutes(), 60)
    return (f"{LANDING_CELL_HEADING}\n\n{landing_table()}\n\n"
            f"The {len(main)} modules of the main course take about {hours} hours {minutes} minutes in all. "
            "Start with\nmodule 0, even if you know Jupyter: it shows how checks, hints and handing in work.\n\n"
            "**Forgot how to filter a table or add up a column?** [The pandas moves](pandas_moves.ipynb) shows\n"
            "each move the exercises use on a tiny table, one short section per move. Open it in a second tab\n"
            "beside the module you are working on.")


def replace_table(text: str, header: str, table: str) -> str:
    """`text` with the markdown table that starts with `header` replaced by `table`."""
    lines = text.split("\n")
    try:
        start = lines.index(header)
    except ValueError:
        raise ValueError(f"no table starting with {header!r}") from None
    end = start
    while end < len(lines) and TABLE_LINE.match(lines[end]):
        end += 1
    return "\n".join(lines[:start] + table.split("\n") + lines[end:])


def landing_path(root: Path = REPO_ROOT) -> Path:
    return root / "solutions" / "START_HERE.ipynb"


def synced(root: Path = REPO_ROOT) -> dict[Path, str]:
    """Each file holding a module table, with the text it should have."""
    out = {}
    readme = root / "README.md"
    out[readme] = replace_table(readme.read_text(encoding="utf-8"), README_HEADER[0], readme_table())
    path = landing_path(root)
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith(LANDING_CELL_HEADING + "\n")]
    if len(cells) != 1:
        raise ValueError(f"{path} needs exactly one markdown cell starting {LANDING_CELL_HEADING!r}")
    cells[0].source = landing_cell()
    out[path] = nbformat.writes(nb) + "\n"
    return out


def stale(root: Path = REPO_ROOT) -> list[Path]:
    """The files whose module table differs from course/modules.py."""
    return [path for path, text in synced(root).items() if path.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    """Rewrite the tables (or, with --check, list the stale files); 1 when something is stale."""
    argv = sys.argv[1:] if argv is None else argv
    if "--check" in argv:
        late = stale()
        for path in late:
            print(f"{path}: module table differs from course/modules.py (run python -m course.landing)")
        return 1 if late else 0
    for path, text in synced().items():
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"rewrote the module table in {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
