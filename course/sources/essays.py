"""The five essays the course is built from: the primary source for their authors' own opinions."""
from __future__ import annotations

from .model import PART_PRIMARY, READ_PRIMARY, Reference, Source

OU_EST_PASSE_LE_CLIENT = Source(
    id="essay_ou_est_passe_le_client",
    citation='"Où est passé le client ?" (French opinion essay; author and publisher not identified)',
    claim=(
        "A French opinion essay names four drifts of marketing (too many tools, belief in reusable models "
        "such as personas, ICPs and playbooks, disordered data, and excessive faith in algorithms), finds it "
        "telling that NPS is often left to product or customer-care teams, and ends with common-sense habits: "
        "regular time with end customers, reading their feedback, joining communities, not copying competitors, "
        "using your own product."
    ),
    primary=Reference(
        author="author not named (no byline in the course's copy)",
        title="Où est passé le client ?",
        read="full text (shared/seeds/001); no byline, date or outlet in it, and none found by search",
    ),
    access=READ_PRIMARY,
    discrepancy=(
        "Its factual figures are second-hand and several do not match their sources: the 300 tools "
        "(untraced), the PHD/WARC figures (80% and +27 points; published: 88%, from 51%), and the Amazon "
        "wait (several tens of seconds; public accounts: minutes). Cite each fact to its own record."
    ),
    cannot_tell=(
        "One practitioner's experience: the claim about NPS ownership ('dans bien des cas') is an "
        "impression, not a survey result."
    ),
)

LA_FABRIK_UNIK = Source(
    id="essay_la_fabrik_unik",
    citation='"Mettre un terme au marketing déconnecté de la réalité", La Fabrik Unik (company blog, undated)',
    claim=(
        "A marketing blog post lists the same four drifts and makes its first step back to reality the "
        "replacement of abstract personas by direct knowledge of customers gained in the field."
    ),
    primary=Reference(
        author="La Fabrik Unik (no named author)",
        title="Mettre un terme au marketing déconnecté de la réalité",
        publisher="La Fabrik Unik (blog)",
        read="full text (shared/seeds/000); no date in it",
    ),
    access=READ_PRIMARY,
    cannot_tell="A blog post with no data of its own; its Amazon anecdote gives no figure at all.",
)

MARKETING_ZERO = Source(
    id="essay_marketing_zero",
    citation=(
        "Patrice Laubignat, #MarketingZERO blog post (\"la machine ou l'intelligence ?\"), "
        "marketingemotionnel.com, 25 November 2022"
    ),
    claim=(
        "A #MarketingZERO essay argues that marketing budgets should be set, partly, in proportion to the "
        "strength of the customer relationship (the best content and warmest events for the customers who "
        "already chose the brand, little spend on people who do not know it yet), and that the brand's "
        "vision must be accepted and shared by all before any action."
    ),
    primary=Reference(
        author="Patrice Laubignat",
        title="blog post on a #MarketingZERO talk to the CMIT (no title in the course's copy)",
        publisher="marketingemotionnel.com",
        year="25 November 2022",
        url="https://marketingemotionnel.com/2022/11/25/strategie-marketing-des-marques-de-lit-cmit/",
        read=(
            "full text (shared/seeds/002) and the published page's opening; the author is inferred: the site's "
            "author page is Patrice Laubignat's, and the post says 'Philippe et moi', his co-author"
        ),
    ),
    access=READ_PRIMARY,
    secondary=(
        Reference(
            author="Patrice Laubignat and Philippe Guiheneuc",
            title="Marketing ZERO : le marketing dont vous êtes le héros",
            publisher="1min30 Publishing",
            year="2021",
            read="not read; details from interviews with the authors (BtoB Leaders, June 2021; McFactory)",
        ),
    ),
    discrepancy=(
        "The essay says budgets should be partly ('(partiellement)') proportional to the relationship and "
        "offers no figures: its one number ('more than 20% to my customers') is a rhetorical question "
        "answered 'yes'. The course does not turn it into a rule: module 5 asks where the next block of "
        'money causes the most (course.measures.budget).'
    ),
    cannot_tell=(
        "An argument, not evidence that the rule pays: that needs a test (module 5 asks for one)."
    ),
)

RMIT_SOUNESS = Source(
    id="essay_rmit_souness",
    citation=(
        'Helen Souness (CEO, RMIT Online), "Has the pendulum swung too far for data-driven marketing?", '
        "Women Love Tech, 1 November 2020"
    ),
    claim=(
        "RMIT Online's chief executive, Helen Souness, argued in 2020 that data-driven personalisation risks "
        "making brands look and sound the same, and gives people frictionless transactions rather than "
        "connection."
    ),
    primary=Reference(
        author="Helen Souness",
        title="Has The Pendulum Swung Too Far For Data-driven Marketing?",
        publisher="Women Love Tech (posted by Robyn Foyster)",
        year="1 November 2020",
        url="https://womenlovetech.com/has-the-pendulum-swung-too-far-in-the-case-of-data-driven-marketing/",
        read="the opening paragraphs of the English original; the rest in the course's French machine translation (shared/seeds/003)",
    ),
    access=PART_PRIMARY,
    discrepancy=(
        "The French copy names the author 'Hélène Souness', a machine translation's rendering (she is "
        "Helen Souness), and garbles 'RMIT Online CEO' into 'RMLe PDG d'IT Online'. The course uses her "
        'name and title as published.'
    ),
    cannot_tell=(
        "An opinion piece by the head of an online school that sells a brand-experience course (the essay "
        "says so); its Gartner and Aviva examples have their own records, and they differ from it."
    ),
)

CRENN_VUCA = Source(
    id="essay_crenn_vuca",
    citation=(
        'Jean-Paul Crenn (VUCA Strategy), "À lire avant de remplacer votre directeur marketing" '
        "(French article; publisher and date not identified)"
    ),
    claim=(
        "Jean-Paul Crenn, founder of the consultancy VUCA Strategy, argues that digital marketing disappoints "
        "because tactical tools are confused with strategy, and that marketing should move from an inside-out "
        "focus on what the company sells to an outside-in view of what customers need it for."
    ),
    primary=Reference(
        author="Jean-Paul Crenn",
        title="À lire avant de remplacer votre Directeur Marketing",
        read="full text (shared/seeds/004), republished under Morgane Palomo's byline; original outlet not found",
    ),
    access=READ_PRIMARY,
    cannot_tell="A consultant's argument; it cites no study.",
)

ESSAYS = (OU_EST_PASSE_LE_CLIENT, LA_FABRIK_UNIK, MARKETING_ZERO, RMIT_SOUNESS, CRENN_VUCA)
