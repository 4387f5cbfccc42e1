"""What a sandboxed kernel is and is not protected by on this machine, in plain lines for the trainer."""
from __future__ import annotations

import os
import shutil

from .manager import SandboxedKernelManager
from .probes import bwrap_status, grader_ids, unshare_status


GAPS = [
    "NOT limited: total memory of a process tree (RLIMIT_AS is per process; no cgroup is used)",
    "NOT limited: disk space in the working copy/scratch beyond the per-file size limit",
    "NOT protected: kernel exploits, /proc and /usr information, CPU/memory side channels",
]


def describe_protection(km: SandboxedKernelManager | None = None) -> list[str]:
    """What a sandboxed kernel is and is not protected by on this machine, one line each ('NOT' = gap)."""
    km = km or SandboxedKernelManager()
    use_bw = bwrap_status()[0] and km.use_bwrap != "never"
    return _always_lines(km) + _isolation_lines(km, use_bw) + [_user_line(km, use_bw)] + GAPS


def _always_lines(km: SandboxedKernelManager) -> list[str]:
    """Protections that hold with or without bubblewrap, plus the probe results."""
    lim = km.limits()
    return [
        f"limits via {'prlimit' if shutil.which('prlimit') else 'setrlimit shim'}: address space {lim.memory_mb} MiB, "
        f"CPU {lim.cpu_seconds} s, file size {lim.max_file_mb} MiB, open files {lim.max_open_files}, no core dumps",
        f"wall time: kernel SIGKILLed {km.wall_seconds} s after launch; GuardedExecute adds per-cell timeout "
        "and notebook_timeout",
        "private per-kernel HOME, IPYTHONDIR, JUPYTER_CONFIG/DATA/RUNTIME_DIR, MPLCONFIGDIR, XDG_*, TMPDIR "
        "(deleted after the kernel); PYTHONNOUSERSITE=1; environment reset to an allow-list",
        "links/fifos/devices the kernel leaves in its working copy are deleted before nbgrader writes there",
        f"bubblewrap: {bwrap_status()[1]}" + ("" if bwrap_status()[0] else " -> NOT used"),
        f"unshare: {unshare_status()[1]} (not used: bubblewrap covers it)",
    ]


def _isolation_lines(km: SandboxedKernelManager, use_bw: bool) -> list[str]:
    """What the filesystem, process and network view of the kernel is."""
    if not use_bw:
        return ["NOT isolated: filesystem view (no bubblewrap): the kernel reads whatever its uid may read and "
                "writes to world-writable folders such as /tmp",
                "NOT isolated: network, processes (no pid namespace: daemonised children may outlive the kernel)"]
    return [
        "filesystem: kernel sees /usr, a few /etc files, the Python install, the course package and datasets "
        "(read-only) and only its own working copy (read-write); source/solutions/submitted/autograded/"
        "feedback/*.db near it are not mounted or are masked",
        "namespaces: own pid (whole tree killed with the kernel), ipc, uts, mount; no capabilities",
        "network: own empty network namespace; ZMQ over unix sockets" if km.network == "none"
        else "NOT isolated: network (network='loopback': kernel shares the host network, TCP ZMQ)",
    ]


def _user_line(km: SandboxedKernelManager, use_bw: bool) -> str:
    """Which uid the kernel runs as, and whether the process limit can bite."""
    procs = km.max_processes
    if os.geteuid() != 0:
        return f"runs as the invoking user (uid {os.geteuid()}); processes limited to {procs} for that whole user"
    if not km.run_as_user or km.grader_slots <= 0:
        return "NOT limited: process count (kernel stays root, which RLIMIT_NPROC ignores)"
    made = [n for n in range(1, km.grader_slots + 1) if grader_ids(f"{km.run_as_user}-{n}", create=False)]
    who = (f"its grading slot's own user {km.run_as_user}-1 .. {km.run_as_user}-{km.grader_slots} "
           f"({len(made)} created so far, one per kernel running at once on this host)")
    caveat = "" if use_bw else "; without bubblewrap only when the working copy and Python are reachable by it"
    return f"runs as {who}, no capabilities, no_new_privs; processes/threads limited to {procs} per kernel{caveat}"
