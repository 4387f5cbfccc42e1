"""Module 3 questions: clean four exports into one customer view, then recompute the flattering numbers.

The cleaning rules below are the ones the notebook states word for word; tests/test_data_disorder.py
proves that, applied to the exports, they recover the generator's truth (`disorder_truth`).
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from ..checks import Column, Count, Money, Number, NumberSeries, Points, Share, Values
from ..data.reference import COUNTRIES, COUNTRY_CODES, DOMAIN_TYPOS
from ..measures.nps import nps
from . import Mistake, ModuleData, Question, QuestionBank

BANK = QuestionBank("data_disorder")


# --- the stated cleaning rules ------------------------------------------------------------------------

def clean_emails(emails: pd.Series) -> pd.Series:
    """Rule 1: strip the spaces around, lower-case, then replace a known typo'd domain by the right one."""
    cleaned = emails.str.strip().str.lower()
    for wrong, right in DOMAIN_TYPOS.items():
        cleaned = cleaned.str.replace(f"@{re.escape(wrong)}$", f"@{right}", regex=True)
    return cleaned


# A check and its mistakes reuse the same derived tables: build each once per loaded data set
# (ModuleData hashes by identity and already holds its frames for its whole life).
@lru_cache(maxsize=4)
def _customers(data: ModuleData) -> pd.DataFrame:
    crm = data["crm_export"]
    crm["email"] = clean_emails(crm["email"])
    return crm.dropna(subset=["email"]).drop_duplicates("email").reset_index(drop=True)


def customers(data: ModuleData) -> pd.DataFrame:
    """One row per customer: CRM rows with a cleaned e-mail, first row kept for each address."""
    return _customers(data).copy()


def country_codes(countries: pd.Series) -> pd.Series:
    """Rule 2: strip, upper-case, then translate with COUNTRY_CODES (two-letter codes stay as they are)."""
    return countries.str.strip().str.upper().replace(COUNTRY_CODES)


def amounts(texts: pd.Series) -> pd.Series:
    """Rule 3: keep digits, commas and dots; a comma is a decimal point; empty stays empty."""
    return texts.str.replace(r"[^0-9,.]", "", regex=True).str.replace(",", ".", regex=False).astype(float)


@lru_cache(maxsize=4)
def _orders_once(data: ModuleData) -> pd.DataFrame:
    orders = data["orders_export"].drop_duplicates("order_id")
    return orders.assign(amount=amounts(orders["amount"]), customer_email=clean_emails(orders["customer_email"]))


def orders_once(data: ModuleData) -> pd.DataFrame:
    """The orders, each order_id once, with amounts as numbers and cleaned e-mails."""
    return _orders_once(data).copy()


# --- expectations -------------------------------------------------------------------------------------

def unique_customers(data: ModuleData) -> int:
    """Distinct cleaned e-mails in the CRM; rows without an e-mail are left out."""
    return int(clean_emails(data["crm_export"]["email"]).nunique())


def customers_by_country(data: ModuleData) -> pd.Series:
    """Customers (one row each) per two-letter country code."""
    return country_codes(customers(data)["country"]).value_counts()


def total_revenue(data: ModuleData) -> float:
    """Sum of all amounts, each order counted once; empty amounts count as nothing."""
    return float(orders_once(data)["amount"].sum())


def revenue_per_customer(data: ModuleData) -> float:
    """Revenue of orders placed by CRM customers, divided by the number of CRM customers."""
    people = customers(data)
    orders = orders_once(data)
    return float(orders.loc[orders["customer_email"].isin(people["email"]), "amount"].sum() / len(people))


def dashboard_wait(data: ModuleData) -> float:
    """Average queue time of answered calls: the number on the dashboard."""
    calls = data["service_calls"]
    return float(calls.loc[calls["outcome"] == "answered", "queue_seconds"].mean())


def honest_wait_p90(data: ModuleData) -> float:
    """90th percentile of queue time over all calls, hang-ups counted until they hung up."""
    return float(data["service_calls"]["queue_seconds"].quantile(0.9))


def abandoned_share(data: ModuleData) -> float:
    """Share of calls where the caller hung up before anyone answered."""
    return float((data["service_calls"]["outcome"] == "abandoned").mean())


def _respondents(data: ModuleData, people: pd.DataFrame) -> pd.DataFrame:
    emails = data["email_export"].dropna(subset=["nps_score"])
    emails["email"] = clean_emails(emails["email"])
    return emails.merge(people[["email", "segment"]], on="email", how="inner")


