"""Mean start+execute time of a one-cell notebook: plain nbgrader Execute vs the kit's GuardedExecute.

Run from the repository root:  python benchmarks/sandbox_overhead.py [runs]
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"

from nbformat.v4 import new_code_cell, new_notebook  # noqa: E402
from nbgrader.preprocessors import Execute  # noqa: E402
from traitlets.config import Config  # noqa: E402

from course.grading.sandbox import GuardedExecute, bwrap_status  # noqa: E402


def one_run(make_executor, workdir: str) -> float:
    """Seconds to start a kernel, run one cell and shut the kernel down."""
    nb = new_notebook(cells=[new_code_cell("print(sum(range(1000)))")],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    start = time.perf_counter()
    make_executor().preprocess(nb, {"metadata": {"path": workdir}})
    return time.perf_counter() - start


def sandboxed(sandbox: bool = True, **km) -> callable:
    """A factory for GuardedExecute (sandbox on or off) with SandboxedKernelManager traits km."""
    config = Config()
    config.GuardedExecute.sandbox = sandbox
    for name, value in km.items():
        setattr(config.SandboxedKernelManager, name, value)
    return lambda: GuardedExecute(config=config)


def main(runs: int = 5) -> None:
    """Print mean, stdev and median per variant over runs (after one warm-up run each)."""
    variants = {"plain Execute": Execute, "GuardedExecute, sandbox off": sandboxed(False),
                "sandboxed (rlimits+HOME+uid, no bwrap)": sandboxed(use_bwrap="never")}
    if bwrap_status()[0]:
        variants["sandboxed (bubblewrap, default)"] = sandboxed()
    with tempfile.TemporaryDirectory(prefix="sbx-bench-", dir="/tmp") as work:
        os.chmod(work, 0o755)
        for factory in variants.values():
            one_run(factory, work)
        results = {name: [] for name in variants}
        for _ in range(runs):  # interleaved, so a change in machine load hits every variant alike
            for name, factory in variants.items():
                results[name].append(one_run(factory, work))
    plain = statistics.mean(results["plain Execute"])
    print(f"{'variant':42s} {'mean s':>8s} {'stdev':>7s} {'median':>7s} {'overhead':>9s}   ({runs} runs, 1 cell)")
    for name, times in results.items():
        mean = statistics.mean(times)
        print(f"{name:42s} {mean:8.3f} {statistics.stdev(times):7.3f} {statistics.median(times):7.3f} "
              f"{mean - plain:+9.3f}")
    print("load average during the run: %.1f %.1f %.1f" % os.getloadavg())


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
