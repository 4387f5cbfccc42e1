"""Module 2 datasets: 5,000 real customers drawn from a few overlapping segments, and the team's persona cards.

The segments are the generator's hidden truth: they shape the customers but are not shipped as a
column. `true_segments(seed, profile)` gives them back for tests and for the data card.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .profiles import Profile
from .registry import Column, DatasetSpec, register, rng_for

N_CUSTOMERS = 5000

# The spring offer promoted this category (by position in the profile's list): the hero persona's favourite.
OFFER_CATEGORY = 0

INCOME_BANDS = ("under 25k", "25k-45k", "45k-75k", "75k and more")
# In B2B the customer is a company: the band is its yearly revenue, not a household income.
INCOME_BANDS_BY_PROFILE = {"b2b_software": ("under 2M", "2M-10M", "10M-50M", "50M and more")}


def income_bands(profile: Profile) -> tuple[str, ...]:
    """The four band labels this profile uses, lowest first."""
    return INCOME_BANDS_BY_PROFILE.get(profile.name, INCOME_BANDS)


@dataclass(frozen=True)
class Segment:
    """A real group of customers, described by where its members tend to sit on each attribute.

    Categorical preferences are weights over the profile's lists by position (channels: physical,
    web, app/partner, other; categories: the profile's six in order).
    """

    name: str
    share: float
    age: tuple[float, float]                 # mean, standard deviation
    channel: tuple[float, ...]
    category: tuple[float, ...]
    region: tuple[float, ...]
    income: tuple[float, ...]
    purchases: float                         # times the profile's purchases per year (lognormal median)
    basket: float                            # times the profile's median basket (lognormal median)
    tenure: float                            # mean years
    satisfaction: float                      # mean on 0-10
    breadth: float                           # chance of buying each of the other five categories
    response: float                          # chance of answering the spring offer, before category interest


SEGMENTS: tuple[Segment, ...] = (
    Segment("Loyal regulars", 0.27, (58, 8), (0.62, 0.18, 0.08, 0.12), (0.42, 0.30, 0.08, 0.06, 0.07, 0.07),
            (0.2, 0.2, 0.2, 0.2, 0.2), (0.10, 0.35, 0.38, 0.17), 1.7, 0.95, 11.0, 8.2, 0.55, 0.15),
    Segment("Young digital", 0.24, (27, 5), (0.06, 0.30, 0.56, 0.08), (0.05, 0.06, 0.06, 0.06, 0.40, 0.37),
            (0.16, 0.16, 0.16, 0.14, 0.38), (0.45, 0.33, 0.17, 0.05), 1.3, 0.55, 1.8, 6.6, 0.25, 0.03),
    Segment("Occasional big spenders", 0.18, (46, 8), (0.15, 0.58, 0.12, 0.15), (0.26, 0.08, 0.46, 0.06, 0.07, 0.07),
            (0.2, 0.2, 0.2, 0.2, 0.2), (0.05, 0.17, 0.38, 0.40), 0.5, 2.3, 5.5, 7.2, 0.30, 0.06),
    Segment("Family planners", 0.17, (38, 5), (0.40, 0.14, 0.08, 0.38), (0.07, 0.08, 0.07, 0.64, 0.07, 0.07),
            (0.2, 0.2, 0.2, 0.2, 0.2), (0.12, 0.45, 0.33, 0.10), 1.15, 1.3, 6.0, 7.0, 0.40, 0.05),
    Segment("Drifting", 0.14, (44, 14), (0.22, 0.28, 0.14, 0.36), (1 / 6,) * 6,
            (0.2, 0.2, 0.2, 0.2, 0.2), (0.28, 0.32, 0.26, 0.14), 0.35, 0.8, 4.0, 3.8, 0.12, 0.02),
)
# Extra chance of answering the spring offer for a customer whose favourite category is the offer's.
OFFER_CATEGORY_LIFT = 0.07


def _draw_segments(seed: int) -> np.ndarray:
    """Which segment each customer comes from (indices into SEGMENTS)."""
    rng = rng_for(seed, "customers.segments")
    shares = np.array([s.share for s in SEGMENTS])
    return rng.choice(len(SEGMENTS), size=N_CUSTOMERS, p=shares / shares.sum())


def true_segments(seed: int, profile: Profile | None = None) -> pd.Series:
    """The hidden truth: each customer's segment name, indexed like `customers` (not shipped to learners)."""
    names = np.array([s.name for s in SEGMENTS])
    return pd.Series(names[_draw_segments(seed)], name="segment")


