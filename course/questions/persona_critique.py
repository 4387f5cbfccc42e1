"""Module 2 questions: measure personas against the customers they are supposed to describe."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..measures.personas import NUMERIC_ATTRIBUTES, PERSONA_ATTRIBUTES, middle_band, persona_matches, standardised
from ..checks import Column, Count, Number, NumberSeries, Share, Values
from . import Mistake, ModuleData, Question, QuestionBank

BANK = QuestionBank("persona_critique")

# A group of customers is a segment worth a campaign when it holds at least this many customers.
SEGMENT_MIN_CUSTOMERS = 250
SEGMENT_SEPARATOR = " / "
# What an advertising platform lets the team target a persona on.
TARGETING_ATTRIBUTES = ("age", "channel")


def fit_by_attribute(data: ModuleData) -> pd.Series:
    """Share of customers matching the first persona card, attribute by attribute."""
    return persona_matches(data["customers"], data["persona_cards"].iloc[0]).mean()


def fit_on_all(data: ModuleData) -> pd.Series:
    """Share of customers matching each persona on every attribute of its card."""
    customers, cards = data["customers"], data["persona_cards"]
    return pd.Series({card["persona"]: persona_matches(customers, card).all(axis=1).mean()
                      for _, card in cards.iterrows()})


def average_on_all_count(data: ModuleData) -> int:
    """Customers in the middle 30% on every numeric attribute at once (Daniels's test)."""
    customers = data["customers"]
    inside = pd.concat([middle_band(customers[c]) for c in NUMERIC_ATTRIBUTES], axis=1)
    return int(inside.all(axis=1).sum())


def distances_to_average(customers: pd.DataFrame) -> pd.Series:
    """Straight-line (Euclidean) distance of each customer from the average customer, in z-scores."""
    return np.sqrt((standardised(customers) ** 2).sum(axis=1))


def nearest_to_average(data: ModuleData) -> float:
    """How far the closest real customer is from the average customer."""
    return float(distances_to_average(data["customers"]).min())


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
    """Customers an ad platform would reach for this persona: its age band and its channel."""
    return persona_matches(customers, card)[list(TARGETING_ATTRIBUTES)].all(axis=1)


def campaign_response(data: ModuleData) -> pd.Series:
    """Spring-offer response rate of the persona-targeted group against the segment-targeted one."""
    customers = data["customers"]
    persona = persona_target(customers, data["persona_cards"].iloc[0])
    segment = segment_labels(customers) == offer_segment(data)
    responded = customers["responded_spring_offer"]
    return pd.Series({"persona": responded[persona].mean(), "segment": responded[segment].mean()})


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


def average_on_all_exclusive(data: ModuleData) -> int:
    """Daniels's test with the band's edges left out (> and < instead of between)."""
    customers = data["customers"]
    strict = [(customers[c] > customers[c].quantile(0.35)) & (customers[c] < customers[c].quantile(0.65))
              for c in NUMERIC_ATTRIBUTES]
    return int(pd.concat(strict, axis=1).all(axis=1).sum())


def nearest_on_raw_values(data: ModuleData) -> float:
    """The nearest distance measured on raw values instead of z-scores."""
    numeric = data["customers"][list(NUMERIC_ATTRIBUTES)]
    return float(np.sqrt(((numeric - numeric.mean()) ** 2).sum(axis=1)).min())


def segment_sizes_reversed(data: ModuleData) -> pd.Series:
    """Segments named 'channel / category' instead of 'category / channel'."""
    customers = data["customers"]
    sizes = (customers["channel"] + SEGMENT_SEPARATOR + customers["favourite_category"]).value_counts()
    return sizes[sizes >= SEGMENT_MIN_CUSTOMERS]


def segment_sizes_unfiltered(data: ModuleData) -> pd.Series:
    """Every group, even those too small to be a segment."""
    return segment_labels(data["customers"]).value_counts()


def response_whole_category(data: ModuleData) -> pd.Series:
    """The segment side taken as every fan of the offer's category."""
    customers = data["customers"]
    fans = customers["favourite_category"] == data["persona_cards"].iloc[0]["favourite_category"]
    rates = campaign_response(data)
    rates["segment"] = customers.loc[fans, "responded_spring_offer"].mean()
    return rates


def response_persona_on(columns: tuple[str, ...]):
    """The persona side targeted on more of the card than an ad platform can target."""
    def answer(data: ModuleData) -> pd.Series:
        customers = data["customers"]
        group = persona_matches(customers, data["persona_cards"].iloc[0])[list(columns)].all(axis=1)
        rates = campaign_response(data)
        rates["persona"] = customers.loc[group, "responded_spring_offer"].mean()
        return rates
    return answer


_COUNTS = ("Those are counts. Give shares between 0 and 1: divide by the number of customers, or take the "
           "`.mean()` of a True/False column.")
_ON_EVERY_ATTRIBUTE = "For the persona, target only what an ad platform can target: the card's age band and its channel."
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
    done="Each attribute on its own looks reasonable. Now combine them.",
))

