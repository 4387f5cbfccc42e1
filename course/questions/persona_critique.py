"""Module 2 questions: measure personas against the customers they are supposed to describe."""
from __future__ import annotations

import pandas as pd

from ..checks import Column, Count, NumberSeries, Share, Values
from ..data import PROFILES
from ..measures.intervals import share_interval
from ..measures.personas import (MEASURED_ATTRIBUTES, NUMERIC_ATTRIBUTES, PERSONA_ATTRIBUTES, band_limits,
                                 middle_band, persona_matches, standardised)
from . import Mistake, ModuleData, Question, QuestionBank

BANK = QuestionBank("persona_critique")

# A group of customers is a segment worth a campaign when it holds at least this many customers.
SEGMENT_MIN_CUSTOMERS = 250
SEGMENT_SEPARATOR = " / "
# The card's traits the spring offer's media plan targeted: who (age band), where (channel), what (category).
TARGETING_ATTRIBUTES = ("age", "channel", "favourite_category")
RESPONSE = "responded_spring_offer"


def fit_by_attribute(data: ModuleData) -> pd.Series:
    """Share of customers matching the first persona card, attribute by attribute."""
    return persona_matches(data["customers"], data["persona_cards"].iloc[0]).mean()


def fit_on_all(data: ModuleData) -> pd.Series:
    """Share of customers matching each persona on every attribute of its card."""
    customers, cards = data["customers"], data["persona_cards"]
    return pd.Series({card["persona"]: persona_matches(customers, card).all(axis=1).mean()
                      for _, card in cards.iterrows()})


def average_on(customers: pd.DataFrame, columns=MEASURED_ATTRIBUTES) -> pd.Series:
    """True for customers in the middle 30% (percentile position 0.35 to 0.65) on every one of `columns`."""
    return pd.concat([middle_band(customers[c]) for c in columns], axis=1).all(axis=1)


def average_on_all_count(data: ModuleData) -> int:
    """Customers in the middle 30% on all five measured attributes at once (Daniels's test)."""
    return int(average_on(data["customers"]).sum())


def segment_labels(customers: pd.DataFrame) -> pd.Series:
    """Each customer's group: 'favourite category / channel'."""
    return customers["favourite_category"] + SEGMENT_SEPARATOR + customers["channel"]


def segment_sizes(data: ModuleData) -> pd.Series:
    """Customers per 'category / channel' group, for groups big enough to be a segment."""
    sizes = segment_labels(data["customers"]).value_counts()
    return sizes[sizes >= SEGMENT_MIN_CUSTOMERS]


def offer_segment(data: ModuleData) -> str:
    """The biggest segment whose category is the one the spring offer promoted (the first card's)."""
    category = data["persona_cards"].iloc[0]["favourite_category"]
    sizes = segment_sizes(data)
    return sizes[sizes.index.str.startswith(category + SEGMENT_SEPARATOR)].idxmax()


def persona_target(customers: pd.DataFrame, card: pd.Series) -> pd.Series:
    """The persona's audience: customers matching the card on its age band, channel and favourite category."""
    return persona_matches(customers, card)[list(TARGETING_ATTRIBUTES)].all(axis=1)


def audiences(data: ModuleData) -> dict[str, pd.Series]:
    """The two audiences of the fair test, as True/False columns: both are fans of the offer's category."""
    customers = data["customers"]
    return {"persona": persona_target(customers, data["persona_cards"].iloc[0]),
            "segment": segment_labels(customers) == offer_segment(data)}


def campaign_response(data: ModuleData) -> pd.Series:
    """Spring-offer response rate of the persona's audience and of the offer category's biggest segment."""
    responded = data["customers"][RESPONSE]
    return pd.Series({name: responded[group].mean() for name, group in audiences(data).items()})


def fair_test_table(data: ModuleData) -> pd.DataFrame:
    """Per audience: customers, responders, response rate and its 95% interval (what the rate can tell)."""
    responded = data["customers"][RESPONSE]
    rows = {}
    for name, group in audiences(data).items():
        n, hits = int(group.sum()), int(responded[group].sum())
        low, high = share_interval(hits, n)
        rows[name] = {"customers": n, "responders": hits, "rate": hits / n, "low": low, "high": high}
    return pd.DataFrame(rows).T


# --- common wrong paths, as the answers they lead to --------------------------------------------

