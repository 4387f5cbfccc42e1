"""Module 0 pictures and simulation: how a notebook exercise works, and what one price does to mean and median."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .style import COLOURS, currency, kit_figure, money, money_axis, money_hover
from .widgets import explorer

RHYTHM = (  # what the learner does, in order; the picture draws one box each
    ("Run the setup cell", "Shift + Enter"),
    ("Write your answer", "replace None"),
    ("Run the check", "it says what to fix"),
    ("Ask for a hint", "if you are stuck"),
    ("Save and hand in", "Ctrl + S"),
)


def _two_lines(text: str) -> str:
    """A box label on two lines, split at the space nearest its middle, so it fits a narrow box."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if len(text) < 12 or not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return f"{text[:cut]}<br>{text[cut + 1:]}"


def opening_picture():
    """The module's opening picture: the five steps of every exercise, with the loop back from a hint."""
    import plotly.graph_objects as go

    fig = go.Figure()
    width, gap = 1.0, 0.45
    shapes, notes = [], []
    for i, (step, how) in enumerate(RHYTHM):
        x0 = i * (width + gap)
        loop = step == "Ask for a hint"
        shapes.append(dict(type="rect", x0=x0, x1=x0 + width, y0=0.0, y1=1.0, line=dict(color=COLOURS["target"], width=1.5),
                           fillcolor="#f1f3f4" if loop else "white", layer="below"))
        if i:
            notes.append(dict(x=x0, y=0.5, ax=x0 - gap, ay=0.5, xref="x", yref="y", axref="x", ayref="y", text="",
                              showarrow=True, arrowhead=3, arrowwidth=1.5, arrowcolor=COLOURS["target"]))
    hint, answer = 3 * (width + gap) + width / 2, 1 * (width + gap) + width / 2
    notes.append(dict(x=answer, y=1.02, ax=hint, ay=1.02, xref="x", yref="y", axref="x", ayref="y", text="",
                      showarrow=True, arrowhead=3, arrowwidth=1.5, arrowcolor=COLOURS["you"]))
    notes.append(dict(x=(hint + answer) / 2, y=1.3, text="not right yet? a hint, then try again", showarrow=False,
                      font=dict(size=12, color=COLOURS["you"])))
    centres = [i * (width + gap) + width / 2 for i in range(len(RHYTHM))]
    fig.add_scatter(x=centres, y=[0.64] * len(RHYTHM), mode="text", hoverinfo="skip", name="steps",
                    text=[f"<b>{i + 1}. {_two_lines(step)}</b>" for i, (step, _) in enumerate(RHYTHM)],
                    textfont=dict(size=13))
    fig.add_scatter(x=centres, y=[0.22] * len(RHYTHM), mode="text", hoverinfo="skip", name="how",
                    text=[how for _, how in RHYTHM], textfont=dict(size=12, color="#555555"))
    kit_figure(fig, height=230, top=50, bottom=10)
    right = len(RHYTHM) * (width + gap) - gap
    fig.update_layout(title="Every exercise, the same five steps", shapes=shapes, annotations=notes,
                      showlegend=False, xaxis=dict(visible=False, range=[-0.05, right + 0.05]),
                      yaxis=dict(visible=False, range=[-0.1, 1.5]))
    return fig


def priciest_at(costs: pd.Series, price: float) -> dict:
    """Mean and median of the costs once the most expensive tool is charged `price` instead."""
    values = costs.to_numpy(dtype=float).copy()
    values[int(np.argmax(values))] = price
    return {"mean": float(values.mean()), "median": float(np.median(values))}


def _line(x: float, colour: str, dash: str, label: str, side: str) -> tuple[dict, dict]:
    """A full-height vertical line and its label at the top of the plot, on the `side` ('left'/'right')."""
    shape = dict(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line=dict(color=colour, width=3, dash=dash))
    note = dict(x=x, y=1, yref="paper", text=label, showarrow=False, yanchor="bottom",
                xanchor="right" if side == "left" else "left", xshift=-4 if side == "left" else 4,
                font=dict(color=colour, size=12), bgcolor="rgba(255,255,255,0.8)")
    return shape, note


def price_range(costs: pd.Series) -> tuple[int, int, int]:
    """(today's price of the priciest tool, the slider's top, its step): from the table as it is to 10 times."""
    today = int(math.ceil(float(costs.max())))
    step = max(1, int(round(9 * today / 45, -3)) or 1)
    return today, today + 45 * step, step


def outlier_explorer(stack: pd.DataFrame, currency_code: str | None = None):
    """Slider for the price of the most expensive tool; the mean line moves, the median line does not."""
    import ipywidgets as widgets
    import plotly.graph_objects as go

    code = currency(currency_code)
    costs = stack["annual_cost"].astype(float)
    priciest = int(np.argmax(costs.to_numpy()))
    fig = go.Figure()
    fig.add_histogram(x=costs.tolist(), nbinsx=40, name="tools", marker_color=COLOURS["data"],
                      hovertemplate=f"{money_hover(code, 'x')} a year: %{{y}} tools<extra></extra>")
    kit_figure(fig, height=400, top=80)
    fig.update_layout(xaxis=money_axis(code, "annual cost of a tool"), yaxis_title="number of tools",
                      showlegend=False, bargap=0.05)

    def redraw(f, price):
        stats = priciest_at(costs, price)
        moved = costs.copy()
        moved.iloc[priciest] = price
        f.data[0].x = moved.tolist()
        right_of = stats["mean"] >= stats["median"]  # labels on the outer sides, never on top of each other
        mean_line, mean_note = _line(stats["mean"], COLOURS["proxy"], "solid", f"mean {money(stats['mean'], code)}",
                                     "right" if right_of else "left")
        median_line, median_note = _line(stats["median"], COLOURS["honest"], "dash",
                                         f"median {money(stats['median'], code)}", "left" if right_of else "right")
        f.layout.shapes = [mean_line, median_line]
        f.layout.annotations = [mean_note, median_note]
        f.layout.title = (f"The most expensive tool at {money(price, code)} a year: "
                          f"the mean is {money(stats['mean'], code)}, the median {money(stats['median'], code)}")

    today, top, step = price_range(costs)
    slider = widgets.IntSlider(value=today, min=today, max=top, step=step,
                               description=f"Price of the most expensive tool ({code})")
    return explorer({"price": slider}, fig, redraw)
