"""The code scan flags cheating, not words: it reads the parsed code (names, attributes, imports, calls,
assignments and string constants), never comments or parts of identifiers.

`startup_costs = ...`, `my_answers = {...}` or a comment about solutions are honest; importing
`course.questions`, replacing `ip.run_cell` or writing into `~/.ipython/profile_default/startup` is
not. Code that does not parse is not suspicious by itself (the learner's kernel reports the error).
IPython syntax (``%magic``, ``!shell``) is turned into Python first, as the kernel does. Files beside
the notebook in the submission (a ``helper.py`` it imports) are scanned the same way.

The scan only raises a flag for the trainer; the tamper probes (tamper.py) and the judge outside the
kernel decide whether anything actually changed.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

from ..answers import ANSWER_MIME

GRADING = "reaches into the course's grading code"
ANSWER_KEY = "calls the grader's own answer functions"
EXECUTION = "changes how the notebook's code is run"
PERSISTENCE = "writes where other notebooks' kernels would read"
GRADER_FILES = "touches the grader's files"

GRADING_MODULES = ("course.questions", "course.grading", "course.answers", "course.trainer", "nbgrader")
ANSWER_ATTRIBUTES = {"bank", "expected", "expected_plain", "verdict", "plain_answer", "_hand_over", "_answers"}
EXECUTION_ATTRIBUTES = {"set_custom_exc", "input_transformers_post", "input_transformers_cleanup",
                        "input_transformer_manager", "ast_transformers", "register_magic_function",
                        "settrace", "setprofile", "meta_path", "path_hooks", "CustomTB"}
REPLACED_METHODS = {"run_cell", "run_cell_async", "run_code", "run_ast_nodes", "transform_cell", "showtraceback",
                    "_showtraceback", "should_run_async", "do_execute", "execute_request", "send_response",
                    "displayhook", "excepthook", "display_pub", "displayhook_class"}
PERSISTENCE_FOLDERS = {".ipython", ".jupyter", "profile_default", "site-packages", "dist-packages"}
PERSISTENCE_FILES = ("sitecustomize", "usercustomize", "ipython_config", "ipython_kernel_config")
PERSISTENCE_NAMES = {"IPYTHONDIR", "PYTHONSTARTUP", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "PYTHONPATH"}
GRADER_WORDS = ("gradebook", "solutions", "source", "autograded", "submitted", "nbgrader", "feedback", "integrity")
MAX_FILES, MAX_FILE_BYTES = 200, 1_000_000


def _python(source: str) -> str:
    """Cell source as the kernel runs it (magics and shell escapes become calls)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - an unparsable cell is the kernel's business, not a flag
        return source