def fit_age_exclusive(data: ModuleData) -> pd.Series:
    """The first card's fit by attribute, with the age band's ends left out."""
    customers, card = data["customers"], data["persona_cards"].iloc[0]
    fit = fit_by_attribute(data)
    fit["age"] = ((customers["age"] > card["age_min"]) & (customers["age"] < card["age_max"])).mean()
    return fit


def fit_by_attribute_counts(data: ModuleData) -> pd.Series:
    """The first card's matches counted (.sum()) instead of shared (.mean())."""
    return persona_matches(data["customers"], data["persona_cards"].iloc[0]).sum().astype(float)


def fit_on_any(data: ModuleData) -> pd.Series:
    """Customers matching each persona on at least one attribute (or) instead of all (and)."""
    customers, cards = data["customers"], data["persona_cards"]
    return pd.Series({card["persona"]: persona_matches(customers, card).any(axis=1).mean()
                      for _, card in cards.iterrows()})


def fit_on_all_counts(data: ModuleData) -> pd.Series:
    """Customers matching each persona on every attribute, counted instead of shared."""
    return fit_on_all(data) * len(data["customers"])


def average_on_value_limits(data: ModuleData) -> int:
    """Daniels's test with the band cut at the values of the 35th and 65th percentiles (ties all let in)."""
    customers = data["customers"]
    low, high = band_limits()
    inside = [customers[c].between(customers[c].quantile(low), customers[c].quantile(high)) for c in MEASURED_ATTRIBUTES]
    return int(pd.concat(inside, axis=1).all(axis=1).sum())


def average_on_six_numeric(data: ModuleData) -> int:
    """Daniels's test on the six numeric columns, scores and counts included."""
    return int(average_on(data["customers"], NUMERIC_ATTRIBUTES).sum())


def segment_sizes_reversed(data: ModuleData) -> pd.Series:
    """Segments named 'channel / category' instead of 'category / channel'."""
    customers = data["customers"]
    sizes = (customers["channel"] + SEGMENT_SEPARATOR + customers["favourite_category"]).value_counts()
    return sizes[sizes >= SEGMENT_MIN_CUSTOMERS]


def segment_sizes_unfiltered(data: ModuleData) -> pd.Series:
    """Every group, even those too small to be a segment."""
    return segment_labels(data["customers"]).value_counts()


def segment_sizes_without_spaces(data: ModuleData) -> pd.Series:
    """Segments named 'category/channel', without the spaces around the slash."""
    sizes = segment_sizes(data)
    return sizes.set_axis(sizes.index.str.replace(SEGMENT_SEPARATOR, "/", regex=False))


def _with_persona_audience(group_of):
    """An alternative answer whose persona side is another audience, `group_of(customers, card)`."""
    def answer(data: ModuleData) -> pd.Series:
        customers = data["customers"]
        rates = campaign_response(data)
        rates["persona"] = customers.loc[group_of(customers, data["persona_cards"].iloc[0]), RESPONSE].mean()
        return rates
    return answer


def _on(columns):
    return lambda customers, card: persona_matches(customers, card)[list(columns)].all(axis=1)


def _age_exclusive(customers, card):
    inside = (customers["age"] > card["age_min"]) & (customers["age"] < card["age_max"])
    return inside & _on(TARGETING_ATTRIBUTES[1:])(customers, card)


def response_whole_category(data: ModuleData) -> pd.Series:
    """The segment side taken as every fan of the offer's category."""
    customers = data["customers"]
    fans = customers["favourite_category"] == data["persona_cards"].iloc[0]["favourite_category"]
    rates = campaign_response(data)
    rates["segment"] = customers.loc[fans, RESPONSE].mean()
    return rates


_COUNTS = ("Those are counts. Give shares between 0 and 1: divide by the number of customers, or take the "
           "`.mean()` of a True/False column.")
PERSONAS = Column("persona_cards", "persona")

