"""What this machine can do for the sandbox: bubblewrap, unshare, users, and who may read what.

Every probe runs a tiny command once per process (cached) and never raises: a missing mechanism
is a reason string, which `report.describe_protection()` shows the trainer.
"""
from __future__ import annotations

import functools
import os
import pwd
import shutil
import stat
import subprocess
from pathlib import Path

from .plan import GRADER_USER, setpriv_prefix, system_binds


def _run_quiet(cmd: list[str], timeout: float = 20) -> tuple[bool, str]:
    """Run a probe command; return (succeeded, last line of its error output)."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as err:
        return False, str(err)
    lines = (done.stderr or done.stdout or "").strip().splitlines()
    return done.returncode == 0, (lines[-1] if lines else f"exit code {done.returncode}")


@functools.lru_cache(maxsize=None)
def bwrap_status() -> tuple[bool, str]:
    """Whether bubblewrap can build a sandbox on this machine, with the reason when it cannot."""
    exe = shutil.which("bwrap")
    if not exe:
        return False, "bwrap is not installed (apt-get install bubblewrap)"
    probe = [exe, *system_binds(), "--proc", "/proc", "--dev", "/dev", "--unshare-pid", "--unshare-net",
             "--unshare-ipc", "--die-with-parent", "--new-session", "true"]
    ok, why = _run_quiet(probe)
    return ok, ("bwrap works" if ok else f"bwrap fails here: {why}")


@functools.lru_cache(maxsize=None)
def unshare_status() -> tuple[bool, str]:
    """Whether util-linux unshare can create mount+pid namespaces here (reported only; bwrap is used)."""
    exe = shutil.which("unshare")
    if not exe:
        return False, "unshare is not installed"
    ok, why = _run_quiet([exe, "--mount", "--pid", "--fork", "true"])
    return ok, ("unshare works" if ok else f"unshare fails here: {why}")


def grader_ids(name: str = GRADER_USER, create: bool = True) -> tuple[int, int] | None:
    """uid/gid kernels should run as: the grader user (created if missing) when we are root, else None."""
    if os.geteuid() != 0 or not name:
        return None
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        if not create or not shutil.which("useradd"):
            return None
        _run_quiet(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                    "--shell", "/usr/sbin/nologin", name])
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            return None
    return entry.pw_uid, entry.pw_gid


def _reachable_by_others(path: Path) -> bool:
    """Whether every folder above path lets any user through (so a dropped uid can reach it)."""
    return all(os.stat(p).st_mode & stat.S_IXOTH for p in [*path.parents, path] if p.exists())


def _can_read(path: Path, ids: tuple[int, int], mounted: bool) -> bool:
    """Whether uid/gid `ids` (no supplementary groups) may read `path`, by its mode bits; unless it is
    `mounted` by bubblewrap (which makes the folders above it traversable), the way there counts too."""
    def allowed(p: Path, bits: int) -> bool:
        info = os.stat(p)
        shift = 6 if info.st_uid == ids[0] else 3 if info.st_gid == ids[1] else 0
        return (info.st_mode >> shift) & bits == bits
    way = [] if mounted else path.parents
    return all(allowed(p, 0o1) for p in way) and allowed(path, 0o5 if path.is_dir() else 0o4)


@functools.lru_cache(maxsize=None)
def _uid_can_run(ids: tuple[int, int], python: str) -> bool:
    """Whether python can start as the dropped uid outside bubblewrap."""
    return shutil.which("setpriv") is not None and _run_quiet([*setpriv_prefix(ids), python, "-c", "pass"])[0]

