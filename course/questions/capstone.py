"""Module 6 questions: the modules' own computations, applied to the capstone's fresh company.

Nothing is computed twice: each expectation is a module's expectation function run on the capstone
datasets (seen under the modules' dataset names), and each module's common mistakes are recognised
here too.
"""
from __future__ import annotations

from ..checks import Column, Label, Money, Number, NumberSeries, Points, Share
from ..data.capstone import PREFIX
from . import Mistake, ModuleData, Question, QuestionBank
from . import algorithm_faith, data_disorder, persona_critique, reconnection, tool_overload

BANK = QuestionBank("capstone")


class CapstoneData:
    """The capstone's datasets under the modules' names, so the modules' functions apply unchanged."""

    def __init__(self, data: ModuleData):
        self._data = data

    def __getitem__(self, name: str):
        return self._data[PREFIX + name]


def on_capstone(source: Question) -> tuple[Mistake, ...]:
    """A module question's mistakes (their alternative answers), computed on the capstone's data."""
    return tuple(Mistake(lambda data, answer=m.answer: answer(CapstoneData(data)), m.message)
                 for m in source.mistakes)


def shelfware_savings(data: ModuleData) -> float:
    """Module 1: what retiring every tool under 20% utilisation saves per year."""
    return tool_overload.shelfware_savings(CapstoneData(data))


def persona_fit(data: ModuleData):
    """Module 2: share of customers matching each persona card on all six attributes."""
    return persona_critique.fit_on_all(CapstoneData(data))


def honest_wait(data: ModuleData) -> float:
    """Module 3: the 90th percentile of queue time over all calls, hang-ups included."""
    return data_disorder.honest_wait_p90(CapstoneData(data))


def incremental_share(data: ModuleData) -> float:
    """Module 4: share of the platform's attributed purchases that the ads really caused."""
    return algorithm_faith.incremental_share(CapstoneData(data))


def nps(data: ModuleData) -> float:
    """Module 5: NPS of the answers that have a score."""
    return reconnection.nps(CapstoneData(data))


def top_detractor_theme(data: ModuleData) -> str:
    """Module 5: the theme detractors mention most, by the keyword rule."""
    return reconnection.top_detractor_theme(CapstoneData(data))


def expected_return(data: ModuleData) -> float:
    """Module 5: what a budget split by relationship tier should bring back."""
    return reconnection.expected_return(CapstoneData(data))


def _module_question(module, qid: str) -> Question:
    return module.BANK.get(qid)


BANK.add(Question(
    id="audit_shelfware_savings", variable="savings",
    prompt="Stack (module 1): the total annual cost of the tools used by fewer than 20% of their seats.",
    kind=Money(low=0),
    expected=shelfware_savings,
    hints=(
        "Utilisation is `stack['monthly_active_users'] / stack['seats']`; shelfware is under 0.2.",
        "Sum `annual_cost` over those rows.",
    ),
    mistakes=on_capstone(_module_question(tool_overload, "shelfware_savings")),
    done="That is money a renewal date could free.",
))

BANK.add(Question(
    id="audit_persona_fit", variable="persona_fit",
    prompt="Segments (module 2): for each persona card, the share of customers matching it on all six "
           "attributes at once.",
    kind=NumberSeries(values=Share(decimals=4), index="persona name", items="personas",
                      universe=Column(PREFIX + "persona_cards", "persona")),
    expected=persona_fit,
    hints=(
        "A customer matches a card when age is between age_min and age_max, purchases_per_year between "
        "purchases_min and purchases_max (both ends included, `.between()`), and income_band, region, "
        "channel and favourite_category are equal to the card's.",
        "Combine the six True/False tests with `&`; `.mean()` gives the share. Loop over "
        "`personas.iterrows()` for the cards.",
        "Collect the shares in a dict keyed by `card['persona']`, then `pd.Series(that_dict)`.",
    ),
    mistakes=on_capstone(_module_question(persona_critique, "persona_fit_all")),
))

BANK.add(Question(
    id="audit_honest_wait", variable="honest_wait",
    prompt="Data (module 3): the callers' number, the 90th percentile of queue_seconds over all calls, "
           "abandoned ones included.",
    kind=Number(unit="seconds", decimals=0, low=0),
    expected=honest_wait,
    hints=(
        "Do not filter the calls: people who hung up waited too.",
        "`calls['queue_seconds'].quantile(0.9)`.",
    ),
    mistakes=on_capstone(_module_question(data_disorder, "honest_wait_p90")),
))

BANK.add(Question(
    id="audit_incremental_share", variable="incremental_share",
    prompt="Campaigns (module 4): the share of the purchases the platform attributes to retargeting that "
           "the ads really caused, measured with the holdout.",
    kind=Share(decimals=3),
    expected=incremental_share,
    hints=(
        "Purchase rate per group: `holdout.groupby('group')['converted'].mean()`.",
        "Purchases caused = (exposed rate - holdout rate) x number of exposed users.",
        "Divide that by the purchases the platform claims: `holdout['platform_attributed'].sum()`.",
    ),
    mistakes=on_capstone(_module_question(algorithm_faith, "incremental_share")),
))

BANK.add(Question(
    id="audit_nps", variable="nps",
    prompt="Customers (module 5): the Net Promoter Score of the answers that have a score (-100 to 100).",
    kind=Points(decimals=1),
    expected=nps,
    hints=(
        "Drop the answers without a score first: `verbatims['score'].dropna()`.",
        "100 x (share of 9-10 minus share of 0-6).",
    ),
    mistakes=on_capstone(_module_question(reconnection, "nps")),
))

BANK.add(Question(
    id="audit_top_detractor_theme", variable="top_theme",
    prompt="Customers (module 5): the theme of THEME_KEYWORDS that detractors (scores 0-6) mention most.",
    kind=Label(what="theme", universe=reconnection.THEMES),
    expected=top_detractor_theme,
    hints=(
        "Keep the comments scored 0 to 6.",
        "For each theme, count the comments where `text.str.contains('|'.join(words), case=False)`; "
        "take the theme with the largest count (`.idxmax()`).",
    ),
    mistakes=on_capstone(_module_question(reconnection, "top_detractor_theme")),
))

BANK.add(Question(
    id="audit_expected_return", variable="new_return",
    prompt="Budget (module 5): the revenue the relationship rule's budget should bring back "
           "(sum over tiers of new budget x return_per_euro).",
    kind=Money(low=0),
    expected=expected_return,
    hints=(
        "Tiers first: advocate if referrals_last_year >= 1; else loyal if tenure_years >= 3 and "
        "purchases_last_year >= its median; else occasional. Count customers per tier.",
        "Budget: prospects get 10% of `budget['current_budget'].sum()`; the other 90% is split in proportion "
        "to customers x weight (occasional 1, loyal 2, advocate 3).",
        "Multiply each tier's new budget by its `return_per_euro` (`budget.set_index('tier')`) and add up.",
    ),
    mistakes=on_capstone(_module_question(reconnection, "expected_return")),
))
