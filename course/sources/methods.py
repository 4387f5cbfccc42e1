"""Sources for the measures, laws and platform rules the modules teach with."""
from __future__ import annotations

from .model import PART_PRIMARY, READ_PRIMARY, SECONDARY_ONLY, Reference, Source

REICHHELD_2003 = Source(
    id="reichheld_2003",
    citation='Frederick F. Reichheld, "The One Number You Need to Grow", *Harvard Business Review*, December 2003',
    claim=(
        "Reichheld introduced the Net Promoter measure in 2003: customers answer 'How likely is it that you "
        "would recommend our company to a friend or colleague?' from 0 to 10; promoters answer 9 or 10, "
        "detractors 0 to 6, and the score is the percentage of promoters minus the percentage of detractors."
    ),
    primary=Reference(author="Frederick F. Reichheld", title="The One Number You Need to Grow",
                      publisher="Harvard Business Review", year="December 2003", locator="reprint R0312C",
                      read="the opening pages in a reproduction of the reprint; the question and cut-offs as "
                           "restated by Keiningham et al. (2007) and others"),
    access=PART_PRIMARY,
    essay="essay_ou_est_passe_le_client",
    discrepancy=(
        'The essays use NPS without attributing it. The course names Reichheld (2003) where NPS is '
        'defined (module 3) and Keiningham et al. (2007), who tested his growth claim.'
    ),
    cannot_tell=(
        "NPS counts stated intentions to recommend, not recommendations or purchases, and says nothing about "
        "why; its claimed link to growth is disputed (Keiningham et al., 2007)."
    ),
    note=(
        "Net Promoter and NPS are registered trademarks (of Bain & Company, Satmetrix and Fred Reichheld, per "
        "secondary accounts); the course uses the name to teach the calculation."
    ),
)

KEININGHAM_2007 = Source(
    id="keiningham_2007",
    citation=(
        'Timothy L. Keiningham, Bruce Cooil, Tor Wallin Andreassen and Lerzan Aksoy, "A Longitudinal '
        'Examination of Net Promoter and Firm Revenue Growth", *Journal of Marketing* 71 (July 2007): 39-51'
    ),
    claim=(
        "With data on 21 firms and more than 15,500 interviews from the Norwegian Customer Satisfaction "
        "Barometer, Keiningham and colleagues could not replicate the claim that Net Promoter predicts growth "
        "better than other loyalty and satisfaction measures."
    ),
    primary=Reference(author="Timothy L. Keiningham, Bruce Cooil, Tor Wallin Andreassen, Lerzan Aksoy",
                      title="A Longitudinal Examination of Net Promoter and Firm Revenue Growth",
                      publisher="Journal of Marketing", year="July 2007", locator="vol. 71, pp. 39-51",
                      read="abstract and first page"),
    access=PART_PRIMARY,
    cannot_tell="It tests one claim (prediction of growth); it does not say NPS is useless for listening.",
)

DANIELS_1952 = Source(
    id="daniels_1952",
    citation=(
        'Gilbert S. Daniels, *The "Average Man"?*, Technical Note WCRD 53-7, Wright Air Development Center, '
        "US Air Force, December 1952"
    ),
    claim=(
        "Using body measurements of 4,063 Air Force flying personnel, Lt Gilbert S. Daniels counted how many "
        "were 'approximately average' on ten dimensions that matter for design: not one was average on all ten."
    ),
    primary=Reference(author="Gilbert S. Daniels", title='The "Average Man"?',
                      publisher="Aero Medical Laboratory, Wright Air Development Center", year="December 1952",
                      locator="Technical Note WCRD 53-7; DTIC AD 10203",
                      url="https://archive.org/stream/DTIC_AD0010203/DTIC_AD0010203_djvu.txt",
                      read="title page, foreword and introduction (scanned text); the counts as reported by Rose (2016)"),
    access=PART_PRIMARY,
    secondary=(
        Reference(author="H. T. E. Hertzberg, G. S. Daniels and E. Churchill", title="Anthropometry of Flying "
                  "Personnel-1950", publisher="WADC Technical Report 52-321, Wright Air Development Center",
                  year="September 1954", read="title page: the 1950 survey Daniels drew on"),
    ),
    discrepancy=(
        "Rose describes Daniels's band as 'the middle 30 per cent of the range of values' (5 ft 7 to 5 ft "
        "11 around a 5 ft 9 mean), and we could not read Daniels's own definition: the course speaks of a "
        'narrow band around the average and presents its percentile band (35th to 65th) as its own '
        "version. 'The Air Force then asked for adjustable seats' is Rose's account, told as his, not in "
        'the pages we read.'
    ),
    cannot_tell=(
        "Body sizes are not customer attributes: the lesson carries over as arithmetic (narrow bands multiply), "
        "not as evidence about customers."
    ),
)

