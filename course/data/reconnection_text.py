"""Module 5's customer words: the phrases verbatims and forum threads are composed from, and the composer.

A comment is one or two theme sentences (filled with the sector's product nouns, categories, dates and
small numbers) with at least one neutral part around them: an opener, a closer, or a line about the
customer ("I have banked here for ten years."). With many parts of each kind and many ways to fill
them, nearly every comment is different, as real ones are, and no template shows.

The rule that keeps the tagger honest: every theme sentence contains at least one keyword of its theme
(course.measures.themes.THEME_KEYWORDS) and none of another theme's, and the neutral parts contain no
keyword at all, so the transparent keyword tagger finds exactly the themes written (tests check every
part with every filling). Keywords match inside words ("late" in "plate"), so the parts avoid those.
"""
from __future__ import annotations

import itertools
import re

import numpy as np

from ..measures.themes import THEME_KEYWORDS
from .profiles import Profile

THEMES = tuple(THEME_KEYWORDS)

# What a slot can be filled with; {n0}..{n5} are the profile's product nouns, {cat} one of its categories.
SLOTS: dict[str, tuple[str, ...]] = {
    "weeks": ("two", "three", "four", "five", "six"),
    "days": ("two", "three", "four", "five", "six", "ten"),
    "minutes": ("20", "25", "35", "40", "45", "55", "70"),
    "times": ("twice", "three times", "again", "once more"),
    "when": ("last week", "yesterday", "in March", "this morning", "on Saturday", "over the summer",
             "two weeks ago", "before Christmas", "in January", "on Monday", "last month", "at the weekend"),
    "years": ("two", "three", "five", "seven", "ten", "twelve"),
    "relative": ("mother", "son", "daughter", "partner", "neighbour", "sister", "brother"),
    "nth": ("second", "third", "fourth", "fifth", "sixth"),
    "size": ("six", "ten", "twelve", "twenty", "forty"),
}