def nps_by_segment(data: ModuleData) -> pd.Series:
    """NPS of the survey answers, per CRM segment, in points."""
    answers = _respondents(data, customers(data))
    return answers.groupby("segment")["nps_score"].apply(nps)


# --- common wrong paths, as the answers they lead to -------------------------------------------------

def _strip_lower(emails: pd.Series) -> pd.Series:
    return emails.str.strip().str.lower()


def customers_counted_as_typed(data) -> int:
    """Distinct e-mails exactly as typed."""
    return int(data["crm_export"]["email"].nunique())


def customers_without_typo_fix(data) -> int:
    """Distinct e-mails stripped and lower-cased, known typos left in."""
    return int(_strip_lower(data["crm_export"]["email"]).nunique())


def customers_not_stripped(data) -> int:
    """Distinct e-mails lower-cased but not stripped of spaces."""
    return int(data["crm_export"]["email"].str.lower().nunique())


def countries_of_rows(data) -> pd.Series:
    """Countries counted over CRM rows instead of customers."""
    return country_codes(data["crm_export"]["country"]).value_counts()


def countries_half_deduped(data) -> pd.Series:
    """Customers per country, duplicates dropped before the typos were fixed."""
    crm = data["crm_export"]
    crm["email"] = _strip_lower(crm["email"])
    once = crm.dropna(subset=["email"]).drop_duplicates("email")
    return country_codes(once["country"]).value_counts()


def revenue_with_copies(data) -> float:
    """Every row of the orders export summed, repeated orders included."""
    return float(amounts(data["orders_export"]["amount"]).sum())


def revenue_commas_dropped(data) -> float:
    """Amounts whose decimal comma was deleted instead of turned into a point."""
    orders = data["orders_export"].drop_duplicates("order_id")
    digits = orders["amount"].str.replace(r"[^0-9.]", "", regex=True)
    return float(pd.to_numeric(digits, errors="coerce").sum())


def customer_revenue(data) -> float:
    """Revenue of the orders placed by CRM customers."""
    people = customers(data)
    orders = orders_once(data)
    return float(orders.loc[orders["customer_email"].isin(people["email"]), "amount"].sum())


def revenue_joined_to_every_row(data) -> float:
    """Revenue per customer with orders joined to every CRM row (a person's orders repeated)."""
    crm = data["crm_export"]
    crm["email"] = clean_emails(crm["email"])
    joined = orders_once(data).merge(crm.dropna(subset=["email"])[["email"]], left_on="customer_email", right_on="email")
    return float(joined["amount"].sum() / unique_customers(data))


def buyers(data) -> int:
    """CRM customers who placed at least one order."""
    people = customers(data)
    orders = orders_once(data)
    return int(orders.loc[orders["customer_email"].isin(people["email"]), "customer_email"].nunique())


def answered_calls(data) -> pd.DataFrame:
    """The calls an agent answered."""
    calls = data["service_calls"]
    return calls[calls["outcome"] == "answered"]


def nps_on_every_crm_row(data) -> pd.Series:
    """NPS per segment with answers joined to every CRM row (a person's answer repeated)."""
    crm = data["crm_export"]
    crm["email"] = clean_emails(crm["email"])
    answers = _respondents(data, crm.dropna(subset=["email"]))
    return answers.groupby("segment")["nps_score"].apply(nps)


def mean_score_by_segment(data) -> pd.Series:
    """The average survey score per segment instead of its NPS."""
    return _respondents(data, customers(data)).groupby("segment")["nps_score"].mean()


def _mistakes(*pairs) -> tuple[Mistake, ...]:
    return tuple(Mistake(answer, message) for answer, message in pairs)


