"""Declared datasets: how each is made, what its columns mean and what is planted in it."""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from .profiles import Profile


@dataclass(frozen=True)
class Column:
    """One column of a dataset, as its data card describes it."""

    name: str
    unit: str
    description: str


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset the kit can generate, write, document and load."""

    name: str
    module: str
    title: str
    make: Callable[[int, Profile], pd.DataFrame]
    columns: tuple[Column, ...]
    how_made: str
    quirks: tuple[str, ...] = ()
    # Passed to pandas.read_csv when a notebook loads the file (dtypes, dates...).
    read_kwargs: dict = field(default_factory=dict)
    # Text encoding of the written file; module 3 plants a non-UTF-8 export on purpose.
    encoding: str = "utf-8"
    # False for reference tables that are the same for every seed (for example persona cards).
    seeded: bool = True

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


DATASETS: dict[str, DatasetSpec] = {}


def register(spec: DatasetSpec) -> DatasetSpec:
    """Add a dataset to the catalogue (each module's generator file calls this once per dataset)."""
    if spec.name in DATASETS:
        raise ValueError(f"dataset {spec.name!r} registered twice")
    DATASETS[spec.name] = spec
    return spec


def rng_for(seed: int, dataset: str) -> np.random.Generator:
    """A random generator private to one dataset, so adding a dataset never changes another's bytes."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), zlib.crc32(dataset.encode())]))


def to_csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8") -> bytes:
    """The one way datasets are serialised, so the same frame always gives the same bytes."""
    return frame.to_csv(index=False, lineterminator="\n").encode(encoding)
