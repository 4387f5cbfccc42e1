"""Facts the essays cite about the marketing world: studies, surveys, forecasts and anecdotes."""
from __future__ import annotations

from .model import NOT_FOUND, PART_PRIMARY, SECONDARY_ONLY, Reference, Source

_ESSAY_300 = "Marketing organisations must manage on average 300 tools ('en moyenne 300 outils')."
_UNTRACED_300 = (
    "We found no survey behind 'an average of 300 tools per marketing organisation'. The counts we found "
    "measure other things: Brinker's landscape counts products on the market, and Gartner's 2020 analysis "
    "put its best-rated brands at 55 or more products. Say 'the essay says about 300; we could not trace "
    "the figure', or drop it."
)

BRINKER_LANDSCAPE = Source(
    id="brinker_landscape",
    citation="Scott Brinker's marketing technology landscape (chiefmartec.com), as reported by *Ad Age*",
    claim=(
        "Scott Brinker's landscape counts the martech products on the market, not the tools one company uses: "
        "150 in his first chart (2011), 350 the next year, more than 1,000 in 2014 and 5,381 logos in the "
        "edition Ad Age described."
    ),
    primary=Reference(author="Scott Brinker", title="Marketing Technology Landscape", publisher="chiefmartec.com",
                      read="not read"),
    access=SECONDARY_ONLY,
    secondary=(
        Reference(author="Ad Age", title="Scott Brinker Explains WTF This Martech Graphic Means",
                  url="https://adage.com/article/digital/scott-brinker-experts-explain-wtf-chart-means/309004/",
                  read="article text (its date is not in our copy)"),
    ),
    essay="essay_ou_est_passe_le_client",
    essay_says=_ESSAY_300,
    discrepancy=_UNTRACED_300,
    cannot_tell="How many tools any one company runs, or uses.",
)

CHIEFMARTEC_STACK_SIZE = Source(
    id="chiefmartec_stack_size_2020",
    citation=(
        'Scott Brinker, "The larger your martech stack, the better your marketing performance? Maybe", '
        "chiefmartec.com, August 2020"
    ),
    claim=(
        "Gartner research discussed by Scott Brinker in 2020 found that the brands Gartner rates highest for "
        "digital performance ('Genius' brands) tended to have larger martech stacks, with 55 or more products."
    ),
    primary=Reference(
        author="Scott Brinker", title="The larger your martech stack, the better your marketing performance? Maybe",
        publisher="chiefmartec.com", year="August 2020",
        url="https://chiefmartec.com/2020/08/larger-martech-stack-better-marketing-performance-maybe/",
        read="the opening of the post; the Gartner report it discusses (by Benjamin Bloom) not read",
    ),
    access=PART_PRIMARY,
    essay="essay_ou_est_passe_le_client",
    essay_says=_ESSAY_300,
    discrepancy=_UNTRACED_300,
    cannot_tell=(
        "A correlation across brands: it says neither that more tools cause better results nor how much of "
        "each stack is used."
    ),
)

GARTNER_MARTECH_2023 = Source(
    id="gartner_martech_utilisation_2023",
    citation=(
        'Gartner, "Gartner Survey Finds 63% of Marketing Leaders Plan to Invest in Generative AI in the Next '
        '24 Months", press release, 23 August 2023'
    ),
    claim=(
        "In Gartner's 2023 survey of 405 marketing leaders, organisations reported using on average 33% of "
        "their martech stack's capabilities, down from 42% in 2022 and 58% in 2020."
    ),
    primary=Reference(
        author="Gartner, Inc.", title="Gartner Survey Finds 63% of Marketing Leaders Plan to Invest in Generative AI "
        "in the Next 24 Months", publisher="press release", year="23 August 2023",
        read="full text as reproduced by MarketScreener; the gartner.com page itself not opened",
    ),
    access=PART_PRIMARY,
    secondary=(
        Reference(author="MarketScreener", title="reproduction of the Gartner press release", year="23 August 2023",
                  url="https://www.marketscreener.com/quote/stock/GARTNER-INC-40311131/news/Gartner-Survey-Finds-63-of-"
                      "Marketing-Leaders-Plan-to-Invest-in-Generative-AI-in-the-Next-24-Month-44676512/"),
        Reference(author="Gartner", title="Gartner Marketing Technology Survey 2020: 4 steps to improve martech stack "
                  "utilization", year="2020",
                  url="https://www.gartner.com/en/marketing/insights/articles/gartner-marketing-tech-survey-2020-4-steps-"
                      "improve-martech-stack-utilization",
                  read="opening: 58% utilisation, flat since 2019"),
    ),
    cannot_tell=(
        "Self-reported estimates of how much of their tools' capabilities leaders use: it counts neither "
        "tools nor licensed seats, so it is a different measure from module 1's active users per seat."
    ),
)

