"""Module 4 questions: what the optimiser counts (clicks, attributed sales) against what it was for."""
from __future__ import annotations

import pandas as pd

from ..checks import Column, Count, Label, Money, Number, NumberSeries, Share, Values
from ..measures.holdout import EXPOSED, HOLDOUT, Z_95, Holdout, holdout
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


def holdout_result(data: ModuleData) -> Holdout:
    """The retargeting test's two groups: purchase rates and sizes (course.measures.holdout)."""
    test = data["retargeting_holdout"]
    return holdout(test["group"], test["converted"])


def attributed_conversions(data: ModuleData) -> int:
    """Purchases the ad platform's report claims for its retargeting ads."""
    return int(data["retargeting_holdout"]["platform_attributed"].sum())


def incremental_conversions(data: ModuleData) -> float:
    """Purchases the ads really caused: (exposed rate - holdout rate) x exposed users."""
    return holdout_result(data).incremental


def incremental_share(data: ModuleData) -> float:
    """Share of the platform's attributed purchases that the ads really caused."""
    return incremental_conversions(data) / attributed_conversions(data)


def incremental_margin(data: ModuleData) -> float:
    """Half the width of the 95% interval on the incremental purchases."""
    return holdout_result(data).margin


def share_interval(data: ModuleData) -> tuple[float, float]:
    """The 95% interval on the incremental purchases, as shares of what the platform claims."""
    low, high = holdout_result(data).interval
    claimed = attributed_conversions(data)
    return low / claimed, high / claimed


# The decision exercise: four options, one letter each. The right one follows from the interval.
DECISIONS = {
    "A": "The platform's report is about right: keep judging retargeting by the purchases it attributes to itself.",
    "B": ("The ads add purchases, but far fewer than the platform claims: judge and pay for retargeting on "
          "its incremental purchases (the low end of the interval as the cautious figure), and keep a holdout running."),
    "C": ("This test cannot tell whether the ads add anything, since the interval includes zero: do not spend more "
          "on this evidence, and run a bigger or longer holdout first."),
    "D": "The ads cause nothing: stop retargeting today.",
}


def holdout_decision(data: ModuleData) -> str:
    """B when the whole interval is above zero (the ads add something, far less than claimed), else C."""
    low, _ = holdout_result(data).interval
    return "B" if low > 0 else "C"


# --- Common wrong paths, as the answers they lead to ---------------------------------------------

def mean_of_row_rates(numerator: str, scale: float = 1.0):
    """The rate of each row averaged per creative, instead of totals divided."""
    def answer(data: ModuleData) -> pd.Series:
        log = data["campaign_log"]
        return (scale * log[numerator] / log["impressions"]).groupby(log["creative_type"]).mean()
    return answer


def ctr_per_1000(data: ModuleData) -> pd.Series:
    """Clicks per 1,000 impressions instead of per impression."""
    return 1000 * ctr_by_creative(data)


def clicks_per_conversion(data: ModuleData) -> pd.Series:
    """Conversions divided by clicks (the purchase rate of a click), not clicks by impressions."""
    totals = _totals(data)
    return totals["conversions"] / totals["clicks"]


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
    return int(test.loc[test["group"] == EXPOSED, "converted"].sum())


def buyer_count_gap(data: ModuleData) -> int:
    """Exposed buyers minus holdout buyers, ignoring that the groups differ in size."""
    buyers = data["retargeting_holdout"].groupby("group")["converted"].sum()
    return int(buyers[EXPOSED] - buyers[HOLDOUT])


def rate_gap(scale: float = 1.0):
    """The difference of the two purchase rates, not multiplied by the exposed users."""
    return lambda data: scale * holdout_result(data).lift


def lift_times_all_users(data: ModuleData) -> float:
    """The rate gap multiplied by every user instead of the exposed ones."""
    return holdout_result(data).lift * len(data["retargeting_holdout"])


def share_of_exposed_buyers(data: ModuleData) -> float:
    """Incremental purchases divided by all exposed buyers instead of the attributed ones."""
    return incremental_conversions(data) / exposed_buyers(data)


