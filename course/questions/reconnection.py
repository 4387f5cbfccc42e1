"""Module 5 questions: listen to customers with numbers (NPS, themes, communities), then move money to
where the next block of budget causes the most revenue.

The budget questions use the one budget model of course.measures.budget (incremental revenue over
three years, with diminishing returns per tier), as the simulation does. Public functions other modules
reuse (the capstone runs them on its own data): `nps`, `detractor_theme_counts`, `top_detractor_theme`,
`brand_reply_share`, `tier_sizes`, `block`, `next_block_return`, `fund_first`, `moved_plan`,
`expected_return`, `current_return`, `move_gain`, `gain_range`, `customer_share_today`, `best_share`.
"""
from __future__ import annotations

import pandas as pd

from ..checks import Column, Count, Label, Money, Number, NumberSeries, Points, Share, Values
from ..measures import budget as model
from ..measures.budget import LOYAL_TENURE_YEARS, relationship_tier
from ..measures.nps import DETRACTOR_UP_TO, PROMOTER_FROM
from ..measures.nps import nps as nps_of
from ..measures.nps import nps_margin
from ..measures.themes import THEME_KEYWORDS, mentions
from . import Mistake, ModuleData, Question, QuestionBank
from .reconnection_budget import (attributed_returns, attributed_value_of_plan, average_returns, best_attributed_tier,
                                  best_share, block, block_not_divided, block_not_subtracted,
                                  current_return, customer_share_today, expected_return, fund_first, gain_range,
                                  move_gain, moved_plan, next_block_return, return_moved_to_attributed_best,
                                  return_plan_grew, worst_next_tier)

__all__ = ["BANK", "LOYAL_TENURE_YEARS", "THEMES", "TIERS", "mentions", "nps_of", "relationship_tier"]

BANK = QuestionBank("reconnection")


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


def tier_sizes(data: ModuleData) -> pd.Series:
    """How many customers each tier holds."""
    return relationship_tier(data["relationships"]).value_counts()


# --- Common wrong paths, as the answers they lead to ---------------------------------------------

def nps_with_missing_scores(data) -> float:
    """NPS with the unscored answers counted in the total."""
    scores = data["verbatims"]["score"]
    return float(100 * ((scores >= PROMOTER_FROM).mean() - (scores <= DETRACTOR_UP_TO).mean()))


def mean_score(scale: float = 1.0):
    """The average score (or ten times it) instead of the NPS."""
    return lambda data: scale * float(data["verbatims"]["score"].mean())


def nps_with_bands(promoter_from: int, detractor_up_to: int):
    """The NPS computed with the wrong bands."""
    return lambda data: nps_of(data["verbatims"]["score"], promoter_from, detractor_up_to)


WRONG_BANDS = ((8, 6), (9, 5), (8, 5), (10, 6), (9, 7))


def theme_counts_case_sensitive(data) -> pd.Series:
    """Detractor mentions counted with case-sensitive matching."""
    return mentions(detractors(data["verbatims"])["text"], case=True).sum()


def theme_counts_all_answers(data) -> pd.Series:
    """Mentions counted over every answer, praise included."""
    return mentions(data["verbatims"]["text"]).sum()


def theme_counts_below(data) -> pd.Series:
    """Detractor mentions with `< 6` instead of `<= 6` (scores of 6 left out)."""
    v = data["verbatims"]
    return mentions(v.loc[v["score"] < DETRACTOR_UP_TO, "text"]).sum()


def top_theme_overall(data) -> str:
    """The theme mentioned most by everyone."""
    return str(theme_counts_all_answers(data).idxmax())


def mean_brand_replies(data) -> pd.Series:
    """The average number of brand replies per thread instead of the share of threads with one."""
    threads = data["community_threads"]
    return threads.groupby("community")["brand_replies"].mean()


def brand_share_of_replies(data) -> pd.Series:
    """The brand's share of all replies instead of the share of threads it answered."""
    threads = data["community_threads"]
    sums = threads.groupby("community")[["brand_replies", "replies"]].sum()
    return sums["brand_replies"] / sums["replies"]


THEMES = Values(tuple(THEME_KEYWORDS))
TIERS = Values(model.TIERS)
CUSTOMER_TIERS = Values(model.CUSTOMER_TIERS)
_BANDS = "Check the bands: promoters score 9 or 10, detractors 0 to 6 (yes, 6 is a detractor)."
_MEAN = "That is the average score. NPS counts people: % promoters (9-10) minus % detractors (0-6)."

_NEXT = "the worked example 'What the next block brings' above"

BANK.add(Question(
    id="nps", variable="nps",
    prompt="The Net Promoter Score of all answers that have a score, as a number between -100 and 100.",
    kind=Points(decimals=1),
    expected=nps,
    hints=(
        "Keep only the answers that have a score: `verbatims['score'].dropna()`.",
        "Promoters are scores of 9 or 10, detractors 0 to 6. `(scores >= 9).mean()` is the share of promoters.",
        "NPS = 100 * (share of promoters - share of detractors). Passives (7 and 8) count in the total only.",
    ),
    mistakes=(
        Mistake(nps_with_missing_scores,
                "Some answers have no score, and they ended up in your total. Drop them first with `.dropna()`."),
        Mistake(mean_score(), _MEAN),
        Mistake(mean_score(10), _MEAN),
        *(Mistake(nps_with_bands(p, d), _BANDS) for p, d in WRONG_BANDS),
    ),
    done="Remember it is one number for many people: read the comments behind it.",
    example="the worked example 'Shares of a score' above",
))