def _pick(rng: np.random.Generator, options: tuple[str, ...], weights: np.ndarray) -> np.ndarray:
    """One draw per row from `options`, row i weighted by weights[i]."""
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(weights))[:, None]
    index = np.minimum((u > cumulative).sum(axis=1), len(options) - 1)
    return np.asarray(options, dtype=object)[index]


def _days_since_last_purchase(rng: np.random.Generator, purchases: np.ndarray, tenure: np.ndarray) -> np.ndarray:
    """Days since each customer last bought: a wait of a buyer at their own pace, never before they joined."""
    days = rng.exponential(365.0 / purchases)
    return np.round(np.minimum(days, tenure * 365.0)).astype(int)


def make_customers(seed: int, profile: Profile) -> pd.DataFrame:
    """5,000 customers whose attributes follow their (hidden) segment, with realistic overlap."""
    rng = rng_for(seed, "customers")
    seg = _draw_segments(seed)
    per = {field: np.array([getattr(SEGMENTS[i], field) for i in seg]) for field in (
        "channel", "category", "region", "income", "purchases", "basket", "tenure", "satisfaction",
        "breadth", "response")}
    age_mean = np.array([SEGMENTS[i].age[0] for i in seg])
    age_sd = np.array([SEGMENTS[i].age[1] for i in seg])
    n = N_CUSTOMERS

    age = np.clip(np.round(rng.normal(age_mean, age_sd)), 18, 85).astype(int)
    region = _pick(rng, profile.regions, per["region"])
    channel = _pick(rng, profile.channels, per["channel"])
    income = _pick(rng, income_bands(profile), per["income"])
    favourite = _pick(rng, profile.product_categories, per["category"])
    purchases = np.round(rng.lognormal(np.log(per["purchases"] * profile.purchases_per_year), 0.38), 2)
    purchases = np.maximum(purchases, 0.05)
    basket = np.round(rng.lognormal(np.log(per["basket"] * profile.basket_median), 0.35), 2)
    tenure = np.round(rng.gamma(3.0, per["tenure"] / 3.0), 1)
    tenure = np.clip(tenure, 0.1, np.maximum(age - 18, 1)).round(1)
    satisfaction = np.clip(np.round(rng.normal(per["satisfaction"], 1.4)), 0, 10).astype(int)
    breadth = 1 + rng.binomial(len(profile.product_categories) - 1, per["breadth"])
    offer = profile.product_categories[OFFER_CATEGORY]
    p_response = per["response"] + OFFER_CATEGORY_LIFT * (favourite == offer)
    responded = (rng.random(n) < p_response).astype(int)
    # Drawn last, so every column above keeps the bytes it had before this column existed.
    recency = _days_since_last_purchase(rng, purchases, tenure)

    return pd.DataFrame({
        "customer_id": [f"C{i:05d}" for i in range(1, n + 1)],
        "age": age,
        "region": region,
        "income_band": income,
        "channel": channel,
        "favourite_category": favourite,
        "purchases_per_year": purchases,
        "avg_basket": basket,
        "tenure_years": tenure,
        "days_since_last_purchase": recency,
        "satisfaction": satisfaction,
        "categories_bought": breadth,
        "responded_spring_offer": responded,
    })


