"""Module 1 datasets: the marketing stack, the integrations between tools, and ten years of weekly time."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .profiles import Profile
from .registry import Column, DatasetSpec, register, rng_for

# What each category of tool is bought for; overlaps between categories are real-world ones.
CATEGORY_CAPABILITIES: dict[str, tuple[str, ...]] = {
    "Analytics": ("web analytics", "dashboards", "attribution"),
    "CRM": ("contact database", "segmentation", "sales pipeline"),
    "Email": ("email sending", "segmentation", "A/B testing"),
    "Marketing automation": ("email sending", "journeys", "forms", "lead scoring"),
    "Social media": ("social scheduling", "social listening", "dashboards"),
    "Advertising": ("ad buying", "retargeting", "attribution"),
    "SEO": ("keyword research", "site audit", "dashboards"),
    "CMS": ("web pages", "forms", "A/B testing"),
    "Data platform": ("contact database", "segmentation", "data import"),
    "Reporting": ("dashboards", "data import", "scheduled reports"),
    "Survey": ("surveys", "forms", "NPS tracking"),
    "Design": ("image editing", "templates", "video"),
    "Project management": ("task boards", "calendars", "approvals"),
    "Personalisation": ("recommendations", "A/B testing", "journeys"),
    "Chat and support": ("live chat", "chatbot", "NPS tracking"),
    "Collaboration": ("messaging", "video calls", "file sharing"),
}

_PREFIXES = ("Blue", "Hub", "Pulse", "Nova", "Quick", "Smart", "Clear", "Bright", "Meta", "Sync",
             "Data", "Flow", "Spark", "Zen", "Loop", "Peak", "True", "Core", "Signal", "Echo",
             "Lumi", "Orbit", "Pixel", "Rocket", "Mosaic", "Atlas", "Vista", "Nimbus")
_SUFFIXES = ("ly", "io", "Stack", "Desk", "Hub", "Cloud", "Base", "Metrics", "Suite", "Mail",
             "Boost", "Board", "Sense", "Link", "Works", "Lab", "Pilot", "Pro", "Box", "Wave")

CONNECTORS = ("native", "middleware", "custom script", "manual CSV")


def _tool_names(rng: np.random.Generator, n: int) -> list[str]:
    """Distinct product-like names, drawn without replacement from prefix x suffix pairs."""
    pairs = [f"{p}{s}" for p in _PREFIXES for s in _SUFFIXES]
    picked = rng.choice(len(pairs), size=n, replace=False)
    return [pairs[i] for i in picked]


def make_stack_inventory(seed: int, profile: Profile) -> pd.DataFrame:
    """About 300 tools, most bought for one problem, many barely used, capabilities overlapping."""
    rng = rng_for(seed, "stack_inventory")
    n = int(rng.integers(285, 316))
    categories = list(CATEGORY_CAPABILITIES)
    weights = rng.dirichlet(np.full(len(categories), 3.0))
    cat = rng.choice(categories, size=n, p=weights)
    caps = []
    for c in cat:
        own = CATEGORY_CAPABILITIES[c]
        k = int(rng.integers(1, len(own) + 1))
        chosen = list(rng.choice(own, size=k, replace=False))
        caps.append(";".join(sorted(chosen)))
    seats = np.maximum(1, np.round(rng.lognormal(np.log(12 * profile.people_scale), 1.0, n))).astype(int)
    # Utilisation: a healthy core of tools, a long tail of shelfware.
    shelfware = rng.random(n) < 0.35
    utilisation = np.where(shelfware, rng.beta(0.6, 6.0, n), rng.beta(5.0, 2.0, n))
    mau = np.floor(seats * utilisation).astype(int)
    cost = np.round(rng.lognormal(np.log(4200 * profile.money_scale), 1.1, n) + 45 * seats, 0)
    start = pd.Timestamp("2027-01-01")
    renewal = start + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    frame = pd.DataFrame({
        "tool_id": [f"T{i:03d}" for i in range(1, n + 1)],
        "tool": _tool_names(rng, n),
        "category": cat,
        "capabilities": caps,
        "annual_cost": cost,
        "seats": seats,
        "monthly_active_users": mau,
        "owner_team": rng.choice(profile.teams, size=n),
        "renewal_date": renewal.strftime("%Y-%m-%d"),
    })
    return frame


def make_tool_integrations(seed: int, profile: Profile) -> pd.DataFrame:
    """Connections between tools: each one is a seam that can break and needs someone to mend it."""
    rng = rng_for(seed, "tool_integrations")
    stack = make_stack_inventory(seed, profile)
    ids = stack["tool_id"].to_numpy()
    # Heavily used tools get wired to more things.
    weight = (stack["monthly_active_users"].to_numpy() + 1.0)
    weight = weight / weight.sum()
    m = int(len(ids) * rng.uniform(1.4, 1.8))
    src = rng.choice(ids, size=m, p=weight)
    dst = rng.choice(ids, size=m, p=weight)
    keep = src != dst
    pairs = pd.DataFrame({"source_tool_id": src[keep], "target_tool_id": dst[keep]})
    a = pairs.min(axis=1)
    b = pairs.max(axis=1)
    pairs = pd.DataFrame({"source_tool_id": a, "target_tool_id": b}).drop_duplicates()
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


register(DatasetSpec(
    name="stack_inventory", module="tool_overload",
    title="Marketing stack inventory",
    make=make_stack_inventory,
    columns=(
        Column("tool_id", "text", "Identifier used by the integrations file (T001...)."),
        Column("tool", "text", "Product name of the tool (invented)."),
        Column("category", "text", "What kind of tool it is."),
        Column("capabilities", "text, ';'-separated", "What the tool can do; several tools often share a capability."),
        Column("annual_cost", "currency per year", "Licence cost for one year, all seats."),
        Column("seats", "people", "Licences paid for."),
        Column("monthly_active_users", "people", "People who logged in at least once last month."),
        Column("owner_team", "text", "Team that bought the tool and renews it."),
        Column("renewal_date", "date (YYYY-MM-DD)", "When the contract renews next."),
    ),
    how_made=(
        "Between 285 and 315 tools. Categories follow a random mix; each tool gets one to all of its "
        "category's capabilities, so capabilities overlap across tools. Costs are lognormal (a few "
        "very expensive tools) plus a per-seat part; seats are lognormal. About a third of tools are "
        "shelfware: their utilisation (active users / seats) is drawn from Beta(0.6, 6), the rest from "
        "Beta(5, 2). Scales follow the sector profile."
    ),
    quirks=(
        "Some tools have zero monthly active users: dividing cost by users needs care.",
        "The same capability (for example dashboards) is sold by tools of several categories.",
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
        "About 1.5 connections per tool, drawn with more connections for heavily used tools, "
        "duplicates removed. Breaks are Poisson with a rate that grows from native connectors to "
        "manual CSV exports; maintenance hours are gamma-distributed around that rate."
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
