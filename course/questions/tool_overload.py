"""Module 1 questions: audit the stack with its own numbers, and the model answer of "retire one tool"."""
from __future__ import annotations

import pandas as pd

from ..checks import Column, LabelSet, Money, Number, NumberSeries, Points, Share, Values
from ..data.tool_overload import CATEGORIES
from ..measures.stack import utilisation
from . import Mistake, ModuleData, Question, QuestionBank

BANK = QuestionBank("tool_overload")

SHELFWARE_THRESHOLD = 0.2
CROWDED = 3            # a capability sold by this many different tools or more is bought several times
FRAGILE_CONNECTORS = ("custom script", "manual CSV")
HOUR_COLUMNS = ("reporting_hours", "meetings_hours", "production_hours", "customer_contact_hours")
CAPABILITIES = tuple(sorted({c for cat in CATEGORIES for c in (*cat.jobs, *cat.extras)}))


# --- expectations ---------------------------------------------------------------------------------
def cost_per_active_user(data: ModuleData) -> pd.Series:
    """Annual cost divided by monthly active users, for tools somebody actually uses."""
    stack = data["stack_inventory"]
    used = stack[stack["monthly_active_users"] > 0]
    return (used["annual_cost"] / used["monthly_active_users"]).set_axis(used["tool"])


def _shelf_mask(stack: pd.DataFrame) -> pd.Series:
    return utilisation(stack) < SHELFWARE_THRESHOLD


def shelfware(data: ModuleData) -> list[str]:
    """Tools whose utilisation is under the threshold."""
    stack = data["stack_inventory"]
    return stack.loc[_shelf_mask(stack), "tool"].tolist()


def shelfware_savings(data: ModuleData) -> float:
    """What retiring every shelfware tool saves per year, at most (see the notebook: an upper bound)."""
    stack = data["stack_inventory"]
    return float(stack.loc[_shelf_mask(stack), "annual_cost"].sum())


def _capability_rows(stack: pd.DataFrame) -> pd.DataFrame:
    """One row per tool and capability."""
    return stack.assign(capability=stack["capabilities"].str.split(";")).explode("capability")


def sellers(stack: pd.DataFrame) -> pd.Series:
    """How many different tools sell each capability."""
    return _capability_rows(stack).groupby("capability")["tool"].nunique()


def crowded_capabilities(data: ModuleData) -> list[str]:
    """Capabilities sold by three or more different tools: each is paid for several times."""
    count = sellers(data["stack_inventory"])
    return count[count >= CROWDED].index.tolist()


def fragile_maintenance_hours(data: ModuleData) -> float:
    """Hours a year spent mending integrations held together by scripts and CSV files."""
    links = data["tool_integrations"]
    return float(links.loc[links["connector"].isin(FRAGILE_CONNECTORS), "maintenance_hours_per_year"].sum())


def _reporting_share(weeks: pd.DataFrame) -> float:
    hours = weeks[list(HOUR_COLUMNS)]
    return float(hours["reporting_hours"].sum() / hours.to_numpy().sum())


def reporting_share_last_year(data: ModuleData) -> float:
    """Share of all hours spent on reporting in the last 52 weeks."""
    return _reporting_share(data["weekly_time_split"].tail(52))


def reporting_share_first_year(data: ModuleData) -> float:
    """The same share over the first 52 weeks (also a mistake for the last year: head instead of tail)."""
    return _reporting_share(data["weekly_time_split"].head(52))


def reporting_points_gained(data: ModuleData) -> float:
    """Percentage points the reporting share gained between the first and the last 52 weeks."""
    return 100 * (reporting_share_last_year(data) - reporting_share_first_year(data))


# --- mistakes: what a learner computes on a wrong path ----------------------------------------------
def cost_per_seat_of_used_tools(data: ModuleData) -> pd.Series:
    """Annual cost divided by seats (licences paid), for the tools in use."""
    stack = data["stack_inventory"]
    used = stack[stack["monthly_active_users"] > 0]
    return (used["annual_cost"] / used["seats"]).set_axis(used["tool"])


