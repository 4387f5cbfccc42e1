"""The grading process's side of the judge: one long-lived judge per grading process, over a pipe.

Starting Python and importing pandas and the answer key cost about half a second of CPU per notebook
when each notebook had a judge process of its own. Now each grading process (a `course grade` worker,
the formgrader, `nbgrader autograde`) starts one `python -I -m course.grading.judge --serve` when it
first judges, with the same clean environment as before (a throwaway HOME and working directory, no
variable of the grader's but PATH), and sends it one request per notebook: plain JSON data only (the
module, the handed-over answers, the folder of trusted data). The judge answers each request from a
fork of its pristine self (see judge.py), so one request cannot leave anything for the next.

A judge that takes longer than JUDGE_TIMEOUT is killed (the notebook fails, to be graded again, as
before); one that has gone (idle for IDLE_SECONDS, or killed) is replaced on the next request.
"""
from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import timings

JUDGE_TIMEOUT = 120
ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


class JudgeGone(RuntimeError):
    """The judge process had exited before it answered (idle, killed): a fresh one may be asked."""


class JudgeProcess:
    """One serving judge process and the pipe to it."""

    def __init__(self):
        self.scratch = Path(tempfile.mkdtemp(prefix="course-judge-"))
        env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "HOME": str(self.scratch),
               "TMPDIR": str(self.scratch), **{name: "1" for name in ONE_THREAD}}
        self.errors = open(self.scratch / "stderr.txt", "w+b")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen([sys.executable, "-I", "-m", "course.grading.judge", "--serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
                                     cwd=self.scratch, env=env, start_new_session=True)
        self.pending = b""

    def ask(self, request: dict, timeout: float = JUDGE_TIMEOUT) -> dict:
        """Send one request, wait for its reply (JudgeGone if the process had gone, TimeoutError if it hangs)."""
        if self.proc.poll() is not None:
            raise JudgeGone(f"the judge had exited (code {self.proc.returncode})")
        try:
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as gone:
            raise JudgeGone(str(gone)) from gone
        return json.loads(self._line(time.monotonic() + timeout))

    def _line(self, deadline: float) -> bytes:
        """The next reply line from the judge's stdout."""
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError(f"the judge gave no verdict within {JUDGE_TIMEOUT} s")
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise JudgeGone(f"the judge exited without a verdict:\n{self.stderr_tail()}")
            self.pending += chunk
        line, _, self.pending = self.pending.partition(b"\n")
        return line

    def _kill(self) -> None:
        """SIGKILL the judge and the fork judging for it (its session is its own)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass

    def stderr_tail(self) -> str:
        self.errors.flush()
        self.errors.seek(0)
        return self.errors.read().decode(errors="replace")[-2000:]

    def close(self, kill: bool = False) -> None:
        """Stop the judge (closing its stdin ends it) and remove its scratch folder."""
        try:
            if kill:
                self._kill()
            else:
                self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self._kill()
            self.proc.wait(timeout=10)
        self.errors.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


_JUDGE: list[JudgeProcess] = []      # this process's judge, started on first use
_LOCK = threading.Lock()


def run_judge(request: dict, datasets_dir: str | None = None) -> list[dict]:
    """Every cell's verdict from this process's judge (started on first use, replaced if it had gone)."""
    from ..paths import datasets_dir as default_datasets

    request = {**request, "datasets": str(datasets_dir or default_datasets())}
    with _LOCK:
        reply = _ask(request)
    if "error" in reply:
        raise RuntimeError(f"the judge process failed:\n{reply['error']}\n{reply.get('trace', '')}")
    timings.add("judge_cpu", reply.get("cpu", 0.0))
    timings.peak("judge_mb", reply.get("peak_mb", 0.0))
    return reply["verdicts"]


def _ask(request: dict) -> dict:
    for attempt in (1, 2):
        if not _JUDGE:
            _JUDGE.append(JudgeProcess())
        try:
            return _JUDGE[0].ask(request)
        except JudgeGone as gone:   # judging is pure: asking a fresh judge once more is safe
            stop_judge(kill=True)
            if attempt == 2:
                raise RuntimeError(f"the judge process failed: {gone}") from gone
        except TimeoutError as hung:
            stop_judge(kill=True)
            raise RuntimeError(f"the judge process failed: {hung}") from hung
    raise AssertionError("unreachable")


def stop_judge(kill: bool = False) -> None:
    """Stop this process's judge, if it has one (the next request starts a fresh one)."""
    while _JUDGE:
        _JUDGE.pop().close(kill=kill)


atexit.register(stop_judge)
