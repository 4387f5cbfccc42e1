"""Module 4 questions: what the optimiser counts (clicks, attributed sales) against what it was for."""
from __future__ import annotations

import pandas as pd

from ..checks import Column, Count, Label, Money, Number, NumberSeries, Share
from . import Mistake, ModuleData, Question, QuestionBank

BANK = QuestionBank("algorithm_faith")


def _totals(data: ModuleData) -> pd.DataFrame:
    """Impressions, clicks, conversions and 90-day value added up per creative."""
    log = data["campaign_log"]
    return log.groupby("creative_type")[["impressions", "clicks", "conversions", "value_90d"]].sum()


def ctr_by_creative(data: ModuleData) -> pd.Series:
    """Total clicks divided by total impressions, per creative."""
    totals = _totals(data)
    return totals["clicks"] / totals["impressions"]


def value_per_1000_by_creative(data: ModuleData) -> pd.Series:
    """90-day customer value earned per 1,000 impressions, per creative."""
    totals = _totals(data)
    return 1000 * totals["value_90d"] / totals["impressions"]


def optimiser_pick(data: ModuleData) -> str:
    """The creative a click-maximising optimiser ends up showing: the one with the highest CTR."""
    return str(ctr_by_creative(data).idxmax())


def value_pick(data: ModuleData) -> str:
    """The creative that earns the most 90-day value per impression."""
    return str(value_per_1000_by_creative(data).idxmax())


def _holdout_rates(data: ModuleData) -> tuple[pd.Series, int]:
    """Purchase rate per group, and the number of users in the exposed group."""
    test = data["retargeting_holdout"]
    return test.groupby("group")["converted"].mean(), int((test["group"] == "exposed").sum())


def attributed_conversions(data: ModuleData) -> int:
    """Purchases the ad platform's report claims for its retargeting ads."""
    return int(data["retargeting_holdout"]["platform_attributed"].sum())


def incremental_conversions(data: ModuleData) -> float:
    """Purchases the ads really caused: (exposed rate - holdout rate) x exposed users."""
    rates, exposed_users = _holdout_rates(data)
    return float((rates["exposed"] - rates["holdout"]) * exposed_users)


def incremental_share(data: ModuleData) -> float:
    """Share of the platform's attributed purchases that the ads really caused."""
    return incremental_conversions(data) / attributed_conversions(data)


# --- Common wrong paths, as the answers they lead to ---------------------------------------------

def mean_of_row_rates(numerator: str, scale: float = 1.0):
    """The rate of each row averaged per creative, instead of totals divided."""
    def answer(data: ModuleData) -> pd.Series:
        log = data["campaign_log"]
        return (scale * log[numerator] / log["impressions"]).groupby(log["creative_type"]).mean()
    return answer


def value_per_impression(data: ModuleData) -> pd.Series:
    """Value per single impression (not per 1,000)."""
    return value_per_1000_by_creative(data) / 1000


def value_total(data: ModuleData) -> pd.Series:
    """Total 90-day value per creative, not divided by impressions."""
    return _totals(data)["value_90d"]


def value_per_conversion(data: ModuleData) -> pd.Series:
    """Value per purchase instead of per impression."""
    totals = _totals(data)
    return totals["value_90d"] / totals["conversions"]


def conversion_pick(data: ModuleData) -> str:
    """The creative with the most purchases per impression."""
    totals = _totals(data)
    return str((totals["conversions"] / totals["impressions"]).idxmax())


def all_buyers(data: ModuleData) -> int:
    """Every buyer, exposed or not."""
    return int(data["retargeting_holdout"]["converted"].sum())


def exposed_buyers(data: ModuleData) -> int:
    """Every buyer of the exposed group."""
    test = data["retargeting_holdout"]
    return int(test.loc[test["group"] == "exposed", "converted"].sum())


def buyer_count_gap(data: ModuleData) -> int:
    """Exposed buyers minus holdout buyers, ignoring that the groups differ in size."""
    buyers = data["retargeting_holdout"].groupby("group")["converted"].sum()
    return int(buyers["exposed"] - buyers["holdout"])


def rate_gap(scale: float = 1.0):
    """The difference of the two purchase rates, not multiplied by the exposed users."""
    def answer(data: ModuleData) -> float:
        rates, _ = _holdout_rates(data)
        return scale * float(rates["exposed"] - rates["holdout"])
    return answer


def lift_times_all_users(data: ModuleData) -> float:
    """The rate gap multiplied by every user instead of the exposed ones."""
    rates, _ = _holdout_rates(data)
    return float((rates["exposed"] - rates["holdout"]) * len(data["retargeting_holdout"]))


def share_of_exposed_buyers(data: ModuleData) -> float:
    """Incremental purchases divided by all exposed buyers instead of the attributed ones."""
    return incremental_conversions(data) / exposed_buyers(data)


CREATIVES = Column("campaign_log", "creative_type")
_RATE_GAP = "That is the difference in purchase rates. Multiply it by the number of users in the exposed group."
_EVERY_BUYER = ("That counts every buyer. Count only the purchases the platform claims: "
                "add up the `platform_attributed` column.")


# --- The questions, in notebook order -----------------------------------------------------------