ROSE_2016 = Source(
    id="rose_end_of_average",
    citation="Todd Rose, *The End of Average: How We Succeed in a World That Values Sameness* (2016)",
    claim=(
        "Todd Rose retells Daniels's study: in 1950 the Air Force measured more than 4,000 pilots on 140 "
        "dimensions; Daniels took ten, called a pilot average when within the middle 30 per cent of the range "
        "of values on each, and found that none of 4,063 pilots was average on all ten."
    ),
    primary=Reference(author="Todd Rose", title="The End of Average: How We Succeed in a World That Values Sameness",
                      year="2016", read="the excerpt published by the Toronto Star (16 January 2016), as reproduced"),
    access=PART_PRIMARY,
    secondary=(
        Reference(author="Toronto Star", title="When U.S. air force discovered the flaw of averages",
                  year="16 January 2016",
                  url="https://www.thestar.com/news/insight/2016/01/16/when-us-air-force-discovered-the-flaw-of-averages.html"),
    ),
    discrepancy=(
        "Rose's figure for three dimensions is quoted elsewhere as less than 3.5 per cent (such as neck, "
        'thigh and wrist circumference); we did not read that sentence ourselves, so the course quotes no '
        "figure from it and computes its own on the learner's data."
    ),
    cannot_tell="A popular retelling, 64 years later, with its own framing; check numbers against Daniels.",
)

GOODHART_1975 = Source(
    id="goodhart_1975",
    citation=(
        'Charles A. E. Goodhart, "Problems of Monetary Management: The U.K. Experience", *Papers in Monetary '
        "Economics*, vol. I (Reserve Bank of Australia, 1975)"
    ),
    claim=(
        "Goodhart's law, in Charles Goodhart's own 1975 words: 'Any observed statistical regularity will tend "
        "to collapse once pressure is placed upon it for control purposes.'"
    ),
    primary=Reference(author="Charles A. E. Goodhart", title="Problems of Monetary Management: The U.K. Experience",
                      publisher="Papers in Monetary Economics, vol. I, Reserve Bank of Australia", year="1975",
                      read="not read; the title and the sentence as quoted identically by many secondary sources"),
    access=SECONDARY_ONLY,
    secondary=(
        Reference(author="Bloomberg", title="Goodhart's Law Rules the Modern World. Here Are Nine Examples",
                  year="26 March 2021",
                  url="https://www.bloomberg.com/news/articles/2021-03-26/goodhart-s-law-rules-the-modern-world-here-"
                      "are-nine-examples",
                  read="opening: the line was said at a 1975 conference in Sydney and was, Goodhart later said, "
                       "'intended as a humorous, throw-away line'"),
    ),
    discrepancy=(
        "The wording usually quoted as Goodhart's law ('when a measure becomes a target, it ceases to be "
        "a good measure') is Marilyn Strathern's (1997); Goodhart's 1975 sentence is about statistical "
        'regularities collapsing under control. Module 4 gives both, each to its author.'
    ),
    cannot_tell="Goodhart wrote about monetary policy; applying it to ad optimisers is an analogy.",
)

