"""Module 0 questions: first steps with a table."""
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


def median_cost(data: ModuleData) -> float:
    """The middle annual cost: half the tools cost less, half cost more."""
    return float(data["stack_inventory"]["annual_cost"].median())


def mean_cost(data: ModuleData) -> float:
    """A common mistake: the mean annual cost instead of the median."""
    return float(data["stack_inventory"]["annual_cost"].mean())


BANK.add(Question(
    id="n_tools", variable="n_tools",
    prompt="How many tools does the inventory list?",
    kind=Count(),
    expected=n_tools,
    hints=("Each row is one tool.", "`len(stack)` counts the rows of a table."),
))

BANK.add(Question(
    id="most_expensive_tool", variable="priciest",
    prompt="The name of the tool with the highest annual cost.",
    kind=Label(what="tool", universe=Column("stack_inventory", "tool")),
    expected=most_expensive_tool,
    hints=(
        "Sort the table by `annual_cost`, highest first: `stack.sort_values('annual_cost', ascending=False)`.",
        "Take the `tool` column of the first row: `.iloc[0]['tool']`.",
    ),
))

BANK.add(Question(
    id="median_cost", variable="typical_cost",
    prompt="The median annual cost of a tool.",
    kind=Money(low=0),
    expected=median_cost,
    hints=(
        "A column is `stack['annual_cost']`.",
        "Columns have a `.median()` method.",
    ),
    mistakes=(Mistake(mean_cost, "That is the mean (the average). The median is the middle value: try `.median()`."),),
))
