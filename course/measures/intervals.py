"""How sure a share measured on a group can be: a 95% interval for a rate (Wilson's score interval).

Wilson (1927, "Probable inference, the law of succession, and statistical inference", Journal of the
American Statistical Association 22: 209-212). Unlike "rate plus or minus twice its standard error",
it never leaves 0-1 and stays honest for small groups and rates near 0, which is where marketing's
response rates live.
"""
from __future__ import annotations

import math
from statistics import NormalDist

CONFIDENCE = 0.95


def share_interval(successes: int, trials: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """(low, high): the range of true rates that `successes` out of `trials` is consistent with."""
    successes, trials = int(successes), int(trials)
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials and trials > 0, got {successes} of {trials}")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    rate = successes / trials
    centre = (rate + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * math.sqrt(rate * (1 - rate) / trials + z * z / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)