# Theme sentences per sector, by theme and tone ("neg" complains, "pos" praises).
PHRASES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "retail": {  # order, delivery, store, return, loyalty card, checkout
        "wait": {
            "neg": ("I waited {weeks} weeks for my {n0}.", "My {n1} arrived {days} days late.",
                    "The queue at the {n5} was endless {when}.", "The refund for my {n3} is so slow.",
                    "Another delay on my {n0}, and nobody tells me why.", "I ordered {when} and I am still waiting.",
                    "The {n1} slot was missed {times}, so I waited in all day.",
                    "{minutes} minutes in the queue for the {n5}."),
            "pos": ("My {n0} arrived the next day, no waiting at all.",
                    "No queue at the {n5} {when}, in and out in five minutes.",
                    "The {n1} came earlier than promised, no delay.",
                    "My {n3} was refunded in a day, no waiting around.",
                    "Ordered {when}, delivered the same evening, no delay at all."),
        },
        "price": {
            "neg": ("Prices have gone up again and the {n4} gives almost nothing.", "They charged me twice for the {n1}.",
                    "Far too expensive compared with other shops.", "The {n1} cost more than the item itself.",
                    "I was charged for a {n3} I never made.", "The {cat} range has become far too expensive."),
            "pos": ("Fair prices and the {n4} discounts are real.", "Not expensive at all for what you get.",
                    "Free {n1} and honest prices.", "The {cat} range has better prices than elsewhere.",
                    "The {n4} saved me money {when}, and the price was already fair."),
        },
        "staff": {
            "neg": ("The staff in the {n2} were rude when I asked for help.",
                    "Nobody on the staff could answer a simple question about my {n3}.",
                    "The sales agent ignored me for ten minutes.", "A rude assistant at the {n5} {when}.",
                    "The phone agent hung up on me {times}."),
            "pos": ("The staff in the {n2} were so helpful.", "A lovely sales agent helped me choose a {cat} gift.",
                    "Staff always smiling and helpful at the {n5}.", "The agent on the phone sorted my {n3} {when}.",
                    "Helpful, patient staff who know their {cat} products."),
        },
        "digital": {
            "neg": ("The app keeps crashing at the {n5}.", "Impossible to log in to track my {n0}.",
                    "The website lost my basket {times}.", "I forgot my password and the reset email never came.",
                    "The website showed a {cat} item in stock that was not.",
                    "The app signed me out in the middle of paying {when}."),
            "pos": ("The app makes ordering again easy.", "The website is clear and the {n5} is quick.",
                    "Tracking my {n0} online is simple.", "I bought a {cat} item online {when} in two minutes.",
                    "The app remembers my {n4}, very handy."),
        },
        "quality": {
            "neg": ("The {cat} item I bought broke after {weeks} weeks.", "Poor quality, the stitching came apart.",
                    "Received a faulty product and had to start a {n3}.",
                    "The {cat} range is not what it was, the quality has dropped.", "Two faulty items in one {n0}."),
            "pos": ("Great quality, everything I bought still looks new.", "Solid, reliable products that last.",
                    "The quality of the {cat} range is excellent.", "Reliable as always, my {cat} purchase is perfect."),
        },
    },
    "b2b_software": {  # dashboard, invoice, onboarding, integration, support ticket, renewal
        "wait": {
            "neg": ("I waited {weeks} weeks for an answer to my {n4}.", "{n2} dragged on for months, everything was slow.",
                    "The {n0} is painfully slow to load every morning.", "Every fix comes with a delay of several weeks.",
                    "Our {n4} from {when} is still waiting for a reply.",
                    "The export is so slow that we run it overnight."),
            "pos": ("Our {n4} was answered within the hour, no waiting.", "{n2} took two days, not a single delay.",
                    "Fast replies, we never wait long.", "The {n3} was live {when}, with no delay."),
        },
        "price": {
            "neg": ("The {n5} price went up by 30% without warning.", "Too expensive for a team of our size.",
                    "We were charged for seats nobody uses.", "Every extra {n3} costs more.",
                    "The {n5} quote {when} was far too expensive."),
            "pos": ("Fair price for what it does.", "The {n5} came with no surprise on price.",
                    "Not expensive compared with the big suites.", "The cost per seat is fair for a team like ours."),
        },
        "staff": {
            "neg": ("The support agent closed my {n4} without reading it.",
                    "The sales staff promised features that do not exist.",
                    "Our customer success advisor was rude on our last call.",
                    "The agent on the {n2} call {when} had not read our notes."),
            "pos": ("Our customer success advisor is brilliant and helpful.",
                    "The support agent solved our {n1} problem in one call.", "Helpful staff who know accounting.",
                    "The {n2} agent {when} was patient and helpful."),
        },
        "digital": {
            "neg": ("I cannot log in half of the time.", "The website help pages are out of date.",
                    "The password reset locks us out every month.", "The app on mobile is missing half the features.",
                    "Since the update {when}, I cannot log in from the office."),
            "pos": ("The app lets me sign off an {n1} from my phone.", "Everything is online, no more paper.",
                    "The website is clear and the {n0} is easy to read.", "Sending an {n1} online takes seconds."),
        },
        "quality": {
            "neg": ("The {n3} with our bank broke again after the update.", "Too many bugs in the {n1} module.",
                    "Numbers on the {n0} are not reliable.", "A bug in the {cat} module {when} wiped a day of work."),
            "pos": ("Reliable, it just works.", "The {n1} module is high quality and accurate.",
                    "No bugs in two years of use.", "The {cat} module has been reliable since day one."),
        },
    },
    "bank": {  # app, advisor, card, transfer, branch, fees
        "wait": {
            "neg": ("I waited {minutes} minutes on hold to block my {n2}.",
                    "My {n3} took {days} days to arrive, far too slow.", "The queue at the {n4} was out the door {when}.",
                    "The loan decision was so slow we nearly lost the house.",
                    "A simple {n3} {when} was delayed for a week."),
            "pos": ("My new {n2} came in two days, no wait.", "Instant {n3}, no delay at all.",
                    "No queue at the {n4}, seen straight away.", "The mortgage answer came {when}, no waiting."),
        },
        "price": {
            "neg": ("The {n5} keep going up for nothing.", "I was charged for a {n3} abroad without any warning.",
                    "Far too expensive compared with the new banks.", "Account costs are higher every year.",
                    "I was charged {times} for the same {n2}."),
            "pos": ("Low {n5} and no surprises.", "Fair price for the {n2}, nothing hidden.",
                    "Not expensive for a full service bank.", "The {cat} costs less than elsewhere."),
        },
        "staff": {
            "neg": ("My {n1} changed three times this year and never calls back.", "The staff at the {n4} were rude.",
                    "The phone agent could not answer a basic question.",
                    "My new {n1} {when} did not even know my name."),
            "pos": ("My {n1} knows my family and is always helpful.",
                    "The staff at the {n4} sorted everything with a smile.",
                    "A very helpful phone agent explained the mortgage.",
                    "The {n1} I met {when} took time to explain my {cat}."),
        },
        "digital": {
            "neg": ("The {n0} crashes every time I try to make a {n3}.", "Impossible to log in after the last update.",
                    "The website logs me out every two minutes.", "I had to reset my password four times this month.",
                    "The {n0} froze {when} in the middle of a {n3}."),
            "pos": ("The {n0} is brilliant, I do everything from my phone.",
                    "Paying online with my {n2} is simple and safe.", "The website is clear and fast.",
                    "Opening a {cat} online {when} took ten minutes."),
        },
        "quality": {
            "neg": ("My {n2} broke and the new one was faulty too.", "Statements full of errors, not reliable.",
                    "The contactless on my {n2} is faulty half the time.",
                    "The {cat} paperwork was full of mistakes, poor quality work."),
            "pos": ("Reliable bank, never a problem with my accounts.", "The quality of the {cat} cover is excellent.",
                    "Everything works, reliable from day one."),
        },
    },
    "telecom": {  # network, bill, router, plan, shop, customer service
        "wait": {
            "neg": ("I waited {minutes} minutes on hold with {n5}.", "The fibre installation was {weeks} weeks late.",
                    "The {n4} queue took an hour {when}.", "The replacement {n2} took forever, what a delay.",
                    "The engineer came {days} days late."),
            "pos": ("Fibre installed in three days, no delay.", "{n5} picked up straight away, no wait.",
                    "No queue at the {n4}, very quick.", "A new {n2} arrived {when}, no waiting."),
        },
        "price": {
            "neg": ("My {n1} went up again without warning, the price is too high.", "Charged for roaming I never used.",
                    "Too expensive for what the {n3} offers.", "Hidden costs everywhere on the {n1}.",
                    "I was charged {times} for the same month."),
            "pos": ("Good price for the family {n3}.", "The {n1} is clear and not expensive.",
                    "Fair price, no hidden costs.", "The {cat} offer {when} was the best price around."),
        },
        "staff": {
            "neg": ("The agent at {n5} was rude and hung up.", "The {n4} staff tried to sell me a {n3} I do not need.",
                    "Nobody on the staff could explain my {n1}.",
                    "The agent {when} promised a call back that never came."),
            "pos": ("The {n4} staff set up my phone, so helpful.", "A very helpful agent fixed my {n3} in minutes.",
                    "Friendly staff who take time to explain.", "The agent I spoke to {when} solved everything."),
        },
        "digital": {
            "neg": ("The app shows the wrong {n1} amount.", "I cannot log in to my account to change my {n3}.",
                    "The website chat goes round in circles.", "Password reset never works.",
                    "The app crashed {when} while I was paying my {n1}."),
            "pos": ("The app shows my data use in real time.", "Changing my {n3} online took two minutes.",
                    "The website is clear and simple.", "Paying my {n1} on the app takes seconds."),
        },
        "quality": {
            "neg": ("The {n0} drops my calls every day, poor quality.", "The {n2} is faulty and the new one too.",
                    "Coverage is not reliable outside the city.", "The {n0} broke down {when} for the whole evening."),
            "pos": ("The {n0} quality is excellent, even in the countryside.", "Reliable fibre, never a cut.",
                    "The new {n2} is great quality.", "My {cat} has been reliable all year."),
        },
    },
}

