"""Module 4 pictures and simulations: what the platform counts against what it was for.

- `story_figure`: the module's opening picture, from the campaign log (clicks up, 90-day value down).
- `goodhart_rounds` / `goodhart_explorer`: an optimiser that weighs clicks against 90-day value.
- `copycat_brands` / `copycat_explorer`: brands that copy whichever message did best last round.
- `holdout_figure`: the learner's own holdout result (what the ads caused, with its interval) against
  what the platform claims.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .style import CATEGORIES, COLOURS, currency, kit_figure, money, symbol
from .widgets import explorer

# Creatives are categories: their colours stay clear of the clicks (proxy) and value (honest) lines.
CREATIVE_COLOURS = {"substantive": CATEGORIES[0], "clickbait": CATEGORIES[1], "discount": CATEGORIES[2]}


# --- the opening picture -------------------------------------------------------------------------

def weekly_drift(campaigns: pd.DataFrame) -> pd.DataFrame:
    """Per week: clickbait's share of impressions, and clicks and 90-day value per 1,000 impressions."""
    week = campaigns.groupby("week_start")[["impressions", "clicks", "value_90d"]].sum()
    bait = campaigns[campaigns["creative_type"] == "clickbait"].groupby("week_start")["impressions"].sum()
    return pd.DataFrame({"clickbait_share": bait / week["impressions"],
                         "clicks_per_1000": 1000 * week["clicks"] / week["impressions"],
                         "value_per_1000": 1000 * week["value_90d"] / week["impressions"]})


def drift_index(campaigns: pd.DataFrame, weeks: int = 4) -> pd.DataFrame:
    """Clicks and value per 1,000 impressions as an index: the average of the first `weeks` weeks = 100."""
    drift = weekly_drift(campaigns)[["clicks_per_1000", "value_per_1000"]]
    return 100 * drift / drift.head(weeks).mean()


def _change(index: pd.Series, weeks: int = 4) -> float:
    """Change from the first `weeks` weeks to the last `weeks` weeks, as a share (+0.4 is 40% more)."""
    return float(index.tail(weeks).mean() / index.head(weeks).mean() - 1)


def story_figure(campaigns: pd.DataFrame):
    """The opening picture: week by week, what the platform optimised went up and what it was for went down."""
    import plotly.graph_objects as go

    index = drift_index(campaigns)
    weeks = pd.to_datetime(index.index)
    clicks, value = _change(index["clicks_per_1000"]), _change(index["value_per_1000"])
    fig = go.Figure()
    fig.add_scatter(x=weeks, y=index["clicks_per_1000"], name="clicks per 1,000 impressions (what the platform maximised)",
                    line=dict(color=COLOURS["proxy"], width=3),
                    hovertemplate="week of %{x|%d %b}: %{y:.0f}<extra>clicks, first month = 100</extra>")
    fig.add_scatter(x=weeks, y=index["value_per_1000"],
                    name="90-day customer value per 1,000 impressions (what the ads were for)",
                    line=dict(color=COLOURS["honest"], width=3),
                    hovertemplate="week of %{x|%d %b}: %{y:.0f}<extra>90-day value, first month = 100</extra>")
    fig.add_hline(y=100, line=dict(color=COLOURS["context"], width=1))
    kit_figure(fig, height=380, top=80)
    fig.update_layout(
        title=(f"Clicks {_direction(clicks)} {abs(clicks):.0%}; customer value {_direction(value)} {abs(value):.0%}<br>"
               "<sup>Your campaign log, week by week, first month = 100; last month against first month</sup>"),
        yaxis_title="index (first month = 100)", xaxis_title="week", legend=dict(y=-0.25))
    return fig


def _direction(change: float) -> str:
    return "up" if change >= 0 else "down"


# --- simulation 1: an optimiser that weighs clicks against value ----------------------------------

