"""Module 4 datasets: six months of campaign logs, and a randomised holdout test for retargeting.

The campaign log is built so that the clickbait creative wins on clicks and loses on what the clicks
were for (customers still there after 90 days, and what they spent), in every audience, for every
profile and seed. The holdout test is built so that the platform's "attributed conversions" are far
above the conversions the ads really caused.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .profiles import Profile
from .registry import Column, DatasetSpec, register, rng_for

CREATIVES = ("substantive", "clickbait", "discount")

# What each kind of creative does, per impression and per customer won (before the seed's jitter).
# Clickbait: most clicks, fewest buyers, most returns, fewest who stay. Discount: most buyers, cheap
# first baskets, shoppers who leave when the offer ends. Substantive: fewer clicks, loyal customers.
CREATIVE_TRAITS = {
    #               ctr     buy/click  returned  stay 90d  first basket  repeat value
    "substantive": (0.0090, 0.075,     0.04,     0.62,     1.00,         1.00),
    "clickbait":   (0.0260, 0.012,     0.22,     0.14,     0.85,         0.70),
    "discount":    (0.0150, 0.055,     0.15,     0.27,     0.70,         0.80),
}

# Who saw the ads: multipliers on click-through, buying and staying, the same for every creative.
AUDIENCES = {
    #                 share  ctr   buy   stay
    "prospects":      (0.40, 0.70, 0.60, 0.80),
    "lookalikes":     (0.25, 0.85, 0.80, 0.90),
    "site visitors":  (0.20, 1.30, 1.40, 1.00),
    "past customers": (0.15, 1.50, 2.00, 1.30),
}

# Headlines are written per creative, without the product in a fixed slot, so the column does not read
# as one template filled in; the product is named where a real ad would name it.
HEADLINES = {
    "substantive": (
        "{p}: how to choose, explained in three minutes", "{p}: what 2,000 customers told us",
        "{p}: an honest comparison, prices included", "Before you decide on {pl}, read this",
        "{p}: the five questions to ask first", "Three customers explain what they chose, and why",
        "What we include, what we do not, and what it costs", "{p}: our guide, by the people who answer your calls",
    ),
    "clickbait": (
        "The {pl} secret nobody talks about", "Nobody tells you this about {pl}", "This changes everything",
        "You will not believe what happened next", "Why everyone is suddenly talking about {pl}",
        "The one mistake almost everybody makes", "Stop scrolling: you need to see this",
        "We were not supposed to share this",
    ),
    "discount": (
        "Save 20% on {pl} until Sunday", "{p}: special offer, this week only", "Last chance: the offer ends tonight",
        "{p}: our lowest price of the year", "Members' prices, this weekend only", "{p}: 15% off your first order",
        "An extra 10% off with the code SPRING", "Flash sale: 48 hours only",
    ),
}

N_WEEKS = 26
FIRST_WEEK = "2026-01-05"


def _gamma_sums(rng: np.random.Generator, counts: np.ndarray, mean: np.ndarray, shape: float = 2.0) -> np.ndarray:
    """Sum of `counts` gamma-distributed amounts of the given mean (zero when the count is zero)."""
    counts = np.asarray(counts, dtype=float)
    out = np.zeros_like(counts)
    pos = counts > 0
    out[pos] = rng.gamma(shape * counts[pos], np.broadcast_to(mean, counts.shape)[pos] / shape)
    return out


def make_campaign_log(seed: int, profile: Profile) -> pd.DataFrame:
    """26 weeks x 4 audiences x 3 creatives; the platform moves impressions towards clickbait week by week."""
    rng = rng_for(seed, "campaign_log")
    names = list(CREATIVES)
    traits = np.array([CREATIVE_TRAITS[c] for c in names])
    # The seed moves every rate a little, never enough to change which creative wins what.
    traits[:, :4] *= rng.uniform(0.93, 1.07, size=(len(names), 4))
    ctr, buy, returned, stay, first_mult, repeat_mult = traits.T
    audiences = list(AUDIENCES)
    aud = np.array([AUDIENCES[a] for a in audiences])

    # The optimiser learned clickbait gets the clicks: its share of impressions grows from a third.
    t = np.arange(N_WEEKS) / (N_WEEKS - 1)
    bait_share = 1 / 3 + (0.72 - 1 / 3) * (1 / (1 + np.exp(-8 * (t - 0.45))) - 0.027)
    other = (1 - bait_share) / 2
    weekly_total = 420_000 * profile.people_scale * rng.lognormal(0.0, 0.06, N_WEEKS)

    basket = profile.basket_median
    repeat_value = basket * max(1.0, profile.purchases_per_year * 90 / 365)

    rows = []
    weeks = pd.date_range(FIRST_WEEK, periods=N_WEEKS, freq="7D").strftime("%Y-%m-%d")
    for w in range(N_WEEKS):
        shares = {"substantive": other[w], "clickbait": bait_share[w], "discount": other[w]}
        for a, audience in enumerate(audiences):
            for c, creative in enumerate(names):
                rows.append((weeks[w], audience, creative, weekly_total[w] * shares[creative] * aud[a, 0]))
    frame = pd.DataFrame(rows, columns=["week_start", "audience", "creative_type", "planned"])
    n = len(frame)
    c_idx = frame["creative_type"].map({c: i for i, c in enumerate(names)}).to_numpy()
    a_idx = frame["audience"].map({a: i for i, a in enumerate(audiences)}).to_numpy()

    impressions = np.round(frame["planned"].to_numpy() * rng.lognormal(0.0, 0.08, n)).astype(int)
    row_ctr = ctr[c_idx] * aud[a_idx, 1] * rng.lognormal(0.0, 0.12, n)
    clicks = rng.binomial(impressions, np.clip(row_ctr, 0, 0.5))
    row_buy = buy[c_idx] * aud[a_idx, 2] * rng.lognormal(0.0, 0.15, n)
    conversions = rng.binomial(clicks, np.clip(row_buy, 0, 0.9))
    returns = rng.binomial(conversions, returned[c_idx])
    kept = conversions - returns
    retained = rng.binomial(kept, np.clip(stay[c_idx] * aud[a_idx, 3], 0, 0.95))
    value = (_gamma_sums(rng, kept, basket * first_mult[c_idx])
             + _gamma_sums(rng, retained, repeat_value * repeat_mult[c_idx]))

    products = np.array(profile.product_categories)[rng.integers(0, len(profile.product_categories), n)]
    pick = rng.integers(0, len(HEADLINES["substantive"]), n)
    headlines = [HEADLINES[c][k].format(p=p, pl=p if p.isupper() else p.lower()) for c, k, p in zip(frame["creative_type"], pick, products)]
    return pd.DataFrame({
        "campaign_id": [f"C{i:04d}" for i in range(1, n + 1)],
        "week_start": frame["week_start"],
        "audience": frame["audience"],
        "product": products,
        "creative_type": frame["creative_type"],
        "headline": headlines,
        "impressions": impressions,
        "clicks": clicks,
        "conversions": conversions,
        "returns": returns,
        "retained_90d": retained,
        "value_90d": np.round(value, 2),
    })


def make_retargeting_holdout(seed: int, profile: Profile) -> pd.DataFrame:
    """Users drawn at random into 'exposed' (80%) or 'holdout' (20%); the platform claims most buyers."""
    rng = rng_for(seed, "retargeting_holdout")
    n = int(round(30_000 * np.sqrt(profile.people_scale)))
    group = np.where(rng.random(n) < 0.8, "exposed", "holdout")
    # Retargeted people already visited: many buy anyway. The ads add a modest lift on top.
    base_rate = rng.uniform(0.035, 0.05)
    lift = rng.uniform(0.12, 0.25)
    rates = {"holdout": base_rate, "exposed": base_rate * (1 + lift)}
    converted = np.zeros(n, dtype=int)
    for name, rate in rates.items():
        members = np.flatnonzero(group == name)
        # The number of buyers in each group is set by its rate; who buys is random.
        buyers = rng.choice(members, size=int(round(rate * len(members))), replace=False)
        converted[buyers] = 1
    # The platform counts a sale as its own when the buyer was shown its ads before buying (this course's
    # simplified rule; real platforms use a window after a click or a view): almost every buyer in the
    # exposed group. Holdout users saw none of its ads and are never counted.
    window = rng.uniform(0.86, 0.94)
    attributed = ((group == "exposed") & (converted == 1) & (rng.random(n) < window)).astype(int)
    return pd.DataFrame({
        "user_id": [f"U{i:06d}" for i in range(1, n + 1)],
        "group": group,
        "converted": converted,
        "platform_attributed": attributed,
    })


register(DatasetSpec(
    name="campaign_log", module="algorithm_faith",
    title="Campaign log: clicks, sales and 90-day value by creative",
    make=make_campaign_log,
    columns=(
        Column("campaign_id", "text", "One ad set run for one week (C0001...)."),
        Column("week_start", "date (YYYY-MM-DD)", "Monday of the week the ad set ran."),
        Column("audience", "text", "Who it was shown to: prospects, lookalikes, site visitors or past customers."),
        Column("product", "text", "What the ad was about (the profile's product categories)."),
        Column("creative_type", "text", "The kind of message: substantive, clickbait or discount."),
        Column("headline", "text", "The headline shown (invented)."),
        Column("impressions", "count", "Times the ad was shown."),
        Column("clicks", "count", "Clicks on the ad."),
        Column("conversions", "count", "Purchases (or sign-ups) that followed a click."),
        Column("returns", "count", "Of those purchases, how many were returned or cancelled within 30 days."),
        Column("retained_90d", "count", "Customers won by the ad who were still active 90 days later."),
        Column("value_90d", "currency",
               "What the customers won by the ad spent in their first 90 days, net of returns."),
    ),
    how_made=(
        "26 weeks from January 2026; each week, every audience sees the three creatives. Each creative "
        "has its own click-through rate, purchase rate per click, return rate, 90-day retention and "
        "basket (the seed moves each of the four rates by up to 7%); each audience multiplies click, "
        "purchase and retention rates the same way for every creative. Clicks, purchases, returns and retained "
        "customers are binomial draws; spending is a sum of gamma-distributed baskets, with a repeat "
        "value for retained customers that follows the profile's purchase frequency. Impressions "
        "follow the platform's optimiser: clickbait's share grows from a third to about 70%."
    ),
    quirks=(
        "Clickbait has the highest click-through rate and the lowest 90-day value per impression, "
        "in every audience, for every profile and seed.",
        "Discount brings the most purchases per impression, but the lowest first baskets and many returns.",
        "Impressions drift towards clickbait over the weeks: totals per creative are not comparable, rates are.",
        "Rates per row are noisy; the average of row rates differs from total clicks / total impressions.",
    ),
))

register(DatasetSpec(
    name="retargeting_holdout", module="algorithm_faith",
    title="Retargeting holdout test: who saw the ads, who bought, what the platform claimed",
    make=make_retargeting_holdout,
    columns=(
        Column("user_id", "text", "One person who visited the site and left without buying."),
        Column("group", "text",
               "'exposed' (shown retargeting ads for 14 days) or 'holdout' (shown none), drawn at random."),
        Column("converted", "0 or 1", "1 if they bought within the 14 days of the test."),
        Column("platform_attributed", "0 or 1",
               "1 if the ad platform's report counts this purchase as caused by its ads."),
    ),
    how_made=(
        "About 30,000 users (scaled by the profile), each drawn into the exposed group with "
        "probability 0.8, otherwise into the holdout. The holdout's purchase rate is drawn between "
        "3.5% and 5%; the exposed group's is 12% to 25% higher (that is the ads' real effect). The "
        "number of buyers in each group is fixed by its rate; who buys is random. The platform "
        "attributes a purchase to itself when the buyer was shown its ads before buying (86% to 94% of "
        "exposed buyers); holdout users are never attributed. That counting rule is this course's own "
        "simplification: real platforms count purchases within a window after a click or a view (Meta's "
        "default is 7 days after a click or 1 day after a view; Google Ads' is 30 days after a click)."
    ),
    quirks=(
        "The groups have different sizes (80/20): compare purchase rates, not counts.",
        "Holdout users buy too: most of the platform's attributed sales would have happened anyway.",
        "The holdout is small (a fifth of the users), so the ads' effect is measured with a wide margin of "
        "error: a 95% interval spans tens of percent of the platform's claim, and can include zero for the "
        "smaller profiles.",
    ),
))
