"""Module 1 simulations: what one more tool costs, and what each tool costs against its use."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..measures.stack import possible_seams, utilisation
from .widgets import explorer, figure_widget


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
    fig.add_scatter(x=grid, y=curve["maintenance_hours"], name="tool upkeep (hours/week)")
    fig.add_scatter(x=grid, y=100 * curve["customer_share"], name="week left for customers (%)",
                    secondary_y=True)
    fig.add_scatter(x=[start], y=[0], mode="markers", marker=dict(size=14, color="crimson"),
                    name="your stack")
    fig.update_layout(height=420, margin=dict(t=60, l=40, r=40, b=40), legend=dict(orientation="h", y=-0.2))
    fig.update_xaxes(title_text="number of tools")
    fig.update_yaxes(title_text="hours per week", secondary_y=False)
    fig.update_yaxes(title_text="% of the team's week", range=[0, 35], tickmode="auto", showgrid=False,
                     secondary_y=True)
    figure = figure_widget(fig)

    def redraw(f, n_tools):
        point = one_more_tool(n_tools, a)
        f.data[2].x = [n_tools]
        f.data[2].y = [float(point["maintenance_hours"])]
        f.layout.title = (f"{n_tools} tools: {int(point['seams']):,} possible seams, "
                          f"{float(point['maintenance_hours']):.0f} h/week of upkeep, "
                          f"{100 * float(point['customer_share']):.0f}% of the week left for customers")

    slider = widgets.IntSlider(value=start, min=1, max=400, step=1, description="Tools in the stack")
    caption = (f"Assumptions: a team of {a.team_size}, {a.admin_hours_per_tool:g} h of admin per tool per week, "
               f"{100 * a.wired_share:g}% of possible pairs actually connected, {a.hours_per_seam:g} h per "
               "connection per week.")
    return explorer({"n_tools": slider}, figure, redraw, caption)


def cost_against_use(stack: pd.DataFrame) -> pd.DataFrame:
    """One row per tool: annual cost, utilisation and how many other tools share a capability with it."""
    caps = stack.assign(capability=stack["capabilities"].str.split(";")).explode("capability")
    sellers = caps.groupby("capability")["tool"].transform("count")
    overlap = caps.assign(sellers=sellers).groupby("tool")["sellers"].max() - 1
    out = stack[["tool", "category", "annual_cost"]].copy()
    out["utilisation"] = utilisation(stack)
    out["overlap"] = out["tool"].map(overlap).fillna(0).astype(int)
    return out


def cost_against_use_explorer(stack: pd.DataFrame):
    """Cost against utilisation, one dot per tool; a slider sets the shelfware line."""
    import ipywidgets as widgets
    import plotly.graph_objects as go

    points = cost_against_use(stack)
    fig = go.Figure()
    fig.add_scatter(x=points["utilisation"], y=points["annual_cost"], mode="markers", text=points["tool"],
                    marker=dict(size=7, color=points["overlap"], colorscale="Viridis", showscale=True,
                                colorbar=dict(title="tools sharing<br>a capability")),
                    hovertemplate="%{text}<br>used by %{x:.0%} of seats<br>%{y:,.0f} a year<extra></extra>")
    fig.update_layout(height=440, margin=dict(t=60, l=50, r=20, b=50), xaxis_title="share of seats used",
                      yaxis_title="annual cost", yaxis_type="log", xaxis_tickformat=".0%")
    figure = figure_widget(fig)

    def redraw(f, threshold):
        below = points["utilisation"] < threshold
        f.layout.shapes = [dict(type="line", x0=threshold, x1=threshold, y0=0, y1=1, yref="paper",
                                line=dict(color="crimson", dash="dash"))]
        f.layout.title = (f"{int(below.sum())} tools under {threshold:.0%} use cost "
                          f"{points.loc[below, 'annual_cost'].sum():,.0f} a year")

    slider = widgets.FloatSlider(value=0.2, min=0.05, max=0.6, step=0.05, description="Shelfware line",
                                 readout_format=".0%")
    return explorer({"threshold": slider}, figure, redraw)