# For a profile added later without its own phrases: plainer sentences around its nouns.
GENERIC_PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "wait": {"neg": ("I waited {weeks} weeks to sort out my {n0}.", "Everything about my {n1} is so slow."),
             "pos": ("My {n0} was sorted the same day, no waiting.", "No delay at all with my {n1} {when}.")},
    "price": {"neg": ("Far too expensive for a {n2}.", "I was charged {times} for my {n0}."),
              "pos": ("Fair price for my {n2}.", "Not expensive for what you get.")},
    "staff": {"neg": ("The staff were rude about my {n1}.", "The agent could not help with my {n3} {when}."),
              "pos": ("The staff were so helpful with my {n1}.", "A helpful agent sorted my {n3}.")},
    "digital": {"neg": ("I cannot log in to manage my {n0}.", "The website loses everything I type."),
                "pos": ("The website makes my {n0} easy.", "Everything is online and simple.")},
    "quality": {"neg": ("My {n2} broke after a month.", "Poor quality all round."),
                "pos": ("Great quality, my {n2} is perfect.", "Reliable from the first day.")},
}

# A line about the customer: no keyword, so it never changes what the tagger finds.
CONTEXTS: dict[str, tuple[str, ...]] = {
    "retail": ("I have shopped with you for {years} years.", "It was a present for my {relative}.",
               "I go to the {n2} near my office.", "This was my {nth} {n0} this year.",
               "We bought most of our furniture from you.", "I mostly buy {cat} things.",
               "My {relative} told me about you.", "I come in every month."),
    "b2b_software": ("We have used the product for {years} years.", "Our finance team is {size} people.",
                     "We moved from spreadsheets {when}.", "I run finance for a {size}-person company.",
                     "Our accountant suggested you.", "We use the {cat} module every day.",
                     "We signed up in our first year of trading."),
    "bank": ("I have banked here for {years} years.", "My {relative} has an account here too.",
             "I use my {n2} abroad a lot.", "I have a mortgage with you.", "We bank here as a family.",
             "I moved from another bank {when}."),
    "telecom": ("I have been with you for {years} years.", "We have four phones on one {n3}.",
                "I live in a small village.", "I work from home most days.", "My {relative} is on the same {n3}.",
                "I switched from another operator {when}."),
}
GENERIC_CONTEXTS = ("I have been a customer for {years} years.", "My {relative} uses you too.",
                    "I contacted you {when}.")
