"""What a marketing stack's own columns say: how much of what is paid for is used, and how many seams it has."""
from __future__ import annotations

import numpy as np
import pandas as pd

# Module 1's shelfware line: a tool used by fewer than this share of its paid seats is shelfware.
SHELFWARE_LINE = 0.2


def utilisation(stack: pd.DataFrame) -> pd.Series:
    """Share of paid seats used last month, per tool: monthly active users / seats."""
    return stack["monthly_active_users"] / stack["seats"]


def possible_seams(n_tools):
    """Pairs of tools that could need to exchange data: n(n-1)/2."""
    n = np.asarray(n_tools, dtype=float)
    return n * (n - 1) / 2
