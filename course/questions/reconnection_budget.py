"""Module 5's budget expectations and their wrong paths: where the next block of money causes the most.

Every number comes from the one budget model of course.measures.budget (incremental revenue over three
years, diminishing returns per tier), as in the simulation, so exercise and simulation agree. The
capstone reuses these functions on its own data (through course.questions.reconnection).
"""
from __future__ import annotations

import pandas as pd

from ..measures import budget as model
from . import ModuleData

def block(data: ModuleData) -> float:
    """The block of money the exercises move: a tenth of this year's total budget."""
    return model.block_of(data["budget"])


def next_block_return(data: ModuleData) -> pd.Series:
    """Per tier, what each unit of one more block there would cause over three years, from today's plan."""
    budget = data["budget"]
    return model.next_returns(model.today(budget), budget, block(data))


def fund_first(data: ModuleData) -> str:
    """The tier where one more block of money causes the most revenue."""
    return str(next_block_return(data).idxmax())


def moved_plan(data: ModuleData) -> pd.Series:
    """Today's plan with one block moved from prospects to the tier to fund first."""
    return model.moved(model.today(data["budget"]), "prospects", fund_first(data), block(data))


def expected_return(data: ModuleData) -> float:
    """Three-year incremental revenue of the plan after the move."""
    return model.plan_revenue(moved_plan(data), data["budget"])


def current_return(data: ModuleData) -> float:
    """Three-year incremental revenue of today's plan, for comparison."""
    return model.plan_revenue(model.today(data["budget"]), data["budget"])


def move_gain(data: ModuleData) -> float:
    """What the move adds over three years (it can be negative on other data)."""
    return expected_return(data) - current_return(data)


def gain_range(data: ModuleData) -> tuple[float, float]:
    """The move's gain at the ends of the tests' ranges: (the funded tier low and prospects high, the reverse)."""
    return model.move_gain_range(data["budget"], "prospects", fund_first(data), block(data))


def customer_share_today(data: ModuleData) -> float:
    """The share of today's budget spent on existing customers."""
    return model.customer_share(model.today(data["budget"]))


def best_share(data: ModuleData) -> float:
    """The share on customers that brings the most, customer tiers shared as today (the simulation's peak)."""
    return model.best_share(data["budget"])



# --- Common wrong paths, as the answers they lead to ---------------------------------------------

def _curve(data) -> tuple[pd.Series, pd.DataFrame]:
    budget = data["budget"]
    return model.today(budget), model.curves(budget)


def average_returns(data) -> pd.Series:
    """What each unit already spent brought back on average, instead of the next block's return."""
    now, c = _curve(data)
    return model.average_return(now, c["ceiling"], c["half_spend"])


def attributed_returns(data) -> pd.Series:
    """The campaign reports' attributed return instead of the incremental one."""
    return data["budget"].set_index("tier")["attributed_return"]


def block_not_divided(data) -> pd.Series:
    """What the whole next block brings, not divided by the block."""
    return next_block_return(data) * block(data)


def block_not_subtracted(data) -> pd.Series:
    """Everything the tier would bring with the block, divided by the block (today's part not taken away)."""
    now, c = _curve(data)
    return model.extra_revenue(now + block(data), c["ceiling"], c["half_spend"]) / block(data)


def best_attributed_tier(data) -> str:
    """The tier the campaign reports credit most."""
    return str(attributed_returns(data).idxmax())


def worst_next_tier(data) -> str:
    """The tier whose next block returns least."""
    return str(next_block_return(data).idxmin())


def return_plan_grew(data) -> float:
    """The block added to the tier to fund without taking it out of prospects (a bigger budget)."""
    plan = model.today(data["budget"])
    plan[fund_first(data)] += block(data)
    return model.plan_revenue(plan, data["budget"])


def return_moved_to_attributed_best(data) -> float:
    """The block moved to the tier the dashboards credit most."""
    plan = model.moved(model.today(data["budget"]), "prospects", best_attributed_tier(data), block(data))
    return model.plan_revenue(plan, data["budget"])


def attributed_value_of_plan(data) -> float:
    """The moved plan valued at the attributed returns."""
    return float((moved_plan(data) * attributed_returns(data)).sum())