WHEN_CONTEXTS = ("It happened {when}.", "This was {when}.")

OPENERS = {
    "neg": ("Very disappointed.", "Not happy at all.", "Honestly, never again.", "Third time this happens.",
            "What a mess.", "Frustrating.", "I am fed up.", "Shocking, really.", "Where do I start?",
            "Deeply unimpressed.", "This is not good enough.", "I expected better.", "Sorry, but this has to be said.",
            "Annoyed is an understatement.", "Terrible experience."),
    "mid": ("Mostly fine.", "Not bad.", "Good overall.", "Decent.", "It works for us.", "Pretty good."),
    "pos": ("Really happy.", "Love it.", "Ten out of ten.", "Brilliant.", "Great experience.", "So pleased.",
            "Impressed.", "Spot on.", "Could not be happier.", "A real pleasure.", "What a difference.",
            "Very satisfied.", "Top marks.", "Genuinely good.", "Happy customer here."),
}
CLOSERS = {
    "neg": ("I am looking elsewhere.", "Sort it out.", "Would not recommend.", "I am thinking of leaving.",
            "Please fix this.", "I will tell my friends.", "Last chance.", "I have complained twice already.",
            "Nobody seems to care.", "This is my second complaint this year.", "Do better.",
            "I am switching next month.", "So much for putting customers first.", "Very poor.",
            "I deserve better than this."),
    "mid": ("Otherwise fine.", "Still, I will stay.", "Good, not great.", "Fix that and it is perfect.",
            "Almost there.", "I would still recommend you."),
    "pos": ("Keep it up!", "Already told my friends.", "Thank you!", "Recommended to my sister.", "See you soon.",
            "Will come back for sure.", "Well done, team.", "Five stars from me.", "My family loves it too.",
            "Long may it continue.", "Please never change.", "Worth every penny.", "I tell everyone about you.",
            "Thanks again.", "A big thank you."),
}
PASSIVE_LINKS = ("One thing though:", "Only complaint:", "Room to improve:", "Just one problem:", "However:",
                 "On the other hand:", "If I had to pick one thing:", "The only downside:")
# Comments that name no theme at all: the tagger leaves them out, a human reader would not.
UNTHEMED = {
    "neg": ("Not what I expected.", "Disappointing from start to finish.", "I have had enough of {company}.",
            "Never again.", "Nothing went right this time.", "It used to be so much better.",
            "Everything about it was wrong.", "I gave it one more chance and regret it.",
            "The whole experience felt careless."),
    "mid": ("It does what it says.", "Fine, nothing special.", "Average, like the others.", "It is okay.",
            "No complaints, no surprises.", "It does the job."),
    "pos": ("Excellent, nothing to add.", "Always a pleasure.", "{company} never lets me down.", "Simply the best.",
            "Everything went perfectly.", "Exactly what I needed."),
}
THREAD_OPENERS = {"neg": ("Is it just me?", "Help:", "Warning:", "Anyone else?", "Question:", "Advice needed:",
                          "Heads up:"),
                  "pos": ("Tip:", "Good news:", "Worth knowing:")}

_SLOT = re.compile(r"\{(\w+)\}")


def phrases_for(profile: Profile) -> dict:
    """The theme sentences of the profile's sector (plain generic ones for a sector without its own)."""
    return PHRASES.get(profile.name, GENERIC_PHRASES)


def contexts_for(profile: Profile) -> tuple[str, ...]:
    """The lines about the customer for the profile's sector, and lines about when it happened."""
    return CONTEXTS.get(profile.name, GENERIC_CONTEXTS) + WHEN_CONTEXTS


def _values(profile: Profile) -> dict[str, tuple[str, ...]]:
    """Every value each slot can take for this profile."""
    values = {f"n{i}": (noun,) for i, noun in enumerate(profile.product_nouns)}
    values.update(SLOTS, cat=tuple(c.lower() for c in profile.product_categories), company=(profile.company,))
    return values


