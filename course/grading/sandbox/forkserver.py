"""The grading worker's side of the kernel zygote (zygote.py): start it in a sandbox of its own, ask it
for one fresh kernel per notebook, and clean up between notebooks.

Used only where every layer of the sandbox is on (root, so a grading slot's own uid, and bubblewrap):
the zygote then lives in one bubblewrap view whose only writable folders are its scratch tree and the
worker's *room* (the folder under which nbgrader puts the notebook being graded), as the slot's uid,
under the same limits a kernel has. A kernel is a fork of it. Between two notebooks `clean` kills every
process of the slot's uid but the zygote, and empties the scratch tree, the view's /tmp and /dev/shm
(the grading process empties the room), so nothing one learner's kernel leaves can reach the next one.
"""
from __future__ import annotations

import atexit
import dataclasses
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import slots
from .plan import Plan, kernel_env, wrap_command

READY_SECONDS = 60
SPAWN_SECONDS = 20
ZYGOTE = "course.grading.sandbox.zygote"


class ForkServerError(RuntimeError):
    """The zygote could not start or answer."""


def _status(pid: int) -> dict[str, str]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


class ForkedKernel:
    """The Popen-like handle jupyter_client's provisioner and the sandbox's manager use for a forked kernel."""

    stdin = stdout = stderr = None

    def __init__(self, server: "ForkServer", pid: int, inner_pid: int):
        self.server, self.pid, self.inner_pid, self.returncode = server, pid, inner_pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.server.exit_code(self)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkServer:
    """One zygote in its sandbox, and its slot, for the life of a grading process."""

    def __init__(self, plan: Plan, slot: slots.Slot, python: str, env: dict[str, str]):
        self.plan, self.slot, self.lock = plan, slot, threading.Lock()
        self.exits: dict[int, int] = {}
        self.buffer = b""
        ours, theirs = socket.socketpair()
        cmd = wrap_command([python, "-m", ZYGOTE, str(theirs.fileno())], plan)
        try:
            self.process = subprocess.Popen(cmd, env=env, cwd=str(plan.workdir), stdin=subprocess.DEVNULL,
                                            pass_fds=(theirs.fileno(),), start_new_session=True)
        finally:
            theirs.close()
        self.sock = ours
        ready = self._read(READY_SECONDS, "ready")
        if not ready.get("ready"):
            self.close()
            raise ForkServerError(ready.get("why", "the kernel zygote did not start"))
        inside = slots.processes_of(slot.ids[0])
        if len(inside) != 1:
            self.close()
            raise ForkServerError(f"expected the zygote alone as {slot.user}, found {len(inside)} processes")
        self.zygote_pid = inside[0]

    # ---------------------------------------------------------------- the socket

    def _messages(self, timeout: float) -> list[dict]:
        """Messages that arrive within timeout (at least one read when timeout > 0)."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(1 << 16)
        except (BlockingIOError, socket.timeout):
            return []
        except OSError as error:
            raise ForkServerError(f"the kernel zygote's socket failed: {error}") from error
        if not data:
            raise ForkServerError("the kernel zygote has gone")
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        out = []
        for line in lines:
            message = json.loads(line)
            if "exit" in message:
                self.exits[message["exit"]] = message["code"]
            else:
                out.append(message)
        return out

    def _read(self, seconds: float, key: str) -> dict:
        """The next message that holds key (exit reports on the way are recorded)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for message in self._messages(max(0.001, deadline - time.monotonic())):
                if key in message:
                    return message
        raise ForkServerError(f"the kernel zygote did not answer within {seconds:.0f} s")

    # ---------------------------------------------------------------- kernels

    def alive(self) -> bool:
        """Whether the zygote still runs and is not stopped."""
        state = _status(self.zygote_pid).get("State", "")
        return self.process.poll() is None and state[:1] in ("S", "R")

    def spawn(self, argv: list[str], cwd: str, env: dict[str, str]) -> ForkedKernel:
        """A fresh kernel for one notebook: ipykernel started with argv, in cwd, with exactly env."""
        with self.lock:
            self.sock.sendall(json.dumps({"argv": argv, "cwd": cwd, "env": env}).encode() + b"\n")
            inner = self._read(SPAWN_SECONDS, "pid")["pid"]
        for _ in range(200):
            for pid in slots.processes_of(self.slot.ids[0]):
                info = _status(pid)
                if info.get("PPid") == str(self.zygote_pid) and info.get("NSpid", "").split()[-1:] == [str(inner)]:
                    return ForkedKernel(self, pid, inner)
            time.sleep(0.005)
        raise ForkServerError("the forked kernel could not be found")

    def exit_code(self, kernel: ForkedKernel) -> int | None:
        """The kernel's exit code once it has ended, else None."""
        with self.lock:
            try:
                self._messages(0)
            except ForkServerError:
                pass
            if kernel.inner_pid in self.exits:
                return self.exits.pop(kernel.inner_pid)
        info = _status(kernel.pid)
        if not info or info.get("PPid") != str(self.zygote_pid):
            return -signal.SIGKILL      # gone without a report: the zygote went first
        if info.get("State", "")[:1] == "Z":
            with self.lock:            # reported within the zygote's next round (50 ms)
                deadline = time.monotonic() + 1
                while kernel.inner_pid not in self.exits and time.monotonic() < deadline:
                    try:
                        self._messages(0.05)
                    except ForkServerError:
                        break
                return self.exits.pop(kernel.inner_pid, -signal.SIGKILL)
        return None

    def clean(self) -> None:
        """After a notebook: kill what its kernel left, then empty every folder a kernel can write."""
        for _ in range(50):      # again until none is left: a leftover may fork while it is killed
            if not slots.kill_uid(self.slot.ids[0], spare=self.zygote_pid):
                break
            time.sleep(0.01)
        root = Path(f"/proc/{self.zygote_pid}/root")
        for place in (root / "tmp", root / "dev" / "shm"):
            # only what the kernel's uid made: the view's /tmp also holds the folders bubblewrap made
            # (root's) for the scratch tree and the room, bound from the host below them
            empty_folder(place, owner=self.slot.ids[0])
        for sub in ("home", "tmp", "runtime"):
            empty_folder(self.plan.scratch / sub)
        with self.lock:
            self.exits.clear()

    def close(self) -> None:
        """Stop the zygote and every process of its uid, drop its scratch tree, give the slot back."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.slot.release()
        self.sock.close()
        shutil.rmtree(self.plan.scratch, ignore_errors=True)


def empty_folder(folder: Path, owner: int | None = None) -> None:
    """Delete what is inside folder (never following links), keeping the folder itself; with owner,
    only the entries that uid owns."""
    try:
        entries, device = list(os.scandir(folder)), os.stat(folder).st_dev
    except OSError:
        return
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
            if info.st_dev != device or (owner is not None and info.st_uid != owner):
                continue   # a folder mounted there (bubblewrap's binds), or not the kernel's
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            pass


_SERVERS: dict[str, ForkServer] = {}


def server_for(manager, room: Path) -> ForkServer | None:
    """The grading process's zygote for room (started on first use, restarted when a kernel has killed or
    stopped it), or None when this machine cannot have one: then kernels start the usual way."""
    key = str(room)
    server = _SERVERS.get(key)
    if server is not None and server.alive():
        return server
    if server is not None:
        _SERVERS.pop(key).close()
    argv0 = manager.kernel_spec.argv[0] if manager.kernel_spec else sys.executable
    python = shutil.which(argv0) or sys.executable
    plan = manager.make_plan(room)
    slot, manager._slot = manager._slot, None
    # the zygote is one of its uid's tasks: a kernel keeps the whole allowance it had
    plan.limits = dataclasses.replace(plan.limits, max_processes=plan.limits.max_processes + 1)
    if slot is None or not plan.use_bwrap:
        if slot is not None:
            slot.release()
        shutil.rmtree(plan.scratch, ignore_errors=True)
        return None
    env = kernel_env(plan, manager.python_path(), {**manager.extra_env, **manager.grading_env}, None)
    try:
        server = ForkServer(plan, slot, python, env)
    except (ForkServerError, OSError) as error:
        manager.log.warning("sandbox: no kernel zygote (%s); kernels start the usual way", error)
        slot.release()
        shutil.rmtree(plan.scratch, ignore_errors=True)
        return None
    _SERVERS[key] = server
    return server


@atexit.register
def _close_all() -> None:
    for server in list(_SERVERS.values()):
        server.close()
    _SERVERS.clear()
