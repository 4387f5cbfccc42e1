"""Feedback pages that draw the kit's figures and run nothing from the learner's notebook.

nbgrader's feedback uses nbconvert's HTMLExporter with the kit's `sanitize_html` settings (see
config.py): no JavaScript or widget output is written, HTML and markdown go through
`sanitise.clean_html`. A figure is the one thing a feedback page draws with code, and that code is the
kit's, not the learner's: `FeedbackExporter` takes each plotly figure that `sanitise.clean_figure`
accepts out of the notebook, writes it into the page as inert JSON, and adds plotly.js (from the plotly
package, inline, so a page opens offline) with a few lines that draw each figure where it was. A figure
plotly refuses is left as its text note.
"""
from __future__ import annotations

import functools
import json
import re
import secrets
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from traitlets import Bool

from .. import messages as msg
from .sanitise import PLOTLY_MIME, clean_figure

_DRAW = """
(function () {
  var figures = JSON.parse(document.getElementById("course-figures-%(nonce)s").textContent);
  document.querySelectorAll("div[data-course-figure]").forEach(function (div) {
    var figure = figures[Number(div.getAttribute("data-course-figure"))];
    if (!figure || !window.Plotly) { return; }
    div.textContent = "";
    window.Plotly.newPlot(div, figure.data, figure.layout, {displaylogo: false, responsive: true});
  });
})();
"""


@functools.cache
def plotly_js() -> str:
    """plotly.js as the plotly package ships it (the version its figures were validated against)."""
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")


def inert_json(value) -> str:
    """JSON that cannot close or open a tag inside a <script type="application/json"> element."""
    return json.dumps(value, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("&", "\\u0026")


def take_figures(nb, nonce: str) -> list[dict]:
    """Replace each accepted figure output by a placeholder token; return the figures in page order."""
    figures = []
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {})
            if PLOTLY_MIME not in data:
                continue
            figure = clean_figure(data.pop(PLOTLY_MIME))
            if figure is not None:
                data["text/plain"] = f"COURSE-FIGURE-{nonce}-{len(figures)}"
                figures.append(figure)
    return figures


def place_figures(html: str, nonce: str, figures: list[dict]) -> str:
    """Put a drawing area where each placeholder was, and the figures and plotly.js before </body>."""
    token = re.compile(r"<pre>\s*COURSE-FIGURE-" + nonce + r"-(\d+)\s*</pre>")
    html = token.sub(lambda m: f'<div data-course-figure="{int(m.group(1))}" style="min-height:420px">'
                               f"{msg.FIGURE_STATIC}</div>", html)
    scripts = (f'<script type="application/json" id="course-figures-{nonce}">{inert_json(figures)}</script>\n'
               f"<script>{plotly_js()}</script>\n<script>{_DRAW % {'nonce': nonce}}</script>\n")
    end = html.rfind("</body>")
    return html[:end] + scripts + html[end:] if end >= 0 else html + scripts


class FeedbackExporter(HTMLExporter):
    """nbgrader's feedback exporter, sanitised, drawing the figures sanitise.clean_figure accepts."""

    sanitize_html = Bool(True, help="Never write learner HTML, markdown or SVG unsanitised.").tag(config=True)

    def _preprocess(self, nb, resources):
        """After the feedback preprocessors (which sanitise every output), take the figures out."""
        nb, resources = super()._preprocess(nb, resources)
        nonce = secrets.token_hex(8)
        resources["course_figures"] = (nonce, take_figures(nb, nonce))
        return nb, resources

    def from_notebook_node(self, nb, resources=None, **kw):
        """The page, with the figures drawn by the kit's own script."""
        html, resources = super().from_notebook_node(nb, resources, **kw)
        nonce, figures = resources.pop("course_figures", ("", []))
        return (place_figures(html, nonce, figures) if figures else html), resources
