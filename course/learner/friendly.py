"""Friendly errors for the errors beginners make: one plain sentence instead of a traceback wall.

The learner's kernel loads this as an IPython extension when it starts (``course.kernel``: the
kernel spec ``course start`` and the hub use), so a check run before the setup cell is explained
even in a fresh kernel; ``Module(...)`` installs it too, for kernels started any other way.

One registry, :data:`EXPLAIN`: an exception type and the function that turns such an error into
advice (or None, when the error is not one of the beginner's errors it knows). The rules:

* an error the notebook's own cell code ran into gets one line: the error's name and the advice;
* an error raised inside a function the learner defined in the notebook (a traceback deeper than
  the cell) is a real bug: IPython's full traceback, with the advice as its last line;
* every other error keeps IPython's normal display, and nothing here may hide an error.

pandas' chained-assignment warning (``df[mask]["col"] = value``, which changes nothing) becomes one
sentence too (:func:`explain_warning`).
"""
from __future__ import annotations

import difflib
import re
import sys
import traceback
import warnings

from .. import messages as msg
from ..modules import MODULES

# Names the setup cell of some module binds: its handle (m0..m6), the Module class, every table.
SETUP_NAMES = frozenset({"Module"} | {m.handle for m in MODULES} | {n for m in MODULES for n in m.tables})
# Libraries whose own frames may sit between the learner's cell and a beginner's error.
DATA_LIBRARIES = ("pandas", "numpy")
MAX_LABELS = 15
CHAINED_WARNINGS = ("ChainedAssignmentError", "SettingWithCopyWarning")


# --- what a traceback says about where the error happened ---------------------------------------
class Where:
    """The frames of a traceback, split into the notebook's code and what it called."""

    def __init__(self, shell, tb):
        frames = [frame for frame, _ in traceback.walk_tb(tb)]
        notebook = getattr(shell, "user_global_ns", None)
        self.namespace = notebook if isinstance(notebook, dict) else {}
        mine = [i for i, f in enumerate(frames) if notebook is not None and f.f_globals is notebook]
        self.cell_frames = [frames[i] for i in mine]
        self.called = frames[mine[-1] + 1:] if mine else []

    @property
    def in_cell(self) -> bool:
        """The error comes from the cell's code or what it called directly (not from kit code)."""
        return bool(self.cell_frames) and all(_module(f).startswith(DATA_LIBRARIES) for f in self.called)

    @property
    def raised_in_cell(self) -> bool:
        """The error was raised by the notebook's own code, not inside a library."""
        return bool(self.cell_frames) and not self.called

    @property
    def in_own_function(self) -> bool:
        """A function the learner defined in the notebook is on the way (lambdas and comprehensions are not)."""
        return any(not f.f_code.co_name.startswith("<") for f in self.cell_frames)


def _module(frame) -> str:
    """The module a frame's code belongs to ('pandas.core.frame', '__main__', ...)."""
    return str(frame.f_globals.get("__name__", ""))


# --- the explanations ---------------------------------------------------------------------------
def setup_names(namespace: dict | None = None) -> frozenset:
    """The names a setup cell binds: the module whose handle this kernel has (m3's `customers` is the
    learner's own work, m2's is a table), else those of every module (a fresh kernel)."""
    bound = [m for m in MODULES if namespace and m.handle in namespace]
    if not bound:
        return SETUP_NAMES
    return frozenset({"Module"} | {m.handle for m in bound} | {n for m in bound for n in m.tables})


def explain_name_error(name: str, namespace: dict | None = None) -> str:
    """What to run when `name` is not defined."""
    if name in setup_names(namespace):
        return msg.SETUP_NOT_RUN.format(name=name)
    return msg.NAME_NOT_DEFINED.format(name=name)


