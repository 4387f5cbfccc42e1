"""Module 5 questions: listen to customers with numbers (NPS, themes, communities) and spend where the
relationship is."""
from __future__ import annotations

import math

import pandas as pd

from ..measures.nps import DETRACTOR_UP_TO, PROMOTER_FROM
from ..measures.nps import nps as nps_of
from ..measures.themes import mentions
from . import Mistake, ModuleData, Question, QuestionBank
from .kinds import Label, Number, NumberSeries

BANK = QuestionBank("reconnection")

LOYAL_TENURE_YEARS = 3
PROSPECT_SHARE = 0.10    # of the total budget, set aside for people who are not customers yet
TIER_WEIGHTS = {"occasional": 1, "loyal": 2, "advocate": 3}


def nps(data: ModuleData) -> float:
    """The company's NPS over every scored answer."""
    return nps_of(data["verbatims"]["score"])


def detractors(verbatims: pd.DataFrame) -> pd.DataFrame:
    """Answers scored 0 to 6."""
    return verbatims[verbatims["score"] <= DETRACTOR_UP_TO]


def detractor_theme_counts(data: ModuleData) -> pd.Series:
    """How many detractor comments mention each theme."""
    return mentions(detractors(data["verbatims"])["text"]).sum()


def top_detractor_theme(data: ModuleData) -> str:
    """The theme detractors mention most."""
    return str(detractor_theme_counts(data).idxmax())


def brand_reply_share(data: ModuleData) -> pd.Series:
    """Per community, the share of threads where the brand replied at least once."""
    threads = data["community_threads"]
    return (threads["brand_replies"] > 0).groupby(threads["community"]).mean()


def relationship_tier(rel: pd.DataFrame, frequent_from: float | None = None) -> pd.Series:
    """Each customer's tier, by the module's rule: advocate, else loyal, else occasional."""
    if frequent_from is None:
        frequent_from = rel["purchases_last_year"].median()
    loyal = (rel["tenure_years"] >= LOYAL_TENURE_YEARS) & (rel["purchases_last_year"] >= frequent_from)
    tier = pd.Series("occasional", index=rel.index)
    tier[loyal] = "loyal"
    tier[rel["referrals_last_year"] >= 1] = "advocate"
    return tier


def tier_sizes(data: ModuleData) -> pd.Series:
    """How many customers each tier holds."""
    return relationship_tier(data["relationships"]).value_counts()


def allocate(sizes: pd.Series, total: float, prospect_share: float = PROSPECT_SHARE,
             weights: dict = TIER_WEIGHTS) -> pd.Series:
    """The rule: a fixed share to prospects, the rest in proportion to customers x tier weight."""
    weighted = sizes * pd.Series(weights)
    customers = (1 - prospect_share) * total * weighted / weighted.sum()
    return pd.concat([pd.Series({"prospects": prospect_share * total}), customers])


def tier_budget(data: ModuleData) -> pd.Series:
    """Next year's budget per tier under the relationship rule (same total as today)."""
    return allocate(tier_sizes(data), float(data["budget"]["current_budget"].sum()))


def expected_return(data: ModuleData) -> float:
    """Revenue the new allocation should bring back at last year's return per unit spent."""
    returns = data["budget"].set_index("tier")["return_per_euro"]
    return float((tier_budget(data) * returns).sum())


def current_return(data: ModuleData) -> float:
    """Revenue today's plan should bring back, for comparison."""
    budget = data["budget"]
    return float((budget["current_budget"] * budget["return_per_euro"]).sum())


# --- Common wrong paths --------------------------------------------------------------------------

def _close(a, b, tol=1e-3) -> bool:
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def _series_close(answer, expected: pd.Series, tol=1e-3) -> bool:
    got = dict(zip(answer["index"], answer["values"]))
    return set(got) == set(expected.index) and all(
        got[k] is not None and _close(got[k], float(v), tol) for k, v in expected.items())


def _nps_as_share(answer, data) -> bool:
    return -1 <= answer <= 1 and _close(100 * answer, nps(data), 1e-2)


def _nps_kept_missing(answer, data) -> bool:
    scores = data["verbatims"]["score"]
    return _close(answer, 100 * ((scores >= PROMOTER_FROM).mean() - (scores <= DETRACTOR_UP_TO).mean()))


def _nps_mean_score(answer, data) -> bool:
    scores = data["verbatims"]["score"]
    return _close(answer, scores.mean()) or _close(answer, 10 * scores.mean())


def _nps_wrong_bands(answer, data) -> bool:
    scores = data["verbatims"]["score"]
    return any(_close(answer, nps_of(scores, p, d)) for p, d in ((8, 6), (9, 5), (8, 5), (10, 6), (9, 7)))