BANK.add(Question(
    id="unique_customers", variable="n_customers",
    prompt="Number of real customers in the CRM: distinct e-mails after cleaning them "
           "(strip spaces, lower-case, fix the known domain typos); rows with no e-mail are left out.",
    kind=Count(),
    expected=unique_customers,
    hints=(
        "Start from `crm['email']`. Text columns have string methods under `.str`: "
        "`crm['email'].str.strip().str.lower()` removes the spaces around and the capitals.",
        "Then fix the typos, one known typo at a time: `for wrong, right in DOMAIN_TYPOS.items(): "
        "emails = emails.str.replace('@' + wrong, '@' + right)`.",
        "Count the different addresses with `.nunique()`: it leaves out empty cells by itself.",
    ),
    mistakes=_mistakes(
        (lambda d: len(d["crm_export"]),
         "That is the number of rows in the CRM, not of people: one person can have several rows."),
        (customers_counted_as_typed,
         "You counted the e-mails exactly as they were typed. 'Ana@Gmail.com' and 'ana@gmail.com ' are the "
         "same person: clean the addresses first (strip, lower-case, fix the known typos)."),
        (customers_without_typo_fix,
         "Close: spaces and capitals are gone, but some addresses still carry a known domain typo "
         "(for example gmial.com). Replace each typo in DOMAIN_TYPOS by the right domain, then count."),
        (customers_not_stripped,
         "Some addresses have spaces before or after them: add `.str.strip()` before counting."),
        (lambda d: unique_customers(d) + 1,
         "One too many: a missing e-mail is not a customer. `.nunique()` leaves empty cells out; "
         "`drop_duplicates` keeps one of them, so drop the empty rows first with `.dropna()`."),
    ),
    done="Every other number in this module is divided by this one: it had better be right.",
))

BANK.add(Question(
    id="customers_by_country", variable="customers_per_country",
    prompt="Number of customers per country, one row per customer (first CRM row kept for each cleaned "
           "e-mail), countries as two-letter codes (strip, upper-case, translate with COUNTRY_CODES).",
    kind=NumberSeries(values=Count(), index="two-letter country code", items="countries",
                      universe=Values(tuple(COUNTRIES), advice="Some may still be written in another style (like "
                                      "'FRA', 'France' or 'fr'): strip, upper-case, then `.replace(COUNTRY_CODES)`.")),
    expected=customers_by_country,
    hints=(
        "Build a table of customers first: put the cleaned e-mails in the `email` column, drop the rows without "
        "an e-mail (`.dropna(subset=['email'])`), then keep one row per e-mail (`.drop_duplicates('email')`).",
        "Country styles: `customers['country'].str.strip().str.upper().replace(COUNTRY_CODES)` turns "
        "'France', ' fr', 'FRA' and 'FRANCE' into 'FR'.",
        "`.value_counts()` on that column gives a Series of counts indexed by country code.",
    ),
    mistakes=_mistakes(
        (countries_of_rows,
         "You counted CRM rows, not customers: a person with two rows is counted twice. Keep one row "
         "per cleaned e-mail first."),
        (countries_half_deduped,
         "Almost: some duplicates are still in. Fix the known domain typos before dropping duplicates."),
    ),
))

BANK.add(Question(
    id="total_revenue", variable="revenue",
    prompt="Total revenue of the orders export in euros: each order_id counted once, amounts turned into "
           "numbers (keep digits, commas and dots; a comma is a decimal point); empty amounts count as nothing.",
    kind=Money(low=0),
    expected=total_revenue,
    hints=(
        "Some orders appear twice: `orders.drop_duplicates('order_id')` keeps each one once.",
        "To turn '1 234,50 €' into 1234.5: `.str.replace(r'[^0-9,.]', '', regex=True)` removes everything "
        "except digits, commas and dots; `.str.replace(',', '.')` makes the comma a decimal point; "
        "`.astype(float)` makes it a number.",
        "Add the amounts up with `.sum()`: empty amounts are skipped.",
    ),
    mistakes=_mistakes(
        (revenue_with_copies,
         "Some orders appear twice in the export (same order_id). Count each order once: "
         "`.drop_duplicates('order_id')`."),
        (revenue_commas_dropped,
         "Your total is far too high: '49,90' became 4990 instead of 49.90. Turn the comma into a dot "
         "instead of deleting it."),
    ),
    done="A report that sums the raw export would show a different number, and nobody would notice.",
))

BANK.add(Question(
    id="revenue_per_customer", variable="revenue_per_customer",
    prompt="Revenue per customer from the joined view: the amounts of orders whose cleaned e-mail belongs "
           "to a CRM customer, added up and divided by the number of customers (those who ordered nothing "
           "count too). Guest orders (e-mails not in the CRM) are left out.",
    kind=Money(decimals=2, low=0),
    expected=revenue_per_customer,
    hints=(
        "Clean `orders['customer_email']` with the same rule as the CRM e-mails (strip, lower-case, fix typos).",
        "Keep the orders of CRM customers: `orders_clean[orders_clean['customer_email'].isin(customers['email'])]` "
        "(or `.merge(customers, left_on='customer_email', right_on='email')`).",
        "Divide the sum of their amounts by the number of customers (your answer to exercise 1).",
    ),
    mistakes=_mistakes(
        (lambda d: total_revenue(d) / unique_customers(d),
         "You kept the guest orders too: only orders whose e-mail is a CRM customer's belong here."),
        (lambda d: customer_revenue(d) / len(d["crm_export"]),
         "You divided by the number of CRM rows. Divide by the number of customers: one per cleaned e-mail."),
        (lambda d: customer_revenue(d) / buyers(d),
         "You divided by the customers who ordered. Customers who ordered nothing count too: divide by all of them."),
        (revenue_joined_to_every_row,
         "Some orders were counted twice: joining to a table with two rows for one person repeats that "
         "person's orders. Join to one row per customer."),
    ),
))

