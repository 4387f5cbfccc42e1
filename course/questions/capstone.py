"""Module 6 questions: the modules' own computations, applied to the capstone's fresh company.

Nothing is computed twice: each expectation is a module's expectation function run on the capstone
datasets (seen under the modules' dataset names), and each module's common mistakes are recognised
here too. The memo's model answer (course.questions.capstone_memo) is written from the same functions.
"""
from __future__ import annotations

from ..checks import Column, Label, Money, Number, NumberSeries, Points, Share
from ..data.capstone import PREFIX
from ..measures.stack import SHELFWARE_LINE, utilisation
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


def module_question(module, qid: str) -> Question:
    """A module's question, by id (a renamed question fails here, loudly, when this bank is imported)."""
    return module.BANK.get(qid)


def company(data: ModuleData) -> dict:
    """The capstone company's card as a dict: name, currency, customers, revenue, marketing budget."""
    return data[PREFIX + "company"].iloc[0].to_dict()


def shelfware_savings(data: ModuleData) -> float:
    """Module 1: what retiring every tool under 20% utilisation saves per year."""
    return tool_overload.shelfware_savings(CapstoneData(data))


def persona_fit(data: ModuleData):
    """Module 2: share of customers matching each persona card on all six attributes."""
    return persona_critique.fit_on_all(CapstoneData(data))


def dashboard_wait(data: ModuleData) -> float:
    """Module 3: the dashboard's number, the average wait of answered calls."""
    return data_disorder.dashboard_wait(CapstoneData(data))


def honest_wait(data: ModuleData) -> float:
    """Module 3: the 90th percentile of queue time over all calls, hang-ups included."""
    return data_disorder.honest_wait_p90(CapstoneData(data))


def incremental_share(data: ModuleData) -> float:
    """Module 4: share of the platform's attributed purchases that the ads really caused."""
    return algorithm_faith.incremental_share(CapstoneData(data))


def nps(data: ModuleData) -> float:
    """Module 5: NPS of the answers that have a score."""
    return reconnection.nps(CapstoneData(data))


def detractor_theme_counts(data: ModuleData):
    """Module 5: how many detractor comments mention each theme."""
    return reconnection.detractor_theme_counts(CapstoneData(data))


def top_detractor_theme(data: ModuleData) -> str:
    """Module 5: the theme detractors mention most, by the keyword rule."""
    return reconnection.top_detractor_theme(CapstoneData(data))


def share_interval(data: ModuleData) -> tuple[float, float]:
    """Module 4: the 95% interval on the purchases the ads caused, as shares of what the platform claims."""
    return algorithm_faith.share_interval(CapstoneData(data))


def block(data: ModuleData) -> float:
    """Module 5: the block of money moved at a time, a tenth of this year's budget."""
    return reconnection.block(CapstoneData(data))


def next_block_return(data: ModuleData):
    """Module 5: per tier, what each unit of one more block would cause over three years."""
    return reconnection.next_block_return(CapstoneData(data))


def fund_first(data: ModuleData) -> str:
    """Module 5: the tier where one more block causes the most revenue."""
    return reconnection.fund_first(CapstoneData(data))


def move_gain(data: ModuleData) -> float:
    """Module 5: what moving one block from prospects to that tier adds over three years."""
    return reconnection.move_gain(CapstoneData(data))


def gain_range(data: ModuleData) -> tuple[float, float]:
    """Module 5: the move's gain at the two ends of the tests' ranges."""
    return reconnection.gain_range(CapstoneData(data))


def current_return(data: ModuleData) -> float:
    """Module 5: what today's plan causes over three years."""
    return reconnection.current_return(CapstoneData(data))


# --- Wrong paths of the capstone's own wording ----------------------------------------------------

def savings_of_used_tools(data: ModuleData) -> float:
    """The cost of the tools at or above the line: the kept tools, not the shelfware."""
    stack = data[PREFIX + "stack_inventory"]
    return float(stack.loc[utilisation(stack) >= SHELFWARE_LINE, "annual_cost"].sum())


def whole_stack_cost(data: ModuleData) -> float:
    """The cost of every tool, filter forgotten."""
    return float(data[PREFIX + "stack_inventory"]["annual_cost"].sum())


BANK.add(Question(
    id="audit_shelfware_savings", variable="savings",
    prompt="Stack: the total annual cost of the tools whose utilisation (monthly_active_users / seats) is "
           "below 0.2.",
    kind=Money(low=0, sig=3),
    expected=shelfware_savings,
    hints=(
        "Utilisation is `stack['monthly_active_users'] / stack['seats']`; shelfware is below 0.2 (`< 0.2`: a "
        "tool at exactly 0.2 is not below it).",
        "Keep the `annual_cost` of those rows with `stack.loc[condition, 'annual_cost']`, then `.sum()`.",
    ),
    mistakes=(
        *on_capstone(module_question(tool_overload, "shelfware_savings")),
        Mistake(savings_of_used_tools, "That is the cost of the tools people use (0.2 and above). Keep the tools "
                                       "below 0.2."),
        Mistake(whole_stack_cost, "That is the cost of the whole stack. Keep only the tools below 0.2 first."),
    ),
    done="That is money a renewal date could free: check with each tool's owner team first.",
    example="the worked example 'Filter, then add up' just above",
))

