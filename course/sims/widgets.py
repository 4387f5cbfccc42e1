"""Shared widget plumbing for simulations: a figure that redraws when sliders move, and always draws.

Why figures are not plain ``go.FigureWidget``s
----------------------------------------------
plotly's FigureWidget is an anywidget whose front end is a ~5 MB ES module (plotly.js inside).
anywidget (0.9-0.11) gives each widget model 2 seconds, from the moment the model is created, to
load its front-end module and run its ``initialize``; past that it rejects the model's start-up and
silently drops every later message from the kernel to it. The figure's traces arrive in such a
message, so a model that misses its window shows an empty plot and a slider that changes nothing,
with no error anywhere.

What made a model miss its window was another figure's work on the browser's single main thread:
evaluating plotly's 5 MB module is one long task (1.3 s on an idle 2-core machine, 4-15 s on a busy
or throttled one). With two figures in a notebook, the second figure's model could be created while
the first one's module was being loaded and evaluated; its own small module then finished loading
after its 2 seconds (seen with both cores busy and the page throttled 3x: module 1's second figure
stayed blank; its model was created 80 ms before a 4.2 s evaluation began, and when the main
thread was free again anywidget's timer ran before that model's own small module had loaded).

:func:`figure_widget` returns a FigureWidget whose front end is a small loader instead:

* It runs plotly's widget code as a plain function, synchronously, inside the first figure's
  ``initialize``. JupyterLab handles the kernel's messages one after another and holds the first
  figure's pending update until that figure's start-up is over, so no other figure can be starting
  during the evaluation; and the first figure's start-up completes in the same task as the
  evaluation, before the browser can run anywidget's timer. Every later figure finds plotly's code
  ready and starts in milliseconds.
* From the first figure on, a course figure's messages wait for that figure's own ``initialize``
  rather than for anywidget's 2-second start-up (at most 30 s, so a figure that never starts cannot
  hold the notebook's other outputs), so any other long task on a slow machine (drawing a big
  figure, JupyterLab's own work) cannot blank a figure either. This replaces anywidget's
  ``_handle_comm_msg`` for course figures only (``_course_id`` marks them) and hands each message
  to the same ipywidgets method anywidget itself calls once a widget is ready.
* It waits until JupyterLab has given the figure its width before plotly draws it (plotly falls back
  to a fixed 700 px when it draws into an element that is not on the page yet), then follows the
  cell's width.

tests/browser/test_figures_under_load.py checks both conditions: every module under a CPU load on
every core, and figures whose start-up is held past anywidget's 2 seconds. Everything else, Python
side and browser side, is plotly's FigureWidget.

While the kit grades
--------------------
Nobody sees a widget while nbgrader runs a notebook, and the kit's grading keeps only a static copy
of each figure (PLOTLY_MIME, drawn by the feedback page; widget views are removed). So when the kit's
grading step asks for it (it sets COURSE_FIGURES=static in the learner's kernel, see
course.grading.sandbox.execute), an explorer builds no FigureWidget and loads neither anywidget nor
plotly's 5 MB widget bundle: it draws its first state on the plain figure and shows the same output
the widget would have left after sanitising (the figure's JSON, beside a widget view). Plain nbgrader,
and learners in JupyterLab, get the widgets as always.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import uuid
import warnings
from typing import Callable

from ..answers import FIGURES_ENV, PLOTLY_MIME

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"


def static_figures() -> bool:
    """True while the kit's grading runs this notebook and wants static figures only (see above)."""
    return bool(os.environ.get("NBGRADER_EXECUTION")) and os.environ.get(FIGURES_ENV) == "static"


