"""The shared pandas reference: every move runs on its own tiny table, and every link to it lands on a heading."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from course.paths import exercises_dir, solutions_dir

PATH = solutions_dir() / "pandas_moves.ipynb"
LINK = re.compile(r"pandas_moves\.ipynb#([^)\s\"'>]+)")


def _notebook():
    return nbformat.read(PATH, as_version=4)


def anchors() -> set[str]:
    """The fragment JupyterLab gives each heading: its text with spaces replaced by '-' (capitals kept)."""
    found = set()
    for cell in _notebook().cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                heading = re.match(r"^#{1,6}\s+(.*?)\s*$", line)
                if heading:
                    found.add(heading.group(1).replace(" ", "-"))
    return found


def _sections() -> list[tuple[str, list]]:
    """(heading, the cells under it) for each '## ' section."""
    sections: list[tuple[str, list]] = []
    for cell in _notebook().cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            sections.append((cell.source.splitlines()[0][3:].strip(), [cell]))
        elif sections:
            sections[-1][1].append(cell)
    return sections


SECTIONS = [heading for heading, _ in _sections()]


def test_the_reference_is_not_graded_and_travels_with_the_release():
    nb = _notebook()
    assert not [c for c in nb.cells if "nbgrader" in c.metadata], "a reference has no graded or locked cells"
    assert (exercises_dir() / "pandas_moves.ipynb").read_bytes() == PATH.read_bytes(), "run `course release`"
    assert not [c for c in nb.cells if c.cell_type == "code" and (c.outputs or c.execution_count)]


def test_the_moves_the_modules_need_each_have_a_section():
    needed = {"&": "Filter-with-several-conditions", "|": "Filter-with-several-conditions",
              ".isin(": "Filter-with-a-list-of-values", ".groupby(": "Group-and-summarise",
              ".set_index(": "Put-names-in-the-index", ".loc[": "Change-some-rows-of-a-column",
              "for ": "Collect-results-in-a-loop", "pd.concat(": "Stack-two-tables",
              ".sum(axis=1)": "Add-up-several-columns", ".str.contains(": "Find-text-in-a-column",
              ".explode(": "Split-text-into-rows", ".merge(": "Join-two-tables",
              ".quantile(": "Averages-and-percentiles", ".value_counts(": "Count-each-value",
              ".sort_values(": "Sort-and-take-the-top", ".between(": "Keep-values-between-two-limits"}
    code = {h.replace(" ", "-"): "\n".join(c.source for c in cells if c.cell_type == "code")
            for h, cells in _sections()}
    for move, anchor in needed.items():
        assert anchor in code, f"no section {anchor}"
        assert move in code[anchor], f"section {anchor} never shows {move!r}"


@pytest.mark.parametrize("heading", SECTIONS)
def test_each_section_says_when_and_runs_alone_on_its_own_table(heading):
    cells = dict(_sections())[heading]
    assert "**When you need it:**" in cells[0].source
    code = [c for c in cells if c.cell_type == "code"]
    assert len(code) == 1, f"{heading}: one example cell"
    shown = []
    namespace = {"display": shown.append, "print": lambda *args, **kw: shown.append(args)}
    exec(compile(code[0].source, heading, "exec"), namespace)  # a fresh namespace: nothing from other cells
    assert shown or "pd" in namespace, f"{heading}: the example shows something"
    assert any(c.cell_type == "markdown" and c.source.startswith("**Watch out:**") for c in cells[1:])


def test_the_contents_list_links_every_section():
    intro = _notebook().cells[0].source
    assert set(LINK.findall(intro.replace("](#", "](pandas_moves.ipynb#"))) == {h.replace(" ", "-") for h in SECTIONS}


def test_every_link_to_the_reference_lands_on_one_of_its_headings():
    known = anchors()
    broken = []
    for path in sorted(Path(solutions_dir()).rglob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for fragment in LINK.findall(cell.source):
                if fragment not in known:
                    broken.append(f"{path.name}: #{fragment}")
    assert not broken, f"links to headings that do not exist (anchors are case-sensitive): {broken}"
