"""The kit's one chart style: fonts, colours that mean the same thing in every module, money and units.

Colours carry meaning across the course, so a learner who has seen one module reads the next:

- ``honest``: what customers live, the honest measure (callers' real wait, 90-day value, customers' words);
- ``proxy``: what the dashboard or the optimiser sees (average wait of answered calls, clicks, the mean);
- ``cost``: money or hours spent (tool upkeep, marketing cost);
- ``data``: the learner's data drawn plainly (tools, customers, this year's answers);
- ``you``: your choice or your position (the slider's point, your stack);
- ``context``: a reference to compare with (last year, "if attributes were unrelated", today's plan);
- ``target``: a promise or threshold line (the 60-second target, the shelfware line).

Categories (clusters, creatives, tiers) take ``CATEGORIES``, which avoids the meaning colours.
Amounts carry the currency of the data's sector profile (the datasets' manifest), never the word
"currency"; figures take the width of their cell.
"""
from __future__ import annotations

import functools
import math

COLOURS = {
    "honest": "#1b7f72",
    "proxy": "#e07b00",
    "cost": "#7b4f9d",
    "data": "#5b84b1",
    "you": "#111111",
    "context": "#a3adb8",
    "target": "#444444",
}
CATEGORIES = ("#3b6fb6", "#c8508c", "#b59f00", "#5aa9e6", "#8c564b", "#6b8e23", "#d99bc5", "#4d4d4d")
FONT = "Inter, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif"
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF "}



@functools.cache
def template():
    """The kit's plotly template (built once; also registered as plotly.io.templates["course"])."""
    import plotly.graph_objects as go
    import plotly.io as pio

    kit = go.layout.Template(
        layout=dict(
            font=dict(family=FONT, size=13, color="#222222"),
            title=dict(x=0.01, xanchor="left", y=0.97, yanchor="top", font=dict(size=15)),
            colorway=list(CATEGORIES),
            paper_bgcolor="white",
            plot_bgcolor="white",
            hoverlabel=dict(font=dict(family=FONT, size=12), bgcolor="white"),
            legend=dict(orientation="h", x=0, xanchor="left", y=-0.18, yanchor="top", font=dict(size=12)),
            xaxis=_AXIS,
            yaxis=_AXIS,
            autosize=True,
        ),
        data=dict(scatter=[go.Scatter(line=dict(width=2.5))], bar=[go.Bar(marker=dict(line=dict(width=0)))]),
    )
    pio.templates["course"] = kit
    return kit


_AXIS = dict(showgrid=True, gridcolor="#ececec", zeroline=False, linecolor="#999999", ticks="outside",
             tickcolor="#999999", automargin=True, title=dict(standoff=8))


def kit_figure(fig, height: int, top: int = 70, bottom: int = 50):
    """Apply the kit's template, a height and room for a two-line title; the width follows the cell."""
    fig.update_layout(template=template(), height=height, autosize=True, width=None,
                      margin=dict(t=top, l=60, r=30, b=bottom))
    return fig


def currency(code: str | None = None) -> str:
    """The currency of the course's data: `code` if given, else the sector profile's (datasets manifest)."""
    if code:
        return code
    from ..data import get_profile, read_manifest
    from ..errors import CourseError

    try:
        return get_profile(read_manifest()["profile"]).currency
    except (CourseError, KeyError):
        from ..data import DEFAULT_PROFILE

        return get_profile(DEFAULT_PROFILE).currency


def symbol(code: str) -> str:
    """What goes before an amount: '€' for EUR; the code itself for a currency without a known sign."""
    return SYMBOLS.get(code, f"{code} ")


def money(value: float, code: str) -> str:
    """An amount as a report would print it: '€527,928'."""
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol(code)}{abs(value):,.0f}"


def money_axis(code: str, title: str) -> dict:
    """Axis settings for amounts: the currency in the title and before every tick, whole units."""
    return dict(title=dict(text=f"{title} ({code})"), tickprefix=symbol(code), tickformat=",.0f",
                hoverformat=",.0f")


def money_hover(code: str, axis: str = "y") -> str:
    """The hover text piece for an amount on `axis`: '€%{y:,.0f}'."""
    return f"{symbol(code)}%{{{axis}:,.0f}}"


def log_ticks(low: float, high: float, prefix: str = "") -> dict:
    """Readable ticks for a log axis: 1, 2 and 5 times each power of ten between `low` and `high`."""
    low, high = max(float(low), 1e-9), max(float(high), 1e-9)
    values = [m * 10 ** e for e in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
              for m in (1, 2, 5) if low <= m * 10 ** e <= high]
    if len(values) > 9:  # a wide range: powers of ten only
        values = [v for v in values if f"{v:.0e}".startswith("1")]
    return dict(type="log", tickmode="array", tickvals=values, ticktext=[f"{prefix}{_short(v)}" for v in values],
                minor=dict(ticks="", showgrid=False))


def _short(value: float) -> str:
    """10000 -> '10k', 2500000 -> '2.5M', 0.5 -> '0.5': what a slide shows on an axis."""
    for size, unit in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            return f"{value / size:g}{unit}"
    return f"{value:g}"
