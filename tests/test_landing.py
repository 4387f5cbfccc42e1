"""The landing notebook: its module table and the README's come from course/modules.py, and it says
what a first-time learner needs (opening a module, the check-and-hint habit, where to ask)."""
from __future__ import annotations

import re

import nbformat

from course import landing
from course.modules import MODULES
from course.paths import REPO_ROOT
from course.pipeline import LANDING

SOURCE = REPO_ROOT / "solutions" / LANDING


def markdown(path=SOURCE) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_module_tables_match_the_module_list():
    assert landing.stale() == [], "run: python -m course.landing"


def test_table_rows_say_each_modules_title_time_and_aim():
    rows = [line for line in landing.landing_table().split("\n")[2:]]
    assert len(rows) == len(MODULES)
    for row, module in zip(rows, MODULES):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[0] == str(module.number)
        assert cells[1].startswith(f"[{module.title}]({module.assignment}/{module.notebook})")
        assert cells[1].endswith("(optional)") == module.optional
        assert cells[2] == f"{module.minutes} min" and cells[3] == module.teaches


def test_total_time_is_the_sum_of_the_main_modules():
    main = [m for m in MODULES if not m.optional]
    hours, minutes = divmod(sum(m.minutes for m in main), 60)
    assert f"about {hours} hours {minutes} minutes" in markdown()


def test_stale_table_is_found_and_rewritten(tmp_path):
    (tmp_path / "solutions").mkdir()
    nb = nbformat.read(SOURCE, as_version=4)
    cell = next(c for c in nb.cells if c.source.startswith(landing.LANDING_CELL_HEADING + "\n"))
    cell.source = cell.source.replace(f"| {MODULES[1].minutes} min |", "| 999 min |", 1)
    nbformat.write(nb, tmp_path / "solutions" / LANDING)
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    (tmp_path / "README.md").write_text(readme.replace(MODULES[2].teaches, "something else"), encoding="utf-8")
    assert set(landing.stale(tmp_path)) == {tmp_path / "README.md", tmp_path / "solutions" / LANDING}
    for path, text in landing.synced(tmp_path).items():
        path.write_text(text, encoding="utf-8")
    assert landing.stale(tmp_path) == []
    assert "999 min" not in markdown(tmp_path / "solutions" / LANDING)


def test_landing_says_how_to_open_check_hint_and_ask():
    text = markdown()
    for heading in ("## How to open a module", "## The check-and-hint habit", "## Where to ask", "## Check your setup"):
        assert heading in text
    assert "[The pandas moves](pandas_moves.ipynb)" in text
    assert "remove the `#`" in text and "run the check" in text.lower()


def test_setup_check_is_kept():
    nb = nbformat.read(SOURCE, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code == ['from course.learner import use_code\n\nuse_code("")',
                    "from course.setup_check import check_setup\n\ncheck_setup()"], "the learner code before the setup check"


def test_landing_links_only_notebooks_of_the_release():
    links = re.findall(r"\]\(([^)]+\.ipynb)\)", markdown())
    modules = [f"{m.assignment}/{m.notebook}" for m in MODULES]
    assert [link for link in links if link in modules] == modules
    assert set(links) - set(modules) == {"pandas_moves.ipynb"}