def _dotted(node: ast.AST) -> str:
    """'a.b.c' for a chain of attributes on a name, '' otherwise."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _is_grading_module(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in GRADING_MODULES)


def _reasons(tree: ast.AST) -> set[str]:
    """The reasons the parsed code gives, by what its nodes mean."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {GRADING for alias in node.names if _is_grading_module(alias.name)}
        elif isinstance(node, ast.ImportFrom) and node.module:
            if _is_grading_module(node.module) or (node.module == "course" and any(
                    _is_grading_module(f"course.{a.name}") for a in node.names)):
                found.add(GRADING)
        elif isinstance(node, ast.Attribute):
            found |= _attribute_reasons(node)
        elif isinstance(node, ast.Name):
            if node.id in ("__builtins__", "ANSWER_MIME"):
                found.add(EXECUTION if node.id == "__builtins__" else GRADING)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            found |= _assignment_reasons(node)
        elif isinstance(node, ast.Call):
            found |= _call_reasons(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found |= _string_reasons(node.value)
    return found


def _attribute_reasons(node: ast.Attribute) -> set[str]:
    """Attributes no exercise needs: the answer key, IPython's machinery, the grading packages."""
    dotted = _dotted(node)
    if _is_grading_module(dotted):
        return {GRADING}
    if node.attr in ANSWER_ATTRIBUTES:
        return {ANSWER_KEY}
    if node.attr in EXECUTION_ATTRIBUTES or (node.attr == "register" and _dotted(node.value).endswith("events")):
        return {EXECUTION}
    return set()


def _assignment_reasons(node) -> set[str]:
    """Replacing IPython's or Python's hooks, or a builtin, by assignment or deletion."""
    targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
    found = set()
    for target in targets:
        if isinstance(target, ast.Attribute):
            owner = _dotted(target.value)
            if target.attr in REPLACED_METHODS or owner in ("builtins", "sys", "__builtins__"):
                found.add(EXECUTION)
        if isinstance(target, ast.Subscript) and _dotted(target.value) in ("__builtins__", "builtins.__dict__"):
            found.add(EXECUTION)
    return found


def _call_reasons(node: ast.Call) -> set[str]:
    """setattr on builtins/sys/the shell, and importing grading modules by name."""
    name = _dotted(node.func)
    args = node.args
    if name in ("setattr", "delattr") and args and _dotted(args[0]) in ("builtins", "sys", "__builtins__"):
        return {EXECUTION}
    if name in ("setattr", "delattr") and len(args) > 1 and isinstance(args[1], ast.Constant) \
            and args[1].value in REPLACED_METHODS:
        return {EXECUTION}
    if name in ("__import__", "importlib.import_module", "import_module") and args \
            and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str) \
            and _is_grading_module(args[0].value):
        return {GRADING}
    return set()


def _string_reasons(text: str) -> set[str]:
    """String constants that name the places other kernels start from, the grader's files or the hand-over."""
    found = set()
    lowered = text.lower()
    if text == ANSWER_MIME:
        found.add(GRADING)
    if lowered.startswith(("http://", "https://", "mailto:")):
        return found
    parts = [p for p in re.split(r"[\\/]+", lowered) if p]
    if (text in PERSISTENCE_NAMES or (len(parts) > 1 and "startup" in parts) or PERSISTENCE_FOLDERS & set(parts)
            or any(p.startswith(PERSISTENCE_FILES) for p in parts) or (lowered.endswith(".pth") and " " not in text)):
        found.add(PERSISTENCE)
    path_like = any(c in text for c in "/\\*")
    if (path_like and any(w in lowered for w in GRADER_WORDS)) or lowered.endswith(".db"):
        found.add(GRADER_FILES)
    return found


def scan_source(source: str) -> list[str]:
    """The reasons one piece of code gives (none when it does not parse)."""
    try:
        tree = ast.parse(_python(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    order = [GRADING, ANSWER_KEY, EXECUTION, PERSISTENCE, GRADER_FILES]
    found = _reasons(tree)
    return [r for r in order if r in found]


def scan_cells(cells) -> list[str]:
    """Plain-words reasons for suspicion found in the code cells a learner could edit."""
    found = []
    for cell in cells:
        if cell.get("cell_type") != "code" or cell.get("metadata", {}).get("nbgrader", {}).get("locked"):
            continue
        found += [r for r in scan_source(cell.get("source", "")) if r not in found]
    return [f"The notebook's own code {reason}." for reason in found]


def scan_folder(folder: Path | str | None) -> list[str]:
    """Reasons found in the Python files handed in beside the notebook (helper.py, lib/x.py ...)."""
    if not folder or not Path(folder).is_dir():
        return []
    flags = []
    files = sorted(p for p in Path(folder).rglob("*") if p.suffix in (".py", ".ipy") and p.is_file()
                   and not p.is_symlink())
    for path in files[:MAX_FILES]:
        try:
            source = path.read_bytes()[:MAX_FILE_BYTES].decode("utf-8", errors="replace")
        except OSError:
            continue
        name = path.relative_to(folder)
        flags += [f"The file {name} handed in beside the notebook {reason}." for reason in scan_source(source)]
    return flags
