"""The trainer's course directory: its nbgrader config, its folders and its gradebook.

The config is the kit's one builder's (course.grading.config.configure), then any global
nbgrader_config.py (where a hub sets Exchange.root), then the course folder's own nbgrader_config.py,
then the trainer's grading options (timeouts, sandbox). Paths always come from nbgrader's
CourseDirectory, so a course that renames its folders (the repository itself uses solutions/ and
exercises/) works unchanged.
"""
from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from ..errors import CourseError
from ..grading.config import autograde_pipeline, configure, place
from ..grading.sandbox import GuardedExecute, bwrap_status
from ..modules import MODULES
from ..nbgrader_course import default_exchange_root, ensure_tools_on_path

TRAINER_FOLDER = "trainer"


@dataclass(frozen=True)
class GradingOptions:
    """What the trainer may tune about a grading run (None keeps the course's own setting)."""

    cell_timeout: int | None = None          # seconds per cell (nbgrader Execute.timeout)
    notebook_timeout: int = 600              # seconds for a whole notebook, kernel start included
    memory_mb: int = 1024                    # address-space limit of each learner kernel
    concurrent_kernels: int = 1              # learner kernels running at once (one per grading worker)
    sandbox: bool = True                     # use course.grading.sandbox when it imports
    fork_kernels: bool = True                # kernels forked from a zygote per worker (sandbox/forkserver.py)
    extra: dict = field(default_factory=dict)  # more "Class.trait" -> value settings, e.g. for tests

    def hard_limit(self) -> float:
        """When the trainer stops waiting for one submission and kills its grading process."""
        return self.notebook_timeout + 240


def _file_config(folder: Path) -> Config:
    """The nbgrader_config.py in `folder`, loaded as nbgrader would (empty when there is none)."""
    path = Path(folder) / "nbgrader_config.py"
    if not path.is_file():
        return Config()
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def _global_configs() -> Config:
    """nbgrader_config.py files on Jupyter's config path (lowest priority first), e.g. a hub's."""
    from jupyter_core.paths import jupyter_config_path

    merged = Config()
    for folder in reversed(jupyter_config_path()):
        merged.merge(_file_config(Path(folder)))
    return merged


def _is_execute(step) -> bool:
    """Whether a pipeline entry is the step that runs the learner's kernel (nbgrader's Execute or a subclass)."""
    from nbgrader.preprocessors import Execute

    if isinstance(step, type):
        return issubclass(step, Execute)
    return str(step).rsplit(".", 1)[-1].endswith("Execute")


def _as_class(step):
    from traitlets.utils.importstring import import_item

    return import_item(step) if isinstance(step, str) else step


def execute_step(config: Config):
    """The step that runs learner kernels: the course's own when it is a GuardedExecute, else the kit's."""
    current = _as_class(next((p for p in _pipeline(config) if _is_execute(p)), None) or GuardedExecute)
    return current if issubclass(current, GuardedExecute) else GuardedExecute


def sandbox_status(config: Config, sandbox: bool = True) -> str:
    """One line for the trainer: how learner kernels are isolated in this run."""
    step = execute_step(config)
    if sandbox:
        how = "bubblewrap" if bwrap_status()[0] else "no bubblewrap on this machine: see docs/isolation.md"
        return (f"learner kernels run in course.grading.sandbox ({step.__name__}: limits, private HOME, "
                f"a user of their own, {how})")
    return (f"learner kernels run with {step.__name__} (sandbox switched off); "
            "a memory limit is inherited from the grading process")


def grading_config(root: Path | str, options: GradingOptions | None = None, scratch: Path | str | None = None) -> Config:
    """The full nbgrader config for the course at `root`; with `scratch`, rooted there instead."""
    root = Path(root).resolve()
    options = options or GradingOptions()
    c = configure(Config(), root)
    c.merge(_global_configs())
    c.merge(_file_config(root))
    if not c.Exchange.get("root"):
        c.Exchange.root = default_exchange_root()  # never nbgrader's own /usr/local/share default
    c.ChooseVariant.course_root = str(root)   # the roster and learners' variants stay in the real course
    if scratch:
        place(c, scratch)
    else:  # the course's own gradebook setting, absolute (a relative SQLite file lives in the course folder)
        place(c, root, c.CourseDirectory.get("db_url", ""))
    step = execute_step(c)
    c.Autograde.autograde_preprocessors = [step if _is_execute(p) else p for p in _pipeline(c)]
    if options.cell_timeout is not None:
        c.Execute.timeout = options.cell_timeout
    c.GuardedExecute.sandbox = options.sandbox
    c.GuardedExecute.notebook_timeout = options.notebook_timeout
    if options.sandbox:
        c.SandboxedKernelManager.memory_mb = options.memory_mb
    for key, value in options.extra.items():
        section, trait = key.rsplit(".", 1)
        setattr(c[section], trait, value)
    return c


