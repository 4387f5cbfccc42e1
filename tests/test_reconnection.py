"""Module 5: generators are deterministic and plant what they claim; questions accept their own answer
and explain typical wrong ones; the budget model has diminishing returns on both sides."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from course import data
from course.data import reconnection as gen
from course.data.profiles import PROFILES, Profile
from course.data.registry import to_csv_bytes
from course.questions import bank_for

from conftest import notebook_data as module_data
from course.questions import reconnection as q
from course.sims import reconnection as sims

M5_DATASETS = ("verbatims", "community_threads", "relationships", "budget")
CASES = [(p, s) for p in ("retail", "b2b_software", "bank", "telecom") for s in (2024, 7)]


@pytest.fixture(scope="module")
def retail():
    return module_data("retail", 2024)


def tagged(texts) -> list[set]:
    """Themes found by the keyword rule, the plain-Python way (independent of pandas)."""
    return [{t for t, words in gen.THEME_KEYWORDS.items() if any(w in text.lower() for w in words)}
            for text in texts]


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


def fills(template: str, profile: Profile) -> list[str]:
    """Every way a template can be filled (all categories, all small numbers)."""
    out = []
    for cat in profile.product_categories:
        values = {f"n{i}": noun for i, noun in enumerate(profile.product_nouns)}
        values.update(cat=cat.lower(), company=profile.company, weeks="two", days="two", minutes="25")
        out.append(template.format(**values))
    return out


@pytest.mark.parametrize("profile", list(PROFILES))
def test_every_phrase_names_its_theme_and_no_other(profile):
    prof = PROFILES[profile]
    for source in (gen.PHRASES[profile], gen.GENERIC_PHRASES if profile == "retail" else {}):
        for theme, tones in source.items():
            for tone, templates in tones.items():
                for template in templates:
                    for text in fills(template, prof):
                        assert tagged([text])[0] == {theme}, (theme, tone, text)
    neutral = [*sum(gen.OPENERS.values(), ()), *sum(gen.CLOSERS.values(), ()), *gen.PASSIVE_LINKS,
               *sum(gen.UNTHEMED.values(), ()), *sum(gen.THREAD_OPENERS.values(), ())]
    for text in neutral:
        assert tagged([text.format(company=prof.company)])[0] == set(), text


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
    rel = d["relationships"]
    assert (rel["revenue_last_year"] == 0).any()


@pytest.mark.parametrize("profile,seed", CASES)
def test_lessons_hold_for_every_profile_and_seed(profile, seed):
    d = module_data(profile, seed)
    counts = q.detractor_theme_counts(d).sort_values(ascending=False)
    # The top detractor theme is unambiguous, and counting carelessly does not change it by chance.
    assert counts.iloc[0] >= 1.5 * counts.iloc[1]
    overall = q.mentions(d["verbatims"]["text"]).sum()
    assert overall.idxmax() != counts.index[0], "the loudest theme overall should not be the one that hurts"
    shares = q.brand_reply_share(d)
    threads = d["community_threads"]
    own = threads.loc[threads["run_by_brand"], "community"].iloc[0]
    assert shares[own] > 0.6 and shares.drop(own).max() < 0.2
    assert threads["community"].value_counts().idxmax() != own
    sizes = q.tier_sizes(d)
    assert set(sizes.index) == set(q.TIER_WEIGHTS) and sizes.min() >= 50
    assert q.expected_return(d) > q.current_return(d)
    budget = d["budget"]
    assert budget.set_index("tier")["return_per_euro"].is_monotonic_increasing
    assert budget["current_budget"].iloc[0] / budget["current_budget"].sum() > 0.6
    assert -100 < q.nps(d) < 100 and not np.isnan(q.nps(d))


# --- questions ----------------------------------------------------------------------------------

@pytest.mark.parametrize("profile,seed", CASES)
def test_every_question_accepts_its_own_expectation(profile, seed):
    d = module_data(profile, seed)
    for question in bank_for("reconnection").questions.values():
        plain = question.expected_plain(d)
        assert question.verdict(plain, d) is None, question.id
        assert len(question.hints) >= 2


def verdict(qid, value, d):
    question = bank_for("reconnection").get(qid)
    return question.verdict(question.kind.to_plain(value), d)


def test_nps_mistakes_are_named(retail):
    v = retail["verbatims"]
    scores = v["score"]
    right = q.nps(retail)
    assert "multiply by 100" in verdict("nps", right / 100, retail)
    assert "dropna" in verdict("nps", 100 * ((scores >= 9).mean() - (scores <= 6).mean()), retail)
    assert "average score" in verdict("nps", float(scores.mean()), retail)
    assert "bands" in verdict("nps", q.nps_of(scores, 8, 6), retail)
    assert verdict("nps", right + 5, retail) is not None


def test_theme_mistakes_are_named(retail):
    v = retail["verbatims"]
    det = v[v["score"] <= 6]["text"]
    careless = pd.Series({t: int(det.str.contains("|".join(w)).sum()) for t, w in gen.THEME_KEYWORDS.items()})
    assert "case=False" in verdict("detractor_theme_counts", careless, retail)
    everyone = q.mentions(v["text"]).sum()
    assert "detractors" in verdict("detractor_theme_counts", everyone, retail)
    assert "detractors" in verdict("top_detractor_theme", str(everyone.idxmax()), retail)
    other = next(t for t in gen.THEMES if t not in (q.top_detractor_theme(retail), str(everyone.idxmax())))
    assert verdict("top_detractor_theme", other, retail) is not None


def test_reply_share_mistakes_are_named(retail):
    threads = retail["community_threads"]
    assert "average number" in verdict("brand_reply_share",
                                       threads.groupby("community")["brand_replies"].mean(), retail)
    assert "percentages" in verdict("brand_reply_share", 100 * q.brand_reply_share(retail), retail)


def test_tier_mistakes_are_named(retail):
    rel = retail["relationships"]
    loyal = (rel["tenure_years"] >= 3) & (rel["purchases_last_year"] >= rel["purchases_last_year"].median())
    tier = pd.Series("occasional", index=rel.index)
    tier[rel["referrals_last_year"] >= 1] = "advocate"
    tier[loyal] = "loyal"
    assert "advocate rule comes first" in verdict("tier_sizes", tier.value_counts(), retail)
    by_mean = q.relationship_tier(rel, rel["purchases_last_year"].mean()).value_counts()
    assert "median" in verdict("tier_sizes", by_mean, retail)


def test_budget_mistakes_are_named(retail):
    total = float(retail["budget"]["current_budget"].sum())
    sizes = q.tier_sizes(retail)
    no_prospects = q.allocate(sizes, total, prospect_share=0.0).drop("prospects")
    assert "10% for prospects" in verdict("tier_budget", no_prospects, retail)
    flat = q.allocate(sizes, total, weights={t: 1 for t in q.TIER_WEIGHTS})
    assert "weights" in verdict("tier_budget", flat, retail)
    new = q.tier_budget(retail)
    assert abs(new.sum() - total) < 1e-6
    assert "today's plan" in verdict("expected_return", q.current_return(retail), retail)
    assert verdict("expected_return", q.expected_return(retail) * 1.1, retail) is not None


def test_wrong_answers_never_reveal_the_expected_number(retail):
    expected = q.nps(retail)
    for wrong in (expected + 3, expected - 3, 0.0):
        message = verdict("nps", wrong, retail)
        assert message and f"{expected:.1f}" not in message


# --- simulations --------------------------------------------------------------------------------

def test_budget_model_has_an_interior_best_share():
    grid = np.linspace(0.0, 0.95, 96)
    for ratio in (0.06, 0.075, 0.09):
        out = sims.budget_by_relationship(grid, customers=1000, budget=ratio * 1000, value=1.0)
        revenue = out["total_revenue"]
        best = int(revenue.argmax())
        assert 0.3 < grid[best] < 0.9
        assert revenue[best] > 1.1 * revenue[0] and revenue[best] > revenue[-1]
        assert np.allclose(out["total_cost"], 3 * ratio * 1000)
        # More care for customers keeps more of them in year one, with shrinking extra gains.
        kept = out["kept"][0]
        assert np.all(np.diff(kept) > 0) and np.all(np.diff(kept, 2) < 1e-9)


def test_budget_model_scales_with_the_company():
    small = sims.budget_by_relationship([0.2, 0.6], customers=1000, budget=70.0, value=1.0)
    big = sims.budget_by_relationship([0.2, 0.6], customers=5000, budget=70.0 * 5 * 300, value=300.0)
    assert np.allclose(big["total_revenue"], small["total_revenue"] * 5 * 300)


def test_verbatim_filters_agree_with_counts(retail):
    v = retail["verbatims"]
    flags = sims.theme_flags(v)
    counts = sims.theme_counts(flags, v, 0, 6)
    for theme in gen.THEMES:
        assert len(sims.filter_verbatims(v, flags, theme, 0, 6)) == counts[theme]
    assert len(sims.filter_verbatims(v, flags, sims.NO_THEME, 0, 6)) == counts[sims.NO_THEME]
    assert counts[list(gen.THEMES)].idxmax() == q.top_detractor_theme(retail)


def test_explorers_build_and_follow_their_controls(retail):
    box = sims.verbatim_explorer(retail["verbatims"])
    controls, words = box.children[0], box.children[1]
    dropdown, scores = controls.children[0], controls.children[1]
    dropdown.value = q.top_detractor_theme(retail)
    scores.value = (9, 10)
    assert "scores 9-10" in words.value and re.search(r"\d+ of \d", words.value)
    budget = sims.budget_explorer(retail["relationships"], retail["budget"])
    slider, fig = budget.children[0], budget.children[1]
    slider.value = 0.6
    assert "60% on customers" in fig.layout.title.text
