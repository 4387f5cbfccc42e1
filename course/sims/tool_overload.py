"""Module 1 pictures and simulations: where the week goes, what one more tool costs, cost against use.

`one_more_tool` is the pure model behind the first simulation. It starts from the learner's own
stack (tools, connections, hours spent mending them, the share of the week customers get today) and
asks what changes with more or fewer tools, under assumptions the figure prints beside itself.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..measures.stack import possible_seams, utilisation
from .style import COLOURS, currency, kit_figure, log_ticks, money, money_hover, symbol
from .widgets import explorer

ACTIVITIES = (  # column, what the picture calls it, its colour
    ("customer_contact_hours", "with customers", COLOURS["honest"]),
    ("production_hours", "making campaigns and content", COLOURS["data"]),
    ("meetings_hours", "internal meetings", COLOURS["context"]),
    ("reporting_hours", "reporting", COLOURS["proxy"]),
)


def yearly_split(weeks: pd.DataFrame) -> pd.DataFrame:
    """Each calendar year's share of the team's hours per activity (rows: years; columns: activities)."""
    year = pd.to_datetime(weeks["week_start"]).dt.year
    hours = weeks[[column for column, _, _ in ACTIVITIES]].groupby(year).sum()
    return hours.div(hours.sum(axis=1), axis=0)


def week_through_the_years(weeks: pd.DataFrame):
    """The module's opening picture: ten years of the team's week, reporting growing, customers shrinking."""
    import plotly.graph_objects as go

    split = yearly_split(weeks)
    fig = go.Figure()
    for column, label, colour in ACTIVITIES:
        fig.add_bar(x=split.index.tolist(), y=split[column].tolist(), name=label, marker_color=colour,
                    hoverinfo="skip")  # no numbers to read off: the exercises compute them
    first, last = split.index[0], split.index[-1]
    kit_figure(fig, height=380)
    fig.update_layout(barmode="stack", bargap=0.15,
                      title=f"The team's week, {first} to {last}: more reporting, less time with customers",
                      yaxis=dict(title="share of the team's hours", tickformat=".0%", range=[0, 1]),
                      xaxis=dict(title="year", dtick=1))
    return fig


@dataclass(frozen=True)
class StackAssumptions:
    """What the first simulation assumes; the figure prints each one, with where it comes from."""

    today_tools: int = 75
    today_connections: int = 100
    hours_per_connection: float = 0.2     # per week, to keep one connection working (links table)
    admin_hours_per_tool: float = 0.25    # per week, per tool: logins, renewals, updates (our guess)
    team_size: int = 45
    hours_per_week: float = 37.0          # per person (weeks table, last 52 weeks)
    customer_share_today: float = 0.08    # of the team's hours (weeks table, last 52 weeks)

    @property
    def wired_share(self) -> float:
        """Share of the possible pairs of tools that are connected today."""
        return float(self.today_connections / possible_seams(self.today_tools))

    @property
    def team_hours(self) -> float:
        return self.team_size * self.hours_per_week

    @classmethod
    def from_data(cls, stack: pd.DataFrame, links: pd.DataFrame, weeks: pd.DataFrame, team_size: int,
                  admin_hours_per_tool: float = 0.25) -> StackAssumptions:
        """The assumptions read from the learner's own three tables (the admin time per tool is a guess)."""
        last_year = weeks.tail(52)
        hours = last_year[[column for column, _, _ in ACTIVITIES]]
        return cls(today_tools=len(stack), today_connections=len(links),
                   hours_per_connection=float(links["maintenance_hours_per_year"].mean() / 52),
                   admin_hours_per_tool=admin_hours_per_tool, team_size=int(team_size),
                   hours_per_week=float(hours.to_numpy().sum() / len(last_year)),
                   customer_share_today=float(last_year["customer_contact_hours"].sum() / hours.to_numpy().sum()))


def upkeep_hours(n_tools, a: StackAssumptions):
    """Hours a week the team spends keeping `n_tools` tools and their connections working."""
    n = np.asarray(n_tools, dtype=float)
    return n * a.admin_hours_per_tool + a.wired_share * possible_seams(n) * a.hours_per_connection


def one_more_tool(n_tools, a: StackAssumptions = StackAssumptions()) -> dict:
    """Seams, connections, upkeep and the share of the week left for customers with `n_tools` tools.

    Today's stack gives today's share; every hour of upkeep added comes out of customer time, every hour
    saved goes to it. Connections keep today's share of the possible pairs.
    """
    n = np.asarray(n_tools, dtype=float)
    upkeep = upkeep_hours(n, a)
    freed = (upkeep_hours(a.today_tools, a) - upkeep) / a.team_hours
    return {"seams": possible_seams(n), "wired": a.wired_share * possible_seams(n), "maintenance_hours": upkeep,
            "customer_share": np.clip(a.customer_share_today + freed, 0.0, 1.0)}


def no_time_left(a: StackAssumptions, most: int = 2000) -> int | None:
    """The smallest stack that leaves customers no time at all under `a` (None if none up to `most`)."""
    grid = np.arange(1, most + 1)
    empty = np.flatnonzero(one_more_tool(grid, a)["customer_share"] <= 0)
    return int(grid[empty[0]]) if len(empty) else None


def _team_size() -> int:
    """The marketing team of the datasets' sector profile (the data card gives it)."""
    from ..data import get_profile, read_manifest
    from ..data.tool_overload import company
    from ..errors import CourseError

    try:
        return company(get_profile(read_manifest()["profile"])).marketing_team
    except (CourseError, KeyError):
        from ..data import DEFAULT_PROFILE

        return company(get_profile(DEFAULT_PROFILE)).marketing_team


