"""Every lesson's numbers, per sector profile: what the kit computes now, beside what issue 16 found.

    python benchmarks/lessons.py [--profile NAME ...] [--seed N]

For each sector profile (all of them unless --profile names some) at the default seed (or --seed N),
prints one block per module: each line is "lesson: the numbers now", then "issue 16 found: ..." (the
issue's before-number, a fixed string: it was measured on the old kit), then "ok" when the lesson
holds on this data or "DOES NOT HOLD". Every number comes from the kit's own functions: the pure
models (course.sims, course.measures), the data generators, and the answer key's expectations
(course.questions), on the datasets as a notebook reads them (CSV written, then read back). This
script runs on the trusted side; it never ships to learners.
"""
from __future__ import annotations

import argparse
import io
import re
from typing import Callable, NamedTuple

import numpy as np

from course import data
from course.data.data_disorder.calls import calls_state
from course.data.registry import DATASETS, to_csv_bytes
from course.data.tool_overload import company as stack_company
from course.measures import budget as budget_model
from course.measures.personas import MEASURED_ATTRIBUTES, MIDDLE_BAND, middle_band
from course.measures.queue import CallCentre
from course.questions import ModuleData
from course.questions import algorithm_faith as q4
from course.questions import capstone as q6
from course.questions import data_disorder_rules as q3
from course.questions import orientation as q0
from course.questions import persona_critique as q2
from course.questions import reconnection as q5
from course.questions import tool_overload as q1
from course.sims import algorithm_faith as sim4
from course.sims import data_disorder as sim3
from course.sims import orientation as sim0
from course.sims import persona_critique as sim2
from course.sims import tool_overload as sim1
from course.sims.style import money
from course.sources import SOURCES


class Case(NamedTuple):
    """One profile's data as a notebook reads it, with the profile, seed and currency it was made with."""

    md: ModuleData
    profile: str
    seed: int
    code: str


class Lesson(NamedTuple):
    """One printed line: what the lesson says now, what issue 16 found, and whether it holds."""

    name: str
    now: str
    before: str
    holds: bool


def notebook_data(profile: str, seed: int) -> ModuleData:
    """The datasets as a notebook reads them: generated, written to CSV bytes, parsed back."""
    def loader(name):
        raw = to_csv_bytes(data.make(name, profile, seed), DATASETS[name].encoding)
        return data.read_dataset(io.BytesIO(raw), name)
    return ModuleData(loader)


NO_FIGURE = "(no figure in the issue)"


def pct(share: float, digits: int = 1) -> str:
    """A share as a percentage with `digits` decimals (0.083 -> '8.3%')."""
    return f"{100 * share:.{digits}f}%"


# --- one function per module: the lessons issue 16 named, on one profile's data -------------------

def orientation(case: Case) -> list[Lesson]:
    """Module 0: the slider's default is the table as it is, so the chart's median is the table's."""
    md, code = case.md, case.code
    costs = md["stack_inventory"]["annual_cost"]
    today, top, _ = sim0.price_range(costs)
    start, end = sim0.priciest_at(costs, today), sim0.priciest_at(costs, top)
    table = q0.median_cost(md)
    model = q0.first_look_model(md)
    return [
        Lesson("chart median at the default vs the table's median",
               f"{money(start['median'], code)} vs {money(table, code)}", "4,814 vs 4,827 (a free tool added)",
               bool(np.isclose(start["median"], table))),
        Lesson("slider from today's price to its top: mean, median",
               f"mean {money(start['mean'], code)} -> {money(end['mean'], code)}, median "
               f"{money(start['median'], code)} -> {money(end['median'], code)}", NO_FIGURE,
               end["mean"] > 1.5 * start["mean"] and np.isclose(start["median"], end["median"])),
        Lesson("model answer names the priciest tool", q0.most_expensive_tool(md), "named the wrong tool",
               f"**{q0.most_expensive_tool(md)}**" in model),
    ]


