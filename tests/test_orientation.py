"""Module 0 (orientation): the simulation starts from the table as it is, the checks accept right answers
in their usual forms, the model answer names the tool the data says, and the notebook fits 30 minutes."""
from __future__ import annotations

import re

import nbformat
import numpy as np
import pytest

from course import data
from course.modules import get_module
from course.paths import solutions_dir
from course.questions import bank_for
from course.questions import orientation as q
from course.sims import orientation as sim
from course.sources import ESSAYS, check_citations

from conftest import notebook_data

COMBOS = [(p, s) for p in data.PROFILES for s in (2024, 7)]
BANK = bank_for("orientation")
INFO = get_module("orientation")
NOTEBOOK = solutions_dir() / INFO.assignment / INFO.notebook


@pytest.fixture(scope="module", params=COMBOS, ids=lambda c: f"{c[0]}-{c[1]}")
def md(request):
    return notebook_data(*request.param)


def said(md, qid: str, value):
    return BANK.get(qid).says(value, md)


# --- the simulation --------------------------------------------------------------------------------

def test_the_default_shows_the_table_as_it_is(md):
    """Issue 16: the default added a free tool, so the chart's median differed from the table's."""
    stack = md["stack_inventory"]
    box = sim.outlier_explorer(stack, "EUR")
    slider, fig = box.children[0], box.children[1]
    costs = stack["annual_cost"]
    assert slider.value == slider.min and slider.value == pytest.approx(costs.max(), abs=1)
    assert sorted(fig.data[0].x) == sorted(costs.tolist())
    stats = sim.priciest_at(costs, slider.value)
    assert stats["median"] == pytest.approx(q.median_cost(md)) and stats["mean"] == pytest.approx(costs.mean())
    assert f"the median €{q.median_cost(md):,.0f}" in fig.layout.title.text
    assert fig.layout.shapes[1].x0 == pytest.approx(q.median_cost(md)), "the dashed line is the table's median"


def test_the_price_moves_the_mean_across_the_whole_range_and_never_the_median(md):
    costs = md["stack_inventory"]["annual_cost"]
    today, top, step = sim.price_range(costs)
    assert top >= 9 * today, "the slider goes to about ten times today's price"
    prices = np.arange(today, top + 1, step)
    stats = [sim.priciest_at(costs, p) for p in prices]
    means = [s["mean"] for s in stats]
    assert all(b - a == pytest.approx(step / len(costs)) for a, b in zip(means, means[1:])), "one step, one move"
    assert {round(s["median"], 6) for s in stats} == {round(float(costs.median()), 6)}
    assert means[-1] > 1.5 * means[0], "the mean moves by half or more; the median not at all"


def test_priciest_at_changes_only_the_most_expensive_tool():
    costs = data.make("stack_inventory", "retail", 2024)["annual_cost"]
    values = costs.to_numpy(dtype=float).copy()
    values[np.argmax(values)] = 1e7
    assert sim.priciest_at(costs, 1e7) == {"mean": pytest.approx(values.mean()), "median": pytest.approx(np.median(values))}


def test_the_opening_picture_draws_the_five_steps():
    fig = sim.opening_picture()
    texts = " ".join([a.text for a in fig.layout.annotations] + [t for trace in fig.data for t in trace.text])
    assert fig.data, "the picture has traces, so a browser draws it with data"
    for step, how in sim.RHYTHM:
        assert step in texts.replace("<br>", " ") and how in texts
    assert len([s for s in fig.layout.shapes if s.type == "rect"]) == len(sim.RHYTHM)
    assert fig.layout.template.layout.font.family, "the kit's template"


# --- checks ----------------------------------------------------------------------------------------

def test_n_tools_accepts_any_whole_number_type_and_names_the_columns_mistake(md):
    stack = md["stack_inventory"]
    assert said(md, "n_tools", len(stack)) is None
    assert said(md, "n_tools", np.int64(len(stack))) is None
    assert said(md, "n_tools", float(len(stack))) is None
    assert "columns" in said(md, "n_tools", len(stack.columns))
    assert said(md, "n_tools", len(stack) - 1)


def test_the_priciest_tool_accepts_any_case_and_names_the_cheapest_mistake(md):
    right = q.most_expensive_tool(md)
    assert said(md, "most_expensive_tool", right) is None
    assert said(md, "most_expensive_tool", f"  {right.lower()} ") is None, "capitals and spaces do not count"
    assert "ascending=False" in said(md, "most_expensive_tool", q.cheapest_tool(md))
    stack = md["stack_inventory"]
    row = stack.sort_values("annual_cost", ascending=False).head(1)["tool"]
    one = said(md, "most_expensive_tool", row)
    assert one is None or "iloc[0]" in one, "a one-row Series is accepted or told how to take the value out"
    unknown = said(md, "most_expensive_tool", "Excel")
    assert unknown and "not a tool in the data" in unknown


def test_the_median_accepts_rounding_and_names_the_mean(md):
    right = q.median_cost(md)
    assert said(md, "median_cost", round(right)) is None
    assert said(md, "median_cost", np.float64(right)) is None
    mean = said(md, "median_cost", q.mean_cost(md))
    assert mean and "mean" in mean


# --- the notebook --------------------------------------------------------------------------------

def test_the_model_answer_names_the_tool_the_data_says(md):
    text = q.first_look_model(md)
    stack = md["stack_inventory"]
    row = stack.loc[stack["annual_cost"].idxmax()]
    assert f"**{q.most_expensive_tool(md)}**" in text, "issue 16: it named the wrong priciest tool"
    assert f"{float(row['annual_cost']):,.0f} a year" in text and f"{int(row['seats'])} seats" in text
    assert f"{int(row['monthly_active_users'])} people" in text
    words = len(re.sub(r"[*_]", "", text).split())
    assert 40 <= words <= 80, words


def test_the_model_answer_in_the_notebook_is_the_rendered_one():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "first_look")
    manifest = data.read_manifest()
    assert q.first_look_model(notebook_data(manifest["profile"], manifest["seed"])) in cell.source


def test_the_sections_add_up_to_thirty_minutes_and_each_exercise_has_its_example():
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    minutes = [int(m) for c in cells if c.cell_type == "markdown"
               for m in re.findall(r"^#{2,3} .*\((\d+) min\)\s*$", c.source, re.M)]
    assert sum(minutes) == INFO.minutes
    for qid in BANK.questions:
        answer = next(i for i, c in enumerate(cells) if c.metadata.get("nbgrader", {}).get("grade_id") == qid)
        heading = max(i for i in range(answer) if cells[i].source.startswith("### Exercise"))
        examples = [c for c in cells[heading:answer] if c.cell_type == "code" and "hint(" not in c.source]
        assert examples and all("stack" not in c.source for c in examples), qid
        for name in re.findall(r"the (\w+) example", BANK.get(qid).example):
            assert any(name in c.source for c in examples), (qid, name)


def test_the_simulation_comes_after_the_median_exercise_and_cites_the_essays():
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    sim_cell = next(i for i, c in enumerate(cells) if "outlier_explorer(" in c.source)
    check = next(i for i, c in enumerate(cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "test_median_cost")
    assert sim_cell > check, "the chart shows the median: it must not answer exercise 3 before it is asked"
    assert {essay.id for essay in ESSAYS} <= set(check_citations(NOTEBOOK)), "module 0 cites each source essay"
    prose = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert "40 to 80 words" in prose
