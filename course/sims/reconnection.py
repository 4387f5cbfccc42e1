"""Module 5 simulations: the opening picture, the words behind the scores, and where the next block of
budget works best (the same model as the exercises: course.measures.budget)."""
from __future__ import annotations

import html

import numpy as np
import pandas as pd

from ..measures import budget as budget_model
from ..measures.themes import THEME_KEYWORDS, mentions
from .style import COLOURS, currency, kit_figure, money, money_axis, money_hover
from .widgets import below, explorer


# --- The opening picture ------------------------------------------------------------------------

def opening_picture(threads: pd.DataFrame | None = None, budget: pd.DataFrame | None = None,
                    currency_code: str | None = None):
    """Module 5's story in one static chart: where customers talk, and where this year's money goes
    (the course's own datasets unless tables are given)."""
    from plotly.subplots import make_subplots

    from ..data import load

    threads = load("community_threads") if threads is None else threads
    budget = load("budget") if budget is None else budget

    counts = threads["community"].value_counts()
    own = str(threads.loc[threads["run_by_brand"], "community"].iloc[0])
    own_share = float(counts[own] / counts.sum())
    plan = budget_model.today(budget)
    shares = plan / plan.sum()
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.16,
                        subplot_titles=("Where customers talk: threads per community",
                                        "Where this year's budget goes"))
    fig.add_bar(x=counts.index.tolist(), y=counts.tolist(), row=1, col=1, showlegend=False,
                marker_color=[COLOURS["you"] if c == own else COLOURS["data"] for c in counts.index],
                hovertemplate="%{x}: %{y:,} threads<extra></extra>")
    fig.add_bar(x=list(shares.index), y=(100 * shares).round(1).tolist(), row=1, col=2, showlegend=False,
                marker_color=[COLOURS["cost"] if t == "prospects" else COLOURS["data"] for t in shares.index],
                hovertemplate="%{x}: %{y:.1f}% of the budget<extra></extra>")
    kit_figure(fig, height=380, top=100)
    fig.update_layout(title=(f"The brand's own forum holds {own_share:.0%} of the threads; "
                             f"{shares['prospects']:.0%} of the {money(float(plan.sum()), currency(currency_code))} "
                             "budget goes to people who are not customers yet"))
    fig.update_yaxes(title_text="threads", row=1, col=1)
    fig.update_yaxes(title_text="% of this year's budget", ticksuffix="%", row=1, col=2)
    fig.update_xaxes(title_text="community (the brand's own forum is the dark bar)", row=1, col=1)
    fig.update_xaxes(title_text="relationship tier", row=1, col=2)
    return fig


# --- Budget explorer: the same model as the exercises (course.measures.budget) ---------------------

TOTALS = np.round(np.linspace(0.5, 2.0, 16), 2)      # the budget slider: 50% to 200% of today's


def budget_curve(budget: pd.DataFrame, share: float, totals) -> dict:
    """Three-year extra revenue of a plan at `share` on customers for each yearly total, and where the
    plan leaves the range the tests tried."""
    plans = [budget_model.plan_with_share(budget, share, t) for t in totals]
    return {"revenue": np.array([budget_model.plan_revenue(p, budget) for p in plans]),
            "tested": np.array([not budget_model.untested(p, budget) for p in plans])}


def budget_point(budget: pd.DataFrame, share: float, scale: float, best: dict | None = None) -> dict:
    """Everything the explorer shows for one setting: the plan, its revenue, each tier's next block.
    `best` caches the best share per budget size (it depends on the size only, and costs 96 plans)."""
    today = budget_model.today(budget)
    total = scale * float(today.sum())
    best = {} if best is None else best
    if scale not in best:
        best[scale] = budget_model.best_share(budget, total)
    plan = budget_model.plan_with_share(budget, share, total)
    block = budget_model.block_of(budget)
    return {"plan": plan, "total": total, "revenue": budget_model.plan_revenue(plan, budget),
            "today": budget_model.plan_revenue(today, budget),
            "next": budget_model.next_returns(plan, budget, block),
            "best": best[scale], "untested": budget_model.untested(plan, budget)}


