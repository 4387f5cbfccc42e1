"""Every simulation figure wears the kit's style, and its words agree with its colours; module 0 and 1 models."""
from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pytest

from course import data
from course.data import profiles
from course.sims import algorithm_faith, data_disorder, orientation, persona_critique, reconnection, style
from course.sims import tool_overload as m1

# --- every figure of every simulation ----------------------------------------------------------------


def _explorers() -> dict:
    """Each simulation's explorer, built on the retail data as the notebooks build it."""
    made = {name: data.make(name, "retail", 2024) for name in
            ("stack_inventory", "tool_integrations", "weekly_time_split", "customers", "persona_cards",
             "verbatims", "relationships", "budget")}
    return {
        "m0 outliers": lambda: orientation.outlier_explorer(made["stack_inventory"]),
        "m1 one more tool": lambda: m1.one_more_tool_explorer(made["stack_inventory"], made["tool_integrations"],
                                                              made["weekly_time_split"]),
        "m1 cost against use": lambda: m1.cost_against_use_explorer(made["stack_inventory"]),
        "m2 flaw of averages": lambda: persona_critique.flaw_of_averages_explorer(made["customers"]),
        "m2 persona overlay": lambda: persona_critique.persona_overlay_explorer(made["customers"],
                                                                                made["persona_cards"]),
        "m3 call centre": lambda: data_disorder.call_centre_explorer(),
        "m3 nps mix": lambda: data_disorder.nps_mix_explorer(),
        "m4 goodhart": lambda: algorithm_faith.goodhart_explorer(),
        "m4 copycat": lambda: algorithm_faith.copycat_explorer(),
        "m5 verbatims": lambda: reconnection.verbatim_explorer(made["verbatims"]),
        "m5 budget": lambda: reconnection.budget_explorer(made["budget"]),
    }


def _figures(box) -> list:
    from plotly.basewidget import BaseFigureWidget

    found = [box] if isinstance(box, BaseFigureWidget) else []
    return found + [f for child in getattr(box, "children", ()) for f in _figures(child)]


def _boxes(box) -> list:
    return [box] + [b for child in getattr(box, "children", ()) for b in _boxes(child)]


@pytest.fixture(scope="module")
def built() -> dict:
    return {name: make() for name, make in _explorers().items()}


EXPLORERS = list(_explorers())


def _axes(fig) -> list[tuple[str, object]]:
    layout = fig.layout
    return [(name, layout[name]) for name in layout if re.fullmatch(r"[xy]axis\d*", name)]


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_figure_wears_the_kit_template_and_follows_its_cell(name, built):
    box = built[name]
    figures = _figures(box)
    assert len(figures) == 1, name
    fig = figures[0]
    assert fig.layout.template.layout.font.family == style.FONT
    assert fig.layout.autosize is True and fig.layout.width is None, "no fixed-width figure"
    assert box.layout.width == "100%", "the simulation's box takes the cell's width"
    assert fig.layout.title.text, "the first state is drawn: a title says what the figure shows"


@pytest.mark.parametrize("name", EXPLORERS)
def test_amounts_carry_the_profiles_currency_and_no_axis_is_called_currency(name, built):
    code = style.currency()
    fig = _figures(built[name])[0]
    for axis_name, axis in _axes(fig):
        title = (axis.title.text or "").lower()
        assert "currency" not in title, f"{name} {axis_name} is titled {axis.title.text!r}"
        if axis.tickprefix == style.symbol(code) or (axis.ticktext and any(style.symbol(code) in t for t in axis.ticktext)):
            assert f"({code}" in axis.title.text, f"{name} {axis_name}: amounts without the currency in the title"
    for trace in fig.data:
        template = getattr(trace, "hovertemplate", None) or ""
        assert "currency" not in template.lower()


@pytest.mark.parametrize("name", EXPLORERS)
def test_titles_and_legends_name_things_not_colours(name, built):
    """A title that names a colour ('callers (green)') can contradict the line it sits next to."""
    fig = _figures(built[name])[0]
    words = [fig.layout.title.text or ""] + [t.name or "" for t in fig.data]
    colour_words = re.compile(r"\b(red|green|blue|orange|grey|gray|black|crimson|teal|purple|dashed|dotted)\b", re.I)
    assert not [w for w in words if colour_words.search(w)], words


