"""Module 3 datasets: four exports from four tools that disagree about the same customers.

One set of real people (`_people`) is drawn first; each export then shows them the way its tool
does, with mess planted on purpose. `disorder_truth(seed, profile)` reports what was planted and the
true answers, computed from the generator's own state rather than from the written files, so tests
can prove that the cleaning rules stated in the notebook recover the truth.
"""
from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from ..measures.nps import nps
from ..measures.queue import (DAY_SECONDS, CallCentre, abandoned_share, dashboard_wait, draw_calls,
                              honest_wait_p90, queue_waits)
from .profiles import DEFAULT_PROFILE, DEFAULT_SEED, Profile, get_profile
# COUNTRY_CODES is re-exported for notebooks whose setup cell still imports it from here.
from .reference import COUNTRIES, COUNTRY_CODES, DOMAIN_TYPOS  # noqa: F401
from .registry import Column, DatasetSpec, register, rng_for

EXPORT_DATE = pd.Timestamp("2026-03-31")
ORDERS_FROM = pd.Timestamp("2025-04-01")
CALLS_FROM = pd.Timestamp("2026-03-02")  # a Monday; 20 weekdays of calls follow
SEGMENTS = ("New", "Regular", "Loyal")
CRM_ENCODING = "cp1252"

_COUNTRY_MIX: dict[str, dict[str, float]] = {
    "retail": {"FR": 0.82, "BE": 0.08, "CH": 0.04, "LU": 0.03, "DE": 0.03},
    "b2b_software": {"FR": 0.45, "BE": 0.10, "NL": 0.08, "LU": 0.02, "DE": 0.12, "AT": 0.03, "CH": 0.04,
                     "ES": 0.07, "PT": 0.03, "SE": 0.04, "DK": 0.02},
    "bank": {"FR": 0.90, "BE": 0.03, "LU": 0.04, "CH": 0.03},
    "telecom": {"FR": 0.88, "BE": 0.03, "ES": 0.03, "IT": 0.03, "DE": 0.03},
}

_FIRST = ("Hélène", "François", "Zoé", "Jérôme", "Amélie", "Noël", "Anaïs", "Gaëlle", "Léa", "Chloé",
          "Thomas", "Camille", "Lucas", "Manon", "Hugo", "Inès", "Louis", "Emma", "Nathan", "Clément",
          "Benoît", "Céline", "Stéphane", "Maëlys", "Julie", "Nicolas", "Sophie", "Pierre", "Marie",
          "Antoine", "Laura", "Julien", "Sarah", "Mathieu", "Élodie", "Raphaël", "Agnès", "Loïc", "Océane",
          "Jean", "Paul", "Claire", "Éric", "Valérie", "Cédric", "Aurélie", "Frédéric", "Mélanie",
          "Sébastien", "Karim", "Yasmine", "Mehdi", "Leïla", "Sofia", "Lena", "Jonas", "Ana", "João",
          "Lars", "Ingrid", "Margaux", "Théo", "Jules", "Lucie", "Adèle", "Gabriel", "Arthur", "Louise")
_LAST = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
         "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent",
         "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François",
         "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry",
         "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez",
         "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis",
         "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Ménard", "Brunet", "Béranger", "Lemaître",
         "Benoît", "Noël", "Barbier", "Aubert", "Hoarau", "Peeters", "Janssens", "Schmidt", "Fernández",
         "Silva", "Côté", "Lévêque", "Bouchard", "Caron", "Marchand", "Picard")
_FREE_MAIL = ("gmail.com", "hotmail.fr", "yahoo.fr", "orange.fr", "free.fr", "outlook.com", "laposte.net", "sfr.fr")
_FREE_MAIL_P = (0.34, 0.14, 0.10, 0.14, 0.10, 0.08, 0.05, 0.05)
_COMPANY_WORDS = ("atelier", "maison", "groupe", "cabinet", "studio", "transports", "conseil", "batiment",
                  "logistique", "distribution", "imprimerie", "pharma", "agence", "boulangerie", "garage",
                  "optique", "immobilier", "energies", "nautique", "textile")
