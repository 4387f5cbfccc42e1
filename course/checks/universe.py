"""Label universes: the names an answer may use, declared as data and evaluated on the learner's own data.

    Column("stack_inventory", "tool")       every value of one column of one dataset
    Values(("FR", "DE", "ES"))              a fixed list (public: never the expected answer itself)

A label outside its universe gets "not in the data: check the spelling", which needs no answer key.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from .plain import canonical


@dataclass(frozen=True)
class Column:
    """The labels found in one column of one of the module's datasets."""

    dataset: str
    column: str
    advice: str = ""   # one sentence on how to get the labels right, added to the message

    def labels(self, load: Callable[[str], pd.DataFrame]) -> frozenset[str]:
        """The canonical labels of the column, read through `load(dataset)`."""
        values = load(self.dataset)[self.column].dropna()
        return frozenset(canonical(str(v)) for v in values.unique())

    def spec(self) -> dict:
        return {"universe": "column", "dataset": self.dataset, "column": self.column, "advice": self.advice}


@dataclass(frozen=True)
class Values:
    """A fixed, public list of labels (for example the two-letter country codes)."""

    values: tuple[str, ...]
    advice: str = ""

    def labels(self, load=None) -> frozenset[str]:
        return frozenset(canonical(v) for v in self.values)

    def spec(self) -> dict:
        return {"universe": "values", "values": list(self.values), "advice": self.advice}


def universe_from_spec(spec: dict) -> Column | Values:
    """Rebuild a universe from its `spec()`."""
    if spec["universe"] == "column":
        return Column(spec["dataset"], spec["column"], spec.get("advice", ""))
    if spec["universe"] == "values":
        return Values(tuple(spec["values"]), spec.get("advice", ""))
    raise ValueError(f"unknown label universe {spec['universe']!r}")
