"""Shared widget plumbing for simulations: a figure that redraws when sliders move.

Why figures are not plain ``go.FigureWidget``s
----------------------------------------------
plotly's FigureWidget is an anywidget whose front end is a ~5 MB ES module (plotly.js inside),
sent with every figure and evaluated again for every figure. anywidget (0.9-0.11) gives a model
2 seconds to load that module and run its ``initialize``; past that it rejects the model's start-up
and silently drops every later message from the kernel to it. The figure's traces themselves
arrive in such a message (plotly fills ``_widget_data`` after the widget's comm is open), so on a
slow or busy machine the learner sees an empty plot and a slider that changes nothing, with no
error anywhere (tests/browser/test_modules.py reproduces it by delaying that module by 3 s).

:func:`figure_widget` returns a FigureWidget whose front end is a small loader instead. Its
``initialize`` returns at once (anywidget's 2 seconds are never at risk); it loads plotly's own
widget module in the background, once per browser page (every later figure reuses it), queues
the kernel's messages until then, hands them to plotly's code in order, and renders with it.
Everything else, Python side and browser side, is plotly's FigureWidget unchanged.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
from typing import Callable

# A static copy of a figure, shown where its widget cannot run (feedback pages; see course.grading.sanitise).
PLOTLY_MIME = "application/vnd.plotly.v1+json"

# The browser side of course figures. __BUNDLE_ID__ and __MESSAGES__ are filled in below.
_LOADER = r"""
// Course figures: plotly's FigureWidget front end, started outside anywidget's 2-second window.
const KEY = Symbol.for("course.plotly-figurewidget:__BUNDLE_ID__");
const MESSAGES = __MESSAGES__;  // kernel -> browser message traits of FigureWidget

function plotlyWidgetModule(source) {  // once per page, shared by every course figure
  let loading = globalThis[KEY];
  if (!loading) {
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    loading = import(url).finally(() => URL.revokeObjectURL(url));
    loading.catch(() => { if (globalThis[KEY] === loading) delete globalThis[KEY]; });
    globalThis[KEY] = loading;
  }
  return loading;
}

export default () => {
  let started = null;
  return {
    initialize({ model, experimental }) {
      const queue = [];
      const recorders = MESSAGES.map((name) => {
        const record = () => {
          const value = model.get(name);
          if (value !== null && value !== undefined) queue.push([name, value]);
        };
        model.on(`change:${name}`, record);
        return [name, record];
      });
      started = plotlyWidgetModule(model.get("_course_bundle")).then(async (mod) => {
        const plotly = mod.default();
        const done = plotly.initialize({ model, experimental });
        for (const [name, record] of recorders) model.off(`change:${name}`, record);
        for (const [name, value] of queue) {  // what the kernel sent while plotly was loading
          model.set(name, value);
          model.set(name, null);
        }
        await done;
        return plotly;
      });
      started.catch((error) => console.error("[course] a figure could not start:", error));
    },
    async render(view) {
      const plotly = await started;
      return plotly.render(view);
    },
  };
};
"""


@functools.cache
def _figure_class():
    """go.FigureWidget with the loader above as its front end (built once per kernel)."""
    import plotly.graph_objects as go
    import traitlets
    from plotly.basewidget import BaseFigureWidget

    bundle = str(BaseFigureWidget._esm)  # plotly's widget module (anywidget read the file)
    messages = sorted(n for n in BaseFigureWidget.class_trait_names() if n.startswith("_py2js_"))
    loader = (_LOADER.replace("__BUNDLE_ID__", hashlib.sha1(bundle.encode()).hexdigest()[:16])
              .replace("__MESSAGES__", json.dumps(messages)))

    class CourseFigureWidget(go.FigureWidget):
        """A plotly FigureWidget that starts reliably on slow machines (see the module docstring)."""

        _esm = loader
        _course_bundle = traitlets.Unicode(bundle).tag(sync=True)

    return CourseFigureWidget


def figure_widget(figure):
    """A plotly FigureWidget, or a clear message when the widget front-end is missing."""
    try:
        import anywidget  # noqa: F401  (plotly's FigureWidget needs it)
        return _figure_class()(figure)
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
    box = _explorer_class()(parts)
    box.course_figure = figure
    return box


def below(box, *more):
    """`box` (an explorer) with more widgets under it, still carrying its figure for graded copies."""
    outer = _explorer_class()([box, *more])
    outer.course_figure = box.course_figure
    return outer


@functools.cache
def _explorer_class():
    """A VBox that, while nbgrader runs the notebook, also shows its figure as plain plotly JSON."""
    import ipywidgets as widgets

    class Explorer(widgets.VBox):
        """Sliders and a figure; graded copies also carry the figure as it stands, for feedback pages."""

        course_figure = None

        def _repr_mimebundle_(self, **kwargs):
            bundle = super()._repr_mimebundle_(**kwargs)
            if os.environ.get("NBGRADER_EXECUTION") and self.course_figure is not None:
                bundle = {**bundle, PLOTLY_MIME: json.loads(self.course_figure.to_json())}
            return bundle

    return Explorer
