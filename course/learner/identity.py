"""Who this learner is, for a workshop that gives every learner their own data.

The learner's *key* picks their data (course.data.variants). The first of these that is set wins:

1. `COURSE_LEARNER` in the kernel's environment: the grader sets it while grading a submission
   ("*": the workshop's shared data);
2. `JUPYTERHUB_USER`: on a JupyterHub, the login;
3. the learner code saved by `use_code("K7F-29Q")` (START_HERE) in the learner's own data folder
   (~/.local/share/back-to-the-field/learner.json), kept across kernels and notebooks.

A code is checked when it is entered (a wrong character or two swapped ones are refused, nothing
is saved) and again when it is read back, so a hand-edited file cannot pick some other data.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .. import messages as msg
from ..data.variants import LEARNER_ENV, SHARED_KEY, BadCode, parse_code
from .counts import APP_FOLDER

CODE_FILE = "learner.json"
HUB_ENV = "JUPYTERHUB_USER"
EXAMPLE_CODE = "K7F-29Q"   # the example the notebooks show (not a valid code)

GRADING, HUB, CODE = "grading", "hub", "code"


def code_path() -> Path:
    """~/.local/share/back-to-the-field/learner.json (or under $XDG_DATA_HOME)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_FOLDER / CODE_FILE


def saved_code() -> str | None:
    """The learner code saved on this machine, if there is a valid one."""
    try:
        found = json.loads(code_path().read_text(encoding="utf-8")).get("code")
        return parse_code(found)
    except (OSError, ValueError, AttributeError, BadCode):
        return None


def learner_key() -> tuple[str | None, str | None]:
    """(key, where it came from: "grading", "hub" or "code"), or (None, None) when none is known."""
    for name, source in ((LEARNER_ENV, GRADING), (HUB_ENV, HUB)):
        value = os.environ.get(name, "").strip()
        if value:
            return (None, source) if value == SHARED_KEY else (value, source)
    code = saved_code()
    return (code, CODE) if code else (None, None)


def _save(code: str) -> str | None:
    """Write the code to the learner's data folder; the reason it failed, or None."""
    path = code_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp", encoding="utf-8") as tmp:
            json.dump({"code": code}, tmp)
        os.replace(tmp.name, path)
    except OSError as error:
        return error.strerror or type(error).__name__
    return None


def use_code(code: str = "") -> str | None:
    """Enter the learner code from the trainer's sheet once; every module then loads the learner's own data."""
    from . import _show

    hub_user = os.environ.get(HUB_ENV, "").strip()
    if hub_user:
        _show("info", msg.CODE_ON_HUB.format(user=hub_user))
        return hub_user
    if isinstance(code, str) and not code.strip():
        kept = saved_code()
        if kept:
            _show("ok", msg.CODE_KEPT.format(code=kept))
        else:
            _show("todo", msg.CODE_NONE_YET)
        return kept
    try:
        if isinstance(code, str) and code.strip().upper() == EXAMPLE_CODE:
            raise BadCode(msg.CODE_IS_EXAMPLE.format(code=EXAMPLE_CODE))
        code = parse_code(code)
    except BadCode as problem:
        _show("no", str(problem))
        return None
    why = _save(code)
    if why is None:
        _show("ok", msg.CODE_SAVED.format(code=code))
    else:
        _show("info", msg.CODE_NOT_SAVED.format(code=code, why=why))
    return code