def _margin_with(data: ModuleData, *, z: float = Z_95, exposed_term: bool = True, holdout_term: bool = True,
                 added_errors: bool = False, users: str = "exposed") -> float:
    """The margin computed with one step changed (a mistake), in purchases unless `users` is 'none'."""
    h = holdout_result(data)
    exposed = h.exposed_rate * (1 - h.exposed_rate) / h.exposed_users if exposed_term else 0.0
    held = h.holdout_rate * (1 - h.holdout_rate) / h.holdout_users if holdout_term else 0.0
    error = exposed ** 0.5 + held ** 0.5 if added_errors else (exposed + held) ** 0.5
    scale = {"exposed": h.exposed_users, "all": h.exposed_users + h.holdout_users, "none": 1.0}[users]
    return z * error * scale


def margin_mistake(**changed):
    """A wrong margin, as an answer function."""
    return lambda data: _margin_with(data, **changed)


def interval_low_purchases(data: ModuleData) -> float:
    """The low end of the interval, given instead of its half-width."""
    return holdout_result(data).interval[0]


CREATIVES = Column("campaign_log", "creative_type")
LETTERS = Values(tuple(DECISIONS), advice="Answer with one letter in quotes: 'A', 'B', 'C' or 'D'.")
_RATE_GAP = "That is the difference in purchase rates. Multiply it by the number of users in the exposed group."
_EVERY_BUYER = ("That counts every buyer. Count only the purchases the platform claims: "
                "add up the `platform_attributed` column.")
_MARGIN_RATE = ("That is the margin on the difference in purchase rates. Multiply it by the number of users in "
                "the exposed group, as the worked example does, to get purchases.")
WORKED_TOTALS = "the worked example 'totals per group, then a ratio' at the start of exercise 1"
WORKED_RATES = "the worked example 'counting and rates per group' above exercise 4"
WORKED_MARGIN = "the worked example 'a margin of error' just above this exercise"


# --- The questions, in notebook order -----------------------------------------------------------

BANK.add(Question(
    id="ctr_by_creative", variable="ctr",
    prompt="Click-through rate per creative: total clicks / total impressions, a Series indexed by creative type.",
    kind=NumberSeries(values=Share(decimals=4), index="creative type", items="creative types", universe=CREATIVES),
    expected=ctr_by_creative,
    hints=(
        "Add up clicks and impressions per creative first, as the worked example does per shop: "
        "`campaigns.groupby('creative_type')[['clicks', 'impressions']].sum()`.",
        "Then divide one summed column by the other, for example `totals['clicks'] / totals['impressions']` "
        "if you called the summed table `totals`. The creative types stay in the index.",
    ),
    mistakes=(
        Mistake(mean_of_row_rates("clicks"),
                "You averaged the rate of each row. Add up clicks and impressions per creative first, then divide: "
                "a row with 100,000 impressions should count more than one with 20,000."),
        Mistake(ctr_per_1000, "Those are clicks per 1,000 impressions. Give the rate per impression: divide by 1,000."),
        Mistake(clicks_per_conversion, "You divided conversions by clicks. The click-through rate is clicks "
                                       "divided by impressions."),
    ),
    done="Clickbait gets clicked far more often than the other two: an optimiser told to maximise clicks "
         "sends the budget there.",
    example=WORKED_TOTALS,
))

