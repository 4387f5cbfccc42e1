"""Answer kinds: how an answer is validated, turned into plain data, and compared with the expectation.

The learner's check and the grader both compare *plain data* (the JSON types: int, float, str, list,
dict, None), produced by `to_plain`. An object that claims to equal anything never gets that far: its
type is refused first.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import messages as msg

_INTS = (int, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64)
_FLOATS = (float, np.float16, np.float32, np.float64)


class Refused(Exception):
    """An answer of the wrong kind; the message says what was expected and what was received."""


def describe(value) -> str:
    """A short, learner-friendly description of what they handed in."""
    if value is None:
        return "None"
    t = type(value)
    if t is bool or t is np.bool_:
        return f"True/False ({value})"
    if t in _INTS:
        return f"the whole number {value}"
    if t in _FLOATS:
        return f"the number {float(value):.6g}"
    if t is str:
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if t in (list, tuple, set):
        return f"a {t.__name__} of {len(value)} items"
    if t is pd.Series:
        return f"a pandas Series of {len(value)} values"
    if t is pd.DataFrame:
        return f"a table (DataFrame) of {value.shape[0]} rows and {value.shape[1]} columns"
    if t is pd.Index:
        return f"a pandas Index of {len(value)} items"
    return f"an object of type {t.__name__}"


def plain_number(value) -> float | int:
    """A number of an exact built-in or numpy type, as a Python number; anything else is refused."""
    t = type(value)
    if t in _INTS:
        return int(value)
    if t in _FLOATS:
        return float(value)
    raise Refused(msg.WRONG_TYPE.format(expected=msg.KIND_NUMBER, received=describe(value)))


def plain_label(value) -> str:
    """A str of exactly type str (numpy str_ is accepted and converted)."""
    if type(value) is str or type(value) is np.str_:
        return str(value)
    raise Refused(msg.WRONG_TYPE.format(expected=msg.KIND_LABEL, received=describe(value)))


@dataclass(frozen=True)
class Kind:
    """Base of all answer kinds."""

    def to_plain(self, value):
        raise NotImplementedError

    def compare(self, received, expected) -> str | None:
        """None when `received` (plain) matches `expected` (plain); else a message for the learner."""
        raise NotImplementedError

    def describe_expected(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Number(Kind):
    """A single number, compared with a relative and an absolute tolerance."""

    rel_tol: float = 1e-4
    abs_tol: float = 1e-6
    whole: bool = False
    low: float | None = None
    high: float | None = None

    def describe_expected(self) -> str:
        return msg.KIND_WHOLE if self.whole else msg.KIND_NUMBER

    def to_plain(self, value):
        number = plain_number(value)
        if isinstance(number, float) and not math.isfinite(number):
            raise Refused(msg.NOT_FINITE.format(received=describe(value)))
        if self.whole and isinstance(number, float):
            if not number.is_integer():
                raise Refused(msg.WRONG_TYPE.format(expected=msg.KIND_WHOLE, received=describe(value)))
            number = int(number)
        if (self.low is not None and number < self.low) or (self.high is not None and number > self.high):
            raise Refused(msg.OUT_OF_RANGE.format(expected=self.describe_expected(), received=describe(value)))
        return number

    def compare(self, received, expected):
        if type(received) not in (int, float):
            return msg.WRONG_TYPE.format(expected=self.describe_expected(), received=describe(received))
        if math.isclose(received, expected, rel_tol=self.rel_tol, abs_tol=self.abs_tol):
            return None
        return msg.WRONG_VALUE_HIGH if received > expected else msg.WRONG_VALUE_LOW


@dataclass(frozen=True)
class Share(Number):
    """A share between 0 and 1 (not a percentage)."""

    low: float | None = 0.0
    high: float | None = 1.0
    abs_tol: float = 5e-4

    def describe_expected(self) -> str:
        return msg.KIND_SHARE


@dataclass(frozen=True)
class Label(Kind):
    """One name, compared exactly (after trimming spaces)."""

    what: str = "name"

    def describe_expected(self) -> str:
        return msg.KIND_LABEL

    def to_plain(self, value):
        return plain_label(value).strip()

    def compare(self, received, expected):
        if type(received) is not str:
            return msg.WRONG_TYPE.format(expected=msg.KIND_LABEL, received=describe(received))
        return None if received == expected else msg.WRONG_LABEL.format(received=received, what=self.what)


@dataclass(frozen=True)
class LabelSet(Kind):
    """A collection of names where order does not matter (list, tuple, set, Series or Index of str)."""

    items: str = "names"

    def describe_expected(self) -> str:
        return msg.KIND_LABELS

    def to_plain(self, value):
        t = type(value)
        if t in (pd.Series, pd.Index):
            value = value.tolist()
        elif t not in (list, tuple, set):
            raise Refused(msg.WRONG_TYPE.format(expected=msg.KIND_LABELS, received=describe(value)))
        labels = [plain_label(v).strip() for v in value]
        dupes = sorted({x for x in labels if labels.count(x) > 1})
        if dupes:
            raise Refused(msg.DUPLICATE_LABELS.format(items=self.items, examples=", ".join(dupes[:3])))
        return sorted(labels)

    def compare(self, received, expected):
        if type(received) is not list or any(type(x) is not str for x in received):
            return msg.WRONG_TYPE.format(expected=msg.KIND_LABELS, received=describe(received))
        got, want = set(received), set(expected)
        if got == want:
            return None
        if len(got) != len(want):
            return msg.WRONG_COUNT.format(expected_n=len(want), items=self.items, received_n=len(got))
        return msg.MISSING_LABELS.format(n=len(want - got), items=self.items)


@dataclass(frozen=True)
class NumberSeries(Kind):
    """Numbers indexed by names (a pandas Series), compared label by label with a tolerance."""

    index: str = "name"
    items: str = "names"
    rel_tol: float = 1e-4
    abs_tol: float = 1e-6

    def describe_expected(self) -> str:
        return msg.KIND_SERIES.format(index=self.index)

    def to_plain(self, value):
        if type(value) is not pd.Series:
            raise Refused(msg.WRONG_TYPE.format(expected=self.describe_expected(), received=describe(value)))
        if not pd.api.types.is_numeric_dtype(value.dtype) or pd.api.types.is_bool_dtype(value.dtype):
            raise Refused(msg.WRONG_TYPE.format(expected=self.describe_expected(),
                                                received=f"a Series of {value.dtype} values"))
        labels = [plain_label(v) for v in value.index]
        dupes = sorted({x for x in labels if labels.count(x) > 1})
        if dupes:
            raise Refused(msg.DUPLICATE_LABELS.format(items=self.items, examples=", ".join(dupes[:3])))
        values = [None if pd.isna(v) or not math.isfinite(float(v)) else float(v) for v in value.to_numpy()]
        return {"index": labels, "values": values}

    def compare(self, received, expected):
        if (type(received) is not dict or set(received) != {"index", "values"}
                or type(received["index"]) is not list or type(received["values"]) is not list
                or len(received["index"]) != len(received["values"])):
            return msg.WRONG_TYPE.format(expected=self.describe_expected(), received=describe(received))
        got = dict(zip(received["index"], received["values"]))
        want = dict(zip(expected["index"], expected["values"]))
        if set(got) != set(want):
            unknown = sorted(set(got) - set(want))
            if len(got) != len(want):
                return msg.WRONG_COUNT.format(expected_n=len(want), items=self.items, received_n=len(got))
            return msg.UNKNOWN_LABELS.format(items=self.items, examples=", ".join(map(repr, unknown[:3])))
        off = [k for k in want if not _close(got[k], want[k], self.rel_tol, self.abs_tol)]
        if off:
            return msg.WRONG_VALUES.format(items=self.items, n=len(off), example=off[0])
        return None


def _close(a, b, rel_tol, abs_tol) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if type(a) not in (int, float):
        return False
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)