def tool_overload(case: Case) -> list[Lesson]:
    """Module 1: the simulation starts at the learner's stack; a stack a real company could have."""
    md, profile = case.md, case.profile
    stack, links, weeks = md["stack_inventory"], md["tool_integrations"], md["weekly_time_split"]
    firm = stack_company(data.get_profile(profile))
    a = sim1.StackAssumptions.from_data(stack, links, weeks, firm.marketing_team)
    start = sim1.one_more_tool(a.today_tools, a)
    empty = sim1.no_time_left(a)
    counts = stack["category"].value_counts()
    crowded, sellers = q1.crowded_capabilities(md), q1.sellers(stack)
    retired = q1.retire_candidate(md)["tool"]
    return [
        Lesson("'your stack' marker vs tools in the data", f"{a.today_tools} vs {len(stack)}", "40 vs 293",
               a.today_tools == len(stack)),
        Lesson("week left for customers at your stack vs the data (last 52 weeks)",
               f"{pct(float(start['customer_share']))} vs {pct(a.customer_share_today)}", "1% vs 8.3%",
               bool(np.isclose(float(start["customer_share"]), a.customer_share_today))),
        Lesson("stack that leaves customers no time", f"{empty} tools", NO_FIGURE,
               empty is not None and empty > a.today_tools),
        Lesson("project-management tools, CRMs", f"{counts.get('Project management', 0)}, {counts.get('CRM', 0)}",
               "32, 29", counts.get("CRM", 0) <= 2 and counts.drop("Point tools", errors="ignore").max() <= 10),
        Lesson("capabilities sold by 3+ tools (exercise 3)", f"{len(crowded)} of {len(sellers)}",
               "every capability", 0 < len(crowded) < len(sellers)),
        Lesson("licences as a share of revenue", pct(stack["annual_cost"].sum() / firm.revenue, 2),
               NO_FIGURE, stack["annual_cost"].sum() / firm.revenue < 0.02),
        Lesson("model answer retires a tool in the data", str(retired), "'PulseBoard' (not in the data)",
               retired in set(stack["tool"])),
    ]


def persona_critique(case: Case) -> list[Lesson]:
    """Module 2: a middle band holds its share; the overlay's default shows how few the cards describe."""
    md = case.md
    customers, cards = md["customers"], md["persona_cards"]
    bands = [float(middle_band(customers[c]).mean()) for c in MEASURED_ATTRIBUTES]
    described = {m: float(sim2.best_persona(customers, cards, m).ne("").mean())
                 for m in (sim2.DEFAULT_MIN_ATTRIBUTES, 3)}
    table = q2.fair_test_table(md)
    persona, segment = table.loc["persona"], table.loc["segment"]
    card = cards.iloc[0]
    stripped = q2.persona_matches(customers, card)[["age", "channel"]].all(axis=1)
    old = float(customers.loc[stripped, q2.RESPONSE].mean())

    def rate(row) -> str:
        return f"{pct(row['rate'])} [{pct(row['low'])}-{pct(row['high'])}] of {int(row['customers']):,}"

    return [
        Lesson(f"middle {MIDDLE_BAND:.0%} band holds, on the {len(bands)} measured columns",
               f"{pct(min(bands))}-{pct(max(bands))}", "55-57% on columns with few values",
               max(abs(b - MIDDLE_BAND) for b in bands) <= 0.02),
        Lesson(f"overlay default ({sim2.DEFAULT_MIN_ATTRIBUTES} of 6 traits) customers described",
               f"{pct(described[sim2.DEFAULT_MIN_ATTRIBUTES], 2)} (at 3 of 6: {pct(described[3])})",
               "52% at 3 of 6", described[sim2.DEFAULT_MIN_ATTRIBUTES] < 0.01),
        Lesson("exercise 6 response, persona vs segment (95% interval, audience)",
               f"{rate(persona)} vs {rate(segment)}; the old stripped card {pct(old)}",
               "15.8% vs 20.8% with the category (another card 12.9% vs 5.5%)",
               segment["customers"] > 5 * persona["customers"]
               and persona["high"] - persona["low"] > 2 * (segment["high"] - segment["low"])),
    ]


DURATION = re.compile(r"(?:about|more than|less than|under|over)\s+(?:[\w']+\s+){1,4}?(?:minutes?|seconds)\b")