@pytest.mark.parametrize("name", EXPLORERS)
def test_log_axes_have_readable_ticks(name, built):
    fig = _figures(built[name])[0]
    for axis_name, axis in _axes(fig):
        if axis.type == "log":
            assert axis.tickmode == "array" and 2 <= len(axis.tickvals) <= 9, (name, axis_name, axis.tickvals)
            assert axis.minor.ticks == "" and axis.minor.showgrid is False, "no cluttered minor ticks"


def test_each_meaning_keeps_its_colour_across_modules(built):
    colours = style.COLOURS
    line = {t.name: t.line.color for t in _figures(built["m3 call centre"])[0].data if t.line.color}
    assert line["dashboard: average wait of answered calls"] == colours["proxy"]
    assert line["callers: 9 in 10 waited less than this"] == colours["honest"]
    goodhart = _figures(built["m4 goodhart"])[0].data
    clicks, value = goodhart[0], goodhart[1]
    assert clicks.line.color == colours["proxy"] and value.line.color == colours["honest"]
    fills = {t.fillcolor for t in goodhart[2:]}
    assert clicks.line.color not in fills and value.line.color not in fills, "the clicks line is not a creative's colour"
    budget = {t.name: t for t in _figures(built["m5 budget"])[0].data}
    assert budget["the budget itself (what it costs)"].line.color == colours["cost"]
    assert budget["extra revenue, within the tests"].line.color == colours["honest"]
    upkeep = _figures(built["m1 one more tool"])[0].data
    assert upkeep[0].line.color == colours["cost"] and upkeep[1].line.color == colours["honest"]
    assert upkeep[2].marker.color == colours["you"]
    m0 = _figures(built["m0 outliers"])[0].layout.shapes
    assert [s.line.color for s in m0] == [colours["proxy"], colours["honest"]]  # the mean, the median
    # Categories never borrow a meaning colour.
    assert not set(style.CATEGORIES) & set(colours.values())


def test_the_persona_overlay_draws_each_customer_once_without_outlines(built):
    fig = _figures(built["m2 persona overlay"])[0]
    customers = [t for t in fig.data if len(t.x or ()) > 100]
    assert len(customers) == 1 and len(fig.data) == 1, "no second layer of outlined dots"
    trace = customers[0]
    assert trace.marker.line.width == 0
    opacity = np.asarray(trace.marker.opacity)
    assert set(np.unique(opacity)) == {persona_critique.DESCRIBED_OPACITY, persona_critique.OTHER_OPACITY}
    described, total = (int(n.replace(",", "")) for n in
                        re.search(r"([\d,]+) of ([\d,]+) customers", fig.layout.title.text).groups())
    assert total == len(opacity) and described == (opacity == persona_critique.DESCRIBED_OPACITY).sum()


def test_the_figure_is_born_complete_so_the_browser_gets_it_in_one_message(built):
    """The explorer draws the first state before the widget exists: no update is waiting to be sent."""
    fig = _figures(built["m3 call centre"])[0]
    assert fig._widget_data[3]["y"] == [float(v) for v in fig.data[3].y]
    assert fig._widget_layout["title"]["text"] == fig.layout.title.text


# --- the style's helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize("low,high", [(800, 100_000), (1, 20), (0.5, 30), (3, 4_000_000)])
def test_log_ticks_are_one_two_five_steps_inside_the_range(low, high):
    ticks = style.log_ticks(low, high, "€")
    values = ticks["tickvals"]
    assert values == sorted(values) and all(low <= v <= high for v in values)
    for v in values:
        mantissa = v / 10 ** np.floor(np.log10(v))
        assert round(mantissa, 6) in (1, 2, 5)
    assert 2 <= len(values) <= 9
    assert all(t.startswith("€") for t in ticks["ticktext"])


def test_money_reads_as_a_report_writes_it():
    assert style.money(527928.4, "EUR") == "€527,928"
    assert style.money(-1500, "GBP") == "-£1,500"
    assert style.money(12, "SEK") == "SEK 12"


