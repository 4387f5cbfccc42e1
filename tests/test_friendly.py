"""Friendly errors (course.learner.friendly): the beginner's errors get one line of advice in a real
learner kernel, started as the kit starts it; a bug in the learner's own function keeps its
traceback; other errors keep IPython's display."""
from __future__ import annotations

import ast
import re

import nbformat
import pytest

from course import messages as msg
from course.learner.friendly import SETUP_NAMES, closest, explain_name_error, explain_warning
from course.modules import MODULES
from course.paths import solutions_dir

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def setup_bound_names(nb) -> set[str]:
    """Every name the setup cell binds: assignments and imports."""
    cell = next(c for c in nb.cells if c.cell_type == "code" and "Module(" in c.source)
    names = set()
    for node in ast.walk(ast.parse(cell.source)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.ImportFrom) and node.module == "course.learner":
            names |= {alias.asname or alias.name for alias in node.names}
    return names


@pytest.mark.parametrize("module", MODULES, ids=[m.assignment for m in MODULES])
def test_every_name_a_setup_cell_binds_says_run_the_setup_cell(module):
    """After a restart, each table, the handle and Module name the setup cell (issue 20: `rel`)."""
    nb = nbformat.read(solutions_dir() / module.assignment / module.notebook, as_version=4)
    names = setup_bound_names(nb)
    assert module.handle in names and "Module" in names
    for name in names:
        assert explain_name_error(name) == msg.SETUP_NOT_RUN.format(name=name), name
    assert explain_name_error("my_answer") == msg.NAME_NOT_DEFINED.format(name="my_answer")
    assert names <= SETUP_NAMES
    bound = {module.handle: object()}   # after the setup cell ran, only this module's names count
    assert all(explain_name_error(n, bound) == msg.SETUP_NOT_RUN.format(name=n) for n in names)


def test_a_name_the_bound_module_does_not_set_up_is_not_sent_to_the_setup_cell():
    """Module 3's learner builds `customers` in exercise 1; modules 2 and 6 load a table of that name."""
    from course.modules import get_module

    m3 = get_module("m3_data_disorder")
    assert "customers" not in m3.tables and "customers" in SETUP_NAMES
    assert explain_name_error("customers", {m3.handle: object()}) == msg.NAME_NOT_DEFINED.format(name="customers")
    table = next(iter(m3.tables))
    assert explain_name_error(table, {m3.handle: object()}) == msg.SETUP_NOT_RUN.format(name=table)


def test_closest_label_ignores_capitals_and_spaces_then_spelling():
    columns = ["tool", "annual_cost", "monthly_active_users"]
    assert closest("Tool ", columns) == "tool"
    assert closest("anual_cost", columns) == "annual_cost"
    assert closest("budget", columns) is None


def test_only_chained_assignment_warnings_are_rewritten():
    pandas_errors = pytest.importorskip("pandas.errors")
    chained = getattr(pandas_errors, "ChainedAssignmentError", None) or pandas_errors.SettingWithCopyWarning
    assert explain_warning("A value is being set on a copy", chained) == msg.CHAINED_ASSIGNMENT
    assert explain_warning("ChainedAssignmentError: behaviour will change", FutureWarning) == msg.CHAINED_ASSIGNMENT
    assert explain_warning("plain", UserWarning) is None
    assert explain_warning("Downcasting is deprecated", FutureWarning) is None


