"""The module manifest (course.modules) against the notebooks: each setup cell binds exactly its
module's handle and tables, as MODULES declares them."""
from __future__ import annotations

import ast

import nbformat
import pytest

from course import data
from course.modules import MODULES, get_module
from course.paths import exercises_dir, solutions_dir

NOTEBOOKS = [(folder, m) for m in MODULES for folder in (solutions_dir(), exercises_dir())
             if (folder / m.assignment / m.notebook).exists()]


def setup_cell(nb) -> ast.Module:
    """The parsed code cell that makes the module handle (calls `Module(...)`)."""
    found = [ast.parse(c.source) for c in nb.cells if c.cell_type == "code" and "Module(" in c.source]
    assert len(found) == 1, f"expected one setup cell calling Module(...), found {len(found)}"
    return found[0]


def bindings(tree: ast.Module) -> list[tuple[str, ast.expr]]:
    """(name, value) of every plain assignment in the cell, in order."""
    out = []
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names = [target] if isinstance(target, ast.Name) else list(ast.walk(target))
                out += [(n.id, node.value) for n in names if isinstance(n, ast.Name)]
    return out


def call_of(value: ast.expr) -> tuple[str, str, list]:
    """(object or '', function name, literal arguments) of a call like `m1.load("x")`."""
    assert isinstance(value, ast.Call), ast.unparse(value)
    func = value.func
    owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return owner, name, [ast.literal_eval(a) for a in value.args]


@pytest.mark.parametrize("folder,module", NOTEBOOKS,
                         ids=[f"{f.name}-{m.assignment}" for f, m in NOTEBOOKS])
def test_setup_cell_binds_exactly_the_module_tables(folder, module):
    nb = nbformat.read(folder / module.assignment / module.notebook, as_version=4)
    bound = bindings(setup_cell(nb))
    handle_name, handle_call = bound[0]
    assert handle_name == module.handle, f"the setup cell first binds {handle_name!r}, not {module.handle!r}"
    _, function, args = call_of(handle_call)
    assert function == "Module" and get_module(args[0]) == module, ast.unparse(handle_call)
    tables = {}
    for name, value in bound[1:]:
        owner, function, args = call_of(value)
        assert (owner, function) == (module.handle, "load"), f"{name} = {ast.unparse(value)}"
        tables[name] = args[0]
    assert list(tables.items()) == list(module.tables.items())


def test_every_table_is_a_dataset_the_kit_builds():
    for module in MODULES:
        assert module.tables, module.slug
        unknown = [d for d in module.datasets if d not in data.DATASETS]
        assert unknown == [], f"{module.slug} loads datasets the kit does not build: {unknown}"
