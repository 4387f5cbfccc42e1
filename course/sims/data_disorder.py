"""Module 3 pictures: a call centre whose dashboard stays green while callers wait, and an NPS that
rises overall while it falls in every segment.

The queue model (course.measures.queue) also writes the module's `service_calls` export, and the
simulation starts at the roster the data was written with (the cheapest one whose dashboard looks
comfortably green), so the opening picture, the simulation and the data tell the same story.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import messages as msg
from ..measures.nps import nps, nps_margin
from ..measures.queue import CallCentre, cheapest_green_roster, draw_calls, queue_waits, staffing_report
from .style import COLOURS, kit_figure
from .widgets import explorer


def call_centre_curve(agent_counts, centre: CallCentre = CallCentre(), seed: int = 3) -> pd.DataFrame:
    """The three metrics for several staffing levels, all facing the same callers (same seed)."""
    calls = draw_calls(np.random.default_rng(seed), centre)
    return pd.DataFrame([staffing_report(calls, int(agents)) for agents in agent_counts])


def default_roster(centre: CallCentre = CallCentre(), seed: int = 3) -> int:
    """The roster the simulation starts at: the cheapest one whose dashboard looks comfortably green."""
    return cheapest_green_roster(draw_calls(np.random.default_rng(seed), centre), centre)[0]


def waits_at_roster(agents: int, centre: CallCentre = CallCentre(), seed: int = 3) -> pd.DataFrame:
    """Every call's wait and outcome for one roster (the simulation's callers, same seed)."""
    calls = draw_calls(np.random.default_rng(seed), centre)
    waits, answered = queue_waits(calls["arrival_s"], calls["patience_s"], calls["talk_s"], agents)
    return pd.DataFrame({"wait_s": waits, "answered": answered})


def story_numbers(centre: CallCentre = CallCentre(), seed: int = 3) -> dict:
    """What the opening picture says: the dashboard's number and the callers' fate at the default roster."""
    agents = default_roster(centre, seed)
    calls = waits_at_roster(agents, centre, seed)
    kept = calls["answered"] & (calls["wait_s"] <= centre.target_s)
    return {"agents": agents, "dashboard_wait": float(calls.loc[calls["answered"], "wait_s"].mean()),
            "not_answered_in_time": float(1 - kept.mean()), "hung_up": float(1 - calls["answered"].mean()),
            "calls": len(calls)}


WAIT_BANDS = ((0.0, 0.0, "at once"), (0.0, 30.0, "1-30 s"), (30.0, 60.0, "31-60 s"), (60.0, 120.0, "1-2 min"),
              (120.0, 180.0, "2-3 min"), (180.0, 300.0, "3-5 min"), (300.0, float("inf"), "over 5 min"))


def wait_bands(waits, answered) -> pd.DataFrame:
    """Calls per wait band (at once, 1-30 s, ... over 5 min), answered and hung up."""
    waits, answered = np.asarray(waits, dtype=float), np.asarray(answered, dtype=bool)
    rows = []
    for low, high, label in WAIT_BANDS:
        inside = (waits == 0) if high == 0 else (waits > low) & (waits <= high)
        rows.append({"band": label, "answered": int((inside & answered).sum()),
                     "hung_up": int((inside & ~answered).sum())})
    return pd.DataFrame(rows)


def opening_picture(centre: CallCentre = CallCentre(), seed: int = 3):
    """The module's story in one static chart: how long callers waited, against the dashboard's average."""
    import plotly.graph_objects as go

    story = story_numbers(centre, seed)
    calls = waits_at_roster(story["agents"], centre, seed)
    bands = wait_bands(calls["wait_s"], calls["answered"])
    fig = go.Figure()
    fig.add_bar(x=bands["band"].tolist(), y=bands["answered"].tolist(), name="answered",
                marker=dict(color=COLOURS["data"]), hovertemplate="waited %{x}: %{y} calls answered<extra></extra>")
    fig.add_bar(x=bands["band"].tolist(), y=bands["hung_up"].tolist(), name="hung up before anyone answered",
                marker=dict(color=COLOURS["honest"], pattern=dict(shape="/", fillmode="overlay", fgcolor="white")),
                hovertemplate="waited %{x}: %{y} callers hung up<extra></extra>")
    promise_at = sum(1 for low, high, _ in WAIT_BANDS if high <= centre.target_s) - 0.5
    fig.add_vline(x=promise_at, line=dict(color=COLOURS["target"], dash="dash", width=2),
                  annotation_text=f"the promise: answered within {centre.target_s:.0f} s",
                  annotation_position="top right", annotation_font=dict(color=COLOURS["target"]))
    kit_figure(fig, height=430, top=80)
    fig.update_layout(barmode="stack", title=(
        f"The dashboard says {story['dashboard_wait']:.0f} s on average, well inside the promise; yet "
        f"{100 * story['not_answered_in_time']:.0f}% of callers were not answered within a minute"
        f"<br><sup>one simulated week: {story['calls']:,} calls, {story['agents']} agents; the dashboard "
        f"averages the answered calls only; {100 * story['hung_up']:.0f}% of callers hung up</sup>"))
    fig.update_xaxes(title_text="how long the caller waited (until answered, or until they hung up)")
    fig.update_yaxes(title_text="calls")
    return fig


def _against(value: float, target: float) -> str:
    """How a number reads against the promise: 'within' or 'over' the target."""
    return "within" if value <= target else "over"


def call_centre_explorer(start: int | None = None, centre: CallCentre = CallCentre(), seed: int = 3):
    """Slider for agents on duty: the dashboard's number against the callers' number (starts at the
    cheapest roster whose dashboard looks green, like the module's data)."""
    import ipywidgets as widgets
    from plotly.subplots import make_subplots

    start = default_roster(centre, seed) if start is None else int(start)
    grid = np.arange(2, 15)
    curve = call_centre_curve(grid, centre, seed)
    agents = curve["agents"].tolist()
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_scatter(x=agents, y=curve["dashboard_wait"].tolist(), name="dashboard: average wait of answered calls",
                    line=dict(color=COLOURS["proxy"], width=3),
                    hovertemplate="%{x} agents: the dashboard shows %{y:.0f} s<extra></extra>")
    fig.add_scatter(x=agents, y=curve["honest_wait_p90"].tolist(), name="callers: 9 in 10 waited less than this",
                    line=dict(color=COLOURS["honest"], width=3),
                    hovertemplate="%{x} agents: 9 in 10 callers waited under %{y:.0f} s<extra></extra>")
    fig.add_scatter(x=agents, y=(100 * curve["abandoned_share"]).tolist(), name="callers who hung up (right axis)",
                    line=dict(color=COLOURS["context"], dash="dot"), secondary_y=True,
                    hovertemplate="%{x} agents: %{y:.0f}% of callers hung up<extra></extra>")
    fig.add_scatter(x=[start, start], y=[0, 0], mode="markers", name="today's roster", showlegend=False,
                    marker=dict(size=13, color=[COLOURS["proxy"], COLOURS["honest"]], symbol="diamond",
                                line=dict(color=COLOURS["you"], width=1.5)),
                    hovertemplate="today's roster: %{y:.0f} s<extra></extra>")
    fig.add_hline(y=centre.target_s, line=dict(color=COLOURS["target"], dash="dash", width=2),
                  annotation_text=f"the promise: answered within {centre.target_s:.0f} s",
                  annotation_position="top right", annotation_font=dict(color=COLOURS["target"], size=12))
    kit_figure(fig, height=470, top=80)
    fig.update_xaxes(title_text="agents answering the phone", dtick=1)
    fig.update_yaxes(title_text="wait (seconds)", rangemode="tozero", ticksuffix=" s", secondary_y=False)
    fig.update_yaxes(title_text="callers who hung up (%)", range=[0, 100], tickmode="auto", showgrid=False,
                     ticksuffix="%", secondary_y=True)

    def redraw(f, agents):
        row = curve.loc[curve["agents"] == agents].iloc[0]
        f.data[3].x = [agents, agents]
        f.data[3].y = [row["dashboard_wait"], row["honest_wait_p90"]]
        f.layout.title = (f"{agents} agents: the dashboard shows {row['dashboard_wait']:.0f} s "
                          f"({_against(row['dashboard_wait'], centre.target_s)} the target); 9 in 10 callers "
                          f"waited under {row['honest_wait_p90']:.0f} s "
                          f"({_against(row['honest_wait_p90'], centre.target_s)} the target)"
                          f"<br><sup>{100 * row['abandoned_share']:.0f}% of callers hung up before anyone answered</sup>")

    slider = widgets.IntSlider(value=start, min=int(grid.min()), max=int(grid.max()), step=1,
                               description="Agents on the phone")
    caption = (f"Assumptions: about {centre.calls_per_day:.0f} calls a day over {centre.days} days, busiest mid-morning; "
               f"a conversation lasts {centre.talk_median_s / 60:.0f} minutes (median); half of the callers hang up "
               f"after {centre.patience_median_s:.0f} s of waiting. The same callers face every roster.")
    return explorer({"agents": slider}, fig, redraw, caption)


# --- what the learner's own tables hide (summaries shown after an exercise) -------------------------

def _not_yet(**tables) -> bool:
    """Say so (one printed line) when one of the learner's tables is not built yet (still None)."""
    for name, (table, where) in tables.items():
        if table is None:
            print(msg.NOT_YET_BUILT.format(name=name, where=where))
            return True
    return False


def spend_spread(customers: pd.DataFrame | None, orders_clean: pd.DataFrame | None):
    """What the average customer hides, from the learner's own `customers` and `orders_clean`: the median
    customer, the customers who bought nothing, and the top tenth's share of the money."""
    if _not_yet(customers=(customers, "exercise 1"), orders_clean=(orders_clean, "exercises 2 and 3")):
        return None
    if not pd.api.types.is_numeric_dtype(orders_clean["amount"]):
        print(msg.NOT_YET_NUMBERS.format(name="orders_clean['amount']", where="Exercise 2"))
        return None
    of_customers = orders_clean[orders_clean["customer_email"].isin(customers["email"])]
    spend = of_customers.groupby("customer_email")["amount"].sum().reindex(customers["email"], fill_value=0)
    top_tenth = spend.sort_values(ascending=False).head(max(1, len(spend) // 10))
    return pd.Series({
        "median spend (the customer in the middle)": spend.median(),
        "share of customers who bought nothing": (spend == 0).mean(),
        "share of revenue from the top 10% of customers": top_tenth.sum() / spend.sum() if spend.sum() else np.nan,
    }).round(2)


def nps_ranges(answers: pd.DataFrame | None, by: str = "segment", score: str = "nps_score"):
    """Each group's NPS with how many answered and a rough 95% range (course.measures.nps), from the
    learner's own joined `answers`."""
    if _not_yet(answers=(answers, "exercise 7")):
        return None
    grouped = answers.dropna(subset=[score]).groupby(by)[score]
    table = grouped.agg(answers="count", nps=nps, margin=nps_margin)
    table["roughly from"] = table["nps"] - table["margin"]
    table["roughly to"] = table["nps"] + table["margin"]
    return table.round(1)


# --- NPS and the mix of who answers ---------------------------------------------------------------

NPS_SEGMENTS = ("New", "Regular", "Loyal")
NPS_LAST_YEAR = {"New": -10.0, "Regular": 15.0, "Loyal": 45.0}
MIX_LAST_YEAR = {"New": 0.5, "Regular": 0.3, "Loyal": 0.2}


def overall_nps(segment_nps: dict, mix: dict) -> float:
    """NPS of everyone = each segment's NPS weighted by its share of respondents."""
    return float(sum(segment_nps[s] * mix[s] for s in segment_nps))


def nps_mix_shift(loyal_share_now: float, drop: float = 5.0) -> dict:
    """Every segment's NPS falls by `drop` points while loyal customers become `loyal_share_now` of
    respondents (taken from new customers); returns both years' segment and overall NPS."""
    shift = float(loyal_share_now) - MIX_LAST_YEAR["Loyal"]
    if not -1e-9 <= shift <= MIX_LAST_YEAR["New"] + 1e-9:
        raise ValueError(f"loyal share must be between {MIX_LAST_YEAR['Loyal']} and "
                         f"{MIX_LAST_YEAR['Loyal'] + MIX_LAST_YEAR['New']}")
    mix_now = {"New": MIX_LAST_YEAR["New"] - shift, "Regular": MIX_LAST_YEAR["Regular"],
               "Loyal": MIX_LAST_YEAR["Loyal"] + shift}
    now = {s: v - drop for s, v in NPS_LAST_YEAR.items()}
    return {"last_year": dict(NPS_LAST_YEAR), "this_year": now, "mix_last_year": dict(MIX_LAST_YEAR),
            "mix_this_year": mix_now, "overall_last_year": overall_nps(NPS_LAST_YEAR, MIX_LAST_YEAR),
            "overall_this_year": overall_nps(now, mix_now)}


def nps_mix_explorer(start: float = 0.45):
    """Sliders for the mix of respondents and the fall in each segment; bars for both years."""
    import ipywidgets as widgets
    import plotly.graph_objects as go

    labels = list(NPS_SEGMENTS) + ["Everyone"]
    fig = go.Figure()
    fig.add_bar(x=labels, y=[0] * 4, name="last year", marker_color=COLOURS["context"],
                hovertemplate="%{x}, last year: NPS %{y:+.1f}<extra></extra>")
    fig.add_bar(x=labels, y=[0] * 4, name="this year", marker_color=COLOURS["data"],
                hovertemplate="%{x}, this year: NPS %{y:+.1f}<extra></extra>")
    kit_figure(fig, height=430, top=80)
    fig.update_layout(barmode="group", yaxis=dict(title="NPS (points, -100 to +100)", range=[-40, 60]),
                      xaxis_title="respondents")

    def redraw(f, loyal_share, drop):
        r = nps_mix_shift(loyal_share, drop)
        f.data[0].y = [r["last_year"][s] for s in NPS_SEGMENTS] + [r["overall_last_year"]]
        f.data[1].y = [r["this_year"][s] for s in NPS_SEGMENTS] + [r["overall_this_year"]]
        change = r["overall_this_year"] - r["overall_last_year"]
        mix = ", ".join(f"{100 * r['mix_this_year'][s]:.0f}% {s.lower()}" for s in NPS_SEGMENTS)
        f.layout.title = (f"Everyone: {r['overall_last_year']:+.0f} -> {r['overall_this_year']:+.0f} "
                          f"({'up' if change > 0 else 'down'} {abs(change):.1f} points) while each segment "
                          f"fell {drop:.0f}<br><sup>respondents this year: {mix}</sup>")

    share = widgets.FloatSlider(value=start, min=0.2, max=0.7, step=0.05, readout_format=".0%",
                                description="Loyal customers among this year's respondents")
    drop = widgets.FloatSlider(value=5.0, min=0.0, max=15.0, step=1.0, readout_format=".0f",
                               description="Points lost in every segment")
    caption = ("Last year's respondents: 50% new, 30% regular, 20% loyal customers. This year the loyal share "
               "grows and the new share shrinks by the same amount (for example because fewer new customers "
               "were won, or fewer of them answered the survey). NPS: the share of 9-10 answers minus the "
               "share of 0-6 answers, in points.")
    return explorer({"loyal_share": share, "drop": drop}, fig, redraw, caption)
