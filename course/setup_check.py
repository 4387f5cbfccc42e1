"""The landing notebook's setup check: data present, widgets and figures working, in plain words."""
from __future__ import annotations


def check_setup():
    """Say which company the data describes, and show a slider with a live figure."""
    from . import data
    from .learner import _show
    from .sims.style import COLOURS, kit_figure  # course.sims first: its start-up trick precedes plotly
    from .sims.widgets import explorer

    import ipywidgets as widgets
    import plotly.graph_objects as go

    manifest = data.read_manifest()
    _show("ok", f"The course data is ready: {manifest['company']} ({manifest['profile']} profile, "
                f"{len(manifest['files'])} tables).")
    figure = kit_figure(go.Figure(go.Bar(x=["you"], y=[1], marker_color=COLOURS["you"])), height=300)
    figure.update_layout(yaxis=dict(range=[0, 10], title="slider value"))

    def redraw(f, value):
        f.data[0].y = [value]
        f.layout.title = f"Slider at {value}: if this bar moves with the slider, you are all set."

    slider = widgets.IntSlider(value=3, min=1, max=10, description="Move me")
    return explorer({"value": slider}, figure, redraw)