def scratch_config(config: Config, scratch: Path | str) -> Config:
    """A copy of a course's grading config that grades in the scratch course folder `scratch` instead."""
    job = copy.deepcopy(config)
    place(job, scratch)
    job.JudgeOutside.integrity_dir = str(Path(scratch).resolve() / "integrity")
    return job


def _pipeline(c: Config) -> list:
    """The autograde preprocessors the config names (the kit's pipeline when it names none)."""
    current = c.Autograde.get("autograde_preprocessors") if "Autograde" in c else None
    return list(current or autograde_pipeline())


@dataclass
class CourseDir:
    """One nbgrader course folder, seen through nbgrader's CourseDirectory and API."""

    root: Path
    options: GradingOptions = field(default_factory=GradingOptions)

    def __post_init__(self):
        self.root = Path(self.root).resolve()
        if not self.root.is_dir():
            raise CourseError(f"There is no course folder {self.root}. Pass --course-dir.")
        ensure_tools_on_path()
        self.config = grading_config(self.root, self.options)
        from nbgrader.coursedir import CourseDirectory
        self.coursedir = CourseDirectory(config=self.config)

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    @property
    def db_path(self) -> Path:
        """The gradebook file (the kit always uses SQLite)."""
        return Path(self.db_url.replace("sqlite:///", "", 1))

    def api(self):
        """nbgrader's NbGraderAPI for this course."""
        from nbgrader.apps import NbGraderAPI
        return NbGraderAPI(self.coursedir, config=self.config)

    def folder(self, step: str, student: str, assignment: str) -> Path:
        """nbgrader's path for a step folder (source, release, submitted, autograded, feedback)."""
        name = getattr(self.coursedir, f"{step}_directory")
        return Path(self.coursedir.format_path(name, student, assignment))

    def source(self, assignment: str) -> Path:
        return self.folder("source", ".", assignment)

    def release(self, assignment: str) -> Path:
        return self.folder("release", ".", assignment)

    def submitted(self, student: str, assignment: str) -> Path:
        return self.folder("submitted", student, assignment)

    def autograded(self, student: str, assignment: str) -> Path:
        return self.folder("autograded", student, assignment)

    def feedback(self, student: str, assignment: str) -> Path:
        return self.folder("feedback", student, assignment)

    def integrity_dir(self) -> Path:
        """Where JudgeOutside writes integrity reports for this course."""
        configured = self.config.JudgeOutside.get("integrity_dir", "") if "JudgeOutside" in self.config else ""
        return Path(configured) if configured else self.root / "integrity"

    def trainer_dir(self) -> Path:
        """The trainer's own outputs: reports, exports, the grading ledger."""
        path = self.root / TRAINER_FOLDER
        path.mkdir(parents=True, exist_ok=True)
        return path

    def assignments(self) -> list[str]:
        """The course's modules, in course order: those with a source or release folder here."""
        found = []
        for module in MODULES:
            a = module.assignment
            if (self.source(a) / module.notebook).exists() or (self.release(a) / module.notebook).exists():
                found.append(a)
        return found

    def students_with_submissions(self, assignment: str) -> list[str]:
        """Learners who have a submitted/<student>/<assignment>/ folder."""
        top = self.folder("submitted", "*", assignment).parent.parent
        if not top.is_dir():
            return []
        return sorted(p.name for p in top.iterdir() if (p / assignment).is_dir())


def open_course(root: Path | str | None = None, options: GradingOptions | None = None) -> CourseDir:
    """The course folder at `root` (default: the current folder)."""
    return CourseDir(Path(root or os.getcwd()), options or GradingOptions())
