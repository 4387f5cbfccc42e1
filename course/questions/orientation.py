"""Module 0 questions: first steps with a table."""
from __future__ import annotations

from . import Mistake, ModuleData, Question, QuestionBank
from .kinds import Label, Number

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


def _gave_mean(answer, data: ModuleData) -> bool:
    return abs(answer - data["stack_inventory"]["annual_cost"].mean()) < 0.01


BANK.add(Question(
    id="n_tools", variable="n_tools",
    prompt="How many tools does the inventory list?",
    kind=Number(whole=True, low=0, rel_tol=0, abs_tol=0),
    expected=n_tools,
    hints=("Each row is one tool.", "`len(stack)` counts the rows of a table."),
))

BANK.add(Question(
    id="most_expensive_tool", variable="priciest",
    prompt="The name of the tool with the highest annual cost.",
    kind=Label(what="most expensive tool"),
    expected=most_expensive_tool,
    hints=(
        "Sort the table by `annual_cost`, highest first: `stack.sort_values('annual_cost', ascending=False)`.",
        "Take the `tool` column of the first row: `.iloc[0]['tool']`.",
    ),
))

BANK.add(Question(
    id="median_cost", variable="typical_cost",
    prompt="The median annual cost of a tool.",
    kind=Number(rel_tol=1e-6, abs_tol=0.01, low=0),
    expected=median_cost,
    hints=(
        "A column is `stack['annual_cost']`.",
        "Columns have a `.median()` method.",
    ),
    mistakes=(Mistake(_gave_mean, "That is the mean (the average). The median is the middle value: try `.median()`."),),
))
