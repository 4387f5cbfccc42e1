"""No active content from a learner's kernel reaches a browser: outputs cleaned by content type.

A learner's kernel can claim anything about its outputs, so nothing it claims is trusted: each output
is judged by its MIME type and its content alone.

- kept as they are: ``text/plain``, and ``image/png`` / ``image/jpeg`` whose bytes really are that image;
- cleaned with nh3 (an allow-list: no scripts, event handlers, ``id``s, forms or frames; links only to
  http(s) and mail; classes only the kit's own): ``text/html``, ``text/markdown``, ``image/svg+xml``;
- kept when plotly accepts them, with every text field cleaned: plotly figures
  (``application/vnd.plotly.v1+json``), which the kit's simulations add beside their widgets while
  nbgrader runs them, so feedback can draw them (see feedback_html.py);
- everything else (JavaScript, widget views and state, unknown types) is removed, and a short note
  says what was there.

`SanitiseOutputs` runs in the autograde pipeline (so autograded notebooks hold nothing active) and in
feedback (for notebooks graded before); `clean_html` replaces nbconvert's own filter of that name when
`HTMLExporter.sanitize_html` is on (formgrader and feedback pages), so learner markdown is cleaned by
the same rules and DataFrame tables keep their shape.
"""
from __future__ import annotations

import base64
import binascii
import functools
import json
import re

import nh3
from jinja2 import pass_context
from nbgrader.preprocessors import NbGraderPreprocessor

from .. import messages as msg
from ..answers import PLOTLY_MIME
from .sandbox.outputs import CUT_KEY

