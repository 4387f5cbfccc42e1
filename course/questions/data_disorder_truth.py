"""Module 3's truth (trusted side): what the generators planted and the true answers behind the exports.

It lives beside the answer key, not in course.data, so the learner distribution (which leaves
course.questions out) and the grading sandbox (which hides it) never ship a ready-made list of true
answers. Tests use it to prove that the cleaning rules stated in the notebook recover the truth; it
is computed from the generators' own state, never from the written files.
"""
from __future__ import annotations

import numpy as np

from ..data.data_disorder.calls import calls_state
from ..data.data_disorder.crm import crm_state
from ..data.data_disorder.emails import emails_state
from ..data.data_disorder.orders import orders_state
from ..data.data_disorder.people import CRM_ENCODING, as_profile, people
from ..data.profiles import DEFAULT_PROFILE, DEFAULT_SEED
from ..measures.nps import nps
from ..measures.queue import abandoned_share, dashboard_wait, honest_wait_p90


def disorder_truth(seed: int = DEFAULT_SEED, profile=DEFAULT_PROFILE) -> dict:
    """What was planted in the four exports and the true answers, from the generators' own state."""
    prof = as_profile(profile)
    folk = people(seed, prof)
    crm, crm_made = crm_state(seed, prof)
    orders_made = orders_state(seed, prof)[1]
    orders = orders_made["orders"]
    calls = calls_state(seed, prof)[1]
    email = emails_state(seed, prof)[1]
    exported = orders[orders["amount_exported"]]
    customer_revenue = float(exported.loc[exported["person"] >= 0, "amount"].sum())
    subs = email["subscribers"].dropna(subset=["score"])
    waits, answered = calls["waits"], calls["answered"]
    target = calls["centre"].target_s
    return {
        "profile": prof.name, "seed": int(seed),
        "customers": len(folk),
        "crm_rows": len(crm),
        "crm_encoding": CRM_ENCODING,
        "crm_planted": crm_made["planted"],
        "customers_by_country": folk["country"].value_counts().sort_index().to_dict(),
        "orders": len(orders),
        "orders_planted": orders_made["planted"],
        "revenue_total": float(exported["amount"].sum()),
        "revenue_from_customers": customer_revenue,
        "revenue_per_customer": customer_revenue / len(folk),
        "calls": len(waits),
        "days": calls["centre"].days,
        "calls_from_crm_customers": int((calls["caller"] >= 0).sum()),
        "agents": calls["agents"],
        "target_s": target,
        "dashboard_wait": dashboard_wait(waits, answered),
        "honest_wait_p90": honest_wait_p90(waits),
        "abandoned_share": abandoned_share(answered),
        "promise_kept": float(np.mean(answered & (waits <= target))),
        "email_planted": email["planted"],
        "nps_by_segment": {s: nps(g["score"]) for s, g in subs.groupby("segment")},
    }
