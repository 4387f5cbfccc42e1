"""Module 4 simulations: an optimiser that chases clicks, and brands that all copy the winner."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .style import CATEGORIES, COLOURS, currency, kit_figure, money, symbol
from .widgets import explorer

# Creatives are categories: their colours stay clear of the clicks (proxy) and value (honest) lines.
CREATIVE_COLOURS = {"substantive": CATEGORIES[0], "clickbait": CATEGORIES[1], "discount": CATEGORIES[2]}


@dataclass(frozen=True)
class Creatives:
    """What each creative really does (the optimiser does not know: it learns from what it shows)."""

    names: tuple[str, ...] = ("substantive", "clickbait", "discount")
    ctr: tuple[float, ...] = (0.009, 0.026, 0.015)              # clicks per impression
    buy_per_click: tuple[float, ...] = (0.075, 0.012, 0.055)    # purchases per click
    value_per_buyer: tuple[float, ...] = (110.0, 50.0, 60.0)    # 90-day value of a customer won


def goodhart_rounds(weight_on_clicks: float, rounds: int = 40, impressions: int = 200_000,
                    epsilon: float = 0.1, step: float = 0.2, seed: int = 4, arms: Creatives = Creatives()) -> dict:
    """An epsilon-greedy optimiser that scores creatives by a mix of clicks and 90-day value.

    It starts by showing the creatives equally. After each round of `impressions` ads it scores each
    creative on everything observed so far: w x (its CTR / best CTR) + (1 - w) x (its value per
    impression / best value per impression). Its target is the best-scoring creative, with a share
    `epsilon` spread evenly to keep learning; it moves a fraction `step` of the budget towards that
    target each round. Returns, per round, clicks and value per 1,000 impressions and the share of
    impressions each creative got.
    """
    rng = np.random.default_rng(seed)
    w = float(np.clip(weight_on_clicks, 0.0, 1.0))
    ctr, buy, worth = (np.asarray(x, dtype=float) for x in (arms.ctr, arms.buy_per_click, arms.value_per_buyer))
    k = len(arms.names)
    shown = np.zeros(k)
    clicked = np.zeros(k)
    earned = np.zeros(k)
    share = np.zeros((rounds, k))
    clicks_per_1000 = np.zeros(rounds)
    value_per_1000 = np.zeros(rounds)
    plan = np.full(k, 1 / k)  # nothing known yet: show each creative equally
    for r in range(rounds):
        if r > 0:
            seen_ctr = clicked / shown
            seen_value = earned / shown
            score = (w * seen_ctr / max(seen_ctr.max(), 1e-12)
                     + (1 - w) * seen_value / max(seen_value.max(), 1e-12))
            target = np.full(k, epsilon / k)
            target[int(np.argmax(score))] += 1 - epsilon
            plan = (1 - step) * plan + step * target
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
    fig.update_yaxes(title_text="clicks per 1,000", rangemode="tozero", row=1, col=1, secondary_y=False)
    fig.update_yaxes(title_text=f"value per 1,000 ({code})", rangemode="tozero", tickmode="auto", showgrid=False,
                     tickprefix=symbol(code), row=1, col=1, secondary_y=True)
    fig.update_yaxes(title_text="share of impressions", tickformat=".0%", range=[0, 1], row=2, col=1)
    fig.update_xaxes(title_text="round (one batch of ads)", row=2, col=1)

    def redraw(f, weight_on_clicks):
        run = goodhart_rounds(weight_on_clicks, arms=arms)
        rounds = run["round"].tolist()
        f.data[0].x, f.data[0].y = rounds, run["clicks_per_1000"].tolist()
        f.data[1].x, f.data[1].y = rounds, run["value_per_1000"].tolist()
        for i in range(len(arms.names)):
            f.data[2 + i].x, f.data[2 + i].y = rounds, run["share"][:, i].tolist()
        favourite = arms.names[int(np.argmax(run["share"][-1]))]
        clicks, value = run["clicks_per_1000"], run["value_per_1000"]
        f.layout.title = (f"Weight on clicks {weight_on_clicks:.0%}: the optimiser drifts to {favourite}<br>"
                          f"<sup>Per 1,000 impressions, round 1 -> last 5 rounds: clicks {clicks[0]:.1f} -> "
                          f"{clicks[-5:].mean():.1f}; 90-day value {money(value[0], code)} -> "
                          f"{money(value[-5:].mean(), code)}</sup>")

    slider = widgets.FloatSlider(value=1.0, min=0.0, max=1.0, step=0.05, description="Weight on clicks",
                                 readout_format=".0%")
    caption = ("Assumptions: click-through " + ", ".join(f"{n} {c:.1%}" for n, c in zip(arms.names, arms.ctr))
               + "; purchases per click " + ", ".join(f"{b:.1%}" for b in arms.buy_per_click)
               + "; 90-day value of a customer won " + ", ".join(money(v, code) for v in arms.value_per_buyer)
               + ". 200,000 impressions per round; 10% always kept for exploring; "
               "a fifth of the budget moves each round.")
    return explorer({"weight_on_clicks": slider}, fig, redraw, caption)


def message_entropy(messages) -> float:
    """Shannon entropy (in bits) of which message each brand uses: 0 when all say the same thing."""
    _, counts = np.unique(np.asarray(messages), return_counts=True)
    p = counts / counts.sum()
    return float(max(0.0, -(p * np.log2(p)).sum()))


def copycat_brands(copy_rate: float, brands: int = 12, rounds: int = 40, invent_rate: float = 0.02,
                   noise: float = 0.15, seed: int = 11) -> dict:
    """Brands that each round copy the message of whichever brand performed best that round.

    Every brand starts with its own message. A message has a true appeal (around 1), but a round's
    result is that appeal plus luck (`noise`). After each round, every other brand switches to the
    winner's message with probability `copy_rate`, or (rarely) tries a brand-new message.
    Returns the message of every brand in every round, its entropy, the number of distinct messages, and
    the true appeal of the most common message at the end against the best message at the start.
    """
    rng = np.random.default_rng(seed)
    appeal = list(rng.normal(1.0, 0.1, brands))
    current = np.arange(brands)
    history = [current.copy()]
    for _ in range(rounds):
        results = np.array([appeal[m] for m in current]) + rng.normal(0.0, noise, brands)
        winner = int(np.argmax(results))
        copy = rng.random(brands) < copy_rate
        invent = ~copy & (rng.random(brands) < invent_rate)
        copy[winner] = invent[winner] = False
        current = np.where(copy, current[winner], current)
        for b in np.flatnonzero(invent):
            appeal.append(float(rng.normal(1.0, 0.1)))
            current[b] = len(appeal) - 1
        history.append(current.copy())
    messages = np.array(history)
    ids, counts = np.unique(messages[-1], return_counts=True)
    return {"round": np.arange(rounds + 1), "messages": messages,
            "entropy": np.array([message_entropy(row) for row in messages]),
            "distinct": np.array([len(np.unique(row)) for row in messages]),
            "best_appeal": float(max(appeal[m] for m in messages[0])),
            "common_appeal": float(appeal[ids[np.argmax(counts)]])}


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
    kit_figure(fig, height=580, top=80, bottom=60)
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
                          f"<sup>True appeal of the most common message at the end: {run['common_appeal']:.2f} "
                          f"(best message at the start: {run['best_appeal']:.2f})</sup>")

    slider = widgets.FloatSlider(value=0.1, min=0.0, max=1.0, step=0.05,
                                 description="How much brands copy the winner", readout_format=".0%")
    caption = (f"{brands} brands, each starting with its own message. Each round, the brand with the best result "
               "(true appeal plus luck) is copied by each other brand with the chance on the slider; 2% of the "
               "time a brand tries something new instead. Variety (entropy) is 0 bits when every brand says the "
               "same thing.")
    return explorer({"copy_rate": slider}, fig, redraw, caption)
