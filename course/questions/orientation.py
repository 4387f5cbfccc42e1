"""Module 0 questions: first steps with a table, and the model answer of the first written answer."""
from __future__ import annotations

from ..checks import Column, Count, Label, Money
from . import Mistake, ModuleData, Question, QuestionBank

BANK = QuestionBank("orientation")


def n_tools(data: ModuleData) -> int:
    """How many tools the inventory lists (one row each)."""
    return len(data["stack_inventory"])


def most_expensive_tool(data: ModuleData) -> str:
    """The tool with the highest annual cost."""
    stack = data["stack_inventory"]
    return str(stack.loc[stack["annual_cost"].idxmax(), "tool"])


def cheapest_tool(data: ModuleData) -> str:
    """A common mistake: sorting without ascending=False puts the cheapest tool first."""
    stack = data["stack_inventory"]
    return str(stack.loc[stack["annual_cost"].idxmin(), "tool"])


def median_cost(data: ModuleData) -> float:
    """The middle annual cost: half the tools cost less, half cost more."""
    return float(data["stack_inventory"]["annual_cost"].median())


def mean_cost(data: ModuleData) -> float:
    """A common mistake: the mean annual cost instead of the median."""
    return float(data["stack_inventory"]["annual_cost"].mean())


def n_columns(data: ModuleData) -> int:
    """A common mistake: `len(stack.columns)` or `stack.shape[1]` counts the columns, not the rows."""
    return len(data["stack_inventory"].columns)


BANK.add(Question(
    id="n_tools", variable="n_tools",
    prompt="How many tools does the inventory list?",
    kind=Count(),
    expected=n_tools,
    mistakes=(Mistake(n_columns, "That is the number of columns. Each tool is a row: count the rows."),),
    hints=("Each row of `stack` is one tool, so you want the number of rows.",
           "The example just above counts the rows of a small table with `len(...)`: do the same with `stack`."),
    example="the example just above the exercise (`len(fruit)`)",
    done="One row per tool.",
))

BANK.add(Question(
    id="most_expensive_tool", variable="priciest",
    prompt="The name of the tool with the highest annual cost, as text in quotes or taken from the table.",
    kind=Label(what="tool", universe=Column("stack_inventory", "tool")),
    expected=most_expensive_tool,
    mistakes=(Mistake(cheapest_tool, "That is the cheapest tool: sort with `ascending=False` so the most "
                                     "expensive comes first."),),
    hints=(
        "Sort the table by `annual_cost`, highest first: `stack.sort_values('annual_cost', ascending=False)`.",
        "Then take the `tool` of the first row: add `.iloc[0]['tool']`, as the example just above does with fruit.",
    ),
    example="the fruit example just above the exercise",
    done="Keep it in mind: the simulation below changes its price.",
))

BANK.add(Question(
    id="median_cost", variable="typical_cost",
    prompt="The median annual cost of a tool.",
    kind=Money(low=0),
    expected=median_cost,
    hints=(
        "A column is `stack['annual_cost']`.",
        "Columns have a `.median()` method, as the example just above shows with fruit prices.",
    ),
    mistakes=(Mistake(mean_cost, "That is the mean (the average). The median is the middle value: try `.median()`."),),
    example="the fruit example just above the exercise",
    done="Half the tools cost less than this, half cost more.",
))

# What a customer of the company gets from each kind of tool, for the model answer below.
CUSTOMER_GAIN = {
    "CRM": "a customer gains only if someone uses it to remember them and answer faster",
    "Customer data platform": "a customer gains only if the merged view changes what we do for them",
    "Email": "a customer gains only from the e-mails worth reading; it also sends the ones that are not",
    "Marketing automation": "a customer gains little: it decides when we write to them, not what they need",
    "CMS": "a customer gains a website that works, which matters, but nothing we learn about them",
    "Personalisation": "a customer may gain a relevant suggestion, if the data behind it is right",
}
OTHER_GAIN = "a customer gains nothing directly: it serves the team's own work"


def first_look_model(data: ModuleData) -> str:
    """The model answer of the written answer: the most expensive tool, its numbers and who gains."""
    stack = data["stack_inventory"]
    row = stack.loc[stack["annual_cost"].idxmax()]
    users = int(row["monthly_active_users"])
    per_user = f", about {float(row['annual_cost']) / users:,.0f} per person who used it" if users else ""
    gain = CUSTOMER_GAIN.get(str(row["category"]), OTHER_GAIN)
    return (f"*Example:* **{row['tool']}** ({row['category']}) is the most expensive tool: it costs {float(row['annual_cost']):,.0f} a year "
            f"for {int(row['seats'])} seats, and {users} people used it last month{per_user}. "
            f"{gain[0].upper()}{gain[1:]}.")


MODEL_ANSWERS = {"first_look": first_look_model}
