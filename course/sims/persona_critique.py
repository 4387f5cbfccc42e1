"""Module 2 simulations: the flaw of averages, and real customer clusters with the personas laid over them."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.persona_critique import NUMERIC_ATTRIBUTES, PERSONA_ATTRIBUTES
from ..questions.persona_critique import middle_band, persona_matches
from .widgets import below, explorer, figure_widget

# Daniels (1952): 4,063 pilots, 10 body dimensions, "average" = middle 30% on a dimension; none on all 10.
DANIELS = {"pilots": 4063, "dimensions": 10, "band": 0.30, "average_on_all": 0}
CLUSTER_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
PERSONA_COLOURS = ("#111111", "#7f3c8d", "#b8860b")


def _drawn_widget(fig, redraw, **values):
    """Draw the first state on the plain figure, then make it a widget.

    The widget is born complete, so the explorer's first redraw changes nothing and sends the browser
    no update messages while it is still building the figure.
    """
    redraw(fig, **values)
    return figure_widget(fig)


# --- simulation 1: the flaw of averages -----------------------------------------------------------

def in_middle_band(values: pd.Series, band: float) -> pd.Series:
    """True where a value sits in the middle `band` share of its column (band 0.3: 35th to 65th percentile)."""
    return middle_band(values, band)


def average_fit_curve(customers: pd.DataFrame, band: float,
                      attributes: tuple[str, ...] = NUMERIC_ATTRIBUTES) -> np.ndarray:
    """Share of customers 'average' on all of the first k attributes, for k = 1 .. len(attributes)."""
    inside = np.column_stack([in_middle_band(customers[a], band).to_numpy() for a in attributes])
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
                    line=dict(color="#1f77b4", width=3))
    fig.add_scatter(x=list(range(1, 11)), y=[0] * 10, mode="lines", name="if attributes were unrelated",
                    line=dict(color="grey", dash="dash"))
    fig.add_scatter(x=[DANIELS["dimensions"]], y=[0], mode="markers+text", name="Daniels, 1952",
                    marker=dict(size=12, color="crimson", symbol="x"), text=["0 of 4,063 pilots"],
                    textposition="top left")
    fig.add_scatter(x=[1], y=[0], mode="markers", name="you are here", showlegend=False,
                    marker=dict(size=16, color="rgba(0,0,0,0)", line=dict(color="black", width=2)))
    fig.update_layout(height=420, margin=dict(t=70, l=50, r=20, b=50), legend=dict(orientation="h", y=-0.25),
                      xaxis=dict(title="number of attributes that must be 'average'", dtick=1, range=[0.5, 10.5]),
                      yaxis=dict(title="share of customers who are 'average' on all of them",
                                 tickformat=".0%", range=[0, 1.02]))

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
    figure = _drawn_widget(fig, redraw, n_attributes=attributes.value, band=band.value)
    caption = ("'Average' on an attribute means sitting in the middle band of customers on it (30%: between "
               "the 35th and the 65th percentile), as in Gilbert Daniels's 1952 study of Air Force pilots.")
    return explorer({"n_attributes": attributes, "band": band}, figure, redraw, caption)


# --- simulation 2: real clusters and the personas on top ------------------------------------------

def standardise(frame: pd.DataFrame, columns=NUMERIC_ATTRIBUTES) -> pd.DataFrame:
    """Each column as z-scores: (value - mean) / standard deviation (pandas' .std())."""
    numeric = frame[list(columns)].astype(float)
    return (numeric - numeric.mean()) / numeric.std()


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


def _summary_html(summary: pd.DataFrame) -> str:
    shown = summary.copy()
    shown["basket"] = shown["basket"].map("{:,.0f}".format)
    shown["median age"] = shown["median age"].map("{:.0f}".format)
    shown["purchases/yr"] = shown["purchases/yr"].map("{:.1f}".format)
    shown["described by a persona"] = shown["described by a persona"].map("{:.1%}".format)
    return shown.to_html(border=0)


def persona_overlay_explorer(customers: pd.DataFrame, personas: pd.DataFrame):
    """Customers clustered by k-means (age against purchases shown), the persona cards drawn on top."""
    import ipywidgets as widgets
    import plotly.graph_objects as go

    z = standardise(customers).to_numpy()
    cache: dict[int, np.ndarray] = {}
    fig = go.Figure()
    fig.add_scattergl(x=customers["age"].tolist(), y=customers["purchases_per_year"].tolist(), mode="markers",
                      name="customers",
                      marker=dict(size=4, opacity=0.5, cmin=-0.5, cmax=len(CLUSTER_COLOURS) - 0.5,
                                  colorscale=_discrete_scale(CLUSTER_COLOURS)),
                      text=customers["customer_id"].tolist(),
                      hovertemplate="%{text}<br>age %{x}<br>%{y} purchases/yr<extra></extra>")
    fig.add_scattergl(x=[], y=[], mode="markers", name="described by a persona",
                      marker=dict(size=6, color="rgba(0,0,0,0)", line=dict(color="rgba(0,0,0,0.55)", width=1)))
    shapes, notes = [], []
    for i, (_, card) in enumerate(personas.iterrows()):
        colour = PERSONA_COLOURS[i % len(PERSONA_COLOURS)]
        shapes.append(dict(type="rect", x0=card["age_min"], x1=card["age_max"], y0=card["purchases_min"],
                           y1=card["purchases_max"], line=dict(color=colour, width=3)))
        notes.append(dict(x=(card["age_min"] + card["age_max"]) / 2, y=np.log10(card["purchases_max"]),
                          text=f"<b>{card['persona']}</b>", showarrow=False, yshift=10,
                          font=dict(color=colour, size=13), bgcolor="rgba(255,255,255,0.85)"))
    fig.update_layout(height=480, margin=dict(t=70, l=50, r=20, b=50), shapes=shapes, annotations=notes,
                      legend=dict(orientation="h", y=-0.18), xaxis_title="age",
                      yaxis=dict(title="purchases per year (log scale)", type="log"))
    table = widgets.HTML()

    def redraw(f, k, min_attributes):
        if k not in cache:
            cache[k] = kmeans(z, k, seed=k)
        labels = cache[k]
        described = best_persona(customers, personas, min_attributes)
        f.data[0].marker.color = labels.tolist()
        hit = described.ne("").to_numpy()
        f.data[1].x = customers["age"][hit].tolist()
        f.data[1].y = customers["purchases_per_year"][hit].tolist()
        summary = cluster_summary(customers, labels, described)
        nobody = 1 - hit.mean()
        f.layout.title = (f"{k} clusters: {nobody:.0%} of customers match no persona "
                          f"on {min_attributes} or more of its 6 traits")
        swatches = "".join(f'<span style="color:{CLUSTER_COLOURS[j]}">&#9679; cluster {j + 1}</span>&nbsp; '
                           for j in range(k))
        table.value = f"<div>{swatches}</div>" + _summary_html(summary)

    k_slider = widgets.IntSlider(value=5, min=2, max=8, step=1, description="Clusters (k)")
    share_slider = widgets.IntSlider(value=3, min=1, max=len(PERSONA_ATTRIBUTES), step=1,
                                     description="Attributes a customer must share with a persona")
    caption = ("Clusters: k-means on the six numeric attributes in z-scores (fixed seed). Only age and "
               "purchases are drawn; boxes are the cards' age band and purchase range. A circled dot is a "
               "customer who shares at least the chosen number of the six card attributes with a persona.")
    figure = _drawn_widget(fig, redraw, k=k_slider.value, min_attributes=share_slider.value)
    box = explorer({"k": k_slider, "min_attributes": share_slider}, figure, redraw, caption)
    return below(box, table)
