"""Drive a real JupyterLab in headless Chromium (Playwright) — reusable helpers for browser tests.

Server side::

    with start_lab(root, workdir) as lab:          # isolated HOME / Jupyter dirs under workdir
        lab.url("lab/tree/x.ipynb")                # token included
        lab.get_json("api/sessions")
        lab.shutdown_kernels()
    # leaving the block stops the server and every kernel it started

Browser side (``page`` is a Playwright sync ``Page``)::

    open_notebook(page, lab, "x.ipynb")            # fresh workspace, waits for an idle kernel
    run_all(page)                                  # Run > Run All Cells, waits until settled
    error_outputs(page)                            # [] when no traceback / stderr is shown
    wait_for_plotly(page, 1); plotly_figures(page) # rendered plotly plots
    move_slider(page, 0, +3)                       # keyboard arrows on the noUiSlider handle
    slider_bounds(page, 0)                         # (min, value, max) of its handle
    cells(page).nth(i); cell_output_texts(page, i) # cell i as shown; cell_source(page, i) as held
    widget_outputs(page)                           # widget model ids in each cell's outputs
    kernel_eval(page, "len(stack)")                # ask the kernel without touching the notebook
    figure_states(cells(page).nth(i))              # drawn title + data/shape hashes per plot
    screenshot(page, path)

The server is started with :func:`course.launch.lab_command` / :func:`course.launch.lab_env`, so the
browser sees exactly the settings a learner gets from the kit, plus
``--LabApp.expose_app_in_browser=True`` so tests can reach ``window.jupyterapp``.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # so `course` imports when pytest runs from anywhere
    sys.path.insert(0, str(REPO_ROOT))

from course.launch import lab_command, lab_env  # noqa: E402

CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")  # Debian's package
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
VIEWPORT = {"width": 1400, "height": 900}

# --- selectors that proved reliable in JupyterLab 4.6 -------------------------------------------
CURRENT_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"        # the notebook tab in front
KERNEL_INDICATOR = ".jp-Notebook-ExecutionIndicator"              # data-status="idle"|"busy"|...
INPUT_PROMPT = ".jp-InputPrompt"                                  # "[*]:" while queued/running
STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
WIDGET_ERROR = ".jupyter-widgets"                                # text "Error displaying widget..."
PLOTLY_PLOT = ".js-plotly-plot"
PLOTLY_SVG = ".js-plotly-plot .main-svg"
SLIDER = ".widget-slider"                                        # ipywidgets 8 (Int/Float)Slider
SLIDER_HANDLE = ".noUi-handle"                                   # tabindex=0, takes arrow keys
SLIDER_READOUT = ".widget-readout"


# ================================================================================ server ======
def free_port() -> int:
    """A currently free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolated_env(workdir: Path, base_env: Mapping[str, str] | None = None,
                 extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment with HOME and every Jupyter/IPython dir under ``workdir`` plus the kit's settings."""
    base = dict(os.environ if base_env is None else base_env)
    for var in ("JUPYTER_CONFIG_PATH", "JUPYTER_PATH", "JUPYTERLAB_SETTINGS_DIR",
                "JUPYTERLAB_WORKSPACES_DIR", "JUPYTER_TOKEN", "JPY_SESSION_NAME"):
        base.pop(var, None)
    home = Path(workdir) / "home"
    dirs = {
        "HOME": home,
        "JUPYTER_CONFIG_DIR": home / ".jupyter",
        "JUPYTER_DATA_DIR": home / ".local/share/jupyter",
        "JUPYTER_RUNTIME_DIR": home / ".local/share/jupyter/runtime",
        "IPYTHONDIR": home / ".ipython",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_CONFIG_HOME": home / ".config",
        "MPLCONFIGDIR": home / ".config/matplotlib",
    }
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    base.update({k: str(v) for k, v in dirs.items()})
    # `course` importable in the kernel even when the kit is not pip-installed.
    base["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT), *[p for p in base.get("PYTHONPATH", "").split(os.pathsep) if p]])
    base["JUPYTER_PLATFORM_DIRS"] = "1"
    if extra:
        base.update(extra)
    return lab_env(base)


@dataclass
class LabServer:
    """A running JupyterLab. ``base_url`` ends with '/'."""

    root: Path
    port: int
    token: str
    proc: subprocess.Popen
    log_path: Path
    workdir: Path
    startup_seconds: float = 0.0
    _log_file: object = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str = "", **query: str) -> str:
        """``base_url + path`` with the token (and any extra query items) appended."""
        q = "&".join([f"token={self.token}", *(f"{k}={quote(str(v))}" for k, v in query.items())])
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}{path.lstrip('/')}{sep}{q}"

    def request(self, method: str, path: str, body: object | None = None, timeout: float = 10):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path.lstrip("/"), data=data, method=method,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (loopback only)
            raw = resp.read()
        return json.loads(raw) if raw else None

    def get_json(self, path: str):
        return self.request("GET", path)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def kernel_pids(self) -> list[int]:
        """PIDs of the kernels this server started (direct children running ipykernel)."""
        return [pid for pid, cmd in _children(self.proc.pid) if "ipykernel" in cmd]

    def shutdown_kernels(self) -> None:
        """Stop every kernel (and session) of this server, keeping the server up."""
        with contextlib.suppress(Exception):
            for s in self.get_json("api/sessions") or []:
                with contextlib.suppress(Exception):
                    self.request("DELETE", f"api/sessions/{s['id']}")
        with contextlib.suppress(Exception):
            for k in self.get_json("api/kernels") or []:
                with contextlib.suppress(Exception):
                    self.request("DELETE", f"api/kernels/{k['id']}")

    def stop(self, timeout: float = 15) -> None:
        """Shut down the kernels, then the server; escalate to SIGTERM/SIGKILL (by pid) if it
        does not exit, and kill any kernel process still left."""
        if self.proc.poll() is None:
            kernels = self.kernel_pids()
            self.shutdown_kernels()
            with contextlib.suppress(Exception):
                self.request("POST", "api/shutdown", timeout=5)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(5)
            for pid in kernels:  # kernels run in their own sessions: end any left, by pid
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, cmdline) of the direct children of ``pid`` (Linux /proc; psutil elsewhere)."""
    out: list[tuple[int, str]] = []
    proc = Path("/proc")
    if proc.is_dir():
        for d in proc.iterdir():
            if not d.name.isdigit():
                continue
            try:
                stat = (d / "stat").read_text()
                ppid = int(stat[stat.rindex(")") + 2:].split()[1])
                if ppid == pid:
                    cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    out.append((int(d.name), cmd))
            except (OSError, ValueError, IndexError):
                continue
        return out
    try:
        import psutil  # noqa: PLC0415
        return [(c.pid, " ".join(c.cmdline())) for c in psutil.Process(pid).children()]
    except Exception:  # noqa: BLE001
        return out


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the test process dies (Linux), so a killed pytest leaves no
    JupyterLab behind (the server shuts its kernels down on SIGTERM)."""
    with contextlib.suppress(Exception):
        import ctypes  # noqa: PLC0415

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


