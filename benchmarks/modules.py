"""Per-module cost for a learner: kernel start, Run All time after the kernel is up, and peak memory.

    python benchmarks/modules.py [--runs 3] [--release]

Runs each source notebook (or, with --release, each learner notebook) in a fresh kernel and prints a
table. Targets: run-all under 10 s after kernel start, kernel peak memory under 300 MB.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

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


def measure(path: Path) -> tuple[float, float, float]:
    """(kernel start seconds, run-all seconds, peak resident MB) for one fresh kernel."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK))
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    with client.setup_kernel():
        client.wait_for_reply(client.kc.kernel_info())
        t1 = time.perf_counter()
        for index, cell in enumerate(nb.cells[:-1]):
            client.execute_cell(cell, index)
        t2 = time.perf_counter()
        client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
    peak_kb = int("".join(o.get("text", "") for o in nb.cells[-1].outputs).strip() or 0)
    return t1 - t0, t2 - t1, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--release", action="store_true", help="measure the learner notebooks in exercises/")
    args = parser.parse_args()
    ensure_tools_on_path()
    base = REPO_ROOT / ("exercises" if args.release else "solutions")
    paths = [base / LANDING] + [base / a / f"{a}.ipynb" for a in source_assignments()]
    print(f"{'notebook':28s} {'kernel start':>12s} {'run all':>9s} {'peak MB':>8s}   (median of {args.runs})")
    for path in paths:
        runs = [measure(path) for _ in range(args.runs)]
        start, run_all, peak = (statistics.median(x) for x in zip(*runs))
        flag = "" if run_all < 10 and peak < 300 else "   <- over target"
        print(f"{path.name:28s} {start:11.2f}s {run_all:8.2f}s {peak:8.0f}{flag}")


if __name__ == "__main__":
    main()
