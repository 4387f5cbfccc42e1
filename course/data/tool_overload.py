"""Module 1 datasets: the marketing stack, the integrations between tools, and ten years of weekly time.

The stack is built the way real ones grow: one or two of the big platforms (CRM, e-mail, automation),
a handful of analytics and reporting tools, and a long tail of small point tools bought one problem
at a time, several of them doing the same job. Its licences add up to a plausible share of the
company's revenue for each sector profile (COMPANIES).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .profiles import Profile
from .registry import Column, DatasetSpec, register, rng_for


@dataclass(frozen=True)
class Company:
    """The size of the company a profile describes: what the stack's scale is plausible against."""

    revenue: float              # a year, in the profile's currency
    marketing_team: int         # people in marketing and the teams that share its tools
    stack_share: tuple[float, float]   # the stack's yearly licences as a share of revenue (low, high)
    stack_scale: float          # more or fewer tools of each kind than the retail baseline


# Gartner's 2024 CMO Spend Survey (large companies) put all martech spending, people and services
# included, near 1.8% of revenue (23.8% of budgets worth 7.7% of revenue); licences alone are less.
COMPANIES: dict[str, Company] = {
    "retail": Company(revenue=420e6, marketing_team=45, stack_share=(0.004, 0.007), stack_scale=1.0),
    "b2b_software": Company(revenue=65e6, marketing_team=28, stack_share=(0.012, 0.018), stack_scale=0.85),
    "bank": Company(revenue=2.4e9, marketing_team=140, stack_share=(0.0015, 0.0025), stack_scale=1.3),
    "telecom": Company(revenue=1.6e9, marketing_team=110, stack_share=(0.002, 0.003), stack_scale=1.25),
}


def company(profile: Profile) -> Company:
    """The company behind a profile (a profile the table does not know gets the retail one, rescaled)."""
    base = COMPANIES.get(profile.name)
    if base is not None:
        return base
    retail = COMPANIES["retail"]
    return Company(retail.revenue * profile.money_scale, round(retail.marketing_team * profile.people_scale),
                   retail.stack_share, profile.people_scale)


@dataclass(frozen=True)
class Category:
    """One kind of tool: how many a company owns, the jobs its tools do and what they cost."""

    name: str
    count: tuple[int, int]            # tools of this kind in the retail baseline (low, high)
    jobs: tuple[str, ...]             # each tool's main job, one of these (several tools may share one)
    extras: tuple[str, ...]           # features a tool of this kind may also have, shared across kinds
    price: float                      # median yearly licence in the retail baseline
    seats: float                      # seats as a share of the marketing team
    shelf: float                      # chance that a tool of this kind is barely used
    platform: bool = False            # a big platform: one or two at most, whatever the company size


CATEGORIES: tuple[Category, ...] = (
    Category("CRM", (1, 2), ("contact database",), ("sales pipeline", "segmentation", "loyalty programme"),
             160_000, 1.2, 0.08, platform=True),
    Category("Customer data platform", (1, 1), ("data import",), ("segmentation", "contact database"),
             110_000, 0.15, 0.10, platform=True),
    Category("Email", (1, 2), ("email sending",), ("segmentation", "A/B testing", "templates"),
             32_000, 0.3, 0.12, platform=True),
    Category("Marketing automation", (1, 2), ("journeys",), ("email sending", "forms", "lead scoring"),
             55_000, 0.25, 0.15, platform=True),
    Category("Analytics", (3, 5), ("web analytics", "product analytics", "attribution"), ("dashboards",),
             18_000, 0.35, 0.25),
    Category("Reporting", (2, 4), ("dashboards",), ("scheduled reports", "data import"), 14_000, 0.4, 0.3),
    Category("Advertising", (4, 7), ("search ads", "social ads", "display ads", "retail media", "affiliate tracking"),
             ("attribution", "audiences"), 9_000, 0.12, 0.2),
    Category("Social media", (3, 5), ("social scheduling", "social listening"), ("dashboards", "approvals"),
             7_000, 0.2, 0.35),
    Category("SEO", (2, 4), ("keyword research", "site audit"), ("dashboards",), 5_500, 0.08, 0.35),
    Category("CMS", (2, 3), ("web pages", "landing pages"), ("forms", "A/B testing"), 24_000, 0.2, 0.2),
    Category("Personalisation", (1, 2), ("recommendations",), ("A/B testing", "journeys"), 38_000, 0.08, 0.3),
    Category("Survey", (2, 4), ("surveys",), ("NPS tracking", "forms"), 4_500, 0.15, 0.4),
    Category("Chat and support", (1, 2), ("live chat", "chatbot"), ("NPS tracking",), 12_000, 0.3, 0.2),
    Category("Design", (4, 7), ("image editing", "video editing", "presentations"), ("templates",),
             2_800, 0.15, 0.35),
    Category("Project management", (3, 6), ("task boards",), ("calendars", "approvals"), 3_800, 0.5, 0.4),
    Category("Collaboration", (3, 5), ("messaging", "video calls", "file sharing"), (), 5_500, 0.9, 0.25),
    Category("Content assets", (3, 6), ("stock images", "fonts", "music licences"), ("templates",), 2_600, 0.1, 0.4),
    Category("Point tools", (12, 24), ("link shortening", "QR codes", "screen recording", "translation",
                                       "transcription", "form building", "scheduling links", "image compression",
                                       "social bios", "mock-ups", "colour palettes", "heatmaps"),
             (), 550, 0.07, 0.25),
)

