"""Pure unit tests of the simulation models and shared measures that had none: small hand-made inputs,
each expectation worked out here from the model's definition (no kernel, no widget, no dataset build)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course.measures import budget as budget_model
from course.measures.personas import band_limits, middle_band, percentile_position
from course.measures.queue import DAY_SECONDS, CallCentre, arrival_times
from course.measures.stack import possible_seams
from course.sims import algorithm_faith as faith
from course.sims import data_disorder as disorder
from course.sims import reconnection as recon
from course.sims import tool_overload as tools

# --- module 1: the cost of one more tool ------------------------------------------------------------

SMALL_STACK = tools.StackAssumptions(today_tools=10, today_connections=9, hours_per_connection=0.5,
                                     admin_hours_per_tool=1.0, team_size=4, hours_per_week=40.0,
                                     customer_share_today=0.25)


def test_upkeep_is_admin_per_tool_plus_the_wired_share_of_every_pair():
    # 10 tools: 45 possible pairs, 9 wired (a fifth); 20 tools keep a fifth of 190 pairs wired.
    assert tools.upkeep_hours(10, SMALL_STACK) == pytest.approx(10 * 1.0 + 9 * 0.5)
    assert tools.upkeep_hours(20, SMALL_STACK) == pytest.approx(20 * 1.0 + 190 / 5 * 0.5)
    assert np.allclose(tools.upkeep_hours(np.array([0, 1]), SMALL_STACK), [0.0, 1.0])   # one tool: no pair


def test_one_more_tool_takes_its_upkeep_out_of_customer_time():
    now, more = tools.one_more_tool(10, SMALL_STACK), tools.one_more_tool(11, SMALL_STACK)
    assert now["customer_share"] == pytest.approx(0.25)       # today's stack gives today's share
    extra = tools.upkeep_hours(11, SMALL_STACK) - tools.upkeep_hours(10, SMALL_STACK)
    assert more["customer_share"] == pytest.approx(0.25 - extra / (4 * 40.0))
    assert more["seams"] == possible_seams(11) == 55
    # customer time hits zero at the first stack whose extra upkeep eats the 40 customer hours a week
    grid = np.arange(1, 200)
    first = grid[np.argmax(tools.upkeep_hours(grid, SMALL_STACK) - tools.upkeep_hours(10, SMALL_STACK) >= 40.0)]
    assert tools.no_time_left(SMALL_STACK) == first


def test_the_caption_states_every_assumption_it_was_given():
    caption = tools.assumptions_caption(SMALL_STACK)
    for shown in ("10 tools", "9 connections", "20.0%", "45 possible pairs", "0.50", "1 hours", "4 people",
                  "40 hours", "25.0%"):
        assert shown in caption, shown
    other = tools.assumptions_caption(tools.StackAssumptions(today_tools=12, team_size=7))
    assert "12 tools" in other and "7 people" in other and "10 tools" not in other


# --- module 3: the call centre and the NPS mix -----------------------------------------------------

def test_arrivals_follow_the_day_and_the_rate():
    centre = CallCentre()
    times = arrival_times(np.random.default_rng(1), 600.0, 3, centre.open_minutes)
    assert np.all(np.diff(times) >= 0)
    day = (times // DAY_SECONDS).astype(int)
    assert set(day) == {0, 1, 2} and np.all(times % DAY_SECONDS < centre.open_minutes * 60)
    assert abs(len(times) / 3 - 600) < 4 * np.sqrt(600)      # Poisson: within four standard deviations
    minute = (times % DAY_SECONDS) // 60
    assert (minute // 60 == 1).sum() > (minute // 60 == 4).sum()   # the 10:30 peak beats the early afternoon


def test_wait_bands_count_each_call_once_in_its_band():
    waits = [0, 0, 5, 30, 31, 61, 150, 200, 400]
    answered = [True, True, True, False, True, True, False, True, False]
    bands = disorder.wait_bands(waits, answered).set_index("band")
    assert bands.loc["at once"].tolist() == [2, 0]
    assert bands.loc["1-30 s"].tolist() == [1, 1]              # 30 s is in 1-30 s, not 31-60 s
    assert bands.loc["over 5 min"].tolist() == [0, 1]
    assert int(bands.to_numpy().sum()) == len(waits)


def test_a_bigger_roster_answers_more_calls_sooner():
    few, many = disorder.waits_at_roster(8), disorder.waits_at_roster(16)
    assert len(few) == len(many)                               # the same callers, only the roster changes
    assert many["answered"].mean() > few["answered"].mean()
    assert many["wait_s"].mean() < few["wait_s"].mean()
    assert disorder.waits_at_roster(8).equals(few)             # the same seed, the same calls


def test_overall_nps_weights_each_segment_by_its_share():
    assert disorder.overall_nps({"a": 50.0, "b": -10.0}, {"a": 0.25, "b": 0.75}) == pytest.approx(5.0)
    assert disorder.overall_nps({"a": 50.0, "b": -10.0}, {"a": 0.75, "b": 0.25}) == pytest.approx(35.0)


# --- module 4: the algorithm's drift -------------------------------------------------------------

def test_weekly_drift_is_per_week_share_clicks_and_value():
    campaigns = pd.DataFrame({
        "week_start": ["w1", "w1", "w2", "w2"], "creative_type": ["clickbait", "honest", "clickbait", "honest"],
        "impressions": [1000, 3000, 3000, 1000], "clicks": [40, 20, 90, 10], "value_90d": [100.0, 700.0, 150.0, 250.0]})
    drift = faith.weekly_drift(campaigns)
    assert drift.loc["w1"].tolist() == pytest.approx([0.25, 1000 * 60 / 4000, 1000 * 800 / 4000])
    assert drift.loc["w2"].tolist() == pytest.approx([0.75, 1000 * 100 / 4000, 1000 * 400 / 4000])


# --- module 2: middle bands ----------------------------------------------------------------------

def test_band_limits_and_positions():
    assert band_limits(0.3) == (0.35, 0.65) and band_limits(1.0) == (0.0, 1.0)
    positions = percentile_position(pd.Series([10, 20, 20, 40]))
    assert positions.tolist() == [0.25, 0.625, 0.625, 1.0]     # ties share the mean of their ranks
    assert middle_band(pd.Series([10, 20, 20, 40]), 0.4).tolist() == [False, True, True, False]   # 0.3 to 0.7
    assert middle_band(pd.Series([10, 20, 20, 40]), 0.5).tolist() == [True, True, True, False]    # 0.25 inclusive


# --- module 5: the budget model ------------------------------------------------------------------

BUDGET = pd.DataFrame({
    "tier": list(budget_model.TIERS), "current_budget": [600.0, 200.0, 150.0, 50.0],
    "ceiling": [1000.0, 800.0, 900.0, 600.0], "half_spend": [400.0, 100.0, 150.0, 50.0],
    "ceiling_low": [700.0, 500.0, 600.0, 300.0], "ceiling_high": [1300.0, 1100.0, 1200.0, 900.0],
    "tested_up_to": [800.0, 300.0, 200.0, 100.0]})


def test_tiers_follow_module_fives_rule():
    rel = pd.DataFrame({"tenure_years": [5, 5, 1, 5, 0], "purchases_last_year": [4, 1, 9, 3, 0],
                        "referrals_last_year": [0, 0, 0, 1, 2]})
    # median purchases 3: the first is loyal, the second buys too rarely, the third is too new
    assert budget_model.relationship_tier(rel).tolist() == ["loyal", "occasional", "occasional", "advocate", "advocate"]
    assert budget_model.relationship_tier(rel, frequent_from=1).tolist()[1] == "loyal"


def test_tier_revenue_is_the_saturating_curve_per_tier():
    plan = budget_model.today(BUDGET)
    got = budget_model.tier_revenue(plan, BUDGET)
    assert got["loyal"] == pytest.approx(900.0 * 150 / (150 + 150))       # half the ceiling at half_spend
    assert got["prospects"] == pytest.approx(1000.0 * 600 / 1000)
    assert budget_model.tier_revenue(plan, BUDGET, "ceiling_low")["loyal"] == pytest.approx(600.0 / 2)


def test_revenue_by_share_is_the_plan_revenue_at_each_share():
    shares = [0.0, 0.4, 0.9]
    got = budget_model.revenue_by_share(BUDGET, shares)
    for share, value in zip(shares, got):
        on_customers = share * 1000.0
        split = {"occasional": 0.5, "loyal": 0.375, "advocate": 0.125}       # today's split among customers
        spend = {"prospects": 1000.0 - on_customers, **{t: on_customers * s for t, s in split.items()}}
        table = BUDGET.set_index("tier")
        expected = sum(table.loc[t, "ceiling"] * x / (x + table.loc[t, "half_spend"]) for t, x in spend.items())
        assert value == pytest.approx(expected), share


def test_move_gain_range_reads_the_two_ends_of_the_tests_ranges():
    worst, best = budget_model.move_gain_range(BUDGET, "prospects", "loyal", 100.0)
    table = BUDGET.set_index("tier")

    def gain(ceiling_target, ceiling_source):
        f = lambda c, x, h: c * x / (x + h)   # noqa: E731
        return (f(ceiling_target, 250, 150) - f(ceiling_target, 150, 150)
                + f(ceiling_source, 500, 400) - f(ceiling_source, 600, 400))
    assert worst == pytest.approx(gain(table.loc["loyal", "ceiling_low"], table.loc["prospects", "ceiling_high"]))
    assert best == pytest.approx(gain(table.loc["loyal", "ceiling_high"], table.loc["prospects", "ceiling_low"]))
    assert worst < best


def test_the_budget_explorers_numbers_follow_its_two_sliders():
    point = recon.budget_point(BUDGET, 0.4, 1.0)
    assert point["total"] == pytest.approx(1000.0) and point["plan"]["prospects"] == pytest.approx(600.0)
    assert point["today"] == pytest.approx(budget_model.plan_revenue(budget_model.today(BUDGET), BUDGET))
    bigger = recon.budget_point(BUDGET, 0.4, 2.0)
    assert bigger["total"] == pytest.approx(2000.0) and bigger["revenue"] > point["revenue"]
    assert bigger["untested"] and not point["untested"]          # twice the money goes past every test
    curve = recon.budget_curve(BUDGET, 0.4, [1000.0, 2000.0])
    assert curve["revenue"].tolist() == pytest.approx([point["revenue"], bigger["revenue"]])
    assert curve["tested"].tolist() == [True, False]