# The team's three personas, by sector. Attributes are given by position in the profile's lists, so a
# profile changes the words, never how the cards relate to the real segments: each card blends traits
# of segments that rarely go together (the first card most of all).
_CARD_SHAPES = (
    # age band, income band, region, channel, category, purchases range (times the profile's rate)
    dict(age=(25, 34), income=2, region=4, channel=2, category=OFFER_CATEGORY, purchases=(0.8, 2.0)),
    dict(age=(35, 44), income=1, region=0, channel=1, category=3, purchases=(1.0, 2.0)),
    dict(age=(55, 64), income=3, region=1, channel=1, category=2, purchases=(0.3, 0.9)),
)

_CARD_WORDS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    # persona, tagline, motivations (';'-separated), quote
    "retail": (
        ("Lea", "the urban trend-seeker", "finds new things first;shares finds with friends;loves a beautiful home",
         "I want my flat to look like the pictures I save."),
        ("Karim", "the busy parent", "saves time;buys what the kids need in one trip;trusts brands he knows",
         "If it is not in stock the first time, I go elsewhere."),
        ("Monique", "the discerning gardener", "quality over price;advice from an expert;a garden to be proud of",
         "I would rather pay more once than buy twice."),
    ),
    "b2b_software": (
        ("Camille", "the scale-up CFO", "automates everything;wants the newest integrations;reports to investors",
         "I need the month closed in two days, not ten."),
        ("Thomas", "the office manager", "simple tools;one invoice a month;no surprises at renewal",
         "I do not have time to train anyone."),
        ("Bernard", "the group finance director", "control and compliance;one supplier for many entities;a named contact",
         "Show me the audit trail first."),
    ),
    "bank": (
        ("Ines", "the young professional", "does everything on her phone;wants to own a home;hates fees",
         "If I need to go to a branch, I have already left."),
        ("Julien", "the family planner", "plans the children's future;steady savings;clear advice",
         "I want one place where I see everything we have."),
        ("Francoise", "the wealthy saver", "protects her capital;a personal advisor;long-term returns",
         "I want an advisor who knows my name."),
    ),
    "telecom": (
        ("Hugo", "the always-connected", "unlimited data;the latest phone;streams everywhere",
         "My phone is my TV, my office and my wallet."),
        ("Nadia", "the family organiser", "one bill for the household;parental controls;a fair price",
         "Four phones, one box, one bill, please."),
        ("Gerard", "the premium subscriber", "the best network;sports channels;a shop to talk to",
         "I pay for quality and I expect it."),
    ),
}


def make_persona_cards(seed: int, profile: Profile) -> pd.DataFrame:
    """The team's three persona cards, as structured rows (the seed does not change them: cards are fixed)."""
    words = _CARD_WORDS.get(profile.name, _CARD_WORDS["retail"])
    bands = income_bands(profile)
    rows = []
    for shape, (name, tagline, motivations, quote) in zip(_CARD_SHAPES, words):
        low, high = shape["purchases"]
        rows.append({
            "persona": name,
            "tagline": tagline,
            "age_min": shape["age"][0],
            "age_max": shape["age"][1],
            "income_band": bands[shape["income"]],
            "region": profile.regions[shape["region"]],
            "channel": profile.channels[shape["channel"]],
            "favourite_category": profile.product_categories[shape["category"]],
            "purchases_min": max(1, int(round(low * profile.purchases_per_year))),
            "purchases_max": max(2, int(round(high * profile.purchases_per_year))),
            "motivations": motivations,
            "quote": quote,
        })
    return pd.DataFrame(rows)


def _segment_lines() -> str:
    lines = []
    for s in SEGMENTS:
        lines.append(
            f"- **{s.name}** (about {s.share:.0%}): age around {s.age[0]:.0f}; buys {s.purchases:g} times the "
            f"sector's usual rate with baskets {s.basket:g} times the usual size; about {s.tenure:g} years "
            f"of tenure; satisfaction around {s.satisfaction:g}/10; answers the spring offer "
            f"{s.response:.0%} of the time (plus {OFFER_CATEGORY_LIFT:.0%} for fans of the offer's category)."
        )
    return "\n".join(lines)