def test_the_currency_comes_from_the_datasets_profile(tmp_path, monkeypatch):
    pounds = dataclasses.replace(profiles.PROFILES["bank"], name="test_gbp", currency="GBP")
    monkeypatch.setitem(profiles.PROFILES, "test_gbp", pounds)
    (tmp_path / "manifest.json").write_text(json.dumps({"profile": "test_gbp", "company": "x", "seed": 1,
                                                        "files": {}}))
    monkeypatch.setenv("COURSE_DATASETS", str(tmp_path))
    assert style.currency() == "GBP" and style.currency("CHF") == "CHF"
    stack = data.make("stack_inventory", "retail", 2024)
    fig = _figures(m1.cost_against_use_explorer(stack))[0]
    assert "(GBP" in fig.layout.yaxis.title.text and all(t.startswith("£") for t in fig.layout.yaxis.ticktext)
    assert "£" in fig.layout.title.text


# Module 0 and 1 models: tests/test_orientation.py and tests/test_tool_overload.py.


# --- the figure loader's Python side -----------------------------------------------------------------


def test_a_module_becomes_a_function_body_returning_its_exports():
    from course.sims.widgets import module_as_function_body

    source = ('const a = 1; const text = "export{fake as default}"; function b() { return a; }\n'
              'export{a as x,b as default};\n/*! licence\n * kept */\n// end\n')
    body = module_as_function_body(source)
    assert body.startswith('"use strict";\nconst a = 1;') and 'export{a' not in body
    assert '\nreturn {"x": a, "default": b};\n' in body
    assert body.endswith("/*! licence\n * kept */\n// end\n"), "licence notices stay with the code"
    for broken in ("const a = 1;", "export default function () {}", "export{a as x}; const later = 1;"):
        with pytest.raises(ValueError):
            module_as_function_body(broken)


def test_plotlys_own_widget_module_is_what_the_loader_runs():
    from plotly.basewidget import BaseFigureWidget

    from course.sims.widgets import _figure_class, module_as_function_body

    body = module_as_function_body(str(BaseFigureWidget._esm))
    assert re.search(r'\nreturn \{[^}]*"default": [\w$]+[^}]*\};\n', body), "the loader calls the module's default()"
    figure_class = _figure_class()
    assert figure_class.__name__ == "CourseFigureWidget", "not plotly's fallback widget"
    first, second = figure_class(), figure_class()
    assert first._course_bundle == body
    ids = {first.get_state(["_course_id"])["_course_id"], second.get_state(["_course_id"])["_course_id"]}
    assert len(ids) == 2 and all(len(i) == 32 for i in ids), "each figure is told apart in the browser"


# --- every control changes its picture -------------------------------------------------------------------


def _picture(fig) -> str:
    """What the figure draws, without its title: every trace's points and colours, and its shapes."""
    def points(values) -> list:
        return [] if values is None else list(map(str, values))

    traces = [[points(t.x), points(t.y), str(getattr(t, "z", None)),
               str(getattr(getattr(t, "marker", None), "color", None)),
               str(getattr(getattr(t, "marker", None), "opacity", None))] for t in fig.data]
    return json.dumps(traces + [str(fig.layout.shapes)])


def _controls(box) -> list:
    import ipywidgets as widgets

    kinds = (widgets.IntSlider, widgets.FloatSlider, widgets.IntRangeSlider, widgets.Dropdown)
    return [b for b in _boxes(box) if isinstance(b, kinds)]


def _settings(control) -> list:
    """Three settings across the control's range: its ends and its middle."""
    import ipywidgets as widgets

    if isinstance(control, widgets.Dropdown):
        return list(control.options)[:3]
    if isinstance(control, widgets.IntRangeSlider):
        return [(control.min, control.min + 3), (control.min, control.max), (control.max - 3, control.max)]
    middle = control.min + round((control.max - control.min) / 2 / control.step) * control.step
    return [control.min, middle, control.max]


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_control_changes_the_picture_across_its_range(name):
    box = _explorers()[name]()
    fig = _figures(box)[0]
    for control in _controls(box):
        pictures = []
        for value in _settings(control):
            control.value = value
            pictures.append(_picture(fig))
        assert len(set(pictures)) == len(pictures), f"{name}: {control.description!r} leaves the picture unchanged"


def test_the_click_weight_changes_the_optimisers_curves_from_100_to_60_percent():
    """Issue 16: the optimiser's curves once stayed put from 100% down to 60% (it put 90% on its leader)."""
    box = algorithm_faith.goodhart_explorer()
    fig, slider = _figures(box)[0], _controls(box)[0]
    pictures = []
    for weight in (1.0, 0.9, 0.8, 0.7, 0.6):
        slider.value = weight
        pictures.append(_picture(fig))
    assert len(set(pictures)) == len(pictures)
