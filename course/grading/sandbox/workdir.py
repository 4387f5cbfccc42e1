"""The folders a sandboxed kernel writes: its private scratch tree, and the working copy it borrows.

The working copy (the learner's notebook folder) is lent to the kernel's uid while it runs; after the
kernel is gone it is taken back: links, FIFOs, sockets and devices are deleted before nbgrader writes
there, everything else is owned by the trainer again and writable by nobody else.
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

# A unix socket's path must fit in 108 bytes; ZMQ's ipc names add "runtime/zmq-<port>" to the scratch path.
IPC_PATH_ROOM = 70
# What a kernel may not leave on anything in the working copy: write access for others, set-id and sticky bits.
UNSAFE_BITS = stat.S_IWGRP | stat.S_IWOTH | stat.S_ISUID | stat.S_ISGID | stat.S_ISVTX


def make_scratch(root: str, ids: tuple[int, int] | None, short: bool = False) -> Path:
    """Create a kernel's private scratch tree (home, tmp, runtime), owned by the kernel's uid.

    With `short` (ZMQ over unix sockets), a `root` too deep for a socket path falls back to the system temp dir.
    """
    if short and root and len(str(Path(root).resolve())) > IPC_PATH_ROOM - len("/course-sbx-xxxxxxxx"):
        root = ""
    scratch = Path(tempfile.mkdtemp(prefix="course-sbx-", dir=root or None)).resolve()
    for sub in ("home", "tmp", "runtime"):
        (scratch / sub).mkdir(mode=0o700)
    if ids:
        for path in (scratch, scratch / "home", scratch / "tmp", scratch / "runtime"):
            os.chown(path, *ids)
    return scratch


def lend(workdir: Path, ids: tuple[int, int] | None) -> tuple[int, int]:
    """Give the working copy to the kernel's uid; return its original owner for ``take_back``."""
    info = os.stat(workdir)
    if ids:
        for path in _tree(workdir):
            os.lchown(path, *ids)
    return info.st_uid, info.st_gid


def take_back(workdir: Path, owner: tuple[int, int]) -> list[str]:
    """Delete links/fifos/devices the kernel left in workdir; give the rest back to owner, writable by
    the owner alone; list what was removed."""
    removed = []
    for path in _tree(workdir):
        info = os.lstat(path)
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
            os.unlink(path)
            removed.append(str(path))
            continue
        if os.geteuid() == 0:
            os.lchown(path, *owner)
        own = stat.S_IRWXU if stat.S_ISDIR(info.st_mode) else stat.S_IRUSR | stat.S_IWUSR
        mode = (stat.S_IMODE(info.st_mode) & ~UNSAFE_BITS) | own
        if mode != stat.S_IMODE(info.st_mode):
            os.chmod(path, mode)
    return removed


def _tree(top: Path) -> list[Path]:
    """top and everything below it, without following symlinks."""
    out = [top]
    for root, dirs, files in os.walk(top):
        out += [Path(root) / n for n in dirs + files]
    return out
