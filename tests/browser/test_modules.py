"""What every learner sees works, in a real JupyterLab: the landing notebook and each module of the
learner release, run the way a learner runs them (Run > Run All Cells).

For each notebook, on a copy of ``exercises/`` inside the session's JupyterLab root (nothing in the
repository is opened, let alone saved over):

* no traceback, stderr or broken widget shows;
* every figure the notebook's simulation cells build is drawn (an SVG plot holding data) in its
  cell, showing the title the kernel gave it, and the simulation cells are exactly the cells that
  call ``course.sims`` (or the setup check): the figures expected come from the kernel's widget
  tree for each cell's outputs, not from a list typed here;
* every slider changes its figure (drawn title or trace data) when moved;
* opening it does not mark it modified (no unsaved mark on its tab), and JupyterLab's terminal
  shows nothing while it opens and runs (no per-kernel warnings, no running commentary);
* every check of the blank release shows ``messages.NOT_ANSWERED`` for its variable in a neutral
  ``course-msg-todo`` box, never a red ``course-msg-no`` one, and the first hint cell, once the
  learner removes its ``#`` in the editor and runs it, shows "Hint 1 of N";
* every written-answer cell says how to edit it, and double-click, typing and Shift+Enter do that;
* a screenshot scrolled to the first simulation (``docs/screenshots/<assignment>.png`` with
  COURSE_UPDATE_SCREENSHOTS=1, else the browser artifacts folder).

Plus: the landing page lists every module and its links open them; each module ends with a link to
the next one; every hint cell is valid once its ``#`` is removed; a laptop shows no nbgrader
exchange or trainer menu, and its Validate button answers without an error; module 1's *solutions* notebook
shows "Correct." for every check. Figures on a slow or busy machine: test_figures_under_load.py.

Per-notebook timings and what was seen land in ``<browser artifacts>/<name>.json``.
"""
from __future__ import annotations

import ast
import html
import importlib
import inspect
import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from course import messages as msg
from course.modules import MODULES, ModuleInfo, get_module
from course.questions import bank_for

from .jupyterlab import (
    CURRENT_PANEL,
    REPO_ROOT,
    VIEWPORT,
    blank_plotly_figures,
    cell_of,
    cell_output_texts,
    cell_source,
    cells,
    collapse_left,
    error_outputs,
    figure_states,
    kernel_eval,
    model_cell_count,
    move_slider,
    open_notebook,
    plotly_figures,
    run_all,
    screenshot,
    slider_bounds,
    slider_value,
    sliders,
    wait_for_plotly,
    wait_plotly_stable,
    wait_until_settled,
    static_figure_titles,
    widget_outputs,
)

# The browser tests carry the mark; the checks on the notebook JSON run without a browser.
browser = pytest.mark.browser

EXERCISES = REPO_ROOT / "exercises"
SOLUTIONS = REPO_ROOT / "solutions"
LANDING = "START_HERE.ipynb"
# The README's pictures: refreshed only when asked (COURSE_UPDATE_SCREENSHOTS=1), so a test run on another
# machine's fonts never rewrites tracked files; otherwise they go with the other browser artifacts.
SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
# Where the figures of a learner notebook come from: the simulations, and the landing's setup check.
SIM_PACKAGES = ("course.sims", "course.setup_check")
# The course.sims functions that draw: explorers (a FigureWidget with its controls) and pictures (a
# static plotly figure, such as a module's opening chart), whatever their names: every figure of the
# kit is dressed by course.sims.style.kit_figure, so a function whose code calls it draws. Other
# course.sims calls (a table of the learner's own work) draw nothing; everything the setup check calls draws.
DRAWS = re.compile(r"\bkit_figure\(")
HINT_CELL = re.compile(r'^#\s*(m\d+)\.hint\("([^"]+)"\)')
MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+\.ipynb)\)")


@dataclass(frozen=True)
class Target:
    name: str                 # screenshot / report name: the assignment, or START_HERE
    path: str                 # relative to exercises/
    module: ModuleInfo | None


def released_modules() -> list[ModuleInfo]:
    """The modules of the learner release, in course order: MODULES filtered by what is on disk."""
    return [m for m in MODULES if (EXERCISES / m.assignment / m.notebook).exists()]


TARGETS = ([Target("START_HERE", LANDING, None)] if (EXERCISES / LANDING).exists() else []) + [
    Target(m.assignment, f"{m.assignment}/{m.notebook}", m) for m in released_modules()]


