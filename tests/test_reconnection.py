"""Module 5: the words are varied and tagged honestly, the lessons hold for every profile and seed, the
checks judge substance (right in any reasonable form, each wrong path named), the budget model and its
simulation teach what the exercises teach, and the model answer's numbers are the data's."""
from __future__ import annotations

import re

import nbformat
import numpy as np
import pandas as pd
import pytest

from conftest import notebook_data as module_data
from course import data
from course.data import reconnection as gen
from course.data import reconnection_text as text
from course.data.profiles import PROFILES
from course.data.registry import to_csv_bytes
from course.measures import budget as model
from course.measures.nps import nps_margin
from course.measures.themes import THEME_KEYWORDS
from course.modules import get_module
from course.paths import solutions_dir
from course.questions import bank_for
from course.questions import reconnection as q
from course.sims import reconnection as sims

M5_DATASETS = ("verbatims", "community_threads", "relationships", "budget")
CASES = [(p, s) for p in PROFILES for s in (2024, 7)]
NOTEBOOK = solutions_dir() / "m5_reconnection" / "m5_reconnection.ipynb"


@pytest.fixture(scope="module")
def retail():
    return module_data("retail", 2024)


@pytest.fixture(scope="module", params=CASES, ids=[f"{p}-{s}" for p, s in CASES])
def case(request):
    return module_data(*request.param)


def tagged(texts) -> list[set]:
    """Themes found by the keyword rule, the plain-Python way (independent of pandas)."""
    return [{t for t, words in THEME_KEYWORDS.items() if any(w in s.lower() for w in words)} for s in texts]


def verdict(qid, value, d):
    return bank_for("reconnection").get(qid).says(value, d)


# --- generators ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", M5_DATASETS)
def test_same_seed_same_bytes_other_seed_other_data(name):
    one = to_csv_bytes(data.make(name, "retail", 2024))
    assert one == to_csv_bytes(data.make(name, "retail", 2024))
    assert one != to_csv_bytes(data.make(name, "retail", 7))
    assert one != to_csv_bytes(data.make(name, "bank", 2024))


@pytest.mark.parametrize("profile,seed", CASES)
def test_keyword_tagger_finds_exactly_the_themes_written(profile, seed):
    frame, truth = gen._verbatims_with_truth(seed, PROFILES[profile])
    assert tagged(frame["text"]) == [set(t) for t in truth]


@pytest.mark.parametrize("profile", list(PROFILES))
def test_every_theme_sentence_names_its_theme_and_no_other_whatever_fills_it(profile):
    prof = PROFILES[profile]
    for source in (text.PHRASES[profile], text.GENERIC_PHRASES if profile == "retail" else {}):
        for theme, tones in source.items():
            for tone, templates in tones.items():
                for template in templates:
                    for filled in text.every_filling(template, prof):
                        assert tagged([filled])[0] == {theme}, (theme, tone, filled)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_every_neutral_part_names_no_theme_whatever_fills_it(profile):
    prof = PROFILES[profile]
    neutral = [*sum(text.OPENERS.values(), ()), *sum(text.CLOSERS.values(), ()), *text.PASSIVE_LINKS,
               *sum(text.UNTHEMED.values(), ()), *sum(text.THREAD_OPENERS.values(), ()),
               *text.contexts_for(prof), *text.GENERIC_CONTEXTS]
    for part in neutral:
        for filled in text.every_filling(part, prof):
            assert tagged([filled])[0] == set(), filled


@pytest.mark.parametrize("profile,seed", CASES)
def test_verbatims_are_nearly_all_different(profile, seed):
    texts = data.make("verbatims", profile, seed)["text"]
    assert texts.nunique() / len(texts) >= 0.96
    assert texts.value_counts().iloc[0] <= 5, texts.value_counts().head(3)


