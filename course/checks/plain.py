"""Plain data: what an answer becomes before anyone judges it (JSON types only, strict about types).

An object that claims to equal anything never gets past this layer: its *type* is refused first.
numpy scalars are converted to the Python number or text they hold.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import messages as msg

INTS = (int, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64)
FLOATS = (float, np.float16, np.float32, np.float64)
TEXTS = (str, np.str_)


class Refused(Exception):
    """An answer that cannot be judged as given; the message says what was expected and received."""


def describe(value) -> str:
    """A short, learner-friendly description of what they handed in."""
    if value is None:
        return "None"
    t = type(value)
    if t is bool or t is np.bool_:
        return f"True/False ({value})"
    if t in INTS:
        return f"the whole number {value}"
    if t in FLOATS:
        return f"the number {float(value):.6g}"
    if t in TEXTS:
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {str(shown)!r}"
    if t in (list, tuple, set, dict):
        return f"a {t.__name__} of {_n(len(value), 'item')}"
    if t is pd.Series:
        return f"a pandas Series of {_n(len(value), 'value')}"
    if t is pd.DataFrame:
        return f"a table (DataFrame) of {value.shape[0]} rows and {value.shape[1]} columns"
    if isinstance(value, pd.Index) and type(value).__module__.startswith("pandas"):
        return f"a pandas Index of {_n(len(value), 'item')}"
    if t is np.ndarray:
        return f"a numpy array of {_n(value.size, 'item')}"
    return f"an object of type {t.__name__}"


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def plain_number(value, expected: str = msg.KIND_NUMBER) -> float | int:
    """A number of an exact built-in or numpy type, as a Python number; anything else is refused."""
    t = type(value)
    if t in INTS:
        return int(value)
    if t in FLOATS:
        return float(value)
    if t in TEXTS and _reads_as_a_number(str(value)):
        raise Refused(msg.NUMBER_IN_QUOTES.format(expected=expected, received=str(value)))
    raise Refused(msg.WRONG_TYPE.format(expected=expected, received=describe(value)) + _one_item_advice(value))


def _reads_as_a_number(text: str) -> bool:
    """'15.4', ' 1,200 ' or '12%': text a learner meant as a number."""
    try:
        float(text.strip().replace(",", "").rstrip("%"))
    except ValueError:
        return False
    return True


def plain_label(value, expected: str = msg.KIND_LABEL) -> str:
    """A text of exactly type str (numpy str_ is accepted and converted)."""
    if type(value) in TEXTS:
        return str(value)
    advice = _one_item_advice(value) or (msg.NUMBER_FOR_A_NAME if _is_number(value) else "")
    raise Refused(msg.WRONG_TYPE.format(expected=expected, received=describe(value)) + advice)


def _is_number(value) -> bool:
    """A plain or numpy number (not a bool)."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def canonical(label: str) -> str:
    """How labels compare: capitals and stray or repeated spaces do not matter ('  Staff ' is 'staff')."""
    return " ".join(label.split()).casefold()


def _one_item_advice(value) -> str:
    """What to do when a single value sits inside a Series, an Index or a list of one."""
    if type(value) in (pd.Series, list, tuple, np.ndarray) or isinstance(value, pd.Index):
        if len(value) == 1:
            return " " + msg.TAKE_THE_ONE_VALUE
    return ""
