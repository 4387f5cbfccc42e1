"""Build the command and environment that start JupyterLab with the kit's beginner-friendly settings.

Nothing here changes the learner's own Jupyter installation or settings:

* The kit's UI defaults live in ``course/jupyter_settings/labconfig/default_setting_overrides.json``.
  :func:`lab_env` prepends ``course/jupyter_settings`` to ``JUPYTER_CONFIG_PATH`` for the JupyterLab
  process it starts, so JupyterLab reads them as *defaults* (jupyterlab_server looks for
  ``<config path>/labconfig/default_setting_overrides.json``). Anything the learner set in
  Settings still wins, and a plain ``jupyter lab`` started elsewhere never sees them. The hub puts
  the same folder on every server's config path.
* ``course/jupyter_settings/jupyter_server_config.json`` makes the Python kernel the learner's kernel
  (:mod:`course.kernel`): friendly errors from the first cell, notebooks not marked modified on open.
* ``course/jupyter_laptop`` is for ``course start`` only (the hub has exchange and roles of its own):
  no nbgrader exchange or trainer panels, server extensions or menus, that would only show errors on
  a laptop; the Validate button stays.
* Network-calling features (news feed, update check, PyPI extension manager) are switched off
  with command-line flags in :func:`lab_command`, again only for that process; the terminal shows the
  address to open and real errors, not Jupyter's running commentary (:data:`TERMINAL_FLAGS`).
* The landing notebook opens because JupyterLab's default URL is set to ``/lab/tree/<landing>``:
  the browser JupyterLab opens, the URL it prints, and a visit to ``http://host:port/`` all land
  on that notebook (``jupyter lab path/to/nb.ipynb`` would open it too, but only in the
  browser JupyterLab opens itself, not in the URL it prints).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from urllib.parse import quote

SETTINGS_DIR = Path(__file__).resolve().parent / "jupyter_settings"
"""Kit-specific Jupyter config dir (added to JUPYTER_CONFIG_PATH by :func:`lab_env` and by the hub)."""
LAPTOP_DIR = Path(__file__).resolve().parent / "jupyter_laptop"
"""Config dir for ``course start`` only (before SETTINGS_DIR on JUPYTER_CONFIG_PATH)."""

SETTING_OVERRIDES = SETTINGS_DIR / "labconfig" / "default_setting_overrides.json"

# Flags that keep JupyterLab from calling the network and from nagging a beginner.
QUIET_FLAGS: tuple[str, ...] = (
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
)
# What the learner's terminal shows: the address to open (logged as critical) and errors. Jupyter's
# per-kernel and per-save lines, and warnings such as "Notebook ... is not trusted" for a notebook
# with no outputs yet, are nothing a learner can act on.
TERMINAL_FLAGS: tuple[str, ...] = ("--ServerApp.log_level=ERROR", "--LabApp.log_level=ERROR")


def encryption_flags() -> tuple[str, ...]:
    """Encrypt the kernel's connections (CurveZMQ) where this environment can: the kernel then has
    no "running over TCP without encryption" warning to print. Nothing where it cannot."""
    try:
        import zmq
        from jupyter_client.manager import KernelManager
    except ImportError:
        return ()
    if not (zmq.has("curve") and KernelManager.class_traits().get("transport_encryption")):
        return ()
    return ("--KernelManager.transport_encryption=auto",)


def landing_path(root: Path, landing: str) -> str:
    """``landing`` as a POSIX path relative to ``root`` (accepts a relative or absolute path)."""
    root = Path(root).resolve()
    p = Path(landing)
    if p.is_absolute():
        try:
            p = p.resolve().relative_to(root)
        except ValueError:
            raise ValueError(f"landing notebook {landing!r} is not inside {str(root)!r}") from None
    rel = PurePosixPath(*p.parts)
    if ".." in rel.parts:
        raise ValueError(f"landing notebook {landing!r} must stay inside {str(root)!r}")
    return str(rel)


def landing_url(root: Path, landing: str) -> str:
    """The server-relative URL that opens ``landing`` in JupyterLab, e.g. ``/lab/tree/START_HERE.ipynb``
    (``/lab`` when ``landing`` is empty)."""
    if not landing:
        return "/lab"
    return "/lab/tree/" + quote(landing_path(root, landing))


def lab_command(
    root: Path,
    landing: str,
    port: int | None = None,
    *,
    open_browser: bool = True,
    token: str | None = None,
    ip: str = "127.0.0.1",
    python: str | None = None,
    allow_root: bool | None = None,
    extra_args: Sequence[str] = (),
) -> list[str]:
    """The argv that starts JupyterLab on ``root`` and opens ``landing`` (a path relative to ``root``).

    ``port=None`` lets Jupyter pick (8888 or the next free one). ``token=None`` lets Jupyter
    generate one (printed in the URL); ``token=""`` disables auth, which is only acceptable on
    loopback. ``allow_root=None`` allows running as root only when this process is root (a
    container); Jupyter refuses to start as root otherwise. Run it with ``env=lab_env()``.
    """
    root = Path(root).resolve()
    cmd = [
        python or sys.executable, "-m", "jupyter", "lab",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.ip={ip}",
        f"--LabApp.default_url={landing_url(root, landing)}",
        f"--ServerApp.open_browser={open_browser}",
        *QUIET_FLAGS,
        *TERMINAL_FLAGS,
        *encryption_flags(),
    ]
    if allow_root is None:
        allow_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if allow_root:
        cmd.append("--ServerApp.allow_root=True")
    if port is not None:
        cmd += [f"--ServerApp.port={int(port)}", "--ServerApp.port_retries=0"]
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    cmd += list(extra_args)
    return cmd


def lab_env(base_env: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``base_env`` (default ``os.environ``) that makes JupyterLab read the kit's settings.

    Prepends :data:`LAPTOP_DIR` and :data:`SETTINGS_DIR` to ``JUPYTER_CONFIG_PATH`` (kept once,
    whatever was there stays after them). The learner's Settings keep priority over the kit's UI
    defaults.
    """
    env = dict(os.environ if base_env is None else base_env)
    kit = [str(LAPTOP_DIR), str(SETTINGS_DIR)]
    parts = [p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p and p not in kit]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([*kit, *parts])
    # Keep a kernel's debugger warning ("frozen modules") out of a beginner's terminal.
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def start_lab(port: int | None = None, open_browser: bool = True) -> int:
    """Run JupyterLab on the learner notebooks until it is stopped (Ctrl+C); return its exit code.

    The file browser shows exercises/ and opens on the landing notebook. The server runs from the
    kit's folder, so nbgrader reads the root nbgrader_config.py (SQLite gradebook in gradebook.db).
    """
    import signal
    import subprocess

    from .errors import CourseError
    from .paths import REPO_ROOT, exercises_dir
    from .pipeline import LANDING

    root = exercises_dir()
    if not (root / LANDING).exists():
        raise CourseError(f"The learner notebooks are missing ({root / LANDING} does not exist). "
                          "Run `course release` to make them from solutions/.")
    print(f"Opening JupyterLab on {root} (landing page {LANDING}). Stop it with Ctrl+C, twice.", flush=True)
    proc = subprocess.Popen(lab_command(root, LANDING, port, open_browser=open_browser),
                            cwd=REPO_ROOT, env=lab_env())
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:  # JupyterLab got the same Ctrl+C and asks to confirm: keep waiting for it
            if proc.poll() is None and not sys.stdin.isatty():
                proc.send_signal(signal.SIGTERM)
