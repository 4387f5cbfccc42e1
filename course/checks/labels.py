"""Label kinds: one name, or a set of names where order does not matter.

Names compare without regard to capitals and stray spaces ('Staff', ' staff ' and 'staff' are one
name). A label set is sealed as a whole (its size and one digest of the sorted set), never name by
name, so a check file cannot be used to test the names of a table one at a time.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from .. import messages as msg
from .kinds import Kind, _register
from .plain import Refused, TEXTS, canonical, describe, plain_label
from .universe import Column, Values

SEP = "\x1f"   # joins canonical labels before digesting; cannot occur in typed text


def _labels_text(labels) -> str:
    return "labels|" + SEP.join(sorted(labels))


def unknown_labels(given: list[str], universe: frozenset | None) -> list[str]:
    """The learner's labels (as typed) that do not exist in the universe."""
    if not universe:
        return []
    return [label for label in given if canonical(label) not in universe]


def repeated(given: list[str]) -> list[str]:
    """Labels given more than once once capitals and spaces are ignored (as first typed)."""
    seen, dupes = {}, []
    for label in given:
        key = canonical(label)
        if key in seen and seen[key] not in dupes:
            dupes.append(seen[key])
        seen.setdefault(key, label)
    return dupes


def _examples(labels: list[str]) -> str:
    return ", ".join(repr(x) for x in labels[:3])


def too_many(given: list, items: str, labels: frozenset | None) -> str:
    """Why an oversized answer is refused, said against the data ("" when there is no universe)."""
    if labels and len(given) > len(labels):
        return msg.MORE_THAN_THE_DATA.format(n=len(given), items=items, total=len(labels))
    return ""


def advice_of(universe) -> str:
    return f" {universe.advice}" if universe is not None and universe.advice else ""


@_register
@dataclass(frozen=True)
class Label(Kind):
    """One name from the data (a tool, a theme, a creative type...)."""

    what: str = "name"
    universe: Column | Values | None = None

    def to_plain(self, value):
        return plain_label(value)

    def plain_problem(self, plain):
        if type(plain) is not str:
            return msg.WRONG_TYPE.format(expected=msg.KIND_LABEL, received=describe(plain))
        return None

    def seal(self, plain, digest):
        return {"label": digest("label|" + canonical(plain))}

    def matches(self, plain, seal, digest):
        return digest("label|" + canonical(plain)) == seal["label"]

    def structure(self, plain, seal, digest, labels):
        return self.form_problem(plain, labels)

    def form_problem(self, plain, labels):
        if unknown_labels([plain], labels):
            return msg.UNKNOWN_LABEL.format(received=plain, what=self.what) + advice_of(self.universe)
        return None

    def not_quite(self, plain):
        return msg.WRONG_LABEL.format(received=plain, what=self.what)


@_register
@dataclass(frozen=True)
class LabelSet(Kind):
    """A collection of names where order does not matter (list, tuple, set, Series or Index of text)."""

    items: str = "names"
    universe: Column | Values | None = None

    WORDS: ClassVar[str] = msg.KIND_LABELS

    def to_plain(self, value):
        t = type(value)
        if t in TEXTS:
            raise Refused(msg.WRONG_TYPE.format(expected=self.WORDS, received=describe(value)) + " "
                          + msg.PUT_IN_A_LIST.format(received=str(value)))
        if t is pd.Series and len(value) and _numbers_labelled_by_text(value):
            raise Refused(msg.NAMES_IN_THE_INDEX.format(expected=self.WORDS))
        if t is pd.Series or t is np.ndarray or (isinstance(value, pd.Index) and not isinstance(value, pd.MultiIndex)):
            value = list(value.tolist())
        elif t not in (list, tuple, set):
            raise Refused(msg.WRONG_TYPE.format(expected=self.WORDS, received=describe(value)))
        return sorted(plain_label(v, self.WORDS) for v in value)

    def plain_problem(self, plain):
        if type(plain) is not list or any(type(x) is not str for x in plain):
            return msg.WRONG_TYPE.format(expected=self.WORDS, received=describe(plain))
        return None

    def seal(self, plain, digest):
        canon = {canonical(x) for x in plain}
        return {"n": len(canon), "labels": digest(_labels_text(canon))}

    def matches(self, plain, seal, digest):
        canon = {canonical(x) for x in plain}
        return len(canon) == len(plain) == seal["n"] and digest(_labels_text(canon)) == seal["labels"]

    def form_problem(self, plain, labels):
        unknown = unknown_labels(plain, labels)
        if unknown:
            return msg.UNKNOWN_LABELS.format(items=self.items, examples=_examples(unknown)) + advice_of(self.universe)
        dupes = repeated(plain)
        return msg.DUPLICATE_LABELS.format(items=self.items, examples=_examples(dupes)) if dupes else None

    def structure(self, plain, seal, digest, labels):
        problem = self.form_problem(plain, labels)
        if problem:
            return problem
        if len(plain) != seal["n"]:
            return msg.WRONG_COUNT.format(expected_n=seal["n"], items=self.items, received_n=len(plain))
        return msg.WRONG_LABEL_SET.format(items=self.items)


def _numbers_labelled_by_text(series: pd.Series) -> bool:
    """A Series of numbers whose index holds text: the names asked for are its labels, not its values."""
    return (pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)
            and not isinstance(series.index, pd.MultiIndex)
            and all(type(x) in TEXTS for x in series.index[:50]))