@pytest.mark.parametrize("profile,seed", CASES)
def test_planted_quirks_are_there(profile, seed):
    d = module_data(profile, seed)
    v = d["verbatims"]
    assert 0.02 < v["score"].isna().mean() < 0.07
    shouting = v[v["text"].str.upper() == v["text"]]
    assert len(shouting) >= 10 and (shouting["score"].dropna() <= 6).all()
    untagged = ~q.mentions(v["text"]).any(axis=1)
    assert 0.03 < untagged.mean() < 0.12
    assert set(v["customer_id"]) <= set(d["relationships"]["customer_id"])
    threads = d["community_threads"]
    assert threads["hours_to_first_reply"].isna().any()
    assert (threads.loc[threads["replies"] == 0, "hours_to_first_reply"].isna()).all()
    assert (d["relationships"]["revenue_last_year"] == 0).any()


@pytest.mark.parametrize("profile,seed", CASES)
def test_the_budget_table_is_what_its_card_says(profile, seed):
    d = module_data(profile, seed)
    b, rel = d["budget"], d["relationships"]
    assert list(b["tier"]) == list(model.TIERS)
    total = b["current_budget"].sum()
    assert 0.06 <= total / rel["revenue_last_year"].sum() <= 0.09 + 1e-3
    assert 0.62 <= b["current_budget"].iloc[0] / total <= 0.75 + 1e-3
    assert (b["current_budget"].iloc[1:] >= 0.08 * b["current_budget"].iloc[1:].sum() - 100).all()
    assert (b["ceiling_low"] < b["ceiling"]).all() and (b["ceiling"] < b["ceiling_high"]).all()
    # The exercise's move stays where the tests went; doubling the budget does not.
    block = model.block_of(b)
    table = b.set_index("tier")
    assert (table.loc[list(model.CUSTOMER_TIERS), "tested_up_to"] >= table.loc[list(model.CUSTOMER_TIERS), "current_budget"] + block).all()
    assert "prospects" in model.untested(2 * model.today(b), b)


# --- the lessons, on every profile and seed ------------------------------------------------------

def test_listening_lessons_hold(case):
    counts = q.detractor_theme_counts(case).sort_values(ascending=False)
    assert counts.iloc[0] >= 1.5 * counts.iloc[1], "the top detractor theme is unambiguous"
    overall = q.mentions(case["verbatims"]["text"]).sum()
    assert overall.idxmax() != counts.index[0], "the loudest theme overall is not the one that hurts"
    shares = q.brand_reply_share(case)
    threads = case["community_threads"]
    own = threads.loc[threads["run_by_brand"], "community"].iloc[0]
    assert shares[own] > 0.6 and shares.drop(own).max() < 0.2
    assert threads["community"].value_counts().idxmax() != own
    assert -100 < q.nps(case) < 100
    assert 2 < nps_margin(case["verbatims"]["score"]) < 8, "one survey's NPS is precise to a few points"


def test_reports_credit_the_tiers_in_another_order_than_what_the_next_block_causes(case):
    attributed = q.attributed_returns(case)
    assert attributed.is_monotonic_increasing, "the reports like advocates best"
    assert q.best_attributed_tier(case) != q.fund_first(case)
    # Module 4's lesson: for customers, reports credit far more than the spend causes.
    average = q.average_returns(case)
    assert (attributed[list(model.CUSTOMER_TIERS)] > average[list(model.CUSTOMER_TIERS)]).all()


def test_the_next_block_brings_less_than_the_average_one(case):
    assert (q.next_block_return(case) < q.average_returns(case)).all()


def test_moving_one_block_pays_a_little_and_its_range_is_wider_than_the_gain(case):
    gain = q.move_gain(case) / q.current_return(case)
    assert 0.005 < gain < 0.15, "a modest gain: not the +67% of multiplying attributed returns"
    worst, best = q.gain_range(case)
    assert worst < q.move_gain(case) < best
    assert q.next_block_return(case)[q.fund_first(case)] > q.next_block_return(case)["prospects"]


def test_after_enough_blocks_the_funded_tier_stops_being_the_best_next_step(case):
    budget, fund, block = case["budget"], q.fund_first(case), q.block(case)
    plan = model.today(budget)
    before = model.next_returns(plan, budget, block)[fund]
    for _ in range(5):
        plan = model.moved(plan, "prospects", fund, block)
    after = model.next_returns(plan, budget, block)
    assert after[fund] < before and after[fund] < after["prospects"], "diminishing returns move the answer"


