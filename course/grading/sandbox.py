"""Run an untrusted learner's Jupyter kernel in a sandbox while nbgrader autogrades it.

Layers, each used when this machine supports it (see ``describe_protection()`` and docs/isolation.md):
resource limits (prlimit), a fresh private HOME/IPYTHONDIR/JUPYTER_*/TMPDIR per kernel, a bubblewrap
filesystem/pid/network view, and an unprivileged ``course-grader`` user when nbgrader runs as root.

Wire it into nbgrader (nbgrader_config.py)::

    from course.grading.sandbox import use_sandbox
    use_sandbox(c)       # after the kit's apply(c): every Execute (subclass) in the chain runs sandboxed
    c.SandboxedKernelManager.memory_mb = 1024
    c.SandboxedExecute.notebook_timeout = 600

Check a machine with ``python -m course.grading.sandbox``.
"""
from __future__ import annotations

import functools
import glob
import math
import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Dict, Enum, Integer, List, Unicode

GRADER_USER = "course-grader"
SECRET_NAMES = ("source", "solutions", "submitted", "autograded", "feedback")
ETC_ENTRIES = (
    "passwd", "group", "hosts", "host.conf", "nsswitch.conf", "resolv.conf", "gai.conf", "protocols",
    "services", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "ssl",
    "ca-certificates", "alternatives", "mime.types", "fonts", "matplotlibrc", "os-release",
)
PASS_ENV = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "NBGRADER_EXECUTION", "COURSE_DATASETS", "COURSE_LEARNER")
ONE_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
MIB = 1024 * 1024