BANK.add(Question(
    id="persona_fit_by_attribute", variable="fit_by_attribute",
    prompt="For the first persona card: the share of customers matching it on each of its six attributes.",
    kind=NumberSeries(values=Share(decimals=3), index="attribute (customers' column name)", items="attributes",
                      universe=Values(PERSONA_ATTRIBUTES)),
    expected=fit_by_attribute,
    hints=(
        "Take the first card with `card = personas.iloc[0]`. A match on channel is "
        "`customers['channel'] == card['channel']`; `.mean()` of True/False values is the share of True.",
        "Age and purchases are ranges: `customers['age'].between(card['age_min'], card['age_max'])` "
        "includes both ends. Do the same with `purchases_min` and `purchases_max`.",
        "Put the six shares in a dict whose keys are the customers' column names (age, income_band, "
        "region, channel, favourite_category, purchases_per_year), then `pd.Series(that_dict)`.",
    ),
    mistakes=(
        Mistake(fit_age_exclusive, "Check the age band: a customer aged exactly age_min or age_max is inside it. "
                                   "`.between()` includes both ends."),
        Mistake(fit_by_attribute_counts, _COUNTS),
    ),
    done="Each attribute on its own keeps a fair part of the file. Now combine them.",
    example="the worked example 'one wish, one trait at a time' just above the exercise",
))

BANK.add(Question(
    id="persona_fit_all", variable="fit_all",
    prompt="For each persona: the share of customers who match its card on all six attributes at once.",
    kind=NumberSeries(values=Share(decimals=4), index="persona name", items="personas", universe=PERSONAS),
    expected=fit_on_all,
    hints=(
        "For one card, combine the six True/False tests of exercise 1 with `&` (and): a customer fits only "
        "if every test is True. Put each `==` test in brackets.",
        "Repeat for each card: `for _, card in personas.iterrows():` gives the cards one by one, as in the "
        "worked example.",
        "Inside the loop, store each share in a dict under `card['persona']`; after the loop, "
        "`pd.Series(that_dict)`.",
    ),
    mistakes=(
        Mistake(fit_on_any, "You counted customers who match on at least one attribute (or). "
                            "A customer fits a persona only if they match on all six (and: `&`)."),
        Mistake(fit_on_all_counts, _COUNTS),
    ),
    done="A persona describes a handful of real customers, sometimes none.",
    example="the worked example 'every wish, every trait at once' just above the exercise",
))

BANK.add(Question(
    id="average_on_all", variable="average_customers",
    prompt="How many customers sit in the middle 30% (percentile position from 0.35 to 0.65, both included) "
           "on all five measured attributes at once: age, purchases_per_year, avg_basket, tenure_years and "
           "days_since_last_purchase.",
    kind=Count(),
    expected=average_on_all_count,
    hints=(
        "For one column: `customers['age'].rank(pct=True)` gives each customer's position from 0 to 1; "
        "`.between(0.35, 0.65)` turns it into True/False.",
        "Do it for the five columns and combine the five True/False columns with `&`, as the worked "
        "example combines two.",
        "`.sum()` of the combined True/False column counts the customers who are 'average' on all five.",
    ),
    mistakes=(
        Mistake(average_on_value_limits, "You cut the band at the values of the 35th and 65th percentiles: every "
                                         "customer who shares a limit value gets in, so the band holds more than "
                                         "30%. Use the positions: `.rank(pct=True).between(0.35, 0.65)`."),
        Mistake(average_on_six_numeric, "Use the five measured columns only. satisfaction and categories_bought "
                                        "have too few values for a middle 30% band (see the table above)."),
    ),
    done="Out of thousands, only a few dozen customers or fewer are 'average' on five attributes.",
    example="the worked example 'the middle of a column' just above the exercise",
))

BANK.add(Question(
    id="segment_sizes", variable="segment_sizes",
    prompt="Customers per 'favourite category / channel' group, for groups of at least 250 customers.",
    kind=NumberSeries(values=Count(), index="segment name ('category / channel')", items="segments"),
    expected=segment_sizes,
    hints=(
        "Build the group name for every customer: "
        "`customers['favourite_category'] + ' / ' + customers['channel']` (a space, a slash, a space).",
        "`.value_counts()` on that column counts the customers in each group, biggest first.",
        "Keep the groups with 250 customers or more: `sizes[sizes >= 250]`.",
    ),
    mistakes=(
        Mistake(segment_sizes_reversed, "Put the category first and the channel second: 'category / channel'."),
        Mistake(segment_sizes_unfiltered, "Keep only the groups with at least 250 customers: smaller groups are not "
                                          "segments a campaign can target."),
        Mistake(segment_sizes_without_spaces, "Write the names with a space on each side of the slash: "
                                              "'category / channel'."),
    ),
    done="These real groups are far bigger than any persona's matches.",
    example="the worked example 'one label from two columns' just above the exercise",
))

