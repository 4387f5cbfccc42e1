"""The launch plan of one sandboxed kernel, and the pure functions that turn it into a command line.

Nothing here starts a process or touches the filesystem beyond reading what exists (`Path.exists`,
`os.readlink`), so every function is unit-tested without a kernel (tests/test_sandbox_plan.py).
"""
from __future__ import annotations

import glob
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

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


def system_binds() -> list[str]:
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
    args += system_binds()
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


def setpriv_prefix(ids: tuple[int, int]) -> list[str]:
    """The command prefix that drops to uid/gid with no groups and no capabilities."""
    return ["setpriv", f"--reuid={ids[0]}", f"--regid={ids[1]}", "--clear-groups", "--inh-caps=-all",
            "--bounding-set=-all", "--no-new-privs", "--"]


def wrap_command(cmd: list[str], plan: Plan) -> list[str]:
    """The full launch command: limits, then bubblewrap if used, then the uid drop, then the kernel."""
    inner = setpriv_prefix(plan.ids) + cmd if plan.ids else cmd
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