@dataclass(frozen=True)
class Creatives:
    """What each creative really does (the optimiser does not know: it learns from what it shows)."""

    names: tuple[str, ...] = ("substantive", "clickbait", "discount")
    ctr: tuple[float, ...] = (0.009, 0.026, 0.015)              # clicks per impression
    buy_per_click: tuple[float, ...] = (0.075, 0.012, 0.055)    # purchases per click
    value_per_buyer: tuple[float, ...] = (110.0, 50.0, 60.0)    # 90-day value of a customer won


def budget_shares(score: np.ndarray, temperature: float) -> np.ndarray:
    """Shares of the next budget from the scores: the leader gets most, a close second a fair share."""
    weights = np.exp((score - score.max()) / temperature)
    return weights / weights.sum()


def goodhart_rounds(weight_on_clicks: float, rounds: int = 40, impressions: int = 200_000,
                    temperature: float = 0.15, step: float = 0.2, seed: int = 4, arms: Creatives = Creatives()) -> dict:
    """An optimiser that shares its budget between creatives by a score mixing clicks and 90-day value.

    It starts by showing the creatives equally. After each round of `impressions` ads it scores each
    creative on everything observed so far: w x (its CTR / best CTR) + (1 - w) x (its value per
    impression / best value per impression). Its target split gives each creative a share that grows
    with its score (a softmax: exp(score / temperature), normalised), so the best-scoring creative
    gets most of the budget and a close runner-up still gets a fair share; it moves a fraction `step`
    of the budget towards that target each round. Returns, per round, clicks and value per 1,000
    impressions and the share of impressions each creative got.
    """
    rng = np.random.default_rng(seed)
    w = float(np.clip(weight_on_clicks, 0.0, 1.0))
    ctr, buy, worth = (np.asarray(x, dtype=float) for x in (arms.ctr, arms.buy_per_click, arms.value_per_buyer))
    k = len(arms.names)
    shown, clicked, earned = np.zeros(k), np.zeros(k), np.zeros(k)
    share = np.zeros((rounds, k))
    clicks_per_1000, value_per_1000 = np.zeros(rounds), np.zeros(rounds)
    plan = np.full(k, 1 / k)  # nothing known yet: show each creative equally
    for r in range(rounds):
        if r > 0:
            seen_ctr, seen_value = clicked / shown, earned / shown
            score = (w * seen_ctr / max(seen_ctr.max(), 1e-12)
                     + (1 - w) * seen_value / max(seen_value.max(), 1e-12))
            plan = (1 - step) * plan + step * budget_shares(score, temperature)
        n = rng.multinomial(impressions, plan)
        clicks = rng.binomial(n, ctr)
        buyers = rng.binomial(clicks, buy)
        value = np.where(buyers > 0, rng.gamma(np.maximum(2.0 * buyers, 1e-9), worth / 2.0), 0.0)
        shown += n
        clicked += clicks
        earned += value
        share[r] = n / impressions
        clicks_per_1000[r] = 1000 * clicks.sum() / impressions
        value_per_1000[r] = 1000 * value.sum() / impressions
    return {"round": np.arange(1, rounds + 1), "names": arms.names, "share": share,
            "clicks_per_1000": clicks_per_1000, "value_per_1000": value_per_1000}