def cost_per_seat(data: ModuleData) -> pd.Series:
    """The same mistake over every tool."""
    stack = data["stack_inventory"]
    return (stack["annual_cost"] / stack["seats"]).set_axis(stack["tool"])


def _inclusive(stack: pd.DataFrame) -> pd.Series:
    return utilisation(stack) <= SHELFWARE_THRESHOLD


def shelfware_inclusive(data: ModuleData) -> list[str]:
    """Tools at exactly the threshold counted as under it (<= instead of <)."""
    stack = data["stack_inventory"]
    return stack.loc[_inclusive(stack), "tool"].tolist()


def shelfware_in_percent(data: ModuleData) -> list[str]:
    """Utilisation compared with 20 instead of 0.2: every tool passes."""
    return data["stack_inventory"]["tool"].tolist()


def shelfware_savings_inclusive(data: ModuleData) -> float:
    stack = data["stack_inventory"]
    return float(stack.loc[_inclusive(stack), "annual_cost"].sum())


def whole_stack_cost(data: ModuleData) -> float:
    """Compared with 20 instead of 0.2, or no filter at all: the whole stack's cost."""
    return float(data["stack_inventory"]["annual_cost"].sum())


def crowded_strictly_more(data: ModuleData) -> list[str]:
    """`> 3` instead of `>= 3`."""
    count = sellers(data["stack_inventory"])
    return count[count > CROWDED].index.tolist()


def crowded_by_category(data: ModuleData) -> list[str]:
    """Counting categories instead of tools (the old exercise's definition)."""
    count = _capability_rows(data["stack_inventory"]).groupby("capability")["category"].nunique()
    return count[count >= CROWDED].index.tolist()


def _hours_of(data: ModuleData, connectors: tuple[str, ...], column: str = "maintenance_hours_per_year") -> float:
    links = data["tool_integrations"]
    return float(links.loc[links["connector"].isin(connectors), column].sum())


def fragile_scripts_only(data: ModuleData) -> float:
    return _hours_of(data, ("custom script",))


def fragile_csv_only(data: ModuleData) -> float:
    return _hours_of(data, ("manual CSV",))


def fragile_breaks(data: ModuleData) -> float:
    return _hours_of(data, FRAGILE_CONNECTORS, "breaks_per_year")


def reporting_relative_rise(data: ModuleData) -> float:
    """The rise in percent of the first share, not in percentage points."""
    first = reporting_share_first_year(data)
    return 100 * (reporting_share_last_year(data) - first) / first


def reporting_points_from_rounded_shares(data: ModuleData) -> float:
    """The last year's share reused after exercise 6 accepted it rounded to 2 decimals."""
    return 100 * (round(reporting_share_last_year(data), 2) - reporting_share_first_year(data))


def reporting_points_lost(data: ModuleData) -> float:
    """First minus last: the sign turned round."""
    return -reporting_points_gained(data)


TOOLS = Column("stack_inventory", "tool")
_AT_THE_LIMIT = ("A tool used by exactly 20% of its seats is not below 20%: keep the rows where utilisation is "
                 "`< 0.2`, not `<= 0.2`.")
_SEATS = "You divided by seats (licences paid). Divide by monthly active users: the people who use it."
_PERCENT = "Utilisation is a share between 0 and 1: compare it with 0.2, not with 20."
_ROUNDED_SHARES = ("Close: your last year's share was rounded before you subtracted, and 100 times a rounding error "
                   "is too big here. Compute both shares in full and round only the final answer.")

