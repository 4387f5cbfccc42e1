"""Module 3 simulations: a call centre whose dashboard stays green while callers wait, and an NPS that
rises overall while it falls in every segment.

The queue model is also what writes the module's `service_calls` export, so the simulation and the
data tell the same story.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .widgets import explorer, figure_widget

DAY_SECONDS = 86_400


@dataclass(frozen=True)
class CallCentre:
    """The call centre's assumptions, shown to the learner under the slider."""

    calls_per_day: float = 600.0
    days: int = 5
    open_minutes: int = 540            # 9:00 to 18:00
    talk_median_s: float = 240.0       # how long a conversation lasts (median)
    patience_median_s: float = 100.0   # how long a caller waits before hanging up (median)
    target_s: float = 60.0             # the promise: "we answer within a minute"


def arrival_times(rng: np.random.Generator, calls_per_day: float, days: int, open_minutes: int) -> np.ndarray:
    """Seconds from the first morning's opening, one per call, with a morning and an afternoon peak."""
    minutes = np.arange(open_minutes)
    shape = (1.0 + 0.9 * np.exp(-((minutes - 90) / 60) ** 2)
             + 0.6 * np.exp(-((minutes - 330) / 60) ** 2))
    rate = calls_per_day * shape / shape.sum()
    days_out = []
    for day in range(days):
        per_minute = rng.poisson(rate)
        seconds = (np.repeat(minutes, per_minute) + rng.random(per_minute.sum())) * 60.0
        days_out.append(np.sort(seconds) + day * DAY_SECONDS)
    return np.concatenate(days_out)


def draw_calls(rng: np.random.Generator, centre: CallCentre) -> dict[str, np.ndarray]:
    """Arrival time, patience and talk time of every call the centre will receive."""
    arrivals = arrival_times(rng, centre.calls_per_day, centre.days, centre.open_minutes)
    n = len(arrivals)
    return {
        "arrival_s": arrivals,
        "patience_s": rng.lognormal(np.log(centre.patience_median_s), 1.0, n),
        "talk_s": rng.lognormal(np.log(centre.talk_median_s), 0.6, n),
    }


def queue_waits(arrival_s, patience_s, talk_s, agents: int) -> tuple[np.ndarray, np.ndarray]:
    """First come, first served with `agents` people answering; a caller hangs up when the wait
    would exceed their patience. Returns (seconds waited, answered?) per call; a caller who hung
    up waited exactly their patience."""
    if agents < 1:
        raise ValueError("a call centre needs at least one agent")
    free_at = [0.0] * int(agents)          # when each agent is next free (a heap)
    waits = np.empty(len(arrival_s))
    answered = np.zeros(len(arrival_s), dtype=bool)
    for i, (t, patience, talk) in enumerate(zip(np.asarray(arrival_s).tolist(),
                                                 np.asarray(patience_s).tolist(),
                                                 np.asarray(talk_s).tolist())):
        soonest = free_at[0]
        wait = soonest - t if soonest > t else 0.0
        if wait <= patience:
            heapq.heapreplace(free_at, t + wait + talk)
            waits[i] = wait
            answered[i] = True
        else:
            waits[i] = patience
    return waits, answered


def dashboard_wait(waits, answered) -> float:
    """What the dashboard shows: the average wait of the calls that were answered."""
    waits, answered = np.asarray(waits), np.asarray(answered, dtype=bool)
    return float(waits[answered].mean()) if answered.any() else float("nan")


def honest_wait_p90(waits) -> float:
    """What callers live: 9 in 10 callers waited less than this, counting those who hung up."""
    return float(np.quantile(np.asarray(waits, dtype=float), 0.9))


def call_centre(agents: int, centre: CallCentre = CallCentre(), seed: int = 3) -> dict:
    """The dashboard metric, the honest metric and the share who hung up, for one staffing level."""
    calls = draw_calls(np.random.default_rng(seed), centre)
    waits, answered = queue_waits(calls["arrival_s"], calls["patience_s"], calls["talk_s"], agents)
    return {"agents": int(agents), "calls": len(waits), "dashboard_wait": dashboard_wait(waits, answered),
            "honest_wait_p90": honest_wait_p90(waits), "abandoned_share": float(1 - answered.mean())}


