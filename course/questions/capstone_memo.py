"""Module 6's model answer: the audit memo, written from the data with the modules' own functions.

`memo(data)` returns the markdown a trainer reads in the solution notebook; `facts(data)` returns every
number it quotes, so a test can check each one against the question functions for every profile and
seed. No number in the memo is typed.
"""
from __future__ import annotations

from . import ModuleData
from . import capstone as q

# How the memo names each theme of the keyword tagger in a sentence (a new theme falls back to its name).
THEME_WORDS = {"wait": "waiting", "price": "prices and billing", "staff": "how our staff treat them",
               "digital": "our app and website", "quality": "product quality"}


def sig3(value: float) -> float:
    """`value` rounded to 3 significant figures, as a memo quotes an amount."""
    return float(f"{value:.3g}")


def facts(data: ModuleData) -> dict:
    """Every number and name the memo quotes, computed from the capstone data."""
    card = q.company(data)
    counts = q.detractor_theme_counts(data).sort_values(ascending=False, kind="stable")
    fit = q.persona_fit(data)
    profiles = len(data["capstone_customers"])
    return {
        "company": card["company"], "currency": card["currency"],
        "marketing_budget": float(card["marketing_budget"]),
        "dashboard_wait": q.dashboard_wait(data), "honest_wait": q.honest_wait(data),
        "nps": q.nps(data), "theme": str(counts.index[0]), "theme_count": int(counts.iloc[0]),
        "second_theme": str(counts.index[1]), "second_count": int(counts.iloc[1]),
        "incremental_share": q.incremental_share(data), "share_interval": q.share_interval(data),
        "best_persona": str(fit.idxmax()), "best_fit_customers": int(round(fit.max() * profiles)),
        "profiles": profiles,
        "savings": q.shelfware_savings(data),
        "block": q.block(data), "fund_first": q.fund_first(data), "gain": q.move_gain(data),
        "gain_share": q.move_gain(data) / q.current_return(data), "gain_range": q.gain_range(data),
    }


def amount(value: float, code: str) -> str:
    """An amount as the memo writes it: 3 significant figures and the currency code."""
    return f"{sig3(value):,.0f} {code}"


def signed(value: float, code: str) -> str:
    """A gain as the memo writes it: its sign, 3 significant figures and the currency code."""
    return ("+" if value >= 0 else "-") + amount(abs(value), code)


def ads_sentence(f: dict) -> str:
    """What the holdout says about the ads, with its interval, in words that fit its two ends."""
    low, high = f["share_interval"]
    if low > 0:
        return (f"The holdout test says only {f['incremental_share']:.0%} of the purchases the platform claims "
                f"were caused by retargeting (between {low:.0%} and {high:.0%}, given the test's size).")
    return (f"The holdout test puts the share of the platform's claimed purchases that retargeting caused at "
            f"{f['incremental_share']:.0%}, but anywhere from nothing to {high:.0%} fits a test this size.")


def memo(data: ModuleData) -> str:
    """The model memo: five findings with their numbers, the priority, one action, one stop, the limits."""
    f = facts(data)
    theme_words = THEME_WORDS.get(f["theme"], f["theme"])
    ratio = (f"{f['theme_count'] / f['second_count']:.1f} times as many as the next theme ({f['second_theme']})"
             if f["second_count"] else "and no other theme comes up at all")
    matches = ("none of our" if f["best_fit_customers"] == 0
               else f"{f['best_fit_customers']:,} of our")
    worst, best = f["gain_range"]
    code = f["currency"]
    priority = ("waiting: it shows on the phone and in the comments, and our dashboard hides it"
                if f["theme"] == "wait" else
                f"the first two findings, the wait and {theme_words}: customers meet both on every call, and our "
                "dashboard shows neither")
    return f"""*Example memo, written from the capstone data the notebook loads (the capstone company is {f['company']}).
Every number below is computed from those data.*

**To:** the head of marketing. **About:** what our own data says before next year's plan.

1. **Customers wait longer than the dashboard says.** It shows {f['dashboard_wait']:.0f} seconds, the average of
   answered calls; counting every caller, one in ten waits {f['honest_wait']:.0f} seconds or more.
2. **Detractors talk about {theme_words}.** Our NPS is {f['nps']:.1f}; {f['theme_count']:,} detractor comments
   mention {f['theme']}, {ratio}.
3. **The ads take credit for sales they did not make.** {ads_sentence(f)}
4. **Our personas describe almost nobody.** The best card ({f['best_persona']}) matches {matches}
   {f['profiles']:,} customer profiles.
5. **Unused tools cost {amount(f['savings'], code)} a year**, {f['savings'] / f['marketing_budget']:.1%} of the
   marketing budget.

What matters most for customers is {priority}.

**First action:** from next month, the service lead and I listen to ten calls a week and read every
detractor comment on {f['theme']}, and report what we heard. **Stop:** paying for retargeting beyond what
the holdout shows it causes, and persona cards in briefs. **Budget:** one block ({amount(f['block'], code)})
moved from prospects to the {f['fund_first']} tier is worth {signed(f['gain'], code)} over three years
({f['gain_share']:+.1%}), but the tests allow {signed(worst, code)} to {signed(best, code)}: we try it in one
region first.

**What the numbers cannot say:** why customers feel this way, or what the callers who hung up did
next. We will sit with the support team for a day, read the communities where our customers talk,
and use our own product as a customer would for a month."""
