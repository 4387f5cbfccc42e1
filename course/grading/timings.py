"""Where one notebook's grading time goes, recorded by the grading steps themselves (not guessed).

The kit's steps add what they measured while nbgrader grades a notebook in this process: the
learner kernel's start and its cells (GuardedExecute), the judge (JudgeOutside), each with the
CPU-seconds of the process that did the work. The trainer's worker clears the record before a job
and sends it back in the job's Outcome; `benchmarks/grading.py` reads it to print the breakdown.
Plain numbers only: a notebook's record is a flat dict of seconds (and megabytes for `*_mb`).
"""
from __future__ import annotations

import time
from contextlib import contextmanager

_RECORD: dict[str, float] = {}


def reset() -> None:
    """Start a fresh record (one per graded submission)."""
    _RECORD.clear()


def add(name: str, value: float) -> None:
    """Add seconds (or CPU-seconds) to a phase; a phase met twice, e.g. two notebooks, adds up."""
    _RECORD[name] = _RECORD.get(name, 0.0) + float(value)


def peak(name: str, value: float) -> None:
    """Keep the largest value seen (memory peaks)."""
    _RECORD[name] = max(_RECORD.get(name, 0.0), float(value))


def taken() -> dict[str, float]:
    """The record so far, rounded to milliseconds."""
    return {k: round(v, 3) for k, v in _RECORD.items()}


@contextmanager
def timed(name: str, cpu: str | None = None):
    """Record the wall time of a block as `name`, and this process's CPU time in it as `cpu`."""
    wall, used = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        add(name, time.perf_counter() - wall)
        if cpu:
            add(cpu, time.process_time() - used)


def tree_cpu_and_rss(pid: int | None) -> tuple[float, float]:
    """CPU-seconds used so far and resident megabytes of a process and everything under it (0 if gone)."""
    import psutil

    if pid is None:
        return 0.0, 0.0
    try:
        top = psutil.Process(pid)
        family = [top, *top.children(recursive=True)]
    except psutil.Error:
        return 0.0, 0.0
    cpu = rss = 0.0
    for proc in family:
        try:
            times = proc.cpu_times()
            cpu += times.user + times.system
            rss = max(rss, proc.memory_info().rss / 2**20)
        except psutil.Error:
            continue
    return cpu, rss


class KernelClock:
    """Mixin for an nbclient/nbgrader Execute step: records the kernel's start, cells and stop, and its CPU."""

    def preprocess(self, nb, resources=None, *args, **kwargs):
        """Execute as the step would, then record what the kernel's phases took."""
        self._clock = {"start": time.perf_counter()}
        try:
            return super().preprocess(nb, resources, *args, **kwargs)
        finally:
            self._record_kernel_times()

    @contextmanager
    def setup_kernel(self, **kwargs):
        """nbclient's kernel set-up; the clock reads when the kernel is ready and when its cells are done."""
        with super().setup_kernel(**kwargs):
            self._clock["ready"] = time.perf_counter()
            self._clock["cpu_ready"] = self._kernel_usage()[0]
            try:
                yield
            finally:
                self._clock["cells_done"] = time.perf_counter()
                self._clock["cpu_done"], self._clock["rss_mb"] = self._kernel_usage()

    def _kernel_usage(self) -> tuple[float, float]:
        """CPU-seconds and resident MB of the learner's kernel so far (its whole process tree)."""
        process = getattr(getattr(getattr(self, "km", None), "provisioner", None), "process", None)
        return tree_cpu_and_rss(getattr(process, "pid", None))

    def _record_kernel_times(self) -> None:
        clock, now = self._clock, time.perf_counter()
        if "ready" not in clock:  # the kernel never started
            add("kernel_start", now - clock["start"])
            return
        done = clock.get("cells_done", now)
        add("kernel_start", clock["ready"] - clock["start"])
        add("cells", done - clock["ready"])
        add("kernel_stop", now - done)
        add("kernel_cpu_start", clock["cpu_ready"])
        add("kernel_cpu", clock.get("cpu_done", clock["cpu_ready"]))
        peak("kernel_mb", clock.get("rss_mb", 0.0))
