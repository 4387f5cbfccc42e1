"""Shared widget plumbing for simulations: a figure that redraws when sliders move."""
from __future__ import annotations

from typing import Callable


def figure_widget(figure):
    """A plotly FigureWidget, or a clear message when the widget front-end is missing."""
    import plotly.graph_objects as go

    try:
        return go.FigureWidget(figure)
    except ImportError as missing:  # plotly needs anywidget for FigureWidget
        from ..errors import CourseError

        raise CourseError(
            "Interactive figures need the 'anywidget' package. Install the course with "
            "`pip install -e .` (it brings anywidget), restart the kernel and run this cell again."
        ) from missing


def explorer(controls: dict, figure, redraw: Callable[..., None], caption=None):
    """Sliders above a figure; `redraw(fig, **values)` updates the figure in place on every move."""
    import ipywidgets as widgets

    def update(_change=None):
        values = {name: control.value for name, control in controls.items()}
        with figure.batch_update():
            redraw(figure, **values)

    for control in controls.values():
        control.observe(update, names="value")
        control.style = {"description_width": "initial"}
        control.layout = widgets.Layout(width="520px")
    update()
    parts = list(controls.values()) + [figure]
    if caption is not None:
        parts.append(widgets.HTML(caption))
    return widgets.VBox(parts)
