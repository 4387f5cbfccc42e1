"""Answer kinds: what an answer must look like, how precisely, and what its known wrong forms are.

A question declares its kind once, as data:

    Share(decimals=2)                       a share between 0 and 1, right to one step of 0.01
    Points()                                percentage points or NPS points (default: whole points)
    Money(sig=3)                            a sum of money, to 3 significant figures
    Count()                                 an exact whole number
    Number(unit="hours", sig=3)             any other number
    Label(what="tool", universe=Column("stack_inventory", "tool"))
    LabelSet(items="tool names", universe=Column("stack_inventory", "tool"))
    NumberSeries(values=Share(decimals=4), index="creative type", items="creative types")

Each kind turns a learner's value into plain data (`to_plain`), seals an expected plain answer
(`seal`), and answers the verdict's questions in its order (`matches`, `wrong_form`, `structure`,
`not_quite`): see `course.checks.verdict`. A kind serialises to JSON (`spec`, `from_spec`), so the
learner's side can rebuild it from a check file without any question bank.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import ClassVar

from .. import messages as msg
from .plain import Refused, describe, plain_number
from .precision import Precision, is_multiple
from .seals import Digest, in_grid, rounded_from, seal_grid, seal_rounded

KINDS: dict[str, type] = {}


def _register(cls):
    KINDS[cls.__name__] = cls
    return cls


@dataclass(frozen=True)
class Kind:
    """Base of all answer kinds; subclasses are frozen dataclasses whose fields are the declaration."""

    def to_plain(self, value):
        """The value as plain data (JSON types), or `Refused` with what was expected and received."""
        raise NotImplementedError

    def plain_problem(self, plain) -> str | None:
        """Why a plain answer (from any source, even a forged one) has the wrong shape, or None."""
        raise NotImplementedError

    def seal(self, plain, digest: Digest) -> dict:
        """The fingerprint of an expected plain answer (or of a mistake's alternative answer)."""
        raise NotImplementedError

    def matches(self, plain, seal: dict, digest: Digest) -> bool:
        """True when `plain` is the sealed answer, within this kind's precision."""
        raise NotImplementedError

    def wrong_form(self, plain, seal: dict, digest: Digest) -> str | None:
        """A known wrong form (a percentage for a share, rounded too much...), said in plain words."""
        return None

    def structure(self, plain, seal: dict, digest: Digest, labels: frozenset | None) -> str | None:
        """What is structurally wrong (count, labels not in the data...), when the kind can tell."""
        return None

    def form_problem(self, plain, labels: frozenset | None) -> str | None:
        """What is wrong that needs no seal at all (range, names not in the data, duplicates), or None."""
        return None

    def not_quite(self, plain) -> str:
        """The last resort: wrong, with no direction (higher/lower would make a check a search oracle)."""
        return msg.NOT_QUITE

    def how(self) -> str:
        """How the answer must be given, for the prompt ("" when nothing needs saying)."""
        return ""

    def state_precision(self, prompt: str) -> str:
        """`prompt` with this kind's precision stated at its end (unchanged if already there)."""
        how = self.how()
        return prompt if not how or prompt.endswith(how) else f"{prompt} {how}"

    def spec(self) -> dict:
        """This kind as JSON-able data: its class name and every declared field."""
        out = {"kind": type(self).__name__}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = value.spec() if hasattr(value, "spec") else list(value) if isinstance(value, tuple) else value
        return out


def from_spec(spec: dict) -> Kind:
    """Rebuild a kind from `Kind.spec()` output (the learner side reads kinds from check files)."""
    from .universe import universe_from_spec

    spec = dict(spec)
    cls = KINDS[spec.pop("kind")]
    for key, value in list(spec.items()):
        if isinstance(value, dict) and "kind" in value:
            spec[key] = from_spec(value)
        elif isinstance(value, dict) and "universe" in value:
            spec[key] = universe_from_spec(value)
    return cls(**spec)


@_register
@dataclass(frozen=True)
class Number(Kind):
    """A single number, right within one step of the expectation at the declared precision."""

    unit: str = ""
    whole: bool = False
    low: float | None = None
    high: float | None = None
    decimals: int | None = None
    sig: int | None = None

    DEFAULT: ClassVar[Precision] = Precision(sig=3)
    WORDS: ClassVar[str] = msg.KIND_NUMBER
    PURPOSE: ClassVar[str] = "number"

    def __post_init__(self):
        self.precision()  # an impossible declaration fails where the question is declared

    def precision(self) -> Precision:
        """The declared precision, else the kind's default (exact for whole numbers)."""
        if self.decimals is not None or self.sig is not None:
            return Precision(self.decimals, self.sig)
        return Precision() if self.whole else self.DEFAULT

    def words(self) -> str:
        return msg.KIND_WHOLE if self.whole and self.WORDS == msg.KIND_NUMBER else self.WORDS

    def how_words(self) -> str:
        """Unit and precision in words ("in hours, to 3 significant figures or more"), or ""."""
        where = msg.IN_UNIT.format(unit=self.unit) if self.unit else ""
        return ", ".join(p for p in (where, self.precision().phrase()) if p)

    def how(self) -> str:
        words = self.how_words()
        return msg.GIVE_IT.format(how=words) if words else ""

    def to_plain(self, value):
        number = plain_number(value, self.words())
        if isinstance(number, float) and not math.isfinite(number):
            raise Refused(msg.NOT_FINITE.format(received=describe(value)))
        if self.whole and isinstance(number, float):
            if not number.is_integer():
                raise Refused(msg.WRONG_TYPE.format(expected=self.words(), received=describe(value)))
            number = int(number)
        return number

    def plain_problem(self, plain):
        if type(plain) not in (int, float) or (type(plain) is float and not math.isfinite(plain)):
            return msg.WRONG_TYPE.format(expected=self.words(), received=describe(plain))
        return None

    def seal(self, plain, digest):
        precision = self.precision()
        coarser = precision.coarser()
        return {"fine": seal_grid(plain, precision.step(plain), digest, self.PURPOSE),
                "coarse": seal_rounded(plain, coarser.step(plain), digest, self.PURPOSE) if coarser else None}

    def matches(self, plain, seal, digest):
        return in_grid(plain, seal["fine"], digest, self.PURPOSE)

    def rescaled(self, plain) -> float | None:
        """The answer on the right scale when it looks like a known scale mistake (None otherwise)."""
        return None

    def scale_message(self, plural: bool = False) -> str:
        return ""

    def out_of_range(self, plain) -> bool:
        return (self.low is not None and plain < self.low) or (self.high is not None and plain > self.high)

    def range_message(self, plain, plural: bool = False) -> str:
        if plural:
            return msg.VALUES_OUT_OF_RANGE.format(expected=self.words())
        return msg.OUT_OF_RANGE.format(expected=self.words(), received=describe(plain))

    def wrong_form(self, plain, seal, digest):
        rescaled = self.rescaled(plain)
        if rescaled is not None and in_grid(rescaled, seal["fine"], digest, self.PURPOSE):
            return self.scale_message()
        coarse = seal.get("coarse")
        if coarse and is_multiple(plain, coarse["unit"]) and rounded_from(plain, coarse, digest, self.PURPOSE):
            return self.precision().rounded_too_much()
        return None

    def structure(self, plain, seal, digest, labels):
        return self.form_problem(plain, labels)

    def form_problem(self, plain, labels):
        return self.range_message(plain) if self.out_of_range(plain) else None

    def not_quite(self, plain):
        return msg.NOT_QUITE_NUMBER


@_register
@dataclass(frozen=True)
class Share(Number):
    """A share between 0 and 1 (not a percentage); two decimals unless the question says otherwise."""

    low: float | None = 0.0
    high: float | None = 1.0

    DEFAULT: ClassVar[Precision] = Precision(decimals=2)
    WORDS: ClassVar[str] = msg.KIND_SHARE

    def rescaled(self, plain):
        return plain / 100

    def scale_message(self, plural=False):
        return msg.SCALE_PERCENTS_FOR_SHARES if plural else msg.SCALE_PERCENT_FOR_SHARE

    def range_message(self, plain, plural=False):
        if plural:
            return msg.SHARES_OUT_OF_RANGE
        return msg.SHARE_OUT_OF_RANGE.format(received=describe(plain))


@_register
@dataclass(frozen=True)
class Points(Number):
    """Percentage points, or points of a score such as NPS (-100 to 100); whole points by default."""

    unit: str = "points"
    low: float | None = -100.0
    high: float | None = 100.0

    DEFAULT: ClassVar[Precision] = Precision(decimals=0)
    WORDS: ClassVar[str] = msg.KIND_POINTS

    def rescaled(self, plain):
        return plain * 100

    def scale_message(self, plural=False):
        return msg.SCALE_SHARES_FOR_POINTS if plural else msg.SCALE_SHARE_FOR_POINTS


@_register
@dataclass(frozen=True)
class Money(Number):
    """A sum of money, to the nearest whole unit by default (declare `sig=3` for a report's rounding)."""

    DEFAULT: ClassVar[Precision] = Precision(decimals=0)
    WORDS: ClassVar[str] = msg.KIND_MONEY


@_register
@dataclass(frozen=True)
class Count(Number):
    """An exact whole number (how many rows, customers, purchases...)."""

    whole: bool = True
    low: float | None = 0

    WORDS: ClassVar[str] = msg.KIND_COUNT
