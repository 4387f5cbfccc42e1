"""Module 3's four datasets as the catalogue lists them: how each is made, its columns and its planted mess."""
from __future__ import annotations

from ..reference import DOMAIN_TYPOS
from ..registry import Column, DatasetSpec, register
from .calls import CALLS_PER_CUSTOMER_YEAR, make_service_calls
from .crm import make_crm_export
from .emails import make_email_export
from .orders import make_orders_export
from .people import CRM_ENCODING

_PER_YEAR = ", ".join(f"{n:g} ({p.replace('_', ' ')})" for p, n in CALLS_PER_CUSTOMER_YEAR.items())
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
        Column("nps_score", "0-10", "Answer to 'How likely is it that you would recommend us to a friend or colleague?' (0 to 10); empty if not answered."),
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
        "Twenty weekdays of calls from 9:00 to 18:00, busiest mid-morning, between about 160 and 220 a "
        "day (more for larger companies), simulated with the queue model of this module's first "
        "simulation: first come, first served, a fixed number of agents, talk times lognormal around 4 "
        "minutes, and each caller's patience lognormal around 100 seconds. The roster is the smallest one "
        "whose dashboard (average wait of answered calls) shows half the 60-second target or less. The "
        "line serves every customer and prospect of the company, not only the people in the CRM export: "
        "a CRM customer rings it a few times a year at most (the course's assumption, in calls per "
        f"customer per year: {_PER_YEAR}), so most calls come from people who are not in the CRM export."
    ),
    quirks=(
        "For an abandoned call, `queue_seconds` is how long the caller waited before giving up.",
        "Most calls come from people who are not in the CRM export (shop customers, prospects) or from "
        "numbers the system did not recognise: `customer_email` is empty for them.",
    ),
))