BANK.add(Question(
    id="detractor_theme_counts", variable="theme_counts",
    prompt="For each theme of THEME_KEYWORDS, how many detractor comments (score 0 to 6) mention it, as a "
           "Series with the themes as its index.",
    kind=NumberSeries(values=Count(), index="theme", items="themes", universe=THEMES),
    expected=detractor_theme_counts,
    hints=(
        "Keep the detractors' comments first: `verbatims.loc[verbatims['score'] <= 6, 'text']`.",
        "For one theme, `text.str.contains('|'.join(words), case=False).sum()` counts the comments that "
        "contain any of its words.",
        "Loop over `THEME_KEYWORDS.items()`, put each count in a dict under its theme, then make the dict "
        "a Series: `pd.Series(counts)`.",
    ),
    mistakes=(
        Mistake(theme_counts_case_sensitive,
                "Some customers write in CAPITALS or start a sentence with a keyword. Add `case=False` to "
                "`str.contains` so 'Price' and 'PRICE' count too."),
        Mistake(theme_counts_all_answers, "These are counts over every answer. Keep only detractors (score 0 to 6) first."),
        Mistake(theme_counts_below,
                "Scores of 6 are missing from your counts: detractors score 0 to 6, so use `<= 6`, not `< 6`."),
    ),
    done="A comment can mention two themes: it then counts in both.",
    example="the worked example 'Counting words in a loop' above",
))

BANK.add(Question(
    id="top_detractor_theme", variable="top_theme",
    prompt="The theme that detractors mention most, as a piece of text such as 'price'.",
    kind=Label(what="theme", universe=THEMES),
    expected=top_detractor_theme,
    hints=(
        "Use your `theme_counts` from the exercise above.",
        "`theme_counts.idxmax()` gives the label of the largest value.",
    ),
    mistakes=(
        Mistake(top_theme_overall,
                "That is the theme mentioned most by all customers, praise included. Keep only detractors."),
    ),
    done="Now read twenty of those comments in the explorer before you decide anything.",
))

BANK.add(Question(
    id="brand_reply_share", variable="reply_share",
    prompt="For each community, the share of its threads (between 0 and 1) where the brand replied at least "
           "once, as a Series with the community names as its index.",
    kind=NumberSeries(values=Share(decimals=2), index="community", items="communities",
                      universe=Column("community_threads", "community")),
    expected=brand_reply_share,
    hints=(
        "A thread has a brand reply when `threads['brand_replies'] > 0`: a column of True/False.",
        "The mean of True/False values is the share of True.",
        "Group that True/False column by community and take the mean: "
        "`(threads['brand_replies'] > 0).groupby(threads['community']).mean()`.",
    ),
    mistakes=(
        Mistake(mean_brand_replies,
                "That is the average number of brand replies per thread. Count threads with at least one "
                "brand reply instead: `brand_replies > 0`."),
        Mistake(brand_share_of_replies,
                "That is the brand's share of all replies. The question is about threads: in how many of them "
                "did the brand reply at least once?"),
    ),
    example="the worked example 'A share per group' above",
))

BANK.add(Question(
    id="next_block_return", variable="next_return",
    prompt="For each tier, what each unit of one more block (a tenth of today's total budget) would cause "
           "over three years, from today's spend: (extra revenue at current_budget + block - extra revenue "
           "at current_budget) / block, as a Series with the tiers as its index.",
    kind=NumberSeries(values=Number(decimals=2), index="tier", items="tiers", universe=TIERS),
    expected=next_block_return,
    hints=(
        "Use `curve` and `block` from the cell before the exercise: `spend = curve['current_budget']` is "
        "today's spend per tier, with the tiers as its index.",
        "Extra revenue at a spend is `curve['ceiling'] * spend / (spend + curve['half_spend'])`. Compute it "
        "at `spend` and at `spend + block`.",
        "Take the second minus the first, and divide by `block`.",
    ),
    mistakes=(
        Mistake(average_returns,
                "That is what each unit already spent brought back on average (extra revenue / current_budget). "
                "The decision needs the next block's return: extra revenue with the block, minus extra revenue "
                "without it, divided by the block."),
        Mistake(attributed_returns,
                "Those are the campaign reports' attributed returns: they count purchases that would have "
                "happened anyway. Use the curve (ceiling and half_spend) instead."),
        Mistake(block_not_divided,
                "That is what the whole block brings back. Divide by the block to get the return of each unit."),
        Mistake(block_not_subtracted,
                "You divided everything the tier would bring with the block. Subtract what today's spend "
                "already brings first, then divide by the block."),
    ),
    example=_NEXT,
))