PHD_WARC_SHIFT = Source(
    id="phd_warc_shift_2021",
    citation="PHD and WARC survey of 1,721 senior marketers for PHD's book *Shift: A Marketing Rethink* (PHD, 2021)",
    claim=(
        "In a 2021 PHD/WARC survey of 1,721 senior brand marketers, 88% of marketing organisations said they "
        "regularly carry out reporting, against 51% ten years earlier, and reporting had overtaken "
        "origination (coming up with ideas) as the most carried-out function."
    ),
    primary=Reference(author="PHD Worldwide", title="Shift: A Marketing Rethink", publisher="PHD", year="2021",
                      url="https://shiftbyphd.com", read="not read (the book and its survey tables)"),
    access=SECONDARY_ONLY,
    secondary=(
        Reference(author="PHD Manchester", title="Marketers spend more time reporting than creating",
                  publisher="phdmedia.com", year="3 September 2021",
                  url="https://www.phdmedia.com/manchester/2021/09/03/marketers-spend-more-time-reporting-than-creating/",
                  read="full news post (PHD's own summary of its study)"),
        Reference(author="Campaign", title="PHD: marketers spend more time reporting than creating", year="18 August 2021",
                  url="https://www.campaignlive.com/article/phd-marketers-spend-time-reporting-creating/1725097",
                  read="article opening"),
    ),
    essay="essay_ou_est_passe_le_client",
    essay_says=(
        "Reporting is now the first of the CMO's missions for 80% of respondents, up 27 points in ten years."
    ),
    discrepancy=(
        "Published figures: 88%, from 51% (+37 points), not 80% and +27. The accounts also call the rise "
        "'57%', which 51% to 88% is not (that is +73%), and Campaign words it as '88% of marketers say they "
        "spend most of their time on reporting tasks', a different measure from PHD's 'regularly carrying "
        "out'. Respondents were senior brand marketers, not only CMOs."
    ),
    cannot_tell=(
        "Self-reported: whether organisations regularly do a task, not the hours spent on it; from marketers "
        "who chose to answer a media agency's survey for its own book."
    ),
)

STONE_EVERYTHING_STORE = Source(
    id="stone_everything_store",
    citation="Brad Stone, *The Everything Store: Jeff Bezos and the Age of Amazon* (Little, Brown, 2013)",
    claim=(
        "Brad Stone reports that in the 2000 holiday season, after Amazon's customer-service chief said callers "
        "waited less than a minute, Jeff Bezos rang the 800 number from the meeting room and, by the account "
        "of several people present, about four and a half minutes passed before anyone answered."
    ),
    primary=Reference(author="Brad Stone", title="The Everything Store: Jeff Bezos and the Age of Amazon",
                      publisher="Little, Brown", year="2013",
                      read="not read; the passage as quoted by two blogs (English and Japanese editions) and an unattributed web summary"),
    access=SECONDARY_ONLY,
    secondary=(
        Reference(author="grimbeorn.blogspot.com", title='"The real \'Amazon experience\'" (blog post quoting the book)',
                  year="December 2013",
                  url="https://grimbeorn.blogspot.com/2013/12/the-real-amazon-experience.html"),
        Reference(author="o-k-o.hatenadiary.org", title="blog post quoting the book's Japanese edition", year="22 April 2015",
                  url="https://o-k-o.hatenadiary.org/entry/20150422", read="the same passage: about four and a half minutes"),
    ),
    essay="essay_ou_est_passe_le_client",
    essay_says="He had to wait several tens of seconds ('plusieurs dizaines de secondes') before anyone picked up.",
    discrepancy=(
        "Both public accounts give minutes, not seconds. 'Several tens of seconds' sits inside the one-minute "
        "promise, so the story as the essay tells it proves nothing."
    ),
    cannot_tell=(
        "A reconstruction from attendees' memories more than a dozen years on; one call is an anecdote, not a "
        "measurement of typical waits."
    ),
)