def assumptions_caption(a: StackAssumptions) -> str:
    """The simulation's assumptions in words, each with where it comes from."""
    return (
        "<b>Assumptions</b> (from your tables unless said otherwise): today "
        f"{a.today_tools} tools and {a.today_connections} connections, {100 * a.wired_share:.1f}% of the "
        f"{int(possible_seams(a.today_tools)):,} possible pairs; a connection takes {a.hours_per_connection:.2f} "
        f"hours a week to keep working (average of <code>links</code>); each tool takes "
        f"{a.admin_hours_per_tool:g} hours a week of admin: logins, renewals, updates (our guess); "
        f"{a.team_size} people (the data card) work {a.hours_per_week:.0f} hours a week and give "
        f"{100 * a.customer_share_today:.1f}% of them to customers (<code>weeks</code>, last 52 weeks). "
        "With more tools, connections keep today's share of the possible pairs and the extra upkeep comes out "
        "of customer time; with fewer, the hours saved go to customers. Meetings, reporting and production "
        "stay as they are."
    )


def one_more_tool_explorer(stack: pd.DataFrame | None = None, links: pd.DataFrame | None = None,
                           weeks: pd.DataFrame | None = None, team_size: int | None = None):
    """Slider for the number of tools, starting at your stack: seams grow as n(n-1)/2, customer time shrinks."""
    import ipywidgets as widgets
    from plotly.subplots import make_subplots

    from .. import data

    stack = data.load("stack_inventory") if stack is None else stack
    links = data.load("tool_integrations") if links is None else links
    weeks = data.load("weekly_time_split") if weeks is None else weeks
    a = StackAssumptions.from_data(stack, links, weeks, team_size or _team_size())
    most = max(300, 4 * a.today_tools)  # room to reach the stack that leaves customers no time
    grid = np.arange(2, most + 1)  # one tool has no seam
    curve = one_more_tool(grid, a)
    today = one_more_tool(a.today_tools, a)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1, row_heights=[0.5, 0.5])
    fig.add_scatter(x=grid.tolist(), y=curve["wired"].tolist(), name="connections, wired like today",
                    line=dict(color=COLOURS["cost"]), row=1, col=1,
                    hovertemplate="%{x} tools: about %{y:,.0f} connections<extra></extra>")
    fig.add_scatter(x=grid.tolist(), y=(100 * curve["customer_share"]).tolist(), name="week left for customers",
                    line=dict(color=COLOURS["honest"]), row=2, col=1,
                    hovertemplate="%{x} tools: %{y:.1f}% of the week left for customers<extra></extra>")
    fig.add_scatter(x=[a.today_tools], y=[100 * a.customer_share_today], mode="markers", name="the stack you chose",
                    marker=dict(size=13, color=COLOURS["you"], symbol="diamond"), row=2, col=1,
                    hovertemplate="%{x} tools: %{y:.1f}% of the week left for customers<extra></extra>")
    fig.add_scatter(x=grid.tolist(), y=curve["seams"].tolist(), name="possible seams: n(n-1)/2",
                    line=dict(color=COLOURS["context"], dash="dash"), row=1, col=1,
                    hovertemplate="%{x} tools: %{y:,.0f} possible pairs<extra></extra>")
    for row, y, legend in ((2, 100 * a.customer_share_today, True), (1, float(today["wired"]), False)):
        fig.add_scatter(x=[a.today_tools], y=[y], mode="markers", name="your stack today", showlegend=legend,
                        marker=dict(size=18, color=COLOURS["data"], symbol="circle-open", line=dict(width=2.5)),
                        hoverinfo="skip", row=row, col=1)
    fig.add_scatter(x=[a.today_tools], y=[float(today["wired"])], mode="markers", name="the stack you chose",
                    marker=dict(size=13, color=COLOURS["you"], symbol="diamond"), row=1, col=1, showlegend=False,
                    hovertemplate="%{x} tools: about %{y:,.0f} connections<extra></extra>")
    kit_figure(fig, height=560, top=80)
    fig.update_xaxes(title_text="number of tools in the stack", row=2, col=1)
    top_seams = float(curve["seams"][-1])
    fig.update_yaxes(title_text="pairs of tools (log scale)", row=1, col=1, range=[0, np.log10(top_seams) + 0.1],
                     **log_ticks(1, top_seams))
    fig.update_yaxes(title_text="week left for customers", ticksuffix="%", rangemode="tozero", row=2, col=1)

    def redraw(f, n_tools):
        point = one_more_tool(n_tools, a)
        f.data[2].x, f.data[2].y = [n_tools], [100 * float(point["customer_share"])]
        f.data[6].x, f.data[6].y = [n_tools], [max(1.0, float(point["wired"]))]  # a log axis starts at 1
        step = float(upkeep_hours(n_tools + 1, a) - upkeep_hours(n_tools, a))
        f.layout.title = (f"{n_tools} tools: {int(point['seams']):,} possible seams, about {float(point['wired']):,.0f} "
                          f"connections, {float(point['maintenance_hours']):.0f} hours a week of upkeep;<br>"
                          f"{100 * float(point['customer_share']):.1f}% of the week left for customers; "
                          f"one more tool would add {step:.1f} hours a week")

    slider = widgets.IntSlider(value=a.today_tools, min=2, max=most, step=1, description="Tools in the stack")
    return explorer({"n_tools": slider}, fig, redraw, assumptions_caption(a))


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
                    marker=dict(size=9, color=points["overlap"].tolist(), colorscale=_OVERLAP_SCALE,
                                line=dict(width=0.5, color="white"), showscale=True,
                                colorbar=dict(title=dict(text="other tools sharing<br>a capability"), thickness=12)),
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
