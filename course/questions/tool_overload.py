"""Module 1 questions: audit the stack with its own numbers."""
from __future__ import annotations

import pandas as pd

from ..measures.stack import utilisation
from ..checks import Column, LabelSet, Money, Number, NumberSeries, Points, Share
from . import Mistake, ModuleData, Question, QuestionBank

BANK = QuestionBank("tool_overload")

SHELFWARE_THRESHOLD = 0.2
FRAGILE_CONNECTORS = ("custom script", "manual CSV")


def cost_per_active_user(data: ModuleData) -> pd.Series:
    """Annual cost divided by monthly active users, for tools somebody actually uses."""
    stack = data["stack_inventory"]
    used = stack[stack["monthly_active_users"] > 0]
    return (used["annual_cost"] / used["monthly_active_users"]).set_axis(used["tool"])


def shelfware(data: ModuleData) -> list[str]:
    """Tools whose utilisation is under the threshold."""
    stack = data["stack_inventory"]
    return stack.loc[utilisation(stack) < SHELFWARE_THRESHOLD, "tool"].tolist()


def crowded_capabilities(data: ModuleData) -> list[str]:
    """Capabilities bought in tools of three or more different categories."""
    stack = data["stack_inventory"]
    pairs = stack.assign(capability=stack["capabilities"].str.split(";")).explode("capability")
    spread = pairs.groupby("capability")["category"].nunique()
    return spread[spread >= 3].index.tolist()


def shelfware_savings(data: ModuleData) -> float:
    """What retiring every shelfware tool saves per year."""
    stack = data["stack_inventory"]
    return float(stack.loc[utilisation(stack) < SHELFWARE_THRESHOLD, "annual_cost"].sum())


def fragile_maintenance_hours(data: ModuleData) -> float:
    """Hours a year spent mending integrations held together by scripts and CSV files."""
    links = data["tool_integrations"]
    return float(links.loc[links["connector"].isin(FRAGILE_CONNECTORS), "maintenance_hours_per_year"].sum())


def _reporting_share(weeks: pd.DataFrame) -> float:
    hours = weeks.drop(columns="week_start")
    return float(hours["reporting_hours"].sum() / hours.to_numpy().sum())


def reporting_share_last_year(data: ModuleData) -> float:
    """Share of all hours spent on reporting in the last 52 weeks."""
    return _reporting_share(data["weekly_time_split"].tail(52))


def reporting_points_gained(data: ModuleData) -> float:
    """Percentage points the reporting share gained between the first and the last 52 weeks."""
    weeks = data["weekly_time_split"]
    return 100 * (_reporting_share(weeks.tail(52)) - _reporting_share(weeks.head(52)))


def cost_per_seat_of_used_tools(data: ModuleData) -> pd.Series:
    """A common mistake: annual cost divided by seats (licences paid), for the tools in use."""
    stack = data["stack_inventory"]
    used = stack[stack["monthly_active_users"] > 0]
    return (used["annual_cost"] / used["seats"]).set_axis(used["tool"])


def cost_per_seat(data: ModuleData) -> pd.Series:
    """The same mistake over every tool."""
    stack = data["stack_inventory"]
    return (stack["annual_cost"] / stack["seats"]).set_axis(stack["tool"])


def shelfware_inclusive(data: ModuleData) -> list[str]:
    """A common mistake: tools at exactly the threshold counted as under it (<= instead of <)."""
    stack = data["stack_inventory"]
    return stack.loc[utilisation(stack) <= SHELFWARE_THRESHOLD, "tool"].tolist()


def shelfware_savings_inclusive(data: ModuleData) -> float:
    """The same mistake, in the savings."""
    stack = data["stack_inventory"]
    return float(stack.loc[utilisation(stack) <= SHELFWARE_THRESHOLD, "annual_cost"].sum())


TOOLS = Column("stack_inventory", "tool")
_AT_THE_LIMIT = ("A tool used by exactly 20% of its seats is not under 20%: keep the rows where utilisation is "
                 "below 0.2 (`< 0.2`, not `<= 0.2`).")
_SEATS = "You divided by seats (licences paid). Divide by monthly active users: the people who use it."