STRATHERN_1997 = Source(
    id="strathern_1997",
    citation="Marilyn Strathern, \"'Improving ratings': audit in the British University system\", *European Review* 5(3): 305-321 (1997)",
    claim=(
        "The popular wording of Goodhart's law, 'When a measure becomes a target, it ceases to be a good "
        "measure', comes from the anthropologist Marilyn Strathern's 1997 paper on university audit."
    ),
    primary=Reference(author="Marilyn Strathern", title="'Improving ratings': audit in the British University system",
                      publisher="European Review", year="1997", locator="vol. 5, no. 3, pp. 305-321",
                      url="https://www.cambridge.org/core/journals/european-review/article/improving-ratings-audit-in-the-"
                          "british-university-system/FC2EE640C0C44E3DB87C29FB666E9AAB",
                      read="abstract and first page; the sentence is attributed to this paper by many secondary "
                           "sources, page not confirmed"),
    access=PART_PRIMARY,
    cannot_tell="A paraphrase of Goodhart in a paper about universities, not an empirical finding.",
)

SIMPSON_1951 = Source(
    id="simpson_1951",
    citation=(
        'Edward H. Simpson, "The Interpretation of Interaction in Contingency Tables", *Journal of the Royal '
        "Statistical Society, Series B* 13(2): 238-241 (1951)"
    ),
    claim=(
        "Simpson (1951) showed that an association present in every sub-table can vanish or reverse when the "
        "tables are pooled; the name 'Simpson's paradox' was given later (Blyth, 1972)."
    ),
    primary=Reference(author="Edward H. Simpson", title="The Interpretation of Interaction in Contingency Tables",
                      publisher="Journal of the Royal Statistical Society, Series B", year="1951",
                      locator="vol. 13, no. 2, pp. 238-241", url="https://doi.org/10.1111/j.2517-6161.1951.tb00088.x",
                      read="not read; details from many concordant citations"),
    access=SECONDARY_ONLY,
    secondary=(
        Reference(author="Colin R. Blyth", title="On Simpson's Paradox and the Sure-Thing Principle",
                  publisher="Journal of the American Statistical Association", year="1972",
                  locator="vol. 67, no. 338, pp. 364-366", read="not read; named the paradox"),
    ),
    cannot_tell=(
        "A reversal shows that the mix changed; whether the pooled or the per-group figure answers your "
        "question depends on what causes what."
    ),
)

META_ATTRIBUTION = Source(
    id="meta_attribution_setting",
    citation='Meta Business Help Centre, "About the attribution setting"',
    claim=(
        "Meta counts a conversion for an ad when it happens within the ad set's attribution setting: 1 or 7 "
        "days after a click, 1 day after a view (or an engaged view); for ad sets created since 23 September "
        "2021 the default is 7-day click or 1-day view."
    ),
    primary=Reference(author="Meta", title="About the attribution setting", publisher="Meta Business Help Centre",
                      url="https://www.facebook.com/business/help/460276478298895",
                      read="the page's text in a copy (the settings); the 2021 default in a reproduction of Meta's "
                           "notice; the page changes over time"),
    access=PART_PRIMARY,
    discrepancy=(
        "A rule counting a purchase 'if the buyer saw one of their ads in the 7 days before' has no "
        "source we found and is no platform default: Meta's default is 7 days after a click or 1 day "
        "after a view; Google Ads' is 30 days after a click. Module 4 and its data cards give these "
        "defaults and call the holdout's counting rule the course's own."
    ),
    cannot_tell="Which of the counted purchases the ads caused: an attribution window is a counting rule.",
)

GOOGLE_CONVERSION_WINDOW = Source(
    id="google_ads_conversion_window",
    citation='Google Ads Help, "About conversion windows"',
    claim=(
        "Google Ads records a conversion when it happens within the conversion window after an ad interaction "
        "(such as a click); the window is set per conversion action and the default is 30 days."
    ),
    primary=Reference(author="Google", title="About conversion windows", publisher="Google Ads Help",
                      url="https://support.google.com/google-ads/answer/3123169", read="the help page"),
    access=READ_PRIMARY,
    discrepancy="See meta_attribution_setting: no default we found is '7 days after seeing an ad'.",
    cannot_tell="Which of the counted conversions the ads caused.",
)