def _themes_case_sensitive(answer, data) -> bool:
    return _series_close(answer, mentions(detractors(data["verbatims"])["text"], case=True).sum())


def _themes_all_answers(answer, data) -> bool:
    return _series_close(answer, mentions(data["verbatims"]["text"]).sum())


def _top_theme_overall(answer, data) -> bool:
    return answer == str(mentions(data["verbatims"]["text"]).sum().idxmax())


def _top_theme_case_sensitive(answer, data) -> bool:
    return answer == str(mentions(detractors(data["verbatims"])["text"], case=True).sum().idxmax())


def _reply_mean_not_share(answer, data) -> bool:
    threads = data["community_threads"]
    return _series_close(answer, threads.groupby("community")["brand_replies"].mean())


def _reply_in_percent(answer, data) -> bool:
    return any(v is not None and v > 1 for v in answer["values"])


def _tiers_rules_out_of_order(answer, data) -> bool:
    rel = data["relationships"]
    loyal = (rel["tenure_years"] >= LOYAL_TENURE_YEARS) & (
        rel["purchases_last_year"] >= rel["purchases_last_year"].median())
    tier = pd.Series("occasional", index=rel.index)
    tier[rel["referrals_last_year"] >= 1] = "advocate"
    tier[loyal] = "loyal"
    return _series_close(answer, tier.value_counts(), 1e-9)


def _tiers_mean_not_median(answer, data) -> bool:
    rel = data["relationships"]
    return _series_close(answer, relationship_tier(rel, rel["purchases_last_year"].mean()).value_counts(), 1e-9)


def _tiers_strict(answer, data) -> bool:
    rel = data["relationships"]
    loyal = (rel["tenure_years"] > LOYAL_TENURE_YEARS) & (
        rel["purchases_last_year"] > rel["purchases_last_year"].median())
    tier = pd.Series("occasional", index=rel.index)
    tier[loyal] = "loyal"
    tier[rel["referrals_last_year"] >= 1] = "advocate"
    return _series_close(answer, tier.value_counts(), 1e-9)


def _budget_no_prospect_share(answer, data) -> bool:
    total = float(data["budget"]["current_budget"].sum())
    return _series_close(answer, allocate(tier_sizes(data), total, prospect_share=0.0).drop("prospects"))


def _budget_no_weights(answer, data) -> bool:
    total = float(data["budget"]["current_budget"].sum())
    return _series_close(answer, allocate(tier_sizes(data), total, weights={t: 1 for t in TIER_WEIGHTS}))


def _return_of_today(answer, data) -> bool:
    return _close(answer, current_return(data))


def _return_is_gain(answer, data) -> bool:
    return _close(answer, expected_return(data) - current_return(data))


BANK.add(Question(
    id="nps", variable="nps",
    prompt="The Net Promoter Score of all answers that have a score, as a number between -100 and 100.",
    kind=Number(rel_tol=1e-4, abs_tol=0.01, low=-100, high=100),
    expected=nps,
    hints=(
        "Keep only the answers that have a score: `verbatims['score'].dropna()`.",
        "Promoters are scores of 9 or 10, detractors 0 to 6. `(scores >= 9).mean()` is the share of promoters.",
        "NPS = 100 * (share of promoters - share of detractors). Passives (7 and 8) count in the total only.",
    ),
    mistakes=(
        Mistake(_nps_as_share, "That looks like a share between -1 and 1. NPS is given in points: multiply by 100."),
        Mistake(_nps_kept_missing,
                "Some answers have no score, and they ended up in your total. Drop them first with `.dropna()`."),
        Mistake(_nps_mean_score,
                "That is the average score. NPS counts people: % promoters (9-10) minus % detractors (0-6)."),
        Mistake(_nps_wrong_bands,
                "Check the bands: promoters score 9 or 10, detractors 0 to 6 (yes, 6 is a detractor)."),
    ),
    done="Remember it is one number for many people: read the comments behind it.",
))

BANK.add(Question(
    id="detractor_theme_counts", variable="theme_counts",
    prompt="For each theme of THEME_KEYWORDS, how many detractor comments (score 0 to 6) mention it.",
    kind=NumberSeries(index="theme", items="themes", rel_tol=0, abs_tol=0.5),
    expected=detractor_theme_counts,
    hints=(
        "Keep the detractors first: `verbatims[verbatims['score'] <= 6]`.",
        "For one theme, `text.str.contains('|'.join(words), case=False)` is True when any keyword appears "
        "('|' means 'or'). `.sum()` counts the Trues.",
        "Loop over `THEME_KEYWORDS.items()` and collect the counts in a dict, then make it a Series: "
        "`pd.Series(counts)`.",
    ),
    mistakes=(
        Mistake(_themes_case_sensitive,
                "Some customers write in CAPITALS or start a sentence with a keyword. Add `case=False` to "
                "`str.contains` so 'Price' and 'PRICE' count too."),
        Mistake(_themes_all_answers, "These are counts over every answer. Keep only detractors (score 0 to 6) first."),
    ),
    done="A comment can mention two themes: it then counts in both.",
))

