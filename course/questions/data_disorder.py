"""Module 3 questions: clean four exports into one customer view, then recompute the flattering numbers.

The rules and expected answers are in course.questions.data_disorder_rules (the notebook states them
word for word); this file declares the questions, their common wrong paths and the model answer.
"""
from __future__ import annotations

import pandas as pd

from ..checks import Column, Count, Money, Number, NumberSeries, Points, Share
from ..measures.nps import DETRACTOR_UP_TO, PROMOTER_FROM, nps
from . import Mistake, ModuleData, Question, QuestionBank
from .data_disorder_rules import (TARGET_S, abandoned_share, amounts, clean_emails, country_codes,  # noqa: F401
                                  customer_spend, customers, customers_by_country, dashboard_wait,
                                  honest_wait_p90, nps_by_segment, orders_once, promise_kept, respondents,
                                  revenue_per_customer, total_revenue, unique_customers)

BANK = QuestionBank("data_disorder")


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
    return float(customer_spend(data).sum())


def revenue_checkout_emails_as_typed(data) -> float:
    """Revenue per customer with the checkout e-mails left as typed (orders of customers who typed them
    differently are lost)."""
    orders = data["orders_export"].drop_duplicates("order_id")
    people = customers(data)
    kept = orders[orders["customer_email"].isin(people["email"])]
    return float(amounts(kept["amount"]).sum() / len(people))


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


def promise_kept_among_answered(data) -> float:
    """The promise's share over answered calls only (hang-ups left out of the count)."""
    return float((answered_calls(data)["queue_seconds"] <= TARGET_S).mean())


def promise_kept_ignoring_outcome(data) -> float:
    """Calls that waited a minute or less, whether or not anyone answered."""
    return float((data["service_calls"]["queue_seconds"] <= TARGET_S).mean())


def _nps_with(promoter, detractor):
    """An NPS with other cut-offs: `promoter(s)` and `detractor(s)` say who counts as what."""
    return lambda s: float(100 * (promoter(s).mean() - detractor(s).mean()))


def nps_on_every_crm_row(data) -> pd.Series:
    """NPS per segment with answers joined to every CRM row (a person's answer repeated)."""
    crm = data["crm_export"]
    crm["email"] = clean_emails(crm["email"])
    return respondents(data, crm.dropna(subset=["email"])).groupby("segment")["nps_score"].apply(nps)


def nps_with_silent_people(data) -> pd.Series:
    """NPS per segment with the people who did not answer left in (counted as neither side)."""
    emails = data["email_export"]
    emails["email"] = clean_emails(emails["email"])
    joined = emails.merge(customers(data)[["email", "segment"]], on="email")
    return joined.groupby("segment")["nps_score"].apply(
        _nps_with(lambda s: s.fillna(0) >= PROMOTER_FROM, lambda s: s.fillna(99) <= DETRACTOR_UP_TO))


def nps_six_left_out(data) -> pd.Series:
    """NPS per segment with detractors taken as 0-5 (the boundary 6 left out)."""
    return respondents(data).groupby("segment")["nps_score"].apply(
        _nps_with(lambda s: s >= PROMOTER_FROM, lambda s: s < DETRACTOR_UP_TO))


def nps_nine_left_out(data) -> pd.Series:
    """NPS per segment with promoters taken as 10 only (the boundary 9 left out)."""
    return respondents(data).groupby("segment")["nps_score"].apply(
        _nps_with(lambda s: s > PROMOTER_FROM, lambda s: s <= DETRACTOR_UP_TO))


def mean_score_by_segment(data) -> pd.Series:
    """The average survey score per segment instead of its NPS."""
    return respondents(data).groupby("segment")["nps_score"].mean()


def _mistakes(*pairs) -> tuple[Mistake, ...]:
    return tuple(Mistake(answer, message) for answer, message in pairs)


BANK.add(Question(
    id="unique_customers", variable="n_customers",
    prompt="Number of real customers in the CRM: build `customers`, one row per cleaned e-mail (strip spaces, "
           "lower-case, fix the known domain typos; rows with no e-mail left out; the first row of each e-mail "
           "kept), and count its rows.",
    kind=Count(),
    expected=unique_customers,
    hints=(
        "Follow the worked example with `signups` line by line: start with `customers = crm.copy()`, then clean "
        "`customers['email']` the same way, with `DOMAIN_TYPOS` instead of `fixes`.",
        "The typo fix is a loop: `for wrong, right in DOMAIN_TYPOS.items():` and, indented under it, "
        "`customers['email'] = customers['email'].str.replace('@' + wrong, '@' + right)`.",
        "Then `customers = customers.dropna(subset=['email']).drop_duplicates('email')` and "
        "`n_customers = len(customers)`.",
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
         "One too many: a missing e-mail is not a customer. `drop_duplicates` keeps one of the empty rows: "
         "drop the empty rows first with `.dropna(subset=['email'])`."),
        (lambda d: len(d["crm_export"].drop_duplicates("email")),
         "You kept one row per e-mail exactly as typed: 'Ana@Gmail.com' and 'ana@gmail.com ' are the same "
         "person. Clean `customers['email']` first (strip, lower-case, fix the known typos), then drop the empty "
         "rows and the duplicates."),
        (lambda d: int(d["crm_export"]["email"].notna().sum()),
         "You left out the rows without an e-mail but kept every copy: keep one row per e-mail with "
         "`.drop_duplicates('email')`."),
    ),
    done="Every other number in this module is divided by this one: it had better be right.",
    example="the worked example 'Cleaning a key' just above",
))

