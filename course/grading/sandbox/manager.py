"""The jupyter_client side of the sandbox: a kernel manager that launches each kernel under its plan.

`GuardedKernelManager` only bounds what the kernel sends (see outputs.py); `SandboxedKernelManager`
adds the sandbox: limits, a private HOME, bubblewrap when it works here, and a grading slot's own
unprivileged uid (slots.py) when the grader is root.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Dict, Enum, Integer, List, Unicode, default

from . import slots
from .forkserver import ForkServer, ForkServerError, server_for
from .outputs import GuardedSession
from .plan import GRADER_USER, Limits, Plan, _below, course_read_paths, interpreter_paths, kernel_env, \
    secret_paths, wrap_command
from .probes import _can_read, _reachable_by_others, _uid_can_run, bwrap_status
from .workdir import lend, make_scratch, take_back


class GuardedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose client decodes the kernel's outputs within bounds."""

    grading_env = Dict(Unicode(), help="Variables the grading step adds to the kernel's environment.")

    @default("session")
    def _session_default(self):
        return GuardedSession(parent=self)

    async def _async_pre_start_kernel(self, **kw):
        """Start as jupyter_client does, with the grading step's variables in the kernel's environment."""
        if self.grading_env:
            kw["env"] = {**kw.get("env", os.environ), **self.grading_env}
        return await super()._async_pre_start_kernel(**kw)

    pre_start_kernel = _async_pre_start_kernel


