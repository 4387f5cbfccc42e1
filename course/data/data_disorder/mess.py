"""The slips the exports plant on purpose: how people and tools write the same thing differently."""
from __future__ import annotations

import unicodedata

from ..reference import COUNTRIES, DOMAIN_TYPOS

# The other way round: right domain -> the typos planted for it.
TYPOS_BY_DOMAIN: dict[str, tuple[str, ...]] = {}
for _wrong, _right in DOMAIN_TYPOS.items():
    TYPOS_BY_DOMAIN[_right] = TYPOS_BY_DOMAIN.get(_right, ()) + (_wrong,)

COUNTRY_STYLES = ("iso2", "iso3", "english", "french", "lower", "upper", "spaced")
COUNTRY_STYLE_P = (0.45, 0.15, 0.15, 0.08, 0.07, 0.05, 0.05)


def country_text(iso2: str, style: str) -> str:
    """A country as one tool writes it: 'FR', 'FRA', 'France', 'fr', 'FRANCE', ' France '..."""
    iso3, english, french = COUNTRIES[iso2]
    return {"iso2": iso2, "iso3": iso3, "english": english, "french": french, "lower": iso2.lower(),
            "upper": english.upper(), "spaced": f" {english} "}[style]


def phone_text(mobile: str, style: int) -> str | None:
    """0: '06 12 34 56 78', 1: '0612345678', 2: '+33 6 12 34 56 78', 3: missing."""
    if style == 3:
        return None
    if style == 1:
        return mobile
    pairs = " ".join(mobile[i:i + 2] for i in range(0, 10, 2))
    return pairs if style == 0 else "+33 " + pairs[1:]


def mixed_case(address: str, u_shout: float, u_domain: float) -> str:
    """'jean.martin@gmail.com' -> 'Jean.Martin@Gmail.com' or 'JEAN.MARTIN@GMAIL.COM'."""
    if u_shout < 0.3:
        return address.upper()
    local, domain = address.split("@")
    local = ".".join(part[:1].upper() + part[1:] for part in local.split("."))
    mixed = f"{local}@{domain.capitalize() if u_domain < 0.5 else domain}"
    return mixed if mixed != address else address.upper()


def typo_domain(address: str, pick: int) -> str:
    """The address with one of the known typos of its domain (the domain must have one)."""
    local, domain = address.split("@")
    wrong = TYPOS_BY_DOMAIN[domain]
    return f"{local}@{wrong[pick % len(wrong)]}"


def name_typo(name: str, kind: int, where: float) -> str:
    """A slip of the keyboard: two letters swapped, one dropped, or the accents lost."""
    if kind == 2 or len(name) < 4:
        return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii") or name
    i = 1 + int(where * (len(name) - 3))
    if kind == 0:
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return name[:i] + name[i + 1:]


def amount_text(amount: float, style: int) -> str:
    """How the shop's export writes money: currency signs, comma decimals, spaces between thousands."""
    euros, cents = divmod(int(round(amount * 100)), 100)
    if style == 0:
        return f"{euros:,}".replace(",", " ") + f",{cents:02d} €"
    if style == 1:
        return f"€{euros}.{cents:02d}"
    if style == 2:
        return f"EUR {euros},{cents:02d}"
    return f"{euros}.{cents:02d}"


def mojibake(name: str) -> str:
    """'Hélène' read with the wrong encoding: 'HÃ©lÃ¨ne'."""
    try:
        return name.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return name