BEZOS_LEX_FRIDMAN = Source(
    id="bezos_lex_fridman_2023",
    citation="Jeff Bezos on the *Lex Fridman Podcast* #405, 14 December 2023 (transcript at lexfridman.com)",
    claim=(
        "Bezos recalled that Amazon's metrics showed callers waiting under 60 seconds while customers "
        "complained of longer waits; he called the 1-800 number in a meeting and waited 'more than 10 "
        "minutes, I think', which showed 'we weren't measuring the right thing'."
    ),
    primary=Reference(author="Lex Fridman with Jeff Bezos", title="Jeff Bezos: Amazon and Blue Origin",
                      publisher="Lex Fridman Podcast, episode 405", year="14 December 2023",
                      url="https://lexfridman.com/jeff-bezos-transcript/",
                      read="the transcript's opening; the passage itself as quoted word for word by several reports"),
    access=PART_PRIMARY,
    secondary=(
        Reference(author="TweakTown", title="Jeff Bezos explains the legendary call he made to Amazon customer service",
                  year="20 December 2023",
                  url="https://www.tweaktown.com/news/95066/jeff-bezos-explains-the-legendary-call-he-made-to-amazon-"
                      "customer-service/index.html"),
    ),
    essay="essay_ou_est_passe_le_client",
    essay_says="He had to wait several tens of seconds ('plusieurs dizaines de secondes') before anyone picked up.",
    discrepancy=(
        "Bezos's own memory (over ten minutes) and Stone's attendees (about four and a half) differ from each "
        "other, and both from the essay (tens of seconds). Cite both, with who said what and when."
    ),
    cannot_tell="A participant's hedged memory more than twenty years later; it gives no date for the meeting.",
    note="Bezos's rule, same passage: 'When the data and the anecdotes disagree, the anecdotes are usually right.'",
)

AVIVA_MICHAEL = Source(
    id="aviva_michael_2020",
    citation='BBC News, "Insurer Aviva apologises to mistaken Michaels", 28 January 2020',
    claim=(
        "In January 2020 Aviva apologised after e-mails to several thousand existing customers greeted them "
        "all as 'Michael', which it blamed on 'a temporary technical error in our mailing template'."
    ),
    primary=Reference(author="BBC News", title="Insurer Aviva apologises to mistaken Michaels", year="28 January 2020",
                      read="full text as reproduced on another site; the bbc.co.uk address not confirmed"),
    access=PART_PRIMARY,
    secondary=(
        Reference(author="Eastern Daily Press", title="Taking the Michael - Aviva apologises after mistakenly calling "
                  "thousands of customers the wrong name",
                  url="https://www.edp24.co.uk/business/norwich-based-aviva-apologises-to-thousands-of-customers-after-"
                      "mistakenly-calling-them-michael-1-6485944"),
        Reference(author="The Courier", title="article on the Aviva 'Michael' e-mails (January 2020)",
                  url="https://thecourier.co.uk/fp/news/perth-kinross/1107833/taking-the-michael-perth-firm-aviva-says-"
                      "sorry-to-thousands-of-customers-for-calling-them-michael"),
    ),
    essay="essay_rmit_souness",
    essay_says="Aviva accidentally addressed its entire e-mail database as Michael earlier this year.",
    discrepancy=(
        "The essays say Aviva e-mailed its whole base as 'Michael'; the BBC reported several thousand "
        'customers of a company with millions, and a template error, not personalisation run amok. '
        'Modules 2 and 4 tell it as reported.'
    ),
    cannot_tell="No exact count was published; one template bug says little about personalisation either way.",
)