BANK.add(Question(
    id="fund_first", variable="fund_first",
    prompt="The tier where one more block of money would cause the most revenue, as a piece of text such as "
           "'loyal'.",
    kind=Label(what="tier", universe=TIERS),
    expected=fund_first,
    hints=(
        "Use your `next_return` from the exercise above.",
        "`next_return.idxmax()` gives the tier with the largest value.",
    ),
    mistakes=(
        Mistake(best_attributed_tier,
                "That is the tier the campaign reports credit most. Its customers would mostly have bought "
                "anyway: look at what the next block causes (`next_return`)."),
        Mistake(worst_next_tier, "That is the tier whose next block returns least: take the largest value."),
    ),
    done="This is where the next money works best today. After a move, the answer can change: diminishing returns.",
))

BANK.add(Question(
    id="expected_return", variable="new_return",
    prompt="Move one block (a tenth of today's total budget) from prospects to the tier to fund first. The "
           "extra revenue over three years that the new plan causes: the sum over the four tiers of "
           "ceiling x spend / (spend + half_spend).",
    kind=Money(low=0, decimals=-2),
    expected=expected_return,
    hints=(
        "Copy today's plan: `plan = curve['current_budget'].copy()`.",
        "Take the block out of prospects and add it to your tier: `plan['prospects'] -= block` and "
        "`plan[fund_first] += block`.",
        "Compute each tier's extra revenue at `plan` with the curve, as in the example, and `.sum()` it.",
    ),
    mistakes=(
        Mistake(current_return, "That is what today's plan causes. Move the block first, then compute."),
        Mistake(move_gain, "That is the gain over today's plan. Give the new plan's whole three-year revenue."),
        Mistake(return_plan_grew,
                "Your plan spends more than today's budget: take the block out of prospects as well as adding "
                "it to your tier."),
        Mistake(return_moved_to_attributed_best,
                "You moved the block to the tier the campaign reports credit most. Move it to `fund_first`, the "
                "tier whose next block causes most."),
        Mistake(attributed_value_of_plan,
                "You valued the plan at the attributed returns. Use the curve: ceiling x spend / (spend + "
                "half_spend)."),
    ),
    example="the worked example 'Moving money between two lines' above",
))


# --- The written answer's model answer, computed from the data -------------------------------------

def largest_outside_community(data: ModuleData) -> str:
    """The independent community (not the brand's forum) with the most threads."""
    threads = data["community_threads"]
    return str(threads.loc[~threads["run_by_brand"], "community"].value_counts().idxmax())


def plan_numbers(data: ModuleData) -> dict:
    """Every number the model answer states, computed from the data (its test reads them back)."""
    threads, v = data["community_threads"], data["verbatims"]
    community = largest_outside_community(data)
    worst, best = gain_range(data)
    attributed = best_attributed_tier(data)
    return {
        "top": top_detractor_theme(data), "top_count": int(detractor_theme_counts(data).max()),
        "detractors": int((v["score"] <= DETRACTOR_UP_TO).sum()),
        "attributed_tier": attributed, "attributed": float(attributed_returns(data)[attributed]),
        "attributed_next": float(next_block_return(data)[attributed]),
        "community": community, "community_share": float((threads["community"] == community).mean()),
        "reply_share": float(brand_reply_share(data)[community]),
        "block": block(data), "fund": fund_first(data), "gain": move_gain(data),
        "gain_share": move_gain(data) / current_return(data), "worst": worst, "best": best,
        "nps": nps(data), "margin": nps_margin(v["score"]),
    }


def render_plan(data: ModuleData) -> str:
    """A model 90-day plan whose every number comes from the data (about 220 words)."""
    n = plan_numbers(data)
    return f"""*Example, with the numbers of this workshop's data:*

**Customer time.** From the first Monday of the quarter, each marketer listens to two hours of service
calls a week, and the team reads twenty detractor comments together every Friday. Detractors raise
{n['top']} most ({n['top_count']} of {n['detractors']} detractor comments), so we start with the team behind it.

**Tool to retire.** The automated sentiment dashboard: the keyword list tags comments in a way anyone
can check, and we read the comments ourselves.

**Metric to drop.** The attributed return in the campaign report: it credits the {n['attributed_tier']} tier
with {n['attributed']:.2f} per unit spent, while the tests say one more block there would cause
{n['attributed_next']:.2f} per unit.

**Community.** {n['community']} holds {n['community_share']:.1%} of all threads and the brand replies in
{n['reply_share']:.1%} of them. Two of us will answer questions there three times a week, under our own names.

**Product first-hand.** Once a month each of us uses the product as a customer would (buying, paying,
asking for help) and notes every wait and every unclear step.

**Budget test.** Move one block ({n['block']:,.0f}) from prospects to the {n['fund']} tier in one region for
six months. The curves say {n['gain']:+,.0f} over three years ({n['gain_share']:+.1%}), but the tests'
ranges allow anything from {n['worst']:+,.0f} to {n['best']:+,.0f}: we stop if the region's holdout
shows no gain after two quarters.

**What the numbers cannot tell.** The NPS is {n['nps']:.1f}, give or take {n['margin']:.1f} points: it
says how many customers are unhappy, not why."""


MODEL_ANSWERS = {"reconnection_plan": render_plan}