# Second safety net: idle kernels culled and an idle server exits on its own.
SAFETY_ARGS: tuple[str, ...] = (
    "--MappingKernelManager.cull_idle_timeout=900",
    "--MappingKernelManager.cull_interval=60",
    "--ServerApp.shutdown_no_activity_timeout=1800",
)


def _wait_ready(server: LabServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"JupyterLab exited with {server.proc.returncode} before answering:\n"
                + server.log_text()[-4000:])
        try:
            server.get_json("api/status")
            # the lab page itself (settings/extensions are served by the lab extension)
            with urllib.request.urlopen(server.url("lab"), timeout=5) as r:  # noqa: S310
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError, ValueError):
            pass
        time.sleep(0.25)
    raise TimeoutError(f"JupyterLab did not answer within {timeout}s:\n" + server.log_text()[-4000:])


def launch_lab(root: Path, workdir: Path, *, landing: str = "", port: int | None = None,
               token: str | None = None, env: Mapping[str, str] | None = None,
               extra_args: Sequence[str] = (), timeout: float = 90) -> LabServer:
    """Start JupyterLab on ``root`` (isolated dirs under ``workdir``) and wait until it answers.

    Call :meth:`LabServer.stop` when done (or use :func:`start_lab`).
    """
    root = Path(root).resolve()
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    token = token or secrets.token_hex(16)
    last_error: Exception | None = None
    for attempt in range(3):  # a free port can be taken between probing and binding
        p = port or free_port()
        cmd = lab_command(root, landing, p, open_browser=False, token=token,
                          python=sys.executable,
                          extra_args=["--LabApp.expose_app_in_browser=True", *SAFETY_ARGS,
                                      *extra_args])
        log_path = workdir / f"jupyterlab-{p}.log"
        log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 (closed in stop())
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=root, env=isolated_env(workdir, extra=env),
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=_die_with_parent)
        server = LabServer(root=root, port=p, token=token, proc=proc, log_path=log_path,
                           workdir=workdir, _log_file=log)
        try:
            _wait_ready(server, timeout)
        except Exception as exc:  # noqa: BLE001
            server.stop()
            last_error = exc
            if port is None and "address already in use" in server.log_text().lower():
                continue
            raise
        server.startup_seconds = time.monotonic() - t0
        return server
    raise RuntimeError(f"could not start JupyterLab after 3 attempts: {last_error}")


