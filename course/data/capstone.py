"""Module 6 datasets: a fresh company for the capstone audit, built with the modules' own generators.

The workshop picks one sector profile for modules 0-5. The capstone company always comes from another
one (the next profile in PROFILES order) and from a seed derived from the workshop's seed, so it is
never the company the learner has already studied. Each capstone dataset is a module dataset made
again for that company and registered under the name `capstone_<name>`.

The modules' generators each draw a company of their own size; the capstone puts their tables side by
side, so it fits two of them to one company. Its size is what its customers say: the relationships
table holds every customer and their revenue, and the budget table its marketing budget (module 5's
generator sets it at 6-9% of that revenue). The stack is then fitted to that budget (its licences cost
10-18% of it), and the customer profiles never outnumber the customers.
"""
from __future__ import annotations

import zlib
from functools import partial

import numpy as np
import pandas as pd

from ..measures.stack import SHELFWARE_LINE, utilisation
from .profiles import PROFILES, Profile
from .registry import DATASETS, Column, DatasetSpec, register, rng_for

PREFIX = "capstone_"

# Module datasets the capstone re-makes for the fresh company, in the order the notebook uses them.
SOURCES = ("stack_inventory", "weekly_time_split", "customers", "persona_cards", "service_calls",
           "retargeting_holdout", "verbatims", "community_threads", "relationships", "budget")

# What the stack's licences cost, as a share of the marketing budget: below the 23.8% that Gartner's
# 2024 CMO Spend Survey reports for all marketing technology (source gartner_cmo_spend_2024).
STACK_SHARE_OF_BUDGET = (0.10, 0.18)
# What one tool costs on average, a year: the stack holds about (licence cost / this) tools.
TYPICAL_TOOL_COST = (1800.0, 3000.0)
FEWEST_TOOLS = 12


def capstone_profile(profile: Profile) -> Profile:
    """The sector profile after the workshop's one in PROFILES order (wrapping round), never the same."""
    names = list(PROFILES)
    if profile.name not in names:
        return next(p for p in PROFILES.values() if p.name != profile.name)
    return PROFILES[names[(names.index(profile.name) + 1) % len(names)]]


def capstone_seed(seed: int) -> int:
    """A seed derived from the workshop's seed, so the capstone data are new but reproducible."""
    return zlib.crc32(f"capstone:{int(seed)}".encode())


def make_module_table(source: str, seed: int, profile: Profile) -> pd.DataFrame:
    """The module dataset `source` as its own generator makes it for the capstone company."""
    return DATASETS[source].make(capstone_seed(seed), capstone_profile(profile))


def company_size(seed: int, profile: Profile) -> dict:
    """The capstone company's customers, revenue and marketing budget, from its own tables."""
    rel = make_module_table("relationships", seed, profile)
    budget = make_module_table("budget", seed, profile)
    return {"customers": int(len(rel)), "revenue_last_year": float(rel["revenue_last_year"].sum()),
            "marketing_budget": float(budget["current_budget"].sum())}


