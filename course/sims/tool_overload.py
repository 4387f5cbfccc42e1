"""Module 1 simulations: what one more tool costs, and what each tool costs against its use."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..measures.stack import possible_seams, utilisation
from .style import COLOURS, currency, kit_figure, log_ticks, money, money_hover, symbol
from .widgets import explorer


@dataclass(frozen=True)
class StackAssumptions:
    """The simulation's assumptions, shown to the learner next to the slider."""

    team_size: int = 12
    hours_per_week: float = 39.0
    admin_hours_per_tool: float = 0.25      # per week: logins, updates, licences, training
    wired_share: float = 0.01              # share of possible tool pairs actually connected
    hours_per_seam: float = 0.15            # per week, per connection that exists
    fixed_work_share: float = 0.70          # meetings, reporting and production before tools


def one_more_tool(n_tools, a: StackAssumptions = StackAssumptions()) -> dict:
    """Seams, maintenance hours per week and the share of the team's week left for customers."""
    n = np.asarray(n_tools, dtype=float)
    seams = possible_seams(n)
    wired = a.wired_share * seams
    maintenance = n * a.admin_hours_per_tool + wired * a.hours_per_seam
    team_hours = a.team_size * a.hours_per_week
    left = np.clip(1.0 - a.fixed_work_share - maintenance / team_hours, 0.0, None)
    return {"seams": seams, "wired": wired, "maintenance_hours": maintenance, "customer_share": left}


def one_more_tool_explorer(start: int = 40, a: StackAssumptions = StackAssumptions()):
    """Slider for the number of tools; seams grow as n(n-1)/2 and the customers' share of time shrinks."""
    import ipywidgets as widgets
    from plotly.subplots import make_subplots

    grid = np.arange(1, 401)
    curve = one_more_tool(grid, a)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_scatter(x=grid.tolist(), y=curve["maintenance_hours"].tolist(), name="tool upkeep (hours a week)",
                    line=dict(color=COLOURS["cost"]),
                    hovertemplate="%{x} tools: %{y:.0f} hours a week of upkeep<extra></extra>")
    fig.add_scatter(x=grid.tolist(), y=(100 * curve["customer_share"]).tolist(), name="week left for customers (%)",
                    line=dict(color=COLOURS["honest"]), secondary_y=True,
                    hovertemplate="%{x} tools: %{y:.0f}% of the week left for customers<extra></extra>")
    fig.add_scatter(x=[start], y=[0], mode="markers", name="your stack",
                    marker=dict(size=13, color=COLOURS["you"], symbol="diamond"),
                    hovertemplate="your stack: %{x} tools, %{y:.0f} hours a week of upkeep<extra></extra>")
    kit_figure(fig, height=440)
    fig.update_xaxes(title_text="number of tools in the stack")
    fig.update_yaxes(title_text="upkeep (hours a week)", rangemode="tozero", secondary_y=False)
    fig.update_yaxes(title_text="week left for customers (%)", range=[0, 35], tickmode="auto", showgrid=False,
                     ticksuffix="%", secondary_y=True)

    def redraw(f, n_tools):
        point = one_more_tool(n_tools, a)
        f.data[2].x = [n_tools]
        f.data[2].y = [float(point["maintenance_hours"])]
        f.layout.title = (f"{n_tools} tools: {int(point['seams']):,} possible seams, "
                          f"{float(point['maintenance_hours']):.0f} hours a week of upkeep, "
                          f"{100 * float(point['customer_share']):.0f}% of the week left for customers")

    slider = widgets.IntSlider(value=start, min=1, max=400, step=1, description="Tools in the stack")
    caption = (f"Assumptions: a team of {a.team_size}, {a.admin_hours_per_tool:g} h of admin per tool per week, "
               f"{100 * a.wired_share:g}% of possible pairs actually connected, {a.hours_per_seam:g} h per "
               "connection per week.")
    return explorer({"n_tools": slider}, fig, redraw, caption)


def cost_against_use(stack: pd.DataFrame) -> pd.DataFrame:
    """One row per tool: annual cost, utilisation and how many other tools share a capability with it."""
    caps = stack.assign(capability=stack["capabilities"].str.split(";")).explode("capability")
    sellers = caps.groupby("capability")["tool"].transform("count")
    overlap = caps.assign(sellers=sellers).groupby("tool")["sellers"].max() - 1
    out = stack[["tool", "category", "annual_cost"]].copy()
    out["utilisation"] = utilisation(stack)
    out["overlap"] = out["tool"].map(overlap).fillna(0).astype(int)
    return out


# Few tools share a capability (light) to many (dark): one hue, so colour reads as "more".
_OVERLAP_SCALE = [[0.0, "#dfe7f1"], [1.0, "#1f3b63"]]


def cost_against_use_explorer(stack: pd.DataFrame, currency_code: str | None = None):
    """Cost against utilisation, one dot per tool; a slider sets the shelfware line."""
    import ipywidgets as widgets
    import plotly.graph_objects as go

    code = currency(currency_code)
    points = cost_against_use(stack)
    fig = go.Figure()
    fig.add_scatter(x=points["utilisation"].tolist(), y=points["annual_cost"].tolist(), mode="markers",
                    text=points["tool"].tolist(), customdata=points["overlap"].tolist(), name="tools",
                    marker=dict(size=8, color=points["overlap"].tolist(), colorscale=_OVERLAP_SCALE,
                                line=dict(width=0.5, color="white"), showscale=True,
                                colorbar=dict(title=dict(text="tools sharing<br>a capability"), thickness=12)),
                    hovertemplate=("%{text}<br>used by %{x:.0%} of its seats<br>" + money_hover(code)
                                   + " a year<br>%{customdata} other tools share a capability<extra></extra>"))
    kit_figure(fig, height=460)
    low, high = points["annual_cost"].min(), points["annual_cost"].max()
    fig.update_layout(showlegend=False, xaxis=dict(title="share of paid seats used last month", tickformat=".0%"),
                      yaxis=dict(title=f"annual cost ({code}, log scale)", **log_ticks(low, high, symbol(code))))

    def redraw(f, threshold):
        below = points["utilisation"] < threshold
        f.layout.shapes = [dict(type="line", x0=threshold, x1=threshold, y0=0, y1=1, yref="paper",
                                line=dict(color=COLOURS["target"], dash="dash", width=2))]
        f.layout.annotations = [dict(x=threshold, y=1, yref="paper", yanchor="bottom", xanchor="left",
                                     showarrow=False, text=f"shelfware line: {threshold:.0%} of seats used",
                                     font=dict(color=COLOURS["target"], size=12))]
        f.layout.title = (f"{int(below.sum())} tools under {threshold:.0%} use cost "
                          f"{money(points.loc[below, 'annual_cost'].sum(), code)} a year")

    slider = widgets.FloatSlider(value=0.2, min=0.05, max=0.6, step=0.05, description="Shelfware line",
                                 readout_format=".0%")
    return explorer({"threshold": slider}, fig, redraw)