GARTNER_PERSONALISATION = Source(
    id="gartner_personalisation_2019",
    citation=(
        'Gartner, "Gartner Predicts 80% of Marketers Will Abandon Personalization Efforts by 2025", press '
        "release, December 2019"
    ),
    claim=(
        "Gartner predicted in December 2019 that by 2025, 80% of marketers who have invested in personalisation "
        "would abandon their efforts because of lack of ROI, the perils of customer data management, or both."
    ),
    primary=Reference(author="Gartner, Inc.", title="Gartner Predicts 80% of Marketers Will Abandon Personalization "
                      "Efforts by 2025", publisher="press release (report: Predicts 2020: Marketers, They're Just Not "
                      "That Into You)", year="December 2019",
                      read="the release's wording as quoted identically by WARC and several trade sites"),
    access=SECONDARY_ONLY,
    secondary=(
        Reference(author="WARC", title="news article on Gartner's personalisation prediction",
                  url="https://www.warc.com/newsandopinion/news/marketers-drop-personalisation/en-gb/42993"),
    ),
    essay="essay_rmit_souness",
    essay_says="Eight marketers in ten would completely abandon personalised marketing by 2025.",
    discrepancy=(
        "The forecast is about marketers who have invested in personalisation, gives its reasons (no ROI, "
        "customer-data risks) and does not say 'completely'. It is a prediction, not a finding."
    ),
    cannot_tell="A 2019 forecast: whether it came true by 2025 is a separate question we have not checked.",
)

GARTNER_CONSUMER_TRUST = Source(
    id="gartner_consumer_trust_unfound",
    citation="a Gartner study cited by Helen Souness (2020) that we could not identify",
    claim=(
        "Helen Souness (2020) cites a Gartner study in which most consumers lacked trust in digital "
        "advertising; we could not find that study, so the course should not state its finding as fact."
    ),
    primary=Reference(author="Gartner, Inc.", title="not identified"),
    access=NOT_FOUND,
    secondary=(
        Reference(author="Kate Muhl (Gartner)", title="The Dramatic Collapse of Consumer Trust Is Bad for Brands and "
                  "Challenging for Marketing Leaders", year="11 July 2019",
                  url="https://www.gartner.com/en/documents/3947356/the-dramatic-collapse-of-consumer-trust-is-bad-for-brand",
                  read="summary only: U.S. consumer trust across aspects of American life, 2016-2018; not about "
                       "digital advertising as such"),
    ),
    essay="essay_rmit_souness",
    essay_says="A Gartner study found that a majority of consumers lack trust in digital advertising.",
    discrepancy="No matching Gartner publication found; the closest is about trust in institutions in general.",
    cannot_tell="Anything, until the study is found: drop the claim or attribute it to the essay only.",
)

DRUCKER_1973 = Source(
    id="drucker_1973",
    citation="Peter F. Drucker, *Management: Tasks, Responsibilities, Practices* (1973)",
    claim=(
        "Peter Drucker wrote that 'the aim of marketing is to make selling superfluous' and that 'the aim of "
        "marketing is to know and understand the customer so well that the product or service fits him and "
        "sells itself'."
    ),
    primary=Reference(author="Peter F. Drucker", title="Management: Tasks, Responsibilities, Practices", year="1973",
                      read="not read; the wording as quoted by several secondary sources (some drop 'that'); page "
                           "and publisher not confirmed here"),
    access=SECONDARY_ONLY,
    essay="essay_ou_est_passe_le_client",
    discrepancy=(
        "The essay's French is faithful. The course quotes the English wording rather than a shortened "
        'paraphrase.'
    ),
    cannot_tell="An ideal, not evidence that any method reaches it.",
)

STORIES = (BRINKER_LANDSCAPE, CHIEFMARTEC_STACK_SIZE, GARTNER_MARTECH_2023, PHD_WARC_SHIFT, STONE_EVERYTHING_STORE,
           BEZOS_LEX_FRIDMAN, AVIVA_MICHAEL, GARTNER_PERSONALISATION, GARTNER_CONSUMER_TRUST, DRUCKER_1973)
