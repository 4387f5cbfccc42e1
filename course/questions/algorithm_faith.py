"""Module 4 questions: what the optimiser counts (clicks, attributed sales) against what it was for."""
from __future__ import annotations

import pandas as pd

from . import Mistake, ModuleData, Question, QuestionBank
from .kinds import Label, Number, NumberSeries, Share

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


# --- Common wrong paths -------------------------------------------------------------------------

def _series(answer) -> dict:
    return dict(zip(answer["index"], answer["values"]))


def _matches(answer, expected: pd.Series, rel: float = 1e-4) -> bool:
    """True when a plain Series answer has the same labels and values as `expected`."""
    got = _series(answer)
    return set(got) == set(expected.index) and all(
        got[k] is not None and abs(got[k] - v) <= rel * max(abs(v), 1e-12) for k, v in expected.items())


def _mean_of_row_rates(numerator: str, scale: float = 1.0):
    def test(answer, data: ModuleData) -> bool:
        log = data["campaign_log"]
        rates = (scale * log[numerator] / log["impressions"]).groupby(log["creative_type"]).mean()
        return _matches(answer, rates)
    return test


def _ctr_in_percent(answer, data: ModuleData) -> bool:
    return _matches(answer, 100 * ctr_by_creative(data))


def _value_per_impression(answer, data: ModuleData) -> bool:
    return _matches(answer, value_per_1000_by_creative(data) / 1000)


def _value_total(answer, data: ModuleData) -> bool:
    return _matches(answer, _totals(data)["value_90d"])


def _value_per_conversion(answer, data: ModuleData) -> bool:
    totals = _totals(data)
    return _matches(answer, totals["value_90d"] / totals["conversions"])


def _picked_value_winner(answer, data: ModuleData) -> bool:
    return answer == value_pick(data)


def _picked_click_winner(answer, data: ModuleData) -> bool:
    return answer == optimiser_pick(data)


def _picked_conversion_winner(answer, data: ModuleData) -> bool:
    totals = _totals(data)
    return answer == str((totals["conversions"] / totals["impressions"]).idxmax())


def _all_buyers_counted(answer, data: ModuleData) -> bool:
    test = data["retargeting_holdout"]
    return answer in (int(test["converted"].sum()), int(test.loc[test["group"] == "exposed", "converted"].sum()))


def _counts_not_rates(answer, data: ModuleData) -> bool:
    test = data["retargeting_holdout"]
    buyers = test.groupby("group")["converted"].sum()
    return abs(answer - (buyers["exposed"] - buyers["holdout"])) < 0.5


def _rate_gap_only(answer, data: ModuleData) -> bool:
    rates, _ = _holdout_rates(data)
    gap = rates["exposed"] - rates["holdout"]
    return any(abs(answer - g) < 1e-6 for g in (gap, 100 * gap))


def _times_all_users(answer, data: ModuleData) -> bool:
    rates, _ = _holdout_rates(data)
    return abs(answer - (rates["exposed"] - rates["holdout"]) * len(data["retargeting_holdout"])) < 0.5


def _share_of_exposed_buyers(answer, data: ModuleData) -> bool:
    test = data["retargeting_holdout"]
    buyers = int(test.loc[test["group"] == "exposed", "converted"].sum())
    return abs(answer - incremental_conversions(data) / buyers) < 5e-4


# --- The questions, in notebook order -----------------------------------------------------------

BANK.add(Question(
    id="ctr_by_creative", variable="ctr",
    prompt="Click-through rate per creative: total clicks / total impressions, a Series indexed by creative type.",
    kind=NumberSeries(index="creative type", items="creative types"),
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
        Mistake(_mean_of_row_rates("clicks"),
                "You averaged the rate of each row. Add up clicks and impressions per creative first, then divide: "
                "a row with 100,000 impressions should count more than one with 20,000."),
        Mistake(_ctr_in_percent, "Those look like percentages. Give the rate as a share: 0.012, not 1.2."),
    ),
    done="Clickbait gets clicked far more often than the other two.",
))