register(DatasetSpec(
    name="customers", module="persona_critique",
    title="Customers and their attributes",
    make=make_customers,
    columns=(
        Column("customer_id", "text", "Identifier (C00001...)."),
        Column("age", "years", "Age of the customer (in B2B: of the main buyer at the client company)."),
        Column("region", "text", "Where the customer is, from the sector's list of regions."),
        Column("income_band", "text", "Yearly household income band (in B2B: the client company's yearly revenue band)."),
        Column("channel", "text", "Channel the customer uses most to buy."),
        Column("favourite_category", "text", "Category the customer spends most on."),
        Column("purchases_per_year", "purchases per year", "Average number of purchases per year since joining."),
        Column("avg_basket", "currency", "Average amount per purchase."),
        Column("tenure_years", "years", "Time since the first purchase."),
        Column("days_since_last_purchase", "days", "Days between the customer's last purchase and the day the file was exported."),
        Column("satisfaction", "score 0-10", "Answer to the last satisfaction survey."),
        Column("categories_bought", "count", "Number of different categories bought at least once."),
        Column("responded_spring_offer", "0 or 1", "1 if the customer used the spring offer, which was sent to every customer."),
    ),
    how_made=(
        f"{N_CUSTOMERS:,} customers. Each is first drawn from one of five hidden segments (this column is "
        "not in the file), then every attribute is drawn from that segment's own distribution, so "
        "segments overlap: ages are normal, purchase rates and baskets lognormal around the sector's "
        "usual values, tenure gamma-distributed, days since the last purchase exponential around the "
        "customer's own pace (365 / purchases per year, never more than the tenure), satisfaction a "
        "rounded normal, and the categorical attributes follow each segment's preferences. The segments:\n\n" + _segment_lines() + "\n\n"
        "The spring offer promoted the first category of the sector's list (the favourite category of "
        "the first persona card) and was sent to everyone, so the response column is a fair test of "
        "any targeting rule."
    ),
    quirks=(
        "The three persona cards each mix traits of segments that rarely go together: few or no "
        "customers match a card on every attribute.",
        "The mean customer falls between segments: no real customer sits at the average on every attribute.",
        "satisfaction (0-10) and categories_bought (1-6) have few distinct values: one value is "
        "shared by a large part of the file, so no 'middle 30%' band holds 30% of customers on them. Daniels's test "
        "uses the five measured columns (age, purchases, basket, tenure, days since the last purchase).",
        "The first persona's favourite category is loved mostly by older, store-going regulars, "
        "not by the young app users the card describes.",
    ),
))

register(DatasetSpec(
    name="persona_cards", module="persona_critique",
    title="The marketing team's persona cards",
    make=make_persona_cards,
    columns=(
        Column("persona", "text", "First name given to the persona."),
        Column("tagline", "text", "How the team sums the persona up."),
        Column("age_min", "years", "Lowest age of the persona's age band (inclusive)."),
        Column("age_max", "years", "Highest age of the persona's age band (inclusive)."),
        Column("income_band", "text", "Income band, same labels as in customers."),
        Column("region", "text", "Where the persona lives."),
        Column("channel", "text", "Channel the persona buys through."),
        Column("favourite_category", "text", "Category the persona loves."),
        Column("purchases_min", "purchases per year", "Fewest purchases per year the card describes (inclusive)."),
        Column("purchases_max", "purchases per year", "Most purchases per year the card describes (inclusive)."),
        Column("motivations", "text, ';'-separated", "What the team believes drives the persona; no column in the data measures it."),
        Column("quote", "text", "A sentence the team imagined the persona saying."),
    ),
    how_made=(
        "Written by the marketing team in a workshop, not drawn from the data. Each card takes its "
        "age band, income band, region, channel, category and purchase rate from the sector's lists; "
        "the cards are the same for every seed."
    ),
    quirks=("Motivations and quotes are invented: nothing in the customer file can confirm them.",),
    seeded=False,
))