LEWIS_RAO_2015 = Source(
    id="lewis_rao_2015",
    citation=(
        'Randall A. Lewis and Justin M. Rao, "The Unfavorable Economics of Measuring the Returns to '
        'Advertising", *Quarterly Journal of Economics* 130(4): 1941-1973 (2015)'
    ),
    claim=(
        "Lewis and Rao (2015) show that the returns to advertising are very hard to measure: individual "
        "purchases vary so much that even very large randomised experiments leave wide uncertainty."
    ),
    primary=Reference(author="Randall A. Lewis and Justin M. Rao", title="The Unfavorable Economics of Measuring the "
                      "Returns to Advertising", publisher="Quarterly Journal of Economics", year="2015",
                      locator="vol. 130, no. 4, pp. 1941-1973",
                      url="https://academic.oup.com/qje/article-abstract/130/4/1941/1914592",
                      read="not read; details and gist from concordant secondary citations"),
    access=SECONDARY_ONLY,
    cannot_tell="It is about how precisely effects can be measured, not about whether a given campaign works.",
)

GHOST_ADS_2017 = Source(
    id="ghost_ads_2017",
    citation=(
        'Garrett A. Johnson, Randall A. Lewis and Elmar I. Nubbemeyer, "Ghost Ads: Improving the Economics of '
        'Measuring Online Ad Effectiveness", *Journal of Marketing Research* 54(6): 867-884 (2017)'
    ),
    claim=(
        "Ghost ads record, for a randomised control group, the ads the platform would have shown, so that "
        "exposed users can be compared with comparable unexposed ones: a cheaper way to run the holdout that "
        "measures what ads cause."
    ),
    primary=Reference(author="Garrett A. Johnson, Randall A. Lewis, Elmar I. Nubbemeyer", title="Ghost Ads: Improving "
                      "the Economics of Measuring Online Ad Effectiveness", publisher="Journal of Marketing Research",
                      year="2017", locator="vol. 54, no. 6, pp. 867-884",
                      read="not read; details and method from concordant secondary citations"),
    access=SECONDARY_ONLY,
    cannot_tell="A measurement design; its results for one advertiser do not transfer to another.",
)

GORDON_2019 = Source(
    id="gordon_facebook_experiments_2019",
    citation=(
        'Gordon, Zettelmeyer, Bhargava and Chapsky, "A Comparison of Approaches to Advertising Measurement: '
        'Evidence from Big Field Experiments at Facebook", *Marketing Science* 38(2): 193-225 (2019)'
    ),
    claim=(
        "Comparing large randomised experiments at Facebook with common observational methods, Gordon and "
        "colleagues found that the observational methods often failed to recover the effect the experiments "
        "measured."
    ),
    primary=Reference(author="Gordon, Zettelmeyer, Bhargava and Chapsky",
                      title="A Comparison of Approaches to Advertising Measurement: Evidence from Big Field "
                      "Experiments at Facebook", publisher="Marketing Science", year="2019",
                      locator="vol. 38, no. 2, pp. 193-225",
                      read="not read; details from concordant secondary citations"),
    access=SECONDARY_ONLY,
    cannot_tell="Evidence about measurement methods on one platform, not about any one campaign's effect.",
)

ASA_DEFINITION = Source(
    id="average_speed_of_answer",
    citation='Genesys Cloud Resource Center, glossary: "Average Speed of Answer (ASA)"',
    claim=(
        "Average speed of answer (ASA), a standard contact-centre metric, is the average time interactions "
        "wait in the queue before an agent answers; it leaves out the calls nobody answered."
    ),
    primary=Reference(author="Genesys", title="Average Speed of Answer (ASA)",
                      publisher="Genesys Cloud Resource Center (glossary)",
                      url="https://help.mypurecloud.com/glossary/average-speed-of-answer-asa", read="the entry"),
    access=READ_PRIMARY,
    secondary=(
        Reference(author="Call Centre Helper", title="Average Speed of Answer",
                  url="https://www.callcentrehelper.com/average-speed-of-answer-89615.htm",
                  read="notes that a caller who hangs up before an answer does not count towards ASA"),
    ),
    cannot_tell="One vendor's definition; each centre configures its own reports and thresholds.",
)