def goodhart_explorer(arms: Creatives = Creatives(), currency_code: str | None = None):
    """Slider for how much the optimiser weighs clicks against 90-day value; watch both over 40 rounds."""
    import ipywidgets as widgets
    from plotly.subplots import make_subplots

    code = currency(currency_code)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1, row_heights=[0.55, 0.45],
                        specs=[[{"secondary_y": True}], [{}]])
    fig.add_scatter(x=[], y=[], name="clicks per 1,000 impressions (what the optimiser sees)",
                    line=dict(color=COLOURS["proxy"], width=3), row=1, col=1,
                    hovertemplate="round %{x}: %{y:.1f} clicks per 1,000<extra></extra>")
    fig.add_scatter(x=[], y=[], name=f"90-day value per 1,000 impressions ({code}, right axis)",
                    line=dict(color=COLOURS["honest"], width=3), row=1, col=1, secondary_y=True,
                    hovertemplate=f"round %{{x}}: {symbol(code)}%{{y:,.0f}} of 90-day value per 1,000<extra></extra>")
    for name in arms.names:
        fig.add_scatter(x=[], y=[], name=f"share shown: {name}", stackgroup="share", mode="none",
                        fillcolor=CREATIVE_COLOURS.get(name), row=2, col=1,
                        hovertemplate=f"round %{{x}}: {name} got %{{y:.0%}} of impressions<extra></extra>")
    kit_figure(fig, height=580, top=80)
    fig.update_layout(legend=dict(y=-0.12))
    fig.update_yaxes(title_text="clicks per 1,000", range=[0, 1100 * max(arms.ctr)], row=1, col=1, secondary_y=False)
    best_value = max(c * b * v for c, b, v in zip(arms.ctr, arms.buy_per_click, arms.value_per_buyer))
    fig.update_yaxes(title_text=f"value per 1,000 ({code})", range=[0, 1400 * best_value], tickmode="auto",
                     showgrid=False, tickprefix=symbol(code), row=1, col=1, secondary_y=True)
    fig.update_yaxes(title_text="share of impressions", tickformat=".0%", range=[0, 1], row=2, col=1)
    fig.update_xaxes(title_text="round (one batch of ads)", row=2, col=1)

    def redraw(f, weight_on_clicks):
        run = goodhart_rounds(weight_on_clicks, arms=arms)
        rounds = run["round"].tolist()
        f.data[0].x, f.data[0].y = rounds, run["clicks_per_1000"].tolist()
        f.data[1].x, f.data[1].y = rounds, run["value_per_1000"].tolist()
        for i in range(len(arms.names)):
            f.data[2 + i].x, f.data[2 + i].y = rounds, run["share"][:, i].tolist()
        last = run["share"][-5:].mean(axis=0)
        favourite = int(np.argmax(last))
        clicks, value = run["clicks_per_1000"], run["value_per_1000"]
        f.layout.title = (f"Weight on clicks {weight_on_clicks:.0%}: in the last rounds {arms.names[favourite]} "
                          f"gets {last[favourite]:.0%} of the impressions<br>"
                          f"<sup>Per 1,000 impressions, round 1 -> last 5 rounds: clicks {clicks[0]:.1f} -> "
                          f"{clicks[-5:].mean():.1f}; 90-day value {money(value[0], code)} -> "
                          f"{money(value[-5:].mean(), code)}</sup>")

    slider = widgets.FloatSlider(value=1.0, min=0.0, max=1.0, step=0.05, description="Weight on clicks",
                                 readout_format=".0%")
    caption = ("Assumptions: click-through " + ", ".join(f"{n} {c:.1%}" for n, c in zip(arms.names, arms.ctr))
               + "; purchases per click " + ", ".join(f"{b:.1%}" for b in arms.buy_per_click)
               + "; 90-day value of a customer won " + ", ".join(money(v, code) for v in arms.value_per_buyer)
               + ". 200,000 impressions per round. The optimiser gives each creative a share of the next round "
               "that grows with its score (the leader gets most, a close second still gets a fair share) and "
               "moves a fifth of the budget each round.")
    return explorer({"weight_on_clicks": slider}, fig, redraw, caption)


# --- simulation 2: brands that copy the winner ---------------------------------------------------

def message_entropy(messages) -> float:
    """Shannon entropy (in bits) of which message each brand uses: 0 when all say the same thing."""
    _, counts = np.unique(np.asarray(messages), return_counts=True)
    p = counts / counts.sum()
    return float(max(0.0, -(p * np.log2(p)).sum()))


COPYCAT_SEED = 1   # a default run whose end is typical of the model (see tests/test_algorithm_faith.py)