_PREFIXES = ("Blue", "Hub", "Pulse", "Nova", "Quick", "Smart", "Clear", "Bright", "Meta", "Sync", "Data",
             "Flow", "Spark", "Zen", "Loop", "Peak", "True", "Core", "Signal", "Echo", "Lumi", "Orbit",
             "Pixel", "Rocket", "Mosaic", "Atlas", "Vista", "Nimbus", "Kite", "Amber", "Cobalt", "Fern")
_SUFFIXES = ("ly", "io", "Stack", "Desk", "Hub", "Cloud", "Base", "Metrics", "Suite", "Mail", "Boost",
             "Board", "Sense", "Link", "Works", "Lab", "Pilot", "Pro", "Box", "Wave", "Bird", "Forge")

CONNECTORS = ("native", "middleware", "custom script", "manual CSV")
AT_THE_LINE = 0.2   # module 1's shelfware line: a few tools are planted exactly on it


def _tool_names(rng: np.random.Generator, n: int) -> list[str]:
    """Distinct product-like names, drawn without replacement from prefix x suffix pairs."""
    pairs = [f"{p}{s}" for p in _PREFIXES for s in _SUFFIXES if p.lower() != s.lower()]
    picked = rng.choice(len(pairs), size=n, replace=False)
    return [pairs[i] for i in picked]


def _counts(rng: np.random.Generator, scale: float) -> list[int]:
    """How many tools of each category: platforms stay at one or two, the long tail grows with the company."""
    counts = []
    for cat in CATEGORIES:
        low, high = cat.count
        drawn = int(rng.integers(low, high + 1))
        counts.append(drawn if cat.platform else max(1, int(round(drawn * scale))))
    return counts


def _capabilities(rng: np.random.Generator, cat: Category) -> str:
    """A tool's main job (within a kind, the first jobs are likelier, so some are bought twice) and extras.

    Point tools each do a small job of their own: their jobs are equally likely."""
    weights = np.ones(len(cat.jobs)) if cat.name == "Point tools" else 1.0 / np.arange(1, len(cat.jobs) + 1)
    job = str(rng.choice(cat.jobs, p=weights / weights.sum()))
    extras = [e for e in cat.extras if rng.random() < 0.45]
    return ";".join([job, *extras])


def _planted_usage(rng: np.random.Generator, seats: np.ndarray, mau: np.ndarray, shelf: np.ndarray) -> None:
    """Two tools exactly on the shelfware line and one nobody opened: the boundary and the division by 0."""
    candidates = np.flatnonzero(shelf)
    if len(candidates) < 3:
        candidates = np.arange(len(seats))
    picked = rng.choice(candidates, size=3, replace=False)
    for i in picked[:2]:
        seats[i] = 5 * max(1, int(round(seats[i] / 5)))
        mau[i] = int(round(seats[i] * AT_THE_LINE))
    mau[picked[2]] = 0