# --- what the notebook JSON says the browser should show ---------------------------------------
def _code_trees(nb) -> list[tuple[int, ast.AST]]:
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            try:
                out.append((i, ast.parse(cell.source)))
            except SyntaxError:  # not plain Python (a magic): nothing to find in it
                continue
    return out


def draws_a_figure(module: str, name: str) -> bool:
    """Whether ``module.name`` (a course.sims function) builds a kit figure: its code calls kit_figure."""
    return bool(DRAWS.search(inspect.getsource(getattr(importlib.import_module(module), name))))


def simulation_cells(nb) -> dict[int, list[str]]:
    """Cell index -> names it calls that draw a figure: explorers and pictures imported from
    ``course.sims`` (see DRAWS), and what the setup check offers."""
    trees = _code_trees(nb)
    imported = {alias.asname or alias.name: node.module
                for _, tree in trees for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module
                and node.module.startswith(SIM_PACKAGES) for alias in node.names}
    draws = {name for name, module in imported.items()
             if module.startswith("course.setup_check") or draws_a_figure(module, name)}
    found = {}
    for i, tree in trees:
        calls = [n.func.id for n in ast.walk(tree)
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in draws]
        if calls:
            found[i] = calls
    return found


def check_cells(nb, handle: str) -> list[tuple[int, str, str]]:
    """(cell index, question id, variable handed over) of every ``<handle>.check("qid", var)``."""
    out = []
    for i, tree in _code_trees(nb):
        for n in ast.walk(tree):
            if (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "check"
                    and isinstance(n.func.value, ast.Name) and n.func.value.id == handle):
                qid, var = n.args[0], n.args[1]
                out.append((i, qid.value, var.id if isinstance(var, ast.Name) else ast.unparse(var)))
    return out


def hint_cells(nb, handle: str) -> list[tuple[int, str]]:
    """(cell index, question id) of every commented-out hint cell ``# <handle>.hint("qid") ...``."""
    out = []
    for i, cell in enumerate(nb.cells):
        found = HINT_CELL.match(cell.source) if cell.cell_type == "code" else None
        if found and found.group(1) == handle:
            out.append((i, found.group(2)))
    return out