def data_disorder(case: Case) -> list[Lesson]:
    """Module 3: a dashboard that stays green while callers wait; the Amazon call as the records give it."""
    md = case.md
    story, target = sim3.story_numbers(), CallCentre().target_s
    curve = sim3.call_centre_curve([story["agents"]]).iloc[0]
    truth = calls_state(case.seed, data.get_profile(case.profile))[1]
    amazon = {sid: "; ".join(DURATION.findall(SOURCES[sid].claim))
              for sid in ("stone_everything_store", "bezos_lex_fridman_2023")}
    return [
        Lesson("simulation default: agents, dashboard average, 9 in 10 callers waited under",
               f"{story['agents']} agents, {story['dashboard_wait']:.0f} s vs {curve['honest_wait_p90']:.0f} s "
               f"(promise {target:.0f} s); {pct(story['not_answered_in_time'], 0)} not answered in time, "
               f"{pct(story['hung_up'], 0)} hung up", NO_FIGURE,
               story["dashboard_wait"] <= target < curve["honest_wait_p90"]),
        Lesson("service_calls data: agents, dashboard average, 9 in 10 waited under",
               f"{truth['agents']} agents, {q3.dashboard_wait(md):.0f} s vs {q3.honest_wait_p90(md):.0f} s; "
               f"promise kept for {pct(q3.promise_kept(md), 0)}, {pct(q3.abandoned_share(md), 0)} hung up",
               NO_FIGURE, q3.dashboard_wait(md) <= target < q3.honest_wait_p90(md)),
        Lesson("the Amazon call (source registry)",
               " | ".join(f"{sid}: {found or 'no duration found'}" for sid, found in amazon.items()),
               "'several tens of seconds' (the essay)", all(amazon.values())),
    ]


def algorithm_faith(case: Case) -> list[Lesson]:
    """Module 4: the click weight moves the outcome; copying ends on a worse message; the holdout's interval."""
    md, code = case.md, case.code
    weights = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.0)
    runs = {w: sim4.goodhart_rounds(w) for w in weights}
    bait = runs[1.0]["names"].index("clickbait")
    share = [float(runs[w]["share"][-5:, bait].mean()) for w in weights]
    value = [float(runs[w]["value_per_1000"][-10:].mean()) for w in weights]
    copy_rate = _slider_default(sim4.copycat_explorer)
    copied = sim4.copycat_brands(copy_rate)
    result = q4.holdout_result(md)
    low, high = result.interval
    s_low, s_high = q4.share_interval(md)
    decision = q4.holdout_decision(md)  # B when the interval is above zero, C when it includes zero
    return [
        Lesson("clickbait's share of impressions (last 5 rounds) at click weight " + "/".join(f"{w:.0%}" for w in weights),
               " ".join(pct(s, 0) for s in share), "unchanged from 100% to 60%, a cliff at ~55%",
               all(a > b for a, b in zip(share, share[1:]))),
        Lesson("90-day value per 1,000 impressions at the same weights",
               " ".join(money(v, code) for v in value), NO_FIGURE, value[-1] > 2 * value[0]),
        Lesson(f"copycat default ({copy_rate:.0%} copy rate): message most brands end on vs the best",
               f"appeal {copied['common_appeal']:.1f} vs {copied['best_appeal']:.1f} "
               f"({copied['common_brands']} of 12 brands)", "ends on the best message",
               copied["common_appeal"] < copied["best_appeal"]),
        Lesson("holdout: incremental purchases [95% interval] of those the platform claims",
               f"{result.incremental:,.0f} [{low:,.0f} to {high:,.0f}] of {q4.attributed_conversions(md):,}: "
               f"{pct(q4.incremental_share(md))} [{pct(s_low)} to {pct(s_high)}]; decision {decision} "
               f"({'the ads add, far less than claimed' if decision == 'B' else 'the test cannot tell'})",
               "16.2% with no interval (95% interval ~5-28%)", s_high < 0.5),
    ]


def _budget_lessons(gain: float, now: float, worst_best: tuple[float, float], fund: str, best: float,
                    share_today: float, before: str) -> list[Lesson]:
    worst, top = worst_best
    return [
        Lesson(f"moving one block from prospects to {fund}: three-year gain",
               f"{gain / now:+.1%} (range {worst / now:+.1%} to {top / now:+.1%})", before.split(";")[0],
               0.005 < gain / now < 0.15 and worst < gain < top),
        Lesson("share on customers: today vs the simulation's peak", f"{pct(share_today, 0)} vs {pct(best, 0)}",
               before.split(";")[1].strip(), share_today < best < 0.9),
    ]


