"""The transparent theme tagger: a comment mentions a theme when it contains one of the theme's keywords.

Module 5's verbatims are written so that this rule finds exactly the themes the generator put in;
the keyword list ships to learners as the `theme_keywords` reference table.
"""
from __future__ import annotations

import pandas as pd

THEME_KEYWORDS: dict[str, tuple[str, ...]] = {
    "wait": ("wait", "late", "slow", "delay", "queue", "on hold"),
    "price": ("price", "expensive", "fees", "charged", "cost"),
    "staff": ("staff", "advisor", "agent", "rude", "helpful"),
    "digital": ("the app", "website", "online", "log in", "password"),
    "quality": ("quality", "broke", "faulty", "reliable", "bug"),
}


def mentions(texts: pd.Series, keywords: dict = THEME_KEYWORDS, case: bool = False) -> pd.DataFrame:
    """One True/False column per theme: does the text contain one of the theme's keywords? (case ignored)"""
    return pd.DataFrame({theme: texts.str.contains("|".join(words), case=case)
                         for theme, words in keywords.items()}, index=texts.index)