def _name_error(error: NameError, where: Where) -> str | None:
    name = getattr(error, "name", None)
    if not name:
        found = re.search(r"name '([^']+)' is not defined", str(error))
        name = found.group(1) if found else None
    return explain_name_error(name, where.namespace) if name and where.raised_in_cell else None


def closest(name, labels) -> str | None:
    """The label a mistyped `name` most likely meant: same letters ignoring capitals and spaces,
    else the nearest by difflib."""
    texts = [str(label) for label in labels]
    folded = {t.strip().lower(): t for t in texts}
    key = str(name).strip().lower()
    if key in folded:
        return folded[key]
    near = difflib.get_close_matches(str(name), texts, n=1, cutoff=0.6)
    return near[0] if near else None


def _listed(labels) -> str:
    """Labels as a learner would type them, the first MAX_LABELS of them."""
    shown = ", ".join(repr(label) if isinstance(label, str) else str(label) for label in labels[:MAX_LABELS])
    return shown if len(labels) <= MAX_LABELS else f"{shown}, ... ({len(labels)} in all)"


def _searched(where: Where):
    """(labels, what they are) of the pandas object a failed lookup searched: 'column' for a
    table's columns, 'row' for a table's index, 'label' for a Series' index; None if unknown."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return None
    index = None
    for frame in reversed(where.called):
        for value in (frame.f_locals.get("self"), frame.f_locals.get("obj")):
            if type(value).__name__.endswith("Indexer"):  # .loc / .iloc hold their table
                value = value.obj
            if isinstance(value, pd.Index) and index is None:
                index = value
            elif isinstance(value, pd.DataFrame):
                if index is not None and value.index is index:
                    return list(index), "row"
                return list(value.columns), "column"
            elif isinstance(value, pd.Series):
                return list(value.index), "label"
    return (list(index), "label") if index is not None else None


def _missing(error: KeyError, labels: list) -> list:
    """The keys of a failed lookup that are not among `labels`."""
    key = error.args[0] if error.args else None
    if isinstance(key, str) and re.search(r"not in index|None of \[", key):
        return [found for found in re.findall(r"'([^']*)'", key) if found not in labels]
    try:
        return [key] if key not in labels else []
    except TypeError:  # an unhashable key: nothing to name
        return []


def _missing_label(error: KeyError, where: Where) -> str | None:
    searched = _searched(where) if where.in_cell else None
    if searched is None:
        return None
    labels, what = searched
    missing = _missing(error, labels)
    if not missing:
        return None
    name = missing[0]
    near = closest(name, labels)
    hint = msg.CLOSEST.format(label=repr(near)) if near is not None else ""
    template = {"column": msg.MISSING_COLUMN, "row": msg.MISSING_ROW}.get(what, msg.MISSING_LABEL)
    return template.format(name=repr(name), closest=hint, labels=_listed(labels))


def _missing_attribute(error: AttributeError, where: Where) -> str | None:
    pd = sys.modules.get("pandas")
    table, name = getattr(error, "obj", None), getattr(error, "name", None)
    if pd is None or not where.in_cell or not isinstance(table, pd.DataFrame) or not name:
        return None
    near = closest(name, list(table.columns))
    return msg.ATTRIBUTE_NOT_COLUMN.format(name=name, label=repr(near)) if near is not None else None


def _ambiguous_truth(error: ValueError, where: Where) -> str | None:
    ambiguous = re.match(r"The truth value of an? .* is ambiguous", str(error))
    return msg.AMBIGUOUS_TRUTH if ambiguous and where.in_cell else None


# `a & s == "x"` with a text column `s`: Python runs `a & s` first, and pandas cannot and-combine text;
# pandas 3 only warns for it on some columns.
TEXT_IN_AND_OR = "operations between boolean dtype and str are deprecated"


def _comparison_without_parentheses(error: TypeError, where: Where) -> str | None:
    """`a == 1 & b <= 2`: `&` and `|` bind before comparisons, so pandas is asked to & a column with a value."""
    found = re.search(r"Cannot perform '(r?and_|r?or_)' with a dtyped|unsupported operand type\(s\) for [&|]",
                      str(error))
    return msg.COMPARISON_WITHOUT_PARENTHESES if found and where.in_cell else None


EXPLAIN = {
    NameError: _name_error,
    KeyError: _missing_label,
    AttributeError: _missing_attribute,
    ValueError: _ambiguous_truth,
    TypeError: _comparison_without_parentheses,
}


def advice_for(error: BaseException, where: Where) -> str | None:
    """The one sentence that explains `error`, or None to keep IPython's own display."""
    for kind, explain in EXPLAIN.items():
        if isinstance(error, kind):
            try:
                return explain(error, where)
            except Exception:  # an explanation must never hide the error itself
                return None
    return None


