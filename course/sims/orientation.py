"""Module 0 simulation: one very expensive tool moves the mean, hardly the median."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .style import COLOURS, currency, kit_figure, money, money_axis, money_hover
from .widgets import explorer


def mean_and_median(costs: pd.Series, extra_cost: float) -> dict:
    """Mean and median of the costs once one more tool of `extra_cost` is added."""
    values = np.append(costs.to_numpy(dtype=float), extra_cost)
    return {"mean": float(values.mean()), "median": float(np.median(values))}


def _line(x: float, colour: str, dash: str, label: str, side: str) -> tuple[dict, dict]:
    """A full-height vertical line and its label at the top of the plot, on the `side` ('left'/'right')."""
    shape = dict(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line=dict(color=colour, width=3, dash=dash))
    note = dict(x=x, y=1, yref="paper", text=label, showarrow=False, yanchor="bottom",
                xanchor="right" if side == "left" else "left", xshift=-4 if side == "left" else 4,
                font=dict(color=colour, size=12), bgcolor="rgba(255,255,255,0.8)")
    return shape, note


def outlier_explorer(stack: pd.DataFrame, currency_code: str | None = None):
    """Slider for the price of one new tool; the mean line moves, the median line barely does."""
    import ipywidgets as widgets
    import plotly.graph_objects as go

    code = currency(currency_code)
    costs = stack["annual_cost"]
    fig = go.Figure()
    fig.add_histogram(x=costs, nbinsx=60, name="tools", marker_color=COLOURS["data"],
                      hovertemplate=f"{money_hover(code, 'x')} a year: %{{y}} tools<extra></extra>")
    kit_figure(fig, height=400, top=80)
    fig.update_layout(xaxis=money_axis(code, "annual cost of a tool"), yaxis_title="number of tools",
                      showlegend=False, bargap=0.05)

    def redraw(f, extra_cost):
        stats = mean_and_median(costs, extra_cost)
        right_of = stats["mean"] >= stats["median"]  # labels on the outer sides, never on top of each other
        mean_line, mean_note = _line(stats["mean"], COLOURS["proxy"], "solid", f"mean {money(stats['mean'], code)}",
                                     "right" if right_of else "left")
        median_line, median_note = _line(stats["median"], COLOURS["honest"], "dash",
                                         f"median {money(stats['median'], code)}", "left" if right_of else "right")
        f.layout.shapes = [mean_line, median_line]
        f.layout.annotations = [mean_note, median_note]
        f.layout.title = (f"One more tool at {money(extra_cost, code)}: the mean is {money(stats['mean'], code)}, "
                          f"the median {money(stats['median'], code)}")

    slider = widgets.IntSlider(value=0, min=0, max=2_000_000, step=50_000,
                               description=f"Price of one new tool ({code})")
    return explorer({"extra_cost": slider}, fig, redraw)
