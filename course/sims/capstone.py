"""Module 6 picture: the audit on one page, six comfortable numbers against six honest ones, one memo."""
from __future__ import annotations

from .style import COLOURS, kit_figure

# (area, module, what the company usually looks at, what the audit computes instead)
AUDIT = (
    ("Stack", "module 1", "tools<br>bought", "cost of the<br>unused tools"),
    ("Segments", "module 2", "persona<br>cards", "customers<br>who match<br>a card"),
    ("Data", "module 3", "average wait,<br>answered<br>calls", "the wait<br>1 caller in 10<br>goes past"),
    ("Campaigns", "module 4", "purchases<br>the platform<br>claims", "purchases<br>the ads<br>caused"),
    ("Customers", "module 5", "an average<br>score", "NPS and<br>detractors'<br>words"),
    ("Budget", "module 5", "return per<br>euro today", "what the<br>next euro<br>brings back"),
)
MEMO = "Your memo: every claim with its number, and where to listen first"


def _box(x0, x1, y0, y1, colour, fill) -> dict:
    return dict(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, line=dict(color=colour, width=2), fillcolor=fill,
                layer="below")


def audit_map():
    """A static diagram (no data): each area's comfortable number, the honest one, and the memo they feed."""
    import plotly.graph_objects as go

    fig = go.Figure()
    shapes, notes = [], []
    width, gap = 1.0, 0.18
    for i, (area, module, comfortable, honest) in enumerate(AUDIT):
        x0 = i * (width + gap)
        x1, mid = x0 + width, x0 + width / 2
        notes.append(dict(x=mid, y=3.45, text=f"<b>{area}</b><br>{module}", showarrow=False))
        shapes.append(_box(x0, x1, 2.15, 3.05, COLOURS["proxy"], "rgba(224,123,0,0.08)"))
        notes.append(dict(x=mid, y=2.6, text=comfortable, showarrow=False, font=dict(color=COLOURS["proxy"])))
        shapes.append(_box(x0, x1, 0.95, 1.85, COLOURS["honest"], "rgba(27,127,114,0.10)"))
        notes.append(dict(x=mid, y=1.4, text=honest, showarrow=False, font=dict(color=COLOURS["honest"])))
        notes.append(dict(x=mid, y=1.87, ax=mid, ay=2.13, xref="x", yref="y", axref="x", ayref="y", text="",
                          showarrow=True, arrowhead=2, arrowwidth=1.5, arrowcolor=COLOURS["target"]))
        notes.append(dict(x=mid, y=0.57, ax=mid, ay=0.93, xref="x", yref="y", axref="x", ayref="y", text="",
                          showarrow=True, arrowhead=2, arrowwidth=1.5, arrowcolor=COLOURS["target"]))
    right = len(AUDIT) * (width + gap) - gap
    shapes.append(_box(0, right, 0.0, 0.55, COLOURS["you"], "rgba(17,17,17,0.04)"))
    notes.append(dict(x=right / 2, y=0.275, text=f"<b>{MEMO}</b>", showarrow=False))
    # Two invisible points give the legend its meaning: the box colours, named.
    for colour, label in ((COLOURS["proxy"], "what the company usually looks at"),
                          (COLOURS["honest"], "what you will compute instead")):
        fig.add_scatter(x=[None], y=[None], mode="markers", name=label,
                        marker=dict(symbol="square", size=12, color=colour))
    kit_figure(fig, height=460, top=60, bottom=40)
    fig.update_layout(
        title="The audit in one picture: six comfortable numbers, six honest ones, one memo",
        shapes=shapes, annotations=notes, hovermode=False, font=dict(size=12),
        xaxis=dict(visible=False, range=[-0.1, right + 0.1], fixedrange=True),
        yaxis=dict(visible=False, range=[-0.1, 3.75], fixedrange=True),
        legend=dict(y=-0.02),
    )
    return fig
