"""Module 5 datasets: what customers say (verbatims, forum threads), how strong each relationship is,
and where the marketing budget goes today, with what each tier's spend really causes.

The words come from course.data.reconnection_text (composed so that nearly every comment differs and
the transparent keyword tagger finds exactly the themes written); the budget's curves follow the one
model of course.measures.budget.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..measures import budget as budget_model
from .profiles import Profile
from .reconnection_text import THEMES, compose_verbatim, thread_title
from .registry import Column, DatasetSpec, register, rng_for

# Tiers of the relationship, weakest first; "prospects" are people who are not customers yet.
TIERS = budget_model.TIERS

# Online communities per sector: the first is the brand's own forum, the others are independent.
COMMUNITIES: dict[str, tuple[str, ...]] = {
    "retail": ("{company} Community", "BonPlan deals forum", "Home & DIY Facebook group", "Parents Network forum"),
    "b2b_software": ("{company} Community", "Founders Forum", "Accountants Slack", "Finance Ops LinkedIn group"),
    "bank": ("{company} Community", "MoneyTalk forum", "Expats Money Facebook group", "First-home buyers forum"),
    "telecom": ("{company} Community", "Network Watch forum", "Gamers Discord", "Rural Broadband Facebook group"),
}
GENERIC_COMMUNITIES = ("{company} Community", "Customers' forum", "Facebook fan group", "Reddit-style Q&A board")

BUDGET_USES = {
    "prospects": "paid search, display and social ads to people who do not know us",
    "occasional": "win-back offers and reminders to customers who buy now and then",
    "loyal": "events, early access and the best content for regular customers",
    "advocate": "referral thanks, community events and co-creation with customers who recommend us",
}
YEAR = 2025


def verbatim_plan(seed: int, profile: Profile) -> dict:
    """Which theme hurts (most detractor comments) and which theme customers praise."""
    rng = rng_for(seed, f"verbatims:plan:{profile.name}")
    pain, praise = rng.choice(len(THEMES), size=2, replace=False)
    return {"pain": THEMES[int(pain)], "praise": THEMES[int(praise)]}


def relationship_strength(rel: pd.DataFrame) -> np.ndarray:
    """A hidden 0-3 strength: recommending, staying and buying often each add to it (drives scores)."""
    frequent = rel["purchases_last_year"] >= rel["purchases_last_year"].median()
    return ((rel["referrals_last_year"] > 0).astype(float) + (rel["tenure_years"] >= 3).astype(float)
            + frequent.astype(float)).to_numpy()


def make_relationships(seed: int, profile: Profile) -> pd.DataFrame:
    """One row per customer: how long they have stayed, how often they buy, whom they brought in."""
    rng = rng_for(seed, "relationships")
    n = int(round(4000 * profile.people_scale * rng.uniform(0.9, 1.1)))
    engagement = rng.normal(0.0, 1.0, n)
    tenure = np.clip(np.round(rng.gamma(1.6, 2.0, n) * np.exp(0.25 * engagement), 1), 0.1, 25.0)
    rate = profile.purchases_per_year * np.exp(0.55 * engagement - 0.15) * np.minimum(1.0, 0.5 + tenure / 4)
    purchases = rng.poisson(rate)
    referrals = rng.poisson(0.07 * np.exp(0.9 * engagement + 0.12 * np.minimum(tenure, 8)))
    revenue = np.round(purchases * profile.basket_median * rng.lognormal(0.0, 0.45, n), 2)
    weights = rng.dirichlet(np.full(len(profile.channels), 4.0))
    return pd.DataFrame({
        "customer_id": [f"C{i:05d}" for i in rng.permutation(np.arange(1, n + 1))],
        "tenure_years": tenure,
        "purchases_last_year": purchases,
        "referrals_last_year": referrals,
        "revenue_last_year": revenue,
        "main_channel": rng.choice(profile.channels, size=n, p=weights),
    }).sort_values("customer_id", ignore_index=True)


def _verbatims_with_truth(seed: int, profile: Profile) -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    """The verbatims table and, per row, the themes the generator wrote into it (the tests' truth)."""
    rng = rng_for(seed, "verbatims")
    plan = verbatim_plan(seed, profile)
    rel = make_relationships(seed, profile)
    n = int(rng.integers(1100, 1401))
    # Engaged customers answer surveys more often.
    p = (1.0 + rel["purchases_last_year"].to_numpy()) ** 0.5
    who = rng.choice(len(rel), size=n, p=p / p.sum())
    strength = relationship_strength(rel)[who]
    latent = rng.uniform(6.0, 6.8) + 0.85 * strength + rng.normal(0.0, 2.2, n)
    scores = np.clip(np.round(latent), 0, 10).astype(int)
    texts, truth = [], []
    for score in scores:
        text, themes = compose_verbatim(rng, profile, int(score), plan)
        texts.append(text)
        truth.append(themes)
    shout = (scores <= 6) & (rng.random(n) < 0.08)
    texts = [t.upper() if s else t for t, s in zip(texts, shout)]
    start = pd.Timestamp(f"{YEAR}-01-01")
    dates = start + pd.to_timedelta(np.sort(rng.integers(0, 365, n)), unit="D")
    weights = rng.dirichlet(np.full(len(profile.channels), 4.0))
    score_col = scores.astype(float)
    score_col[rng.random(n) < 0.04] = np.nan
    frame = pd.DataFrame({
        "response_id": [f"R{i:05d}" for i in range(1, n + 1)],
        "customer_id": rel["customer_id"].to_numpy()[who],
        "date": dates.strftime("%Y-%m-%d"),
        "channel": rng.choice(profile.channels, size=n, p=weights),
        "score": score_col,
        "text": texts,
    })
    return frame, truth


def make_verbatims(seed: int, profile: Profile) -> pd.DataFrame:
    """Customer comments with a 0-10 likelihood-to-recommend score, channel and date."""
    return _verbatims_with_truth(seed, profile)[0]


def make_community_threads(seed: int, profile: Profile) -> pd.DataFrame:
    """Threads in four online communities: the brand answers in its own forum, rarely elsewhere."""
    rng = rng_for(seed, "community_threads")
    plan = verbatim_plan(seed, profile)
    names = [c.format(company=profile.company) for c in COMMUNITIES.get(profile.name, GENERIC_COMMUNITIES)]
    n = int(round(rng.integers(650, 851) * min(1.5, max(0.7, profile.people_scale))))
    # The brand's forum holds a small share; most talk happens where the brand is not.
    shares = np.concatenate([[rng.uniform(0.12, 0.18)], rng.dirichlet(np.full(len(names) - 1, 3.0))])
    shares[1:] *= 1.0 - shares[0]
    community = rng.choice(len(names), size=n, p=shares)
    brand_rate = np.where(community == 0, rng.uniform(0.78, 0.9), rng.uniform(0.02, 0.1, len(names))[community])
    brand_replied = rng.random(n) < brand_rate
    customer_replies = rng.poisson(np.where(community == 0, 1.5, 4.0))
    brand_replies = brand_replied * (1 + rng.poisson(0.4, n))
    replies = customer_replies + brand_replies
    first_reply = np.round(rng.lognormal(np.log(np.where(community == 0, 20.0, 5.0)), 0.9), 1)
    first_reply = np.where(replies > 0, first_reply, np.nan)
    solved = (replies > 0) & (rng.random(n) < np.where(brand_replied, 0.7, 0.45))
    titles = [thread_title(rng, profile, plan) for _ in range(n)]
    start = pd.Timestamp(f"{YEAR}-01-01")
    started = start + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    frame = pd.DataFrame({
        "thread_id": [f"TH{i:04d}" for i in range(1, n + 1)],
        "community": np.array(names)[community],
        "run_by_brand": community == 0,
        "started": started.strftime("%Y-%m-%d"),
        "title": titles,
        "replies": replies,
        "brand_replies": brand_replies,
        "hours_to_first_reply": first_reply,
        "solved": solved,
    })
    return frame.sort_values(["started", "thread_id"], ignore_index=True)


def make_budget(seed: int, profile: Profile) -> pd.DataFrame:
    """This year's marketing budget by relationship tier, what the dashboards credit to it, and what the
    holdout tests say each tier's spend really causes (the curve of course.measures.budget)."""
    rng = rng_for(seed, f"budget:{profile.name}")
    rel = make_relationships(seed, profile)
    revenue = float(rel["revenue_last_year"].sum())
    by_tier = rel["revenue_last_year"].groupby(budget_model.relationship_tier(rel)).sum()
    by_tier = by_tier.reindex(budget_model.CUSTOMER_TIERS, fill_value=0.0).to_numpy()
    total = round(revenue * rng.uniform(0.06, 0.09), -3)
    acquisition = rng.uniform(0.62, 0.75)
    # Every customer tier gets at least 8% of the customers' money: no tier is forgotten.
    rest = (0.08 + 0.76 * rng.dirichlet([6.0, 3.5, 2.0])) * (1.0 - acquisition)
    current = np.round(total * np.concatenate([[acquisition], rest]), -2)
    current[0] = total - current[1:].sum()
    # Prospects: new customers' purchases over three years, against the whole customer base's revenue.
    # Customers: what better retention and more frequent buying add, against the tier's own revenue.
    ceiling = np.concatenate([[revenue * rng.uniform(0.18, 0.26)],
                              by_tier * [rng.uniform(0.28, 0.40), rng.uniform(0.12, 0.18), rng.uniform(0.04, 0.07)]])
    half = np.concatenate([[revenue * rng.uniform(0.04, 0.06)],
                           by_tier * [rng.uniform(0.045, 0.07), rng.uniform(0.03, 0.045), rng.uniform(0.015, 0.025)]])
    # The tests pin each curve's height to a range: tight for prospects (big tests), wide for advocates.
    spread = np.array([rng.uniform(0.10, 0.18), rng.uniform(0.18, 0.28), rng.uniform(0.20, 0.32),
                       rng.uniform(0.30, 0.45)])
    block = budget_model.MOVE_SHARE * total
    tested = np.concatenate([[current[0] * rng.uniform(1.15, 1.35)], current[1:] + block * rng.uniform(1.5, 2.5, 3)])
    # What the campaign reports credit per unit spent: for prospects only their first weeks as customers
    # (less than the three years the tests count); for customers every purchase of someone who was
    # reached, most of which would have happened anyway, the more so the stronger the relationship.
    average = ceiling / (current + half)
    attributed = [average[0] * rng.uniform(0.55, 0.8), average[1] * rng.uniform(1.5, 2.2)]
    attributed.append(max(average[2] * rng.uniform(3.0, 4.5), attributed[1] * rng.uniform(1.3, 1.6)))
    attributed.append(max(average[3] * rng.uniform(5.0, 8.0), attributed[2] * rng.uniform(1.25, 1.5)))
    return pd.DataFrame({
        "tier": budget_model.TIERS,
        "current_budget": current,
        "attributed_return": np.round(attributed, 2),
        "ceiling": np.round(ceiling, -2),
        "ceiling_low": np.round(ceiling * (1 - spread), -2),
        "ceiling_high": np.round(ceiling * (1 + spread), -2),
        "half_spend": np.round(half, -2),
        "tested_up_to": np.round(tested, -2),
        "what_it_pays_for": [BUDGET_USES[t] for t in budget_model.TIERS],
    })


register(DatasetSpec(
    name="verbatims", module="reconnection",
    title="Customer verbatims with a recommendation score",
    make=make_verbatims,
    columns=(
        Column("response_id", "text", "One answer to the survey (R00001...)."),
        Column("customer_id", "text", "Who answered; the same ids as the relationships table."),
        Column("date", "date (YYYY-MM-DD)", "When the answer was given."),
        Column("channel", "text", "The channel the customer used before answering."),
        Column("score", "0-10, may be empty",
               "Answer to 'How likely are you to recommend us to a friend?' Empty when the customer wrote a "
               "comment but skipped the score."),
        Column("text", "text", "What the customer wrote, in their words."),
    ),
    how_made=(
        "1,100 to 1,400 answers over one year from customers of the relationships table (engaged customers "
        "answer more often). The score follows the strength of the customer's relationship plus noise. "
        "Each comment is composed (course.data.reconnection_text) from one or two sentences on five themes "
        "(wait, price, staff, digital, quality), filled with the sector's product nouns, categories, dates and "
        "small numbers, and at least one neutral part: an opener, a closer or a line about the customer. "
        "Nearly every comment is different (about 97-99% of texts are unique). Complaints come with scores "
        "of 0 to 6, mixed comments with 7 and 8, praise with 9 and 10. One theme causes about half of the "
        "complaints and another draws most of the praise; which ones depends on the seed and the profile. "
        "Every theme sentence contains a keyword of its theme in THEME_KEYWORDS and none of another theme's; "
        "the neutral parts contain none."
    ),
    quirks=(
        "About 4% of answers have a comment but no score: leave them out of the NPS.",
        "About 8% of complaints are written in CAPITALS: match keywords without caring about case.",
        "About 7-10% of comments name no theme at all: a keyword tagger misses them, a reader would not.",
    ),
))

register(DatasetSpec(
    name="community_threads", module="reconnection",
    title="Community forum threads about the company",
    make=make_community_threads,
    columns=(
        Column("thread_id", "text", "One discussion thread."),
        Column("community", "text", "Where the thread was posted: the brand's own forum or an independent community."),
        Column("run_by_brand", "True/False", "True for the brand's own forum."),
        Column("started", "date (YYYY-MM-DD)", "Day the thread was opened."),
        Column("title", "text", "The first message's opening line."),
        Column("replies", "count", "Replies in the thread, from anyone."),
        Column("brand_replies", "count", "Replies posted by the company's staff."),
        Column("hours_to_first_reply", "hours, may be empty", "Time until the first reply; empty if nobody replied."),
        Column("solved", "True/False", "The person who asked marked the thread as solved."),
    ),
    how_made=(
        "650 to 850 threads (scaled by the profile's size) over one year in four communities named for "
        "the sector. The brand's forum holds 12-18% of threads and the brand replies to most of them; in "
        "the independent communities the brand replies to 2-10% and customers answer each other. Titles "
        "reuse the verbatims' theme sentences, so the same keyword tagger works on them."
    ),
    quirks=("Threads nobody answered have an empty hours_to_first_reply.",),
))

register(DatasetSpec(
    name="relationships", module="reconnection",
    title="Relationship strength per customer",
    make=make_relationships,
    columns=(
        Column("customer_id", "text", "Customer identifier (C00001...)."),
        Column("tenure_years", "years, one decimal", "How long they have been a customer."),
        Column("purchases_last_year", "count", "Purchases (orders, invoices, top-ups...) in the last 12 months."),
        Column("referrals_last_year", "count", "New customers they brought in over the last 12 months."),
        Column("revenue_last_year", "currency", "What they spent with the company in the last 12 months."),
        Column("main_channel", "text", "The channel they use most."),
    ),
    how_made=(
        "About 4,000 customers times the profile's size. A hidden engagement level drives tenure "
        "(gamma-distributed), purchases (Poisson around the profile's purchases per year) and referrals "
        "(rare: about one customer in ten referred someone). Revenue is purchases times a lognormal "
        "basket around the profile's median."
    ),
    quirks=("Some customers bought nothing last year but are still customers (revenue 0).",),
))

register(DatasetSpec(
    name="budget", module="reconnection",
    title="Marketing budget by relationship tier, and what each tier's spend really causes",
    make=make_budget,
    columns=(
        Column("tier", "text", "prospects (not customers yet), occasional, loyal or advocate customers."),
        Column("current_budget", "currency per year", "What this year's plan spends on the tier."),
        Column("attributed_return", "currency per currency unit spent",
               "What the campaign reports credited to each unit spent on the tier last year (attributed, not "
               "incremental: it counts purchases that would have happened anyway, and for prospects only the "
               "first weeks after they became customers)."),
        Column("ceiling", "currency, over three years",
               "The most extra revenue spending on this tier could ever cause over the next three years, "
               "from the holdout tests' curve."),
        Column("ceiling_low", "currency, over three years", "Low end of the tests' 95% range for the ceiling."),
        Column("ceiling_high", "currency, over three years", "High end of the tests' 95% range for the ceiling."),
        Column("half_spend", "currency per year", "The yearly spend at which the tier brings half of its ceiling."),
        Column("tested_up_to", "currency per year",
               "The largest yearly spend on the tier that the tests tried: beyond it the curve is a guess."),
        Column("what_it_pays_for", "text", "The kind of actions the money buys."),
    ),
    how_made=(
        "The total is 6-9% of the customers' revenue last year (Gartner's 2024 CMO Spend Survey puts marketing "
        "budgets at 7.7% of revenue on average). Today's plan gives 62-75% of it to prospects (acquisition) and "
        "shares the rest among the customer tiers, at least 8% of it to each. "
        "Each tier's curve, extra revenue = ceiling x spend / (spend + half_spend) over three years "
        "(course.measures.budget), stands for what randomised holdout tests at several spending levels "
        "measured (module 4's method): for prospects a ceiling of 18-26% of the customers' yearly revenue; for "
        "customer tiers a share of the tier's own revenue (occasional 28-40%, loyal 12-18%, advocates 4-7%: "
        "customers who already buy often have less left to gain). The ceiling's 95% range is +/-10-18% for "
        "prospects, 18-28% occasional, 20-32% loyal, 30-45% advocates. Attributed returns are what campaign "
        "reports credit per unit spent: for prospects 55-80% of what the spend causes on average (the reports "
        "stop counting after their first weeks as customers); for customers 1.5-2.2 times it (occasional), "
        "3-4.5 times (loyal) and 5-8 times (advocates), and always more the stronger the relationship."
    ),
    quirks=(
        "Attributed returns rank the tiers in the opposite order from what the next unit of spend causes.",
        "The curves were fitted between zero and tested_up_to: a plan far above it (doubling a budget) is a guess.",
    ),
))