BANK.add(Question(
    id="value_per_1000_by_creative", variable="value_per_1000",
    prompt="90-day customer value per 1,000 impressions, per creative: 1000 x total value_90d / total impressions.",
    kind=NumberSeries(values=Money(sig=3), index="creative type", items="creative types", universe=CREATIVES),
    expected=value_per_1000_by_creative,
    hints=(
        "Same move as exercise 1: add up `value_90d` and `impressions` per creative with a groupby.",
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
    example=WORKED_TOTALS,
))

BANK.add(Question(
    id="value_pick", variable="value_choice",
    prompt="The name of the creative type that earns the most 90-day value per 1,000 impressions, computed from "
           "`value_per_1000`.",
    kind=Label(what="creative type", universe=CREATIVES),
    expected=value_pick,
    hints=(
        "Look at your `value_per_1000` Series: which creative has the largest value?",
        "`.idxmax()` gives the label (the index) of the largest value, as in the last line of the worked example.",
    ),
    mistakes=(
        Mistake(optimiser_pick,
                "That is the creative with the most clicks, which is what the optimiser sees. "
                "Which creative earns the most 90-day value per impression?"),
        Mistake(conversion_pick,
                "That creative wins the most purchases per impression, but many are returned and few "
                "customers stay. Compare 90-day value per impression."),
    ),
    done="The customers worth having came from a creative that gets few clicks.",
    example=WORKED_TOTALS,
))

BANK.add(Question(
    id="attributed_conversions", variable="attributed",
    prompt="Purchases that the ad platform's report attributes to its retargeting ads.",
    kind=Count(),
    expected=attributed_conversions,
    hints=(
        "The `platform_attributed` column of `retargeting` is 1 when the platform counts the purchase "
        "as its own, 0 otherwise.",
        "Adding up a 0/1 column counts its 1s: `.sum()`, as in the worked example.",
    ),
    mistakes=(Mistake(all_buyers, _EVERY_BUYER), Mistake(exposed_buyers, _EVERY_BUYER)),
    done="This is the number the platform's dashboard shows.",
    example=WORKED_RATES,
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
        "Pick each rate by its label, `rates['exposed']` and `rates['holdout']`, subtract, and multiply by the "
        "number of users in the exposed group: `(retargeting['group'] == 'exposed').sum()`.",
    ),
    mistakes=(
        Mistake(buyer_count_gap,
                "You subtracted buyer counts. The two groups have different sizes: compare purchase rates, "
                "then multiply by the exposed users."),
        Mistake(rate_gap(), _RATE_GAP),
        Mistake(rate_gap(100), _RATE_GAP),
        Mistake(lift_times_all_users,
                "You multiplied by all users. Only the exposed group saw the ads: multiply by its number of users."),
    ),
    done="These are the purchases that would not have happened without the ads (as far as one test can tell).",
    example=WORKED_RATES,
))

