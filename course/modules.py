"""The course's modules in reading order: the one list every other part looks modules up in."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import WrongModule


@dataclass(frozen=True)
class ModuleInfo:
    """What a module is called, where its notebook lives, how long it takes and the tables it loads."""

    number: int
    slug: str          # python-friendly id, also the question-bank module name
    title: str
    minutes: int
    teaches: str
    # The tables the setup cell binds, in its order: notebook variable -> dataset name
    # (`stack = m1.load("stack_inventory")`). A contract test reads every notebook against it.
    tables: Mapping[str, str] = field(hash=False)  # a dict is not hashable; the slug is enough
    optional: bool = False

    @property
    def datasets(self) -> tuple[str, ...]:
        """The datasets the module reads, in setup-cell order (each once)."""
        return tuple(dict.fromkeys(self.tables.values()))

    @property
    def assignment(self) -> str:
        """The nbgrader assignment (and notebook) name, e.g. 'm1_tool_overload'."""
        return f"m{self.number}_{self.slug}"

    @property
    def handle(self) -> str:
        """The variable the notebook binds its module handle to, e.g. 'm1'."""
        return f"m{self.number}"

    @property
    def notebook(self) -> str:
        return f"{self.assignment}.ipynb"


MODULES: tuple[ModuleInfo, ...] = (
    ModuleInfo(0, "orientation", "Orientation", 30,
               "Run cells, read a table, use a check and a hint, submit.",
               {"stack": "stack_inventory"}),
    ModuleInfo(1, "tool_overload", "Tool overload", 75,
               "Audit a marketing stack: cost per active user, overlap, integration seams, time lost to reporting.",
               {"stack": "stack_inventory", "links": "tool_integrations", "weeks": "weekly_time_split"}),
    ModuleInfo(2, "persona_critique", "Persona critique", 75,
               "Measure how few real customers fit a persona and find the real segments.",
               {"customers": "customers", "personas": "persona_cards"}),
    ModuleInfo(3, "data_disorder", "Data disorder", 90,
               "Clean and join four exports into one customer view; recompute a flattering metric honestly.",
               {"crm": "crm_export", "orders": "orders_export", "emails": "email_export",
                "calls": "service_calls", "country_codes": "country_codes", "domain_typos": "domain_typos"}),
    ModuleInfo(4, "algorithm_faith", "Algorithm faith", 75,
               "Show a proxy metric drifting from the true one; measure incrementality with a holdout.",
               {"campaigns": "campaign_log", "retargeting": "retargeting_holdout"}),
    ModuleInfo(5, "reconnection", "Reconnection", 90,
               "Compute NPS right, theme verbatims, move budget to where the next block causes the most.",
               {"verbatims": "verbatims", "threads": "community_threads", "rel": "relationships",
                "budget": "budget", "theme_keywords": "theme_keywords"}),
    ModuleInfo(6, "capstone", "Capstone audit", 120,
               "Audit a fresh company end to end and write a memo with a number behind every claim.",
               {"company": "capstone_company", "stack": "capstone_stack_inventory",
                "weeks": "capstone_weekly_time_split", "customers": "capstone_customers",
                "personas": "capstone_persona_cards", "calls": "capstone_service_calls",
                "holdout": "capstone_retargeting_holdout", "verbatims": "capstone_verbatims",
                "threads": "capstone_community_threads", "rel": "capstone_relationships",
                "budget": "capstone_budget", "theme_keywords": "theme_keywords"}, optional=True),
)


def get_module(key: str | int) -> ModuleInfo:
    """Find a module by number, slug, handle or assignment name."""
    for m in MODULES:
        if key in (m.number, m.slug, m.handle, m.assignment, str(m.number)):
            return m
    names = ", ".join(m.assignment for m in MODULES)
    raise WrongModule(f"There is no module called {key!r}. The modules are: {names}.")
