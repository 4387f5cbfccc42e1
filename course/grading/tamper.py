"""Tamper evidence: probe cells run in the learner's kernel before and after its code.

The probes cannot stop a determined cheat from lying about the kernel, but lying takes work that
an honest notebook never does, and the grade itself is decided elsewhere (see judge.py). Checks:

- a canary that must fail (a fresh nonce in an error) fails, and one that must print prints;
- IPython's execution machinery (run_cell and friends, input and AST transformers, event callbacks,
  custom exception handlers, display and exception hooks, builtins, import hooks, tracing) looks the
  same at the end of the notebook as at its start, and nothing of it comes from notebook code;
- every probe ran: a kernel that died or exited early leaves them without output.
"""
from __future__ import annotations

import json
import secrets

import nbformat

PROBE_KEY = "course_probe"
FINGERPRINT_MARK = "COURSE-FINGERPRINT:"

# Self-contained on purpose: it must not call into the kit, which notebook code could have patched.
FINGERPRINT_CODE = r'''
def __course_fingerprint():
    import builtins, json, sys
    ip = get_ipython()
    def origin(obj):
        func = getattr(obj, "__func__", obj)
        code = getattr(func, "__code__", None)
        return [getattr(func, "__module__", None) or "?", code.co_filename if code else "<builtin>"]
    shell = type(ip)
    methods = {name: origin(getattr(ip, name)) for name in (
        "run_cell", "run_cell_async", "run_ast_nodes", "run_code", "showtraceback",
        "_showtraceback", "transform_cell", "should_run_async") if hasattr(ip, name)}
    kernel = getattr(ip, "kernel", None)
    if kernel is not None:
        for name in ("do_execute", "execute_request", "send_response"):
            if hasattr(kernel, name):
                methods["kernel." + name] = origin(getattr(kernel, name))
    events = {ev: sorted(repr(origin(cb)) for cb in cbs) for ev, cbs in ip.events.callbacks.items()}
    mgr = ip.input_transformer_manager
    return {
        "shell": [shell.__module__, shell.__name__],
        "methods": methods,
        "input_transformers_post": [repr(origin(t)) for t in ip.input_transformers_post],
        "cleanup_transforms": [repr(origin(t)) for t in mgr.cleanup_transforms],
        "line_transforms": [repr(origin(t)) for t in mgr.line_transforms],
        "ast_transformers": [type(t).__module__ + "." + type(t).__name__ for t in ip.ast_transformers],
        "events": events,
        "custom_exceptions": [getattr(e, "__name__", repr(e)) + " via " + repr([origin(c.cell_contents)
                              for c in (getattr(ip.CustomTB, "__closure__", None) or []) if callable(c.cell_contents)])
                              for e in ip.custom_exceptions],
        "displayhook": type(sys.displayhook).__module__ + "." + type(sys.displayhook).__name__,
        "excepthook": origin(sys.excepthook),
        "builtins": sorted(k for k, v in vars(builtins).items()
                           if getattr(v, "__module__", "builtins") not in ("builtins", None, "_sitebuiltins",
                                                                             "IPython.core.displayhook")
                           and not k.startswith("__")),
        "meta_path": [str(getattr(f, "__module__", "?")) + "." + str(getattr(f, "__qualname__", type(f).__qualname__))
                      for f in sys.meta_path],
        "trace": [repr(sys.gettrace()), repr(sys.getprofile())],
    }
print("COURSE-FINGERPRINT:" + __import__("json").dumps(__course_fingerprint(), sort_keys=True))
del __course_fingerprint
'''

# Where callbacks and hooks may legitimately come from (libraries the modules use).
TRUSTED_ORIGINS = ("course.learner", "IPython", "ipykernel", "ipywidgets", "comm", "plotly", "anywidget", "matplotlib_inline",
                   "jupyter_client", "traitlets", "pandas", "numpy", "_pydevd", "debugpy", "zmq", "six",
                   "importlib", "_frozen_importlib", "_distutils_hack", "__editable__", "setuptools", "pkg_resources")


