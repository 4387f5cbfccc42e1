"""A script-laden submission runs nothing in the trainer's or the learner's browser.

The learner `script_outputs` (tests/fixtures/cohort.py) hands in outputs and markdown that would set
`window.pwned` or change `document.title` if any of it ran: a <script>, <img onerror>, a JavaScript
output, a javascript: link, an SVG onload, a forged widget, a forged plotly figure, an isolated iframe.
It is graded by the kit with an honest learner; then nbgrader's own formgrader page for that submission
is loaded in headless Chromium through a real Jupyter server, and so are both feedback pages: no learner
script runs, the submission's harmless content is shown, and the kit's figure is drawn in feedback.
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request

import pytest

from course.trainer.feedback import generate_feedback
from course.trainer.grade import grade_cohort
from course.trainer.course_dir import GradingOptions

from fixtures.cohort import CASES, MODULE, build_course, place

from .jupyterlab import _die_with_parent, free_port, isolated_env

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STUDENTS = ("script_outputs", "honest_all")
PWNED = "() => [document.title, window.pwned === undefined ? null : window.pwned]"


@pytest.fixture(scope="module")
def graded(tmp_path_factory, browser_ready):
    """One course: the script-laden learner and an honest one, graded and given feedback by the kit."""
    root = tmp_path_factory.mktemp("pages") / "course"
    course = build_course(root, assignments=(MODULE,), options=GradingOptions(cell_timeout=60, notebook_timeout=300))
    for case in CASES:
        if case.student in STUDENTS:
            place(course.root, case)
    run = grade_cohort(course, [MODULE], workers=2, progress=False)
    assert sorted(o.status for o in run.outcomes) == ["graded", "graded"], run.summary()
    # anyway: the written answer is not graded by hand here (feedback would otherwise wait for it)
    pages = generate_feedback(course, [MODULE], workers=2, progress=False, anyway=True)
    assert not pages.failed, pages.summary()
    made = {student for student in STUDENTS if any(course.feedback(student, MODULE).glob("*.html"))}
    assert made == set(STUDENTS), f"feedback pages made for {sorted(made)} only: {pages.summary()}"
    (course.root / "nbgrader_config.py").write_text(
        "from course.grading.config import configure\nc = get_config()\n"
        f"configure(c, root={str(course.root)!r})\n", encoding="utf-8")
    return course


@pytest.fixture(scope="module")
def formgrader(graded, tmp_path_factory):
    """A Jupyter server on the course with nbgrader's formgrader, as a trainer runs it."""
    port, token = free_port(), secrets.token_hex(16)
    work = tmp_path_factory.mktemp("formgrader-server")
    log = open(work / "server.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    cmd = [sys.executable, "-m", "jupyter", "server", f"--ServerApp.root_dir={graded.root.parent}",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
           "--ServerApp.open_browser=False", "--ServerApp.allow_root=True",
           "--ServerApp.jpserver_extensions={'nbgrader.server_extensions.formgrader': True}"]
    proc = subprocess.Popen(cmd, cwd=graded.root, env=isolated_env(work), stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}api/status?token={token}", timeout=5):  # noqa: S310
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((work / "server.log").read_text()[-3000:])
                time.sleep(0.5)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _submission_id(course, student: str) -> str:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        return gb.find_submission_notebook(MODULE, MODULE, student).id


def test_the_harness_would_see_a_script_run(chromium_browser):
    """Control: the same script, unsanitised, does run in this browser (so the tests below can fail)."""
    page = chromium_browser.new_page()
    try:
        page.set_content("<title>t</title><script>document.title='PWNED-html'; window.pwned = 1</script>")
        assert page.evaluate(PWNED) == ["PWNED-html", 1]
    finally:
        page.close()


def test_formgrader_page_of_the_script_submission_runs_no_learner_script(chromium_browser, graded, formgrader):
    base, token = formgrader
    page = chromium_browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        url = f"{base}formgrader/submissions/{_submission_id(graded, 'script_outputs')}/?token={token}"
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, response and response.status
        page.wait_for_timeout(1500)   # give onerror/onload handlers time to fire, if any could
        body = page.inner_text("body")
        assert "bold stays" in body and "My notes." in body, "control: the submission itself is shown"
        title, pwned = page.evaluate(PWNED)
        assert pwned is None and "PWNED" not in title, (title, pwned)
        assert not [e for e in errors if "pwned" in e.lower()], errors
    finally:
        page.close()


def test_feedback_pages_run_no_learner_script_and_draw_the_kits_figure(chromium_browser, graded):
    for student in STUDENTS:
        page = chromium_browser.new_page()
        try:
            path = graded.feedback(student, MODULE) / f"{MODULE}.html"
            html = path.read_text(encoding="utf-8")
            expected = html.count("data-course-figure=")
            assert expected >= 1, "the module's figure has a place in the page"
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_function(f"document.querySelectorAll('div[data-course-figure] .main-svg').length >= {expected}",
                                   timeout=60_000)
            title, pwned = page.evaluate(PWNED)
            assert pwned is None and "PWNED" not in title, (student, title, pwned)
            drawn = page.evaluate("Array.from(document.querySelectorAll('div[data-course-figure]'))"
                                  ".map(d => d.querySelectorAll('.scatterlayer .trace, .barlayer .trace').length)")
            assert all(n >= 1 for n in drawn), (student, drawn)   # each figure has its traces drawn
        finally:
            page.close()