def copycat_brands(copy_rate: float, brands: int = 12, rounds: int = 40, invent_rate: float = 0.02,
                   appeal_mean: float = 20.0, appeal_sd: float = 2.0, luck_sd: float = 6.0,
                   seed: int = COPYCAT_SEED) -> dict:
    """Brands that each round copy the message of whichever brand did best that round.

    Every brand starts with its own message. A message has a true appeal (responses per 1,000 people
    reached, around `appeal_mean`), but a round's result is that appeal plus luck (`luck_sd`: a small
    campaign's result varies more from round to round than messages differ). After each round, every
    other brand switches to the winner's message with probability `copy_rate`, or (rarely) tries a
    brand-new message. Returns the message of every brand in every round, its entropy, the number of
    distinct messages, the true appeal of the most common message at the end and of the best message
    any brand used.
    """
    rng = np.random.default_rng(seed)
    appeal = list(rng.normal(appeal_mean, appeal_sd, brands))
    current = np.arange(brands)
    history = [current.copy()]
    for _ in range(rounds):
        results = np.array([appeal[m] for m in current]) + rng.normal(0.0, luck_sd, brands)
        winner = int(np.argmax(results))
        copy = rng.random(brands) < copy_rate
        invent = ~copy & (rng.random(brands) < invent_rate)
        copy[winner] = invent[winner] = False
        current = np.where(copy, current[winner], current)
        for b in np.flatnonzero(invent):
            appeal.append(float(rng.normal(appeal_mean, appeal_sd)))
            current[b] = len(appeal) - 1
        history.append(current.copy())
    messages = np.array(history)
    ids, counts = np.unique(messages[-1], return_counts=True)
    return {"round": np.arange(rounds + 1), "messages": messages,
            "entropy": np.array([message_entropy(row) for row in messages]),
            "distinct": np.array([len(np.unique(row)) for row in messages]),
            "best_appeal": float(max(appeal[m] for m in np.unique(messages))),
            "common_appeal": float(appeal[ids[np.argmax(counts)]]),
            "common_brands": int(counts.max())}


def _copycat_verdict(run: dict, brands: int) -> str:
    """The subtitle: is the message most brands end with the best one any brand had?"""
    common, best, users = run["common_appeal"], run["best_appeal"], run["common_brands"]
    if users == 1:
        return f"Every brand still has a message of its own; the best draws {best:.1f} responses per 1,000 people"
    verdict = ("the best message any brand had" if common >= best
               else f"{best - common:.1f} fewer than the best message any brand had ({best:.1f})")
    return f"The message {users} of {brands} brands end with draws {common:.1f} responses per 1,000 people: {verdict}"


def copycat_explorer(brands: int = 12, rounds: int = 40):
    """Slider for how readily brands copy the best performer; variety of messages collapses over rounds."""
    import ipywidgets as widgets
    import plotly.colors as pc
    from plotly.subplots import make_subplots

    palette = pc.qualitative.Set3
    steps = len(palette)
    scale = [[edge, colour] for i, colour in enumerate(palette) for edge in (i / steps, (i + 1) / steps)]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12, row_heights=[0.4, 0.6],
                        specs=[[{"secondary_y": True}], [{}]])
    fig.add_scatter(x=[], y=[], name="variety of messages (entropy, bits)", line=dict(color=COLOURS["honest"], width=3),
                    row=1, col=1, hovertemplate="round %{x}: variety %{y:.2f} bits<extra></extra>")
    fig.add_scatter(x=[], y=[], name="distinct messages (right axis)", line=dict(color=COLOURS["context"], dash="dot"),
                    row=1, col=1, secondary_y=True, hovertemplate="round %{x}: %{y} distinct messages<extra></extra>")
    fig.add_heatmap(z=[[0]], colorscale=scale, zmin=-0.5, zmax=steps - 0.5, showscale=False,
                    hovertemplate="round %{x}<br>%{y}<extra></extra>", row=2, col=1)
    kit_figure(fig, height=600, top=95, bottom=60)
    fig.update_layout(legend=dict(y=-0.1))
    fig.update_yaxes(title_text="bits", range=[0, np.log2(brands) + 0.2], row=1, col=1, secondary_y=False)
    fig.update_yaxes(title_text="messages", range=[0, brands + 1], tickmode="linear", dtick=3, showgrid=False,
                     row=1, col=1, secondary_y=True)
    fig.update_yaxes(title_text="brand (colour = its message)", showgrid=False, row=2, col=1)
    fig.update_xaxes(title_text="round", row=2, col=1)
    labels = [f"brand {i + 1}" for i in range(brands)]

    def redraw(f, copy_rate):
        run = copycat_brands(copy_rate, brands=brands, rounds=rounds)
        f.data[0].x, f.data[0].y = run["round"].tolist(), run["entropy"].tolist()
        f.data[1].x, f.data[1].y = run["round"].tolist(), run["distinct"].tolist()
        f.data[2].x, f.data[2].y, f.data[2].z = run["round"].tolist(), labels, (run["messages"].T % steps).tolist()
        f.layout.title = (f"Copy rate {copy_rate:.0%}: {run['distinct'][0]} messages at the start, "
                          f"{run['distinct'][-1]} after {rounds} rounds "
                          f"(variety {run['entropy'][0]:.1f} -> {run['entropy'][-1]:.1f} bits)<br>"
                          f"<sup>{_copycat_verdict(run, brands)}</sup>")

    slider = widgets.FloatSlider(value=0.1, min=0.0, max=1.0, step=0.05,
                                 description="How much brands copy the winner", readout_format=".0%")
    caption = (f"Assumptions: {brands} brands, each starting with its own message. A message's true appeal is "
               "about 20 responses per 1,000 people reached, give or take 2; a round's result adds luck of give "
               "or take 6, because one round of a campaign is small. Each round, every other brand copies the "
               "round's best result with the chance on the slider; 2% of the time a brand tries a new message "
               "instead. Variety (entropy) is 0 bits when every brand says the same thing.")
    return explorer({"copy_rate": slider}, fig, redraw, caption)