@contextlib.contextmanager
def start_lab(root: Path, workdir: Path, **kwargs) -> Iterator[LabServer]:
    """Context manager around :func:`launch_lab`; stops the server and its kernels on exit."""
    server = launch_lab(root, workdir, **kwargs)
    try:
        yield server
    finally:
        server.stop()


# =============================================================================== browser ======
def launch_chromium(playwright, **kwargs):
    """Debian's Chromium through Playwright (never a Playwright-downloaded browser)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=list(CHROMIUM_ARGS), **kwargs)


def write_notebook(path: Path, cells: Sequence[str | tuple[str, str]]) -> Path:
    """Write a notebook: each cell is code source, or ("markdown"|"code", source)."""
    import nbformat  # noqa: PLC0415

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    for cell in cells:
        kind, src = ("code", cell) if isinstance(cell, str) else cell
        nb.cells.append(nbformat.v4.new_markdown_cell(src) if kind == "markdown"
                        else nbformat.v4.new_code_cell(src))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def open_notebook(page, lab: LabServer, path: str | Path, *, timeout: float = 90) -> None:
    """Open ``path`` (relative to the server root, or absolute inside it) in a fresh workspace,
    then wait until its kernel is idle.

    A per-call workspace (``/lab/workspaces/<id>/tree/<path>``) keeps tabs restored from earlier
    tests out of the way.
    """
    p = Path(path)
    rel = p.resolve().relative_to(lab.root) if p.is_absolute() else p
    url = lab.url(f"lab/workspaces/t{uuid.uuid4().hex[:12]}/tree/{quote(rel.as_posix())}")
    page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
    page.wait_for_selector(f"{CURRENT_PANEL} .jp-Notebook", timeout=timeout * 1000)
    wait_kernel_idle(page, timeout=timeout)


def kernel_status(page) -> str | None:
    """``data-status`` of the front notebook's execution indicator ("idle", "busy", ...)."""
    loc = page.locator(f"{CURRENT_PANEL} {KERNEL_INDICATOR}")
    return loc.first.get_attribute("data-status") if loc.count() else None


def wait_kernel_idle(page, timeout: float = 90) -> None:
    """Wait until the front notebook has a *connected* kernel that is idle.

    The toolbar indicator alone is not enough right after opening: it reads ``idle`` before the
    session even exists, so with ``window.jupyterapp`` we check the session's kernel itself.
    """
    if has_app(page):
        page.wait_for_function(
            """() => { const w = window.jupyterapp.shell.currentWidget;
                const k = w && w.sessionContext && w.sessionContext.session
                          && w.sessionContext.session.kernel;
                return !!k && k.connectionStatus === 'connected' && k.status === 'idle'; }""",
            timeout=timeout * 1000)
    else:  # DOM only: the status bar names the kernel and reads "| Idle" once it is up
        page.wait_for_function(
            r"""() => { const s = document.querySelector('.jp-StatusBar-Widget');
                const t = s ? s.innerText : '';
                return /\| Idle/.test(t) && !/No Kernel/.test(t); }""",
            timeout=timeout * 1000)
    page.wait_for_selector(f'{CURRENT_PANEL} {KERNEL_INDICATOR}[data-status="idle"]',
                           timeout=timeout * 1000)


