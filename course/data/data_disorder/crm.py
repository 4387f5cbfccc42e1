"""The CRM export: the same people entered again with other capitals, spaces, typos and dates."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..profiles import Profile
from ..reference import COUNTRIES
from ..registry import rng_for
from .mess import (COUNTRY_STYLE_P, COUNTRY_STYLES, TYPOS_BY_DOMAIN, country_text, mixed_case, name_typo,
                   phone_text, typo_domain)
from .people import EXPORT_DATE, as_profile, once_per_company, people

EMAIL_VARIANTS = ("exact", "case", "spaces", "case+spaces", "domain typo", "missing")
_EMAIL_VARIANT_P = (0.15, 0.30, 0.15, 0.10, 0.25, 0.05)
COLUMNS = ["contact_id", "first_name", "last_name", "email", "phone", "country", "segment", "signup_date"]


def _typed_email(email: str, kind: str, u_shout: float, u_domain: float, lead_space: bool, pick: int):
    """A copy's e-mail as it was typed again: other capitals, spaces around it, a typo, or nothing."""
    if kind == "case":
        return mixed_case(email, u_shout, u_domain)
    if kind == "spaces":
        return (" " if lead_space else "") + email + " "
    if kind == "case+spaces":
        return " " + mixed_case(email, u_shout, u_domain) + "  "
    if kind == "domain typo":
        return typo_domain(email, pick)
    if kind == "missing":
        return None
    return email


def _typed_names(first: str, last: str, look: float, kind: int, where: float) -> tuple[str, str, str]:
    """A copy's names: last name in capitals, first name in lower case, a typo, or as they were."""
    if look < 0.25:
        return first, last.upper(), "name_case"
    if look < 0.35:
        return first.lower(), last, "name_case"
    if look < 0.6:
        return first, name_typo(last, kind, where), "name_typo"
    return first, last, ""


@once_per_company
def crm_state(seed: int, profile: Profile) -> tuple[pd.DataFrame, dict]:
    """The CRM export and what was planted in it (the rows' owners, counts of each slip)."""
    rng = rng_for(seed, "crm_export")
    folk = people(seed, profile)
    n = len(folk)
    dup_share = rng.uniform(0.12, 0.18)
    extra = np.where(rng.random(n) < dup_share, np.where(rng.random(n) < 0.8, 1, 2), 0)
    owner = np.concatenate([np.arange(n), np.repeat(np.arange(n), extra)])
    m = len(owner)
    copy = np.arange(m) >= n
    # Every random choice is drawn up front, one array per kind, so each row costs no extra draws.
    u_shout, u_domain, u_primary = rng.random(m), rng.random(m), rng.random(m)
    variant = np.array(EMAIL_VARIANTS)[rng.choice(len(EMAIL_VARIANTS), m, p=_EMAIL_VARIANT_P)]
    typo_pick = rng.integers(0, 6, m)
    lead_space = rng.random(m) < 0.5
    look, typo_kind, typo_where = rng.random(m), rng.integers(0, 3, m), rng.random(m)
    no_signup = copy & (rng.random(m) < 0.2)
    created_frac = rng.random(m)
    country_style = np.array(COUNTRY_STYLES)[rng.choice(len(COUNTRY_STYLES), m, p=COUNTRY_STYLE_P)]
    phone_style = rng.choice(4, m, p=(0.4, 0.25, 0.2, 0.15))

    planted = {k: 0 for k in EMAIL_VARIANTS}
    planted.update({"mixed_case_first_rows": 0, "name_case": 0, "name_typo": 0})
    p_email, p_first, p_last = folk["email"].tolist(), folk["first_name"].tolist(), folk["last_name"].tolist()
    p_country, p_mobile, p_signup = folk["country"].tolist(), folk["mobile"].tolist(), folk["signup"].tolist()
    rows = []
    for r in range(m):
        who = int(owner[r])
        email, first, last, created = p_email[who], p_first[who], p_last[who], p_signup[who]
        if not copy[r]:
            if u_primary[r] < 0.2:
                email = mixed_case(email, u_shout[r], u_domain[r])
                planted["mixed_case_first_rows"] += 1
        else:
            kind = str(variant[r])
            if kind == "domain typo" and email.split("@")[1] not in TYPOS_BY_DOMAIN:
                kind = "case"
            planted[kind] += 1
            email = _typed_email(email, kind, u_shout[r], u_domain[r], bool(lead_space[r]), int(typo_pick[r]))
            first, last, slip = _typed_names(first, last, look[r], int(typo_kind[r]), float(typo_where[r]))
            if slip:
                planted[slip] += 1
            span = max(1, (EXPORT_DATE - created).days)
            created = created + pd.Timedelta(days=1 + int(created_frac[r] * span))
        rows.append((who, created, first, last, email, phone_text(p_mobile[who], int(phone_style[r])),
                     country_text(p_country[who], str(country_style[r]))))
    frame = pd.DataFrame(rows, columns=["person", "created", "first_name", "last_name", "email", "phone", "country"])
    frame["segment"] = folk["segment"].to_numpy()[owner]
    signup = pd.Series(folk["signup"].to_numpy()[owner]).dt.strftime("%d/%m/%Y")
    frame["signup_date"] = signup.where(~no_signup, None)
    frame = frame.sort_values(["created", "person"], kind="stable").reset_index(drop=True)
    frame.insert(0, "contact_id", [f"C-{i:06d}" for i in range(100001, 100001 + m)])
    export = frame[COLUMNS]
    planted.update({"duplicate_rows": int(extra.sum()), "missing_signup": int(no_signup.sum()),
                    "country_not_iso2": int((~export["country"].isin(list(COUNTRIES))).sum())})
    return export, {"rows": frame, "planted": planted}


def make_crm_export(seed: int, profile: Profile) -> pd.DataFrame:
    """The CRM's contacts: duplicates with typos and case differences, day-first dates, countries in
    several styles; written in Windows-1252, like an old spreadsheet export."""
    return crm_state(seed, as_profile(profile))[0].copy()