def explain_warning(message, category) -> str | None:
    """One sentence for pandas' chained-assignment and text-in-`&` warnings; None for every other warning."""
    name, module = getattr(category, "__name__", ""), getattr(category, "__module__", "")
    if name in CHAINED_WARNINGS and module.startswith("pandas"):
        return msg.CHAINED_ASSIGNMENT
    if issubclass(category, FutureWarning) and "ChainedAssignmentError" in str(message):
        return msg.CHAINED_ASSIGNMENT
    if module.startswith("pandas") and TEXT_IN_AND_OR in str(message):
        return msg.COMPARISON_WITHOUT_PARENTHESES
    return None


# --- wiring into IPython ------------------------------------------------------------------------
def _standard(shell, etype, evalue, tb, tb_offset) -> list[str]:
    """IPython's own traceback for this error (honouring an exception's _render_traceback_)."""
    if hasattr(evalue, "_render_traceback_"):
        try:
            return evalue._render_traceback_()
        except Exception:
            pass
    return shell.InteractiveTB.structured_traceback(etype, evalue, tb, tb_offset=tb_offset)


def _handler(shell, etype, evalue, tb, tb_offset=None):
    """Show the error as one line of advice, or as IPython would (still as an error, so checks
    and graders see the cell failed)."""
    sys.last_type, sys.last_value, sys.last_traceback = etype, evalue, tb  # %debug and %tb still work
    where = Where(shell, tb)
    advice = advice_for(evalue, where)
    if advice is not None and not where.in_own_function:
        stb = [f"\x1b[0;31m{etype.__name__}\x1b[0m: {advice}"]
    else:
        stb = list(_standard(shell, etype, evalue, tb, tb_offset))
        if advice is not None:
            stb.append(f"\U0001f449 {advice}")
    shell._showtraceback(etype, evalue, stb)
    return stb


def _run_number() -> int | None:
    """The running cell's execution count (None outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return getattr(shell, "execution_count", None)


def _friendly_showwarning(original):
    """warnings.showwarning that says one sentence for the warnings explain_warning knows (once per cell run)."""
    said = set()

    def showwarning(message, category, filename, lineno, file=None, line=None):
        advice = explain_warning(message, category)
        if advice is None:
            return original(message, category, filename, lineno, file, line)
        if (advice, _run_number()) in said:  # a loop repeats the warning: one sentence is enough
            return
        said.add((advice, _run_number()))
        print(f"\u26a0\ufe0f {advice}", file=file or sys.stderr)
    showwarning.course_friendly = True
    return showwarning


def install(shell=None) -> None:
    """Register the friendly handlers on the running IPython shell (no-op outside IPython; once)."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
    if shell is None:
        return
    if tuple(shell.custom_exceptions) != tuple(EXPLAIN):
        shell.set_custom_exc(tuple(EXPLAIN), _handler)
    if not getattr(warnings.showwarning, "course_friendly", False):
        warnings.showwarning = _friendly_showwarning(warnings.showwarning)


def load_ipython_extension(shell) -> None:
    """`%load_ext course.learner.friendly`, and the learner kernel's `--ext`."""
    install(shell)