def _prompts(page) -> list[str]:
    return page.eval_on_selector_all(f"{CURRENT_PANEL} {INPUT_PROMPT}",
                                     "els => els.map(e => e.textContent.trim())")


def wait_until_settled(page, timeout: float = 180, quiet: float = 0.75) -> None:
    """Wait until the front notebook's kernel is idle, no prompt shows ``[*]`` and nothing has
    changed for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        state = (kernel_status(page), tuple(_prompts(page)))
        if state != last:
            last, since = state, time.monotonic()
        elif (state[0] == "idle" and not any("*" in p for p in state[1])
              and time.monotonic() - since >= quiet):
            return
        time.sleep(0.1)
    raise TimeoutError(f"notebook still running after {timeout}s: kernel={last and last[0]} "
                       f"prompts={last and last[1]}")


def has_app(page) -> bool:
    """True when ``window.jupyterapp`` is exposed (``--LabApp.expose_app_in_browser=True``)."""
    return bool(page.evaluate("() => !!(window.jupyterapp && window.jupyterapp.commands)"))


def run_command(page, command: str, args: dict | None = None):
    """Run a JupyterLab command (e.g. ``notebook:run-all-cells``) and await its promise."""
    return page.evaluate("([c, a]) => window.jupyterapp.commands.execute(c, a || {})",
                         [command, args])


def run_all(page, *, via: str = "menu", timeout: float = 180) -> None:
    """Run all cells of the front notebook and wait until everything settled.

    ``via="menu"`` clicks Run > Run All Cells like a learner; ``via="command"`` calls
    ``jupyterapp.commands.execute('notebook:run-all-cells')`` (its promise resolves when the
    last cell finished; it resolves ``false`` when a cell raised).
    """
    if via == "command" and has_app(page):
        # fire and forget: the outcome (false when a cell raised) lands in window.__courseRunAll
        page.evaluate("""() => { window.__courseRunAll = 'pending';
            window.jupyterapp.commands.execute('notebook:run-all-cells').then(
                r => { window.__courseRunAll = r; }, e => { window.__courseRunAll = 'error: ' + e; }); }""")
    else:
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).first.click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).first.click()
    wait_until_settled(page, timeout=timeout)


def error_outputs(page, *, include_stderr: bool = True) -> list[str]:
    """Text of every error shown in the front notebook: tracebacks, stderr streams (warnings
    included when ``include_stderr``) and widgets that failed to display."""
    texts = page.eval_on_selector_all(
        f"{CURRENT_PANEL} {STDERR_OUTPUT}", "els => els.map(e => e.innerText)")
    if not include_stderr:  # keep only real exceptions, read from the notebook model
        texts = notebook_errors(page) if has_app(page) else [
            t for t in texts if "Traceback" in t or re.search(r"^\w+(Error|Exception)\b", t, re.M)]
    widget_errors = page.eval_on_selector_all(
        f"{CURRENT_PANEL} {WIDGET_ERROR}",
        "els => els.map(e => e.innerText).filter(t => /Error displaying widget|Failed to load/.test(t))")
    return list(dict.fromkeys([*texts, *widget_errors]))  # nested widget views repeat text


def notebook_errors(page) -> list[str]:
    """``ename: evalue`` of every ``error`` output in the front notebook's model (needs jupyterapp)."""
    return page.evaluate("""() => {
        const w = window.jupyterapp.shell.currentWidget, out = [];
        if (!w || !w.content || !w.content.model) return out;
        for (const c of w.content.model.cells) {
            if (c.type !== 'code') continue;
            for (const o of c.outputs.toJSON())
                if (o.output_type === 'error') out.push(`${o.ename}: ${o.evalue}`);
        }
        return out;
    }""")