def test_the_best_share_on_customers_is_between_todays_plan_and_the_strict_rule(case):
    budget = case["budget"]
    best = q.best_share(case)
    assert q.customer_share_today(case) < best < 0.9
    ninety = model.plan_revenue(model.plan_with_share(budget, 0.9), budget)
    assert ninety < model.plan_revenue(model.plan_with_share(budget, best), budget)


def test_twice_the_budget_brings_far_less_than_twice_the_revenue(case):
    budget = case["budget"]
    today = model.today(budget)
    ratio = model.plan_revenue(2 * today, budget) / model.plan_revenue(today, budget)
    assert 1.1 < ratio < 1.6


# --- the budget model ----------------------------------------------------------------------------

def test_the_curve_is_capped_halfway_at_half_spend_and_concave():
    spend = np.linspace(0, 50_000, 101)
    revenue = model.extra_revenue(spend, 10_000.0, 5_000.0)
    assert revenue[0] == 0 and revenue.max() < 10_000
    assert model.extra_revenue(5_000.0, 10_000.0, 5_000.0) == pytest.approx(5_000)
    assert np.all(np.diff(revenue) > 0) and np.all(np.diff(revenue, 2) < 0)
    nexts = model.next_return(spend[1:], 10_000.0, 5_000.0, 500.0)
    assert np.all(np.diff(nexts) < 0) and np.all(nexts < model.average_return(spend[1:], 10_000.0, 5_000.0))


def test_plans_keep_their_total_and_todays_share_is_todays_plan(retail):
    budget = retail["budget"]
    today = model.today(budget)
    same = model.plan_with_share(budget, model.customer_share(today))
    pd.testing.assert_series_equal(same.reindex(today.index), today, check_names=False)
    moved = model.moved(today, "prospects", "loyal", model.block_of(budget))
    assert moved.sum() == pytest.approx(today.sum()) and moved["loyal"] > today["loyal"]
    with pytest.raises(ValueError, match="cannot move"):
        model.moved(today, "advocate", "loyal", today.sum())


def test_the_answer_key_and_the_measures_use_one_model(retail):
    budget = retail["budget"]
    curve = budget.set_index("tier")
    plan = q.moved_plan(retail)
    by_hand = (curve["ceiling"] * plan / (plan + curve["half_spend"])).sum()
    assert q.expected_return(retail) == pytest.approx(by_hand)
    spend, block = curve["current_budget"], 0.1 * budget["current_budget"].sum()
    step = (curve["ceiling"] * (spend + block) / (spend + block + curve["half_spend"])
            - curve["ceiling"] * spend / (spend + curve["half_spend"])) / block
    pd.testing.assert_series_equal(q.next_block_return(retail), step, check_names=False)


def test_the_nps_margin_follows_the_sample_size():
    small = pd.Series([10] * 40 + [3] * 30 + [8] * 30)
    big = pd.concat([small] * 16)
    assert nps_margin(big) == pytest.approx(nps_margin(small) / 4)
    assert nps_margin(pd.Series([10.0, None, 10.0])) == 0


# --- checks: right in any reasonable form, each wrong path named -------------------------------

def test_nps_forms_and_mistakes(retail):
    scores = retail["verbatims"]["score"]
    right = q.nps(retail)
    assert verdict("nps", round(right, 1), retail) is None
    whole = verdict("nps", float(round(right)), retail)   # right when the NPS is within 0.1 of a whole number
    assert whole is None if abs(round(right) - right) <= 0.1 else "rounded too much" in whole
    assert "100" in verdict("nps", right / 100, retail)
    assert "dropna" in verdict("nps", 100 * ((scores >= 9).mean() - (scores <= 6).mean()), retail)
    assert "average score" in verdict("nps", float(scores.mean()), retail)
    assert "bands" in verdict("nps", q.nps_of(scores, 8, 6), retail)
    assert verdict("nps", right + 5, retail) is not None


