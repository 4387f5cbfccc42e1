"""The customer-service call log, written by the module's queue model (course.measures.queue).

The line serves every customer and prospect of the company, not only the people in the CRM export,
so most callers are not in it: a CRM customer calls about as often as customers of the sector do
(`CALLS_PER_CUSTOMER_YEAR`, the course's assumption).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...measures.queue import DAY_SECONDS, CallCentre, cheapest_green_roster, draw_calls
from ..profiles import Profile
from ..registry import rng_for
from .people import CALLS_FROM, as_profile, once_per_company, people

# How often one customer rings customer service in a year (the course's assumption, per sector).
CALLS_PER_CUSTOMER_YEAR = {"retail": 1.0, "b2b_software": 3.0, "bank": 2.0, "telecom": 2.5}
WORKING_DAYS_A_YEAR = 250


def call_centre(n_people: int) -> CallCentre:
    """The line's traffic grows with the company (customer service also hears from prospects)."""
    return CallCentre(calls_per_day=110.0 + 0.035 * n_people, days=20)


def _from_crm_share(n_people: int, n_calls: int, profile: Profile, centre: CallCentre) -> float:
    """Share of the month's calls made by CRM customers, from the sector's calls per customer."""
    per_year = CALLS_PER_CUSTOMER_YEAR.get(profile.name, 1.0)
    expected = n_people * per_year * centre.days / WORKING_DAYS_A_YEAR
    return float(min(1.0, expected / max(1, n_calls)))


@once_per_company
def calls_state(seed: int, profile: Profile) -> tuple[pd.DataFrame, dict]:
    """The call log and the queue behind it (roster, waits, who called)."""
    rng = rng_for(seed, "service_calls")
    folk = people(seed, profile)
    centre = call_centre(len(folk))
    calls = draw_calls(rng, centre)
    agents, waits, answered = cheapest_green_roster(calls, centre, whole_seconds=True)
    n = len(waits)
    day = (calls["arrival_s"] // DAY_SECONDS).astype(int)
    weekdays = pd.bdate_range(CALLS_FROM, periods=centre.days)
    started = (weekdays[day] + pd.Timedelta(hours=9)
               + pd.to_timedelta(np.round(calls["arrival_s"] - day * DAY_SECONDS), unit="s"))
    weight = folk["call_weight"].to_numpy()
    caller = rng.choice(folk["person"].to_numpy(), n, p=weight / weight.sum())
    identified = rng.random(n) < _from_crm_share(len(folk), n, profile, centre)
    export = pd.DataFrame({
        "call_id": [f"CALL-{i:06d}" for i in range(1, n + 1)],
        "started_at": started.strftime("%Y-%m-%d %H:%M:%S"),
        "customer_email": np.where(identified, folk["email"].to_numpy(dtype=object)[caller], None),
        "queue_seconds": waits.astype(int),
        "outcome": np.where(answered, "answered", "abandoned"),
        "talk_seconds": pd.array(np.where(answered, np.round(calls["talk_s"]), np.nan), dtype="Int64"),
    })
    truth = {"agents": agents, "centre": centre, "waits": waits, "answered": answered,
             "caller": np.where(identified, caller, -1)}
    return export, truth


def make_service_calls(seed: int, profile: Profile) -> pd.DataFrame:
    """Four weeks of calls to customer service, answered or abandoned, with the time spent waiting."""
    return calls_state(seed, as_profile(profile))[0].copy()
