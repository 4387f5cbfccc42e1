"""Fixtures for the JupyterLab browser tests (headless Debian Chromium through Playwright).

* ``browser_ready``    (session) Chromium + Playwright present — installs Debian's chromium with
                       apt-get when root, else skips LOUDLY ("BROWSER TESTS SKIPPED: ...").
                       ``COURSE_REQUIRE_BROWSER=1`` turns that skip into a failure (CI).
* ``chromium_browser`` (session) a Playwright ``Browser`` on /usr/bin/chromium.
* ``lab_server``       (session) a :class:`LabServer` on a tmp root with isolated Jupyter dirs.
* ``lab_page``         (test)    a fresh browser context/page; kernels shut down afterwards and a
                       screenshot ``<artifacts>/<test>-FAILED.png`` saved when the test failed.
* ``lab_dir``          (test)    an empty folder inside ``lab_server.root`` for the test's notebooks.
* ``console_messages`` (test)    list of "type: text" browser console lines of ``lab_page``.
* ``browser_artifacts``(session) where screenshots go: $COURSE_BROWSER_ARTIFACTS or build/browser/.
"""
from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pytest

from .jupyterlab import (
    REPO_ROOT,
    VIEWPORT,
    LabServer,
    ensure_chromium,
    launch_chromium,
    launch_lab,
    screenshot,
)

_SKIPPED: list[str] = []


def _say(msg: str) -> None:
    sys.stderr.write(f"\n[browser tests] {msg}\n")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def pytest_terminal_summary(terminalreporter):
    if _SKIPPED:
        bar = "!" * 78
        terminalreporter.write_line(bar, red=True, bold=True)
        terminalreporter.write_line(f"BROWSER TESTS SKIPPED: {_SKIPPED[0]}", red=True, bold=True)
        terminalreporter.write_line("Install Debian's chromium (apt-get install -y chromium) and "
                                    "`pip install playwright` (never `playwright install`).",
                                    red=True)
        terminalreporter.write_line(bar, red=True, bold=True)


@pytest.fixture(scope="session")
def browser_ready() -> None:
    problem = ensure_chromium(log=_say)
    if problem:
        _SKIPPED.append(problem)
        msg = f"BROWSER TESTS SKIPPED: {problem}"
        if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
            pytest.fail(msg.replace("SKIPPED", "REQUIRED BUT UNAVAILABLE"), pytrace=False)
        pytest.skip(msg)


@pytest.fixture(scope="session")
def browser_artifacts() -> Path:
    out = Path(os.environ.get("COURSE_BROWSER_ARTIFACTS") or REPO_ROOT / "build" / "browser")
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture(scope="session")
def chromium_browser(browser_ready):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = launch_chromium(pw)
    try:
        yield browser
    finally:
        browser.close()
        pw.stop()


@pytest.fixture(scope="session")
def lab_server(browser_ready, tmp_path_factory) -> LabServer:
    root = tmp_path_factory.mktemp("lab-root")
    work = tmp_path_factory.mktemp("lab-work")
    server = launch_lab(root, work)
    _say(f"JupyterLab ready on {server.base_url} in {server.startup_seconds:.1f}s "
         f"(log {server.log_path})")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def lab_dir(lab_server: LabServer, request) -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)[:80]
    d = lab_server.root / name
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture
def console_messages() -> list[str]:
    return []


@pytest.fixture
def lab_page(chromium_browser, lab_server: LabServer, browser_artifacts, console_messages, request):
    context = chromium_browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.on("console", lambda m: console_messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console_messages.append(f"pageerror: {e}"))
    t0 = time.monotonic()
    try:
        yield page
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)[:80]
            try:
                shot = screenshot(page, browser_artifacts / f"{name}-FAILED.png")
                _say(f"failure screenshot: {shot}")
            except Exception as exc:  # noqa: BLE001
                _say(f"could not take failure screenshot: {exc}")
            tail = "\n".join(console_messages[-20:])
            _say(f"last browser console lines:\n{tail}")
        context.close()
        lab_server.shutdown_kernels()
        _say(f"{request.node.name}: {time.monotonic() - t0:.1f}s in the browser")
