"""Module 5's budget model: what a year's spend on each relationship tier really adds, and where the
next money works best.

One model, used by the budget data (its parameters), the answer key (module 5's and the capstone's
exercises) and the simulation, so the three always agree:

- **Incremental, not attributed.** A tier's curve says how much revenue the spend *causes*, as a
  randomised holdout measures it (module 4), not what the campaign reports credit to it.
- **Three years for every tier.** The revenue counted is what this year's spend adds over the next
  `HORIZON_YEARS` years: new customers' later purchases for prospects, purchases kept by better
  retention for customers.
- **Diminishing returns.** Spending `x` on a tier adds `ceiling * x / (x + half_spend)`: never more
  than `ceiling`, half of it when `x == half_spend`, and each extra unit adds less than the one before.
- **The decision is at the margin.** What a tier returned on average says nothing about what the next
  block of money will bring there: `next_return` does.

A budget table (module 5's `budget` dataset) has one row per tier with the columns `tier`,
`current_budget`, `ceiling`, `half_spend` (and, for the uncertainty, `ceiling_low` and `ceiling_high`).
A plan is a Series of yearly spend indexed by tier. Nothing here knows about questions or widgets.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

HORIZON_YEARS = 3
TIERS = ("prospects", "occasional", "loyal", "advocate")   # weakest relationship first
CUSTOMER_TIERS = TIERS[1:]                                  # prospects are not customers yet
LOYAL_TENURE_YEARS = 3
MOVE_SHARE = 0.10   # the block of money module 5 moves: a tenth of the yearly budget


def relationship_tier(rel: pd.DataFrame, frequent_from: float | None = None) -> pd.Series:
    """Each customer's tier, by module 5's rule: advocate (referred someone), else loyal (3+ years and
    buying at least as often as the median customer), else occasional."""
    if frequent_from is None:
        frequent_from = rel["purchases_last_year"].median()
    loyal = (rel["tenure_years"] >= LOYAL_TENURE_YEARS) & (rel["purchases_last_year"] >= frequent_from)
    tier = pd.Series("occasional", index=rel.index)
    tier[loyal] = "loyal"
    tier[rel["referrals_last_year"] >= 1] = "advocate"
    return tier


def extra_revenue(spend, ceiling, half_spend):
    """Revenue over three years that a year's `spend` on a tier causes (works on numbers, arrays, Series)."""
    return ceiling * spend / (spend + half_spend)


def next_return(spend, ceiling, half_spend, block):
    """What each unit of one more `block` of spend on a tier brings back (incremental, three years)."""
    return (extra_revenue(spend + block, ceiling, half_spend) - extra_revenue(spend, ceiling, half_spend)) / block


def average_return(spend, ceiling, half_spend):
    """What each unit already spent on a tier brought back on average: not a guide to the next unit."""
    return extra_revenue(spend, ceiling, half_spend) / spend


def curves(budget: pd.DataFrame, ceiling: str = "ceiling") -> pd.DataFrame:
    """The budget table indexed by tier, with the curve's two parameters (`ceiling` may name
    `ceiling_low` or `ceiling_high` to read the curve at one end of its range)."""
    table = budget.set_index("tier")
    return pd.DataFrame({"ceiling": table[ceiling], "half_spend": table["half_spend"]})


def today(budget: pd.DataFrame) -> pd.Series:
    """This year's plan: spend per tier."""
    return budget.set_index("tier")["current_budget"].astype(float)


def tier_revenue(plan: pd.Series, budget: pd.DataFrame, ceiling: str = "ceiling") -> pd.Series:
    """Three-year incremental revenue per tier under `plan`."""
    c = curves(budget, ceiling)
    plan = plan.reindex(c.index).astype(float)
    return extra_revenue(plan, c["ceiling"], c["half_spend"])


def plan_revenue(plan: pd.Series, budget: pd.DataFrame, ceiling: str = "ceiling") -> float:
    """Three-year incremental revenue of a whole plan: the sum over tiers."""
    return float(tier_revenue(plan, budget, ceiling).sum())


def block_of(budget: pd.DataFrame, share: float = MOVE_SHARE) -> float:
    """The block of money module 5 moves: a share of this year's total budget."""
    return share * float(budget["current_budget"].sum())


def next_returns(plan: pd.Series, budget: pd.DataFrame, block: float) -> pd.Series:
    """Per tier, what each unit of one more `block` there would bring back, from the plan's spend."""
    c = curves(budget)
    return next_return(plan.reindex(c.index).astype(float), c["ceiling"], c["half_spend"], block)


def moved(plan: pd.Series, source: str, target: str, amount: float) -> pd.Series:
    """The plan with `amount` moved from tier `source` to tier `target` (the total stays the same)."""
    if amount > plan[source]:
        raise ValueError(f"cannot move {amount:,.0f} out of {source}: it only has {plan[source]:,.0f}")
    out = plan.astype(float).copy()
    out[source] -= amount
    out[target] += amount
    return out


def customer_share(plan: pd.Series) -> float:
    """The share of a plan's money spent on existing customers (every tier but prospects)."""
    return float(plan.drop("prospects").sum() / plan.sum())


def plan_with_share(budget: pd.DataFrame, share_on_customers: float, total: float | None = None) -> pd.Series:
    """A plan of `total` (default: today's) with `share_on_customers` on customers, shared among the
    customer tiers as today's plan shares it, and the rest on prospects."""
    now = today(budget)
    total = float(now.sum()) if total is None else float(total)
    split = now[list(CUSTOMER_TIERS)] / now[list(CUSTOMER_TIERS)].sum()
    return pd.concat([pd.Series({"prospects": (1.0 - share_on_customers) * total}),
                      share_on_customers * total * split])


def revenue_by_share(budget: pd.DataFrame, shares, total: float | None = None) -> np.ndarray:
    """Three-year incremental revenue of `plan_with_share` at each share (one value per share)."""
    return np.array([plan_revenue(plan_with_share(budget, s, total), budget) for s in shares])


def best_share(budget: pd.DataFrame, total: float | None = None, shares=None) -> float:
    """The share on customers (on a 1% grid) whose plan brings the most, for a given total."""
    shares = np.round(np.linspace(0.0, 0.95, 96), 2) if shares is None else np.asarray(shares)
    return float(shares[int(np.argmax(revenue_by_share(budget, shares, total)))])


def untested(plan: pd.Series, budget: pd.DataFrame) -> list[str]:
    """The tiers a plan spends more on than the tests ever did (`tested_up_to`): there the curve is a guess."""
    limit = budget.set_index("tier")["tested_up_to"]
    return [t for t in limit.index if plan[t] > limit[t] * (1 + 1e-9)]


def move_gain_range(budget: pd.DataFrame, source: str, target: str, amount: float) -> tuple[float, float]:
    """What moving `amount` from `source` to `target` adds over three years at the ends of the tests' 95%
    ranges: (target's ceiling low and source's high: the worst case, the reverse: the best case)."""
    now = today(budget)
    new = moved(now, source, target, amount)

    def gain(target_end: str, source_end: str) -> float:
        table = budget.set_index("tier")
        ceilings = table["ceiling"].copy()
        ceilings[target], ceilings[source] = table.loc[target, target_end], table.loc[source, source_end]
        at = budget.assign(ceiling=budget["tier"].map(ceilings))
        return plan_revenue(new, at) - plan_revenue(now, at)

    return gain("ceiling_low", "ceiling_high"), gain("ceiling_high", "ceiling_low")