def plotly_figures(page) -> int:
    """Number of plotly plots actually drawn (a ``.js-plotly-plot`` holding a ``.main-svg``)."""
    return page.eval_on_selector_all(
        f"{CURRENT_PANEL} {PLOTLY_PLOT}",
        "els => els.filter(e => e.querySelector('.main-svg')).length")


BLANK_FIGUREWIDGET_HINT = (
    "plotly plot(s) drawn with NO data: a FigureWidget whose front-end model lost its state. "
    "anywidget (0.9-0.11) rejects a model that is not initialised within 2 s "
    "(AbortSignal.timeout(2000) in its runtime) and then silently drops every update to it; "
    "plotly's FigureWidget ships a ~5 MB ES module per figure, so a slow or busy machine hits this. "
    "The course's figures (course.sims.widgets.figure_widget) evaluate plotly's code inside the first "
    "figure's start-up and hold each figure's messages until it has started.")


def blank_plotly_figures(page) -> int:
    """Plots drawn (``.main-svg``) whose ``gd.data`` is empty — the blank-FigureWidget symptom."""
    return page.eval_on_selector_all(
        f"{CURRENT_PANEL} {PLOTLY_PLOT}",
        "els => els.filter(e => e.querySelector('.main-svg') && !(e.data && e.data.length)).length")


def wait_for_plotly(page, count: int = 1, timeout: float = 60, quiet: float = 0.5,
                    require_data: bool = True) -> int:
    """Wait until at least ``count`` plotly plots are drawn (``.main-svg`` present, plotly's
    ``_fullLayout`` built, and — with ``require_data`` — at least one trace in ``gd.data``) and
    their SVG stopped changing for ``quiet`` seconds; return how many are drawn.

    ``.main-svg`` appears before the traces are drawn, hence the data check and quiet period.
    Raises ``AssertionError`` with :data:`BLANK_FIGUREWIDGET_HINT` when plots stay empty.
    """
    sel = f"{CURRENT_PANEL} {PLOTLY_PLOT}"
    try:
        page.wait_for_function(
            """([sel, n, needData]) => Array.from(document.querySelectorAll(sel))
                  .filter(e => e.querySelector('.main-svg') && e._fullLayout
                               && (!needData || (e.data && e.data.length))).length >= n""",
            arg=[sel, count, require_data], timeout=timeout * 1000)
    except Exception as exc:  # playwright TimeoutError
        blank = blank_plotly_figures(page)
        if blank:
            raise AssertionError(f"{blank} {BLANK_FIGUREWIDGET_HINT}") from exc
        raise AssertionError(f"fewer than {count} plotly plots drawn after {timeout}s "
                             f"(found {plotly_figures(page)})") from exc
    wait_plotly_stable(page, timeout=timeout, quiet=quiet)
    return plotly_figures(page)


def wait_plotly_stable(page, timeout: float = 30, quiet: float = 0.5) -> None:
    """Wait until no plotly plot's SVG has changed for ``quiet`` seconds (after a redraw)."""
    sel = f"{CURRENT_PANEL} {PLOTLY_PLOT}"
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        snap = page.eval_on_selector_all(
            sel, "els => els.map(e => Array.from(e.querySelectorAll('.main-svg'))"
                 ".map(s => s.innerHTML.length + ':' + s.childElementCount).join('/')).join('|')")
        if snap != last:
            last, since = snap, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.1)
    raise TimeoutError(f"plotly plots still changing after {timeout}s")


def plotly_traces(page, figure: int = 0) -> list[dict]:
    """For plot ``figure``: each scatter trace's line path ``d`` and number of drawn points,
    plus the x length plotly holds in ``gd.data`` (what the browser actually has)."""
    return page.evaluate("""([sel, i]) => {
        const plot = Array.from(document.querySelectorAll(sel))
            .filter(e => e.querySelector('.main-svg'))[i];
        if (!plot) return [];
        return Array.from(plot.querySelectorAll('.scatterlayer .trace')).map((t, k) => ({
            d: (t.querySelector('.js-line') || {getAttribute: () => null}).getAttribute('d'),
            points: t.querySelectorAll('.point').length,
            n: plot.data && plot.data[k] && plot.data[k].x ? plot.data[k].x.length : null,
        }));
    }""", [f"{CURRENT_PANEL} {PLOTLY_PLOT}", figure])