def make_stack_inventory(seed: int, profile: Profile) -> pd.DataFrame:
    """A stack a real company could have: few platforms, a long tail of point tools, many barely used."""
    rng = rng_for(seed, "stack_inventory")
    firm = company(profile)
    cats = [c for c, k in zip(CATEGORIES, _counts(rng, firm.stack_scale)) for _ in range(k)]
    n = len(cats)
    caps = [_capabilities(rng, c) for c in cats]
    team = firm.marketing_team
    seats = np.array([max(1, int(round(team * c.seats * rng.lognormal(0.0, 0.45)))) for c in cats])
    shelf = np.array([rng.random() < c.shelf for c in cats])
    used = np.where(shelf, rng.beta(0.9, 7.0, n), rng.beta(6.0, 2.2, n))
    # A barely used tool rounds down (one login in ten seats is no use); a used one to the nearest person.
    mau = np.where(shelf, np.floor(seats * used), np.maximum(1, np.round(seats * used))).astype(int)
    _planted_usage(rng, seats, mau, shelf)
    list_price = np.array([c.price * rng.lognormal(0.0, 0.55) for c in cats]) * (1 + seats / (4 * team))
    target = firm.revenue * rng.uniform(*firm.stack_share)
    cost = np.maximum(10.0, np.round(list_price * target / list_price.sum(), -1))
    renewal = pd.Timestamp("2025-01-06") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    order = rng.permutation(n)  # an inventory lists tools as they were bought, not by kind
    frame = pd.DataFrame({
        "tool": _tool_names(rng, n),
        "category": [c.name for c in cats],
        "capabilities": caps,
        "annual_cost": cost,
        "seats": seats,
        "monthly_active_users": mau,
        "owner_team": rng.choice(profile.teams, size=n),
        "renewal_date": renewal.strftime("%Y-%m-%d"),
    }).iloc[order].reset_index(drop=True)
    frame.insert(0, "tool_id", [f"T{i:03d}" for i in range(1, n + 1)])
    return frame


def make_tool_integrations(seed: int, profile: Profile) -> pd.DataFrame:
    """Connections between tools: each one is a seam that can break and needs someone to mend it."""
    rng = rng_for(seed, "tool_integrations")
    stack = make_stack_inventory(seed, profile)
    ids = stack["tool_id"].to_numpy()
    # Platforms and heavily used tools get wired to more things: a pair's chance is the product of its ends'.
    platform = stack["category"].isin([c.name for c in CATEGORIES if c.platform]).to_numpy()
    weight = (stack["monthly_active_users"].to_numpy() + 1.0) * np.where(platform, 4.0, 1.0)
    first, second = np.triu_indices(len(ids), k=1)
    chance = weight[first] * weight[second]
    k = min(len(first), int(round(len(ids) * rng.uniform(1.3, 1.7))))
    picked = np.sort(rng.choice(len(first), size=k, replace=False, p=chance / chance.sum()))
    pairs = pd.DataFrame({"source_tool_id": ids[first[picked]], "target_tool_id": ids[second[picked]]})
    pairs = pairs.sort_values(["source_tool_id", "target_tool_id"]).reset_index(drop=True)
    k = len(pairs)
    connector = rng.choice(CONNECTORS, size=k, p=[0.45, 0.3, 0.15, 0.1])
    base_breaks = {"native": 0.6, "middleware": 2.0, "custom script": 4.0, "manual CSV": 12.0}
    breaks = rng.poisson([base_breaks[c] for c in connector])
    hours = np.round(rng.gamma(2.0, [1.0 + 2.0 * base_breaks[c] for c in connector]), 1)
    pairs["connector"] = connector
    pairs["breaks_per_year"] = breaks
    pairs["maintenance_hours_per_year"] = hours
    return pairs


def make_weekly_time_split(seed: int, profile: Profile) -> pd.DataFrame:
    """Ten years of a marketing team's average week: reporting creeps up, customer contact shrinks."""
    rng = rng_for(seed, "weekly_time_split")
    weeks = pd.date_range("2015-01-05", periods=520, freq="7D")
    t = np.linspace(0.0, 1.0, len(weeks))
    quarter_end = np.isin(weeks.month, [3, 6, 9, 12]) & (weeks.day > 14)
    reporting = 0.18 + 0.17 * t + 0.04 * quarter_end + rng.normal(0, 0.015, len(t))
    meetings = 0.22 + 0.06 * t + rng.normal(0, 0.015, len(t))
    contact = 0.20 - 0.12 * t + rng.normal(0, 0.012, len(t))
    contact = np.clip(contact, 0.02, None)
    production = 1.0 - reporting - meetings - contact
    # Holidays: fewer hours worked in August and the last week of December.
    hours = 39.0 - 14.0 * (weeks.month == 8) - 20.0 * ((weeks.month == 12) & (weeks.day > 24))
    hours = hours + rng.normal(0, 0.8, len(t))
    frame = pd.DataFrame({"week_start": weeks.strftime("%Y-%m-%d")})
    for col, share in (("reporting_hours", reporting), ("meetings_hours", meetings),
                       ("production_hours", production), ("customer_contact_hours", contact)):
        frame[col] = np.round(hours * share, 1)
    return frame


