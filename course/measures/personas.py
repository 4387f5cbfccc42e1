"""Persona matching and Daniels's middle band: how many real customers a description fits.

Daniels (1952, "The 'Average Man'?", US Air Force technical note 53-7) called a pilot "approximately
average" on a dimension when he sat in a narrow band around its middle. The course's own version of
that band: the middle 30% of customers by their percentile position on the column.
"""
from __future__ import annotations

import pandas as pd

# Numeric customer attributes (k-means clusters customers on these, in z-scores).
NUMERIC_ATTRIBUTES = ("age", "purchases_per_year", "avg_basket", "tenure_years", "satisfaction",
                      "categories_bought")
# Measurements with many distinct values, in the order Daniels's test adds them: a middle band can hold
# 30% of customers on each. A 0-10 score or a count of 1-6 cannot: one value is shared by a large part of the file.
MEASURED_ATTRIBUTES = ("age", "purchases_per_year", "avg_basket", "tenure_years", "days_since_last_purchase")
# What a persona card says about a customer, as the customers' column it is compared with.
PERSONA_ATTRIBUTES = ("age", "income_band", "region", "channel", "favourite_category", "purchases_per_year")
MIDDLE_BAND = 0.30


def persona_matches(customers: pd.DataFrame, card: pd.Series) -> pd.DataFrame:
    """One True/False column per persona attribute: does each customer match the card on it? (bounds inclusive)"""
    return pd.DataFrame({
        "age": customers["age"].between(card["age_min"], card["age_max"]),
        "income_band": customers["income_band"] == card["income_band"],
        "region": customers["region"] == card["region"],
        "channel": customers["channel"] == card["channel"],
        "favourite_category": customers["favourite_category"] == card["favourite_category"],
        "purchases_per_year": customers["purchases_per_year"].between(card["purchases_min"], card["purchases_max"]),
    })[list(PERSONA_ATTRIBUTES)]


def band_limits(band: float = MIDDLE_BAND) -> tuple[float, float]:
    """The percentile positions that bound the middle `band` (0.3: 0.35 and 0.65, as a learner types them)."""
    return round(0.5 - band / 2, 6), round(0.5 + band / 2, 6)


def percentile_position(values: pd.Series) -> pd.Series:
    """Each value's position in its column from 0 to 1 (`.rank(pct=True)`: equal values share one position)."""
    return values.rank(pct=True)


def middle_band(values: pd.Series, band: float = MIDDLE_BAND) -> pd.Series:
    """True where a value's percentile position is inside the middle `band` (0.3: 0.35 to 0.65, inclusive).

    Positions, not the values at the 35th and 65th percentiles: on a column with ties, the values'
    band takes in every customer who shares a limit value, and can hold far more than `band`.
    """
    low, high = band_limits(band)
    return percentile_position(values).between(low, high)


def standardised(frame: pd.DataFrame, columns=NUMERIC_ATTRIBUTES) -> pd.DataFrame:
    """Each column as z-scores: (value - column mean) / column standard deviation (pandas .std())."""
    numeric = frame[list(columns)].astype(float)
    return (numeric - numeric.mean()) / numeric.std()