BANK.add(Question(
    id="campaign_response", variable="response_rates",
    prompt="Spring-offer response rate of the persona's audience (customers matching the first card's age band, "
           "channel and favourite category) and of the segment (fans of that category who buy through the "
           "channel most of its fans use).",
    kind=NumberSeries(values=Share(decimals=3), index="audience ('persona' or 'segment')", items="audiences",
                      universe=Values(("persona", "segment"))),
    expected=campaign_response,
    hints=(
        "Take the first card again, `card = personas.iloc[0]` (after exercise 2's loop, `card` may hold the last "
        "card). Start from the fans: `fans = customers['favourite_category'] == card['favourite_category']`; then "
        "`persona_audience = fans & customers['age'].between(...) & (customers['channel'] == card['channel'])`.",
        "The segment's channel is the first of `customers.loc[fans, 'channel'].value_counts()`; then "
        "`segment_audience = fans & (customers['channel'] == that_channel)`.",
        "`responded_spring_offer` is 1 or 0, so `customers.loc[group, 'responded_spring_offer'].mean()` is a "
        "group's response rate. Answer with `pd.Series({'persona': ..., 'segment': ...})`.",
    ),
    mistakes=(
        Mistake(_with_persona_audience(_on(("age", "channel"))),
                "Keep only the fans of the card's favourite category in the persona's audience: the offer promoted "
                "that category and every customer of the segment loves it, so a fair test gives both audiences "
                "the same interest."),
        Mistake(_with_persona_audience(_on(PERSONA_ATTRIBUTES)),
                "Target the persona on the three traits of the media plan only: age band, channel and favourite "
                "category."),
        Mistake(_with_persona_audience(_age_exclusive),
                "Check the age band: customers aged exactly age_min or age_max are in it. `.between()` includes "
                "both ends."),
        Mistake(response_whole_category, "For the segment, keep only the fans who buy through the category's main "
                                         "channel, not every fan of the category."),
    ),
    done="Now look at how many customers each rate rests on: the next cell says how sure each one is.",
    example="the worked example 'two audiences, one rate each' just above the exercise",
))


# --- the written answer's model answer: every number computed from the data ----------------------

WRITTEN_ANSWER = "rewrite_persona"
WORDS = (80, 160)   # the prompt's word range; the model answer keeps to it too
MOST = 0.5           # a trait held by at least half of the segment stays on the card


def currency_of(data: ModuleData) -> str:
    """The currency of the sector whose categories the persona cards use ('' if none matches)."""
    category = data["persona_cards"].iloc[0]["favourite_category"]
    return next((p.currency for p in PROFILES.values() if category in p.product_categories), "")


def customers_to_call(segment: pd.DataFrame) -> dict[str, str]:
    """Five customers of the segment, each with why: three typical, one typical responder, one unhappy non-responder."""
    distance = (standardised(segment, NUMERIC_ATTRIBUTES) ** 2).sum(axis=1)
    order = distance.sort_values(kind="stable").index
    picked = {cid: "typical" for cid in segment.loc[order[:3], "customer_id"]}
    responders = [i for i in order if segment.at[i, RESPONSE] == 1 and segment.at[i, "customer_id"] not in picked]
    picked[segment.at[responders[0], "customer_id"]] = "responder"
    unhappy = segment[(segment[RESPONSE] == 0) & ~segment["customer_id"].isin(picked)]
    worst = unhappy.sort_values(["satisfaction", "days_since_last_purchase"], ascending=[True, False], kind="stable")
    picked[worst.iloc[0]["customer_id"]] = "unhappy"
    return picked