BANK.add(Question(
    id="audit_persona_fit", variable="persona_fit",
    prompt="Segments: for each persona card, the share of customers (between 0 and 1) who match it on all "
           "six attributes at once, as a Series with the persona names as its index.",
    kind=NumberSeries(values=Share(decimals=4), index="persona name", items="personas",
                      universe=Column(PREFIX + "persona_cards", "persona")),
    expected=persona_fit,
    hints=(
        "For one card, six tests must all be True: `customers['age'].between(card['age_min'], card['age_max'])`, "
        "the same for purchases_per_year, and `==` for income_band, region, channel and favourite_category. "
        "Join them with `&`, each test in its own parentheses.",
        "`.mean()` of the True/False result is the share. Go through the cards with "
        "`for _, card in personas.iterrows():` and store `fits[card['persona']] = share` in a dict.",
        "`pd.Series(fits)` turns the dict into a Series whose index is the persona names.",
    ),
    mistakes=(
        *on_capstone(module_question(persona_critique, "persona_fit_all")),
    ),
    done="Look at how many customers that is, in the cell below.",
    example="the worked example 'One share per card' just above",
))

BANK.add(Question(
    id="audit_honest_wait", variable="honest_wait",
    prompt="Data: the callers' number, the 90th percentile of queue_seconds over all calls, abandoned ones "
           "included.",
    kind=Number(unit="seconds", decimals=0, low=0),
    expected=honest_wait,
    hints=(
        "Do not filter the calls: the people who hung up waited too.",
        "`calls['queue_seconds'].quantile(0.9)` is the 90th percentile.",
    ),
    mistakes=on_capstone(module_question(data_disorder, "honest_wait_p90")),
    done="Nine callers in ten waited less than this; one in ten waited longer.",
    example="the worked example 'The middle and the tail' just above",
))

BANK.add(Question(
    id="audit_incremental_share", variable="incremental_share",
    prompt="Campaigns: the share of the purchases the platform attributes to retargeting that the ads really "
           "caused, measured with the holdout (between 0 and 1).",
    kind=Share(decimals=2),
    expected=incremental_share,
    hints=(
        "Purchase rate per group: `holdout.groupby('group')['converted'].mean()`; exposed users: "
        "`(holdout['group'] == 'exposed').sum()`.",
        "Purchases caused = (exposed rate - holdout rate) x number of exposed users.",
        "Divide that by the purchases the platform claims: `holdout['platform_attributed'].sum()`.",
    ),
    mistakes=on_capstone(module_question(algorithm_faith, "incremental_share")),
    done="The cell below says how sure a test of this size can be.",
    example="the worked example 'Rates per group' just above",
))

BANK.add(Question(
    id="audit_nps", variable="nps",
    prompt="Customers: the Net Promoter Score of the answers that have a score (from -100 to 100).",
    kind=Points(decimals=1),
    expected=nps,
    hints=(
        "Keep the answers that have a score: `verbatims['score'].dropna()`.",
        "`(scored >= 9).mean()` is the share of promoters, `(scored <= 6).mean()` the share of detractors.",
        "NPS = 100 x (share of promoters - share of detractors).",
    ),
    mistakes=on_capstone(module_question(reconnection, "nps")),
    example="the worked example 'Shares of a score' just above",
))

BANK.add(Question(
    id="audit_top_detractor_theme", variable="top_theme",
    prompt="Customers: the theme of THEME_KEYWORDS that detractors (scores 0 to 6) mention most.",
    kind=Label(what="theme", universe=reconnection.THEMES),
    expected=top_detractor_theme,
    hints=(
        "Keep the detractors' comments: `verbatims.loc[verbatims['score'] <= 6, 'text']`.",
        "For each theme, count the comments that contain one of its words: "
        "`texts.str.contains('|'.join(words), case=False).sum()`, in a loop over `THEME_KEYWORDS.items()` "
        "that fills a dict.",
        "`pd.Series(counts).idxmax()` gives the theme with the largest count.",
    ),
    mistakes=on_capstone(module_question(reconnection, "top_detractor_theme")),
    done="Now read what they wrote, in the explorer below.",
    example="the worked example 'Count the comments per theme' just above",
))

BANK.add(Question(
    id="audit_next_block_return", variable="next_return",
    prompt="Budget: for each tier, what each unit of one more block (a tenth of today's total budget) would "
           "cause over three years, from today's spend: (extra revenue at current_budget + block - extra "
           "revenue at current_budget) / block, as a Series with the tiers as its index.",
    kind=NumberSeries(values=Number(decimals=2), index="tier", items="tiers", universe=reconnection.TIERS),
    expected=next_block_return,
    hints=(
        "Put the tiers in the index: `curve = budget.set_index('tier')`; the block is "
        "`0.1 * budget['current_budget'].sum()`.",
        "Extra revenue at a spend `x` is `curve['ceiling'] * x / (x + curve['half_spend'])`. Compute it at "
        "`curve['current_budget']` and at `curve['current_budget'] + block`.",
        "Take the second minus the first, and divide by the block.",
    ),
    mistakes=on_capstone(module_question(reconnection, "next_block_return")),
    example="the worked example 'What the next block brings' just above",
))

BANK.add(Question(
    id="audit_fund_first", variable="fund_first",
    prompt="Budget: the tier where one more block would cause the most, as a piece of text such as 'loyal'.",
    kind=Label(what="tier", universe=reconnection.TIERS),
    expected=fund_first,
    hints=(
        "Use your `next_return` from the exercise above.",
        "`next_return.idxmax()` gives the tier with the largest value.",
    ),
    # On the capstone's data the tier whose past spend returned most on average is also the one to fund
    # next, so module 5's "you used the average" mistake could never be told apart there.
    mistakes=on_capstone(module_question(reconnection, "fund_first")),
    done="That is where the next money works best today; the cell below says how sure the tests are.",
))


def audit_memo(data: ModuleData) -> str:
    """The memo's model answer, every number computed from the data (course.questions.capstone_memo)."""
    from .capstone_memo import memo

    return memo(data)


MODEL_ANSWERS = {"audit_memo": audit_memo}