# --- in a real kernel ---------------------------------------------------------------------------
def _run_in_learner_kernel(cells: list[str], cwd) -> list:
    """Execute `cells` in a fresh learner kernel (the kit's kernel spec, as course start and the
    hub start it) and return the executed cells."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    from course.kernel import LearnerKernelSpecs

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    km = KernelManager(kernel_name="python3", kernel_spec_manager=LearnerKernelSpecs())
    try:
        NotebookClient(nb, km=km, allow_errors=True, timeout=120,
                       resources={"metadata": {"path": str(cwd)}}).execute()
    finally:  # nbclient leaves a kernel manager it was given running
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    return nb.cells


def _error(cell):
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert len(errors) == 1, cell.outputs
    return errors[0]


def _one_line(cell) -> str:
    """The error the cell shows, asserted to be a single line (and still an error output)."""
    error = _error(cell)
    assert len(error.traceback) == 1, "\n".join(error.traceback)
    line = ANSI.sub("", error.traceback[0])
    assert "\n" not in line and "Traceback" not in line, line
    return line


def _stderr(cell) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr")


@pytest.mark.slow
def test_beginner_errors_get_one_line_in_a_real_kernel(tmp_path):
    from course import data

    stack = data.load("stack_inventory")
    column = next(c for c in stack.columns if c.lower() == c and "_" in c)  # e.g. annual_cost
    number = stack.select_dtypes("integer").columns[0]  # e.g. seats
    typo = column.title()  # Annual_Cost: the capitals a learner types from a heading
    cells = _run_in_learner_kernel([
        'm1.check("shelfware", shelfware_tools)',                               # 0 fresh kernel
        'from course.learner import Module\nm1 = Module("tool_overload")\nstack = m1.load("stack_inventory")',
        f'stack["{typo}"]',                                                     # 2 missing column
        f'stack[["tool", "{typo}"]]',                                           # 3 missing in a list
        f'stack.groupby("capability")["{number}"].sum()',                       # 4 groupby on no column
        f'stack.{typo}',                                                        # 5 attribute, not column
        f'stack[stack["{number}"] > 1 or stack["{number}"] < 0]',               # 6 or between Series
        f'stack["{number}"] >= 3 & stack["{number}"] == 5',                     # 7 & without brackets
        f'if stack["{number}"] > 1:\n    print("big")',                         # 8 if on a Series
        f'before = stack["{number}"].sum()\nstack[stack["{number}"] > 0]["{number}"] = 0',  # 9 chained
        f'bool(stack["{number}"].sum() == before)',                                   # 10 nothing changed
        'answer_i_never_set',                                                   # 11 unknown name
        f'def total(table):\n    return table["{typo}"].sum()\n\ntotal(stack)',  # 12 bug in own function
        '{"a": 1}["b"]',                                                        # 13 a dict's KeyError
        '1 / 0',                                                                # 14 any other error
    ], tmp_path)

    assert _one_line(cells[0]) == "NameError: " + msg.SETUP_NOT_RUN.format(name="m1")
    assert not [o for o in cells[1].outputs if o.output_type == "error"]
    for i in (2, 3):
        line = _one_line(cells[i])
        assert line.startswith("KeyError: ") and repr(typo) in line and f"closest is {column!r}" in line
        assert all(repr(c) in line for c in stack.columns), line
    line = _one_line(cells[4])
    assert "'capability'" in line and all(repr(c) in line for c in stack.columns), line
    line = _one_line(cells[5])
    assert line.startswith("AttributeError: ") and f"table[{column!r}]" in line
    for i in (6, 7, 8):
        assert _one_line(cells[i]) == "ValueError: " + msg.AMBIGUOUS_TRUTH
    assert _stderr(cells[9]).strip() == "\u26a0\ufe0f " + msg.CHAINED_ASSIGNMENT
    assert cells[10].outputs[0].data["text/plain"] == "True"
    assert _one_line(cells[11]) == "NameError: " + msg.NAME_NOT_DEFINED.format(name="answer_i_never_set")

    # the learner's own function: IPython's traceback, down to the line in `total`, then the advice
    deep = _error(cells[12])
    shown = ANSI.sub("", "\n".join(deep.traceback))
    assert deep.ename == "KeyError" and len(deep.traceback) > 3
    assert "total(stack)" in shown and f'return table["{typo}"].sum()' in shown
    assert ANSI.sub("", deep.traceback[-1]).startswith("\U0001f449 ") and f"closest is {column!r}" in deep.traceback[-1]
    # errors that are none of these: IPython's own display, untouched
    for i, ename in ((13, "KeyError"), (14, "ZeroDivisionError")):
        other = _error(cells[i])
        assert other.ename == ename and len(other.traceback) > 1
        assert not any("\U0001f449" in t for t in other.traceback)
