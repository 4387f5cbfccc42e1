"""Module 4 (algorithm faith): the data tells its lesson for every profile and seed, the questions
accept their own expectation and name the usual wrong paths, and the simulations behave as taught."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course import data
from course.data.registry import to_csv_bytes
from course.questions import ModuleData, bank_for
from course.questions import algorithm_faith as q
from course.sims.algorithm_faith import copycat_brands, goodhart_rounds, message_entropy

PROFILES = ["retail", "b2b_software", "bank", "telecom"]
SEEDS = [2024, 7]
COMBOS = [(p, s) for p in PROFILES for s in SEEDS]
DATASETS = ["campaign_log", "retargeting_holdout"]
BANK = bank_for("algorithm_faith")


def module_data(profile: str, seed: int) -> ModuleData:
    return ModuleData(lambda name: data.make(name, profile, seed))


@pytest.fixture(scope="module", params=COMBOS, ids=lambda c: f"{c[0]}-{c[1]}")
def md(request):
    return module_data(*request.param)


def plain(qid: str, value):
    """A value as the grader receives it."""
    return BANK.get(qid).kind.to_plain(value)


def verdict(md, qid: str, value):
    return BANK.get(qid).verdict(plain(qid, value), md)


# --- Generators --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", DATASETS)
def test_same_seed_same_bytes_other_seed_other_data(name):
    first = to_csv_bytes(data.make(name, "retail", 2024))
    assert first == to_csv_bytes(data.make(name, "retail", 2024))
    assert first != to_csv_bytes(data.make(name, "retail", 7))


@pytest.mark.parametrize("name", DATASETS)
def test_profile_changes_scale_not_columns(name):
    retail, telecom = data.make(name, "retail", 2024), data.make(name, "telecom", 2024)
    assert list(retail.columns) == list(telecom.columns)
    assert len(telecom) != len(retail) or not retail.equals(telecom)


def _rates(log: pd.DataFrame) -> pd.DataFrame:
    totals = log.groupby("creative_type")[["impressions", "clicks", "conversions", "value_90d"]].sum()
    return pd.DataFrame({"ctr": totals["clicks"] / totals["impressions"],
                         "conv": totals["conversions"] / totals["impressions"],
                         "value": totals["value_90d"] / totals["impressions"]})


@pytest.mark.parametrize("profile,seed", COMBOS + [("retail", s) for s in range(10)])
def test_clickbait_wins_clicks_and_loses_value_everywhere(profile, seed):
    log = data.make("campaign_log", profile, seed)
    for scope, part in [("all", log)] + list(log.groupby("audience")):
        rates = _rates(part)
        assert rates["ctr"].idxmax() == "clickbait", (scope, rates)
        assert rates["value"].idxmin() == "clickbait", (scope, rates)
    rates = _rates(log)
    # Clear margins, so no noise can make a "top" answer ambiguous.
    assert rates.loc["clickbait", "ctr"] > 1.3 * rates["ctr"].drop("clickbait").max()
    assert rates["value"].drop("clickbait").min() > 1.8 * rates.loc["clickbait", "value"]
    assert rates.loc["substantive", "value"] > 1.2 * rates.loc["discount", "value"]
    assert rates["conv"].idxmax() == "discount"


@pytest.mark.parametrize("profile,seed", COMBOS)
def test_impressions_drift_towards_clickbait_and_counts_are_consistent(profile, seed):
    log = data.make("campaign_log", profile, seed)
    week = log.pivot_table(index="week_start", columns="creative_type", values="impressions", aggfunc="sum")
    bait = week["clickbait"] / week.sum(axis=1)
    assert bait.tail(4).mean() > bait.head(4).mean() + 0.25
    assert (log["clicks"] <= log["impressions"]).all() and (log["conversions"] <= log["clicks"]).all()
    assert (log["returns"] + log["retained_90d"] <= log["conversions"]).all()
    assert (log["value_90d"] >= 0).all() and log.notna().all().all()


@pytest.mark.parametrize("profile,seed", COMBOS + [("bank", s) for s in range(10)])
def test_platform_claims_far_more_than_the_ads_caused(profile, seed):
    test = data.make("retargeting_holdout", profile, seed)
    assert test.loc[test["group"] == "holdout", "platform_attributed"].sum() == 0
    assert (test["platform_attributed"] <= test["converted"]).all()
    assert 0.75 < (test["group"] == "exposed").mean() < 0.85
    md = ModuleData(lambda name: test)
    incremental, attributed = q.incremental_conversions(md), q.attributed_conversions(md)
    assert 0 < incremental < 0.4 * attributed


# --- Questions ---------------------------------------------------------------------------------

def test_every_question_accepts_its_own_expectation_for_every_profile_and_seed(md):
    for question in BANK.questions.values():
        expected = question.expected_plain(md)
        assert question.verdict(expected, md) is None, question.id
        assert len(question.hints) >= 2, question.id
        if isinstance(expected, dict):
            assert all(v is not None and np.isfinite(v) for v in expected["values"]), question.id


def test_ctr_rejects_averaged_row_rates_and_percentages(md):
    log = md["campaign_log"]
    averaged = (log["clicks"] / log["impressions"]).groupby(log["creative_type"]).mean()
    assert "averaged the rate of each row" in verdict(md, "ctr_by_creative", averaged)
    assert "percentages" in verdict(md, "ctr_by_creative", 100 * q.ctr_by_creative(md))
    assert verdict(md, "ctr_by_creative", q.ctr_by_creative(md).drop("discount")) is not None


def test_value_rejects_totals_per_impression_and_per_conversion(md):
    log = md["campaign_log"]
    totals = log.groupby("creative_type")[["impressions", "conversions", "value_90d"]].sum()
    assert "Multiply by 1,000" in verdict(md, "value_per_1000_by_creative", totals["value_90d"] / totals["impressions"])
    assert "total value" in verdict(md, "value_per_1000_by_creative", totals["value_90d"])
    assert "divided by conversions" in verdict(md, "value_per_1000_by_creative",
                                               totals["value_90d"] / totals["conversions"])


def test_picks_are_different_creatives_and_wrong_picks_are_explained(md):
    assert q.optimiser_pick(md) == "clickbait" and q.value_pick(md) == "substantive"
    assert "only sees clicks" in verdict(md, "optimiser_pick", "substantive")
    assert "most clicks" in verdict(md, "value_pick", "clickbait")
    assert "purchases per impression" in verdict(md, "value_pick", "discount")
    assert verdict(md, "optimiser_pick", " Clickbait") is None  # capitals and spaces do not matter


def test_incrementality_mistakes_are_named(md):
    test = md["retargeting_holdout"]
    buyers = test.groupby("group")["converted"].sum()
    rates = test.groupby("group")["converted"].mean()
    exposed = int((test["group"] == "exposed").sum())
    assert "subtracted buyer counts" in verdict(md, "incremental_conversions",
                                                float(buyers["exposed"] - buyers["holdout"]))
    assert "difference in purchase rates" in verdict(md, "incremental_conversions",
                                                     float(rates["exposed"] - rates["holdout"]))
    assert "all users" in verdict(md, "incremental_conversions",
                                  float((rates["exposed"] - rates["holdout"]) * len(test)))
    assert verdict(md, "incremental_conversions", float((rates["exposed"] - rates["holdout"]) * exposed)) is None
    assert "every buyer" in verdict(md, "attributed_conversions", int(test["converted"].sum()))
    share_of_buyers = q.incremental_conversions(md) / buyers["exposed"]
    assert "all buyers in the exposed group" in verdict(md, "incremental_share", float(share_of_buyers))


def test_share_in_percent_is_told_its_scale(md):
    message = verdict(md, "incremental_share", 100 * q.incremental_share(md))
    assert "percentage" in message and "divide by 100" in message


def test_messages_never_give_the_expected_number_away(md):
    expected = q.incremental_conversions(md)
    for wrong in (expected * 0.5, expected * 2, expected + 50):
        message = verdict(md, "incremental_conversions", float(wrong))
        assert message and f"{expected:.0f}" not in message and f"{expected:.1f}" not in message


# --- Simulations -------------------------------------------------------------------------------

def test_click_optimiser_drifts_to_clickbait_clicks_up_value_down():
    for seed in range(5):
        run = goodhart_rounds(1.0, seed=seed)
        bait = run["names"].index("clickbait")
        assert run["share"][-1, bait] > 0.85
        assert run["clicks_per_1000"][-5:].mean() > 1.2 * run["clicks_per_1000"][0]
        assert run["value_per_1000"][-5:].mean() < 0.7 * run["value_per_1000"][0]


def test_value_optimiser_drifts_to_substantive_and_earns_more():
    for seed in range(5):
        by_value, by_clicks = goodhart_rounds(0.0, seed=seed), goodhart_rounds(1.0, seed=seed)
        assert by_value["share"][-1, by_value["names"].index("substantive")] > 0.85
        assert by_value["value_per_1000"][-10:].mean() > 2 * by_clicks["value_per_1000"][-10:].mean()
        assert by_value["clicks_per_1000"][-10:].mean() < by_clicks["clicks_per_1000"][-10:].mean()


def test_final_value_never_rises_with_the_weight_on_clicks():
    weights = [0.0, 0.3, 0.5, 0.7, 1.0]
    value = [np.mean([goodhart_rounds(w, seed=s)["value_per_1000"][-10:].mean() for s in range(4)]) for w in weights]
    assert all(a >= b * 0.95 for a, b in zip(value, value[1:])), value
    assert value[0] > 2 * value[-1]


def test_optimiser_is_reproducible_and_allocations_are_shares():
    a, b = goodhart_rounds(0.8, seed=3), goodhart_rounds(0.8, seed=3)
    assert np.array_equal(a["value_per_1000"], b["value_per_1000"])
    assert np.allclose(a["share"].sum(axis=1), 1.0)


def test_entropy_is_zero_for_one_message_and_log2_n_for_all_different():
    assert message_entropy([3] * 12) == 0.0
    assert message_entropy(range(8)) == pytest.approx(3.0)


def test_no_copying_keeps_variety_and_copying_collapses_it():
    still = copycat_brands(0.0, invent_rate=0.0)
    assert np.allclose(still["entropy"], np.log2(12)) and (still["distinct"] == 12).all()
    for seed in range(5):
        run = copycat_brands(0.3, seed=seed)
        assert run["entropy"][0] == pytest.approx(np.log2(12))
        assert run["entropy"][-1] < 1.0 and run["distinct"][-1] <= 3


def test_more_copying_means_less_variety():
    rates = [0.0, 0.05, 0.1, 0.3, 0.8]
    final = [np.mean([copycat_brands(c, seed=s)["entropy"][-10:].mean() for s in range(10)]) for c in rates]
    assert all(a > b for a, b in zip(final, final[1:])), final


def test_explorers_build_and_redraw_without_a_browser():
    from course.sims.algorithm_faith import copycat_explorer, goodhart_explorer

    for build, start, moved in ((goodhart_explorer, 1.0, 0.0), (copycat_explorer, 0.1, 0.5)):
        box = build()
        slider, figure = box.children[0], box.children[1]
        before = figure.layout.title.text
        assert before and f"{start:.0%}" in before
        slider.value = moved
        assert figure.layout.title.text != before