# ----------------------------------------------------------------------------- what this machine can do

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
    probe = [exe, *_system_binds(), "--proc", "/proc", "--dev", "/dev", "--unshare-pid", "--unshare-net",
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


def _setpriv(ids: tuple[int, int]) -> list[str]:
    """The command prefix that drops to uid/gid with no groups and no capabilities."""
    return ["setpriv", f"--reuid={ids[0]}", f"--regid={ids[1]}", "--clear-groups", "--inh-caps=-all",
            "--bounding-set=-all", "--no-new-privs", "--"]


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
    return shutil.which("setpriv") is not None and _run_quiet([*_setpriv(ids), python, "-c", "pass"])[0]


# ----------------------------------------------------------------------------- the sandbox's pieces

@dataclass(frozen=True)
class Limits:
    """Per-kernel resource limits (0 switches one off)."""

    memory_mb: int = 1024
    cpu_seconds: int = 120
    max_processes: int = 64
    max_file_mb: int = 64
    max_open_files: int = 1024

    def rlimits(self) -> dict[str, tuple[int, int]]:
        """The limits as prlimit resource names -> (soft, hard)."""
        pairs = {"as": self.memory_mb * MIB, "nproc": self.max_processes, "fsize": self.max_file_mb * MIB,
                 "nofile": self.max_open_files}
        out = {k: (v, v) for k, v in pairs.items() if v > 0}
        if self.cpu_seconds > 0:
            out["cpu"] = (self.cpu_seconds, self.cpu_seconds + 5)
        out["core"] = (0, 0)
        return out

    def prefix(self) -> list[str]:
        """A command prefix applying the limits: prlimit, or a tiny Python exec shim without it."""
        limits = self.rlimits()
        if shutil.which("prlimit"):
            return ["prlimit", *[f"--{k}={s}:{h}" for k, (s, h) in limits.items()], "--"]
        code = ("import os,resource,sys;[resource.setrlimit(getattr(resource,'RLIMIT_'+k.upper()),v) "
                f"for k,v in {limits!r}.items()];os.execvp(sys.argv[1],sys.argv[1:])")
        return [sys.executable, "-c", code]


@dataclass
class Plan:
    """Everything one sandboxed kernel launch needs: where it may write, what it may read, as whom."""

    workdir: Path
    scratch: Path
    limits: Limits
    use_bwrap: bool
    ids: tuple[int, int] | None
    isolate_network: bool
    ro_paths: list[Path] = field(default_factory=list)
    deny: list[Path] = field(default_factory=list)

    @property
    def home(self) -> Path:
        """The kernel's private HOME."""
        return self.scratch / "home"

    @property
    def runtime(self) -> Path:
        """The kernel's private Jupyter runtime dir (connection file, ipc sockets)."""
        return self.scratch / "runtime"


def _system_binds() -> list[str]:
    """bwrap arguments exposing the OS read-only: /usr (+ merged-/usr links) and a few /etc entries."""
    args = ["--ro-bind", "/usr", "/usr", "--perms", "0755", "--dir", "/etc"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = Path("/") / name
        if top.is_symlink():
            args += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            args += ["--ro-bind", str(top), str(top)]
    for name in ETC_ENTRIES:
        if (Path("/etc") / name).exists():
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    return args


def interpreter_paths(argv0: str) -> list[Path]:
    """Folders a Python kernel needs to read: its prefix, base prefix and real executable's prefix."""
    found = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    exe = shutil.which(argv0) or argv0
    if os.path.isabs(exe):
        found |= {Path(exe).parent.parent, Path(exe).resolve().parent.parent}
    return sorted(p for p in found if p.exists() and p != Path("/") and not _below(p, [Path("/usr")]))


def course_read_paths() -> list[Path]:
    """The course kit's own package and datasets, which learner notebooks import and read."""
    try:
        from course import paths
    except ImportError:
        return []
    return [p for p in (paths.PACKAGE_DIR, paths.datasets_dir()) if p.exists()]


def secret_paths(workdir: Path, extra: list[str] = ()) -> list[Path]:
    """Paths a kernel must never read: source/solutions/other learners' folders/gradebooks near workdir."""
    found = {Path(p).resolve() for p in extra}
    for top in workdir.parents:
        found |= {top / name for name in SECRET_NAMES if (top / name).exists()}
        found |= {Path(p) for p in glob.glob(str(top / "*.db"))}
    try:
        from course import paths
        found.add(paths.solutions_dir())
        found.add(paths.PACKAGE_DIR / "questions")  # the answer key: the judge uses it, learner kernels never
    except ImportError:
        pass
    return sorted(p for p in found if p.exists() and p != workdir)


def _inside(path: Path, tops: list[Path]) -> bool:
    """Whether path is one of tops or below one of them (or above one, which would expose it)."""
    return any(path == t or t in path.parents or path in t.parents for t in tops)


def bwrap_args(plan: Plan) -> list[str]:
    """The bubblewrap command line for plan: read-only system, private scratch, writable workdir only."""
    args = [shutil.which("bwrap") or "bwrap", "--die-with-parent", "--new-session", "--unshare-pid",
            "--unshare-ipc", "--unshare-uts", "--hostname", "sandbox", "--unshare-cgroup-try",
            "--setenv", "JPY_PARENT_PID", "1"]  # its parent is pid 1 here; --die-with-parent does that job
    if plan.isolate_network:
        args.append("--unshare-net")
    args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(64 * MIB), "--tmpfs", "/tmp"]
    args += _system_binds()
    masks = [p for p in plan.deny if _inside(p, plan.ro_paths)]
    mounts = _Mounts(args)
    for path in plan.ro_paths:
        mounts.bind("--ro-bind", path, path, read_only=True)
    for path in masks:
        mounts.mask(path)
    mounts.bind("--bind", plan.scratch, plan.scratch)
    mounts.bind("--bind", plan.workdir, plan.workdir)
    args += [a for p in masks if p.is_dir() for a in ("--remount-ro", str(p))]
    if os.geteuid() == 0:
        # kept only until setpriv switches uid, which clears them; DAC_READ_SEARCH lets bwrap chdir into a 0700 workdir
        keep = ["CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_DAC_READ_SEARCH"] if plan.ids else []
        args += ["--cap-drop", "ALL", *[a for c in keep for a in ("--cap-add", c)]]
    return [*args, "--chdir", str(plan.workdir), "--"]


class _Mounts:
    """Appends bwrap mount arguments, first creating missing parent folders traversable (bwrap makes them 0700)."""

    def __init__(self, args: list[str]):
        self.args, self.read_only, self.masked, self.made = args, [Path("/usr")], [], set()

    def _parents(self, dest: Path) -> None:
        """Emit --dir for dest's parents that are not inside a read-only mount (unless in a fresh mask)."""
        for folder in reversed(dest.parents):
            if folder == Path("/") or folder in self.made or folder == Path("/tmp"):
                continue
            if _below(folder, self.read_only) and not _below(folder, self.masked):
                continue
            self.args += ["--perms", "0755", "--dir", str(folder)]
            self.made.add(folder)

    def bind(self, flag: str, src: Path, dest: Path, read_only: bool = False) -> None:
        """Bind src at dest."""
        self._parents(dest)
        self.args += [flag, str(src), str(dest)]
        if read_only:
            self.read_only.append(dest)

    def mask(self, path: Path) -> None:
        """Hide path behind an empty tmpfs (folder) or /dev/null (file)."""
        self._parents(path)
        self.args += ["--tmpfs", str(path)] if path.is_dir() else ["--ro-bind", "/dev/null", str(path)]
        if path.is_dir():
            self.masked.append(path)


def _below(path: Path, tops: list[Path]) -> bool:
    """Whether path is one of tops or inside one of them."""
    return any(path == t or t in path.parents for t in tops)


def wrap_command(cmd: list[str], plan: Plan) -> list[str]:
    """The full launch command: limits, then bubblewrap if used, then the uid drop, then the kernel."""
    inner = _setpriv(plan.ids) + cmd if plan.ids else cmd
    return plan.limits.prefix() + (bwrap_args(plan) if plan.use_bwrap else []) + inner


def kernel_env(plan: Plan, extra_python_path: list[str], extra_env: dict[str, str],
               asked: dict[str, str] | None = None) -> dict[str, str]:
    """A clean environment: allow-listed variables (of the environment the kernel was asked to have,
    else the grader's) plus private HOME/IPython/Jupyter/matplotlib/tmp dirs."""
    home = plan.home
    source = os.environ if asked is None else asked
    env = {k: source[k] for k in PASS_ENV if k in source}
    env.setdefault("LANG", "C.UTF-8")
    env.update({
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": str(home), "USER": "learner", "TMPDIR": str(plan.scratch / "tmp"),
        "IPYTHONDIR": str(home / ".ipython"), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / ".local/share/jupyter"), "JUPYTER_RUNTIME_DIR": str(plan.runtime),
        "MPLCONFIGDIR": str(home / ".config/matplotlib"), "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"), "XDG_DATA_HOME": str(home / ".local/share"),
        "PYTHONNOUSERSITE": "1", "PYTHONDONTWRITEBYTECODE": "1", "MALLOC_ARENA_MAX": "2",
    })
    env.update({k: "1" for k in ONE_THREAD_ENV})
    if extra_python_path:
        env["PYTHONPATH"] = os.pathsep.join(extra_python_path)
    env.update(extra_env)
    return env