# --- the learner's holdout result ----------------------------------------------------------------

def holdout_figure(attributed, incremental, margin):
    """The platform's claim next to what the ads caused and its 95% interval, from the learner's numbers."""
    import plotly.graph_objects as go

    from .. import messages as msg

    missing = [name for name, value in (("attributed", attributed), ("incremental", incremental),
                                        ("margin", margin)) if value is None]
    if missing:
        from ..learner import _show

        names = [f"`{n}`" for n in missing]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        _show("todo", msg.HOLDOUT_PICTURE_WAITS.format(names=f"{listed} {'is' if len(names) == 1 else 'are'}"))
        return None
    claimed, caused, margin = float(attributed), float(incremental), abs(float(margin))
    low, high = caused - margin, caused + margin
    fig = go.Figure()
    fig.add_bar(y=["what the platform claims"], x=[claimed], orientation="h", marker_color=COLOURS["proxy"],
                name="purchases the platform attributes to its ads",
                hovertemplate="the platform claims %{x:,.0f} purchases<extra></extra>")
    fig.add_bar(y=["what the ads caused"], x=[caused], orientation="h", marker_color=COLOURS["honest"],
                name="purchases the ads caused, with its 95% interval",
                error_x=dict(type="data", array=[margin], color=COLOURS["you"], thickness=2, width=12),
                hovertemplate=f"caused %{{x:,.0f}} purchases (95% interval {low:,.0f} to {high:,.0f})<extra></extra>")
    fig.add_vline(x=0, line=dict(color=COLOURS["target"], width=1))
    kit_figure(fig, height=320, top=90)
    share = f"{_percent(low / claimed)} to {_percent(high / claimed)} of the claim" if claimed else "no claim to compare with"
    fig.update_layout(
        title=(f"The ads caused about {caused:,.0f} purchases: with 95% confidence between {low:,.0f} and "
               f"{high:,.0f}<br><sup>The platform claims {claimed:,.0f}; the interval is {share}</sup>"),
        xaxis_title="purchases", showlegend=False, yaxis=dict(autorange="reversed"), bargap=0.45)
    return fig


def _percent(share: float) -> str:
    """A share as a report prints it: '28%', or '-0.2%' where a whole percent would read '-0%'."""
    return f"{share:.1%}" if share != 0 and round(100 * share) == 0 else f"{share:.0%}"
