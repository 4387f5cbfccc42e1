"""Module 5 datasets: what customers say (verbatims, forum threads), how strong each relationship is,
and where the marketing budget goes today.

Verbatims are composed from sector phrase templates (filled with the profile's product nouns) on five
themes, with a sentiment that follows the score. Every theme phrase contains at least one word of
`THEME_KEYWORDS` and no word of another theme, so the transparent keyword tagger the learner applies
finds exactly the themes the generator wrote (tests check it).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..measures import budget as budget_model
from ..measures.themes import THEME_KEYWORDS
from .profiles import Profile
from .registry import Column, DatasetSpec, register, rng_for

# The transparent tagger (course.measures.themes): a verbatim mentions a theme when its text contains
# one of the theme's keywords, ignoring case.
THEMES = tuple(THEME_KEYWORDS)

# Tiers of the relationship, weakest first; "prospects" are people who are not customers yet.
TIERS = budget_model.TIERS

# Sector phrase templates. {n0}..{n5} are the profile's product nouns by position, {cat} one of its
# product categories (lower case), {weeks}/{days}/{minutes} small numbers. "neg" phrases complain,
# "pos" phrases praise. Words of other themes' keywords must not appear in a theme's phrases.
PHRASES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "retail": {  # order, delivery, store, return, loyalty card, checkout
        "wait": {
            "neg": ("I waited {weeks} weeks for my {n0}.", "My {n1} arrived {days} days late.",
                    "The queue at the {n5} was endless.", "The refund for my {n3} is so slow.",
                    "Another delay on my {n0}, nobody tells me why."),
            "pos": ("My {n0} arrived the next day, no waiting at all.", "No queue at the {n5}, in and out in five minutes.",
                    "The {n1} came earlier than promised, no delay."),
        },
        "price": {
            "neg": ("Prices have gone up again and the {n4} gives almost nothing.", "They charged me twice for the {n1}.",
                    "Far too expensive compared with other shops.", "The {n1} cost more than the item itself."),
            "pos": ("Fair prices and the {n4} discounts are real.", "Not expensive at all for what you get.",
                    "Free {n1} and honest prices."),
        },
        "staff": {
            "neg": ("The staff in the {n2} were rude when I asked for help.",
                    "Nobody on the staff could answer a simple question about my {n3}.",
                    "The sales agent ignored me for ten minutes."),
            "pos": ("The staff in the {n2} were so helpful.", "A lovely sales agent helped me choose.",
                    "Staff always smiling and helpful at the {n5}."),
        },
        "digital": {
            "neg": ("The app keeps crashing at the {n5}.", "Impossible to log in to track my {n0}.",
                    "The website lost my basket twice.", "I forgot my password and the reset email never came."),
            "pos": ("The app makes ordering again easy.", "The website is clear and the {n5} is quick.",
                    "Tracking my {n0} online is simple."),
        },
        "quality": {
            "neg": ("The {cat} item I bought broke after two weeks.", "Poor quality, the stitching came apart.",
                    "Received a faulty product and had to start a {n3}."),
            "pos": ("Great quality, everything I bought still looks new.", "Solid, reliable products that last.",
                    "The quality of the {cat} range is excellent."),
        },
    },
    "b2b_software": {  # dashboard, invoice, onboarding, integration, support ticket, renewal
        "wait": {
            "neg": ("I waited {weeks} weeks for an answer to my {n4}.", "{n2} dragged on for months, everything was slow.",
                    "The {n0} is painfully slow to load every morning.", "Every fix comes with a delay of several weeks."),
            "pos": ("Our {n4} was answered within the hour, no waiting.", "{n2} took two days, not a single delay.",
                    "Fast replies, we never wait long."),
        },
        "price": {
            "neg": ("The {n5} price went up by 30% without warning.", "Too expensive for a team of our size.",
                    "We were charged for seats nobody uses.", "Every extra {n3} costs more."),
            "pos": ("Fair price for what it does.", "The {n5} came with no surprise on price.",
                    "Not expensive compared with the big suites."),
        },
        "staff": {
            "neg": ("The support agent closed my {n4} without reading it.",
                    "The sales staff promised features that do not exist.",
                    "Our customer success advisor was rude on our last call."),
            "pos": ("Our customer success advisor is brilliant and helpful.",
                    "The support agent solved our {n1} problem in one call.", "Helpful staff who know accounting."),
        },
        "digital": {
            "neg": ("I cannot log in half of the time.", "The website help pages are out of date.",
                    "The password reset locks us out every month.", "The app on mobile is missing half the features."),
            "pos": ("The app lets me approve an {n1} from my phone.", "Everything is online, no more paper.",
                    "The website is clear and the {n0} is easy to read."),
        },
        "quality": {
            "neg": ("The {n3} with our bank broke again after the update.", "Too many bugs in the {n1} module.",
                    "Numbers on the {n0} are not reliable."),
            "pos": ("Reliable, it just works.", "The {n1} module is high quality and accurate.",
                    "No bugs in two years of use."),
        },
    },
    "bank": {  # app, advisor, card, transfer, branch, fees
        "wait": {
            "neg": ("I waited {minutes} minutes on hold to block my {n2}.", "My {n3} took {days} days to arrive, far too slow.",
                    "The queue at the {n4} was out the door.", "The loan decision was so slow we nearly lost the house."),
            "pos": ("My new {n2} came in two days, no wait.", "Instant {n3}, no delay at all.",
                    "No queue at the {n4}, seen straight away."),
        },
        "price": {
            "neg": ("The {n5} keep going up for nothing.", "I was charged for a {n3} abroad without any warning.",
                    "Far too expensive compared with the new banks.", "Account costs are higher every year."),
            "pos": ("Low {n5} and no surprises.", "Fair price for the {n2}, nothing hidden.",
                    "Not expensive for a full service bank."),
        },
        "staff": {
            "neg": ("My {n1} changed three times this year and never calls back.", "The staff at the {n4} were rude.",
                    "The phone agent could not answer a basic question."),
            "pos": ("My {n1} knows my family and is always helpful.", "The staff at the {n4} sorted everything with a smile.",
                    "A very helpful phone agent explained the mortgage."),
        },
        "digital": {
            "neg": ("The {n0} crashes every time I try to make a {n3}.", "Impossible to log in after the last update.",
                    "The website logs me out every two minutes.", "I had to reset my password four times this month."),
            "pos": ("The {n0} is brilliant, I do everything from my phone.", "Paying online with my {n2} is simple and safe.",
                    "The website is clear and fast."),
        },
        "quality": {
            "neg": ("My {n2} broke and the new one was faulty too.", "Statements full of errors, not reliable.",
                    "The contactless on my {n2} is faulty half the time."),
            "pos": ("Reliable bank, never a problem with my accounts.", "The quality of the {cat} cover is excellent.",
                    "Everything works, reliable from day one."),
        },
    },
    "telecom": {  # network, bill, router, plan, shop, customer service
        "wait": {
            "neg": ("I waited {minutes} minutes on hold with {n5}.", "The fibre installation was {weeks} weeks late.",
                    "The {n4} queue took an hour.", "The replacement {n2} took forever, what a delay."),
            "pos": ("Fibre installed in three days, no delay.", "{n5} picked up straight away, no wait.",
                    "No queue at the {n4}, very quick."),
        },
        "price": {
            "neg": ("My {n1} went up again without warning, the price is too high.", "Charged for roaming I never used.",
                    "Too expensive for what the {n3} offers.", "Hidden costs everywhere on the {n1}."),
            "pos": ("Good price for the family {n3}.", "The {n1} is clear and not expensive.",
                    "Fair price, no hidden costs."),
        },
        "staff": {
            "neg": ("The agent at {n5} was rude and hung up.", "The {n4} staff tried to sell me a {n3} I do not need.",
                    "Nobody on the staff could explain my {n1}."),
            "pos": ("The {n4} staff set up my phone, so helpful.", "A very helpful agent fixed my {n3} in minutes.",
                    "Friendly staff who take time to explain."),
        },
        "digital": {
            "neg": ("The app shows the wrong {n1} amount.", "I cannot log in to my account to change my {n3}.",
                    "The website chat goes round in circles.", "Password reset never works."),
            "pos": ("The app shows my data use in real time.", "Changing my {n3} online took two minutes.",
                    "The website is clear and simple."),
        },
        "quality": {
            "neg": ("The {n0} drops my calls every day, poor quality.", "The {n2} is faulty and the new one too.",
                    "Coverage is not reliable outside the city."),
            "pos": ("The {n0} quality is excellent, even in the countryside.", "Reliable fibre, never a cut.",
                    "The new {n2} is great quality."),
        },
    },
}

# For a profile added later without its own phrases: plainer sentences around its nouns.
GENERIC_PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "wait": {"neg": ("I waited {weeks} weeks to sort out my {n0}.", "Everything about my {n1} is so slow."),
             "pos": ("My {n0} was sorted the same day, no waiting.", "No delay at all with my {n1}.")},
    "price": {"neg": ("Far too expensive for a {n2}.", "I was charged twice for my {n0}."),
              "pos": ("Fair price for my {n2}.", "Not expensive for what you get.")},
    "staff": {"neg": ("The staff were rude about my {n1}.", "The agent could not help with my {n3}."),
              "pos": ("The staff were so helpful with my {n1}.", "A helpful agent sorted my {n3}.")},
    "digital": {"neg": ("I cannot log in to manage my {n0}.", "The website loses everything I type."),
                "pos": ("The website makes my {n0} easy.", "Everything is online and simple.")},
    "quality": {"neg": ("My {n2} broke after a month.", "Poor quality all round."),
                "pos": ("Great quality, my {n2} is perfect.", "Reliable from the first day.")},
}

OPENERS = {
    "neg": ("Very disappointed.", "Not happy at all.", "Honestly, never again.", "Third time this happens.",
            "What a mess."),
    "pos": ("Really happy.", "Love it.", "Ten out of ten.", "Brilliant.", "Great experience."),
}
CLOSERS = {
    "neg": ("I am looking elsewhere.", "Sort it out.", "Would not recommend.", "I am thinking of leaving."),
    "pos": ("Keep it up!", "Already told my friends.", "Thank you!", "Recommended to my sister."),
}
PASSIVE_LINKS = ("One thing though:", "Only complaint:", "Room to improve:", "Just one problem:")
# Comments that name no theme at all: the tagger leaves them out, a human reader would not.
UNTHEMED = {
    "neg": ("Not what I expected.", "Disappointing from start to finish.", "I have had enough of {company}.",
            "Never again."),
    "mid": ("It does what it says.", "Fine, nothing special.", "Average, like the others."),
    "pos": ("Excellent, nothing to add.", "Always a pleasure.", "{company} never lets me down."),
}
WEEKS = ("two", "three", "four", "five")
DAYS = ("two", "three", "four", "six")
MINUTES = ("25", "40", "45", "55")

# Online communities per sector: the first is the brand's own forum, the others are independent.
COMMUNITIES: dict[str, tuple[str, ...]] = {
    "retail": ("{company} Community", "BonPlan deals forum", "Home & DIY Facebook group", "Parents Network forum"),
    "b2b_software": ("{company} Community", "Founders Forum", "Accountants Slack", "Finance Ops LinkedIn group"),
    "bank": ("{company} Community", "MoneyTalk forum", "Expats Money Facebook group", "First-home buyers forum"),
    "telecom": ("{company} Community", "Network Watch forum", "Gamers Discord", "Rural Broadband Facebook group"),
}
GENERIC_COMMUNITIES = ("{company} Community", "Customers' forum", "Facebook fan group", "Reddit-style Q&A board")
THREAD_OPENERS = {"neg": ("Is it just me?", "Help:", "Warning:", "Anyone else?"), "pos": ("Tip:", "Good news:")}

BUDGET_USES = {
    "prospects": "paid search, display and social ads to people who do not know us",
    "occasional": "win-back offers and reminders to customers who buy now and then",
    "loyal": "events, early access and the best content for regular customers",
    "advocate": "referral thanks, community events and co-creation with customers who recommend us",
}
YEAR = 2025


def _phrases(profile: Profile) -> dict:
    return PHRASES.get(profile.name, GENERIC_PHRASES)


def _fill(template: str, rng: np.random.Generator, profile: Profile) -> str:
    """One template with its slots filled from the profile and a few small random numbers."""
    values = {f"n{i}": noun for i, noun in enumerate(profile.product_nouns)}
    values.update(cat=str(rng.choice(profile.product_categories)).lower(), company=profile.company,
                  weeks=str(rng.choice(WEEKS)), days=str(rng.choice(DAYS)), minutes=str(rng.choice(MINUTES)))
    text = template.format(**values)
    return text[0].upper() + text[1:]


def _pick(rng: np.random.Generator, options) -> str:
    return str(options[int(rng.integers(len(options)))])


def _other_theme(rng: np.random.Generator, not_this: str) -> str:
    return _pick(rng, [t for t in THEMES if t != not_this])


def _theme_with_lead(rng: np.random.Generator, lead: str, lead_p: float) -> str:
    """A theme where `lead` has probability `lead_p` and the four others share the rest equally."""
    return lead if rng.random() < lead_p else _other_theme(rng, lead)


def verbatim_plan(seed: int, profile: Profile) -> dict:
    """Which theme hurts (most detractor comments) and which theme customers praise."""
    rng = rng_for(seed, f"verbatims:plan:{profile.name}")
    pain, praise = rng.choice(len(THEMES), size=2, replace=False)
    return {"pain": THEMES[int(pain)], "praise": THEMES[int(praise)]}


def compose_verbatim(rng: np.random.Generator, profile: Profile, score: int, plan: dict) -> tuple[str, tuple[str, ...]]:
    """A customer comment whose sentiment follows the score; returns (text, themes it mentions)."""
    phrases = _phrases(profile)
    say = lambda theme, tone: _fill(_pick(rng, phrases[theme][tone]), rng, profile)  # noqa: E731
    if score <= 6:
        if rng.random() < 0.07:
            return _fill(_pick(rng, UNTHEMED["neg"]), rng, profile), ()
        first = _theme_with_lead(rng, plan["pain"], 0.5)
        parts, themes = [say(first, "neg")], [first]
        if rng.random() < 0.25:
            second = _other_theme(rng, first)
            parts.append(say(second, "neg"))
            themes.append(second)
        if rng.random() < 0.5:
            parts.insert(0, _pick(rng, OPENERS["neg"]))
        if rng.random() < 0.4:
            parts.append(_pick(rng, CLOSERS["neg"]))
    elif score <= 8:
        if rng.random() < 0.1:
            return _fill(_pick(rng, UNTHEMED["mid"]), rng, profile), ()
        first = _theme_with_lead(rng, plan["praise"], 0.5)
        parts, themes = [say(first, "pos")], [first]
        if rng.random() < 0.55:
            second = _other_theme(rng, first)
            parts += [_pick(rng, PASSIVE_LINKS), say(second, "neg")]
            themes.append(second)
    else:
        if rng.random() < 0.07:
            return _fill(_pick(rng, UNTHEMED["pos"]), rng, profile), ()
        first = _theme_with_lead(rng, plan["praise"], 0.6)
        parts, themes = [say(first, "pos")], [first]
        if rng.random() < 0.3:
            second = _other_theme(rng, first)
            parts.append(say(second, "pos"))
            themes.append(second)
        if rng.random() < 0.5:
            parts.insert(0, _pick(rng, OPENERS["pos"]))
        if rng.random() < 0.4:
            parts.append(_pick(rng, CLOSERS["pos"]))
    return " ".join(parts), tuple(themes)


def relationship_strength(rel: pd.DataFrame) -> np.ndarray:
    """A hidden 0-3 strength: recommending, staying and buying often each add to it (drives scores)."""
    frequent = rel["purchases_last_year"] >= rel["purchases_last_year"].median()
    return ((rel["referrals_last_year"] > 0).astype(float) + (rel["tenure_years"] >= 3).astype(float)
            + frequent.astype(float)).to_numpy()


def make_relationships(seed: int, profile: Profile) -> pd.DataFrame:
    """One row per customer: how long they have stayed, how often they buy, whom they brought in."""
    rng = rng_for(seed, "relationships")
    n = int(round(4000 * profile.people_scale * rng.uniform(0.9, 1.1)))
    engagement = rng.normal(0.0, 1.0, n)
    tenure = np.clip(np.round(rng.gamma(1.6, 2.0, n) * np.exp(0.25 * engagement), 1), 0.1, 25.0)
    rate = profile.purchases_per_year * np.exp(0.55 * engagement - 0.15) * np.minimum(1.0, 0.5 + tenure / 4)
    purchases = rng.poisson(rate)
    referrals = rng.poisson(0.07 * np.exp(0.9 * engagement + 0.12 * np.minimum(tenure, 8)))
    revenue = np.round(purchases * profile.basket_median * rng.lognormal(0.0, 0.45, n), 2)
    weights = rng.dirichlet(np.full(len(profile.channels), 4.0))
    return pd.DataFrame({
        "customer_id": [f"C{i:05d}" for i in rng.permutation(np.arange(1, n + 1))],
        "tenure_years": tenure,
        "purchases_last_year": purchases,
        "referrals_last_year": referrals,
        "revenue_last_year": revenue,
        "main_channel": rng.choice(profile.channels, size=n, p=weights),
    }).sort_values("customer_id", ignore_index=True)


def _verbatims_with_truth(seed: int, profile: Profile) -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    """The verbatims table and, per row, the themes the generator wrote into it (the tests' truth)."""
    rng = rng_for(seed, "verbatims")
    plan = verbatim_plan(seed, profile)
    rel = make_relationships(seed, profile)
    n = int(rng.integers(1100, 1401))
    # Engaged customers answer surveys more often.
    p = (1.0 + rel["purchases_last_year"].to_numpy()) ** 0.5
    who = rng.choice(len(rel), size=n, p=p / p.sum())
    strength = relationship_strength(rel)[who]
    latent = rng.uniform(6.0, 6.8) + 0.85 * strength + rng.normal(0.0, 2.2, n)
    scores = np.clip(np.round(latent), 0, 10).astype(int)
    texts, truth = [], []
    for score in scores:
        text, themes = compose_verbatim(rng, profile, int(score), plan)
        texts.append(text)
        truth.append(themes)
    shout = (scores <= 6) & (rng.random(n) < 0.08)
    texts = [t.upper() if s else t for t, s in zip(texts, shout)]
    start = pd.Timestamp(f"{YEAR}-01-01")
    dates = start + pd.to_timedelta(np.sort(rng.integers(0, 365, n)), unit="D")
    weights = rng.dirichlet(np.full(len(profile.channels), 4.0))
    score_col = scores.astype(float)
    score_col[rng.random(n) < 0.04] = np.nan
    frame = pd.DataFrame({
        "response_id": [f"R{i:05d}" for i in range(1, n + 1)],
        "customer_id": rel["customer_id"].to_numpy()[who],
        "date": dates.strftime("%Y-%m-%d"),
        "channel": rng.choice(profile.channels, size=n, p=weights),
        "score": score_col,
        "text": texts,
    })
    return frame, truth


def make_verbatims(seed: int, profile: Profile) -> pd.DataFrame:
    """Customer comments with a 0-10 likelihood-to-recommend score, channel and date."""
    return _verbatims_with_truth(seed, profile)[0]


def verbatim_themes_written(seed: int, profile: Profile) -> list[tuple[str, ...]]:
    """The themes the generator wrote into each verbatim, row by row (for tests and the data card)."""
    return _verbatims_with_truth(seed, profile)[1]


def make_community_threads(seed: int, profile: Profile) -> pd.DataFrame:
    """Threads in four online communities: the brand answers in its own forum, rarely elsewhere."""
    rng = rng_for(seed, "community_threads")
    plan = verbatim_plan(seed, profile)
    names = [c.format(company=profile.company) for c in COMMUNITIES.get(profile.name, GENERIC_COMMUNITIES)]
    n = int(round(rng.integers(650, 851) * min(1.5, max(0.7, profile.people_scale))))
    # The brand's forum holds a small share; most talk happens where the brand is not.
    shares = np.concatenate([[rng.uniform(0.12, 0.18)], rng.dirichlet(np.full(len(names) - 1, 3.0))])
    shares[1:] *= 1.0 - shares[0]
    community = rng.choice(len(names), size=n, p=shares)
    brand_rate = np.where(community == 0, rng.uniform(0.78, 0.9), rng.uniform(0.02, 0.1, len(names))[community])
    brand_replied = rng.random(n) < brand_rate
    customer_replies = rng.poisson(np.where(community == 0, 1.5, 4.0))
    brand_replies = brand_replied * (1 + rng.poisson(0.4, n))
    replies = customer_replies + brand_replies
    first_reply = np.round(rng.lognormal(np.log(np.where(community == 0, 20.0, 5.0)), 0.9), 1)
    first_reply = np.where(replies > 0, first_reply, np.nan)
    solved = (replies > 0) & (rng.random(n) < np.where(brand_replied, 0.7, 0.45))
    phrases = _phrases(profile)
    titles = []
    for _ in range(n):
        tone = "neg" if rng.random() < 0.7 else "pos"
        theme = _theme_with_lead(rng, plan["pain"] if tone == "neg" else plan["praise"], 0.4)
        opener = _pick(rng, THREAD_OPENERS[tone])
        titles.append(f"{opener} {_fill(_pick(rng, phrases[theme][tone]), rng, profile)}")
    start = pd.Timestamp(f"{YEAR}-01-01")
    started = start + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    frame = pd.DataFrame({
        "thread_id": [f"TH{i:04d}" for i in range(1, n + 1)],
        "community": np.array(names)[community],
        "run_by_brand": community == 0,
        "started": started.strftime("%Y-%m-%d"),
        "title": titles,
        "replies": replies,
        "brand_replies": brand_replies,
        "hours_to_first_reply": first_reply,
        "solved": solved,
    })
    return frame.sort_values(["started", "thread_id"], ignore_index=True)


def make_budget(seed: int, profile: Profile) -> pd.DataFrame:
    """This year's marketing budget by relationship tier, what the dashboards credit to it, and what the
    holdout tests say each tier's spend really causes (the curve of course.measures.budget)."""
    rng = rng_for(seed, f"budget:{profile.name}")
    rel = make_relationships(seed, profile)
    revenue = float(rel["revenue_last_year"].sum())
    by_tier = rel["revenue_last_year"].groupby(budget_model.relationship_tier(rel)).sum()
    by_tier = by_tier.reindex(budget_model.CUSTOMER_TIERS, fill_value=0.0).to_numpy()
    total = round(revenue * rng.uniform(0.06, 0.09), -3)
    acquisition = rng.uniform(0.62, 0.75)
    rest = rng.dirichlet([6.0, 3.5, 2.0]) * (1.0 - acquisition)
    current = np.round(total * np.concatenate([[acquisition], rest]), -2)
    current[0] = total - current[1:].sum()
    # Prospects: new customers' purchases over three years, against the whole customer base's revenue.
    # Customers: what better retention and more frequent buying add, against the tier's own revenue.
    ceiling = np.concatenate([[revenue * rng.uniform(0.18, 0.26)],
                              by_tier * [rng.uniform(0.28, 0.40), rng.uniform(0.12, 0.18), rng.uniform(0.04, 0.07)]])
    half = np.concatenate([[revenue * rng.uniform(0.04, 0.06)],
                           by_tier * [rng.uniform(0.045, 0.07), rng.uniform(0.03, 0.045), rng.uniform(0.015, 0.025)]])
    # The tests pin each curve's height to a range: tight for prospects (big tests), wide for advocates.
    spread = np.array([rng.uniform(0.10, 0.18), rng.uniform(0.18, 0.28), rng.uniform(0.20, 0.32),
                       rng.uniform(0.30, 0.45)])
    block = budget_model.MOVE_SHARE * total
    tested = np.concatenate([[current[0] * rng.uniform(1.15, 1.35)], current[1:] + block * rng.uniform(1.5, 2.5, 3)])
    # What the campaign reports credit per unit spent: first purchases for prospects (a short window),
    # every purchase of a customer who was reached for the others (most would have happened anyway).
    attributed = [rng.uniform(1.2, 1.7), rng.uniform(3.0, 4.5), rng.uniform(5.5, 7.5), rng.uniform(8.0, 11.0)]
    return pd.DataFrame({
        "tier": budget_model.TIERS,
        "current_budget": current,
        "attributed_return": np.round(attributed, 2),
        "ceiling": np.round(ceiling, -2),
        "ceiling_low": np.round(ceiling * (1 - spread), -2),
        "ceiling_high": np.round(ceiling * (1 + spread), -2),
        "half_spend": np.round(half, -2),
        "tested_up_to": np.round(tested, -2),
        "what_it_pays_for": [BUDGET_USES[t] for t in budget_model.TIERS],
    })


register(DatasetSpec(
    name="verbatims", module="reconnection",
    title="Customer verbatims with a recommendation score",
    make=make_verbatims,
    columns=(
        Column("response_id", "text", "One answer to the survey (R00001...)."),
        Column("customer_id", "text", "Who answered; the same ids as the relationships table."),
        Column("date", "date (YYYY-MM-DD)", "When the answer was given."),
        Column("channel", "text", "The channel the customer used before answering."),
        Column("score", "0-10, may be empty",
               "Answer to 'How likely are you to recommend us to a friend?' Empty when the customer wrote a "
               "comment but skipped the score."),
        Column("text", "text", "What the customer wrote, in their words."),
    ),
    how_made=(
        "1,100 to 1,400 answers over one year from customers of the relationships table (engaged customers "
        "answer more often). The score follows the strength of the customer's relationship plus noise. "
        "Each comment is composed from the sector's phrase templates filled with the profile's product "
        "nouns, on one or two of five themes (wait, price, staff, digital, quality); complaints come "
        "with scores of 0 to 6, mixed comments with 7 and 8, praise with 9 and 10. One theme causes about "
        "half of the complaints and another draws most of the praise; which ones depends on the seed and "
        "the profile. "
        "Every theme phrase contains a keyword of its theme in THEME_KEYWORDS and none of another theme."
    ),
    quirks=(
        "About 4% of answers have a comment but no score: leave them out of the NPS.",
        "About 8% of complaints are written in CAPITALS: match keywords without caring about case.",
        "About 7-10% of comments name no theme at all: a keyword tagger misses them, a reader would not.",
    ),
))

register(DatasetSpec(
    name="community_threads", module="reconnection",
    title="Community forum threads about the company",
    make=make_community_threads,
    columns=(
        Column("thread_id", "text", "One discussion thread."),
        Column("community", "text", "Where the thread was posted: the brand's own forum or an independent community."),
        Column("run_by_brand", "True/False", "True for the brand's own forum."),
        Column("started", "date (YYYY-MM-DD)", "Day the thread was opened."),
        Column("title", "text", "The first message's opening line."),
        Column("replies", "count", "Replies in the thread, from anyone."),
        Column("brand_replies", "count", "Replies posted by the company's staff."),
        Column("hours_to_first_reply", "hours, may be empty", "Time until the first reply; empty if nobody replied."),
        Column("solved", "True/False", "The person who asked marked the thread as solved."),
    ),
    how_made=(
        "650 to 850 threads (scaled by the profile's size) over one year in four communities named for "
        "the sector. The brand's forum holds 12-18% of threads and the brand replies to most of them; in "
        "the independent communities the brand replies to 2-10% and customers answer each other. Titles "
        "reuse the verbatims' phrase templates, so the same keyword tagger works on them."
    ),
    quirks=("Threads nobody answered have an empty hours_to_first_reply.",),
))

register(DatasetSpec(
    name="relationships", module="reconnection",
    title="Relationship strength per customer",
    make=make_relationships,
    columns=(
        Column("customer_id", "text", "Customer identifier (C00001...)."),
        Column("tenure_years", "years, one decimal", "How long they have been a customer."),
        Column("purchases_last_year", "count", "Purchases (orders, invoices, top-ups...) in the last 12 months."),
        Column("referrals_last_year", "count", "New customers they brought in over the last 12 months."),
        Column("revenue_last_year", "currency", "What they spent with the company in the last 12 months."),
        Column("main_channel", "text", "The channel they use most."),
    ),
    how_made=(
        "About 4,000 customers times the profile's size. A hidden engagement level drives tenure "
        "(gamma-distributed), purchases (Poisson around the profile's purchases per year) and referrals "
        "(rare: about one customer in ten referred someone). Revenue is purchases times a lognormal "
        "basket around the profile's median."
    ),
    quirks=("Some customers bought nothing last year but are still customers (revenue 0).",),
))

register(DatasetSpec(
    name="budget", module="reconnection",
    title="Marketing budget by relationship tier, and what each tier's spend really causes",
    make=make_budget,
    columns=(
        Column("tier", "text", "prospects (not customers yet), occasional, loyal or advocate customers."),
        Column("current_budget", "currency per year", "What this year's plan spends on the tier."),
        Column("attributed_return", "currency per currency unit spent",
               "What the campaign reports credited to each unit spent on the tier last year (attributed, not "
               "incremental: it counts purchases that would have happened anyway, and for prospects only the "
               "first weeks after they became customers)."),
        Column("ceiling", "currency, over three years",
               "The most extra revenue spending on this tier could ever cause over the next three years, "
               "from the holdout tests' curve."),
        Column("ceiling_low", "currency, over three years", "Low end of the tests' 95% range for the ceiling."),
        Column("ceiling_high", "currency, over three years", "High end of the tests' 95% range for the ceiling."),
        Column("half_spend", "currency per year", "The yearly spend at which the tier brings half of its ceiling."),
        Column("tested_up_to", "currency per year",
               "The largest yearly spend on the tier that the tests tried: beyond it the curve is a guess."),
        Column("what_it_pays_for", "text", "The kind of actions the money buys."),
    ),
    how_made=(
        "The total is 6-9% of the customers' revenue last year (Gartner's 2024 CMO Spend Survey puts marketing "
        "budgets at 7.7% of revenue on average). Today's plan gives 62-75% of it to prospects (acquisition). "
        "Each tier's curve, extra revenue = ceiling x spend / (spend + half_spend) over three years "
        "(course.measures.budget), stands for what randomised holdout tests at several spending levels "
        "measured (module 4's method): for prospects a ceiling of 18-26% of the customers' yearly revenue; for "
        "customer tiers a share of the tier's own revenue (occasional 28-40%, loyal 12-18%, advocates 4-7%: "
        "customers who already buy often have less left to gain). The ceiling's 95% range is +/-10-18% for "
        "prospects, 18-28% occasional, 20-32% loyal, 30-45% advocates. Attributed returns are what campaign "
        "reports credit: 1.2-1.7 per unit for prospects, 3-4.5 occasional, 5.5-7.5 loyal, 8-11 advocates."
    ),
    quirks=(
        "Attributed returns rank the tiers in the opposite order from what the next unit of spend causes.",
        "The curves were fitted between zero and tested_up_to: a plan far above it (doubling a budget) is a guess.",
    ),
))
