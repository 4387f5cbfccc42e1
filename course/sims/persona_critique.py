"""Module 2 simulations: the flaw of averages, and real customer clusters with the personas laid over them."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..measures.personas import NUMERIC_ATTRIBUTES, PERSONA_ATTRIBUTES, middle_band, persona_matches, standardised
from .style import CATEGORIES, COLOURS, currency, kit_figure, log_ticks, money
from .widgets import below, explorer

# Daniels (1952): 4,063 pilots, 10 body dimensions, "average" = middle 30% on a dimension; none on all 10.
DANIELS = {"pilots": 4063, "dimensions": 10, "band": 0.30, "average_on_all": 0}
CLUSTER_COLOURS = CATEGORIES
# Persona cards are what the team believes about customers: drawn in the kit's "proxy" colour.
PERSONA_COLOUR = COLOURS["proxy"]
# Customers a persona describes are drawn bright; the others faint, so the boxes stay readable.
DESCRIBED_OPACITY, OTHER_OPACITY = 0.85, 0.12


# --- simulation 1: the flaw of averages -----------------------------------------------------------

def average_fit_curve(customers: pd.DataFrame, band: float,
                      attributes: tuple[str, ...] = NUMERIC_ATTRIBUTES) -> np.ndarray:
    """Share of customers 'average' on all of the first k attributes, for k = 1 .. len(attributes)."""
    inside = np.column_stack([middle_band(customers[a], band).to_numpy() for a in attributes])
    return np.cumprod(inside, axis=1).mean(axis=0)


def independent_fit_curve(band: float, k_max: int = 10) -> np.ndarray:
    """The same share if attributes were unrelated: band ** k for k = 1 .. k_max."""
    return band ** np.arange(1, k_max + 1, dtype=float)


def flaw_of_averages_explorer(customers: pd.DataFrame):
    """Sliders for the number of attributes and the tolerance band; the share of 'average' customers falls."""
    import ipywidgets as widgets
    import plotly.graph_objects as go

    k_real = len(NUMERIC_ATTRIBUTES)
    fig = go.Figure()
    fig.add_scatter(x=list(range(1, k_real + 1)), y=[0] * k_real, mode="lines+markers", name="your customers",
                    line=dict(color=COLOURS["data"], width=3),
                    hovertemplate="'average' on the first %{x} attribute(s): %{y:.1%} of customers<extra></extra>")
    fig.add_scatter(x=list(range(1, 11)), y=[0] * 10, mode="lines", name="if attributes were unrelated",
                    line=dict(color=COLOURS["context"], dash="dash"),
                    hovertemplate="%{x} unrelated attributes: %{y:.2%}<extra></extra>")
    fig.add_scatter(x=[DANIELS["dimensions"]], y=[0], mode="markers+text", name="Daniels, 1952",
                    marker=dict(size=12, color=COLOURS["target"], symbol="x"), text=["0 of 4,063 pilots"],
                    textposition="top left",
                    hovertemplate="Daniels, 1952: 0 of 4,063 pilots average on all 10<extra></extra>")
    fig.add_scatter(x=[1], y=[0], mode="markers", name="you are here", showlegend=False,
                    marker=dict(size=16, color="rgba(0,0,0,0)", line=dict(color=COLOURS["you"], width=2)),
                    hovertemplate="your setting: %{y:.1%}<extra></extra>")
    kit_figure(fig, height=430, top=80)
    fig.update_layout(xaxis=dict(title="number of attributes that must be 'average'", dtick=1, range=[0.5, 10.5]),
                      yaxis=dict(title="customers 'average' on all of them", tickformat=".0%", range=[0, 1.02]))

    def redraw(f, n_attributes, band):
        curve = average_fit_curve(customers, band)
        # Plain lists: the browser side of FigureWidget does not always decode numpy buffers.
        f.data[0].y = curve.tolist()
        f.data[1].y = independent_fit_curve(band).tolist()
        f.data[3].x = [n_attributes]
        f.data[3].y = [float(curve[n_attributes - 1])]
        names = ", ".join(NUMERIC_ATTRIBUTES[:n_attributes])
        f.layout.title = (f"Middle {band:.0%} on {n_attributes} attribute(s): "
                          f"{curve[n_attributes - 1]:.1%} of customers are 'average'<br>"
                          f"<sup>{names}</sup>")

    attributes = widgets.IntSlider(value=3, min=1, max=k_real, step=1, description="Attributes")
    band = widgets.FloatSlider(value=0.30, min=0.10, max=0.90, step=0.05, description="Tolerance band",
                               readout_format=".0%")
    caption = ("'Average' on an attribute means sitting in the middle band of customers on it (30%: between "
               "the 35th and the 65th percentile), as in Gilbert Daniels's 1952 study of Air Force pilots.")
    return explorer({"n_attributes": attributes, "band": band}, fig, redraw, caption)


# --- simulation 2: real clusters and the personas on top ------------------------------------------

def kmeans(points: np.ndarray, k: int, seed: int = 0, iterations: int = 100) -> np.ndarray:
    """k-means, written out: k-means++ start, then move centres to their members' mean until stable.

    Returns one label per row, 0 for the biggest cluster, 1 for the next, and so on.
    """
    rng = np.random.default_rng(seed)
    points = np.asarray(points, dtype=float)
    centres = [points[rng.integers(len(points))]]
    for _ in range(1, k):  # k-means++: new centres far from the ones already chosen
        d2 = np.min([((points - c) ** 2).sum(axis=1) for c in centres], axis=0)
        centres.append(points[rng.choice(len(points), p=d2 / d2.sum())])
    centres = np.array(centres)
    labels = np.full(len(points), -1)
    for _ in range(iterations):
        d2 = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        new = d2.argmin(axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        for j in range(k):
            members = points[labels == j]
            # An empty cluster restarts on the point worst served by its centre.
            centres[j] = members.mean(axis=0) if len(members) else points[d2.min(axis=1).argmax()]
    order = np.argsort(-np.bincount(labels, minlength=k), kind="stable")
    return np.argsort(order)[labels]


def best_persona(customers: pd.DataFrame, personas: pd.DataFrame, min_attributes: int) -> pd.Series:
    """The persona each customer shares most attributes with, or '' if none shares `min_attributes`."""
    scores = pd.DataFrame({card["persona"]: persona_matches(customers, card).sum(axis=1)
                           for _, card in personas.iterrows()})
    best = scores.idxmax(axis=1)
    return best.where(scores.max(axis=1) >= min_attributes, "")


def cluster_summary(customers: pd.DataFrame, labels: np.ndarray, described: pd.Series) -> pd.DataFrame:
    """What each cluster looks like, and how many of its customers any persona describes."""
    frame = customers.assign(cluster=labels + 1, described=described.ne(""))
    groups = frame.groupby("cluster")
    return pd.DataFrame({
        "customers": groups.size(),
        "median age": groups["age"].median(),
        "purchases/yr": groups["purchases_per_year"].median(),
        "basket": groups["avg_basket"].median(),
        "main channel": groups["channel"].agg(lambda s: s.value_counts().index[0]),
        "main category": groups["favourite_category"].agg(lambda s: s.value_counts().index[0]),
        "described by a persona": groups["described"].mean(),
    })


def _discrete_scale(colours) -> list:
    """A plotly colorscale that paints whole numbers 0, 1, 2... in flat, distinct colours."""
    n = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def _summary_html(summary: pd.DataFrame, code: str) -> str:
    shown = summary.rename(columns={"basket": f"basket ({code})"})
    shown[f"basket ({code})"] = shown[f"basket ({code})"].map(lambda v: money(v, code))
    shown["median age"] = shown["median age"].map("{:.0f}".format)
    shown["purchases/yr"] = shown["purchases/yr"].map("{:.1f}".format)
    shown["described by a persona"] = shown["described by a persona"].map("{:.1%}".format)
    return shown.to_html(border=0)


def persona_overlay_explorer(customers: pd.DataFrame, personas: pd.DataFrame, currency_code: str | None = None):
    """Customers clustered by k-means (age against purchases shown), the persona cards drawn on top."""
    import ipywidgets as widgets
    import plotly.graph_objects as go

    code = currency(currency_code)
    z = standardised(customers).to_numpy()
    cache: dict[int, np.ndarray] = {}
    fig = go.Figure()
    fig.add_scatter(x=customers["age"].tolist(), y=customers["purchases_per_year"].tolist(), mode="markers",
                    name="customers: bright if a persona describes them, faint if none does",
                    marker=dict(size=5, cmin=-0.5, cmax=len(CLUSTER_COLOURS) - 0.5,
                                colorscale=_discrete_scale(CLUSTER_COLOURS), line=dict(width=0)),
                    text=customers["customer_id"].tolist(),
                    hovertemplate="%{text}<br>age %{x}<br>%{y} purchases a year<extra></extra>")
    shapes, notes = [], []
    for _, card in personas.iterrows():
        colour = PERSONA_COLOUR
        shapes.append(dict(type="rect", x0=card["age_min"], x1=card["age_max"], y0=card["purchases_min"],
                           y1=card["purchases_max"], line=dict(color=colour, width=2.5)))
        notes.append(dict(x=(card["age_min"] + card["age_max"]) / 2, y=np.log10(card["purchases_max"]),
                          text=f"<b>{card['persona']}</b>", showarrow=False, yshift=10,
                          font=dict(color="#222222", size=13), bgcolor="rgba(255,255,255,0.85)"))
    kit_figure(fig, height=500, top=80)
    low, high = customers["purchases_per_year"].min(), customers["purchases_per_year"].max()
    fig.update_layout(shapes=shapes, annotations=notes, showlegend=True, xaxis_title="age",
                      yaxis=dict(title="purchases per year (log scale)", **log_ticks(max(low, 0.5), high)))
    table = widgets.HTML(layout=widgets.Layout(width="100%"))

    def redraw(f, k, min_attributes):
        if k not in cache:
            cache[k] = kmeans(z, k, seed=k)
        labels = cache[k]
        described = best_persona(customers, personas, min_attributes)
        hit = described.ne("").to_numpy()
        f.data[0].marker.color = labels.tolist()
        f.data[0].marker.opacity = np.where(hit, DESCRIBED_OPACITY, OTHER_OPACITY).tolist()
        summary = cluster_summary(customers, labels, described)
        nobody = 1 - hit.mean()
        f.layout.title = (f"{k} clusters: {nobody:.0%} of customers match no persona "
                          f"on {min_attributes} or more of its 6 traits")
        swatches = "".join(f'<span style="color:{CLUSTER_COLOURS[j]}">&#9679; cluster {j + 1}</span>&nbsp; '
                           for j in range(k))
        table.value = f"<div>{swatches}</div>" + _summary_html(summary, code)

    k_slider = widgets.IntSlider(value=5, min=2, max=8, step=1, description="Clusters (k)")
    share_slider = widgets.IntSlider(value=3, min=1, max=len(PERSONA_ATTRIBUTES), step=1,
                                     description="Attributes a customer must share with a persona")
    caption = ("Clusters: k-means on the six numeric attributes in z-scores (fixed seed); the colour of a dot is "
               "its cluster. Only age and purchases are drawn; orange boxes are the persona cards' age band and purchase range. "
               "A bright dot is a customer who shares at least the chosen number of the six card attributes with "
               "a persona; a faint dot is a customer no persona describes.")
    box = explorer({"k": k_slider, "min_attributes": share_slider}, fig, redraw, caption)
    return below(box, table)
