"""Module 2 pictures and simulations: who loves the persona's category, the flaw of averages, and real
customer clusters with the personas laid over them."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..measures.personas import (MEASURED_ATTRIBUTES, PERSONA_ATTRIBUTES, band_limits, middle_band, persona_matches,
                                 standardised)
from .style import CATEGORIES, COLOURS, currency, kit_figure, log_ticks, money
from .widgets import below, explorer

# Daniels (1952): 4,063 pilots, 10 body dimensions, "average" = middle 30% on a dimension; none on all 10.
DANIELS = {"pilots": 4063, "dimensions": 10, "band": 0.30, "average_on_all": 0}
CLUSTER_COLOURS = CATEGORIES
# Persona cards are what the team believes about customers: drawn in the kit's "proxy" colour.
PERSONA_COLOUR = COLOURS["proxy"]
# Customers a persona describes are drawn bright; the others faint, so the boxes stay readable.
DESCRIBED_OPACITY, OTHER_OPACITY = 0.85, 0.12
DESCRIBED_SIZE, OTHER_SIZE = 9, 5     # and bigger, so a handful of them still shows among 5,000
# The overlay opens on the cards as written: a customer is described only if they match all six traits.
DEFAULT_MIN_ATTRIBUTES = len(PERSONA_ATTRIBUTES)
AGE_BIN = 5


# --- the opening picture: who loves the first card's category -------------------------------------

def fans_by_age(customers: pd.DataFrame, card: pd.Series, width: int = AGE_BIN) -> pd.Series:
    """Customers whose favourite category is the card's, counted by age group (index: each group's first age)."""
    fans = customers.loc[customers["favourite_category"] == card["favourite_category"], "age"]
    starts = (fans // width) * width
    full = range(int(customers["age"].min() // width * width), int(customers["age"].max()) + 1, width)
    return starts.value_counts().reindex(full, fill_value=0).sort_index()


def fans_in_band(customers: pd.DataFrame, card: pd.Series) -> float:
    """Share of the card's category fans whose age is inside the card's age band (both ends included)."""
    fans = customers.loc[customers["favourite_category"] == card["favourite_category"], "age"]
    return float(fans.between(card["age_min"], card["age_max"]).mean())


def who_loves_the_category(customers: pd.DataFrame, personas: pd.DataFrame):
    """A plain figure: the ages of the customers who love the first card's category, with the card's age band."""
    import plotly.graph_objects as go

    card = personas.iloc[0]
    counts = fans_by_age(customers, card)
    fans = customers.loc[customers["favourite_category"] == card["favourite_category"]]
    fig = go.Figure()
    fig.add_bar(x=[start + AGE_BIN / 2 for start in counts.index], y=counts.tolist(), width=AGE_BIN * 0.9,
                name=f"customers whose favourite category is {card['favourite_category']}",
                marker=dict(color=COLOURS["data"]),
                customdata=[f"{max(start, int(customers['age'].min()))}-{start + AGE_BIN - 1}" for start in counts.index],
                hovertemplate="aged %{customdata}: %{y} customers<extra></extra>")
    fig.add_vrect(x0=card["age_min"] - 0.5, x1=card["age_max"] + 0.5, fillcolor=PERSONA_COLOUR, opacity=0.25,
                  line=dict(color=PERSONA_COLOUR, width=2), layer="below")
    fig.add_annotation(x=(card["age_min"] + card["age_max"]) / 2, y=1, yref="paper", yanchor="bottom",
                       text=f"<b>{card['persona']}'s card: {card['age_min']}-{card['age_max']}</b>", showarrow=False,
                       font=dict(color="#222222"), bgcolor="rgba(255,255,255,0.85)")
    fig.add_scatter(x=[None], y=[None], mode="markers", name=f"the age band on {card['persona']}'s card",
                    marker=dict(symbol="square", size=14, color=PERSONA_COLOUR, opacity=0.5))
    kit_figure(fig, height=400, top=90)
    fig.update_layout(
        title=(f"{card['persona']}'s card says {card['favourite_category']} lovers are {card['age_min']}-"
               f"{card['age_max']}. Your {len(fans):,} {card['favourite_category']} lovers:<br><sup>"
               f"{fans_in_band(customers, card):.0%} of them are in the card's age band; their median age is "
               f"{fans['age'].median():.0f}</sup>"),
        xaxis=dict(title="age of the customer", dtick=10), yaxis=dict(title="customers"), bargap=0.05)
    return fig


# --- simulation 1: the flaw of averages -----------------------------------------------------------

def average_fit_curve(customers: pd.DataFrame, band: float,
                      attributes: tuple[str, ...] = MEASURED_ATTRIBUTES) -> np.ndarray:
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

    k_real = len(MEASURED_ATTRIBUTES)
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
        names = ", ".join(MEASURED_ATTRIBUTES[:n_attributes])
        f.layout.title = (f"Middle {band:.0%} on {n_attributes} attribute(s): "
                          f"{curve[n_attributes - 1]:.1%} of customers are 'average'<br>"
                          f"<sup>{names}</sup>")

    attributes = widgets.IntSlider(value=3, min=1, max=k_real, step=1, description="Attributes")
    band = widgets.FloatSlider(value=0.30, min=0.10, max=0.90, step=0.05, description="Tolerance band",
                               readout_format=".0%")
    low, high = band_limits()
    caption = (f"Assumptions: 'average' on an attribute means a percentile position inside the middle band (30%: "
               f"from {low:.2f} to {high:.2f}), the course's version of Gilbert Daniels's narrow band around the "
               f"middle; the attributes are added in the order {', '.join(MEASURED_ATTRIBUTES)}. The dashed line "
               f"assumes the attributes are unrelated (the band multiplied by itself).")
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


def overlay_title(k: int, described: int, customers: int, min_attributes: int) -> str:
    """The overlay's title: how many customers a persona describes at this setting, in numbers."""
    how = ("all 6 of its traits" if min_attributes == len(PERSONA_ATTRIBUTES)
           else f"at least {min_attributes} of its 6 traits")
    return (f"{k} clusters. {described:,} of {customers:,} customers ({described / customers:.1%}) "
            f"match a persona on {how}")


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
        f.data[0].marker.size = np.where(hit, DESCRIBED_SIZE, OTHER_SIZE).tolist()
        summary = cluster_summary(customers, labels, described)
        f.layout.title = overlay_title(k, int(hit.sum()), len(hit), min_attributes)
        swatches = "".join(f'<span style="color:{CLUSTER_COLOURS[j]}">&#9679; cluster {j + 1}</span>&nbsp; '
                           for j in range(k))
        table.value = f"<div>{swatches}</div>" + _summary_html(summary, code)

    k_slider = widgets.IntSlider(value=5, min=2, max=8, step=1, description="Clusters (k)")
    share_slider = widgets.IntSlider(value=DEFAULT_MIN_ATTRIBUTES, min=1, max=len(PERSONA_ATTRIBUTES), step=1,
                                     description="Traits shared")
    caption = ("Assumptions: clusters are k-means on the six numeric attributes in z-scores, with a fixed seed; a "
               "dot's colour is its cluster. Only age and purchases are drawn; the boxes are the cards' age band and "
               "purchase range. 'Traits shared' is how many of a card's six traits (age band, income band, region, "
               "channel, favourite category, purchase range) a customer must share with it to count as described: "
               "a bright dot is described by a persona, a faint dot by none.")
    box = explorer({"k": k_slider, "min_attributes": share_slider}, fig, redraw, caption)
    return below(box, table)
