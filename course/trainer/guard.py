"""Checks every trainer command makes before it does anything: is this a course folder, which modules.

A folder is a course folder when it holds an `nbgrader_config.py` (the kit's repository and every
folder `course workshop` prepares), a `gradebook.db`, or a module's source or release folder
(`source/<module>/`, `release/<module>/`, or the repository's `solutions/` and `exercises/`). Anything
else, such as the system's temporary folder, is refused in one sentence before a file is written.

Module arguments accept a number (`1`), a handle (`m1`), a slug (`tool_overload`) or the full name
(`m1_tool_overload`); a near miss gets "did you mean".
"""
from __future__ import annotations

import difflib
from pathlib import Path

from ..errors import CourseError
from ..modules import MODULES, get_module
from . import wording as say

_MODULE_FOLDERS = ("source", "release", "solutions", "exercises")


def is_course_folder(root: Path) -> bool:
    """Whether `root` looks like a course folder (see the module docstring for what counts)."""
    root = Path(root)
    if (root / "nbgrader_config.py").is_file() or (root / "gradebook.db").is_file():
        return True
    return any((root / top / m.assignment).is_dir() for top in _MODULE_FOLDERS for m in MODULES)


def require_course_folder(root: Path) -> Path:
    """The resolved folder, or a CourseError that names it and says what to do."""
    root = Path(root).resolve()
    if not root.is_dir() or not is_course_folder(root):
        raise CourseError(say.NOT_A_COURSE.format(root=root))
    return root


def _names() -> list[str]:
    """Every way of naming a module, for "did you mean"."""
    return [name for m in MODULES for name in (m.assignment, m.handle, m.slug)]


def module_name(name: str) -> str:
    """The assignment name for '1', 'm1', 'tool_overload' or 'm1_tool_overload' (any case)."""
    key = str(name).strip().lower()
    try:
        return get_module(key).assignment
    except CourseError:
        guesses = difflib.get_close_matches(key, _names(), n=1, cutoff=0.6)
        guess = get_module(guesses[0]).assignment if guesses else ""
        hint = say.DID_YOU_MEAN.format(guess=guess) if guess else ""
        raise CourseError(say.NOT_A_MODULE.format(name=str(name), hint=hint,
                                                  known=", ".join(m.assignment for m in MODULES))) from None


def resolve_modules(names: list[str] | None, available: list[str], root: Path) -> list[str] | None:
    """The assignments named on the command line, each checked against the course (None: all of them)."""
    if not names:
        return None
    chosen = []
    for name in names:
        assignment = module_name(name)
        if assignment not in available:
            raise CourseError(say.NOT_IN_COURSE.format(module=assignment, root=root,
                                                       known=", ".join(available) or "none"))
        if assignment not in chosen:
            chosen.append(assignment)
    return chosen
