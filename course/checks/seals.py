"""Seals: fingerprints of an expected answer, so a check can say "right" without holding the answer.

A number is sealed on a grid whose cells are two steps wide and centred on the expected value: the
seal carries the grid's origin (the expected value modulo two steps) and a digest of the cell's
number. An answer is within one step of the expectation exactly when it falls in that cell, so the
learner's side decides as the judge does while learning only the expected value modulo its step.
A second, coarser seal (one decimal or one figure fewer, counted from zero) recognises an answer
rounded too much.
Labels are sealed as a digest of their canonical text; a set of labels as its size and one digest of
the whole sorted set (never one digest per label: that would let anyone test every name of a table).

Two digests exist. `keyed(salt)` is the slow, salted hash the release carries (pbkdf2), salted per
module, question and data variant. `identity` is what the judge uses: it seals the freshly computed
expectation in memory, so judging pays no hashing cost, and both sides run the same comparisons.
"""
from __future__ import annotations

import hashlib
import math
from functools import lru_cache
from typing import Callable

ITERATIONS = 5000        # one digest costs about 2 ms here: a learner's check stays far under 50 ms
DIGEST_BYTES = 16

Digest = Callable[[str], str]


def keyed(salt: str) -> Digest:
    """The release's digest for one question of one data variant: pbkdf2-sha256, salted."""
    key = salt.encode("utf-8")

    @lru_cache(maxsize=512)
    def digest(text: str) -> str:
        return hashlib.pbkdf2_hmac("sha256", text.encode("utf-8"), key, ITERATIONS, DIGEST_BYTES).hex()
    return digest


def identity(text: str) -> str:
    """The judge's digest: the text itself (the judge holds the expectation anyway)."""
    return text


def salt_for(module: str, qid: str, variant: str, data_fingerprint: str) -> str:
    """A public salt, different for each module, question and data variant (so no table is reusable)."""
    seed = f"back-to-the-field|{module}|{qid}|{variant}|{data_fingerprint}"
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32]


def grid(expected: float, half: float) -> tuple[float, int]:
    """(origin, cell) of the grid of cells `2 * half` wide with `expected` at the centre of `cell`."""
    width = 2 * half
    cell = math.floor((expected - half) / width)
    return (expected - half) - cell * width, cell


def cell_of(value: float, origin: float, half: float) -> int | None:
    """The grid cell `value` falls in (None for a value no grid can hold, such as 10**400)."""
    try:
        position = (float(value) - origin) / (2 * half)
    except (OverflowError, ZeroDivisionError):
        return None
    return math.floor(position) if math.isfinite(position) else None


def seal_grid(expected: float, half: float, digest: Digest, purpose: str) -> dict:
    """The seal of one number at tolerance `half`: the origin in the clear, the cell digested."""
    origin, cell = grid(float(expected), half)
    return {"half": half, "origin": origin, "cell": digest(f"{purpose}|{cell}")}


def in_grid(value: float, seal: dict, digest: Digest, purpose: str) -> bool:
    """True when `value` lies within the sealed tolerance of the sealed number."""
    cell = cell_of(value, seal["origin"], seal["half"])
    return cell is not None and digest(f"{purpose}|{cell}") == seal["cell"]


def seal_rounded(expected: float, unit: float, digest: Digest, purpose: str) -> dict:
    """The seal for "rounded too much": which multiple of the coarser `unit` lies just below `expected`.

    No origin is given out (the cell is counted from zero), but it is a coarser target than the fine
    cell: enumerating it takes ten times fewer digests (docs/isolation.md says what that costs).
    """
    return {"unit": unit, "cell": digest(f"{purpose}-coarse|{math.floor(float(expected) / unit)}")}


def rounded_from(value: float, seal: dict, digest: Digest, purpose: str) -> bool:
    """True when `value`, a multiple of the seal's unit, is the sealed number rounded down or up to it."""
    try:
        j = round(float(value) / seal["unit"])
    except (OverflowError, ValueError):
        return False
    return any(digest(f"{purpose}-coarse|{k}") == seal["cell"] for k in (j, j - 1))


def rounded_text(values: list, units: list[float]) -> str:
    """Several numbers, each rounded to the nearest multiple of its unit, as one text to digest."""
    return ",".join("nan" if v is None else str(round(float(v) / u)) for v, u in zip(values, units))


def cells_text(values: list, grids: list[dict]) -> str:
    """The cells of several numbers on their own grids, as one text to digest (None stays 'nan')."""
    cells = []
    for value, seal in zip(values, grids):
        cell = None if value is None else cell_of(value, seal["origin"], seal["half"])
        cells.append("nan" if cell is None else str(cell))
    return ",".join(cells)


def grid_of(expected: float | None, half: float) -> dict:
    """A grid without its digest (for series, whose cells are digested all together)."""
    if expected is None:
        return {"half": half, "origin": 0.0}
    origin, _ = grid(float(expected), half)
    return {"half": half, "origin": origin}