def written_answer_cells(nb) -> list[int]:
    """Indexes of the markdown cells a learner writes an answer in (nbgrader solution cells)."""
    return [i for i, c in enumerate(nb.cells)
            if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution")]


def shown(text: str) -> str:
    """A course message as the browser shows it: _show drops backticks; whitespace collapses."""
    return " ".join(text.replace("`", "").split())


def flat(text: str) -> str:
    return " ".join(text.split())


# --- browser steps --------------------------------------------------------------------------------
KERNEL_FIGURES = '''
def _course_browser_test_figures(ids):
    """Per widget model id: the layout title of each plotly FigureWidget in its widget tree, in
    display order (None: the kernel has no such widget)."""
    from ipywidgets.widgets.widget import _instances
    from plotly.basewidget import BaseFigureWidget
    seen = set()
    def walk(w):
        if id(w) in seen:
            return []
        seen.add(id(w))
        own = [w.layout.title.text or ""] if isinstance(w, BaseFigureWidget) else []
        return own + [t for c in (getattr(w, "children", None) or ()) for t in walk(c)]
    return [walk(_instances[i]) if i in _instances else None for i in ids]
'''


def kernel_figures_per_cell(page) -> dict[int, list[str]]:
    """Cell index -> titles of the FigureWidgets the kernel put in that cell's widget outputs
    (cells that have any), as the kernel holds them."""
    per_cell = widget_outputs(page)
    ids = [mid for cell in per_cell for mid in cell]
    if not ids:
        return {}
    found = ast.literal_eval(kernel_eval(page, f"_course_browser_test_figures({ids!r})", KERNEL_FIGURES))
    assert None not in found, f"a widget output refers to a model the kernel does not have: {ids}"
    by_id = dict(zip(ids, found))
    titles = {i: [t for m in cell for t in by_id[m]] for i, cell in enumerate(per_cell)}
    return {i: t for i, t in titles.items() if t}


def as_drawn(title: str) -> str:
    """A plotly title reduced to what both its source and its SVG text read: tags and line breaks
    gone (the SVG has a zero-width space where a <br> was), entities decoded, whitespace collapsed."""
    return flat(html.unescape(re.sub(r"<[^>]+>", "", title)).replace("\u200b", ""))


def drawn_titles(page, index: int) -> list[str]:
    """Titles of the plotly plots drawn with data in cell ``index``, as :func:`as_drawn` reads them."""
    return [as_drawn(t) for t in cells(page).nth(index).evaluate(
        "c => Array.from(c.querySelectorAll('.js-plotly-plot'))"
        ".filter(e => e.querySelector('.main-svg') && e.data && e.data.length)"
        ".map(e => { const t = e.querySelector('.gtitle'); return t ? t.textContent : ''; })")]


def wait_figures_change(page, cell, before: list[dict], timeout: float = 30) -> list[dict]:
    """Wait until the figures in ``cell`` differ from ``before`` (then until they stopped moving)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = figure_states(cell)
        if now != before:
            wait_plotly_stable(page)
            return figure_states(cell)
        page.wait_for_timeout(100)  # polling interval, the condition is the state change above
    return figure_states(cell)


def move_every_slider(page) -> list[dict]:
    """Move each slider one step (back if it sits at its maximum); its cell's figure must change."""
    moved = []
    for j in range(sliders(page).count()):
        slider = sliders(page).nth(j)
        ci = cell_of(slider, page)
        cell = cells(page).nth(ci)
        before = figure_states(cell)
        label = slider.locator(".widget-label").first.inner_text().strip()
        assert before, f"slider {label!r} (cell {ci}) has no figure next to it"
        _, value, high = slider_bounds(page, j)
        step = 1 if value < high else -1
        readout_before = slider_value(page, j)
        readout = move_slider(page, j, step)
        assert readout != readout_before, f"slider {label!r} did not move ({readout_before})"
        after = wait_figures_change(page, cell, before)
        changed = sorted({key for b, a in zip(before, after) for key in ("title", "data", "shapes")
                          if b[key] != a[key]})
        assert "title" in changed or "data" in changed, (
            f"moving {label!r} from {readout_before} to {readout} changed nothing in its figure: "
            f"{before} -> {after}")
        kernel = [as_drawn(t) for t in kernel_figures_per_cell(page)[ci]]
        assert drawn_titles(page, ci) == kernel, f"after {label!r}: drawn {drawn_titles(page, ci)}, kernel {kernel}"
        moved.append({"cell": ci, "slider": label, "from": readout_before, "to": readout,
                      "changed": changed, "title": after[0]["title"][:120]})
    return moved


def modified_marks(page) -> dict:
    """Whether the front notebook is marked modified, in its model and on its tab, once the kernel's
    info and spec (which JupyterLab copies into the notebook's metadata) have arrived and the tab
    bar has redrawn."""
    return page.evaluate("""async () => {
        const w = window.jupyterapp.shell.currentWidget, kernel = w.sessionContext.session.kernel;
        await kernel.info;
        await kernel.spec;
        await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
        const tab = document.querySelector('.lm-DockPanel-tabBar .lm-mod-current');
        return {model: w.context.model.dirty, tab: tab.classList.contains('jp-mod-dirty')};
    }""")


def edit_written_answer(page, index: int, words: str) -> str:
    """Do what the written-answer cell says: double-click it, type, Shift+Enter; return what shows."""
    cell = cells(page).nth(index)
    cell.scroll_into_view_if_needed()
    cell.dblclick()
    editor = cell.locator(".cm-content")
    editor.wait_for(state="visible")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(f" {words}")
    page.keyboard.press("Shift+Enter")
    cell.locator(".jp-RenderedMarkdown").wait_for(state="visible")
    return flat(cell.locator(".jp-RenderedMarkdown").inner_text())


def first_figure_into_view(page, index: int) -> None:
    cells(page).nth(index).evaluate("e => e.scrollIntoView({block: 'start'})")


def picture_waits(page, index: int) -> bool:
    """Cell ``index`` shows, as its only output, one neutral "not answered yet" box (course-msg-todo)."""
    return (len(cell_output_texts(page, index)) == 1
            and cells(page).nth(index).locator(".course-msg.course-msg-todo").count() == 1)


def check_figures_drawn(page, sims: dict[int, list[str]], *, landing: bool = False) -> int:
    """Every figure the simulation and picture cells made is drawn in its cell, with data and with its
    title (FigureWidgets as the kernel holds them, static pictures as their output says); the cells with
    figures are exactly those cells, but for a picture of the learner's own answers, which in a blank
    release shows one neutral "not answered yet" box saying what it waits for instead. Returns how many
    figures there are."""
    widgets = kernel_figures_per_cell(page)
    pictures = {i: t for i, t in enumerate(static_figure_titles(page)) if t}
    expected = {i: widgets.get(i, []) + pictures.get(i, []) for i in set(widgets) | set(pictures)}
    waiting = {i for i in set(sims) - set(expected) if picture_waits(page, i)}
    assert set(expected) == set(sims) - waiting, (
        f"cells with figures {sorted(expected)} should be the simulation and picture cells {sims}"
        + (f" (but {sorted(waiting)}, waiting for answers)" if waiting else ""))
    total = sum(len(t) for t in expected.values())
    if landing or sims:
        assert total >= 1
    if total:
        wait_for_plotly(page, total)
    for i, titles in expected.items():
        want = sorted(as_drawn(t) for t in titles)
        deadline = time.monotonic() + 30  # a title set by the first redraw may still be on its way
        while sorted(drawn_titles(page, i)) != want and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert sorted(drawn_titles(page, i)) == want, f"cell {i}: drawn {drawn_titles(page, i)}, kernel {want}"
    assert plotly_figures(page) == total
    assert blank_plotly_figures(page) == 0
    return total


@pytest.fixture
def learner_copy(lab_dir: Path) -> Path:
    """A copy of the learner release inside the lab root (links between notebooks keep working)."""
    dest = lab_dir / "exercises"
    shutil.copytree(EXERCISES, dest)
    return dest


# --- the tests ----------------------------------------------------------------------------------
@browser
@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_learner_notebook_works_in_jupyterlab(target: Target, lab_server, lab_page, learner_copy,
                                              browser_artifacts):
    page = lab_page
    nb_path = learner_copy / target.path
    nb = nbformat.read(nb_path, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        f"{target.path} is committed with outputs"
    report: dict = {"notebook": target.path}

    terminal_from = len(lab_server.log_text())
    t0 = time.monotonic()
    open_notebook(page, lab_server, nb_path)
    report["open_s"] = round(time.monotonic() - t0, 1)
    assert model_cell_count(page) == len(nb.cells) == cells(page).count()
    # 0. opening it changed nothing: no unsaved mark
    marks = modified_marks(page)
    assert marks == {"model": False, "tab": False}, f"{target.path} is marked modified when opened: {marks}"

    # 1. Run > Run All Cells, like a learner
    t1 = time.monotonic()
    run_all(page)
    report["run_all_s"] = round(time.monotonic() - t1, 1)

    # 2. nothing went wrong, and the terminal stayed quiet
    assert error_outputs(page) == []
    terminal = lab_server.log_text()[terminal_from:]
    assert terminal.strip() == "", f"JupyterLab's terminal showed, while {target.path} opened and ran:\n{terminal[-3000:]}"

    # 3. every figure of every simulation cell is drawn
    sims = simulation_cells(nb)
    t2 = time.monotonic()
    total = check_figures_drawn(page, sims, landing=target.module is None)
    report["figures_s"] = round(time.monotonic() - t2, 1)
    report["figures"] = total
    report["simulation_cells"] = {str(i): sims[i] for i in sorted(sims)}

    # 5a. every check shows its message: the blank release is "Not answered yet"
    handle = target.module.handle if target.module else None
    checks = check_cells(nb, handle) if handle else []
    hints = hint_cells(nb, handle) if handle else []
    if target.module is not None:
        assert checks and hints, f"{target.path}: a module has checks and hint cells"
        bank = bank_for(target.module.slug)
        for i, qid, var in checks:
            question = bank.get(qid)
            assert var == question.variable, (qid, var)
            want = shown(msg.NOT_ANSWERED.format(name=question.variable))
            texts = [flat(t) for t in cell_output_texts(page, i)]
            assert len(texts) == 1 and want in texts[0], f"check {qid!r} shows {texts}, not {want!r}"
            assert cells(page).nth(i).locator(".course-msg.course-msg-todo").count() == 1, \
                f"check {qid!r}: 'not answered yet' is not shown as a neutral course-msg-todo box"
        # a blank release after Run All: not one red box
        red = page.locator(f"{CURRENT_PANEL} .course-msg-no").all_inner_texts()
        assert red == [], f"{target.path}: red boxes for work not started: {red}"
        report["checks_not_answered"] = len(checks)
        # written answers say how to edit them
        stub = flat(msg.WRITTEN_ANSWER_STUB.strip("*"))
        for i in written_answer_cells(nb):
            text = flat(cells(page).nth(i).locator(".jp-RenderedMarkdown").inner_text())
            assert text == stub, f"written answer in cell {i} shows {text!r}"

    # 6. a screenshot of the first simulation for the README
    if sims:
        collapse_left(page)
        first_figure_into_view(page, min(sims))
        page.mouse.move(5, VIEWPORT["height"] - 10)  # park the pointer on the status bar: no hover labels
        wait_plotly_stable(page)
        folder = SCREENSHOTS if os.environ.get("COURSE_UPDATE_SCREENSHOTS") == "1" else browser_artifacts
        shot = screenshot(page, folder / f"{target.name}.png")
        report["screenshot"] = str(shot)

    # 4. every slider changes its figure
    report["sliders"] = move_every_slider(page)
    if sims:
        assert report["sliders"], f"{target.path}: its simulations have no slider to move"
    assert error_outputs(page) == []

    # 5b. the learner removes the '#' of the first hint cell in the editor and runs it, once the kernel
    # has drawn what the sliders asked for (a learner reads the moved figure before going on; under a
    # heavy load, a cell run while slider updates were still queued kept showing [*] twice, its kernel idle)
    if hints:
        wait_until_settled(page)
        i, qid = hints[0]
        before = cell_source(page, i)
        cells(page).nth(i).locator(".cm-content").click()
        page.keyboard.press("Control+Home")
        page.keyboard.press("Delete")
        assert cell_source(page, i) == before[1:]
        page.keyboard.press("Shift+Enter")
        wait_until_settled(page)
        question = bank_for(target.module.slug).get(qid)
        want = shown(msg.HINT.format(i=1, n=len(question.hints), text=question.hints[0]))
        texts = [flat(t) for t in cell_output_texts(page, i)]
        assert len(texts) == 1 and want in texts[0], f"hint {qid!r} shows {texts}, not {want!r}"
        assert error_outputs(page) == []
        report["hint"] = {"cell": i, "question": qid, "shown": texts[0][:60]}

    # 5c. the learner does what the first written-answer cell says: double-click, type, Shift+Enter
    written = written_answer_cells(nb) if target.module is not None else []
    if written:
        text = edit_written_answer(page, written[0], "My first sentence.")
        assert text.endswith("My first sentence."), text
        report["written_answer_edited"] = written[0]

    terminal = lab_server.log_text()[terminal_from:]
    assert terminal.strip() == "", f"JupyterLab's terminal showed, during {target.path}:\n{terminal[-3000:]}"

    report["total_s"] = round(time.monotonic() - t0, 1)
    (browser_artifacts / f"{target.name}.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report))


@browser
def test_landing_lists_every_module_and_its_links_open_them(lab_server, lab_page, learner_copy):
    page = lab_page
    modules = released_modules()
    open_notebook(page, lab_server, learner_copy / LANDING)
    links = page.locator(f"{CURRENT_PANEL} .jp-RenderedMarkdown table a")
    listed = links.evaluate_all("els => els.map(a => [a.innerText.trim(), a.getAttribute('href')])")
    # JupyterLab rewrites a relative link to the file's URL on the server (/files/<path>?_xsrf=...)
    base = learner_copy.relative_to(lab_server.root).as_posix()
    by_path = {unquote(urlparse(href).path): text for text, href in listed}
    assert by_path == {f"/files/{base}/{m.assignment}/{m.notebook}": m.title for m in modules}, listed
    # JupyterLab resolves a local link to a path it opens in a tab; each is a notebook on disk
    nb = nbformat.read(learner_copy / LANDING, as_version=4)
    for _, target in MD_LINK.findall("\n".join(c.source for c in nb.cells if c.cell_type == "markdown")):
        assert (learner_copy / target).is_file(), target

    first = modules[0]
    links.filter(has_text=first.title).first.click()
    page.wait_for_function(
        """name => { const w = window.jupyterapp.shell.currentWidget;
            return !!w && !!w.context && w.context.path.endsWith(name); }""", arg=first.notebook)
    tab = page.locator(".lm-DockPanel-tabBar .lm-mod-current .lm-TabBar-tabLabel")
    assert tab.inner_text() == first.notebook
    page.wait_for_selector(f"{CURRENT_PANEL} .jp-Notebook .jp-Cell")
    assert page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab").count() == 2  # landing + module


def test_each_module_ends_with_a_link_to_the_next():
    modules = released_modules()
    assert modules
    for k, m in enumerate(modules):
        nb = nbformat.read(EXERCISES / m.assignment / m.notebook, as_version=4)
        last = nb.cells[-1]
        assert last.cell_type == "markdown", m.assignment
        found = MD_LINK.findall(last.source)
        assert found, f"{m.assignment}: the last cell has no link to a notebook"
        text, href = found[-1]
        target = (EXERCISES / m.assignment / href).resolve()
        assert target.is_file(), f"{m.assignment}: {href} does not exist"
        if k + 1 < len(modules):
            nxt = modules[k + 1]
            assert target == (EXERCISES / nxt.assignment / nxt.notebook).resolve(), (m.assignment, href)
            assert nxt.title in text, (m.assignment, text)
        else:
            assert target == (EXERCISES / LANDING).resolve(), (m.assignment, href)


@browser
def test_laptop_shows_no_exchange_or_trainer_menu_and_validate_answers(lab_server, lab_page, learner_copy):
    """On a laptop there is no nbgrader exchange: no Nbgrader menu, Assignment List, course list or
    formgrader to open (each only showed errors), while the Validate button still works."""
    page = lab_page
    module = released_modules()[0]
    open_notebook(page, lab_server, learner_copy / module.assignment / module.notebook)
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert "Run" in menus and not [m for m in menus if "grader" in m.lower()], menus
    commands = page.evaluate("() => window.jupyterapp.commands.listCommands().filter(c => c.startsWith('nbgrader'))")
    assert commands == [], commands
    validate = page.locator(f"{CURRENT_PANEL} .jp-Toolbar .validate-button")
    assert validate.count() == 1 and validate.inner_text().strip() == "Validate"
    validate.click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(state="visible", timeout=120_000)
    said = flat(dialog.inner_text())
    # a blank release: nbgrader lists the answers still to write, and nothing went wrong
    assert said.startswith("Validation Results") and "You did not provide a response." in said, said
    assert not re.search(r"Traceback|Error|exchange", said), said


SOLVED = get_module("tool_overload")


@browser
@pytest.mark.skipif(not (SOLUTIONS / SOLVED.assignment / SOLVED.notebook).exists(),
                    reason="no solutions notebook")
def test_solutions_notebook_shows_correct_for_every_check(lab_server, lab_page, lab_dir):
    page = lab_page
    dest = lab_dir / "solutions" / SOLVED.assignment
    shutil.copytree(SOLUTIONS / SOLVED.assignment, dest)
    nb_path = dest / SOLVED.notebook
    nb = nbformat.read(nb_path, as_version=4)
    open_notebook(page, lab_server, nb_path)
    t0 = time.monotonic()
    run_all(page)
    run_s = time.monotonic() - t0
    assert error_outputs(page) == []
    checks = check_cells(nb, SOLVED.handle)
    assert checks
    bank = bank_for(SOLVED.slug)
    for i, qid, _ in checks:
        want = shown(msg.CORRECT.format(detail=bank.get(qid).done).strip())
        texts = [flat(t) for t in cell_output_texts(page, i)]
        assert len(texts) == 1 and want in texts[0], f"check {qid!r} shows {texts}, not {want!r}"
    print(json.dumps({"notebook": f"solutions/{SOLVED.assignment}", "run_all_s": round(run_s, 1),
                      "correct": len(checks)}))


def test_every_hint_cell_runs_once_its_hash_is_removed():
    """The browser test edits one hint cell per module; the others must work the same way: with the
    first '#' removed (or '# '), each hint line is valid IPython input calling only the hint."""
    from IPython.core.inputtransformer2 import TransformerManager

    transform = TransformerManager().transform_cell
    seen = 0
    for m in released_modules():
        nb = nbformat.read(EXERCISES / m.assignment / m.notebook, as_version=4)
        bank = bank_for(m.slug)
        for i, qid in hint_cells(nb, m.handle):
            source = nb.cells[i].source
            bank.get(qid)  # the hint names a real question
            for edited in (source[1:], source.replace("# ", "", 1)):
                tree = ast.parse(transform(edited))
                calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
                assert len(tree.body) == 1 and len(calls) == 1, (m.assignment, edited)
                assert ast.unparse(calls[0]) == f"{m.handle}.hint('{qid}')", (m.assignment, edited)
            seen += 1
    assert seen