BANK.add(Question(
    id="ctr_by_creative", variable="ctr",
    prompt="Click-through rate per creative: total clicks / total impressions, a Series indexed by creative type.",
    kind=NumberSeries(values=Share(decimals=4), index="creative type", items="creative types", universe=CREATIVES),
    expected=ctr_by_creative,
    hints=(
        "Add up clicks and impressions per creative first: "
        "`campaigns.groupby('creative_type')[['clicks', 'impressions']].sum()`.",
        "Then divide one summed column by the other: `totals['clicks'] / totals['impressions']`. "
        "The creative types stay in the index.",
        "Averaging the click-through rate of each row gives a slightly different number: big ad sets "
        "should weigh more than small ones, so divide the totals.",
    ),
    mistakes=(
        Mistake(mean_of_row_rates("clicks"),
                "You averaged the rate of each row. Add up clicks and impressions per creative first, then divide: "
                "a row with 100,000 impressions should count more than one with 20,000."),
    ),
    done="Clickbait gets clicked far more often than the other two.",
))

BANK.add(Question(
    id="value_per_1000_by_creative", variable="value_per_1000",
    prompt="90-day customer value per 1,000 impressions, per creative: 1000 x total value_90d / total impressions.",
    kind=NumberSeries(values=Money(sig=3), index="creative type", items="creative types", universe=CREATIVES),
    expected=value_per_1000_by_creative,
    hints=(
        "Same pattern as the click-through rate: add up `value_90d` and `impressions` per creative with a groupby.",
        "Divide total value by total impressions, then multiply by 1,000.",
    ),
    mistakes=(
        Mistake(value_per_impression, "Almost: that is the value per single impression. Multiply by 1,000."),
        Mistake(value_total, "That is the total value per creative. Clickbait was shown far more often, so "
                              "totals are not comparable: divide by impressions (and multiply by 1,000)."),
        Mistake(value_per_conversion, "You divided by conversions (value per customer won). Divide by "
                                       "impressions: the optimiser decides what to do with each impression."),
        Mistake(mean_of_row_rates("value_90d", 1000),
                "You averaged the value of each row. Add up value and impressions per creative first, then divide."),
    ),
    done="Per impression, the creative with the most clicks earns the least.",
))

BANK.add(Question(
    id="optimiser_pick", variable="optimiser_choice",
    prompt="The creative an optimiser that maximises clicks would show most: the one with the highest CTR.",
    kind=Label(what="creative type", universe=CREATIVES),
    expected=optimiser_pick,
    hints=(
        "Look at your `ctr` Series: which creative has the largest value?",
        "`ctr.idxmax()` gives the label (the index) of the largest value.",
    ),
    mistakes=(Mistake(value_pick,
                      "That creative earns the most value, but this optimiser only sees clicks. "
                      "Which creative has the highest click-through rate?"),),
    done="That is where an optimiser fed with clicks sends the budget.",
))

BANK.add(Question(
    id="value_pick", variable="value_choice",
    prompt="The creative that earns the most 90-day value per 1,000 impressions.",
    kind=Label(what="creative type", universe=CREATIVES),
    expected=value_pick,
    hints=(
        "Look at your `value_per_1000` Series.",
        "`value_per_1000.idxmax()` gives the creative type with the largest value.",
    ),
    mistakes=(
        Mistake(optimiser_pick,
                "That is the creative with the most clicks, which is what the optimiser sees. "
                "Which creative earns the most 90-day value per impression?"),
        Mistake(conversion_pick,
                "That creative wins the most purchases per impression, but many are returned and few "
                "customers stay. Compare 90-day value per impression."),
    ),
    done="The customers worth having came from the creative with the fewest clicks.",
))

BANK.add(Question(
    id="attributed_conversions", variable="attributed",
    prompt="Purchases that the ad platform's report attributes to its retargeting ads.",
    kind=Count(),
    expected=attributed_conversions,
    hints=(
        "The `platform_attributed` column of `retargeting` is 1 when the platform counts the purchase "
        "as its own.",
        "Add that column up with `.sum()`.",
    ),
    mistakes=(Mistake(all_buyers, _EVERY_BUYER), Mistake(exposed_buyers, _EVERY_BUYER)),
    done="This is the number the platform's dashboard shows.",
))

BANK.add(Question(
    id="incremental_conversions", variable="incremental",
    prompt=("Purchases the ads really caused: (exposed purchase rate - holdout purchase rate) "
            "x users in the exposed group."),
    kind=Number(unit="purchases", decimals=0),
    expected=incremental_conversions,
    hints=(
        "The purchase rate of a group is the mean of `converted` in that group: "
        "`retargeting.groupby('group')['converted'].mean()`.",
        "The difference of the two rates is the lift the ads add per exposed user. "
        "Multiply it by the number of users in the exposed group: "
        "`(retargeting['group'] == 'exposed').sum()`.",
        "Do not subtract buyer counts: the holdout group is a quarter of the size of the exposed group.",
    ),
    mistakes=(
        Mistake(buyer_count_gap,
                "You subtracted buyer counts. The two groups have different sizes (80% and 20% of users): "
                "compare purchase rates, then multiply by the exposed users."),
        Mistake(rate_gap(), _RATE_GAP),
        Mistake(rate_gap(100), _RATE_GAP),
        Mistake(lift_times_all_users,
                "You multiplied by all users. Only the exposed group saw the ads: multiply by its number of users."),
    ),
    done="These are the purchases that would not have happened without the ads.",
))

BANK.add(Question(
    id="incremental_share", variable="truly_incremental_share",
    prompt="Share of the platform's attributed purchases that the ads really caused: incremental / attributed.",
    kind=Share(decimals=3),
    expected=incremental_share,
    hints=(
        "You already have both numbers: `incremental` and `attributed`.",
        "Divide the first by the second. The result is a share between 0 and 1.",
    ),
    mistakes=(Mistake(share_of_exposed_buyers,
                      "You divided by all buyers in the exposed group. Divide by the purchases the platform "
                      "attributed to itself."),),
    done="Most of what the platform claims would have been bought anyway.",
))