def rewrite_facts(data: ModuleData) -> dict:
    """Everything the model answer states, computed from the module's data."""
    customers, card = data["customers"], data["persona_cards"].iloc[0]
    name = offer_segment(data)
    segment = customers[segment_labels(customers) == name]
    fans = customers[customers["favourite_category"] == card["favourite_category"]]
    fair = fair_test_table(data)
    income = segment["income_band"].value_counts(normalize=True)
    region = segment["region"].value_counts(normalize=True)
    return {
        "card": card, "customers": len(customers),
        "match_all": int(round(fit_on_all(data)[card["persona"]] * len(customers))),
        "fans": len(fans), "segment": name, "segment_channel": name.split(SEGMENT_SEPARATOR, 1)[1],
        "size": len(segment),
        "fans_in_segment": len(segment) / len(fans),
        "fans_on_card_channel": (fans["channel"] == card["channel"]).mean(),
        "age_median": segment["age"].median(), "age_q1": segment["age"].quantile(0.25),
        "age_q3": segment["age"].quantile(0.75),
        "in_card_age_band": segment["age"].between(card["age_min"], card["age_max"]).mean(),
        "purchases": segment["purchases_per_year"].median(),
        "purchases_vs_file": segment["purchases_per_year"].median() / customers["purchases_per_year"].median(),
        "basket": segment["avg_basket"].median(), "currency": currency_of(data),
        "satisfaction": segment["satisfaction"].median(),
        "recency": segment["days_since_last_purchase"].median(),
        "income": (income.index[0], income.iloc[0]), "region": (region.index[0], region.iloc[0]),
        "rate": fair.loc["segment", "rate"], "low": fair.loc["segment", "low"], "high": fair.loc["segment", "high"],
        "persona_n": int(fair.loc["persona", "customers"]),
        "persona_low": fair.loc["persona", "low"], "persona_high": fair.loc["persona", "high"],
        "call": customers_to_call(segment),
    }


def _spread_traits(income: tuple[str, float], region: tuple[str, float]) -> str:
    """The sentence on income band and region: each kept if most of the segment shares one value, else dropped."""
    traits = (("income band", income), ("region", region))
    dropped = [(trait, share) for trait, (_, share) in traits if share < MOST]
    kept = [f"the {trait} '{value}' ({share:.0%})" for trait, (value, share) in traits if share >= MOST]
    words = []
    if dropped:
        names = " and ".join(trait for trait, _ in dropped)
        shares = " and ".join(f"{share:.0%}" for _, share in dropped)
        words.append(f"{names[0].upper()}{names[1:]} {'are' if len(dropped) > 1 else 'is'} spread out (the "
                     f"commonest holds {shares}): I drop {'both' if len(dropped) > 1 else 'it'}.")
    if kept:
        words.append("I keep " + " and ".join(kept) + ".")
    return " ".join(words)


def _matching(count: int, total: int) -> str:
    """'1 of 5,000 customers matches', 'None of the 5,000 customers matches', '3 of 5,000 customers match'."""
    if count == 0:
        return f"None of the {total:,} customers matches"
    return f"{count} of {total:,} customers match{'es' if count == 1 else ''}"


def render_rewrite(data: ModuleData) -> str:
    """The model answer of the written answer, as markdown."""
    f = rewrite_facts(data)
    card, call = f["card"], list(f["call"])
    money = f"{f['basket']:,.0f} {f['currency']}".strip()
    return "\n".join([
        f"**Card:** {card['persona']}, {card['age_min']}-{card['age_max']}, {card['channel']}, loves "
        f"{card['favourite_category']}. {_matching(f['match_all'], f['customers'])} all six traits.",
        "",
        f"**What the data says.** The real group is \"{f['segment']}\" ({f['fans_in_segment']:.0%} of the fans): "
        f"{f['size']} customers, median age "
        f"{f['age_median']:.0f} (half between {f['age_q1']:.0f} and {f['age_q3']:.0f}), {f['purchases']:.1f} "
        f"purchases a year, median basket {money}, satisfaction {f['satisfaction']:.0f}/10. I drop the age band "
        f"({f['in_card_age_band']:.0%} of them are {card['age_min']}-{card['age_max']}) and the {card['channel']} "
        f"({f['fans_on_card_channel']:.0%} of the fans buy there). {_spread_traits(f['income'], f['region'])}",
        "",
        f"**What the data cannot say.** Why they prefer the {f['segment_channel']}, and whether the offer made "
        f"them buy: {f['rate']:.0%} used it (95% interval {f['low']:.0%} to {f['high']:.0%}), but everyone got it "
        f"and they buy {f['purchases_vs_file']:.1f} times as often as the median customer anyway. Calls, and a "
        f"holdout next time, would tell.",
        "",
        f"**Five to call.** {call[0]}, {call[1]}, {call[2]} (typical); {call[3]} (typical, used the offer); "
        f"{call[4]} (least satisfied, did not use it).",
    ])


MODEL_ANSWERS = {WRITTEN_ANSWER: render_rewrite}