def sliders(page):
    """Locator of the ipywidgets sliders in the front notebook (``.count()``, ``.nth(i)``)."""
    return page.locator(f"{CURRENT_PANEL} {SLIDER}")


def widgets(page):
    """Locator of every rendered ipywidgets view (``.jupyter-widgets``)."""
    return page.locator(f"{CURRENT_PANEL} .jupyter-widgets")


def slider_value(page, index: int = 0) -> str:
    return sliders(page).nth(index).locator(SLIDER_READOUT).inner_text().strip()


def slider_bounds(page, index: int = 0) -> tuple[float, float, float]:
    """(min, value, max) of slider ``index``'s first handle, from noUiSlider's aria attributes."""
    handle = sliders(page).nth(index).locator(SLIDER_HANDLE).first
    return tuple(float(handle.get_attribute(a))  # type: ignore[return-value]
                 for a in ("aria-valuemin", "aria-valuenow", "aria-valuemax"))


# --- cells ------------------------------------------------------------------------------------
CELL = ".jp-Cell"


def cells(page):
    """Locator of the front notebook's cells, in notebook order (``windowingMode`` none: all of
    them are in the DOM, so index ``i`` is model cell ``i``)."""
    return page.locator(f"{CURRENT_PANEL} {CELL}")


def model_cell_count(page) -> int:
    return page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.cells.length")


def cell_source(page, index: int) -> str:
    """The source of cell ``index`` as the notebook model holds it (what would be saved)."""
    return page.evaluate(
        "i => window.jupyterapp.shell.currentWidget.content.model.cells.get(i).sharedModel.getSource()",
        index)


def cell_output_texts(page, index: int) -> list[str]:
    """``innerText`` of each output shown under cell ``index``."""
    return cells(page).nth(index).locator(".jp-OutputArea-output").evaluate_all(
        "els => els.map(e => e.innerText)")


def cell_of(locator, page) -> int:
    """Index of the cell holding the element ``locator`` points to (-1 if none)."""
    return locator.evaluate(
        "(e, sel) => Array.from(document.querySelectorAll(sel)).indexOf(e.closest('.jp-Cell'))",
        f"{CURRENT_PANEL} {CELL}")


def static_figure_titles(page) -> list[list[str]]:
    """Per cell of the front notebook: the titles of the plain plotly figures in its outputs (a static
    picture such as a module's opening chart, not a FigureWidget)."""
    return page.evaluate("""() => {
        const w = window.jupyterapp.shell.currentWidget, out = [];
        for (const c of w.content.model.cells) {
            const titles = [];
            if (c.type === 'code')
                for (const o of c.outputs.toJSON()) {
                    const f = o.data && o.data['application/vnd.plotly.v1+json'];
                    if (!f) continue;
                    const t = f.layout && f.layout.title;
                    titles.push(typeof t === 'string' ? t : (t && t.text) || '');
                }
            out.push(titles);
        }
        return out;
    }""")


def widget_outputs(page) -> list[list[str]]:
    """Per cell of the front notebook: the model ids of the widget views in its outputs."""
    return page.evaluate("""() => {
        const w = window.jupyterapp.shell.currentWidget, out = [];
        for (const c of w.content.model.cells) {
            const ids = [];
            if (c.type === 'code')
                for (const o of c.outputs.toJSON()) {
                    const v = o.data && o.data['application/vnd.jupyter.widget-view+json'];
                    if (v && v.model_id) ids.push(v.model_id);
                }
            out.push(ids);
        }
        return out;
    }""")


