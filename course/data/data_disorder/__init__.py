"""Module 3 datasets: four exports from four tools that disagree about the same customers.

One set of real people (`people.people`) is drawn once per seed and profile; each export then shows
them the way its tool does, with mess planted on purpose:

- `crm`: the CRM contacts (duplicates, capitals, typos, day-first dates, countries in many styles);
- `orders`: the online shop's orders (two clocks, amounts as text, orders exported twice, guests);
- `calls`: the customer-service line, written by the queue model of course.measures.queue;
- `emails`: the e-mail platform (machine opens, mojibake names, the NPS survey);
- `specs`: the four data cards, registered in the catalogue on import.

What was planted and the true answers are assembled on the trusted side, next to the answer key
(course.questions.data_disorder_truth), never here: tests use them to prove that the cleaning rules
stated in the notebook recover the truth.
"""
from __future__ import annotations

from ..reference import COUNTRIES, COUNTRY_CODES, DOMAIN_TYPOS
from . import specs  # noqa: F401  (registers the four datasets)
from .calls import make_service_calls
from .crm import make_crm_export
from .emails import make_email_export
from .orders import make_orders_export
from .people import CRM_ENCODING, SEGMENTS

__all__ = ["COUNTRIES", "COUNTRY_CODES", "CRM_ENCODING", "DOMAIN_TYPOS", "SEGMENTS", "make_crm_export",
           "make_email_export", "make_orders_export", "make_service_calls"]