BANK.add(Question(
    id="cost_per_active_user", variable="cost_per_user",
    prompt="Annual cost divided by monthly active users, one value per tool that has at least one active user, "
           "with the tool names as the index.",
    kind=NumberSeries(values=Money(), index="tool name", items="tools", universe=TOOLS),
    expected=cost_per_active_user,
    hints=(
        "Three steps, as in the example just above: keep the rows with users, divide, name the values. "
        "First `used = stack[stack['monthly_active_users'] > 0]`.",
        "Then divide one column of `used` by the other: `used['annual_cost'] / used['monthly_active_users']`.",
        "Last, put the tool names in the index: add `.set_axis(used['tool'])` after the division.",
    ),
    mistakes=(Mistake(cost_per_seat_of_used_tools, _SEATS), Mistake(cost_per_seat, _SEATS)),
    example="the shops example just above the exercise (and 'Put names in the index' in pandas_moves.ipynb)",
    done="Some tools cost hundreds or thousands per real user each year.",
))

BANK.add(Question(
    id="shelfware", variable="shelfware_tools",
    prompt="The names of the tools used by fewer than 20% of their seats (monthly active users / seats < 0.2), "
           "as a list.",
    kind=LabelSet(items="tool names", universe=TOOLS),
    expected=shelfware,
    mistakes=(Mistake(shelfware_inclusive, _AT_THE_LIMIT), Mistake(shelfware_in_percent, _PERCENT)),
    hints=(
        "Utilisation is `stack['monthly_active_users'] / stack['seats']`: store it as `utilisation`.",
        "Make a mask `utilisation < 0.2` and keep the `tool` column of those rows, as the example does: "
        "`stack.loc[mask, 'tool']`.",
        "End with `.tolist()` to turn the column into a list.",
    ),
    example="the gyms example just above the exercise (and 'Filter with a condition' in pandas_moves.ipynb)",
    done="Shelfware is software paid for and left on the shelf.",
))

BANK.add(Question(
    id="shelfware_savings", variable="savings",
    prompt="The yearly licence cost of all the tools under 20% utilisation added up: what retiring all of "
           "them would save at most.",
    kind=Money(low=0, sig=3),
    expected=shelfware_savings,
    mistakes=(Mistake(shelfware_savings_inclusive, _AT_THE_LIMIT),
              Mistake(whole_stack_cost, "That is the cost of the whole stack: keep only the rows under 0.2 "
                                        "(a share, not 20) before adding up.")),
    hints=(
        "Use the same mask as in the shelfware exercise: `utilisation < 0.2`.",
        "Take the `annual_cost` of those rows, `stack.loc[mask, 'annual_cost']`, and add it up with `.sum()`.",
    ),
    example="the gyms example just above the exercise",
    done="An upper bound: the next cell says why the real saving is smaller.",
))

BANK.add(Question(
    id="crowded_capabilities", variable="crowded",
    prompt="The capabilities sold to you by three or more different tools, as a list.",
    kind=LabelSet(items="capabilities", universe=Values(CAPABILITIES)),
    expected=crowded_capabilities,
    mistakes=(Mistake(crowded_strictly_more, "Three tools selling a capability count too: keep the counts "
                                             "`>= 3`, not `> 3`."),
              Mistake(crowded_by_category, "You counted categories. Two tools of the same category doing the same "
                                           "job are paid for twice: count different tools with `['tool'].nunique()`.")),
    hints=(
        "As in the recipes example: one row per tool and capability with "
        "`pairs = stack.assign(capability=stack['capabilities'].str.split(';')).explode('capability')`.",
        "The new column is called `capability` (the name you gave it in `assign`). Count the different tools "
        "selling each one: `count = pairs.groupby('capability')['tool'].nunique()`.",
        "`count` has the capabilities in its index: keep `count[count >= 3]` and take `.index.tolist()`.",
    ),
    example="the recipes example just above the exercise (and 'Split text into rows' in pandas_moves.ipynb)",
    done="Each of these is paid for at least three times over.",
))