# The browser side of course figures. __BUNDLE_ID__ is filled in below.
_LOADER = r"""
// Course figures: plotly's FigureWidget front end, started inside anywidget's start-up window.
const KEY = Symbol.for("course.plotly-figurewidget:__BUNDLE_ID__");

function plotlyWidgetCode(model) {  // once per page, shared by every course figure
  let code = globalThis[KEY];
  if (!code) {
    // plotly's widget module as a plain function, run now: no other figure can be starting while
    // it runs, and this figure's start-up completes in this same task (see course/sims/widgets.py).
    const module = new Function(model.get("_course_bundle"))();
    code = { module, Plotly: globalThis.Plotly };
    globalThis[KEY] = code;
  }
  return code;
}

// Every course figure in the page, by its `_course_id`: a promise kept once its initialize has run.
const STARTED = Symbol.for("course.plotly-figurewidget:started");
const HOLDING = Symbol.for("course.plotly-figurewidget:holding");
const MAX_HOLD_MS = 30000;  // never hold the kernel's messages longer, even if a figure never starts

function started(id) {
  const all = (globalThis[STARTED] ??= new Map());
  let entry = all.get(id);
  if (!entry) {
    let resolve;
    entry = { ready: false, promise: new Promise((r) => { resolve = r; }) };
    entry.done = () => { entry.ready = true; resolve(); };
    all.set(id, entry);
  }
  return entry;
}

function holdMessagesUntilStarted(model) {  // once per page, from the first course figure on
  if (globalThis[HOLDING]) return;
  globalThis[HOLDING] = true;
  // anywidget drops a model's messages when its start-up took over 2 s; a course figure's messages
  // wait for that figure's own initialize instead, however busy the page is.
  Promise.resolve(model.widget_manager.loadModelClass(
    model.get("_model_name"), model.get("_model_module"), model.get("_model_module_version"),
  )).then((AnyModel) => {
    const own = AnyModel.prototype._handle_comm_msg;
    const base = Object.getPrototypeOf(AnyModel.prototype)._handle_comm_msg;
    if (typeof own !== "function" || typeof base !== "function") return;
    AnyModel.prototype._handle_comm_msg = function (...msg) {
      const id = this.get("_course_id");
      if (!id) return own.apply(this, msg);
      const entry = started(id);
      if (entry.ready) return base.apply(this, msg);
      let timer;  // a figure that never starts (closed, broken) holds nothing for long
      const gone = new Promise((resolve) => {
        timer = setTimeout(resolve, MAX_HOLD_MS);
        this.once("destroy", resolve);
      });
      return Promise.race([entry.promise, gone]).then(() => { clearTimeout(timer); return base.apply(this, msg); });
    };
  }).catch((error) => console.warn("[course] figures keep anywidget's start-up window:", error));
}

function whenSized(el, signal) {  // plotly sizes a figure from its element when it first draws it
  return new Promise((resolve) => {
    if (el.isConnected && el.clientWidth > 0) return resolve();
    const watch = new ResizeObserver(() => {
      if (el.isConnected && el.clientWidth > 0) { watch.disconnect(); resolve(); }
    });
    watch.observe(el);
    signal.addEventListener("abort", () => { watch.disconnect(); resolve(); });
  });
}

function followWidth(el, Plotly) {  // plotly resizes on window events only; cells change width too
  let width = el.clientWidth;
  const watch = new ResizeObserver(() => {
    if (!Plotly || !el.isConnected || el.clientWidth === width || el.clientWidth === 0) return;
    width = el.clientWidth;
    Plotly.Plots.resize(el).catch(() => {});
  });
  watch.observe(el);
  return () => watch.disconnect();
}

export default () => {
  let plotly = null;
  let Plotly = null;
  let failure = null;
  return {
    initialize({ model, experimental }) {
      try {
        const code = plotlyWidgetCode(model);
        plotly = code.module.default();
        Plotly = code.Plotly;
      } catch (error) {
        failure = error;
        console.error("[course] a figure could not start:", error);
        return;
      }
      const done = plotly.initialize({ model, experimental });
      started(model.get("_course_id")).done();
      holdMessagesUntilStarted(model);
      return done;
    },
    async render(view) {
      if (failure) {
        view.el.textContent = `This figure could not start (${failure}). Run the cell again; if it `
          + "stays empty, tell your trainer.";
        return;
      }
      await whenSized(view.el, view.signal);
      if (view.signal.aborted) return;
      const remove = plotly.render(view);
      const unfollow = followWidth(view.el, Plotly);
      return () => { unfollow(); if (typeof remove === "function") remove(); };
    },
  };
};
"""

# The one export statement of plotly's widget module, at its end (only comments follow it).
_EXPORT = re.compile(r"export\s*\{(?P<names>[^{}]*)\}\s*;?\Z")


def _without_trailing_comments(source: str) -> str:
    """The source up to its last statement: trailing /* ... */ and // comments removed."""
    code = source.rstrip()
    while True:
        if code.endswith("*/") and "/*" in code:
            code = code[:code.rfind("/*")].rstrip()
        elif code[code.rfind("\n") + 1:].lstrip().startswith("//"):
            code = code[:code.rfind("\n") + 1].rstrip()
        else:
            return code