BANK.add(Question(
    id="total_revenue", variable="revenue",
    prompt="Total revenue of the orders export: build `orders_clean`, each order_id once with its amount "
           "turned into a number (keep digits, commas and dots; a comma is a decimal point), then add the "
           "amounts up; empty amounts count as nothing.",
    kind=Money(unit="euros", low=0),
    expected=total_revenue,
    hints=(
        "Same steps as the worked example with `receipts`: first "
        "`orders_clean = orders.drop_duplicates('order_id').copy()`, so each order counts once.",
        "Then `orders_clean['amount'] = orders_clean['amount'].str.replace(r'[^0-9,.]', '', regex=True)"
        ".str.replace(',', '.').astype(float)`.",
        "Add the amounts up with `orders_clean['amount'].sum()`: empty amounts are skipped.",
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
    example="the worked example 'Turning text into numbers' just above",
))

BANK.add(Question(
    id="revenue_per_customer", variable="revenue_per_customer",
    prompt="Revenue per customer: clean `orders_clean['customer_email']` with the rule of exercise 1, keep the "
           "orders whose e-mail is one of your `customers`' e-mails, add up their amounts and divide by the "
           "number of customers (those who ordered nothing count too). Guest orders are left out.",
    kind=Money(unit="euros", low=0),
    expected=revenue_per_customer,
    hints=(
        "First the e-mails of the orders, exactly as in exercise 1 but on `orders_clean['customer_email']`: "
        "strip, lower-case, then the loop over `DOMAIN_TYPOS.items()`.",
        "The worked example keeps the members' sales with `sales[sales['email'].isin(members['email'])]`. "
        "Here: `of_customers = orders_clean[orders_clean['customer_email'].isin(customers['email'])]`.",
        "Then `of_customers['amount'].sum() / len(customers)`: every customer counts, also those who bought nothing.",
    ),
    mistakes=_mistakes(
        (lambda d: total_revenue(d) / unique_customers(d),
         "You kept the guest orders too: only orders whose e-mail is a CRM customer's belong here."),
        (lambda d: customer_revenue(d) / len(d["crm_export"]),
         "You divided by the number of CRM rows. Divide by the number of customers: `len(customers)`."),
        (lambda d: customer_revenue(d) / buyers(d),
         "You divided by the customers who ordered. Customers who ordered nothing count too: divide by all of them."),
        (revenue_joined_to_every_row,
         "Some orders were counted twice: joining to a table with two rows for one person repeats that "
         "person's orders. Use `customers`, which has one row per person."),
        (revenue_checkout_emails_as_typed,
         "Some customers typed their e-mail at checkout with capitals, spaces or a typo, so their orders were "
         "left out: clean `orders_clean['customer_email']` with the rule of exercise 1 first."),
    ),
    example="the worked example 'Keeping the rows that match another table' just above",
))

BANK.add(Question(
    id="dashboard_wait", variable="dashboard_wait",
    prompt="The dashboard's number: the average queue_seconds of the answered calls.",
    kind=Number(unit="seconds", decimals=0, low=0),
    expected=dashboard_wait,
    hints=(
        "The worked example averages the days of the delivered parcels only: "
        "`deliveries.loc[deliveries['status'] == 'delivered', 'days'].mean()`.",
        "Here the table is `calls`, the condition `calls['outcome'] == 'answered'` and the column `'queue_seconds'`.",
    ),
    mistakes=_mistakes(
        (lambda d: d["service_calls"]["queue_seconds"].mean(),
         "You averaged every call. The dashboard only counts answered calls: keep outcome == 'answered'."),
        (lambda d: answered_calls(d)["queue_seconds"].median(),
         "That is the median. The dashboard shows the average: `.mean()`."),
    ),
    done="Well inside the promise of a minute: the dashboard is green.",
    example="the worked example 'Averaging the rows that meet a condition' just above",
))

BANK.add(Question(
    id="honest_wait_p90", variable="honest_wait",
    prompt="The callers' number: the 90th percentile of queue_seconds over all calls, abandoned ones "
           "included (use `.quantile(0.9)`).",
    kind=Number(unit="seconds", decimals=0, low=0),
    expected=honest_wait_p90,
    hints=(
        "Do not filter: the callers who hung up waited too, and `queue_seconds` already says for how long.",
        "As in the worked example: `calls['queue_seconds'].quantile(0.9)`. 9 calls in 10 waited this long or less.",
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
    example="the worked example 'A percentile' just above",
))

BANK.add(Question(
    id="promise_kept", variable="promise_kept",
    prompt="The promise, counted over every call: the share of all calls (abandoned ones included) that an "
           f"agent answered within {TARGET_S:.0f} seconds (queue_seconds of {TARGET_S:.0f} or less), between 0 and 1.",
    kind=Share(),
    expected=promise_kept,
    hints=(
        "Two conditions must both be true for a call: `(calls['outcome'] == 'answered')` and "
        f"`(calls['queue_seconds'] <= {TARGET_S:.0f})`. Join them with `&`, each in its own parentheses.",
        "As in the worked example, the `.mean()` of True/False values over all the calls is the share of True.",
    ),
    mistakes=_mistakes(
        (promise_kept_among_answered,
         "You counted among the answered calls only. The callers who hung up were promised a minute too: "
         "take the share over every call."),
        (promise_kept_ignoring_outcome,
         "A caller who hung up after 20 seconds waited less than a minute, but nobody answered them. Both "
         "conditions are needed: answered, and 60 seconds or less."),
        (lambda d: 1 - promise_kept(d),
         "That is the share of calls that broke the promise. Asked: the share that kept it."),
        (abandoned_share,
         "That is the share of callers who hung up. Asked: the share answered within the minute."),
    ),
    done="One number the callers who hung up can only pull down: they cannot vanish from it.",
    example="the worked example 'Two conditions at once' just above",
))

BANK.add(Question(
    id="nps_by_segment", variable="nps_segment",
    prompt="NPS in points (-100 to 100) of the survey answers per CRM segment: keep the answers of `emails` "
           "that have a score, join them to `customers` (one row per customer) on the e-mail as `answers`, then "
           "% of 9-10 minus % of 0-6 per segment.",
    kind=NumberSeries(values=Points(decimals=1), index="segment", items="segments",
                      universe=Column("crm_export", "segment")),
    expected=nps_by_segment,
    hints=(
        "Follow the worked example with `answers_demo`: `answers = emails.dropna(subset=['nps_score'])` keeps the "
        "people who answered; `.merge(customers[['email', 'segment']], on='email')` brings in each one's segment.",
        "For one group of scores `s`: `100 * ((s >= 9).mean() - (s <= 6).mean())`.",
        "Per segment: `answers.groupby('segment')['nps_score'].apply(lambda s: 100 * ((s >= 9).mean() - "
        "(s <= 6).mean()))`.",
    ),
    mistakes=_mistakes(
        (mean_score_by_segment,
         "That is the average score per segment. NPS counts people: % of 9-10 minus % of 0-6."),
        (nps_on_every_crm_row,
         "Some answers were counted twice: you joined to CRM rows, and a person with two rows brings "
         "their answer twice. Join to `customers`, one row per customer."),
        (nps_with_silent_people,
         "The people who did not answer are in your count, as if they had answered 7 or 8. Keep only the "
         "rows with a score first: `.dropna(subset=['nps_score'])`."),
        (nps_six_left_out,
         "Almost: a 6 is a detractor too (detractors answer 0 to 6). Use `s <= 6`, not `s < 6`."),
        (nps_nine_left_out,
         "Almost: a 9 is a promoter too (promoters answer 9 or 10). Use `s >= 9`, not `s > 9`."),
    ),
    done="Each segment tells its own story; the average of everyone hides it.",
    example="the worked example 'A score per group' just above",
))


# --- the written answer's model answer ------------------------------------------------------------------

def one_number_model_answer(data: ModuleData) -> str:
    """The written answer 'one number, and one habit', with this data's numbers (one number on the dashboard)."""
    kept, dash = promise_kept(data), dashboard_wait(data)
    busiest = int(pd.to_datetime(data["service_calls"]["started_at"]).dt.hour.value_counts().idxmax())
    return (
        f"*Example:* I would put one number on the dashboard: **the share of calls answered within a minute**, "
        f"counted over every call to the line in the month, so a caller who hung up counts as a broken promise. "
        f"In our data it is {100 * kept:.0f}% this month. The average wait of answered calls ({dash:.0f} seconds) "
        "looks fine because it only averages the people who got through: the callers who waited longest gave "
        "up and dropped out of it. This share keeps them in view; a hang-up can only pull it down.\n\n"
        "It cannot show how long the missed callers waited, why they called, or whether their problem was "
        "solved, and a team could game it by answering fast and then putting people on hold.\n\n"
        f"So every Monday between {busiest}:00 and {busiest + 1}:00, the busiest hour, the head of marketing and I "
        "would call the line ourselves and note the wait, then spend 30 minutes ringing back three customers who hung up the week before. "
        "We would write down their own words, pick one thing to fix before the next Monday, and ask them about "
        "holds, which the number would not show."
    )


MODEL_ANSWERS = {"one_number": one_number_model_answer}
