"""The learner's side holds no answer key, and its checks still work: from the check file alone.

- statically: no learner-side module imports course.questions;
- for real: in a process where course.questions cannot be imported at all, every learner-side
  module imports, a check says "Correct." and nothing the process holds computes an expectation;
- the learner distribution (a wheel) leaves course/questions out;
- tries are counted across kernel restarts, a missing or stale check file is one plain sentence,
  and while nbgrader runs the notebook a check hands the answer over and raises NotYetRight.
"""
from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from pathlib import Path

import pytest

from course import answers
from course import learner as learner_side
from course import messages as msg
from course.data import data_fingerprint, read_manifest
from course.errors import NotYetRight
from course.paths import MANIFEST, PACKAGE_DIR, REPO_ROOT
from course.questions import bank_for

from conftest import notebook_data

LEARNER_SIDE = ["learner", "sims", "data", "checks", "measures"]
LEARNER_FILES = ["answers.py", "errors.py", "messages.py", "modules.py", "paths.py", "__init__.py"]
KEY = "course.questions"


def learner_side_files() -> list[Path]:
    files = [PACKAGE_DIR / name for name in LEARNER_FILES]
    for package in LEARNER_SIDE:
        files += sorted((PACKAGE_DIR / package).rglob("*.py")) if (PACKAGE_DIR / package).is_dir() else []
    return files


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved (`from .. import questions` included)."""
    package = ".".join(("course",) + path.relative_to(PACKAGE_DIR).parent.parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found |= {module} | {f"{module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(KEY):
            found.add(node.value)   # importlib.import_module("course.questions...")
    return found


def test_no_learner_side_module_imports_the_answer_key():
    files = learner_side_files()
    assert len(files) > 20
    offenders = {str(p.relative_to(REPO_ROOT)): sorted(m for m in imported_modules(p) if m.startswith(KEY))
                 for p in files}
    assert not {p: m for p, m in offenders.items() if m}


def test_the_import_scan_sees_every_way_of_importing_the_key(tmp_path):
    probe = PACKAGE_DIR / "sims" / "_probe_for_test.py"   # resolved as a file of course.sims
    cases = ["from ..questions import bank_for", "from .. import questions", "import course.questions.capstone",
             "from course import questions", "x = __import__('importlib').import_module('course.questions')"]
    try:
        for case in cases:
            probe.write_text(case + "\n")
            assert any(m.startswith(KEY) for m in imported_modules(probe)), case
    finally:
        probe.unlink(missing_ok=True)


BLOCKED = textwrap.dedent('''
    import gc, json, sys
    class NoKey:
        def find_spec(self, name, path=None, target=None):
            if name == "course.questions" or name.startswith("course.questions."):
                raise ImportError("the answer key is not installed here")
    sys.meta_path.insert(0, NoKey())
    import importlib, pkgutil
    import course, course.learner, course.checks, course.answers, course.data
    for info in pkgutil.iter_modules(course.__path__):
        if info.name in ("sims", "learner", "checks", "data", "measures"):
            package = importlib.import_module("course." + info.name)
            for sub in pkgutil.iter_modules(package.__path__):
                importlib.import_module(f"course.{info.name}.{sub.name}")
    shown = []
    course.learner._show = lambda box, text, record=None, variant=None: shown.append(box)
    m0 = course.learner.Module("orientation", quiet=True)
    stack = m0.load("stack_inventory")
    m0.check("n_tools", len(stack))
    m0.check("most_expensive_tool", stack.loc[stack["annual_cost"].idxmax(), "tool"])
    m0.check("median_cost", stack["annual_cost"].mean())
    try:
        from course import questions
        reached = "imported"
    except ImportError:
        reached = "refused"
    def from_key(o):
        names = (getattr(type(o), "__module__", None), getattr(o, "__module__", None) if callable(o) else None)
        return any(isinstance(n, str) and n.startswith("course.questions") for n in names)
    key_objects = [repr(o)[:80] for o in gc.get_objects() if from_key(o)]
    print(json.dumps({"shown": shown, "key_import": reached, "key_objects": key_objects,
                      "loaded": sorted(m for m in sys.modules if m.startswith("course.questions")),
                      "attributes": [a for a in ("bank", "data", "judge") if hasattr(m0, a)]}))
''')


def test_the_learner_side_works_where_the_answer_key_cannot_be_imported(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    out = subprocess.run([sys.executable, "-c", BLOCKED], capture_output=True, text=True, cwd=tmp_path, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["shown"] == ["ok", "ok", "no"]
    assert result["key_import"] == "refused" and result["loaded"] == [] and result["key_objects"] == []
    assert result["attributes"] == []


def test_the_learner_distribution_is_declared_without_the_answer_key():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    find = project["tool"]["setuptools"]["packages"]["find"]
    assert KEY in find["exclude"] and f"{KEY}.*" in find["exclude"]
    assert project["tool"]["setuptools"]["include-package-data"] is False


@pytest.mark.slow
def test_the_learner_wheel_has_no_answer_key(tmp_path):
    source = tmp_path / "src"   # a clean copy: no egg-info, no build folder, no caches
    shutil.copytree(REPO_ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "*.egg-info", "build", "__pycache__", "datasets", "solutions", "exercises", "tests"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "wheel"), str(source)],
                   check=True, capture_output=True, timeout=600)
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "course/checks/verdict.py" in names and "course/learner/__init__.py" in names
    assert not [n for n in names if n.startswith("course/questions")]
    assert (PACKAGE_DIR / "questions" / "__init__.py").exists()  # the editable install keeps the key


# --- the learner's module handle -----------------------------------------------------------------------

class Captured:
    """Check boxes and hand-overs, captured instead of displayed."""

    def __init__(self, monkeypatch):
        import IPython.display

        self.boxes, self.handed = [], []
        monkeypatch.setattr(learner_side, "_show", lambda box, text, record=None, variant=None: self.boxes.append((box, text, record)))
        monkeypatch.setattr(IPython.display, "display", lambda bundle, raw=False: self.handed.append(bundle))


@pytest.fixture
def captured(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_DATASETS", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    return Captured(monkeypatch)


def test_tries_are_counted_across_kernel_restarts_and_not_by_rerunning(captured):
    counts = []
    for answer in (1, 2, 2, 3):
        learner_side.Module("orientation", quiet=True).check("n_tools", answer)   # a new kernel each time
        counts.append(captured.boxes[-1][2]["checks"])
    assert counts == [1, 2, 2, 3]


def test_while_nbgrader_runs_a_check_hands_over_and_raises_when_wrong(captured, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    m0 = learner_side.Module("orientation", quiet=True)
    n_tools = bank_for("orientation").get("n_tools").expected(notebook_data("retail", 2024))
    m0.check("n_tools", n_tools)
    with pytest.raises(NotYetRight):
        m0.check("n_tools", n_tools + 1)
    with pytest.raises(NotYetRight, match="Not answered yet"):
        m0.check("n_tools", None)
    handed = [b[answers.ANSWER_MIME] for b in captured.handed if answers.ANSWER_MIME in b]
    assert [h["answer"] for h in handed] == [n_tools, n_tools + 1, None]
    assert not (Path(learner_side.counts.counts_path())).exists()  # grading never writes the learner's counts


def test_an_oversized_answer_is_refused_against_the_size_of_the_data(captured):
    stack = learner_side.Module("tool_overload", quiet=True)
    names = [f"tool {i}" for i in range(120_000)]
    stack.check("shelfware", names)
    box, text, _ = captured.boxes[-1]
    tools = len(notebook_data("retail", 2024)["stack_inventory"]["tool"].unique())
    assert box == "no" and text == msg.ANSWER_TOO_BIG.format(
        qid="shelfware", why=f"it has 120,000 tool names, but the data has only {tools:,}")


def _copy_datasets(tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "datasets", folder)
    return folder


def test_a_missing_check_file_is_one_sentence_and_scores_zero_while_grading(captured, monkeypatch, tmp_path):
    folder = _copy_datasets(tmp_path)
    shutil.rmtree(folder / "checks")
    monkeypatch.setenv("COURSE_DATASETS", str(folder))
    m1 = learner_side.Module("tool_overload", quiet=True)
    m1.check("shelfware", ["A"])
    assert captured.boxes[-1][:2] == ("info", msg.CHECKS_MISSING.format(folder=folder))
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(NotYetRight, match="course data build"):
        learner_side.Module("tool_overload", quiet=True).check("shelfware", ["A"])


def test_a_check_file_built_for_other_data_says_what_to_run(captured, monkeypatch, tmp_path):
    folder = _copy_datasets(tmp_path)
    manifest = read_manifest(folder)
    manifest["files"]["stack_inventory.csv"] = "0" * 64     # as if the data had been rebuilt since
    (folder / MANIFEST).write_text(json.dumps(manifest))
    assert data_fingerprint(manifest, ("stack_inventory",)) != data_fingerprint(read_manifest(REPO_ROOT / "datasets"),
                                                                                ("stack_inventory",))
    monkeypatch.setenv("COURSE_DATASETS", str(folder))
    learner_side.Module("orientation", quiet=True).check("n_tools", 3)
    assert captured.boxes[-1][:2] == ("info", msg.CHECKS_OTHER_DATA.format(folder=folder))