BANK.add(Question(
    id="cost_per_active_user", variable="cost_per_user",
    prompt="Annual cost divided by monthly active users, one value per tool that has at least one active user.",
    kind=NumberSeries(values=Money(), index="tool name", items="tools", universe=TOOLS),
    expected=cost_per_active_user,
    hints=(
        "Start from `stack`. Tools with 0 active users would give a division by zero: keep only rows "
        "where `monthly_active_users` is above 0.",
        "Divide one column by the other: `used['annual_cost'] / used['monthly_active_users']`.",
        "Name the values by tool: put the tool names in the index with `.set_axis(used['tool'])` or "
        "`used.set_index('tool')` before dividing.",
    ),
    mistakes=(Mistake(cost_per_seat_of_used_tools, _SEATS), Mistake(cost_per_seat, _SEATS)),
    done="Some tools cost hundreds per real user each year.",
))

BANK.add(Question(
    id="shelfware", variable="shelfware_tools",
    prompt="Names of the tools used by fewer than 20% of their seats (monthly active users / seats < 0.2).",
    kind=LabelSet(items="tool names", universe=TOOLS),
    expected=shelfware,
    mistakes=(Mistake(shelfware_inclusive, _AT_THE_LIMIT),),
    hints=(
        "Utilisation is `stack['monthly_active_users'] / stack['seats']`.",
        "Keep the rows where utilisation is below 0.2, with a boolean filter: `stack[utilisation < 0.2]`.",
        "The answer is the `tool` column of those rows, as a list: `.tolist()`.",
    ),
    done="Shelfware is software paid for and left on the shelf.",
))

BANK.add(Question(
    id="crowded_capabilities", variable="crowded",
    prompt="Capabilities sold to you by tools of three or more different categories.",
    kind=LabelSet(items="capabilities"),
    expected=crowded_capabilities,
    hints=(
        "A tool lists several capabilities in one text cell separated by ';'. "
        "`.str.split(';')` turns it into a list, and `.explode()` gives one row per capability.",
        "Then group by capability and count the different categories: `.groupby('capability')['category'].nunique()`.",
        "Keep the capabilities with a count of 3 or more and take their names from the index.",
    ),
    done="Each of these is paid for several times over.",
))

BANK.add(Question(
    id="shelfware_savings", variable="savings",
    prompt="Money saved per year if every tool under 20% utilisation were retired.",
    kind=Money(low=0),
    expected=shelfware_savings,
    mistakes=(Mistake(shelfware_savings_inclusive, _AT_THE_LIMIT),),
    hints=(
        "Reuse the filter from the shelfware exercise.",
        "Add up `annual_cost` for those rows with `.sum()`.",
    ),
))

BANK.add(Question(
    id="fragile_maintenance_hours", variable="fragile_hours",
    prompt="Hours per year spent maintaining integrations that run on a custom script or a manual CSV export.",
    kind=Number(unit="hours", decimals=0, low=0),
    expected=fragile_maintenance_hours,
    hints=(
        "Use the `links` table and its `connector` column.",
        "`links['connector'].isin(['custom script', 'manual CSV'])` selects the fragile ones.",
        "Sum `maintenance_hours_per_year` over those rows.",
    ),
))

BANK.add(Question(
    id="reporting_share_last_year", variable="reporting_share",
    prompt="Share of the team's hours spent on reporting over the last 52 weeks (between 0 and 1).",
    kind=Share(decimals=3),
    expected=reporting_share_last_year,
    hints=(
        "`weeks.tail(52)` keeps the last 52 weeks.",
        "Add up the reporting hours, and add up all hours (the four hour columns), over those weeks.",
        "Divide the first total by the second. Dividing week by week and averaging gives a slightly different number.",
    ),
))

BANK.add(Question(
    id="reporting_points_gained", variable="points_gained",
    prompt="Percentage points the reporting share gained between the first 52 weeks and the last 52 weeks.",
    kind=Points(decimals=1),
    expected=reporting_points_gained,
    hints=(
        "Compute the reporting share for `weeks.head(52)` the same way as for the last year.",
        "A share of 0.30 is 30 points. Multiply the difference of the two shares by 100.",
    ),
))