# The other way round: right domain -> the typos planted for it.
_TYPOS_BY_DOMAIN: dict[str, tuple[str, ...]] = {}
for _wrong, _right in DOMAIN_TYPOS.items():
    _TYPOS_BY_DOMAIN[_right] = _TYPOS_BY_DOMAIN.get(_right, ()) + (_wrong,)


def _profile(profile) -> Profile:
    return profile if isinstance(profile, Profile) else get_profile(profile)


def _ascii(text: str) -> str:
    """'Hélène Lefèvre' -> 'helene lefevre': what people type in an e-mail address."""
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in flat.lower() if ch.isalnum() or ch in " -")


_ASCII = {name: _ascii(name).replace(" ", "-") for name in _FIRST + _LAST}


def _n_people(rng: np.random.Generator, profile: Profile) -> int:
    return int(np.clip(rng.integers(1500, 2200) * (0.8 + 0.25 * profile.people_scale), 1500, 3000))


def _people(seed: int, profile: Profile) -> pd.DataFrame:
    """The real customers, one row each, as nobody's tool ever sees them: clean and unique."""
    rng = rng_for(seed, "data_disorder_people")
    n = _n_people(rng, profile)
    first = rng.choice(_FIRST, n)
    last = rng.choice(_LAST, n)
    n_companies = max(1, n // 4)
    companies = [f"{_ASCII[a]}-{w}.{t}" for a, w, t in zip(rng.choice(_LAST, n_companies),
                                                           rng.choice(_COMPANY_WORDS, n_companies),
                                                           rng.choice(("fr", "com", "eu"), n_companies))]
    pattern = rng.integers(0, 5, n)
    digits = rng.integers(1, 99, n)
    use_company = rng.random(n) < (0.7 if profile.name == "b2b_software" else 0.0)
    company = rng.integers(0, n_companies, n)
    free = rng.choice(_FREE_MAIL, n, p=_FREE_MAIL_P)
    emails, seen = [], set()
    for i in range(n):
        f, l = _ASCII[first[i]], _ASCII[last[i]]
        local = (f"{f}.{l}", f"{f[0]}.{l}", f"{f}{l}", f"{f}.{l}{digits[i]}", f"{l}.{f}")[pattern[i]]
        domain = companies[company[i]] if use_company[i] else str(free[i])
        address, k = f"{local}@{domain}", 2
        while address in seen:
            address, k = f"{local}{k}@{domain}", k + 1
        seen.add(address)
        emails.append(address)
    mix = _COUNTRY_MIX.get(profile.name, _COUNTRY_MIX["retail"])
    country = rng.choice(list(mix), n, p=np.array(list(mix.values())) / sum(mix.values()))
    # Tenure decides the segment: new (under a year), regular (1-4 years), loyal (more than 4 years).
    segment = rng.choice(SEGMENTS, n, p=rng.dirichlet([30.0, 40.0, 30.0]))
    days_ago = np.where(segment == "New", rng.integers(1, 365, n),
                        np.where(segment == "Regular", rng.integers(366, 4 * 365, n),
                                 rng.integers(4 * 365 + 1, 11 * 365, n)))
    mobile = rng.integers(10_000_000, 99_999_999, n)
    return pd.DataFrame({
        "person": np.arange(n), "first_name": first, "last_name": last, "email": emails, "country": country,
        "segment": segment, "signup": EXPORT_DATE - pd.to_timedelta(days_ago, unit="D"),
        "mobile": [f"06{m:08d}" for m in mobile],
        "opted_in": rng.random(n) < 0.75,
        "orders_rate": rng.gamma(1.5, float(np.clip(profile.purchases_per_year, 1.5, 4.0)) / 1.5, n),
        "value": rng.lognormal(0.0, 0.6, n),
        "call_weight": rng.gamma(0.8, 1.0, n),
    })


# --- the CRM ----------------------------------------------------------------------------------------

_COUNTRY_STYLES = ("iso2", "iso3", "english", "french", "lower", "upper", "spaced")
_COUNTRY_STYLE_P = (0.45, 0.15, 0.15, 0.08, 0.07, 0.05, 0.05)
_EMAIL_VARIANTS = ("exact", "case", "spaces", "case+spaces", "domain typo", "missing")
_EMAIL_VARIANT_P = (0.15, 0.30, 0.15, 0.10, 0.25, 0.05)


def _country_text(iso2: str, style: str) -> str:
    iso3, english, french = COUNTRIES[iso2]
    return {"iso2": iso2, "iso3": iso3, "english": english, "french": french, "lower": iso2.lower(),
            "upper": english.upper(), "spaced": f" {english} "}[style]


def _phone_text(mobile: str, style: int) -> str | None:
    """0: '06 12 34 56 78', 1: '0612345678', 2: '+33 6 12 34 56 78', 3: missing."""
    if style == 3:
        return None
    if style == 1:
        return mobile
    pairs = " ".join(mobile[i:i + 2] for i in range(0, 10, 2))
    return pairs if style == 0 else "+33 " + pairs[1:]


def _mixed_case(address: str, u_shout: float, u_domain: float) -> str:
    """'jean.martin@gmail.com' -> 'Jean.Martin@Gmail.com' or 'JEAN.MARTIN@GMAIL.COM'."""
    if u_shout < 0.3:
        return address.upper()
    local, domain = address.split("@")
    local = ".".join(part[:1].upper() + part[1:] for part in local.split("."))
    mixed = f"{local}@{domain.capitalize() if u_domain < 0.5 else domain}"
    return mixed if mixed != address else address.upper()


def _typo_domain(address: str, pick: int) -> str:
    local, domain = address.split("@")
    wrong = _TYPOS_BY_DOMAIN[domain]
    return f"{local}@{wrong[pick % len(wrong)]}"


def _name_typo(name: str, kind: int, where: float) -> str:
    """A slip of the keyboard: two letters swapped, one dropped, or the accents lost."""
    if kind == 2 or len(name) < 4:
        return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii") or name
    i = 1 + int(where * (len(name) - 3))
    if kind == 0:
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return name[:i] + name[i + 1:]


def _crm(seed: int, profile: Profile) -> tuple[pd.DataFrame, dict]:
    """The CRM export and the list of what was planted in it."""
    rng = rng_for(seed, "crm_export")
    people = _people(seed, profile)
    n = len(people)
    dup_share = rng.uniform(0.12, 0.18)
    extra = np.where(rng.random(n) < dup_share, np.where(rng.random(n) < 0.8, 1, 2), 0)
    owner = np.concatenate([np.arange(n), np.repeat(np.arange(n), extra)])
    m = len(owner)
    copy = np.arange(m) >= n
    # Every random choice is drawn up front, one array per kind, so each row costs no extra draws.
    u_shout, u_domain, u_primary = rng.random(m), rng.random(m), rng.random(m)
    variant = np.array(_EMAIL_VARIANTS)[rng.choice(len(_EMAIL_VARIANTS), m, p=_EMAIL_VARIANT_P)]
    typo_pick = rng.integers(0, 6, m)
    lead_space = rng.random(m) < 0.5
    look, typo_kind, typo_where = rng.random(m), rng.integers(0, 3, m), rng.random(m)
    no_signup = copy & (rng.random(m) < 0.2)
    created_frac = rng.random(m)
    country_style = np.array(_COUNTRY_STYLES)[rng.choice(len(_COUNTRY_STYLES), m, p=_COUNTRY_STYLE_P)]
    phone_style = rng.choice(4, m, p=(0.4, 0.25, 0.2, 0.15))

    planted = {k: 0 for k in _EMAIL_VARIANTS}
    planted.update({"mixed_case_first_rows": 0, "name_case": 0, "name_typo": 0})
    p_email, p_first, p_last = people["email"].tolist(), people["first_name"].tolist(), people["last_name"].tolist()
    p_country, p_mobile, p_signup = people["country"].tolist(), people["mobile"].tolist(), people["signup"].tolist()
    rows = []
    for r in range(m):
        who = int(owner[r])
        email, first, last = p_email[who], p_first[who], p_last[who]
        created = p_signup[who]
        if not copy[r]:
            if u_primary[r] < 0.2:
                email = _mixed_case(email, u_shout[r], u_domain[r])
                planted["mixed_case_first_rows"] += 1
        else:
            kind = str(variant[r])
            if kind == "domain typo" and email.split("@")[1] not in _TYPOS_BY_DOMAIN:
                kind = "case"
            planted[kind] += 1
            if kind == "case":
                email = _mixed_case(email, u_shout[r], u_domain[r])
            elif kind == "spaces":
                email = (" " if lead_space[r] else "") + email + " "
            elif kind == "case+spaces":
                email = " " + _mixed_case(email, u_shout[r], u_domain[r]) + "  "
            elif kind == "domain typo":
                email = _typo_domain(email, typo_pick[r])
            elif kind == "missing":
                email = None
            if look[r] < 0.25:
                last = last.upper()
                planted["name_case"] += 1
            elif look[r] < 0.35:
                first = first.lower()
                planted["name_case"] += 1
            elif look[r] < 0.6:
                last = _name_typo(last, int(typo_kind[r]), float(typo_where[r]))
                planted["name_typo"] += 1
            span = max(1, (EXPORT_DATE - created).days)
            created = created + pd.Timedelta(days=1 + int(created_frac[r] * span))
        rows.append((who, created, first, last, email, _phone_text(p_mobile[who], int(phone_style[r])),
                     _country_text(p_country[who], str(country_style[r]))))
    frame = pd.DataFrame(rows, columns=["person", "created", "first_name", "last_name", "email", "phone", "country"])
    frame["segment"] = people["segment"].to_numpy()[owner]
    signup = pd.Series(people["signup"].to_numpy()[owner]).dt.strftime("%d/%m/%Y")
    frame["signup_date"] = signup.where(~no_signup, None)
    frame = frame.sort_values(["created", "person"], kind="stable").reset_index(drop=True)
    frame.insert(0, "contact_id", [f"C-{i:06d}" for i in range(100001, 100001 + m)])
    export = frame[["contact_id", "first_name", "last_name", "email", "phone", "country", "segment", "signup_date"]]
    planted.update({"duplicate_rows": int(extra.sum()), "missing_signup": int(no_signup.sum()),
                    "country_not_iso2": int((~export["country"].isin(list(COUNTRIES))).sum())})
    return export, {"people": people, "rows": frame, "planted": planted}


def make_crm_export(seed: int, profile: Profile) -> pd.DataFrame:
    """The CRM's contacts: duplicates with typos and case differences, day-first dates, countries in
    several styles; written in Windows-1252, like an old spreadsheet export."""
    return _crm(seed, _profile(profile))[0]


# --- the online shop ---------------------------------------------------------------------------------

def _amount_text(amount: float, style: int) -> str:
    """How the shop's export writes money: currency signs, comma decimals, spaces between thousands."""
    euros, cents = divmod(int(round(amount * 100)), 100)
    if style == 0:
        return f"{euros:,}".replace(",", " ") + f",{cents:02d} €"
    if style == 1:
        return f"€{euros}.{cents:02d}"
    if style == 2:
        return f"EUR {euros},{cents:02d}"
    return f"{euros}.{cents:02d}"


def _orders(seed: int, profile: Profile) -> tuple[pd.DataFrame, dict]:
    """The orders export and the true orders behind it."""
    rng = rng_for(seed, "orders_export")
    people = _people(seed, profile)
    counts = rng.poisson(people["orders_rate"].to_numpy())
    buyer = np.repeat(people["person"].to_numpy(), counts)
    value = np.repeat(people["value"].to_numpy(), counts)
    n_guest = int(round(len(buyer) * rng.uniform(0.05, 0.08)))
    n = len(buyer) + n_guest
    amount = np.round(profile.basket_median * np.concatenate([value, rng.lognormal(0, 0.6, n_guest)])
                      * rng.lognormal(0.0, 0.5, n), 2)
    amount = np.maximum(amount, 1.0)
    guest_domain = rng.choice(_FREE_MAIL, n_guest, p=_FREE_MAIL_P)
    guests = [f"guest{g}.{i}@{d}" for i, (g, d) in enumerate(zip(rng.integers(1000, 99999, n_guest), guest_domain))]
    canonical = np.concatenate([people["email"].to_numpy(dtype=object)[buyer], np.array(guests, dtype=object)])
    person = np.concatenate([buyer, np.full(n_guest, -1)])
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
    stamps = np.where(utc_style, in_utc, with_offset).astype(object)
    draw, u_shout, u_domain, typo_pick = rng.random(n), rng.random(n), rng.random(n), rng.integers(0, 6, n)
    typed = []
    planted = {"mixed_case_email": 0, "spaced_email": 0, "domain_typo": 0}
    for i, address in enumerate(canonical):
        if draw[i] < 0.25:
            typed.append(_mixed_case(address, u_shout[i], u_domain[i]))
            planted["mixed_case_email"] += 1
        elif draw[i] < 0.28:
            typed.append(address + " ")
            planted["spaced_email"] += 1
        elif draw[i] < 0.31 and address.split("@")[1] in _TYPOS_BY_DOMAIN:
            typed.append(_typo_domain(address, typo_pick[i]))
            planted["domain_typo"] += 1
        else:
            typed.append(address)
    missing = rng.random(n) < 0.01
    style = rng.choice(4, n, p=(0.45, 0.2, 0.15, 0.2))
    texts = [None if gone else _amount_text(a, s) for a, s, gone in zip(amount.tolist(), style.tolist(), missing)]
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
    return _orders(seed, _profile(profile))[0]


# --- the call centre ----------------------------------------------------------------------------------

def _call_centre(n_people: int) -> CallCentre:
    """Calls scale with the customer base (customer service also hears from prospects)."""
    return CallCentre(calls_per_day=110.0 + 0.035 * n_people, days=20)


def _calls(seed: int, profile: Profile) -> tuple[pd.DataFrame, dict]:
    """The call log; the roster is the smallest one whose dashboard shows half the target or less."""
    rng = rng_for(seed, "service_calls")
    people = _people(seed, profile)
    centre = _call_centre(len(people))
    calls = draw_calls(rng, centre)
    for agents in range(1, 40):
        waits, answered = queue_waits(calls["arrival_s"], calls["patience_s"], calls["talk_s"], agents)
        waits = np.round(waits)
        if dashboard_wait(waits, answered) <= 0.5 * centre.target_s:
            break
    n = len(waits)
    day = (calls["arrival_s"] // DAY_SECONDS).astype(int)
    weekdays = pd.bdate_range(CALLS_FROM, periods=centre.days)
    started = (weekdays[day] + pd.Timedelta(hours=9)
               + pd.to_timedelta(np.round(calls["arrival_s"] - day * DAY_SECONDS), unit="s"))
    weight = people["call_weight"].to_numpy()
    caller = rng.choice(people["person"].to_numpy(), n, p=weight / weight.sum())
    identified = rng.random(n) < 0.5
    export = pd.DataFrame({
        "call_id": [f"CALL-{i:06d}" for i in range(1, n + 1)],
        "started_at": started.strftime("%Y-%m-%d %H:%M:%S"),
        "customer_email": np.where(identified, people["email"].to_numpy(dtype=object)[caller], None),
        "queue_seconds": waits.astype(int),
        "outcome": np.where(answered, "answered", "abandoned"),
        "talk_seconds": pd.array(np.where(answered, np.round(calls["talk_s"]), np.nan), dtype="Int64"),
    })
    truth = {"agents": agents, "centre": centre, "waits": waits, "answered": answered,
             "caller": np.where(identified, caller, -1)}
    return export, truth


def make_service_calls(seed: int, profile: Profile) -> pd.DataFrame:
    """Four weeks of calls to customer service, answered or abandoned, with the time spent waiting."""
    return _calls(seed, _profile(profile))[0]


# --- the e-mail platform ------------------------------------------------------------------------------

_NPS_TARGET = {"New": (0.22, 0.38), "Regular": (0.38, 0.24), "Loyal": (0.55, 0.13)}  # (promoters, detractors)
_DETRACTOR_SCORES_P = (0.04, 0.03, 0.06, 0.1, 0.14, 0.28, 0.35)  # scores 0 to 6


def _mojibake(name: str) -> str:
    """'Hélène' read with the wrong encoding: 'HÃ©lÃ¨ne'."""
    try:
        return name.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return name


def _emails(seed: int, profile: Profile) -> tuple[pd.DataFrame, dict]:
    """The e-mail platform's subscribers, their activity and their answer to the NPS survey."""
    rng = rng_for(seed, "email_export")
    people = _people(seed, profile)
    calls = _calls(seed, profile)[1]
    hung_up = np.unique(calls["caller"][(~calls["answered"]) & (calls["caller"] >= 0)])
    subs = people[people["opted_in"]].reset_index(drop=True)
    n = len(subs)
    sent = rng.poisson(40, n)
    human_opens = rng.binomial(sent, rng.beta(2.5, 5.0, n))
    machine = rng.random(n) < 0.15   # mail apps that load every image: every e-mail counts as opened, often twice
    opens = np.where(machine, sent + rng.binomial(sent, 0.6), human_opens)
    clicks = rng.binomial(human_opens, rng.beta(1.5, 12.0, n))
    subscribed = subs["signup"] + pd.to_timedelta(rng.integers(0, 30, n), unit="D")
    unsub = rng.random(n) < 0.08
    unsub_day = pd.Series(EXPORT_DATE - pd.to_timedelta(rng.integers(1, 300, n), unit="D"))
    unsub_day = unsub_day.where(unsub_day > subscribed, subscribed + pd.Timedelta(days=1))
    # The survey: about a third answer. Each segment has its own mix of promoters and detractors,
    # and a customer who hung up on customer service this month is often a detractor now.
    segment = subs["segment"].to_numpy()
    jitter = dict(zip(SEGMENTS, rng.uniform(-0.04, 0.04, len(SEGMENTS))))
    promo = np.array([_NPS_TARGET[s][0] + jitter[s] for s in segment])
    detract = np.array([_NPS_TARGET[s][1] for s in segment])
    u = rng.random(n)
    group = np.where(u < promo, 2, np.where(u < 1 - detract, 1, 0))     # 2 promoter, 1 passive, 0 detractor
    upset = np.isin(subs["person"].to_numpy(), hung_up) & (rng.random(n) < 0.5)
    group = np.where(upset, 0, group)
    score = np.select([group == 2, group == 1],
                      [rng.choice((9, 10), n, p=(0.55, 0.45)), rng.choice((7, 8), n)],
                      rng.choice(7, n, p=_DETRACTOR_SCORES_P)).astype(float)
    answered = rng.random(n) < rng.uniform(0.3, 0.4)
    score[~answered] = np.nan
    broken = (rng.random(n) < 0.25) & np.array([not x.isascii() for x in subs["first_name"]])
    names = [_mojibake(x) if b else x for x, b in zip(subs["first_name"], broken)]
    export = pd.DataFrame({
        "email": subs["email"], "first_name": names,
        "subscribed_on": subscribed.dt.strftime("%Y-%m-%d"),
        "emails_sent": sent, "opens": opens, "clicks": clicks,
        "unsubscribed_on": unsub_day.dt.strftime("%Y-%m-%d").where(unsub, None),
        "nps_score": pd.array(score, dtype="Int64"),
    })
    export = export.sort_values(["subscribed_on", "email"], kind="stable").reset_index(drop=True)
    truth = {"subscribers": subs.assign(score=score), "planted": {
        "mojibake_names": int(sum(a != b for a, b in zip(names, subs["first_name"]))),
        "opens_above_sent": int((opens > sent).sum()), "respondents": int(answered.sum()),
        "upset_callers": int(upset.sum())}}
    return export, truth


def make_email_export(seed: int, profile: Profile) -> pd.DataFrame:
    """Subscribers of the e-mail platform: sends, opens, clicks, unsubscribes and the NPS survey."""
    return _emails(seed, _profile(profile))[0]

# --- the truth ----------------------------------------------------------------------------------------

def disorder_truth(seed: int = DEFAULT_SEED, profile: str | Profile = DEFAULT_PROFILE) -> dict:
    """What was planted in the four exports and the true answers, from the generator's own state.

    Never written next to the data: tests use it to prove that the cleaning rules stated in the
    notebook recover the truth.
    """
    prof = _profile(profile)
    crm, crm_state = _crm(seed, prof)
    _, orders_state = _orders(seed, prof)
    _, calls_state = _calls(seed, prof)
    _, email_state = _emails(seed, prof)
    people = crm_state["people"]
    orders = orders_state["orders"]
    exported = orders[orders["amount_exported"]]
    customer_revenue = float(exported.loc[exported["person"] >= 0, "amount"].sum())
    subs = email_state["subscribers"].dropna(subset=["score"])
    waits, answered = calls_state["waits"], calls_state["answered"]
    return {
        "profile": prof.name, "seed": int(seed),
        "customers": len(people),
        "crm_rows": len(crm),
        "crm_encoding": CRM_ENCODING,
        "crm_planted": crm_state["planted"],
        "customers_by_country": people["country"].value_counts().sort_index().to_dict(),
        "orders": len(orders),
        "orders_planted": orders_state["planted"],
        "revenue_total": float(exported["amount"].sum()),
        "revenue_from_customers": customer_revenue,
        "revenue_per_customer": customer_revenue / len(people),
        "calls": len(waits),
        "agents": calls_state["agents"],
        "dashboard_wait": dashboard_wait(waits, answered),
        "honest_wait_p90": honest_wait_p90(waits),
        "abandoned_share": abandoned_share(answered),
        "email_planted": email_state["planted"],
        "nps_by_segment": {s: nps(g["score"]) for s, g in subs.groupby("segment")},
    }


# --- data cards ---------------------------------------------------------------------------------------

_TYPO_LIST = ", ".join(f"`{w}` -> `{r}`" for w, r in DOMAIN_TYPOS.items())

register(DatasetSpec(
    name="crm_export", module="data_disorder",
    title="CRM contacts export",
    make=make_crm_export,
    columns=(
        Column("contact_id", "text", "The CRM's own id for the row (C-100001...). A person with two rows has two ids."),
        Column("first_name", "text", "First name as typed; accents, capitals and typos vary between duplicates."),
        Column("last_name", "text", "Last name as typed."),
        Column("email", "text", "E-mail address as typed: capitals, spaces around it, known domain typos; "
                                "empty in a few duplicate rows."),
        Column("phone", "text", "Mobile number in several styles (06 12..., +33 6 12..., 0612...); often empty."),
        Column("country", "text", "Country in several styles: FR, FRA, France, Belgique, fr, FRANCE..."),
        Column("segment", "text", "Tenure segment: New (customer for under a year), Regular (1-4 years), Loyal (over 4 years)."),
        Column("signup_date", "date, day first (DD/MM/YYYY)", "When the person became a customer; 03/04/2025 is 3 April. "
                                                              "Empty in some duplicate rows."),
    ),
    how_made=(
        "Between 1,500 and 3,000 real customers (more for larger sector profiles), each with one clean "
        "e-mail address. 12-18% of them were entered again later (by a shop, an import, a form), once or "
        "twice: the copies get their own contact_id, and their e-mail is written with other capitals, with "
        "spaces around it, with a known domain typo, exactly the same, or not at all. Names in copies may "
        "be in capitals, lose their accents or carry a typo. Countries are written in a random style. "
        "Segments follow tenure. **The file is encoded in Windows-1252 (cp1252), not UTF-8**, as old "
        "spreadsheet exports often are: `load()` reads it with that encoding; another program that "
        "assumes UTF-8 will show broken accents or refuse to open it."
    ),
    quirks=(
        "Encoding: Windows-1252 (cp1252). Open it with `encoding='cp1252'` outside this course.",
        "Duplicate people: the same e-mail with different capitals or spaces around it, or with a known domain typo "
        f"({_TYPO_LIST}).",
        "A few duplicate rows have no e-mail at all.",
        "Dates are day first: 03/04/2025 is 3 April 2025, not 4 March.",
        "Countries in several styles: ISO codes of two or three letters, English or French names, odd capitals and spaces.",
        "Capitals are not only in copies: about one person in five has them in the e-mail of their first row too.",
    ),
    encoding=CRM_ENCODING,
))

register(DatasetSpec(
    name="orders_export", module="data_disorder",
    title="Online shop orders export",
    make=make_orders_export,
    columns=(
        Column("order_id", "text", "The shop's order number (O-200001...). Each order should appear once."),
        Column("ordered_at", "timestamp, ISO 8601 with time zone",
               "When the order was placed: Paris time with its offset (+01:00 or +02:00), or UTC ending in Z."),
        Column("customer_email", "text", "E-mail typed at checkout; guests who are not in the CRM also buy."),
        Column("channel", "text", "Where the order was placed."),
        Column("category", "text", "What was bought."),
        Column("amount", "text (euros)", "Amount paid, as text: '1 234,50 €', '€49.90', 'EUR 49,90' or '49.90'; empty when not exported."),
    ),
    how_made=(
        "Each customer's number of orders in the year is Poisson around their own rate; amounts are "
        "lognormal around the sector's typical basket, times a per-customer value factor, so a few "
        "customers bring a large share of revenue. 5-8% of orders come from guest checkouts whose "
        "e-mail is in no other export. The export was run twice over some days, so about 3% of orders "
        "appear twice, identical. About 1% of amounts were not exported (empty)."
    ),
    quirks=(
        "Amounts are text, with a euro sign or 'EUR', comma or dot decimals and spaces between thousands.",
        "Timestamps mix Paris time with an offset and UTC ('Z'): convert with `pd.to_datetime(..., utc=True)`.",
        "About 3% of orders appear twice (same order_id, same values).",
        "E-mails at checkout have capitals, trailing spaces or a known domain typo, like the CRM.",
        "Guest orders: e-mails that match no CRM customer.",
        "About 1% of amounts are empty.",
    ),
))

register(DatasetSpec(
    name="email_export", module="data_disorder",
    title="E-mail platform subscribers export",
    make=make_email_export,
    columns=(
        Column("email", "text", "Subscriber address; the platform stores it in lower case."),
        Column("first_name", "text", "First name; some arrived broken ('HÃ©lÃ¨ne') from an earlier import."),
        Column("subscribed_on", "date (YYYY-MM-DD)", "When the address joined the platform."),
        Column("emails_sent", "count", "Campaign e-mails sent in the last twelve months."),
        Column("opens", "count", "Opens recorded; mail apps that load images by themselves count as opens."),
        Column("clicks", "count", "Clicks on a link in those e-mails."),
        Column("unsubscribed_on", "date (YYYY-MM-DD)", "When the person unsubscribed; empty if still subscribed."),
        Column("nps_score", "0-10", "Answer to 'How likely are you to recommend us to a friend?'; empty if not answered."),
    ),
    how_made=(
        "About three customers in four agreed to receive e-mails. Sends are Poisson around 40 a year, "
        "opens binomial with a personal open rate, clicks binomial on human opens. 15% of subscribers "
        "use a mail app that opens every e-mail by itself, often twice. 30-40% answered the NPS survey; "
        "each tenure segment has its own mix of promoters and detractors, and customers who hung up on "
        "customer service this month turn detractor more often."
    ),
    quirks=(
        "Some first names are mojibake: UTF-8 text that was once read as Windows-1252 ('HÃ©lÃ¨ne' for 'Hélène').",
        "`opens` can be larger than `emails_sent`: machine opens are counted.",
        "`nps_score` is empty for people who did not answer: they are not detractors.",
        "No segment here: it lives in the CRM, so a join on the e-mail is needed.",
    ),
))

register(DatasetSpec(
    name="service_calls", module="data_disorder",
    title="Customer service calls log",
    make=make_service_calls,
    columns=(
        Column("call_id", "text", "One row per call (CALL-000001...)."),
        Column("started_at", "local time (YYYY-MM-DD HH:MM:SS)", "When the call reached the queue; the phone system writes local time without a zone."),
        Column("customer_email", "text", "The caller, when the phone system recognised the number; empty otherwise."),
        Column("queue_seconds", "seconds", "Time in the queue: until an agent answered, or until the caller hung up."),
        Column("outcome", "text", "'answered' or 'abandoned' (the caller hung up before an agent answered)."),
        Column("talk_seconds", "seconds", "Length of the conversation; empty for abandoned calls."),
    ),
    how_made=(
        "Twenty weekdays of calls from 9:00 to 18:00, busiest mid-morning, about 110 a day plus 35 per "
        "thousand customers, simulated with the queue model "
        "of this module's first simulation: first come, first served, a fixed number of agents, talk times "
        "lognormal around 4 minutes, and each caller's patience lognormal around 100 seconds. The roster is "
        "the smallest one whose dashboard (average wait of answered calls) shows half the 60-second target or less."
    ),
    quirks=(
        "For an abandoned call, `queue_seconds` is how long the caller waited before giving up.",
        "Half of the calls come from numbers the system did not recognise (or from prospects): "
        "`customer_email` is empty.",
    ),
))