BANK.add(Question(
    id="value_per_1000_by_creative", variable="value_per_1000",
    prompt="90-day customer value per 1,000 impressions, per creative: 1000 x total value_90d / total impressions.",
    kind=NumberSeries(index="creative type", items="creative types", rel_tol=1e-4, abs_tol=1e-4),
    expected=value_per_1000_by_creative,
    hints=(
        "Same pattern as the click-through rate: add up `value_90d` and `impressions` per creative with a groupby.",
        "Divide total value by total impressions, then multiply by 1,000.",
    ),
    mistakes=(
        Mistake(_value_per_impression, "Almost: that is the value per single impression. Multiply by 1,000."),
        Mistake(_value_total, "That is the total value per creative. Clickbait was shown far more often, so "
                              "totals are not comparable: divide by impressions (and multiply by 1,000)."),
        Mistake(_value_per_conversion, "You divided by conversions (value per customer won). Divide by "
                                       "impressions: the optimiser decides what to do with each impression."),
        Mistake(_mean_of_row_rates("value_90d", 1000),
                "You averaged the value of each row. Add up value and impressions per creative first, then divide."),
    ),
    done="Per impression, the creative with the most clicks earns the least.",
))

BANK.add(Question(
    id="optimiser_pick", variable="optimiser_choice",
    prompt="The creative an optimiser that maximises clicks would show most: the one with the highest CTR.",
    kind=Label(what="creative with the highest click-through rate"),
    expected=optimiser_pick,
    hints=(
        "Look at your `ctr` Series: which creative has the largest value?",
        "`ctr.idxmax()` gives the label (the index) of the largest value.",
    ),
    mistakes=(Mistake(_picked_value_winner,
                      "That creative earns the most value, but this optimiser only sees clicks. "
                      "Which creative has the highest click-through rate?"),),
    done="That is where an optimiser fed with clicks sends the budget.",
))

BANK.add(Question(
    id="value_pick", variable="value_choice",
    prompt="The creative that earns the most 90-day value per 1,000 impressions.",
    kind=Label(what="creative with the most 90-day value per impression"),
    expected=value_pick,
    hints=(
        "Look at your `value_per_1000` Series.",
        "`value_per_1000.idxmax()` gives the creative type with the largest value.",
    ),
    mistakes=(
        Mistake(_picked_click_winner,
                "That is the creative with the most clicks, which is what the optimiser sees. "
                "Which creative earns the most 90-day value per impression?"),
        Mistake(_picked_conversion_winner,
                "That creative wins the most purchases per impression, but many are returned and few "
                "customers stay. Compare 90-day value per impression."),
    ),
    done="The customers worth having came from the creative with the fewest clicks.",
))

BANK.add(Question(
    id="attributed_conversions", variable="attributed",
    prompt="Purchases that the ad platform's report attributes to its retargeting ads.",
    kind=Number(whole=True, low=0),
    expected=attributed_conversions,
    hints=(
        "The `platform_attributed` column of `retargeting` is 1 when the platform counts the purchase "
        "as its own.",
        "Add that column up with `.sum()`.",
    ),
    mistakes=(Mistake(_all_buyers_counted,
                      "That counts every buyer. Count only the purchases the platform claims: "
                      "add up the `platform_attributed` column."),),
    done="This is the number the platform's dashboard shows.",
))

BANK.add(Question(
    id="incremental_conversions", variable="incremental",
    prompt=("Purchases the ads really caused: (exposed purchase rate - holdout purchase rate) "
            "x users in the exposed group."),
    kind=Number(rel_tol=1e-6, abs_tol=0.5),
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
        Mistake(_counts_not_rates,
                "You subtracted buyer counts. The two groups have different sizes (80% and 20% of users): "
                "compare purchase rates, then multiply by the exposed users."),
        Mistake(_rate_gap_only,
                "That is the difference in purchase rates. Multiply it by the number of users in the exposed group."),
        Mistake(_times_all_users,
                "You multiplied by all users. Only the exposed group saw the ads: multiply by its number of users."),
    ),
    done="These are the purchases that would not have happened without the ads.",
))

BANK.add(Question(
    id="incremental_share", variable="truly_incremental_share",
    prompt="Share of the platform's attributed purchases that the ads really caused: incremental / attributed.",
    kind=Share(),
    expected=incremental_share,
    hints=(
        "You already have both numbers: `incremental` and `attributed`.",
        "Divide the first by the second. The result is a share between 0 and 1.",
    ),
    mistakes=(Mistake(_share_of_exposed_buyers,
                      "You divided by all buyers in the exposed group. Divide by the purchases the platform "
                      "attributed to itself."),),
    done="Most of what the platform claims would have been bought anyway.",
))