def reconnection(case: Case) -> list[Lesson]:
    """Module 5: the budget decision at the margin agrees with the simulation; verbatims are varied."""
    md = case.md
    budget = md["budget"]
    now = budget_model.today(budget)
    texts = md["verbatims"]["text"]
    twice = budget_model.plan_revenue(2 * now, budget) / budget_model.plan_revenue(now, budget)
    return _budget_lessons(q5.move_gain(md), q5.current_return(md), q5.gain_range(md), q5.fund_first(md),
                           q5.best_share(md), q5.customer_share_today(md),
                           "+67% promised (simulation: +1%); simulation's peak at 65% on customers") + [
        Lesson("twice today's budget brings (three-year revenue)", f"x{twice:.2f}", "(cost line flat)",
               1.1 < twice < 1.6),
        Lesson("verbatims: answers, distinct texts, most repeated",
               f"{len(texts):,}, {texts.nunique():,}, {texts.value_counts().iloc[0]} times",
               "1,382, 711, 13 times", texts.nunique() / len(texts) >= 0.96),
    ]


def capstone(case: Case) -> list[Lesson]:
    """Module 6: a company at one believable size; the budget lesson is module 5's on its data."""
    md, code = case.md, case.code
    card = q6.company(md)
    revenue, budget = card["revenue_last_year"], card["marketing_budget"]
    stack = float(md["capstone_stack_inventory"]["annual_cost"].sum())
    shelf = q6.shelfware_savings(md)
    own = q6.CapstoneData(md)
    return [
        Lesson("stack cost vs revenue (marketing budget; shelfware)",
               f"{money(stack, code)} vs {money(revenue, code)} ({money(budget, code)}; "
               f"{money(shelf, code)} = {shelf / budget:.2f}x the budget)",
               "5.8M vs 5.24M (shelfware 5.5x the budget)", stack / revenue < 0.02 and shelf < budget),
    ] + _budget_lessons(q6.move_gain(md), q6.current_return(md), q6.gain_range(md), q6.fund_first(md),
                        q5.best_share(own), q5.customer_share_today(own),
                        "+115% promised (simulation: +1%); simulation's peak at 56% on customers")


def _slider_default(build: Callable) -> float:
    """The value a simulation opens on: its first control's, as the learner sees it."""
    return float(build().children[0].value)


MODULES: tuple[tuple[str, Callable[..., list[Lesson]]], ...] = (
    ("m0 orientation", orientation), ("m1 tool overload", tool_overload), ("m2 persona critique", persona_critique),
    ("m3 data disorder", data_disorder), ("m4 algorithm faith", algorithm_faith), ("m5 reconnection", reconnection),
    ("m6 capstone", capstone),
)


def report(profile: str, seed: int) -> tuple[str, int]:
    """One profile's blocks as text, and how many lessons do not hold."""
    case = Case(notebook_data(profile, seed), profile, seed, data.get_profile(profile).currency)
    lines, failed = [f"=== {profile} ({data.get_profile(profile).company}), seed {seed} ==="], 0
    for title, lessons in MODULES:
        lines.append(f"[{title}]")
        for lesson in lessons(case):
            failed += not lesson.holds
            lines.append(f"  {lesson.name}: {lesson.now}\n      issue 16 found: {lesson.before}"
                         f"  -> {'ok' if lesson.holds else 'DOES NOT HOLD'}")
    return "\n".join(lines), failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="append", choices=sorted(data.PROFILES),
                        help="a sector profile (repeat for several; default: every profile)")
    parser.add_argument("--seed", type=int, default=data.DEFAULT_SEED, help=f"default {data.DEFAULT_SEED}")
    args = parser.parse_args(argv)
    failed = 0
    for profile in args.profile or list(data.PROFILES):
        text, bad = report(profile, args.seed)
        print(text, flush=True)
        failed += bad
    print(f"{failed} lesson(s) do not hold" if failed else "every lesson holds")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
