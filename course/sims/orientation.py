"""Module 0 simulation: one very expensive tool moves the mean, hardly the median."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .widgets import explorer, figure_widget


def mean_and_median(costs: pd.Series, extra_cost: float) -> dict:
    """Mean and median of the costs once one more tool of `extra_cost` is added."""
    values = np.append(costs.to_numpy(dtype=float), extra_cost)
    return {"mean": float(values.mean()), "median": float(np.median(values))}


def outlier_explorer(stack: pd.DataFrame):
    """Slider for the price of one new tool; the mean line moves, the median line barely does."""
    import ipywidgets as widgets
    import plotly.graph_objects as go

    costs = stack["annual_cost"]
    fig = go.Figure()
    fig.add_histogram(x=costs, nbinsx=60, name="tools", marker_color="#7aa6c2")
    fig.update_layout(height=380, margin=dict(t=60, l=40, r=20, b=40), xaxis_title="annual cost",
                      yaxis_title="number of tools", showlegend=False)
    figure = figure_widget(fig)

    def redraw(f, extra_cost):
        stats = mean_and_median(costs, extra_cost)
        f.layout.shapes = [
            dict(type="line", x0=stats["mean"], x1=stats["mean"], y0=0, y1=1, yref="paper",
                 line=dict(color="crimson", width=3)),
            dict(type="line", x0=stats["median"], x1=stats["median"], y0=0, y1=1, yref="paper",
                 line=dict(color="black", dash="dash", width=3)),
        ]
        f.layout.title = (f"Mean (red) {stats['mean']:,.0f} - median (dashed) {stats['median']:,.0f} "
                          f"with one more tool at {extra_cost:,.0f}")

    slider = widgets.IntSlider(value=0, min=0, max=2_000_000, step=50_000,
                               description="Price of one new tool")
    return explorer({"extra_cost": slider}, figure, redraw)