BANK.add(Question(
    id="persona_fit_all", variable="fit_all",
    prompt="For each persona: the share of customers who match its card on all six attributes at once.",
    kind=NumberSeries(values=Share(decimals=4), index="persona name", items="personas", universe=PERSONAS),
    expected=fit_on_all,
    hints=(
        "For one card, combine the six True/False columns with `&` (and): a customer fits only if "
        "every test is True. Put each test in brackets.",
        "Repeat for each card: `for _, card in personas.iterrows():` gives the cards one by one.",
        "Collect the shares in a dict keyed by `card['persona']`, then `pd.Series(that_dict)`.",
    ),
    mistakes=(
        Mistake(fit_on_any, "You counted customers who match on at least one attribute (or). "
                            "A customer fits a persona only if they match on all six (and: `&`)."),
        Mistake(fit_on_all_counts, _COUNTS),
    ),
    done="A persona describes a handful of real customers, sometimes none.",
))

BANK.add(Question(
    id="average_on_all", variable="average_customers",
    prompt="How many customers sit in the middle 30% (35th to 65th percentile, inclusive) on all six "
           "numeric attributes at once.",
    kind=Count(),
    expected=average_on_all_count,
    hints=(
        "For one column: `low = customers['age'].quantile(0.35)`, `high = customers['age'].quantile(0.65)`, "
        "then `customers['age'].between(low, high)`.",
        "Do it for the six numeric columns: age, purchases_per_year, avg_basket, tenure_years, "
        "satisfaction, categories_bought. Combine the six True/False columns with `&`.",
        "`.sum()` of the combined True/False column counts the customers who are 'average' on everything.",
    ),
    mistakes=(
        Mistake(average_on_all_exclusive, "Include the edges: a value equal to the 35th or 65th percentile is inside "
                                   "the band. `.between()` includes both ends."),
    ),
    done="Out of thousands, only a few dozen customers are 'average' on six attributes.",
))

BANK.add(Question(
    id="nearest_to_average", variable="nearest_distance",
    prompt="The distance from the average customer to the nearest real customer, on the six numeric "
           "attributes standardised with pandas (z = (value - mean) / std).",
    kind=Number(sig=3, low=0),
    expected=nearest_to_average,
    hints=(
        "Standardise: `numeric = customers[[...six columns...]]`, then `z = (numeric - numeric.mean()) / numeric.std()`. "
        "In z-scores the average customer is 0 on every column.",
        "The distance of each customer from the average is the square root of the sum of its squared "
        "z-scores: `np.sqrt((z ** 2).sum(axis=1))`.",
        "The nearest real customer is the smallest of those distances: `.min()`.",
    ),
    mistakes=(
        Mistake(nearest_on_raw_values, "You measured distance on the raw values, so the biggest numbers (the "
                                       "basket) drown the others. Standardise each column first: subtract its "
                                       "mean and divide by its standard deviation."),
    ),
    done="Even the closest customer is not the average customer, and most are far from it.",
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
    ),
    done="These real groups are far bigger than any persona's matches.",
))

BANK.add(Question(
    id="campaign_response", variable="response_rates",
    prompt="Spring-offer response rate of the persona-targeted group (first card's age band and channel) "
           "and of the segment-targeted group (biggest segment of the offer's category).",
    kind=NumberSeries(values=Share(decimals=3), index="targeting ('persona' or 'segment')", items="targetings",
                      universe=Values(("persona", "segment"))),
    expected=campaign_response,
    hints=(
        "Persona-targeted: customers whose age is within the first card's age band (inclusive) and whose "
        "channel is the card's channel. Segment-targeted: customers whose 'category / channel' name is the "
        "biggest segment starting with the card's favourite category.",
        "`responded_spring_offer` is 1 or 0, so its `.mean()` over a group is that group's response rate.",
        "Answer with `pd.Series({'persona': ..., 'segment': ...})`.",
    ),
    mistakes=(
        Mistake(response_whole_category, "For the segment, keep only the biggest 'category / channel' segment of "
                                         "the offer's category, not every fan of the category."),
        Mistake(response_persona_on(PERSONA_ATTRIBUTES), _ON_EVERY_ATTRIBUTE),
        Mistake(response_persona_on(("age", "income_band", "channel")), _ON_EVERY_ATTRIBUTE),
    ),
    done="The segment found in the data answers several times more often than the persona's audience.",
))
