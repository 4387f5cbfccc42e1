"""The series kind: numbers indexed by names (a pandas Series), each value judged by its own kind.

The natural first attempts get their own words: a Series whose index lost its names (0, 1, 2...),
a grouped result with a two-level index, a one-column table, a dict. The seal holds the number of
labels, one digest of the label set, each value's grid origin (in label order) and one digest of
all the cells together, so a check file never lets anyone test the values one at a time.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from .. import messages as msg
from .kinds import Kind, Number, _register
from .labels import _examples, _labels_text, advice_of, repeated, unknown_labels
from .plain import Refused, canonical, describe, plain_label
from .precision import is_multiple
from .seals import cells_text, grid_of, rounded_text
from .universe import Column, Values


def _ordered(plain) -> tuple[list[str], list]:
    """(canonical labels, values), in canonical label order: how seals line values up."""
    pairs = sorted(zip((canonical(x) for x in plain["index"]), plain["values"]), key=lambda p: p[0])
    return [p[0] for p in pairs], [p[1] for p in pairs]


@_register
@dataclass(frozen=True)
class NumberSeries(Kind):
    """Numbers indexed by names; `values` is the kind (and precision) of each number."""

    values: Number = field(default_factory=Number)
    index: str = "name"
    items: str = "names"
    universe: Column | Values | None = None

    def words(self) -> str:
        return msg.KIND_SERIES.format(index=self.index)

    def how(self) -> str:
        words = self.values.how_words()
        return msg.GIVE_EACH.format(how=words) if words else ""

    def to_plain(self, value):
        value = self._as_series(value)
        index = value.index
        if isinstance(index, pd.MultiIndex):
            raise Refused(msg.TWO_LEVEL_INDEX.format(levels=index.nlevels, index=self.index))
        if isinstance(index, pd.RangeIndex) or pd.api.types.is_integer_dtype(index.dtype):
            raise Refused(msg.LOST_LABELS.format(index=self.index))
        if not pd.api.types.is_numeric_dtype(value.dtype) or pd.api.types.is_bool_dtype(value.dtype):
            raise Refused(msg.WRONG_TYPE.format(expected=self.words(), received=f"a Series of {value.dtype} values"))
        labels = [plain_label(v, msg.KIND_INDEX_LABEL.format(index=self.index)) for v in index]
        numbers = [float(v) for v in value.to_numpy(dtype=float, na_value=float("nan"))]
        return {"index": labels, "values": [v if math.isfinite(v) else None for v in numbers]}

    def _as_series(self, value) -> pd.Series:
        """A dict or a one-column table is a reasonable form of a Series: take it as one."""
        if type(value) is dict and all(type(k) is str for k in value):
            try:
                return pd.Series(value, dtype=float)
            except (TypeError, ValueError):
                raise Refused(msg.WRONG_TYPE.format(expected=self.words(), received=describe(value))) from None
        if type(value) is pd.DataFrame and value.shape[1] == 1:
            return value.iloc[:, 0]
        if type(value) is pd.DataFrame:
            raise Refused(msg.TABLE_NOT_SERIES.format(expected=self.words(), received=describe(value)))
        if type(value) is not pd.Series:
            raise Refused(msg.WRONG_TYPE.format(expected=self.words(), received=describe(value)))
        return value

    def plain_problem(self, plain):
        ok = (type(plain) is dict and set(plain) == {"index", "values"}
              and type(plain["index"]) is list and type(plain["values"]) is list
              and len(plain["index"]) == len(plain["values"])
              and all(type(x) is str for x in plain["index"])
              and all(v is None or (type(v) in (int, float) and math.isfinite(v)) for v in plain["values"]))
        return None if ok else msg.WRONG_TYPE.format(expected=self.words(), received=describe(plain))

    def seal(self, plain, digest):
        labels, values = _ordered(plain)
        precision = self.values.precision()
        fine = [grid_of(v, precision.step(v) if v is not None else 1.0) for v in values]
        coarser = precision.coarser()
        units = [coarser.step(v) if v is not None else 1.0 for v in values] if coarser else None
        coarse = None if units is None else {"units": units, "cells": digest("coarse|" + rounded_text(values, units))}
        return {"n": len(set(labels)), "labels": digest(_labels_text(labels)),
                "values": fine, "cells": digest("cells|" + cells_text(values, fine)), "coarse": coarse}

    def _same_labels(self, labels, seal, digest) -> bool:
        return len(set(labels)) == len(labels) == seal["n"] and digest(_labels_text(labels)) == seal["labels"]

    def matches(self, plain, seal, digest):
        labels, values = _ordered(plain)
        return (self._same_labels(labels, seal, digest)
                and digest("cells|" + cells_text(values, seal["values"])) == seal["cells"])

    def wrong_form(self, plain, seal, digest):
        missing = [label for label, v in zip(plain["index"], plain["values"]) if v is None]
        if missing:
            return msg.MISSING_VALUES.format(example=missing[0])
        labels, values = _ordered(plain)
        if self._same_labels(labels, seal, digest):
            rescaled = [self.values.rescaled(v) for v in values]
            if all(v is not None for v in rescaled) and \
                    digest("cells|" + cells_text(rescaled, seal["values"])) == seal["cells"]:
                return self.values.scale_message(plural=True)
        coarse = seal.get("coarse")
        if coarse and self._same_labels(labels, seal, digest) \
                and all(is_multiple(v, u) for v, u in zip(values, coarse["units"])) \
                and digest("coarse|" + rounded_text(values, coarse["units"])) == coarse["cells"]:
            return msg.EACH_VALUE.format(message=self.values.precision().rounded_too_much())
        return None

    def form_problem(self, plain, labels):
        if any(self.values.out_of_range(v) for v in plain["values"]):
            return self.values.range_message(None, plural=True)
        unknown = unknown_labels(plain["index"], labels)
        if unknown:
            return msg.UNKNOWN_LABELS.format(items=self.items, examples=_examples(unknown)) + advice_of(self.universe)
        dupes = repeated(plain["index"])
        return msg.DUPLICATE_LABELS.format(items=self.items, examples=_examples(dupes)) if dupes else None

    def structure(self, plain, seal, digest, labels):
        problem = self.form_problem(plain, labels)
        if problem:
            return problem
        given = plain["index"]
        if len(given) != seal["n"]:
            return msg.WRONG_COUNT.format(expected_n=seal["n"], items=self.items, received_n=len(given))
        if not self._same_labels(_ordered(plain)[0], seal, digest):
            return msg.WRONG_SERIES_LABELS.format(items=self.items, index=self.index)
        return msg.WRONG_VALUES.format(items=self.items)