BANK.add(Question(
    id="dashboard_wait", variable="dashboard_wait",
    prompt="The dashboard's number: the average queue_seconds of the answered calls.",
    kind=Number(unit="seconds", decimals=1, low=0),
    expected=dashboard_wait,
    hints=(
        "Keep the answered calls: `calls[calls['outcome'] == 'answered']`.",
        "Take the `.mean()` of their `queue_seconds`.",
    ),
    mistakes=_mistakes(
        (lambda d: d["service_calls"]["queue_seconds"].mean(),
         "You averaged every call. The dashboard only counts answered calls: keep outcome == 'answered'."),
        (lambda d: answered_calls(d)["queue_seconds"].median(),
         "That is the median. The dashboard shows the average: `.mean()`."),
    ),
    done="Green on the dashboard.",
))

BANK.add(Question(
    id="honest_wait_p90", variable="honest_wait",
    prompt="The callers' number: the 90th percentile of queue_seconds over all calls, abandoned ones "
           "included (use `.quantile(0.9)`).",
    kind=Number(unit="seconds", decimals=0, low=0),
    expected=honest_wait_p90,
    hints=(
        "Do not filter: the callers who hung up waited too, and `queue_seconds` already says for how long.",
        "`calls['queue_seconds'].quantile(0.9)`: 9 calls in 10 waited less than this.",
    ),
    mistakes=_mistakes(
        (lambda d: answered_calls(d)["queue_seconds"].quantile(0.9),
         "You left out the callers who hung up. They waited too: use every call."),
        (lambda d: d["service_calls"]["queue_seconds"].mean(),
         "That is the average wait. Asked here: the 90th percentile, `.quantile(0.9)`."),
        (dashboard_wait,
         "That is the dashboard's number again. Use all calls and the 90th percentile."),
        (lambda d: d["service_calls"]["queue_seconds"].quantile(0.1),
         "That is the 10th percentile. The 90th is `.quantile(0.9)`."),
    ),
    done="Same calls, same month: the dashboard and the callers tell two different stories.",
))

BANK.add(Question(
    id="abandoned_share", variable="abandoned_share",
    prompt="Share of calls where the caller hung up before an agent answered (between 0 and 1).",
    kind=Share(),
    expected=abandoned_share,
    hints=(
        "`calls['outcome'] == 'abandoned'` is True for each hang-up.",
        "The `.mean()` of True/False values is the share of True.",
    ),
    mistakes=_mistakes(
        (lambda d: 1 - abandoned_share(d), "That is the share of calls that were answered. Asked: the share abandoned."),
    ),
))

BANK.add(Question(
    id="nps_by_segment", variable="nps_segment",
    prompt="NPS in points (-100 to 100) of the survey answers per CRM segment: join the e-mail export's "
           "answers to one row per customer on the cleaned e-mail, then % of 9-10 minus % of 0-6 per segment.",
    kind=NumberSeries(values=Points(decimals=1), index="segment", items="segments",
                      universe=Column("crm_export", "segment")),
    expected=nps_by_segment,
    hints=(
        "Keep the people who answered: `emails.dropna(subset=['nps_score'])`. Then bring in each one's segment "
        "with `.merge(customers[['email', 'segment']], on='email')`.",
        "For one group of scores `s`: `100 * ((s >= 9).mean() - (s <= 6).mean())`.",
        "Per segment: `answers.groupby('segment')['nps_score'].apply(lambda s: 100 * ((s >= 9).mean() - (s <= 6).mean()))`.",
    ),
    mistakes=_mistakes(
        (mean_score_by_segment,
         "That is the average score per segment. NPS counts people: % of 9-10 minus % of 0-6."),
        (nps_on_every_crm_row,
         "Some answers were counted twice: you joined to CRM rows, and a person with two rows brings "
         "their answer twice. Join to one row per customer."),
    ),
    done="Each segment tells its own story; the average of everyone hides it.",
))