KIT_CLASSES = {"course-msg", "course-msg-ok", "course-msg-no", "course-msg-todo", "course-msg-info", "dataframe"}
HTML_TAGS = nh3.ALLOWED_TAGS - {"area", "map"}
HTML_ATTRIBUTES = {"*": {"style", "title", "lang", "align"}, "a": {"href"}, "img": {"src", "alt", "width", "height"},
                   "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}, "table": {"border"}}
STYLE_PROPERTIES = {"color", "background-color", "padding", "padding-left", "padding-right", "padding-top",
                    "padding-bottom", "margin", "margin-left", "margin-right", "margin-top", "margin-bottom",
                    "border", "border-left", "border-radius", "font-weight", "font-style", "font-size",
                    "text-align", "vertical-align", "white-space"}
URL_SCHEMES = {"http", "https", "mailto", "data"}     # data: only for images, see _urls
IMAGE_URLS = ("data:image/png;base64,", "data:image/jpeg;base64,", "data:image/gif;base64,")
SVG_TAGS = {"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
            "defs", "clippath", "lineargradient", "radialgradient", "stop", "title", "desc"}
SVG_ATTRIBUTES = {"*": {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "d", "points", "width",
                        "height", "viewbox", "viewBox", "fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity",
                        "stroke-dasharray", "opacity", "transform", "font-size", "font-family", "text-anchor",
                        "offset", "stop-color", "clip-path", "xmlns", "class", "dx", "dy"}}
FIGURE_TEXT_TAGS = {"br", "b", "i", "em", "sup", "sub"}
FIGURE_DROPPED = ("images", "updatemenus", "sliders")     # layout parts that load URLs or call plotly's API
IMAGE_MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
KEPT_METADATA = ("width", "height")
_MARKDOWN_LINK = re.compile(r"\]\(\s*(?!https?:|mailto:|#)[^)]*\)", re.IGNORECASE)


def clean_html(html) -> str:
    """Learner HTML without anything that runs, loads or impersonates the page around it (classes: the kit's only)."""
    html = html.decode() if isinstance(html, bytes) else str(html)
    return nh3.clean(html, tags=HTML_TAGS, attributes=HTML_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     allowed_classes={tag: KIT_CLASSES for tag in HTML_TAGS}, strip_comments=True,
                     link_rel="noopener noreferrer nofollow", filter_style_properties=STYLE_PROPERTIES,
                     attribute_filter=_urls)


def _urls(tag: str, attribute: str, value: str) -> str | None:
    """Images only from data inside the page (a pasted screenshot), never fetched; links never to data:."""
    if tag == "img" and attribute == "src":
        return value if value.startswith(IMAGE_URLS) else None
    if attribute == "href" and value.strip().lower().startswith("data:"):
        return None
    return value


@pass_context
def markdown2html(context, source: str) -> str:
    """nbconvert's markdown filter (the cell's attachments included), its HTML then cleaned: nbgrader's
    formgrade and feedback templates render markdown cells with it and no other cleaning."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    cell = context.get("cell", {})
    path = context.get("resources", {}).get("metadata", {}).get("path", "")
    renderer = IPythonRenderer(escape=False, attachments=cell.get("attachments", {}), path=path)
    return clean_html(MarkdownWithMath(renderer=renderer).render(source))


def clean_markdown(text: str) -> str:
    """Markdown without raw HTML that runs and without links to anything but the web and mail."""
    return _MARKDOWN_LINK.sub("](#)", clean_html(text))


def clean_svg(svg: str) -> str:
    """SVG shapes and text only: no scripts, links, foreign objects, styles or event handlers."""
    return nh3.clean(svg, tags=SVG_TAGS, attributes=SVG_ATTRIBUTES, url_schemes=set(), strip_comments=True,
                     link_rel=None)


def valid_image(mime: str, value) -> bool:
    """Whether a base64 value really holds an image of type `mime`."""
    if not isinstance(value, str):
        return False
    try:
        head = base64.b64decode(value[:64].strip() + "=" * (-len(value[:64].strip()) % 4), validate=False)
        base64.b64decode(re.sub(r"\s+", "", value), validate=True)
    except (binascii.Error, ValueError):
        return False
    return head.startswith(IMAGE_MAGIC[mime])


def clean_figure(value) -> dict | None:
    """A plotly figure that plotly itself accepts, with its text fields cleaned; None when it is not one.

    Every learner's copy of a simulation's figure is the same until they move its controls, so results
    are remembered by the figure's exact JSON: plotly's validation runs once per distinct figure."""
    if not isinstance(value, dict) or not isinstance(value.get("data", []), list):
        return None
    try:
        key = json.dumps(value, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    cleaned = _validated(key)
    return json.loads(cleaned) if cleaned is not None else None


@functools.lru_cache(maxsize=64)
def _validated(figure_json: str) -> str | None:
    """clean_figure's work on one figure, as JSON (None: plotly refuses it)."""
    import plotly.io as pio

    value = json.loads(figure_json)
    layout = {k: v for k, v in (value.get("layout") or {}).items() if k not in FIGURE_DROPPED}
    try:
        figure = pio.from_json(json.dumps({"data": value.get("data", []), "layout": layout}), skip_invalid=False)
    except (ValueError, TypeError, KeyError):
        return None
    plain = json.loads(pio.to_json(figure, validate=False))
    return json.dumps({"data": _clean_texts(plain.get("data", [])), "layout": _clean_texts(plain.get("layout", {}))})


def _clean_texts(value):
    """Every string in a figure cleaned to plotly's few text tags (iterative: figures nest)."""
    top = [value]
    stack = [top]
    while stack:
        holder = stack.pop()
        keys = holder.keys() if isinstance(holder, dict) else range(len(holder))
        for key in keys:
            item = holder[key]
            if isinstance(item, str) and "<" in item:
                holder[key] = nh3.clean(item, tags=FIGURE_TEXT_TAGS, attributes={}, url_schemes=set())
            elif isinstance(item, (dict, list)):
                stack.append(item)
    return top[0]


def sanitise_output(output) -> list[str]:
    """Clean one output in place; return the kinds of content removed from it (for the note)."""
    if output.get("output_type") not in ("display_data", "execute_result"):
        return []
    data, removed, kept = output.get("data", {}), [], {}
    for mime, value in data.items():
        if mime == "text/plain":
            kept[mime] = value if isinstance(value, str) else "".join(map(str, value))
        elif mime == "text/html":
            kept[mime] = clean_html(_text(value))
        elif mime == "text/markdown":
            kept[mime] = clean_markdown(_text(value))
        elif mime == "image/svg+xml":
            kept[mime] = clean_svg(_text(value))
        elif mime in IMAGE_MAGIC and valid_image(mime, value):
            kept[mime] = value
        elif mime == PLOTLY_MIME and (figure := clean_figure(value)) is not None:
            kept[mime] = figure
        else:
            removed.append(_what(mime))
    if removed and not any(m in kept for m in ("text/html", "text/markdown", PLOTLY_MIME, *IMAGE_MAGIC)):
        kept["text/plain"] = msg.ACTIVE_REMOVED.format(what=" and ".join(sorted(set(removed))))
    if PLOTLY_MIME in kept:
        kept["text/plain"] = msg.FIGURE_STATIC
    output["data"] = kept
    meta = output.get("metadata") or {}
    output["metadata"] = {k: v for k, v in meta.items() if k == CUT_KEY or
                          (k in kept and isinstance(v, dict) and _sizes_only(v))}
    for mime in list(output["metadata"]):
        if mime in kept:
            output["metadata"][mime] = {k: v for k, v in meta[mime].items() if k in KEPT_METADATA}
    return removed


def _sizes_only(meta: dict) -> bool:
    return all(isinstance(meta.get(k, 0), (int, float)) for k in KEPT_METADATA)


def _text(value) -> str:
    """A MIME value as one string (nbformat allows a list of lines)."""
    return value if isinstance(value, str) else "".join(map(str, value)) if isinstance(value, list) else str(value)


def _what(mime: str) -> str:
    """Plain words for a removed content type."""
    if "javascript" in mime or "ecmascript" in mime:
        return "JavaScript"
    if "widget" in mime:
        return "an interactive widget"
    return f"content of type {mime}"


def sanitise_notebook(nb) -> int:
    """Clean every output of every code cell, drop the notebook's widget state; return outputs that lost content."""
    removed = 0
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            removed += bool(sanitise_output(output))
    if "widgets" in nb.get("metadata", {}):
        del nb.metadata["widgets"]
    return removed


class SanitiseOutputs(NbGraderPreprocessor):
    """Autograde and feedback step: every output cleaned by content type (see the module docstring)."""

    def preprocess(self, nb, resources):
        removed = sanitise_notebook(nb)
        if removed:
            self.log.info("Removed active content from %d output(s) of %s", removed,
                          resources.get("nbgrader", {}).get("notebook", "?"))
        return nb, resources
