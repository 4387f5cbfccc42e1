"""A small pool of long-lived grading processes, each grading one submission at a time.

Each worker is a fresh `python -m course.trainer.pool` process (not a fork, and independent of the
caller's __main__) in a session of its own (so a terminal's Ctrl-C reaches only the parent, which stops
the workers, and Linux's per-session CPU fairness gives each worker its own share on a busy machine),
talking to the parent over a socket pair. Why not concurrent.futures: a submission
that hangs past its hard limit must be stopped by killing its grading process and the kernel and judge
under it, without losing the other workers' jobs; a ProcessPoolExecutor breaks as a whole when one of
its processes dies. Here a dead or killed worker is replaced and its job comes back as a failed
Outcome with the reason.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections import deque
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Callable, Iterable

from . import wording as say
from .worker import Job, Outcome, Setup


GRADE = "course.trainer.worker:grade_job"
# What one grading slot holds at its peak: the grading process, the learner's kernel and the judge
# (benchmarks/grading.py prints the measured figure: "memory per grading slot").
SLOT_MB = 700


def default_workers(cores: int | None = None, available_mb: float | None = None) -> int:
    """As many grading processes as this machine has cores for, and memory for (SLOT_MB each)."""
    import psutil

    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if available_mb is None:
        available_mb = psutil.virtual_memory().available / 2**20
    return max(1, min(cores, int(available_mb // SLOT_MB)))


def _task(name: str):
    """The function a worker runs for each job, from 'package.module:function'."""
    import importlib

    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


def serve(conn: Connection) -> None:
    """A worker process: receive the task and its setup, then run jobs until told to stop."""
    name, setup = conn.recv()
    task = _task(name)
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        try:
            outcome = task(job, setup)
        except BaseException as error:  # noqa: BLE001 - report, never die silently
            outcome = Outcome(job, "failed", say.NBGRADER_FAILED.format(why=f"{type(error).__name__}: {error}"))
        conn.send(outcome)


def kill_tree(pid: int) -> None:
    """SIGKILL a process and everything it started (kernels start in sessions of their own)."""
    import psutil

    try:
        parent = psutil.Process(pid)
        family = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        return
    for proc in family:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(family, timeout=10)


class _Worker:
    """One grading process and the job it is busy with."""

    def __init__(self, task: str, setup, log: Path):
        mine, theirs = socket.socketpair()
        with open(log, "ab") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "course.trainer.pool", str(theirs.fileno())],
                                            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
                                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        theirs.close()
        self.conn = Connection(mine.detach())
        self.conn.send((task, setup))
        self.job: Job | None = None
        self.started = 0.0

    def give(self, job: Job) -> None:
        self.job, self.started = job, time.monotonic()
        self.conn.send(job)

    def ask_to_stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass

    def stop(self) -> None:
        """Wait for a worker asked to stop (kill it if it does not)."""
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            kill_tree(self.process.pid)
        self.conn.close()

    def kill(self) -> None:
        kill_tree(self.process.pid)
        self.process.wait(timeout=10)
        self.conn.close()


def run_pool(jobs: Iterable[Job], setup: Setup, workers: int, hard_limit: float,
             on_done: Callable[[Outcome], None], log_dir: Path | None = None, task: str = GRADE) -> None:
    """Run `task` (default: grade) on every job with `workers` processes; on_done(outcome) here as each ends."""
    pending = deque(jobs)
    if not pending:
        return
    log_dir = Path(log_dir or setup.scratch_root)
    log_dir.mkdir(parents=True, exist_ok=True)
    kind = task.rsplit(":", 1)[-1].removesuffix("_job")
    logs = [log_dir / f"{kind}-worker-{i + 1}.log" for i in range(max(1, min(workers, len(pending))))]
    for log in logs:
        log.write_bytes(b"")
    pool = [_Worker(task, setup, log) for log in logs]
    try:
        while pending or any(w.job for w in pool):
            for w in pool:
                if w.job is None and pending:
                    w.give(pending.popleft())
            ready = wait([w.conn for w in pool if w.job], timeout=1.0)
            now, finished = time.monotonic(), []
            for i, w in enumerate(pool):
                if not w.job:
                    continue
                outcome, replace = None, True
                if w.conn in ready:
                    try:
                        outcome, replace = w.conn.recv(), False
                    except (EOFError, OSError):
                        code = w.process.wait(timeout=10)
                        outcome = Outcome(w.job, "failed", say.WORKER_DIED.format(why=f"exit code {code}"),
                                          seconds=now - w.started)
                elif now - w.started > hard_limit:
                    outcome = Outcome(w.job, "failed", say.WALL_LIMIT.format(seconds=hard_limit),
                                      seconds=now - w.started)
                if outcome is None:
                    continue
                w.job = None
                if replace:
                    w.kill()
                    pool[i] = w = _Worker(task, setup, logs[i])
                if pending:  # keep the worker busy while this process merges the outcome
                    w.give(pending.popleft())
                finished.append(outcome)
            for outcome in finished:
                on_done(outcome)
    finally:
        for w in pool:
            if w.job is None:
                w.ask_to_stop()
        for w in pool:
            w.kill() if w.job is not None else w.stop()


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])))
