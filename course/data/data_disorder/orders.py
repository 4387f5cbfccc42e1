"""The online shop's orders export: two clocks, amounts as text, some orders twice, guests who buy."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..profiles import Profile
from ..registry import rng_for
from .mess import TYPOS_BY_DOMAIN, amount_text, mixed_case, typo_domain
from .people import EXPORT_DATE, FREE_MAIL, FREE_MAIL_P, ORDERS_FROM, as_profile, once_per_company, people


def _stamps(rng: np.random.Generator, n: int) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    """When each order was placed (Paris time), and how the export writes it: with its offset or in UTC."""
    # Local (Paris) time between 08:00 and 22:59, so no order falls in a daylight-saving gap.
    day = rng.integers(0, (EXPORT_DATE - ORDERS_FROM).days + 1, n)
    second = rng.integers(8 * 3600, 23 * 3600, n)
    paris = pd.DatetimeIndex(ORDERS_FROM + pd.to_timedelta(day, unit="D")
                             + pd.to_timedelta(second, unit="s")).tz_localize("Europe/Paris")
    local, utc = paris.tz_localize(None), paris.tz_convert("UTC").tz_localize(None)
    offset_hours = np.asarray((local - utc) // pd.Timedelta(hours=1), dtype=int)
    with_offset = np.char.add(np.asarray(local.strftime("%Y-%m-%dT%H:%M:%S"), dtype=str),
                              np.char.add("+0", np.char.add(offset_hours.astype(str), ":00")))
    in_utc = np.char.add(np.asarray(utc.strftime("%Y-%m-%dT%H:%M:%S"), dtype=str), "Z")
    utc_style = rng.random(n) < 0.35
    return paris, np.where(utc_style, in_utc, with_offset).astype(object), utc_style


def _typed_at_checkout(rng: np.random.Generator, canonical, planted: dict) -> list[str]:
    """E-mails as buyers typed them at checkout: capitals, a trailing space, a known domain typo."""
    n = len(canonical)
    draw, u_shout, u_domain, typo_pick = rng.random(n), rng.random(n), rng.random(n), rng.integers(0, 6, n)
    typed = []
    for i, address in enumerate(canonical):
        if draw[i] < 0.25:
            typed.append(mixed_case(address, u_shout[i], u_domain[i]))
            planted["mixed_case_email"] += 1
        elif draw[i] < 0.28:
            typed.append(address + " ")
            planted["spaced_email"] += 1
        elif draw[i] < 0.31 and address.split("@")[1] in TYPOS_BY_DOMAIN:
            typed.append(typo_domain(address, typo_pick[i]))
            planted["domain_typo"] += 1
        else:
            typed.append(address)
    return typed


@once_per_company
def orders_state(seed: int, profile: Profile) -> tuple[pd.DataFrame, dict]:
    """The orders export and the true orders behind it."""
    rng = rng_for(seed, "orders_export")
    folk = people(seed, profile)
    counts = rng.poisson(folk["orders_rate"].to_numpy())
    buyer = np.repeat(folk["person"].to_numpy(), counts)
    value = np.repeat(folk["value"].to_numpy(), counts)
    n_guest = int(round(len(buyer) * rng.uniform(0.05, 0.08)))
    n = len(buyer) + n_guest
    amount = np.round(profile.basket_median * np.concatenate([value, rng.lognormal(0, 0.6, n_guest)])
                      * rng.lognormal(0.0, 0.5, n), 2)
    amount = np.maximum(amount, 1.0)
    guest_domain = rng.choice(FREE_MAIL, n_guest, p=FREE_MAIL_P)
    guests = [f"guest{g}.{i}@{d}" for i, (g, d) in enumerate(zip(rng.integers(1000, 99999, n_guest), guest_domain))]
    canonical = np.concatenate([folk["email"].to_numpy(dtype=object)[buyer], np.array(guests, dtype=object)])
    person = np.concatenate([buyer, np.full(n_guest, -1)])
    paris, stamps, utc_style = _stamps(rng, n)
    planted = {"mixed_case_email": 0, "spaced_email": 0, "domain_typo": 0}
    typed = _typed_at_checkout(rng, canonical, planted)
    missing = rng.random(n) < 0.01
    style = rng.choice(4, n, p=(0.45, 0.2, 0.15, 0.2))
    texts = [None if gone else amount_text(a, s) for a, s, gone in zip(amount.tolist(), style.tolist(), missing)]
    truth = pd.DataFrame({"ordered": paris, "person": person, "email": canonical, "amount": amount,
                          "amount_exported": ~missing})
    export = pd.DataFrame({"ordered_at": stamps, "customer_email": typed,
                           "channel": rng.choice(profile.channels, n),
                           "category": rng.choice(profile.product_categories, n), "amount": texts})
    order = np.argsort(paris.asi8, kind="stable")
    truth, export = truth.iloc[order].reset_index(drop=True), export.iloc[order].reset_index(drop=True)
    ids = [f"O-{i:06d}" for i in range(200001, 200001 + n)]
    truth.insert(0, "order_id", ids)
    export.insert(0, "order_id", ids)
    # The export ran twice over some days: those orders appear twice, identical.
    twice = np.flatnonzero(rng.random(n) < 0.03)
    export = pd.concat([export, export.iloc[twice]]).sort_index(kind="stable").reset_index(drop=True)
    planted.update({"orders": n, "guest_orders": n_guest, "duplicated_orders": len(twice),
                    "missing_amounts": int(missing.sum()), "utc_timestamps": int(utc_style.sum()),
                    "amounts_with_comma": int(np.isin(style[~missing], (0, 2)).sum())})
    return export, {"orders": truth, "planted": planted}


def make_orders_export(seed: int, profile: Profile) -> pd.DataFrame:
    """A year of online orders: ISO timestamps in two time zones, amounts as text, some orders twice."""
    return orders_state(seed, as_profile(profile))[0].copy()