def test_theme_count_forms_and_mistakes(retail):
    v = retail["verbatims"]
    right = q.detractor_theme_counts(retail)
    assert verdict("detractor_theme_counts", right.to_dict(), retail) is None
    assert verdict("detractor_theme_counts", right.rename(index=lambda t: f" {t.title()} "), retail) is None
    assert "index" in verdict("detractor_theme_counts", right.reset_index(drop=True), retail)
    det = v.loc[v["score"] <= 6, "text"]
    careless = pd.Series({t: int(det.str.contains("|".join(w)).sum()) for t, w in THEME_KEYWORDS.items()})
    assert "case=False" in verdict("detractor_theme_counts", careless, retail)
    assert "detractors" in verdict("detractor_theme_counts", q.mentions(v["text"]).sum(), retail)
    below = q.mentions(v.loc[v["score"] < 6, "text"]).sum()
    assert "<= 6" in verdict("detractor_theme_counts", below, retail)


def test_top_theme_forms_and_mistakes(retail):
    top = q.top_detractor_theme(retail)
    assert verdict("top_detractor_theme", f"  {top.capitalize()} ", retail) is None
    everyone = str(q.mentions(retail["verbatims"]["text"]).sum().idxmax())
    assert "detractors" in verdict("top_detractor_theme", everyone, retail)
    assert "not a theme" in verdict("top_detractor_theme", "delivery", retail)


def test_reply_share_forms_and_mistakes(retail):
    right = q.brand_reply_share(retail)
    assert verdict("brand_reply_share", right.round(2), retail) is None
    assert "percentages" in verdict("brand_reply_share", 100 * right, retail)
    threads = retail["community_threads"]
    assert "average number" in verdict("brand_reply_share", threads.groupby("community")["brand_replies"].mean(), retail)
    assert "threads" in verdict("brand_reply_share", q.brand_share_of_replies(retail), retail)
    two_level = (threads["brand_replies"] > 0).groupby([threads["community"], threads["run_by_brand"]]).mean()
    assert "2-level index" in verdict("brand_reply_share", two_level, retail)


def test_next_block_forms_and_mistakes(retail):
    right = q.next_block_return(retail)
    assert verdict("next_block_return", right.round(2), retail) is None
    assert verdict("next_block_return", right.rename(index=str.upper), retail) is None
    assert "index" in verdict("next_block_return", pd.Series(right.to_numpy()), retail)
    assert "on average" in verdict("next_block_return", q.average_returns(retail), retail)
    assert "attributed" in verdict("next_block_return", q.attributed_returns(retail), retail)
    assert "Divide by the block" in verdict("next_block_return", q.block_not_divided(retail), retail)
    assert "Subtract" in verdict("next_block_return", q.block_not_subtracted(retail), retail)
    assert "rounded too much" in verdict("next_block_return", right.round(1), retail)


def test_fund_first_forms_and_mistakes(retail):
    assert verdict("fund_first", q.fund_first(retail).upper(), retail) is None
    assert "credit most" in verdict("fund_first", q.best_attributed_tier(retail), retail)
    worst = q.worst_next_tier(retail)
    expected = "credit most" if worst == q.best_attributed_tier(retail) else "least"
    assert expected in verdict("fund_first", worst, retail)
    assert "not a tier" in verdict("fund_first", "vip", retail)


def test_new_return_forms_and_mistakes(retail):
    right = q.expected_return(retail)
    assert verdict("expected_return", round(right, -2), retail) is None
    assert verdict("expected_return", np.float64(right), retail) is None
    thousands = verdict("expected_return", round(right, -3), retail)
    assert thousands is None if abs(round(right, -3) - right) <= 100 else "rounded too much" in thousands
    assert "today's plan" in verdict("expected_return", q.current_return(retail), retail)
    assert "gain" in verdict("expected_return", q.move_gain(retail), retail)
    assert "take the block out" in verdict("expected_return", q.return_plan_grew(retail), retail)
    assert "credit most" in verdict("expected_return", q.return_moved_to_attributed_best(retail), retail)
    assert "attributed" in verdict("expected_return", q.attributed_value_of_plan(retail), retail)


