"""The course's one tolerance policy: a number is right when it lies within one step of the expected
value at the precision the question states.

A question declares its precision once, as `decimals=` (a fixed step: 2 decimals is a step of 0.01) or
`sig=` (significant figures: a step that follows the size of the expected value, 3 figures of 15.38
is a step of 0.1). Counts are exact. The prompt's wording ("to 2 decimals or more") and the grader's
tolerance are both computed here, from the same numbers, so they cannot drift apart.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .. import messages as msg

EXACT_HALF_WIDTH = 0.5   # a whole number within half a unit of a whole expectation is that number


@dataclass(frozen=True)
class Precision:
    """How precisely a number must be given: `decimals`, `sig` (significant figures) or exact."""

    decimals: int | None = None
    sig: int | None = None

    def __post_init__(self):
        if self.decimals is not None and self.sig is not None:
            raise ValueError("Declare a precision as decimals= or sig=, not both.")
        if self.sig is not None and self.sig < 1:
            raise ValueError("sig= counts significant figures: 1 or more.")

    @property
    def exact(self) -> bool:
        return self.decimals is None and self.sig is None

    def step(self, expected: float) -> float:
        """The tolerance around `expected`: one step at this precision (half a unit when exact)."""
        if self.exact:
            return EXACT_HALF_WIDTH
        if self.decimals is not None:
            return 10.0 ** -self.decimals
        if expected == 0:
            return 10.0 ** -self.sig
        return 10.0 ** (math.floor(math.log10(abs(expected))) - self.sig + 1)

    def coarser(self) -> Precision | None:
        """One level coarser (one decimal or one figure fewer), for the "rounded too much" message."""
        if self.decimals is not None:
            return Precision(decimals=self.decimals - 1)
        if self.sig is not None and self.sig > 1:
            return Precision(sig=self.sig - 1)
        return None

    def phrase(self) -> str:
        """The precision in words, as the prompt states it ("" when the answer is exact)."""
        if self.exact:
            return ""
        if self.sig is not None:
            return msg.PRECISION_SIG.format(n=self.sig, s="" if self.sig == 1 else "s")
        if self.decimals > 0:
            return msg.PRECISION_DECIMALS.format(n=self.decimals, s="" if self.decimals == 1 else "s")
        if self.decimals == 0:
            return msg.PRECISION_WHOLE
        return msg.PRECISION_NEAREST.format(unit=f"{10 ** -self.decimals:,}")

    def rounded_too_much(self) -> str:
        """What to say to an answer rounded one level more coarsely than asked."""
        if self.sig is not None:
            return msg.ROUNDED_TOO_MUCH.format(what=msg.AT_LEAST_SIG.format(n=self.sig))
        if self.decimals > 0:
            return msg.ROUNDED_TOO_MUCH.format(
                what=msg.AT_LEAST_DECIMALS.format(n=self.decimals, s="" if self.decimals == 1 else "s"))
        if self.decimals == 0:
            return msg.ROUNDED_TOO_MUCH.format(what=msg.AT_LEAST_WHOLE)
        return msg.ROUNDED_TOO_MUCH.format(what=msg.AT_LEAST_NEAREST.format(unit=f"{10 ** -self.decimals:,}"))


def is_multiple(value: float, unit: float) -> bool:
    """True when `value` is a whole number of `unit`s (0.3 is 3 x 0.1): it was rounded to that unit."""
    ratio = value / unit
    if not math.isfinite(ratio):
        return False
    return abs(ratio - round(ratio)) < max(1e-6, abs(ratio) * 1e-12)
