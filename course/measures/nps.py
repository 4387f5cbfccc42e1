"""Net Promoter Score (Reichheld, "The One Number You Need to Grow", Harvard Business Review, 2003)."""
from __future__ import annotations

import pandas as pd

PROMOTER_FROM = 9        # answers 9-10 are promoters
DETRACTOR_UP_TO = 6      # answers 0-6 are detractors; 7-8 are passives


def nps(scores, promoter_from: int = PROMOTER_FROM, detractor_up_to: int = DETRACTOR_UP_TO) -> float:
    """NPS in points: % promoters minus % detractors among the answers that have a score."""
    scored = pd.Series(scores, dtype="float64").dropna()
    return float(100 * ((scored >= promoter_from).mean() - (scored <= detractor_up_to).mean()))


def nps_margin(scores, z: float = 1.96) -> float:
    """Half the width of NPS's 95% range, in points: how far the true NPS may be from one survey's, by
    chance alone (each answer counts +1, 0 or -1; the normal approximation for their mean)."""
    scored = pd.Series(scores, dtype="float64").dropna()
    promoters = float((scored >= PROMOTER_FROM).mean())
    detractors = float((scored <= DETRACTOR_UP_TO).mean())
    variance = promoters + detractors - (promoters - detractors) ** 2
    return float(100 * z * (variance / len(scored)) ** 0.5)
