"""The call-centre queue model: who waits how long, who hangs up, and two ways to report it.

Module 3's simulation draws it and module 3's `service_calls` export is written by it, so the figure
and the data tell the same story.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

DAY_SECONDS = 86_400
GREEN_SHARE = 0.5   # a dashboard at half its target or less looks comfortably green


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
    waits, answered = np.asarray(waits, dtype=float), np.asarray(answered, dtype=bool)
    return float(waits[answered].mean()) if answered.any() else float("nan")


def honest_wait_p90(waits) -> float:
    """What callers live: 9 in 10 callers waited less than this, counting those who hung up."""
    return float(np.quantile(np.asarray(waits, dtype=float), 0.9))


def abandoned_share(answered) -> float:
    """Share of callers who hung up before anyone answered."""
    return float(1 - np.asarray(answered, dtype=bool).mean())


def cheapest_green_roster(calls: dict[str, np.ndarray], centre: CallCentre, whole_seconds: bool = False,
                          most: int = 40) -> tuple[int, np.ndarray, np.ndarray]:
    """The fewest agents whose dashboard shows half the promise or less: the roster a cost-cutter signs.

    Returns (agents, waits, answered) for that roster; `whole_seconds` rounds the waits first, as
    an export writes them. Module 3's data and its simulation's default both use this rule.
    """
    for agents in range(1, most + 1):
        waits, answered = queue_waits(calls["arrival_s"], calls["patience_s"], calls["talk_s"], agents)
        if whole_seconds:
            waits = np.round(waits)
        if dashboard_wait(waits, answered) <= GREEN_SHARE * centre.target_s:
            break
    return agents, waits, answered


def staffing_report(calls: dict[str, np.ndarray], agents: int) -> dict:
    """The dashboard's number, the callers' number and the hang-ups, for one roster facing `calls`."""
    waits, answered = queue_waits(calls["arrival_s"], calls["patience_s"], calls["talk_s"], agents)
    return {"agents": int(agents), "calls": len(waits), "dashboard_wait": dashboard_wait(waits, answered),
            "honest_wait_p90": honest_wait_p90(waits), "abandoned_share": abandoned_share(answered)}