class SandboxedKernelManager(GuardedKernelManager):
    """A kernel under limits, in a private HOME, behind bubblewrap if possible, as a slot's own uid."""

    memory_mb = Integer(1024, help="Address-space limit (RLIMIT_AS) per kernel process, MiB; 0 = none.")
    cpu_seconds = Integer(120, help="CPU-time limit (RLIMIT_CPU) per kernel process, seconds.")
    wall_seconds = Integer(900, help="Kernel is SIGKILLed this long after launch; 0 = never.")
    max_processes = Integer(64, help="RLIMIT_NPROC for the kernel's uid (tasks incl. threads); the uid is the kernel's own.")
    max_file_mb = Integer(64, help="Largest file the kernel may write (RLIMIT_FSIZE), MiB.")
    max_open_files = Integer(1024, help="RLIMIT_NOFILE for the kernel.")
    allowed_write_dir = Unicode("", help="The only host folder the kernel may write; default: its cwd.")
    extra_ro_paths = List(Unicode(), help="More host paths the kernel may read (read-only).")
    expose_course_package = Bool(True, help="Let kernels import the course package and read datasets/.")
    deny_paths = List(Unicode(), help="More host paths hidden from the kernel.")
    extra_env = Dict(Unicode(), help="Extra environment variables for the kernel.")
    use_bwrap = Enum(["auto", "always", "never"], "auto", help="Use bubblewrap: auto = if it works here.")
    network = Enum(["none", "loopback"], "none",
                   help="none: no network, ZMQ over unix sockets (needs bwrap); loopback: host network, TCP.")
    run_as_user = Unicode(GRADER_USER, help="When root, kernels run as the users <run_as_user>-1, -2, ... "
                                            "('' = stay root).")
    grader_slots = Integer(32, help="Most kernels running at once on this host, each as its own user.")
    slot_wait_seconds = Integer(120, help="How long a kernel waits for a free slot before it fails to start.")
    create_user = Bool(True, help="Create the slot users with useradd when they are missing.")
    scratch_root = Unicode("", help="Where private per-kernel dirs are made (default: system temp).")
    fork_room = Unicode("", help="A grading process's own folder under which every notebook it grades runs: "
                                 "kernels there are forks of one zygote that has imported what kernels import "
                                 "(forkserver.py), when the whole sandbox is on; '' = every kernel starts anew.")
    for _trait in (memory_mb, cpu_seconds, wall_seconds, max_processes, max_file_mb, max_open_files,
                   allowed_write_dir, extra_ro_paths, expose_course_package, deny_paths, extra_env, use_bwrap,
                   network, run_as_user, grader_slots, slot_wait_seconds, create_user, scratch_root, fork_room):
        _trait.tag(config=True)
    del _trait

    _plan: Plan | None = None
    _slot: slots.Slot | None = None
    _fork: ForkServer | None = None
    _forked_workdir: Path | None = None

    def limits(self) -> Limits:
        """The configured limits."""
        return Limits(self.memory_mb, self.cpu_seconds, self.max_processes, self.max_file_mb, self.max_open_files)

    def choose_bwrap(self) -> bool:
        """Whether this launch uses bubblewrap (raises if 'always' but it does not work)."""
        ok, why = bwrap_status()
        if self.use_bwrap == "always" and not ok:
            raise RuntimeError(why)
        return ok and self.use_bwrap != "never"

    def choose_ids(self, bwrap: bool, workdir: Path, python: str) -> tuple[int, int] | None:
        """The uid/gid to drop to (a grading slot's, held until teardown), or None when unavailable here."""
        self.release_slot()
        self._slot = slots.acquire(self.run_as_user, self.grader_slots, self.create_user, self.slot_wait_seconds)
        if self._slot is None:
            return None
        ids = self._slot.ids
        scratch = Path(self.scratch_root or tempfile.gettempdir())
        if not bwrap and not (_reachable_by_others(workdir) and _reachable_by_others(scratch)
                              and _uid_can_run(ids, python)):
            self.log.warning("sandbox: %s cannot reach %s or %s; kernel stays root", self._slot.user, workdir, python)
            self.release_slot()
            return None
        return ids

    def release_slot(self) -> None:
        """Give the grading slot back (killing whatever still runs as its uid)."""
        slot, self._slot = self._slot, None
        if slot is not None:
            slot.release()

    def make_plan(self, workdir: Path) -> Plan:
        """Decide mechanisms and paths for one launch, and create the private scratch tree."""
        argv0 = self.kernel_spec.argv[0] if self.kernel_spec else sys.executable
        python = shutil.which(argv0) or sys.executable
        bwrap = self.choose_bwrap()
        ids = self.choose_ids(bwrap, workdir, python)
        data = [Path(p).resolve() for p in self.extra_ro_paths]
        data += course_read_paths() if self.expose_course_package else []
        reads = interpreter_paths(argv0) + data  # the interpreter: choose_ids has checked it runs
        hidden = [p for p in data if ids and not _can_read(p, ids, mounted=bwrap)]
        if hidden:
            user = self._slot.user if self._slot else self.run_as_user
            self.release_slot()
            raise PermissionError(
                f"Learner kernels run as the user {user!r}, who cannot read {hidden[0]}. "
                "Make that folder readable by everyone (chmod -R o+rX, and o+x on the folders above it), "
                "or grade as a non-root user.")
        isolate_network = bwrap and self.network == "none"
        return Plan(workdir, make_scratch(self.scratch_root, ids, short=isolate_network), self.limits(), bwrap,
                    ids, isolate_network, sorted(set(reads)), secret_paths(workdir, self.deny_paths))

    def python_path(self) -> list[str]:
        """PYTHONPATH entries that make the course package importable inside the kernel."""
        if not self.expose_course_package:
            return []
        return [str(p.parent) for p in course_read_paths()[:1] if not _below(p, [Path(sys.prefix).resolve()])]

    def forkable(self, workdir: Path) -> bool:
        """Whether this kernel can be a fork of the grading process's zygote: a room is set, the notebook
        runs inside it, and the kernel is ipykernel's."""
        argv = self.kernel_spec.argv if self.kernel_spec else []
        return bool(self.fork_room) and _below(workdir, [Path(self.fork_room).resolve()]) \
            and workdir != Path(self.fork_room).resolve() and argv[1:3] == ["-m", "ipykernel_launcher"]

    async def _async_pre_start_kernel(self, **kw):
        """Prepare the sandbox, then let jupyter_client write the connection file and build the command."""
        workdir = Path(self.allowed_write_dir or kw.get("cwd") or os.getcwd()).resolve()
        self._proc, self._owner, self._fork = None, os.stat(workdir)[4:6], None
        if self.forkable(workdir):
            server = server_for(self, Path(self.fork_room).resolve())
            if server is not None:
                return await self._pre_start_forked(server, workdir, kw)
        plan = self._plan = self.make_plan(workdir)
        try:
            self._owner = lend(workdir, plan.ids)
            self.connection_file = str(plan.runtime / f"kernel-{uuid.uuid4()}.json")
            if plan.isolate_network:
                self.transport, self.ip = "ipc", str(plan.runtime / "zmq")
            if plan.use_bwrap and self.kernel_spec is not None:
                self.kernel_spec.interrupt_mode = "message"
            kw.update(cwd=str(workdir), env=kernel_env(plan, self.python_path(), {**self.extra_env, **self.grading_env},
                                                       kw.get("env")))
            return await super()._async_pre_start_kernel(**kw)
        except BaseException:
            self.teardown()
            raise

    async def _pre_start_forked(self, server: ForkServer, workdir: Path, kw: dict):
        """As _async_pre_start_kernel, for a kernel the zygote will fork: its view, uid and limits are the
        zygote's; the notebook's folder is lent to the slot's uid as for any kernel."""
        self._fork = server
        try:
            self._owner = lend(workdir, server.plan.ids)
            self._forked_workdir = workdir
            self.connection_file = str(server.plan.runtime / f"kernel-{uuid.uuid4()}.json")
            if server.plan.isolate_network:
                self.transport, self.ip = "ipc", str(server.plan.runtime / "zmq")
            self.kernel_spec.interrupt_mode = "message"
            kw.update(cwd=str(workdir), env=kernel_env(server.plan, self.python_path(),
                                                       {**self.extra_env, **self.grading_env}, kw.get("env")))
            return await GuardedKernelManager._async_pre_start_kernel(self, **kw)
        except BaseException:
            self.teardown()
            raise

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        """The kernel command, wrapped in the sandbox when one is being launched."""
        cmd = super().format_kernel_cmd(extra_arguments)
        return wrap_command(cmd, self._plan) if self._plan else cmd

    def write_connection_file(self, **kwargs) -> None:
        """Write the connection file and make it readable by the kernel's uid."""
        super().write_connection_file(**kwargs)
        plan = self._plan or (self._fork.plan if self._fork else None)
        if plan and plan.ids:
            os.chown(self.connection_file, *plan.ids)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        """Launch (or have the zygote fork the kernel), then arm the wall-clock kill switch."""
        try:
            if self._fork is not None:
                args = kernel_cmd[kernel_cmd.index("ipykernel_launcher") + 1:]
                try:
                    proc = self._fork.spawn(args, kw["cwd"], kw["env"])
                except ForkServerError as error:
                    raise RuntimeError(f"the kernel zygote could not fork a kernel: {error}") from error
                self.provisioner.process, self.provisioner.pid, self.provisioner.pgid = proc, proc.pid, proc.pid
                self._reconcile_connection_info(self.provisioner.connection_info)
            else:
                await super()._async_launch_kernel(kernel_cmd, **kw)
        except BaseException:
            self.teardown()
            raise
        self._proc = self.provisioner.process
        self.wall_killed = False
        if self.wall_seconds > 0:
            self._timer = threading.Timer(self.wall_seconds, self._wall_kill)
            self._timer.daemon = True
            self._timer.start()

    def _wall_kill(self) -> None:
        """SIGKILL the kernel (and with bwrap its whole pid namespace) when wall time is up."""
        self.wall_killed = True
        self.log.error("sandbox: kernel exceeded wall time of %ss; killing it", self.wall_seconds)
        self._kill_group()

    def _kill_group(self, leftovers: bool = False) -> None:
        """SIGKILL the launched process group while its leader lives (or, with leftovers, right after it exited)."""
        proc = getattr(self, "_proc", None)
        if proc is None or (proc.poll() is not None and not leftovers):
            return
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass

    def exit_reason(self) -> str:
        """A plain description of how the kernel process ended (for error messages)."""
        proc = getattr(self, "_proc", None)
        code = proc.poll() if proc is not None else None
        if getattr(self, "wall_killed", False):
            return f"killed after the wall-time limit of {self.wall_seconds} s"
        if code is None:
            return "stopped answering"
        if code < 0 or code > 128:
            sig = -code if code < 0 else code - 128
            hint = {signal.SIGKILL: "killed, e.g. out of memory or a limit", signal.SIGXCPU: "CPU-time limit hit",
                    signal.SIGXFSZ: "file-size limit hit"}.get(sig, "killed by a signal")
            return f"{hint} (signal {sig})"
        return f"exited with code {code}"

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        """Clean up as usual, then tear the sandbox down (kill leftovers, reclaim workdir, drop scratch)."""
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self.teardown()

    cleanup_resources = _async_cleanup_resources
    pre_start_kernel = _async_pre_start_kernel
    _launch_kernel = _async_launch_kernel

    def teardown(self) -> None:
        """Kill what is left, give the working copy back to its owner, drop the scratch tree and the slot;
        for a forked kernel, empty what it could write instead and keep the zygote for the next notebook."""
        server, self._fork = self._fork, None
        plan, self._plan = self._plan, None
        if server is None and plan is None:   # nothing launched, or torn down already
            self.release_slot()
            return
        workdir = getattr(self, "_forked_workdir", None) if server is not None else plan.workdir if plan else None
        self._forked_workdir = None
        if getattr(self, "_timer", None):
            self._timer.cancel()
        self._kill_group()
        if getattr(self, "_proc", None) is not None:
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.log.error("sandbox: kernel process %s did not exit", self._proc.pid)
            if server is None:
                self._kill_group(leftovers=True)  # children still in its group (no pid namespace without bwrap)
        if server is not None:
            server.clean()     # kills what the kernel left (the zygote's uid but the zygote), empties its folders
        else:
            self.release_slot()  # kills whatever still runs as the slot's uid before the files are taken back
        if workdir is not None:
            removed = take_back(workdir, self._owner)
            if removed:
                self.log.warning("sandbox: removed links/special files left by the kernel: %s", removed)
        if plan is not None:
            shutil.rmtree(plan.scratch, ignore_errors=True)