def budget_explorer(budget: pd.DataFrame, currency_code: str | None = None):
    """Two sliders (share on customers, size of the budget): three-year extra revenue against the budget's
    cost, and what one more block would cause in each tier."""
    import ipywidgets as widgets
    from plotly.subplots import make_subplots

    code = currency(currency_code)
    today = budget_model.today(budget)
    now_total, now_share = float(today.sum()), budget_model.customer_share(today)
    x_max = 2.1 * now_total
    totals = np.linspace(0.02 * now_total, x_max, 80)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.58, 0.42], horizontal_spacing=0.13,
                        subplot_titles=("Extra revenue over three years, by yearly budget",
                                        "What one more block would cause, per unit"))
    hover = f"budget {money_hover(code, 'x')}: {money_hover(code)}<extra></extra>"
    fig.add_scatter(x=[0, x_max], y=[0, x_max], mode="lines", name="the budget itself (what it costs)", row=1,
                    col=1, line=dict(color=COLOURS["cost"], dash="dash"), hovertemplate=hover)
    fig.add_scatter(x=[], y=[], mode="lines", name="extra revenue, within the tests", row=1, col=1,
                    line=dict(color=COLOURS["honest"]), hovertemplate=hover)
    fig.add_scatter(x=[], y=[], mode="lines", name="beyond what the tests tried (a guess)", row=1, col=1,
                    line=dict(color=COLOURS["honest"], dash="dot"), hovertemplate=hover)
    fig.add_scatter(x=[now_total], y=[budget_model.plan_revenue(today, budget)], mode="markers", row=1, col=1,
                    name="today's plan", marker=dict(size=11, color=COLOURS["context"], symbol="diamond",
                                                     line=dict(color=COLOURS["target"], width=1)),
                    hovertemplate=f"today's plan: {money_hover(code)}<extra></extra>")
    fig.add_scatter(x=[], y=[], mode="markers", name="your plan", row=1, col=1,
                    marker=dict(size=13, color=COLOURS["you"]), hovertemplate=f"your plan: {money_hover(code)}<extra></extra>")
    fig.add_scatter(x=[], y=[], mode="markers", name="what your plan costs", row=1, col=1,
                    marker=dict(size=11, color=COLOURS["cost"], symbol="square"),
                    hovertemplate=f"your plan costs {money_hover(code)} a year<extra></extra>")
    fig.add_bar(x=list(budget_model.TIERS), y=[0] * 4, name="your plan: next block, per unit", row=1, col=2,
                marker_color=COLOURS["honest"], hovertemplate="%{x}: %{y:.2f} back per unit<extra></extra>")
    fig.add_scatter(x=list(budget_model.TIERS), y=[0] * 4, mode="markers", name="today's plan: next block", row=1,
                    col=2, marker=dict(size=11, color=COLOURS["context"], symbol="diamond",
                                       line=dict(color=COLOURS["target"], width=1)),
                    hovertemplate="today, %{x}: %{y:.2f} back per unit<extra></extra>")
    kit_figure(fig, height=520, top=120, bottom=90)
    fig.update_layout(title_y=0.97, legend=dict(y=-0.2))
    fig.add_hline(y=1.0, line=dict(color=COLOURS["target"], width=1, dash="dot"), row=1, col=2,
                  annotation_text="one unit back per unit spent", annotation_position="top right",
                  annotation_font=dict(color=COLOURS["target"], size=11))
    fig.update_xaxes(**money_axis(code, "yearly marketing budget"), row=1, col=1)
    fig.update_yaxes(**money_axis(code, "extra revenue over three years"), row=1, col=1)
    fig.update_xaxes(title_text="relationship tier", row=1, col=2)
    fig.update_yaxes(title_text="revenue caused per unit of the next block", row=1, col=2)
    fig.data[7].y = budget_model.next_returns(today, budget, budget_model.block_of(budget)).tolist()

    bests: dict = {}   # best share per budget size: moving the share slider does not recompute it

    def redraw(f, share, scale):
        curve = budget_curve(budget, share, totals)
        # The dotted part starts where the solid part ends, so the line never breaks (None: no point).
        last = int(np.flatnonzero(curve["tested"])[-1]) if curve["tested"].any() else 0
        revenue = curve["revenue"].tolist()
        f.data[1].x, f.data[1].y = totals.tolist(), [r if ok else None for r, ok in zip(revenue, curve["tested"])]
        f.data[2].x, f.data[2].y = totals.tolist(), [r if i >= last else None for i, r in enumerate(revenue)]
        point = budget_point(budget, share, scale, bests)
        f.data[4].x, f.data[4].y = [point["total"]], [point["revenue"]]
        f.data[5].x, f.data[5].y = [point["total"]], [point["total"]]
        f.data[6].y = point["next"].reindex(list(budget_model.TIERS)).tolist()
        change = point["revenue"] / point["today"] - 1
        against = "the same as today's plan" if abs(change) < 0.0005 else f"{change:+.1%} against today's plan"
        if abs(scale - 1.0) > 1e-9:
            against += f", with {scale:.0%} of its budget"
        guess = f"; beyond the tests for {', '.join(point['untested'])}" if point["untested"] else ""
        f.layout.title = (f"{share:.0%} on customers, a budget of {money(point['total'], code)}: "
                          f"{money(point['revenue'], code)} of extra revenue over three years ({against})<br>"
                          f"At this budget the best share on customers is "
                          f"{point['best']:.0%}; today's plan puts {now_share:.0%} there{guess}")

    share = widgets.FloatSlider(value=now_share, min=0.0, max=0.95, step=0.01, readout_format=".0%",
                                description="Share of the budget spent on existing customers")
    scale = widgets.FloatSlider(value=1.0, min=float(TOTALS[0]), max=float(TOTALS[-1]), step=0.1,
                                readout_format=".0%", description="Budget, as a share of today's")
    caption = (
        "<b>Assumptions on screen.</b> Each tier's extra revenue over three years is ceiling x spend / (spend + "
        "half_spend), the curve the holdout tests measured (incremental: what the spend causes, not what the "
        f"reports credit). The customers' money is shared among occasional, loyal and advocate customers as "
        f"in today's plan; the rest goes to prospects. A block is {budget_model.MOVE_SHARE:.0%} of today's "
        f"budget ({money(budget_model.block_of(budget), code)}). The dotted line is beyond the largest spend the "
        "tests tried. Revenue is not profit: a unit back per unit spent loses money once costs are paid.")
    return explorer({"share": share, "scale": scale}, fig, redraw, caption)


