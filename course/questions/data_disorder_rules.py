"""Module 3's stated rules and expected answers (trusted side): what the notebook asks, as functions of the data.

The cleaning rules are the ones the notebook states word for word; tests/test_data_disorder.py proves
that, applied to the exports, they recover the generators' truth (course.questions.data_disorder_truth).
The question bank (course.questions.data_disorder) declares the questions on top of these.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from ..data.reference import COUNTRY_CODES, DOMAIN_TYPOS
from ..measures.nps import nps
from ..measures.queue import CallCentre
from . import ModuleData

TARGET_S = CallCentre().target_s   # the promise: answered within a minute


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
    """Customers (one row each) per two-letter country code (shown in the notebook, not graded)."""
    return country_codes(customers(data)["country"]).value_counts()


def total_revenue(data: ModuleData) -> float:
    """Sum of all amounts, each order counted once; empty amounts count as nothing."""
    return float(orders_once(data)["amount"].sum())


def customer_spend(data: ModuleData) -> pd.Series:
    """What each CRM customer spent over the year (0 for those who bought nothing), by cleaned e-mail."""
    people = customers(data)
    orders = orders_once(data)
    spent = orders[orders["customer_email"].isin(people["email"])].groupby("customer_email")["amount"].sum()
    return spent.reindex(people["email"], fill_value=0.0)


def revenue_per_customer(data: ModuleData) -> float:
    """Revenue of orders placed by CRM customers, divided by the number of CRM customers."""
    return float(customer_spend(data).mean())


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


def promise_kept(data: ModuleData) -> float:
    """Share of all calls answered within the promise (60 seconds or less); a hang-up is a broken promise."""
    calls = data["service_calls"]
    return float(((calls["outcome"] == "answered") & (calls["queue_seconds"] <= TARGET_S)).mean())


def respondents(data: ModuleData, people: pd.DataFrame | None = None) -> pd.DataFrame:
    """The survey answers with a score, each joined to its person's segment (one row per customer)."""
    emails = data["email_export"].dropna(subset=["nps_score"])
    emails["email"] = clean_emails(emails["email"])
    people = customers(data) if people is None else people
    return emails.merge(people[["email", "segment"]], on="email", how="inner")


def nps_by_segment(data: ModuleData) -> pd.Series:
    """NPS of the survey answers, per CRM segment, in points."""
    return respondents(data).groupby("segment")["nps_score"].apply(nps)
