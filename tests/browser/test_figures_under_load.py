"""Figures always draw on a busy machine (course/sims/widgets.py explains the failure they prevent).

* Every figure of every notebook of the learner release (the landing page and each module), run with
  Run > Run All Cells while every core of the machine is kept busy by other processes: each figure
  the kernel built is drawn with its traces in the page (not an empty plot), with the title the
  kernel gave it, as wide as its cell (not plotly's 700 px fallback).
* Five figures made in one cell, the worst case (their start-ups follow each other at once), when
  every figure after the first takes 3 s to start, past anywidget's 2-second window: all draw and
  every slider still moves its figure. Without the loader's own message gate the four late figures
  stay blank (checked by hand on the loader without it).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from .jupyterlab import CURRENT_PANEL, error_outputs, open_notebook, run_all, sliders, write_notebook
from .test_modules import (  # noqa: F401  (learner_copy is a fixture)
    TARGETS,
    check_figures_drawn,
    learner_copy,
    move_every_slider,
    simulation_cells,
)

pytestmark = pytest.mark.browser

# A process that keeps one core busy, for at most BURN_LIMIT_S even if the test run is killed.
BURN_LIMIT_S = 900
BURN = f"import time\nend = time.monotonic() + {BURN_LIMIT_S}\nwhile time.monotonic() < end:\n    pass\n"


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.fixture(scope="module")
def busy_machine():
    """One busy-loop process per core for the whole module; yields their pids, stops them by pid."""
    burners = [subprocess.Popen([sys.executable, "-c", BURN]) for _ in range(max(2, os.cpu_count() or 2))]
    started = time.monotonic()
    try:
        yield burners
    finally:
        wall = time.monotonic() - started
        used = [_cpu_seconds(b.pid) if b.poll() is None else None for b in burners]
        for burner in burners:
            burner.kill()
            burner.wait(10)
        sys.stderr.write(f"\n[busy machine] {len(burners)} busy processes for {wall:.0f} s used "
                         f"{[round(u or 0) for u in used]} CPU-s\n")


def _drawn(page) -> list[dict]:
    """Per plotly plot in the notebook: traces plotly holds, trace groups in its SVG, widths."""
    return page.evaluate("""sel => Array.from(document.querySelectorAll(sel)).map(e => ({
        data: e.data ? e.data.length : 0,
        dom: e.querySelectorAll('.main-svg .trace, .main-svg .hm').length,
        width: e._fullLayout ? e._fullLayout.width : 0,
        cell: e.clientWidth}))""", f"{CURRENT_PANEL} .js-plotly-plot")


def _assert_drawn_with_data(page, expected: int) -> list[dict]:
    drawn = _drawn(page)
    assert len(drawn) == expected, drawn
    for plot in drawn:
        assert plot["data"] > 0 and plot["dom"] >= plot["data"], f"a figure without its traces: {drawn}"
        assert abs(plot["width"] - plot["cell"]) <= 2 and plot["width"] != 700, f"not as wide as its cell: {drawn}"
    return drawn


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_every_figure_draws_with_its_data_on_a_busy_machine(target, busy_machine, lab_server, lab_page,
                                                            learner_copy, browser_artifacts):
    page = lab_page
    nb_path = learner_copy / target.path
    sims = simulation_cells(nbformat.read(nb_path, as_version=4))
    if not sims:
        pytest.skip(f"{target.path} draws no figure")
    assert all(b.poll() is None for b in busy_machine), "the CPU load is running"
    t0 = time.monotonic()
    open_notebook(page, lab_server, nb_path)
    run_all(page, timeout=300)
    assert error_outputs(page) == []
    total = check_figures_drawn(page, sims, landing=target.module is None)
    drawn = _assert_drawn_with_data(page, total)
    report = {"notebook": target.path, "figures": total, "drawn": drawn, "seconds": round(time.monotonic() - t0, 1)}
    (browser_artifacts / f"under-load-{target.name}.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report))


# Every figure after the first takes SLOW_START_MS to load its (small) front-end module: longer than
# the 2 s anywidget allows a model to start. Only course figures are anywidgets in these notebooks.
SLOW_START_MS = 3000
SLOW_STARTS = """(() => {
  const create = URL.createObjectURL.bind(URL);
  let seen = 0;
  window.__courseSlowStarts = 0;
  URL.createObjectURL = (blob) => {
    const url = create(blob);
    const widgetModule = blob && /javascript/.test(blob.type) && blob.size > 1000 && blob.size < 20000;
    if (!widgetModule || seen++ === 0) return url;
    window.__courseSlowStarts++;
    const slow = `await new Promise(r => setTimeout(r, %d));
                  export * from "${url}"; export { default } from "${url}";`;
    return create(new Blob([slow], {type: "text/javascript"}));
  };
})();""" % SLOW_START_MS

FIVE_FIGURES = '''\
from IPython.display import display
from course.sims.algorithm_faith import copycat_explorer, goodhart_explorer
from course.sims.data_disorder import call_centre_explorer, nps_mix_explorer
from course.sims.tool_overload import one_more_tool_explorer

for make in (call_centre_explorer, nps_mix_explorer, goodhart_explorer, copycat_explorer, one_more_tool_explorer):
    display(make())
'''


def test_figures_draw_when_their_start_up_outlasts_anywidgets_window(lab_server, lab_page, lab_dir):
    page = lab_page
    page.context.add_init_script(SLOW_STARTS)
    nb_path = write_notebook(lab_dir / "five_figures.ipynb", [FIVE_FIGURES])
    open_notebook(page, lab_server, nb_path)
    run_all(page)
    assert error_outputs(page) == []
    total = check_figures_drawn(page, {0: ["explorers"]})
    assert total == 5
    _assert_drawn_with_data(page, 5)
    # the condition really happened: the four figures after the first started late
    assert page.evaluate("window.__courseSlowStarts") == 4
    moved = move_every_slider(page)
    assert len(moved) == sliders(page).count() >= 5 and error_outputs(page) == []
