"""Imports in course/ point one way: every file is parsed (no import runs) and each kit import it makes,
at the top or inside a function, must go to its own layer or one below.

    base (errors, paths, keys, measures, messages, answers, modules, sources) -> data -> checks
    -> questions -> learner side (learner, sims, setup_check, kernel) -> grading -> trainer -> cli

Two rules cut across the chain: the learner side never imports the answer key (course.questions),
and nothing above it imports the learner side, so the judge, the trainer's tools and the cli never
run the learner kernel's start-up trick (course/sims/__init__.py) and nbgrader's process stays light.
"""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

COURSE = Path(__file__).resolve().parents[1] / "course"

LAYERS: list[set[str]] = [
    {"course", "errors", "paths", "keys", "measures", "messages", "answers", "modules", "sources"},
    {"data"},
    {"checks"},
    {"questions"},
    {"learner", "sims", "setup_check", "kernel"},
    {"grading", "nbgrader_course"},
    {"trainer", "pipeline", "landing"},
    {"cli", "launch", "workshop", "jupyter_laptop", "jupyter_settings"},
]
RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}
LEARNER_SIDE = LAYERS[4]
# The bottom of the base: these import nothing else from the kit.
LEAVES = {"errors", "paths", "keys", "measures"}


def unit_of(module: str) -> str:
    """The part of the kit a dotted module name belongs to: course.data.cards -> data."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "course"


def module_of(path: Path) -> tuple[str, str]:
    """(the file's dotted module name, the package its relative imports start from)."""
    parts = list(path.relative_to(COURSE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
        return ".".join(parts), ".".join(parts)
    return ".".join(parts), ".".join(parts[:-1])


def imported(path: Path, source: str) -> list[tuple[int, str]]:
    """(line, dotted name) of every course module the source imports, relative imports resolved."""
    _, package = module_of(path)
    found = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            # `from course import paths` imports the module course.paths, not the package course.
            found += [(node.lineno, f"{origin}.{alias.name}" if _is_module(f"{origin}.{alias.name}") else origin)
                      for alias in node.names]
    return [(line, name) for line, name in found if name == "course" or name.startswith("course.")]


def _is_module(dotted: str) -> bool:
    """True when a dotted course name is a file or a package of the kit."""
    if not dotted.startswith("course."):
        return False
    path = COURSE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def violations(path: Path, source: str) -> list[str]:
    """Every import of this file that runs against the layers, one line each (empty when none)."""
    name, _ = module_of(path)
    here = unit_of(name)
    if here not in RANK:
        return [f"{name}: course/{here} has no layer in tests/test_layers.py (place it)"]
    wrong = []
    for line, target in imported(path, source):
        there = unit_of(target)
        if there == here:
            continue
        why = None
        if there not in RANK:
            why = f"course/{there} has no layer"
        elif here in LEAVES:
            why = f"course/{here} is a leaf of the base and imports nothing else from the kit"
        elif RANK[there] > RANK[here]:
            why = "imports upward"
        elif here in LEARNER_SIDE and there == "questions":
            why = "the learner side never imports the answer key"
        elif RANK[here] > RANK["learner"] and there in LEARNER_SIDE:
            why = "the trusted side never imports the learner side"
        if why:
            wrong.append(f"{name}:{line} imports {target}: {why}")
    return wrong


def test_every_import_in_course_points_down():
    files = sorted(COURSE.rglob("*.py"))
    assert len(files) > 100, "the walk found the package's files"
    wrong = [w for path in files for w in violations(path, path.read_text(encoding="utf-8"))]
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("where, source, expected", [
    ("data/made_up.py", "from ..trainer import cli\n", "imports upward"),
    ("data/made_up.py", "def f():\n    import course.grading.judge\n", "imports upward"),
    ("measures/made_up.py", "from ..messages import X\n", "imports nothing else"),
    ("sims/made_up.py", "from course.questions import tool_overload\n", "never imports the answer key"),
    ("learner/made_up.py", "from ..questions.compile import build\n", "never imports the answer key"),
    ("grading/made_up.py", "from ..sims.widgets import explorer\n", "never imports the learner side"),
    ("trainer/made_up.py", "from course import setup_check\n", "never imports the learner side"),
    ("made_up.py", "from . import paths\n", "has no layer"),
])
def test_the_layer_check_catches_an_import_against_the_layers(where, source, expected):
    wrong = violations(COURSE / where, source)
    assert len(wrong) == 1 and expected in wrong[0], wrong


def test_the_layer_check_lets_a_downward_import_through():
    assert violations(COURSE / "trainer" / "made_up.py", "from ..grading import judge\nfrom .. import data\n") == []
    assert violations(COURSE / "sims" / "made_up.py", "from ..learner import _show\nfrom ..measures import nps\n") == []


PROBE = "import sys, importlib\nfor m in sys.argv[1:]: importlib.import_module(m)\nprint(sys.modules.get('rfc3987_syntax', 'free') is None)"


def _blocks_uri_grammar(*modules: str) -> bool:
    """Whether a fresh Python that imports these modules has rfc3987_syntax blocked (the kernel trick)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    out = subprocess.run([sys.executable, "-c", PROBE, *modules], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip().splitlines()[-1] == "True"


def test_the_start_up_trick_runs_in_learner_kernels_only():
    assert _blocks_uri_grammar("course.sims.tool_overload"), "a notebook's simulations keep the 2.5 s saving"
    assert not _blocks_uri_grammar("course.cli", "course.trainer.cli", "course.grading.preprocessors",
                                   "course.grading.judge", "course.grading.feedback_html")
