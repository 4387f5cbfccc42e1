"""Persona matching and Daniels's middle band: how many real customers a description fits.

Daniels (1952, "The 'Average Man'?", US Air Force technical note 53-7) called a pilot "average" on a
dimension when he sat in the middle 30% of all pilots on it.
"""
from __future__ import annotations

import pandas as pd

# Numeric customer attributes, in the order the flaw-of-averages simulation adds them.
NUMERIC_ATTRIBUTES = ("age", "purchases_per_year", "avg_basket", "tenure_years", "satisfaction",
                      "categories_bought")
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


def middle_band(values: pd.Series, band: float = MIDDLE_BAND) -> pd.Series:
    """True where a value sits in the middle `band` of its column (0.3: 35th to 65th percentile, inclusive)."""
    low, high = round(0.5 - band / 2, 6), round(0.5 + band / 2, 6)  # 0.35 exactly as a learner types it
    return values.between(values.quantile(low), values.quantile(high))


def standardised(frame: pd.DataFrame, columns=NUMERIC_ATTRIBUTES) -> pd.DataFrame:
    """Each column as z-scores: (value - column mean) / column standard deviation (pandas .std())."""
    numeric = frame[list(columns)].astype(float)
    return (numeric - numeric.mean()) / numeric.std()