BANK.add(Question(
    id="incremental_share", variable="truly_incremental_share",
    prompt="Share of the platform's attributed purchases that the ads really caused: incremental / attributed.",
    kind=Share(decimals=2),
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

BANK.add(Question(
    id="incremental_margin", variable="margin",
    prompt=("The 95% margin of error on the purchases the ads caused: 1.96 x the square root of "
            "(pe x (1 - pe) / ne + ph x (1 - ph) / nh), x ne, where pe and ph are the purchase rates of the "
            "exposed and holdout groups and ne and nh their numbers of users."),
    kind=Number(unit="purchases", decimals=0, low=0),
    expected=incremental_margin,
    hints=(
        "You have the rates from exercise 5. Count each group's users: `(retargeting['group'] == 'holdout').sum()` "
        "works like the exposed count.",
        "Write the formula as the worked example does: `(... + ...) ** 0.5` is the square root of the sum, then "
        "multiply by 1.96 and by the exposed users.",
    ),
    mistakes=(
        Mistake(margin_mistake(z=1.0), "That is one standard error in purchases. A 95% margin is 1.96 of them: "
                                       "multiply by 1.96."),
        Mistake(margin_mistake(z=2.0), "Close: you multiplied by 2. This course uses 1.96, the exact figure for "
                                       "95%: use 1.96."),
        Mistake(margin_mistake(users="none"), _MARGIN_RATE),
        Mistake(margin_mistake(users="none", z=100 * Z_95), _MARGIN_RATE),
        Mistake(margin_mistake(users="all"),
                "You multiplied by all users. Multiply by the exposed group's users, as for `incremental`."),
        Mistake(margin_mistake(added_errors=True),
                "You added two square roots. Add the two terms first, then take one square root of the sum."),
        Mistake(margin_mistake(holdout_term=False),
                "The holdout group's term is missing: add ph x (1 - ph) / nh under the square root. The holdout "
                "is the smaller group, so most of the uncertainty comes from it."),
        Mistake(margin_mistake(exposed_term=False),
                "The exposed group's term is missing: add pe x (1 - pe) / ne under the square root."),
        Mistake(interval_low_purchases,
                "That is the low end of the interval. The margin is the distance from the estimate to either end: "
                "1.96 x the standard error x the exposed users."),
    ),
    done="The picture below shows what it means.",
    example=WORKED_MARGIN,
))

BANK.add(Question(
    id="holdout_decision", variable="decision",
    prompt="The letter of the decision your interval supports: 'A', 'B', 'C' or 'D'.",
    kind=Label(what="letter", universe=LETTERS),
    expected=holdout_decision,
    hints=(
        "Read the picture's title: where is the low end of the interval compared with zero, and where is the "
        "high end compared with what the platform claims?",
        "If every value in the interval is above zero, the ads did add purchases; if the interval includes zero, "
        "this test cannot tell. Either way, compare the top of the interval with the platform's claim.",
    ),
    mistakes=(
        Mistake(lambda data: "A", "Even the high end of your interval is far below what the platform claims: its "
                                  "report counts many purchases that would have happened anyway."),
        Mistake(lambda data: "D", "'Nothing' is not what the interval says: it holds positive values too, so the "
                                  "test does not show that the ads cause nothing."),
        Mistake(lambda data: "B", "Look at the low end of your interval: it is at or below zero, so this test "
                                  "cannot rule out that the ads added nothing."),
        Mistake(lambda data: "C", "Look at the low end of your interval: it is above zero, so the test does show "
                                  "that the ads added purchases. The question is how many."),
    ),
    done="A number without its interval invites a decision the test cannot support.",
))


# --- The written answer's model answer, computed from the data ----------------------------------

def _percent(share: float) -> str:
    """A share as a report prints it: '28%', or '-0.2%' where a whole percent would read '-0%'."""
    return f"{share:.1%}" if share != 0 and round(100 * share) == 0 else f"{share:.0%}"


def brief_model_answer(data: ModuleData) -> str:
    """The model brief for the algorithm (markdown), every number computed from the module's data."""
    ctr, value = ctr_by_creative(data), value_per_1000_by_creative(data)
    bait, best = optimiser_pick(data), value_pick(data)
    h = holdout_result(data)
    low, high = (_percent(x) for x in share_interval(data))
    share = incremental_share(data)
    if holdout_decision(data) == "B":
        evidence = (f"our test found that the ads caused about {share:.0%} of the purchases the platform claims "
                    f"(with 95% confidence between {low} and {high}); we budget on the low end of that "
                    f"interval and enlarge the holdout until the interval is narrow enough to decide on")
    else:
        evidence = (f"our test cannot tell whether the ads caused any purchases at all (its 95% interval runs from "
                    f"{low} to {high} of the platform's claim); we do not raise the budget until a larger "
                    f"holdout shows an effect above zero")
    return (
        f"*Example:* **Goal:** maximise the 90-day value of the customers the ads win, not clicks. In our logs "
        f"{bait} gets {ctr[bait] / ctr[best]:.1f} times the click-through rate of {best}, but brings "
        f"{value[bait] / value[best]:.0%} of its 90-day value per 1,000 impressions: a click target sends the "
        f"budget to the wrong creative. **Guardrails:** {bait} never above 20% of impressions; any creative "
        f"whose 90-day retention falls below 30% is paused; nobody sees the same ad more than 5 times a week; "
        f"10% of the budget is kept for new messages, so we do not end up sounding like every competitor. "
        f"**How success is measured:** purchases the ads cause, not purchases the platform attributes to "
        f"itself. A random holdout (ours held {h.holdout_users / (h.holdout_users + h.exposed_users):.0%} of "
        f"visitors) stays on for every retargeting campaign: {evidence}. "
        f"**By hand:** every Monday the campaign owner reads the ten most-shown ads and checks each against "
        f"our brand promise; every month two of us call five customers the campaign won and five who left. The "
        f"campaign owner and the head of CRM can both pause the optimiser, and anyone may ask them to."
    )


MODEL_ANSWERS = {"algorithm_brief": brief_model_answer}
