"""A randomised holdout test: the purchases the ads caused, and how sure a test of this size can be.

The interval is the normal approximation for a difference of two proportions: the purchase rates of
the exposed and holdout groups each vary by chance with the draw of who lands in which group, so
their difference has a standard error of sqrt(pe (1 - pe) / ne + ph (1 - ph) / nh). 1.96 standard
errors either side give the 95% interval. Multiplied by the exposed users, the rate difference and
its margin become purchases.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

Z_95 = 1.96          # standard errors either side of an estimate for a 95% interval
EXPOSED, HOLDOUT = "exposed", "holdout"


@dataclass(frozen=True)
class Holdout:
    """Purchase rates and sizes of the two groups of a holdout test, and what follows from them."""

    exposed_rate: float
    holdout_rate: float
    exposed_users: int
    holdout_users: int

    @property
    def lift(self) -> float:
        """Purchases per exposed user that the ads added (a difference of rates)."""
        return self.exposed_rate - self.holdout_rate

    @property
    def incremental(self) -> float:
        """Purchases the ads caused in the exposed group."""
        return self.lift * self.exposed_users

    @property
    def standard_error(self) -> float:
        """How much the difference of rates varies from one random draw of the groups to another."""
        pe, ph = self.exposed_rate, self.holdout_rate
        return math.sqrt(pe * (1 - pe) / self.exposed_users + ph * (1 - ph) / self.holdout_users)

    @property
    def margin(self) -> float:
        """Half the width of the 95% interval on the incremental purchases."""
        return Z_95 * self.standard_error * self.exposed_users

    @property
    def interval(self) -> tuple[float, float]:
        """The 95% interval on the incremental purchases: (low, high)."""
        return self.incremental - self.margin, self.incremental + self.margin


def holdout(groups, converted) -> Holdout:
    """The holdout result of one row per user: its group ('exposed' or 'holdout') and 0/1 purchase."""
    frame = pd.DataFrame({"group": pd.Series(groups).to_numpy(), "converted": pd.Series(converted).to_numpy()})
    rates = frame.groupby("group")["converted"].agg(["mean", "size"])
    return Holdout(exposed_rate=float(rates.loc[EXPOSED, "mean"]), holdout_rate=float(rates.loc[HOLDOUT, "mean"]),
                   exposed_users=int(rates.loc[EXPOSED, "size"]), holdout_users=int(rates.loc[HOLDOUT, "size"]))