def kernel_eval(page, expression: str, code: str = "", timeout: float = 30) -> str:
    """Evaluate ``expression`` in the front notebook's kernel (after running ``code``) without
    touching the notebook: a silent execute request whose ``user_expressions`` carry the answer.
    Returns the ``text/plain`` repr; raises ``RuntimeError`` with the kernel's error otherwise."""
    result = page.evaluate("""async ([code, expr, ms]) => {
        const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
        const future = k.requestExecute(
            {code, silent: true, store_history: false, user_expressions: {r: expr}}, true);
        const reply = await Promise.race([future.done, new Promise(
            (_, no) => setTimeout(() => no(new Error('kernel did not answer')), ms))]);
        const c = reply.content;
        if (c.status !== 'ok') return {error: `${c.ename}: ${c.evalue}`};
        const r = c.user_expressions.r;
        if (r.status !== 'ok') return {error: `${r.ename}: ${r.evalue}`};
        return {value: r.data['text/plain']};
    }""", [code, expression, timeout * 1000])
    if "error" in result:
        raise RuntimeError(f"kernel_eval({expression!r}) failed: {result['error']}")
    return result["value"]


def figure_states(locator) -> list[dict]:
    """For each drawn plotly plot inside ``locator``'s element: its rendered title text, a hash of
    the data plotly holds (``gd.data``: x, y, z, marker colours) and of its layout shapes."""
    return locator.evaluate("""root => {
        const hash = s => { let h = 0; for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
                            return `${h}:${s.length}`; };
        const enc = v => v && ArrayBuffer.isView(v) ? Array.from(v) : v;
        return Array.from(root.querySelectorAll('.js-plotly-plot'))
            .filter(e => e.querySelector('.main-svg'))
            .map(e => {
                const t = e.querySelector('.gtitle');
                const data = (e.data || []).map(d => [enc(d.x), enc(d.y), enc(d.z),
                                                      d.marker ? enc(d.marker.color) : null]);
                return {title: t ? t.textContent : '', data: hash(JSON.stringify(data)),
                        shapes: hash(JSON.stringify((e.layout && e.layout.shapes) || [])),
                        traces: data.length};
            });
    }""")


def collapse_left(page) -> None:
    """Fold the left sidebar (file browser) away, as a learner can with its tab."""
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")


def move_slider(page, index: int, steps: int, *, settle: bool = True) -> str:
    """Press ArrowRight (steps > 0) or ArrowLeft ``abs(steps)`` times on slider ``index``'s
    handle; return the new readout. Each step is one ``value`` change sent to the kernel."""
    handle = sliders(page).nth(index).locator(SLIDER_HANDLE).first
    handle.scroll_into_view_if_needed()
    handle.focus()
    key = "ArrowRight" if steps > 0 else "ArrowLeft"
    for _ in range(abs(steps)):
        page.keyboard.press(key)
    if settle:
        wait_until_settled(page, timeout=60, quiet=0.5)
    return slider_value(page, index)


def screenshot(page, path: str | Path, *, full_page: bool = False) -> Path:
    """Save a PNG of the page (the notebook area as a learner sees it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path


def chromium_problem() -> str | None:
    """Why browser tests cannot run here, or None when Chromium and Playwright are usable."""
    problems = []
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        problems.append(f"{CHROMIUM} not found (Debian package 'chromium')")
    try:
        import playwright.sync_api  # noqa: F401, PLC0415
    except ImportError as exc:
        problems.append(f"playwright for Python not importable ({exc}); pip install playwright")
    return "; ".join(problems) or None


def ensure_chromium(log=print) -> str | None:
    """Install what is missing when possible (apt-get as root; pip for playwright), never a
    Playwright-downloaded browser. Returns the remaining problem or None."""
    problem = chromium_problem()
    if problem and "playwright" in problem:
        log("browser tests: installing playwright with pip (no browser download)")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "playwright"], check=False)
        import importlib  # noqa: PLC0415
        importlib.invalidate_caches()
    if problem and CHROMIUM in problem:
        apt = shutil.which("apt-get")
        if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            log("browser tests: installing Debian's chromium with apt-get")
            if subprocess.run([apt, "install", "-y", "-q", "chromium"], env=env,
                              stdout=subprocess.DEVNULL, check=False).returncode != 0:
                subprocess.run([apt, "update", "-q"], env=env, stdout=subprocess.DEVNULL, check=False)
                subprocess.run([apt, "install", "-y", "-q", "chromium"], env=env,
                               stdout=subprocess.DEVNULL, check=False)
    return chromium_problem()