# --- the model answer ----------------------------------------------------------------------------

def _numbers(markdown: str) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"[-+]?\d[\d,]*\.?\d*", markdown)]


def test_the_model_answer_states_only_the_datas_numbers(case):
    rendered = q.MODEL_ANSWERS["reconnection_plan"](case)
    n = q.plan_numbers(case)
    expected = [n["top_count"], n["detractors"], round(n["attributed"], 2), round(n["attributed_next"], 2),
                round(100 * n["community_share"], 1), round(100 * n["reply_share"], 1), round(n["block"]),
                round(n["gain"]), round(100 * n["gain_share"], 1), round(n["worst"]), round(n["best"]),
                round(n["nps"], 1), round(n["margin"], 1)]
    found = _numbers(rendered)
    for value in expected:
        assert any(abs(f - value) < 1e-6 for f in found), (value, found)
    fixed = {2.0, 3.0}  # "two hours", "three times": wording, not data (written as words, so never found)
    data_numbers = {float(v) for v in expected}
    assert all(f in data_numbers or f in fixed for f in found), found
    assert n["top"] in rendered and n["community"] in rendered and n["fund"] in rendered
    assert 150 <= len(re.sub(r"[*#]", "", rendered).split()) <= 260


# --- the notebook ----------------------------------------------------------------------------------

def _headings(nb) -> list[tuple[str, int]]:
    found = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                m = re.match(r"^## (.+) \((\d+) min\)$", line)
                if m:
                    found.append((m.group(1), int(m.group(2))))
    return found


def test_the_sections_minutes_add_up_to_the_modules_time():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert sum(minutes for _, minutes in _headings(nb)) == get_module("reconnection").minutes


def test_each_question_s_worked_example_comes_before_its_answer_cell():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    sources = [c.source for c in nb.cells]
    for question in bank_for("reconnection").questions.values():
        answer = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == question.id)
        if question.example:
            name = re.search(r"'([^']+)'", question.example).group(1)
            assert any(name.lower() in s.lower() and "worked example" in s.lower() for s in sources[:answer]), question.id


def test_the_notebook_cites_its_sources_and_states_no_number_about_the_data_in_prose():
    from course.sources import check_citations

    assert set(check_citations(NOTEBOOK)) >= {"reichheld_2003", "keiningham_2007", "sethuraman_2011"}
    nb = nbformat.read(NOTEBOOK, as_version=4)
    d = module_data("retail", 2024)
    facts = {f"{q.nps(d):.1f}", f"{q.expected_return(d):,.0f}", f"{q.block(d):,.0f}"}
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "BEGIN SOLUTION" not in cell.source:
            assert not [f for f in facts if f in cell.source], cell.source[:80]


# --- simulations ------------------------------------------------------------------------------------

def test_the_opening_picture_tells_the_story_from_the_data(retail):
    threads, budget = retail["community_threads"], retail["budget"]
    fig = sims.opening_picture(threads, budget, "EUR")
    own = threads.loc[threads["run_by_brand"], "community"].iloc[0]
    share = (threads["community"] == own).mean()
    prospects = budget["current_budget"].iloc[0] / budget["current_budget"].sum()
    assert f"{share:.0%} of the threads" in fig.layout.title.text and f"{prospects:.0%} of the" in fig.layout.title.text
    assert share < 0.5 < prospects
    assert sum(fig.data[0].y) == len(threads)


def _explorer(budget):
    box = sims.budget_explorer(budget, "EUR")
    share, scale, fig = box.children[0], box.children[1], box.children[2]
    return share, scale, fig


