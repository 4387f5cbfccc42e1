"""Per-module cost for a learner: kernel start, Run All time after the kernel is up, and peak memory.

    python benchmarks/modules.py [--runs 3] [--release] [--plain-kernel] [--only m1_tool_overload]

Runs each source notebook (or, with --release, each learner notebook) in a fresh kernel and prints a
table; "slowest cell" is where one-off costs land (the first figure pays for plotly's imports). Targets: run-all under 10 s after kernel start, kernel peak memory under 300 MB. The kernel is
the learner's (course.kernel: friendly errors loaded at start, as `course start` and the hub run it);
--plain-kernel uses Jupyter's own python3 kernel instead, to see what the learner's kernel costs.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from course.kernel import LearnerKernelSpecs
from course.nbgrader_course import ensure_tools_on_path
from course.pipeline import LANDING, source_assignments
from course.paths import REPO_ROOT

# The kernel's own high-water mark (VmHWM, kB). Not getrusage's ru_maxrss: on Linux that survives
# fork + exec, so a kernel would report this benchmark's own resident size when that is larger.
PEAK = ("import resource\n"
        "try:\n"
        "    print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')))\n"
        "except OSError:\n"
        "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")


def measure(path: Path, specs: type[KernelSpecManager] = LearnerKernelSpecs) -> tuple[float, float, float, float]:
    """(kernel start seconds, run-all seconds, peak resident MB, slowest cell seconds) for one fresh kernel."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK))
    km = KernelManager(kernel_name="python3", kernel_spec_manager=specs())
    client = NotebookClient(nb, km=km, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    try:
        with client.setup_kernel():
            client.wait_for_reply(client.kc.kernel_info())
            t1 = time.perf_counter()
            slowest = 0.0
            for index, cell in enumerate(nb.cells[:-1]):
                before = time.perf_counter()
                client.execute_cell(cell, index)
                slowest = max(slowest, time.perf_counter() - before)
            t2 = time.perf_counter()
            client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
    finally:  # nbclient leaves a kernel manager it was given running
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    peak_kb = int("".join(o.get("text", "") for o in nb.cells[-1].outputs).strip() or 0)
    return t1 - t0, t2 - t1, peak_kb / 1024, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--release", action="store_true", help="measure the learner notebooks in exercises/")
    parser.add_argument("--plain-kernel", action="store_true", help="Jupyter's python3 kernel, not the learner's")
    parser.add_argument("--only", action="append", default=[], help="notebook names containing this (repeatable)")
    args = parser.parse_args()
    specs = KernelSpecManager if args.plain_kernel else LearnerKernelSpecs
    ensure_tools_on_path()
    base = REPO_ROOT / ("exercises" if args.release else "solutions")
    paths = [base / LANDING] + [base / a / f"{a}.ipynb" for a in source_assignments()]
    paths = [p for p in paths if not args.only or any(word in p.name for word in args.only)]
    print(f"{'notebook':28s} {'kernel start':>12s} {'run all':>9s} {'peak MB':>8s} {'slowest cell':>12s}"
          f"   (median of {args.runs})")
    for path in paths:
        runs = [measure(path, specs) for _ in range(args.runs)]
        start, run_all, peak, slowest = (statistics.median(x) for x in zip(*runs))
        flag = "" if run_all < 10 and peak < 300 else "   <- over target"
        print(f"{path.name:28s} {start:11.2f}s {run_all:8.2f}s {peak:8.0f} {slowest:11.2f}s{flag}")


if __name__ == "__main__":
    main()
