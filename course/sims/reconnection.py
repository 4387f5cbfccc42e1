"""Module 5 simulations: where the budget goes by relationship, and the words behind the scores."""
from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..measures.themes import THEME_KEYWORDS, mentions
from .style import CATEGORIES, COLOURS, currency, kit_figure, money, money_axis, money_hover
from .widgets import below, explorer


@dataclass(frozen=True)
class RelationshipAssumptions:
    """The budget model's assumptions, per year, shown to the learner under the slider."""

    retention_without_care: float = 0.75     # customers who stay when nothing is spent on them
    retention_with_care: float = 0.90        # the most care can achieve
    referral_without_care: float = 0.01      # new customers brought in per customer
    referral_with_care: float = 0.07
    care_scale: float = 0.02                 # spend per customer, as a share of their yearly value, that
                                             # gets about 63% of the way from 'without' to 'with' care
    acquisition_cost: float = 0.3            # cost of the first new customers, in yearly values
    reachable_share: float = 0.12            # most new customers a year can bring, as a share of today's base
    new_customer_year_share: float = 0.5     # new customers buy for half of their first year


def budget_by_relationship(existing_share, customers: float, budget: float, value: float, years: int = 3,
                           a: RelationshipAssumptions = RelationshipAssumptions()) -> dict:
    """Customers, revenue and cost year by year when `existing_share` of the budget goes to customers.

    `existing_share` may be an array (one scenario per value). Spending on customers raises retention
    and referrals with diminishing returns; spending on acquisition buys new customers, each dearer
    than the last. Returns arrays of shape (years, scenarios) and three-year totals.
    """
    share = np.atleast_1d(np.asarray(existing_share, dtype=float))
    base = np.full(share.shape, float(customers))
    rows = {k: [] for k in ("customers", "kept", "referred", "acquired", "revenue", "cost")}
    for _ in range(years):
        care = share * budget / np.maximum(base, 1.0) / value
        lift = 1.0 - np.exp(-care / a.care_scale)
        retention = a.retention_without_care + (a.retention_with_care - a.retention_without_care) * lift
        referral = a.referral_without_care + (a.referral_with_care - a.referral_without_care) * lift
        reachable = a.reachable_share * customers
        acquired = reachable * (1.0 - np.exp(-(1 - share) * budget / (a.acquisition_cost * value * reachable)))
        kept = base * retention
        referred = base * referral
        revenue = value * (kept + a.new_customer_year_share * (acquired + referred))
        for key, val in (("kept", kept), ("referred", referred), ("acquired", acquired), ("revenue", revenue),
                         ("cost", np.full(share.shape, float(budget)))):
            rows[key].append(val)
        base = kept + referred + acquired
        rows["customers"].append(base)
    out = {k: np.array(v) for k, v in rows.items()}
    out["total_revenue"] = out["revenue"].sum(axis=0)
    out["total_cost"] = out["cost"].sum(axis=0)
    return out


def model_inputs(relationships: pd.DataFrame, budget: pd.DataFrame) -> dict:
    """The company's numbers the model starts from: customers, yearly budget, value per customer."""
    return {"customers": float(len(relationships)), "budget": float(budget["current_budget"].sum()),
            "value": float(relationships["revenue_last_year"].mean())}


def budget_explorer(relationships: pd.DataFrame, budget: pd.DataFrame,
                    a: RelationshipAssumptions = RelationshipAssumptions(), currency_code: str | None = None):
    """Slider from all-acquisition to mostly-existing-customers; three-year revenue, cost and customers."""
    import ipywidgets as widgets
    from plotly.subplots import make_subplots

    code = currency(currency_code)
    inputs = model_inputs(relationships, budget)
    today = 1.0 - float(budget.loc[budget["tier"] == "prospects", "current_budget"].sum()) / inputs["budget"]
    grid = np.round(np.linspace(0.0, 0.95, 96), 2)
    curve = budget_by_relationship(grid, **inputs, a=a)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.6, 0.4], horizontal_spacing=0.12,
                        subplot_titles=("Three years, by share spent on customers", "Customers at each year end"))
    share = (100 * grid).tolist()
    fig.add_scatter(x=share, y=curve["total_revenue"].tolist(), name="3-year revenue", row=1, col=1,
                    line=dict(color=COLOURS["honest"]),
                    hovertemplate=f"%{{x:.0f}}% on customers: {money_hover(code)} of revenue<extra></extra>")
    fig.add_scatter(x=share, y=curve["total_cost"].tolist(), name="3-year marketing cost", row=1, col=1,
                    line=dict(color=COLOURS["cost"], dash="dash"),
                    hovertemplate=f"%{{x:.0f}}% on customers: {money_hover(code)} spent<extra></extra>")
    fig.add_scatter(x=[100 * today], y=[float(budget_by_relationship(today, **inputs, a=a)["total_revenue"][0])],
                    mode="markers", marker=dict(size=11, color=COLOURS["context"], symbol="diamond",
                                                line=dict(color=COLOURS["target"], width=1)),
                    name="today's plan", row=1, col=1,
                    hovertemplate=f"today's plan: %{{x:.0f}}% on customers, {money_hover(code)}<extra></extra>")
    fig.add_scatter(x=[0], y=[0], mode="markers", marker=dict(size=13, color=COLOURS["you"]), name="your choice",
                    row=1, col=1, hovertemplate=f"your choice: {money_hover(code)}<extra></extra>")
    years = [f"year {i + 1}" for i in range(3)]
    for colour, label in zip(CATEGORIES, ("kept", "won by referral", "won by acquisition")):
        fig.add_bar(x=years, y=[0, 0, 0], name=label, row=1, col=2, marker_color=colour,
                    hovertemplate=f"%{{x}}: %{{y:,.0f}} customers {label}<extra></extra>")
    kit_figure(fig, height=500, top=115)
    fig.update_layout(barmode="stack", title_y=0.97)
    fig.update_xaxes(title_text="% of the budget spent on existing customers", ticksuffix="%", row=1, col=1)
    fig.update_yaxes(**money_axis(code, "3-year total"), row=1, col=1)
    fig.update_yaxes(title_text="customers", tickformat=",.0f", row=1, col=2)

    def redraw(f, existing_share):
        point = budget_by_relationship(existing_share, **inputs, a=a)
        revenue, cost = float(point["total_revenue"][0]), float(point["total_cost"][0])
        f.data[3].x, f.data[3].y = [100 * existing_share], [revenue]
        for i, key in enumerate(("kept", "referred", "acquired")):
            f.data[4 + i].y = point[key][:, 0].tolist()
        f.layout.title = (f"{existing_share:.0%} on customers: 3-year revenue {money(revenue, code)} for a cost of "
                          f"{money(cost, code)}<br>(all on acquisition: {money(float(curve['total_revenue'][0]), code)}; "
                          f"{float(point['customers'][-1, 0]):,.0f} customers after three years)")

    slider = widgets.FloatSlider(value=0.0, min=0.0, max=0.95, step=0.05, readout_format=".0%",
                                 description="Share of the budget spent on existing customers")
    caption = (f"Assumptions: {inputs['customers']:,.0f} customers worth {money(inputs['value'], code)} a year each, "
               f"a budget of {money(inputs['budget'], code)} a year. With no care {a.retention_without_care:.0%} of "
               f"customers stay each year, with a lot of care up to {a.retention_with_care:.0%}; referrals rise from "
               f"{a.referral_without_care:.0%} to {a.referral_with_care:.0%} of customers. Every extra unit "
               "spent buys a little less than the one before, on both sides.")
    return explorer({"existing_share": slider}, fig, redraw, caption)


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
