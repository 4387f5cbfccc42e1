"""Sector profiles: they change names, categories and scales, never the lessons."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import UnknownProfile


@dataclass(frozen=True)
class Profile:
    """Everything about a company that a generator may borrow to look like a real sector."""

    name: str
    label: str
    company: str
    currency: str
    # How big things are: multiplies money amounts (tool costs, baskets, budgets).
    money_scale: float
    # Multiplies head-counts (seats, customers reached).
    people_scale: float
    # What the company sells: used for customer categories and campaign products.
    product_categories: tuple[str, ...]
    # Where customers are, and how they reach the company.
    regions: tuple[str, ...]
    channels: tuple[str, ...]
    # Teams that own marketing tools.
    teams: tuple[str, ...]
    # Words that appear in this sector's customer verbatims (module 5) and forum threads.
    product_nouns: tuple[str, ...]
    # Average purchases per customer per year (scales frequency).
    purchases_per_year: float
    # Typical basket or invoice in currency units (median of a lognormal).
    basket_median: float


PROFILES: dict[str, Profile] = {
    "retail": Profile(
        name="retail",
        label="Retail (shops and online store)",
        company="Maison Lumen",
        currency="EUR",
        money_scale=1.0,
        people_scale=1.0,
        product_categories=("Home", "Kitchen", "Garden", "Kids", "Fashion", "Beauty"),
        regions=("North", "South", "East", "West", "Paris area"),
        channels=("store", "web", "app", "marketplace"),
        teams=("Brand", "Digital", "CRM", "E-commerce", "Stores", "Analytics"),
        product_nouns=("order", "delivery", "store", "return", "loyalty card", "checkout"),
        purchases_per_year=5.0,
        basket_median=48.0,
    ),
    "b2b_software": Profile(
        name="b2b_software",
        label="B2B software (SaaS sold to companies)",
        company="Ledgerly",
        currency="EUR",
        money_scale=2.5,
        people_scale=0.4,
        product_categories=("Invoicing", "Payroll", "Expenses", "Reporting", "Integrations", "Support plan"),
        regions=("France", "Benelux", "DACH", "Iberia", "Nordics"),
        channels=("sales rep", "self-serve", "partner", "marketplace"),
        teams=("Demand gen", "Product marketing", "Sales ops", "Customer success", "Brand", "RevOps"),
        product_nouns=("dashboard", "invoice", "onboarding", "integration", "support ticket", "renewal"),
        purchases_per_year=1.6,
        basket_median=1900.0,
    ),
    "bank": Profile(
        name="bank",
        label="Retail bank",
        company="Banque Aurore",
        currency="EUR",
        money_scale=3.0,
        people_scale=1.6,
        product_categories=("Current account", "Savings", "Credit card", "Mortgage", "Insurance", "Personal loan"),
        regions=("Ile-de-France", "Auvergne-Rhone-Alpes", "Occitanie", "Hauts-de-France", "Bretagne"),
        channels=("branch", "web", "app", "phone"),
        teams=("Brand", "Digital", "CRM", "Branch network", "Compliance", "Analytics"),
        product_nouns=("app", "advisor", "card", "transfer", "branch", "fees"),
        purchases_per_year=2.2,
        basket_median=320.0,
    ),
    "telecom": Profile(
        name="telecom",
        label="Telecom operator",
        company="Onda Mobile",
        currency="EUR",
        money_scale=1.8,
        people_scale=2.0,
        product_categories=("Mobile plan", "Fibre", "TV", "Devices", "Roaming", "Family bundle"),
        regions=("North", "South", "East", "West", "Capital"),
        channels=("shop", "web", "app", "call centre"),
        teams=("Brand", "Acquisition", "CRM", "Retention", "Shops", "Analytics"),
        product_nouns=("network", "bill", "router", "plan", "shop", "customer service"),
        purchases_per_year=12.0,
        basket_median=35.0,
    ),
}

DEFAULT_PROFILE = "retail"
DEFAULT_SEED = 2024


def get_profile(name: str) -> Profile:
    """Look a profile up by name, or say which names exist."""
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise UnknownProfile(
            f"There is no sector profile called {name!r}. Choose one of: {known}."
        ) from None
