"""The real customers behind module 3's four exports: drawn once per seed and profile, shared by all four.

Every export shows these people the way its own tool does (`crm`, `orders`, `calls`, `emails`); none
of them is ever written as it is here.
"""
from __future__ import annotations

import unicodedata
from functools import wraps

import numpy as np
import pandas as pd

from ..profiles import Profile, get_profile
from ..registry import rng_for

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
FREE_MAIL = ("gmail.com", "hotmail.fr", "yahoo.fr", "orange.fr", "free.fr", "outlook.com", "laposte.net", "sfr.fr")
FREE_MAIL_P = (0.34, 0.14, 0.10, 0.14, 0.10, 0.08, 0.05, 0.05)
_COMPANY_WORDS = ("atelier", "maison", "groupe", "cabinet", "studio", "transports", "conseil", "batiment",
                  "logistique", "distribution", "imprimerie", "pharma", "agence", "boulangerie", "garage",
                  "optique", "immobilier", "energies", "nautique", "textile")


def as_profile(profile) -> Profile:
    """A Profile from a Profile or a profile name."""
    return profile if isinstance(profile, Profile) else get_profile(profile)


def once_per_company(build):
    """Build a generator's state once per (seed, profile): the four exports share the same people.

    The cached state is shared, so callers read it and never modify it (the `make_*` functions hand
    out copies).
    """
    cache: dict = {}

    @wraps(build)
    def cached(seed: int, profile):
        prof = as_profile(profile)
        key = (int(seed), repr(prof))
        if key not in cache:
            if len(cache) >= 8:
                cache.pop(next(iter(cache)))
            cache[key] = build(int(seed), prof)
        return cache[key]

    cached.cache_clear = cache.clear  # type: ignore[attr-defined]
    return cached


def _ascii(text: str) -> str:
    """'Hélène Lefèvre' -> 'helene lefevre': what people type in an e-mail address."""
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in flat.lower() if ch.isalnum() or ch in " -")


_ASCII = {name: _ascii(name).replace(" ", "-") for name in _FIRST + _LAST}


def _n_people(rng: np.random.Generator, profile: Profile) -> int:
    return int(np.clip(rng.integers(1500, 2200) * (0.8 + 0.25 * profile.people_scale), 1500, 3000))


def _addresses(rng: np.random.Generator, first, last, profile: Profile) -> list[str]:
    """One e-mail address per person, unique, in the styles people pick (jean.martin@, j.martin@...)."""
    n = len(first)
    n_companies = max(1, n // 4)
    companies = [f"{_ASCII[a]}-{w}.{t}" for a, w, t in zip(rng.choice(_LAST, n_companies),
                                                           rng.choice(_COMPANY_WORDS, n_companies),
                                                           rng.choice(("fr", "com", "eu"), n_companies))]
    pattern = rng.integers(0, 5, n)
    digits = rng.integers(1, 99, n)
    use_company = rng.random(n) < (0.7 if profile.name == "b2b_software" else 0.0)
    company = rng.integers(0, n_companies, n)
    free = rng.choice(FREE_MAIL, n, p=FREE_MAIL_P)
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
    return emails


@once_per_company
def people(seed: int, profile: Profile) -> pd.DataFrame:
    """The real customers, one row each, as nobody's tool ever sees them: clean and unique."""
    rng = rng_for(seed, "data_disorder_people")
    n = _n_people(rng, profile)
    first = rng.choice(_FIRST, n)
    last = rng.choice(_LAST, n)
    emails = _addresses(rng, first, last, profile)
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