def _companies_text() -> str:
    """The company size per profile, for the data card."""
    rows = []
    for name, firm in COMPANIES.items():
        low, high = firm.stack_share
        rows.append(f"{name}: revenue {firm.revenue / 1e6:,.0f} million a year, {firm.marketing_team} people "
                    f"sharing the tools, licences {100 * low:g}-{100 * high:g}% of revenue")
    return "; ".join(rows)


register(DatasetSpec(
    name="stack_inventory", module="tool_overload",
    title="Marketing stack inventory",
    make=make_stack_inventory,
    columns=(
        Column("tool_id", "text", "Identifier used by the integrations file (T001...)."),
        Column("tool", "text", "Product name of the tool (invented)."),
        Column("category", "text", "What kind of tool it is."),
        Column("capabilities", "text, ';'-separated", "What the tool can do: its main job first, then extras."),
        Column("annual_cost", "currency per year", "Licence cost for one year, all seats."),
        Column("seats", "people", "Licences paid for."),
        Column("monthly_active_users", "people", "People who logged in at least once last month."),
        Column("owner_team", "text", "Team that bought the tool and renews it."),
        Column("renewal_date", "date (YYYY-MM-DD)", "When the contract renews next (in 2025)."),
    ),
    how_made=(
        "Built the way stacks grow: one or two CRMs, e-mail and automation platforms and one customer data "
        "platform; three to five analytics tools; several advertising, social, design and project tools; "
        "and 12 to 24 small point tools (link shorteners, QR codes, screen recorders...). Each tool has a "
        "main job (within a category, the first jobs are bought more often, so some are bought twice) and "
        "may have shared extras (dashboards, segmentation, forms, A/B testing...). Seats follow the size "
        "of the team; a share of each kind of tool is barely used (utilisation from Beta(0.9, 7)), the "
        "rest well used (Beta(6, 2.2)). Prices follow each kind's typical licence, scaled so that the "
        "whole stack costs a plausible share of the company's revenue (" + _companies_text() + "; for "
        "scale, Gartner's 2024 CMO Spend Survey of large companies put all martech spending, people and "
        "services included, at about 1.8% of revenue). Bigger companies have more tools of each kind, "
        "never more platforms."
    ),
    quirks=(
        "At least one tool has zero monthly active users: dividing cost by users needs care.",
        "Two tools are used by exactly 20% of their seats: 'below 20%' leaves them out.",
        "The same capability (for example dashboards) is sold by tools of several categories, and some "
        "jobs by two tools of the same category.",
    ),
))

register(DatasetSpec(
    name="tool_integrations", module="tool_overload",
    title="Integrations between tools",
    make=make_tool_integrations,
    columns=(
        Column("source_tool_id", "text", "One end of the connection (the smaller tool_id)."),
        Column("target_tool_id", "text", "The other end."),
        Column("connector", "text", "How data moves: native, middleware, custom script or manual CSV."),
        Column("breaks_per_year", "count", "Times the connection broke last year."),
        Column("maintenance_hours_per_year", "hours", "Time spent keeping it working last year."),
    ),
    how_made=(
        "1.3 to 1.7 connections per tool, each pair of tools at most once; heavily used tools and the "
        "platforms (CRM, data platform, e-mail, automation) get more connections. Breaks are Poisson with a "
        "rate that grows from native connectors to manual CSV exports; maintenance hours are "
        "gamma-distributed around that rate."
    ),
    quirks=("Each pair of tools appears once, whatever the direction data flows.",),
))

register(DatasetSpec(
    name="weekly_time_split", module="tool_overload",
    title="Ten years of a marketing team's week",
    make=make_weekly_time_split,
    columns=(
        Column("week_start", "date (YYYY-MM-DD)", "Monday of the week."),
        Column("reporting_hours", "hours per person", "Building and presenting reports and dashboards."),
        Column("meetings_hours", "hours per person", "Internal meetings."),
        Column("production_hours", "hours per person", "Making campaigns, content, offers."),
        Column("customer_contact_hours", "hours per person", "Talking with or observing customers."),
    ),
    how_made=(
        "520 weeks from January 2015. Shares of the week follow linear trends (reporting up about 17 "
        "points, customer contact down about 12) with noise, a bump in reporting in the second half of "
        "each quarter's last month, and fewer hours in August and at Christmas."
    ),
    quirks=("Hours, not shares: divide by the week's total to compare weeks of different length.",),
))