def systematic_rows(order: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` positions spread evenly along `order` from a random start: the sample keeps its spread."""
    step = len(order) / n
    picks = (rng.uniform(0, step) + step * np.arange(n)).astype(int)
    return np.sort(order[np.minimum(picks, len(order) - 1)])


def keep_line_tools(rows: np.ndarray, order: np.ndarray, used: np.ndarray) -> np.ndarray:
    """`rows` with every tool that sits exactly on the shelfware line kept, each in place of the nearest
    kept tool above the line in utilisation order (so the count and the share of shelfware stay)."""
    rows = set(int(r) for r in rows)
    rank = {int(row): k for k, row in enumerate(order)}
    for tool in map(int, np.flatnonzero(np.isclose(used, SHELFWARE_LINE))):
        above = [r for r in rows if used[r] > SHELFWARE_LINE and not np.isclose(used[r], SHELFWARE_LINE)]
        if tool in rows or not above:
            continue
        rows.remove(min(above, key=lambda r: abs(rank[r] - rank[tool])))
        rows.add(tool)
    return np.array(sorted(rows))


def fit_stack(stack: pd.DataFrame, marketing_budget: float, rng: np.random.Generator) -> pd.DataFrame:
    """A stack the company's budget could pay for: fewer tools, spread like the module's, costs rescaled."""
    licences = marketing_budget * rng.uniform(*STACK_SHARE_OF_BUDGET)
    n = int(np.clip(round(licences / rng.uniform(*TYPICAL_TOOL_COST)), min(FEWEST_TOOLS, len(stack)), len(stack)))
    used = utilisation(stack).to_numpy()
    order = np.argsort(used, kind="stable")
    kept = stack.iloc[keep_line_tools(systematic_rows(order, n, rng), order, used)].reset_index(drop=True)
    cost = kept["annual_cost"].to_numpy(dtype=float)
    kept["annual_cost"] = np.maximum(np.round(cost * licences / cost.sum(), -1), 10.0)
    kept["tool_id"] = [f"T{i:03d}" for i in range(1, len(kept) + 1)]
    return kept


def make_capstone_stack(seed: int, profile: Profile) -> pd.DataFrame:
    """Module 1's stack for the capstone company, fitted to its marketing budget."""
    stack = make_module_table("stack_inventory", seed, profile)
    return fit_stack(stack, company_size(seed, profile)["marketing_budget"], rng_for(seed, "capstone_stack_fit"))


def make_capstone_customers(seed: int, profile: Profile) -> pd.DataFrame:
    """Module 2's customer profiles, never more of them than the company has customers."""
    customers = make_module_table("customers", seed, profile)
    n = company_size(seed, profile)["customers"]
    if len(customers) <= n:
        return customers
    rows = np.sort(rng_for(seed, "capstone_customers_fit").choice(len(customers), size=n, replace=False))
    return customers.iloc[rows].reset_index(drop=True)


def make_capstone_company(seed: int, profile: Profile) -> pd.DataFrame:
    """One row that introduces the capstone company: who it is and how big (the welcome line names the
    workshop's company)."""
    fresh = capstone_profile(profile)
    size = company_size(seed, profile)
    return pd.DataFrame([{
        "company": fresh.company,
        "sector": fresh.label,
        "currency": fresh.currency,
        "customers": size["customers"],
        "revenue_last_year": round(size["revenue_last_year"]),
        "marketing_budget": round(size["marketing_budget"]),
        "product_categories": ";".join(fresh.product_categories),
        "channels": ";".join(fresh.channels),
        "not_to_confuse_with": profile.company,
    }])


# Capstone tables made differently from the module's, and what the data card says about it.
FITTED = {
    "stack_inventory": (make_capstone_stack, (
        "Fitted to the capstone company: the module's generator draws a stack for a company of its own "
        "size, so the capstone keeps an evenly spread sample of its tools (ranked by utilisation, so the "
        "share of barely used tools stays the same, and the tools sitting exactly on module 1's shelfware line "
        "are kept) and rescales every cost, so that the licences cost "
        f"{STACK_SHARE_OF_BUDGET[0]:.0%} to {STACK_SHARE_OF_BUDGET[1]:.0%} of the company's marketing budget "
        "(capstone_company), about one tool for every "
        f"{TYPICAL_TOOL_COST[0]:,.0f} to {TYPICAL_TOOL_COST[1]:,.0f} of licences and at least {FEWEST_TOOLS} "
        "tools. For comparison, Gartner's 2024 CMO Spend Survey puts all marketing technology at about a "
        "quarter of marketing budgets.")),
    "customers": (make_capstone_customers, (
        "Fitted to the capstone company: when the module's generator makes more customer profiles than the "
        "company has customers (capstone_company), a random sample of that many is kept.")),
}


register(DatasetSpec(
    name=f"{PREFIX}company", module="capstone",
    title="Capstone: the company you audit",
    make=make_capstone_company,
    columns=(
        Column("company", "text", "The capstone company's name."),
        Column("sector", "text", "Its sector."),
        Column("currency", "text", "Currency of every amount in the capstone datasets."),
        Column("customers", "count", "Its customers: the rows of capstone_relationships."),
        Column("revenue_last_year", "currency", "What those customers spent with it in the last 12 months."),
        Column("marketing_budget", "currency per year", "This year's marketing budget (capstone_budget's total)."),
        Column("product_categories", "text, ';'-separated", "What it sells."),
        Column("channels", "text, ';'-separated", "How its customers reach it."),
        Column("not_to_confuse_with", "text", "The company of modules 0-5, whose data you have already seen."),
    ),
    how_made=(
        "The capstone company is the sector profile that follows the workshop's profile in the kit's list "
        "(retail, B2B software, bank, telecom, then back to retail), so it is never the modules' company. "
        "The header above names the workshop's profile; this table names the capstone's. Its size comes "
        "from its own tables: customers and revenue from capstone_relationships, the marketing budget "
        "from capstone_budget (6-9% of revenue; Gartner's 2024 CMO Spend Survey reports 7.7% on average)."
    ),
))

for _source in SOURCES:
    _base = DATASETS[_source]
    _make, _fitted = FITTED.get(_source, (partial(make_module_table, _source), ""))
    register(DatasetSpec(
        name=f"{PREFIX}{_source}", module="capstone",
        title=f"Capstone: {_base.title}",
        make=_make,
        columns=_base.columns,
        how_made=(
            f"Made by the generator of module dataset `{_source}` for the capstone company: the sector "
            "profile after the workshop's one (see capstone_company) and a seed derived from the "
            "workshop's seed. The header above names the workshop's profile, not the capstone's.\n\n"
            + (_fitted + "\n\n" if _fitted else "") + _base.how_made
        ),
        quirks=_base.quirks,
        read_kwargs=_base.read_kwargs,
        encoding=_base.encoding,
        seeded=_base.seeded,
    ))
