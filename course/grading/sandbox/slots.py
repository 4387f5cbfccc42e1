"""Grading slots: one unprivileged uid per kernel running at a time, on the whole host.

RLIMIT_NPROC counts every process and thread of a uid, so kernels that shared one grading user
shared one allowance: a submission that grabbed threads made every other kernel started meanwhile
fail. Each running kernel therefore holds a *slot*, ``<base>-<n>`` (``course-grader-1``,
``course-grader-2``, ...), created on first use. A slot is an exclusive ``fcntl`` lock on
``slot-<n>.lock`` in a root-owned folder, held for the kernel's whole life and released by the
kernel manager's teardown (or by the kernel's grading process dying), so two grading runs on the same
host (two courses, two test runs) never use the same uid at the same time. Whatever still runs as a
slot's uid when it is taken or given back is killed: no process outlives its slot.
"""
from __future__ import annotations

import fcntl
import os
import signal
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .probes import grader_ids

SLOT_FOLDERS = ("/run/course-kit/grader-slots", "/var/lib/course-kit/grader-slots")


class NoFreeSlot(RuntimeError):
    """Every grading slot stayed busy for as long as a kernel may wait to start."""


@dataclass
class Slot:
    """One held slot: its number, its user's uid/gid and the open lock file that holds it."""

    number: int
    user: str
    ids: tuple[int, int]
    lock: IO[bytes]

    def release(self) -> None:
        """Kill what still runs as this slot's uid, then let the next kernel have it."""
        if self.lock.closed:
            return
        kill_uid(self.ids[0])
        self.lock.close()


def lock_folder() -> Path:
    """The root-owned folder holding the slot locks (made 0700 on first use; refused if anyone else may write it)."""
    for candidate in map(Path, SLOT_FOLDERS):
        try:
            candidate.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            continue
        info = os.lstat(candidate)
        if stat.S_ISDIR(info.st_mode) and info.st_uid == 0 and not info.st_mode & 0o022:
            return candidate
    raise PermissionError(f"no root-owned folder for grading slots among {', '.join(SLOT_FOLDERS)}")


def _try_lock(path: Path) -> IO[bytes] | None:
    """An exclusively locked handle on path, or None when another process holds it."""
    handle = open(path, "ab")  # noqa: SIM115 - the open handle *is* the lock; Slot.release closes it
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def _slot_user(folder: Path, base: str, number: int, create: bool) -> tuple[int, int] | None:
    """The slot's uid/gid, creating its user under a host-wide lock (useradd refuses concurrent runs)."""
    with open(folder / "useradd.lock", "ab") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        return grader_ids(f"{base}-{number}", create)


def acquire(base: str, slots: int, create: bool = True, wait_seconds: float = 120.0) -> Slot | None:
    """The lowest free slot of `base` (waiting up to wait_seconds for one); None when not root or no user can be made."""
    if os.geteuid() != 0 or not base or slots <= 0:
        return None
    folder = lock_folder()
    deadline = time.monotonic() + wait_seconds
    while True:
        for number in range(1, slots + 1):
            lock = _try_lock(folder / f"{base}-{number}.lock")
            if lock is None:
                continue
            ids = _slot_user(folder, base, number, create)
            if ids is None:
                lock.close()
                return None
            kill_uid(ids[0])  # a leftover of a grading process that died without its teardown
            return Slot(number, f"{base}-{number}", ids, lock)
        if time.monotonic() > deadline:
            raise NoFreeSlot(f"all {slots} grading slots of {base!r} stayed busy for {wait_seconds:.0f} s")
        time.sleep(0.25)


def processes_of(uid: int) -> list[int]:
    """Pids of every process whose real or effective uid is `uid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            uids = next(line for line in (entry / "status").read_text().splitlines() if line.startswith("Uid:"))
            real, effective = (int(x) for x in uids.split()[1:3])
        except (OSError, StopIteration, ValueError):
            continue
        if uid in (real, effective):
            found.append(int(entry.name))
    return found


def kill_uid(uid: int, spare: int | None = None) -> list[int]:
    """SIGKILL every process whose real or effective uid is `uid` (never uid 0), but `spare`; return their pids."""
    if uid == 0:
        return []
    killed = []
    for pid in processes_of(uid):
        if pid == spare:
            continue
        try:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        except OSError:
            continue
    return killed