def call_centre_curve(agent_counts, centre: CallCentre = CallCentre(), seed: int = 3) -> pd.DataFrame:
    """The three metrics for several staffing levels, all facing the same callers (same seed)."""
    calls = draw_calls(np.random.default_rng(seed), centre)
    rows = []
    for agents in agent_counts:
        waits, answered = queue_waits(calls["arrival_s"], calls["patience_s"], calls["talk_s"], int(agents))
        rows.append({"agents": int(agents), "dashboard_wait": dashboard_wait(waits, answered),
                     "honest_wait_p90": honest_wait_p90(waits), "abandoned_share": float(1 - answered.mean())})
    return pd.DataFrame(rows)


def _light(value: float, target: float) -> str:
    return "green" if value <= target else "red"


def call_centre_explorer(start: int = 7, centre: CallCentre = CallCentre(), seed: int = 3):
    """Slider for agents on duty: the dashboard's number against the callers' number."""
    import ipywidgets as widgets
    from plotly.subplots import make_subplots

    grid = np.arange(2, 15)
    curve = call_centre_curve(grid, centre, seed)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_scatter(x=curve["agents"], y=curve["dashboard_wait"], name="dashboard: average wait of answered calls (s)",
                    line=dict(color="seagreen", width=3))
    fig.add_scatter(x=curve["agents"], y=curve["honest_wait_p90"], name="callers: 9 in 10 waited less than (s)",
                    line=dict(color="crimson", width=3))
    fig.add_scatter(x=curve["agents"], y=100 * curve["abandoned_share"], name="callers who hung up (%)",
                    line=dict(color="grey", dash="dot"), secondary_y=True)
    fig.add_scatter(x=[start, start], y=[0, 0], mode="markers", marker=dict(size=14, color=["seagreen", "crimson"]),
                    name="today's roster", showlegend=False)
    fig.add_hline(y=centre.target_s, line=dict(color="black", dash="dash"),
                  annotation_text=f"target: {centre.target_s:.0f} s", annotation_position="top right")
    fig.update_layout(height=460, margin=dict(t=70, l=50, r=50, b=40), legend=dict(orientation="h", y=-0.25))
    fig.update_xaxes(title_text="agents answering the phone")
    fig.update_yaxes(title_text="seconds", rangemode="tozero", secondary_y=False)
    fig.update_yaxes(title_text="% who hung up", range=[0, 100], tickmode="auto", showgrid=False,
                     secondary_y=True)
    figure = figure_widget(fig)

    def redraw(f, agents):
        row = curve.loc[curve["agents"] == agents].iloc[0]
        f.data[3].x = [agents, agents]
        f.data[3].y = [row["dashboard_wait"], row["honest_wait_p90"]]
        f.layout.title = (f"{agents} agents - dashboard: {row['dashboard_wait']:.0f} s "
                          f"({_light(row['dashboard_wait'], centre.target_s)}) - callers: 9 in 10 under "
                          f"{row['honest_wait_p90']:.0f} s ({_light(row['honest_wait_p90'], centre.target_s)})"
                          f" - {100 * row['abandoned_share']:.0f}% hung up")

    slider = widgets.IntSlider(value=start, min=int(grid.min()), max=int(grid.max()), step=1,
                               description="Agents on the phone")
    caption = (f"Assumptions: about {centre.calls_per_day:.0f} calls a day over {centre.days} days, busiest mid-morning; "
               f"a conversation lasts {centre.talk_median_s / 60:.0f} minutes (median); half of the callers hang up "
               f"after {centre.patience_median_s:.0f} s of waiting. The same callers face every roster.")
    return explorer({"agents": slider}, figure, redraw, caption)


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
    fig.add_bar(x=labels, y=[0] * 4, name="last year", marker_color="lightsteelblue")
    fig.add_bar(x=labels, y=[0] * 4, name="this year", marker_color="steelblue")
    fig.update_layout(barmode="group", height=420, margin=dict(t=70, l=50, r=20, b=40),
                      yaxis=dict(title="NPS (points)", range=[-40, 60]), legend=dict(orientation="h", y=-0.15))
    figure = figure_widget(fig)

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
               "were won, or fewer of them answered the survey).")
    return explorer({"loyal_share": share, "drop": drop}, figure, redraw, caption)
