"""Outputs are judged by their content, not by what the kernel claims: unit tests of course.grading.sanitise
and of the feedback exporter's figure placement (no kernel, no nbgrader run)."""
from __future__ import annotations

import json

import nbformat
import pytest

from course.grading.feedback_html import inert_json, place_figures, take_figures
from course.grading.sanitise import PLOTLY_MIME, clean_figure, sanitise_notebook, sanitise_output

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def display(data, metadata=None):
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata or {})


def test_javascript_and_widgets_are_removed_with_a_note():
    out = display({"application/javascript": "alert(1)", "text/plain": "<IPython.core.display.Javascript object>"})
    assert sanitise_output(out) == ["JavaScript"]
    assert list(out.data) == ["text/plain"] and "JavaScript removed" in out.data["text/plain"]
    widget = display({"application/vnd.jupyter.widget-view+json": {"model_id": "x"}, "text/plain": "VBox()"})
    sanitise_output(widget)
    assert "interactive widget removed" in widget.data["text/plain"]


def test_html_keeps_tables_and_the_kits_boxes_but_nothing_active():
    html = ('<table class="dataframe"><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
            '<div class="course-msg course-msg-ok full-credit" id="x" onclick="f()">ok</div>'
            '<script>f()</script><iframe src="x"></iframe><a href="javascript:f()">j</a>')
    out = display({"text/html": html, "text/plain": "t"})
    sanitise_output(out)
    kept = out.data["text/html"]
    assert '<table class="dataframe">' in kept and "<thead>" in kept and 'class="course-msg course-msg-ok"' in kept
    for active in ("<script", "onclick", "iframe", "javascript:", "full-credit", 'id="x"'):
        assert active not in kept, active


def test_images_are_kept_only_when_their_bytes_are_images():
    good = display({"image/png": PNG, "text/plain": "fig"}, {"image/png": {"width": 10, "filenames": "javascript:x"}})
    sanitise_output(good)
    assert good.data["image/png"] == PNG and good.metadata == {"image/png": {"width": 10}}
    forged = display({"image/png": "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="})
    assert sanitise_output(forged) and "image/png" not in forged.data


def test_the_kits_own_figure_survives_and_a_forged_one_is_cleaned(monkeypatch):
    import pandas as pd

    from course.sims.orientation import outlier_explorer

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    stack = pd.DataFrame({"tool": ["a", "b", "c"], "annual_cost": [100.0, 250.0, 4000.0]})
    bundle = outlier_explorer(stack)._repr_mimebundle_()
    assert PLOTLY_MIME in bundle, "while graded, the kit's widget adds a static copy of its figure"
    out = display(json.loads(json.dumps(bundle)))
    sanitise_output(out)
    assert set(out.data) == {PLOTLY_MIME, "text/plain"}
    assert [t["type"] for t in out.data[PLOTLY_MIME]["data"]] == [t["type"] for t in bundle[PLOTLY_MIME]["data"]]
    forged = {"data": [{"type": "bar", "y": [1], "name": "<img src=x onerror=f()>ok<br>too"}],
              "layout": {"images": [{"source": "https://example.invalid/x.png"}], "title": {"text": "<a href='javascript:f()'>t</a>"}}}
    cleaned = clean_figure(forged)
    assert cleaned["data"][0]["name"] == "ok<br>too" and "images" not in cleaned["layout"]
    assert cleaned["layout"]["title"]["text"] == "t"
    assert clean_figure({"data": [{"type": "scatter", "onclick": "f()"}]}) is None, "plotly refuses what it does not know"


def test_a_notebook_loses_its_widget_state():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].outputs = [display({"application/javascript": "f()"})]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    assert sanitise_notebook(nb) == 1 and "widgets" not in nb.metadata


def test_feedback_places_figures_by_a_secret_token_and_their_json_cannot_close_the_script():
    figure = {"data": [{"type": "bar", "y": [1], "name": "</script><script>f()</script>"}], "layout": {}}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].outputs = [display({PLOTLY_MIME: figure, "text/plain": "fig"})]
    figures = take_figures(nb, "n0nce")
    assert nb.cells[0].outputs[0].data == {"text/plain": "COURSE-FIGURE-n0nce-0"} and len(figures) == 1
    page = place_figures("<html><body><pre>COURSE-FIGURE-n0nce-0</pre><pre>COURSE-FIGURE-other-0</pre></body></html>",
                         "n0nce", figures)
    assert page.count("data-course-figure=") == 1 and "COURSE-FIGURE-other-0" in page
    assert "</script><script>f()" not in page and "<" not in inert_json(figures)
    assert page.index("</body>") > page.index("Plotly.newPlot")


@pytest.mark.parametrize("markdown", ["[x](javascript:f())", "<img src=x onerror=f()>", "<script>f()</script>"])
def test_markdown_outputs_lose_what_would_run(markdown):
    out = display({"text/markdown": markdown})
    sanitise_output(out)
    kept = out.data["text/markdown"]
    assert "javascript:" not in kept and "onerror" not in kept and "<script" not in kept
