"""Sources for the benchmarks the synthetic companies are scaled on (how big a budget, a stack)."""
from __future__ import annotations

from .model import PART_PRIMARY, Reference, Source

GARTNER_CMO_SPEND_2024 = Source(
    id="gartner_cmo_spend_2024",
    citation=(
        "Gartner, \"Gartner's Annual CMO Spend Survey Reveals 2024 Average Budgets Have Fallen by 15%, As CMOs "
        "Pursue Growth in the 'Era of Less'\", press release, May 2024"
    ),
    claim=(
        "In Gartner's 2024 CMO Spend Survey (395 CMOs and marketing leaders in North America and Northern and "
        "Western Europe, February-March 2024), marketing budgets averaged 7.7% of company revenue, down from 9.1% "
        "in 2023. MarTech, reporting the survey's figures, put marketing technology at 23.8% of the marketing "
        "budget, down from 25.4%."
    ),
    primary=Reference(
        author="Gartner, Inc.",
        title="Gartner's Annual CMO Spend Survey Reveals 2024 Average Budgets Have Fallen by 15%, As CMOs Pursue "
              "Growth in the 'Era of Less'",
        publisher="press release", year="May 2024",
        read="full text as reproduced by Insurance-Canada.ca; the gartner.com page itself not opened; the "
             "release gives the martech share only in a figure",
    ),
    access=PART_PRIMARY,
    secondary=(
        Reference(author="Insurance-Canada.ca", title="reproduction of the Gartner press release", year="12 June 2024",
                  url="https://www.insurance-canada.ca/2024/06/12/gartner-cmo-survey-marketing-budgets-decline/"),
        Reference(author="MarTech", title="Martech cut of budget falls to lowest level in 10 years", year="2024",
                  url="https://martech.org/martech-spending-falls-to-lowest-level-in-10-years/",
                  read="the 23.8% (2024) and 25.4% (2023) martech shares of the marketing budget"),
    ),
    cannot_tell=(
        "Averages over mostly large companies (the release gives a median annual revenue above 5.3 billion US "
        "dollars): a small company's shares can differ a lot, and a survey of budgets says nothing about what "
        "the spending achieves."
    ),
    note=(
        "Module 6 scales its company on it: a marketing budget of 6-9% of revenue, and tool licences costing "
        "10-18% of that budget, below the survey's share for all marketing technology."
    ),
)

BENCHMARKS = (GARTNER_CMO_SPEND_2024,)
