"""The shared measures (course.measures), each checked against its definition computed another way."""
from __future__ import annotations

import ast
import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course.measures import nps as nps_measure
from course.measures import personas, queue, stack, themes
from course.paths import REPO_ROOT

# --- NPS ------------------------------------------------------------------------------------------


def _nps_by_counting(scores, promoter_from=9, detractor_up_to=6) -> float:
    """The definition, counted one answer at a time: % promoters minus % detractors, blanks ignored."""
    answered = [s for s in scores if s is not None and not (isinstance(s, float) and math.isnan(s))]
    promoters = sum(1 for s in answered if s >= promoter_from)
    detractors = sum(1 for s in answered if s <= detractor_up_to)
    return 100 * (promoters - detractors) / len(answered)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_nps_is_promoters_minus_detractors_among_answers(seed):
    rng = np.random.default_rng(seed)
    scores = [int(s) for s in rng.integers(0, 11, 200)] + [None] * 30
    series = pd.Series(scores, dtype="Int64")
    assert math.isclose(nps_measure.nps(series), _nps_by_counting(scores))
    assert math.isclose(nps_measure.nps(series.astype("float64")), _nps_by_counting(scores))
    for bands in ((8, 6), (9, 5), (10, 7)):
        assert math.isclose(nps_measure.nps(series, *bands), _nps_by_counting(scores, *bands))


def test_nps_bounds_and_passives():
    assert nps_measure.nps([9, 10, 10]) == 100
    assert nps_measure.nps([0, 3, 6]) == -100
    assert nps_measure.nps([7, 8, 7, 8]) == 0
    assert math.isnan(nps_measure.nps(pd.Series([None, None], dtype="Int64")))


# --- the call-centre queue -------------------------------------------------------------------------


def test_queue_waits_on_a_case_worked_by_hand():
    # One agent; calls at 0 s, 10 s and 20 s, each needing 100 s of talk. The second waits until 100 s;
    # the third would wait until 200 s but hangs up after 5 s.
    waits, answered = queue.queue_waits([0.0, 10.0, 20.0], [1000.0, 1000.0, 5.0], [100.0, 100.0, 100.0], 1)
    assert waits.tolist() == [0.0, 90.0, 5.0]
    assert answered.tolist() == [True, True, False]
    waits, answered = queue.queue_waits([0.0, 10.0, 20.0], [1000.0, 1000.0, 5.0], [100.0, 100.0, 100.0], 3)
    assert waits.tolist() == [0.0, 0.0, 0.0] and answered.all()
    with pytest.raises(ValueError):
        queue.queue_waits([0.0], [1.0], [1.0], 0)


@pytest.fixture(scope="module")
def calls():
    return queue.draw_calls(np.random.default_rng(7), queue.CallCentre(calls_per_day=300, days=2))


def test_drawn_calls_fall_inside_opening_hours(calls):
    centre = queue.CallCentre(calls_per_day=300, days=2)
    arrival = calls["arrival_s"]
    assert len(arrival) == len(calls["patience_s"]) == len(calls["talk_s"])
    day, second = np.divmod(arrival, queue.DAY_SECONDS)
    assert set(day.astype(int)) == {0, 1}
    assert (second >= 0).all() and (second < 60 * centre.open_minutes).all()
    assert (np.diff(arrival) >= 0).all()
    # Poisson arrivals: the count is within a few standard deviations of the mean.
    expected = centre.calls_per_day * centre.days
    assert abs(len(arrival) - expected) < 5 * math.sqrt(expected)


@pytest.mark.parametrize("agents", [1, 3, 6])
def test_a_caller_waits_no_longer_than_their_patience(calls, agents):
    waits, answered = queue.queue_waits(calls["arrival_s"], calls["patience_s"], calls["talk_s"], agents)
    assert (waits >= 0).all() and (waits <= calls["patience_s"] + 1e-9).all()
    assert np.allclose(waits[~answered], calls["patience_s"][~answered])


def test_the_reports_follow_their_definitions(calls):
    waits, answered = queue.queue_waits(calls["arrival_s"], calls["patience_s"], calls["talk_s"], 3)
    report = queue.staffing_report(calls, 3)
    assert math.isclose(report["dashboard_wait"], sum(w for w, a in zip(waits, answered) if a) / answered.sum())
    assert math.isclose(report["abandoned_share"], (len(waits) - answered.sum()) / len(waits))
    ordered = np.sort(waits)
    p90 = report["honest_wait_p90"]
    assert (ordered <= p90).mean() >= 0.9 and (ordered < p90).mean() <= 0.9
    assert report["calls"] == len(waits) and report["agents"] == 3


def test_more_agents_never_worsen_any_report(calls):
    reports = [queue.staffing_report(calls, n) for n in range(1, 12)]
    for key in ("dashboard_wait", "honest_wait_p90", "abandoned_share"):
        values = [r[key] for r in reports]
        assert all(b <= a + 1e-9 for a, b in zip(values, values[1:])), key