def module_as_function_body(source: str) -> str:
    """An ES module whose only export is a final `export{a as b, ...}`, as a function body returning them."""
    code = _without_trailing_comments(source)
    found = _EXPORT.search(code)
    if found is None:
        raise ValueError("the module does not end with a single `export { ... }` statement")
    pairs = []
    for item in found["names"].split(","):
        local, _, exported = (part.strip() for part in item.partition(" as "))
        if not re.fullmatch(r"[\w$]+", local) or (exported and not re.fullmatch(r"[\w$]+", exported)):
            raise ValueError(f"unexpected export {item.strip()!r}")
        pairs.append(f"{json.dumps(exported or local)}: {local}")
    # The comments after the export (plotly's bundled licence notices) stay with the code.
    return ('"use strict";\n' + code[:found.start()] + "\nreturn {" + ", ".join(pairs) + "};\n"
            + source[len(code):])


@functools.cache
def _figure_class():
    """go.FigureWidget with the loader above as its front end (built once per kernel)."""
    import plotly.graph_objects as go
    import traitlets
    from plotly.basewidget import BaseFigureWidget

    module = str(BaseFigureWidget._esm)  # plotly's widget module (anywidget read the file)
    try:
        body = module_as_function_body(module)
    except ValueError as unusual:  # a plotly release we do not know: its own widget, as it is
        warnings.warn(f"course figures use plotly's own FigureWidget ({unusual}); on a busy machine "
                      "a figure may stay blank until its cell runs again", RuntimeWarning, stacklevel=3)
        return go.FigureWidget
    loader = _LOADER.replace("__BUNDLE_ID__", hashlib.sha1(body.encode()).hexdigest()[:16])

    class CourseFigureWidget(go.FigureWidget):
        """A plotly FigureWidget that starts reliably on slow machines (see the module docstring)."""

        _esm = loader
        _course_bundle = traitlets.Unicode(body).tag(sync=True)
        _course_id = traitlets.Unicode().tag(sync=True)

        @traitlets.default("_course_id")
        def _new_id(self):
            return uuid.uuid4().hex

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
    """Sliders above a figure; `redraw(fig, **values)` updates the figure in place on every move.

    Given a plain plotly Figure, the first state is drawn on it before it becomes a widget: the widget
    is born complete, so the browser gets the whole picture in its first message. While the kit grades
    (static_figures()), the figure stays a plain one: see StaticExplorer.
    """
    def values() -> dict:
        return {name: control.value for name, control in controls.items()}

    def update(_change=None):
        with figure.batch_update():
            redraw(figure, **values())

    if static_figures():
        redraw(figure, **values())
        for control in controls.values():
            control.observe(update, names="value")
        return StaticExplorer(figure, list(controls.values()))

    import ipywidgets as widgets
    from plotly.basewidget import BaseFigureWidget

    if isinstance(figure, BaseFigureWidget):
        update()
    else:
        redraw(figure, **values())
        figure = figure_widget(figure)
    for control in controls.values():
        control.observe(update, names="value")
        control.style = {"description_width": "initial"}
        control.layout = widgets.Layout(width="520px", max_width="100%")
    parts = list(controls.values()) + [figure]
    if caption is not None:
        parts.append(widgets.HTML(caption, layout=widgets.Layout(width="100%")))
    box = _explorer_class()(parts, layout=widgets.Layout(width="100%"))
    box.course_figure = figure
    return box


def below(box, *more):
    """`box` (an explorer) with more widgets under it, still carrying its figure for graded copies."""
    if isinstance(box, StaticExplorer):
        return StaticExplorer(box.course_figure, [box, *more])
    import ipywidgets as widgets

    outer = _explorer_class()([box, *more], layout=widgets.Layout(width="100%"))
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


class StaticExplorer:
    """An explorer while the kit grades: its figure as it stands, shown as the widget's graded copy.

    Its output is the explorer widget's (a widget view and the figure as plain plotly JSON, as
    `Explorer._repr_mimebundle_` gives while nbgrader runs); the sanitiser keeps the figure and
    removes the view, so graded notebooks and feedback pages are the same as with the widget.
    """

    def __init__(self, figure, children: list):
        self.course_figure = figure
        self.children = tuple(children)

    def __repr__(self) -> str:
        return f"Explorer(children=({', '.join(map(repr, self.children))}))"

    def _repr_mimebundle_(self, **kwargs):
        text = repr(self)
        return {"text/plain": text[:110] + "\u2026" if len(text) > 110 else text,
                WIDGET_VIEW_MIME: {"version_major": 2, "version_minor": 0, "model_id": uuid.uuid4().hex},
                PLOTLY_MIME: json.loads(self.course_figure.to_json())}
