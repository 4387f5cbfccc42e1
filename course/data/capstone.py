"""Module 6 datasets: a fresh company for the capstone audit, built with the modules' own generators.

The workshop picks one sector profile for modules 0-5. The capstone company always comes from another
one (the next profile in PROFILES order) and from a seed derived from the workshop's seed, so it is
never the company the learner has already studied. Each capstone dataset is a module dataset made
again for that company and registered under the name `capstone_<name>`.
"""
from __future__ import annotations

import zlib
from functools import partial

import pandas as pd

from .profiles import PROFILES, Profile
from .registry import DATASETS, Column, DatasetSpec, register

PREFIX = "capstone_"

# Module datasets the capstone re-makes for the fresh company, in the order the notebook uses them.
SOURCES = ("stack_inventory", "weekly_time_split", "customers", "persona_cards", "service_calls",
           "retargeting_holdout", "verbatims", "community_threads", "relationships", "budget")


def capstone_profile(profile: Profile) -> Profile:
    """The sector profile after the workshop's one in PROFILES order (wrapping round), never the same."""
    names = list(PROFILES)
    if profile.name not in names:
        return next(p for p in PROFILES.values() if p.name != profile.name)
    return PROFILES[names[(names.index(profile.name) + 1) % len(names)]]


def capstone_seed(seed: int) -> int:
    """A seed derived from the workshop's seed, so the capstone data are new but reproducible."""
    return zlib.crc32(f"capstone:{int(seed)}".encode())


def make_capstone(source: str, seed: int, profile: Profile) -> pd.DataFrame:
    """The module dataset `source`, made for the capstone company."""
    return DATASETS[source].make(capstone_seed(seed), capstone_profile(profile))


def make_capstone_company(seed: int, profile: Profile) -> pd.DataFrame:
    """One row that introduces the capstone company (the welcome line names the workshop's company)."""
    fresh = capstone_profile(profile)
    return pd.DataFrame([{
        "company": fresh.company,
        "sector": fresh.label,
        "currency": fresh.currency,
        "product_categories": ";".join(fresh.product_categories),
        "channels": ";".join(fresh.channels),
        "not_to_confuse_with": profile.company,
    }])


register(DatasetSpec(
    name=f"{PREFIX}company", module="capstone",
    title="Capstone: the company you audit",
    make=make_capstone_company,
    columns=(
        Column("company", "text", "The capstone company's name."),
        Column("sector", "text", "Its sector."),
        Column("currency", "text", "Currency of every amount in the capstone datasets."),
        Column("product_categories", "text, ';'-separated", "What it sells."),
        Column("channels", "text, ';'-separated", "How its customers reach it."),
        Column("not_to_confuse_with", "text", "The company of modules 0-5, whose data you have already seen."),
    ),
    how_made=(
        "The capstone company is the sector profile that follows the workshop's profile in the kit's list "
        "(retail, B2B software, bank, telecom, then back to retail), so it is never the modules' company. "
        "The header above names the workshop's profile; this table names the capstone's."
    ),
    seeded=False,
))

for _source in SOURCES:
    if _source not in DATASETS:  # a module generator not written yet: its capstone copy waits for it
        continue
    _base = DATASETS[_source]
    register(DatasetSpec(
        name=f"{PREFIX}{_source}", module="capstone",
        title=f"Capstone: {_base.title}",
        make=partial(make_capstone, _source),
        columns=_base.columns,
        how_made=(
            f"Made by the generator of module dataset `{_source}` for the capstone company: the sector "
            "profile after the workshop's one (see capstone_company) and a seed derived from the "
            "workshop's seed. The header above names the workshop's profile, not the capstone's.\n\n"
            + _base.how_made
        ),
        quirks=_base.quirks,
        read_kwargs=_base.read_kwargs,
        encoding=_base.encoding,
        seeded=_base.seeded,
    ))
