"""Net Promoter Score (Reichheld, "The One Number You Need to Grow", Harvard Business Review, 2003)."""
from __future__ import annotations

import math

import pandas as pd

PROMOTER_FROM = 9        # answers 9-10 are promoters
DETRACTOR_UP_TO = 6      # answers 0-6 are detractors; 7-8 are passives


def nps(scores, promoter_from: int = PROMOTER_FROM, detractor_up_to: int = DETRACTOR_UP_TO) -> float:
    """NPS in points: % promoters minus % detractors among the answers that have a score."""
    scored = pd.Series(scores, dtype="float64").dropna()
    return float(100 * ((scored >= promoter_from).mean() - (scored <= detractor_up_to).mean()))


def nps_margin(scores, promoter_from: int = PROMOTER_FROM, detractor_up_to: int = DETRACTOR_UP_TO) -> float:
    """Half-width in points of a rough 95% interval for the NPS of a sample of answers.

    Each answer counts +1 (promoter), 0 (passive) or -1 (detractor); NPS is 100 times their mean, so
    its standard error is 100 * sqrt(variance / n), with variance = p + d - (p - d)^2.
    """
    scored = pd.Series(scores, dtype="float64").dropna()
    n = len(scored)
    if n == 0:
        return float("nan")
    p, d = (scored >= promoter_from).mean(), (scored <= detractor_up_to).mean()
    return float(1.96 * 100 * math.sqrt((p + d - (p - d) ** 2) / n))