def fill(template: str, rng: np.random.Generator, profile: Profile) -> str:
    """One part with its slots filled at random, first letter in capitals."""
    values = _values(profile)
    text = _SLOT.sub(lambda m: _pick(rng, values[m.group(1)]), template)
    return text[0].upper() + text[1:]


def every_filling(template: str, profile: Profile) -> list[str]:
    """Every way a part can be filled (for the tests: each must tag as its theme, and only it)."""
    values = _values(profile)
    names = list(dict.fromkeys(_SLOT.findall(template)))
    out = []
    for combo in itertools.product(*(values[n] for n in names)):
        text = template
        for name, value in zip(names, combo):
            text = text.replace("{" + name + "}", value)
        out.append(text[0].upper() + text[1:])
    return out


def _pick(rng: np.random.Generator, options) -> str:
    return str(options[int(rng.integers(len(options)))])


def other_theme(rng: np.random.Generator, not_this: str) -> str:
    return _pick(rng, [t for t in THEMES if t != not_this])


def theme_with_lead(rng: np.random.Generator, lead: str, lead_p: float) -> str:
    """A theme where `lead` has probability `lead_p` and the four others share the rest equally."""
    return lead if rng.random() < lead_p else other_theme(rng, lead)


def _around(rng: np.random.Generator, profile: Profile, core: list[str], tone: str, p: tuple) -> list[str]:
    """The core sentences with an opener, a line about the customer and a closer, each drawn with its
    probability in `p`; at least one of them, so no comment is a bare template."""
    chosen = [rng.random() < q for q in p]
    if not any(chosen):
        chosen[int(rng.integers(3))] = True
    parts = list(core)
    if chosen[1]:
        line = fill(_pick(rng, contexts_for(profile)), rng, profile)
        parts.insert(0 if rng.random() < 0.6 else len(parts), line)
    if chosen[0]:
        parts.insert(0, _pick(rng, OPENERS[tone]))
    if chosen[2]:
        parts.append(_pick(rng, CLOSERS[tone]))
    return parts


def compose_verbatim(rng: np.random.Generator, profile: Profile, score: int, plan: dict) -> tuple[str, tuple[str, ...]]:
    """A customer comment whose tone follows the score; returns (text, themes it mentions)."""
    phrases = phrases_for(profile)

    def say(theme: str, tone: str) -> str:
        return fill(_pick(rng, phrases[theme][tone]), rng, profile)

    tone = "neg" if score <= 6 else "mid" if score <= 8 else "pos"
    untagged = {"neg": 0.07, "mid": 0.1, "pos": 0.07}[tone]
    if rng.random() < untagged:
        core = [fill(_pick(rng, UNTHEMED[tone]), rng, profile)]
        return " ".join(_around(rng, profile, core, tone, (0.6, 0.5, 0.6))), ()
    if tone == "neg":
        first = theme_with_lead(rng, plan["pain"], 0.5)
        core, themes = [say(first, "neg")], [first]
        if rng.random() < 0.25:
            themes.append(other_theme(rng, first))
            core.append(say(themes[-1], "neg"))
        return " ".join(_around(rng, profile, core, "neg", (0.65, 0.45, 0.6))), tuple(themes)
    if tone == "mid":
        first = theme_with_lead(rng, plan["praise"], 0.5)
        core, themes = [say(first, "pos")], [first]
        if rng.random() < 0.55:
            themes.append(other_theme(rng, first))
            worse = say(themes[-1], "neg")
            core.append(f"{_pick(rng, PASSIVE_LINKS)} {worse[0].lower()}{worse[1:]}")
        return " ".join(_around(rng, profile, core, "mid", (0.5, 0.45, 0.4))), tuple(themes)
    first = theme_with_lead(rng, plan["praise"], 0.6)
    core, themes = [say(first, "pos")], [first]
    if rng.random() < 0.3:
        themes.append(other_theme(rng, first))
        core.append(say(themes[-1], "pos"))
    return " ".join(_around(rng, profile, core, "pos", (0.65, 0.45, 0.6))), tuple(themes)


def thread_title(rng: np.random.Generator, profile: Profile, plan: dict) -> str:
    """The opening line of a forum thread: mostly a complaint about the pain theme, sometimes praise."""
    tone = "neg" if rng.random() < 0.7 else "pos"
    theme = theme_with_lead(rng, plan["pain"] if tone == "neg" else plan["praise"], 0.4)
    return f"{_pick(rng, THREAD_OPENERS[tone])} {fill(_pick(rng, phrases_for(profile)[theme][tone]), rng, profile)}"