BANK.add(Question(
    id="fragile_maintenance_hours", variable="fragile_hours",
    prompt="Hours per year spent maintaining the connections that run on a custom script or a manual CSV export.",
    kind=Number(unit="hours", decimals=0, low=0),
    expected=fragile_maintenance_hours,
    mistakes=(Mistake(fragile_scripts_only, "You kept only the custom scripts: manual CSV exports are fragile too."),
              Mistake(fragile_csv_only, "You kept only the manual CSV exports: custom scripts are fragile too."),
              Mistake(fragile_breaks, "You added up `breaks_per_year`. The question asks for hours: "
                                      "`maintenance_hours_per_year`.")),
    hints=(
        "Use the `links` table. As in the example just above, `links['connector'].isin(['custom script', "
        "'manual CSV'])` is a mask of the fragile connections.",
        "Keep `maintenance_hours_per_year` for those rows with `links.loc[mask, ...]` and add it up with `.sum()`.",
    ),
    example="the orders example just above the exercise (and 'Filter with a list of values' in pandas_moves.ipynb)",
    done="Hours someone spends keeping data moving, not talking to customers.",
))

BANK.add(Question(
    id="reporting_share_last_year", variable="reporting_share",
    prompt="The share of the team's hours spent on reporting over the last 52 weeks (between 0 and 1).",
    kind=Share(decimals=2),
    expected=reporting_share_last_year,
    # Averaging the weekly shares gives the same answer at 2 decimals here, so it is not declared a mistake.
    mistakes=(Mistake(reporting_share_first_year, "That is the first 52 weeks. The last 52 are at the bottom of "
                                                  "the table: `weeks.tail(52)`."),),
    hints=(
        "`last_year = weeks.tail(52)` keeps the last 52 weeks.",
        "The example just above adds up a block of columns: `last_year[columns].to_numpy().sum()` is all the hours.",
        "Divide `last_year['reporting_hours'].sum()` by that total.",
    ),
    example="the week example just above the exercise (and 'Add up several columns' in pandas_moves.ipynb)",
    done="Compare it with the time left for customers in the same weeks.",
))

BANK.add(Question(
    id="reporting_points_gained", variable="points_gained",
    prompt="How many percentage points the reporting share gained between the first 52 weeks and the last 52 weeks.",
    kind=Points(decimals=1),
    expected=reporting_points_gained,
    mistakes=(Mistake(reporting_relative_rise, "That is the rise in percent of the first share. Percentage points "
                                               "are the difference of the two shares, times 100."),
              Mistake(reporting_points_lost, "The sign is turned round: take the last share minus the first."),
              Mistake(reporting_points_from_rounded_shares, _ROUNDED_SHARES)),
    hints=(
        "Compute both shares in full, the way exercise 6 does: `first_share` with `weeks.head(52)` and "
        "`last_share` with `weeks.tail(52)`.",
        "Then `100 * (last_share - first_share)`, as the example just above does. Round only that final answer.",
    ),
    example="the example just above the exercise (and 'Shares and percentage points' in pandas_moves.ipynb)",
    done="A trend in your own data; the next cell says what it cannot tell.",
))


# --- the model answer of the written answer ----------------------------------------------------------
# What replaces a tool's job once it is gone: a habit, a meeting or a rule (the rubric's third row).
PROCESS_CHANGE = {
    "CRM": "one customer record for everyone: the teams on the second CRM move to the first, and any missing field "
           "is added there",
    "Customer data platform": "customer data is joined in the CRM we keep, and one person owns the import",
    "Email": "every e-mail goes through the platform we keep, with one shared calendar of sends",
    "Marketing automation": "journeys are built in the automation platform we keep, and reviewed each quarter",
    "Analytics": "one analytics tool becomes the reference; any new question goes to its owner first",
    "Reporting": "the weekly report becomes one shared dashboard in a tool we keep, and the half hour saved goes "
                 "to reading ten customer calls together",
    "Advertising": "campaigns on that channel are bought through the tool we keep, by the team that runs it",
    "Social media": "posts are planned in one shared calendar, with one person approving",
    "SEO": "the site audit becomes a quarterly task in the tool we keep",
    "CMS": "new pages are built in the CMS we keep, from its templates",
    "Personalisation": "recommendations and tests run in the tool we keep, one test at a time, each with a "
                       "question written down first",
    "Survey": "every survey goes through one tool and one owner, who also reads the answers aloud each month",
    "Chat and support": "customer chats come into the support tool we keep, where the care team already works",
    "Design": "the brand templates live in one design tool, and requests go through one queue",
    "Project management": "each team keeps its tasks on the board everyone already uses",
    "Collaboration": "one messaging tool for everyone; the old channels are archived",
    "Content assets": "images and fonts are bought through one shared library",
    "Point tools": "small tools are bought on one shared account, and each one gets an owner who renews it or not",
}
OTHER_CHANGE = "a rule: before buying a tool for a new problem, the team checks which tool it already pays for does the job"