def test_enough_agents_answer_everyone_at_once(calls):
    report = queue.staffing_report(calls, len(calls["arrival_s"]))
    assert report["dashboard_wait"] == 0 and report["honest_wait_p90"] == 0 and report["abandoned_share"] == 0


# --- personas and middle bands ---------------------------------------------------------------------


def _card(**changes) -> pd.Series:
    card = {"persona": "Test", "age_min": 30, "age_max": 40, "income_band": "high", "region": "North",
            "channel": "web", "favourite_category": "Home", "purchases_min": 2, "purchases_max": 5}
    return pd.Series({**card, **changes})


def test_persona_matches_each_attribute_with_inclusive_bounds():
    customers = pd.DataFrame({
        "age": [30, 40, 29, 41, 35], "income_band": ["high", "low", "high", "high", "high"],
        "region": ["North", "North", "South", "North", "North"], "channel": ["web", "web", "web", "app", "web"],
        "favourite_category": ["Home", "Home", "Kids", "Home", "Home"], "purchases_per_year": [2, 5, 1, 6, 3],
    })
    matches = personas.persona_matches(customers, _card())
    assert tuple(matches.columns) == personas.PERSONA_ATTRIBUTES
    assert matches["age"].tolist() == [True, True, False, False, True]
    assert matches["purchases_per_year"].tolist() == [True, True, False, False, True]
    assert matches["income_band"].tolist() == [True, False, True, True, True]
    assert matches.all(axis=1).tolist() == [True, False, False, False, True]


@pytest.mark.parametrize("band", [0.1, 0.3, 0.5, 0.9])
def test_middle_band_holds_its_share_of_distinct_values(band):
    values = pd.Series(np.random.default_rng(3).permutation(2001).astype(float))
    inside = personas.middle_band(values, band)
    # Distinct values: the band holds `band` of them, give or take the two boundary values.
    assert abs(inside.mean() - band) <= 2 / len(values)
    assert values[inside].min() >= values.quantile(0.5 - band / 2)
    assert personas.middle_band(values, 1.0).all()


def test_standardised_columns_have_mean_zero_and_standard_deviation_one():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({c: rng.normal(10 * i + 3, i + 1, 500) for i, c in enumerate(personas.NUMERIC_ATTRIBUTES)})
    z = personas.standardised(frame)
    assert list(z.columns) == list(personas.NUMERIC_ATTRIBUTES)
    assert np.allclose(z.mean(), 0) and np.allclose(z.std(), 1)
    assert np.allclose(z.iloc[:, 0] * frame.iloc[:, 0].std() + frame.iloc[:, 0].mean(), frame.iloc[:, 0])


# --- the theme tagger ------------------------------------------------------------------------------


def test_every_keyword_tags_its_own_theme_whatever_its_capitals():
    for theme, words in themes.THEME_KEYWORDS.items():
        for word in words:
            texts = pd.Series([f"About {word.upper()} today", f"{word.title()}!", "nothing here"], index=[7, 8, 9])
            flags = themes.mentions(texts)
            assert list(flags.index) == [7, 8, 9]
            assert flags.loc[7, theme] and flags.loc[8, theme] and not flags.loc[9].any(), (theme, word)


def test_the_keyword_list_can_be_replaced_and_case_can_matter():
    texts = pd.Series(["Great Staff", "great staff"])
    assert themes.mentions(texts, {"people": ("staff",)}, case=True)["people"].tolist() == [False, True]
    assert themes.mentions(texts, {"people": ("staff",)})["people"].tolist() == [True, True]


# --- the stack ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 40])
def test_possible_seams_count_the_pairs_of_tools(n):
    assert stack.possible_seams(n) == len(list(itertools.combinations(range(n), 2)))


def test_utilisation_is_active_users_over_seats():
    tools = pd.DataFrame({"seats": [10, 4, 1], "monthly_active_users": [5, 4, 0]})
    assert stack.utilisation(tools).tolist() == [5 / 10, 4 / 4, 0 / 1]


# --- the layer rule ----------------------------------------------------------------------------------


def _kit_imports(path: Path) -> set[str]:
    """Kit modules a file imports (`from ..data import x` in course/sims/y.py -> 'course.data')."""
    package = ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join(base + ([node.module] if node.module else [])))
            elif node.module and node.module.startswith("course"):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("course"))
    return found


def test_measures_import_nothing_else_from_the_kit_and_sims_never_reach_the_answer_key():
    for path in sorted((REPO_ROOT / "course" / "measures").glob("*.py")):
        outside = {m for m in _kit_imports(path) if not m.startswith("course.measures")}
        assert not outside, f"{path.name} imports {outside}: measures are the bottom layer"
    for layer in ("sims", "data"):
        for path in sorted((REPO_ROOT / "course" / layer).glob("*.py")):
            assert not any(m.startswith("course.questions") for m in _kit_imports(path)), path.name
    for path in sorted((REPO_ROOT / "course" / "data").glob("*.py")):
        assert not any(m.startswith("course.sims") for m in _kit_imports(path)), path.name
