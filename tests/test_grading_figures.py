"""While the kit grades, simulations build no widget (COURSE_FIGURES=static), and what anyone sees
afterwards is the same: every module's graded outputs, static figures included, equal those of the
same notebook run with the widgets."""
from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

from traitlets.config import Config

from course.grading.sandbox import STATE, GuardedExecute, forkserver
from course.grading.sanitise import sanitise_notebook
from course.modules import MODULES
from course.paths import solutions_dir
from course.sims.widgets import PLOTLY_MIME

pytestmark = pytest.mark.slow   # runs every module's notebook in a kernel, twice

WIDGET_MODULES = "import sys; print(sorted(m for m in ('anywidget', 'plotly.basewidget', 'ipywidgets') if m in sys.modules))"
MODULE_NOTEBOOKS = [m.assignment for m in MODULES if (solutions_dir() / m.assignment / m.notebook).exists()]


def graded_outputs(assignment: str, static: bool, monkeypatch, room: Path | None = None) -> tuple[list, str]:
    """The model notebook run as the kit grades it (kernel, then the sanitiser), and which widget
    modules its kernel had imported at the end; with `room`, in a sandboxed kernel forked from a
    grading worker's zygote there, as `course grade` runs it."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    nb = nbformat.read(solutions_dir() / assignment / f"{assignment}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(WIDGET_MODULES))
    folder, kit = solutions_dir() / assignment, {"sandbox": False}
    if room is not None:
        folder = room / "learner" / assignment
        shutil.copytree(solutions_dir() / assignment, folder)
        config = Config()
        config.SandboxedKernelManager.fork_room = str(room)
        kit = {"sandbox": True, "config": config}
    resources = {"metadata": {"path": str(folder)}, STATE: {}}
    nb, _ = GuardedExecute(static_figures=static, timeout=180, **kit).preprocess(copy.deepcopy(nb), resources)
    imported = nb.cells[-1].outputs[0]["text"].strip()
    nb.cells.pop()
    sanitise_notebook(nb)
    # One print can reach the notebook as one stream message or two, depending on when the kernel
    # flushes (module 6 split differently under load): join them as nbconvert does before comparing.
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    return [cell.get("outputs", []) for cell in nb.cells], imported


@pytest.mark.parametrize("assignment", MODULE_NOTEBOOKS)
def test_graded_outputs_and_figures_are_the_same_without_widgets(assignment, monkeypatch):
    with_widgets, loaded = graded_outputs(assignment, static=False, monkeypatch=monkeypatch)
    static, loaded_static = graded_outputs(assignment, static=True, monkeypatch=monkeypatch)
    figures = [o["data"][PLOTLY_MIME] for cell in static for o in cell if PLOTLY_MIME in o.get("data", {})]
    assert figures, "every module shows at least one simulation's figure"
    assert json.dumps(static, sort_keys=True) == json.dumps(with_widgets, sort_keys=True)
    assert "anywidget" in loaded and "plotly.basewidget" in loaded
    assert "anywidget" not in loaded_static and "plotly.basewidget" not in loaded_static, loaded_static


@pytest.mark.parametrize("assignment", MODULE_NOTEBOOKS)
def test_graded_outputs_are_the_same_in_a_kernel_forked_from_the_zygote(assignment, monkeypatch, tmp_path):
    """`course grade` forks each kernel from its worker's zygote, which has imported pandas, plotly and
    the kit already: the graded notebook is the same as from a kernel of its own."""
    if not (forkserver_usable()):
        pytest.skip("SANDBOX PROTECTION UNAVAILABLE: forked kernels need root, slot users and bubblewrap")
    room = tmp_path / "room"
    room.mkdir()
    try:
        forked, loaded = graded_outputs(assignment, static=True, monkeypatch=monkeypatch, room=room)
    finally:
        server = forkserver._SERVERS.pop(str(room.resolve()), None)
        if server is not None:
            server.close()
    fresh, _ = graded_outputs(assignment, static=True, monkeypatch=monkeypatch)
    assert server is not None, "the kernel should have been forked"
    assert json.dumps(forked, sort_keys=True) == json.dumps(fresh, sort_keys=True)
    assert "anywidget" not in loaded and "plotly.basewidget" not in loaded, loaded


def forkserver_usable() -> bool:
    from course.grading import sandbox

    return sandbox.bwrap_status()[0] and os.geteuid() == 0 \
        and sandbox.grader_ids(f"{sandbox.plan.GRADER_USER}-1") is not None


def test_a_static_explorer_follows_its_controls(monkeypatch):
    """A learner's code that moves a control while grading changes the graded figure as the widget's would."""
    from course.sims.tool_overload import one_more_tool_explorer
    from course.sims.widgets import StaticExplorer

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    shown = {}
    for mode in ("static", "widgets"):
        monkeypatch.setenv("COURSE_FIGURES", mode)
        box = one_more_tool_explorer()
        assert isinstance(box, StaticExplorer) == (mode == "static")
        first = box._repr_mimebundle_()[PLOTLY_MIME]
        box.children[0].value = 200
        shown[mode] = (first, box._repr_mimebundle_()[PLOTLY_MIME])
    assert shown["static"][0] != shown["static"][1], "moving the slider changes the figure"
    assert shown["static"] == shown["widgets"]
