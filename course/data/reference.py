"""Reference tables: lookup lists that notebooks load like any dataset (`m3.load("country_codes")`).

Each is written once here and used three ways: the generators plant data these tables can clean,
the question banks clean with them, and learners load them, with a data card, from `datasets/`.
They are the same for every profile and seed (`seeded=False`).
"""
from __future__ import annotations

import pandas as pd

from ..measures.themes import THEME_KEYWORDS
from .profiles import Profile
from .registry import Column, DatasetSpec, register

# Known typos in e-mail domains, as the CRM team listed them: wrong domain -> right domain.
# No wrong domain is part of a right one, so a plain text replacement is safe.
DOMAIN_TYPOS: dict[str, str] = {
    "gmial.com": "gmail.com",
    "gamil.com": "gmail.com",
    "gmail.con": "gmail.com",
    "hotmial.fr": "hotmail.fr",
    "yahooo.fr": "yahoo.fr",
    "ornage.fr": "orange.fr",
    "outlok.com": "outlook.com",
}

# Every country the company sells to: ISO 3166-1 two-letter code -> (three-letter code, English, French).
COUNTRIES: dict[str, tuple[str, str, str]] = {
    "FR": ("FRA", "France", "France"),
    "BE": ("BEL", "Belgium", "Belgique"),
    "LU": ("LUX", "Luxembourg", "Luxembourg"),
    "CH": ("CHE", "Switzerland", "Suisse"),
    "DE": ("DEU", "Germany", "Allemagne"),
    "AT": ("AUT", "Austria", "Autriche"),
    "NL": ("NLD", "Netherlands", "Pays-Bas"),
    "ES": ("ESP", "Spain", "Espagne"),
    "PT": ("PRT", "Portugal", "Portugal"),
    "IT": ("ITA", "Italy", "Italie"),
    "SE": ("SWE", "Sweden", "Suède"),
    "DK": ("DNK", "Denmark", "Danemark"),
}

# The agreed translation table: any style, once stripped and upper-cased -> ISO two-letter code.
COUNTRY_CODES: dict[str, str] = {
    style.upper(): iso2 for iso2, styles in COUNTRIES.items() for style in styles if style.upper() != iso2
}


def make_country_codes(seed: int, profile: Profile) -> pd.DataFrame:
    """COUNTRY_CODES as a table: how a country may be written, and its two-letter code."""
    return pd.DataFrame({"written_as": list(COUNTRY_CODES), "iso_code": list(COUNTRY_CODES.values())})


def make_domain_typos(seed: int, profile: Profile) -> pd.DataFrame:
    """DOMAIN_TYPOS as a table: a misspelt e-mail domain and its right spelling."""
    return pd.DataFrame({"wrong_domain": list(DOMAIN_TYPOS), "right_domain": list(DOMAIN_TYPOS.values())})


def make_theme_keywords(seed: int, profile: Profile) -> pd.DataFrame:
    """The theme tagger's keyword list as a table: one row per keyword."""
    rows = [(theme, word) for theme, words in THEME_KEYWORDS.items() for word in words]
    return pd.DataFrame(rows, columns=["theme", "keyword"])


_SAME_FOR_ALL = "The table is the same for every sector profile and every seed."
# Every cell is text; none of it means "missing" (a country written "NA" would stay "NA").
_AS_TEXT = {"dtype": str, "keep_default_na": False}

register(DatasetSpec(
    name="country_codes", module="data_disorder",
    title="Reference: how countries are written, and their ISO codes",
    make=make_country_codes,
    columns=(
        Column("written_as", "text, in capitals",
               "A way the exports write a country, once the spaces around it are stripped and it is upper-cased."),
        Column("iso_code", "ISO 3166-1 alpha-2 code", "The country's two-letter code, the one the customer view keeps."),
    ),
    how_made=(
        "The CRM team's agreed translation table for the twelve countries the company sells to: each "
        "country's ISO 3166-1 three-letter code, English name and French name, in capitals, with its "
        "two-letter code (ISO 3166-1, the International Organization for Standardization's list of country "
        "codes). Two-letter codes are not listed: once upper-cased they are already right, so "
        f"`.replace(...)` leaves them as they are. {_SAME_FOR_ALL}"
    ),
    read_kwargs=_AS_TEXT,
    seeded=False,
))

register(DatasetSpec(
    name="domain_typos", module="data_disorder",
    title="Reference: known typos in e-mail domains",
    make=make_domain_typos,
    columns=(
        Column("wrong_domain", "text", "A misspelt e-mail domain found in the exports (the part after the @)."),
        Column("right_domain", "text", "The domain it should be."),
    ),
    how_made=(
        "The typos the CRM team found in e-mail addresses typed at the till, on forms and in imports, "
        "with the domain each one should be. No wrong domain is part of a right one, so replacing the "
        f"text after the @ is safe. {_SAME_FOR_ALL}"
    ),
    read_kwargs=_AS_TEXT,
    seeded=False,
))

register(DatasetSpec(
    name="theme_keywords", module="reconnection",
    title="Reference: the keywords that tag a comment with a theme",
    make=make_theme_keywords,
    columns=(
        Column("theme", "text", "What the customer's comment is about (wait, price, staff, digital, quality)."),
        Column("keyword", "text", "A word or phrase that, found anywhere in a comment (capitals ignored), "
                                  "tags it with the theme."),
    ),
    how_made=(
        "The transparent keyword tagger of module 5: a comment mentions a theme when its text contains one "
        "of the theme's keywords, whatever the capitals. A comment can mention several themes, or none "
        "(the tagger then missed it: read those comments too). One row per keyword, themes in the order "
        f"the module uses them. {_SAME_FOR_ALL}"
    ),
    read_kwargs=_AS_TEXT,
    seeded=False,
))

REFERENCE_TABLES = ("country_codes", "domain_typos", "theme_keywords")