def new_probes() -> tuple[list, dict]:
    """Probe cells to put before and after the learner's cells, and what each must produce."""
    nonce = secrets.token_hex(8)
    a, b = secrets.randbelow(9000) + 1000, secrets.randbelow(9000) + 1000
    expect = {"nonce": nonce, "product": str(a * b)}

    def cell(source, role):
        c = nbformat.v4.new_code_cell(source)
        c.metadata[PROBE_KEY] = role
        return c

    first = [cell(FINGERPRINT_CODE, "start")]
    last = [
        cell(FINGERPRINT_CODE, "end"),
        cell(f"print({a} * {b})", "arithmetic"),
        cell(f"raise RuntimeError('course-canary-{nonce}')", "canary"),
    ]
    return first + last, expect


def scan_code(cells) -> list[str]:
    """Plain-words reasons for suspicion found in the code a learner could edit (parsed: see code_scan)."""
    from .code_scan import scan_cells

    return scan_cells(cells)


def _stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def _fingerprint(cell) -> dict | None:
    for line in _stdout(cell).splitlines():
        if line.startswith(FINGERPRINT_MARK):
            try:
                return json.loads(line[len(FINGERPRINT_MARK):])
            except ValueError:
                return None
    return None


def _untrusted(origin_repr: str) -> bool:
    """True for hooks defined by notebook code rather than by a library."""
    return not any(origin_repr.startswith(name) or f"'{name}" in origin_repr for name in TRUSTED_ORIGINS)


def read_probes(probe_cells: dict, expect: dict) -> list[str]:
    """Reasons to distrust the kernel, in plain words (empty when nothing looks changed)."""
    reasons = []
    start, end = probe_cells.get("start"), probe_cells.get("end")
    arithmetic, canary = probe_cells.get("arithmetic"), probe_cells.get("canary")
    if end is None or not end.get("outputs"):
        return ["The kernel died or exited before the end of the notebook (the final checks did not run)."]
    fp_start, fp_end = _fingerprint(start) if start else None, _fingerprint(end)
    if fp_end is None:
        reasons.append("The kernel's final self-description was missing or altered.")
    if arithmetic is not None and _stdout(arithmetic).strip() != expect["product"]:
        reasons.append("A control cell that must print a known number printed something else.")
    errors = [o for o in (canary or {}).get("outputs", []) if o.get("output_type") == "error"]
    if not any(expect["nonce"] in o.get("evalue", "") for o in errors):
        reasons.append("A control cell that must fail did not fail: errors are being hidden.")
    if fp_start and fp_end:
        for key in sorted(set(fp_start) | set(fp_end)):
            if fp_start.get(key) != fp_end.get(key) and not _only_trusted_additions(fp_start.get(key), fp_end.get(key)):
                reasons.append(f"The notebook changed how the kernel runs code ({_describe(key)}).")
    return reasons


def _only_trusted_additions(before, after) -> bool:
    """Libraries (plotly, ipywidgets...) may add their own hooks; notebook code may not."""
    if isinstance(before, dict) and isinstance(after, dict):
        return all(_only_trusted_additions(before.get(k, []), after.get(k, [])) for k in set(before) | set(after))
    if isinstance(before, list) and isinstance(after, list):
        added = [x for x in after if x not in before]
        removed = [x for x in before if x not in after]
        return not removed and all(isinstance(x, str) and not _untrusted(x) for x in added)
    return False


def _describe(key: str) -> str:
    return {
        "methods": "IPython's cell runner was replaced",
        "input_transformers_post": "a cell transformer was added",
        "cleanup_transforms": "a cell transformer was added",
        "line_transforms": "a line transformer was added",
        "ast_transformers": "a code transformer was added",
        "events": "an execution hook was added",
        "custom_exceptions": "errors are being intercepted",
        "displayhook": "the display hook was replaced",
        "excepthook": "the exception hook was replaced",
        "builtins": "a built-in function was replaced",
        "meta_path": "an import hook was added",
        "trace": "a tracing function was installed",
        "shell": "the IPython shell was replaced",
    }.get(key, key)