def test_the_budget_explorer_starts_on_todays_plan_and_its_bars_say_where_to_move(retail):
    budget = retail["budget"]
    share, scale, fig = _explorer(budget)
    assert "the same as today's plan" in fig.layout.title.text
    bars = pd.Series(fig.data[6].y, index=list(fig.data[6].x))
    assert bars.idxmax() == q.fund_first(retail) and bars["prospects"] < bars.max()
    best = q.best_share(retail)
    assert f"best share on customers is {best:.0%}" in fig.layout.title.text
    share.value = best
    level = pd.Series(fig.data[6].y, index=list(fig.data[6].x))
    customers = level[list(model.CUSTOMER_TIERS)]
    assert abs(level["prospects"] - customers.max()) < abs(bars["prospects"] - bars.max()), "the bars level out"


def test_the_budget_explorers_cost_line_and_curve_follow_both_sliders(retail):
    budget = retail["budget"]
    share, scale, fig = _explorer(budget)
    cost = fig.data[0]
    assert cost.line.color == sims.COLOURS["cost"] and list(cost.x) == list(cost.y), "the cost line is y = x"
    points = []
    for value in (0.5, 1.0, 2.0):
        scale.value = value
        points.append((fig.data[4].x[0], fig.data[4].y[0]))
        assert fig.data[5].x[0] == fig.data[5].y[0] == fig.data[4].x[0], "the cost marker sits on the cost line"
    (x1, y1), (x2, y2), (x3, y3) = points
    assert x1 < x2 < x3 and y1 < y2 < y3
    assert (y3 - y2) / (x3 - x2) < (y2 - y1) / (x2 - x1), "each extra unit of budget brings less"
    assert "beyond the tests" in fig.layout.title.text
    assert any(v is not None for v in fig.data[2].y), "the untested part of the curve is drawn dotted"
    curves = []
    for value in (0.1, 0.5, 0.9):
        share.value = value
        curves.append(tuple(fig.data[1].y[:10]))
    assert len(set(curves)) == 3


def test_verbatim_filters_agree_with_counts(retail):
    v = retail["verbatims"]
    flags = sims.theme_flags(v)
    counts = sims.theme_counts(flags, v, 0, 6)
    for theme in text.THEMES:
        assert len(sims.filter_verbatims(v, flags, theme, 0, 6)) == counts[theme]
    assert len(sims.filter_verbatims(v, flags, sims.NO_THEME, 0, 6)) == counts[sims.NO_THEME]
    assert counts[list(text.THEMES)].idxmax() == q.top_detractor_theme(retail)


def test_the_verbatim_explorer_follows_its_controls(retail):
    box = sims.verbatim_explorer(retail["verbatims"])
    controls, words = box.children[0], box.children[1]
    dropdown, scores = controls.children[0], controls.children[1]
    dropdown.value = q.top_detractor_theme(retail)
    scores.value = (9, 10)
    assert "scores 9-10" in words.value and re.search(r"\d+ of \d", words.value)


def _section_text_before(nb, qid: str) -> str:
    """The markdown a learner reads between the previous answer cell and this question's answer cell."""
    answer = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == qid)
    start = max((i for i, c in enumerate(nb.cells[:answer]) if c.metadata.get("nbgrader", {}).get("solution")),
                default=-1)
    return " ".join(" ".join(c.source.split()) for c in nb.cells[start + 1:answer] if c.cell_type == "markdown")


def test_every_prompt_in_the_notebook_states_the_precision_its_check_uses():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for question in bank_for("reconnection").questions.values():
        assert question.kind.how() in _section_text_before(nb, question.id), question.id


def test_the_range_cell_takes_the_funded_tier_in_the_form_the_check_accepts(retail, capsys):
    # fund_first's check accepts 'OCCASIONAL ' for 'occasional'; the cell after exercise 7 must then run too
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "move_gain_range(" in c.source)
    budget = retail["budget"]
    right = q.fund_first(retail)
    for given in (right, f" {right.upper()} "):
        exec(cell.source, {"budget": budget, "curve": budget.set_index("tier"), "fund_first": given,
                           "block": q.block(retail), "new_return": q.expected_return(retail)})
        worst, best = q.gain_range(retail)
        assert f"from {worst:+,.0f} to {best:+,.0f}" in capsys.readouterr().out, given