MAIL_PRIVACY = Source(
    id="apple_mail_privacy_2021",
    citation="Apple, Mail Privacy Protection (iOS 15, iPadOS 15, macOS Monterey, 2021), as described by MacRumors",
    claim=(
        "E-mail 'opens' are counted when a tracking image in the message loads; Apple Mail's Mail Privacy Protection "
        "(2021), when the user turns it on, loads remote content privately in the background, so senders can "
        "no longer tell whether or when a message was opened."
    ),
    primary=Reference(author="Apple", title="Mail Privacy Protection", year="2021",
                      read="not read; Apple's wording as quoted by MacDailyNews"),
    access=SECONDARY_ONLY,
    secondary=(
        Reference(author="MacRumors", title="article on Mail Privacy Protection",
                  url="https://www.macrumors.com/how-to/prevent-emails-from-tracking-you"),
    ),
    cannot_tell="How many of a company's subscribers use it: that shows in the data, not in the rule.",
    note=(
        "Trade sources report that this background loading makes such messages count as opened (module 3's "
        "data card says so); we did not read a primary statement of that."
    ),
)

SHANNON_1948 = Source(
    id="shannon_1948",
    citation=(
        'Claude E. Shannon, "A Mathematical Theory of Communication", *Bell System Technical Journal* 27: '
        "379-423 and 623-656 (1948)"
    ),
    claim=(
        "Entropy in bits, the measure of variety module 4 uses, comes from Shannon (1948); for 12 equally common "
        "messages it is log2(12), about 3.58 bits."
    ),
    primary=Reference(author="Claude E. Shannon", title="A Mathematical Theory of Communication",
                      publisher="Bell System Technical Journal", year="1948", locator="vol. 27, pp. 379-423, 623-656",
                      read="not read; bibliographic details from concordant citations"),
    access=SECONDARY_ONLY,
    cannot_tell="How different the messages are: entropy only counts how evenly brands spread over them.",
)

SETHURAMAN_2011 = Source(
    id="sethuraman_2011",
    citation=(
        'Raj Sethuraman, Gerard J. Tellis and Richard A. Briesch, "How Well Does Advertising Work? Generalizations '
        'from Meta-Analysis of Brand Advertising Elasticities", *Journal of Marketing Research* 48(3): 457-471 (2011)'
    ),
    claim=(
        "A meta-analysis of 751 short-term and 402 long-term brand advertising elasticities from 56 studies "
        "(1960-2008) found an average short-term elasticity of 0.12 (1% more advertising, about 0.12% more sales) "
        "and a long-term one of 0.24: sales grow far less than in proportion to advertising."
    ),
    primary=Reference(author="Raj Sethuraman, Gerard J. Tellis, Richard A. Briesch",
                      title="How Well Does Advertising Work? Generalizations from Meta-Analysis of Brand Advertising "
                      "Elasticities", publisher="Journal of Marketing Research", year="2011",
                      locator="vol. 48, no. 3, pp. 457-471",
                      read="the abstract (the journal's and the working paper's); volume and pages from concordant "
                           "citations"),
    access=PART_PRIMARY,
    cannot_tell=(
        "Averages over many brands and decades: one company's tiers can respond more or less; an elasticity says "
        "nothing about which customers the extra sales come from."
    ),
    note=(
        "Module 5 uses it for one thing only: returns to advertising diminish, so the next unit of spend brings "
        "less than the average one."
    ),
)

METHODS = (REICHHELD_2003, KEININGHAM_2007, DANIELS_1952, ROSE_2016, GOODHART_1975, STRATHERN_1997, SIMPSON_1951,
           META_ATTRIBUTION, GOOGLE_CONVERSION_WINDOW, LEWIS_RAO_2015, GHOST_ADS_2017, GORDON_2019, ASA_DEFINITION,
           MAIL_PRIVACY, SHANNON_1948, SETHURAMAN_2011)