# A unix socket's path must fit in 108 bytes; ZMQ's ipc names add "runtime/zmq-<port>" to the scratch path.
IPC_PATH_ROOM = 70


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


def hand_over(workdir: Path, ids: tuple[int, int] | None) -> tuple[int, int]:
    """Give the working copy to the kernel's uid; return its original owner for ``take_back``."""
    info = os.stat(workdir)
    if ids:
        for path in _tree(workdir):
            os.lchown(path, *ids)
    return info.st_uid, info.st_gid


def take_back(workdir: Path, owner: tuple[int, int]) -> list[str]:
    """Delete links/fifos/devices the kernel left in workdir, and return the rest to owner; list removals."""
    removed = []
    for path in _tree(workdir):
        mode = os.lstat(path).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            os.unlink(path)
            removed.append(str(path))
        elif os.geteuid() == 0:
            os.lchown(path, *owner)
    return removed


def _tree(top: Path) -> list[Path]:
    """top and everything below it, without following symlinks."""
    out = [top]
    for root, dirs, files in os.walk(top):
        out += [Path(root) / n for n in dirs + files]
    return out


# ----------------------------------------------------------------------------- jupyter_client integration

class SandboxedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel runs under limits, in a private HOME, behind bubblewrap if possible."""

    memory_mb = Integer(1024, help="Address-space limit (RLIMIT_AS) per kernel process, MiB; 0 = none.")
    cpu_seconds = Integer(120, help="CPU-time limit (RLIMIT_CPU) per kernel process, seconds.")
    wall_seconds = Integer(900, help="Kernel is SIGKILLed this long after launch; 0 = never.")
    max_processes = Integer(64, help="RLIMIT_NPROC for the kernel's uid (tasks incl. threads).")
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
    run_as_user = Unicode(GRADER_USER, help="When root, run kernels as this user ('' = stay root).")
    create_user = Bool(True, help="Create run_as_user with useradd if it is missing.")
    scratch_root = Unicode("", help="Where private per-kernel dirs are made (default: system temp).")
    for _trait in (memory_mb, cpu_seconds, wall_seconds, max_processes, max_file_mb, max_open_files,
                   allowed_write_dir, extra_ro_paths, expose_course_package, deny_paths, extra_env, use_bwrap,
                   network, run_as_user, create_user, scratch_root):
        _trait.tag(config=True)
    del _trait

    _plan: Plan | None = None

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
        """The uid/gid to drop to, or None when unavailable or unusable for this launch."""
        ids = grader_ids(self.run_as_user, self.create_user)
        scratch = Path(self.scratch_root or tempfile.gettempdir())
        if ids and not bwrap and not (_reachable_by_others(workdir) and _reachable_by_others(scratch)
                                      and _uid_can_run(ids, python)):
            self.log.warning("sandbox: %s cannot reach %s or %s; kernel stays root", self.run_as_user, workdir, python)
            return None
        return ids

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
            raise PermissionError(
                f"Learner kernels run as the user {self.run_as_user!r}, who cannot read {hidden[0]}. "
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

    async def _async_pre_start_kernel(self, **kw):
        """Prepare the sandbox, then let jupyter_client write the connection file and build the command."""
        workdir = Path(self.allowed_write_dir or kw.get("cwd") or os.getcwd()).resolve()
        self._proc, self._owner = None, os.stat(workdir)[4:6]
        plan = self._plan = self.make_plan(workdir)
        try:
            self._owner = hand_over(workdir, plan.ids)
            self.connection_file = str(plan.runtime / f"kernel-{uuid.uuid4()}.json")
            if plan.isolate_network:
                self.transport, self.ip = "ipc", str(plan.runtime / "zmq")
            if plan.use_bwrap and self.kernel_spec is not None:
                self.kernel_spec.interrupt_mode = "message"
            kw.update(cwd=str(workdir), env=kernel_env(plan, self.python_path(), dict(self.extra_env), kw.get("env")))
            return await super()._async_pre_start_kernel(**kw)
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
        if self._plan and self._plan.ids:
            os.chown(self.connection_file, *self._plan.ids)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        """Launch, then arm the wall-clock kill switch."""
        try:
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
        """Kill what is left, give the working copy back to its owner and delete the scratch tree."""
        plan, self._plan = self._plan, None
        if plan is None:
            return
        if getattr(self, "_timer", None):
            self._timer.cancel()
        self._kill_group()
        if getattr(self, "_proc", None) is not None:
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.log.error("sandbox: kernel process %s did not exit", self._proc.pid)
            self._kill_group(leftovers=True)  # children still in its group (no pid namespace without bwrap)
        removed = take_back(plan.workdir, self._owner)
        if removed:
            self.log.warning("sandbox: removed links/special files left by the kernel: %s", removed)
        shutil.rmtree(plan.scratch, ignore_errors=True)


# ----------------------------------------------------------------------------- nbgrader integration

def _error_output(ename: str, evalue: str) -> NotebookNode:
    """An nbformat error output, as a failed cell shows it."""
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class SandboxedExecute(Execute):
    """nbgrader's Execute, with kernels in SandboxedKernelManager and a total time limit per notebook."""

    notebook_timeout = Integer(600, help="Wall-clock seconds for a whole notebook, kernel start included; 0 = none.")
    raise_on_kernel_death = Bool(False, help="Re-raise a dead/unresponsive kernel instead of failing the cells left.")
    notebook_timeout.tag(config=True)
    raise_on_kernel_death.tag(config=True)

    def __init__(self, **kw):
        """Default the kernel manager to SandboxedKernelManager."""
        kw.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(**kw)

    def create_kernel_manager(self):
        """Create the manager and keep its wall-time kill switch just beyond notebook_timeout."""
        km = super().create_kernel_manager()
        if isinstance(km, SandboxedKernelManager) and self.notebook_timeout > 0:
            grace = 15 + (self.startup_timeout or 0)
            km.wall_seconds = min(km.wall_seconds or 10**9, self.notebook_timeout + grace)
        return km

    def preprocess(self, nb, resources=None, km=None):
        """Execute the notebook under the total time limit."""
        self._deadline = time.monotonic() + self.notebook_timeout if self.notebook_timeout > 0 else math.inf
        self._stopped: tuple[str, str] | None = None
        return super().preprocess(nb, resources, km)

    def _get_timeout(self, cell):
        """Per-cell timeout, never past the notebook's deadline."""
        per_cell = super()._get_timeout(cell)
        left = self._deadline - time.monotonic()
        if left == math.inf:
            return per_cell
        return max(1, math.ceil(min(per_cell or left, left)))

    def preprocess_cell(self, cell, resources, index):
        """Run one cell; after a deadline or a kernel death, mark the rest failed instead of running them."""
        if cell.cell_type == "code" and self._stopped is None and time.monotonic() >= self._deadline:
            self._stopped = ("NotebookTimeoutError", f"notebook exceeded its {self.notebook_timeout} s time limit")
        if cell.cell_type == "code" and self._stopped:
            cell.outputs.append(_error_output(*self._stopped))
            return cell, self.resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            if self.raise_on_kernel_death:
                raise
            reason = self.km.exit_reason() if isinstance(self.km, SandboxedKernelManager) else "died"
            self._stop(cell, index, "DeadKernelError", f"the kernel died before this cell finished: {reason}")
        except CellTimeoutError:
            if self.raise_on_kernel_death:
                raise
            self._stop(cell, index, "CellTimeoutError", "the cell timed out and the kernel ignored the interrupt")
        return cell, self.resources

    def _stop(self, cell, index: int, ename: str, evalue: str) -> None:
        """Record why execution stopped at this cell; later code cells get the same error, unexecuted."""
        self.log.error("Stopped at cell %s: %s: %s", index, ename, evalue)
        self._stopped = (ename, evalue)
        cell.outputs.append(_error_output(ename, evalue))