def retire_candidate(data: ModuleData) -> pd.Series:
    """The tool the model answer retires: the dearest shelfware tool whose every capability another tool in use sells."""
    stack = data["stack_inventory"]
    rows = _capability_rows(stack)
    in_use = rows[~_shelf_mask(rows)]
    shelf = stack[_shelf_mask(stack)]
    covered = [all(((in_use["capability"] == cap) & (in_use["tool"] != tool)).any() for cap in caps.split(";"))
               for tool, caps in zip(shelf["tool"], shelf["capabilities"])]
    pool = shelf[covered] if any(covered) else shelf
    return pool.loc[pool["annual_cost"].idxmax()]


def retire_tool_model(data: ModuleData) -> str:
    """Markdown: one tool to retire, every number computed from the data."""
    stack, links = data["stack_inventory"], data["tool_integrations"]
    tool = retire_candidate(data)
    rows = _capability_rows(stack)
    others = rows[(rows["tool"] != tool["tool"]) & ~_shelf_mask(rows)]
    cover = []
    for cap in tool["capabilities"].split(";"):
        names = others.loc[others["capability"] == cap, "tool"].head(2).tolist()
        cover.append(f"{cap} ({' and '.join(names)})" if names else f"{cap} (no other tool: the job itself goes)")
    mine = links[(links["source_tool_id"] == tool["tool_id"]) | (links["target_tool_id"] == tool["tool_id"])]
    fragile = mine[mine["connector"].isin(FRAGILE_CONNECTORS)]
    users, seats = int(tool["monthly_active_users"]), int(tool["seats"])
    wires = (f"It has {len(mine)} connection{'s' if len(mine) != 1 else ''} to other tools, {len(fragile)} of them "
             f"fragile (custom script or manual CSV), which took {mine['maintenance_hours_per_year'].sum():,.0f} "
             f"hours to maintain last year: those hours come back too." if len(mine) else
             "It has no connection to other tools, so nothing else breaks when it goes.")
    change = PROCESS_CHANGE.get(str(tool["category"]), OTHER_CHANGE)
    return (
        f"*Example:* retire **{tool['tool']}** ({tool['category']}, owned by {tool['owner_team']}). It costs "
        f"{float(tool['annual_cost']):,.0f} a year for {seats} seats, and {users} "
        f"{'person' if users == 1 else 'people'} used it last month ({users / seats:.0%} of the seats). "
        f"What it does is already sold to us by tools we use: {'; '.join(cover)}. {wires}\n\n"
        f"The process change: {change}. Risk: the {tool['owner_team']} team may rely on something the data does "
        f"not show (a yearly campaign, a report for finance). We ask them before the renewal on "
        f"{tool['renewal_date']}, switch it off for a month first, and count the requests for it in that month. "
        f"If nobody asks, we tell the {users} {'person' if users == 1 else 'people'} who used it where the same "
        "job is done now, and let the contract end."
    )


MODEL_ANSWERS = {"retire_tool": retire_tool_model}