BANK.add(Question(
    id="top_detractor_theme", variable="top_theme",
    prompt="The theme that detractors mention most.",
    kind=Label(what="theme detractors mention most"),
    expected=top_detractor_theme,
    hints=(
        "Use the counts from the exercise above.",
        "`theme_counts.idxmax()` gives the label of the largest value.",
    ),
    mistakes=(
        Mistake(_top_theme_overall,
                "That is the theme mentioned most by all customers, praise included. Keep only detractors."),
        Mistake(_top_theme_case_sensitive,
                "Close: count again with `case=False`, because some comments are written in capitals."),
    ),
    done="Now read twenty of those comments in the explorer before you decide anything.",
))

BANK.add(Question(
    id="brand_reply_share", variable="reply_share",
    prompt="For each community, the share of its threads (between 0 and 1) where the brand replied at least once.",
    kind=NumberSeries(index="community", items="communities", rel_tol=1e-4, abs_tol=5e-4),
    expected=brand_reply_share,
    hints=(
        "A thread has a brand reply when `threads['brand_replies'] > 0`.",
        "The mean of True/False values is the share of True.",
        "Group that True/False column by community: `(threads['brand_replies'] > 0).groupby(threads['community']).mean()`.",
    ),
    mistakes=(
        Mistake(_reply_mean_not_share,
                "That is the average number of brand replies per thread. Count threads with at least one "
                "brand reply instead: `brand_replies > 0`."),
        Mistake(_reply_in_percent, "Some values are above 1: give shares between 0 and 1, not percentages."),
    ),
))

BANK.add(Question(
    id="tier_sizes", variable="tier_sizes",
    prompt="How many customers are in each tier (advocate, loyal, occasional) under the stated rule.",
    kind=NumberSeries(index="tier", items="tiers", rel_tol=0, abs_tol=0.5),
    expected=tier_sizes,
    hints=(
        "Start everyone as 'occasional', then overwrite: first loyal, then advocate, so that advocate wins.",
        "Loyal: `(rel['tenure_years'] >= 3) & (rel['purchases_last_year'] >= rel['purchases_last_year'].median())`.",
        "Advocate: `rel['referrals_last_year'] >= 1`. Then `.value_counts()` on the tier column.",
    ),
    mistakes=(
        Mistake(_tiers_rules_out_of_order,
                "Some customers who referred someone ended up as loyal. The advocate rule comes first: a customer "
                "who referred someone is an advocate, whatever their tenure."),
        Mistake(_tiers_mean_not_median, "The rule uses the median of purchases_last_year, not the mean."),
        Mistake(_tiers_strict, "'At least' includes the limit: use >= rather than >."),
    ),
))

BANK.add(Question(
    id="tier_budget", variable="new_budget",
    prompt="Next year's budget per tier (prospects, occasional, loyal, advocate) under the relationship rule, "
           "with the same total as today.",
    kind=NumberSeries(index="tier", items="tiers", rel_tol=1e-4, abs_tol=1.0),
    expected=tier_budget,
    hints=(
        "The total is `budget['current_budget'].sum()`. Prospects get 10% of it.",
        "Weight each tier's customer count: `tier_sizes * pd.Series({'occasional': 1, 'loyal': 2, 'advocate': 3})`.",
        "Each customer tier gets 90% of the total times its weighted count divided by the sum of weighted counts. "
        "Add prospects with `pd.concat([pd.Series({'prospects': ...}), customer_part])`.",
    ),
    mistakes=(
        Mistake(_budget_no_prospect_share,
                "You shared the whole budget among customers. Set aside 10% for prospects first, and include "
                "them in the answer."),
        Mistake(_budget_no_weights,
                "Each tier got money in proportion to its size only. Multiply the counts by the weights "
                "(occasional 1, loyal 2, advocate 3) first."),
    ),
))

BANK.add(Question(
    id="expected_return", variable="new_return",
    prompt="Revenue the new allocation should bring back: the sum over tiers of new budget x return_per_euro.",
    kind=Number(rel_tol=1e-4, abs_tol=1.0, low=0),
    expected=expected_return,
    hints=(
        "Put the returns in a Series indexed by tier: `budget.set_index('tier')['return_per_euro']`.",
        "Multiply it by `new_budget` (pandas lines the tiers up by name) and `.sum()` the result.",
    ),
    mistakes=(
        Mistake(_return_of_today, "That is the return of today's plan (current_budget). Use your new budget."),
        Mistake(_return_is_gain, "That is the gain over today's plan. Give the new plan's whole return."),
    ),
))