# --- Verbatim explorer --------------------------------------------------------------------------

ALL_THEMES = "all themes"
NO_THEME = "no theme (tagger missed it)"


def theme_flags(verbatims: pd.DataFrame, keywords: dict = THEME_KEYWORDS) -> pd.DataFrame:
    """One True/False column per theme, by the transparent keyword rule (case ignored)."""
    return mentions(verbatims["text"], keywords)


def filter_verbatims(verbatims: pd.DataFrame, flags: pd.DataFrame, theme: str, low: int, high: int) -> pd.DataFrame:
    """Answers scored between `low` and `high` (inclusive) that mention `theme` (or any/none)."""
    keep = verbatims["score"].between(low, high)
    if theme == NO_THEME:
        keep &= ~flags.any(axis=1)
    elif theme != ALL_THEMES:
        keep &= flags[theme]
    return verbatims[keep]


def theme_counts(flags: pd.DataFrame, verbatims: pd.DataFrame, low: int, high: int) -> pd.Series:
    """Comments per theme among answers scored between `low` and `high`, untagged ones included."""
    in_range = verbatims["score"].between(low, high)
    counts = flags[in_range].sum()
    counts[NO_THEME] = int((~flags[in_range].any(axis=1)).sum())
    return counts


_PAD = "padding:2px 8px;border-bottom:1px solid #eee"


def _table(rows: pd.DataFrame, limit: int) -> str:
    """The first `limit` comments as an HTML table, every value escaped."""
    def cell(value, align="center"):
        return f"<td style='text-align:{align};{_PAD}'>{html.escape(str(value))}</td>"

    body = "".join(f"<tr>{cell(int(r.score))}{cell(r.channel)}{cell(r.date)}{cell(r.text, 'left')}</tr>"
                   for r in rows.head(limit).itertuples())
    return ("<table style='border-collapse:collapse;width:100%'><thead><tr><th>score</th><th>channel</th>"
            f"<th>date</th><th style='text-align:left'>what the customer wrote</th></tr></thead><tbody>{body}"
            "</tbody></table>")


def verbatim_explorer(verbatims: pd.DataFrame, keywords: dict = THEME_KEYWORDS, limit: int = 12, seed: int = 0):
    """Pick a theme and a score range: count comments per theme, and read a sample of the words themselves."""
    import ipywidgets as widgets
    import plotly.graph_objects as go

    flags = theme_flags(verbatims, keywords)
    labels = list(keywords) + [NO_THEME]
    fig = go.Figure(go.Bar(x=labels, y=[0] * len(labels), marker_color=[COLOURS["context"]] * len(labels),
                           hovertemplate="%{x}: %{y:,} comments<extra></extra>"))
    kit_figure(fig, height=360)
    fig.update_layout(yaxis_title="comments", xaxis_title="theme (keyword rule)", showlegend=False)
    words = widgets.HTML(layout=widgets.Layout(width="100%"))

    def redraw(f, theme, scores):
        low, high = scores
        counts = theme_counts(flags, verbatims, low, high)
        f.data[0].y = [int(counts[t]) for t in labels]
        f.data[0].marker.color = [COLOURS["honest"] if t == theme else COLOURS["context"] for t in labels]
        rows = filter_verbatims(verbatims, flags, theme, low, high)
        f.layout.title = f"Scores {low} to {high}: comments per theme ({len(rows):,} match your filter)"
        sample = rows.sample(n=min(limit, len(rows)), random_state=seed) if len(rows) else rows
        words.value = (f"<p><b>{min(limit, len(rows))} of {len(rows):,} comments</b> "
                       f"({html.escape(theme)}, scores {low}-{high}):</p>" + _table(sample, limit))

    theme = widgets.Dropdown(options=[ALL_THEMES] + labels, value=ALL_THEMES, description="Theme")
    scores = widgets.IntRangeSlider(value=(0, 6), min=0, max=10, step=1, description="Scores")
    box = explorer({"theme": theme, "scores": scores}, fig, redraw)
    return below(box, words)