@functools.lru_cache(maxsize=None)
def sandboxed(execute_cls: type = Execute) -> type:
    """SandboxedExecute combined with an Execute subclass; the subclass's own kernel-failure handling is kept."""
    if issubclass(execute_cls, SandboxedExecute):
        return execute_cls
    if execute_cls is Execute:
        return SandboxedExecute
    raise_default = Bool(True, help="Re-raise kernel failures so the wrapped Execute handles them.").tag(config=True)
    return type(f"Sandboxed{execute_cls.__name__}", (SandboxedExecute, execute_cls),
                {"__module__": __name__, "__doc__": f"{execute_cls.__name__} with kernels in the sandbox.",
                 "raise_on_kernel_death": raise_default})


def use_sandbox(c) -> None:
    """In nbgrader config ``c``, run every Execute (or subclass) of the autograde chain in the sandbox."""
    from nbgrader.converters import Autograde
    from traitlets.utils.importstring import import_item
    current = c.Autograde.autograde_preprocessors if "autograde_preprocessors" in c.Autograde else None
    chain = current or Autograde.autograde_preprocessors.default()
    chain = [import_item(p) if isinstance(p, str) else p for p in chain]
    c.Autograde.autograde_preprocessors = [sandboxed(p) if issubclass(p, Execute) else p for p in chain]


# ----------------------------------------------------------------------------- reporting

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
        f"wall time: kernel SIGKILLed {km.wall_seconds} s after launch; SandboxedExecute adds per-cell timeout "
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
    ids = grader_ids(km.run_as_user, create=False)
    procs = km.max_processes
    if os.geteuid() != 0:
        return f"runs as the invoking user (uid {os.geteuid()}); processes limited to {procs} for that whole user"
    if not ids and not (km.create_user and km.run_as_user):
        return "NOT limited: process count (kernel stays root, which RLIMIT_NPROC ignores)"
    who = f"user {km.run_as_user} " + (f"(uid {ids[0]})" if ids else "(created with useradd at first launch)")
    caveat = "" if use_bw else "; without bubblewrap only when the working copy and Python are reachable by it"
    return f"runs as {who}, no capabilities, no_new_privs; processes/threads limited to {procs} for that uid{caveat}"


if __name__ == "__main__":
    print("\n".join(describe_protection()))
